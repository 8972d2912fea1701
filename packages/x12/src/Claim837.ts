/**
 * The 837P (professional claim, 005010X222A1): a plain model, a writer and a streaming reader.
 *
 * The model is plain TypeScript data (no Schema on the hot path). Money is in integer cents, dates are ISO
 * `YYYY-MM-DD`, diagnosis codes are ICD-10 without the dot. Each claim carries its own subscriber, patient and
 * payer; the writer puts every claim in its own subscriber loop (HL 22, and HL 23 when the patient is not the
 * subscriber), under one billing provider loop (HL 20) per run of claims with the same billing provider.
 *
 * The writer validates first and writes nothing when the submission is wrong: it returns the failures, each with
 * the path of the field and a message that never quotes a value (X12 carries PHI). It computes what X12 counts:
 * SE01, GE01, IEA01, HL numbers and child codes, CLM02 as the sum of the lines.
 *
 * The reader is a `TransactionModel` for `Reader`: it emits each claim as soon as the next claim, HL or SE shows
 * it is complete, and reports what is wrong with the segment's position. Code values outside the model's unions
 * (a frequency "9" in a masked file) are kept as read, with an error.
 *
 * @since 0.1.0
 */

import { Array as Arr, Cause, Effect, Pull, Result, Schema, Stream } from "effect"
import { decimal, formatAmount, reject } from "./internal/amount.js"
import { isValidNpi } from "./internal/npi.js"
import { codeAt, keyOf, SegmentView, viewSegment } from "./internal/view.js"
import type * as Write from "./internal/write.js"
import {
  at,
  defaultDelimiters,
  envelopeHeader,
  envelopeTrailer,
  FieldValidator,
  fromX12Date,
  type PathLike,
  validateEnvelope
} from "./internal/write.js"
import type { Problem } from "./Problem.js"
import { type ModelContext, type Options as ReaderOptions, readEvents, type TransactionModel } from "./Reader.js"
import type { Delimiters, Segment } from "./Segments.js"

// ---------------------------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 */
export type Sex = "M" | "F" | "U"

/**
 * SBR01: P primary, S secondary, T tertiary, A-H payers 4 to 11, U unknown.
 *
 * @since 0.1.0
 */
export type PayerResponsibility = "P" | "S" | "T" | "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "U"

/**
 * SBR09: CI commercial, MB Medicare Part B, MC Medicaid, BL Blue Cross/Blue Shield, HM HMO, CH Tricare, ...
 *
 * @since 0.1.0
 */
export type ClaimFilingIndicator =
  | "11"
  | "12"
  | "13"
  | "14"
  | "15"
  | "16"
  | "17"
  | "AM"
  | "BL"
  | "CH"
  | "CI"
  | "DS"
  | "FI"
  | "HM"
  | "LM"
  | "MA"
  | "MB"
  | "MC"
  | "OF"
  | "TV"
  | "VA"
  | "WC"
  | "ZZ"

const claimFilingIndicators: ReadonlySet<string> = new Set([
  "11",
  "12",
  "13",
  "14",
  "15",
  "16",
  "17",
  "AM",
  "BL",
  "CH",
  "CI",
  "DS",
  "FI",
  "HM",
  "LM",
  "MA",
  "MB",
  "MC",
  "OF",
  "TV",
  "VA",
  "WC",
  "ZZ"
])

/**
 * CLM05-3: 1 original, 7 replacement, 8 void.
 *
 * @since 0.1.0
 */
export type Frequency = "1" | "7" | "8"

/**
 * CAS01.
 *
 * @since 0.1.0
 */
export type AdjustmentGroup = "CO" | "CR" | "OA" | "PI" | "PR"

const adjustmentGroups: ReadonlySet<string> = new Set(["CO", "CR", "OA", "PI", "PR"])
const responsibilities: ReadonlySet<string> = new Set(["P", "S", "T", "A", "B", "C", "D", "E", "F", "G", "H", "U"])

/**
 * @since 0.1.0
 */
export interface PersonName {
  readonly last: string
  readonly first?: string
  readonly middle?: string
  readonly suffix?: string
}

/**
 * @since 0.1.0
 */
export interface Address {
  readonly line1: string
  readonly line2?: string
  readonly city: string
  /** Two letters. */
  readonly state: string
  /** 5 or 9 digits (9 for the billing provider). */
  readonly postalCode: string
}

/**
 * PER: a name and at least a phone or an email.
 *
 * @since 0.1.0
 */
export interface Contact {
  readonly name: string
  readonly phone?: string
  readonly email?: string
}

/**
 * Loop 1000A: who sends the file (NM1*41, PER).
 *
 * @since 0.1.0
 */
export interface Submitter {
  readonly name: string
  /** NM109, the id the receiver knows the submitter by (ETIN). */
  readonly id: string
  readonly contact: Contact
}

/**
 * Loop 1000B: the clearinghouse or payer that receives the file (NM1*40).
 *
 * @since 0.1.0
 */
export interface Receiver {
  readonly name: string
  readonly id: string
}

/**
 * Loop 2000A/2010AA: PRV*BI, NM1*85, N3, N4, REF*EI, PER.
 *
 * @since 0.1.0
 */
export interface BillingProvider {
  /** The organization's name, or an individual's last name. */
  readonly name: string
  /** Present when the billing provider is an individual (NM102 = 1). */
  readonly firstName?: string
  readonly npi: string
  /** PRV03, the provider taxonomy code (10 characters ending in X). */
  readonly taxonomy?: string
  /** REF*EI, the employer identification number (9 digits). */
  readonly ein: string
  readonly address: Address
  readonly contact?: Contact
}

/**
 * Loop 2000B/2010BA: SBR, NM1*IL, N3, N4, DMG.
 *
 * @since 0.1.0
 */
export interface Subscriber {
  /** NM109 with qualifier MI. */
  readonly memberId: string
  readonly name: PersonName
  /** Required when the subscriber is the patient. */
  readonly dob?: string
  readonly sex?: Sex
  readonly address?: Address
  /** SBR02: "18" when the subscriber is the patient; absent when the claim has a patient loop. */
  readonly relationship?: "18"
  /** SBR01. */
  readonly responsibility: PayerResponsibility
  /** SBR03. */
  readonly groupNumber?: string
  /** SBR04. */
  readonly groupName?: string
  /** SBR09. */
  readonly claimFilingIndicator: ClaimFilingIndicator
}

/**
 * Loop 2000C/2010CA, when the patient is not the subscriber: PAT, NM1*QC, N3, N4, DMG.
 *
 * @since 0.1.0
 */
export interface Patient {
  /** PAT01: 01 spouse, 19 child, 20 employee, 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8 other. */
  readonly relationship: string
  readonly name: PersonName
  readonly dob: string
  readonly sex: Sex
  readonly address?: Address
}

/**
 * Loop 2010BB (NM1*PR), or 2330B for another payer.
 *
 * @since 0.1.0
 */
export interface Payer {
  readonly name: string
  /** NM109 with qualifier PI. */
  readonly id: string
  readonly address?: Address
}

/**
 * A provider at claim level (referring DN, rendering 82, supervising DQ): a person when `name.first` is given,
 * an organization otherwise.
 *
 * @since 0.1.0
 */
export interface Provider {
  readonly npi: string
  readonly name: PersonName
  /** PRV*PE, for the rendering provider. */
  readonly taxonomy?: string
}

/**
 * Loop 2310C (NM1*77).
 *
 * @since 0.1.0
 */
export interface ServiceFacility {
  readonly name: string
  readonly npi?: string
  readonly address: Address
}

/**
 * One CAS reason: the writer groups them by group code, at most 6 per group.
 *
 * @since 0.1.0
 */
export interface Adjustment {
  readonly group: AdjustmentGroup
  /** A claim adjustment reason code (CARC). */
  readonly reason: string
  readonly amount: number
  readonly quantity?: number
}

/**
 * Loops 2320 (SBR, CAS, AMT*D, AMT*EAF, OI), 2330A (NM1*IL) and 2330B (NM1*PR, DTP*573): another payer of this
 * claim, and what it did with it.
 *
 * @since 0.1.0
 */
export interface OtherPayer {
  readonly responsibility: PayerResponsibility
  /** SBR02: the patient's relationship to this payer's subscriber (18 self, 01 spouse, 19 child, ...). */
  readonly relationship: string
  readonly groupNumber?: string
  readonly groupName?: string
  readonly claimFilingIndicator: ClaimFilingIndicator
  /** AMT*D, what this payer paid, in cents. */
  readonly paidAmount?: number
  /** AMT*EAF, what the patient still owes after this payer, in cents. */
  readonly remainingPatientLiability?: number
  /** Claim-level CAS. */
  readonly adjustments: ReadonlyArray<Adjustment>
  /** OI03. */
  readonly benefitsAssignment: "Y" | "N" | "W"
  /** OI04. */
  readonly patientSignatureSource?: "P"
  /** OI06. */
  readonly releaseOfInformation: "I" | "Y"
  readonly subscriber: { readonly name: PersonName; readonly memberId: string; readonly address?: Address }
  readonly payer: Payer
  /** DTP*573 in 2330B, the adjudication date (when the lines carry none). */
  readonly adjudicationDate?: string
}

/**
 * Loop 2430: SVD, CAS, DTP*573, AMT*EAF.
 *
 * @since 0.1.0
 */
export interface LineAdjudication {
  /** SVD01: the other payer's id, as in its 2330B NM109. */
  readonly payerId: string
  readonly paidAmount: number
  /** SVD03-1 when not HC. */
  readonly qualifier?: string
  readonly code: string
  readonly modifiers: ReadonlyArray<string>
  readonly paidUnits: number
  /** SVD06, the line this one was bundled into. */
  readonly bundledLineNumber?: number
  readonly adjustments: ReadonlyArray<Adjustment>
  readonly adjudicationDate: string
  readonly remainingPatientLiability?: number
}

/**
 * Loop 2400: LX, SV1, DTP*472, REF*G1, REF*6R, and 2430.
 *
 * @since 0.1.0
 */
export interface ServiceLine837 {
  /** SV101-1 when not HC. */
  readonly qualifier?: string
  /** CPT or HCPCS. */
  readonly code: string
  /** At most 4. */
  readonly modifiers: ReadonlyArray<string>
  /** Cents. */
  readonly charge: number
  readonly units: number
  /** SV105, only when it differs from the claim's. */
  readonly placeOfService?: string
  /** 1 to 4 positions (1-based) in the claim's diagnoses. */
  readonly diagnosisPointers: ReadonlyArray<number>
  readonly dateOfService: string
  /** The end of an RD8 range. */
  readonly dateOfServiceEnd?: string
  /** REF*6R. */
  readonly lineControlNumber?: string
  /** REF*G1, only when it differs from the claim's. */
  readonly priorAuthorization?: string
  readonly otherPayerAdjudication?: ReadonlyArray<LineAdjudication>
}

/**
 * Loop 2300 and below.
 *
 * @since 0.1.0
 */
export interface ClaimData {
  /** CLM01. */
  readonly patientControlNumber: string
  /** CLM02 in cents: the sum of the lines' charges. */
  readonly totalCharge: number
  /** CLM05-1. */
  readonly placeOfService: string
  /** CLM05-3. */
  readonly frequency: Frequency
  /** CLM06. */
  readonly providerSignature: boolean
  /** CLM07: A assigned, B assignment accepted on clinical lab services only, C not assigned. */
  readonly assignment: "A" | "B" | "C"
  /** CLM08: Y, N, or W (not applicable). */
  readonly benefitsAssignment: "Y" | "N" | "W"
  /** CLM09: I informed consent, Y signed statement. */
  readonly releaseOfInformation: "I" | "Y"
  /** CLM10. */
  readonly patientSignatureSource?: "P"
  /** REF*9F. */
  readonly referralNumber?: string
  /** REF*G1. */
  readonly priorAuthorization?: string
  /** REF*F8, the payer's claim control number of the claim a 7 or 8 replaces or voids. */
  readonly payerClaimControlNumber?: string
  /** ICD-10 codes without the dot, principal first (HI ABK, then ABF); at most 12. */
  readonly diagnoses: ReadonlyArray<string>
  readonly referringProvider?: Provider
  readonly renderingProvider?: Provider
  readonly serviceFacility?: ServiceFacility
  readonly supervisingProvider?: Provider
  readonly otherPayers?: ReadonlyArray<OtherPayer>
  /** 1 to 50. */
  readonly lines: ReadonlyArray<ServiceLine837>
}

/**
 * One claim with the people and payer around it.
 *
 * @since 0.1.0
 */
export interface Claim837 {
  readonly subscriber: Subscriber
  /** When the patient is not the subscriber. */
  readonly patient?: Patient
  readonly payer: Payer
  readonly claim: ClaimData
  /** When this claim's billing provider differs from the submission's. */
  readonly billing?: { readonly provider: BillingProvider; readonly payToAddress?: Address }
}

/**
 * One 837P transaction's content.
 *
 * @since 0.1.0
 */
export interface Submission837 {
  /** BHT03; the writer uses the transaction control number when absent. */
  readonly reference?: string
  readonly submitter: Submitter
  readonly receiver: Receiver
  readonly billingProvider: BillingProvider
  /** Loop 2010AB. */
  readonly payToAddress?: Address
  readonly claims: ReadonlyArray<Claim837>
}

/**
 * What a batch says once, before its claims: a submission without them, for writers that take the claims one by
 * one (`write837Chunks`, `stream837`).
 *
 * @since 0.1.0
 */
