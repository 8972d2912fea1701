import { Effect } from "effect"

/** Batches larger than this show their progress on standard error. */
export const progressThreshold = 200

/** Work is done in chunks of this many items, with the progress reported after each. */
export const chunkSize = 200

const barWidth = 30

/**
 * Progress on standard error, for a batch over the threshold: a bar redrawn in place when standard error is a
 * terminal, otherwise a plain line per step (`scrubbed 400/10000`), so logs stay readable. Standard output is
 * left to the report.
 */
export const makeProgress = (verb: string, total: number) => {
  const shown = total > progressThreshold
  const tty = process.stderr.isTTY === true
  const write = (text: string) => Effect.sync(() => void process.stderr.write(text))
  return {
    update: (done: number): Effect.Effect<void> => {
      if (!shown) return Effect.void
      if (!tty) return write(`${verb} ${done}/${total}\n`)
      const filled = Math.round((done / total) * barWidth)
      const percent = Math.floor((done / total) * 100)
      return write(
        `\r\u001b[2K${verb} [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${done}/${total} ${percent}%`
      )
    },
    /** Ends the bar's line (a terminal only). */
    end: shown && tty ? write("\n") : Effect.void
  }
}

/** Runs `f` on each chunk of items in turn, reporting the progress after each, and returns the results in order. */
export const inChunks = <A, B, E, R>(
  verb: string,
  chunks: ReadonlyArray<ReadonlyArray<A>>,
  f: (chunk: ReadonlyArray<A>) => Effect.Effect<B, E, R>
): Effect.Effect<Array<B>, E, R> =>
  Effect.suspend(() => {
    const progress = makeProgress(
      verb,
      chunks.reduce((sum, chunk) => sum + chunk.length, 0)
    )
    return Effect.gen(function* () {
      const results: Array<B> = []
      let done = 0
      for (const chunk of chunks) {
        results.push(yield* f(chunk))
        done += chunk.length
        yield* progress.update(done)
      }
      return results
    }).pipe(Effect.ensuring(progress.end))
  })

/** `items` in chunks of `size`. */
export const chunksOf = <A>(items: ReadonlyArray<A>, size = chunkSize): Array<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
