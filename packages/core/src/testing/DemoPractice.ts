/**
 * A synthetic demo practice for Storybook, the playground and end-to-end tests: an organization, clinicians of
 * several credentials (a supervised associate among them), Medicare, a state Medicaid program, two commercial plans
 * and self-pay, fee schedules, patients with coverages (some with a secondary), authorizations in every state
 * (plenty left, nearly used up, expired, missing), and five months of history written through the real Billing
 * operations: sessions coded, claims built, scrubbed, submitted and answered, remittances posted with payments,
 * patient shares and denials of several categories. It runs on any Store (in memory, PGlite) and needs no Node
 * API; dates count back from `today`, and the same options give the same data. No real person's data.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Layer, Option, Schema } from "effect"
import { Authorization, type Visit as AuthorizationVisit, type LedgerEntry } from "../Authorization.js"
import * as Billing from "../Billing.js"
import { Caller, type CallerInfo } from "../Caller.js"
import type * as Claim from "../Claim.js"
import { CodedSession } from "../ClaimBuild.js"
import type { Clearinghouse } from "../Clearinghouse.js"
import { Clinician } from "../Clinician.js"
import { Coverage } from "../Coverage.js"
import type { Credential } from "../Credential.js"
import * as DateOfService from "../DateOfService.js"
import * as Denial from "../Denial.js"
import { DiagnosisCode } from "../Diagnosis.js"
import type { Benefit } from "../Eligibility.js"
import { FeeSchedule } from "../FeeSchedule.js"
import {
  AuthorizationId,
  type ClaimId,
  ClinicianId,
  CoverageId,
  OrganizationId,
  PatientId,
  PayerId,
  SessionId,
  TenantId
} from "../Ids.js"
import type { EpochMillis } from "../Instant.js"
import { Fnv64 } from "../internal/fnv.js"
import * as Money from "../Money.js"
import { checkDigit } from "../Npi.js"
import { Organization } from "../Organization.js"
import { Patient } from "../Patient.js"
import * as PatientLedger from "../PatientLedger.js"
import { Payer } from "../Payer.js"
import type { RemittanceAdvice } from "../RemittanceAdvice.js"
import * as RulePack from "../RulePack.js"
import * as RuleSet from "../RuleSet.js"
import * as Session from "../Session.js"
import * as Store from "../Store.js"
import * as InMemoryClearinghouse from "./InMemoryClearinghouse.js"
import * as InMemoryStore from "./InMemoryStore.js"

// ---------------------------------------------------------------------------------------------------------------
// The notable records
// ---------------------------------------------------------------------------------------------------------------

const decode =
  <S extends Schema.Codec<unknown, string>>(schema: S) =>
  (text: string): S["Type"] =>
    Schema.decodeUnknownSync(schema)(text)

const tenant = decode(TenantId)
const clinician = decode(ClinicianId)
const payer = decode(PayerId)
const patient = decode(PatientId)
const coverage = decode(CoverageId)
const authorization = decode(AuthorizationId)

/**
 * The ids of the demo's records, so stories and end-to-end tests can name them. Patients are named by what they
 * show.
 *
 * @since 0.1.0
 */
export const ids = {
  /** The tenant `layer` seeds (`seed` writes into the caller's tenant). */
  tenantId: tenant("demo-practice"),
  organizationId: decode(OrganizationId)("demo-org"),
  clinicians: {
    /** MD, bills E/M with psychotherapy. */
    psychiatrist: clinician("demo-cln-psychiatrist"),
    /** PhD, psychological testing and psychotherapy. */
    psychologist: clinician("demo-cln-psychologist"),
    lcsw: clinician("demo-cln-lcsw"),
    lpc: clinician("demo-cln-lpc"),
    lmft: clinician("demo-cln-lmft"),
    /** An LMSW supervised by the LCSW: claims name the supervisor. */
    associate: clinician("demo-cln-associate")
  },
  payers: {
    medicare: payer("demo-pay-medicare"),
    medicaid: payer("demo-pay-medicaid"),
    acmePpo: payer("demo-pay-acme-ppo"),
    acmeHmo: payer("demo-pay-acme-hmo"),
    selfPay: payer("demo-pay-self")
  },
  patients: {
    /** Acme HMO, an authorization with plenty of sessions left. */
    authorizationPlentyLeft: patient("demo-pat-plenty"),
    /** Medicaid, an authorization with two sessions left and one booked. */
    authorizationNearlyUsedUp: patient("demo-pat-nearly"),
    /** Acme HMO, the authorization ended ten days ago; a later claim is held by the scrubber (a category diagnosis). */
    authorizationExpired: patient("demo-pat-expired"),
    /** Medicaid past its 30 visits with no authorization; the payer denied the last claim (CO-197). */
    authorizationMissing: patient("demo-pat-missing"),
    /** Medicare primary, Medicaid secondary. */
    dualEligible: patient("demo-pat-dual"),
    /** Acme PPO primary, Acme HMO secondary (the spouse's plan); a coordination-of-benefits denial. */
    secondaryCoverage: patient("demo-pat-secondary"),
    /** No insurance: self-pay charges, a payment and a no-show fee on the ledger. */
    selfPay: patient("demo-pat-selfpay"),
    /** Acme PPO, medication management with the psychiatrist (E/M + psychotherapy); one line denied. */
    medicationManagement: patient("demo-pat-medmgmt"),
    /** Medicare, psychotherapy with the psychologist; a medical-necessity denial appealed. */
    medicare: patient("demo-pat-medicare"),
    /**
     * Acme PPO, family therapy by video with the LMFT: a duplicate denial, a claim the payer's front end rejected, a
     * claim held by the scrubber for its missing telehealth modifier (a one-click fix), one in the outbox.
     */
    family: patient("demo-pat-family"),
    /** Medicaid, seen by the supervised associate; the authorization ends in ten days, most of it unused. */
    supervised: patient("demo-pat-supervised"),
    /** Acme PPO with the LPC; an eligibility denial and a timely-filing denial, a deductible owed. */
    eligibilityDenied: patient("demo-pat-eligibility")
  },
  coverages: {
    plentyLeft: coverage("demo-cov-plenty"),
    nearlyUsedUp: coverage("demo-cov-nearly"),
    expired: coverage("demo-cov-expired"),
    missing: coverage("demo-cov-missing"),
    dualPrimary: coverage("demo-cov-dual-1"),
    dualSecondary: coverage("demo-cov-dual-2"),
    secondaryPrimary: coverage("demo-cov-secondary-1"),
    secondarySecondary: coverage("demo-cov-secondary-2"),
    medicationManagement: coverage("demo-cov-medmgmt"),
    medicare: coverage("demo-cov-medicare"),
    family: coverage("demo-cov-family"),
    supervised: coverage("demo-cov-supervised"),
    eligibilityDenied: coverage("demo-cov-eligibility")
  },
  authorizations: {
    plentyLeft: authorization("demo-auth-plenty"),
    nearlyUsedUp: authorization("demo-auth-nearly"),
    expired: authorization("demo-auth-expired"),
    /** The supervised patient's: ends in ten days with most of it unused. */
    expiringSoon: authorization("demo-auth-expiring")
  }
} as const

/**
 * The practice's time zone: dates of service are read in it.
 *
 * @since 0.1.0
 */
export const timeZone = "America/Detroit"

/**
 * The actor the seed writes as (in the audit trail): a system job, never a person.
 *
 * @since 0.1.0
 */
export const actor = "job:demo-seed"

/**
 * @since 0.1.0
 */
export type ClinicianKey = keyof typeof ids.clinicians
/**
 * @since 0.1.0
 */
export type PayerKey = keyof typeof ids.payers
/**
 * @since 0.1.0
 */
export type PatientKey = keyof typeof ids.patients

// ---------------------------------------------------------------------------------------------------------------
// The practice, as data
// ---------------------------------------------------------------------------------------------------------------

const npi = (firstNine: string): string => `${firstNine}${checkDigit(firstNine)}`

