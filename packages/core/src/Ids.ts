/**
 * Branded identifiers. An id is an opaque, non-empty string of at most 64 safe characters; the brand keeps a
 * `ClaimId` from being passed where a `PatientId` is expected.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const IdString = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/u, {
      expected: "an id of 1 to 64 letters, digits, '.', '_', ':' or '-'"
    })
  )
)

/** @since 0.1.0 */
export const TenantId = IdString.pipe(Schema.brand("TenantId")).annotate({ identifier: "TenantId" })
/** @since 0.1.0 */
export type TenantId = typeof TenantId.Type

/** @since 0.1.0 */
export const OrganizationId = IdString.pipe(Schema.brand("OrganizationId")).annotate({ identifier: "OrganizationId" })
/** @since 0.1.0 */
export type OrganizationId = typeof OrganizationId.Type

/** @since 0.1.0 */
export const ClinicianId = IdString.pipe(Schema.brand("ClinicianId")).annotate({ identifier: "ClinicianId" })
/** @since 0.1.0 */
export type ClinicianId = typeof ClinicianId.Type

/** @since 0.1.0 */
export const PatientId = IdString.pipe(Schema.brand("PatientId")).annotate({ identifier: "PatientId" })
/** @since 0.1.0 */
export type PatientId = typeof PatientId.Type

/** @since 0.1.0 */
export const PayerId = IdString.pipe(Schema.brand("PayerId")).annotate({ identifier: "PayerId" })
/** @since 0.1.0 */
export type PayerId = typeof PayerId.Type

/** @since 0.1.0 */
export const CoverageId = IdString.pipe(Schema.brand("CoverageId")).annotate({ identifier: "CoverageId" })
/** @since 0.1.0 */
export type CoverageId = typeof CoverageId.Type

/** @since 0.1.0 */
export const SessionId = IdString.pipe(Schema.brand("SessionId")).annotate({ identifier: "SessionId" })
/** @since 0.1.0 */
export type SessionId = typeof SessionId.Type

/** @since 0.1.0 */
export const AuthorizationId = IdString.pipe(Schema.brand("AuthorizationId")).annotate({
  identifier: "AuthorizationId"
})
/** @since 0.1.0 */
export type AuthorizationId = typeof AuthorizationId.Type

/** @since 0.1.0 */
export const ClaimId = IdString.pipe(Schema.brand("ClaimId")).annotate({ identifier: "ClaimId" })
/** @since 0.1.0 */
export type ClaimId = typeof ClaimId.Type

/** @since 0.1.0 */
export const RemittanceId = IdString.pipe(Schema.brand("RemittanceId")).annotate({ identifier: "RemittanceId" })
/** @since 0.1.0 */
export type RemittanceId = typeof RemittanceId.Type
