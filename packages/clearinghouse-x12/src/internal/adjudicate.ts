// The sandbox payer's adjudication: a claim read back from the 837, with what the payer knows besides (its rule
// pack, its contracted rates, the member's plan, the provider's credential), becomes an 835 claim that balances.
import {
  type Clearinghouse,
  Coverage,
  DateOfService,
  FeeSchedule,
  Money,
  PatientResponsibility,
  RulePack,
  type RuleSet
} from "@openrcm/core"
import type { Claim837 } from "@openrcm/x12"
import { claimFilingIndicator } from "../Batch837.js"
import type { Adjustment, PaidClaim, PaidLine } from "./writers.js"

type ClaimEnvelope = Clearinghouse.ClaimEnvelope

export interface Settings {
  readonly feeSchedules: ReadonlyArray<FeeSchedule.FeeSchedule>
  /** Allowed as a share of the charge, in basis points, when the payer has no contracted rate for the code. */
  readonly percentOfCharge: number
  readonly planFor: (envelope: ClaimEnvelope) => PatientResponsibility.PlanBenefits
}

export interface Input {
  readonly envelope: ClaimEnvelope
  /** The claim as the payer read it from the 837. */
  readonly read: Claim837.Claim837
  readonly rulesOn: (date: DateOfService.DateOfService) => RuleSet.RuleSet | undefined
  readonly received: DateOfService.DateOfService
  readonly payerClaimNumber: string
}

interface Denial {
  readonly group: Adjustment["group"]
  readonly carc: string
  readonly rarcs: ReadonlyArray<string>
}

interface Record {
  readonly memberKey: string
  readonly signature: string
  readonly claim: PaidClaim
  /** Dates and codes of the lines paid (or applied to the patient's share), for visits counted toward an authorization. */
  readonly visits: ReadonlyArray<{ readonly date: string; readonly code: string }>
  replaced: boolean
}

const telehealthPlaces = new Set(["02", "10"])

/** A date some months later; the day is clamped to the month's length (a Feb 29 + 12 months is Feb 28). */
const addMonths = (date: DateOfService.DateOfService, months: number): DateOfService.DateOfService => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number]
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : 30 + ((month + (month >> 3)) & 1)
  return DateOfService.make(
    `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, days)).padStart(2, "0")}`
  )
}

/** The last day a service may be received under a timely filing rule. */
export const filingDeadline = (
  date: DateOfService.DateOfService,
  rule: typeof RulePack.TimelyFiling.Type
): DateOfService.DateOfService =>
  "days" in rule ? DateOfService.addDays(date, rule.days) : addMonths(date, rule.months)

const knownCodesCache = new WeakMap<RuleSet.RuleSet, ReadonlySet<string>>()

/** Every procedure code a rule set names: the codes the payer knows. */
const knownCodes = (rules: RuleSet.RuleSet): ReadonlySet<string> => {
  const cached = knownCodesCache.get(rules)
  if (cached !== undefined) return cached
  const codes = new Set<string>(rules.emCodeSet)
  for (const { value: family } of rules.families.values()) {
    switch (family.kind) {
      case "tiered":
        for (const tier of [...family.tiers, ...(family.withEm ?? [])]) codes.add(tier.code)
        break
      case "primary-add-on":
        codes.add(family.primary.code)
        codes.add(family.addOn.code)
        break
      case "timed-units":
      case "untimed":
        codes.add(family.code)
        break
    }
  }
  for (const [addOn, primaries] of rules.addOns) {
    codes.add(addOn)
    for (const code of primaries.value) codes.add(code)
  }
  for (const code of rules.billableBy.keys()) codes.add(code)
  for (const code of rules.unitsPerDay.keys()) codes.add(code)
  if (rules.interactiveComplexity !== undefined) codes.add(rules.interactiveComplexity.value.code)
  for (const rule of rules.priorAuthorization.rules) for (const code of rule.codes) codes.add(code)
  for (const rule of rules.visitLimits.rules) for (const code of rule.codes) codes.add(code)
  for (const rule of rules.sameDayExclusions.rules) for (const code of rule.codes) codes.add(code)
  knownCodesCache.set(rules, codes)
  return codes
}

