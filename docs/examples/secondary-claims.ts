// docs/remittance.md, "Secondary claims": a patient with two coverages. The primary pays, its patient
// responsibility waits; the secondary claim is built from the posted 835, sent with the primary's adjudication
// (2320/2330, 2430), paid, and only what the secondary leaves reaches the patient's ledger. On the in-memory store
// and the sandbox clearinghouse (which answers at once here).

import { Sandbox } from "@openrcm/clearinghouse-x12"
import {
  Billing,
  Caller,
  Claim,
  Clinician,
  Coverage,
  Organization,
  Patient,
  Payer,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Schema } from "effect"

const tenantId = "riverbend"
const decode = <S extends Schema.Top>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema as never)(value) as S["Type"]
const address = { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" }
const coverage = (id: string, payerId: string, memberId: string, order: 1 | 2) =>
  decode(Coverage.Coverage, {
    ...{ id, tenantId, patientId: "pat-1", payerId, memberId, order },
    period: { start: "2025-01-01", end: "2025-12-31" },
    planYearStart: "01-01"
  })
const payer = (id: string, name: string, x12PayerId: string) =>
  decode(Payer.Payer, { id, tenantId, name, x12PayerId, kind: { _tag: "Commercial" }, rulePack: "acme-health" })

const seed = Effect.gen(function* () {
  const store = yield* Store.Store
  yield* store.organizations.put(
    decode(Organization.Organization, {
      ...{ id: "org-1", tenantId, name: "Riverbend Behavioral Health", npi: "1245319599", tin: "123456789" },
      ...{ taxonomy: "261QM0801X", facilityType: "office", address }
    })
  )
  yield* store.clinicians.put(
    decode(Clinician.Clinician, {
      ...{ id: "clin-1", tenantId, npi: "1234567893", firstName: "Ada", lastName: "Lovelace", credential: "LCSW" },
      taxonomy: "1041C0700X",
      licenses: [{ state: "OR", number: "L-1", credential: "LCSW", expires: "2027-12-31" }],
      supervisedBy: []
    })
  )
  yield* store.patients.put(
    decode(Patient.Patient, {
      ...{ id: "pat-1", tenantId, firstName: "Jordan", lastName: "Rivera", dateOfBirth: "1988-04-12", sex: "U" },
      address
    })
  )
  yield* store.payers.put(payer("acme", "Acme Health", "ACME1"))
  yield* store.payers.put(payer("second", "Second Mutual", "SECND"))
  // Order of benefits: Acme first, Second Mutual after it.
  yield* store.coverages.put(coverage("cov-1", "acme", "XJH100200300", 1))
  yield* store.coverages.put(coverage("cov-2", "second", "SEC778899", 2))
  // A claim ready to send to Acme: 90834, $125.00.
  yield* store.claims.create([
    decode(Claim.Claim, {
      ...{ id: "clm-1", tenantId, patientId: "pat-1", coverageId: "cov-1", payerId: "acme" },
      ...{ billingProviderId: "org-1", renderingClinicianId: "clin-1", status: "ready", frequency: "1" },
      ...{ serviceDate: "2025-05-05", placeOfService: "11", diagnoses: ["F41.1"], charge: 12500, balance: 12500 },
      lines: [
        { code: "90834", modifiers: [], units: 1, charge: 12500, dateOfService: "2025-05-05", placeOfService: "11" }
      ].map((line) => ({ ...line, diagnosisPointers: [1] })),
      ...{ createdAt: 0, version: 0 }
    })
  ])
})

/** Submits, delivers, and posts what the sandbox answers (999, 277CA, 835). */
const send = (ids: ReadonlyArray<Claim.Claim["id"]>) =>
  Effect.gen(function* () {
    yield* Billing.submitClaims(ids)
    yield* Billing.deliverSubmissions()
    yield* Billing.processResponses()
  })

export const primaryThenSecondary = Effect.gen(function* () {
  yield* seed
  const store = yield* Store.Store
  const sandbox = yield* Sandbox.Sandbox
  const ledger = () => Effect.map(store.patientLedger.balance("pat-1" as never), (cents) => cents)

  // 1. The primary: Acme allows $100 and pays 80%; its $20 coinsurance is held for the secondary.
  yield* send(["clm-1" as never])
  const afterPrimary = yield* ledger()

  // 2. The secondary claim: the same line, for Second Mutual, carrying Acme's payment and adjustments. Building it
  // again finds it (its id is clm-1-cob2); a clean one is scrubbed to ready.
  const built = yield* Billing.buildSecondaryClaims({ asOf: "2025-05-20" as never })
  const secondary = built.created[0]
  if (secondary === undefined) return yield* Effect.die("no secondary claim")

  // 3. Sent: its 837P has Acme in 2320/2330 (SBR*P, AMT*D, NM1*PR) and the line's SVD.
  yield* send([secondary.id])
  const [, sent] = (yield* sandbox.files).filter((file) => file.kind === "837")
  const cob = (sent?.x12 ?? "").split("~").filter((s) => /^(SBR\*P|AMT\*D|NM1\*PR\*2\*Acme|SVD)/u.test(s.trim()))

  // 4. Second Mutual pays the $20 less its own 10% coinsurance: the patient owes $2.00, from the last payer only.
  return {
    secondary: secondary.id,
    priorPaid: secondary.priorPayers?.[0]?.paid,
    cob: cob.map((s) => s.trim()),
    patientOwedAfterPrimary: afterPrimary,
    patientOwes: yield* ledger()
  }
}).pipe(
  Effect.provide(
    Layer.mergeAll(
      InMemoryStore.layer,
      Sandbox.layerBuiltin({
        delays: { acknowledgement: 0, claimStatus: 0, remittance: 0 },
        percentOfCharge: 8000, // $125.00 charged → $100.00 allowed
        plans: ({ payerId }) =>
          payerId === "SECND"
            ? { deductibleRemaining: 0 as never, coinsuranceBps: 1000 }
            : { deductibleRemaining: 0 as never, coinsuranceBps: 2000 }
      }),
      RuleSet.layerBuiltin([]),
      Caller.layer({ tenantId: tenantId as never, actor: "user:biller", purpose: "payment" })
    )
  )
)
