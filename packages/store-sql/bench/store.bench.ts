// pnpm bench: the Store on SQL at work-queue scale. For each backend (PGlite in memory through EmbeddedStore, and
// the PostgreSQL server in a fresh schema, dropped after) and each size, a fresh store gets N realistic
// behavioral-health claims (bench/claims.ts) through `store.claims.create(batch)`, then the bench times a
// work-queue page (`claims.query`, first page and a deep page reached by following cursors; all payers and one
// payer) and A/R aging (`reports.aging`). Each configuration runs with PHI encryption on and, as the baseline
// measured in the same run, with `encryptPhi: false`; the cost of encryption is printed as encrypted/plain time.
//
// Plain and sealed stores are open side by side and measured in turn (insert slices, page rounds, aging rounds
// alternate between them), after a warm-up: the machine is shared, and noise then falls on both alike.
//
// Batch size: `claims.create` writes each batch in one transaction, in INSERTs of 500 rows (SqlStore's chunk), and
// seals claim by claim, so the batch size only sets how many transactions (and audit-head round trips) there are.
// The sweep (BENCH_SWEEP=1, 10,000 claims, stores filled in turn) measured, in claims/s for 500 / 1,000 / 5,000:
// PostgreSQL plain 7,427 / 7,341 / 7,829, sealed 4,130 / 3,876 / 3,897 (flat, within noise); PGlite plain
// 5,051 / 5,144 / 6,162, sealed 3,289 / 3,539 / 3,934 (5,000 is ~10-20% ahead: fewer transactions through the
// socket). The bench uses 1,000: past 1,000 the server gains nothing, and a transaction holds the tenant's
// audit-head row lock for its whole length (every writer of the tenant waits on it), so 5,000 claims per
// transaction (~1.5 s sealed) would stall other writers five times as long for a PGlite-only gain.
//
// Environment:
//   BENCH_CLAIMS=10000           sizes to run, comma-separated (default 10000,100000)
//   BENCH_BACKENDS=pglite,server backends to run (default both)
//   BENCH_ENCRYPTION=both        both | on | off
//   BENCH_BATCH=1000             claims per `claims.create`
//   BENCH_SWEEP=1                first compare batch sizes (BENCH_SWEEP_SIZES, default 500,1000,5000) at 10,000
//   BENCH_ROUNDS=11              rounds per page figure (median); BENCH_AGING_ROUNDS=7 for aging
//   BENCH_DEEP_PAGES=100         pages followed to reach the deep page
//   BENCH_EXPLAIN=1              print EXPLAIN ANALYZE of the queue pages and aging on the server (largest size)
//   OPENRCM_TEST_DATABASE_URL    the server (default postgres://openrcm_app@127.0.0.1:5432/openrcm_test)
import { randomUUID } from "node:crypto"
import { Caller, type Claim, Ids, KeyProvider, Store } from "@openrcm/core"
import * as EmbeddedStore from "@openrcm/store-sql/EmbeddedStore"
import * as Server from "@openrcm/store-sql/Server"
import * as ServerStore from "@openrcm/store-sql/ServerStore"
import { Context, Duration, Effect, Layer, References, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { asOf, batchOf, daysBefore, payers } from "./claims.js"

const env = process.env
const list = (name: string, fallback: string) =>
  (env[name] ?? fallback)
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
const int = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback)
  return Number.isFinite(value) && value > 0 ? Math.trunc(value) : fallback
}

