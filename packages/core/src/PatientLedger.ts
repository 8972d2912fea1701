/**
 * A patient's ledger: what the patient owes and paid, entry by entry. Patient responsibility arrives from
 * remittances by bucket (deductible, coinsurance, copay); payments and adjustments follow. The balance is the
 * sum of its entries: charges positive, payments and write-offs negative.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { ClaimId, PatientId, RemittanceId, TenantId } from "./Ids.js"
import { EpochMillis } from "./Instant.js"
import { Money } from "./Money.js"

/**
 * @since 0.1.0
 */
export const Kind = Schema.Literals([
  "deductible",
  "coinsurance",
  "copay",
  "self-pay",
  "fee",
  "payment",
  "adjustment"
]).annotate({ identifier: "PatientLedgerKind" })

/**
 * @since 0.1.0
 */
export type Kind = typeof Kind.Type

/**
 * @since 0.1.0
 */
export class Entry extends Schema.Class<Entry>("@openrcm/core/PatientLedger/Entry")({
  id: Schema.NonEmptyString,
  tenantId: TenantId,
  patientId: PatientId,
  kind: Kind,
  amount: Money,
  claimId: Schema.optional(ClaimId),
  remittanceId: Schema.optional(RemittanceId),
  at: EpochMillis
}) {}
