/**
 * `Billing.postRemittance`: a remittance advice posted in one store transaction (the remittance recorded once per
 * content hash, its postings, the patient ledger and the claims' balances and moves). Re-exported by `Billing`.
 */
import { Clock, Effect, Schema } from "effect"
import { Caller } from "../Caller.js"
import * as Claim from "../Claim.js"
import * as CoordinationOfBenefits from "../CoordinationOfBenefits.js"
import type { Coverage } from "../Coverage.js"
import * as DateOfService from "../DateOfService.js"
import { ClaimId } from "../Ids.js"
import { type Posting, Remittance } from "../Remittance.js"
import type { RemittanceAdvice } from "../RemittanceAdvice.js"
import * as RemittancePosting from "../RemittancePosting.js"
import { Store, type StoreShape } from "../Store.js"
import { recordDenials } from "./denialWork.js"

const isClaimId = Schema.is(ClaimId)
const isDate = Schema.is(DateOfService.DateOfService)

/**
 * The claims an unmatched CLP may be: those the payer knows by its claim number (CLP07: a reversal or correction
 * may name the original only so; `plan` takes the one claim with that number as the match), and the patient's (by
 * member id) around its date, else the date's claims.
 */
const candidatesFor = (store: StoreShape, clp: RemittanceAdvice["claims"][number]) =>
  Effect.gen(function* () {
    const number = clp.payerClaimNumber
    const numbered = number === undefined || number === "" ? [] : yield* store.claims.findByPayerClaimNumber(number)
    const found = yield* nearbyCandidates(store, clp)
    if (numbered.length === 0) return found
    const ids = new Set(numbered.map((claim) => claim.id))
    return {
      patientKnown: found?.patientKnown ?? false,
      claims: [...numbered, ...(found?.claims ?? []).filter((claim) => !ids.has(claim.id))]
    } satisfies RemittancePosting.Candidates
  })

const nearbyCandidates = (store: StoreShape, clp: RemittanceAdvice["claims"][number]) =>
  Effect.gen(function* () {
    const date = clp.statementFrom ?? clp.lines.find((line) => line.dateOfService !== undefined)?.dateOfService
    const range = date !== undefined && isDate(date) ? { servedOnOrAfter: date, servedOnOrBefore: date } : {}
    const memberId = clp.patient?.memberId
    if (memberId !== undefined && memberId !== "") {
      const coverages = yield* store.coverages.findByMemberId(memberId)
      const patients = [...new Set(coverages.map((coverage) => coverage.patientId))]
      if (patients.length > 0) {
        const claims: Array<Claim.Claim> = []
        for (const patientId of patients) {
          claims.push(...(yield* store.claims.query({ patientId, ...range, limit: 100 })).items)
        }
        return { patientKnown: true, claims } satisfies RemittancePosting.Candidates
      }
    }
    if (date === undefined) return undefined
    const claims = (yield* store.claims.query({ ...range, limit: 100 })).items
    return { patientKnown: false, claims } satisfies RemittancePosting.Candidates
  })

/**
 * Posts a remittance advice (an 835 read by a clearinghouse adapter), in one store transaction: the remittance
 * (payment, trace number, for reconciliation with the deposit) is recorded once per content hash, then its
 * postings, the patient's share on the patient ledger by bucket, and each claim's balance and move, as
 * `RemittancePosting.plan` decides. The same content again is reported `duplicate` and changes nothing (and were
 * the record bypassed, the postings' ids would collide: a `Conflict`, nothing written).
 *
 * Nothing in the advice fails the call: unmatched claims and lines, claims that do not balance (not posted),
 * illegal moves and a transaction that does not balance are in the report. Only the store can fail it.
 *
 * @since 0.1.0
 */