export type Header837 = Omit<Submission837, "claims">

// ---------------------------------------------------------------------------------------------------------------
// Small pieces shared by the writer and the reader
// ---------------------------------------------------------------------------------------------------------------

export { formatAmount } from "./internal/amount.js"
export { isValidNpi, npiCheckDigit } from "./internal/npi.js"

/** A quantity with at most 3 decimals and no trailing zeros. */
const formatQuantity = (n: number): string => {
  if (Number.isInteger(n)) return String(n)
  const text = n.toFixed(3)
  let end = text.length
  while (text.charCodeAt(end - 1) === 48) end--
  if (text.charCodeAt(end - 1) === 46) end--
  return text.slice(0, end)
}

const toX12Date = (iso: string): string => iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10)

type Draft<T> = { -readonly [K in keyof T]: T[K] }

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

// Aliases, not `export type { … } from`: the bundled declarations of a module exported as a namespace turn a
// re-export into a value (the packaging test type-checks them).

/**
 * A reason the writer refused: the field's path (`claims[2].claim.lines[0].diagnosisPointers[1]`) and what is
 * wrong with it, never its value. The 835 writer (`Remittance.write835`) takes the same.
 *
 * @since 0.1.0
 */
export type ValidationFailure = Write.ValidationFailure

/**
 * The envelope's control numbers (see `ControlNumbers`).
 *
 * @since 0.1.0
 */
export type Controls = Write.Controls

/**
 * The envelope and the text's form.
 *
 * @since 0.1.0
 */
export type WriteOptions = Write.WriteOptions

const icd10Pattern = /^[A-Z][0-9][0-9A-Z]{1,5}$/u
const procedurePattern = /^[A-Z0-9]{5}$/u
const modifierPattern = /^[A-Z0-9]{2}$/u
const posPattern = /^\d{2}$/u
const taxonomyPattern = /^[0-9A-Z]{9}X$/u
const statePattern = /^[A-Z]{2}$/u

/** One empty list for every absent one (a claim's validation allocates none) and every reader step with no event. */
const none: ReadonlyArray<never> = []

class Validator extends FieldValidator {
  npi(path: PathLike, field: string, value: string | undefined) {
    if (value === undefined || value === "") return this.fail(`${path}${field}`, "is required")
    if (!isValidNpi(value)) this.fail(`${path}${field}`, "is not a valid NPI (10 digits with a Luhn check digit)")
  }

  name(path: PathLike, name: PersonName, person: boolean) {
    this.text(path, ".last", name.last, 60)
    this.text(path, ".first", name.first, 35, person)
    this.text(path, ".middle", name.middle, 25, false)
    this.text(path, ".suffix", name.suffix, 10, false)
  }

  /** `parent` and `field` rather than a path: most addresses are absent, and a path is made only for one given. */
  address(parent: PathLike, field: string, address: Address | undefined, zip9 = false) {
    if (address === undefined) return
    const path = at(parent, field)
    this.text(path, ".line1", address.line1, 55)
    this.text(path, ".line2", address.line2, 55, false)
    this.text(path, ".city", address.city, 30)
    this.pattern(path, ".state", address.state, statePattern, "must be two capital letters")
    if (zip9) this.pattern(path, ".postalCode", address.postalCode, /^\d{9}$/u, "must be the 9-digit ZIP code")
    else this.pattern(path, ".postalCode", address.postalCode, /^\d{5}(?:\d{4})?$/u, "must be 5 or 9 digits")
  }

  /** Loop 2010AB is sent only when payment goes to another address than the billing provider's (2010AA). */
  payTo(path: PathLike, payTo: Address | undefined, provider: BillingProvider | undefined) {
    if (payTo === undefined || provider?.address === undefined) return
    const billing = provider.address
    if (
      payTo.line1 === billing.line1 &&
      (payTo.line2 ?? "") === (billing.line2 ?? "") &&
      payTo.city === billing.city &&
      payTo.state === billing.state &&
      payTo.postalCode.slice(0, 5) === billing.postalCode.slice(0, 5)
    )
      this.fail(path, "is the billing provider's address: leave it out (the pay-to loop is for another address)")
  }

  contact(path: PathLike, contact: Contact) {
    this.text(path, ".name", contact.name, 60)
    this.text(path, ".phone", contact.phone, 256, false)
    this.text(path, ".email", contact.email, 256, false)
    if (contact.phone !== undefined && !/^\d{10,}$/u.test(contact.phone))
      this.fail(`${path}.phone`, "must be digits only, area code first")
    if (!contact.phone && !contact.email) this.fail(path, "needs a phone or an email")
  }

  billingProvider(path: PathLike, provider: BillingProvider) {
    this.text(path, ".name", provider.name, 60)
    this.text(path, ".firstName", provider.firstName, 35, false)
    this.npi(path, ".npi", provider.npi)
    this.pattern(path, ".taxonomy", provider.taxonomy, taxonomyPattern, "must be a 10-character taxonomy code", false)
    this.pattern(path, ".ein", provider.ein, /^\d{9}$/u, "must be 9 digits")
    if (provider.address === undefined) this.fail(`${path}.address`, "is required")
    else this.address(path, ".address", provider.address, true)
    if (provider.contact !== undefined) this.contact(at(path, ".contact"), provider.contact)
  }

  provider(parent: PathLike, field: string, provider: Provider | undefined, taxonomy: boolean) {
    if (provider === undefined) return
    const path = at(parent, field)
    this.npi(path, ".npi", provider.npi)
    this.name(at(path, ".name"), provider.name, false)
    if (taxonomy)
      this.pattern(path, ".taxonomy", provider.taxonomy, taxonomyPattern, "must be a 10-character taxonomy code", false)
    else if (provider.taxonomy !== undefined)
      this.fail(`${path}.taxonomy`, "is written for the rendering provider only")
  }

  adjustments(path: PathLike, adjustments: ReadonlyArray<Adjustment>) {
    if (adjustments.length === 0) return
    const perGroup = new Map<string, number>()
    for (let i = 0; i < adjustments.length; i++) {
      const adjustment = adjustments[i] as Adjustment
      const item = at(path, "", i)
      this.oneOf(item, ".group", adjustment.group, adjustmentGroups)
      this.pattern(item, ".reason", adjustment.reason, /^[A-Z0-9]{1,5}$/u, "must be a claim adjustment reason code")
      this.cents(item, ".amount", adjustment.amount, true, true)
      if (adjustment.quantity !== undefined) this.quantity(item, ".quantity", adjustment.quantity)
      const count = (perGroup.get(adjustment.group) ?? 0) + 1
      perGroup.set(adjustment.group, count)
      if (count === 7) this.fail(item, "at most 6 adjustments per group code")
    }
  }

  claim(path: PathLike, claim: Claim837) {
    const subscriber = claim.subscriber
    const sp = at(path, ".subscriber")
    if (subscriber === undefined) this.fail(sp, "is required")
    else {
      this.text(sp, ".memberId", subscriber.memberId, 80)
      this.name(at(sp, ".name"), subscriber.name, true)
      this.oneOf(sp, ".responsibility", subscriber.responsibility, responsibilities)
      this.oneOf(sp, ".claimFilingIndicator", subscriber.claimFilingIndicator, claimFilingIndicators)
      this.text(sp, ".groupNumber", subscriber.groupNumber, 50, false)
      this.text(sp, ".groupName", subscriber.groupName, 60, false)
      this.address(sp, ".address", subscriber.address)
      const self = claim.patient === undefined
      this.date(sp, ".dob", subscriber.dob, self)
      this.oneOf(sp, ".sex", subscriber.sex, sexes, self)
      if (!self && (subscriber.dob === undefined) !== (subscriber.sex === undefined))
        this.fail(`${sp}.sex`, "the date of birth and the sex are written together (DMG)")
      if (self && subscriber.relationship !== "18")
        this.fail(`${sp}.relationship`, 'must be "18" when the subscriber is the patient')
      if (!self && subscriber.relationship !== undefined)
        this.fail(`${sp}.relationship`, "must be absent when the claim has a patient other than the subscriber")
    }
    if (claim.patient !== undefined) {
      const pp = at(path, ".patient")
      this.pattern(
        pp,
        ".relationship",
        claim.patient.relationship,
        /^(?:01|19|20|21|39|40|53|G8)$/u,
        "is not a patient relationship code"
      )
      this.name(at(pp, ".name"), claim.patient.name, true)
      this.date(pp, ".dob", claim.patient.dob)
      this.oneOf(pp, ".sex", claim.patient.sex, sexes)
      this.address(pp, ".address", claim.patient.address)
    }
    if (claim.payer === undefined) this.fail(`${path}.payer`, "is required")
    else {
      this.text(path, ".payer.name", claim.payer.name, 60)
      this.text(path, ".payer.id", claim.payer.id, 80)
      this.address(path, ".payer.address", claim.payer.address)
    }
    if (claim.billing !== undefined) {
      this.billingProvider(at(path, ".billing.provider"), claim.billing.provider)
      this.address(path, ".billing.payToAddress", claim.billing.payToAddress)
      this.payTo(at(path, ".billing.payToAddress"), claim.billing.payToAddress, claim.billing.provider)
    }
    const c = claim.claim
    const cp = at(path, ".claim")
    if (c === undefined) return this.fail(cp, "is required")
    this.text(cp, ".patientControlNumber", c.patientControlNumber, 38)
    this.pattern(cp, ".placeOfService", c.placeOfService, posPattern, "must be a 2-digit place of service code")
    this.oneOf(cp, ".frequency", c.frequency, frequencies)
    if ((c.frequency === "7" || c.frequency === "8") && !c.payerClaimControlNumber)
      this.fail(`${cp}.payerClaimControlNumber`, "is required when the frequency is 7 (replacement) or 8 (void)")
    this.oneOf(cp, ".assignment", c.assignment, assignments)
    this.oneOf(cp, ".benefitsAssignment", c.benefitsAssignment, yesNoW)
    this.oneOf(cp, ".releaseOfInformation", c.releaseOfInformation, releases)
    if (c.patientSignatureSource !== undefined && c.patientSignatureSource !== "P")
      this.fail(`${cp}.patientSignatureSource`, 'must be "P"')
    this.text(cp, ".referralNumber", c.referralNumber, 50, false)
    this.text(cp, ".priorAuthorization", c.priorAuthorization, 50, false)
    this.text(cp, ".payerClaimControlNumber", c.payerClaimControlNumber, 50, false)
    const diagnoses = c.diagnoses ?? none
    if (diagnoses.length === 0) this.fail(`${cp}.diagnoses`, "needs at least the principal diagnosis")
    if (diagnoses.length > 12) this.fail(`${cp}.diagnoses`, "at most 12 diagnoses")
    for (let i = 0; i < diagnoses.length; i++) {
      const code = diagnoses[i] as string
      if (code.includes(".")) this.fail(`${cp}.diagnoses[${i}]`, "must be written without the dot")
      else if (!icd10Pattern.test(code)) this.fail(`${cp}.diagnoses[${i}]`, "is not an ICD-10 code")
    }
    this.provider(cp, ".referringProvider", c.referringProvider, false)
    this.provider(cp, ".renderingProvider", c.renderingProvider, true)
    this.provider(cp, ".supervisingProvider", c.supervisingProvider, false)
    if (c.serviceFacility !== undefined) {
      this.text(cp, ".serviceFacility.name", c.serviceFacility.name, 60)
      if (c.serviceFacility.npi !== undefined) this.npi(cp, ".serviceFacility.npi", c.serviceFacility.npi)
      if (c.serviceFacility.address === undefined) this.fail(`${cp}.serviceFacility.address`, "is required")
      else this.address(cp, ".serviceFacility.address", c.serviceFacility.address)
    }
    const otherPayers = c.otherPayers ?? none
    if (otherPayers.length > 10) this.fail(`${cp}.otherPayers`, "at most 10 other payers")
    // Only a claim with other payers needs their ids.
    const otherPayerIds = otherPayers.length === 0 ? undefined : new Set<string>()
    for (let i = 0; i < otherPayers.length; i++) {
      const other = otherPayers[i] as OtherPayer
      const op = at(cp, ".otherPayers", i)
      this.oneOf(op, ".responsibility", other.responsibility, responsibilities)
      this.pattern(
        op,
        ".relationship",
        other.relationship,
        /^(?:01|18|19|20|21|39|40|53|G8)$/u,
        "is not an individual relationship code"
      )
      this.oneOf(op, ".claimFilingIndicator", other.claimFilingIndicator, claimFilingIndicators)
      this.text(op, ".groupNumber", other.groupNumber, 50, false)
      this.text(op, ".groupName", other.groupName, 60, false)
      this.cents(op, ".paidAmount", other.paidAmount, false, true)
      this.cents(op, ".remainingPatientLiability", other.remainingPatientLiability, false)
      this.adjustments(at(op, ".adjustments"), other.adjustments ?? none)
      this.oneOf(op, ".benefitsAssignment", other.benefitsAssignment, yesNoW)
      this.oneOf(op, ".releaseOfInformation", other.releaseOfInformation, releases)
      if (other.patientSignatureSource !== undefined && other.patientSignatureSource !== "P")
        this.fail(`${op}.patientSignatureSource`, 'must be "P"')
      if (other.subscriber === undefined) this.fail(`${op}.subscriber`, "is required")
      else {
        this.name(at(op, ".subscriber.name"), other.subscriber.name, true)
        this.text(op, ".subscriber.memberId", other.subscriber.memberId, 80)
        this.address(op, ".subscriber.address", other.subscriber.address)
      }
      if (other.payer === undefined) this.fail(`${op}.payer`, "is required")
      else {
        this.text(op, ".payer.name", other.payer.name, 60)
        this.text(op, ".payer.id", other.payer.id, 80)
        this.address(op, ".payer.address", other.payer.address)
        otherPayerIds?.add(other.payer.id)
      }
      this.date(op, ".adjudicationDate", other.adjudicationDate, false)
    }
    const lines = c.lines ?? none
    if (lines.length === 0) this.fail(`${cp}.lines`, "needs at least one service line")
    if (lines.length > 50) this.fail(`${cp}.lines`, "at most 50 service lines")
    let total = 0
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as ServiceLine837
      const lp = at(cp, ".lines", i)
      this.text(lp, ".qualifier", line.qualifier, 2, false)
      if (line.qualifier === undefined || line.qualifier === "HC")
        this.pattern(lp, ".code", line.code, procedurePattern, "must be a 5-character CPT or HCPCS code")
      else this.text(lp, ".code", line.code, 48)
      const modifiers = line.modifiers ?? none
      if (modifiers.length > 4) this.fail(`${lp}.modifiers`, "at most 4 modifiers")
      for (let j = 0; j < modifiers.length; j++) {
        const m = modifiers[j] as string
        if (!modifierPattern.test(m)) this.fail(`${lp}.modifiers[${j}]`, "must be 2 letters or digits")
      }
      this.cents(lp, ".charge", line.charge)
      if (Number.isSafeInteger(line.charge)) total += line.charge
      this.quantity(lp, ".units", line.units)
      this.pattern(
        lp,
        ".placeOfService",
        line.placeOfService,
        posPattern,
        "must be a 2-digit place of service code",
        false
      )
      const pointers = line.diagnosisPointers ?? none
      if (pointers.length === 0) this.fail(`${lp}.diagnosisPointers`, "needs at least one diagnosis pointer")
      if (pointers.length > 4) this.fail(`${lp}.diagnosisPointers`, "at most 4 diagnosis pointers")
      for (let j = 0; j < pointers.length; j++) {
        const p = pointers[j] as number
        if (!Number.isInteger(p) || p < 1 || p > Math.min(12, diagnoses.length))
          this.fail(`${lp}.diagnosisPointers[${j}]`, "must point at one of the claim's diagnoses (1-based)")
      }
      this.date(lp, ".dateOfService", line.dateOfService)
      this.date(lp, ".dateOfServiceEnd", line.dateOfServiceEnd, false)
      if (line.dateOfServiceEnd !== undefined && line.dateOfServiceEnd < line.dateOfService)
        this.fail(`${lp}.dateOfServiceEnd`, "must not be before the date of service")
      this.text(lp, ".lineControlNumber", line.lineControlNumber, 50, false)
      this.text(lp, ".priorAuthorization", line.priorAuthorization, 50, false)
      if (line.priorAuthorization !== undefined && line.priorAuthorization === c.priorAuthorization)
        this.fail(`${lp}.priorAuthorization`, "is given only when it differs from the claim's")
      const adjudications = line.otherPayerAdjudication ?? none
      for (let j = 0; j < adjudications.length; j++) {
        const adjudication = adjudications[j] as LineAdjudication
        const ap = at(lp, ".otherPayerAdjudication", j)
        if (otherPayerIds?.has(adjudication.payerId) !== true)
          this.fail(`${ap}.payerId`, "must be the id of one of the claim's other payers")
        this.cents(ap, ".paidAmount", adjudication.paidAmount, true, true)
        this.text(ap, ".qualifier", adjudication.qualifier, 2, false)
        this.text(ap, ".code", adjudication.code, 48)
        const mods = adjudication.modifiers ?? none
        if (mods.length > 4) this.fail(`${ap}.modifiers`, "at most 4 modifiers")
        for (let k = 0; k < mods.length; k++) {
          const m = mods[k] as string
          if (!modifierPattern.test(m)) this.fail(`${ap}.modifiers[${k}]`, "must be 2 letters or digits")
        }
        if (!Number.isFinite(adjudication.paidUnits) || adjudication.paidUnits < 0)
          this.fail(`${ap}.paidUnits`, "must be a number, 0 or more")
        if (
          adjudication.bundledLineNumber !== undefined &&
          (!Number.isInteger(adjudication.bundledLineNumber) ||
            adjudication.bundledLineNumber < 1 ||
            adjudication.bundledLineNumber > lines.length)
        )
          this.fail(`${ap}.bundledLineNumber`, "must be the number of one of the claim's lines")
        this.adjustments(at(ap, ".adjustments"), adjudication.adjustments ?? none)
        this.date(ap, ".adjudicationDate", adjudication.adjudicationDate)
        this.cents(ap, ".remainingPatientLiability", adjudication.remainingPatientLiability, false)
      }
    }
    this.cents(cp, ".totalCharge", c.totalCharge)
    if (lines.length > 0 && c.totalCharge !== total)
      this.fail(`${cp}.totalCharge`, "must equal the sum of the lines' charges")
  }
}

