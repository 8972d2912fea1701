import { useCallback } from "react"
import { useMessages } from "./BillingProvider.js"
import { format } from "./Messages.js"

/**
 * A component's wording: `text("sessionTracker.start", "Start")` is the host's message for the key when it gave one,
 * the default otherwise, with `{name}` filled from `values`.
 */
export function useText(): (key: string, fallback: string, values?: Readonly<Record<string, unknown>>) => string {
  const messages = useMessages()
  return useCallback(
    (key, fallback, values) => {
      const template = messages[key] ?? fallback
      return values === undefined ? template : format(template, values)
    },
    [messages]
  )
}
