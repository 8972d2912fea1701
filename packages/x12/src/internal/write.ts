/**
 * What the writers share (837P, 835): the envelope's controls and options, field validation with paths that never
 * quote a value, and the ISA/GS/GE/IEA segments.
 */

import type { Delimiters } from "../Segments.js"

/**
 * A reason the writer refused: the field's path (`claims[2].claim.lines[0].diagnosisPointers[1]`) and what is
 * wrong with it, never its value.
 */
export interface ValidationFailure {
  readonly path: string
  readonly message: string
}

/**
 * The envelope's control numbers (see `ControlNumbers`).
 */
export interface Controls {
  /** ISA13, 9 digits. */
  readonly interchange: string
  /** GS06, 1 to 9 digits. */
  readonly group: string
  /** ST02, 4 to 9 digits. */
  readonly transaction: string
}

/**
 * The envelope and the text's form.
 */
export interface WriteOptions {
  /** ISA06 and GS02; when absent, the 837's submitter id or the 835's payer id (N104). */
  readonly sender?: string
  /** ISA08 and GS03; when absent, the 837's receiver id or the 835's payee id (N104). */
  readonly receiver?: string
  /** ISA05 and ISA07; ZZ when absent. */
  readonly senderQualifier?: string
  readonly receiverQualifier?: string
  /** ISA15; P when absent. */
  readonly usage?: "T" | "P"
  /** YYYYMMDD (GS04, the 837's BHT04; ISA09 as YYMMDD). Required: the same input always writes the same text. */
  readonly date: string
  /** HHMM (ISA10, GS05, the 837's BHT05). Required, as the date is. */
  readonly time: string
  /** ISA14: ask for a TA1. */
  readonly acknowledgmentRequested?: boolean
  /** `*`, `:`, `^`, `~` when absent. */
  readonly delimiters?: Delimiters
  /** A newline after each segment terminator. */
  readonly newline?: boolean
}

export const defaultDelimiters: Delimiters = { element: "*", component: ":", repetition: "^", segment: "~" }

/** Two digits at `at` as a number, or NaN. */
const twoDigits = (text: string, at: number): number => {
  const tens = text.charCodeAt(at) - 48
  const ones = text.charCodeAt(at + 1) - 48
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN
}

/** YYYY-MM-DD and a calendar date (read by hand: the validator checks every date of every claim). */
export const isIsoDate = (date: string): boolean => {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return false
  const year = twoDigits(date, 0) * 100 + twoDigits(date, 2)
  const month = twoDigits(date, 5)
  const day = twoDigits(date, 8)
  if (Number.isNaN(year) || Number.isNaN(month) || Number.isNaN(day)) return false
  if (month < 1 || month > 12 || day < 1) return false
  const days =
    month === 2
      ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
        ? 29
        : 28
      : 30 + ((month + (month >> 3)) & 1)
  return day <= days
}

/** ISO from CCYYMMDD, or undefined when it is not a calendar date. */
export const fromX12Date = (d8: string): string | undefined => {
  if (d8.length !== 8) return undefined
  const iso = `${d8.slice(0, 4)}-${d8.slice(4, 6)}-${d8.slice(6, 8)}`
  return isIsoDate(iso) ? iso : undefined
}

/**
 * A field path, made into text only when something fails: a valid input's claims and lines need none.
 */
export class Path {
  constructor(
    private readonly parent: PathLike,
    private readonly field: string,
    private readonly index: number | undefined
  ) {}

  toString(): string {
    const base = `${this.parent}${this.field}`
    return this.index === undefined ? base : `${base}[${this.index}]`
  }
}

export type PathLike = string | Path

export const at = (parent: PathLike, field: string, index?: number): Path => new Path(parent, field, index)

/** Checks of single fields, each failure with the field's path; the writers add their own loops' checks. */
export class FieldValidator {
  readonly failures: Array<ValidationFailure> = []
  private readonly forbidden: ReadonlyArray<string>
  /** The delimiters' character codes, when each is one character (-1 for none): one pass over a text finds them. */
  private readonly codes: Int32Array | undefined
  /** Text may start or end with a space (the 835 writer's tolerant mode: a payer's padded names, as read). */
  padded = false

  constructor(delimiters: Delimiters) {
    this.forbidden = [delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition ?? ""].filter(
      (d) => d !== ""
    )
    this.codes = this.forbidden.every((d) => d.length === 1)
      ? Int32Array.from({ length: 4 }, (_, i) => this.forbidden[i]?.charCodeAt(0) ?? -1)
      : undefined
  }

  fail(path: PathLike, message: string) {
    this.failures.push({ path: String(path), message })
  }

