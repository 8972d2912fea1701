/**
 * effect's `SqlClient` straight on a PGlite instance, with no socket: the way to reach PGlite in a browser. It
 * runs in Node too, but slower there than `Embedded`'s socket (the Store contract suite: about 67 s against 31 s),
 * as PGlite's `query` makes several calls into PostgreSQL a statement. PGlite is one session, so the client holds
 * it through one permit: a transaction (or a lone statement) has it to itself until it ends, and `BEGIN` /
 * `SAVEPOINT` / `ROLLBACK TO SAVEPOINT` / `RELEASE SAVEPOINT` / `COMMIT` are sent as statements, as
 * `@effect/sql-pg` sends them to a server. Values come back as `@effect/sql-pg` returns them (`int8` as bigint,
 * `date` as `YYYY-MM-DD`, `numeric` as a string, JSON parsed), so one SQL layer runs on both. Errors carry the
 * SQLSTATE, never the query or its parameters (PGlite attaches both to its errors, and they may be PHI). With
 * `writeInBackground`, statements return before PGlite writes their changes to storage (a moment later, between
 * transactions); `flush` waits for it. Browser-safe.
 *
 * @since 0.1.0
 */
import { type ParserOptions, PGlite, type PGliteOptions, types } from "@electric-sql/pglite"
import { Context, Effect, Layer, Schema, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as Client from "effect/sql/SqlClient"
import type { Connection } from "effect/sql/SqlConnection"
import {
  AuthenticationError,
  AuthorizationError,
  ConnectionError,
  ConstraintError,
  DeadlockError,
  LockTimeoutError,
  SerializationError,
  SqlError,
  type SqlErrorReason,
  SqlSyntaxError,
  StatementTimeoutError,
  UniqueViolation,
  UnknownError
} from "effect/sql/SqlError"
import * as Statement from "effect/sql/Statement"

/**
 * The PGlite instance under the client, for what is not SQL: dumps, closing, the data directory it was opened on.
 *
 * @since 0.1.0
 */
export class PgliteDatabase extends Context.Service<
  PgliteDatabase,
  {
    readonly db: PGlite
    readonly dataDir: string | undefined
    /**
     * Writes everything committed so far to the data directory's storage (IndexedDB, OPFS, a folder) and waits
     * for it, between statements. With `writeInBackground` (or PGlite's `relaxedDurability`) statements do not
     * wait for storage: this is how to know the data is kept (after a seed, before telling the user "saved").
     */
    readonly flush: Effect.Effect<void, SqlError>
  }
>()("@openrcm/store-sql/PgliteDatabase") {}

/**
 * PGlite did not start (its WASM or data could not be loaded, or the data directory could not be opened).
 *
 * @since 0.1.0
 */
export class PgliteError extends Schema.TaggedError<PgliteError>()("PgliteError", {
  reason: Schema.Literals(["StartFailed"]),
  cause: Schema.Defect()
}) {
  readonly retryable = false
  override get message() {
    return `PGlite: ${this.reason}`
  }
}

/**
 * Name and JSON transforms, as `@effect/sql-pg` takes them.
 *
 * @since 0.1.0
 */
export interface ClientOptions {
  readonly transformQueryNames?: ((name: string) => string) | undefined
  readonly transformResultNames?: ((name: string) => string) | undefined
  /** Apply the name transforms inside JSON values too (default true, as in `@effect/sql-pg`). */
  readonly transformJson?: boolean | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
  /**
   * Let statements return before PGlite writes their changes to storage: the write happens a moment later, between
   * transactions, shared by the statements in between (`flush` waits for it). Unlike PGlite's `relaxedDurability`,
   * whose writes run while later statements change the files (IndexedDB then reads some half-changed or gone), and
   * which applies while PGlite starts too.
   */
  readonly writeInBackground?: boolean | undefined
}

const oid = { int8: 20, int8Array: 1016, date: 1082, dateArray: 1182 } as const

// @effect/sql-pg's decoding, where PGlite's own differs (it gives int8 as a number, dates as Date).
const parsers: ParserOptions = {
  [oid.int8]: (value) => BigInt(value),
  [oid.int8Array]: (value) => types.arrayParser(value, (element) => BigInt(element), oid.int8Array),
  [oid.date]: (value) => value,
  [oid.dateArray]: (value) => types.arrayParser(value, (element) => element, oid.dateArray)
}

const objectRows = { parsers } as const
const arrayRows = { parsers, rowMode: "array" } as const

const sqlState = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null || !("code" in cause)) return undefined
  const code = cause.code
  return typeof code === "string" && /^[0-9A-Z]{5}$/u.test(code) ? code : undefined
}

