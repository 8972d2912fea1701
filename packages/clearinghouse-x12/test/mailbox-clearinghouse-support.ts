/// <reference types="node" />
// The far side of an X12 mailbox, for the MailboxClearinghouse tests: a "remote clearinghouse" that works on the
// mailbox's folders directly (the SFTP server of the tests serves local folders, so the same code plays the far
// side of both transports). `settle` is its loop: it takes every 837 from the outbound folder (archiving it, as a
// clearinghouse moves what it took), reads it back, hands the batch to the sandbox clearinghouse with the control
// numbers read from the file (`Sandbox.Options.receivedAs`), and drops the sandbox's 999, 277CA and 835 files into
// the inbound folder with the mailbox's atomic put, named in the order they were written.
//
// The sandbox adjudicates claim batches, not 837 text, so the double keeps the batches the practice may send
// (`register`) and matches each 837 it takes to one by its claims (CLM01), read from the file.
import { join } from "node:path"
import { type Clearinghouse as C, Clearinghouse } from "@openrcm/core"
import { X12 } from "@openrcm/x12"
import { Clock, Context, Effect, Layer, type Scope } from "effect"
import * as Batch837 from "../src/Batch837.js"
import * as Mailbox from "../src/Mailbox.js"
import * as MailboxClearinghouse from "../src/MailboxClearinghouse.js"
import * as Sandbox from "../src/Sandbox.js"
import * as State from "../src/State.js"
import { type Folders, freshFolders } from "./mailbox-support.js"

export type Reason = "Timeout" | "Unavailable" | "Refused"

export interface Setup {
  readonly members?: Sandbox.Options["members"]
  readonly unsupportedPayers?: ReadonlyArray<string>
  readonly failures?: ReadonlyArray<Reason>
}

/** The mailbox folders and the practice's local state folder. */
export interface Box extends Folders {
  readonly state: string
  /** Where the clearinghouse moves the 837s it took. */
  readonly taken: string
}

export const freshBox = (base: string): Promise<Box> =>
  freshFolders(base).then((folders) => ({
    ...folders,
    state: join(folders.root, "state"),
    taken: join(folders.root, "taken")
  }))

/** One 837 the clearinghouse took. */
export interface Taken {
  readonly name: string
  readonly key: string
  readonly text: string
  readonly controls: { readonly interchange: string; readonly group: string; readonly transaction: string }
}

export interface Remote {
  readonly box: Box
  /** A batch the practice may send. */
  readonly register: (batch: C.ClaimBatch) => void
  /** Takes the 837s waiting in the outbound folder and drops every answer due into the inbound folder. */
  readonly settle: Effect.Effect<void>
  /** Every 837 taken, in order. */
  readonly taken: () => ReadonlyArray<Taken>
  /** Failures for the next calls (mailbox operations and eligibility), in order. */
  readonly failures: Array<Reason>
  /** Eligibility as the clearinghouse's real-time channel answers it (the sandbox), after the failures. */
  readonly eligibility: C.Clearinghouse["Service"]["checkEligibility"]
  readonly sandbox: Sandbox.Sandbox["Service"]
}

/** The practice and the clearinghouse of every test. */
export const parties = Sandbox.defaultParties

const injected = (queue: Array<Reason>): Effect.Effect<void, Mailbox.MailboxError> =>
  Effect.suspend(() => {
    const reason = queue.shift()
    if (reason === undefined) return Effect.void
    return Effect.fail(reason === "Refused" ? Mailbox.refused("injected") : Mailbox.unavailable("injected"))
  })

/** A mailbox that fails its next operations with the queued reasons (Timeout is not a mailbox reason). */
export const failing = (mailbox: Mailbox.Mailbox["Service"], queue: Array<Reason>): Mailbox.Mailbox["Service"] => ({
  put: (name, content) => Effect.andThen(injected(queue), mailbox.put(name, content)),
  list: () => Effect.andThen(injected(queue), mailbox.list()),
  read: (name) => Effect.andThen(injected(queue), mailbox.read(name)),
  archive: (name) => Effect.andThen(injected(queue), mailbox.archive(name))
})

const controlsOf = (text: string): Taken["controls"] => {
  const read = X12.readText(text, { mode: "strict" })
  if (read._tag === "Failure") throw read.error
  const interchange = read.interchanges[0]
  const group = interchange?.groups[0]
  const transaction = group?.transactions[0]
  if (interchange === undefined || group === undefined || transaction === undefined)
    throw new Error("an 837 without a transaction")
  return {
    interchange: interchange.interchange.control,
    group: group.group.control,
    transaction: transaction.header.control
  }
}

