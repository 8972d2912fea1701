import {
  type Claim,
  type Ids,
  Money,
  type Remittance,
  type RemittanceAdvice,
  RemittancePosting,
  Store
} from "@openrcm/core"
import { Effect, Option } from "effect"
import { useMemo } from "react"
import * as Result from "./Result.js"
import { useBillingQuery } from "./useBillingEffect.js"

/** A CAS adjustment as shown: group (CO, PR, OA, PI), reason (CARC), amount (positive reduces the payment). */
export interface AdjustmentView {
  readonly group: string
  readonly reason: string
  readonly amount: Money.Money
  readonly quantity?: number | undefined
}

/** A service line's payment (SVC). */
export interface LineView {
  /** The SVC's position in the claim (advice) or the billed line's index (as posted). */
  readonly index: number
  readonly code: string
  readonly modifiers: ReadonlyArray<string>
  /** The procedure as submitted, when the payer adjudicated another (SVC06). */
  readonly submitted?: string | undefined
  readonly dateOfService?: string | undefined
  readonly units?: number | undefined
  readonly billed: Money.Money
  readonly paid: Money.Money
  readonly adjustments: ReadonlyArray<AdjustmentView>
  readonly remarks: ReadonlyArray<string>
}

/** A claim's payment (CLP) with its lines, as the 835 says it or as it was posted. */
export interface ClaimView {
  /** Unique within the remittance: the CLP's position and its patient control number. */
  readonly key: string
  /** CLP01: the claim id sent in CLM01. */
  readonly patientControlNumber: string
  /** CLP02 (advice): 1 processed as primary, 4 denied, 22 reversal, ... */
  readonly clpStatus?: string | undefined
  /** The claim's status in the store (as posted). */
  readonly claimStatus?: Claim.Status | undefined
  readonly payerClaimNumber?: string | undefined
  readonly billed: Money.Money
  readonly paid: Money.Money
  /** Claim-level adjustments (CAS under CLP). */
  readonly adjustments: ReadonlyArray<AdjustmentView>
  readonly remarks: ReadonlyArray<string>
  readonly lines: ReadonlyArray<LineView>
  /** Every adjustment of the claim and its lines, summed by group. */
  readonly byGroup: Readonly<Record<string, Money.Money>>
  readonly balancing: ReadonlyArray<RemittancePosting.BalancingProblem>
  /** How posting matched it, when a posting report is given. */
  readonly match?: "claim-id" | "candidates" | "unmatched" | "skipped" | undefined
}

/** One remittance (an 835 payment), ready to show. */
export interface RemittanceView {
  readonly source: "advice" | "posted"
  readonly payer: { readonly name: string; readonly id?: string | undefined }
  readonly payee?: { readonly name?: string | undefined; readonly npi?: string | undefined } | undefined
  readonly payment: {
    readonly handling?: string | undefined
    readonly method: string
    readonly amount: Money.Money
    readonly date?: string | undefined
    readonly traceNumber: string
  }
  readonly claims: ReadonlyArray<ClaimView>
  /** PLB: provider-level adjustments (positive reduces the payment). */
  readonly providerAdjustments: ReadonlyArray<{
    readonly reason: string
    readonly reference?: string | undefined
    readonly amount: Money.Money
  }>
  /** The transaction's own balancing problem (Σ CLP04 − Σ PLB ≠ BPR02); a claim's are on the claim. */
  readonly balancing: ReadonlyArray<RemittancePosting.BalancingProblem>
  readonly totals: {
    readonly billed: Money.Money
    readonly paid: Money.Money
    readonly byGroup: Readonly<Record<string, Money.Money>>
  }
  /** The same 835 was posted before: the report says nothing was written. */
  readonly duplicate?: boolean | undefined
}

/** The adjustment groups of 5010, in the order they are shown. */
export const groups = ["CO", "PR", "OA", "PI"] as const

const sumByGroup = (adjustments: Iterable<AdjustmentView>): Record<string, Money.Money> => {
  const totals: Record<string, Money.Money> = {}
  for (const adjustment of adjustments) {
    totals[adjustment.group] = Money.add(totals[adjustment.group] ?? Money.zero, adjustment.amount)
  }
  return totals
}

const addTotals = (into: Record<string, Money.Money>, from: Readonly<Record<string, Money.Money>>) => {
  for (const [group, amount] of Object.entries(from)) into[group] = Money.add(into[group] ?? Money.zero, amount)
}

const totalsOf = (claims: ReadonlyArray<ClaimView>): RemittanceView["totals"] => {
  const byGroup: Record<string, Money.Money> = {}
  for (const claim of claims) addTotals(byGroup, claim.byGroup)
  return {
    billed: Money.sum(claims.map((claim) => claim.billed)),
    paid: Money.sum(claims.map((claim) => claim.paid)),
    byGroup
  }
}

