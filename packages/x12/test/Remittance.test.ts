import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Problem, Reader, Segments } from "@openrcm/x12"
import {
  formatCents,
  make835,
  parseAmount,
  type Remittance,
  type RemittanceClaim,
  read835
} from "@openrcm/x12/Remittance"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "../../../../shared/fixtures/x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")
const ohio = fixture("835_oopfactory_ohio_adamh_bh_example1")
const pyx12 = fixture("835_pyx12_t1005_mult_loops")
const nebraska = fixture("835_oopfactory_nebraska_medicaid_deidentified")

const models = { "835": make835 }

/** Problems without their envelope position, for compact expectations. */
const located = (problems: ReadonlyArray<Problem.Problem>) =>
  problems.map((p) => [p.severity, p.code, p.segmentIndex, p.segmentId, p.element])

const indexesOf = (problems: ReadonlyArray<Problem.Problem>, transaction: string, code: string) =>
  problems.filter((p) => p.transaction === transaction && p.code === code).map((p) => p.segmentIndex)

/** Every element value of the money and identity segments (3+ characters) that a message must never quote. */
const assertNoValuesQuoted = (text: string, problems: ReadonlyArray<Problem.Problem>) => {
  const values = new Set<string>()
  for (const raw of text.split("~")) {
    const elements = raw.trim().split(/[*|]/u)
    if (!["BPR", "TRN", "N1", "NM1", "CLP", "SVC", "CAS", "PLB", "REF", "AMT"].includes(elements[0] ?? "")) continue
    for (const value of elements.slice(1)) if (value.trim().length >= 3) values.add(value.trim())
  }
  expect(values.size).toBeGreaterThan(5)
  for (const problem of problems) for (const value of values) expect(problem.message).not.toContain(value)
}

/** A whole interchange around an 835 body, with correct SE/GE/IEA counts. */
const interchange = (body: ReadonlyArray<string>) => {
  const segments = [
    "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*RIVERSIDE      *250304*1200*^*00501*000000101*0*T*:",
    "GS*HP*ACMEPAYER*RIVERSIDE*20250304*1200*101*X*005010X221A1",
    "ST*835*0001*005010X221A1",
    ...body,
    `SE*${body.length + 2}*0001`,
    "GE*1*101",
    "IEA*1*000000101"
  ]
  return { text: `${segments.join("~\n")}~\n`, index: (prefix: string) => segments.indexOf(prefix) }
}

/** Balanced by hand: Σ CLP04 = 160.50 − 80 + 0 + 55 = 135.50; Σ PLB = 15 − 2.50 = 12.50; BPR02 = 123.00. */
const balanced = [
  "BPR*I*123*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20250305",
  "TRN*1*EFT12345*1512345678",
  "REF*EV*RIVERSIDE",
  "DTM*405*20250304",
  "N1*PR*ACME HEALTH PLAN*XV*99999",
  "N3*PO BOX 1",
  "N4*SPRINGFIELD*IL*62701",
  "REF*2U*99999",
  "PER*BL*CLAIMS*TE*8005551212",
  "N1*PE*RIVERSIDE BH*XX*1234567893",
  "N3*1 MAIN ST*SUITE 2",
  "N4*SPRINGFIELD*IL*627011234",
  "REF*TJ*123456789",
  "LX*1",
  "CLP*PCN1*1*300*160.5*30*12*ICN1*11*1",
  "CAS*CO*253*9.5",
  "NM1*QC*1*DOE*JANE*Q***MI*MEMBER1",
  "NM1*IL*1*DOE*JOHN****MI*MEMBER0",
  "NM1*82*1*SMITH*ANN****XX*1111111111",
  "MOA***MA01*MA18",
  "REF*1L*GROUP1",
  "DTM*232*20250201",
  "DTM*233*20250202",
  "DTM*050*20250210",
  "AMT*AU*300",
  "SVC*HC:90834:95:HO*200*110**1",
  "DTM*472*20250201",
  "CAS*CO*45*60",
  "CAS*PR*3*30",
  "REF*6R*LINE1",
  "AMT*B6*140",
  "LQ*HE*N130",
  "SVC*HC:90785*100*60**1",
  "DTM*472*20250202",
  "CAS*CO*45*30**253*0.8**97*9.2",
  "REF*6R*LINE2",
  "CLP*PCN0*22*-100*-80*-20*12*ICN0*11*8",
  "NM1*QC*1*ROE*RICHARD****MI*MEMBER2",
  "SVC*HC:90832*-100*-80**-1",
  "DTM*472*20250115",
  "CAS*PR*2*-20",
  "LX*2",
  "CLP*PCN3*4*75*0*0*12*ICN3*11*1",
  "CAS*CO*16*75*1",
  "NM1*QC*1*POE*EDGAR****MI*MEMBER3",
  "CLP*PCN5*1*50*55*0*MC*ICN5*11*1",
  "NM1*QC*1*LOE*LUCY****MI*MEMBER5",
  "SVC*HC:H0004:HF:U4:HK:GT*50*55**4*HC:H0004:HF",
  "DTM*150*20250220",
  "DTM*151*20250221",
  "CAS*OA*94*-5",
  "LQ*HE*M15",
  "PLB*1234567893*20251231*WO:RECOUP1*15*L6*-2.5"
]

const swap = (body: ReadonlyArray<string>, from: string, to: string) => {
  expect(body).toContain(from)
  return body.map((s) => (s === from ? to : s))
}

const claimsOf = (events: ReadonlyArray<Reader.Event>) => {
  const claims: Array<RemittanceClaim> = []
  for (const event of events) {
    if (event._tag === "Item") claims.push(event.item as RemittanceClaim)
  }
  return claims
}

