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

/**
 * Runs an operation on the provider's runtime, as the provider's caller, whenever `deps` change, and holds its
 * `Result`. Expected errors land in `Failure` for the component to render; defects are rethrown to the nearest
 * error boundary. A run whose deps changed, or whose component unmounted, is interrupted.
 */
export function useBillingEffect<A, E, R>(
  make: () => Effect.Effect<A, E, R>,
  deps: DependencyList
): Result.Result<A, E> {
  return useBillingQuery(make, deps).result
}

/**
 * `useBillingEffect` with a `refresh` that runs the operation again (after a change the host made elsewhere,
 * or a retry after a retryable failure); the previous value stays on screen, marked `waiting`, meanwhile.
 */
export function useBillingQuery<A, E, R>(
  make: () => Effect.Effect<A, E, R>,
  deps: DependencyList
): { readonly result: Result.Result<A, E>; readonly refresh: () => void } {
  const runtime = useBillingRuntime<Exclude<R, Caller.Caller>>()
  const caller = useOptionalCaller()
  const [result, setResult] = useState<Result.Result<A, E>>(() => Result.initial(true))
  const [defect, setDefect] = useState<Result.BillingDefect | null>(null)
  const [version, refresh] = useReducer((n: number) => n + 1, 0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` is the caller's dependency list for `make`.
  useEffect(() => {
    const controller = new AbortController()
    setResult(Result.waiting)
    runtime.runPromiseExit(asCaller(make(), caller), { signal: controller.signal }).then(
      (exit) => {
        if (controller.signal.aborted) return
        const settled = settle(exit as Exit.Exit<A, E>)
        if (settled instanceof Result.BillingDefect) setDefect(settled)
        else setResult(settled)
      },
      (cause: unknown) => setDefect(new Result.BillingDefect(Cause.die(cause)))
    )
    return () => controller.abort()
  }, [runtime, caller, version, ...deps])

  if (defect !== null) throw defect
  return { result, refresh: useCallback(() => refresh(), []) }
}
