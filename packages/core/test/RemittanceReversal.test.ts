/**
 * A reversal or correction that names the original claim only by the payer's claim control number (CLP07): found
 * through `Store.claims.findByPayerClaimNumber` and undone; an ambiguous or unknown number posts nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Billing, type DateOfService, type Ids, type Money, type RemittanceAdvice } from "@openrcm/core"
import { Effect } from "effect"
import { getClaim, inWorld, makeWorld, type World } from "./ClaimSubmission.support.js"
import * as F from "./store/fixtures.js"

const m = (cents: number) => cents as Money.Money
let hashes = 0
const hash = () => `ab${(hashes++).toString(16).padStart(62, "0")}`

const clp = (
  id: string,
  status: string,
  charge: number,
  paid: number,
  over: Partial<RemittanceAdvice.ClaimPayment> = {}
): RemittanceAdvice.ClaimPayment => ({
  patientControlNumber: id,
  status,
  charge: m(charge),
  paid: m(paid),
  adjustments: [],
  remarks: [],
  lines: [],
  ...over
})

const advice = (claims: ReadonlyArray<RemittanceAdvice.ClaimPayment>): RemittanceAdvice.RemittanceAdvice => ({
  contentHash: hash(),
  payer: { name: "ACME HEALTH", id: "1999999999" },
  payee: { name: "PRACTICE", npi: "1234567893" },
  payment: {
    handling: "I",
    method: "ACH",
    amount: m(claims.reduce((sum, c) => sum + c.paid, 0)),
    date: "2025-04-01" as DateOfService.DateOfService,
    traceNumber: "EFT-1"
  },
  claims,
  providerAdjustments: []
})

const post = (world: World, a: RemittanceAdvice.RemittanceAdvice) => inWorld(world)(Billing.postRemittance(a))

const seed = (world: World, over: Parameters<typeof F.claim>[1] = {}) =>
  Effect.gen(function* () {
    const claim = F.claim(world.tenant, { status: "accepted", ...world.refs, ...over })
    yield* inWorld(world)(world.store.claims.create([claim]))
    return claim
  })

const postingsOf = (world: World, id: Ids.ClaimId) => inWorld(world)(world.store.remittances.postings({ claimId: id }))

const net = (rows: ReadonlyArray<{ readonly amount: number }>) => rows.reduce((sum, row) => sum + row.amount, 0)

describe("Billing.postRemittance: reversals by the payer's claim number", () => {
  it.effect("a reversal whose CLP01 names nothing but whose CLP07 names a posted claim undoes its postings", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world)
      const bystander = yield* seed(world)
      const adjustments = [
        { group: "CO", reason: "45", amount: m(2000) },
        { group: "PR", reason: "2", amount: m(3000) }
      ]
      yield* post(
        world,
        advice([
          clp(claim.id, "1", 15000, 10000, { payerClaimNumber: "ICN-7001", adjustments }),
          clp(bystander.id, "1", 15000, 15000, { payerClaimNumber: "ICN-7002" })
        ])
      )
      expect(yield* getClaim(world, claim.id)).toMatchObject({
        status: "paid",
        balance: 0,
        payerClaimNumber: "ICN-7001"
      })

      // The payer reverses with its own control number in CLP01; only CLP07 names our claim.
      const report = yield* post(
        world,
        advice([
          clp("PAYER-REF-99", "22", -15000, -10000, {
            payerClaimNumber: "ICN-7001",
            adjustments: adjustments.map((a) => ({ ...a, amount: m(-a.amount) }))
          })
        ])
      )
      expect(report.unmatched).toEqual([])
      expect(report.matched).toEqual([
        { patientControlNumber: "PAYER-REF-99", claimId: claim.id, by: "candidates", status: "22" }
      ])
      expect(report.reversals).toEqual([{ claimId: claim.id, paymentUndone: 10000, nothing: false }])
      expect(report.paid).toBe(-10000)
      expect(yield* getClaim(world, claim.id)).toMatchObject({ balance: 15000 })
      const postings = yield* postingsOf(world, claim.id)
      for (const kind of ["payment", "contractual", "patient-responsibility"]) {
        expect(net(postings.filter((p) => p.kind === kind))).toBe(0)
      }
      const ledger = yield* inWorld(world)(world.store.patientLedger.forPatient(world.refs.patientId))
      expect(net(ledger.filter((e) => e.claimId === claim.id))).toBe(0)
      // The other claim is untouched.
      expect(yield* getClaim(world, bystander.id)).toMatchObject({ status: "paid", balance: 0 })
      expect(net(yield* postingsOf(world, bystander.id))).toBe(15000)
    })
  )

  it.effect("a number two claims carry is not a match (listed as candidates); an unknown number is unmatched", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const first = yield* seed(world, { payerClaimNumber: "ICN-SHARED" })
      const second = yield* seed(world, { payerId: F.payerId(), payerClaimNumber: "ICN-SHARED" })
      const report = yield* post(
        world,
        advice([
          clp("PAYER-REF-1", "22", -15000, -15000, { payerClaimNumber: "ICN-SHARED" }),
          clp("PAYER-REF-2", "22", -15000, -15000, { payerClaimNumber: "ICN-NOWHERE" })
        ])
      )
      expect(report.matched).toEqual([])
      expect(report.reversals).toEqual([])
      expect(report.unmatched.map((u) => u.patientControlNumber)).toEqual(["PAYER-REF-1", "PAYER-REF-2"])
      const [shared, nowhere] = report.unmatched
      expect(shared?.candidates.map((c) => c.claimId).sort()).toEqual([first.id, second.id].sort())
      for (const candidate of shared?.candidates ?? []) expect(candidate.matches).toContain("payer-claim-number")
      expect(nowhere?.candidates).toEqual([])
      expect(yield* postingsOf(world, first.id)).toEqual([])
      expect(yield* postingsOf(world, second.id)).toEqual([])
    })
  )
})
