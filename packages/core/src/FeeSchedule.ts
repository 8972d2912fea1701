/**
 * What a practice charges: a fee per unit for each procedure code (optionally per code and modifier, such as
 * `90837:HO`), one default schedule and one per payer for contracted rates. A claim line's charge is the rate
 * times its units; the payer's schedule is read first, then the default.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import { PayerId, TenantId } from "./Ids.js"
import { Money } from "./Money.js"

const RateKey = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Z0-9]{5}(:[A-Z0-9]{2})?$/u, { expected: "a procedure code, or code:modifier (90837:HO)" })
  )
)

/**
 * @since 0.1.0
 */
export class FeeSchedule extends Schema.Class<FeeSchedule>("@openrcm/core/FeeSchedule")({
  id: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/u, { expected: "a fee schedule id" }))
  ),
  tenantId: TenantId,
  /** The payer whose contracted rates these are; absent for the practice's default schedule. */
  payerId: Schema.optional(PayerId),
  /** Fee per unit, by code or code:modifier. */
  rates: Schema.Record(RateKey, Money),
  /** The first date of service it applies to; the latest one in force wins. */
  effectiveFrom: Schema.optional(DateOfService)
}) {}

/**
 * Where a rate came from, for the claim's explanation.
 *
 * @since 0.1.0
 */
export interface Rate {
  readonly amount: Money
  readonly scheduleId: string
  readonly key: string
}

/**
 * The rate of a line: the payer's schedule then the default, each by code:modifier (first modifier that has a
 * rate) then by code; the schedule in force is the one with the latest `effectiveFrom` on or before the date.
 * `undefined` when no schedule has a rate.
 *
 * @since 0.1.0
 */
export const rateFor = (
  schedules: ReadonlyArray<FeeSchedule>,
  line: {
    readonly payerId: PayerId
    readonly code: string
    readonly modifiers: ReadonlyArray<string>
    readonly dateOfService: DateOfService
  }
): Rate | undefined => {
  for (const forPayer of [true, false]) {
    const schedule = inForce(
      schedules.filter((s) => (forPayer ? s.payerId === line.payerId : s.payerId === undefined)),
      line.dateOfService
    )
    if (schedule === undefined) continue
    for (const key of [...line.modifiers.map((modifier) => `${line.code}:${modifier}`), line.code]) {
      const amount = schedule.rates[key]
      if (amount !== undefined) return { amount, scheduleId: schedule.id, key }
    }
  }
  return undefined
}

const inForce = (schedules: ReadonlyArray<FeeSchedule>, date: DateOfService): FeeSchedule | undefined => {
  let best: FeeSchedule | undefined
  for (const schedule of schedules) {
    const from = schedule.effectiveFrom ?? ""
    if (from > date) continue
    if (best === undefined || from > (best.effectiveFrom ?? "")) best = schedule
  }
  return best
}