const sexes: ReadonlySet<string> = new Set(["M", "F", "U"])
const frequencies: ReadonlySet<string> = new Set(["1", "7", "8"])
const assignments: ReadonlySet<string> = new Set(["A", "B", "C"])
const yesNoW: ReadonlySet<string> = new Set(["Y", "N", "W"])
const releases: ReadonlySet<string> = new Set(["I", "Y"])

/** What is wrong with the envelope and the parties a batch names once (all but its claims). */
const validateHeader = (v: Validator, submission: Header837, controls: Controls, options: WriteOptions) => {
  validateEnvelope(
    v,
    controls,
    options,
    options.sender ?? submission.submitter?.id,
    options.receiver ?? submission.receiver?.id
  )
  v.text("", "reference", submission.reference, 50, false)
  if (submission.submitter === undefined) v.fail("submitter", "is required")
  else {
    v.text("", "submitter.name", submission.submitter.name, 60)
    v.text("", "submitter.id", submission.submitter.id, 80)
    if (submission.submitter.contact === undefined) v.fail("submitter.contact", "is required")
    else v.contact("submitter.contact", submission.submitter.contact)
  }
  if (submission.receiver === undefined) v.fail("receiver", "is required")
  else {
    v.text("", "receiver.name", submission.receiver.name, 60)
    v.text("", "receiver.id", submission.receiver.id, 80)
  }
  if (submission.billingProvider === undefined) v.fail("billingProvider", "is required")
  else v.billingProvider("billingProvider", submission.billingProvider)
  v.address("", "payToAddress", submission.payToAddress)
  v.payTo("payToAddress", submission.payToAddress, submission.billingProvider)
}

/**
 * Everything wrong with a submission, its control numbers and options; empty when it can be written.
 *
 * @since 0.1.0
 */
export const validate837 = (
  submission: Submission837,
  controls: Controls,
  options: WriteOptions
): ReadonlyArray<ValidationFailure> => {
  const v = new Validator(options.delimiters ?? defaultDelimiters)
  validateHeader(v, submission, controls, options)
  if (submission.claims.length === 0) v.fail("claims", "needs at least one claim")
  submission.claims.forEach((claim, i) => {
    v.claim(at("claims", "", i), claim)
  })
  return v.failures
}

// ---------------------------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------------------------

/** What the claim writers write into: segments element by element, with no array per segment. */
interface Sink {
  /** The element separator. */
  readonly e: string
  /** The component separator. */
  readonly c: string
  /** Constant starts of the segments written per claim and line, with this interchange's separators. */
  readonly k: Constants
  /** Segments in the transaction so far (SE01 counts them). */
  count: number
  /** Starts a segment with its id, or with a constant start of several non-empty elements. */
  start(id: string): Sink
  /** The next element; an empty one is held back until a non-empty one follows, so trailing ones drop. */
  el(value: string): Sink
  /** The next element when given, an empty one otherwise. */
  opt(value: string | undefined): Sink
  /** An empty element. */
  skip(): Sink
  /** A whole number, 0 or more, as an element. */
  int(n: number): Sink
  /** Cents as an X12 amount (`formatAmount`), as an element. */
  amount(cents: number): Sink
  /** An ISO date as CCYYMMDD, as an element. */
  date(iso: string): Sink
  /** A procedure (SV101, SVD03): qualifier (HC when absent), code and modifiers as components of one element. */
  procedure(qualifier: string | undefined, code: string, modifiers: ReadonlyArray<string>): Sink
  /** Ends the segment. */
  end(): void
}

/**
 * Writes segments straight into one string, element by element: an empty element is held back until a non-empty
 * one follows it, so trailing empty elements are dropped as X12 wants and the text is the same as joining the
 * elements. The streaming writer also gets where each segment ends. Used for the envelope, for delimiters past
 * ASCII, and for a claim with a character past ASCII (see `ByteSink`).
 */
class StringSink implements Sink {
  /** What was written since the last `take`. */
  text = ""
  count = 0
  /** Where each segment written since the last `take` ends in `text`, when segments are wanted one by one. */
  readonly ends: Array<number> | undefined
  /** Empty elements not written yet. */
  private empties = 0
  readonly e: string
  readonly c: string
  private readonly terminator: string
  readonly k: Constants
  /** The last ISO date converted, and its CCYYMMDD (the dates of a batch repeat). */
  private iso = ""
  private d8 = ""

  constructor(d: Delimiters, newline: boolean, segmentsWanted: boolean) {
    this.e = d.element
    this.c = d.component
    this.terminator = newline ? `${d.segment}\n` : d.segment
    this.ends = segmentsWanted ? [] : undefined
    this.k = constants(d.element)
  }

  start(id: string): this {
    this.text += id
    this.empties = 0
    return this
  }

  el(value: string): this {
    if (value.length === 0) this.empties++
    else {
      const empties = this.empties
      this.text += (empties === 0 ? this.e : this.e.repeat(empties + 1)) + value
      this.empties = 0
    }
    return this
  }

  opt(value: string | undefined): this {
    return value === undefined ? this.skip() : this.el(value)
  }

  skip(): this {
    this.empties++
    return this
  }

  int(n: number): this {
    return this.el(String(n))
  }

  procedure(qualifier: string | undefined, code: string, modifiers: ReadonlyArray<string>): this {
    return this.el(procedure(this.c, qualifier, code, modifiers))
  }

  amount(cents: number): this {
    return this.el(formatAmount(cents))
  }

  date(iso: string): this {
    if (iso !== this.iso) {
      this.iso = iso
      this.d8 = toX12Date(iso)
    }
    return this.el(this.d8)
  }

  end(): void {
    this.text += this.terminator
    this.count++
    this.ends?.push(this.text.length)
  }

  /** A whole segment already joined (ISA and GS: fixed width or never empty, and not counted in SE01). */
  raw(segment: string): void {
    this.text += segment + this.terminator
    this.ends?.push(this.text.length)
  }

  /** The text written since the last call (its segments end at `ends`, for the streaming writer). */
  take(): string {
    const text = this.text
    this.text = ""
    return text
  }
}

const decoder = new TextDecoder()

/**
 * The fast sink: characters written as bytes into one growing buffer and decoded into text a chunk at a time, so
 * a claim leaves no string pieces behind. It takes ASCII only: a character past it sets `wide`, and the caller
 * writes that claim again through a `StringSink` (delimiters past ASCII use a `StringSink` throughout).
 */
class ByteSink implements Sink {
  bytes = new Uint8Array(1 << 16)
  /** Bytes written since the last `take`. */
  at = 0
  count = 0
  /** A character past ASCII was written since the caller last cleared this: those bytes are not the text. */
  wide = false
  /** Where each segment written since the last `take` ends, when segments are wanted one by one. */
  readonly ends: Array<number> | undefined
  private empties = 0
  readonly e: string
  readonly c: string
  readonly k: Constants
  private readonly separator: number
  private readonly terminator: string
  /** Digits of a number, last first. */
  private readonly digits = new Uint8Array(24)

  constructor(d: Delimiters, newline: boolean, segmentsWanted: boolean) {
    this.e = d.element
    this.c = d.component
    this.separator = d.element.charCodeAt(0)
    this.terminator = newline ? `${d.segment}\n` : d.segment
    this.ends = segmentsWanted ? [] : undefined
    this.k = constants(d.element)
  }

