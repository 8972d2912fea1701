/**
 * The reader: segments in, envelopes checked (ISA/IEA, GS/GE, ST/SE counts and control numbers), transactions
 * handed to their typed model, problems collected with their position. In `strict` mode it stops at the first
 * error with `X12ParseError`; in `tolerant` mode (the default) it recovers, reads on, and reports every problem.
 * It reads in chunks (`Reader.push`) with the same result as a whole text (`read`), for any chunk size.
 *
 * @since 0.1.0
 */
import type { Group, Interchange, TransactionHeader } from "./Envelope.js"
import { Scanner, type SegmentView, viewSegment } from "./internal/view.js"
import { type Problem, X12ParseError } from "./Problem.js"
import type { Segment, SplitFailure } from "./Segments.js"

/**
 * Builds a typed transaction from its segments. `segment` gets each segment between ST and SE (exclusive) and may
 * return finished items at once (an 835's claims, one by one, so a huge transaction streams); `end` gets SE and
 * returns the rest.
 *
 * @since 0.1.0
 */
export interface TransactionModel {
  readonly segment: (segment: Segment) => ReadonlyArray<unknown>
  /** Called at SE before `end`: returns the items still open (an 835's last claim), so every item streams. */
  readonly flush?: () => ReadonlyArray<unknown>
  readonly end: () => unknown
  /** The same as `segment`, for this package's models: the segment in place, valid only during the call. */
  readonly [viewSegment]?: (segment: SegmentView) => ReadonlyArray<unknown>
}

/**
 * @since 0.1.0
 */
export interface ModelContext {
  readonly header: TransactionHeader
  readonly interchange: Interchange
  readonly group: Group
  /** Reports a problem at a segment (and element) of this transaction. */
  readonly report: (problem: Omit<Problem, "interchange" | "group" | "transaction">) => void
}

/**
 * Makes the model for a transaction set, or undefined to keep its segments only.
 *
 * @since 0.1.0
 */
export type Models = Readonly<Record<string, (context: ModelContext) => TransactionModel>>

/**
 * @since 0.1.0
 */
export interface Options {
  readonly mode?: "strict" | "tolerant"
  /** Longest segment accepted, in characters (a guard against unbounded input). */
  readonly maxSegmentLength?: number
  /** Typed models by ST01. */
  readonly models?: Models
  /** Keep each transaction's raw segments (for models that want them, and for a generic reader). */
  readonly keepSegments?: boolean
}

/**
 * What the reader emits, in input order.
 *
 * @since 0.1.0
 */
export type Event =
  | { readonly _tag: "Interchange"; readonly interchange: Interchange }
  | { readonly _tag: "Group"; readonly group: Group }
  | { readonly _tag: "Item"; readonly header: TransactionHeader; readonly item: unknown }
  | {
      readonly _tag: "Transaction"
      readonly header: TransactionHeader
      readonly interchange: Interchange
      readonly group: Group
      readonly model: unknown
      readonly segments: ReadonlyArray<Segment> | undefined
      readonly segmentCount: number
    }
  | { readonly _tag: "InterchangeAcknowledgment"; readonly segment: Segment }
  | { readonly _tag: "Problem"; readonly problem: Problem }

/** A segment id is a capital letter and one or two capitals or digits (a check on every segment: no regex). */
const isSegmentId = (segment: SegmentView): boolean => {
  const length = segment.length(0)
  if (length < 2 || length > 3) return false
  const first = segment.code(0, 0)
  if (first < 65 || first > 90) return false
  for (let i = 1; i < length; i++) {
    const c = segment.code(0, i)
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false
  }
  return true
}

// The envelope segments, told apart by their characters (no string per segment).
const other = 0
const isa = 1
const iea = 2
const ta1 = 3
const gs = 4
const ge = 5
const st = 6
const se = 7

const envelopeKind = (segment: SegmentView): number => {
  const length = segment.length(0)
  if (length === 2) {
    const first = segment.code(0, 0)
    const second = segment.code(0, 1)
    if (first === 71) return second === 83 ? gs : second === 69 ? ge : other // GS, GE
    if (first === 83) return second === 84 ? st : second === 69 ? se : other // ST, SE
    return other
  }
  if (length === 3) {
    if (segment.is(0, "ISA")) return isa
    if (segment.is(0, "IEA")) return iea
    if (segment.is(0, "TA1")) return ta1
  }
  return other
}

