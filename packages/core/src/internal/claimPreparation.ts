/**
 * The claim operations of `Billing` before submission: build claims from coded sessions, scrub them against the
 * payers' rule packs, and apply a certain fix or a person's edits. They load what the pure `ClaimBuild` and `Scrub`
 * need from the Store and the rule packs, and write what they decide back. Re-exported by `Billing`.
 */
import { Clock, Effect, Option } from "effect"
import type { Authorization, LedgerEntry } from "../Authorization.js"
import { Caller } from "../Caller.js"
import * as Claim from "../Claim.js"
import * as ClaimBuild from "../ClaimBuild.js"
import type { Clinician } from "../Clinician.js"
import * as DateOfService from "../DateOfService.js"
import type { FeeSchedule } from "../FeeSchedule.js"
import type { ClaimId, PayerId, SessionId } from "../Ids.js"
import { RulePacks, type RuleSet } from "../RuleSet.js"
import * as Scrub from "../Scrub.js"
import { minutesAt, type TrackedSession } from "../Session.js"
import { everyPage, Store, StoreError, type StoreShape, TenantMismatch } from "../Store.js"
import { claimOrFail, staleVersion } from "./storedClaims.js"

/**
 * What `buildClaims` did: the claims it created (drafts); those it found already built from the same sessions
 * (their ids are derived from what groups them, so building twice never bills twice); those not yet submitted that
 * it rebuilt because a session of theirs was completed late; the late sessions of claims already submitted, to be
 * billed on a replacement (`correctClaim`); and the sessions it left out, with why.
 *
 * @since 0.1.0
 */
export interface BuildReport {
  readonly created: ReadonlyArray<Claim.Claim>
  readonly existing: ReadonlyArray<ClaimId>
  readonly rebuilt: ReadonlyArray<Claim.Claim>
  readonly late: ReadonlyArray<{ readonly claimId: ClaimId; readonly sessionId: SessionId }>
  readonly problems: ReadonlyArray<ClaimBuild.BuildProblem>
}

/**
 * Builds draft claims from completed, coded sessions (`ClaimBuild.build`) with the tenant's fee schedules, its
 * clinicians' supervision and each payer's claim grouping, and stores the new ones.
 *
 * @since 0.1.0
 */
export const buildClaims = Effect.fn("Billing.buildClaims")(function* (
  sessions: ReadonlyArray<ClaimBuild.CodedSession>
) {
  const store = yield* Store
  const packs = yield* RulePacks
  const caller = yield* Caller
  if (sessions.some((session) => session.tenantId !== caller.tenantId)) {
    return yield* new StoreError({ reason: new TenantMismatch({ entity: "session" }) })
  }
  const feeSchedules: ReadonlyArray<FeeSchedule> = yield* everyPage((page) => store.feeSchedules.list(page))
  const clinicians = new Map<string, Clinician>()
  for (const id of new Set(sessions.map((session) => session.renderingClinicianId))) {
    const clinician = yield* store.clinicians.get(id)
    if (Option.isSome(clinician)) clinicians.set(id, clinician.value)
  }
  const groupings = new Map<PayerId, RuleSet["claimGrouping"]["value"]>()
  for (const payerId of new Set(sessions.map((session) => session.payerId))) {
    const payer = yield* store.payers.get(payerId)
    if (Option.isNone(payer)) continue
    const [first] = sessions
      .filter((session) => session.payerId === payerId)
      .map((session) => session.dateOfService)
      .sort()
    if (first === undefined) continue
    const ruleSet = yield* packs.resolve(payer.value.rulePack, first)
    groupings.set(payerId, ruleSet.claimGrouping.value)
  }
  const built = ClaimBuild.build(sessions, {
    feeSchedules,
    clinicians,
    grouping: (payerId) => groupings.get(payerId) ?? "per-day",
    now: yield* Clock.currentTimeMillis
  })
  return yield* store.transaction(
    Effect.gen(function* () {
      const created: Array<Claim.Claim> = []
      const existing: Array<ClaimId> = []
      const rebuilt: Array<Claim.Claim> = []
      const late: Array<{ readonly claimId: ClaimId; readonly sessionId: SessionId }> = []
      for (const claim of built.claims) {
        const found = yield* store.claims.get(claim.id)
        if (Option.isNone(found)) {
          created.push(claim)
          continue
        }
        const stored = found.value
        const billed = new Set(stored.lines.map((line) => line.sessionId))
        const missing = [
          ...new Set(claim.lines.flatMap((line) => (billed.has(line.sessionId) ? [] : [line.sessionId])))
        ].filter((id): id is SessionId => id !== undefined)
        if (missing.length === 0) {
          existing.push(claim.id)
        } else if (scrubbable.has(stored.status)) {
          // Not sent yet: the claim is rebuilt with the late session, and goes back to draft to be scrubbed again.
          const draft =
            stored.status === "draft"
              ? stored
              : yield* store.claims.transition(claim.id, {
                  to: "draft",
                  expectedVersion: stored.version,
                  reasons: ["late-session"]
                })
          rebuilt.push(
            yield* store.claims.update(
              new Claim.Claim({ ...claim, status: "draft", createdAt: stored.createdAt, version: draft.version })
            )
          )
        } else {
          for (const sessionId of missing) late.push({ claimId: claim.id, sessionId })
        }
      }
      yield* store.claims.create(created)
      return { created, existing, rebuilt, late, problems: built.problems } satisfies BuildReport
    })
  )
})

