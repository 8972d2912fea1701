/**
 * Segments from text: the delimiters are read from each ISA (a fixed-width segment), segments end at the
 * terminator whatever follows it (newlines, CRLF, indentation), a UTF-8 BOM is skipped, and each new interchange
 * may use other delimiters. `Splitter` takes text in chunks of any size, down to one character, and yields the
 * same segments as the whole text would. It holds at most one unfinished segment, bounded by `maxSegmentLength`.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export interface Delimiters {
  readonly element: string
  readonly component: string
  /** ISA11 in 5010; undefined when it is not a separator (for example `U` in 4010). */
  readonly repetition: string | undefined
  readonly segment: string
}

/**
 * A segment: `elements[0]` is its id, `elements[n]` the n-th element. `index` counts segments from the start of
 * the input, from 0.
 *
 * @since 0.1.0
 */
export interface Segment {
  readonly id: string
  readonly elements: ReadonlyArray<string>
  readonly index: number
  readonly delimiters: Delimiters
}

/**
 * The n-th element, or "" when absent.
 *
 * @since 0.1.0
 */
export const element = (segment: Segment, n: number): string => segment.elements[n] ?? ""

/**
 * The components of the n-th element (`HC:90834:95` → `["HC", "90834", "95"]`).
 *
 * @since 0.1.0
 */
export const components = (segment: Segment, n: number): ReadonlyArray<string> => {
  const value = segment.elements[n]
  return value === undefined || value === "" ? [] : value.split(segment.delimiters.component)
}

/**
 * The repetitions of the n-th element.
 *
 * @since 0.1.0
 */
export const repetitions = (segment: Segment, n: number): ReadonlyArray<string> => {
  const value = segment.elements[n]
  if (value === undefined || value === "") return []
  return segment.delimiters.repetition === undefined ? [value] : value.split(segment.delimiters.repetition)
}

/**
 * Why splitting cannot go on.
 *
 * @since 0.1.0
 */
export type SplitFailure =
  | { readonly _tag: "NotX12"; readonly segmentIndex: number }
  | { readonly _tag: "BadIsa"; readonly segmentIndex: number; readonly detail: string }
  | { readonly _tag: "SegmentTooLong"; readonly segmentIndex: number; readonly limit: number }

/**
 * A segment the splitter had to repair (a missing terminator at the end of the input).
 *
 * @since 0.1.0
 */
export interface SplitWarning {
  readonly code: "missing-terminator"
  readonly segmentIndex: number
}

const isWhitespace = (code: number): boolean =>
  code === 32 || code === 10 || code === 13 || code === 9 || code === 0xfeff

/** ISA is 106 characters: the element separator at 3, ISA11 at 82, ISA16 at 104, the terminator at 105. */
const isaLength = 106

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
  if (/[A-Za-z0-9 ]/u.test(element) || /[A-Za-z0-9]/u.test(segment))
    return "ISA's delimiters must not be letters or digits"
  // In 5010 ISA11 is the repetition separator; a letter there (4010's "U") is a standards identifier instead.
  const repeats = !/[A-Za-z0-9 ]/u.test(repetition) && repetition !== element && repetition !== segment
  return { element, component, segment, repetition: repeats && repetition !== component ? repetition : undefined }
}

/**
 * Splits text into segments, in chunks.
 *
 * @since 0.1.0
 */
export class Splitter {
  private buffer = ""
  private delimiters: Delimiters | undefined
  private index = 0
  private failed: SplitFailure | undefined
  readonly warnings: Array<SplitWarning> = []

  constructor(private readonly maxSegmentLength = 1_048_576) {}

  /**
   * Hands each segment completed by this chunk to `onSegment` as it is found (no array of a chunk's segments is
   * built: a whole file pushed at once is still read segment by segment). A failure stops the splitter.
   */
  push(text: string, onSegment: (segment: Segment) => void): SplitFailure | undefined {
    if (this.failed !== undefined) return undefined
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text
    return this.drain(false, onSegment)
  }

  /** The end of the input: an unterminated last segment is kept, with a warning. */
  end(onSegment: (segment: Segment) => void): SplitFailure | undefined {
    if (this.failed !== undefined) return undefined
    return this.drain(true, onSegment)
  }

  private fail(failure: SplitFailure) {
    this.failed = failure
    this.buffer = ""
    return failure
  }

  private drain(atEnd: boolean, onSegment: (segment: Segment) => void): SplitFailure | undefined {
    let buffer = this.buffer
    let at = 0
    for (;;) {
      while (at < buffer.length && isWhitespace(buffer.charCodeAt(at))) at++
      if (at >= buffer.length) break
      if (this.delimiters === undefined) {
        if (buffer.length - at < 3) {
          if (!atEnd) break
          return this.fail({ _tag: "NotX12", segmentIndex: this.index })
        }
        if (buffer.charCodeAt(at) !== 73 || buffer.charCodeAt(at + 1) !== 83 || buffer.charCodeAt(at + 2) !== 65) {
          return this.fail({ _tag: "NotX12", segmentIndex: this.index })
        }
        if (buffer.length - at < isaLength) {
          if (!atEnd) break
          return this.fail({
            _tag: "BadIsa",
            segmentIndex: this.index,
            detail: "ISA is shorter than 106 characters"
          })
        }
        const delimiters = readDelimiters(buffer.slice(at, at + isaLength))
        if (typeof delimiters === "string") {
          return this.fail({ _tag: "BadIsa", segmentIndex: this.index, detail: delimiters })
        }
        this.delimiters = delimiters
      }
      const delimiters = this.delimiters
      const end = buffer.indexOf(delimiters.segment, at)
      if (end < 0) {
        if (buffer.length - at > this.maxSegmentLength) {
          return this.fail({ _tag: "SegmentTooLong", segmentIndex: this.index, limit: this.maxSegmentLength })
        }
        if (!atEnd) break
        this.warnings.push({ code: "missing-terminator", segmentIndex: this.index })
        onSegment(this.segment(buffer.slice(at).trimEnd(), delimiters))
        at = buffer.length
        break
      }
      if (end - at > this.maxSegmentLength) {
        return this.fail({ _tag: "SegmentTooLong", segmentIndex: this.index, limit: this.maxSegmentLength })
      }
      let text = buffer.slice(at, end)
      // A newline terminator after CRLF line ends leaves a carriage return behind.
      if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1)
      at = end + delimiters.segment.length
      const segment = this.segment(text, delimiters)
      onSegment(segment)
      // The next interchange may use other delimiters.
      if (segment.id === "IEA") this.delimiters = undefined
    }
    this.buffer = at >= buffer.length ? "" : buffer.slice(at)
    buffer = ""
    // Empty or blank input is not X12 either.
    if (atEnd && this.index === 0) return this.fail({ _tag: "NotX12", segmentIndex: 0 })
    return undefined
  }

  private segment(text: string, delimiters: Delimiters): Segment {
    const elements = text.split(delimiters.element)
    return { id: elements[0] ?? "", elements, index: this.index++, delimiters }
  }
}

/**
 * Splits a whole text.
 *
 * @since 0.1.0
 */
export const split = (
  text: string,
  maxSegmentLength?: number
): {
  readonly segments: ReadonlyArray<Segment>
  readonly failure?: SplitFailure
  readonly warnings: ReadonlyArray<SplitWarning>
} => {
  const splitter = new Splitter(maxSegmentLength)
  const segments: Array<Segment> = []
  const add = (segment: Segment) => {
    segments.push(segment)
  }
  const failure = splitter.push(text, add) ?? splitter.end(add)
  return { segments, ...(failure === undefined ? {} : { failure }), warnings: splitter.warnings }
}
