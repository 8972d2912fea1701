/**
 * A session as it is tracked: scheduled → in progress ⇄ paused → completed, or cancelled, late-cancelled or
 * no-show (a patient fee, never billed to insurance). Time is kept in segments read from Effect's `Clock`, an
 * E/M segment apart from the service's own time. Group sessions carry a roster (each attendee is coded on their
 * own coverage); co-therapy records every clinician present and the one who bills.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Schema } from "effect"
import { type CodingRequest, Delivery } from "./Coding.js"
import { Credential } from "./Credential.js"
import { atInstant, DateOfService } from "./DateOfService.js"
import { ClinicianId, PatientId, SessionId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Money } from "./Money.js"
import { FacilityType } from "./Organization.js"
import { ProcedureCode } from "./RulePack.js"

/**
 * @since 0.1.0
 */
export const Status = Schema.Literals([
  "scheduled",
  "in-progress",
  "paused",
  "completed",
  "cancelled",
  "late-cancelled",
  "no-show"
]).annotate({ identifier: "SessionStatus" })

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * `service` is time spent on the session's service (psychotherapy, crisis, testing...); `em` is E/M time, which
 * never counts toward it.
 *
 * @since 0.1.0
 */
export const SegmentKind = Schema.Literals(["service", "em"])

/**
 * @since 0.1.0
 */
export type SegmentKind = typeof SegmentKind.Type

/**
 * @since 0.1.0
 */
export const Segment = Schema.Struct({
  kind: SegmentKind,
  startedAt: EpochMillis,
  endedAt: Schema.optional(EpochMillis)
})

/**
 * @since 0.1.0
 */
export type Segment = typeof Segment.Type

/**
 * A clinician present. Exactly one of them bills.
 *
 * @since 0.1.0
 */
export const ClinicianPresent = Schema.Struct({
  clinicianId: ClinicianId,
  credential: Credential,
  bills: Schema.Boolean
})

/**
 * A group attendee, coded and billed on their own claim under their own payer's rules.
 *
 * @since 0.1.0
 */
export const Attendee = Schema.Struct({
  patientId: PatientId,
  rulePack: Schema.NonEmptyString,
  present: Schema.Boolean
})

/**
 * @since 0.1.0
 */
export type Attendee = typeof Attendee.Type

/**
 * A cancellation, late cancellation or no-show: a fee the patient owes under the practice's policy, if any.
 *
 * @since 0.1.0
 */
export const Cancellation = Schema.Struct({
  kind: Schema.Literals(["cancelled", "late-cancelled", "no-show"]),
  at: EpochMillis,
  patientFee: Schema.optional(Money),
  billTo: Schema.Literal("patient")
})

/**
 * @since 0.1.0
 */
export const TrackedSession = Schema.Struct({
  id: SessionId,
  tenantId: TenantId,
  /** The patient, or for a group the roster's first attendee is not special: see `attendees`. */
  patientId: Schema.optional(PatientId),
  /** The payer's rule pack for an individual session. */
  rulePack: Schema.optional(Schema.NonEmptyString),
  service: Schema.NonEmptyString,
  timeZone: Schema.NonEmptyString,
  clinicians: Schema.Array(ClinicianPresent).pipe(Schema.check(Schema.isMinLength(1))),
  delivery: Delivery,
  facilityType: Schema.optional(FacilityType),
  status: Status,
  segments: Schema.Array(Segment),
  interactiveComplexity: Schema.Boolean,
  crisis: Schema.Boolean,
  /** The E/M code chosen by medical decision making, when an E/M is billed the same session. */
  emCode: Schema.optional(ProcedureCode),
  attendees: Schema.optional(Schema.Array(Attendee)),
  dateOfService: Schema.optional(DateOfService),
  cancellation: Schema.optional(Cancellation)
}).annotate({ identifier: "TrackedSession", title: "A tracked session" })

/**
 * @since 0.1.0
 */
export type TrackedSession = typeof TrackedSession.Type

/**
 * @since 0.1.0
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  from: Status,
  action: Schema.String
}) {
  readonly retryable = false
  override get message() {
    return `a ${this.from} session cannot ${this.action}`
  }
}

/**
 * @since 0.1.0
 */
export class BillingClinicianMissing extends Schema.TaggedError<BillingClinicianMissing>()("BillingClinicianMissing", {
  count: Schema.Int
}) {
  readonly retryable = false
  override get message() {
    return `exactly one clinician present must bill; ${this.count} do`
  }
}

/**
 * @since 0.1.0
 */
export class NotBillableToInsurance extends Schema.TaggedError<NotBillableToInsurance>()("NotBillableToInsurance", {
  status: Status
}) {
  readonly retryable = false
  override get message() {
    return `a ${this.status} session is not billed to insurance`
  }
}

/**
 * @since 0.1.0
 */
export class AttendeeNotOnRoster extends Schema.TaggedError<AttendeeNotOnRoster>()("AttendeeNotOnRoster", {}) {
  readonly retryable = false
  override get message() {
    return "the patient is not on this group session's roster"
  }
}

