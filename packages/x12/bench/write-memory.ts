// Child process of the bench: writes an 837P of N claims to a file as the claims come (Claim837.write837Chunks,
// or Claim837.stream837), each claim made when the writer asks for it, so no batch is ever held; "claims only"
// makes the same claims and writes nothing, the baseline. Reports the peak resident memory above the start
// (sampled on every piece of text and every 20 ms).
//   node --expose-gc bench/write-memory.ts <file> <claims> [chunks|effect|claims-only]
import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { Claim837 } from "@openrcm/x12"
import { Result, Stream } from "effect"
import { claim837, header837 } from "./generate.ts"

const file = process.argv[2] as string
const claims = Number(process.argv[3])
const mode = process.argv[4] ?? "chunks"
const controls = { interchange: "000000001", group: "1", transaction: "0001" }
const options = { date: "20251127", time: "1200", sender: "RBH0001", receiver: "CLEARHOUSE", usage: "P" as const }

globalThis.gc?.()
const before = process.memoryUsage().rss
let peak = before
let retainedPeak = 0
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss)
}
const timer = setInterval(sample, 20)
// With BENCH_RETAINED=1, the heap still used after a full collection every 100,000 claims (flat means nothing
// accumulates). Those collections lower the resident peak, so the bench takes the peak from a run without them.
const retained = process.env.BENCH_RETAINED === "1"
function* made() {
  for (let i = 0; i < claims; i++) {
    if (i % 100_000 === 99_999 && retained && globalThis.gc !== undefined) {
      sample()
      globalThis.gc()
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed)
    }
    yield claim837(i)
  }
}
const start = performance.now()
let bytes = 0
if (mode === "claims-only") {
  for (const claim of made()) {
    bytes += claim.claim.lines.length
    if (bytes % 1_000 === 0) sample()
  }
} else {
  const text: AsyncIterable<string> =
    mode === "effect"
      ? // Claims pulled 64 at a time (Stream.fromIterable's default takes 4,096).
        Stream.toAsyncIterable(
          Claim837.stream837(header837, Stream.fromIterable(made(), { chunkSize: 64 }), controls, options)
        )
      : (() => {
          const written = Claim837.write837Chunks(header837, made(), controls, options)
          if (Result.isFailure(written)) throw new Error("the bench batch did not validate")
          return written.success
        })()
  const out = createWriteStream(file)
  for await (const piece of text) {
    bytes += piece.length
    sample()
    if (!out.write(piece)) await once(out, "drain")
  }
  out.end()
  await once(out, "finish")
}
clearInterval(timer)
sample()
const seconds = (performance.now() - start) / 1000
console.log(
  JSON.stringify({
    mode,
    claims,
    bytes,
    seconds,
    claimsPerSecond: claims / seconds,
    peakAboveStartMB: (peak - before) / 1048576,
    retainedHeapMB: retainedPeak / 1048576
  })
)