export const postRemittance = Effect.fn("Billing.postRemittance")(function* (advice: RemittanceAdvice) {
  const store = yield* Store
  const caller = yield* Caller
  const now = yield* Clock.currentTimeMillis
  const remittanceId = RemittancePosting.remittanceIdOf(caller.tenantId, advice)
  return yield* store.transaction(
    Effect.gen(function* () {
      const recorded = yield* store.remittances.record(
        new Remittance({
          id: remittanceId,
          tenantId: caller.tenantId,
          contentHash: advice.contentHash,
          paymentMethod: advice.payment.method,
          paymentAmount: advice.payment.amount,
          traceNumber: advice.payment.traceNumber,
          ...(advice.payment.date === undefined ? {} : { paymentDate: advice.payment.date }),
          receivedAt: now,
          claimCount: advice.claims.length
        })
      )
      if (recorded._tag === "Duplicate") {
        return { ...RemittancePosting.duplicateReport(recorded.existing, advice), denials: [] }
      }

      // The claims CLP01 names, in one read; candidates only for the CLPs that name none.
      const named = advice.claims.map((clp) => clp.patientControlNumber).filter(isClaimId)
      const claims = new Map<string, Claim.Claim>(
        (yield* store.claims.getMany(named)).map((claim) => [claim.id, claim] as const)
      )
      const candidates = new Map<number, RemittancePosting.Candidates>()
      for (const [index, clp] of advice.claims.entries()) {
        if (claims.has(clp.patientControlNumber)) continue
        const found = yield* candidatesFor(store, clp)
        if (found !== undefined) candidates.set(index, found)
      }
      const known = [...claims.values(), ...[...candidates.values()].flatMap((c) => c.claims)]
      const loaded = new Map(known.map((claim) => [claim.id as string, claim] as const))
      // Earlier postings matter only to a reversal (22), which undoes them: read them for the claims it may be.
      const priorPostings = new Map<string, ReadonlyArray<Posting>>()
      for (const [index, clp] of advice.claims.entries()) {
        if (clp.status !== "22") continue
        const named = claims.get(clp.patientControlNumber)
        for (const claim of named === undefined ? (candidates.get(index)?.claims ?? []) : [named]) {
          if (priorPostings.has(claim.id)) continue
          priorPostings.set(claim.id, yield* store.remittances.postings({ claimId: claim.id }))
        }
      }
      // Claims a further coverage pays after this payer: their patient responsibility waits for the next payer.
      const nextPayer = new Set<string>()
      const coverages = new Map<string, ReadonlyArray<Coverage>>()
      for (const claim of known) {
        let theirs = coverages.get(claim.patientId)
        if (theirs === undefined) {
          theirs = yield* store.coverages.forPatient(claim.patientId)
          coverages.set(claim.patientId, theirs)
        }
        if (CoordinationOfBenefits.hasNextPayer(claim, theirs)) nextPayer.add(claim.id)
      }

      const plan = RemittancePosting.plan(advice, {
        remittanceId,
        tenantId: caller.tenantId,
        postedAt: now,
        claims,
        candidates,
        priorPostings,
        nextPayer
      })
      if (plan.postings.length > 0) yield* store.remittances.post(plan.postings)
      if (plan.ledger.length > 0) yield* store.patientLedger.append(plan.ledger)
      for (const update of plan.report.claims) {
        // As read above, in this transaction: a writer that changed it since makes the move a `Conflict`.
        const claim = loaded.get(update.claimId)
        if (claim === undefined) continue
        if (update.move === "moved") {
          yield* store.claims.transition(update.claimId, {
            to: update.to,
            expectedVersion: claim.version,
            reasons: update.reasons,
            set: {
              balance: update.balance,
              ...(update.payerClaimNumber === undefined ? {} : { payerClaimNumber: update.payerClaimNumber })
            }
          })
        } else if (update.balance !== claim.balance || update.payerClaimNumber !== undefined) {
          yield* store.claims.update(
            new Claim.Claim({
              ...claim,
              balance: update.balance,
              ...(update.payerClaimNumber === undefined ? {} : { payerClaimNumber: update.payerClaimNumber })
            })
          )
        }
      }
      // Every denial the payer sent goes to the work queue (patient responsibility and contractual adjustments are
      // not denials: `recordDenials` skips them), received on the payment's date.
      const receivedOn = advice.payment.date ?? DateOfService.atInstant(now, "UTC")
      const items = plan.report.denied.flatMap((denied) => {
        const claim = loaded.get(denied.claimId)
        if (claim === undefined) return []
        return denied.adjustments.map((adjustment) => ({
          claimId: denied.claimId,
          payerId: claim.payerId,
          ...(denied.line === undefined ? {} : { line: denied.line }),
          group: adjustment.group,
          carc: adjustment.reason,
          rarcs: denied.remarks,
          amount: adjustment.amount,
          receivedOn
        }))
      })
      const denials = items.length === 0 ? [] : yield* recordDenials(items)
      return { ...plan.report, denials }
    })
  )
})
