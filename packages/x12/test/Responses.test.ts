import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Problem } from "@openrcm/x12"
import { read999, readTA1 } from "@openrcm/x12/Ack999"
import {
  type ClaimStatus,
  combinedOutcome,
  type Outcome,
  read277,
  type StatusSegment
} from "@openrcm/x12/ClaimStatus277"
import {
  type Benefit,
  type EligibilityMember,
  type Party,
  parseBasisPoints,
  parseCents,
  read271,
  readDate
} from "@openrcm/x12/Eligibility271"
import { split } from "@openrcm/x12/Segments"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "../../../../shared/fixtures/x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")

/** Problems without their envelope position, for compact expectations. */
const located = (problems: ReadonlyArray<Problem.Problem>) =>
  problems.map((p) => [p.severity, p.code, p.segmentIndex, p.segmentId, p.element])

const party = (
  entity: string,
  organization: boolean,
  name: string,
  idQualifier: string | undefined,
  id: string | undefined,
  firstName?: string,
  middleName?: string
): Party => ({
  entity,
  organization,
  name,
  firstName,
  middleName,
  suffix: undefined,
  idQualifier,
  id
})

const abcCompany = party("PR", true, "ABC COMPANY", "PI", "842610001")
const boneAndJoint = party("1P", true, "BONE AND JOINT CLINIC", "SV", "2000035")
const marcusJones = party("P3", false, "JONES", "SV", "0202034", "MARCUS")
const john = {
  name: party("IL", false, "SMITH", "MI", "123456789", "JOHN"),
  memberId: "123456789",
  birthDate: "1963-05-19",
  gender: "M",
  address: {
    lines: ["15197 BROADWAY AVENUE", "APT 215"],
    city: "KANSAS CITY",
    state: "MO",
    postalCode: "64108",
    country: undefined
  },
  relationship: undefined
}
const day = (iso: string) => ({ start: iso, end: iso })

const benefit = (fields: Partial<Benefit> & Pick<Benefit, "segmentIndex" | "code" | "meaning">): Benefit => ({
  description: undefined,
  coverageLevel: undefined,
  serviceTypes: [],
  insuranceType: undefined,
  planDescription: undefined,
  timePeriod: undefined,
  timePeriodMeaning: undefined,
  amountCents: undefined,
  percentBasisPoints: undefined,
  quantityQualifier: undefined,
  quantityDescription: undefined,
  quantity: undefined,
  authorizationRequired: undefined,
  inNetwork: undefined,
  procedure: undefined,
  dates: [],
  references: [],
  messages: [],
  entities: [],
  rejections: [],
  ...fields
})

const smithMember = (benefits: ReadonlyArray<Benefit>): EligibilityMember => ({
  level: "subscriber",
  hl: "3",
  segmentIndex: 8,
  payer: abcCompany,
  provider: boneAndJoint,
  subscriber: john,
  dependent: undefined,
  traces: [{ type: "2", reference: "93175-012547", originator: "9877281234", secondary: undefined }],
  dates: {
    planBegin: day("2006-01-01"),
    planEnd: undefined,
    plan: undefined,
    eligibility: undefined,
    eligibilityBegin: undefined,
    eligibilityEnd: undefined,
    all: [{ qualifier: "346", period: day("2006-01-01") }]
  },
  plan: { name: "GOLD 123 PLAN", number: undefined, groupNumber: undefined, groupName: undefined },
  references: [],
  benefits,
  rejections: []
})

const header271 = {
  purpose: "11",
  reference: "10001234",
  created: "2006-05-01",
  createdTime: "1319",
  payers: [abcCompany],
  providers: [boneAndJoint]
}

const isa = (control: string, component = ":") =>
  `ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       *250304*1200*^*00501*${control}*0*T*${component}~`

/** An interchange around one transaction set's body (ST to SE exclusive): SE01 counted here. */
const wrap = (functionalId: string, setId: string, version: string, body: ReadonlyArray<string>) =>
  [
    isa("000000101"),
    `GS*${functionalId}*PAYER*PROVIDER*20250304*1200*101*X*${version}~`,
    `ST*${setId}*0001*${version}~`,
    ...body.map((s) => `${s}~`),
    `SE*${body.length + 2}*0001~`,
    "GE*1*101~",
    "IEA*1*000000101~"
  ].join("\n")

