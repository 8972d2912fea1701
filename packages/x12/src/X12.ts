/**
 * Reading X12, three ways with one result: a whole text (`readText`), chunks from any async source
 * (`readChunks`, for files of any size), or an Effect `Stream` (`stream`). Every transaction set OpenRCM knows
 * (835, 837P, 271, 277/277CA, 999) comes out typed; problems come with their position. `readText` never throws:
 * input it cannot read on from is a `Failure` with an `X12ParseError`.
 *
 * @since 0.1.0
 */
import { Array as Arr, Cause, Effect, Pull, Stream } from "effect"
import { make999 } from "./Ack999.js"
import { make837 } from "./Claim837.js"
import { make277 } from "./ClaimStatus277.js"
import { make271 } from "./Eligibility271.js"
import type { Group, Interchange, TransactionHeader } from "./Envelope.js"
import { type Problem, X12ParseError } from "./Problem.js"
import { type Event, type Models, Reader, type Options as ReaderOptions } from "./Reader.js"
import { make835 } from "./Remittance.js"
import type { Segment } from "./Segments.js"

/**
 * The typed models of the transaction sets OpenRCM reads, by ST01.
 *
 * @since 0.1.0
 */
export const models: Models = { "835": make835, "837": make837, "271": make271, "277": make277, "999": make999 }

/**
 * @since 0.1.0
 */
export interface Options {
  /** `strict` stops at the first error; `tolerant` (the default) recovers and reports every problem. */
  readonly mode?: "strict" | "tolerant"
  readonly maxSegmentLength?: number
  /**
   * The most problems reported, errors and warnings alike: one more stops the read with an `X12ParseError` whose
   * problem is `too-many-problems`. The bound guards memory, so its default depends on whether problems are kept:
   * `readText` (and `read`) keep them, and stop past 100,000 (`Reader.defaultMaxProblems`, about 20 MB of
   * problems); `readChunks` and `stream` keep none (each is an event) and have no bound by default, so a tolerant
   * read of any file reads to its end. Given, it applies to all alike (the same options give the same result);
   * `Infinity` lifts it. See `Reader.Options.maxProblems`.
   */
  readonly maxProblems?: number
}

/**
 * A transaction set: its header, the items its model emitted as it read (an 835's claims, an 837's claims), and
 * what the model returned at SE (an 835's payment and totals, a 271's benefits, a 999's responses).
 *
 * @since 0.1.0
 */
export interface Transaction {
  readonly header: TransactionHeader
  readonly items: ReadonlyArray<unknown>
  readonly model: unknown
  readonly segmentCount: number
}

/**
 * @since 0.1.0
 */
export interface InterchangeResult {
  readonly interchange: Interchange
  readonly groups: ReadonlyArray<{ readonly group: Group; readonly transactions: ReadonlyArray<Transaction> }>
  /** TA1 segments: interchange acknowledgments. */
  readonly acknowledgments: ReadonlyArray<Segment>
}

/**
 * @since 0.1.0
 */
export type ReadResult =
  | {
      readonly _tag: "Success"
      readonly interchanges: ReadonlyArray<InterchangeResult>
      readonly problems: ReadonlyArray<Problem>
    }
  | { readonly _tag: "Failure"; readonly error: X12ParseError; readonly problems: ReadonlyArray<Problem> }

const readerOptions = (options?: Options): ReaderOptions => ({
  models,
  ...(options?.mode === undefined ? {} : { mode: options.mode }),
  ...(options?.maxSegmentLength === undefined ? {} : { maxSegmentLength: options.maxSegmentLength }),
  ...(options?.maxProblems === undefined ? {} : { maxProblems: options.maxProblems })
})

/** The reader of `readChunks` and `stream`: its items and problems go out as events, so it keeps and shares none. */
const streamingReaderOptions = (options?: Options): ReaderOptions => ({
  ...readerOptions(options),
  keepProblems: false,
  shareValues: false
})

/**
 * Gathers events into interchanges, groups and transactions (what a whole-text read returns).
 *
 * @since 0.1.0
 */
export class Collector {
  readonly interchanges: Array<InterchangeResult> = []
  private items: Array<unknown> = []

  add(event: Event): void {
    switch (event._tag) {
      case "Interchange":
        this.interchanges.push({ interchange: event.interchange, groups: [], acknowledgments: [] })
        return
      case "Group":
        this.current()?.groups.push({ group: event.group, transactions: [] })
        return
      case "Item":
        this.items.push(event.item)
        return
      case "Transaction": {
        const interchange = this.current()
        const group = interchange?.groups.at(-1) as { transactions: Array<Transaction> } | undefined
        group?.transactions.push({
          header: event.header,
          items: this.items,
          model: event.model,
          segmentCount: event.segmentCount
        })
        this.items = []
        return
      }
      case "InterchangeAcknowledgment":
        this.current()?.acknowledgments.push(event.segment)
        return
      case "Problem":
        return
    }
  }

  private current() {
    return this.interchanges.at(-1) as
      | { groups: Array<{ group: Group; transactions: Array<Transaction> }>; acknowledgments: Array<Segment> }
      | undefined
  }
}

/**
 * Reads a whole text. Never throws. Its problems are kept (in the result), so they are bounded: past `maxProblems`
 * (100,000 by default) the read is a `Failure` with `too-many-problems`.
 *
 * @since 0.1.0
 */