/**
 * For a claim with other payers (COB), what the last of them left to the patient on each line: its PR in 2430, or
 * its claim-level PR shared by the lines' charges when it adjudicated at claim level. `undefined` for a primary.
 */
const priorPatientShare = (data: Claim837.ClaimData): ReadonlyArray<Money.Money> | undefined => {
  const last = data.otherPayers?.at(-1)
  if (last === undefined) return undefined
  const pr = (adjustments: ReadonlyArray<Claim837.Adjustment>) =>
    adjustments.reduce((sum, a) => (a.group === "PR" ? sum + a.amount : sum), 0)
  const byLine = data.lines.map((line) =>
    (line.otherPayerAdjudication ?? []).filter((a) => a.payerId === last.payer.id)
  )
  if (byLine.some((adjudications) => adjudications.length > 0)) {
    return byLine.map((adjudications) => Money.cents(adjudications.reduce((sum, a) => sum + pr(a.adjustments), 0)))
  }
  const weights = data.lines.map((line) => Math.max(0, line.charge))
  if (weights.every((w) => w === 0)) return data.lines.map(() => Money.zero)
  return Money.allocate(Money.cents(Math.max(0, pr(last.adjustments))), weights)
}

const negate = (claim: PaidClaim): PaidClaim => ({
  ...claim,
  status: "22",
  charge: -claim.charge,
  paid: -claim.paid,
  patientResponsibility: -claim.patientResponsibility,
  lines: claim.lines.map((line) => ({
    ...line,
    charge: -line.charge,
    paid: -line.paid,
    adjustments: line.adjustments.map((a) => ({ ...a, amount: -a.amount })),
    allowed: line.allowed === undefined ? undefined : -line.allowed
  }))
})

/**
 * The payer: what it has adjudicated (for duplicates, replacements, voids and visit counts) and where each
 * member's deductible and out-of-pocket stand.
 */
export class Adjudicator {
  private readonly records: Array<Record> = []
  private readonly accumulators = new Map<string, { deductible: Money.Money; outOfPocket: Money.Money | undefined }>()

  constructor(private readonly settings: Settings) {}

  /** True when the payer issued this claim number (a replacement or void may refer to it). */
  knows(payerClaimNumber: string): boolean {
    return this.records.some((r) => r.claim.payerClaimNumber === payerClaimNumber && !r.replaced)
  }

