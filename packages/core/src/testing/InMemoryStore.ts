/**
 * A real in-memory Store for tests, Storybook and the playground: the whole port over maps in memory, with its
 * tenant walls, optimistic versions, keyset paging, outbox and hash-chained audit trail, and transactions that undo
 * their writes on failure or interruption. Records are validated and copied on the way in and out, never shared.
 * Each layer build is a fresh, empty store; nothing outlives it.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option, Schema, Semaphore } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"
import * as Audit from "../Audit.js"
import { Authorization, LedgerEntry } from "../Authorization.js"
import { Caller, type CallerInfo } from "../Caller.js"
import * as Claim from "../Claim.js"
import { Clinician } from "../Clinician.js"
import { Coverage } from "../Coverage.js"
import * as DateOfService from "../DateOfService.js"
import * as Denial from "../Denial.js"
import { FeeSchedule } from "../FeeSchedule.js"
import type {
  AuthorizationId,
  ClinicianId,
  CoverageId,
  OrganizationId,
  PatientId,
  PayerId,
  RemittanceId,
  SessionId,
  TenantId
} from "../Ids.js"
import * as Instant from "../Instant.js"
import * as Money from "../Money.js"
import { Organization } from "../Organization.js"
import { Patient } from "../Patient.js"
import * as PatientLedger from "../PatientLedger.js"
import { Payer } from "../Payer.js"
import * as Remittance from "../Remittance.js"
import { RulePack } from "../RulePack.js"
import { TrackedSession } from "../Session.js"
import * as Store from "../Store.js"
import * as Submission from "../Submission.js"

// ---------------------------------------------------------------------------------------------------------------
// Records in and out: stored as their encoded form, validated, deep-copied and frozen; decoded afresh on every read.
// ---------------------------------------------------------------------------------------------------------------

interface Codec<T, E> {
  readonly entity: string
  /** The record's stored form: encoded, copied and frozen. A record that does not encode is a bug: a defect. */
  readonly write: (record: T) => Effect.Effect<E>
  /** A new record from its stored form; one that no longer decodes is `Corrupt`. */
  readonly read: (row: E) => Effect.Effect<T, Store.StoreError>
  /** A row the store built itself (a transition's result) as a record; one that does not decode is a bug. */
  readonly check: (row: E) => Effect.Effect<T>
}

const frozenCopy = <A>(value: A): A => {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as A
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(value)) out[key] = frozenCopy(field)
    return Object.freeze(out) as A
  }
  return value
}

const codec = <S extends Schema.Codec<unknown, unknown>>(entity: string, schema: S): Codec<S["Type"], S["Encoded"]> => {
  const encode = Schema.encodeOption(schema)
  const decode = Schema.decodeUnknownOption(schema)
  return {
    entity,
    write: (record) =>
      Option.match(encode(record), {
        onNone: () => Effect.die(new Error(`InMemoryStore: not a valid ${entity}`)),
        onSome: (row) => Effect.succeed(frozenCopy(row))
      }),
    read: (row) =>
      Option.match(decode(row), {
        onNone: () => fail(new Store.Corrupt({ entity, detail: "fails its schema" })),
        onSome: (record) => Effect.succeed(record)
      }),
    check: (row) =>
      Option.match(decode(row), {
        onNone: () => Effect.die(new Error(`InMemoryStore: the change makes an invalid ${entity}`)),
        onSome: (record) => Effect.succeed(record)
      })
  }
}

const codecs = {
  patient: codec("patient", Patient),
  coverage: codec("coverage", Coverage),
  clinician: codec("clinician", Clinician),
  payer: codec("payer", Payer),
  organization: codec("organization", Organization),
  feeSchedule: codec("fee-schedule", FeeSchedule),
  rulePack: codec("rule-pack", RulePack),
  session: codec("session", TrackedSession),
  authorization: codec("authorization", Authorization),
  authorizationUse: codec("authorization-use", LedgerEntry),
  claim: codec("claim", Claim.Claim),
  claimEvent: codec("claim-event", Claim.Event),
  submission: codec("submission", Submission.Submission),
  remittance: codec("remittance", Remittance.Remittance),
  posting: codec("posting", Remittance.Posting),
  denial: codec("denial", Denial.Denial),
  patientLedgerEntry: codec("patient-ledger-entry", PatientLedger.Entry)
} as const

type Row<C> = C extends { readonly read: (row: infer E) => unknown } ? E : never

const fail = (reason: Store.StoreError["reason"]) => Effect.fail(new Store.StoreError({ reason }))

/** What an update or transition of a record the caller cannot see (missing, or another tenant's) fails with. */
const notFound = (entity: string) => fail(new Store.Conflict({ entity, detail: "not found" }))

// ---------------------------------------------------------------------------------------------------------------
// Per tenant data
// ---------------------------------------------------------------------------------------------------------------

interface TenantData {
  readonly patients: Map<string, Row<typeof codecs.patient>>
  readonly coverages: Map<string, Row<typeof codecs.coverage>>
  readonly clinicians: Map<string, Row<typeof codecs.clinician>>
  readonly payers: Map<string, Row<typeof codecs.payer>>
  readonly organizations: Map<string, Row<typeof codecs.organization>>
  readonly feeSchedules: Map<string, Row<typeof codecs.feeSchedule>>
  readonly rulePacks: Map<string, Row<typeof codecs.rulePack>>
  readonly sessions: Map<string, Row<typeof codecs.session>>
  readonly authorizations: Map<string, Row<typeof codecs.authorization>>
  /** By `authorizationId/sessionId`. */
  readonly authorizationUses: Map<string, Row<typeof codecs.authorizationUse>>
  readonly claims: Map<string, Row<typeof codecs.claim>>
  readonly claimHistory: Map<string, ReadonlyArray<Row<typeof codecs.claimEvent>>>
  readonly submissions: Map<string, Row<typeof codecs.submission>>
  readonly remittances: Map<string, Row<typeof codecs.remittance>>
  /** Content hash → remittance id. */
  readonly remittanceHashes: Map<string, string>
  readonly postings: Map<string, Row<typeof codecs.posting>>
  readonly denials: Map<string, Row<typeof codecs.denial>>
  readonly patientLedger: Map<string, Row<typeof codecs.patientLedgerEntry>>
  audit: Array<Audit.Event>
  head: Audit.Head
}

