import type { Billing, Eligibility, Money } from "@openrcm/core"
import { type ComponentPropsWithoutRef, createContext, type ReactNode, useContext, useId } from "react"
import { Amount } from "./Amount.js"
import { ErrorMessage } from "./ErrorMessage.js"
import { type EligibilityState, type UseEligibilityOptions, useEligibility } from "./useEligibility.js"
import { useText } from "./useText.js"

interface CardContext {
  readonly state: EligibilityState
  /** The time zone "checked at" is shown in; the browser's when absent. */
  readonly timeZone: string | undefined
}

const Context = createContext<CardContext | null>(null)

/** The state of the nearest `EligibilityCard.Root`, for a part of your own. */
export function useEligibilityCardContext(part = "EligibilityCard part"): CardContext {
  const context = useContext(Context)
  if (context === null) throw new Error(`${part} must be rendered inside <EligibilityCard.Root>`)
  return context
}

const checkOf = (state: EligibilityState): Billing.EligibilityCheck | undefined =>
  state.result._tag === "Success" ? state.result.value : undefined

/** What the root's `data-state` says. */
export type CardState = "loading" | "error" | "empty" | "active" | "inactive" | "rejected"

const stateOf = (state: EligibilityState): CardState => {
  const { result } = state
  if (result._tag === "Initial") return "loading"
  if (result._tag === "Failure") return "error"
  return result.value === undefined ? "empty" : result.value.summary.status
}

export interface RootProps
  extends Partial<UseEligibilityOptions>,
    Omit<ComponentPropsWithoutRef<"section">, "children"> {
  /** State from your own `useEligibility` call, instead of the one Root makes from its options. */
  readonly eligibility?: EligibilityState | undefined
  /** The time zone "checked at" is shown in (the practice's); the browser's when absent. */
  readonly timeZone?: string | undefined
  readonly children?: ReactNode
}

function RootWithHook({ request, maxAgeMinutes, network, ...props }: RootProps) {
  const state = useEligibility({ request, maxAgeMinutes, network })
  return <RootView {...props} eligibility={state} />
}

function RootView({
  eligibility,
  timeZone,
  children,
  ...props
}: RootProps & { readonly eligibility: EligibilityState }) {
  const text = useText()
  return (
    <Context.Provider value={{ state: eligibility, timeZone }}>
      <section
        aria-label={text("eligibilityCard.label", "Eligibility")}
        aria-busy={eligibility.result.waiting}
        className="openrcm-eligibility-card"
        data-state={stateOf(eligibility)}
        {...props}
      >
        {children ?? <DefaultParts />}
      </section>
    </Context.Provider>
  )
}

/**
 * The card's root: runs `useEligibility` with its options (or takes your `eligibility`) and gives it to the parts.
 * `data-state`: `loading`, `error`, `empty`, `active`, `inactive`, `rejected`.
 */
export function Root(props: RootProps) {
  if (props.eligibility !== undefined) {
    const { request: _r, maxAgeMinutes: _m, network: _n, eligibility, ...rest } = props
    return <RootView {...rest} eligibility={eligibility} />
  }
  return <RootWithHook {...props} />
}

/** The default composition. */
export function DefaultParts() {
  return (
    <>
      <Loading />
      <ErrorPart />
      <Empty />
      <Status />
      <Plan />
      <CostShare />
      <Benefits />
      <Rejections />
      <CheckedAt />
      <Refresh />
    </>
  )
}

export function Loading(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Loading")
  const text = useText()
  if (state.result._tag !== "Initial") return null
  return (
    <p data-slot="loading" {...props}>
      {text("eligibilityCard.loading", "Asking the payer…")}
    </p>
  )
}

/** The clearinghouse's failure, inline, with "Try again" when retrying may help. */
export function ErrorPart(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Error")
  if (state.result._tag !== "Failure") return null
  return <ErrorMessage error={state.result.error} onRetry={state.retry} {...props} />
}

