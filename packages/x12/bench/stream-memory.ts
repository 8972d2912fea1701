// Child process of the bench: reads an X12 file through X12.readChunks and reports the peak resident memory
// above what the process used before reading.
import { createReadStream } from "node:fs"
import { X12 } from "@openrcm/x12"

const file = process.argv[2] as string
globalThis.gc?.()
const before = process.memoryUsage().rss
let peak = before
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 20)
const start = performance.now()
let items = 0
let bytes = 0
const source = createReadStream(file, { highWaterMark: 1 << 20 })
source.on("data", (chunk) => {
  bytes += chunk.length
})
// What the reader holds on to: heap still used after a full collection, every 200,000 claims. Flat means
// nothing accumulates; the resident peak above also counts garbage V8 has not collected yet.
let retainedPeak = 0
for await (const event of X12.readChunks(source)) {
  if (event._tag === "Item" && ++items % 200_000 === 0 && globalThis.gc !== undefined) {
    globalThis.gc()
    retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed)
  }
}
clearInterval(sample)
peak = Math.max(peak, process.memoryUsage().rss)
const seconds = (performance.now() - start) / 1000
console.log(
  JSON.stringify({
    items,
    bytes,
    seconds,
    peakAboveStartMB: (peak - before) / 1048576,
    peakRssMB: peak / 1048576,
    retainedHeapMB: retainedPeak / 1048576
  })
)
