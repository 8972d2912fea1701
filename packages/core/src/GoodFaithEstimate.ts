/**
 * The Good Faith Estimate the No Surprises Act requires for uninsured and self-pay patients: the expected
 * services, their charges and the period, as data a UI renders and prints. It is due within 1 business day when
 * the service is scheduled 3 to 9 business days ahead, and within 3 business days when scheduled 10 or more
 * business days ahead or when the patient asks; it may cover up to 12 months of recurring care. A bill $400 or more
 * over the estimate may be disputed.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Address } from "./Address.js"
import * as DateOfServiceModule from "./DateOfService.js"
import { DateOfService, DateRange } from "./DateOfService.js"
import { DiagnosisCode } from "./Diagnosis.js"
import * as MoneyModule from "./Money.js"
import { Money } from "./Money.js"
import { Npi } from "./Npi.js"
import { Tin } from "./Organization.js"
import * as Phi from "./Phi.js"
import { ProcedureCode } from "./RulePack.js"

/**
 * @since 0.1.0
 */
export const GoodFaithEstimateRequest = Schema.Struct({
  reason: Schema.Literals(["uninsured", "self-pay"]),
  patient: Schema.Struct({
    firstName: Phi.field(Schema.NonEmptyString),
    lastName: Phi.field(Schema.NonEmptyString),
    dateOfBirth: Phi.field(DateOfService)
  }),
  provider: Schema.Struct({ name: Schema.NonEmptyString, npi: Npi, tin: Tin, address: Address }),
  /** The day the service was scheduled or the estimate asked for. */
  requestedOn: DateOfService,
  /** The first scheduled service, if one is scheduled. */
  scheduledFor: Schema.optional(DateOfService),
  period: DateRange,
  diagnoses: Schema.optional(Schema.Array(DiagnosisCode)),
  items: Schema.Array(
    Schema.Struct({
      code: ProcedureCode,
      description: Schema.NonEmptyString,
      quantity: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
      unitCharge: Money,
      frequency: Schema.optional(Schema.String)
    })
  ).pipe(Schema.check(Schema.isMinLength(1)))
}).annotate({ identifier: "GoodFaithEstimateRequest" })

/**
 * @since 0.1.0
 */
export type GoodFaithEstimateRequest = typeof GoodFaithEstimateRequest.Type

/**
 * @since 0.1.0
 */
export interface GoodFaithEstimate extends GoodFaithEstimateRequest {
  readonly lines: ReadonlyArray<GoodFaithEstimateRequest["items"][number] & { readonly total: Money }>
  readonly total: Money
  /** The last day the estimate may be given to the patient. */
  readonly dueBy: DateOfService
  /** A bill this much or more over the total may be disputed. */
  readonly disputeThreshold: Money
  readonly disclaimers: ReadonlyArray<string>
}

/**
 * @since 0.1.0
 */
export class GoodFaithEstimateError extends Schema.TaggedError<GoodFaithEstimateError>()("GoodFaithEstimateError", {
  problem: Schema.Literals(["period-longer-than-12-months", "scheduled-outside-period"])
}) {
  readonly retryable = false
  override get message() {
    return this.problem === "period-longer-than-12-months"
      ? "a Good Faith Estimate covers at most 12 months"
      : "the scheduled service is outside the estimate's period"
  }
}

const isWeekday = (date: DateOfService): boolean => {
  // 1970-01-01 was a Thursday.
  const day = (((DateOfServiceModule.daysBetween(DateOfServiceModule.make("1970-01-01"), date) + 4) % 7) + 7) % 7
  return day !== 0 && day !== 6
}

/**
 * The date `n` business days (Monday to Friday; holidays are the practice's to add) after `date`.
 *
 * @since 0.1.0
 */
export const addBusinessDays = (date: DateOfService, n: number): DateOfService => {
  let current = date
  let left = n
  while (left > 0) {
    current = DateOfServiceModule.addDays(current, 1)
    if (isWeekday(current)) left--
  }
  return current
}

/**
 * Business days from `from` to `to`, `to` included.
 *
 * @since 0.1.0
 */
export const businessDaysBetween = (from: DateOfService, to: DateOfService): number => {
  let count = 0
  for (let current = from; current < to; ) {
    current = DateOfServiceModule.addDays(current, 1)
    if (isWeekday(current)) count++
  }
  return count
}

/**
 * The estimate's standard statements (CMS's standard form, in substance).
 *
 * @since 0.1.0
 */
export const disclaimers: ReadonlyArray<string> = [
  "This Good Faith Estimate shows the costs of items and services that are reasonably expected for your health care needs. It is based on information known when it was created.",
  "It does not include unknown or unexpected costs that may arise during treatment. You could be charged more if complications or special circumstances occur.",
  "If you are billed $400 or more above this Good Faith Estimate, you have the right to dispute the bill. Contact the provider listed to tell them the charges are higher than the estimate, and ask them to update the bill, negotiate it, or ask about financial assistance.",
  "You may also start a dispute resolution process with the U.S. Department of Health and Human Services (HHS) within 120 calendar days of the date on the original bill. There is a fee to use the process. If the agency reviewing your dispute agrees with you, you will have to pay the price on this Good Faith Estimate.",
  "For questions or more information about your right to a Good Faith Estimate, visit www.cms.gov/nosurprises or call 1-800-985-3059.",
  "Keep a copy of this Good Faith Estimate. You may need it if you are billed a higher amount."
]

/**
 * Builds the estimate: line totals, the total, the date it is due, and the statements.
 *
 * @since 0.1.0
 */
export const make = (
  request: GoodFaithEstimateRequest
):
  | { readonly _tag: "Right"; readonly estimate: GoodFaithEstimate }
  | { readonly _tag: "Left"; readonly error: GoodFaithEstimateError } => {
  const { start, end } = request.period
  // Twelve months from the start: the same day next year (March 1 for a February 29 start).
  const sameDayNextYear = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`
  const yearLater = DateOfServiceModule.isValid(sameDayNextYear)
    ? sameDayNextYear
    : `${Number(start.slice(0, 4)) + 1}-03-01`
  if (end >= yearLater)
    return { _tag: "Left", error: new GoodFaithEstimateError({ problem: "period-longer-than-12-months" }) }
  if (request.scheduledFor !== undefined && !DateOfServiceModule.isWithin(request.scheduledFor, request.period)) {
    return { _tag: "Left", error: new GoodFaithEstimateError({ problem: "scheduled-outside-period" }) }
  }
  const ahead =
    request.scheduledFor === undefined ? undefined : businessDaysBetween(request.requestedOn, request.scheduledFor)
  const dueBy =
    ahead !== undefined && ahead >= 3 && ahead < 10
      ? addBusinessDays(request.requestedOn, 1)
      : addBusinessDays(request.requestedOn, 3)
  const lines = request.items.map((item) => ({ ...item, total: MoneyModule.times(item.unitCharge, item.quantity) }))
  return {
    _tag: "Right",
    estimate: {
      ...request,
      lines,
      total: MoneyModule.sum(lines.map((l) => l.total)),
      dueBy: ahead !== undefined && ahead < 3 ? (request.scheduledFor ?? dueBy) : dueBy,
      disputeThreshold: MoneyModule.dollars(400),
      disclaimers
    }
  }
}
