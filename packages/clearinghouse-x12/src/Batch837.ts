/**
 * A claim batch (the `Clearinghouse` port's `ClaimBatch`) as an 837P 005010X222A1 interchange, written by
 * `@openrcm/x12`'s writer: the submitter and receiver from the options, the billing provider (NPI, TIN as REF*EI,
 * taxonomy as PRV*BI, address), each claim's subscriber (the coverage's member id; a 2000C patient loop when the
 * patient is not the subscriber) and payer (its X12 payer id), CLM (CLM01 the claim's id, CLM02 its charge,
 * CLM05 place of service and frequency), REF*G1 prior authorization, REF*F8 for a replacement or void, HI
 * diagnoses (ABK, ABF), the rendering (NM1*82, PRV*PE) and supervising (NM1*DQ) clinicians, and the lines (SV1
 * with modifiers, units and pointers, DTP*472, REF*6R the line's number). A secondary or tertiary claim carries
 * its prior payers (2320/2330: SBR, CAS, AMT*D, AMT*EAF, OI, NM1*IL, NM1*PR) and their line adjudication (2430:
 * SVD, CAS, DTP*573); the writer refuses one whose COB amounts do not balance (`cobBalancing`).
 *
 * `toSubmission` maps without writing; `writeWith` writes with given control numbers and stamp; `write` takes the
 * numbers from a `ControlNumbers` allocator and the stamp from the `Clock`. The writer validates first: a batch it
 * refuses is an `Invalid837` with the failing fields' paths (never their values). `read` reads an 837P back.
 *
 * @since 0.1.0
 */
import type { Clearinghouse, Ids } from "@openrcm/core"
import { Claim837, type ControlNumbers, type Problem } from "@openrcm/x12"
import { Clock, Effect, Result, Schema } from "effect"

type ClaimBatch = Clearinghouse.ClaimBatch
type ClaimEnvelope = Clearinghouse.ClaimEnvelope

/**
 * Who sends the file (1000A) and who receives it (1000B), and the ISA usage indicator.
 *
 * @since 0.1.0
 */
export interface Parties {
  readonly submitter: Claim837.Submitter
  readonly receiver: Claim837.Receiver
  /** ISA15: `T` test, `P` production (the default). */
  readonly usage?: "T" | "P"
}

/**
 * @since 0.1.0
 */
export interface Options extends Parties {
  /** Hands out ISA13, GS06 and ST02 (`ControlNumbers.layerMemory`, or one resumed from stored marks). */
  readonly controlNumbers: ControlNumbers.ControlNumbers["Service"]
  /** The time zone of the file's date and time (GS04/GS05, BHT04/BHT05); UTC when absent. */
  readonly timeZone?: string
}

/**
 * An 837P written: its text, the control numbers it carries and the claims in it, in order.
 *
 * @since 0.1.0
 */
export interface Written {
  readonly text: string
  readonly controls: Claim837.Controls
  readonly claimIds: ReadonlyArray<Ids.ClaimId>
}

/**
 * The writer refused the batch: each failure names a field by its path in the 837 model (such as
 * `claims[1].claim.totalCharge`) and says what is wrong, never quoting a value.
 *
 * @since 0.1.0
 */
export class Invalid837 extends Schema.TaggedError<Invalid837>()("Invalid837", {
  failures: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String })),
  /** The control numbers allocated for the refused file (a receiver's 999 names them). */
  controls: Schema.Struct({ interchange: Schema.String, group: Schema.String, transaction: Schema.String })
}) {
  override get message() {
    return `837P not written: ${this.failures.map((f) => `${f.path} ${f.message}`).join("; ")}`
  }
}

/**
 * SBR09 for a payer's kind: MB Medicare Part B, 16 Medicare Advantage (HMO Medicare risk), MC Medicaid, CI
 * commercial, ZZ self-pay (mutually defined).
 *
 * @since 0.1.0
 */
export const claimFilingIndicator = (kind: ClaimEnvelope["payer"]["kind"]): Claim837.ClaimFilingIndicator => {
  switch (kind._tag) {
    case "Medicare":
      return "MB"
    case "MedicareAdvantage":
      return "16"
    case "Medicaid":
      return "MC"
    case "Commercial":
      return "CI"
    case "SelfPay":
      return "ZZ"
  }
}

const responsibilities = { 1: "P", 2: "S", 3: "T" } as const

const address = (a: {
  readonly line1: string
  readonly line2?: string | undefined
  readonly city: string
  readonly state: string
  readonly postalCode: string
}): Claim837.Address =>
  // The record's own object (the same fields; the writer reads an absent `line2` and `undefined` alike), unless
  // an empty second line is to be dropped.
  a.line2 === "" ? { line1: a.line1, city: a.city, state: a.state, postalCode: a.postalCode } : (a as Claim837.Address)

