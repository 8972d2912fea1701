/**
 * The denial work queue: every denial of the queue in a TanStack Table v9, sortable and filterable (payer,
 * category, age, amount), virtualized for 100,000 rows, with selection, bulk actions reported per row and a row
 * detail (the remittance, what the codes mean, the recommended action).
 */
import { Billing, type Denial, Money } from "@openrcm/core"
import { FlexRender, type Row } from "@tanstack/react-table"
import { useVirtualizer } from "@tanstack/react-virtual"
import {
  type ComponentPropsWithoutRef,
  createContext,
  type KeyboardEvent,
  memo,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState
} from "react"
import { Amount } from "./Amount.js"
import { useMessages, useOptionalCaller } from "./BillingProvider.js"
import { ErrorMessage } from "./ErrorMessage.js"
import { describe } from "./Messages.js"
import { useBillingAction } from "./useBillingAction.js"
import {
  type AgeBucket,
  actionLabels,
  ageBuckets,
  type BulkAction,
  categoryLabels,
  type DenialWorkqueueState,
  denialMeaning,
  statusLabels,
  type UseDenialWorkqueueOptions,
  useDenialRemittances,
  useDenialWorkqueue,
  type WorkqueueFeatures,
  type WorkqueueRow
} from "./useDenialWorkqueue.js"
import { useText } from "./useText.js"

interface WorkqueueContext extends DenialWorkqueueState {
  /** Where focus goes back to when the detail closes (the row it was opened from). */
  readonly returnFocus: RefObject<HTMLElement | null>
}

const Context = createContext<WorkqueueContext | null>(null)

/** The queue's state for a custom part inside `DenialWorkqueue.Root`. */
export function useWorkqueueContext(part = "useWorkqueueContext"): WorkqueueContext {
  const context = useContext(Context)
  if (context === null) throw new Error(`${part} must be used inside <DenialWorkqueue.Root>.`)
  return context
}

const stateOf = (q: DenialWorkqueueState) =>
  q.result._tag === "Failure"
    ? "error"
    : q.result._tag === "Initial"
      ? "loading"
      : q.rows.length === 0
        ? "empty"
        : "ready"

export interface RootProps
  extends UseDenialWorkqueueOptions,
    Omit<ComponentPropsWithoutRef<"div">, "children" | "defaultValue"> {
  /** The parts; the default is `Status`, `Filters`, `BulkActions`, `Report`, `Table` and `Detail`. */
  readonly children?: ReactNode
}

const optionKeys = [
  "query",
  "asOf",
  "data",
  "selection",
  "defaultSelection",
  "onSelectionChange",
  "filters",
  "defaultFilters",
  "onFiltersChange",
  "sorting",
  "defaultSorting",
  "onSortingChange",
  "detail",
  "defaultDetail",
  "onDetailChange",
  "onBulkReport"
] as const

/**
 * Holds the queue (`useDenialWorkqueue`) for its parts. `data-state` is `loading`, `error`, `empty` or `ready`.
 */
export function Root(props: RootProps) {
  const options: Record<string, unknown> = {}
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(props)) {
    if ((optionKeys as ReadonlyArray<string>).includes(key)) options[key] = value
    else if (key !== "children") rest[key] = value
  }
  const q = useDenialWorkqueue(options as UseDenialWorkqueueOptions)
  const returnFocus = useRef<HTMLElement | null>(null)
  const value = { ...q, returnFocus }
  const { className, ...divProps } = rest as ComponentPropsWithoutRef<"div">
  return (
    <Context.Provider value={value}>
      <div
        {...divProps}
        className={["openrcm-denial-workqueue", className].filter(Boolean).join(" ")}
        data-slot="root"
        data-state={stateOf(q)}
        aria-busy={q.result.waiting || q.bulkResult.waiting}
      >
        {props.children ?? (
          <>
            <Status />
            <Filters />
            <BulkActions />
            <Report />
            <Table />
            <Detail />
          </>
        )}
      </div>
    </Context.Provider>
  )
}

