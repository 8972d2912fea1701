/**
 * Money in integer cents. Amounts never pass through floating point: arithmetic stays on safe integers,
 * rounding is explicit (half-up, away from zero for negatives), and splitting an amount never loses a cent.
 *
 * @since 0.1.0
 */

import { Schema, SchemaTransformation } from "effect"
import { noJsonSchema } from "./internal/schema.js"

/**
 * An amount of US dollars as a whole number of cents, within JavaScript's safe integer range.
 *
 * @since 0.1.0
 */
export const Money = Schema.Int.pipe(
  Schema.check(
    Schema.makeFilter((n: number) => Number.isSafeInteger(n), {
      expected: "a whole number of cents within the safe integer range",
      toJsonSchema: noJsonSchema
    })
  ),
  Schema.brand("Money")
).annotate({
  identifier: "Money",
  title: "Money",
  description: "An amount in integer cents (1234 is $12.34)."
})

/**
 * @since 0.1.0
 */
export type Money = typeof Money.Type

/**
 * A decimal dollar string such as `"12.34"`, `"-0.5"` or `"1200"`, as X12 and JSON APIs carry amounts.
 * Decodes to cents exactly, with no floating-point step; more than two decimals is refused.
 *
 * @since 0.1.0
 */
export const MoneyFromDecimalString = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^-?\d{1,13}(\.\d{1,2})?$/u, { expected: "a decimal amount with at most 2 decimals" })),
  // The pattern above admits only amounts `parseDecimal` accepts, so the decode cannot fail.
  Schema.decodeTo(
    Money,
    SchemaTransformation.transform<number, string>({
      decode: (s) => parseDecimal(s),
      encode: (n) => toDecimalString(n as Money)
    })
  )
).annotate({ identifier: "MoneyFromDecimalString" })

/**
 * Zero dollars.
 *
 * @since 0.1.0
 */
export const zero: Money = 0 as Money

const checked = (n: number, operation: string): Money => {
  // Past 2^53 cents (about 90 trillion dollars) integers lose precision: that is a bug, not an input.
  if (!Number.isSafeInteger(n)) throw new RangeError(`Money.${operation}: result is outside the safe cent range`)
  return n as Money
}

/**
 * Makes an amount from a whole number of cents. A fraction of a cent or an unsafe integer is a defect.
 *
 * @since 0.1.0
 */
export const cents = (value: number): Money => checked(value, "cents")

/**
 * Makes an amount from whole dollars and cents: `dollars(12, 34)` is $12.34.
 *
 * @since 0.1.0
 */
export const dollars = (whole: number, cent = 0): Money => checked(whole * 100 + (whole < 0 ? -cent : cent), "dollars")

/**
 * @since 0.1.0
 */
export const add = (a: Money, b: Money): Money => checked(a + b, "add")

/**
 * @since 0.1.0
 */
export const subtract = (a: Money, b: Money): Money => checked(a - b, "subtract")

/**
 * @since 0.1.0
 */
export const negate = (a: Money): Money => checked(-a, "negate")

/**
 * Adds up any number of amounts.
 *
 * @since 0.1.0
 */
export const sum = (amounts: Iterable<Money>): Money => {
  let total = 0
  for (const amount of amounts) total += amount
  return checked(total, "sum")
}

/**
 * Multiplies by a whole quantity (units of a service line).
 *
 * @since 0.1.0
 */
export const times = (a: Money, quantity: number): Money => {
  if (!Number.isInteger(quantity)) throw new RangeError("Money.times: quantity must be a whole number")
  return checked(a * quantity, "times")
}

/**
 * Rounds `numerator / denominator` cents to the nearest cent, halves away from zero ("half-up" on magnitudes),
 * using integer arithmetic only.
 */
const divideRounded = (numerator: number, denominator: number): number => {
  const sign = Math.sign(numerator) * Math.sign(denominator)
  const n = Math.abs(numerator)
  const d = Math.abs(denominator)
  const quotient = Math.floor(n / d)
  const remainder = n - quotient * d
  return sign * (remainder * 2 >= d ? quotient + 1 : quotient)
}

/**
 * A percentage of an amount, the rate in basis points (2000 is 20%), rounded half-up to the cent.
 * Coinsurance is computed this way.
 *
 * @since 0.1.0
 */
