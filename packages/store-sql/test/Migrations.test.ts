import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Embedded from "../src/Embedded.js"
import * as Migrations from "../src/Migrations.js"
import { freshSchema, serverClient } from "./support.js"

const applied = (sql: SqlClient) =>
  sql<{ migration_id: number; name: string }>`select migration_id, name from effect_sql_migrations order by 1`

describe("Migrations", () => {
  layer(Embedded.layer(), { excludeTestServices: true })("on PGlite", (it) => {
    it.effect("applies the placeholder list once, records it, and is then up to date", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        expect(yield* Migrations.runMigrations(Migrations.all)).toEqual([[1, "store_info"]])
        expect(yield* Migrations.runMigrations(Migrations.all)).toEqual([])
        expect(yield* applied(sql)).toEqual([{ migration_id: 1, name: "store_info" }])
        yield* sql`insert into store_info (key, value) values ('k', '{"v":1}'::jsonb)`
      })
    )

    it.effect("applies only ids above the highest recorded, in id order", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const step = (n: number) => Effect.asVoid(sql`insert into steps values (${n})`)
        const list: Migrations.Migrations = {
          "10_steps": Effect.asVoid(sql`create table steps (n int)`),
          "12_second": step(12),
          "11_first": step(11)
        }
        const table = "steps_migrations"
        expect(yield* Migrations.runMigrations(list, { table })).toEqual([
          [10, "steps"],
          [11, "first"],
          [12, "second"]
        ])
        const later = { ...list, "13_third": step(13), "5_too_late": step(5) }
        expect(yield* Migrations.runMigrations(later, { table })).toEqual([[13, "third"]])
        const rows = yield* sql<{ n: number }>`select n from steps order by ctid`
        expect(rows.map((r) => r.n)).toEqual([11, 12, 13])
      })
    )

    it.effect("rolls back the whole run when a migration fails", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const table = "failing_migrations"
        const error = yield* Effect.flip(
          Migrations.runMigrations(
            { "1_made": Effect.asVoid(sql`create table made (n int)`), "2_broken": Effect.asVoid(sql`select nope`) },
            { table }
          )
        )
        expect(error).toMatchObject({ _tag: "MigrationError", kind: "Failed" })
        const [row] = yield* sql<{ made: string | null }>`select to_regclass('made')::text as made`
        expect(row?.made).toBeNull()
      })
    )

    it.effect("refuses keys that are not <id>_<name>", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Migrations.runMigrations({ initial: Effect.void }, { table: "bad_keys" }))
        expect(error).toMatchObject({ _tag: "MigrationError", kind: "BadState" })
      })
    )
  })

  it.live(
    "two clients starting together on the server: one migrates, the other waits and finds nothing to do",
    () =>
      Effect.gen(function* () {
        const schema = yield* freshSchema("migrate")
        const migrations: Migrations.Migrations = {
          "1_log": Effect.flatMap(SqlClient, (sql) => sql`create table log (who text)`),
          // Slow enough that the second run arrives while the first holds the lock.
          "2_slow": Effect.flatMap(SqlClient, (sql) => sql`select pg_sleep(0.5); `),
          "3_mark": Effect.flatMap(SqlClient, (sql) => sql`insert into log values ('ran')`)
        }
        const run = Effect.scoped(
          Layer.build(serverClient(schema, { maxConnections: 2 })).pipe(
            Effect.flatMap((ctx) => Effect.provide(Migrations.runMigrations(migrations), ctx))
          )
        )
        const results = yield* Effect.all([run, run], { concurrency: "unbounded" })
        expect(results.map((r) => r.length).sort()).toEqual([0, 3])
        const rows = yield* Effect.scoped(
          Layer.build(serverClient(schema)).pipe(
            Effect.flatMap((ctx) =>
              Effect.provide(
                Effect.flatMap(SqlClient, (sql) => sql<{ who: string }>`select who from log`),
                ctx
              )
            )
          )
        )
        expect(rows).toEqual([{ who: "ran" }])
      }),
    30_000
  )
})
