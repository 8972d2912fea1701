/**
 * The 999 implementation acknowledgment (005010X231A1) and the TA1 interchange acknowledgment as plain objects:
 * per transaction set acknowledged (AK2) its id, control number and IK5 status, its segment errors (IK3) with their
 * element errors (IK4) and context (CTX); and the group's AK9 status with its counts.
 *
 * `make999` is the `TransactionModel` the reader runs per 999 (everything comes at SE: a 999 is small);
 * `read999` reads a whole text, TA1s included; `readTA1` decodes the segment the reader hands out as an
 * `InterchangeAcknowledgment` event.
 *
 * @since 0.1.0
 */
import type { Problem } from "./Problem.js"
import { type ModelContext, type Options, readEvents, type TransactionModel } from "./Reader.js"
import { components, element, type Segment } from "./Segments.js"

/**
 * An acknowledgment code normalized: A accepted, E accepted with errors noted, P partially accepted (AK9 only:
 * some sets rejected), and M, R, W, X rejected.
 *
 * @since 0.1.0
 */
export type AckOutcome = "accepted" | "accepted-with-errors" | "partially-accepted" | "rejected" | "unknown"

/**
 * IK501 (data element 717) and AK901 (715).
 *
 * @since 0.1.0
 */
export const ackCodes: Readonly<Record<string, readonly [AckOutcome, string]>> = {
  A: ["accepted", "Accepted"],
  E: ["accepted-with-errors", "Accepted But Errors Were Noted"],
  M: ["rejected", "Rejected, Message Authentication Code (MAC) Failed"],
  P: ["partially-accepted", "Partially Accepted, At Least One Transaction Set Was Rejected"],
  R: ["rejected", "Rejected"],
  W: ["rejected", "Rejected, Assurance Failed Validity Tests"],
  X: ["rejected", "Rejected, Content After Decryption Could Not Be Analyzed"]
}

/**
 * IK304 implementation segment syntax errors (data element 620).
 *
 * @since 0.1.0
 */
export const segmentErrors: Readonly<Record<string, string>> = {
  "1": "Unrecognized segment ID",
  "2": "Unexpected segment",
  "3": "Required Segment Missing",
  "4": "Loop Occurs Over Maximum Times",
  "5": "Segment Exceeds Maximum Use",
  "6": "Segment Not in Defined Transaction Set",
  "7": "Segment Not in Proper Sequence",
  "8": "Segment Has Data Element Errors",
  I4: 'Implementation "Not Used" Segment Present',
  I6: "Implementation Dependent Segment Missing",
  I7: "Implementation Loop Occurs Under Minimum Times",
  I8: "Implementation Segment Below Minimum Use",
  I9: 'Implementation Dependent "Not Used" Segment Present'
}

/**
 * IK403 implementation data element syntax errors (data element 621).
 *
 * @since 0.1.0
 */
export const elementErrors: Readonly<Record<string, string>> = {
  "1": "Required Data Element Missing",
  "2": "Conditional Required Data Element Missing",
  "3": "Too Many Data Elements",
  "4": "Data Element Too Short",
  "5": "Data Element Too Long",
  "6": "Invalid Character In Data Element",
  "7": "Invalid Code Value",
  "8": "Invalid Date",
  "9": "Invalid Time",
  "10": "Exclusion Condition Violated",
  "12": "Too Many Repetitions",
  "13": "Too Many Components",
  I6: "Code Value Not Used in Implementation",
  I9: "Implementation Dependent Data Element Missing",
  I10: 'Implementation "Not Used" Data Element Present',
  I11: "Implementation Too Few Repetitions",
  I12: "Implementation Pattern Match Failure",
  I13: 'Implementation Dependent "Not Used" Data Element Present'
}

/**
 * IK502–IK506 transaction set syntax errors (data element 718).
 *
 * @since 0.1.0
 */
export const transactionErrors: Readonly<Record<string, string>> = {
  "1": "Transaction Set Not Supported",
  "2": "Transaction Set Trailer Missing",
  "3": "Transaction Set Control Number in Header and Trailer Do Not Match",
  "4": "Number of Included Segments Does Not Match Actual Count",
  "5": "One or More Segments in Error",
  "6": "Missing or Invalid Transaction Set Identifier",
  "7": "Missing or Invalid Transaction Set Control Number",
  "8": "Authentication Key Name Unknown",
  "9": "Encryption Key Name Unknown",
  "10": "Requested Service (Authentication or Encrypted) Not Available",
  "11": "Unknown Security Recipient",
  "12": "Incorrect Message Length (Encryption Only)",
  "13": "Message Authentication Code Failed",
  "15": "Unknown Security Originator",
  "16": "Syntax Error in Decrypted Text",
  "17": "Security Not Supported",
  "18": "Transaction Set not in Functional Group",
  "19": "Invalid Transaction Set Implementation Convention Reference",
  "23": "Transaction Set Control Number Not Unique within the Functional Group",
  "24": "S3E Security End Segment Missing for S3S Security Start Segment",
  "25": "S3S Security Start Segment Missing for S3E Security End Segment",
  "26": "S4E Security End Segment Missing for S4S Element Security Start Segment",
  "27": "S4S Security Start Segment Missing for S4E Security End Segment",
  I5: "Implementation One or More Segments in Error",
  I6: "Implementation Convention Not Supported"
}

