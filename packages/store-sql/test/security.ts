// Shared set-up for the SQL-specific security tests (encryption at rest, keys, audit, row-level security): a
// "backend" is one database the Store runs on plus a superuser client on the same tables, so a test can look
// under the Store (raw rows, dumps) and tamper with what it wrote.
import { execFile } from "node:child_process"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Caller, type Ids, KeyProvider, Store } from "@openrcm/core"
import { Cause, Context, Effect, Exit, Layer, Option } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import * as F from "../../core/test/store/fixtures.js"
import * as Embedded from "../src/Embedded.js"
import { tenantRole as embeddedTenantRole } from "../src/EmbeddedStore.js"
import * as Server from "../src/Server.js"
import * as SqlStore from "../src/SqlStore.js"
import { freshSchema, serverClient, superuserUrl } from "./support.js"

export const keyK1 = "c2VjdXJpdHkgdGVzdCBtYXN0ZXIga2V5IG9uZSAxMjM="
export const keyK2 = "c2VjdXJpdHkgdGVzdCBtYXN0ZXIga2V5IHR3byAxMjM="

export const masterKeys: KeyProvider.MasterKeys = { current: "k1", keys: { k1: keyK1 } }

// ---- the canary ----------------------------------------------------------------------------------------------

/** PHI made of words that appear nowhere else, so a byte search for them means a leak. */
export const canary = {
  firstName: "Quorvendalia",
  lastName: "Thistlewhorpe",
  dateOfBirth: "1931-02-17",
  phone: "555-0199-4417",
  line1: "8812 Obsidianmere Causeway",
  city: "Vellumcrest",
  memberId: "MBRCANARY7QZK42X",
  diagnoses: ["Q9B.ZX7W", "W8A.QZ4K"],
  note: "Caller disputes the Yarrowquint adjudication"
} as const

/** What a search for the canary looks for, by name. */
export const needles: Readonly<Record<string, string>> = {
  firstName: canary.firstName,
  lastName: canary.lastName,
  dateOfBirth: canary.dateOfBirth,
  phone: canary.phone,
  line1: canary.line1,
  city: canary.city,
  memberId: canary.memberId,
  diagnosis0: canary.diagnoses[0],
  diagnosis1: canary.diagnoses[1],
  note: canary.note
}

/** The needles found in a text, by name. */
export const needlesIn = (text: string): Array<string> =>
  Object.entries(needles)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name)

/** A canary patient, their coverage, a claim and a denial, written through the Store. */
export const writeCanary = (tenant: Ids.TenantId) =>
  Effect.gen(function* () {
    const s = yield* Store.Store
    const patient = F.patient(tenant, {
      firstName: canary.firstName,
      lastName: canary.lastName,
      dateOfBirth: canary.dateOfBirth,
      phone: canary.phone,
      address: { line1: canary.line1, city: canary.city, state: "OR", postalCode: "97213" }
    })
    const coverage = F.coverage(tenant, {
      patientId: patient.id,
      memberId: canary.memberId,
      subscriber: {
        relationship: "18",
        firstName: canary.firstName,
        lastName: canary.lastName,
        dateOfBirth: canary.dateOfBirth
      }
    })
    const claim = F.claim(tenant, { patientId: patient.id, payerId: coverage.payerId, diagnoses: canary.diagnoses })
    const denial = F.denial(tenant, {
      claimId: claim.id,
      payerId: claim.payerId,
      notes: [{ at: 1_743_500_000_000, actor: "user:test", text: canary.note }]
    })
    yield* s.patients.put(patient)
    yield* s.coverages.put(coverage)
    yield* s.claims.create([claim])
    const saved = yield* s.denials.save(denial)
    return { patient, coverage, claim, denial: saved }
  }).pipe(as(tenant))

// ---- callers, errors -----------------------------------------------------------------------------------------

/** Runs an effect as a caller of the tenant. */
export const as =
  (tenantId: Ids.TenantId, actor = "user:security-test") =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, Caller.Caller>> =>
    Effect.provideService(self, Caller.Caller, { tenantId, actor, purpose: "operations" })

/** The typed error the effect fails with; a success or a defect fails the test. */
export const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) return Effect.die(new Error("expected a failure, got a success"))
    const error = Cause.findErrorOption(exit.cause)
    return Option.isSome(error)
      ? Effect.succeed(error.value)
      : Effect.die(new Error(`expected a typed failure, got a defect: ${Cause.pretty(exit.cause)}`))
  })

/** The StoreError the effect fails with (a success, a defect or another error fails the test). */
export const storeFailure = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<Store.StoreError, never, R> =>
  Effect.flatMap(failureOf(self), (error) =>
    error instanceof Store.StoreError
      ? Effect.succeed(error)
      : Effect.die(new Error(`expected a StoreError, got ${String((error as { _tag?: string })?._tag)}`))
  )