  /** The 835 claims for one claim: a reversal of the claim it replaces or voids, then its own adjudication. */
  adjudicate(input: Input): Array<PaidClaim> {
    const { envelope, read } = input
    const data = read.claim
    const memberKey = `${read.payer.id}|${read.subscriber.memberId}`
    const out: Array<PaidClaim> = []
    if (data.frequency === "7" || data.frequency === "8") {
      const original = this.records.find(
        (r) => r.claim.payerClaimNumber === data.payerClaimControlNumber && !r.replaced
      )
      if (original !== undefined) {
        original.replaced = true
        out.push(negate(original.claim))
      }
      if (data.frequency === "8") return out
    }
    const signature = JSON.stringify([
      memberKey,
      data.renderingProvider?.npi,
      [...data.lines]
        .map((l) =>
          [l.code, l.modifiers.join(":"), l.units, l.charge, l.dateOfService, l.placeOfService ?? ""].join("|")
        )
        .sort()
    ])
    const duplicate =
      data.frequency === "1" &&
      this.records.some((r) => !r.replaced && r.memberKey === memberKey && r.signature === signature)
    const claimDenial: Denial | undefined = duplicate
      ? { group: "OA", carc: "18", rarcs: ["N522"] }
      : data.renderingProvider?.npi === envelope.billingProvider.npi
        ? { group: "CO", carc: "16", rarcs: ["N290"] }
        : undefined
    const plan = this.settings.planFor(envelope)
    const state = this.accumulators.get(memberKey) ?? {
      deductible: plan.deductibleRemaining,
      outOfPocket: plan.outOfPocketRemaining
    }
    const copaid = new Set<string>()
    const visits: Array<{ readonly date: string; readonly code: string }> = []
    const remaining = priorPatientShare(data)
    const lines = data.lines.map((line, i): PaidLine => {
      const date = DateOfService.make(line.dateOfService)
      const rules = input.rulesOn(date)
      const denial = claimDenial ?? this.lineDenial(input, line, date, rules, memberKey)
      const base = {
        code: line.code,
        modifiers: line.modifiers,
        charge: line.charge,
        units: line.units,
        dateOfService: line.dateOfService,
        controlNumber: line.lineControlNumber ?? String(i + 1)
      }
      if (denial !== undefined) {
        return {
          ...base,
          paid: 0,
          adjustments: [{ group: denial.group, reason: denial.carc, amount: line.charge }],
          allowed: undefined,
          remarks: denial.rarcs
        }
      }
      const rate = FeeSchedule.rateFor(
        this.settings.feeSchedules.filter((s) => s.payerId === envelope.payer.id),
        { payerId: envelope.payer.id, code: line.code, modifiers: line.modifiers, dateOfService: date }
      )
      const charge = Money.cents(line.charge)
      const contracted =
        rate === undefined
          ? Money.percentage(charge, this.settings.percentOfCharge)
          : Money.times(rate.amount, Math.ceil(line.units))
      // A secondary or tertiary payer allows what the prior payers left to the patient; the rest is theirs (OA-23).
      const prior = remaining?.[i]
      const allowed = Money.max(Money.zero, Money.min(prior ?? contracted, charge))
      const firstOfVisit = !copaid.has(line.dateOfService)
      copaid.add(line.dateOfService)
      const sequestration =
        plan.sequestration ?? (envelope.payer.kind._tag === "Medicare" && line.dateOfService >= "2022-07-01")
      const { copay: _copay, ...rest } = plan
      const estimate = PatientResponsibility.estimate({
        benefits: {
          ...rest,
          ...(firstOfVisit && plan.copay !== undefined ? { copay: plan.copay } : {}),
          deductibleRemaining: state.deductible,
          ...(state.outOfPocket === undefined ? {} : { outOfPocketRemaining: state.outOfPocket }),
          sequestration,
          // A QMB's protected share has no CAS of its own here: the sandbox bills it as usual.
          qualifiedMedicareBeneficiary: false
        },
        visits: [{ dateOfService: date, lines: [{ code: line.code, allowed }] }]
      })
      const split = estimate.visits[0]?.lines[0]
      if (split === undefined) throw new Error("adjudicate: the estimate has no line")
      state.deductible = split.deductibleRemaining
      state.outOfPocket = split.outOfPocketRemaining
      visits.push({ date: line.dateOfService, code: line.code })
      return {
        ...base,
        paid: split.payment,
        adjustments: [
          prior === undefined
            ? { group: "CO", reason: "45", amount: charge - allowed }
            : { group: "OA", reason: "23", amount: charge - allowed },
          { group: "CO", reason: "253", amount: split.sequestration },
          { group: "PR", reason: "1", amount: split.deductible },
          { group: "PR", reason: "2", amount: split.coinsurance },
          { group: "PR", reason: "3", amount: split.copay }
        ],
        allowed,
        remarks: []
      }
    })
    this.accumulators.set(memberKey, state)
    const paid = lines.reduce((s, l) => s + l.paid, 0)
    const patientResponsibility = lines.reduce(
      (s, l) => s + l.adjustments.filter((a) => a.group === "PR").reduce((t, a) => t + a.amount, 0),
      0
    )
    const claim: PaidClaim = {
      claimId: data.patientControlNumber,
      status: lines.every((l) => l.allowed === undefined) ? "4" : String(envelope.coverage.order),
      charge: data.totalCharge,
      paid,
      patientResponsibility,
      filingIndicator: claimFilingIndicator(envelope.payer.kind),
      payerClaimNumber: input.payerClaimNumber,
      placeOfService: data.placeOfService,
      frequency: data.frequency,
      patient: {
        last: (read.patient ?? read.subscriber).name.last,
        first: (read.patient ?? read.subscriber).name.first ?? "",
        memberId: read.subscriber.memberId
      },
      rendering: {
        last: data.renderingProvider?.name.last ?? envelope.rendering.lastName,
        first: data.renderingProvider?.name.first ?? envelope.rendering.firstName,
        npi: data.renderingProvider?.npi ?? envelope.rendering.npi
      },
      received: input.received.replaceAll("-", ""),
      lines
    }
    this.records.push({ memberKey, signature, claim, visits, replaced: false })
    out.push(claim)
    return out
  }