describe("exact decimals", () => {
  it.each([
    ["10", 1000],
    ["125.0", 12500],
    ["8513.88", 851388],
    ["-5.5", -550],
    [".5", 50],
    ["7599.", 759900],
    ["0.10", 10],
    ["-0", 0],
    ["10.500", 1050],
    ["19.99", 1999]
  ])("%s is %i cents", (text, cents) => {
    expect(parseCents(text)).toBe(cents)
  })

  it.each(["", ".", "12.345", "1e3", "$10", "1,000", "10 ", "+5", "--1", "99999999999999999"])(
    "%j is no amount",
    (text) => {
      expect(parseCents(text)).toBeUndefined()
    }
  )

  it.each([
    ["0.2", 2000],
    ["0.25", 2500],
    ["1", 10000],
    ["0.125", 1250],
    ["0.0001", 1],
    [".8", 8000]
  ])("percent %s is %i basis points", (text, bp) => {
    expect(parseBasisPoints(text)).toBe(bp)
  })

  it("refuses fractions of a basis point, and reads D8/RD8 dates strictly", () => {
    expect(parseBasisPoints("0.12345")).toBeUndefined()
    expect(readDate("D8", "20240229")).toEqual(day("2024-02-29"))
    expect(readDate("D8", "20230229")).toBeUndefined()
    expect(readDate("RD8", "20250101-20251231")).toEqual({ start: "2025-01-01", end: "2025-12-31" })
    expect(readDate("RD8", "20251231-20250101")).toBeUndefined()
    expect(readDate("DT", "202501011200")).toBeUndefined()
  })
})

