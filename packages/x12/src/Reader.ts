/**
 * The reader: segments in, envelopes checked (ISA/IEA, GS/GE, ST/SE counts and control numbers), transactions
 * handed to their typed model, problems collected with their position. In `strict` mode it stops at the first
 * error with `X12ParseError`; in `tolerant` mode (the default) it recovers, reads on, and reports every problem.
 * It reads in chunks (`Reader.push`) with the same result as a whole text (`read`), for any chunk size.
 *
 * A set, group or interchange left open is closed where the next envelope (or the end of the input) shows it,
 * with a `missing-se`, `missing-ge` or `missing-iea` error there, so its content is filed where it was read. Control
 * numbers must be unique: ST02 within its group (a 999 rejects the set with IK502 23), GS06 within its
 * interchange (AK905 19) and ISA13 within the input from one sender to one receiver (a TA1 rejects it with TA105
 * 025), else a `duplicate-control-number` error (numbers in sequence cost no memory; up to 65,536
 * others per group are remembered). Problems kept are bounded: past `maxProblems` (100,000 by default, about 20 MB
 * of problems) the reader stops with `too-many-problems`; a reader that keeps none (`keepProblems: false`, as the
 * streaming reads) has no bound unless one is given.
 *
 * @since 0.1.0
 */
import type { Group, Interchange, TransactionHeader } from "./Envelope.js"
import { keyOf, Scanner, type SegmentView, viewSegment } from "./internal/view.js"
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
  /**
   * The most problems (errors and warnings alike) the reader reports: one more stops it, in every mode, with an
   * `X12ParseError` whose problem is `too-many-problems`, at the position of the problem that did not fit. A bound
   * on the memory that problems kept in `Reader.problems` may take (a file of a million empty segments is a million
   * problems), so its default follows `keepProblems`: a reader that keeps its problems stops past
   * `defaultMaxProblems` (100,000: a kept problem takes about 200 bytes, so at most about 20 MB), one that keeps
   * none has no bound (`Infinity`: its memory stays flat however many problems it reports, so a tolerant read of a
   * large file with a quirk in every claim reads to the end). Given, it applies either way; `Infinity` lifts it.
   */
  readonly maxProblems?: number
  /**
   * Keep every problem in `Reader.problems` (the default). A streaming reader turns this off: its problems reach
   * the caller as `Problem` events, so nothing grows with the input, and `maxProblems` has no default bound.
   */
  readonly keepProblems?: boolean
  /**
   * Share equal values across items (the default): a date, name, identifier or code that repeats is one string,
   * so a read that keeps every item keeps one of each. A streaming reader turns this off: its items do not stay, and
   * the table of recent values would only turn over (a 1 GB 835 streamed with it peaks at about 48 MB above the
   * start, without it at about 21).
   */
  readonly shareValues?: boolean
}

/**
 * The default of `Options.maxProblems` for a reader that keeps its problems (`X12.readText`, `Reader.readEvents`,
 * the per-set readers such as `Remittance.read835`): 100,000 problems, errors and warnings alike, about 20 MB kept
 * (some 200 bytes each). A reader that keeps none (`X12.readChunks`, `X12.stream`) has no default bound.
 *
 * @since 0.1.0
 */
export const defaultMaxProblems = 100_000

/**
 * What the reader emits, in input order. A problem that stops the reader (strict mode's first error, input it
 * cannot read on from, `too-many-problems`) is not an event: it is the `X12ParseError` thrown after the events
 * before it, and the last of `Reader.problems`.
 *
 * @since 0.1.0
 */
export type Event =
  | { readonly _tag: "Interchange"; readonly interchange: Interchange }
  /** A group opens at GS; sets outside any group (`unexpected-st`) open one whose every field is empty. */
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

const isCapitalOrDigit = (c: number) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57)

/** A segment id (as `SegmentView.key`) is a capital letter and one or two capitals or digits (no regex). */
const isSegmentId = (key: number): boolean => {
  if (key < 0) return false
  const first = (key >> 14) & 127
  return (
    first >= 65 && first <= 90 && isCapitalOrDigit((key >> 7) & 127) && (key >> 21 === 2 || isCapitalOrDigit(key & 127))
  )
}

// The envelope segments, by their ids' keys (no string per segment).
const isa = keyOf("ISA")
const iea = keyOf("IEA")
const ta1 = keyOf("TA1")
const gs = keyOf("GS")
const ge = keyOf("GE")
const st = keyOf("ST")
const se = keyOf("SE")

