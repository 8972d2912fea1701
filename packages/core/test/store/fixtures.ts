/**
 * Valid records for the Store contract suite, each decoded through its schema, for a given tenant. Every id is
 * fresh (a counter and a random suffix), because the SQL implementations share one database across tests: a test
 * never assumes an empty store, only a tenant nobody else has used.
 *
 * The patient's PHI is made of words found nowhere else (`phi`), so a test can look for them in audit events and
 * error messages.
 */
import {
  Authorization,
  Claim,
  Clinician,
  Coverage,
  Denial,
  FeeSchedule,
  Ids,
  Organization,
  Patient,
  PatientLedger,
  Payer,
  Remittance,
  RulePack,
  Session,
  Submission
} from "@openrcm/core"
import { Schema } from "effect"

let counter = 0

/** A fresh id: lowercase letters, digits and '-', unique across the run and across runs sharing a database. */
export const unique = (prefix: string): string => {
  counter += 1
  return `${prefix}-${String(counter).padStart(5, "0")}-${crypto.randomUUID().slice(0, 8)}`
}

export const tenantId = (prefix = "tenant"): Ids.TenantId => Schema.decodeUnknownSync(Ids.TenantId)(unique(prefix))
export const patientId = (id = unique("pat")): Ids.PatientId => Schema.decodeUnknownSync(Ids.PatientId)(id)
export const coverageId = (id = unique("cov")): Ids.CoverageId => Schema.decodeUnknownSync(Ids.CoverageId)(id)
export const clinicianId = (id = unique("cln")): Ids.ClinicianId => Schema.decodeUnknownSync(Ids.ClinicianId)(id)
export const payerId = (id = unique("pay")): Ids.PayerId => Schema.decodeUnknownSync(Ids.PayerId)(id)
export const sessionId = (id = unique("ses")): Ids.SessionId => Schema.decodeUnknownSync(Ids.SessionId)(id)
export const authorizationId = (id = unique("aut")): Ids.AuthorizationId =>
  Schema.decodeUnknownSync(Ids.AuthorizationId)(id)
export const claimId = (id = unique("clm")): Ids.ClaimId => Schema.decodeUnknownSync(Ids.ClaimId)(id)
export const remittanceId = (id = unique("rem")): Ids.RemittanceId => Schema.decodeUnknownSync(Ids.RemittanceId)(id)
export const denialId = (id = unique("den")): Denial.DenialId => Schema.decodeUnknownSync(Denial.DenialId)(id)
export const submissionKey = (id = unique("sub")): Submission.SubmissionKey =>
  Schema.decodeUnknownSync(Submission.SubmissionKey)(id)
export const rulePackId = (id = unique("pack")): string => id
export const postingId = (id = unique("post")): string => id
export const ledgerEntryId = (id = unique("led")): string => id
/** A member id of letters, digits and '-', unique like the ids. */
export const memberId = (): string => unique("MBR-ZQ").toUpperCase()
/** A hex SHA-256-shaped content hash, unique. */
export const contentHash = (): string => (crypto.randomUUID() + crypto.randomUUID()).replaceAll("-", "")

/** The fixture patient's PHI: words and dates that appear nowhere else in a test's data. */
export const phi = {
  firstName: "Zephyrina",
  lastName: "Quillfeather",
  dateOfBirth: "1987-04-23",
  phone: "555-0147-882",
  line1: "4471 Larkspur Hollow",
  city: "Wrenbrookvale",
  subscriberFirstName: "Marguerite",
  subscriberDateOfBirth: "1959-11-02",
  diagnoses: ["F43.12", "F40.241"],
  payloadName: "QUILLFEATHER*ZEPHYRINA",
  note: "Zephyrina Quillfeather phoned about the denial"
} as const

type Overrides = Record<string, unknown>

export const patient = (tenant: Ids.TenantId, over: Overrides = {}): Patient.Patient =>
  Schema.decodeUnknownSync(Patient.Patient)({
    id: patientId(),
    tenantId: tenant,
    firstName: phi.firstName,
    lastName: phi.lastName,
    dateOfBirth: phi.dateOfBirth,
    sex: "F",
    address: { line1: phi.line1, city: phi.city, state: "OR", postalCode: "97213" },
    phone: phi.phone,
    ...over
  })