describe("271", () => {
  it("the MH copay fixture: $10 per visit in network, $30 out of network, for MH among ten service types", () => {
    const { transactions, problems } = read271(fixture("271_oopfactory_5010_example_3_1_2_mh_copay"))
    expect(problems).toEqual([])
    const serviceTypes = ["1", "33", "35", "47", "86", "88", "98", "AL", "MH", "UC"]
    const copay = { code: "B", meaning: "copay", description: "Co-Payment", serviceTypes } as const
    expect(transactions).toEqual([
      {
        control: "4321",
        version: "005010X279",
        ...header271,
        rejections: [],
        members: [
          smithMember([
            benefit({
              segmentIndex: 15,
              code: "1",
              meaning: "active",
              description: "Active Coverage",
              serviceTypes: ["30"],
              planDescription: "GOLD 123 PLAN"
            }),
            benefit({
              segmentIndex: 16,
              code: "L",
              meaning: "primary-care-provider",
              description: "Primary Care Provider",
              entities: [
                { segmentIndex: 18, party: marcusJones, address: undefined, contacts: [], taxonomy: undefined }
              ]
            }),
            benefit({ segmentIndex: 20, code: "1", meaning: "active", description: "Active Coverage", serviceTypes }),
            benefit({
              segmentIndex: 21,
              ...copay,
              insuranceType: "HM",
              planDescription: "GOLD 123 PLAN",
              timePeriod: "27",
              timePeriodMeaning: "visit",
              amountCents: 1000,
              inNetwork: "Y"
            }),
            benefit({
              segmentIndex: 22,
              ...copay,
              insuranceType: "HM",
              planDescription: "GOLD 123 PLAN",
              timePeriod: "27",
              timePeriodMeaning: "visit",
              amountCents: 3000,
              inNetwork: "N"
            })
          ])
        ]
      }
    ])
    // The question a front desk asks: the MH copay per visit, by network.
    const member = transactions[0]?.members[0]
    const mhCopays = member?.benefits
      .filter((b) => b.meaning === "copay" && b.serviceTypes.includes("MH") && b.timePeriodMeaning === "visit")
      .map((b) => [b.inNetwork, b.amountCents])
    expect(mhCopays).toEqual([
      ["Y", 1000],
      ["N", 3000]
    ])
  })

  it("the AAA reject fixture: provider ineligible for inquiries, no resubmission, at 2100B", () => {
    const { transactions, problems } = read271(fixture("271_oopfactory_5010_example_3_1_3_aaa_reject"))
    expect(transactions).toEqual([
      {
        control: "4323",
        version: "005010X279",
        ...header271,
        rejections: [
          {
            loop: "2100B",
            segmentIndex: 8,
            valid: true,
            reason: "50",
            reasonDescription: "Provider Ineligible for Inquiries",
            followUp: "N",
            followUpDescription: "Resubmission Not Allowed"
          }
        ],
        members: []
      }
    ])
    // HL*2*1*21*1 promises a subscriber level that never comes.
    expect(located(problems)).toEqual([["warning", "hl-child-code", 6, "HL", 4]])
  })

  it("imsweb x271: its content, and the envelope's problems with their positions", () => {
    const { transactions, problems } = read271(fixture("271_imsweb_x271"))
    expect(transactions).toEqual([
      {
        control: "4321",
        version: "005010X279A1",
        ...header271,
        rejections: [],
        members: [
          smithMember([
            benefit({
              segmentIndex: 15,
              code: "1",
              meaning: "active",
              description: "Active Coverage",
              serviceTypes: ["30"],
              planDescription: "GOLD 123 PLAN",
              entities: [
                { segmentIndex: 17, party: marcusJones, address: undefined, contacts: [], taxonomy: undefined }
              ]
            })
          ])
        ]
      }
    ])
    expect(problems).toEqual([
      {
        interchange: "000003438",
        group: "14420",
        transaction: "4321",
        severity: "warning",
        code: "version-mismatch",
        message: "ST03 differs from GS08",
        segmentIndex: 2,
        segmentId: "ST",
        element: 3
      },
      {
        interchange: "000003438",
        group: "14420",
        transaction: "4321",
        severity: "error",
        code: "segment-count",
        message: "SE01 counts 22 segments; there are 18",
        segmentIndex: 19,
        segmentId: "SE",
        element: 1
      },
      {
        interchange: "000003438",
        severity: "error",
        code: "control-mismatch",
        message: "IEA02 does not match ISA13",
        segmentIndex: 21,
        segmentId: "IEA",
        element: 2
      }
    ])
  })

  const family = wrap("HB", "271", "005010X279A1", [
    "BHT*0022*11*INQ-1*20250304*1200", // 3
    "HL*1**20*1", // 4
    "NM1*PR*2*ACME HEALTH*****PI*12345", // 5
    "HL*2*1*21*1", // 6
    "NM1*1P*1*DOE*JANE****XX*1234567893", // 7
    "HL*3*2*22*1", // 8
    "TRN*2*TRACE-1*9877281234", // 9
    "NM1*IL*1*ROE*RICHARD*Q***MI*W123456789", // 10
    "REF*18*PLAN-77*ACME GOLD PPO", // 11
    "REF*6P*GRP-9*ACME EMPLOYEES", // 12
    "DMG*D8*19800229*M", // 13
    "DTP*346*D8*20250101", // 14
    "DTP*347*D8*20251231", // 15
    "DTP*307*RD8*20250101-20251231", // 16
    "EB*1*FAM*30*PR*GOLD PPO", // 17
    "EB*C*IND*30***23*1500*****Y", // 18
    "EB*A*IND*MH^A6***27**0.2****Y", // 19
    "EB*F*IND*A6***29***VS*12*Y*Y", // 20
    "MSG*PRIOR AUTHORIZATION REQUIRED AFTER 12 VISITS", // 21
    "DTP*348*D8*20250101", // 22
    "EB*ZZ*IND*MH***27*12.345", // 23
    "HL*4*3*23*0", // 24
    "TRN*2*TRACE-2*9877281234", // 25
    "NM1*03*1*ROE*SALLY", // 26
    "INS*N*19", // 27
    "DMG*D8*20150231*F", // 28
    "AAA*N**58*C" // 29
  ])

  it("a subscriber and a dependent: plan ids, dates, deductible, coinsurance, a visit limit, AAA at 2100D", () => {
    const { transactions } = read271(family)
    const [subscriber, dependent] = transactions[0]?.members ?? []
    expect(subscriber?.plan).toEqual({
      name: "ACME GOLD PPO",
      number: "PLAN-77",
      groupNumber: "GRP-9",
      groupName: "ACME EMPLOYEES"
    })
    expect(subscriber?.subscriber?.birthDate).toBe("1980-02-29")
    expect(subscriber?.subscriber?.name.middleName).toBe("Q")
    expect(subscriber?.provider).toEqual(party("1P", false, "DOE", "XX", "1234567893", "JANE"))
    expect(subscriber?.dates).toMatchObject({
      planBegin: day("2025-01-01"),
      planEnd: day("2025-12-31"),
      eligibility: { start: "2025-01-01", end: "2025-12-31" },
      plan: undefined
    })
    expect(
      subscriber?.benefits.map((b) => [
        b.code,
        b.meaning,
        b.coverageLevel,
        b.serviceTypes,
        b.timePeriodMeaning,
        b.amountCents,
        b.percentBasisPoints,
        b.quantityQualifier,
        b.quantity,
        b.authorizationRequired,
        b.inNetwork
      ])
    ).toEqual([
      ["1", "active", "FAM", ["30"], undefined, undefined, undefined, undefined, undefined, undefined, undefined],
      ["C", "deductible", "IND", ["30"], "calendar-year", 150000, undefined, undefined, undefined, undefined, "Y"],
      ["A", "coinsurance", "IND", ["MH", "A6"], "visit", undefined, 2000, undefined, undefined, undefined, "Y"],
      ["F", "limitation", "IND", ["A6"], "remaining", undefined, undefined, "VS", 12, "Y", "Y"],
      ["ZZ", "other", "IND", ["MH"], "visit", undefined, undefined, undefined, undefined, undefined, undefined]
    ])
    const limit = subscriber?.benefits[3]
    expect(limit?.messages).toEqual(["PRIOR AUTHORIZATION REQUIRED AFTER 12 VISITS"])
    expect(limit?.quantityDescription).toBe("Visits")
    expect(limit?.dates).toEqual([{ qualifier: "348", period: day("2025-01-01") }])
    expect(subscriber?.benefits[0]?.insuranceType).toBe("PR")

    expect(dependent?.level).toBe("dependent")
    expect(dependent?.subscriber?.memberId).toBe("W123456789")
    expect(dependent?.dependent?.name).toEqual(party("03", false, "ROE", undefined, undefined, "SALLY"))
    expect(dependent?.dependent?.relationship).toBe("19")
    expect(dependent?.dependent?.birthDate).toBeUndefined()
    expect(dependent?.dependent?.gender).toBe("F")
    expect(dependent?.payer).toEqual(party("PR", true, "ACME HEALTH", "PI", "12345"))
    expect(dependent?.traces).toEqual([
      { type: "2", reference: "TRACE-2", originator: "9877281234", secondary: undefined }
    ])
    const reject = {
      loop: "2100D",
      segmentIndex: 29,
      valid: false,
      reason: "58",
      reasonDescription: "Invalid/Missing Date-of-Birth",
      followUp: "C",
      followUpDescription: "Please Correct and Resubmit"
    }
    expect(dependent?.rejections).toEqual([reject])
    expect(transactions[0]?.rejections).toEqual([reject])
  })

  it("reports a malformed amount, an unknown EB01 and a bad date where they are, quoting no value", () => {
    const { problems } = read271(family)
    expect(located(problems)).toEqual([
      ["warning", "unknown-benefit-code", 23, "EB", 1],
      ["error", "bad-amount", 23, "EB", 7],
      ["error", "bad-date", 28, "DMG", 2]
    ])
    expect(problems.every((p) => p.transaction === "0001" && p.interchange === "000000101")).toBe(true)
    for (const p of problems) for (const value of ["12.345", "20150231", "ZZ"]) expect(p.message).not.toContain(value)
  })

  it("reports HL structure: numbering, unknown parents, levels out of place, child codes", () => {
    const { problems, transactions } = read271(
      wrap("HB", "271", "005010X279A1", [
        "HL*1**20*1", // 3
        "NM1*PR*2*ACME*****PI*1", // 4
        "HL*2*1*22*0", // 5: a subscriber right under the payer
        "NM1*IL*1*ROE*R****MI*1", // 6
        "HL*4*9*21*1", // 7: skips 3; parent 9 does not exist
        "HL*5**23*0", // 8: a dependent without a parent
        "EB*1" // 9: EB before the dependent's NM1
      ])
    )
    expect(located(problems)).toEqual([
      ["error", "hl-structure", 5, "HL", 3],
      ["error", "hl-sequence", 7, "HL", 1],
      ["error", "hl-parent", 7, "HL", 2],
      ["error", "hl-sequence", 8, "HL", 1],
      ["error", "hl-structure", 8, "HL", 2],
      ["warning", "hl-child-code", 7, "HL", 4],
      ["error", "hl-structure", 9, "EB", undefined]
    ])
    expect(transactions[0]?.members.map((m) => [m.level, m.hl])).toEqual([
      ["subscriber", "2"],
      ["dependent", "5"]
    ])
  })
})

