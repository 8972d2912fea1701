/**
 * Tenant-scoped transactions, the database's half of tenant isolation. `withTenant(tenantId, effect)` runs the
 * effect in one transaction that first sets `openrcm.tenant` (transaction-local), which row-level security
 * policies read: `USING (tenant_id = current_setting('openrcm.tenant', true))`. With a `tenantRole`, the
 * transaction also switches to that role (`SET LOCAL ROLE`), so policies apply even when the connection's own
 * role is a superuser, as it always is on PGlite.
 *
 * Row-level security does not bind a superuser or a BYPASSRLS role. The `layer` refuses to start when the role
 * tenant transactions would run as is one, unless `allowPrivilegedRole` says so (then it logs a warning).
 *
 * @since 0.1.0
 */
import type { TenantId } from "@openrcm/core/Ids"
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"

/**
 * @since 0.1.0
 */
export interface Options {
  /**
   * A role without SUPERUSER or BYPASSRLS that every tenant transaction switches to with `SET LOCAL ROLE`; the
   * connecting role must be a member of it (a superuser always is). Create it with `createTenantRole`.
   */
  readonly tenantRole?: string | undefined
  /** Start even when tenant transactions would run as a superuser or BYPASSRLS role (logs a warning). */
  readonly allowPrivilegedRole?: boolean | undefined
}

/**
 * The role tenant transactions would run as bypasses row-level security.
 *
 * @since 0.1.0
 */
export class PrivilegedRole extends Schema.TaggedError<PrivilegedRole>()("PrivilegedRole", {
  role: Schema.String,
  superuser: Schema.Boolean,
  bypassRls: Schema.Boolean
}) {
  readonly retryable = false
  override get message() {
    return `role ${this.role} bypasses row-level security (${this.superuser ? "superuser" : "BYPASSRLS"}); connect as another role, set tenantRole, or pass allowPrivilegedRole: true`
  }
}

/**
 * The configured `tenantRole` does not exist, or the connecting role may not switch to it.
 *
 * @since 0.1.0
 */
export class TenantRoleUnusable extends Schema.TaggedError<TenantRoleUnusable>()("TenantRoleUnusable", {
  role: Schema.String,
  reason: Schema.Literals(["Missing", "NotMember"])
}) {
  readonly retryable = false
  override get message() {
    return this.reason === "Missing"
      ? `tenant role ${this.role} does not exist`
      : `the connecting role is not a member of tenant role ${this.role}`
  }
}

/**
 * @since 0.1.0
 */
export type TenancyError = PrivilegedRole | TenantRoleUnusable

/**
 * What the guard found at start: who connects, and who tenant transactions run as.
 *
 * @since 0.1.0
 */
