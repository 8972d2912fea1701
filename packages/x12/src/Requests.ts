/**
 * Writers for the two requests a provider sends a payer: the 270 eligibility inquiry (005010X279A1) and the 276
 * claim status request (005010X212). Each takes a plain request, the control numbers and the envelope, checks
 * everything first (the provider's NPI check digit included) and returns either the whole interchange (ISA to
 * IEA, counts right, ISA padded to its fixed widths) or the list of what is wrong: each failure names the field
 * and says why, never quoting a value.
 *
 * Amounts are integer cents, written without trailing zeros (851388 → `8513.88`, 759900 → `7599`); dates are ISO
 * `YYYY-MM-DD`. Delimiters: `*` elements, `:` components, `^` repetitions, `~` segments.
 *
 * @since 0.1.0
 */

import { Result } from "effect"
import { type Period, readD8 } from "./Eligibility271.js"
import { formatAmount } from "./internal/amount.js"
import { isValidNpi } from "./internal/npi.js"

/**
 * What the writer refused: the field's path (`subscriber.memberId`) and why, without its value.
 *
 * @since 0.1.0
 */
export interface RequestFailure {
  readonly field: string
  readonly message: string
}

/**
 * The control numbers: ISA13 (written as 9 digits), GS06 (1 to 9 digits), ST02 (written with at least 4 digits).
 *
 * @since 0.1.0
 */
export interface Controls {
  readonly interchange: number | string
  readonly group: number | string
  readonly transaction: number | string
}

/**
 * A trading partner as the envelope names it.
 *
 * @since 0.1.0
 */
export interface Partner {
  /** ISA06/ISA08, up to 15 characters. */
  readonly id: string
  /** ISA05/ISA07: ZZ mutually defined (the default), 30 federal tax id, 01 DUNS, ... */
  readonly qualifier?: string
  /** GS02/GS03 when it differs from `id`. */
  readonly applicationId?: string
}

/**
 * @since 0.1.0
 */
export interface EnvelopeOptions {
  readonly sender: Partner
  readonly receiver: Partner
  /** ISA15: P production, T test. */
  readonly usage: "P" | "T"
  /** ISO date, for ISA09, GS04 and BHT04. */
  readonly date: string
  /** HHMM or HH:MM, for ISA10, GS05 and BHT05. */
  readonly time: string
  /** ISA14. */
  readonly acknowledgmentRequested?: boolean
  /** A line break after each segment terminator, for people reading the file. */
  readonly newlines?: boolean
}

/**
 * A payer (NM1*PR).
 *
 * @since 0.1.0
 */
export interface PayerName {
  readonly name: string
  readonly id: string
  /** NM108: PI payer id (the default), XV CMS PlanID. */
  readonly idQualifier?: "PI" | "XV"
}

/**
 * A provider by NPI (NM1*1P, NM108 XX). A person when `firstName` is given, else an organization.
 *
 * @since 0.1.0
 */
export interface ProviderName {
  /** Organization name, or last name. */
  readonly name: string
  readonly firstName?: string
  readonly npi: string
}

/**
 * @since 0.1.0
 */
export interface PersonName {
  readonly lastName: string
  readonly firstName?: string
  readonly middleName?: string
  readonly suffix?: string
  /** ISO date. */
  readonly birthDate?: string
  readonly gender?: "M" | "F" | "U"
}

/**
 * @since 0.1.0
 */
export interface Subscriber extends PersonName {
  /** NM109 with NM108 MI. */
  readonly memberId: string
}

/**
 * A 270 inquiry about one subscriber.
 *
 * @since 0.1.0
 */
