/**
 * A patient. Names, date of birth, address and phone are PHI: marked in the schema, encrypted by the store,
 * and never written to logs or error messages.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Address } from "./Address.js"
import { DateOfService } from "./DateOfService.js"
import { PatientId, TenantId } from "./Ids.js"
import * as Phi from "./Phi.js"

/**
 * Administrative sex as X12 DMG03 carries it.
 *
 * @since 0.1.0
 */
export const Sex = Schema.Literals(["F", "M", "U"]).annotate({ identifier: "Sex" })

/**
 * @since 0.1.0
 */
export class Patient extends Schema.Class<Patient>("@openrcm/core/Patient")({
  id: PatientId,
  tenantId: TenantId,
  firstName: Phi.field(Schema.NonEmptyString),
  lastName: Phi.field(Schema.NonEmptyString),
  dateOfBirth: Phi.field(DateOfService),
  sex: Sex,
  address: Phi.field(Address),
  phone: Schema.optional(Phi.field(Schema.String))
}) {}

/**
 * The PHI fields of a patient.
 *
 * @since 0.1.0
 */
export const phiFields = Phi.fieldsOf(Patient)
