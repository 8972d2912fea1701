import type { PatientResponsibility } from "@openrcm/core"
import { Money } from "@openrcm/core"
import { type ComponentPropsWithoutRef, createContext, type ReactNode, useContext, useId } from "react"
import { Amount } from "./Amount.js"
import { ErrorMessage } from "./ErrorMessage.js"
import {
  type PatientEstimateState,
  type PatientEstimateValue,
  type UsePatientEstimateOptions,
  usePatientEstimate
} from "./usePatientEstimate.js"
import { useText } from "./useText.js"

const Context = createContext<PatientEstimateState | null>(null)

/** The state of the nearest `PatientEstimate.Root`, for a part of your own. */
export function usePatientEstimateContext(part = "PatientEstimate part"): PatientEstimateState {
  const state = useContext(Context)
  if (state === null) throw new Error(`${part} must be rendered inside <PatientEstimate.Root>`)
  return state
}

const estimatedOf = (state: PatientEstimateState): Extract<PatientEstimateValue, { _tag: "Estimated" }> | undefined =>
  state.result._tag === "Success" && state.result.value?._tag === "Estimated" ? state.result.value : undefined

/** What the root's `data-state` says. */
export type EstimateState = "loading" | "error" | "empty" | "not-covered" | "estimated"

const stateOf = (state: PatientEstimateState): EstimateState => {
  const { result } = state
  if (result._tag === "Initial") return "loading"
  if (result._tag === "Failure") return "error"
  if (result.value === undefined) return "empty"
  return result.value._tag === "NotCovered" ? "not-covered" : "estimated"
}

export interface RootProps
  extends Partial<UsePatientEstimateOptions>,
    Omit<ComponentPropsWithoutRef<"section">, "children"> {
  /** State from your own `usePatientEstimate` call, instead of the one Root makes from its options. */
  readonly estimate?: PatientEstimateState | undefined
  readonly children?: ReactNode
}

function RootWithHook({ visits, benefits, eligibility, design, ...props }: RootProps) {
  const state = usePatientEstimate({ visits, benefits, eligibility, design })
  return <RootView {...props} estimate={state} />
}

function RootView({ estimate, children, ...props }: RootProps & { readonly estimate: PatientEstimateState }) {
  const text = useText()
  return (
    <Context.Provider value={estimate}>
      <section
        aria-label={text("patientEstimate.label", "Patient estimate")}
        aria-busy={estimate.result.waiting}
        className="openrcm-patient-estimate"
        data-state={stateOf(estimate)}
        {...props}
      >
        {children ?? <DefaultParts />}
      </section>
    </Context.Provider>
  )
}

/**
 * The estimate's root: runs `usePatientEstimate` with its options (or takes your `estimate`) and gives it to the
 * parts. `data-state`: `loading`, `error`, `empty`, `not-covered`, `estimated`.
 */
export function Root(props: RootProps) {
  if (props.estimate !== undefined) {
    const { visits: _v, benefits: _b, eligibility: _e, design: _d, estimate, ...rest } = props
    return <RootView {...rest} estimate={estimate} />
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
      <NotCovered />
      <Total />
      <Breakdown />
      <Explanation />
    </>
  )
}

export function Loading(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Loading")
  const text = useText()
  if (state.result._tag !== "Initial") return null
  return (
    <p data-slot="loading" {...props}>
      {text("patientEstimate.loading", "Estimating…")}
    </p>
  )
}

/** The failure (reading the plan's benefits from the payer), inline, with "Try again" when it may help. */
export function ErrorPart(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Error")
  if (state.result._tag !== "Failure") return null
  return <ErrorMessage error={state.result.error} onRetry={state.refresh} {...props} />
}

export function Empty(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Empty")
  const text = useText()
  if (state.result._tag !== "Success" || state.result.value !== undefined) return null
  return (
    <p data-slot="empty" {...props}>
      {text("patientEstimate.empty", "No session planned to estimate.")}
    </p>
  )
}

/** The payer says the coverage is inactive, or did not answer: the patient may owe the full charge. */
export function NotCovered(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.NotCovered")
  const text = useText()
  if (state.result._tag !== "Success" || state.result.value?._tag !== "NotCovered") return null
  return (
    <p data-slot="not-covered" {...props}>
      {state.result.value.eligibility.summary.status === "inactive"
        ? text(
            "patientEstimate.inactive",
            "The coverage is inactive on this date: the plan pays nothing, and the patient may owe the full charge."
          )
        : text(
            "patientEstimate.rejected",
            "The payer did not confirm the coverage: check the patient's details before estimating."
          )}
    </p>
  )
}

/** What the patient owes in all, and what the plan pays. */
export function Total(props: Omit<ComponentPropsWithoutRef<"p">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Total")
  const text = useText()
  const value = estimatedOf(state)
  if (value === undefined) return null
  return (
    <p data-slot="total" {...props}>
      <span data-slot="total-label">{text("patientEstimate.patientOwes", "Patient owes")}</span>{" "}
      <strong data-slot="total-patient">
        <Amount value={value.estimate.patient} />
      </strong>{" "}
      <span data-slot="total-plan">
        {text("patientEstimate.planPays", "Plan pays")} <Amount value={value.estimate.plan} />{" "}
        {text("patientEstimate.ofAllowed", "of")} <Amount value={value.estimate.allowed} />
      </span>
    </p>
  )
}

