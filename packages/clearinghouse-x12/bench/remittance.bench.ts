// pnpm bench: an 835 of 10,000 and 100,000 claims posted against the store (`Billing.postRemittance`), claims per
// second, on the in-memory store and on PGlite (EmbeddedStore in memory, PHI sealed as in production), against a
// baseline measured in the same run. Both stores chain their audit events with Node's synchronous SHA-256 (the
// in-memory store's default, Web Crypto's, waits on the thread pool once an event, which would dominate).
//
// Each configuration: two fresh stores get the same N submitted claims (~200 patients, one or two lines each); the
// payer's 835 for them is written by the sandbox's 835 writer (every 20th claim denied CO-197 N54, the others paid
// with CO-45 and PR-2 coinsurance, lines numbered in REF*6R) and read by `Responses.read` into the port's
// `RemittanceAdvice`, as `processResponses` would hand it over. Reading is timed apart; then
//
// - library: `Billing.postRemittance(advice)` on one store: match, plan, post, patient ledger, claim moves and the
//   denials queued, in one transaction;
// - baseline: a hand-written loop on the twin store doing the writes posting must do, with nothing else: in one
//   transaction, record the remittance, read the claims in one call (for their versions and patients), build postings
//   straight from the CAS (no matching, balancing or prior postings), write them and the ledger entries in one
//   call each, move each claim, and save one denial per denied line. The ratio library ÷ baseline is what the
//   posting rules, lookups and per-denial transactions cost over the bare store writes on the same backend;
// - plan: the pure `RemittancePosting.plan` alone on the claims already loaded (CPU only).
//
// Before timing anything it checks the path: every claim matched, nothing unbalanced, the denials queued, the claims
// moved (paid / denied) with the balances the 835 leaves, and the baseline's stored postings equal in count and sum.
//
// Runs on the built packages (the root `pnpm bench` builds first).
//
// Environment:
//   BENCH_CLAIMS=10000,100000   sizes (comma-separated)
//   BENCH_BACKENDS=memory,pglite
//   BENCH_ENCRYPTION=on         PGlite with PHI sealed (on) or in clear (off)
//   BENCH_ROUNDS=1              rounds per configuration (fresh stores each; library and baseline alternate first)
//   BENCH_ONLY=library          skip the baseline and the plan (for `node --cpu-prof`)
import { loadavg } from "node:os"
import * as Responses from "@openrcm/clearinghouse-x12/Responses"
import {
  Billing,
  Caller,
  Claim,
  Denial,
  Ids,
  type KeyProvider,
  type Money,
  PatientLedger,
  Payer,
  Remittance,
  type RemittanceAdvice,
  RemittancePosting,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import * as EmbeddedStore from "@openrcm/store-sql/EmbeddedStore"
import * as NodeSha256 from "@openrcm/store-sql/NodeSha256"
import { Context, Effect, Layer, References, Schema } from "effect"
import { type Envelope, type PaidClaim, write835 } from "../src/internal/writers.ts"

const env = process.env
const list = (name: string, fallback: string) =>
  (env[name] ?? fallback)
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
const sizes = list("BENCH_CLAIMS", "10000,100000").map(Number)
const backends = list("BENCH_BACKENDS", "memory,pglite") as ReadonlyArray<"memory" | "pglite">
const encryptPhi = (env.BENCH_ENCRYPTION ?? "on") !== "off"
const rounds = Math.max(1, Number(env.BENCH_ROUNDS ?? 1) | 0)
const libraryOnly = env.BENCH_ONLY === "library"

const tenantId = Schema.decodeUnknownSync(Ids.TenantId)("tenant-bench")
const caller: Caller.CallerInfo = { tenantId, actor: "job:bench", purpose: "payment" }
const payerId = Schema.decodeUnknownSync(Ids.PayerId)("acme")
const masterKeys: KeyProvider.MasterKeys = {
  current: "bench",
  keys: { bench: "b3BlbnJjbSBzdG9yZSBiZW5jaCBtYXN0ZXIga2V5ISE=" }
}

// ---- the claims and their 835 -------------------------------------------------------------------------------

const patients = 200
const day = 86_400_000
const firstDay = Date.parse("2025-09-01T00:00:00Z")
const dateOf = (i: number) => new Date(firstDay + (i % 60) * day).toISOString().slice(0, 10)
const claimIdOf = (i: number) => `clm-${String(i).padStart(6, "0")}`
const denied = (i: number) => i % 20 === 0

interface LineSpec {
  readonly code: string
  readonly charge: number
}
const linesOf = (i: number): ReadonlyArray<LineSpec> =>
  i % 3 === 0
    ? [
        { code: "90837", charge: 18_500 },
        { code: "90785", charge: 1_800 }
      ]
    : [{ code: i % 2 === 0 ? "90834" : "90837", charge: i % 2 === 0 ? 14_000 : 18_500 }]

const decodeClaim = Schema.decodeUnknownSync(Claim.Claim)

const claimOf = (i: number): Claim.Claim => {
  const date = dateOf(i)
  const lines = linesOf(i)
  const charge = lines.reduce((sum, line) => sum + line.charge, 0)
  return decodeClaim({
    id: claimIdOf(i),
    tenantId,
    patientId: `pat-${i % patients}`,
    coverageId: `cov-${i % patients}`,
    payerId,
    billingProviderId: "org-1",
    renderingClinicianId: `clin-${i % 12}`,
    status: "submitted",
    frequency: "1",
    serviceDate: date,
    placeOfService: "11",
    diagnoses: ["F41.1"],
    lines: lines.map((line) => ({
      code: line.code,
      modifiers: [],
      units: 1,
      charge: line.charge,
      dateOfService: date,
      placeOfService: "11",
      diagnosisPointers: [1]
    })),
    charge,
    balance: charge,
    submittedAt: firstDay + 70 * day,
    createdAt: firstDay + 65 * day,
    version: 0
  })
}

/** The payer's adjudication of claim `i`: denied CO-197 N54, or allowed 70% (CO-45 the rest), 20% of it coinsurance. */
const paidClaimOf = (i: number): PaidClaim => {
  const date = dateOf(i)
  const lines = linesOf(i).map((line, k) => {
    if (denied(i)) {
      return {
        code: line.code,
        modifiers: [],
        charge: line.charge,
        paid: 0,
        units: 1,
        dateOfService: date,
        adjustments: [{ group: "CO" as const, reason: "197", amount: line.charge }],
        controlNumber: String(k + 1),
        allowed: undefined,
        remarks: ["N54"]
      }
    }
    const allowed = Math.round(line.charge * 0.7)
    const coinsurance = Math.round(allowed * 0.2)
    return {
      code: line.code,
      modifiers: [],
      charge: line.charge,
      paid: allowed - coinsurance,
      units: 1,
      dateOfService: date,
      adjustments: [
        { group: "CO" as const, reason: "45", amount: line.charge - allowed },
        { group: "PR" as const, reason: "2", amount: coinsurance }
      ],
      controlNumber: String(k + 1),
      allowed,
      remarks: []
    }
  })
  const sum = (f: (line: (typeof lines)[number]) => number) => lines.reduce((total, line) => total + f(line), 0)
  return {
    claimId: claimIdOf(i),
    status: denied(i) ? "4" : "1",
    charge: sum((line) => line.charge),
    paid: sum((line) => line.paid),
    patientResponsibility: sum((line) =>
      line.adjustments.reduce((total, a) => total + (a.group === "PR" ? a.amount : 0), 0)
    ),
    filingIndicator: "CI",
    payerClaimNumber: `ICN${String(i).padStart(8, "0")}`,
    placeOfService: "11",
    frequency: "1",
    patient: { last: "DOE", first: "JANE", memberId: `MEM${i % patients}` },
    rendering: { last: "SMITH", first: "ALEX", npi: "1234567893" },
    received: "20251101",
    lines
  }
}

const envelope: Envelope = {
  sender: "ACME1",
  receiver: "RBH0001",
  interchange: "000000001",
  group: "1",
  date: "20251201",
  time: "1200",
  usage: "P"
}

const era835 = (n: number): string =>
  write835(envelope, {
    payer: { name: "ACME HEALTH", id: "ACME1" },
    payee: {
      name: "RIVERBEND BH",
      npi: "1245319599",
      tin: "123456789",
      address: { line1: "100 RIVER RD", city: "PORTLAND", state: "OR", postalCode: "972011234" }
    },
    trace: `EFT${n}`,
    date: "20251201",
    claims: Array.from({ length: n }, (_, i) => paidClaimOf(i))
  })

const adviceOf = (text: string): RemittanceAdvice.RemittanceAdvice => {
  const read = Responses.read(text, { id: "bench.835", mode: "strict" })
  if (read._tag === "Failure") throw new Error(`835 refused: ${read.failure.message}`)
  if (read.success.problems.length > 0) throw new Error(`835 problems: ${read.success.problems.length}`)
  const [response] = read.success.responses
  if (response?._tag !== "Remittance") throw new Error("no remittance read")
  return response.advice
}

// ---- stores -------------------------------------------------------------------------------------------------

const quiet = Layer.succeed(References.MinimumLogLevel, "Error")
const storeLayer = (backend: "memory" | "pglite"): Layer.Layer<Store.Store, unknown> =>
  backend === "memory"
    ? Layer.effect(Store.Store, InMemoryStore.makeWith({ sha256: NodeSha256.sha256 }))
    : (EmbeddedStore.layer({ encryptPhi, masterKeys }).pipe(Layer.provide(quiet)) as Layer.Layer<Store.Store, unknown>)

const seed = (store: Store.StoreShape, n: number) =>
  Effect.gen(function* () {
    yield* store.payers.put(
      Schema.decodeUnknownSync(Payer.Payer)({
        id: payerId,
        tenantId,
        name: "Acme Health",
        x12PayerId: "ACME1",
        kind: { _tag: "Commercial" },
        rulePack: "acme-health"
      })
    )
    for (let from = 0; from < n; from += 1_000) {
      yield* store.claims.create(Array.from({ length: Math.min(1_000, n - from) }, (_, k) => claimOf(from + k)))
    }
  })

const packs = RuleSet.layerBuiltin([])

/** Runs an operation as the bench's caller, with the built-in packs. */
const asCaller = <A, E>(
  store: Store.StoreShape,
  effect: Effect.Effect<A, E, Store.Store | Caller.Caller | RuleSet.RulePacks>
) =>
  effect.pipe(
    Effect.provideService(Store.Store, store),
    Effect.provideService(Caller.Caller, caller),
    Effect.provide(packs)
  )

// ---- the baseline: the same writes, hand-written ------------------------------------------------------------

const kindOf = (group: string) =>
  group === "CO"
    ? "contractual"
    : group === "PR"
      ? "patient-responsibility"
      : group === "PI"
        ? "payer-initiated"
        : "other"
const ledgerKind = (reason: string) =>
  reason === "1" ? "deductible" : reason === "2" ? "coinsurance" : reason === "3" ? "copay" : "self-pay"

const baseline = (store: Store.StoreShape, advice: RemittanceAdvice.RemittanceAdvice) =>
  store.transaction(
    Effect.gen(function* () {
      const now = 1_764_590_400_000 as never
      const remittanceId = RemittancePosting.remittanceIdOf(tenantId, advice)
      yield* store.remittances.record(
        new Remittance.Remittance({
          id: remittanceId,
          tenantId,
          contentHash: advice.contentHash,
          paymentMethod: advice.payment.method,
          paymentAmount: advice.payment.amount,
          traceNumber: advice.payment.traceNumber,
          receivedAt: now,
          claimCount: advice.claims.length
        })
      )
      const postings: Array<Remittance.Posting> = []
      const ledger: Array<PatientLedger.Entry> = []
      const moves: Array<readonly [Claim.Claim, Claim.Status, number, string | undefined]> = []
      const denials: Array<Denial.Denial> = []
      const loaded = new Map(
        (yield* store.claims.getMany(advice.claims.map((clp) => clp.patientControlNumber as Ids.ClaimId))).map(
          (claim) => [claim.id as string, claim] as const
        )
      )
      for (const [index, clp] of advice.claims.entries()) {
        const claim = loaded.get(clp.patientControlNumber)
        if (claim === undefined) continue
        let balance = claim.balance as number
        let counter = 0
        const post = (kind: Remittance.PostingKind, amount: number, line: number, group?: string, reason?: string) => {
          if (amount === 0) return
          const id = `${remittanceId}:${index}:${claim.id}:${line}:${counter++}`
          postings.push({
            id,
            remittanceId,
            claimId: claim.id,
            patientId: claim.patientId,
            line,
            kind,
            ...(group === undefined ? {} : { group, reason }),
            amount: amount as Money.Money,
            postedAt: now
          })
          if (kind === "patient-responsibility") {
            ledger.push(
              new PatientLedger.Entry({
                id,
                tenantId,
                patientId: claim.patientId,
                kind: ledgerKind(reason ?? ""),
                amount: amount as Money.Money,
                claimId: claim.id,
                remittanceId,
                at: now
              })
            )
          }
          balance -= amount
        }
        clp.lines.forEach((svc, line) => {
          post("payment", svc.paid, line)
          for (const a of svc.adjustments) post(kindOf(a.group), a.amount, line, a.group, a.reason)
          if (svc.paid === 0 && svc.adjustments.some((a) => a.group === "CO")) {
            for (const a of svc.adjustments) {
              denials.push(
                new Denial.Denial({
                  id: `den-${claim.id}-${line}` as Denial.DenialId,
                  tenantId,
                  claimId: claim.id,
                  payerId: claim.payerId,
                  line,
                  group: a.group,
                  carc: a.reason,
                  rarcs: [...svc.remarks],
                  amount: a.amount,
                  priority: a.amount,
                  status: "open",
                  notes: [],
                  createdAt: now,
                  version: 0
                })
              )
            }
          }
        })
        moves.push([claim, clp.status === "4" ? "denied" : "paid", balance, clp.payerClaimNumber])
      }
      yield* store.remittances.post(postings)
      yield* store.patientLedger.append(ledger)
      for (const [claim, to, balance, payerClaimNumber] of moves) {
        yield* store.claims.transition(claim.id, {
          to,
          expectedVersion: claim.version,
          set: { balance: balance as Money.Money, ...(payerClaimNumber === undefined ? {} : { payerClaimNumber }) }
        })
      }
      for (const denial of denials) yield* store.denials.save(denial)
      return { postings: postings.length, sum: postings.reduce((s, p) => s + p.amount, 0) }
    })
  )

// ---- the run ------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const start = performance.now()
    return Effect.map(effect, (a) => [performance.now() - start, a] as const)
  })