/**
 * One claim's scrub: where it now stands and what the scrubber found. A claim that is not a draft, scrubbed or
 * ready is not scrubbed (`Skipped`, with its status).
 *
 * @since 0.1.0
 */
export type ScrubOutcome =
  | {
      readonly _tag: "Scrubbed"
      readonly claimId: ClaimId
      readonly status: Claim.Status
      readonly result: Scrub.ScrubResult
    }
  | { readonly _tag: "Skipped"; readonly claimId: ClaimId; readonly status: Claim.Status }
  | { readonly _tag: "NotFound"; readonly claimId: ClaimId }

type Scrubbable = "draft" | "scrubbed" | "ready"

const scrubbable: ReadonlySet<Claim.Status> = new Set<Scrubbable>(["draft", "scrubbed", "ready"])

/** Where a scrub takes a claim: `ready` when nothing blocks it, `scrubbed` when an error does. */
const movesAfterScrub: {
  readonly [S in Scrubbable]: {
    readonly clean: ReadonlyArray<Claim.Status>
    readonly blocked: ReadonlyArray<Claim.Status>
  }
} = {
  draft: { clean: ["scrubbed", "ready"], blocked: ["scrubbed"] },
  scrubbed: { clean: ["ready"], blocked: [] },
  ready: { clean: [], blocked: ["draft", "scrubbed"] }
}

/** The claims the payers have, for the duplicate edits: sent and not closed or voided. */
const sentStatuses: ReadonlyArray<Claim.Status> = [
  "submitted",
  "accepted",
  "paid",
  "partially-paid",
  "denied",
  "appealed",
  "corrected"
]

/**
 * What the scrubber knows of a line from its stored session: how it was delivered and, once every segment of it has
 * ended, its minutes of service (for `minutes-below-minimum`; a session still running or without segments has none).
 */
const lineFactsOf = (session: TrackedSession): Scrub.LineFacts =>
  session.segments.length > 0 && session.segments.every((segment) => segment.endedAt !== undefined)
    ? { delivery: session.delivery, minutes: minutesAt(session, 0).service }
    : { delivery: session.delivery }

/**
 * What a claim is scrubbed against, loaded once from the store and the rule packs: the parties, authorizations,
 * claims already sent and the rule set of each date (`base`), and each session's facts (`facts`, by session id), so
 * a draft whose lines change can be scrubbed again synchronously with `scrubWithContext`. `undefined` when the
 * claim's payer is unknown.
 *
 * @since 0.1.0
 */
export interface ScrubContextFor {
  readonly base: Omit<Scrub.ScrubContext, "lines">
  readonly facts: ReadonlyMap<string, Scrub.LineFacts>
}

