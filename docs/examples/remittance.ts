// docs/remittance.md: an 835 posted against the in-memory store, the denial work queue, an appeal packet, and a
// reversal that names the original claim only by the payer's claim number.

import { Responses } from "@openrcm/clearinghouse-x12"
import {
  Billing,
  Caller,
  Claim,
  Clinician,
  Coverage,
  type DateOfService,
  Organization,
  Patient,
  Payer,
  type RemittanceAdvice,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Schema } from "effect"

const tenantId = "riverbend"
const decode = <S extends Schema.Top>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema as never)(value) as S["Type"]

/** Two claims the payer has (submitted), and who they are for. */
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
  const claim = (id: string, serviceDate: string) =>
    decode(Claim.Claim, {
      id,
      tenantId,
      patientId: "pat-1",
      coverageId: "cov-1",
      payerId: "acme",
      billingProviderId: "org-1",
      renderingClinicianId: "clin-1",
      status: "submitted",
      frequency: "1",
      serviceDate,
      placeOfService: "11",
      diagnoses: ["F41.1"],
      lines: [
        {
          code: "90834",
          modifiers: [],
          units: 1,
          charge: 13500,
          dateOfService: serviceDate,
          placeOfService: "11",
          diagnosisPointers: [1]
        }
      ],
      charge: 13500,
      balance: 13500,
      createdAt: 1_746_000_000_000,
      version: 0
    })
  yield* store.claims.create([claim("clm-1", "2025-05-05"), claim("clm-2", "2025-05-12")])
})

const envelope = (segments: ReadonlyArray<string>) =>
  [
    "ISA*00*          *00*          *ZZ*ACME1          *ZZ*RBH0001        *250520*1200*^*00501*000000001*0*P*:~",
    "GS*HP*ACME1*RBH0001*20250520*1200*1*X*005010X221A1~",
    "ST*835*0001*005010X221A1~",
    ...segments,
    `SE*${segments.length + 2}*0001~`,
    "GE*1*1~",
    "IEA*1*000000001~"
  ].join("\n")

/** The payer's answer: clm-1 paid $95 (CO-45 $20, coinsurance $20); clm-2 denied, no authorization (CO-197 N54). */
export const era = envelope([
  "BPR*I*95*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20250520~",
  "TRN*1*EFT12345*1512345678~",
  "N1*PR*ACME HEALTH~",
  "N1*PE*RIVERBEND BH*XX*1245319599~",
  "LX*1~",
  "CLP*clm-1*1*135*95*20*12*ACME-7001*11*1~",
  "SVC*HC:90834*135*95**1~",
  "DTM*472*20250505~",
  "CAS*CO*45*20~",
  "CAS*PR*2*20~",
  "CLP*clm-2*4*135*0**12*ACME-7002*11*1~",
  "SVC*HC:90834*135*0**1~",
  "DTM*472*20250512~",
  "CAS*CO*197*135~",
  "LQ*HE*N54~"
])

/** A later 835: the payer takes clm-1's payment back naming it by its own number (CLP07) only, and pays it again. */
export const reversal = envelope([
  "BPR*I*5*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20250603~",
  "TRN*1*EFT12399*1512345678~",
  "N1*PR*ACME HEALTH~",
  "N1*PE*RIVERBEND BH*XX*1245319599~",
  "LX*1~",
  "CLP*ACME-REF-1*22*-135*-95*-20*12*ACME-7001*11*1~",
  "CAS*CO*45*-20~",
  "CAS*PR*2*-20~",
  "CLP*clm-1*1*135*100*15*12*ACME-7001*11*1~",
  "CAS*CO*45*20~",
  "CAS*PR*2*15~"
])

/** An 835 text as the advices the `Clearinghouse` port carries (what `processResponses` posts). */
const advicesOf = (text: string, id: string): Array<RemittanceAdvice.RemittanceAdvice> => {
  const read = Responses.read(text, { id })
  if (read._tag === "Failure") throw new Error(read.failure.message)
  return read.success.responses.flatMap((response) => (response._tag === "Remittance" ? [response.advice] : []))
}

export const postAndWork = Effect.gen(function* () {
  yield* seed
  const [advice] = advicesOf(era, "era-0520.835")
  if (advice === undefined) throw new Error("no remittance in the file")
  // One transaction: the remittance, postings, patient ledger, claim balances and moves, and the denials.
  const posted = yield* Billing.postRemittance(advice)
  // The host's daily job: the queue's order as of today (the denials' deadlines near).
  yield* Billing.refreshDenialPriorities({ asOf: "2025-05-21" as DateOfService.DateOfService })
  const queue = yield* Billing.denialQueue({ status: ["open", "in-progress"] })
  const [first] = queue.items
  if (first === undefined) throw new Error("expected a denial to work")
  const packet = yield* Billing.appealPacket(first.id, { reason: "The authorization was on file: PA-2025-118." })
  // Posting the same file again changes nothing.
  const again = yield* Billing.postRemittance(advice)
  const [later] = advicesOf(reversal, "era-0603.835")
  if (later === undefined) throw new Error("no remittance in the file")
  const reversed = yield* Billing.postRemittance(later)
  const store = yield* Store.Store
  const clm1 = yield* store.claims.get("clm-1" as never)
  return {
    matched: posted.matched.map((m) => m.claimId),
    paid: posted.paid,
    coinsurance: posted.patientResponsibility.coinsurance,
    queue: queue.items.map((d) => `${d.claimId} ${d.group}-${d.carc} ${d.category} → ${d.action}, due ${d.deadline}`),
    appeal: { carc: packet.denial.carc.description, letter: packet.letter },
    duplicate: again.duplicate,
    reversed: reversed.reversals.map((r) => `${r.claimId}: ${r.paymentUndone} undone`),
    clm1Balance: clm1._tag === "Some" ? clm1.value.balance : undefined
  }
}).pipe(
  Effect.provide(
    Layer.mergeAll(
      InMemoryStore.layer,
      RuleSet.layerBuiltin([]),
      Caller.layer({ tenantId: tenantId as never, actor: "user:biller", purpose: "payment" })
    )
  )
)
