/**
 * The Store port on a SQL database (PGlite or a PostgreSQL server, one dialect). Every operation runs in one
 * transaction scoped to the caller's tenant (`Tenancy.withTenant`): queries name the tenant, and row-level
 * security checks it again. Its audit events are written in the same transaction, so an operation whose audit
 * write fails fails whole. PHI fields are sealed per field (`PhiCipher`) with the tenant's data keys, which are
 * created on the tenant's first operation and stored wrapped by the `KeyProvider`'s master key.
 *
 * @since 0.1.0
 */
import {
  Audit,
  Authorization,
  Caller,
  Claim,
  Clinician,
  Coverage,
  DateOfService,
  Denial,
  FeeSchedule,
  type Ids,
  KeyProvider,
  Money,
  Organization,
  Patient,
  PatientLedger,
  Payer,
  Phi,
  PhiCipher,
  Remittance,
  RulePack,
  Session,
  Store,
  Submission
} from "@openrcm/core"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { SqlError } from "effect/sql/SqlError"
import * as Migrations from "./Migrations.js"
import * as Tables from "./Tables.js"
import { CurrentTenant, createTenantRole, Tenancy, type TenancyError, layer as TenancyLayer } from "./Tenancy.js"

/**
 * @since 0.1.0
 */
export interface Options {
  /**
   * Seal PHI fields. Default true; false only measures what encryption costs (benchmarks) and logs a warning.
   */
  readonly encryptPhi?: boolean | undefined
  /**
   * The audit chain's SHA-256. Default Web Crypto (browser-safe, asynchronous); the Node layers pass Node's
   * synchronous one, several times faster an event, with the same hashes.
   */
  readonly sha256?: Audit.Sha256 | undefined
}

/**
 * Key management for the caller's tenant: rotate its data key (new writes use the new one; old values stay
 * readable) and re-wrap its keys with the KeyProvider's current master key (after a master key rotation).
 *
 * @since 0.1.0
 */
export class StoreKeys extends Context.Service<
  StoreKeys,
  {
    readonly rotateDataKey: () => Effect.Effect<void, Store.StoreError, Caller.Caller>
    readonly rewrapKeys: () => Effect.Effect<number, Store.StoreError, Caller.Caller>
  }
>()("@openrcm/store-sql/StoreKeys") {}

type Json = Record<string, unknown>
type Who = Caller.CallerInfo

const chunkSize = 500

const storeError = (reason: Store.StoreError["reason"]) => new Store.StoreError({ reason })
const conflict = (entity: string, detail: string) => storeError(new Store.Conflict({ entity, detail }))
const corrupt = (entity: string, detail: string) => storeError(new Store.Corrupt({ entity, detail }))
const notFound = (entity: string) => conflict(entity, "not found")

/** A database failure as the port's error; the driver's message may quote values, so it stays out. */
const fromSql = (entity: string) => (error: SqlError) =>
  error.reason._tag === "UniqueViolation"
    ? conflict(entity, "a record with this key exists")
    : storeError(new Store.Unavailable({ detail: `database: ${error.reason._tag}` }))

const pageSize = (limit: number | undefined) =>
  Math.max(1, Math.min(Store.maxPageSize, Math.trunc(limit ?? Store.defaultPageSize)))

