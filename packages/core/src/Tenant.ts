/**
 * A tenant: one practice or agency using OpenRCM, whose data never mixes with another's. Its settings are the
 * practice's own choices that rule packs leave to it: the time zone its dates of service are read in, the fees
 * for late cancellations and no-shows, how fresh an eligibility answer must be, and authorization alert
 * thresholds that override the payer packs'.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { TenantId } from "./Ids.js"
import { Money } from "./Money.js"

const Positive = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

/**
 * @since 0.1.0
 */
export const Settings = Schema.Struct({
  /** An IANA time zone such as `America/Chicago`. */
  timeZone: Schema.NonEmptyString,
  fees: Schema.optional(Schema.Struct({ lateCancel: Schema.optional(Money), noShow: Schema.optional(Money) })),
  eligibilityMaxAgeMinutes: Schema.optional(Positive),
  authorizationAlerts: Schema.optional(
    Schema.Struct({
      days: Schema.optional(Positive),
      sessions: Schema.optional(Positive),
      turnaroundDays: Schema.optional(Positive)
    })
  )
}).annotate({ identifier: "TenantSettings" })

/**
 * @since 0.1.0
 */
export type Settings = typeof Settings.Type

/**
 * @since 0.1.0
 */
export class Tenant extends Schema.Class<Tenant>("@openrcm/core/Tenant")({
  id: TenantId,
  name: Schema.NonEmptyString,
  settings: Settings
}) {}
