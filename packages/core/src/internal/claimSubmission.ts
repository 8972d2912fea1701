/**
 * The claim operations of `Billing` after a claim is built and scrubbed: its state machine, submission through the
 * outbox, delivery to the clearinghouse and what comes back. Re-exported by `Billing`.
 */
import { Clock, Duration, Effect, Option, Result, Schedule, Schema } from "effect"
import { Caller } from "../Caller.js"
import * as Claim from "../Claim.js"
import { ClaimBatch, ClaimEnvelope, Clearinghouse, type ClearinghouseError, type Response } from "../Clearinghouse.js"
import type { Coverage } from "../Coverage.js"
import { ClaimId, type TenantId } from "../Ids.js"
import * as Money from "../Money.js"
import type { Payer } from "../Payer.js"
import type * as RemittancePosting from "../RemittancePosting.js"
import { defaultPageSize, Store, type StoreError, type StoreShape } from "../Store.js"
import type { SubmissionKey } from "../Submission.js"
import * as Submission from "../Submission.js"
import { fnv1a64 } from "./fnv.js"
import { postRemittance } from "./remittancePosting.js"
import { claimOrFail, staleVersion } from "./storedClaims.js"

export { ClaimNotFound } from "./storedClaims.js"

/**
 * A replacement or void needs the payer's claim number of the claim it refers to (REF F8), and this claim has none
 * (the payer never accepted it: fix and resubmit it instead).
 *
 * @since 0.1.0
 */
export class MissingPayerClaimNumber extends Schema.TaggedError<MissingPayerClaimNumber>()("MissingPayerClaimNumber", {
  claimId: ClaimId
}) {
  override get message() {
    return `claim ${this.claimId}: no payer claim number to correct or void`
  }
}

/**
 * The moves `transitionClaim` leaves to the operations that write what goes with them: `submitted` to
 * `submitClaims` (the batch in the outbox, its key), `corrected` to `correctClaim` or `voidClaim` (the replacement
 * or void with the payer's claim number).
 */
const movesByOperation: { readonly [S in Claim.Status]?: ManualMoveRefused["use"] } = {
  submitted: "submitClaims",
  corrected: "correctClaim or voidClaim"
}

/**
 * `transitionClaim` was asked for a move that belongs to another operation: `submitted` (use `submitClaims`) or
 * `corrected` (use `correctClaim` or `voidClaim`). The move is legal for the claim; nothing changed.
 *
 * @since 0.1.0
 */
export class ManualMoveRefused extends Schema.TaggedError<ManualMoveRefused>()("ManualMoveRefused", {
  claimId: ClaimId,
  from: Claim.Status,
  to: Claim.Status,
  use: Schema.Literals(["submitClaims", "correctClaim or voidClaim"])
}) {
  override get message() {
    return `claim ${this.claimId}: the move from ${this.from} to ${this.to} is made by Billing.${this.use}, not transitionClaim`
  }
}

/**
 * Moves a claim along its life (`Claim.moves`): an illegal move is an `IllegalTransition` and changes nothing; a
 * version other than the stored one is a `StoreError` `Conflict` (someone changed the claim since it was read).
 * Submitting, correcting and voiding have their own operations, which write what goes with the move: a legal move
 * to `submitted` or `corrected` is a `ManualMoveRefused` naming the operation to use, and changes nothing.
 *
 * @since 0.1.0
 */
export const transitionClaim = Effect.fn("Billing.transitionClaim")(function* (
  id: ClaimId,
  move: { readonly to: Claim.Status; readonly expectedVersion: number; readonly reasons?: ReadonlyArray<string> }
) {
  const store = yield* Store
  return yield* store.transaction(
    Effect.gen(function* () {
      const claim = yield* claimOrFail(store, id)
      if (claim.version !== move.expectedVersion) return yield* staleVersion()
      if (!Claim.canMove(claim.status, move.to)) {
        return yield* new Claim.IllegalTransition({ claimId: id, from: claim.status, to: move.to })
      }
      const use = movesByOperation[move.to]
      if (use !== undefined) return yield* new ManualMoveRefused({ claimId: id, from: claim.status, to: move.to, use })
      return yield* store.claims.transition(id, {
        to: move.to,
        expectedVersion: move.expectedVersion,
        reasons: move.reasons ?? []
      })
    })
  )
})

// --- Submission keys -------------------------------------------------------------------------------------------