/** ICD-10-CM as X12 carries it: without the dot. */
const undotted = (code: string): string => code.replace(".", "")

const billingProvider = (org: ClaimEnvelope["billingProvider"]): Claim837.BillingProvider => ({
  name: org.name,
  npi: org.npi,
  taxonomy: org.taxonomy,
  ein: org.tin,
  address: address(org.address)
})

type PriorPayer = NonNullable<ClaimEnvelope["claim"]["priorPayers"]>[number]
type OtherPayerRecord = NonNullable<ClaimEnvelope["otherPayers"]>[number]

const patientResponsibilityOf = (adjustments: ReadonlyArray<PriorPayer["adjustments"][number]>): number =>
  adjustments.reduce((sum, a) => (a.group === "PR" ? sum + a.amount : sum), 0)

/**
 * A prior payer of the claim as loops 2320/2330A/2330B: its SBR (its order of benefits, the patient's
 * relationship to its subscriber, group, filing indicator), claim-level CAS, AMT*D (what it paid), AMT*EAF (what
 * it left to the patient), OI, its subscriber (NM1*IL) and payer (NM1*PR), and DTP*573 when it adjudicated at
 * claim level only (line-level adjudication carries its own date in 2430).
 *
 * @since 0.1.0
 */
export const otherPayer = (
  prior: PriorPayer,
  record: OtherPayerRecord | undefined,
  patient: ClaimEnvelope["patient"]
): Claim837.OtherPayer => {
  const holder = record?.coverage.subscriber
  const self = holder === undefined || holder.relationship === "18"
  const out: Draft<Claim837.OtherPayer> = {
    responsibility: responsibilities[prior.order],
    relationship: holder?.relationship ?? "18",
    claimFilingIndicator: record === undefined ? "ZZ" : claimFilingIndicator(record.payer.kind),
    paidAmount: prior.paid,
    remainingPatientLiability: patientResponsibilityOf([
      ...prior.adjustments,
      ...prior.lines.flatMap((line) => line.adjustments)
    ]),
    adjustments: prior.adjustments,
    benefitsAssignment: "Y",
    releaseOfInformation: "Y",
    // A record that could not be loaded leaves these empty: the writer refuses the claim with their paths.
    subscriber: {
      name: self
        ? { last: patient.lastName, first: patient.firstName }
        : { last: holder.lastName, first: holder.firstName },
      memberId: record?.coverage.memberId ?? ""
    },
    payer: { name: record?.payer.name ?? "", id: record?.payer.x12PayerId ?? "" }
  }
  if (record?.coverage.groupNumber !== undefined) out.groupNumber = record.coverage.groupNumber
  if (record?.coverage.plan !== undefined) out.groupName = record.coverage.plan
  if (prior.lines.length === 0) out.adjudicationDate = prior.adjudicatedOn
  return out
}

/**
 * The COB balancing an 837P's receiver checks (TR3 2320/2430 notes): for each other payer, what it paid plus its
 * claim-level and line adjustments equals the claim's charge, and on each line it adjudicated, SVD02 plus the
 * line's adjustments equals the line's charge. The failures by path, as `Invalid837` reports them.
 *
 * @since 0.1.0
 */
export const cobBalancing = (
  claims: ReadonlyArray<Claim837.Claim837>
): Array<{ readonly path: string; readonly message: string }> => {
  const failures: Array<{ readonly path: string; readonly message: string }> = []
  const sum = (adjustments: ReadonlyArray<Claim837.Adjustment>) => adjustments.reduce((s, a) => s + a.amount, 0)
  for (let c = 0; c < claims.length; c++) {
    const { claim } = claims[c] as Claim837.Claim837
    const others = claim.otherPayers
    if (others === undefined) continue
    others.forEach((other, o) => {
      let total = (other.paidAmount ?? 0) + sum(other.adjustments)
      claim.lines.forEach((line, l) => {
        for (const a of line.otherPayerAdjudication ?? []) {
          if (a.payerId !== other.payer.id) continue
          total += sum(a.adjustments)
          if (a.paidAmount + sum(a.adjustments) !== line.charge)
            failures.push({
              path: `claims[${c}].claim.lines[${l}].otherPayerAdjudication`,
              message: "paid plus adjustments must equal the line's charge"
            })
        }
      })
      if (total !== claim.totalCharge)
        failures.push({
          path: `claims[${c}].claim.otherPayers[${o}]`,
          message: "paid plus claim and line adjustments must equal the claim's charge"
        })
    })
  }
  return failures
}

