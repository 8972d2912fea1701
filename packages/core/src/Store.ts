/**
 * The Store port: where billing data lives. Every operation acts for the `Caller` in its context: it sees only the
 * caller's tenant (a record of another tenant and a missing record look the same: `Option.none()`), refuses to
 * write a record of another tenant, and writes an audit event in the same transaction as its change. Reads of PHI
 * and money are audited too. `transaction` makes several operations one: all of them or none (the outbox rests on
 * it: a claim's move to `submitted` and its submission are written together).
 *
 * Implementations: the in-memory one in `@openrcm/core/testing`, and `@openrcm/store-sql` (embedded PGlite or a
 * PostgreSQL server, PHI encrypted at rest). All of them pass one contract suite.
 *
 * @since 0.1.0
 */
import { Context, Effect, type Option, Schema } from "effect"
import type * as Audit from "./Audit.js"
import type { Authorization, LedgerEntry } from "./Authorization.js"
import type { Caller } from "./Caller.js"
import type * as Claim from "./Claim.js"
import type { Clinician } from "./Clinician.js"
import type { Coverage } from "./Coverage.js"
import type { DateOfService } from "./DateOfService.js"
import type * as Denial from "./Denial.js"
import type { FeeSchedule } from "./FeeSchedule.js"
import type {
  AuthorizationId,
  ClaimId,
  ClinicianId,
  CoverageId,
  OrganizationId,
  PatientId,
  PayerId,
  RemittanceId,
  SessionId
} from "./Ids.js"
import type { EpochMillis } from "./Instant.js"
import type { Money } from "./Money.js"
import type { Organization } from "./Organization.js"
import type { Patient } from "./Patient.js"
import type * as PatientLedger from "./PatientLedger.js"
import type { Payer } from "./Payer.js"
import type * as Remittance from "./Remittance.js"
import type { RulePack } from "./RulePack.js"
import type { TrackedSession } from "./Session.js"
import type * as Submission from "./Submission.js"

/**
 * Another writer changed the record first (its version moved), or a key that must be unique is taken.
 *
 * @since 0.1.0
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  entity: Schema.String,
  detail: Schema.String
}) {
  readonly retryable = false
}

/**
 * The record names another tenant than the caller's.
 *
 * @since 0.1.0
 */
export class TenantMismatch extends Schema.TaggedError<TenantMismatch>()("TenantMismatch", { entity: Schema.String }) {
  readonly retryable = false
}

/**
 * The database could not be reached or gave up (a lost connection, a serialization failure): a retry may help.
 *
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", { detail: Schema.String }) {
  readonly retryable = true
}

/**
 * A stored record could not be read back: it fails its schema or its decryption (tampered with, or its key is
 * gone). Never retried; never silently skipped.
 *
 * @since 0.1.0
 */
export class Corrupt extends Schema.TaggedError<Corrupt>()("Corrupt", {
  entity: Schema.String,
  detail: Schema.String
}) {
  readonly retryable = false
}

/**
 * The request itself is wrong: a cursor that is not one of this list's `next`.
 *
 * @since 0.1.0
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", { detail: Schema.String }) {
  readonly retryable = false
}

/**
 * @since 0.1.0
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Union([Conflict, TenantMismatch, Unavailable, Corrupt, InvalidRequest])
}) {
  get retryable(): boolean {
    return this.reason.retryable
  }
  override get message() {
    const reason = this.reason
    return reason._tag === "Unavailable" || reason._tag === "InvalidRequest"
      ? `store: ${reason._tag}`
      : `store: ${reason._tag} (${reason.entity})`
  }
}

/**
 * A page of at most `limit` items (default 50, at most 1,000) from where `cursor` left off.
 *
 * @since 0.1.0
 */
export interface PageRequest {
  readonly limit?: number | undefined
  /** The `next` of the previous page. Opaque. */
  readonly cursor?: string | undefined
}

/**
 * @since 0.1.0
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Absent on the last page. */
  readonly next?: string | undefined
}

/**
 * @since 0.1.0
 */
export const defaultPageSize = 50

/**
 * @since 0.1.0
 */
export const maxPageSize = 1000

type Op<A> = Effect.Effect<A, StoreError, Caller>

/**
 * Records found by id, written whole (an upsert).
 *
 * @since 0.1.0
 */
export interface Repository<A, Id> {
  readonly put: (record: A) => Op<void>
  readonly get: (id: Id) => Op<Option.Option<A>>
  /** In id order. */
  readonly list: (page?: PageRequest) => Op<Page<A>>
}

/**
 * Claims by status, payer, patient and age, oldest service first: the work queues' query.
 *
 * @since 0.1.0
 */
export interface ClaimQuery extends PageRequest {
  readonly status?: ReadonlyArray<Claim.Status> | undefined
  readonly payerId?: PayerId | undefined
  readonly patientId?: PatientId | undefined
  /** Only claims whose service date is on or before this day: "older than N days" is `asOf − N`. */
  readonly servedOnOrBefore?: DateOfService | undefined
  readonly servedOnOrAfter?: DateOfService | undefined
}

