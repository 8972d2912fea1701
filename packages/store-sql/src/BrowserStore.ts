/**
 * The store in a browser: PGlite in the page, its files kept in the origin-private file system
 * (`memfs2opfs://<name>`, the default) or IndexedDB (`idb://<name>`), reached through `PgliteClient`, migrated at
 * start, tenant transactions under a role that row-level security binds, and PHI sealed with Web Crypto. The data
 * outlives the page (written a moment after each change: `BrowserDatabase.flush` waits for it);
 * `BrowserDatabase.reset` (or `reset` with the layer closed) deletes it with its keys.
 *
 * Key custody is demo grade: unless `masterKeys` are given, one master key is generated on first start and kept
 * in `localStorage` beside the database, so anyone who can run script on the origin reads the PHI. That suits
 * synthetic data (the playground); a real deployment in a browser keeps master keys out of the page, behind a
 * KMS reached through a `KeyProvider`, and provides that one instead (`layerWith`).
 *
 * @since 0.1.0
 */
import type { PGliteOptions } from "@electric-sql/pglite"
import { KeyProvider } from "@openrcm/core"
import { Context, Effect, Layer, Schema } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import * as PgliteClient from "./PgliteClient.js"
import * as SqlStore from "./SqlStore.js"

/**
 * The role tenant transactions switch to (PGlite's own session is a superuser), as in the embedded store.
 *
 * @since 0.1.0
 */
export const tenantRole = "openrcm_tenant"

/**
 * Where the playground keeps its database.
 *
 * @since 0.1.0
 */
export const defaultDataDir = "memfs2opfs://openrcm-playground"

/**
 * Where master keys are kept between visits: `localStorage`, or anything with its three methods.
 *
 * @since 0.1.0
 */
export interface KeyStorage {
  readonly getItem: (key: string) => string | null
  readonly setItem: (key: string, value: string) => void
  readonly removeItem: (key: string) => void
}

/**
 * The browser could not keep or read the store's keys, or could not delete its database.
 * Carries the data directory, never key material.
 *
 * @since 0.1.0
 */
export class BrowserStoreError extends Schema.TaggedError<BrowserStoreError>()("BrowserStoreError", {
  dataDir: Schema.String,
  reason: Schema.Literals(["NoKeyStorage", "KeysUnreadable", "KeysUnwritable", "DeleteFailed", "DeleteBlocked"])
}) {
  readonly retryable = false
  override get message() {
    return `browser store ${this.dataDir}: ${this.reason}`
  }
}

/**
 * @since 0.1.0
 */
export interface Options extends SqlStore.Options {
  /**
   * Where PGlite keeps its files: `memfs2opfs://<name>` (the default, `memfs2opfs://openrcm-playground`: in memory,
   * changed pages mirrored to the origin-private file system), `idb://<name>` (IndexedDB, which copies whole
   * files), or `memory://` (nothing kept).
   */
  readonly dataDir?: string | undefined
  /** Master keys; absent, they are generated once and kept in `keyStorage`. */
  readonly masterKeys?: KeyProvider.MasterKeys | undefined
  /** Default `globalThis.localStorage`. */
  readonly keyStorage?: KeyStorage | undefined
  /**
   * PGlite's own options (extensions, a preloaded `pgliteWasmModule`, ...). Statements do not wait for storage
   * (`client.writeInBackground`, default true here): the changed files are written a moment later, between
   * transactions (seeding the demo practice: about 20–30 s, against minutes on OPFS and more than 15 minutes on
   * IndexedDB waiting on every statement). A tab closed within that moment can lose the last writes:
   * `BrowserDatabase.flush` waits until they are kept.
   */
  readonly pglite?: Omit<PGliteOptions, "dataDir" | "username" | "database"> | undefined
  readonly client?: PgliteClient.ClientOptions | undefined
}

/**
 * The open browser store's database: where it lives, and `reset`, which closes it and deletes it and its kept
 * keys. The store is unusable after a reset: rebuild the layer (or reload the page) to start afresh.
 *
 * @since 0.1.0
 */
