import { Billing, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { ErrorMessage, useBillingQuery } from "@openrcm/react"
import { Effect, Option } from "effect"
import { useState } from "react"
import { today } from "../runtime.js"
import { CheckIn } from "./CheckIn.js"

const patientKeys = Object.keys(DemoPractice.ids.patients) as ReadonlyArray<DemoPractice.PatientKey>

/** Each covered patient's next booked visit, checked against their authorizations as the front desk would. */
const loadSchedule = Effect.gen(function* () {
  const store = yield* Store.Store
  return yield* Effect.forEach(patientKeys, (key) =>
    Effect.gen(function* () {
      const patientId = DemoPractice.ids.patients[key]
      const patient = Option.getOrUndefined(yield* store.patients.get(patientId))
      const next = DemoPractice.nextVisit(key, today)
      if (patient === undefined || next === undefined) return undefined
      const authorizations = yield* store.authorizations.forPatient(patientId)
      const ledger = (yield* Effect.forEach(authorizations, (a) => store.authorizations.ledger(a.id))).flat()
      const check = yield* Billing.checkAuthorization({
        visit: next.visit,
        authorizations,
        ledger,
        rulePack: next.rulePack
      })
      return { key, name: `${patient.firstName} ${patient.lastName}`, visit: next.visit, check }
    })
  ).pipe(Effect.map((rows) => rows.filter((row) => row !== undefined)))
})

export function ScheduleScreen() {
  const { result, refresh } = useBillingQuery(() => loadSchedule, [])
  const [checkingIn, setCheckingIn] = useState<DemoPractice.PatientKey | undefined>(undefined)
  const next = checkingIn === undefined ? undefined : DemoPractice.nextVisit(checkingIn, today)
  if (result._tag === "Failure") return <ErrorMessage error={result.error} onRetry={refresh} />
  if (result._tag !== "Success") return <p aria-busy="true">Loading the schedule…</p>
  return (
    <div className="playground-split">
      <table className="playground-table">
        <caption>Upcoming visits and their authorizations</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Date</th>
            <th scope="col">Services</th>
            <th scope="col">Authorization</th>
            <th scope="col">Arrival</th>
          </tr>
        </thead>
        <tbody>
          {result.value.map((row) => (
            <tr key={row.key} data-patient={row.key} data-authorization={row.check._tag}>
              <th scope="row">{row.name}</th>
              <td>{row.visit.dateOfService}</td>
              <td>{row.visit.lines.map((line) => line.code).join(" + ")}</td>
              <td>{row.check.text}</td>
              <td>
                <button type="button" aria-pressed={checkingIn === row.key} onClick={() => setCheckingIn(row.key)}>
                  Check in {row.name}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next === undefined ? (
        <p>Check a patient in to see their eligibility and estimate.</p>
      ) : (
        <CheckIn key={checkingIn} next={next} />
      )}
    </div>
  )
}