const adjustmentOf = (a: RemittanceAdvice.Adjustment): AdjustmentView => ({
  group: a.group,
  reason: a.reason,
  amount: a.amount,
  quantity: a.quantity
})

// The balancing checks of posting, run on the advice alone: nothing is matched or written.
const balancingOf = (advice: RemittanceAdvice.RemittanceAdvice) =>
  RemittancePosting.plan(advice, {
    remittanceId: "R-view" as Ids.RemittanceId,
    tenantId: "view" as Ids.TenantId,
    postedAt: 0 as Parameters<typeof RemittancePosting.plan>[1]["postedAt"],
    claims: new Map(),
    priorPostings: new Map()
  }).report.balancing

/**
 * An 835 as the payer sent it (`RemittanceAdvice`), with what posting it did when its `PostingReport` is given:
 * how each claim was matched, and whether it was a duplicate. Balancing problems are posting's own checks (line,
 * claim, transaction, CLP05 against the PR adjustments), from the report or run on the advice.
 */
export const fromAdvice = (
  advice: RemittanceAdvice.RemittanceAdvice,
  report?: RemittancePosting.PostingReport
): RemittanceView => {
  const balancing = report?.balancing ?? balancingOf(advice)
  const byClaim = new Map<string, Array<RemittancePosting.BalancingProblem>>()
  const transaction: Array<RemittancePosting.BalancingProblem> = []
  for (const problem of balancing) {
    if (problem._tag === "TransactionUnbalanced") transaction.push(problem)
    else byClaim.set(problem.claim, [...(byClaim.get(problem.claim) ?? []), problem])
  }
  const matched = new Map(report?.matched.map((m) => [m.patientControlNumber, m.by] as const))
  const unmatched = new Set(report?.unmatched.map((u) => u.patientControlNumber))
  const skipped = new Set(report?.skipped.map((s) => s.patientControlNumber))
  const claims = advice.claims.map((clp, index): ClaimView => {
    const lines = clp.lines.map(
      (svc, i): LineView => ({
        index: i,
        code: svc.procedure.code,
        modifiers: svc.procedure.modifiers,
        submitted:
          svc.submittedProcedure === undefined
            ? undefined
            : [svc.submittedProcedure.code, ...svc.submittedProcedure.modifiers].join(":"),
        dateOfService: svc.dateOfService,
        units: svc.units,
        billed: svc.charge,
        paid: svc.paid,
        adjustments: svc.adjustments.map(adjustmentOf),
        remarks: svc.remarks
      })
    )
    const adjustments = clp.adjustments.map(adjustmentOf)
    const pcn = clp.patientControlNumber
    return {
      key: `${index}:${pcn}`,
      patientControlNumber: pcn,
      clpStatus: clp.status,
      payerClaimNumber: clp.payerClaimNumber,
      billed: clp.charge,
      paid: clp.paid,
      adjustments,
      remarks: clp.remarks,
      lines,
      byGroup: sumByGroup([...adjustments, ...lines.flatMap((line) => line.adjustments)]),
      balancing: byClaim.get(pcn) ?? [],
      match:
        report === undefined
          ? undefined
          : skipped.has(pcn)
            ? "skipped"
            : unmatched.has(pcn)
              ? "unmatched"
              : matched.get(pcn)
    }
  })
  return {
    source: "advice",
    payer: advice.payer,
    payee: advice.payee,
    payment: advice.payment,
    claims,
    providerAdjustments: advice.providerAdjustments,
    balancing: transaction,
    totals: totalsOf(claims),
    duplicate: report?.duplicate
  }
}

/**
 * A remittance as posted: the stored payment (BPR/TRN) and, claim by claim, what was posted to it (payments and
 * adjustments by group and reason, per line), with the billed amounts from the claims. Remark codes and CLP02 are
 * not stored; claims that did not balance were not posted and are not here.
 */
