// Rough numbers for the embedded database against the server, through @effect/sql-pg (one connection each):
// start-up, single-row INSERTs, multi-row INSERTs with jsonb. Run: `pnpm --filter @openrcm/store-sql bench`.
// The server part needs scripts/ensure-postgres.sh (or OPENRCM_TEST_DATABASE_URL) and is skipped without it.

import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient, PgTypes } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import * as Embedded from "@openrcm/store-sql/Embedded"
import * as Server from "@openrcm/store-sql/Server"
import { Array as Arr, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"

const serverUrl = process.env.OPENRCM_TEST_DATABASE_URL ?? "postgres://openrcm_app@127.0.0.1:5432/openrcm_test"
const ms = (start: number) => `${(performance.now() - start).toFixed(0)} ms`
const perSecond = (n: number, start: number) => Math.round(n / ((performance.now() - start) / 1000))

const record = (i: number) => ({
  id: `pat-${i}`,
  name: { given: ["Ada"], family: `Lovelace-${i}` },
  birthDate: "1815-12-10",
  address: { line: ["12 St James's Square"], city: "London", postalCode: "SW1Y 4JH" },
  tags: ["a", "b", "c"],
  balanceCents: i * 100
})

const startUp = Effect.gen(function* () {
  // The pieces, once, outside Effect.
  let t = performance.now()
  const db = yield* Effect.promise(() => PGlite.create())
  const create = ms(t)
  const dir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "openrcm-bench-")))
  t = performance.now()
  const server = new PGLiteSocketServer({ db, path: join(dir, ".s.PGSQL.5432") })
  yield* Effect.promise(() => server.start())
  const socket = ms(t)
  yield* Effect.promise(() =>
    server
      .stop()
      .then(() => db.close())
      .then(() => rm(dir, { recursive: true }))
  )
  console.log(`PGlite.create (in memory) ${create}; socket server start ${socket}`)
  // The whole layer, to the first answer, three times.
  const dataDir = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "openrcm-bench-data-")))
  for (const label of ["new data folder", "reopened data folder"]) {
    t = performance.now()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const ctx = yield* Layer.build(Embedded.layer({ dataDir }))
        yield* Effect.provide(
          Effect.flatMap(SqlClient, (sql) => sql`select 1`),
          ctx
        )
        console.log(`Embedded.layer (${label}) start + first query: ${ms(t)}`)
      })
    )
  }
  yield* Effect.promise(() => rm(dataDir, { recursive: true }))
  for (const transport of ["unix", "unix", "tcp"] as const) {
    t = performance.now()
    yield* Effect.scoped(
      Effect.gen(function* () {
        const ctx = yield* Layer.build(Embedded.layer({ transport }))
        yield* Effect.provide(
          Effect.flatMap(SqlClient, (sql) => sql`select 1`),
          ctx
        )
        console.log(`Embedded.layer (${transport}) start + first query: ${ms(t)}`)
      })
    )
  }
})

const inserts = (label: string) =>
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    yield* sql`drop table if exists bench`
    yield* sql`create table bench (tenant_id text not null, id text not null, n int not null, data jsonb not null,
      primary key (tenant_id, id))`
    const single = 1_000
    let t = performance.now()
    for (let i = 0; i < single; i++) {
      yield* sql`insert into bench (tenant_id, id, n, data) values ('t', ${`a${i}`}, ${i}, ${sql.json(record(i))})`
    }
    const autocommit = perSecond(single, t)
    t = performance.now()
    yield* sql.withTransaction(
      Effect.gen(function* () {
        for (let i = 0; i < single; i++) {
          yield* sql`insert into bench (tenant_id, id, n, data) values ('t', ${`b${i}`}, ${i}, ${sql.json(record(i))})`
        }
      })
    )
    const oneTx = perSecond(single, t)

    const batches = 10
    const size = 1_000
    const rows = (prefix: string, b: number) =>
      Array.from({ length: size }, (_, j) => ({
        tenant_id: "t",
        id: `${prefix}${b}-${j}`,
        n: j,
        data: PgTypes.jsonb(record(j))
      }))
    t = performance.now()
    for (let b = 0; b < batches; b++) {
      const batch = rows("c", b)
      if (Arr.isArrayNonEmpty(batch)) yield* sql`insert into bench ${sql.insert(batch)}`
    }
    const multi = perSecond(batches * size, t)
    t = performance.now()
    for (let b = 0; b < batches; b++) {
      const r = rows("d", b)
      yield* sql`insert into bench (tenant_id, id, n, data)
        select * from unnest(${r.map((x) => x.tenant_id)}::text[], ${r.map((x) => x.id)}::text[],
          ${r.map((x) => x.n)}::int4[], ${r.map((x) => x.data)}::jsonb[])`
    }
    const unnest = perSecond(batches * size, t)
    t = performance.now()
    const read = yield* sql<{ data: unknown }>`select data from bench where tenant_id = 't'`
    const readRate = perSecond(read.length, t)
    console.log(
      `${label}: single-row INSERT ${autocommit}/s autocommit, ${oneTx}/s in one transaction; ` +
        `1,000-row INSERT (sql.insert, jsonb) ${multi} rows/s; unnest arrays ${unnest} rows/s; ` +
        `SELECT jsonb ${readRate} rows/s (${read.length} rows)`
    )
    yield* sql`drop table bench`
  })

const program = Effect.gen(function* () {
  yield* startUp
  yield* Effect.provide(inserts("PGlite"), Embedded.layer())
  const onServer = Effect.gen(function* () {
    const schema = `bench_${process.pid}`
    const admin = Server.layer({ url: serverUrl, maxConnections: 1 })
    yield* Effect.provide(
      Effect.flatMap(SqlClient, (sql) => sql`create schema if not exists ${sql(schema)}`),
      admin
    )
    yield* Effect.provide(
      inserts("PostgreSQL 15"),
      Server.layer({ url: serverUrl, maxConnections: 1, startupParameters: { search_path: schema } })
    ).pipe(
      Effect.ensuring(
        Effect.provide(
          Effect.flatMap(SqlClient, (sql) => sql`drop schema ${sql(schema)} cascade`),
          admin
        ).pipe(Effect.ignore)
      )
    )
  })
  yield* onServer.pipe(Effect.catchTag("SqlError", (e) => Effect.log(`server skipped: ${e.message}`)))
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
