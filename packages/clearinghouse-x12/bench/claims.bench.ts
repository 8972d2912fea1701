// pnpm bench: claims built (ClaimBuild.build), scrubbed (Scrub.scrub) and written as 837P (Batch837.writeWith, in
// interchanges of 5,000 claims as a clearinghouse takes them) per second, for 10,000 and 100,000 claims, each step
// alone and the three end to end, against a baseline measured in the same run: the same work hand-written in plain
// loops (bench/claims-baseline.ts). Baseline and library run in alternate rounds, so both see the same load on a
// shared machine; figures are medians, and the ratio is the median of the rounds' library ÷ baseline times.
//
// Targets (the claims issue, on a 2-core machine): scrub alone at least 500,000 claims a second, and build + scrub
// + 837P at least 80,000 claims a second. Figures are given on one thread, then on two worker threads (the
// sessions split by patient, each thread building, scrubbing and writing its half), clearly labelled.
//
// Before anything is timed the bench checks the path it measures: the build gives the claims the visits should
// (one a visit, none for a session without a rate); the scrub finds what was put in the data and nothing else,
// and holds the same claims as the baseline; every interchange the library writes equals the baseline's byte for
// byte, and a sample is read back by @openrcm/x12 (strictly) with no problems, the same claims and charges.
//
// Runs on the built packages (the root `pnpm bench` builds first). CLAIMS_BENCH_PROFILE=pipeline (or build, scrub,
// write) runs only that step of the library on 100,000 claims in a loop, for `node --cpu-prof`.
import { availableParallelism, loadavg } from "node:os"
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads"
import * as Batch837 from "@openrcm/clearinghouse-x12/Batch837"
import { type Claim, ClaimBuild, type Clearinghouse, Scrub } from "@openrcm/core"
import { X12 } from "@openrcm/x12"
import { Result } from "effect"
import * as B from "./claims-baseline.ts"
import * as D from "./claims-data.ts"

const sizes = [10_000, 100_000] as const
const scrubTarget = 500_000
const pipelineTarget = 80_000
const gc = (globalThis as { gc?: () => void }).gc

// ---------------------------------------------------------------------------------------------------------------
// The work

let sink = 0

const writeLibrary = (n: number, batch: Clearinghouse.ClaimBatch): number => {
  const written = Batch837.writeWith(batch, D.parties, D.controlsOf(n), D.stampAt)
  if (Result.isFailure(written)) throw new Error(`837P refused: ${written.failure.message}`)
  return written.success.text.length
}
const writeBaseline = (n: number, batch: Clearinghouse.ClaimBatch): number =>
  B.write837(batch, D.parties, D.controlsOf(n), D.stampAt).length

interface PipelineResult {
  readonly claims: number
  readonly held: number
  readonly written: number
  readonly interchanges: number
  readonly bytes: number
}

/** Build, then scrub each claim and write those nothing blocks, 5,000 to an interchange. */
const pipeline = (
  data: D.Data,
  build: (data: D.Data) => ReadonlyArray<Claim.Claim>,
  blocks: (claim: Claim.Claim, context: Scrub.ScrubContext) => boolean,
  write: (n: number, batch: Clearinghouse.ClaimBatch) => number
): PipelineResult => {
  const claims = build(data)
  let held = 0
  let written = 0
  let interchanges = 0
  let bytes = 0
  let envelopes: Array<Clearinghouse.ClaimEnvelope> = []
  for (const claim of claims) {
    if (blocks(claim, D.contextOf(data, claim))) {
      held++
      continue
    }
    envelopes.push(D.envelopeOf(claim))
    if (envelopes.length === D.batchSize) {
      bytes += write(interchanges, D.batchOf(interchanges++, envelopes))
      written += envelopes.length
      envelopes = []
    }
  }
  if (envelopes.length > 0) {
    bytes += write(interchanges, D.batchOf(interchanges++, envelopes))
    written += envelopes.length
  }
  return { claims: claims.length, held, written, interchanges, bytes }
}

