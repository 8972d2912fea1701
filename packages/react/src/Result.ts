import type { Cause } from "effect"

/**
 * What a billing hook holds: nothing yet, a value, or a typed failure; `waiting` is true while an operation runs
 * (a refresh keeps showing the previous value or failure).
 */
export type Result<A, E> =
  | { readonly _tag: "Initial"; readonly waiting: boolean }
  | { readonly _tag: "Success"; readonly value: A; readonly waiting: boolean }
  | { readonly _tag: "Failure"; readonly error: E; readonly waiting: boolean }

export const initial = <A, E>(waiting = false): Result<A, E> => ({ _tag: "Initial", waiting })
export const success = <A, E>(value: A): Result<A, E> => ({ _tag: "Success", value, waiting: false })
export const failure = <A, E>(error: E): Result<A, E> => ({ _tag: "Failure", error, waiting: false })

/** The same result, marked as waiting for a new run. */
export const waiting = <A, E>(result: Result<A, E>): Result<A, E> =>
  result.waiting ? result : { ...result, waiting: true }

/** A defect (a bug, not an expected error) that a hook rethrows so the nearest error boundary shows it. */
export class BillingDefect extends Error {
  override readonly name = "BillingDefect"
  constructor(override readonly cause: Cause.Cause<unknown>) {
    super("An OpenRCM operation failed unexpectedly.")
  }
}
