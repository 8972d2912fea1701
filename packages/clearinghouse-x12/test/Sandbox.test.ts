import { describe, expect, it } from "@effect/vitest"
import { type Clearinghouse as C, Clearinghouse, FeeSchedule, Ids } from "@openrcm/core"
import { Ack999, Claim837, ClaimStatus277, Remittance } from "@openrcm/x12"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import * as Sandbox from "../src/Sandbox.js"

/** 2025-03-01 15:30 UTC: the day the sandbox receives the batches. */
const received = Date.UTC(2025, 2, 1, 15, 30)

const delays = { acknowledgement: 1_000, claimStatus: 5_000, remittance: 60_000 }

const acmeRates = Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)({
  id: "acme-contract",
  tenantId: F.tenantId,
  payerId: "payer-acme",
  rates: { "90837": 15000, "90834": 11000, "96130": 12000 }
})

/** A plan with each part of the patient's share: $50 deductible left, 20% coinsurance, $25 copay. */
const plan: Sandbox.MemberPlan = {
  deductibleRemaining: 5000 as Sandbox.MemberPlan["deductibleRemaining"],
  coinsuranceBps: 2000,
  copay: 2500 as Sandbox.MemberPlan["deductibleRemaining"]
}

const sandbox = (options: Sandbox.Options = {}) =>
  Sandbox.layerBuiltin({
    members: F.members,
    feeSchedules: [acmeRates],
    plans: (member) => (member.memberId === F.jordan.memberId ? plan : undefined),
    delays,
    ...options
  })

/** Runs a test body at the receiving instant against a fresh sandbox. */
const run = <A, E>(
  body: (ch: C.Clearinghouse["Service"], sb: Sandbox.Sandbox["Service"]) => Effect.Effect<A, E>,
  options: Sandbox.Options = {}
) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(received)
    return yield* body(yield* Clearinghouse.Clearinghouse, yield* Sandbox.Sandbox)
  }).pipe(Effect.provide(sandbox(options)))

const settle = TestClock.adjust("2 hours")

const filesOf = (sb: Sandbox.Sandbox["Service"], kind: Sandbox.File["kind"]) =>
  Effect.map(sb.files, (files) => files.filter((f) => f.kind === kind))

/** The one file of a kind written so far. */
const fileOf = (sb: Sandbox.Sandbox["Service"], kind: Sandbox.File["kind"]) =>
  Effect.map(filesOf(sb, kind), (files) => {
    expect(files, `${kind} files`).toHaveLength(1)
    return files[0] as Sandbox.File
  })

/** Every 835 claim written so far, read strictly; each remittance must balance. */
const remitted = (sb: Sandbox.Sandbox["Service"]) =>
  Effect.map(filesOf(sb, "835"), (files) =>
    files.flatMap((file) => {
      const { remittances, problems } = Remittance.read835(file.x12, { mode: "strict" })
      expect(problems).toEqual([])
      for (const r of remittances) expect(r.balanced).toEqual({ lines: true, claims: true, transaction: true })
      return remittances.flatMap((r) => r.claims)
    })
  )

const claimIn = (claims: ReadonlyArray<Remittance.RemittanceClaim>, id: string, status?: string) => {
  const found = claims.filter((c) => c.patientControlNumber === id && (status === undefined || c.status === status))
  expect(found, `835 claim ${id}`).toHaveLength(1)
  return found[0] as Remittance.RemittanceClaim
}

/** Each line's adjustments as `GROUP-CARC amount` and its remarks. */
const adjustments = (claim: Remittance.RemittanceClaim) =>
  claim.lines.map((l) => [...l.adjustments.map((a) => `${a.group}-${a.reason} ${a.amount}`), ...l.remarks])

const answersOf = (responses: ReadonlyArray<C.Response>) =>
  new Map(
    responses.flatMap((r) => (r._tag === "Remittance" ? [] : r.claims)).map((a) => [a.claimId as string, a] as const)
  )

/** Breaks a valid record without its schema (a payload that reached the adapter unchecked). */
const unchecked = <A extends object>(record: A, over: Record<string, unknown>): A => ({ ...record, ...over }) as A

