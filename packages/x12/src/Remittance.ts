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
 * Dates are kept as sent (CCYYMMDD).
 *
 * @since 0.1.0
 */

import { centsOf, needsRounding } from "./internal/amount.js"
import { codeAt, keyOf, SegmentView, viewSegment } from "./internal/view.js"
import type { Problem } from "./Problem.js"
import { type ModelContext, readTransactions, type TransactionModel } from "./Reader.js"
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
// The model
// ---------------------------------------------------------------------------------------------------------------

type Draft<T> = { -readonly [K in keyof T]: T[K] }

/** An object being read: writable, and its lists open for pushing. */
type Building<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? Array<U> : T[K] }

interface LineState {
  readonly line: Building<RemittanceLine>
  /** Σ CAS. */
  adjusted: number
  /** An amount of the line check is malformed. */
  unknown: boolean
}

interface ClaimState {
  readonly claim: Building<RemittanceClaim>
  /** Σ CAS, claim and lines. */
  adjusted: number
  /** Σ PR CAS, claim and lines. */
  patientResponsibility: number
  /** An amount of the claim check is malformed. */
  unknown: boolean
  /** CLP05 is malformed. */
  unknownPatientResponsibility: boolean
}

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

/** `list` with `value` added: `list` itself, or a new array when it is the shared empty one. */
const grow = <T>(list: Array<T>, value: T): Array<T> => {
  if (list === empty) return [value]
  list.push(value)
  return list
}

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
      else if (part === 1) procedureCode = text.slice(from, i)
      else if (part < 6) modifiers = grow(modifiers, codeAt(text, from, i))
      else if (part === 6) description = text.slice(from, i)
    }
    part++
    from = i + 1
  }
  const procedure: Draft<Procedure> = { qualifier, code: procedureCode, modifiers }
  if (description !== "") procedure.description = description
  return procedure
}