/** The claim's prior payers as 2320/2330 loops; each line they adjudicated gets its 2430 loops (in `lines`). */
const cobLoops = (
  envelope: ClaimEnvelope,
  priors: ReadonlyArray<PriorPayer>,
  lines: Array<Claim837.ServiceLine837>
): Array<Claim837.OtherPayer> =>
  priors.map((prior) => {
    const record = envelope.otherPayers?.find((other) => other.coverage.id === prior.coverageId)
    const loop = otherPayer(prior, record, envelope.patient)
    for (const adjudicated of prior.lines) {
      const out = lines[adjudicated.line] as Draft<Claim837.ServiceLine837> | undefined
      const line = envelope.claim.lines[adjudicated.line]
      if (out === undefined || line === undefined) continue
      out.otherPayerAdjudication = [
        ...(out.otherPayerAdjudication ?? []),
        {
          payerId: loop.payer.id,
          paidAmount: adjudicated.paid,
          code: line.code,
          modifiers: line.modifiers,
          paidUnits: line.units,
          adjustments: adjudicated.adjustments,
          adjudicationDate: prior.adjudicatedOn
        }
      ]
    }
    return loop
  })

/**
 * One claim envelope as an 837P claim (its own subscriber loop, and patient loop when needed). A secondary or
 * tertiary claim (`claim.priorPayers`) carries each prior payer in 2320/2330 (`otherPayer`) and its line
 * adjudication in 2430 (SVD with the payer's id, CAS, DTP*573).
 *
 * @since 0.1.0
 */
export const toClaim = (envelope: ClaimEnvelope): Claim837.Claim837 => {
  const { claim, patient, coverage, payer, rendering, supervising } = envelope
  const holder = coverage.subscriber
  const self = holder === undefined || holder.relationship === "18"
  const subscriber: Draft<Claim837.Subscriber> = self
    ? {
        memberId: coverage.memberId,
        responsibility: responsibilities[coverage.order],
        claimFilingIndicator: claimFilingIndicator(payer.kind),
        name: { last: patient.lastName, first: patient.firstName },
        dob: patient.dateOfBirth,
        sex: patient.sex,
        address: address(patient.address),
        relationship: "18"
      }
    : {
        memberId: coverage.memberId,
        responsibility: responsibilities[coverage.order],
        claimFilingIndicator: claimFilingIndicator(payer.kind),
        name: { last: holder.lastName, first: holder.firstName },
        dob: holder.dateOfBirth,
        sex: "U"
      }
  if (coverage.groupNumber !== undefined) subscriber.groupNumber = coverage.groupNumber
  if (coverage.plan !== undefined) subscriber.groupName = coverage.plan
  const source = claim.lines
  const lines = new Array<Claim837.ServiceLine837>(source.length)
  for (let i = 0; i < source.length; i++) {
    const line = source[i] as (typeof source)[number]
    // The claim's modifiers and pointers are read-only: the writer takes them as they are.
    const out: Draft<Claim837.ServiceLine837> = {
      code: line.code,
      modifiers: line.modifiers,
      charge: line.charge,
      units: line.units,
      diagnosisPointers: line.diagnosisPointers,
      dateOfService: line.dateOfService,
      lineControlNumber: String(i + 1)
    }
    // SV105 only when the line's place of service differs from the claim's (CLM05-1).
    if (line.placeOfService !== claim.placeOfService) out.placeOfService = line.placeOfService
    lines[i] = out
  }
  // A secondary or tertiary claim: its prior payers (2320/2330) and their line adjudication (2430).
  const priors = claim.priorPayers
  const others = priors === undefined || priors.length === 0 ? undefined : cobLoops(envelope, priors, lines)
  const data: Draft<Claim837.ClaimData> = {
    patientControlNumber: claim.id,
    totalCharge: claim.charge,
    placeOfService: claim.placeOfService,
    frequency: claim.frequency,
    providerSignature: true,
    assignment: "A",
    benefitsAssignment: "Y",
    releaseOfInformation: "Y",
    diagnoses: claim.diagnoses.map(undotted),
    renderingProvider: {
      npi: rendering.npi,
      name: { last: rendering.lastName, first: rendering.firstName },
      taxonomy: rendering.taxonomy
    },
    lines
  }
  if (claim.priorAuthorization !== undefined) data.priorAuthorization = claim.priorAuthorization
  if (others !== undefined) data.otherPayers = others
  if (claim.payerClaimNumber !== undefined) data.payerClaimControlNumber = claim.payerClaimNumber
  if (supervising !== undefined)
    data.supervisingProvider = {
      npi: supervising.npi,
      name: { last: supervising.lastName, first: supervising.firstName }
    }
  const payerOf = { name: payer.name, id: payer.x12PayerId ?? "" }
  return self
    ? { subscriber, payer: payerOf, claim: data }
    : {
        subscriber,
        patient: {
          relationship: holder.relationship,
          name: { last: patient.lastName, first: patient.firstName },
          dob: patient.dateOfBirth,
          sex: patient.sex,
          address: address(patient.address)
        },
        payer: payerOf,
        claim: data
      }
}

