/**
 * What comes back from payers and clearinghouses as X12, read into the `Clearinghouse` port's `Response` values:
 *
 * - a 999 gives one `Acknowledgement` per transaction set it acknowledges (AK2/IK5): accepted or rejected, with its
 *   error codes (`IK5:5`, `IK3:CLM:8`, `IK4:2:7`, `AK9:…`). The caller's `sent` lookup maps the acknowledged group
 *   and set control numbers (AK102, AK202) to the batch's submission key and claims, so a rejected set rejects
 *   its claims by id.
 * - a 277CA (or 277) gives one `ClaimStatus` per transaction: each claim by its trace (TRN*2, the claim's CLM01),
 *   `accepted` for A1/A2 (and A0/A5), `rejected` for A3/A4/A6/A7/A8 with each STC as a reason (`A7:562:85`,
 *   category, status and entity as sent), `pending` otherwise; the payer's claim number from REF*1K.
 * - an 835 gives one `Remittance` with the text as received (posting reads it).
 *
 * Everything here is pure and browser-safe. Reading is tolerant by default: problems are returned beside the
 * responses; input that is not X12 at all is an `X12ParseError`.
 *
 * @since 0.1.0
 */
import type { Clearinghouse, Ids, Submission } from "@openrcm/core"
import type { Ack999, ClaimStatus277, Problem } from "@openrcm/x12"
import { X12 } from "@openrcm/x12"
import { Result } from "effect"

type Response = Clearinghouse.Response
type ClaimAnswer = Clearinghouse.ClaimAnswer

/**
 * An 837 we sent, as a 999 names it: the functional group (GS06, AK102) and the transaction set (ST02, AK202).
 *
 * @since 0.1.0
 */
export interface SentSet {
  readonly group: string
  /** Absent when a 999 acknowledges the group without AK2 loops. */
  readonly transaction: string | undefined
}

/**
 * What the caller knows about a set it sent.
 *
 * @since 0.1.0
 */
export interface Sent {
  readonly key: Submission.SubmissionKey
  /** The claims in the set: a rejected set rejects each of them. */
  readonly claimIds: ReadonlyArray<Ids.ClaimId>
}

/**
 * @since 0.1.0
 */
export interface Options {
  /** The response's id (a file name, a vendor's id); several responses from one text get `#1`, `#2`, ... */
  readonly id: string
  /** Finds the submission a 999 acknowledges. */
  readonly sent?: (set: SentSet) => Sent | undefined
  readonly mode?: "strict" | "tolerant"
}

/**
 * @since 0.1.0
 */
export interface Read {
  readonly responses: ReadonlyArray<Response>
  readonly problems: ReadonlyArray<Problem.Problem>
}

const ids = (base: string, count: number): Array<string> =>
  count === 1 ? [base] : Array.from({ length: count }, (_, i) => `${base}#${i + 1}`)

/** The error codes of one acknowledged set: IK5 set errors, IK3 segment errors and their IK4 element errors. */
const setErrors = (set: Ack999.SetResponse): Array<string> => [
  ...set.errors.map((e) => `IK5:${e.code}`),
  ...set.segmentErrors.flatMap((s) => [
    ...(s.error === undefined ? [] : [`IK3:${s.segmentId}:${s.error.code}`]),
    ...s.elementErrors.map((e) => `IK4:${e.position ?? ""}:${e.error.code}`)
  ])
]

const isAccepted = (code: string | undefined): boolean => code === "A" || code === "E"

/**
 * Acknowledgements from the 999s of a read.
 *
 * @since 0.1.0
 */
export const acknowledgements = (acks: ReadonlyArray<Ack999.Ack999>, options: Options): Array<Response> => {
  const drafts: Array<Omit<Extract<Response, { _tag: "Acknowledgement" }>, "id">> = []
  for (const ack of acks) {
    const groupErrors = ack.groupStatus.errors.map((e) => `AK9:${e.code}`)
    if (ack.sets.length === 0) {
      const sent = options.sent?.({ group: ack.group.control, transaction: undefined })
      const accepted = isAccepted(ack.groupStatus.code) || ack.groupStatus.code === "P"
      drafts.push({
        _tag: "Acknowledgement",
        ...(sent === undefined ? {} : { submissionKey: sent.key }),
        accepted,
        claims: accepted ? [] : rejectAll(sent, groupErrors),
        errors: groupErrors
      })
      continue
    }
    for (const set of ack.sets) {
      const sent = options.sent?.({ group: ack.group.control, transaction: set.control })
      const accepted = isAccepted(set.status)
      const errors = setErrors(set)
      drafts.push({
        _tag: "Acknowledgement",
        ...(sent === undefined ? {} : { submissionKey: sent.key }),
        accepted,
        claims: accepted ? [] : rejectAll(sent, errors),
        errors
      })
    }
  }
  const named = ids(options.id, drafts.length)
  return drafts.map((draft, i) => ({ ...draft, id: named[i] as string }))
}