/** Line by line: allowed, deductible, coinsurance, copay, what the patient owes and what the plan pays. */
export function Breakdown(props: Omit<ComponentPropsWithoutRef<"table">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Breakdown")
  const text = useText()
  const value = estimatedOf(state)
  if (value === undefined) return null
  const lines = value.estimate.visits.flatMap((visit) =>
    visit.lines.map((line, i) => ({ key: `${visit.dateOfService}-${line.code}-${i}`, date: visit.dateOfService, line }))
  )
  const manyDays = value.estimate.visits.length > 1
  return (
    <table data-slot="breakdown" {...props}>
      <caption>{text("patientEstimate.breakdown", "Breakdown")}</caption>
      <thead>
        <tr>
          {manyDays ? <th scope="col">{text("patientEstimate.date", "Date")}</th> : null}
          <th scope="col">{text("patientEstimate.code", "Code")}</th>
          <th scope="col">{text("patientEstimate.allowed", "Allowed")}</th>
          <th scope="col">{text("patientEstimate.deductible", "Deductible")}</th>
          <th scope="col">{text("patientEstimate.coinsurance", "Coinsurance")}</th>
          <th scope="col">{text("patientEstimate.copay", "Copay")}</th>
          <th scope="col">{text("patientEstimate.patient", "Patient")}</th>
          <th scope="col">{text("patientEstimate.plan", "Plan")}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map(({ key, date, line }) => (
          <tr key={key} data-code={line.code}>
            {manyDays ? <td>{date}</td> : null}
            <th scope="row">{line.code}</th>
            <td>
              <Amount value={line.allowed} />
            </td>
            <td data-part="deductible">
              <Amount value={line.deductible} />
            </td>
            <td data-part="coinsurance">
              <Amount value={line.coinsurance} />
            </td>
            <td data-part="copay">
              <Amount value={line.copay} />
            </td>
            <td data-part="patient">
              <Amount value={line.patient} />
            </td>
            <td data-part="plan">
              <Amount value={line.plan} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

type Text = ReturnType<typeof useText>

const percent = (bps: number) => `${(bps / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`
const money = (value: Money.Money) => Money.format(value)

/** Why the patient owes what they owe, line by line, in words. */
export const explain = (
  text: Text,
  benefits: PatientResponsibility.PlanBenefits,
  estimate: PatientResponsibility.Estimate
): ReadonlyArray<{ readonly key: string; readonly kind: string; readonly text: string }> => {
  const out: Array<{ key: string; kind: string; text: string }> = []
  const lines = estimate.visits.flatMap((v) => v.lines)
  lines.forEach((line, i) => {
    const k = (kind: string) => `${i}-${kind}`
    if (line.deductible > 0)
      out.push({
        key: k("deductible"),
        kind: "deductible",
        text: text(
          "patientEstimate.explainDeductible",
          "{code}: {amount} goes to the deductible ({left} of it left after).",
          { code: line.code, amount: money(line.deductible), left: money(line.deductibleRemaining) }
        )
      })
    if (line.coinsurance > 0)
      out.push({
        key: k("coinsurance"),
        kind: "coinsurance",
        text: text("patientEstimate.explainCoinsurance", "{code}: {percent} coinsurance, {amount}.", {
          code: line.code,
          percent: percent(benefits.coinsuranceBps),
          amount: money(line.coinsurance)
        })
      })
    if (line.copay > 0)
      out.push({
        key: k("copay"),
        kind: "copay",
        text: text("patientEstimate.explainCopay", "{code}: a {amount} copay.", {
          code: line.code,
          amount: money(line.copay)
        })
      })
    if (line.qmbProtected > 0)
      out.push({
        key: k("qmb"),
        kind: "qmb",
        text: text(
          "patientEstimate.explainQmb",
          "{code}: a Qualified Medicare Beneficiary owes no cost sharing; {amount} may not be billed to the patient.",
          { code: line.code, amount: money(line.qmbProtected) }
        )
      })
    if (line.outOfPocketRemaining !== undefined && line.outOfPocketRemaining <= 0 && line.patient > 0)
      out.push({
        key: k("oop"),
        kind: "out-of-pocket",
        text: text(
          "patientEstimate.explainOutOfPocket",
          "{code}: the out-of-pocket maximum is reached; the plan pays the rest of the year's covered care.",
          { code: line.code }
        )
      })
    if (line.sequestration > 0)
      out.push({
        key: k("sequestration"),
        kind: "sequestration",
        text: text(
          "patientEstimate.explainSequestration",
          "{code}: Medicare withholds {amount} (2%, CO-253) from its payment; the patient's share is unchanged.",
          { code: line.code, amount: money(line.sequestration) }
        )
      })
    if (line.patient === 0 && line.qmbProtected === 0)
      out.push({
        key: k("nothing"),
        kind: "nothing",
        text: text("patientEstimate.explainNothing", "{code}: the plan pays all {amount} allowed.", {
          code: line.code,
          amount: money(line.allowed)
        })
      })
  })
  return out
}

/** The explanation lines: where each dollar of the patient's share comes from. */
export function Explanation(props: Omit<ComponentPropsWithoutRef<"ul">, "children">) {
  const state = usePatientEstimateContext("PatientEstimate.Explanation")
  const text = useText()
  const headingId = useId()
  const value = estimatedOf(state)
  if (value === undefined) return null
  const lines = explain(text, value.benefits, value.estimate)
  return (
    <>
      <h3 id={headingId} data-slot="explanation-heading">
        {text("patientEstimate.why", "Why")}
      </h3>
      <ul data-slot="explanation" aria-labelledby={headingId} {...props}>
        {lines.map((line) => (
          <li key={line.key} data-kind={line.kind}>
            {line.text}
          </li>
        ))}
      </ul>
    </>
  )
}

export { ErrorPart as Error }