export class BrowserDatabase extends Context.Service<
  BrowserDatabase,
  {
    readonly dataDir: string
    /** Waits until everything written so far is in the browser's storage (see `Options.pglite`). */
    readonly flush: Effect.Effect<void, SqlError>
    readonly reset: Effect.Effect<void, BrowserStoreError>
  }
>()("@openrcm/store-sql/BrowserDatabase") {}

/**
 * The `keyStorage` entry that holds the master keys of `dataDir`.
 *
 * @since 0.1.0
 */
export const keyStorageKey = (dataDir: string) => `openrcm:master-keys:${dataDir}`

const storageOf = (dataDir: string, keyStorage: KeyStorage | undefined) => {
  const storage = keyStorage ?? (globalThis as { localStorage?: KeyStorage }).localStorage
  return storage === undefined
    ? Effect.fail(new BrowserStoreError({ dataDir, reason: "NoKeyStorage" }))
    : Effect.succeed(storage)
}

/**
 * The master keys kept for `dataDir`, generated and kept on first use. Keys that are kept but unreadable fail
 * the start rather than being replaced: new keys would leave the stored PHI unreadable for good.
 *
 * @since 0.1.0
 */
export const loadKeys = (
  dataDir: string,
  keyStorage?: KeyStorage | undefined
): Effect.Effect<KeyProvider.MasterKeys, BrowserStoreError> =>
  Effect.gen(function* () {
    const storage = yield* storageOf(dataDir, keyStorage)
    const entry = keyStorageKey(dataDir)
    const text = yield* Effect.try({
      try: () => storage.getItem(entry),
      catch: () => new BrowserStoreError({ dataDir, reason: "KeysUnreadable" })
    })
    if (text !== null) {
      return yield* Schema.decodeUnknownEffect(Schema.fromJsonString(KeyProvider.MasterKeys))(text).pipe(
        Effect.mapError(() => new BrowserStoreError({ dataDir, reason: "KeysUnreadable" }))
      )
    }
    const keys: KeyProvider.MasterKeys = { current: "k1", keys: { k1: yield* KeyProvider.generateMasterKey } }
    yield* Effect.try({
      try: () => storage.setItem(entry, JSON.stringify(keys)),
      catch: () => new BrowserStoreError({ dataDir, reason: "KeysUnwritable" })
    })
    return keys
  })