export interface EligibilityRequest {
  /** BHT03: the inquirer's id for this inquiry. */
  readonly reference: string
  readonly payer: PayerName
  readonly provider: ProviderName
  readonly subscriber: Subscriber
  /** TRN*1: the trace the payer echoes back in the 271; `originator` is 10 characters (1 + EIN, ...). */
  readonly trace?: { readonly reference: string; readonly originator: string; readonly secondary?: string }
  /** DTP*291: the date (or ISO range) of service asked about. */
  readonly serviceDate?: string | Period
  /** One EQ per service type: 30 plan coverage, MH mental health, A6 psychotherapy, ... */
  readonly serviceTypes: ReadonlyArray<string>
}

/**
 * A 276 about one claim.
 *
 * @since 0.1.0
 */
export interface ClaimStatusRequest {
  /** BHT03. */
  readonly reference: string
  readonly payer: PayerName
  /** The information receiver (NM1*41), the submitter, with its ETIN (NM108 46) by default. */
  readonly receiver: {
    readonly name: string
    readonly firstName?: string
    readonly id: string
    readonly idQualifier?: "46" | "FI" | "XX"
  }
  /** The provider of service (NM1*1P). */
  readonly provider: ProviderName
  readonly subscriber: Subscriber
  /** The patient when it is a dependent, not the subscriber (HL 23, NM1*QC). */
  readonly dependent?: PersonName
  readonly claim: {
    /** TRN*1 TRN02: the claim's trace number, echoed back in the 277. */
    readonly trace: string
    /** REF*1K. */
    readonly payerClaimNumber?: string
    /** REF*BLT: an institutional bill type. */
    readonly billType?: string
    /** REF*EJ: the patient control number (CLM01). */
    readonly patientAccount?: string
    /** REF*D9. */
    readonly clearinghouseTrace?: string
    /** AMT*T3: total charge, in cents. */
    readonly chargeCents: number
    /** DTP*472: an ISO date or range. */
    readonly serviceDates: string | Period
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

export { formatAmount } from "./internal/amount.js"
export { isValidNpi } from "./internal/npi.js"

/** A delimiter (`*`, `:`, `^`, `~`) or a control character. */
const hasForbidden = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 32 || code === 127 || code === 42 || code === 58 || code === 94 || code === 126) return true
  }
  return false
}

class Checker {
  readonly failures: Array<RequestFailure> = []

  fail(field: string, message: string) {
    this.failures.push({ field, message })
  }

  /** A required (or, with `required` false, optional) text element. */
  text(field: string, value: string | undefined, max: number, required = true): void {
    if (value === undefined || value === "") {
      if (required) this.fail(field, "is required")
      return
    }
    if (value.trim() !== value) this.fail(field, "has leading or trailing spaces")
    if (value.length > max) this.fail(field, `is longer than ${max} characters`)
    if (hasForbidden(value)) this.fail(field, "contains a delimiter (* : ^ ~) or a control character")
  }

