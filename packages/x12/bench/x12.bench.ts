// pnpm bench: X12 reading speed and memory, each figure beside a baseline measured in the same run.
import { execFileSync } from "node:child_process"
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { Claim837, X12 } from "@openrcm/x12"
import { Result } from "effect"
import { X12Parser } from "node-x12"
import { X12parser as StreamingParser } from "x12-parser"
import { baseline835 } from "./baseline.ts"
import { submission837, text835, write835 } from "./generate.ts"

const mb = (bytes: number) => bytes / 1_048_576
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

const median = (run: () => void, rounds: number): number => {
  run()
  const times: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    run()
    times.push((performance.now() - start) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(rounds / 2)] as number
}

const viaStreamingParser = async (text: string): Promise<number> => {
  let segments = 0
  const parser = new StreamingParser()
  const done = new Promise<void>((resolve, reject) => {
    parser.on("data", () => {
      segments++
    })
    parser.on("end", () => resolve())
    parser.on("error", reject)
  })
  Readable.from(
    (function* () {
      for (let i = 0; i < text.length; i += 1 << 20) yield text.slice(i, i + (1 << 20))
    })()
  ).pipe(parser)
  await done
  return segments
}

console.log("X12 835 → typed remittance (one core, median of rounds)")
for (const claims of [1_000, 10_000, 100_000]) {
  const text = text835(claims)
  const size = mb(text.length)
  const rounds = claims >= 100_000 ? 3 : 7
  let items = 0
  const ours = median(() => {
    const result = X12.readText(text)
    items = result._tag === "Success" ? (result.interchanges[0]?.groups[0]?.transactions[0]?.items.length ?? 0) : -1
  }, rounds)
  if (items !== claims) throw new Error(`read ${items} claims of ${claims}`)
  const baseline = median(() => {
    if (baseline835(text).length !== claims) throw new Error("baseline lost claims")
  }, rounds)
  const nodeX12 = median(() => {
    new X12Parser(true).parse(text)
  }, 1)
  const start = performance.now()
  await viaStreamingParser(text)
  const streaming = (performance.now() - start) / 1000
  console.log(`  ${fmt(claims)} claims, ${fmt(size, 1)} MB:`)
  console.log(`    @openrcm/x12           ${fmt(size / ours, 1)} MB/s, ${fmt(claims / ours)} claims/s`)
  console.log(
    `    hand-written baseline   ${fmt(size / baseline, 1)} MB/s (ours takes ${fmt(ours / baseline, 2)}× its time; target ≤ 1.5×)`
  )
  console.log(
    `    node-x12 (whole file)   ${fmt(size / nodeX12, 1)} MB/s (ours is ${fmt(nodeX12 / ours, 1)}× faster; target ≥ 5×)`
  )
  console.log(
    `    x12-parser (streaming)  ${fmt(size / streaming, 1)} MB/s, segments only (ours is ${fmt(streaming / ours, 1)}× faster)`
  )
}

{
  const claims = 100_000
  const text = text835(claims)
  globalThis.gc?.()
  const before = process.memoryUsage()
  const result = X12.readText(text)
  const after = process.memoryUsage()
  const used = after.heapUsed + after.external - (before.heapUsed + before.external)
  console.log(
    `  whole-file read of ${fmt(mb(text.length), 1)} MB keeps ${fmt(mb(used), 1)} MB (${fmt(used / text.length, 1)}× the file; target ≤ 10×)${result._tag === "Success" ? "" : " FAILED"}`
  )
}

