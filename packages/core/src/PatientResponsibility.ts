/**
 * What the patient owes, before the claim: the algorithm of RULES.md §7, line by line and visit by visit with the
 * accumulators carried, in integer cents with half-up rounding. Deductible first, then coinsurance on what is
 * left, then the copay as the plan places it, all capped by the out-of-pocket maximum. The plan pays the rest of
 * the allowed amount (less Medicare's 2% sequestration, CO-253, which never changes the patient's share).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DateOfService } from "./DateOfService.js"
import * as MoneyModule from "./Money.js"
import { Money } from "./Money.js"
import { ProcedureCode } from "./RulePack.js"

/**
 * The plan design and where the accumulators stand, as the estimate's inputs (never hard-coded).
 *
 * @since 0.1.0
 */
export const PlanBenefits = Schema.Struct({
  deductibleRemaining: Money,
  /** Absent when the plan has no out-of-pocket maximum (Original Medicare). */
  outOfPocketRemaining: Schema.optional(Money),
  /** Coinsurance in basis points (2000 is 20%), after the deductible. */
  coinsuranceBps: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 10_000 }))),
  copay: Schema.optional(Money),
  /**
   * Where the copay sits: `after-deductible` (RULES.md §7: the deductible and coinsurance first, the copay on what
   * is left), `before-deductible` (the copay first; the deductible and coinsurance on the rest), or
   * `instead-of-deductible` (the copay and coinsurance only; this service skips the deductible).
   */
  copayTiming: Schema.optional(Schema.Literals(["after-deductible", "before-deductible", "instead-of-deductible"])),
  /** With `before-deductible`: whether the copay also counts toward the deductible. */
  copayCountsTowardDeductible: Schema.optional(Schema.Boolean),
  /** Medicare fee-for-service: 2% of the plan's payment is withheld (CO-253). */
  sequestration: Schema.optional(Schema.Boolean),
  /** A Qualified Medicare Beneficiary: no deductible, coinsurance or copay may be billed to the patient. */
  qualifiedMedicareBeneficiary: Schema.optional(Schema.Boolean)
}).annotate({ identifier: "PlanBenefits" })

/**
 * @since 0.1.0
 */
export type PlanBenefits = typeof PlanBenefits.Type

/**
 * @since 0.1.0
 */
export const EstimateRequest = Schema.Struct({
  benefits: PlanBenefits,
  visits: Schema.Array(
    Schema.Struct({
      dateOfService: DateOfService,
      lines: Schema.Array(Schema.Struct({ code: ProcedureCode, allowed: Money })).pipe(
        Schema.check(Schema.isMinLength(1))
      )
    })
  )
}).annotate({ identifier: "EstimateRequest", title: "A patient responsibility estimate request" })

/**
 * @since 0.1.0
 */
export type EstimateRequest = typeof EstimateRequest.Type

/**
 * One line's split of the allowed amount.
 *
 * @since 0.1.0
 */
export interface LineEstimate {
  readonly code: string
  readonly allowed: Money
  readonly deductible: Money
  readonly coinsurance: Money
  readonly copay: Money
  /** deductible + coinsurance + copay, after the out-of-pocket cap. */
  readonly patient: Money
  /** allowed − patient (− qmbProtected). */
  readonly plan: Money
  /** A Qualified Medicare Beneficiary's cost sharing, which no one may bill them for (Medicaid may pay it). */
  readonly qmbProtected: Money
  /** What the payer actually sends: plan less sequestration. */
  readonly payment: Money
  readonly sequestration: Money
  /** The accumulators after this line. */
  readonly deductibleRemaining: Money
  readonly outOfPocketRemaining: Money | undefined
}

/**
 * @since 0.1.0
 */
export interface Estimate {
  readonly visits: ReadonlyArray<{
    readonly dateOfService: DateOfService
    readonly lines: ReadonlyArray<LineEstimate>
    readonly patient: Money
    readonly plan: Money
  }>
  readonly patient: Money
  readonly plan: Money
  readonly payment: Money
  readonly allowed: Money
}

