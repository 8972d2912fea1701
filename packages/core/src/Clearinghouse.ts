/**
 * The Clearinghouse port: how OpenRCM talks to payers. This part is eligibility (270 out, 271 back);
 * claims, acknowledgements and remittances join it later. Adapters map every vendor failure to
 * `ClearinghouseError`, whose reasons say whether a retry may help; vendor types never cross the port.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema } from "effect"
import type { EligibilityRequest, EligibilityResponse } from "./Eligibility.js"

/**
 * @since 0.1.0
 */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", { afterMillis: Schema.Int }) {
  readonly retryable = true
}

/**
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", { detail: Schema.String }) {
  readonly retryable = true
}

/**
 * The clearinghouse refused the request itself (an unknown payer, bad credentials): retrying will not help.
 *
 * @since 0.1.0
 */
export class Refused extends Schema.TaggedError<Refused>()("Refused", { detail: Schema.String }) {
  readonly retryable = false
}

/**
 * @since 0.1.0
 */
export class ClearinghouseError extends Schema.TaggedError<ClearinghouseError>()("ClearinghouseError", {
  reason: Schema.Union([Timeout, Unavailable, Refused])
}) {
  get retryable(): boolean {
    return this.reason.retryable
  }
  override get message() {
    return `clearinghouse: ${this.reason._tag}`
  }
}

/**
 * @since 0.1.0
 */
export class Clearinghouse extends Context.Service<
  Clearinghouse,
  {
    /** Asks the payer about coverage; a payer's rejection (AAA) is a response, not an error. */
    readonly checkEligibility: (request: EligibilityRequest) => Effect.Effect<EligibilityResponse, ClearinghouseError>
  }
>()("@openrcm/core/Clearinghouse") {}
