/**
 * The typed 835 (health care claim payment/advice, 005010X221A1). `make835` is a `TransactionModel`: it hands
 * out each claim (2100 loop, with its service lines) as soon as the next CLP, LX or PLB shows that it is complete,
 * so a transaction with any number of claims reads in flat memory (the reader's `flush` at SE hands out the last),
 * and it checks the money as it goes:
 *
 * - line: `SVC02 − Σ line CAS = SVC03`
 * - claim: `CLP03 − Σ (claim CAS + every line's CAS) = CLP04`
 * - transaction: `Σ CLP04 − Σ PLB = BPR02` (negated when BPR03 is `D`, a debit)
 *
 * A positive CAS or PLB amount reduces the payment, a negative one increases it. CLP05 should equal the sum of
 * the PR-group adjustments; that sum is kept as `patientResponsibilityTotal` (authoritative) and a mismatch is a
 * warning. Amounts are integer cents, parsed exactly. Problems carry positions, never values (X12 carries PHI).
 *
 * Missing required amounts read as 0 (with an error) and still take part in balancing; malformed amounts read as
 * 0 (with an error) and the checks that would include them are skipped, since their value is unknown.
 *
 * Dates are kept as sent (CCYYMMDD). What a read returns is read-only, as its types say: lines with the same SVC01
 * composite share one frozen `Procedure`.
 *
 * `write835` writes the same model back as an interchange (the 837P writer's `Controls` and `WriteOptions`): it
 * checks every field and the same three balances first, and returns the failures with their paths, never values,
 * instead of text that does not balance. What it writes, `read835` reads back as the same model.
 *
 * @since 0.1.0
 */

import { Result } from "effect"
import { centsOf, needsRounding } from "./internal/amount.js"
import { codeAt, keyOf, own, Recent, SegmentView, viewSegment } from "./internal/view.js"
import type * as Write from "./internal/write.js"
import {
  at,
  defaultDelimiters,
  envelopeHeader,
  envelopeTrailer,
  FieldValidator,
  type PathLike,
  validateEnvelope
} from "./internal/write.js"
import type { Problem } from "./Problem.js"
import { type ModelContext, type Options, readTransactions, type TransactionModel } from "./Reader.js"
import type { Segment } from "./Segments.js"

/**
 * A CAS adjustment triplet: group (CO, OA, PI, PR; CR before 5010), CARC reason, amount in cents (positive
 * reduces the payment) and an optional quantity.
 *
 * @since 0.1.0
 */
export interface Adjustment {
  readonly group: string
  readonly reason: string
  readonly amount: number
  readonly quantity?: number
}

/**
 * @since 0.1.0
 */
export interface Reference {
  readonly qualifier: string
  readonly value: string
}

/**
 * An AMT (amount in cents) or QTY.
 *
 * @since 0.1.0
 */
export interface QualifiedAmount {
  readonly qualifier: string
  readonly amount: number
}

/**
 * @since 0.1.0
 */
export interface QualifiedQuantity {
  readonly qualifier: string
  readonly quantity: number
}

/**
 * @since 0.1.0
 */
export interface Address {
  /** N301, N302. */
  readonly lines: ReadonlyArray<string>
  readonly city?: string
  readonly state?: string
  readonly postalCode?: string
  readonly country?: string
}

/**
 * A PER contact: function (CX, BL, IC), name and numbers (TE, EM, UR, FX, ...).
 *
 * @since 0.1.0
 */
export interface Contact {
  readonly function: string
  readonly name?: string
  readonly numbers: ReadonlyArray<Reference>
}

/**
 * The payer (N1*PR, loop 1000A) or the payee (N1*PE, loop 1000B).
 *
 * @since 0.1.0
 */
export interface Party {
  readonly name: string
  /** N103: XV, FI, XX, PI, ... */
  readonly idQualifier?: string
  /** N104. */
  readonly id?: string
  readonly address?: Address
  /** REF in the loop (payer 2U, payee TJ, PQ, ...). */
  readonly references: ReadonlyArray<Reference>
  readonly contacts: ReadonlyArray<Contact>
}

/**
 * An NM1 in the claim: patient (QC), insured (IL), rendering provider (82), corrected patient (74), crossover
 * carrier (TT), corrected priority payer (PR), other subscriber (GB).
 *
 * @since 0.1.0
 */
export interface Name {
  /** NM101. */
  readonly entity: string
  /** NM102: 1 person, 2 non-person. */
  readonly entityType: string
  /** NM103: last name or organization name. */
  readonly name: string
  readonly first?: string
  readonly middle?: string
  readonly suffix?: string
  /** NM108: MI, MR, FI, XX, ... */
  readonly idQualifier?: string
  readonly id?: string
}

/**
 * @since 0.1.0
 */
export interface Procedure {
  /** HC (HCPCS/CPT), AD, ER, HP, IV, N4, NU, WK, ZZ (not in 5010), ... */
  readonly qualifier: string
  readonly code: string
  /** Up to 4. */
  readonly modifiers: ReadonlyArray<string>
  readonly description?: string
}

/**
 * A service line (2110 loop).
 *
 * @since 0.1.0
 */
export interface RemittanceLine {
  /** The SVC's index in the input. */
  readonly segmentIndex: number
  /** SVC01, as adjudicated. */
  readonly procedure: Procedure
  /** SVC02, cents. */
  readonly charge: number
  /** SVC03, cents. */
  readonly paid: number
  /** SVC04 (NUBC revenue code). */
  readonly revenueCode?: string
  /** SVC05, 1 when absent. */
  readonly units: number
  /** SVC06, the procedure as submitted, when it differs. */
  readonly originalProcedure?: Procedure
  /** SVC07. */
  readonly originalUnits?: number
  /** DTM*472. */
  readonly serviceDate?: string
  /** DTM*150. */
  readonly serviceFrom?: string
  /** DTM*151. */
  readonly serviceTo?: string
  readonly adjustments: ReadonlyArray<Adjustment>
  /** REF*6R (the 837's line item control number). */
  readonly controlNumber?: string
  /** Other REFs. */
  readonly references: ReadonlyArray<Reference>
  /** AMT*B6 (informational: not part of balancing). */
  readonly allowed?: number
  /** Other AMTs. */
  readonly amounts: ReadonlyArray<QualifiedAmount>
  readonly quantities: ReadonlyArray<QualifiedQuantity>
  /** LQ*HE remark codes (RARC). */
  readonly remarks: ReadonlyArray<string>
  /** SVC02 − Σ CAS = SVC03 (false when an amount is malformed). */
  readonly balanced: boolean
}

/**
 * What CLP02 says happened.
 *
 * @since 0.1.0
 */
export type ClaimStatusMeaning =
  | "processed-primary"
  | "processed-secondary"
  | "processed-tertiary"
  | "denied"
  | "processed-forwarded"
  | "reversal"
  | "not-our-claim"
  | "predetermination"
  | "other"

/**
 * @since 0.1.0
 */
export const claimStatusMeaning = (status: string): ClaimStatusMeaning => {
  switch (status) {
    case "1":
      return "processed-primary"
    case "2":
      return "processed-secondary"
    case "3":
      return "processed-tertiary"
    case "4":
      return "denied"
    case "19":
    case "20":
    case "21":
      return "processed-forwarded"
    case "22":
      return "reversal"
    case "23":
      return "not-our-claim"
    case "25":
      return "predetermination"
    default:
      return "other"
  }
}

/**
 * A claim payment (2100 loop) with its service lines.
 *
 * @since 0.1.0
 */
export interface RemittanceClaim {
  /** The CLP's index in the input. */
  readonly segmentIndex: number
  /** LX01 of the header number loop (2000) the claim is in. */
  readonly headerNumber?: string
  /** CLP01. */
  readonly patientControlNumber: string
  /** CLP02. */
  readonly status: string
  readonly statusMeaning: ClaimStatusMeaning
  /** CLP03, cents. */
  readonly charge: number
  /** CLP04, cents. */
  readonly paid: number
  /** CLP05 as sent, cents. */
  readonly patientResponsibility?: number
  /** Σ PR adjustments, claim and line level: the authoritative patient responsibility. */
  readonly patientResponsibilityTotal: number
  /** CLP06 (MC, MB, CI, 13, ...). */
  readonly filingIndicator: string
  /** CLP07. */
  readonly payerClaimControlNumber: string
  /** CLP08: place of service or facility type. */
  readonly facilityCode?: string
  /** CLP09: frequency (1 original, 7 replacement, 8 void). */
  readonly frequency?: string
  /** Claim-level CAS. */
  readonly adjustments: ReadonlyArray<Adjustment>
  /** NM1*QC. */
  readonly patient?: Name
  /** NM1*IL. */
  readonly insured?: Name
  /** NM1*82. */
  readonly rendering?: Name
  /** Other NM1s (74, TT, PR, GB). */
  readonly otherNames: ReadonlyArray<Name>
  readonly references: ReadonlyArray<Reference>
  /** DTM*232. */
  readonly statementFrom?: string
  /** DTM*233. */
  readonly statementTo?: string
  /** DTM*050. */
  readonly received?: string
  /** DTM*036. */
  readonly coverageExpiration?: string
  readonly amounts: ReadonlyArray<QualifiedAmount>
  readonly quantities: ReadonlyArray<QualifiedQuantity>
  /** MOA03–07 and MIA05, MIA20–23 remark codes. */
  readonly remarks: ReadonlyArray<string>
  readonly lines: ReadonlyArray<RemittanceLine>
  /** CLP03 − Σ CAS (claim and lines) = CLP04 (false when an amount is malformed). */
  readonly balanced: boolean
}

