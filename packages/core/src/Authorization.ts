/**
 * Prior authorizations and their ledger of use. A scheduled session reserves units, a completed or billed one
 * uses them; remaining = approved − used, and projected remaining also counts the schedule. `check` says whether a
 * visit is authorized (or partly, or not required), and when not, the denial the payer would likely send and
 * what to do; `alerts` warns in time: expiring, few left, the projected run-out date, and when to ask for renewal.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as DateOfServiceModule from "./DateOfService.js"
import { DateOfService, DateRange } from "./DateOfService.js"
import { DiagnosisCode } from "./Diagnosis.js"
import { AuthorizationId, ClinicianId, PatientId, PayerId, SessionId, TenantId } from "./Ids.js"
import * as Phi from "./Phi.js"
import { type Denial, isInForce, ProcedureCode } from "./RulePack.js"
import type { RuleSet } from "./RuleSet.js"

const Count = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
const PositiveCount = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

/**
 * @since 0.1.0
 */
export const UnitType = Schema.Literals(["sessions", "units", "visits"])

/**
 * @since 0.1.0
 */
export class Authorization extends Schema.Class<Authorization>("@openrcm/core/Authorization")({
  id: AuthorizationId,
  tenantId: TenantId,
  patientId: PatientId,
  payerId: PayerId,
  /** The payer's authorization number (2300 REF*G1 on the claim). */
  number: Schema.NonEmptyString,
  codes: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1))),
  /** The rendering clinicians it names; absent means any clinician of the tenant. */
  clinicianIds: Schema.optional(Schema.Array(ClinicianId)),
  diagnoses: Schema.optional(Phi.field(Schema.Array(DiagnosisCode))),
  /** `sessions` and `visits` count one a session whatever its units; `units` counts the lines' units. */
  unitType: UnitType,
  approved: Count,
  /** Both ends included. */
  period: DateRange,
  status: Schema.Literals(["approved", "pending", "denied", "cancelled"]),
  retroactive: Schema.optional(Schema.Boolean),
  /** The authorization this one extends. */
  extensionOf: Schema.optional(AuthorizationId),
  /** Free text: may hold PHI. */
  notes: Schema.optional(Phi.field(Schema.String))
}) {}

/**
 * One session's claim on an authorization: `reserved` when scheduled, `used` once delivered. A session's `used`
 * entry replaces its reservation.
 *
 * @since 0.1.0
 */
export const LedgerEntry = Schema.Struct({
  authorizationId: AuthorizationId,
  sessionId: SessionId,
  dateOfService: DateOfService,
  units: PositiveCount,
  kind: Schema.Literals(["reserved", "used"])
}).annotate({ identifier: "LedgerEntry" })

/**
 * @since 0.1.0
 */
export type LedgerEntry = typeof LedgerEntry.Type

/**
 * A visit to check: a scheduled one, or a session delivered.
 *
 * @since 0.1.0
 */
export const Visit = Schema.Struct({
  sessionId: Schema.optional(SessionId),
  patientId: PatientId,
  payerId: PayerId,
  clinicianId: ClinicianId,
  dateOfService: DateOfService,
  lines: Schema.Array(Schema.Struct({ code: ProcedureCode, units: PositiveCount })).pipe(
    Schema.check(Schema.isMinLength(1))
  ),
  /** Visits already counted in the period, for "authorization after N visits" rules. */
  priorVisits: Schema.optional(Count)
}).annotate({ identifier: "AuthorizationVisit" })

/**
 * @since 0.1.0
 */
export type Visit = typeof Visit.Type

/**
 * What an authorization has left.
 *
 * @since 0.1.0
 */
export interface Usage {
  readonly approved: number
  readonly used: number
  readonly reserved: number
  /** approved − used */
  readonly remaining: number
  /** approved − used − reserved: what is left once the booked schedule happens. */
  readonly projectedRemaining: number
}