/** Loading, an inline error (with "Try again" when retryable) or the empty queue; nothing once rows are loaded. */
export function Status(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const q = useWorkqueueContext("DenialWorkqueue.Status")
  const text = useText()
  const state = stateOf(q)
  if (state === "ready") return null
  return (
    <div data-slot="status" data-state={state} {...props}>
      {q.result._tag === "Failure" ? (
        <ErrorMessage error={q.result.error} onRetry={q.refresh} />
      ) : state === "loading" ? (
        <>
          <p role="status">{text("denialWorkqueue.loading", "Loading denials…")}</p>
          {q.progress > 0 ? (
            <p data-slot="progress">
              {text("denialWorkqueue.progress", "{count} loaded so far", { count: q.progress.toLocaleString("en-US") })}
            </p>
          ) : null}
        </>
      ) : (
        <p role="status">{text("denialWorkqueue.empty", "No denials to work.")}</p>
      )}
    </div>
  )
}

const usedCategories = (rows: ReadonlyArray<WorkqueueRow>): Array<Denial.Category> => {
  const seen = new Set<Denial.Category>()
  for (const row of rows) seen.add(row.category)
  return (Object.keys(categoryLabels) as Array<Denial.Category>).filter((category) => seen.has(category))
}

const toCents = (dollars: string): Money.Money | undefined => {
  const value = Number.parseFloat(dollars)
  return Number.isFinite(value) && value > 0 ? Money.cents(Math.round(value * 100)) : undefined
}

