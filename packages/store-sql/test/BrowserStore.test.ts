// BrowserStore's key custody and reset, in Node: PGlite in a folder (the browser test uses IndexedDB) and a
// Map standing in for localStorage.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Caller, Ids, Patient, Store } from "@openrcm/core"
import { Cause, Effect, Exit, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as BrowserStore from "../src/BrowserStore.js"

const memoryStorage = (): BrowserStore.KeyStorage & { readonly items: Map<string, string> } => {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key)
  }
}

const tenantId = Schema.decodeUnknownSync(Ids.TenantId)("t-browser-node")
const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "pat-browser-node",
  tenantId,
  firstName: "Zephyrina",
  lastName: "Quillfeather",
  dateOfBirth: "1987-04-23",
  sex: "F",
  address: { line1: "17 Larkspur Row", city: "Portland", state: "OR", postalCode: "97213" }
})
const asCaller = Effect.provideService(Caller.Caller, { tenantId, actor: "user:test", purpose: "operations" })
const put = Effect.flatMap(Store.Store, (store) => store.patients.put(patient)).pipe(asCaller)
const get = Effect.flatMap(Store.Store, (store) => store.patients.get(patient.id)).pipe(asCaller)

const withFolder = <A, E, R>(body: (dataDir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "openrcm-browser-store-"))),
    (folder) => body(join(folder, "db")),
    (folder) => Effect.promise(() => rm(folder, { recursive: true, force: true }))
  )

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") throw new Error(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
  return error.value
}

describe("BrowserStore", () => {
  it.live("keeps one master key for the data directory and reads the sealed data with it after a restart", () =>
    withFolder((dataDir) =>
      Effect.gen(function* () {
        const keyStorage = memoryStorage()
        const layer = BrowserStore.layer({ dataDir, keyStorage })
        yield* Effect.scoped(Layer.build(layer).pipe(Effect.flatMap((context) => Effect.provideContext(put, context))))
        const kept = keyStorage.items.get(BrowserStore.keyStorageKey(dataDir))
        expect(kept).toBeDefined()
        const read = yield* Effect.scoped(
          Layer.build(layer).pipe(
            Effect.flatMap((context) =>
              Effect.provideContext(
                Effect.all([
                  get,
                  Effect.flatMap(SqlClient, (sql) => sql<{ data: string }>`select data::text from patients`)
                ]),
                context
              )
            )
          )
        )
        expect(Option.map(read[0], (p) => p.firstName)).toEqual(Option.some("Zephyrina"))
        expect(read[1][0]?.data).not.toContain("Zephyrina")
        expect(keyStorage.items.get(BrowserStore.keyStorageKey(dataDir))).toBe(kept)

        // Another master key (as after losing the kept one) cannot open the tenant's data keys.
        const other = yield* Effect.exit(
          Effect.scoped(
            Layer.build(BrowserStore.layer({ dataDir, keyStorage: memoryStorage() })).pipe(
              Effect.flatMap((context) => Effect.provideContext(get, context))
            )
          )
        )
        expect(failureOf(other)).toMatchObject({ _tag: "StoreError" })
      })
    )
  )

  it.live("refuses to start on kept keys it cannot read, and leaves them as they are", () =>
    Effect.gen(function* () {
      const keyStorage = memoryStorage()
      keyStorage.setItem(BrowserStore.keyStorageKey("memory://"), "{not json")
      const exit = yield* Effect.exit(BrowserStore.loadKeys("memory://", keyStorage))
      expect(failureOf(exit)).toMatchObject({ _tag: "BrowserStoreError", reason: "KeysUnreadable" })
      expect(keyStorage.getItem(BrowserStore.keyStorageKey("memory://"))).toBe("{not json")
    })
  )

  it.live("needs somewhere to keep the keys (Node has no localStorage)", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(BrowserStore.loadKeys("memory://"))
      expect(failureOf(exit)).toMatchObject({ reason: "NoKeyStorage" })
    })
  )

  it.live("keeps nothing when master keys are given", () =>
    Effect.gen(function* () {
      const keyStorage = memoryStorage()
      const masterKeys = { current: "k1", keys: { k1: "YnJvd3NlciBzdG9yZSB0ZXN0IG1hc3RlciBrZXkgMTI=" } }
      const found = yield* Effect.scoped(
        Layer.build(BrowserStore.layer({ dataDir: "memory://", keyStorage, masterKeys })).pipe(
          Effect.flatMap((context) => Effect.provideContext(Effect.andThen(put, get), context))
        )
      )
      expect(Option.isSome(found)).toBe(true)
      expect(keyStorage.items.size).toBe(0)
    })
  )

  it.live("reset closes the database and forgets the keys", () =>
    Effect.gen(function* () {
      const keyStorage = memoryStorage()
      const after = yield* Effect.scoped(
        Layer.build(BrowserStore.layer({ dataDir: "memory://", keyStorage })).pipe(
          Effect.flatMap((context) =>
            Effect.provideContext(
              Effect.gen(function* () {
                yield* put
                expect(keyStorage.items.size).toBe(1)
                yield* Effect.flatMap(BrowserStore.BrowserDatabase, (db) => db.reset)
                return yield* Effect.exit(Effect.flatMap(SqlClient, (sql) => sql`select 1`))
              }),
              context
            )
          )
        )
      )
      expect(keyStorage.items.size).toBe(0)
      expect(failureOf(after)).toMatchObject({ reason: { _tag: "ConnectionError" } })
    })
  )
})
