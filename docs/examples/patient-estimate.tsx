// docs/react.md: what the patient owes for a planned session, from the payer's eligibility answer.
import { DateOfService, type Eligibility, Money } from "@openrcm/core"
import { PatientEstimate, usePatientEstimate } from "@openrcm/react"

const planned = [
  { dateOfService: DateOfService.make("2025-03-04"), lines: [{ code: "90834", allowed: Money.dollars(118) }] }
]

// The plan's deductible, coinsurance and copay read from the 271; the copay's place is the plan's design.
export function FrontDeskEstimate({ eligibility }: { readonly eligibility: Eligibility.EligibilityRequest }) {
  return (
    <PatientEstimate.Root visits={planned} eligibility={eligibility} design={{ copayTiming: "after-deductible" }} />
  )
}

// Benefits the host already has, and only the total.
export function OwesBadge() {
  const estimate = usePatientEstimate({
    visits: planned,
    benefits: { deductibleRemaining: Money.zero, coinsuranceBps: 2000, copay: Money.dollars(20) }
  })
  return (
    <PatientEstimate.Root estimate={estimate}>
      <PatientEstimate.Total />
    </PatientEstimate.Root>
  )
}
