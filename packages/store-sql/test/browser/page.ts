// A page that opens BrowserStore (PGlite in IndexedDB, PHI sealed with Web Crypto) and offers the test a few
// operations on `window.storeHarness`; BrowserStore.e2e.ts drives it in headless Chromium.
import { Caller, DateOfService, Ids, Patient, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { Effect, ManagedRuntime, Option, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as BrowserStore from "../../src/BrowserStore.js"

// `?dir=idb://...` (or any PGlite data directory) in place of the default, the origin-private file system.
const dataDir = new URL(location.href).searchParams.get("dir") ?? "memfs2opfs://openrcm-store-harness"
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

const open = () => ManagedRuntime.make(BrowserStore.layer({ dataDir }))
let runtime = open()

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
  flush: () => run(Effect.flatMap(BrowserStore.BrowserDatabase, (db) => db.flush)),
  reset: async () => {
    await run(Effect.flatMap(BrowserStore.BrowserDatabase, (db) => db.reset))
    await runtime.dispose()
    runtime = open()
  },
  /** The demo practice seeded (as the playground will), timed. */
  seedDemo: async () => {
    const started = performance.now()
    const summary = await run(
      DemoPractice.seed({ today: DateOfService.make("2026-03-16") }).pipe(
        Effect.provideService(Caller.Caller, DemoPractice.caller)
      )
    )
    return { ms: Math.round(performance.now() - started), ...summary }
  },
  /** How long the store takes to open (PGlite, migrations, keys), timed on a fresh runtime. */
  reopen: async () => {
    await runtime.dispose()
    runtime = open()
    const started = performance.now()
    await run(Effect.void)
    return Math.round(performance.now() - started)
  },
  /** The IndexedDB databases and the origin-private file system's entries (`opfs:<name>`) of the origin. */
  stored: async () => {
    const names = (await indexedDB.databases()).map((db) => db.name ?? "")
    for await (const name of (await navigator.storage.getDirectory()).keys()) names.push(`opfs:${name}`)
    return names
  },
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
