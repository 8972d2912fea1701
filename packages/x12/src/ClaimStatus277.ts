/**
 * The 277 claim status response (005010X212) and the 277CA claim acknowledgment (005010X214) as plain objects:
 * per claim (loop 2200D/2200E) its trace number (TRN*2, the submitter's own id), the payer's claim number
 * (REF*1K), every STC with its three statuses decoded, a normalized `outcome`, and its service lines (2220D/E).
 * The batch-level statuses of the information receiver (2200B) and the provider (2200C) come in the summary.
 *
 * `make277` is the `TransactionModel` the reader runs per 277: it hands out each claim as an item as soon as the
 * next claim or HL starts (the last one at SE, from `flush`), and the rest (`ClaimStatusSummary`) from `end`.
 * `read277` puts them together for a whole text.
 *
 * @since 0.1.0
 */
import {
  type DateValue,
  Hierarchy,
  type Party,
  type Period,
  type Reference,
  readCents,
  readD8,
  readDtp,
  readParty
} from "./Eligibility271.js"
import type { Problem } from "./Problem.js"
import { type ModelContext, type Options, readTransactions, type TransactionModel } from "./Reader.js"
import { components, element, type Segment } from "./Segments.js"

/**
 * A claim's (or a line's, or a batch's) state, normalized from the claim status category code (STC01-1):
 *
 * - `forwarded` A0, the claim went on to another entity;
 * - `received` A1 (DR01), received, not yet accepted into adjudication;
 * - `accepted` A2 (DR02) accepted into adjudication, A5 accepted and split, DR08 accepted with a warning;
 * - `rejected` A3 (DR03) returned as unprocessable, A6 (DR05) missing information, A7 (DR06) invalid information,
 *   A8 (DR07) relational field error: it was not entered into adjudication;
 * - `not-found` A4 (DR04), D0 data search unsuccessful;
 * - `pending` P0–P5; `finalized` F0–F4 (paid, denied, revised, forwarded, no payment);
 * - `information-requested` R0–R17; `error` E0–E4, the request itself could not be answered;
 * - `unknown` a category this code list does not have.
 *
 * @since 0.1.0
 */
export type Outcome =
  | "forwarded"
  | "received"
  | "accepted"
  | "rejected"
  | "not-found"
  | "pending"
  | "finalized"
  | "information-requested"
  | "error"
  | "unknown"

/**
 * Claim status category codes (code source 507): code → outcome and the code list's name.
 *
 * @since 0.1.0
 */
