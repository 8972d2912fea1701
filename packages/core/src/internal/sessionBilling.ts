/**
 * From a finished session to its claim in one call: the tracked session is coded as of its end (the same coding the
 * tracker previewed) and its claim built for the patient's coverage, so a host does not assemble a coded session
 * by hand.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { CodedSession } from "../ClaimBuild.js"
import * as Coding from "../Coding.js"
import type { DiagnosisCode } from "../Diagnosis.js"
import type { CoverageId, OrganizationId } from "../Ids.js"
import { RulePacks } from "../RuleSet.js"
import * as Session from "../Session.js"
import { InvalidRequest, Store, StoreError } from "../Store.js"
import { buildClaims } from "./claimPreparation.js"

/**
 * The session codes to nothing billable (too few minutes, a credential the payer does not accept, ...): `text` is
 * the engine's explanation, with no PHI.
 *
 * @since 0.1.0
 */
export class SessionNotBillable extends Schema.TaggedError<SessionNotBillable>()("SessionNotBillable", {
  reason: Schema.String,
  text: Schema.String
}) {
  readonly retryable = false
}

/**
 * @since 0.1.0
 */
export interface BillSessionInput {
  /** A completed individual session (a group's attendees are billed by `buildClaims` on their own claims). */
  readonly session: Session.TrackedSession
  /** The coverage to bill: its patient must be the session's. */
  readonly coverageId: CoverageId
  readonly billingProviderId: OrganizationId
  /** ICD-10-CM codes, principal first. */
  readonly diagnoses: ReadonlyArray<DiagnosisCode>
  readonly priorAuthorization?: string | undefined
}

/** When a session ended: its last segment's end, else now. */
const endOf = (session: Session.TrackedSession, now: number): number =>
  session.segments.reduce((end, segment) => Math.max(end, segment.endedAt ?? now), 0) || now

/**
 * Codes a completed session and builds its claim (see `buildClaims`: rebuilding is idempotent, a late session
 * joins its unsent claim). Fails with `SessionError` for a session not completed, `SessionNotBillable` when it
 * codes to nothing billable, and `StoreError` (`InvalidRequest`) for a coverage that is not the patient's.
 *
 * @since 0.1.0
 */
export const billSession = Effect.fn("Billing.billSession")(function* (input: BillSessionInput) {
  const { session } = input
  if (session.status !== "completed") {
    return yield* new Session.SessionError({
      reason: new Session.InvalidTransition({ from: session.status, action: "bill" })
    })
  }
  const store = yield* Store
  const coverage = Option.getOrUndefined(yield* store.coverages.get(input.coverageId))
  if (coverage === undefined || coverage.patientId !== session.patientId) {
    return yield* new StoreError({
      reason: new InvalidRequest({ detail: "the coverage is not the session's patient's" })
    })
  }
  const ended = endOf(session, yield* Clock.currentTimeMillis)
  const [request] = yield* Session.codingRequestsAt(session, ended)
  const biller = session.clinicians.find((clinician) => clinician.bills)
  if (request === undefined || biller === undefined || request.patientId === undefined) {
    return yield* new Session.SessionError({ reason: new Session.BillingClinicianMissing({ count: 0 }) })
  }
  const ruleSet = yield* (yield* RulePacks).resolve(request.request.rulePack, request.request.dateOfService)
  const coded = Coding.code(request.request, ruleSet)
  if (coded._tag === "NotBillable") return yield* new SessionNotBillable({ reason: coded.reason, text: coded.text })
  const dateOfService = request.request.dateOfService
  const codedSession = Schema.decodeUnknownSync(CodedSession)({
    sessionId: session.id,
    tenantId: session.tenantId,
    patientId: request.patientId,
    coverageId: coverage.id,
    payerId: coverage.payerId,
    billingProviderId: input.billingProviderId,
    renderingClinicianId: biller.clinicianId,
    dateOfService,
    placeOfService: coded.lines[0]?.placeOfService ?? "11",
    diagnoses: input.diagnoses,
    lines: coded.lines.map((line) => ({
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      placeOfService: line.placeOfService,
      dateOfService
    })),
    ...(input.priorAuthorization === undefined ? {} : { priorAuthorization: input.priorAuthorization })
  })
  const report = yield* buildClaims([codedSession])
  return { coded, report }
})
