/**
 * A submission: one batch of claims handed to the clearinghouse, as the outbox keeps it. The store writes it in
 * the same transaction as the claims' move to `submitted`, so a crash between the two neither loses nor
 * duplicates a claim; a sender picks pending submissions up, sends them and marks them sent. Its key is stable
 * per claim content, so the same claim is never queued twice.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { ClaimId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import * as Phi from "./Phi.js"

/**
 * @since 0.1.0
 */
export const SubmissionKey = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[A-Za-z0-9._:-]{1,128}$/u, { expected: "a submission key" })),
  Schema.brand("SubmissionKey")
).annotate({ identifier: "SubmissionKey" })

/**
 * @since 0.1.0
 */
export type SubmissionKey = typeof SubmissionKey.Type

/**
 * @since 0.1.0
 */
export const Status = Schema.Literals(["pending", "sent", "failed"]).annotate({ identifier: "SubmissionStatus" })

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * @since 0.1.0
 */
export class Submission extends Schema.Class<Submission>("@openrcm/core/Submission")({
  key: SubmissionKey,
  tenantId: TenantId,
  claimIds: Schema.Array(ClaimId).pipe(Schema.check(Schema.isMinLength(1))),
  /** What goes out (an 837P batch): PHI. */
  payload: Phi.field(Schema.String),
  status: Status,
  attempts: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  createdAt: EpochMillis,
  sentAt: Schema.optional(EpochMillis),
  /** Why the last attempt failed: a reason code, never PHI. */
  lastError: Schema.optional(Schema.String)
}) {}
