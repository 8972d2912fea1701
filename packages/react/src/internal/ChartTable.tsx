import { useId, useState } from "react"
import { useText } from "../useText.js"

export interface Column {
  readonly key: string
  readonly label: string
}

export interface Row {
  readonly key: string
  readonly label: string
  readonly values: Readonly<Record<string, number>>
}

export interface ChartTableProps {
  readonly title: string
  /** What a row is (`Payer`, `Month`): the table's first column header. */
  readonly rowLabel: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<Row>
  /** The columns the chart stacks in each bar (the table shows every column). */
  readonly stacked: ReadonlyArray<string>
  readonly format: (value: number, column: string) => string
  /** Controlled view; `defaultView` when uncontrolled (`chart` by default). */
  readonly view?: "chart" | "table" | undefined
  readonly defaultView?: "chart" | "table" | undefined
  readonly onViewChange?: ((view: "chart" | "table") => void) | undefined
}

/**
 * A report as a horizontal bar chart a person reads at a glance, with a table view of the same numbers behind a
 * toggle. The chart is one image with a text summary for screen readers; the table is the accessible detail.
 * Bars are sized inline (they are data); their colours are the theme's `--openrcm-chart-N` tokens.
 */
export function ChartTable({
  title,
  rowLabel,
  columns,
  rows,
  stacked,
  format,
  view,
  defaultView,
  onViewChange
}: ChartTableProps) {
  const text = useText()
  const titleId = useId()
  const [own, setOwn] = useState<"chart" | "table">(defaultView ?? "chart")
  const shown = view ?? own
  const choose = (next: "chart" | "table") => {
    if (view === undefined) setOwn(next)
    onViewChange?.(next)
  }
  const total = (row: Row) => stacked.reduce((sum, key) => sum + Math.max(0, row.values[key] ?? 0), 0)
  const max = Math.max(1, ...rows.map(total))
  const summary = rows
    .map((row) => `${row.label}: ${stacked.map((key) => format(row.values[key] ?? 0, key)).join(", ")}`)
    .join("; ")
  return (
    <figure className="openrcm-chart" data-slot="chart" data-view={shown} aria-labelledby={titleId}>
      <figcaption data-slot="chart-title">
        <span id={titleId}>{title}</span>
        <span data-slot="chart-views">
          <button type="button" aria-pressed={shown === "chart"} onClick={() => choose("chart")}>
            {text("chart.chartView", "Chart")}
          </button>
          <button type="button" aria-pressed={shown === "table"} onClick={() => choose("table")}>
            {text("chart.tableView", "Table")}
          </button>
        </span>
      </figcaption>
      {shown === "chart" ? (
        <div role="img" aria-label={`${title}. ${summary}`} data-slot="chart-bars">
          {stacked.length > 1 ? (
            <ul data-slot="chart-legend" aria-hidden="true">
              {stacked.map((key, i) => (
                <li key={key}>
                  <span data-slot="chart-swatch" style={{ background: `var(--openrcm-chart-${(i % 5) + 1})` }} />
                  {columns.find((c) => c.key === key)?.label ?? key}
                </li>
              ))}
            </ul>
          ) : null}
          {rows.map((row) => (
            <div key={row.key} data-slot="chart-row" aria-hidden="true">
              <span data-slot="chart-label">{row.label}</span>
              <span data-slot="chart-track">
                {stacked.map((key, i) => {
                  const value = Math.max(0, row.values[key] ?? 0)
                  return value === 0 ? null : (
                    <span
                      key={key}
                      data-slot="chart-bar"
                      title={`${columns.find((c) => c.key === key)?.label ?? key}: ${format(row.values[key] ?? 0, key)}`}
                      style={{
                        width: `${(value / max) * 100}%`,
                        background: `var(--openrcm-chart-${(i % 5) + 1})`
                      }}
                    />
                  )
                })}
              </span>
              <span data-slot="chart-value">{format(total(row), stacked[0] ?? "")}</span>
            </div>
          ))}
        </div>
      ) : (
        <table data-slot="chart-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{rowLabel}</th>
              {columns.map((column) => (
                <th key={column.key} scope="col">
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {columns.map((column) => (
                  <td key={column.key}>{format(row.values[column.key] ?? 0, column.key)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  )
}