const buildLibrary = (data: D.Data) => ClaimBuild.build(data.sessions, data.buildContext).claims
const baselineSchedules = B.schedulesOf(D.feeSchedules)
const buildBaseline = (data: D.Data) => B.build(data.sessions, baselineSchedules, data.buildContext)
const blocksLibrary = (claim: Claim.Claim, context: Scrub.ScrubContext) => Scrub.scrub(claim, context).blocking
const blocksBaseline = (claim: Claim.Claim, context: Scrub.ScrubContext) => B.scrub(claim, context) >= 1_000

/** A size's data, and what each step alone takes as input (built, scrubbed and batched once, untimed). */
const prepare = (size: number, shard = 0, shards = 1) => {
  const data = D.makeData(size, shard, shards)
  const built = ClaimBuild.build(data.sessions, data.buildContext)
  D.setSentHistory(data, built.claims)
  const claims = built.claims
  const contexts = claims.map((claim) => D.contextOf(data, claim))
  const results = claims.map((claim, i) => Scrub.scrub(claim, contexts[i] as Scrub.ScrubContext))
  const ready = claims.filter((_, i) => !(results[i] as Scrub.ScrubResult).blocking).map(D.envelopeOf)
  const batches: Array<Clearinghouse.ClaimBatch> = []
  for (let at = 0; at < ready.length; at += D.batchSize)
    batches.push(D.batchOf(batches.length, ready.slice(at, at + D.batchSize)))
  const written = ready.length
  const runners = {
    build: {
      library: () => {
        sink += buildLibrary(data).length
      },
      baseline: () => {
        sink += buildBaseline(data).length
      }
    },
    scrub: {
      library: () => {
        for (let i = 0; i < claims.length; i++)
          sink += Scrub.scrub(claims[i] as Claim.Claim, contexts[i] as Scrub.ScrubContext).findings.length
      },
      baseline: () => {
        for (let i = 0; i < claims.length; i++)
          sink += B.scrub(claims[i] as Claim.Claim, contexts[i] as Scrub.ScrubContext)
      }
    },
    write: {
      library: () => {
        for (let n = 0; n < batches.length; n++) sink += writeLibrary(n, batches[n] as Clearinghouse.ClaimBatch)
      },
      baseline: () => {
        for (let n = 0; n < batches.length; n++) sink += writeBaseline(n, batches[n] as Clearinghouse.ClaimBatch)
      }
    },
    pipeline: {
      library: () => {
        sink += pipeline(data, buildLibrary, blocksLibrary, writeLibrary).written
      },
      baseline: () => {
        sink += pipeline(data, buildBaseline, blocksBaseline, writeBaseline).written
      }
    }
  }
  return { data, built, claims, contexts, results, batches, written, runners }
}
type Prepared = ReturnType<typeof prepare>
type Step = keyof Prepared["runners"]

// ---------------------------------------------------------------------------------------------------------------
// Checks: the bench must not measure a broken path.

const fail = (message: string): never => {
  throw new Error(`claims bench: ${message}`)
}