const inChunks = (text: string, size: number) => {
  const reader = new Reader.Reader({ models })
  const events: Array<Reader.Event> = []
  for (let i = 0; i < text.length; i += size) events.push(...reader.push(text.slice(i, i + size)))
  events.push(...reader.end())
  return { events, problems: reader.problems }
}

describe("parseAmount", () => {
  it("reads X12 decimals as exact integer cents", () => {
    const cents = (text: string) => parseAmount(text)?.cents
    expect(cents("56.7")).toBe(5670)
    expect(cents("56.70")).toBe(5670)
    expect(cents("-12.00")).toBe(-1200)
    expect(cents(".5")).toBe(50)
    expect(cents("-.05")).toBe(-5)
    expect(cents("0")).toBe(0)
    expect(cents("-0")).toBe(0)
    expect(cents("136.9")).toBe(13690)
    expect(cents("5.")).toBe(500)
    expect(cents("0.29")).toBe(29)
    expect(cents("1.005")).toBe(101)
    expect(cents("4.35")).toBe(435)
    expect(cents("1234567890123.45")).toBe(123456789012345)
    expect(parseAmount("56.7")).toEqual({ cents: 5670, rounded: false })
  })

  it("rounds a third decimal half away from zero, and says so", () => {
    expect(parseAmount("0.005")).toEqual({ cents: 1, rounded: true })
    expect(parseAmount("0.004")).toEqual({ cents: 0, rounded: true })
    expect(parseAmount("-0.005")).toEqual({ cents: -1, rounded: true })
    expect(parseAmount("2.675")).toEqual({ cents: 268, rounded: true })
    expect(parseAmount("2.6749")).toEqual({ cents: 267, rounded: true })
    expect(parseAmount("2.670")).toEqual({ cents: 267, rounded: true })
  })

  it("rejects what is not an X12 decimal", () => {
    for (const bad of [
      "",
      "-",
      ".",
      "-.",
      "1.2.3",
      "1e3",
      "+5",
      " 5",
      "5 ",
      "1,000.00",
      "0x10",
      "Infinity",
      "NaN",
      "12a"
    ]) {
      expect(parseAmount(bad), bad).toBeUndefined()
    }
    expect(parseAmount("99999999999999999999")).toBeUndefined()
  })

  it("sums without floating point error and formats back", () => {
    const sum = ["0.1", "0.2", "0.3"].reduce((total, text) => total + (parseAmount(text)?.cents ?? Number.NaN), 0)
    expect(sum).toBe(60)
    expect(formatCents(5670)).toBe("56.70")
    expect(formatCents(-108)).toBe("-1.08")
    expect(formatCents(5)).toBe("0.05")
    expect(formatCents(0)).toBe("0.00")
  })
})

