import type { BillingRuntime, Caller } from "@openrcm/core"
import { createContext, type ReactNode, useContext, useMemo } from "react"
import { defaultMessages, type Messages } from "./Messages.js"

// biome-ignore lint/suspicious/noExplicitAny: the provider holds a runtime of any service set; hooks narrow it.
type AnyBillingRuntime = BillingRuntime.BillingRuntime<any, any>

interface BillingContext {
  readonly runtime: AnyBillingRuntime
  readonly caller: Caller.CallerInfo | undefined
  readonly messages: Messages
}

const BillingContext = createContext<BillingContext | null>(null)

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

/**
 * Thrown when a hook that reads or writes the store renders under a provider without a `caller`.
 */
export class MissingCallerError extends Error {
  override readonly name = "MissingCallerError"
  constructor(readonly hook: string) {
    super(
      `${hook} acts for a tenant and a user: give <BillingProvider> a caller ` +
        '(caller={{ tenantId, actor: "user:42", purpose: "payment" }}).'
    )
  }
}

export interface BillingProviderProps<R, E> {
  /** Built once, outside React, with `BillingRuntime.make(layer)`; the provider never creates or disposes it. */
  readonly runtime: BillingRuntime.BillingRuntime<R, E>
  /**
   * Who is using the screens: the tenant, an opaque actor id (never a name) and the purpose of use. Every hook
   * that reads or writes the store acts as this caller; a tenant switch is a new caller.
   */
  readonly caller?: Caller.CallerInfo | undefined
  /** Wording that replaces the default messages (white-label wording, another language); see `Messages`. */
  readonly messages?: Messages | undefined
  readonly children?: ReactNode
}

/**
 * Gives every OpenRCM hook and component below it the runtime that runs billing operations, the caller they act
 * as, and the wording of their messages.
 */
export function BillingProvider<R, E>({ runtime, caller: given, messages, children }: BillingProviderProps<R, E>) {
  // The caller by value: a host may write `caller={{ ... }}` inline, and a new object with the same fields is the
  // same caller, so no query below runs again, or starts over from Initial, on the host's every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller is its value.
  const caller = useMemo(() => given, [given === undefined ? undefined : JSON.stringify(given)])
  const value = useMemo<BillingContext>(
    () => ({ runtime, caller, messages: messages ? { ...defaultMessages, ...messages } : defaultMessages }),
    [runtime, caller, messages]
  )
  return <BillingContext.Provider value={value}>{children}</BillingContext.Provider>
}

const useBillingContext = (hook: string): BillingContext => {
  const context = useContext(BillingContext)
  if (context === null) throw new MissingBillingProviderError(hook)
  return context
}

/**
 * The runtime of the nearest `<BillingProvider>`. Throws `MissingBillingProviderError` outside one.
 * `R` names the services the caller expects the host's runtime to provide.
 */
export function useBillingRuntime<R = never>(): BillingRuntime.BillingRuntime<R, unknown> {
  return useBillingContext("useBillingRuntime").runtime
}

/** The caller of the nearest `<BillingProvider>`, or `undefined` when it was given none. */
export function useOptionalCaller(): Caller.CallerInfo | undefined {
  return useBillingContext("useOptionalCaller").caller
}

/** The caller of the nearest `<BillingProvider>`. Throws `MissingCallerError` when it was given none. */
export function useCaller(hook = "useCaller"): Caller.CallerInfo {
  const caller = useBillingContext(hook).caller
  if (caller === undefined) throw new MissingCallerError(hook)
  return caller
}

/** The provider's messages: the defaults with the host's replacements. */
export function useMessages(): Messages {
  return useBillingContext("useMessages").messages
}
