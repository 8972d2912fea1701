/**
 * Coordination of benefits on the in-memory store: the primary's 835 posted with its patient responsibility held for
 * the next payer, the secondary claim built from the postings (idempotently), the tertiary after the secondary, and
 * only the last payer's patient responsibility on the patient's ledger. Plus the pure rules of
 * `CoordinationOfBenefits`.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Billing,
  BillingRuntime,
  type Claim,
  CoordinationOfBenefits,
  type Coverage,
  type DateOfService,
  type Ids,
  type Money,
  type Remittance,
  type RemittanceAdvice
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Option } from "effect"
import { inWorld, makeWorld, type World } from "./ClaimSubmission.support.js"
import * as F from "./store/fixtures.js"

const m = (cents: number) => cents as Money.Money
const d = (date: string) => date as DateOfService.DateOfService
let hashes = 0
const hash = () => `c0b${(hashes++).toString(16).padStart(61, "0")}`

type Adj = RemittanceAdvice.Adjustment
const cas = (group: string, reason: string, amount: number): Adj => ({ group, reason, amount: m(amount) })

const svc = (
  code: string,
  charge: number,
  paid: number,
  adjustments: ReadonlyArray<Adj>,
  controlNumber: string
): RemittanceAdvice.ServiceLine => ({
  procedure: { code, modifiers: [] },
  charge: m(charge),
  paid: m(paid),
  units: 1,
  adjustments,
  remarks: [],
  controlNumber
})

const clp = (
  id: string,
  status: string,
  paid: number,
  lines: ReadonlyArray<RemittanceAdvice.ServiceLine>
): RemittanceAdvice.ClaimPayment => ({
  patientControlNumber: id,
  status,
  charge: m(lines.reduce((s, l) => s + l.charge, 0)),
  paid: m(paid),
  payerClaimNumber: `PCN-${id}`,
  adjustments: [],
  remarks: [],
  lines
})

const advice = (claim: RemittanceAdvice.ClaimPayment, date = "2025-04-01"): RemittanceAdvice.RemittanceAdvice => ({
  contentHash: hash(),
  payer: { name: "PAYER", id: "1999999999" },
  payee: { name: "PRACTICE", npi: "1234567893" },
  payment: { handling: "I", method: "ACH", amount: claim.paid, date: d(date), traceNumber: `EFT-${hashes}` },
  claims: [claim],
  providerAdjustments: []
})

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

/** The primary's answer: paid 90.00; CO-45 40.00; PR-1 20.00, PR-2 20.00, PR-3 30.00 (70.00 left to the patient). */
const primaryAnswer = (id: string) =>
  clp(id, "1", 9000, [
    svc("90834", 15000, 8000, [cas("CO", "45", 3000), cas("PR", "1", 2000), cas("PR", "2", 2000)], "1"),
    svc("90785", 5000, 1000, [cas("CO", "45", 1000), cas("PR", "3", 3000)], "2")
  ])

/** A next payer's answer: the prior payers' share as OA-23, then it pays all but `left` of the rest (PR-2). */
const nextAnswer = (id: string, status: string, left: readonly [number, number]) =>
  clp(id, status, 4000 - left[0] + 3000 - left[1], [
    svc("90834", 15000, 4000 - left[0], [cas("OA", "23", 11000), cas("PR", "2", left[0])], "1"),
    svc("90785", 5000, 3000 - left[1], [cas("OA", "23", 2000), cas("PR", "2", left[1])], "2")
  ])

const run = (world: World) => inWorld(world)

const addCoverage = (world: World, order: 2 | 3, over: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const payer = F.payer(world.tenant, {
      name: order === 2 ? "Second Health" : "Third Health",
      x12PayerId: `P${order}`
    })
    const coverage = F.coverage(world.tenant, { patientId: world.refs.patientId, payerId: payer.id, order, ...over })
    yield* run(world)(world.store.payers.put(payer))
    yield* run(world)(world.store.coverages.put(coverage))
    return coverage
  })