/**
 * @since 0.1.0
 */
export interface ProviderAdjustmentItem {
  /** PLB03-1: WO, L6, FB, 72, CV, ... */
  readonly reason: string
  /** PLB03-2. */
  readonly reference?: string
  /** Cents: positive reduces the payment, negative increases it. */
  readonly amount: number
}

/**
 * A PLB segment.
 *
 * @since 0.1.0
 */
export interface ProviderAdjustment {
  readonly segmentIndex: number
  /** PLB01. */
  readonly provider: string
  /** PLB02. */
  readonly fiscalPeriodDate: string
  readonly adjustments: ReadonlyArray<ProviderAdjustmentItem>
}

/**
 * A bank and an account in the BPR: the payer's (BPR06–BPR09) or the payee's (BPR12–BPR15), for a transfer.
 *
 * @since 0.1.0
 */
export interface BankAccount {
  /** BPR06 or BPR12: 01 ABA routing number, 04 Canadian bank branch and institution number. */
  readonly bankIdQualifier: string
  /** BPR07 or BPR13: the routing number. */
  readonly bankId: string
  /** BPR08 or BPR14: DA demand deposit, SG savings, ... */
  readonly accountQualifier?: string
  /** BPR09 or BPR15. */
  readonly accountNumber?: string
}

/**
 * BPR.
 *
 * @since 0.1.0
 */
export interface Payment {
  /** BPR01: I remittance and payment, H notification only, C payment only, ... */
  readonly handling: string
  /** BPR02, cents, as sent (unsigned). */
  readonly amount: number
  /** BPR03: C credit, D debit. */
  readonly creditDebit: string
  /** BPR04: ACH, CHK, BOP, FWT, NON. */
  readonly method: string
  /** BPR05: CCP, CTX. */
  readonly format?: string
  /** BPR06–BPR09: where the money comes from. */
  readonly payerAccount?: BankAccount
  /** BPR10: the originating company (1 + the payer's EIN). */
  readonly originatingCompanyId?: string
  /** BPR11. */
  readonly originatingCompanyCode?: string
  /** BPR12–BPR15: where it goes. */
  readonly payeeAccount?: BankAccount
  /** BPR16. */
  readonly effectiveDate: string
}

/**
 * TRN.
 *
 * @since 0.1.0
 */
export interface Trace {
  readonly type: string
  /** TRN02: check or EFT trace number. */
  readonly number: string
  /** TRN03: payer identifier (1 + EIN). */
  readonly payerId: string
  readonly supplementalCode?: string
}

/**
 * An 835 transaction without its claims: those are the model's items, handed out one by one.
 *
 * @since 0.1.0
 */
export interface Remittance {
  /** ST02. */
  readonly control: string
  /** Absent when the transaction has no BPR (an error). */
  readonly payment?: Payment
  readonly trace?: Trace
  /** Header REFs (EV receiver, F2 version). */
  readonly references: ReadonlyArray<Reference>
  /** DTM*405. */
  readonly productionDate?: string
  readonly payer?: Party
  readonly payee?: Party
  /** Number of CLP segments. */
  readonly claimCount: number
  /** PLB segments. */
  readonly providerAdjustments: ReadonlyArray<ProviderAdjustment>
  readonly totals: {
    /** Σ CLP04, cents. */
    readonly claimsPaid: number
    /** Σ PLB amounts, cents. */
    readonly plb: number
    /** BPR02, cents (0 without a BPR). */
    readonly bpr: number
  }
  readonly balanced: {
    /** Every line balances. */
    readonly lines: boolean
    /** Every claim balances. */
    readonly claims: boolean
    /** Σ CLP04 − Σ PLB = BPR02. */
    readonly transaction: boolean
  }
}

/**
 * @since 0.1.0
 */
export interface RemittanceWithClaims extends Remittance {
  readonly claims: Array<RemittanceClaim>
}

// ---------------------------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------------------------

/**
 * An X12 decimal amount as integer cents, without floating point: `"56.7"` → 5670, `"-12.00"` → −1200, `".5"` →
 * 50. A third decimal rounds half away from zero (`rounded` is then true); undefined when malformed.
 *
 * @since 0.1.0
 */
export const parseAmount = (text: string): { readonly cents: number; readonly rounded: boolean } | undefined => {
  const cents = centsOf(text)
  return Number.isNaN(cents) ? undefined : { cents, rounded: needsRounding(text) }
}

/**
 * Formats cents as an X12 decimal (`5670` → `"56.70"`), for writers and messages in tests.
 *
 * @since 0.1.0
 */
export const formatCents = (cents: number): string => {
  const negative = cents < 0
  const magnitude = negative ? -cents : cents
  const fraction = magnitude % 100
  return `${negative ? "-" : ""}${(magnitude - fraction) / 100}.${fraction < 10 ? "0" : ""}${fraction}`
}

// ---------------------------------------------------------------------------------------------------------------
// Balancing: the reader checks these as it reads, the writer before it writes
// ---------------------------------------------------------------------------------------------------------------

/** A line (`SVC02 − Σ line CAS = SVC03`) or a claim (`CLP03 − Σ claim and line CAS = CLP04`). */
const balances = (charge: number, adjusted: number, paid: number): boolean => charge - adjusted === paid

/** `Σ CLP04 − Σ PLB = BPR02`, BPR02 negated when BPR03 is `D` (a debit). */
const transactionBalances = (claimsPaid: number, plb: number, payment: Payment): boolean =>
  claimsPaid - plb === (payment.creditDebit === "D" ? -payment.amount : payment.amount)

/** CLP05 (0 when absent) against Σ PR adjustments, claim and lines. */
const patientResponsibilityMatches = (sent: number | undefined, prAdjusted: number): boolean =>
  (sent ?? 0) === prAdjusted

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------

type Draft<T> = { -readonly [K in keyof T]: T[K] }

interface PartyState {
  readonly party: Draft<Party>
  readonly references: Array<Reference>
  readonly contacts: Array<Contact>
  address: Draft<Address> | undefined
  readonly addressLines: Array<string>
}

type Report = Omit<Problem, "interchange" | "group" | "transaction">

const none: ReadonlyArray<RemittanceClaim> = []

/** Where MOA and MIA carry remark codes. */
const moaRemarks = [3, 4, 5, 6, 7]
const miaRemarks = [5, 20, 21, 22, 23]

/** Groups allowed in 5010, and CR (5010 removed it). */
const isGroup = (group: string): boolean =>
  group === "CO" || group === "OA" || group === "PI" || group === "PR" || group === "CR"

const isStatus = (status: string): boolean => claimStatusMeaning(status) !== "other"

// Segment ids as numbers, for the model's switch.
const clpKey = keyOf("CLP")
const svcKey = keyOf("SVC")
const casKey = keyOf("CAS")
const dtmKey = keyOf("DTM")
const refKey = keyOf("REF")
const amtKey = keyOf("AMT")
const qtyKey = keyOf("QTY")
const lqKey = keyOf("LQ")
const nm1Key = keyOf("NM1")
const moaKey = keyOf("MOA")
const miaKey = keyOf("MIA")
const lxKey = keyOf("LX")
const plbKey = keyOf("PLB")
const bprKey = keyOf("BPR")
const trnKey = keyOf("TRN")
const n1Key = keyOf("N1")
const n3Key = keyOf("N3")
const n4Key = keyOf("N4")
const perKey = keyOf("PER")

/**
 * A list of a claim or a line that is still empty: one shared, frozen array, replaced by the first `grow`. Most
 * lists stay empty, and a whole-file read keeps every claim: this keeps a dozen arrays per claim off the heap.
 */
const empty: Array<never> = Object.freeze([]) as unknown as Array<never>

/**
 * `list` with `value` added. Lists stay short (a claim's lines, a line's adjustments), and a whole-file read keeps
 * every claim's: up to four items, each addition makes an array of the exact length (`push` onto a list of one
 * would leave room for 16 more); past four, `push`, and `settled` trims the list when its claim is done.
 */
const grow = <T>(list: Array<T>, value: T): Array<T> => {
  switch (list.length) {
    case 0:
      return [value]
    case 1:
      return [list[0] as T, value]
    case 2:
      return [list[0] as T, list[1] as T, value]
    case 3:
      return [list[0] as T, list[1] as T, list[2] as T, value]
    default:
      list.push(value)
      return list
  }
}

/** A finished list at its length (see `grow`). */
const settled = <T>(list: Array<T>): Array<T> => (list.length <= 4 ? list : list.slice())

// What a read keeps, per claim, is made by constructors rather than object literals, for two reasons. V8 watches
// each literal's site and, once most of what it makes survives a collection (a whole-file read keeps every claim
// until it ends), makes everything from that site in the old generation ("pretenuring"): every later read then
// fills the old generation with claims that die young, and pays for it in full collections and write barriers
// (about a fifth of the time of reading a 1,000-claim file, measured). A constructor's objects are never
// pretenured. And a constructor's objects keep the optional fields set after it (DTM dates, NM1 names) in the
// object, where a literal's go to a separate property array. Fields are set in the interfaces' order, so the
// objects print as before.

/** A `RemittanceClaim` being read. */
class ClaimRecord {
  declare segmentIndex: number
  declare headerNumber?: string
  declare patientControlNumber: string
  declare status: string
  declare statusMeaning: ClaimStatusMeaning
  declare charge: number
  declare paid: number
  declare patientResponsibility?: number
  declare patientResponsibilityTotal: number
  declare filingIndicator: string
  declare payerClaimControlNumber: string
  declare facilityCode?: string
  declare frequency?: string
  declare adjustments: Array<Adjustment>
  declare patient?: Name
  declare insured?: Name
  declare rendering?: Name
  declare otherNames: Array<Name>
  declare references: Array<Reference>
  declare statementFrom?: string
  declare statementTo?: string
  declare received?: string
  declare coverageExpiration?: string
  declare amounts: Array<QualifiedAmount>
  declare quantities: Array<QualifiedQuantity>
  declare remarks: Array<string>
  declare lines: Array<RemittanceLine>
  declare balanced: boolean