const emptyTenant = (): TenantData => ({
  patients: new Map(),
  coverages: new Map(),
  clinicians: new Map(),
  payers: new Map(),
  organizations: new Map(),
  feeSchedules: new Map(),
  rulePacks: new Map(),
  sessions: new Map(),
  authorizations: new Map(),
  authorizationUses: new Map(),
  claims: new Map(),
  claimHistory: new Map(),
  submissions: new Map(),
  remittances: new Map(),
  remittanceHashes: new Map(),
  postings: new Map(),
  denials: new Map(),
  patientLedger: new Map(),
  audit: [],
  head: Audit.emptyHead
})

/**
 * The collections of a tenant's records, for `Backdoor.corrupt`.
 *
 * @since 0.1.0
 */
export type Collection = Exclude<keyof TenantData, "audit" | "head" | "remittanceHashes" | "claimHistory">

// ---------------------------------------------------------------------------------------------------------------
// Paging: keyset over a sort key, with an opaque cursor (base64url of JSON: the list's name and the last key).
// ---------------------------------------------------------------------------------------------------------------

type SortKey = ReadonlyArray<string | number>

interface Order<E> {
  /** Names the list in its cursors, so a cursor of one list is refused by another. */
  readonly list: string
  readonly key: (row: E) => SortKey
  /** Per key part: `string` or `number`, and whether it sorts descending. */
  readonly parts: ReadonlyArray<{ readonly type: "string" | "number"; readonly descending?: boolean }>
}

const compareKeys = (parts: Order<unknown>["parts"], a: SortKey, b: SortKey): number => {
  for (let i = 0; i < parts.length; i++) {
    const x = a[i] as string | number
    const y = b[i] as string | number
    if (x === y) continue
    const sign = parts[i]?.descending === true ? -1 : 1
    return (x < y ? -1 : 1) * sign
  }
  return 0
}

const CursorJson = Schema.fromJsonString(
  Schema.Struct({ list: Schema.String, after: Schema.Array(Schema.Union([Schema.String, Schema.Number])) })
)
const encodeCursor = Schema.encodeSync(CursorJson)
const decodeCursor = Schema.decodeUnknownOption(CursorJson)

/** The page size asked for, defaulted and clamped to 1 ... `Store.maxPageSize`. */
const pageLimit = (limit: number | undefined): number =>
  limit === undefined || Number.isNaN(limit)
    ? Store.defaultPageSize
    : Math.min(Store.maxPageSize, Math.max(1, Math.floor(limit)))

const readCursor = <E>(order: Order<E>, cursor: string): Option.Option<SortKey> => {
  const text = Base64Url.decodeString(cursor)
  if (text._tag === "Failure") return Option.none()
  return Option.filter(
    Option.map(decodeCursor(text.success), (decoded) => decoded.after),
    (after) => after.length === order.parts.length && order.parts.every((part, i) => typeof after[i] === part.type)
  )
}

/**
 * One page of rows after the request's cursor. A cursor that is not one of this list's is an `InvalidRequest`.
 */
const paginate = <E>(
  rows: Iterable<E>,
  order: Order<E>,
  request: Store.PageRequest | undefined
): Effect.Effect<{ readonly rows: ReadonlyArray<E>; readonly next: string | undefined }, Store.StoreError> =>
  Effect.suspend(() => {
    let after: SortKey | undefined
    if (request?.cursor !== undefined) {
      const read = readCursor(order, request.cursor)
      if (Option.isNone(read)) {
        return Effect.fail(
          new Store.StoreError({ reason: new Store.InvalidRequest({ detail: `not a cursor of ${order.list}` }) })
        )
      }
      after = read.value
    }
    const from = after
    const sorted = [...rows]
      .map((row) => ({ row, key: order.key(row) }))
      .filter((entry) => from === undefined || compareKeys(order.parts, entry.key, from) > 0)
      .sort((a, b) => compareKeys(order.parts, a.key, b.key))
    const limit = pageLimit(request?.limit)
    const page = sorted.slice(0, limit)
    const last = page.at(-1)
    return Effect.succeed({
      rows: page.map((entry) => entry.row),
      next:
        sorted.length > limit && last !== undefined
          ? Base64Url.encode(encodeCursor({ list: order.list, after: last.key }))
          : undefined
    })
  })

const sortBy = <E>(rows: Iterable<E>, order: Omit<Order<E>, "list">): Array<E> =>
  [...rows].sort((a, b) => compareKeys(order.parts, order.key(a), order.key(b)))

const byId: Order<{ readonly id: string }>["parts"] = [{ type: "string" }]

// ---------------------------------------------------------------------------------------------------------------
// Transactions: one writer at a time, an undo journal, savepoints.
// ---------------------------------------------------------------------------------------------------------------

interface Transaction {
  /** False once the outermost transaction ended: a fiber it forked that outlives it runs on its own. */
  open: boolean
  readonly journal: Array<() => void>
  /** Serializes the operations of the transaction's own fibers (an operation is several steps: hashing is async). */
  readonly lock: Semaphore.Semaphore
}

/** The open transaction of each store (keyed by the store's data) in this fiber's context. */
const Transactions = Context.Reference<ReadonlyMap<object, Transaction>>(
  "@openrcm/core/testing/InMemoryStore/Transactions",
  { defaultValue: () => new Map() }
)

const rollback = (transaction: Transaction, mark: number): void => {
  while (transaction.journal.length > mark) transaction.journal.pop()?.()
}

