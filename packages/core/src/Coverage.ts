/**
 * A patient's coverage by a payer: member id, subscriber and relationship, plan, order of benefits and the
 * plan-year start that resets deductibles and visit limits.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService, DateRange, isValid as isValidDate } from "./DateOfService.js"
import { CoverageId, PatientId, PayerId, TenantId } from "./Ids.js"
import * as Phi from "./Phi.js"

/**
 * The patient's relationship to the subscriber, as X12 (SBR02/PAT01) codes it: 18 self, 01 spouse, 19 child,
 * 20 employee, 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8 other.
 *
 * @since 0.1.0
 */
export const Relationship = Schema.Literals(["18", "01", "19", "20", "21", "39", "40", "53", "G8"]).annotate({
  identifier: "Relationship"
})

/**
 * @since 0.1.0
 */
export const Subscriber = Schema.Struct({
  relationship: Relationship,
  firstName: Phi.field(Schema.NonEmptyString),
  lastName: Phi.field(Schema.NonEmptyString),
  dateOfBirth: Phi.field(DateOfService)
}).annotate({ identifier: "Subscriber" })

/**
 * @since 0.1.0
 */
export class Coverage extends Schema.Class<Coverage>("@openrcm/core/Coverage")({
  id: CoverageId,
  tenantId: TenantId,
  patientId: PatientId,
  payerId: PayerId,
  memberId: Phi.field(
    Schema.String.pipe(
      Schema.check(Schema.isPattern(/^[A-Za-z0-9-]{2,80}$/u, { expected: "a member id of letters, digits and '-'" }))
    )
  ),
  groupNumber: Schema.optional(Schema.String),
  plan: Schema.optional(Schema.String),
  /** Primary, secondary or tertiary. */
  order: Schema.Literals([1, 2, 3]),
  /** The subscriber when the patient is not the subscriber. */
  subscriber: Schema.optional(Subscriber),
  period: DateRange,
  /** The month and day the plan year starts, `MM-DD` (`01-01` for a calendar-year plan). */
  planYearStart: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u, { expected: "MM-DD" }))
  )
}) {}

/**
 * True when the coverage is in force on the date (both ends included).
 *
 * @since 0.1.0
 */
export const isActiveOn = (coverage: Coverage, date: DateOfService): boolean =>
  coverage.period.start <= date && date <= coverage.period.end

/**
 * The first day of the plan year that contains the date.
 *
 * @since 0.1.0
 */
export const planYearStartFor = (coverage: Coverage, date: DateOfService): DateOfService => {
  // A plan year starting on 02-29 starts on 02-28 in other years.
  const startIn = (year: number) => {
    const text = `${year}-${coverage.planYearStart}`
    return isValidDate(text) ? text : `${year}-02-28`
  }
  const thisYear = startIn(Number(date.slice(0, 4)))
  return (thisYear <= date ? thisYear : startIn(Number(date.slice(0, 4)) - 1)) as DateOfService
}
