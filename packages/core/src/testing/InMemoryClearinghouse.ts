/**
 * A real in-memory clearinghouse for tests, Storybook and the playground: it answers eligibility from seeded plan
 * data as a payer would (active, inactive outside the coverage dates, AAA rejections for an unknown member, a
 * date of birth or name that does not match, an invalid provider), with controllable failures. It receives claim
 * batches once per key and answers each with an acknowledgement and a claim status report (accepted, with a
 * payer claim number, unless `rejectClaim` says otherwise). It writes no X12: the sandbox clearinghouse of
 * `@openrcm/clearinghouse-x12` does.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Layer, Ref } from "effect"
import {
  type ClaimEnvelope,
  Clearinghouse,
  ClearinghouseError,
  type Receipt,
  Refused,
  type Response,
  Timeout,
  Unavailable
} from "../Clearinghouse.js"
import type { DateRange } from "../DateOfService.js"
import { type Benefit, type EligibilityRequest, type EligibilityResponse, rejection } from "../Eligibility.js"
import { isValid as isValidNpi } from "../Npi.js"

/**
 * One member of a seeded plan.
 *
 * @since 0.1.0
 */
export interface Member {
  readonly payerId: string
  readonly memberId: string
  readonly firstName: string
  readonly lastName: string
  readonly dateOfBirth: string
  readonly coverage: DateRange
  readonly plan: { readonly name: string; readonly groupNumber?: string }
  readonly benefits: ReadonlyArray<Benefit>
}

/**
 * @since 0.1.0
 */
export interface Options {
  /** Fail the next requests with these reasons, in order (a test's outage or slow payer). */
  readonly failures?: ReadonlyArray<"timeout" | "unavailable">
  /** Payers the clearinghouse does not route to. */
  readonly unsupportedPayers?: ReadonlyArray<string>
  /** Claims the payer rejects at the front end, with the reasons it gives (277CA status codes). */
  readonly rejectClaim?: (envelope: ClaimEnvelope) => ReadonlyArray<string> | undefined
}

const errorFor = (failure: "timeout" | "unavailable") =>
  new ClearinghouseError({
    reason:
      failure === "timeout"
        ? new Timeout({ afterMillis: 30_000 })
        : new Unavailable({ detail: "payer connection down" })
  })

/**
 * Answers one request from the seed (pure; the layer adds the clock and the failures).
 *
 * @since 0.1.0
 */
export const answer = (
  members: ReadonlyArray<Member>,
  request: EligibilityRequest,
  receivedAt: number
): Omit<EligibilityResponse, "receivedAt"> & { readonly receivedAt: number } => {
  const rejected = (code: string, followUp: string): EligibilityResponse => ({
    status: "rejected",
    benefits: [],
    rejections: [rejection(code, followUp)],
    receivedAt
  })
  if (!isValidNpi(request.provider.npi)) return rejected("43", "C")
  const member = members.find((m) => m.payerId === request.payerId && m.memberId === request.subscriber.memberId)
  if (member === undefined) return rejected("75", "C")
  if (member.dateOfBirth !== request.subscriber.dateOfBirth) return rejected("71", "C")
  if (member.lastName.toLowerCase() !== request.subscriber.lastName.toLowerCase()) return rejected("73", "C")
  const base = { plan: member.plan, coverage: member.coverage, rejections: [], receivedAt }
  if (request.dateOfService < member.coverage.start || request.dateOfService > member.coverage.end) {
    return { ...base, status: "inactive", benefits: [{ kind: "inactive", serviceTypes: ["30"] }] }
  }
  const asked = new Set(request.serviceTypes)
  // The plan's general benefits (30: deductible, out of pocket) come with any inquiry, as payers send them.
  const benefits = member.benefits.filter(
    (b) =>
      asked.has("30") ||
      b.serviceTypes.length === 0 ||
      b.serviceTypes.includes("30") ||
      b.serviceTypes.some((t) => asked.has(t))
  )
  return { ...base, status: "active", benefits: [{ kind: "active", serviceTypes: ["30"] }, ...benefits] }
}

/**
 * The clearinghouse over seeded members.
 *
 * @since 0.1.0
 */
export const layer = (members: ReadonlyArray<Member>, options: Options = {}): Layer.Layer<Clearinghouse> =>
  Layer.effect(
    Clearinghouse,
    Effect.gen(function* () {
      const failures = yield* Ref.make<ReadonlyArray<"timeout" | "unavailable">>(options.failures ?? [])
      const unsupported = new Set(options.unsupportedPayers ?? [])
      const receipts = new Map<string, Receipt>()
      const outbox: Array<Response> = []
      const nextFailure = Effect.gen(function* () {
        const [failure, ...rest] = yield* Ref.get(failures)
        if (failure === undefined) return
        yield* Ref.set(failures, rest)
        return yield* errorFor(failure)
      })
      return Clearinghouse.of({
        checkEligibility: (request) =>
          Effect.gen(function* () {
            yield* nextFailure
            if (unsupported.has(request.payerId)) {
              return yield* new ClearinghouseError({ reason: new Refused({ detail: "payer not supported" }) })
            }
            return answer(members, request, yield* Clock.currentTimeMillis)
          }),
        submitClaims: (batch) =>
          Effect.gen(function* () {
            yield* nextFailure
            const seen = receipts.get(batch.key)
            if (seen !== undefined) return { ...seen, firstTime: false }
            const receipt: Receipt = { key: batch.key, reference: `mem-${receipts.size + 1}`, firstTime: true }
            receipts.set(batch.key, receipt)
            const answers = batch.claims.map((envelope, i) => {
              const reasons = options.rejectClaim?.(envelope)
              return reasons === undefined
                ? {
                    claimId: envelope.claim.id,
                    status: "accepted" as const,
                    reasons: [],
                    payerClaimNumber: `${receipt.reference}-${i + 1}`
                  }
                : { claimId: envelope.claim.id, status: "rejected" as const, reasons: [...reasons] }
            })
            outbox.push(
              {
                _tag: "Acknowledgement",
                id: `${receipt.reference}.999`,
                submissionKey: batch.key,
                accepted: true,
                claims: [],
                errors: []
              },
              { _tag: "ClaimStatus", id: `${receipt.reference}.277`, claims: answers }
            )
            return receipt
          }),
        responses: () => Effect.as(nextFailure, [...outbox]),
        acknowledge: (ids) =>
          Effect.sync(() => {
            const done = new Set(ids)
            for (let i = outbox.length - 1; i >= 0; i--) if (done.has((outbox[i] as Response).id)) outbox.splice(i, 1)
          })
      })
    })
  )