const check = (size: number, p: Prepared) => {
  const { data, built, claims, results } = p
  // Build: one claim a visit, none for the sessions without a rate, the charges of the schedules.
  if (claims.length !== data.expectedClaims) fail(`built ${claims.length} claims, expected ${data.expectedClaims}`)
  if (built.problems.length !== data.noRateSessions || built.problems.some((x) => x._tag !== "NoRate"))
    fail(`build problems ${built.problems.length}, expected ${data.noRateSessions} NoRate`)
  const baseline = buildBaseline(data)
  const total = (cs: ReadonlyArray<Claim.Claim>) => cs.reduce((s, c) => s + c.charge, 0)
  const lines = (cs: ReadonlyArray<Claim.Claim>) => cs.reduce((s, c) => s + c.lines.length, 0)
  if (baseline.length !== claims.length || total(baseline) !== total(claims) || lines(baseline) !== lines(claims))
    fail("the baseline build does not give the same claims, lines and charges")
  // Scrub: every claim with a problem put in it has a finding, a clean one none but a possible duplicate (a
  // patient seen by two clinicians the day a claim was sent twice), and the baseline holds the same claims.
  let withFindings = 0
  let blocked = 0
  let baselineBlocked = 0
  const edits = new Map<string, number>()
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i] as Claim.Claim
    const result = results[i] as Scrub.ScrubResult
    const problem = data.problemOf(claim)
    if (result.findings.length > 0) withFindings++
    if (result.blocking) blocked++
    if (B.scrub(claim, p.contexts[i] as Scrub.ScrubContext) >= 1_000) baselineBlocked++
    for (const f of result.findings) edits.set(f.edit, (edits.get(f.edit) ?? 0) + 1)
    if (problem === undefined ? result.blocking : !result.blocking)
      fail(
        `claim ${i} (${problem ?? "no problem"}) scrubbed ${result.findings.map((f) => f.edit).join(", ") || "clean"}`
      )
  }
  if (baselineBlocked !== blocked) fail(`the baseline scrub holds ${baselineBlocked} claims, Scrub.scrub ${blocked}`)
  // 837P: each interchange equals the baseline's; the first and last read back strictly with nothing lost.
  for (let n = 0; n < p.batches.length; n++) {
    const batch = p.batches[n] as Clearinghouse.ClaimBatch
    const written = Batch837.writeWith(batch, D.parties, D.controlsOf(n), D.stampAt)
    if (Result.isFailure(written)) return fail(`interchange ${n} refused: ${written.failure.message}`)
    const text = written.success.text
    if (text !== B.write837(batch, D.parties, D.controlsOf(n), D.stampAt)) {
      const other = B.write837(batch, D.parties, D.controlsOf(n), D.stampAt)
      let at = 0
      while (text[at] === other[at]) at++
      fail(
        `interchange ${n} differs from the baseline's at ${at}: ${text.slice(at - 60, at + 60)} | ${other.slice(at - 60, at + 60)}`
      )
    }
    if (n === 0 || n === p.batches.length - 1) {
      const back = Batch837.read(text, "strict")
      if (back.problems.length > 0) fail(`interchange ${n} read back with ${back.problems.length} problems`)
      if (back.claims.length !== batch.claims.length) fail(`interchange ${n}: ${back.claims.length} claims read back`)
      back.claims.forEach((c, i) => {
        const sent = (batch.claims[i] as Clearinghouse.ClaimEnvelope).claim
        if (c.claimId !== sent.id || c.claim.claim.totalCharge !== sent.charge)
          fail(`interchange ${n}: claim ${i} read back differs`)
        if (c.claim.claim.lines.length !== sent.lines.length) fail(`interchange ${n}: claim ${i} lost lines`)
      })
      const all = X12.readText(text, { mode: "strict" })
      if (all._tag !== "Success" || all.problems.length > 0) fail(`interchange ${n} does not read as X12`)
    }
  }
  // The pipeline: the library and the baseline end to end give the same counts as the steps alone.
  const lib = pipeline(data, buildLibrary, blocksLibrary, writeLibrary)
  const base = pipeline(data, buildBaseline, blocksBaseline, writeBaseline)
  if (lib.claims !== claims.length || lib.held !== blocked || lib.written !== p.written)
    fail(`pipeline: ${lib.claims} built, ${lib.held} held, ${lib.written} written`)
  if (base.claims !== lib.claims || base.held !== lib.held || base.written !== lib.written)
    fail(`baseline pipeline: ${base.claims} built, ${base.held} held, ${base.written} written`)
  return {
    sessions: data.sessions.length,
    lines: lines(claims) / claims.length,
    withFindings,
    blocked,
    edits,
    interchanges: lib.interchanges,
    written: lib.written,
    mb: lib.bytes / 1_048_576,
    size
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

const median = (values: Array<number>): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

const time = (run: () => void): number => {
  gc?.()
  const start = performance.now()
  run()
  return (performance.now() - start) / 1000
}

/** Baseline and library in alternate rounds, after a warm-up of about 200,000 claims each (two runs at least). */
const compare = (count: number, runner: { readonly library: () => void; readonly baseline: () => void }) => {
  const warm = Math.max(2, Math.ceil(200_000 / count))
  for (let i = 0; i < warm; i++) {
    runner.baseline()
    runner.library()
  }
  const rounds = count >= 100_000 ? 5 : 11
  const baseline: Array<number> = []
  const library: Array<number> = []
  const ratios: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const b = time(runner.baseline)
    const l = time(runner.library)
    baseline.push(b)
    library.push(l)
    ratios.push(l / b)
  }
  return { library: count / median(library), baseline: count / median(baseline), ratio: median(ratios) }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const row = (label: string, library: number, baseline: number | undefined, ratio: number | undefined) =>
  `  ${label.padEnd(34)}${fmt(library).padStart(14)}${(baseline === undefined ? "" : fmt(baseline)).padStart(16)}${(ratio === undefined ? "" : fmt(ratio, 2)).padStart(12)}`

// ---------------------------------------------------------------------------------------------------------------
// Two worker threads: each prepares the sessions of half the patients, then runs what the main thread asks, when
// it asks, so both halves run at the same time; a round's rate is both halves' claims over the slower one's time.

interface Ask {
  readonly step: Step
  readonly side: "library" | "baseline"
}

const twoThreads = async (size: number) => {
  const workers = [0, 1].map((shard) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { size, shard } })
    const waiting: Array<(value: unknown) => void> = []
    worker.on("message", (value) => waiting.shift()?.(value))
    worker.on("error", (error) => {
      throw error
    })
    return { worker, next: <A>() => new Promise<A>((resolve) => waiting.push(resolve as (value: unknown) => void)) }
  })
  const counts = await Promise.all(workers.map((w) => w.next<{ claims: number }>()))
  const claims = counts.reduce((s, c) => s + c.claims, 0)
  const round = async (ask: Ask) => {
    const replies = workers.map((w) => w.next<number>())
    for (const w of workers) w.worker.postMessage(ask)
    return Math.max(...(await Promise.all(replies)))
  }
  const measure = async (step: Step) => {
    for (let i = 0; i < 2; i++) {
      await round({ step, side: "baseline" })
      await round({ step, side: "library" })
    }
    const library: Array<number> = []
    const baseline: Array<number> = []
    const ratios: Array<number> = []
    for (let i = 0; i < 7; i++) {
      const b = await round({ step, side: "baseline" })
      const l = await round({ step, side: "library" })
      baseline.push(b)
      library.push(l)
      ratios.push(l / b)
    }
    return { library: claims / median(library), baseline: claims / median(baseline), ratio: median(ratios) }
  }
  const scrub = await measure("scrub")
  const pipelineRates = await measure("pipeline")
  for (const w of workers) void w.worker.terminate()
  return { claims, scrub, pipeline: pipelineRates }
}