/** Runs the effect; if it fails, dies or is interrupted, undoes what it wrote (and only that). */
const savepoint = <A, E, R>(transaction: Transaction, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.suspend(() => {
      const mark = transaction.journal.length
      return Effect.onExit(restore(effect), (exit) =>
        exit._tag === "Failure" ? Effect.sync(() => rollback(transaction, mark)) : Effect.void
      )
    })
  )

// ---------------------------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------------------------

/** What an operation works with: its caller, the caller's tenant's data, the time, a journaled write, the audit. */
interface Ctx {
  readonly caller: CallerInfo
  readonly data: TenantData
  readonly now: Instant.EpochMillis
  readonly set: <V>(map: Map<string, V>, key: string, value: V) => void
  readonly audit: (entries: ReadonlyArray<Audit.Entry>) => Effect.Effect<void>
}

type Op<A> = Effect.Effect<A, Store.StoreError, Caller>

/**
 * TEST HOOK, not for production code: reaches under the port to prove what it guards (that `audit.verify` finds a
 * rewritten trail, that a read reports a `Corrupt` record). Nothing of it is part of the Store port.
 *
 * @since 0.1.0
 */
export interface Backdoor {
  /** TEST HOOK: the tenant's raw audit events, as stored. */
  readonly auditEvents: (tenantId: TenantId) => Effect.Effect<ReadonlyArray<Audit.Event>>
  /** TEST HOOK: replaces the tenant's raw audit events (edit, delete, insert, reorder), leaving the head alone. */
  readonly tamperAudit: (
    tenantId: TenantId,
    rewrite: (events: ReadonlyArray<Audit.Event>) => ReadonlyArray<Audit.Event>
  ) => Effect.Effect<void>
  /** TEST HOOK: the tenant's chain head. */
  readonly head: (tenantId: TenantId) => Effect.Effect<Audit.Head>
  /** TEST HOOK: replaces the tenant's chain head. */
  readonly setHead: (tenantId: TenantId, head: Audit.Head) => Effect.Effect<void>
  /** TEST HOOK: rewrites a stored record's raw (encoded) form, e.g. so that it no longer decodes. */
  readonly corrupt: (
    tenantId: TenantId,
    collection: Collection,
    id: string,
    rewrite: (row: unknown) => unknown
  ) => Effect.Effect<void>
}

const receivable: ReadonlySet<string> = new Set(Store.receivableStatuses)

const ledgerKey = (authorizationId: string, sessionId: string) => `${authorizationId}/${sessionId}`

/**
 * @since 0.1.0
 */
export interface Options {
  /** The audit chain's SHA-256: Web Crypto's by default; a synchronous one (Node's) spares a thread-pool trip an event. */
  readonly sha256?: Audit.Sha256 | undefined
}

/**
 * A store and its test hook, with options. Use `make` or `layer` everywhere but in tests that tamper with the
 * stored data.
 *
 * @since 0.1.0
 */
