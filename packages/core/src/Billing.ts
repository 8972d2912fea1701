/**
 * The billing operations users call. Each is an `Effect.fn` over the ports it needs; hosts that do not use
 * Effect call the same operations as Promises on `BillingRuntime`.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Schedule } from "effect"
import * as Authorization from "./Authorization.js"
import { Clearinghouse } from "./Clearinghouse.js"
import * as Coding from "./Coding.js"
import * as DateOfService from "./DateOfService.js"
import * as Eligibility from "./Eligibility.js"
import * as GoodFaithEstimate from "./GoodFaithEstimate.js"
import type { PatientId } from "./Ids.js"
import * as PatientResponsibility from "./PatientResponsibility.js"
import * as RulePack from "./RulePack.js"
import { RulePacks } from "./RuleSet.js"
import * as Session from "./Session.js"
import { Store } from "./Store.js"
import * as VisitLimit from "./VisitLimit.js"

/**
 * Codes a session for one patient with the rule packs of its payer in force on its date of service.
 *
 * @since 0.1.0
 */
export const codeSession = Effect.fn("Billing.codeSession")(function* (request: Coding.CodingRequest) {
  const packs = yield* RulePacks
  const ruleSet = yield* packs.resolve(request.rulePack, request.dateOfService)
  return Coding.code(request, ruleSet)
})

/**
 * What a tracked session codes as now, per patient, with the minutes until it would code differently.
 *
 * @since 0.1.0
 */
export interface SessionPreview {
  readonly patientId: PatientId | undefined
  readonly minutes: number
  readonly result: Coding.CodingResult
  readonly next: ReturnType<typeof Coding.nextThreshold>
}

/**
 * Codes a tracked session at the current time (Effect's `Clock`): what it would bill now, and when the next
 * threshold comes. A group session gives one preview per present attendee, under each one's payer.
 *
 * @since 0.1.0
 */
export const previewSession = Effect.fn("Billing.previewSession")(function* (session: Session.TrackedSession) {
  const packs = yield* RulePacks
  const now = yield* Clock.currentTimeMillis
  const requests = yield* Session.codingRequestsAt(session, now)
  return yield* Effect.forEach(requests, ({ patientId, request }) =>
    Effect.map(
      packs.resolve(request.rulePack, request.dateOfService),
      (ruleSet): SessionPreview => ({
        patientId,
        minutes: request.minutes,
        result: Coding.code(request, ruleSet),
        next: session.status === "completed" ? undefined : Coding.nextThreshold(request, ruleSet)
      })
    )
  )
})

/**
 * Validates a rule pack document: every problem by JSON path, then its chain against the packs loaded.
 *
 * @since 0.1.0
 */
export const validateRulePack = Effect.fn("Billing.validateRulePack")(function* (document: unknown) {
  const pack = yield* RulePack.validate(document)
  if (pack.extends !== undefined) {
    const packs = yield* RulePacks
    if (!packs.packs.some((p) => p.id === pack.extends)) {
      return yield* new RulePack.RulePackError({
        packId: pack.id,
        problems: [{ path: "$.extends", message: `no loaded pack has the id ${pack.extends}` }]
      })
    }
  }
  return pack
})

/**
 * Checks a visit against the patient's authorizations under the payer's rules in force on its date.
 *
 * @since 0.1.0
 */
export const checkAuthorization = Effect.fn("Billing.checkAuthorization")(function* (input: {
  readonly visit: Authorization.Visit
  readonly authorizations: ReadonlyArray<Authorization.Authorization>
  readonly ledger: ReadonlyArray<Authorization.LedgerEntry>
  readonly rulePack: string
}) {
  const packs = yield* RulePacks
  const ruleSet = yield* packs.resolve(input.rulePack, input.visit.dateOfService)
  return Authorization.check(input.visit, input.authorizations, input.ledger, ruleSet)
})

/**
 * Today's alerts for an authorization, today read from the Clock in the practice's time zone.
 *
 * @since 0.1.0
 */
export const authorizationAlerts = Effect.fn("Billing.authorizationAlerts")(function* (input: {
  readonly authorization: Authorization.Authorization
  readonly ledger: ReadonlyArray<Authorization.LedgerEntry>
  readonly rulePack: string
  readonly timeZone: string
  readonly settings?: Authorization.AlertSettings
}) {
  const today = yield* DateOfService.today(input.timeZone)
  const ruleSet = yield* (yield* RulePacks).resolve(input.rulePack, today)
  return Authorization.alerts(input.authorization, input.ledger, today, ruleSet, input.settings)
})

/**
 * Where the visit stands against the payer's visit limits.
 *
 * @since 0.1.0
 */
