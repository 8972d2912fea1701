// PHI encryption at rest, seen from under the Store: the bytes of an embedded data folder and a pg_dump of the
// server hold no canary PHI (and do when encryption is off, so the search is shown to work); the member id's
// blind index; and sealed values moved by someone with write access to the tables do not open.
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join, relative } from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import type { Ids } from "@openrcm/core"
import { KeyProvider, Store } from "@openrcm/core"
import { Context, Effect, Layer, Option, Schema } from "effect"
import * as F from "../../core/test/store/fixtures.js"
import * as EmbeddedStore from "../src/EmbeddedStore.js"
import {
  admin,
  as,
  Backend,
  canary,
  errorText,
  needles,
  needlesIn,
  pgDump,
  pgliteBackend,
  searchFolder,
  serverBackend,
  store,
  storeFailure,
  storeOn,
  tempDir,
  withLayer,
  writeCanary
} from "./security.js"

const timeout = 60_000

/** The error must not carry any of the canary's values. */
const expectNoPhi = (error: unknown) => expect(needlesIn(errorText(error))).toEqual([])

describe("PHI at rest in an embedded data folder", () => {
  it.live(
    "no file under the data folder holds the canary's PHI or the master key; reopened with its key file the data reads back, with another key it is refused",
    () =>
      Effect.gen(function* () {
        const root = yield* tempDir("canary")
        const dataDir = join(root, "data")
        const tenant = F.tenantId("canary")
        // The default key file: beside the data folder, not in it.
        const written = yield* writeCanary(tenant).pipe(withLayer(EmbeddedStore.layer({ dataDir })))
        const keyFile = `${dataDir}.keys.json`
        expect(existsSync(keyFile)).toBe(true)
        expect(relative(dataDir, keyFile).startsWith("..")).toBe(true)

        const search = yield* searchFolder(dataDir, needles)
        expect(search.files).toBeGreaterThan(100)
        expect(search.found).toEqual({})
        // Nor is the master key itself anywhere in the folder.
        const keys = Schema.decodeUnknownSync(KeyProvider.MasterKeys)(
          JSON.parse(yield* Effect.promise(() => readFile(keyFile, "utf8")))
        )
        const material = keys.keys[keys.current] as string
        expect((yield* searchFolder(dataDir, { material })).found).toEqual({})

        // Reopened with the same key file: everything reads back.
        yield* Effect.gen(function* () {
          const s = yield* Store.Store
          expect(yield* s.patients.get(written.patient.id)).toEqual(Option.some(written.patient))
          expect(yield* s.coverages.findByMemberId(canary.memberId)).toEqual([written.coverage])
          expect(Option.getOrThrow(yield* s.claims.get(written.claim.id)).diagnoses).toEqual(canary.diagnoses)
          expect(yield* s.denials.get(written.denial.id)).toEqual(Option.some(written.denial))
        }).pipe(as(tenant), withLayer(EmbeddedStore.layer({ dataDir, keyFile })))

        // Reopened with a fresh key file (a new master key under the same id) or keys of another id: typed
        // failures, never garbage, never PHI in the error.
        const otherKeyFile = join(root, "other.keys.json")
        const otherKeys = { current: "k9", keys: { k9: yield* KeyProvider.generateMasterKey } }
        for (const wrongKeys of [
          EmbeddedStore.layer({ dataDir, keyFile: otherKeyFile }),
          EmbeddedStore.layer({ dataDir, masterKeys: otherKeys })
        ]) {
          yield* Effect.gen(function* () {
            const s = yield* Store.Store
            const reads = [
              Effect.asVoid(s.patients.get(written.patient.id)),
              Effect.asVoid(s.patients.list()),
              Effect.asVoid(s.coverages.findByMemberId(canary.memberId)),
              Effect.asVoid(s.claims.get(written.claim.id)),
              Effect.asVoid(s.denials.get(written.denial.id))
            ]
            for (const read of reads) {
              const error = yield* storeFailure(read)
              expect(["Unavailable", "Corrupt"]).toContain(error.reason._tag)
              expectNoPhi(error)
            }
          }).pipe(as(tenant), withLayer(wrongKeys))
        }
        expect(existsSync(otherKeyFile)).toBe(true)
      }),
    timeout
  )

  it.live(
    "control: with encryption off the same search finds every canary value (the search works)",
    () =>
      Effect.gen(function* () {
        const root = yield* tempDir("canary-clear")
        const dataDir = join(root, "data")
        yield* writeCanary(F.tenantId("canary")).pipe(
          withLayer(EmbeddedStore.layer({ dataDir, keyFile: join(root, "keys.json"), encryptPhi: false }))
        )
        const search = yield* searchFolder(dataDir, needles)
        expect(Object.keys(search.found).sort()).toEqual(Object.keys(needles).sort())
      }),
    timeout
  )
})

