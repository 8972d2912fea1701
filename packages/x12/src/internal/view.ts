/**
 * The hot path under `Segments.Splitter` and the reader: a scanner that finds segments and their element
 * boundaries in the text, and one reusable `SegmentView` that shows the current segment where it lies. Nothing is
 * allocated per segment: a model reads an element as a string only when it keeps it, and parses amounts and
 * compares codes in place. A `Segment` object (`toSegment`) is made only for whoever asks for one.
 */
import type { Delimiters, Segment, SplitFailure, SplitWarning } from "../Segments.js"
import { decimal, quantity, round } from "./amount.js"

const isWhitespace = (code: number): boolean =>
  code === 32 || code === 10 || code === 13 || code === 9 || code === 0xfeff

/** ISA is 106 characters: the element separator at 3, ISA11 at 82, ISA16 at 104, the terminator at 105. */
const isaLength = 106

const isLetterOrDigit = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)

const readDelimiters = (isa: string): Delimiters | string => {
  const element = isa[3] as string
  const fields = isa.slice(0, 105).split(element)
  if (fields.length !== 17) return `ISA has ${fields.length - 1} elements where 16 are fixed-width`
  const component = isa[104] as string
  const segment = isa[105] as string
  const repetition = isa[82] as string
  if (component === element || segment === element || component === segment) {
    return "ISA's element separator, component separator and terminator must differ"
  }
  const e = element.charCodeAt(0)
  if (isLetterOrDigit(e) || e === 32 || isLetterOrDigit(segment.charCodeAt(0)))
    return "ISA's delimiters must not be letters or digits"
  // In 5010 ISA11 is the repetition separator; a letter there (4010's "U") is a standards identifier instead.
  const r = repetition.charCodeAt(0)
  const repeats = !isLetterOrDigit(r) && r !== 32 && repetition !== element && repetition !== segment
  return { element, component, segment, repetition: repeats && repetition !== component ? repetition : undefined }
}

/**
 * Short codes (ids, qualifiers, reason codes: 2 or 3 ASCII characters) seen lately, by their characters: the same
 * string for every `CLP` or `CO`, without a substring each. A direct-mapped table (a code's slot is a hash of its
 * key; a code takes its slot from another), so a lookup is an array read and the table never grows.
 */
const codeSlots = 4096
const codeKeys = new Int32Array(codeSlots)
const codeTexts: Array<string> = new Array<string>(codeSlots).fill("")

/** `text[start, end)`; a code of 2 or 3 ASCII characters comes out as one shared string. */
export const codeAt = (text: string, start: number, end: number): string => {
  const length = end - start
  if (length < 2 || length > 3) return length === 0 ? "" : text.slice(start, end)
  const c0 = text.charCodeAt(start)
  const c1 = text.charCodeAt(start + 1)
  const c2 = length === 3 ? text.charCodeAt(start + 2) : 0
  if (c0 >= 128 || c1 >= 128 || c2 >= 128) return text.slice(start, end)
  const key = (length << 21) | (c0 << 14) | (c1 << 7) | c2
  const slot = (Math.imul(key, 0x9e3779b1) >>> 20) & (codeSlots - 1)
  if (codeKeys[slot] === key) return codeTexts[slot] as string
  const code = text.slice(start, end)
  codeKeys[slot] = key
  codeTexts[slot] = code
  return code
}

/** The number `key` gives a segment id of 2 or 3 characters (for a `switch` on segment ids). */
export const keyOf = (id: string): number =>
  (id.length << 21) | (id.charCodeAt(0) << 14) | (id.charCodeAt(1) << 7) | (id.length === 3 ? id.charCodeAt(2) : 0)

/**
 * `s` as a string that keeps no other alive. V8 cuts a substring of 13 characters or more as a view into the string
 * it came from (a "sliced string"), which keeps all of that string alive: a table that outlives the chunk of input a
 * value was read from would keep the chunk (a streaming read, one chunk per slot). Joined to another string and cut
 * again, the characters are copied.
 */
