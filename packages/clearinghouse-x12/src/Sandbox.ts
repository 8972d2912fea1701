/**
 * The sandbox clearinghouse, for tests, Storybook and the playground: a real `Clearinghouse` that plays the
 * clearinghouse and the payers behind it, and answers with real X12 it writes and reads back.
 *
 * A batch is received once per key (the same key again returns the first receipt, `firstTime: false`, and nothing
 * else happens). Its claims go through the front-end edits a clearinghouse runs on what it receives: a missing or
 * invalid member id (`A6:164:IL`, `A7:164:IL`), a member the payer does not know when members are seeded
 * (`A3:33`), an NPI whose check digit fails (`A7:562:85` billing, `82` rendering, `DQ` supervising), a replacement
 * or void without the payer's claim number (`A6:21`) or voiding a claim the payer never issued (`A7:21`), a
 * diagnosis pointer to nothing (`A7:21`). The rest is written as one 837P transaction set and read back as a
 * payer reads it: a set the writer refuses or the reader finds wrong is rejected by the 999 (`IK5*R*5`, each of its
 * claims rejected), otherwise the 999 accepts it. Then one 277CA answers every claim of the batch not rejected by
 * the 999: rejected with its STC codes, or accepted (A1:20, A2:20) with a payer claim number (REF*1K).
 *
 * Later, an 835 per payer and billing provider adjudicates the accepted claims with the payer's rule pack, its
 * contracted rates and the member's plan:
 *
 * - allowed: the payer's fee schedule rate × units (`FeeSchedule` with the payer's id), else `percentOfCharge` of
 *   the charge, never above the charge; CO-45 for charge − allowed;
 * - the patient's share from the member's plan (`PatientResponsibility.estimate`, line by line with the deductible
 *   and out-of-pocket carried across claims, the copay once per date of service): PR-1 deductible, PR-2
 *   coinsurance, PR-3 copay; CO-253 sequestration for Medicare;
 * - denials: OA-18 + N522 an exact duplicate of a claim already adjudicated; CO-16 + N290 the billing
 *   organization's NPI sent as rendering; CO-29 + N211 received past the pack's timely filing window; CO-16 + M51 a
 *   code neither the pack nor the payer's rates know; CO-B7 + N95 a credential the pack's `billableBy` does not
 *   allow; CO-4 a telehealth place of service (02, 10) without the modifier the pack's telehealth rule requires;
 *   CO-197 a code the pack's `priorAuthorization` covers (from the first visit, or past `afterVisits` this plan
 *   year) on a claim without REF*G1;
 * - a replacement (frequency 7) reverses the claim it replaces (CLP02 22) and is adjudicated anew; a void (8)
 *   reverses it;
 * - a secondary or tertiary claim (other payers in 2320/2330, CLP02 2 or 3): the payer allows what the last prior
 *   payer left to the patient (its PR in 2430, or its claim-level PR shared by charge), adjusts the rest OA-23, and
 *   splits the allowed amount with the member's plan as above.
 *
 * Each 835 balances (line, claim and transaction). When each file becomes visible in `responses()` is set by
 * `delays`, read from effect's `Clock` (tests move it with `TestClock`); `failures` fails the next calls. The
 * `Sandbox` service shows every file exchanged and queues more failures.
 *
 * @since 0.1.0
 */
import {
  Clearinghouse,
  DateOfService,
  type FeeSchedule,
  Npi,
  type PatientResponsibility,
  RuleSet,
  type Submission
} from "@openrcm/core"
import { InMemoryClearinghouse } from "@openrcm/core/testing"
import { type Claim837, ControlNumbers } from "@openrcm/x12"
import { Clock, Context, Effect, Layer, Result, Semaphore } from "effect"
import * as Batch837 from "./Batch837.js"
import { Adjudicator } from "./internal/adjudicate.js"
import {
  type Envelope,
  type PaidClaim,
  type StatusClaim,
  type StatusPayer,
  write277CA,
  write835,
  write999
} from "./internal/writers.js"
import * as Responses from "./Responses.js"