/** The error's reason from its SQLSTATE, as `@effect/sql-pg` classifies a server's. */
const reasonOf = (code: string | undefined, constraint: unknown, operation: string): SqlErrorReason => {
  const props = {
    message: code === undefined ? `PGlite: ${operation} failed` : `PGlite: ${operation} failed (SQLSTATE ${code})`,
    // Only what identifies the failure: PGlite's error object holds the query and its parameters.
    cause: { code, constraint: typeof constraint === "string" ? constraint : undefined },
    operation
  }
  if (code === undefined) return new UnknownError(props)
  if (code.startsWith("08")) return new ConnectionError(props)
  if (code.startsWith("28")) return new AuthenticationError(props)
  if (code === "42501") return new AuthorizationError(props)
  if (code.startsWith("42")) return new SqlSyntaxError(props)
  if (code === "23505") {
    return new UniqueViolation({ ...props, constraint: typeof constraint === "string" ? constraint : "unknown" })
  }
  if (code.startsWith("23")) return new ConstraintError(props)
  if (code === "40P01") return new DeadlockError(props)
  if (code === "40001") return new SerializationError(props)
  if (code === "55P03") return new LockTimeoutError(props)
  if (code === "57014") return new StatementTimeoutError(props)
  return new UnknownError(props)
}

const toSqlError = (operation: string) => (cause: unknown) => {
  const constraint = typeof cause === "object" && cause !== null && "constraint" in cause ? cause.constraint : undefined
  const code = sqlState(cause)
  // A closed or crashed instance has no SQLSTATE: the connection is gone.
  const closed = code === undefined && cause instanceof Error && /closed/iu.test(cause.message)
  return new SqlError({
    reason: closed
      ? new ConnectionError({ message: `PGlite: ${operation} on a closed database`, cause: undefined, operation })
      : reasonOf(code, constraint, operation)
  })
}

type Rows = <A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>

/**
 * A statement sent to PGlite runs to its end before its caller can be interrupted: PGlite cannot stop it, and an
 * interrupted caller would let go of the session's permit while PGlite still ran the statement, so the next
 * statement or a background write to storage would run beside it (in the playground, where a screen's queries are
 * interrupted as it unmounts, the page's store then hung now and then).
 */
const query = <A>(run: () => Promise<A>): Effect.Effect<A, SqlError> =>
  Effect.uninterruptible(Effect.tryPromise({ try: run, catch: toSqlError("execute") }))

class PgliteConnection implements Connection {
  constructor(readonly db: PGlite) {}

  private rows(sql: string, params: ReadonlyArray<unknown>, transformRows: Rows | undefined) {
    return query(() => this.db.query<object>(sql, params as Array<unknown>, objectRows)).pipe(
      Effect.map((result) => (transformRows === undefined ? result.rows : transformRows(result.rows)))
    )
  }
  execute(sql: string, params: ReadonlyArray<unknown>, transformRows: Rows | undefined) {
    return this.rows(sql, params, transformRows)
  }
  executeUnprepared(sql: string, params: ReadonlyArray<unknown>, transformRows: Rows | undefined) {
    // PGlite prepares nothing by name: every statement is parsed afresh either way.
    return this.rows(sql, params, transformRows)
  }
  executeRaw(sql: string, params: ReadonlyArray<unknown>) {
    return query(() => this.db.query(sql, params as Array<unknown>, objectRows))
  }
  executeValues(sql: string, params: ReadonlyArray<unknown>) {
    return query(() => this.db.query<Array<unknown>>(sql, params as Array<unknown>, arrayRows)).pipe(
      Effect.map((result) => result.rows)
    )
  }
  executeValuesUnprepared(sql: string, params: ReadonlyArray<unknown>) {
    return this.executeValues(sql, params)
  }
  executeStream(sql: string, params: ReadonlyArray<unknown>, transformRows: Rows | undefined) {
    // PGlite returns whole results; the stream is the rows of one.
    return Stream.fromIterableEffect(this.rows(sql, params, transformRows))
  }
}

