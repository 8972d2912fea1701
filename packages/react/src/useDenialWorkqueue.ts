import {
  Billing,
  DateOfService,
  type Denial,
  DenialCatalog,
  type Ids,
  type Money,
  type Payer,
  Store
} from "@openrcm/core"
import {
  type ColumnFiltersState,
  type ColumnSort,
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  type FilterFn,
  functionalUpdate,
  type RowSelectionState,
  rowSelectionFeature,
  rowSortingFeature,
  type SortFn,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable
} from "@tanstack/react-table"
import { Effect, type Exit, Option } from "effect"
import { useCallback, useMemo, useRef, useState } from "react"
import * as Result from "./Result.js"
import { useBillingAction } from "./useBillingAction.js"
import { useBillingQuery } from "./useBillingEffect.js"
import { useText } from "./useText.js"

// --- Data ------------------------------------------------------------------------------------------------------

/** A payer as the queue names it: its id and its name (payer text: render it as text). */
export interface WorkqueuePayer {
  readonly id: Ids.PayerId
  readonly name: string
}

/**
 * What the queue works on: every denial of the query (in queue order, highest priority first), the tenant's payers
 * for their names, and the day ages are counted to.
 */
export interface WorkqueueData {
  readonly denials: ReadonlyArray<Denial.Denial>
  readonly payers: ReadonlyArray<WorkqueuePayer>
  readonly asOf: DateOfService.DateOfService
}

/** One row of the queue: the denial with what the table sorts and filters on. */
export interface WorkqueueRow {
  readonly id: Denial.DenialId
  readonly denial: Denial.Denial
  readonly payerName: string
  readonly category: Denial.Category
  /** `GROUP-CARC`, e.g. `CO-197`. */
  readonly code: string
  /** Days since the payer's answer was received (since the denial was recorded when unknown), as of `asOf`. */
  readonly age: number
  readonly amount: Money.Money
  readonly deadline: DateOfService.DateOfService | undefined
  /** Days left to the deadline (negative when overdue); `undefined` without a deadline. */
  readonly daysLeft: number | undefined
}

/** Which denials to load: the filters `Billing.denialQueue` applies in the store. */
export interface WorkqueueQuery {
  readonly status?: ReadonlyArray<Denial.Status> | undefined
  readonly assignee?: string | undefined
  readonly payerId?: Ids.PayerId | undefined
}

const allPages = <A, E, R>(
  page: (cursor: string | undefined) => Effect.Effect<Store.Page<A>, E, R>,
  onPage?: (loaded: number) => void
) =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | undefined
    do {
      const next = yield* page(cursor)
      for (const item of next.items) items.push(item)
      cursor = next.next
      if (onPage !== undefined && cursor !== undefined) yield* Effect.sync(() => onPage(items.length))
    } while (cursor !== undefined)
    return items
  })

/**
 * Loads the whole queue into memory, a page of `Store.maxPageSize` at a time (`Billing.denialQueue`), with the
 * tenant's payers: sorting and filtering then happen in the browser without a round trip (100,000 denials are a few
 * tens of megabytes). `asOf` defaults to today in `timeZone` (UTC).
 */
export const loadWorkqueue = (options?: {
  readonly query?: WorkqueueQuery | undefined
  readonly asOf?: DateOfService.DateOfService | undefined
  readonly timeZone?: string | undefined
  /** Called after each page but the last with how many denials are loaded so far (a large queue takes a while). */
  readonly onProgress?: ((loaded: number) => void) | undefined
}) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const query = options?.query ?? {}
    const denials = yield* allPages(
      (cursor) =>
        Billing.denialQueue({ ...query, limit: Store.maxPageSize, ...(cursor === undefined ? {} : { cursor }) }),
      options?.onProgress
    )
    const payers = yield* allPages((cursor) =>
      store.payers.list({ limit: Store.maxPageSize, ...(cursor === undefined ? {} : { cursor }) })
    )
    const asOf = options?.asOf ?? (yield* DateOfService.today(options?.timeZone ?? "UTC"))
    return {
      denials,
      payers: payers.map((payer: Payer.Payer) => ({ id: payer.id, name: payer.name })),
      asOf
    } satisfies WorkqueueData
  })