/**
 * FNV-1a 64 of a text's UTF-8 bytes, as 16 hex digits.
 *
 * @since 0.1.0
 */
export { fnv1a64 } from "./fnv.js"

/** JSON with every object's keys sorted, so equal content is equal text. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

const encodeEnvelope = Schema.encodeSync(ClaimEnvelope)

/** The claim fields that change as it moves, not what was billed: left out of its submission key. */
const volatileClaimFields: ReadonlySet<string> = new Set(["status", "version", "submittedAt", "balance"])

/**
 * The stable key of a batch: `S` and the FNV-1a 64 hash of the tenant and, in claim id order, each claim's
 * content with everything that goes out with it (patient, coverage, payer, billing provider, clinicians). The same
 * claims give the same key whatever their order and status; a replacement or void, or a claim fixed after a
 * rejection, gives another, because its content differs.
 *
 * @since 0.1.0
 */
export const submissionKey = (tenantId: TenantId, envelopes: ReadonlyArray<ClaimEnvelope>): SubmissionKey => {
  const claims = [...envelopes]
    .sort((a, b) => (a.claim.id < b.claim.id ? -1 : a.claim.id > b.claim.id ? 1 : 0))
    .map((envelope) => {
      const encoded = encodeEnvelope(envelope)
      const claim = Object.fromEntries(
        Object.entries(encoded.claim).filter(([field]) => !volatileClaimFields.has(field))
      )
      return { ...encoded, claim }
    })
  return `S${fnv1a64(canonicalJson({ tenantId, claims }))}` as SubmissionKey
}

// --- submitClaims ----------------------------------------------------------------------------------------------

/**
 * Why a claim was not queued.
 *
 * @since 0.1.0
 */
export type SubmitRefusal =
  | { readonly _tag: "NotFound" }
  /** Only `ready` claims are submitted: a submitted one is already on its way. */
  | { readonly _tag: "NotReady"; readonly status: Claim.Status }
  /** The same content went out before, under this key; only a replacement or void may follow it. */
  | { readonly _tag: "AlreadySubmitted"; readonly key: SubmissionKey }
  /** A replacement (7) or void (8) without the payer's claim number it refers to. */
  | { readonly _tag: "MissingPayerClaimNumber" }
  /** A record the claim names is missing (the 837P cannot be written without it). */
  | {
      readonly _tag: "MissingRecord"
      readonly entity: "patient" | "coverage" | "payer" | "organization" | "clinician"
      readonly id: string
    }

/**
 * One claim's outcome in `submitClaims`.
 *
 * @since 0.1.0
 */
export type SubmitOutcome =
  | { readonly _tag: "Queued"; readonly claimId: ClaimId; readonly key: SubmissionKey }
  | { readonly _tag: "Refused"; readonly claimId: ClaimId; readonly reason: SubmitRefusal }

/**
 * What `submitClaims` did: the submission its claims went into (absent when none could go), and each claim's
 * outcome in the order asked.
 *
 * @since 0.1.0
 */
export interface SubmitReport {
  readonly submission?:
    | {
        readonly key: SubmissionKey
        readonly claimIds: ReadonlyArray<ClaimId>
        /**
         * `new`: enqueued now; `requeued`: the same batch had failed and is pending again under its key; `pending`:
         * the same batch was still waiting in the outbox (its claims had been taken back to `ready`).
         */
        readonly as: "new" | "requeued" | "pending"
      }
    | undefined
  readonly claims: ReadonlyArray<SubmitOutcome>
}

type Loaded =
  | { readonly _tag: "Loaded"; readonly envelope: ClaimEnvelope }
  | { readonly _tag: "Refused"; readonly reason: SubmitRefusal }

const missing = (entity: Extract<SubmitRefusal, { _tag: "MissingRecord" }>["entity"], id: string): Loaded => ({
  _tag: "Refused",
  reason: { _tag: "MissingRecord", entity, id }
})