/**
 * Why a session operation was refused.
 *
 * @since 0.1.0
 */
export class SessionError extends Schema.TaggedError<SessionError>()("SessionError", {
  reason: Schema.Union([InvalidTransition, BillingClinicianMissing, NotBillableToInsurance, AttendeeNotOnRoster])
}) {
  override get message() {
    return this.reason.message
  }
}

/**
 * A change of a session: the new session, or why it was refused.
 *
 * @since 0.1.0
 */
export type Transition = Effect.Effect<TrackedSession, SessionError>

const refuse = (from: Status, action: string) =>
  Effect.fail(new SessionError({ reason: new InvalidTransition({ from, action }) }))

/**
 * The fields a host gives to schedule a session.
 *
 * @since 0.1.0
 */
export type ScheduleInput = Omit<
  TrackedSession,
  "status" | "segments" | "interactiveComplexity" | "crisis" | "dateOfService" | "cancellation"
> & {
  readonly interactiveComplexity?: boolean
  readonly crisis?: boolean
}

/**
 * A new scheduled session. Exactly one clinician present must bill.
 *
 * @since 0.1.0
 */
export const schedule = (input: ScheduleInput): Effect.Effect<TrackedSession, SessionError> => {
  const billing = input.clinicians.filter((c) => c.bills).length
  if (billing !== 1) return Effect.fail(new SessionError({ reason: new BillingClinicianMissing({ count: billing }) }))
  return Effect.succeed({
    ...input,
    status: "scheduled",
    segments: [],
    interactiveComplexity: input.interactiveComplexity ?? false,
    crisis: input.crisis ?? false
  })
}

const closeOpen = (segments: ReadonlyArray<Segment>, now: number): Array<Segment> =>
  segments.map((s) => (s.endedAt === undefined ? { ...s, endedAt: Math.max(now, s.startedAt) } : s))

/**
 * Starts the session now; the date of service is today in the session's time zone.
 *
 * @since 0.1.0
 */
export const start = (session: TrackedSession, kind: SegmentKind = "service"): Transition =>
  Effect.gen(function* () {
    if (session.status !== "scheduled") return yield* refuse(session.status, "start")
    const now = yield* Clock.currentTimeMillis
    return {
      ...session,
      status: "in-progress",
      dateOfService: atInstant(now, session.timeZone),
      segments: [{ kind, startedAt: now }]
    } satisfies TrackedSession
  })

/**
 * Closes the running segment and opens one of another kind (E/M time apart from psychotherapy time).
 *
 * @since 0.1.0
 */
export const switchTo = (session: TrackedSession, kind: SegmentKind): Transition =>
  Effect.gen(function* () {
    if (session.status !== "in-progress") return yield* refuse(session.status, `switch to ${kind} time`)
    const now = yield* Clock.currentTimeMillis
    return {
      ...session,
      segments: [...closeOpen(session.segments, now), { kind, startedAt: now }]
    } satisfies TrackedSession
  })

/**
 * @since 0.1.0
 */
export const pause = (session: TrackedSession): Transition =>
  Effect.gen(function* () {
    if (session.status !== "in-progress") return yield* refuse(session.status, "pause")
    const now = yield* Clock.currentTimeMillis
    return { ...session, status: "paused", segments: closeOpen(session.segments, now) } satisfies TrackedSession
  })

/**
 * Resumes the kind of time that was running when the session paused.
 *
 * @since 0.1.0
 */
export const resume = (session: TrackedSession): Transition =>
  Effect.gen(function* () {
    if (session.status !== "paused") return yield* refuse(session.status, "resume")
    const now = yield* Clock.currentTimeMillis
    const kind = session.segments.at(-1)?.kind ?? "service"
    return {
      ...session,
      status: "in-progress",
      segments: [...session.segments, { kind, startedAt: now }]
    } satisfies TrackedSession
  })

/**
 * @since 0.1.0
 */
export const complete = (session: TrackedSession): Transition =>
  Effect.gen(function* () {
    if (session.status !== "in-progress" && session.status !== "paused")
      return yield* refuse(session.status, "complete")
    const now = yield* Clock.currentTimeMillis
    return { ...session, status: "completed", segments: closeOpen(session.segments, now) } satisfies TrackedSession
  })

/**
 * The practice's fees for late cancellations and no-shows, charged to the patient, never to insurance.
 *
 * @since 0.1.0
 */
export interface FeePolicy {
  readonly lateCancel?: Money
  readonly noShow?: Money
}

const endBeforeStart = (
  session: TrackedSession,
  kind: "cancelled" | "late-cancelled" | "no-show",
  fee: Money | undefined
) =>
  Effect.gen(function* () {
    if (session.status !== "scheduled")
      return yield* refuse(session.status, kind === "no-show" ? "be a no-show" : "be cancelled")
    const at = yield* Clock.currentTimeMillis
    return {
      ...session,
      status: kind,
      cancellation: { kind, at, billTo: "patient", ...(fee === undefined ? {} : { patientFee: fee }) }
    } satisfies TrackedSession
  })

