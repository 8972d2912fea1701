/**
 * `Billing.buildSecondaryClaims`: the next payer's claims (secondary, tertiary) built from claims whose payer's
 * 835 is posted, as `CoordinationOfBenefits.build` decides, stored and scrubbed. Re-exported by `Billing`.
 */
import { Clock, Effect, Option } from "effect"
import type * as Claim from "../Claim.js"
import * as CoordinationOfBenefits from "../CoordinationOfBenefits.js"
import type { Coverage } from "../Coverage.js"
import * as DateOfService from "../DateOfService.js"
import type { ClaimId, PatientId } from "../Ids.js"
import * as Money from "../Money.js"
import * as PatientLedger from "../PatientLedger.js"
import type { Posting } from "../Remittance.js"
import { everyPage, Store, type StoreShape } from "../Store.js"
import { type ScrubOutcome, scrubClaims } from "./claimPreparation.js"

/**
 * What `buildSecondaryClaims` did: the claims it created (each scrubbed: `ready` when nothing blocks it); those
 * already built from the same claim for the same coverage (their id is derived from it, so building twice never
 * bills twice); and the claims it could not build from, with why.
 *
 * @since 0.1.0
 */
export interface SecondaryReport {
  readonly created: ReadonlyArray<Claim.Claim>
  readonly existing: ReadonlyArray<{ readonly claimId: ClaimId; readonly from: ClaimId }>
  readonly skipped: ReadonlyArray<
    CoordinationOfBenefits.Problem | { readonly _tag: "NoNextCoverage" | "NotFound"; readonly claimId: ClaimId }
  >
  readonly scrubbed: ReadonlyArray<ScrubOutcome>
}

/** The ledger kinds a payer's patient responsibility posts as. */
const responsibilities: ReadonlySet<PatientLedger.Kind> = new Set(["deductible", "coinsurance", "copay", "self-pay"])

/** The claims whose payer has answered: every page of them. */
const adjudicatedClaims = (store: StoreShape) =>
  everyPage((page) => store.claims.query({ ...page, status: CoordinationOfBenefits.adjudicatedStatuses }))

/** The adjudication date: the latest remittance's payment date, else the day it was posted (UTC). */
const adjudicatedOn = (store: StoreShape, postings: ReadonlyArray<Posting>) =>
  Effect.gen(function* () {
    const last = postings.reduce<Posting | undefined>(
      (latest, p) => (latest === undefined || p.postedAt >= latest.postedAt ? p : latest),
      undefined
    )
    if (last === undefined) return undefined
    const remittance = yield* store.remittances.get(last.remittanceId)
    return Option.isSome(remittance) && remittance.value.paymentDate !== undefined
      ? remittance.value.paymentDate
      : DateOfService.atInstant(last.postedAt, "UTC")
  })

/**
 * Builds the next payer's claim for each adjudicated claim (paid, partially paid, or denied with patient
 * responsibility) whose patient has a further coverage in force on its dates of service: the same lines, for that
 * coverage's payer, carrying every prior payer's payment and adjustments from the postings (see
 * `CoordinationOfBenefits.build`). The new claims are created as drafts and scrubbed (`scrubClaims`): a clean one
 * is `ready` for `submitClaims`. A claim already built is reported `existing` and left as it is. Patient
 * responsibility of the prior claim already on the patient's ledger (posted before the further coverage was on
 * file) moves off it, in the same transaction: an `adjustment` entry `<new claim id>:to-next-payer`.
 *
 * Without `claimIds`, every paid, partially paid and denied claim of the tenant is considered (a secondary claim,
 * once paid, gives the tertiary); claims with no further coverage are then not reported.
 *
 * @since 0.1.0
 */
export const buildSecondaryClaims = Effect.fn("Billing.buildSecondaryClaims")(function* (options?: {
  readonly claimIds?: ReadonlyArray<ClaimId> | undefined
  readonly asOf?: DateOfService.DateOfService | undefined
}) {
  const store = yield* Store
  const now = yield* Clock.currentTimeMillis
  const skipped: Array<SecondaryReport["skipped"][number]> = []
  const claims: Array<Claim.Claim> = []
  if (options?.claimIds === undefined) {
    claims.push(...(yield* adjudicatedClaims(store)))
  } else {
    for (const claimId of new Set(options.claimIds)) {
      const found = yield* store.claims.get(claimId)
      if (Option.isSome(found)) claims.push(found.value)
      else skipped.push({ _tag: "NotFound", claimId })
    }
  }
  const explicit = options?.claimIds !== undefined
  const coverages = new Map<PatientId, ReadonlyArray<Coverage>>()
  const created: Array<Claim.Claim> = []
  const existing: Array<SecondaryReport["existing"][number]> = []
  yield* store.transaction(
    Effect.gen(function* () {
      for (const claim of claims) {
        let theirs = coverages.get(claim.patientId)
        if (theirs === undefined) {
          theirs = yield* store.coverages.forPatient(claim.patientId)
          coverages.set(claim.patientId, theirs)
        }
        const own = theirs.find((coverage) => coverage.id === claim.coverageId)
        const next = CoordinationOfBenefits.nextCoverage(claim, theirs)
        if (own === undefined || next === undefined) {
          if (explicit) skipped.push({ _tag: "NoNextCoverage", claimId: claim.id })
          continue
        }
        const id = CoordinationOfBenefits.claimIdFor(claim.id, next.order === 3 ? 3 : 2)
        if (Option.isSome(yield* store.claims.get(id))) {
          existing.push({ claimId: id, from: claim.id })
          continue
        }
        const postings = yield* store.remittances.postings({ claimId: claim.id })
        const on = yield* adjudicatedOn(store, postings)
        if (on === undefined) {
          skipped.push({ _tag: "NotAdjudicated", claimId: claim.id, status: claim.status })
          continue
        }
        const built = CoordinationOfBenefits.build({ claim, coverage: own, next, postings, adjudicatedOn: on, now })
        if (built._tag === "Built") created.push(built.claim)
        else skipped.push(built)
      }
      if (created.length > 0) yield* store.claims.create(created)
      // PR that reached the patient's ledger before the next coverage was known moves to the next payer: the
      // patient owes only what the last payer leaves.
      const moved: Array<PatientLedger.Entry> = []
      for (const built of created) {
        const prior = built.priorPayers?.at(-1)
        if (prior === undefined) continue
        const entries = (yield* store.patientLedger.forPatient(built.patientId)).filter(
          (entry) => entry.claimId === prior.claimId
        )
        const owed = Money.sum(entries.filter((entry) => responsibilities.has(entry.kind)).map((e) => e.amount))
        if (owed === 0) continue
        moved.push(
          new PatientLedger.Entry({
            id: `${built.id}:to-next-payer`,
            tenantId: built.tenantId,
            patientId: built.patientId,
            kind: "adjustment",
            amount: Money.negate(owed),
            claimId: prior.claimId,
            at: now
          })
        )
      }
      if (moved.length > 0) yield* store.patientLedger.append(moved)
    })
  )
  const scrubbed =
    created.length === 0
      ? []
      : yield* scrubClaims(
          created.map((claim) => claim.id),
          options?.asOf === undefined ? undefined : { asOf: options.asOf }
        )
  return { created, existing, skipped, scrubbed } satisfies SecondaryReport
})