const encodeCursor = (key: ReadonlyArray<string | number>): string =>
  btoa(JSON.stringify(key)).replace(/\+/gu, "-").replace(/\//gu, "_").replace(/=+$/u, "")

const invalidCursor = storeError(new Store.InvalidRequest({ detail: "not a cursor of this list" }))

/** The key a cursor continues after; it must have the list's shape (`types`). */
const decodeCursor = (
  cursor: string | undefined,
  types: ReadonlyArray<"string" | "number">
): Effect.Effect<ReadonlyArray<string | number> | undefined, Store.StoreError> => {
  if (cursor === undefined) return Effect.succeed(undefined)
  return Effect.try({
    try: () => JSON.parse(atob(cursor.replace(/-/gu, "+").replace(/_/gu, "/"))) as unknown,
    catch: () => invalidCursor
  }).pipe(
    Effect.flatMap((parsed) =>
      Array.isArray(parsed) && parsed.length === types.length && parsed.every((part, i) => typeof part === types[i])
        ? Effect.succeed(parsed as ReadonlyArray<string | number>)
        : Effect.fail(invalidCursor)
    )
  )
}

/**
 * The tenant's audit-chain head as the open transaction has moved it. Updating the head row after every operation
 * of a long transaction leaves one row version per operation that no one can prune before the commit, and every
 * later read of the head walks them all (posting a 1,000-claim 835 on PGlite: ~70 s, quadratic). So the head is
 * read (and its row locked) once per transaction, carried here, and written back once before the commit.
 */
interface OpenHead {
  current: Audit.Head | undefined
  moved: boolean
}

let stores = 0

const parseData = (data: unknown): Json => (typeof data === "string" ? JSON.parse(data) : data) as Json

/**
 * A kind of record: its table and schema, its id, and where its PHI is.
 */
interface Kind<A> {
  readonly entity: string
  readonly table: string
  readonly schema: Schema.Codec<A, unknown>
  readonly id: (record: A) => string
  readonly paths: ReadonlyArray<ReadonlyArray<string>>
  /** Reads of it are audited (PHI or money). */
  readonly auditReads: boolean
}

const kind = <A>(
  entity: string,
  table: string,
  schema: Schema.Codec<A, unknown>,
  id: (record: A) => string,
  auditReads: boolean
): Kind<A> => ({ entity, table, schema, id, paths: Phi.pathsOf(schema), auditReads })

const kinds = {
  patient: kind("patient", "patients", Patient.Patient, (r) => r.id, true),
  coverage: kind("coverage", "coverages", Coverage.Coverage, (r) => r.id, true),
  clinician: kind("clinician", "clinicians", Clinician.Clinician, (r) => r.id, false),
  payer: kind("payer", "payers", Payer.Payer, (r) => r.id, false),
  organization: kind("organization", "organizations", Organization.Organization, (r) => r.id, false),
  feeSchedule: kind("fee-schedule", "fee_schedules", FeeSchedule.FeeSchedule, (r) => r.id, false),
  rulePack: kind("rule-pack", "rule_packs", RulePack.RulePack, (r) => r.id, false),
  session: kind("session", "sessions", Session.TrackedSession, (r) => r.id, true),
  authorization: kind("authorization", "authorizations", Authorization.Authorization, (r) => r.id, true),
  ledgerEntry: kind(
    "authorization-ledger",
    "authorization_ledger",
    Authorization.LedgerEntry,
    (r) => `${r.authorizationId}/${r.sessionId}`,
    true
  ),
  claim: kind("claim", "claims", Claim.Claim, (r) => r.id, true),
  claimEvent: kind("claim-event", "claim_events", Claim.Event, (r) => r.claimId, true),
  submission: kind("submission", "submissions", Submission.Submission, (r) => r.key, true),
  remittance: kind("remittance", "remittances", Remittance.Remittance, (r) => r.id, true),
  posting: kind("posting", "postings", Remittance.Posting, (r) => r.id, true),
  denial: kind("denial", "denials", Denial.Denial, (r) => r.id, true),
  ledger: kind("patient-ledger", "patient_ledger", PatientLedger.Entry, (r) => r.id, true),
  audit: kind("audit-event", "audit_events", Audit.Event, (r) => String(r.sequence), false)
}

/**
 * Builds the Store on the `SqlClient` and `Tenancy` of the context. Run the migrations first.
 *
 * @since 0.1.0
 */
export const make = Effect.fn("SqlStore.make")(function* (options: Options = {}) {
  const sql = yield* SqlClient
  const tenancy = yield* Tenancy
  const provider = yield* KeyProvider.KeyProvider
  const encrypt = options.encryptPhi !== false
  if (!encrypt) yield* Effect.logWarning("SqlStore: PHI encryption is off (benchmark setting): PHI is stored in clear")
  /** Each tenant's opened keys and the fingerprint of the stored rows they were opened from. */
  const sha256 = options.sha256 ?? Audit.webCryptoSha256
  const keyrings = new Map<string, { readonly fingerprint: string; readonly keyring: PhiCipher.Keyring }>()

  // ---- keys ---------------------------------------------------------------------------------------------------

  const keyRow = (key: PhiCipher.StoredKey) => ({
    tenant_id: key.tenantId,
    id: key.id,
    purpose: key.purpose,
    master_key_id: key.wrapped.masterKeyId,
    wrapped: key.wrapped.wrapped,
    created_at: key.createdAt,
    active: key.active
  })

  const loadKeys = (tenantId: Ids.TenantId) =>
    Effect.map(
      sql<{
        id: string
        purpose: "data" | "index"
        master_key_id: string
        wrapped: string
        created_at: string | number
        active: boolean
      }>`select id, purpose, master_key_id, wrapped, created_at, active from tenant_keys where tenant_id = ${tenantId}`
        .withoutTransform,
      (rows): ReadonlyArray<PhiCipher.StoredKey> =>
        rows.map((row) => ({
          id: row.id,
          tenantId,
          purpose: row.purpose,
          wrapped: { masterKeyId: row.master_key_id, wrapped: row.wrapped },
          createdAt: Number(row.created_at),
          active: row.active
        }))
    )

  const keyError = () => storeError(new Store.Unavailable({ detail: "keys: the tenant's keys could not be opened" }))

  /** Opens (creating on first use) the tenant's keys in a transaction of its own, before the operation's. */
  const provisionKeys = (tenantId: Ids.TenantId) =>
    tenancy
      .withTenant(
        tenantId,
        Effect.gen(function* () {
          yield* sql`select pg_advisory_xact_lock(hashtext(${`openrcm.keys:${tenantId}`}))`
          let stored = yield* loadKeys(tenantId)
          if (stored.length === 0) {
            stored = yield* PhiCipher.createKeys(tenantId, yield* Effect.clockWith((clock) => clock.currentTimeMillis))
            yield* sql`insert into tenant_keys ${rowsOf(stored.map(keyRow))}`
          }
          return stored
        })
      )
      .pipe(
        Effect.provideService(KeyProvider.KeyProvider, provider),
        Effect.mapError((error) =>
          error instanceof SqlError ? fromSql("keys")(error) : error instanceof Store.StoreError ? error : keyError()
        ),
        Effect.flatMap((stored) => cacheKeyring(tenantId, stored))
      )

  const fingerprintOf = (
    rows: ReadonlyArray<{ readonly id: string; readonly active: boolean; readonly masterKeyId: string }>
  ) =>
    rows
      .map((row) => `${row.id}:${row.active}:${row.masterKeyId}`)
      .sort()
      .join(",")

  const cacheKeyring = (tenantId: Ids.TenantId, stored: ReadonlyArray<PhiCipher.StoredKey>) =>
    PhiCipher.openKeyring(tenantId, stored).pipe(
      Effect.tap((keyring) =>
        Effect.sync(() =>
          keyrings.set(tenantId, {
            fingerprint: fingerprintOf(stored.map((k) => ({ ...k, masterKeyId: k.wrapped.masterKeyId }))),
            keyring
          })
        )
      ),
      Effect.mapError(keyError),
      Effect.provideService(KeyProvider.KeyProvider, provider)
    )

  /**
   * At the start of an operation's transaction (before it writes, so the rows are committed ones), reopens the
   * tenant's keys when another process rotated or re-wrapped them; a rotation this process rolled back never
   * reaches the cache.
   */
  const refreshKeyring = (tenantId: Ids.TenantId) =>
    Effect.gen(function* () {
      if (!encrypt) return
      const rows = yield* sql<{ id: string; active: boolean; master_key_id: string }>`
        select id, active, master_key_id from tenant_keys where tenant_id = ${tenantId}`.withoutTransform
      const fingerprint = fingerprintOf(rows.map((row) => ({ ...row, masterKeyId: row.master_key_id })))
      if (keyrings.get(tenantId)?.fingerprint === fingerprint) return
      yield* cacheKeyring(tenantId, yield* loadKeys(tenantId))
    })

  const keyringOf = (tenantId: Ids.TenantId): PhiCipher.Keyring | undefined => keyrings.get(tenantId)?.keyring

  // ---- transactions -------------------------------------------------------------------------------------------

  /** This store's head of the open tenant transaction (another store's transactions have their own). */
  const openHead = Context.Reference<OpenHead | undefined>(`@openrcm/store-sql/SqlStore/OpenHead/${++stores}`, {
    defaultValue: () => undefined
  })

  /** The outermost tenant transaction: the audit head carried through it and written back before it commits. */
  const outermost = <A, E, R>(tenantId: Ids.TenantId, effect: Effect.Effect<A, E, R>) =>
    tenancy.withTenant(
      tenantId,
      Effect.suspend(() => {
        const head: OpenHead = { current: undefined, moved: false }
        return effect.pipe(
          Effect.tap(() =>
            head.moved && head.current !== undefined
              ? sql`update audit_heads set sequence = ${head.current.sequence}, hash = ${head.current.hash}
                  where tenant_id = ${tenantId}`
              : Effect.void
          ),
          Effect.provideService(openHead, head)
        )
      })
    )

  /** A savepoint in the open transaction: when it fails, its audit events are undone, and so is the head's move. */
  const savepoint = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(openHead, (head) => {
      const before = head?.current
      return sql.withTransaction(effect).pipe(
        Effect.onError(() =>
          Effect.sync(() => {
            if (head !== undefined) head.current = before
          })
        )
      )
    })

  /**
   * Runs an operation for the caller in a tenant transaction (joining the caller's `transaction` when inside one).
   */
  const run = <A>(
    entity: string,
    body: (caller: Who) => Effect.Effect<A, Store.StoreError | SqlError>
  ): Effect.Effect<A, Store.StoreError, Caller.Caller> =>
    Effect.gen(function* () {
      const caller = yield* Caller.Caller
      const inside = yield* CurrentTenant
      if (inside === undefined && encrypt && !keyrings.has(caller.tenantId)) yield* provisionKeys(caller.tenantId)
      // Inside a caller's transaction, a savepoint keeps a failed operation from leaving half of itself.
      return yield* inside === undefined
        ? outermost(caller.tenantId, Effect.andThen(refreshKeyring(caller.tenantId), body(caller)))
        : tenancy.withTenant(caller.tenantId, savepoint(body(caller)))
    }).pipe(
      Effect.catchIf(
        (error): error is SqlError => error instanceof SqlError,
        (error) => Effect.fail(fromSql(entity)(error))
      )
    )

  // ---- audit --------------------------------------------------------------------------------------------------

  const audit = (caller: Who, entries: ReadonlyArray<Audit.Entry>) =>
    Effect.gen(function* () {
      if (entries.length === 0) return
      const open = yield* openHead
      let head = open?.current
      if (head === undefined) {
        // Creates the head on first use, and locks it until the commit: a tenant's writers take turns.
        const [row] = yield* sql<{ sequence: string | number; hash: string }>`
          insert into audit_heads (tenant_id, sequence, hash) values (${caller.tenantId}, 0, ${Audit.genesis})
          on conflict (tenant_id) do update set sequence = audit_heads.sequence
          returning sequence, hash`.withoutTransform
        head = { sequence: Number(row?.sequence ?? 0), hash: row?.hash ?? Audit.genesis }
      }
      const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      const chained = yield* Audit.chain(head, { ...caller, at }, entries, sha256)
      for (let i = 0; i < chained.events.length; i += chunkSize) {
        const rows = chained.events.slice(i, i + chunkSize).map((event) => ({
          tenant_id: event.tenantId,
          sequence: event.sequence,
          data: JSON.stringify(event)
        }))
        yield* sql`insert into audit_events ${rowsOf(rows)}`
      }
      if (open !== undefined) {
        open.current = chained.head
        open.moved = true
      } else {
        yield* sql`update audit_heads set sequence = ${chained.head.sequence}, hash = ${chained.head.hash}
          where tenant_id = ${caller.tenantId}`
      }
    })

  const entry = (action: string, entity: string, entityId?: string, outcome: Audit.Outcome = "success") =>
    ({ action, entity, outcome, ...(entityId === undefined ? {} : { entityId }) }) as Audit.Entry

  // ---- records in and out -------------------------------------------------------------------------------------

  const toData = <A>(k: Kind<A>, caller: Who, record: A, recordId = k.id(record)) =>
    Effect.gen(function* () {
      const json = Schema.encodeSync(k.schema)(record) as Json
      const keyring = keyringOf(caller.tenantId)
      if (!encrypt || k.paths.length === 0 || keyring === undefined) return JSON.stringify(json)
      return JSON.stringify(yield* PhiCipher.sealRecord(keyring, { entity: k.entity, recordId, paths: k.paths }, json))
    })

  const fromData = <A>(k: Kind<A>, caller: Who, data: unknown, recordId?: string) =>
    Effect.gen(function* () {
      let json = parseData(data)
      const keyring = keyringOf(caller.tenantId)
      if (encrypt && k.paths.length > 0) {
        if (keyring === undefined) return yield* Effect.fail(corrupt(k.entity, "sealed without keys"))
        const id = recordId ?? String(json.id ?? "")
        json = yield* PhiCipher.openRecord(keyring, { entity: k.entity, recordId: id, paths: k.paths }, json).pipe(
          Effect.mapError((broken) => corrupt(k.entity, `a sealed field does not open (${broken.path})`))
        )
      }
      return yield* Schema.decodeUnknownEffect(k.schema)(json).pipe(
        Effect.mapError(() => corrupt(k.entity, "a stored record fails its schema"))
      )
    })

  const fromRows = <A>(
    k: Kind<A>,
    caller: Who,
    rows: ReadonlyArray<{ readonly data: unknown }>,
    ids?: (row: never) => string
  ) =>
    // Opening sealed fields waits on Web Crypto's thread pool: a page's records are opened several at once (in order).
    Effect.forEach(rows, (row) => fromData(k, caller, row.data, ids?.(row as never)), { concurrency: 8 })

  const checkTenant = (entity: string, caller: Who, tenantId: string) =>
    tenantId === caller.tenantId ? Effect.void : Effect.fail(storeError(new Store.TenantMismatch({ entity })))

  const table = (k: { readonly table: string }) => sql.literal(k.table)
  /** `sql.insert` of rows the caller knows are not empty. */
  const rowsOf = (rows: ReadonlyArray<Json>) => sql.insert(rows as unknown as readonly [Json, ...Array<Json>])

  // ---- simple repositories ------------------------------------------------------------------------------------

  const repository = <A, Id extends string>(
    k: Kind<A>,
    columns: (caller: Who, record: A) => Effect.Effect<Json> = () => Effect.succeed({})
  ): Store.Repository<A, Id> => ({
    put: (record) =>
      run(k.entity, (caller) =>
        Effect.gen(function* () {
          const tenantId = (record as { readonly tenantId?: string }).tenantId
          if (tenantId !== undefined) yield* checkTenant(k.entity, caller, tenantId)
          const extra = yield* columns(caller, record)
          const row = { tenant_id: caller.tenantId, id: k.id(record), ...extra, data: yield* toData(k, caller, record) }
          const updates = Object.keys(row)
            .filter((name) => name !== "tenant_id" && name !== "id")
            .map((name) => `${name} = excluded.${name}`)
            .join(", ")
          yield* sql`insert into ${table(k)} ${sql.insert(row)}
            on conflict (tenant_id, id) do update set ${sql.literal(updates)}`
          yield* audit(caller, [entry(`${k.table}.put`, k.entity, k.id(record))])
        })
      ),
    get: (id) =>
      run(k.entity, (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ data: unknown }>`select data from ${table(k)}
            where tenant_id = ${caller.tenantId} and id = ${id}`.withoutTransform
          const found = yield* fromRows(k, caller, rows)
          if (k.auditReads) {
            yield* audit(caller, [entry(`${k.table}.get`, k.entity, id, found.length > 0 ? "success" : "not-found")])
          }
          return Option.fromUndefinedOr(found[0])
        })
      ),
    list: (page = {}) =>
      run(k.entity, (caller) =>
        Effect.gen(function* () {
          const limit = pageSize(page.limit)
          const after = yield* decodeCursor(page.cursor, ["string"])
          const rows = yield* sql<{ id: string; data: unknown }>`select id, data from ${table(k)}
            where tenant_id = ${caller.tenantId} ${after === undefined ? sql`` : sql`and id > ${String(after[0] ?? "")}`}
            order by id limit ${limit + 1}`.withoutTransform
          const items = yield* fromRows(k, caller, rows.slice(0, limit))
          if (k.auditReads) yield* audit(caller, [entry(`${k.table}.list`, k.entity)])
          const last = rows[limit - 1]
          return rows.length > limit && last !== undefined ? { items, next: encodeCursor([last.id]) } : { items }
        })
      )
  })

  const byColumn = <A>(k: Kind<A>, action: string, column: string, value: string, order = "id") =>
    run(k.entity, (caller) =>
      Effect.gen(function* () {
        const rows = yield* sql<{ data: unknown }>`select data from ${table(k)}
          where tenant_id = ${caller.tenantId} and ${sql(column)} = ${value} order by ${sql.literal(order)}`
          .withoutTransform
        const items = yield* fromRows(k, caller, rows)
        yield* audit(caller, [entry(action, k.entity)])
        return items
      })
    )

  const memberIndex = (caller: Who, memberId: string) => {
    const keyring = keyringOf(caller.tenantId)
    return encrypt && keyring !== undefined
      ? PhiCipher.blindIndex(keyring, memberId)
      : Effect.succeed(memberId.trim().toUpperCase())
  }

  const coverages = repository<Coverage.Coverage, Ids.CoverageId>(kinds.coverage, (caller, coverage) =>
    Effect.map(memberIndex(caller, coverage.memberId), (index) => ({
      patient_id: coverage.patientId,
      payer_id: coverage.payerId,
      member_index: index
    }))
  )

  const sessions = repository<Session.TrackedSession, Ids.SessionId>(kinds.session, (_, session) =>
    Effect.succeed({ patient_id: session.patientId ?? null })
  )

  const authorizations = repository<Authorization.Authorization, Ids.AuthorizationId>(
    kinds.authorization,
    (_, authorization) => Effect.succeed({ patient_id: authorization.patientId })
  )

  // ---- claims -------------------------------------------------------------------------------------------------

  const claimRow = (caller: Who, claim: Claim.Claim) =>
    Effect.map(toData(kinds.claim, caller, claim), (data) => ({
      tenant_id: caller.tenantId,
      id: claim.id,
      status: claim.status,
      payer_id: claim.payerId,
      patient_id: claim.patientId,
      service_date: claim.serviceDate,
      balance: claim.balance,
      version: claim.version,
      payer_claim_number: claim.payerClaimNumber ?? null,
      data
    }))

  const writeEvents = (caller: Who, events: ReadonlyArray<Claim.Event>) =>
    Effect.gen(function* () {
      for (let i = 0; i < events.length; i += chunkSize) {
        const rows = yield* Effect.forEach(events.slice(i, i + chunkSize), (event) =>
          Effect.map(toData(kinds.claimEvent, caller, event), (data) => ({
            tenant_id: caller.tenantId,
            claim_id: event.claimId,
            data
          }))
        )
        yield* sql`insert into claim_events ${rowsOf(rows)}`
      }
    })

  const lockedClaim = (caller: Who, id: Ids.ClaimId) =>
    Effect.gen(function* () {
      const rows = yield* sql<{ data: unknown }>`select data from claims
        where tenant_id = ${caller.tenantId} and id = ${id} for update`.withoutTransform
      const [claim] = yield* fromRows(kinds.claim, caller, rows)
      return claim === undefined ? yield* Effect.fail(notFound("claim")) : claim
    })

  const rewriteClaim = (caller: Who, claim: Claim.Claim) =>
    Effect.gen(function* () {
      const row = yield* claimRow(caller, claim)
      yield* sql`update claims set status = ${row.status}, payer_id = ${row.payer_id}, patient_id = ${row.patient_id},
        service_date = ${row.service_date}, balance = ${row.balance}, version = ${row.version},
        payer_claim_number = ${row.payer_claim_number}, data = ${row.data}
        where tenant_id = ${caller.tenantId} and id = ${claim.id}`
    })

  const claims: Store.StoreShape["claims"] = {
    create: (batch) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          if (batch.length === 0) return
          for (const claim of batch) yield* checkTenant("claim", caller, claim.tenantId)
          const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
          const stored = batch.map((claim) => (claim.version === 0 ? claim : new Claim.Claim({ ...claim, version: 0 })))
          for (let i = 0; i < stored.length; i += chunkSize) {
            // Sealing waits on Web Crypto's thread pool: several at once keep it busy (the order is kept).
            const rows = yield* Effect.forEach(stored.slice(i, i + chunkSize), (claim) => claimRow(caller, claim), {
              concurrency: 16
            })
            yield* sql`insert into claims ${rowsOf(rows)}`
          }
          yield* writeEvents(
            caller,
            stored.map((claim) => ({ claimId: claim.id, at, actor: caller.actor, to: claim.status, reasons: [] }))
          )
          yield* audit(
            caller,
            stored.map((claim) => entry("claims.create", "claim", claim.id))
          )
        })
      ),
    get: (id) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ data: unknown }>`select data from claims
            where tenant_id = ${caller.tenantId} and id = ${id}`.withoutTransform
          const [claim] = yield* fromRows(kinds.claim, caller, rows)
          yield* audit(caller, [entry("claims.get", "claim", id, claim === undefined ? "not-found" : "success")])
          return Option.fromUndefinedOr(claim)
        })
      ),
    getMany: (ids) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const unique = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          const found: Array<Claim.Claim> = []
          for (let i = 0; i < unique.length; i += chunkSize) {
            const rows = yield* sql<{ data: unknown }>`select data from claims
              where tenant_id = ${caller.tenantId} and ${sql.in("id", unique.slice(i, i + chunkSize))}
              order by id`.withoutTransform
            found.push(...(yield* fromRows(kinds.claim, caller, rows)))
          }
          const stored = new Set(found.map((claim) => claim.id as string))
          yield* audit(
            caller,
            unique.map((id) => entry("claims.getMany", "claim", id, stored.has(id) ? "success" : "not-found"))
          )
          return found
        })
      ),
    update: (claim) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          yield* checkTenant("claim", caller, claim.tenantId)
          const current = yield* lockedClaim(caller, claim.id)
          if (current.version !== claim.version) return yield* Effect.fail(conflict("claim", "stale version"))
          if (current.status !== claim.status) return yield* Effect.fail(conflict("claim", "use transition"))
          const next = new Claim.Claim({ ...claim, version: current.version + 1 })
          yield* rewriteClaim(caller, next)
          yield* audit(caller, [entry("claims.update", "claim", claim.id)])
          return next
        })
      ),
    transition: (id, transition) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const current = yield* lockedClaim(caller, id)
          if (current.version !== transition.expectedVersion) {
            return yield* Effect.fail(conflict("claim", "stale version"))
          }
          const set = transition.set ?? {}
          const next = new Claim.Claim({
            ...current,
            status: transition.to,
            version: current.version + 1,
            ...(set.balance === undefined ? {} : { balance: set.balance }),
            ...(set.submittedAt === undefined ? {} : { submittedAt: set.submittedAt }),
            ...(set.payerClaimNumber === undefined ? {} : { payerClaimNumber: set.payerClaimNumber })
          })
          yield* rewriteClaim(caller, next)
          const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
          yield* writeEvents(caller, [
            {
              claimId: id,
              at,
              actor: caller.actor,
              from: current.status,
              to: next.status,
              reasons: [...(transition.reasons ?? [])]
            }
          ])
          yield* audit(caller, [entry("claims.transition", "claim", id)])
          return next
        })
      ),
    history: (id) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ data: unknown }>`select data from claim_events
            where tenant_id = ${caller.tenantId} and claim_id = ${id} order by position`.withoutTransform
          const events = yield* Effect.forEach(rows, (row) => fromData(kinds.claimEvent, caller, row.data, id))
          yield* audit(caller, [entry("claims.history", "claim", id, events.length > 0 ? "success" : "not-found")])
          return events
        })
      ),
    query: (query) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const limit = pageSize(query.limit)
          const after = yield* decodeCursor(query.cursor, ["string", "string"])
          const where = [
            sql`tenant_id = ${caller.tenantId}`,
            ...(query.status === undefined
              ? []
              : [query.status.length === 0 ? sql`false` : sql.in("status", query.status)]),
            ...(query.payerId === undefined ? [] : [sql`payer_id = ${query.payerId}`]),
            ...(query.patientId === undefined ? [] : [sql`patient_id = ${query.patientId}`]),
            ...(query.servedOnOrBefore === undefined ? [] : [sql`service_date <= ${query.servedOnOrBefore}::date`]),
            ...(query.servedOnOrAfter === undefined ? [] : [sql`service_date >= ${query.servedOnOrAfter}::date`]),
            ...(after === undefined
              ? []
              : [sql`(service_date, id) > (${String(after[0] ?? "0000-01-01")}::date, ${String(after[1] ?? "")})`])
          ]
          const rows = yield* sql<{ id: string; service: string; data: unknown }>`
            select id, to_char(service_date, 'YYYY-MM-DD') as service, data from claims where ${sql.and(where)}
            order by service_date, id limit ${limit + 1}`.withoutTransform
          const items = yield* fromRows(kinds.claim, caller, rows.slice(0, limit))
          yield* audit(caller, [entry("claims.query", "claim")])
          const last = rows[limit - 1]
          return rows.length > limit && last !== undefined
            ? { items, next: encodeCursor([last.service, last.id]) }
            : { items }
        })
      ),
    findByPayerClaimNumber: (payerClaimNumber, payerId) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ data: unknown }>`select data from claims
            where tenant_id = ${caller.tenantId} and payer_claim_number = ${payerClaimNumber}
            ${payerId === undefined ? sql`` : sql`and payer_id = ${payerId}`} order by id`.withoutTransform
          const found = yield* fromRows(kinds.claim, caller, rows)
          yield* audit(caller, [entry("claims.findByPayerClaimNumber", "claim")])
          return found
        })
      )
  }

  // ---- submissions (the outbox) -------------------------------------------------------------------------------

  const lockedSubmission = (caller: Who, key: Submission.SubmissionKey) =>
    Effect.gen(function* () {
      const rows = yield* sql<{ key: string; data: unknown }>`select key, data from submissions
        where tenant_id = ${caller.tenantId} and key = ${key} for update`.withoutTransform
      const [found] = yield* Effect.forEach(rows, (row) => fromData(kinds.submission, caller, row.data, row.key))
      if (found === undefined) return yield* Effect.fail(notFound("submission"))
      if (found.status === "sent") return yield* Effect.fail(conflict("submission", "already sent"))
      return found
    })

  const rewriteSubmission = (caller: Who, submission: Submission.Submission, action: string) =>
    Effect.gen(function* () {
      const data = yield* toData(kinds.submission, caller, submission)
      yield* sql`update submissions set status = ${submission.status}, data = ${data}
        where tenant_id = ${caller.tenantId} and key = ${submission.key}`
      yield* audit(caller, [entry(action, "submission", submission.key)])
    })

  const submissions: Store.StoreShape["submissions"] = {
    enqueue: (submission) =>
      run("submission", (caller) =>
        Effect.gen(function* () {
          yield* checkTenant("submission", caller, submission.tenantId)
          const data = yield* toData(kinds.submission, caller, submission)
          yield* sql`insert into submissions ${sql.insert({
            tenant_id: caller.tenantId,
            key: submission.key,
            status: submission.status,
            created_at: submission.createdAt,
            data
          })}`
          yield* audit(caller, [entry("submissions.enqueue", "submission", submission.key)])
        })
      ),
    get: (key) =>
      run("submission", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ key: string; data: unknown }>`select key, data from submissions
            where tenant_id = ${caller.tenantId} and key = ${key}`.withoutTransform
          const [found] = yield* Effect.forEach(rows, (row) => fromData(kinds.submission, caller, row.data, row.key))
          yield* audit(caller, [
            entry("submissions.get", "submission", key, found === undefined ? "not-found" : "success")
          ])
          return Option.fromUndefinedOr(found)
        })
      ),
    pending: (limit) =>
      run("submission", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ key: string; data: unknown }>`select key, data from submissions
            where tenant_id = ${caller.tenantId} and status = 'pending'
            order by created_at, key limit ${pageSize(limit)}`.withoutTransform
          const found = yield* Effect.forEach(rows, (row) => fromData(kinds.submission, caller, row.data, row.key))
          yield* audit(caller, [entry("submissions.pending", "submission")])
          return found
        })
      ),
    markSent: (key, at) =>
      run("submission", (caller) =>
        Effect.flatMap(lockedSubmission(caller, key), (submission) =>
          rewriteSubmission(
            caller,
            new Submission.Submission({ ...submission, status: "sent", sentAt: at }),
            "submissions.markSent"
          )
        )
      ),
    markFailed: (key, error) =>
      run("submission", (caller) =>
        Effect.flatMap(lockedSubmission(caller, key), (submission) =>
          rewriteSubmission(
            caller,
            new Submission.Submission({
              ...submission,
              status: "failed",
              attempts: submission.attempts + 1,
              lastError: error
            }),
            "submissions.markFailed"
          )
        )
      ),
    requeue: (key) =>
      run("submission", (caller) =>
        Effect.flatMap(lockedSubmission(caller, key), (submission) =>
          rewriteSubmission(
            caller,
            new Submission.Submission({ ...submission, status: "pending" }),
            "submissions.requeue"
          )
        )
      )
  }

  // ---- remittances and postings -------------------------------------------------------------------------------

  const remittanceRepository = repository<Remittance.Remittance, Ids.RemittanceId>(kinds.remittance)

  const remittances: Store.StoreShape["remittances"] = {
    record: (remittance) =>
      run("remittance", (caller) =>
        Effect.gen(function* () {
          yield* checkTenant("remittance", caller, remittance.tenantId)
          const data = yield* toData(kinds.remittance, caller, remittance)
          const inserted = yield* sql<{ id: string }>`insert into remittances ${sql.insert({
            tenant_id: caller.tenantId,
            id: remittance.id,
            content_hash: remittance.contentHash,
            data
          })} on conflict (tenant_id, content_hash) do nothing returning id`.withoutTransform
          if (inserted.length > 0) {
            yield* audit(caller, [entry("remittances.record", "remittance", remittance.id)])
            return { _tag: "Recorded" } as const
          }
          const [existing] = yield* sql<{ id: string }>`select id from remittances
            where tenant_id = ${caller.tenantId} and content_hash = ${remittance.contentHash}`.withoutTransform
          if (existing === undefined) return yield* Effect.fail(conflict("remittance", "a record with this key exists"))
          yield* audit(caller, [entry("remittances.record", "remittance", existing.id, "refused")])
          return { _tag: "Duplicate", existing: existing.id as Ids.RemittanceId } as const
        })
      ),
    get: remittanceRepository.get,
    list: remittanceRepository.list,
    post: (postings) =>
      run("posting", (caller) =>
        Effect.gen(function* () {
          if (postings.length === 0) return
          for (let i = 0; i < postings.length; i += chunkSize) {
            const rows = yield* Effect.forEach(postings.slice(i, i + chunkSize), (posting) =>
              Effect.map(toData(kinds.posting, caller, posting), (data) => ({
                tenant_id: caller.tenantId,
                id: posting.id,
                remittance_id: posting.remittanceId,
                claim_id: posting.claimId ?? null,
                data
              }))
            )
            yield* sql`insert into postings ${rowsOf(rows)}`
          }
          yield* audit(
            caller,
            postings.map((posting) => entry("remittances.post", "posting", posting.id))
          )
        })
      ),
    postings: (by) =>
      run("posting", (caller) =>
        Effect.gen(function* () {
          const where = [
            sql`tenant_id = ${caller.tenantId}`,
            ...(by.remittanceId === undefined ? [] : [sql`remittance_id = ${by.remittanceId}`]),
            ...(by.claimId === undefined ? [] : [sql`claim_id = ${by.claimId}`])
          ]
          const rows = yield* sql<{ data: unknown }>`select data from postings where ${sql.and(where)}
            order by (data->>'postedAt')::bigint, id`.withoutTransform
          const found = yield* fromRows(kinds.posting, caller, rows)
          yield* audit(caller, [entry("remittances.postings", "posting")])
          return found
        })
      )
  }

  // ---- denials ------------------------------------------------------------------------------------------------

  const denials: Store.StoreShape["denials"] = {
    save: (denial) =>
      run("denial", (caller) =>
        Effect.gen(function* () {
          yield* checkTenant("denial", caller, denial.tenantId)
          const [current] = yield* sql<{ version: number }>`select version from denials
            where tenant_id = ${caller.tenantId} and id = ${denial.id} for update`.withoutTransform
          if (current === undefined ? denial.version !== 0 : current.version !== denial.version) {
            return yield* Effect.fail(conflict("denial", current === undefined ? "not found" : "stale version"))
          }
          const next = new Denial.Denial({ ...denial, version: current === undefined ? 0 : current.version + 1 })
          const row = {
            tenant_id: caller.tenantId,
            id: next.id,
            status: next.status,
            payer_id: next.payerId,
            assignee: next.assignee ?? null,
            priority: next.priority,
            version: next.version,
            data: yield* toData(kinds.denial, caller, next)
          }
          yield* sql`insert into denials ${sql.insert(row)} on conflict (tenant_id, id) do update set
            status = excluded.status, payer_id = excluded.payer_id, assignee = excluded.assignee,
            priority = excluded.priority, version = excluded.version, data = excluded.data`
          yield* audit(caller, [entry("denials.save", "denial", next.id)])
          return next
        })
      ),
    get: (id) =>
      run("denial", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ data: unknown }>`select data from denials
            where tenant_id = ${caller.tenantId} and id = ${id}`.withoutTransform
          const [found] = yield* fromRows(kinds.denial, caller, rows)
          yield* audit(caller, [entry("denials.get", "denial", id, found === undefined ? "not-found" : "success")])
          return Option.fromUndefinedOr(found)
        })
      ),
    queue: (query) =>
      run("denial", (caller) =>
        Effect.gen(function* () {
          const limit = pageSize(query.limit)
          const after = yield* decodeCursor(query.cursor, ["number", "string"])
          const where = [
            sql`tenant_id = ${caller.tenantId}`,
            ...(query.status === undefined
              ? []
              : [query.status.length === 0 ? sql`false` : sql.in("status", query.status)]),
            ...(query.assignee === undefined ? [] : [sql`assignee = ${query.assignee}`]),
            ...(query.payerId === undefined ? [] : [sql`payer_id = ${query.payerId}`]),
            ...(after === undefined
              ? []
              : [
                  sql`(priority < ${Number(after[0] ?? 0)} or (priority = ${Number(after[0] ?? 0)} and id > ${String(after[1] ?? "")}))`
                ])
          ]
          const rows = yield* sql<{ id: string; priority: number; data: unknown }>`
            select id, priority, data from denials where ${sql.and(where)}
            order by priority desc, id limit ${limit + 1}`.withoutTransform
          const items = yield* fromRows(kinds.denial, caller, rows.slice(0, limit))
          yield* audit(caller, [entry("denials.queue", "denial")])
          const last = rows[limit - 1]
          return rows.length > limit && last !== undefined
            ? { items, next: encodeCursor([Number(last.priority), last.id]) }
            : { items }
        })
      )
  }

  // ---- the patient ledger -------------------------------------------------------------------------------------

  const patientLedger: Store.StoreShape["patientLedger"] = {
    append: (entries) =>
      run("patient-ledger", (caller) =>
        Effect.gen(function* () {
          if (entries.length === 0) return
          for (const item of entries) yield* checkTenant("patient-ledger", caller, item.tenantId)
          for (let i = 0; i < entries.length; i += chunkSize) {
            const rows = yield* Effect.forEach(entries.slice(i, i + chunkSize), (item) =>
              Effect.map(toData(kinds.ledger, caller, item), (data) => ({
                tenant_id: caller.tenantId,
                id: item.id,
                patient_id: item.patientId,
                at: item.at,
                amount: item.amount,
                data
              }))
            )
            yield* sql`insert into patient_ledger ${rowsOf(rows)}`
          }
          yield* audit(
            caller,
            entries.map((item) => entry("patientLedger.append", "patient-ledger", item.id))
          )
        })
      ),
    forPatient: (patientId) => byColumn(kinds.ledger, "patientLedger.forPatient", "patient_id", patientId, "at, id"),
    balance: (patientId) =>
      run("patient-ledger", (caller) =>
        Effect.gen(function* () {
          const [row] = yield* sql<{ total: string | number }>`select coalesce(sum(amount), 0) as total
            from patient_ledger where tenant_id = ${caller.tenantId} and patient_id = ${patientId}`.withoutTransform
          yield* audit(caller, [entry("patientLedger.balance", "patient-ledger", patientId)])
          return Money.cents(Number(row?.total ?? 0))
        })
      )
  }

  // ---- reports ------------------------------------------------------------------------------------------------

  const reports: Store.StoreShape["reports"] = {
    aging: (asOf) =>
      run("claim", (caller) =>
        Effect.gen(function* () {
          const day = DateOfService.make(asOf)
          const rows = yield* sql<Record<string, string | number>>`
            select payer_id, count(*) as claims,
              coalesce(sum(balance) filter (where ${day}::date - service_date <= 30), 0) as d30,
              coalesce(sum(balance) filter (where ${day}::date - service_date between 31 and 60), 0) as d60,
              coalesce(sum(balance) filter (where ${day}::date - service_date between 61 and 90), 0) as d90,
              coalesce(sum(balance) filter (where ${day}::date - service_date between 91 and 120), 0) as d120,
              coalesce(sum(balance) filter (where ${day}::date - service_date > 120), 0) as over,
              coalesce(sum(balance), 0) as total
            from claims
            where tenant_id = ${caller.tenantId} and balance > 0 and status in (${sql.literal(Tables.receivable)})
            group by payer_id order by payer_id`.withoutTransform
          yield* audit(caller, [entry("reports.aging", "claim")])
          return {
            asOf,
            rows: rows.map(
              (row): Store.AgingRow => ({
                payerId: String(row.payer_id) as Ids.PayerId,
                claims: Number(row.claims),
                days0to30: Money.cents(Number(row.d30)),
                days31to60: Money.cents(Number(row.d60)),
                days61to90: Money.cents(Number(row.d90)),
                days91to120: Money.cents(Number(row.d120)),
                over120: Money.cents(Number(row.over)),
                total: Money.cents(Number(row.total))
              })
            )
          }
        })
      )
  }

  // ---- the audit trail ----------------------------------------------------------------------------------------

  const auditEvents = (caller: Who, from: number, limit?: number) =>
    Effect.gen(function* () {
      const rows = yield* sql<{ data: unknown }>`select data from audit_events
        where tenant_id = ${caller.tenantId} and sequence >= ${from}
        order by sequence ${limit === undefined ? sql`` : sql`limit ${limit}`}`.withoutTransform
      return yield* Effect.forEach(rows, (row) =>
        Schema.decodeUnknownEffect(Audit.Event)(parseData(row.data)).pipe(
          Effect.mapError(() => corrupt("audit-event", "a stored event fails its schema"))
        )
      )
    })

  const auditTrail: Store.StoreShape["audit"] = {
    events: (from = {}) =>
      run("audit-event", (caller) =>
        auditEvents(caller, from.sequence ?? 1, from.limit === undefined ? undefined : pageSize(from.limit))
      ),
    verify: () =>
      run("audit-event", (caller) =>
        Effect.gen(function* () {
          const events = yield* auditEvents(caller, 1)
          // Inside a transaction that moved the head, the row is written only at its end: verify against the move.
          const open = (yield* openHead)?.current
          const [head] =
            open !== undefined
              ? [open]
              : yield* sql<{ sequence: string | number; hash: string }>`select sequence, hash from audit_heads
                  where tenant_id = ${caller.tenantId}`.withoutTransform
          return yield* Audit.verify(
            caller.tenantId,
            events,
            head === undefined ? Audit.emptyHead : { sequence: Number(head.sequence), hash: head.hash },
            sha256
          )
        })
      )
  }

  // ---- the store ----------------------------------------------------------------------------------------------

  const authorizationLedger = {
    recordUse: (entries: ReadonlyArray<Authorization.LedgerEntry>) =>
      run("authorization-ledger", (caller) =>
        Effect.gen(function* () {
          if (entries.length === 0) return
          const rows = yield* Effect.forEach(entries, (ledgerEntry) =>
            Effect.map(toData(kinds.ledgerEntry, caller, ledgerEntry), (data) => ({
              tenant_id: caller.tenantId,
              authorization_id: ledgerEntry.authorizationId,
              session_id: ledgerEntry.sessionId,
              date_of_service: ledgerEntry.dateOfService,
              data
            }))
          )
          // The last entry for a session wins, as in a loop of single writes.
          const unique = [
            ...new Map(rows.map((row) => [`${row.authorization_id}\u0000${row.session_id}`, row])).values()
          ]
          yield* sql`insert into authorization_ledger ${rowsOf(unique)}
            on conflict (tenant_id, authorization_id, session_id) do update set
            date_of_service = excluded.date_of_service, data = excluded.data`
          yield* audit(
            caller,
            entries.map((ledgerEntry) =>
              entry("authorizations.recordUse", "authorization", ledgerEntry.authorizationId)
            )
          )
        })
      ),
    ledger: (authorizationId: Ids.AuthorizationId) =>
      run("authorization-ledger", (caller) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ authorization_id: string; session_id: string; data: unknown }>`
            select authorization_id, session_id, data from authorization_ledger
            where tenant_id = ${caller.tenantId} and authorization_id = ${authorizationId}
            order by date_of_service, session_id`.withoutTransform
          const found = yield* Effect.forEach(rows, (row) =>
            fromData(kinds.ledgerEntry, caller, row.data, `${row.authorization_id}/${row.session_id}`)
          )
          yield* audit(caller, [entry("authorizations.ledger", "authorization", authorizationId)])
          return found
        })
      )
  }

  const store: Store.StoreShape = {
    patients: repository(kinds.patient),
    coverages: {
      ...coverages,
      forPatient: (patientId) => byColumn(kinds.coverage, "coverages.forPatient", "patient_id", patientId),
      findByMemberId: (memberId, payerId) =>
        run("coverage", (caller) =>
          Effect.gen(function* () {
            const index = yield* memberIndex(caller, memberId)
            const rows = yield* sql<{ data: unknown }>`select data from coverages
              where tenant_id = ${caller.tenantId} and member_index = ${index}
              ${payerId === undefined ? sql`` : sql`and payer_id = ${payerId}`} order by id`.withoutTransform
            const found = yield* fromRows(kinds.coverage, caller, rows)
            yield* audit(caller, [entry("coverages.findByMemberId", "coverage")])
            // The index folds case and spaces; the port promises an exact match.
            return found.filter((coverage) => coverage.memberId === memberId)
          })
        )
    },
    clinicians: repository(kinds.clinician),
    payers: repository(kinds.payer),
    organizations: repository(kinds.organization),
    feeSchedules: repository(kinds.feeSchedule),
    rulePacks: repository(kinds.rulePack),
    sessions: {
      ...sessions,
      forPatient: (patientId) => byColumn(kinds.session, "sessions.forPatient", "patient_id", patientId)
    },
    authorizations: {
      ...authorizations,
      forPatient: (patientId) => byColumn(kinds.authorization, "authorizations.forPatient", "patient_id", patientId),
      ...authorizationLedger
    },
    claims,
    submissions,
    remittances,
    denials,
    patientLedger,
    reports,
    audit: auditTrail,
    transaction: (effect) =>
      Effect.gen(function* () {
        const caller = yield* Caller.Caller
        const inside = yield* CurrentTenant
        if (inside === undefined && encrypt && !keyrings.has(caller.tenantId)) yield* provisionKeys(caller.tenantId)
        return yield* inside === undefined
          ? outermost(caller.tenantId, Effect.andThen(refreshKeyring(caller.tenantId), effect))
          : tenancy.withTenant(caller.tenantId, savepoint(effect))
      }).pipe(
        Effect.catchIf(
          (error): error is SqlError => error instanceof SqlError,
          (error) => Effect.fail(fromSql("transaction")(error))
        )
      ) as never
  }

  const keys = StoreKeys.of({
    rotateDataKey: () =>
      run("keys", (caller) =>
        Effect.gen(function* () {
          if (!encrypt) return
          const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
          const fresh = yield* PhiCipher.rotateDataKey(caller.tenantId, at).pipe(
            Effect.provideService(KeyProvider.KeyProvider, provider),
            Effect.mapError(keyError)
          )
          yield* sql`update tenant_keys set active = false where tenant_id = ${caller.tenantId} and purpose = 'data'`
          // The cache learns of the new key at the next operation, once this transaction has committed.
          yield* sql`insert into tenant_keys ${sql.insert(keyRow(fresh))}`
          yield* audit(caller, [entry("keys.rotateDataKey", "tenant-key", fresh.id)])
        })
      ),
    rewrapKeys: () =>
      run("keys", (caller) =>
        Effect.gen(function* () {
          const stored = yield* loadKeys(caller.tenantId)
          let moved = 0
          for (const key of stored) {
            const rewrapped = yield* PhiCipher.rewrap(key).pipe(
              Effect.provideService(KeyProvider.KeyProvider, provider),
              Effect.mapError(keyError)
            )
            if (rewrapped === key) continue
            moved++
            yield* sql`update tenant_keys set master_key_id = ${rewrapped.wrapped.masterKeyId},
              wrapped = ${rewrapped.wrapped.wrapped} where tenant_id = ${caller.tenantId} and id = ${key.id}`
          }
          yield* audit(caller, [entry("keys.rewrapKeys", "tenant-key")])
          return moved
        })
      )
  })

  return { store: Store.Store.of(store), keys }
})

