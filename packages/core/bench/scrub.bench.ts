// pnpm bench: claims scrubbed per second for a realistic batch (1-4 lines, mostly clean, about one claim in ten
// with a finding), against a baseline measured in the same run: the same edits hand-written in one plain loop
// over the same data and precomputed tables, counting problems instead of building findings. Runs on the built
// package: first on one core, then on two worker threads (the target is 500,000 claims/s on 2 cores).
import {
  Authorization,
  Claim,
  Clinician,
  Coverage,
  DateOfService,
  Organization,
  Patient,
  RulePack,
  RuleSet,
  Scrub
} from "@openrcm/core"
import { Effect, Schema } from "effect"

// node:worker_threads, typed here: the core package compiles without Node's types (it is browser-safe).
interface Port {
  postMessage(value: unknown): void
  once(event: "message", listener: (value: unknown) => void): void
}
interface Worker extends Port {
  once(event: "message" | "error", listener: (value: never) => void): void
  terminate(): Promise<number>
}
const os = (await import(["node", "os"].join(":"))) as {
  readonly availableParallelism: () => number
  readonly loadavg: () => ReadonlyArray<number>
}
const threads = (await import(["node", "worker_threads"].join(":"))) as {
  readonly isMainThread: boolean
  readonly parentPort: Port | null
  readonly workerData: unknown
  readonly Worker: new (url: URL, options: { readonly workerData: unknown }) => Worker
}
const { isMainThread, parentPort, workerData } = threads

const target = 500_000
const sizes = [10_000, 100_000] as const
const rounds = 15

// A deterministic pseudo-random mix (no Math.random: the same batch every run, in every worker).
let seed = 7
const next = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)] as A

const registry = RuleSet.makeRulePacks(RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p))))
// The host resolves each payer's chain once per date of service: two map lookups per claim.
const byPayer = new Map<string, Map<string, RuleSet.RuleSet>>()
const ruleSets = (payerId: string, dateOfService: DateOfService.DateOfService): RuleSet.RuleSet => {
  let byDate = byPayer.get(payerId)
  if (byDate === undefined) {
    byDate = new Map()
    byPayer.set(payerId, byDate)
  }
  let ruleSet = byDate.get(dateOfService)
  if (ruleSet === undefined) {
    ruleSet = Effect.runSync(registry.resolve(payerId, dateOfService))
    byDate.set(dateOfService, ruleSet)
  }
  return ruleSet
}

