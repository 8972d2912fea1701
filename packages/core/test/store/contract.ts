/**
 * The Store port's contract: what every implementation (in-memory, PGlite, PostgreSQL server) must do, written
 * from the port's documented semantics (`src/Store.ts`, `src/Audit.ts`, `src/Caller.ts`), not from any one
 * implementation.
 *
 * ```ts
 * storeContract("InMemoryStore", () => InMemoryStore.layer)
 * storeContract("SqlStore (PGlite)", () => SqlStore.layer({ ... }))
 * ```
 *
 * The store is built once per suite and shared by its tests (the SQL implementations may share one database
 * across suites too), so every test acts for tenants of its own, fresh ids from `fixtures.ts`, and never assumes
 * an empty store. Tests run on the real clock and never depend on the instants a store writes (`at`).
 */
import { describe, expect, layer, type Vitest } from "@effect/vitest"
import { Audit, Caller, Claim, DateOfService, type Ids, Money, type Patient, Store } from "@openrcm/core"
import { Cause, Effect, Exit, type Layer, Option, Schema } from "effect"
import * as F from "./fixtures.js"

type StoreShape = Store.StoreShape
type StoreError = Store.StoreError
type Reason = StoreError["reason"]["_tag"]

export interface ContractOptions {
  /** Per-test timeout in milliseconds (the SQL implementations are slower than the in-memory one). */
  readonly timeout?: number
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const testActor = "user:test"

/** Runs an effect as a caller of the tenant. */
export const as =
  (tenantId: Ids.TenantId, actor: string = testActor, purpose: Caller.Purpose = "operations") =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, Caller.Caller>> =>
    Effect.provideService(self, Caller.Caller, { tenantId, actor, purpose })

/** A test body for a fresh tenant: the store and the tenant's id, acting as that tenant. */
const inTenant = <A, E>(
  body: (s: StoreShape, tenant: Ids.TenantId) => Effect.Effect<A, E, Caller.Caller | Store.Store>
): Effect.Effect<A, E, Store.Store> => {
  const tenant = F.tenantId()
  return Effect.gen(function* () {
    const s = yield* Store.Store
    return yield* body(s, tenant)
  }).pipe(as(tenant))
}

const describeCause = (cause: Cause.Cause<unknown>): string => Cause.pretty(cause)

/** The typed error the effect fails with; a success or a defect fails the test. */
const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) {
      return Effect.die(new Error(`expected a failure, got a success: ${safeJson(exit.value)}`))
    }
    const error = Cause.findErrorOption(exit.cause)
    return Option.isSome(error)
      ? Effect.succeed(error.value)
      : Effect.die(new Error(`expected a typed failure, got a defect: ${describeCause(exit.cause)}`))
  })

/** Asserts the effect fails with a `StoreError` (of this reason, when given) and returns it. */
const expectStoreError = <A, E, R>(
  self: Effect.Effect<A, E, R>,
  reason?: Reason
): Effect.Effect<StoreError, never, R> =>
  Effect.map(failureOf(self), (error) => {
    const e = error as unknown as StoreError
    expect(e?._tag, `expected a StoreError, got ${safeJson(error)}`).toBe("StoreError")
    if (reason !== undefined) expect(e.reason._tag).toBe(reason)
    return e
  })

