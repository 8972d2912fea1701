// docs/store.md: the embedded store, a tenant's records, the work queue, A/R aging and the audit chain.
import { Caller, Claim, Coverage, Patient, Store } from "@openrcm/core"
import { EmbeddedStore } from "@openrcm/store-sql"
import { Effect, Schema } from "effect"

// Who is asking: every store operation is scoped to this tenant and audited under this actor and purpose.
const frontDesk = Caller.layer({ tenantId: "riverbend" as never, actor: "user:42", purpose: "payment" })

// In production the master keys come from a key file or a KMS; here, a fixed demo key.
const masterKeys = { current: "k1", keys: { k1: "ZG9jcyBkZW1vIGtleSwgbm90IGZvciByZWFsIGRhdGE=" } }

const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "pat-1",
  tenantId: "riverbend",
  firstName: "Jordan",
  lastName: "Rivera",
  dateOfBirth: "1988-04-12",
  sex: "U",
  address: { line1: "12 Elm St", city: "Springfield", state: "IL", postalCode: "62701" }
})

const coverage = Schema.decodeUnknownSync(Coverage.Coverage)({
  id: "cov-1",
  tenantId: "riverbend",
  patientId: "pat-1",
  payerId: "acme",
  memberId: "XJH100200300",
  order: 1,
  period: { start: "2025-01-01", end: "2025-12-31" },
  planYearStart: "01-01"
})

const claim = (id: string, serviceDate: string, status: Claim.Status, balance: number) =>
  Schema.decodeUnknownSync(Claim.Claim)({
    id,
    tenantId: "riverbend",
    patientId: "pat-1",
    coverageId: "cov-1",
    payerId: "acme",
    billingProviderId: "org-1",
    renderingClinicianId: "clin-1",
    status,
    frequency: "1",
    serviceDate,
    placeOfService: "11",
    diagnoses: ["F41.1"],
    lines: [
      {
        code: "90834",
        modifiers: [],
        units: 1,
        charge: balance,
        dateOfService: serviceDate,
        placeOfService: "11",
        diagnosisPointers: [1]
      }
    ],
    charge: balance,
    balance,
    createdAt: 0,
    version: 0
  })

export const tour = Effect.gen(function* () {
  const store = yield* Store.Store
  yield* store.patients.put(patient)
  yield* store.coverages.put(coverage)
  // The member id is encrypted at rest; an exact match still finds it (through a keyed blind index).
  const byMember = yield* store.coverages.findByMemberId("XJH100200300")
  yield* store.claims.create([
    claim("clm-1", "2025-03-03", "submitted", 13500),
    claim("clm-2", "2025-05-12", "denied", 13500),
    claim("clm-3", "2025-06-16", "accepted", 13500)
  ])
  // A work queue: denied or submitted claims served on or before May 31st, oldest first, 50 a page.
  const queue = yield* store.claims.query({
    status: ["submitted", "denied"],
    servedOnOrBefore: "2025-05-31" as never,
    limit: 50
  })
  const aging = yield* store.reports.aging("2025-06-30" as never)
  const chain = yield* store.audit.verify()
  return {
    found: byMember.map((c) => c.id),
    queue: queue.items.map((c) => c.id),
    aging: aging.rows.map((row) => [row.payerId, row.days0to30, row.days31to60, row.days61to90, row.days91to120]),
    chain: chain._tag
  }
}).pipe(Effect.provide(EmbeddedStore.layer({ masterKeys })), Effect.provide(frontDesk))