const asOf = DateOfService.make("2025-11-20")
const organization = Schema.decodeUnknownSync(Organization.Organization)({
  id: "org-1",
  tenantId: "t-1",
  name: "Riverbend Behavioral Health",
  npi: "1245319599",
  tin: "123456789",
  taxonomy: "261QM0801X",
  facilityType: "office",
  address: { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" }
})
const clinicians = (["LCSW", "LCSW", "PhD", "LMFT", "MD", "NP", "Bachelors"] as const).map((credential, i) =>
  Schema.decodeUnknownSync(Clinician.Clinician)({
    id: `cln-${i}`,
    tenantId: "t-1",
    npi: "1234567893",
    firstName: "Ada",
    lastName: "Therapist",
    credential,
    taxonomy: "1041C0700X",
    licenses: [],
    supervisedBy: []
  })
)
const patients = Array.from({ length: 500 }, (_, i) =>
  Schema.decodeUnknownSync(Patient.Patient)({
    id: `pat-${i}`,
    tenantId: "t-1",
    firstName: "Pat",
    lastName: `Doe${i}`,
    dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    sex: "U",
    address: { line1: "1 Main St", city: "Portland", state: "OR", postalCode: "97201" }
  })
)
const coverages = patients.map((p, i) =>
  Schema.decodeUnknownSync(Coverage.Coverage)({
    id: `cov-${i}`,
    tenantId: "t-1",
    patientId: p.id,
    payerId: "medicare",
    memberId: `MBR${100_000 + i}`,
    order: 1,
    period: { start: "2024-01-01", end: "2026-12-31" },
    planYearStart: "01-01"
  })
)
const authorization = (patientId: string, payerId: string) =>
  Schema.decodeUnknownSync(Authorization.Authorization)({
    id: `auth-${patientId}-${payerId}`,
    tenantId: "t-1",
    patientId,
    payerId,
    number: `PA-${patientId}`,
    codes: ["H2017", "H2014", "96130", "96131"],
    unitType: "units",
    approved: 400,
    period: { start: "2025-01-01", end: "2025-12-31" },
    status: "approved"
  })

interface Service {
  readonly payer: string
  readonly lines: ReadonlyArray<{
    readonly code: string
    readonly modifiers: ReadonlyArray<string>
    readonly units: number
  }>
  readonly credential: number
  readonly telehealth?: boolean
}

// What a behavioral-health practice bills, by payer: coded lines as the coding engine gives them.
const services: ReadonlyArray<Service> = [
  { payer: "medicare", lines: [{ code: "90834", modifiers: [], units: 1 }], credential: 0 },
  { payer: "medicare", lines: [{ code: "90837", modifiers: [], units: 1 }], credential: 2, telehealth: true },
  {
    payer: "medicare",
    lines: [
      { code: "90832", modifiers: [], units: 1 },
      { code: "90785", modifiers: [], units: 1 }
    ],
    credential: 1
  },
  {
    payer: "medicare",
    lines: [
      { code: "99213", modifiers: [], units: 1 },
      { code: "90836", modifiers: [], units: 1 }
    ],
    credential: 4
  },
  {
    payer: "medicare",
    lines: [
      { code: "90839", modifiers: [], units: 1 },
      { code: "90840", modifiers: [], units: 2 }
    ],
    credential: 0
  },
  { payer: "acme-health", lines: [{ code: "90834", modifiers: [], units: 1 }], credential: 3, telehealth: true },
  { payer: "acme-health", lines: [{ code: "90847", modifiers: [], units: 1 }], credential: 3 },
  { payer: "acme-health", lines: [{ code: "90791", modifiers: [], units: 1 }], credential: 2 },
  { payer: "acme-health-hmo", lines: [{ code: "90837", modifiers: [], units: 1 }], credential: 0, telehealth: true },
  { payer: "acme-health-hmo", lines: [{ code: "90853", modifiers: [], units: 1 }], credential: 1 },
  { payer: "state-medicaid-example", lines: [{ code: "H0004", modifiers: ["HO"], units: 4 }], credential: 0 },
  {
    payer: "state-medicaid-example",
    lines: [
      { code: "H0036", modifiers: ["HN"], units: 6 },
      { code: "H2014", modifiers: ["HN"], units: 4 },
      { code: "H2017", modifiers: ["HN"], units: 4 },
      { code: "T1017", modifiers: ["HN"], units: 2 }
    ],
    credential: 6
  },
  { payer: "state-medicaid-example", lines: [{ code: "H2017", modifiers: ["HO"], units: 8 }], credential: 1 },
  {
    payer: "state-medicaid-example",
    lines: [{ code: "90834", modifiers: [], units: 1 }],
    credential: 3,
    telehealth: true
  }
]
const telehealthModifier: Readonly<Record<string, string | undefined>> = {
  "acme-health": "95",
  "acme-health-hmo": "95",
  "state-medicaid-example": "GT"
}
const dates = Array.from({ length: 60 }, (_, i) => DateOfService.addDays(DateOfService.make("2025-09-22"), i))
const diagnoses = ["F41.1", "F33.1", "F43.10", "F43.23", "F90.0", "F32.A", "F10.20"]

type Problem =
  | "none"
  | "pos"
  | "modifier"
  | "add-on"
  | "units"
  | "pointer"
  | "header"
  | "late"
  | "duplicate"
  | "credential"
const problems: ReadonlyArray<Problem> = [
  "pos",
  "modifier",
  "add-on",
  "units",
  "pointer",
  "header",
  "late",
  "duplicate",
  "credential"
]

const decodeClaim = Schema.decodeUnknownSync(Claim.Claim)

const makeBatch = (size: number) => {
  const claims: Array<Claim.Claim> = []
  const contexts: Array<Scrub.ScrubContext> = []
  const sentClaims: Array<Claim.Claim> = []
  for (let n = 0; n < size; n++) {
    const service = pick(services)
    const p = Math.floor(next() * patients.length)
    const patient = patients[p] as Patient.Patient
    const problem: Problem = next() < 0.15 ? pick(problems) : "none"
    const dos = problem === "late" ? DateOfService.make("2024-03-01") : pick(dates)
    const video = service.telehealth === true && next() < 0.6
    const modifier = video ? telehealthModifier[service.payer] : undefined
    const lines = service.lines.map((l, i) => ({
      code: problem === "add-on" && i === 0 ? "90785" : l.code,
      modifiers: [...l.modifiers, ...(modifier === undefined || (problem === "modifier" && i === 0) ? [] : [modifier])],
      units: problem === "units" && i === 0 ? 40 : l.units,
      charge: 2_500 * (problem === "units" && i === 0 ? 40 : l.units),
      dateOfService: dos,
      placeOfService: video ? (problem === "pos" ? "02" : "10") : "11",
      diagnosisPointers: problem === "pointer" && i === 0 ? [3] : [1]
    }))
    const charge = lines.reduce((s, l) => s + l.charge, 0)
    const claim = decodeClaim({
      id: `clm-${n}`,
      tenantId: "t-1",
      patientId: patient.id,
      coverageId: `cov-${p}`,
      payerId: service.payer,
      billingProviderId: "org-1",
      renderingClinicianId: `cln-${service.credential}`,
      status: "draft",
      frequency: "1",
      serviceDate: dos,
      placeOfService: lines[0]?.placeOfService,
      diagnoses: problem === "header" ? ["F43.1"] : [pick(diagnoses)],
      lines,
      charge,
      balance: charge,
      createdAt: 0,
      version: 0
    })
    claims.push(claim)
    // Claims sent before: this claim itself under another id when it is a duplicate, and the patient's earlier
    // sessions (before this batch's dates), so the index is as large as a practice's recent history.
    if (problem === "duplicate") sentClaims.push(new Claim.Claim({ ...claim, id: `sent-${n}` as Claim.Claim["id"] }))
    else if (next() < 0.5) {
      sentClaims.push(
        new Claim.Claim({
          ...claim,
          id: `sent-${n}` as Claim.Claim["id"],
          serviceDate: DateOfService.addDays(dos, -70),
          lines: claim.lines.map((l) => ({ ...l, dateOfService: DateOfService.addDays(dos, -70) }))
        })
      )
    }
    const rendering = (problem === "credential" ? clinicians[0] : clinicians[service.credential]) as Clinician.Clinician
    const needsAuthorization = lines.some((l) => l.code === "H2017" || l.code === "H2014")
    contexts.push({
      ruleSets: ruleSets as Scrub.ScrubContext["ruleSets"],
      asOf,
      patient,
      coverage: coverages[p] as Coverage.Coverage,
      billingProvider: organization,
      rendering,
      delivery: video ? { mode: "video", patientLocation: "home" } : { mode: "in-person" },
      ...(needsAuthorization
        ? { authorizations: { authorizations: [authorization(patient.id, service.payer)], ledger: [] } }
        : {})
    })
  }
  const sent = Scrub.sentIndex(sentClaims)
  for (let i = 0; i < contexts.length; i++) contexts[i] = { ...(contexts[i] as Scrub.ScrubContext), sent }
  // Claims that need an authorization carry its number, as the claim builder puts it there.
  for (let i = 0; i < claims.length; i++) {
    const auth = contexts[i]?.authorizations?.authorizations[0]
    if (auth !== undefined)
      claims[i] = new Claim.Claim({ ...(claims[i] as Claim.Claim), priorAuthorization: auth.number })
  }
  return { claims, contexts }
}

// ---------------------------------------------------------------------------------------------------------------
// The baseline: the same edits written inline in one loop, over tables precomputed once (as Scrub does), counting
// problems (bench/scrub-baseline.ts, shared with the claims bench). No severities, no finding objects, no messages,
// no fixes, no sources. Imported by URL: Node runs the .ts file itself, and the core package compiles without
// `.ts` import paths.
const Baseline = (await import(
  new URL("./scrub-baseline.ts", import.meta.url).href
)) as typeof import("./scrub-baseline.js")
const baselineClaim = Baseline.scrub

// ---------------------------------------------------------------------------------------------------------------

const median = (values: Array<number>): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

const rate = (count: number, run: () => void): number => {
  const start = performance.now()
  run()
  return count / ((performance.now() - start) / 1000)
}

// The thread's own CPU time (Node 23.9+), typed here like node:os: wall time also counts the time the thread waited
// for a core, which on a machine shared with other jobs can be most of it; CPU time does not.
const threadCpuMs = (): number => {
  const usage = (
    globalThis as unknown as { readonly process: { threadCpuUsage(): { user: number; system: number } } }
  ).process.threadCpuUsage()
  return (usage.user + usage.system) / 1000
}

/** Claims a second of wall time, and a second of the thread's CPU time. */
const rates = (count: number, run: () => void): { readonly wall: number; readonly cpu: number } => {
  const start = performance.now()
  const cpu = threadCpuMs()
  run()
  return { wall: count / ((performance.now() - start) / 1000), cpu: count / ((threadCpuMs() - cpu) / 1000) }
}

const measure = (count: number, run: () => void): number => {
  for (let i = 0; i < 3; i++) run()
  return median(Array.from({ length: rounds }, () => rate(count, run)))
}

/** Baseline and scrub in alternate rounds, so both see the same load on a shared machine; the ratio is the
 * median of the rounds' ratios. */
const compare = (count: number, baseline: () => void, scrub: () => void) => {
  // Warm up on as many claims whatever the batch's size, so both are optimized before the rounds.
  for (let i = 0; i < Math.ceil(300_000 / count); i++) {
    baseline()
    scrub()
  }
  const baselines: Array<number> = []
  const scrubs: Array<number> = []
  const ratios: Array<number> = []
  const cpuBaselines: Array<number> = []
  const cpuScrubs: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const b = rates(count, baseline)
    const s = rates(count, scrub)
    baselines.push(b.wall)
    scrubs.push(s.wall)
    ratios.push(s.wall / b.wall)
    cpuBaselines.push(b.cpu)
    cpuScrubs.push(s.cpu)
  }
  return {
    baseline: median(baselines),
    scrub: median(scrubs),
    ratio: median(ratios),
    cpu: { baseline: median(cpuBaselines), scrub: median(cpuScrubs) }
  }
}

