/**
 * Self-pay and sliding-scale fees: a practice's fee by the patient's household income as a percent of the HHS
 * poverty guidelines (the contiguous states, Alaska and Hawaii differ). The bands are the practice's own data.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as MoneyModule from "./Money.js"
import { Money } from "./Money.js"

/**
 * HHS poverty guidelines in cents: the amount for one person and for each additional person, by year and region.
 * A practice may pass a newer table.
 *
 * @since 0.1.0
 */
export const povertyGuidelines: Readonly<
  Record<string, Readonly<Record<"contiguous" | "AK" | "HI", readonly [number, number]>>>
> = {
  "2024": { contiguous: [1_506_000, 538_000], AK: [1_881_000, 673_000], HI: [1_731_000, 619_000] },
  "2025": { contiguous: [1_565_000, 550_000], AK: [1_955_000, 688_000], HI: [1_799_000, 633_000] }
}

/**
 * A band: households at or under `upToPercentOfPoverty` (the last band has none) pay either a flat fee per code
 * or the standard fee less a discount.
 *
 * @since 0.1.0
 */
export const Band = Schema.Struct({
  upToPercentOfPoverty: Schema.optional(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  discountBps: Schema.optional(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 })))),
  flatFees: Schema.optional(Schema.Record(Schema.String, Money))
})

/**
 * @since 0.1.0
 */
export const SlidingScale = Schema.Struct({
  name: Schema.NonEmptyString,
  bands: Schema.Array(Band).pipe(Schema.check(Schema.isMinLength(1)))
}).annotate({ identifier: "SlidingScale" })

/**
 * @since 0.1.0
 */
export type SlidingScale = typeof SlidingScale.Type

/**
 * @since 0.1.0
 */
export interface Fee {
  readonly fee: Money
  readonly percentOfPoverty: number
  readonly band: number
  readonly explanation: string
}

/**
 * The patient's fee for a service under the scale.
 *
 * @since 0.1.0
 */
export const feeFor = (
  scale: SlidingScale,
  household: { readonly size: number; readonly annualIncome: Money; readonly state?: string; readonly year: number },
  service: { readonly code: string; readonly standardFee: Money },
  guidelines = povertyGuidelines
): Fee => {
  const years = Object.keys(guidelines).sort()
  const year = years.includes(String(household.year)) ? String(household.year) : (years.at(-1) as string)
  const region = household.state === "AK" ? "AK" : household.state === "HI" ? "HI" : "contiguous"
  const [first, each] = guidelines[year]?.[region] ?? [1, 0]
  const guideline = first + each * Math.max(0, household.size - 1)
  const percentOfPoverty = Math.floor((household.annualIncome * 100) / guideline)
  let band = scale.bands.findIndex(
    (b) => b.upToPercentOfPoverty === undefined || percentOfPoverty <= b.upToPercentOfPoverty
  )
  if (band < 0) band = scale.bands.length - 1
  const chosen = scale.bands[band] as typeof Band.Type
  const flat = chosen.flatFees?.[service.code]
  const fee =
    flat !== undefined
      ? flat
      : MoneyModule.subtract(service.standardFee, MoneyModule.percentage(service.standardFee, chosen.discountBps ?? 0))
  const yearNote = year === String(household.year) ? year : `${year} (the latest in the table)`
  return {
    fee,
    percentOfPoverty,
    band,
    explanation: `${percentOfPoverty}% of the ${yearNote} poverty guideline for ${household.size} → band ${band + 1} of ${scale.name}: ${
      flat !== undefined
        ? `flat ${MoneyModule.format(flat)}`
        : `${(chosen.discountBps ?? 0) / 100}% off ${MoneyModule.format(service.standardFee)}`
    }`
  }
}
