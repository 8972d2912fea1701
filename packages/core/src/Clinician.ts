/**
 * A clinician: type-1 NPI, the credential they bill under, state licenses, and who supervises them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { UsState } from "./Address.js"
import { Credential } from "./Credential.js"
import { DateOfService, DateRange } from "./DateOfService.js"
import { ClinicianId, TenantId } from "./Ids.js"
import { Npi } from "./Npi.js"
import { Taxonomy } from "./Organization.js"

/**
 * @since 0.1.0
 */
export const License = Schema.Struct({
  state: UsState,
  number: Schema.NonEmptyString,
  credential: Credential,
  expires: Schema.optional(DateOfService)
}).annotate({ identifier: "License" })

/**
 * A period during which `supervisorId` supervises this clinician (an associate, intern or incident-to service).
 *
 * @since 0.1.0
 */
export const Supervision = Schema.Struct({
  supervisorId: ClinicianId,
  period: DateRange
}).annotate({ identifier: "Supervision" })

/**
 * @since 0.1.0
 */
export class Clinician extends Schema.Class<Clinician>("@openrcm/core/Clinician")({
  id: ClinicianId,
  tenantId: TenantId,
  npi: Npi,
  firstName: Schema.NonEmptyString,
  lastName: Schema.NonEmptyString,
  credential: Credential,
  taxonomy: Taxonomy,
  licenses: Schema.Array(License),
  supervisedBy: Schema.Array(Supervision)
}) {}

/**
 * The clinician's supervisor on a date, if any.
 *
 * @since 0.1.0
 */
export const supervisorOn = (clinician: Clinician, date: DateOfService): ClinicianId | undefined =>
  clinician.supervisedBy.find((s) => s.period.start <= date && date <= s.period.end)?.supervisorId

/**
 * True when the clinician holds an unexpired license in the state on the date.
 *
 * @since 0.1.0
 */
export const isLicensedOn = (clinician: Clinician, state: UsState, date: DateOfService): boolean =>
  clinician.licenses.some((l) => l.state === state && (l.expires === undefined || date <= l.expires))