/** The rows of the data: each denial with its payer's name, code, age and days left. */
export const toRows = (data: WorkqueueData): Array<WorkqueueRow> => {
  const names = new Map(data.payers.map((payer) => [payer.id as string, payer.name]))
  const today = data.asOf
  // Days to and from `today` by date: 100,000 denials share a few hundred dates, so each is parsed once.
  const since = new Map<string, number>()
  const until = new Map<string, number>()
  const daysSince = (day: DateOfService.DateOfService) => {
    let days = since.get(day)
    if (days === undefined) {
      days = DateOfService.daysBetween(day, today)
      since.set(day, days)
    }
    return days
  }
  const daysUntil = (day: DateOfService.DateOfService) => {
    let days = until.get(day)
    if (days === undefined) {
      days = DateOfService.daysBetween(today, day)
      until.set(day, days)
    }
    return days
  }
  return data.denials.map((denial) => {
    const received = denial.receivedOn
    return {
      id: denial.id,
      denial,
      payerName: names.get(denial.payerId) ?? denial.payerId,
      category: denial.category ?? "other",
      code: `${denial.group}-${denial.carc}`,
      age:
        received === undefined
          ? Math.max(0, DateOfService.daysBetween(DateOfService.atInstant(denial.createdAt, "UTC"), today))
          : daysSince(received),
      amount: denial.amount,
      deadline: denial.deadline,
      daysLeft: denial.deadline === undefined ? undefined : daysUntil(denial.deadline)
    }
  })
}

// --- Filters ---------------------------------------------------------------------------------------------------

/** Age buckets, in days since the payer's answer. */
export const ageBuckets = ["0-30", "31-60", "61-90", "91+"] as const

export type AgeBucket = (typeof ageBuckets)[number]

const ageRange = (bucket: AgeBucket): readonly [number, number] => {
  switch (bucket) {
    case "0-30":
      return [0, 30]
    case "31-60":
      return [31, 60]
    case "61-90":
      return [61, 90]
    case "91+":
      return [91, Number.POSITIVE_INFINITY]
  }
}

/** The queue's filters; an absent one keeps every row. */
export interface WorkqueueFilters {
  readonly payerId?: Ids.PayerId | undefined
  readonly category?: Denial.Category | undefined
  readonly age?: AgeBucket | undefined
  /** Only denials of at least this amount (cents). */
  readonly minAmount?: Money.Money | undefined
}

/** The columns a person can sort by. */
export type WorkqueueSortColumn = "priority" | "payer" | "category" | "code" | "age" | "amount" | "deadline" | "status"

/** One sort: a column and its direction. An empty list is the queue's order (highest priority first). */
export interface WorkqueueSort {
  readonly column: WorkqueueSortColumn
  readonly descending: boolean
}

const toColumnFilters = (filters: WorkqueueFilters): ColumnFiltersState => {
  const state: ColumnFiltersState = []
  if (filters.payerId !== undefined) state.push({ id: "payer", value: filters.payerId })
  if (filters.category !== undefined) state.push({ id: "category", value: filters.category })
  if (filters.age !== undefined) state.push({ id: "age", value: filters.age })
  if (filters.minAmount !== undefined) state.push({ id: "amount", value: filters.minAmount })
  return state
}

const fromColumnFilters = (state: ColumnFiltersState): WorkqueueFilters => {
  const value = (id: string) => state.find((filter) => filter.id === id)?.value
  return {
    payerId: value("payer") as Ids.PayerId | undefined,
    category: value("category") as Denial.Category | undefined,
    age: value("age") as AgeBucket | undefined,
    minAmount: value("amount") as Money.Money | undefined
  }
}

// --- The table -------------------------------------------------------------------------------------------------

/** The TanStack Table v9 features the queue registers: client-side sorting, column filters, row selection. */
export const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  columnFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  rowSelectionFeature
})

export type WorkqueueFeatures = typeof features

