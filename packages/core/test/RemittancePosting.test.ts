/**
 * Posting a remittance advice on the in-memory store: every posting rule, matching and its fallback, reversals and
 * corrections, PLB, balancing, duplicates, and processResponses posting a remittance response.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Billing,
  type Caller,
  type Claim,
  type Clearinghouse,
  type DateOfService,
  type Ids,
  type Money,
  type RemittanceAdvice,
  RemittancePosting,
  type RuleSet,
  type Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Option } from "effect"
import { answering, inMemoryClearinghouse, inWorld, makeWorld, type World } from "./ClaimSubmission.support.js"
import * as F from "./store/fixtures.js"

const m = (cents: number) => cents as Money.Money
const d = (date: string) => date as DateOfService.DateOfService
let hashes = 0
const hash = () => (hashes++).toString(16).padStart(64, "0")

type Adj = RemittanceAdvice.Adjustment
const cas = (group: string, reason: string, amount: number): Adj => ({ group, reason, amount: m(amount) })

const svc = (
  code: string,
  charge: number,
  paid: number,
  adjustments: ReadonlyArray<Adj>,
  over: Partial<RemittanceAdvice.ServiceLine> = {}
): RemittanceAdvice.ServiceLine => ({
  procedure: { code, modifiers: [] },
  charge: m(charge),
  paid: m(paid),
  units: 1,
  adjustments,
  remarks: [],
  ...over
})

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
  payerClaimNumber: `PCN-${id}`,
  adjustments: [],
  remarks: [],
  lines: [],
  ...over
})

const advice = (
  claims: ReadonlyArray<RemittanceAdvice.ClaimPayment>,
  over: Partial<RemittanceAdvice.RemittanceAdvice> = {}
): RemittanceAdvice.RemittanceAdvice => {
  const plb = over.providerAdjustments ?? []
  const amount = claims.reduce((s, c) => s + c.paid, 0) - plb.reduce((s, p) => s + p.amount, 0)
  return {
    contentHash: hash(),
    payer: { name: "ACME HEALTH", id: "1999999999" },
    payee: { name: "PRACTICE", npi: "1234567893" },
    payment: { handling: "I", method: "ACH", amount: m(amount), date: d("2025-04-01"), traceNumber: "EFT-1" },
    claims,
    providerAdjustments: plb,
    ...over
  }
}

const run =
  (world: World) =>
  <A, E>(effect: Effect.Effect<A, E, Store.Store | Clearinghouse.Clearinghouse | Caller.Caller | RuleSet.RulePacks>) =>
    inWorld(world)(effect)

const seed = (world: World, over: Parameters<typeof F.claim>[1] = {}) =>
  Effect.gen(function* () {
    const claim = F.claim(world.tenant, { status: "accepted", ...world.refs, ...over })
    yield* run(world)(world.store.claims.create([claim]))
    return claim
  })

const claimOf = (world: World, id: Ids.ClaimId) =>
  Effect.map(run(world)(world.store.claims.get(id)), (found) => Option.getOrThrow(found))

/** Rows in a stable order (the store lists postings by id). */
const sorted = <A>(rows: ReadonlyArray<A>): Array<A> =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0))

const ledgerOf = (world: World) => run(world)(world.store.patientLedger.forPatient(world.refs.patientId))

const post = (world: World, a: RemittanceAdvice.RemittanceAdvice) => run(world)(Billing.postRemittance(a))

const twoLines = {
  lines: [
    {
      code: "90834",
      modifiers: [],
      units: 1,
      charge: 15000,
      dateOfService: "2025-03-04",
      placeOfService: "11",
      diagnosisPointers: [1]
    },
    {
      code: "90785",
      modifiers: [],
      units: 1,
      charge: 5000,
      dateOfService: "2025-03-04",
      placeOfService: "11",
      diagnosisPointers: [1]
    }
  ],
  charge: 20000,
  balance: 20000
}