/**
 * AK905–AK909 functional group syntax errors (data element 716).
 *
 * @since 0.1.0
 */
export const groupErrors: Readonly<Record<string, string>> = {
  "1": "Functional Group Not Supported",
  "2": "Functional Group Version Not Supported",
  "3": "Functional Group Trailer Missing",
  "4": "Group Control Number in the Functional Group Header and Trailer Do Not Agree",
  "5": "Number of Included Transaction Sets Does Not Match Actual Count",
  "6": "Group Control Number Violates Syntax",
  "10": "Authentication Key Name Unknown",
  "11": "Encryption Key Name Unknown",
  "12": "Requested Service (Authentication or Encryption) Not Available",
  "13": "Unknown Security Recipient",
  "14": "Unknown Security Originator",
  "15": "Syntax Error in Decrypted Text",
  "16": "Security Not Supported",
  "17": "Incorrect Message Length (Encryption Only)",
  "18": "Message Authentication Code Failed",
  "19": "Functional Group Control Number not Unique within Interchange",
  "23": "S3E Security End Segment Missing for S3S Security Start Segment",
  "24": "S3S Security Start Segment Missing for S3E End Segment",
  "25": "S4E Security End Segment Missing for S4S Element Security Start Segment",
  "26": "S4S Security Start Segment Missing for S4E Security End Segment"
}

/**
 * TA105 interchange note codes (data element I18).
 *
 * @since 0.1.0
 */
export const ta1Notes: Readonly<Record<string, string>> = {
  "000": "No error",
  "001":
    "The Interchange Control Number in the Header and Trailer Do Not Match. The Value From the Header is Used in the Acknowledgment.",
  "002": "This Standard as Noted in the Control Standards Identifier is Not Supported.",
  "003": "This Version of the Controls is Not Supported",
  "004": "The Segment Terminator is Invalid",
  "005": "Invalid Interchange ID Qualifier for Sender",
  "006": "Invalid Interchange Sender ID",
  "007": "Invalid Interchange ID Qualifier for Receiver",
  "008": "Invalid Interchange Receiver ID",
  "009": "Unknown Interchange Receiver ID",
  "010": "Invalid Authorization Information Qualifier Value",
  "011": "Invalid Authorization Information Value",
  "012": "Invalid Security Information Qualifier Value",
  "013": "Invalid Security Information Value",
  "014": "Invalid Interchange Date Value",
  "015": "Invalid Interchange Time Value",
  "016": "Invalid Interchange Standards Identifier Value",
  "017": "Invalid Interchange Version ID Value",
  "018": "Invalid Interchange Control Number Value",
  "019": "Invalid Acknowledgment Requested Value",
  "020": "Invalid Test Indicator Value",
  "021": "Invalid Number of Included Groups Value",
  "022": "Invalid Control Structure",
  "023": "Improper (Premature) End-of-File (Transmission)",
  "024": "Invalid Interchange Content (e.g., Invalid GS Segment)",
  "025": "Duplicate Interchange Control Number",
  "026": "Invalid Data Element Separator",
  "027": "Invalid Component Element Separator",
  "028": "Invalid Delivery Date in Deferred Delivery Request",
  "029": "Invalid Delivery Time in Deferred Delivery Request",
  "030": "Invalid Delivery Time Code in Deferred Delivery Request",
  "031": "Invalid Grade of Service Code"
}

const lookup = <A>(table: Readonly<Record<string, A>>, code: string): A | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

const optional = (value: string): string | undefined => (value === "" ? undefined : value)

/**
 * A coded error with the code list's name for it.
 *
 * @since 0.1.0
 */
export interface CodedError {
  readonly code: string
  readonly description: string | undefined
}

/**
 * A CTX segment: the business unit (`CLM01` and the claim's id) or the situational trigger behind an error.
 *
 * @since 0.1.0
 */