/**
 * Cancels a scheduled session; a late cancellation charges the policy's fee to the patient.
 *
 * @since 0.1.0
 */
export const cancel = (session: TrackedSession, options: { readonly late: boolean; readonly policy?: FeePolicy }) =>
  endBeforeStart(
    session,
    options.late ? "late-cancelled" : "cancelled",
    options.late ? options.policy?.lateCancel : undefined
  )

/**
 * @since 0.1.0
 */
export const markNoShow = (session: TrackedSession, policy?: FeePolicy) =>
  endBeforeStart(session, "no-show", policy?.noShow)

const editable = (session: TrackedSession, action: string) =>
  session.status === "scheduled" || session.status === "in-progress" || session.status === "paused"
    ? Effect.void
    : refuse(session.status, action)

/**
 * Sets the interactive-complexity and crisis flags, and the E/M code chosen by medical decision making.
 *
 * @since 0.1.0
 */
export const annotate = (
  session: TrackedSession,
  changes: { readonly interactiveComplexity?: boolean; readonly crisis?: boolean; readonly emCode?: string }
): Transition =>
  Effect.as(editable(session, "be changed"), {
    ...session,
    ...(changes.interactiveComplexity === undefined ? {} : { interactiveComplexity: changes.interactiveComplexity }),
    ...(changes.crisis === undefined ? {} : { crisis: changes.crisis }),
    ...(changes.emCode === undefined ? {} : { emCode: changes.emCode })
  } satisfies TrackedSession)

/**
 * Marks a group attendee present or absent.
 *
 * @since 0.1.0
 */
export const markAttendance = (session: TrackedSession, patientId: PatientId, present: boolean): Transition =>
  Effect.gen(function* () {
    yield* editable(session, "change its roster")
    const attendees = session.attendees ?? []
    if (!attendees.some((a) => a.patientId === patientId)) {
      return yield* Effect.fail(new SessionError({ reason: new AttendeeNotOnRoster() }))
    }
    return {
      ...session,
      attendees: attendees.map((a) => (a.patientId === patientId ? { ...a, present } : a))
    } satisfies TrackedSession
  })

/**
 * Whole minutes of each kind of time at `now` (a running segment counts up to now).
 *
 * @since 0.1.0
 */
export const minutesAt = (session: TrackedSession, now: number): { readonly service: number; readonly em: number } => {
  let service = 0
  let em = 0
  for (const segment of session.segments) {
    const ms = Math.max(0, (segment.endedAt ?? now) - segment.startedAt)
    if (segment.kind === "service") service += ms
    else em += ms
  }
  return { service: Math.floor(service / 60_000), em: Math.floor(em / 60_000) }
}

/**
 * What the engine codes for each patient of the session at `now`: one request for an individual session, one per
 * present attendee for a group. A cancelled, late-cancelled or no-show session is never coded for insurance.
 *
 * @since 0.1.0
 */
export const codingRequestsAt = (
  session: TrackedSession,
  now: number
): Effect.Effect<
  ReadonlyArray<{ readonly patientId: PatientId | undefined; readonly request: CodingRequest }>,
  SessionError
> => {
  if (session.status === "cancelled" || session.status === "late-cancelled" || session.status === "no-show") {
    return Effect.fail(new SessionError({ reason: new NotBillableToInsurance({ status: session.status }) }))
  }
  const billing = session.clinicians.filter((c) => c.bills)
  const biller = billing[0]
  if (billing.length !== 1 || biller === undefined) {
    return Effect.fail(new SessionError({ reason: new BillingClinicianMissing({ count: billing.length }) }))
  }
  const minutes = minutesAt(session, now)
  const dateOfService = session.dateOfService ?? atInstant(now, session.timeZone)
  const hasEm = minutes.em > 0 || session.emCode !== undefined
  const base = (rulePack: string): CodingRequest => ({
    dateOfService,
    rulePack,
    service: session.crisis ? "crisis" : session.service,
    minutes: Math.min(minutes.service, 1440),
    ...(hasEm
      ? {
          em: { ...(session.emCode === undefined ? {} : { code: session.emCode }), minutes: Math.min(minutes.em, 1440) }
        }
      : {}),
    interactiveComplexity: session.interactiveComplexity,
    delivery: session.delivery,
    clinician: { credential: biller.credential },
    ...(session.facilityType === undefined ? {} : { facilityType: session.facilityType })
  })
  if (session.attendees !== undefined) {
    return Effect.succeed(
      session.attendees.filter((a) => a.present).map((a) => ({ patientId: a.patientId, request: base(a.rulePack) }))
    )
  }
  return Effect.succeed([{ patientId: session.patientId, request: base(session.rulePack ?? "cpt-base") }])
}