const seed = (world: World) =>
  Effect.gen(function* () {
    const claim = F.claim(world.tenant, { status: "accepted", ...world.refs, ...twoLines })
    yield* run(world)(world.store.claims.create([claim]))
    return claim
  })

const ledger = (world: World) =>
  Effect.map(run(world)(world.store.patientLedger.forPatient(world.refs.patientId)), (entries) =>
    entries.map((e) => [e.claimId, e.kind, e.amount]).sort()
  )

const claimOf = (world: World, id: Ids.ClaimId) =>
  Effect.map(run(world)(world.store.claims.get(id)), (found) => Option.getOrThrow(found))

const asOf = d("2025-04-10")

/** Moves a built claim as submission and the payer's acceptance would. */
const accept = (world: World, id: Ids.ClaimId) =>
  Effect.gen(function* () {
    let claim = yield* claimOf(world, id)
    for (const to of ["submitted", "accepted"] as const) {
      claim = yield* run(world)(world.store.claims.transition(id, { to, expectedVersion: claim.version }))
    }
  })

describe("Billing.buildSecondaryClaims", () => {
  it.effect("the primary's PR waits for the secondary; the secondary claim carries the primary's adjudication", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const secondary = yield* addCoverage(world, 2)
      const primary = yield* seed(world)
      const posted = yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
      // The payer's word is reported and posted to the claim, but nothing reaches the patient's ledger yet.
      expect(posted.patientResponsibility).toEqual({ deductible: 2000, coinsurance: 2000, copay: 3000, other: 0 })
      expect(yield* ledger(world)).toEqual([])
      const paid = yield* claimOf(world, primary.id)
      expect([paid.status, paid.balance]).toEqual(["paid", 0])

      const report = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      expect(report.skipped).toEqual([])
      expect(report.created.map((c) => c.id)).toEqual([`${primary.id}-cob2`])
      const built = report.created[0] as Claim.Claim
      expect(built).toMatchObject({
        patientId: primary.patientId,
        coverageId: secondary.id,
        payerId: secondary.payerId,
        frequency: "1",
        charge: 20000,
        balance: 20000,
        lines: primary.lines,
        diagnoses: primary.diagnoses
      })
      expect(built.payerClaimNumber).toBeUndefined()
      expect(built.priorPayers).toEqual([
        {
          claimId: primary.id,
          coverageId: primary.coverageId,
          payerId: primary.payerId,
          order: 1,
          payerClaimNumber: `PCN-${primary.id}`,
          adjudicatedOn: "2025-04-01",
          paid: 9000,
          adjustments: [],
          lines: [
            {
              line: 0,
              paid: 8000,
              adjustments: [
                { group: "CO", reason: "45", amount: 3000 },
                { group: "PR", reason: "1", amount: 2000 },
                { group: "PR", reason: "2", amount: 2000 }
              ]
            },
            {
              line: 1,
              paid: 1000,
              adjustments: [
                { group: "CO", reason: "45", amount: 1000 },
                { group: "PR", reason: "3", amount: 3000 }
              ]
            }
          ]
        }
      ])
      // Scrubbed clean (the primary's lines are not duplicates of it): ready for submitClaims.
      expect(report.scrubbed).toEqual([
        expect.objectContaining({ _tag: "Scrubbed", claimId: built.id, status: "ready" })
      ])
      const stored = yield* claimOf(world, built.id)
      expect(stored.status).toBe("ready")
      expect(stored.priorPayers).toEqual(built.priorPayers)
      const submitted = yield* run(world)(Billing.submitClaims([built.id]))
      expect(submitted.claims).toEqual([expect.objectContaining({ _tag: "Queued", claimId: built.id })])
    })
  )

  it.effect("building again changes nothing: the same id is found, not duplicated", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      yield* addCoverage(world, 2)
      const primary = yield* seed(world)
      yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
      const first = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      const second = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      const third = yield* run(world)(Billing.buildSecondaryClaims({ claimIds: [primary.id], asOf }))
      expect(first.created).toHaveLength(1)
      for (const again of [second, third]) {
        expect(again.created).toEqual([])
        expect(again.scrubbed).toEqual([])
        expect(again.existing).toEqual([{ claimId: `${primary.id}-cob2`, from: primary.id }])
      }
      const all = yield* run(world)(world.store.claims.query({ patientId: world.refs.patientId }))
      expect(all.items.map((c) => c.id).sort()).toEqual([primary.id, `${primary.id}-cob2`].sort())
    })
  )

  it.effect("no further coverage: no claim, and the primary's PR goes straight to the patient's ledger", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      // A secondary that lapsed before the date of service is not next.
      yield* addCoverage(world, 2, { period: { start: "2024-01-01", end: "2025-02-28" } })
      const primary = yield* seed(world)
      yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
      expect(yield* ledger(world)).toEqual(
        [
          [primary.id, "deductible", 2000],
          [primary.id, "coinsurance", 2000],
          [primary.id, "copay", 3000]
        ].sort()
      )
      const scan = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      expect(scan).toEqual({ created: [], existing: [], skipped: [], scrubbed: [] })
      const asked = yield* run(world)(Billing.buildSecondaryClaims({ claimIds: [primary.id], asOf }))
      expect(asked.skipped).toEqual([{ _tag: "NoNextCoverage", claimId: primary.id }])
    })
  )

  it.effect(
    "a coverage added after the primary was posted: its PR moves off the patient's ledger to the secondary",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld()
        const primary = yield* seed(world)
        yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
        const balance = run(world)(world.store.patientLedger.balance(world.refs.patientId))
        expect(yield* balance).toBe(7000)
        yield* addCoverage(world, 2)
        const built = (yield* run(world)(Billing.buildSecondaryClaims({ asOf }))).created[0] as Claim.Claim
        expect(yield* balance).toBe(0)
        expect((yield* ledger(world)).filter(([, kind]) => kind === "adjustment")).toEqual([
          [primary.id, "adjustment", -7000]
        ])
        // Building again moves nothing more.
        yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
        expect(yield* balance).toBe(0)
        yield* accept(world, built.id)
        yield* run(world)(Billing.postRemittance(advice(nextAnswer(built.id, "2", [800, 0]), "2025-04-20")))
        expect(yield* balance).toBe(800)
      })
  )

  it.effect("a claim not adjudicated yet, or one the payer left nothing to the patient on, gives no claim", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      yield* addCoverage(world, 2)
      const waiting = yield* seed(world)
      const fullyPaid = yield* seed(world)
      yield* run(world)(
        Billing.postRemittance(
          advice(
            clp(fullyPaid.id, "1", 16000, [
              svc("90834", 15000, 12000, [cas("CO", "45", 3000)], "1"),
              svc("90785", 5000, 4000, [cas("CO", "45", 1000)], "2")
            ])
          )
        )
      )
      const report = yield* run(world)(Billing.buildSecondaryClaims({ claimIds: [waiting.id, fullyPaid.id], asOf }))
      expect(report.created).toEqual([])
      expect(report.skipped).toEqual([
        { _tag: "NotAdjudicated", claimId: waiting.id, status: "accepted" },
        { _tag: "NothingForNextPayer", claimId: fullyPaid.id }
      ])
    })
  )

  it.effect("denied with patient responsibility goes to the next payer; denied with CO only does not", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      yield* addCoverage(world, 2)
      const notCovered = yield* seed(world)
      const missingInfo = yield* seed(world)
      // Not a covered benefit of the primary (PR-204): the whole charge is the patient's, or the secondary's.
      yield* run(world)(
        Billing.postRemittance(
          advice(
            clp(notCovered.id, "4", 0, [
              svc("90834", 15000, 0, [cas("PR", "204", 15000)], "1"),
              svc("90785", 5000, 0, [cas("PR", "204", 5000)], "2")
            ])
          )
        )
      )
      yield* run(world)(
        Billing.postRemittance(
          advice(
            clp(missingInfo.id, "4", 0, [
              svc("90834", 15000, 0, [cas("CO", "16", 15000)], "1"),
              svc("90785", 5000, 0, [cas("CO", "16", 5000)], "2")
            ])
          )
        )
      )
      expect((yield* claimOf(world, notCovered.id)).status).toBe("denied")
      expect(yield* ledger(world)).toEqual([])
      const report = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      expect(report.created.map((c) => c.id)).toEqual([`${notCovered.id}-cob2`])
      expect(report.created[0]?.priorPayers?.[0]?.paid).toBe(0)
      expect(report.skipped).toEqual([{ _tag: "NothingForNextPayer", claimId: missingInfo.id }])
    })
  )

  it.effect("two plans of the same payer: the primary's claim is not a duplicate of its secondary", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const coverage = F.coverage(world.tenant, {
        patientId: world.refs.patientId,
        payerId: world.refs.payerId,
        order: 2
      })
      yield* run(world)(world.store.coverages.put(coverage))
      const primary = yield* seed(world)
      yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
      const report = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
      expect(report.created.map((c) => [c.payerId, c.coverageId])).toEqual([[world.refs.payerId, coverage.id]])
      const [scrubbed] = report.scrubbed
      expect(scrubbed?._tag === "Scrubbed" && scrubbed.result.findings.map((f) => f.edit)).not.toContain("duplicate")
      expect(scrubbed).toEqual(expect.objectContaining({ status: "ready" }))
    })
  )

  it.effect(
    "tertiary: built after the secondary with both prior payers; only the last payer's PR is the patient's",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld()
        const secondary = yield* addCoverage(world, 2)
        const tertiary = yield* addCoverage(world, 3)
        const primary = yield* seed(world)
        yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
        const second = yield* run(world)(Billing.buildSecondaryClaims({ asOf }))
        const secondId = (second.created[0] as Claim.Claim).id
        expect((second.created[0] as Claim.Claim).coverageId).toBe(secondary.id)
        yield* accept(world, secondId)
        // The secondary leaves 10.00 + 5.00: it still goes to the tertiary, not the patient.
        const secondPosted = yield* run(world)(
          Billing.postRemittance(advice(nextAnswer(secondId, "2", [1000, 500]), "2025-04-20"))
        )
        expect(secondPosted.balancing).toEqual([])
        expect(yield* ledger(world)).toEqual([])
        const secondPaid = yield* claimOf(world, secondId)
        expect([secondPaid.status, secondPaid.balance]).toEqual(["paid", 0])

        const third = yield* run(world)(Billing.buildSecondaryClaims({ asOf: d("2025-04-25") }))
        expect(third.existing).toEqual([{ claimId: secondId, from: primary.id }])
        expect(third.created.map((c) => c.id)).toEqual([`${secondId}-cob3`])
        const built = third.created[0] as Claim.Claim
        expect(built.coverageId).toBe(tertiary.id)
        expect(built.priorPayers?.map((p) => [p.claimId, p.order, p.paid, p.adjudicatedOn])).toEqual([
          [primary.id, 1, 9000, "2025-04-01"],
          [secondId, 2, 5500, "2025-04-20"]
        ])
        expect(built.priorPayers?.[1]?.lines).toEqual([
          {
            line: 0,
            paid: 3000,
            adjustments: [
              { group: "OA", reason: "23", amount: 11000 },
              { group: "PR", reason: "2", amount: 1000 }
            ]
          },
          {
            line: 1,
            paid: 2500,
            adjustments: [
              { group: "OA", reason: "23", amount: 2000 },
              { group: "PR", reason: "2", amount: 500 }
            ]
          }
        ])
        yield* accept(world, built.id)
        // The tertiary is the last payer: what it leaves (2.00 + 1.00) is the patient's.
        yield* run(world)(
          Billing.postRemittance(
            advice(
              clp(built.id, "3", 1500 - 300, [
                svc("90834", 15000, 1000 - 200, [cas("OA", "23", 14000), cas("PR", "2", 200)], "1"),
                svc("90785", 5000, 500 - 100, [cas("OA", "23", 4500), cas("PR", "2", 100)], "2")
              ]),
              "2025-05-02"
            )
          )
        )
        expect(yield* ledger(world)).toEqual(
          [
            [built.id, "coinsurance", 200],
            [built.id, "coinsurance", 100]
          ].sort()
        )
        // Nothing further: the tertiary is the last.
        const after = yield* run(world)(Billing.buildSecondaryClaims({ asOf: d("2025-05-05") }))
        expect(after.created).toEqual([])
      })
  )

  it.effect("the secondary is the last payer: its PR reaches the patient's ledger, the primary's never does", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      yield* addCoverage(world, 2)
      const primary = yield* seed(world)
      yield* run(world)(Billing.postRemittance(advice(primaryAnswer(primary.id))))
      const built = (yield* run(world)(Billing.buildSecondaryClaims({ asOf }))).created[0] as Claim.Claim
      yield* accept(world, built.id)
      yield* run(world)(Billing.postRemittance(advice(nextAnswer(built.id, "2", [800, 0]), "2025-04-20")))
      expect(yield* ledger(world)).toEqual([[built.id, "coinsurance", 800]])
      expect(yield* run(world)(world.store.patientLedger.balance(world.refs.patientId))).toBe(800)
    })
  )
})