describe("Sandbox: the X12 it writes", () => {
  it.effect("reads back strictly: the 837 with every claim, the 999, the 277CA and a balanced 835", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        const batch = F.batch("files-key", [
          F.envelope("files-1", {
            claim: F.claim("files-1", {
              lines: [F.line(), F.line({ code: "90785", charge: 3000, diagnosisPointers: [1, 2] })]
            })
          }),
          F.envelope("files-2", { claim: F.claim("files-2", { lines: [F.line({ dateOfService: "2025-02-17" })] }) }),
          F.envelope("files-3", { coverage: F.coverage({ memberId: "ACM111222333" }) })
        ])
        const receipt = yield* ch.submitClaims(batch)
        yield* settle
        const sent = yield* fileOf(sb, "837")
        const back = Claim837.read837(sent.x12, { mode: "strict" })
        expect(back.problems).toEqual([])
        expect(back.claims.map((c) => c.claim.patientControlNumber)).toEqual(["files-1", "files-2", "files-3"])
        expect(sent.name).toBe(`${receipt.reference}.837`)

        const ack = yield* fileOf(sb, "999")
        const acks = Ack999.read999(ack.x12, { mode: "strict" })
        expect(acks.problems).toEqual([])
        expect(acks.acknowledgments[0]?.sets.map((s) => s.outcome)).toEqual(["accepted"])

        const status = yield* fileOf(sb, "277CA")
        const statuses = ClaimStatus277.read277(status.x12, { mode: "strict" })
        expect(statuses.problems).toEqual([])
        expect(statuses.transactions[0]?.kind).toBe("277CA")
        expect(statuses.transactions[0]?.claims.map((c) => [c.trace, c.outcome])).toEqual([
          ["files-1", "accepted"],
          ["files-2", "accepted"],
          ["files-3", "accepted"]
        ])

        const claims = yield* remitted(sb)
        expect(claims.map((c) => c.patientControlNumber)).toEqual(["files-1", "files-2", "files-3"])
        // The answers name the 277CA's payer claim numbers, and the 835 pays under the same numbers.
        const answers = answersOf(yield* ch.responses())
        for (const claim of claims) {
          expect(answers.get(claim.patientControlNumber)?.payerClaimNumber).toBe(claim.payerClaimControlNumber)
        }
      })
    )
  )

  it.effect("pays the contracted rate, writes off the rest (CO-45) and splits the patient's share PR-1/2/3", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        yield* ch.submitClaims(
          F.batch("pay-key", [
            F.envelope("pay-1"),
            F.envelope("pay-2", { claim: F.claim("pay-2", { lines: [F.line({ dateOfService: "2025-02-17" })] }) }),
            // No contracted rate for 90791: 80% of the charge.
            F.envelope("pay-3", {
              claim: F.claim("pay-3", {
                lines: [F.line({ code: "90791", charge: 25000, dateOfService: "2025-02-03" })]
              })
            })
          ])
        )
        yield* settle
        const claims = yield* remitted(sb)
        // Allowed 150 of 200: deductible 50, coinsurance 20% of 100 = 20, copay 25; the plan pays 55.
        const first = claimIn(claims, "pay-1")
        expect([first.status, first.charge, first.paid, first.patientResponsibilityTotal]).toEqual([
          "1",
          20000,
          5500,
          9500
        ])
        expect(adjustments(first)).toEqual([["CO-45 5000", "PR-1 5000", "PR-2 2000", "PR-3 2500"]])
        expect(first.lines[0]?.allowed).toBe(15000)
        // The deductible is met now: coinsurance 30 and copay 25.
        expect(adjustments(claimIn(claims, "pay-2"))).toEqual([["CO-45 5000", "PR-2 3000", "PR-3 2500"]])
        const third = claimIn(claims, "pay-3")
        expect(third.lines[0]?.allowed).toBe(20000)
        expect(adjustments(third)).toEqual([["CO-45 5000", "PR-2 4000", "PR-3 2500"]])
      })
    )
  )

  it.effect("reads a seeded member's plan, and withholds Medicare's 2% sequestration (CO-253)", () =>
    run(
      (ch, sb) =>
        Effect.gen(function* () {
          expect(Sandbox.planOf(F.jordan)).toEqual({
            deductibleRemaining: 35000,
            coinsuranceBps: 0,
            copay: 2500,
            outOfPocketRemaining: 312550
          })
          const medicare = F.medicare()
          const pat = F.members.find((m) => m.payerId === "MCRB1") ?? F.jordan
          yield* ch.submitClaims(
            F.batch("mcr-key", [
              F.envelope("mcr-1", {
                payer: medicare,
                patient: F.patient({ firstName: pat.firstName, lastName: pat.lastName, dateOfBirth: pat.dateOfBirth }),
                coverage: F.coverage({ memberId: pat.memberId, payerId: medicare.id }),
                claim: F.claim("mcr-1", {
                  payerId: medicare.id,
                  lines: [F.line({ code: "90834", charge: 15000, placeOfService: "10" })],
                  placeOfService: "10"
                })
              })
            ])
          )
          yield* settle
          // Allowed 80% of 150 = 120; coinsurance 24; the plan's 96 less 2% (1.92) is paid. POS 10 needs no modifier.
          const claim = claimIn(yield* remitted(sb), "mcr-1")
          expect(claim.filingIndicator).toBe("MB")
          expect(adjustments(claim)).toEqual([["CO-45 3000", "CO-253 192", "PR-2 2400"]])
          expect(claim.paid).toBe(9408)
        }),
      { plans: () => undefined }
    )
  )
})