/**
 * The Store (and its key management) on the context's `SqlClient`, `Tenancy` and `KeyProvider`.
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Store.Store | StoreKeys, never, SqlClient | Tenancy | KeyProvider.KeyProvider> =>
  Layer.effectContext(
    Effect.map(make(options), ({ store, keys }) => Context.make(Store.Store, store).pipe(Context.add(StoreKeys, keys)))
  )

/**
 * @since 0.1.0
 */
export interface SetupOptions extends Options {
  /** See `Tenancy.Options`. */
  readonly tenantRole?: string | undefined
  readonly allowPrivilegedRole?: boolean | undefined
}

/**
 * Checks the connecting role first (creating the tenant role when one is named), then migrates the database on
 * the context's `SqlClient` (under a lock, forward only) and builds the Store on it: a start the guard refuses
 * changes nothing. Browser-safe: the client may be any `SqlClient` speaking PostgreSQL.
 *
 * @since 0.1.0
 */
export const layerMigrated = (
  options: SetupOptions = {}
): Layer.Layer<
  Store.Store | StoreKeys | Tenancy,
  Migrations.MigrationError | SqlError | TenancyError,
  SqlClient | KeyProvider.KeyProvider
> => {
  const roleReady =
    options.tenantRole === undefined ? Layer.empty : Layer.effectDiscard(createTenantRole(options.tenantRole))
  const tenancy = TenancyLayer({
    tenantRole: options.tenantRole,
    allowPrivilegedRole: options.allowPrivilegedRole
  }).pipe(Layer.provide(roleReady))
  // Requiring Tenancy makes the migrations wait for the guard.
  const migrated = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* Tenancy
      yield* Migrations.runMigrations(Tables.migrations)
    })
  )
  return layer(options).pipe(Layer.provide(migrated), Layer.provideMerge(tenancy))
}
