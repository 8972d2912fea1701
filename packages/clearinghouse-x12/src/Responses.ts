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
 * - an 835 gives one `Remittance` per transaction set (one payment: BPR/TRN), read into a `RemittanceAdvice`
 *   (`advice`): payer, payee, payment and trace number, each claim (CLP) with its adjustments, service lines and
 *   remarks, the PLBs; amounts in cents, dates as `YYYY-MM-DD` (a malformed date is left out). Its `contentHash`
 *   is the SHA-256 of the text (of the text and the set's position, `#n`, when the text holds several sets), so
 *   the same file posts once.
 *
 * Everything here is pure and browser-safe. Reading is tolerant by default: problems are returned beside the
 * responses; input that is not X12 at all is an `X12ParseError`.
 *
 * @since 0.1.0
 */
import type { Clearinghouse, Ids, Money, RemittanceAdvice, Submission } from "@openrcm/core"
import { DateOfService } from "@openrcm/core"
import type { Ack999, ClaimStatus277, Problem, Remittance } from "@openrcm/x12"
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
  const remittances: Array<Remittance.RemittanceWithClaims> = []
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
            remittances.push({
              ...(transaction.model as Remittance.Remittance),
              claims: [...(transaction.items as ReadonlyArray<Remittance.RemittanceClaim>)]
            })
            break
        }
      }
    }
  }
  const count = (acks.length > 0 ? 1 : 0) + (statuses.length > 0 ? 1 : 0) + (remittances.length > 0 ? 1 : 0)
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
  if (remittances.length > 0) {
    const named = ids(kinds ? `${options.id}.835` : options.id, remittances.length)
    remittances.forEach((remittance, i) => {
      const contentHash = sha256Hex(remittances.length === 1 ? text : `${text}#${i + 1}`)
      responses.push({ _tag: "Remittance", id: named[i] as string, advice: advice(remittance, contentHash) })
    })
  }
  return Result.succeed({ responses, problems: result.problems })
}

// --- 835 → RemittanceAdvice ------------------------------------------------------------------------------------

const money = (cents: number): Money.Money => cents as Money.Money

/** CCYYMMDD as a date of service, or undefined when it is not a real date. */
const dateOf = (text: string | undefined): DateOfService.DateOfService | undefined => {
  if (text === undefined || !/^\d{8}$/u.test(text)) return undefined
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
  return DateOfService.isValid(iso) ? (iso as DateOfService.DateOfService) : undefined
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: V }

const adjustments = (list: ReadonlyArray<Remittance.Adjustment>): Array<RemittanceAdvice.Adjustment> =>
  list.map((a) => ({
    group: a.group,
    reason: a.reason,
    amount: money(a.amount),
    ...optional("quantity", a.quantity)
  }))

const procedure = (p: Remittance.Procedure): RemittanceAdvice.Procedure => ({
  code: p.code,
  modifiers: [...p.modifiers]
})

const line = (svc: Remittance.RemittanceLine): RemittanceAdvice.ServiceLine => ({
  procedure: procedure(svc.procedure),
  ...(svc.originalProcedure === undefined ? {} : { submittedProcedure: procedure(svc.originalProcedure) }),
  charge: money(svc.charge),
  paid: money(svc.paid),
  units: svc.units,
  ...optional("dateOfService", dateOf(svc.serviceDate ?? svc.serviceFrom)),
  adjustments: adjustments(svc.adjustments),
  remarks: [...svc.remarks],
  ...optional("controlNumber", svc.controlNumber),
  ...optional("allowed", svc.allowed === undefined ? undefined : money(svc.allowed))
})

const claimPayment = (clp: Remittance.RemittanceClaim): RemittanceAdvice.ClaimPayment => {
  const memberId =
    clp.patient?.idQualifier === "MI" && clp.patient.id !== undefined
      ? clp.patient.id
      : (clp.insured?.id ?? clp.patient?.id)
  const patient = {
    ...optional("lastName", clp.patient?.name),
    ...optional("firstName", clp.patient?.first),
    ...optional("memberId", memberId)
  }
  return {
    patientControlNumber: clp.patientControlNumber,
    status: clp.status,
    charge: money(clp.charge),
    paid: money(clp.paid),
    ...optional(
      "patientResponsibility",
      clp.patientResponsibility === undefined ? undefined : money(clp.patientResponsibility)
    ),
    ...optional("payerClaimNumber", clp.payerClaimControlNumber),
    ...optional("frequency", clp.frequency),
    ...(Object.keys(patient).length === 0 ? {} : { patient }),
    ...optional("statementFrom", dateOf(clp.statementFrom)),
    ...optional("statementTo", dateOf(clp.statementTo)),
    adjustments: adjustments(clp.adjustments),
    remarks: [...clp.remarks],
    lines: clp.lines.map(line)
  }
}

/**
 * An 835 transaction (with its claims) as the port's `RemittanceAdvice`.
 *
 * @since 0.1.0
 */
export const advice = (
  remittance: Remittance.RemittanceWithClaims,
  contentHash: string
): RemittanceAdvice.RemittanceAdvice => {
  const payment = remittance.payment
  const payee = remittance.payee
  return {
    contentHash,
    payer: { name: remittance.payer?.name ?? "", ...optional("id", remittance.trace?.payerId ?? remittance.payer?.id) },
    payee: {
      ...optional("name", payee?.name),
      ...optional("npi", payee?.idQualifier === "XX" ? payee.id : undefined)
    },
    payment: {
      handling: payment?.handling ?? "",
      method: payment?.method ?? "",
      amount: money(payment?.creditDebit === "D" ? -(payment?.amount ?? 0) : (payment?.amount ?? 0)),
      ...optional("date", dateOf(payment?.effectiveDate)),
      traceNumber: remittance.trace?.number ?? ""
    },
    claims: remittance.claims.map(claimPayment),
    providerAdjustments: remittance.providerAdjustments.flatMap((plb) =>
      plb.adjustments.map((item) => ({
        reason: item.reason,
        ...optional("reference", item.reference),
        amount: money(item.amount),
        ...optional("provider", plb.provider)
      }))
    )
  }
}

// --- SHA-256 ---------------------------------------------------------------------------------------------------

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

/**
 * SHA-256 of a text's UTF-8 bytes, as 64 hex digits: synchronous and pure (Web Crypto's digest is asynchronous),
 * so reading responses stays a pure function; the same digest as Web Crypto's and Node's.
 *
 * @since 0.1.0
 */
export const sha256Hex = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  const length = bytes.length
  const padded = new Uint8Array((((length + 8) >> 6) + 1) << 6)
  padded.set(bytes)
  padded[length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000))
  view.setUint32(padded.length - 4, (length << 3) >>> 0)
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ])
  const w = new Uint32Array(64)
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4)
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number
      const w2 = w[i - 2] as number
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3)
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10)
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as [number, number, number, number, number, number, number, number]
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + s1 + ch + (K[i] as number) + (w[i] as number)) >>> 0
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (s0 + maj) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    h[0] = ((h[0] as number) + a) >>> 0
    h[1] = ((h[1] as number) + b) >>> 0
    h[2] = ((h[2] as number) + c) >>> 0
    h[3] = ((h[3] as number) + d) >>> 0
    h[4] = ((h[4] as number) + e) >>> 0
    h[5] = ((h[5] as number) + f) >>> 0
    h[6] = ((h[6] as number) + g) >>> 0
    h[7] = ((h[7] as number) + hh) >>> 0
  }
  return Array.from(h, (word) => word.toString(16).padStart(8, "0")).join("")
}