describe("BillingRuntime.buildSecondaryClaims", () => {
  it("runs the operation for the caller as a Promise", async () => {
    const runtime = BillingRuntime.make(InMemoryStore.layer)
    const caller = { tenantId: F.tenantId(), actor: "user:biller", purpose: "payment" } as const
    expect(await runtime.buildSecondaryClaims(caller)).toEqual({ created: [], existing: [], skipped: [], scrubbed: [] })
    const unknown = F.claimId()
    expect((await runtime.buildSecondaryClaims(caller, { claimIds: [unknown] })).skipped).toEqual([
      { _tag: "NotFound", claimId: unknown }
    ])
    await runtime.dispose()
  })
})

describe("CoordinationOfBenefits", () => {
  const tenant = F.tenantId()
  const patientId = F.patientId()
  const cov = (order: 1 | 2 | 3, over: Record<string, unknown> = {}): Coverage.Coverage =>
    F.coverage(tenant, { patientId, order, ...over })
  const claimFor = (coverage: Coverage.Coverage) =>
    F.claim(tenant, { status: "paid", patientId, coverageId: coverage.id, payerId: coverage.payerId, ...twoLines })
  const posting = (
    claim: Claim.Claim,
    line: number | undefined,
    kind: Remittance.PostingKind,
    amount: number,
    group?: string,
    reason?: string
  ): Remittance.Posting => ({
    id: F.postingId(),
    remittanceId: F.remittanceId(),
    claimId: claim.id,
    ...(line === undefined ? {} : { line }),
    kind,
    ...(group === undefined ? {} : { group, reason: reason ?? "" }),
    amount: m(amount),
    postedAt: 1 as never
  })

  it("nextCoverage: the lowest order above the claim's, in force on every date of service", () => {
    const primary = cov(1)
    const tertiary = cov(3)
    const secondary = cov(2)
    const lapsed = cov(2, { period: { start: "2025-01-01", end: "2025-03-03" } })
    const claim = claimFor(primary)
    expect(CoordinationOfBenefits.nextCoverage(claim, [tertiary, primary, secondary])?.id).toBe(secondary.id)
    expect(CoordinationOfBenefits.nextCoverage(claim, [primary, lapsed, tertiary])?.id).toBe(tertiary.id)
    expect(CoordinationOfBenefits.nextCoverage(claimFor(tertiary), [primary, secondary, tertiary])).toBeUndefined()
    // The claim's coverage unknown: no next.
    expect(CoordinationOfBenefits.nextCoverage(claim, [secondary])).toBeUndefined()
    expect(CoordinationOfBenefits.hasNextPayer(claim, [primary])).toBe(false)
  })

  it("claimIdFor: stable, at most 38 characters", () => {
    const short = "clm-1" as Ids.ClaimId
    expect(CoordinationOfBenefits.claimIdFor(short, 2)).toBe("clm-1-cob2")
    const long = "x".repeat(36) as Ids.ClaimId
    const id = CoordinationOfBenefits.claimIdFor(long, 3)
    expect(id.length).toBe(38)
    expect(id.endsWith("-cob3")).toBe(true)
    expect(CoordinationOfBenefits.claimIdFor(long, 3)).toBe(id)
    expect(CoordinationOfBenefits.claimIdFor(long, 2)).not.toBe(id)
  })

  it("adjudicationOf: a reversal and its correction count once; lines that do not add up fall back to claim level", () => {
    const primary = cov(1)
    const claim = claimFor(primary)
    const on = d("2025-04-01")
    const reversed = [
      posting(claim, 0, "payment", 8000),
      posting(claim, 0, "contractual", 7000, "CO", "45"),
      posting(claim, 0, "payment", -8000),
      posting(claim, 0, "contractual", -7000, "CO", "45"),
      posting(claim, 0, "payment", 9000),
      posting(claim, 0, "contractual", 3000, "CO", "45"),
      posting(claim, 0, "patient-responsibility", 3000, "PR", "2"),
      posting(claim, 1, "payment", 5000)
    ]
    const byLine = CoordinationOfBenefits.adjudicationOf(claim, primary, reversed, on)
    expect(byLine._tag === "Adjudicated" && byLine.payer.paid).toBe(14000)
    expect(byLine._tag === "Adjudicated" && byLine.payer.lines).toEqual([
      {
        line: 0,
        paid: 9000,
        adjustments: [
          { group: "CO", reason: "45", amount: 3000 },
          { group: "PR", reason: "2", amount: 3000 }
        ]
      },
      { line: 1, paid: 5000, adjustments: [] }
    ])
    // An SVC matched to no line was posted at claim level: the whole goes at claim level.
    const claimLevel = CoordinationOfBenefits.adjudicationOf(
      claim,
      primary,
      [
        posting(claim, undefined, "payment", 12000),
        posting(claim, undefined, "contractual", 5000, "CO", "45"),
        posting(claim, undefined, "other", 1000, "CR", "23"),
        posting(claim, 0, "patient-responsibility", 2000, "PR", "1")
      ],
      on
    )
    expect(claimLevel).toEqual({
      _tag: "Adjudicated",
      payer: expect.objectContaining({
        paid: 12000,
        lines: [],
        adjustments: [
          { group: "CO", reason: "45", amount: 5000 },
          { group: "OA", reason: "23", amount: 1000 },
          { group: "PR", reason: "1", amount: 2000 }
        ]
      })
    })
    const unbalanced = CoordinationOfBenefits.adjudicationOf(claim, primary, [posting(claim, 0, "payment", 100)], on)
    expect(unbalanced).toEqual({ _tag: "Unbalanced", claimId: claim.id, difference: 19900 })
  })

  it("build: a void or an unadjudicated claim gives nothing; the prior authorization is the prior payer's", () => {
    const primary = cov(1)
    const secondary = cov(2)
    const base = claimFor(primary)
    const postings = [
      posting(base, 0, "payment", 10000),
      posting(base, 0, "patient-responsibility", 5000, "PR", "2"),
      posting(base, 1, "payment", 5000)
    ]
    const input = { coverage: primary, next: secondary, postings, adjudicatedOn: d("2025-04-01"), now: 5 as never }
    const built = CoordinationOfBenefits.build({
      ...input,
      claim: F.claim(tenant, { ...base, id: base.id, priorAuthorization: "AUTH-1" })
    })
    expect(built._tag).toBe("Built")
    if (built._tag === "Built") {
      expect(built.claim.priorAuthorization).toBeUndefined()
      expect(built.claim.status).toBe("draft")
      expect(built.claim.version).toBe(0)
      expect(CoordinationOfBenefits.patientResponsibility(built.claim.priorPayers?.[0] as Claim.PriorPayer)).toBe(5000)
    }
    expect(CoordinationOfBenefits.build({ ...input, claim: F.claim(tenant, { ...base, frequency: "8" }) })._tag).toBe(
      "NotAdjudicated"
    )
    expect(
      CoordinationOfBenefits.build({ ...input, claim: F.claim(tenant, { ...base, status: "submitted" }) })
    ).toEqual({ _tag: "NotAdjudicated", claimId: base.id, status: "submitted" })
  })
})