const clinicianSpecs: ReadonlyArray<{
  readonly key: ClinicianKey
  readonly firstName: string
  readonly lastName: string
  readonly credential: Credential
  readonly taxonomy: string
  readonly npi: string
}> = [
  {
    key: "psychiatrist",
    firstName: "Imani",
    lastName: "Demo-Okafor",
    credential: "MD",
    taxonomy: "2084P0800X",
    npi: npi("190000001")
  },
  {
    key: "psychologist",
    firstName: "Theo",
    lastName: "Demo-Lindqvist",
    credential: "PhD",
    taxonomy: "103TC0700X",
    npi: npi("190000002")
  },
  {
    key: "lcsw",
    firstName: "Rosa",
    lastName: "Demo-Alvarez",
    credential: "LCSW",
    taxonomy: "1041C0700X",
    npi: npi("190000003")
  },
  {
    key: "lpc",
    firstName: "Sam",
    lastName: "Demo-Whitfield",
    credential: "LPC",
    taxonomy: "101YP2500X",
    npi: npi("190000004")
  },
  {
    key: "lmft",
    firstName: "June",
    lastName: "Demo-Nakamura",
    credential: "LMFT",
    taxonomy: "106H00000X",
    npi: npi("190000005")
  },
  {
    key: "associate",
    firstName: "Avery",
    lastName: "Demo-Brooks",
    credential: "LMSW",
    taxonomy: "1041C0700X",
    npi: npi("190000006")
  }
]

const payerSpecs: ReadonlyArray<{
  readonly key: PayerKey
  readonly name: string
  readonly x12PayerId?: string
  readonly kind: Payer["kind"]
  readonly rulePack: string
}> = [
  {
    key: "medicare",
    name: "Medicare Part B (demo)",
    x12PayerId: "DEMO-MCR",
    kind: { _tag: "Medicare" },
    rulePack: "medicare"
  },
  {
    key: "medicaid",
    name: "State Medicaid Behavioral Health (demo)",
    x12PayerId: "DEMO-MCD",
    kind: { _tag: "Medicaid", state: "MI", program: "Behavioral Health" },
    rulePack: "state-medicaid-example"
  },
  {
    key: "acmePpo",
    name: "Acme Health PPO (demo)",
    x12PayerId: "ACME1",
    kind: { _tag: "Commercial" },
    rulePack: "acme-health"
  },
  {
    key: "acmeHmo",
    name: "Acme Health HMO (demo)",
    x12PayerId: "ACME2",
    kind: { _tag: "Commercial" },
    rulePack: "acme-health-hmo"
  },
  { key: "selfPay", name: "Self-pay", kind: { _tag: "SelfPay" }, rulePack: "cpt-base" }
]

/** The practice's charges (cents a unit), and the payers' contracted charges where they differ. */
const defaultRates: Record<string, number> = {
  "90791": 22000,
  "90792": 26000,
  "90832": 9500,
  "90833": 8500,
  "90834": 14000,
  "90836": 11000,
  "90837": 18500,
  "90838": 14500,
  "90839": 21000,
  "90840": 9500,
  "90846": 12500,
  "90847": 13500,
  "90853": 5500,
  "90785": 2000,
  "96130": 19000,
  "96131": 15000,
  "99213": 12000,
  "99214": 17000
}

const payerRates: ReadonlyArray<{ readonly payer: PayerKey; readonly factor: number }> = [
  { payer: "medicare", factor: 0.8 },
  { payer: "medicaid", factor: 0.7 }
]

/** What each payer allows of a charge, and the patient's share it assigns. */
const adjudication: Record<
  Exclude<PayerKey, "selfPay">,
  { readonly allowed: number; readonly lagDays: number; readonly share: "copay" | "coinsurance" | "none" }
> = {
  medicare: { allowed: 0.85, lagDays: 14, share: "coinsurance" },
  medicaid: { allowed: 0.9, lagDays: 21, share: "none" },
  acmePpo: { allowed: 0.78, lagDays: 18, share: "copay" },
  acmeHmo: { allowed: 0.74, lagDays: 24, share: "copay" }
}

/** The commercial plans' copay for a visit, in cents (their 835s and their 271s agree). */
const commercialCopay = 3000

/** A self-pay visit's fee (the practice's sliding scale has it below its insurance charge), and a no-show's. */
const selfPayRate = 12000
const noShowFee = 5000

type Visit = "therapy30" | "therapy45" | "therapy53" | "intake" | "medication" | "family" | "testing"

const visits: Record<
  Visit,
  {
    readonly service: string
    readonly minutes: number
    readonly em?: { readonly code: string; readonly minutes: number }
  }
> = {
  therapy30: { service: "psychotherapy", minutes: 31 },
  therapy45: { service: "psychotherapy", minutes: 46 },
  therapy53: { service: "psychotherapy", minutes: 55 },
  intake: { service: "diagnostic-evaluation", minutes: 60 },
  medication: { service: "psychotherapy", minutes: 25, em: { code: "99214", minutes: 20 } },
  family: { service: "family-with-patient", minutes: 50 },
  testing: { service: "psychological-testing-evaluation", minutes: 75 }
}

/** How a claim ends at its payer (absent: paid, with the payer's patient share). */
type Outcome =
  | {
      readonly _tag: "Denied"
      readonly carc: string
      readonly remarks?: ReadonlyArray<string>
      readonly worked?: Follow
    }
  /** The claim's second line denied, the first paid. */
  | { readonly _tag: "LineDenied"; readonly carc: string; readonly remarks?: ReadonlyArray<string> }
  /** Paid with a deductible owed by the patient (PR-1). */
  | { readonly _tag: "Deductible"; readonly amount: number }
  /**
   * Built with a mistake the scrubber blocks: these diagnoses (a category where a billable code is needed), or the
   * lines' modifiers left off (the payer's telehealth modifier: a certain, one-click fix).
   */
  | {
      readonly _tag: "Blocked"
      readonly diagnoses?: ReadonlyArray<string>
      readonly withoutModifiers?: true
    }
  /** The clearinghouse's payer front end rejects it (277CA). */
  | { readonly _tag: "Rejected" }
  /** Stops before submission: built only, or scrubbed and ready, or queued in the outbox and not yet sent. */
  | { readonly _tag: "Hold"; readonly at: "draft" | "ready" | "queued" }

type Follow = "appeal" | "correct"

interface CoverageSpec {
  readonly id: CoverageId
  readonly payer: Exclude<PayerKey, "selfPay">
  readonly order: 1 | 2
  readonly memberId: string
  readonly plan: string
  readonly groupNumber?: string
  /** When another person subscribes: a spouse (01) or a parent of the patient (19), with the patient's last name. */
  readonly subscriber?: {
    readonly relationship: "01" | "19"
    readonly firstName: string
    readonly dateOfBirth: string
  }
  /** Days from today: when the coverage started and ends. */
  readonly period: readonly [number, number]
}

interface PatientSpec {
  readonly key: PatientKey
  readonly firstName: string
  readonly lastName: string
  readonly dateOfBirth: string
  readonly sex: "F" | "M" | "U"
  readonly street: string
  readonly coverages: ReadonlyArray<CoverageSpec>
  readonly clinician: ClinicianKey
  readonly visit: Visit
  readonly diagnoses: ReadonlyArray<string>
  readonly delivery?: "video"
  /** Days from today (negative) of sessions held and billed. */
  readonly history: ReadonlyArray<number>
  /** Days from today (0 or more) of sessions booked. */
  readonly booked: ReadonlyArray<number>
  /** Days of the history the patient did not come (a no-show fee, never billed to insurance). */
  readonly noShows?: ReadonlyArray<number>
  /** Self-pay: days of the history the patient paid the visit on the spot. */
  readonly paidOnTheSpot?: ReadonlyArray<number>
  /** Outcomes by day of the history; the others are paid. */
  readonly outcomes?: Readonly<Record<number, Outcome>>
}

const year: readonly [number, number] = [-300, 365]