describe("PHI at rest on the server: pg_dump of the Store's schema", () => {
  const dumpOfCanary = (encryptPhi: boolean) =>
    Effect.scoped(
      Effect.gen(function* () {
        const backend = Context.get(yield* Layer.build(serverBackend("canary_dump")), Backend)
        yield* writeCanary(F.tenantId("canary")).pipe(withLayer(storeOn(backend, { encryptPhi })))
        return yield* pgDump(backend.schema as string)
      })
    )

  it.live(
    "holds none of the canary's PHI; with encryption off it holds all of it",
    () =>
      Effect.gen(function* () {
        const sealed = yield* dumpOfCanary(true)
        // The dump has the data: the sealed values and the tables' rows.
        expect(sealed).toContain("enc:1:")
        expect(sealed).toContain("COPY")
        expect(needlesIn(sealed)).toEqual([])
        const clear = yield* dumpOfCanary(false)
        expect(needlesIn(clear).sort()).toEqual(Object.keys(needles).sort())
      }),
    timeout
  )
})

// ---- on both backends ---------------------------------------------------------------------------------------

const rawPatient = (tenant: Ids.TenantId, id: string) =>
  admin(
    (sql) =>
      sql<{ first: string; last: string }>`select data->>'firstName' as first, data->>'lastName' as last
      from patients where tenant_id = ${tenant} and id = ${id}`.withoutTransform
  ).pipe(Effect.map((rows) => rows[0]))