/**
 * Loads what a claim is scrubbed against (see `ScrubContextFor`): the reads `scrubClaims` makes, for a host that
 * scrubs a draft as it is edited (the React ClaimEditor) and finds what the stored scrub will.
 *
 * @since 0.1.0
 */
export const scrubContext = Effect.fn("Billing.scrubContext")(function* (
  claim: Claim.Claim,
  options?: { readonly asOf?: DateOfService.DateOfService | undefined }
) {
  const store = yield* Store
  const packs = yield* RulePacks
  const asOf = options?.asOf ?? (yield* DateOfService.today("UTC"))
  const get = <A>(found: Option.Option<A>) => Option.getOrUndefined(found)
  const payer = get(yield* store.payers.get(claim.payerId))
  if (payer === undefined) return undefined
  const patient = get(yield* store.patients.get(claim.patientId))
  const coverage = get(yield* store.coverages.get(claim.coverageId))
  const billingProvider = get(yield* store.organizations.get(claim.billingProviderId))
  const rendering = get(yield* store.clinicians.get(claim.renderingClinicianId))
  const supervising =
    claim.supervisingClinicianId === undefined
      ? undefined
      : get(yield* store.clinicians.get(claim.supervisingClinicianId))
  const authorizations: Array<Authorization> = (yield* store.authorizations.forPatient(claim.patientId)).filter(
    (authorization) => authorization.payerId === claim.payerId
  )
  const ledger: Array<LedgerEntry> = []
  for (const authorization of authorizations) ledger.push(...(yield* store.authorizations.ledger(authorization.id)))
  const facts = new Map<string, Scrub.LineFacts>()
  for (const sessionId of new Set(claim.lines.map((line) => line.sessionId))) {
    if (sessionId === undefined) continue
    const session = get(yield* store.sessions.get(sessionId))
    if (session !== undefined) facts.set(sessionId, lineFactsOf(session))
  }
  const others = yield* everyPage((page) =>
    store.claims.query({ ...page, patientId: claim.patientId, status: sentStatuses })
  )
  const priorClaims = new Set<string>((claim.priorPayers ?? []).map((prior) => prior.claimId))
  // Each date of service's rule set, resolved now so that the scrubber's lookups are plain and synchronous.
  const ruleSets = new Map<string, RuleSet>()
  for (const date of new Set([claim.serviceDate, ...claim.lines.map((line) => line.dateOfService)])) {
    ruleSets.set(date, yield* packs.resolve(payer.rulePack, date))
  }
  const atService = ruleSets.get(claim.serviceDate) as RuleSet
  const base: Omit<Scrub.ScrubContext, "lines"> = {
    ruleSets: (_, date) => ruleSets.get(date) ?? atService,
    asOf,
    ...(patient === undefined ? {} : { patient }),
    ...(coverage === undefined ? {} : { coverage }),
    ...(billingProvider === undefined ? {} : { billingProvider }),
    ...(rendering === undefined ? {} : { rendering }),
    ...(supervising === undefined ? {} : { supervising }),
    authorizations: { authorizations, ledger },
    // A secondary or tertiary claim bills the same lines as the claims of its prior payers: not duplicates.
    sent: Scrub.sentIndex(others.filter((other) => other.id !== claim.id && !priorClaims.has(other.id)))
  }
  return { base, facts } satisfies ScrubContextFor
})

/**
 * Scrubs a claim (or an edited draft of it) against a loaded context, synchronously.
 *
 * @since 0.1.0
 */
export const scrubWithContext = (claim: Claim.Claim, loaded: ScrubContextFor): Scrub.ScrubResult =>
  Scrub.scrub(claim, {
    ...loaded.base,
    lines: claim.lines.map((line) => (line.sessionId === undefined ? undefined : loaded.facts.get(line.sessionId)))
  })

/**
 * Scrubs claims before submission (`Scrub.scrub`) and moves each: a claim with no error goes to `ready`, one with
 * an error stays `scrubbed` (a `ready` claim that now has one goes back), the findings' edit ids recorded as the
 * move's reasons. `asOf` (default: today, UTC) is the day timely filing counts to.
 *
 * @since 0.1.0
 */
