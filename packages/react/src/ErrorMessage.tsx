import type { ComponentPropsWithoutRef } from "react"
import { useMessages } from "./BillingProvider.js"
import { describe, isRetryable } from "./Messages.js"
import { useText } from "./useText.js"

export interface ErrorMessageProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** The expected error of a `Failure` result. */
  readonly error: unknown
  /** Shown as a "Try again" button when the error is retryable. */
  readonly onRetry?: (() => void) | undefined
}

/**
 * An expected error, inline where it happened, worded by the provider's messages. `data-retryable` tells a
 * stylesheet whether trying again may help.
 */
export function ErrorMessage({ error, onRetry, ...props }: ErrorMessageProps) {
  const messages = useMessages()
  const text = useText()
  const retryable = isRetryable(error)
  return (
    <div role="alert" data-slot="error-message" data-retryable={retryable} className="openrcm-error" {...props}>
      <span data-slot="error-text">{describe(error, messages)}</span>
      {retryable && onRetry ? (
        <button type="button" data-slot="error-retry" onClick={onRetry}>
          {text("error.retry", "Try again")}
        </button>
      ) : null}
    </div>
  )
}
