/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) in this process, served on a private socket by
 * pglite-socket so that `@effect/sql-pg` reaches it exactly as it reaches a server. One set of SQL, one client.
 *
 * The socket is a unix socket in a fresh temporary folder when the platform allows one, otherwise TCP on
 * 127.0.0.1 with a port the OS picks. PGlite runs one statement at a time, so the pool holds one connection.
 * Closing the layer's scope closes the client, stops the socket server, closes PGlite (a data folder is left
 * consistent and can be reopened) and removes the temporary folder.
 *
 * Node only. In a browser, PGlite is reached through `SqlClient.make` with a connection of its own.
 *
 * @since 0.1.0
 */

import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { PGlite, type PGliteOptions } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Context, Effect, Layer, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"

/**
 * Where the socket server listens.
 *
 * @since 0.1.0
 */
export type Address =
  | { readonly _tag: "Unix"; readonly path: string }
  | { readonly _tag: "Tcp"; readonly host: string; readonly port: number }

/**
 * The running embedded database. `db` is the PGlite instance itself (for dumps and diagnostics; queries belong
 * on the `SqlClient`), `address` where its socket listens.
 *
 * @since 0.1.0
 */
export class Embedded extends Context.Service<
  Embedded,
  { readonly db: PGlite; readonly address: Address; readonly dataDir: string | undefined }
>()("@openrcm/store-sql/Embedded") {}

/**
 * PGlite did not start, or no socket could be opened for it.
 *
 * @since 0.1.0
 */
export class EmbeddedError extends Schema.TaggedError<EmbeddedError>()("EmbeddedError", {
  reason: Schema.Literals(["StartFailed", "SocketFailed"]),
  cause: Schema.Defect()
}) {
  readonly retryable = false
  override get message() {
    return `embedded database: ${this.reason}`
  }
}

/**
 * `@effect/sql-pg` settings that make sense for the embedded database (name transforms, type registry, ...).
 * Connection settings are the layer's own.
 *
 * @since 0.1.0
 */
export type ClientOptions = Omit<
  PgClient.PgPoolConfig,
  | "url"
  | "host"
  | "port"
  | "path"
  | "ssl"
  | "stream"
  | "username"
  | "password"
  | "database"
  | "maxConnections"
  | "minConnections"
  | "multiplex"
>

/**
 * @since 0.1.0
 */
export interface Options {
  /** A folder for the database files; created on first use, reopened after. Omitted: in memory. */
  readonly dataDir?: string | undefined
  /** `auto` (the default) tries a unix socket first and falls back to TCP on 127.0.0.1. */
  readonly transport?: "auto" | "unix" | "tcp" | undefined
  /** PGlite's own options (extensions, `relaxedDurability`, ...). */
  readonly pglite?: Omit<PGliteOptions, "dataDir" | "username" | "database"> | undefined
  readonly client?: ClientOptions | undefined
}

const username = "postgres"
const database = "postgres"

// A finalizer that does not finish in time is logged and left behind rather than holding the scope open.
const closeWithin =
  (what: string) =>
  <E>(self: Effect.Effect<void, E>): Effect.Effect<void> =>
    self.pipe(
      Effect.timeoutOrElse({
        duration: "10 seconds",
        orElse: () => Effect.logWarning(`embedded database: ${what} did not finish within 10 s`)
      }),
      Effect.ignoreCause({ log: "Warn" })
    )

const openDb = (options: Options) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        PGlite.create({
          ...options.pglite,
          ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
          username,
          database
        }),
      catch: (cause) => new EmbeddedError({ reason: "StartFailed", cause })
    }),
    (db) => Effect.promise(() => db.close()).pipe(closeWithin("PGlite close"))
  )

const tempDir = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => mkdtemp(join(tmpdir(), "openrcm-pglite-")),
    catch: (cause) => new EmbeddedError({ reason: "SocketFailed", cause })
  }),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })).pipe(Effect.ignoreCause({ log: "Warn" }))
)

const serve = (db: PGlite, listen: { readonly path: string } | { readonly host: string; readonly port: 0 }) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        // The client holds one connection, but when it replaces a broken one (an interrupted query: PGlite ignores
        // cancel requests) the new connection can arrive before the server has let go of the old one; at its
        // limit the server answers "Too many connections" in plain text. PGlite runs one statement at a time
        // whatever this number is.
        const server = new PGLiteSocketServer({ db, maxConnections: 4, ...listen })
        await server.start()
        return server
      },
      catch: (cause) => new EmbeddedError({ reason: "SocketFailed", cause })
    }),
    (server) => Effect.promise(() => server.stop()).pipe(closeWithin("socket server stop"))
  )

const unixSocket = (db: PGlite) =>
  Effect.gen(function* () {
    const dir = yield* tempDir
    // PostgreSQL's own socket name, so tools pointed at the folder find it too.
    const path = join(dir, ".s.PGSQL.5432")
    yield* serve(db, { path })
    return { _tag: "Unix", path } as const satisfies Address
  })

const tcpSocket = (db: PGlite) =>
  Effect.gen(function* () {
    const server = yield* serve(db, { host: "127.0.0.1", port: 0 })
    // After start, getServerConn() reports the port the OS picked.
    const port = Number(server.getServerConn().split(":").pop())
    if (!Number.isInteger(port) || port <= 0) {
      return yield* new EmbeddedError({
        reason: "SocketFailed",
        cause: new Error(`unexpected server address ${server.getServerConn()}`)
      })
    }
    return { _tag: "Tcp", host: "127.0.0.1", port } as const satisfies Address
  })

const openSocket = (db: PGlite, transport: "auto" | "unix" | "tcp") => {
  switch (transport) {
    case "unix":
      return unixSocket(db)
    case "tcp":
      return tcpSocket(db)
    case "auto":
      return unixSocket(db).pipe(
        Effect.catchTag("EmbeddedError", (error) =>
          Effect.logDebug("embedded database: no unix socket, using TCP on 127.0.0.1", error.cause).pipe(
            Effect.andThen(tcpSocket(db))
          )
        )
      )
  }
}

const makeEmbedded = (options: Options) =>
  Effect.gen(function* () {
    const db = yield* openDb(options)
    const address = yield* openSocket(db, options.transport ?? "auto")
    return { db, address, dataDir: options.dataDir }
  })

/**
 * The running PGlite and its socket, without a client.
 *
 * @since 0.1.0
 */
export const layerDatabase = (options: Options = {}): Layer.Layer<Embedded, EmbeddedError> =>
  Layer.effect(Embedded, makeEmbedded(options))

/**
 * The embedded database with `PgClient` and `SqlClient` on it (one connection).
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Embedded | PgClient.PgClient | SqlClient, EmbeddedError | SqlError> =>
  Layer.unwrap(
    Effect.map(Embedded, ({ address }) =>
      PgClient.layer({
        ...options.client,
        ...(address._tag === "Unix" ? { path: address.path } : { host: address.host, port: address.port }),
        username,
        database,
        maxConnections: 1,
        minConnections: 0
      })
    )
  ).pipe(Layer.provideMerge(layerDatabase(options)))