  /** Room for `n` more bytes. */
  private room(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n))
      grown.set(this.bytes.subarray(0, this.at))
      this.bytes = grown
    }
    return this.bytes
  }

  private put(text: string): void {
    const n = text.length
    const bytes = this.room(n)
    let at = this.at
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i)
      if (code > 127) this.wide = true
      bytes[at++] = code
    }
    this.at = at
  }

  /** The separators before a non-empty element (and the empty ones held back). */
  private separators(): void {
    const bytes = this.room(this.empties + 1)
    for (let i = this.empties; i >= 0; i--) bytes[this.at++] = this.separator
    this.empties = 0
  }

  start(id: string): this {
    this.put(id)
    this.empties = 0
    return this
  }

  el(value: string): this {
    if (value.length === 0) this.empties++
    else {
      this.separators()
      this.put(value)
    }
    return this
  }

  // Component by component, no string made (the code is validated non-empty).
  procedure(qualifier: string | undefined, code: string, modifiers: ReadonlyArray<string>): this {
    this.separators()
    this.put(qualifier ?? "HC")
    this.put(this.c)
    this.put(code)
    for (let m = 0; m < modifiers.length; m++) {
      this.put(this.c)
      this.put(modifiers[m] as string)
    }
    return this
  }

  opt(value: string | undefined): this {
    return value === undefined ? this.skip() : this.el(value)
  }

  skip(): this {
    this.empties++
    return this
  }

  /** The digits of a whole number (not an element). */
  private digitsOf(n: number): void {
    const digits = this.digits
    let count = 0
    do {
      const q = Math.floor(n / 10)
      digits[count++] = 48 + n - q * 10
      n = q
    } while (n > 0)
    const bytes = this.room(count)
    let at = this.at
    while (count > 0) bytes[at++] = digits[--count] as number
    this.at = at
  }

  int(n: number): this {
    // Past 10^15 the digits by division could round: the string's digits instead.
    if (!Number.isInteger(n) || n < 0 || n > 1e15) return this.el(String(n))
    this.separators()
    this.digitsOf(n)
    return this
  }

  amount(cents: number): this {
    if (!Number.isSafeInteger(cents)) return this.el(formatAmount(cents))
    this.separators()
    // As `formatAmount`: no trailing zeros, no point for whole dollars.
    let abs = cents
    if (cents < 0) {
      this.room(1)[this.at++] = 45
      abs = -cents
    }
    const whole = Math.floor(abs / 100)
    const fraction = abs - whole * 100
    this.digitsOf(whole)
    if (fraction !== 0) {
      const bytes = this.room(3)
      bytes[this.at++] = 46
      const tens = Math.floor(fraction / 10)
      bytes[this.at++] = 48 + tens
      if (fraction !== tens * 10) bytes[this.at++] = 48 + fraction - tens * 10
    }
    return this
  }

  date(iso: string): this {
    this.separators()
    // A validated ISO date: CCYY-MM-DD, ASCII digits.
    const bytes = this.room(8)
    let at = this.at
    bytes[at++] = iso.charCodeAt(0)
    bytes[at++] = iso.charCodeAt(1)
    bytes[at++] = iso.charCodeAt(2)
    bytes[at++] = iso.charCodeAt(3)
    bytes[at++] = iso.charCodeAt(5)
    bytes[at++] = iso.charCodeAt(6)
    bytes[at++] = iso.charCodeAt(8)
    bytes[at++] = iso.charCodeAt(9)
    this.at = at
    return this
  }

  end(): void {
    this.put(this.terminator)
    this.count++
    this.ends?.push(this.at)
  }

  /** The text written since the last call (ASCII: `wide` is false), and the buffer emptied. */
  take(): string {
    const text = decoder.decode(this.bytes.subarray(0, this.at))
    this.at = 0
    return text
  }
}

/** The constant starts (several elements) of segments written per claim and line. */
const constants = (e: string) => ({
  nm1il: `NM1${e}IL${e}1`,
  nm1pr: `NM1${e}PR${e}2`,
  nm1qc: `NM1${e}QC${e}1`,
  dmg: `DMG${e}D8`,
  refG1: `REF${e}G1`,
  dtp472: `DTP${e}472`,
  ref6r: `REF${e}6R`
})

type Constants = ReturnType<typeof constants>

const isAscii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false
  return true
}

/** A `ByteSink` when the delimiters are ASCII, else undefined (everything goes through a `StringSink`). */
const byteSink = (d: Delimiters, newline: boolean, segmentsWanted: boolean): ByteSink | undefined =>
  isAscii(d.element + d.component + d.segment) ? new ByteSink(d, newline, segmentsWanted) : undefined

const billingKey = (provider: BillingProvider, payTo: Address | undefined) => JSON.stringify([provider, payTo ?? null])

/** The interchange header: ISA, GS, ST, BHT and the 1000A/1000B loops. */
const writeHeader = (w: StringSink, submission: Submission837, controls: Controls, options: WriteOptions) => {
  const { date, time } = options
  const sender = options.sender ?? submission.submitter.id
  const receiver = options.receiver ?? submission.receiver.id
  const [isa, gs] = envelopeHeader(controls, options, sender, receiver, "HC", "005010X222A1")
  w.raw(isa)
  w.raw(gs)
  w.count = 0
  w.start("ST").el("837").el(controls.transaction).el("005010X222A1").end()
  w.start("BHT")
    .el("0019")
    .el("00")
    .el(submission.reference ?? controls.transaction)
    .el(date)
    .el(time)
    .el("CH")
    .end()
  const submitter = submission.submitter
  w.start("NM1").el("41").el("2").el(submitter.name).skip().skip().skip().skip().el("46").el(submitter.id).end()
  per(w, submitter.contact)
  const receiverParty = submission.receiver
  w.start("NM1").el("40").el("2").el(receiverParty.name).skip().skip().skip().skip().el("46").el(receiverParty.id).end()
}

/** SE, GE and IEA. */
const writeTrailer = (w: StringSink, controls: Controls) => {
  const e = w.e
  w.start("SE")
    .el(String(w.count + 1))
    .el(controls.transaction)
    .end()
  const [ge, iea] = envelopeTrailer(e, controls)
  w.raw(ge)
  w.raw(iea)
}

/** Writes the submission's loops claim by claim into a sink: a claim's segments, and its billing loop when it
 * changes. `mark` and `back` undo a claim (to write it again through another sink). */
class ClaimsWriter {
  private hl = 0
  private currentBilling: string | undefined
  private billingHl = 0
  private readonly defaultKey: string
  private savedHl = 0
  private savedBilling: string | undefined
  private savedBillingHl = 0

  constructor(private readonly submission: Submission837) {
    this.defaultKey = billingKey(submission.billingProvider, submission.payToAddress)
  }

  claim(w: Sink, claim: Claim837) {
    const submission = this.submission
    const provider = claim.billing?.provider ?? submission.billingProvider
    const payTo = claim.billing === undefined ? submission.payToAddress : claim.billing.payToAddress
    const key = claim.billing === undefined ? this.defaultKey : billingKey(provider, payTo)
    if (key !== this.currentBilling) {
      this.currentBilling = key
      this.hl++
      this.billingHl = this.hl
      writeBillingProvider(w, this.hl, provider, payTo)
    }
    this.hl = writeClaim(w, claim, this.hl, this.billingHl)
  }

  mark() {
    this.savedHl = this.hl
    this.savedBilling = this.currentBilling
    this.savedBillingHl = this.billingHl
  }

  back() {
    this.hl = this.savedHl
    this.currentBilling = this.savedBilling
    this.billingHl = this.savedBillingHl
  }
}

/**
 * Writes one claim into `bytes` when it is all ASCII; otherwise undoes it and writes it into `strings`, and
 * returns true. Both sinks must be empty of unfinished segments; the segment count carries over.
 */
const claimInto = (claims: ClaimsWriter, bytes: ByteSink, strings: StringSink, claim: Claim837): boolean => {
  const at = bytes.at
  const count = bytes.count
  const ends = bytes.ends?.length ?? 0
  claims.mark()
  claims.claim(bytes, claim)
  if (!bytes.wide) return false
  bytes.wide = false
  bytes.at = at
  bytes.count = count
  if (bytes.ends !== undefined) bytes.ends.length = ends
  claims.back()
  strings.count = count
  claims.claim(strings, claim)
  bytes.count = strings.count
  return true
}

/** The segments of `text` (ending at `ends`), one by one; `ends` is emptied. */
function* segmentsOf(text: string, ends: Array<number>): Generator<string, void, undefined> {
  let start = 0
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number
    yield text.slice(start, end)
    start = end
  }
  ends.length = 0
}

function* writeLines(
  submission: Submission837,
  controls: Controls,
  options: WriteOptions
): Generator<string, void, undefined> {
  const d = options.delimiters ?? defaultDelimiters
  const newline = options.newline === true
  const strings = new StringSink(d, newline, true)
  const bytes = byteSink(d, newline, true)
  const stringEnds = strings.ends as Array<number>
  writeHeader(strings, submission, controls, options)
  yield* segmentsOf(strings.take(), stringEnds)
  const claims = new ClaimsWriter(submission)
  if (bytes === undefined) {
    for (const claim of submission.claims) {
      claims.claim(strings, claim)
      yield* segmentsOf(strings.take(), stringEnds)
    }
  } else {
    bytes.count = strings.count
    const byteEnds = bytes.ends as Array<number>
    for (const claim of submission.claims) {
      // Each claim's text decoded once; its segments are slices of it.
      if (claimInto(claims, bytes, strings, claim)) yield* segmentsOf(strings.take(), stringEnds)
      else yield* segmentsOf(bytes.take(), byteEnds)
    }
    strings.count = bytes.count
  }
  writeTrailer(strings, controls)
  yield* segmentsOf(strings.take(), stringEnds)
}

/** Bytes decoded into text once this many are written (and at the end). */
const chunkBytes = 1 << 20

/** The whole text, decoded from the byte sink a megabyte at a time (or each claim's string, joined in chunks). */
const writeText = (submission: Submission837, controls: Controls, options: WriteOptions): string => {
  const d = options.delimiters ?? defaultDelimiters
  const newline = options.newline === true
  const strings = new StringSink(d, newline, false)
  const bytes = byteSink(d, newline, false)
  const chunks: Array<string> = []
  writeHeader(strings, submission, controls, options)
  chunks.push(strings.take())
  const claims = new ClaimsWriter(submission)
  const all = submission.claims
  if (bytes === undefined) {
    const chunk: Array<string> = []
    for (let i = 0; i < all.length; i++) {
      claims.claim(strings, all[i] as Claim837)
      chunk.push(strings.take())
      if (chunk.length === 512) {
        chunks.push(chunk.join(""))
        chunk.length = 0
      }
    }
    chunks.push(chunk.join(""))
  } else {
    bytes.count = strings.count
    for (let i = 0; i < all.length; i++) {
      const at = bytes.at
      if (claimInto(claims, bytes, strings, all[i] as Claim837)) {
        // What came before this claim, then the claim's own text.
        if (at > 0) chunks.push(bytes.take())
        chunks.push(strings.take())
      } else if (bytes.at >= chunkBytes) chunks.push(bytes.take())
    }
    if (bytes.at > 0) chunks.push(bytes.take())
    strings.count = bytes.count
  }
  writeTrailer(strings, controls)
  chunks.push(strings.take())
  return chunks.join("")
}

const per = (w: Sink, contact: Contact) => {
  w.start("PER").el("IC").el(contact.name)
  if (contact.phone) w.el("TE").el(contact.phone)
  if (contact.email) w.el("EM").el(contact.email)
  w.end()
}

const addressSegments = (w: Sink, address: Address | undefined) => {
  if (address === undefined) return
  w.start("N3").opt(address.line1).opt(address.line2).end()
  w.start("N4").opt(address.city).opt(address.state).opt(address.postalCode).end()
}

/** NM103 to NM107 of a person or organization. */
const personName = (w: Sink, name: PersonName): Sink =>
  w.el(name.last).opt(name.first).opt(name.middle).skip().opt(name.suffix)

const writeBillingProvider = (w: Sink, hl: number, provider: BillingProvider, payTo: Address | undefined) => {
  w.start("HL").int(hl).skip().el("20").el("1").end()
  if (provider.taxonomy !== undefined) w.start("PRV").el("BI").el("PXC").el(provider.taxonomy).end()
  w.start("NM1")
    .el("85")
    .el(provider.firstName === undefined ? "2" : "1")
    .el(provider.name)
    .opt(provider.firstName)
    .skip()
    .skip()
    .skip()
    .el("XX")
    .el(provider.npi)
    .end()
  addressSegments(w, provider.address)
  w.start("REF").el("EI").el(provider.ein).end()
  if (provider.contact !== undefined) per(w, provider.contact)
  if (payTo !== undefined) {
    w.start("NM1").el("87").el("2").end()
    addressSegments(w, payTo)
  }
}

const providerSegment = (w: Sink, code: string, provider: Provider) => {
  w.start("NM1")
    .el(code)
    .el(provider.name.first === undefined ? "2" : "1")
  personName(w, provider.name).el("XX").el(provider.npi).end()
}

/** CAS segments: one per group code, in the order the groups first appear, each with its reasons in order. */
const writeAdjustments = (w: Sink, adjustments: ReadonlyArray<Adjustment>) => {
  for (let i = 0; i < adjustments.length; i++) {
    const group = (adjustments[i] as Adjustment).group
    let seen = false
    for (let j = 0; j < i && !seen; j++) seen = (adjustments[j] as Adjustment).group === group
    if (seen) continue
    w.start("CAS").el(group)
    for (let j = i; j < adjustments.length; j++) {
      const a = adjustments[j] as Adjustment
      if (a.group !== group) continue
      w.el(a.reason)
        .amount(a.amount)
        .el(a.quantity === undefined ? "" : formatQuantity(a.quantity))
    }
    w.end()
  }
}

const dateSegment = (w: Sink, start: string, from: string, to: string | undefined) => {
  if (to === undefined) w.start(start).el("D8").date(from).end()
  else
    w.start(start)
      .el("RD8")
      .el(`${toX12Date(from)}-${toX12Date(to)}`)
      .end()
}

/** SV101 or SVD03: the qualifier, the code and the modifiers (all validated non-empty but the qualifier). */
const procedure = (c: string, qualifier: string | undefined, code: string, modifiers: ReadonlyArray<string>) => {
  let text = `${qualifier ?? "HC"}${c}${code}`
  for (let m = 0; m < modifiers.length; m++) text += c + (modifiers[m] as string)
  return text
}

