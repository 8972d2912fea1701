/**
 * The 271 eligibility response (005010X279A1) as plain objects: per subscriber and dependent, the payer and
 * provider above them, the member's name, ids, birth date and gender, plan dates and plan ids, every EB benefit
 * with its codes decoded (amounts in integer cents, percents in basis points, both parsed exactly), the messages and
 * benefit-related entities under it, and every AAA rejection with the loop it was found in.
 *
 * `make271` is the `TransactionModel` the reader runs per 271: it hands out each member (`EligibilityMember`) as an
 * item as soon as the next HL starts (the last one at SE, from `flush`), and the rest (`Eligibility271Summary`)
 * from `end`. `read271` puts them together for a whole text.
 *
 * The small decoders shared by the response and request modules (`parseCents`, `parseBasisPoints`, `readDate`,
 * `Hierarchy`, `readParty`) live here too.
 *
 * @since 0.1.0
 */
import { decimal, quantity, zeros } from "./internal/amount.js"
import type { Problem } from "./Problem.js"
import { type ModelContext, type Options, readTransactions, type TransactionModel } from "./Reader.js"
import { components, element, repetitions, type Segment } from "./Segments.js"

// ---------------------------------------------------------------------------------------------------------------
// Shared decoders
// ---------------------------------------------------------------------------------------------------------------

/**
 * An X12 decimal (R type) scaled to an integer exactly, with no floating point: `scale` decimal places are kept,
 * and any non-zero digit beyond them makes the value unreadable (undefined), as does anything that is not a
 * decimal or does not fit a safe integer.
 *
 * @since 0.1.0
 */
export const parseScaled = (text: string, scale: number): number | undefined => {
  const value = decimal(text, 0, text.length, scale, zeros)
  return Number.isNaN(value) ? undefined : value
}

/**
 * A monetary amount in integer cents: `"10"` → 1000, `"8513.88"` → 851388, `"125.0"` → 12500. Undefined when it
 * is not a decimal or has fractions of a cent.
 *
 * @since 0.1.0
 */
export const parseCents = (text: string): number | undefined => parseScaled(text, 2)

/**
 * An X12 percent (a decimal fraction, `0.2` = 20%) in basis points: `"0.2"` → 2000, `"1"` → 10000. Undefined when
 * it is not a decimal or has fractions of a basis point.
 *
 * @since 0.1.0
 */
export const parseBasisPoints = (text: string): number | undefined => parseScaled(text, 4)

/**
 * A quantity (R type) as a number, or undefined when it is not a decimal.
 *
 * @since 0.1.0
 */
export const parseQuantity = (text: string): number | undefined => {
  const value = quantity(text, 0, text.length)
  return Number.isNaN(value) ? undefined : value
}

const isoDate = (text: string): string | undefined => {
  if (!/^\d{8}$/u.test(text)) return undefined
  const year = Number(text.slice(0, 4))
  const month = Number(text.slice(4, 6))
  const day = Number(text.slice(6, 8))
  if (month < 1 || month > 12 || day < 1) return undefined
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31
  ]
  if (day > (days[month - 1] ?? 0)) return undefined
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
}

/**
 * A CCYYMMDD date as ISO `YYYY-MM-DD`, or undefined when it is not a calendar date.
 *
 * @since 0.1.0
 */
export const readD8 = (text: string): string | undefined => isoDate(text)

/**
 * A period of days, ISO dates, both ends included. A single date (D8) has `start` = `end`.
 *
 * @since 0.1.0
 */
export interface Period {
  readonly start: string
  readonly end: string
}

/**
 * A date in D8 (`CCYYMMDD`) or RD8 (`CCYYMMDD-CCYYMMDD`) format as a period, or undefined when unreadable
 * (another format, not a calendar date, or a range that ends before it starts).
 *
 * @since 0.1.0
 */
export const readDate = (format: string, value: string): Period | undefined => {
  if (format === "D8") {
    const day = isoDate(value)
    return day === undefined ? undefined : { start: day, end: day }
  }
  if (format === "RD8") {
    const [from = "", to = "", ...rest] = value.split("-")
    const start = isoDate(from)
    const end = isoDate(to)
    if (rest.length > 0 || start === undefined || end === undefined || end < start) return undefined
    return { start, end }
  }
  return undefined
}

/**
 * An NM1 name: a person or an organization, with its id.
 *
 * @since 0.1.0
 */
export interface Party {
  /** NM101: PR payer, 1P provider, IL subscriber, 03 dependent, P3 primary care provider, ... */
  readonly entity: string
  /** NM102 = 2. */
  readonly organization: boolean
  /** NM103: the organization's name, or the person's last name. */
  readonly name: string
  readonly firstName: string | undefined
  readonly middleName: string | undefined
  readonly suffix: string | undefined
  /** NM108: PI payer id, XX NPI, MI member id, SV service provider number, 46 ETIN, FI tax id, ... */
  readonly idQualifier: string | undefined
  /** NM109. */
  readonly id: string | undefined
}

const optional = (value: string): string | undefined => (value === "" ? undefined : value)

/**
 * The party named by an NM1 segment.
 *
 * @since 0.1.0
 */
export const readParty = (nm1: Segment): Party => ({
  entity: element(nm1, 1),
  organization: element(nm1, 2) === "2",
  name: element(nm1, 3),
  firstName: optional(element(nm1, 4)),
  middleName: optional(element(nm1, 5)),
  suffix: optional(element(nm1, 7)),
  idQualifier: optional(element(nm1, 8)),
  id: optional(element(nm1, 9))
})

/**
 * @since 0.1.0
 */
export interface Address {
  readonly lines: ReadonlyArray<string>
  readonly city: string | undefined
  readonly state: string | undefined
  readonly postalCode: string | undefined
  readonly country: string | undefined
}

/**
 * A REF segment.
 *
 * @since 0.1.0
 */