/**
 * A claim's move: its new status, the version the caller read, the reasons, and the fields the move changes.
 *
 * @since 0.1.0
 */
export interface Transition {
  readonly to: Claim.Status
  readonly expectedVersion: number
  readonly reasons?: ReadonlyArray<string> | undefined
  readonly set?:
    | {
        readonly balance?: Money | undefined
        readonly submittedAt?: EpochMillis | undefined
        readonly payerClaimNumber?: string | undefined
      }
    | undefined
}

/**
 * Denials to work, highest priority first.
 *
 * @since 0.1.0
 */
export interface DenialQuery extends PageRequest {
  readonly status?: ReadonlyArray<Denial.Status> | undefined
  readonly assignee?: string | undefined
  readonly payerId?: PayerId | undefined
}

/**
 * Outstanding payer balances by age of service: 0–30, 31–60, 61–90, 91–120 and over 120 days.
 *
 * @since 0.1.0
 */
export interface AgingRow {
  readonly payerId: PayerId
  readonly claims: number
  readonly days0to30: Money
  readonly days31to60: Money
  readonly days61to90: Money
  readonly days91to120: Money
  readonly over120: Money
  readonly total: Money
}

/**
 * @since 0.1.0
 */
export interface Aging {
  readonly asOf: DateOfService
  /** By payer id. */
  readonly rows: ReadonlyArray<AgingRow>
}

/**
 * The statuses whose balance counts as accounts receivable: billed and not closed.
 *
 * @since 0.1.0
 */
export const receivableStatuses: ReadonlyArray<Claim.Status> = [
  "submitted",
  "accepted",
  "rejected",
  "partially-paid",
  "denied",
  "corrected",
  "appealed"
]

/**
 * The aging bucket of an age in days.
 *
 * @since 0.1.0
 */
export const agingBucket = (days: number): "days0to30" | "days31to60" | "days61to90" | "days91to120" | "over120" =>
  days <= 30
    ? "days0to30"
    : days <= 60
      ? "days31to60"
      : days <= 90
        ? "days61to90"
        : days <= 120
          ? "days91to120"
          : "over120"

/**
 * What `remittances.record` did: the first time, `Recorded`; the same content again, `Duplicate` with the id it was
 * recorded under (so posting it twice changes nothing).
 *
 * @since 0.1.0
 */
export type RecordResult =
  | { readonly _tag: "Recorded" }
  | { readonly _tag: "Duplicate"; readonly existing: RemittanceId }

/**
 * @since 0.1.0
 */
