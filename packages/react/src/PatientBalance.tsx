/**
 * What a patient owes: the balance, its age, and the statement by claim (deductible, coinsurance, copay, payments),
 * from `Billing.patientStatement`. `PatientBalance.Root` shows all of it; give it children to choose the parts.
 */
import type { Billing, PatientLedger } from "@openrcm/core"
import { Money } from "@openrcm/core"
import { type ComponentPropsWithoutRef, createContext, useContext } from "react"
import { Amount } from "./Amount.js"
import { ResultView } from "./internal/ResultView.js"
import { usePatientStatement } from "./useReports.js"
import { useText } from "./useText.js"

const StatementContext = createContext<Billing.PatientStatement | null>(null)

const useStatement = (part: string): Billing.PatientStatement => {
  const statement = useContext(StatementContext)
  if (statement === null) throw new Error(`PatientBalance.${part} must be inside <PatientBalance.Root>.`)
  return statement
}

export interface RootProps extends ComponentPropsWithoutRef<"section"> {
  readonly patientId: Parameters<typeof Billing.patientStatement>[0]
  /** The statement's day; today by default. */
  readonly asOf?: Billing.AsOf["asOf"]
  readonly timeZone?: string | undefined
}

/** Loads the patient's statement and shows its parts (by default: total, aging, lines). */
export function Root({ patientId, asOf, timeZone, children, className, ...props }: RootProps) {
  const text = useText()
  const { result, refresh } = usePatientStatement(patientId, { asOf, timeZone })
  return (
    <section
      className={className ? `openrcm-patient-balance ${className}` : "openrcm-patient-balance"}
      aria-label={text("patientBalance.title", "Patient balance")}
      {...props}
    >
      <ResultView
        result={result}
        refresh={refresh}
        isEmpty={(statement) => statement.lines.length === 0}
        empty={text("patientBalance.empty", "The patient owes nothing and has no charges yet.")}
      >
        {(statement) => (
          <StatementContext.Provider value={statement}>
            {children ?? (
              <>
                <Total />
                <Aging />
                <Lines />
              </>
            )}
          </StatementContext.Provider>
        )}
      </ResultView>
    </section>
  )
}

/** The balance; `data-sign` says whether the patient owes (`positive`) or has a credit (`negative`). */
export function Total(props: ComponentPropsWithoutRef<"p">) {
  const text = useText()
  const statement = useStatement("Total")
  return (
    <p
      data-slot="total"
      data-sign={statement.balance > 0 ? "positive" : statement.balance < 0 ? "negative" : "zero"}
      {...props}
    >
      {statement.balance < 0 ? text("patientBalance.credit", "Credit") : text("patientBalance.owes", "Balance due")}{" "}
      <Amount value={statement.balance < 0 ? Money.negate(statement.balance) : statement.balance} />
    </p>
  )
}

/** The balance by the age of its charges. */
export function Aging(props: ComponentPropsWithoutRef<"dl">) {
  const text = useText()
  const { aging } = useStatement("Aging")
  const buckets = [
    ["days0to30", text("patientBalance.aging.0to30", "0–30 days")],
    ["days31to60", text("patientBalance.aging.31to60", "31–60 days")],
    ["days61to90", text("patientBalance.aging.61to90", "61–90 days")],
    ["days91to120", text("patientBalance.aging.91to120", "91–120 days")],
    ["over120", text("patientBalance.aging.over120", "Over 120 days")]
  ] as const
  return (
    <dl data-slot="aging" {...props}>
      {buckets.map(([key, label]) => (
        <div key={key} data-slot="aging-bucket" data-bucket={key}>
          <dt>{label}</dt>
          <dd>
            <Amount value={aging[key]} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

const kindLabels: Record<PatientLedger.Kind, string> = {
  deductible: "Deductible",
  coinsurance: "Coinsurance",
  copay: "Copay",
  "self-pay": "Self-pay",
  fee: "Fee",
  payment: "Payment",
  adjustment: "Adjustment"
}

/** The statement by claim: service date, each charge and payment, and what is owed on the claim. */
export function Lines(props: ComponentPropsWithoutRef<"table">) {
  const text = useText()
  const statement = useStatement("Lines")
  return (
    <table data-slot="lines" {...props}>
      <caption>{text("patientBalance.statement", "Statement")}</caption>
      <thead>
        <tr>
          <th scope="col">{text("patientBalance.serviceDate", "Date of service")}</th>
          <th scope="col">{text("patientBalance.charges", "Charges and payments")}</th>
          <th scope="col">{text("patientBalance.owed", "Owed")}</th>
        </tr>
      </thead>
      <tbody>
        {statement.lines.map((line) => (
          <tr key={line.claimId ?? "on-account"} data-claim-id={line.claimId}>
            <th scope="row">{line.serviceDate ?? text("patientBalance.onAccount", "On account")}</th>
            <td>
              <ul data-slot="entries">
                {line.entries.map((entry) => (
                  <li key={entry.id} data-kind={entry.kind}>
                    {text(`patientBalance.kind.${entry.kind}`, kindLabels[entry.kind])} <Amount value={entry.amount} />
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <Amount value={line.balance} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
