import { Component, type ErrorInfo, type ReactNode } from "react"
import { MissingBillingProviderError } from "./BillingProvider.js"

export interface BillingErrorBoundaryProps {
  readonly children?: ReactNode
  /** Renders instead of the children after a defect; the default is a short alert with a retry button. */
  readonly fallback?: (props: { readonly error: unknown; readonly reset: () => void }) => ReactNode
  /** Called once per defect, for the host's error reporting. Never send the error to a place that logs PHI. */
  readonly onError?: (error: unknown, info: ErrorInfo) => void
}

interface State {
  readonly error: unknown
  readonly failed: boolean
}

/**
 * Catches defects from OpenRCM components (bugs and wiring mistakes, not expected billing errors, which render
 * inline) and shows a fallback instead of unmounting the host's screen.
 */
export class BillingErrorBoundary extends Component<BillingErrorBoundaryProps, State> {
  override state: State = { error: undefined, failed: false }

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    this.props.onError?.(error, info)
  }

  reset = () => this.setState({ error: undefined, failed: false })

  override render() {
    if (!this.state.failed) return this.props.children
    const { error } = this.state
    if (this.props.fallback) return this.props.fallback({ error, reset: this.reset })
    return (
      <div role="alert" data-slot="error-boundary">
        <p data-slot="error-title">Billing is unavailable here.</p>
        <p data-slot="error-detail">
          {error instanceof MissingBillingProviderError
            ? error.message
            : "Something went wrong while showing billing information."}
        </p>
        <button type="button" onClick={this.reset}>
          Try again
        </button>
      </div>
    )
  }
}