  /** `value` holds one of the delimiters. */
  hasDelimiter(value: string): boolean {
    const codes = this.codes
    if (codes === undefined) return this.forbidden.some((d) => value.includes(d))
    const c0 = codes[0] as number
    const c1 = codes[1] as number
    const c2 = codes[2] as number
    const c3 = codes[3] as number
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i)
      if (c === c0 || c === c1 || c === c2 || c === c3) return true
    }
    return false
  }

  /** A text element: not empty when required, at most `max` characters, no delimiter. */
  text(path: PathLike, field: string, value: string | undefined, max: number, required = true) {
    if (value === undefined || value === "") {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (value.length > max) this.fail(`${path}${field}`, `must be at most ${max} characters`)
    if (this.hasDelimiter(value)) {
      this.fail(`${path}${field}`, "must not contain a delimiter character")
      return
    }
    if (this.padded) return
    // A printable ASCII character at both ends is not trimmed; anything else is asked of `trim`.
    const first = value.charCodeAt(0)
    const last = value.charCodeAt(value.length - 1)
    if ((first > 32 && first < 127 && last > 32 && last < 127) || value.trim() === value) return
    this.fail(`${path}${field}`, "must not start or end with a space")
  }

  pattern(path: PathLike, field: string, value: string | undefined, pattern: RegExp, message: string, required = true) {
    if (value === undefined || value === "") {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (!pattern.test(value)) this.fail(`${path}${field}`, message)
  }

  oneOf(path: PathLike, field: string, value: string | undefined, allowed: ReadonlySet<string>, required = true) {
    if (value === undefined || value === "") {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (!allowed.has(value)) this.fail(`${path}${field}`, "is not an allowed code")
  }

  /** An ISO date, YYYY-MM-DD. */
  date(path: PathLike, field: string, value: string | undefined, required = true) {
    if (value === undefined) {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (!isIsoDate(value)) this.fail(`${path}${field}`, "must be a calendar date YYYY-MM-DD")
  }

  /** An X12 date as the 835 model keeps it, CCYYMMDD. */
  d8(path: PathLike, field: string, value: string | undefined, required = true) {
    if (value === undefined || value === "") {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (fromX12Date(value) === undefined) this.fail(`${path}${field}`, "must be a calendar date CCYYMMDD")
  }

  cents(path: PathLike, field: string, value: number | undefined, required = true, allowNegative = false) {
    if (value === undefined) {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (!Number.isSafeInteger(value)) this.fail(`${path}${field}`, "must be a whole number of cents")
    else if (!allowNegative && value < 0) this.fail(`${path}${field}`, "must not be negative")
  }

  quantity(path: PathLike, field: string, value: number | undefined, required = true) {
    if (value === undefined) {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (!Number.isFinite(value) || value <= 0) this.fail(`${path}${field}`, "must be a positive number")
    else if (Math.abs(value * 1000 - Math.round(value * 1000)) > 1e-6)
      this.fail(`${path}${field}`, "must have at most 3 decimals")
  }
}

/**
 * The delimiters, the control numbers and the envelope options: one character each, not a letter, digit, space,
 * point or minus (amounts and quantities are written with those), all different.
 */
export const validateEnvelope = (
  v: FieldValidator,
  controls: Controls,
  options: WriteOptions,
  sender: string | undefined,
  receiver: string | undefined
) => {
  const d = options.delimiters ?? defaultDelimiters
  const all = [d.element, d.component, d.segment, ...(d.repetition === undefined ? [] : [d.repetition])]
  if (all.some((c) => c.length !== 1 || /[A-Za-z0-9 .-]/u.test(c)))
    v.fail("options.delimiters", "each must be one character, not a letter, digit, space, point or minus")
  if (new Set(all).size !== all.length) v.fail("options.delimiters", "must all differ")
  v.pattern("", "controls.interchange", controls.interchange, /^\d{9}$/u, "must be 9 digits")
  v.pattern("", "controls.group", controls.group, /^\d{1,9}$/u, "must be 1 to 9 digits")
  v.pattern("", "controls.transaction", controls.transaction, /^\d{4,9}$/u, "must be 4 to 9 digits")
  v.text("", "options.sender", sender, 15)
  v.text("", "options.receiver", receiver, 15)
  v.pattern("", "options.senderQualifier", options.senderQualifier, /^[0-9A-Z]{2}$/u, "must be 2 characters", false)
  v.pattern("", "options.receiverQualifier", options.receiverQualifier, /^[0-9A-Z]{2}$/u, "must be 2 characters", false)
  // Required by the type; a caller without types gets a failure rather than today's date.
  if (options.date === undefined) v.fail("options.date", "is required")
  else if (fromX12Date(options.date) === undefined) v.fail("options.date", "must be a calendar date YYYYMMDD")
  if (options.time === undefined) v.fail("options.time", "is required")
  else if (!/^(?:[01]\d|2[0-3])[0-5]\d$/u.test(options.time)) v.fail("options.time", "must be HHMM")
}

const pad = (text: string, width: number) => (text.length >= width ? text.slice(0, width) : text.padEnd(width, " "))

/** ISA (padded to its fixed widths) and GS, joined with the element separator, without terminators. */
export const envelopeHeader = (
  controls: Controls,
  options: WriteOptions,
  sender: string,
  receiver: string,
  functionalCode: string,
  version: string
): readonly [isa: string, gs: string] => {
  const d = options.delimiters ?? defaultDelimiters
  const { date, time } = options
  const e = d.element
  return [
    `ISA${e}00${e}${pad("", 10)}${e}00${e}${pad("", 10)}${e}${options.senderQualifier ?? "ZZ"}${e}${pad(sender, 15)}` +
      `${e}${options.receiverQualifier ?? "ZZ"}${e}${pad(receiver, 15)}${e}${date.slice(2)}${e}${time}` +
      `${e}${d.repetition ?? "U"}${e}00501${e}${controls.interchange}${e}${options.acknowledgmentRequested === true ? "1" : "0"}` +
      `${e}${options.usage ?? "P"}${e}${d.component}`,
    `GS${e}${functionalCode}${e}${sender}${e}${receiver}${e}${date}${e}${time}${e}${controls.group}${e}X${e}${version}`
  ]
}

/** GE and IEA for one transaction set in one group, without terminators. */
export const envelopeTrailer = (element: string, controls: Controls): readonly [ge: string, iea: string] => [
  `GE${element}1${element}${controls.group}`,
  `IEA${element}1${element}${controls.interchange}`
]
