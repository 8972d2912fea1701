import { describe, expect, it } from "@effect/vitest"
import { Money } from "@openrcm/core"
import { Schema } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const decodeMoney = Schema.decodeUnknownSync(Money.Money)
const decodeDecimal = Schema.decodeUnknownSync(Money.MoneyFromDecimalString)
const encodeDecimal = Schema.encodeSync(Money.MoneyFromDecimalString)
const safeCents = fc.integer({ min: -1_000_000_000_00, max: 1_000_000_000_00 })

describe("Money", () => {
  it("accepts whole cents and refuses fractions and unsafe integers", () => {
    expect(decodeMoney(1234)).toBe(1234)
    expect(() => decodeMoney(12.5)).toThrow()
    expect(() => decodeMoney(Number.MAX_SAFE_INTEGER + 1)).toThrow()
    expect(() => decodeMoney("1234")).toThrow()
  })

  it.each([
    ["12.34", 1234],
    ["12.3", 1230],
    ["12", 1200],
    ["0.05", 5],
    ["-0.05", -5],
    ["-1200.5", -120050]
  ])("decodes the decimal string %s to %i cents", (text, expected) => {
    expect(decodeDecimal(text)).toBe(expected)
  })

  it.each(["12.345", "1,200.00", "$12", "", "1e3", " 12", "12.", ".5"])("refuses the decimal string %j", (text) => {
    expect(() => decodeDecimal(text)).toThrow()
  })

  it.each([
    [1234, "12.34"],
    [1230, "12.3"],
    [1200, "12"],
    [5, "0.05"],
    [-5, "-0.05"],
    [0, "0"]
  ])("writes %i cents as X12 writes amounts: %s", (value, expected) => {
    expect(Money.toDecimalString(Money.cents(value))).toBe(expected)
  })

  it("round-trips any amount through its decimal string", () => {
    holds(
      fc.property(safeCents, (n) => {
        const m = Money.cents(n)
        return decodeDecimal(encodeDecimal(m)) === m
      })
    )
  })

  it("formats for people in US dollars", () => {
    expect(Money.format(Money.cents(123456))).toBe("$1,234.56")
    expect(Money.format(Money.cents(-5))).toBe("-$0.05")
    expect(Money.format(Money.zero)).toBe("$0.00")
    expect(Money.format(Money.dollars(90_000_000_000, 1))).toBe("$90,000,000,000.01")
  })

  it("adds, subtracts and sums exactly", () => {
    expect(Money.add(Money.cents(10), Money.cents(20))).toBe(30)
    expect(Money.subtract(Money.cents(10), Money.cents(20))).toBe(-10)
    expect(Money.sum([1, 2, 3].map(Money.cents))).toBe(6)
    expect(Money.times(Money.cents(2550), 4)).toBe(10200)
    expect(Money.dollars(-3, 25)).toBe(-325)
  })

  it("treats arithmetic past the safe range as a defect, not a wrong number", () => {
    const big = Money.cents(Number.MAX_SAFE_INTEGER)
    expect(() => Money.add(big, Money.cents(1))).toThrow(RangeError)
    expect(() => Money.cents(0.5)).toThrow(RangeError)
    expect(() => Money.times(big, 2)).toThrow(RangeError)
  })

  it.each([
    [10000, 2000, 2000], // 20% of $100.00
    [12345, 2000, 2469], // 2469.0
    [10001, 5000, 5001], // 5000.5 rounds half up
    [10003, 5000, 5002], // 5001.5 rounds half up
    [-10001, 5000, -5001], // halves round away from zero
    [333, 3333, 111], // 110.9889 → 111
    [1, 4999, 0] // 0.4999 → 0
  ])("takes %i cents × %i basis points = %i cents, half-up", (amount, bps, expected) => {
    expect(Money.percentage(Money.cents(amount), bps)).toBe(expected)
  })

  it("percentage never moves more than half a cent from the exact value", () => {
    holds(
      fc.property(safeCents, fc.integer({ min: 0, max: 10_000 }), (n, bps) => {
        const exact = (n * bps) / 10_000
        return Math.abs(Money.percentage(Money.cents(n), bps) - exact) <= 0.5 + 1e-9
      })
    )
  })

  it("allocates without losing or inventing a cent", () => {
    expect(Money.allocate(Money.cents(100), [1, 1, 1])).toEqual([34, 33, 33])
    expect(Money.allocate(Money.cents(-100), [1, 1, 1])).toEqual([-34, -33, -33])
    expect(Money.allocate(Money.cents(5), [0, 1])).toEqual([0, 5])
    holds(
      fc.property(
        safeCents,
        fc
          .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })
          .filter((w) => w.some((x) => x > 0)),
        (n, weights) => {
          const parts = Money.allocate(Money.cents(n), weights)
          return (
            parts.length === weights.length &&
            Money.sum(parts) === n &&
            parts.every((p, i) => weights[i] !== 0 || p === 0)
          )
        }
      )
    )
  })

  it("orders amounts", () => {
    expect(Money.compare(Money.cents(1), Money.cents(2))).toBe(-1)
    expect(Money.min(Money.cents(1), Money.cents(2))).toBe(1)
    expect(Money.max(Money.cents(1), Money.cents(2))).toBe(2)
    expect(Money.isZero(Money.zero)).toBe(true)
    expect(Money.isNegative(Money.cents(-1))).toBe(true)
  })
})
