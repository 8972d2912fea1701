/**
 * Posting a remittance advice, decided without effects: `plan` takes the advice and what the store knows (the
 * claims it names, candidate claims for the ones it does not, every earlier posting to them) and says what to
 * write (postings, patient ledger entries, claim moves) and what to report. `Billing.postRemittance` loads the
 * lookups and writes the plan in one store transaction.
 *
 * The rules:
 *
 * - matching: CLP01 is the claim id we sent in CLM01. A CLP whose CLP01 names no claim falls back to the
 *   candidates (the patient's claims by member id, or claims of the date of service): one candidate of the
 *   patient with the same date of service and charge, or the only one with the payer's claim number, is the
 *   match; otherwise the CLP is unmatched and reported with its candidates ranked. Each SVC is matched to a billed
 *   line by its control number (REF*6R, the line's number), else by code (as adjudicated or as submitted),
 *   modifiers, date and charge; an SVC matching no line is posted at claim level and reported.
 * - postings: the payment (each line's SVC03, or CLP04 when there are no lines), and every CAS as an adjustment
 *   of its group's kind: CO contractual, PR patient responsibility, OA other, PI payer initiated (anything else:
 *   other). PR goes to the patient's ledger by bucket: PR-1 deductible, PR-2 coinsurance, PR-3 copay, any other
 *   PR self-pay (what the patient owes outside the plan's benefits) — unless a further payer covers the service
 *   (`Lookups.nextPayer`): then it waits for the next payer's claim, and only the last payer's PR reaches the ledger.
 * - a reversal (CLP02 22) undoes what was posted to the claim so far (earlier remittances and earlier CLPs of this
 *   one): the negation of each net amount, patient ledger included, so the claim's balance is restored. A
 *   corrected payment after it posts normally.
 * - PLB: one provider-level posting per adjustment, to no claim.
 * - the claim: its balance drops by what was posted (payments and adjustments; the patient's share moves to the
 *   ledger); it moves to `denied` (CLP02 4, or nothing paid and nothing to the patient), `partially-paid` (some
 *   lines denied or a balance left) or `paid`, when `Claim.moves` allows it; an illegal move is reported, the
 *   money is still posted. 23 (not our claim) and 25 (predetermination) post nothing.
 * - balancing: line (`SVC02 − Σ CAS = SVC03`), claim (`CLP03 − Σ CAS, claim and lines = CLP04`) and transaction
 *   (`Σ CLP04 − Σ PLB = BPR02`). A claim that does not balance (at claim or line level) is not posted: it is
 *   reported with the difference, for a person to look at. The other claims post; a transaction that does not
 *   balance is reported.
 *
 * Posting ids are the remittance's id, the CLP's position, the claim, the line, the group and reason and a
 * counter: posting the same advice twice collides on every id.
 *
 * @since 0.1.0
 */
import * as Claim from "./Claim.js"
import type { ClaimId, RemittanceId, TenantId } from "./Ids.js"
import type { EpochMillis } from "./Instant.js"
import { fnv1a64 } from "./internal/fnv.js"
import * as Money from "./Money.js"
import * as PatientLedger from "./PatientLedger.js"
import type { Posting, PostingKind } from "./Remittance.js"
import type { Adjustment, ClaimPayment, RemittanceAdvice, ServiceLine } from "./RemittanceAdvice.js"

/**
 * What the store knows, for `plan`.
 *
 * @since 0.1.0
 */
export interface Lookups {
  readonly remittanceId: RemittanceId
  readonly tenantId: TenantId
  readonly postedAt: EpochMillis
  /** Claims by id: every claim a CLP01 names that exists. */
  readonly claims: ReadonlyMap<string, Claim.Claim>
  /** For a CLP (by position) whose CLP01 names no claim: the claims it may be. */
  readonly candidates?: ReadonlyMap<number, Candidates> | undefined
  /** Every posting made so far to a claim, by claim id: needed only for the claims a reversal (22) may undo. */
  readonly priorPostings: ReadonlyMap<string, ReadonlyArray<Posting>>
  /**
   * Claims whose patient has a further coverage for the service (`CoordinationOfBenefits.hasNextPayer`): their
   * patient responsibility is posted to the claim but goes to the next payer, not to the patient's ledger.
   */
  readonly nextPayer?: ReadonlySet<string> | undefined
}