const safeJson = (value: unknown): string => {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

const some = <A>(option: Option.Option<A>, what = "a record"): A => {
  expect(Option.isSome(option), `expected ${what}, found none`).toBe(true)
  return Option.getOrThrow(option)
}

const byId = <A extends { readonly id: string }>(items: ReadonlyArray<A>): Array<A> =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const ids = (items: ReadonlyArray<{ readonly id: string }>): Array<string> => items.map((item) => item.id)

/** Follows `next` until the last page; returns the pages. */
const allPages = <A, R>(
  page: (request: Store.PageRequest) => Effect.Effect<Store.Page<A>, StoreError, R>,
  limit?: number
): Effect.Effect<Array<Store.Page<A>>, StoreError, R> =>
  Effect.gen(function* () {
    const pages: Array<Store.Page<A>> = []
    let cursor: string | undefined
    for (let i = 0; i < 10_000; i++) {
      const current = yield* page({ limit, cursor })
      pages.push(current)
      if (current.next === undefined) return pages
      expect(typeof current.next).toBe("string")
      cursor = current.next
    }
    throw new Error("paging never ended")
  })

const d = DateOfService.make
const cents = Money.cents

// ---------------------------------------------------------------------------------------------------------------
// Repositories: put / get / list, the same for every record kind found by id
// ---------------------------------------------------------------------------------------------------------------

interface RepositorySpec<A extends { readonly id: string }, Id extends string> {
  readonly name: string
  readonly makeId: (raw: string) => Id
  readonly make: (tenant: Ids.TenantId, id: Id) => A
  /** A different record with the same id, for the upsert. */
  readonly change?: (record: A) => A
  readonly put: (s: StoreShape, record: A) => Effect.Effect<unknown, StoreError, Caller.Caller>
  readonly get: (s: StoreShape, id: Id) => Effect.Effect<Option.Option<A>, StoreError, Caller.Caller>
  readonly list: (s: StoreShape, page?: Store.PageRequest) => Effect.Effect<Store.Page<A>, StoreError, Caller.Caller>
}

const patientSpec: RepositorySpec<Patient.Patient, Ids.PatientId> = {
  name: "patients",
  makeId: (raw) => F.patientId(raw),
  make: (tenant, id) => F.patient(tenant, { id }),
  change: (p) => F.patient(p.tenantId, { ...p, sex: "U", phone: undefined, lastName: "Quillfeather-Ames" }),
  put: (s, r) => s.patients.put(r),
  get: (s, id) => s.patients.get(id),
  list: (s, page) => s.patients.list(page)
}

const repositorySpecs = {
  patients: patientSpec,
  coverages: {
    name: "coverages",
    makeId: (raw: string) => F.coverageId(raw),
    make: (tenant: Ids.TenantId, id: Ids.CoverageId) => F.coverage(tenant, { id }),
    change: (c) => F.coverage(c.tenantId, { ...c, plan: "HMO", order: 2, subscriber: undefined }),
    put: (s, r) => s.coverages.put(r),
    get: (s, id) => s.coverages.get(id),
    list: (s, page) => s.coverages.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.coverage>, Ids.CoverageId>,
  clinicians: {
    name: "clinicians",
    makeId: (raw: string) => F.clinicianId(raw),
    make: (tenant: Ids.TenantId, id: Ids.ClinicianId) => F.clinician(tenant, { id }),
    change: (c) => F.clinician(c.tenantId, { ...c, lastName: "Renamed", credential: "LPC", licenses: [] }),
    put: (s, r) => s.clinicians.put(r),
    get: (s, id) => s.clinicians.get(id),
    list: (s, page) => s.clinicians.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.clinician>, Ids.ClinicianId>,
  organizations: {
    name: "organizations",
    makeId: (raw: string) => F.organizationId(raw),
    make: (tenant: Ids.TenantId, id: Ids.OrganizationId) => F.organization(tenant, { id }),
    change: (o) => F.organization(o.tenantId, { ...o, name: "Riverbend North", facilityType: "cmhc" }),
    put: (s, r) => s.organizations.put(r),
    get: (s, id) => s.organizations.get(id),
    list: (s, page) => s.organizations.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.organization>, Ids.OrganizationId>,
  feeSchedules: {
    name: "feeSchedules",
    makeId: (raw: string) => F.feeScheduleId(raw),
    make: (tenant: Ids.TenantId, id: string) => F.feeSchedule(tenant, { id }),
    change: (f) => F.feeSchedule(f.tenantId, { ...f, rates: { "90834": 14000 }, effectiveFrom: "2025-07-01" }),
    put: (s, r) => s.feeSchedules.put(r),
    get: (s, id) => s.feeSchedules.get(id),
    list: (s, page) => s.feeSchedules.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.feeSchedule>, string>,
  payers: {
    name: "payers",
    makeId: (raw: string) => F.payerId(raw),
    make: (tenant: Ids.TenantId, id: Ids.PayerId) => F.payer(tenant, { id }),
    change: (p) =>
      F.payer(p.tenantId, { ...p, name: "Acme Medicaid", kind: { _tag: "Medicaid", state: "OR", program: "OHP" } }),
    put: (s, r) => s.payers.put(r),
    get: (s, id) => s.payers.get(id),
    list: (s, page) => s.payers.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.payer>, Ids.PayerId>,
  rulePacks: {
    name: "rulePacks",
    makeId: (raw: string) => raw,
    make: (_tenant: Ids.TenantId, id: string) => F.rulePack({ id }),
    change: (p) => F.rulePack({ ...p, name: "Tenant pack, revised", version: "2025.2.0" }),
    put: (s, r) => s.rulePacks.put(r),
    get: (s, id) => s.rulePacks.get(id),
    list: (s, page) => s.rulePacks.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.rulePack>, string>,
  sessions: {
    name: "sessions",
    makeId: (raw: string) => F.sessionId(raw),
    make: (tenant: Ids.TenantId, id: Ids.SessionId) => F.session(tenant, { id }),
    change: (x) => F.session(x.tenantId, { ...x, status: "no-show", crisis: true, segments: [] }),
    put: (s, r) => s.sessions.put(r),
    get: (s, id) => s.sessions.get(id),
    list: (s, page) => s.sessions.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.session>, Ids.SessionId>,
  authorizations: {
    name: "authorizations",
    makeId: (raw: string) => F.authorizationId(raw),
    make: (tenant: Ids.TenantId, id: Ids.AuthorizationId) => F.authorization(tenant, { id }),
    change: (a) => F.authorization(a.tenantId, { ...a, approved: 20, status: "cancelled" }),
    put: (s, r) => s.authorizations.put(r),
    get: (s, id) => s.authorizations.get(id),
    list: (s, page) => s.authorizations.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.authorization>, Ids.AuthorizationId>,
  remittances: {
    name: "remittances",
    makeId: (raw: string) => F.remittanceId(raw),
    make: (tenant: Ids.TenantId, id: Ids.RemittanceId) => F.remittance(tenant, { id }),
    put: (s, r) => s.remittances.record(r),
    get: (s, id) => s.remittances.get(id),
    list: (s, page) => s.remittances.list(page)
  } satisfies RepositorySpec<ReturnType<typeof F.remittance>, Ids.RemittanceId>
}

/** Ids that sort the same in every collation: one fresh base, then a fixed-width index. */
const orderedIds = (base: string, n: number): Array<string> =>
  Array.from({ length: n }, (_, i) => `${base}-${String(i).padStart(4, "0")}`)

/** A fixed shuffle, so insertion order is never id order. */
const shuffled = <A>(items: ReadonlyArray<A>): Array<A> => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7 + 3) % (i + 1)
    const tmp = out[i] as A
    out[i] = out[j] as A
    out[j] = tmp
  }
  return out
}

const repositoryTests = <A extends { readonly id: string }, Id extends string>(
  it: Vitest.MethodsNonLive<Store.Store>,
  spec: RepositorySpec<A, Id>
) => {
  const prefix = spec.name === "rulePacks" ? "pack" : spec.name.slice(0, 3)

  it.effect(`${spec.name}: a record put is got back equal by value; an unknown id is none`, () =>
    inTenant((s, tenant) =>
      Effect.gen(function* () {
        const record = spec.make(tenant, spec.makeId(F.unique(prefix)))
        const other = spec.make(tenant, spec.makeId(F.unique(prefix)))
        yield* spec.put(s, record)
        yield* spec.put(s, other)
        expect(some(yield* spec.get(s, spec.makeId(record.id)))).toEqual(record)
        expect(some(yield* spec.get(s, spec.makeId(other.id)))).toEqual(other)
        expect(Option.isNone(yield* spec.get(s, spec.makeId(F.unique(prefix))))).toBe(true)
      })
    )
  )

  const change = spec.change
  if (change !== undefined) {
    it.effect(`${spec.name}: put of a known id replaces the record (an upsert)`, () =>
      inTenant((s, tenant) =>
        Effect.gen(function* () {
          const record = spec.make(tenant, spec.makeId(F.unique(prefix)))
          const changed = change(record)
          expect(changed).not.toEqual(record)
          yield* spec.put(s, record)
          yield* spec.put(s, changed)
          expect(some(yield* spec.get(s, spec.makeId(record.id)))).toEqual(changed)
          const page = yield* spec.list(s)
          expect(page.items).toEqual([changed])
          expect(page.next).toBeUndefined()
        })
      )
    )
  }

  it.effect(`${spec.name}: list is in id order, pages by limit and cursor, and the last page has no next`, () =>
    inTenant((s, tenant) =>
      Effect.gen(function* () {
        const all = orderedIds(F.unique(prefix), 7).map((raw) => spec.make(tenant, spec.makeId(raw)))
        for (const record of shuffled(all)) yield* spec.put(s, record)

        const whole = yield* spec.list(s)
        expect(ids(whole.items)).toEqual(ids(all))
        expect(whole.items).toEqual(all)
        expect(whole.next).toBeUndefined()

        const pages = yield* allPages((request) => spec.list(s, request), 3)
        expect(pages.map((page) => ids(page.items))).toEqual([
          ids(all.slice(0, 3)),
          ids(all.slice(3, 6)),
          ids(all.slice(6))
        ])
        expect(pages.at(-1)?.next).toBeUndefined()

        // A limit that ends exactly on the last record: the page is the last one, or an empty page follows.
        const exact = yield* allPages((request) => spec.list(s, request), 7)
        expect(exact.flatMap((page) => ids(page.items))).toEqual(ids(all))
        expect(exact.length).toBeLessThanOrEqual(2)
      })
    )
  )

  it.effect(`${spec.name}: list pages by ${Store.defaultPageSize} by default`, () =>
    inTenant((s, tenant) =>
      Effect.gen(function* () {
        const all = orderedIds(F.unique(prefix), Store.defaultPageSize + 1).map((raw) =>
          spec.make(tenant, spec.makeId(raw))
        )
        yield* s.transaction(Effect.forEach(all, (record) => spec.put(s, record), { discard: true }))
        const first = yield* spec.list(s)
        expect(ids(first.items)).toEqual(ids(all.slice(0, Store.defaultPageSize)))
        expect(first.next).toBeDefined()
        const second = yield* spec.list(s, { cursor: first.next })
        expect(ids(second.items)).toEqual(ids(all.slice(Store.defaultPageSize)))
        expect(second.next).toBeUndefined()
      })
    )
  )
}

// ---------------------------------------------------------------------------------------------------------------
// The tenant isolation walk: one table row per Store operation
// ---------------------------------------------------------------------------------------------------------------

/** The ids a walk case is called with: tenant B's, or fresh ones that exist nowhere. */
interface WalkIds {
  readonly patientId: Ids.PatientId
  readonly coverageId: Ids.CoverageId
  readonly memberId: string
  readonly clinicianId: Ids.ClinicianId
  readonly organizationId: Ids.OrganizationId
  readonly feeScheduleId: string
  readonly payerId: Ids.PayerId
  readonly rulePackId: string
  readonly sessionId: Ids.SessionId
  readonly authorizationId: Ids.AuthorizationId
  readonly claimId: Ids.ClaimId
  readonly payerClaimNumber: string
  readonly submissionKey: ReturnType<typeof F.submissionKey>
  readonly remittanceId: Ids.RemittanceId
  readonly contentHash: string
  readonly postingId: string
  readonly denialId: ReturnType<typeof F.denialId>
  readonly ledgerEntryId: string
  readonly assignee: string
}

const freshIds = (): WalkIds => ({
  patientId: F.patientId(),
  coverageId: F.coverageId(),
  memberId: F.memberId(),
  clinicianId: F.clinicianId(),
  organizationId: F.organizationId(),
  feeScheduleId: F.feeScheduleId(),
  payerId: F.payerId(),
  rulePackId: F.rulePackId(),
  sessionId: F.sessionId(),
  authorizationId: F.authorizationId(),
  claimId: F.claimId(),
  payerClaimNumber: F.unique("PCN"),
  submissionKey: F.submissionKey(),
  remittanceId: F.remittanceId(),
  contentHash: F.contentHash(),
  postingId: F.postingId(),
  denialId: F.denialId(),
  ledgerEntryId: F.ledgerEntryId(),
  assignee: `user:${F.unique("worker")}`
})

/** The day B's and A's aging reports are asked for. */
const walkAsOf = d("2025-06-30")
/** B's claim's version after its setup (created, then one move). */
const bClaimVersion = 1
/** B's denial's version after its setup (saved, then changed once). */
const bDenialVersion = 1
const bActor = "user:tenant-b"

/**
 * How a case is judged.
 * - `same-as-missing`: run as tenant A with B's ids, then with ids that exist nowhere; both must end the same
 *   (equal results once ids are named by role, or the same error and reason), B's data unchanged.
 * - `tenant-mismatch`: a write of a record that names tenant B, with B's ids and with fresh ones: a
 *   `TenantMismatch` both times, B's data unchanged.
 * - `no-leak`: an operation that takes no id of B's: nothing of B's in what it returns, B's data unchanged.
 */
type Expectation = "same-as-missing" | "tenant-mismatch" | "no-leak"

interface WalkCase {
  readonly name: string
  readonly expect: Expectation
  /** `tenant` is the tenant the written record names: A, or B for `tenant-mismatch`. */
  readonly run: (s: StoreShape, ids: WalkIds, tenant: Ids.TenantId) => Effect.Effect<unknown, unknown, Caller.Caller>
}

/** One row of cases per operation; the type makes a new operation of `StoreShape` a compile error until its row is written. */
type WalkTable = {
  readonly [K in keyof StoreShape]: StoreShape[K] extends (...args: never) => unknown
    ? ReadonlyArray<WalkCase>
    : { readonly [M in keyof StoreShape[K]]: ReadonlyArray<WalkCase> }
}

const sameAsMissing = (name: string, run: WalkCase["run"]): WalkCase => ({ name, expect: "same-as-missing", run })
const tenantMismatch = (name: string, run: WalkCase["run"]): WalkCase => ({ name, expect: "tenant-mismatch", run })
const noLeak = (name: string, run: WalkCase["run"]): WalkCase => ({ name, expect: "no-leak", run })

const walkTable: WalkTable = {
  patients: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) => s.patients.put(F.patient(t, { id: i.patientId }))),
      tenantMismatch("a record naming tenant B", (s, i, t) => s.patients.put(F.patient(t, { id: i.patientId })))
    ],
    get: [sameAsMissing("B's patient id", (s, i) => s.patients.get(i.patientId))],
    list: [noLeak("every page", (s) => allPages((r) => s.patients.list(r), 2))]
  },
  coverages: {
    put: [
      sameAsMissing("a record of A's own with B's id and member id", (s, i, t) =>
        s.coverages.put(F.coverage(t, { id: i.coverageId, memberId: i.memberId, patientId: i.patientId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) => s.coverages.put(F.coverage(t, { id: i.coverageId })))
    ],
    get: [sameAsMissing("B's coverage id", (s, i) => s.coverages.get(i.coverageId))],
    list: [noLeak("every page", (s) => allPages((r) => s.coverages.list(r), 2))],
    forPatient: [sameAsMissing("B's patient id", (s, i) => s.coverages.forPatient(i.patientId))],
    findByMemberId: [
      sameAsMissing("B's member id", (s, i) => s.coverages.findByMemberId(i.memberId)),
      sameAsMissing("B's member id and payer id", (s, i) => s.coverages.findByMemberId(i.memberId, i.payerId))
    ]
  },
  clinicians: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) =>
        s.clinicians.put(F.clinician(t, { id: i.clinicianId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) => s.clinicians.put(F.clinician(t, { id: i.clinicianId })))
    ],
    get: [sameAsMissing("B's clinician id", (s, i) => s.clinicians.get(i.clinicianId))],
    list: [noLeak("every page", (s) => allPages((r) => s.clinicians.list(r), 2))]
  },
  organizations: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) =>
        s.organizations.put(F.organization(t, { id: i.organizationId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) =>
        s.organizations.put(F.organization(t, { id: i.organizationId }))
      )
    ],
    get: [sameAsMissing("B's organization id", (s, i) => s.organizations.get(i.organizationId))],
    list: [noLeak("every page", (s) => allPages((r) => s.organizations.list(r), 2))]
  },
  feeSchedules: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) =>
        s.feeSchedules.put(F.feeSchedule(t, { id: i.feeScheduleId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) =>
        s.feeSchedules.put(F.feeSchedule(t, { id: i.feeScheduleId }))
      )
    ],
    get: [sameAsMissing("B's fee schedule id", (s, i) => s.feeSchedules.get(i.feeScheduleId))],
    list: [noLeak("every page", (s) => allPages((r) => s.feeSchedules.list(r), 2))]
  },
  payers: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) => s.payers.put(F.payer(t, { id: i.payerId }))),
      tenantMismatch("a record naming tenant B", (s, i, t) => s.payers.put(F.payer(t, { id: i.payerId })))
    ],
    get: [sameAsMissing("B's payer id", (s, i) => s.payers.get(i.payerId))],
    list: [noLeak("every page", (s) => allPages((r) => s.payers.list(r), 2))]
  },
  rulePacks: {
    // A rule pack names no tenant: it is the caller's. A's pack with B's pack id is A's own.
    put: [sameAsMissing("A's own pack with B's pack id", (s, i) => s.rulePacks.put(F.rulePack({ id: i.rulePackId })))],
    get: [sameAsMissing("B's pack id", (s, i) => s.rulePacks.get(i.rulePackId))],
    list: [noLeak("every page", (s) => allPages((r) => s.rulePacks.list(r), 2))]
  },
  sessions: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) =>
        s.sessions.put(F.session(t, { id: i.sessionId, patientId: i.patientId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) => s.sessions.put(F.session(t, { id: i.sessionId })))
    ],
    get: [sameAsMissing("B's session id", (s, i) => s.sessions.get(i.sessionId))],
    list: [noLeak("every page", (s) => allPages((r) => s.sessions.list(r), 2))],
    forPatient: [sameAsMissing("B's patient id", (s, i) => s.sessions.forPatient(i.patientId))]
  },
  authorizations: {
    put: [
      sameAsMissing("a record of A's own with B's id", (s, i, t) =>
        s.authorizations.put(F.authorization(t, { id: i.authorizationId, patientId: i.patientId }))
      ),
      tenantMismatch("a record naming tenant B", (s, i, t) =>
        s.authorizations.put(F.authorization(t, { id: i.authorizationId }))
      )
    ],
    get: [sameAsMissing("B's authorization id", (s, i) => s.authorizations.get(i.authorizationId))],
    list: [noLeak("every page", (s) => allPages((r) => s.authorizations.list(r), 2))],
    forPatient: [sameAsMissing("B's patient id", (s, i) => s.authorizations.forPatient(i.patientId))],
    recordUse: [
      sameAsMissing("a use of B's authorization by B's session", (s, i) =>
        s.authorizations.recordUse([
          F.ledgerEntry({ authorizationId: i.authorizationId, sessionId: i.sessionId, kind: "used", units: 3 })
        ])
      )
    ],
    ledger: [sameAsMissing("B's authorization id", (s, i) => s.authorizations.ledger(i.authorizationId))]
  },
  claims: {
    create: [
      sameAsMissing("a claim of A's own with B's id", (s, i, t) =>
        s.claims.create([F.claim(t, { id: i.claimId, patientId: i.patientId, payerId: i.payerId })])
      ),
      tenantMismatch("a claim naming tenant B", (s, i, t) => s.claims.create([F.claim(t, { id: i.claimId })]))
    ],
    get: [sameAsMissing("B's claim id", (s, i) => s.claims.get(i.claimId))],
    getMany: [
      sameAsMissing("B's claim id", (s, i) => s.claims.getMany([i.claimId])),
      sameAsMissing("B's claim id among A's", (s, i) =>
        Effect.flatMap(s.claims.query({ limit: 1 }), (page) =>
          s.claims.getMany([...page.items.map((claim) => claim.id), i.claimId])
        )
      )
    ],
    update: [
      sameAsMissing("B's claim id at B's version, as A's", (s, i, t) =>
        s.claims.update(
          F.claim(t, { id: i.claimId, payerId: i.payerId, status: "submitted", version: bClaimVersion, charge: 1 })
        )
      ),
      tenantMismatch("B's claim naming tenant B, at B's version", (s, i, t) =>
        s.claims.update(
          F.claim(t, { id: i.claimId, payerId: i.payerId, status: "submitted", version: bClaimVersion, charge: 1 })
        )
      )
    ],
    transition: [
      sameAsMissing("B's claim id at B's version", (s, i) =>
        s.claims.transition(i.claimId, {
          to: "denied",
          expectedVersion: bClaimVersion,
          reasons: ["CO-197"],
          set: { balance: cents(1) }
        })
      )
    ],
    history: [sameAsMissing("B's claim id", (s, i) => s.claims.history(i.claimId))],
    query: [
      sameAsMissing("B's payer id", (s, i) => allPages((r) => s.claims.query({ ...r, payerId: i.payerId }), 2)),
      sameAsMissing("B's patient id", (s, i) => allPages((r) => s.claims.query({ ...r, patientId: i.patientId }), 2)),
      noLeak("every claim", (s) => allPages((r) => s.claims.query(r), 2)),
      noLeak("receivable claims of B's service date", (s) =>
        s.claims.query({
          status: Store.receivableStatuses,
          servedOnOrAfter: d("2025-01-01"),
          servedOnOrBefore: walkAsOf
        })
      )
    ],
    findByPayerClaimNumber: [
      sameAsMissing("B's payer claim number", (s, i) => s.claims.findByPayerClaimNumber(i.payerClaimNumber)),
      sameAsMissing("B's payer claim number and payer id", (s, i) =>
        s.claims.findByPayerClaimNumber(i.payerClaimNumber, i.payerId)
      )
    ]
  },
  submissions: {
    enqueue: [
      sameAsMissing("a submission of A's own with B's key", (s, i, t) =>
        s.submissions.enqueue(F.submission(t, { key: i.submissionKey, claimIds: [i.claimId] }))
      ),
      tenantMismatch("a submission naming tenant B", (s, i, t) =>
        s.submissions.enqueue(F.submission(t, { key: i.submissionKey }))
      )
    ],
    get: [sameAsMissing("B's key", (s, i) => s.submissions.get(i.submissionKey))],
    pending: [
      noLeak("default", (s) => s.submissions.pending()),
      noLeak("up to 1,000", (s) => s.submissions.pending(1000))
    ],
    markSent: [sameAsMissing("B's key", (s, i) => s.submissions.markSent(i.submissionKey, 1_750_000_000_000))],
    markFailed: [sameAsMissing("B's key", (s, i) => s.submissions.markFailed(i.submissionKey, "TA1-022"))],
    requeue: [sameAsMissing("B's key", (s, i) => s.submissions.requeue(i.submissionKey))]
  },
  remittances: {
    record: [
      sameAsMissing("a remittance of A's own with B's id and content hash", (s, i, t) =>
        s.remittances.record(F.remittance(t, { id: i.remittanceId, contentHash: i.contentHash, payerId: i.payerId }))
      ),
      tenantMismatch("a remittance naming tenant B", (s, i, t) =>
        s.remittances.record(F.remittance(t, { id: i.remittanceId, contentHash: i.contentHash }))
      )
    ],
    get: [sameAsMissing("B's remittance id", (s, i) => s.remittances.get(i.remittanceId))],
    list: [noLeak("every page", (s) => allPages((r) => s.remittances.list(r), 2))],
    post: [
      sameAsMissing("B's posting id on B's remittance and claim", (s, i) =>
        s.remittances.post([F.posting({ id: i.postingId, remittanceId: i.remittanceId, claimId: i.claimId })])
      )
    ],
    postings: [
      sameAsMissing("by B's remittance id", (s, i) => s.remittances.postings({ remittanceId: i.remittanceId })),
      sameAsMissing("by B's claim id", (s, i) => s.remittances.postings({ claimId: i.claimId }))
    ]
  },
  denials: {
    save: [
      sameAsMissing("a new denial of A's own with B's id", (s, i, t) =>
        s.denials.save(F.denial(t, { id: i.denialId, claimId: i.claimId, payerId: i.payerId }))
      ),
      sameAsMissing("A's change of B's id at B's version", (s, i, t) =>
        s.denials.save(
          F.denial(t, { id: i.denialId, claimId: i.claimId, status: "written-off", version: bDenialVersion })
        )
      ),
      tenantMismatch("B's denial naming tenant B, at B's version", (s, i, t) =>
        s.denials.save(
          F.denial(t, { id: i.denialId, claimId: i.claimId, status: "written-off", version: bDenialVersion })
        )
      )
    ],
    get: [sameAsMissing("B's denial id", (s, i) => s.denials.get(i.denialId))],
    queue: [
      noLeak("every page", (s) => allPages((r) => s.denials.queue(r), 2)),
      sameAsMissing("B's payer id", (s, i) => s.denials.queue({ payerId: i.payerId })),
      sameAsMissing("B's assignee", (s, i) => s.denials.queue({ assignee: i.assignee })),
      noLeak("every status", (s) =>
        s.denials.queue({ status: ["open", "in-progress", "resubmitted", "appealed", "written-off", "resolved"] })
      )
    ]
  },
  patientLedger: {
    append: [
      sameAsMissing("an entry of A's own with B's entry id", (s, i, t) =>
        s.patientLedger.append([F.patientLedgerEntry(t, { id: i.ledgerEntryId, patientId: i.patientId })])
      ),
      tenantMismatch("an entry naming tenant B", (s, i, t) =>
        s.patientLedger.append([F.patientLedgerEntry(t, { id: i.ledgerEntryId, patientId: i.patientId })])
      )
    ],
    forPatient: [sameAsMissing("B's patient id", (s, i) => s.patientLedger.forPatient(i.patientId))],
    balance: [sameAsMissing("B's patient id", (s, i) => s.patientLedger.balance(i.patientId))]
  },
  reports: {
    aging: [noLeak("as of B's day", (s) => s.reports.aging(walkAsOf))]
  },
  audit: {
    events: [
      noLeak("default", (s) => s.audit.events()),
      noLeak("from 1, up to 1,000", (s) => s.audit.events({ sequence: 1, limit: 1000 }))
    ],
    verify: [noLeak("A's chain", (s) => s.audit.verify())]
  },
  transaction: [
    sameAsMissing("a read of B's patient", (s, i) => s.transaction(s.patients.get(i.patientId))),
    sameAsMissing("a move of B's claim", (s, i) =>
      s.transaction(s.claims.transition(i.claimId, { to: "denied", expectedVersion: bClaimVersion }))
    )
  ]
}