const entriesBySession = (authorizationId: string, ledger: ReadonlyArray<LedgerEntry>, except?: string) => {
  const bySession = new Map<string, LedgerEntry>()
  for (const entry of ledger) {
    if (entry.authorizationId !== authorizationId || entry.sessionId === except) continue
    const existing = bySession.get(entry.sessionId)
    // A use replaces the session's reservation.
    if (existing === undefined || (existing.kind === "reserved" && entry.kind === "used"))
      bySession.set(entry.sessionId, entry)
  }
  return [...bySession.values()]
}

/**
 * Approved, used, reserved and remaining units of an authorization. `except` leaves one session out (the one
 * being checked).
 *
 * @since 0.1.0
 */
export const usage = (authorization: Authorization, ledger: ReadonlyArray<LedgerEntry>, except?: string): Usage => {
  let used = 0
  let reserved = 0
  for (const entry of entriesBySession(authorization.id, ledger, except)) {
    if (entry.kind === "used") used += entry.units
    else reserved += entry.units
  }
  return {
    approved: authorization.approved,
    used,
    reserved,
    remaining: authorization.approved - used,
    projectedRemaining: authorization.approved - used - reserved
  }
}

/**
 * The units a visit takes from an authorization of a unit type.
 *
 * @since 0.1.0
 */
export const unitsOf = (authorization: Authorization, visit: Visit): number =>
  authorization.unitType === "units"
    ? visit.lines.reduce((sum, line) => sum + (authorization.codes.includes(line.code) ? line.units : 0), 0)
    : 1

/**
 * @since 0.1.0
 */
export interface Allocation {
  readonly authorizationId: AuthorizationId
  readonly number: string
  readonly units: number
  /** What the authorization has left after this visit, counting the booked schedule. */
  readonly projectedRemaining: number
}

/**
 * The outcome of a check: the denial the payer would likely send (group + CARC) and what to do.
 *
 * @since 0.1.0
 */
export type Check =
  | { readonly _tag: "NotRequired"; readonly text: string }
  | { readonly _tag: "Authorized"; readonly allocations: ReadonlyArray<Allocation>; readonly text: string }
  | {
      readonly _tag: "PartiallyAuthorized"
      readonly allocations: ReadonlyArray<Allocation>
      readonly authorizedUnits: number
      readonly excessUnits: number
      readonly denial: Denial
      readonly action: string
      readonly text: string
    }
  | { readonly _tag: "Missing"; readonly denial: Denial; readonly action: string; readonly text: string }
  | {
      readonly _tag: "Expired"
      readonly denial: Denial
      readonly action: string
      readonly text: string
      readonly endedOn: string
    }
  | { readonly _tag: "Exhausted"; readonly denial: Denial; readonly action: string; readonly text: string }
  | { readonly _tag: "WrongClinician"; readonly denial: Denial; readonly action: string; readonly text: string }
  | { readonly _tag: "WrongCode"; readonly denial: Denial; readonly action: string; readonly text: string }

const absent: Denial = { group: "CO", carc: "197" }
const notApplicable: Denial = { group: "CO", carc: "15" }
const exceeded: Denial = { group: "CO", carc: "198" }

/**
 * Whether the payer's rules require an authorization for the visit, and which codes need one.
 *
 * @since 0.1.0
 */
export const requiredCodes = (visit: Visit, ruleSet: RuleSet): ReadonlyArray<string> => {
  const codes = new Set<string>()
  for (const rule of ruleSet.priorAuthorization.rules) {
    if (!isInForce(rule.effective, visit.dateOfService)) continue
    if (rule.afterVisits !== undefined && (visit.priorVisits ?? 0) < rule.afterVisits) continue
    for (const line of visit.lines) if (rule.codes.includes(line.code)) codes.add(line.code)
  }
  return [...codes]
}

/**
 * Checks a visit against the patient's authorizations and their ledger, under the payer's rule set. Several
 * overlapping authorizations are used earliest-ending first; a visit that needs more than is left is split into
 * the authorized units and the excess.
 *
 * @since 0.1.0
 */
