import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Reader, Segments } from "@openrcm/x12"
import {
  type ClaimStatusRequest,
  type Controls,
  type EligibilityRequest,
  type EnvelopeOptions,
  formatAmount,
  isValidNpi,
  type RequestFailure,
  write270,
  write276
} from "@openrcm/x12/Requests"
import { Result } from "effect"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "../../../../shared/fixtures/x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")

/** ST to SE of a text's first transaction set, each segment as its elements. */
const transactionSegments = (text: string): Array<ReadonlyArray<string>> => {
  const segments = Segments.split(text).segments
  const st = segments.findIndex((s) => s.id === "ST")
  const se = segments.findIndex((s) => s.id === "SE")
  return segments.slice(st, se + 1).map((s) => s.elements)
}

const written = (result: Result.Result<string, ReadonlyArray<RequestFailure>>): string => {
  if (Result.isFailure(result)) throw new Error(`refused: ${JSON.stringify(result.failure)}`)
  return result.success
}

const failures = (result: Result.Result<string, ReadonlyArray<RequestFailure>>): ReadonlyArray<RequestFailure> =>
  Result.isFailure(result) ? result.failure : []

/** Reads with the generic reader: every segment kept, no models. */
const readBack = (text: string) => {
  const { events, problems } = Reader.readEvents(text, { mode: "strict", keepSegments: true })
  const transaction = events.find((e) => e._tag === "Transaction")
  return {
    problems,
    segments: transaction?._tag === "Transaction" ? (transaction.segments ?? []) : [],
    transaction
  }
}

const envelope: EnvelopeOptions = {
  sender: { id: "901234572000", qualifier: "30" },
  receiver: { id: "908887732000", qualifier: "30" },
  usage: "T",
  date: "2006-05-01",
  time: "1319"
}

// A valid NPI: the Luhn check digit over 80840 + 123456789 is 3.
const npi = "1234567893"

// The inputs of the 270 fixture, with an NPI where the fixture has a service provider number (SV).
const inquiry: EligibilityRequest = {
  reference: "10001234",
  payer: { name: "ABC COMPANY", id: "842610001" },
  provider: { name: "BONE AND JOINT CLINIC", npi },
  subscriber: { lastName: "SMITH", firstName: "ROBERT", memberId: "11122333301", birthDate: "1943-05-19" },
  trace: { reference: "93175-012547", originator: "9877281234" },
  serviceDate: "2006-05-01",
  serviceTypes: ["30"]
}
const inquiryControls: Controls = { interchange: 31, group: 31, transaction: 1234 }

// The inputs of the 276 fixture's first claim. The fixture's NPI 1666666661 fails its check digit (8 is right).
const statusRequest: ClaimStatusRequest = {
  reference: "ABC276XXX",
  payer: { name: "ABC INSURANCE", id: "12345" },
  receiver: { name: "XYZ SERVICE", id: "X67E" },
  provider: { name: "HOME HOSPITAL", npi: "1666666668" },
  subscriber: { lastName: "SMITH", firstName: "FRED", memberId: "123456789A", birthDate: "1930-12-10", gender: "M" },
  claim: {
    trace: "ABCXYZ1",
    billType: "111",
    patientAccount: "SM123456",
    chargeCents: 851388,
    serviceDates: { start: "2005-08-31", end: "2005-09-06" }
  }
}
const statusEnvelope: EnvelopeOptions = { ...envelope, date: "2005-09-15", time: "14:25" }
const statusControls: Controls = { interchange: 31, group: 31, transaction: 1 }

describe("NPI check digit", () => {
  it.each([
    ["1234567893", true],
    ["1666666668", true],
    ["1666666661", false],
    ["1666666666", false],
    ["1234567890", false],
    ["123456789", false],
    ["12345678930", false],
    ["123456789X", false]
  ])("%s is %s", (value, valid) => {
    expect(isValidNpi(value)).toBe(valid)
  })
})

