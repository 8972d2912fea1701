import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it as effectIt } from "@effect/vitest"
import { Segments } from "@openrcm/x12"
import {
  type Claim837,
  type Controls,
  formatAmount,
  make837,
  type OtherPayer,
  read837,
  type ServiceLine837,
  type Submission837,
  type WriteOptions,
  write837,
  write837Lines
} from "@openrcm/x12/Claim837"
import { ControlNumbers, type HighWaterMark } from "@openrcm/x12/ControlNumbers"
import type { Problem } from "@openrcm/x12/Problem"
import * as Reader from "@openrcm/x12/Reader"
import { Effect, Result } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { delimiterSets, npi, submissionArb } from "./arbitraries.js"
import { normalize, viaNodeX12 } from "./nodeX12.js"

// biome-ignore lint/suspicious/noExplicitAny: fast-check's properties are typed by their generators
const holds = (p: fc.IProperty<any>): void => fc.assert(p)

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const text = (file: string) => readFileSync(join(fixtures, file), "utf8")

/** Where each problem is, without its message: `code@segment:ID/element[.component]`. */
const where = (problems: ReadonlyArray<Problem>) =>
  problems.map(
    (p) =>
      `${p.code}@${p.segmentIndex ?? "-"}:${p.segmentId ?? "-"}/${p.element ?? "-"}${p.component === undefined ? "" : `.${p.component}`}`
  )