const patientSpecs: ReadonlyArray<PatientSpec> = [
  {
    key: "authorizationPlentyLeft",
    firstName: "Ava",
    lastName: "Sampleton",
    dateOfBirth: "1991-03-14",
    sex: "F",
    street: "12 Placeholder Lane",
    coverages: [
      {
        id: ids.coverages.plentyLeft,
        payer: "acmeHmo",
        order: 1,
        memberId: "DEMO-HMO-1001",
        plan: "Acme HMO Silver",
        groupNumber: "DEMO-G-200",
        period: year
      }
    ],
    clinician: "lcsw",
    visit: "therapy53",
    diagnoses: ["F33.1", "F41.1"],
    history: [-63, -56, -49, -42, -35, -28, -21, -14, -7],
    booked: [0, 7, 14]
  },
  {
    key: "authorizationNearlyUsedUp",
    firstName: "Ben",
    lastName: "Fictive",
    dateOfBirth: "1984-11-02",
    sex: "M",
    street: "48 Notreal Avenue",
    coverages: [
      {
        id: ids.coverages.nearlyUsedUp,
        payer: "medicaid",
        order: 1,
        memberId: "DEMO-MCD-2002",
        plan: "Medicaid Behavioral Health",
        period: year
      }
    ],
    clinician: "lpc",
    visit: "therapy45",
    diagnoses: ["F43.10"],
    history: [-84, -77, -70, -63, -56, -49, -42, -35, -28, -21],
    booked: [2, 9]
  },
  {
    key: "authorizationExpired",
    firstName: "Cora",
    lastName: "Mockley",
    dateOfBirth: "1978-06-30",
    sex: "F",
    street: "7 Imaginary Court",
    coverages: [
      {
        id: ids.coverages.expired,
        payer: "acmeHmo",
        order: 1,
        memberId: "DEMO-HMO-3003",
        plan: "Acme HMO Silver",
        groupNumber: "DEMO-G-200",
        period: year
      }
    ],
    clinician: "lcsw",
    visit: "therapy45",
    diagnoses: ["F32.1"],
    history: [-75, -61, -47, -33, -19, -5],
    booked: [9],
    outcomes: { [-5]: { _tag: "Blocked", diagnoses: ["F32"] } }
  },
  {
    key: "authorizationMissing",
    firstName: "Dev",
    lastName: "Testwell",
    dateOfBirth: "1995-01-21",
    sex: "M",
    street: "301 Example Street",
    coverages: [
      {
        id: ids.coverages.missing,
        payer: "medicaid",
        order: 1,
        memberId: "DEMO-MCD-4004",
        plan: "Medicaid Behavioral Health",
        period: year
      }
    ],
    clinician: "lmft",
    visit: "therapy45",
    diagnoses: ["F90.2", "F41.1"],
    history: [-52, -38, -24, -10],
    booked: [4],
    outcomes: { [-24]: { _tag: "Denied", carc: "197", remarks: ["N54"] } }
  },
  {
    key: "dualEligible",
    firstName: "Eli",
    lastName: "Placeholder",
    dateOfBirth: "1952-09-09",
    sex: "M",
    street: "9 Sample Road",
    coverages: [
      {
        id: ids.coverages.dualPrimary,
        payer: "medicare",
        order: 1,
        memberId: "1EG4TE5MK72",
        plan: "Medicare Part B",
        period: year
      },
      {
        id: ids.coverages.dualSecondary,
        payer: "medicaid",
        order: 2,
        memberId: "DEMO-MCD-5005",
        plan: "Medicaid (secondary)",
        period: year
      }
    ],
    clinician: "psychiatrist",
    visit: "medication",
    diagnoses: ["F31.81", "F41.1"],
    history: [-118, -90, -62, -34, -6],
    booked: [22]
  },
  {
    key: "secondaryCoverage",
    firstName: "Fay",
    lastName: "Synthetica",
    dateOfBirth: "1988-12-05",
    sex: "F",
    street: "55 Fabricated Way",
    coverages: [
      {
        id: ids.coverages.secondaryPrimary,
        payer: "acmePpo",
        order: 1,
        memberId: "DEMO-PPO-6006",
        plan: "Acme PPO Gold",
        groupNumber: "DEMO-G-100",
        period: year
      },
      {
        id: ids.coverages.secondarySecondary,
        payer: "acmeHmo",
        order: 2,
        memberId: "DEMO-HMO-6106",
        plan: "Acme HMO Silver",
        groupNumber: "DEMO-G-300",
        subscriber: { relationship: "01", firstName: "Gale", dateOfBirth: "1986-02-17" },
        period: year
      }
    ],
    clinician: "lpc",
    visit: "therapy53",
    diagnoses: ["F43.23"],
    history: [-96, -82, -68, -54, -40],
    booked: [1],
    outcomes: { [-54]: { _tag: "Denied", carc: "22", remarks: ["MA04"], worked: "correct" } }
  },
  {
    key: "selfPay",
    firstName: "Gus",
    lastName: "Examplar",
    dateOfBirth: "1999-07-04",
    sex: "M",
    street: "2 Pretend Place",
    coverages: [],
    clinician: "lmft",
    visit: "therapy53",
    diagnoses: ["F41.1"],
    history: [-45, -31, -17, -3],
    booked: [11],
    noShows: [-17],
    paidOnTheSpot: [-45, -31]
  },
  {
    key: "medicationManagement",
    firstName: "Hana",
    lastName: "Demoire",
    dateOfBirth: "1983-04-18",
    sex: "F",
    street: "88 Madeup Boulevard",
    coverages: [
      {
        id: ids.coverages.medicationManagement,
        payer: "acmePpo",
        order: 1,
        memberId: "DEMO-PPO-8008",
        plan: "Acme PPO Gold",
        groupNumber: "DEMO-G-100",
        period: year
      }
    ],
    clinician: "psychiatrist",
    visit: "medication",
    diagnoses: ["F33.1", "F90.0"],
    history: [-150, -120, -92, -64, -36, -8],
    booked: [20],
    outcomes: {
      [-64]: { _tag: "LineDenied", carc: "11", remarks: ["M76"] },
      [-36]: { _tag: "Deductible", amount: 4500 }
    }
  },
  {
    key: "medicare",
    firstName: "Ivo",
    lastName: "Fakename",
    dateOfBirth: "1949-10-27",
    sex: "M",
    street: "14 Hypothetical Drive",
    coverages: [
      {
        id: ids.coverages.medicare,
        payer: "medicare",
        order: 1,
        memberId: "2FK7TR3NP41",
        plan: "Medicare Part B",
        period: year
      }
    ],
    clinician: "psychologist",
    visit: "therapy53",
    diagnoses: ["F33.2"],
    history: [-132, -104, -76, -48, -20, -2],
    booked: [12],
    outcomes: {
      [-76]: { _tag: "Denied", carc: "50", remarks: ["N115"], worked: "appeal" },
      [-2]: { _tag: "Hold", at: "ready" }
    }
  },
  {
    key: "family",
    firstName: "Jun",
    lastName: "Notreal",
    dateOfBirth: "2009-05-12",
    sex: "F",
    street: "31 Sandbox Street",
    coverages: [
      {
        id: ids.coverages.family,
        payer: "acmePpo",
        order: 1,
        memberId: "DEMO-PPO-1010",
        plan: "Acme PPO Gold",
        groupNumber: "DEMO-G-100",
        subscriber: { relationship: "19", firstName: "Kai", dateOfBirth: "1979-08-08" },
        period: year
      }
    ],
    clinician: "lmft",
    visit: "family",
    diagnoses: ["F43.22", "F90.0"],
    delivery: "video",
    history: [-110, -88, -66, -44, -22, -8, -1],
    booked: [6],
    outcomes: {
      [-8]: { _tag: "Blocked", withoutModifiers: true },
      [-44]: { _tag: "Denied", carc: "18", remarks: ["N522"] },
      [-22]: { _tag: "Rejected" },
      [-1]: { _tag: "Hold", at: "queued" }
    }
  },
  {
    key: "supervised",
    firstName: "Kit",
    lastName: "Dummyworth",
    dateOfBirth: "1972-02-29",
    sex: "U",
    street: "6 Trial Terrace",
    coverages: [
      {
        id: ids.coverages.supervised,
        payer: "medicaid",
        order: 1,
        memberId: "DEMO-MCD-1111",
        plan: "Medicaid Behavioral Health",
        period: year
      }
    ],
    clinician: "associate",
    visit: "therapy45",
    diagnoses: ["F10.20", "F32.0"],
    history: [-140, -112, -70, -30, -16, 0],
    booked: [7],
    outcomes: { 0: { _tag: "Hold", at: "draft" } }
  },
  {
    key: "eligibilityDenied",
    firstName: "Lou",
    lastName: "Pretendo",
    dateOfBirth: "1990-08-19",
    sex: "F",
    street: "77 Specimen Avenue",
    coverages: [
      {
        id: ids.coverages.eligibilityDenied,
        payer: "acmePpo",
        order: 1,
        memberId: "DEMO-PPO-1212",
        plan: "Acme PPO Gold",
        groupNumber: "DEMO-G-100",
        period: year
      }
    ],
    clinician: "lpc",
    visit: "therapy45",
    diagnoses: ["F41.0"],
    history: [-170, -128, -100, -58, -26, -12],
    booked: [3],
    outcomes: {
      [-170]: { _tag: "Denied", carc: "29", remarks: ["N211"] },
      [-100]: { _tag: "Denied", carc: "27", remarks: ["N30"], worked: "correct" },
      [-26]: { _tag: "Deductible", amount: 9000 }
    }
  }
]

const organizationName = "Juniper Hollow Behavioral Health (demo)"

/**
 * The display names of the notable records (all synthetic), for end-to-end tests and play functions that find
 * them on screen: `names.patients.authorizationNearlyUsedUp` is "Ben Fictive".
 *
 * @since 0.1.0
 */