export const statusCategories: Readonly<Record<string, readonly [Outcome, string]>> = {
  A0: ["forwarded", "Acknowledgement/Forwarded"],
  A1: ["received", "Acknowledgement/Receipt"],
  A2: ["accepted", "Acknowledgement/Acceptance into adjudication system"],
  A3: ["rejected", "Acknowledgement/Returned as unprocessable claim"],
  A4: ["not-found", "Acknowledgement/Not Found"],
  A5: ["accepted", "Acknowledgement/Split Claim"],
  A6: ["rejected", "Acknowledgement/Rejected for Missing Information"],
  A7: ["rejected", "Acknowledgement/Rejected for Invalid Information"],
  A8: ["rejected", "Acknowledgement/Rejected for relational field in error"],
  DR01: ["received", "Data Reporting Acknowledgement/Receipt"],
  DR02: ["accepted", "Data Reporting Acknowledgement/Acceptance into the data reporting/processing system"],
  DR03: ["rejected", "Data Reporting Acknowledgement/Returned as unprocessable"],
  DR04: ["not-found", "Data Reporting Acknowledgement/Not Found"],
  DR05: ["rejected", "Data Reporting Acknowledgement/Rejected for Missing Information"],
  DR06: ["rejected", "Data Reporting Acknowledgement/Rejected for Invalid Information"],
  DR07: ["rejected", "Data Reporting Acknowledgement/Rejected for relational field in error"],
  DR08: ["accepted", "Data Reporting Acknowledgement/Warning"],
  P0: ["pending", "Pending: Adjudication/Details"],
  P1: ["pending", "Pending/In Process"],
  P2: ["pending", "Pending/Payer Review"],
  P3: ["pending", "Pending/Provider Requested Information"],
  P4: ["pending", "Pending/Patient Requested Information"],
  P5: ["pending", "Pending/Payer Administrative/System hold"],
  F0: ["finalized", "Finalized"],
  F1: ["finalized", "Finalized/Payment"],
  F2: ["finalized", "Finalized/Denial"],
  F3: ["finalized", "Finalized/Revised"],
  F3F: ["finalized", "Finalized/Forwarded"],
  F3N: ["finalized", "Finalized/Not Forwarded"],
  F4: ["finalized", "Finalized/Adjudication Complete - No payment forthcoming"],
  R0: ["information-requested", "Requests for additional Information/General Requests"],
  R1: ["information-requested", "Requests for additional Information/Entity Requests"],
  R3: ["information-requested", "Requests for additional Information/Claim/Line"],
  R4: ["information-requested", "Requests for additional Information/Documentation"],
  R5: ["information-requested", "Request for additional information/more specific detail"],
  R6: ["information-requested", "Requests for additional information - Regulatory requirements"],
  R7: [
    "information-requested",
    "Requests for additional information - Confirm care is consistent with Health Plan policy coverage"
  ],
  R8: [
    "information-requested",
    "Requests for additional information - Confirm care is consistent with health plan coverage exceptions"
  ],
  R9: ["information-requested", "Requests for additional information - Determination of medical necessity"],
  R10: ["information-requested", "Requests for additional information - Support a filed grievance or appeal"],
  R11: ["information-requested", "Requests for additional information - Pre-payment review of claims"],
  R12: [
    "information-requested",
    "Requests for additional information - Clarification or justification of use for specified procedure code"
  ],
  R13: ["information-requested", "Requests for additional information - Original documents submitted are not readable"],
  R14: [
    "information-requested",
    "Requests for additional information - Original documents received are not what was requested"
  ],
  R15: ["information-requested", "Requests for additional information - Workers Compensation coverage verification"],
  R16: ["information-requested", "Requests for additional information - Eligibility determination"],
  R17: ["information-requested", "Replacement of a Prior Request"],
  E0: ["error", "Response not possible - error on submitted request data"],
  E1: ["error", "Response not possible - System Status"],
  E2: ["error", "Information Holder is not responding; resubmit at a later time"],
  E3: ["error", "Correction required - relational fields in error"],
  E4: ["error", "Trading partner agreement specific requirement not met: Data correction required"],
  D0: ["not-found", "Data Search Unsuccessful"]
}

/** Which outcome wins when a claim has several statuses: the first in this list. */
const precedence: ReadonlyArray<Outcome> = [
  "rejected",
  "error",
  "not-found",
  "information-requested",
  "pending",
  "finalized",
  "accepted",
  "received",
  "forwarded",
  "unknown"
]

/**
 * One status (C043): STC01, STC10 or STC11.
 *
 * @since 0.1.0
 */
export interface Status {
  /** C043-1: the claim status category code (A1, A2, A7, P1, F1, ...). */
  readonly category: string
  readonly categoryDescription: string | undefined
  readonly outcome: Outcome
  /** C043-2: the claim status code (code source 508), such as 20 or 562. */
  readonly status: string | undefined
  /** C043-3: the entity the status is about (85 billing provider, IL subscriber, QC patient, ...). */
  readonly entity: string | undefined
  /** C043-4: the code list qualifier (NCPDP reject codes), rarely used. */
  readonly codeListQualifier: string | undefined
}

/**
 * An STC segment.
 *
 * @since 0.1.0
 */
export interface StatusSegment {
  readonly segmentIndex: number
  /** STC01. */
  readonly status: Status
  /** STC10, STC11. */
  readonly secondStatus: Status | undefined
  readonly thirdStatus: Status | undefined
  /** STC02 as ISO date: when the status took effect. */
  readonly effectiveDate: string | undefined
  /** STC03: action code (WQ accept, U reject, in 277CA). */
  readonly action: string | undefined
  /** STC04: total claim charge, in cents. */
  readonly chargeCents: number | undefined
  /** STC05: claim payment amount, in cents. */
  readonly paymentCents: number | undefined
  /** STC06 as ISO date. */
  readonly adjudicationDate: string | undefined
  /** STC07: ACH, CHK, NON, ... */
  readonly paymentMethod: string | undefined
  /** STC08 as ISO date. */
  readonly checkDate: string | undefined
  /** STC09. */
  readonly checkNumber: string | undefined
  /** STC12: free-form message. */
  readonly message: string | undefined
}

/**
 * A service line's status (loop 2220D/2220E).
 *
 * @since 0.1.0
 */