export const fromPostings = (
  remittance: Remittance.Remittance,
  postings: ReadonlyArray<Remittance.Posting>,
  claims: ReadonlyMap<string, Claim.Claim>,
  payerName: string
): RemittanceView => {
  const order: Array<string> = []
  const byClaim = new Map<string, Array<Remittance.Posting>>()
  const plb: Array<RemittanceView["providerAdjustments"][number]> = []
  for (const posting of postings) {
    if (posting.kind === "provider-level" || posting.claimId === undefined) {
      plb.push({ reason: posting.reason ?? "", amount: posting.amount })
      continue
    }
    const list = byClaim.get(posting.claimId)
    if (list === undefined) {
      order.push(posting.claimId)
      byClaim.set(posting.claimId, [posting])
    } else list.push(posting)
  }
  const adjustment = (p: Remittance.Posting): AdjustmentView => ({
    group: p.group ?? p.kind,
    reason: p.reason ?? "",
    amount: p.amount
  })
  const views = order.map((claimId, index): ClaimView => {
    const posted = byClaim.get(claimId) ?? []
    const claim = claims.get(claimId)
    const atClaim = posted.filter((p) => p.line === undefined)
    const lineIndexes = [...new Set(posted.flatMap((p) => (p.line === undefined ? [] : [p.line])))].sort(
      (a, b) => a - b
    )
    const lines = lineIndexes.map((i): LineView => {
      const billedLine = claim?.lines[i]
      const ofLine = posted.filter((p) => p.line === i)
      return {
        index: i,
        code: billedLine?.code ?? "",
        modifiers: billedLine?.modifiers ?? [],
        dateOfService: billedLine?.dateOfService,
        units: billedLine?.units,
        billed: billedLine?.charge ?? Money.zero,
        paid: Money.sum(ofLine.filter((p) => p.kind === "payment").map((p) => p.amount)),
        adjustments: ofLine.filter((p) => p.kind !== "payment").map(adjustment),
        remarks: []
      }
    })
    const adjustments = atClaim.filter((p) => p.kind !== "payment").map(adjustment)
    return {
      key: `${index}:${claimId}`,
      patientControlNumber: claimId,
      claimStatus: claim?.status,
      payerClaimNumber: claim?.payerClaimNumber,
      billed: claim?.charge ?? Money.zero,
      paid: Money.sum(posted.filter((p) => p.kind === "payment").map((p) => p.amount)),
      adjustments,
      remarks: [],
      lines,
      byGroup: sumByGroup([...adjustments, ...lines.flatMap((line) => line.adjustments)]),
      balancing: []
    }
  })
  return {
    source: "posted",
    payer: { name: payerName },
    payment: {
      method: remittance.paymentMethod,
      amount: remittance.paymentAmount,
      date: remittance.paymentDate,
      traceNumber: remittance.traceNumber
    },
    claims: views,
    providerAdjustments: plb,
    balancing: [],
    totals: totalsOf(views)
  }
}

/** Loads a posted remittance from the store: `null` when there is none with that id. */
export const loadRemittanceView = (remittanceId: Ids.RemittanceId) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const found = yield* store.remittances.get(remittanceId)
    if (Option.isNone(found)) return null
    const remittance = found.value
    const postings = yield* store.remittances.postings({ remittanceId })
    const claims = new Map<string, Claim.Claim>()
    for (const claimId of new Set(postings.flatMap((p) => (p.claimId === undefined ? [] : [p.claimId])))) {
      const claim = yield* store.claims.get(claimId)
      if (Option.isSome(claim)) claims.set(claimId, claim.value)
    }
    const payerId = remittance.payerId ?? claims.values().next().value?.payerId
    const payer = payerId === undefined ? Option.none() : yield* store.payers.get(payerId)
    return fromPostings(remittance, postings, claims, Option.match(payer, { onNone: () => "", onSome: (p) => p.name }))
  })

export interface UseRemittanceViewOptions {
  /** The 835 as read (from the clearinghouse adapter, or the advice you posted). */
  readonly advice?: RemittanceAdvice.RemittanceAdvice | undefined
  /** What `Billing.postRemittance` did with `advice`: matching and duplicates. */
  readonly report?: RemittancePosting.PostingReport | undefined
  /** A posted remittance to load from the store, when no `advice` is given. */
  readonly remittanceId?: Ids.RemittanceId | undefined
}

/**
 * The remittance to show: built from `advice` (and `report`) at once, or loaded from the store by `remittanceId`.
 * `Success(null)` when there is nothing to show.
 */
export function useRemittanceView(options: UseRemittanceViewOptions): {
  readonly result: Result.Result<RemittanceView | null, Store.StoreError>
  readonly refresh: () => void
} {
  const { advice, report, remittanceId } = options
  const fromProps = useMemo(() => (advice === undefined ? undefined : fromAdvice(advice, report)), [advice, report])
  const loaded = useBillingQuery(
    () =>
      fromProps !== undefined || remittanceId === undefined ? Effect.succeed(null) : loadRemittanceView(remittanceId),
    [fromProps === undefined ? remittanceId : undefined]
  )
  const fromPropsResult = useMemo(
    () => (fromProps === undefined ? undefined : Result.success<RemittanceView | null, Store.StoreError>(fromProps)),
    [fromProps]
  )
  return fromPropsResult === undefined ? loaded : { result: fromPropsResult, refresh: loaded.refresh }
}
