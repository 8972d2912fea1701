import { describe, expect, it } from "@effect/vitest"
import carc from "../data/carc.json" with { type: "json" }
import categories from "../data/denial-categories.json" with { type: "json" }
import rarc from "../data/rarc.json" with { type: "json" }

interface CodeRow {
  readonly code: string
  readonly description: string
  readonly start: string | null
  readonly stop: string | null
  readonly lastModified: string | null
  readonly status: string
}

const carcRows: ReadonlyArray<CodeRow> = carc
const rarcRows: ReadonlyArray<CodeRow> = rarc

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const isRealDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

const checkTable = (rows: ReadonlyArray<CodeRow>, format: RegExp) => {
  const seen = new Set<string>()
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual(["code", "description", "lastModified", "start", "status", "stop"])
    expect(row.code, row.code).toMatch(format)
    expect(seen.has(row.code), `duplicate ${row.code}`).toBe(false)
    seen.add(row.code)
    expect(row.description.trim().length, row.code).toBeGreaterThan(0)
    expect(row.description, row.code).toBe(row.description.trim())
    expect(row.description, row.code).not.toMatch(/<[a-z/]|&[a-z]+;|Start: \d/i)
    expect(["current", "deactivated"], row.code).toContain(row.status)
    for (const date of [row.start, row.stop, row.lastModified]) {
      if (date !== null) {
        expect(date, row.code).toMatch(isoDate)
        expect(isRealDate(date), `${row.code} ${date}`).toBe(true)
      }
    }
    if (row.start !== null && row.stop !== null) expect(row.start <= row.stop, row.code).toBe(true)
    // A stop date is only ever given for a code the current list marks deactivated.
    if (row.stop !== null) expect(row.status, row.code).toBe("deactivated")
  }
  return seen
}

const byCode = (rows: ReadonlyArray<CodeRow>) => new Map(rows.map((row) => [row.code, row]))

// The codes named in shared/domain/RULES.md §6-§9 (scrubbing rules, patient responsibility, 835) and the brief.
const rulesCarcs = [
  "1",
  "2",
  "3",
  "4",
  "11",
  "15",
  "16",
  "18",
  "22",
  "23",
  "24",
  "26",
  "27",
  "29",
  "45",
  "50",
  "96",
  "97",
  "107",
  "119",
  "146",
  "150",
  "151",
  "170",
  "181",
  "182",
  "185",
  "197",
  "198",
  "204",
  "236",
  "253",
  "B7",
  "B15",
  "B20"
]
const rulesRarcs = ["M51", "M76", "M80", "M81", "MA130", "N56", "N111", "N115", "N211", "N290", "N386", "N431", "N522"]