/** Payer, category, age and minimum amount filters, and how many rows they leave. */
export function Filters(props: Omit<ComponentPropsWithoutRef<"fieldset">, "children">) {
  const q = useWorkqueueContext("DenialWorkqueue.Filters")
  const text = useText()
  const id = useId()
  const categories = useMemo(() => usedCategories(q.rows), [q.rows])
  const [amount, setAmount] = useState(() =>
    q.filters.minAmount === undefined ? "" : Money.toDecimalString(q.filters.minAmount)
  )
  if (stateOf(q) !== "ready") return null
  const shown = q.table.getRowModel().rows.length
  const set = (change: Partial<typeof q.filters>) => q.setFilters((previous) => ({ ...previous, ...change }))
  return (
    <fieldset data-slot="filters" {...props}>
      <legend>{text("denialWorkqueue.filters", "Filters")}</legend>
      <label htmlFor={`${id}-payer`} data-slot="filter-label">
        {text("denialWorkqueue.filter.payer", "Payer")}
      </label>
      <select
        id={`${id}-payer`}
        data-slot="filter-payer"
        value={q.filters.payerId ?? ""}
        onChange={(event) => set({ payerId: (event.target.value || undefined) as typeof q.filters.payerId })}
      >
        <option value="">{text("denialWorkqueue.filter.allPayers", "All payers")}</option>
        {q.payers.map((payer) => (
          <option key={payer.id} value={payer.id}>
            {payer.name}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-category`} data-slot="filter-label">
        {text("denialWorkqueue.filter.category", "Category")}
      </label>
      <select
        id={`${id}-category`}
        data-slot="filter-category"
        value={q.filters.category ?? ""}
        onChange={(event) => set({ category: (event.target.value || undefined) as Denial.Category | undefined })}
      >
        <option value="">{text("denialWorkqueue.filter.allCategories", "All categories")}</option>
        {categories.map((category) => (
          <option key={category} value={category}>
            {text(`denialWorkqueue.category.${category}`, categoryLabels[category])}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-age`} data-slot="filter-label">
        {text("denialWorkqueue.filter.age", "Age")}
      </label>
      <select
        id={`${id}-age`}
        data-slot="filter-age"
        value={q.filters.age ?? ""}
        onChange={(event) => set({ age: (event.target.value || undefined) as AgeBucket | undefined })}
      >
        <option value="">{text("denialWorkqueue.filter.anyAge", "Any age")}</option>
        {ageBuckets.map((bucket) => (
          <option key={bucket} value={bucket}>
            {text(`denialWorkqueue.age.${bucket}`, `${bucket} days`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-amount`} data-slot="filter-label">
        {text("denialWorkqueue.filter.minAmount", "Minimum amount ($)")}
      </label>
      <input
        id={`${id}-amount`}
        data-slot="filter-amount"
        type="number"
        inputMode="decimal"
        min="0"
        step="0.01"
        value={amount}
        onChange={(event) => {
          setAmount(event.target.value)
          set({ minAmount: toCents(event.target.value) })
        }}
      />
      <button
        type="button"
        data-slot="filter-clear"
        onClick={() => {
          setAmount("")
          q.setFilters({})
        }}
      >
        {text("denialWorkqueue.filter.clear", "Clear filters")}
      </button>
      <p data-slot="count" aria-live="polite">
        {text("denialWorkqueue.count", "Showing {shown} of {total} denials", { shown, total: q.rows.length })}
      </p>
    </fieldset>
  )
}

/** The selection and the bulk actions on it: resubmit, appeal, write off, assign. */
export function BulkActions(props: Omit<ComponentPropsWithoutRef<"fieldset">, "children">) {
  const q = useWorkqueueContext("DenialWorkqueue.BulkActions")
  const text = useText()
  const id = useId()
  const [reason, setReason] = useState("")
  const [assignee, setAssignee] = useState("")
  if (stateOf(q) !== "ready") return null
  const count = q.selection.length
  const busy = q.bulkResult.waiting
  const why = reason.trim() || text("denialWorkqueue.defaultReason", "worked from the denial queue")
  const run = (action: BulkAction) => void q.runBulk(action)
  return (
    <fieldset data-slot="bulk-actions" data-busy={busy} disabled={busy} {...props}>
      <legend>{text("denialWorkqueue.bulk", "Bulk actions")}</legend>
      <p data-slot="selected-count" aria-live="polite">
        {text("denialWorkqueue.selected", "{count} selected", { count })}
      </p>
      <label htmlFor={`${id}-reason`}>{text("denialWorkqueue.reason", "Reason (appeal, write off)")}</label>
      <input id={`${id}-reason`} data-slot="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor={`${id}-assignee`}>{text("denialWorkqueue.assignee", "Assign to")}</label>
      <input
        id={`${id}-assignee`}
        data-slot="assignee"
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
      />
      <button
        type="button"
        data-action="resubmit"
        disabled={count === 0}
        onClick={() => run({ _tag: "CorrectAndResubmit" })}
      >
        {text("denialWorkqueue.resubmit", "Resubmit")}
      </button>
      <button
        type="button"
        data-action="appeal"
        disabled={count === 0}
        onClick={() => run({ _tag: "Appeal", reason: why })}
      >
        {text("denialWorkqueue.appeal", "Appeal")}
      </button>
      <button
        type="button"
        data-action="write-off"
        disabled={count === 0}
        onClick={() => run({ _tag: "WriteOff", reason: why })}
      >
        {text("denialWorkqueue.writeOff", "Write off")}
      </button>
      <button
        type="button"
        data-action="assign"
        disabled={count === 0 || assignee.trim() === ""}
        onClick={() => run({ _tag: "Reassign", assignee: assignee.trim() })}
      >
        {text("denialWorkqueue.assign", "Assign")}
      </button>
      <button type="button" data-action="clear-selection" disabled={count === 0} onClick={() => q.setSelection([])}>
        {text("denialWorkqueue.clearSelection", "Clear selection")}
      </button>
      {busy ? <p role="status">{text("denialWorkqueue.working", "Working on {count} denials…", { count })}</p> : null}
    </fieldset>
  )
}

const outcomeState = (outcome: Billing.WorkOutcome) =>
  outcome._tag === "Done" ? "done" : outcome._tag === "Skipped" ? "skipped" : "failed"

/** What the last bulk action did to each denial: done (what), skipped (why) or failed (the error, worded). */
export function Report(props: Omit<ComponentPropsWithoutRef<"section">, "children">) {
  const q = useWorkqueueContext("DenialWorkqueue.Report")
  const text = useText()
  const messages = useMessages()
  const report = q.report
  if (report === null) return null
  const counts = { done: 0, skipped: 0, failed: 0 }
  for (const outcome of report.outcomes) counts[outcomeState(outcome)] += 1
  return (
    <section
      aria-label={text("denialWorkqueue.report", "Bulk action report")}
      data-slot="report"
      data-action={report.action}
      {...props}
    >
      <p role="status" data-slot="report-summary">
        {text("denialWorkqueue.report.summary", "{done} done, {skipped} skipped, {failed} failed", counts)}
      </p>
      <ul data-slot="report-list">
        {report.outcomes.map((outcome) => {
          const row = q.rowById(outcome.denialId)
          const what =
            outcome._tag === "Done"
              ? outcome.detail
              : outcome._tag === "Skipped"
                ? outcome.reason
                : describe(outcome.error, messages)
          return (
            <li key={outcome.denialId} data-slot="report-item" data-outcome={outcomeState(outcome)}>
              <span data-slot="report-denial">
                {row === undefined
                  ? outcome.denialId
                  : text("denialWorkqueue.report.denial", "{code} on claim {claim}", {
                      code: row.code,
                      claim: row.denial.claimId
                    })}
              </span>{" "}
              <span data-slot="report-outcome">
                {text(`denialWorkqueue.outcome.${outcomeState(outcome)}`, outcome._tag)}
              </span>
              {": "}
              <span data-slot="report-detail">{what}</span>
            </li>
          )
        })}
      </ul>
      <button type="button" data-slot="report-dismiss" onClick={q.clearReport}>
        {text("denialWorkqueue.report.dismiss", "Dismiss report")}
      </button>
    </section>
  )
}

export interface TableProps extends Omit<ComponentPropsWithoutRef<"div">, "children"> {
  /** Render only the rows in view (default). `false` renders every row: for small queues and printing. */
  readonly virtualize?: boolean | undefined
  /**
   * Every row's height in pixels (set on the row): rows are not measured one by one, so scrolling 100,000 rows
   * never recomputes their offsets. Match it to your styles.
   */
  readonly rowHeight?: number | undefined
  /** Rows rendered beyond the visible ones, above and below. */
  readonly overscan?: number | undefined
  /** The scroll area's height when virtualized (any CSS length). */
  readonly height?: string | undefined
}

const pageRows = 10

const selectionOf = (rows: ReadonlyArray<{ readonly id: string }>, selection: ReadonlyArray<string>) => {
  const selected = new Set<string>(selection)
  let shown = 0
  if (selected.size > 0) for (const row of rows) if (selected.has(row.id)) shown += 1
  return {
    selected,
    allShownSelected: rows.length > 0 && shown === rows.length,
    someShownSelected: shown > 0 && shown < rows.length
  }
}

/**
 * The queue as an ARIA grid: `aria-rowcount` is every row the filters leave, each rendered row has its
 * `aria-rowindex`, so assistive technology knows where it is although only the rows in view exist. Arrow keys,
 * Home, End, Page Up and Page Down move between rows, Space selects the row, Enter opens its detail.
 */
export function Table({
  virtualize = true,
  rowHeight = 36,
  overscan = 12,
  height = "32rem",
  style,
  ...props
}: TableProps) {
  const q = useWorkqueueContext("DenialWorkqueue.Table")
  const text = useText()
  const rows = q.table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const bodyRef = useRef<HTMLTableSectionElement>(null)
  const [active, setActive] = useState(0)
  const focusPending = useRef(false)
  // Stable callbacks: the virtualizer recomputes every row's offset when `getItemKey` changes (100,000 rows).
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows])
  const estimateSize = useCallback(() => rowHeight, [rowHeight])
  const getScrollElement = useCallback(() => (virtualize ? scrollRef.current : null), [virtualize])
  const virtualizer = useVirtualizer({
    count: virtualize ? rows.length : 0,
    enabled: virtualize,
    getScrollElement,
    estimateSize,
    overscan,
    getItemKey
  })
  const current = Math.min(active, Math.max(0, rows.length - 1))

  useEffect(() => {
    if (!focusPending.current) return
    const element = bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${current}"]`)
    if (element) {
      focusPending.current = false
      element.focus()
    }
  })

  const selection = useMemo(() => selectionOf(rows, q.selection), [rows, q.selection])
  const { setDetail, returnFocus } = q
  const open = useCallback(
    (id: string, from: HTMLElement | null) => {
      returnFocus.current = from
      setDetail(id as Denial.DenialId)
    },
    [setDetail, returnFocus]
  )
  if (stateOf(q) !== "ready") return null

  const { selected, allShownSelected, someShownSelected } = selection
  const shownIds = () => rows.map((row) => row.id)

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index))
    setActive(next)
    focusPending.current = true
    if (virtualize) virtualizer.scrollToIndex(next, { align: "auto" })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement
    if (target.tagName !== "TR") return
    const index = Number(target.dataset.index)
    const row = rows[index]
    switch (event.key) {
      case "ArrowDown":
        moveTo(index + 1)
        break
      case "ArrowUp":
        moveTo(index - 1)
        break
      case "Home":
        moveTo(0)
        break
      case "End":
        moveTo(rows.length - 1)
        break
      case "PageDown":
        moveTo(index + pageRows)
        break
      case "PageUp":
        moveTo(index - pageRows)
        break
      case " ":
        row?.toggleSelected()
        break
      case "Enter":
        if (row === undefined) return
        q.returnFocus.current = target
        q.setDetail(row.id as Denial.DenialId)
        break
      default:
        return
    }
    event.preventDefault()
  }

  const measured = virtualize ? virtualizer.getVirtualItems() : []
  // Without layout (server rendering, a DOM without layout, before the first measure) the virtualizer sees no
  // viewport and returns no rows: render the first ones instead of an empty grid.
  const items = !virtualize
    ? rows.map((_, index) => ({ index, start: 0, end: 0 }))
    : measured.length > 0 || rows.length === 0
      ? measured
      : Array.from({ length: Math.min(rows.length, overscan + 20) }, (_, index) => ({
          index,
          start: index * rowHeight,
          end: (index + 1) * rowHeight
        }))
  const first = items[0]
  const last = items.at(-1)
  const paddingTop = virtualize && first !== undefined ? first.start : 0
  const paddingBottom = virtualize && last !== undefined ? virtualizer.getTotalSize() - last.end : 0
  const headers = q.table.getHeaderGroups()[0]?.headers ?? []
  const columnCount = headers.length + 1

  return (
    <div
      ref={scrollRef}
      data-slot="scroll"
      data-virtualized={virtualize}
      style={virtualize ? { overflow: "auto", maxHeight: height, ...style } : style}
      {...props}
    >
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA data grid pattern is a table with role grid (rows are focusable, Space selects, Enter opens).
        role="grid"
        aria-label={text("denialWorkqueue.table", "Denials to work")}
        aria-rowcount={rows.length + 1}
        aria-colcount={columnCount}
        aria-multiselectable="true"
        data-slot="table"
      >
        <thead data-slot="head">
          <tr aria-rowindex={1}>
            <th scope="col" data-column="select">
              <input
                type="checkbox"
                data-slot="select-all"
                aria-label={text("denialWorkqueue.selectAll", "Select all shown denials")}
                checked={allShownSelected}
                ref={(input) => {
                  if (input) input.indeterminate = someShownSelected
                }}
                onChange={() => {
                  const shown = shownIds()
                  if (allShownSelected) {
                    const drop = new Set(shown)
                    q.setSelection((previous) => previous.filter((id) => !drop.has(id)))
                  } else {
                    q.setSelection((previous) => [...new Set([...previous, ...shown])] as Array<Denial.DenialId>)
                  }
                }}
              />
            </th>
            {headers.map((header) => {
              const sorted = header.column.getIsSorted()
              const label = <q.table.FlexRender header={header} />
              return (
                <th
                  key={header.id}
                  scope="col"
                  data-column={header.column.id}
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  data-sorted={sorted || undefined}
                >
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      data-slot="sort"
                      onClick={header.column.getToggleSortingHandler()}
                      aria-label={text("denialWorkqueue.sortBy", "Sort by {column}", {
                        column: String(header.column.columnDef.header)
                      })}
                    >
                      {label}
                      <span aria-hidden="true" data-slot="sort-indicator">
                        {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        {/* biome-ignore lint/a11y/noNoninteractiveElementInteractions: the rows' keys are handled once, on their body. */}
        <tbody ref={bodyRef} data-slot="body" onKeyDown={onKeyDown}>
          {paddingTop > 0 ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer for the rows not rendered; nothing in it can take focus.
            <tr aria-hidden="true" data-slot="spacer" style={{ height: paddingTop }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index]
            if (row === undefined) return null
            return (
              <BodyRow
                key={row.id}
                row={row}
                index={item.index}
                height={virtualize ? rowHeight : undefined}
                selected={selected.has(row.id)}
                active={item.index === current}
                open={q.detail?.id === row.id}
                onActivate={setActive}
                onOpen={open}
              />
            )
          })}
          {paddingBottom > 0 ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer for the rows not rendered; nothing in it can take focus.
            <tr aria-hidden="true" data-slot="spacer" style={{ height: paddingBottom }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}

interface BodyRowProps {
  readonly row: Row<WorkqueueFeatures, WorkqueueRow>
  readonly index: number
  readonly height: number | undefined
  readonly selected: boolean
  readonly active: boolean
  readonly open: boolean
  readonly onActivate: (index: number) => void
  readonly onOpen: (id: string, from: HTMLElement | null) => void
}

// Memoized: while scrolling, only the rows that enter the view render; the others keep their props.
const BodyRow = memo(function BodyRow({
  row,
  index,
  height,
  selected,
  active,
  open,
  onActivate,
  onOpen
}: BodyRowProps) {
  const text = useText()
  const original = row.original
  return (
    <tr
      style={height === undefined ? undefined : { height }}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={active ? 0 : -1}
      data-state={selected ? "selected" : undefined}
      data-denial-status={original.denial.status}
      data-category={original.category}
      data-overdue={original.daysLeft !== undefined && original.daysLeft < 0 ? true : undefined}
      data-open={open ? true : undefined}
      onFocus={() => onActivate(index)}
      onDoubleClick={(event) => onOpen(row.id, event.currentTarget)}
    >
      <td data-column="select">
        <input
          type="checkbox"
          tabIndex={-1}
          data-slot="select-row"
          aria-label={text("denialWorkqueue.selectRow", "Select {code} on claim {claim}", {
            code: original.code,
            claim: original.denial.claimId
          })}
          checked={selected}
          onChange={row.getToggleSelectedHandler()}
        />
      </td>
      {row.getAllCells().map((cell) => (
        <td key={cell.id} data-column={cell.column.id}>
          {cell.column.id === "amount" ? (
            <Amount value={original.amount} />
          ) : cell.column.id === "code" ? (
            <button
              type="button"
              tabIndex={-1}
              data-slot="open-detail"
              aria-label={text("denialWorkqueue.openDetail", "Details of {code} on claim {claim}", {
                code: original.code,
                claim: original.denial.claimId
              })}
              onClick={(event) => onOpen(row.id, event.currentTarget.closest("tr"))}
            >
              {original.code}
            </button>
          ) : (
            <FlexRender cell={cell} />
          )}
        </td>
      ))}
    </tr>
  )
})

/**
 * The open denial: its codes and what they mean (CARC and RARC descriptions), the recommended action and why, the
 * remittance that carried it, its status, assignee and notes. Focus moves to it when it opens and back to the row
 * when it closes (Escape or the close button).
 */
export function Detail(props: Omit<ComponentPropsWithoutRef<"section">, "children">) {
  const q = useWorkqueueContext("DenialWorkqueue.Detail")
  const text = useText()
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const row = q.detail
  const denial = row?.denial
  const remittances = useDenialRemittances(denial?.claimId)
  const meaning = useMemo(() => (denial === undefined ? undefined : denialMeaning(denial)), [denial])

  const openId = row?.id
  useEffect(() => {
    if (openId !== undefined) heading.current?.focus()
  }, [openId])

  if (row === undefined || denial === undefined || meaning === undefined) return null

  const close = () => {
    q.setDetail(null)
    const back = q.returnFocus.current
    if (back?.isConnected) back.focus()
  }

  return (
    // biome-ignore lint/a11y/noNoninteractiveElementInteractions: Escape anywhere in the detail closes it.
    <section
      aria-labelledby={headingId}
      data-slot="detail"
      data-category={meaning.category}
      data-action={meaning.action}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault()
          close()
        }
      }}
      {...props}
    >
      <h3 id={headingId} ref={heading} tabIndex={-1} data-slot="detail-title">
        {text("denialWorkqueue.detail.title", "{code} on claim {claim}", { code: row.code, claim: denial.claimId })}
      </h3>
      <dl data-slot="detail-facts">
        <dt>{text("denialWorkqueue.column.payer", "Payer")}</dt>
        <dd data-slot="detail-payer">{row.payerName}</dd>
        <dt>{text("denialWorkqueue.column.amount", "Amount")}</dt>
        <dd>
          <Amount value={denial.amount} />
        </dd>
        <dt>{text("denialWorkqueue.detail.received", "Received")}</dt>
        <dd>{denial.receivedOn ?? "—"}</dd>
        <dt>{text("denialWorkqueue.column.deadline", "Deadline")}</dt>
        <dd data-slot="detail-deadline">
          {denial.deadline === undefined
            ? "—"
            : row.daysLeft !== undefined && row.daysLeft < 0
              ? text("denialWorkqueue.detail.overdue", "{date} (overdue by {days} days)", {
                  date: denial.deadline,
                  days: -row.daysLeft
                })
              : text("denialWorkqueue.detail.daysLeft", "{date} ({days} days left)", {
                  date: denial.deadline,
                  days: row.daysLeft ?? 0
                })}
        </dd>
        <dt>{text("denialWorkqueue.column.status", "Status")}</dt>
        <dd data-slot="detail-status">
          {text(`denialWorkqueue.status.${denial.status}`, statusLabels[denial.status])}
        </dd>
        <dt>{text("denialWorkqueue.column.assignee", "Assignee")}</dt>
        <dd>{denial.assignee ?? text("denialWorkqueue.detail.unassigned", "Unassigned")}</dd>
      </dl>

      <h4>{text("denialWorkqueue.detail.meaning", "What the payer said")}</h4>
      <dl data-slot="detail-meaning">
        <dt>
          {denial.group}-{meaning.carc.code}
        </dt>
        <dd data-slot="carc-description">
          {meaning.carc.description ?? text("denialWorkqueue.detail.unknownCode", "Not in the published list")}
        </dd>
        {meaning.rarcs.map((rarc) => (
          <div key={rarc.code} data-slot="rarc">
            <dt>{rarc.code}</dt>
            <dd>{rarc.description ?? text("denialWorkqueue.detail.unknownCode", "Not in the published list")}</dd>
          </div>
        ))}
      </dl>

      <h4>{text("denialWorkqueue.detail.recommended", "Recommended action")}</h4>
      <p data-slot="recommended-action">
        <strong>{text(`denialWorkqueue.action.${meaning.action}`, actionLabels[meaning.action])}</strong>
        {" — "}
        {text(`denialWorkqueue.category.${meaning.category}`, categoryLabels[meaning.category])}
      </p>
      <p data-slot="explanation">{meaning.explanation}</p>
      {meaning.note === undefined ? null : <p data-slot="note">{meaning.note}</p>}

      <h4>{text("denialWorkqueue.detail.remittance", "Remittance")}</h4>
      <div data-slot="detail-remittance">
        {remittances.result._tag === "Failure" ? (
          <ErrorMessage error={remittances.result.error} onRetry={remittances.refresh} />
        ) : remittances.result._tag === "Initial" ? (
          <p role="status">{text("denialWorkqueue.detail.loadingRemittance", "Loading the remittance…")}</p>
        ) : remittances.result.value.length === 0 ? (
          <p>{text("denialWorkqueue.detail.noRemittance", "No remittance posted to this claim.")}</p>
        ) : (
          remittances.result.value.map((remittance) => (
            <div key={remittance.remittanceId} data-slot="remittance">
              <p>
                {text("denialWorkqueue.detail.trace", "Trace {trace}, {method}, paid {date}", {
                  trace: remittance.remittance?.traceNumber ?? remittance.remittanceId,
                  method: remittance.remittance?.paymentMethod ?? "—",
                  date: remittance.remittance?.paymentDate ?? "—"
                })}
              </p>
              <table data-slot="postings">
                <caption>{text("denialWorkqueue.detail.postings", "Amounts posted to the claim")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{text("denialWorkqueue.detail.kind", "Kind")}</th>
                    <th scope="col">{text("denialWorkqueue.detail.line", "Line")}</th>
                    <th scope="col">{text("denialWorkqueue.detail.adjustment", "Adjustment")}</th>
                    <th scope="col">{text("denialWorkqueue.column.amount", "Amount")}</th>
                  </tr>
                </thead>
                <tbody>
                  {remittance.postings.map((posting) => (
                    <tr key={posting.id} data-kind={posting.kind}>
                      <td>{posting.kind}</td>
                      <td>{posting.line === undefined ? "—" : posting.line + 1}</td>
                      <td>{posting.group === undefined ? "—" : `${posting.group}-${posting.reason ?? ""}`}</td>
                      <td>
                        <Amount value={posting.amount} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))
        )}
      </div>

      <h4>{text("denialWorkqueue.detail.notes", "Notes")}</h4>
      {denial.notes.length === 0 ? null : (
        <ul data-slot="notes">
          {denial.notes.map((note, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: notes are append-only; their order is their identity.
            <li key={index}>{note.text}</li>
          ))}
        </ul>
      )}
      <DetailActions denialId={denial.id} assignee={denial.assignee} />
      <button type="button" data-slot="detail-close" onClick={close}>
        {text("denialWorkqueue.detail.close", "Close details")}
      </button>
    </section>
  )
}

/** In the detail: add a note, take the denial, prepare the appeal letter (`Billing.appealPacket`). */
function DetailActions({
  denialId,
  assignee
}: {
  readonly denialId: Denial.DenialId
  readonly assignee?: string | undefined
}) {
  const q = useWorkqueueContext("DenialWorkqueue.Detail")
  const text = useText()
  const caller = useOptionalCaller()
  const id = useId()
  const [draft, setDraft] = useState("")
  const packet = useBillingAction((denial: Denial.DenialId) => Billing.appealPacket(denial))
  const failure = [q.noteResult, q.assignResult, packet.result].find((result) => result._tag === "Failure")
  return (
    <div data-slot="detail-actions">
      <form
        data-slot="note-form"
        onSubmit={(event) => {
          event.preventDefault()
          const note = draft.trim()
          if (note === "") return
          void q.note(denialId, note).then((exit) => {
            if (exit._tag === "Success") setDraft("")
          })
        }}
      >
        <label htmlFor={`${id}-note`}>{text("denialWorkqueue.detail.addNoteLabel", "Note")}</label>
        <textarea id={`${id}-note`} data-slot="note-text" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={draft.trim() === "" || q.noteResult.waiting}>
          {text("denialWorkqueue.detail.addNote", "Add note")}
        </button>
      </form>
      {caller === undefined || caller.actor === assignee ? null : (
        <button
          type="button"
          data-slot="assign-to-me"
          disabled={q.assignResult.waiting}
          onClick={() => void q.assign(denialId, caller.actor)}
        >
          {text("denialWorkqueue.detail.assignToMe", "Assign to me")}
        </button>
      )}
      <button
        type="button"
        data-slot="appeal-packet"
        disabled={packet.result.waiting}
        onClick={() => void packet.run(denialId)}
      >
        {text("denialWorkqueue.detail.appealLetter", "Prepare the appeal letter")}
      </button>
      {failure?._tag === "Failure" ? <ErrorMessage error={failure.error} /> : null}
      {packet.result._tag === "Success" ? (
        <figure data-slot="appeal-letter">
          <figcaption>{text("denialWorkqueue.detail.appealLetterLabel", "Appeal letter")}</figcaption>
          <pre>{packet.result.value.letter}</pre>
        </figure>
      ) : null}
    </div>
  )
}
