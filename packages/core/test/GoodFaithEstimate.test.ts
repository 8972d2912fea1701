import { describe, expect, it } from "@effect/vitest"
import { Billing, DateOfService, GoodFaithEstimate, Money, SlidingScale } from "@openrcm/core"
import { Effect, Schema } from "effect"

const d = DateOfService.make
const base = {
  reason: "self-pay",
  patient: { firstName: "Sam", lastName: "Lee", dateOfBirth: "1990-02-03" },
  provider: {
    name: "Riverbend Behavioral Health",
    npi: "1245319599",
    tin: "123456789",
    address: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" }
  },
  requestedOn: "2025-03-03", // a Monday
  period: { start: "2025-03-10", end: "2026-03-09" },
  diagnoses: ["F41.1"],
  items: [
    { code: "90791", description: "Psychiatric diagnostic evaluation", quantity: 1, unitCharge: 22500 },
    {
      code: "90834",
      description: "Psychotherapy, 45 minutes",
      quantity: 24,
      unitCharge: 13500,
      frequency: "every other week"
    }
  ]
}
const request = (overrides: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(GoodFaithEstimate.GoodFaithEstimateRequest)({ ...base, ...overrides })
const make = (overrides: Record<string, unknown> = {}) => {
  const result = GoodFaithEstimate.make(request(overrides))
  if (result._tag === "Left") throw result.error
  return result.estimate
}

describe("GoodFaithEstimate", () => {
  it("totals the expected services and carries the statements a patient must get", () => {
    const estimate = make()
    expect(estimate.lines.map((l) => l.total)).toEqual([22500, 324000])
    expect(estimate.total).toBe(Money.cents(346_500))
    expect(estimate.disputeThreshold).toBe(Money.dollars(400))
    expect(estimate.disclaimers.join(" ")).toContain("$400 or more")
    expect(estimate.disclaimers.join(" ")).toContain("120 calendar days")
    expect(estimate.patient.lastName).toBe("Lee")
  })

  it.each([
    // scheduled 10+ business days ahead: within 3 business days
    ["2025-03-03", "2025-03-17", "2025-03-06"],
    // 3 to 9 business days ahead: within 1 business day (Friday → Monday)
    ["2025-03-07", "2025-03-12", "2025-03-10"],
    // asked for, nothing scheduled: within 3 business days
    ["2025-03-06", undefined, "2025-03-11"]
  ])("requested %s, scheduled for %s → due by %s", (requestedOn, scheduledFor, dueBy) => {
    const estimate = make({
      requestedOn,
      period: { start: "2025-03-06", end: "2026-03-05" },
      ...(scheduledFor ? { scheduledFor } : {})
    })
    expect(estimate.dueBy).toBe(dueBy)
  })

  it("covers at most 12 months", () => {
    expect(GoodFaithEstimate.make(request({ period: { start: "2025-03-10", end: "2026-03-09" } }))._tag).toBe("Right")
    const tooLong = GoodFaithEstimate.make(request({ period: { start: "2025-03-10", end: "2026-03-10" } }))
    expect(tooLong._tag === "Left" && tooLong.error.problem).toBe("period-longer-than-12-months")
  })

  it("refuses a scheduled service outside its period", () => {
    const outside = GoodFaithEstimate.make(request({ scheduledFor: "2025-03-09" }))
    expect(outside._tag === "Left" && outside.error.problem).toBe("scheduled-outside-period")
  })

  it("counts business days across weekends", () => {
    expect(GoodFaithEstimate.addBusinessDays(d("2025-03-07"), 1)).toBe("2025-03-10")
    expect(GoodFaithEstimate.businessDaysBetween(d("2025-03-07"), d("2025-03-14"))).toBe(5)
  })

  it.effect("is an operation that fails with a typed error", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Billing.goodFaithEstimate(request({ period: { start: "2025-01-01", end: "2026-06-30" } }))
      )
      expect(error._tag).toBe("GoodFaithEstimateError")
      const estimate = yield* Billing.goodFaithEstimate(request())
      expect(estimate.total).toBe(346_500)
    })
  )
})

describe("SlidingScale", () => {
  const scale = Schema.decodeUnknownSync(SlidingScale.SlidingScale)({
    name: "Riverbend sliding fee",
    bands: [
      { upToPercentOfPoverty: 100, flatFees: { "90834": 2000 } },
      { upToPercentOfPoverty: 200, discountBps: 5000 },
      { upToPercentOfPoverty: 300, discountBps: 2500 },
      {}
    ]
  })
  const service = { code: "90834", standardFee: Money.dollars(135) }

  it.each([
    // 2025 guideline for 3 in the contiguous states: 15,650 + 2 × 5,500 = 26,650
    [3, 2_665_000, undefined, 100, 0, 2000],
    [3, 2_665_100, undefined, 100, 0, 2000], // 100.003% rounds down to 100
    [3, 2_700_000, undefined, 101, 1, 6750],
    [3, 5_330_000, undefined, 200, 1, 6750],
    [3, 7_995_000, undefined, 300, 2, 10125],
    [3, 9_000_000, undefined, 337, 3, 13500],
    // Alaska: 19,550 + 2 × 6,880 = 33,310
    [3, 3_331_000, "AK", 100, 0, 2000]
  ])(
    "household of %i earning %i cents (%s) is at %i%% → band %i, fee %i",
    (size, income, state, percent, band, fee) => {
      const result = SlidingScale.feeFor(
        scale,
        { size, annualIncome: Money.cents(income), year: 2025, ...(state ? { state } : {}) },
        service
      )
      expect([result.percentOfPoverty, result.band, result.fee]).toEqual([percent, band, fee])
    }
  )

  it("uses the latest guideline it has for a later year, and says so", () => {
    const result = SlidingScale.feeFor(scale, { size: 1, annualIncome: Money.dollars(15_650), year: 2031 }, service)
    expect(result.percentOfPoverty).toBe(100)
    expect(result.explanation).toContain("2025 (the latest in the table)")
  })
})