const isAbsent = (value: unknown) => value === undefined || value === null || value === ""

const payerIs: FilterFn<WorkqueueFeatures, WorkqueueRow> = Object.assign(
  (row: { original: WorkqueueRow }, _: string, payerId: unknown) => row.original.denial.payerId === payerId,
  { autoRemove: isAbsent }
)
const categoryIs: FilterFn<WorkqueueFeatures, WorkqueueRow> = Object.assign(
  (row: { original: WorkqueueRow }, _: string, category: unknown) => row.original.category === category,
  { autoRemove: isAbsent }
)
const ageIn: FilterFn<WorkqueueFeatures, WorkqueueRow> = Object.assign(
  (row: { original: WorkqueueRow }, _: string, bucket: unknown) => {
    const [from, to] = ageRange(bucket as AgeBucket)
    return row.original.age >= from && row.original.age <= to
  },
  { autoRemove: isAbsent }
)
const atLeast: FilterFn<WorkqueueFeatures, WorkqueueRow> = Object.assign(
  (row: { original: WorkqueueRow }, _: string, min: unknown) => row.original.amount >= (min as number),
  { autoRemove: isAbsent }
)

// Comparators on the row's own fields: no accessor call and no alphanumeric splitting per comparison, so sorting
// 100,000 rows stays a plain sort. Ascending only; the table reverses for descending.
const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)
const by =
  (key: (row: WorkqueueRow) => string | number): SortFn<WorkqueueFeatures, WorkqueueRow> =>
  (a, b) =>
    compare(key(a.original), key(b.original))

const helper = createColumnHelper<WorkqueueFeatures, WorkqueueRow>()

type Text = ReturnType<typeof useText>

/** The queue's columns, labelled by the provider's messages. Cells are text only. */
export const workqueueColumns = (text: Text) =>
  helper.columns([
    helper.accessor((row) => row.denial.priority, {
      id: "priority",
      header: text("denialWorkqueue.column.priority", "Priority"),
      sortFn: by((row) => row.denial.priority),
      sortDescFirst: true,
      cell: (info) => String(info.row.index + 1)
    }),
    helper.accessor((row) => row.denial.claimId as string, {
      id: "claim",
      header: text("denialWorkqueue.column.claim", "Claim"),
      enableSorting: false
    }),
    helper.accessor("payerName", {
      id: "payer",
      header: text("denialWorkqueue.column.payer", "Payer"),
      sortFn: by((row) => row.payerName),
      filterFn: payerIs
    }),
    helper.accessor("category", {
      id: "category",
      header: text("denialWorkqueue.column.category", "Category"),
      sortFn: by((row) => row.category),
      filterFn: categoryIs,
      cell: (info) => text(`denialWorkqueue.category.${info.getValue()}`, categoryLabels[info.getValue()])
    }),
    helper.accessor("code", {
      id: "code",
      header: text("denialWorkqueue.column.code", "Code"),
      sortFn: by((row) => row.code)
    }),
    helper.accessor("age", {
      id: "age",
      header: text("denialWorkqueue.column.age", "Age (days)"),
      sortFn: by((row) => row.age),
      filterFn: ageIn
    }),
    helper.accessor("amount", {
      id: "amount",
      header: text("denialWorkqueue.column.amount", "Amount"),
      sortFn: by((row) => row.amount),
      sortDescFirst: true,
      filterFn: atLeast
    }),
    helper.accessor((row) => row.deadline ?? "", {
      id: "deadline",
      header: text("denialWorkqueue.column.deadline", "Deadline"),
      sortFn: by((row) => row.deadline ?? "")
    }),
    helper.accessor((row) => row.denial.status, {
      id: "status",
      header: text("denialWorkqueue.column.status", "Status"),
      sortFn: by((row) => row.denial.status),
      cell: (info) => text(`denialWorkqueue.status.${info.getValue()}`, statusLabels[info.getValue()])
    }),
    helper.accessor((row) => row.denial.assignee ?? "", {
      id: "assignee",
      header: text("denialWorkqueue.column.assignee", "Assignee"),
      enableSorting: false
    })
  ])

