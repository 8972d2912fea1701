import { Billing, DateOfService, Store } from "@openrcm/core"
import { Effect } from "effect"
import { useBillingQuery } from "./useBillingEffect.js"

/** A report's period; by default the 180 days up to today (in `timeZone`, UTC by default). */
export interface ReportPeriod {
  readonly from?: DateOfService.DateOfService | undefined
  readonly to?: DateOfService.DateOfService | undefined
  readonly timeZone?: string | undefined
}

const periodOf = (period: ReportPeriod | undefined) =>
  Effect.map(
    period?.to === undefined ? DateOfService.today(period?.timeZone ?? "UTC") : Effect.succeed(period.to),
    (to) => ({ from: period?.from ?? DateOfService.addDays(to, -180), to })
  )

const periodDeps = (period: ReportPeriod | undefined) => [period?.from, period?.to, period?.timeZone]

/** A/R aging by payer (`Billing.agingReport`) as of `asOf` or today. */
export const useAgingReport = (options?: Billing.AsOf) =>
  useBillingQuery(() => Billing.agingReport(options), [options?.asOf, options?.timeZone])

/** Denial rates by payer, category, code, clinician and month (`Billing.denialTrends`). */
export const useDenialTrends = (period?: ReportPeriod) =>
  useBillingQuery(() => Effect.flatMap(periodOf(period), Billing.denialTrends), periodDeps(period))

/** The clean-claim rate, in all and by payer (`Billing.cleanClaimRate`). */
export const useCleanClaimRate = (period?: ReportPeriod) =>
  useBillingQuery(() => Effect.flatMap(periodOf(period), Billing.cleanClaimRate), periodDeps(period))

/** Payer payments by clinician, payer and month (`Billing.collections`). */
export const useCollections = (period?: ReportPeriod) =>
  useBillingQuery(() => Effect.flatMap(periodOf(period), Billing.collections), periodDeps(period))

/** A patient's statement: ledger by claim, balance and its age (`Billing.patientStatement`). */
export const usePatientStatement = (
  patientId: Parameters<typeof Billing.patientStatement>[0],
  options?: Billing.AsOf
) => useBillingQuery(() => Billing.patientStatement(patientId, options), [patientId, options?.asOf, options?.timeZone])

/** How reports name payers and clinicians: `Billing` rows carry ids; people read names. */
export interface Directory {
  readonly payers: ReadonlyMap<string, string>
  readonly clinicians: ReadonlyMap<string, string>
}

const everyName = <A extends { readonly id: string }, R>(
  list: (page: Store.PageRequest) => Effect.Effect<Store.Page<A>, Store.StoreError, R>,
  name: (a: A) => string
) => Effect.map(Store.everyPage(list), (items) => new Map(items.map((item) => [item.id, name(item)])))

/** The tenant's payer and clinician names, for labelling report rows. */
export const useDirectory = () =>
  useBillingQuery(
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        const [payers, clinicians] = yield* Effect.all(
          [
            everyName(store.payers.list, (payer) => payer.name),
            everyName(store.clinicians.list, (c) => `${c.firstName} ${c.lastName}, ${c.credential}`)
          ],
          { concurrency: 2 }
        )
        return { payers, clinicians } satisfies Directory
      }),
    []
  )