/** Writes a claim's HL 22 (and 23) and 2300 loop; returns the last HL number used. */
const writeClaim = (w: Sink, claim: Claim837, hl: number, billingHl: number): number => {
  const k = w.k
  const subscriberHl = hl + 1
  const s = claim.subscriber
  w.start("HL")
    .int(subscriberHl)
    .int(billingHl)
    .el("22")
    .el(claim.patient === undefined ? "0" : "1")
    .end()
  w.start("SBR")
    .opt(s.responsibility)
    .opt(s.relationship)
    .opt(s.groupNumber)
    .opt(s.groupName)
    .skip()
    .skip()
    .skip()
    .skip()
    .opt(s.claimFilingIndicator)
    .end()
  personName(w.start(k.nm1il), s.name).el("MI").el(s.memberId).end()
  addressSegments(w, s.address)
  if (s.dob !== undefined || s.sex !== undefined) {
    w.start("DMG")
    if (s.dob === undefined) w.skip().skip()
    else w.el("D8").date(s.dob)
    w.opt(s.sex).end()
  }
  w.start(k.nm1pr).el(claim.payer.name).skip().skip().skip().skip().el("PI").el(claim.payer.id).end()
  addressSegments(w, claim.payer.address)
  let last = subscriberHl
  const p = claim.patient
  if (p !== undefined) {
    last = subscriberHl + 1
    w.start("HL").int(last).int(subscriberHl).el("23").el("0").end()
    w.start("PAT").el(p.relationship).end()
    personName(w.start(k.nm1qc), p.name).end()
    addressSegments(w, p.address)
    w.start(k.dmg).date(p.dob).el(p.sex).end()
  }
  const c = claim.claim
  const lines = c.lines
  let total = 0
  for (let i = 0; i < lines.length; i++) total += (lines[i] as ServiceLine837).charge
  const cs = w.c
  w.start("CLM")
    .el(c.patientControlNumber)
    .amount(total)
    .skip()
    .skip()
    // CLM05: the place of service and the frequency are required, so no component is empty.
    .el(`${c.placeOfService}${cs}B${cs}${c.frequency}`)
    .el(c.providerSignature ? "Y" : "N")
    .el(c.assignment)
    .el(c.benefitsAssignment)
    .el(c.releaseOfInformation)
    .opt(c.patientSignatureSource)
    .end()
  if (c.referralNumber !== undefined) w.start("REF").el("9F").el(c.referralNumber).end()
  if (c.priorAuthorization !== undefined) w.start(k.refG1).el(c.priorAuthorization).end()
  if (c.payerClaimControlNumber !== undefined) w.start("REF").el("F8").el(c.payerClaimControlNumber).end()
  w.start("HI")
  const diagnoses = c.diagnoses
  // Each diagnosis is validated as an ICD-10 code: no component is empty.
  for (let i = 0; i < diagnoses.length; i++) w.el(`${i === 0 ? "ABK" : "ABF"}${cs}${diagnoses[i] as string}`)
  w.end()
  if (c.referringProvider !== undefined) providerSegment(w, "DN", c.referringProvider)
  if (c.renderingProvider !== undefined) {
    providerSegment(w, "82", c.renderingProvider)
    if (c.renderingProvider.taxonomy !== undefined)
      w.start("PRV").el("PE").el("PXC").el(c.renderingProvider.taxonomy).end()
  }
  if (c.serviceFacility !== undefined) {
    const f = c.serviceFacility
    w.start("NM1")
      .el("77")
      .el("2")
      .el(f.name)
      .skip()
      .skip()
      .skip()
      .skip()
      .el(f.npi === undefined ? "" : "XX")
      .opt(f.npi)
      .end()
    addressSegments(w, f.address)
  }
  if (c.supervisingProvider !== undefined) providerSegment(w, "DQ", c.supervisingProvider)
  const others = c.otherPayers
  if (others !== undefined) for (let i = 0; i < others.length; i++) writeOtherPayer(w, others[i] as OtherPayer)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as ServiceLine837
    w.start("LX")
      .int(i + 1)
      .end()
    const pointers = line.diagnosisPointers
    // Pointers are validated as 1 to 12: no component is empty.
    let sv107 = pointers.length === 0 ? "" : String(pointers[0])
    for (let j = 1; j < pointers.length; j++) sv107 += cs + String(pointers[j])
    w.start("SV1")
      .procedure(line.qualifier, line.code, line.modifiers)
      .amount(line.charge)
      .el("UN")
      .el(formatQuantity(line.units))
      .opt(line.placeOfService)
      .skip()
      .el(sv107)
      .end()
    dateSegment(w, k.dtp472, line.dateOfService, line.dateOfServiceEnd)
    if (line.priorAuthorization !== undefined) w.start(k.refG1).el(line.priorAuthorization).end()
    if (line.lineControlNumber !== undefined) w.start(k.ref6r).el(line.lineControlNumber).end()
    const adjudications = line.otherPayerAdjudication
    if (adjudications !== undefined)
      for (let j = 0; j < adjudications.length; j++) writeLineAdjudication(w, adjudications[j] as LineAdjudication)
  }
  return last
}

/** Loops 2320, 2330A and 2330B. */
const writeOtherPayer = (w: Sink, o: OtherPayer) => {
  w.start("SBR")
    .opt(o.responsibility)
    .opt(o.relationship)
    .opt(o.groupNumber)
    .opt(o.groupName)
    .skip()
    .skip()
    .skip()
    .skip()
    .opt(o.claimFilingIndicator)
    .end()
  writeAdjustments(w, o.adjustments)
  if (o.paidAmount !== undefined) w.start("AMT").el("D").amount(o.paidAmount).end()
  if (o.remainingPatientLiability !== undefined) w.start("AMT").el("EAF").amount(o.remainingPatientLiability).end()
  w.start("OI")
    .skip()
    .skip()
    .opt(o.benefitsAssignment)
    .opt(o.patientSignatureSource)
    .skip()
    .opt(o.releaseOfInformation)
    .end()
  personName(w.start(w.k.nm1il), o.subscriber.name).el("MI").el(o.subscriber.memberId).end()
  addressSegments(w, o.subscriber.address)
  w.start(w.k.nm1pr).el(o.payer.name).skip().skip().skip().skip().el("PI").el(o.payer.id).end()
  addressSegments(w, o.payer.address)
  if (o.adjudicationDate !== undefined) dateSegment(w, `DTP${w.e}573`, o.adjudicationDate, undefined)
}

/** Loop 2430. */
const writeLineAdjudication = (w: Sink, a: LineAdjudication) => {
  w.start("SVD")
    .el(a.payerId)
    .amount(a.paidAmount)
    .procedure(a.qualifier, a.code, a.modifiers)
    .skip()
    .el(formatQuantity(a.paidUnits))
    .el(a.bundledLineNumber === undefined ? "" : String(a.bundledLineNumber))
    .end()
  writeAdjustments(w, a.adjustments)
  dateSegment(w, `DTP${w.e}573`, a.adjudicationDate, undefined)
  if (a.remainingPatientLiability !== undefined) w.start("AMT").el("EAF").amount(a.remainingPatientLiability).end()
}

/**
 * The interchange's segments one by one (each with its terminator), so a large batch is never one string.
 * Validates first: the failures, and nothing written, when the submission is wrong.
 *
 * @since 0.1.0
 */
export const write837Lines = (
  submission: Submission837,
  controls: Controls,
  options: WriteOptions
): Result.Result<Iterable<string>, ReadonlyArray<ValidationFailure>> => {
  const failures = validate837(submission, controls, options)
  if (failures.length > 0) return Result.fail(failures)
  return Result.succeed({ [Symbol.iterator]: () => writeLines(submission, controls, options) })
}

/**
 * The whole interchange (ISA to IEA) as text, or the validation failures.
 *
 * @since 0.1.0
 */
export const write837 = (
  submission: Submission837,
  controls: Controls,
  options: WriteOptions
): Result.Result<string, ReadonlyArray<ValidationFailure>> => {
  const failures = validate837(submission, controls, options)
  if (failures.length > 0) return Result.fail(failures)
  return Result.succeed(writeText(submission, controls, options))
}

/**
 * A claim of a streamed batch did not validate (or the batch had none): the failures, with paths from the
 * batch's start (`claims[41].claim.lines[0].charge`), never values. The text handed out before it is not an
 * interchange: whoever writes it to a file should write a temporary one and rename it only at the end.
 *
 * @since 0.1.0
 */