export const names: {
  readonly organization: string
  readonly patients: Readonly<Record<PatientKey, string>>
  readonly clinicians: Readonly<Record<ClinicianKey, string>>
  readonly payers: Readonly<Record<PayerKey, string>>
} = {
  organization: organizationName,
  patients: Object.fromEntries(patientSpecs.map((p) => [p.key, `${p.firstName} ${p.lastName}`])) as Record<
    PatientKey,
    string
  >,
  clinicians: Object.fromEntries(
    clinicianSpecs.map((c) => [c.key, `${c.firstName} ${c.lastName}, ${c.credential}`])
  ) as Record<ClinicianKey, string>,
  payers: Object.fromEntries(payerSpecs.map((p) => [p.key, p.name])) as Record<PayerKey, string>
}

/** The authorizations: their patient, codes, count and period (days from today), and how many visits count. */
const authorizationSpecs: ReadonlyArray<{
  readonly id: AuthorizationId
  readonly patient: PatientKey
  readonly number: string
  readonly approved: number
  readonly period: readonly [number, number]
}> = [
  {
    id: ids.authorizations.plentyLeft,
    patient: "authorizationPlentyLeft",
    number: "DEMO-PA-1001",
    approved: 24,
    period: [-70, 110]
  },
  {
    id: ids.authorizations.nearlyUsedUp,
    patient: "authorizationNearlyUsedUp",
    number: "DEMO-PA-2002",
    approved: 12,
    period: [-90, 40]
  },
  {
    id: ids.authorizations.expired,
    patient: "authorizationExpired",
    number: "DEMO-PA-3003",
    approved: 10,
    period: [-100, -10]
  },
  {
    id: ids.authorizations.expiringSoon,
    patient: "supervised",
    number: "DEMO-PA-4004",
    approved: 12,
    period: [-60, 10]
  }
]

/** Visits before the demo's history, for the payers' "authorization after N visits" rules. */
const earlierVisits: Partial<Record<PatientKey, number>> = {
  authorizationPlentyLeft: 20,
  authorizationNearlyUsedUp: 30,
  authorizationExpired: 20,
  authorizationMissing: 30,
  supervised: 30
}

/**
 * The id of a patient's session on a day (days from today: negative for the history, 0 or more for bookings).
 *
 * @since 0.1.0
 */
export const sessionIdOf = (key: PatientKey, offset: number): SessionId =>
  decode(SessionId)(`demo-ses-${key}-${offset < 0 ? "m" : "p"}${Math.abs(offset)}`)

/** The codes a visit of each kind bills, for an authorization check before it happens. */
const visitCodes: Record<Visit, ReadonlyArray<string>> = {
  therapy30: ["90832"],
  therapy45: ["90834"],
  therapy53: ["90837"],
  intake: ["90791"],
  medication: ["99214", "90833"],
  family: ["90847"],
  testing: ["96130"]
}

/**
 * A patient's next booked visit as `Billing.checkAuthorization` takes it (with the visits already counted, for the
 * payers' "authorization after N visits" rules), with the payer's rule pack; `undefined` for a patient without
 * coverage. `DemoPractice.nextVisit("authorizationExpired", today)` checks as `Expired`.
 *
 * @since 0.1.0
 */
export const nextVisit = (
  key: PatientKey,
  today: DateOfService.DateOfService
): { readonly visit: AuthorizationVisit; readonly rulePack: string } | undefined => {
  const spec = patientSpecs.find((p) => p.key === key)
  const primary = spec?.coverages.find((c) => c.order === 1)
  if (spec === undefined || primary === undefined) return undefined
  const offset = spec.booked[0] ?? 0
  return {
    visit: {
      sessionId: sessionIdOf(key, offset),
      patientId: ids.patients[key],
      payerId: ids.payers[primary.payer],
      clinicianId: ids.clinicians[spec.clinician],
      dateOfService: DateOfService.addDays(today, offset),
      lines: visitCodes[spec.visit].map((code) => ({ code, units: 1 })) as AuthorizationVisit["lines"],
      priorVisits: (earlierVisits[key] ?? 0) + spec.history.length
    },
    rulePack: payerSpecs.find((p) => p.key === primary.payer)?.rulePack ?? "cpt-base"
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 */
export interface Options {
  /** The day the demo is "today": history counts back from it, bookings forward. Default: today in `timeZone`. */
  readonly today?: DateOfService.DateOfService | undefined
  /** Also write this many extra denials to the work queue (`seedDenials`), for a large-data story. */
  readonly denials?: number | undefined
}

/**
 * What `seed` wrote, counted.
 *
 * @since 0.1.0
 */
export interface Summary {
  /** False when the tenant already held the demo practice: `seed` wrote nothing, and counted what is there. */
  readonly written: boolean
  /** The day asked for (the history's "today" when `written`). */
  readonly today: DateOfService.DateOfService
  readonly patients: number
  readonly sessions: number
  readonly claims: number
  readonly remittances: number
  readonly denials: number
}

const hex64 = (text: string): string => [0, 1, 2, 3].map((part) => new Fnv64().feed(`${part}|${text}`).hex()).join("")

const builtinRulePacks = (): RuleSet.RulePacks["Service"] =>
  RuleSet.makeRulePacks(RuleSet.builtinPacks.map((pack) => Schema.decodeUnknownSync(RulePack.RulePack)(pack)))

/** Epoch millis of a time of day (UTC hours) on a date. */
const at = (date: DateOfService.DateOfService, hourUtc: number, minute = 0): number =>
  DateOfService.daysBetween(DateOfService.make("1970-01-01"), date) * 86_400_000 + hourUtc * 3_600_000 + minute * 60_000

/**
 * A clock the seed sets: the history's operations happen on their own days, never later than `cap` when there is
 * one. Sleeping is the real clock's.
 */
const settableClock = (real: Clock.Clock, cap: number | undefined) => {
  let now = 0
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) => real.sleep(duration)
  }
  return {
    clock,
    set: (millis: number) =>
      Effect.sync(() => {
        now = cap === undefined ? millis : Math.min(millis, cap)
      })
  }
}

const roundCents = (value: number): Money.Money => Money.cents(Math.round(value))

interface Billed {
  readonly patient: PatientSpec
  readonly date: DateOfService.DateOfService
  readonly offset: number
  readonly sessionId: SessionId
  readonly outcome: Outcome | undefined
  claimIds: ReadonlyArray<ClaimId>
  /** The claims to the patient's secondary payer, built once the primary paid. */
  secondaryIds: ReadonlyArray<ClaimId>
}

/**
 * Writes the demo practice into the caller's tenant through the Store port and the Billing operations (with the
 * built-in rule packs and an in-memory clearinghouse of its own), and counts what it wrote. A tenant that already
 * holds the demo's organization is left as it is (`written: false`): seeding a persisted store on every start is
 * safe. Seed a tenant of its own: the records' ids are fixed.
 *
 * @since 0.1.0
 */
export const seed = Effect.fn("DemoPractice.seed")(function* (options?: Options) {
  const today = options?.today ?? (yield* DateOfService.today(timeZone))
  const real = yield* Clock.Clock
  // On the real today, nothing is written later than now: the host's own writes come after the demo's.
  const { clock, set } = settableClock(real, options?.today === undefined ? real.currentTimeMillisUnsafe() : undefined)
  yield* set(at(DateOfService.addDays(today, -200), 14))
  const store = yield* Store.Store
  const found = yield* store.organizations.get(ids.organizationId).pipe(Effect.provideService(Clock.Clock, clock))
  if (Option.isSome(found)) return yield* summarize(today, false)
  // The payer's front end rejects the claims the history says it does (277CA A7:21, missing or invalid information).
  const rejected = new Set<string>()
  const clearinghouse = InMemoryClearinghouse.layer([], {
    rejectClaim: (envelope) => (rejected.has(envelope.claim.id) ? ["A7:21"] : undefined)
  })
  return yield* history(today, set, rejected, options?.denials ?? 0).pipe(
    Effect.provideService(RuleSet.RulePacks, builtinRulePacks()),
    Effect.provide(clearinghouse),
    Effect.provideService(Clock.Clock, clock)
  )
})

/** Ends an operation's failure that is not the store's: in the demo's own data it is a bug. */
const storeErrorsOnly = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Store.StoreError, R> =>
  Effect.catch(effect, (error) => (error instanceof Store.StoreError ? Effect.fail(error) : Effect.die(error)))