const noGroup: Group = { functionalId: "", sender: "", receiver: "", date: "", time: "", control: "", version: "" }

/**
 * A reader over chunks of text.
 *
 * @since 0.1.0
 */
export class Reader {
  private readonly splitter: Scanner
  private readonly strict: boolean
  private interchange: Interchange | undefined
  private group: Group | undefined
  private groupCount = 0
  private transactionCount = 0
  private header: TransactionHeader | undefined
  private model: TransactionModel | undefined
  private modelView: ((segment: SegmentView) => ReadonlyArray<unknown>) | undefined
  private segments: Array<Segment> | undefined
  private segmentCount = 0
  private out: Array<Event> = []
  readonly problems: Array<Problem> = []

  /**
   * `onEvent`, when given, gets each event as it happens, and `push` and `end` return none: a whole text read
   * this way holds no list of its events.
   */
  constructor(
    private readonly options: Options = {},
    private readonly onEvent?: (event: Event) => void
  ) {
    this.splitter = new Scanner(options.maxSegmentLength)
    this.strict = options.mode === "strict"
  }

  /** Events completed by this chunk. Throws `X12ParseError` in strict mode, or on input it cannot read on from. */
  push(text: string): ReadonlyArray<Event> {
    const failure = this.splitter.push(text, this.onSegment)
    if (failure !== undefined) this.splitFailure(failure)
    return this.flush()
  }

  /** The end of the input: closes what is open, with a problem for each envelope left unclosed. */
  end(): ReadonlyArray<Event> {
    const failure = this.splitter.end(this.onSegment)
    if (failure !== undefined) this.splitFailure(failure)
    for (const warning of this.splitter.warnings.splice(0)) {
      this.problem({
        severity: "warning",
        code: "missing-terminator",
        message: "the last segment has no terminator",
        segmentIndex: warning.segmentIndex
      })
    }
    if (this.header !== undefined)
      this.problem({ severity: "error", code: "missing-se", message: `transaction ${this.header.control} has no SE` })
    if (this.group !== undefined && this.group !== noGroup)
      this.problem({ severity: "error", code: "missing-ge", message: `group ${this.group.control} has no GE` })
    if (this.interchange !== undefined)
      this.problem({
        severity: "error",
        code: "missing-iea",
        message: `interchange ${this.interchange.control} has no IEA`
      })
    this.header = undefined
    this.group = undefined
    this.interchange = undefined
    return this.flush()
  }

  private emit(event: Event) {
    if (this.onEvent === undefined) this.out.push(event)
    else this.onEvent(event)
  }

  private flush(): ReadonlyArray<Event> {
    const out = this.out
    this.out = []
    return out
  }

  private readonly onSegment = (segment: SegmentView) => this.segment(segment)

  /** An error at a segment (and element) of the input. */
  private errorAt(segment: SegmentView, code: string, message: string, element?: number) {
    this.at("error", segment, code, message, element)
  }

  private warningAt(segment: SegmentView, code: string, message: string, element?: number) {
    this.at("warning", segment, code, message, element)
  }

  private at(severity: Problem["severity"], segment: SegmentView, code: string, message: string, element?: number) {
    this.problem({
      severity,
      code,
      message,
      segmentIndex: segment.index,
      segmentId: segment.id,
      ...(element === undefined ? {} : { element })
    })
  }

  /** A trailer's count (element 1) and control number (element 2) against what was read and the header's. */
  private checkTrailer(
    segment: SegmentView,
    code: string,
    noun: string,
    count: number,
    control: string,
    header: string
  ) {
    if (Number(segment.get(1)) !== count) {
      this.errorAt(segment, code, `${segment.id}01 counts ${segment.get(1)} ${noun}; there are ${count}`, 1)
    }
    if (segment.get(2) !== control) {
      this.errorAt(segment, "control-mismatch", `${segment.id}02 does not match ${header}`, 2)
    }
  }