export const makeWithBackdoorOptions = (
  options: Options = {}
): Effect.Effect<{ readonly store: Store.StoreShape; readonly backdoor: Backdoor }> =>
  Effect.sync(() => {
    const sha256 = options.sha256 ?? Audit.webCryptoSha256
    const tenants = new Map<string, TenantData>()
    const tenant = (tenantId: string): TenantData => {
      let data = tenants.get(tenantId)
      if (data === undefined) {
        data = emptyTenant()
        tenants.set(tenantId, data)
      }
      return data
    }
    const lock = Semaphore.makeUnsafe(1)

    const current: Effect.Effect<Transaction | undefined> = Effect.map(Effect.service(Transactions), (open) => {
      const transaction = open.get(tenants)
      return transaction?.open === true ? transaction : undefined
    })

    /** A new outermost transaction: holds the store for its whole run, undoes everything unless it succeeds. */
    const outermost = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      lock.withPermits(1)(
        Effect.flatMap(Effect.service(Transactions), (open) => {
          const transaction: Transaction = { open: true, journal: [], lock: Semaphore.makeUnsafe(1) }
          return savepoint(transaction, effect).pipe(
            Effect.provideService(Transactions, new Map(open).set(tenants, transaction)),
            Effect.ensuring(
              Effect.sync(() => {
                transaction.open = false
                transaction.journal.length = 0
              })
            )
          )
        })
      )

    const context = (transaction: Transaction, caller: CallerInfo, now: Instant.EpochMillis): Ctx => {
      const data = tenant(caller.tenantId)
      return {
        caller,
        data,
        now,
        set: (map, key, value) => {
          const had = map.has(key)
          const previous = map.get(key)
          map.set(key, value)
          transaction.journal.push(
            had
              ? () => {
                  map.set(key, previous as typeof value)
                }
              : () => {
                  map.delete(key)
                }
          )
        },
        audit: (entries) =>
          entries.length === 0
            ? Effect.void
            : Effect.suspend(() =>
                Effect.flatMap(
                  Audit.chain(
                    data.head,
                    { tenantId: caller.tenantId, actor: caller.actor, purpose: caller.purpose, at: now },
                    entries,
                    sha256
                  ),
                  ({ events, head }) =>
                    Effect.sync(() => {
                      const length = data.audit.length
                      const before = data.head
                      // A loop, not `push(...events)`: one call may audit 100,000 reads (`claims.getMany`).
                      for (const event of events) data.audit.push(event)
                      data.head = head
                      transaction.journal.push(() => {
                        data.audit.splice(length)
                        data.head = before
                      })
                    })
                )
              )
      }
    }

    /** One store operation: atomic on its own, or a step of the transaction it runs in. */
    const op = <A>(body: (ctx: Ctx) => Effect.Effect<A, Store.StoreError>): Op<A> =>
      Effect.flatMap(Effect.service(Caller), (caller) =>
        Effect.flatMap(current, (transaction) => {
          const run = (t: Transaction) => Effect.flatMap(Instant.now, (now) => body(context(t, caller, now)))
          return transaction === undefined
            ? outermost(Effect.suspend(() => Effect.flatMap(current, (t) => run(t as Transaction))))
            : transaction.lock.withPermits(1)(savepoint(transaction, run(transaction)))
        })
      )

    const ownTenant = (ctx: Ctx, entity: string, tenantId: string): Effect.Effect<void, Store.StoreError> =>
      tenantId === ctx.caller.tenantId ? Effect.void : fail(new Store.TenantMismatch({ entity }))

    const success = (action: string, entity: string, entityId?: string): Audit.Entry =>
      entityId === undefined ? { action, entity, outcome: "success" } : { action, entity, entityId, outcome: "success" }

    const readAll = <T, E>(c: Codec<T, E>, rows: ReadonlyArray<E>) => Effect.forEach(rows, c.read)

    const toPage = <T, E>(
      c: Codec<T, E>,
      page: { readonly rows: ReadonlyArray<E>; readonly next: string | undefined }
    ): Effect.Effect<Store.Page<T>, Store.StoreError> =>
      Effect.map(readAll(c, page.rows), (items) => (page.next === undefined ? { items } : { items, next: page.next }))

    /** A single-record read, audited when `audited`. */
    const getOne = <T, E>(
      ctx: Ctx,
      c: Codec<T, E>,
      action: string,
      table: Map<string, E>,
      id: string,
      audited: boolean
    ): Effect.Effect<Option.Option<T>, Store.StoreError> =>
      Effect.gen(function* () {
        const row = table.get(id)
        if (audited) {
          yield* ctx.audit([
            { action, entity: c.entity, entityId: id, outcome: row === undefined ? "not-found" : "success" }
          ])
        }
        return row === undefined ? Option.none() : Option.some(yield* c.read(row))
      })

    const repository = <T extends { readonly id: string }, E extends { readonly id: string }, Id extends string>(spec: {
      readonly name: string
      readonly codec: Codec<T, E>
      readonly audited: boolean
      readonly tenantOf: (record: T) => string | undefined
      readonly table: (data: TenantData) => Map<string, E>
    }): Store.Repository<T, Id> => {
      const c = spec.codec
      return {
        put: (record) =>
          op((ctx) =>
            Effect.gen(function* () {
              const tenantId = spec.tenantOf(record)
              if (tenantId !== undefined) yield* ownTenant(ctx, c.entity, tenantId)
              ctx.set(spec.table(ctx.data), record.id, yield* c.write(record))
              yield* ctx.audit([success(`${spec.name}.put`, c.entity, record.id)])
            })
          ),
        get: (id) => op((ctx) => getOne(ctx, c, `${spec.name}.get`, spec.table(ctx.data), id, spec.audited)),
        list: (request) =>
          op((ctx) =>
            Effect.gen(function* () {
              const page = yield* paginate(
                spec.table(ctx.data).values(),
                { list: spec.name, key: (row) => [row.id], parts: byId },
                request
              )
              if (spec.audited) yield* ctx.audit([success(`${spec.name}.list`, c.entity)])
              return yield* toPage(c, page)
            })
          )
      }
    }

    /** A read of several records (a list or a query): one audit event without a record id. */
    const readMany = <T, E>(
      ctx: Ctx,
      c: Codec<T, E>,
      action: string,
      rows: ReadonlyArray<E>
    ): Effect.Effect<ReadonlyArray<T>, Store.StoreError> =>
      Effect.flatMap(ctx.audit([success(action, c.entity)]), () => readAll(c, rows))

    const storeClaims: Store.StoreShape["claims"] = {
      create: (claims) =>
        op((ctx) =>
          Effect.gen(function* () {
            for (const claim of claims) {
              yield* ownTenant(ctx, "claim", claim.tenantId)
              if (ctx.data.claims.has(claim.id))
                return yield* fail(new Store.Conflict({ entity: "claim", detail: "id taken" }))
              const row = yield* codecs.claim.write(claim)
              ctx.set(ctx.data.claims, claim.id, Object.freeze({ ...row, version: 0 }))
              const event = yield* codecs.claimEvent.write({
                claimId: claim.id,
                at: ctx.now,
                actor: ctx.caller.actor,
                to: claim.status,
                reasons: []
              })
              ctx.set(ctx.data.claimHistory, claim.id, [event])
            }
            yield* ctx.audit(claims.map((claim) => success("claims.create", "claim", claim.id)))
          })
        ),
      get: (id) => op((ctx) => getOne(ctx, codecs.claim, "claims.get", ctx.data.claims, id, true)),
      getMany: (ids) =>
        op((ctx) =>
          Effect.gen(function* () {
            const unique = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
            yield* ctx.audit(
              unique.map((id) => ({
                action: "claims.getMany",
                entity: "claim",
                entityId: id,
                outcome: ctx.data.claims.has(id) ? "success" : "not-found"
              }))
            )
            return yield* readAll(
              codecs.claim,
              unique.flatMap((id) => {
                const row = ctx.data.claims.get(id)
                return row === undefined ? [] : [row]
              })
            )
          })
        ),
      update: (claim) =>
        op((ctx) =>
          Effect.gen(function* () {
            yield* ownTenant(ctx, "claim", claim.tenantId)
            const stored = ctx.data.claims.get(claim.id)
            if (stored === undefined) return yield* notFound("claim")
            if (stored.version !== claim.version) {
              return yield* fail(new Store.Conflict({ entity: "claim", detail: "stale version" }))
            }
            if (stored.status !== claim.status) {
              return yield* fail(new Store.Conflict({ entity: "claim", detail: "use transition" }))
            }
            const row = Object.freeze({ ...(yield* codecs.claim.write(claim)), version: stored.version + 1 })
            ctx.set(ctx.data.claims, claim.id, row)
            yield* ctx.audit([success("claims.update", "claim", claim.id)])
            return yield* codecs.claim.read(row)
          })
        ),
      transition: (id, transition) =>
        op((ctx) =>
          Effect.gen(function* () {
            const stored = ctx.data.claims.get(id)
            if (stored === undefined) return yield* notFound("claim")
            if (stored.version !== transition.expectedVersion) {
              return yield* fail(new Store.Conflict({ entity: "claim", detail: "stale version" }))
            }
            const set = transition.set ?? {}
            const row = frozenCopy({
              ...stored,
              status: transition.to,
              version: stored.version + 1,
              ...(set.balance === undefined ? {} : { balance: set.balance }),
              ...(set.submittedAt === undefined ? {} : { submittedAt: set.submittedAt }),
              ...(set.payerClaimNumber === undefined ? {} : { payerClaimNumber: set.payerClaimNumber })
            })
            const moved = yield* codecs.claim.check(row)
            const event = yield* codecs.claimEvent.write({
              claimId: id,
              at: ctx.now,
              actor: ctx.caller.actor,
              from: stored.status,
              to: transition.to,
              reasons: [...(transition.reasons ?? [])]
            })
            ctx.set(ctx.data.claims, id, row)
            ctx.set(ctx.data.claimHistory, id, [...(ctx.data.claimHistory.get(id) ?? []), event])
            yield* ctx.audit([success("claims.transition", "claim", id)])
            return moved
          })
        ),
      history: (id) =>
        op((ctx) =>
          Effect.gen(function* () {
            const found = ctx.data.claims.has(id)
            yield* ctx.audit([
              { action: "claims.history", entity: "claim", entityId: id, outcome: found ? "success" : "not-found" }
            ])
            return yield* readAll(codecs.claimEvent, found ? (ctx.data.claimHistory.get(id) ?? []) : [])
          })
        ),
      query: (query) =>
        op((ctx) =>
          Effect.gen(function* () {
            const statuses = query.status === undefined ? undefined : new Set<string>(query.status)
            const rows = [...ctx.data.claims.values()].filter(
              (claim) =>
                (statuses === undefined || statuses.has(claim.status)) &&
                (query.payerId === undefined || claim.payerId === query.payerId) &&
                (query.patientId === undefined || claim.patientId === query.patientId) &&
                (query.servedOnOrBefore === undefined || claim.serviceDate <= query.servedOnOrBefore) &&
                (query.servedOnOrAfter === undefined || claim.serviceDate >= query.servedOnOrAfter)
            )
            const page = yield* paginate(
              rows,
              {
                list: "claims.query",
                key: (claim) => [claim.serviceDate, claim.id],
                parts: [{ type: "string" }, { type: "string" }]
              },
              query
            )
            yield* ctx.audit([success("claims.query", "claim")])
            return yield* toPage(codecs.claim, page)
          })
        ),
      findByPayerClaimNumber: (payerClaimNumber, payerId) =>
        op((ctx) =>
          readMany(
            ctx,
            codecs.claim,
            "claims.findByPayerClaimNumber",
            sortBy(
              [...ctx.data.claims.values()].filter(
                (claim) =>
                  claim.payerClaimNumber === payerClaimNumber && (payerId === undefined || claim.payerId === payerId)
              ),
              { key: (claim) => [claim.id], parts: byId }
            )
          )
        )
    }

    const submissions: Store.StoreShape["submissions"] = {
      enqueue: (submission) =>
        op((ctx) =>
          Effect.gen(function* () {
            yield* ownTenant(ctx, "submission", submission.tenantId)
            if (ctx.data.submissions.has(submission.key)) {
              return yield* fail(new Store.Conflict({ entity: "submission", detail: "key taken" }))
            }
            ctx.set(ctx.data.submissions, submission.key, yield* codecs.submission.write(submission))
            yield* ctx.audit([success("submissions.enqueue", "submission", submission.key)])
          })
        ),
      get: (key) => op((ctx) => getOne(ctx, codecs.submission, "submissions.get", ctx.data.submissions, key, true)),
      pending: (limit) =>
        op((ctx) =>
          readMany(
            ctx,
            codecs.submission,
            "submissions.pending",
            sortBy(
              [...ctx.data.submissions.values()].filter((submission) => submission.status === "pending"),
              { key: (s) => [s.createdAt, s.key], parts: [{ type: "number" }, { type: "string" }] }
            ).slice(0, pageLimit(limit))
          )
        ),
      markSent: (key, at) =>
        op((ctx) =>
          Effect.gen(function* () {
            const stored = ctx.data.submissions.get(key)
            if (stored === undefined) return yield* notFound("submission")
            if (stored.status === "sent") {
              return yield* fail(new Store.Conflict({ entity: "submission", detail: "already sent" }))
            }
            ctx.set(ctx.data.submissions, key, Object.freeze({ ...stored, status: "sent" as const, sentAt: at }))
            yield* ctx.audit([success("submissions.markSent", "submission", key)])
          })
        ),
      markFailed: (key, error) =>
        op((ctx) =>
          Effect.gen(function* () {
            const stored = ctx.data.submissions.get(key)
            if (stored === undefined) return yield* notFound("submission")
            if (stored.status === "sent") {
              return yield* fail(new Store.Conflict({ entity: "submission", detail: "already sent" }))
            }
            ctx.set(
              ctx.data.submissions,
              key,
              Object.freeze({ ...stored, status: "failed" as const, attempts: stored.attempts + 1, lastError: error })
            )
            yield* ctx.audit([success("submissions.markFailed", "submission", key)])
          })
        ),
      requeue: (key) =>
        op((ctx) =>
          Effect.gen(function* () {
            const stored = ctx.data.submissions.get(key)
            if (stored === undefined) return yield* notFound("submission")
            if (stored.status === "sent") {
              return yield* fail(new Store.Conflict({ entity: "submission", detail: "already sent" }))
            }
            ctx.set(ctx.data.submissions, key, Object.freeze({ ...stored, status: "pending" as const }))
            yield* ctx.audit([success("submissions.requeue", "submission", key)])
          })
        )
    }

    const remittances: Store.StoreShape["remittances"] = {
      record: (remittance) =>
        op((ctx) =>
          Effect.gen(function* () {
            yield* ownTenant(ctx, "remittance", remittance.tenantId)
            const existing = ctx.data.remittanceHashes.get(remittance.contentHash)
            if (existing !== undefined) {
              yield* ctx.audit([success("remittances.record", "remittance", existing)])
              return { _tag: "Duplicate", existing: existing as RemittanceId } as const
            }
            if (ctx.data.remittances.has(remittance.id)) {
              return yield* fail(new Store.Conflict({ entity: "remittance", detail: "id taken" }))
            }
            ctx.set(ctx.data.remittances, remittance.id, yield* codecs.remittance.write(remittance))
            ctx.set(ctx.data.remittanceHashes, remittance.contentHash, remittance.id)
            yield* ctx.audit([success("remittances.record", "remittance", remittance.id)])
            return { _tag: "Recorded" } as const
          })
        ),
      get: (id) => op((ctx) => getOne(ctx, codecs.remittance, "remittances.get", ctx.data.remittances, id, true)),
      list: (request) =>
        op((ctx) =>
          Effect.gen(function* () {
            const page = yield* paginate(
              ctx.data.remittances.values(),
              { list: "remittances", key: (row) => [row.id], parts: byId },
              request
            )
            yield* ctx.audit([success("remittances.list", "remittance")])
            return yield* toPage(codecs.remittance, page)
          })
        ),
      post: (postings) =>
        op((ctx) =>
          Effect.gen(function* () {
            for (const posting of postings) {
              if (!ctx.data.remittances.has(posting.remittanceId)) {
                return yield* fail(new Store.Conflict({ entity: "posting", detail: "remittance not found" }))
              }
              if (ctx.data.postings.has(posting.id)) {
                return yield* fail(new Store.Conflict({ entity: "posting", detail: "id taken" }))
              }
              ctx.set(ctx.data.postings, posting.id, yield* codecs.posting.write(posting))
            }
            yield* ctx.audit(postings.map((posting) => success("remittances.post", "posting", posting.id)))
          })
        ),
      postings: (by) =>
        op((ctx) =>
          readMany(
            ctx,
            codecs.posting,
            "remittances.postings",
            sortBy(
              [...ctx.data.postings.values()].filter(
                (posting) =>
                  (by.remittanceId === undefined || posting.remittanceId === by.remittanceId) &&
                  (by.claimId === undefined || posting.claimId === by.claimId)
              ),
              { key: (p) => [p.postedAt, p.id], parts: [{ type: "number" }, { type: "string" }] }
            )
          )
        )
    }

    const denials: Store.StoreShape["denials"] = {
      save: (denial) =>
        op((ctx) =>
          Effect.gen(function* () {
            yield* ownTenant(ctx, "denial", denial.tenantId)
            const stored = ctx.data.denials.get(denial.id)
            if (stored === undefined && denial.version !== 0) return yield* notFound("denial")
            if (stored !== undefined && stored.version !== denial.version) {
              return yield* fail(new Store.Conflict({ entity: "denial", detail: "stale version" }))
            }
            const version = stored === undefined ? 0 : stored.version + 1
            const row = Object.freeze({ ...(yield* codecs.denial.write(denial)), version })
            ctx.set(ctx.data.denials, denial.id, row)
            yield* ctx.audit([success("denials.save", "denial", denial.id)])
            return yield* codecs.denial.read(row)
          })
        ),
      get: (id) => op((ctx) => getOne(ctx, codecs.denial, "denials.get", ctx.data.denials, id, true)),
      queue: (query) =>
        op((ctx) =>
          Effect.gen(function* () {
            const statuses = query.status === undefined ? undefined : new Set<string>(query.status)
            const rows = [...ctx.data.denials.values()].filter(
              (denial) =>
                (statuses === undefined || statuses.has(denial.status)) &&
                (query.assignee === undefined || denial.assignee === query.assignee) &&
                (query.payerId === undefined || denial.payerId === query.payerId)
            )
            const page = yield* paginate(
              rows,
              {
                list: "denials.queue",
                key: (denial) => [denial.priority, denial.id],
                parts: [{ type: "number", descending: true }, { type: "string" }]
              },
              query
            )
            yield* ctx.audit([success("denials.queue", "denial")])
            return yield* toPage(codecs.denial, page)
          })
        )
    }

    const patientEntries = (data: TenantData, patientId: PatientId) =>
      sortBy(
        [...data.patientLedger.values()].filter((entry) => entry.patientId === patientId),
        { key: (e) => [e.at, e.id], parts: [{ type: "number" }, { type: "string" }] }
      )

    const patientLedger: Store.StoreShape["patientLedger"] = {
      append: (entries) =>
        op((ctx) =>
          Effect.gen(function* () {
            for (const entry of entries) {
              yield* ownTenant(ctx, "patient-ledger-entry", entry.tenantId)
              if (ctx.data.patientLedger.has(entry.id)) {
                return yield* fail(new Store.Conflict({ entity: "patient-ledger-entry", detail: "id taken" }))
              }
              ctx.set(ctx.data.patientLedger, entry.id, yield* codecs.patientLedgerEntry.write(entry))
            }
            yield* ctx.audit(entries.map((entry) => success("patientLedger.append", "patient-ledger-entry", entry.id)))
          })
        ),
      forPatient: (patientId) =>
        op((ctx) =>
          readMany(ctx, codecs.patientLedgerEntry, "patientLedger.forPatient", patientEntries(ctx.data, patientId))
        ),
      balance: (patientId) =>
        op((ctx) =>
          Effect.as(
            ctx.audit([success("patientLedger.balance", "patient-ledger-entry")]),
            Money.sum(patientEntries(ctx.data, patientId).map((entry) => entry.amount as Money.Money))
          )
        )
    }

    const reports: Store.StoreShape["reports"] = {
      aging: (asOf) =>
        op((ctx) =>
          Effect.gen(function* () {
            type Buckets = Record<ReturnType<typeof Store.agingBucket>, Money.Money>
            const byPayer = new Map<string, { claims: number; buckets: Buckets }>()
            for (const claim of ctx.data.claims.values()) {
              if (!receivable.has(claim.status) || claim.balance <= 0) continue
              const bucket = Store.agingBucket(
                DateOfService.daysBetween(claim.serviceDate as DateOfService.DateOfService, asOf)
              )
              let row = byPayer.get(claim.payerId)
              if (row === undefined) {
                row = {
                  claims: 0,
                  buckets: {
                    days0to30: Money.zero,
                    days31to60: Money.zero,
                    days61to90: Money.zero,
                    days91to120: Money.zero,
                    over120: Money.zero
                  }
                }
                byPayer.set(claim.payerId, row)
              }
              row.claims += 1
              row.buckets[bucket] = Money.add(row.buckets[bucket], claim.balance as Money.Money)
            }
            yield* ctx.audit([success("reports.aging", "claim")])
            const rows: Array<Store.AgingRow> = sortBy([...byPayer.entries()], {
              key: ([payerId]) => [payerId],
              parts: byId
            }).map(([payerId, { claims, buckets }]) => ({
              payerId: payerId as PayerId,
              claims,
              ...buckets,
              total: Money.sum(Object.values(buckets))
            }))
            return { asOf, rows }
          })
        )
    }

    const authorizations: Store.StoreShape["authorizations"] = {
      ...repository<Authorization, Row<typeof codecs.authorization>, AuthorizationId>({
        name: "authorizations",
        codec: codecs.authorization,
        audited: true,
        tenantOf: (a) => a.tenantId,
        table: (data) => data.authorizations
      }),
      forPatient: (patientId) =>
        op((ctx) =>
          readMany(
            ctx,
            codecs.authorization,
            "authorizations.forPatient",
            sortBy(
              [...ctx.data.authorizations.values()].filter((a) => a.patientId === patientId),
              { key: (a) => [a.id], parts: byId }
            )
          )
        ),
      recordUse: (entries) =>
        op((ctx) =>
          Effect.gen(function* () {
            for (const entry of entries) {
              if (!ctx.data.authorizations.has(entry.authorizationId)) {
                return yield* fail(
                  new Store.Conflict({ entity: "authorization-use", detail: "authorization not found" })
                )
              }
              const key = ledgerKey(entry.authorizationId, entry.sessionId)
              ctx.set(ctx.data.authorizationUses, key, yield* codecs.authorizationUse.write(entry))
            }
            yield* ctx.audit(
              entries.map((entry) =>
                success(
                  "authorizations.recordUse",
                  "authorization-use",
                  ledgerKey(entry.authorizationId, entry.sessionId)
                )
              )
            )
          })
        ),
      ledger: (authorizationId) =>
        op((ctx) =>
          readMany(
            ctx,
            codecs.authorizationUse,
            "authorizations.ledger",
            sortBy(
              [...ctx.data.authorizationUses.values()].filter((entry) => entry.authorizationId === authorizationId),
              { key: (e) => [e.dateOfService, e.sessionId], parts: [{ type: "string" }, { type: "string" }] }
            )
          )
        )
    }

    const store: Store.StoreShape = {
      patients: repository<Patient, Row<typeof codecs.patient>, PatientId>({
        name: "patients",
        codec: codecs.patient,
        audited: true,
        tenantOf: (p) => p.tenantId,
        table: (data) => data.patients
      }),
      coverages: {
        ...repository<Coverage, Row<typeof codecs.coverage>, CoverageId>({
          name: "coverages",
          codec: codecs.coverage,
          audited: true,
          tenantOf: (c) => c.tenantId,
          table: (data) => data.coverages
        }),
        forPatient: (patientId) =>
          op((ctx) =>
            readMany(
              ctx,
              codecs.coverage,
              "coverages.forPatient",
              sortBy(
                [...ctx.data.coverages.values()].filter((c) => c.patientId === patientId),
                { key: (c) => [c.id], parts: byId }
              )
            )
          ),
        findByMemberId: (memberId, payerId) =>
          op((ctx) =>
            readMany(
              ctx,
              codecs.coverage,
              "coverages.findByMemberId",
              sortBy(
                [...ctx.data.coverages.values()].filter(
                  (c) => c.memberId === memberId && (payerId === undefined || c.payerId === payerId)
                ),
                { key: (c) => [c.id], parts: byId }
              )
            )
          )
      },
      clinicians: repository<Clinician, Row<typeof codecs.clinician>, ClinicianId>({
        name: "clinicians",
        codec: codecs.clinician,
        audited: false,
        tenantOf: (c) => c.tenantId,
        table: (data) => data.clinicians
      }),
      payers: repository<Payer, Row<typeof codecs.payer>, PayerId>({
        name: "payers",
        codec: codecs.payer,
        audited: false,
        tenantOf: (p) => p.tenantId,
        table: (data) => data.payers
      }),
      organizations: repository<Organization, Row<typeof codecs.organization>, OrganizationId>({
        name: "organizations",
        codec: codecs.organization,
        audited: false,
        tenantOf: (o) => o.tenantId,
        table: (data) => data.organizations
      }),
      feeSchedules: repository<FeeSchedule, Row<typeof codecs.feeSchedule>, string>({
        name: "feeSchedules",
        codec: codecs.feeSchedule,
        audited: false,
        tenantOf: (f) => f.tenantId,
        table: (data) => data.feeSchedules
      }),
      rulePacks: repository<RulePack, Row<typeof codecs.rulePack>, string>({
        name: "rulePacks",
        codec: codecs.rulePack,
        audited: false,
        // A rule pack names no tenant: it is stored as the caller's.
        tenantOf: () => undefined,
        table: (data) => data.rulePacks
      }),
      sessions: {
        ...repository<TrackedSession, Row<typeof codecs.session>, SessionId>({
          name: "sessions",
          codec: codecs.session,
          audited: true,
          tenantOf: (s) => s.tenantId,
          table: (data) => data.sessions
        }),
        forPatient: (patientId) =>
          op((ctx) =>
            readMany(
              ctx,
              codecs.session,
              "sessions.forPatient",
              sortBy(
                [...ctx.data.sessions.values()].filter(
                  (s) => s.patientId === patientId || (s.attendees ?? []).some((a) => a.patientId === patientId)
                ),
                { key: (s) => [s.id], parts: byId }
              )
            )
          )
      },
      authorizations,
      claims: storeClaims,
      submissions,
      remittances,
      denials,
      patientLedger,
      reports,
      audit: {
        events: (from) =>
          op((ctx) =>
            Effect.sync(() => {
              const first = Math.max(1, from?.sequence ?? 1)
              const after = ctx.data.audit.filter((event) => event.sequence >= first)
              const events = from?.limit === undefined ? after : after.slice(0, Math.max(0, Math.floor(from.limit)))
              return events.map((event) => ({ ...event }))
            })
          ),
        verify: () => op((ctx) => Audit.verify(ctx.caller.tenantId, ctx.data.audit, ctx.data.head, sha256))
      },
      transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(current, (transaction) =>
          transaction === undefined ? outermost(effect) : savepoint(transaction, effect)
        )
    }

    const backdoor: Backdoor = {
      auditEvents: (tenantId) => Effect.sync(() => [...tenant(tenantId).audit]),
      tamperAudit: (tenantId, rewrite) =>
        Effect.sync(() => {
          const data = tenant(tenantId)
          data.audit = [...rewrite([...data.audit])]
        }),
      head: (tenantId) => Effect.sync(() => tenant(tenantId).head),
      setHead: (tenantId, head) =>
        Effect.sync(() => {
          tenant(tenantId).head = head
        }),
      corrupt: (tenantId, collection, id, rewrite) =>
        Effect.sync(() => {
          const table = tenant(tenantId)[collection] as Map<string, unknown>
          const row = table.get(id)
          if (row !== undefined) table.set(id, rewrite(row))
        })
    }

    return { store, backdoor }
  })

