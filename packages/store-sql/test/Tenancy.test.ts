import { describe, expect, it, layer, type Vitest } from "@effect/vitest"
import type { TenantId } from "@openrcm/core/Ids"
import { Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Embedded from "../src/Embedded.js"
import * as Migrations from "../src/Migrations.js"
import * as Tenancy from "../src/Tenancy.js"
import { serverInSchema } from "./support.js"

const tenant = (id: string) => id as TenantId

// A tenant-scoped table behind row-level security, as the Store's tables will be.
const notes: Migrations.Migrations = {
  "1_notes": Effect.gen(function* () {
    const sql = yield* SqlClient
    yield* sql`create table notes (id serial primary key, tenant_id text not null, body text not null)`
    yield* sql`alter table notes enable row level security`
    yield* sql`alter table notes force row level security`
    yield* sql`create policy tenant_isolation on notes
      using (tenant_id = current_setting('openrcm.tenant', true))
      with check (tenant_id = current_setting('openrcm.tenant', true))`
  }),
  "2_tenant_role": Tenancy.createTenantRole("openrcm_tenant")
}

const bodies = Effect.flatMap(SqlClient, (sql) => sql<{ body: string }>`select body from notes order by id`).pipe(
  Effect.map((rows) => rows.map((r) => r.body))
)
const add = (body: string, tenantId = "") =>
  Effect.flatMap(SqlClient, (sql) =>
    tenantId === ""
      ? sql`insert into notes (tenant_id, body) values (current_setting('openrcm.tenant'), ${body})`
      : sql`insert into notes (tenant_id, body) values (${tenantId}, ${body})`
  )

// Both backends pass the same checks; only how RLS gets to apply differs.
const isolationSuite = (it: Vitest.MethodsNonLive<SqlClient | Tenancy.Tenancy>) => {
  it.effect("each tenant reads and writes only its own rows", () =>
    Effect.gen(function* () {
      yield* Tenancy.withTenant(tenant("t-a"), Effect.all([add("a1"), add("a2")]))
      yield* Tenancy.withTenant(tenant("t-b"), add("b1"))
      expect(yield* Tenancy.withTenant(tenant("t-a"), bodies)).toEqual(["a1", "a2"])
      expect(yield* bodies.pipe(Tenancy.withTenant(tenant("t-b")))).toEqual(["b1"])
      expect(yield* Tenancy.withTenant(tenant("t-c"), bodies)).toEqual([])
      // Writing another tenant's row fails the policy's WITH CHECK.
      const exit = yield* Effect.exit(Tenancy.withTenant(tenant("t-a"), add("sneaky", "t-b")))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* Tenancy.withTenant(tenant("t-b"), bodies)).toEqual(["b1"])
    })
  )

  it.effect("a nested withTenant for the same tenant joins; another tenant or a foreign transaction is a defect", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const inner = yield* Tenancy.withTenant(
        tenant("t-n"),
        Effect.andThen(add("n1"), Tenancy.withTenant(tenant("t-n"), bodies))
      )
      expect(inner).toEqual(["n1"])
      const other = yield* Effect.exit(Tenancy.withTenant(tenant("t-n"), Tenancy.withTenant(tenant("t-m"), bodies)))
      expect(Exit.hasDies(other)).toBe(true)
      const foreign = yield* Effect.exit(sql.withTransaction(Tenancy.withTenant(tenant("t-n"), bodies)))
      expect(Exit.hasDies(foreign)).toBe(true)
    })
  )

  it.effect("the setting and the role end with the transaction", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const { connectedRole, tenantRole } = yield* Tenancy.Tenancy
      const inside = yield* Tenancy.withTenant(
        tenant("t-x"),
        sql<{ t: string; r: string }>`select current_setting('openrcm.tenant', true) as t, current_user as r`
      )
      expect(inside).toEqual([{ t: "t-x", r: tenantRole ?? connectedRole }])
      const [after] = yield* sql<{ t: string | null; r: string }>`
        select nullif(current_setting('openrcm.tenant', true), '') as t, current_user as r`
      expect(after).toEqual({ t: null, r: connectedRole })
    })
  )
}

describe("Tenancy", () => {
  const onServer = serverInSchema("tenancy", { maxConnections: 4 })

  layer(Layer.provideMerge(Tenancy.layer(), Layer.provideMerge(Migrations.layer(notes), onServer)), {
    excludeTestServices: true
  })("on the server, connected as a role without privileges", (it) => {
    isolationSuite(it)

    it.effect("concurrent fibers of different tenants on a pool of 4 each see only their own rows", () =>
      Effect.gen(function* () {
        const tenants = ["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"]
        yield* Effect.forEach(
          tenants,
          (t) => Tenancy.withTenant(tenant(t), Effect.all([add(`${t}:x`), add(`${t}:y`)])),
          {
            concurrency: "unbounded"
          }
        )
        const seen = yield* Effect.forEach(
          [...tenants, ...tenants],
          (t) =>
            Tenancy.withTenant(
              tenant(t),
              Effect.gen(function* () {
                const sql = yield* SqlClient
                const before = yield* bodies
                // Hold the connection while the others run.
                yield* sql`select pg_sleep(0.05)`
                const after = yield* bodies
                return { t, before, after }
              })
            ),
          { concurrency: "unbounded" }
        )
        for (const { t, before, after } of seen) {
          expect(before).toEqual([`${t}:x`, `${t}:y`])
          expect(after).toEqual(before)
        }
      })
    )

    it.effect("without withTenant the role sees nothing", () =>
      Effect.gen(function* () {
        yield* Tenancy.withTenant(tenant("t-z"), add("z1"))
        expect(yield* bodies).toEqual([])
      })
    )
  })

  layer(
    Layer.provideMerge(
      Tenancy.layer({ tenantRole: "openrcm_tenant" }),
      Layer.provideMerge(Migrations.layer(notes), serverInSchema("tenancy_role", { maxConnections: 2 }))
    ),
    { excludeTestServices: true }
  )("on the server, switching to a tenant role", (it) => {
    isolationSuite(it)
  })

  layer(
    Layer.provideMerge(
      Tenancy.layer({ tenantRole: "openrcm_tenant" }),
      Layer.provideMerge(Migrations.layer(notes), Embedded.layer())
    ),
    { excludeTestServices: true }
  )("on PGlite, where the session is a superuser, switching to a tenant role", (it) => {
    isolationSuite(it)

    it.effect("the connection itself is a superuser and sees every row", () =>
      Effect.gen(function* () {
        const { connectedRole, privileged } = yield* Tenancy.Tenancy
        expect(connectedRole).toBe("postgres")
        expect(privileged).toBe(false)
        yield* Tenancy.withTenant(tenant("s-1"), add("s1"))
        yield* Tenancy.withTenant(tenant("s-2"), add("s2"))
        const all = yield* bodies
        expect(all).toEqual(expect.arrayContaining(["s1", "s2"]))
      })
    )
  })

  describe("the privilege guard", () => {
    it.live("refuses PGlite's superuser without a tenant role", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Effect.scoped(Layer.build(Tenancy.layer().pipe(Layer.provide(Embedded.layer()))))
        )
        expect(error).toMatchObject({ _tag: "PrivilegedRole", role: "postgres", superuser: true })
      })
    )

    it.live("refuses a tenant role that does not exist", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Effect.scoped(
            Layer.build(Tenancy.layer({ tenantRole: "openrcm_nobody" }).pipe(Layer.provide(serverInSchema("guard"))))
          )
        )
        expect(error).toMatchObject({ _tag: "TenantRoleUnusable", role: "openrcm_nobody", reason: "Missing" })
      })
    )
  })
})
