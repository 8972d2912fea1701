/**
 * Dashboards a practice reads at a glance: A/R aging, denial trends, the clean-claim rate and collections, each a
 * chart with a table view of the same numbers. Use `Dashboard.Root` for all four, or any part alone.
 */
import type { Billing } from "@openrcm/core"
import { Money } from "@openrcm/core"
import { type ComponentPropsWithoutRef, createContext, type ReactNode, useContext, useMemo } from "react"
import { ChartTable } from "./internal/ChartTable.js"
import { ResultView } from "./internal/ResultView.js"
import {
  type Directory,
  type ReportPeriod,
  useAgingReport,
  useCleanClaimRate,
  useCollections,
  useDenialTrends,
  useDirectory
} from "./useReports.js"
import { useText } from "./useText.js"

const money = (cents: number) => Money.format(cents as Money.Money)
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`

interface Names {
  readonly payer: (id: string) => string
  readonly clinician: (id: string) => string
}

/** The names of the nearest `Root` (or lone part), read from the store once for all the parts below it. */
const NamesContext = createContext<Names | null>(null)

/** Loads the tenant's payer and clinician names and gives them to the parts below. */
function WithNames({ children }: { readonly children: ReactNode }) {
  const { result } = useDirectory()
  const directory: Directory | undefined = result._tag === "Success" ? result.value : undefined
  const names = useMemo<Names>(
    () => ({
      payer: (id) => directory?.payers.get(id) ?? id,
      clinician: (id) => directory?.clinicians.get(id) ?? id
    }),
    [directory]
  )
  return <NamesContext.Provider value={names}>{children}</NamesContext.Provider>
}

/** A part placed alone loads the names itself; inside `Root` it uses the Root's. */
function Named({ children }: { readonly children: ReactNode }) {
  return useContext(NamesContext) === null ? <WithNames>{children}</WithNames> : children
}

/** A payer's or clinician's name for a report row; the id when the directory does not know it. */
const useNames = (): Names => {
  const names = useContext(NamesContext)
  if (names === null) throw new Error("Dashboard parts read names inside <Named>")
  return names
}

interface PartProps extends Omit<ComponentPropsWithoutRef<"section">, "children" | "title"> {
  /** The period the report covers; by default the 180 days up to today. */
  readonly period?: ReportPeriod | undefined
  /** Chart or table: controlled with `onViewChange`, or `defaultView` (chart) when uncontrolled. */
  readonly view?: "chart" | "table" | undefined
  readonly defaultView?: "chart" | "table" | undefined
  readonly onViewChange?: ((view: "chart" | "table") => void) | undefined
}

function Part({
  name,
  title,
  children,
  className,
  ...props
}: Omit<PartProps, "period"> & { readonly name: string; readonly title: string; readonly children: ReactNode }) {
  return (
    <section
      className={className ? `openrcm-dashboard-part ${className}` : "openrcm-dashboard-part"}
      data-slot={name}
      aria-label={title}
      {...props}
    >
      {children}
    </section>
  )
}

/** Accounts receivable by payer, in 0–30 … 120+ day buckets. */
function AgingReport({
  asOf,
  timeZone,
  view,
  defaultView,
  onViewChange,
  ...props
}: Omit<PartProps, "period"> & Billing.AsOf) {
  const text = useText()
  const names = useNames()
  const { result, refresh } = useAgingReport({ asOf, timeZone })
  const title = text("dashboard.aging.title", "Accounts receivable by age")
  const buckets = [
    { key: "days0to30", label: text("dashboard.aging.0to30", "0–30 days") },
    { key: "days31to60", label: text("dashboard.aging.31to60", "31–60") },
    { key: "days61to90", label: text("dashboard.aging.61to90", "61–90") },
    { key: "days91to120", label: text("dashboard.aging.91to120", "91–120") },
    { key: "over120", label: text("dashboard.aging.over120", "120+") }
  ]
  return (
    <Part name="aging" title={title} {...props}>
      <ResultView
        result={result}
        refresh={refresh}
        isEmpty={(aging) => aging.rows.length === 0}
        empty={text("dashboard.aging.empty", "Nothing is owed by payers.")}
      >
        {(aging) => (
          <ChartTable
            view={view}
            defaultView={defaultView}
            onViewChange={onViewChange}
            title={title}
            rowLabel={text("dashboard.payer", "Payer")}
            columns={[...buckets, { key: "total", label: text("dashboard.total", "Total") }]}
            stacked={buckets.map((b) => b.key)}
            format={money}
            rows={aging.rows.map((row) => ({
              key: row.payerId,
              label: names.payer(row.payerId),
              values: {
                days0to30: row.days0to30,
                days31to60: row.days31to60,
                days61to90: row.days61to90,
                days91to120: row.days91to120,
                over120: row.over120,
                total: row.total
              }
            }))}
          />
        )}
      </ResultView>
    </Part>
  )
}

/** Denial rate and denied amount by category (or payer, code, clinician, month). */
function DenialTrendsReport({
  period,
  view,
  defaultView,
  onViewChange,
  by = "category",
  ...props
}: PartProps & { readonly by?: "category" | "payer" | "carc" | "clinician" | "month" | undefined }) {
  const text = useText()
  const names = useNames()
  const { result, refresh } = useDenialTrends(period)
  const title = text(`dashboard.denials.${by}`, `Denial rate by ${by === "carc" ? "reason code" : by}`)
  const label = (key: string) => (by === "payer" ? names.payer(key) : by === "clinician" ? names.clinician(key) : key)
  const rowsOf = (trends: Billing.DenialTrends) =>
    ({
      category: trends.byCategory,
      payer: trends.byPayer,
      carc: trends.byCarc,
      clinician: trends.byClinician,
      month: trends.byMonth
    })[by]
  return (
    <Part name="denial-trends" title={title} {...props}>
      <ResultView
        result={result}
        refresh={refresh}
        isEmpty={(trends) => rowsOf(trends).length === 0}
        empty={text("dashboard.denials.empty", "No claims were adjudicated in this period.")}
      >
        {(trends) => (
          <>
            <p data-slot="headline">
              {text("dashboard.denials.headline", "{rate} of claims denied ({amount})", {
                rate: percent(trends.total.rate),
                amount: money(trends.total.deniedAmount)
              })}
            </p>
            <ChartTable
              view={view}
              defaultView={defaultView}
              onViewChange={onViewChange}
              title={title}
              rowLabel={text(`dashboard.row.${by}`, by === "carc" ? "Reason code" : by[0]?.toUpperCase() + by.slice(1))}
              columns={[
                { key: "rate", label: text("dashboard.denials.rate", "Denial rate") },
                { key: "deniedAmount", label: text("dashboard.denials.amount", "Denied") },
                { key: "denials", label: text("dashboard.denials.count", "Denials") },
                { key: "claims", label: text("dashboard.claims", "Claims") }
              ]}
              stacked={["rate"]}
              format={(value, column) =>
                column === "rate" ? percent(value) : column === "deniedAmount" ? money(value) : String(value)
              }
              rows={rowsOf(trends).map((row) => ({
                key: row.key,
                label: label(row.key),
                values: { rate: row.rate, deniedAmount: row.deniedAmount, denials: row.denials, claims: row.claims }
              }))}
            />
          </>
        )}
      </ResultView>
    </Part>
  )
}

/** The share of claims the payers took on the first pass, in all and by payer. */
function CleanClaimRateReport({ period, view, defaultView, onViewChange, ...props }: PartProps) {
  const text = useText()
  const names = useNames()
  const { result, refresh } = useCleanClaimRate(period)
  const title = text("dashboard.clean.title", "Clean-claim rate")
  return (
    <Part name="clean-claim-rate" title={title} {...props}>
      <ResultView
        result={result}
        refresh={refresh}
        isEmpty={(report) => report.total.submitted === 0}
        empty={text("dashboard.clean.empty", "No claims were sent in this period.")}
      >
        {(report) => (
          <>
            <p data-slot="headline">
              {text("dashboard.clean.headline", "{rate} clean ({clean} of {submitted} claims)", {
                rate: percent(report.total.rate),
                clean: report.total.clean,
                submitted: report.total.submitted
              })}
            </p>
            <ChartTable
              view={view}
              defaultView={defaultView}
              onViewChange={onViewChange}
              title={title}
              rowLabel={text("dashboard.payer", "Payer")}
              columns={[
                { key: "rate", label: text("dashboard.clean.rate", "Clean rate") },
                { key: "clean", label: text("dashboard.clean.clean", "Clean") },
                { key: "submitted", label: text("dashboard.clean.submitted", "Sent") }
              ]}
              stacked={["rate"]}
              format={(value, column) => (column === "rate" ? percent(value) : String(value))}
              rows={report.byPayer.map((row) => ({
                key: row.key,
                label: names.payer(row.key),
                values: { rate: row.rate, clean: row.clean, submitted: row.submitted }
              }))}
            />
          </>
        )}
      </ResultView>
    </Part>
  )
}

/** Payer payments collected, by clinician (or payer, month). */
function CollectionsReport({
  period,
  view,
  defaultView,
  onViewChange,
  by = "clinician",
  ...props
}: PartProps & { readonly by?: "clinician" | "payer" | "month" | undefined }) {
  const text = useText()
  const names = useNames()
  const { result, refresh } = useCollections(period)
  const title = text(`dashboard.collections.${by}`, `Collections by ${by}`)
  return (
    <Part name="collections" title={title} {...props}>
      <ResultView
        result={result}
        refresh={refresh}
        isEmpty={(report) => report.byPayer.length === 0}
        empty={text("dashboard.collections.empty", "No payments were posted in this period.")}
      >
        {(report) => (
          <>
            <p data-slot="headline">
              {text("dashboard.collections.headline", "{total} collected from payers", { total: money(report.total) })}
            </p>
            <ChartTable
              view={view}
              defaultView={defaultView}
              onViewChange={onViewChange}
              title={title}
              rowLabel={text(`dashboard.row.${by}`, by[0]?.toUpperCase() + by.slice(1))}
              columns={[
                { key: "paid", label: text("dashboard.collections.paid", "Paid") },
                { key: "claims", label: text("dashboard.claims", "Claims") }
              ]}
              stacked={["paid"]}
              format={(value, column) => (column === "paid" ? money(value) : String(value))}
              rows={(by === "clinician" ? report.byClinician : by === "payer" ? report.byPayer : report.byMonth).map(
                (row) => ({
                  key: row.key,
                  label:
                    by === "clinician" ? names.clinician(row.key) : by === "payer" ? names.payer(row.key) : row.key,
                  values: { paid: row.paid, claims: row.claims }
                })
              )}
            />
          </>
        )}
      </ResultView>
    </Part>
  )
}

/** Accounts receivable by payer, in 0–30 … 120+ day buckets. */
export function Aging(props: Parameters<typeof AgingReport>[0]) {
  return (
    <Named>
      <AgingReport {...props} />
    </Named>
  )
}

/** Denial rate and denied amount by category (or payer, code, clinician, month). */
export function DenialTrends(props: Parameters<typeof DenialTrendsReport>[0]) {
  return (
    <Named>
      <DenialTrendsReport {...props} />
    </Named>
  )
}

/** The share of claims the payers took on the first pass, in all and by payer. */
export function CleanClaimRate(props: Parameters<typeof CleanClaimRateReport>[0]) {
  return (
    <Named>
      <CleanClaimRateReport {...props} />
    </Named>
  )
}

/** Payer payments collected, by clinician (or payer, month). */
export function Collections(props: Parameters<typeof CollectionsReport>[0]) {
  return (
    <Named>
      <CollectionsReport {...props} />
    </Named>
  )
}

export interface RootProps extends ComponentPropsWithoutRef<"section"> {
  readonly period?: ReportPeriod | undefined
}

/** The four reports in a grid; pass children to choose and arrange parts yourself. */
export function Root({ period, children, className, ...props }: RootProps) {
  const text = useText()
  return (
    <section
      className={className ? `openrcm-dashboard ${className}` : "openrcm-dashboard"}
      aria-label={text("dashboard.title", "Revenue dashboard")}
      {...props}
    >
      <WithNames>
        {children ?? (
          <>
            <Aging {...(period?.to === undefined ? {} : { asOf: period.to })} timeZone={period?.timeZone} />
            <DenialTrends period={period} />
            <CleanClaimRate period={period} />
            <Collections period={period} />
          </>
        )}
      </WithNames>
    </section>
  )
}
