/**
 * Who is asking: the tenant a request acts for, the user or system behind it, and why (HIPAA's purpose of use).
 * Every Store operation reads it from the context, scopes its queries to the tenant and writes it into the audit
 * trail; an operation without a caller does not type-check.
 *
 * @since 0.1.0
 */
import { Context, Layer, Schema } from "effect"
import { TenantId } from "./Ids.js"

/**
 * @since 0.1.0
 */
export const Purpose = Schema.Literals(["treatment", "payment", "operations", "patient-request", "audit"]).annotate({
  identifier: "Purpose"
})

/**
 * @since 0.1.0
 */
export type Purpose = typeof Purpose.Type

/**
 * An actor is an opaque id of a user or a system job (`user:42`, `job:nightly-claims`), never a name.
 *
 * @since 0.1.0
 */
export const Actor = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/u, {
      expected: "an actor id of 1 to 128 letters, digits, '.', '_', ':', '@' or '-'"
    })
  )
).annotate({ identifier: "Actor" })

/**
 * @since 0.1.0
 */
export type Actor = typeof Actor.Type

/**
 * @since 0.1.0
 */
export const CallerInfo = Schema.Struct({ tenantId: TenantId, actor: Actor, purpose: Purpose }).annotate({
  identifier: "Caller"
})

/**
 * @since 0.1.0
 */
export type CallerInfo = typeof CallerInfo.Type

/**
 * @since 0.1.0
 */
export class Caller extends Context.Service<Caller, CallerInfo>()("@openrcm/core/Caller") {}

/**
 * Acts as this caller.
 *
 * @since 0.1.0
 */
export const layer = (caller: CallerInfo): Layer.Layer<Caller> => Layer.succeed(Caller, caller)
