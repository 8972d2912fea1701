/**
 * The billing organization: the practice or agency that bills, with its type-2 NPI, tax id and taxonomy.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Address } from "./Address.js"
import { OrganizationId, TenantId } from "./Ids.js"
import { Npi } from "./Npi.js"

/**
 * A federal tax id (EIN) as nine digits, without the dash.
 *
 * @since 0.1.0
 */
export const Tin = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{9}$/u, { expected: "a tax id of 9 digits, without the dash" })),
  Schema.brand("Tin")
).annotate({ identifier: "Tin" })

/**
 * A NUCC health care provider taxonomy code, such as `101YM0800X` (mental health counselor).
 *
 * @since 0.1.0
 */
export const Taxonomy = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{3}[A-Z0-9]{6}X$/u, { expected: "a 10-character NUCC taxonomy code" })),
  Schema.brand("Taxonomy")
).annotate({ identifier: "Taxonomy" })

/**
 * @since 0.1.0
 */
export type Taxonomy = typeof Taxonomy.Type

/**
 * Where services are billed from; RHCs and FQHCs follow their own telehealth rules.
 *
 * @since 0.1.0
 */
export const FacilityType = Schema.Literals(["office", "cmhc", "fqhc", "rhc", "hospital-outpatient"]).annotate({
  identifier: "FacilityType"
})

/**
 * @since 0.1.0
 */
export type FacilityType = typeof FacilityType.Type

/**
 * @since 0.1.0
 */
export class Organization extends Schema.Class<Organization>("@openrcm/core/Organization")({
  id: OrganizationId,
  tenantId: TenantId,
  name: Schema.NonEmptyString,
  npi: Npi,
  tin: Tin,
  taxonomy: Taxonomy,
  facilityType: FacilityType,
  address: Address
}) {}
