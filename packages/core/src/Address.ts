/**
 * Postal addresses and US states, as claims and licenses carry them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 */
export const states = [
  "AL",
  "AK",
  "AZ",
  "AR",
  "CA",
  "CO",
  "CT",
  "DE",
  "DC",
  "FL",
  "GA",
  "HI",
  "ID",
  "IL",
  "IN",
  "IA",
  "KS",
  "KY",
  "LA",
  "ME",
  "MD",
  "MA",
  "MI",
  "MN",
  "MS",
  "MO",
  "MT",
  "NE",
  "NV",
  "NH",
  "NJ",
  "NM",
  "NY",
  "NC",
  "ND",
  "OH",
  "OK",
  "OR",
  "PA",
  "RI",
  "SC",
  "SD",
  "TN",
  "TX",
  "UT",
  "VT",
  "VA",
  "WA",
  "WV",
  "WI",
  "WY",
  "PR",
  "VI",
  "GU",
  "AS",
  "MP"
] as const

/**
 * A US state, district or territory by its USPS code.
 *
 * @since 0.1.0
 */
export const UsState = Schema.Literals(states).annotate({ identifier: "UsState" })

/**
 * @since 0.1.0
 */
export type UsState = typeof UsState.Type

/**
 * @since 0.1.0
 */
export const Address = Schema.Struct({
  line1: Schema.NonEmptyString,
  line2: Schema.optional(Schema.String),
  city: Schema.NonEmptyString,
  state: UsState,
  postalCode: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^\d{5}(\d{4})?$/u, { expected: "a ZIP code of 5 or 9 digits" }))
  )
}).annotate({ identifier: "Address" })

/**
 * @since 0.1.0
 */
export type Address = typeof Address.Type
