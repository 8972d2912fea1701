/**
 * Claim envelopes and batches for the Clearinghouse contract and the adapters' own tests: a behavioral-health
 * practice billing Acme Health (X12 payer `ACME1`, rule pack `acme-health`) for the seeded members of
 * `SeededPlans`. Every record is decoded through its schema; NPIs carry valid check digits and the billing
 * provider's ZIP code has nine digits (the 837P requires it).
 */
import {
  Claim,
  type Clearinghouse,
  Clinician,
  Coverage,
  DateOfService,
  Ids,
  Npi,
  Organization,
  Patient,
  Payer,
  Submission
} from "@openrcm/core"
import { SeededPlans } from "@openrcm/core/testing"
import { Schema } from "effect"

type Overrides = Record<string, unknown>

export const tenantId = Schema.decodeUnknownSync(Ids.TenantId)("tenant-clearinghouse")

/** A valid NPI from nine digits (the tenth is the check digit). */
export const npi = (firstNine: string): string => `${firstNine}${Npi.checkDigit(firstNine)}`

/** The same NPI with a wrong check digit. */
export const badNpi = (firstNine: string): string => `${firstNine}${(Npi.checkDigit(firstNine) + 1) % 10}`

export const submissionKey = (key: string): Submission.SubmissionKey =>
  Schema.decodeUnknownSync(Submission.SubmissionKey)(key)

export const claimId = (id: string): Ids.ClaimId => Schema.decodeUnknownSync(Ids.ClaimId)(id)

/** The seeded members the contract's adapters answer eligibility for. */
export const members = SeededPlans.members

/** Jordan Rivera, Acme Health PPO: copay $25, deductible $350 remaining. */
export const jordan: (typeof members)[number] = (() => {
  const member = members.find((m) => m.memberId === "ACM100200300")
  if (member === undefined) throw new Error("SeededPlans no longer has Jordan Rivera")
  return member
})()