  private splitFailure(failure: SplitFailure) {
    const problem: Problem =
      failure._tag === "NotX12"
        ? {
            severity: "error",
            code: "not-x12",
            message: "the input does not start with an ISA segment",
            segmentIndex: failure.segmentIndex
          }
        : failure._tag === "BadIsa"
          ? {
              severity: "error",
              code: "bad-isa",
              message: failure.detail,
              segmentIndex: failure.segmentIndex,
              segmentId: "ISA"
            }
          : {
              severity: "error",
              code: "segment-too-long",
              message: `a segment is longer than ${failure.limit} characters`,
              segmentIndex: failure.segmentIndex
            }
    this.problems.push(problem)
    // Nothing after this point can be read: every mode stops.
    throw new X12ParseError({ problem })
  }

  private problem(problem: Problem) {
    const located: Problem = {
      ...(this.interchange === undefined ? {} : { interchange: this.interchange.control }),
      ...(this.group === undefined || this.group === noGroup ? {} : { group: this.group.control }),
      ...(this.header === undefined ? {} : { transaction: this.header.control }),
      ...problem
    }
    this.problems.push(located)
    this.emit({ _tag: "Problem", problem: located })
    if (this.strict && located.severity === "error") throw new X12ParseError({ problem: located })
  }

  private segment(segment: SegmentView) {
    switch (envelopeKind(segment)) {
      case isa: {
        if (this.interchange !== undefined)
          this.errorAt(segment, "missing-iea", `interchange ${this.interchange.control} has no IEA`)
        const e = (n: number) => segment.get(n)
        this.interchange = {
          senderQualifier: e(5),
          sender: e(6).trim(),
          receiverQualifier: e(7),
          receiver: e(8).trim(),
          date: e(9),
          time: e(10),
          version: e(12),
          control: e(13),
          acknowledgmentRequested: e(14) === "1",
          usage: e(15)
        }
        this.groupCount = 0
        this.emit({ _tag: "Interchange", interchange: this.interchange })
        if (!/^\d{9}$/u.test(e(13))) this.errorAt(segment, "bad-control-number", "ISA13 must be 9 digits", 13)
        if (e(15) !== "P" && e(15) !== "T") this.warningAt(segment, "bad-usage", "ISA15 must be P or T", 15)
        return
      }
      case iea: {
        if (this.interchange === undefined) return this.errorAt(segment, "unexpected-iea", "IEA without ISA")
        if (this.group !== undefined) this.errorAt(segment, "missing-ge", `group ${this.group.control} has no GE`)
        this.checkTrailer(segment, "group-count", "groups", this.groupCount, this.interchange.control, "ISA13")
        this.group = undefined
        this.interchange = undefined
        return
      }
      case ta1: {
        this.emit({ _tag: "InterchangeAcknowledgment", segment: segment.toSegment() })
        return
      }
      case gs: {
        if (this.interchange === undefined) this.errorAt(segment, "unexpected-gs", "GS outside an interchange")
        if (this.group !== undefined && this.group !== noGroup)
          this.errorAt(segment, "missing-ge", `group ${this.group.control} has no GE`)
        const e = (n: number) => segment.get(n)
        this.group = {
          functionalId: e(1),
          sender: e(2),
          receiver: e(3),
          date: e(4),
          time: e(5),
          control: e(6),
          version: e(8)
        }
        this.groupCount++
        this.transactionCount = 0
        this.emit({ _tag: "Group", group: this.group })
        return
      }
      case ge: {
        if (this.group === undefined || this.group === noGroup)
          return this.errorAt(segment, "unexpected-ge", "GE without GS")
        if (this.header !== undefined) this.closeTransaction(undefined)
        this.checkTrailer(
          segment,
          "transaction-count",
          "transaction sets",
          this.transactionCount,
          this.group.control,
          "GS06"
        )
        this.group = undefined
        return
      }
      case st: {
        if (this.header !== undefined) {
          this.errorAt(segment, "missing-se", `transaction ${this.header.control} has no SE`)
          this.closeTransaction(undefined)
        }
        if (this.group === undefined) {
          this.errorAt(segment, "unexpected-st", "ST outside a functional group")
          this.group = noGroup
        }
        const group = this.group
        const version = segment.get(3)
        this.header = {
          setId: segment.get(1),
          control: segment.get(2),
          version: version || group.version
        }
        if (version !== "" && group.version !== "" && version !== group.version) {
          this.warningAt(segment, "version-mismatch", "ST03 differs from GS08", 3)
        }
        this.transactionCount++
        this.segmentCount = 1
        this.segments = this.options.keepSegments ? [] : undefined
        const make = this.options.models?.[this.header.setId]
        const interchange = this.interchange ?? {
          control: "",
          senderQualifier: "",
          sender: "",
          receiverQualifier: "",
          receiver: "",
          date: "",
          time: "",
          version: "",
          acknowledgmentRequested: false,
          usage: ""
        }
        this.model = make?.({
          header: this.header,
          interchange,
          group,
          report: (problem) => this.problem(problem)
        })
        this.modelView = this.model?.[viewSegment]
        return
      }
      case se: {
        if (this.header === undefined) return this.errorAt(segment, "unexpected-se", "SE without ST")
        this.segmentCount++
        this.checkTrailer(segment, "segment-count", "segments", this.segmentCount, this.header.control, "ST02")
        this.closeTransaction(segment)
        return
      }
      default: {
        if (this.header === undefined) {
          this.errorAt(segment, "outside-transaction", `${segment.id || "an empty segment"} outside a transaction set`)
          return
        }
        if (!isSegmentId(segment)) {
          this.errorAt(segment, "bad-segment-id", "a segment id is 2 or 3 letters and digits")
          return
        }
        this.segmentCount++
        const kept = this.segments === undefined ? undefined : segment.toSegment()
        if (kept !== undefined) this.segments?.push(kept)
        if (this.model === undefined) return
        const items =
          this.modelView !== undefined ? this.modelView(segment) : this.model.segment(kept ?? segment.toSegment())
        if (items.length === 0) return
        const header = this.header
        for (let i = 0; i < items.length; i++) this.emit({ _tag: "Item", header, item: items[i] })
      }
    }
  }