describe("277CA", () => {
  const nysdoh = party("PR", true, "NYSDOH", "FI", "141797357")
  const status = (
    segmentIndex: number,
    category: string,
    categoryDescription: string,
    outcome: Outcome,
    code: string,
    chargeCents: number,
    entity?: string
  ): StatusSegment => ({
    segmentIndex,
    status: { category, categoryDescription, outcome, status: code, entity, codeListQualifier: undefined },
    secondStatus: undefined,
    thirdStatus: undefined,
    effectiveDate: "2011-03-11",
    action: "WQ",
    chargeCents,
    paymentCents: undefined,
    adjudicationDate: undefined,
    paymentMethod: undefined,
    checkDate: undefined,
    checkNumber: undefined,
    message: undefined
  })
  const receipt = (segmentIndex: number, cents: number) =>
    status(segmentIndex, "A1", "Acknowledgement/Receipt", "received", "20", cents)

  it("accepted: the claim's trace and payer claim number, A2 accepted into adjudication", () => {
    const { transactions, problems } = read277(fixture("277CA_imsweb_accepted"))
    expect(problems).toEqual([])
    const provider = party("85", false, "OCTOR", "XX", "1234567890", "IMA", "D")
    const receiver = party("41", true, "A NY MD GROUP", "46", "ETIN")
    expect(transactions).toEqual([
      {
        kind: "277CA",
        control: "000014420",
        version: "005010X214",
        reference: "000000674",
        created: "2011-03-11",
        transactionType: "TH",
        payers: [nysdoh],
        receivedDate: "2011-03-11",
        processedDate: "2011-03-11",
        batches: [
          {
            level: "21",
            party: receiver,
            trace: "000000674",
            statuses: [receipt(12, 12500)],
            outcome: "received",
            acceptedCount: 1,
            rejectedCount: undefined,
            acceptedCents: 12500,
            rejectedCents: undefined
          },
          {
            level: "19",
            party: provider,
            trace: "1107000000000135FF",
            statuses: [],
            outcome: undefined,
            acceptedCount: undefined,
            rejectedCount: undefined,
            acceptedCents: undefined,
            rejectedCents: undefined
          }
        ],
        claims: [
          {
            loop: "2200D",
            segmentIndex: 20,
            payer: nysdoh,
            receiver,
            provider,
            subscriber: undefined,
            patient: party("QC", false, "TPATIENT", "MI", "LL99999X", "THEBE", "S"),
            trace: "5781",
            payerClaimNumber: "1107000000014420",
            clearinghouseTrace: undefined,
            billType: undefined,
            patientAccount: undefined,
            references: [{ qualifier: "1K", value: "1107000000014420", description: undefined }],
            statuses: [
              status(21, "A2", "Acknowledgement/Acceptance into adjudication system", "accepted", "20", 12500)
            ],
            outcome: "accepted",
            // The fixture's placeholder date: a calendar date, kept as sent.
            serviceDates: day("1001-01-01"),
            dates: [{ qualifier: "472", period: day("1001-01-01") }],
            lines: []
          } satisfies ClaimStatus
        ]
      }
    ])
  })

  it("rejected (NYSDOH, `|` components): A7 invalid information, status 562 about entity 85", () => {
    const { transactions, problems } = read277(fixture("277CA_oopfactory_nysdoh_rejected"))
    expect(problems).toEqual([])
    const transaction = transactions[0]
    expect(transaction?.batches.map((b) => [b.level, b.outcome, b.acceptedCount, b.acceptedCents])).toEqual([
      ["21", "received", 1, 19914],
      ["19", undefined, undefined, undefined]
    ])
    expect(transaction?.batches[0]?.statuses).toEqual([receipt(12, 19914)])
    expect(transaction?.claims).toEqual([
      {
        loop: "2200D",
        segmentIndex: 20,
        payer: nysdoh,
        receiver: party("41", false, "TEST", "46", "ETIN", "TEST"),
        provider: party("85", true, "PROVLNAME", "XX", "123456789"),
        subscriber: undefined,
        patient: party("QC", false, "CLILNAME", "MI", "XX99999X", "CLIFNAME", "CLIMI"),
        trace: "3920394930203",
        payerClaimNumber: "1107000000001120",
        clearinghouseTrace: undefined,
        billType: "731",
        patientAccount: undefined,
        references: [
          { qualifier: "1K", value: "1107000000001120", description: undefined },
          { qualifier: "BLT", value: "731", description: undefined }
        ],
        statuses: [
          status(21, "A7", "Acknowledgement/Rejected for Invalid Information", "rejected", "562", 19914, "85")
        ],
        outcome: "rejected",
        serviceDates: day("2009-03-11"),
        dates: [{ qualifier: "472", period: day("2009-03-11") }],
        lines: []
      }
    ])
  })

  it("the single-line imsweb copy reads the same as the indented NYSDOH file", () => {
    const single = read277(fixture("277CA_imsweb_rejected"))
    expect(single.problems).toEqual([])
    expect(single).toEqual(read277(fixture("277CA_oopfactory_nysdoh_rejected")))
  })
})

