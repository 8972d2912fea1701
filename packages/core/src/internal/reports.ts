/**
 * The practice's reports for dashboards: A/R aging, the clean-claim rate, collections by clinician and payer, and a
 * patient's statement. Each reads the store as the caller (one tenant) and returns plain rows a chart or a table
 * shows as they are; amounts are integer cents, rates 0–1.
 */
import { Effect } from "effect"
import type * as Claim from "../Claim.js"
import * as DateOfService from "../DateOfService.js"
import type { ClaimId, ClinicianId, PatientId, PayerId } from "../Ids.js"
import * as Money from "../Money.js"
import type * as PatientLedger from "../PatientLedger.js"
import type * as Remittance from "../Remittance.js"
import { type Aging, agingBucket, everyPage, Store } from "../Store.js"

/** A report's day: `asOf`, else today in `timeZone` (UTC by default). */
export interface AsOf {
  readonly asOf?: DateOfService.DateOfService | undefined
  readonly timeZone?: string | undefined
}

/** Service dates (or payment dates, for collections) from `from` to `to`, both included. */
export interface Period {
  readonly from: DateOfService.DateOfService
  readonly to: DateOfService.DateOfService
}

const dayOf = (options?: AsOf) =>
  options?.asOf === undefined ? DateOfService.today(options?.timeZone ?? "UTC") : Effect.succeed(options.asOf)

/**
 * Accounts receivable by payer in the 0–30 / 31–60 / 61–90 / 91–120 / 120+ day buckets of the claims' service
 * dates, as of a day.
 *
 * @since 0.1.0
 */
export const agingReport = Effect.fn("Billing.agingReport")(function* (options?: AsOf) {
  const store = yield* Store
  return (yield* store.reports.aging(yield* dayOf(options))) satisfies Aging
})

/**
 * @since 0.1.0
 */
export interface CleanClaimRow {
  /** A payer id, or `all`. */
  readonly key: string
  /** Original claims (frequency 1) sent to the payer. */
  readonly submitted: number
  /** Of those, how many were never rejected, denied, corrected or appealed. */
  readonly clean: number
  readonly rate: number
}

/**
 * @since 0.1.0
 */
export interface CleanClaimReport {
  readonly period: Period
  readonly total: CleanClaimRow
  readonly byPayer: ReadonlyArray<CleanClaimRow>
}

/** The moves that mean a claim was not clean on its first pass. */
const unclean: ReadonlySet<Claim.Status> = new Set<Claim.Status>(["rejected", "denied", "corrected", "appealed"])

/**
 * The clean-claim rate of the original claims sent with a service date in the period: the share the payer took on
 * the first pass (never rejected, denied, corrected or appealed since), in all and by payer. Reads each claim's
 * history, eight at a time.
 *
 * @since 0.1.0
 */
export const cleanClaimRate = Effect.fn("Billing.cleanClaimRate")(function* (period: Period) {
  const store = yield* Store
  const claims = (yield* everyPage((page) =>
    store.claims.query({ ...page, servedOnOrAfter: period.from, servedOnOrBefore: period.to })
  )).filter((claim) => claim.frequency === "1" && claim.submittedAt !== undefined)
  const cleanById = new Map<ClaimId, boolean>()
  yield* Effect.forEach(
    claims,
    (claim) =>
      Effect.map(store.claims.history(claim.id), (events) =>
        cleanById.set(
          claim.id,
          events.every((event) => !unclean.has(event.to))
        )
      ),
    { concurrency: 8, discard: true }
  )
  const row = (key: string, rowClaims: ReadonlyArray<Claim.Claim>): CleanClaimRow => {
    const clean = rowClaims.filter((claim) => cleanById.get(claim.id) === true).length
    return { key, submitted: rowClaims.length, clean, rate: rowClaims.length === 0 ? 0 : clean / rowClaims.length }
  }
  const byPayer = new Map<PayerId, Array<Claim.Claim>>()
  for (const claim of claims) byPayer.set(claim.payerId, [...(byPayer.get(claim.payerId) ?? []), claim])
  return {
    period,
    total: row("all", claims),
    byPayer: [...byPayer.entries()].map(([payerId, rowClaims]) => row(payerId, rowClaims)).sort(byKey)
  } satisfies CleanClaimReport
})