export class X12WriteError extends Schema.TaggedError<X12WriteError>()("X12WriteError", {
  failures: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  override get message() {
    return `837P not written: ${this.failures.map((f) => `${f.path} ${f.message}`).join("; ")}`
  }
}

/** Text is handed out in pieces of about this many bytes: below V8's large-object size, so they die young. */
const streamedChunk = 1 << 16

/**
 * A batch written claim by claim, holding only the text not yet handed out: `begin`, `add` each claim (a piece
 * of text once enough is written), then `finish`. The header must have been validated.
 */
class StreamedBatch {
  private readonly strings: StringSink
  private readonly bytes: ByteSink | undefined
  private readonly claims: ClaimsWriter
  private readonly validator: Validator
  private count = 0

  constructor(
    header: Header837,
    private readonly controls: Controls,
    options: WriteOptions
  ) {
    const d = options.delimiters ?? defaultDelimiters
    const newline = options.newline === true
    this.strings = new StringSink(d, newline, false)
    this.bytes = byteSink(d, newline, false)
    this.claims = new ClaimsWriter({ ...header, claims: [] })
    this.validator = new Validator(d)
    writeHeader(this.strings, { ...header, claims: [] }, controls, options)
  }

  begin(): string {
    return this.strings.take()
  }

  /** Throws `X12WriteError` when the claim does not validate; nothing of it is written then. */
  add(claim: Claim837): string | undefined {
    const v = this.validator
    v.claim(at("claims", "", this.count), claim)
    if (v.failures.length > 0) throw new X12WriteError({ failures: v.failures.splice(0) })
    this.count++
    const { bytes, strings } = this
    if (bytes === undefined) {
      this.claims.claim(strings, claim)
      return strings.text.length >= streamedChunk ? strings.take() : undefined
    }
    bytes.count = strings.count
    const before = bytes.at
    const wide = claimInto(this.claims, bytes, strings, claim)
    strings.count = bytes.count
    // A claim past ASCII was written as a string: what came before it, then it.
    if (wide) return before > 0 ? bytes.take() + strings.take() : strings.take()
    return bytes.at >= streamedChunk ? bytes.take() : undefined
  }

  finish(): string {
    if (this.count === 0)
      throw new X12WriteError({ failures: [{ path: "claims", message: "needs at least one claim" }] })
    const rest = this.bytes === undefined || this.bytes.at === 0 ? "" : this.bytes.take()
    writeTrailer(this.strings, this.controls)
    return rest + this.strings.take()
  }
}

/**
 * An 837P written as the claims come, from any iterable or async iterable (a database cursor, a file of JSON
 * lines): pieces of text of about 64 KiB, so neither the claims nor the text are ever held whole. The parts
 * named once are validated first (the failures, and nothing written, when they are wrong); each claim as it
 * comes, a wrong one ending the iteration with `X12WriteError`.
 *
 * @since 0.1.0
 */
export const write837Chunks = (
  header: Header837,
  claims: Iterable<Claim837> | AsyncIterable<Claim837>,
  controls: Controls,
  options: WriteOptions
): Result.Result<AsyncIterable<string>, ReadonlyArray<ValidationFailure>> => {
  const v = new Validator(options.delimiters ?? defaultDelimiters)
  validateHeader(v, header, controls, options)
  if (v.failures.length > 0) return Result.fail(v.failures)
  return Result.succeed({
    async *[Symbol.asyncIterator]() {
      const batch = new StreamedBatch(header, controls, options)
      yield batch.begin()
      // Claims at hand are taken without a promise each; an async source is awaited claim by claim.
      if (Symbol.iterator in claims)
        for (const claim of claims) {
          const text = batch.add(claim)
          if (text !== undefined) yield text
        }
      else
        for await (const claim of claims) {
          const text = batch.add(claim)
          if (text !== undefined) yield text
        }
      yield batch.finish()
    }
  })
}

/**
 * The Effect way to `write837Chunks`: a stream of claims in, a stream of text out, failing with `X12WriteError`
 * (the header's failures too, before any text).
 *
 * @since 0.1.0
 */
export const stream837 = <E, R>(
  header: Header837,
  claims: Stream.Stream<Claim837, E, R>,
  controls: Controls,
  options: WriteOptions
): Stream.Stream<string, E | X12WriteError, R> =>
  Stream.suspend(() => {
    const v = new Validator(options.delimiters ?? defaultDelimiters)
    validateHeader(v, header, controls, options)
    if (v.failures.length > 0) return Stream.fail(new X12WriteError({ failures: v.failures }))
    // A pull of its own, as X12.stream's: each pull takes the next chunk of claims and hands on the text they
    // complete, so no claim or piece waits in a stream operator's buffer.
    return Stream.transformPull(claims, (pull) =>
      Effect.sync(() => {
        const batch = new StreamedBatch(header, controls, options)
        let phase: "begin" | "claims" | "ended" = "begin"
        const step: Pull.Pull<Arr.NonEmptyReadonlyArray<string>, E | X12WriteError> = Effect.suspend(() => {
          if (phase === "begin") {
            phase = "claims"
            return Effect.succeed(Arr.of(batch.begin()))
          }
          if (phase === "ended") return Cause.done()
          return pull.pipe(
            Pull.catchDone(() => Effect.succeed(undefined)),
            Effect.flatMap((chunk) => {
              try {
                if (chunk === undefined) {
                  phase = "ended"
                  return Effect.succeed(Arr.of(batch.finish()))
                }
                const texts: Array<string> = []
                for (const claim of chunk) {
                  const text = batch.add(claim)
                  if (text !== undefined) texts.push(text)
                }
                return Arr.isArrayNonEmpty(texts) ? Effect.succeed(texts) : step
              } catch (error) {
                return error instanceof X12WriteError ? Effect.fail(error) : Effect.die(error)
              }
            })
          )
        })
        return step
      })
    )
  })

// ---------------------------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------------------------

type Loop =
  | "header"
  | "1000A"
  | "1000B"
  | "2000A"
  | "2010AA"
  | "2010AB"
  | "2000B"
  | "2010BA"
  | "2010BB"
  | "2000C"
  | "2010CA"
  | "2300"
  | "2310A"
  | "2310B"
  | "2310C"
  | "2310D"
  | "2310"
  | "2320"
  | "2330A"
  | "2330B"
  | "2330"
  | "2400"
  | "2420"
  | "2430"

interface AddressOwner {
  address?: Address
}

interface OpenHl {
  readonly level: string
  readonly id: string
  readonly declaresChild: boolean
  hasChild: boolean
  /** The HL's segment index. */
  readonly at: number
}

interface BillingGroup {
  readonly provider: Draft<BillingProvider>
  readonly payTo: AddressOwner
  readonly index: number
  /** Computed at the first claim: undefined when the same as the first group's. */
  override: Claim837["billing"] | null | undefined
}

interface SubscriberState {
  readonly subscriber: Draft<Subscriber>
  readonly payer: Draft<Payer>
  /** The SBR (or, before it, the HL 22) a problem with the subscriber is reported at. */
  sbrAt: number
  sbrId: string
  /** The NM1*IL's segment index, -1 before it. */
  nameAt: number
  payerSeen: boolean
  checked: boolean
}

interface LineState {
  readonly line: Draft<ServiceLine837>
  /** The LX's segment index. */
  readonly lxAt: number
  /** The SV1's segment index, -1 before it. */
  sv1At: number
  hasDate: boolean
  /** Made at the first SVD. */
  adjudications: Array<Draft<LineAdjudication>> | undefined
}

interface ClaimState {
  readonly data: Draft<ClaimData>
  /** The CLM's segment index. */
  readonly clmAt: number
  /** The same array as `data.diagnoses`. */
  readonly diagnoses: Array<string>
  readonly lines: Array<LineState>
  /** The same array as `data.lines`: each line's model, pushed at its LX. */
  readonly lineModels: Array<ServiceLine837>
  /** Made at the first 2320 SBR. */
  otherPayers: Array<Draft<OtherPayer>> | undefined
  readonly subscriber: SubscriberState | undefined
  readonly patient: Draft<Patient> | undefined
  readonly billing: BillingGroup | undefined
}

const diagnosisQualifiers: ReadonlySet<string> = new Set(["ABK", "ABF", "BK", "BF"])

/** A line's modifiers and pointers until its SV1: one frozen empty array, not two new ones a line. */
const noneYet: Array<never> = Object.freeze([]) as unknown as Array<never>

const bhtKey = keyOf("BHT")
const hlKey = keyOf("HL")
const nm1Key = keyOf("NM1")
const n3Key = keyOf("N3")
const n4Key = keyOf("N4")
const perKey = keyOf("PER")
const prvKey = keyOf("PRV")
const refKey = keyOf("REF")
const sbrKey = keyOf("SBR")
const patKey = keyOf("PAT")
const dmgKey = keyOf("DMG")
const clmKey = keyOf("CLM")
const hiKey = keyOf("HI")
const amtKey = keyOf("AMT")
const casKey = keyOf("CAS")
const oiKey = keyOf("OI")
const dtpKey = keyOf("DTP")
const lxKey = keyOf("LX")
const sv1Key = keyOf("SV1")
const svdKey = keyOf("SVD")

/** Two ASCII digits. */
const isTwoDigits = (text: string): boolean =>
  text.length === 2 &&
  text.charCodeAt(0) >= 48 &&
  text.charCodeAt(0) <= 57 &&
  text.charCodeAt(1) >= 48 &&
  text.charCodeAt(1) <= 57

type At = { readonly element?: number; readonly component?: number; readonly severity?: "error" | "warning" }

const noAt: At = {}

/**
 * The 837P model for `Reader`: claims as items, each as soon as the next claim, HL or SE shows it is complete
 * (the last one at SE, through `flush`). The transaction's model is a `Submission837` with the envelope-level data
 * and, in `claims`, only claims not already emitted as items (none when the reader calls `flush`).
 *
 * It reads each segment in place (a `SegmentView`): elements become strings only when the model keeps them, codes
 * are shared strings, amounts are parsed where they lie, and a segment a later problem points at is remembered by
 * its index.
 *
 * @since 0.1.0
 */
export const make837 = (context: ModelContext): TransactionModel => {
  /** A problem at segment `index` with id `id`, or at no segment when `index` is negative. */
  const reportAt = (index: number, id: string, code: string, message: string, at: At = noAt) => {
    const problem: Draft<Omit<Problem, "interchange" | "group" | "transaction">> = {
      severity: at.severity ?? "error",
      code,
      message
    }
    if (index >= 0) {
      problem.segmentIndex = index
      problem.segmentId = id
    }
    if (at.element !== undefined) problem.element = at.element
    if (at.component !== undefined) problem.component = at.component
    context.report(problem)
  }
  const report = (segment: SegmentView, code: string, message: string, at: At = noAt) =>
    reportAt(segment.index, segment.id, code, message, at)
  if (!context.header.version.includes("X222"))
    reportAt(-1, "", "not-professional", "the transaction is not an 837P (005010X222A1)", { severity: "warning" })

  let reference: string | undefined
  let submitter: Draft<Submitter> | undefined
  let receiver: Draft<Receiver> | undefined
  let firstGroup: BillingGroup | undefined
  let group: BillingGroup | undefined
  let groups = 0
  let subscriber: SubscriberState | undefined
  let patient: Draft<Patient> | undefined
  let patientDemographics = true
  let patientNameAt = -1
  let patientNameId = ""
  let claim: ClaimState | undefined
  let line: LineState | undefined
  let other: Draft<OtherPayer> | undefined
  let otherSubscriber: Draft<OtherPayer["subscriber"]> | undefined
  let adjudication: Draft<LineAdjudication> | undefined
  let renderingProvider: Draft<Provider> | undefined
  let loop: Loop = "header"
  let owner: AddressOwner | undefined
  let pendingAddress: Draft<Address> | undefined
  const hls: Array<OpenHl> = []
  let maxHl = 0
  // The last CCYYMMDD read and its ISO date: a batch's dates repeat.
  let lastD8 = ""
  let lastIso = ""

  const amount = (segment: SegmentView, n: number): number => {
    let value = Number.NaN
    if (n < segment.count) {
      const start = segment.bounds[n] as number
      value = decimal(segment.text, start, (segment.bounds[n + 1] as number) - 1, 2, reject)
      // A minus zero stays -0, as the 837 reader has always read it.
      if (value === 0 && segment.text.charCodeAt(start) === 45) value = -0
    }
    if (Number.isNaN(value)) {
      report(segment, "bad-amount", "not a decimal amount with at most 2 decimals", { element: n })
      return 0
    }
    return value
  }

  const quantity = (segment: SegmentView, n: number): number => {
    const value = segment.quantity(n)
    if (Number.isNaN(value)) {
      report(segment, "bad-quantity", "not a decimal number", { element: n })
      return 0
    }
    return value
  }

  const checkCode = (segment: SegmentView, n: number, allowed: ReadonlySet<string>, component?: number): string => {
    const value = component === undefined ? segment.short(n) : segment.component(n, component - 1)
    if (!allowed.has(value))
      report(
        segment,
        "bad-code",
        `${segment.id}${String(n).padStart(2, "0")} ${value === "" ? "is required" : "is not an allowed code"}`,
        component === undefined ? { element: n } : { element: n, component }
      )
    return value
  }

  const d8 = (segment: SegmentView, n: number, text: string): string => {
    const iso = fromX12Date(text)
    if (iso === undefined) {
      report(segment, "bad-date", "not a calendar date CCYYMMDD", { element: n })
      return text
    }
    return iso
  }

  /** Element n as a date: the ISO date, or the text as read (with a problem) when it is not one. */
  const dateAt = (segment: SegmentView, n: number): string => {
    if (lastD8 !== "" && segment.is(n, lastD8)) return lastIso
    const text = segment.get(n)
    const iso = fromX12Date(text)
    if (iso === undefined) {
      report(segment, "bad-date", "not a calendar date CCYYMMDD", { element: n })
      return text
    }
    lastD8 = text
    lastIso = iso
    return iso
  }

  const personName = (segment: SegmentView): Draft<PersonName> => {
    const name: Draft<PersonName> = { last: segment.get(3) }
    if (segment.has(4)) name.first = segment.get(4)
    if (segment.has(5)) name.middle = segment.get(5)
    if (segment.has(7)) name.suffix = segment.get(7)
    return name
  }

  const npiOf = (segment: SegmentView): string => {
    const id = segment.get(9)
    if (segment.is(8, "XX") && !isValidNpi(id))
      report(segment, "invalid-npi", "NM109 is not a valid NPI (check digit)", { element: 9 })
    return id
  }

  const address = (target: AddressOwner | undefined) => {
    owner = target
    pendingAddress = undefined
  }

  const contactOf = (segment: SegmentView): Draft<Contact> => {
    const contact: Draft<Contact> = { name: segment.get(2) }
    for (let n = 3; n <= 7; n += 2) {
      if (!segment.has(n + 1)) continue
      if (segment.is(n, "TE")) {
        if (contact.phone === undefined) contact.phone = segment.get(n + 1)
      } else if (segment.is(n, "EM") && contact.email === undefined) contact.email = segment.get(n + 1)
    }
    return contact
  }

  const adjustmentsOf = (segment: SegmentView, into: Array<Adjustment>) => {
    const groupCode = checkCode(segment, 1, adjustmentGroups) as AdjustmentGroup
    for (let k = 0; k < 6; k++) {
      if (!segment.has(2 + 3 * k)) continue
      const adjustment: Draft<Adjustment> = {
        group: groupCode,
        reason: segment.short(2 + 3 * k),
        amount: amount(segment, 3 + 3 * k)
      }
      if (segment.has(4 + 3 * k)) adjustment.quantity = quantity(segment, 4 + 3 * k)
      into.push(adjustment)
    }
  }

  const closeHl = (hl: OpenHl) => {
    if (hl.declaresChild && !hl.hasChild)
      reportAt(hl.at, "HL", "hl-child-code", "HL04 says a child HL follows, and none does", {
        element: 4,
        severity: "warning"
      })
  }

  const finishLine = () => {
    if (line === undefined) return
    if (line.sv1At < 0) reportAt(line.lxAt, "LX", "missing-segment", "the service line has no SV1")
    if (!line.hasDate) reportAt(line.lxAt, "LX", "missing-service-date", "the service line has no DTP*472")
    if (line.adjudications !== undefined) line.line.otherPayerAdjudication = line.adjudications
    line = undefined
    adjudication = undefined
  }

  const checkSubscriber = (state: SubscriberState, hasPatient: boolean) => {
    state.checked = true
    const s = state.subscriber
    if (!hasPatient && s.relationship !== "18")
      reportAt(
        state.sbrAt,
        state.sbrId,
        "subscriber-relationship",
        'SBR02 must be "18" when the subscriber is the patient',
        { element: 2 }
      )
    if (hasPatient && s.relationship !== undefined)
      reportAt(state.sbrAt, state.sbrId, "subscriber-relationship", "SBR02 must be empty when a patient loop follows", {
        element: 2
      })
    if (state.nameAt < 0) reportAt(state.sbrAt, state.sbrId, "missing-segment", "the subscriber has no NM1*IL")
    else if (!hasPatient && (s.dob === undefined || s.sex === undefined))
      reportAt(state.nameAt, "NM1", "missing-segment", "the subscriber is the patient and has no DMG")
    if (!state.payerSeen) reportAt(state.sbrAt, state.sbrId, "missing-segment", "the subscriber has no payer NM1*PR")
  }

  const billingOverride = (g: BillingGroup | undefined): Claim837["billing"] | undefined => {
    if (g === undefined || g === firstGroup || firstGroup === undefined) return undefined
    if (g.override === undefined) {
      const same = billingKey(g.provider, g.payTo.address) === billingKey(firstGroup.provider, firstGroup.payTo.address)
      g.override = same
        ? null
        : g.payTo.address === undefined
          ? { provider: g.provider }
          : { provider: g.provider, payToAddress: g.payTo.address }
    }
    return g.override ?? undefined
  }

  const finishClaim = (): Claim837 | undefined => {
    const state = claim
    if (state === undefined) return undefined
    finishLine()
    claim = undefined
    other = undefined
    otherSubscriber = undefined
    renderingProvider = undefined
    const c = state.data
    let total = 0
    for (let i = 0; i < state.lines.length; i++) total += (state.lines[i] as LineState).line.charge
    if (state.otherPayers !== undefined) c.otherPayers = state.otherPayers
    if (state.lines.length === 0) reportAt(state.clmAt, "CLM", "missing-segment", "the claim has no service line")
    else if (total !== c.totalCharge)
      reportAt(state.clmAt, "CLM", "claim-total", "CLM02 does not equal the sum of the lines' SV102", { element: 2 })
    if (state.diagnoses.length === 0)
      reportAt(state.clmAt, "CLM", "missing-diagnosis", "the claim has no diagnosis (HI)")
    for (const l of state.lines) {
      if (l.sv1At < 0) continue
      const pointers = l.line.diagnosisPointers
      if (pointers.length === 0)
        reportAt(l.sv1At, "SV1", "missing-diagnosis-pointer", "SV107 has no diagnosis pointer", { element: 7 })
      for (let j = 0; j < pointers.length; j++) {
        if ((pointers[j] as number) > state.diagnoses.length)
          reportAt(l.sv1At, "SV1", "diagnosis-pointer", "SV107 points at a diagnosis position HI does not have", {
            element: 7,
            component: j + 1
          })
      }
    }
    if ((c.frequency === "7" || c.frequency === "8") && c.payerClaimControlNumber === undefined)
      reportAt(state.clmAt, "CLM", "missing-payer-claim-control-number", "a replacement or void needs REF*F8", {
        element: 5,
        component: 3
      })
    const s = state.subscriber
    if (s === undefined) {
      reportAt(state.clmAt, "CLM", "claim-outside-subscriber", "CLM outside a subscriber loop (HL 22)")
    } else if (!s.checked) checkSubscriber(s, state.patient !== undefined)
    // Copies: a malformed file can change the loop's subscriber after this claim (an HL that is not 22).
    const subscriberOut: Subscriber = s === undefined ? emptySubscriber() : { ...s.subscriber }
    const payerOut: Payer = s === undefined ? { name: "", id: "" } : { ...s.payer }
    const billing = billingOverride(state.billing)
    const result: Draft<Claim837> = { subscriber: subscriberOut, payer: payerOut, claim: c }
    if (state.patient !== undefined) result.patient = { ...state.patient }
    if (billing !== undefined) result.billing = billing
    return result
  }

  const hl = (seg: SegmentView): ReadonlyArray<unknown> => {
    const done = finishClaim()
    const id = seg.get(1)
    const parent = seg.get(2)
    const level = seg.short(3)
    const depth = level === "20" ? 0 : level === "22" ? 1 : level === "23" ? 2 : 3
    while (hls.length > depth) {
      const closed = hls.pop()
      if (closed !== undefined) closeHl(closed)
    }
    const number = Number(id)
    if (Number.isInteger(number) && number >= 1 && number <= maxHl)
      report(seg, "hl-duplicate", "HL01 repeats an earlier HL id", { element: 1 })
    else if (number !== maxHl + 1)
      report(seg, "hl-sequence", "HL01 must count up from 1", { element: 1, severity: "warning" })
    if (Number.isInteger(number) && number > maxHl) maxHl = number
    const expectedParent = depth === 0 ? undefined : hls[depth - 1]
    if (depth === 0 ? parent !== "" : expectedParent === undefined || expectedParent.id !== parent)
      report(seg, "hl-parent", "HL02 is not the id of the enclosing HL", { element: 2 })
    if (expectedParent !== undefined) expectedParent.hasChild = true
    hls.push({ level, id, declaresChild: seg.is(4, "1"), hasChild: false, at: seg.index })
    if (level === "20") {
      groups++
      group = {
        provider: { name: "", npi: "", ein: "", address: { line1: "", city: "", state: "", postalCode: "" } },
        payTo: {},
        index: groups,
        override: undefined
      }
      if (firstGroup === undefined) firstGroup = group
      subscriber = undefined
      patient = undefined
      loop = "2000A"
    } else if (level === "22") {
      subscriber = {
        subscriber: {
          memberId: "",
          name: { last: "" },
          responsibility: "" as PayerResponsibility,
          claimFilingIndicator: "" as ClaimFilingIndicator
        },
        payer: { name: "", id: "" },
        sbrAt: seg.index,
        sbrId: "HL",
        nameAt: -1,
        payerSeen: false,
        checked: false
      }
      patient = undefined
      loop = "2000B"
    } else if (level === "23") {
      patient = { relationship: "", name: { last: "" }, dob: "", sex: "" as Sex }
      patientDemographics = false
      patientNameAt = seg.index
      patientNameId = "HL"
      loop = "2000C"
    } else report(seg, "bad-code", "HL03 must be 20, 22 or 23 in an 837P", { element: 3 })
    address(undefined)
    return done === undefined ? none : [done]
  }

  const nm1 = (seg: SegmentView): ReadonlyArray<unknown> => {
    const entity = seg.short(1)
    switch (entity) {
      case "41": {
        submitter = { name: seg.get(3), id: seg.get(9), contact: { name: "" } }
        loop = "1000A"
        address(undefined)
        return none
      }
      case "40": {
        receiver = { name: seg.get(3), id: seg.get(9) }
        loop = "1000B"
        address(undefined)
        return none
      }
      case "85": {
        if (group === undefined) {
          report(seg, "unexpected-segment", "NM1*85 outside a billing provider loop (HL 20)")
          return none
        }
        const p = group.provider
        p.name = seg.get(3)
        if (seg.is(2, "1") && seg.has(4)) p.firstName = seg.get(4)
        p.npi = npiOf(seg)
        loop = "2010AA"
        address(p)
        return none
      }
      case "87": {
        loop = "2010AB"
        address(group?.payTo)
        return none
      }
      case "IL": {
        if (claim !== undefined && (loop === "2320" || loop === "2330A" || loop === "2330B")) {
          if (other === undefined) return none
          otherSubscriber = { name: personName(seg), memberId: seg.get(9) }
          other.subscriber = otherSubscriber
          loop = "2330A"
          address(otherSubscriber)
          return none
        }
        if (subscriber === undefined || claim !== undefined) {
          report(seg, "unexpected-segment", "NM1*IL outside a subscriber loop")
          return none
        }
        subscriber.subscriber.name = personName(seg)
        subscriber.subscriber.memberId = seg.get(9)
        subscriber.nameAt = seg.index
        loop = "2010BA"
        address(subscriber.subscriber)
        return none
      }
      case "PR": {
        if (claim !== undefined && (loop === "2320" || loop === "2330A" || loop === "2330B")) {
          if (other === undefined) return none
          other.payer = { name: seg.get(3), id: seg.get(9) }
          loop = "2330B"
          address(other.payer)
          return none
        }
        if (subscriber === undefined || claim !== undefined) {
          report(seg, "unexpected-segment", "NM1*PR outside a subscriber loop")
          return none
        }
        subscriber.payer.name = seg.get(3)
        subscriber.payer.id = seg.get(9)
        subscriber.payerSeen = true
        loop = "2010BB"
        address(subscriber.payer)
        return none
      }
      case "QC": {
        if (patient === undefined) {
          report(seg, "unexpected-segment", "NM1*QC outside a patient loop (HL 23)")
          return none
        }
        patient.name = personName(seg)
        patientNameAt = seg.index
        patientNameId = "NM1"
        loop = "2010CA"
        address(patient)
        return none
      }
      default: {
        if (loop === "2400" || loop === "2420" || loop === "2430" || claim === undefined) {
          // Line-level providers (2420x) and other parties are not in the model.
          if (seg.is(8, "XX")) npiOf(seg)
          loop = claim === undefined ? loop : "2420"
          address(undefined)
          return none
        }
        const c = claim.data
        if (entity === "77") {
          const facility: Draft<ServiceFacility> = {
            name: seg.get(3),
            address: { line1: "", city: "", state: "", postalCode: "" }
          }
          if (seg.has(9)) facility.npi = npiOf(seg)
          c.serviceFacility = facility
          loop = "2310C"
          address(facility)
          return none
        }
        if (entity === "82" || entity === "DQ" || entity === "DN") {
          const provider: Draft<Provider> = { npi: npiOf(seg), name: personName(seg) }
          if (entity === "82") {
            c.renderingProvider = provider
            renderingProvider = provider
            loop = "2310B"
          } else if (entity === "DQ") {
            c.supervisingProvider = provider
            loop = "2310D"
          } else {
            c.referringProvider = provider
            loop = "2310A"
          }
          address(undefined)
          return none
        }
        loop = "2310"
        address(undefined)
        return none
      }
    }
  }

  const sbr = (seg: SegmentView) => {
    if (claim !== undefined) {
      const o: Draft<OtherPayer> = {
        responsibility: checkCode(seg, 1, responsibilities) as PayerResponsibility,
        relationship: seg.short(2),
        claimFilingIndicator: checkCode(seg, 9, claimFilingIndicators) as ClaimFilingIndicator,
        adjustments: [],
        benefitsAssignment: "" as OtherPayer["benefitsAssignment"],
        releaseOfInformation: "" as OtherPayer["releaseOfInformation"],
        subscriber: { name: { last: "" }, memberId: "" },
        payer: { name: "", id: "" }
      }
      if (seg.has(3)) o.groupNumber = seg.get(3)
      if (seg.has(4)) o.groupName = seg.get(4)
      if (claim.otherPayers === undefined) claim.otherPayers = [o]
      else claim.otherPayers.push(o)
      other = o
      loop = "2320"
      address(undefined)
      return
    }
    if (subscriber === undefined || loop !== "2000B") {
      report(seg, "unexpected-segment", "SBR outside a subscriber loop (HL 22)")
      return
    }
    subscriber.sbrAt = seg.index
    subscriber.sbrId = "SBR"
    const s = subscriber.subscriber
    s.responsibility = checkCode(seg, 1, responsibilities) as PayerResponsibility
    if (seg.is(2, "18")) s.relationship = "18"
    else if (seg.has(2)) report(seg, "subscriber-relationship", 'SBR02 is "18" or empty in 2000B', { element: 2 })
    if (seg.has(3)) s.groupNumber = seg.get(3)
    if (seg.has(4)) s.groupName = seg.get(4)
    s.claimFilingIndicator = checkCode(seg, 9, claimFilingIndicators) as ClaimFilingIndicator
  }

  const clm = (seg: SegmentView): ReadonlyArray<unknown> => {
    const done = finishClaim()
    if (patient !== undefined && !patientDemographics) {
      reportAt(patientNameAt, patientNameId, "missing-segment", "the patient has no DMG")
      patientDemographics = true
    }
    const placeOfService = seg.component(5, 0)
    if (!isTwoDigits(placeOfService))
      report(seg, "bad-code", "CLM05-1 must be a 2-digit place of service", { element: 5, component: 1 })
    const frequency = checkCode(seg, 5, frequencies, 3) as Frequency
    const diagnoses: Array<string> = []
    const lineModels: Array<ServiceLine837> = []
    const data: Draft<ClaimData> = {
      patientControlNumber: seg.get(1),
      totalCharge: amount(seg, 2),
      placeOfService,
      frequency,
      providerSignature: seg.is(6, "Y"),
      assignment: checkCode(seg, 7, assignments) as ClaimData["assignment"],
      benefitsAssignment: checkCode(seg, 8, yesNoW) as ClaimData["benefitsAssignment"],
      releaseOfInformation: checkCode(seg, 9, releases) as ClaimData["releaseOfInformation"],
      diagnoses,
      lines: lineModels
    }
    if (seg.is(10, "P")) data.patientSignatureSource = "P"
    claim = {
      data,
      clmAt: seg.index,
      diagnoses,
      lines: [],
      lineModels,
      otherPayers: undefined,
      subscriber,
      patient,
      billing: group
    }
    loop = "2300"
    address(undefined)
    return done === undefined ? none : [done]
  }

  const hi = (seg: SegmentView, state: ClaimState) => {
    const diagnoses = state.diagnoses
    const text = seg.text
    const bounds = seg.bounds
    const separator = seg.delimiters.component.charCodeAt(0)
    const count = seg.count
    let legacy = false
    let n = 1
    while (n < count) {
      const start = bounds[n] as number
      const end = (bounds[n + 1] as number) - 1
      let cut = start
      while (cut < end && text.charCodeAt(cut) !== separator) cut++
      let qualifier: string
      let code: string
      if (cut < end) {
        qualifier = codeAt(text, start, cut)
        let stop = cut + 1
        while (stop < end && text.charCodeAt(stop) !== separator) stop++
        code = text.slice(cut + 1, stop)
        n++
      } else {
        const value = codeAt(text, start, end)
        if (diagnosisQualifiers.has(value) && n + 1 < count) {
          // "HI*BK*8901": the element separator where the component separator belongs.
          report(seg, "hi-syntax", "the qualifier and the code must be components of one element", { element: n })
          qualifier = value
          code = seg.get(n + 1)
          n += 2
        } else {
          if (end > start) report(seg, "hi-syntax", "an HI element needs a qualifier and a code", { element: n })
          n++
          continue
        }
      }
      if (!diagnosisQualifiers.has(qualifier)) continue
      if (qualifier === "BK" || qualifier === "BF") legacy = true
      const principal = qualifier === "ABK" || qualifier === "BK"
      if (principal !== (diagnoses.length === 0))
        report(seg, "hi-principal", "the first diagnosis, and only it, is the principal (ABK)", { element: n - 1 })
      if (diagnoses.length === 12) {
        report(seg, "too-many-diagnoses", "a claim has at most 12 diagnoses", { element: n - 1 })
        continue
      }
      if (code.includes(".")) {
        report(seg, "diagnosis-format", "diagnosis codes are written without the dot", {
          element: n - 1,
          severity: "warning"
        })
        code = code.replace(".", "")
      }
      diagnoses.push(code)
    }
    if (legacy)
      report(seg, "icd9-diagnosis", "ICD-9 qualifiers (BK, BF): ICD-10 (ABK, ABF) since October 2015", {
        severity: "warning"
      })
  }

  const dtp = (seg: SegmentView) => {
    if (line !== undefined && loop === "2400" && seg.is(1, "472")) {
      line.hasDate = true
      if (seg.is(2, "RD8")) {
        const value = seg.get(3)
        const dash = value.indexOf("-")
        line.line.dateOfService = d8(seg, 3, dash < 0 ? value : value.slice(0, dash))
        line.line.dateOfServiceEnd = d8(seg, 3, dash < 0 ? value : value.slice(dash + 1))
      } else line.line.dateOfService = dateAt(seg, 3)
    } else if (seg.is(1, "573")) {
      if (loop === "2330B" && other !== undefined) other.adjudicationDate = dateAt(seg, 3)
      else if (loop === "2430" && adjudication !== undefined) adjudication.adjudicationDate = dateAt(seg, 3)
    }
  }

  const lx = (seg: SegmentView, state: ClaimState) => {
    finishLine()
    const count = state.lines.length
    if (count === 50) report(seg, "too-many-lines", "a claim has at most 50 service lines")
    if (!seg.is(1, String(count + 1)))
      report(seg, "lx-sequence", "LX01 must count the claim's lines from 1", { element: 1, severity: "warning" })
    line = {
      line: { code: "", modifiers: noneYet, charge: 0, units: 0, diagnosisPointers: noneYet, dateOfService: "" },
      lxAt: seg.index,
      sv1At: -1,
      hasDate: false,
      adjudications: undefined
    }
    state.lines.push(line)
    state.lineModels.push(line.line)
    loop = "2400"
    other = undefined
    address(undefined)
  }

  /** The procedure composite at element n (SV101, SVD03): its qualifier, code and up to 4 modifiers. */
  const procedureAt = (seg: SegmentView, n: number, into: { qualifier: string; code: string }): Array<string> => {
    const modifiers: Array<string> = []
    into.qualifier = ""
    into.code = ""
    if (n >= seg.count) return modifiers
    const text = seg.text
    const separator = seg.delimiters.component.charCodeAt(0)
    const end = (seg.bounds[n + 1] as number) - 1
    let start = seg.bounds[n] as number
    for (let k = 0; k < 6; k++) {
      let stop = start
      while (stop < end && text.charCodeAt(stop) !== separator) stop++
      const value = codeAt(text, start, stop)
      if (k === 0) into.qualifier = value
      else if (k === 1) into.code = value
      else if (value !== "") modifiers.push(value)
      if (stop >= end) break
      start = stop + 1
    }
    return modifiers
  }
  const procedure = { qualifier: "", code: "" }

  const sv1 = (seg: SegmentView, state: LineState) => {
    const l = state.line
    state.sv1At = seg.index
    const modifiers = procedureAt(seg, 1, procedure)
    if (procedure.qualifier !== "HC") l.qualifier = procedure.qualifier
    l.code = procedure.code
    l.modifiers = modifiers
    l.charge = amount(seg, 2)
    if (!seg.is(3, "UN") && !seg.is(3, "MJ")) report(seg, "bad-code", "SV103 must be UN or MJ", { element: 3 })
    l.units = quantity(seg, 4)
    if (seg.has(5)) l.placeOfService = seg.short(5)
    const pointers: Array<number> = []
    if (seg.has(7)) {
      const text = seg.text
      const separator = seg.delimiters.component.charCodeAt(0)
      const end = (seg.bounds[8] as number) - 1
      let start = seg.bounds[7] as number
      for (let j = 0; ; j++) {
        let stop = start
        while (stop < end && text.charCodeAt(stop) !== separator) stop++
        // One or two digits, 1 to 12.
        const length = stop - start
        const d0 = text.charCodeAt(start) - 48
        const d1 = length === 2 ? text.charCodeAt(start + 1) - 48 : 0
        const pointer = length === 1 ? d0 : d0 * 10 + d1
        if (length < 1 || length > 2 || d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || pointer < 1 || pointer > 12)
          report(seg, "diagnosis-pointer", "SV107 pointers are 1 to 12", { element: 7, component: j + 1 })
        else pointers.push(pointer)
        if (stop >= end) break
        start = stop + 1
      }
    }
    if (pointers.length > 4)
      report(seg, "diagnosis-pointer", "SV107 has at most 4 pointers", { element: 7, component: 5 })
    l.diagnosisPointers = pointers
  }

  const svd = (seg: SegmentView, state: LineState) => {
    const payerId = seg.get(1)
    const paidAmount = amount(seg, 2)
    const modifiers = procedureAt(seg, 3, procedure)
    const a: Draft<LineAdjudication> = {
      payerId,
      paidAmount,
      code: procedure.code,
      modifiers,
      paidUnits: seg.has(5) ? quantity(seg, 5) : 0,
      adjustments: [],
      adjudicationDate: ""
    }
    if (procedure.qualifier !== "HC") a.qualifier = procedure.qualifier
    if (seg.has(6)) a.bundledLineNumber = Number(seg.get(6))
    if (state.adjudications === undefined) state.adjudications = [a]
    else state.adjudications.push(a)
    adjudication = a
    loop = "2430"
  }

  const read = (seg: SegmentView): ReadonlyArray<unknown> => {
    switch (seg.key()) {
      case bhtKey: {
        if (seg.has(3)) reference = seg.get(3)
        return none
      }
      case hlKey:
        return hl(seg)
      case nm1Key:
        return nm1(seg)
      case n3Key: {
        if (owner === undefined) return none
        const a: Draft<Address> = { line1: seg.get(1), city: "", state: "", postalCode: "" }
        if (seg.has(2)) a.line2 = seg.get(2)
        owner.address = a
        pendingAddress = a
        return none
      }
      case n4Key: {
        if (pendingAddress === undefined) return none
        pendingAddress.city = seg.get(1)
        pendingAddress.state = seg.short(2)
        pendingAddress.postalCode = seg.get(3)
        pendingAddress = undefined
        return none
      }
      case perKey: {
        if (loop === "1000A" && submitter !== undefined && submitter.contact.name === "")
          submitter.contact = contactOf(seg)
        else if (loop === "2010AA" && group !== undefined && group.provider.contact === undefined)
          group.provider.contact = contactOf(seg)
        return none
      }
      case prvKey: {
        if (seg.is(1, "BI") && group !== undefined && (loop === "2000A" || loop === "2010AA"))
          group.provider.taxonomy = seg.get(3)
        else if (seg.is(1, "PE") && loop === "2310B" && renderingProvider !== undefined)
          renderingProvider.taxonomy = seg.get(3)
        return none
      }
      case refKey: {
        const qualifier = seg.short(1)
        if (loop === "2010AA" && qualifier === "EI" && group !== undefined) group.provider.ein = seg.get(2)
        else if (loop === "2300" && claim !== undefined) {
          if (qualifier === "G1") claim.data.priorAuthorization = seg.get(2)
          else if (qualifier === "F8") claim.data.payerClaimControlNumber = seg.get(2)
          else if (qualifier === "9F") claim.data.referralNumber = seg.get(2)
        } else if (loop === "2400" && line !== undefined) {
          if (qualifier === "G1") line.line.priorAuthorization = seg.get(2)
          else if (qualifier === "6R") line.line.lineControlNumber = seg.get(2)
        }
        return none
      }
      case sbrKey:
        sbr(seg)
        return none
      case patKey: {
        if (patient !== undefined && loop === "2000C") patient.relationship = seg.short(1)
        return none
      }
      case dmgKey: {
        const target = loop === "2010BA" ? subscriber?.subscriber : loop === "2010CA" ? patient : undefined
        if (target === undefined) return none
        const dob = seg.has(2) ? dateAt(seg, 2) : undefined
        const sex = seg.short(3)
        if (sex !== "" && !sexes.has(sex)) report(seg, "bad-code", "DMG03 must be M, F or U", { element: 3 })
        if (target === patient) {
          patientDemographics = true
          if (dob !== undefined) patient.dob = dob
          patient.sex = sex as Sex
        } else if (subscriber !== undefined) {
          const s = subscriber.subscriber
          if (dob !== undefined) s.dob = dob
          if (sex !== "") s.sex = sex as Sex
        }
        return none
      }
      case clmKey:
        return clm(seg)
      case hiKey: {
        if (claim !== undefined && loop === "2300") hi(seg, claim)
        return none
      }
      case amtKey: {
        if (loop === "2320" && other !== undefined) {
          if (seg.is(1, "D")) other.paidAmount = amount(seg, 2)
          else if (seg.is(1, "EAF")) other.remainingPatientLiability = amount(seg, 2)
        } else if (loop === "2430" && adjudication !== undefined && seg.is(1, "EAF"))
          adjudication.remainingPatientLiability = amount(seg, 2)
        return none
      }
      case casKey: {
        if (loop === "2320" && other !== undefined) adjustmentsOf(seg, other.adjustments as Array<Adjustment>)
        else if (loop === "2430" && adjudication !== undefined)
          adjustmentsOf(seg, adjudication.adjustments as Array<Adjustment>)
        return none
      }
      case oiKey: {
        if (loop !== "2320" || other === undefined) return none
        other.benefitsAssignment = checkCode(seg, 3, yesNoW) as OtherPayer["benefitsAssignment"]
        if (seg.is(4, "P")) other.patientSignatureSource = "P"
        other.releaseOfInformation = checkCode(seg, 6, releases) as OtherPayer["releaseOfInformation"]
        return none
      }
      case dtpKey:
        dtp(seg)
        return none
      case lxKey: {
        if (claim === undefined) {
          report(seg, "unexpected-segment", "LX outside a claim")
          return none
        }
        lx(seg, claim)
        return none
      }
      case sv1Key: {
        if (line === undefined || loop !== "2400") {
          report(seg, "unexpected-segment", "SV1 outside a service line (LX)")
          return none
        }
        sv1(seg, line)
        return none
      }
      case svdKey: {
        if (line !== undefined && (loop === "2400" || loop === "2420" || loop === "2430")) svd(seg, line)
        return none
      }
      default:
        return none
    }
  }

  const end = (): Submission837 => {
    const last = finishClaim()
    while (hls.length > 0) {
      const closed = hls.pop()
      if (closed !== undefined) closeHl(closed)
    }
    if (submitter === undefined) reportAt(-1, "", "missing-segment", "the transaction has no submitter (NM1*41)")
    if (receiver === undefined) reportAt(-1, "", "missing-segment", "the transaction has no receiver (NM1*40)")
    if (firstGroup === undefined) reportAt(-1, "", "missing-segment", "the transaction has no billing provider (HL 20)")
    const result: Draft<Submission837> = {
      submitter: submitter ?? { name: "", id: "", contact: { name: "" } },
      receiver: receiver ?? { name: "", id: "" },
      billingProvider: firstGroup?.provider ?? {
        name: "",
        npi: "",
        ein: "",
        address: { line1: "", city: "", state: "", postalCode: "" }
      },
      claims: last === undefined ? [] : [last]
    }
    if (reference !== undefined) result.reference = reference
    if (firstGroup?.payTo.address !== undefined) result.payToAddress = firstGroup.payTo.address
    return result
  }

  // At SE, before `end`: the last claim goes out as an item too (readers without `flush` get it from `end`).
  const flush = (): ReadonlyArray<unknown> => {
    const last = finishClaim()
    return last === undefined ? none : [last]
  }

  // For a caller with `Segment` objects: each is shown through this view.
  const adapter = new SegmentView()
  return { segment: (segment: Segment) => read(adapter.of(segment)), flush, end, [viewSegment]: read }
}

const emptySubscriber = (): Subscriber => ({
  memberId: "",
  name: { last: "" },
  responsibility: "" as PayerResponsibility,
  claimFilingIndicator: "" as ClaimFilingIndicator
})

/**
 * What `read837` found.
 *
 * @since 0.1.0
 */
export interface Read837 {
  /** One per 837 transaction, with all its claims. */
  readonly submissions: ReadonlyArray<Submission837>
  /** Every claim, in order. */
  readonly claims: ReadonlyArray<Claim837>
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Reads a whole text's 837P transactions. Throws `X12ParseError` in strict mode at the first error, and in any mode
 * on input that is not X12.
 *
 * @throws X12ParseError in any mode on input it cannot read on from (not X12, a broken ISA, a segment past
 *   `maxSegmentLength`, more than `maxProblems` problems), and in strict mode at the first error; `X12.readText`
 *   returns the same as a `Failure` instead.
 *
 * @since 0.1.0
 */
export const read837 = (text: string, options: Omit<ReaderOptions, "models"> = {}): Read837 => {
  const { events, problems } = readEvents(text, { ...options, models: { "837": make837 } })
  const submissions: Array<Submission837> = []
  const claims: Array<Claim837> = []
  let pending: Array<Claim837> = []
  for (const event of events) {
    if (event._tag === "Item") pending.push(event.item as Claim837)
    else if (event._tag === "Transaction" && event.header.setId === "837") {
      const model = event.model as Submission837
      const all = pending.length === 0 ? [...model.claims] : [...pending, ...model.claims]
      pending = []
      for (const claim of all) claims.push(claim)
      submissions.push({ ...model, claims: all })
    }
  }
  return { submissions, claims, problems }
}
