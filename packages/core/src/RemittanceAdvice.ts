/**
 * A remittance advice as it crosses the Clearinghouse port: one payment (an 835 transaction's BPR and TRN) and
 * what it pays, claim by claim (CLP) and line by line (SVC), with every adjustment (CAS) and the provider-level
 * adjustments (PLB). Adapters read their format (X12 835, a vendor's JSON) into this; posting
 * (`Billing.postRemittance`) reads nothing else. Amounts are integer cents: a positive adjustment reduces the
 * payment, a negative one increases it.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import { Money } from "./Money.js"
import * as Phi from "./Phi.js"

/**
 * A CAS adjustment: group (CO contractual, PR patient responsibility, OA other, PI payer initiated; CR before
 * 5010), reason (CARC), amount and an optional quantity.
 *
 * @since 0.1.0
 */
export const Adjustment = Schema.Struct({
  group: Schema.String,
  reason: Schema.String,
  amount: Money,
  quantity: Schema.optional(Schema.Number)
}).annotate({ identifier: "RemittanceAdjustment" })

/**
 * @since 0.1.0
 */
export type Adjustment = typeof Adjustment.Type

/**
 * A procedure as the payer names it (SVC01 or SVC06): the code and its modifiers.
 *
 * @since 0.1.0
 */
export const Procedure = Schema.Struct({
  code: Schema.String,
  modifiers: Schema.Array(Schema.String)
}).annotate({ identifier: "RemittanceProcedure" })

/**
 * @since 0.1.0
 */
export type Procedure = typeof Procedure.Type

/**
 * A service line's payment (2110 SVC): the procedure as adjudicated (and as submitted when the payer changed it),
 * charge, paid, units, date, adjustments, remark codes (LQ*HE) and the line's control number (REF*6R).
 *
 * @since 0.1.0
 */
export const ServiceLine = Schema.Struct({
  procedure: Procedure,
  /** SVC06: the procedure as submitted, when the payer adjudicated another. */
  submittedProcedure: Schema.optional(Procedure),
  charge: Money,
  paid: Money,
  units: Schema.Number,
  dateOfService: Schema.optional(DateOfService),
  adjustments: Schema.Array(Adjustment),
  remarks: Schema.Array(Schema.String),
  controlNumber: Schema.optional(Schema.String),
  /** AMT*B6: informational, not part of balancing. */
  allowed: Schema.optional(Money)
}).annotate({ identifier: "RemittanceServiceLine" })

/**
 * @since 0.1.0
 */
export type ServiceLine = typeof ServiceLine.Type

/**
 * The patient as the payer names it (NM1*QC): PHI.
 *
 * @since 0.1.0
 */
export const Patient = Schema.Struct({
  lastName: Schema.optional(Schema.String),
  firstName: Schema.optional(Schema.String),
  /** NM109 with qualifier MI (or the insured's member id). */
  memberId: Schema.optional(Schema.String)
}).annotate({ identifier: "RemittancePatient" })

/**
 * @since 0.1.0
 */
export type Patient = typeof Patient.Type

/**
 * A claim's payment (2100 CLP). `patientControlNumber` is CLP01, the claim id sent in CLM01. `status` is CLP02:
 * 1/2/3 processed as primary/secondary/tertiary, 4 denied, 19/20/21 processed and forwarded, 22 reversal of a
 * previous payment, 23 not our claim, 25 predetermination.
 *
 * @since 0.1.0
 */
export const ClaimPayment = Schema.Struct({
  patientControlNumber: Schema.String,
  status: Schema.String,
  charge: Money,
  paid: Money,
  /** CLP05 as sent; the sum of the PR adjustments is authoritative. */
  patientResponsibility: Schema.optional(Money),
  /** CLP07: the payer's claim number. */
  payerClaimNumber: Schema.optional(Schema.String),
  /** CLP09: 1 original, 7 replacement, 8 void. */
  frequency: Schema.optional(Schema.String),
  patient: Schema.optional(Phi.field(Patient)),
  /** DTM*232 and DTM*233. */
  statementFrom: Schema.optional(DateOfService),
  statementTo: Schema.optional(DateOfService),
  /** Claim-level CAS. */
  adjustments: Schema.Array(Adjustment),
  /** MOA and MIA remark codes. */
  remarks: Schema.Array(Schema.String),
  lines: Schema.Array(ServiceLine)
}).annotate({ identifier: "RemittanceClaimPayment" })

/**
 * @since 0.1.0
 */
export type ClaimPayment = typeof ClaimPayment.Type

/**
 * A provider-level adjustment (PLB): reason (WO overpayment recovery, L6 interest, FB forwarding balance, 72, CV,
 * ...), its reference and amount (positive reduces the payment).
 *
 * @since 0.1.0
 */
export const ProviderAdjustment = Schema.Struct({
  reason: Schema.String,
  reference: Schema.optional(Schema.String),
  amount: Money,
  /** PLB01: the provider's identifier. */
  provider: Schema.optional(Schema.String)
}).annotate({ identifier: "RemittanceProviderAdjustment" })

/**
 * @since 0.1.0
 */
export type ProviderAdjustment = typeof ProviderAdjustment.Type

/**
 * The payment (BPR) and its trace (TRN). `amount` is signed: a debit (BPR03 `D`) is negative.
 *
 * @since 0.1.0
 */
export const Payment = Schema.Struct({
  /** BPR01: I remittance and payment, H notification only, C payment only, ... */
  handling: Schema.String,
  /** BPR04: ACH, CHK, BOP, FWT, NON. */
  method: Schema.String,
  amount: Money,
  date: Schema.optional(DateOfService),
  /** TRN02: the check or EFT trace number. */
  traceNumber: Schema.String
}).annotate({ identifier: "RemittancePayment" })

/**
 * @since 0.1.0
 */
export type Payment = typeof Payment.Type

/**
 * @since 0.1.0
 */
export const RemittanceAdvice = Schema.Struct({
  /** Hex SHA-256 of the content it was read from: the same file twice is recognised and posted once. */
  contentHash: Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9a-f]{64}$/u, { expected: "a SHA-256 hex" }))),
  payer: Schema.Struct({ name: Schema.String, id: Schema.optional(Schema.String) }),
  payee: Schema.Struct({ name: Schema.optional(Schema.String), npi: Schema.optional(Schema.String) }),
  payment: Payment,
  claims: Schema.Array(ClaimPayment),
  providerAdjustments: Schema.Array(ProviderAdjustment)
}).annotate({ identifier: "RemittanceAdvice" })

/**
 * @since 0.1.0
 */
export type RemittanceAdvice = typeof RemittanceAdvice.Type