export const own = (s: string): string => (s.length < 13 ? s : (s + " ").slice(0, -1))

/**
 * Values made from stretches of text, remembered by the stretch's characters, so that equal stretches get the
 * same value: a string read once, an object made once. Direct-mapped: a stretch's slot is a hash of its length and
 * five of its characters (the last three, which tell dates and numbers apart, the first and the middle), and a
 * stretch takes its slot from another. So a lookup is a hash and one comparison in place, and the table never
 * grows past its slots.
 */
export class Recent<T> {
  private readonly keys: Array<string | undefined>
  private readonly values: Array<T | undefined>
  private readonly mask: number
  private slot = 0

  /** `slots`: a power of two. */
  constructor(slots: number) {
    this.keys = new Array<string | undefined>(slots)
    this.values = new Array<T | undefined>(slots)
    this.mask = slots - 1
  }

  /** The value kept for `text[start, end)` (not empty), or undefined; `keep` then fills the slot looked at. */
  find(text: string, start: number, end: number): T | undefined {
    const length = end - start
    const hash =
      ((text.charCodeAt(end - 1) & 15) |
        ((text.charCodeAt(end - 2) & 15) << 4) |
        ((text.charCodeAt(end - 3) & 15) << 8)) ^
      (length * 0x9e5 + text.charCodeAt(start) * 0x3b + text.charCodeAt(start + (length >> 1)) * 0x1f)
    const slot = hash & this.mask
    this.slot = slot
    const key = this.keys[slot]
    return key !== undefined && key.length === length && text.startsWith(key, start) ? this.values[slot] : undefined
  }

  /**
   * Keeps `value` for `key` (the stretch the last `find` looked for, as a string) in that slot; the table keeps its
   * own copy of the key (see `own`), and a value with strings of the input should hold copies too.
   */
  keep(key: string, value: T): void {
    this.keys[this.slot] = own(key)
    this.values[this.slot] = value
  }
}

/** The longest value `SegmentView.shared` shares, and its table's slots. */
const sharedLength = 24
const sharedSlots = 4096

/**
 * The segment being read, in place: `text[bounds[n], bounds[n + 1] - 1)` is element n (element 0 is the id) for
 * n < `count`. Valid only during the call that hands it out; the scanner reuses it for the next segment.
 */
export class SegmentView {
  text = ""
  /** Elements, the id included (`Segment.elements.length`). */
  count = 0
  bounds: Int32Array = new Int32Array(64)
  index = 0
  delimiters: Delimiters = { element: "*", component: ":", repetition: undefined, segment: "~" }
  private idText: string | undefined
  /** `key()`, once asked for (-2 until then). */
  private keyValue = -2
  /** The values `shared` handed out lately (made at its first call). */
  private recent: Recent<string> | undefined
  /** `shared` shares; when false it is `get` (see `Reader.Options.shareValues`). */
  share = true

