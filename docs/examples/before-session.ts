// docs/before-the-session.md: authorization, eligibility and the patient's estimate, before the session.
import { Authorization, BillingRuntime, DateOfService, Eligibility, Money, PatientResponsibility } from "@openrcm/core"
import { InMemoryClearinghouse, SeededPlans } from "@openrcm/core/testing"
import { Schema } from "effect"

// A host wires its clearinghouse; the in-memory one answers from seeded, synthetic plans.
export const runtime = BillingRuntime.make(InMemoryClearinghouse.layer(SeededPlans.members))

const authorization = Schema.decodeUnknownSync(Authorization.Authorization)({
  id: "auth-1",
  tenantId: "tenant-a",
  patientId: "pat-1",
  payerId: "acme",
  number: "PA-20931",
  codes: ["90834", "90837"],
  unitType: "sessions",
  approved: 12,
  period: { start: "2025-01-06", end: "2025-06-30" },
  status: "approved"
})

export async function beforeTheSession() {
  const check = await runtime.checkAuthorization({
    visit: Schema.decodeUnknownSync(Authorization.Visit)({
      patientId: "pat-1",
      payerId: "acme",
      clinicianId: "cl-1",
      dateOfService: "2025-03-04",
      lines: [{ code: "90834", units: 1 }],
      priorVisits: 25 // the HMO wants authorization after 20 visits
    }),
    authorizations: [authorization],
    ledger: [],
    rulePack: "acme-health-hmo"
  })

  // Decoded at the boundary: a bad NPI or date is refused here, with its path.
  const request = Schema.decodeUnknownSync(Eligibility.EligibilityRequest)({
    payerId: "ACME1",
    provider: { npi: "1245319599" },
    subscriber: { memberId: "ACM100200300", firstName: "Jordan", lastName: "Rivera", dateOfBirth: "1988-04-12" },
    dateOfService: "2025-03-04",
    serviceTypes: ["MH"]
  })
  const eligibility = await runtime.checkEligibility(request, { maxAgeMinutes: 12 * 60 })

  const estimate = PatientResponsibility.estimate({
    benefits: {
      deductibleRemaining: eligibility.summary.deductible.remaining ?? Money.zero,
      outOfPocketRemaining: eligibility.summary.outOfPocket.remaining,
      coinsuranceBps: eligibility.summary.coinsuranceBps ?? 0,
      copay: eligibility.summary.copay,
      copayTiming: "after-deductible"
    },
    visits: [
      { dateOfService: DateOfService.make("2025-03-04"), lines: [{ code: "90834", allowed: Money.dollars(118) }] }
    ]
  })

  return {
    authorization: check._tag,
    eligibility: eligibility.summary.status,
    patientOwes: Money.format(estimate.patient)
  }
}