const history = (
  today: DateOfService.DateOfService,
  set: (millis: number) => Effect.Effect<void>,
  rejected: Set<string>,
  extraDenials: number
) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const caller = yield* Caller
    const day = (offset: number) => DateOfService.addDays(today, offset)
    const t = caller.tenantId

    // --- The practice ---------------------------------------------------------------------------------------------
    yield* set(at(day(-200), 14))
    const org = Schema.decodeUnknownSync(Organization)({
      id: ids.organizationId,
      tenantId: t,
      name: organizationName,
      npi: npi("190000000"),
      tin: "391234567",
      taxonomy: "261QM0801X",
      facilityType: "office",
      address: { line1: "400 Demonstration Avenue", city: "Lansing", state: "MI", postalCode: "489331234" }
    })
    const clinicians = clinicianSpecs.map((spec) =>
      Schema.decodeUnknownSync(Clinician)({
        id: ids.clinicians[spec.key],
        tenantId: t,
        npi: spec.npi,
        firstName: spec.firstName,
        lastName: spec.lastName,
        credential: spec.credential,
        taxonomy: spec.taxonomy,
        licenses: [
          { state: "MI", number: `DEMO-${spec.credential}-${spec.npi.slice(-4)}`, credential: spec.credential }
        ],
        supervisedBy:
          spec.key === "associate"
            ? [{ supervisorId: ids.clinicians.lcsw, period: { start: day(-365), end: day(365) } }]
            : []
      })
    )
    const payers = payerSpecs.map((spec) =>
      Schema.decodeUnknownSync(Payer)({
        id: ids.payers[spec.key],
        tenantId: t,
        name: spec.name,
        ...(spec.x12PayerId === undefined ? {} : { x12PayerId: spec.x12PayerId }),
        kind: spec.kind,
        rulePack: spec.rulePack
      })
    )
    const feeSchedules = [
      Schema.decodeUnknownSync(FeeSchedule)({ id: "demo-fees-default", tenantId: t, rates: defaultRates }),
      ...payerRates.map(({ payer: key, factor }) =>
        Schema.decodeUnknownSync(FeeSchedule)({
          id: `demo-fees-${key}`,
          tenantId: t,
          payerId: ids.payers[key],
          rates: Object.fromEntries(
            Object.entries(defaultRates).map(([code, rate]) => [code, Math.round(rate * factor)])
          )
        })
      )
    ]
    const patients = patientSpecs.map((spec) =>
      Schema.decodeUnknownSync(Patient)({
        id: ids.patients[spec.key],
        tenantId: t,
        firstName: spec.firstName,
        lastName: spec.lastName,
        dateOfBirth: spec.dateOfBirth,
        sex: spec.sex,
        address: { line1: spec.street, city: "Lansing", state: "MI", postalCode: "48912" },
        phone: `555-01${String(patientSpecs.indexOf(spec)).padStart(2, "0")}`
      })
    )
    const coverages = patientSpecs.flatMap((spec) =>
      spec.coverages.map((c) =>
        Schema.decodeUnknownSync(Coverage)({
          id: c.id,
          tenantId: t,
          patientId: ids.patients[spec.key],
          payerId: ids.payers[c.payer],
          memberId: c.memberId,
          ...(c.groupNumber === undefined ? {} : { groupNumber: c.groupNumber }),
          plan: c.plan,
          order: c.order,
          ...(c.subscriber === undefined ? {} : { subscriber: { ...c.subscriber, lastName: spec.lastName } }),
          period: { start: day(c.period[0]), end: day(c.period[1]) },
          planYearStart: "01-01"
        })
      )
    )
    const authorizations = authorizationSpecs.map((spec) =>
      Schema.decodeUnknownSync(Authorization)({
        id: spec.id,
        tenantId: t,
        patientId: ids.patients[spec.patient],
        payerId: ids.payers[coverageOf(spec.patient)?.payer ?? "selfPay"],
        number: spec.number,
        codes: ["90832", "90834", "90837"],
        unitType: "sessions",
        approved: spec.approved,
        period: { start: day(spec.period[0]), end: day(spec.period[1]) },
        status: "approved"
      })
    )
    yield* store.transaction(
      Effect.gen(function* () {
        yield* store.organizations.put(org)
        for (const record of clinicians) yield* store.clinicians.put(record)
        for (const record of payers) yield* store.payers.put(record)
        for (const record of feeSchedules) yield* store.feeSchedules.put(record)
        for (const record of patients) yield* store.patients.put(record)
        for (const record of coverages) yield* store.coverages.put(record)
        for (const record of authorizations) yield* store.authorizations.put(record)
      })
    )

    // --- The history, in time order: each step is what a person or a nightly job did at that hour of that day ------
    type Act = Effect.Effect<void, Store.StoreError, Store.Store | Caller | RuleSet.RulePacks | Clearinghouse>
    type Step = { readonly date: DateOfService.DateOfService; readonly hour: number; readonly act: Act }
    const steps: Array<Step> = []
    const billed: Array<Billed> = []
    for (const spec of patientSpecs) {
      for (const offset of spec.history) {
        const noShow = spec.noShows?.includes(offset) === true
        const item: Billed = {
          patient: spec,
          date: day(offset),
          offset,
          sessionId: sessionIdOf(spec.key, offset),
          outcome: spec.outcomes?.[offset],
          claimIds: [],
          secondaryIds: []
        }
        // The clinician closes the day's sessions in the evening, before the nightly claim build.
        steps.push({ date: item.date, hour: 21, act: hold(spec, offset) })
        // No claim for a no-show or a patient without coverage: what they owe went on their ledger.
        if (!noShow && spec.coverages.length > 0) billed.push(item)
      }
      // The sessions booked from today on, each reserving its authorization.
      if (spec.booked.length > 0) steps.push({ date: today, hour: 12, act: book(spec) })
    }
    const remittances: Array<{
      date: DateOfService.DateOfService
      payer: Exclude<PayerKey, "selfPay">
      claims: Array<{ readonly item: Billed; readonly as: "primary" | "secondary" }>
    }> = []
    const remitOn = (date: DateOfService.DateOfService, payer: Exclude<PayerKey, "selfPay">) => {
      let batch = remittances.find((r) => r.date === date && r.payer === payer)
      if (batch === undefined) {
        batch = { date, payer, claims: [] }
        remittances.push(batch)
      }
      return batch
    }
    for (const item of billed) {
      const primary = item.patient.coverages.find((c) => c.order === 1) as CoverageSpec
      const held = item.outcome?._tag === "Hold" ? item.outcome.at : undefined
      // Built the evening of the session, scrubbed and submitted the next afternoon, paid after the payer's delay.
      steps.push({ date: item.date, hour: 22, act: buildOne(item, primary) })
      if (held === "draft") continue
      const submitOn = DateOfService.addDays(item.date, 1)
      steps.push({ date: submitOn, hour: 13, act: prepareOne(item, submitOn, held) })
      if (held !== undefined || item.outcome?._tag === "Rejected" || item.outcome?._tag === "Blocked") continue
      const paidOn = DateOfService.addDays(item.date, adjudication[primary.payer].lagDays)
      if (paidOn > today) continue
      remitOn(paidOn, primary.payer).claims.push({ item, as: "primary" })
      const follow = item.outcome?._tag === "Denied" ? item.outcome.worked : undefined
      if (follow !== undefined)
        steps.push({ date: DateOfService.addDays(paidOn, 6), hour: 14, act: work(item, follow) })
      // A paid claim goes on to the secondary payer two days later; it answers after its own delay.
      const secondary = item.patient.coverages.find((c) => c.order === 2)
      if (secondary === undefined || item.outcome?._tag === "Denied") continue
      const forwardOn = DateOfService.addDays(paidOn, 2)
      steps.push({ date: forwardOn, hour: 14, act: forward(item, forwardOn) })
      const secondaryPaidOn = DateOfService.addDays(forwardOn, adjudication[secondary.payer].lagDays)
      if (secondaryPaidOn <= today) remitOn(secondaryPaidOn, secondary.payer).claims.push({ item, as: "secondary" })
    }
    for (const batch of remittances) steps.push({ date: batch.date, hour: 17, act: remit(batch) })
    // Three days ago, some patients paid half of what they owed.
    steps.push({ date: day(-3), hour: 18, act: patientsPay() })

    // In time order (a stable sort: steps of one hour keep the order they were added in); nothing after today.
    const timeline = steps
      .filter((step) => step.date <= today)
      .sort((a, b) => (a.date === b.date ? a.hour - b.hour : a.date < b.date ? -1 : 1))
    for (const step of timeline) {
      yield* set(at(step.date, step.hour))
      yield* step.act
    }

    // The session held: completed (or a no-show), its authorization used, what the patient owes without a claim.
    function hold(spec: PatientSpec, offset: number): Act {
      return Effect.gen(function* () {
        const date = day(offset)
        const noShow = spec.noShows?.includes(offset) === true
        const session = sessionOf(spec, offset, date, t, noShow ? "no-show" : "completed")
        yield* store.sessions.put(session)
        const authorization = authorizationSpecs.find((a) => a.patient === spec.key && inPeriod(a.period, offset))
        if (authorization !== undefined && !noShow) {
          yield* store.authorizations.recordUse([
            { authorizationId: authorization.id, sessionId: session.id, dateOfService: date, units: 1, kind: "used" }
          ])
        }
        if (!noShow && spec.coverages.length > 0) return
        const entry = (suffix: string, kind: PatientLedger.Kind, amount: number, minute: number) =>
          Schema.decodeUnknownSync(PatientLedger.Entry)({
            id: `demo-led-${session.id}${suffix}`,
            tenantId: t,
            patientId: ids.patients[spec.key],
            kind,
            amount,
            at: at(date, 21, minute)
          })
        const entries = [noShow ? entry("-fee", "fee", noShowFee, 0) : entry("", "self-pay", selfPayRate, 0)]
        if (spec.paidOnTheSpot?.includes(offset) === true) entries.push(entry("-paid", "payment", -selfPayRate, 1))
        yield* store.patientLedger.append(entries)
      })
    }

    function book(spec: PatientSpec): Act {
      return Effect.gen(function* () {
        const reserved: Array<LedgerEntry> = []
        for (const offset of spec.booked) {
          const session = sessionOf(spec, offset, day(offset), t, "scheduled")
          yield* store.sessions.put(session)
          const authorization = authorizationSpecs.find((a) => a.patient === spec.key && inPeriod(a.period, offset))
          if (authorization === undefined) continue
          reserved.push({
            authorizationId: authorization.id,
            sessionId: session.id,
            dateOfService: day(offset),
            units: 1,
            kind: "reserved"
          })
        }
        if (reserved.length > 0) yield* store.authorizations.recordUse(reserved)
      })
    }

    function patientsPay(): Act {
      return Effect.gen(function* () {
        const payments: Array<PatientLedger.Entry> = []
        for (const key of ["authorizationPlentyLeft", "medicationManagement", "dualEligible"] as const) {
          const owed = yield* store.patientLedger.balance(ids.patients[key])
          if (owed <= 0) continue
          payments.push(
            Schema.decodeUnknownSync(PatientLedger.Entry)({
              id: `demo-led-payment-${key}`,
              tenantId: t,
              patientId: ids.patients[key],
              kind: "payment",
              amount: -Math.floor(owed / 2),
              at: at(day(-3), 18)
            })
          )
        }
        if (payments.length > 0) yield* store.patientLedger.append(payments)
      })
    }

    // Each step is an operation a person or the nightly job would run on that day.
    // The nightly build: `billSession` codes the session and builds its claim. A claim coded by hand (its modifiers
    // left off) goes through `buildClaims` as a host's own coded session would.
    function buildOne(item: Billed, primary: CoverageSpec): Act {
      return storeErrorsOnly(
        Effect.gen(function* () {
          const session = Option.getOrThrow(yield* store.sessions.get(item.sessionId))
          const blocked = item.outcome?._tag === "Blocked" ? item.outcome : undefined
          const diagnoses = Schema.decodeUnknownSync(Schema.Array(DiagnosisCode))(
            blocked?.diagnoses ?? item.patient.diagnoses
          )
          const authorization = authorizationSpecs.find(
            (a) => a.patient === item.patient.key && inPeriod(a.period, item.offset)
          )
          const input = {
            session,
            coverageId: primary.id,
            billingProviderId: ids.organizationId,
            diagnoses,
            priorAuthorization: authorization?.number
          }
          const report =
            blocked?.withoutModifiers === true ? yield* byHand(input) : (yield* Billing.billSession(input)).report
          if (report.problems.length > 0 || report.created.length === 0) {
            return yield* Effect.die(new Error(`demo session ${item.sessionId}: no claim built`))
          }
          item.claimIds = report.created.map((claim) => claim.id)
          if (item.outcome?._tag === "Rejected") for (const id of item.claimIds) rejected.add(id)
        })
      )
    }

    /** A claim from a session a person coded, modifiers left off. */
    function byHand(input: Billing.BillSessionInput) {
      return Effect.gen(function* () {
        const [request] = yield* Session.codingRequestsAt(input.session, yield* Clock.currentTimeMillis)
        if (request === undefined) return yield* Effect.die(new Error(`demo session ${input.session.id}: no request`))
        const coded = yield* Billing.codeSession(request.request)
        if (coded._tag !== "Billable")
          return yield* Effect.die(new Error(`demo session ${input.session.id}: not billable`))
        const coverage = Option.getOrThrow(yield* store.coverages.get(input.coverageId))
        const date = request.request.dateOfService
        return yield* Billing.buildClaims([
          Schema.decodeUnknownSync(CodedSession)({
            sessionId: input.session.id,
            tenantId: t,
            patientId: coverage.patientId,
            coverageId: coverage.id,
            payerId: coverage.payerId,
            billingProviderId: input.billingProviderId,
            renderingClinicianId: input.session.clinicians[0]?.clinicianId,
            dateOfService: date,
            placeOfService: coded.lines[0]?.placeOfService ?? "11",
            diagnoses: input.diagnoses,
            lines: coded.lines.map((line) => ({
              code: line.code,
              modifiers: [],
              units: line.units,
              placeOfService: line.placeOfService,
              dateOfService: date
            }))
          })
        ])
      })
    }

    function prepareOne(
      item: Billed,
      on: DateOfService.DateOfService,
      held: "ready" | "queued" | "draft" | undefined
    ): Act {
      return storeErrorsOnly(
        Effect.gen(function* () {
          yield* Billing.scrubClaims(item.claimIds, { asOf: on })
          if (held === "ready") return
          yield* Billing.submitClaims(item.claimIds)
          if (held === "queued") return
          yield* Billing.deliverSubmissions()
          yield* Billing.processResponses()
        })
      )
    }

    function forward(item: Billed, on: DateOfService.DateOfService): Act {
      return storeErrorsOnly(
        Effect.gen(function* () {
          const report = yield* Billing.buildSecondaryClaims({ claimIds: item.claimIds, asOf: on })
          if (report.skipped.length > 0) {
            return yield* Effect.die(new Error(`demo claim ${item.claimIds[0]}: ${report.skipped[0]?._tag}`))
          }
          item.secondaryIds = report.created.map((claim) => claim.id)
          yield* Billing.submitClaims(item.secondaryIds)
          yield* Billing.deliverSubmissions()
          yield* Billing.processResponses()
        })
      )
    }

    function remit(batch: (typeof remittances)[number]): Act {
      return storeErrorsOnly(
        Effect.gen(function* () {
          const claims: Array<RemittanceAdvice["claims"][number]> = []
          for (const { item, as } of batch.claims) {
            for (const id of as === "primary" ? item.claimIds : item.secondaryIds) {
              const claim = Option.getOrThrow(yield* store.claims.get(id))
              if (claim.status !== "accepted") continue
              claims.push(
                as === "primary" ? claimPayment(claim, batch.payer, item.outcome) : secondaryPayment(claim, batch.payer)
              )
            }
          }
          if (claims.length === 0) return
          const paid = claims.reduce((sum, c) => sum + c.paid, 0)
          const trace = `DEMO-${batch.payer.toUpperCase()}-${batch.date.replaceAll("-", "")}`
          const advice: RemittanceAdvice = {
            contentHash: hex64(`${t}|${trace}`),
            payer: { name: payerSpecs.find((p) => p.key === batch.payer)?.name ?? batch.payer },
            payee: { name: org.name, npi: org.npi },
            payment: {
              handling: "I",
              method: paid > 0 ? "ACH" : "NON",
              amount: Money.cents(paid),
              date: batch.date,
              traceNumber: trace
            },
            claims,
            providerAdjustments: []
          }
          yield* Billing.postRemittance(advice)
        })
      )
    }

    function work(item: Billed, follow: Follow): Act {
      return storeErrorsOnly(
        Effect.gen(function* () {
          const queue = yield* store.denials.queue({ limit: Store.maxPageSize })
          const denialIds = queue.items.filter((d) => item.claimIds.includes(d.claimId)).map((d) => d.id)
          const outcomes = yield* Billing.workDenials(
            denialIds,
            follow === "appeal"
              ? { _tag: "Appeal", reason: "records show the sessions were medically necessary" }
              : { _tag: "CorrectAndResubmit" }
          )
          // The replacement goes out the same day, as a biller would send it.
          const replacements = outcomes.flatMap((outcome) =>
            outcome._tag === "Done" && outcome.claim?.status === "draft" ? [outcome.claim.id] : []
          )
          if (replacements.length === 0) return
          yield* Billing.scrubClaims(replacements)
          yield* Billing.submitClaims(replacements)
          yield* Billing.deliverSubmissions()
          yield* Billing.processResponses()
        })
      )
    }

    // The end of today: the nightly job puts the work queue in today's order, then the large work queue if one was
    // asked for, and the counts.
    yield* set(at(today, 23, 30))
    yield* storeErrorsOnly(Billing.refreshDenialPriorities({ asOf: today }))
    // Counted before the large queue: paging through 100,000 denials in memory would take longer than writing them.
    const denials = yield* count((cursor) => store.denials.queue({ limit: Store.maxPageSize, cursor }))
    const bulk = extraDenials > 0 ? yield* seedDenials(extraDenials, { today }) : 0
    return yield* summarize(today, true, denials + bulk)
  })

