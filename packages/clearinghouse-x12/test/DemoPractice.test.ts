/**
 * The demo practice through real X12: what the playground does with it. Every covered demo patient's last paid
 * claim is corrected and resent (a replacement carries the patient, the coverage and its subscriber, the payer,
 * the rendering and supervising clinicians and any prior payer into the 837P), with the claim the demo left ready,
 * the one it left in the outbox and the one held for its telehealth modifier once fixed; the sandbox's 999 and
 * 277CA accept them all, and its 835s post against them.
 */
import { expect, it } from "@effect/vitest"
import { Billing, Caller, type Claim, DateOfService, type Ids, RuleSet, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import * as Sandbox from "../src/Sandbox.js"

const today = DateOfService.make("2026-03-16")
const at = (hour: number) =>
  DateOfService.daysBetween(DateOfService.make("1970-01-01"), today) * 86_400_000 + hour * 3_600_000

it.effect(
  "every demo patient's records make an 837P the sandbox accepts",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(at(12))
      const store = yield* InMemoryStore.make
      const sandbox = Sandbox.layerBuiltin({
        members: DemoPractice.members(today),
        timeZone: DemoPractice.timeZone,
        delays: { acknowledgement: 0, claimStatus: 0, remittance: 3_600_000 }
      })
      const run = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(
          Effect.provideService(Store.Store, store),
          Effect.provideService(Caller.Caller, DemoPractice.caller),
          Effect.provide(Layer.mergeAll(sandbox, RuleSet.layerBuiltin()))
        )
      yield* run(
        Effect.gen(function* () {
          yield* DemoPractice.seed({ today })
          const all: ReadonlyArray<Claim.Claim> = (yield* store.claims.query({ limit: Store.maxPageSize })).items

          // The last paid claim of each covered patient, corrected: its replacement goes out.
          const resend: Array<Ids.ClaimId> = []
          for (const patientId of Object.values(DemoPractice.ids.patients)) {
            const paid = all.filter((c) => c.patientId === patientId && c.status === "paid").at(-1)
            if (paid === undefined) continue
            resend.push((yield* Billing.correctClaim(paid.id)).replacement.id)
          }
          expect(resend.length).toBe(11)

          // The claim held for its telehealth modifier, fixed as the claim editor would.
          const held = all.find((c) => c.status === "scrubbed" && c.patientId === DemoPractice.ids.patients.family)
          expect(held).toBeDefined()
          const [outcome] = yield* Billing.scrubClaims([held?.id as Ids.ClaimId])
          const fix = outcome?._tag === "Scrubbed" ? outcome.result.findings.find((f) => f.fix)?.fix : undefined
          expect(fix?._tag).toBe("AddModifier")
          if (held !== undefined && fix !== undefined) yield* Billing.applyClaimFix(held.id, fix)
          if (held !== undefined) resend.push(held.id)

          const ready = all.filter((c) => c.status === "ready").map((c) => c.id)
          expect(ready).toHaveLength(1)
          const scrubbed = yield* Billing.scrubClaims([...resend, ...ready])
          expect(scrubbed.map((o) => (o._tag === "Scrubbed" ? o.status : o._tag))).toEqual(
            [...resend, ...ready].map(() => "ready")
          )
          const submitted = yield* Billing.submitClaims([...resend, ...ready])
          expect(submitted.claims.every((c) => c._tag === "Queued")).toBe(true)

          // The demo's own outbox (the claim it left queued) goes too.
          const queued = all.filter((c) => c.status === "submitted").map((c) => c.id)
          expect(queued).toHaveLength(1)
          const delivered = yield* Billing.deliverSubmissions()
          expect(delivered.map((d) => d._tag)).toEqual(["Sent", "Sent"])
          yield* TestClock.adjust("1 minute")
          yield* Billing.processResponses()

          const sandboxed = yield* Sandbox.Sandbox
          const acks = (yield* sandboxed.files).filter((f) => f.kind === "999")
          expect(acks).toHaveLength(2)
          for (const id of [...resend, ...ready, ...queued]) {
            const claim = yield* store.claims.get(id)
            expect([id, claim._tag === "Some" ? claim.value.status : "missing"]).toEqual([id, "accepted"])
          }

          // An hour later the payers' 835s come and post: every claim adjudicated, none left unmatched.
          yield* TestClock.adjust("2 hours")
          const answered = yield* Billing.processResponses()
          const posted = answered.responses.flatMap((o) => (o._tag === "Posted" ? [o.report] : []))
          expect(posted.length).toBeGreaterThan(0)
          for (const report of posted) expect(report.unmatched).toEqual([])
          for (const id of [...resend, ...ready, ...queued]) {
            const claim = yield* store.claims.get(id)
            const status = claim._tag === "Some" ? claim.value.status : "missing"
            expect([id, ["paid", "partially-paid", "denied"].includes(status)]).toEqual([id, true])
          }
        })
      )
    }),
  { timeout: 120_000 }
)