describe("Sandbox: denials", () => {
  const denial = (
    name: string,
    trips: C.ClaimEnvelope,
    passes: C.ClaimEnvelope,
    expected: ReadonlyArray<string>,
    before?: C.ClaimEnvelope
  ) =>
    it.effect(name, () =>
      run((ch, sb) =>
        Effect.gen(function* () {
          if (before !== undefined) {
            yield* ch.submitClaims(F.batch("before-key", [before]))
            yield* settle
          }
          yield* ch.submitClaims(F.batch("denial-key", [trips, passes]))
          yield* settle
          const claims = yield* remitted(sb)
          const denied = claimIn(claims, trips.claim.id)
          expect(denied.status).toBe("4")
          expect(denied.paid).toBe(0)
          expect(adjustments(denied)).toEqual([
            [...expected.slice(0, 1).map((e) => `${e} ${trips.claim.charge}`), ...expected.slice(1)]
          ])
          const paid = claimIn(claims, passes.claim.id)
          expect(paid.status).toBe("1")
          expect(paid.lines[0]?.allowed).toBeDefined()
          for (const line of paid.lines) expect(line.remarks).toEqual([])
          expect(paid.lines.flatMap((l) => l.adjustments.map((a) => a.reason))).not.toContain(
            expected[0]?.split("-")[1]
          )
        })
      )
    )

  denial(
    "CO-197: a code the pack puts under prior authorization, on a claim without REF*G1",
    F.envelope("auth-1", { claim: F.claim("auth-1", { lines: [F.line({ code: "96130", charge: 30000 })] }) }),
    F.envelope("auth-2", {
      claim: F.claim("auth-2", {
        lines: [F.line({ code: "96130", charge: 30000, dateOfService: "2025-02-11" })],
        priorAuthorization: "PA-55120"
      })
    }),
    ["CO-197"]
  )

  denial(
    "CO-29 + N211: received past the pack's timely filing window (90 days at Acme)",
    F.envelope("late-1", { claim: F.claim("late-1", { lines: [F.line({ dateOfService: "2024-11-20" })] }) }),
    F.envelope("late-2", { claim: F.claim("late-2", { lines: [F.line({ dateOfService: "2024-12-02" })] }) }),
    ["CO-29", "N211"]
  )

  denial(
    "OA-18 + N522: an exact duplicate of a claim already adjudicated",
    F.envelope("dup-2"),
    F.envelope("dup-3", { claim: F.claim("dup-3", { lines: [F.line({ dateOfService: "2025-02-12" })] }) }),
    ["OA-18", "N522"],
    F.envelope("dup-1")
  )

  denial(
    "CO-4: telehealth (POS 10) without the 95 modifier Acme's telehealth rule requires",
    F.envelope("tele-1", {
      claim: F.claim("tele-1", { placeOfService: "10", lines: [F.line({ placeOfService: "10" })] })
    }),
    F.envelope("tele-2", {
      claim: F.claim("tele-2", {
        placeOfService: "10",
        lines: [F.line({ placeOfService: "10", modifiers: ["95"], dateOfService: "2025-02-11" })]
      })
    }),
    ["CO-4"]
  )

  denial(
    "CO-B7 + N95: a credential the pack does not let bill the code",
    F.envelope("cred-1", { rendering: F.clinician({ credential: "LMSW" }) }),
    F.envelope("cred-2", { claim: F.claim("cred-2", { lines: [F.line({ dateOfService: "2025-02-11" })] }) }),
    ["CO-B7", "N95"]
  )

  denial(
    "CO-16 + M51: a procedure code the payer does not know",
    F.envelope("code-1", { claim: F.claim("code-1", { lines: [F.line({ code: "99999" })] }) }),
    F.envelope("code-2", { claim: F.claim("code-2", { lines: [F.line({ code: "90834", charge: 15000 })] }) }),
    ["CO-16", "M51"]
  )

  denial(
    "CO-16 + N290: the organization's NPI sent as the rendering provider's",
    F.envelope("npi-1", { rendering: F.clinician({ npi: F.organization().npi }) }),
    F.envelope("npi-2", { claim: F.claim("npi-2", { lines: [F.line({ dateOfService: "2025-02-11" })] }) }),
    ["CO-16", "N290"]
  )

  it.effect("CO-197 after the plan's visits: Acme HMO asks for authorization past 20 therapy visits a plan year", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        const hmo = F.payer({ rulePack: "acme-health-hmo" })
        const visits = Array.from({ length: 21 }, (_, i) =>
          F.envelope(`hmo-${i + 1}`, {
            payer: hmo,
            claim: F.claim(`hmo-${i + 1}`, {
              lines: [
                F.line({ code: "90834", charge: 15000, dateOfService: `2025-01-${String(i + 2).padStart(2, "0")}` })
              ]
            })
          })
        )
        yield* ch.submitClaims(F.batch("hmo-a-key", visits.slice(0, 20)))
        yield* ch.submitClaims(F.batch("hmo-b-key", visits.slice(20)))
        yield* settle
        const claims = yield* remitted(sb)
        expect(claims.filter((c) => c.status === "4").map((c) => c.patientControlNumber)).toEqual(["hmo-21"])
        expect(adjustments(claimIn(claims, "hmo-21"))).toEqual([["CO-197 15000"]])
      })
    )
  )
})