const securitySuite = (name: string, backend: Layer.Layer<Backend, unknown>) =>
  layer(Layer.provideMerge(store(), backend), { excludeTestServices: true, timeout })(name, (it) => {
    it.effect("findByMemberId finds the coverage through a blind index that holds neither form of the id", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const memberId = `mbrBlind-${F.unique("x").slice(-8)}Qz`
        const a = F.tenantId("blind")
        const b = F.tenantId("blind")
        const coverage = F.coverage(a, { memberId })
        yield* s.coverages.put(coverage).pipe(as(a))
        yield* s.coverages.put(F.coverage(b, { memberId, id: coverage.id })).pipe(as(b))
        expect(yield* s.coverages.findByMemberId(memberId).pipe(as(a))).toEqual([coverage])
        expect(yield* s.coverages.findByMemberId(memberId, coverage.payerId).pipe(as(a))).toEqual([coverage])
        expect(yield* s.coverages.findByMemberId(memberId, F.payerId()).pipe(as(a))).toEqual([])
        // Exact match: the index folds case, the port does not.
        expect(yield* s.coverages.findByMemberId(memberId.toUpperCase()).pipe(as(a))).toEqual([])

        const rows = yield* admin(
          (sql) =>
            sql<{ tenant: string; member_index: string; data: string }>`select tenant_id as tenant, member_index,
            data::text as data from coverages where id = ${coverage.id} order by tenant_id`.withoutTransform
        )
        expect(rows).toHaveLength(2)
        for (const row of rows) {
          for (const form of [memberId, memberId.toUpperCase(), memberId.toLowerCase()]) {
            expect(row.member_index).not.toContain(form)
            expect(row.data).not.toContain(form)
          }
          expect(row.member_index).toMatch(/^[0-9a-f]{64}$/)
        }
        // Keyed per tenant: the same member id indexes differently in another tenant.
        expect(rows[0]?.member_index).not.toBe(rows[1]?.member_index)
      })
    )

    it.effect("a sealed name swapped between two patients opens for neither (Corrupt, no name in the error)", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant = F.tenantId("swap")
        const p1 = F.patient(tenant, { firstName: canary.firstName })
        const p2 = F.patient(tenant, { firstName: "Ottoline", lastName: "Brackenridge" })
        yield* Effect.all([s.patients.put(p1), s.patients.put(p2)]).pipe(as(tenant))
        const before1 = yield* rawPatient(tenant, p1.id)
        const before2 = yield* rawPatient(tenant, p2.id)
        yield* admin(
          (sql) => sql`update patients p set data = jsonb_set(p.data, '{firstName}', o.data->'firstName')
            from patients o where p.tenant_id = ${tenant} and o.tenant_id = ${tenant}
            and ((p.id = ${p1.id} and o.id = ${p2.id}) or (p.id = ${p2.id} and o.id = ${p1.id}))`
        )
        expect((yield* rawPatient(tenant, p1.id))?.first).toBe(before2?.first)
        expect((yield* rawPatient(tenant, p2.id))?.first).toBe(before1?.first)
        for (const id of [p1.id, p2.id]) {
          const error = yield* storeFailure(s.patients.get(id).pipe(as(tenant)))
          expect(error.reason).toMatchObject({ _tag: "Corrupt", entity: "patient" })
          expectNoPhi(error)
          expect(errorText(error)).not.toContain("Ottoline")
        }
        // A list does not skip the broken records: it fails whole.
        const listed = yield* storeFailure(s.patients.list().pipe(as(tenant)))
        expect(listed.reason._tag).toBe("Corrupt")
      })
    )

    it.effect("a sealed value moved to another field, or copied into another tenant's record, does not open", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const a = F.tenantId("move")
        const b = F.tenantId("move")
        const p = F.patient(a, { firstName: canary.firstName, lastName: canary.lastName })
        // Tenant b has a patient with the same id: the record and field match, only the tenant differs.
        const q = F.patient(b, { id: p.id, firstName: "Ottoline", lastName: "Brackenridge" })
        yield* s.patients.put(p).pipe(as(a))
        yield* s.patients.put(q).pipe(as(b))
        yield* admin(
          (sql) => sql`update patients p set data = o.data from patients o
            where p.tenant_id = ${b} and p.id = ${q.id} and o.tenant_id = ${a} and o.id = ${p.id}`
        )
        const crossed = yield* storeFailure(s.patients.get(q.id).pipe(as(b)))
        expect(crossed.reason).toMatchObject({ _tag: "Corrupt", entity: "patient" })
        expectNoPhi(crossed)

        // The first name moved into the last name of the same record.
        yield* admin(
          (sql) => sql`update patients set data = jsonb_set(data, '{lastName}', data->'firstName')
            where tenant_id = ${a} and id = ${p.id}`
        )
        const moved = yield* storeFailure(s.patients.get(p.id).pipe(as(a)))
        expect(moved.reason).toMatchObject({ _tag: "Corrupt", entity: "patient" })
        expectNoPhi(moved)
      })
    )

    it.effect("sealed member ids, diagnoses and notes copied between records do not open; clear text is refused", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant = F.tenantId("copy")
        const one = yield* writeCanary(tenant)
        const c2 = F.coverage(tenant)
        const claim2 = F.claim(tenant, { diagnoses: ["F41.1"] })
        const denial2 = F.denial(tenant, { notes: [] })
        yield* Effect.all([s.coverages.put(c2), s.claims.create([claim2]), s.denials.save(denial2)]).pipe(as(tenant))
        yield* admin(
          (
            sql
          ) => sql`update coverages p set data = jsonb_set(p.data, '{memberId}', o.data->'memberId') from coverages o
              where p.tenant_id = ${tenant} and p.id = ${c2.id} and o.tenant_id = ${tenant} and o.id = ${one.coverage.id}`
        )
        yield* admin(
          (sql) => sql`update claims p set data = jsonb_set(p.data, '{diagnoses}', o.data->'diagnoses') from claims o
              where p.tenant_id = ${tenant} and p.id = ${claim2.id} and o.tenant_id = ${tenant} and o.id = ${one.claim.id}`
        )
        yield* admin(
          (sql) => sql`update denials p set data = jsonb_set(p.data, '{notes}', o.data->'notes') from denials o
              where p.tenant_id = ${tenant} and p.id = ${denial2.id} and o.tenant_id = ${tenant} and o.id = ${one.denial.id}`
        )
        for (const read of [
          Effect.asVoid(s.coverages.get(c2.id)),
          Effect.asVoid(s.claims.get(claim2.id)),
          Effect.asVoid(s.denials.get(denial2.id))
        ]) {
          const error = yield* storeFailure(read.pipe(as(tenant)))
          expect(error.reason._tag).toBe("Corrupt")
          expectNoPhi(error)
        }
        // A PHI field written in clear around the Store is refused, not taken.
        yield* admin(
          (sql) => sql`update patients set data = jsonb_set(data, '{firstName}', '"Mallory"')
            where tenant_id = ${tenant} and id = ${one.patient.id}`
        )
        const clear = yield* storeFailure(s.patients.get(one.patient.id).pipe(as(tenant)))
        expect(clear.reason).toMatchObject({ _tag: "Corrupt", entity: "patient" })
        expect(errorText(clear)).not.toContain("Mallory")
      })
    )
  })

securitySuite("sealed data on PGlite", pgliteBackend())
securitySuite("sealed data on PostgreSQL", serverBackend("sealed"))