const sizes = list("BENCH_CLAIMS", "10000,100000").map(Number)
const backends = list("BENCH_BACKENDS", "pglite,server") as ReadonlyArray<"pglite" | "server">
const encryption = env.BENCH_ENCRYPTION ?? "both"
const modes = (encryption === "on" ? [true] : encryption === "off" ? [false] : [false, true]) as ReadonlyArray<boolean>
const batchSize = int("BENCH_BATCH", 1_000)
const sweep = env.BENCH_SWEEP === "1"
const sweepSizes = list("BENCH_SWEEP_SIZES", "500,1000,5000").map(Number)
const rounds = int("BENCH_ROUNDS", 11)
const agingRounds = int("BENCH_AGING_ROUNDS", 7)
const deepPages = int("BENCH_DEEP_PAGES", 100)
const explain = env.BENCH_EXPLAIN === "1"
const serverUrl = env.OPENRCM_TEST_DATABASE_URL ?? "postgres://openrcm_app@127.0.0.1:5432/openrcm_test"

const masterKeys: KeyProvider.MasterKeys = {
  current: "bench",
  keys: { bench: "b3BlbnJjbSBzdG9yZSBiZW5jaCBtYXN0ZXIga2V5ISE=" }
}
const tenantId = Schema.decodeUnknownSync(Ids.TenantId)("tenant-bench")
const caller: Caller.CallerInfo = { tenantId, actor: "job:bench", purpose: "payment" }
const payerId = Schema.decodeUnknownSync(Ids.PayerId)(payers[1])

/** The work queue: billed claims without an answer or denied, served more than 30 days ago, oldest first. */
const queue = (extra: Partial<Store.ClaimQuery> = {}): Store.ClaimQuery => ({
  status: ["submitted", "accepted", "denied"] satisfies Array<Claim.Status>,
  servedOnOrBefore: daysBefore(30) as Store.ClaimQuery["servedOnOrBefore"],
  limit: 50,
  ...extra
})

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
const mb = (bytes: number) => `${fmt(bytes / 1_048_576)} MB`

// ---- one configuration --------------------------------------------------------------------------------------

/** A store under measurement: its settings, the Store and its SQL client. */
interface Subject {
  readonly encrypted: boolean
  readonly batch: number
  readonly store: Store.StoreShape
  readonly sql: SqlClient
}

interface Figures {
  readonly backend: string
  readonly encrypted: boolean
  readonly claims: number
  readonly insertPerSecond: number
  readonly page: number
  readonly deep: number
  readonly deepAt: number
  readonly payerPage: number
  readonly payerDeep: number
  readonly payerDeepAt: number
  readonly aging: number
  readonly receivable: number
}

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const start = performance.now()
    return Effect.map(effect, (a) => [performance.now() - start, a] as const)
  })

/** The subjects in turn, the first one changing every round, so neither always runs right after the other. */
const inTurn = <A>(subjects: ReadonlyArray<A>, round: number): ReadonlyArray<readonly [A, number]> => {
  const indexed = subjects.map((subject, k) => [subject, k] as const)
  return round % 2 === 0 ? indexed : indexed.reverse()
}

/**
 * Inserts `claims` claims into every subject, a slice at a time in turn (each in batches of its own size), so
 * that the machine's noise falls on all of them alike; claims/s of each.
 */
const insertAll = (subjects: ReadonlyArray<Subject>, claims: number) =>
  Effect.gen(function* () {
    const spent = subjects.map(() => 0)
    const slice = Math.max(...subjects.map((subject) => subject.batch))
    for (let from = 0, round = 0; from < claims; from += slice, round++) {
      const count = Math.min(slice, claims - from)
      const claimsOfSlice = batchOf(tenantId, from, count)
      for (const [subject, k] of inTurn(subjects, round)) {
        for (let at = 0; at < count; at += subject.batch) {
          const [ms] = yield* timed(subject.store.claims.create(claimsOfSlice.slice(at, at + subject.batch)))
          spent[k] = (spent[k] ?? 0) + ms
        }
      }
    }
    return spent.map((ms) => claims / (ms / 1000))
  })

/** Follows `next` up to `pages` pages; the cursor of the last page reached, and its number (1 = first page). */
const deepCursor = (store: Store.StoreShape, query: Store.ClaimQuery, pages: number) =>
  Effect.gen(function* () {
    let cursor: string | undefined
    let at = 1
    while (at < pages) {
      const page = yield* store.claims.query({ ...query, cursor })
      if (page.next === undefined) break
      cursor = page.next
      at++
    }
    return { cursor, at }
  })

