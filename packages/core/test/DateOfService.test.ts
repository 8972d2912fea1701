import { describe, expect, it } from "@effect/vitest"
import { DateOfService } from "@openrcm/core"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as fc from "fast-check"
import { holds } from "./property.js"

const decode = Schema.decodeUnknownSync(DateOfService.DateOfService)
const d = DateOfService.make

describe("DateOfService", () => {
  it.each(["2024-01-01", "2024-02-29", "2000-02-29", "2025-12-31", "1900-01-01"])("accepts %s", (text) => {
    expect(decode(text)).toBe(text)
  })

  it.each([
    "2023-02-29",
    "1900-02-29",
    "2024-13-01",
    "2024-04-31",
    "2024-1-01",
    "20240101",
    "2024-01-01T00:00:00Z",
    ""
  ])("refuses %j", (text) => {
    expect(() => decode(text)).toThrow()
  })

  it("does date arithmetic across months, leap days and years", () => {
    expect(DateOfService.addDays(d("2024-02-28"), 1)).toBe("2024-02-29")
    expect(DateOfService.addDays(d("2023-02-28"), 1)).toBe("2023-03-01")
    expect(DateOfService.addDays(d("2024-12-31"), 1)).toBe("2025-01-01")
    expect(DateOfService.addDays(d("2025-01-01"), -1)).toBe("2024-12-31")
    expect(DateOfService.daysBetween(d("2024-01-01"), d("2025-01-01"))).toBe(366)
    expect(DateOfService.daysBetween(d("1970-01-01"), d("1970-01-02"))).toBe(1)
  })

  it("agrees with the platform's UTC calendar on every day it can reach", () => {
    holds(
      fc.property(fc.integer({ min: -25_000, max: 300_000 }), (day) => {
        const expected = new Date(day * 86_400_000).toISOString().slice(0, 10)
        return DateOfService.addDays(d("1970-01-01"), day) === expected
      })
    )
  })

  it("includes both ends of a range", () => {
    const range = { start: d("2024-01-01"), end: d("2024-03-31") }
    expect(DateOfService.isWithin(d("2024-01-01"), range)).toBe(true)
    expect(DateOfService.isWithin(d("2024-03-31"), range)).toBe(true)
    expect(DateOfService.isWithin(d("2023-12-31"), range)).toBe(false)
    expect(DateOfService.isWithin(d("2024-04-01"), range)).toBe(false)
    expect(() =>
      Schema.decodeUnknownSync(DateOfService.DateRange)({ start: "2024-02-01", end: "2024-01-31" })
    ).toThrow()
  })

  it.effect("reads today from the Clock in the practice's time zone", () =>
    Effect.gen(function* () {
      // 2024-03-01T03:30:00Z is still February 29 in Chicago.
      yield* TestClock.setTime(Date.UTC(2024, 2, 1, 3, 30))
      expect(yield* DateOfService.today("America/Chicago")).toBe("2024-02-29")
      expect(yield* DateOfService.today("UTC")).toBe("2024-03-01")
    })
  )
})