describe("amounts", () => {
  it.each([
    [851388, "8513.88"],
    [759900, "7599"],
    [1050, "10.5"],
    [5, "0.05"],
    [10, "0.1"],
    [0, "0"],
    [-1250, "-12.5"]
  ])("%i cents is %s", (cents, text) => {
    expect(formatAmount(cents)).toBe(text)
  })
})

describe("270", () => {
  const text = () => written(write270(inquiry, inquiryControls, envelope))

  it("is read back by the generic reader with no problem, with its NM1, TRN, DMG, DTP and EQ", () => {
    const { problems, segments, transaction } = readBack(text())
    expect(problems).toEqual([])
    expect(transaction).toMatchObject({
      header: { setId: "270", control: "1234", version: "005010X279A1" },
      group: { functionalId: "HS", control: "31", version: "005010X279A1" },
      interchange: { control: "000000031", usage: "T", sender: "901234572000", senderQualifier: "30" }
    })
    const byId = (id: string) => segments.filter((s) => s.id === id).map((s) => s.elements.slice(1))
    expect(byId("NM1")).toEqual([
      ["PR", "2", "ABC COMPANY", "", "", "", "", "PI", "842610001"],
      ["1P", "2", "BONE AND JOINT CLINIC", "", "", "", "", "XX", npi],
      ["IL", "1", "SMITH", "ROBERT", "", "", "", "MI", "11122333301"]
    ])
    expect(byId("TRN")).toEqual([["1", "93175-012547", "9877281234"]])
    expect(byId("DMG")).toEqual([["D8", "19430519"]])
    expect(byId("DTP")).toEqual([["291", "D8", "20060501"]])
    expect(byId("EQ")).toEqual([["30"]])
  })

  it("matches the 270 fixture element by element, but for ST03 (A1) and the provider's NPI", () => {
    const ours = transactionSegments(text())
    const theirs = transactionSegments(fixture("270_oopfactory_5010_example1_ig"))
    expect(ours.map((s) => s[0])).toEqual(theirs.map((s) => s[0]))
    const differences: Array<[string, number]> = []
    ours.forEach((segment, i) => {
      const other = theirs[i] ?? []
      for (let n = 0; n < Math.max(segment.length, other.length); n++)
        if (segment[n] !== other[n]) differences.push([segment[0] ?? "", n])
    })
    // ST03 005010X279 in the fixture (before the A1 addenda); NM108/NM109 SV 2000035 there, XX and an NPI here.
    expect(differences).toEqual([
      ["ST", 3],
      ["NM1", 8],
      ["NM1", 9]
    ])
  })

  it("writes a fixed-width ISA, the counts and control numbers in every trailer", () => {
    const segments = Segments.split(text()).segments
    const isa = text().slice(0, text().indexOf("~") + 1)
    expect(isa).toHaveLength(106)
    expect(isa).toBe(
      "ISA*00*          *00*          *30*901234572000   *30*908887732000   *060501*1319*^*00501*000000031*0*T*:~"
    )
    expect(segments[0]?.delimiters).toEqual({ element: "*", component: ":", repetition: "^", segment: "~" })
    expect(segments.map((s) => s.id).slice(-3)).toEqual(["SE", "GE", "IEA"])
    expect(segments.at(-3)?.elements).toEqual(["SE", "13", "1234"])
    expect(segments.at(-2)?.elements).toEqual(["GE", "1", "31"])
    expect(segments.at(-1)?.elements).toEqual(["IEA", "1", "000000031"])
    expect(text()).not.toMatch(/\*~/u)
  })

  it("writes one EQ per service type, a DMG with gender, an RD8 range, and newlines when asked", () => {
    const many = written(
      write270(
        {
          ...inquiry,
          subscriber: { ...inquiry.subscriber, gender: "F" },
          serviceDate: { start: "2025-01-01", end: "2025-01-31" },
          serviceTypes: ["MH", "A6", "98"]
        },
        { interchange: "7", group: "7", transaction: "7" },
        { ...envelope, newlines: true }
      )
    )
    const { problems, segments } = readBack(many)
    expect(problems).toEqual([])
    expect(segments.filter((s) => s.id === "EQ").map((s) => s.elements[1])).toEqual(["MH", "A6", "98"])
    expect(segments.find((s) => s.id === "DMG")?.elements).toEqual(["DMG", "D8", "19430519", "F"])
    expect(segments.find((s) => s.id === "DTP")?.elements).toEqual(["DTP", "291", "RD8", "20250101-20250131"])
    expect(many.split("\n")[2]).toBe("ST*270*0007*005010X279A1~")
  })

  it("refuses a wrong NPI check digit, and everything else wrong, naming fields but no values", () => {
    const result = write270(
      {
        ...inquiry,
        provider: { name: "BONE*JOINT", npi: "1666666661" },
        subscriber: { lastName: "SMITH", memberId: "", birthDate: "1943-02-30", gender: "F" },
        trace: { reference: "T1", originator: "98772" },
        serviceTypes: ["30", "mh"]
      },
      { interchange: 0, group: 1234567890, transaction: "12a" },
      { ...envelope, usage: "X" as "P", time: "2460" }
    )
    expect(failures(result)).toEqual([
      { field: "controls.interchange", message: "is not a positive number of at most 9 digits" },
      { field: "controls.group", message: "is not a positive number of at most 9 digits" },
      { field: "controls.transaction", message: "is not a positive number of at most 9 digits" },
      { field: "envelope.usage", message: "must be P or T" },
      { field: "envelope.time", message: "is not a time HHMM or HH:MM" },
      { field: "provider.name", message: "contains a delimiter (* : ^ ~) or a control character" },
      { field: "provider.npi", message: "fails the NPI check digit" },
      { field: "subscriber.birthDate", message: "is not an ISO date (YYYY-MM-DD)" },
      { field: "subscriber.memberId", message: "is required" },
      { field: "trace.originator", message: "is shorter than 10 characters" },
      { field: "serviceTypes[1]", message: "is not a service type code" }
    ])
    const said = JSON.stringify(failures(result))
    for (const value of ["1666666661", "BONE*JOINT", "1943-02-30", "98772", "2460"]) expect(said).not.toContain(value)
  })

  it.each([
    ["123456789", "is not 10 digits"],
    ["12345678AB", "is not 10 digits"],
    ["1234567890", "fails the NPI check digit"]
  ])("refuses NPI %s: %s", (value, message) => {
    expect(
      failures(write270({ ...inquiry, provider: { ...inquiry.provider, npi: value } }, inquiryControls, envelope))
    ).toEqual([{ field: "provider.npi", message }])
  })
})