describe("835 fixtures", () => {
  it("Ohio ADAMH: ten claims, H-codes with modifiers, reversals, CR groups, PLB", () => {
    const { remittances, problems } = read835(ohio)
    expect(remittances).toHaveLength(1)
    const r = remittances[0] as (typeof remittances)[number]
    expect(r.control).toBe("07504123")
    expect(r.claimCount).toBe(10)
    expect(r.claims).toHaveLength(10)
    expect(r.payment).toEqual({
      handling: "H",
      amount: 575,
      creditDebit: "C",
      method: "NON",
      effectiveDate: "20040315"
    })
    expect(r.trace).toEqual({ type: "1", number: "A04B001017.07504", payerId: "1346000128" })
    expect(r.productionDate).toBe("20040308")
    expect(r.payer).toEqual({
      name: "ASHTABULA COUNTY ADAMH BD",
      address: { lines: ["4817 STATE ROAD SUITE 203"], city: "ASHTABULA", state: "OH", postalCode: "44004" },
      references: [],
      contacts: []
    })
    expect(r.payee).toMatchObject({
      name: "LAKE AREA RECOVERY CENTER ",
      idQualifier: "FI",
      id: "346608640",
      references: [{ qualifier: "PQ", value: "1017" }]
    })
    expect(r.claims.map((c) => c.patientControlNumber)).toEqual([
      "444444",
      "999999",
      "888888",
      "111111",
      "121212",
      "333333",
      "777777",
      "123456",
      "090909",
      "090909"
    ])
    expect(r.claims.map((c) => c.status)).toEqual(["1", "4", "4", "2", "4", "1", "25", "22", "22", "22"])
    expect(r.claims.map((c) => c.statusMeaning)).toEqual([
      "processed-primary",
      "denied",
      "denied",
      "processed-secondary",
      "denied",
      "processed-primary",
      "predetermination",
      "reversal",
      "reversal",
      "reversal"
    ])
    expect(r.claims.map((c) => [c.charge, c.paid, c.patientResponsibility, c.patientResponsibilityTotal])).toEqual([
      [5670, 5652, 0, 0],
      [2595, 0, 2595, 0],
      [16213, 0, 16213, 0],
      [5652, 1888, 0, 0],
      [5652, 0, 0, 0],
      [7461, 5969, 1492, 1492],
      [13690, 0, 0, 0],
      [-4258, -4258, 0, 0],
      [-8676, -8676, 0, 0],
      [0, 0, undefined, 0]
    ])
    expect(
      r.claims.map((c) => c.lines.map((l) => [l.procedure.qualifier, l.procedure.code, l.procedure.modifiers]))
    ).toEqual([
      [["HC", "H0005", ["HF", "H9"]]],
      [["ZZ", "M2200", ["HE"]]],
      [["ZZ", "M151000", ["F0"]]],
      [["HC", "H0005", ["HF", "H9"]]],
      [["HC", "H0005", ["HF", "H9"]]],
      [["ZZ", "A0230", ["HF"]]],
      [["HC", "H0015", ["HF", "99", "H9"]]],
      [["HC", "H0036", ["GT", "UK"]]],
      [["HC", "H0004", ["HF", "H9"]]],
      []
    ])
    expect(r.claims.map((c) => c.lines.map((l) => [l.charge, l.paid, l.units]))).toEqual([
      [[5670, 5652, 6]],
      [[2595, 0, 1]],
      [[16213, 0, 1.9]],
      [[5652, 1888, 6]],
      [[5652, 0, 6]],
      [[7461, 5969, 1]],
      [[13690, 0, 1]],
      [[-4258, -4258, -2]],
      [[-8676, -8676, -4]],
      []
    ])
    const lineAdjustments = r.claims.map((c) => c.lines.flatMap((l) => l.adjustments))
    expect(lineAdjustments[0]).toEqual([{ group: "CO", reason: "42", amount: 18, quantity: 0 }])
    expect(lineAdjustments[1]).toEqual([
      { group: "CR", reason: "18", amount: 2595, quantity: 0 },
      { group: "CO", reason: "42", amount: 0, quantity: 0 }
    ])
    // One CAS, two triplets.
    expect(lineAdjustments[2]).toEqual([
      { group: "CO", reason: "29", amount: 16213, quantity: 0 },
      { group: "CO", reason: "42", amount: 0, quantity: 0 }
    ])
    // A negative adjustment increases the payment: 56.52 − (57.60 − 1.08) = 0.
    expect(lineAdjustments[4]).toEqual([
      { group: "CO", reason: "42", amount: 0, quantity: 0 },
      { group: "OA", reason: "23", amount: 5760, quantity: 0 },
      { group: "OA", reason: "23", amount: -108, quantity: 0 }
    ])
    expect(lineAdjustments[5]).toContainEqual({ group: "PR", reason: "2", amount: 1492, quantity: 0 })
    // The reversal keeps the old CR group, three triplets in one CAS.
    expect(lineAdjustments[7]?.map((a) => `${a.group}-${a.reason}`)).toEqual(["CR-141", "CR-42", "CR-22", "OA-141"])
    expect(r.claims.every((c) => c.adjustments.length === 0)).toBe(true)
    const first = r.claims[0] as RemittanceClaim
    expect(first).toMatchObject({
      segmentIndex: 14,
      headerNumber: "1",
      filingIndicator: "MC",
      payerClaimControlNumber: "0000000655555555",
      facilityCode: "53",
      patient: { entity: "QC", entityType: "1", name: "FUDD", first: "ELMER", middle: "S", idQualifier: "MI" },
      rendering: { entity: "82", entityType: "2", name: "WECOVERWY SVCS", idQualifier: "FI", id: "346608640" },
      references: [{ qualifier: "F8", value: "A76B04054" }]
    })
    expect(first.lines[0]).toMatchObject({ serviceDate: "20040205", controlNumber: "444444", balanced: true })
    const reversal = r.claims[8]?.lines[0]
    expect(reversal).toMatchObject({
      serviceFrom: "20040210",
      serviceTo: "20040211",
      amounts: [{ qualifier: "AU", amount: 8676 }],
      quantities: [{ qualifier: "NE", quantity: 53 }],
      remarks: ["MA92"]
    })
    expect(reversal?.serviceDate).toBeUndefined()
    expect(r.providerAdjustments).toEqual([
      {
        segmentIndex: 98,
        provider: "123456",
        fiscalPeriodDate: "19960930",
        adjustments: [{ reason: "CV", reference: "9876514", amount: -127 }]
      }
    ])
    // Σ CLP04 = 5.75 = BPR02, but the PLB of −1.27 raises the expected payment to 7.02.
    expect(r.totals).toEqual({ claimsPaid: 575, plb: -127, bpr: 575 })
    expect(r.balanced).toEqual({ lines: true, claims: true, transaction: false })
    expect(located(problems)).toEqual([
      ["warning", "obsolete-adjustment-group", 28, "CAS", 1],
      ["warning", "adjustment-reason-group", 28, "CAS", 2],
      ["warning", "patient-responsibility-mismatch", 22, "CLP", 5],
      ["warning", "patient-responsibility-mismatch", 31, "CLP", 5],
      ["warning", "obsolete-adjustment-group", 81, "CAS", 1],
      ["warning", "obsolete-adjustment-group", 91, "CAS", 1],
      ["error", "missing-amount", 97, "CLP", 3],
      ["error", "missing-amount", 97, "CLP", 4],
      ["error", "transaction-unbalanced", 3, "BPR", 2]
    ])
    expect(
      problems.every((p) => p.interchange === "004075123" && p.group === "1" && p.transaction === "07504123")
    ).toBe(true)
    assertNoValuesQuoted(ohio, problems)
  })

  it("Ohio ADAMH: strict mode stops at the malformed last CLP", () => {
    expect.assertions(2)
    try {
      read835(ohio, { mode: "strict" })
    } catch (error) {
      expect(error).toBeInstanceOf(Problem.X12ParseError)
      expect((error as Problem.X12ParseError).problem).toMatchObject({
        code: "missing-amount",
        segmentIndex: 97,
        element: 3
      })
    }
  })

  it("takes the reader's limits: past maxProblems it stops with too-many-problems", () => {
    const all = read835(ohio).problems
    expect(all.length).toBeGreaterThan(3)
    expect(() => read835(ohio, { maxProblems: 3 })).toThrow(Problem.X12ParseError)
    try {
      read835(ohio, { maxProblems: 3 })
    } catch (error) {
      // The fourth problem did not fit: the stop is where it is.
      expect((error as Problem.X12ParseError).problem).toMatchObject({
        code: "too-many-problems",
        segmentIndex: all[3]?.segmentIndex
      })
    }
  })

  it("pyx12: a denied three-line claim with CO-16 and OA-A7 balances", () => {
    const { remittances, problems } = read835(pyx12)
    expect(problems).toEqual([])
    expect(remittances).toHaveLength(1)
    const r = remittances[0] as (typeof remittances)[number]
    expect(r).toMatchObject({
      control: "0001",
      claimCount: 1,
      references: [{ qualifier: "EV", value: "00GR" }],
      payment: { handling: "H", amount: 0, creditDebit: "C", method: "NON", effectiveDate: "20041028" },
      payer: {
        name: "PAYER",
        contacts: [{ function: "BL", name: "JOHN WAYNE", numbers: [{ qualifier: "TE", value: "9995551212" }] }]
      },
      payee: { name: "UNKNOWN", idQualifier: "FI", id: "444313000" },
      totals: { claimsPaid: 0, plb: 0, bpr: 0 },
      balanced: { lines: true, claims: true, transaction: true }
    })
    expect(r.claims).toHaveLength(1)
    const claim = r.claims[0] as RemittanceClaim
    expect(claim).toMatchObject({
      patientControlNumber: "2005555A",
      status: "4",
      statusMeaning: "denied",
      charge: 91539,
      paid: 0,
      patientResponsibilityTotal: 0,
      filingIndicator: "MC",
      payerClaimControlNumber: "4276512332",
      patient: { name: "BACH", first: "JOHANN", middle: "S", idQualifier: "MR", id: "00001612" },
      rendering: { entity: "82", name: "PAYEE", idQualifier: "MC", id: "44452736" },
      balanced: true
    })
    expect(claim.patientResponsibility).toBeUndefined()
    expect(
      claim.lines.map((l) => [l.procedure.code, l.procedure.modifiers, l.charge, l.paid, l.units, l.adjustments])
    ).toEqual([
      ["T1005", [], 50004, 0, 68, [{ group: "CO", reason: "16", amount: 50004 }]],
      ["T1005", [], 12780, 0, 16, [{ group: "OA", reason: "A7", amount: 12780 }]],
      ["T1005", [], 28755, 0, 36, [{ group: "OA", reason: "A7", amount: 28755 }]]
    ])
    expect(claim.lines.map((l) => [l.serviceFrom, l.serviceTo, l.remarks])).toEqual([
      ["20031129", "20031129", ["N14"]],
      ["20031030", "20031030", ["N14"]],
      ["20031031", "20031031", ["N14"]]
    ])
  })

  it("claims are plain data: only the fields sent, in the model's order, the same once cloned or printed", () => {
    const claim = read835(pyx12).remittances[0]?.claims[0] as RemittanceClaim
    // The fields every claim has, then the ones this claim's segments set, as they came.
    expect(Object.keys(claim)).toEqual([
      "segmentIndex",
      "patientControlNumber",
      "status",
      "statusMeaning",
      "charge",
      "paid",
      "patientResponsibilityTotal",
      "filingIndicator",
      "payerClaimControlNumber",
      "adjustments",
      "otherNames",
      "references",
      "amounts",
      "quantities",
      "remarks",
      "lines",
      "balanced",
      "headerNumber",
      "patient",
      "rendering"
    ])
    expect(Object.keys(claim.lines[0] ?? {})).toEqual([
      "segmentIndex",
      "procedure",
      "charge",
      "paid",
      "units",
      "adjustments",
      "references",
      "amounts",
      "quantities",
      "remarks",
      "balanced",
      "serviceFrom",
      "serviceTo"
    ])
    expect(Object.keys(claim.patient ?? {})).toEqual([
      "entity",
      "entityType",
      "name",
      "first",
      "middle",
      "idQualifier",
      "id"
    ])
    // No field is present with an undefined value: a structured clone keeps one, JSON drops it.
    for (const text of [ohio, pyx12, nebraska])
      for (const r of read835(text).remittances)
        for (const c of r.claims) expect(structuredClone(c)).toStrictEqual(JSON.parse(JSON.stringify(c)))
  })

  it("lines with the same procedure composite share one frozen procedure; other composites have their own", () => {
    const claim = read835(pyx12).remittances[0]?.claims[0] as RemittanceClaim
    const [first, second, third] = claim.lines
    // Three lines of HC:T1005.
    expect(second?.procedure).toBe(first?.procedure)
    expect(third?.procedure).toBe(first?.procedure)
    expect(Object.isFrozen(first?.procedure)).toBe(true)
    expect(Object.isFrozen(first?.procedure.modifiers)).toBe(true)
    const procedures = read835(ohio).remittances[0]?.claims.flatMap((c) => c.lines.map((l) => l.procedure)) ?? []
    const composites = procedures.map((p) => [p.qualifier, p.code, ...p.modifiers].join(":"))
    // One object per distinct composite, and each is what its lines say.
    expect(new Set(procedures).size).toBe(new Set(composites).size)
    expect(new Set(composites).size).toBeGreaterThan(1)
  })

  it("Nebraska: three interchanges, masked amounts that do not balance, CO-23", () => {
    const { remittances, problems } = read835(nebraska)
    expect(remittances.map((r) => [r.control, r.claimCount, r.claims.length])).toEqual([
      ["8001", 19, 19],
      ["9001", 23, 23],
      ["10001", 14, 14]
    ])
    expect(remittances.map((r) => r.totals)).toEqual([
      { claimsPaid: 77606, plb: 0, bpr: 99999 },
      { claimsPaid: 311109, plb: 0, bpr: 999999 },
      { claimsPaid: 343989, plb: 0, bpr: 48213 }
    ])
    expect(remittances.map((r) => r.balanced)).toEqual([
      { lines: false, claims: false, transaction: false },
      { lines: false, claims: false, transaction: false },
      { lines: false, claims: false, transaction: false }
    ])
    expect(remittances[2]?.payee).toMatchObject({
      name: "XXXXXXXX XX-XXX XXXXX XX",
      idQualifier: "FI",
      address: { lines: ["99999 XXXXX 99XX XX", "XXXXX 999"], state: "NE" },
      references: [{ qualifier: "PQ", value: "99999999999" }]
    })
    expect(remittances[0]?.payer?.contacts.map((c) => c.function)).toEqual(["CX", "BL", "IC"])
    // The '>' component separator.
    const first = remittances[0]?.claims[0]
    expect(first?.lines.map((l) => [l.procedure.qualifier, l.procedure.code, l.procedure.modifiers])).toEqual([
      ["XX", "99999", []],
      ["HC", "90716", []]
    ])
    expect(first?.otherNames.map((n) => n.entity)).toEqual(["74"])
    expect(remittances[0]?.claims[2]?.lines[0]?.procedure.modifiers).toEqual(["XX"])
    expect(first?.lines[0]).toMatchObject({ units: 9.999, remarks: ["N1"] })
    const statuses = remittances.map((r) => r.claims.map((c) => c.status).join(""))
    expect(statuses).toEqual(["4444444114441411114", `4${"1".repeat(22)}`, "11114114111142"])
    // CO-23 (for use with OA only) on the third transaction's lines.
    const co23 = remittances[2]?.claims.flatMap((c) =>
      c.lines.flatMap((l) =>
        l.adjustments.filter((a) => a.reason === "23").map((a) => [l.segmentIndex, a.group, a.amount])
      )
    )
    expect(co23).toEqual([
      [657, "CO", 999999],
      [751, "CO", 99999],
      [761, "CO", 11227],
      [765, "CO", 9999],
      [777, "CO", 999],
      [781, "CO", 28]
    ])
    expect(indexesOf(problems, "10001", "adjustment-reason-group")).toEqual([659, 753, 763, 767, 779, 783])
    // Masked amounts: checked by hand, SVC02 − CAS ≠ SVC03 and CLP03 − CAS ≠ CLP04 wherever a 9-mask broke them.
    expect(indexesOf(problems, "8001", "line-unbalanced")).toEqual([144, 154, 208, 228, 232, 241, 250, 259])
    expect(indexesOf(problems, "8001", "claim-unbalanced")).toEqual([
      17, 33, 49, 74, 106, 122, 138, 149, 158, 174, 187, 203, 223, 236, 245, 254, 263
    ])
    expect(indexesOf(problems, "9001", "line-unbalanced")).toEqual([
      331, 342, 353, 364, 375, 386, 397, 408, 419, 430, 441, 452, 463, 473, 483, 493, 503, 513, 523, 533, 543, 553
    ])
    expect(indexesOf(problems, "9001", "claim-unbalanced")).toEqual([
      308, 325, 336, 347, 358, 369, 380, 391, 402, 413, 424, 435, 446, 457, 467, 477, 487, 497, 507, 517, 527, 537, 547
    ])
    expect(indexesOf(problems, "10001", "line-unbalanced")).toEqual([
      583, 597, 618, 622, 631, 641, 645, 668, 682, 707, 711, 721, 731, 741, 761, 765, 769, 773, 777, 781
    ])
    expect(indexesOf(problems, "10001", "claim-unbalanced")).toEqual([
      577, 591, 612, 635, 662, 676, 697, 715, 725, 735, 755
    ])
    expect(
      problems.filter((p) => p.code === "transaction-unbalanced").map((p) => [p.transaction, p.segmentIndex])
    ).toEqual([
      ["8001", 3],
      ["9001", 294],
      ["10001", 563]
    ])
    // Nothing else: no envelope problems, every problem is positioned.
    expect(new Set(problems.map((p) => `${p.severity} ${p.code} ${p.segmentId} ${p.element}`))).toEqual(
      new Set([
        "error line-unbalanced SVC 3",
        "error claim-unbalanced CLP 4",
        "error transaction-unbalanced BPR 2",
        "warning adjustment-reason-group CAS 2"
      ])
    )
    expect(problems).toHaveLength(8 + 17 + 1 + 22 + 23 + 1 + 20 + 11 + 1 + 6)
    assertNoValuesQuoted(nebraska, problems)
  })

  it("never merges or loses a claim: one claim per CLP", () => {
    for (const text of [ohio, pyx12, nebraska]) {
      const clps = text.split("~").filter((s) => s.trim().startsWith("CLP")).length
      const { remittances } = read835(text)
      expect(remittances.flatMap((r) => r.claims)).toHaveLength(clps)
      expect(remittances.reduce((n, r) => n + r.claimCount, 0)).toBe(clps)
    }
  })
})