const noGroup: Group = { functionalId: "", sender: "", receiver: "", date: "", time: "", control: "", version: "" }

/** Control numbers can be 9 digits: a number below 10^9 is a small integer in V8. */
const isDigits = (text: string): boolean => {
  if (text.length === 0 || text.length > 9) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** The most control numbers out of sequence one scope (a group's ST02s, an interchange's GS06s) remembers. */
const maxRemembered = 65_536

/**
 * The control numbers seen in one scope, to find a repeat. Numbers in sequence (the usual `0001`, `0002`, ...)
 * take no memory: one run per width, from its lowest to its highest; others are remembered one by one, up to
 * `maxRemembered` (past it a repeat of an unremembered number goes unseen, so memory stays bounded).
 */
class ControlNumbersSeen {
  private runs = new Map<number, { low: number; high: number; others: Set<number> }>()
  private texts = new Set<string>()
  private remembered = 0

  /** Adds `control`; false when it was already there. */
  add(control: string): boolean {
    if (!isDigits(control)) {
      if (this.texts.has(control)) return false
      if (this.remembered < maxRemembered) {
        this.texts.add(control)
        this.remembered++
      }
      return true
    }
    const value = Number(control)
    const run = this.runs.get(control.length)
    if (run === undefined) {
      this.runs.set(control.length, { low: value, high: value, others: new Set() })
      return true
    }
    if ((value >= run.low && value <= run.high) || run.others.has(value)) return false
    if (value === run.high + 1) {
      run.high = value
      while (run.others.delete(run.high + 1)) {
        run.high++
        this.remembered--
      }
    } else if (value === run.low - 1) {
      run.low = value
      while (run.others.delete(run.low - 1)) {
        run.low--
        this.remembered--
      }
    } else if (this.remembered < maxRemembered) {
      run.others.add(value)
      this.remembered++
    }
    return true
  }

  clear(): void {
    this.runs.clear()
    this.texts.clear()
    this.remembered = 0
  }
}

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
  private readonly maxProblems: number
  private readonly keepProblems: boolean
  private problemCount = 0
  /** The error that stopped the reader, thrown again by every later call. */
  private stopped: X12ParseError | undefined
  /** ST02s of the open group, GS06s of the open interchange. */
  private readonly transactionControls = new ControlNumbersSeen()
  private readonly groupControls = new ControlNumbersSeen()
  /** ISA13s of the input, per sender and receiver (at most `maxRemembered` pairs). */
  private readonly interchangeControls = new Map<string, ControlNumbersSeen>()
  /**
   * Every problem, the one that stopped the reader last (none when `keepProblems` is false). At most
   * `maxProblems` + 1.
   */
  readonly problems: Array<Problem> = []

  /**
   * `onEvent`, when given, gets each event as it happens, and `push` and `end` return none: a whole text read
   * this way holds no list of its events.
   */
  constructor(
    private readonly options: Options = {},
    private readonly onEvent?: (event: Event) => void
  ) {
    this.splitter = new Scanner(options.maxSegmentLength, options.shareValues ?? true)
    this.strict = options.mode === "strict"
    this.keepProblems = options.keepProblems ?? true
    const max = options.maxProblems
    // The bound guards the problems kept: a reader that keeps none has none unless it is given one.
    this.maxProblems =
      max === undefined || Number.isNaN(max)
        ? this.keepProblems
          ? defaultMaxProblems
          : Number.POSITIVE_INFINITY
        : Math.max(0, max)
  }

  /**
   * Events completed by this chunk. A problem that stops the reader (strict mode's first error, input it cannot
   * read on from, `too-many-problems`) is thrown as `X12ParseError` once the events before it are handed out: by
   * this call when there are none, else by the next `push`, `end` or `done`. A stopped reader throws it on every
   * call. (With `onEvent`, events are handed out as they happen, and the error is thrown at once.)
   */
  push(text: string): ReadonlyArray<Event> {
    return this.guard(() => {
      const failure = this.splitter.push(text, this.onSegment)
      if (failure !== undefined) this.splitFailure(failure)
    })
  }

  /**
   * The end of the input: closes what is open, with an error for each envelope left unclosed, at the index the
   * next segment would have had.
   */
  end(): ReadonlyArray<Event> {
    return this.guard(() => {
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
      this.closeEnvelopes(undefined, true)
    })
  }

  /**
   * Throws the `X12ParseError` that stopped the reader, if one did. Call it once `end`'s events are handed out:
   * a stop while the input was closed (a set left open, in strict mode) comes after the events `end` returns.
   */
  done(): void {
    if (this.stopped !== undefined) throw this.stopped
  }

  private guard(read: () => void): ReadonlyArray<Event> {
    if (this.stopped !== undefined) throw this.stopped
    try {
      read()
    } catch (error) {
      if (!(error instanceof X12ParseError)) throw error
      this.stopped = error
      // The events before the error go out first; the next call throws it.
      if (this.out.length === 0) throw error
    }
    return this.flush()
  }

  /**
   * Closes the set, group and interchange left open, innermost first, each with its `missing-*` error at
   * `segment` (the envelope segment that shows it, or the end of the input): the set goes out in its own group
   * and interchange, not the next one's.
   */
  private closeEnvelopes(segment: SegmentView | undefined, interchangeToo: boolean) {
    const at = (code: string, message: string) =>
      segment === undefined
        ? this.problem({ severity: "error", code, message, segmentIndex: this.splitter.segmentCount })
        : this.errorAt(segment, code, message)
    if (this.header !== undefined) {
      at("missing-se", `transaction ${this.header.control} has no SE`)
      this.closeTransaction(undefined)
    }
    if (!interchangeToo) return
    if (this.group !== undefined && this.group !== noGroup) at("missing-ge", `group ${this.group.control} has no GE`)
    this.group = undefined
    this.transactionControls.clear()
    if (this.interchange !== undefined) at("missing-iea", `interchange ${this.interchange.control} has no IEA`)
    this.interchange = undefined
    this.groupControls.clear()
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

  /** A model's `ModelContext.report`. */
  private readonly report = (problem: Omit<Problem, "interchange" | "group" | "transaction">) => this.problem(problem)

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
    // Nothing after this point can be read: every mode stops.
    this.stop(this.locate(problem))
  }

  /** Records the problem that stops the reader and throws it. */
  private stop(problem: Problem): never {
    if (this.keepProblems) this.problems.push(problem)
    throw new X12ParseError({ problem })
  }

  /** The problem with the interchange, group and transaction set open. */
  private locate(problem: Problem): Problem {
    return {
      ...(this.interchange === undefined ? {} : { interchange: this.interchange.control }),
      ...(this.group === undefined || this.group === noGroup ? {} : { group: this.group.control }),
      ...(this.header === undefined ? {} : { transaction: this.header.control }),
      ...problem
    }
  }

  private problem(problem: Problem) {
    const located = this.locate(problem)
    if (this.strict && located.severity === "error") this.stop(located)
    if (this.problemCount >= this.maxProblems) {
      // Where the reader stopped: the position of the problem that did not fit, without its element.
      this.stop({
        severity: "error",
        code: "too-many-problems",
        message: `more than ${this.maxProblems} problems: the reader stopped (maxProblems)`,
        ...(located.interchange === undefined ? {} : { interchange: located.interchange }),
        ...(located.group === undefined ? {} : { group: located.group }),
        ...(located.transaction === undefined ? {} : { transaction: located.transaction }),
        ...(located.segmentIndex === undefined ? {} : { segmentIndex: located.segmentIndex }),
        ...(located.segmentId === undefined ? {} : { segmentId: located.segmentId })
      })
    }
    this.problemCount++
    if (this.keepProblems) this.problems.push(located)
    this.emit({ _tag: "Problem", problem: located })
  }

  private interchangeControlsOf(interchange: Interchange): ControlNumbersSeen {
    const key = `${interchange.senderQualifier}:${interchange.sender}>${interchange.receiverQualifier}:${interchange.receiver}`
    let seen = this.interchangeControls.get(key)
    if (seen === undefined) {
      seen = new ControlNumbersSeen()
      // Past that many pairs a new pair's numbers are not kept: memory stays bounded.
      if (this.interchangeControls.size < maxRemembered) this.interchangeControls.set(key, seen)
    }
    return seen
  }

  // No closure here captures `segment` or `this`: one would make V8 allocate a context for it on every call, that
  // is for every segment of the input.
  private segment(segment: SegmentView) {
    const key = segment.key()
    switch (key) {
      case isa: {
        this.closeEnvelopes(segment, true)
        this.interchange = {
          senderQualifier: segment.get(5),
          sender: segment.get(6).trim(),
          receiverQualifier: segment.get(7),
          receiver: segment.get(8).trim(),
          date: segment.get(9),
          time: segment.get(10),
          version: segment.get(12),
          control: segment.get(13),
          acknowledgmentRequested: segment.get(14) === "1",
          usage: segment.get(15)
        }
        const interchange = this.interchange
        this.groupCount = 0
        this.emit({ _tag: "Interchange", interchange })
        if (!/^\d{9}$/u.test(interchange.control))
          this.errorAt(segment, "bad-control-number", "ISA13 must be 9 digits", 13)
        else if (!this.interchangeControlsOf(interchange).add(interchange.control))
          // A TA1 rejects it (TA105 025): the same interchange sent twice.
          this.errorAt(
            segment,
            "duplicate-control-number",
            "ISA13 repeats an interchange's from the same sender to the same receiver in this input",
            13
          )
        if (interchange.usage !== "P" && interchange.usage !== "T")
          this.warningAt(segment, "bad-usage", "ISA15 must be P or T", 15)
        return
      }
      case iea: {
        if (this.interchange === undefined) return this.errorAt(segment, "unexpected-iea", "IEA without ISA")
        this.closeEnvelopes(segment, false)
        if (this.group !== undefined && this.group !== noGroup)
          this.errorAt(segment, "missing-ge", `group ${this.group.control} has no GE`)
        this.group = undefined
        this.transactionControls.clear()
        this.checkTrailer(segment, "group-count", "groups", this.groupCount, this.interchange.control, "ISA13")
        this.interchange = undefined
        this.groupControls.clear()
        return
      }
      case ta1: {
        this.emit({ _tag: "InterchangeAcknowledgment", segment: segment.toSegment() })
        return
      }
      case gs: {
        if (this.interchange === undefined) this.errorAt(segment, "unexpected-gs", "GS outside an interchange")
        this.closeEnvelopes(segment, false)
        if (this.group !== undefined && this.group !== noGroup)
          this.errorAt(segment, "missing-ge", `group ${this.group.control} has no GE`)
        this.transactionControls.clear()
        this.group = {
          functionalId: segment.get(1),
          sender: segment.get(2),
          receiver: segment.get(3),
          date: segment.get(4),
          time: segment.get(5),
          control: segment.get(6),
          version: segment.get(8)
        }
        this.groupCount++
        this.transactionCount = 0
        this.emit({ _tag: "Group", group: this.group })
        if (!this.groupControls.add(this.group.control))
          this.errorAt(segment, "duplicate-control-number", "GS06 repeats a group's in this interchange", 6)
        return
      }
      case ge: {
        if (this.group === undefined || this.group === noGroup)
          return this.errorAt(segment, "unexpected-ge", "GE without GS")
        this.closeEnvelopes(segment, false)
        this.checkTrailer(
          segment,
          "transaction-count",
          "transaction sets",
          this.transactionCount,
          this.group.control,
          "GS06"
        )
        this.group = undefined
        this.transactionControls.clear()
        return
      }
      case st: {
        if (this.header !== undefined) {
          this.errorAt(segment, "missing-se", `transaction ${this.header.control} has no SE`)
          this.closeTransaction(undefined)
        }
        if (this.group === undefined) {
          this.errorAt(segment, "unexpected-st", "ST outside a functional group")
          // Filed in a group of their own (every field empty), not in the group before.
          this.group = noGroup
          this.emit({ _tag: "Group", group: noGroup })
        }
        const group = this.group
        const version = segment.get(3)
        this.header = {
          setId: segment.get(1),
          control: segment.get(2),
          version: version || group.version
        }
        if (!this.transactionControls.add(this.header.control))
          this.errorAt(segment, "duplicate-control-number", "ST02 repeats a transaction set's in this group", 2)
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
          report: this.report
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
        if (!isSegmentId(key)) {
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
 * Reads a whole text: every event, and every problem. The events are kept, its problems among them, so
 * `maxProblems` is `defaultMaxProblems` unless given, even with `keepProblems: false`.
 *
 * @since 0.1.0
 */
export const readEvents = (
  text: string,
  options?: Options
): { readonly events: ReadonlyArray<Event>; readonly problems: ReadonlyArray<Problem> } => {
  const max = options?.maxProblems
  const reader = new Reader({
    ...options,
    maxProblems: max === undefined || Number.isNaN(max) ? defaultMaxProblems : max
  })
  const events = [...reader.push(text), ...reader.end()]
  reader.done()
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