/** What the caller's tenant holds, counted; `denials` when the caller knows it. */
const summarize = (today: DateOfService.DateOfService, written: boolean, known?: number) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const max = Store.maxPageSize
    const denials = known ?? (yield* count((cursor) => store.denials.queue({ limit: max, cursor })))
    return {
      written,
      today,
      patients: yield* count((cursor) => store.patients.list({ limit: max, cursor })),
      sessions: yield* count((cursor) => store.sessions.list({ limit: max, cursor })),
      claims: yield* count((cursor) => store.claims.query({ limit: max, cursor })),
      remittances: yield* count((cursor) => store.remittances.list({ limit: max, cursor })),
      denials
    } satisfies Summary
  })

/** The number of items of a paged list. */
const count = <A>(
  page: (cursor: string | undefined) => Effect.Effect<Store.Page<A>, Store.StoreError, Caller>
): Effect.Effect<number, Store.StoreError, Caller> =>
  Effect.gen(function* () {
    let n = 0
    let cursor: string | undefined
    do {
      const next = yield* page(cursor)
      n += next.items.length
      cursor = next.next
    } while (cursor !== undefined)
    return n
  })

/** A patient's session on a day: held (its segments from 15:00 UTC, the morning in Michigan), or booked. */
const sessionOf = (
  spec: PatientSpec,
  offset: number,
  date: DateOfService.DateOfService,
  tenantId: TenantId,
  status: "completed" | "no-show" | "scheduled"
): Session.TrackedSession => {
  const primary = spec.coverages.find((c) => c.order === 1)
  const visit = visits[spec.visit]
  const start = at(date, 15)
  const em = visit.em
  const segments =
    status !== "completed"
      ? []
      : em === undefined
        ? [{ kind: "service", startedAt: start, endedAt: start + visit.minutes * 60_000 }]
        : [
            { kind: "em", startedAt: start, endedAt: start + em.minutes * 60_000 },
            {
              kind: "service",
              startedAt: start + em.minutes * 60_000,
              endedAt: start + (em.minutes + visit.minutes) * 60_000
            }
          ]
  return Schema.decodeUnknownSync(Session.TrackedSession)({
    id: sessionIdOf(spec.key, offset),
    tenantId,
    patientId: ids.patients[spec.key],
    rulePack: payerSpecs.find((p) => p.key === (primary?.payer ?? "selfPay"))?.rulePack ?? "cpt-base",
    service: visit.service,
    timeZone,
    clinicians: [
      {
        clinicianId: ids.clinicians[spec.clinician],
        credential: clinicianSpecs.find((c) => c.key === spec.clinician)?.credential,
        bills: true
      }
    ],
    delivery: spec.delivery === "video" ? { mode: "video", patientLocation: "home" } : { mode: "in-person" },
    facilityType: "office",
    status,
    segments,
    interactiveComplexity: false,
    crisis: false,
    ...(em === undefined ? {} : { emCode: em.code }),
    dateOfService: date,
    ...(status === "no-show"
      ? { cancellation: { kind: "no-show", at: start, patientFee: noShowFee, billTo: "patient" } }
      : {})
  })
}