export interface LineStatus {
  readonly segmentIndex: number
  /** SVC01 components: qualifier (HC, NU, ...), procedure code, modifiers. */
  readonly procedure: ReadonlyArray<string>
  /** SVC02, SVC03 in cents. */
  readonly chargeCents: number | undefined
  readonly paymentCents: number | undefined
  /** SVC04. */
  readonly revenueCode: string | undefined
  /** SVC07. */
  readonly units: string | undefined
  readonly statuses: ReadonlyArray<StatusSegment>
  readonly outcome: Outcome
  /** REF*FJ. */
  readonly lineControl: string | undefined
  readonly references: ReadonlyArray<Reference>
  /** DTP*472. */
  readonly serviceDates: Period | undefined
}

/**
 * A claim's status (loop 2200D under a subscriber or a 277CA patient, 2200E under a dependent).
 *
 * @since 0.1.0
 */
export interface ClaimStatus {
  readonly loop: "2200D" | "2200E"
  /** The TRN's segment index. */
  readonly segmentIndex: number
  readonly payer: Party | undefined
  readonly receiver: Party | undefined
  readonly provider: Party | undefined
  /** HL 22 NM1*IL (277). */
  readonly subscriber: Party | undefined
  /** HL 23 or HL PT NM1*QC; for a subscriber who is the patient, the subscriber. */
  readonly patient: Party | undefined
  /** TRN02 of TRN*2: the submitter's id for the claim (the 837's CLM01 in a 277CA, the 276's TRN02 in a 277). */
  readonly trace: string | undefined
  /** REF*1K: the payer's claim control number. */
  readonly payerClaimNumber: string | undefined
  /** REF*D9. */
  readonly clearinghouseTrace: string | undefined
  /** REF*BLT. */
  readonly billType: string | undefined
  /** REF*EJ. */
  readonly patientAccount: string | undefined
  readonly references: ReadonlyArray<Reference>
  readonly statuses: ReadonlyArray<StatusSegment>
  /** From every status of every claim-level STC: the first of rejected, error, not-found, information-requested,
   * pending, finalized, accepted, received, forwarded that any of them has; unknown without STC. */
  readonly outcome: Outcome
  /** DTP*472 (or the first DTP when no 472). */
  readonly serviceDates: Period | undefined
  readonly dates: ReadonlyArray<DateValue>
  readonly lines: ReadonlyArray<LineStatus>
}

/**
 * The batch-level status of an information receiver (2200B) or a provider (2200C).
 *
 * @since 0.1.0
 */
export interface BatchStatus {
  /** HL03: 21 receiver, 19 provider. */
  readonly level: string
  readonly party: Party | undefined
  /** TRN02. */
  readonly trace: string | undefined
  readonly statuses: ReadonlyArray<StatusSegment>
  readonly outcome: Outcome | undefined
  /** QTY*90 / QTY*QA accepted, QTY*AA / QTY*QC rejected (claim counts). */
  readonly acceptedCount: number | undefined
  readonly rejectedCount: number | undefined
  /** AMT*YU accepted, AMT*YY rejected, in cents. */
  readonly acceptedCents: number | undefined
  readonly rejectedCents: number | undefined
}

/**
 * A 277 without its claims.
 *
 * @since 0.1.0
 */
export interface ClaimStatusSummary {
  /** "277CA" for 005010X214, else "277". */
  readonly kind: "277" | "277CA"
  readonly control: string
  readonly version: string
  /** BHT03. */
  readonly reference: string | undefined
  /** BHT04 as ISO date. */
  readonly created: string | undefined
  /** BHT06: TH receipt acknowledgment, DG response. */
  readonly transactionType: string | undefined
  /** 2100A. */
  readonly payers: ReadonlyArray<Party>
  /** DTP*050 received, DTP*009 processed (2200A). */
  readonly receivedDate: string | undefined
  readonly processedDate: string | undefined
  /** 2200B and 2200C. */
  readonly batches: ReadonlyArray<BatchStatus>
}

/**
 * A 277 or 277CA transaction.
 *
 * @since 0.1.0
 */
export interface ClaimStatusResponse extends ClaimStatusSummary {
  readonly claims: ReadonlyArray<ClaimStatus>
}

const optional = (value: string): string | undefined => (value === "" ? undefined : value)

const lookupCategory = (code: string): readonly [Outcome, string] | undefined =>
  Object.hasOwn(statusCategories, code) ? statusCategories[code] : undefined

/**
 * The outcome a set of statuses adds up to: the first of the precedence list any of them has.
 *
 * @since 0.1.0
 */