/** The walk's rows as `["claims.transition", cases]`. */
const walkRows = (): Array<readonly [string, ReadonlyArray<WalkCase>]> =>
  Object.entries(walkTable).flatMap(([key, value]) =>
    Array.isArray(value)
      ? [[key, value as ReadonlyArray<WalkCase>] as const]
      : Object.entries(value as Record<string, ReadonlyArray<WalkCase>>).map(
          ([method, cases]) => [`${key}.${method}`, cases] as const
        )
  )

/** Every function of an object, its prototype chain included (an implementation may be a class). */
const functionNames = (value: object): Array<string> => {
  const names = new Set<string>()
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== "constructor" && typeof (value as Record<string, unknown>)[name] === "function") names.add(name)
    }
  }
  return [...names]
}

/** The store's operations at run time, nested methods as `claims.transition`. */
const operationsOf = (store: StoreShape): Array<string> => {
  const out: Array<string> = []
  for (const key of Object.keys(store)) {
    const value = (store as unknown as Record<string, unknown>)[key]
    if (typeof value === "function") out.push(key)
    else if (typeof value === "object" && value !== null) {
      for (const method of functionNames(value)) out.push(`${key}.${method}`)
    }
  }
  for (const name of functionNames(store)) if (!out.includes(name)) out.push(name)
  return out.sort()
}

/** Tenant B's world: one record of every kind. */
interface BWorld {
  readonly tenant: Ids.TenantId
  readonly ids: WalkIds
}

const setUpB = (s: StoreShape): Effect.Effect<BWorld, StoreError> => {
  const tenant = F.tenantId("tenant-b")
  const i = freshIds()
  return Effect.gen(function* () {
    yield* s.patients.put(F.patient(tenant, { id: i.patientId }))
    yield* s.coverages.put(
      F.coverage(tenant, { id: i.coverageId, patientId: i.patientId, payerId: i.payerId, memberId: i.memberId })
    )
    yield* s.clinicians.put(F.clinician(tenant, { id: i.clinicianId }))
    yield* s.organizations.put(F.organization(tenant, { id: i.organizationId }))
    yield* s.feeSchedules.put(F.feeSchedule(tenant, { id: i.feeScheduleId, payerId: i.payerId }))
    yield* s.payers.put(F.payer(tenant, { id: i.payerId }))
    yield* s.rulePacks.put(F.rulePack({ id: i.rulePackId }))
    yield* s.sessions.put(F.session(tenant, { id: i.sessionId, patientId: i.patientId }))
    yield* s.authorizations.put(
      F.authorization(tenant, { id: i.authorizationId, patientId: i.patientId, payerId: i.payerId })
    )
    yield* s.authorizations.recordUse([
      F.ledgerEntry({ authorizationId: i.authorizationId, sessionId: i.sessionId, kind: "reserved", units: 1 })
    ])
    yield* s.claims.create([
      F.claim(tenant, {
        id: i.claimId,
        patientId: i.patientId,
        payerId: i.payerId,
        status: "ready",
        serviceDate: "2025-03-04"
      })
    ])
    yield* s.claims.transition(i.claimId, {
      to: "submitted",
      expectedVersion: 0,
      reasons: ["batch-b"],
      set: { submittedAt: 1_741_300_000_000, payerClaimNumber: i.payerClaimNumber }
    })
    yield* s.submissions.enqueue(F.submission(tenant, { key: i.submissionKey, claimIds: [i.claimId] }))
    yield* s.remittances.record(
      F.remittance(tenant, { id: i.remittanceId, contentHash: i.contentHash, payerId: i.payerId })
    )
    yield* s.remittances.post([F.posting({ id: i.postingId, remittanceId: i.remittanceId, claimId: i.claimId })])
    const denial = yield* s.denials.save(
      F.denial(tenant, { id: i.denialId, claimId: i.claimId, payerId: i.payerId, assignee: i.assignee })
    )
    yield* s.denials.save(F.denial(tenant, { ...denial, status: "in-progress" }))
    yield* s.patientLedger.append([F.patientLedgerEntry(tenant, { id: i.ledgerEntryId, patientId: i.patientId })])
    return { tenant, ids: i }
  }).pipe(as(tenant, bActor))
}

/** A's own records, so A's lists and reports are not trivially empty. */
const seedA = (s: StoreShape, tenant: Ids.TenantId): Effect.Effect<void, StoreError, Caller.Caller> =>
  Effect.gen(function* () {
    const p = F.patient(tenant)
    const py = F.payer(tenant)
    yield* s.patients.put(p)
    yield* s.payers.put(py)
    yield* s.coverages.put(F.coverage(tenant, { patientId: p.id, payerId: py.id }))
    yield* s.clinicians.put(F.clinician(tenant))
    yield* s.organizations.put(F.organization(tenant))
    yield* s.feeSchedules.put(F.feeSchedule(tenant))
    yield* s.rulePacks.put(F.rulePack())
    yield* s.sessions.put(F.session(tenant, { patientId: p.id }))
    yield* s.authorizations.put(F.authorization(tenant, { patientId: p.id, payerId: py.id }))
    const c = F.claim(tenant, { patientId: p.id, payerId: py.id, status: "submitted", serviceDate: "2025-04-01" })
    yield* s.claims.create([c])
    yield* s.submissions.enqueue(F.submission(tenant, { claimIds: [c.id] }))
    const r = F.remittance(tenant, { payerId: py.id })
    yield* s.remittances.record(r)
    yield* s.remittances.post([F.posting({ remittanceId: r.id, claimId: c.id })])
    yield* s.denials.save(F.denial(tenant, { claimId: c.id, payerId: py.id }))
    yield* s.patientLedger.append([F.patientLedgerEntry(tenant, { patientId: p.id })])
  })

/** Everything B can see of its own world, read as B. */
const snapshotB = (s: StoreShape, world: BWorld) => {
  const i = world.ids
  return Effect.gen(function* () {
    const everyPage = <A>(page: (r: Store.PageRequest) => Effect.Effect<Store.Page<A>, StoreError, Caller.Caller>) =>
      Effect.map(allPages(page, 1000), (pages) => pages.flatMap((p) => p.items))
    return {
      patient: yield* s.patients.get(i.patientId),
      coverage: yield* s.coverages.get(i.coverageId),
      clinician: yield* s.clinicians.get(i.clinicianId),
      organization: yield* s.organizations.get(i.organizationId),
      feeSchedule: yield* s.feeSchedules.get(i.feeScheduleId),
      organizations: yield* everyPage((r) => s.organizations.list(r)),
      feeSchedules: yield* everyPage((r) => s.feeSchedules.list(r)),
      payer: yield* s.payers.get(i.payerId),
      rulePack: yield* s.rulePacks.get(i.rulePackId),
      session: yield* s.sessions.get(i.sessionId),
      authorization: yield* s.authorizations.get(i.authorizationId),
      ledger: yield* s.authorizations.ledger(i.authorizationId),
      coveragesForPatient: yield* s.coverages.forPatient(i.patientId),
      byMemberId: yield* s.coverages.findByMemberId(i.memberId),
      sessionsForPatient: yield* s.sessions.forPatient(i.patientId),
      authorizationsForPatient: yield* s.authorizations.forPatient(i.patientId),
      claim: yield* s.claims.get(i.claimId),
      history: yield* s.claims.history(i.claimId),
      claims: yield* everyPage((r) => s.claims.query(r)),
      submission: yield* s.submissions.get(i.submissionKey),
      pending: yield* s.submissions.pending(1000),
      remittance: yield* s.remittances.get(i.remittanceId),
      remittances: yield* everyPage((r) => s.remittances.list(r)),
      postingsByRemittance: yield* s.remittances.postings({ remittanceId: i.remittanceId }),
      postingsByClaim: yield* s.remittances.postings({ claimId: i.claimId }),
      denial: yield* s.denials.get(i.denialId),
      queue: yield* everyPage((r) => s.denials.queue(r)),
      patientLedger: yield* s.patientLedger.forPatient(i.patientId),
      balance: yield* s.patientLedger.balance(i.patientId),
      aging: yield* s.reports.aging(walkAsOf),
      patients: yield* everyPage((r) => s.patients.list(r)),
      coverages: yield* everyPage((r) => s.coverages.list(r)),
      clinicians: yield* everyPage((r) => s.clinicians.list(r)),
      payers: yield* everyPage((r) => s.payers.list(r)),
      rulePacks: yield* everyPage((r) => s.rulePacks.list(r)),
      sessions: yield* everyPage((r) => s.sessions.list(r)),
      authorizations: yield* everyPage((r) => s.authorizations.list(r))
    }
  }).pipe(as(world.tenant, bActor))
}