// The few browser storage APIs used here, described structurally: the module also type-checks in Node-only
// programs (the CLI compiles this package's sources) where the DOM library is absent.
interface DeleteRequest {
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface IndexedDbLike {
  readonly deleteDatabase: (name: string) => DeleteRequest
}
interface StorageManagerLike {
  readonly getDirectory: () => Promise<{
    readonly removeEntry: (name: string, options: { readonly recursive: boolean }) => Promise<void>
  }>
}

/** IndexedDB as PGlite names it: Emscripten's IDBFS names the database after its mount point. */
const indexedDbName = (dataDir: string) => `/pglite/${dataDir.slice("idb://".length)}`

const deleteIndexedDb = (dataDir: string) =>
  Effect.callback<void, BrowserStoreError>((resume) => {
    const idb = (globalThis as { indexedDB?: IndexedDbLike }).indexedDB
    if (idb === undefined) return resume(Effect.void)
    const request = idb.deleteDatabase(indexedDbName(dataDir))
    request.onsuccess = () => resume(Effect.void)
    request.onerror = () => resume(Effect.fail(new BrowserStoreError({ dataDir, reason: "DeleteFailed" })))
    // Blocked: another page of the origin still has the database open; the deletion waits for it.
  }).pipe(
    Effect.timeoutOrElse({
      duration: "10 seconds",
      orElse: () => Effect.fail(new BrowserStoreError({ dataDir, reason: "DeleteBlocked" }))
    })
  )

const opfsPrefix = "memfs2opfs://"

const deleteOpfsDirectory = (dataDir: string) =>
  Effect.tryPromise({
    try: async () => {
      const storage = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage
      if (storage === undefined) return
      const root = await storage.getDirectory()
      await root.removeEntry(dataDir.slice(opfsPrefix.length), { recursive: true }).catch((error: unknown) => {
        if ((error as { name?: unknown } | null)?.name !== "NotFoundError") throw error
      })
    },
    catch: () => new BrowserStoreError({ dataDir, reason: "DeleteFailed" })
  })

/**
 * Deletes the database of `dataDir` (when it is `idb://` or `memfs2opfs://`) and its kept keys. Run it with the store closed (or
 * use `BrowserDatabase.reset`, which closes it first); another open page of the origin makes it fail with
 * `DeleteBlocked` after 10 seconds.
 *
 * @since 0.1.0
 */
export const reset = (
  dataDir: string = defaultDataDir,
  keyStorage?: KeyStorage | undefined
): Effect.Effect<void, BrowserStoreError> =>
  Effect.gen(function* () {
    if (dataDir.startsWith("idb://")) yield* deleteIndexedDb(dataDir)
    if (dataDir.startsWith(opfsPrefix)) yield* deleteOpfsDirectory(dataDir)
    const storage = yield* storageOf(dataDir, keyStorage).pipe(Effect.option)
    if (storage._tag === "Some") {
      yield* Effect.try({
        try: () => storage.value.removeItem(keyStorageKey(dataDir)),
        catch: () => new BrowserStoreError({ dataDir, reason: "KeysUnwritable" })
      })
    }
  })

const database = (dataDir: string, keyStorage: KeyStorage | undefined) =>
  Layer.effect(
    BrowserDatabase,
    Effect.map(PgliteClient.PgliteDatabase, ({ db, flush }) =>
      BrowserDatabase.of({
        dataDir,
        flush,
        reset: flush.pipe(
          Effect.ignore,
          Effect.andThen(PgliteClient.close(db)),
          Effect.andThen(reset(dataDir, keyStorage))
        )
      })
    )
  )

const clientLayer = (dataDir: string, options: Pick<Options, "client" | "pglite">) =>
  PgliteClient.layerFrom(dataDir, {
    writeInBackground: true,
    ...options.client,
    pglite: options.pglite
  })

/**
 * The Store (and `StoreKeys`, `Tenancy`, `SqlClient`, `PgliteDatabase` and `BrowserDatabase`) on PGlite in this
 * page, with the context's `KeyProvider`: for master keys that are not kept in the page.
 *
 * @since 0.1.0
 */
export const layerWith = (options: Omit<Options, "masterKeys" | "keyStorage"> = {}) => {
  const dataDir = options.dataDir ?? defaultDataDir
  const client = clientLayer(dataDir, options)
  return SqlStore.layerMigrated({ ...options, tenantRole }).pipe(
    Layer.provideMerge(Layer.merge(client, database(dataDir, undefined).pipe(Layer.provide(client))))
  )
}

/**
 * The Store on PGlite in this page, with master keys kept in `keyStorage` (see the module's note on custody).
 *
 * ```ts
 * const runtime = ManagedRuntime.make(BrowserStore.layer({ dataDir: "idb://openrcm-playground" }))
 * // Reset: run `BrowserDatabase.reset` through the runtime, dispose it, then build a new one (or reload).
 * ```
 *
 * @since 0.1.0
 */
export const layer = (options: Options = {}) => {
  const dataDir = options.dataDir ?? defaultDataDir
  const keys =
    options.masterKeys === undefined
      ? Layer.effect(KeyProvider.KeyProvider, Effect.flatMap(loadKeys(dataDir, options.keyStorage), KeyProvider.make))
      : KeyProvider.layerStatic(options.masterKeys)
  const client = clientLayer(dataDir, options)
  return SqlStore.layerMigrated({ ...options, tenantRole }).pipe(
    Layer.provideMerge(Layer.merge(client, database(dataDir, options.keyStorage).pipe(Layer.provide(client)))),
    Layer.provide(keys)
  )
}
