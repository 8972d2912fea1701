/**
 * A denial to work: the claim (or line) the payer denied, with its group code, CARC and RARCs, the amount at stake
 * and the deadline to act, where it stands in the work queue, who has it, and its notes. The queue is worked by
 * priority: larger amounts and nearer deadlines first.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import { ClaimId, PayerId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Money } from "./Money.js"
import * as Phi from "./Phi.js"

/**
 * @since 0.1.0
 */
export const DenialId = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/u, { expected: "a denial id" })),
  Schema.brand("DenialId")
).annotate({ identifier: "DenialId" })

/**
 * @since 0.1.0
 */
export type DenialId = typeof DenialId.Type

/**
 * @since 0.1.0
 */
export const Status = Schema.Literals([
  "open",
  "in-progress",
  "resubmitted",
  "appealed",
  "written-off",
  "resolved"
]).annotate({ identifier: "DenialStatus" })

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * What a denial is about (`DenialCatalog.classify`): the shipped table's categories, and `other` for a CARC the
 * table leaves unclassified on purpose.
 *
 * @since 0.1.0
 */
export const Category = Schema.Literals([
  "eligibility",
  "authorization",
  "coding",
  "modifier",
  "timely-filing",
  "duplicate",
  "medical-necessity",
  "coordination-of-benefits",
  "provider-enrollment",
  "non-covered",
  "patient-responsibility",
  "contractual",
  "other"
]).annotate({ identifier: "DenialCategory" })

/**
 * @since 0.1.0
 */
export type Category = typeof Category.Type

/**
 * The recommended first step on a denial (`DenialCatalog.classify`).
 *
 * @since 0.1.0
 */
export const Action = Schema.Literals([
  "correct-and-resubmit",
  "appeal",
  "bill-secondary",
  "bill-patient",
  "write-off",
  "none"
]).annotate({ identifier: "DenialAction" })

/**
 * @since 0.1.0
 */
export type Action = typeof Action.Type

/**
 * A note on a denial; its text may hold PHI and is encrypted at rest.
 *
 * @since 0.1.0
 */
export const Note = Schema.Struct({ at: EpochMillis, actor: Schema.String, text: Schema.String }).annotate({
  identifier: "DenialNote"
})

/**
 * @since 0.1.0
 */
export class Denial extends Schema.Class<Denial>("@openrcm/core/Denial")({
  id: DenialId,
  tenantId: TenantId,
  claimId: ClaimId,
  payerId: PayerId,
  line: Schema.optional(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))),
  group: Schema.String,
  carc: Schema.String,
  rarcs: Schema.Array(Schema.String),
  amount: Money,
  deadline: Schema.optional(DateOfService),
  /** The day the payer's answer (the 835) was received: the appeal window runs from it. */
  receivedOn: Schema.optional(DateOfService),
  category: Schema.optional(Category),
  /** The recommended first step. */
  action: Schema.optional(Action),
  /**
   * Higher is worked first: from the amount and the deadline as of the day it was recorded or last refreshed
   * (`Billing.refreshDenialPriorities`, run daily).
   */
  priority: Schema.Number,
  status: Status,
  assignee: Schema.optional(Schema.String),
  notes: Phi.field(Schema.Array(Note)),
  createdAt: EpochMillis,
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
}) {}