describe("Billing.postRemittance", () => {
  it.effect("line-level: payment, CO-45, PR-1/2/3 to the patient ledger by bucket; the claim is paid", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world, twoLines)
      const a = advice([
        clp(claim.id, "1", 20000, 9000, {
          lines: [
            svc("90834", 15000, 8000, [cas("CO", "45", 3000), cas("PR", "1", 2000), cas("PR", "2", 2000)], {
              controlNumber: "1"
            }),
            svc("90785", 5000, 1000, [cas("CO", "45", 1000), cas("PR", "3", 3000)], { controlNumber: "2" })
          ]
        })
      ])
      const report = yield* post(world, a)
      expect(report.duplicate).toBe(false)
      expect(report.matched).toEqual([
        { patientControlNumber: claim.id, claimId: claim.id, by: "claim-id", status: "1" }
      ])
      expect(report.paid).toBe(9000)
      expect(report.adjusted).toEqual({ CO: 4000, PR: 7000 })
      expect(report.patientResponsibility).toEqual({ deductible: 2000, coinsurance: 2000, copay: 3000, other: 0 })
      expect(report.balancing).toEqual([])
      expect(report.claims).toEqual([
        expect.objectContaining({ claimId: claim.id, from: "accepted", to: "paid", move: "moved", balance: 0 })
      ])
      const stored = yield* claimOf(world, claim.id)
      expect(stored.status).toBe("paid")
      expect(stored.balance).toBe(0)
      expect(stored.payerClaimNumber).toBe(`PCN-${claim.id}`)
      const postings = yield* run(world)(world.store.remittances.postings({ claimId: claim.id }))
      expect(sorted(postings.map((p) => [p.line, p.kind, p.group, p.reason, p.amount]))).toEqual(
        sorted([
          [0, "payment", undefined, undefined, 8000],
          [0, "contractual", "CO", "45", 3000],
          [0, "patient-responsibility", "PR", "1", 2000],
          [0, "patient-responsibility", "PR", "2", 2000],
          [1, "payment", undefined, undefined, 1000],
          [1, "contractual", "CO", "45", 1000],
          [1, "patient-responsibility", "PR", "3", 3000]
        ])
      )
      const ledger = yield* ledgerOf(world)
      expect(ledger.map((e) => [e.kind, e.amount]).sort()).toEqual([
        ["coinsurance", 2000],
        ["copay", 3000],
        ["deductible", 2000]
      ])
      expect(yield* run(world)(world.store.patientLedger.balance(world.refs.patientId))).toBe(7000)
      // The remittance is recorded for reconciliation with the deposit.
      const remittance = Option.getOrThrow(yield* run(world)(world.store.remittances.get(report.remittanceId)))
      expect(remittance).toMatchObject({ traceNumber: "EFT-1", paymentAmount: 9000, paymentMethod: "ACH" })
    })
  )

  it.effect("claim-level (no SVC): CLP04 paid, OA-23 and PI adjustments; a balance left is partially paid", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world, { balance: 15000 })
      const report = yield* post(
        world,
        advice([clp(claim.id, "2", 15000, 10000, { adjustments: [cas("OA", "23", 4000), cas("PI", "94", 1000)] })])
      )
      expect(report.paid).toBe(10000)
      expect(report.adjusted).toEqual({ OA: 4000, PI: 1000 })
      const postings = yield* run(world)(world.store.remittances.postings({ claimId: claim.id }))
      expect(sorted(postings.map((p) => [p.line, p.kind, p.group]))).toEqual(
        sorted([
          [undefined, "payment", undefined],
          [undefined, "other", "OA"],
          [undefined, "payer-initiated", "PI"]
        ])
      )
      expect((yield* claimOf(world, claim.id)).status).toBe("paid")
      // A claim already partly paid by another payer: its balance is left.
      const other = yield* seed(world, { balance: 20000, charge: 20000 })
      const second = yield* post(world, advice([clp(other.id, "1", 15000, 15000)]))
      expect(second.claims[0]).toMatchObject({ to: "partially-paid", balance: 5000 })
    })
  )

  it.effect("denied (CLP02 4) and a denied line: listed with their CAS for the denial work queue", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const denied = yield* seed(world)
      const partial = yield* seed(world, twoLines)
      const report = yield* post(
        world,
        advice([
          clp(denied.id, "4", 15000, 0, { adjustments: [cas("CO", "16", 15000)], remarks: ["M51"] }),
          clp(partial.id, "1", 20000, 12000, {
            lines: [
              svc("90834", 15000, 12000, [cas("CO", "45", 3000)]),
              svc("90785", 5000, 0, [cas("CO", "197", 5000)], { remarks: ["N54"] })
            ]
          })
        ])
      )
      expect(report.denied).toEqual([
        {
          claimId: denied.id,
          status: "4",
          payerClaimNumber: `PCN-${denied.id}`,
          adjustments: [{ group: "CO", reason: "16", amount: 15000 }],
          remarks: ["M51"]
        },
        {
          claimId: partial.id,
          line: 1,
          procedureCode: "90785",
          status: "1",
          payerClaimNumber: `PCN-${partial.id}`,
          adjustments: [{ group: "CO", reason: "197", amount: 5000 }],
          remarks: ["N54"]
        }
      ])
      expect((yield* claimOf(world, denied.id)).status).toBe("denied")
      expect((yield* claimOf(world, partial.id)).status).toBe("partially-paid")
      const history = yield* run(world)(world.store.claims.history(denied.id))
      expect(history.at(-1)?.reasons).toEqual(["835:4", "CO-16"])
      // Both denials are in the work queue, classified, with their deadline; the contractual CO-45 is not.
      expect(report.denials.map((outcome) => outcome._tag)).toEqual(["Recorded", "Recorded"])
      const queue = yield* run(world)(Billing.denialQueue({}))
      expect(queue.items.map((d) => [d.claimId, d.group, d.carc, d.amount, d.category]).sort()).toEqual(
        [
          [denied.id, "CO", "16", 15000, "coding"],
          [partial.id, "CO", "197", 5000, "authorization"]
        ].sort()
      )
      expect(queue.items.every((d) => d.deadline !== undefined)).toBe(true)
    })
  )

  it.effect("the same 835 twice: the second is a duplicate and changes nothing", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world)
      const a = advice([clp(claim.id, "1", 15000, 12000, { adjustments: [cas("PR", "2", 3000)] })])
      const first = yield* post(world, a)
      const before = yield* claimOf(world, claim.id)
      const second = yield* post(world, a)
      expect(second).toMatchObject({ duplicate: true, remittanceId: first.remittanceId, paid: 0, claims: [] })
      expect(yield* claimOf(world, claim.id)).toEqual(before)
      expect(yield* run(world)(world.store.remittances.postings({ claimId: claim.id }))).toHaveLength(2)
      expect(yield* ledgerOf(world)).toHaveLength(1)
      // Even with the record bypassed, the posting ids collide: a Conflict, nothing written.
      const plan = RemittancePosting.plan(a, {
        remittanceId: first.remittanceId,
        tenantId: world.tenant,
        postedAt: 0 as never,
        claims: new Map([[claim.id, claim]]),
        priorPostings: new Map()
      })
      const conflict = yield* Effect.flip(run(world)(world.store.remittances.post(plan.postings)))
      expect(conflict.reason._tag).toBe("Conflict")
    })
  )

  it.effect("reversal (22) undoes the earlier posting; a corrected payment after it posts normally", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world)
      yield* post(
        world,
        advice([clp(claim.id, "1", 15000, 10000, { adjustments: [cas("CO", "45", 2000), cas("PR", "1", 3000)] })])
      )
      expect(yield* claimOf(world, claim.id)).toMatchObject({ status: "paid", balance: 0 })
      const report = yield* post(
        world,
        advice([
          clp(claim.id, "22", -15000, -10000, {
            adjustments: [cas("CO", "45", -2000), cas("PR", "1", -3000)]
          }),
          clp(claim.id, "1", 15000, 11000, { adjustments: [cas("CO", "45", 2000), cas("PR", "2", 2000)] })
        ])
      )
      expect(report.reversals).toEqual([{ claimId: claim.id, paymentUndone: 10000, nothing: false }])
      expect(report.paid).toBe(1000)
      const stored = yield* claimOf(world, claim.id)
      expect(stored).toMatchObject({ status: "paid", balance: 0 })
      const postings = yield* run(world)(world.store.remittances.postings({ claimId: claim.id }))
      const net = (kind: string) => postings.filter((p) => p.kind === kind).reduce((s, p) => s + p.amount, 0)
      expect([net("payment"), net("contractual"), net("patient-responsibility")]).toEqual([11000, 2000, 2000])
      const ledger = yield* ledgerOf(world)
      const byKind = (kind: string) => ledger.filter((e) => e.kind === kind).reduce((s, e) => s + e.amount, 0)
      expect([byKind("deductible"), byKind("coinsurance")]).toEqual([0, 2000])
    })
  )

  it.effect("a reversal alone restores the balance; the status stays", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world)
      yield* post(world, advice([clp(claim.id, "1", 15000, 15000)]))
      const report = yield* post(world, advice([clp(claim.id, "22", -15000, -15000)]))
      expect(report.claims[0]).toMatchObject({ move: "stay", balance: 15000, previousBalance: 0 })
      expect(yield* claimOf(world, claim.id)).toMatchObject({ status: "paid", balance: 15000 })
      // A reversal of a claim nothing was posted to says so.
      const fresh = yield* seed(world)
      const nothing = yield* post(world, advice([clp(fresh.id, "22", -15000, -15000)]))
      expect(nothing.reversals).toEqual([{ claimId: fresh.id, paymentUndone: 0, nothing: true }])
    })
  )

  it.effect("PLB posts to the organization; the transaction balances with it", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world)
      const a = advice([clp(claim.id, "1", 15000, 15000)], {
        providerAdjustments: [
          { reason: "WO", reference: "OLD-1", amount: m(2500) },
          { reason: "L6", amount: m(-300) }
        ]
      })
      expect(a.payment.amount).toBe(12800)
      const report = yield* post(world, a)
      expect(report.providerLevel).toEqual([
        { reason: "WO", reference: "OLD-1", amount: 2500 },
        { reason: "L6", reference: undefined, amount: -300 }
      ])
      expect(report.balancing).toEqual([])
      const postings = yield* run(world)(world.store.remittances.postings({ remittanceId: report.remittanceId }))
      expect(postings.filter((p) => p.kind === "provider-level").map((p) => [p.claimId, p.reason, p.amount])).toEqual([
        [undefined, "WO", 2500],
        [undefined, "L6", -300]
      ])
    })
  )

  it.effect("an unbalanced claim is not posted and reported; the transaction's imbalance is reported", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const good = yield* seed(world)
      const bad = yield* seed(world, twoLines)
      const a = advice(
        [
          clp(good.id, "1", 15000, 15000),
          clp(bad.id, "1", 20000, 15000, {
            lines: [svc("90834", 15000, 12000, [cas("CO", "45", 2000)]), svc("90785", 5000, 3000, [])]
          })
        ],
        {}
      )
      const report = yield* post(world, { ...a, payment: { ...a.payment, amount: m(29000) } })
      expect(report.balancing).toEqual([
        { _tag: "LineUnbalanced", claim: bad.id, service: 0, difference: 1000 },
        { _tag: "LineUnbalanced", claim: bad.id, service: 1, difference: 2000 },
        { _tag: "ClaimUnbalanced", claim: bad.id, difference: 3000 },
        { _tag: "TransactionUnbalanced", difference: 1000 }
      ])
      expect(yield* claimOf(world, bad.id)).toMatchObject({ status: "accepted", balance: 20000 })
      expect(yield* claimOf(world, good.id)).toMatchObject({ status: "paid", balance: 0 })
      expect(report.claims.map((c) => c.claimId)).toEqual([good.id])
    })
  )

  it.effect("fallback: no claim by CLP01 → the patient's claim with the same date and charge; else candidates", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const coverage = Option.getOrThrow(yield* run(world)(world.store.coverages.get(world.refs.coverageId)))
      const claim = yield* seed(world, { serviceDate: "2025-03-10" })
      const sameDay = yield* seed(world, { serviceDate: "2025-03-11" })
      const patient = { lastName: "DOE", memberId: coverage.memberId }
      const report = yield* post(
        world,
        advice([
          clp("UNKNOWN-1", "1", 15000, 15000, { patient, statementFrom: d("2025-03-10") }),
          clp("UNKNOWN-2", "1", 9900, 9900, { patient, statementFrom: d("2025-03-11") }),
          clp("UNKNOWN-3", "1", 15000, 15000, { statementFrom: d("2025-03-11") })
        ])
      )
      expect(report.matched).toEqual([
        { patientControlNumber: "UNKNOWN-1", claimId: claim.id, by: "candidates", status: "1" }
      ])
      expect(report.unmatched).toEqual([
        {
          patientControlNumber: "UNKNOWN-2",
          paid: 9900,
          candidates: [{ claimId: sameDay.id, score: 3, matches: ["patient", "date"] }]
        },
        {
          patientControlNumber: "UNKNOWN-3",
          paid: 15000,
          candidates: [{ claimId: sameDay.id, score: 4, matches: ["date", "charge"] }]
        }
      ])
      expect((yield* claimOf(world, claim.id)).status).toBe("paid")
      expect((yield* claimOf(world, sameDay.id)).status).toBe("accepted")
    })
  )

  it.effect("lines match by code, modifiers and charge when there is no control number; unmatched lines reported", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world, twoLines)
      const report = yield* post(
        world,
        advice([
          clp(claim.id, "1", 20000, 20000, {
            lines: [svc("90785", 5000, 5000, []), svc("90834", 15000, 15000, []), svc("99999", 0, 0, [])]
          })
        ])
      )
      expect(report.unmatchedLines).toEqual([{ claimId: claim.id, service: 2, procedureCode: "99999" }])
      const postings = yield* run(world)(world.store.remittances.postings({ claimId: claim.id }))
      expect(sorted(postings.map((p) => [p.line, p.amount]))).toEqual(
        sorted([
          [1, 5000],
          [0, 15000]
        ])
      )
    })
  )

  it.effect("an illegal move is reported and the money still posted", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seed(world, { status: "draft" })
      const report = yield* post(world, advice([clp(claim.id, "1", 15000, 15000)]))
      expect(report.claims[0]).toMatchObject({ from: "draft", to: "paid", move: "illegal", balance: 0 })
      expect(yield* claimOf(world, claim.id)).toMatchObject({ status: "draft", balance: 0 })
    })
  )

  it.effect("processResponses posts a remittance response and acknowledges it; the same again is a duplicate", () =>
    Effect.gen(function* () {
      const base = yield* makeWorld(yield* inMemoryClearinghouse(), yield* InMemoryStore.make)
      const claim = yield* seed(base)
      const response: Clearinghouse.Response = {
        _tag: "Remittance",
        id: "835-a",
        advice: advice([clp(claim.id, "1", 15000, 15000)])
      }
      const scripted = answering(base.clearinghouse, [response])
      const processed = yield* run({ ...base, clearinghouse: scripted.clearinghouse })(Billing.processResponses())
      expect(processed.acknowledged).toEqual(["835-a"])
      expect(processed.responses[0]).toMatchObject({ _tag: "Posted", report: { duplicate: false, paid: 15000 } })
      expect((yield* claimOf(base, claim.id)) satisfies Claim.Claim).toMatchObject({ status: "paid" })
      const again = answering(base.clearinghouse, [response])
      const replayed = yield* run({ ...base, clearinghouse: again.clearinghouse })(Billing.processResponses())
      expect(replayed.responses[0]).toMatchObject({ _tag: "Posted", report: { duplicate: true } })
    })
  )
})