/** A ready claim and everything the 837P needs about it, or why it cannot go. */
const loadEnvelope = (store: StoreShape, id: ClaimId) =>
  Effect.gen(function* () {
    const found = yield* store.claims.get(id)
    if (Option.isNone(found)) return { _tag: "Refused", reason: { _tag: "NotFound" } } satisfies Loaded
    const claim = found.value
    if (claim.status !== "ready") {
      return { _tag: "Refused", reason: { _tag: "NotReady", status: claim.status } } satisfies Loaded
    }
    if (claim.frequency !== "1" && claim.payerClaimNumber === undefined) {
      return { _tag: "Refused", reason: { _tag: "MissingPayerClaimNumber" } } satisfies Loaded
    }
    const patient = yield* store.patients.get(claim.patientId)
    if (Option.isNone(patient)) return missing("patient", claim.patientId)
    const coverage = yield* store.coverages.get(claim.coverageId)
    if (Option.isNone(coverage)) return missing("coverage", claim.coverageId)
    const payer = yield* store.payers.get(claim.payerId)
    if (Option.isNone(payer)) return missing("payer", claim.payerId)
    const billingProvider = yield* store.organizations.get(claim.billingProviderId)
    if (Option.isNone(billingProvider)) return missing("organization", claim.billingProviderId)
    const rendering = yield* store.clinicians.get(claim.renderingClinicianId)
    if (Option.isNone(rendering)) return missing("clinician", claim.renderingClinicianId)
    // A secondary or tertiary claim: each prior payer's coverage and payer (2320/2330).
    const otherPayers: Array<{ readonly coverage: Coverage; readonly payer: Payer }> = []
    for (const prior of claim.priorPayers ?? []) {
      const otherCoverage = yield* store.coverages.get(prior.coverageId)
      if (Option.isNone(otherCoverage)) return missing("coverage", prior.coverageId)
      const otherPayer = yield* store.payers.get(prior.payerId)
      if (Option.isNone(otherPayer)) return missing("payer", prior.payerId)
      otherPayers.push({ coverage: otherCoverage.value, payer: otherPayer.value })
    }
    const base = {
      claim,
      patient: patient.value,
      coverage: coverage.value,
      payer: payer.value,
      billingProvider: billingProvider.value,
      rendering: rendering.value,
      ...(otherPayers.length === 0 ? {} : { otherPayers })
    }
    if (claim.supervisingClinicianId === undefined) return { _tag: "Loaded", envelope: base } satisfies Loaded
    const supervising = yield* store.clinicians.get(claim.supervisingClinicianId)
    if (Option.isNone(supervising)) return missing("clinician", claim.supervisingClinicianId)
    return { _tag: "Loaded", envelope: { ...base, supervising: supervising.value } } satisfies Loaded
  })

const encodeBatch = Schema.encodeSync(ClaimBatch)
const decodeBatch = Schema.decodeUnknownEffect(Schema.fromJsonString(ClaimBatch))

/**
 * Queues claims for the clearinghouse: each `ready` claim, with everything its 837P needs, goes into one batch
 * whose key is stable for its content (`submissionKey`), and in one store transaction the claims move to
 * `submitted` and the batch is written to the outbox (`Store.submissions`): a crash between the two neither loses
 * nor duplicates a claim. `deliverSubmissions` sends it.
 *
 * A claim that cannot go is refused on its own, with the reason, and the others go on: a claim not `ready` (a
 * submitted claim is not ready, so the same claim is never queued twice), a replacement or void without the payer's
 * claim number, a missing record. A batch whose key is already in the outbox is the same content again: refused as
 * `AlreadySubmitted` when that submission was sent; when it had failed (its claims went back to `ready`), it is
 * requeued under its key, so a clearinghouse that did take it after all recognises it.
 *
 * @since 0.1.0
 */