export const organization = (over: Overrides = {}): Organization.Organization =>
  Schema.decodeUnknownSync(Organization.Organization)({
    id: "org-riverbend",
    tenantId,
    name: "Riverbend Behavioral Health",
    npi: npi("124531959"),
    tin: "123456789",
    taxonomy: "261QM0801X",
    facilityType: "office",
    address: { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" },
    ...over
  })

export const clinician = (over: Overrides = {}): Clinician.Clinician =>
  Schema.decodeUnknownSync(Clinician.Clinician)({
    id: "cln-ada",
    tenantId,
    npi: "1234567893",
    firstName: "Ada",
    lastName: "Okafor",
    credential: "LCSW",
    taxonomy: "1041C0700X",
    licenses: [{ state: "OR", number: "L-1234", credential: "LCSW", expires: "2026-12-31" }],
    supervisedBy: [],
    ...over
  })

export const supervisor = (over: Overrides = {}): Clinician.Clinician =>
  clinician({
    id: "cln-mara",
    npi: npi("192837465"),
    firstName: "Mara",
    lastName: "Lindqvist",
    credential: "MD",
    taxonomy: "2084P0800X",
    ...over
  })

export const payer = (over: Overrides = {}): Payer.Payer =>
  Schema.decodeUnknownSync(Payer.Payer)({
    id: "payer-acme",
    tenantId,
    name: "Acme Health",
    x12PayerId: "ACME1",
    kind: { _tag: "Commercial" },
    rulePack: "acme-health",
    ...over
  })

export const medicare = (over: Overrides = {}): Payer.Payer =>
  payer({
    id: "payer-medicare",
    name: "Medicare Part B",
    x12PayerId: "MCRB1",
    kind: { _tag: "Medicare" },
    rulePack: "medicare",
    ...over
  })

export const patient = (over: Overrides = {}): Patient.Patient =>
  Schema.decodeUnknownSync(Patient.Patient)({
    id: "pat-jordan",
    tenantId,
    firstName: jordan.firstName,
    lastName: jordan.lastName,
    dateOfBirth: jordan.dateOfBirth,
    sex: "F",
    address: { line1: "12 Alder St", city: "Portland", state: "OR", postalCode: "97202" },
    ...over
  })

export const coverage = (over: Overrides = {}): Coverage.Coverage =>
  Schema.decodeUnknownSync(Coverage.Coverage)({
    id: "cov-jordan",
    tenantId,
    patientId: "pat-jordan",
    payerId: "payer-acme",
    memberId: jordan.memberId,
    groupNumber: "GRP-4411",
    plan: "Acme Health PPO Gold",
    order: 1,
    period: { start: "2025-01-01", end: "2025-12-31" },
    planYearStart: "01-01",
    ...over
  })

export interface LineOverrides {
  readonly code?: string
  readonly modifiers?: ReadonlyArray<string>
  readonly units?: number
  readonly charge?: number
  readonly dateOfService?: string
  readonly placeOfService?: string
  readonly diagnosisPointers?: ReadonlyArray<number>
}

export const line = (over: LineOverrides = {}) => ({
  code: "90837",
  modifiers: [],
  units: 1,
  charge: 20000,
  dateOfService: "2025-02-10",
  placeOfService: "11",
  diagnosisPointers: [1],
  ...over
})

/** A claim: its charge is the sum of its lines unless `charge` says otherwise. */
export const claim = (
  id: string,
  over: Overrides & { readonly lines?: ReadonlyArray<ReturnType<typeof line>> } = {}
): Claim.Claim => {
  const lines = over.lines ?? [line()]
  const charge = lines.reduce((sum, l) => sum + l.charge, 0)
  const serviceDate = [...lines.map((l) => l.dateOfService)].sort()[0]
  return Schema.decodeUnknownSync(Claim.Claim)({
    id,
    tenantId,
    patientId: "pat-jordan",
    coverageId: "cov-jordan",
    payerId: "payer-acme",
    billingProviderId: "org-riverbend",
    renderingClinicianId: "cln-ada",
    status: "ready",
    frequency: "1",
    serviceDate,
    placeOfService: "11",
    diagnoses: ["F41.1", "F43.10"],
    charge,
    balance: charge,
    createdAt: 1_740_000_000_000,
    version: 1,
    ...over,
    lines
  })
}

export interface EnvelopeOverrides {
  readonly claim?: Claim.Claim
  readonly patient?: Patient.Patient
  readonly coverage?: Coverage.Coverage
  readonly payer?: Payer.Payer
  readonly billingProvider?: Organization.Organization
  readonly rendering?: Clinician.Clinician
  readonly supervising?: Clinician.Clinician
}

export const envelope = (id: string, over: EnvelopeOverrides = {}): Clearinghouse.ClaimEnvelope => ({
  claim: over.claim ?? claim(id),
  patient: over.patient ?? patient(),
  coverage: over.coverage ?? coverage(),
  payer: over.payer ?? payer(),
  billingProvider: over.billingProvider ?? organization(),
  rendering: over.rendering ?? clinician(),
  ...(over.supervising === undefined ? {} : { supervising: over.supervising })
})

export const batch = (
  key: string,
  claims: ReadonlyArray<Clearinghouse.ClaimEnvelope>,
  createdAt = 1_740_000_000_000
): Clearinghouse.ClaimBatch => ({
  key: submissionKey(key),
  tenantId,
  createdAt,
  claims: claims as Clearinghouse.ClaimBatch["claims"]
})

/** An eligibility request for a seeded member. */
export const eligibilityRequest = (over: { readonly memberId?: string; readonly payerId?: string } = {}) => ({
  payerId: over.payerId ?? jordan.payerId,
  provider: { npi: Schema.decodeUnknownSync(Npi.Npi)("1234567893") },
  subscriber: {
    memberId: over.memberId ?? jordan.memberId,
    firstName: jordan.firstName,
    lastName: jordan.lastName,
    dateOfBirth: DateOfService.make(jordan.dateOfBirth)
  },
  dateOfService: DateOfService.make("2025-02-10"),
  serviceTypes: ["MH"]
})