/** Names every id of the sets by its role, so B's run and the missing run compare equal when they behave alike. */
const byRole = (value: unknown, idSets: ReadonlyArray<WalkIds>): unknown => {
  let text = safeJson(value) ?? "undefined"
  const pairs = idSets
    .flatMap((set) => Object.entries(set) as Array<[string, string]>)
    .sort((a, b) => b[1].length - a[1].length)
  for (const [role, id] of pairs) text = text.split(id).join(`<${role}>`)
  return text === "undefined" ? undefined : JSON.parse(text)
}

/** How an exit ended, comparable across runs: a value by role, or the error's tag, reason and entity. */
const ending = (exit: Exit.Exit<unknown, unknown>, idSets: ReadonlyArray<WalkIds>): unknown => {
  if (Exit.isSuccess(exit)) return { success: byRole(exit.value, idSets) }
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isNone(error)) return { defect: describeCause(exit.cause) }
  const e = error.value as { _tag?: string; reason?: { _tag?: string; entity?: string } }
  return { failure: e._tag, reason: e.reason?._tag, entity: e.reason?.entity }
}

/** Asserts nothing of B's appears in a value A was given. */
const expectNoTraceOfB = (value: unknown, world: BWorld) => {
  const text = safeJson(value) ?? ""
  expect(text).not.toContain(world.tenant)
  expect(text).not.toContain(bActor)
  for (const [role, id] of Object.entries(world.ids)) {
    expect(text, `A was shown B's ${role}`).not.toContain(id)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------------------

/**
 * Registers the Store contract suite for an implementation. `makeStore` is built once for the suite; every test
 * uses tenants and ids of its own.
 */
export const storeContract = (
  name: string,
  makeStore: () => Layer.Layer<Store.Store, unknown>,
  options: ContractOptions = {}
): void => {
  const timeout = options.timeout ?? 30_000
  layer(makeStore(), { excludeTestServices: true, timeout: 120_000 })(`Store contract: ${name}`, (it) => {
    // -----------------------------------------------------------------------------------------------------------
    describe("repositories", () => {
      repositoryTests(it, repositorySpecs.patients)
      repositoryTests(it, repositorySpecs.coverages)
      repositoryTests(it, repositorySpecs.clinicians)
      repositoryTests(it, repositorySpecs.payers)
      repositoryTests(it, repositorySpecs.organizations)
      repositoryTests(it, repositorySpecs.feeSchedules)
      repositoryTests(it, repositorySpecs.rulePacks)
      repositoryTests(it, repositorySpecs.sessions)
      repositoryTests(it, repositorySpecs.authorizations)
      repositoryTests(it, repositorySpecs.remittances)

      it.effect(
        `patients: a limit over ${Store.maxPageSize} is clamped to ${Store.maxPageSize}`,
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const all = orderedIds(F.unique("pat"), Store.maxPageSize + 1).map((raw) =>
                F.patient(tenant, { id: F.patientId(raw) })
              )
              yield* s.transaction(Effect.forEach(all, (p) => s.patients.put(p), { discard: true }))
              const first = yield* s.patients.list({ limit: Store.maxPageSize * 5 })
              expect(first.items.length).toBe(Store.maxPageSize)
              expect(ids(first.items)).toEqual(ids(all.slice(0, Store.maxPageSize)))
              expect(first.next).toBeDefined()
              const second = yield* s.patients.list({ limit: Store.maxPageSize * 5, cursor: first.next })
              expect(ids(second.items)).toEqual(ids(all.slice(Store.maxPageSize)))
              expect(second.next).toBeUndefined()
            })
          ),
        120_000
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("coverages, sessions and authorizations by patient", () => {
      it.effect(
        "coverages.forPatient returns the patient's coverages and no one else's",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const q = F.patientId()
              const q2 = F.patientId()
              const mine = [F.coverage(tenant, { patientId: q }), F.coverage(tenant, { patientId: q, order: 2 })]
              const theirs = F.coverage(tenant, { patientId: q2 })
              for (const c of [mine[1], theirs, mine[0]]) if (c !== undefined) yield* s.coverages.put(c)
              expect(byId(yield* s.coverages.forPatient(q))).toEqual(byId(mine))
              expect(yield* s.coverages.forPatient(q2)).toEqual([theirs])
              expect(yield* s.coverages.forPatient(F.patientId())).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "coverages.findByMemberId matches the whole member id exactly, with or without the payer",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const member = F.memberId()
              const p1 = F.payerId()
              const p2 = F.payerId()
              const atP1 = F.coverage(tenant, { memberId: member, payerId: p1 })
              const atP2 = F.coverage(tenant, { memberId: member, payerId: p2 })
              const longer = F.coverage(tenant, { memberId: `${member}7`, payerId: p1 })
              const prefix = member.slice(0, member.lastIndexOf("-"))
              const shorter = F.coverage(tenant, { memberId: `${prefix}-X`, payerId: p1 })
              for (const c of [atP1, atP2, longer, shorter]) yield* s.coverages.put(c)

              expect(byId(yield* s.coverages.findByMemberId(member))).toEqual(byId([atP1, atP2]))
              expect(yield* s.coverages.findByMemberId(member, p1)).toEqual([atP1])
              expect(yield* s.coverages.findByMemberId(member, p2)).toEqual([atP2])
              expect(yield* s.coverages.findByMemberId(member, F.payerId())).toEqual([])
              // Not a prefix match, in either direction, and not a substring.
              expect(yield* s.coverages.findByMemberId(prefix)).toEqual([])
              expect(yield* s.coverages.findByMemberId(member.slice(0, -1))).toEqual([])
              expect(yield* s.coverages.findByMemberId(member.slice(1))).toEqual([])
              expect(yield* s.coverages.findByMemberId(`${member}7`)).toEqual([longer])
              expect(yield* s.coverages.findByMemberId(F.memberId())).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "coverages.findByMemberId never finds another tenant's coverage with the same member id",
        () =>
          Effect.gen(function* () {
            const s = yield* Store.Store
            const a = F.tenantId()
            const b = F.tenantId()
            const member = F.memberId()
            const payer = F.payerId()
            const ours = F.coverage(a, { memberId: member, payerId: payer })
            const theirs = F.coverage(b, { memberId: member, payerId: payer })
            yield* s.coverages.put(theirs).pipe(as(b))
            expect(yield* s.coverages.findByMemberId(member).pipe(as(a))).toEqual([])
            expect(yield* s.coverages.findByMemberId(member, payer).pipe(as(a))).toEqual([])
            yield* s.coverages.put(ours).pipe(as(a))
            expect(yield* s.coverages.findByMemberId(member).pipe(as(a))).toEqual([ours])
            expect(yield* s.coverages.findByMemberId(member, payer).pipe(as(b))).toEqual([theirs])
          }),
        timeout
      )

      it.effect(
        "sessions.forPatient returns the patient's sessions and no one else's",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const q = F.patientId()
              const q2 = F.patientId()
              const mine = [
                F.session(tenant, { patientId: q }),
                F.session(tenant, { patientId: q, status: "scheduled" })
              ]
              const theirs = F.session(tenant, { patientId: q2 })
              for (const x of [theirs, ...mine]) yield* s.sessions.put(x)
              expect(byId(yield* s.sessions.forPatient(q))).toEqual(byId(mine))
              expect(yield* s.sessions.forPatient(q2)).toEqual([theirs])
              expect(yield* s.sessions.forPatient(F.patientId())).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "authorizations.forPatient returns the patient's authorizations and no one else's",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const q = F.patientId()
              const q2 = F.patientId()
              const mine = [F.authorization(tenant, { patientId: q }), F.authorization(tenant, { patientId: q })]
              const theirs = F.authorization(tenant, { patientId: q2 })
              for (const x of [...mine, theirs]) yield* s.authorizations.put(x)
              expect(byId(yield* s.authorizations.forPatient(q))).toEqual(byId(mine))
              expect(yield* s.authorizations.forPatient(q2)).toEqual([theirs])
              expect(yield* s.authorizations.forPatient(F.patientId())).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "authorizations.recordUse keeps one entry per (authorization, session): a later one replaces it",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const a1 = F.authorization(tenant)
              const a2 = F.authorization(tenant, { patientId: a1.patientId })
              yield* s.authorizations.put(a1)
              yield* s.authorizations.put(a2)
              const s1 = F.sessionId()
              const s2 = F.sessionId()
              const bySession = (entries: ReadonlyArray<{ readonly sessionId: string }>) =>
                [...entries].sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1))

              const reserved1 = F.ledgerEntry({ authorizationId: a1.id, sessionId: s1, dateOfService: "2025-03-04" })
              const reserved2 = F.ledgerEntry({ authorizationId: a1.id, sessionId: s2, dateOfService: "2025-03-11" })
              const reservedOnA2 = F.ledgerEntry({ authorizationId: a2.id, sessionId: s1, units: 2 })
              yield* s.authorizations.recordUse([reserved1, reserved2, reservedOnA2])
              expect(bySession(yield* s.authorizations.ledger(a1.id))).toEqual(bySession([reserved1, reserved2]))
              expect(yield* s.authorizations.ledger(a2.id)).toEqual([reservedOnA2])

              // The session is delivered: its use replaces its reservation on a1 only.
              const used1 = F.ledgerEntry({ authorizationId: a1.id, sessionId: s1, kind: "used", units: 1 })
              yield* s.authorizations.recordUse([used1])
              expect(bySession(yield* s.authorizations.ledger(a1.id))).toEqual(bySession([used1, reserved2]))
              expect(yield* s.authorizations.ledger(a2.id)).toEqual([reservedOnA2])

              // A corrected use replaces the use.
              const corrected = F.ledgerEntry({ authorizationId: a1.id, sessionId: s1, kind: "used", units: 2 })
              yield* s.authorizations.recordUse([corrected])
              expect(bySession(yield* s.authorizations.ledger(a1.id))).toEqual(bySession([corrected, reserved2]))
              expect(yield* s.authorizations.ledger(F.authorizationId())).toEqual([])
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("claims", () => {
      it.effect(
        "create stores every claim at version 0, each with its history started by its creation",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c1 = F.claim(tenant)
              const c2 = F.claim(tenant, { status: "ready" })
              yield* s.claims.create([c1, c2])
              for (const c of [c1, c2]) {
                const stored = some(yield* s.claims.get(c.id))
                expect(stored).toEqual(c)
                expect(stored.version).toBe(0)
                const history = yield* s.claims.history(c.id)
                expect(history.length).toBe(1)
                const [created] = history
                expect(created?.claimId).toBe(c.id)
                expect(created?.from).toBeUndefined()
                expect(created?.to).toBe(c.status)
                expect(created?.actor).toBe(testActor)
                expect(Array.isArray(created?.reasons)).toBe(true)
                expect(() => Schema.decodeUnknownSync(Schema.Array(Claim.Event))(history)).not.toThrow()
              }
              expect(Option.isNone(yield* s.claims.get(F.claimId()))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "create is all or none: one taken id is a Conflict and none of the batch is stored",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const taken = F.claim(tenant)
              yield* s.claims.create([taken])
              const fresh1 = F.claim(tenant)
              const fresh2 = F.claim(tenant)
              const again = F.claim(tenant, { id: taken.id, status: "ready", charge: 1, balance: 1 })
              yield* expectStoreError(s.claims.create([fresh1, again, fresh2]), "Conflict")
              expect(Option.isNone(yield* s.claims.get(fresh1.id))).toBe(true)
              expect(Option.isNone(yield* s.claims.get(fresh2.id))).toBe(true)
              expect(some(yield* s.claims.get(taken.id))).toEqual(taken)
              expect((yield* s.claims.history(taken.id)).length).toBe(1)

              // The same id twice in one batch is taken by the batch itself.
              const twice = F.claim(tenant)
              yield* expectStoreError(s.claims.create([twice, twice]), "Conflict")
              expect(Option.isNone(yield* s.claims.get(twice.id))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "a secondary claim's prior payers (adjudication, adjustments, lines) are stored, got back and updated equal",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const primary = F.claim(tenant, { status: "paid" })
              const prior = {
                claimId: primary.id,
                coverageId: primary.coverageId,
                payerId: primary.payerId,
                order: 1,
                payerClaimNumber: "PCN-9",
                adjudicatedOn: "2025-04-01",
                paid: 9000,
                adjustments: [{ group: "OA", reason: "23", amount: -100 }],
                lines: [
                  {
                    line: 0,
                    paid: 9100,
                    adjustments: [
                      { group: "CO", reason: "45", amount: 3900 },
                      { group: "PR", reason: "2", amount: 2000 }
                    ]
                  }
                ]
              }
              const secondary = F.claim(tenant, { status: "ready", priorPayers: [prior] })
              yield* s.claims.create([primary, secondary])
              expect(some(yield* s.claims.get(secondary.id))).toEqual(secondary)
              expect(some(yield* s.claims.get(secondary.id)).priorPayers).toEqual([prior])
              expect(some(yield* s.claims.get(primary.id)).priorPayers).toBeUndefined()
              const tertiaryOf = [prior, { ...prior, claimId: secondary.id, order: 2, adjustments: [], lines: [] }]
              const updated = yield* s.claims.update(F.claim(tenant, { ...secondary, priorPayers: tertiaryOf }))
              expect(some(yield* s.claims.get(secondary.id))).toEqual(updated)
              expect(updated.priorPayers?.map((p) => p.order)).toEqual([1, 2])
            })
          ),
        timeout
      )

      it.effect(
        "update changes the content at the stored version, bumps the version and leaves the history",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant)
              yield* s.claims.create([c])
              const changed = F.claim(tenant, { ...c, priorAuthorization: "PA-77", placeOfService: "02" })
              const stored = yield* s.claims.update(changed)
              expect(stored.version).toBe(1)
              expect(stored).toEqual(F.claim(tenant, { ...changed, version: 1 }))
              expect(some(yield* s.claims.get(c.id))).toEqual(stored)
              expect((yield* s.claims.history(c.id)).length).toBe(1)

              const again = yield* s.claims.update(F.claim(tenant, { ...stored, charge: 16000, balance: 16000 }))
              expect(again.version).toBe(2)
              expect(again.charge).toBe(16000)
            })
          ),
        timeout
      )

      it.effect(
        "getMany returns the claims that exist, in id order, each once, equal to get; unknown ids are left out",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const claims = orderedIds(F.unique("many"), 5).map((raw) => F.claim(tenant, { id: F.claimId(raw) }))
              yield* s.claims.create(shuffled(claims))
              const [c0, c1, c2, c3, c4] = claims as [Claim.Claim, Claim.Claim, Claim.Claim, Claim.Claim, Claim.Claim]
              const moved = yield* s.claims.transition(c2.id, { to: "ready", expectedVersion: 0 })
              const got = yield* s.claims.getMany([c3.id, F.claimId(), c0.id, c2.id, c3.id, c4.id])
              expect(got).toEqual([c0, moved, c3, c4])
              expect(yield* s.claims.getMany([])).toEqual([])
              expect(yield* s.claims.getMany([F.claimId(), F.claimId()])).toEqual([])
              expect(yield* s.claims.getMany([c1.id])).toEqual([some(yield* s.claims.get(c1.id))])
              // More than one statement's worth of ids.
              const many = orderedIds(F.unique("bulk"), 1_203).map((raw) => F.claim(tenant, { id: F.claimId(raw) }))
              yield* s.claims.create(many)
              const bulk = yield* s.claims.getMany([...many.map((c) => c.id)].reverse())
              expect(ids(bulk)).toEqual(ids(many))
            })
          ),
        timeout
      )

      it.effect(
        "findByPayerClaimNumber: exact number, in id order, of any payer or the one asked; follows update and transition",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const number = F.unique("ICN")
              const p1 = F.payerId()
              const p2 = F.payerId()
              const ofP1 = F.claim(tenant, { payerId: p1, status: "paid", payerClaimNumber: number })
              const ofP2 = F.claim(tenant, { payerId: p2, status: "denied", payerClaimNumber: number })
              const other = F.claim(tenant, { payerId: p1, status: "paid", payerClaimNumber: `${number}-2` })
              const none = F.claim(tenant, { payerId: p1, status: "submitted" })
              const moved = F.claim(tenant, { payerId: p1, status: "submitted" })
              yield* s.claims.create(shuffled([ofP1, ofP2, other, none, moved]))
              const found = (n: string, payerId?: Ids.PayerId) =>
                Effect.map(s.claims.findByPayerClaimNumber(n, payerId), ids)
              expect(yield* found(number)).toEqual([ofP1.id, ofP2.id].sort())
              expect(yield* s.claims.findByPayerClaimNumber(number, p2)).toEqual([ofP2])
              expect(yield* found(number, F.payerId())).toEqual([])
              // Exact: no prefix, case or space folding.
              expect(yield* found(number.toLowerCase())).toEqual([])
              expect(yield* found(number.slice(0, -1))).toEqual([])
              expect(yield* found(` ${number}`)).toEqual([])
              expect(yield* found(F.unique("ICN"))).toEqual([])

              // A number set by a move is found; one replaced by an update is no longer.
              yield* s.claims.transition(moved.id, {
                to: "paid",
                expectedVersion: 0,
                set: { payerClaimNumber: number }
              })
              expect(yield* found(number, p1)).toEqual([ofP1.id, moved.id].sort())
              const stored = some(yield* s.claims.get(ofP1.id))
              yield* s.claims.update(F.claim(tenant, { ...stored, payerClaimNumber: `${number}-3` }))
              expect(yield* found(number, p1)).toEqual([moved.id])
              expect(yield* found(`${number}-3`)).toEqual([ofP1.id])
              expect((yield* s.claims.findByPayerClaimNumber(number, p1))[0]).toEqual(
                some(yield* s.claims.get(moved.id))
              )
            })
          ),
        timeout
      )

      it.effect(
        "update at a stale version is a Conflict and changes nothing",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant)
              yield* s.claims.create([c])
              const first = yield* s.claims.update(F.claim(tenant, { ...c, priorAuthorization: "PA-1" }))
              yield* expectStoreError(
                s.claims.update(F.claim(tenant, { ...c, priorAuthorization: "PA-2" })),
                "Conflict"
              )
              yield* expectStoreError(
                s.claims.update(F.claim(tenant, { ...c, priorAuthorization: "PA-3", version: 7 })),
                "Conflict"
              )
              expect(some(yield* s.claims.get(c.id))).toEqual(first)
            })
          ),
        timeout
      )

      it.effect(
        "update that changes the status is a Conflict and changes nothing (a move is a transition)",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant)
              yield* s.claims.create([c])
              yield* expectStoreError(
                s.claims.update(F.claim(tenant, { ...c, status: "scrubbed", priorAuthorization: "PA-9" })),
                "Conflict"
              )
              expect(some(yield* s.claims.get(c.id))).toEqual(c)
              expect((yield* s.claims.history(c.id)).length).toBe(1)
            })
          ),
        timeout
      )

      it.effect(
        "update of an unknown claim fails and stores nothing",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant)
              yield* expectStoreError(s.claims.update(c))
              expect(Option.isNone(yield* s.claims.get(c.id))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "transition moves the claim, bumps the version, sets its fields and appends the move to the history",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant, { status: "ready" })
              yield* s.claims.create([c])
              const moved = yield* s.claims.transition(c.id, {
                to: "submitted",
                expectedVersion: 0,
                reasons: ["batch-7", "999-A"],
                set: { balance: cents(14000), submittedAt: 1_741_300_000_000, payerClaimNumber: "PCN-1" }
              })
              expect(moved).toEqual(
                F.claim(tenant, {
                  ...c,
                  status: "submitted",
                  version: 1,
                  balance: 14000,
                  submittedAt: 1_741_300_000_000,
                  payerClaimNumber: "PCN-1"
                })
              )
              expect(some(yield* s.claims.get(c.id))).toEqual(moved)

              const accepted = yield* s.claims.transition(c.id, { to: "accepted", expectedVersion: 1 })
              expect(accepted.status).toBe("accepted")
              expect(accepted.version).toBe(2)
              // A move without `set` keeps the fields.
              expect(accepted.balance).toBe(14000)
              expect(accepted.submittedAt).toBe(1_741_300_000_000)
              expect(accepted.payerClaimNumber).toBe("PCN-1")

              const history = yield* s.claims.history(c.id)
              expect(
                history.map(({ claimId, from, to, reasons, actor }) => ({ claimId, from, to, reasons, actor }))
              ).toEqual([
                { claimId: c.id, from: undefined, to: "ready", reasons: history[0]?.reasons, actor: testActor },
                { claimId: c.id, from: "ready", to: "submitted", reasons: ["batch-7", "999-A"], actor: testActor },
                { claimId: c.id, from: "submitted", to: "accepted", reasons: [], actor: testActor }
              ])
              // Oldest first.
              const at = history.map((e) => e.at)
              expect(at).toEqual([...at].sort((x, y) => x - y))
            })
          ),
        timeout
      )

      it.effect(
        "transition at a stale expected version is a Conflict and changes nothing",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant, { status: "ready" })
              yield* s.claims.create([c])
              const moved = yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
              yield* expectStoreError(
                s.claims.transition(c.id, { to: "accepted", expectedVersion: 0, set: { balance: cents(1) } }),
                "Conflict"
              )
              yield* expectStoreError(s.claims.transition(c.id, { to: "accepted", expectedVersion: 2 }), "Conflict")
              expect(some(yield* s.claims.get(c.id))).toEqual(moved)
              expect((yield* s.claims.history(c.id)).length).toBe(2)
            })
          ),
        timeout
      )

      it.effect(
        "transition of an unknown claim fails",
        () =>
          inTenant((s) =>
            Effect.gen(function* () {
              const id = F.claimId()
              yield* expectStoreError(s.claims.transition(id, { to: "scrubbed", expectedVersion: 0 }))
              expect(Option.isNone(yield* s.claims.get(id))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "query filters by status, payer, patient and service date (both ends included), oldest service first",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.payerId()
              const p2 = F.payerId()
              const q = F.patientId()
              const q2 = F.patientId()
              const make = (status: Claim.Status, payerId: Ids.PayerId, patientId: Ids.PatientId, day: string) =>
                F.claim(tenant, { status, payerId, patientId, serviceDate: day })
              const c1 = make("submitted", p, q, "2025-03-09")
              const c2 = make("submitted", p, q, "2025-03-10")
              const c3 = make("denied", p, q2, "2025-03-10")
              const c4 = make("submitted", p, q, "2025-03-11")
              const c5 = make("submitted", p2, q, "2025-03-10")
              const c6 = make("draft", p, q, "2025-03-10")
              const c7 = make("paid", p, q, "2025-03-01")
              const all = [c1, c2, c3, c4, c5, c6, c7]
              yield* s.claims.create(shuffled(all))

              const order = (claims: ReadonlyArray<Claim.Claim>) =>
                [...claims].sort((a, b) =>
                  a.serviceDate !== b.serviceDate ? (a.serviceDate < b.serviceDate ? -1 : 1) : a.id < b.id ? -1 : 1
                )
              const query = (q: Store.ClaimQuery) =>
                Effect.map(
                  allPages((r) => s.claims.query({ ...q, ...r }), 1000),
                  (pages) => pages.flatMap((page) => ids(page.items))
                )

              expect(yield* query({})).toEqual(ids(order(all)))
              expect(yield* query({ status: ["submitted", "denied"] })).toEqual(ids(order([c1, c2, c3, c4, c5])))
              expect(yield* query({ status: ["paid"] })).toEqual([c7.id])
              expect(yield* query({ status: ["closed"] })).toEqual([])
              expect(yield* query({ payerId: p })).toEqual(ids(order([c1, c2, c3, c4, c6, c7])))
              expect(yield* query({ patientId: q2 })).toEqual([c3.id])
              expect(yield* query({ servedOnOrBefore: d("2025-03-10") })).toEqual(ids(order([c1, c2, c3, c5, c6, c7])))
              expect(yield* query({ servedOnOrAfter: d("2025-03-10") })).toEqual(ids(order([c2, c3, c4, c5, c6])))
              expect(yield* query({ servedOnOrAfter: d("2025-03-10"), servedOnOrBefore: d("2025-03-10") })).toEqual(
                ids(order([c2, c3, c5, c6]))
              )
              expect(yield* query({ servedOnOrAfter: d("2025-03-12") })).toEqual([])
              expect(
                yield* query({ status: ["submitted"], payerId: p, patientId: q, servedOnOrAfter: d("2025-03-10") })
              ).toEqual(ids(order([c2, c4])))
              // The page's items are the claims themselves.
              const page = yield* s.claims.query({ patientId: q2 })
              expect(page.items).toEqual([c3])
            })
          ),
        timeout
      )

      it.effect(
        "query pages return every matching claim exactly once, in order, with no next on the last page",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.payerId()
              const days = [
                "2025-02-01",
                "2025-02-01",
                "2025-02-01",
                "2025-02-02",
                "2025-02-03",
                "2025-02-03",
                "2025-02-04"
              ]
              const matching = days.map((day) => F.claim(tenant, { payerId: p, serviceDate: day, status: "submitted" }))
              const other = F.claim(tenant, { serviceDate: "2025-02-02", status: "submitted" })
              yield* s.claims.create(shuffled([...matching, other]))
              const expected = [...matching]
                .sort((a, b) =>
                  a.serviceDate !== b.serviceDate ? (a.serviceDate < b.serviceDate ? -1 : 1) : a.id < b.id ? -1 : 1
                )
                .map((c) => c.id)
              for (const limit of [1, 2, 3, 7]) {
                const pages = yield* allPages((r) => s.claims.query({ payerId: p, ...r }), limit)
                const seen = pages.flatMap((page) => ids(page.items))
                expect(seen).toEqual(expected)
                for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(limit)
                expect(pages.at(-1)?.next).toBeUndefined()
              }
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("submissions (the outbox)", () => {
      it.effect(
        "enqueue stores a submission; a taken key is a Conflict that leaves the first one",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const first = F.submission(tenant)
              yield* s.submissions.enqueue(first)
              expect(some(yield* s.submissions.get(first.key))).toEqual(first)
              const again = F.submission(tenant, { key: first.key, payload: "ISA*other~", createdAt: 1 })
              yield* expectStoreError(s.submissions.enqueue(again), "Conflict")
              expect(some(yield* s.submissions.get(first.key))).toEqual(first)
              expect(Option.isNone(yield* s.submissions.get(F.submissionKey()))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "pending lists pending submissions oldest first, up to the limit",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const newest = F.submission(tenant, { createdAt: 3000 })
              const oldest = F.submission(tenant, { createdAt: 1000 })
              const middle = F.submission(tenant, { createdAt: 2000 })
              for (const x of [newest, oldest, middle]) yield* s.submissions.enqueue(x)
              expect((yield* s.submissions.pending()).map((x) => x.key)).toEqual([oldest.key, middle.key, newest.key])
              expect(yield* s.submissions.pending(2)).toEqual([oldest, middle])
              expect((yield* s.submissions.pending(1)).map((x) => x.key)).toEqual([oldest.key])
            })
          ),
        timeout
      )

      it.effect(
        "markSent marks it sent at the instant and takes it out of pending",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const a = F.submission(tenant, { createdAt: 1000 })
              const b = F.submission(tenant, { createdAt: 2000 })
              yield* s.submissions.enqueue(a)
              yield* s.submissions.enqueue(b)
              yield* s.submissions.markSent(a.key, 1_750_000_000_000)
              const sent = some(yield* s.submissions.get(a.key))
              expect(sent.status).toBe("sent")
              expect(sent.sentAt).toBe(1_750_000_000_000)
              expect(sent.claimIds).toEqual(a.claimIds)
              expect(sent.payload).toBe(a.payload)
              expect((yield* s.submissions.pending()).map((x) => x.key)).toEqual([b.key])
              expect(some(yield* s.submissions.get(b.key))).toEqual(b)
            })
          ),
        timeout
      )

      it.effect(
        "markFailed makes a submission failed (out of pending) with its error and one more attempt; requeue puts it back",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const a = F.submission(tenant, { createdAt: 1000 })
              const b = F.submission(tenant, { createdAt: 2000 })
              yield* s.submissions.enqueue(a)
              yield* s.submissions.enqueue(b)
              yield* s.submissions.markFailed(a.key, "TA1-022")
              const failed = some(yield* s.submissions.get(a.key))
              expect(failed.status).toBe("failed")
              expect(failed.lastError).toBe("TA1-022")
              expect(failed.sentAt).toBeUndefined()
              expect(failed.claimIds).toEqual(a.claimIds)
              expect(failed.payload).toBe(a.payload)
              expect(failed.attempts).toBe(a.attempts + 1)
              expect((yield* s.submissions.pending()).map((x) => x.key)).toEqual([b.key])
              yield* s.submissions.requeue(a.key)
              const requeued = some(yield* s.submissions.get(a.key))
              expect(requeued.status).toBe("pending")
              expect(requeued.attempts).toBe(a.attempts + 1)
              expect(requeued.lastError).toBe("TA1-022")
              expect((yield* s.submissions.pending()).map((x) => x.key)).toEqual([a.key, b.key])
              yield* s.submissions.markSent(a.key, 1_750_000_000_000)
              yield* expectStoreError(s.submissions.markSent(a.key, 1_750_000_000_001), "Conflict")
              expect(some(yield* s.submissions.get(a.key)).sentAt).toBe(1_750_000_000_000)
              yield* expectStoreError(s.submissions.requeue(a.key), "Conflict")
              yield* expectStoreError(s.submissions.markFailed(a.key, "late"), "Conflict")
              expect(some(yield* s.submissions.get(a.key)).status).toBe("sent")
              yield* expectStoreError(s.submissions.requeue(F.submissionKey()), "Conflict")
            })
          ),
        timeout
      )

      it.effect(
        "markSent and markFailed of an unknown key fail and create nothing",
        () =>
          inTenant((s) =>
            Effect.gen(function* () {
              const key = F.submissionKey()
              yield* expectStoreError(s.submissions.markSent(key, 1_750_000_000_000))
              yield* expectStoreError(s.submissions.markFailed(key, "TA1-022"))
              expect(Option.isNone(yield* s.submissions.get(key))).toBe(true)
              expect(yield* s.submissions.pending()).toEqual([])
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("remittances", () => {
      it.effect(
        "record is once per content hash: the same content again is a Duplicate naming the first id",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const first = F.remittance(tenant)
              expect(yield* s.remittances.record(first)).toEqual({ _tag: "Recorded" })
              const again = F.remittance(tenant, { contentHash: first.contentHash, traceNumber: "TRN-9" })
              expect(yield* s.remittances.record(again)).toEqual({ _tag: "Duplicate", existing: first.id })
              expect(yield* s.remittances.record(first)).toEqual({ _tag: "Duplicate", existing: first.id })
              expect(some(yield* s.remittances.get(first.id))).toEqual(first)
              expect(Option.isNone(yield* s.remittances.get(again.id))).toBe(true)
              expect((yield* s.remittances.list()).items).toEqual([first])
              const other = F.remittance(tenant)
              expect(yield* s.remittances.record(other)).toEqual({ _tag: "Recorded" })
            })
          ),
        timeout
      )

      it.effect(
        "post is all or none: a taken posting id is a Conflict and none of the batch is stored",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const r = F.remittance(tenant)
              yield* s.remittances.record(r)
              const c1 = F.claimId()
              const c2 = F.claimId()
              const taken = F.posting({ remittanceId: r.id, claimId: c1 })
              yield* s.remittances.post([taken])
              const fresh = F.posting({
                remittanceId: r.id,
                claimId: c2,
                kind: "contractual",
                group: "CO",
                reason: "45"
              })
              const again = F.posting({ id: taken.id, remittanceId: r.id, claimId: c2, amount: -1 })
              yield* expectStoreError(s.remittances.post([fresh, again]), "Conflict")
              expect(yield* s.remittances.postings({ remittanceId: r.id })).toEqual([taken])
              expect(yield* s.remittances.postings({ claimId: c2 })).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "postings are found by remittance and by claim",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const r1 = F.remittance(tenant)
              const r2 = F.remittance(tenant)
              yield* s.remittances.record(r1)
              yield* s.remittances.record(r2)
              const c1 = F.claimId()
              const c2 = F.claimId()
              const p1 = F.posting({ remittanceId: r1.id, claimId: c1 })
              const p2 = F.posting({ remittanceId: r1.id, claimId: c2, kind: "patient-responsibility", amount: 2500 })
              const p3 = F.posting({ remittanceId: r2.id, claimId: c1, kind: "contractual", amount: -500 })
              const plb = F.posting({ remittanceId: r2.id, kind: "provider-level", amount: -100, line: undefined })
              yield* s.remittances.post([p1, p2])
              yield* s.remittances.post([p3, plb])
              expect(byId(yield* s.remittances.postings({ remittanceId: r1.id }))).toEqual(byId([p1, p2]))
              expect(byId(yield* s.remittances.postings({ remittanceId: r2.id }))).toEqual(byId([p3, plb]))
              expect(byId(yield* s.remittances.postings({ claimId: c1 }))).toEqual(byId([p1, p3]))
              expect(yield* s.remittances.postings({ claimId: c2 })).toEqual([p2])
              expect(yield* s.remittances.postings({ claimId: F.claimId() })).toEqual([])
              expect(yield* s.remittances.postings({ remittanceId: F.remittanceId() })).toEqual([])
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("denials", () => {
      it.effect(
        "save writes a new denial at version 0, then each change at the stored version bumps it",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const fresh = F.denial(tenant)
              const saved = yield* s.denials.save(fresh)
              expect(saved).toEqual(fresh)
              expect(saved.version).toBe(0)
              expect(some(yield* s.denials.get(fresh.id))).toEqual(saved)

              const changed = yield* s.denials.save(
                F.denial(tenant, { ...saved, status: "in-progress", assignee: "user:w1" })
              )
              expect(changed).toEqual(
                F.denial(tenant, { ...saved, status: "in-progress", assignee: "user:w1", version: 1 })
              )
              expect(some(yield* s.denials.get(fresh.id))).toEqual(changed)

              const again = yield* s.denials.save(F.denial(tenant, { ...changed, status: "appealed" }))
              expect(again.version).toBe(2)
              expect(again.status).toBe("appealed")
            })
          ),
        timeout
      )

      it.effect(
        "save at a stale version is a Conflict; a new denial must be at version 0",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const saved = yield* s.denials.save(F.denial(tenant))
              const changed = yield* s.denials.save(F.denial(tenant, { ...saved, status: "in-progress" }))
              yield* expectStoreError(s.denials.save(F.denial(tenant, { ...saved, status: "resolved" })), "Conflict")
              yield* expectStoreError(
                s.denials.save(F.denial(tenant, { ...saved, status: "resolved", version: 5 })),
                "Conflict"
              )
              expect(some(yield* s.denials.get(saved.id))).toEqual(changed)

              const unknown = F.denial(tenant, { version: 3 })
              yield* expectStoreError(s.denials.save(unknown), "Conflict")
              expect(Option.isNone(yield* s.denials.get(unknown.id))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "queue is highest priority first (by number, not text), then by id, filtered and paged",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.payerId()
              const p2 = F.payerId()
              const top = F.denial(tenant, { payerId: p, priority: 100 })
              const tenA = F.denial(tenant, { payerId: p, priority: 10 })
              const tenB = F.denial(tenant, { payerId: p, priority: 10 })
              const nineHalf = F.denial(tenant, { payerId: p2, priority: 9.5, assignee: "user:w1" })
              const low = F.denial(tenant, { payerId: p, priority: -2, assignee: "user:w2", status: "in-progress" })
              const resolved = F.denial(tenant, { payerId: p, priority: 50, status: "resolved" })
              for (const x of shuffled([top, tenA, tenB, nineHalf, low, resolved])) yield* s.denials.save(x)

              const queue = (q: Store.DenialQuery, limit = 1000) =>
                Effect.map(
                  allPages((r) => s.denials.queue({ ...q, ...r }), limit),
                  (pages) => pages.flatMap((page) => ids(page.items))
                )
              const tens = [tenA.id, tenB.id].sort()
              expect(yield* queue({ status: ["open", "in-progress"] })).toEqual([top.id, ...tens, nineHalf.id, low.id])
              expect(yield* queue({ status: ["open"] })).toEqual([top.id, ...tens, nineHalf.id])
              expect(yield* queue({ status: ["resolved"] })).toEqual([resolved.id])
              expect(yield* queue({ status: ["open", "in-progress", "resolved"] })).toEqual([
                top.id,
                resolved.id,
                ...tens,
                nineHalf.id,
                low.id
              ])
              expect(yield* queue({ assignee: "user:w1" })).toEqual([nineHalf.id])
              expect(yield* queue({ payerId: p2 })).toEqual([nineHalf.id])
              expect(yield* queue({ payerId: p, status: ["in-progress"], assignee: "user:w2" })).toEqual([low.id])
              expect(yield* queue({ payerId: F.payerId() })).toEqual([])
              // Paged: every denial once, in order, whatever the page size.
              const everything = yield* queue({ status: ["open", "in-progress", "resolved"] })
              for (const limit of [1, 2, 4]) {
                const pages = yield* allPages(
                  (r) => s.denials.queue({ status: ["open", "in-progress", "resolved"], ...r }),
                  limit
                )
                expect(pages.flatMap((page) => ids(page.items))).toEqual(everything)
                for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(limit)
                expect(pages.at(-1)?.next).toBeUndefined()
              }
              const firstPage = yield* s.denials.queue({ status: ["open"], limit: 1 })
              expect(firstPage.items).toEqual([top])
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("patient ledger", () => {
      it.effect(
        "append, forPatient and balance: the balance is the sum of the patient's entries, negatives included",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const q = F.patientId()
              const q2 = F.patientId()
              const q3 = F.patientId()
              const mine = [
                F.patientLedgerEntry(tenant, { patientId: q, kind: "copay", amount: 2500 }),
                F.patientLedgerEntry(tenant, { patientId: q, kind: "coinsurance", amount: 4000 }),
                F.patientLedgerEntry(tenant, { patientId: q, kind: "payment", amount: -3000 }),
                F.patientLedgerEntry(tenant, { patientId: q, kind: "adjustment", amount: -500 })
              ]
              const theirs = F.patientLedgerEntry(tenant, { patientId: q2, kind: "deductible", amount: 1000 })
              const credit = [
                F.patientLedgerEntry(tenant, { patientId: q3, kind: "fee", amount: 2000 }),
                F.patientLedgerEntry(tenant, { patientId: q3, kind: "payment", amount: -5000 })
              ]
              yield* s.patientLedger.append([mine[0], mine[1], theirs].filter((x) => x !== undefined))
              yield* s.patientLedger.append([mine[2], mine[3], ...credit].filter((x) => x !== undefined))
              expect(byId(yield* s.patientLedger.forPatient(q))).toEqual(byId(mine))
              expect(yield* s.patientLedger.forPatient(q2)).toEqual([theirs])
              expect(yield* s.patientLedger.balance(q)).toBe(3000)
              expect(yield* s.patientLedger.balance(q2)).toBe(1000)
              expect(yield* s.patientLedger.balance(q3)).toBe(-3000)
              expect(yield* s.patientLedger.balance(F.patientId())).toBe(0)
              expect(yield* s.patientLedger.forPatient(F.patientId())).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "append of a taken entry id is a Conflict and leaves the entry and the balance",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const q = F.patientId()
              const entry = F.patientLedgerEntry(tenant, { patientId: q, amount: 2500 })
              yield* s.patientLedger.append([entry])
              yield* expectStoreError(
                s.patientLedger.append([F.patientLedgerEntry(tenant, { id: entry.id, patientId: q, amount: 9999 })]),
                "Conflict"
              )
              expect(yield* s.patientLedger.forPatient(q)).toEqual([entry])
              expect(yield* s.patientLedger.balance(q)).toBe(2500)
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("reports.aging", () => {
      it.effect(
        "buckets receivable balances by days since service at 30/31, 60/61, 90/91 and 120/121, per payer",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const asOf = d("2025-06-30")
              const base = F.unique("pay")
              const p1 = F.payerId(`${base}-a`)
              const p2 = F.payerId(`${base}-b`)
              const p3 = F.payerId(`${base}-c`)
              const claim = (payerId: Ids.PayerId, status: Claim.Status, age: number, balance: number) =>
                F.claim(tenant, {
                  payerId,
                  status,
                  balance,
                  serviceDate: DateOfService.addDays(asOf, -age)
                })
              const receivableAtP1 = [
                claim(p1, "submitted", 0, 1),
                claim(p1, "submitted", 30, 2),
                claim(p1, "submitted", 31, 4),
                claim(p1, "submitted", 60, 8),
                claim(p1, "submitted", 61, 16),
                claim(p1, "submitted", 90, 32),
                claim(p1, "submitted", 91, 64),
                claim(p1, "submitted", 120, 128),
                claim(p1, "submitted", 121, 256),
                claim(p1, "submitted", 400, 512)
              ]
              const receivableAtP2 = [
                claim(p2, "accepted", 10, 1000),
                claim(p2, "rejected", 45, 2000),
                claim(p2, "partially-paid", 75, 3000),
                claim(p2, "denied", 100, 4000),
                claim(p2, "corrected", 130, 5000),
                claim(p2, "appealed", 5, 6000)
              ]
              const notReceivable = [
                claim(p2, "paid", 10, 70000),
                claim(p2, "closed", 10, 70000),
                claim(p2, "draft", 10, 70000),
                claim(p2, "scrubbed", 10, 70000),
                claim(p2, "ready", 10, 70000),
                claim(p2, "submitted", 10, 0),
                claim(p2, "denied", 10, -500),
                claim(p3, "paid", 10, 70000),
                claim(p3, "submitted", 10, 0)
              ]
              yield* s.claims.create(shuffled([...receivableAtP1, ...receivableAtP2, ...notReceivable]))

              const aging = yield* s.reports.aging(asOf)
              expect(aging.asOf).toBe(asOf)
              expect(aging.rows).toEqual([
                {
                  payerId: p1,
                  claims: 10,
                  days0to30: 3,
                  days31to60: 12,
                  days61to90: 48,
                  days91to120: 192,
                  over120: 768,
                  total: 1023
                },
                {
                  payerId: p2,
                  claims: 6,
                  days0to30: 7000,
                  days31to60: 2000,
                  days61to90: 3000,
                  days91to120: 4000,
                  over120: 5000,
                  total: 21000
                }
              ])
            })
          ),
        timeout
      )

      it.effect(
        "ages from the asked day, and a tenant without receivables has no rows",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              expect((yield* s.reports.aging(d("2025-06-30"))).rows).toEqual([])
              const p = F.payerId()
              yield* s.claims.create([F.claim(tenant, { payerId: p, status: "submitted", serviceDate: "2025-05-01" })])
              const early = yield* s.reports.aging(d("2025-05-31"))
              const late = yield* s.reports.aging(d("2025-06-01"))
              expect(early.rows.map((r) => [r.payerId, r.days0to30, r.days31to60])).toEqual([[p, 15000, 0]])
              expect(late.rows.map((r) => [r.payerId, r.days0to30, r.days31to60])).toEqual([[p, 0, 15000]])
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("transaction", () => {
      it.effect(
        "a failure inside rolls back every write made inside: the claim's move and its submission together",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant, { status: "ready" })
              yield* s.claims.create([c])
              const sub = F.submission(tenant, { claimIds: [c.id] })
              const error = yield* failureOf(
                s.transaction(
                  Effect.gen(function* () {
                    yield* s.claims.transition(c.id, {
                      to: "submitted",
                      expectedVersion: 0,
                      set: { submittedAt: 1_741_300_000_000 }
                    })
                    yield* s.submissions.enqueue(sub)
                    return yield* Effect.fail("sender crashed" as const)
                  })
                )
              )
              expect(error).toBe("sender crashed")
              expect(some(yield* s.claims.get(c.id))).toEqual(c)
              expect((yield* s.claims.history(c.id)).length).toBe(1)
              expect(Option.isNone(yield* s.submissions.get(sub.key))).toBe(true)
              expect(yield* s.submissions.pending()).toEqual([])
              // The same move succeeds afterwards at the version it read: nothing of the failed one remains.
              yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
              yield* s.submissions.enqueue(sub)
            })
          ),
        timeout
      )

      it.effect(
        "a store error inside rolls back the writes before it",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant, { status: "ready" })
              const taken = F.submission(tenant)
              yield* s.claims.create([c])
              yield* s.submissions.enqueue(taken)
              const p = F.patient(tenant)
              yield* expectStoreError(
                s.transaction(
                  Effect.gen(function* () {
                    yield* s.patients.put(p)
                    yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
                    yield* s.submissions.enqueue(F.submission(tenant, { key: taken.key, claimIds: [c.id] }))
                  })
                ),
                "Conflict"
              )
              expect(some(yield* s.claims.get(c.id))).toEqual(c)
              expect(Option.isNone(yield* s.patients.get(p.id))).toBe(true)
              expect(some(yield* s.submissions.get(taken.key))).toEqual(taken)
            })
          ),
        timeout
      )

      it.effect(
        "a defect inside rolls back too",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.patient(tenant)
              const exit = yield* Effect.exit(
                s.transaction(Effect.andThen(s.patients.put(p), Effect.die(new Error("bug"))))
              )
              expect(Exit.hasDies(exit)).toBe(true)
              expect(Option.isNone(yield* s.patients.get(p.id))).toBe(true)
            })
          ),
        timeout
      )

      it.effect(
        "success commits every write, and reads inside see the writes before them",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const c = F.claim(tenant, { status: "ready" })
              yield* s.claims.create([c])
              const sub = F.submission(tenant, { claimIds: [c.id] })
              const result = yield* s.transaction(
                Effect.gen(function* () {
                  const moved = yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
                  yield* s.submissions.enqueue(sub)
                  const seen = yield* s.submissions.get(sub.key)
                  const claim = yield* s.claims.get(c.id)
                  return { moved, seen, claim }
                })
              )
              expect(some(result.seen)).toEqual(sub)
              expect(some(result.claim)).toEqual(result.moved)
              expect(some(yield* s.claims.get(c.id))).toEqual(result.moved)
              expect(result.moved.status).toBe("submitted")
              expect(some(yield* s.submissions.get(sub.key))).toEqual(sub)
              expect((yield* s.submissions.pending()).map((x) => x.key)).toEqual([sub.key])
            })
          ),
        timeout
      )

      it.effect(
        "a nested transaction joins the outer one: the outer failure rolls back the inner writes",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const inner = F.patient(tenant)
              const outer = F.patient(tenant)
              const error = yield* failureOf(
                s.transaction(
                  Effect.gen(function* () {
                    yield* s.transaction(s.patients.put(inner))
                    yield* s.patients.put(outer)
                    return yield* Effect.fail("later failure" as const)
                  })
                )
              )
              expect(error).toBe("later failure")
              expect(Option.isNone(yield* s.patients.get(inner.id))).toBe(true)
              expect(Option.isNone(yield* s.patients.get(outer.id))).toBe(true)

              yield* s.transaction(
                Effect.gen(function* () {
                  yield* s.transaction(s.patients.put(inner))
                  yield* s.patients.put(outer)
                })
              )
              expect(some(yield* s.patients.get(inner.id))).toEqual(inner)
              expect(some(yield* s.patients.get(outer.id))).toEqual(outer)
            })
          ),
        timeout
      )
      it.effect(
        "a nested transaction that fails is undone alone; the outer one may go on and commit",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const inner = F.patient(tenant)
              const outer = F.patient(tenant)
              yield* s.transaction(
                Effect.gen(function* () {
                  yield* s.patients.put(outer)
                  const error = yield* failureOf(
                    s.transaction(Effect.andThen(s.patients.put(inner), Effect.fail("inner failure" as const)))
                  )
                  expect(error).toBe("inner failure")
                })
              )
              expect(some(yield* s.patients.get(outer.id))).toEqual(outer)
              expect(Option.isNone(yield* s.patients.get(inner.id))).toBe(true)
              expect((yield* s.audit.verify())._tag).toBe("Intact")
            })
          ),
        timeout
      )

      it.effect(
        "an operation that fails inside a transaction leaves nothing of itself when the outer one goes on",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const taken = F.claim(tenant)
              yield* s.claims.create([taken])
              const fresh = Array.from({ length: 3 }, () => F.claim(tenant))
              yield* s.transaction(
                Effect.gen(function* () {
                  yield* expectStoreError(s.claims.create([...fresh, taken]), "Conflict")
                })
              )
              for (const claim of fresh) expect(Option.isNone(yield* s.claims.get(claim.id))).toBe(true)
              expect((yield* s.audit.verify())._tag).toBe("Intact")
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("requests", () => {
      it.effect(
        "a cursor that is not one of the list's next is an InvalidRequest, on every paged list",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              yield* s.denials.save(F.denial(tenant))
              yield* s.denials.save(F.denial(tenant))
              const denialCursor = (yield* s.denials.queue({ limit: 1 })).next
              expect(denialCursor).toBeDefined()
              yield* expectStoreError(s.claims.query({ cursor: denialCursor }), "InvalidRequest")
              for (const cursor of ["not a cursor", "eyJ4IjoxfQ", ""]) {
                yield* expectStoreError(s.patients.list({ cursor }), "InvalidRequest")
                yield* expectStoreError(s.claims.query({ cursor }), "InvalidRequest")
                yield* expectStoreError(s.denials.queue({ cursor }), "InvalidRequest")
                yield* expectStoreError(s.remittances.list({ cursor }), "InvalidRequest")
              }
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("audit", () => {
      const eventsOf = (s: StoreShape) => s.audit.events({ sequence: 1, limit: Store.maxPageSize })

      it.effect(
        "a write records who, for which tenant, why, what, on which record and the outcome",
        () => {
          const tenant = F.tenantId()
          const actor = "user:audit-42"
          return Effect.gen(function* () {
            const s = yield* Store.Store
            const p = F.patient(tenant)
            yield* s.patients.put(p)
            const c = F.claim(tenant, { status: "ready", patientId: p.id })
            yield* s.claims.create([c])
            yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
            const events = yield* eventsOf(s)
            for (const event of events) {
              expect(() => Schema.decodeUnknownSync(Audit.Event)(event)).not.toThrow()
              expect(event.tenantId).toBe(tenant)
              expect(event.actor).toBe(actor)
              expect(event.purpose).toBe("payment")
            }
            const find = (action: string, entityId: string) =>
              events.filter((e) => e.action === action && e.entityId === entityId)
            expect(find("patients.put", p.id).map(({ entity, outcome }) => ({ entity, outcome }))).toEqual([
              { entity: "patient", outcome: "success" }
            ])
            expect(find("claims.create", c.id).map(({ entity, outcome }) => ({ entity, outcome }))).toEqual([
              { entity: "claim", outcome: "success" }
            ])
            expect(find("claims.transition", c.id).map(({ entity, outcome }) => ({ entity, outcome }))).toEqual([
              { entity: "claim", outcome: "success" }
            ])
            // In the order the operations ran.
            const order = [
              find("patients.put", p.id),
              find("claims.create", c.id),
              find("claims.transition", c.id)
            ].map((found) => found[0]?.sequence ?? 0)
            expect(order).toEqual([...order].sort((x, y) => x - y))
          }).pipe(as(tenant, actor, "payment"))
        },
        timeout
      )

      it.effect(
        "a read of PHI records an event: success when found, not-found when missing",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.patient(tenant)
              yield* s.patients.put(p)
              const missing = F.patientId()
              yield* s.patients.get(p.id)
              yield* s.patients.get(missing)
              const events = yield* eventsOf(s)
              const reads = events.filter((e) => e.action === "patients.get")
              expect(reads.map(({ entity, entityId, outcome }) => ({ entity, entityId, outcome }))).toEqual([
                { entity: "patient", entityId: p.id, outcome: "success" },
                { entity: "patient", entityId: missing, outcome: "not-found" }
              ])
              for (const e of reads) expect(e.actor).toBe(testActor)
            })
          ),
        timeout
      )

      it.effect(
        "sequences run 1..n per tenant without gaps, the chain verifies, and verify says Intact",
        () =>
          Effect.gen(function* () {
            const s = yield* Store.Store
            const a = F.tenantId()
            const b = F.tenantId()
            // Interleaved writes and reads of two tenants, and failures.
            for (let i = 0; i < 3; i++) {
              const pa = F.patient(a)
              yield* s.patients.put(pa).pipe(as(a))
              yield* s.patients.put(F.patient(b)).pipe(as(b))
              yield* s.patients.get(pa.id).pipe(as(a))
              yield* s.patients.get(pa.id).pipe(as(b))
            }
            const c = F.claim(a, { status: "ready" })
            yield* s.claims.create([c]).pipe(as(a))
            yield* Effect.exit(s.claims.create([c])).pipe(as(a))
            yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 }).pipe(as(a))
            yield* Effect.exit(s.claims.transition(c.id, { to: "accepted", expectedVersion: 0 })).pipe(as(a))
            yield* s.denials.save(F.denial(a, { claimId: c.id })).pipe(as(a))
            yield* s.patientLedger.append([F.patientLedgerEntry(a)]).pipe(as(a))
            yield* s.submissions.enqueue(F.submission(a, { claimIds: [c.id] })).pipe(as(a))
            yield* Effect.exit(s.patients.put(F.patient(b))).pipe(as(a))
            yield* s.reports.aging(d("2025-06-30")).pipe(as(a))

            for (const tenant of [a, b]) {
              const events = yield* eventsOf(s).pipe(as(tenant))
              expect(events.length).toBeGreaterThan(0)
              expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
              for (const e of events) expect(e.tenantId).toBe(tenant)
              const last = events.at(-1) as Audit.Event
              expect(events[0]?.previousHash).toBe(Audit.genesis)
              // The chain is Audit's: each hash covers the event and links to the one before.
              const checked = yield* Audit.verify(tenant, events, { sequence: last.sequence, hash: last.hash })
              expect(checked._tag).toBe("Intact")
              const verified = yield* s.audit.verify().pipe(as(tenant))
              expect(verified._tag).toBe("Intact")
              if (verified._tag === "Intact") {
                expect(verified.events).toBe(verified.head.sequence)
                expect(verified.events).toBeGreaterThanOrEqual(events.length)
                if (verified.events === events.length) expect(verified.head.hash).toBe(last.hash)
              }
            }
          }),
        timeout
      )

      it.effect(
        "events reads from a sequence, up to a limit",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              for (let i = 0; i < 5; i++) yield* s.patients.put(F.patient(tenant))
              const all = yield* eventsOf(s)
              expect(all.length).toBeGreaterThanOrEqual(5)
              const two = yield* s.audit.events({ limit: 2 })
              expect(two).toEqual(all.slice(0, 2))
              const fromThree = yield* s.audit.events({ sequence: 3, limit: 2 })
              expect(fromThree).toEqual(all.slice(2, 4))
              const tail = yield* s.audit.events({ sequence: all.length })
              expect(tail[0]).toEqual(all.at(-1))
              expect(yield* s.audit.events({ sequence: all.length + 1000 })).toEqual([])
            })
          ),
        timeout
      )

      it.effect(
        "events and errors carry no PHI values",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              const p = F.patient(tenant)
              const member = F.memberId()
              const cov = F.coverage(tenant, { patientId: p.id, memberId: member })
              const c = F.claim(tenant, { patientId: p.id, status: "ready" })
              const sub = F.submission(tenant, { claimIds: [c.id] })
              const den = F.denial(tenant, { claimId: c.id })
              const errors: Array<unknown> = []
              yield* s.patients.put(p)
              yield* s.patients.get(p.id)
              yield* s.patients.list()
              yield* s.coverages.put(cov)
              yield* s.coverages.get(cov.id)
              yield* s.coverages.forPatient(p.id)
              yield* s.coverages.findByMemberId(member)
              yield* s.coverages.findByMemberId(member, cov.payerId)
              yield* s.claims.create([c])
              yield* s.claims.get(c.id)
              yield* s.claims.query({ patientId: p.id })
              yield* s.claims.transition(c.id, { to: "submitted", expectedVersion: 0 })
              yield* s.submissions.enqueue(sub)
              yield* s.submissions.get(sub.key)
              yield* s.submissions.pending()
              yield* s.denials.save(den)
              yield* s.denials.get(den.id)
              yield* s.denials.queue({})
              errors.push(yield* expectStoreError(s.claims.create([c]), "Conflict"))
              errors.push(yield* expectStoreError(s.submissions.enqueue(sub), "Conflict"))
              errors.push(yield* expectStoreError(s.patients.put(F.patient(F.tenantId())), "TenantMismatch"))
              errors.push(yield* expectStoreError(s.coverages.put(F.coverage(F.tenantId(), { memberId: member }))))
              errors.push(
                yield* expectStoreError(s.claims.update(F.claim(tenant, { ...c, diagnoses: ["F99"], version: 0 })))
              )

              const events = yield* eventsOf(s)
              expect(events.length).toBeGreaterThan(0)
              const texts = [
                safeJson(events),
                ...errors.map((e) => `${safeJson(e)} ${String(e)} ${(e as Error).message}`)
              ]
              const secrets = [
                phi.firstName,
                phi.lastName,
                phi.dateOfBirth,
                phi.phone,
                phi.line1,
                phi.city,
                phi.subscriberFirstName,
                phi.subscriberDateOfBirth,
                phi.note,
                phi.payloadName,
                member,
                ...phi.diagnoses
              ].map((x) => x.toLowerCase())
              for (const text of texts) {
                const lower = text.toLowerCase()
                for (const secret of secrets) expect(lower, `PHI "${secret}" found`).not.toContain(secret)
              }
            })
          ),
        timeout
      )

      it.effect(
        "a rolled-back transaction leaves no event of its writes and no gap in the sequence",
        () =>
          inTenant((s, tenant) =>
            Effect.gen(function* () {
              yield* s.patients.put(F.patient(tenant))
              const p = F.patient(tenant)
              const c = F.claim(tenant)
              yield* Effect.exit(
                s.transaction(
                  Effect.gen(function* () {
                    yield* s.patients.put(p)
                    yield* s.claims.create([c])
                    return yield* Effect.fail("abort" as const)
                  })
                )
              )
              const after = F.patient(tenant)
              yield* s.patients.put(after)
              const events = yield* eventsOf(s)
              expect(events.filter((e) => e.entityId === p.id || e.entityId === c.id)).toEqual([])
              expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
              expect(events.filter((e) => e.action === "patients.put" && e.entityId === after.id).length).toBe(1)
              expect((yield* s.audit.verify())._tag).toBe("Intact")
            })
          ),
        timeout
      )
    })

    // -----------------------------------------------------------------------------------------------------------
    describe("tenant isolation walk", () => {
      // B is set up once per suite (the walk only reads it; each case checks B is unchanged after it).
      let world: BWorld | undefined
      const worldOf = (s: StoreShape) =>
        world === undefined
          ? Effect.tap(setUpB(s), (w) =>
              Effect.sync(() => {
                world = w
              })
            )
          : Effect.succeed(world)

      it.effect(
        "the walk has a row for every Store operation, and only for those",
        () =>
          Effect.gen(function* () {
            const s = yield* Store.Store
            const rows = walkRows()
            const tabled = rows.map(([op]) => op).sort()
            expect(tabled).toEqual(operationsOf(s))
            for (const [op, cases] of rows) expect(cases.length, `${op} has no case`).toBeGreaterThan(0)
          }),
        timeout
      )

      it.effect(
        "B's world is set up and visible to B",
        () =>
          Effect.gen(function* () {
            const s = yield* Store.Store
            const w = yield* worldOf(s)
            const snapshot = yield* snapshotB(s, w)
            expect(Option.isSome(snapshot.patient)).toBe(true)
            expect(Option.isSome(snapshot.claim)).toBe(true)
            expect(snapshot.history.length).toBe(2)
            expect(snapshot.ledger.length).toBe(1)
            expect(snapshot.byMemberId.length).toBe(1)
            expect(snapshot.postingsByClaim.length).toBe(1)
            expect(snapshot.pending.length).toBe(1)
            expect(Option.getOrThrow(snapshot.denial).version).toBe(bDenialVersion)
            expect(Option.getOrThrow(snapshot.claim).version).toBe(bClaimVersion)
            expect(snapshot.aging.rows.length).toBe(1)
            expect(snapshot.balance).toBe(2500)
            const events = yield* s.audit.events({ sequence: 1, limit: Store.maxPageSize }).pipe(as(w.tenant, bActor))
            expect(events.length).toBeGreaterThan(0)
          }),
        timeout
      )

      for (const [op, cases] of walkRows()) {
        for (const walkCase of cases) {
          it.effect(
            `${op} as tenant A (${walkCase.expect}): ${walkCase.name}`,
            () =>
              Effect.gen(function* () {
                const s = yield* Store.Store
                const w = yield* worldOf(s)
                const a = F.tenantId("tenant-a")
                yield* seedA(s, a).pipe(as(a))
                const before = yield* snapshotB(s, w)
                const missing = freshIds()

                if (walkCase.expect === "tenant-mismatch") {
                  for (const set of [w.ids, missing]) {
                    const exit = yield* Effect.exit(walkCase.run(s, set, w.tenant)).pipe(as(a))
                    expect(ending(exit, [set])).toMatchObject({ failure: "StoreError", reason: "TenantMismatch" })
                  }
                } else {
                  const withB = yield* Effect.exit(walkCase.run(s, w.ids, a)).pipe(as(a))
                  if (walkCase.expect === "no-leak") {
                    expect(Exit.isSuccess(withB), Exit.isFailure(withB) ? describeCause(withB.cause) : "").toBe(true)
                    if (Exit.isSuccess(withB)) expectNoTraceOfB(withB.value, w)
                    if (op === "audit.verify" && Exit.isSuccess(withB)) {
                      expect((withB.value as Audit.Verification)._tag).toBe("Intact")
                    }
                    if (op.startsWith("audit.events") && Exit.isSuccess(withB)) {
                      for (const e of withB.value as ReadonlyArray<Audit.Event>) expect(e.tenantId).toBe(a)
                    }
                  } else {
                    const withMissing = yield* Effect.exit(walkCase.run(s, missing, a)).pipe(as(a))
                    expect(ending(withB, [w.ids, missing])).toEqual(ending(withMissing, [w.ids, missing]))
                    if (Exit.isSuccess(withB)) {
                      // A write's result may name the ids it was given; a read's shows nothing of B's.
                      if (op.endsWith(".put") || writes.has(op)) {
                        const text = safeJson(withB.value) ?? ""
                        expect(text).not.toContain(w.tenant)
                        expect(text).not.toContain(bActor)
                      } else expectNoTraceOfB(withB.value, w)
                    }
                  }
                }

                const after = yield* snapshotB(s, w)
                expect(after).toEqual(before)
                // A's calls never reach B's audit trail, and B's chain still verifies.
                const bEvents = yield* s.audit
                  .events({ sequence: 1, limit: Store.maxPageSize })
                  .pipe(as(w.tenant, bActor))
                for (const e of bEvents) {
                  expect(e.tenantId).toBe(w.tenant)
                  expect(e.actor).toBe(bActor)
                }
                expect((yield* s.audit.verify().pipe(as(w.tenant, bActor)))._tag).toBe("Intact")
              }),
            timeout
          )
        }
      }
    })
  })
}

/** The operations that write (their results may name the ids they were given). */
const writes = new Set([
  "coverages.put",
  "authorizations.recordUse",
  "claims.create",
  "claims.update",
  "claims.transition",
  "submissions.enqueue",
  "submissions.markSent",
  "submissions.markFailed",
  "submissions.requeue",
  "remittances.record",
  "remittances.post",
  "denials.save",
  "patientLedger.append",
  "transaction"
])

const phi = F.phi