/** Default wording of the categories (`denialWorkqueue.category.<category>`). */
export const categoryLabels: Readonly<Record<Denial.Category, string>> = {
  eligibility: "Eligibility",
  authorization: "Authorization",
  coding: "Coding",
  modifier: "Modifier",
  "timely-filing": "Timely filing",
  duplicate: "Duplicate",
  "medical-necessity": "Medical necessity",
  "coordination-of-benefits": "Coordination of benefits",
  "provider-enrollment": "Provider enrollment",
  "non-covered": "Not covered",
  "patient-responsibility": "Patient responsibility",
  contractual: "Contractual",
  other: "Other"
}

/** Default wording of the statuses (`denialWorkqueue.status.<status>`). */
export const statusLabels: Readonly<Record<Denial.Status, string>> = {
  open: "Open",
  "in-progress": "In progress",
  resubmitted: "Resubmitted",
  appealed: "Appealed",
  "written-off": "Written off",
  resolved: "Resolved"
}

/** Default wording of the recommended actions (`denialWorkqueue.action.<action>`). */
export const actionLabels: Readonly<Record<Denial.Action, string>> = {
  "correct-and-resubmit": "Correct and resubmit",
  appeal: "Appeal",
  "bill-secondary": "Bill the secondary payer",
  "bill-patient": "Bill the patient",
  "write-off": "Write off",
  none: "No action"
}

// --- Bulk actions ----------------------------------------------------------------------------------------------

/** A bulk action a person starts from the queue. */
export type BulkAction =
  | { readonly _tag: "CorrectAndResubmit" }
  | { readonly _tag: "Appeal"; readonly reason: string }
  | { readonly _tag: "WriteOff"; readonly reason: string }
  | { readonly _tag: "Reassign"; readonly assignee: string }

/** The last bulk action and what it did to each denial (`Billing.workDenials`'s outcomes). */
export interface BulkReport {
  readonly action: BulkAction["_tag"]
  readonly outcomes: ReadonlyArray<Billing.WorkOutcome>
}

// --- The hook --------------------------------------------------------------------------------------------------

export interface UseDenialWorkqueueOptions {
  /** Which denials to load from the store (ignored when `data` is given). */
  readonly query?: WorkqueueQuery | undefined
  /** The day ages and days left are counted to; today (UTC) by default. */
  readonly asOf?: DateOfService.DateOfService | undefined
  /**
   * The rows to work, when the host loaded them itself (its own data source, a cache): the hook then reads nothing.
   * Bulk actions still run on the provider's runtime.
   */
  readonly data?: WorkqueueData | undefined
  /** Selected denials, controlled. */
  readonly selection?: ReadonlyArray<Denial.DenialId> | undefined
  readonly defaultSelection?: ReadonlyArray<Denial.DenialId> | undefined
  readonly onSelectionChange?: ((selection: ReadonlyArray<Denial.DenialId>) => void) | undefined
  /** Filters, controlled. */
  readonly filters?: WorkqueueFilters | undefined
  readonly defaultFilters?: WorkqueueFilters | undefined
  readonly onFiltersChange?: ((filters: WorkqueueFilters) => void) | undefined
  /** Sort, controlled; `[]` is the queue's order. */
  readonly sorting?: ReadonlyArray<WorkqueueSort> | undefined
  readonly defaultSorting?: ReadonlyArray<WorkqueueSort> | undefined
  readonly onSortingChange?: ((sorting: ReadonlyArray<WorkqueueSort>) => void) | undefined
  /** The denial whose detail is open, controlled (`null`: none). */
  readonly detail?: Denial.DenialId | null | undefined
  readonly defaultDetail?: Denial.DenialId | null | undefined
  readonly onDetailChange?: ((detail: Denial.DenialId | null) => void) | undefined
  /** Called with each bulk action's report. */
  readonly onBulkReport?: ((report: BulkReport) => void) | undefined
}

const empty: ReadonlyArray<never> = []