const zero = MoneyModule.zero
const { add, subtract, min, max, percentage, sum } = MoneyModule

/**
 * Estimates line by line, in visit order, carrying the deductible and out-of-pocket accumulators.
 *
 * @since 0.1.0
 */
export const estimate = (request: EstimateRequest): Estimate => {
  const b = request.benefits
  let deductibleRemaining = max(zero, b.deductibleRemaining)
  let oopRemaining = b.outOfPocketRemaining === undefined ? undefined : max(zero, b.outOfPocketRemaining)
  const timing = b.copayTiming ?? "after-deductible"
  const visits = request.visits.map((visit) => {
    const lines = visit.lines.map((line): LineEstimate => {
      const allowed = max(zero, line.allowed)
      let deductible = zero
      let coinsurance = zero
      let copay = zero
      if (timing === "after-deductible") {
        deductible = min(allowed, deductibleRemaining)
        coinsurance = percentage(subtract(allowed, deductible), b.coinsuranceBps)
        copay = b.copay === undefined ? zero : min(b.copay, subtract(subtract(allowed, deductible), coinsurance))
      } else if (timing === "before-deductible") {
        copay = b.copay === undefined ? zero : min(b.copay, allowed)
        const rest = subtract(allowed, copay)
        const deductibleLeft =
          b.copayCountsTowardDeductible === true ? max(zero, subtract(deductibleRemaining, copay)) : deductibleRemaining
        deductible = min(rest, deductibleLeft)
        coinsurance = percentage(subtract(rest, deductible), b.coinsuranceBps)
      } else {
        copay = b.copay === undefined ? zero : min(b.copay, allowed)
        coinsurance = min(percentage(subtract(allowed, copay), b.coinsuranceBps), subtract(allowed, copay))
      }
      // RULES.md §7: the deductible accumulator moves by the deductible applied, before the out-of-pocket cap.
      const deductibleApplied =
        timing === "before-deductible" && b.copayCountsTowardDeductible === true ? add(deductible, copay) : deductible
      // A QMB's cost sharing is never billed to them: the plan still pays only its share.
      let protectedAmount = zero
      if (b.qualifiedMedicareBeneficiary === true) {
        protectedAmount = add(add(deductible, coinsurance), copay)
        deductible = zero
        coinsurance = zero
        copay = zero
      }
      // The out-of-pocket cap lowers the last-applied parts first: the copay, then coinsurance, then deductible.
      let patient = add(add(deductible, coinsurance), copay)
      if (oopRemaining !== undefined && patient > oopRemaining) {
        let over = subtract(patient, oopRemaining)
        const cut = (part: Money): Money => {
          const take = min(part, over)
          over = subtract(over, take)
          return subtract(part, take)
        }
        copay = cut(copay)
        coinsurance = cut(coinsurance)
        deductible = cut(deductible)
        patient = oopRemaining
      }
      const plan = subtract(subtract(allowed, patient), protectedAmount)
      const sequestration = b.sequestration === true ? percentage(plan, 200) : zero
      deductibleRemaining = max(zero, subtract(deductibleRemaining, deductibleApplied))
      if (oopRemaining !== undefined) oopRemaining = subtract(oopRemaining, patient)
      return {
        code: line.code,
        allowed,
        deductible,
        coinsurance,
        copay,
        patient,
        plan,
        qmbProtected: protectedAmount,
        payment: subtract(plan, sequestration),
        sequestration,
        deductibleRemaining,
        outOfPocketRemaining: oopRemaining
      }
    })
    return {
      dateOfService: visit.dateOfService,
      lines,
      patient: sum(lines.map((l) => l.patient)),
      plan: sum(lines.map((l) => l.plan))
    }
  })
  const lines = visits.flatMap((v) => v.lines)
  return {
    visits,
    patient: sum(lines.map((l) => l.patient)),
    plan: sum(lines.map((l) => l.plan)),
    payment: sum(lines.map((l) => l.payment)),
    allowed: sum(lines.map((l) => l.allowed))
  }
}
