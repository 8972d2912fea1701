// docs/react.md: the practice's dashboard and a patient's balance, in a white-labelled region.
import { BillingRuntime, type Caller, DateOfService, type Ids } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { BillingErrorBoundary, BillingProvider, Dashboard, PatientBalance, ThemeScope } from "@openrcm/react"
import "@openrcm/react/theme.css"
import "@openrcm/react/styles.css"

// Built once, outside React. Here the demo practice in memory; in a host, its own store and clearinghouse layers.
const runtime = BillingRuntime.make(DemoPractice.layer())
const biller: Caller.CallerInfo = { tenantId: DemoPractice.ids.tenantId, actor: "user:42", purpose: "payment" }

export function RevenueScreen({ patientId }: { readonly patientId: Ids.PatientId }) {
  const to = DateOfService.make("2026-11-16")
  return (
    <BillingErrorBoundary>
      <BillingProvider runtime={runtime} caller={biller} messages={{ "dashboard.title": "Revenue this half-year" }}>
        <ThemeScope theme="river" tokens={{ "color-accent": "#0b5394" }}>
          {/* All four reports, the 180 days up to `to`... */}
          <Dashboard.Root period={{ from: DateOfService.addDays(to, -180), to }} />
          {/* ...or one part, grouped another way, opening on its table. */}
          <Dashboard.Collections by="payer" defaultView="table" />
          <PatientBalance.Root patientId={patientId} />
        </ThemeScope>
      </BillingProvider>
    </BillingErrorBoundary>
  )
}