console.log("X12 837P (one core, median of rounds)")
for (const claims of [1_000, 10_000, 100_000]) {
  const submission = submission837(claims)
  const controls = { interchange: "000000001", group: "1", transaction: "0001" }
  const options = { date: "20251127", time: "1200", sender: "RBH0001", receiver: "CLEARHOUSE", usage: "P" as const }
  let text = ""
  const rounds = claims >= 100_000 ? 3 : 7
  const writing = median(() => {
    const written = Claim837.write837(submission, controls, options)
    if (Result.isFailure(written)) throw new Error("the bench batch did not validate")
    text = written.success
  }, rounds)
  // The streaming writer: segments go to a sink one by one; memory beyond the batch's own objects is measured.
  globalThis.gc?.()
  const before = process.memoryUsage()
  let peak = before.heapUsed + before.external
  // What the process commits (heap reserved by V8, external, resident), beside the heap in use: in-use counts
  // young-generation garbage not collected yet, bounded by a new space the batch's construction has already grown.
  let peakCommitted = before.heapTotal + before.external
  let peakRss = before.rss
  let bytes = 0
  const lines = Claim837.write837Lines(submission, controls, options)
  if (Result.isFailure(lines)) throw new Error("the bench batch did not validate")
  let n = 0
  for (const line of lines.success) {
    bytes += line.length
    if (++n % 10_000 === 0) {
      const now = process.memoryUsage()
      peak = Math.max(peak, now.heapUsed + now.external)
      peakCommitted = Math.max(peakCommitted, now.heapTotal + now.external)
      peakRss = Math.max(peakRss, now.rss)
    }
  }
  const streamingAdds = mb(peak - (before.heapUsed + before.external))
  const committedAdds = mb(peakCommitted - (before.heapTotal + before.external))
  const rssAdds = mb(peakRss - before.rss)
  let read = 0
  const reading = median(() => {
    const result = X12.readText(text)
    read = result._tag === "Success" ? (result.interchanges[0]?.groups[0]?.transactions[0]?.items.length ?? 0) : -1
  }, rounds)
  if (read !== claims) throw new Error(`read ${read} claims of ${claims}`)
  const size = mb(text.length)
  console.log(`  ${fmt(claims)} claims, ${fmt(size, 1)} MB:`)
  console.log(
    `    writing   ${fmt(claims / writing)} claims/s (target ≥ 100,000); streaming it adds ${fmt(streamingAdds, 1)} MB of heap in use (target ≤ 50 MB, ${fmt(mb(bytes), 1)} MB written)`
  )
  console.log(
    `              streaming: committed heap + external ${fmt(committedAdds, 1)} MB, resident ${fmt(rssAdds, 1)} MB above the start`
  )
  console.log(`    reading   ${fmt(size / reading, 1)} MB/s, ${fmt(claims / reading)} claims/s (target ≥ 25 MB/s)`)
}

// Streaming memory: a file far larger than the target, read in a separate process.
if (process.env.BENCH_SKIP_LARGE !== "1") {
  const dir = mkdtempSync(join(tmpdir(), "openrcm-x12-bench-"))
  const file = join(dir, "large.835")
  // 3,400,000 claims make 1.08 GB (over 1 GiB).
  const claims = Number(process.env.BENCH_LARGE_CLAIMS ?? 3_400_000)
  const fd = openSync(file, "w")
  const bytes = write835(claims, (t) => {
    writeSync(fd, t)
  })
  closeSync(fd)
  for (const api of ["readChunks", "effect"]) {
    const output = execFileSync(
      process.execPath,
      ["--expose-gc", join(import.meta.dirname, "stream-memory.ts"), file, api],
      { encoding: "utf8", maxBuffer: 1 << 20 }
    )
    const report = JSON.parse(output) as {
      items: number
      seconds: number
      peakAboveStartMB: number
      peakRssMB: number
      retainedHeapMB: number
    }
    if (report.items !== claims) throw new Error(`streamed ${report.items} claims of ${claims}`)
    console.log(
      `  ${api === "effect" ? "X12.stream (Effect)" : "X12.readChunks"}: streaming ${fmt(mb(bytes))} MB (${fmt(report.items)} claims) from a file in ${fmt(report.seconds, 1)} s, ${fmt(mb(bytes) / report.seconds, 1)} MB/s: peak memory ${fmt(report.peakAboveStartMB, 1)} MB above the start (target ≤ 100 MB), RSS ${fmt(report.peakRssMB)} MB; heap retained after a full GC at most ${fmt(report.retainedHeapMB, 1)} MB, sampled every 200,000 claims`
    )
  }
  rmSync(dir, { recursive: true, force: true })
}