export const check = (
  visit: Visit,
  authorizations: ReadonlyArray<Authorization>,
  ledger: ReadonlyArray<LedgerEntry>,
  ruleSet: RuleSet
): Check => {
  const required = requiredCodes(visit, ruleSet)
  if (required.length === 0) {
    return {
      _tag: "NotRequired",
      text: `${ruleSet.chain.at(-1)} requires no authorization for ${visit.lines.map((l) => l.code).join(", ")}`
    }
  }
  const theirs = authorizations.filter(
    (a) => a.patientId === visit.patientId && a.payerId === visit.payerId && a.status === "approved"
  )
  if (theirs.length === 0) {
    return {
      _tag: "Missing",
      denial: absent,
      action: `request an authorization for ${required.join(", ")} before the session`,
      text: `no approved authorization for ${required.join(", ")}`
    }
  }
  const inForce = theirs.filter((a) => DateOfServiceModule.isWithin(visit.dateOfService, a.period))
  if (inForce.length === 0) {
    // Only an authorization for these codes can have expired for this visit.
    const ended = theirs
      .filter((a) => a.period.end < visit.dateOfService && required.every((code) => a.codes.includes(code)))
      .sort((a, b) => (a.period.end < b.period.end ? 1 : -1))[0]
    if (ended !== undefined) {
      return {
        _tag: "Expired",
        denial: absent,
        endedOn: ended.period.end,
        action: `request an extension or a new authorization (${ended.number} ended on ${ended.period.end})`,
        text: `authorization ${ended.number} ended on ${ended.period.end}, before ${visit.dateOfService}`
      }
    }
    const starts = theirs.map((a) => a.period.start).sort()[0]
    return {
      _tag: "Missing",
      denial: absent,
      action: `move the session to ${starts} or later, or ask the payer for an earlier start`,
      text: `no authorization is in force on ${visit.dateOfService}; the next starts on ${starts}`
    }
  }
  const covering = inForce.filter((a) => required.every((code) => a.codes.includes(code)))
  if (covering.length === 0) {
    const example = inForce[0] as Authorization
    return {
      _tag: "WrongCode",
      denial: notApplicable,
      action: `bill a code the authorization covers (${example.codes.join(", ")}) or request one for ${required.join(", ")}`,
      text: `authorization ${example.number} covers ${example.codes.join(", ")}, not ${required.join(", ")}`
    }
  }
  const forClinician = covering.filter(
    (a) => a.clinicianIds === undefined || a.clinicianIds.includes(visit.clinicianId)
  )
  if (forClinician.length === 0) {
    const example = covering[0] as Authorization
    return {
      _tag: "WrongClinician",
      denial: notApplicable,
      action: "have a clinician the authorization names render the session, or ask the payer to add this clinician",
      text: `authorization ${example.number} does not name the rendering clinician`
    }
  }
  // Earliest-ending first, so nothing expires unused; then by id for a stable order.
  const ordered = [...forClinician].sort((a, b) =>
    a.period.end === b.period.end ? (a.id < b.id ? -1 : 1) : a.period.end < b.period.end ? -1 : 1
  )
  const available = (authorization: Authorization) =>
    Math.max(0, usage(authorization, ledger, visit.sessionId).projectedRemaining)
  // Units are counted in each authorization's own unit type, so a visit is split only across authorizations of
  // one type: the type of the first that has anything left (an exhausted one of another type hides nothing).
  const unitType = ordered.find((a) => available(a) > 0)?.unitType ?? ordered[0]?.unitType
  const sameType = ordered.filter((a) => a.unitType === unitType)
  const needed = unitsOf(sameType[0] as Authorization, visit)
  let left = needed
  const allocations: Array<Allocation> = []
  for (const authorization of sameType) {
    if (left === 0) break
    const free = available(authorization)
    const take = Math.min(free, left)
    if (take === 0) continue
    left -= take
    allocations.push({
      authorizationId: authorization.id,
      number: authorization.number,
      units: take,
      projectedRemaining: free - take
    })
  }
  if (left === 0) {
    return {
      _tag: "Authorized",
      allocations,
      text: allocations.map((a) => `${a.units} ${unitType} on ${a.number} (${a.projectedRemaining} left)`).join("; ")
    }
  }
  if (allocations.length === 0) {
    return {
      _tag: "Exhausted",
      denial: exceeded,
      action: "request more units before the session, or reschedule after a renewal",
      text: `every authorization for ${required.join(", ")} is used up or booked`
    }
  }
  const authorizedUnits = needed - left
  return {
    _tag: "PartiallyAuthorized",
    allocations,
    authorizedUnits,
    excessUnits: left,
    denial: exceeded,
    action: `bill ${authorizedUnits} ${unitType} under the authorization and request more for the other ${left}, or shorten the session`,
    text: `${authorizedUnits} of ${needed} ${unitType} are authorized; ${left} exceed what is left`
  }
}

