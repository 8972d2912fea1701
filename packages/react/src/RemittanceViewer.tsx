import { DenialCatalog, Money, type RemittancePosting } from "@openrcm/core"
import { Option } from "effect"
import {
  type ComponentPropsWithoutRef,
  createContext,
  memo,
  type ReactNode,
  useCallback,
  useContext,
  useId,
  useRef,
  useState
} from "react"
import { Amount } from "./Amount.js"
import { ErrorMessage } from "./ErrorMessage.js"
import type * as Result from "./Result.js"
import {
  type AdjustmentView,
  type ClaimView,
  groups,
  type LineView,
  type RemittanceView,
  type UseRemittanceViewOptions,
  useRemittanceView
} from "./useRemittanceViewer.js"
import { useText } from "./useText.js"

type Text = ReturnType<typeof useText>

interface ViewerContext {
  readonly result: Result.Result<RemittanceView | null, unknown>
  readonly refresh: () => void
  readonly view: RemittanceView | undefined
  readonly isExpanded: (key: string) => boolean
  readonly toggle: (key: string) => void
}

const Context = createContext<ViewerContext | null>(null)

const useViewerContext = (part: string): ViewerContext => {
  const context = useContext(Context)
  if (context === null) throw new Error(`RemittanceViewer.${part} must be rendered inside <RemittanceViewer.Root>.`)
  return context
}

/** The remittance shown, for parts a host writes itself. */
export const useRemittanceViewerContext = (): RemittanceView | undefined => useViewerContext("context").view

const stateOf = (result: ViewerContext["result"]): string => {
  if (result._tag === "Failure") return "error"
  if (result._tag === "Initial") return "loading"
  if (result.value === null) return "empty"
  return result.value.claims.length === 0 ? "no-claims" : "ready"
}

export interface RootProps extends UseRemittanceViewOptions, ComponentPropsWithoutRef<"section"> {
  /** The claims open to their detail, by `ClaimView.key` (controlled). */
  readonly expanded?: ReadonlyArray<string> | undefined
  /** The claims open at first (uncontrolled). */
  readonly defaultExpanded?: ReadonlyArray<string> | undefined
  readonly onExpandedChange?: ((expanded: ReadonlyArray<string>) => void) | undefined
  /** The parts; the default composition when absent. */
  readonly children?: ReactNode
}

/**
 * An 835 as posted: from `advice` (and the `report` of `Billing.postRemittance`), or a posted remittance loaded
 * by `remittanceId`. `data-state`: `loading`, `empty`, `error`, `no-claims`, `ready`; `data-balanced` is `false`
 * when a line, claim or the transaction does not balance; `data-source`: `advice` or `posted`.
 */
export function Root({
  advice,
  report,
  remittanceId,
  expanded,
  defaultExpanded,
  onExpandedChange,
  children,
  className,
  ...props
}: RootProps) {
  const { result, refresh } = useRemittanceView({ advice, report, remittanceId })
  const text = useText()
  const [own, setOwn] = useState<ReadonlyArray<string>>(defaultExpanded ?? [])
  const open = expanded ?? own
  const isExpanded = (key: string) => open.includes(key)
  // Stable, reading the latest state: rows are memoized and must not redraw because a toggle was recreated.
  const latest = useRef({ open, controlled: expanded !== undefined, onExpandedChange })
  latest.current = { open, controlled: expanded !== undefined, onExpandedChange }
  const toggle = useCallback((key: string) => {
    const { open: current, controlled, onExpandedChange: notify } = latest.current
    const next = current.includes(key) ? current.filter((k) => k !== key) : [...current, key]
    if (!controlled) setOwn(next)
    notify?.(next)
  }, [])
  const view = result._tag === "Success" && result.value !== null ? result.value : undefined
  const balanced =
    view === undefined ? undefined : view.balancing.length === 0 && view.claims.every((c) => c.balancing.length === 0)
  return (
    <Context.Provider value={{ result, refresh, view, isExpanded, toggle }}>
      <section
        aria-label={text("remittanceViewer.label", "Remittance")}
        className={className === undefined ? "openrcm-remittance-viewer" : `openrcm-remittance-viewer ${className}`}
        data-state={stateOf(result)}
        data-source={view?.source}
        data-balanced={balanced}
        {...props}
      >
        {children ?? (
          <>
            <Status />
            <Payment />
            <Balancing />
            <Claims />
            <ProviderAdjustments />
          </>
        )}
      </section>
    </Context.Provider>
  )
}