export interface ErrorContext {
  /** CTX01-1: SITUATIONAL TRIGGER, or a business unit name such as CLM01. */
  readonly name: string
  /** CTX01-2: the business unit's value (a claim's id). */
  readonly reference: string | undefined
  /** CTX02–CTX04: where the trigger is. */
  readonly segmentId: string | undefined
  readonly segmentPosition: number | undefined
  readonly loopId: string | undefined
  /** CTX05: element, component and repetition positions. */
  readonly elementPosition: number | undefined
  readonly componentPosition: number | undefined
  readonly repetitionPosition: number | undefined
  /** CTX06-1: the data element reference number. */
  readonly elementReference: string | undefined
}

/**
 * An IK4 element error.
 *
 * @since 0.1.0
 */
export interface ElementError {
  readonly segmentIndex: number
  /** IK401-1, -2, -3. */
  readonly position: number | undefined
  readonly componentPosition: number | undefined
  readonly repetitionPosition: number | undefined
  /** IK402: the data element reference number. */
  readonly reference: string | undefined
  /** IK403. */
  readonly error: CodedError
  /** IK404: the partner's copy of the bad element, as sent (may carry PHI). */
  readonly copy: string | undefined
  readonly contexts: ReadonlyArray<ErrorContext>
}

/**
 * An IK3 segment error.
 *
 * @since 0.1.0
 */
export interface SegmentError {
  readonly segmentIndex: number
  /** IK301. */
  readonly segmentId: string
  /** IK302: the segment's position in the acknowledged transaction set, ST = 1. */
  readonly position: number | undefined
  /** IK303: the loop, such as 2300. */
  readonly loopId: string | undefined
  /** IK304. */
  readonly error: CodedError | undefined
  readonly contexts: ReadonlyArray<ErrorContext>
  readonly elementErrors: ReadonlyArray<ElementError>
}

/**
 * An AK2 loop: the response for one transaction set.
 *
 * @since 0.1.0
 */
export interface SetResponse {
  readonly segmentIndex: number
  /** AK201: 837, 270, ... */
  readonly setId: string
  /** AK202: the set's ST02. */
  readonly control: string
  /** AK203: its implementation guide. */
  readonly version: string | undefined
  /** IK501, undefined without IK5. */
  readonly status: string | undefined
  readonly outcome: AckOutcome
  /** IK502–IK506. */
  readonly errors: ReadonlyArray<CodedError>
  readonly segmentErrors: ReadonlyArray<SegmentError>
}

/**
 * A 999.
 *
 * @since 0.1.0
 */
export interface Ack999 {
  readonly control: string
  readonly version: string
  /** AK101–AK103: the acknowledged group. */
  readonly group: {
    readonly functionalId: string
    readonly control: string
    readonly version: string | undefined
  }
  readonly sets: ReadonlyArray<SetResponse>
  /** AK9. */
  readonly groupStatus: {
    readonly code: string
    readonly outcome: AckOutcome
    readonly included: number | undefined
    readonly received: number | undefined
    readonly accepted: number | undefined
    readonly errors: ReadonlyArray<CodedError>
  }
}

/**
 * A TA1.
 *
 * @since 0.1.0
 */
export interface InterchangeAcknowledgment {
  readonly segmentIndex: number
  /** TA101: the acknowledged ISA13. */
  readonly control: string
  /** TA102 YYMMDD, TA103 HHMM, as sent. */
  readonly date: string
  readonly time: string
  /** TA104: A, E, R. */
  readonly code: string
  readonly outcome: AckOutcome
  /** TA105. */
  readonly note: string
  readonly noteDescription: string | undefined
}

const outcomeOf = (code: string): AckOutcome => lookup(ackCodes, code)?.[0] ?? "unknown"

/**
 * Decodes a TA1 segment.
 *
 * @since 0.1.0
 */
export const readTA1 = (segment: Segment): InterchangeAcknowledgment => {
  const code = element(segment, 4)
  const note = element(segment, 5)
  return {
    segmentIndex: segment.index,
    control: element(segment, 1),
    date: element(segment, 2),
    time: element(segment, 3),
    code,
    // TA1 has no P, M, W or X.
    outcome: code === "A" || code === "E" || code === "R" ? outcomeOf(code) : "unknown",
    note,
    noteDescription: lookup(ta1Notes, note)
  }
}

interface SegmentErrorDraft extends Omit<SegmentError, "contexts" | "elementErrors"> {
  readonly contexts: Array<ErrorContext>
  readonly elementErrors: Array<ElementErrorDraft>
}

interface ElementErrorDraft extends Omit<ElementError, "contexts"> {
  readonly contexts: Array<ErrorContext>
}