/**
 * Candidate claims for an unmatched CLP: `patientKnown` when they are the patient's (found by member id), else
 * only claims of the date of service, never matched on their own.
 *
 * @since 0.1.0
 */
export interface Candidates {
  readonly patientKnown: boolean
  readonly claims: ReadonlyArray<Claim.Claim>
}

/**
 * A candidate claim for an unmatched CLP, with what of it matches.
 *
 * @since 0.1.0
 */
export interface Candidate {
  readonly claimId: ClaimId
  readonly score: number
  readonly matches: ReadonlyArray<"patient" | "date" | "charge" | "payer-claim-number">
}

/**
 * @since 0.1.0
 */
export type BalancingProblem =
  | {
      readonly _tag: "LineUnbalanced"
      readonly claim: string
      /** The SVC's position in the CLP. */
      readonly service: number
      /** SVC02 − Σ CAS − SVC03. */
      readonly difference: Money.Money
    }
  | {
      readonly _tag: "ClaimUnbalanced"
      readonly claim: string
      /** CLP03 − Σ CAS − CLP04. */
      readonly difference: Money.Money
    }
  | {
      readonly _tag: "TransactionUnbalanced"
      /** Σ CLP04 − Σ PLB − BPR02. */
      readonly difference: Money.Money
    }
  | {
      /** CLP05 differs from the sum of PR adjustments (which is posted). */
      readonly _tag: "PatientResponsibilityMismatch"
      readonly claim: string
      readonly difference: Money.Money
    }

/**
 * A denied claim or line, with its adjustments and remarks (what a denial work queue starts from).
 *
 * @since 0.1.0
 */
export interface Denied {
  readonly claimId: ClaimId
  /** The billed line's index; absent for the whole claim. */
  readonly line?: number | undefined
  readonly procedureCode?: string | undefined
  /** CLP02. */
  readonly status: string
  readonly payerClaimNumber?: string | undefined
  readonly adjustments: ReadonlyArray<{ readonly group: string; readonly reason: string; readonly amount: Money.Money }>
  readonly remarks: ReadonlyArray<string>
}

/**
 * What happens to a claim: its balance, and its move (`moved`), or none (`stay`: already there, or a reversal),
 * or a move its life does not allow (`illegal`: the money is posted, the status left).
 *
 * @since 0.1.0
 */
export interface ClaimUpdate {
  readonly claimId: ClaimId
  readonly from: Claim.Status
  readonly to: Claim.Status
  readonly move: "moved" | "stay" | "illegal"
  readonly balance: Money.Money
  readonly previousBalance: Money.Money
  readonly payerClaimNumber?: string | undefined
  readonly reasons: ReadonlyArray<string>
}

/**
 * What posting a remittance did (or, from `plan`, will do).
 *
 * @since 0.1.0
 */
export interface PostingReport {
  readonly remittanceId: RemittanceId
  /** The same content was posted before (under `remittanceId`): nothing was written. */
  readonly duplicate: boolean
  readonly traceNumber: string
  readonly matched: ReadonlyArray<{
    readonly patientControlNumber: string
    readonly claimId: ClaimId
    readonly by: "claim-id" | "candidates"
    readonly status: string
  }>
  readonly unmatched: ReadonlyArray<{
    readonly patientControlNumber: string
    readonly paid: Money.Money
    readonly candidates: ReadonlyArray<Candidate>
  }>
  readonly unmatchedLines: ReadonlyArray<{
    readonly claimId: ClaimId
    readonly service: number
    readonly procedureCode: string
  }>
  /** Payments posted (reversals negative). */
  readonly paid: Money.Money
  /** Adjustments posted, by CAS group. */
  readonly adjusted: Readonly<Record<string, Money.Money>>
  readonly patientResponsibility: {
    readonly deductible: Money.Money
    readonly coinsurance: Money.Money
    readonly copay: Money.Money
    readonly other: Money.Money
  }
  readonly providerLevel: ReadonlyArray<{
    readonly reason: string
    readonly reference?: string | undefined
    readonly amount: Money.Money
  }>
  readonly balancing: ReadonlyArray<BalancingProblem>
  /** Claims reversed (CLP02 22), with the payment undone; `nothing` when nothing had been posted to them. */
  readonly reversals: ReadonlyArray<{
    readonly claimId: ClaimId
    readonly paymentUndone: Money.Money
    readonly nothing: boolean
  }>
  readonly denied: ReadonlyArray<Denied>
  /** CLPs that post nothing: 23 not our claim, 25 predetermination. */
  readonly skipped: ReadonlyArray<{ readonly patientControlNumber: string; readonly status: string }>
  readonly claims: ReadonlyArray<ClaimUpdate>
}