export const submitClaims = Effect.fn("Billing.submitClaims")(function* (claimIds: ReadonlyArray<ClaimId>) {
  const store = yield* Store
  const caller = yield* Caller
  const ids = [...new Set(claimIds)]
  return yield* store.transaction(
    Effect.gen(function* () {
      const loaded = new Map<ClaimId, Loaded>()
      for (const id of ids) loaded.set(id, yield* loadEnvelope(store, id))
      const envelopes = ids.flatMap((id) => {
        const one = loaded.get(id)
        return one?._tag === "Loaded" ? [one.envelope] : []
      })
      const refusedOr = (fallback: (id: ClaimId) => SubmitOutcome): ReadonlyArray<SubmitOutcome> =>
        ids.map((id) => {
          const one = loaded.get(id)
          return one?._tag === "Refused" ? { _tag: "Refused", claimId: id, reason: one.reason } : fallback(id)
        })
      if (envelopes.length === 0) {
        // Every claim was refused: the fallback is never asked.
        return {
          claims: refusedOr((claimId) => ({ _tag: "Refused", claimId, reason: { _tag: "NotFound" } }))
        } satisfies SubmitReport
      }
      envelopes.sort((a, b) => (a.claim.id < b.claim.id ? -1 : a.claim.id > b.claim.id ? 1 : 0))
      const key = submissionKey(caller.tenantId, envelopes)
      const existing = yield* store.submissions.get(key)
      if (Option.isSome(existing) && existing.value.status === "sent") {
        return {
          claims: refusedOr((claimId) => ({ _tag: "Refused", claimId, reason: { _tag: "AlreadySubmitted", key } }))
        } satisfies SubmitReport
      }
      const now = yield* Clock.currentTimeMillis
      for (const { claim } of envelopes) {
        yield* store.claims.transition(claim.id, {
          to: "submitted",
          expectedVersion: claim.version,
          reasons: [`submission:${key}`],
          set: { submittedAt: now }
        })
      }
      const queuedIds = envelopes.map(({ claim }) => claim.id)
      let as: "new" | "requeued" | "pending" = "new"
      if (Option.isNone(existing)) {
        const batch: ClaimBatch = { key, tenantId: caller.tenantId, createdAt: now, claims: envelopes }
        yield* store.submissions.enqueue(
          new Submission.Submission({
            key,
            tenantId: caller.tenantId,
            claimIds: queuedIds,
            payload: JSON.stringify(encodeBatch(batch)),
            status: "pending",
            attempts: 0,
            createdAt: now
          })
        )
      } else if (existing.value.status === "failed") {
        yield* store.submissions.requeue(key)
        as = "requeued"
      } else {
        as = "pending"
      }
      return {
        submission: { key, claimIds: queuedIds, as },
        claims: refusedOr((claimId) => ({ _tag: "Queued", claimId, key }))
      } satisfies SubmitReport
    })
  )
})

// --- Corrections and voids -------------------------------------------------------------------------------------

/** CLM01 (the patient control number) holds at most 38 characters: a derived claim id stays within it. */
const maxClaimIdLength = 38

/**
 * The id of the replacement (`7`) or void (`8`) of a claim: the original's id, `-r` or `-v` and a counter (the
 * length of the original's history, so another correction of the same claim gets another id); an id too long for
 * that keeps its first characters and adds 8 hex digits of its hash, so the result is at most 38 characters.
 *
 * @since 0.1.0
 */
export const derivedClaimId = (original: ClaimId, frequency: "7" | "8", counter: number): ClaimId => {
  const suffix = `-${frequency === "7" ? "r" : "v"}${counter}`
  if (original.length + suffix.length <= maxClaimIdLength) return `${original}${suffix}` as ClaimId
  const hash = `-${fnv1a64(original).slice(0, 8)}`
  return `${original.slice(0, maxClaimIdLength - suffix.length - hash.length)}${hash}${suffix}` as ClaimId
}

/**
 * A correction's result: the original (now `corrected`) and the new claim (a `draft`).
 *
 * @since 0.1.0
 */
export interface Replacement {
  readonly original: Claim.Claim
  readonly replacement: Claim.Claim
}

const replaceClaim = (id: ClaimId, frequency: "7" | "8", reasons: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const store = yield* Store
    return yield* store.transaction(
      Effect.gen(function* () {
        const original = yield* claimOrFail(store, id)
        if (!Claim.canMove(original.status, "corrected")) {
          return yield* new Claim.IllegalTransition({ claimId: id, from: original.status, to: "corrected" })
        }
        if (original.payerClaimNumber === undefined) return yield* new MissingPayerClaimNumber({ claimId: id })
        const history = yield* store.claims.history(id)
        const now = yield* Clock.currentTimeMillis
        const replacementId = derivedClaimId(id, frequency, history.length)
        const replacement = new Claim.Claim({
          id: replacementId,
          tenantId: original.tenantId,
          patientId: original.patientId,
          coverageId: original.coverageId,
          payerId: original.payerId,
          billingProviderId: original.billingProviderId,
          renderingClinicianId: original.renderingClinicianId,
          ...(original.supervisingClinicianId === undefined
            ? {}
            : { supervisingClinicianId: original.supervisingClinicianId }),
          status: "draft",
          frequency,
          serviceDate: original.serviceDate,
          placeOfService: original.placeOfService,
          diagnoses: original.diagnoses,
          lines: original.lines,
          charge: original.charge,
          // A void asks the payer to take back what it paid: nothing more is owed on it.
          balance: frequency === "8" ? Money.zero : original.charge,
          ...(original.priorAuthorization === undefined ? {} : { priorAuthorization: original.priorAuthorization }),
          payerClaimNumber: original.payerClaimNumber,
          createdAt: now,
          version: 0
        })
        yield* store.claims.create([replacement])
        const moved = yield* store.claims.transition(id, {
          to: "corrected",
          expectedVersion: original.version,
          reasons: [`${frequency === "7" ? "replaced-by" : "voided-by"}:${replacementId}`, ...reasons]
        })
        const created = yield* claimOrFail(store, replacementId)
        return { original: moved, replacement: created } satisfies Replacement
      })
    )
  })