const inPeriod = (period: readonly [number, number], offset: number) => offset >= period[0] && offset <= period[1]

function coverageOf(key: PatientKey): CoverageSpec | undefined {
  return patientSpecs.find((p) => p.key === key)?.coverages.find((c) => c.order === 1)
}

/**
 * A secondary payer's answer: it pays what the prior payers left to the patient on each line (a commercial plan
 * keeps a $10 copay of it), and the rest is the prior payers' (OA-23).
 */
const secondaryPayment = (
  claim: Claim.Claim,
  payer: Exclude<PayerKey, "selfPay">
): RemittanceAdvice["claims"][number] => {
  const prior = claim.priorPayers ?? []
  const lines = claim.lines.map((line, index) => {
    const left = Money.sum(
      prior.flatMap((p) =>
        p.lines
          .filter((l) => l.line === index)
          .flatMap((l) => l.adjustments.filter((a) => a.group === "PR").map((a) => a.amount))
      )
    )
    const copay = adjudication[payer].share === "copay" ? Money.min(left, Money.cents(1000)) : Money.zero
    return {
      procedure: { code: line.code, modifiers: [...line.modifiers] },
      charge: line.charge,
      paid: Money.subtract(left, copay),
      units: line.units,
      dateOfService: line.dateOfService,
      adjustments: [
        { group: "OA", reason: "23", amount: Money.subtract(line.charge, left) },
        ...(copay > 0 ? [{ group: "PR", reason: "3", amount: copay }] : [])
      ],
      remarks: []
    }
  })
  return {
    patientControlNumber: claim.id,
    status: "2",
    charge: claim.charge,
    paid: Money.sum(lines.map((line) => line.paid)),
    patientResponsibility: Money.sum(
      lines.flatMap((line) => line.adjustments.filter((a) => a.group === "PR").map((a) => a.amount))
    ),
    payerClaimNumber: claim.payerClaimNumber ?? `DEMO-${claim.id.slice(1, 9)}`,
    frequency: claim.frequency,
    statementFrom: claim.serviceDate,
    statementTo: claim.serviceDate,
    adjustments: [],
    remarks: [],
    lines
  }
}

