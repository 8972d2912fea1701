// Shared set-up for the tests that need the PostgreSQL server (scripts/ensure-postgres.sh prepares it). Each test
// file works in a schema of its own, dropped at the end, so files run in parallel.

import { randomUUID } from "node:crypto"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as Server from "../src/Server.js"

export const serverUrl = process.env.OPENRCM_TEST_DATABASE_URL ?? "postgres://openrcm_app@127.0.0.1:5432/openrcm_test"

/** The same database as the superuser `postgres`: only to show that the guard refuses it. */
export const superuserUrl = (() => {
  const url = new URL(serverUrl)
  url.username = "postgres"
  url.password = ""
  return url.toString()
})()

const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.flatMap(SqlClient, f).pipe(Effect.provide(Server.layer({ url: serverUrl, maxConnections: 1 }))))

/** A fresh schema on the server, dropped with everything in it when the scope closes. */
export const freshSchema = (prefix: string) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`
      yield* admin((sql) => sql`create schema ${sql(name)}`)
      return name
    }),
    (name) => admin((sql) => sql`drop schema ${sql(name)} cascade`).pipe(Effect.orDie)
  )

/** A client on the server whose `search_path` is `schema`. */
export const serverClient = (schema: string, options: Omit<Server.Options, "url"> = {}) =>
  Server.layer({ url: serverUrl, ...options, startupParameters: { search_path: schema } })

/** A layer that creates a fresh schema and connects to it, for `layer(...)` in a test file. */
export const serverInSchema = (prefix: string, options: Omit<Server.Options, "url"> = {}) =>
  Layer.unwrap(Effect.map(freshSchema(prefix), (schema) => serverClient(schema, options)))
