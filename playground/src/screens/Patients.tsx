import { Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { PatientBalance, useBillingEffect } from "@openrcm/react"
import { Effect, Option } from "effect"
import { useState } from "react"
import { today } from "../runtime.js"

const loadPatients = Effect.gen(function* () {
  const store = yield* Store.Store
  return yield* Effect.forEach(Object.values(DemoPractice.ids.patients), (id) =>
    Effect.map(store.patients.get(id), (patient) =>
      Option.match(patient, {
        onNone: () => undefined,
        onSome: (p) => ({ id, name: `${p.firstName} ${p.lastName}` })
      })
    )
  ).pipe(Effect.map((rows) => rows.filter((row) => row !== undefined)))
})

export function PatientsScreen() {
  const patients = useBillingEffect(() => loadPatients, [])
  const [patientId, setPatientId] = useState<string>(DemoPractice.ids.patients.selfPay)
  return (
    <div className="playground-stack">
      <label>
        Patient{" "}
        <select value={patientId} onChange={(event) => setPatientId(event.target.value)}>
          {patients._tag === "Success"
            ? patients.value.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))
            : null}
        </select>
      </label>
      <PatientBalance.Root
        patientId={patientId as typeof DemoPractice.ids.patients.selfPay}
        asOf={today}
        key={patientId}
      />
      <button type="button" onClick={() => window.print()}>
        Print the statement
      </button>
    </div>
  )
}