/** The median time of `operation` on each subject, over `count` rounds taken in turn after one warm-up each. */
const medians = <A>(
  subjects: ReadonlyArray<Subject>,
  count: number,
  operation: (subject: Subject, k: number) => Effect.Effect<A, Store.StoreError, Caller.Caller>
) =>
  Effect.gen(function* () {
    const times: Array<Array<number>> = subjects.map(() => [])
    for (const [subject, k] of inTurn(subjects, 0)) yield* operation(subject, k)
    for (let round = 0; round < count; round++) {
      for (const [subject, k] of inTurn(subjects, round)) times[k]?.push((yield* timed(operation(subject, k)))[0])
    }
    return times.map(median)
  })

const pageOf = (query: Store.ClaimQuery) => (subject: Subject) =>
  Effect.flatMap(subject.store.claims.query(query), (page) =>
    page.items.length === 0 ? Effect.die(new Error("the bench queue page is empty")) : Effect.succeed(page)
  )

const measure = (backend: string, subjects: ReadonlyArray<Subject>, claims: number) =>
  Effect.gen(function* () {
    const insertPerSecond = yield* insertAll(subjects, claims)
    // What autovacuum would have done by the time anyone reads a queue: fresh statistics and visibility map.
    for (const subject of subjects) yield* subject.sql`vacuum analyze claims`
    const page = yield* medians(subjects, rounds, pageOf(queue()))
    const deep = yield* Effect.forEach(subjects, (subject) => deepCursor(subject.store, queue(), deepPages))
    const deepMs = yield* medians(subjects, rounds, (subject, k) => pageOf(queue({ cursor: deep[k]?.cursor }))(subject))
    const payerPage = yield* medians(subjects, rounds, pageOf(queue({ payerId })))
    const payerDeep = yield* Effect.forEach(subjects, (subject) =>
      deepCursor(subject.store, queue({ payerId }), deepPages)
    )
    const payerDeepMs = yield* medians(subjects, rounds, (subject, k) =>
      pageOf(queue({ payerId, cursor: payerDeep[k]?.cursor }))(subject)
    )
    const agingMs = yield* medians(subjects, agingRounds, (subject) =>
      subject.store.reports.aging(asOf as Store.Aging["asOf"])
    )
    const agings = yield* Effect.forEach(subjects, (subject) =>
      subject.store.reports.aging(asOf as Store.Aging["asOf"])
    )
    for (const aging of agings) {
      const buckets = (["days0to30", "days31to60", "days61to90", "days91to120", "over120"] as const).map((bucket) =>
        aging.rows.reduce((sum, row) => sum + row[bucket], 0)
      )
      if (buckets.some((cents) => cents <= 0)) return yield* Effect.die(new Error("an aging bucket is empty"))
    }
    const sealed = subjects.findIndex((subject) => subject.encrypted)
    if (explain && backend === "server" && claims === Math.max(...sizes) && sealed >= 0) {
      yield* explainPlans(subjects[sealed] as Subject, deep[sealed]?.cursor, payerDeep[sealed]?.cursor)
    }
    return subjects.map(
      (subject, k): Figures => ({
        backend,
        encrypted: subject.encrypted,
        claims,
        insertPerSecond: insertPerSecond[k] ?? Number.NaN,
        page: page[k] ?? Number.NaN,
        deep: deepMs[k] ?? Number.NaN,
        deepAt: deep[k]?.at ?? 0,
        payerPage: payerPage[k] ?? Number.NaN,
        payerDeep: payerDeepMs[k] ?? Number.NaN,
        payerDeepAt: payerDeep[k]?.at ?? 0,
        aging: agingMs[k] ?? Number.NaN,
        receivable: agings[k]?.rows.reduce((sum, row) => sum + row.claims, 0) ?? 0
      })
    )
  }).pipe(Effect.provideService(Caller.Caller, caller))

