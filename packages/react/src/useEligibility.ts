import { Billing, type Eligibility } from "@openrcm/core"
import { Effect } from "effect"
import { useCallback, useRef } from "react"
import type * as Result from "./Result.js"
import { useBillingQuery } from "./useBillingEffect.js"

export interface UseEligibilityOptions {
  /** What to ask the payer (X12 270 semantics); nothing is asked without one (a self-pay patient). */
  readonly request: Eligibility.EligibilityRequest | undefined
  /** How old a cached answer may be; the tenant's setting, a day by default. */
  readonly maxAgeMinutes?: number | undefined
  /** Whether the practice is in or out of the plan's network: which benefits apply. */
  readonly network?: "in" | "out" | undefined
}

export interface EligibilityState {
  /** `Success` with the answer and its behavioral-health summary; `Success(undefined)` when there is no request. */
  readonly result: Result.Result<Billing.EligibilityCheck | undefined, unknown>
  /** Asks the payer again, past the cache (a person pressing "Refresh" wants today's answer). */
  readonly refresh: () => void
  /** Asks again as before (a retry after a failure: a cached answer is fine). */
  readonly retry: () => void
}

/**
 * The EligibilityCard's state, headless: `Billing.checkEligibility` through the runtime's Clearinghouse, answered
 * from the cache while fresh; `refresh` asks the payer again whatever the cache holds.
 */
export function useEligibility(options: UseEligibilityOptions): EligibilityState {
  const { request, maxAgeMinutes, network } = options
  const bypassCache = useRef(false)
  const { result, refresh: rerun } = useBillingQuery(
    () => {
      if (request === undefined) return Effect.succeed(undefined)
      const fresh = bypassCache.current
      bypassCache.current = false
      return Billing.checkEligibility(request, {
        ...(fresh ? { maxAgeMinutes: 0 } : maxAgeMinutes === undefined ? {} : { maxAgeMinutes }),
        ...(network === undefined ? {} : { network })
      })
    },
    // Values, not identities: a host may build the request inline on every render.
    [JSON.stringify(request), maxAgeMinutes, network]
  )
  const refresh = useCallback(() => {
    bypassCache.current = true
    rerun()
  }, [rerun])
  return { result, refresh, retry: rerun }
}