/** Everything an error would show: its message, its JSON form and its pretty print. */
export const errorText = (error: unknown): string => {
  const parts = [String(error), JSON.stringify(error)]
  if (error instanceof Error) parts.push(error.message, error.stack ?? "")
  return parts.join("\n")
}

// ---- backends ------------------------------------------------------------------------------------------------

/**
 * A database for the Store: the context its client lives in (`openrcm_app` in a fresh schema on the server;
 * PGlite's superuser session in memory), the tenant role the Store must switch to, and a superuser client on the
 * same tables (row-level security does not bind it), to look under the Store and tamper with its rows.
 */
export interface BackendShape {
  readonly name: "server" | "pglite"
  readonly db: Context.Context<SqlClient>
  readonly tenantRole: string | undefined
  readonly admin: SqlClient
  readonly schema: string | undefined
}

export class Backend extends Context.Service<Backend, BackendShape>()("@openrcm/store-sql/test/Backend") {}

/** A fresh schema on the server, the app role's client in it and a superuser client on it. */
export const serverBackend = (prefix: string): Layer.Layer<Backend, unknown> =>
  Layer.effect(
    Backend,
    Effect.gen(function* () {
      const schema = yield* freshSchema(prefix)
      const db = yield* Layer.build(serverClient(schema, { maxConnections: 4 }))
      const adminContext = yield* Layer.build(
        Server.layer({ url: superuserUrl, maxConnections: 1, startupParameters: { search_path: schema } })
      )
      return { name: "server", db, tenantRole: undefined, admin: Context.get(adminContext, SqlClient), schema } as const
    })
  )

/** PGlite in memory: its session is a superuser, the Store switches to the embedded tenant role. */
export const pgliteBackend = (): Layer.Layer<Backend, unknown> =>
  Layer.effect(
    Backend,
    Effect.gen(function* () {
      const db = yield* Layer.build(Embedded.layer())
      const admin = Context.get(db, SqlClient)
      return { name: "pglite", db, tenantRole: embeddedTenantRole, admin, schema: undefined } as const
    })
  )

export interface StoreOptions {
  readonly masterKeys?: KeyProvider.MasterKeys | undefined
  readonly encryptPhi?: boolean | undefined
}

/** The Store (migrated) on a backend's database, with these master keys. */
export const storeOn = (backend: BackendShape, options: StoreOptions = {}) =>
  SqlStore.layerMigrated({ encryptPhi: options.encryptPhi, tenantRole: backend.tenantRole }).pipe(
    Layer.provide(Layer.succeedContext(backend.db)),
    Layer.provide(KeyProvider.layerStatic(options.masterKeys ?? masterKeys))
  )

/** The Store on the context's backend (for `layer(...)` of a file). */
export const store = (options: StoreOptions = {}) => Layer.unwrap(Effect.map(Backend, (b) => storeOn(b, options)))

/** Runs an effect against a layer built for it alone, closed when the effect ends. */
export const withLayer =
  <ROut, E2, RIn>(layer: Layer.Layer<ROut, E2, RIn>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | E2, RIn | Exclude<R, ROut>> =>
    Effect.scoped(Effect.flatMap(Layer.build(layer), (context) => Effect.provide(effect, context)))

/** A superuser query on the backend's tables. */
export const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) => Effect.flatMap(Backend, (b) => f(b.admin))

// ---- files and dumps -----------------------------------------------------------------------------------------

/** A fresh temporary folder, removed when the scope closes. */
export const tempDir = (prefix: string) =>
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), `openrcm-${prefix}-`))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

const filesUnder = async (dir: string): Promise<Array<string>> => {
  const out: Array<string> = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await filesUnder(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/**
 * Searches every file under `dir` (recursively, as raw bytes) for each value: the `name → files` of those
 * found, and how many files were searched.
 */
export const searchFolder = (dir: string, values: Readonly<Record<string, string>>) =>
  Effect.promise(async () => {
    const files = await filesUnder(dir)
    const found: Record<string, Array<string>> = {}
    let bytes = 0
    for (const file of files) {
      const content = await readFile(file)
      bytes += content.length
      for (const [name, value] of Object.entries(values)) {
        if (content.includes(Buffer.from(value, "utf8"))) {
          found[name] = [...(found[name] ?? []), file.slice(dir.length + 1)]
        }
      }
    }
    return { found, files: files.length, bytes }
  })

/** `pg_dump` of one schema of the test database, as the superuser, as plain SQL text. */
export const pgDump = (schema: string) =>
  Effect.callback<string, Error>((resume) => {
    execFile(
      "pg_dump",
      ["--no-password", `--schema=${schema}`, `--dbname=${superuserUrl}`],
      { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error !== null) resume(Effect.fail(new Error(`pg_dump failed: ${stderr}`)))
        else resume(Effect.succeed(stdout))
      }
    )
  })
