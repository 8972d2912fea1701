// The playground's runtime: the real packages, wired as a host would wire them. The store is the browser store
// (PGlite kept in IndexedDB, so the practice is there on the next visit), seeded with the demo practice through
// the real Billing operations on the first visit; the clearinghouse is the sandbox, which answers with real X12
// (999, 277CA, 835) it writes from the payers' rule packs. Built once, outside React.
// The sandbox module alone: the package root also exports the SFTP mailbox, which is Node-only.
import * as Sandbox from "@openrcm/clearinghouse-x12/Sandbox"
import { BillingRuntime, Caller, DateOfService } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
// The browser store's module alone: the package root also exports the Node-only embedded and server stores.
import * as BrowserStore from "@openrcm/store-sql/BrowserStore"
import { Effect, Layer } from "effect"
import { clockLayer } from "./clock.js"

/** Who the playground's person is acting as; each role sees the screens it uses. */
export type Role = "front-desk" | "clinician" | "biller" | "admin"

export const roles: ReadonlyArray<{ readonly role: Role; readonly label: string; readonly purpose: Caller.Purpose }> = [
  { role: "front-desk", label: "Front desk", purpose: "operations" },
  { role: "clinician", label: "Clinician", purpose: "treatment" },
  { role: "biller", label: "Biller", purpose: "payment" },
  { role: "admin", label: "Admin", purpose: "operations" }
]

/** The caller a role acts as, in the demo practice's tenant. */
export const callerOf = (role: Role): Caller.CallerInfo => ({
  tenantId: DemoPractice.ids.tenantId,
  actor: `user:${role}`,
  purpose: roles.find((r) => r.role === role)?.purpose ?? "operations"
})

/** Today in the practice's time zone: the demo's history counts back from it. */
export const today = Effect.runSync(DateOfService.today(DemoPractice.timeZone))

/** Where the practice is kept between visits. */
const dataDir = "idb://openrcm-playground"

/**
 * The browser store, seeded with the demo practice unless an earlier visit did (then the seed writes nothing), and
 * flushed to IndexedDB before the screens show (the store writes in the background between transactions).
 */
const store = Layer.effectDiscard(
  Effect.gen(function* () {
    yield* DemoPractice.seed({ today }).pipe(Effect.provideService(Caller.Caller, DemoPractice.caller))
    const database = yield* BrowserStore.BrowserDatabase
    yield* database.flush
  }).pipe(Effect.orDie)
).pipe(Layer.provideMerge(BrowserStore.layer({ dataDir })))

const makeRuntime = () =>
  BillingRuntime.make(
    Layer.mergeAll(
      clockLayer,
      store,
      // Answers come as soon as the person asks for them: the sandbox's clock delays are for tests.
      Sandbox.layerBuiltin({
        members: DemoPractice.members(today),
        timeZone: DemoPractice.timeZone,
        delays: { acknowledgement: 0, claimStatus: 0, remittance: 0 }
      })
    )
  )

export type PlaygroundRuntime = ReturnType<typeof makeRuntime>

/** The first runtime; `reset` makes another (the app disposes the old one once nothing on screen uses it). */
export const initialRuntime = makeRuntime()

/** Resolves once the store is open (and, on a first visit, seeded): the first visit takes a while. */
export const ready = (playground: PlaygroundRuntime): Promise<unknown> => playground.managed.context()

/** Writes what the store still holds in memory to IndexedDB: when the page is hidden or closed. */
export const flush = (playground: PlaygroundRuntime): Promise<void> =>
  playground.runPromise(
    Effect.gen(function* () {
      const database = yield* BrowserStore.BrowserDatabase
      yield* database.flush
    })
  )

/** Deletes the kept practice (database and keys) and starts a fresh one, seeded anew. */
export const reset = async (playground: PlaygroundRuntime): Promise<PlaygroundRuntime> => {
  await playground.runPromise(
    Effect.gen(function* () {
      const database = yield* BrowserStore.BrowserDatabase
      yield* database.reset
    })
  )
  await playground.dispose()
  return makeRuntime()
}

/** Every X12 file the sandbox exchanged this visit: the 837Ps sent and the 999, 277CA and 835 answers. */
export const sandboxFiles = (playground: PlaygroundRuntime) =>
  playground.runPromise(
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      return yield* sandbox.files
    })
  )