export const visitLimits = Effect.fn("Billing.visitLimits")(function* (input: {
  readonly visit: VisitLimit.Service
  readonly history: ReadonlyArray<VisitLimit.Service>
  readonly rulePack: string
  readonly planYearStart?: string
}) {
  const ruleSet = yield* (yield* RulePacks).resolve(input.rulePack, input.visit.dateOfService)
  return VisitLimit.status(input.visit, input.history, ruleSet, input.planYearStart)
})

/**
 * An eligibility answer, read for behavioral health.
 *
 * @since 0.1.0
 */
export interface EligibilityCheck {
  readonly response: Eligibility.EligibilityResponse
  readonly summary: Eligibility.Summary
  readonly fromCache: boolean
}

/**
 * Asks the payer through the Clearinghouse, unless an answer younger than `maxAgeMinutes` (the tenant's setting,
 * a day by default) is cached. A retryable clearinghouse failure is retried twice, with backoff.
 *
 * @since 0.1.0
 */
export const checkEligibility = Effect.fn("Billing.checkEligibility")(function* (
  request: Eligibility.EligibilityRequest,
  options?: { readonly maxAgeMinutes?: number; readonly network?: "in" | "out" }
) {
  const cache = yield* Eligibility.EligibilityCache
  const clearinghouse = yield* Clearinghouse
  const now = yield* Clock.currentTimeMillis
  const key = Eligibility.cacheKey(request)
  const cached = yield* cache.get(key)
  const maxAge = (options?.maxAgeMinutes ?? 24 * 60) * 60_000
  const network = options?.network ?? "in"
  if (cached !== undefined && now - cached.receivedAt <= maxAge) {
    return {
      response: cached,
      summary: Eligibility.summarize(cached, network),
      fromCache: true
    } satisfies EligibilityCheck
  }
  const response = yield* clearinghouse.checkEligibility(request).pipe(
    Effect.retry({
      schedule: Schedule.exponential("500 millis"),
      times: 2,
      while: (error) => error.retryable
    })
  )
  yield* cache.set(key, response)
  return { response, summary: Eligibility.summarize(response, network), fromCache: false } satisfies EligibilityCheck
})

/**
 * Checks eligibility for a day's schedule (tomorrow's, run the evening before), a few at a time; each visit's
 * outcome is reported on its own, so one payer's outage does not hide the others.
 *
 * @since 0.1.0
 */
export const checkEligibilityForSchedule = Effect.fn("Billing.checkEligibilityForSchedule")(function* (
  requests: ReadonlyArray<Eligibility.EligibilityRequest>,
  options?: { readonly maxAgeMinutes?: number; readonly concurrency?: number }
) {
  return yield* Effect.forEach(
    requests,
    (request) =>
      checkEligibility(request, options).pipe(
        Effect.map((check) => ({ _tag: "Checked" as const, ...check })),
        Effect.catchTag("ClearinghouseError", (error) => Effect.succeed({ _tag: "Failed" as const, error }))
      ),
    { concurrency: options?.concurrency ?? 4 }
  )
})

/**
 * What the patient will owe (RULES.md §7), line by line and visit by visit.
 *
 * @since 0.1.0
 */
export const estimatePatientResponsibility = Effect.fn("Billing.estimatePatientResponsibility")(function* (
  request: PatientResponsibility.EstimateRequest
) {
  return yield* Effect.sync(() => PatientResponsibility.estimate(request))
})

/**
 * A Good Faith Estimate for an uninsured or self-pay patient.
 *
 * @since 0.1.0
 */
export const goodFaithEstimate = Effect.fn("Billing.goodFaithEstimate")(function* (
  request: GoodFaithEstimate.GoodFaithEstimateRequest
) {
  const result = GoodFaithEstimate.make(request)
  if (result._tag === "Left") return yield* result.error
  return result.estimate
})

/**
 * Walks the caller's tenant's audit chain: `Intact`, or the first edited, deleted, inserted or reordered event.
 *
 * @since 0.1.0
 */
export const verifyAuditChain = Effect.fn("Billing.verifyAuditChain")(function* () {
  const store = yield* Store
  return yield* store.audit.verify()
})

// Claims: built from coded sessions and scrubbed, then moved along their life, queued in the outbox, delivered,
// and answered.
export * from "./internal/claimPreparation.js"
export * from "./internal/claimSubmission.js"
// Denials: recorded from adjudication, worked from a queue (alone or in bulk), appealed with a packet, and counted.
export * from "./internal/denialWork.js"
export * from "./internal/remittancePosting.js"
// Reports for dashboards: A/R aging, clean-claim rate, collections, the patient's statement.
export * from "./internal/reports.js"
// Coordination of benefits: the next payer's claim, once a payer's 835 is posted.
export * from "./internal/secondaryClaims.js"
export * from "./internal/sessionBilling.js"
