/**
 * The National Provider Identifier: ten digits whose last is a Luhn check digit computed over the card-issuer
 * prefix 80840 followed by the first nine digits (CMS, "NPI check digit").
 *
 * @since 0.1.0
 */

import { Schema } from "effect"
import { noJsonSchema } from "./internal/schema.js"

/**
 * True when `digits` is ten digits with a valid NPI check digit.
 *
 * @since 0.1.0
 */
export const isValid = (digits: string): boolean => {
  if (!/^\d{10}$/.test(digits)) return false
  return checkDigit(digits.slice(0, 9)) === digits.charCodeAt(9) - 48
}

/**
 * The check digit for the first nine digits of an NPI.
 *
 * @since 0.1.0
 */
export const checkDigit = (firstNine: string): number => {
  // Luhn over "80840" + nine digits: doubling starts from the rightmost of the nine, and the prefix adds 24.
  let total = 24
  for (let i = 0; i < 9; i++) {
    let digit = firstNine.charCodeAt(8 - i) - 48
    if (i % 2 === 0) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    total += digit
  }
  return (10 - (total % 10)) % 10
}

/**
 * A ten-digit NPI with a valid check digit.
 *
 * @since 0.1.0
 */
export const Npi = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{10}$/u, { expected: "10 digits" })),
  Schema.check(
    Schema.makeFilter((s: string) => isValid(s), {
      expected: "an NPI with a valid check digit",
      toJsonSchema: noJsonSchema
    })
  ),
  Schema.brand("Npi")
).annotate({ identifier: "Npi", title: "NPI", description: "A 10-digit National Provider Identifier." })

/**
 * @since 0.1.0
 */
export type Npi = typeof Npi.Type
