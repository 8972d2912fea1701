/**
 * A date of service: a calendar date as ISO `YYYY-MM-DD`, with no time and no time zone, so that a session on
 * March 3 in Honolulu is billed on March 3 whatever the server's zone. Comparison is plain string order.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Schema } from "effect"
import { noJsonSchema } from "./internal/schema.js"

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/**
 * True when `text` is a real calendar date written `YYYY-MM-DD` (years 1900 to 2999).
 *
 * @since 0.1.0
 */
export const isValid = (text: string): boolean => {
  const match = /^(19|2\d)(\d\d)-(\d\d)-(\d\d)$/.exec(text)
  if (match === null) return false
  const year = Number(text.slice(0, 4))
  const month = Number(match[3])
  const day = Number(match[4])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/**
 * @since 0.1.0
 */
export const DateOfService = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{4}-\d{2}-\d{2}$/u, { expected: "YYYY-MM-DD" })),
  Schema.check(
    Schema.makeFilter((s: string) => isValid(s), {
      expected: "a calendar date as YYYY-MM-DD",
      toJsonSchema: noJsonSchema
    })
  ),
  Schema.brand("DateOfService")
).annotate({
  identifier: "DateOfService",
  title: "Date of service",
  description: "A calendar date as YYYY-MM-DD, without time or time zone.",
  format: "date"
})

/**
 * @since 0.1.0
 */
export type DateOfService = typeof DateOfService.Type

/**
 * An inclusive range of dates, as authorizations and coverage periods are written.
 *
 * @since 0.1.0
 */
export const DateRange = Schema.Struct({
  start: DateOfService,
  end: DateOfService
})
  .pipe(
    Schema.check(
      Schema.makeFilter((r: { readonly start: string; readonly end: string }) => r.start <= r.end, {
        expected: "a range whose start is on or before its end"
      })
    )
  )
  .annotate({ identifier: "DateRange" })

/**
 * @since 0.1.0
 */
export type DateRange = typeof DateRange.Type

/**
 * Makes a date from a known-good literal; an invalid date is a defect. Decode untrusted text with the schema.
 *
 * @since 0.1.0
 */
export const make = (text: string): DateOfService => {
  if (!isValid(text)) throw new RangeError("DateOfService.make: not a calendar date as YYYY-MM-DD")
  return text as DateOfService
}

// Days since 1970-01-01 and back, in proleptic Gregorian arithmetic (H. Hinnant's civil-date algorithms):
// pure integer math, no Date object and so no time zone.
const epochDay = (d: DateOfService): number => {
  const month = Number(d.slice(5, 7))
  const year = Number(d.slice(0, 4)) - (month <= 2 ? 1 : 0)
  const era = Math.floor(year / 400)
  const yearOfEra = year - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + Number(d.slice(8, 10)) - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

const fromEpochDay = (day: number): DateOfService => {
  const z = day + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const dayOfMonth = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return make(
    `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`
  )
}

/**
 * @since 0.1.0
 */
export const compare = (a: DateOfService, b: DateOfService): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The date `days` later (or earlier, when negative).
 *
 * @since 0.1.0
 */
export const addDays = (d: DateOfService, days: number): DateOfService => fromEpochDay(epochDay(d) + days)

/**
 * Whole days from `from` to `to` (negative when `to` is earlier).
 *
 * @since 0.1.0
 */
export const daysBetween = (from: DateOfService, to: DateOfService): number => epochDay(to) - epochDay(from)

/**
 * True when the date falls in the range, both ends included.
 *
 * @since 0.1.0
 */
export const isWithin = (d: DateOfService, range: DateRange): boolean => range.start <= d && d <= range.end

/**
 * The calendar date at an instant, in an IANA time zone such as `America/Chicago`.
 *
 * @since 0.1.0
 */
export const atInstant = (epochMillis: number, timeZone: string): DateOfService => {
  // en-CA formats as YYYY-MM-DD.
  const text = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    epochMillis
  )
  return make(text)
}

/**
 * Today in the practice's time zone, read from Effect's `Clock` (so tests control it with `TestClock`).
 *
 * @since 0.1.0
 */
export const today = (timeZone: string): Effect.Effect<DateOfService> =>
  Effect.map(Clock.currentTimeMillis, (now) => atInstant(now, timeZone))
