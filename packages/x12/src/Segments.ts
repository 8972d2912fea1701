/**
 * Segments from text: the delimiters are read from each ISA (a fixed-width segment), segments end at the
 * terminator whatever follows it (newlines, CRLF, indentation), a UTF-8 BOM is skipped, and each new interchange
 * may use other delimiters. `Splitter` takes text in chunks of any size, down to one character, and yields the
 * same segments as the whole text would. It holds at most one unfinished segment, bounded by `maxSegmentLength`.
 *
 * @since 0.1.0
 */
import { Scanner } from "./internal/view.js"

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

/**
 * Splits text into segments, in chunks.
 *
 * @since 0.1.0
 */
export class Splitter {
  private readonly scanner: Scanner
  readonly warnings: Array<SplitWarning>

  constructor(maxSegmentLength = 1_048_576) {
    this.scanner = new Scanner(maxSegmentLength)
    this.warnings = this.scanner.warnings
  }

  /**
   * Hands each segment completed by this chunk to `onSegment` as it is found (no array of a chunk's segments is
   * built: a whole file pushed at once is still read segment by segment). A failure stops the splitter.
   */
  push(text: string, onSegment: (segment: Segment) => void): SplitFailure | undefined {
    return this.scanner.push(text, (view) => onSegment(view.toSegment()))
  }

  /** The end of the input: an unterminated last segment is kept, with a warning. */
  end(onSegment: (segment: Segment) => void): SplitFailure | undefined {
    return this.scanner.end((view) => onSegment(view.toSegment()))
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