const countBy = (problems: ReadonlyArray<{ code: string }>) => {
  const counts: Record<string, number> = {}
  for (const p of problems) counts[p.code] = (counts[p.code] ?? 0) + 1
  return counts
}

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${JSON.stringify(result.failure)}`)
  return result.success
}

const failures = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected validation failures")
  return result.failure
}

const controls: Controls = { interchange: "000000123", group: "45", transaction: "0001" }
const fixed: WriteOptions = { usage: "T", date: "20250304", time: "1200", sender: "OPENRCM", receiver: "CLEARHOUSE" }

describe("837P fixtures", () => {
  it("reads the implementation guide's example: a dependent patient, four lines, ICD-9 codes", () => {
    const { submissions, claims, problems } = read837(text("837P_oopfactory_5010_example1_health_insurance.x12"))
    expect(submissions).toHaveLength(1)
    const submission = submissions[0] as Submission837
    expect(submission.submitter).toEqual({
      name: "PREMIER BILLING SERVICE",
      id: "TGJ23",
      contact: { name: "JERRY", phone: "3055552222" }
    })
    expect(submission.receiver).toEqual({ name: "KEY INSURANCE COMPANY", id: "66783JJT" })
    expect(submission.billingProvider).toMatchObject({
      name: "BEN KILDARE SERVICE",
      npi: "9876543210",
      taxonomy: "203BF0100Y",
      ein: "587654321",
      address: { line1: "234 SEAWAY ST", city: "MIAMI", state: "FL", postalCode: "33111" }
    })
    expect(submission.payToAddress).toEqual({
      line1: "2345 OCEAN BLVD",
      city: "MAIMI",
      state: "FL",
      postalCode: "33111"
    })
    expect(claims).toHaveLength(1)
    const claim = claims[0] as Claim837
    expect(claim.subscriber).toEqual({
      memberId: "JS00111223333",
      name: { last: "SMITH", first: "JANE" },
      dob: "1943-05-01",
      sex: "F",
      responsibility: "P",
      groupNumber: "2222-SJ",
      claimFilingIndicator: "CI"
    })
    expect(claim.patient).toEqual({
      relationship: "19",
      name: { last: "SMITH", first: "TED" },
      dob: "1973-05-01",
      sex: "M",
      address: { line1: "236 N MAIN ST", city: "MIAMI", state: "FL", postalCode: "33413" }
    })
    expect(claim.payer).toEqual({ name: "KEY INSURANCE COMPANY", id: "999996666" })
    expect(claim.claim).toMatchObject({
      patientControlNumber: "26463774",
      totalCharge: 10_000,
      placeOfService: "11",
      frequency: "1",
      providerSignature: true,
      assignment: "A",
      benefitsAssignment: "Y",
      releaseOfInformation: "I",
      diagnoses: ["0340", "V7389"]
    })
    expect(claim.claim.lines.map((l) => [l.code, l.charge, l.units, l.diagnosisPointers, l.dateOfService])).toEqual([
      ["99213", 4000, 1, [1], "2006-10-03"],
      ["87070", 1500, 1, [1], "2006-10-03"],
      ["99214", 3500, 1, [2], "2006-10-10"],
      ["86663", 1000, 1, [2], "2006-10-10"]
    ])
    expect(claim.claim.lines[3]?.dateOfServiceEnd).toBe("2006-10-25")
    // The NPI 9876543210 fails its check digit; ICD-9 qualifiers are off-standard since 2015.
    expect(where(problems)).toEqual(["invalid-npi@9:NM1/9", "icd9-diagnosis@30:HI/-"])
    expect(problems.map((p) => p.severity)).toEqual(["error", "warning"])
  })

  it("reads coordination of benefits: other subscriber and payer, rendering provider, four pointers", () => {
    const { claims, problems } = read837(text("837P_oopfactory_5010_example3_cob.x12"))
    expect(claims).toHaveLength(1)
    const claim = (claims[0] as Claim837).claim
    expect(claim.patientControlNumber).toBe("26407789")
    expect(claim.totalCharge).toBe(7904)
    expect(claim.diagnoses).toEqual(["4779", "2724", "2780", "53081"])
    expect(claim.lines.map((l) => [l.code, l.charge, l.diagnosisPointers])).toEqual([
      ["99213", 4300, [1, 2, 3, 4]],
      ["90782", 1500, [1, 2]],
      ["J3301", 2104, [1, 2]]
    ])
    expect(claim.renderingProvider).toEqual({
      npi: "1999996666",
      name: { last: "KILDARE", first: "BEN" },
      taxonomy: "204C00000X"
    })
    expect(claim.serviceFacility).toEqual({
      name: "KILDARE ASSOCIATES",
      npi: "1581234567",
      address: { line1: "2345 OCEAN BLVD", city: "MIAMI", state: "FL", postalCode: "33111" }
    })
    expect(claim.otherPayers).toEqual([
      {
        responsibility: "S",
        relationship: "01",
        claimFilingIndicator: "CI",
        adjustments: [],
        benefitsAssignment: "Y",
        patientSignatureSource: "P",
        releaseOfInformation: "Y",
        subscriber: {
          name: { last: "SMITH", first: "JACK" },
          memberId: "T55TY666",
          address: { line1: "236 N MAIN ST", city: "MIAMI", state: "FL", postalCode: "33111" }
        },
        payer: { name: "KEY INSURANCE COMPANY", id: "999996666" }
      } satisfies OtherPayer
    ])
    // SBR*P*******CI is one element short: CI lands in SBR08 and SBR09 is empty.
    expect(where(problems)).toEqual([
      "invalid-npi@8:NM1/9",
      "bad-code@17:SBR/9",
      "icd9-diagnosis@31:HI/-",
      "invalid-npi@32:NM1/9",
      "invalid-npi@35:NM1/9"
    ])
  })

  it("reads the de-identified Medicaid file: | and > separators, five claims, masked values", () => {
    const { claims, problems } = read837(text("837P_oopfactory_5010_medicaid_deidentified.x12"))
    expect(claims).toHaveLength(5)
    expect(claims.map((c) => c.claim.patientControlNumber)).toEqual(["9999", "9999", "9999", "9999", "9999"])
    expect(claims.map((c) => c.subscriber.dob)).toEqual([
      "1991-04-06",
      "1991-04-06",
      "1991-04-06",
      "1999-11-30",
      "1999-11-30"
    ])
    for (const claim of claims) {
      expect(claim.subscriber.relationship).toBe("18")
      expect(claim.claim.totalCharge).toBe(9999)
      expect(claim.claim.referralNumber).toBe("99999999")
      expect(claim.claim.referringProvider).toEqual({ npi: "9999999999", name: { last: "XXXX" } })
      expect(claim.claim.lines.map((l) => [l.qualifier, l.code, l.charge, l.units, l.modifiers])).toEqual([
        ["XX", "99999", 9999, 99.99, []],
        ["XX", "X9999", 999, 9.99, []]
      ])
    }
    expect(claims[1]?.claim.lines[0]?.dateOfService).toBe("2011-12-13")
    // Masking broke the money, the frequency, the NPIs; and the claims carry no diagnosis at all.
    expect(countBy(problems)).toEqual({
      "invalid-npi": 6,
      "bad-code": 5,
      "claim-total": 5,
      "missing-diagnosis": 5,
      "missing-diagnosis-pointer": 10
    })
    expect(where(problems).slice(0, 7)).toEqual([
      "invalid-npi@9:NM1/9",
      "bad-code@21:CLM/5.3",
      "invalid-npi@23:NM1/9",
      "claim-total@21:CLM/2",
      "missing-diagnosis@21:CLM/-",
      "missing-diagnosis-pointer@25:SV1/7",
      "missing-diagnosis-pointer@28:SV1/7"
    ])
  })

  it("reads imsweb's 'valid' file and says what is wrong: SE count, HI syntax, duplicate HL", () => {
    const { claims, problems } = read837(text("837P_imsweb_x12_valid.x12"))
    expect(claims.map((c) => c.claim.patientControlNumber)).toEqual(["A37YH556", "A37YH667"])
    expect(claims.map((c) => c.claim.totalCharge)).toEqual([50_000, 50_000])
    // HI*BK*8901*BF*87200*BF:5559 is read as three diagnoses despite the broken separators.
    expect(claims.map((c) => c.claim.diagnoses)).toEqual([
      ["8901", "87200", "5559"],
      ["1987", "4134", "5559"]
    ])
    expect(claims.map((c) => c.claim.lines.map((l) => [l.code, l.modifiers, l.charge, l.diagnosisPointers]))).toEqual([
      [["99211", ["25"], 1225, [1]]],
      [["478331", ["25"], 1225, [1, 2, 3]]]
    ])
    expect(where(problems)).toEqual([
      "invalid-npi@8:NM1/9",
      "hi-syntax@22:HI/1",
      "hi-syntax@22:HI/3",
      "icd9-diagnosis@22:HI/-",
      // CLM02 is 500 for a 12.25 line.
      "claim-total@21:CLM/2",
      // No patient loop, so the subscriber is the patient: SBR02 must be 18 and DMG is required.
      "subscriber-relationship@18:SBR/2",
      "missing-segment@19:NM1/-",
      "hl-child-code@17:HL/4",
      // HL*2*3*22*1: the id 2 again, under a parent 3 that does not exist.
      "hl-duplicate@26:HL/1",
      "hl-parent@26:HL/2",
      "hi-syntax@31:HI/1",
      "hi-syntax@31:HI/3",
      "icd9-diagnosis@31:HI/-",
      "lx-sequence@32:LX/1",
      // SE*25 where the transaction has 34 segments.
      "segment-count@35:SE/1",
      "claim-total@30:CLM/2",
      "subscriber-relationship@27:SBR/2",
      "missing-segment@28:NM1/-",
      "hl-child-code@26:HL/4"
    ])
    const seCount = problems.find((p) => p.code === "segment-count")
    expect(seCount).toMatchObject({ interchange: "000000905", group: "1", transaction: "987654", severity: "error" })
  })
})

// -----------------------------------------------------------------------------------------------------------------
// A realistic behavioral-health batch
// -----------------------------------------------------------------------------------------------------------------

const billingNpi = npi("123456789")
const renderingNpi = npi("987654321")
const supervisingNpi = npi("555444333")

const bhSubmission: Submission837 = {
  reference: "BATCH20250304",
  submitter: {
    name: "HARBOR COUNSELING GROUP",
    id: "HCG0001",
    contact: { name: "BILLING OFFICE", phone: "5035550100", email: "billing@harbor.example" }
  },
  receiver: { name: "CLEARHOUSE INC", id: "CLEARHOUSE" },
  billingProvider: {
    name: "HARBOR COUNSELING GROUP",
    npi: billingNpi,
    taxonomy: "261QM0801X",
    ein: "931234567",
    address: { line1: "100 RIVER ST", line2: "SUITE 200", city: "PORTLAND", state: "OR", postalCode: "972041234" }
  },
  payToAddress: { line1: "PO BOX 4400", city: "PORTLAND", state: "OR", postalCode: "97208" },
  claims: [
    {
      // A child seen by telehealth at home: the parent is the subscriber.
      subscriber: {
        memberId: "ACM900800700",
        name: { last: "RIVERA", first: "MARIA" },
        dob: "1984-02-29",
        sex: "F",
        responsibility: "P",
        groupNumber: "GRP7788",
        claimFilingIndicator: "CI"
      },
      patient: {
        relationship: "19",
        name: { last: "RIVERA", first: "LUCAS", middle: "J" },
        dob: "2012-07-15",
        sex: "M",
        address: { line1: "22 OAK AVE", city: "PORTLAND", state: "OR", postalCode: "97211" }
      },
      payer: { name: "ACME HEALTH", id: "ACME01" },
      claim: {
        patientControlNumber: "HCG-2025-000101",
        totalCharge: 14_750,
        placeOfService: "10",
        frequency: "1",
        providerSignature: true,
        assignment: "A",
        benefitsAssignment: "Y",
        releaseOfInformation: "Y",
        patientSignatureSource: "P",
        priorAuthorization: "AUTH55512",
        diagnoses: ["F4322", "F900"],
        renderingProvider: { npi: renderingNpi, name: { last: "CHEN", first: "AVA" }, taxonomy: "101YM0800X" },
        supervisingProvider: { npi: supervisingNpi, name: { last: "OKAFOR", first: "DANIEL", suffix: "PHD" } },
        lines: [
          {
            code: "90834",
            modifiers: ["95", "HO"],
            charge: 13_500,
            units: 1,
            diagnosisPointers: [1, 2],
            dateOfService: "2025-02-20",
            lineControlNumber: "L101-1"
          },
          {
            code: "90785",
            modifiers: ["95"],
            charge: 1250,
            units: 1,
            diagnosisPointers: [1],
            dateOfService: "2025-02-20",
            lineControlNumber: "L101-2"
          }
        ]
      }
    },
    {
      // The same visit billed to the secondary after the primary paid: COB at claim and line level.
      subscriber: {
        memberId: "SEC44556677",
        name: { last: "RIVERA", first: "MARIA" },
        dob: "1984-02-29",
        sex: "F",
        responsibility: "S",
        claimFilingIndicator: "MC"
      },
      patient: {
        relationship: "19",
        name: { last: "RIVERA", first: "LUCAS", middle: "J" },
        dob: "2012-07-15",
        sex: "M"
      },
      payer: { name: "STATE MEDICAID", id: "SKMCD" },
      claim: {
        patientControlNumber: "HCG-2025-000102",
        totalCharge: 14_750,
        placeOfService: "10",
        frequency: "1",
        providerSignature: true,
        assignment: "A",
        benefitsAssignment: "Y",
        releaseOfInformation: "Y",
        diagnoses: ["F4322", "F900"],
        renderingProvider: { npi: renderingNpi, name: { last: "CHEN", first: "AVA" } },
        otherPayers: [
          {
            responsibility: "P",
            relationship: "01",
            groupNumber: "GRP7788",
            claimFilingIndicator: "CI",
            paidAmount: 8_000,
            remainingPatientLiability: 2_500,
            adjustments: [
              { group: "CO", reason: "45", amount: 4_250 },
              { group: "PR", reason: "2", amount: 2_500 }
            ],
            benefitsAssignment: "Y",
            releaseOfInformation: "Y",
            subscriber: { name: { last: "RIVERA", first: "MARIA" }, memberId: "ACM900800700" },
            payer: { name: "ACME HEALTH", id: "ACME01" },
            adjudicationDate: "2025-03-01"
          }
        ],
        lines: [
          {
            code: "90834",
            modifiers: ["95", "HO"],
            charge: 13_500,
            units: 1,
            diagnosisPointers: [1, 2],
            dateOfService: "2025-02-20",
            otherPayerAdjudication: [
              {
                payerId: "ACME01",
                paidAmount: 8_000,
                code: "90834",
                modifiers: ["95", "HO"],
                paidUnits: 1,
                adjustments: [
                  { group: "CO", reason: "45", amount: 3_000 },
                  { group: "PR", reason: "2", amount: 2_500 }
                ],
                adjudicationDate: "2025-03-01"
              }
            ]
          },
          {
            code: "90785",
            modifiers: ["95"],
            charge: 1250,
            units: 1,
            diagnosisPointers: [1],
            dateOfService: "2025-02-20",
            otherPayerAdjudication: [
              {
                payerId: "ACME01",
                paidAmount: 0,
                code: "90785",
                modifiers: ["95"],
                paidUnits: 0,
                bundledLineNumber: 1,
                adjustments: [{ group: "CO", reason: "97", amount: 1_250 }],
                adjudicationDate: "2025-03-01"
              }
            ]
          }
        ]
      }
    },
    {
      // An adult self-pay subscriber's corrected claim: frequency 7 with the payer's claim number.
      subscriber: {
        memberId: "ACM123123123",
        name: { last: "NGUYEN", first: "CASEY" },
        dob: "1975-09-30",
        sex: "U",
        address: { line1: "9 ELM ST", city: "SALEM", state: "OR", postalCode: "97301" },
        relationship: "18",
        responsibility: "P",
        claimFilingIndicator: "CI"
      },
      payer: {
        name: "ACME HEALTH",
        id: "ACME01",
        address: { line1: "PO BOX 1", city: "BOISE", state: "ID", postalCode: "83701" }
      },
      claim: {
        patientControlNumber: "HCG-2025-000077",
        totalCharge: 20_000,
        placeOfService: "11",
        frequency: "7",
        providerSignature: true,
        assignment: "A",
        benefitsAssignment: "Y",
        releaseOfInformation: "Y",
        payerClaimControlNumber: "ACME2025000123456",
        diagnoses: ["F331"],
        lines: [
          {
            code: "90837",
            modifiers: [],
            charge: 20_000,
            units: 1,
            placeOfService: "02",
            diagnosisPointers: [1],
            dateOfService: "2025-01-10",
            priorAuthorization: "AUTH-LINE-9"
          }
        ]
      }
    }
  ]
}

const segmentsOf = (x12: string) => Segments.split(x12).segments.map((s) => s.elements.join("*"))

describe("837P model entries", () => {
  it("reads a Segment object as it reads the segment in place: the same events for every 837P fixture", () => {
    const files = [
      "837P_oopfactory_5010_example1_health_insurance.x12",
      "837P_oopfactory_5010_example3_cob.x12",
      "837P_oopfactory_5010_medicaid_deidentified.x12",
      "837P_imsweb_x12_valid.x12"
    ]
    // Without its in-place entry, the reader hands the model a Segment object for each segment.
    const throughSegments = (context: Reader.ModelContext): Reader.TransactionModel => {
      const model = make837(context)
      return model.flush === undefined
        ? { segment: model.segment, end: model.end }
        : { segment: model.segment, flush: model.flush, end: model.end }
    }
    for (const file of files) {
      const inPlace = Reader.readEvents(text(file), { models: { "837": make837 } })
      const objects = Reader.readEvents(text(file), { models: { "837": throughSegments } })
      expect(inPlace.events.some((e) => e._tag === "Item")).toBe(true)
      expect(objects).toEqual(inPlace)
    }
  })
})

describe("837P writer", () => {
  it("writes a behavioral-health batch the X12 way and reads it back to the same model", () => {
    const x12 = ok(write837(bhSubmission, controls, fixed))
    const segments = segmentsOf(x12)
    expect(
      x12.startsWith(
        "ISA*00*          *00*          *ZZ*OPENRCM        *ZZ*CLEARHOUSE     *250304*1200*^*00501*000000123*0*T*:~"
      )
    ).toBe(true)
    expect(segments).toContain("GS*HC*OPENRCM*CLEARHOUSE*20250304*1200*45*X*005010X222A1")
    expect(segments).toContain("BHT*0019*00*BATCH20250304*20250304*1200*CH")
    expect(segments).toContain("HL*1**20*1")
    expect(segments).toContain("HL*2*1*22*1")
    expect(segments).toContain("HL*3*2*23*0")
    expect(segments).toContain("PAT*19")
    expect(segments).toContain("HL*4*1*22*1")
    expect(segments).toContain("HL*5*4*23*0")
    expect(segments).toContain("HL*6*1*22*0")
    expect(segments).toContain("SBR*P*18*******CI")
    // 135.00 + 12.50: no trailing zeros.
    expect(segments).toContain("CLM*HCG-2025-000101*147.5***10:B:1*Y*A*Y*Y*P")
    expect(segments).toContain("SV1*HC:90834:95:HO*135*UN*1***1:2")
    expect(segments).toContain("SV1*HC:90785:95*12.5*UN*1***1")
    expect(segments).toContain("SV1*HC:90837*200*UN*1*02**1")
    expect(segments).toContain("REF*G1*AUTH55512")
    expect(segments).toContain("REF*F8*ACME2025000123456")
    expect(segments).toContain("CLM*HCG-2025-000077*200***11:B:7*Y*A*Y*Y")
    expect(segments).toContain("HI*ABK:F4322*ABF:F900")
    expect(segments).toContain(`NM1*DQ*1*OKAFOR*DANIEL***PHD*XX*${supervisingNpi}`)
    expect(segments).toContain("PRV*PE*PXC*101YM0800X")
    expect(segments).toContain("SBR*P*01*GRP7788******CI")
    expect(segments).toContain("CAS*CO*45*42.5")
    expect(segments).toContain("AMT*D*80")
    expect(segments).toContain("OI***Y***Y")
    expect(segments).toContain("SVD*ACME01*0*HC:90785:95**0*1")
    expect(segments).toContain("DTP*573*D8*20250301")
    expect(segments.slice(-2)).toEqual(["GE*1*45", "IEA*1*000000123"])

    const read = read837(x12)
    expect(read.problems).toEqual([])
    expect(read.submissions).toEqual([bhSubmission])
  })

  it("counts what X12 counts: SE01, GE01, IEA01, HL numbers and parents, CLM02", () => {
    const x12 = ok(write837(bhSubmission, controls, { ...fixed, newline: true }))
    expect(x12.split("\n").length).toBeGreaterThan(50)
    const segments = Segments.split(x12).segments
    const st = segments.findIndex((s) => s.id === "ST")
    const se = segments.findIndex((s) => s.id === "SE")
    expect(Number(segments[se]?.elements[1])).toBe(se - st + 1)
    expect(segments[se]?.elements[2]).toBe("0001")
    const hls = segments.filter((s) => s.id === "HL").map((s) => s.elements.slice(1))
    expect(hls.map((h) => h[0])).toEqual(["1", "2", "3", "4", "5", "6"])
    expect(hls.map((h) => h[1])).toEqual(["", "1", "2", "1", "4", "1"])
    for (const clm of segments.filter((s) => s.id === "CLM")) {
      // CLM02 = Σ SV102 of the lines that follow it, up to the next claim.
      let sum = 0
      for (let i = clm.index + 1; i < segments.length; i++) {
        const s = segments[i] as Segments.Segment
        if (s.id === "CLM" || s.id === "HL" || s.id === "SE") break
        if (s.id === "SV1") sum += Math.round(Number(s.elements[2]) * 100)
      }
      expect(Math.round(Number(clm.elements[2]) * 100)).toBe(sum)
    }
  })

  it("writes the pay-to loop only for another address than the billing provider's", () => {
    const billing = bhSubmission.billingProvider
    const same = { ...billing.address, postalCode: billing.address.postalCode.slice(0, 5) }
    expect(failures(write837({ ...bhSubmission, payToAddress: same }, controls, fixed))).toEqual([
      {
        path: "payToAddress",
        message: "is the billing provider's address: leave it out (the pay-to loop is for another address)"
      }
    ])
    const first = bhSubmission.claims[0] as Claim837
    const ownBilling = { ...first, billing: { provider: billing, payToAddress: billing.address } }
    expect(failures(write837({ ...bhSubmission, claims: [ownBilling] }, controls, fixed)).map((f) => f.path)).toEqual([
      "claims[0].billing.payToAddress"
    ])
    // Another suite at the same street is another address.
    const suite = { ...billing.address, line2: "SUITE 300" }
    expect(ok(write837({ ...bhSubmission, payToAddress: suite }, controls, fixed))).toContain("NM1*87*2~")
  })

  it("refuses to write what is wrong, and says where without quoting values", () => {
    const first = bhSubmission.claims[0] as Claim837
    const withClaim = (claim: Partial<Claim837["claim"]>): Submission837 => ({
      ...bhSubmission,
      claims: [{ ...first, claim: { ...first.claim, ...claim } }]
    })
    const badNpi = failures(
      write837(
        { ...bhSubmission, billingProvider: { ...bhSubmission.billingProvider, npi: "1234567890" } },
        controls,
        fixed
      )
    )
    expect(badNpi.map((f) => f.path)).toEqual(["billingProvider.npi"])
    expect(badNpi[0]?.message).not.toContain("1234567890")

    const thirteen = [
      "F4322",
      "F900",
      "F411",
      "F331",
      "F320",
      "F429",
      "F431",
      "F919",
      "F509",
      "F840",
      "F952",
      "F410",
      "F603"
    ]
    expect(failures(write837(withClaim({ diagnoses: thirteen }), controls, fixed))).toEqual([
      { path: "claims[0].claim.diagnoses", message: "at most 12 diagnoses" }
    ])

    const line = first.claim.lines[0] as ServiceLine837
    const pointer5 = withClaim({
      diagnoses: ["F4322", "F900", "F411", "F331"],
      lines: [{ ...line, diagnosisPointers: [1, 5] }, ...first.claim.lines.slice(1)]
    })
    expect(failures(write837(pointer5, controls, fixed)).map((f) => f.path)).toEqual([
      "claims[0].claim.lines[0].diagnosisPointers[1]"
    ])

    expect(failures(write837(withClaim({ frequency: "7" }), controls, fixed))).toEqual([
      {
        path: "claims[0].claim.payerClaimControlNumber",
        message: "is required when the frequency is 7 (replacement) or 8 (void)"
      }
    ])

    const more = withClaim({
      totalCharge: 1,
      lines: [{ ...line, modifiers: ["95", "HO", "GT", "U4", "59"], diagnosisPointers: [1, 2, 1, 2, 1] }]
    })
    expect(failures(write837(more, controls, fixed)).map((f) => f.path)).toEqual([
      "claims[0].claim.lines[0].modifiers",
      "claims[0].claim.lines[0].diagnosisPointers",
      "claims[0].claim.totalCharge"
    ])

    const delimiter = failures(
      write837({ ...bhSubmission, receiver: { ...bhSubmission.receiver, name: "A*B" } }, controls, fixed)
    )
    expect(delimiter).toEqual([{ path: "receiver.name", message: "must not contain a delimiter character" }])
    expect(failures(write837(bhSubmission, { ...controls, interchange: "123" }, fixed))).toEqual([
      { path: "controls.interchange", message: "must be 9 digits" }
    ])
    expect(Result.isFailure(write837Lines({ ...bhSubmission, claims: [] }, controls, fixed))).toBe(true)
  })

  it("needs the date and time from the caller: the same submission always writes the same text", () => {
    const { date: _date, time: _time, ...undated } = fixed
    expect(failures(write837(bhSubmission, controls, undated as WriteOptions))).toEqual([
      { path: "options.date", message: "is required" },
      { path: "options.time", message: "is required" }
    ])
    expect(ok(write837(bhSubmission, controls, fixed))).toBe(ok(write837(bhSubmission, controls, fixed)))
  })

  it("reads back what an edit broke, with positions: CLM02, pointers, 13 diagnoses, NPI, a 7 without F8", () => {
    const x12 = ok(write837(bhSubmission, controls, fixed))
    const thirteen = Array.from({ length: 13 }, (_, i) => `${i === 0 ? "ABK" : "ABF"}:F${40 + i}1`).join("*")
    const broken = x12
      .replace("CLM*HCG-2025-000101*147.5*", "CLM*HCG-2025-000101*150*")
      .replace("SV1*HC:90785:95*12.5*UN*1***1~", "SV1*HC:90785:95*12.5*UN*1***1:3~")
      .replace("HI*ABK:F331~", `HI*${thirteen}~`)
      .replace(`NM1*DQ*1*OKAFOR*DANIEL***PHD*XX*${supervisingNpi}`, "NM1*DQ*1*OKAFOR*DANIEL***PHD*XX*1234567890")
      .replace("REF*F8*ACME2025000123456~", "")
      .replace(/~SE\*(\d+)\*/u, (_, n) => `~SE*${Number(n) - 1}*`)
    const segments = Segments.split(broken).segments
    const indexOf = (prefix: string) => segments.findIndex((s) => s.elements.join("*").startsWith(prefix))
    const { claims, problems } = read837(broken)
    expect(claims).toHaveLength(3)
    expect(claims[2]?.claim.diagnoses).toHaveLength(12)
    expect(where(problems)).toEqual([
      `invalid-npi@${indexOf("NM1*DQ")}:NM1/9`,
      `claim-total@${indexOf("CLM*HCG-2025-000101")}:CLM/2`,
      `diagnosis-pointer@${indexOf("SV1*HC:90785:95*12.5*UN*1***1:3")}:SV1/7.2`,
      `too-many-diagnoses@${indexOf("HI*ABK:F401")}:HI/13`,
      `missing-payer-claim-control-number@${indexOf("CLM*HCG-2025-000077")}:CLM/5.3`
    ])
    expect(problems.every((p) => p.transaction === "0001" && p.interchange === "000000123")).toBe(true)
    // Strict mode stops at the first error.
    expect(() => read837(broken, { mode: "strict" })).toThrow(/invalid-npi/)
  })

  it("formats amounts without trailing zeros", () => {
    expect([13_500, 1250, 2104, 7904, 5, 0, -250, 100_000_00].map(formatAmount)).toEqual([
      "135",
      "12.5",
      "21.04",
      "79.04",
      "0.05",
      "0",
      "-2.5",
      "100000"
    ])
  })

  it("streams segments: joined, they are write837's text; a large batch goes segment by segment", () => {
    const streamed = ok(write837Lines(bhSubmission, controls, fixed))
    expect([...streamed].join("")).toBe(ok(write837(bhSubmission, controls, fixed)))
    // The iterable can be walked again.
    expect([...streamed].join("")).toBe(ok(write837(bhSubmission, controls, fixed)))

    const template = bhSubmission.claims[2] as Claim837
    const batch: Submission837 = {
      ...bhSubmission,
      claims: Array.from({ length: 5_000 }, (_, i) => ({
        ...template,
        claim: { ...template.claim, patientControlNumber: `PCN${i}` }
      }))
    }
    const reader = new Reader.Reader({ models: { "837": make837 } })
    let segments = 0
    let items = 0
    let longest = 0
    let itemsWhenLastClaimStarts = -1
    let inModel = -1
    const see = (event: Reader.Event) => {
      if (event._tag === "Item") items++
      if (event._tag === "Transaction") inModel = (event.model as Submission837).claims.length
    }
    for (const segment of ok(write837Lines(batch, controls, fixed))) {
      segments++
      longest = Math.max(longest, segment.length)
      if (segment.startsWith("CLM*PCN4999*")) itemsWhenLastClaimStarts = items
      for (const event of reader.push(segment)) see(event)
    }
    for (const event of reader.end()) see(event)
    expect(reader.problems).toEqual([])
    // Each claim came out as soon as the next one began: 4,999 before the last CLM; the last one at SE.
    expect(itemsWhenLastClaimStarts).toBe(4_999)
    expect(items + inModel).toBe(5_000)
    expect(inModel).toBe(0)
    expect(longest).toBeLessThan(200)
    expect(segments).toBeGreaterThan(5_000 * 10)
  })

  it("writes a name past ASCII and delimiters past ASCII as given: counts right, streamed the same, read back equal", () => {
    // ASCII claims are written as bytes; a claim with any other character is written again as a string.
    const claims = bhSubmission.claims.map((c, i) =>
      i === 1 ? { ...c, subscriber: { ...c.subscriber, name: { ...c.subscriber.name, first: "JOSÉ" } } } : c
    )
    const submission: Submission837 = { ...bhSubmission, claims }
    const delimiterChoices = [undefined, { element: "§", component: ":", repetition: "^", segment: "~" }]
    for (const delimiters of delimiterChoices) {
      const options = delimiters === undefined ? fixed : { ...fixed, delimiters }
      const x12 = ok(write837(submission, controls, options))
      expect(x12).toContain(`${delimiters?.element ?? "*"}JOSÉ${delimiters?.element ?? "*"}`)
      expect([...ok(write837Lines(submission, controls, options))].join("")).toBe(x12)
      const read = read837(x12)
      expect(read.problems).toEqual([])
      expect(read.submissions).toEqual([submission])
      // Every other character is as in the all-ASCII batch: the HL numbers, SE01, the claims after it.
      const first = (bhSubmission.claims[1] as Claim837).subscriber.name.first
      expect(first).toBeDefined()
      expect(x12.replace("JOSÉ", first ?? "")).toBe(ok(write837(bhSubmission, controls, options)))
    }
  })
})

// -----------------------------------------------------------------------------------------------------------------
// Property: any valid model survives write → read
// -----------------------------------------------------------------------------------------------------------------

describe("837P round trip", () => {
  it("writes any valid model and reads the same model back, with the counts right", () => {
    holds(
      fc.property(submissionArb, delimiterSets, fc.boolean(), (submission, delimiters, newline) => {
        const written = write837(submission, controls, { ...fixed, delimiters, newline })
        if (Result.isFailure(written)) throw new Error(JSON.stringify(written.failure))
        const read = read837(written.success)
        expect(read.problems).toEqual([])
        expect(read.submissions).toEqual([submission])
        // An independent count: SE01 is the number of segments from ST to SE.
        const segments = Segments.split(written.success).segments
        const se = segments.find((s) => s.id === "SE")
        expect(Number(se?.elements[1])).toBe(segments.length - 4)
      })
    )
  }, 60_000)

  it("keeps claims of another billing provider apart, in their own HL 20", () => {
    const other = { ...bhSubmission.billingProvider, name: "HARBOR EAST", npi: npi("222333444") }
    const claims = bhSubmission.claims.map((c, i) => (i === 1 ? { ...c, billing: { provider: other } } : c))
    const submission = { ...bhSubmission, claims }
    const x12 = ok(write837(submission, controls, fixed))
    expect(segmentsOf(x12).filter((s) => s.startsWith("HL*") && s.endsWith("*20*1"))).toEqual([
      "HL*1**20*1",
      "HL*4**20*1",
      "HL*7**20*1"
    ])
    const read = read837(x12)
    expect(read.problems).toEqual([])
    expect(read.submissions).toEqual([submission])
  })
})

// -----------------------------------------------------------------------------------------------------------------
// Control numbers
// -----------------------------------------------------------------------------------------------------------------

describe("ControlNumbers", () => {
  effectIt.effect("never repeats a number across 10,000 calls", () =>
    Effect.gen(function* () {
      const numbers = yield* ControlNumbers
      const seen = new Set<string>()
      for (let i = 0; i < 10_000; i++) seen.add(yield* numbers.next("interchange", "OPENRCM", "CLEARHOUSE"))
      expect(seen.size).toBe(10_000)
      for (const n of seen) expect(n).toMatch(/^\d{9}$/)
      expect(yield* numbers.next("interchange", "OPENRCM", "CLEARHOUSE")).toBe("000010001")
    }).pipe(Effect.provide(ControlNumbers.layerMemory))
  )

  effectIt.effect("counts separately per kind and per sender and receiver pair, in each element's format", () =>
    Effect.gen(function* () {
      const numbers = yield* ControlNumbers
      const a = [yield* numbers.next("group", "A", "B"), yield* numbers.next("group", "A", "B")]
      const b = yield* numbers.next("group", "A", "C")
      const c = yield* numbers.next("group", "B", "A")
      expect([...a, b, c]).toEqual(["1", "2", "1", "1"])
      expect(yield* numbers.next("transaction", "A", "B")).toBe("0001")
      expect(yield* numbers.next("interchange", "A", "B")).toBe("000000001")
      // ISA06 is padded: the same sender with and without its padding is one sender.
      expect(yield* numbers.next("group", "A              ", "B")).toBe("3")
      const marks = yield* numbers.highWaterMarks
      expect(marks).toContainEqual({ kind: "group", sender: "A", receiver: "B", last: 3 })
    }).pipe(Effect.provide(ControlNumbers.layerMemory))
  )

  const stored: ReadonlyArray<HighWaterMark> = [
    { kind: "interchange", sender: "OPENRCM", receiver: "CLEARHOUSE", last: 41 },
    { kind: "transaction", sender: "OPENRCM", receiver: "CLEARHOUSE", last: 123_456 }
  ]

  effectIt.effect("resumes after stored high-water marks", () =>
    Effect.gen(function* () {
      const numbers = yield* ControlNumbers
      expect(yield* numbers.next("interchange", "OPENRCM", "CLEARHOUSE")).toBe("000000042")
      expect(yield* numbers.next("transaction", "OPENRCM", "CLEARHOUSE")).toBe("123457")
      expect(yield* numbers.next("interchange", "OPENRCM", "OTHER")).toBe("000000001")
    }).pipe(Effect.provide(ControlNumbers.layerFrom(stored)))
  )

  effectIt.effect("numbers a written interchange", () =>
    Effect.gen(function* () {
      const numbers = yield* ControlNumbers
      const next = (kind: "interchange" | "group" | "transaction") => numbers.next(kind, "OPENRCM", "CLEARHOUSE")
      const first = {
        interchange: yield* next("interchange"),
        group: yield* next("group"),
        transaction: yield* next("transaction")
      }
      const second = {
        interchange: yield* next("interchange"),
        group: yield* next("group"),
        transaction: yield* next("transaction")
      }
      const texts = [first, second].map((c) => ok(write837(bhSubmission, c, fixed)))
      expect(texts.map((t) => Segments.split(t).segments[0]?.elements[13])).toEqual(["000000001", "000000002"])
      expect(read837(texts.join("")).problems).toEqual([])
    }).pipe(Effect.provide(ControlNumbers.layerMemory))
  )
})

describe("837P output read by an unrelated reader", () => {
  it("node-x12, in whole-file mode, sees the same segments and elements as we wrote", () => {
    const written = ok(write837(bhSubmission, controls, fixed))
    const rows = viaNodeX12(written)
    const ours = Segments.split(written).segments.map((s) => [...s.elements])
    expect(rows.length).toBeGreaterThan(40)
    expect(normalize(rows)).toEqual(normalize(ours))
  })
})
