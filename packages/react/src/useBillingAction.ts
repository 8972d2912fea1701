import { Cause, type Effect, Exit } from "effect"
import { useCallback, useEffect, useRef, useState } from "react"
import { useBillingRuntime, useOptionalCaller } from "./BillingProvider.js"
import * as Result from "./Result.js"
import { asCaller, settle } from "./useBillingEffect.js"

export interface BillingAction<Args extends ReadonlyArray<unknown>, A, E> {
  /** `Initial` until the first run; `waiting` while one runs. */
  readonly result: Result.Result<A, E>
  /**
   * Runs the operation as the provider's caller. Resolves with its `Exit` (never rejects) so the caller can
   * chain on success; a run started while another is under way interrupts it.
   */
  readonly run: (...args: Args) => Promise<Exit.Exit<A, E>>
  /** Back to `Initial`, e.g. when the form the result belonged to is closed. */
  readonly reset: () => void
}

/**
 * An operation a person starts (submit, post, write off), as opposed to data a screen shows
 * (`useBillingEffect`). Expected errors land in `Failure`; defects are rethrown to the nearest error boundary.
 * Unmounting interrupts a run under way.
 */
export function useBillingAction<Args extends ReadonlyArray<unknown>, A, E, R>(
  make: (...args: Args) => Effect.Effect<A, E, R>
): BillingAction<Args, A, E> {
  const runtime = useBillingRuntime<R>()
  const caller = useOptionalCaller()
  const [result, setResult] = useState<Result.Result<A, E>>(() => Result.initial())
  const [defect, setDefect] = useState<Result.BillingDefect | null>(null)
  const current = useRef<AbortController | null>(null)
  const makeRef = useRef(make)
  makeRef.current = make

  useEffect(() => () => current.current?.abort(), [])

  const run = useCallback(
    (...args: Args): Promise<Exit.Exit<A, E>> => {
      current.current?.abort()
      const controller = new AbortController()
      current.current = controller
      setResult(Result.waiting)
      return runtime.runPromiseExit(asCaller(makeRef.current(...args), caller), { signal: controller.signal }).then(
        (exit) => {
          const typed = exit as Exit.Exit<A, E>
          if (controller.signal.aborted) return typed
          const settled = settle(typed)
          if (settled instanceof Result.BillingDefect) setDefect(settled)
          else setResult(settled)
          return typed
        },
        (cause: unknown) => {
          setDefect(new Result.BillingDefect(Cause.die(cause)))
          return Exit.die(cause)
        }
      )
    },
    [runtime, caller]
  )

  const reset = useCallback(() => {
    current.current?.abort()
    setResult(Result.initial())
  }, [])

  if (defect !== null) throw defect
  return { result, run, reset }
}
