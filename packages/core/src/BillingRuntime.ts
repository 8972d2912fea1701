/**
 * The bridge for hosts that do not use Effect: a runtime built once from the layers a host chooses (store,
 * clearinghouse, ...) that runs OpenRCM operations as Promises. React's `BillingProvider` takes one.
 *
 * @since 0.1.0
 */
import { type Effect, type Exit, type Layer, ManagedRuntime } from "effect"

/**
 * @since 0.1.0
 */
export interface BillingRuntime<R, ER = never> {
  /** Runs an operation; the Promise rejects with the operation's typed error or a defect. */
  readonly runPromise: <A, E>(
    effect: Effect.Effect<A, E, R>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<A>
  /** Runs an operation and resolves with its `Exit`, never rejecting: the way to read typed failures. */
  readonly runPromiseExit: <A, E>(
    effect: Effect.Effect<A, E, R>,
    options?: { readonly signal?: AbortSignal | undefined }
  ) => Promise<Exit.Exit<A, E | ER>>
  /** Releases what the layers acquired (connections, files). */
  readonly dispose: () => Promise<void>
  /** The underlying Effect runtime, for hosts that do use Effect. */
  readonly managed: ManagedRuntime.ManagedRuntime<R, ER>
}

/**
 * Builds a runtime from a layer. Layers are built lazily, on the first operation.
 *
 * @since 0.1.0
 */
export const make = <R, ER>(layer: Layer.Layer<R, ER, never>): BillingRuntime<R, ER> => {
  const managed = ManagedRuntime.make(layer)
  return {
    runPromise: (effect, options) => managed.runPromise(effect, options),
    runPromiseExit: (effect, options) => managed.runPromiseExit(effect, options),
    dispose: () => managed.dispose(),
    managed
  }
}
