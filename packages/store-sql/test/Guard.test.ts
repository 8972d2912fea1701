// Row-level security as the second wall: the Store's tables, reached with raw SQL and no Tenancy, show a role
// that RLS binds nothing without a tenant, only that tenant's rows with one, and refuse a row of another tenant.
// And the privilege guard of the server store: a superuser connection is refused unless allowed, with a warning.
import { describe, expect, it, layer } from "@effect/vitest"
import { type Ids, KeyProvider, Store } from "@openrcm/core"
import { Context, Effect, Exit, Layer, Logger, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as F from "../../core/test/store/fixtures.js"
import * as ServerStore from "../src/ServerStore.js"
import * as Tables from "../src/Tables.js"
import * as Tenancy from "../src/Tenancy.js"
import {
  admin,
  as,
  Backend,
  type BackendShape,
  masterKeys,
  pgliteBackend,
  serverBackend,
  store,
  withLayer
} from "./security.js"
import { freshSchema, serverClient, serverUrl, superuserUrl } from "./support.js"

const timeout = 60_000

/**
 * Raw SQL on the Store's own client, in a transaction as the role tenant transactions run as (`openrcm_app` on
 * the server; on PGlite, whose session is a superuser, the embedded tenant role), with `openrcm.tenant` set when
 * a tenant is given. No Tenancy, no Store.
 */
const raw = <A, E>(
  b: BackendShape,
  tenant: Ids.TenantId | undefined,
  body: (sql: SqlClient) => Effect.Effect<A, E>
) => {
  const sql = Context.get(b.db, SqlClient)
  return sql.withTransaction(
    Effect.gen(function* () {
      if (b.tenantRole !== undefined) yield* sql`set local role ${sql(b.tenantRole)}`
      if (tenant !== undefined) yield* sql`select set_config('openrcm.tenant', ${tenant}, true)`
      return yield* body(sql)
    })
  )
}

const count = (sql: SqlClient, table: string) =>
  Effect.map(sql<{ n: string }>`select count(*) as n from ${sql(table)}`.withoutTransform, (rows) => Number(rows[0]?.n))

const rlsSuite = (name: string, backend: Layer.Layer<Backend, unknown>) =>
  layer(Layer.provideMerge(store(), backend), { excludeTestServices: true, timeout })(name, (it) => {
    it.effect("every table of the Store has row-level security enabled and forced", () =>
      Effect.gen(function* () {
        const b = yield* Backend
        const rows = yield* admin(
          (sql) =>
            sql<{ name: string; rls: boolean; forced: boolean }>`select c.relname as name,
            c.relrowsecurity as rls, c.relforcerowsecurity as forced from pg_class c
            where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
            and c.relname in ${sql.in(Tables.tableNames)} order by 1`.withoutTransform
        )
        expect(rows.map((row) => row.name)).toEqual([...Tables.tableNames].sort())
        for (const row of rows) expect(row).toEqual({ name: row.name, rls: true, forced: true })
        if (b.tenantRole !== undefined) {
          const [role] = yield* admin(
            (sql) =>
              sql<{ super: boolean; bypass: boolean }>`select rolsuper as super, rolbypassrls as bypass
              from pg_roles where rolname = ${b.tenantRole as string}`.withoutTransform
          )
          expect(role).toEqual({ super: false, bypass: false })
        }
      })
    )

    it.effect("raw SQL without a tenant sees no row; with tenant A only A's; a row of B cannot be written as A", () =>
      Effect.gen(function* () {
        const b = yield* Backend
        const s = yield* Store.Store
        const a = F.tenantId("wall")
        const other = F.tenantId("wall")
        const pa1 = F.patient(a)
        const pa2 = F.patient(a)
        const pb = F.patient(other)
        yield* Effect.all([s.patients.put(pa1), s.patients.put(pa2)]).pipe(as(a))
        yield* s.patients.put(pb).pipe(as(other))
        // The rows are there (the superuser sees them).
        const [all] = yield* admin(
          (sql) =>
            sql<{ n: string }>`select count(*) as n from patients
            where tenant_id in (${a}, ${other})`.withoutTransform
        )
        expect(Number(all?.n)).toBe(3)

        // No tenant: nothing, in any table.
        for (const table of Tables.tableNames)
          expect([table, yield* raw(b, undefined, (sql) => count(sql, table))]).toEqual([table, 0])
        if (b.name === "server") {
          // Outside any transaction too: the app role's own connection, no setting at all.
          const sql = Context.get(b.db, SqlClient)
          expect(yield* count(sql, "patients")).toBe(0)
          expect(yield* count(sql, "tenant_keys")).toBe(0)
        }

        // Tenant A: only A's rows, whatever the query asks for.
        const seen = yield* raw(b, a, (sql) =>
          Effect.all({
            patients: sql<{ tenant_id: string; id: string }>`select tenant_id, id from patients order by id`
              .withoutTransform,
            keys: sql<{ tenant_id: string }>`select distinct tenant_id from tenant_keys`.withoutTransform,
            events: sql<{ tenant_id: string }>`select distinct tenant_id from audit_events`.withoutTransform,
            asked: sql<{ id: string }>`select id from patients where tenant_id = ${other}`.withoutTransform
          })
        )
        expect(seen.patients).toEqual([pa1.id, pa2.id].sort().map((id) => ({ tenant_id: a, id })))
        expect(seen.keys).toEqual([{ tenant_id: a }])
        expect(seen.events).toEqual([{ tenant_id: a }])
        expect(seen.asked).toEqual([])

        // Writing as A a row of B fails the policy's WITH CHECK; moving A's row to B too.
        const insert = yield* Effect.exit(
          raw(
            b,
            a,
            (sql) => sql`insert into patients (tenant_id, id, data) values (${other}, ${F.patientId()}, '{}'::jsonb)`
          )
        )
        expect(Exit.isFailure(insert)).toBe(true)
        expect(String(Exit.isFailure(insert) ? insert.cause : "")).toMatch(/row-level security|policy/i)
        const move = yield* Effect.exit(
          raw(b, a, (sql) => sql`update patients set tenant_id = ${other} where id = ${pa1.id}`)
        )
        expect(Exit.isFailure(move)).toBe(true)
        // Updating or deleting B's rows as A touches nothing.
        const touched = yield* raw(b, a, (sql) =>
          Effect.all([
            sql<{ id: string }>`update patients set data = '{}'::jsonb where tenant_id = ${other} returning id`
              .withoutTransform,
            sql<{ id: string }>`delete from patients where tenant_id = ${other} returning id`.withoutTransform,
            sql<{ id: string }>`delete from audit_events where tenant_id = ${other} returning tenant_id as id`
              .withoutTransform
          ])
        )
        expect(touched).toEqual([[], [], []])
        expect(yield* s.patients.get(pb.id).pipe(as(other))).toEqual(Option.some(pb))
        expect((yield* s.audit.verify().pipe(as(other)))._tag).toBe("Intact")
        expect(yield* s.patients.get(pa1.id).pipe(as(a))).toEqual(Option.some(pa1))
      })
    )
  })

describe("row-level security, the second wall", () => {
  rlsSuite("on PostgreSQL, as openrcm_app without Tenancy", serverBackend("rls"))
  rlsSuite("on PGlite, as the embedded tenant role without Tenancy", pgliteBackend())
})

describe("the server store's privilege guard", () => {
  const storeIn = (url: string, schema: string, allowPrivilegedRole?: boolean) =>
    ServerStore.layer({
      url,
      maxConnections: 1,
      startupParameters: { search_path: schema },
      allowPrivilegedRole
    }).pipe(Layer.provide(KeyProvider.layerStatic(masterKeys)))
  const asSuperuserIn = (schema: string, allowPrivilegedRole?: boolean) =>
    storeIn(superuserUrl, schema, allowPrivilegedRole)

  it.live(
    "refuses to build on a superuser connection with the typed PrivilegedRole error",
    () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema("guard_refused")
        const error = yield* Effect.flip(Effect.scoped(Layer.build(asSuperuserIn(schema))))
        expect(error).toBeInstanceOf(Tenancy.PrivilegedRole)
        expect(error).toMatchObject({ _tag: "PrivilegedRole", role: "postgres", superuser: true })
      }),
    timeout
  )

  it.live(
    "a refused superuser start changes nothing: the application role starts next on the same schema and owns every table",
    () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema("guard_untouched")
        yield* Effect.flip(Effect.scoped(Layer.build(asSuperuserIn(schema))))
        // The application role, started next on the same schema, can use it.
        const tenant = F.tenantId("after-refusal")
        const p = F.patient(tenant)
        const used = yield* Effect.exit(
          Effect.gen(function* () {
            const s = yield* Store.Store
            yield* s.patients.put(p).pipe(as(tenant))
            return yield* s.patients.get(p.id).pipe(as(tenant))
          }).pipe(withLayer(storeIn(serverUrl, schema)))
        )
        expect(Exit.isSuccess(used) ? used.value : String(used.cause)).toEqual(Option.some(p))
        const tables = yield* Effect.scoped(
          Effect.flatMap(
            SqlClient,
            (sql) =>
              sql<{ name: string; owner: string }>`select tablename as name, tableowner as owner from pg_tables
              where schemaname = ${schema} order by 1`.withoutTransform
          ).pipe(Effect.provide(serverClient(schema, { maxConnections: 1 })))
        )
        expect(tables.filter((table) => table.owner !== "openrcm_app")).toEqual([])
      }),
    timeout
  )

  it.live(
    "with allowPrivilegedRole it builds, logs a warning, and the store works",
    () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema("guard_allowed")
        const warnings: Array<string> = []
        const collect = Logger.make((options) => {
          if (options.logLevel === "Warn") warnings.push(String(options.message))
        })
        const tenant = F.tenantId("allowed")
        const p = F.patient(tenant)
        const result = yield* Effect.gen(function* () {
          const tenancy = yield* Tenancy.Tenancy
          const s = yield* Store.Store
          yield* s.patients.put(p).pipe(as(tenant))
          return { tenancy, read: yield* s.patients.get(p.id).pipe(as(tenant)) }
        }).pipe(withLayer(asSuperuserIn(schema, true)), Effect.provide(Logger.layer([collect])))
        expect(result.tenancy).toMatchObject({ connectedRole: "postgres", privileged: true })
        expect(result.read).toEqual(Option.some(p))
        expect(warnings.join("\n")).toContain("bypasses row-level security")
      }),
    timeout
  )
})