/**
 * @since 0.1.0
 */
export class AuthorizationExceeded extends Schema.TaggedError<AuthorizationExceeded>()("AuthorizationExceeded", {
  authorizationId: AuthorizationId,
  approved: Schema.Int,
  wouldUse: Schema.Int
}) {
  readonly retryable = false
  override get message() {
    return `using ${this.wouldUse} of ${this.approved} approved units is more than the authorization allows`
  }
}

/**
 * Adds an entry to the ledger. A use beyond the approved count is refused with `AuthorizationExceeded`: used can
 * never exceed approved. Reservations may overbook (the schedule can run ahead of an authorization; `check` and
 * `alerts` say so).
 *
 * @since 0.1.0
 */
export const record = (
  ledger: ReadonlyArray<LedgerEntry>,
  authorization: Authorization,
  entry: LedgerEntry
):
  | { readonly _tag: "Right"; readonly ledger: ReadonlyArray<LedgerEntry> }
  | { readonly _tag: "Left"; readonly error: AuthorizationExceeded } => {
  if (entry.kind === "used") {
    const { used } = usage(authorization, ledger, entry.sessionId)
    if (used + entry.units > authorization.approved) {
      return {
        _tag: "Left",
        error: new AuthorizationExceeded({
          authorizationId: authorization.id,
          approved: authorization.approved,
          wouldUse: used + entry.units
        })
      }
    }
  }
  // A session's newer entry replaces its older one of the same kind.
  const rest = ledger.filter(
    (e) => !(e.authorizationId === entry.authorizationId && e.sessionId === entry.sessionId && e.kind === entry.kind)
  )
  return { _tag: "Right", ledger: [...rest, entry] }
}

/**
 * @since 0.1.0
 */
export type Alert =
  | { readonly kind: "expired"; readonly on: string }
  | { readonly kind: "expiring"; readonly on: string; readonly daysLeft: number }
  | { readonly kind: "exhausted" }
  | { readonly kind: "few-left"; readonly remaining: number }
  | { readonly kind: "overbooked"; readonly by: number }
  | { readonly kind: "projected-run-out"; readonly on: string }
  | { readonly kind: "expires-before-used"; readonly unused: number }
  | { readonly kind: "request-renewal-by"; readonly on: string; readonly overdue: boolean }

/**
 * Alert thresholds: from the tenant's settings, else the rule pack's `settings`.
 *
 * @since 0.1.0
 */
export interface AlertSettings {
  readonly days?: number
  readonly sessions?: number
  readonly turnaroundDays?: number
}

const setting = (ruleSet: RuleSet, key: string, fallback: number): number => {
  const value = ruleSet.settings[key]?.value
  return typeof value === "number" ? value : fallback
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
}

/**
 * The date the authorization runs out at the booked cadence: through the booked schedule, then on at the median
 * gap between its sessions. Undefined when the schedule alone does not use it up and there is no cadence to go on.
 *
 * @since 0.1.0
 */