export interface Tenancy {
  readonly connectedRole: string
  readonly tenantRole: string | undefined
  /** True when tenant transactions run as a role that bypasses row-level security (allowed by option). */
  readonly privileged: boolean
  /** `withTenant` on the client the guard checked. */
  readonly withTenant: <A, E, R>(
    tenantId: TenantId,
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | SqlError, R>
}

/**
 * @since 0.1.0
 */
export const Tenancy = Context.Service<Tenancy>("@openrcm/store-sql/Tenancy")

/**
 * The tenant of the transaction the current fiber is in, if any (set by `withTenant`).
 *
 * @since 0.1.0
 */
export const CurrentTenant = Context.Reference<TenantId | undefined>("@openrcm/store-sql/CurrentTenant", {
  defaultValue: () => undefined
})

const rolePattern = /^[a-z_][a-z0-9_]{0,62}$/

const checkRoleName = (role: string) =>
  rolePattern.test(role)
    ? Effect.void
    : Effect.die(new Error(`tenant role name must match ${rolePattern}: ${JSON.stringify(role)}`))

interface RoleRow {
  readonly rolname: string
  readonly rolsuper: boolean
  readonly rolbypassrls: boolean
  readonly member: boolean
}

const guard = Effect.fn("Tenancy.guard")(function* (options: Options) {
  const sql = yield* SqlClient
  const [connected] = yield* sql<RoleRow>`
    select rolname, rolsuper, rolbypassrls, true as member from pg_roles where rolname = current_user`.withoutTransform
  if (connected === undefined) return yield* Effect.die(new Error("current_user is not in pg_roles"))
  let effective = connected
  if (options.tenantRole !== undefined) {
    yield* checkRoleName(options.tenantRole)
    const [row] = yield* sql<RoleRow>`
      select rolname, rolsuper, rolbypassrls, pg_has_role(current_user, oid, 'MEMBER') as member
      from pg_roles where rolname = ${options.tenantRole}`.withoutTransform
    if (row === undefined) return yield* new TenantRoleUnusable({ role: options.tenantRole, reason: "Missing" })
    if (!row.member) return yield* new TenantRoleUnusable({ role: options.tenantRole, reason: "NotMember" })
    effective = row
  }
  const privileged = effective.rolsuper || effective.rolbypassrls
  if (privileged) {
    const error = new PrivilegedRole({
      role: effective.rolname,
      superuser: effective.rolsuper,
      bypassRls: effective.rolbypassrls
    })
    if (options.allowPrivilegedRole !== true) return yield* error
    yield* Effect.logWarning(`${error.message}; allowed by allowPrivilegedRole, tenant isolation rests on queries`)
  }
  const tenantRole = options.tenantRole
  const withTenant = <A, E, R>(tenantId: TenantId, effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      const current = yield* CurrentTenant
      if (current !== undefined) {
        if (current === tenantId) return yield* effect
        return yield* Effect.die(new Error("withTenant: nested in a transaction of another tenant"))
      }
      if (tenantId.length === 0) return yield* Effect.die(new Error("withTenant: empty tenant id"))
      if ((yield* Effect.serviceOption(sql.transactionService))._tag === "Some") {
        return yield* Effect.die(new Error("withTenant: inside a transaction it did not open"))
      }
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`select set_config('openrcm.tenant', ${tenantId}, true)`
          if (tenantRole !== undefined) yield* sql`set local role ${sql(tenantRole)}`
          return yield* Effect.provideService(effect, CurrentTenant, tenantId)
        })
      )
    })
  return Tenancy.of({ connectedRole: connected.rolname, tenantRole, privileged, withTenant })
})

/**
 * Checks the roles (see `Options`) and provides `Tenancy`. Build it after the migrations that create the
 * tenant role.
 *
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<Tenancy, TenancyError | SqlError, SqlClient> =>
  Layer.effect(Tenancy, guard(options))

/**
 * Runs `effect` in a transaction scoped to `tenantId`. Inside it, a nested `withTenant` for the same tenant just
 * runs its effect (no new transaction); one for another tenant, or a `withTenant` inside a transaction it did not
 * open, is a defect: the tenant would leak into the enclosing transaction.
 *
 * @since 0.1.0
 */
export const withTenant: {
  (tenantId: TenantId): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R | Tenancy>
  <A, E, R>(tenantId: TenantId, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R | Tenancy>
} = (...args: [TenantId] | [TenantId, Effect.Effect<unknown, unknown, unknown>]) => {
  const [tenantId] = args
  const run = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Tenancy.use((tenancy) => tenancy.withTenant(tenantId, effect))
  return (args.length === 1 ? run : run(args[1])) as never
}

/**
 * A migration step that creates `role` (NOLOGIN, no SUPERUSER, no BYPASSRLS) when it does not exist, and grants
 * it the use of `schema`'s tables and sequences, now and for tables the migrating role creates there later.
 * Creating a role needs CREATEROLE (PGlite's superuser has it); on a server it is usually created beforehand.
 *
 * @since 0.1.0
 */
export const createTenantRole = (role: string, schema?: string): Effect.Effect<void, SqlError, SqlClient> =>
  Effect.gen(function* () {
    yield* checkRoleName(role)
    const sql = yield* SqlClient
    const [{ exists } = { exists: false }] = yield* sql<{ exists: boolean }>`
      select exists (select from pg_roles where rolname = ${role}) as exists`.withoutTransform
    if (!exists) yield* sql`create role ${sql(role)} nologin nosuperuser nobypassrls`
    const [current] = yield* sql<{ name: string }>`select current_schema() as name`.withoutTransform
    const name = schema ?? current?.name
    if (name === undefined) return yield* Effect.die(new Error("createTenantRole: no current schema"))
    const s = sql(name)
    yield* sql`grant usage on schema ${s} to ${sql(role)}`
    yield* sql`grant select, insert, update, delete on all tables in schema ${s} to ${sql(role)}`
    yield* sql`grant usage, select on all sequences in schema ${s} to ${sql(role)}`
    yield* sql`alter default privileges in schema ${s} grant select, insert, update, delete on tables to ${sql(role)}`
    yield* sql`alter default privileges in schema ${s} grant usage, select on sequences to ${sql(role)}`
  })
