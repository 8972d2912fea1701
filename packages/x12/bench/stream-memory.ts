// Child process of the bench: reads an X12 file through X12.readChunks (or, given "effect", X12.stream) and
// reports the peak resident memory above what the process used before reading.
//   node --expose-gc bench/stream-memory.ts <file> [readChunks|effect]
// The file is read with fs.createReadStream, in Node's default 64 KiB chunks.
import { createReadStream } from "node:fs"
import { X12 } from "@openrcm/x12"
import type { Event } from "@openrcm/x12/Reader"
import { Effect, Stream } from "effect"

const file = process.argv[2] as string
const api = process.argv[3] === "effect" ? "effect" : "readChunks"
globalThis.gc?.()
const before = process.memoryUsage().rss
let peak = before
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 20)
const start = performance.now()
let items = 0
let bytes = 0
const counted = async function* (chunks: AsyncIterable<Uint8Array>) {
  for await (const chunk of chunks) {
    bytes += chunk.length
    yield chunk
  }
}
// With BENCH_RETAINED=1, what the reader holds on to: heap still used after a full collection, every 200,000
// claims (flat means nothing accumulates). Those collections lower the resident peak, so the bench takes the
// peak from a run without them.
const retained = process.env.BENCH_RETAINED === "1"
let retainedPeak = 0
const onEvent = (event: Event) => {
  if (event._tag === "Item" && ++items % 200_000 === 0 && retained && globalThis.gc !== undefined) {
    globalThis.gc()
    retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed)
  }
}
const fromFile = () => counted(createReadStream(file))
if (api === "effect")
  await Effect.runPromise(
    X12.stream(Stream.fromAsyncIterable(fromFile(), (cause) => cause)).pipe(
      Stream.runForEach((event) => Effect.sync(() => onEvent(event)))
    )
  )
else for await (const event of X12.readChunks(fromFile())) onEvent(event)
clearInterval(sample)
peak = Math.max(peak, process.memoryUsage().rss)
const seconds = (performance.now() - start) / 1000
console.log(
  JSON.stringify({
    api,
    items,
    bytes,
    seconds,
    peakAboveStartMB: (peak - before) / 1048576,
    peakRssMB: peak / 1048576,
    retainedHeapMB: retainedPeak / 1048576
  })
)
