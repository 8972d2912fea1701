/**
 * The Clearinghouse port: how OpenRCM talks to payers. Eligibility (270 out, 271 back); claim batches out (the
 * adapter writes the 837P); and what comes back (acknowledgements, claim status, remittances), read until
 * acknowledged, so nothing is lost or handled twice. Adapters map every vendor failure to `ClearinghouseError`,
 * whose reasons say whether a retry may help; vendor types never cross the port.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema } from "effect"
import { Claim } from "./Claim.js"
import { Clinician } from "./Clinician.js"
import { Coverage } from "./Coverage.js"
import type { EligibilityRequest, EligibilityResponse } from "./Eligibility.js"
import { ClaimId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Organization } from "./Organization.js"
import { Patient } from "./Patient.js"
import { Payer } from "./Payer.js"
import { RemittanceAdvice } from "./RemittanceAdvice.js"
import { SubmissionKey } from "./Submission.js"

/**
 * @since 0.1.0
 */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", { afterMillis: Schema.Int }) {
  readonly retryable = true
}

/**
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", { detail: Schema.String }) {
  readonly retryable = true
}

/**
 * The clearinghouse refused the request itself (an unknown payer, bad credentials): retrying will not help.
 *
 * @since 0.1.0
 */
export class Refused extends Schema.TaggedError<Refused>()("Refused", { detail: Schema.String }) {
  readonly retryable = false
}

/**
 * @since 0.1.0
 */
export class ClearinghouseError extends Schema.TaggedError<ClearinghouseError>()("ClearinghouseError", {
  reason: Schema.Union([Timeout, Unavailable, Refused])
}) {
  get retryable(): boolean {
    return this.reason.retryable
  }
  override get message() {
    return `clearinghouse: ${this.reason._tag}`
  }
}

/**
 * A claim with everything the 837P needs about it: the patient, the coverage (and subscriber), the payer, the
 * billing provider and the rendering and supervising clinicians, and for a secondary or tertiary claim the prior
 * payers' coverages and payers.
 *
 * @since 0.1.0
 */
export const ClaimEnvelope = Schema.Struct({
  claim: Claim,
  patient: Patient,
  coverage: Coverage,
  payer: Payer,
  billingProvider: Organization,
  rendering: Clinician,
  supervising: Schema.optional(Clinician),
  /** The coverage and payer of each of the claim's `priorPayers`, in the same order (837P 2320/2330). */
  otherPayers: Schema.optional(Schema.Array(Schema.Struct({ coverage: Coverage, payer: Payer })))
}).annotate({ identifier: "ClaimEnvelope" })

/**
 * @since 0.1.0
 */
export type ClaimEnvelope = typeof ClaimEnvelope.Type

/**
 * A batch of claims sent as one: its key is stable for its content, so sending it again is recognised.
 *
 * @since 0.1.0
 */
export const ClaimBatch = Schema.Struct({
  key: SubmissionKey,
  tenantId: TenantId,
  createdAt: EpochMillis,
  claims: Schema.Array(ClaimEnvelope).pipe(Schema.check(Schema.isMinLength(1)))
}).annotate({ identifier: "ClaimBatch" })

/**
 * @since 0.1.0
 */
export type ClaimBatch = typeof ClaimBatch.Type

/**
 * What the clearinghouse says it received; the same key sent again returns the first receipt.
 *
 * @since 0.1.0
 */
export const Receipt = Schema.Struct({
  key: SubmissionKey,
  /** The adapter's reference: a file name, an interchange control number, a vendor id. */
  reference: Schema.String,
  /** False when the key had been received before and this send changed nothing. */
  firstTime: Schema.Boolean
}).annotate({ identifier: "Receipt" })

/**
 * @since 0.1.0
 */
export type Receipt = typeof Receipt.Type

/**
 * One claim's answer in an acknowledgement or a status report: accepted into adjudication, or rejected with the
 * reasons (status category and codes, 999 error codes), and the payer's claim number once there is one.
 *
 * @since 0.1.0
 */
export const ClaimAnswer = Schema.Struct({
  claimId: ClaimId,
  status: Schema.Literals(["accepted", "rejected", "pending"]),
  reasons: Schema.Array(Schema.String),
  payerClaimNumber: Schema.optional(Schema.String)
}).annotate({ identifier: "ClaimAnswer" })

/**
 * @since 0.1.0
 */
export type ClaimAnswer = typeof ClaimAnswer.Type

/**
 * What comes back, each with an id to acknowledge it by: a 999 (the batch accepted or rejected, with the claims
 * it rejects), a 277CA or 277 (claim by claim), or a remittance (an 835 read into a `RemittanceAdvice`, for
 * posting: the adapter reads its format, vendor types never cross the port).
 *
 * @since 0.1.0
 */
export const Response = Schema.Union([
  Schema.TaggedStruct("Acknowledgement", {
    id: Schema.NonEmptyString,
    submissionKey: Schema.optional(SubmissionKey),
    accepted: Schema.Boolean,
    claims: Schema.Array(ClaimAnswer),
    errors: Schema.Array(Schema.String)
  }),
  Schema.TaggedStruct("ClaimStatus", { id: Schema.NonEmptyString, claims: Schema.Array(ClaimAnswer) }),
  Schema.TaggedStruct("Remittance", { id: Schema.NonEmptyString, advice: RemittanceAdvice })
]).annotate({ identifier: "ClearinghouseResponse" })

/**
 * @since 0.1.0
 */
export type Response = typeof Response.Type

/**
 * @since 0.1.0
 */
export class Clearinghouse extends Context.Service<
  Clearinghouse,
  {
    /** Asks the payer about coverage; a payer's rejection (AAA) is a response, not an error. */
    readonly checkEligibility: (request: EligibilityRequest) => Effect.Effect<EligibilityResponse, ClearinghouseError>
    /** Sends a batch; idempotent per `batch.key` (the second send returns the first receipt, `firstTime: false`). */
    readonly submitClaims: (batch: ClaimBatch) => Effect.Effect<Receipt, ClearinghouseError>
    /** What came back and has not been acknowledged yet, oldest first. */
    readonly responses: () => Effect.Effect<ReadonlyArray<Response>, ClearinghouseError>
    /** Marks responses as handled: they are never returned again. Unknown ids are ignored. */
    readonly acknowledge: (ids: ReadonlyArray<string>) => Effect.Effect<void, ClearinghouseError>
  }
>()("@openrcm/core/Clearinghouse") {}
