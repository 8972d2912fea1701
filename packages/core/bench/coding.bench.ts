// pnpm bench: sessions coded per second for a realistic mix, against a baseline measured in the same run
// (a plain object lookup of the code tables: the floor any engine pays). Runs on the built package, one core.
import { Billing, Coding, DateOfService, RulePack, RuleSet } from "@openrcm/core"
import { Effect } from "effect"

const sessionsPerRound = 20_000
const rounds = 15
const target = 500_000

// A deterministic pseudo-random mix (no Math.random: the same mix every run).
let seed = 42
const next = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(next() * items.length)] as A

const dates = ["2024-02-12", "2024-09-30", "2025-03-04", "2025-11-18"].map(DateOfService.make)
const deliveries: ReadonlyArray<Coding.Delivery> = [
  { mode: "in-person" },
  { mode: "in-person", placeOfService: "53" },
  { mode: "video", patientLocation: "home" },
  { mode: "video", patientLocation: "other" },
  { mode: "audio-only", patientLocation: "home" }
]

const makeRequest = (): Coding.CodingRequest => {
  const roll = next()
  const dateOfService = pick(dates)
  const delivery = pick(deliveries)
  const minutes = 10 + Math.floor(next() * 70)
  if (roll < 0.5) {
    return {
      dateOfService,
      rulePack: pick(["medicare", "acme-health", "acme-health-hmo"]),
      service: "psychotherapy",
      minutes,
      delivery,
      clinician: { credential: pick(["LCSW", "PhD", "LPC", "LMFT"] as const) }
    }
  }
  if (roll < 0.62) {
    return {
      dateOfService,
      rulePack: pick(["medicare", "acme-health"]),
      service: "psychotherapy",
      minutes: Math.floor(minutes / 2),
      em: { code: pick(["99213", "99214"]) },
      interactiveComplexity: next() < 0.2,
      delivery,
      clinician: { credential: pick(["MD", "NP"] as const) }
    }
  }
  if (roll < 0.68) {
    return {
      dateOfService,
      rulePack: "medicare",
      service: "crisis",
      minutes: minutes * 2,
      delivery,
      clinician: { credential: "LCSW" }
    }
  }
  if (roll < 0.74) {
    return {
      dateOfService,
      rulePack: "acme-health",
      service: "family-with-patient",
      minutes,
      delivery,
      clinician: { credential: "LMFT" }
    }
  }
  if (roll < 0.8) {
    return {
      dateOfService,
      rulePack: "medicare",
      service: "group-psychotherapy",
      minutes: 90,
      delivery,
      clinician: { credential: "LCSW" }
    }
  }
  if (roll < 0.85) {
    return {
      dateOfService,
      rulePack: "acme-health",
      service: "diagnostic-evaluation",
      minutes: 60,
      delivery,
      clinician: { credential: "PhD" }
    }
  }
  if (roll < 0.9) {
    return {
      dateOfService,
      rulePack: "medicare",
      service: "psychological-testing-evaluation",
      minutes: minutes * 3,
      delivery,
      clinician: { credential: "PsyD" }
    }
  }
  return {
    dateOfService,
    rulePack: "state-medicaid-example",
    service: pick(["bh-counseling", "cpst", "skills-training", "mh-assessment"]),
    minutes,
    delivery,
    clinician: { credential: pick(["LCSW", "Bachelors"] as const) }
  }
}

const requests = Array.from({ length: sessionsPerRound }, makeRequest)
const registry = RuleSet.makeRulePacks(RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p))))
const ruleSets = new Map<string, RuleSet.RuleSet>()
for (const r of requests) {
  const key = `${r.rulePack}|${r.dateOfService}`
  if (!ruleSets.has(key)) ruleSets.set(key, Effect.runSync(registry.resolve(r.rulePack, r.dateOfService)))
}
// Each request carries its rule set, as a host does after resolving a payer's chain once per day of service.
const prepared = requests.map((r) => ({
  request: r,
  ruleSet: ruleSets.get(`${r.rulePack}|${r.dateOfService}`) as RuleSet.RuleSet
}))

// Baseline: the code for (pack, service, minutes) read from a precomputed plain object, with nothing else.
const table: Record<string, Record<string, Array<string>>> = {}
for (const { request, ruleSet } of prepared) {
  table[request.rulePack] ??= {}
  const byService = table[request.rulePack] as Record<string, Array<string>>
  if (byService[request.service] !== undefined) continue
  const codes: Array<string> = []
  for (let m = 0; m <= 240; m++) {
    const result = Coding.code({ ...request, minutes: m, em: undefined } as Coding.CodingRequest, ruleSet)
    codes.push(result._tag === "Billable" ? (result.lines[0]?.code ?? "") : "")
  }
  byService[request.service] = codes
}

let sink = 0
const baseline = () => {
  for (const { request } of prepared)
    sink += (table[request.rulePack]?.[request.service]?.[request.minutes] ?? "").length
}
const engine = () => {
  for (const { request, ruleSet } of prepared) sink += Coding.code(request, ruleSet)._tag.length
}

const measure = (run: () => void): number => {
  for (let i = 0; i < 3; i++) run()
  const perSecond: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    run()
    perSecond.push(sessionsPerRound / ((performance.now() - start) / 1000))
  }
  perSecond.sort((a, b) => a - b)
  return perSecond[Math.floor(rounds / 2)] as number
}

// The Effect operation a host calls (pack resolution from the cache included), for the overhead of the boundary.
const operationRound = Effect.forEach(requests, Billing.codeSession, { discard: true }).pipe(
  Effect.provideService(RuleSet.RulePacks, registry)
)
const operation = () => Effect.runSync(operationRound)

const baselineRate = measure(baseline)
const engineRate = measure(engine)
const operationRate = measure(operation)
const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
console.log(
  `coding engine, ${sessionsPerRound.toLocaleString("en-US")} sessions a round, median of ${rounds} rounds, one core`
)
console.log(`  baseline (plain object lookup of the code tables): ${fmt(baselineRate)} sessions/s`)
console.log(`  Coding.code (lines, units, modifiers, POS, explanations): ${fmt(engineRate)} sessions/s`)
console.log(`  Billing.codeSession (Effect operation, packs resolved from cache): ${fmt(operationRate)} sessions/s`)
console.log(
  `  engine / baseline: ${(engineRate / baselineRate).toFixed(3)}; operation / engine: ${(operationRate / engineRate).toFixed(3)}`
)
console.log(
  `  target ${fmt(target)} sessions/s: ${engineRate >= target ? "met" : "NOT met"} (${(engineRate / target).toFixed(2)}× the target)`
)
if (sink < 0) console.log(sink)
