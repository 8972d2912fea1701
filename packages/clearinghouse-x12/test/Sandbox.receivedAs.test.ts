// The sandbox as the receiving end of another submitter's 837 (`receivedAs`): its 999 acknowledges the file's
// control numbers, and its files are named by the file's interchange number.
import { describe, expect, it } from "@effect/vitest"
import { Clearinghouse } from "@openrcm/core"
import { Effect } from "effect"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import * as Sandbox from "../src/Sandbox.js"

const run = <A, E>(
  options: Sandbox.Options,
  body: (ch: Clearinghouse.Clearinghouse["Service"], sandbox: Sandbox.Sandbox["Service"]) => Effect.Effect<A, E>
) =>
  Effect.gen(function* () {
    return yield* body(yield* Clearinghouse.Clearinghouse, yield* Sandbox.Sandbox)
  }).pipe(Effect.provide(Sandbox.layerBuiltin(options)))

const noDelays = { acknowledgement: 0, claimStatus: 0, remittance: 0 }

describe("Sandbox receivedAs", () => {
  it.effect("answers the control numbers the batch arrived with", () =>
    run(
      {
        members: F.members,
        delays: noDelays,
        receivedAs: (batch) =>
          batch.key === "theirs-key" ? { interchange: "000000042", group: "42", transaction: "0042" } : undefined
      },
      (ch, sandbox) =>
        Effect.gen(function* () {
          const theirs = F.batch("theirs-key", [F.envelope("theirs-1")])
          expect(yield* ch.submitClaims(theirs)).toMatchObject({ reference: "000000042", firstTime: true })
          const files = yield* sandbox.files
          expect(files.map((f) => f.name)).toEqual([
            "000000042.837",
            "000000042.999",
            "000000042.277CA",
            "000000042.835"
          ])
          const ack = files.find((f) => f.kind === "999")?.x12 ?? ""
          expect(ack).toContain("AK1*HC*42*")
          expect(ack).toContain("AK2*837*0042*")
          expect((files[0]?.x12 ?? "").split("~").find((s) => s.startsWith("GS*"))).toMatch(/\*42\*X\*005010X222A1$/)
          const [acknowledgement] = yield* ch.responses()
          expect(acknowledgement).toMatchObject({
            _tag: "Acknowledgement",
            submissionKey: "theirs-key",
            accepted: true
          })

          // Without numbers for a batch, the sandbox allocates its own.
          const own = F.batch("own-key", [F.envelope("own-1")])
          expect((yield* ch.submitClaims(own)).reference).toBe("000000001")
        })
    )
  )
})