describe("277 (005010X212)", () => {
  const response = wrap("HN", "277", "005010X212", [
    "BHT*0010*08*RESP-1*20250304*1200*DG", // 3
    "HL*1**20*1", // 4
    "NM1*PR*2*ACME HEALTH*****PI*12345", // 5
    "HL*2*1*21*1", // 6
    "NM1*41*2*OUR CLINIC*****46*ETIN1", // 7
    "HL*3*2*19*1", // 8
    "NM1*1P*2*OUR CLINIC*****XX*1234567893", // 9
    "HL*4*3*22*1", // 10
    "NM1*IL*1*ROE*RICHARD****MI*W123", // 11
    "HL*5*4*23", // 12
    "NM1*QC*1*ROE*SALLY", // 13
    "TRN*2*CLAIM-9", // 14
    "STC*F1:65*20250301**150*120.5*20250302*CHK*20250303*CHK123", // 15
    "REF*1K*PCN-555", // 16
    "REF*EJ*ACCT-9", // 17
    "DTP*472*RD8*20250201-20250202", // 18
    "SVC*HC:90834:95*150*120.5****1", // 19
    "STC*F1:65*20250301", // 20
    "REF*FJ*LINE-1", // 21
    "DTP*472*D8*20250201", // 22
    "TRN*2*CLAIM-10", // 23
    "STC*A2:20*20250301*WQ*80******A7:562:85", // 24
    "TRN*2*CLAIM-11", // 25
    "STC*ZZ:1*20250301**12.345", // 26
    "TRN*2*CLAIM-12" // 27
  ])

  it("claims under a dependent (2200E) with paid amounts, lines, and second statuses", () => {
    const { transactions } = read277(response)
    const transaction = transactions[0]
    expect(transaction?.kind).toBe("277")
    expect(transaction?.transactionType).toBe("DG")
    const [paid, mixed, odd, bare] = transaction?.claims ?? []
    expect(paid).toMatchObject({
      loop: "2200E",
      trace: "CLAIM-9",
      payerClaimNumber: "PCN-555",
      patientAccount: "ACCT-9",
      subscriber: party("IL", false, "ROE", "MI", "W123", "RICHARD"),
      patient: party("QC", false, "ROE", undefined, undefined, "SALLY"),
      provider: party("1P", true, "OUR CLINIC", "XX", "1234567893"),
      outcome: "finalized",
      serviceDates: { start: "2025-02-01", end: "2025-02-02" }
    })
    expect(paid?.statuses).toEqual([
      {
        segmentIndex: 15,
        status: {
          category: "F1",
          categoryDescription: "Finalized/Payment",
          outcome: "finalized",
          status: "65",
          entity: undefined,
          codeListQualifier: undefined
        },
        secondStatus: undefined,
        thirdStatus: undefined,
        effectiveDate: "2025-03-01",
        action: undefined,
        chargeCents: 15000,
        paymentCents: 12050,
        adjudicationDate: "2025-03-02",
        paymentMethod: "CHK",
        checkDate: "2025-03-03",
        checkNumber: "CHK123",
        message: undefined
      }
    ])
    expect(paid?.lines).toEqual([
      {
        segmentIndex: 19,
        procedure: ["HC", "90834", "95"],
        chargeCents: 15000,
        paymentCents: 12050,
        revenueCode: undefined,
        units: "1",
        statuses: [expect.objectContaining({ segmentIndex: 20, effectiveDate: "2025-03-01" })],
        outcome: "finalized",
        lineControl: "LINE-1",
        references: [{ qualifier: "FJ", value: "LINE-1", description: undefined }],
        serviceDates: day("2025-02-01")
      }
    ])
    // A2 with a second status A7: the rejection wins.
    expect(mixed?.statuses[0]?.secondStatus).toEqual({
      category: "A7",
      categoryDescription: "Acknowledgement/Rejected for Invalid Information",
      outcome: "rejected",
      status: "562",
      entity: "85",
      codeListQualifier: undefined
    })
    expect(mixed?.statuses[0]?.status.outcome).toBe("accepted")
    expect(mixed?.outcome).toBe("rejected")
    expect(odd?.outcome).toBe("unknown")
    expect(odd?.statuses[0]?.chargeCents).toBeUndefined()
    expect(bare?.outcome).toBe("unknown")
    expect(bare?.statuses).toEqual([])
  })

  it("reports an unknown category, a malformed amount and a claim without STC", () => {
    const { problems } = read277(response)
    expect(problems.map((p) => [p.severity, p.code, p.segmentIndex, p.segmentId, p.element, p.component])).toEqual([
      ["warning", "unknown-status-category", 26, "STC", 1, 1],
      ["error", "bad-amount", 26, "STC", 4, undefined],
      ["warning", "missing-stc", 27, "TRN", undefined, undefined]
    ])
  })

  it("combines outcomes by precedence: rejected over pending over accepted", () => {
    const { transactions } = read277(response)
    const statuses = transactions[0]?.claims.flatMap((c) => c.statuses) ?? []
    expect(combinedOutcome(statuses)).toBe("rejected")
    expect(combinedOutcome(statuses.filter((s) => s.status.category === "F1"))).toBe("finalized")
    expect(combinedOutcome([])).toBe("unknown")
  })
})