type ClaimEnvelope = Clearinghouse.ClaimEnvelope
type Response = Clearinghouse.Response

/**
 * A failure for the next call to fail with.
 *
 * @since 0.1.0
 */
export type FailureReason = "Timeout" | "Unavailable" | "Refused"

/**
 * Milliseconds after a batch is received before each answer becomes visible in `responses()`.
 *
 * @since 0.1.0
 */
export interface Delays {
  /** The 999 (default 1 second). */
  readonly acknowledgement?: number
  /** The 277CA (default 5 seconds). */
  readonly claimStatus?: number
  /** The 835 (default 1 minute; never before the 277CA). */
  readonly remittance?: number
}

/**
 * A member's plan design and where the accumulators stand when the sandbox first sees them.
 *
 * @since 0.1.0
 */
export type MemberPlan = PatientResponsibility.PlanBenefits

/**
 * @since 0.1.0
 */
export interface Options {
  /** Seeded members: they answer eligibility (as the in-memory clearinghouse does) and give each member's plan. */
  readonly members?: ReadonlyArray<InMemoryClearinghouse.Member>
  /** Payers (X12 ids) the clearinghouse does not route to: eligibility is `Refused`. */
  readonly unsupportedPayers?: ReadonlyArray<string>
  readonly delays?: Delays
  /** Fail the next calls with these reasons, in order. */
  readonly failures?: ReadonlyArray<FailureReason>
  /** Contracted rates: a schedule with a payer's id is that payer's. */
  readonly feeSchedules?: ReadonlyArray<FeeSchedule.FeeSchedule>
  /** Allowed as a share of the charge when the payer has no rate for the code, in basis points (default 8000). */
  readonly percentOfCharge?: number
  /** A member's plan; by default read from the seeded member's benefits, else `defaultPlan`. */
  readonly plans?: (member: { readonly payerId: string; readonly memberId: string }) => MemberPlan | undefined
  /** The plan of a member nothing else describes (default: no deductible, no coinsurance, no copay). */
  readonly defaultPlan?: MemberPlan
  /** The submitter and receiver of the 837 (a sandbox pair by default); responses come from the receiver. */
  readonly parties?: Batch837.Parties
  /** The time zone of the files' dates (UTC by default). */
  readonly timeZone?: string
  /**
   * The control numbers of the 837 a batch arrived in, when the sandbox plays the receiving end of another
   * submitter's file (a mailbox clearinghouse's test double reads them from the file): its 999 acknowledges those
   * numbers and its files are named by that interchange number. By default (or `undefined`) the sandbox
   * allocates its own.
   */
  readonly receivedAs?: (batch: Clearinghouse.ClaimBatch) => Claim837.Controls | undefined
}

/**
 * One X12 file the sandbox exchanged: an 837 it wrote for a batch, or an answer, with when it becomes visible.
 *
 * @since 0.1.0
 */
export interface File {
  readonly name: string
  readonly kind: "837" | "999" | "277CA" | "835"
  readonly key: Submission.SubmissionKey
  readonly x12: string
  readonly availableAt: number
}

/**
 * The sandbox's controls, beside its `Clearinghouse`.
 *
 * @since 0.1.0
 */
export class Sandbox extends Context.Service<
  Sandbox,
  {
    /** Fails the next calls with these reasons, after those already queued. */
    readonly failNext: (reasons: ReadonlyArray<FailureReason>) => Effect.Effect<void>
    /** Every file written so far, in order (answers included before they are visible). */
    readonly files: Effect.Effect<ReadonlyArray<File>>
  }
>()("@openrcm/clearinghouse-x12/Sandbox") {}

/**
 * The sandbox's own submitter and receiver.
 *
 * @since 0.1.0
 */
