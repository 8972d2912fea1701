// Child process of the bench: reads an X12 file through X12.readChunks (or, given "effect", X12.stream) and
// reports the peak resident memory above what the process used before reading.
//   node --expose-gc bench/stream-memory.ts <file> [readChunks|effect] [file|sync]
// "file" reads with fs.createReadStream (Node's default 64 KiB chunks); "sync" with readSync, without streams.
import { createReadStream, openSync, readSync } from "node:fs"
import { X12 } from "@openrcm/x12"
import { Effect, Stream } from "effect"

const file = process.argv[2] as string
const api = process.argv[3] === "effect" ? "effect" : "readChunks"
const source = process.argv[4] === "sync" ? "sync" : "file"
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
const chunks = function* () {
  const fd = openSync(file, "r")
  for (;;) {
    const buffer = new Uint8Array(1 << 16)
    const n = readSync(fd, buffer)
    if (n === 0) return
    bytes += n
    yield buffer.subarray(0, n)
  }
}
// What the reader holds on to: heap still used after a full collection, every 200,000 claims. Flat means
// nothing accumulates; the resident peak above also counts garbage V8 has not collected yet.
let retainedPeak = 0
const onEvent = (event: X12.Event) => {
  if (event._tag === "Item" && ++items % 200_000 === 0 && globalThis.gc !== undefined) {
    globalThis.gc()
    retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed)
  }
}
const fromFile = () => counted(createReadStream(file))
if (api === "effect")
  await Effect.runPromise(
    X12.stream(
      source === "sync" ? Stream.fromIterable(chunks()) : Stream.fromAsyncIterable(fromFile(), (cause) => cause)
    ).pipe(Stream.runForEach((event) => Effect.sync(() => onEvent(event))))
  )
else for await (const event of X12.readChunks(source === "sync" ? chunks() : fromFile())) onEvent(event)
clearInterval(sample)
peak = Math.max(peak, process.memoryUsage().rss)
const seconds = (performance.now() - start) / 1000
console.log(
  JSON.stringify({
    api,
    source,
    items,
    bytes,
    seconds,
    peakAboveStartMB: (peak - before) / 1048576,
    peakRssMB: peak / 1048576,
    retainedHeapMB: retainedPeak / 1048576
  })
)
