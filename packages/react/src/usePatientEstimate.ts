import { Billing, type Eligibility, Money, type PatientResponsibility } from "@openrcm/core"
import { Effect } from "effect"
import type * as Result from "./Result.js"
import { useBillingQuery } from "./useBillingEffect.js"

/**
 * A plan's design as an eligibility answer reports it, for an estimate: what remains of the deductible and the
 * out-of-pocket maximum, the coinsurance and the copay. What the 271 leaves out (where the copay sits) comes from
 * `design`; a deductible the payer did not report counts as met.
 */
export const benefitsFromEligibility = (
  summary: Eligibility.Summary,
  design: Omit<Partial<PatientResponsibility.PlanBenefits>, "deductibleRemaining" | "coinsuranceBps" | "copay"> = {}
): PatientResponsibility.PlanBenefits => ({
  ...design,
  deductibleRemaining: summary.deductible.remaining ?? Money.zero,
  coinsuranceBps: summary.coinsuranceBps ?? 0,
  ...(summary.outOfPocket.remaining === undefined ? {} : { outOfPocketRemaining: summary.outOfPocket.remaining }),
  ...(summary.copay === undefined ? {} : { copay: summary.copay })
})

export type PatientEstimateValue =
  | {
      readonly _tag: "Estimated"
      readonly benefits: PatientResponsibility.PlanBenefits
      readonly estimate: PatientResponsibility.Estimate
      /** The eligibility answer the benefits came from, when they did. */
      readonly eligibility: Billing.EligibilityCheck | undefined
    }
  /** The payer says the coverage is inactive, or did not answer: there is no plan share to estimate. */
  | { readonly _tag: "NotCovered"; readonly eligibility: Billing.EligibilityCheck }

export interface UsePatientEstimateOptions {
  /** The planned visits and each line's allowed amount (the contracted rate). Nothing is estimated without any. */
  readonly visits: PatientResponsibility.EstimateRequest["visits"] | undefined
  /** The plan's design and accumulators, when the host has them. */
  readonly benefits?: PatientResponsibility.PlanBenefits | undefined
  /** Otherwise, ask the payer (`Billing.checkEligibility`) and read them from the answer. */
  readonly eligibility?: Eligibility.EligibilityRequest | undefined
  /** What the eligibility answer does not say: where the copay sits, QMB, sequestration. */
  readonly design?: Parameters<typeof benefitsFromEligibility>[1] | undefined
}

export interface PatientEstimateState {
  /** `Success(undefined)` when nothing is planned (no visits, or neither benefits nor an eligibility request). */
  readonly result: Result.Result<PatientEstimateValue | undefined, unknown>
  readonly refresh: () => void
}

/**
 * The PatientEstimate's state, headless: `Billing.estimatePatientResponsibility` for the planned visits, with the
 * plan's benefits as given or read from the payer's eligibility answer.
 */
export function usePatientEstimate(options: UsePatientEstimateOptions): PatientEstimateState {
  const { visits, benefits, eligibility, design } = options
  const { result, refresh } = useBillingQuery(
    () =>
      Effect.gen(function* () {
        if (visits === undefined || visits.length === 0) return undefined
        if (benefits !== undefined) {
          const estimate = yield* Billing.estimatePatientResponsibility({ benefits, visits })
          return { _tag: "Estimated", benefits, estimate, eligibility: undefined } satisfies PatientEstimateValue
        }
        if (eligibility === undefined) return undefined
        const check = yield* Billing.checkEligibility(eligibility)
        if (check.summary.status !== "active")
          return { _tag: "NotCovered", eligibility: check } satisfies PatientEstimateValue
        const read = benefitsFromEligibility(check.summary, design)
        const estimate = yield* Billing.estimatePatientResponsibility({ benefits: read, visits })
        return { _tag: "Estimated", benefits: read, estimate, eligibility: check } satisfies PatientEstimateValue
      }),
    // Values, not identities: a host may build these inline on every render.
    [JSON.stringify(visits), JSON.stringify(benefits), JSON.stringify(eligibility), JSON.stringify(design)]
  )
  return { result, refresh }
}
