/**
 * A professional claim (the 837P's content) as OpenRCM keeps it: who and what was billed, its lines and charges,
 * where it is in its life (`status`), and the history of every move. Building, scrubbing and the rules of which
 * moves are legal build on this record; the store keeps it, with its diagnoses encrypted as PHI.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import { DiagnosisCode } from "./Diagnosis.js"
import { ClaimId, ClinicianId, CoverageId, OrganizationId, PatientId, PayerId, SessionId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Money } from "./Money.js"
import * as Phi from "./Phi.js"
import { Modifier, PlaceOfService, ProcedureCode } from "./RulePack.js"

/**
 * Where a claim is: draft → scrubbed → ready → submitted → accepted or rejected → paid, partially paid or denied
 * → corrected or appealed → closed.
 *
 * @since 0.1.0
 */
export const Status = Schema.Literals([
  "draft",
  "scrubbed",
  "ready",
  "submitted",
  "accepted",
  "rejected",
  "paid",
  "partially-paid",
  "denied",
  "corrected",
  "appealed",
  "closed"
]).annotate({ identifier: "ClaimStatus" })

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * CLM05-3: `1` original, `7` replacement of a prior claim, `8` void of a prior claim.
 *
 * @since 0.1.0
 */
export const Frequency = Schema.Literals(["1", "7", "8"]).annotate({ identifier: "ClaimFrequency" })

/**
 * @since 0.1.0
 */
export type Frequency = typeof Frequency.Type

const Units = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1), Schema.isLessThanOrEqualTo(9999)))
const Pointer = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1), Schema.isLessThanOrEqualTo(12)))

/**
 * A service line (2400 SV1): the procedure, its modifiers, units, charge and the diagnoses it points to (1-based
 * positions in the claim's diagnoses).
 *
 * @since 0.1.0
 */
export const Line = Schema.Struct({
  code: ProcedureCode,
  modifiers: Schema.Array(Modifier).pipe(Schema.check(Schema.isMaxLength(4))),
  units: Units,
  charge: Money,
  dateOfService: DateOfService,
  placeOfService: PlaceOfService,
  diagnosisPointers: Schema.Array(Pointer).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(4))),
  /** The session the line was coded from. */
  sessionId: Schema.optional(SessionId)
}).annotate({ identifier: "ClaimLine" })

/**
 * @since 0.1.0
 */
export type Line = typeof Line.Type

/**
 * One adjustment a prior payer made (a CAS triplet as its 835 posted it): group (CO contractual, OA other, PI payer
 * initiated, PR patient responsibility), reason (CARC) and amount in cents.
 *
 * @since 0.1.0
 */
export const PriorAdjustment = Schema.Struct({
  group: Schema.Literals(["CO", "OA", "PI", "PR"]),
  reason: Schema.NonEmptyString,
  amount: Money
}).annotate({ identifier: "ClaimPriorAdjustment" })

/**
 * @since 0.1.0
 */
export type PriorAdjustment = typeof PriorAdjustment.Type

/**
 * What a prior payer did with a line (2430 SVD/CAS): `line` is the 0-based index of the claim's line; paid plus
 * the adjustments equals the line's charge.
 *
 * @since 0.1.0
 */
export const PriorLine = Schema.Struct({
  line: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  paid: Money,
  adjustments: Schema.Array(PriorAdjustment)
}).annotate({ identifier: "ClaimPriorLine" })

/**
 * @since 0.1.0
 */
export type PriorLine = typeof PriorLine.Type

/**
 * A payer that adjudicated the service before this claim's payer (coordination of benefits, 837P loops 2320/2330
 * and 2430): which coverage and payer, in which order, the claim it adjudicated, when, what it paid and adjusted at
 * claim level and per line. Paid, claim-level and line adjustments add up to the claim's charge.
 *
 * @since 0.1.0
 */
export const PriorPayer = Schema.Struct({
  /** The claim that payer adjudicated. */
  claimId: ClaimId,
  coverageId: CoverageId,
  payerId: PayerId,
  /** The coverage's order of benefits: 1 primary, 2 secondary. */
  order: Schema.Literals([1, 2, 3]),
  /** The payer's own claim number (CLP07), when it sent one. */
  payerClaimNumber: Schema.optional(Schema.NonEmptyString),
  /** The adjudication date (the 835's payment date, else the day it was posted). */
  adjudicatedOn: DateOfService,
  /** What it paid on the claim, lines included (AMT*D). */
  paid: Money,
  /** Claim-level adjustments (2320 CAS). */
  adjustments: Schema.Array(PriorAdjustment),
  /** Line-level adjudication (2430), empty when the payer adjudicated at claim level only. */
  lines: Schema.Array(PriorLine)
}).annotate({ identifier: "ClaimPriorPayer" })