describe("Sandbox: corrections", () => {
  it.effect("a replacement reverses the original (CLP02 22) and is paid anew; a void reverses it", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        yield* ch.submitClaims(F.batch("orig-key", [F.envelope("orig-1")]))
        yield* settle
        const number = answersOf(yield* ch.responses()).get("orig-1")?.payerClaimNumber
        expect(number).toBeDefined()
        const replacement = F.claim("orig-1r", {
          frequency: "7",
          payerClaimNumber: number,
          lines: [F.line({ charge: 22000 })]
        })
        yield* ch.submitClaims(F.batch("repl-key", [F.envelope("orig-1r", { claim: replacement })]))
        yield* settle
        const afterReplacement = yield* remitted(sb)
        const reversal = claimIn(afterReplacement, "orig-1", "22")
        const original = claimIn(afterReplacement, "orig-1", "1")
        expect([reversal.charge, reversal.paid]).toEqual([-original.charge, -original.paid])
        expect(claimIn(afterReplacement, "orig-1r", "1").charge).toBe(22000)
        const replacedNumber = answersOf(yield* ch.responses()).get("orig-1r")?.payerClaimNumber
        const voided = F.claim("orig-1v", { frequency: "8", payerClaimNumber: replacedNumber })
        yield* ch.submitClaims(F.batch("void-key", [F.envelope("orig-1v", { claim: voided })]))
        yield* settle
        const all = yield* remitted(sb)
        expect(claimIn(all, "orig-1r", "22").charge).toBe(-22000)
        expect(all.filter((c) => c.patientControlNumber === "orig-1v")).toEqual([])
        // Voiding a claim the payer never issued is rejected at the front end.
        yield* ch.submitClaims(
          F.batch("void-2-key", [
            F.envelope("orig-2v", { claim: F.claim("orig-2v", { frequency: "8", payerClaimNumber: "NOSUCHCLAIM" }) })
          ])
        )
        yield* settle
        expect(answersOf(yield* ch.responses()).get("orig-2v")).toEqual({
          claimId: "orig-2v",
          status: "rejected",
          reasons: ["A7:21"]
        })
      })
    )
  )
})