const sameIds = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && [...a].sort().every((id, i) => id === [...b].sort()[i])

/** The clearinghouse on a box's folders, with a sandbox behind it (answers at once: no delays). */
export const makeRemote = (box: Box, setup: Setup = {}): Effect.Effect<Remote, never, Scope.Scope> =>
  Effect.gen(function* () {
    const received = new Map<string, Taken["controls"]>()
    const context = yield* Layer.build(
      Sandbox.layerBuiltin({
        members: setup.members ?? [],
        unsupportedPayers: setup.unsupportedPayers ?? [],
        delays: { acknowledgement: 0, claimStatus: 0, remittance: 0 },
        parties,
        receivedAs: (batch) => received.get(batch.key)
      })
    )
    const sandboxClearinghouse = Context.get(context, Clearinghouse.Clearinghouse)
    const sandbox = Context.get(context, Sandbox.Sandbox)
    // The clearinghouse's side: our outbound is its inbound, our inbound its outbound.
    const far = Mailbox.makeDirectory({ outbound: box.inbound, inbound: box.outbound, archive: box.taken })
    const registered: Array<C.ClaimBatch> = []
    const taken: Array<Taken> = []
    const delivered = new Set<string>()
    const failures: Array<Reason> = [...(setup.failures ?? [])]
    let sequence = 0

    const settle = Effect.gen(function* () {
      for (const entry of yield* far.list()) {
        const text = yield* far.read(entry.name)
        const read = Batch837.read(text, "strict")
        const ids = read.claims.map((c) => c.claimId)
        const batch = registered.findLast((b) =>
          sameIds(
            b.claims.map((e) => e.claim.id),
            ids
          )
        )
        if (batch === undefined) return yield* Effect.die(new Error(`an 837 for no batch sent: ${entry.name}`))
        const controls = controlsOf(text)
        yield* far.archive(entry.name)
        taken.push({ name: entry.name, key: batch.key, text, controls })
        received.set(batch.key, controls)
        yield* sandboxClearinghouse.submitClaims(batch)
      }
      const now = yield* Clock.currentTimeMillis
      for (const file of yield* sandbox.files) {
        if (file.kind === "837" || delivered.has(file.name) || file.availableAt > now) continue
        delivered.add(file.name)
        sequence += 1
        yield* far.put(`${String(sequence).padStart(6, "0")}-${file.name}`, file.x12)
      }
    }).pipe(Effect.orDie)

    return {
      box,
      register: (batch) => void registered.push(batch),
      settle,
      taken: () => [...taken],
      failures,
      eligibility: (request) =>
        Effect.andThen(
          Effect.mapError(injected(failures), MailboxClearinghouse.fromMailbox("eligibility")),
          sandboxClearinghouse.checkEligibility(request)
        ),
      sandbox
    } satisfies Remote
  })

/** The adapter's Clearinghouse with `submitClaims` telling the remote which batch it sends. */
export const registering = <E, R>(
  remote: Remote,
  adapter: Layer.Layer<C.Clearinghouse | MailboxClearinghouse.MailboxClearinghouse, E, R>
): Layer.Layer<C.Clearinghouse | MailboxClearinghouse.MailboxClearinghouse, E, R> =>
  Layer.effectContext(
    Effect.map(Layer.build(adapter), (context) => {
      const clearinghouse = Context.get(context, Clearinghouse.Clearinghouse)
      return Context.add(
        context,
        Clearinghouse.Clearinghouse,
        Clearinghouse.Clearinghouse.of({
          ...clearinghouse,
          submitClaims: (batch) =>
            Effect.andThen(
              Effect.sync(() => remote.register(batch)),
              clearinghouse.submitClaims(batch)
            )
        })
      )
    })
  )

/**
 * The adapter on a transport over the box's folders, with its state in the box's state folder, the remote's
 * failures injected into the mailbox and its sandbox as the eligibility channel.
 */
export const adapterLayer = (
  remote: Remote,
  transport: (box: Box) => Layer.Layer<Mailbox.Mailbox>,
  state: Layer.Layer<State.State> = State.layerDirectory({ folder: remote.box.state })
): Layer.Layer<C.Clearinghouse | MailboxClearinghouse.MailboxClearinghouse> =>
  registering(
    remote,
    MailboxClearinghouse.layerOn({ ...parties, eligibility: remote.eligibility }).pipe(
      Layer.provide(
        Layer.effect(
          Mailbox.Mailbox,
          Effect.map(Mailbox.Mailbox, (mailbox) => failing(mailbox, remote.failures))
        ).pipe(Layer.provide(transport(remote.box)))
      ),
      Layer.provide(state),
      Layer.orDie
    )
  )
