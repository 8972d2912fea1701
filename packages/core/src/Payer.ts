/**
 * A payer: who pays the claim, its X12 payer id, its kind, and the rule pack that holds its billing rules.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { UsState } from "./Address.js"
import { PayerId, TenantId } from "./Ids.js"

/**
 * @since 0.1.0
 */
export const PayerKind = Schema.Union([
  Schema.TaggedStruct("Medicare", {}),
  Schema.TaggedStruct("MedicareAdvantage", {}),
  Schema.TaggedStruct("Medicaid", { state: UsState, program: Schema.NonEmptyString }),
  Schema.TaggedStruct("Commercial", {}),
  Schema.TaggedStruct("SelfPay", {})
]).annotate({ identifier: "PayerKind" })

/**
 * @since 0.1.0
 */
export type PayerKind = typeof PayerKind.Type

/**
 * @since 0.1.0
 */
export class Payer extends Schema.Class<Payer>("@openrcm/core/Payer")({
  id: PayerId,
  tenantId: TenantId,
  name: Schema.NonEmptyString,
  /** The id the clearinghouse routes on (2010BB NM109). Absent for self-pay. */
  x12PayerId: Schema.optional(Schema.NonEmptyString),
  kind: PayerKind,
  /** The rule pack (the most specific layer) whose chain codes and scrubs this payer's claims. */
  rulePack: Schema.NonEmptyString
}) {}