/**
 * A store and its test hook. Use `make` or `layer` everywhere but in tests that tamper with the stored data.
 *
 * @since 0.1.0
 */
export const makeWithBackdoor: Effect.Effect<{ readonly store: Store.StoreShape; readonly backdoor: Backdoor }> =
  makeWithBackdoorOptions()

/**
 * A fresh, empty in-memory store. It follows the port's doc comments; where the port is silent it does this (and a
 * SQL implementation should do the same):
 *
 * - Errors: a missing record (or another tenant's) on `claims.update`, `claims.transition`, `submissions.markSent`,
 *   `submissions.markFailed` and on a denial `save` at a version above 0 is a `Conflict` with detail `"not found"`;
 *   a stale version is a `Conflict` `"stale version"`; a taken id or key a `Conflict` `"id taken"` / `"key taken"`;
 *   `claims.update` that changes the status a `Conflict` `"use transition"`. A posting on a remittance, or a ledger
 *   entry on an authorization, that the caller cannot see is a `Conflict` `"remittance not found"` /
 *   `"authorization not found"` (postings and ledger entries name no tenant: they are the caller's). A record that
 *   does not encode (built without validation) and a cursor that is not one of the list's are defects.
 * - Versions: `claims.create` stores version 0 whatever the claim says; a new denial must say version 0.
 * - The outbox: `markFailed` sets status `failed`, counts the attempt and keeps the error (out of `pending`);
 *   `markSent` works on a pending or failed submission; `markSent`, `markFailed` or `requeue` of a sent one is a
 *   `Conflict` `"already sent"`.
 * - Orders: ids by code unit (SQL: `collate "C"`); `forPatient` lists, `findByMemberId` and
 *   `findByPayerClaimNumber` by id; postings by `postedAt` then id; the patient ledger by `at` then id; the
 *   authorization ledger by date of service then session. `status: []` in a query matches nothing. A page's `limit` is floored and clamped to 1 ...
 *   `Store.maxPageSize`; so is `pending`'s.
 * - History: the creation event has no `from` key (not `from: undefined`).
 * - Audit: actions are the operation's path (`claims.transition`), entities `patient`, `coverage`, `clinician`,
 *   `payer`, `rule-pack`, `session`, `authorization`, `authorization-use` (id `authorizationId/sessionId`), `claim`,
 *   `submission`, `remittance`, `posting`, `denial`, `patient-ledger-entry`; `reports.aging` is a read of `claim`.
 *   A `Duplicate` remittance records a success naming the existing id. A failed operation leaves no event (it rolls
 *   back with the rest). `audit.events` and `audit.verify` are not audited.
 * - Transactions: one at a time per store (a single-permit semaphore), with an undo journal. Each operation is
 *   atomic on its own; a nested `transaction` is a savepoint of the outer one: if it fails, its own writes are
 *   undone and the failure goes on to the outer effect. Fibers forked inside a transaction join it.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Store.StoreShape> = Effect.map(makeWithBackdoor, ({ store }) => store)

/**
 * The in-memory store with options (e.g. Node's synchronous SHA-256 for the audit chain in a benchmark).
 *
 * @since 0.1.0
 */
export const makeWith = (options: Options): Effect.Effect<Store.StoreShape> =>
  Effect.map(makeWithBackdoorOptions(options), ({ store }) => store)

/**
 * The Store as a fresh, empty in-memory store on each build.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<Store.Store> = Layer.effect(Store.Store, make)
