/**
 * Coordination of benefits, decided without effects: once a payer has adjudicated a claim and its 835 is posted,
 * the patient's next coverage (by order of benefits, in force on the dates of service) gets a claim of its own, the
 * same lines carrying what every prior payer paid and adjusted (837P loops 2320/2330 and 2430). Until the last
 * payer has answered, the patient responsibility a payer reports goes to the next payer, not to the patient's
 * ledger (`hasNextPayer`).
 *
 * `Billing.buildSecondaryClaims` loads what `build` needs from the store and writes the claims it decides.
 *
 * @since 0.1.0
 */
import * as Claim from "./Claim.js"
import type { Coverage } from "./Coverage.js"
import type { DateOfService } from "./DateOfService.js"
import type { ClaimId } from "./Ids.js"
import type { EpochMillis } from "./Instant.js"
import { fnv1a64 } from "./internal/fnv.js"
import * as Money from "./Money.js"
import type { Posting } from "./Remittance.js"

/**
 * The claim's statuses after which its payer's adjudication is posted.
 *
 * @since 0.1.0
 */
export const adjudicatedStatuses: ReadonlyArray<Claim.Status> = ["paid", "partially-paid", "denied"]

/**
 * The coverage that pays after the claim's own: the lowest order above the claim coverage's, in force on every
 * date of service of the claim (another coverage of the same order, or one that lapsed, is not next). `undefined`
 * when the claim's coverage is not among `coverages`, or it is the last.
 *
 * @since 0.1.0
 */
export const nextCoverage = (
  claim: Pick<Claim.Claim, "coverageId" | "serviceDate" | "lines">,
  coverages: ReadonlyArray<Coverage>
): Coverage | undefined => {
  const own = coverages.find((coverage) => coverage.id === claim.coverageId)
  if (own === undefined) return undefined
  const dates = [claim.serviceDate, ...claim.lines.map((line) => line.dateOfService)]
  let next: Coverage | undefined
  for (const coverage of coverages) {
    if (coverage.order <= own.order || coverage.id === own.id) continue
    if (!dates.every((date) => coverage.period.start <= date && date <= coverage.period.end)) continue
    if (next === undefined || coverage.order < next.order || (coverage.order === next.order && coverage.id < next.id))
      next = coverage
  }
  return next
}

/**
 * True when a payer's patient responsibility on this claim goes to a further payer rather than the patient.
 *
 * @since 0.1.0
 */
export const hasNextPayer = (
  claim: Pick<Claim.Claim, "coverageId" | "serviceDate" | "lines">,
  coverages: ReadonlyArray<Coverage>
): boolean => nextCoverage(claim, coverages) !== undefined

/** CLM01 holds at most 38 characters. */
const maxClaimIdLength = 38

/**
 * The id of the claim for the coverage of order `order` built from a prior claim: the prior's id and `-cob2` or
 * `-cob3`, so building it again finds it. An id too long for that keeps its first characters and adds 8 hex digits
 * of its hash (at most 38 characters).
 *
 * @since 0.1.0
 */
export const claimIdFor = (prior: ClaimId, order: 2 | 3): ClaimId => {
  const suffix = `-cob${order}`
  if (prior.length + suffix.length <= maxClaimIdLength) return `${prior}${suffix}` as ClaimId
  const hash = `-${fnv1a64(prior).slice(0, 8)}`
  return `${prior.slice(0, maxClaimIdLength - suffix.length - hash.length)}${hash}${suffix}` as ClaimId
}

const groups: ReadonlySet<string> = new Set(["CO", "OA", "PI", "PR"])

/** A posted group as the 837 carries it: CR and anything unknown are other adjustments. */
const groupOf = (group: string): Claim.PriorAdjustment["group"] =>
  groups.has(group) ? (group as Claim.PriorAdjustment["group"]) : "OA"

const byGroupAndReason = (a: Claim.PriorAdjustment, b: Claim.PriorAdjustment) =>
  a.group < b.group ? -1 : a.group > b.group ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0

/** The net of adjustments by group and reason (a reversal cancels what it undoes), zeros left out, sorted. */
const netAdjustments = (postings: ReadonlyArray<Posting>): Array<Claim.PriorAdjustment> => {
  const net = new Map<string, Claim.PriorAdjustment>()
  for (const p of postings) {
    if (p.kind === "payment" || p.kind === "provider-level" || p.group === undefined) continue
    const group = groupOf(p.group)
    const reason = p.reason === undefined || p.reason === "" ? "0" : p.reason
    const key = `${group}|${reason}`
    const previous = net.get(key)
    net.set(key, { group, reason, amount: Money.add(previous?.amount ?? Money.zero, p.amount) })
  }
  return [...net.values()].filter((a) => a.amount !== 0).sort(byGroupAndReason)
}

const paidOf = (postings: ReadonlyArray<Posting>): Money.Money =>
  Money.sum(postings.filter((p) => p.kind === "payment").map((p) => p.amount))

/**
 * Why a claim's adjudication cannot go to the next payer.
 *
 * @since 0.1.0
 */