/** A piece of state that is controlled when `value` is given, with a change callback either way. */
function useControllable<A>(value: A | undefined, defaultValue: A, onChange: ((a: A) => void) | undefined) {
  const [own, setOwn] = useState(defaultValue)
  const controlled = value !== undefined
  const current = controlled ? value : own
  const currentRef = useRef(current)
  currentRef.current = current
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange
  const set = useCallback(
    (updater: Updater<A>) => {
      const next = functionalUpdate(updater, currentRef.current)
      if (Object.is(next, currentRef.current)) return
      currentRef.current = next
      if (!controlled) setOwn(next)
      onChangeRef.current?.(next)
    },
    [controlled]
  )
  return [current, set] as const
}

const selectionState = (ids: ReadonlyArray<string>): RowSelectionState => {
  const state: RowSelectionState = {}
  for (const id of ids) state[id] = true
  return state
}

/**
 * The denial work queue, headless: loads the queue (or takes the host's `data`), holds sorting, filters, selection
 * and the open detail (each controlled or not), and runs bulk actions (`Billing.workDenials`) on the selected
 * denials, keeping each one's outcome in `report` and the rows up to date. Render `table` (TanStack Table v9) with
 * any markup, or use `DenialWorkqueue`'s parts.
 */
export function useDenialWorkqueue(options: UseDenialWorkqueueOptions = {}) {
  const text = useText()
  const given = options.data
  const query = options.query
  const queryKey = JSON.stringify(query ?? {})
  const [progress, setProgress] = useState(0)
  const loaded = useBillingQuery(
    () =>
      given === undefined
        ? Effect.andThen(
            Effect.sync(() => setProgress(0)),
            loadWorkqueue({ query, asOf: options.asOf, onProgress: setProgress })
          )
        : Effect.succeed(given),
    [queryKey, options.asOf, given === undefined]
  )
  const result: Result.Result<WorkqueueData, Store.StoreError> =
    given === undefined ? loaded.result : Result.success(given)

  // Denials changed by bulk actions since the data was loaded: the rows show them without a reload.
  const [changed, setChanged] = useState<ReadonlyMap<string, Denial.Denial>>(() => new Map())
  const source = result._tag === "Success" ? result.value : undefined
  const [changedFor, setChangedFor] = useState(source)
  if (changedFor !== source) {
    setChangedFor(source)
    if (changed.size > 0) setChanged(new Map())
  }
  const baseRows = useMemo(() => (source === undefined ? [] : toRows(source)), [source])
  const rows = useMemo(() => {
    if (changed.size === 0) return baseRows
    const index = new Map(source?.payers.map((payer) => [payer.id as string, payer.name]))
    return baseRows.map((row) => {
      const denial = changed.get(row.id)
      if (denial === undefined) return row
      return { ...row, denial, payerName: index.get(denial.payerId) ?? row.payerName }
    })
  }, [baseRows, changed, source])

  const [selection, setSelection] = useControllable(
    options.selection,
    options.defaultSelection ?? empty,
    options.onSelectionChange
  )
  const [filters, setFilters] = useControllable(options.filters, options.defaultFilters ?? {}, options.onFiltersChange)
  const [sorting, setSorting] = useControllable(
    options.sorting,
    options.defaultSorting ?? empty,
    options.onSortingChange
  )
  const [detail, setDetail] = useControllable(options.detail, options.defaultDetail ?? null, options.onDetailChange)

  const columns = useMemo(() => workqueueColumns(text), [text])
  const rowSelection = useMemo(() => selectionState(selection), [selection])
  const columnFilters = useMemo(() => toColumnFilters(filters), [filters])
  const sortingState = useMemo<SortingState>(
    () => sorting.map((sort): ColumnSort => ({ id: sort.column, desc: sort.descending })),
    [sorting]
  )

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { rowSelection, columnFilters, sorting: sortingState },
    enableSortingRemoval: true,
    enableMultiSort: false,
    enableSubRowSelection: false,
    onRowSelectionChange: (updater) =>
      setSelection((previous) => {
        const next = functionalUpdate(updater, selectionState(previous))
        return Object.keys(next).filter((id) => next[id]) as Array<Denial.DenialId>
      }),
    onColumnFiltersChange: (updater) =>
      setFilters((previous) => fromColumnFilters(functionalUpdate(updater, toColumnFilters(previous)))),
    onSortingChange: (updater) =>
      setSorting((previous) =>
        functionalUpdate(
          updater,
          previous.map((sort) => ({ id: sort.column, desc: sort.descending }))
        ).map((sort) => ({ column: sort.id as WorkqueueSortColumn, descending: sort.desc }))
      )
  })

  const [report, setReport] = useState<BulkReport | null>(null)
  const onBulkReport = useRef(options.onBulkReport)
  onBulkReport.current = options.onBulkReport
  const work = useBillingAction((ids: ReadonlyArray<Denial.DenialId>, action: BulkAction) =>
    Billing.workDenials(ids, action)
  )
  const runBulk = useCallback(
    (
      action: BulkAction,
      ids?: ReadonlyArray<Denial.DenialId>
    ): Promise<Exit.Exit<ReadonlyArray<Billing.WorkOutcome>, never>> =>
      work.run(ids ?? selection, action).then((exit) => {
        if (exit._tag === "Success") {
          const outcomes = exit.value
          const next: BulkReport = { action: action._tag, outcomes }
          setReport(next)
          setChanged((previous) => {
            const map = new Map(previous)
            for (const outcome of outcomes) if (outcome._tag === "Done") map.set(outcome.denialId, outcome.denial)
            return map
          })
          onBulkReport.current?.(next)
        }
        return exit as Exit.Exit<ReadonlyArray<Billing.WorkOutcome>, never>
      }),
    [work.run, selection]
  )

  const remember = useCallback((denial: Denial.Denial) => {
    setChanged((previous) => new Map(previous).set(denial.id, denial))
  }, [])
  const noteAction = useBillingAction((id: Denial.DenialId, text: string) => Billing.noteDenial(id, text))
  const assignAction = useBillingAction((id: Denial.DenialId, assignee: string) => Billing.assignDenial(id, assignee))
  const note = useCallback(
    (id: Denial.DenialId, text: string) =>
      noteAction.run(id, text).then((exit) => {
        if (exit._tag === "Success") remember(exit.value)
        return exit
      }),
    [noteAction.run, remember]
  )
  const assign = useCallback(
    (id: Denial.DenialId, assignee: string) =>
      assignAction.run(id, assignee).then((exit) => {
        if (exit._tag === "Success") remember(exit.value)
        return exit
      }),
    [assignAction.run, remember]
  )

  // Built on first use only: most renders need no lookup by id, and 100,000 rows make it a cost.
  const index = useRef<{ rows: ReadonlyArray<WorkqueueRow>; byId: Map<string, WorkqueueRow> } | null>(null)
  const rowById = useCallback(
    (id: string): WorkqueueRow | undefined => {
      if (index.current?.rows !== rows) index.current = { rows, byId: new Map(rows.map((row) => [row.id, row])) }
      return index.current.byId.get(id)
    },
    [rows]
  )
  const detailRow = detail === null ? undefined : rowById(detail)

  return {
    /** The queue as loaded: `Initial` (waiting) while loading, a typed `StoreError` on failure. */
    result,
    /** While loading: how many denials are loaded so far (0 until the first page of several). */
    progress,
    /** Loads the queue again (a retry after a retryable failure). */
    refresh: loaded.refresh,
    /** Every row, in queue order, with bulk actions' changes applied. */
    rows,
    /** The TanStack Table instance: `table.getRowModel().rows` are the filtered and sorted rows. */
    table,
    payers: source?.payers ?? empty,
    asOf: source?.asOf,
    filters,
    setFilters,
    sorting,
    setSorting,
    selection,
    setSelection,
    /** The row of a denial id, when loaded. */
    rowById,
    detail: detailRow,
    setDetail,
    /** Runs a bulk action on the selected denials (or `ids`); resolves with its exit, never rejects. */
    runBulk,
    /** The running or last bulk action: `waiting` while it runs; `Failure` never happens (outcomes are per row). */
    bulkResult: work.result,
    /** Adds a note to one denial (`Billing.noteDenial`); the row shows it at once. */
    note,
    noteResult: noteAction.result,
    /** Gives one denial to someone (`Billing.assignDenial`: an open one moves to in progress). */
    assign,
    assignResult: assignAction.result,
    /** The last bulk action's outcomes, per denial. */
    report,
    clearReport: useCallback(() => setReport(null), [])
  }
}

