import type { ReactNode } from "react"
import { ErrorMessage } from "../ErrorMessage.js"
import type * as Result from "../Result.js"
import { useText } from "../useText.js"

/**
 * The four faces of a query: loading, an inline error (with retry when it may help), empty, and the data. `slot`
 * names the region in `data-slot`; `data-state` is `loading`, `error`, `empty` or `ready` for stylesheets.
 */
export function ResultView<A, E>({
  result,
  refresh,
  isEmpty,
  empty,
  children
}: {
  readonly result: Result.Result<A, E>
  readonly refresh: () => void
  readonly isEmpty?: ((value: A) => boolean) | undefined
  readonly empty?: ReactNode
  readonly children: (value: A) => ReactNode
}) {
  const text = useText()
  if (result._tag === "Failure")
    return (
      <div data-state="error">
        <ErrorMessage error={result.error} onRetry={refresh} />
      </div>
    )
  if (result._tag === "Initial")
    return (
      <p data-state="loading" aria-busy="true" data-slot="loading">
        {text("loading", "Loading…")}
      </p>
    )
  if (isEmpty?.(result.value))
    return (
      <p data-state="empty" data-slot="empty">
        {empty ?? text("empty", "Nothing to show yet.")}
      </p>
    )
  return (
    <div data-state="ready" aria-busy={result.waiting}>
      {children(result.value)}
    </div>
  )
}
