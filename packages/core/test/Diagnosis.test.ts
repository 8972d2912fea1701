import { describe, expect, it } from "@effect/vitest"
import { DateOfService, Diagnosis } from "@openrcm/core"
import { Schema } from "effect"

const d = DateOfService.make

describe("Diagnosis", () => {
  it.each([
    ["F41.1", "2025-01-02", "Billable"],
    ["F32.A", "2021-09-30", "NotValidOnDate"], // added 2021-10-01 (FY2022)
    ["F32.A", "2021-10-01", "Billable"],
    ["F32.8", "2020-09-30", "Billable"], // replaced by F32.81/F32.89 on 2020-10-01
    ["F32.8", "2020-10-01", "NotSpecific"],
    ["F32.81", "2020-09-30", "NotValidOnDate"],
    ["F32.89", "2020-10-01", "Billable"],
    ["F43.1", "2025-01-02", "NotSpecific"], // must be F43.10, F43.11 or F43.12
    ["F41", "2025-01-02", "NotSpecific"],
    ["F32", "2025-01-02", "NotSpecific"],
    ["F31", "2025-01-02", "NotSpecific"],
    ["F41.1", "2015-09-30", "NotValidOnDate"], // before ICD-10-CM
    ["Z63.0", "2025-01-02", "Unverified"],
    ["F411", "2025-01-02", "InvalidFormat"],
    ["U07.1", "2025-01-02", "InvalidFormat"],
    ["f41.1", "2025-01-02", "InvalidFormat"]
  ])("%s on %s is %s", (code, date, expected) => {
    expect(Diagnosis.check(code, d(date))._tag).toBe(expected)
  })

  it("names the specific codes to use instead of a header", () => {
    expect(Diagnosis.check("F43.1", d("2025-01-02"))).toEqual({
      _tag: "NotSpecific",
      useInstead: ["F43.10", "F43.11", "F43.12"]
    })
  })

  it("decodes well-formed codes only", () => {
    const decode = Schema.decodeUnknownSync(Diagnosis.DiagnosisCode)
    expect(decode("F43.10")).toBe("F43.10")
    expect(() => decode("F43.10000")).toThrow()
  })
})