export const scrubClaims = Effect.fn("Billing.scrubClaims")(function* (
  claimIds: ReadonlyArray<ClaimId>,
  options?: { readonly asOf?: DateOfService.DateOfService | undefined }
) {
  const store = yield* Store
  const asOf = options?.asOf ?? (yield* DateOfService.today("UTC"))
  const outcomes: Array<ScrubOutcome> = []
  for (const claimId of new Set(claimIds)) {
    const found = yield* store.claims.get(claimId)
    if (Option.isNone(found)) {
      outcomes.push({ _tag: "NotFound", claimId })
      continue
    }
    const claim = found.value
    if (!scrubbable.has(claim.status)) {
      outcomes.push({ _tag: "Skipped", claimId, status: claim.status })
      continue
    }
    const context = yield* scrubContext(claim, { asOf })
    if (context === undefined) {
      outcomes.push({ _tag: "Skipped", claimId, status: claim.status })
      continue
    }
    const result = scrubWithContext(claim, context)
    const reasons = result.findings.map((finding) => finding.edit)
    const path = movesAfterScrub[claim.status as Scrubbable][result.blocking ? "blocked" : "clean"]
    let current = claim
    yield* store.transaction(
      Effect.gen(function* () {
        for (const to of path) {
          current = yield* store.claims.transition(claimId, { to, expectedVersion: current.version, reasons })
        }
      })
    )
    outcomes.push({ _tag: "Scrubbed", claimId, status: current.status, result })
  }
  return outcomes
})

/**
 * A draft, scrubbed or ready claim, back to `draft` (with `reason` on the move) and `content` written over it; a
 * claim past `ready` is an `IllegalTransition` and changes nothing. Run inside the caller's transaction.
 */
const writeAsDraft = (store: StoreShape, stored: Claim.Claim, reason: string, content: Claim.Claim) =>
  Effect.gen(function* () {
    if (!scrubbable.has(stored.status)) {
      return yield* new Claim.IllegalTransition({ claimId: stored.id, from: stored.status, to: "draft" })
    }
    const moved =
      stored.status === "draft"
        ? stored
        : yield* store.claims.transition(stored.id, {
            to: "draft",
            expectedVersion: stored.version,
            reasons: [reason]
          })
    return yield* store.claims.update(new Claim.Claim({ ...content, status: "draft", version: moved.version }))
  })

/**
 * Applies a certain fix a finding offered (`Scrub.Fix`: add modifier 95, set the place of service, ...) to a
 * draft, scrubbed or ready claim; the claim goes back to `draft`, to be scrubbed again.
 *
 * @since 0.1.0
 */
export const applyClaimFix = Effect.fn("Billing.applyClaimFix")(function* (claimId: ClaimId, fix: Scrub.Fix) {
  const store = yield* Store
  return yield* store.transaction(
    Effect.gen(function* () {
      const stored = yield* claimOrFail(store, claimId)
      return yield* writeAsDraft(store, stored, `fix:${fix._tag}`, Scrub.applyFix(stored, fix))
    })
  )
})

/**
 * Writes a person's edits (lines, diagnoses, place of service, prior authorization, ...) over a draft, scrubbed or
 * ready claim, which goes back to `draft` (reason `edited`), to be scrubbed again. `claim.version` is the version
 * the edits were made on: another is a `StoreError` `Conflict` (someone changed the claim since). Edits that change
 * nothing write nothing and return the stored claim as it is, whatever its status. A claim past `ready` is an
 * `IllegalTransition`: a submitted claim is changed by `correctClaim`.
 *
 * @since 0.1.0
 */
export const updateClaim = Effect.fn("Billing.updateClaim")(function* (claim: Claim.Claim) {
  const store = yield* Store
  return yield* store.transaction(
    Effect.gen(function* () {
      const stored = yield* claimOrFail(store, claim.id)
      if (Claim.sameContent(claim, stored)) return stored
      if (scrubbable.has(stored.status) && claim.version !== stored.version) {
        return yield* staleVersion()
      }
      return yield* writeAsDraft(store, stored, "edited", claim)
    })
  )
})
