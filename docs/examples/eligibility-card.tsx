// docs/react.md: the EligibilityCard on a runtime with a clearinghouse.
import { BillingRuntime, type Eligibility } from "@openrcm/core"
import { InMemoryClearinghouse, SeededPlans } from "@openrcm/core/testing"
import { BillingProvider, EligibilityCard, useEligibility } from "@openrcm/react"

// Eligibility needs a Clearinghouse layer: yours, or the in-memory one over synthetic plans.
const runtime = BillingRuntime.make(InMemoryClearinghouse.layer(SeededPlans.members))

export function FrontDeskEligibility({ request }: { readonly request: Eligibility.EligibilityRequest | undefined }) {
  return (
    <BillingProvider runtime={runtime}>
      <EligibilityCard.Root request={request} maxAgeMinutes={12 * 60} timeZone="America/Chicago" />
    </BillingProvider>
  )
}

// Headless: the copay alone, in your own badge.
export function CopayBadge({ request }: { readonly request: Eligibility.EligibilityRequest }) {
  const { result } = useEligibility({ request })
  const copay = result._tag === "Success" ? result.value?.summary.copay : undefined
  return <span>{copay === undefined ? "—" : `Copay ${copay / 100}`}</span>
}