/** The payer's answer for one claim: allowed amount, the patient's share, or the outcome's denial. */
const claimPayment = (
  claim: Claim.Claim,
  payer: Exclude<PayerKey, "selfPay">,
  outcome: Outcome | undefined
): RemittanceAdvice["claims"][number] => {
  const rules = adjudication[payer]
  const denied = outcome?._tag === "Denied"
  let shareLeft = outcome?._tag === "Deductible" ? outcome.amount : rules.share === "copay" ? commercialCopay : 0
  const lines = claim.lines.map((line, index) => {
    if (outcome?._tag === "Denied" || (outcome?._tag === "LineDenied" && index === 1)) {
      return {
        procedure: { code: line.code, modifiers: [...line.modifiers] },
        charge: line.charge,
        paid: Money.zero,
        units: line.units,
        dateOfService: line.dateOfService,
        adjustments: [{ group: "CO", reason: outcome.carc, amount: line.charge }],
        remarks: [...(outcome.remarks ?? [])]
      }
    }
    const allowed = roundCents(line.charge * rules.allowed)
    const coinsurance = rules.share === "coinsurance" ? roundCents(allowed * 0.2) : Money.zero
    const share = Money.min(allowed, roundCents(shareLeft))
    shareLeft -= share
    const adjustments = [
      { group: "CO", reason: "45", amount: Money.subtract(line.charge, allowed) },
      ...(share > 0 ? [{ group: "PR", reason: outcome?._tag === "Deductible" ? "1" : "3", amount: share }] : []),
      ...(coinsurance > 0 ? [{ group: "PR", reason: "2", amount: coinsurance }] : [])
    ]
    return {
      procedure: { code: line.code, modifiers: [...line.modifiers] },
      charge: line.charge,
      paid: Money.subtract(Money.subtract(allowed, share), coinsurance),
      units: line.units,
      dateOfService: line.dateOfService,
      adjustments,
      remarks: [],
      allowed
    }
  })
  const paid = Money.sum(lines.map((line) => line.paid))
  const patientResponsibility = Money.sum(
    lines.flatMap((line) => line.adjustments.filter((a) => a.group === "PR").map((a) => a.amount))
  )
  return {
    patientControlNumber: claim.id,
    status: denied ? "4" : "1",
    charge: claim.charge,
    paid,
    patientResponsibility,
    payerClaimNumber: claim.payerClaimNumber ?? `DEMO-${claim.id.slice(1, 9)}`,
    frequency: claim.frequency,
    statementFrom: claim.serviceDate,
    statementTo: claim.serviceDate,
    adjustments: [],
    remarks: [],
    lines
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Eligibility
// ---------------------------------------------------------------------------------------------------------------

const bh = ["MH", "A6", "A8", "CF"]

/** What each payer's plans answer a 271 with: the shares the history's 835s take. */
const planBenefits: Record<Exclude<PayerKey, "selfPay">, ReadonlyArray<Benefit>> = {
  medicare: [
    { kind: "coinsurance", serviceTypes: ["30", ...bh], percentBps: 2000 },
    { kind: "deductible", serviceTypes: ["30"], timePeriod: "calendar-year", amount: Money.dollars(257) },
    { kind: "deductible", serviceTypes: ["30"], timePeriod: "remaining", amount: Money.zero }
  ],
  medicaid: [
    { kind: "copay", serviceTypes: bh, network: "in", timePeriod: "visit", amount: Money.zero },
    {
      kind: "limitation",
      serviceTypes: bh,
      network: "in",
      timePeriod: "calendar-year",
      quantity: { unit: "visits", value: 30 },
      authorizationRequired: true
    }
  ],
  acmePpo: [
    { kind: "copay", serviceTypes: bh, network: "in", timePeriod: "visit", amount: Money.cents(commercialCopay) },
    { kind: "coinsurance", serviceTypes: bh, network: "out", percentBps: 3000 },
    {
      kind: "deductible",
      serviceTypes: ["30"],
      network: "in",
      coverageLevel: "individual",
      timePeriod: "calendar-year",
      amount: Money.dollars(1000)
    },
    {
      kind: "deductible",
      serviceTypes: ["30"],
      network: "in",
      coverageLevel: "individual",
      timePeriod: "remaining",
      amount: Money.dollars(410)
    }
  ],
  acmeHmo: [
    { kind: "copay", serviceTypes: bh, network: "in", timePeriod: "visit", amount: Money.cents(commercialCopay) },
    { kind: "non-covered", serviceTypes: bh, network: "out" },
    {
      kind: "limitation",
      serviceTypes: bh,
      network: "in",
      timePeriod: "calendar-year",
      quantity: { unit: "visits", value: 20 },
      authorizationRequired: true
    }
  ]
}

/**
 * The demo's covered patients as an in-memory clearinghouse's members (one per coverage, under the payer's X12 id,
 * as the subscriber), with their plans' benefits: `InMemoryClearinghouse.layer(DemoPractice.members(today))`
 * answers `Billing.checkEligibility` for them as `active` on the dates of their coverage.
 *
 * @since 0.1.0
 */
export const members = (today: DateOfService.DateOfService): ReadonlyArray<InMemoryClearinghouse.Member> =>
  patientSpecs.flatMap((spec) =>
    spec.coverages.map((c) => ({
      payerId: payerSpecs.find((p) => p.key === c.payer)?.x12PayerId ?? c.payer,
      memberId: c.memberId,
      firstName: c.subscriber?.firstName ?? spec.firstName,
      lastName: spec.lastName,
      dateOfBirth: c.subscriber?.dateOfBirth ?? spec.dateOfBirth,
      coverage: {
        start: DateOfService.addDays(today, c.period[0]),
        end: DateOfService.addDays(today, c.period[1])
      },
      plan: c.groupNumber === undefined ? { name: c.plan } : { name: c.plan, groupNumber: c.groupNumber },
      benefits: planBenefits[c.payer]
    }))
  )

// ---------------------------------------------------------------------------------------------------------------
// A large work queue
// ---------------------------------------------------------------------------------------------------------------

/** The denial reasons the large queue cycles through: one or more of each category a work queue filters on. */
const bulkReasons: ReadonlyArray<{
  readonly carc: string
  readonly category: Denial.Category
  readonly action: Denial.Action
  readonly rarcs: ReadonlyArray<string>
}> = [
  { carc: "197", category: "authorization", action: "appeal", rarcs: ["N54"] },
  { carc: "27", category: "eligibility", action: "correct-and-resubmit", rarcs: ["N30"] },
  { carc: "16", category: "coding", action: "correct-and-resubmit", rarcs: ["M76"] },
  { carc: "29", category: "timely-filing", action: "write-off", rarcs: [] },
  { carc: "50", category: "medical-necessity", action: "appeal", rarcs: ["N115"] },
  { carc: "18", category: "duplicate", action: "write-off", rarcs: ["N522"] },
  { carc: "22", category: "coordination-of-benefits", action: "correct-and-resubmit", rarcs: ["MA04"] },
  { carc: "11", category: "coding", action: "correct-and-resubmit", rarcs: [] }
]

const bulkStatuses: ReadonlyArray<Denial.Status> = ["open", "open", "open", "in-progress", "appealed", "resubmitted"]
const assignees: ReadonlyArray<string | undefined> = [
  undefined,
  "user:biller-1",
  "user:biller-2",
  undefined,
  "user:biller-3"
]

/**
 * `count` denials for a large work queue (`demo-bulk-000001`, ...), spread over the given claims and their payers,
 * the categories, statuses, assignees, amounts and ages (received up to 180 days before `today`), the same every
 * time (a fixed-seed xorshift generator, not `Random`). Pure: `seedDenials` writes them; a story may also hand them
 * to a table directly.
 *
 * @since 0.1.0
 */
export const makeDenials = (
  count: number,
  options: {
    readonly tenantId: TenantId
    readonly today: DateOfService.DateOfService
    readonly claims: ReadonlyArray<{ readonly id: ClaimId; readonly payerId: PayerId }>
  }
): Array<Denial.Denial> => {
  const { claims, today } = options
  const out: Array<Denial.Denial> = []
  if (claims.length === 0) return out
  let state = 0x2545f491
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x1_0000_0000
  }
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)] as A
  for (let i = 0; i < count; i++) {
    const claim = pick(claims)
    const reason = pick(bulkReasons)
    const receivedOn = DateOfService.addDays(today, -Math.floor(next() * 180))
    const deadline = DateOfService.addDays(receivedOn, 90)
    const amount = Money.cents(2500 + Math.floor(next() * 40) * 500)
    const status = pick(bulkStatuses)
    const assignee = pick(assignees)
    out.push(
      new Denial.Denial({
        id: `demo-bulk-${String(i + 1).padStart(6, "0")}` as Denial.DenialId,
        tenantId: options.tenantId,
        claimId: claim.id,
        payerId: claim.payerId,
        group: "CO",
        carc: reason.carc,
        rarcs: reason.rarcs,
        amount,
        deadline,
        receivedOn,
        category: reason.category,
        action: reason.action,
        priority: Billing.denialPriority(amount, deadline, today),
        status,
        ...(assignee === undefined ? {} : { assignee }),
        notes: [],
        createdAt: at(receivedOn, 16) as EpochMillis,
        version: 0
      })
    )
  }
  return out
}

/**
 * Writes `makeDenials(count)` to the caller's tenant's work queue, over the claims the store has (run it after
 * `seed`), in transactions of 1,000; returns how many it wrote (none when there is no claim). On the in-memory
 * store 100,000 take about 8 s in Node (each save is validated and audited): seed a large queue once per story
 * file, not per story.
 *
 * @since 0.1.0
 */
export const seedDenials = Effect.fn("DemoPractice.seedDenials")(function* (
  count: number,
  options?: { readonly today?: DateOfService.DateOfService | undefined }
) {
  const store = yield* Store.Store
  const caller = yield* Caller
  const today = options?.today ?? (yield* DateOfService.today(timeZone))
  const claims = yield* Store.everyPage((page) => store.claims.query(page))
  const denials = makeDenials(count, { tenantId: caller.tenantId, today, claims })
  for (let start = 0; start < denials.length; start += 1000) {
    const chunk = denials.slice(start, start + 1000)
    yield* store.transaction(Effect.forEach(chunk, (denial) => store.denials.save(denial), { discard: true }))
  }
  return denials.length
})

// ---------------------------------------------------------------------------------------------------------------
// A seeded in-memory store
// ---------------------------------------------------------------------------------------------------------------

/**
 * The caller `layer` seeds as: the demo tenant, the seed job, for operations.
 *
 * @since 0.1.0
 */
export const caller: CallerInfo = { tenantId: ids.tenantId, actor, purpose: "operations" }

/**
 * An in-memory Store with the demo practice seeded in the demo tenant (`ids.tenantId`): for stories and the
 * playground. Each build is a fresh store.
 *
 * @since 0.1.0
 */
export const layer = (options?: Options): Layer.Layer<Store.Store> =>
  Layer.effect(
    Store.Store,
    Effect.gen(function* () {
      const store = yield* InMemoryStore.make
      yield* seed(options).pipe(
        Effect.provideService(Store.Store, store),
        Effect.provideService(Caller, caller),
        Effect.orDie
      )
      return store
    })
  )