describe("Sandbox: front-end rejections (277CA) and the 999", () => {
  it.effect("rejects each front-end problem with its STC codes and accepts the rest with a payer claim number", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        const bad = F.badNpi("987654321")
        const batch = F.batch("front-key", [
          F.envelope("fe-ok"),
          F.envelope("fe-member", { coverage: unchecked(F.coverage(), { memberId: "ACM 100" }) }),
          F.envelope("fe-unknown", { coverage: F.coverage({ memberId: "ACM999999999" }) }),
          F.envelope("fe-billing", { billingProvider: unchecked(F.organization(), { npi: bad }) }),
          F.envelope("fe-rendering", { rendering: unchecked(F.clinician(), { npi: bad }) }),
          F.envelope("fe-supervising", { supervising: unchecked(F.supervisor(), { npi: bad }) }),
          F.envelope("fe-f8", { claim: F.claim("fe-f8", { frequency: "7" }) }),
          F.envelope("fe-pointer", {
            claim: F.claim("fe-pointer", { lines: [F.line({ diagnosisPointers: [1, 3] })] })
          }),
          F.envelope("fe-ok-2", { supervising: F.supervisor() })
        ])
        yield* ch.submitClaims(batch)
        yield* settle
        const answers = answersOf(yield* ch.responses())
        const rejected = (id: string) => {
          const answer = answers.get(id)
          expect(answer?.status, id).toBe("rejected")
          expect(answer?.payerClaimNumber).toBeUndefined()
          return answer?.reasons
        }
        expect(rejected("fe-member")).toEqual(["A7:164:IL"])
        expect(rejected("fe-unknown")).toEqual(["A3:33"])
        expect(rejected("fe-billing")).toEqual(["A7:562:85"])
        expect(rejected("fe-rendering")).toEqual(["A7:562:82"])
        expect(rejected("fe-supervising")).toEqual(["A7:562:DQ"])
        expect(rejected("fe-f8")).toEqual(["A6:21"])
        expect(rejected("fe-pointer")).toEqual(["A7:21"])
        for (const id of ["fe-ok", "fe-ok-2"]) {
          expect(answers.get(id)?.status).toBe("accepted")
          expect(answers.get(id)?.payerClaimNumber).toMatch(/^\d{12}$/u)
        }
        // Only the accepted claims went to the payer: in the 837, and paid in the 835.
        const sent = yield* fileOf(sb, "837")
        expect(Claim837.read837(sent.x12).claims.map((c) => c.claim.patientControlNumber)).toEqual(["fe-ok", "fe-ok-2"])
        expect(sent.x12).toContain("NM1*DQ*1*Lindqvist*Mara")
        expect((yield* remitted(sb)).map((c) => c.patientControlNumber)).toEqual(["fe-ok", "fe-ok-2"])
        const status = yield* fileOf(sb, "277CA")
        expect(ClaimStatus277.read277(status.x12, { mode: "strict" }).problems).toEqual([])
      })
    )
  )

  it.effect("a 999 rejects the transaction set the 837 writer refuses, and each of its claims", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        // CLM02 must equal the sum of the lines (RULES.md §8): this claim says otherwise.
        const wrongTotal = F.claim("set-1", { charge: 99900 })
        const batch = F.batch("set-key", [
          F.envelope("set-1", { claim: wrongTotal }),
          F.envelope("set-2"),
          F.envelope("set-3", { rendering: unchecked(F.clinician(), { npi: F.badNpi("987654321") }) })
        ])
        yield* ch.submitClaims(batch)
        yield* settle
        const responses = yield* ch.responses()
        const acks = responses.filter((r) => r._tag === "Acknowledgement")
        expect(acks).toEqual([
          {
            _tag: "Acknowledgement",
            id: expect.stringMatching(/\.999$/u),
            submissionKey: batch.key,
            accepted: false,
            claims: [
              { claimId: "set-1", status: "rejected", reasons: ["IK5:5"] },
              { claimId: "set-2", status: "rejected", reasons: ["IK5:5"] }
            ],
            errors: ["IK5:5"]
          }
        ])
        // The claim rejected at the front end is still answered, once, by the 277CA.
        const statuses = responses.filter((r) => r._tag === "ClaimStatus")
        expect(statuses.flatMap((s) => s.claims)).toEqual([
          { claimId: "set-3", status: "rejected", reasons: ["A7:562:82"] }
        ])
        expect(yield* filesOf(sb, "837")).toEqual([])
        expect(yield* filesOf(sb, "835")).toEqual([])
        const ack = yield* fileOf(sb, "999")
        const read = Ack999.read999(ack.x12, { mode: "strict" })
        expect(read.problems).toEqual([])
        expect(read.acknowledgments[0]?.groupStatus.code).toBe("R")
      })
    )
  )
})