let sink = 0
const runners = (batch: ReturnType<typeof makeBatch>, from = 0, to = batch.claims.length) => ({
  baseline: () => {
    for (let i = from; i < to; i++)
      sink += baselineClaim(batch.claims[i] as Claim.Claim, batch.contexts[i] as Scrub.ScrubContext)
  },
  scrub: () => {
    for (let i = from; i < to; i++) {
      sink += Scrub.scrub(batch.claims[i] as Claim.Claim, batch.contexts[i] as Scrub.ScrubContext).findings.length
    }
  }
})

const fmt = (n: number) => Math.round(n).toLocaleString("en-US")

if (isMainThread) {
  const main = async () => {
    console.log(`claim scrubber, median of ${rounds} rounds (baseline and scrub alternate)`)
    let oneCore = 0
    for (const size of sizes) {
      const batch = makeBatch(size)
      const results = batch.claims.map((c, i) => Scrub.scrub(c, batch.contexts[i] as Scrub.ScrubContext))
      const withFindings = results.filter((r) => r.findings.length > 0).length
      const blocking = results.filter((r) => r.blocking).length
      const lines = batch.claims.reduce((s, c) => s + c.lines.length, 0)
      const run = runners(batch)
      const { baseline: baselineRate, scrub: scrubRate, ratio, cpu } = compare(size, run.baseline, run.scrub)
      oneCore = scrubRate
      console.log(
        `  ${size.toLocaleString("en-US")} claims (${(lines / size).toFixed(2)} lines each, ${((100 * withFindings) / size).toFixed(1)}% with findings, ${((100 * blocking) / size).toFixed(1)}% blocked), one core:`
      )
      console.log(
        `    baseline (the same edits hand-written in one loop, counting problems): ${fmt(baselineRate)} claims/s`
      )
      console.log(`    Scrub.scrub (findings with severity, denial, message, source, fix): ${fmt(scrubRate)} claims/s`)
      console.log(`    scrub / baseline (median of the rounds' ratios): ${ratio.toFixed(3)}`)
      console.log(
        `    per second of the thread's CPU time (the wall times above also count waiting for a core): baseline ${fmt(cpu.baseline)}, Scrub.scrub ${fmt(cpu.scrub)} claims/s`
      )
    }
    // Two cores: two workers, each with the 100,000-claim batch, scrubbing its half at the same time.
    const size = sizes[sizes.length - 1] as number
    const workers = [0, 1].map((half) => new threads.Worker(new URL(import.meta.url), { workerData: { size, half } }))
    const message = (worker: Worker) =>
      new Promise<number>((resolve, reject) => {
        worker.once("message", (value: number) => resolve(value))
        worker.once("error", reject)
      })
    // Each builds its batch, then both start measuring together.
    await Promise.all(workers.map(message))
    const measured = Promise.all(workers.map(message))
    for (const worker of workers) worker.postMessage("go")
    const rates = await measured
    for (const worker of workers) void worker.terminate()
    const twoCores = rates.reduce((a, b) => a + b, 0)
    console.log(
      `  ${size.toLocaleString("en-US")} claims on two worker threads, each scrubbing half: ${fmt(twoCores)} claims/s (${(twoCores / oneCore).toFixed(2)}× one core; ${os.availableParallelism()} cores, load average ${(os.loadavg()[0] ?? 0).toFixed(1)})`
    )
    console.log(
      `  target ${fmt(target)} claims/s on 2 cores: ${twoCores >= target ? "met" : "NOT met"} on two threads (${(twoCores / target).toFixed(2)}× the target); one core alone gives ${(oneCore / (target / 2)).toFixed(2)}× its half of it`
    )
    if (sink < 0) console.log(sink)
  }
  void main()
} else {
  const { size, half } = workerData as { size: number; half: number }
  const batch = makeBatch(size)
  const from = half === 0 ? 0 : size / 2
  const run = runners(batch, from, from + size / 2)
  parentPort?.once("message", () => parentPort?.postMessage(measure(size / 2, run.scrub)))
  parentPort?.postMessage(0)
}
