/**
 * 835s read into remittance advices and posted: the public sample files (off-standard, unbalanced) post without
 * crashing and report what does not balance; the sandbox's 835s, end to end through `processResponses`, leave the
 * claims paid or denied with the right balances and the patient's share on the patient ledger.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Billing, Caller, Clearinghouse, type RemittanceAdvice } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Remittance } from "@openrcm/x12"
import { Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { inWorld, makeWorld } from "../../core/test/ClaimSubmission.support.js"
import * as CF from "../../core/test/clearinghouse/fixtures.js"
import * as Responses from "../src/Responses.js"
import * as Sandbox from "../src/Sandbox.js"

const fixtures = join(import.meta.dirname, "../../../../shared/fixtures/x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")

const advicesOf = (text: string): Array<RemittanceAdvice.RemittanceAdvice> => {
  const read = Responses.read(text, { id: "remit" })
  if (Result.isFailure(read)) throw new Error("not X12")
  return read.success.responses.flatMap((r) => (r._tag === "Remittance" ? [r.advice] : []))
}

describe("835 → RemittanceAdvice", () => {
  it("the content hash is the text's SHA-256, as Node computes it", () => {
    for (const text of ["", "abc", "é".repeat(100), fixture("835_pyx12_t1005_mult_loops")]) {
      expect(Responses.sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"))
    }
  })

  it("maps payment, trace, claims, lines, adjustments and PLB in cents", () => {
    const text = fixture("835_oopfactory_ohio_adamh_bh_example1")
    const [advice, ...more] = advicesOf(text)
    expect(more).toEqual([])
    const read = Remittance.read835(text).remittances[0] as Remittance.RemittanceWithClaims
    expect(advice?.contentHash).toBe(createHash("sha256").update(text).digest("hex"))
    expect(advice?.payment.amount).toBe(read.payment?.amount)
    expect(advice?.payment.traceNumber).toBe(read.trace?.number)
    expect(advice?.claims.map((c) => [c.patientControlNumber, c.status, c.charge, c.paid])).toEqual(
      read.claims.map((c) => [c.patientControlNumber, c.status, c.charge, c.paid])
    )
    expect(advice?.claims.flatMap((c) => c.lines.map((l) => l.procedure.code))).toEqual(
      read.claims.flatMap((c) => c.lines.map((l) => l.procedure.code))
    )
    expect(advice?.providerAdjustments.length).toBe(read.providerAdjustments.flatMap((p) => p.adjustments).length)
  })

  it("several 835 sets in one text: one advice each, each with its own hash", () => {
    const advices = advicesOf(fixture("835_oopfactory_nebraska_medicaid_deidentified"))
    expect(advices.length).toBeGreaterThan(1)
    expect(new Set(advices.map((a) => a.contentHash)).size).toBe(advices.length)
  })
})

describe("posting the public sample 835s", () => {
  for (const name of [
    "835_oopfactory_ohio_adamh_bh_example1",
    "835_pyx12_t1005_mult_loops",
    "835_oopfactory_nebraska_medicaid_deidentified"
  ]) {
    it.effect(`${name}: posts without crashing, reports what does not balance and what it cannot match`, () =>
      Effect.gen(function* () {
        const world = yield* makeWorld()
        for (const advice of advicesOf(fixture(name))) {
          const report = yield* inWorld(world)(Billing.postRemittance(advice))
          expect(report.duplicate).toBe(false)
          // None of their claims is ours.
          expect(report.unmatched.length + report.skipped.length).toBe(advice.claims.length)
          const paid = advice.claims.reduce((s, c) => s + c.paid, 0)
          const plb = advice.providerAdjustments.reduce((s, p) => s + p.amount, 0)
          const transaction = report.balancing.filter((b) => b._tag === "TransactionUnbalanced")
          expect(transaction).toEqual(
            paid - plb === advice.payment.amount
              ? []
              : [{ _tag: "TransactionUnbalanced", difference: paid - plb - advice.payment.amount }]
          )
          const again = yield* inWorld(world)(Billing.postRemittance(advice))
          expect(again.duplicate).toBe(true)
        }
        if (name === "835_oopfactory_ohio_adamh_bh_example1") {
          const [advice] = advicesOf(fixture(name))
          const report = yield* inWorld(yield* makeWorld())(
            Billing.postRemittance(advice as RemittanceAdvice.RemittanceAdvice)
          )
          // It does not balance once PLB is applied.
          expect(report.balancing.some((b) => b._tag === "TransactionUnbalanced")).toBe(true)
          expect(report.providerLevel.length).toBeGreaterThan(0)
        }
      })
    )
  }
})

describe("the sandbox's 835s, end to end", () => {
  it.effect("sandbox → processResponses: claims paid or denied, balances zero, PR-1/2/3 on the patient ledger", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 2, 1, 15, 30))
      const layer = Sandbox.layerBuiltin({
        members: CF.members,
        delays: { acknowledgement: 1_000, claimStatus: 5_000, remittance: 60_000 },
        plans: () => ({
          deductibleRemaining: 5000 as Sandbox.MemberPlan["deductibleRemaining"],
          coinsuranceBps: 2000,
          copay: 2500 as Sandbox.MemberPlan["deductibleRemaining"]
        })
      })
      const { ch, sb } = yield* Effect.provide(
        Effect.all({ ch: Clearinghouse.Clearinghouse, sb: Sandbox.Sandbox }),
        layer
      )
      const store = yield* InMemoryStore.make
      const caller: Caller.CallerInfo = { tenantId: CF.tenantId, actor: "user:biller", purpose: "payment" }
      const world = { store, clearinghouse: ch, caller }
      const withCaller = Effect.provideService(Caller.Caller, caller)
      const claims = [
        CF.claim("e2e-1", { version: 0, lines: [CF.line(), CF.line({ code: "90785", charge: 3000 })] }),
        CF.claim("e2e-2", { version: 0, lines: [CF.line({ dateOfService: "2025-02-17" })] }),
        CF.claim("e2e-3", { version: 0, lines: [CF.line({ code: "99999" })] })
      ]
      yield* withCaller(
        Effect.gen(function* () {
          yield* store.payers.put(CF.payer())
          yield* store.patients.put(CF.patient())
          yield* store.coverages.put(CF.coverage())
          yield* store.organizations.put(CF.organization())
          yield* store.clinicians.put(CF.clinician())
          yield* store.claims.create(claims)
        })
      )
      const ids = claims.map((c) => c.id)
      yield* inWorld(world)(Billing.submitClaims(ids))
      yield* inWorld(world)(Billing.deliverSubmissions())
      yield* TestClock.adjust("2 hours")
      const processed = yield* inWorld(world)(Billing.processResponses())
      const posted = processed.responses.filter((r) => r._tag === "Posted")
      expect(posted).toHaveLength(1)
      expect(processed.acknowledged).toEqual(processed.responses.map((r) => r.id))
      const report = posted[0]?._tag === "Posted" ? posted[0].report : undefined
      expect(report?.balancing).toEqual([])
      expect(report?.unmatched).toEqual([])
      expect(report?.matched.map((m) => m.claimId).sort()).toEqual([...ids].sort())
      expect(report?.denied).toEqual([
        expect.objectContaining({
          claimId: "e2e-3",
          adjustments: [expect.objectContaining({ group: "CO", reason: "16" })]
        })
      ])

      const files = (yield* sb.files).filter((f) => f.kind === "835")
      const clps = files
        .flatMap((f) => Remittance.read835(f.x12, { mode: "strict" }).remittances)
        .flatMap((r) => r.claims)
      let patientShare = 0
      for (const id of ids) {
        const claim = Option.getOrThrow(yield* withCaller(store.claims.get(id)))
        const clp = clps.find((c) => c.patientControlNumber === id) as Remittance.RemittanceClaim
        expect(claim.status).toBe(id === "e2e-3" ? "denied" : "paid")
        expect(claim.balance).toBe(0)
        expect(claim.payerClaimNumber).toBe(clp.payerClaimControlNumber)
        patientShare += clp.patientResponsibilityTotal
      }
      expect(patientShare).toBeGreaterThan(0)
      const ledger = yield* withCaller(store.patientLedger.forPatient(CF.patient().id))
      const byKind = (kind: string) => ledger.filter((e) => e.kind === kind).reduce((s, e) => s + e.amount, 0)
      const pr = (reason: string) =>
        clps
          .flatMap((c) => [...c.adjustments, ...c.lines.flatMap((l) => l.adjustments)])
          .filter((a) => a.group === "PR" && a.reason === reason)
          .reduce((s, a) => s + a.amount, 0)
      expect([byKind("deductible"), byKind("coinsurance"), byKind("copay")]).toEqual([pr("1"), pr("2"), pr("3")])
      expect(pr("1") + pr("2") + pr("3")).toBeGreaterThan(0)
      expect(yield* withCaller(store.patientLedger.balance(CF.patient().id))).toBe(patientShare)
      // Nothing is left to acknowledge: another run changes nothing.
      const again = yield* inWorld(world)(Billing.processResponses())
      expect(again.responses).toEqual([])
    })
  )
})
