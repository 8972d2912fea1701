/**
 * The coding engine: a session's facts and the rule set of its payer's chain → billable lines (code, units,
 * modifiers, place of service) or "not billable" with the reason, plus warnings, and for every line an
 * explanation that names the rule and pack that produced it. Pure and synchronous: it does lookups in a compiled
 * rule set and allocates little, because it runs for every session of every practice.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Credential } from "./Credential.js"
import { DateOfService } from "./DateOfService.js"
import * as PayerRules from "./internal/payerRules.js"
import { FacilityType } from "./Organization.js"
import { PlaceOfService, ProcedureCode, type ServiceFamily, type UnitRounding } from "./RulePack.js"
import type { Origin, RuleSet } from "./RuleSet.js"

const Minutes = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1440 })))

/**
 * How the service was delivered. For telehealth, where the patient was decides the place of service (10 at
 * home, 02 elsewhere); in person, the session's place of service is used (11, office, by default).
 *
 * @since 0.1.0
 */
export const Delivery = Schema.Union([
  Schema.Struct({ mode: Schema.Literal("in-person"), placeOfService: Schema.optional(PlaceOfService) }),
  Schema.Struct({ mode: Schema.Literals(["video", "audio-only"]), patientLocation: Schema.Literals(["home", "other"]) })
]).annotate({ identifier: "Delivery" })

/**
 * @since 0.1.0
 */
export type Delivery = typeof Delivery.Type

/**
 * What the engine needs to know of a session, for one patient. `minutes` is the service's own time (for
 * psychotherapy with an E/M, the psychotherapy time only: E/M time never counts toward it).
 *
 * @since 0.1.0
 */
export const CodingRequest = Schema.Struct({
  dateOfService: DateOfService,
  /** The id of the payer's rule pack, the most specific layer of its chain (`medicare`, `acme-health-hmo`). */
  rulePack: Schema.NonEmptyString,
  /** A service family of the chain: `psychotherapy`, `crisis`, `family-with-patient`, `bh-counseling`, ... */
  service: Schema.NonEmptyString,
  minutes: Minutes,
  /** An E/M billed the same session: its code when chosen by medical decision making, or its minutes. */
  em: Schema.optional(Schema.Struct({ code: Schema.optional(ProcedureCode), minutes: Schema.optional(Minutes) })),
  interactiveComplexity: Schema.optional(Schema.Boolean),
  delivery: Delivery,
  clinician: Schema.Struct({ credential: Credential }),
  facilityType: Schema.optional(FacilityType)
}).annotate({ identifier: "CodingRequest", title: "A session to code" })

/**
 * @since 0.1.0
 */
export type CodingRequest = typeof CodingRequest.Type

/**
 * Why a line has its code, units, modifier or place of service: the rule (JSON path) of the pack (`id@version`).
 *
 * @since 0.1.0
 */
export interface Explanation {
  readonly about: "code" | "units" | "modifier" | "place-of-service" | "credential"
  readonly text: string
  readonly pack: string
  readonly rule: string
}

/**
 * A billable service line as claims carry it: code, up to four modifiers, units, place of service.
 *
 * @since 0.1.0
 */
export const ServiceLine = Schema.Struct({
  code: ProcedureCode,
  modifiers: Schema.Array(
    Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Z0-9]{2}$/u, { expected: "a two-character modifier" })))
  ).pipe(Schema.check(Schema.isMaxLength(4))),
  units: Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1))),
  placeOfService: PlaceOfService,
  dateOfService: DateOfService
}).annotate({ identifier: "ServiceLine" })

/**
 * @since 0.1.0
 */
export type ServiceLine = typeof ServiceLine.Type

/**
 * @since 0.1.0
 */
export interface Line {
  readonly code: string
  readonly units: number
  readonly modifiers: ReadonlyArray<string>
  readonly placeOfService: string
  readonly role: "primary" | "add-on"
  /** For an add-on, the primary code it goes with. */
  readonly addOnTo?: string
  readonly explanations: ReadonlyArray<Explanation>
}

/**
 * @since 0.1.0
 */