/**
 * Corrects an adjudicated claim: a replacement claim (frequency 7) carrying the payer's claim number of the
 * original (REF F8) is created as a `draft` with the original's content, to be edited, scrubbed and submitted; the
 * original moves to `corrected`. Both in one transaction. A claim the payer never numbered is a
 * `MissingPayerClaimNumber`; one not adjudicated an `IllegalTransition`.
 *
 * @since 0.1.0
 */
export const correctClaim = Effect.fn("Billing.correctClaim")(function* (
  id: ClaimId,
  options?: { readonly reasons?: ReadonlyArray<string> }
) {
  return yield* replaceClaim(id, "7", options?.reasons ?? [])
})

/**
 * Voids an adjudicated claim: as `correctClaim`, with a void claim (frequency 8, balance 0) in place of a
 * replacement.
 *
 * @since 0.1.0
 */
export const voidClaim = Effect.fn("Billing.voidClaim")(function* (
  id: ClaimId,
  options?: { readonly reasons?: ReadonlyArray<string> }
) {
  return yield* replaceClaim(id, "8", options?.reasons ?? [])
})

// --- deliverSubmissions ----------------------------------------------------------------------------------------

/**
 * How the sender retries a clearinghouse failure: exponential delays from `base` (× `factor` each time), each
 * scaled by a random 0.8–1.2 when `jitter`, never longer than `maxDelay`, at most `maxRetries` retries, and only
 * for reasons that are retryable (`Timeout`, `Unavailable`; never `Refused`).
 *
 * @since 0.1.0
 */
export interface RetryPolicy {
  readonly base: Duration.Input
  readonly factor: number
  readonly maxDelay: Duration.Input
  readonly maxRetries: number
  readonly jitter: boolean
}

/**
 * 1 s, 2 s, 4 s, 8 s, 16 s (each ± 20 %), capped at a minute: five retries.
 *
 * @since 0.1.0
 */
export const defaultRetryPolicy: RetryPolicy = {
  base: "1 second",
  factor: 2,
  maxDelay: "1 minute",
  maxRetries: 5,
  jitter: true
}

/**
 * The retry policy as a `Schedule` whose input is the clearinghouse's error.
 *
 * @since 0.1.0
 */
export const retrySchedule = (
  policy: RetryPolicy = defaultRetryPolicy
): Schedule.Schedule<Duration.Duration, ClearinghouseError> => {
  const maxDelay = Duration.fromInputUnsafe(policy.maxDelay)
  const exponential = Schedule.exponential(policy.base, policy.factor)
  return (policy.jitter ? Schedule.jittered(exponential) : exponential).pipe(
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, maxDelay))),
    Schedule.setInputType<ClearinghouseError>(),
    Schedule.while(({ input }) => input.retryable),
    Schedule.upTo({ times: policy.maxRetries })
  )
}

/**
 * Why the sender gave up on a submission: the clearinghouse's reason (`Refused` at once; `Timeout` or
 * `Unavailable` once the retries ran out), a payload that no longer decodes, or a claim of it that is no longer
 * `submitted` (a person took it back).
 *
 * @since 0.1.0
 */
export type DeliveryFailure = "Timeout" | "Unavailable" | "Refused" | "CorruptPayload" | "Withdrawn"

/**
 * One submission's outcome in `deliverSubmissions`.
 *
 * @since 0.1.0
 */
