import { describe, expect, it } from "@effect/vitest"
import {
  type Audit,
  Authorization,
  Caller,
  Claim,
  Denial,
  Ids,
  Patient,
  PatientLedger,
  Remittance,
  Store,
  Submission
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Deferred, Effect, Exit, Fiber, Layer, Option, Schema } from "effect"
import { TestClock } from "effect/testing"

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

const A = Schema.decodeUnknownSync(Ids.TenantId)("tenant-a")
const B = Schema.decodeUnknownSync(Ids.TenantId)("tenant-b")
const alice: Caller.CallerInfo = { tenantId: A, actor: "user:alice", purpose: "payment" }
const bob: Caller.CallerInfo = { tenantId: B, actor: "user:bob", purpose: "operations" }

/** Runs a store operation as a caller. */
const as =
  (caller: Caller.CallerInfo) =>
  <X, E, R>(effect: Effect.Effect<X, E, R>): Effect.Effect<X, E, Exclude<R, Caller.Caller>> =>
    Effect.provideService(effect, Caller.Caller, caller)
const asA = as(alice)
const asB = as(bob)

const reasonOf = <X>(effect: Effect.Effect<X, Store.StoreError>) =>
  Effect.map(Effect.flip(effect), (error) => error.reason)

const patient = (id: string, tenantId: string = A) =>
  Schema.decodeUnknownSync(Patient.Patient)({
    id,
    tenantId,
    firstName: "Ada",
    lastName: "Lovelace",
    dateOfBirth: "1980-02-03",
    sex: "F",
    address: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" }
  })

const claim = (
  id: string,
  over: {
    readonly serviceDate?: string
    readonly status?: Claim.Status
    readonly payerId?: string
    readonly patientId?: string
    readonly balance?: number
    readonly version?: number
    readonly tenantId?: string
  } = {}
) => {
  const serviceDate = over.serviceDate ?? "2025-03-10"
  return Schema.decodeUnknownSync(Claim.Claim)({
    id,
    tenantId: over.tenantId ?? A,
    patientId: over.patientId ?? "pat-1",
    coverageId: "cov-1",
    payerId: over.payerId ?? "acme",
    billingProviderId: "org-1",
    renderingClinicianId: "cl-1",
    status: over.status ?? "draft",
    frequency: "1",
    serviceDate,
    placeOfService: "11",
    diagnoses: ["F41.1"],
    lines: [
      {
        code: "90834",
        modifiers: [],
        units: 1,
        charge: 15000,
        dateOfService: serviceDate,
        placeOfService: "11",
        diagnosisPointers: [1]
      }
    ],
    charge: 15000,
    balance: over.balance ?? 15000,
    createdAt: 0,
    version: over.version ?? 0
  })
}

const submission = (key: string, createdAt: number, tenantId: string = A) =>
  Schema.decodeUnknownSync(Submission.Submission)({
    key,
    tenantId,
    claimIds: ["c-1"],
    payload: "ISA*...",
    status: "pending",
    attempts: 0,
    createdAt
  })

const hash = (n: number) => n.toString(16).padStart(64, "0")

const remittance = (id: string, contentHash: string, tenantId: string = A) =>
  Schema.decodeUnknownSync(Remittance.Remittance)({
    id,
    tenantId,
    contentHash,
    paymentMethod: "ACH",
    paymentAmount: 10000,
    traceNumber: "TRN-1",
    receivedAt: 0,
    claimCount: 1
  })

const posting = (id: string, remittanceId: string, claimId: string, postedAt = 0): Remittance.Posting =>
  Schema.decodeUnknownSync(Remittance.Posting)({
    id,
    remittanceId,
    claimId,
    kind: "payment",
    amount: 8000,
    postedAt
  })

const denial = (
  id: string,
  over: { priority?: number; version?: number; status?: Denial.Status; tenantId?: string; assignee?: string } = {}
) =>
  Schema.decodeUnknownSync(Denial.Denial)({
    id,
    tenantId: over.tenantId ?? A,
    claimId: "c-1",
    payerId: "acme",
    group: "CO",
    carc: "50",
    rarcs: [],
    amount: 15000,
    priority: over.priority ?? 1,
    status: over.status ?? "open",
    ...(over.assignee === undefined ? {} : { assignee: over.assignee }),
    notes: [],
    createdAt: 0,
    version: over.version ?? 0
  })

const ledgerEntry = (id: string, amount: number, at: number, patientId = "pat-1") =>
  Schema.decodeUnknownSync(PatientLedger.Entry)({ id, tenantId: A, patientId, kind: "copay", amount, at })

const authorization = (id: string, tenantId: string = A) =>
  Schema.decodeUnknownSync(Authorization.Authorization)({
    id,
    tenantId,
    patientId: "pat-1",
    payerId: "acme",
    number: "PA-1",
    codes: ["90834"],
    unitType: "sessions",
    approved: 10,
    period: { start: "2025-01-01", end: "2025-12-31" },
    status: "approved"
  })

