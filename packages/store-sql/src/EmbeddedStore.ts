/**
 * The embedded store, the zero-set-up default: PGlite in this process (in memory, or a data folder on disk),
 * migrated at start, tenant transactions under a role that row-level security binds, and PHI sealed with master
 * keys from a key file beside the data folder (created on first start) or given in the options. Node only.
 *
 * @since 0.1.0
 */
import { KeyProvider } from "@openrcm/core"
import { Effect, Layer } from "effect"
import * as Embedded from "./Embedded.js"
import * as KeyFile from "./KeyFile.js"
import * as NodeSha256 from "./NodeSha256.js"
import * as SqlStore from "./SqlStore.js"

/**
 * The role the embedded store's tenant transactions switch to (PGlite's own session is a superuser).
 *
 * @since 0.1.0
 */
export const tenantRole = "openrcm_tenant"

/**
 * @since 0.1.0
 */
export interface Options extends SqlStore.Options {
  /** A data folder; absent, the database lives in memory and ends with the process. */
  readonly dataDir?: string | undefined
  /** Master keys; absent, they come from `keyFile`. */
  readonly masterKeys?: KeyProvider.MasterKeys | undefined
  /**
   * The key file, created on first start. Default: `<dataDir>.keys.json`, beside the data folder and not in it,
   * so a copy of the folder alone holds no key. In memory without either, a fresh key that ends with the process.
   */
  readonly keyFile?: string | undefined
  readonly embedded?: Omit<Embedded.Options, "dataDir"> | undefined
}

const keys = (options: Options) => {
  if (options.masterKeys !== undefined) return KeyProvider.layerStatic(options.masterKeys)
  const keyFile = options.keyFile ?? (options.dataDir === undefined ? undefined : `${options.dataDir}.keys.json`)
  if (keyFile !== undefined) return KeyFile.layer(keyFile)
  return Layer.effect(
    KeyProvider.KeyProvider,
    Effect.flatMap(KeyProvider.generateMasterKey, (key) =>
      KeyProvider.make({ current: "ephemeral", keys: { ephemeral: key } })
    )
  )
}

/**
 * The Store (and `StoreKeys`, and the `Embedded` database for diagnostics) on an embedded PGlite.
 *
 * @since 0.1.0
 */
export const layer = (options: Options = {}) =>
  SqlStore.layerMigrated({ sha256: NodeSha256.sha256, ...options, tenantRole }).pipe(
    Layer.provideMerge(Embedded.layer({ ...options.embedded, dataDir: options.dataDir })),
    Layer.provide(keys(options))
  )