describe("balancing", () => {
  it("a hand-balanced 835 reads with no problem", () => {
    const { text } = interchange(balanced)
    const { remittances, problems } = read835(text)
    expect(problems).toEqual([])
    const r = remittances[0] as (typeof remittances)[number]
    expect(r.totals).toEqual({ claimsPaid: 13550, plb: 1250, bpr: 12300 })
    expect(r.balanced).toEqual({ lines: true, claims: true, transaction: true })
    expect(r.payment).toEqual({
      handling: "I",
      amount: 12300,
      creditDebit: "C",
      method: "ACH",
      format: "CCP",
      payerAccount: { bankIdQualifier: "01", bankId: "999999999", accountQualifier: "DA", accountNumber: "123456" },
      originatingCompanyId: "1512345678",
      payeeAccount: { bankIdQualifier: "01", bankId: "999988880", accountQualifier: "DA", accountNumber: "98765" },
      effectiveDate: "20250305"
    })
    expect(r.references).toEqual([{ qualifier: "EV", value: "RIVERSIDE" }])
    expect(r.payer).toEqual({
      name: "ACME HEALTH PLAN",
      idQualifier: "XV",
      id: "99999",
      address: { lines: ["PO BOX 1"], city: "SPRINGFIELD", state: "IL", postalCode: "62701" },
      references: [{ qualifier: "2U", value: "99999" }],
      contacts: [{ function: "BL", name: "CLAIMS", numbers: [{ qualifier: "TE", value: "8005551212" }] }]
    })
    expect(r.payee?.address?.lines).toEqual(["1 MAIN ST", "SUITE 2"])
    expect(r.providerAdjustments[0]?.adjustments).toEqual([
      { reason: "WO", reference: "RECOUP1", amount: 1500 },
      { reason: "L6", amount: -250 }
    ])
    expect(r.claims.map((c) => [c.patientControlNumber, c.headerNumber, c.statusMeaning, c.paid, c.balanced])).toEqual([
      ["PCN1", "1", "processed-primary", 16050, true],
      ["PCN0", "1", "reversal", -8000, true],
      ["PCN3", "2", "denied", 0, true],
      ["PCN5", "2", "processed-primary", 5500, true]
    ])
    const [one, reversal, denied, five] = r.claims
    expect(one).toMatchObject({
      adjustments: [{ group: "CO", reason: "253", amount: 950 }],
      patientResponsibility: 3000,
      patientResponsibilityTotal: 3000,
      insured: { entity: "IL", name: "DOE", first: "JOHN", id: "MEMBER0" },
      remarks: ["MA01", "MA18"],
      statementFrom: "20250201",
      statementTo: "20250202",
      received: "20250210",
      amounts: [{ qualifier: "AU", amount: 30000 }],
      frequency: "1"
    })
    expect(one?.lines[0]).toMatchObject({
      procedure: { qualifier: "HC", code: "90834", modifiers: ["95", "HO"] },
      allowed: 14000,
      controlNumber: "LINE1",
      remarks: ["N130"],
      amounts: []
    })
    expect(one?.lines[1]?.adjustments).toEqual([
      { group: "CO", reason: "45", amount: 3000 },
      { group: "CO", reason: "253", amount: 80 },
      { group: "CO", reason: "97", amount: 920 }
    ])
    expect(reversal).toMatchObject({ charge: -10000, patientResponsibility: -2000, patientResponsibilityTotal: -2000 })
    expect(reversal?.lines[0]?.units).toBe(-1)
    expect(denied).toMatchObject({ lines: [], adjustments: [{ group: "CO", reason: "16", amount: 7500, quantity: 1 }] })
    expect(five?.lines[0]).toMatchObject({
      procedure: { code: "H0004", modifiers: ["HF", "U4", "HK", "GT"] },
      originalProcedure: { qualifier: "HC", code: "H0004", modifiers: ["HF"] },
      units: 4,
      serviceFrom: "20250220",
      serviceTo: "20250221",
      adjustments: [{ group: "OA", reason: "94", amount: -500 }],
      balanced: true
    })
  })

  const cases: ReadonlyArray<{
    readonly name: string
    readonly from: string
    readonly to: string
    readonly expected: (index: (prefix: string) => number) => ReadonlyArray<unknown>
  }> = [
    {
      name: "a line CAS amount: the line and its claim",
      from: "CAS*CO*45*60",
      to: "CAS*CO*45*61",
      expected: (at) => [
        ["error", "line-unbalanced", at("SVC*HC:90834:95:HO*200*110**1"), "SVC", 3],
        ["error", "claim-unbalanced", at("CLP*PCN1*1*300*160.5*30*12*ICN1*11*1"), "CLP", 4]
      ]
    },
    {
      name: "CLP04: the claim and the transaction",
      from: "CLP*PCN1*1*300*160.5*30*12*ICN1*11*1",
      to: "CLP*PCN1*1*300*160.4*30*12*ICN1*11*1",
      expected: (at) => [
        ["error", "claim-unbalanced", at("CLP*PCN1*1*300*160.4*30*12*ICN1*11*1"), "CLP", 4],
        ["error", "transaction-unbalanced", at(balanced[0] as string), "BPR", 2]
      ]
    },
    {
      name: "SVC03: the line only",
      from: "SVC*HC:90785*100*60**1",
      to: "SVC*HC:90785*100*60.01**1",
      expected: (at) => [["error", "line-unbalanced", at("SVC*HC:90785*100*60.01**1"), "SVC", 3]]
    },
    {
      name: "a claim-level CAS amount: the claim only",
      from: "CAS*CO*16*75*1",
      to: "CAS*CO*16*74*1",
      expected: (at) => [["error", "claim-unbalanced", at("CLP*PCN3*4*75*0*0*12*ICN3*11*1"), "CLP", 4]]
    },
    {
      name: "a PLB amount: the transaction only",
      from: "PLB*1234567893*20251231*WO:RECOUP1*15*L6*-2.5",
      to: "PLB*1234567893*20251231*WO:RECOUP1*15*L6*2.5",
      expected: (at) => [["error", "transaction-unbalanced", at(balanced[0] as string), "BPR", 2]]
    },
    {
      name: "BPR02: the transaction only",
      from: balanced[0] as string,
      to: (balanced[0] as string).replace("*123*", "*123.01*"),
      expected: (at) => [
        ["error", "transaction-unbalanced", at((balanced[0] as string).replace("*123*", "*123.01*")), "BPR", 2]
      ]
    },
    {
      name: "CLP05: a warning, ΣPR stays authoritative",
      from: "CLP*PCN1*1*300*160.5*30*12*ICN1*11*1",
      to: "CLP*PCN1*1*300*160.5*25*12*ICN1*11*1",
      expected: (at) => [
        ["warning", "patient-responsibility-mismatch", at("CLP*PCN1*1*300*160.5*25*12*ICN1*11*1"), "CLP", 5]
      ]
    },
    {
      name: "a line PR amount: line, claim, and the CLP05 mismatch",
      from: "CAS*PR*3*30",
      to: "CAS*PR*3*31",
      expected: (at) => [
        ["error", "line-unbalanced", at("SVC*HC:90834:95:HO*200*110**1"), "SVC", 3],
        ["error", "claim-unbalanced", at("CLP*PCN1*1*300*160.5*30*12*ICN1*11*1"), "CLP", 4],
        ["warning", "patient-responsibility-mismatch", at("CLP*PCN1*1*300*160.5*30*12*ICN1*11*1"), "CLP", 5]
      ]
    },
    {
      name: "a debit (BPR03 D) must carry the negative total",
      from: balanced[0] as string,
      to: (balanced[0] as string).replace("*123*C*", "*123*D*"),
      expected: (at) => [
        ["error", "transaction-unbalanced", at((balanced[0] as string).replace("*123*C*", "*123*D*")), "BPR", 2]
      ]
    }
  ]

  for (const c of cases) {
    it(`one amount changed, ${c.name}`, () => {
      const body = swap(balanced, c.from, c.to)
      const { text, index } = interchange(body)
      const { remittances, problems } = read835(text)
      expect(located(problems)).toEqual(c.expected(index))
      expect(problems.every((p) => p.transaction === "0001" && p.interchange === "000000101")).toBe(true)
      expect(remittances[0]?.claims).toHaveLength(4)
      assertNoValuesQuoted(text, problems)
    })
  }

  it("a claim with neither lines nor CAS is still checked", () => {
    const { text, index } = interchange([
      "BPR*I*90*C*CHK************20250305",
      "TRN*1*CHK1*1512345678",
      "LX*1",
      "CLP*PCN9*1*100*90*0*12*ICN9*11*1"
    ])
    const { remittances, problems } = read835(text)
    expect(located(problems)).toEqual([
      ["error", "claim-unbalanced", index("CLP*PCN9*1*100*90*0*12*ICN9*11*1"), "CLP", 4]
    ])
    expect(remittances[0]?.balanced).toEqual({ lines: true, claims: false, transaction: true })
  })

  it("malformed amounts are errors with positions, and skip the checks they would make up", () => {
    const body = swap(
      swap(balanced, "CAS*CO*45*60", "CAS*CO*45*6O"),
      "SVC*HC:90785*100*60**1",
      "SVC*HC:90785*1.0.0*60**1"
    )
    const { text, index } = interchange(body)
    const { remittances, problems } = read835(text)
    expect(located(problems)).toEqual([
      ["error", "malformed-amount", index("CAS*CO*45*6O"), "CAS", 3],
      ["error", "malformed-amount", index("SVC*HC:90785*1.0.0*60**1"), "SVC", 2]
    ])
    const claim = remittances[0]?.claims[0]
    expect(claim?.balanced).toBe(false)
    expect(claim?.lines.map((l) => l.balanced)).toEqual([false, false])
    expect(claim?.lines[1]?.charge).toBe(0)
    expect(remittances[0]?.balanced).toEqual({ lines: false, claims: false, transaction: true })
    assertNoValuesQuoted(text, problems)
  })

  it("a third decimal rounds half-up with a warning; more decimals still count only the third", () => {
    const body = swap(
      swap(balanced, "CAS*CO*45*60", "CAS*CO*45*59.995"),
      "SVC*HC:90785*100*60**1",
      "SVC*HC:90785*100.0049*60**1"
    )
    const { text, index } = interchange(body)
    const { problems } = read835(text)
    expect(located(problems)).toEqual([
      ["warning", "amount-precision", index("CAS*CO*45*59.995"), "CAS", 3],
      ["warning", "amount-precision", index("SVC*HC:90785*100.0049*60**1"), "SVC", 2]
    ])
  })

  it("CAS groups: CR is obsolete, anything else outside CO/OA/PI/PR is an error; 18 and 23 belong to OA", () => {
    const body = swap(swap(balanced, "CAS*CO*45*60", "CAS*CR*45*60"), "CAS*CO*16*75*1", "CAS*XX*16*75*1")
    const withOa = swap(body, "CAS*CO*45*30**253*0.8**97*9.2", "CAS*CO*45*30**23*0.8**97*9.2")
    const { text, index } = interchange(withOa)
    expect(located(read835(text).problems)).toEqual([
      ["warning", "obsolete-adjustment-group", index("CAS*CR*45*60"), "CAS", 1],
      ["warning", "adjustment-reason-group", index("CAS*CO*45*30**23*0.8**97*9.2"), "CAS", 5],
      ["error", "bad-adjustment-group", index("CAS*XX*16*75*1"), "CAS", 1]
    ])
  })

  it("structure: CLP right after CLP, LX between claims, segments outside a claim", () => {
    const { text, index } = interchange([
      "BPR*I*30*C*CHK************20250305",
      "TRN*1*CHK1*1512345678",
      "SVC*HC:90834*10*10**1",
      "LX*1",
      "CLP*A*1*10*10*0*12*ICNA*11*1",
      "CLP*B*1*10*10*0*12*ICNB*11*1",
      "LX*2",
      "CLP*C*1*10*10*0*12*ICNC*11*1",
      "CLP*D*7*0*0*0*12*ICND*11*1"
    ])
    const { remittances, problems } = read835(text)
    expect(located(problems)).toEqual([
      ["error", "out-of-place", index("SVC*HC:90834*10*10**1"), "SVC", undefined],
      ["warning", "unknown-claim-status", index("CLP*D*7*0*0*0*12*ICND*11*1"), "CLP", 2]
    ])
    expect(remittances[0]?.claims.map((c) => [c.patientControlNumber, c.headerNumber, c.statusMeaning])).toEqual([
      ["A", "1", "processed-primary"],
      ["B", "1", "processed-primary"],
      ["C", "2", "processed-primary"],
      ["D", "2", "other"]
    ])
  })

  it("a transaction without BPR or TRN is an error", () => {
    const { text } = interchange(["LX*1", "CLP*A*1*10*10*0*12*ICNA*11*1"])
    const { remittances, problems } = read835(text)
    expect(problems.map((p) => [p.severity, p.code, p.message])).toEqual([
      ["error", "missing-segment", "the 835 has no BPR"],
      ["error", "missing-segment", "the 835 has no TRN"]
    ])
    expect(remittances[0]?.claims).toHaveLength(1)
    expect(remittances[0]?.balanced.transaction).toBe(false)
  })
})