  constructor(
    segmentIndex: number,
    patientControlNumber: string,
    status: string,
    charge: number,
    paid: number,
    filingIndicator: string,
    payerClaimControlNumber: string
  ) {
    this.segmentIndex = segmentIndex
    this.patientControlNumber = patientControlNumber
    this.status = status
    this.statusMeaning = claimStatusMeaning(status)
    this.charge = charge
    this.paid = paid
    this.patientResponsibilityTotal = 0
    this.filingIndicator = filingIndicator
    this.payerClaimControlNumber = payerClaimControlNumber
    this.adjustments = empty
    this.otherNames = empty
    this.references = empty
    this.amounts = empty
    this.quantities = empty
    this.remarks = empty
    this.lines = empty
    this.balanced = true
  }
}

/** A `RemittanceLine` being read. */
class LineRecord {
  declare segmentIndex: number
  declare procedure: Procedure
  declare charge: number
  declare paid: number
  declare revenueCode?: string
  declare units: number
  declare originalProcedure?: Procedure
  declare originalUnits?: number
  declare serviceDate?: string
  declare serviceFrom?: string
  declare serviceTo?: string
  declare adjustments: Array<Adjustment>
  declare controlNumber?: string
  declare references: Array<Reference>
  declare allowed?: number
  declare amounts: Array<QualifiedAmount>
  declare quantities: Array<QualifiedQuantity>
  declare remarks: Array<string>
  declare balanced: boolean

  constructor(segmentIndex: number, procedure: Procedure, charge: number, paid: number, units: number) {
    this.segmentIndex = segmentIndex
    this.procedure = procedure
    this.charge = charge
    this.paid = paid
    this.units = units
    this.adjustments = empty
    this.references = empty
    this.amounts = empty
    this.quantities = empty
    this.remarks = empty
    this.balanced = true
  }
}

class AdjustmentRecord {
  declare group: string
  declare reason: string
  declare amount: number
  declare quantity?: number

  constructor(group: string, reason: string, amount: number) {
    this.group = group
    this.reason = reason
    this.amount = amount
  }
}

class ReferenceRecord {
  constructor(
    readonly qualifier: string,
    readonly value: string
  ) {}
}

class AmountRecord {
  constructor(
    readonly qualifier: string,
    readonly amount: number
  ) {}
}

class QuantityRecord {
  constructor(
    readonly qualifier: string,
    readonly quantity: number
  ) {}
}

class ProcedureRecord {
  declare qualifier: string
  declare code: string
  declare modifiers: ReadonlyArray<string>
  declare description?: string

  constructor(qualifier: string, code: string, modifiers: ReadonlyArray<string>) {
    this.qualifier = qualifier
    this.code = code
    this.modifiers = modifiers
  }
}

class NameRecord {
  declare entity: string
  declare entityType: string
  declare name: string
  declare first?: string
  declare middle?: string
  declare suffix?: string
  declare idQualifier?: string
  declare id?: string

  constructor(entity: string, entityType: string, name: string) {
    this.entity = entity
    this.entityType = entityType
    this.name = name
  }
}

/** Slots of the table of procedures an 835 shares (see `procedureAt` in `make835`). */
const sharedSlots = 256

/** The procedure composite in element n (SVC01, SVC06): qualifier, code, up to 4 modifiers, a description. */
const procedureOf = (segment: SegmentView, n: number): Procedure => {
  const separator = segment.delimiters.component
  if (separator.length !== 1 || n >= segment.count) return procedureOfText(segment.get(n), separator)
  const text = segment.text
  const code = separator.charCodeAt(0)
  const start = segment.bounds[n] as number
  const end = (segment.bounds[n + 1] as number) - 1
  let qualifier = ""
  let procedureCode = ""
  let description = ""
  let modifiers: Array<string> = empty
  let part = 0
  let from = start
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== code) continue
    if (i > from) {
      if (part === 0) qualifier = codeAt(text, from, i)
      else if (part === 1) procedureCode = own(segment.sharedAt(from, i))
      else if (part < 6) modifiers = grow(modifiers, codeAt(text, from, i))
      else if (part === 6) description = own(text.slice(from, i))
    }
    part++
    from = i + 1
  }
  const procedure = new ProcedureRecord(qualifier, procedureCode, modifiers)
  if (description !== "") procedure.description = description
  return procedure
}

/** `procedureOf` over the composite's text, for a delimiter of more than one character. */
const procedureOfText = (value: string, separator: string): Procedure => {
  const parts = value.split(separator)
  let modifiers: Array<string> = empty
  for (let i = 2; i < 6 && i < parts.length; i++) {
    const modifier = parts[i] as string
    if (modifier !== "") modifiers = grow(modifiers, own(modifier))
  }
  const procedure = new ProcedureRecord(own(parts[0] ?? ""), own(parts[1] ?? ""), modifiers)
  const description = parts[6]
  if (description !== undefined && description !== "") procedure.description = own(description)
  return procedure
}

/** The bank and account in elements n to n + 3 of a BPR, or undefined when all four are empty. */
const accountOf = (segment: SegmentView, n: number): BankAccount | undefined => {
  const bankIdQualifier = segment.get(n)
  const bankId = segment.get(n + 1)
  const accountQualifier = segment.get(n + 2)
  const accountNumber = segment.get(n + 3)
  if (bankIdQualifier === "" && bankId === "" && accountQualifier === "" && accountNumber === "") return undefined
  const account: Draft<BankAccount> = { bankIdQualifier, bankId }
  if (accountQualifier !== "") account.accountQualifier = accountQualifier
  if (accountNumber !== "") account.accountNumber = accountNumber
  return account
}

/**
 * The 835 model. `flush` closes the open claim and returns it: the reader calls it at SE, so every claim comes
 * out as an item.
 *
 * @since 0.1.0
 */
export interface Model835 extends TransactionModel {
  readonly segment: (segment: Segment) => ReadonlyArray<RemittanceClaim>
  readonly flush: () => ReadonlyArray<RemittanceClaim>
  readonly end: () => Remittance
}

/**
 * The 835 model, for `Reader.Options.models` (`{ "835": make835 }`). `segment` returns each finished
 * `RemittanceClaim`; `end` returns the `Remittance` without its claims (they went out as items).
 *
 * @since 0.1.0
 */