export const combinedOutcome = (statuses: ReadonlyArray<StatusSegment>): Outcome => {
  const all = new Set<Outcome>()
  for (const stc of statuses) {
    all.add(stc.status.outcome)
    if (stc.secondStatus !== undefined) all.add(stc.secondStatus.outcome)
    if (stc.thirdStatus !== undefined) all.add(stc.thirdStatus.outcome)
  }
  return precedence.find((o) => all.has(o)) ?? "unknown"
}

// 277 (X212): 20 → 21 → 19 → 22 → 23. 277CA (X214): 20 → 21 → 19 → PT.
const levels277: Readonly<Record<string, ReadonlyArray<string>>> = {
  "20": [],
  "21": ["20"],
  "19": ["21"],
  "22": ["19"],
  "23": ["22"],
  PT: ["19"]
}

interface LineDraft {
  segmentIndex: number
  procedure: ReadonlyArray<string>
  chargeCents: number | undefined
  paymentCents: number | undefined
  revenueCode: string | undefined
  units: string | undefined
  statuses: Array<StatusSegment>
  references: Array<Reference>
  dates: Array<DateValue>
}

interface ClaimDraft {
  readonly loop: "2200D" | "2200E"
  readonly segmentIndex: number
  readonly payer: Party | undefined
  readonly receiver: Party | undefined
  readonly provider: Party | undefined
  readonly subscriber: Party | undefined
  readonly patient: Party | undefined
  readonly trace: string | undefined
  readonly references: Array<Reference>
  readonly statuses: Array<StatusSegment>
  readonly dates: Array<DateValue>
  readonly lines: Array<LineDraft>
}

interface BatchDraft {
  level: string
  party: Party | undefined
  trace: string | undefined
  statuses: Array<StatusSegment>
  acceptedCount: number | undefined
  rejectedCount: number | undefined
  acceptedCents: number | undefined
  rejectedCents: number | undefined
}

interface HlInfo {
  readonly level: string
  payer: Party | undefined
  receiver: Party | undefined
  provider: Party | undefined
  subscriber: Party | undefined
  patient: Party | undefined
}

const serviceDates = (dates: ReadonlyArray<DateValue>): Period | undefined =>
  (dates.find((d) => d.qualifier === "472") ?? dates[0])?.period

const finishLine = (line: LineDraft): LineStatus => ({
  segmentIndex: line.segmentIndex,
  procedure: line.procedure,
  chargeCents: line.chargeCents,
  paymentCents: line.paymentCents,
  revenueCode: line.revenueCode,
  units: line.units,
  statuses: line.statuses,
  outcome: combinedOutcome(line.statuses),
  lineControl: line.references.find((r) => r.qualifier === "FJ")?.value,
  references: line.references,
  serviceDates: serviceDates(line.dates)
})

const finishClaim = (claim: ClaimDraft): ClaimStatus => {
  const ref = (qualifier: string) => claim.references.find((r) => r.qualifier === qualifier)?.value
  return {
    loop: claim.loop,
    segmentIndex: claim.segmentIndex,
    payer: claim.payer,
    receiver: claim.receiver,
    provider: claim.provider,
    subscriber: claim.subscriber,
    patient: claim.patient,
    trace: claim.trace,
    payerClaimNumber: ref("1K"),
    clearinghouseTrace: ref("D9"),
    billType: ref("BLT"),
    patientAccount: ref("EJ"),
    references: claim.references,
    statuses: claim.statuses,
    outcome: combinedOutcome(claim.statuses),
    serviceDates: serviceDates(claim.dates),
    dates: claim.dates,
    lines: claim.lines.map(finishLine)
  }
}

/**
 * The model of one 277 or 277CA: claims are handed out as items, the rest at SE.
 *
 * @since 0.1.0
 */
