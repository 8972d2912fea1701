/**
 * The billing operations users call. Each is an `Effect.fn` over the ports it needs; hosts that do not use
 * Effect call the same operations as Promises on `BillingRuntime`.
 *
 * @since 0.1.0
 */
import { Clock, Effect } from "effect"
import * as Coding from "./Coding.js"
import type { PatientId } from "./Ids.js"
import * as RulePack from "./RulePack.js"
import { RulePacks } from "./RuleSet.js"
import * as Session from "./Session.js"

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