describe("276", () => {
  const text = () => written(write276(statusRequest, statusControls, statusEnvelope))

  it("is read back by the generic reader with no problem, with its HL levels, TRN, REF, AMT and DTP", () => {
    const { problems, segments, transaction } = readBack(text())
    expect(problems).toEqual([])
    expect(transaction).toMatchObject({
      header: { setId: "276", control: "0001", version: "005010X212" },
      group: { functionalId: "HR", version: "005010X212" }
    })
    const byId = (id: string) => segments.filter((s) => s.id === id).map((s) => s.elements.slice(1))
    expect(byId("HL")).toEqual([
      ["1", "", "20", "1"],
      ["2", "1", "21", "1"],
      ["3", "2", "19", "1"],
      ["4", "3", "22", "0"]
    ])
    expect(byId("NM1").map((e) => [e[0], e[7], e[8]])).toEqual([
      ["PR", "PI", "12345"],
      ["41", "46", "X67E"],
      ["1P", "XX", "1666666668"],
      ["IL", "MI", "123456789A"]
    ])
    expect(byId("TRN")).toEqual([["1", "ABCXYZ1"]])
    expect(byId("AMT")).toEqual([["T3", "8513.88"]])
    expect(byId("DTP")).toEqual([["472", "RD8", "20050831-20050906"]])
  })

  it("matches the 276 fixture's first claim element by element, but for the corrected NPI", () => {
    const ours = transactionSegments(text())
    const all = transactionSegments(fixture("276_oopfactory_5010_example1_ig"))
    // The fixture's first claim: ST up to the second subscriber's HL.
    const theirs = all.slice(
      0,
      all.findIndex((s) => s[0] === "HL" && s[1] === "5")
    )
    expect(ours.slice(0, -1).map((s) => s[0])).toEqual(theirs.map((s) => s[0]))
    const differences: Array<[string, number]> = []
    theirs.forEach((segment, i) => {
      const other = ours[i] ?? []
      for (let n = 0; n < Math.max(segment.length, other.length); n++)
        if (segment[n] !== other[n]) differences.push([segment[0] ?? "", n])
    })
    expect(differences).toEqual([["NM1", 9]])
    expect(ours.at(-1)).toEqual(["SE", "17", "0001"])
  })

  it("refuses the fixture's own NPI: its check digit is wrong", () => {
    const result = write276(
      { ...statusRequest, provider: { ...statusRequest.provider, npi: "1666666661" } },
      statusControls,
      statusEnvelope
    )
    expect(failures(result)).toEqual([{ field: "provider.npi", message: "fails the NPI check digit" }])
  })

  it("writes a dependent's claim as the fixture's third claim, with REF*1K and a whole-dollar charge", () => {
    const dependentText = written(
      write276(
        {
          ...statusRequest,
          provider: { name: "HOME HOSPITAL PHYSICIANS", npi: "1666666668" },
          subscriber: { lastName: "MANN", firstName: "JOHN", memberId: "345678901" },
          dependent: { lastName: "MANN", firstName: "JOSEPH", birthDate: "1995-11-01", gender: "M" },
          claim: {
            trace: "ABCXYZ3",
            payerClaimNumber: "PCN-1",
            patientAccount: "MA345678",
            chargeCents: 15000,
            serviceDates: "2005-05-01"
          }
        },
        statusControls,
        statusEnvelope
      )
    )
    const { problems, segments } = readBack(dependentText)
    expect(problems).toEqual([])
    const ours = segments.map((s) => s.elements)
    const all = transactionSegments(fixture("276_oopfactory_5010_example1_ig"))
    // From the subscriber's HL to the patient's REF*EJ, the fixture has HL 7 and 8 where we have 4 and 5.
    const from = (rows: ReadonlyArray<ReadonlyArray<string>>, hl: string) => {
      const start = rows.findIndex((s) => s[0] === "HL" && s[1] === hl)
      return rows.slice(start)
    }
    const theirs = from(all, "7").slice(0, 7)
    const mine = from(ours, "4")
    expect(mine.map((s) => s[0])).toEqual(["HL", "NM1", "HL", "DMG", "NM1", "TRN", "REF", "REF", "AMT", "DTP"])
    expect(mine[0]?.slice(3)).toEqual(theirs[0]?.slice(3))
    expect(mine[1]).toEqual(theirs[1])
    expect(mine[2]?.slice(3)).toEqual(theirs[2]?.slice(3))
    expect(mine.slice(3, 6)).toEqual(theirs.slice(3, 6))
    expect(mine[6]).toEqual(["REF", "1K", "PCN-1"])
    expect(mine[7]).toEqual(theirs[6])
    expect(mine.slice(8)).toEqual([
      ["AMT", "T3", "150"],
      ["DTP", "472", "D8", "20050501"]
    ])
  })

  it("needs the patient's birth date, a whole charge in cents and a service date that is a date", () => {
    const result = write276(
      {
        ...statusRequest,
        dependent: { lastName: "MANN" },
        claim: { ...statusRequest.claim, chargeCents: 10.5, serviceDates: { start: "2005-09-06", end: "2005-08-31" } }
      },
      statusControls,
      statusEnvelope
    )
    expect(failures(result)).toEqual([
      { field: "dependent.birthDate", message: "is required" },
      { field: "claim.chargeCents", message: "is not a whole, non-negative number of cents" },
      { field: "claim.serviceDates", message: "ends before it starts" }
    ])
  })
})
