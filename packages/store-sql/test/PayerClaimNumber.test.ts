// Migration 3 on a database that has claims already: every tenant's claims get their payer claim number from the
// stored record (as the owner, with row-level security forced again after), and the index is there.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Embedded from "../src/Embedded.js"
import * as Migrations from "../src/Migrations.js"
import * as Tables from "../src/Tables.js"
import { freshSchema, serverClient } from "./support.js"

const beforeThree: Migrations.Migrations = Object.fromEntries(
  Object.entries(Tables.migrations).filter(([key]) => Number.parseInt(key, 10) < 3)
)

const rows = [
  { tenant: "tenant-a", id: "clm-1", number: "ICN-1" },
  { tenant: "tenant-a", id: "clm-2", number: undefined },
  { tenant: "tenant-b", id: "clm-3", number: "ICN-3" }
] as const

const inTenant = <A, E>(sql: SqlClient, tenant: string, effect: Effect.Effect<A, E>) =>
  sql.withTransaction(Effect.flatMap(sql`select set_config('openrcm.tenant', ${tenant}, true)`, () => effect))

const upgrade = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* Migrations.runMigrations(beforeThree)
  for (const row of rows) {
    const data = JSON.stringify({ id: row.id, ...(row.number === undefined ? {} : { payerClaimNumber: row.number }) })
    yield* inTenant(
      sql,
      row.tenant,
      sql`insert into claims (tenant_id, id, status, payer_id, patient_id, service_date, balance, version, data)
        values (${row.tenant}, ${row.id}, 'paid', 'pay-1', 'pat-1', '2025-03-04', 0, 1, ${data}::jsonb)`
    )
  }
  expect(yield* Migrations.runMigrations(Tables.migrations)).toEqual([[3, "claims_payer_claim_number"]])
  const found: Array<{ id: string; payer_claim_number: string | null }> = []
  for (const tenant of ["tenant-a", "tenant-b"]) {
    found.push(
      ...(yield* inTenant(
        sql,
        tenant,
        sql<{ id: string; payer_claim_number: string | null }>`select id, payer_claim_number from claims
          where tenant_id = ${tenant} order by id`
      ))
    )
  }
  expect(found).toEqual(rows.map((row) => ({ id: row.id, payer_claim_number: row.number ?? null })))
  const [table] = yield* sql<{ forced: boolean }>`select relforcerowsecurity as forced from pg_class
    where oid = to_regclass('claims')`
  expect(table?.forced).toBe(true)
  const [index] = yield* sql<{ name: string | null }>`select to_regclass('claims_payer_claim_number')::text as name`
  expect(index?.name).toBe("claims_payer_claim_number")
})

describe("migration 3: claims by payer claim number", () => {
  it.live("on PGlite", () => upgrade.pipe(Effect.provide(Embedded.layer())), 60_000)

  it.live(
    "on the PostgreSQL server, as a role row-level security binds",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* freshSchema("pcn_migration")
          yield* upgrade.pipe(Effect.provide(Layer.fresh(serverClient(schema, { maxConnections: 1 }))))
        })
      ),
    60_000
  )
})
