/**
 * A remittance as received (one 835 payment: BPR/TRN) and the postings made from it. Its `contentHash` identifies
 * the file's content, so the same 835 recorded twice is recognised and posted once.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import { ClaimId, PatientId, PayerId, RemittanceId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Money } from "./Money.js"

/**
 * @since 0.1.0
 */
export class Remittance extends Schema.Class<Remittance>("@openrcm/core/Remittance")({
  id: RemittanceId,
  tenantId: TenantId,
  /** A hash of the transaction's content (hex SHA-256). */
  contentHash: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/u, { expected: "a SHA-256 hex" }))),
  payerId: Schema.optional(PayerId),
  /** BPR04: ACH, CHK, NON, ... */
  paymentMethod: Schema.String,
  paymentAmount: Money,
  /** TRN02: the EFT trace or check number, for reconciliation with the deposit. */
  traceNumber: Schema.String,
  paymentDate: Schema.optional(DateOfService),
  receivedAt: EpochMillis,
  claimCount: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
}) {}

/**
 * @since 0.1.0
 */
export const PostingKind = Schema.Literals([
  "payment",
  "contractual",
  "patient-responsibility",
  "other",
  "payer-initiated",
  "provider-level"
]).annotate({ identifier: "PostingKind" })

/**
 * @since 0.1.0
 */
export type PostingKind = typeof PostingKind.Type

/**
 * One amount posted from a remittance: to a claim (and line), or to the organization (PLB). A reversal posts the
 * negated amounts of what it undoes.
 *
 * @since 0.1.0
 */
export const Posting = Schema.Struct({
  id: Schema.NonEmptyString,
  remittanceId: RemittanceId,
  claimId: Schema.optional(ClaimId),
  patientId: Schema.optional(PatientId),
  /** 0-based index of the claim's line, when the amount is a line's. */
  line: Schema.optional(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  kind: PostingKind,
  /** CAS group (CO, PR, OA, PI, CR) and reason code (CARC), when an adjustment. */
  group: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String),
  amount: Money,
  postedAt: EpochMillis
}).annotate({ identifier: "Posting" })

/**
 * @since 0.1.0
 */
export type Posting = typeof Posting.Type
