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

// Every contender is measured the same way. Warmed up first: runs for at least 0.5 s (at least one run), so a
// small file measures the code once the JIT has compiled it, not the first calls. Then each round repeats the
// read until it has taken 0.2 s (at least once) and counts the time per read: a read of a small file takes a few
// milliseconds, and whether a collection falls into it is luck (node-x12 at 1,000 claims swings from about 5
// to 28 MB/s run to run); over many reads, each parser pays for the garbage it makes.
const median = (run: () => void, rounds: number): number => {
  const warm = performance.now() + 500
  do run()
  while (performance.now() < warm)
  const times: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    let reads = 0
    do {
      run()
      reads++
    } while (performance.now() - start < 200)
    times.push((performance.now() - start) / 1000 / reads)
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
  const rounds = claims >= 100_000 ? 5 : 7
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
  }, rounds)
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
  let read = 0
  const reading = median(() => {
    const result = X12.readText(text)
    read = result._tag === "Success" ? (result.interchanges[0]?.groups[0]?.transactions[0]?.items.length ?? 0) : -1
  }, rounds)
  if (read !== claims) throw new Error(`read ${read} claims of ${claims}`)
  const size = mb(text.length)
  console.log(`  ${fmt(claims)} claims, ${fmt(size, 1)} MB:`)
  console.log(`    writing   ${fmt(claims / writing)} claims/s (target ≥ 100,000)`)
  console.log(`    reading   ${fmt(size / reading, 1)} MB/s, ${fmt(claims / reading)} claims/s (target ≥ 25 MB/s)`)
}

// The streaming writer, in a separate process: claims made one by one as the writer asks, text written to a
// file; beside it, the same process making the same claims and writing nothing.
const writeMemory = (claims: number) => {
  const dir = mkdtempSync(join(tmpdir(), "openrcm-x12-bench-"))
  const run = (mode: string, retained = false) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ["--expose-gc", join(import.meta.dirname, "write-memory.ts"), join(dir, "out.837"), String(claims), mode],
        { encoding: "utf8", maxBuffer: 1 << 20, env: { ...process.env, BENCH_RETAINED: retained ? "1" : "0" } }
      )
    ) as { claimsPerSecond: number; bytes: number; peakAboveStartMB: number; retainedHeapMB: number }
  const baseline = run("claims-only")
  for (const mode of ["chunks", "effect"]) {
    const report = { ...run(mode), retainedHeapMB: run(mode, true).retainedHeapMB }
    console.log(
      `  streaming ${fmt(claims)} claims to a file with ${mode === "effect" ? "stream837 (Effect)" : "write837Chunks"}: ${fmt(report.claimsPerSecond)} claims/s, ${fmt(mb(report.bytes))} MB; peak ${fmt(report.peakAboveStartMB, 1)} MB above the start, making the claims alone ${fmt(baseline.peakAboveStartMB, 1)} MB: writing adds ${fmt(report.peakAboveStartMB - baseline.peakAboveStartMB, 1)} MB (target ≤ 50 MB); heap retained after a full GC at most ${fmt(report.retainedHeapMB, 1)} MB`
    )
  }
  rmSync(dir, { recursive: true, force: true })
}
writeMemory(100_000)
if (process.env.BENCH_SKIP_LARGE !== "1") writeMemory(1_000_000)

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
    const run = (retained: boolean) =>
      JSON.parse(
        execFileSync(process.execPath, ["--expose-gc", join(import.meta.dirname, "stream-memory.ts"), file, api], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
          env: { ...process.env, BENCH_RETAINED: retained ? "1" : "0" }
        })
      ) as { items: number; seconds: number; peakAboveStartMB: number; peakRssMB: number; retainedHeapMB: number }
    const report = { ...run(false), retainedHeapMB: run(true).retainedHeapMB }
    if (report.items !== claims) throw new Error(`streamed ${report.items} claims of ${claims}`)
    console.log(
      `  ${api === "effect" ? "X12.stream (Effect)" : "X12.readChunks"}: streaming ${fmt(mb(bytes))} MB (${fmt(report.items)} claims) from a file in ${fmt(report.seconds, 1)} s, ${fmt(mb(bytes) / report.seconds, 1)} MB/s: peak memory ${fmt(report.peakAboveStartMB, 1)} MB above the start (target ≤ 100 MB), RSS ${fmt(report.peakRssMB)} MB; heap retained after a full GC at most ${fmt(report.retainedHeapMB, 1)} MB, sampled every 200,000 claims`
    )
  }
  rmSync(dir, { recursive: true, force: true })
}
