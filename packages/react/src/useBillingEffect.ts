import { Cause, type Effect, Exit } from "effect"
import { type DependencyList, useEffect, useState } from "react"
import { useBillingRuntime } from "./BillingProvider.js"
import * as Result from "./Result.js"

/**
 * Runs an operation on the provider's runtime whenever `deps` change, and holds its `Result`. Expected errors
 * land in `Failure` for the component to render; defects are rethrown to the nearest error boundary. A run
 * whose deps changed, or whose component unmounted, is interrupted.
 */
export function useBillingEffect<A, E, R>(
  make: () => Effect.Effect<A, E, R>,
  deps: DependencyList
): Result.Result<A, E> {
  const runtime = useBillingRuntime<R>()
  const [result, setResult] = useState<Result.Result<A, E>>(() => Result.initial(true))
  const [defect, setDefect] = useState<Result.BillingDefect | null>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` is the caller's dependency list for `make`.
  useEffect(() => {
    const controller = new AbortController()
    setResult(Result.waiting)
    runtime.runPromiseExit(make(), { signal: controller.signal }).then(
      (exit) => {
        if (controller.signal.aborted) return
        if (Exit.isSuccess(exit)) return setResult(Result.success(exit.value))
        const error = Cause.findErrorOption(exit.cause)
        if (error._tag === "Some") return setResult(Result.failure(error.value as E))
        setDefect(new Result.BillingDefect(exit.cause))
      },
      (cause: unknown) => setDefect(new Result.BillingDefect(Cause.die(cause)))
    )
    return () => controller.abort()
  }, [runtime, ...deps])

  if (defect !== null) throw defect
  return result
}