describe("999 and TA1", () => {
  const ack = [
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*SUBMITTER      *250304*1200*^*00501*000000777*0*P*:~",
    "TA1*000000123*250303*1159*R*006~",
    "GS*FA*PAYER*SUBMITTER*20250304*1200*77*X*005010X231A1~",
    "ST*999*0001*005010X231A1~", // 3
    "AK1*HC*12*005010X222A1~", // 4
    "AK2*837*0001*005010X222A1~", // 5
    "IK5*A~", // 6
    "AK2*837*0002*005010X222A1~", // 7
    "IK3*NM1*8*2010*8~", // 8
    "CTX*CLM01:ACCT-42~", // 9
    "IK4*8*66*7*ZZ~", // 10
    "CTX*SITUATIONAL TRIGGER*CLM*22*2300*5:3~", // 11
    "IK3*HI*21*2300*8~", // 12
    "IK4*1:2*1271*7~", // 13
    "IK5*R*I5~", // 14
    "AK9*P*2*2*1~", // 15
    "SE*14*0001~",
    "GE*1*77~",
    "IEA*1*000000777~"
  ].join("\n")

  it("reads an accepted and a rejected set with their IK3/IK4/CTX, and the AK9 counts", () => {
    const { acknowledgments, problems } = read999(ack)
    expect(problems).toEqual([])
    expect(acknowledgments).toEqual([
      {
        control: "0001",
        version: "005010X231A1",
        group: { functionalId: "HC", control: "12", version: "005010X222A1" },
        sets: [
          {
            segmentIndex: 5,
            setId: "837",
            control: "0001",
            version: "005010X222A1",
            status: "A",
            outcome: "accepted",
            errors: [],
            segmentErrors: []
          },
          {
            segmentIndex: 7,
            setId: "837",
            control: "0002",
            version: "005010X222A1",
            status: "R",
            outcome: "rejected",
            errors: [{ code: "I5", description: "Implementation One or More Segments in Error" }],
            segmentErrors: [
              {
                segmentIndex: 8,
                segmentId: "NM1",
                position: 8,
                loopId: "2010",
                error: { code: "8", description: "Segment Has Data Element Errors" },
                contexts: [
                  {
                    name: "CLM01",
                    reference: "ACCT-42",
                    segmentId: undefined,
                    segmentPosition: undefined,
                    loopId: undefined,
                    elementPosition: undefined,
                    componentPosition: undefined,
                    repetitionPosition: undefined,
                    elementReference: undefined
                  }
                ],
                elementErrors: [
                  {
                    segmentIndex: 10,
                    position: 8,
                    componentPosition: undefined,
                    repetitionPosition: undefined,
                    reference: "66",
                    error: { code: "7", description: "Invalid Code Value" },
                    copy: "ZZ",
                    contexts: [
                      {
                        name: "SITUATIONAL TRIGGER",
                        reference: undefined,
                        segmentId: "CLM",
                        segmentPosition: 22,
                        loopId: "2300",
                        elementPosition: 5,
                        componentPosition: 3,
                        repetitionPosition: undefined,
                        elementReference: undefined
                      }
                    ]
                  }
                ]
              },
              {
                segmentIndex: 12,
                segmentId: "HI",
                position: 21,
                loopId: "2300",
                error: { code: "8", description: "Segment Has Data Element Errors" },
                contexts: [],
                elementErrors: [
                  {
                    segmentIndex: 13,
                    position: 1,
                    componentPosition: 2,
                    repetitionPosition: undefined,
                    reference: "1271",
                    error: { code: "7", description: "Invalid Code Value" },
                    copy: undefined,
                    contexts: []
                  }
                ]
              }
            ]
          }
        ],
        groupStatus: { code: "P", outcome: "partially-accepted", included: 2, received: 2, accepted: 1, errors: [] }
      }
    ])
  })

  it("reads the TA1 the reader hands out, and decodes a TA1 segment alone", () => {
    expect(read999(ack).interchangeAcknowledgments).toEqual([
      {
        segmentIndex: 1,
        control: "000000123",
        date: "250303",
        time: "1159",
        code: "R",
        outcome: "rejected",
        note: "006",
        noteDescription: "Invalid Interchange Sender ID"
      }
    ])
    const segments = split(
      `${isa("000000001")}TA1*000000042*250304*1200*A*000~TA1*000000043*250304*1200*E*099~`
    ).segments
    expect(segments[1] && readTA1(segments[1])).toMatchObject({
      control: "000000042",
      outcome: "accepted",
      noteDescription: "No error"
    })
    expect(segments[2] && readTA1(segments[2])).toMatchObject({
      code: "E",
      outcome: "accepted-with-errors",
      note: "099",
      noteDescription: undefined
    })
  })

  it("reports an AK2 without IK5, AK9 counts that disagree, and unknown codes", () => {
    const { acknowledgments, problems } = read999(
      wrap("FA", "999", "005010X231A1", [
        "AK1*HC*12*005010X222A1", // 3
        "AK2*837*0001*005010X222A1", // 4
        "IK3*CLM*5**QQ", // 5
        "AK2*837*0002*005010X222A1", // 6
        "IK5*Q", // 7
        "AK9*A*2*3*2" // 8
      ])
    )
    expect(located(problems)).toEqual([
      ["warning", "unknown-error-code", 5, "IK3", 4],
      ["error", "missing-ik5", 4, "AK2", undefined],
      ["warning", "unknown-ack-code", 7, "IK5", 1],
      ["warning", "ak9-count", 8, "AK9", 3],
      ["warning", "ak9-count", 8, "AK9", 4]
    ])
    expect(acknowledgments[0]?.sets.map((s) => [s.control, s.status, s.outcome])).toEqual([
      ["0001", undefined, "unknown"],
      ["0002", "Q", "unknown"]
    ])
  })
})