export type DenialWorkqueueState = ReturnType<typeof useDenialWorkqueue>

/** The meaning of a denial: its codes' published descriptions and the recommended action with why. */
export interface DenialMeaning {
  readonly carc: { readonly code: string; readonly description: string | undefined }
  readonly rarcs: ReadonlyArray<{ readonly code: string; readonly description: string | undefined }>
  readonly category: Denial.Category
  readonly action: Denial.Action
  readonly explanation: string
  readonly note: string | undefined
}

/** What a denial means, from `DenialCatalog` (the CARC and RARC tables and the category table). */
export const denialMeaning = (denial: Denial.Denial): DenialMeaning => {
  const describe = (found: Option.Option<DenialCatalog.Code>) =>
    Option.getOrUndefined(Option.map(found, (code) => code.description))
  const classification = DenialCatalog.classify(denial.group, denial.carc, denial.rarcs, {
    date: denial.receivedOn ?? DateOfService.atInstant(denial.createdAt, "UTC")
  })
  return {
    carc: { code: denial.carc, description: describe(DenialCatalog.carc(denial.carc)) },
    rarcs: denial.rarcs.map((code) => ({ code, description: describe(DenialCatalog.rarc(code)) })),
    category: denial.category ?? classification.category,
    action: denial.action ?? classification.action,
    explanation: classification.explanation,
    note: classification.note
  }
}

