// docs/react.md: the RemittanceViewer, from an 835 you just posted, from the store, and from its parts.
import type { Caller, Ids, RemittanceAdvice, RemittancePosting } from "@openrcm/core"
import { BillingProvider, RemittanceViewer, remittanceViewFromAdvice } from "@openrcm/react"
import { runtime } from "./runtime.js"

// An 835 as read and what posting did with it (Billing.postRemittance's report: matching, duplicates).
export function PostedNow({
  advice,
  report
}: {
  readonly advice: RemittanceAdvice.RemittanceAdvice
  readonly report: RemittancePosting.PostingReport
}) {
  return <RemittanceViewer.Root advice={advice} report={report} />
}

// A remittance posted earlier, loaded from the store by id.
export function FromTheStore({
  remittanceId,
  caller
}: {
  readonly remittanceId: Ids.RemittanceId
  readonly caller: Caller.CallerInfo
}) {
  return (
    <BillingProvider runtime={runtime} caller={caller}>
      <RemittanceViewer.Root remittanceId={remittanceId} />
    </BillingProvider>
  )
}

// Composed: the payment and the claims, fifty at a time, the denied claims open.
export function Compact({ advice }: { readonly advice: RemittanceAdvice.RemittanceAdvice }) {
  const denied = remittanceViewFromAdvice(advice)
    .claims.filter((claim) => claim.clpStatus === "4")
    .map((claim) => claim.key)
  return (
    <RemittanceViewer.Root advice={advice} defaultExpanded={denied}>
      <RemittanceViewer.Payment />
      <RemittanceViewer.Balancing />
      <RemittanceViewer.Claims pageSize={50} />
    </RemittanceViewer.Root>
  )
}