/** PostgreSQL answers `COMMIT` with `ROLLBACK` when the transaction had failed: that is not a commit. */
const commit = (conn: Connection): Effect.Effect<void, SqlError> =>
  Effect.flatMap(conn.executeRaw("COMMIT", []), (result) =>
    (result as { readonly command?: string }).command === "ROLLBACK"
      ? Effect.fail(
          new SqlError({
            reason: new UnknownError({
              message: "PGlite: COMMIT rolled back an aborted transaction",
              cause: undefined,
              operation: "commit"
            })
          })
        )
      : Effect.void
  )

/**
 * A `SqlClient` on `db`. Closing `db` is the caller's business.
 *
 * @since 0.1.0
 */
export const make = (
  db: PGlite,
  options: ClientOptions = {}
): Effect.Effect<Client.SqlClient, never, Reactivity.Reactivity> => makeOn(db, Semaphore.makeUnsafe(1), options)

const makeOn = (
  db: PGlite,
  permit: Semaphore.Semaphore,
  options: ClientOptions
): Effect.Effect<Client.SqlClient, never, Reactivity.Reactivity> =>
  Effect.gen(function* () {
    const connection = new PgliteConnection(db)
    // One session: whoever holds the permit (a transaction, or one statement) has PGlite to itself.
    const lease = Effect.uninterruptibleMask((restore) => Effect.as(restore(permit.takeScoped(1)), connection))
    const transformRows =
      options.transformResultNames === undefined
        ? undefined
        : Statement.defaultTransforms(options.transformResultNames, options.transformJson ?? true).array
    const compiler = makeCompiler(options.transformQueryNames)
    return yield* Client.make({
      acquirer: lease,
      transactionAcquirer: lease,
      borrower: (f) => permit.withPermit(f(connection)),
      compiler,
      driver: "pglite",
      commit,
      releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
      transformRows,
      spanAttributes: [
        ...Object.entries(options.spanAttributes ?? {}),
        ["db.system.name", "postgresql"],
        ["db.namespace", "postgres"]
      ]
    })
  })

const quoteIdentifier = Statement.defaultEscape('"')

/**
 * The PostgreSQL statement compiler (`$1`, `$2`, ... placeholders; `"` quoted identifiers), as `@effect/sql-pg`'s,
 * which cannot be imported in a browser (its module loads Node's `net` and `tls`).
 *
 * @since 0.1.0
 */
export const makeCompiler = (transform?: (name: string) => string): Statement.Compiler =>
  Statement.makeCompiler({
    dialect: "pg",
    placeholder: (index) => `$${index}`,
    onIdentifier:
      transform === undefined
        ? quoteIdentifier
        : (value, withoutTransform) => (withoutTransform ? quoteIdentifier(value) : quoteIdentifier(transform(value))),
    onRecordUpdate: (placeholders, valueAlias, valueColumns, values, returning) => [
      `(values ${placeholders}) AS ${valueAlias}${valueColumns}${returning ? ` RETURNING ${returning[0]}` : ""}`,
      returning ? values.flat().concat(returning[1]) : values.flat()
    ],
    // No custom fragments (such as @effect/sql-pg's `json`): pass JSON as a string or an object parameter.
    onCustom: () => ["", []]
  })

interface SyncingFs {
  syncToFs: (relaxedDurability?: boolean) => Promise<void>
}

interface Syncs {
  /** A full write of the files to storage after those already under way, awaited; fails if any since failed. */
  readonly flush: () => Promise<void>
  /** Resolves when no write is under way (before closing: PGlite does not wait for its background writes). */
  readonly idle: () => Promise<void>
}

const syncsOf = new WeakMap<PGlite, Syncs>()

/** How long a background write waits after it is asked for: the statements in between share it. */
const backgroundDelayMillis = 250

/**
 * PGlite's writes to storage, one after another and known to the client, skipped once the database is closed;
 * they never reject (a failure is kept for the next `flush`). In the background (`writeInBackground`), a write
 * PGlite asks for after a statement is put off a moment, the statements meanwhile sharing it, and then runs
 * holding the session's permit: between transactions, never while a statement changes the files it copies.
 */