/** The remittance behind a denial: each 835 that posted to its claim, with the amounts it posted there. */
export interface DenialRemittance {
  readonly remittance:
    | {
        readonly id: string
        readonly traceNumber: string
        readonly paymentMethod: string
        readonly paymentDate: string | undefined
        readonly paymentAmount: Money.Money
      }
    | undefined
  readonly remittanceId: string
  readonly postings: ReadonlyArray<{
    readonly id: string
    readonly kind: string
    readonly line: number | undefined
    readonly group: string | undefined
    readonly reason: string | undefined
    readonly amount: Money.Money
  }>
}

/** Loads the remittances that posted to a denial's claim (`Store.remittances.postings` by claim), oldest first. */
export const loadDenialRemittances = (claimId: Ids.ClaimId) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const postings = yield* store.remittances.postings({ claimId })
    const ids = [...new Set(postings.map((posting) => posting.remittanceId as string))]
    return yield* Effect.forEach(ids, (remittanceId) =>
      Effect.map(store.remittances.get(remittanceId as Ids.RemittanceId), (found): DenialRemittance => {
        const remittance = Option.getOrUndefined(found)
        return {
          remittanceId,
          remittance:
            remittance === undefined
              ? undefined
              : {
                  id: remittance.id,
                  traceNumber: remittance.traceNumber,
                  paymentMethod: remittance.paymentMethod,
                  paymentDate: remittance.paymentDate,
                  paymentAmount: remittance.paymentAmount
                },
          postings: postings
            .filter((posting) => posting.remittanceId === remittanceId)
            .map((posting) => ({
              id: posting.id,
              kind: posting.kind,
              line: posting.line,
              group: posting.group,
              reason: posting.reason,
              amount: posting.amount
            }))
        }
      })
    )
  })

/** A denial's remittances as a `Result` (see `loadDenialRemittances`). */
export function useDenialRemittances(claimId: Ids.ClaimId | undefined) {
  return useBillingQuery(
    () =>
      claimId === undefined ? Effect.succeed([] as ReadonlyArray<DenialRemittance>) : loadDenialRemittances(claimId),
    [claimId]
  )
}