// ---------------------------------------------------------------------------------------------------------------

const main = async () => {
  D.checkDiagnoses()
  console.log(
    `claims: built, scrubbed and written as 837P (${fmt(D.batchSize)} claims an interchange), ${D.patientCount} patients, 5 payers on the built-in packs; load average at start ${fmt(loadavg()[0] ?? 0, 1)}`
  )
  console.log(
    "one thread; the baseline (the same work hand-written, bench/claims-baseline.ts) in alternate rounds, medians"
  )
  console.log(`  ${"".padEnd(34)}${"library".padStart(14)}${"baseline".padStart(16)}${"lib÷base".padStart(12)}`)
  console.log(`  ${"".padEnd(34)}${"claims/s".padStart(14)}${"claims/s".padStart(16)}${"time".padStart(12)}`)
  const oneThread = new Map<number, Record<Step, ReturnType<typeof compare>>>()
  for (const size of sizes) {
    const p = prepare(size)
    const c = check(size, p)
    const edits = [...c.edits].sort((a, b) => b[1] - a[1]).map(([edit, n]) => `${edit} ${fmt(n)}`)
    console.log(
      `${fmt(size)} claims (${fmt(c.sessions)} sessions, ${fmt(c.lines, 2)} lines a claim; ${fmt((100 * c.withFindings) / size, 1)}% with findings, ${fmt((100 * c.blocked) / size, 1)}% held; ${fmt(c.written)} written in ${c.interchanges} interchanges, ${fmt(c.mb, 1)} MB):`
    )
    console.log(`  findings: ${edits.join(", ")}`)
    const results = {} as Record<Step, ReturnType<typeof compare>>
    const labels: Record<Step, string> = {
      build: "build (ClaimBuild.build)",
      scrub: "scrub (Scrub.scrub)",
      write: "837P (Batch837.writeWith) †",
      pipeline: "build + scrub + 837P"
    }
    for (const step of ["build", "scrub", "write", "pipeline"] as const) {
      const count = step === "write" ? p.written : size
      const r = compare(count, p.runners[step])
      results[step] = r
      console.log(row(labels[step], r.library, r.baseline, r.ratio))
    }
    oneThread.set(size, results)
  }
  console.log("  † claims written a second (those the scrub did not hold)")
  const size = sizes[sizes.length - 1] as number
  const single = Math.min(
    ...sizes.map((n) => (oneThread.get(n) as Record<Step, ReturnType<typeof compare>>).pipeline.library)
  )
  console.log(
    single >= pipelineTarget
      ? `one thread reaches ${fmt(pipelineTarget)} claims/s end to end; two worker threads for comparison:`
      : `one thread does not reach ${fmt(pipelineTarget)} claims/s end to end (${fmt(single)} at worst): both cores, with two worker threads:`
  )
  const two = await twoThreads(size)
  console.log(
    `two worker threads, ${fmt(size)} claims (the sessions split by patient; each thread builds, scrubs and writes its half; a round's rate is all claims over the slower thread's time):`
  )
  const one = oneThread.get(size) as Record<Step, ReturnType<typeof compare>>
  const scaling = (two: number, one: number) => `  (${fmt(two / one, 2)}× one thread)`
  console.log(
    row("scrub", two.scrub.library, two.scrub.baseline, two.scrub.ratio) + scaling(two.scrub.library, one.scrub.library)
  )
  console.log(
    row("build + scrub + 837P", two.pipeline.library, two.pipeline.baseline, two.pipeline.ratio) +
      scaling(two.pipeline.library, one.pipeline.library)
  )
  const verdict = (rate: number, target: number) =>
    `${fmt(rate)} (${rate >= target ? "met" : "NOT met"}, ${fmt(rate / target, 2)}× the target)`
  const small = oneThread.get(sizes[0]) as Record<Step, ReturnType<typeof compare>>
  const large = one
  console.log(
    `targets (the issue's are for 2 cores; this machine: ${availableParallelism()} cores, load average ${fmt(loadavg()[0] ?? 0, 1)}):`
  )
  console.log(
    `  scrub ≥ ${fmt(scrubTarget)} claims/s: one thread ${verdict(small.scrub.library, scrubTarget)} at 10,000, ${verdict(large.scrub.library, scrubTarget)} at 100,000; two threads ${verdict(two.scrub.library, scrubTarget)}`
  )
  console.log(
    `  build + scrub + 837P ≥ ${fmt(pipelineTarget)} claims/s: one thread ${verdict(small.pipeline.library, pipelineTarget)} at 10,000, ${verdict(large.pipeline.library, pipelineTarget)} at 100,000; two threads ${verdict(two.pipeline.library, pipelineTarget)} at 100,000`
  )
  if (sink < 0) console.log(sink)
}

const profile = (step: Step) => {
  const p = prepare(100_000)
  const start = performance.now()
  let runs = 0
  while (performance.now() - start < 20_000) {
    p.runners[step].library()
    runs++
  }
  console.log(`${step}: ${runs} runs of 100,000 claims in ${fmt((performance.now() - start) / 1000, 1)} s`)
}

if (isMainThread) {
  const step = process.env.CLAIMS_BENCH_PROFILE
  if (step !== undefined) profile(step as Step)
  else await main()
} else {
  const { size, shard } = workerData as { size: number; shard: number }
  const p = prepare(size, shard, 2)
  if (p.claims.length !== p.data.expectedClaims) fail(`thread ${shard} built ${p.claims.length} claims`)
  parentPort?.on("message", (ask: Ask) => {
    parentPort?.postMessage(time(p.runners[ask.step][ask.side]))
  })
  parentPort?.postMessage({ claims: p.claims.length })
}