interface SetDraft extends Omit<SetResponse, "segmentErrors" | "status" | "outcome" | "errors"> {
  readonly segmentErrors: Array<SegmentErrorDraft>
  status: string | undefined
  errors: ReadonlyArray<CodedError>
  closed: boolean
}

/**
 * The model of one 999: everything at SE.
 *
 * @since 0.1.0
 */
export const make999 = (context: ModelContext): TransactionModel => {
  const report = context.report
  const at = (segment: Segment) => ({ segmentIndex: segment.index, segmentId: segment.id })
  let group: Ack999["group"] = { functionalId: "", control: "", version: undefined }
  let ak9: Ack999["groupStatus"] | undefined
  const sets: Array<SetDraft> = []
  let set: SetDraft | undefined
  let ik3: SegmentErrorDraft | undefined
  let ik4: ElementErrorDraft | undefined

  const number = (segment: Segment, n: number, part?: number): number | undefined => {
    const text = part === undefined ? element(segment, n) : (components(segment, n)[part] ?? "")
    if (text === "") return undefined
    if (/^\d+$/u.test(text)) return Number(text)
    report({
      severity: "error",
      code: "bad-number",
      message: `${segment.id}${String(n).padStart(2, "0")} is not a whole number`,
      ...at(segment),
      element: n,
      ...(part === undefined ? {} : { component: part + 1 })
    })
    return undefined
  }

  const coded = (
    segment: Segment,
    n: number,
    table: Readonly<Record<string, string>>,
    unknownCode: string
  ): CodedError | undefined => {
    const code = element(segment, n)
    if (code === "") return undefined
    const description = lookup(table, code)
    if (description === undefined)
      report({
        severity: "warning",
        code: unknownCode,
        message: `${segment.id}${String(n).padStart(2, "0")} is not a known code`,
        ...at(segment),
        element: n
      })
    return { code, description }
  }

  const codes = (segment: Segment, from: number, to: number, table: Readonly<Record<string, string>>) => {
    const out: Array<CodedError> = []
    for (let n = from; n <= to; n++) {
      const error = coded(segment, n, table, "unknown-error-code")
      if (error !== undefined) out.push(error)
    }
    return out
  }

  const closeSet = () => {
    if (set !== undefined && !set.closed)
      report({
        severity: "error",
        code: "missing-ik5",
        message: "an AK2 loop ends without its IK5",
        segmentIndex: set.segmentIndex,
        segmentId: "AK2"
      })
    set = undefined
    ik3 = undefined
    ik4 = undefined
  }

  const readCtx = (segment: Segment): ErrorContext => {
    const first = components(segment, 1)
    const position = components(segment, 5)
    const part = (n: number) => {
      const text = position[n] ?? ""
      return /^\d+$/u.test(text) ? Number(text) : undefined
    }
    return {
      name: first[0] ?? "",
      reference: optional(first[1] ?? ""),
      segmentId: optional(element(segment, 2)),
      segmentPosition: number(segment, 3),
      loopId: optional(element(segment, 4)),
      elementPosition: part(0),
      componentPosition: part(1),
      repetitionPosition: part(2),
      elementReference: optional(components(segment, 6)[0] ?? "")
    }
  }

  const segment = (segment: Segment): ReadonlyArray<unknown> => {
    switch (segment.id) {
      case "AK1": {
        group = {
          functionalId: element(segment, 1),
          control: element(segment, 2),
          version: optional(element(segment, 3))
        }
        return []
      }
      case "AK2": {
        closeSet()
        set = {
          segmentIndex: segment.index,
          setId: element(segment, 1),
          control: element(segment, 2),
          version: optional(element(segment, 3)),
          status: undefined,
          errors: [],
          segmentErrors: [],
          closed: false
        }
        sets.push(set)
        return []
      }
      case "IK3": {
        if (set === undefined || set.closed) {
          report({ severity: "error", code: "unexpected-segment", message: "IK3 outside an AK2 loop", ...at(segment) })
          return []
        }
        ik4 = undefined
        ik3 = {
          segmentIndex: segment.index,
          segmentId: element(segment, 1),
          position: number(segment, 2),
          loopId: optional(element(segment, 3)),
          error: coded(segment, 4, segmentErrors, "unknown-error-code"),
          contexts: [],
          elementErrors: []
        }
        set.segmentErrors.push(ik3)
        return []
      }
      case "IK4": {
        if (ik3 === undefined) {
          report({ severity: "error", code: "unexpected-segment", message: "IK4 outside an IK3 loop", ...at(segment) })
          return []
        }
        ik4 = {
          segmentIndex: segment.index,
          position: number(segment, 1, 0),
          componentPosition: number(segment, 1, 1),
          repetitionPosition: number(segment, 1, 2),
          reference: optional(element(segment, 2)),
          error: coded(segment, 3, elementErrors, "unknown-error-code") ?? { code: "", description: undefined },
          copy: optional(element(segment, 4)),
          contexts: []
        }
        ik3.elementErrors.push(ik4)
        return []
      }
      case "CTX": {
        const context = readCtx(segment)
        if (ik4 !== undefined) ik4.contexts.push(context)
        else if (ik3 !== undefined) ik3.contexts.push(context)
        else report({ severity: "error", code: "unexpected-segment", message: "CTX outside IK3/IK4", ...at(segment) })
        return []
      }
      case "IK5": {
        if (set === undefined || set.closed) {
          report({ severity: "error", code: "unexpected-segment", message: "IK5 outside an AK2 loop", ...at(segment) })
          return []
        }
        const status = element(segment, 1)
        if (lookup(ackCodes, status) === undefined || status === "P")
          report({
            severity: "warning",
            code: "unknown-ack-code",
            message: "IK501 is not A, E, M, R, W or X",
            ...at(segment),
            element: 1
          })
        set.status = status
        set.errors = codes(segment, 2, 6, transactionErrors)
        set.closed = true
        ik3 = undefined
        ik4 = undefined
        return []
      }
      case "AK9": {
        closeSet()
        const code = element(segment, 1)
        if (lookup(ackCodes, code) === undefined)
          report({
            severity: "warning",
            code: "unknown-ack-code",
            message: "AK901 is not A, E, M, P, R, W or X",
            ...at(segment),
            element: 1
          })
        ak9 = {
          code,
          outcome: outcomeOf(code),
          included: number(segment, 2),
          received: number(segment, 3),
          accepted: number(segment, 4),
          errors: codes(segment, 5, 9, groupErrors)
        }
        if (ak9.received !== undefined && ak9.received !== sets.length)
          report({
            severity: "warning",
            code: "ak9-count",
            message: `AK903 counts ${ak9.received} sets received; there are ${sets.length} AK2 loops`,
            ...at(segment),
            element: 3
          })
        const accepted = sets.filter((s) => s.status === "A" || s.status === "E").length
        if (ak9.accepted !== undefined && ak9.accepted !== accepted)
          report({
            severity: "warning",
            code: "ak9-count",
            message: `AK904 counts ${ak9.accepted} sets accepted; ${accepted} AK2 loops have IK5 A or E`,
            ...at(segment),
            element: 4
          })
        return []
      }
      default:
        return []
    }
  }

  return {
    segment,
    end: (): Ack999 => {
      closeSet()
      if (ak9 === undefined) report({ severity: "error", code: "missing-ak9", message: "the 999 has no AK9" })
      return {
        control: context.header.control,
        version: context.header.version,
        group,
        sets: sets.map(({ closed: _closed, status, ...rest }) => ({
          ...rest,
          status,
          outcome: status === undefined ? "unknown" : outcomeOf(status)
        })),
        groupStatus: ak9 ?? {
          code: "",
          outcome: "unknown",
          included: undefined,
          received: undefined,
          accepted: undefined,
          errors: []
        }
      }
    }
  }
}

