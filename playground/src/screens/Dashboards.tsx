import { Billing, DateOfService, Money } from "@openrcm/core"
import { Dashboard, useBillingEffect } from "@openrcm/react"
import { Effect } from "effect"
import { useEffect, useState } from "react"
import { today } from "../runtime.js"

const period = { from: DateOfService.addDays(today, -180), to: today }

/** The four reports, as the dashboards show them, for download. */
const loadReports = Effect.all({
  aging: Billing.agingReport({ asOf: today }),
  denialTrends: Billing.denialTrends(period),
  cleanClaimRate: Billing.cleanClaimRate(period),
  collections: Billing.collections(period)
})

type Reports = Effect.Success<typeof loadReports>

/** A/R aging as CSV, amounts in dollars. */
const agingCsv = (aging: Reports["aging"]) =>
  [
    "payer,claims,0-30,31-60,61-90,91-120,120+,total",
    ...aging.rows.map((row) =>
      [
        row.payerId,
        row.claims,
        ...[row.days0to30, row.days31to60, row.days61to90, row.days91to120, row.over120, row.total].map(
          Money.toDecimalString
        )
      ].join(",")
    )
  ].join("\n")

function Download({ name, type, text }: { readonly name: string; readonly type: string; readonly text: string }) {
  const [href, setHref] = useState<string | undefined>(undefined)
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([text], { type }))
    setHref(url)
    return () => URL.revokeObjectURL(url)
  }, [text, type])
  return href === undefined ? null : (
    <a href={href} download={name}>
      {name}
    </a>
  )
}

export function DashboardsScreen() {
  const reports = useBillingEffect(() => loadReports, [])
  return (
    <div className="playground-stack">
      <Dashboard.Root period={period} />
      {reports._tag === "Success" ? (
        <p data-testid="report-downloads">
          Download the reports:{" "}
          <Download
            name={`openrcm-reports-${today}.json`}
            type="application/json"
            text={JSON.stringify(reports.value, null, 2)}
          />{" "}
          · <Download name={`openrcm-aging-${today}.csv`} type="text/csv" text={agingCsv(reports.value.aging)} />
        </p>
      ) : null}
    </div>
  )
}
