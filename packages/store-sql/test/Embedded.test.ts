import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Embedded from "../src/Embedded.js"

describe("Embedded", () => {
  layer(Embedded.layer(), { excludeTestServices: true })("in memory, on a unix socket", (it) => {
    it.effect("answers queries through @effect/sql-pg", () =>
      Effect.gen(function* () {
        const { address } = yield* Embedded.Embedded
        expect(address._tag).toBe("Unix")
        const sql = yield* SqlClient
        const [row] = yield* sql<{ one: number; user: string }>`select 1::int4 as one, current_user as user`
        expect(row).toEqual({ one: 1, user: "postgres" })
      })
    )

    it.effect("passes jsonb as an object both ways (PgClient.json in, parsed value out)", () =>
      Effect.gen(function* () {
        const sql = yield* PgClient.PgClient
        const value = { a: 1, list: ["x", null], nested: { ok: true } }
        const [row] = yield* sql<{
          j: unknown
          t: string
        }>`select ${sql.json(value)} as j, ${sql.json(value)}::text as t`
        expect(row?.j).toEqual(value)
        expect(JSON.parse(row?.t ?? "")).toEqual(value)
      })
    )

    it.effect("has one connection: a transaction and a query outside it take turns", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create temp table turns (n int)`
        const inTx = sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`insert into turns values (1)`
            yield* Effect.sleep("50 millis")
            yield* sql`insert into turns values (2)`
          })
        )
        const outside = Effect.andThen(Effect.sleep("10 millis"), sql`insert into turns values (3)`)
        yield* Effect.all([inTx, outside], { concurrency: "unbounded" })
        const rows = yield* sql<{ n: number }>`select n from turns order by ctid`
        expect(rows.map((r) => r.n)).toEqual([1, 2, 3])
      })
    )

    it.effect("recovers when a query is interrupted or the connection breaks (COPY is not supported)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const slow = yield* Effect.timeoutOption(sql`select pg_sleep(2)`, "100 millis")
        expect(slow._tag).toBe("None")
        const [a] = yield* sql<{ ok: number }>`select 1 as ok`
        expect(a?.ok).toBe(1)
        const copy = yield* Effect.flip(sql.unsafe("copy (select 1) to stdout"))
        expect(copy.message).toContain("COPY is not supported")
        const [b] = yield* sql<{ ok: number }>`select 2 as ok`
        expect(b?.ok).toBe(2)
      })
    )
  })

  it.live("serves on TCP 127.0.0.1 with a port the OS picks", () =>
    Effect.gen(function* () {
      const { address } = yield* Embedded.Embedded
      expect(address).toMatchObject({ _tag: "Tcp", host: "127.0.0.1" })
      const sql = yield* SqlClient
      const [row] = yield* sql<{ n: number }>`select 41 + 1 as n`
      expect(row?.n).toBe(42)
    }).pipe(Effect.provide(Embedded.layer({ transport: "tcp" })))
  )

  it.live("keeps a data folder across close and reopen", () =>
    Effect.gen(function* () {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "openrcm-store-sql-test-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const write = Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table kept (id int primary key, note text)`
        yield* sql.withTransaction(sql`insert into kept values (1, 'one'), (2, 'two')`)
      })
      const read = Effect.flatMap(SqlClient, (sql) => sql<{ id: number; note: string }>`select * from kept order by id`)
      yield* Effect.scoped(
        Layer.build(Embedded.layer({ dataDir })).pipe(Effect.flatMap((ctx) => Effect.provide(write, ctx)))
      )
      const rows = yield* Effect.scoped(
        Layer.build(Embedded.layer({ dataDir })).pipe(Effect.flatMap((ctx) => Effect.provide(read, ctx)))
      )
      expect(rows).toEqual([
        { id: 1, note: "one" },
        { id: 2, note: "two" }
      ])
    })
  )

  it.live("removes its socket folder when the scope closes", () =>
    Effect.gen(function* () {
      const { existsSync } = yield* Effect.promise(() => import("node:fs"))
      const path = yield* Effect.scoped(
        Layer.build(Embedded.layer()).pipe(
          Effect.map((ctx) => {
            const { address } = Context.get(ctx, Embedded.Embedded)
            return address._tag === "Unix" ? address.path : ""
          })
        )
      )
      expect(path).not.toBe("")
      expect(existsSync(path)).toBe(false)
    })
  )

  it.live("fails with EmbeddedError when PGlite cannot open its data folder", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Layer.build(Embedded.layer({ dataDir: "/proc/openrcm-no" }))))
      expect(error).toMatchObject({ _tag: "EmbeddedError", reason: "StartFailed" })
    })
  )
})
