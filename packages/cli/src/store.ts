import { userInfo } from "node:os"
import { resolve } from "node:path"
import { Caller, type Claim, Ids, KeyProvider, Store } from "@openrcm/core"
import { Effect, FileSystem, Layer, Option, type Redacted } from "effect"
import { Flag } from "effect/cli"
import { decodeDocument, InputError } from "./input.js"
import { packFlag, runOperation } from "./operation.js"

/** The embedded store's data folder when neither `--data` nor a database URL is given. */
export const defaultDataDir = "./openrcm-data"

/** The environment variable naming a PostgreSQL server (the store-sql `Server.urlConfigName`). */
export const databaseUrlVariable = "OPENRCM_DATABASE_URL"

/**
 * The embedded store's key file: `<data folder>.keys.json`, beside the folder and not in it (EmbeddedStore's
 * default, on the resolved path, so `./data/` and `./data` name the same file).
 */
export const keyFileOf = (dataDir: string): string => `${resolve(dataDir)}.keys.json`

const purposes = [
  "treatment",
  "payment",
  "operations",
  "patient-request",
  "audit"
] as const satisfies ReadonlyArray<Caller.Purpose>

/** The flags every command on the store takes: where the store is, who acts, why, and the extra rule packs. */
export const storeFlags = {
  data: Flag.String("data").pipe(
    Flag.withDescription(
      `The embedded store's data folder (default ${defaultDataDir}; its key file is <folder>.keys.json, beside it)`
    ),
    Flag.optional
  ),
  databaseUrl: Flag.Redacted("database-url").pipe(
    Flag.withDescription(
      `A PostgreSQL server instead (default: ${databaseUrlVariable} when set); master keys from OPENRCM_MASTER_KEYS`
    ),
    Flag.optional
  ),
  tenant: Flag.String("tenant").pipe(Flag.withDescription("The tenant to act for")),
  actor: Flag.String("actor").pipe(
    Flag.withDescription("Who acts, as written in the audit trail: an id, never a name (default cli:<user>)"),
    Flag.optional
  ),
  purpose: Flag.Literals("purpose", purposes).pipe(
    Flag.withDescription("The purpose of use written in the audit trail"),
    Flag.withDefault("payment" as const)
  ),
  pack: packFlag
}

export interface StoreFlags {
  readonly data: Option.Option<string>
  readonly databaseUrl: Option.Option<Redacted.Redacted<string>>
  readonly tenant: string
  readonly actor: Option.Option<string>
  readonly purpose: Caller.Purpose
  readonly pack: ReadonlyArray<string>
}

type Target =
  | { readonly _tag: "Embedded"; readonly dataDir: string }
  | { readonly _tag: "Server"; readonly url: Option.Option<Redacted.Redacted<string>> }

const targetOf = (flags: StoreFlags, mustExist: boolean) =>
  Effect.gen(function* () {
    if (Option.isSome(flags.data) && Option.isSome(flags.databaseUrl)) {
      return yield* new InputError({ problems: ["give --data or --database-url, not both"] })
    }
    if (Option.isSome(flags.databaseUrl)) return { _tag: "Server", url: flags.databaseUrl } satisfies Target
    if (Option.isNone(flags.data) && (process.env[databaseUrlVariable] ?? "") !== "") {
      return { _tag: "Server", url: Option.none() } satisfies Target
    }
    const data = Option.getOrElse(flags.data, () => defaultDataDir)
    if (mustExist) {
      const fs = yield* FileSystem.FileSystem
      const exists = yield* fs.exists(data).pipe(Effect.orElseSucceed(() => false))
      if (!exists) {
        return yield* new InputError({
          problems: [`${data}: no store there (build claims into it first, or name the data folder with --data)`]
        })
      }
    }
    return { _tag: "Embedded", dataDir: resolve(data) } satisfies Target
  })

// Loaded when a command opens the store, so that the other commands do not load PGlite and the SQL client.
const layerOf = (target: Target): Layer.Layer<Store.Store, unknown> =>
  Layer.unwrap(
    Effect.map(
      Effect.promise(() => import("@openrcm/store-sql")),
      ({ EmbeddedStore, ServerStore }): Layer.Layer<Store.Store, unknown> =>
        target._tag === "Embedded"
          ? EmbeddedStore.layer({ dataDir: target.dataDir, keyFile: keyFileOf(target.dataDir) })
          : Option.match(target.url, {
              onNone: () => ServerStore.layerConfig(),
              onSome: (url) => ServerStore.layer({ url })
            }).pipe(Layer.provide(KeyProvider.layerConfig()))
    )
  )

/** `cli:<user>`, the user name kept to the characters an actor id may hold. */
const defaultActor = (): string => {
  let user = "unknown"
  try {
    user = userInfo().username
  } catch {}
  const safe = user.replace(/[^A-Za-z0-9._:@-]/gu, "_").slice(0, 120)
  return `cli:${safe === "" ? "unknown" : safe}`
}

const callerOf = (flags: StoreFlags) =>
  Effect.gen(function* () {
    const tenantId = yield* decodeDocument(Ids.TenantId, "--tenant", flags.tenant)
    const actor = yield* decodeDocument(Caller.Actor, "--actor", Option.getOrElse(flags.actor, defaultActor))
    return { tenantId, actor, purpose: flags.purpose } satisfies Caller.CallerInfo
  })

/**
 * Runs an operation on the store the flags name, as the caller they name, with the built-in rule packs and the
 * user's. `mustExist`: an embedded data folder that is not there is an input error (a typo in `--data` must not
 * start an empty store).
 */
export const withStore = <A, E, R>(
  flags: StoreFlags,
  options: { readonly mustExist: boolean },
  operation: Effect.Effect<A, E, R>
) =>
  Effect.gen(function* () {
    const target = yield* targetOf(flags, options.mustExist)
    const caller = yield* callerOf(flags)
    return yield* runOperation(
      flags.pack,
      operation.pipe(Effect.provide(Layer.merge(layerOf(target), Caller.layer(caller))))
    )
  })

/** Every claim id in these statuses, read page by page before any of them changes. */
export const claimIdsIn = (statuses: ReadonlyArray<Claim.Status>) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const claims = yield* Store.everyPage((page) => store.claims.query({ ...page, status: statuses }))
    return claims.map((claim): Ids.ClaimId => claim.id)
  })