/** `procedureOf` over the composite's text, for a delimiter of more than one character. */
const procedureOfText = (value: string, separator: string): Procedure => {
  const parts = value.split(separator)
  let modifiers: Array<string> = empty
  for (let i = 2; i < 6 && i < parts.length; i++) {
    const modifier = parts[i] as string
    if (modifier !== "") modifiers = grow(modifiers, modifier)
  }
  const procedure: Draft<Procedure> = { qualifier: parts[0] ?? "", code: parts[1] ?? "", modifiers }
  const description = parts[6]
  if (description !== undefined && description !== "") procedure.description = description
  return procedure
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
  let claim: ClaimState | undefined
  let line: LineState | undefined
  let claimCount = 0
  let claimsPaid = 0
  let plb = 0
  let transactionUnknown = false
  let linesBalanced = true
  let claimsBalanced = true
  const providerAdjustments: Array<ProviderAdjustment> = []

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
    const state = line
    if (state === undefined) return
    line = undefined
    const l = state.line
    if (state.unknown) l.balanced = false
    else if (l.charge - state.adjusted !== l.paid) {
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
    const state = claim
    if (state === undefined) return undefined
    claim = undefined
    const c = state.claim
    c.patientResponsibilityTotal = state.patientResponsibility
    if (state.unknown) c.balanced = false
    else if (c.charge - state.adjusted !== c.paid) {
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
    if (!state.unknown && !state.unknownPatientResponsibility) {
      if ((c.patientResponsibility ?? 0) !== state.patientResponsibility) {
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
    const c: Building<RemittanceClaim> = {
      segmentIndex: segment.index,
      patientControlNumber,
      status,
      statusMeaning: claimStatusMeaning(status),
      charge,
      paid,
      patientResponsibilityTotal: 0,
      filingIndicator: segment.short(6),
      payerClaimControlNumber: segment.get(7),
      adjustments: empty,
      otherNames: empty,
      references: empty,
      amounts: empty,
      quantities: empty,
      remarks: empty,
      lines: empty,
      balanced: true
    }
    if (headerNumber !== undefined) c.headerNumber = headerNumber
    if (patientResponsibility !== undefined) c.patientResponsibility = patientResponsibility
    const facility = segment.short(8)
    if (facility !== "") c.facilityCode = facility
    const frequency = segment.short(9)
    if (frequency !== "") c.frequency = frequency
    claim = {
      claim: c,
      adjusted: 0,
      patientResponsibility: 0,
      unknown,
      unknownPatientResponsibility
    }
  }

  const startLine = (segment: SegmentView, state: ClaimState) => {
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
    const l: Building<RemittanceLine> = {
      segmentIndex: segment.index,
      procedure: procedureOf(segment, 1),
      charge,
      paid,
      units: quantity(segment, 5, "units") ?? 1,
      adjustments: empty,
      references: empty,
      amounts: empty,
      quantities: empty,
      remarks: empty,
      balanced: true
    }
    const revenueCode = segment.get(4)
    if (revenueCode !== "") l.revenueCode = revenueCode
    if (segment.has(6)) l.originalProcedure = procedureOf(segment, 6)
    const originalUnits = quantity(segment, 7, "original units")
    if (originalUnits !== undefined) l.originalUnits = originalUnits
    state.claim.lines = grow(state.claim.lines, l)
    line = {
      line: l,
      adjusted: 0,
      unknown
    }
  }

  const adjust = (segment: SegmentView, state: ClaimState, target: LineState | undefined) => {
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
        state.unknown = true
        if (target !== undefined) target.unknown = true
      }
      const adjustment: Draft<Adjustment> = { group, reason, amount }
      const units = quantity(segment, n + 2, "adjustment quantity")
      if (units !== undefined) adjustment.quantity = units
      if (target === undefined) state.claim.adjustments = grow(state.claim.adjustments, adjustment)
      else target.line.adjustments = grow(target.line.adjustments, adjustment)
      state.adjusted += amount
      if (target !== undefined) target.adjusted += amount
      if (group === "PR") state.patientResponsibility += amount
    }
    if (count === 0 && segment.get(2) === "") missing(segment, 2, "adjustment reason")
  }

  const nameOf = (segment: SegmentView): Name => {
    const name: Draft<Name> = { entity: segment.short(1), entityType: segment.short(2), name: segment.get(3) }
    const first = segment.get(4)
    if (first !== "") name.first = first
    const middle = segment.get(5)
    if (middle !== "") name.middle = middle
    const suffix = segment.get(7)
    if (suffix !== "") name.suffix = suffix
    const idQualifier = segment.short(8)
    if (idQualifier !== "") name.idQualifier = idQualifier
    const id = segment.get(9)
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
        const date = segment.get(2)
        if (line !== undefined) {
          if (qualifier === "472") line.line.serviceDate = date
          else if (qualifier === "150") line.line.serviceFrom = date
          else if (qualifier === "151") line.line.serviceTo = date
        } else if (claim !== undefined) {
          if (qualifier === "232") claim.claim.statementFrom = date
          else if (qualifier === "233") claim.claim.statementTo = date
          else if (qualifier === "050") claim.claim.received = date
          else if (qualifier === "036") claim.claim.coverageExpiration = date
        } else if (qualifier === "405") productionDate = date
        return none
      }
      case refKey: {
        const reference: Reference = { qualifier: segment.short(1), value: segment.get(2) }
        if (line !== undefined) {
          if (reference.qualifier === "6R") line.line.controlNumber = reference.value
          else line.line.references = grow(line.line.references, reference)
        } else if (claim !== undefined) claim.claim.references = grow(claim.claim.references, reference)
        else if (party !== undefined) party.references.push(reference)
        else references.push(reference)
        return none
      }
      case amtKey: {
        const qualifier = segment.short(1)
        const target = line?.line ?? claim?.claim
        if (target === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        let amount = money(segment, 2, "amount")
        // AMT is informational: a malformed one does not stop balancing.
        if (Number.isNaN(amount)) amount = 0
        if (line !== undefined && qualifier === "B6") line.line.allowed = amount
        else target.amounts = grow(target.amounts, { qualifier, amount })
        return none
      }
      case qtyKey: {
        const target = line?.line ?? claim?.claim
        if (target === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        const value = quantity(segment, 2, "quantity")
        if (value !== undefined)
          target.quantities = grow(target.quantities, { qualifier: segment.short(1), quantity: value })
        return none
      }
      case lqKey: {
        if (line === undefined) {
          outOfPlace(segment, "a service line")
          return none
        }
        if (segment.is(1, "HE")) {
          const code = segment.get(2)
          if (code !== "") line.line.remarks = grow(line.line.remarks, code)
        }
        return none
      }
      case nm1Key: {
        if (claim === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        const name = nameOf(segment)
        const c = claim.claim
        if (name.entity === "QC") c.patient = name
        else if (name.entity === "IL") c.insured = name
        else if (name.entity === "82") c.rendering = name
        else claim.claim.otherNames = grow(claim.claim.otherNames, name)
        return none
      }
      case moaKey:
      case miaKey: {
        if (claim === undefined) {
          outOfPlace(segment, "a claim")
          return none
        }
        for (const n of segment.id === "MOA" ? moaRemarks : miaRemarks) {
          const code = segment.get(n)
          if (code !== "") claim.claim.remarks = grow(claim.claim.remarks, code)
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
      const expected = payment.creditDebit === "D" ? -bpr : bpr
      transaction = claimsPaid - plb === expected
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
 * (envelope and money). In strict mode it throws `X12ParseError` at the first error, as the reader does.
 *
 * @since 0.1.0
 */
export const read835 = (
  text: string,
  options?: { readonly mode?: "strict" | "tolerant" }
): { readonly remittances: Array<RemittanceWithClaims>; readonly problems: ReadonlyArray<Problem> } => {
  const { transactions, problems } = readTransactions<RemittanceClaim, Remittance>(text, "835", make835, options)
  return { remittances: transactions.map((t) => ({ ...t.summary, claims: t.items })), problems }
}