export const make835 = (context: ModelContext): Model835 => {
  const report = (problem: Report) => context.report(problem)

  let payment: Payment | undefined
  let bprIndex = -1
  let trace: Trace | undefined
  let productionDate: string | undefined
  const references: Array<Reference> = []
  let payer: PartyState | undefined
  let payee: PartyState | undefined
  let party: PartyState | undefined
  let detail = false
  let headerNumber: string | undefined
  // The claim open and the sums of its checks so far (one claim is open at a time, so these are plain variables
  // rather than an object per claim).
  let claim: ClaimRecord | undefined
  /** Σ CAS, claim and lines. */
  let claimAdjusted = 0
  /** Σ PR CAS, claim and lines. */
  let claimPatientResponsibility = 0
  /** An amount of the claim check is malformed. */
  let claimUnknown = false
  /** CLP05 is malformed. */
  let claimUnknownPatientResponsibility = false
  // The service line open, the same way.
  let line: LineRecord | undefined
  /** Σ CAS. */
  let lineAdjusted = 0
  /** An amount of the line check is malformed. */
  let lineUnknown = false
  let claimCount = 0
  let claimsPaid = 0
  let plb = 0
  let transactionUnknown = false
  let linesBalanced = true
  let claimsBalanced = true
  const providerAdjustments: Array<ProviderAdjustment> = []
  /** Procedures read lately, by their composite's text (see `procedureAt`). */
  const procedures = new Recent<Procedure>(sharedSlots)

  const at = (segment: SegmentView, element: number) => ({
    segmentIndex: segment.index,
    segmentId: segment.id,
    element
  })

  const missing = (segment: SegmentView, element: number, what: string) =>
    report({
      severity: "error",
      code: "missing-element",
      message: `${segment.id}${element < 10 ? "0" : ""}${element} (${what}) is required`,
      ...at(segment, element)
    })

  /** Cents of a required amount: 0 with an error when missing, NaN with an error when malformed. */
  const money = (segment: SegmentView, n: number, what: string): number => {
    if (!segment.has(n)) {
      report({
        severity: "error",
        code: "missing-amount",
        message: `${segment.id}${n < 10 ? "0" : ""}${n} (${what}) is required`,
        ...at(segment, n)
      })
      return 0
    }
    return parsed(segment, n, what)
  }

  /** Cents of an optional amount: undefined when absent. */
  const optionalMoney = (segment: SegmentView, n: number, what: string): number | undefined =>
    segment.has(n) ? parsed(segment, n, what) : undefined

  const parsed = (segment: SegmentView, n: number, what: string): number => {
    const cents = segment.cents(n)
    if (Number.isNaN(cents)) {
      report({
        severity: "error",
        code: "malformed-amount",
        message: `${segment.id}${n < 10 ? "0" : ""}${n} (${what}) is not a decimal amount`,
        ...at(segment, n)
      })
    } else if (segment.moreThanTwoDecimals(n)) {
      report({
        severity: "warning",
        code: "amount-precision",
        message: `${segment.id}${n < 10 ? "0" : ""}${n} (${what}) has more than two decimals; rounded half-up to cents`,
        ...at(segment, n)
      })
    }
    return cents
  }

  const quantity = (segment: SegmentView, n: number, what: string): number | undefined => {
    if (!segment.has(n)) return undefined
    const value = segment.quantity(n)
    if (Number.isNaN(value)) {
      report({
        severity: "error",
        code: "malformed-quantity",
        message: `${segment.id}${n < 10 ? "0" : ""}${n} (${what}) is not a decimal number`,
        ...at(segment, n)
      })
      return undefined
    }
    return value
  }

  const outOfPlace = (segment: SegmentView, where: string) =>
    report({
      severity: "error",
      code: "out-of-place",
      message: `${segment.id} outside ${where}; ignored`,
      segmentIndex: segment.index,
      segmentId: segment.id
    })

  const finishLine = () => {
    const l = line
    if (l === undefined) return
    line = undefined
    l.adjustments = settled(l.adjustments)
    l.references = settled(l.references)
    l.amounts = settled(l.amounts)
    l.quantities = settled(l.quantities)
    l.remarks = settled(l.remarks)
    if (lineUnknown) l.balanced = false
    else if (!balances(l.charge, lineAdjusted, l.paid)) {
      l.balanced = false
      report({
        severity: "error",
        code: "line-unbalanced",
        message: "SVC02 minus the line's CAS amounts does not equal SVC03",
        segmentIndex: l.segmentIndex,
        segmentId: "SVC",
        element: 3
      })
    }
    if (!l.balanced) linesBalanced = false
  }

  const finishClaim = (): RemittanceClaim | undefined => {
    finishLine()
    const c = claim
    if (c === undefined) return undefined
    claim = undefined
    c.adjustments = settled(c.adjustments)
    c.otherNames = settled(c.otherNames)
    c.references = settled(c.references)
    c.amounts = settled(c.amounts)
    c.quantities = settled(c.quantities)
    c.remarks = settled(c.remarks)
    c.lines = settled(c.lines)
    c.patientResponsibilityTotal = claimPatientResponsibility
    if (claimUnknown) c.balanced = false
    else if (!balances(c.charge, claimAdjusted, c.paid)) {
      c.balanced = false
      report({
        severity: "error",
        code: "claim-unbalanced",
        message: "CLP03 minus the claim's and its lines' CAS amounts does not equal CLP04",
        segmentIndex: c.segmentIndex,
        segmentId: "CLP",
        element: 4
      })
    }
    if (!c.balanced) claimsBalanced = false
    if (!claimUnknown && !claimUnknownPatientResponsibility) {
      if (!patientResponsibilityMatches(c.patientResponsibility, claimPatientResponsibility)) {
        report({
          severity: "warning",
          code: "patient-responsibility-mismatch",
          message: "CLP05 does not equal the sum of PR adjustments; the PR adjustments are authoritative",
          segmentIndex: c.segmentIndex,
          segmentId: "CLP",
          element: 5
        })
      }
    }
    return c
  }

  const emit = (): ReadonlyArray<RemittanceClaim> => {
    const finished = finishClaim()
    return finished === undefined ? none : [finished]
  }

  const startClaim = (segment: SegmentView) => {
    claimCount++
    const patientControlNumber = segment.get(1)
    const status = segment.short(2)
    if (patientControlNumber === "") missing(segment, 1, "patient control number")
    if (status === "") missing(segment, 2, "claim status")
    else if (!isStatus(status))
      report({
        severity: "warning",
        code: "unknown-claim-status",
        message: "CLP02 is not a 5010 claim status code",
        ...at(segment, 2)
      })
    let unknown = false
    let charge = money(segment, 3, "total charge")
    if (Number.isNaN(charge)) {
      unknown = true
      charge = 0
    }
    let paid = money(segment, 4, "payment")
    if (Number.isNaN(paid)) {
      unknown = true
      transactionUnknown = true
      paid = 0
    }
    claimsPaid += paid
    let unknownPatientResponsibility = false
    let patientResponsibility = optionalMoney(segment, 5, "patient responsibility")
    if (patientResponsibility !== undefined && Number.isNaN(patientResponsibility)) {
      unknownPatientResponsibility = true
      patientResponsibility = 0
    }
    const c = new ClaimRecord(
      segment.index,
      patientControlNumber,
      status,
      charge,
      paid,
      segment.short(6),
      segment.get(7)
    )
    if (headerNumber !== undefined) c.headerNumber = headerNumber
    if (patientResponsibility !== undefined) c.patientResponsibility = patientResponsibility
    const facility = segment.short(8)
    if (facility !== "") c.facilityCode = facility
    const frequency = segment.short(9)
    if (frequency !== "") c.frequency = frequency
    claim = c
    claimAdjusted = 0
    claimPatientResponsibility = 0
    claimUnknown = unknown
    claimUnknownPatientResponsibility = unknownPatientResponsibility
  }

  /**
   * The procedure in element n: the same frozen object as a line before with the same composite. A file's lines
   * repeat a few procedures, and a whole-file read keeps one of each rather than one per line; frozen, since
   * several lines hold it.
   */
  const procedureAt = (segment: SegmentView, n: number): Procedure => {
    if (!segment.has(n)) return procedureOf(segment, n)
    const text = segment.text
    const start = segment.bounds[n] as number
    const end = (segment.bounds[n + 1] as number) - 1
    const known = procedures.find(text, start, end)
    if (known !== undefined) return known
    const procedure = procedureOf(segment, n)
    Object.freeze(procedure.modifiers)
    Object.freeze(procedure)
    procedures.keep(text.slice(start, end), procedure)
    return procedure
  }

  const startLine = (segment: SegmentView, c: ClaimRecord) => {
    if (!segment.has(1)) missing(segment, 1, "procedure")
    let unknown = false
    let charge = money(segment, 2, "line charge")
    if (Number.isNaN(charge)) {
      unknown = true
      charge = 0
    }
    let paid = money(segment, 3, "line payment")
    if (Number.isNaN(paid)) {
      unknown = true
      paid = 0
    }
    const l = new LineRecord(segment.index, procedureAt(segment, 1), charge, paid, quantity(segment, 5, "units") ?? 1)
    const revenueCode = segment.shared(4)
    if (revenueCode !== "") l.revenueCode = revenueCode
    if (segment.has(6)) l.originalProcedure = procedureAt(segment, 6)
    const originalUnits = quantity(segment, 7, "original units")
    if (originalUnits !== undefined) l.originalUnits = originalUnits
    c.lines = grow(c.lines, l)
    line = l
    lineAdjusted = 0
    lineUnknown = unknown
  }

  /** A CAS of claim `c`, or of its line `l`. */
  const adjust = (segment: SegmentView, c: ClaimRecord, l: LineRecord | undefined) => {
    const group = segment.short(1)
    if (group === "") missing(segment, 1, "adjustment group")
    else if (group === "CR")
      report({
        severity: "warning",
        code: "obsolete-adjustment-group",
        message: "adjustment group CR was removed in 5010 (use CO, OA, PI or PR)",
        ...at(segment, 1)
      })
    else if (!isGroup(group))
      report({
        severity: "error",
        code: "bad-adjustment-group",
        message: "CAS01 must be CO, OA, PI or PR",
        ...at(segment, 1)
      })
    let count = 0
    for (let n = 2; n <= 17; n += 3) {
      const reason = segment.short(n)
      if (reason === "") {
        if (segment.has(n + 1)) missing(segment, n, "adjustment reason")
        continue
      }
      count++
      if ((reason === "18" || reason === "23") && group !== "OA" && group !== "")
        report({
          severity: "warning",
          code: "adjustment-reason-group",
          message: "reason codes 18 and 23 are for use with group OA only",
          ...at(segment, n)
        })
      let amount = money(segment, n + 1, "adjustment amount")
      if (Number.isNaN(amount)) {
        amount = 0
        claimUnknown = true
        if (l !== undefined) lineUnknown = true
      }
      const adjustment = new AdjustmentRecord(group, reason, amount)
      const units = quantity(segment, n + 2, "adjustment quantity")
      if (units !== undefined) adjustment.quantity = units
      if (l === undefined) c.adjustments = grow(c.adjustments, adjustment)
      else l.adjustments = grow(l.adjustments, adjustment)
      claimAdjusted += amount
      if (l !== undefined) lineAdjusted += amount
      if (group === "PR") claimPatientResponsibility += amount
    }
    if (count === 0 && segment.get(2) === "") missing(segment, 2, "adjustment reason")
  }

  const nameOf = (segment: SegmentView): Name => {
    const name = new NameRecord(segment.short(1), segment.short(2), segment.shared(3))
    const first = segment.shared(4)
    if (first !== "") name.first = first
    const middle = segment.shared(5)
    if (middle !== "") name.middle = middle
    const suffix = segment.shared(7)
    if (suffix !== "") name.suffix = suffix
    const idQualifier = segment.short(8)
    if (idQualifier !== "") name.idQualifier = idQualifier
    const id = segment.shared(9)
    if (id !== "") name.id = id
    return name
  }

  const startParty = (segment: SegmentView): PartyState => {
    const partyReferences: Array<Reference> = []
    const contacts: Array<Contact> = []
    const p: Draft<Party> = { name: segment.get(2), references: partyReferences, contacts }
    const idQualifier = segment.get(3)
    if (idQualifier !== "") p.idQualifier = idQualifier
    const id = segment.get(4)
    if (id !== "") p.id = id
    return { party: p, references: partyReferences, contacts, address: undefined, addressLines: [] }
  }

  const addressOf = (state: PartyState): Draft<Address> => {
    if (state.address !== undefined) return state.address
    const address: Draft<Address> = { lines: state.addressLines }
    state.address = address
    state.party.address = address
    return address
  }

  const providerAdjustment = (segment: SegmentView) => {
    const provider = segment.get(1)
    const fiscalPeriodDate = segment.get(2)
    if (provider === "") missing(segment, 1, "provider identifier")
    if (fiscalPeriodDate === "") missing(segment, 2, "fiscal period date")
    const adjustments: Array<ProviderAdjustmentItem> = []
    for (let n = 3; n <= 13; n += 2) {
      const composite = segment.get(n)
      const amountText = segment.get(n + 1)
      if (composite === "" && amountText === "") continue
      const parts = composite.split(segment.delimiters.component)
      const reason = parts[0] ?? ""
      if (reason === "") missing(segment, n, "adjustment reason")
      let amount = money(segment, n + 1, "provider adjustment amount")
      if (Number.isNaN(amount)) {
        amount = 0
        transactionUnknown = true
      }
      const item: Draft<ProviderAdjustmentItem> = { reason, amount }
      const reference = parts[1] ?? ""
      if (reference !== "") item.reference = reference
      adjustments.push(item)
      plb += amount
    }
    if (adjustments.length === 0) missing(segment, 3, "adjustment reason")
    providerAdjustments.push({ segmentIndex: segment.index, provider, fiscalPeriodDate, adjustments })
  }

  const read = (segment: SegmentView): ReadonlyArray<RemittanceClaim> => {
    switch (segment.key()) {
      case clpKey: {
        const out = emit()
        party = undefined
        detail = true
        startClaim(segment)
        return out
      }
      case svcKey: {
        if (claim === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        finishLine()
        startLine(segment, claim)
        return none
      }
      case casKey: {
        if (claim === undefined) outOfPlace(segment, "a claim")
        else adjust(segment, claim, line)
        return none
      }
      case dtmKey: {
        const qualifier = segment.short(1)
        const date = segment.shared(2)
        if (line !== undefined) {
          if (qualifier === "472") line.serviceDate = date
          else if (qualifier === "150") line.serviceFrom = date
          else if (qualifier === "151") line.serviceTo = date
        } else if (claim !== undefined) {
          if (qualifier === "232") claim.statementFrom = date
          else if (qualifier === "233") claim.statementTo = date
          else if (qualifier === "050") claim.received = date
          else if (qualifier === "036") claim.coverageExpiration = date
        } else if (qualifier === "405") productionDate = date
        return none
      }
      case refKey: {
        const qualifier = segment.short(1)
        if (line !== undefined && qualifier === "6R") {
          line.controlNumber = segment.get(2)
          return none
        }
        const reference = new ReferenceRecord(qualifier, segment.get(2))
        if (line !== undefined) line.references = grow(line.references, reference)
        else if (claim !== undefined) claim.references = grow(claim.references, reference)
        else if (party !== undefined) party.references.push(reference)
        else references.push(reference)
        return none
      }
      case amtKey: {
        const qualifier = segment.short(1)
        const target = line ?? claim
        if (target === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        let amount = money(segment, 2, "amount")
        // AMT is informational: a malformed one does not stop balancing.
        if (Number.isNaN(amount)) amount = 0
        if (line !== undefined && qualifier === "B6") line.allowed = amount
        else target.amounts = grow(target.amounts, new AmountRecord(qualifier, amount))
        return none
      }
      case qtyKey: {
        const target = line ?? claim
        if (target === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        const value = quantity(segment, 2, "quantity")
        if (value !== undefined)
          target.quantities = grow(target.quantities, new QuantityRecord(segment.short(1), value))
        return none
      }
      case lqKey: {
        if (line === undefined) {
          outOfPlace(segment, "a service line")
          return none
        }
        if (segment.is(1, "HE")) {
          const code = segment.shared(2)
          if (code !== "") line.remarks = grow(line.remarks, code)
        }
        return none
      }
      case nm1Key: {
        if (claim === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        const name = nameOf(segment)
        const c = claim
        if (name.entity === "QC") c.patient = name
        else if (name.entity === "IL") c.insured = name
        else if (name.entity === "82") c.rendering = name
        else c.otherNames = grow(c.otherNames, name)
        return none
      }
      case moaKey:
      case miaKey: {
        if (claim === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        for (const n of segment.id === "MOA" ? moaRemarks : miaRemarks) {
          const code = segment.shared(n)
          if (code !== "") claim.remarks = grow(claim.remarks, code)
        }
        return none
      }
      case lxKey: {
        const out = emit()
        party = undefined
        detail = true
        headerNumber = segment.get(1)
        return out
      }
      case plbKey: {
        const out = emit()
        party = undefined
        detail = true
        providerAdjustment(segment)
        return out
      }
      case bprKey: {
        if (payment !== undefined) {
          outOfPlace(segment, "the header (a second BPR)")
          return none
        }
        bprIndex = segment.index
        let amount = money(segment, 2, "total payment")
        if (Number.isNaN(amount)) {
          amount = 0
          transactionUnknown = true
        }
        const p: Draft<Payment> = {
          handling: segment.get(1),
          amount,
          creditDebit: segment.get(3),
          method: segment.get(4),
          effectiveDate: segment.get(16)
        }
        const format = segment.get(5)
        if (format !== "") p.format = format
        const payerAccount = accountOf(segment, 6)
        if (payerAccount !== undefined) p.payerAccount = payerAccount
        const company = segment.get(10)
        if (company !== "") p.originatingCompanyId = company
        const companyCode = segment.get(11)
        if (companyCode !== "") p.originatingCompanyCode = companyCode
        const payeeAccount = accountOf(segment, 12)
        if (payeeAccount !== undefined) p.payeeAccount = payeeAccount
        payment = p
        return none
      }
      case trnKey: {
        if (trace !== undefined || detail) return none
        const t: Draft<Trace> = { type: segment.get(1), number: segment.get(2), payerId: segment.get(3) }
        const supplemental = segment.get(4)
        if (supplemental !== "") t.supplementalCode = supplemental
        trace = t
        return none
      }
      case n1Key: {
        if (detail) {
          outOfPlace(segment, "the header")
          return none
        }
        const qualifier = segment.get(1)
        if (qualifier === "PR") party = payer = startParty(segment)
        else if (qualifier === "PE") party = payee = startParty(segment)
        else party = undefined
        return none
      }
      case n3Key: {
        if (party !== undefined) {
          addressOf(party)
          const lines = party.addressLines
          const first = segment.get(1)
          if (first !== "") lines.push(first)
          const second = segment.get(2)
          if (second !== "") lines.push(second)
        }
        return none
      }
      case n4Key: {
        if (party !== undefined) {
          const address = addressOf(party)
          const city = segment.get(1)
          if (city !== "") address.city = city
          const state = segment.get(2)
          if (state !== "") address.state = state
          const postalCode = segment.get(3)
          if (postalCode !== "") address.postalCode = postalCode
          const country = segment.get(4)
          if (country !== "") address.country = country
        }
        return none
      }
      case perKey: {
        if (party !== undefined) {
          const numbers: Array<Reference> = []
          for (let n = 3; n <= 7; n += 2) {
            const qualifier = segment.get(n)
            if (qualifier !== "") numbers.push({ qualifier, value: segment.get(n + 1) })
          }
          const contact: Draft<Contact> = { function: segment.get(1), numbers }
          const name = segment.get(2)
          if (name !== "") contact.name = name
          party.contacts.push(contact)
        }
        return none
      }
      default:
        // CUR, RDM, TS3, TS2 and anything unknown: read, not modelled.
        return none
    }
  }

  const end = (): Remittance => {
    // The reader flushed the last claim at SE already; this closes it for a caller that did not.
    finishClaim()
    const bpr = payment?.amount ?? 0
    let transaction = false
    if (payment === undefined) {
      report({ severity: "error", code: "missing-segment", message: "the 835 has no BPR" })
    } else if (!transactionUnknown) {
      transaction = transactionBalances(claimsPaid, plb, payment)
      if (!transaction)
        report({
          severity: "error",
          code: "transaction-unbalanced",
          message: "the sum of CLP04 minus the sum of PLB amounts does not equal BPR02",
          segmentIndex: bprIndex,
          segmentId: "BPR",
          element: 2
        })
    }
    if (trace === undefined) report({ severity: "error", code: "missing-segment", message: "the 835 has no TRN" })
    const remittance: Draft<Remittance> = {
      control: context.header.control,
      references,
      claimCount,
      providerAdjustments,
      totals: { claimsPaid, plb, bpr },
      balanced: { lines: linesBalanced, claims: claimsBalanced, transaction }
    }
    if (payment !== undefined) remittance.payment = payment
    if (trace !== undefined) remittance.trace = trace
    if (productionDate !== undefined) remittance.productionDate = productionDate
    if (payer !== undefined) remittance.payer = payer.party
    if (payee !== undefined) remittance.payee = payee.party
    return remittance
  }

  // For a caller with `Segment` objects: each is shown through this view.
  const adapter = new SegmentView()
  return {
    segment: (segment: Segment) => read(adapter.of(segment)),
    flush: emit,
    end,
    [viewSegment]: read
  }
}

/**
 * Reads a whole text with the 835 model: each transaction's remittance with its claims, and every problem
 * (envelope and money). The reader's options (`mode`, `maxSegmentLength`, `maxProblems`) apply.
 *
 * @throws X12ParseError in any mode on input it cannot read on from (not X12, a broken ISA, a segment past
 *   `maxSegmentLength`, more than `maxProblems` problems), and in strict mode at the first error; `X12.readText`
 *   returns the same as a `Failure` instead.
 *
 * @since 0.1.0
 */
export const read835 = (
  text: string,
  options: Omit<Options, "models" | "keepSegments"> = {}
): { readonly remittances: Array<RemittanceWithClaims>; readonly problems: ReadonlyArray<Problem> } => {
  const { transactions, problems } = readTransactions<RemittanceClaim, Remittance>(text, "835", make835, options)
  return { remittances: transactions.map((t) => ({ ...t.summary, claims: t.items })), problems }
}

// ---------------------------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------------------------

// Aliases, not `export type { … } from`: see Claim837.ts.

/**
 * The envelope's control numbers: the same type as the 837P writer's.
 *
 * @since 0.1.0
 */
export type Controls = Write.Controls

/**
 * The envelope and the text's form: the same type as the 837P writer's.
 *
 * @since 0.1.0
 */
export type WriteOptions = Write.WriteOptions

/**
 * A reason the writer refused, with the field's path: the same type as the 837P writer's.
 *
 * @since 0.1.0
 */
export type ValidationFailure = Write.ValidationFailure

/**
 * A service line to write: the reader's `RemittanceLine` without what the reader works out (`segmentIndex`,
 * `balanced`).
 *
 * @since 0.1.0
 */
export type RemittanceLineToWrite = Omit<RemittanceLine, "segmentIndex" | "balanced">

/**
 * A claim to write: the reader's `RemittanceClaim` without what the reader works out (`segmentIndex`,
 * `statusMeaning`, `patientResponsibilityTotal`, `balanced`).
 *
 * @since 0.1.0
 */
export type RemittanceClaimToWrite = Omit<
  RemittanceClaim,
  "segmentIndex" | "statusMeaning" | "patientResponsibilityTotal" | "balanced" | "lines"
> & { readonly lines: ReadonlyArray<RemittanceLineToWrite> }

/**
 * @since 0.1.0
 */
export type ProviderAdjustmentToWrite = Omit<ProviderAdjustment, "segmentIndex">

/**
 * An 835 to write: the reader's `RemittanceWithClaims` without what the reader works out (`control` comes from
 * `Controls.transaction`; `claimCount`, `totals`, `balanced` are counted). A `RemittanceWithClaims` read from a
 * text is one, as it is.
 *
 * @since 0.1.0
 */
export type RemittanceToWrite = Omit<
  Remittance,
  "control" | "claimCount" | "providerAdjustments" | "totals" | "balanced"
> & {
  readonly providerAdjustments: ReadonlyArray<ProviderAdjustmentToWrite>
  readonly claims: ReadonlyArray<RemittanceClaimToWrite>
}

const adjustmentGroups: ReadonlySet<string> = new Set(["CO", "OA", "PI", "PR", "CR"])
const creditDebits: ReadonlySet<string> = new Set(["C", "D"])
const codePattern = /^[A-Z0-9]{1,3}$/u
const reasonPattern = /^[A-Z0-9]{1,5}$/u

/** A quantity as X12 writes it: plain decimal digits (no exponent), read back as the same number. */
const quantityText = (n: number): string | undefined => {
  if (!Number.isFinite(n)) return undefined
  const text = String(n)
  return /^-?\d+(?:\.\d+)?$/u.test(text) ? text : undefined
}

/**
 * The envelope options (as the 837P writer's), and `tolerant`.
 *
 * @since 0.1.0
 */
export interface Write835Options extends WriteOptions {
  /**
   * Writes what a tolerant read gave, for passing a payer's file on rather than making one: money that does not
   * balance (lines, claims, the transaction, CLP05 against the PR adjustments) and text with spaces at its ends
   * are written as given. Every other check stays.
   */
  readonly tolerant?: boolean
}

class Validator835 extends FieldValidator {
  /** Checks the money balances. */
  balancing = true

  number(path: PathLike, field: string, value: number | undefined, required = true) {
    if (value === undefined) {
      if (required) this.fail(`${path}${field}`, "is required")
      return
    }
    if (quantityText(value) === undefined) this.fail(`${path}${field}`, "must be a finite decimal number")
  }

  account(path: string, account: BankAccount | undefined) {
    if (account === undefined) return
    this.pattern(path, ".bankIdQualifier", account.bankIdQualifier, /^\d{2}$/u, "must be a 2-digit qualifier")
    this.text(path, ".bankId", account.bankId, 12)
    this.text(path, ".accountQualifier", account.accountQualifier, 3, false)
    this.text(path, ".accountNumber", account.accountNumber, 35, false)
  }

  references(path: PathLike, references: ReadonlyArray<Reference>, reserved?: string) {
    references.forEach((reference, i) => {
      const item = at(path, "", i)
      this.pattern(item, ".qualifier", reference.qualifier, codePattern, "must be a reference qualifier code")
      if (reserved !== undefined && reference.qualifier === reserved)
        this.fail(`${item}.qualifier`, "is written from its own field")
      this.text(item, ".value", reference.value, 50)
    })
  }

  amounts(path: PathLike, amounts: ReadonlyArray<QualifiedAmount>, reserved?: string) {
    amounts.forEach((amount, i) => {
      const item = at(path, "", i)
      this.pattern(item, ".qualifier", amount.qualifier, codePattern, "must be an amount qualifier code")
      if (reserved !== undefined && amount.qualifier === reserved)
        this.fail(`${item}.qualifier`, "is written from its own field")
      this.cents(item, ".amount", amount.amount, true, true)
    })
  }

  quantities(path: PathLike, quantities: ReadonlyArray<QualifiedQuantity>) {
    quantities.forEach((quantity, i) => {
      const item = at(path, "", i)
      this.pattern(item, ".qualifier", quantity.qualifier, codePattern, "must be a quantity qualifier code")
      this.number(item, ".quantity", quantity.quantity)
    })
  }

  /** Σ of the adjustments, after checking them; PR ones added to `pr`. */
  adjustments(path: PathLike, adjustments: ReadonlyArray<Adjustment>, totals: { adjusted: number; pr: number }) {
    const perGroup = new Map<string, number>()
    adjustments.forEach((adjustment, i) => {
      const item = at(path, "", i)
      this.oneOf(item, ".group", adjustment.group, adjustmentGroups)
      this.pattern(item, ".reason", adjustment.reason, reasonPattern, "must be a claim adjustment reason code")
      this.cents(item, ".amount", adjustment.amount, true, true)
      this.number(item, ".quantity", adjustment.quantity, false)
      const count = (perGroup.get(adjustment.group) ?? 0) + 1
      perGroup.set(adjustment.group, count)
      if (count === 7) this.fail(item, "at most 6 adjustments per group code")
      if (Number.isSafeInteger(adjustment.amount)) {
        totals.adjusted += adjustment.amount
        if (adjustment.group === "PR") totals.pr += adjustment.amount
      }
    })
  }

  procedure(path: PathLike, procedure: Procedure | undefined, required: boolean) {
    if (procedure === undefined) {
      if (required) this.fail(path, "is required")
      return
    }
    this.pattern(path, ".qualifier", procedure.qualifier, /^[A-Z0-9]{2}$/u, "must be a 2-character qualifier")
    this.text(path, ".code", procedure.code, 48)
    if (procedure.modifiers.length > 4) this.fail(`${path}.modifiers`, "at most 4 modifiers")
    procedure.modifiers.forEach((modifier, i) => {
      this.text(path, `.modifiers[${i}]`, modifier, 2)
    })
    this.text(path, ".description", procedure.description, 80, false)
  }

  name(path: PathLike, name: Name | undefined, entity: string | undefined) {
    if (name === undefined) return
    if (entity !== undefined && name.entity !== entity) this.fail(`${path}.entity`, `must be ${entity}`)
    else if (entity === undefined) {
      this.pattern(path, ".entity", name.entity, /^[0-9A-Z]{2,3}$/u, "must be an entity identifier code")
      if (name.entity === "QC" || name.entity === "IL" || name.entity === "82")
        this.fail(`${path}.entity`, "is written from its own field (patient, insured, rendering)")
    }
    this.oneOf(path, ".entityType", name.entityType, entityTypes)
    this.text(path, ".name", name.name, 60, false)
    this.text(path, ".first", name.first, 35, false)
    this.text(path, ".middle", name.middle, 25, false)
    this.text(path, ".suffix", name.suffix, 10, false)
    this.text(path, ".idQualifier", name.idQualifier, 3, false)
    this.text(path, ".id", name.id, 80, false)
    if (name.id !== undefined && name.idQualifier === undefined)
      this.fail(`${path}.idQualifier`, "is required with an id")
  }

  party(path: string, party: Party | undefined) {
    if (party === undefined) return this.fail(path, "is required")
    this.text(path, ".name", party.name, 60)
    this.text(path, ".idQualifier", party.idQualifier, 2, false)
    this.text(path, ".id", party.id, 80, false)
    if ((party.idQualifier === undefined) !== (party.id === undefined))
      this.fail(`${path}.id`, "the id and its qualifier are written together (N103, N104)")
    const address = party.address
    if (address !== undefined) {
      const ap = `${path}.address`
      if (address.lines.length > 2) this.fail(`${ap}.lines`, "at most 2 lines")
      address.lines.forEach((line, i) => {
        this.text(ap, `.lines[${i}]`, line, 55)
      })
      this.text(ap, ".city", address.city, 30, false)
      this.text(ap, ".state", address.state, 2, false)
      this.text(ap, ".postalCode", address.postalCode, 15, false)
      this.text(ap, ".country", address.country, 3, false)
      const { city, state, postalCode, country } = address
      if (address.lines.length === 0 && [city, state, postalCode, country].every((f) => f === undefined))
        this.fail(ap, "is empty")
    }
    this.references(`${path}.references`, party.references)
    party.contacts.forEach((contact, i) => {
      const cp = at(path, ".contacts", i)
      this.pattern(cp, ".function", contact.function, /^[A-Z]{2}$/u, "must be a contact function code")
      this.text(cp, ".name", contact.name, 60, false)
      if (contact.numbers.length > 3) this.fail(`${cp}.numbers`, "at most 3 numbers")
      contact.numbers.forEach((number, j) => {
        const np = at(cp, ".numbers", j)
        this.pattern(np, ".qualifier", number.qualifier, /^[A-Z]{2}$/u, "must be a communication qualifier code")
        this.text(np, ".value", number.value, 256)
      })
    })
  }

  line(path: PathLike, line: RemittanceLineToWrite, totals: { adjusted: number; pr: number }) {
    this.procedure(at(path, ".procedure"), line.procedure, true)
    this.cents(path, ".charge", line.charge, true, true)
    this.cents(path, ".paid", line.paid, true, true)
    this.text(path, ".revenueCode", line.revenueCode, 48, false)
    this.number(path, ".units", line.units)
    this.procedure(at(path, ".originalProcedure"), line.originalProcedure, false)
    this.number(path, ".originalUnits", line.originalUnits, false)
    this.d8(path, ".serviceDate", line.serviceDate, false)
    this.d8(path, ".serviceFrom", line.serviceFrom, false)
    this.d8(path, ".serviceTo", line.serviceTo, false)
    const own = { adjusted: 0, pr: 0 }
    this.adjustments(at(path, ".adjustments"), line.adjustments, own)
    this.text(path, ".controlNumber", line.controlNumber, 50, false)
    this.references(at(path, ".references"), line.references, "6R")
    this.cents(path, ".allowed", line.allowed, false, true)
    this.amounts(at(path, ".amounts"), line.amounts, "B6")
    this.quantities(at(path, ".quantities"), line.quantities)
    line.remarks.forEach((remark, i) => {
      this.text(path, `.remarks[${i}]`, remark, 30)
    })
    if (this.balancing && Number.isSafeInteger(line.charge) && Number.isSafeInteger(line.paid))
      if (!balances(line.charge, own.adjusted, line.paid))
        this.fail(`${path}.paid`, "must equal the charge less the line's adjustments (SVC02 − Σ CAS = SVC03)")
    totals.adjusted += own.adjusted
    totals.pr += own.pr
  }

  claim(path: PathLike, claim: RemittanceClaimToWrite) {
    this.text(path, ".patientControlNumber", claim.patientControlNumber, 38)
    this.pattern(path, ".status", claim.status, /^\d{1,2}$/u, "must be a claim status code")
    this.cents(path, ".charge", claim.charge, true, true)
    this.cents(path, ".paid", claim.paid, true, true)
    this.cents(path, ".patientResponsibility", claim.patientResponsibility, false, true)
    this.pattern(path, ".filingIndicator", claim.filingIndicator, /^[0-9A-Z]{2}$/u, "must be a filing indicator code")
    this.text(path, ".payerClaimControlNumber", claim.payerClaimControlNumber, 50)
    this.text(path, ".facilityCode", claim.facilityCode, 2, false)
    this.text(path, ".frequency", claim.frequency, 1, false)
    this.pattern(path, ".headerNumber", claim.headerNumber, /^\d{1,6}$/u, "must be 1 to 6 digits", false)
    const totals = { adjusted: 0, pr: 0 }
    this.adjustments(at(path, ".adjustments"), claim.adjustments, totals)
    this.name(at(path, ".patient"), claim.patient, "QC")
    this.name(at(path, ".insured"), claim.insured, "IL")
    this.name(at(path, ".rendering"), claim.rendering, "82")
    claim.otherNames.forEach((name, i) => {
      this.name(at(path, ".otherNames", i), name, undefined)
    })
    this.references(at(path, ".references"), claim.references)
    this.d8(path, ".statementFrom", claim.statementFrom, false)
    this.d8(path, ".statementTo", claim.statementTo, false)
    this.d8(path, ".received", claim.received, false)
    this.d8(path, ".coverageExpiration", claim.coverageExpiration, false)
    this.amounts(at(path, ".amounts"), claim.amounts)
    this.quantities(at(path, ".quantities"), claim.quantities)
    if (claim.remarks.length > 5) this.fail(`${path}.remarks`, "at most 5 remark codes (MOA03 to MOA07)")
    claim.remarks.forEach((remark, i) => {
      this.text(path, `.remarks[${i}]`, remark, 50)
    })
    claim.lines.forEach((line, i) => {
      this.line(at(path, ".lines", i), line, totals)
    })
    if (this.balancing && Number.isSafeInteger(claim.charge) && Number.isSafeInteger(claim.paid))
      if (!balances(claim.charge, totals.adjusted, claim.paid))
        this.fail(
          `${path}.paid`,
          "must equal the charge less the claim's and its lines' adjustments (CLP03 − Σ CAS = CLP04)"
        )
    const sent = claim.patientResponsibility
    if (this.balancing && (sent === undefined || Number.isSafeInteger(sent)))
      if (!patientResponsibilityMatches(claim.patientResponsibility, totals.pr))
        this.fail(`${path}.patientResponsibility`, "must equal the sum of the PR adjustments, claim and lines")
  }
}

const entityTypes: ReadonlySet<string> = new Set(["1", "2"])

/**
 * Everything wrong with a remittance, its control numbers and options; empty when it can be written. Besides
 * each field, the money must balance as the reader checks it: each line, each claim (and CLP05 against the PR
 * adjustments), and the transaction (`Σ CLP04 − Σ PLB = BPR02`, negated for a debit).
 *
 * @since 0.1.0
 */
export const validate835 = (
  remittance: RemittanceToWrite,
  controls: Controls,
  options: Write835Options
): ReadonlyArray<ValidationFailure> => {
  const v = new Validator835(options.delimiters ?? defaultDelimiters)
  if (options.tolerant === true) {
    v.balancing = false
    v.padded = true
  }
  validateEnvelope(
    v,
    controls,
    options,
    options.sender ?? remittance.payer?.id,
    options.receiver ?? remittance.payee?.id
  )
  const payment = remittance.payment
  if (payment === undefined) v.fail("payment", "is required")
  else {
    v.pattern("payment", ".handling", payment.handling, /^[A-Z]{1,2}$/u, "must be a transaction handling code")
    v.cents("payment", ".amount", payment.amount)
    v.oneOf("payment", ".creditDebit", payment.creditDebit, creditDebits)
    v.pattern("payment", ".method", payment.method, /^[A-Z]{3}$/u, "must be a payment method code")
    v.text("payment", ".format", payment.format, 10, false)
    v.account("payment.payerAccount", payment.payerAccount)
    v.text("payment", ".originatingCompanyId", payment.originatingCompanyId, 10, false)
    v.text("payment", ".originatingCompanyCode", payment.originatingCompanyCode, 9, false)
    v.account("payment.payeeAccount", payment.payeeAccount)
    v.d8("payment", ".effectiveDate", payment.effectiveDate)
  }
  const trace = remittance.trace
  if (trace === undefined) v.fail("trace", "is required")
  else {
    v.pattern("trace", ".type", trace.type, /^[0-9]{1,2}$/u, "must be a trace type code")
    v.text("trace", ".number", trace.number, 50)
    v.text("trace", ".payerId", trace.payerId, 10)
    v.text("trace", ".supplementalCode", trace.supplementalCode, 50, false)
  }
  v.references("references", remittance.references)
  v.d8("", "productionDate", remittance.productionDate, false)
  v.party("payer", remittance.payer)
  v.party("payee", remittance.payee)
  let claimsPaid = 0
  let known = true
  let inHeaderLoop = false
  remittance.claims.forEach((claim, i) => {
    const cp = at("claims", "", i)
    v.claim(cp, claim)
    if (claim.headerNumber !== undefined) inHeaderLoop = true
    else if (inHeaderLoop) v.fail(`${cp}.headerNumber`, "is required once an earlier claim is in a header loop (LX)")
    if (Number.isSafeInteger(claim.paid)) claimsPaid += claim.paid
    else known = false
  })
  let plb = 0
  remittance.providerAdjustments.forEach((adjustment, i) => {
    const pp = at("providerAdjustments", "", i)
    v.text(pp, ".provider", adjustment.provider, 50)
    v.d8(pp, ".fiscalPeriodDate", adjustment.fiscalPeriodDate)
    if (adjustment.adjustments.length === 0) v.fail(`${pp}.adjustments`, "needs at least one adjustment")
    if (adjustment.adjustments.length > 6) v.fail(`${pp}.adjustments`, "at most 6 adjustments per PLB")
    adjustment.adjustments.forEach((item, j) => {
      const ip = at(pp, ".adjustments", j)
      v.pattern(ip, ".reason", item.reason, /^[0-9A-Z]{2}$/u, "must be a provider adjustment reason code")
      v.text(ip, ".reference", item.reference, 50, false)
      v.cents(ip, ".amount", item.amount, true, true)
      if (Number.isSafeInteger(item.amount)) plb += item.amount
      else known = false
    })
  })
  if (v.balancing && payment !== undefined && known && Number.isSafeInteger(payment.amount))
    if (!transactionBalances(claimsPaid, plb, payment))
      v.fail(
        "payment.amount",
        "must equal the claims' payments less the provider adjustments (Σ CLP04 − Σ PLB = BPR02, negated for a debit)"
      )
  return v.failures
}

/** Segments joined with the element separator, trailing empty elements dropped. */
class Segments835 {
  readonly segments: Array<string> = []

  constructor(
    private readonly e: string,
    readonly c: string
  ) {}

  add(id: string, ...elements: ReadonlyArray<string | undefined>): void {
    let last = elements.length
    while (last > 0 && (elements[last - 1] ?? "") === "") last--
    let text = id
    for (let i = 0; i < last; i++) text += this.e + (elements[i] ?? "")
    this.segments.push(text)
  }

  /** A composite, trailing empty components dropped. */
  composite(parts: ReadonlyArray<string | undefined>): string {
    let last = parts.length
    while (last > 0 && (parts[last - 1] ?? "") === "") last--
    return parts
      .slice(0, last)
      .map((p) => p ?? "")
      .join(this.c)
  }
}

const quantityOf = (n: number | undefined): string | undefined => (n === undefined ? undefined : quantityText(n))

const procedureText = (w: Segments835, p: Procedure): string => {
  const parts: Array<string | undefined> = [p.qualifier, p.code, ...p.modifiers]
  if (p.description !== undefined) {
    while (parts.length < 6) parts.push("")
    parts.push(p.description)
  }
  return w.composite(parts)
}

/** One CAS per group code, in the order the groups first appear, each with its reasons in order. */
const writeCas = (w: Segments835, adjustments: ReadonlyArray<Adjustment>) => {
  const groups: Array<string> = []
  for (const a of adjustments) if (!groups.includes(a.group)) groups.push(a.group)
  for (const group of groups) {
    const elements: Array<string | undefined> = []
    for (const a of adjustments)
      if (a.group === group) elements.push(a.reason, formatCents(a.amount), quantityOf(a.quantity))
    w.add("CAS", group, ...elements)
  }
}

const writeParty = (w: Segments835, code: string, party: Party) => {
  w.add("N1", code, party.name, party.idQualifier, party.id)
  const address = party.address
  if (address !== undefined) {
    if (address.lines.length > 0) w.add("N3", address.lines[0], address.lines[1])
    const { city, state, postalCode, country } = address
    if (city !== undefined || state !== undefined || postalCode !== undefined || country !== undefined)
      w.add("N4", city, state, postalCode, country)
  }
  for (const r of party.references) w.add("REF", r.qualifier, r.value)
  for (const contact of party.contacts) {
    const numbers: Array<string> = []
    for (const n of contact.numbers) numbers.push(n.qualifier, n.value)
    w.add("PER", contact.function, contact.name, ...numbers)
  }
}

const writeName = (w: Segments835, name: Name, entity: string) =>
  w.add(
    "NM1",
    entity,
    name.entityType,
    name.name,
    name.first,
    name.middle,
    undefined,
    name.suffix,
    name.idQualifier,
    name.id
  )

const dtm = (w: Segments835, qualifier: string, date: string | undefined) => {
  if (date !== undefined) w.add("DTM", qualifier, date)
}

const writeClaim835 = (w: Segments835, claim: RemittanceClaimToWrite) => {
  w.add(
    "CLP",
    claim.patientControlNumber,
    claim.status,
    formatCents(claim.charge),
    formatCents(claim.paid),
    claim.patientResponsibility === undefined ? undefined : formatCents(claim.patientResponsibility),
    claim.filingIndicator,
    claim.payerClaimControlNumber,
    claim.facilityCode,
    claim.frequency
  )
  writeCas(w, claim.adjustments)
  // X221's order: QC, IL, 74, 82, TT, PR, GB.
  if (claim.patient !== undefined) writeName(w, claim.patient, "QC")
  if (claim.insured !== undefined) writeName(w, claim.insured, "IL")
  for (const name of claim.otherNames) if (name.entity === "74") writeName(w, name, "74")
  if (claim.rendering !== undefined) writeName(w, claim.rendering, "82")
  for (const name of claim.otherNames) if (name.entity !== "74") writeName(w, name, name.entity)
  if (claim.remarks.length > 0) w.add("MOA", undefined, undefined, ...claim.remarks)
  for (const r of claim.references) w.add("REF", r.qualifier, r.value)
  dtm(w, "232", claim.statementFrom)
  dtm(w, "233", claim.statementTo)
  dtm(w, "036", claim.coverageExpiration)
  dtm(w, "050", claim.received)
  for (const a of claim.amounts) w.add("AMT", a.qualifier, formatCents(a.amount))
  for (const q of claim.quantities) w.add("QTY", q.qualifier, quantityOf(q.quantity))
  for (const line of claim.lines) {
    w.add(
      "SVC",
      procedureText(w, line.procedure),
      formatCents(line.charge),
      formatCents(line.paid),
      line.revenueCode,
      line.units === 1 ? undefined : quantityOf(line.units),
      line.originalProcedure === undefined ? undefined : procedureText(w, line.originalProcedure),
      quantityOf(line.originalUnits)
    )
    dtm(w, "472", line.serviceDate)
    dtm(w, "150", line.serviceFrom)
    dtm(w, "151", line.serviceTo)
    writeCas(w, line.adjustments)
    for (const r of line.references) w.add("REF", r.qualifier, r.value)
    if (line.controlNumber !== undefined) w.add("REF", "6R", line.controlNumber)
    if (line.allowed !== undefined) w.add("AMT", "B6", formatCents(line.allowed))
    for (const a of line.amounts) w.add("AMT", a.qualifier, formatCents(a.amount))
    for (const q of line.quantities) w.add("QTY", q.qualifier, quantityOf(q.quantity))
    for (const remark of line.remarks) w.add("LQ", "HE", remark)
  }
}

/** The segments of a validated remittance, ISA to IEA, without terminators. */
const segments835 = (remittance: RemittanceToWrite, controls: Controls, options: WriteOptions): Array<string> => {
  const d = options.delimiters ?? defaultDelimiters
  const sender = options.sender ?? (remittance.payer?.id as string)
  const receiver = options.receiver ?? (remittance.payee?.id as string)
  const [isa, gs] = envelopeHeader(controls, options, sender, receiver, "HP", "005010X221A1")
  const w = new Segments835(d.element, d.component)
  w.add("ST", "835", controls.transaction)
  const p = remittance.payment as Payment
  const payer = p.payerAccount
  const payee = p.payeeAccount
  w.add(
    "BPR",
    p.handling,
    formatCents(p.amount),
    p.creditDebit,
    p.method,
    p.format,
    payer?.bankIdQualifier,
    payer?.bankId,
    payer?.accountQualifier,
    payer?.accountNumber,
    p.originatingCompanyId,
    p.originatingCompanyCode,
    payee?.bankIdQualifier,
    payee?.bankId,
    payee?.accountQualifier,
    payee?.accountNumber,
    p.effectiveDate
  )
  const t = remittance.trace as Trace
  w.add("TRN", t.type, t.number, t.payerId, t.supplementalCode)
  for (const r of remittance.references) w.add("REF", r.qualifier, r.value)
  dtm(w, "405", remittance.productionDate)
  writeParty(w, "PR", remittance.payer as Party)
  writeParty(w, "PE", remittance.payee as Party)
  let header: string | undefined
  for (const claim of remittance.claims) {
    if (claim.headerNumber !== undefined && claim.headerNumber !== header) {
      header = claim.headerNumber
      w.add("LX", header)
    }
    writeClaim835(w, claim)
  }
  for (const plb of remittance.providerAdjustments) {
    const items: Array<string | undefined> = []
    for (const item of plb.adjustments) items.push(w.composite([item.reason, item.reference]), formatCents(item.amount))
    w.add("PLB", plb.provider, plb.fiscalPeriodDate, ...items)
  }
  w.add("SE", String(w.segments.length + 1), controls.transaction)
  const [ge, iea] = envelopeTrailer(d.element, controls)
  return [isa, gs, ...w.segments, ge, iea]
}

/**
 * The interchange's segments one by one (each with its terminator, and a newline when asked), or the validation
 * failures and nothing written.
 *
 * @since 0.1.0
 */
export const write835Lines = (
  remittance: RemittanceToWrite,
  controls: Controls,
  options: Write835Options
): Result.Result<ReadonlyArray<string>, ReadonlyArray<ValidationFailure>> => {
  const failures = validate835(remittance, controls, options)
  if (failures.length > 0) return Result.fail(failures)
  const d = options.delimiters ?? defaultDelimiters
  const terminator = options.newline === true ? `${d.segment}\n` : d.segment
  return Result.succeed(segments835(remittance, controls, options).map((s) => s + terminator))
}

/**
 * One 835 as a whole interchange (ISA to IEA, one group, one transaction set), or the validation failures and
 * nothing written. It writes what `read835` reads back: the same remittance, with ST02 from
 * `controls.transaction`. Amounts are written with two decimals (`formatCents`), dates as kept (CCYYMMDD), CAS
 * one segment per group code (so adjustments come back grouped by group code, groups in order of first
 * appearance), names in X221's order (so `otherNames` come back with the corrected patient, 74, first), claim
 * remark codes in one MOA (up to 5), an LX whenever `headerNumber` changes. Values holding a delimiter are
 * refused, not escaped: X12 has no escape.
 *
 * @since 0.1.0
 */
export const write835 = (
  remittance: RemittanceToWrite,
  controls: Controls,
  options: Write835Options
): Result.Result<string, ReadonlyArray<ValidationFailure>> =>
  Result.map(write835Lines(remittance, controls, options), (lines) => lines.join(""))
