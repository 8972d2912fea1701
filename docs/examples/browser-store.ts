// docs/store.md, "In a browser": the store on PGlite in the page, a first visit, a later visit, and a reset.
import { Caller, Patient, Store } from "@openrcm/core"
import * as BrowserStore from "@openrcm/store-sql/BrowserStore"
import { Effect, ManagedRuntime, Option, Schema } from "effect"

// One runtime for the page. The database lives in the origin-private file system under this name (or in
// IndexedDB: "idb://openrcm-playground"); its master key in localStorage.
export const openStore = (options: BrowserStore.Options = {}) =>
  ManagedRuntime.make(BrowserStore.layer({ dataDir: "memfs2opfs://openrcm-playground", ...options }))

type Runtime = ReturnType<typeof openStore>

const frontDesk = Effect.provideService(Caller.Caller, {
  tenantId: "riverbend" as never,
  actor: "user:42",
  purpose: "payment"
})

const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "pat-1",
  tenantId: "riverbend",
  firstName: "Jordan",
  lastName: "Rivera",
  dateOfBirth: "1988-04-12",
  sex: "U",
  address: { line1: "12 Elm St", city: "Springfield", state: "IL", postalCode: "62701" }
})

// Writes the patient on a first visit; a later visit (after a reload) finds it.
export const visit = (runtime: Runtime): Promise<string> =>
  runtime.runPromise(
    Effect.gen(function* () {
      const store = yield* Store.Store
      const found = yield* store.patients.get(patient.id)
      if (Option.isSome(found)) return `welcome back, ${found.value.firstName}`
      yield* store.patients.put(patient)
      // PGlite writes to storage in the background; flush waits until the data is kept.
      yield* Effect.flatMap(BrowserStore.BrowserDatabase, (database) => database.flush)
      return "first visit: practice saved"
    }).pipe(frontDesk)
  )

// "Reset": close and delete the database and its key, then start a new runtime (or reload the page).
export const reset = async (runtime: Runtime): Promise<void> => {
  await runtime.runPromise(Effect.flatMap(BrowserStore.BrowserDatabase, (database) => database.reset))
  await runtime.dispose()
}