export interface Warning {
  readonly code: string
  readonly text: string
  readonly pack?: string
  readonly rule?: string
}

/**
 * @since 0.1.0
 */
export type NotBillableReason =
  | "unknown-service"
  | "under-minimum"
  | "credential-not-allowed"
  | "mode-not-covered"
  | "em-level-required"
  | "em-not-allowed-with-service"

/**
 * @since 0.1.0
 */
export type CodingResult =
  | {
      readonly _tag: "Billable"
      readonly lines: ReadonlyArray<Line>
      readonly warnings: ReadonlyArray<Warning>
      readonly packs: ReadonlyArray<string>
    }
  | {
      readonly _tag: "NotBillable"
      readonly reason: NotBillableReason
      readonly text: string
      readonly pack?: string
      readonly rule?: string
      readonly warnings: ReadonlyArray<Warning>
      readonly packs: ReadonlyArray<string>
    }

interface MutableLine {
  code: string
  units: number
  modifiers: Array<string>
  placeOfService: string
  role: "primary" | "add-on"
  addOnTo?: string
  explanations: Array<Explanation>
}

/** A new line, before its place of service and modifiers. */
const newLine = (
  code: string,
  units: number,
  role: MutableLine["role"],
  explanations: Array<Explanation>,
  addOnTo?: string
): MutableLine =>
  addOnTo === undefined
    ? { code, units, modifiers: [], placeOfService: "", role, explanations }
    : { code, units, modifiers: [], placeOfService: "", role, addOnTo, explanations }

const explain = (about: Explanation["about"], text: string, origin: Origin): Explanation => ({
  about,
  text,
  pack: origin.pack,
  rule: origin.path
})

/**
 * Units of a timed code by a rounding strategy (RULES.md §1.2). For one code a session the CPT mid-point rule and
 * the CMS 8-minute table agree: a unit is attained once more than half of it has passed.
 *
 * @since 0.1.0
 */
export const unitsFor = (minutes: number, unitMinutes: number, rounding: UnitRounding): number => {
  switch (rounding) {
    case "cpt_midpoint":
    case "cms_8_minute": {
      const attained = Math.floor(unitMinutes / 2) + 1
      return minutes < attained ? 0 : Math.floor((minutes - attained) / unitMinutes) + 1
    }
    case "full_unit":
      return Math.floor(minutes / unitMinutes)
    case "up_to_unit":
      return Math.ceil(minutes / unitMinutes)
  }
}

const tierRange = (tiers: ReadonlyArray<{ readonly minMinutes: number }>, i: number): string => {
  const next = tiers[i + 1]
  const min = tiers[i]?.minMinutes ?? 0
  return next === undefined ? `${min}+` : `${min}–${next.minMinutes - 1}`
}

const notBillable = (
  reason: NotBillableReason,
  text: string,
  origin: Origin | undefined,
  warnings: ReadonlyArray<Warning>,
  ruleSet: RuleSet
): CodingResult => ({
  _tag: "NotBillable",
  reason,
  text,
  ...(origin === undefined ? {} : { pack: origin.pack, rule: origin.path }),
  warnings,
  packs: ruleSet.chain
})

