// Key management on the SQL store, seen in the raw tables: a data key rotation (old values stay readable, new
// ones use the new key, one active data key), a master key rotation with re-wrapping (after which the old master
// key can go), what happens without re-wrapping, and rotations seen by another store instance on the same
// database or undone by their transaction.
import { describe, expect, layer } from "@effect/vitest"
import type { Ids } from "@openrcm/core"
import { type KeyProvider, Store } from "@openrcm/core"
import { Effect, Layer, Option, Schema } from "effect"
import * as F from "../../core/test/store/fixtures.js"
import * as SqlStore from "../src/SqlStore.js"
import {
  admin,
  as,
  Backend,
  errorText,
  keyK1,
  keyK2,
  needlesIn,
  pgliteBackend,
  serverBackend,
  storeFailure,
  storeOn,
  withLayer
} from "./security.js"

const timeout = 60_000

const onlyK1 = { current: "k1", keys: { k1: keyK1 } }
const bothK2Current = { current: "k2", keys: { k1: keyK1, k2: keyK2 } }
const onlyK2 = { current: "k2", keys: { k2: keyK2 } }

interface KeyRow {
  readonly id: string
  readonly purpose: "data" | "index"
  readonly active: boolean
  readonly master_key_id: string
  readonly wrapped: string
}

const keyRows = (tenant: Ids.TenantId) =>
  admin(
    (sql) =>
      sql<KeyRow>`select id, purpose, active, master_key_id, wrapped from tenant_keys
      where tenant_id = ${tenant} order by created_at, id`.withoutTransform
  )

/** The data key id a patient's sealed first name names (`enc:1:<keyId>:...`). */
const sealedKeyId = (tenant: Ids.TenantId, id: string) =>
  admin(
    (sql) =>
      sql<{ first: string }>`select data->>'firstName' as first from patients
      where tenant_id = ${tenant} and id = ${id}`.withoutTransform
  ).pipe(
    Effect.map((rows) => {
      const first = rows[0]?.first ?? ""
      expect(first).toMatch(/^enc:1:[^:]+:/)
      return first.split(":")[2]
    })
  )

const activeDataKeys = (rows: ReadonlyArray<KeyRow>) => rows.filter((row) => row.purpose === "data" && row.active)

class Boom extends Schema.TaggedError<Boom>()("Boom", {}) {}