  private closeTransaction(_se: SegmentView | undefined) {
    const header = this.header
    if (header === undefined) return
    for (const item of this.model?.flush?.() ?? []) this.emit({ _tag: "Item", header, item })
    const model = this.model?.end()
    this.emit({
      _tag: "Transaction",
      header,
      interchange: this.interchange as Interchange,
      group: this.group ?? noGroup,
      model,
      segments: this.segments,
      segmentCount: this.segmentCount
    })
    this.header = undefined
    this.model = undefined
    this.modelView = undefined
    this.segments = undefined
  }
}

/**
 * Reads a whole text: every event, and every problem.
 *
 * @since 0.1.0
 */
export const readEvents = (
  text: string,
  options?: Options
): { readonly events: ReadonlyArray<Event>; readonly problems: ReadonlyArray<Problem> } => {
  const reader = new Reader(options)
  const events = [...reader.push(text), ...reader.end()]
  return { events, problems: reader.problems }
}

/**
 * Reads a whole text with one model and pairs each transaction's summary (what the model returned at SE) with
 * the items it streamed: the shape of every `readNNN` convenience.
 *
 * @since 0.1.0
 */
export const readTransactions = <Item, Summary>(
  text: string,
  setId: string,
  model: (context: ModelContext) => TransactionModel,
  options: Omit<Options, "models"> = {}
): {
  readonly transactions: ReadonlyArray<{ readonly summary: Summary; readonly items: Array<Item> }>
  readonly problems: ReadonlyArray<Problem>
} => {
  const transactions: Array<{ summary: Summary; items: Array<Item> }> = []
  let items: Array<Item> = []
  const reader = new Reader({ ...options, models: { [setId]: model } }, (event) => {
    if (event._tag === "Item" && event.header.setId === setId) items.push(event.item as Item)
    else if (event._tag === "Transaction" && event.header.setId === setId) {
      transactions.push({ summary: event.model as Summary, items })
      items = []
    }
  })
  reader.push(text)
  reader.end()
  return { transactions, problems: reader.problems }
}
