import type { BillingRuntime } from "@openrcm/core"
import { createContext, type ReactNode, useContext } from "react"

// biome-ignore lint/suspicious/noExplicitAny: the provider holds a runtime of any service set; hooks narrow it.
type AnyBillingRuntime = BillingRuntime.BillingRuntime<any, any>

const BillingRuntimeContext = createContext<AnyBillingRuntime | null>(null)

/**
 * Thrown when a billing hook or component renders outside a `<BillingProvider>`: a wiring bug in the host app.
 */
export class MissingBillingProviderError extends Error {
  override readonly name = "MissingBillingProviderError"
  constructor(readonly hook: string) {
    super(
      `${hook} must be used inside <BillingProvider runtime={...}>. ` +
        "Build a runtime once, outside React, with BillingRuntime.make(layer) from @openrcm/core, " +
        "and wrap the part of your app that shows billing screens in <BillingProvider runtime={runtime}>."
    )
  }
}

export interface BillingProviderProps<R, E> {
  /** Built once, outside React, with `BillingRuntime.make(layer)`; the provider never creates or disposes it. */
  readonly runtime: BillingRuntime.BillingRuntime<R, E>
  readonly children?: ReactNode
}

/**
 * Gives every OpenRCM hook and component below it the runtime that runs billing operations.
 */
export function BillingProvider<R, E>({ runtime, children }: BillingProviderProps<R, E>) {
  return <BillingRuntimeContext.Provider value={runtime}>{children}</BillingRuntimeContext.Provider>
}

/**
 * The runtime of the nearest `<BillingProvider>`. Throws `MissingBillingProviderError` outside one.
 * `R` names the services the caller expects the host's runtime to provide.
 */
export function useBillingRuntime<R = never>(): BillingRuntime.BillingRuntime<R, unknown> {
  const runtime = useContext(BillingRuntimeContext)
  if (runtime === null) throw new MissingBillingProviderError("useBillingRuntime")
  return runtime
}