export const coverage = (
  tenant: Ids.TenantId,
  over: Overrides & {
    patientId?: Ids.PatientId | undefined
    payerId?: Ids.PayerId | undefined
    memberId?: string | undefined
  } = {}
): Coverage.Coverage =>
  Schema.decodeUnknownSync(Coverage.Coverage)({
    id: coverageId(),
    tenantId: tenant,
    patientId: patientId(),
    payerId: payerId(),
    memberId: memberId(),
    groupNumber: "GRP-100",
    plan: "PPO",
    order: 1,
    subscriber: {
      relationship: "19",
      firstName: phi.subscriberFirstName,
      lastName: phi.lastName,
      dateOfBirth: phi.subscriberDateOfBirth
    },
    period: { start: "2025-01-01", end: "2025-12-31" },
    planYearStart: "01-01",
    ...over
  })

export const clinician = (tenant: Ids.TenantId, over: Overrides = {}): Clinician.Clinician =>
  Schema.decodeUnknownSync(Clinician.Clinician)({
    id: clinicianId(),
    tenantId: tenant,
    npi: "1234567893",
    firstName: "Ada",
    lastName: "Therapist",
    credential: "LCSW",
    taxonomy: "1041C0700X",
    licenses: [{ state: "OR", number: "L-1234", credential: "LCSW", expires: "2026-12-31" }],
    supervisedBy: [],
    ...over
  })

export const organizationId = (id = unique("org")): Ids.OrganizationId =>
  Schema.decodeUnknownSync(Ids.OrganizationId)(id)
export const feeScheduleId = (id = unique("fees")): string => id

export const organization = (tenant: Ids.TenantId, over: Overrides = {}): Organization.Organization =>
  Schema.decodeUnknownSync(Organization.Organization)({
    id: organizationId(),
    tenantId: tenant,
    name: "Riverbend Behavioral Health",
    npi: "1245319599",
    tin: "123456789",
    taxonomy: "261QM0801X",
    facilityType: "office",
    address: { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" },
    ...over
  })

export const feeSchedule = (tenant: Ids.TenantId, over: Overrides = {}): FeeSchedule.FeeSchedule =>
  Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)({
    id: feeScheduleId(),
    tenantId: tenant,
    rates: { "90834": 13500, "90837": 18000, "90785": 1800 },
    ...over
  })

export const payer = (tenant: Ids.TenantId, over: Overrides = {}): Payer.Payer =>
  Schema.decodeUnknownSync(Payer.Payer)({
    id: payerId(),
    tenantId: tenant,
    name: "Acme Health",
    x12PayerId: "ACME1",
    kind: { _tag: "Commercial" },
    rulePack: "acme-health",
    ...over
  })

export const rulePack = (over: Overrides = {}): RulePack.RulePack =>
  Schema.decodeUnknownSync(RulePack.RulePack)({
    id: rulePackId(),
    version: "2025.1.0",
    name: "Tenant pack",
    layer: "payer",
    extends: "cms-2025",
    effective: { from: "2025-01-01" },
    settings: { unitRounding: "cpt_midpoint" },
    ...over
  })

export const session = (
  tenant: Ids.TenantId,
  over: Overrides & { patientId?: Ids.PatientId | undefined } = {}
): Session.TrackedSession =>
  Schema.decodeUnknownSync(Session.TrackedSession)({
    id: sessionId(),
    tenantId: tenant,
    patientId: patientId(),
    rulePack: "acme-health",
    service: "psychotherapy",
    timeZone: "America/Chicago",
    clinicians: [{ clinicianId: clinicianId(), credential: "LCSW", bills: true }],
    delivery: { mode: "in-person" },
    status: "completed",
    segments: [{ kind: "service", startedAt: 1_741_100_400_000, endedAt: 1_741_103_100_000 }],
    interactiveComplexity: false,
    crisis: false,
    dateOfService: "2025-03-04",
    ...over
  })

export const authorization = (
  tenant: Ids.TenantId,
  over: Overrides & { patientId?: Ids.PatientId | undefined; payerId?: Ids.PayerId | undefined } = {}
): Authorization.Authorization =>
  Schema.decodeUnknownSync(Authorization.Authorization)({
    id: authorizationId(),
    tenantId: tenant,
    patientId: patientId(),
    payerId: payerId(),
    number: "PA-0001",
    codes: ["90834", "90837"],
    unitType: "sessions",
    approved: 12,
    period: { start: "2025-01-01", end: "2025-06-30" },
    status: "approved",
    ...over
  })