/** Codes the service itself: the family's lines, or a reason it is not billable. */
const codeFamily = (
  family: ServiceFamily,
  origin: Origin,
  minutes: number,
  withEm: boolean,
  ruleSet: RuleSet,
  lines: Array<MutableLine>,
  warnings: Array<Warning>,
  depth: number
): CodingResult | undefined => {
  switch (family.kind) {
    case "tiered": {
      const tiers = withEm && family.withEm !== undefined ? family.withEm : family.tiers
      const tableName = tiers === family.tiers ? "tiers" : "withEm"
      let chosen = -1
      for (let i = 0; i < tiers.length; i++) if (minutes >= (tiers[i]?.minMinutes ?? Infinity)) chosen = i
      const lowest = tiers[0]?.minMinutes ?? 0
      if (chosen < 0) {
        const text = `${minutes} min of ${family.label} is under the ${lowest}-minute minimum`
        if (withEm) {
          warnings.push({
            code: "under-minimum",
            text: `${text}: the E/M is billed alone`,
            pack: origin.pack,
            rule: `${origin.path}.${tableName}[0]`
          })
          return undefined
        }
        return notBillable(
          "under-minimum",
          text,
          { pack: origin.pack, path: `${origin.path}.${tableName}[0]` },
          warnings,
          ruleSet
        )
      }
      const tier = tiers[chosen] as { minMinutes: number; code: string }
      const isAddOn = tableName === "withEm"
      lines.push(
        newLine(tier.code, 1, isAddOn ? "add-on" : "primary", [
          explain(
            "code",
            `${minutes} min of ${family.label} (${tierRange(tiers, chosen)}) → ${tier.code}${isAddOn ? " as an add-on to the E/M" : ""}`,
            { pack: origin.pack, path: `${origin.path}.${tableName}[${chosen}]` }
          )
        ])
      )
      return undefined
    }
    case "primary-add-on": {
      if (minutes < family.primary.minMinutes) {
        const fallback = family.belowMinimum === undefined ? undefined : ruleSet.families.get(family.belowMinimum)
        if (fallback !== undefined && depth < 4) {
          warnings.push({
            code: "below-family-minimum",
            text: `${minutes} min is under ${family.primary.code}'s ${family.primary.minMinutes}-minute minimum: coded as ${fallback.value.label}`,
            pack: origin.pack,
            rule: `${origin.path}.belowMinimum`
          })
          return codeFamily(fallback.value, fallback.origin, minutes, withEm, ruleSet, lines, warnings, depth + 1)
        }
        return notBillable(
          "under-minimum",
          `${minutes} min of ${family.label} is under the ${family.primary.minMinutes}-minute minimum of ${family.primary.code}`,
          { pack: origin.pack, path: `${origin.path}.primary.minMinutes` },
          warnings,
          ruleSet
        )
      }
      lines.push(
        newLine(family.primary.code, 1, "primary", [
          explain(
            "code",
            `${minutes} min of ${family.label} (${family.primary.minMinutes}+) → ${family.primary.code}`,
            {
              pack: origin.pack,
              path: `${origin.path}.primary`
            }
          )
        ])
      )
      const { addOn } = family
      if (minutes >= addOn.startsAt) {
        let units = Math.floor((minutes - addOn.startsAt) / addOn.every) + 1
        const origins = { pack: origin.pack, path: `${origin.path}.addOn` }
        const explanations = [
          explain(
            "units",
            `${minutes} min: ${addOn.code} from ${addOn.startsAt} min and one more unit every ${addOn.every} min → ${units}`,
            origins
          )
        ]
        if (addOn.maxUnits !== undefined && units > addOn.maxUnits) {
          units = addOn.maxUnits
          explanations.push(explain("units", `capped at ${addOn.maxUnits} units`, origins))
        }
        lines.push(newLine(addOn.code, units, "add-on", explanations, family.primary.code))
      }
      return undefined
    }
    case "timed-units": {
      const rounding = family.rounding ?? ruleSet.unitRounding.value
      const roundingOrigin =
        family.rounding === undefined
          ? ruleSet.unitRounding.origin
          : { pack: origin.pack, path: `${origin.path}.rounding` }
      const units = unitsFor(minutes, family.unitMinutes, rounding)
      if (units === 0) {
        return notBillable(
          "under-minimum",
          `${minutes} min of ${family.label} is less than one ${family.unitMinutes}-minute unit under ${rounding}`,
          roundingOrigin,
          warnings,
          ruleSet
        )
      }
      lines.push(
        newLine(family.code, units, "primary", [
          explain("code", `${family.label} → ${family.code}`, origin),
          explain(
            "units",
            `${minutes} min in ${family.unitMinutes}-minute units, ${rounding} → ${units}`,
            roundingOrigin
          )
        ])
      )
      return undefined
    }
    case "untimed": {
      lines.push(
        newLine(family.code, 1, "primary", [
          explain("code", `${family.label} (once a session, whatever its length) → ${family.code}`, origin)
        ])
      )
      return undefined
    }
  }
}

