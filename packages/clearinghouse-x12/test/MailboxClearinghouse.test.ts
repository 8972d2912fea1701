/// <reference types="node" />
// The mailbox clearinghouse beyond the port's contract: what it writes, what it remembers across restarts (a
// batch the clearinghouse took is never dropped again, control numbers never repeat, acknowledgements stay), the
// crash windows of a send, inbound files that give no response, and how failures map. The far side is the
// remote clearinghouse of mailbox-clearinghouse-support.ts; a "restart" is a new adapter built on the same
// folders and state.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { type Clearinghouse as C, Clearinghouse } from "@openrcm/core"
import { Cause, Context, Effect, Exit, Layer, Logger, Option, Redacted } from "effect"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import * as Batch837 from "../src/Batch837.js"
import * as Mailbox from "../src/Mailbox.js"
import * as MailboxClearinghouse from "../src/MailboxClearinghouse.js"
import * as State from "../src/State.js"
import {
  adapterLayer,
  type Box,
  freshBox,
  makeRemote,
  parties,
  type Remote,
  type Setup
} from "./mailbox-clearinghouse-support.js"
import { removeFolder, removeSshd, type Sshd, startSshd } from "./mailbox-support.js"

let base = ""
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "openrcm-mailbox-ch-"))
})
afterAll(() => removeFolder(base))

const names = (folder: string) =>
  Effect.promise(() => readdir(folder, { withFileTypes: true })).pipe(
    Effect.map((entries) =>
      entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort()
    )
  )

const text = (path: string) => Effect.promise(() => readFile(path, "utf8"))

/** The adapter's services from a layer built in the current scope: one "process". */
const start = (layer: Layer.Layer<C.Clearinghouse | MailboxClearinghouse.MailboxClearinghouse>) =>
  Effect.map(Layer.build(layer), (context) => ({
    ch: Context.get(context, Clearinghouse.Clearinghouse),
    controls: Context.get(context, MailboxClearinghouse.MailboxClearinghouse)
  }))

interface World {
  readonly box: Box
  readonly remote: Remote
  /** A new adapter process on the box (its state in the box's state folder unless given). */
  readonly process: (state?: Layer.Layer<State.State>) => ReturnType<typeof start>
}

const world = (setup: Setup = {}) =>
  Effect.gen(function* () {
    const box = yield* Effect.promise(() => freshBox(base))
    const remote = yield* makeRemote(box, { members: F.members, ...setup })
    const made: World = {
      box,
      remote,
      process: (state) => start(adapterLayer(remote, Mailbox.layerDirectory, state))
    }
    return made
  })

const errorOf = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const error = Cause.findErrorOption(exit.cause)
    if (Option.isNone(error)) throw new Error(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
    return error.value as C.ClearinghouseError
  })

const batchOf = (prefix: string, claims = 1) =>
  F.batch(
    `${prefix}-key`,
    Array.from({ length: claims }, (_, i) => F.envelope(`${prefix}-${i + 1}`))
  )