export const ledgerEntry = (over: Overrides & { authorizationId: Ids.AuthorizationId }): Authorization.LedgerEntry =>
  Schema.decodeUnknownSync(Authorization.LedgerEntry)({
    sessionId: sessionId(),
    dateOfService: "2025-03-04",
    units: 1,
    kind: "reserved",
    ...over
  })

export const claim = (
  tenant: Ids.TenantId,
  over: Overrides & {
    id?: Ids.ClaimId | undefined
    patientId?: Ids.PatientId | undefined
    payerId?: Ids.PayerId | undefined
    status?: Claim.Status | undefined
    serviceDate?: string | undefined
    balance?: number | undefined
  } = {}
): Claim.Claim => {
  const serviceDate = over.serviceDate ?? "2025-03-04"
  return Schema.decodeUnknownSync(Claim.Claim)({
    id: claimId(),
    tenantId: tenant,
    patientId: patientId(),
    coverageId: coverageId(),
    payerId: payerId(),
    billingProviderId: "org-1",
    renderingClinicianId: clinicianId(),
    status: "draft",
    frequency: "1",
    serviceDate,
    placeOfService: "11",
    diagnoses: phi.diagnoses,
    lines: [
      {
        code: "90834",
        modifiers: [],
        units: 1,
        charge: 15000,
        dateOfService: serviceDate,
        placeOfService: "11",
        diagnosisPointers: [1, 2]
      }
    ],
    charge: 15000,
    balance: 15000,
    createdAt: 1_741_200_000_000,
    version: 0,
    ...over
  })
}

export const submission = (
  tenant: Ids.TenantId,
  over: Overrides & { claimIds?: ReadonlyArray<Ids.ClaimId> | undefined; createdAt?: number | undefined } = {}
): Submission.Submission =>
  Schema.decodeUnknownSync(Submission.Submission)({
    key: submissionKey(),
    tenantId: tenant,
    claimIds: [claimId()],
    payload: `ISA*00*~NM1*IL*1*${phi.payloadName}****MI*X~`,
    status: "pending",
    attempts: 0,
    createdAt: 1_741_200_000_000,
    ...over
  })

export const remittance = (tenant: Ids.TenantId, over: Overrides = {}): Remittance.Remittance =>
  Schema.decodeUnknownSync(Remittance.Remittance)({
    id: remittanceId(),
    tenantId: tenant,
    contentHash: contentHash(),
    payerId: payerId(),
    paymentMethod: "ACH",
    paymentAmount: 12000,
    traceNumber: "TRN-0001",
    paymentDate: "2025-04-01",
    receivedAt: 1_743_500_000_000,
    claimCount: 1,
    ...over
  })

export const posting = (
  over: Overrides & { remittanceId: Ids.RemittanceId; claimId?: Ids.ClaimId | undefined }
): Remittance.Posting =>
  Schema.decodeUnknownSync(Remittance.Posting)({
    id: postingId(),
    line: 0,
    kind: "payment",
    amount: 12000,
    postedAt: 1_743_500_000_000,
    ...over
  })

export const denial = (
  tenant: Ids.TenantId,
  over: Overrides & {
    id?: Denial.DenialId | undefined
    payerId?: Ids.PayerId | undefined
    priority?: number | undefined
    status?: Denial.Status | undefined
    assignee?: string | undefined
    version?: number | undefined
  } = {}
): Denial.Denial =>
  Schema.decodeUnknownSync(Denial.Denial)({
    id: denialId(),
    tenantId: tenant,
    claimId: claimId(),
    payerId: payerId(),
    group: "CO",
    carc: "197",
    rarcs: ["N54"],
    amount: 15000,
    deadline: "2025-07-01",
    priority: 10,
    status: "open",
    notes: [{ at: 1_743_500_000_000, actor: "user:test", text: phi.note }],
    createdAt: 1_743_500_000_000,
    version: 0,
    ...over
  })

export const patientLedgerEntry = (
  tenant: Ids.TenantId,
  over: Overrides & {
    patientId?: Ids.PatientId | undefined
    amount?: number | undefined
    kind?: PatientLedger.Kind | undefined
  } = {}
): PatientLedger.Entry =>
  Schema.decodeUnknownSync(PatientLedger.Entry)({
    id: ledgerEntryId(),
    tenantId: tenant,
    patientId: patientId(),
    kind: "copay",
    amount: 2500,
    at: 1_743_500_000_000,
    ...over
  })
