import { type Eligibility, FeeSchedule, Store } from "@openrcm/core"
import type { DemoPractice } from "@openrcm/core/testing"
import { EligibilityCard, ErrorMessage, PatientEstimate, useBillingQuery } from "@openrcm/react"
import { Effect, Option } from "effect"

/**
 * What the front desk checks when the patient arrives: eligibility with the payer (a real 270/271 through the
 * sandbox) and what the patient will owe for the booked visit at the payer's contracted rates.
 */
const loadCheckIn = (next: NonNullable<ReturnType<typeof DemoPractice.nextVisit>>) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const { visit } = next
    const patient = Option.getOrUndefined(yield* store.patients.get(visit.patientId))
    const coverage = (yield* store.coverages.forPatient(visit.patientId)).find((c) => c.payerId === visit.payerId)
    const payer = Option.getOrUndefined(yield* store.payers.get(visit.payerId))
    const organizations = yield* store.organizations.list()
    const schedules = yield* store.feeSchedules.list({ limit: 1000 })
    const provider = organizations.items[0]
    if (patient === undefined || coverage === undefined || payer?.x12PayerId === undefined || provider === undefined)
      return undefined
    const request: Eligibility.EligibilityRequest = {
      payerId: payer.x12PayerId,
      provider: { npi: provider.npi, name: provider.name },
      subscriber: {
        memberId: coverage.memberId,
        firstName: patient.firstName,
        lastName: patient.lastName,
        dateOfBirth: patient.dateOfBirth
      },
      dateOfService: visit.dateOfService,
      serviceTypes: ["MH"]
    }
    const lines = visit.lines.flatMap((line) => {
      const rate = FeeSchedule.rateFor(schedules.items, {
        payerId: visit.payerId,
        code: line.code,
        modifiers: [],
        dateOfService: visit.dateOfService
      })
      return rate === undefined ? [] : [{ code: line.code, allowed: rate.amount }]
    })
    return { request, visits: lines.length === 0 ? [] : [{ dateOfService: visit.dateOfService, lines }] }
  })

export function CheckIn({ next }: { readonly next: NonNullable<ReturnType<typeof DemoPractice.nextVisit>> }) {
  const { result, refresh } = useBillingQuery(() => loadCheckIn(next), [next.visit.patientId, next.visit.dateOfService])
  if (result._tag === "Failure") return <ErrorMessage error={result.error} onRetry={refresh} />
  if (result._tag !== "Success") return <p aria-busy="true">Loading the patient's coverage…</p>
  if (result.value === undefined) return <p>This patient pays for themselves: there is no payer to ask.</p>
  return (
    <div className="playground-stack">
      <EligibilityCard.Root request={result.value.request} timeZone="America/Detroit" />
      <PatientEstimate.Root visits={result.value.visits} eligibility={result.value.request} />
    </div>
  )
}
