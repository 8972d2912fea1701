// Runtimes for stories: every state a component can be in comes from a real runtime, not from props faked
// around it. `seeded` is the in-memory store with the synthetic demo practice; `failing` and `pending` are stores
// whose every operation fails with one error or never answers, for the error and loading states.
import { BillingRuntime, type Caller, Clearinghouse, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"

/** The caller stories act as: the demo practice's biller. */
export const caller: Caller.CallerInfo = { ...DemoPractice.caller, actor: "user:biller-1", purpose: "payment" }

/**
 * The in-memory store seeded with the demo practice (`DemoPractice.ids` names its notable records). The day is
 * fixed so stories look the same every day; `denials` adds that many to the work queue for large-data stories.
 */
export const seeded = (options?: { readonly denials?: number }) =>
  BillingRuntime.make(DemoPractice.layer({ today: demoToday, ...options }))

/** "Today" in every seeded story. */
export const demoToday = "2026-11-16" as DemoPractice.Options["today"] & string

// A store whose every repository method (store.claims.get, store.denials.queue, ...) and `transaction` answer
// with `answer`: the Store port is a record of repositories of functions, so two proxy levels cover it.
const storeAnswering = (answer: () => Effect.Effect<never, Store.StoreError>): Store.StoreShape => {
  const method = new Proxy(() => answer(), { get: () => () => answer() })
  return new Proxy({} as Store.StoreShape, {
    get: (_, key) => (key === "transaction" ? () => answer() : new Proxy({}, { get: () => method }))
  })
}

/** Every store operation fails with `error`: the error states. */
export const failing = (error: Store.StoreError) =>
  BillingRuntime.make(
    Layer.succeed(
      Store.Store,
      storeAnswering(() => Effect.fail(error))
    )
  )

/** Every store operation waits forever: the loading states. */
export const pending = () =>
  BillingRuntime.make(
    Layer.succeed(
      Store.Store,
      storeAnswering(() => Effect.never)
    )
  )

/** An empty in-memory store: the empty states. */
export const empty = () => BillingRuntime.make(InMemoryStore.layer)

/** Retryable: the store is down for a moment. */
export const unavailable = new Store.StoreError({ reason: new Store.Unavailable({ detail: "connection refused" }) })

/** Final: a stored record cannot be read. */
export const corrupt = new Store.StoreError({ reason: new Store.Corrupt({ entity: "claim", detail: "seal broken" }) })

/** Retryable clearinghouse failure, for actions that reach it. */
export const clearinghouseTimeout = new Clearinghouse.ClearinghouseError({
  reason: new Clearinghouse.Timeout({ afterMillis: 30_000 })
})