/**
 * @since 0.1.0
 */
export interface PostingPlan {
  readonly postings: ReadonlyArray<Posting>
  readonly ledger: ReadonlyArray<PatientLedger.Entry>
  readonly report: PostingReport
}

/**
 * The posting kind of a CAS group.
 *
 * @since 0.1.0
 */
export const kindOf = (group: string): PostingKind =>
  group === "CO"
    ? "contractual"
    : group === "PR"
      ? "patient-responsibility"
      : group === "PI"
        ? "payer-initiated"
        : "other"

/**
 * The patient ledger bucket of a PR reason: 1 deductible, 2 coinsurance, 3 copay, anything else self-pay.
 *
 * @since 0.1.0
 */
export const ledgerKindOf = (reason: string): PatientLedger.Kind =>
  reason === "1" ? "deductible" : reason === "2" ? "coinsurance" : reason === "3" ? "copay" : "self-pay"

const sumOf = (adjustments: ReadonlyArray<Adjustment>): Money.Money => Money.sum(adjustments.map((a) => a.amount))

const allAdjustments = (clp: ClaimPayment): ReadonlyArray<Adjustment> => [
  ...clp.adjustments,
  ...clp.lines.flatMap((line) => line.adjustments)
]

const dateOf = (clp: ClaimPayment) =>
  clp.statementFrom ?? clp.lines.find((line) => line.dateOfService !== undefined)?.dateOfService

const sameModifiers = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",")

/** The billed line an SVC pays, among the lines not yet taken. */
const matchLine = (claim: Claim.Claim, svc: ServiceLine, taken: ReadonlySet<number>): number | undefined => {
  const control = svc.controlNumber === undefined ? Number.NaN : Number(svc.controlNumber)
  const procedures = svc.submittedProcedure === undefined ? [svc.procedure] : [svc.procedure, svc.submittedProcedure]
  const codeMatches = (line: Claim.Line) => procedures.some((p) => p.code === line.code)
  if (Number.isInteger(control) && control >= 1 && control <= claim.lines.length && !taken.has(control - 1)) {
    const line = claim.lines[control - 1] as Claim.Line
    if (codeMatches(line)) return control - 1
  }
  let best: { readonly index: number; readonly score: number } | undefined
  claim.lines.forEach((line, index) => {
    if (taken.has(index) || !codeMatches(line)) return
    const score =
      (procedures.some((p) => sameModifiers(p.modifiers, line.modifiers)) ? 4 : 0) +
      (line.charge === svc.charge ? 2 : 0) +
      (svc.dateOfService === line.dateOfService ? 1 : 0)
    if (best === undefined || score > best.score) best = { index, score }
  })
  return best?.index
}

const rank = (clp: ClaimPayment, candidates: Candidates): Array<Candidate> => {
  const date = dateOf(clp)
  return candidates.claims
    .map((claim) => {
      const matches: Array<Candidate["matches"][number]> = []
      if (candidates.patientKnown) matches.push("patient")
      if (date !== undefined && (claim.serviceDate === date || claim.lines.some((l) => l.dateOfService === date)))
        matches.push("date")
      if (claim.charge === clp.charge) matches.push("charge")
      if (clp.payerClaimNumber !== undefined && claim.payerClaimNumber === clp.payerClaimNumber)
        matches.push("payer-claim-number")
      const weight = { patient: 1, date: 2, charge: 2, "payer-claim-number": 4 } as const
      return { claimId: claim.id, score: matches.reduce((s, m) => s + weight[m], 0), matches }
    })
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0))
}

/** The one candidate that is the match, if any. */
const chosen = (ranked: ReadonlyArray<Candidate>): ClaimId | undefined => {
  const byNumber = ranked.filter((c) => c.matches.includes("payer-claim-number"))
  if (byNumber.length === 1) return byNumber[0]?.claimId
  const full = ranked.filter((c) => ["patient", "date", "charge"].every((m) => c.matches.includes(m as never)))
  return full.length === 1 ? full[0]?.claimId : undefined
}