/**
 * @since 0.1.0
 */
export interface Read999 {
  readonly acknowledgments: ReadonlyArray<Ack999>
  /** Every TA1, in order. */
  readonly interchangeAcknowledgments: ReadonlyArray<InterchangeAcknowledgment>
  readonly problems: ReadonlyArray<Problem>
}

/**
 * Reads every 999 and TA1 in a text. Throws `X12ParseError` in strict mode at the first error, and in any mode on
 * input that is not X12.
 *
 * @throws X12ParseError in any mode on input it cannot read on from (not X12, a broken ISA, a segment past
 *   `maxSegmentLength`, more than `maxProblems` problems), and in strict mode at the first error; `X12.readText`
 *   returns the same as a `Failure` instead.
 *
 * @since 0.1.0
 */
export const read999 = (text: string, options: Omit<Options, "models" | "keepSegments"> = {}): Read999 => {
  const { events, problems } = readEvents(text, { ...options, models: { "999": make999 } })
  const acknowledgments: Array<Ack999> = []
  const interchangeAcknowledgments: Array<InterchangeAcknowledgment> = []
  for (const event of events) {
    if (event._tag === "Transaction" && event.header.setId === "999") acknowledgments.push(event.model as Ack999)
    if (event._tag === "InterchangeAcknowledgment") interchangeAcknowledgments.push(readTA1(event.segment))
  }
  return { acknowledgments, interchangeAcknowledgments, problems }
}
