/**
 * X12 decimals (the R type) as scaled integers, with no floating point. One parser for every reader: the 835
 * (cents, a third decimal rounds), the 271 (cents and basis points, exact) and the 837 (cents, at most two
 * decimals). It reads a range of a string, so a reader can parse an element where it lies, without a substring.
 */

/** What digits past the scale do: round half away from zero on the first of them (the rest cannot change that). */
export const round = 0
/** Past the scale only zeros are allowed (`1.2300` at scale 2); any other digit makes the value unreadable. */
export const zeros = 1
/** No digits past the scale at all. */
export const reject = 2

/**
 * `text[start, end)` as an integer scaled by 10^`scale`: an optional minus, digits, an optional point and digits
 * (at least one digit in all). NaN when malformed, when the digits past the scale break `extra`, or when the value
 * is not a safe integer. `-0` reads as 0.
 */
export const decimal = (text: string, start: number, end: number, scale: number, extra: number): number => {
  let i = start
  let negative = false
  if (i < end && text.charCodeAt(i) === 45) {
    negative = true
    i++
  }
  let value = 0
  let digits = 0
  let fractionDigits = 0
  let point = false
  let roundUp = false
  for (; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (point) return Number.NaN
      point = true
      continue
    }
    if (code < 48 || code > 57) return Number.NaN
    if (!point) {
      value = value * 10 + (code - 48)
      digits++
      continue
    }
    if (fractionDigits < scale) value = value * 10 + (code - 48)
    else if (extra === round) {
      if (fractionDigits === scale) roundUp = code >= 53
    } else if (extra === reject || code !== 48) return Number.NaN
    fractionDigits++
  }
  if (digits + fractionDigits === 0) return Number.NaN
  for (let f = fractionDigits; f < scale; f++) value *= 10
  if (roundUp) value++
  if (!Number.isSafeInteger(value)) return Number.NaN
  return negative && value !== 0 ? -value : value
}

/** An X12 decimal as integer cents, a third decimal rounding half away from zero; NaN when malformed. */
export const centsOf = (text: string): number => decimal(text, 0, text.length, 2, round)

/** More than two decimals (of an amount `centsOf` could read). */
export const needsRounding = (text: string): boolean => {
  const point = text.indexOf(".")
  return point >= 0 && text.length - point > 3
}

/**
 * `text[start, end)` as a quantity (an optional minus, digits, an optional point, at least one digit), or NaN.
 * The value is `Number` of the text, exact as far as a double goes.
 */
export const quantity = (text: string, start: number, end: number): number => {
  let i = start < end && text.charCodeAt(start) === 45 ? start + 1 : start
  let digits = 0
  let point = false
  for (; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (point) return Number.NaN
      point = true
    } else if (code < 48 || code > 57) return Number.NaN
    else digits++
  }
  if (digits === 0) return Number.NaN
  return Number(start === 0 && end === text.length ? text : text.slice(start, end))
}

/** Cents as X12 writes an amount: no trailing zeros, no decimal point for whole dollars (`13500` → `"135"`). */
export const formatAmount = (cents: number): string => {
  const abs = cents < 0 ? -cents : cents
  const whole = Math.floor(abs / 100)
  const fraction = abs - whole * 100
  const text =
    fraction === 0
      ? String(whole)
      : fraction % 10 === 0
        ? `${whole}.${fraction / 10}`
        : `${whole}.${fraction < 10 ? "0" : ""}${fraction}`
  return cents < 0 ? `-${text}` : text
}