export const make277 = (context: ModelContext): TransactionModel => {
  const report = context.report
  const hierarchy = new Hierarchy(report, levels277)
  const hls = new Map<string, HlInfo>()
  const payers: Array<Party> = []
  const batches: Array<BatchDraft> = []
  let receivedDate: string | undefined
  let processedDate: string | undefined
  let bht: Segment | undefined
  let current: HlInfo | undefined
  let batch: BatchDraft | undefined
  let claim: ClaimDraft | undefined
  let line: LineDraft | undefined
  let named = false

  const at = (segment: Segment) => ({ segmentIndex: segment.index, segmentId: segment.id })
  const misplaced = (segment: Segment) =>
    report({
      severity: "warning",
      code: "unexpected-segment",
      message: `${segment.id} is not expected here in a 277; it was skipped`,
      ...at(segment)
    })

  const closeClaim = (): ReadonlyArray<unknown> => {
    const done = claim
    claim = undefined
    line = undefined
    if (done === undefined) return []
    if (done.statuses.length === 0)
      report({
        severity: "warning",
        code: "missing-stc",
        message: "the claim has no STC: its status is unknown",
        segmentIndex: done.segmentIndex,
        segmentId: "TRN"
      })
    return [finishClaim(done)]
  }

  const readStatus = (segment: Segment, n: number): Status | undefined => {
    const parts = components(segment, n)
    if (parts.length === 0) return undefined
    const category = parts[0] ?? ""
    const known = lookupCategory(category)
    if (known === undefined)
      report({
        severity: "warning",
        code: "unknown-status-category",
        message: `STC${String(n).padStart(2, "0")}-1 is not a known claim status category code`,
        ...at(segment),
        element: n,
        component: 1
      })
    return {
      category,
      categoryDescription: known?.[1],
      outcome: known?.[0] ?? "unknown",
      status: optional(parts[1] ?? ""),
      entity: optional(parts[2] ?? ""),
      codeListQualifier: optional(parts[3] ?? "")
    }
  }

  const readDateElement = (segment: Segment, n: number): string | undefined => {
    const text = element(segment, n)
    if (text === "") return undefined
    const date = readD8(text)
    if (date === undefined)
      report({
        severity: "error",
        code: "bad-date",
        message: `${segment.id}${String(n).padStart(2, "0")} is not a CCYYMMDD date`,
        ...at(segment),
        element: n
      })
    return date
  }

  const readStc = (segment: Segment): StatusSegment | undefined => {
    const status = readStatus(segment, 1)
    if (status === undefined) {
      report({ severity: "error", code: "missing-element", message: "STC01 is required", ...at(segment), element: 1 })
      return undefined
    }
    return {
      segmentIndex: segment.index,
      status,
      secondStatus: readStatus(segment, 10),
      thirdStatus: readStatus(segment, 11),
      effectiveDate: readDateElement(segment, 2),
      action: optional(element(segment, 3)),
      chargeCents: readCents(segment, 4, report),
      paymentCents: readCents(segment, 5, report),
      adjudicationDate: readDateElement(segment, 6),
      paymentMethod: optional(element(segment, 7)),
      checkDate: readDateElement(segment, 8),
      checkNumber: optional(element(segment, 9)),
      message: optional(element(segment, 12))
    }
  }

  const readCount = (segment: Segment): number | undefined => {
    const text = element(segment, 2)
    if (/^\d+(?:\.0*)?$/u.test(text)) return Number.parseInt(text, 10)
    report({
      severity: "error",
      code: "bad-quantity",
      message: "QTY02 is not a whole count",
      ...at(segment),
      element: 2
    })
    return undefined
  }

  const claimLevel = () => current?.level === "22" || current?.level === "23" || current?.level === "PT"

  const segment = (segment: Segment): ReadonlyArray<unknown> => {
    switch (segment.id) {
      case "BHT": {
        bht = segment
        return []
      }
      case "HL": {
        const out = closeClaim()
        batch = undefined
        named = false
        const node = hierarchy.next(segment)
        const parent = node.parentId === undefined ? undefined : hls.get(node.parentId)
        const info: HlInfo = {
          level: node.level,
          payer: parent?.payer,
          receiver: parent?.receiver,
          provider: parent?.provider,
          subscriber: parent?.subscriber,
          patient: parent?.patient
        }
        if (!hls.has(node.id)) hls.set(node.id, info)
        current = info
        if (node.level === "21" || node.level === "19") {
          batch = {
            level: node.level,
            party: undefined,
            trace: undefined,
            statuses: [],
            acceptedCount: undefined,
            rejectedCount: undefined,
            acceptedCents: undefined,
            rejectedCents: undefined
          }
          batches.push(batch)
        }
        return out
      }
      case "NM1": {
        if (current === undefined || named) {
          misplaced(segment)
          return []
        }
        named = true
        const party = readParty(segment)
        switch (current.level) {
          case "20":
            current.payer = party
            payers.push(party)
            break
          case "21":
            current.receiver = party
            break
          case "19":
            current.provider = party
            break
          case "22":
            current.subscriber = party
            current.patient = party
            break
          default:
            current.patient = party
        }
        if (batch !== undefined) batch.party = party
        return []
      }
      case "TRN": {
        if (current === undefined) {
          misplaced(segment)
          return []
        }
        if (claimLevel()) {
          const out = closeClaim()
          claim = {
            loop: current.level === "23" ? "2200E" : "2200D",
            segmentIndex: segment.index,
            payer: current.payer,
            receiver: current.receiver,
            provider: current.provider,
            subscriber: current.subscriber,
            patient: current.patient,
            trace: optional(element(segment, 2)),
            references: [],
            statuses: [],
            dates: [],
            lines: []
          }
          if (element(segment, 1) !== "2")
            report({
              severity: "warning",
              code: "bad-code",
              message: "a claim's TRN01 is 2 (referenced transaction trace number)",
              ...at(segment),
              element: 1
            })
          return out
        }
        if (batch !== undefined) batch.trace = optional(element(segment, 2))
        return []
      }
      case "STC": {
        const stc = readStc(segment)
        if (stc === undefined) return []
        if (line !== undefined) line.statuses.push(stc)
        else if (claim !== undefined) claim.statuses.push(stc)
        else if (batch !== undefined) batch.statuses.push(stc)
        else misplaced(segment)
        return []
      }
      case "SVC": {
        if (claim === undefined) {
          misplaced(segment)
          return []
        }
        line = {
          segmentIndex: segment.index,
          procedure: components(segment, 1),
          chargeCents: readCents(segment, 2, report),
          paymentCents: readCents(segment, 3, report),
          revenueCode: optional(element(segment, 4)),
          units: optional(element(segment, 7)),
          statuses: [],
          references: [],
          dates: []
        }
        claim.lines.push(line)
        return []
      }
      case "REF": {
        const ref: Reference = {
          qualifier: element(segment, 1),
          value: element(segment, 2),
          description: optional(element(segment, 3))
        }
        if (line !== undefined) line.references.push(ref)
        else if (claim !== undefined) claim.references.push(ref)
        return []
      }
      case "DTP": {
        const date = readDtp(segment, report)
        if (line !== undefined) line.dates.push(date)
        else if (claim !== undefined) claim.dates.push(date)
        else if (current?.level === "20") {
          if (date.qualifier === "050") receivedDate = date.period?.start
          if (date.qualifier === "009") processedDate = date.period?.start
        }
        return []
      }
      case "QTY": {
        if (batch === undefined || claim !== undefined) return []
        const qualifier = element(segment, 1)
        if (qualifier === "90" || qualifier === "QA") batch.acceptedCount = readCount(segment)
        else if (qualifier === "AA" || qualifier === "QC") batch.rejectedCount = readCount(segment)
        return []
      }
      case "AMT": {
        if (batch === undefined || claim !== undefined) return []
        const qualifier = element(segment, 1)
        if (qualifier === "YU") batch.acceptedCents = readCents(segment, 2, report)
        else if (qualifier === "YY") batch.rejectedCents = readCents(segment, 2, report)
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
      hierarchy.end()
      return closeClaim()
    },
    end: (): ClaimStatusSummary => {
      return {
        kind: context.header.version.includes("X214") ? "277CA" : "277",
        control: context.header.control,
        version: context.header.version,
        reference: bht === undefined ? undefined : optional(element(bht, 3)),
        created: bht === undefined ? undefined : readD8(element(bht, 4)),
        transactionType: bht === undefined ? undefined : optional(element(bht, 6)),
        payers,
        receivedDate,
        processedDate,
        batches: batches.map((b) => ({
          ...b,
          outcome: b.statuses.length === 0 ? undefined : combinedOutcome(b.statuses)
        }))
      }
    }
  }
}

/**
 * @since 0.1.0
 */
export interface Read277 {
  readonly transactions: ReadonlyArray<ClaimStatusResponse>
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Reads every 277 and 277CA in a text (other transaction sets are skipped). Throws `X12ParseError` in strict mode
 * at the first error, and in any mode on input that is not X12.
 *
 * @throws X12ParseError in any mode on input it cannot read on from (not X12, a broken ISA, a segment past
 *   `maxSegmentLength`, more than `maxProblems` problems), and in strict mode at the first error; `X12.readText`
 *   returns the same as a `Failure` instead.
 *
 * @since 0.1.0
 */
export const read277 = (text: string, options: Omit<Options, "models" | "keepSegments"> = {}): Read277 => {
  const { transactions, problems } = readTransactions<ClaimStatus, ClaimStatusSummary>(text, "277", make277, options)
  return { transactions: transactions.map((t) => ({ ...t.summary, claims: t.items })), problems }
}
