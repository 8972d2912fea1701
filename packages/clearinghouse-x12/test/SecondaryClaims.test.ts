/**
 * Secondary claims over X12: the 837P of a claim with a prior payer carries 2320/2330 (SBR, AMT*D, AMT*EAF, OI,
 * NM1*IL, NM1*PR) and 2430 (SVD, CAS, DTP*573) with the prior payer's amounts, balanced; and end to end through the
 * sandbox, the primary's 835 posted, the secondary built, submitted and adjudicated, and the patient's ledger
 * receiving only the secondary's patient responsibility.
 */
import { describe, expect, it } from "@effect/vitest"
import { Billing, Caller, type Claim, Clearinghouse, Coverage, Payer } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Claim837, Remittance } from "@openrcm/x12"
import { Effect, Option, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { inWorld } from "../../core/test/ClaimSubmission.support.js"
import * as CF from "../../core/test/clearinghouse/fixtures.js"
import * as Batch837 from "../src/Batch837.js"
import * as Sandbox from "../src/Sandbox.js"

const parties: Batch837.Parties = {
  submitter: { name: "RIVERBEND BH", id: "RIVERBEND01", contact: { name: "BILLING", phone: "5035550100" } },
  receiver: { name: "SANDBOX CH", id: "SANDBOXCH" },
  usage: "T"
}

const secondPayer = Schema.decodeUnknownSync(Payer.Payer)({
  id: "payer-second",
  tenantId: CF.tenantId,
  name: "Second Mutual",
  x12PayerId: "SECND",
  kind: { _tag: "Commercial" },
  rulePack: "acme-health"
})

const secondCoverage = Schema.decodeUnknownSync(Coverage.Coverage)({
  id: "cov-jordan-2",
  tenantId: CF.tenantId,
  patientId: "pat-jordan",
  payerId: "payer-second",
  memberId: "SEC778899",
  groupNumber: "SG-20",
  order: 2,
  subscriber: { relationship: "01", firstName: "Alex", lastName: "Rivera", dateOfBirth: "1985-01-20" },
  period: { start: "2025-01-01", end: "2025-12-31" },
  planYearStart: "01-01"
})

const priorPayer: Claim.PriorPayer = {
  claimId: CF.claimId("clm-1"),
  coverageId: CF.coverage().id,
  payerId: CF.payer().id,
  order: 1,
  payerClaimNumber: "PCN-1",
  adjudicatedOn: "2025-04-01" as Claim.PriorPayer["adjudicatedOn"],
  paid: 12000 as Claim.PriorPayer["paid"],
  adjustments: [],
  lines: [
    {
      line: 0,
      paid: 11000 as Claim.PriorPayer["paid"],
      adjustments: [
        { group: "CO", reason: "45", amount: 3000 as Claim.PriorPayer["paid"] },
        { group: "PR", reason: "1", amount: 4000 as Claim.PriorPayer["paid"] },
        { group: "PR", reason: "2", amount: 2000 as Claim.PriorPayer["paid"] }
      ]
    },
    {
      line: 1,
      paid: 1000 as Claim.PriorPayer["paid"],
      adjustments: [{ group: "PR", reason: "3", amount: 2000 as Claim.PriorPayer["paid"] }]
    }
  ]
}

/** The secondary claim of clm-1 (90837 200.00 + 90785 30.00), Acme Health having paid 120.00 and left 80.00. */
const secondary = (prior: Claim.PriorPayer = priorPayer) =>
  CF.envelope("clm-1-cob2", {
    claim: CF.claim("clm-1-cob2", {
      coverageId: secondCoverage.id,
      payerId: secondPayer.id,
      lines: [CF.line(), CF.line({ code: "90785", charge: 3000 })],
      priorPayers: [prior]
    }),
    coverage: secondCoverage,
    payer: secondPayer
  })

const withOthers = (envelope: Clearinghouse.ClaimEnvelope): Clearinghouse.ClaimEnvelope => ({
  ...envelope,
  otherPayers: [{ coverage: CF.coverage(), payer: CF.payer() }]
})

const at = { date: "20250405", time: "0900" }
const controls = { interchange: "000000007", group: "7", transaction: "0007" }
const segmentsOf = (text: string) =>
  text
    .split("~")
    .map((s) => s.trim())
    .filter((s) => s !== "")

describe("Batch837: a secondary claim", () => {
  it("writes 2320/2330 and 2430 with the prior payer's amounts, and reads back the same", () => {
    const batch = CF.batch("batch-cob", [withOthers(secondary())])
    const written = Batch837.writeWith(batch, parties, controls, at)
    if (Result.isFailure(written)) throw new Error(written.failure.message)
    const segments = segmentsOf(written.success.text)
    const from = (tag: string) => segments.filter((s) => s.startsWith(tag))
    // 2000B: the claim's own payer is secondary; 2320: the other payer is primary, the patient its subscriber.
    expect(from("SBR*")).toEqual(["SBR*S**SG-20******CI", "SBR*P*18*GRP-4411*Acme Health PPO Gold*****CI"])
    expect(from("AMT*")).toEqual(["AMT*D*120", "AMT*EAF*80"])
    expect(from("OI*")).toEqual(["OI***Y***Y"])
    expect(from("NM1*IL*")).toEqual([
      "NM1*IL*1*Rivera*Alex****MI*SEC778899",
      `NM1*IL*1*${CF.jordan.lastName}*${CF.jordan.firstName}****MI*${CF.jordan.memberId}`
    ])
    expect(from("NM1*PR*")).toEqual(["NM1*PR*2*Second Mutual*****PI*SECND", "NM1*PR*2*Acme Health*****PI*ACME1"])
    expect(from("SVD*")).toEqual(["SVD*ACME1*110*HC:90837**1", "SVD*ACME1*10*HC:90785**1"])
    expect(from("CAS*")).toEqual(["CAS*CO*45*30", "CAS*PR*1*40**2*20", "CAS*PR*3*20"])
    // Line-level adjudication carries the date; 2330B does not repeat it.
    expect(from("DTP*573*")).toEqual(["DTP*573*D8*20250401", "DTP*573*D8*20250401"])
    // The 2320 loop comes after the claim's providers and before the first line.
    expect(segments.indexOf("SBR*P*18*GRP-4411*Acme Health PPO Gold*****CI")).toBeLessThan(
      segments.findIndex((s) => s.startsWith("LX*1"))
    )
    const back = Claim837.read837(written.success.text, { mode: "strict" })
    expect(back.problems).toEqual([])
    expect(back.claims).toEqual(Batch837.toSubmission(batch, parties).claims)
    expect(Batch837.cobBalancing(back.claims)).toEqual([])
  })

  it("a prior payer at claim level only: 2320 CAS and DTP*573 in 2330B, no SVD", () => {
    const claimLevel: Claim.PriorPayer = {
      ...priorPayer,
      lines: [],
      adjustments: [
        { group: "CO", reason: "45", amount: 3000 as Claim.PriorPayer["paid"] },
        { group: "PR", reason: "2", amount: 8000 as Claim.PriorPayer["paid"] }
      ]
    }
    const written = Batch837.writeWith(
      CF.batch("batch-cob", [withOthers(secondary(claimLevel))]),
      parties,
      controls,
      at
    )
    if (Result.isFailure(written)) throw new Error(written.failure.message)
    const segments = segmentsOf(written.success.text)
    expect(segments.filter((s) => s.startsWith("SVD*"))).toEqual([])
    expect(segments.filter((s) => s.startsWith("CAS*"))).toEqual(["CAS*CO*45*30", "CAS*PR*2*80"])
    expect(segments.filter((s) => s.startsWith("DTP*573*"))).toEqual(["DTP*573*D8*20250401"])
  })

  it("refuses COB amounts that do not balance, naming the line and the other payer", () => {
    const off: Claim.PriorPayer = {
      ...priorPayer,
      lines: [
        priorPayer.lines[0] as Claim.PriorLine,
        { line: 1, paid: 500 as Claim.PriorPayer["paid"], adjustments: [] }
      ]
    }
    const written = Batch837.writeWith(CF.batch("batch-cob", [withOthers(secondary(off))]), parties, controls, at)
    expect(Result.isFailure(written) && written.failure.failures).toEqual([
      {
        path: "claims[0].claim.lines[1].otherPayerAdjudication",
        message: "paid plus adjustments must equal the line's charge"
      },
      {
        path: "claims[0].claim.otherPayers[0]",
        message: "paid plus claim and line adjustments must equal the claim's charge"
      }
    ])
  })

  it("a prior payer whose records were not loaded: the writer refuses the claim by path", () => {
    const written = Batch837.writeWith(CF.batch("batch-cob", [secondary()]), parties, controls, at)
    expect(Result.isFailure(written)).toBe(true)
    if (Result.isFailure(written)) {
      expect(written.failure.failures.map((f) => f.path)).toEqual(
        expect.arrayContaining(["claims[0].claim.otherPayers[0].subscriber.memberId"])
      )
    }
  })
})

describe("secondary claims end to end through the sandbox", () => {
  it.effect("primary 835 → secondary built and sent with 2320/2330 → its 835 → only its PR on the ledger", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 2, 1, 15, 30))
      const layer = Sandbox.layerBuiltin({
        members: CF.members,
        delays: { acknowledgement: 1_000, claimStatus: 5_000, remittance: 60_000 },
        // The primary: $50 deductible, 20% coinsurance, $25 copay; the secondary: 10% coinsurance.
        plans: ({ payerId }) =>
          payerId === "SECND"
            ? { deductibleRemaining: 0 as Sandbox.MemberPlan["deductibleRemaining"], coinsuranceBps: 1000 }
            : {
                deductibleRemaining: 5000 as Sandbox.MemberPlan["deductibleRemaining"],
                coinsuranceBps: 2000,
                copay: 2500 as Sandbox.MemberPlan["deductibleRemaining"]
              }
      })
      const { ch, sb } = yield* Effect.provide(
        Effect.all({ ch: Clearinghouse.Clearinghouse, sb: Sandbox.Sandbox }),
        layer
      )
      const store = yield* InMemoryStore.make
      const caller: Caller.CallerInfo = { tenantId: CF.tenantId, actor: "user:biller", purpose: "payment" }
      const world = { store, clearinghouse: ch, caller }
      const withCaller = Effect.provideService(Caller.Caller, caller)
      const primary = CF.claim("cob-1", { version: 0, lines: [CF.line(), CF.line({ code: "90785", charge: 3000 })] })
      yield* withCaller(
        Effect.gen(function* () {
          yield* store.payers.put(CF.payer())
          yield* store.payers.put(secondPayer)
          yield* store.patients.put(CF.patient())
          yield* store.coverages.put(CF.coverage())
          yield* store.coverages.put(secondCoverage)
          yield* store.organizations.put(CF.organization())
          yield* store.clinicians.put(CF.clinician())
          yield* store.claims.create([primary])
        })
      )
      const cycle = (ids: ReadonlyArray<Claim.Claim["id"]>) =>
        Effect.gen(function* () {
          const submitted = yield* inWorld(world)(Billing.submitClaims(ids))
          expect(submitted.claims.map((c) => c._tag)).toEqual(ids.map(() => "Queued"))
          yield* inWorld(world)(Billing.deliverSubmissions())
          yield* TestClock.adjust("2 hours")
          const processed = yield* inWorld(world)(Billing.processResponses())
          const posted = processed.responses.flatMap((r) => (r._tag === "Posted" ? [r.report] : []))
          expect(posted).toHaveLength(1)
          return posted[0] as NonNullable<(typeof posted)[number]>
        })
      const ledger = withCaller(store.patientLedger.forPatient(CF.patient().id))
      const claimOf = (id: Claim.Claim["id"]) => Effect.map(withCaller(store.claims.get(id)), Option.getOrThrow)
      const clpOf = (id: string) =>
        Effect.map(sb.files, (files) =>
          files
            .filter((f) => f.kind === "835")
            .flatMap((f) => Remittance.read835(f.x12, { mode: "strict" }).remittances)
            .flatMap((r) => r.claims)
            .find((c) => c.patientControlNumber === id)
        )

      // The primary pays; its patient responsibility waits for the secondary.
      const first = yield* cycle([primary.id])
      expect(first.balancing).toEqual([])
      const primaryClp = (yield* clpOf(primary.id)) as Remittance.RemittanceClaim
      expect(primaryClp.status).toBe("1")
      expect(primaryClp.patientResponsibilityTotal).toBeGreaterThan(0)
      expect(yield* ledger).toEqual([])

      // The secondary is built from the postings, scrubbed clean and sent with the primary's adjudication.
      const built = yield* inWorld(world)(Billing.buildSecondaryClaims())
      expect(built.created.map((c) => c.id)).toEqual(["cob-1-cob2"])
      expect(built.scrubbed).toEqual([expect.objectContaining({ claimId: "cob-1-cob2", status: "ready" })])
      const second = yield* cycle(["cob-1-cob2" as Claim.Claim["id"]])
      expect(second.balancing).toEqual([])
      const sent = (yield* sb.files).filter((f) => f.kind === "837").at(-1)
      const read = Batch837.read(sent?.x12 ?? "", "strict").claims[0]?.claim
      expect(read?.subscriber.responsibility).toBe("S")
      const other = read?.claim.otherPayers?.[0]
      expect(other).toMatchObject({
        responsibility: "P",
        paidAmount: primaryClp.paid,
        remainingPatientLiability: primaryClp.patientResponsibilityTotal,
        payer: { name: "Acme Health", id: "ACME1" },
        subscriber: { memberId: CF.jordan.memberId }
      })
      primaryClp.lines.forEach((svc, i) => {
        const svd = read?.claim.lines[i]?.otherPayerAdjudication?.[0]
        expect(svd?.paidAmount).toBe(svc.paid)
        expect(svd?.adjustments.reduce((s, a) => s + a.amount, 0)).toBe(svc.charge - svc.paid)
      })

      // The secondary pays what the primary left, less its 10%: only that 10% reaches the patient's ledger.
      const secondaryClp = (yield* clpOf("cob-1-cob2")) as Remittance.RemittanceClaim
      expect(secondaryClp.status).toBe("2")
      expect(secondaryClp.paid + secondaryClp.patientResponsibilityTotal).toBe(primaryClp.patientResponsibilityTotal)
      expect(secondaryClp.patientResponsibilityTotal).toBeGreaterThan(0)
      const entries = yield* ledger
      expect(entries.every((e) => e.claimId === "cob-1-cob2")).toBe(true)
      expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(secondaryClp.patientResponsibilityTotal)
      for (const id of [primary.id, "cob-1-cob2" as Claim.Claim["id"]]) {
        const claim = yield* claimOf(id)
        expect([claim.status, claim.balance]).toEqual(["paid", 0])
      }
      // Nothing further to build: the secondary was the last payer.
      const again = yield* inWorld(world)(Billing.buildSecondaryClaims())
      expect(again.created).toEqual([])
      expect(again.existing).toEqual([{ claimId: "cob-1-cob2", from: primary.id }])
    })
  )
})