export interface Reference {
  readonly qualifier: string
  readonly value: string
  readonly description: string | undefined
}

/**
 * A DTP segment.
 *
 * @since 0.1.0
 */
export interface DateValue {
  /** DTP01: 346 plan begin, 347 plan end, 291 plan, 307 eligibility, 472 service, ... */
  readonly qualifier: string
  /** Undefined when the date could not be read (a problem says so). */
  readonly period: Period | undefined
}

/**
 * A problem report without the transaction's position, as a model gives it.
 *
 * @since 0.1.0
 */
export type Report = ModelContext["report"]

/**
 * Reads a DTP, reporting an unreadable date.
 *
 * @since 0.1.0
 */
export const readDtp = (dtp: Segment, report: Report): DateValue => {
  const period = readDate(element(dtp, 2), element(dtp, 3))
  if (period === undefined) {
    report({
      severity: "error",
      code: "bad-date",
      message: `DTP03 is not a date in the DTP02 format (D8 or RD8), or the range ends before it starts`,
      segmentIndex: dtp.index,
      segmentId: dtp.id,
      element: 3
    })
  }
  return { qualifier: element(dtp, 1), period }
}

/**
 * Reads a monetary amount in cents from an element, reporting a malformed one. Empty elements are undefined
 * without a problem.
 *
 * @since 0.1.0
 */
export const readCents = (segment: Segment, n: number, report: Report): number | undefined => {
  const text = element(segment, n)
  if (text === "") return undefined
  const cents = parseCents(text)
  if (cents === undefined) {
    report({
      severity: "error",
      code: "bad-amount",
      message: `${segment.id}${String(n).padStart(2, "0")} is not a monetary amount in whole cents`,
      segmentIndex: segment.index,
      segmentId: segment.id,
      element: n
    })
  }
  return cents
}

/**
 * An HL as the hierarchy checker read it.
 *
 * @since 0.1.0
 */
export interface HlNode {
  readonly id: string
  readonly parentId: string | undefined
  readonly level: string
  /** The parent's level code, when the parent is known. */
  readonly parentLevel: string | undefined
}

/**
 * Checks an HL hierarchy as it streams by: HL01 numbered 1, 2, 3 ..., HL02 naming an earlier HL (or none for a
 * top level), HL03 a level this transaction has, under a level it may be under, and HL04 (when present) saying
 * truly whether children follow. It keeps one level code per HL id.
 *
 * @since 0.1.0
 */
export class Hierarchy {
  private count = 0
  private readonly levels = new Map<string, string>()
  private previous: { readonly segment: Segment; readonly id: string; readonly childCode: string } | undefined

  /** `parents`: for each level code, the level codes it may be under; an empty list for a top level. */
  constructor(
    private readonly report: Report,
    private readonly parents: Readonly<Record<string, ReadonlyArray<string>>>
  ) {}

  next(hl: Segment): HlNode {
    const at = { segmentIndex: hl.index, segmentId: hl.id }
    const id = element(hl, 1)
    const parentId = optional(element(hl, 2))
    const level = element(hl, 3)
    this.count++
    if (id !== String(this.count)) {
      this.report({
        severity: "error",
        code: "hl-sequence",
        message: `HL01 should be ${this.count}: HL ids count up from 1 in order`,
        ...at,
        element: 1
      })
    }
    const allowed = Object.hasOwn(this.parents, level) ? this.parents[level] : undefined
    if (allowed === undefined) {
      this.report({
        severity: "error",
        code: "hl-level",
        message: `HL03 is not a hierarchical level code of this transaction set`,
        ...at,
        element: 3
      })
    }
    const parentLevel = parentId === undefined ? undefined : this.levels.get(parentId)
    if (parentId !== undefined && parentLevel === undefined) {
      this.report({
        severity: "error",
        code: "hl-parent",
        message: "HL02 does not name an earlier HL",
        ...at,
        element: 2
      })
    } else if (allowed !== undefined) {
      if (allowed.length === 0 && parentId !== undefined) {
        this.report({
          severity: "error",
          code: "hl-structure",
          message: `an HL of level ${level} is a top level and has no parent`,
          ...at,
          element: 2
        })
      } else if (allowed.length > 0 && parentLevel === undefined) {
        this.report({
          severity: "error",
          code: "hl-structure",
          message: `an HL of level ${level} needs a parent of level ${allowed.join(" or ")}`,
          ...at,
          element: 2
        })
      } else if (parentLevel !== undefined && allowed.length > 0 && !allowed.includes(parentLevel)) {
        this.report({
          severity: "error",
          code: "hl-structure",
          message: `an HL of level ${level} cannot be under ${Object.hasOwn(this.parents, parentLevel) ? `level ${parentLevel}` : "an HL of an unknown level"}`,
          ...at,
          element: 3
        })
      }
    }
    const previous = this.previous
    if (previous !== undefined) {
      const isChild = parentId !== undefined && parentId === previous.id
      if (previous.childCode === "1" && !isChild) this.childCodeWrong(previous.segment, "says children follow, none do")
      if (previous.childCode === "0" && isChild)
        this.childCodeWrong(previous.segment, "says no children follow, one does")
    }
    if (!this.levels.has(id)) this.levels.set(id, level)
    this.previous = { segment: hl, id, childCode: element(hl, 4) }
    return { id, parentId, level, parentLevel }
  }

  /** The end of the transaction: the last HL cannot have children. */
  end(): void {
    if (this.previous?.childCode === "1") this.childCodeWrong(this.previous.segment, "says children follow, none do")
    this.previous = undefined
  }