const emLine = (request: CodingRequest, ruleSet: RuleSet, warnings: Array<Warning>): MutableLine | CodingResult => {
  const em = request.em ?? {}
  const emCodes = ruleSet.emCodes
  if (emCodes === undefined) {
    return notBillable(
      "em-level-required",
      "the rule packs of this payer define no E/M codes",
      undefined,
      warnings,
      ruleSet
    )
  }
  if (ruleSet.emLevelSelection.value === "time" && em.code === undefined) {
    const byTime = emCodes.value.byTime ?? []
    const minutes = em.minutes ?? 0
    let chosen = -1
    for (let i = 0; i < byTime.length; i++) if (minutes >= (byTime[i]?.minMinutes ?? Infinity)) chosen = i
    const tier = byTime[chosen]
    if (tier === undefined) {
      return notBillable(
        "em-level-required",
        `${minutes} min of E/M does not meet the lowest E/M time`,
        { pack: emCodes.origin.pack, path: `${emCodes.origin.path}.byTime` },
        warnings,
        ruleSet
      )
    }
    return newLine(tier.code, 1, "primary", [
      explain("code", `${minutes} min of E/M time (${tierRange(byTime, chosen)}, met or exceeded) → ${tier.code}`, {
        pack: emCodes.origin.pack,
        path: `${emCodes.origin.path}.byTime[${chosen}]`
      }),
      explain("code", "E/M level chosen by time", ruleSet.emLevelSelection.origin)
    ])
  }
  if (em.code === undefined) {
    return notBillable(
      "em-level-required",
      "the E/M level is chosen by medical decision making: the session must name the E/M code",
      ruleSet.emLevelSelection.origin,
      warnings,
      ruleSet
    )
  }
  if (!ruleSet.emCodeSet.has(em.code)) {
    return notBillable(
      "em-level-required",
      `${em.code} is not an E/M code of this payer's packs`,
      emCodes.origin,
      warnings,
      ruleSet
    )
  }
  return newLine(em.code, 1, "primary", [
    explain("code", `E/M ${em.code}, chosen by medical decision making`, ruleSet.emLevelSelection.origin)
  ])
}

const credentialProblem = (
  lines: ReadonlyArray<MutableLine>,
  request: CodingRequest,
  ruleSet: RuleSet,
  warnings: ReadonlyArray<Warning>
): CodingResult | undefined => {
  const { credential } = request.clinician
  for (const line of lines) {
    const rules = ruleSet.billableBy.get(line.code)
    if (rules === undefined) continue
    const rule = PayerRules.billingRule(rules, credential, request.dateOfService)
    if (rule === undefined) continue
    if (!rule.credentials.has(credential)) {
      const note = rule.note === undefined ? "" : ` ${rule.note}`
      return notBillable(
        "credential-not-allowed",
        `${credential} may not bill ${line.code} on ${request.dateOfService}.${note}`,
        rule.origin,
        warnings,
        ruleSet
      )
    }
    line.explanations.push(explain("credential", `${credential} may bill ${line.code}`, rule.origin))
  }
  return undefined
}

/**
 * Codes one session for one patient under a rule set. Never throws: every outcome is a `CodingResult`.
 *
 * @since 0.1.0
 */