/**
 * @since 0.1.0
 */
export type PriorPayer = typeof PriorPayer.Type

/**
 * @since 0.1.0
 */
export class Claim extends Schema.Class<Claim>("@openrcm/core/Claim")({
  id: ClaimId,
  tenantId: TenantId,
  patientId: PatientId,
  coverageId: CoverageId,
  payerId: PayerId,
  billingProviderId: OrganizationId,
  renderingClinicianId: ClinicianId,
  supervisingClinicianId: Schema.optional(ClinicianId),
  status: Status,
  frequency: Frequency,
  /** The first date of service of its lines: what A/R ages from. */
  serviceDate: DateOfService,
  placeOfService: PlaceOfService,
  /** ICD-10-CM codes, principal first (2300 HI): PHI. */
  diagnoses: Phi.field(Schema.Array(DiagnosisCode).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(12)))),
  lines: Schema.Array(Line).pipe(Schema.check(Schema.isMinLength(1), Schema.isMaxLength(50))),
  /** The sum of the lines' charges (CLM02). */
  charge: Money,
  /** What is still owed on it by payers; the patient's share moves to the patient's ledger. */
  balance: Money,
  priorAuthorization: Schema.optional(Schema.NonEmptyString),
  /** The payer's claim number of the claim a replacement or void refers to (REF F8). */
  payerClaimNumber: Schema.optional(Schema.NonEmptyString),
  /** The payers that adjudicated it before this claim's payer, in order (a secondary or tertiary claim). */
  priorPayers: Schema.optional(Schema.Array(PriorPayer)),
  createdAt: EpochMillis,
  submittedAt: Schema.optional(EpochMillis),
  /** Bumped by every change the store writes; a change names the version it read. */
  version: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
}) {}

/**
 * One move in a claim's history. `reasons` are codes (CARC, RARC, 999 error codes, scrub edits), never PHI.
 *
 * @since 0.1.0
 */
export const Event = Schema.Struct({
  claimId: ClaimId,
  at: EpochMillis,
  actor: Schema.String,
  from: Schema.optional(Status),
  to: Status,
  reasons: Schema.Array(Schema.String)
}).annotate({ identifier: "ClaimEvent" })

/**
 * @since 0.1.0
 */
export type Event = typeof Event.Type

/**
 * The legal moves of a claim's life. Front-end rejections go back to `draft` to be fixed; adjudicated claims move
 * among paid, partially paid and denied as the payer reprocesses them, and on to corrected (a replacement or void
 * was created), appealed or closed.
 *
 * Two moves go backwards on purpose: `submitted → ready`, when the clearinghouse never took the batch (it refused
 * it, or the sender gave up after its retries): the claim is back in the queue for a person to look at, and nothing
 * went to the payer; and `appealed → corrected`, when the payer answers an appeal with "send a corrected claim".
 *
 * @since 0.1.0
 */
export const moves: { readonly [S in Status]: ReadonlyArray<Status> } = {
  draft: ["scrubbed", "closed"],
  scrubbed: ["draft", "ready", "closed"],
  ready: ["draft", "submitted", "closed"],
  submitted: ["ready", "accepted", "rejected", "paid", "partially-paid", "denied"],
  accepted: ["rejected", "paid", "partially-paid", "denied"],
  rejected: ["draft", "closed"],
  paid: ["partially-paid", "denied", "corrected", "closed"],
  "partially-paid": ["paid", "denied", "corrected", "appealed", "closed"],
  denied: ["paid", "partially-paid", "corrected", "appealed", "closed"],
  corrected: ["closed"],
  appealed: ["paid", "partially-paid", "denied", "corrected", "closed"],
  closed: []
}

/**
 * True when a claim may move from one status to the other.
 *
 * @since 0.1.0
 */
export const canMove = (from: Status, to: Status): boolean => moves[from].includes(to)

/**
 * True when two versions of a claim say the same thing, whatever their status and version: an edit that changes
 * nothing (`Billing.updateClaim` writes nothing for it; an editor is not dirty).
 *
 * @since 0.1.0
 */
export const sameContent = (a: Claim, b: Claim): boolean =>
  JSON.stringify(new Claim({ ...a, status: b.status, version: b.version })) === JSON.stringify(b)

/**
 * A move the claim's life does not allow (submitting a draft, paying a closed claim).
 *
 * @since 0.1.0
 */
export class IllegalTransition extends Schema.TaggedError<IllegalTransition>()("IllegalTransition", {
  claimId: ClaimId,
  from: Status,
  to: Status
}) {
  override get message() {
    return `claim ${this.claimId}: cannot move from ${this.from} to ${this.to}`
  }
}