export type Problem =
  /** The claim has not been adjudicated (or was voided): nothing to coordinate yet. */
  | { readonly _tag: "NotAdjudicated"; readonly claimId: ClaimId; readonly status: Claim.Status }
  /** The payer left nothing to the patient: there is nothing for a next payer to pay. */
  | { readonly _tag: "NothingForNextPayer"; readonly claimId: ClaimId }
  /** What was posted to the claim does not add up to its charge (charge − paid − adjustments). */
  | { readonly _tag: "Unbalanced"; readonly claimId: ClaimId; readonly difference: Money.Money }

/**
 * A payer's adjudication of a claim, as the next payer's claim carries it, from the postings made to the claim
 * (their net, so a reversal and its correction count once). Line by line when every line's paid and adjustments
 * add up to its charge and nothing was posted at claim level; otherwise at claim level only, when the whole adds
 * up to the charge; otherwise `Unbalanced`.
 *
 * @since 0.1.0
 */
export const adjudicationOf = (
  claim: Claim.Claim,
  coverage: Pick<Coverage, "id" | "payerId" | "order">,
  postings: ReadonlyArray<Posting>,
  adjudicatedOn: DateOfService
): { readonly _tag: "Adjudicated"; readonly payer: Claim.PriorPayer } | Extract<Problem, { _tag: "Unbalanced" }> => {
  const mine = postings.filter((p) => p.claimId === claim.id && p.kind !== "provider-level")
  const base = {
    claimId: claim.id,
    coverageId: coverage.id,
    payerId: coverage.payerId,
    order: coverage.order,
    ...(claim.payerClaimNumber === undefined ? {} : { payerClaimNumber: claim.payerClaimNumber }),
    adjudicatedOn,
    paid: paidOf(mine)
  }
  const atClaim = mine.filter((p) => p.line === undefined || p.line >= claim.lines.length)
  const lines = claim.lines.map((line, index) => {
    const posted = mine.filter((p) => p.line === index)
    const adjustments = netAdjustments(posted)
    const paid = paidOf(posted)
    const balanced = Money.add(paid, Money.sum(adjustments.map((a) => a.amount))) === line.charge
    return { line: index, paid, adjustments, balanced }
  })
  if (atClaim.every((p) => p.amount === 0) && lines.every((line) => line.balanced)) {
    return {
      _tag: "Adjudicated",
      payer: {
        ...base,
        adjustments: [],
        lines: lines.map(({ line, paid, adjustments }) => ({ line, paid, adjustments }))
      }
    }
  }
  const adjustments = netAdjustments(mine)
  const difference = Money.subtract(
    Money.subtract(claim.charge, base.paid),
    Money.sum(adjustments.map((a) => a.amount))
  )
  if (difference !== 0) return { _tag: "Unbalanced", claimId: claim.id, difference }
  return { _tag: "Adjudicated", payer: { ...base, adjustments, lines: [] } }
}

/**
 * The patient responsibility a payer left: its PR adjustments, claim and lines.
 *
 * @since 0.1.0
 */
export const patientResponsibility = (payer: Claim.PriorPayer): Money.Money =>
  Money.sum(
    [...payer.adjustments, ...payer.lines.flatMap((line) => line.adjustments)]
      .filter((a) => a.group === "PR")
      .map((a) => a.amount)
  )

/**
 * What `build` needs about one adjudicated claim.
 *
 * @since 0.1.0
 */
export interface BuildInput {
  readonly claim: Claim.Claim
  /** The claim's own coverage. */
  readonly coverage: Pick<Coverage, "id" | "payerId" | "order">
  /** The coverage that pays next (`nextCoverage`). */
  readonly next: Pick<Coverage, "id" | "payerId" | "order">
  /** Every posting made to the claim. */
  readonly postings: ReadonlyArray<Posting>
  readonly adjudicatedOn: DateOfService
  readonly now: EpochMillis
}

/**
 * The next payer's claim (a draft), or why there is none: the same patient, providers, diagnoses and lines, billed
 * in full (CLM02 is the whole charge; the prior payers' payments and adjustments travel in 2320/2430), for the next
 * coverage and its payer, with the prior payers (the claim's own, then its payer's adjudication). The prior
 * authorization and payer claim number are the prior payer's and are not carried. Its balance starts at the charge,
 * as the next payer's 835 adjusts the prior payers' share away (OA-23).
 *
 * @since 0.1.0
 */
export const build = (input: BuildInput): { readonly _tag: "Built"; readonly claim: Claim.Claim } | Problem => {
  const { claim, next } = input
  if (!adjudicatedStatuses.includes(claim.status) || claim.frequency === "8") {
    return { _tag: "NotAdjudicated", claimId: claim.id, status: claim.status }
  }
  const adjudication = adjudicationOf(claim, input.coverage, input.postings, input.adjudicatedOn)
  if (adjudication._tag === "Unbalanced") return adjudication
  if (patientResponsibility(adjudication.payer) <= 0) return { _tag: "NothingForNextPayer", claimId: claim.id }
  const {
    priorAuthorization: _authorization,
    payerClaimNumber: _number,
    submittedAt: _submitted,
    priorPayers,
    ...same
  } = claim
  return {
    _tag: "Built",
    claim: new Claim.Claim({
      ...same,
      id: claimIdFor(claim.id, next.order === 3 ? 3 : 2),
      coverageId: next.id,
      payerId: next.payerId,
      status: "draft",
      frequency: "1",
      balance: claim.charge,
      priorPayers: [...(priorPayers ?? []), adjudication.payer],
      createdAt: input.now,
      version: 0
    })
  }
}
