/**
 * Schema migrations: a record in code (no files, so it also runs in a browser), applied forward-only by effect's
 * `Migrator` and recorded in its table (`effect_sql_migrations`: id, name, created_at).
 *
 * Keys are `<id>_<name>` with a positive integer id; migrations run in id order, each pending one inside one
 * transaction with the others. Only ids above the highest recorded id run: never renumber or edit a migration
 * that has shipped, add a new one.
 *
 * The whole run holds a transaction-scoped advisory lock (`pg_advisory_xact_lock`) keyed by schema and table,
 * so processes starting together wait for each other: the first migrates, the rest find nothing to do.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import * as Migrator from "effect/sql/Migrator"
import { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"

/**
 * One migration: SQL run with the migrating client, inside the run's transaction.
 *
 * @since 0.1.0
 */
export type Migration = Effect.Effect<void, unknown, SqlClient>

/**
 * Migrations by `<id>_<name>`, e.g. `{ "1_initial": ..., "2_claims_index": ... }`.
 *
 * @since 0.1.0
 */
export type Migrations = Readonly<Record<string, Migration>>

/**
 * @since 0.1.0
 */
export { MigrationError } from "effect/sql/Migrator"

/**
 * @since 0.1.0
 */
export interface RunOptions {
  /** The table that records applied migrations. Default `effect_sql_migrations`. */
  readonly table?: string | undefined
}

const keyPattern = /^([1-9]\d*)_(.+)$/

const loader = (migrations: Migrations): Migrator.Loader =>
  Effect.gen(function* () {
    const bad = Object.keys(migrations).filter((key) => !keyPattern.test(key))
    if (bad.length > 0) {
      return yield* new Migrator.MigrationError({
        kind: "BadState",
        message: `Migration keys must be <id>_<name> with a positive integer id: ${bad.join(", ")}`
      })
    }
    return yield* Migrator.fromRecord(migrations as Record<string, Migration>)
  })

// effect's Migrator without the schema dump (which needs pg_dump, a file system and a child process).
const migrate = Migrator.make({})

/**
 * Applies the pending migrations and returns the `[id, name]` of those it applied (empty when up to date or when
 * another process applied them while this one waited for the lock).
 *
 * @since 0.1.0
 */
export const runMigrations = (
  migrations: Migrations,
  options: RunOptions = {}
): Effect.Effect<ReadonlyArray<readonly [id: number, name: string]>, Migrator.MigrationError | SqlError, SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const table = options.table ?? "effect_sql_migrations"
    // The Migrator's own transaction becomes a savepoint of this one, so the lock covers the check for the
    // migrations table, the migrations and their record, and is released at COMMIT or ROLLBACK.
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`select pg_advisory_xact_lock(hashtext(${`openrcm.migrations:`} || current_schema() || ${`.${table}`}))`
        return yield* migrate({ loader: loader(migrations), table })
      })
    )
  }).pipe(Effect.withSpan("Migrations.run"))

/**
 * Runs the migrations while the layer is built.
 *
 * @since 0.1.0
 */
export const layer = (
  migrations: Migrations,
  options: RunOptions = {}
): Layer.Layer<never, Migrator.MigrationError | SqlError, SqlClient> =>
  Layer.effectDiscard(runMigrations(migrations, options))

/**
 * A placeholder until the Store's schema lands: one small table, so that the migration path is exercised.
 *
 * @since 0.1.0
 */
export const all: Migrations = {
  "1_store_info": Effect.gen(function* () {
    const sql = yield* SqlClient
    yield* sql`create table store_info (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`
  })
}