/** The plans of the statements SqlStore sends for a queue page (first and deep) and for aging. */
const explainPlans = (subject: Subject, deepCursorText: string | undefined, payerCursorText: string | undefined) =>
  Effect.gen(function* () {
    const sql = subject.sql
    const after = (cursor: string | undefined) => {
      if (cursor === undefined) return ""
      const [service, id] = JSON.parse(atob(cursor.replace(/-/gu, "+").replace(/_/gu, "/"))) as [string, string]
      return ` and (service_date, id) > ('${service}'::date, '${id}')`
    }
    const page = (payer: string, cursor: string | undefined) =>
      `select id, to_char(service_date, 'YYYY-MM-DD') as service, data from claims
        where tenant_id = '${tenantId}' and status in ('submitted', 'accepted', 'denied')${payer}
        and service_date <= '${daysBefore(30)}'::date${after(cursor)}
        order by service_date, id limit 51`
    const statements: ReadonlyArray<readonly [string, string]> = [
      ["queue page, all payers, first", page("", undefined)],
      ["queue page, all payers, deep", page("", deepCursorText)],
      ["queue page, one payer, first", page(` and payer_id = '${payerId}'`, undefined)],
      ["queue page, one payer, deep", page(` and payer_id = '${payerId}'`, payerCursorText)],
      [
        "aging",
        `select payer_id, count(*) as claims,
          coalesce(sum(balance) filter (where '${asOf}'::date - service_date <= 30), 0) as d30,
          coalesce(sum(balance) filter (where '${asOf}'::date - service_date between 31 and 60), 0) as d60,
          coalesce(sum(balance) filter (where '${asOf}'::date - service_date between 61 and 90), 0) as d90,
          coalesce(sum(balance) filter (where '${asOf}'::date - service_date between 91 and 120), 0) as d120,
          coalesce(sum(balance) filter (where '${asOf}'::date - service_date > 120), 0) as over,
          coalesce(sum(balance), 0) as total
        from claims
        where tenant_id = '${tenantId}' and balance > 0
          and status in (${Store.receivableStatuses.map((s) => `'${s}'`).join(", ")})
        group by payer_id order by payer_id`
      ]
    ]
    for (const [label, statement] of statements) {
      const rows = yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`select set_config('openrcm.tenant', ${tenantId}, true)`
          return yield* sql.unsafe<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${statement}`).withoutTransform
        })
      )
      console.log(`\n  EXPLAIN ANALYZE, ${label}:`)
      for (const row of rows) console.log(`    ${row["QUERY PLAN"]}`)
    }
  })

// ---- backends -----------------------------------------------------------------------------------------------

const quiet = Layer.succeed(References.MinimumLogLevel, "Error")
const adminClient = Server.layer({ url: serverUrl, maxConnections: 1 })
const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.flatMap(SqlClient, f).pipe(Effect.provide(adminClient)))

/** The store layer of a backend: PGlite in memory, or the server in a fresh schema dropped when the scope closes. */
const storeLayer = (backend: "pglite" | "server", encryptPhi: boolean) => {
  if (backend === "pglite") return EmbeddedStore.layer({ encryptPhi, masterKeys }).pipe(Layer.provide(quiet))
  return Layer.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.gen(function* () {
          const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`
          yield* admin((sql) => sql`create schema ${sql(schema)}`)
          return schema
        }),
        (schema) => admin((sql) => sql`drop schema ${sql(schema)} cascade`).pipe(Effect.orDie)
      ),
      (schema) =>
        ServerStore.layer({
          url: serverUrl,
          encryptPhi,
          maxConnections: 2,
          startupParameters: { search_path: schema }
        })
    )
  ).pipe(Layer.provide(KeyProvider.layerStatic(masterKeys)), Layer.provide(quiet))
}