export const defaultParties: Batch837.Parties = {
  submitter: { name: "OPENRCM PRACTICE", id: "OPENRCMSUB", contact: { name: "BILLING DESK", phone: "5555550100" } },
  receiver: { name: "OPENRCM SANDBOX CLEARINGHOUSE", id: "OPENRCMSBX" },
  usage: "T"
}

const errorFor = (reason: FailureReason): Clearinghouse.ClearinghouseError =>
  new Clearinghouse.ClearinghouseError({
    reason:
      reason === "Timeout"
        ? new Clearinghouse.Timeout({ afterMillis: 30_000 })
        : reason === "Unavailable"
          ? new Clearinghouse.Unavailable({ detail: "the sandbox payer connection is down" })
          : new Clearinghouse.Refused({ detail: "the sandbox refused the request" })
  })

const noPlan: MemberPlan = { deductibleRemaining: 0 as MemberPlan["deductibleRemaining"], coinsuranceBps: 0 }

/**
 * A member's plan from their seeded benefits: the in-network behavioral-health copay per visit, coinsurance, and
 * the individual deductible and out-of-pocket remaining.
 *
 * @since 0.1.0
 */
export const planOf = (member: InMemoryClearinghouse.Member): MemberPlan => {
  const inNetwork = member.benefits.filter((b) => b.network !== "out")
  const copay = inNetwork.find((b) => b.kind === "copay" && b.amount !== undefined)?.amount
  const coinsurance = inNetwork.find((b) => b.kind === "coinsurance" && b.percentBps !== undefined)?.percentBps
  const remaining = (kind: "deductible" | "out-of-pocket") =>
    inNetwork.find(
      (b) => b.kind === kind && b.timePeriod === "remaining" && b.coverageLevel !== "family" && b.amount !== undefined
    )?.amount
  const outOfPocket = remaining("out-of-pocket")
  return {
    deductibleRemaining: remaining("deductible") ?? noPlan.deductibleRemaining,
    coinsuranceBps: coinsurance ?? 0,
    ...(copay === undefined ? {} : { copay }),
    ...(outOfPocket === undefined ? {} : { outOfPocketRemaining: outOfPocket })
  }
}

const memberIdPattern = /^[A-Za-z0-9-]{2,80}$/u

/**
 * The front-end edits on one claim as received: the 277CA status codes it is rejected with, none when it passes.
 *
 * @since 0.1.0
 */
export const frontEndEdits = (
  envelope: ClaimEnvelope,
  context: {
    readonly members?: ReadonlyArray<InMemoryClearinghouse.Member> | undefined
    readonly knows?: (payerClaimNumber: string) => boolean
  } = {}
): Array<string> => {
  const { claim, coverage, payer, billingProvider, rendering, supervising } = envelope
  const codes: Array<string> = []
  const memberId = coverage.memberId as string | undefined
  if (memberId === undefined || memberId === "") codes.push("A6:164:IL")
  else if (!memberIdPattern.test(memberId)) codes.push("A7:164:IL")
  else {
    const known = (context.members ?? []).filter((m) => m.payerId === payer.x12PayerId)
    if (known.length > 0 && !known.some((m) => m.memberId === memberId)) codes.push("A3:33")
  }
  if (!Npi.isValid(billingProvider.npi)) codes.push("A7:562:85")
  if (!Npi.isValid(rendering.npi)) codes.push("A7:562:82")
  if (supervising !== undefined && !Npi.isValid(supervising.npi)) codes.push("A7:562:DQ")
  if (claim.frequency === "7" || claim.frequency === "8") {
    if (claim.payerClaimNumber === undefined || claim.payerClaimNumber === "") codes.push("A6:21")
    else if (claim.frequency === "8" && context.knows !== undefined && !context.knows(claim.payerClaimNumber))
      codes.push("A7:21")
  }
  const count = claim.diagnoses.length
  if (claim.lines.some((l) => l.diagnosisPointers.length === 0 || l.diagnosisPointers.some((p) => p < 1 || p > count)))
    codes.push("A7:21")
  return codes
}