describe("MailboxClearinghouse", () => {
  it.effect("drops the batch as <key>-<ISA13>.837, an 837P of its claims, and records it as sent", () =>
    Effect.gen(function* () {
      const { box, process } = yield* world()
      const { ch } = yield* process()
      const batch = batchOf("drop", 2)
      const receipt = yield* ch.submitClaims(batch)
      expect(receipt).toEqual({ key: batch.key, reference: "drop-key-000000001.837", firstTime: true })
      expect(yield* names(box.outbound)).toEqual(["drop-key-000000001.837"])
      const written = yield* text(join(box.outbound, receipt.reference))
      expect(Batch837.read(written).claims.map((c) => c.claimId)).toEqual(["drop-1", "drop-2"])
      expect(written).toContain("*000000001*0*T*:~")
      const stored = yield* State.makeDirectory({ folder: box.state }).get("submission/drop-key")
      expect(Option.getOrThrow(stored)).toMatchObject({
        status: "sent",
        reference: "drop-key-000000001.837",
        interchange: "000000001",
        group: "1",
        transaction: "0001",
        claimIds: ["drop-1", "drop-2"]
      })
      expect(MailboxClearinghouse.fileNameOf("a:b/c\\d..e", "000000009")).toBe("a_b_c_d..e-000000009.837")
      expect(MailboxClearinghouse.fileNameOf("..x", "000000009")).toBe("x-000000009.837")
    }).pipe(Effect.scoped)
  )

  it.effect("a batch the clearinghouse has taken is never dropped again, in the same process or after a restart", () =>
    Effect.gen(function* () {
      const { box, remote, process } = yield* world()
      const batch = batchOf("taken", 2)
      const first = yield* process()
      const receipt = yield* first.ch.submitClaims(batch)
      yield* remote.settle
      expect(yield* names(box.outbound)).toEqual([])
      expect(yield* first.ch.submitClaims(batch)).toEqual({ ...receipt, firstTime: false })
      expect(yield* names(box.outbound)).toEqual([])

      const second = yield* process()
      expect(yield* second.ch.submitClaims(batch)).toEqual({ ...receipt, firstTime: false })
      yield* remote.settle
      expect(yield* names(box.outbound)).toEqual([])
      expect(remote.taken().map((t) => t.name)).toEqual([receipt.reference])
    }).pipe(Effect.scoped)
  )

  it.effect("control numbers never repeat across restarts", () =>
    Effect.gen(function* () {
      const { remote, process } = yield* world()
      // Three processes, one after the other, each sending batches the clearinghouse then takes.
      for (const prefixes of [["cn-a", "cn-b"], ["cn-c"], ["cn-d", "cn-e"]]) {
        const { ch } = yield* process()
        for (const prefix of prefixes) yield* ch.submitClaims(batchOf(prefix))
        yield* remote.settle
      }
      const controls = remote.taken().map((t) => t.controls)
      expect(controls.map((c) => c.interchange)).toEqual([
        "000000001",
        "000000002",
        "000000003",
        "000000004",
        "000000005"
      ])
      expect(new Set(controls.map((c) => c.group)).size).toBe(5)
      expect(new Set(controls.map((c) => c.transaction)).size).toBe(5)
    }).pipe(Effect.scoped)
  )

  it.effect("responses are <file>#<n>, 999s name their batch; what was acknowledged stays so after a restart", () =>
    Effect.gen(function* () {
      const { box, remote, process } = yield* world()
      const batch = F.batch("resp-key", [
        F.envelope("resp-1"),
        F.envelope("resp-2", { coverage: F.coverage({ memberId: "ACM000000000" }) })
      ])
      const first = yield* process()
      yield* first.ch.submitClaims(batch)
      yield* remote.settle
      const all = yield* first.ch.responses()
      expect(all.map((r) => r._tag)).toEqual(["Acknowledgement", "ClaimStatus", "Remittance"])
      for (const r of all) expect(r.id).toMatch(/^\d{6}-000000001\.(999|277CA|835)#1$/)
      const ack = all[0] as Extract<C.Response, { _tag: "Acknowledgement" }>
      expect(ack).toMatchObject({ submissionKey: "resp-key", accepted: true })
      const status = all[1] as Extract<C.Response, { _tag: "ClaimStatus" }>
      expect(status.claims.map((c) => [c.claimId, c.status])).toEqual([
        ["resp-1", "accepted"],
        ["resp-2", "rejected"]
      ])

      // The remittance is left for posting: its file stays.
      yield* first.ch.acknowledge(all.filter((r) => r._tag !== "Remittance").map((r) => r.id))
      const remittance = all[2] as C.Response
      expect(yield* names(box.inbound)).toEqual([remittance.id.split("#")[0]])
      expect(yield* names(box.archive)).toHaveLength(2)

      const second = yield* process()
      expect(yield* second.ch.responses()).toEqual([remittance])
      yield* second.ch.acknowledge([remittance.id])
      expect(yield* names(box.inbound)).toEqual([])
      const third = yield* process()
      expect(yield* third.ch.responses()).toEqual([])
    }).pipe(Effect.scoped)
  )

  it.effect("a file of several responses is archived once all are acknowledged, across a restart", () =>
    Effect.gen(function* () {
      const { box, remote, process } = yield* world()
      const first = yield* process()
      yield* first.ch.submitClaims(batchOf("multi"))
      yield* remote.settle
      yield* first.ch.acknowledge((yield* first.ch.responses()).map((r) => r.id))
      // The clearinghouse sends the 999 and the 277CA again, as one file of two interchanges.
      const files = yield* remote.sandbox.files
      const both = files
        .filter((f) => f.kind === "999" || f.kind === "277CA")
        .map((f) => f.x12)
        .join("\n")
      yield* Effect.promise(() => writeFile(join(box.inbound, "combined.x12"), both))
      const listed = yield* first.ch.responses()
      expect(listed.map((r) => [r.id, r._tag])).toEqual([
        ["combined.x12#1", "Acknowledgement"],
        ["combined.x12#2", "ClaimStatus"]
      ])
      yield* first.ch.acknowledge(["combined.x12#1", "combined.x12#0", "combined.x12#3", "combined.x12", "nope#1"])
      expect((yield* first.ch.responses()).map((r) => r.id)).toEqual(["combined.x12#2"])
      expect(yield* names(box.inbound)).toEqual(["combined.x12"])

      const second = yield* process()
      expect((yield* second.ch.responses()).map((r) => r.id)).toEqual(["combined.x12#2"])
      yield* second.ch.acknowledge(["combined.x12#2", "combined.x12#1"])
      expect(yield* names(box.inbound)).toEqual([])
      expect(yield* second.ch.responses()).toEqual([])
      // A new file under the same name is new: nothing of the old one's acknowledgements carries over.
      yield* Effect.promise(() => writeFile(join(box.inbound, "combined.x12"), `${both}\n`))
      expect((yield* second.ch.responses()).map((r) => r.id)).toEqual(["combined.x12#1", "combined.x12#2"])
    }).pipe(Effect.scoped)
  )

  it.effect("a file that gives no response is reported once, left in place, and never fails a read", () =>
    Effect.gen(function* () {
      const warnings: Array<string> = []
      const logger = Logger.layer([
        Logger.make((options) => {
          if (options.logLevel === "Warn") warnings.push(JSON.stringify(options.message))
        })
      ])
      const { box, remote, process } = yield* world()
      const first = yield* process()
      yield* first.ch.submitClaims(batchOf("junk"))
      yield* remote.settle
      const isa = (yield* remote.sandbox.files).find((f) => f.kind === "999")?.x12.slice(0, 106) ?? ""
      expect(isa).toMatch(/^ISA\*/)
      yield* Effect.promise(async () => {
        await writeFile(join(box.inbound, "report.txt"), "Files received: 1. Thank you for your business.\n")
        await writeFile(
          join(box.inbound, "ta1.x12"),
          `${isa}TA1*000000001*250101*1200*A*000~IEA*0*${isa.slice(90, 99)}~`
        )
      })
      const read = Effect.provide(first.ch.responses(), logger)
      const responses = yield* read
      expect(responses.map((r) => r._tag)).toEqual(["Acknowledgement", "ClaimStatus", "Remittance"])
      expect(yield* read).toEqual(responses)
      const problems = yield* first.controls.problems()
      expect(problems.map((p) => [p.name, p.reason])).toEqual([
        ["report.txt", "not-x12"],
        ["ta1.x12", "no-responses"]
      ])
      expect(problems[0]?.code).toBeDefined()
      expect(warnings).toHaveLength(2)
      expect(warnings.join()).not.toContain("Thank you")

      // After a restart: still skipped, not reported again.
      const second = yield* process()
      expect((yield* Effect.provide(second.ch.responses(), logger)).map((r) => r.id)).toEqual(
        responses.map((r) => r.id)
      )
      expect(warnings).toHaveLength(2)
      // Acknowledging everything leaves the problem files where they are; dismiss archives one.
      yield* second.ch.acknowledge([...responses.map((r) => r.id), "report.txt#1"])
      expect(yield* names(box.inbound)).toEqual(["report.txt", "ta1.x12"])
      yield* second.controls.dismiss("report.txt")
      yield* second.controls.dismiss("no-such-file")
      expect(yield* names(box.inbound)).toEqual(["ta1.x12"])
      expect(yield* names(box.archive)).toContain("report.txt")
      expect((yield* second.controls.problems()).map((p) => p.name)).toEqual(["ta1.x12"])
    }).pipe(Effect.scoped)
  )

  describe("the crash windows of a send", () => {
    /** A memory state whose next write of a batch as `sent` fails, as a crash right after the put would. */
    const crashAfterPut = () => {
      const inner = State.makeMemory()
      let armed = true
      const service = State.State.of({
        ...inner,
        set: (key, value) =>
          armed && key.startsWith("submission/") && (value as { status?: string }).status === "sent"
            ? Effect.suspend(() => {
                armed = false
                return Effect.fail(new State.StateError({ kind: "io", detail: "set: crash" }))
              })
            : inner.set(key, value)
      })
      return Layer.succeed(State.State, service)
    }

    it.effect("after the put, with the file still in the outbound folder: the retry records it, sent once", () =>
      Effect.gen(function* () {
        const { box, remote, process } = yield* world()
        const { ch } = yield* process(crashAfterPut())
        const batch = batchOf("crash-a")
        const error = yield* errorOf(ch.submitClaims(batch))
        expect(error.reason._tag).toBe("Unavailable")
        expect(error.retryable).toBe(true)
        expect(yield* names(box.outbound)).toEqual(["crash-a-key-000000001.837"])
        expect(yield* ch.submitClaims(batch)).toEqual({
          key: batch.key,
          reference: "crash-a-key-000000001.837",
          firstTime: true
        })
        expect(yield* ch.submitClaims(batch)).toMatchObject({ firstTime: false })
        yield* remote.settle
        expect(remote.taken()).toHaveLength(1)
      }).pipe(Effect.scoped)
    )

    it.effect("after the put, once the clearinghouse took the file: the retry drops the same bytes again", () =>
      Effect.gen(function* () {
        const { remote, process } = yield* world()
        const { ch } = yield* process(crashAfterPut())
        const batch = batchOf("crash-b")
        yield* errorOf(ch.submitClaims(batch))
        yield* remote.settle
        expect((yield* ch.submitClaims(batch)).firstTime).toBe(true)
        yield* remote.settle
        // The documented window: a duplicate interchange, byte for byte (same ISA13, GS06, ST02).
        const [one, two] = remote.taken()
        expect(remote.taken()).toHaveLength(2)
        expect(two?.text).toBe(one?.text)
        expect(two?.controls).toEqual(one?.controls)
      }).pipe(Effect.scoped)
    )

    it.effect(
      "before the put: the retry writes the file under the numbers recorded, and a new batch gets new ones",
      () =>
        Effect.gen(function* () {
          const { box, remote, process } = yield* world()
          const { ch } = yield* process()
          const batch = batchOf("before")
          remote.failures.push("Unavailable")
          expect((yield* errorOf(ch.submitClaims(batch))).reason._tag).toBe("Unavailable")
          expect(yield* names(box.outbound)).toEqual([])
          // A restart in between changes nothing; other claims under the pending key are never sent.
          const again = yield* process()
          const impostor = F.batch("before-key", [F.envelope("other-1")])
          expect((yield* errorOf(again.ch.submitClaims(impostor))).reason).toMatchObject({
            _tag: "Refused",
            detail: "the key was recorded for other claims"
          })
          expect(yield* names(box.outbound)).toEqual([])
          expect(yield* again.ch.submitClaims(batch)).toMatchObject({
            reference: "before-key-000000001.837",
            firstTime: true
          })
          expect((yield* again.ch.submitClaims(batchOf("after"))).reference).toBe("after-key-000000002.837")
        }).pipe(Effect.scoped)
    )
  })

  describe("failures", () => {
    it.effect("missing folders are Refused; mailbox failures keep their retryability", () =>
      Effect.gen(function* () {
        const box = yield* Effect.promise(() => freshBox(base))
        const adapter = (over: Partial<MailboxClearinghouse.DirectoryOptions>) =>
          start(Layer.orDie(MailboxClearinghouse.layerDirectory({ ...parties, ...box, ...over })))
        const noOutbound = yield* adapter({ outbound: join(box.root, "gone") })
        const put = yield* errorOf(noOutbound.ch.submitClaims(batchOf("missing")))
        expect(put.reason).toMatchObject({ _tag: "Refused" })
        expect(put.retryable).toBe(false)
        const noInbound = yield* adapter({ inbound: join(box.root, "gone") })
        expect((yield* errorOf(noInbound.ch.responses())).reason._tag).toBe("Refused")
        // The state knows nothing of the failed send: the batch goes out once the folder is there.
        const fine = yield* adapter({})
        expect(yield* fine.ch.submitClaims(batchOf("missing"))).toMatchObject({ firstTime: true })

        const { remote, process } = yield* world()
        const { ch } = yield* process()
        remote.failures.push("Unavailable", "Refused")
        const unavailable = yield* errorOf(ch.responses())
        expect(unavailable.reason).toMatchObject({ _tag: "Unavailable", detail: "mailbox list: injected" })
        expect(unavailable.retryable).toBe(true)
        const refused = yield* errorOf(ch.acknowledge(["x#1"]))
        expect(refused.reason._tag).toBe("Refused")
        expect(yield* ch.responses()).toEqual([])
      }).pipe(Effect.scoped)
    )

    it.effect("eligibility is Refused over the mailbox unless a real-time channel is given", () =>
      Effect.gen(function* () {
        const box = yield* Effect.promise(() => freshBox(base))
        const { ch } = yield* start(Layer.orDie(MailboxClearinghouse.layerDirectory({ ...parties, ...box })))
        const error = yield* errorOf(ch.checkEligibility(F.eligibilityRequest()))
        expect(error.reason).toEqual(
          expect.objectContaining({ _tag: "Refused", detail: "eligibility is not offered over the mailbox" })
        )
        const { process } = yield* world()
        const withChannel = yield* process()
        expect((yield* withChannel.ch.checkEligibility(F.eligibilityRequest())).status).toBe("active")
      }).pipe(Effect.scoped)
    )

    it.effect("a batch the 837 writer refuses is Refused, names the fields, and records nothing", () =>
      Effect.gen(function* () {
        const { box, process } = yield* world()
        const { ch } = yield* process()
        const wrong = F.batch("wrong-key", [F.envelope("wrong-1", { claim: F.claim("wrong-1", { charge: 12345 }) })])
        const error = yield* errorOf(ch.submitClaims(wrong))
        expect(error.reason).toMatchObject({ _tag: "Refused" })
        expect((error.reason as C.Refused).detail).toContain("claims[0].claim.totalCharge")
        expect(yield* names(box.outbound)).toEqual([])
        const state = State.makeDirectory({ folder: box.state })
        expect(yield* state.get("submission/wrong-key")).toEqual(Option.none())
      }).pipe(Effect.scoped)
    )

    it.effect("a corrupt state record is Refused, not retried", () =>
      Effect.gen(function* () {
        const { box, process } = yield* world()
        const { ch } = yield* process()
        const batch = batchOf("corrupt")
        yield* ch.submitClaims(batch)
        const file = join(box.state, State.fileNameOf("submission/corrupt-key"))
        yield* Effect.promise(() => writeFile(file, "{ not json"))
        expect((yield* errorOf(ch.submitClaims(batch))).reason._tag).toBe("Refused")
        yield* Effect.promise(() => writeFile(file, JSON.stringify({ status: "sent" })))
        expect((yield* errorOf(ch.submitClaims(batch))).reason._tag).toBe("Refused")
      }).pipe(Effect.scoped)
    )
  })
})

describe("MailboxClearinghouse.layerSftp", () => {
  let sshd: Sshd | undefined
  beforeAll(async () => {
    sshd = await startSshd()
  }, 20_000)
  afterAll(() => removeSshd(sshd))

  it.effect(
    "sends, reads and acknowledges over SFTP; a restart neither resends nor returns what was acknowledged",
    () =>
      Effect.gen(function* () {
        const server = sshd as Sshd
        const box = yield* Effect.promise(() => freshBox(server.dir))
        const remote = yield* makeRemote(box, { members: F.members })
        const options: MailboxClearinghouse.SftpOptions = {
          ...parties,
          state: box.state,
          sftp: {
            host: "127.0.0.1",
            port: server.port,
            username: server.username,
            privateKey: Redacted.make(server.clientKey),
            hostKeys: [server.hostKey],
            outbound: box.outbound,
            inbound: box.inbound
          }
        }
        const batch = batchOf("sftp", 2)
        remote.register(batch)
        const ids = yield* Effect.scoped(
          Effect.gen(function* () {
            const { ch } = yield* start(Layer.orDie(MailboxClearinghouse.layerSftp(options)))
            expect(yield* ch.submitClaims(batch)).toMatchObject({ firstTime: true })
            yield* remote.settle
            const responses = yield* ch.responses()
            expect(responses.map((r) => r._tag)).toEqual(["Acknowledgement", "ClaimStatus", "Remittance"])
            yield* ch.acknowledge(responses.slice(0, 2).map((r) => r.id))
            return responses.map((r) => r.id)
          })
        )
        const { ch } = yield* start(Layer.orDie(MailboxClearinghouse.layerSftp(options)))
        expect(yield* ch.submitClaims(batch)).toMatchObject({ firstTime: false })
        yield* remote.settle
        expect(remote.taken()).toHaveLength(1)
        expect((yield* ch.responses()).map((r) => r.id)).toEqual(ids.slice(2))
        yield* Effect.promise(() => rm(box.state, { recursive: true }))
      }).pipe(Effect.scoped),
    30_000
  )
})