  /** Points the view at `text[start, end)`, split at `separator`. */
  set(text: string, start: number, end: number, separator: number, index: number, delimiters: Delimiters): void {
    this.text = text
    this.index = index
    this.delimiters = delimiters
    this.idText = undefined
    this.keyValue = -2
    let bounds = this.bounds
    bounds[0] = start
    let count = 1
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) === separator) {
        if (count + 1 >= bounds.length) {
          const grown = new Int32Array(bounds.length * 2)
          grown.set(bounds)
          this.bounds = bounds = grown
        }
        bounds[count++] = i + 1
      }
    }
    bounds[count] = end + 1
    this.count = count
  }

  /**
   * Points the view at the segment that starts at `start` and ends at the first `terminator` before `limit`,
   * found in the same pass as its element separators; a carriage return before the terminator (CRLF line ends
   * after a newline terminator) is left out. Returns the terminator's index, or -1 when there is none before
   * `limit` (the view is then left as it was).
   */
  scan(
    text: string,
    start: number,
    limit: number,
    separator: number,
    terminator: number,
    index: number,
    delimiters: Delimiters
  ): number {
    let bounds = this.bounds
    bounds[0] = start
    let count = 1
    for (let i = start; i < limit; i++) {
      const c = text.charCodeAt(i)
      if (c === separator) {
        if (count + 1 >= bounds.length) {
          const grown = new Int32Array(bounds.length * 2)
          grown.set(bounds)
          this.bounds = bounds = grown
        }
        bounds[count++] = i + 1
      } else if (c === terminator) {
        let end = i
        if (end > start && text.charCodeAt(end - 1) === 13) {
          end--
          // A carriage return that is the element separator too ends no element here.
          if (separator === 13) count--
        }
        bounds[count] = end + 1
        this.count = count
        this.text = text
        this.index = index
        this.delimiters = delimiters
        this.idText = undefined
        this.keyValue = -2
        return i
      }
    }
    return -1
  }

  /** Points the view at a `Segment` object (for a model called with one): the same elements, the same id. */
  of(segment: Segment): this {
    const elements = segment.elements
    const parts: Array<string> = [segment.id]
    for (let n = 1; n < elements.length; n++) parts.push(elements[n] as string)
    const count = parts.length
    if (count + 1 > this.bounds.length) this.bounds = new Int32Array(count + 1)
    let at = 0
    for (let n = 0; n < count; n++) {
      this.bounds[n] = at
      at += (parts[n] as string).length + 1
    }
    this.bounds[count] = at
    this.count = count
    this.text = parts.join(segment.delimiters.element)
    this.index = segment.index
    this.delimiters = segment.delimiters
    this.idText = segment.id
    this.keyValue = -2
    return this
  }

  /** The segment id (element 0). */
  get id(): string {
    if (this.idText === undefined) this.idText = this.short(0)
    return this.idText
  }

  /** The id as a number, the same as `keyOf` of it; -1 for an id that is not 2 or 3 ASCII characters. */
  key(): number {
    if (this.keyValue === -2) this.keyValue = this.keyNow()
    return this.keyValue
  }

  private keyNow(): number {
    const start = this.bounds[0] as number
    const length = (this.bounds[1] as number) - 1 - start
    if (length < 2 || length > 3) return -1
    const text = this.text
    const c0 = text.charCodeAt(start)
    const c1 = text.charCodeAt(start + 1)
    const c2 = length === 3 ? text.charCodeAt(start + 2) : 0
    if (c0 >= 128 || c1 >= 128 || c2 >= 128) return -1
    return (length << 21) | (c0 << 14) | (c1 << 7) | c2
  }

  /** Element n, or "" when absent; a code of 2 or 3 ASCII characters comes out as one shared string. */
  short(n: number): string {
    if (n >= this.count) return ""
    return codeAt(this.text, this.bounds[n] as number, (this.bounds[n + 1] as number) - 1)
  }

  /** Element n, or "" when absent. */
  get(n: number): string {
    if (n >= this.count) return ""
    const start = this.bounds[n] as number
    const end = (this.bounds[n + 1] as number) - 1
    return start === end ? "" : this.text.slice(start, end)
  }

  /**
   * Element n, or "" when absent, as the very string handed out for the last equal value that took its slot: for
   * values that repeat across a file's claims (dates, names, identifiers, procedure and remark codes), so that a
   * whole-file read keeps one string where it would keep one per claim. The table is the view's (a reader's), so
   * nothing outlives the read, and bounded (`sharedSlots` values of at most `sharedLength` characters).
   */
  shared(n: number): string {
    return n >= this.count ? "" : this.sharedAt(this.bounds[n] as number, (this.bounds[n + 1] as number) - 1)
  }

  /** `text[start, end)` of the current segment, as `shared` gives an element. */
  sharedAt(start: number, end: number): string {
    const length = end - start
    if (length === 0) return ""
    const text = this.text
    if (length > sharedLength || !this.share) return text.slice(start, end)
    let recent = this.recent
    if (recent === undefined) {
      recent = new Recent<string>(sharedSlots)
      this.recent = recent
    }
    const known = recent.find(text, start, end)
    if (known !== undefined) return known
    const value = own(text.slice(start, end))
    recent.keep(value, value)
    return value
  }

  /** Element n is present and not empty. */
  has(n: number): boolean {
    return n < this.count && (this.bounds[n + 1] as number) - 1 > (this.bounds[n] as number)
  }

  /** The length of element n (0 when absent). */
  length(n: number): number {
    return n < this.count ? (this.bounds[n + 1] as number) - 1 - (this.bounds[n] as number) : 0
  }

  /** Element n equals `value` (no substring made). */
  is(n: number, value: string): boolean {
    if (n >= this.count) return value === ""
    const start = this.bounds[n] as number
    if ((this.bounds[n + 1] as number) - 1 - start !== value.length) return false
    for (let i = 0; i < value.length; i++) if (this.text.charCodeAt(start + i) !== value.charCodeAt(i)) return false
    return true
  }

  /** Element n as cents (a third decimal rounds half away from zero); NaN when malformed or empty. */
  cents(n: number): number {
    if (n >= this.count) return Number.NaN
    return decimal(this.text, this.bounds[n] as number, (this.bounds[n + 1] as number) - 1, 2, round)
  }

  /** Element n has more than two decimals (for an amount `cents` could read). */
  moreThanTwoDecimals(n: number): boolean {
    const start = this.bounds[n] as number
    const end = (this.bounds[n + 1] as number) - 1
    for (let i = start; i < end; i++) if (this.text.charCodeAt(i) === 46) return end - i > 3
    return false
  }

  /** Element n as a quantity; NaN when malformed or empty. */
  quantity(n: number): number {
    if (n >= this.count) return Number.NaN
    return quantity(this.text, this.bounds[n] as number, (this.bounds[n + 1] as number) - 1)
  }

  /** Component `c` (0-based) of element n, or "" when absent; a code of 2 or 3 ASCII characters is shared. */
  component(n: number, c: number): string {
    if (n >= this.count) return ""
    const separator = this.delimiters.component.charCodeAt(0)
    const end = (this.bounds[n + 1] as number) - 1
    const text = this.text
    let start = this.bounds[n] as number
    for (let k = 0; k < c; k++) {
      while (start < end && text.charCodeAt(start) !== separator) start++
      if (start >= end) return ""
      start++
    }
    let stop = start
    while (stop < end && text.charCodeAt(stop) !== separator) stop++
    return codeAt(text, start, stop)
  }

  /** The segment as an object, for keeping and for models that take one. */
  toSegment(): Segment {
    // The native split of the segment's text: the same elements as `get`, made in one call.
    const elements = this.text
      .slice(this.bounds[0] as number, (this.bounds[this.count] as number) - 1)
      .split(this.delimiters.element)
    return { id: elements[0] as string, elements, index: this.index, delimiters: this.delimiters }
  }
}