type Draft<T> = { -readonly [K in keyof T]: T[K] }

/**
 * The batch as the 837 writer's model: the first claim's billing provider is the file's, and a claim billed by
 * another organization carries its own billing loop.
 *
 * @since 0.1.0
 */
export const toSubmission = (batch: ClaimBatch, parties: Parties): Claim837.Submission837 => {
  const first = batch.claims[0]
  if (first === undefined) throw new RangeError("Batch837.toSubmission: a batch has at least one claim")
  return {
    reference: batch.key.slice(0, 50),
    submitter: parties.submitter,
    receiver: parties.receiver,
    billingProvider: billingProvider(first.billingProvider),
    claims: batch.claims.map((envelope) => {
      const claim = toClaim(envelope)
      return envelope.billingProvider.id === first.billingProvider.id
        ? claim
        : { ...claim, billing: { provider: billingProvider(envelope.billingProvider) } }
    })
  }
}

/**
 * The file's date (YYYYMMDD) and time (HHMM) at an instant, in a time zone.
 *
 * @since 0.1.0
 */
export const stamp = (epochMillis: number, timeZone = "UTC"): { readonly date: string; readonly time: string } => {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23"
  }).formatToParts(epochMillis)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ""
  return { date: `${part("year")}${part("month")}${part("day")}`, time: `${part("hour")}${part("minute")}` }
}

/**
 * Writes the batch with the given control numbers and stamp (pure: the same input writes the same text).
 *
 * @since 0.1.0
 */
export const writeWith = (
  batch: ClaimBatch,
  parties: Parties,
  controls: Claim837.Controls,
  at: { readonly date: string; readonly time: string }
): Result.Result<Written, Invalid837> => {
  const submission = toSubmission(batch, parties)
  const unbalanced = cobBalancing(submission.claims)
  if (unbalanced.length > 0) return Result.fail(new Invalid837({ failures: unbalanced, controls }))
  const written = Claim837.write837(submission, controls, {
    date: at.date,
    time: at.time,
    usage: parties.usage ?? "P"
  })
  return Result.isSuccess(written)
    ? Result.succeed({ text: written.success, controls, claimIds: batch.claims.map((e) => e.claim.id) })
    : Result.fail(new Invalid837({ failures: [...written.failure], controls }))
}

/**
 * Allocates the interchange, group and transaction numbers for a file from the submitter to the receiver.
 *
 * @since 0.1.0
 */
export const allocate = (
  controlNumbers: ControlNumbers.ControlNumbers["Service"],
  parties: Parties
): Effect.Effect<Claim837.Controls> =>
  Effect.all({
    interchange: controlNumbers.next("interchange", parties.submitter.id, parties.receiver.id),
    group: controlNumbers.next("group", parties.submitter.id, parties.receiver.id),
    transaction: controlNumbers.next("transaction", parties.submitter.id, parties.receiver.id)
  })

/**
 * Writes the batch: control numbers from the allocator, date and time from the `Clock`.
 *
 * @since 0.1.0
 */
export const write = (batch: ClaimBatch, options: Options): Effect.Effect<Written, Invalid837> =>
  Effect.gen(function* () {
    const controls = yield* allocate(options.controlNumbers, options)
    const now = yield* Clock.currentTimeMillis
    return yield* Result.match(writeWith(batch, options, controls, stamp(now, options.timeZone)), {
      onSuccess: Effect.succeed,
      onFailure: Effect.fail
    })
  })

/**
 * An 837P read back: each claim with its id (CLM01), and the reader's problems.
 *
 * @since 0.1.0
 */
export interface Read {
  readonly claims: ReadonlyArray<{ readonly claimId: string; readonly claim: Claim837.Claim837 }>
  readonly problems: ReadonlyArray<Problem.Problem>
}

/**
 * Reads an 837P as a payer does (with `Claim837.read837`). It throws `X12ParseError` at the first error in `strict`
 * mode, and in any mode on input that is not X12 (or that the reader cannot read on from: a broken ISA, a segment
 * past 1 MiB, more than `Reader.defaultMaxProblems` problems).
 *
 * @since 0.1.0
 */
export const read = (text: string, mode: "strict" | "tolerant" = "tolerant"): Read => {
  const { claims, problems } = Claim837.read837(text, { mode })
  return { claims: claims.map((claim) => ({ claimId: claim.claim.patientControlNumber, claim })), problems }
}
