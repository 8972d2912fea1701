/**
 * Visit limits: how many visits of a kind a plan pays in a calendar or plan year, counted across every clinician
 * of the tenant with the counting convention the pack sets (several services on one day as one visit; some codes,
 * such as medication management, excluded), and reset at the start of the period that contains the date of
 * service.
 *
 * @since 0.1.0
 */

import type { DateOfService } from "./DateOfService.js"
import * as DateOfServiceModule from "./DateOfService.js"
import type { Denial, VisitLimit } from "./RulePack.js"
import { isInForce } from "./RulePack.js"
import type { RuleSet } from "./RuleSet.js"

/**
 * A service already delivered (or booked), as visit counting sees it.
 *
 * @since 0.1.0
 */
export interface Service {
  readonly dateOfService: DateOfService
  readonly codes: ReadonlyArray<string>
}

/**
 * @since 0.1.0
 */
export interface Status {
  readonly limitId: string
  readonly period: { readonly start: DateOfService; readonly end: DateOfService }
  readonly max: number
  /** Visits counted in the period before this one. */
  readonly used: number
  readonly remaining: number
  /** True when this visit would go past the limit (PR-119 likely). */
  readonly reached: boolean
  readonly denial: Denial
  readonly pack: string
  readonly rule: string
}

/**
 * The period of a limit that contains the date: the calendar year, or the plan year from the coverage's start
 * (`MM-DD`).
 *
 * @since 0.1.0
 */
export const periodOf = (
  limit: Pick<typeof VisitLimit.Type, "period">,
  date: DateOfService,
  planYearStart = "01-01"
): { readonly start: DateOfService; readonly end: DateOfService } => {
  const startIn = (year: number) => {
    const text = `${year}-${limit.period === "calendar-year" ? "01-01" : planYearStart}`
    return (DateOfServiceModule.isValid(text) ? text : `${year}-02-28`) as DateOfService
  }
  const year = Number(date.slice(0, 4))
  const start = startIn(year) <= date ? startIn(year) : startIn(year - 1)
  const nextStart = startIn(Number(start.slice(0, 4)) + 1)
  return { start, end: DateOfServiceModule.addDays(nextStart, -1) }
}

const counts = (limit: typeof VisitLimit.Type, codes: ReadonlyArray<string>): boolean =>
  codes.some((code) => limit.codes.includes(code) && !(limit.excludeCodes ?? []).includes(code))

/**
 * Counts visits toward a limit in the period containing `date`, before `date`'s visit.
 *
 * @since 0.1.0
 */
export const countVisits = (
  limit: typeof VisitLimit.Type,
  history: ReadonlyArray<Service>,
  period: { readonly start: DateOfService; readonly end: DateOfService }
): number => {
  const inPeriod = history.filter(
    (s) => s.dateOfService >= period.start && s.dateOfService <= period.end && counts(limit, s.codes)
  )
  return limit.sameDayCountsAsOne ? new Set(inPeriod.map((s) => s.dateOfService)).size : inPeriod.length
}

/**
 * The status of every limit of the payer's rules that the visit counts toward. `history` holds the patient's
 * other services under this payer (every clinician of the tenant), not the visit itself.
 *
 * @since 0.1.0
 */
export const status = (
  visit: Service,
  history: ReadonlyArray<Service>,
  ruleSet: RuleSet,
  planYearStart = "01-01"
): ReadonlyArray<Status> => {
  const out: Array<Status> = []
  ruleSet.visitLimits.rules.forEach((limit, i) => {
    if (!isInForce(limit.effective, visit.dateOfService) || !counts(limit, visit.codes)) return
    const period = periodOf(limit, visit.dateOfService, planYearStart)
    const others = history.filter((s) => s !== visit)
    // Visits before this one: earlier days and the day's other services (a booked later visit is not "before").
    const before = others.filter((s) => s.dateOfService <= visit.dateOfService)
    const used = countVisits(limit, before, period)
    // With same-day counting, a second service on a day already counted is not a new visit.
    const alreadyToday =
      limit.sameDayCountsAsOne && others.some((s) => s.dateOfService === visit.dateOfService && counts(limit, s.codes))
    out.push({
      limitId: limit.id,
      period,
      max: limit.max,
      used,
      remaining: Math.max(0, limit.max - used),
      reached: !alreadyToday && used >= limit.max,
      denial: { group: "PR", carc: "119" },
      pack: ruleSet.visitLimits.pack,
      rule: `$.visitLimits[${i}]`
    })
  })
  return out
}