  date(field: string, value: string | undefined, required = true): void {
    if (value === undefined) {
      if (required) this.fail(field, "is required")
      return
    }
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(value) || readD8(value.replaceAll("-", "")) === undefined)
      this.fail(field, "is not an ISO date (YYYY-MM-DD)")
  }

  period(field: string, value: string | Period | undefined, required = true): void {
    if (value === undefined || typeof value === "string") {
      this.date(field, value, required)
      return
    }
    this.date(`${field}.start`, value.start)
    this.date(`${field}.end`, value.end)
    if (value.end < value.start) this.fail(field, "ends before it starts")
  }

  npi(field: string, value: string): void {
    if (!/^\d{10}$/u.test(value)) this.fail(field, "is not 10 digits")
    else if (!isValidNpi(value)) this.fail(field, "fails the NPI check digit")
  }

  person(field: string, person: PersonName, birthDateRequired: boolean): void {
    this.text(`${field}.lastName`, person.lastName, 60)
    this.text(`${field}.firstName`, person.firstName, 35, false)
    this.text(`${field}.middleName`, person.middleName, 25, false)
    this.text(`${field}.suffix`, person.suffix, 10, false)
    this.date(`${field}.birthDate`, person.birthDate, birthDateRequired)
    if (person.gender !== undefined && !["M", "F", "U"].includes(person.gender))
      this.fail(`${field}.gender`, "must be M, F or U")
    if (person.gender !== undefined && person.birthDate === undefined)
      this.fail(`${field}.gender`, "is written in DMG with the birth date, which is missing")
  }

  payer(payer: PayerName): void {
    this.text("payer.name", payer.name, 60)
    this.text("payer.id", payer.id, 80)
    if (payer.idQualifier !== undefined && payer.idQualifier !== "PI" && payer.idQualifier !== "XV")
      this.fail("payer.idQualifier", "must be PI or XV")
  }

  provider(provider: ProviderName): void {
    this.text("provider.name", provider.name, 60)
    this.text("provider.firstName", provider.firstName, 35, false)
    this.npi("provider.npi", provider.npi)
  }

  envelope(controls: Controls, envelope: EnvelopeOptions): void {
    const control = (field: string, value: number | string, maxDigits: number) => {
      const text = String(value)
      if (!/^\d+$/u.test(text) || text.length > maxDigits || /^0+$/u.test(text))
        this.fail(field, `is not a positive number of at most ${maxDigits} digits`)
    }
    control("controls.interchange", controls.interchange, 9)
    control("controls.group", controls.group, 9)
    control("controls.transaction", controls.transaction, 9)
    for (const side of ["sender", "receiver"] as const) {
      const partner = envelope[side]
      this.text(`envelope.${side}.id`, partner.id, 15)
      this.text(`envelope.${side}.applicationId`, partner.applicationId, 15, false)
      if ((partner.applicationId ?? partner.id).length < 2)
        this.fail(`envelope.${side}.applicationId`, "is shorter than 2 characters")
      if (partner.qualifier !== undefined && !/^[0-9A-Z]{2}$/u.test(partner.qualifier))
        this.fail(`envelope.${side}.qualifier`, "is not a 2-character interchange id qualifier")
    }
    if (envelope.usage !== "P" && envelope.usage !== "T") this.fail("envelope.usage", "must be P or T")
    this.date("envelope.date", envelope.date)
    if (!/^(?:[01]\d|2[0-3]):?[0-5]\d$/u.test(envelope.time)) this.fail("envelope.time", "is not a time HHMM or HH:MM")
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

/** A segment without its trailing empty elements. */
const segment = (...elements: ReadonlyArray<string | undefined>): string => {
  const values = elements.map((e) => e ?? "")
  let end = values.length
  while (end > 1 && values[end - 1] === "") end--
  return values.slice(0, end).join("*")
}

const d8 = (iso: string): string => iso.replaceAll("-", "")

const dateElements = (value: string | Period): readonly [string, string] =>
  typeof value === "string"
    ? ["D8", d8(value)]
    : value.start === value.end
      ? ["D8", d8(value.start)]
      : ["RD8", `${d8(value.start)}-${d8(value.end)}`]

const personNm1 = (entity: string, person: PersonName, idQualifier?: string, id?: string): string =>
  segment(
    "NM1",
    entity,
    "1",
    person.lastName,
    person.firstName,
    person.middleName,
    undefined,
    person.suffix,
    idQualifier,
    id
  )

const dmg = (person: PersonName): ReadonlyArray<string> =>
  person.birthDate === undefined ? [] : [segment("DMG", "D8", d8(person.birthDate), person.gender)]

const providerNm1 = (provider: ProviderName): string =>
  provider.firstName === undefined
    ? segment("NM1", "1P", "2", provider.name, undefined, undefined, undefined, undefined, "XX", provider.npi)
    : segment("NM1", "1P", "1", provider.name, provider.firstName, undefined, undefined, undefined, "XX", provider.npi)

const interchange = (
  functionalId: string,
  version: string,
  setId: string,
  body: ReadonlyArray<string>,
  controls: Controls,
  envelope: EnvelopeOptions
): string => {
  const date = d8(envelope.date)
  const time = envelope.time.replace(":", "")
  const isaControl = String(controls.interchange).padStart(9, "0")
  const st = String(controls.transaction).padStart(4, "0")
  const sender = envelope.sender
  const receiver = envelope.receiver
  const isa = [
    "ISA",
    "00",
    " ".repeat(10),
    "00",
    " ".repeat(10),
    sender.qualifier ?? "ZZ",
    sender.id.padEnd(15, " "),
    receiver.qualifier ?? "ZZ",
    receiver.id.padEnd(15, " "),
    date.slice(2),
    time,
    "^",
    "00501",
    isaControl,
    envelope.acknowledgmentRequested === true ? "1" : "0",
    envelope.usage,
    ":"
  ].join("*")
  const transaction = [segment("ST", setId, st, version), ...body]
  transaction.push(segment("SE", String(transaction.length + 1), st))
  const segments = [
    isa,
    segment(
      "GS",
      functionalId,
      sender.applicationId ?? sender.id,
      receiver.applicationId ?? receiver.id,
      date,
      time,
      String(Number(controls.group)),
      "X",
      version
    ),
    ...transaction,
    segment("GE", "1", String(Number(controls.group))),
    segment("IEA", "1", isaControl)
  ]
  const terminator = envelope.newlines === true ? "~\n" : "~"
  return segments.map((s) => `${s}${terminator}`).join("")
}

/**
 * The 270 interchange for one subscriber, or why not.
 *
 * @since 0.1.0
 */
export const write270 = (
  request: EligibilityRequest,
  controls: Controls,
  envelope: EnvelopeOptions
): Result.Result<string, ReadonlyArray<RequestFailure>> => {
  const check = new Checker()
  check.envelope(controls, envelope)
  check.text("reference", request.reference, 50)
  check.payer(request.payer)
  check.provider(request.provider)
  check.person("subscriber", request.subscriber, false)
  check.text("subscriber.memberId", request.subscriber.memberId, 80)
  if (request.trace !== undefined) {
    check.text("trace.reference", request.trace.reference, 50)
    check.text("trace.originator", request.trace.originator, 10)
    if (request.trace.originator.length > 0 && request.trace.originator.length < 10)
      check.fail("trace.originator", "is shorter than 10 characters")
    check.text("trace.secondary", request.trace.secondary, 50, false)
  }
  check.period("serviceDate", request.serviceDate, false)
  if (request.serviceTypes.length === 0) check.fail("serviceTypes", "needs at least one service type")
  if (request.serviceTypes.length > 99) check.fail("serviceTypes", "has more than 99 service types")
  request.serviceTypes.forEach((type, i) => {
    if (!/^[0-9A-Z]{1,2}$/u.test(type)) check.fail(`serviceTypes[${i}]`, "is not a service type code")
  })
  if (check.failures.length > 0) return Result.fail(check.failures)

  const { payer, provider, subscriber } = request
  const body: Array<string> = [
    segment("BHT", "0022", "13", request.reference, d8(envelope.date), envelope.time.replace(":", "")),
    segment("HL", "1", "", "20", "1"),
    segment("NM1", "PR", "2", payer.name, "", "", "", "", payer.idQualifier ?? "PI", payer.id),
    segment("HL", "2", "1", "21", "1"),
    providerNm1(provider),
    segment("HL", "3", "2", "22", "0")
  ]
  if (request.trace !== undefined)
    body.push(segment("TRN", "1", request.trace.reference, request.trace.originator, request.trace.secondary))
  body.push(personNm1("IL", subscriber, "MI", subscriber.memberId), ...dmg(subscriber))
  if (request.serviceDate !== undefined) body.push(segment("DTP", "291", ...dateElements(request.serviceDate)))
  for (const type of request.serviceTypes) body.push(segment("EQ", type))
  return Result.succeed(interchange("HS", "005010X279A1", "270", body, controls, envelope))
}

/**
 * The 276 interchange for one claim, or why not.
 *
 * @since 0.1.0
 */
export const write276 = (
  request: ClaimStatusRequest,
  controls: Controls,
  envelope: EnvelopeOptions
): Result.Result<string, ReadonlyArray<RequestFailure>> => {
  const check = new Checker()
  check.envelope(controls, envelope)
  check.text("reference", request.reference, 50)
  check.payer(request.payer)
  check.text("receiver.name", request.receiver.name, 60)
  check.text("receiver.firstName", request.receiver.firstName, 35, false)
  check.text("receiver.id", request.receiver.id, 80)
  if (request.receiver.idQualifier !== undefined && !["46", "FI", "XX"].includes(request.receiver.idQualifier))
    check.fail("receiver.idQualifier", "must be 46, FI or XX")
  if (request.receiver.idQualifier === "XX") check.npi("receiver.id", request.receiver.id)
  check.provider(request.provider)
  // The patient's birth date is required (2000D DMG when the subscriber is the patient, else 2000E DMG).
  check.person("subscriber", request.subscriber, request.dependent === undefined)
  check.text("subscriber.memberId", request.subscriber.memberId, 80)
  if (request.dependent !== undefined) check.person("dependent", request.dependent, true)
  const claim = request.claim
  check.text("claim.trace", claim.trace, 50)
  check.text("claim.payerClaimNumber", claim.payerClaimNumber, 50, false)
  check.text("claim.billType", claim.billType, 50, false)
  check.text("claim.patientAccount", claim.patientAccount, 50, false)
  check.text("claim.clearinghouseTrace", claim.clearinghouseTrace, 50, false)
  if (!Number.isSafeInteger(claim.chargeCents) || claim.chargeCents < 0)
    check.fail("claim.chargeCents", "is not a whole, non-negative number of cents")
  check.period("claim.serviceDates", claim.serviceDates)
  if (check.failures.length > 0) return Result.fail(check.failures)

  const { payer, receiver, provider, subscriber, dependent } = request
  const body: Array<string> = [
    segment("BHT", "0010", "13", request.reference, d8(envelope.date), envelope.time.replace(":", "")),
    segment("HL", "1", "", "20", "1"),
    segment("NM1", "PR", "2", payer.name, "", "", "", "", payer.idQualifier ?? "PI", payer.id),
    segment("HL", "2", "1", "21", "1"),
    segment(
      "NM1",
      "41",
      receiver.firstName === undefined ? "2" : "1",
      receiver.name,
      receiver.firstName,
      "",
      "",
      "",
      receiver.idQualifier ?? "46",
      receiver.id
    ),
    segment("HL", "3", "2", "19", "1"),
    providerNm1(provider)
  ]
  if (dependent === undefined) {
    body.push(
      segment("HL", "4", "3", "22", "0"),
      ...dmg(subscriber),
      personNm1("IL", subscriber, "MI", subscriber.memberId)
    )
  } else {
    body.push(
      segment("HL", "4", "3", "22", "1"),
      personNm1("IL", subscriber, "MI", subscriber.memberId),
      segment("HL", "5", "4", "23"),
      ...dmg(dependent),
      personNm1("QC", dependent)
    )
  }
  body.push(segment("TRN", "1", claim.trace))
  if (claim.payerClaimNumber !== undefined) body.push(segment("REF", "1K", claim.payerClaimNumber))
  if (claim.billType !== undefined) body.push(segment("REF", "BLT", claim.billType))
  if (claim.patientAccount !== undefined) body.push(segment("REF", "EJ", claim.patientAccount))
  if (claim.clearinghouseTrace !== undefined) body.push(segment("REF", "D9", claim.clearinghouseTrace))
  body.push(segment("AMT", "T3", formatAmount(claim.chargeCents)))
  body.push(segment("DTP", "472", ...dateElements(claim.serviceDates)))
  return Result.succeed(interchange("HR", "005010X212", "276", body, controls, envelope))
}
