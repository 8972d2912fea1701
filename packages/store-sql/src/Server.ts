/**
 * A PostgreSQL server (15 or later) through `@effect/sql-pg`: `layer({ url })`, or `layerConfig()` reading the
 * connection URL from the `OPENRCM_DATABASE_URL` config entry. Connect as a role that is neither superuser nor
 * BYPASSRLS, so row-level security holds (see `Tenancy`).
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Redacted } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"

/**
 * Pool and client settings besides the URL (`maxConnections`, `idleTimeout`, name transforms, ...).
 *
 * @since 0.1.0
 */
export type ClientOptions = Omit<PgClient.PgPoolConfig, "url">

/**
 * @since 0.1.0
 */
export interface Options extends ClientOptions {
  /** `postgres://user[:password]@host[:port]/database[?options]`. */
  readonly url: string | Redacted.Redacted<string>
}

/**
 * The config entry `layerConfig` reads.
 *
 * @since 0.1.0
 */
export const urlConfigName = "OPENRCM_DATABASE_URL"

/**
 * @since 0.1.0
 */
export const layer = ({ url, ...options }: Options): Layer.Layer<PgClient.PgClient | SqlClient, SqlError> =>
  PgClient.layer({ ...options, url: typeof url === "string" ? Redacted.make(url) : url })

/**
 * The connection URL from `OPENRCM_DATABASE_URL` (redacted in logs).
 *
 * @since 0.1.0
 */
export const layerConfig = (
  options: ClientOptions = {}
): Layer.Layer<PgClient.PgClient | SqlClient, Config.ConfigError | SqlError> =>
  Layer.unwrap(Effect.map(Config.Redacted(urlConfigName), (url) => layer({ ...options, url })))
