import { Caller } from "@openrcm/core"
import { Cause, Effect, Exit } from "effect"
import { type DependencyList, useCallback, useEffect, useReducer, useState } from "react"
import { useBillingRuntime, useOptionalCaller } from "./BillingProvider.js"
import * as Result from "./Result.js"

/** Runs `effect` as the provider's caller, when it has one. */
export const asCaller = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  caller: Caller.CallerInfo | undefined
): Effect.Effect<A, E, Exclude<R, Caller.Caller>> =>
  (caller === undefined ? effect : Effect.provideService(effect, Caller.Caller, caller)) as Effect.Effect<
    A,
    E,
    Exclude<R, Caller.Caller>
  >

/**
 * The outcome of a finished run as a `Result`, or the defect to rethrow: expected errors are values, bugs are not.
 */
export const settle = <A, E>(exit: Exit.Exit<A, E>): Result.Result<A, E> | Result.BillingDefect => {
  if (Exit.isSuccess(exit)) return Result.success(exit.value)
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some") return Result.failure(error.value as E)
  return new Result.BillingDefect(exit.cause)
}

/** How a query treats its value when its deps change. */
export interface UseBillingQueryOptions {
  /**
   * Keep the previous value on screen, marked `waiting`, when `deps` change, as a refresh does. For deps that
   * move the same subject on (a session's minutes); never for deps that name another subject (a patient, a
   * claim), whose previous value would be a different person's data under the new one's name. Off by default.
   */
  readonly keepPreviousValue?: boolean | undefined
}

/** React's own rule for deps: the same length, each one `Object.is` its predecessor. */
const sameDeps = (a: DependencyList, b: DependencyList): boolean =>
  a.length === b.length && a.every((dep, i) => Object.is(dep, b[i]))

/**
 * Runs an operation on the provider's runtime, as the provider's caller, whenever `deps` change, and holds its
 * `Result`. Expected errors land in `Failure` for the component to render; defects are rethrown to the nearest
 * error boundary. A run whose deps changed, or whose component unmounted, is interrupted.
 */
export function useBillingEffect<A, E, R>(
  make: () => Effect.Effect<A, E, R>,
  deps: DependencyList,
  options?: UseBillingQueryOptions
): Result.Result<A, E> {
  return useBillingQuery(make, deps, options).result
}

/**
 * `useBillingEffect` with a `refresh` that runs the operation again (after a change the host made elsewhere,
 * or a retry after a retryable failure); the previous value stays on screen, marked `waiting`, meanwhile. When
 * `deps` change, the result is `Initial` (waiting) from that very render until the new run ends: a value is
 * never shown for deps it was not loaded for, unless `keepPreviousValue` says so.
 */
export function useBillingQuery<A, E, R>(
  make: () => Effect.Effect<A, E, R>,
  deps: DependencyList,
  options?: UseBillingQueryOptions
): { readonly result: Result.Result<A, E>; readonly refresh: () => void } {
  const runtime = useBillingRuntime<Exclude<R, Caller.Caller>>()
  const caller = useOptionalCaller()
  const key: DependencyList = [runtime, caller, ...deps]
  const [held, setHeld] = useState<{ readonly result: Result.Result<A, E>; readonly key: DependencyList }>(() => ({
    result: Result.initial(true),
    key
  }))
  const [defect, setDefect] = useState<Result.BillingDefect | null>(null)
  const [version, refresh] = useReducer((n: number) => n + 1, 0)
  const keepPreviousValue = options?.keepPreviousValue === true

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the runtime, the caller and `deps`.
  useEffect(() => {
    const controller = new AbortController()
    setHeld((previous) => ({ result: Result.waiting(previous.result), key: previous.key }))
    runtime.runPromiseExit(asCaller(make(), caller), { signal: controller.signal }).then(
      (exit) => {
        if (controller.signal.aborted) return
        const settled = settle(exit as Exit.Exit<A, E>)
        if (settled instanceof Result.BillingDefect) setDefect(settled)
        else setHeld({ result: settled, key })
      },
      (cause: unknown) => setDefect(new Result.BillingDefect(Cause.die(cause)))
    )
    return () => controller.abort()
  }, [version, ...key])

  if (defect !== null) throw defect
  const current = keepPreviousValue || sameDeps(held.key, key) ? held.result : Result.initial<A, E>(true)
  return { result: current, refresh: useCallback(() => refresh(), []) }
}