export const projectedRunOut = (
  authorization: Authorization,
  ledger: ReadonlyArray<LedgerEntry>,
  today: DateOfService
): DateOfService | undefined => {
  const entries = entriesBySession(authorization.id, ledger).sort((a, b) =>
    a.dateOfService < b.dateOfService ? -1 : 1
  )
  let left = usage(authorization, ledger).remaining
  if (left <= 0) return undefined
  const booked = entries.filter((e) => e.kind === "reserved" && e.dateOfService >= today)
  for (const entry of booked) {
    left -= entry.units
    if (left <= 0) return entry.dateOfService
  }
  const dates = [...new Set(entries.map((e) => e.dateOfService))]
  if (dates.length < 2) return undefined
  const gaps = dates.slice(1).map((d, i) => DateOfServiceModule.daysBetween(dates[i] as DateOfService, d))
  const cadence = Math.max(1, median(gaps))
  const perSession = Math.max(1, median(entries.map((e) => e.units)))
  const last = (booked.at(-1)?.dateOfService ?? dates.at(-1)) as DateOfService
  const from = last < today ? today : last
  return DateOfServiceModule.addDays(from, cadence * Math.ceil(left / perSession))
}

/**
 * What the front desk and the clinician should know about an authorization today.
 *
 * @since 0.1.0
 */
export const alerts = (
  authorization: Authorization,
  ledger: ReadonlyArray<LedgerEntry>,
  today: DateOfService,
  ruleSet: RuleSet,
  settings: AlertSettings = {}
): ReadonlyArray<Alert> => {
  const days = settings.days ?? setting(ruleSet, "authorizationAlertDays", 14)
  const sessions = settings.sessions ?? setting(ruleSet, "authorizationAlertSessions", 3)
  const turnaround = settings.turnaroundDays ?? setting(ruleSet, "authorizationTurnaroundDays", 14)
  const out: Array<Alert> = []
  const end = authorization.period.end
  if (today > end) return [{ kind: "expired", on: end }]
  const daysLeft = DateOfServiceModule.daysBetween(today, end)
  if (daysLeft <= days) out.push({ kind: "expiring", on: end, daysLeft })
  const use = usage(authorization, ledger)
  if (use.remaining <= 0) out.push({ kind: "exhausted" })
  else if (use.remaining <= sessions) out.push({ kind: "few-left", remaining: use.remaining })
  if (use.projectedRemaining < 0) out.push({ kind: "overbooked", by: -use.projectedRemaining })
  // Used up already: it ran out today at the latest.
  const runOut = use.remaining <= 0 ? today : projectedRunOut(authorization, ledger, today)
  if (runOut !== undefined && runOut <= end && use.remaining > 0) out.push({ kind: "projected-run-out", on: runOut })
  if (runOut !== undefined && runOut > end) {
    // At the booked cadence, sessions remain when the authorization ends.
    const entries = entriesBySession(authorization.id, ledger)
    const bookedBeforeEnd = entries.filter(
      (e) => e.kind === "reserved" && e.dateOfService >= today && e.dateOfService <= end
    )
    const unused = use.remaining - bookedBeforeEnd.reduce((s, e) => s + e.units, 0)
    if (unused > 0) out.push({ kind: "expires-before-used", unused })
  }
  if (use.remaining > 0 || use.projectedRemaining < 0 || runOut !== undefined) {
    const limit = runOut !== undefined && runOut < end ? runOut : end
    const by = DateOfServiceModule.addDays(limit, -turnaround)
    out.push({ kind: "request-renewal-by", on: by, overdue: today > by })
  }
  return out
}

/**
 * What `openrcm auth check` and `Billing.checkAuthorization` read: the visit, the patient's authorizations and
 * their ledger, and the payer's rule pack.
 *
 * @since 0.1.0
 */
export const CheckRequest = Schema.Struct({
  visit: Visit,
  authorizations: Schema.Array(Authorization),
  ledger: Schema.Array(LedgerEntry),
  rulePack: Schema.NonEmptyString
}).annotate({ identifier: "AuthorizationCheckRequest", title: "An authorization check" })

/**
 * @since 0.1.0
 */
export type CheckRequest = typeof CheckRequest.Type