export type DeliveryOutcome =
  /** The clearinghouse has it (`firstTime` false: it had it already, from a send whose answer was lost). */
  | {
      readonly _tag: "Sent"
      readonly key: SubmissionKey
      readonly claimIds: ReadonlyArray<ClaimId>
      readonly reference: string
      readonly firstTime: boolean
      readonly attempts: number
    }
  /** Given up: the submission is `failed` and its claims are back to `ready` for a person to look at. */
  | {
      readonly _tag: "Failed"
      readonly key: SubmissionKey
      readonly claimIds: ReadonlyArray<ClaimId>
      readonly reason: DeliveryFailure
      readonly attempts: number
    }
  /** The store failed while recording the outcome: the submission stays `pending` and the next run sends it again
   * (the clearinghouse recognises its key). */
  | {
      readonly _tag: "NotRecorded"
      readonly key: SubmissionKey
      readonly claimIds: ReadonlyArray<ClaimId>
      readonly error: StoreError
    }

/** The submission failed: `failed` in the outbox and its claims back to `ready`, together. */
const giveUp = (store: StoreShape, submission: Submission.Submission, reason: DeliveryFailure) =>
  store.transaction(
    Effect.gen(function* () {
      yield* store.submissions.markFailed(submission.key, reason)
      for (const id of submission.claimIds) {
        const claim = yield* store.claims.get(id)
        if (Option.isSome(claim) && claim.value.status === "submitted") {
          yield* store.claims.transition(id, {
            to: "ready",
            expectedVersion: claim.value.version,
            reasons: [`submission-failed:${reason}`, `submission:${submission.key}`]
          })
        }
      }
    })
  )

const deliverOne = (
  store: StoreShape,
  clearinghouse: Clearinghouse["Service"],
  schedule: Schedule.Schedule<Duration.Duration, ClearinghouseError>,
  submission: Submission.Submission
) =>
  Effect.gen(function* () {
    const { key, claimIds } = submission
    const failed = (reason: DeliveryFailure, attempts: number) =>
      Effect.as(giveUp(store, submission, reason), {
        _tag: "Failed",
        key,
        claimIds,
        reason,
        attempts
      } satisfies DeliveryOutcome)
    const batch = yield* Effect.option(decodeBatch(submission.payload))
    if (Option.isNone(batch) || batch.value.key !== key) return yield* failed("CorruptPayload", 0)
    for (const id of claimIds) {
      const claim = yield* store.claims.get(id)
      if (Option.isNone(claim) || claim.value.status !== "submitted") return yield* failed("Withdrawn", 0)
    }
    let attempts = 0
    const sent = yield* Effect.suspend(() => {
      attempts += 1
      return clearinghouse.submitClaims(batch.value)
    }).pipe(Effect.retry(schedule), Effect.result)
    if (Result.isFailure(sent)) return yield* failed(sent.failure.reason._tag, attempts)
    const now = yield* Clock.currentTimeMillis
    // Another sender may have marked it sent first: the clearinghouse has it either way.
    yield* store.submissions.markSent(key, now).pipe(
      Effect.catchIf(
        (error) => error.reason._tag === "Conflict" && error.reason.detail === "already sent",
        () => Effect.void
      )
    )
    return {
      _tag: "Sent",
      key,
      claimIds,
      reference: sent.success.reference,
      firstTime: sent.success.firstTime,
      attempts
    } satisfies DeliveryOutcome
  }).pipe(
    Effect.catchTag("StoreError", (error) =>
      Effect.succeed({
        _tag: "NotRecorded",
        key: submission.key,
        claimIds: submission.claimIds,
        error
      } satisfies DeliveryOutcome)
    )
  )

/**
 * The outbox's sender: sends the pending submissions, oldest first (at most `limit`, default 50), through the
 * Clearinghouse. A retryable failure is retried on the `retry` policy (`defaultRetryPolicy`); a `Refused` one never.
 * A sent submission is marked sent; one given up on is marked failed and its claims move back to `ready`, together.
 * Every outcome is reported per submission, never thrown; only reading the outbox can fail the call.
 *
 * Run it again after a crash: a submission whose send was cut short is still pending and goes again under its
 * key, which the clearinghouse recognises, so each claim reaches it once.
 *
 * @since 0.1.0
 */
export const deliverSubmissions = Effect.fn("Billing.deliverSubmissions")(function* (options?: {
  readonly limit?: number
  readonly retry?: RetryPolicy
}) {
  const store = yield* Store
  const clearinghouse = yield* Clearinghouse
  const schedule = retrySchedule(options?.retry)
  const pending = yield* store.submissions.pending(options?.limit ?? defaultPageSize)
  return yield* Effect.forEach(pending, (submission) => deliverOne(store, clearinghouse, schedule, submission))
})

// --- processResponses ------------------------------------------------------------------------------------------