export const percentage = (a: Money, basisPoints: number): Money => {
  if (!Number.isInteger(basisPoints)) throw new RangeError("Money.percentage: basis points must be a whole number")
  return checked(divideRounded(a * basisPoints, 10_000), "percentage")
}

/**
 * Splits an amount in proportion to whole-number weights so that the parts add up to the amount exactly
 * (largest remainder first; ties go to the earlier part). Used to spread a payment or adjustment across lines.
 *
 * @since 0.1.0
 */
export const allocate = (a: Money, weights: ReadonlyArray<number>): Array<Money> => {
  if (weights.length === 0) throw new RangeError("Money.allocate: needs at least one weight")
  if (weights.some((w) => !Number.isInteger(w) || w < 0)) {
    throw new RangeError("Money.allocate: weights must be whole numbers >= 0")
  }
  const totalWeight = weights.reduce((s, w) => s + w, 0)
  if (totalWeight === 0) throw new RangeError("Money.allocate: weights must not all be zero")
  const magnitude = Math.abs(a)
  const sign = a < 0 ? -1 : 1
  const parts = weights.map((w) => Math.floor((magnitude * w) / totalWeight))
  let left = magnitude - parts.reduce((s, p) => s + p, 0)
  const order = weights
    .map((w, i) => ({ i, remainder: (magnitude * w) % totalWeight }))
    .sort((x, y) => y.remainder - x.remainder || x.i - y.i)
  for (const { i } of order) {
    if (left === 0) break
    parts[i] = (parts[i] ?? 0) + 1
    left--
  }
  return parts.map((p) => checked(sign * p, "allocate"))
}

/**
 * @since 0.1.0
 */
export const compare = (a: Money, b: Money): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

/**
 * @since 0.1.0
 */
export const min = (a: Money, b: Money): Money => (a <= b ? a : b)

/**
 * @since 0.1.0
 */
export const max = (a: Money, b: Money): Money => (a >= b ? a : b)

/**
 * @since 0.1.0
 */
export const isZero = (a: Money): boolean => a === 0

/**
 * @since 0.1.0
 */
export const isNegative = (a: Money): boolean => a < 0

/**
 * The amount as a plain decimal string, as X12 writes it: `1234` → `"12.34"`, `1200` → `"12"`, `-5` → `"-0.05"`.
 * Trailing zero decimals are dropped, as X12 5010 prefers.
 *
 * @since 0.1.0
 */
export const toDecimalString = (a: Money): string => {
  const sign = a < 0 ? "-" : ""
  const magnitude = Math.abs(a)
  const whole = Math.floor(magnitude / 100)
  const cent = magnitude % 100
  if (cent === 0) return `${sign}${whole}`
  const fraction = cent % 10 === 0 ? String(cent / 10) : String(cent).padStart(2, "0")
  return `${sign}${whole}.${fraction}`
}

/**
 * Parses a decimal dollar string into cents without floating point. Text that is not an amount with at most two
 * decimals is a defect here: decode untrusted text with `MoneyFromDecimalString` instead.
 *
 * @since 0.1.0
 */
export const parseDecimal = (text: string): Money => {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (match === null) throw new RangeError("Money.parseDecimal: not a decimal amount with at most 2 decimals")
  const [, sign, whole = "0", fraction = ""] = match
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, "0"))
  return checked(sign === "-" ? -value : value, "parseDecimal")
}

const formatters = new Map<string, Intl.NumberFormat>()

/**
 * Formats for people: `format(cents(123456))` is `"$1,234.56"`. The locale defaults to `en-US`.
 *
 * @since 0.1.0
 */
export const format = (a: Money, options?: { readonly locale?: string | undefined }): string => {
  const locale = options?.locale ?? "en-US"
  let formatter = formatters.get(locale)
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency: "USD" })
    formatters.set(locale, formatter)
  }
  // Cents are exact integers; dividing by 100 only for display is exact enough for every safe amount's digits.
  const sign = a < 0 ? -1 : 1
  const magnitude = Math.abs(a)
  return formatter.format(sign * Math.floor(magnitude / 100) + (sign * (magnitude % 100)) / 100)
}