export interface StoreShape {
  readonly patients: Repository<Patient, PatientId>
  readonly coverages: Repository<Coverage, CoverageId> & {
    readonly forPatient: (patientId: PatientId) => Op<ReadonlyArray<Coverage>>
    /** Exact match on the member id (encrypted at rest: found through a keyed blind index). */
    readonly findByMemberId: (memberId: string, payerId?: PayerId) => Op<ReadonlyArray<Coverage>>
  }
  /** Billing providers: the practice's organizations (NPI, tax id, taxonomy, address). */
  readonly organizations: Repository<Organization, OrganizationId>
  readonly clinicians: Repository<Clinician, ClinicianId>
  readonly payers: Repository<Payer, PayerId>
  /** The practice's fees: a default schedule and one per payer. */
  readonly feeSchedules: Repository<FeeSchedule, string>
  /** The tenant's own rule packs (the built-in ones ship with the core). */
  readonly rulePacks: Repository<RulePack, string>
  readonly sessions: Repository<TrackedSession, SessionId> & {
    readonly forPatient: (patientId: PatientId) => Op<ReadonlyArray<TrackedSession>>
  }
  readonly authorizations: Repository<Authorization, AuthorizationId> & {
    readonly forPatient: (patientId: PatientId) => Op<ReadonlyArray<Authorization>>
    /** Writes ledger entries; a session's entry replaces the one it had on the same authorization. */
    readonly recordUse: (entries: ReadonlyArray<LedgerEntry>) => Op<void>
    readonly ledger: (authorizationId: AuthorizationId) => Op<ReadonlyArray<LedgerEntry>>
  }
  readonly claims: {
    /** New claims, all or none; a taken id is a `Conflict`. Each starts its history. */
    readonly create: (claims: ReadonlyArray<Claim.Claim>) => Op<void>
    readonly get: (id: ClaimId) => Op<Option.Option<Claim.Claim>>
    /**
     * The claims of these ids that exist (an unknown id, or another tenant's, is left out), in id order, each id
     * once; each id's read is audited as a `get` would be. One round trip for many claims (posting an 835).
     */
    readonly getMany: (ids: ReadonlyArray<ClaimId>) => Op<ReadonlyArray<Claim.Claim>>
    /** Changes a claim's content (not its status) if its `version` is still the stored one; returns what was stored. */
    readonly update: (claim: Claim.Claim) => Op<Claim.Claim>
    /** Moves a claim to another status and records the move; returns what was stored. */
    readonly transition: (id: ClaimId, transition: Transition) => Op<Claim.Claim>
    /** Every move, oldest first. */
    readonly history: (id: ClaimId) => Op<ReadonlyArray<Claim.Event>>
    readonly query: (query: ClaimQuery) => Op<Page<Claim.Claim>>
    /**
     * The claims whose `payerClaimNumber` (the payer's claim control number, CLP07, kept when a remittance posts)
     * is exactly this one, in id order; with `payerId`, only that payer's. Payers number claims independently, so
     * a number may name claims of several payers.
     */
    readonly findByPayerClaimNumber: (payerClaimNumber: string, payerId?: PayerId) => Op<ReadonlyArray<Claim.Claim>>
  }
  /** The outbox. */
  readonly submissions: {
    /** A taken key is a `Conflict`: the same claim is never queued twice. */
    readonly enqueue: (submission: Submission.Submission) => Op<void>
    readonly get: (key: Submission.SubmissionKey) => Op<Option.Option<Submission.Submission>>
    /** Pending submissions, oldest first. */
    readonly pending: (limit?: number) => Op<ReadonlyArray<Submission.Submission>>
    /** A submission is sent once: marking a sent one again (or failing or requeueing it) is a `Conflict`. */
    readonly markSent: (key: Submission.SubmissionKey, at: EpochMillis) => Op<void>
    /** The sender gave up on it: `failed`, one more attempt, and why (a code, never PHI). */
    readonly markFailed: (key: Submission.SubmissionKey, error: string) => Op<void>
    /** Puts a failed submission back in the queue (`pending`); its attempts and last error stay. */
    readonly requeue: (key: Submission.SubmissionKey) => Op<void>
  }
  readonly remittances: {
    /** Records a remittance once per content hash. */
    readonly record: (remittance: Remittance.Remittance) => Op<RecordResult>
    readonly get: (id: RemittanceId) => Op<Option.Option<Remittance.Remittance>>
    readonly list: (page?: PageRequest) => Op<Page<Remittance.Remittance>>
    /** A taken posting id is a `Conflict`. */
    readonly post: (postings: ReadonlyArray<Remittance.Posting>) => Op<void>
    readonly postings: (by: {
      readonly remittanceId?: RemittanceId
      readonly claimId?: ClaimId
    }) => Op<ReadonlyArray<Remittance.Posting>>
  }
  readonly denials: {
    /** Writes a denial: new (version 0), or a change to the stored version; returns what was stored. */
    readonly save: (denial: Denial.Denial) => Op<Denial.Denial>
    readonly get: (id: Denial.DenialId) => Op<Option.Option<Denial.Denial>>
    readonly queue: (query: DenialQuery) => Op<Page<Denial.Denial>>
  }
  readonly patientLedger: {
    /** A taken entry id is a `Conflict`. */
    readonly append: (entries: ReadonlyArray<PatientLedger.Entry>) => Op<void>
    readonly forPatient: (patientId: PatientId) => Op<ReadonlyArray<PatientLedger.Entry>>
    readonly balance: (patientId: PatientId) => Op<Money>
  }
  readonly reports: {
    readonly aging: (asOf: DateOfService) => Op<Aging>
  }
  readonly audit: {
    /** The caller's tenant's events by sequence. */
    readonly events: (from?: { readonly sequence?: number; readonly limit?: number }) => Op<ReadonlyArray<Audit.Event>>
    /** Walks the caller's tenant's chain. */
    readonly verify: () => Op<Audit.Verification>
  }
  /**
   * Runs the effect's store operations as one transaction: all are written, or none. A nested call is a savepoint:
   * when it fails, its writes are undone and its error reaches the enclosing effect, which may go on. Every single
   * operation is atomic the same way.
   */
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R | Caller>
}

/**
 * @since 0.1.0
 */
export class Store extends Context.Service<Store, StoreShape>()("@openrcm/core/Store") {}

/**
 * The page a paged read asks for in `everyPage`: the largest the store serves, from where the last one left off.
 *
 * @since 0.1.0
 */
export interface FullPage {
  readonly limit: number
  readonly cursor: string | undefined
}

/**
 * Every item of a paged read, a full page at a time from the first:
 * `everyPage((page) => store.claims.query({ ...page, status: ["ready"] }))`.
 *
 * @since 0.1.0
 */
export const everyPage = <A, E, R>(
  page: (request: FullPage) => Effect.Effect<Page<A>, E, R>
): Effect.Effect<Array<A>, E, R> =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | undefined
    do {
      const next = yield* page({ limit: maxPageSize, cursor })
      items.push(...next.items)
      cursor = next.next
    } while (cursor !== undefined)
    return items
  })