/** Fresh stores of a backend, one per setting, open together until the scope closes. */
const subjectsOf = (backend: "pglite" | "server", settings: ReadonlyArray<{ encrypted: boolean; batch: number }>) =>
  Effect.forEach(settings, ({ encrypted, batch }) =>
    Effect.map(
      Layer.build(storeLayer(backend, encrypted)),
      (context): Subject => ({
        encrypted,
        batch,
        store: Context.get(context, Store.Store),
        sql: Context.get(context, SqlClient)
      })
    )
  )

const configuration = (backend: "pglite" | "server", claims: number) =>
  Effect.scoped(
    Effect.flatMap(
      subjectsOf(
        backend,
        modes.map((encrypted) => ({ encrypted, batch: batchSize }))
      ),
      (subjects) => measure(backend, subjects, claims)
    )
  ).pipe(
    Effect.tap(() =>
      Effect.sync(() => {
        globalThis.gc?.()
      })
    )
  )

const serverUp = admin((sql) => sql`select 1`).pipe(
  Effect.timeout(Duration.seconds(5)),
  Effect.as(true),
  Effect.catchCause((cause) =>
    Effect.sync(() => {
      console.log(`  note: the PostgreSQL server at ${new URL(serverUrl).host} is unreachable; its rows are skipped.`)
      console.log(`  (${String(cause).split("\n")[0]}; start it with scripts/ensure-postgres.sh)`)
      return false
    })
  )
)

// ---- the run ------------------------------------------------------------------------------------------------

const label = (backend: string) => (backend === "pglite" ? "PGlite (memory)" : "PostgreSQL")
const pad = (text: string, width: number) => text.padStart(width)
const padEnd = (text: string, width: number) => text.padEnd(width)

const batchSweep = (available: ReadonlyArray<"pglite" | "server">) =>
  Effect.gen(function* () {
    const claims = 10_000
    console.log(`\nBatch size sweep: insert claims/s of ${fmt(claims)} claims, fresh stores filled in turn`)
    console.log(`  ${padEnd("backend", 16)} ${padEnd("PHI", 6)} ${sweepSizes.map((b) => pad(fmt(b), 9)).join(" ")}`)
    for (const backend of available) {
      const settings = modes.flatMap((encrypted) => sweepSizes.map((batch) => ({ encrypted, batch })))
      const rates = yield* Effect.scoped(
        Effect.flatMap(subjectsOf(backend, settings), (subjects) => insertAll(subjects, claims))
      ).pipe(Effect.provideService(Caller.Caller, caller))
      for (const encrypted of modes) {
        const row = settings.flatMap((setting, k) => (setting.encrypted === encrypted ? [rates[k] ?? 0] : []))
        console.log(
          `  ${padEnd(label(backend), 16)} ${padEnd(encrypted ? "sealed" : "plain", 6)} ${row.map((r) => pad(fmt(r), 9)).join(" ")}`
        )
      }
      globalThis.gc?.()
    }
  })

/** JIT warm-up: a throwaway pair of stores per backend, so the first configuration measured is not the cold one. */
const warmUp = (available: ReadonlyArray<"pglite" | "server">) =>
  Effect.forEach(available, (backend) =>
    Effect.scoped(
      Effect.flatMap(
        subjectsOf(
          backend,
          modes.map((encrypted) => ({ encrypted, batch: batchSize }))
        ),
        (subjects) =>
          Effect.gen(function* () {
            yield* insertAll(subjects, 3_000)
            yield* medians(subjects, 5, pageOf(queue()))
            yield* medians(subjects, 2, (subject) => subject.store.reports.aging(asOf as Store.Aging["asOf"]))
          })
      )
    ).pipe(Effect.provideService(Caller.Caller, caller))
  )