export const code = (request: CodingRequest, ruleSet: RuleSet): CodingResult => {
  const warnings: Array<Warning> = []
  const family = ruleSet.families.get(request.service)
  if (family === undefined) {
    return notBillable(
      "unknown-service",
      `no service family "${request.service}" in ${ruleSet.chain.join(" → ")}`,
      undefined,
      warnings,
      ruleSet
    )
  }
  const lines: Array<MutableLine> = []
  const withEm = request.em !== undefined
  if (withEm) {
    const combinable =
      (family.value.kind === "tiered" && family.value.withEm !== undefined) ||
      (family.value.kind === "primary-add-on" && family.value.belowMinimum !== undefined)
    if (!combinable) {
      return notBillable(
        "em-not-allowed-with-service",
        `an E/M is not combined with ${family.value.label} in one session`,
        family.origin,
        warnings,
        ruleSet
      )
    }
    const em = emLine(request, ruleSet, warnings)
    if ("_tag" in em) return em
    lines.push(em)
  }
  const failed = codeFamily(family.value, family.origin, request.minutes, withEm, ruleSet, lines, warnings, 0)
  if (failed !== undefined) return failed

  // Add-on psychotherapy codes go with the E/M line.
  if (withEm) {
    const emCode = lines[0]?.code
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as MutableLine
      if (line.role === "add-on" && line.addOnTo === undefined && emCode !== undefined) line.addOnTo = emCode
    }
  }

  if (request.interactiveComplexity === true) {
    const ic = ruleSet.interactiveComplexity
    let primary: string | undefined
    if (ic !== undefined) {
      for (const line of lines) {
        if (ic.value.allowedWith.includes(line.code)) {
          primary = line.code
          break
        }
      }
    }
    if (ic !== undefined && primary !== undefined) {
      lines.push(
        newLine(
          ic.value.code,
          1,
          "add-on",
          [explain("code", `interactive complexity with ${primary} → ${ic.value.code}`, ic.origin)],
          primary
        )
      )
    } else {
      warnings.push({
        code: "interactive-complexity-not-allowed",
        text: `interactive complexity cannot be reported with ${lines.map((l) => l.code).join(", ")}`,
        ...(ic === undefined ? {} : { pack: ic.origin.pack, rule: `${ic.origin.path}.allowedWith` })
      })
    }
  }

  const credential = credentialProblem(lines, request, ruleSet, warnings)
  if (credential !== undefined) return credential

  for (const line of lines) {
    const max = ruleSet.unitsPerDay.get(line.code)
    if (max !== undefined && line.units > max.value) {
      warnings.push({
        code: "units-per-day",
        text: `${line.code}: ${line.units} units exceed the ${max.value} allowed a day; billed ${max.value}`,
        pack: max.origin.pack,
        rule: max.origin.path
      })
      line.explanations.push(explain("units", `capped at ${max.value} units a day`, max.origin))
      line.units = max.value
    }
  }

  const placed = placeAndModify(request, ruleSet, lines, warnings)
  if (placed !== undefined) return placed

  return { _tag: "Billable", lines, warnings, packs: ruleSet.chain }
}