/**
 * What a response did to one claim.
 *
 * @since 0.1.0
 */
export type AnswerOutcome =
  | {
      readonly _tag: "Moved"
      readonly claimId: ClaimId
      readonly from: Claim.Status
      readonly to: Claim.Status
      readonly reasons: ReadonlyArray<string>
    }
  /** Already accepted, and the answer brings the payer's claim number it lacked. */
  | { readonly _tag: "Numbered"; readonly claimId: ClaimId; readonly payerClaimNumber: string }
  /**
   * Nothing to do: `already` in that status (the response was applied before), `pending` at the payer, or
   * `not-applicable` (the claim has moved on, or back: its status cannot take this answer).
   */
  | {
      readonly _tag: "Unchanged"
      readonly claimId: ClaimId
      readonly status: Claim.Status
      readonly why: "already" | "pending" | "not-applicable"
    }
  | { readonly _tag: "UnknownClaim"; readonly claimId: ClaimId }

/**
 * One response's outcome in `processResponses`.
 *
 * @since 0.1.0
 */
export type ResponseOutcome =
  | {
      readonly _tag: "Applied"
      readonly id: string
      readonly kind: "Acknowledgement" | "ClaimStatus"
      readonly claims: ReadonlyArray<AnswerOutcome>
      /** An acknowledgement naming a submission this tenant does not have. */
      readonly unknownSubmission?: SubmissionKey | undefined
    }
  /** A remittance posted (`report.duplicate` when it had been posted before): acknowledged. */
  | {
      readonly _tag: "Posted"
      readonly id: string
      readonly kind: "Remittance"
      readonly report: RemittancePosting.PostingReport
    }
  /** A remittance the store failed to post: nothing of it was written, it stays unacknowledged for the next run. */
  | { readonly _tag: "Deferred"; readonly id: string; readonly kind: "Remittance"; readonly error: StoreError }
  /** The store failed: nothing of it was written, it stays unacknowledged and the next run applies it. */
  | {
      readonly _tag: "Failed"
      readonly id: string
      readonly kind: "Acknowledgement" | "ClaimStatus"
      readonly error: StoreError
    }

/**
 * @since 0.1.0
 */
export interface ResponsesReport {
  readonly responses: ReadonlyArray<ResponseOutcome>
  /** The response ids acknowledged to the clearinghouse. */
  readonly acknowledged: ReadonlyArray<string>
}

const orDefault = (reasons: ReadonlyArray<string>, fallback: string): ReadonlyArray<string> =>
  reasons.length === 0 ? [fallback] : reasons

/** Applies one claim's answer, idempotently. */
const applyAnswer = (
  store: StoreShape,
  claimId: ClaimId,
  answer: { readonly status: "accepted" | "rejected" | "pending"; readonly reasons: ReadonlyArray<string> },
  payerClaimNumber: string | undefined
) =>
  Effect.gen(function* () {
    const found = yield* store.claims.get(claimId)
    if (Option.isNone(found)) return { _tag: "UnknownClaim", claimId } satisfies AnswerOutcome
    const claim = found.value
    if (answer.status === "pending") {
      return { _tag: "Unchanged", claimId, status: claim.status, why: "pending" } satisfies AnswerOutcome
    }
    const to = answer.status
    if (claim.status === to) {
      if (to === "accepted" && payerClaimNumber !== undefined && claim.payerClaimNumber !== payerClaimNumber) {
        yield* store.claims.update(new Claim.Claim({ ...claim, payerClaimNumber }))
        return { _tag: "Numbered", claimId, payerClaimNumber } satisfies AnswerOutcome
      }
      return { _tag: "Unchanged", claimId, status: claim.status, why: "already" } satisfies AnswerOutcome
    }
    if (!Claim.canMove(claim.status, to)) {
      return { _tag: "Unchanged", claimId, status: claim.status, why: "not-applicable" } satisfies AnswerOutcome
    }
    yield* store.claims.transition(claimId, {
      to,
      expectedVersion: claim.version,
      reasons: answer.reasons,
      ...(to === "accepted" && payerClaimNumber !== undefined ? { set: { payerClaimNumber } } : {})
    })
    return { _tag: "Moved", claimId, from: claim.status, to, reasons: answer.reasons } satisfies AnswerOutcome
  })

type ClaimsResponse = Exclude<Response, { readonly _tag: "Remittance" }>