/** Loading, empty and error states; nothing once there is a remittance. */
export function Status(props: ComponentPropsWithoutRef<"div">) {
  const { result, refresh } = useViewerContext("Status")
  const text = useText()
  if (result._tag === "Failure") return <ErrorMessage error={result.error} onRetry={refresh} data-slot="status" />
  if (result._tag === "Initial")
    return (
      <div role="status" data-slot="status" data-state="loading" {...props}>
        {text("remittanceViewer.loading", "Loading the remittance…")}
      </div>
    )
  if (result.value === null)
    return (
      <div role="status" data-slot="status" data-state="empty" {...props}>
        {text("remittanceViewer.empty", "There is no remittance to show.")}
      </div>
    )
  return null
}

const methodKeys: Readonly<Record<string, [string, string]>> = {
  ACH: ["remittanceViewer.method.ACH", "EFT (ACH)"],
  CHK: ["remittanceViewer.method.CHK", "Check"],
  BOP: ["remittanceViewer.method.BOP", "Financial institution option"],
  FWT: ["remittanceViewer.method.FWT", "Wire transfer"],
  NON: ["remittanceViewer.method.NON", "No payment"]
}

/** The payment (BPR) and its trace (TRN): payer, payee, method, amount, date, check or EFT number. */
export function Payment(props: ComponentPropsWithoutRef<"dl">) {
  const { view } = useViewerContext("Payment")
  const text = useText()
  if (view === undefined) return null
  const [methodKey, methodFallback] = methodKeys[view.payment.method] ?? [
    `remittanceViewer.method.${view.payment.method}`,
    view.payment.method
  ]
  const isCheck = view.payment.method === "CHK"
  return (
    <dl data-slot="payment" data-method={view.payment.method} {...props}>
      <div>
        <dt>{text("remittanceViewer.payer", "Payer")}</dt>
        <dd data-slot="payer">{view.payer.name}</dd>
      </div>
      {view.payee?.name === undefined ? null : (
        <div>
          <dt>{text("remittanceViewer.payee", "Payee")}</dt>
          <dd data-slot="payee">
            {view.payee.name}
            {view.payee.npi === undefined ? "" : ` (NPI ${view.payee.npi})`}
          </dd>
        </div>
      )}
      <div>
        <dt>{text("remittanceViewer.method", "Method")}</dt>
        <dd>{text(methodKey, methodFallback)}</dd>
      </div>
      <div>
        <dt>{text("remittanceViewer.amount", "Amount")}</dt>
        <dd>
          <Amount value={view.payment.amount} data-slot="payment-amount" />
        </dd>
      </div>
      {view.payment.date === undefined ? null : (
        <div>
          <dt>{text("remittanceViewer.date", "Payment date")}</dt>
          <dd>{view.payment.date}</dd>
        </div>
      )}
      <div>
        <dt>
          {isCheck
            ? text("remittanceViewer.checkNumber", "Check number")
            : text("remittanceViewer.traceNumber", "EFT trace number")}
        </dt>
        <dd data-slot="trace-number">{view.payment.traceNumber}</dd>
      </div>
      {view.duplicate === true ? (
        <div>
          <dt>{text("remittanceViewer.posting", "Posting")}</dt>
          <dd data-slot="duplicate">
            {text("remittanceViewer.duplicate", "Posted before: this copy changed nothing.")}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

const problemText = (problem: RemittancePosting.BalancingProblem, text: Text, amount: string): string => {
  switch (problem._tag) {
    case "TransactionUnbalanced":
      return text(
        "remittanceViewer.balancing.transaction",
        "The claims' payments less the provider adjustments differ from the payment by {amount}.",
        { amount }
      )
    case "ClaimUnbalanced":
      return text(
        "remittanceViewer.balancing.claim",
        "Claim {claim}: billed less adjustments differs from paid by {amount}; it was not posted.",
        { claim: problem.claim, amount }
      )
    case "LineUnbalanced":
      return text(
        "remittanceViewer.balancing.line",
        "Claim {claim}, service line {line}: billed less adjustments differs from paid by {amount}.",
        { claim: problem.claim, line: problem.service + 1, amount }
      )
    case "PatientResponsibilityMismatch":
      return text(
        "remittanceViewer.balancing.patientResponsibility",
        "Claim {claim}: the patient responsibility sent differs from the PR adjustments by {amount}.",
        { claim: problem.claim, amount }
      )
  }
}

/** Every balancing problem: the transaction's and each claim's (line, claim, patient responsibility). */
export function Balancing(props: ComponentPropsWithoutRef<"section">) {
  const { view } = useViewerContext("Balancing")
  const text = useText()
  const headingId = `${useId()}-balancing`
  if (view === undefined) return null
  const problems = [...view.balancing, ...view.claims.flatMap((claim) => claim.balancing)]
  if (problems.length === 0) return null
  return (
    <section data-slot="balancing" aria-labelledby={headingId} {...props}>
      <h3 id={headingId}>{text("remittanceViewer.balancing", "Balancing problems")}</h3>
      <ul>
        {problems.map((problem, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems are listed once, in posting's order.
          <li key={i} data-slot="balancing-problem" data-problem={problem._tag}>
            {problemText(problem, text, Money.format(problem.difference))}
          </li>
        ))}
      </ul>
    </section>
  )
}

const groupKeys: Readonly<Record<string, [string, string]>> = {
  CO: ["remittanceViewer.group.CO", "Contractual obligation"],
  PR: ["remittanceViewer.group.PR", "Patient responsibility"],
  OA: ["remittanceViewer.group.OA", "Other adjustment"],
  PI: ["remittanceViewer.group.PI", "Payer initiated reduction"]
}

const clpStatusKeys: Readonly<Record<string, [string, string]>> = {
  "1": ["remittanceViewer.clp.1", "Processed as primary"],
  "2": ["remittanceViewer.clp.2", "Processed as secondary"],
  "3": ["remittanceViewer.clp.3", "Processed as tertiary"],
  "4": ["remittanceViewer.clp.4", "Denied"],
  "19": ["remittanceViewer.clp.19", "Processed as primary, forwarded"],
  "20": ["remittanceViewer.clp.20", "Processed as secondary, forwarded"],
  "21": ["remittanceViewer.clp.21", "Processed as tertiary, forwarded"],
  "22": ["remittanceViewer.clp.22", "Reversal of a previous payment"],
  "23": ["remittanceViewer.clp.23", "Not our claim, forwarded"],
  "25": ["remittanceViewer.clp.25", "Predetermination, not paid"]
}

const statusText = (claim: ClaimView, text: Text): string => {
  if (claim.clpStatus !== undefined) {
    const [key, fallback] = clpStatusKeys[claim.clpStatus] ?? [
      `remittanceViewer.clp.${claim.clpStatus}`,
      claim.clpStatus
    ]
    return text(key, fallback)
  }
  return claim.claimStatus === undefined
    ? ""
    : text(`remittanceViewer.claimStatus.${claim.claimStatus}`, claim.claimStatus)
}

const description = (lookup: (code: string) => Option.Option<DenialCatalog.Code>, code: string) =>
  Option.match(lookup(code), { onNone: () => undefined, onSome: (found) => found.description })

/** An adjustment: group and reason, what they mean (CARC from the catalog), and the amount. */
function Adjustment({ adjustment }: { readonly adjustment: AdjustmentView }) {
  const text = useText()
  const [groupKey, groupFallback] = groupKeys[adjustment.group] ?? [
    `remittanceViewer.group.${adjustment.group}`,
    adjustment.group
  ]
  const meaning = description(DenialCatalog.carc, adjustment.reason)
  return (
    <li data-slot="adjustment" data-group={adjustment.group}>
      <span data-slot="adjustment-code">
        {adjustment.group}-{adjustment.reason}
      </span>{" "}
      <Amount value={adjustment.amount} /> <span data-slot="adjustment-group">{text(groupKey, groupFallback)}</span>
      {meaning === undefined ? null : (
        <>
          {": "}
          <span data-slot="adjustment-reason">{meaning}</span>
        </>
      )}
    </li>
  )
}

/** Remark codes (RARC) with what they mean. */
function Remarks({ remarks }: { readonly remarks: ReadonlyArray<string> }) {
  const text = useText()
  if (remarks.length === 0) return null
  return (
    <div data-slot="remarks">
      <span>{text("remittanceViewer.remarks", "Remarks")}</span>
      <ul>
        {remarks.map((code, i) => {
          const meaning = description(DenialCatalog.rarc, code)
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: remarks are a list as sent, repeats included.
            <li key={i} data-slot="remark">
              <span data-slot="remark-code">{code}</span>
              {meaning === undefined ? null : (
                <>
                  {": "}
                  <span data-slot="remark-text">{meaning}</span>
                </>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function Adjustments({ adjustments }: { readonly adjustments: ReadonlyArray<AdjustmentView> }) {
  if (adjustments.length === 0) return null
  return (
    <ul data-slot="adjustments">
      {adjustments.map((adjustment, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: adjustments are a list as sent, repeats included.
        <Adjustment key={i} adjustment={adjustment} />
      ))}
    </ul>
  )
}

/** One claim's detail: claim-level adjustments and remarks, then each service line. */
export function ClaimDetail({ claim, id }: { readonly claim: ClaimView; readonly id?: string }) {
  const text = useText()
  return (
    <div id={id} data-slot="claim-detail">
      {claim.payerClaimNumber === undefined ? null : (
        <p data-slot="payer-claim-number">
          {text("remittanceViewer.payerClaimNumber", "Payer claim number")}: {claim.payerClaimNumber}
        </p>
      )}
      {claim.adjustments.length > 0 ? (
        <div data-slot="claim-adjustments">
          <span>{text("remittanceViewer.claimAdjustments", "Claim adjustments")}</span>
          <Adjustments adjustments={claim.adjustments} />
        </div>
      ) : null}
      <Remarks remarks={claim.remarks} />
      {claim.lines.length === 0 ? null : (
        <table data-slot="lines">
          <caption>
            {text("remittanceViewer.linesOf", "Service lines of claim {claim}", { claim: claim.patientControlNumber })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{text("remittanceViewer.line.procedure", "Procedure")}</th>
              <th scope="col">{text("remittanceViewer.line.date", "Date")}</th>
              <th scope="col">{text("remittanceViewer.line.units", "Units")}</th>
              <th scope="col">{text("remittanceViewer.billed", "Billed")}</th>
              <th scope="col">{text("remittanceViewer.paid", "Paid")}</th>
              <th scope="col">{text("remittanceViewer.adjustments", "Adjustments")}</th>
            </tr>
          </thead>
          <tbody>
            {claim.lines.map((line: LineView) => (
              <tr key={line.index} data-slot="line">
                <th scope="row">
                  {[line.code, ...line.modifiers].join(":")}
                  {line.submitted === undefined ? null : (
                    <span data-slot="line-submitted">
                      {" "}
                      {text("remittanceViewer.line.submitted", "(billed as {code})", { code: line.submitted })}
                    </span>
                  )}
                </th>
                <td>{line.dateOfService ?? ""}</td>
                <td>{line.units ?? ""}</td>
                <td>
                  <Amount value={line.billed} />
                </td>
                <td>
                  <Amount value={line.paid} />
                </td>
                <td>
                  <Adjustments adjustments={line.adjustments} />
                  <Remarks remarks={line.remarks} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

// Redrawn only when its claim, or whether it is open, changes: showing 100 more claims draws 100 rows.
const ClaimRow = memo(function ClaimRow({
  claim,
  columns,
  open,
  toggle
}: {
  readonly claim: ClaimView
  readonly columns: number
  readonly open: boolean
  readonly toggle: (key: string) => void
}) {
  const text = useText()
  const detailId = `${useId()}-detail`
  const unbalanced = claim.balancing.length > 0
  return (
    <>
      <tr
        data-slot="claim"
        data-state={open ? "open" : "closed"}
        data-clp-status={claim.clpStatus}
        data-claim-status={claim.claimStatus}
        data-balanced={!unbalanced}
        data-match={claim.match}
      >
        <th scope="row">
          <button
            type="button"
            data-slot="claim-toggle"
            aria-expanded={open}
            aria-controls={open ? detailId : undefined}
            onClick={() => toggle(claim.key)}
          >
            <span data-slot="claim-number">{claim.patientControlNumber}</span>
            <span data-slot="visually-hidden">
              {" "}
              {open
                ? text("remittanceViewer.hideDetail", "hide detail")
                : text("remittanceViewer.showDetail", "show detail")}
            </span>
          </button>
        </th>
        <td data-slot="claim-status">
          {statusText(claim, text)}
          {claim.match === "unmatched"
            ? ` · ${text("remittanceViewer.unmatched", "not matched to a claim")}`
            : unbalanced
              ? ` · ${text("remittanceViewer.unbalanced", "does not balance")}`
              : ""}
        </td>
        <td>
          <Amount value={claim.billed} />
        </td>
        <td>
          <Amount value={claim.paid} />
        </td>
        {groups.map((group) => (
          <td key={group} data-group={group}>
            {claim.byGroup[group] === undefined ? "" : <Amount value={claim.byGroup[group]} />}
          </td>
        ))}
      </tr>
      {open ? (
        <tr data-slot="claim-detail-row">
          <td colSpan={columns}>
            <ClaimDetail claim={claim} id={detailId} />
          </td>
        </tr>
      ) : null}
    </>
  )
})

export interface ClaimsProps extends ComponentPropsWithoutRef<"table"> {
  /** How many claims show at first, and how many more each "show more" adds (an 835 may carry thousands). */
  readonly pageSize?: number | undefined
}

/**
 * The claims paid: billed, paid and adjustments by group, with totals over every claim; each opens to its
 * adjustments, remarks and lines. The first `pageSize` claims show (100 by default); a button shows more.
 */
export function Claims({ pageSize = 100, ...props }: ClaimsProps) {
  const { view, isExpanded, toggle } = useViewerContext("Claims")
  const text = useText()
  const [shown, setShown] = useState(pageSize)
  if (view === undefined) return null
  if (view.claims.length === 0)
    return (
      <p role="status" data-slot="no-claims">
        {text("remittanceViewer.noClaims", "This remittance pays no claims.")}
      </p>
    )
  const columns = 4 + groups.length
  const visible = view.claims.length > shown ? view.claims.slice(0, shown) : view.claims
  const left = view.claims.length - visible.length
  return (
    <table data-slot="claims" {...props}>
      <caption>{text("remittanceViewer.claims", "Claims ({count})", { count: view.claims.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{text("remittanceViewer.claim", "Claim")}</th>
          <th scope="col">{text("remittanceViewer.status", "Status")}</th>
          <th scope="col">{text("remittanceViewer.billed", "Billed")}</th>
          <th scope="col">{text("remittanceViewer.paid", "Paid")}</th>
          {groups.map((group) => {
            const [key, fallback] = groupKeys[group] as [string, string]
            return (
              <th key={group} scope="col">
                <abbr title={text(key, fallback)}>{group}</abbr>
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody>
        {visible.map((claim) => (
          <ClaimRow key={claim.key} claim={claim} columns={columns} open={isExpanded(claim.key)} toggle={toggle} />
        ))}
        {left > 0 ? (
          <tr data-slot="more-claims">
            <td colSpan={columns}>
              <button type="button" onClick={() => setShown((n) => n + pageSize)}>
                {text("remittanceViewer.showMore", "Show {count} more claims ({left} not shown)", {
                  count: Math.min(pageSize, left),
                  left
                })}
              </button>
            </td>
          </tr>
        ) : null}
      </tbody>
      <tfoot>
        <tr data-slot="totals">
          <th scope="row" colSpan={2}>
            {text("remittanceViewer.total", "Total")}
          </th>
          <td>
            <Amount value={view.totals.billed} />
          </td>
          <td>
            <Amount value={view.totals.paid} />
          </td>
          {groups.map((group) => (
            <td key={group} data-group={group}>
              {view.totals.byGroup[group] === undefined ? "" : <Amount value={view.totals.byGroup[group]} />}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  )
}

const plbKeys: Readonly<Record<string, [string, string]>> = {
  WO: ["remittanceViewer.plb.WO", "Overpayment recovery"],
  L6: ["remittanceViewer.plb.L6", "Interest owed"],
  FB: ["remittanceViewer.plb.FB", "Forwarding balance"],
  "72": ["remittanceViewer.plb.72", "Authorized return"],
  CV: ["remittanceViewer.plb.CV", "Capital passthru"],
  J1: ["remittanceViewer.plb.J1", "Nonreimbursable"],
  LE: ["remittanceViewer.plb.LE", "Levy"],
  WU: ["remittanceViewer.plb.WU", "Unspecified recovery"]
}

/** PLB: provider-level adjustments (positive reduces the payment, negative adds to it). */
export function ProviderAdjustments(props: ComponentPropsWithoutRef<"table">) {
  const { view } = useViewerContext("ProviderAdjustments")
  const text = useText()
  if (view === undefined || view.providerAdjustments.length === 0) return null
  return (
    <table data-slot="provider-adjustments" {...props}>
      <caption>{text("remittanceViewer.providerAdjustments", "Provider-level adjustments")}</caption>
      <thead>
        <tr>
          <th scope="col">{text("remittanceViewer.plb.reason", "Reason")}</th>
          <th scope="col">{text("remittanceViewer.plb.reference", "Reference")}</th>
          <th scope="col">{text("remittanceViewer.amount", "Amount")}</th>
        </tr>
      </thead>
      <tbody>
        {view.providerAdjustments.map((plb, i) => {
          const [key, fallback] = plbKeys[plb.reason] ?? [`remittanceViewer.plb.${plb.reason}`, ""]
          const meaning = text(key, fallback)
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: PLB adjustments are a list as sent.
            <tr key={i} data-slot="provider-adjustment">
              <th scope="row">
                {plb.reason}
                {meaning === "" ? "" : ` ${meaning}`}
              </th>
              <td>{plb.reference ?? ""}</td>
              <td>
                <Amount value={plb.amount} />
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** The default composition, for hosts that want the whole viewer. */
export function RemittanceViewerDefault(props: Omit<RootProps, "children">) {
  return <Root {...props} />
}