const keysSuite = (name: string, backend: Layer.Layer<Backend, unknown>) =>
  layer(backend, { excludeTestServices: true, timeout })(name, (it) => {
    const storeWith = (masterKeys: KeyProvider.MasterKeys = onlyK1) =>
      Effect.map(Backend, (b) => storeOn(b, { masterKeys })).pipe(Layer.unwrap)

    it.effect(
      "rotateDataKey: values written before stay readable, values after use the new key, one key is active",
      () =>
        Effect.gen(function* () {
          const tenant = F.tenantId("rotate")
          const p1 = F.patient(tenant)
          const c1 = F.coverage(tenant, { patientId: p1.id })
          const p2 = F.patient(tenant)
          yield* Effect.gen(function* () {
            const s = yield* Store.Store
            const keys = yield* SqlStore.StoreKeys
            yield* s.patients.put(p1)
            yield* s.coverages.put(c1)
            const before = yield* keyRows(tenant)
            expect(before.map((row) => row.purpose).sort()).toEqual(["data", "index"])
            const first = activeDataKeys(before)[0]?.id
            expect(yield* sealedKeyId(tenant, p1.id)).toBe(first)

            yield* keys.rotateDataKey()
            const after = yield* keyRows(tenant)
            expect(after.filter((row) => row.purpose === "data")).toHaveLength(2)
            expect(after.filter((row) => row.purpose === "index")).toHaveLength(1)
            expect(activeDataKeys(after)).toHaveLength(1)
            const second = activeDataKeys(after)[0]?.id
            expect(second).not.toBe(first)

            yield* s.patients.put(p2)
            expect(yield* sealedKeyId(tenant, p2.id)).toBe(second)
            expect(yield* sealedKeyId(tenant, p1.id)).toBe(first)
            expect(yield* s.patients.get(p1.id)).toEqual(Option.some(p1))
            expect(yield* s.patients.get(p2.id)).toEqual(Option.some(p2))
            // The index key does not rotate: the member id is still found.
            expect(yield* s.coverages.findByMemberId(c1.memberId)).toEqual([c1])
            // Rewriting an old record seals it with the new key.
            yield* s.patients.put(p1)
            expect(yield* sealedKeyId(tenant, p1.id)).toBe(second)

            yield* keys.rotateDataKey()
            const third = yield* keyRows(tenant)
            expect(third.filter((row) => row.purpose === "data")).toHaveLength(3)
            expect(activeDataKeys(third)).toHaveLength(1)
            const events = yield* s.audit.events()
            expect(events.filter((e) => e.action === "keys.rotateDataKey").map((e) => e.entityId)).toEqual([
              second,
              activeDataKeys(third)[0]?.id
            ])
            expect((yield* s.audit.verify())._tag).toBe("Intact")
          }).pipe(as(tenant), withLayer(storeWith()))

          // A fresh instance (nothing cached) reads everything with the stored keys.
          yield* Effect.gen(function* () {
            const s = yield* Store.Store
            expect(yield* s.patients.get(p1.id)).toEqual(Option.some(p1))
            expect(yield* s.patients.get(p2.id)).toEqual(Option.some(p2))
            expect(yield* s.coverages.findByMemberId(c1.memberId)).toEqual([c1])
          }).pipe(as(tenant), withLayer(storeWith()))
        })
    )

    it.effect("master key rotation: re-wrapped with the new master key, the old one can go", () =>
      Effect.gen(function* () {
        const tenant = F.tenantId("master")
        const p1 = F.patient(tenant)
        const c1 = F.coverage(tenant, { patientId: p1.id })
        const p2 = F.patient(tenant)
        // Under k1, with two data keys (one rotation) and the index key.
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          yield* s.patients.put(p1)
          yield* s.coverages.put(c1)
          yield* (yield* SqlStore.StoreKeys).rotateDataKey()
        }).pipe(as(tenant), withLayer(storeWith(onlyK1)))
        const underK1 = yield* keyRows(tenant)
        expect(underK1).toHaveLength(3)
        expect(underK1.map((row) => row.master_key_id)).toEqual(["k1", "k1", "k1"])

        // k2 current, k1 still known: reads work, rewrapKeys moves the three keys, a second call none.
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          const keys = yield* SqlStore.StoreKeys
          expect(yield* s.patients.get(p1.id)).toEqual(Option.some(p1))
          expect(yield* keys.rewrapKeys()).toBe(3)
          expect(yield* keys.rewrapKeys()).toBe(0)
          yield* s.patients.put(p2)
        }).pipe(as(tenant), withLayer(storeWith(bothK2Current)))
        const underK2 = yield* keyRows(tenant)
        expect(underK2.map((row) => row.master_key_id)).toEqual(["k2", "k2", "k2"])
        expect(underK2.map((row) => row.id)).toEqual(underK1.map((row) => row.id))
        for (const [i, row] of underK2.entries()) expect(row.wrapped).not.toBe(underK1[i]?.wrapped)

        // Only k2 left: everything still reads.
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          expect(yield* s.patients.get(p1.id)).toEqual(Option.some(p1))
          expect(yield* s.patients.get(p2.id)).toEqual(Option.some(p2))
          expect(yield* s.coverages.findByMemberId(c1.memberId)).toEqual([c1])
          expect((yield* s.audit.verify())._tag).toBe("Intact")
        }).pipe(as(tenant), withLayer(storeWith(onlyK2)))
      })
    )

    it.effect("without re-wrapping, a store with only the new master key cannot open the tenant's keys (typed)", () =>
      Effect.gen(function* () {
        const tenant = F.tenantId("norewrap")
        const p = F.patient(tenant)
        yield* Store.Store.use((s) => s.patients.put(p)).pipe(as(tenant), withLayer(storeWith(onlyK1)))
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          for (const op of [
            s.patients.get(p.id),
            s.patients.put(F.patient(tenant)),
            s.audit.verify(),
            Effect.flatMap(SqlStore.StoreKeys, (keys) => keys.rewrapKeys()),
            Effect.flatMap(SqlStore.StoreKeys, (keys) => keys.rotateDataKey())
          ]) {
            const error = yield* storeFailure(op)
            expect(error.reason._tag).toBe("Unavailable")
            expect(needlesIn(errorText(error))).toEqual([])
            expect(errorText(error)).not.toContain(keyK1)
          }
        }).pipe(as(tenant), withLayer(storeWith(onlyK2)))
        // Nothing was written under the wrong key: with k1 back, the tenant is as it was.
        const rows = yield* keyRows(tenant)
        expect(rows.map((row) => row.master_key_id)).toEqual(["k1", "k1"])
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          expect(yield* s.patients.get(p.id)).toEqual(Option.some(p))
          expect((yield* s.patients.list()).items).toEqual([p])
        }).pipe(as(tenant), withLayer(storeWith(onlyK1)))
      })
    )

    it.effect("a rotation made by another store instance on the same database: this one still reads and writes", () =>
      Effect.gen(function* () {
        const tenant = F.tenantId("instances")
        const p0 = F.patient(tenant)
        const p1 = F.patient(tenant)
        const p2 = F.patient(tenant)
        const b = yield* Backend
        yield* Effect.scoped(
          Effect.gen(function* () {
            const one = yield* Layer.build(storeOn(b))
            const two = yield* Layer.build(storeOn(b))
            const inOne = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.provide(e, one).pipe(as(tenant))
            const inTwo = <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.provide(e, two).pipe(as(tenant))
            yield* inOne(Store.Store.use((s) => s.patients.put(p0)))
            // Instance two opens the tenant's keys.
            expect(yield* inTwo(Store.Store.use((s) => s.patients.get(p0.id)))).toEqual(Option.some(p0))
            // Instance one rotates and writes with the new key.
            yield* inOne(SqlStore.StoreKeys.use((keys) => keys.rotateDataKey()))
            yield* inOne(Store.Store.use((s) => s.patients.put(p1)))
            const active = activeDataKeys(yield* keyRows(tenant))[0]?.id
            expect(yield* sealedKeyId(tenant, p1.id)).toBe(active)
            // Instance two reads what one wrote after the rotation...
            const read = yield* Effect.exit(inTwo(Store.Store.use((s) => s.patients.get(p1.id))))
            expect(read._tag === "Success" ? read.value : errorText(read.cause)).toEqual(Option.some(p1))
            // ... and its own new writes use the active key.
            yield* inTwo(Store.Store.use((s) => s.patients.put(p2)))
            expect(yield* sealedKeyId(tenant, p2.id)).toBe(active)
          })
        )
      })
    )

    it.effect("a rotation undone by its transaction leaves no trace: later writes stay readable after a restart", () =>
      Effect.gen(function* () {
        const tenant = F.tenantId("undone")
        const p = F.patient(tenant)
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          const keys = yield* SqlStore.StoreKeys
          yield* s.patients.put(F.patient(tenant))
          const before = yield* keyRows(tenant)
          const undone = yield* Effect.flip(
            s.transaction(Effect.andThen(keys.rotateDataKey(), Effect.fail(new Boom())))
          )
          expect(undone).toBeInstanceOf(Boom)
          expect(yield* keyRows(tenant)).toEqual(before)
          yield* s.patients.put(p)
          expect(yield* s.patients.get(p.id)).toEqual(Option.some(p))
        }).pipe(as(tenant), withLayer(storeWith()))
        // A restarted store (nothing cached) reads p: it was sealed with a key the database holds.
        const read = yield* Effect.exit(
          Store.Store.use((s) => s.patients.get(p.id)).pipe(as(tenant), withLayer(storeWith()))
        )
        expect(read._tag === "Success" ? read.value : errorText(read.cause)).toEqual(Option.some(p))
        const stored = (yield* keyRows(tenant)).map((row) => row.id)
        expect(stored).toContain(yield* sealedKeyId(tenant, p.id))
      })
    )
  })

describe("key management", () => {
  keysSuite("on PGlite", pgliteBackend())
  keysSuite("on PostgreSQL", serverBackend("keys"))
})