/** No coverage to ask about (a self-pay patient). */
export function Empty(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Empty")
  const text = useText()
  if (state.result._tag !== "Success" || state.result.value !== undefined) return null
  return (
    <p data-slot="empty" {...props}>
      {text("eligibilityCard.empty", "No insurance coverage to check.")}
    </p>
  )
}

/** Active, inactive or rejected, with the coverage dates. `data-status` on the badge. */
export function Status(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Status")
  const text = useText()
  const check = checkOf(state)
  if (check === undefined) return null
  const { status, coverage } = check.summary
  return (
    <p data-slot="status" {...props}>
      <strong data-slot="status-badge" data-status={status}>
        {status === "active"
          ? text("eligibilityCard.active", "Active")
          : status === "inactive"
            ? text("eligibilityCard.inactive", "Inactive")
            : text("eligibilityCard.rejected", "Not answered")}
      </strong>
      {coverage === undefined ? null : (
        <>
          {" "}
          <span data-slot="coverage">
            {text("eligibilityCard.coverage", "Coverage {start} – {end}", { start: coverage.start, end: coverage.end })}
          </span>
        </>
      )}
    </p>
  )
}

/** The plan's name and group, as the payer wrote them (rendered as text). */
export function Plan(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Plan")
  const text = useText()
  const plan = checkOf(state)?.response.plan
  if (plan === undefined) return null
  return (
    <p data-slot="plan" {...props}>
      <span data-slot="plan-name">{plan.name}</span>
      {plan.groupNumber === undefined ? null : (
        <>
          {" · "}
          <span data-slot="group-number">
            {text("eligibilityCard.group", "Group {group}", { group: plan.groupNumber })}
          </span>
        </>
      )}
    </p>
  )
}

const percent = (bps: number) => `${(bps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`

/** Copay, coinsurance, deductible and out-of-pocket remaining, for behavioral health. */
export function CostShare(props: Omit<ComponentPropsWithoutRef<"dl">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.CostShare")
  const text = useText()
  const check = checkOf(state)
  if (check === undefined || check.summary.status !== "active") return null
  const s = check.summary
  const none = text("eligibilityCard.notReported", "Not reported")
  const remainingOf = (part: {
    readonly total: Money.Money | undefined
    readonly remaining: Money.Money | undefined
  }) =>
    part.remaining === undefined ? (
      part.total === undefined ? (
        none
      ) : (
        <>
          <Amount value={part.total} /> {text("eligibilityCard.total", "total")}
        </>
      )
    ) : (
      <>
        <Amount value={part.remaining} />
        {part.total === undefined ? null : (
          <>
            {" "}
            {text("eligibilityCard.of", "of")} <Amount value={part.total} />
          </>
        )}{" "}
        {text("eligibilityCard.remaining", "remaining")}
      </>
    )
  return (
    <dl data-slot="cost-share" {...props}>
      <div data-slot="copay">
        <dt>{text("eligibilityCard.copay", "Copay")}</dt>
        <dd>{s.copay === undefined ? none : <Amount value={s.copay} />}</dd>
      </div>
      <div data-slot="coinsurance">
        <dt>{text("eligibilityCard.coinsurance", "Coinsurance")}</dt>
        <dd>{s.coinsuranceBps === undefined ? none : percent(s.coinsuranceBps)}</dd>
      </div>
      <div data-slot="deductible">
        <dt>{text("eligibilityCard.deductible", "Deductible")}</dt>
        <dd>{remainingOf(s.deductible)}</dd>
      </div>
      <div data-slot="out-of-pocket">
        <dt>{text("eligibilityCard.outOfPocket", "Out-of-pocket maximum")}</dt>
        <dd>{remainingOf(s.outOfPocket)}</dd>
      </div>
    </dl>
  )
}