  private childCodeWrong(hl: Segment, what: string) {
    this.report({
      severity: "warning",
      code: "hl-child-code",
      message: `HL04 ${what}`,
      segmentIndex: hl.index,
      segmentId: hl.id,
      element: 4
    })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Code lists (X12 5010, 005010X279A1)
// ---------------------------------------------------------------------------------------------------------------

/**
 * What an EB01 code means, normalized.
 *
 * @since 0.1.0
 */
export type BenefitMeaning =
  | "active"
  | "inactive"
  | "coinsurance"
  | "copay"
  | "deductible"
  | "coverage-basis"
  | "benefit-description"
  | "exclusions"
  | "limitation"
  | "out-of-pocket"
  | "unlimited"
  | "non-covered"
  | "cost-containment"
  | "reserve"
  | "primary-care-provider"
  | "pre-existing-condition"
  | "managed-care-coordinator"
  | "restricted-provider"
  | "not-medically-necessary"
  | "benefit-disclaimer"
  | "second-opinion-required"
  | "other-payer"
  | "prior-history"
  | "card-lost-or-stolen"
  | "contact-entity"
  | "cannot-process"
  | "other-source"
  | "health-care-facility"
  | "spend-down"
  | "other"

/**
 * EB01 (data element 1390): code → normalized meaning and the standard's name.
 *
 * @since 0.1.0
 */
export const benefitCodes: Readonly<Record<string, readonly [BenefitMeaning, string]>> = {
  "1": ["active", "Active Coverage"],
  "2": ["active", "Active - Full Risk Capitation"],
  "3": ["active", "Active - Services Capitated"],
  "4": ["active", "Active - Services Capitated to Primary Care Physician"],
  "5": ["active", "Active - Pending Investigation"],
  "6": ["inactive", "Inactive"],
  "7": ["inactive", "Inactive - Pending Eligibility Update"],
  "8": ["inactive", "Inactive - Pending Investigation"],
  A: ["coinsurance", "Co-Insurance"],
  B: ["copay", "Co-Payment"],
  C: ["deductible", "Deductible"],
  CB: ["coverage-basis", "Coverage Basis"],
  D: ["benefit-description", "Benefit Description"],
  E: ["exclusions", "Exclusions"],
  F: ["limitation", "Limitations"],
  G: ["out-of-pocket", "Out of Pocket (Stop Loss)"],
  H: ["unlimited", "Unlimited"],
  I: ["non-covered", "Non-Covered"],
  J: ["cost-containment", "Cost Containment"],
  K: ["reserve", "Reserve"],
  L: ["primary-care-provider", "Primary Care Provider"],
  M: ["pre-existing-condition", "Pre-existing Condition"],
  MC: ["managed-care-coordinator", "Managed Care Coordinator"],
  N: ["restricted-provider", "Services Restricted to Following Provider"],
  O: ["not-medically-necessary", "Not Deemed a Medical Necessity"],
  P: ["benefit-disclaimer", "Benefit Disclaimer"],
  Q: ["second-opinion-required", "Second Surgical Opinion Required"],
  R: ["other-payer", "Other or Additional Payor"],
  S: ["prior-history", "Prior Year(s) History"],
  T: ["card-lost-or-stolen", "Card(s) Reported Lost/Stolen"],
  U: ["contact-entity", "Contact Following Entity for Eligibility or Benefit Information"],
  V: ["cannot-process", "Cannot Process"],
  W: ["other-source", "Other Source of Data"],
  X: ["health-care-facility", "Health Care Facility"],
  Y: ["spend-down", "Spend Down"]
}

/**
 * What an EB06 time period qualifier means, normalized.
 *
 * @since 0.1.0
 */
export type TimePeriodMeaning =
  | "hour"
  | "day"
  | "24-hours"
  | "years"
  | "service-year"
  | "calendar-year"
  | "year-to-date"
  | "contract"
  | "episode"
  | "visit"
  | "outlier"
  | "remaining"
  | "exceeded"
  | "not-exceeded"
  | "lifetime"
  | "lifetime-remaining"
  | "month"
  | "week"
  | "admission"
  | "other"

/**
 * EB06 (data element 615).
 *
 * @since 0.1.0
 */
export const timePeriods: Readonly<Record<string, TimePeriodMeaning>> = {
  "6": "hour",
  "7": "day",
  "13": "24-hours",
  "21": "years",
  "22": "service-year",
  "23": "calendar-year",
  "24": "year-to-date",
  "25": "contract",
  "26": "episode",
  "27": "visit",
  "28": "outlier",
  "29": "remaining",
  "30": "exceeded",
  "31": "not-exceeded",
  "32": "lifetime",
  "33": "lifetime-remaining",
  "34": "month",
  "35": "week",
  "36": "admission"
}

/**
 * EB09 quantity qualifiers used in a 271 (data element 673).
 *
 * @since 0.1.0
 */
export const quantityQualifiers: Readonly<Record<string, string>> = {
  "8H": "Minimum",
  "99": "Quantity Used",
  CA: "Covered - Actual",
  CE: "Covered - Estimated",
  D3: "Number of Co-insurance Days",
  DB: "Deductible Blood Units",
  DY: "Days",
  HS: "Hours",
  LA: "Life-time Reserve - Actual",
  LE: "Life-time Reserve - Estimated",
  M2: "Maximum",
  MN: "Month",
  P6: "Number of Services or Procedures",
  QA: "Quantity Approved",
  S7: "Age, High Value",
  S8: "Age, Low Value",
  VS: "Visits",
  YY: "Years"
}

/**
 * EB02 coverage levels (data element 1207).
 *
 * @since 0.1.0
 */
export const coverageLevels: Readonly<Record<string, string>> = {
  CHD: "Children Only",
  DEP: "Dependents Only",
  ECH: "Employee and Children",
  EMP: "Employee Only",
  ESP: "Employee and Spouse",
  FAM: "Family",
  IND: "Individual",
  SPC: "Spouse and Children",
  SPO: "Spouse Only"
}

/**
 * AAA03 reject reasons (data element 901) used in 270/271.
 *
 * @since 0.1.0
 */
export const rejectReasons: Readonly<Record<string, string>> = {
  "04": "Authorized Quantity Exceeded",
  "15": "Required application data missing",
  "33": "Input Errors",
  "35": "Out of Network",
  "41": "Authorization/Access Restrictions",
  "42": "Unable to Respond at Current Time",
  "43": "Invalid/Missing Provider Identification",
  "44": "Invalid/Missing Provider Name",
  "45": "Invalid/Missing Provider Specialty",
  "46": "Invalid/Missing Provider Phone Number",
  "47": "Invalid/Missing Provider State",
  "48": "Invalid/Missing Referring Provider Identification Number",
  "49": "Provider is Not Primary Care Physician",
  "50": "Provider Ineligible for Inquiries",
  "51": "Provider Not on File",
  "52": "Service Dates Not Within Provider Plan Enrollment",
  "53": "Inquired Benefit Inconsistent with Provider Type",
  "54": "Inappropriate Product/Service ID Qualifier",
  "55": "Inappropriate Product/Service ID",
  "56": "Inappropriate Date",
  "57": "Invalid/Missing Date(s) of Service",
  "58": "Invalid/Missing Date-of-Birth",
  "60": "Date of Birth Follows Date(s) of Service",
  "61": "Date of Death Precedes Date(s) of Service",
  "62": "Date of Service Not Within Allowable Inquiry Period",
  "63": "Date of Service in Future",
  "64": "Invalid/Missing Patient ID",
  "65": "Invalid/Missing Patient Name",
  "66": "Invalid/Missing Patient Gender Code",
  "67": "Patient Not Found",
  "68": "Duplicate Patient ID Number",
  "69": "Inconsistent with Patient's Age",
  "70": "Inconsistent with Patient's Gender",
  "71": "Patient Birth Date Does Not Match That for the Patient on the Database",
  "72": "Invalid/Missing Subscriber/Insured ID",
  "73": "Invalid/Missing Subscriber/Insured Name",
  "74": "Invalid/Missing Subscriber/Insured Gender Code",
  "75": "Subscriber/Insured Not Found",
  "76": "Duplicate Subscriber/Insured ID Number",
  "77": "Subscriber Found, Patient Not Found",
  "78": "Subscriber/Insured Not in Group/Plan Identified",
  "79": "Invalid Participant Identification",
  "80": "No Response received - Transaction Terminated",
  "97": "Invalid or Missing Provider Address",
  T4: "Payer Name or Identifier Missing"
}

/**
 * AAA04 follow-up actions (data element 889).
 *
 * @since 0.1.0
 */
export const followUpActions: Readonly<Record<string, string>> = {
  C: "Please Correct and Resubmit",
  N: "Resubmission Not Allowed",
  P: "Please Resubmit Original Transaction",
  R: "Resubmission Allowed",
  S: "Do Not Resubmit; Inquiry Initiated to a Third Party",
  W: "Please Wait 30 Days and Resubmit",
  X: "Please Wait 10 Days and Resubmit",
  Y: "Do Not Resubmit; We Will Hold Your Request and Respond Again Shortly"
}

const lookup = <A>(table: Readonly<Record<string, A>>, code: string): A | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------

/**
 * The loop an AAA was found in: 2000A/2100A information source (payer), 2000B/2100B information receiver
 * (provider), 2000C/2100C/2110C subscriber, 2000D/2100D/2110D dependent, 2120C/2120D a benefit-related entity.
 *
 * @since 0.1.0
 */
export type Loop271 =
  | "2000A"
  | "2100A"
  | "2000B"
  | "2100B"
  | "2000C"
  | "2100C"
  | "2110C"
  | "2120C"
  | "2000D"
  | "2100D"
  | "2110D"
  | "2120D"

/**
 * An AAA request validation: the request was refused (AAA01 = N) or accepted with a reason (Y).
 *
 * @since 0.1.0
 */
export interface Rejection {
  readonly loop: Loop271
  readonly segmentIndex: number
  /** AAA01: Y the request was valid, N it was not. */
  readonly valid: boolean
  /** AAA03. */
  readonly reason: string
  readonly reasonDescription: string | undefined
  /** AAA04. */
  readonly followUp: string
  readonly followUpDescription: string | undefined
}

/**
 * @since 0.1.0
 */
export interface Contact {
  /** PER01: IC information contact, ... */
  readonly function: string
  readonly name: string | undefined
  /** PER03/04, PER05/06, PER07/08: TE phone, FX fax, EM e-mail, UR URL, EX extension. */
  readonly channels: ReadonlyArray<{ readonly qualifier: string; readonly value: string }>
}

/**
 * A benefit-related entity (loop 2120C/2120D, between LS and LE): a primary care provider, another payer, the
 * entity to contact.
 *
 * @since 0.1.0
 */
export interface BenefitEntity {
  readonly segmentIndex: number
  readonly party: Party
  readonly address: Address | undefined
  readonly contacts: ReadonlyArray<Contact>
  /** PRV03. */
  readonly taxonomy: string | undefined
}

/**
 * An EB segment, with what follows it in its 2110 loop.
 *
 * @since 0.1.0
 */
export interface Benefit {
  readonly segmentIndex: number
  /** EB01. */
  readonly code: string
  readonly meaning: BenefitMeaning
  /** The standard's name for EB01, when known. */
  readonly description: string | undefined
  /** EB02: IND, FAM, EMP, ... */
  readonly coverageLevel: string | undefined
  /** EB03, each repetition: 30 plan coverage, MH mental health, A6 psychotherapy, ... */
  readonly serviceTypes: ReadonlyArray<string>
  /** EB04: HM, MB, MA, QM, ... */
  readonly insuranceType: string | undefined
  /** EB05. */
  readonly planDescription: string | undefined
  /** EB06. */
  readonly timePeriod: string | undefined
  readonly timePeriodMeaning: TimePeriodMeaning | undefined
  /** EB07 in integer cents. */
  readonly amountCents: number | undefined
  /** EB08 in basis points (0.2 = 20% = 2000). */
  readonly percentBasisPoints: number | undefined
  /** EB09: VS visits, DY days, HS hours, P6 services, ... */
  readonly quantityQualifier: string | undefined
  readonly quantityDescription: string | undefined
  /** EB10. */
  readonly quantity: number | undefined
  /** EB11: Y, N, U (unknown). */
  readonly authorizationRequired: string | undefined
  /** EB12: Y in network, N out of network, W not applicable, U unknown. */
  readonly inNetwork: string | undefined
  /** EB13 components: qualifier (HC, AD, ...), code, modifiers. */
  readonly procedure: ReadonlyArray<string> | undefined
  /** 2110 DTP: 348 benefit begin, 349 benefit end, 292 benefit, ... */
  readonly dates: ReadonlyArray<DateValue>
  readonly references: ReadonlyArray<Reference>
  /** MSG01 of each MSG. */
  readonly messages: ReadonlyArray<string>
  readonly entities: ReadonlyArray<BenefitEntity>
  readonly rejections: ReadonlyArray<Rejection>
}

/**
 * A subscriber or dependent person.
 *
 * @since 0.1.0
 */
export interface Person {
  readonly name: Party
  /** NM109 when NM108 = MI. */
  readonly memberId: string | undefined
  /** DMG02 as ISO date. */
  readonly birthDate: string | undefined
  /** DMG03: M, F, U. */
  readonly gender: string | undefined
  readonly address: Address | undefined
  /** INS02: 18 self, 01 spouse, 19 child, ... */
  readonly relationship: string | undefined
}

/**
 * A TRN trace: TRN01 1 current (from the inquirer) or 2 referenced (echoed back).
 *
 * @since 0.1.0
 */
export interface Trace {
  readonly type: string
  readonly reference: string
  readonly originator: string | undefined
  readonly secondary: string | undefined
}

/**
 * The plan the member is on.
 *
 * @since 0.1.0
 */
export interface Plan {
  /** REF*18 REF03, else the EB05 of the first active-coverage EB that has one, else the first EB05. */
  readonly name: string | undefined
  /** REF*18 REF02. */
  readonly number: string | undefined
  /** REF*6P REF02. */
  readonly groupNumber: string | undefined
  /** REF*6P REF03. */
  readonly groupName: string | undefined
}

/**
 * The member's dates (2100C/2100D DTP).
 *
 * @since 0.1.0
 */
export interface MemberDates {
  /** DTP*346. */
  readonly planBegin: Period | undefined
  /** DTP*347. */
  readonly planEnd: Period | undefined
  /** DTP*291. */
  readonly plan: Period | undefined
  /** DTP*307. */
  readonly eligibility: Period | undefined
  /** DTP*356. */
  readonly eligibilityBegin: Period | undefined
  /** DTP*357. */
  readonly eligibilityEnd: Period | undefined
  /** Every DTP, in order, these included. */
  readonly all: ReadonlyArray<DateValue>
}

/**
 * A subscriber (HL 22) or a dependent (HL 23), with the payer and provider above it.
 *
 * @since 0.1.0
 */
export interface EligibilityMember {
  readonly level: "subscriber" | "dependent"
  /** HL01. */
  readonly hl: string
  readonly segmentIndex: number
  readonly payer: Party | undefined
  readonly provider: Party | undefined
  readonly subscriber: Person | undefined
  /** For a dependent. */
  readonly dependent: Person | undefined
  readonly traces: ReadonlyArray<Trace>
  readonly dates: MemberDates
  readonly plan: Plan
  /** 2100C/2100D REF. */
  readonly references: ReadonlyArray<Reference>
  readonly benefits: ReadonlyArray<Benefit>
  /** AAA in this member's loops (2000/2100/2110/2120 C or D). */
  readonly rejections: ReadonlyArray<Rejection>
}

/**
 * A 271 without its members.
 *
 * @since 0.1.0
 */
export interface Eligibility271Summary {
  /** ST02. */
  readonly control: string
  readonly version: string
  /** BHT02: 11 response, 06 confirmation. */
  readonly purpose: string | undefined
  /** BHT03. */
  readonly reference: string | undefined
  /** BHT04 as ISO date. */
  readonly created: string | undefined
  /** BHT05. */
  readonly createdTime: string | undefined
  /** 2100A, in order. */
  readonly payers: ReadonlyArray<Party>
  /** 2100B, in order. */
  readonly providers: ReadonlyArray<Party>
  /** Every AAA in the transaction, in order, with its loop. */
  readonly rejections: ReadonlyArray<Rejection>
}

/**
 * A 271 transaction.
 *
 * @since 0.1.0
 */
export interface Eligibility271 extends Eligibility271Summary {
  readonly members: ReadonlyArray<EligibilityMember>
}

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

interface PersonDraft {
  name: Party
  birthDate: string | undefined
  gender: string | undefined
  address: Mutable<Address> | undefined
  relationship: string | undefined
}

interface BenefitDraft extends Omit<Benefit, "dates" | "references" | "messages" | "entities" | "rejections"> {
  readonly dates: Array<DateValue>
  readonly references: Array<Reference>
  readonly messages: Array<string>
  readonly entities: Array<EntityDraft>
  readonly rejections: Array<Rejection>
}

interface EntityDraft {
  segmentIndex: number
  party: Party
  address: Mutable<Address> | undefined
  contacts: Array<Contact>
  taxonomy: string | undefined
}

interface MemberDraft {
  readonly level: "subscriber" | "dependent"
  readonly hl: string
  readonly segmentIndex: number
  readonly payer: Party | undefined
  readonly provider: Party | undefined
  readonly parentSubscriber: PersonDraft | undefined
  person: PersonDraft | undefined
  readonly traces: Array<Trace>
  readonly dates: Array<DateValue>
  readonly references: Array<Reference>
  readonly benefits: Array<BenefitDraft>
  readonly rejections: Array<Rejection>
}

interface HlInfo {
  readonly level: string
  payer: Party | undefined
  provider: Party | undefined
  subscriber: PersonDraft | undefined
}

const personOf = (draft: PersonDraft | undefined): Person | undefined =>
  draft === undefined
    ? undefined
    : {
        name: draft.name,
        memberId: draft.name.idQualifier === "MI" ? draft.name.id : undefined,
        birthDate: draft.birthDate,
        gender: draft.gender,
        address: draft.address,
        relationship: draft.relationship
      }

const firstPeriod = (dates: ReadonlyArray<DateValue>, qualifier: string): Period | undefined =>
  dates.find((d) => d.qualifier === qualifier)?.period

const finishMember = (draft: MemberDraft): EligibilityMember => {
  const plan18 = draft.references.find((r) => r.qualifier === "18")
  const group = draft.references.find((r) => r.qualifier === "6P")
  const described = draft.benefits.filter((b) => b.planDescription !== undefined)
  const planName =
    plan18?.description ?? (described.find((b) => b.meaning === "active") ?? described[0])?.planDescription
  const own = personOf(draft.person)
  return {
    level: draft.level,
    hl: draft.hl,
    segmentIndex: draft.segmentIndex,
    payer: draft.payer,
    provider: draft.provider,
    subscriber: draft.level === "subscriber" ? own : personOf(draft.parentSubscriber),
    dependent: draft.level === "dependent" ? own : undefined,
    traces: draft.traces,
    dates: {
      planBegin: firstPeriod(draft.dates, "346"),
      planEnd: firstPeriod(draft.dates, "347"),
      plan: firstPeriod(draft.dates, "291"),
      eligibility: firstPeriod(draft.dates, "307"),
      eligibilityBegin: firstPeriod(draft.dates, "356"),
      eligibilityEnd: firstPeriod(draft.dates, "357"),
      all: draft.dates
    },
    plan: {
      name: planName,
      number: plan18?.value,
      groupNumber: group?.value,
      groupName: group?.description
    },
    references: draft.references,
    benefits: draft.benefits,
    rejections: draft.rejections
  }
}

const levels271: Readonly<Record<string, ReadonlyArray<string>>> = {
  "20": [],
  "21": ["20"],
  "22": ["21"],
  "23": ["22"]
}

const yesNo = new Set(["Y", "N", "U"])
const network = new Set(["Y", "N", "W", "U"])

/**
 * The model of one 271: members are handed out as items, the summary at SE.
 *
 * @since 0.1.0
 */
export const make271 = (context: ModelContext): TransactionModel => {
  const report = context.report
  const hierarchy = new Hierarchy(report, levels271)
  const hls = new Map<string, HlInfo>()
  const payers: Array<Party> = []
  const providers: Array<Party> = []
  const rejections: Array<Rejection> = []
  let bht: Segment | undefined
  let loop: Loop271 | undefined
  let current: HlInfo | undefined
  let member: MemberDraft | undefined
  let benefit: BenefitDraft | undefined
  let entity: EntityDraft | undefined

  const at = (segment: Segment) => ({ segmentIndex: segment.index, segmentId: segment.id })
  const misplaced = (segment: Segment) =>
    report({
      severity: "warning",
      code: "unexpected-segment",
      message: `${segment.id} is not expected here in a 271; it was skipped`,
      ...at(segment)
    })

  const closeMember = (): ReadonlyArray<unknown> => {
    const done = member
    member = undefined
    benefit = undefined
    entity = undefined
    return done === undefined ? [] : [finishMember(done)]
  }

  const suffix = (): "C" | "D" => (member?.level === "dependent" ? "D" : "C")

  const address = (segment: Segment, target: { address: Mutable<Address> | undefined }) => {
    const into = target.address ?? {
      lines: [],
      city: undefined,
      state: undefined,
      postalCode: undefined,
      country: undefined
    }
    target.address = into
    if (segment.id === "N3") {
      into.lines = [element(segment, 1), element(segment, 2)].filter((l) => l !== "")
    } else {
      into.city = optional(element(segment, 1))
      into.state = optional(element(segment, 2))
      into.postalCode = optional(element(segment, 3))
      into.country = optional(element(segment, 4))
    }
  }

  const readAaa = (segment: Segment): Rejection | undefined => {
    if (loop === undefined) return undefined
    const reason = element(segment, 3)
    const followUp = element(segment, 4)
    const valid = element(segment, 1)
    if (valid !== "Y" && valid !== "N")
      report({ severity: "warning", code: "bad-code", message: "AAA01 must be Y or N", ...at(segment), element: 1 })
    const reasonDescription = lookup(rejectReasons, reason)
    if (reasonDescription === undefined)
      report({
        severity: "warning",
        code: "unknown-reject-reason",
        message: "AAA03 is not a known reject reason code",
        ...at(segment),
        element: 3
      })
    const followUpDescription = lookup(followUpActions, followUp)
    if (followUpDescription === undefined)
      report({
        severity: "warning",
        code: "unknown-follow-up",
        message: "AAA04 is not a known follow-up action code",
        ...at(segment),
        element: 4
      })
    return {
      loop,
      segmentIndex: segment.index,
      valid: valid === "Y",
      reason,
      reasonDescription,
      followUp,
      followUpDescription
    }
  }

  const readEb = (segment: Segment): BenefitDraft => {
    const e = (n: number) => element(segment, n)
    const code = e(1)
    const known = lookup(benefitCodes, code)
    if (code === "") {
      report({ severity: "error", code: "missing-element", message: "EB01 is required", ...at(segment), element: 1 })
    } else if (known === undefined) {
      report({
        severity: "warning",
        code: "unknown-benefit-code",
        message: "EB01 is not a known eligibility or benefit code",
        ...at(segment),
        element: 1
      })
    }
    const timePeriod = optional(e(6))
    const timePeriodMeaning = timePeriod === undefined ? undefined : (lookup(timePeriods, timePeriod) ?? "other")
    if (timePeriodMeaning === "other")
      report({
        severity: "warning",
        code: "unknown-time-period",
        message: "EB06 is not a known time period qualifier",
        ...at(segment),
        element: 6
      })
    const amountCents = readCents(segment, 7, report)
    let percentBasisPoints: number | undefined
    if (e(8) !== "") {
      percentBasisPoints = parseBasisPoints(e(8))
      if (percentBasisPoints === undefined) {
        report({
          severity: "error",
          code: "bad-percent",
          message: "EB08 is not a decimal percent in whole basis points",
          ...at(segment),
          element: 8
        })
      } else if (percentBasisPoints < 0 || percentBasisPoints > 10_000) {
        report({
          severity: "warning",
          code: "percent-out-of-range",
          message: "EB08 is a fraction from 0 to 1 (0.2 = 20%)",
          ...at(segment),
          element: 8
        })
      }
    }
    const quantityQualifier = optional(e(9))
    let quantity: number | undefined
    if (e(10) !== "") {
      quantity = parseQuantity(e(10))
      if (quantity === undefined)
        report({
          severity: "error",
          code: "bad-quantity",
          message: "EB10 is not a decimal",
          ...at(segment),
          element: 10
        })
    }
    if ((quantityQualifier === undefined) !== (e(10) === ""))
      report({
        severity: "warning",
        code: "quantity-pair",
        message: "EB09 and EB10 come together: a quantity needs its qualifier",
        ...at(segment),
        element: quantityQualifier === undefined ? 9 : 10
      })
    const authorizationRequired = optional(e(11))
    if (authorizationRequired !== undefined && !yesNo.has(authorizationRequired))
      report({ severity: "warning", code: "bad-code", message: "EB11 must be Y, N or U", ...at(segment), element: 11 })
    const inNetwork = optional(e(12))
    if (inNetwork !== undefined && !network.has(inNetwork))
      report({
        severity: "warning",
        code: "bad-code",
        message: "EB12 must be Y, N, W or U",
        ...at(segment),
        element: 12
      })
    // With ISA11 = ISA16 there is no repetition separator: the one character separates both, and EB03 is simple.
    let serviceTypes = repetitions(segment, 3)
    if (segment.delimiters.repetition === undefined && e(3).includes(segment.delimiters.component))
      serviceTypes = components(segment, 3)
    const procedure = components(segment, 13)
    return {
      segmentIndex: segment.index,
      code,
      meaning: known?.[0] ?? "other",
      description: known?.[1],
      coverageLevel: optional(e(2)),
      serviceTypes,
      insuranceType: optional(e(4)),
      planDescription: optional(e(5)),
      timePeriod,
      timePeriodMeaning,
      amountCents,
      percentBasisPoints,
      quantityQualifier,
      quantityDescription: quantityQualifier === undefined ? undefined : lookup(quantityQualifiers, quantityQualifier),
      quantity,
      authorizationRequired,
      inNetwork,
      procedure: procedure.length === 0 ? undefined : procedure,
      dates: [],
      references: [],
      messages: [],
      entities: [],
      rejections: []
    }
  }

  const readRef = (segment: Segment): Reference => ({
    qualifier: element(segment, 1),
    value: element(segment, 2),
    description: optional(element(segment, 3))
  })

  const segment = (segment: Segment): ReadonlyArray<unknown> => {
    switch (segment.id) {
      case "BHT": {
        bht = segment
        return []
      }
      case "HL": {
        const out = closeMember()
        const node = hierarchy.next(segment)
        const parent = node.parentId === undefined ? undefined : hls.get(node.parentId)
        const info: HlInfo = {
          level: node.level,
          payer: parent?.payer,
          provider: parent?.provider,
          subscriber: parent?.subscriber
        }
        if (!hls.has(node.id)) hls.set(node.id, info)
        current = info
        loop =
          node.level === "20"
            ? "2000A"
            : node.level === "21"
              ? "2000B"
              : node.level === "22"
                ? "2000C"
                : node.level === "23"
                  ? "2000D"
                  : undefined
        if (node.level === "22" || node.level === "23") {
          member = {
            level: node.level === "22" ? "subscriber" : "dependent",
            hl: node.id,
            segmentIndex: segment.index,
            payer: info.payer,
            provider: info.provider,
            parentSubscriber: node.level === "23" ? info.subscriber : undefined,
            person: undefined,
            traces: [],
            dates: [],
            references: [],
            benefits: [],
            rejections: []
          }
        }
        return out
      }
      case "NM1": {
        if (loop === "2110C" || loop === "2110D" || loop === undefined) {
          misplaced(segment)
          return []
        }
        if (loop === "2120C" || loop === "2120D") {
          entity = {
            segmentIndex: segment.index,
            party: readParty(segment),
            address: undefined,
            contacts: [],
            taxonomy: undefined
          }
          benefit?.entities.push(entity)
          return []
        }
        const party = readParty(segment)
        if (loop === "2000A" || loop === "2100A") {
          if (current !== undefined) current.payer = party
          payers.push(party)
          loop = "2100A"
        } else if (loop === "2000B" || loop === "2100B") {
          if (current !== undefined) current.provider = party
          providers.push(party)
          loop = "2100B"
        } else if (member !== undefined) {
          const person: PersonDraft = {
            name: party,
            birthDate: undefined,
            gender: undefined,
            address: undefined,
            relationship: undefined
          }
          member.person = person
          if (member.level === "subscriber" && current !== undefined) current.subscriber = person
          loop = `2100${suffix()}`
        }
        return []
      }
      case "TRN": {
        if (member !== undefined && (loop === "2000C" || loop === "2000D")) {
          member.traces.push({
            type: element(segment, 1),
            reference: element(segment, 2),
            originator: optional(element(segment, 3)),
            secondary: optional(element(segment, 4))
          })
        } else misplaced(segment)
        return []
      }
      case "N3":
      case "N4": {
        if (entity !== undefined && (loop === "2120C" || loop === "2120D")) address(segment, entity)
        else if (member?.person !== undefined && (loop === "2100C" || loop === "2100D")) address(segment, member.person)
        return []
      }
      case "DMG": {
        const person = member?.person
        if (person === undefined || (loop !== "2100C" && loop !== "2100D")) {
          misplaced(segment)
          return []
        }
        if (element(segment, 2) !== "") {
          const birthDate = element(segment, 1) === "D8" ? readD8(element(segment, 2)) : undefined
          if (birthDate === undefined)
            report({
              severity: "error",
              code: "bad-date",
              message: "DMG02 is not a D8 date",
              ...at(segment),
              element: 2
            })
          person.birthDate = birthDate
        }
        person.gender = optional(element(segment, 3))
        return []
      }
      case "INS": {
        if (member?.person !== undefined && (loop === "2100C" || loop === "2100D"))
          member.person.relationship = optional(element(segment, 2))
        return []
      }
      case "REF": {
        if (benefit !== undefined && (loop === "2110C" || loop === "2110D")) benefit.references.push(readRef(segment))
        else if (member !== undefined && (loop === "2100C" || loop === "2100D"))
          member.references.push(readRef(segment))
        return []
      }
      case "DTP": {
        if (benefit !== undefined && (loop === "2110C" || loop === "2110D"))
          benefit.dates.push(readDtp(segment, report))
        else if (member !== undefined && (loop === "2100C" || loop === "2100D"))
          member.dates.push(readDtp(segment, report))
        else misplaced(segment)
        return []
      }
      case "EB": {
        if (member === undefined || loop === undefined || loop.startsWith("2000")) {
          report({
            severity: "error",
            code: "hl-structure",
            message: "EB outside a subscriber or dependent name loop",
            ...at(segment)
          })
          return []
        }
        if (loop === "2120C" || loop === "2120D") {
          report({ severity: "error", code: "missing-le", message: "EB before the LE that closes LS", ...at(segment) })
        }
        benefit = readEb(segment)
        entity = undefined
        member.benefits.push(benefit)
        loop = `2110${suffix()}`
        return []
      }
      case "MSG": {
        if (benefit !== undefined && (loop === "2110C" || loop === "2110D")) benefit.messages.push(element(segment, 1))
        else misplaced(segment)
        return []
      }
      case "LS": {
        if (benefit === undefined || (loop !== "2110C" && loop !== "2110D")) misplaced(segment)
        else loop = `2120${suffix()}`
        return []
      }
      case "LE": {
        if (loop === "2120C" || loop === "2120D") {
          loop = `2110${suffix()}`
          entity = undefined
        } else misplaced(segment)
        return []
      }
      case "PER": {
        if (entity !== undefined && (loop === "2120C" || loop === "2120D")) {
          const channels: Array<{ qualifier: string; value: string }> = []
          for (const n of [3, 5, 7]) {
            if (element(segment, n) !== "")
              channels.push({ qualifier: element(segment, n), value: element(segment, n + 1) })
          }
          entity.contacts.push({ function: element(segment, 1), name: optional(element(segment, 2)), channels })
        }
        return []
      }
      case "PRV": {
        if (entity !== undefined && (loop === "2120C" || loop === "2120D"))
          entity.taxonomy = optional(element(segment, 3))
        return []
      }
      case "AAA": {
        const rejection = readAaa(segment)
        if (rejection === undefined) {
          misplaced(segment)
          return []
        }
        rejections.push(rejection)
        if (benefit !== undefined && (loop === "2110C" || loop === "2110D")) benefit.rejections.push(rejection)
        else if (member !== undefined) member.rejections.push(rejection)
        return []
      }
      default:
        return []
    }
  }

  return {
    segment,
    // The reader calls `flush` at SE, then `end`.
    flush: () => {
      if (loop === "2120C" || loop === "2120D")
        report({ severity: "error", code: "missing-le", message: "LS without its LE at the end of the 271" })
      hierarchy.end()
      return closeMember()
    },
    end: (): Eligibility271Summary => {
      return {
        control: context.header.control,
        version: context.header.version,
        purpose: bht === undefined ? undefined : optional(element(bht, 2)),
        reference: bht === undefined ? undefined : optional(element(bht, 3)),
        created: bht === undefined ? undefined : readD8(element(bht, 4)),
        createdTime: bht === undefined ? undefined : optional(element(bht, 5)),
        payers,
        providers,
        rejections
      }
    }
  }
}

/**
 * @since 0.1.0
 */
export interface Read271 {
  readonly transactions: ReadonlyArray<Eligibility271>
  /** Every problem, the envelope's included, in input order. */
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Reads every 271 in a text (other transaction sets are skipped). Throws `X12ParseError` in strict mode at the
 * first error, and in any mode on input that is not X12.
 *
 * @throws X12ParseError in any mode on input it cannot read on from (not X12, a broken ISA, a segment past
 *   `maxSegmentLength`, more than `maxProblems` problems), and in strict mode at the first error; `X12.readText`
 *   returns the same as a `Failure` instead.
 *
 * @since 0.1.0
 */
export const read271 = (text: string, options: Omit<Options, "models" | "keepSegments"> = {}): Read271 => {
  const { transactions, problems } = readTransactions<EligibilityMember, Eligibility271Summary>(
    text,
    "271",
    make271,
    options
  )
  return { transactions: transactions.map((t) => ({ ...t.summary, members: t.items })), problems }
}