describe("Sandbox: time, failures and keys", () => {
  it.effect("the 999, the 277CA and the 835 appear after their delays, oldest first", () =>
    run((ch) =>
      Effect.gen(function* () {
        const receipt = yield* ch.submitClaims(F.batch("time-key", [F.envelope("time-1")]))
        const visible = Effect.map(ch.responses(), (rs) => rs.map((r) => r.id))
        expect(yield* visible).toEqual([])
        yield* TestClock.adjust(999)
        expect(yield* visible).toEqual([])
        yield* TestClock.adjust(1)
        expect(yield* visible).toEqual([`${receipt.reference}.999`])
        yield* TestClock.adjust(4_000)
        expect(yield* visible).toEqual([`${receipt.reference}.999`, `${receipt.reference}.277CA`])
        yield* TestClock.adjust(54_999)
        expect(yield* visible).toHaveLength(2)
        yield* TestClock.adjust(1)
        expect(yield* visible).toEqual([
          `${receipt.reference}.999`,
          `${receipt.reference}.277CA`,
          `${receipt.reference}.835`
        ])
        yield* ch.acknowledge([`${receipt.reference}.277CA`])
        expect(yield* visible).toEqual([`${receipt.reference}.999`, `${receipt.reference}.835`])
      })
    )
  )

  it.effect("queued failures fail the next calls with their reason, then calls work again", () =>
    run(
      (ch, sb) =>
        Effect.gen(function* () {
          const batch = F.batch("fail-key", [F.envelope("fail-1")])
          const first = yield* Effect.flip(ch.submitClaims(batch))
          expect([first.reason._tag, first.retryable]).toEqual(["Timeout", true])
          yield* sb.failNext(["Refused"])
          const second = yield* Effect.flip(ch.submitClaims(batch))
          expect([second.reason._tag, second.retryable]).toEqual(["Unavailable", true])
          const third = yield* Effect.flip(ch.responses())
          expect([third.reason._tag, third.retryable]).toEqual(["Refused", false])
          expect((yield* ch.submitClaims(batch)).firstTime).toBe(true)
          expect((yield* ch.submitClaims(batch)).firstTime).toBe(false)
          expect(yield* filesOf(sb, "837")).toHaveLength(1)
        }),
      { failures: ["Timeout", "Unavailable"] }
    )
  )

  it.effect("the same key twice writes one 837 and one set of answers", () =>
    run((ch, sb) =>
      Effect.gen(function* () {
        const batch = F.batch("twice-key", [F.envelope("twice-1")])
        const first = yield* ch.submitClaims(batch)
        yield* TestClock.adjust(30_000)
        const second = yield* ch.submitClaims(batch)
        expect(second).toEqual({ ...first, firstTime: false })
        yield* settle
        expect((yield* sb.files).map((f) => f.kind)).toEqual(["837", "999", "277CA", "835"])
        expect(yield* ch.responses()).toHaveLength(3)
        expect(Ids.ClaimId).toBeDefined()
      })
    )
  )
})
