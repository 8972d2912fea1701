// docs/react.md: the denial work queue, ready-made and composed, and the headless hook with your own markup.
import { BillingRuntime, type Caller, DateOfService, type Denial } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import {
  BillingErrorBoundary,
  BillingProvider,
  type BulkReport,
  DenialWorkqueue,
  useDenialWorkqueue,
  type WorkqueueFilters
} from "@openrcm/react"
import "@openrcm/react/theme.css"
import "@openrcm/react/styles.css"
import { useState } from "react"

// Built once, outside React. Here the demo practice in memory; in a host, its own store layer.
const runtime = BillingRuntime.make(DemoPractice.layer())
const biller: Caller.CallerInfo = { tenantId: DemoPractice.ids.tenantId, actor: "user:42", purpose: "payment" }

/** Everything: filters, bulk actions, the per-row report, the virtualized grid and the row detail. */
export function DenialsScreen() {
  return (
    <BillingErrorBoundary>
      <BillingProvider runtime={runtime} caller={biller} messages={{ "denialWorkqueue.writeOff": "Adjust off" }}>
        <DenialWorkqueue.Root query={{ status: ["open", "in-progress"] }} />
      </BillingProvider>
    </BillingErrorBoundary>
  )
}

/** Controlled selection and filters, your own order of parts, a taller grid, and the outcome of each bulk action. */
export function MyDenials({ onReport }: { readonly onReport: (report: BulkReport) => void }) {
  const [selection, setSelection] = useState<ReadonlyArray<Denial.DenialId>>([])
  const [filters, setFilters] = useState<WorkqueueFilters>({ category: "authorization" })
  return (
    <BillingProvider runtime={runtime} caller={biller}>
      <DenialWorkqueue.Root
        query={{ assignee: "user:42" }}
        asOf={DateOfService.make("2026-11-16")}
        selection={selection}
        onSelectionChange={setSelection}
        filters={filters}
        onFiltersChange={setFilters}
        defaultSorting={[{ column: "amount", descending: true }]}
        onBulkReport={onReport}
      >
        <DenialWorkqueue.Status />
        <DenialWorkqueue.BulkActions />
        <DenialWorkqueue.Report />
        <DenialWorkqueue.Filters />
        <DenialWorkqueue.Table height="70vh" rowHeight={40} />
        <DenialWorkqueue.Detail />
      </DenialWorkqueue.Root>
    </BillingProvider>
  )
}

/** Headless: the hook's TanStack Table (sorted and filtered rows) with your own markup. */
export function DenialTotals() {
  const queue = useDenialWorkqueue({ defaultFilters: { age: "91+" } })
  if (queue.result._tag !== "Success") return null
  const rows = queue.table.getRowModel().rows
  const total = rows.reduce((sum, row) => sum + row.original.amount, 0)
  return (
    <p>
      {rows.length} denials older than 90 days, {total / 100} dollars.{" "}
      <button type="button" onClick={() => queue.runBulk({ _tag: "Reassign", assignee: "user:7" })}>
        Assign the {queue.selection.length} selected to user 7
      </button>
    </p>
  )
}