/**
 * Finds segments in text given in chunks of any size and shows each through one `SegmentView`. It holds at most
 * one unfinished segment, bounded by `maxSegmentLength`.
 */
export class Scanner {
  private buffer = ""
  private delimiters: Delimiters | undefined
  private separator = 0
  private terminator = 0
  private index = 0
  private failed: SplitFailure | undefined
  readonly warnings: Array<SplitWarning> = []
  readonly view = new SegmentView()

  constructor(
    private readonly maxSegmentLength = 1_048_576,
    share = true
  ) {
    this.view.share = share
  }

  /** Segments found so far: the index the next one gets. */
  get segmentCount(): number {
    return this.index
  }

  push(text: string, onSegment: (segment: SegmentView) => void): SplitFailure | undefined {
    if (this.failed !== undefined) return undefined
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text
    return this.drain(false, onSegment)
  }

  end(onSegment: (segment: SegmentView) => void): SplitFailure | undefined {
    if (this.failed !== undefined) return undefined
    return this.drain(true, onSegment)
  }

  private fail(failure: SplitFailure) {
    this.failed = failure
    this.buffer = ""
    return failure
  }

  private drain(atEnd: boolean, onSegment: (segment: SegmentView) => void): SplitFailure | undefined {
    const buffer = this.buffer
    const length = buffer.length
    const view = this.view
    let at = 0
    for (;;) {
      while (at < length && isWhitespace(buffer.charCodeAt(at))) at++
      if (at >= length) break
      if (this.delimiters === undefined) {
        if (length - at < 3) {
          if (!atEnd) break
          return this.fail({ _tag: "NotX12", segmentIndex: this.index })
        }
        if (buffer.charCodeAt(at) !== 73 || buffer.charCodeAt(at + 1) !== 83 || buffer.charCodeAt(at + 2) !== 65) {
          return this.fail({ _tag: "NotX12", segmentIndex: this.index })
        }
        if (length - at < isaLength) {
          if (!atEnd) break
          return this.fail({ _tag: "BadIsa", segmentIndex: this.index, detail: "ISA is shorter than 106 characters" })
        }
        const delimiters = readDelimiters(buffer.slice(at, at + isaLength))
        if (typeof delimiters === "string") {
          return this.fail({ _tag: "BadIsa", segmentIndex: this.index, detail: delimiters })
        }
        this.delimiters = delimiters
        this.separator = delimiters.element.charCodeAt(0)
        this.terminator = delimiters.segment.charCodeAt(0)
      } else if (buffer.charCodeAt(at) === 73 && buffer.charCodeAt(at + 1) === 83 && buffer.charCodeAt(at + 2) === 65) {
        // An ISA inside an interchange (its IEA left out) starts the next one, with its own delimiters.
        if (length - at < 4) {
          if (!atEnd) break
        } else if (!isLetterOrDigit(buffer.charCodeAt(at + 3))) {
          this.delimiters = undefined
          continue
        }
      }
      const delimiters = this.delimiters
      const limit = Math.min(length, at + this.maxSegmentLength + 1)
      const end = view.scan(buffer, at, limit, this.separator, this.terminator, this.index, delimiters)
      if (end < 0) {
        if (length - at > this.maxSegmentLength) {
          return this.fail({ _tag: "SegmentTooLong", segmentIndex: this.index, limit: this.maxSegmentLength })
        }
        if (!atEnd) break
        this.warnings.push({ code: "missing-terminator", segmentIndex: this.index })
        view.set(buffer, at, at + buffer.slice(at).trimEnd().length, this.separator, this.index++, delimiters)
        at = length
        onSegment(view)
        break
      }
      this.index++
      at = end + 1
      // The next interchange may use other delimiters.
      const isIea =
        view.length(0) === 3 &&
        buffer.charCodeAt(view.bounds[0] as number) === 73 &&
        buffer.charCodeAt((view.bounds[0] as number) + 1) === 69 &&
        buffer.charCodeAt((view.bounds[0] as number) + 2) === 65
      onSegment(view)
      if (isIea) this.delimiters = undefined
    }
    this.buffer = at >= length ? "" : buffer.slice(at)
    // Empty or blank input is not X12 either.
    if (atEnd && this.index === 0) return this.fail({ _tag: "NotX12", segmentIndex: 0 })
    return undefined
  }
}

/** The key of a `TransactionModel`'s in-place method (see `Reader`): this package's models read views. */
export const viewSegment: unique symbol = Symbol.for("@openrcm/x12/viewSegment")