describe("streaming", () => {
  for (const [name, text] of [
    ["Ohio", ohio],
    ["pyx12", pyx12],
    ["Nebraska", nebraska],
    ["hand-balanced", interchange(balanced).text]
  ] as const) {
    it(`${name}: chunks of 1, 7 and 500 characters give the same items and problems`, () => {
      const whole = Reader.readEvents(text, { models })
      expect(claimsOf(whole.events).length).toBeGreaterThan(0)
      for (const size of [1, 7, 500]) {
        const chunked = inChunks(text, size)
        expect(chunked.events).toEqual(whole.events)
        expect(claimsOf(chunked.events)).toEqual(claimsOf(whole.events))
        expect(chunked.problems).toEqual(whole.problems)
      }
    })
  }

  it("hands out each claim when the next one starts, and the last one at SE", () => {
    const { events } = Reader.readEvents(pyx12, { models })
    const items = events.filter((e) => e._tag === "Item")
    expect(items.map((e) => e._tag === "Item" && (e.item as RemittanceClaim).patientControlNumber)).toEqual([
      "2005555A"
    ])
    const transaction = events.find((e) => e._tag === "Transaction")
    expect(transaction?._tag === "Transaction" && "claims" in (transaction.model as object)).toBe(false)
    // A PLB closes the last claim, so Ohio's ten claims are all items and nothing rides along.
    const ohioEvents = Reader.readEvents(ohio, { models }).events
    expect(ohioEvents.filter((e) => e._tag === "Item")).toHaveLength(10)
    const ohioTransaction = ohioEvents.find((e) => e._tag === "Transaction")
    expect(ohioTransaction?._tag === "Transaction" && "claims" in (ohioTransaction.model as object)).toBe(false)
  })

  it("flush closes the open claim, so a reader that calls it before end gets every claim as an item", () => {
    const problems: Array<unknown> = []
    const { segments } = Segments.split(pyx12)
    const st = segments.findIndex((s) => s.id === "ST")
    const se = segments.findIndex((s) => s.id === "SE")
    const model = make835({
      header: { setId: "835", control: "0001", version: "005010X221A1" },
      interchange: {
        control: "000238388",
        senderQualifier: "ZZ",
        sender: "D00000",
        receiverQualifier: "ZZ",
        receiver: "00AA",
        date: "141028",
        time: "1609",
        version: "00501",
        acknowledgmentRequested: true,
        usage: "P"
      },
      group: { functionalId: "HP", sender: "", receiver: "", date: "", time: "", control: "1", version: "" },
      report: (problem) => problems.push(problem)
    })
    const items = segments.slice(st + 1, se).flatMap((segment) => model.segment(segment))
    expect(items).toEqual([])
    const flushed = model.flush()
    expect(flushed.map((c) => [c.patientControlNumber, c.lines.length])).toEqual([["2005555A", 3]])
    expect(model.flush()).toEqual([])
    const remittance = model.end()
    expect(remittance.claimCount).toBe(1)
    expect(remittance.balanced).toEqual({ lines: true, claims: true, transaction: true })
    expect(problems).toEqual([])
  })

  it("streams 100,000 claims in flat memory: items come out chunk by chunk", () => {
    const claims = 100_000
    const body: Array<string> = [`BPR*I*${claims * 80}*C*ACH************20250305`, "TRN*1*EFT1*1512345678", "LX*1"]
    for (let i = 0; i < claims; i++)
      body.push(`CLP*P${i}*1*100*80*20*12*I${i}*11*1`, "SVC*HC:90834*100*80**1", "CAS*PR*3*20")
    const { text } = interchange(body)
    const reader = new Reader.Reader({ models })
    let items = 0
    let largestBatch = 0
    let pushes = 0
    let order = 0
    let outOfOrder = 0
    let remittance: Remittance | undefined
    const chunk = 65_536
    for (let i = 0; i < text.length; i += chunk) {
      const events = reader.push(text.slice(i, i + chunk))
      pushes++
      let batch = 0
      for (const event of events) {
        if (event._tag === "Transaction") remittance = event.model as Remittance
        if (event._tag !== "Item") continue
        if ((event.item as RemittanceClaim).patientControlNumber !== `P${order++}`) outOfOrder++
        batch++
      }
      items += batch
      largestBatch = Math.max(largestBatch, batch)
      // Halfway through the input, about half the claims are out already.
      if (pushes === Math.floor(text.length / chunk / 2)) expect(items).toBeGreaterThan(claims / 3)
    }
    // SE closes the last claim: it comes out as an item too, in order.
    expect(reader.end().filter((e) => e._tag === "Item")).toEqual([])
    expect(items).toBe(claims)
    expect(outOfOrder).toBe(0)
    expect(largestBatch).toBeLessThan(2_000)
    expect(remittance?.claimCount).toBe(claims)
    expect(remittance?.claimCount).toBe(claims)
    expect(remittance?.totals).toEqual({ claimsPaid: claims * 8000, plb: 0, bpr: claims * 8000 })
    expect(reader.problems).toEqual([])
  })
})