  private lineDenial(
    input: Input,
    line: Claim837.ServiceLine837,
    date: DateOfService.DateOfService,
    rules: RuleSet.RuleSet | undefined,
    memberKey: string
  ): Denial | undefined {
    if (rules === undefined) return undefined
    const { envelope, read } = input
    // Timely filing: received after the window from the date of service.
    if (rules.timelyFiling !== undefined && input.received > filingDeadline(date, rules.timelyFiling.value)) {
      return { group: "CO", carc: "29", rarcs: ["N211"] }
    }
    // A code the payer does not know (neither its rules nor its rates name it).
    const rated = this.settings.feeSchedules.some(
      (s) => s.payerId === envelope.payer.id && Object.keys(s.rates).some((k) => k.split(":")[0] === line.code)
    )
    if (!rated && !knownCodes(rules).has(line.code)) return { group: "CO", carc: "16", rarcs: ["M51"] }
    // The rendering clinician's credential may not bill the code.
    const billable = (rules.billableBy.get(line.code) ?? []).filter((r) => RulePack.isInForce(r.effective, date))
    if (billable.length > 0 && !billable.some((r) => r.credentials.has(envelope.rendering.credential))) {
      return { group: "CO", carc: "B7", rarcs: ["N95"] }
    }
    // Telehealth: the payer's rule for the place of service asks for a modifier the line does not carry.
    const place = line.placeOfService ?? read.claim.placeOfService
    if (telehealthPlaces.has(place)) {
      const mode = line.modifiers.includes("93") || line.modifiers.includes("FQ") ? "audio-only" : "video"
      const rule = rules.telehealth.rules.find(
        (r) =>
          r.mode === mode &&
          RulePack.isInForce(r.effective, date) &&
          (r.facilityTypes === undefined || r.facilityTypes.includes(envelope.billingProvider.facilityType)) &&
          (r.placeOfService.home === place || r.placeOfService.other === place)
      )
      if (rule !== undefined && rule.allowed !== false && !rule.modifiers.every((m) => line.modifiers.includes(m))) {
        return { group: "CO", carc: "4", rarcs: [] }
      }
    }
    // Prior authorization required for the code (from the first visit, or after some visits this plan year).
    if (read.claim.priorAuthorization === undefined && line.priorAuthorization === undefined) {
      const required = rules.priorAuthorization.rules.some((rule) => {
        if (!rule.codes.includes(line.code) || !RulePack.isInForce(rule.effective, date)) return false
        if (rule.afterVisits === undefined || rule.afterVisits === 0) return true
        const from = Coverage.planYearStartFor(envelope.coverage, date)
        const seen = new Set(
          this.records
            .filter((r) => !r.replaced && r.memberKey === memberKey)
            .flatMap((r) => r.visits)
            .filter((v) => rule.codes.includes(v.code) && v.date >= from && v.date < date)
            .map((v) => v.date)
        )
        return seen.size >= rule.afterVisits
      })
      if (required) return { group: "CO", carc: "197", rarcs: [] }
    }
    return undefined
  }
}
