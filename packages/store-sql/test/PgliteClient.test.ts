// PgliteClient on its own: what the Store contract does not look at directly (one session shared by turns, a
// failed transaction's COMMIT, savepoints, decoding as @effect/sql-pg decodes, errors without the parameters).
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"
import * as PgliteClient from "../src/PgliteClient.js"

const canary = "Zephyrina-Quillfeather-1987"

const sqlErrorOf = <A>(exit: Exit.Exit<A, SqlError>): SqlError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
  return error.value
}

describe("PgliteClient", () => {
  layer(PgliteClient.layerFrom("memory://"), { excludeTestServices: true })("in memory", (it) => {
    it.effect("a statement outside an open transaction waits for it: it never runs inside it", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table waits (n int)`
        const inserted = yield* Deferred.make<void>()
        const finish = yield* Deferred.make<void>()
        const tx = yield* Effect.forkChild(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`insert into waits values (1)`
              yield* Deferred.succeed(inserted, undefined)
              yield* Deferred.await(finish)
              return yield* Effect.fail("roll back" as const)
            })
          )
        )
        yield* Deferred.await(inserted)
        const outside = yield* Effect.forkChild(sql<{ n: number }>`select count(*)::int4 as n from waits`)
        yield* Effect.sleep("50 millis")
        // Still waiting: on the shared session it would already have counted the uncommitted row.
        expect(outside.pollUnsafe()).toBeUndefined()
        yield* Deferred.succeed(finish, undefined)
        expect(Exit.isFailure(yield* Fiber.await(tx))).toBe(true)
        const [row] = yield* Fiber.join(outside)
        expect(row?.n).toBe(0)
      })
    )

    it.effect("a nested transaction is a savepoint: its failure undoes only its own writes", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table nested (n int)`
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`insert into nested values (1)`
            yield* sql
              .withTransaction(Effect.andThen(sql`insert into nested values (2)`, Effect.fail("inner" as const)))
              .pipe(Effect.ignore)
            yield* sql.withTransaction(sql`insert into nested values (3)`)
          })
        )
        const rows = yield* sql<{ n: number }>`select n from nested order by n`
        expect(rows.map((r) => r.n)).toEqual([1, 3])
      })
    )

    it.effect("a transaction whose statement failed does not commit, even when the failure was caught", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table aborted (n int)`
        const exit = yield* Effect.exit(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`insert into aborted values (1)`
              yield* Effect.ignore(sql`select 1 / 0`)
            })
          )
        )
        expect(sqlErrorOf(exit).message).toContain("COMMIT rolled back")
        const rows = yield* sql`select n from aborted`
        expect(rows).toEqual([])
        // The session is usable again (no transaction left open).
        const [one] = yield* sql<{ one: number }>`select 1 as one`
        expect(one?.one).toBe(1)
      })
    )

    it.effect("decodes values as @effect/sql-pg does", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const [row] = yield* sql<Record<string, unknown>>`select
          ${"9007199254740993"}::int8 as big, array[1, 2]::int8[] as bigs, '2026-02-28'::date as day,
          array['2026-01-01'::date] as days, 12.50::numeric as amount, ${JSON.stringify({ a: [1, "x"] })}::jsonb as doc,
          ${["a", "b"]}::text[] as texts, true as yes`
        expect(row).toEqual({
          big: 9007199254740993n,
          bigs: [1n, 2n],
          day: "2026-02-28",
          days: ["2026-01-01"],
          amount: "12.50",
          doc: { a: [1, "x"] },
          texts: ["a", "b"],
          yes: true
        })
        const values = yield* sql`select 1::int4 as a, 'b' as b`.values
        expect(values).toEqual([[1, "b"]])
      })
    )

    it.effect("classifies errors by SQLSTATE and keeps the query's parameters out of them", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`create table uniq (id text primary key)`
        yield* sql`insert into uniq values (${canary})`
        const duplicate = sqlErrorOf(yield* Effect.exit(sql`insert into uniq values (${canary})`))
        expect(duplicate.reason._tag).toBe("UniqueViolation")
        expect(duplicate.reason).toMatchObject({ constraint: "uniq_pkey" })
        const syntax = sqlErrorOf(yield* Effect.exit(sql`selec ${canary}`))
        expect(syntax.reason._tag).toBe("SqlSyntaxError")
        const badDate = sqlErrorOf(yield* Effect.exit(sql`select ${canary}::date`))
        for (const error of [duplicate, syntax, badDate]) {
          expect(error.message).toMatch(/SQLSTATE [0-9A-Z]{5}/u)
          expect(Cause.pretty(Cause.fail(error))).not.toContain(canary)
          expect(JSON.stringify(error.reason.cause)).not.toContain(canary)
        }
      })
    )

    it.effect("a statement interrupted while it waits for the session leaves the session usable", () =>
      Effect.gen(function* () {
        // (PGlite runs a statement synchronously in WASM, so a running statement cannot be interrupted: only waits.)
        const sql = yield* SqlClient
        const finish = yield* Deferred.make<void>()
        const started = yield* Deferred.make<void>()
        const tx = yield* Effect.forkChild(
          sql.withTransaction(Effect.andThen(Deferred.succeed(started, undefined), Deferred.await(finish)))
        )
        yield* Deferred.await(started)
        const waiting = yield* Effect.forkChild(sql`select 1`)
        yield* Effect.sleep("20 millis")
        yield* Fiber.interrupt(waiting)
        yield* Deferred.succeed(finish, undefined)
        yield* Fiber.join(tx)
        const [row] = yield* sql<{ ok: number }>`select 1 as ok`
        expect(row?.ok).toBe(1)
      })
    )
  })

  it.live("writeInBackground: PGlite's writes wait for the open transaction, and its statements share one", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const db = yield* PgliteClient.open("memory://")
        const fs = (db as unknown as { fs: { syncToFs: () => Promise<void> } }).fs
        let inTransaction = false
        const writes: Array<boolean> = []
        fs.syncToFs = () => {
          writes.push(inTransaction)
          return Promise.resolve()
        }
        const context = yield* Layer.build(PgliteClient.layer({ pglite: db, writeInBackground: true }))
        const sql = Context.get(context, SqlClient)
        yield* sql.withTransaction(
          Effect.gen(function* () {
            inTransaction = true
            for (let i = 0; i < 20; i++) yield* sql`select ${i}::int4 as n`
            // Longer than the write's delay: it is due, and must still wait.
            yield* Effect.sleep("600 millis")
            inTransaction = false
          })
        )
        yield* Effect.sleep("600 millis")
        expect(writes.length).toBeGreaterThan(0)
        expect(writes.length).toBeLessThanOrEqual(2)
        expect(writes).not.toContain(true)
      })
    )
  )

  it.live("a statement PGlite is running holds the session until it ends, even when its caller is interrupted", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const db = yield* PgliteClient.open("memory://")
        const fs = (db as unknown as { fs: { syncToFs: () => Promise<void> } }).fs
        // PGlite awaits its write to storage before a statement's promise settles: held here, the statement runs on.
        let release: () => void = () => undefined
        let hold = false
        fs.syncToFs = () => (hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve())
        const context = yield* Layer.build(PgliteClient.layer({ pglite: db }))
        const sql = Context.get(context, SqlClient)
        yield* sql`create table held (n int)`
        hold = true
        const running = yield* Effect.forkChild(sql`insert into held values (1)`)
        yield* Effect.sleep("50 millis")
        const interrupting = yield* Effect.forkChild(Fiber.interrupt(running))
        const next = yield* Effect.forkChild(sql<{ n: number }>`select count(*)::int4 as n from held`)
        yield* Effect.sleep("100 millis")
        // Neither done: the interrupted statement still holds the session, and the next one waits for it.
        expect(interrupting.pollUnsafe()).toBeUndefined()
        expect(next.pollUnsafe()).toBeUndefined()
        hold = false
        release()
        yield* Fiber.join(interrupting)
        const [row] = yield* Fiber.join(next)
        expect(row?.n).toBe(1)
      })
    )
  )

  it.live("a background write that failed is reported by the next flush, and never left unhandled", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const db = yield* PgliteClient.open("memory://", { relaxedDurability: true })
        const fs = (db as unknown as { fs: { syncToFs: () => Promise<void> } }).fs
        let failing = true
        fs.syncToFs = () => (failing ? Promise.reject(new Error("storage full")) : Promise.resolve())
        const context = yield* Layer.build(PgliteClient.layer({ pglite: db }))
        const { flush } = Context.get(context, PgliteClient.PgliteDatabase)
        // PGlite starts a write to storage after the statement, without waiting for it; it fails.
        yield* Effect.provideContext(
          Effect.flatMap(SqlClient, (sql) => sql`create table t (n int)`),
          context
        )
        yield* Effect.sleep("50 millis")
        failing = false
        const first = yield* Effect.exit(flush)
        expect(sqlErrorOf(first).message).toContain("flush")
        yield* flush
      })
    )
  )

  layer(
    PgliteClient.layerFrom(undefined, {
      transformResultNames: (name) => name.replace(/_(\w)/gu, (_, c: string) => c.toUpperCase())
    }),
    {
      excludeTestServices: true
    }
  )("with name transforms", (it) => {
    it.effect("transforms result names, and withoutTransforms leaves them", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient
        const [row] = yield* sql`select 1 as first_name`
        expect(row).toEqual({ firstName: 1 })
        const [plain] = yield* sql.withoutTransforms()`select 1 as first_name`
        expect(plain).toEqual({ first_name: 1 })
      })
    )
  })
})