const trackSyncs = (db: PGlite, permit?: Semaphore.Semaphore, background = false): Syncs => {
  const known = syncsOf.get(db)
  if (known !== undefined) return known
  const fs = (db as unknown as { readonly fs?: SyncingFs }).fs
  if (fs === undefined) return { flush: () => Promise.resolve(), idle: () => Promise.resolve() }
  const write = fs.syncToFs.bind(fs)
  let queue: Promise<void> = Promise.resolve()
  let failure: { readonly cause: unknown } | undefined
  let scheduled = false
  const enqueue = (relaxed: boolean | undefined) => {
    const next = queue.then(() => (db.closed ? undefined : write(relaxed)))
    queue = next.catch((cause: unknown) => {
      if (!db.closed) failure = { cause }
    })
    return next
  }
  const inBackground = (relaxed: boolean) => {
    if (scheduled || permit === undefined) return
    scheduled = true
    setTimeout(() => {
      void Effect.runPromise(
        permit.withPermit(
          Effect.promise(() => {
            scheduled = false
            return enqueue(relaxed).catch(() => undefined)
          })
        )
      )
    }, backgroundDelayMillis)
  }
  fs.syncToFs = (relaxed) => {
    if (background && permit !== undefined) {
      inBackground(relaxed === true)
      return Promise.resolve()
    }
    return enqueue(relaxed).catch(() => undefined)
  }
  const syncs: Syncs = {
    flush: async () => {
      await enqueue(false)
      const failed = failure
      failure = undefined
      if (failed !== undefined) throw failed.cause
    },
    idle: () => queue
  }
  syncsOf.set(db, syncs)
  return syncs
}

/** Writes everything to storage and waits, between statements. */
const flushOf = (db: PGlite, permit: Semaphore.Semaphore): Effect.Effect<void, SqlError> =>
  permit.withPermit(Effect.tryPromise({ try: () => trackSyncs(db).flush(), catch: toSqlError("flush") }))

/**
 * Closes `db` after writing everything to storage (a closed database is left as it is).
 *
 * @since 0.1.0
 */
export const close = (db: PGlite): Effect.Effect<void> =>
  db.closed
    ? Effect.void
    : Effect.promise(async () => {
        // Everything written is kept before closing (PGlite's own close does not write to IndexedDB).
        await trackSyncs(db)
          .flush()
          .catch(() => undefined)
        if (!db.closed) await db.close()
      }).pipe(
        Effect.timeoutOrElse({
          duration: "10 seconds",
          orElse: () => Effect.logWarning("PGlite: close did not finish within 10 s")
        }),
        Effect.ignoreCause({ log: "Warn" })
      )

const layerOn = (
  db: PGlite,
  dataDir: string | undefined,
  options: ClientOptions
): Effect.Effect<Context.Context<Client.SqlClient | PgliteDatabase>, never, Reactivity.Reactivity> => {
  const permit = Semaphore.makeUnsafe(1)
  trackSyncs(db, permit, options.writeInBackground === true)
  return Effect.map(makeOn(db, permit, options), (client) =>
    Context.make(Client.SqlClient, client).pipe(
      Context.add(PgliteDatabase, { db, dataDir, flush: flushOf(db, permit) })
    )
  )
}

/**
 * `SqlClient` (and `PgliteDatabase`) on an instance the caller opened and will close.
 *
 * @since 0.1.0
 */
export const layer = (
  options: ClientOptions & { readonly pglite: PGlite }
): Layer.Layer<Client.SqlClient | PgliteDatabase> =>
  Layer.effectContext(layerOn(options.pglite, options.pglite.dataDir, options)).pipe(Layer.provide(Reactivity.layer))

/**
 * Opens PGlite on `dataDir` (`idb://<name>` in a browser's IndexedDB, a folder in Node, `memory://` or
 * omitted for memory), provides `SqlClient` and `PgliteDatabase` on it, and closes it with the layer's scope.
 *
 * @since 0.1.0
 */
export const layerFrom = (
  dataDir?: string | undefined,
  options: ClientOptions & {
    readonly pglite?: Omit<PGliteOptions, "dataDir" | "username" | "database"> | undefined
  } = {}
): Layer.Layer<Client.SqlClient | PgliteDatabase, PgliteError> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const db = yield* open(dataDir, options.pglite)
      return yield* layerOn(db, dataDir, options)
    })
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * Opens PGlite in the current scope and closes it when the scope closes (a persistent data directory is then
 * consistent and can be reopened).
 *
 * @since 0.1.0
 */
export const open = (
  dataDir?: string | undefined,
  options: Omit<PGliteOptions, "dataDir" | "username" | "database"> = {}
) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        PGlite.create({
          ...options,
          ...(dataDir === undefined ? {} : { dataDir }),
          username: "postgres",
          database: "postgres"
        }),
      catch: (cause) => new PgliteError({ reason: "StartFailed", cause })
    }),
    (db) => close(db)
  )