const check = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`bench check failed: ${what}`)
}

interface Row {
  readonly backend: string
  readonly claims: number
  readonly readMs: number
  readonly libraryMs: number
  readonly baselineMs: number
  readonly planMs: number
}

/** Fresh twin stores, seeded alike, open until the scope closes. */
const twins = (backend: "memory" | "pglite", n: number) =>
  Effect.gen(function* () {
    const stores: Array<Store.StoreShape> = []
    for (let k = 0; k < (libraryOnly ? 1 : 2); k++) {
      const context = yield* Layer.build(storeLayer(backend))
      const store = Context.get(context, Store.Store)
      yield* seed(store, n).pipe(Effect.provideService(Caller.Caller, caller))
      stores.push(store)
    }
    return stores
  })

const configuration = (backend: "memory" | "pglite", n: number, round: number) =>
  Effect.scoped(
    Effect.gen(function* () {
      const seeding = performance.now()
      const [forLibrary, forBaseline] = yield* twins(backend, n)
      const seeded = performance.now() - seeding
      const text = era835(n)
      const [readMs, advice] = yield* timed(Effect.sync(() => adviceOf(text)))
      check(advice.claims.length === n, "the 835 has every claim")

      const runLibrary = timed(asCaller(forLibrary as Store.StoreShape, Billing.postRemittance(advice)))
      const runBaseline =
        forBaseline === undefined ? undefined : timed(asCaller(forBaseline, baseline(forBaseline, advice)))
      let libraryMs = 0
      let baselineMs = Number.NaN
      let report:
        | (RemittancePosting.PostingReport & { readonly denials: ReadonlyArray<Billing.RecordOutcome> })
        | undefined
      let written: { readonly postings: number; readonly sum: number } | undefined
      for (const which of round % 2 === 0 ? ["library", "baseline"] : ["baseline", "library"]) {
        if (which === "library") [libraryMs, report] = yield* runLibrary
        else if (runBaseline !== undefined) [baselineMs, written] = yield* runBaseline
      }
      if (report === undefined) throw new Error("no report")
      check(report.matched.length === n && report.unmatched.length === 0, "every claim matched")
      check(report.balancing.length === 0, "nothing unbalanced")
      const deniedCount = Array.from({ length: n }, (_, i) => i).filter(denied).length
      check(report.denials.filter((d) => d._tag === "Recorded").length >= deniedCount, "every denied claim queued")
      const store = forLibrary as Store.StoreShape
      const sample = yield* asCaller(
        store,
        Effect.forEach([0, 1, 3, n - 1], (i) => store.claims.get(claimIdOf(i) as Ids.ClaimId))
      )
      for (const [k, found] of sample.entries()) {
        const i = [0, 1, 3, n - 1][k] as number
        check(found._tag === "Some", `claim ${i} stored`)
        if (found._tag === "Some") {
          check(found.value.status === (denied(i) ? "denied" : "paid"), `claim ${i} moved`)
          check(found.value.balance === 0, `claim ${i} balance`)
        }
      }

      let planMs = Number.NaN
      if (!libraryOnly && written !== undefined) {
        const postings = yield* asCaller(store, store.remittances.postings({ remittanceId: report.remittanceId }))
        check(
          postings.length === written.postings,
          `postings: library ${postings.length}, baseline ${written.postings}`
        )
        check(
          postings.reduce((s, p) => s + p.amount, 0) === written.sum,
          "the same amounts posted by library and baseline"
        )
        const claims = new Map(Array.from({ length: n }, (_, i) => [claimIdOf(i), claimOf(i)] as const))
        const lookups: RemittancePosting.Lookups = {
          remittanceId: report.remittanceId,
          tenantId,
          postedAt: 1_764_590_400_000 as never,
          claims,
          priorPostings: new Map()
        }
        const times: Array<number> = []
        let planned = RemittancePosting.plan(advice, lookups)
        for (let k = 0; k < 3; k++) {
          const start = performance.now()
          planned = RemittancePosting.plan(advice, lookups)
          times.push(performance.now() - start)
        }
        planMs = median(times)
        check(planned.postings.length === written.postings, "the plan's postings")
      }
      console.log(
        `  done: ${backend}, ${fmt(n)} claims, round ${round + 1} (seeding ${fmt(seeded / 1000, 1)} s, ` +
          `835 ${fmt(text.length / 1_048_576, 1)} MB; rss ${fmt(process.memoryUsage().rss / 1_048_576)} MB)`
      )
      return { backend, claims: n, readMs, libraryMs, baselineMs, planMs } satisfies Row
    })
  )

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const program = Effect.gen(function* () {
  console.log(
    `Posting an 835 (Billing.postRemittance): ${sizes.map((n) => fmt(n)).join(" and ")} claims on ` +
      `${backends.join(", ")}${backends.includes("pglite") ? ` (PGlite PHI ${encryptPhi ? "sealed" : "plain"})` : ""}, ` +
      `${rounds} round(s); load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`
  )
  // JIT warm-up on a small 835, not measured.
  for (const backend of backends) yield* configuration(backend, 500, 0)
  const rows: Array<Row> = []
  for (const n of sizes) {
    for (const backend of backends) {
      const runs: Array<Row> = []
      for (let round = 0; round < rounds; round++) {
        runs.push(yield* configuration(backend, n, round))
        ;(globalThis as { gc?: () => void }).gc?.()
      }
      rows.push({
        backend,
        claims: n,
        readMs: median(runs.map((r) => r.readMs)),
        libraryMs: median(runs.map((r) => r.libraryMs)),
        baselineMs: median(runs.map((r) => r.baselineMs)),
        planMs: median(runs.map((r) => r.planMs))
      })
    }
  }
  const perSecond = (n: number, ms: number) => (Number.isNaN(ms) ? "—" : fmt(n / (ms / 1000)))
  console.log(
    "\nClaims posted per second (library: Billing.postRemittance; baseline: the same writes hand-written; " +
      "plan: RemittancePosting.plan alone)"
  )
  console.log(
    `  ${"backend".padEnd(8)} ${"claims".padStart(8)} ${"read ms".padStart(8)} ${"post s".padStart(7)} ${"library/s".padStart(10)} ` +
      `${"baseline/s".padStart(10)} ${"lib÷base".padStart(8)} ${"plan/s".padStart(10)}`
  )
  for (const r of rows) {
    console.log(
      `  ${r.backend.padEnd(8)} ${fmt(r.claims).padStart(8)} ${fmt(r.readMs).padStart(8)} ${fmt(r.libraryMs / 1000, 1).padStart(7)} ` +
        `${perSecond(r.claims, r.libraryMs).padStart(10)} ${perSecond(r.claims, r.baselineMs).padStart(10)} ` +
        `${(Number.isNaN(r.baselineMs) ? "—" : `${fmt(r.libraryMs / r.baselineMs, 2)}×`).padStart(8)} ` +
        `${perSecond(r.claims, r.planMs).padStart(10)}`
    )
  }
})

Effect.runPromise(program).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