const byKey = (a: { readonly key: string }, b: { readonly key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/**
 * @since 0.1.0
 */
export interface CollectionRow {
  /** A clinician id, a payer id, or a month `YYYY-MM`. */
  readonly key: string
  /** Payments posted (reversals subtract). */
  readonly paid: Money.Money
  readonly claims: number
}

/**
 * @since 0.1.0
 */
export interface CollectionsReport {
  readonly period: Period
  readonly total: Money.Money
  /** By the claims' rendering clinician. */
  readonly byClinician: ReadonlyArray<CollectionRow>
  readonly byPayer: ReadonlyArray<CollectionRow>
  readonly byMonth: ReadonlyArray<CollectionRow>
  /** Provider-level adjustments (PLB) posted to the organization, not to any claim. */
  readonly providerLevel: Money.Money
}

/**
 * Payer payments collected from the remittances paid in the period (their payment date, else the day they were
 * received, in UTC): in all, by rendering clinician, by payer and by month.
 *
 * @since 0.1.0
 */
export const collections = Effect.fn("Billing.collections")(function* (period: Period) {
  const store = yield* Store
  const remittances = (yield* everyPage((page) => store.remittances.list(page))).filter((remittance) => {
    const day = paidOn(remittance)
    return day >= period.from && day <= period.to
  })
  const postings = (yield* Effect.forEach(
    remittances,
    (remittance) =>
      Effect.map(store.remittances.postings({ remittanceId: remittance.id }), (items) =>
        items.map((posting) => ({ posting, month: paidOn(remittance).slice(0, 7) }))
      ),
    { concurrency: 8 }
  )).flat()
  const claimIds = [
    ...new Set(postings.flatMap(({ posting }) => (posting.claimId === undefined ? [] : [posting.claimId])))
  ]
  const claims = new Map<ClaimId, Claim.Claim>()
  yield* Effect.forEach(
    claimIds,
    (id) => Effect.map(store.claims.get(id), (claim) => (claim._tag === "Some" ? claims.set(id, claim.value) : claims)),
    { concurrency: 8, discard: true }
  )
  const sums = {
    clinician: new Map<string, { paid: Money.Money; claims: Set<ClaimId> }>(),
    payer: new Map<string, { paid: Money.Money; claims: Set<ClaimId> }>(),
    month: new Map<string, { paid: Money.Money; claims: Set<ClaimId> }>()
  }
  const add = (map: typeof sums.payer, key: string, amount: Money.Money, claimId: ClaimId) => {
    const entry = map.get(key) ?? { paid: Money.zero, claims: new Set<ClaimId>() }
    entry.paid = Money.add(entry.paid, amount)
    entry.claims.add(claimId)
    map.set(key, entry)
  }
  let total = Money.zero
  let providerLevel = Money.zero
  for (const { posting, month } of postings) {
    if (posting.kind === "provider-level") providerLevel = Money.add(providerLevel, posting.amount)
    if (posting.kind !== "payment" || posting.claimId === undefined) continue
    const claim = claims.get(posting.claimId)
    if (claim === undefined) continue
    total = Money.add(total, posting.amount)
    add(sums.clinician, claim.renderingClinicianId as ClinicianId, posting.amount, claim.id)
    add(sums.payer, claim.payerId, posting.amount, claim.id)
    add(sums.month, month, posting.amount, claim.id)
  }
  const rows = (map: typeof sums.payer): ReadonlyArray<CollectionRow> =>
    [...map.entries()].map(([key, entry]) => ({ key, paid: entry.paid, claims: entry.claims.size })).sort(byKey)
  return {
    period,
    total,
    byClinician: rows(sums.clinician),
    byPayer: rows(sums.payer),
    byMonth: rows(sums.month),
    providerLevel
  } satisfies CollectionsReport
})

const paidOn = (remittance: Remittance.Remittance): string =>
  remittance.paymentDate ?? DateOfService.atInstant(remittance.receivedAt, "UTC")

/**
 * @since 0.1.0
 */
export interface StatementLine {
  readonly claimId: ClaimId | undefined
  /** The claim's service date, when the entry is a claim's. */
  readonly serviceDate: DateOfService.DateOfService | undefined
  readonly entries: ReadonlyArray<PatientLedger.Entry>
  /** What the patient owes on this claim (or on the entries without a claim). */
  readonly balance: Money.Money
}

/**
 * @since 0.1.0
 */
export interface PatientStatement {
  readonly patientId: PatientId
  readonly asOf: DateOfService.DateOfService
  readonly balance: Money.Money
  /** By claim, oldest service first; entries with no claim (payments on account) last. */
  readonly lines: ReadonlyArray<StatementLine>
  /** The balance by the age of its entries: 0–30 / 31–60 / 61–90 / 91–120 / 120+ days. */
  readonly aging: Readonly<Record<ReturnType<typeof agingBucket>, Money.Money>>
}

/**
 * A patient's statement: their ledger by claim with what they owe on each, the balance, and its age.
 *
 * @since 0.1.0
 */
export const patientStatement = Effect.fn("Billing.patientStatement")(function* (patientId: PatientId, options?: AsOf) {
  const store = yield* Store
  const asOf = yield* dayOf(options)
  const entries = yield* store.patientLedger.forPatient(patientId)
  const byClaim = new Map<ClaimId | undefined, Array<PatientLedger.Entry>>()
  for (const entry of entries) byClaim.set(entry.claimId, [...(byClaim.get(entry.claimId) ?? []), entry])
  const lines = yield* Effect.forEach(
    [...byClaim.entries()],
    ([claimId, claimEntries]) =>
      Effect.map(
        claimId === undefined ? Effect.succeed(undefined) : store.claims.get(claimId),
        (claim): StatementLine => ({
          claimId,
          serviceDate: claim?._tag === "Some" ? claim.value.serviceDate : undefined,
          entries: [...claimEntries].sort((a, b) => a.at - b.at),
          balance: Money.sum(claimEntries.map((entry) => entry.amount))
        })
      ),
    { concurrency: 8 }
  )
  const aging = {
    days0to30: Money.zero,
    days31to60: Money.zero,
    days61to90: Money.zero,
    days91to120: Money.zero,
    over120: Money.zero
  }
  for (const entry of entries) {
    const bucket = agingBucket(Math.max(0, DateOfService.daysBetween(DateOfService.atInstant(entry.at, "UTC"), asOf)))
    aging[bucket] = Money.add(aging[bucket], entry.amount)
  }
  return {
    patientId,
    asOf,
    balance: Money.sum(entries.map((entry) => entry.amount)),
    lines: lines.sort((a, b) =>
      a.serviceDate === b.serviceDate
        ? 0
        : a.serviceDate === undefined
          ? 1
          : b.serviceDate === undefined
            ? -1
            : a.serviceDate < b.serviceDate
              ? -1
              : 1
    ),
    aging
  } satisfies PatientStatement
})