interface Working {
  claim: Claim.Claim
  balance: Money.Money
  status: Claim.Status
  payerClaimNumber: string | undefined
  reasons: Array<string>
}

const netKey = (p: Posting) => `${p.line ?? ""}|${p.kind}|${p.group ?? ""}|${p.reason ?? ""}`

/**
 * Decides how to post an advice. Pure: the same advice and lookups give the same plan.
 *
 * @since 0.1.0
 */
export const plan = (advice: RemittanceAdvice, lookups: Lookups): PostingPlan => {
  const { remittanceId, tenantId, postedAt } = lookups
  const postings: Array<Posting> = []
  const ledger: Array<PatientLedger.Entry> = []
  const matched: Array<PostingReport["matched"][number]> = []
  const unmatched: Array<PostingReport["unmatched"][number]> = []
  const unmatchedLines: Array<PostingReport["unmatchedLines"][number]> = []
  const balancing: Array<BalancingProblem> = []
  const reversals: Array<PostingReport["reversals"][number]> = []
  const denied: Array<Denied> = []
  const skipped: Array<PostingReport["skipped"][number]> = []
  const working = new Map<string, Working>()
  const order: Array<string> = []
  /** This advice's postings by claim, for a reversal later in it. */
  const planned = new Map<string, Array<Posting>>()

  const add = (posting: Posting, patientId: Claim.Claim["patientId"] | undefined) => {
    postings.push(posting)
    if (posting.claimId !== undefined) planned.set(posting.claimId, [...(planned.get(posting.claimId) ?? []), posting])
    // Patient responsibility reaches the ledger only from the last payer.
    const toNextPayer = posting.claimId !== undefined && lookups.nextPayer?.has(posting.claimId) === true
    if (posting.kind === "patient-responsibility" && patientId !== undefined && !toNextPayer) {
      ledger.push(
        new PatientLedger.Entry({
          id: posting.id,
          tenantId,
          patientId,
          kind: ledgerKindOf(posting.reason ?? ""),
          amount: posting.amount,
          claimId: posting.claimId,
          remittanceId,
          at: postedAt
        })
      )
    }
  }

  advice.claims.forEach((clp, index) => {
    const pcn = clp.patientControlNumber
    // Balancing first: it holds a claim back whatever it matches.
    let balanced = true
    clp.lines.forEach((line, service) => {
      const difference = Money.subtract(Money.subtract(line.charge, sumOf(line.adjustments)), line.paid)
      if (difference !== 0) {
        balanced = false
        balancing.push({ _tag: "LineUnbalanced", claim: pcn, service, difference })
      }
    })
    const claimDifference = Money.subtract(Money.subtract(clp.charge, sumOf(allAdjustments(clp))), clp.paid)
    if (claimDifference !== 0) {
      balanced = false
      balancing.push({ _tag: "ClaimUnbalanced", claim: pcn, difference: claimDifference })
    }
    const prTotal = sumOf(allAdjustments(clp).filter((a) => a.group === "PR"))
    if (clp.patientResponsibility !== undefined && clp.patientResponsibility !== prTotal) {
      balancing.push({
        _tag: "PatientResponsibilityMismatch",
        claim: pcn,
        difference: Money.subtract(clp.patientResponsibility, prTotal)
      })
    }

    if (clp.status === "23" || clp.status === "25") {
      skipped.push({ patientControlNumber: pcn, status: clp.status })
      return
    }

    // Matching.
    let claim = lookups.claims.get(pcn)
    let by: "claim-id" | "candidates" = "claim-id"
    if (claim === undefined) {
      const candidates = lookups.candidates?.get(index)
      const ranked = candidates === undefined ? [] : rank(clp, candidates)
      const id = chosen(ranked)
      claim = id === undefined ? undefined : candidates?.claims.find((c) => c.id === id)
      by = "candidates"
      if (claim === undefined) {
        unmatched.push({ patientControlNumber: pcn, paid: clp.paid, candidates: ranked.slice(0, 5) })
        return
      }
    }
    matched.push({ patientControlNumber: pcn, claimId: claim.id, by, status: clp.status })
    if (!balanced) return

    let state = working.get(claim.id)
    if (state === undefined) {
      state = {
        claim,
        balance: claim.balance,
        status: claim.status,
        payerClaimNumber: claim.payerClaimNumber,
        reasons: []
      }
      working.set(claim.id, state)
      order.push(claim.id)
    }
    const claimId = claim.id
    const patientId = claim.patientId
    const prefix = `${remittanceId}:${index}:${claimId}`
    let counter = 0

    if (clp.status === "22") {
      // Undo the net of everything posted to the claim so far.
      const net = new Map<string, Posting>()
      for (const p of [...(lookups.priorPostings.get(claimId) ?? []), ...(planned.get(claimId) ?? [])]) {
        if (p.kind === "provider-level") continue
        const key = netKey(p)
        const previous = net.get(key)
        net.set(key, previous === undefined ? p : { ...previous, amount: Money.add(previous.amount, p.amount) })
      }
      let undone = Money.zero
      let any = false
      for (const p of net.values()) {
        if (p.amount === 0) continue
        any = true
        const amount = Money.negate(p.amount)
        if (p.kind === "payment") undone = Money.add(undone, p.amount)
        add(
          {
            id: `${prefix}:reversal:${counter++}`,
            remittanceId,
            claimId,
            patientId,
            ...(p.line === undefined ? {} : { line: p.line }),
            kind: p.kind,
            ...(p.group === undefined ? {} : { group: p.group }),
            ...(p.reason === undefined ? {} : { reason: p.reason }),
            amount,
            postedAt
          },
          patientId
        )
        state.balance = Money.subtract(state.balance, amount)
      }
      reversals.push({ claimId, paymentUndone: undone, nothing: !any })
      state.reasons.push("835:22")
      return
    }

    // Lines to billed lines.
    const taken = new Set<number>()
    const lineOf = clp.lines.map((svc, service) => {
      const billed = matchLine(claim as Claim.Claim, svc, taken)
      if (billed === undefined) unmatchedLines.push({ claimId, service, procedureCode: svc.procedure.code })
      else taken.add(billed)
      return billed
    })
    const post = (kind: PostingKind, amount: Money.Money, line: number | undefined, adjustment?: Adjustment) => {
      if (amount === 0) return
      const tag = adjustment === undefined ? "pay" : `${adjustment.group}-${adjustment.reason}`
      add(
        {
          id: `${prefix}:${line ?? "c"}:${tag}:${counter++}`,
          remittanceId,
          claimId,
          patientId,
          ...(line === undefined ? {} : { line }),
          kind,
          ...(adjustment === undefined ? {} : { group: adjustment.group, reason: adjustment.reason }),
          amount,
          postedAt
        },
        patientId
      )
      ;(state as Working).balance = Money.subtract((state as Working).balance, amount)
    }
    if (clp.lines.length === 0) post("payment", clp.paid, undefined)
    clp.lines.forEach((svc, service) => {
      const line = lineOf[service]
      post("payment", svc.paid, line)
      for (const a of svc.adjustments) post(kindOf(a.group), a.amount, line, a)
    })
    for (const a of clp.adjustments) post(kindOf(a.group), a.amount, undefined, a)

    // Denials, and where the claim goes.
    const nonPatient = (adjustments: ReadonlyArray<Adjustment>) =>
      adjustments.filter((a) => a.group !== "PR" && a.amount !== 0)
    const strip = (adjustments: ReadonlyArray<Adjustment>) =>
      adjustments.map((a) => ({ group: a.group, reason: a.reason, amount: a.amount }))
    const payerClaimNumber =
      clp.payerClaimNumber === undefined || clp.payerClaimNumber === "" ? undefined : clp.payerClaimNumber
    const deniedLines = clp.lines.flatMap((svc, service) =>
      svc.paid === 0 && svc.charge !== 0 && nonPatient(svc.adjustments).length > 0 ? [service] : []
    )
    const claimDenied =
      clp.status === "4" ||
      (clp.paid === 0 && prTotal === 0 && clp.charge !== 0) ||
      (clp.lines.length > 0 && deniedLines.length === clp.lines.length)
    const to: Claim.Status = claimDenied
      ? "denied"
      : deniedLines.length > 0 || state.balance > 0
        ? "partially-paid"
        : "paid"
    if (claimDenied) {
      denied.push({
        claimId,
        status: clp.status,
        payerClaimNumber,
        adjustments: strip(allAdjustments(clp)),
        remarks: [...clp.remarks, ...clp.lines.flatMap((l) => l.remarks)]
      })
    } else {
      for (const service of deniedLines) {
        const svc = clp.lines[service] as ServiceLine
        denied.push({
          claimId,
          line: lineOf[service],
          procedureCode: svc.procedure.code,
          status: clp.status,
          payerClaimNumber,
          adjustments: strip(svc.adjustments),
          remarks: svc.remarks
        })
      }
    }
    state.status = to
    if (payerClaimNumber !== undefined) state.payerClaimNumber = payerClaimNumber
    state.reasons.push(
      `835:${clp.status}`,
      ...allAdjustments(clp)
        .filter((a) => a.amount !== 0)
        .map((a) => `${a.group}-${a.reason}`)
    )
  })

  // PLB: to the organization.
  const providerLevel = advice.providerAdjustments.map((plb, i) => {
    if (plb.amount !== 0) {
      add(
        {
          id: `${remittanceId}:plb:${i}:${plb.reason}`,
          remittanceId,
          kind: "provider-level",
          reason: plb.reason,
          amount: plb.amount,
          postedAt
        },
        undefined
      )
    }
    return { reason: plb.reason, reference: plb.reference, amount: plb.amount }
  })

  const transactionDifference = Money.subtract(
    Money.subtract(
      Money.sum(advice.claims.map((c) => c.paid)),
      Money.sum(advice.providerAdjustments.map((p) => p.amount))
    ),
    advice.payment.amount
  )
  if (transactionDifference !== 0) balancing.push({ _tag: "TransactionUnbalanced", difference: transactionDifference })

  const claims = order.map((id): ClaimUpdate => {
    const state = working.get(id) as Working
    const from = state.claim.status
    const to = state.status
    const move = from === to ? "stay" : Claim.canMove(from, to) ? "moved" : "illegal"
    return {
      claimId: state.claim.id,
      from,
      to,
      move,
      balance: state.balance,
      previousBalance: state.claim.balance,
      ...(state.payerClaimNumber !== state.claim.payerClaimNumber ? { payerClaimNumber: state.payerClaimNumber } : {}),
      reasons: [...new Set(state.reasons)]
    }
  })

  const sumKind = (pred: (p: Posting) => boolean) => Money.sum(postings.filter(pred).map((p) => p.amount))
  const adjusted: Record<string, Money.Money> = {}
  for (const p of postings) {
    if (p.group === undefined || p.kind === "provider-level") continue
    adjusted[p.group] = Money.add(adjusted[p.group] ?? Money.zero, p.amount)
  }
  const pr = (reason: (r: string) => boolean) =>
    sumKind((p) => p.kind === "patient-responsibility" && reason(p.reason ?? ""))

  return {
    postings,
    ledger,
    report: {
      remittanceId,
      duplicate: false,
      traceNumber: advice.payment.traceNumber,
      matched,
      unmatched,
      unmatchedLines,
      paid: sumKind((p) => p.kind === "payment"),
      adjusted,
      patientResponsibility: {
        deductible: pr((r) => r === "1"),
        coinsurance: pr((r) => r === "2"),
        copay: pr((r) => r === "3"),
        other: pr((r) => r !== "1" && r !== "2" && r !== "3")
      },
      providerLevel,
      balancing,
      reversals,
      denied,
      skipped,
      claims
    }
  }
}

/**
 * The report of an advice whose content was posted before: nothing written.
 *
 * @since 0.1.0
 */
export const duplicateReport = (existing: RemittanceId, advice: RemittanceAdvice): PostingReport => ({
  remittanceId: existing,
  duplicate: true,
  traceNumber: advice.payment.traceNumber,
  matched: [],
  unmatched: [],
  unmatchedLines: [],
  paid: Money.zero,
  adjusted: {},
  patientResponsibility: { deductible: Money.zero, coinsurance: Money.zero, copay: Money.zero, other: Money.zero },
  providerLevel: [],
  balancing: [],
  reversals: [],
  denied: [],
  skipped: [],
  claims: []
})

/**
 * The remittance id of an advice for a tenant: `R`, the FNV-1a 64 of the tenant and the content hash, and the
 * content hash's first 16 hex digits.
 *
 * @since 0.1.0
 */
export const remittanceIdOf = (tenantId: TenantId, advice: RemittanceAdvice): RemittanceId =>
  `R${fnv1a64(`${tenantId}:${advice.contentHash}`)}${advice.contentHash.slice(0, 16)}` as RemittanceId