const placeAndModify = (
  request: CodingRequest,
  ruleSet: RuleSet,
  lines: Array<MutableLine>,
  warnings: Array<Warning>
): CodingResult | undefined => {
  const { delivery } = request
  const date = request.dateOfService
  // Credential modifiers first: they price the line; telehealth modifiers follow.
  const credentialModifiers = ruleSet.credentialModifiers
  const { credential } = request.clinician
  for (const line of lines) {
    for (let r = 0; r < credentialModifiers.rules.length; r++) {
      const rule = credentialModifiers.rules[r] as (typeof credentialModifiers.rules)[number]
      if (PayerRules.credentialModifierFor(rule, credential, line.code, date) !== "required") continue
      if (line.modifiers.includes(rule.modifier)) continue
      line.modifiers.push(rule.modifier)
      line.explanations.push(
        explain("modifier", `${credential} on ${line.code} → ${rule.modifier}`, {
          pack: credentialModifiers.pack,
          path: `$.credentialModifiers[${r}]`
        })
      )
    }
  }

  if (delivery.mode === "in-person") {
    const pos = PayerRules.placeOfServiceOf(delivery, undefined)
    for (const line of lines) {
      line.placeOfService = pos
      line.explanations.push({
        about: "place-of-service",
        text: `in person at place of service ${pos}${delivery.placeOfService === undefined ? " (office, the default)" : ""}`,
        pack: ruleSet.chain[0] ?? "",
        rule: "(session)"
      })
    }
  } else {
    const telehealth = ruleSet.telehealth
    const index = PayerRules.telehealthRuleIndex(telehealth.rules, delivery.mode, date, request.facilityType)
    const rule = telehealth.rules[index]
    const pos = PayerRules.placeOfServiceOf(delivery, rule)
    if (rule === undefined) {
      warnings.push({
        code: "no-telehealth-rule",
        text: `no ${delivery.mode} telehealth rule in force on ${date}: place of service ${pos}, no modifier`
      })
      for (const line of lines) line.placeOfService = pos
    } else {
      const origin = { pack: telehealth.pack, path: `$.telehealth[${index}]` }
      switch (PayerRules.telehealthGap(rule, delivery.patientLocation)) {
        case "mode-not-covered":
          return notBillable(
            "mode-not-covered",
            `${delivery.mode} telehealth is not covered on ${date}`,
            origin,
            warnings,
            ruleSet
          )
        case "patient-location":
          return notBillable(
            "mode-not-covered",
            `${delivery.mode} telehealth is covered only with the patient ${PayerRules.requiredWhere(rule)}`,
            { pack: origin.pack, path: `${origin.path}.patientLocations` },
            warnings,
            ruleSet
          )
      }
      for (const line of lines) {
        line.placeOfService = pos
        line.explanations.push(
          explain(
            "place-of-service",
            `${delivery.mode} with the patient ${PayerRules.patientWhere(delivery.patientLocation)} → POS ${pos}`,
            origin
          )
        )
        if (!PayerRules.telehealthCoversCode(rule, line.code)) {
          warnings.push({
            code: "telehealth-code-not-eligible",
            text: `${line.code} is not on the payer's list of codes for ${delivery.mode} telehealth`,
            pack: origin.pack,
            rule: `${origin.path}.codes`
          })
          continue
        }
        for (const modifier of rule.modifiers) {
          if (line.modifiers.includes(modifier)) continue
          line.modifiers.push(modifier)
          line.explanations.push(explain("modifier", `${delivery.mode} telehealth → ${modifier}`, origin))
        }
      }
    }
  }
  for (const line of lines) {
    if (line.modifiers.length > 4) {
      warnings.push({
        code: "too-many-modifiers",
        text: `${line.code} has ${line.modifiers.length} modifiers; a claim line takes 4`
      })
    }
  }
  return undefined
}

const signature = (result: CodingResult): string =>
  result._tag === "NotBillable" ? `!${result.reason}` : result.lines.map((l) => `${l.code}x${l.units}`).join(",")

/**
 * The next minute at which the session would code differently (another code, or another unit), looking up to
 * eight hours ahead, with what it would code then. What a clinician sees on the session timer.
 *
 * @since 0.1.0
 */
export const nextThreshold = (
  request: CodingRequest,
  ruleSet: RuleSet
): { readonly atMinutes: number; readonly inMinutes: number; readonly result: CodingResult } | undefined => {
  const now = signature(code(request, ruleSet))
  for (let minutes = request.minutes + 1; minutes <= Math.min(1440, request.minutes + 480); minutes++) {
    const result = code({ ...request, minutes }, ruleSet)
    if (signature(result) !== now) return { atMinutes: minutes, inMinutes: minutes - request.minutes, result }
  }
  return undefined
}

/**
 * A coding result as text for people: each line with its explanations, then the warnings.
 *
 * @since 0.1.0
 */
export const describe = (result: CodingResult): string => {
  const out: Array<string> = []
  if (result._tag === "NotBillable") {
    out.push(`Not billable (${result.reason}): ${result.text}`)
    if (result.pack !== undefined) out.push(`  rule ${result.rule} of ${result.pack}`)
  } else {
    for (const line of result.lines) {
      const modifiers = line.modifiers.length > 0 ? `:${line.modifiers.join(":")}` : ""
      const addOn = line.addOnTo === undefined ? "" : ` (add-on to ${line.addOnTo})`
      out.push(`${line.code}${modifiers} × ${line.units} at POS ${line.placeOfService}${addOn}`)
      for (const e of line.explanations) out.push(`  ${e.about}: ${e.text} [${e.pack} ${e.rule}]`)
    }
  }
  for (const w of result.warnings) out.push(`warning (${w.code}): ${w.text}${w.pack ? ` [${w.pack} ${w.rule}]` : ""}`)
  out.push(`packs: ${result.packs.join(" → ")}`)
  return out.join("\n")
}