describe("CARC and RARC code tables", () => {
  it("CARC rows have the shape, unique 1-3 character codes and sane dates", () => {
    const codes = checkTable(carcRows, /^[A-Z]?\d{1,3}$/)
    expect(codes.size).toBeGreaterThanOrEqual(300)
    expect(carcRows.every((row) => row.code.length <= 3)).toBe(true)
  })

  it("RARC rows have the shape, unique M/MA/N codes and sane dates", () => {
    const codes = checkTable(rarcRows, /^(M|MA|N)\d{1,3}$/)
    expect(codes.size).toBeGreaterThanOrEqual(1000)
    expect(codes.has("N900")).toBe(true)
  })

  it("keeps deactivated codes with their stop dates", () => {
    const carcs = byCode(carcRows)
    expect(carcs.get("25")).toMatchObject({ status: "deactivated", start: "1995-01-01", stop: "2008-04-01" })
    expect(carcs.get("42")?.stop).toBe("2007-06-01")
    expect(byCode(rarcRows).get("N29")).toMatchObject({ status: "deactivated", stop: "2016-03-01" })
    expect(carcRows.filter((row) => row.status === "deactivated").length).toBeGreaterThan(50)
  })

  it("has every code the domain rules use, with the expected meaning", () => {
    const carcs = byCode(carcRows)
    const rarcs = byCode(rarcRows)
    for (const code of rulesCarcs) expect(carcs.has(code), `CARC ${code}`).toBe(true)
    for (const code of rulesRarcs) expect(rarcs.has(code), `RARC ${code}`).toBe(true)
    const meaning: ReadonlyArray<readonly [Map<string, CodeRow>, string, RegExp]> = [
      [carcs, "1", /^Deductible Amount$/],
      [carcs, "2", /^Coinsurance Amount$/],
      [carcs, "3", /^Co-payment Amount$/],
      [carcs, "4", /inconsistent with the modifier/],
      [carcs, "16", /lacks information/],
      [carcs, "18", /Exact duplicate/],
      [carcs, "22", /coordination of benefits/],
      [carcs, "23", /prior payer/],
      [carcs, "26", /prior to coverage/],
      [carcs, "27", /after coverage terminated/],
      [carcs, "29", /time limit for filing has expired/],
      [carcs, "45", /^Charge exceeds fee schedule/],
      [carcs, "50", /medical necessity/],
      [carcs, "96", /^Non-covered charge/],
      [carcs, "97", /included in the payment\/allowance for another service/],
      [carcs, "107", /related or qualifying claim\/service was not identified/],
      [carcs, "119", /Benefit maximum/],
      [carcs, "146", /Diagnosis was invalid for the date/],
      [carcs, "150", /level of service/],
      [carcs, "151", /many\/frequency of services/],
      [carcs, "170", /this type of provider/],
      [carcs, "181", /Procedure code was invalid on the date of service/],
      [carcs, "182", /modifier was invalid on the date of service/],
      [carcs, "185", /rendering provider is not eligible/],
      [carcs, "197", /^Precertification\/authorization\/notification\/pre-treatment absent\.$/],
      [carcs, "198", /exceeded/],
      [carcs, "204", /not covered under the patient's current benefit plan/],
      [carcs, "236", /National Correct Coding Initiative/],
      [carcs, "253", /^Sequestration/],
      [carcs, "B7", /not certified\/eligible/],
      [carcs, "B15", /qualifying service\/procedure/],
      [carcs, "B20", /furnished by another provider/],
      [rarcs, "M51", /procedure code/],
      [rarcs, "M76", /diagnosis or condition/],
      [rarcs, "M80", /same session\/date/],
      [rarcs, "M81", /highest level of specificity/],
      [rarcs, "N111", /duplicate/],
      [rarcs, "N115", /Local Coverage Determination/],
      [rarcs, "N211", /^Alert: You may not appeal this decision\.$/],
      [rarcs, "N290", /rendering provider primary identifier/],
      [rarcs, "N386", /National Coverage Determination/],
      [rarcs, "N431", /^Not covered with this procedure\.$/],
      [rarcs, "N522", /Duplicate of a claim processed/],
      [rarcs, "MA130", /unprocessable/]
    ]
    for (const [table, code, pattern] of meaning) expect(table.get(code)?.description, code).toMatch(pattern)
  })

  it("categorizes only known CARCs, with known categories and actions, once per group", () => {
    const carcs = byCode(carcRows)
    const keys = new Set<string>()
    for (const entry of categories.mappings) {
      expect(carcs.has(entry.carc), `categorized CARC ${entry.carc} is not in carc.json`).toBe(true)
      expect(Object.keys(categories.categories)).toContain(entry.category)
      expect(Object.keys(categories.actions)).toContain(entry.action)
      expect([null, "CO", "PR", "OA", "PI"]).toContain(entry.group)
      const key = `${entry.group}:${entry.carc}`
      expect(keys.has(key), key).toBe(false)
      keys.add(key)
      // The patient is billed only for amounts the payer puts on the patient.
      if (entry.action === "bill_patient" && entry.group !== "PR") {
        expect(entry.category, entry.carc).toBe("patient_responsibility")
      }
    }
  })

  it("maps the codes named in the brief to the expected category", () => {
    const lookup = (carcCode: string, group: string | null = null) =>
      categories.mappings.find((entry) => entry.carc === carcCode && entry.group === group) ??
      categories.mappings.find((entry) => entry.carc === carcCode && entry.group === null)
    const expected: ReadonlyArray<readonly [string, string | null, string, string]> = [
      ["1", "PR", "patient_responsibility", "bill_patient"],
      ["2", "PR", "patient_responsibility", "bill_patient"],
      ["3", "PR", "patient_responsibility", "bill_patient"],
      ["45", "CO", "contractual", "write_off"],
      ["197", "CO", "authorization", "appeal"],
      ["198", "CO", "authorization", "appeal"],
      ["15", "CO", "authorization", "correct_and_resubmit"],
      ["29", "CO", "timely_filing", "write_off"],
      ["18", "OA", "duplicate", "write_off"],
      ["50", "CO", "medical_necessity", "appeal"],
      ["22", "OA", "coordination_of_benefits", "correct_and_resubmit"],
      ["23", "OA", "coordination_of_benefits", "none"],
      ["24", "CO", "coordination_of_benefits", "correct_and_resubmit"],
      ["B7", "CO", "provider_enrollment", "correct_and_resubmit"],
      ["170", "CO", "provider_enrollment", "write_off"],
      ["185", "CO", "provider_enrollment", "write_off"],
      ["96", "CO", "non_covered", "write_off"],
      ["204", "PR", "non_covered", "bill_patient"],
      ["204", "CO", "non_covered", "write_off"],
      ["27", "CO", "eligibility", "correct_and_resubmit"],
      ["26", "CO", "eligibility", "correct_and_resubmit"],
      ["4", "CO", "modifier", "correct_and_resubmit"],
      ["182", "CO", "modifier", "correct_and_resubmit"],
      ["16", "CO", "coding", "correct_and_resubmit"],
      ["181", "CO", "coding", "correct_and_resubmit"],
      ["146", "CO", "coding", "correct_and_resubmit"],
      ["11", "CO", "coding", "correct_and_resubmit"],
      ["97", "CO", "coding", "write_off"],
      ["236", "CO", "coding", "write_off"],
      ["119", "PR", "non_covered", "bill_patient"],
      ["253", "CO", "contractual", "write_off"]
    ]
    for (const [code, group, category, action] of expected) {
      expect(lookup(code, group), `${group}-${code}`).toMatchObject({ category, action })
    }
  })
})