const use = (authorizationId: string, sessionId: string, dateOfService: string, kind: "reserved" | "used") =>
  Schema.decodeUnknownSync(Authorization.LedgerEntry)({ authorizationId, sessionId, dateOfService, units: 1, kind })

const fresh = InMemoryStore.makeWithBackdoor

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((item) => item.id)

// ---------------------------------------------------------------------------------------------------------------

describe("InMemoryStore", () => {
  describe("tenant walls", () => {
    it.effect("another tenant's record is invisible: not got, not listed, not updated, not moved", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.patients.put(patient("p-1")))
        yield* asA(store.claims.create([claim("c-1")]))

        expect(Option.isSome(yield* asA(store.patients.get(patient("p-1").id)))).toBe(true)
        expect(yield* asB(store.patients.get(patient("p-1").id))).toEqual(Option.none())
        expect((yield* asB(store.patients.list())).items).toEqual([])
        expect((yield* asB(store.claims.query({}))).items).toEqual([])
        expect(yield* asB(store.claims.history(claim("c-1").id))).toEqual([])

        const transition = yield* reasonOf(
          asB(store.claims.transition(claim("c-1").id, { to: "scrubbed", expectedVersion: 0 }))
        )
        expect(transition).toMatchObject({ _tag: "Conflict", entity: "claim", detail: "not found" })
        // Writing a claim of B with the same id is B's own claim, not a collision with A's.
        yield* asB(store.claims.create([claim("c-1", { tenantId: B })]))
        expect((yield* asA(store.claims.query({}))).items.map((c) => c.tenantId)).toEqual([A])
      })
    )

    it.effect("refuses to write a record naming another tenant, and writes nothing", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const refused = [
          yield* reasonOf(asA(store.patients.put(patient("p-1", B)))),
          yield* reasonOf(asA(store.claims.create([claim("c-1"), claim("c-2", { tenantId: B })]))),
          yield* reasonOf(asA(store.claims.update(claim("c-1", { tenantId: B })))),
          yield* reasonOf(asA(store.submissions.enqueue(submission("k-1", 0, B)))),
          yield* reasonOf(asA(store.remittances.record(remittance("r-1", hash(1), B)))),
          yield* reasonOf(asA(store.denials.save(denial("d-1", { tenantId: B }))))
        ]
        for (const reason of refused) expect(reason._tag).toBe("TenantMismatch")
        expect((yield* asA(store.claims.query({}))).items).toEqual([])
        expect((yield* asB(store.claims.query({}))).items).toEqual([])
      })
    )

    it.effect("each tenant has its own audit chain", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.patients.put(patient("p-1")))
        yield* asB(store.patients.put(patient("p-1", B)))
        yield* asB(store.patients.get(patient("p-1", B).id))
        expect((yield* asA(store.audit.events())).map((e) => e.sequence)).toEqual([1])
        expect((yield* asB(store.audit.events())).map((e) => [e.sequence, e.tenantId, e.actor])).toEqual([
          [1, B, "user:bob"],
          [2, B, "user:bob"]
        ])
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 1 })
        expect(yield* asB(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 2 })
      })
    )
  })

  describe("copies", () => {
    it.effect("stores a copy and returns new records equal by value", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const original = claim("c-1")
        yield* asA(store.claims.create([original]))
        ;(original.lines as Array<Claim.Line>).push(original.lines[0] as Claim.Line)
        const got = Option.getOrThrow(yield* asA(store.claims.get(original.id)))
        expect(got).toBeInstanceOf(Claim.Claim)
        expect(got.lines).toHaveLength(1)
        expect(got).not.toBe(Option.getOrThrow(yield* asA(store.claims.get(original.id))))
        expect(got).toEqual(Option.getOrThrow(yield* asA(store.claims.get(original.id))))
        // What a caller holds cannot reach the stored record.
        expect(() => (got.diagnoses as unknown as Array<string>).push("F32.9")).not.toThrow()
        expect(Option.getOrThrow(yield* asA(store.claims.get(original.id))).diagnoses).toEqual(["F41.1"])
      })
    )

    it.effect("a stored record that no longer decodes is Corrupt, not skipped", () =>
      Effect.gen(function* () {
        const { store, backdoor } = yield* fresh
        yield* asA(store.patients.put(patient("p-1")))
        yield* backdoor.corrupt(A, "patients", "p-1", (row) => ({ ...(row as object), sex: "X" }))
        expect(yield* reasonOf(asA(store.patients.get(patient("p-1").id)))).toMatchObject({
          _tag: "Corrupt",
          entity: "patient"
        })
        expect((yield* reasonOf(asA(store.patients.list())))._tag).toBe("Corrupt")
      })
    )
  })

  describe("claims", () => {
    it.effect("create stores version 0 and starts the history; a taken id writes none of the batch", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* TestClock.setTime(5_000)
        yield* asA(store.claims.create([claim("c-1", { version: 7, status: "ready" })]))
        const stored = Option.getOrThrow(yield* asA(store.claims.get(claim("c-1").id)))
        expect(stored.version).toBe(0)
        expect(yield* asA(store.claims.history(stored.id))).toEqual([
          { claimId: "c-1", at: 5_000, actor: "user:alice", to: "ready", reasons: [] }
        ])

        const before = (yield* asA(store.audit.events())).length
        const taken = yield* reasonOf(asA(store.claims.create([claim("c-2"), claim("c-3"), claim("c-1")])))
        expect(taken).toMatchObject({ _tag: "Conflict", entity: "claim" })
        const twice = yield* reasonOf(asA(store.claims.create([claim("c-4"), claim("c-4")])))
        expect(twice._tag).toBe("Conflict")
        expect(ids((yield* asA(store.claims.query({}))).items)).toEqual(["c-1"])
        // A failed write leaves no audit event either; the reads above added one each.
        expect((yield* asA(store.audit.events())).length).toBe(before + 1)
      })
    )

    it.effect("update is optimistic on the version, refuses a status change and returns the new version", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.claims.create([claim("c-1")]))
        const v0 = Option.getOrThrow(yield* asA(store.claims.get(claim("c-1").id)))
        const v1 = yield* asA(store.claims.update(new Claim.Claim({ ...v0, balance: 9_000 as typeof v0.balance })))
        expect(v1.version).toBe(1)
        expect(v1.balance).toBe(9_000)
        expect(Option.getOrThrow(yield* asA(store.claims.get(v0.id)))).toEqual(v1)

        const stale = yield* reasonOf(asA(store.claims.update(v0)))
        expect(stale).toMatchObject({ _tag: "Conflict", entity: "claim" })
        const moved = yield* reasonOf(asA(store.claims.update(new Claim.Claim({ ...v1, status: "ready" }))))
        expect(moved).toMatchObject({ _tag: "Conflict", detail: "use transition" })
        const missing = yield* reasonOf(asA(store.claims.update(claim("c-9"))))
        expect(missing).toMatchObject({ _tag: "Conflict", detail: "not found" })
        expect(Option.getOrThrow(yield* asA(store.claims.get(v0.id))).version).toBe(1)
      })
    )

    it.effect("transition checks the version, sets its fields and records who moved it when", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.claims.create([claim("c-1", { status: "ready" })]))
        yield* TestClock.setTime(60_000)
        const id = claim("c-1").id
        const moved = yield* asA(
          store.claims.transition(id, {
            to: "submitted",
            expectedVersion: 0,
            set: { submittedAt: 60_000, payerClaimNumber: "PCN-1" }
          })
        )
        expect(moved).toMatchObject({ status: "submitted", version: 1, submittedAt: 60_000, payerClaimNumber: "PCN-1" })
        expect(moved.balance).toBe(15_000)
        const stale = yield* reasonOf(asA(store.claims.transition(id, { to: "accepted", expectedVersion: 0 })))
        expect(stale._tag).toBe("Conflict")
        yield* as({ ...alice, actor: "job:999" })(
          store.claims.transition(id, {
            to: "denied",
            expectedVersion: 1,
            reasons: ["CO-50"],
            set: { balance: 0 as typeof moved.balance }
          })
        )
        const history = yield* asA(store.claims.history(id))
        expect(history.map((e) => [e.from, e.to, e.actor, e.reasons])).toEqual([
          [undefined, "ready", "user:alice", []],
          ["ready", "submitted", "user:alice", []],
          ["submitted", "denied", "job:999", ["CO-50"]]
        ])
        expect(history[0]).not.toHaveProperty("from")
        expect(Option.getOrThrow(yield* asA(store.claims.get(id)))).toMatchObject({ version: 2, balance: 0 })
      })
    )

    it.effect("query filters, orders by service date then id, and pages to an exact end", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(
          store.claims.create([
            claim("c-5", { serviceDate: "2025-03-02" }),
            claim("c-1", { serviceDate: "2025-03-03" }),
            claim("c-3", { serviceDate: "2025-03-01", payerId: "beta" }),
            claim("c-2", { serviceDate: "2025-03-02", status: "submitted" }),
            claim("c-4", { serviceDate: "2025-03-05", patientId: "pat-2" }),
            claim("c-6", { serviceDate: "2025-03-04" })
          ])
        )
        const all = ["c-3", "c-2", "c-5", "c-1", "c-6", "c-4"]
        const walk = (query: Store.ClaimQuery) =>
          Effect.gen(function* () {
            const pages: Array<Array<string>> = []
            let cursor: string | undefined
            do {
              const page = yield* asA(store.claims.query({ ...query, cursor }))
              pages.push(ids(page.items))
              cursor = page.next
            } while (cursor !== undefined)
            return pages
          })
        expect(yield* walk({ limit: 3 })).toEqual([all.slice(0, 3), all.slice(3)])
        expect(yield* walk({ limit: 4 })).toEqual([all.slice(0, 4), all.slice(4)])
        expect(yield* walk({ limit: 6 })).toEqual([all])
        expect(yield* walk({ limit: 0 })).toEqual(all.map((id) => [id]))
        expect(yield* walk({ status: ["draft"], payerId: Schema.decodeUnknownSync(Ids.PayerId)("acme") })).toEqual([
          ["c-5", "c-1", "c-6", "c-4"]
        ])
        expect(yield* walk({ status: [] })).toEqual([[]])
        expect(yield* walk({ patientId: Schema.decodeUnknownSync(Ids.PatientId)("pat-2") })).toEqual([["c-4"]])
        const on = (d: string) => d as Store.ClaimQuery["servedOnOrBefore"]
        expect(yield* walk({ servedOnOrBefore: on("2025-03-02"), servedOnOrAfter: on("2025-03-02") })).toEqual([
          ["c-2", "c-5"]
        ])
        // Keyset: a claim added behind the cursor is not seen again, one ahead of it is.
        const first = yield* asA(store.claims.query({ limit: 2 }))
        yield* asA(
          store.claims.create([
            claim("c-0", { serviceDate: "2025-02-01" }),
            claim("c-9", { serviceDate: "2025-04-01" })
          ])
        )
        const rest = yield* asA(store.claims.query({ limit: 100, cursor: first.next }))
        expect(ids(rest.items)).toEqual([...all.slice(2), "c-9"])
        expect(rest.next).toBeUndefined()
      })
    )

    it.effect("pages default to Store.defaultPageSize and are clamped to Store.maxPageSize", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const many = Array.from({ length: Store.maxPageSize + 1 }, (_, i) => claim(`c-${String(i).padStart(4, "0")}`))
        yield* asA(store.claims.create(many))
        const first = yield* asA(store.claims.query({}))
        expect(first.items).toHaveLength(Store.defaultPageSize)
        expect(first.next).toBeDefined()
        const big = yield* asA(store.claims.query({ limit: 5_000 }))
        expect(big.items).toHaveLength(Store.maxPageSize)
        const last = yield* asA(store.claims.query({ limit: 5_000, cursor: big.next }))
        expect(ids(last.items)).toEqual([`c-${Store.maxPageSize}`])
        expect(last.next).toBeUndefined()
      })
    )

    it.effect("a cursor that is not one of the list's is an InvalidRequest", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.denials.save(denial("d-1")))
        yield* asA(store.denials.save(denial("d-2")))
        const denialCursor = (yield* asA(store.denials.queue({ limit: 1 }))).next
        for (const cursor of ["not a cursor", denialCursor]) {
          const error = yield* Effect.flip(asA(store.claims.query({ cursor })))
          expect(error.reason._tag).toBe("InvalidRequest")
        }
      })
    )
  })

  describe("repositories", () => {
    it.effect("put is an upsert; list is in id order and pages", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        for (const id of ["p-3", "p-1", "p-2"]) yield* asA(store.patients.put(patient(id)))
        yield* asA(store.patients.put(new Patient.Patient({ ...patient("p-1"), firstName: "Grace" })))
        const first = yield* asA(store.patients.list({ limit: 2 }))
        expect(ids(first.items)).toEqual(["p-1", "p-2"])
        expect(first.items[0]?.firstName).toBe("Grace")
        const second = yield* asA(store.patients.list({ limit: 2, cursor: first.next }))
        expect(ids(second.items)).toEqual(["p-3"])
        expect(second.next).toBeUndefined()
      })
    )
  })

  describe("submissions", () => {
    it.effect("queues once per key, hands out pending oldest first; a failure counts and leaves the queue", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const key = (k: string) => Schema.decodeUnknownSync(Submission.SubmissionKey)(k)
        yield* asA(store.submissions.enqueue(submission("k-b", 20)))
        yield* asA(store.submissions.enqueue(submission("k-c", 10)))
        yield* asA(store.submissions.enqueue(submission("k-a", 20)))
        yield* asA(store.submissions.enqueue(submission("k-d", 30)))
        expect(yield* reasonOf(asA(store.submissions.enqueue(submission("k-a", 99))))).toMatchObject({
          _tag: "Conflict",
          entity: "submission"
        })
        expect((yield* asA(store.submissions.pending())).map((s) => s.key)).toEqual(["k-c", "k-a", "k-b", "k-d"])
        expect((yield* asA(store.submissions.pending(2))).map((s) => s.key)).toEqual(["k-c", "k-a"])
        expect((yield* asA(store.submissions.pending(0))).map((s) => s.key)).toEqual(["k-c"])

        yield* asA(store.submissions.markFailed(key("k-c"), "timeout"))
        yield* asA(store.submissions.markFailed(key("k-c"), "503"))
        expect(Option.getOrThrow(yield* asA(store.submissions.get(key("k-c"))))).toMatchObject({
          status: "failed",
          attempts: 2,
          lastError: "503"
        })
        yield* asA(store.submissions.markSent(key("k-a"), 777))
        expect(Option.getOrThrow(yield* asA(store.submissions.get(key("k-a"))))).toMatchObject({
          status: "sent",
          sentAt: 777
        })
        expect((yield* asA(store.submissions.pending())).map((s) => s.key)).toEqual(["k-b", "k-d"])
        // A late success of a failed one is recorded; a failure after a success is refused.
        yield* asA(store.submissions.markSent(key("k-c"), 888))
        expect(Option.getOrThrow(yield* asA(store.submissions.get(key("k-c")))).status).toBe("sent")
        expect(yield* reasonOf(asA(store.submissions.markFailed(key("k-a"), "late")))).toMatchObject({
          detail: "already sent"
        })
        expect(yield* reasonOf(asA(store.submissions.markSent(key("k-x"), 1)))).toMatchObject({ detail: "not found" })
        expect(yield* reasonOf(asB(store.submissions.markFailed(key("k-b"), "x")))).toMatchObject({
          detail: "not found"
        })
      })
    )
  })

  describe("remittances", () => {
    it.effect("records once per content hash, posts all or none, finds postings by remittance and claim", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        expect(yield* asA(store.remittances.record(remittance("r-1", hash(1))))).toEqual({ _tag: "Recorded" })
        expect(yield* asA(store.remittances.record(remittance("r-2", hash(1))))).toEqual({
          _tag: "Duplicate",
          existing: "r-1"
        })
        expect(yield* asA(store.remittances.get(remittance("r-2", hash(1)).id))).toEqual(Option.none())
        // Another tenant may receive the same file.
        expect(yield* asB(store.remittances.record(remittance("r-1", hash(1), B)))).toEqual({ _tag: "Recorded" })
        expect((yield* reasonOf(asA(store.remittances.record(remittance("r-1", hash(2))))))._tag).toBe("Conflict")

        yield* asA(store.remittances.post([posting("p-1", "r-1", "c-1", 2), posting("p-2", "r-1", "c-2", 1)]))
        const taken = yield* reasonOf(
          asA(store.remittances.post([posting("p-3", "r-1", "c-1"), posting("p-1", "r-1", "c-1")]))
        )
        expect(taken).toMatchObject({ _tag: "Conflict", entity: "posting" })
        const noRemittance = yield* reasonOf(asA(store.remittances.post([posting("p-4", "r-9", "c-1")])))
        expect(noRemittance).toMatchObject({ _tag: "Conflict", detail: "remittance not found" })

        const r1 = remittance("r-1", hash(1)).id
        expect(ids(yield* asA(store.remittances.postings({ remittanceId: r1 })))).toEqual(["p-2", "p-1"])
        expect(ids(yield* asA(store.remittances.postings({ claimId: claim("c-1").id })))).toEqual(["p-1"])
        expect(yield* asB(store.remittances.postings({ remittanceId: r1 }))).toEqual([])
        expect(ids((yield* asA(store.remittances.list())).items)).toEqual(["r-1"])
      })
    )
  })

  describe("denials", () => {
    it.effect("save creates at version 0 and then follows the stored version", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        expect((yield* asA(store.denials.save(denial("d-1")))).version).toBe(0)
        const v1 = yield* asA(store.denials.save(denial("d-1", { status: "in-progress" })))
        expect(v1).toMatchObject({ version: 1, status: "in-progress" })
        expect((yield* reasonOf(asA(store.denials.save(denial("d-1")))))._tag).toBe("Conflict")
        expect(yield* reasonOf(asA(store.denials.save(denial("d-2", { version: 3 }))))).toMatchObject({
          detail: "not found"
        })
        expect(Option.getOrThrow(yield* asA(store.denials.get(v1.id)))).toEqual(v1)
      })
    )

    it.effect("the queue is by priority, highest first, then id, filtered and paged", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.denials.save(denial("d-1", { priority: 5 })))
        yield* asA(store.denials.save(denial("d-2", { priority: 9.5, assignee: "user:ann" })))
        yield* asA(store.denials.save(denial("d-3", { priority: 5, status: "resolved" })))
        yield* asA(store.denials.save(denial("d-4", { priority: -1 })))
        const first = yield* asA(store.denials.queue({ limit: 2 }))
        expect(ids(first.items)).toEqual(["d-2", "d-1"])
        const second = yield* asA(store.denials.queue({ limit: 2, cursor: first.next }))
        expect(ids(second.items)).toEqual(["d-3", "d-4"])
        expect(second.next).toBeUndefined()
        expect(ids((yield* asA(store.denials.queue({ status: ["open"] }))).items)).toEqual(["d-2", "d-1", "d-4"])
        expect(ids((yield* asA(store.denials.queue({ assignee: "user:ann" }))).items)).toEqual(["d-2"])
      })
    )
  })

  describe("patient ledger and aging", () => {
    it.effect("appends all or none, lists by time then id, and sums the balance", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const p1 = Schema.decodeUnknownSync(Ids.PatientId)("pat-1")
        yield* asA(
          store.patientLedger.append([
            ledgerEntry("e-2", 2500, 10),
            ledgerEntry("e-1", 4000, 10),
            ledgerEntry("e-3", -1500, 5),
            ledgerEntry("e-4", 999, 1, "pat-2")
          ])
        )
        const taken = yield* reasonOf(
          asA(store.patientLedger.append([ledgerEntry("e-5", 1, 1), ledgerEntry("e-1", 1, 1)]))
        )
        expect(taken._tag).toBe("Conflict")
        expect(ids(yield* asA(store.patientLedger.forPatient(p1)))).toEqual(["e-3", "e-1", "e-2"])
        expect(yield* asA(store.patientLedger.balance(p1))).toBe(5000)
        expect(yield* asB(store.patientLedger.balance(p1))).toBe(0)
      })
    )

    it.effect("ages receivable balances into buckets by payer, at the bucket edges", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const asOf = "2025-06-30"
        const daysBefore = (days: number) =>
          new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)
        yield* asA(
          store.claims.create([
            claim("a-30", { serviceDate: daysBefore(30), status: "submitted", balance: 1 }),
            claim("a-31", { serviceDate: daysBefore(31), status: "accepted", balance: 10 }),
            claim("a-60", { serviceDate: daysBefore(60), status: "denied", balance: 100 }),
            claim("a-61", { serviceDate: daysBefore(61), status: "appealed", balance: 1_000 }),
            claim("a-90", { serviceDate: daysBefore(90), status: "rejected", balance: 10_000 }),
            claim("a-91", { serviceDate: daysBefore(91), status: "partially-paid", balance: 100_000 }),
            claim("a-120", { serviceDate: daysBefore(120), status: "corrected", balance: 1_000_000 }),
            claim("a-121", { serviceDate: daysBefore(121), status: "submitted", balance: 10_000_000 }),
            claim("b-0", { serviceDate: asOf, status: "submitted", balance: 7, payerId: "beta" }),
            claim("b-future", { serviceDate: "2025-07-04", status: "submitted", balance: 3, payerId: "beta" }),
            claim("x-paid", { serviceDate: asOf, status: "paid", balance: 5 }),
            claim("x-draft", { serviceDate: asOf, status: "draft", balance: 5 }),
            claim("x-zero", { serviceDate: asOf, status: "submitted", balance: 0, payerId: "gamma" }),
            claim("x-credit", { serviceDate: asOf, status: "submitted", balance: -5, payerId: "gamma" })
          ])
        )
        const aging = yield* asA(store.reports.aging(asOf as Store.Aging["asOf"]))
        expect(aging).toEqual({
          asOf,
          rows: [
            {
              payerId: "acme",
              claims: 8,
              days0to30: 1,
              days31to60: 110,
              days61to90: 11_000,
              days91to120: 1_100_000,
              over120: 10_000_000,
              total: 11_111_111
            },
            {
              payerId: "beta",
              claims: 2,
              days0to30: 10,
              days31to60: 0,
              days61to90: 0,
              days91to120: 0,
              over120: 0,
              total: 10
            }
          ]
        })
        expect((yield* asB(store.reports.aging(asOf as Store.Aging["asOf"]))).rows).toEqual([])
      })
    )
  })

  describe("authorizations", () => {
    it.effect(
      "a session's entry replaces its entry on the same authorization; the ledger is by date then session",
      () =>
        Effect.gen(function* () {
          const { store } = yield* fresh
          yield* asA(store.authorizations.put(authorization("au-1")))
          yield* asA(store.authorizations.put(authorization("au-2")))
          yield* asA(
            store.authorizations.recordUse([
              use("au-1", "s-2", "2025-03-10", "reserved"),
              use("au-1", "s-1", "2025-03-10", "reserved"),
              use("au-1", "s-0", "2025-03-12", "reserved"),
              use("au-2", "s-1", "2025-03-10", "reserved")
            ])
          )
          yield* asA(store.authorizations.recordUse([use("au-1", "s-1", "2025-03-10", "used")]))
          const au1 = authorization("au-1").id
          expect((yield* asA(store.authorizations.ledger(au1))).map((e) => [e.sessionId, e.kind])).toEqual([
            ["s-1", "used"],
            ["s-2", "reserved"],
            ["s-0", "reserved"]
          ])
          expect(yield* asA(store.authorizations.ledger(authorization("au-2").id))).toHaveLength(1)
          // Entries for an authorization the caller cannot see are refused, all of them.
          const refused = yield* reasonOf(
            asB(store.authorizations.recordUse([use("au-1", "s-9", "2025-03-10", "used")]))
          )
          expect(refused).toMatchObject({ _tag: "Conflict", detail: "authorization not found" })
          expect(yield* asA(store.authorizations.ledger(au1))).toHaveLength(3)
          expect(
            ids(yield* asA(store.authorizations.forPatient(Schema.decodeUnknownSync(Ids.PatientId)("pat-1"))))
          ).toEqual(["au-1", "au-2"])
        })
    )
  })

  describe("audit", () => {
    it.effect("writes one event per record written, per single read (with its outcome) and per list", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* TestClock.setTime(42_000)
        yield* asA(store.claims.create([claim("c-1"), claim("c-2")]))
        yield* asA(store.claims.get(claim("c-1").id))
        yield* asA(store.patients.get(patient("p-404").id))
        yield* asA(store.claims.query({}))
        yield* asA(store.clinicians.list())
        yield* asA(store.payers.get(Schema.decodeUnknownSync(Ids.PayerId)("acme")))
        const events = yield* asA(store.audit.events())
        expect(events.map((e) => [e.sequence, e.action, e.entity, e.entityId, e.outcome])).toEqual([
          [1, "claims.create", "claim", "c-1", "success"],
          [2, "claims.create", "claim", "c-2", "success"],
          [3, "claims.get", "claim", "c-1", "success"],
          [4, "patients.get", "patient", "p-404", "not-found"],
          [5, "claims.query", "claim", undefined, "success"]
        ])
        for (const event of events) {
          expect(event).toMatchObject({ tenantId: A, actor: "user:alice", purpose: "payment", at: 42_000 })
        }
        expect(events[4]).not.toHaveProperty("entityId")
        expect((yield* asA(store.audit.events({ sequence: 2, limit: 2 }))).map((e) => e.sequence)).toEqual([2, 3])
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 5, head: { sequence: 5 } })
      })
    )

    it.effect("verify finds an edited, deleted, inserted or reordered event, and a moved head", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<
          readonly [string, (backdoor: InMemoryStore.Backdoor) => Effect.Effect<void>, Audit.Verification]
        > = [
          [
            "edited",
            (b) =>
              b.tamperAudit(A, (events) => events.map((e) => (e.sequence === 2 ? { ...e, actor: "user:eve" } : e))),
            { _tag: "Broken", sequence: 2, problem: "edited" }
          ],
          [
            "deleted",
            (b) => b.tamperAudit(A, (events) => events.filter((e) => e.sequence !== 2)),
            { _tag: "Broken", sequence: 2, problem: "missing" }
          ],
          [
            "inserted",
            (b) => b.tamperAudit(A, (events) => [...events.slice(0, 2), events[0] as Audit.Event, ...events.slice(2)]),
            { _tag: "Broken", sequence: 1, problem: "inserted-or-reordered" }
          ],
          [
            "reordered",
            (b) =>
              b.tamperAudit(A, (events) => [events[0], events[2], events[1], events[3]] as ReadonlyArray<Audit.Event>),
            // Audit.verify names the first place the order goes wrong: 3 where 2 belongs.
            { _tag: "Broken", sequence: 2, problem: "missing" }
          ],
          [
            "tail cut",
            (b) => b.tamperAudit(A, (events) => events.slice(0, 3)),
            { _tag: "Broken", sequence: 4, problem: "tail-missing" }
          ],
          [
            "head moved",
            (b) => Effect.flatMap(b.head(A), (head) => b.setHead(A, { ...head, hash: "f".repeat(64) })),
            { _tag: "Broken", sequence: 4, problem: "head-mismatch" }
          ]
        ]
        for (const [, tamper, expected] of cases) {
          const { store, backdoor } = yield* fresh
          yield* asA(store.claims.create([claim("c-1"), claim("c-2")]))
          yield* asA(store.claims.get(claim("c-1").id))
          yield* asA(store.claims.history(claim("c-1").id))
          expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 4 })
          yield* tamper(backdoor)
          expect(yield* asA(store.audit.verify())).toEqual(expected)
          // Another tenant's chain is not affected.
          expect(yield* asB(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 0 })
        }
      })
    )
  })

  describe("transactions", () => {
    it.effect("all or none: a failure in the middle leaves no record and no audit event behind", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.claims.create([claim("c-1", { status: "ready" })]))
        const before = yield* asA(store.audit.events())
        const outcome = yield* asA(
          store.transaction(
            Effect.gen(function* () {
              yield* store.claims.transition(claim("c-1").id, { to: "submitted", expectedVersion: 0 })
              yield* store.submissions.enqueue(submission("k-1", 0))
              yield* store.claims.create([claim("c-2")])
              return yield* Effect.fail("boom" as const)
            })
          )
        ).pipe(Effect.flip)
        expect(outcome).toBe("boom")
        expect(Option.getOrThrow(yield* asA(store.claims.get(claim("c-1").id)))).toMatchObject({
          status: "ready",
          version: 0
        })
        expect(yield* asA(store.claims.history(claim("c-1").id))).toHaveLength(1)
        expect((yield* asA(store.submissions.pending())).length).toBe(0)
        const after = yield* asA(store.audit.events())
        expect(after.slice(0, before.length)).toEqual(before)
        expect(after.slice(before.length).map((e) => e.action)).toEqual([
          "claims.get",
          "claims.history",
          "submissions.pending"
        ])
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact" })
      })
    )

    it.effect("commits when it succeeds, and a defect rolls back as a failure does", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(
          store.transaction(Effect.all([store.patients.put(patient("p-1")), store.patients.put(patient("p-2"))]))
        )
        expect(ids((yield* asA(store.patients.list())).items)).toEqual(["p-1", "p-2"])
        const exit = yield* Effect.exit(
          asA(store.transaction(Effect.andThen(store.patients.put(patient("p-3")), Effect.die("bug"))))
        )
        expect(Exit.hasDies(exit)).toBe(true)
        expect(yield* asA(store.patients.get(patient("p-3").id))).toEqual(Option.none())
      })
    )

    it.effect("a nested transaction joins the outer one; when it fails only its own writes are undone", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(
          store.transaction(
            Effect.gen(function* () {
              yield* store.patients.put(patient("p-1"))
              yield* store.transaction(store.patients.put(patient("p-2")))
              const inner = yield* store
                .transaction(Effect.andThen(store.patients.put(patient("p-3")), Effect.fail("no")))
                .pipe(Effect.flip)
              expect(inner).toBe("no")
              // The outer transaction sees its own writes, and not the undone ones.
              expect(ids((yield* store.patients.list()).items)).toEqual(["p-1", "p-2"])
            })
          )
        )
        expect(ids((yield* asA(store.patients.list())).items)).toEqual(["p-1", "p-2"])
        // The outer failing undoes the joined inner writes too.
        yield* asA(
          store.transaction(Effect.andThen(store.transaction(store.patients.put(patient("p-4"))), Effect.fail("outer")))
        ).pipe(Effect.flip)
        expect(yield* asA(store.patients.get(patient("p-4").id))).toEqual(Option.none())
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact" })
      })
    )

    it.effect("an interrupted transaction is rolled back, and others wait for it instead of reading its writes", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        const wrote = yield* Deferred.make<void>()
        const fiber = yield* asA(
          store.transaction(
            Effect.gen(function* () {
              yield* store.patients.put(patient("p-1"))
              yield* Deferred.succeed(wrote, undefined)
              return yield* Effect.never
            })
          )
        ).pipe(Effect.forkChild)
        yield* Deferred.await(wrote)
        const reader = yield* asA(store.patients.get(patient("p-1").id)).pipe(Effect.forkChild)
        yield* Effect.yieldNow
        expect(reader.pollUnsafe()).toBeUndefined()
        yield* Fiber.interrupt(fiber)
        expect(yield* Fiber.join(reader)).toEqual(Option.none())
        // The rolled-back put left no audit event; the reader's not-found read did.
        expect((yield* asA(store.audit.events())).map((e) => [e.action, e.outcome])).toEqual([
          ["patients.get", "not-found"]
        ])
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact" })
      })
    )

    it.effect("concurrent writers are serialized: read-then-update in transactions never conflicts", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(store.claims.create([claim("c-1")]))
        const id = claim("c-1").id
        const bump = store.transaction(
          Effect.gen(function* () {
            const current = Option.getOrThrow(yield* store.claims.get(id))
            yield* Effect.yieldNow
            yield* store.claims.update(
              new Claim.Claim({ ...current, balance: (current.balance - 100) as typeof current.balance })
            )
          })
        )
        yield* asA(
          Effect.all(
            Array.from({ length: 5 }, () => bump),
            { concurrency: "unbounded" }
          )
        )
        expect(Option.getOrThrow(yield* asA(store.claims.get(id)))).toMatchObject({ version: 5, balance: 14_500 })
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact" })
      })
    )

    it.effect("operations forked inside a transaction join it and keep the audit chain whole", () =>
      Effect.gen(function* () {
        const { store } = yield* fresh
        yield* asA(
          store.transaction(
            Effect.all(
              Array.from({ length: 6 }, (_, i) => store.patients.put(patient(`p-${i}`))),
              { concurrency: "unbounded" }
            )
          )
        )
        expect((yield* asA(store.patients.list())).items).toHaveLength(6)
        expect(yield* asA(store.audit.verify())).toMatchObject({ _tag: "Intact", events: 7 })
      })
    )
  })

  describe("layer", () => {
    it.effect("each build is a fresh, empty store", () =>
      Effect.gen(function* () {
        const put = Effect.gen(function* () {
          const store = yield* Store.Store
          const before = (yield* store.patients.list()).items.length
          yield* store.patients.put(patient("p-1"))
          return before
        })
        const run = Effect.provide(asA(put), InMemoryStore.layer)
        expect(yield* run).toBe(0)
        expect(yield* run).toBe(0)
        expect(yield* Effect.provide(asA(put), Layer.fresh(InMemoryStore.layer))).toBe(0)
      })
    )
  })
})