const rejectAll = (sent: Sent | undefined, reasons: ReadonlyArray<string>): Array<ClaimAnswer> =>
  (sent?.claimIds ?? []).map((claimId) => ({ claimId, status: "rejected" as const, reasons: [...reasons] }))

const statusCode = (status: ClaimStatus277.Status): string =>
  [status.category, status.status, status.entity].filter((part) => part !== undefined && part !== "").join(":")

/**
 * A claim's answer from its 277 statuses: accepted (A0, A1, A2, A5; a finalized claim was accepted too), rejected
 * (A3, A4, A6, A7, A8, and errors) with every status as a reason, or pending.
 *
 * @since 0.1.0
 */
export const claimAnswer = (claim: ClaimStatus277.ClaimStatus): ClaimAnswer | undefined => {
  if (claim.trace === undefined) return undefined
  const outcome = claim.outcome
  const status: ClaimAnswer["status"] =
    outcome === "rejected" || outcome === "not-found" || outcome === "error"
      ? "rejected"
      : outcome === "accepted" || outcome === "received" || outcome === "forwarded" || outcome === "finalized"
        ? "accepted"
        : "pending"
  const reasons =
    status === "accepted"
      ? []
      : claim.statuses.flatMap((stc) =>
          [stc.status, stc.secondStatus, stc.thirdStatus]
            .filter((s): s is ClaimStatus277.Status => s !== undefined)
            .map(statusCode)
        )
  return {
    claimId: claim.trace as Ids.ClaimId,
    status,
    reasons,
    ...(claim.payerClaimNumber === undefined ? {} : { payerClaimNumber: claim.payerClaimNumber })
  }
}

/**
 * Reads a text of 999s, 277CAs (or 277s) and 835s into responses, in the order of their transaction sets (the
 * 835s of one text are one `Remittance`).
 *
 * @since 0.1.0
 */
export const read = (text: string, options: Options): Result.Result<Read, Problem.X12ParseError> => {
  const result = X12.readText(text, { mode: options.mode ?? "tolerant" })
  if (result._tag === "Failure") return Result.fail(result.error)
  const acks: Array<Ack999.Ack999> = []
  const statuses: Array<Array<ClaimAnswer>> = []
  let remittance = false
  for (const interchange of result.interchanges) {
    for (const group of interchange.groups) {
      for (const transaction of group.transactions) {
        switch (transaction.header.setId) {
          case "999":
            acks.push(transaction.model as Ack999.Ack999)
            break
          case "277":
            statuses.push(
              (transaction.items as ReadonlyArray<ClaimStatus277.ClaimStatus>).flatMap((claim) => {
                const answer = claimAnswer(claim)
                return answer === undefined ? [] : [answer]
              })
            )
            break
          case "835":
            remittance = true
            break
        }
      }
    }
  }
  const count = (acks.length > 0 ? 1 : 0) + (statuses.length > 0 ? 1 : 0) + (remittance ? 1 : 0)
  const kinds = count > 1
  const responses: Array<Response> = []
  if (acks.length > 0)
    responses.push(...acknowledgements(acks, { ...options, id: kinds ? `${options.id}.999` : options.id }))
  if (statuses.length > 0) {
    const base = kinds ? `${options.id}.277` : options.id
    const named = ids(base, statuses.length)
    statuses.forEach((claims, i) => {
      responses.push({ _tag: "ClaimStatus", id: named[i] as string, claims })
    })
  }
  if (remittance) responses.push({ _tag: "Remittance", id: kinds ? `${options.id}.835` : options.id, x12: text })
  return Result.succeed({ responses, problems: result.problems })
}