interface Pending {
  readonly response: Response
  readonly availableAt: number
  readonly seq: number
}

const groupBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string): Array<Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return [...groups.values()]
}

const make = (options: Options) =>
  Effect.gen(function* () {
    const rulePacks = yield* RuleSet.RulePacks
    const controlNumbers = yield* Effect.provide(
      Effect.service(ControlNumbers.ControlNumbers),
      ControlNumbers.ControlNumbers.layerMemory
    )
    const parties = options.parties ?? defaultParties
    const usage = parties.usage ?? "P"
    const timeZone = options.timeZone ?? "UTC"
    const members = options.members ?? []
    const unsupported = new Set(options.unsupportedPayers ?? [])
    const ackDelay = options.delays?.acknowledgement ?? 1_000
    const statusDelay = options.delays?.claimStatus ?? 5_000
    const remitDelay = Math.max(options.delays?.remittance ?? 60_000, statusDelay)
    const failures: Array<FailureReason> = [...(options.failures ?? [])]
    const receipts = new Map<string, Clearinghouse.Receipt>()
    const sentSets = new Map<string, Responses.Sent>()
    const outbox: Array<Pending> = []
    const files: Array<File> = []
    const lock = yield* Semaphore.make(1)
    let seq = 0

    const planFor = (envelope: ClaimEnvelope): MemberPlan => {
      const who = { payerId: envelope.payer.x12PayerId ?? "", memberId: envelope.coverage.memberId }
      const explicit = options.plans?.(who)
      if (explicit !== undefined) return explicit
      const member = members.find((m) => m.payerId === who.payerId && m.memberId === who.memberId)
      return member === undefined ? (options.defaultPlan ?? noPlan) : planOf(member)
    }
    const adjudicator = new Adjudicator({
      feeSchedules: options.feeSchedules ?? [],
      percentOfCharge: options.percentOfCharge ?? 8_000,
      planFor
    })

    const nextFailure = Effect.suspend(() => {
      const failure = failures.shift()
      return failure === undefined ? Effect.void : Effect.fail(errorFor(failure))
    })

    /** The envelope of a file the receiver sends back to the submitter. */
    const answerEnvelope = (now: number): Effect.Effect<Envelope> =>
      Effect.map(
        Effect.all({
          interchange: controlNumbers.next("interchange", parties.receiver.id, parties.submitter.id),
          group: controlNumbers.next("group", parties.receiver.id, parties.submitter.id)
        }),
        (controls) => ({
          sender: parties.receiver.id,
          receiver: parties.submitter.id,
          ...controls,
          ...Batch837.stamp(now, timeZone),
          usage
        })
      )

    const post = (
      key: Submission.SubmissionKey,
      name: string,
      kind: File["kind"],
      x12: string,
      availableAt: number
    ): Effect.Effect<void> =>
      Effect.suspend(() => {
        files.push({ name, kind, key, x12, availableAt })
        if (kind === "837") return Effect.void
        const read = Responses.read(x12, {
          id: name,
          mode: "strict",
          sent: (set) => sentSets.get(`${set.group}|${set.transaction ?? ""}`)
        })
        if (Result.isFailure(read)) return Effect.die(read.failure)
        for (const response of read.success.responses) outbox.push({ response, availableAt, seq: seq++ })
        return Effect.void
      })

    const receive = (batch: Clearinghouse.ClaimBatch) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const at = Batch837.stamp(now, timeZone)
        const received = DateOfService.atInstant(now, timeZone)
        const controls = options.receivedAs?.(batch) ?? (yield* Batch837.allocate(controlNumbers, parties))
        const reference = controls.interchange
        const receipt: Clearinghouse.Receipt = { key: batch.key, reference, firstTime: true }
        const checked = batch.claims.map((envelope) => ({
          envelope,
          rejections: frontEndEdits(envelope, { members, knows: (n) => adjudicator.knows(n) })
        }))
        const passing = checked.filter((c) => c.rejections.length === 0).map((c) => c.envelope)
        // Claims accepted into adjudication, as the payer read them.
        const accepted: Array<{ readonly envelope: ClaimEnvelope; readonly read: Batch837.Read["claims"][number] }> = []
        let rejectedBy999 = new Set<string>()
        if (passing.length > 0) {
          const written = Batch837.writeWith({ ...batch, claims: passing }, parties, controls, at)
          let ok = false
          if (Result.isSuccess(written)) {
            yield* post(batch.key, `${reference}.837`, "837", written.success.text, now)
            const back = Batch837.read(written.success.text)
            const byId = new Map(back.claims.map((c) => [c.claimId, c]))
            const pairs = passing.flatMap((envelope) => {
              const read = byId.get(envelope.claim.id)
              return read === undefined ? [] : [{ envelope, read }]
            })
            ok = back.problems.every((p) => p.severity !== "error") && pairs.length === passing.length
            if (ok) accepted.push(...pairs)
          }
          if (!ok) rejectedBy999 = new Set(passing.map((e) => e.claim.id))
          sentSets.set(`${controls.group}|${controls.transaction}`, {
            key: batch.key,
            claimIds: passing.map((e) => e.claim.id)
          })
          const ack = write999(yield* answerEnvelope(now + ackDelay), {
            group: controls.group,
            transaction: controls.transaction,
            accepted: ok,
            errors: ok ? [] : ["5"]
          })
          yield* post(batch.key, `${reference}.999`, "999", ack, now + ackDelay)
        }

        // The 277CA: every claim not rejected by the 999.
        const payerClaimNumbers = new Map<string, string>()
        accepted.forEach(({ envelope }, i) => {
          payerClaimNumbers.set(envelope.claim.id, `${reference}${String(i + 1).padStart(3, "0")}`)
        })
        const answered = checked.filter((c) => !rejectedBy999.has(c.envelope.claim.id))
        if (answered.length > 0) {
          const payers: Array<StatusPayer> = groupBy(answered, (c) => c.envelope.payer.x12PayerId ?? "").map(
            (group) => {
              const payer = (group[0] as (typeof group)[number]).envelope.payer
              return {
                name: payer.name,
                id: payer.x12PayerId ?? "",
                providers: groupBy(group, (c) => c.envelope.billingProvider.npi).map((mine) => {
                  const org = (mine[0] as (typeof mine)[number]).envelope.billingProvider
                  return {
                    name: org.name,
                    npi: org.npi,
                    claims: mine.map(({ envelope, rejections }): StatusClaim => {
                      const dates = envelope.claim.lines.map((l) => l.dateOfService).sort()
                      const payerClaimNumber = payerClaimNumbers.get(envelope.claim.id)
                      return {
                        claimId: envelope.claim.id,
                        patient: {
                          last: envelope.patient.lastName,
                          first: envelope.patient.firstName,
                          memberId: envelope.coverage.memberId || "UNKNOWN"
                        },
                        charge: envelope.claim.charge,
                        from: dates[0] ?? envelope.claim.serviceDate,
                        to: dates.at(-1) ?? envelope.claim.serviceDate,
                        statuses: rejections.length > 0 ? rejections : ["A1:20", "A2:20"],
                        accepted: rejections.length === 0,
                        payerClaimNumber
                      }
                    })
                  }
                })
              }
            }
          )
          const text = write277CA(yield* answerEnvelope(now + statusDelay), {
            reference: batch.key.slice(0, 50),
            submitter: parties.submitter,
            payers,
            date: at.date,
            time: at.time
          })
          yield* post(batch.key, `${reference}.277CA`, "277CA", text, now + statusDelay)
        }

        // The 835s: one per payer and billing provider, adjudicating the accepted claims in order.
        const paid = now + remitDelay
        const groups = groupBy(
          accepted,
          (a) => `${a.envelope.payer.x12PayerId ?? ""}|${a.envelope.billingProvider.npi}`
        )
        let n = 0
        for (const group of groups) {
          const claims: Array<PaidClaim> = []
          for (const { envelope, read } of group) {
            const dates = [...new Set(envelope.claim.lines.map((l) => l.dateOfService))]
            const rules = new Map<string, RuleSet.RuleSet | undefined>()
            for (const date of dates) {
              rules.set(
                date,
                yield* Effect.orElseSucceed(rulePacks.resolve(envelope.payer.rulePack, date), () => undefined)
              )
            }
            claims.push(
              ...adjudicator.adjudicate({
                envelope,
                read: read.claim,
                rulesOn: (date) => rules.get(date),
                received,
                payerClaimNumber: payerClaimNumbers.get(envelope.claim.id) ?? reference
              })
            )
          }
          const first = (group[0] as (typeof group)[number]).envelope
          n += 1
          const envelope = yield* answerEnvelope(paid)
          const text = write835(envelope, {
            payer: { name: first.payer.name, id: first.payer.x12PayerId ?? "" },
            payee: {
              name: first.billingProvider.name,
              npi: first.billingProvider.npi,
              tin: first.billingProvider.tin,
              address: first.billingProvider.address
            },
            trace: `${reference}${n}`,
            date: envelope.date,
            claims
          })
          yield* post(batch.key, groups.length === 1 ? `${reference}.835` : `${reference}.${n}.835`, "835", text, paid)
        }
        receipts.set(batch.key, receipt)
        return receipt
      })

    const clearinghouse = Clearinghouse.Clearinghouse.of({
      checkEligibility: (request) =>
        Effect.gen(function* () {
          yield* nextFailure
          if (unsupported.has(request.payerId)) return yield* errorFor("Refused")
          return InMemoryClearinghouse.answer(members, request, yield* Clock.currentTimeMillis)
        }),
      submitClaims: (batch) =>
        Effect.andThen(
          nextFailure,
          lock.withPermit(
            Effect.suspend(() => {
              const seen = receipts.get(batch.key)
              return seen === undefined ? receive(batch) : Effect.succeed({ ...seen, firstTime: false })
            })
          )
        ),
      responses: () =>
        Effect.andThen(nextFailure, (_) =>
          Effect.map(Clock.currentTimeMillis, (now) =>
            outbox
              .filter((p) => p.availableAt <= now)
              .sort((a, b) => a.availableAt - b.availableAt || a.seq - b.seq)
              .map((p) => p.response)
          )
        ),
      acknowledge: (ids) =>
        Effect.andThen(
          nextFailure,
          Effect.sync(() => {
            const done = new Set(ids)
            for (let i = outbox.length - 1; i >= 0; i--)
              if (done.has((outbox[i] as Pending).response.id)) outbox.splice(i, 1)
          })
        )
    })
    const sandbox = Sandbox.of({
      failNext: (reasons) => Effect.sync(() => void failures.push(...reasons)),
      files: Effect.sync(() => [...files])
    })
    return { clearinghouse, sandbox }
  })

/**
 * The sandbox clearinghouse and its controls; payers' rule packs come from `RulePacks`.
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Clearinghouse.Clearinghouse | Sandbox, never, RuleSet.RulePacks> =>
  Layer.effectContext(
    Effect.map(make(options), ({ clearinghouse, sandbox }) =>
      Context.make(Clearinghouse.Clearinghouse, clearinghouse).pipe(Context.add(Sandbox, sandbox))
    )
  )

/**
 * The sandbox with OpenRCM's built-in rule packs (and any of the host's own).
 *
 * @since 0.1.0
 */
export const layerBuiltin = (
  options: Options = {},
  packs: ReadonlyArray<unknown> = []
): Layer.Layer<Clearinghouse.Clearinghouse | Sandbox> =>
  layer(options).pipe(Layer.provide(Layer.orDie(RuleSet.layerBuiltin(packs))))
