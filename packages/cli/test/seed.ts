// Seeds an embedded store's data folder through the library, as a practice's own import would, before a test
// runs the `openrcm` binary on it. It opens the folder with EmbeddedStore's default key file (`<folder>.keys.json`),
// the one the CLI uses, and closes it before returning: PGlite must not have the folder open in two processes.
import { Caller, ClaimBuild, FeeSchedule, Payer, Store } from "@openrcm/core"
import { EmbeddedStore } from "@openrcm/store-sql"
import { Effect, Layer, Schema } from "effect"
import * as F from "../../core/test/clearinghouse/fixtures.js"

export const tenantId = F.tenantId

/** A state Medicaid program that wants the credential modifier (HO for an LCSW) on H0004. */
export const medicaid = Schema.decodeUnknownSync(Payer.Payer)({
  id: "payer-medicaid",
  tenantId,
  name: "Oregon Health Plan",
  x12PayerId: "OHP01",
  kind: { _tag: "Medicaid", state: "OR", program: "OHP" },
  rulePack: "state-medicaid-example"
})

const fees = (id: string, rates: Record<string, number>, payerId?: string) =>
  Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)({ id, tenantId, rates, ...(payerId ? { payerId } : {}) })

/** The practice, its clinician, Acme Health and a Medicaid program, one patient covered by each, and fees. */
export const seedPractice = (dataDir: string) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    yield* store.organizations.put(F.organization())
    yield* store.clinicians.put(F.clinician())
    yield* store.payers.put(F.payer())
    yield* store.payers.put(medicaid)
    yield* store.patients.put(F.patient())
    yield* store.coverages.put(F.coverage())
    yield* store.patients.put(F.patient({ id: "pat-riley", firstName: "Riley" }))
    yield* store.coverages.put(
      F.coverage({ id: "cov-riley", patientId: "pat-riley", payerId: medicaid.id, memberId: "OHP5550001" })
    )
    yield* store.feeSchedules.put(fees("fees-default", { "90834": 13500, "90837": 18000 }))
    yield* store.feeSchedules.put(fees("fees-medicaid", { H0004: 2500 }, medicaid.id))
  }).pipe(
    Effect.provide(
      Layer.merge(
        EmbeddedStore.layer({ dataDir }),
        Caller.layer({ tenantId, actor: "test:seed", purpose: "operations" })
      )
    ),
    Effect.runPromise
  )

/** A coded session of the seeded practice: Jordan at Acme Health unless the patient says otherwise. */
export const session = (
  id: string,
  date: string,
  code = "90834",
  patient: "jordan" | "riley" = "jordan"
): ClaimBuild.CodedSession =>
  Schema.decodeUnknownSync(ClaimBuild.CodedSession)({
    sessionId: id,
    tenantId,
    patientId: patient === "jordan" ? "pat-jordan" : "pat-riley",
    coverageId: patient === "jordan" ? "cov-jordan" : "cov-riley",
    payerId: patient === "jordan" ? "payer-acme" : medicaid.id,
    billingProviderId: "org-riverbend",
    renderingClinicianId: "cln-ada",
    dateOfService: date,
    placeOfService: "11",
    diagnoses: ["F43.10"],
    lines: [{ code, modifiers: [], units: 1, placeOfService: "11", dateOfService: date }]
  })

export const encodeSessions = Schema.encodeSync(Schema.Array(ClaimBuild.CodedSession))