export const readText = (text: string, options?: Options): ReadResult => {
  const collector = new Collector()
  const reader = new Reader(readerOptions(options), (event) => collector.add(event))
  try {
    reader.push(text)
    reader.end()
  } catch (error) {
    if (error instanceof X12ParseError) return { _tag: "Failure", error, problems: reader.problems }
    throw error
  }
  return { _tag: "Success", interchanges: collector.interchanges, problems: reader.problems }
}

/** The most input `readChunks` and `stream` give the reader at once. */
const readSlice = 1 << 13

/**
 * A chunk's text, in slices of at most `readSlice`, each handed to the reader and its events given out before
 * the next: the claims alive at any moment stay few whatever the chunk size, so they die young instead of
 * surviving collections and growing V8's young generation. Bytes are sliced before they are decoded: a string of
 * a megabyte would go to the large-object space, which only a full collection frees.
 */
const slicerFor = () => {
  const decoder = new TextDecoder("utf-8")
  const decode = (chunk: string | Uint8Array, done: boolean): string =>
    typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: !done })
  return {
    *slices(chunk: string | Uint8Array): Generator<string, void, undefined> {
      if (chunk.length <= readSlice) yield decode(chunk, false)
      else
        for (let at = 0; at < chunk.length; at += readSlice)
          yield decode(
            typeof chunk === "string" ? chunk.slice(at, at + readSlice) : chunk.subarray(at, at + readSlice),
            false
          )
    },
    /** What the decoder still holds: the bytes of a character the input cut short. */
    rest: (): string => decode(new Uint8Array(0), true)
  }
}

/**
 * Reads chunks (strings or bytes) from any async source, yielding events as they complete: memory stays flat
 * whatever the input's size (a 1 GB 835 reads in under 100 MB; see the package's bench). Problems are events, none
 * kept, so there is no bound on them unless `maxProblems` is given. Throws `X12ParseError` where `readText`, given
 * the same options, would return a `Failure`.
 *
 * @since 0.1.0
 */
export async function* readChunks(
  source: AsyncIterable<string | Uint8Array>,
  options?: Options
): AsyncGenerator<Event> {
  const reader = new Reader(streamingReaderOptions(options))
  const slicer = slicerFor()
  for await (const chunk of source) for (const text of slicer.slices(chunk)) yield* reader.push(text)
  yield* reader.push(slicer.rest())
  yield* reader.end()
  reader.done()
}

/**
 * The Effect way: a stream of chunks in, a stream of events out, failing with `X12ParseError`. Like `readChunks`,
 * it keeps no problem and has no bound on them unless `maxProblems` is given.
 *
 * @since 0.1.0
 */
export const stream = <E, R>(
  source: Stream.Stream<string | Uint8Array, E, R>,
  options?: Options
): Stream.Stream<Event, E | X12ParseError, R> =>
  // A pull of its own rather than a pipeline of stream operators: each pull reads one slice and hands its
  // events on, so the input and the claims alive at any moment stay as few as in `readChunks` (the operators held
  // chunks across collections and let V8 grow the young generation past 100 MB on a 1 GB file).
  Stream.transformPull(source, (pull) =>
    Effect.sync(() => {
      const reader = new Reader(streamingReaderOptions(options))
      const slicer = slicerFor()
      let waiting: Array<string> = []
      let next = 0
      // Past the input: the decoder's rest (a last slice), then `end`, then `done` (the error that stopped the read,
      // if any): each call's events go out before the next call may throw.
      let phase: "reading" | "ending" | "ended" = "reading"
      // The reader signals input it cannot read on from with X12ParseError; anything else is a bug, a defect.
      const read = (run: () => ReadonlyArray<Event>): Effect.Effect<ReadonlyArray<Event>, X12ParseError> => {
        try {
          return Effect.succeed(run())
        } catch (error) {
          return error instanceof X12ParseError ? Effect.fail(error) : Effect.die(error)
        }
      }
      const step: Pull.Pull<Arr.NonEmptyReadonlyArray<Event>, E | X12ParseError> = Effect.suspend(() => {
        if (next < waiting.length) {
          const text = waiting[next++] as string
          return Effect.flatMap(
            read(() => reader.push(text)),
            (events) => (Arr.isReadonlyArrayNonEmpty(events) ? Effect.succeed(events) : step)
          )
        }
        if (phase === "ending") {
          phase = "ended"
          return Effect.flatMap(
            read(() => reader.end()),
            (events) => (Arr.isReadonlyArrayNonEmpty(events) ? Effect.succeed(events) : step)
          )
        }
        if (phase === "ended") {
          return Effect.flatMap(
            read(() => {
              reader.done()
              return []
            }),
            () => Cause.done()
          )
        }
        return pull.pipe(
          Pull.catchDone(() => Effect.succeed(undefined)),
          Effect.flatMap((chunks) => {
            if (chunks === undefined) {
              phase = "ending"
              waiting = [slicer.rest()]
              next = 0
              return step
            }
            // Decoded at once, so the chunk's bytes die young; slices are small strings.
            waiting = chunks.flatMap((chunk) => Array.from(slicer.slices(chunk)))
            next = 0
            return step
          })
        )
      })
      return step
    })
  )

/**
 * Reads a whole text in Effect, failing with `X12ParseError` where `readText` returns a `Failure`.
 *
 * @since 0.1.0
 */
export const read = (
  text: string,
  options?: Options
): Effect.Effect<Extract<ReadResult, { _tag: "Success" }>, X12ParseError> =>
  Effect.suspend(() => {
    const result = readText(text, options)
    return result._tag === "Success" ? Effect.succeed(result) : Effect.fail(result.error)
  })
