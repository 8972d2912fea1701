// Posting a remittance on the SQL store, embedded PGlite: the postings, the patient ledger and the claim's move in
// one transaction; the same advice again is a duplicate that changes nothing; a reversal and its correction.
import { expect, layer } from "@effect/vitest"
import { Billing, Caller, type KeyProvider, type Money, type RemittanceAdvice, Store } from "@openrcm/core"
import { Effect, Option } from "effect"
import { inWorld, makeWorld, seedClaims } from "../../core/test/ClaimSubmission.support.js"
import * as EmbeddedStore from "../src/EmbeddedStore.js"

const masterKeys: KeyProvider.MasterKeys = {
  current: "k1",
  keys: { k1: "cmVtaXR0YW5jZSBwb3N0aW5nIHRlc3Qga2V5IDMyYiE=" }
}

const m = (cents: number) => cents as Money.Money

const advice = (
  hash: string,
  claims: ReadonlyArray<RemittanceAdvice.ClaimPayment>
): RemittanceAdvice.RemittanceAdvice => ({
  contentHash: hash.repeat(64),
  payer: { name: "ACME" },
  payee: {},
  payment: {
    handling: "I",
    method: "CHK",
    amount: m(claims.reduce((s, c) => s + c.paid, 0)),
    traceNumber: `CHK-${hash}`
  },
  claims,
  providerAdjustments: [{ reason: "L6", amount: m(0) }]
})

const clp = (
  id: string,
  status: string,
  charge: number,
  paid: number,
  adjustments: ReadonlyArray<RemittanceAdvice.Adjustment>
): RemittanceAdvice.ClaimPayment => ({
  patientControlNumber: id,
  status,
  charge: m(charge),
  paid: m(paid),
  payerClaimNumber: "PCN-1",
  adjustments,
  remarks: [],
  lines: []
})

layer(EmbeddedStore.layer({ masterKeys }), { excludeTestServices: true, timeout: 120_000 })(
  "Billing.postRemittance on SqlStore (PGlite)",
  (it) => {
    it.effect(
      "posts, recognises the duplicate, reverses and re-pays",
      () =>
        Effect.gen(function* () {
          const world = yield* makeWorld(undefined, yield* Store.Store)
          const id = (yield* seedClaims(world, 1, { status: "accepted" }))[0] as string
          const withCaller = Effect.provideService(Caller.Caller, world.caller)
          const first = advice("a", [
            clp(id, "1", 15000, 10000, [
              { group: "CO", reason: "45", amount: m(2000) },
              { group: "PR", reason: "3", amount: m(3000) }
            ])
          ])
          const report = yield* inWorld(world)(Billing.postRemittance(first))
          expect(report).toMatchObject({ duplicate: false, paid: 10000, balancing: [] })
          const claim = Option.getOrThrow(yield* withCaller(world.store.claims.get(id as never)))
          expect(claim).toMatchObject({ status: "paid", balance: 0, payerClaimNumber: "PCN-1" })
          expect(yield* withCaller(world.store.patientLedger.balance(world.refs.patientId))).toBe(3000)

          const again = yield* inWorld(world)(Billing.postRemittance(first))
          expect(again).toMatchObject({ duplicate: true, remittanceId: report.remittanceId })
          expect(yield* withCaller(world.store.remittances.postings({ claimId: id as never }))).toHaveLength(3)

          const corrected = yield* inWorld(world)(
            Billing.postRemittance(
              advice("b", [
                clp(id, "22", -15000, -10000, [
                  { group: "CO", reason: "45", amount: m(-2000) },
                  { group: "PR", reason: "3", amount: m(-3000) }
                ]),
                clp(id, "1", 15000, 12000, [{ group: "CO", reason: "45", amount: m(3000) }])
              ])
            )
          )
          expect(corrected.reversals).toEqual([{ claimId: id, paymentUndone: 10000, nothing: false }])
          const after = Option.getOrThrow(yield* withCaller(world.store.claims.get(id as never)))
          expect(after).toMatchObject({ status: "paid", balance: 0 })
          expect(yield* withCaller(world.store.patientLedger.balance(world.refs.patientId))).toBe(0)
        }),
      60_000
    )
  }
)
