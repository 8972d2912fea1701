// docs/getting-started.md: the React kit in a host app.
import { DateOfService, Money } from "@openrcm/core"
import { Amount, BillingErrorBoundary, BillingProvider, useBillingEffect } from "@openrcm/react"
import { runtime } from "./runtime.js"

function TodayBadge() {
  const today = useBillingEffect(() => DateOfService.today("America/Chicago"), [])
  return <span>{today._tag === "Success" ? today.value : "…"}</span>
}

export function BillingPanel() {
  return (
    <BillingErrorBoundary>
      <BillingProvider runtime={runtime}>
        <TodayBadge /> <Amount value={Money.dollars(135)} />
      </BillingProvider>
    </BillingErrorBoundary>
  )
}
