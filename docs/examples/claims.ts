// docs/claims.md: from coded sessions to claims the payer accepted, on the in-memory store and clearinghouse.

import { MailboxClearinghouse } from "@openrcm/clearinghouse-x12"
import {
  Billing,
  Caller,
  Claim,
  ClaimBuild,
  Clinician,
  Coverage,
  type Diagnosis,
  FeeSchedule,
  Organization,
  Patient,
  Payer,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryClearinghouse, InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Option, Schema } from "effect"

const tenantId = "riverbend"
const decode = <S extends Schema.Top>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema as never)(value) as S["Type"]

/** The practice's records, as a host would have stored them. */
const seed = Effect.gen(function* () {
  const store = yield* Store.Store
  const address = { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" }
  yield* store.organizations.put(
    decode(Organization.Organization, {
      id: "org-1",
      tenantId,
      name: "Riverbend Behavioral Health",
      npi: "1245319599",
      tin: "123456789",
      taxonomy: "261QM0801X",
      facilityType: "office",
      address
    })
  )
  yield* store.clinicians.put(
    decode(Clinician.Clinician, {
      id: "clin-1",
      tenantId,
      npi: "1234567893",
      firstName: "Ada",
      lastName: "Lovelace",
      credential: "LCSW",
      taxonomy: "1041C0700X",
      licenses: [{ state: "OR", number: "L-1", credential: "LCSW", expires: "2027-12-31" }],
      supervisedBy: []
    })
  )
  yield* store.payers.put(
    decode(Payer.Payer, {
      id: "acme",
      tenantId,
      name: "Acme Health",
      x12PayerId: "ACME1",
      kind: { _tag: "Commercial" },
      rulePack: "acme-health"
    })
  )
  yield* store.patients.put(
    decode(Patient.Patient, {
      id: "pat-1",
      tenantId,
      firstName: "Jordan",
      lastName: "Rivera",
      dateOfBirth: "1988-04-12",
      sex: "U",
      address
    })
  )
  yield* store.coverages.put(
    decode(Coverage.Coverage, {
      id: "cov-1",
      tenantId,
      patientId: "pat-1",
      payerId: "acme",
      memberId: "XJH100200300",
      order: 1,
      period: { start: "2025-01-01", end: "2025-12-31" },
      planYearStart: "01-01"
    })
  )
  yield* store.feeSchedules.put(decode(FeeSchedule.FeeSchedule, { id: "default", tenantId, rates: { "90834": 13500 } }))
})

/** A completed, coded session: what the coding engine billed for it, and the clinician's diagnoses. */
const session = decode(ClaimBuild.CodedSession, {
  sessionId: "ses-1",
  tenantId,
  patientId: "pat-1",
  coverageId: "cov-1",
  payerId: "acme",
  billingProviderId: "org-1",
  renderingClinicianId: "clin-1",
  dateOfService: "2025-05-05",
  placeOfService: "11",
  diagnoses: ["F41.1"],
  lines: [{ code: "90834", modifiers: [], units: 1, placeOfService: "11", dateOfService: "2025-05-05" }]
})

/** The in-memory store and clearinghouse, the built-in packs, and the biller as the caller. */
const inMemory = () =>
  Layer.mergeAll(
    InMemoryStore.layer,
    InMemoryClearinghouse.layer([]),
    RuleSet.layerBuiltin([]),
    Caller.layer({ tenantId: tenantId as never, actor: "user:biller", purpose: "payment" })
  )

export const fromSessionToAcceptance = Effect.gen(function* () {
  yield* seed
  // Build: one claim per patient, payer, date and clinician, charged from the fee schedule.
  const built = yield* Billing.buildClaims([session])
  const ids = built.created.map((claim) => claim.id)
  // Scrub: every edit of the payer's packs; a clean claim moves to ready.
  const [scrubbed] = yield* Billing.scrubClaims(ids, { asOf: "2025-05-20" as never })
  // Submit: the claims move to submitted and the batch is written to the outbox, together.
  yield* Billing.submitClaims(ids)
  // Deliver: the outbox is sent through the clearinghouse, retrying only what may succeed later.
  const [delivered] = yield* Billing.deliverSubmissions()
  // What comes back (999, 277CA) moves each claim to accepted or rejected.
  yield* Billing.processResponses()
  const claim = yield* (yield* Store.Store).claims.get(ids[0] as never)
  return {
    charge: built.created[0]?.charge,
    scrub: scrubbed?._tag === "Scrubbed" ? scrubbed.status : "not scrubbed",
    delivery: delivered?._tag,
    status: claim._tag === "Some" ? claim.value.status : "missing"
  }
}).pipe(Effect.provide(inMemory()))

/**
 * A biller's edit before submission: `updateClaim` writes it over the ready claim, which goes back to draft, and
 * the claim is scrubbed again. The claim passed is the one the edit was made on (its version is checked).
 */
export const editBeforeSubmission = Effect.gen(function* () {
  yield* seed
  const [claim] = (yield* Billing.buildClaims([session])).created
  if (claim === undefined) return undefined
  const [first] = yield* Billing.scrubClaims([claim.id], { asOf: "2025-05-20" as never })
  const ready = Option.getOrThrow(yield* (yield* Store.Store).claims.get(claim.id))
  const edited = yield* Billing.updateClaim(
    new Claim.Claim({ ...ready, diagnoses: ["F41.1" as Diagnosis.DiagnosisCode, "Z63.0" as Diagnosis.DiagnosisCode] })
  )
  const [again] = yield* Billing.scrubClaims([claim.id], { asOf: "2025-05-20" as never })
  return {
    scrubbed: first?._tag === "Scrubbed" ? first.status : "not scrubbed",
    edited: [edited.status, edited.diagnoses.join(" ")],
    rescrubbed: again?._tag === "Scrubbed" ? again.status : "not scrubbed"
  }
}).pipe(Effect.provide(inMemory()))

/** In production, a clearinghouse that works as an X12 mailbox: 837P files out, 999/277CA/835 files in. */
export const mailbox = MailboxClearinghouse.layerDirectory({
  outbound: "/var/lib/openrcm/mailbox/outbound",
  inbound: "/var/lib/openrcm/mailbox/inbound",
  state: "/var/lib/openrcm/mailbox/state",
  submitter: { name: "RIVERBEND BH", id: "RBH0001", contact: { name: "Billing office", phone: "5035550100" } },
  receiver: { name: "ACME CLEARINGHOUSE", id: "ACMECH" },
  usage: "P"
})