const program = Effect.gen(function* () {
  const available =
    backends.includes("server") && !(yield* serverUp) ? backends.filter((b) => b !== "server") : backends
  console.log(
    `Store on SQL: ${sizes.map((n) => fmt(n)).join(" and ")} claims (1-4 lines, ~200 patients, 5 payers, 200 days), ` +
      `batches of ${fmt(batchSize)}; pages of 50, median of ${rounds}; aging median of ${agingRounds}`
  )
  const warming = performance.now()
  yield* warmUp(available)
  console.log(`  warm-up (3,000 claims per store, a few pages): ${fmt((performance.now() - warming) / 1000, 1)} s`)
  if (sweep) yield* batchSweep(available)
  const results: Array<Figures> = []
  for (const claims of sizes) {
    for (const backend of available) {
      const started = performance.now()
      results.push(...(yield* configuration(backend, claims)))
      const memory = process.memoryUsage()
      console.log(
        `  done: ${label(backend)}, ${fmt(claims)} claims, ${modes.map((m) => (m ? "sealed" : "plain")).join(" + ")} ` +
          `in turn, in ${fmt((performance.now() - started) / 1000, 1)} s (rss ${mb(memory.rss)}, heap ${mb(memory.heapUsed)})`
      )
    }
  }

  const header = [
    padEnd("backend", 16),
    padEnd("PHI", 6),
    pad("claims", 8),
    pad("insert/s", 9),
    pad("page ms", 8),
    pad("deep ms", 8),
    pad("payer ms", 9),
    pad("p.deep ms", 9),
    pad("aging ms", 9)
  ].join(" ")
  console.log(
    "\nThe Store on SQL (pages: claims.query of 50, status submitted/accepted/denied served 30+ days ago; " +
      "payer = the same for one payer; deep = after following cursors)"
  )
  console.log(`  ${header}`)
  for (const r of results) {
    console.log(
      `  ${[
        padEnd(label(r.backend), 16),
        padEnd(r.encrypted ? "sealed" : "plain", 6),
        pad(fmt(r.claims), 8),
        pad(fmt(r.insertPerSecond), 9),
        pad(fmt(r.page, 1), 8),
        pad(fmt(r.deep, 1), 8),
        pad(fmt(r.payerPage, 1), 9),
        pad(fmt(r.payerDeep, 1), 9),
        pad(fmt(r.aging, 1), 9)
      ].join(" ")}`
    )
  }
  const depths = results.filter((r) => r.encrypted === modes[0])
  console.log(
    `  deep pages reached: ${depths.map((r) => `${label(r.backend)} ${fmt(r.claims)}: page ${r.deepAt} (payer: ${r.payerDeepAt})`).join("; ")}`
  )
  console.log(
    `  receivable claims aged: ${[...new Set(depths.map((r) => `${fmt(r.claims)} → ${fmt(r.receivable)}`))].join(", ")}`
  )

  const pairs = results.filter((r) => !r.encrypted)
  const sealed = (r: Figures) =>
    results.find((s) => s.encrypted && s.backend === r.backend && s.claims === r.claims) as Figures | undefined
  if (modes.length === 2 && pairs.length > 0) {
    console.log("\nThe cost of PHI encryption: sealed time / plain time (1.00× = free)")
    console.log(
      `  ${[padEnd("backend", 16), pad("claims", 8), pad("insert", 8), pad("page", 7), pad("deep", 7), pad("payer", 7), pad("p.deep", 7), pad("aging", 7)].join(" ")}`
    )
    for (const plain of pairs) {
      const s = sealed(plain)
      if (s === undefined) continue
      const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`
      console.log(
        `  ${[
          padEnd(label(plain.backend), 16),
          pad(fmt(plain.claims), 8),
          pad(ratio(plain.insertPerSecond, s.insertPerSecond), 8),
          pad(ratio(s.page, plain.page), 7),
          pad(ratio(s.deep, plain.deep), 7),
          pad(ratio(s.payerPage, plain.payerPage), 7),
          pad(ratio(s.payerDeep, plain.payerDeep), 7),
          pad(ratio(s.aging, plain.aging), 7)
        ].join(" ")}`
      )
    }
  }
})

Effect.runPromise(program).then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
