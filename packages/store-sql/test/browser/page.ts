// A page that opens BrowserStore (PGlite in IndexedDB, PHI sealed with Web Crypto) and offers the test a few
// operations on `window.storeHarness`; BrowserStore.e2e.ts drives it in headless Chromium.
import { Caller, Ids, Patient, Store } from "@openrcm/core"
import { Effect, ManagedRuntime, Option, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as BrowserStore from "../../src/BrowserStore.js"

const dataDir = "idb://openrcm-store-harness"
const tenantId = Schema.decodeUnknownSync(Ids.TenantId)("t-browser")
const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "pat-browser-1",
  tenantId,
  firstName: "Zephyrina",
  lastName: "Quillfeather",
  dateOfBirth: "1987-04-23",
  sex: "F",
  address: { line1: "17 Larkspur Row", city: "Portland", state: "OR", postalCode: "97213" },
  phone: "555-0147-882"
})

let runtime = ManagedRuntime.make(BrowserStore.layer({ dataDir }))

const asCaller = Effect.provideService(Caller.Caller, { tenantId, actor: "user:harness", purpose: "operations" })
const run = <A, E>(effect: Effect.Effect<A, E, Store.Store | SqlClient | BrowserStore.BrowserDatabase>) =>
  runtime.runPromise(effect)

const harness = {
  open: () => run(Effect.void).then(() => "open"),
  write: () => run(Effect.flatMap(Store.Store, (store) => store.patients.put(patient)).pipe(asCaller)),
  read: () =>
    run(
      Effect.flatMap(Store.Store, (store) => store.patients.get(patient.id)).pipe(
        asCaller,
        Effect.map(Option.match({ onNone: () => null, onSome: (p) => `${p.firstName} ${p.lastName} ${p.dateOfBirth}` }))
      )
    ),
  /** What the table holds, read past the Store: the sealed JSON. */
  raw: () =>
    run(
      Effect.flatMap(SqlClient, (sql) => sql<{ data: string }>`select data::text as data from patients`).pipe(
        Effect.map((rows) => rows.map((row) => row.data).join("\n"))
      )
    ),
  reset: async () => {
    await run(Effect.flatMap(BrowserStore.BrowserDatabase, (db) => db.reset))
    await runtime.dispose()
    runtime = ManagedRuntime.make(BrowserStore.layer({ dataDir }))
  },
  databases: async () => (await indexedDB.databases()).map((db) => db.name ?? ""),
  keptKeys: () => localStorage.getItem(BrowserStore.keyStorageKey(dataDir)) !== null
}

declare global {
  interface Window {
    storeHarness: typeof harness
  }
}
window.storeHarness = harness
const status = document.getElementById("status")
if (status !== null) status.textContent = "ready"