/** Behavioral-health benefits: visit limits and what remains, authorization required, not covered. */
export function Benefits(props: Omit<ComponentPropsWithoutRef<"ul">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Benefits")
  const text = useText()
  const headingId = useId()
  const check = checkOf(state)
  if (check === undefined || check.summary.status !== "active") return null
  const s = check.summary
  const items: Array<{ readonly key: string; readonly text: string; readonly severity: "info" | "warning" }> = []
  if (s.notCovered)
    items.push({
      key: "not-covered",
      severity: "warning",
      text: text("eligibilityCard.notCovered", "Behavioral health is not covered in this network")
    })
  if (s.visits.limit !== undefined || s.visits.remaining !== undefined)
    items.push({
      key: "visits",
      severity: s.visits.remaining !== undefined && s.visits.remaining <= 3 ? "warning" : "info",
      text:
        s.visits.remaining === undefined
          ? text("eligibilityCard.visitLimit", "{limit} visits a year", { limit: s.visits.limit })
          : s.visits.limit === undefined
            ? text("eligibilityCard.visitsLeft", "{remaining} visits left", { remaining: s.visits.remaining })
            : text("eligibilityCard.visitsLeftOf", "{remaining} of {limit} visits left", {
                remaining: s.visits.remaining,
                limit: s.visits.limit
              })
    })
  if (s.authorizationRequired !== undefined)
    items.push({
      key: "authorization",
      severity: s.authorizationRequired ? "warning" : "info",
      text: s.authorizationRequired
        ? text("eligibilityCard.authorizationRequired", "Prior authorization required")
        : text("eligibilityCard.noAuthorization", "No prior authorization required")
    })
  if (items.length === 0) {
    return (
      <p data-slot="benefits" data-empty="true">
        {text("eligibilityCard.noBenefits", "The payer reported no behavioral-health limits.")}
      </p>
    )
  }
  return (
    <>
      <h3 id={headingId} data-slot="benefits-heading">
        {text("eligibilityCard.benefits", "Behavioral health")}
      </h3>
      <ul data-slot="benefits" aria-labelledby={headingId} {...props}>
        {items.map((item) => (
          <li key={item.key} data-kind={item.key} data-severity={item.severity}>
            {item.text}
          </li>
        ))}
      </ul>
    </>
  )
}

/** Why the payer did not answer (AAA): reason and follow-up, with their meanings. */
export function Rejections(props: Omit<ComponentPropsWithoutRef<"ul">, "children">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Rejections")
  const rejections: ReadonlyArray<typeof Eligibility.Rejection.Type> = checkOf(state)?.summary.rejections ?? []
  if (rejections.length === 0) return null
  return (
    <ul data-slot="rejections" {...props}>
      {rejections.map((r) => (
        <li key={`${r.code}-${r.followUp}`} data-code={r.code}>
          {r.description} ({r.code}). {r.followUpDescription}.
        </li>
      ))}
    </ul>
  )
}

/** When the payer answered, and whether this is the cached answer. */
export function CheckedAt(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const { state, timeZone } = useEligibilityCardContext("EligibilityCard.CheckedAt")
  const text = useText()
  const check = checkOf(state)
  if (check === undefined) return null
  const at = new Date(check.response.receivedAt)
  const formatted = new Intl.DateTimeFormat("en-US", {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone })
  }).format(at)
  return (
    <p data-slot="checked-at" data-from-cache={check.fromCache} {...props}>
      {text("eligibilityCard.checkedAt", "Checked")} <time dateTime={at.toISOString()}>{formatted}</time>
      {check.fromCache ? ` ${text("eligibilityCard.fromCache", "(saved answer)")}` : null}
    </p>
  )
}

/** Asks the payer again, past the saved answer. */
export function Refresh(props: Omit<ComponentPropsWithoutRef<"button">, "children" | "onClick" | "type">) {
  const { state } = useEligibilityCardContext("EligibilityCard.Refresh")
  const text = useText()
  if (state.result._tag !== "Success" || state.result.value === undefined) return null
  return (
    <button type="button" data-slot="refresh" disabled={state.result.waiting} onClick={state.refresh} {...props}>
      {text("eligibilityCard.refresh", "Refresh")}
    </button>
  )
}

export { ErrorPart as Error }