/** The claim answers a response carries: a rejected 999 rejects every claim of its submission. */
const applyResponse = (store: StoreShape, response: ClaimsResponse) =>
  store.transaction(
    Effect.gen(function* () {
      const outcomes: Array<AnswerOutcome> = []
      const nonEmpty = (value: string | undefined) => (value === undefined || value === "" ? undefined : value)
      if (response._tag === "ClaimStatus") {
        for (const answer of response.claims) {
          const reasons = answer.status === "rejected" ? orDefault(answer.reasons, "277CA:rejected") : answer.reasons
          outcomes.push(
            yield* applyAnswer(
              store,
              answer.claimId,
              { status: answer.status, reasons },
              nonEmpty(answer.payerClaimNumber)
            )
          )
        }
        return { _tag: "Applied", id: response.id, kind: response._tag, claims: outcomes } satisfies ResponseOutcome
      }
      // A 999: the claims it names as rejected, and every claim of its submission when the batch is rejected.
      const listed = new Set<string>()
      for (const answer of response.claims) {
        if (answer.status !== "rejected") continue
        listed.add(answer.claimId)
        const reasons = orDefault([...answer.reasons, ...response.errors], "999:rejected")
        outcomes.push(yield* applyAnswer(store, answer.claimId, { status: "rejected", reasons }, undefined))
      }
      let unknownSubmission: SubmissionKey | undefined
      if (!response.accepted && response.submissionKey !== undefined) {
        const submission = yield* store.submissions.get(response.submissionKey)
        if (Option.isNone(submission)) unknownSubmission = response.submissionKey
        else {
          for (const claimId of submission.value.claimIds) {
            if (listed.has(claimId)) continue
            const reasons = orDefault(response.errors, "999:rejected")
            outcomes.push(yield* applyAnswer(store, claimId, { status: "rejected", reasons }, undefined))
          }
        }
      }
      return {
        _tag: "Applied",
        id: response.id,
        kind: response._tag,
        claims: outcomes,
        ...(unknownSubmission === undefined ? {} : { unknownSubmission })
      } satisfies ResponseOutcome
    })
  )

/**
 * Applies what came back from the clearinghouse. A rejected acknowledgement (999) rejects the claims it names, and
 * all of its submission's claims when the whole batch is rejected, with its error codes as the reasons; an accepted
 * one changes nothing (the 277CA decides). A claim status report (277CA) accepts claims (with the payer's claim
 * number) or rejects them with its reasons; `pending` changes nothing. Each response is applied in one transaction
 * and is idempotent (a claim already in the answer's status is left alone), then acknowledged; a claim or
 * submission it names that the store does not have is reported and acknowledged. A remittance is posted
 * (`postRemittance`, its own transaction; the same one again is a duplicate that changes nothing) and acknowledged.
 * A response the store failed on stays unacknowledged, for the next run.
 *
 * The clearinghouse connection is assumed to be the caller's tenant's: a claim of another tenant is unknown here.
 *
 * @since 0.1.0
 */
export const processResponses = Effect.fn("Billing.processResponses")(function* (options?: {
  readonly retry?: RetryPolicy
}) {
  const store = yield* Store
  const clearinghouse = yield* Clearinghouse
  const schedule = retrySchedule(options?.retry)
  const responses = yield* Effect.retry(clearinghouse.responses(), schedule)
  const outcomes: Array<ResponseOutcome> = []
  for (const response of responses) {
    if (response._tag === "Remittance") {
      outcomes.push(
        yield* postRemittance(response.advice).pipe(
          Effect.map((report): ResponseOutcome => ({ _tag: "Posted", id: response.id, kind: "Remittance", report })),
          Effect.catchTag("StoreError", (error) =>
            Effect.succeed({ _tag: "Deferred", id: response.id, kind: "Remittance", error } satisfies ResponseOutcome)
          )
        )
      )
      continue
    }
    outcomes.push(
      yield* applyResponse(store, response).pipe(
        Effect.catchTag("StoreError", (error) =>
          Effect.succeed({ _tag: "Failed", id: response.id, kind: response._tag, error } satisfies ResponseOutcome)
        )
      )
    )
  }
  const acknowledged = outcomes
    .filter((outcome) => outcome._tag === "Applied" || outcome._tag === "Posted")
    .map((outcome) => outcome.id)
  if (acknowledged.length > 0) yield* Effect.retry(clearinghouse.acknowledge(acknowledged), schedule)
  return { responses: outcomes, acknowledged } satisfies ResponsesReport
})
