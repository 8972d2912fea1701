/**
 * The claim scrubber: every edit of the payer's rule packs, run on a claim before it is submitted. Same-day code
 * pairs, more than one time-based code of a family a day, add-ons without their primary, units per day, a time-based
 * code billed for fewer minutes than its minimum (when the host gives the session's minutes), who may
 * bill the code and the credential modifier it needs, telehealth place of service and modifiers, diagnoses invalid
 * on the date of service or not specific enough, pointers to no diagnosis, authorizations, timely filing,
 * duplicates of claims already sent, coverage dates, member id and date-of-birth data, NPI check digits, taxonomy
 * codes and replacement claims without the payer's claim number. Each finding has a severity (an error blocks
 * submission, a warning does not; a pack may change it or turn the edit off), the denial the payer would likely
 * send, a message without PHI, the rule and pack it came from, and, when the fix is certain, a `Fix` that
 * `applyFix` applies. Pure and synchronous: it reads plain data the caller prepares once per batch, and lookup
 * tables compiled once per rule set.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Authorization from "./Authorization.js"
import { Claim, type Line } from "./Claim.js"
import type { Clinician } from "./Clinician.js"
import { type Delivery, unitsFor } from "./Coding.js"
import { Coverage } from "./Coverage.js"
import * as DateOfService from "./DateOfService.js"
import * as Diagnosis from "./Diagnosis.js"
import type { ClaimId, ClinicianId, PayerId } from "./Ids.js"
import * as PayerRules from "./internal/payerRules.js"
import * as Money from "./Money.js"
import * as Npi from "./Npi.js"
import { type Organization, Taxonomy } from "./Organization.js"
import type { Patient } from "./Patient.js"
import {
  type CredentialModifier,
  type Denial,
  isInForce,
  Modifier,
  PlaceOfService,
  type SameDayExclusion,
  type ScrubEdit,
  scrubEdits,
  type UnitRounding
} from "./RulePack.js"
import type { Origin, RuleSet } from "./RuleSet.js"

/**
 * A stable edit id, as findings, claim events and a pack's `scrub` section name it.
 *
 * @since 0.1.0
 */
export type EditId = ScrubEdit

/**
 * Every edit id.
 *
 * @since 0.1.0
 */
export const edits: ReadonlyArray<EditId> = scrubEdits

/**
 * An error blocks submission; a warning does not.
 *
 * @since 0.1.0
 */
export type Severity = "error" | "warning"

const LineIndex = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 49 })))

/**
 * A certain fix: applying it makes its finding go away. Line numbers are 0-based positions in the claim's lines.
 *
 * @since 0.1.0
 */
export const Fix = Schema.Union([
  Schema.TaggedStruct("AddModifier", { line: LineIndex, modifier: Modifier }),
  Schema.TaggedStruct("RemoveModifier", { line: LineIndex, modifier: Modifier }),
  Schema.TaggedStruct("ReplaceModifier", { line: LineIndex, from: Modifier, to: Modifier }),
  /** One line's place of service, or, without `line`, the claim's and every line's. */
  Schema.TaggedStruct("SetPlaceOfService", { line: Schema.optional(LineIndex), placeOfService: PlaceOfService }),
  /** Offered only when the line's charge is a whole number of cents per unit, so the new charge is exact. */
  Schema.TaggedStruct("SetUnits", {
    line: LineIndex,
    units: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 9999 })))
  }),
  Schema.TaggedStruct("SetPointers", {
    line: LineIndex,
    pointers: Schema.Array(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 12 })))).pipe(
      Schema.check(Schema.isMinLength(1), Schema.isMaxLength(4))
    )
  }),
  /** The number of the authorization that covers the claim (2300 REF*G1). */
  Schema.TaggedStruct("SetPriorAuthorization", { number: Schema.NonEmptyString })
]).annotate({ identifier: "ScrubFix" })

/**
 * @since 0.1.0
 */
export type Fix = typeof Fix.Type

/**
 * One problem found on a claim. `message` and `suggestion` are plain language and carry no PHI: no name, date of
 * birth, member id, date of service, authorization number or diagnosis code (procedure codes, modifiers, places of
 * service and credentials are fine). `source` names the rule and pack the edit came from (`openrcm` for the
 * engine's own edits); `severityFrom` names the pack setting that changed the edit's default severity.
 *
 * @since 0.1.0
 */
export interface Finding {
  readonly edit: EditId
  readonly severity: Severity
  /** The 0-based line, for a line's finding. */
  readonly line?: number
  /** The denial the payer would likely send. */
  readonly denial: Denial
  readonly message: string
  readonly suggestion: string
  readonly source: Origin
  readonly severityFrom?: Origin
  readonly fix?: Fix
}

/**
 * @since 0.1.0
 */
export interface ScrubResult {
  readonly findings: ReadonlyArray<Finding>
  /** True when a finding is an error: the claim must not be submitted as it is. */
  readonly blocking: boolean
}

/**
 * What the scrubber knows of a line beyond the claim, from the session it was coded from (claim lines do not carry
 * it): how the session was delivered, and its minutes of service (`Session.minutesAt(...).service`: the
 * psychotherapy or service time, not the E/M's), which the `minutes-below-minimum` edit compares with the time-based
 * code's minimum.
 *
 * @since 0.1.0
 */
export interface LineFacts {
  readonly delivery?: Delivery
  readonly minutes?: number
}

/**
 * The patient's authorizations with this payer and their ledger, as `Authorization.check` takes them.
 * `priorVisits` counts the visits already in the limit's period, for "authorization after N visits" rules.
 *
 * @since 0.1.0
 */
export interface AuthorizationFacts {
  readonly authorizations: ReadonlyArray<Authorization.Authorization>
  readonly ledger: ReadonlyArray<Authorization.LedgerEntry>
  readonly priorVisits?: number
}

/**
 * A line of a claim already sent, as the duplicate edits compare it (`modifiers` sorted and joined by ':').
 *
 * @since 0.1.0
 */
export interface SentLine {
  readonly claimId: ClaimId
  readonly payerId: PayerId
  readonly code: string
  readonly modifiers: string
  readonly units: number
  readonly renderingClinicianId: ClinicianId
}

/**
 * The lines of claims already sent, by patient then date of service: a claim's duplicates are found with two
 * lookups of strings it already holds, without building a key. Build it with `sentIndex` from the claims the
 * payers have (submitted and later, voids left out).
 *
 * @since 0.1.0
 */
export interface SentIndex {
  readonly byPatient: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<SentLine>>>
}

/**
 * What one claim is scrubbed against: plain data, loaded once per batch. An edit whose data is absent is skipped
 * (no rendering clinician: no credential edits; no delivery: telehealth place of service is not checked; no
 * minutes in `lines`: time-based codes are not checked against their minimum), except
 * authorizations: without `authorizations` a claim that needs one and names none is `authorization-missing`.
 *
 * @since 0.1.0
 */
export interface ScrubContext {
  /** The compiled rule set of the payer's chain in force on a date of service. */
  readonly ruleSets: (payerId: PayerId, dateOfService: DateOfService.DateOfService) => RuleSet
  /** Today, the day the claim would be sent: timely filing counts to it. */
  readonly asOf: DateOfService.DateOfService
  readonly patient?: Patient
  readonly coverage?: Coverage
  readonly billingProvider?: Organization
  readonly rendering?: Clinician
  readonly supervising?: Clinician
  /** How the claim's sessions were delivered, unless a line says otherwise in `lines`. */
  readonly delivery?: Delivery
  /** Facts by line, in the claim's line order. */
  readonly lines?: ReadonlyArray<LineFacts | undefined>
  readonly authorizations?: AuthorizationFacts
  readonly sent?: SentIndex
}

// ---------------------------------------------------------------------------------------------------------------
// Defaults: severity, denial and where the edit comes from when no pack rule names it.

interface EditDefault {
  readonly severity: Severity
  readonly denial: Denial
  readonly source: Origin
}

const openrcm = (path: string): Origin => ({ pack: "openrcm", path })

const defaults: { readonly [E in EditId]: EditDefault } = {
  "same-day-pair": {
    severity: "error",
    denial: { group: "CO", carc: "97" },
    source: openrcm("RULES.md §6 row 2")
  },
  "same-day-family": {
    severity: "error",
    denial: { group: "CO", carc: "97", rarc: "M80" },
    source: openrcm("RULES.md §6 row 3")
  },
  "add-on-without-primary": {
    severity: "error",
    denial: { group: "CO", carc: "107" },
    source: openrcm("RULES.md §6 row 1")
  },
  "units-per-day": {
    severity: "error",
    denial: { group: "CO", carc: "151", rarc: "N362" },
    source: openrcm("RULES.md §6 row 3")
  },
  // CARC 150: "the information submitted does not support this level of service" (on audit; RULES.md §6 row 4).
  "minutes-below-minimum": {
    severity: "error",
    denial: { group: "CO", carc: "150" },
    source: openrcm("RULES.md §1, §6 row 4")
  },
  "credential-not-allowed": {
    severity: "error",
    denial: { group: "CO", carc: "170", rarc: "N95" },
    source: openrcm("RULES.md §6 row 12")
  },
  "credential-modifier": {
    severity: "error",
    denial: { group: "CO", carc: "4" },
    source: openrcm("RULES.md §2.2, §6 row 9")
  },
  "telehealth-not-covered": {
    severity: "error",
    denial: { group: "CO", carc: "96", rarc: "N130" },
    source: openrcm("RULES.md §2.1, §6 row 16")
  },
  "telehealth-pos": {
    severity: "error",
    denial: { group: "CO", carc: "5", rarc: "M77" },
    source: openrcm("RULES.md §3")
  },
  "telehealth-modifier": {
    severity: "error",
    denial: { group: "CO", carc: "4" },
    source: openrcm("RULES.md §2.1, §6 rows 9 and 23")
  },
  "diagnosis-invalid-on-dos": {
    severity: "error",
    denial: { group: "CO", carc: "146" },
    source: openrcm("Diagnosis.check (RULES.md §6 row 6)")
  },
  "diagnosis-not-specific": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "M81" },
    source: openrcm("Diagnosis.check (RULES.md §6 row 5)")
  },
  "z-code-primary": {
    severity: "warning",
    denial: { group: "CO", carc: "11" },
    source: openrcm("RULES.md §6 notes (Z-code primary diagnosis)")
  },
  "pointer-to-nothing": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "M76" },
    source: openrcm("RULES.md §6 row 7")
  },
  "authorization-missing": {
    severity: "error",
    denial: { group: "CO", carc: "197" },
    source: openrcm("RULES.md §5.2, §6 row 13")
  },
  "authorization-expired": {
    severity: "error",
    denial: { group: "CO", carc: "197" },
    source: openrcm("RULES.md §5.2, §6 row 13")
  },
  "authorization-exhausted": {
    severity: "error",
    denial: { group: "CO", carc: "198" },
    source: openrcm("RULES.md §5.2, §6 row 13")
  },
  // CARC 15 ("authorization number missing, invalid, or does not apply") is deactivated in data/carc.json.
  "authorization-not-applicable": {
    severity: "error",
    denial: { group: "CO", carc: "197", rarc: "M62" },
    source: openrcm("RULES.md §5.2, §6 row 13")
  },
  "authorization-number": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "M62" },
    source: openrcm("RULES.md §5.1 (2300 REF*G1), §6 row 13")
  },
  "timely-filing": {
    severity: "error",
    denial: { group: "CO", carc: "29", rarc: "N211" },
    source: openrcm("RULES.md §6 row 10")
  },
  duplicate: {
    severity: "error",
    denial: { group: "OA", carc: "18", rarc: "N522" },
    source: openrcm("RULES.md §6 row 11")
  },
  "possible-duplicate": {
    severity: "warning",
    denial: { group: "CO", carc: "97", rarc: "N111" },
    source: openrcm("RULES.md §6 row 11")
  },
  "coverage-inactive": {
    severity: "error",
    denial: { group: "CO", carc: "27" },
    source: openrcm("RULES.md §5.2 item 6, §6 row 17")
  },
  "member-id-format": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "N382" },
    source: openrcm("Coverage.memberId")
  },
  "date-of-birth": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "N329" },
    source: openrcm("Patient.dateOfBirth")
  },
  "npi-check-digit": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "N290" },
    source: openrcm("Npi.isValid (RULES.md §6 row 18)")
  },
  taxonomy: {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "N255" },
    source: openrcm("Organization.Taxonomy (NUCC format)")
  },
  "billing-provider-zip": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "N258" },
    source: openrcm("005010X222A1 2010AA N403 (the billing provider's ZIP code has nine digits)")
  },
  "replacement-without-f8": {
    severity: "error",
    denial: { group: "CO", carc: "16", rarc: "M47" },
    source: openrcm("RULES.md §6 row 19, §8")
  }
}

/**
 * The default severity, denial and source of every edit, before any pack changes them.
 *
 * @since 0.1.0
 */
export const editDefaults: { readonly [E in EditId]: EditDefault } = defaults

// RULES.md §2.1 and §3: the telehealth modifiers and places of service, whatever the payer.
const telehealthModifierDomain: ReadonlyArray<string> = ["95", "93", "FQ", "GT", "GQ"]
const isTelehealthPos = (pos: string): boolean => pos === "02" || pos === "10"

// ---------------------------------------------------------------------------------------------------------------
// Lookup tables, compiled once per rule set and cached.

/** A rule of a list section, with its index there for its origin. */
interface Indexed<R> {
  readonly index: number
  readonly rule: R
}

type PairRule = Indexed<typeof SameDayExclusion.Type>
type CredentialModifierRule = Indexed<typeof CredentialModifier.Type>

interface Family {
  readonly key: string
  readonly label: string
  readonly origin: Origin
}

/** Everything the rule set says about one code, gathered on first sight: one lookup a line. */
interface CodeInfo {
  readonly addOn: RuleSet["addOns"] extends ReadonlyMap<string, infer V> ? V | undefined : never
  readonly unitsPerDay: RuleSet["unitsPerDay"] extends ReadonlyMap<string, infer V> ? V | undefined : never
  /** Same-day exclusions where this code is the column-2 code (the one denied). */
  readonly pairs: ReadonlyArray<PairRule> | undefined
  readonly family: Family | undefined
  readonly billableBy: RuleSet["billableBy"] extends ReadonlyMap<string, infer V> ? V | undefined : never
  /** The credential modifier rules that cover this code (those that name it, and those for every code). */
  readonly credentialModifiers: ReadonlyArray<CredentialModifierRule> | undefined
  readonly priorAuthorization: boolean
  /** What the code needs of the session's minutes, by each family of the rule set that bills it. */
  readonly time: ReadonlyArray<TimeRule> | undefined
}

/**
 * What a time-based code needs of a session's minutes, from a family of the rule set: a tier's or a primary's
 * minimum (`at-least`, with the tier table for a lower code that fits), an add-on's start and step (`add-on`), or a
 * timed code's unit and rounding (`units`).
 */
type TimeRule =
  | {
      readonly kind: "at-least"
      readonly minutes: number
      readonly label: string
      readonly origin: Origin
      readonly tiers?: ReadonlyArray<{ readonly minMinutes: number; readonly code: string }>
    }
  | {
      readonly kind: "add-on"
      readonly startsAt: number
      readonly every: number
      readonly label: string
      readonly origin: Origin
    }
  | {
      readonly kind: "units"
      readonly unitMinutes: number
      readonly rounding: UnitRounding
      readonly label: string
      readonly origin: Origin
    }

interface Tables {
  readonly severity: { readonly [E in EditId]: Severity | "off" }
  readonly severityFrom: { readonly [E in EditId]?: Origin }
  readonly denial: { readonly [E in EditId]: Denial }
  readonly denialOverridden: { readonly [E in EditId]?: true }
  /** Same-day exclusions by their column-2 code (the code denied). */
  readonly pairsByColumn2: ReadonlyMap<string, ReadonlyArray<PairRule>>
  /** Same-day exclusions by one code then the other, both orders. */
  readonly pairsByCodes: ReadonlyMap<string, ReadonlyMap<string, ReadonlyArray<PairRule>>>
  /** The tiered (one code a session) family of each of its codes. */
  readonly families: ReadonlyMap<string, Family>
  readonly telehealthModifiers: ReadonlySet<string>
  readonly priorAuthorizationCodes: ReadonlySet<string>
  readonly memberId: { readonly pattern: RegExp; readonly expected: string; readonly origin: Origin } | undefined
  readonly codes: Map<string, CodeInfo>
  /** Caches: the last day to file for a date of service; diagnosis checks by date then code. */
  readonly deadlines: Map<string, string>
  readonly diagnoses: Map<string, Map<string, Diagnosis.Check>>
}

const cacheLimit = 4096
const tablesByRuleSet = new WeakMap<RuleSet, Tables>()

const tablesOf = (ruleSet: RuleSet): Tables => {
  const cached = tablesByRuleSet.get(ruleSet)
  if (cached !== undefined) return cached
  const tables = compileTables(ruleSet)
  tablesByRuleSet.set(ruleSet, tables)
  return tables
}

const pushTo = <K, V>(map: Map<K, Array<V>>, key: K, value: V) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

const compileTables = (ruleSet: RuleSet): Tables => {
  const severity = {} as { [E in EditId]: Severity | "off" }
  const severityFrom: { [E in EditId]?: Origin } = {}
  const denial = {} as { [E in EditId]: Denial }
  const denialOverridden: { [E in EditId]?: true } = {}
  for (const edit of scrubEdits) {
    const setting = ruleSet.scrub.severities.get(edit)
    severity[edit] = setting?.value ?? defaults[edit].severity
    if (setting !== undefined) severityFrom[edit] = setting.origin
    const override = ruleSet.scrub.denials.get(edit)
    denial[edit] = override?.value ?? defaults[edit].denial
    if (override !== undefined) denialOverridden[edit] = true
  }
  const pairsByColumn2 = new Map<string, Array<PairRule>>()
  const pairsByCodes = new Map<string, Map<string, Array<PairRule>>>()
  const pairTo = (a: string, b: string, entry: PairRule) => {
    let byOther = pairsByCodes.get(a)
    if (byOther === undefined) {
      byOther = new Map()
      pairsByCodes.set(a, byOther)
    }
    pushTo(byOther, b, entry)
  }
  ruleSet.sameDayExclusions.rules.forEach((rule, index) => {
    const entry = { index, rule }
    pushTo(pairsByColumn2, rule.codes[1], entry)
    pairTo(rule.codes[0], rule.codes[1], entry)
    pairTo(rule.codes[1], rule.codes[0], entry)
  })
  const families = new Map<string, Family>()
  for (const [key, sourced] of ruleSet.families) {
    const family = sourced.value
    if (family.kind !== "tiered") continue
    const entry = { key, label: family.label, origin: sourced.origin }
    for (const tier of family.tiers) families.set(tier.code, entry)
    for (const tier of family.withEm ?? []) families.set(tier.code, entry)
  }
  const telehealthModifiers = new Set(telehealthModifierDomain)
  for (const rule of ruleSet.telehealth.rules) for (const modifier of rule.modifiers) telehealthModifiers.add(modifier)
  const priorAuthorizationCodes = new Set<string>()
  for (const rule of ruleSet.priorAuthorization.rules) for (const code of rule.codes) priorAuthorizationCodes.add(code)
  const memberIdRule = ruleSet.scrub.memberId
  return {
    severity,
    severityFrom,
    denial,
    denialOverridden,
    pairsByColumn2,
    pairsByCodes,
    families,
    telehealthModifiers,
    priorAuthorizationCodes,
    // `RulePack.validate` checked that the pattern compiles.
    memberId:
      memberIdRule === undefined
        ? undefined
        : {
            pattern: new RegExp(memberIdRule.value.pattern, "u"),
            expected: memberIdRule.value.expected,
            origin: memberIdRule.origin
          },
    codes: new Map(),
    deadlines: new Map(),
    diagnoses: new Map()
  }
}

const codeInfo = (tables: Tables, ruleSet: RuleSet, code: string): CodeInfo =>
  tables.codes.get(code) ?? compileCodeInfo(tables, ruleSet, code)

// Apart from `codeInfo`: the closure here would cost every lookup a context.
const compileCodeInfo = (tables: Tables, ruleSet: RuleSet, code: string): CodeInfo => {
  let credentialModifiers: Array<CredentialModifierRule> | undefined
  ruleSet.credentialModifiers.rules.forEach((rule, index) => {
    if (!PayerRules.credentialModifierCovers(rule, code)) return
    credentialModifiers ??= []
    credentialModifiers.push({ index, rule })
  })
  const info: CodeInfo = {
    addOn: ruleSet.addOns.get(code),
    unitsPerDay: ruleSet.unitsPerDay.get(code),
    pairs: tables.pairsByColumn2.get(code),
    family: tables.families.get(code),
    billableBy: ruleSet.billableBy.get(code),
    credentialModifiers,
    priorAuthorization: tables.priorAuthorizationCodes.has(code),
    time: timeRules(ruleSet, code)
  }
  // Codes come from claims, which are checked: the map stays as small as the code set.
  if (tables.codes.size >= cacheLimit) tables.codes.clear()
  tables.codes.set(code, info)
  return info
}

/** Every family of the rule set that bills `code` by time, and what it needs of the minutes. */
const timeRules = (ruleSet: RuleSet, code: string): ReadonlyArray<TimeRule> | undefined => {
  let rules: Array<TimeRule> | undefined
  const add = (rule: TimeRule) => {
    rules ??= []
    rules.push(rule)
  }
  for (const [, { value: family, origin }] of ruleSet.families) {
    const { label } = family
    switch (family.kind) {
      case "tiered":
        for (const table of ["tiers", "withEm"] as const) {
          const tiers = family[table] ?? []
          tiers.forEach((tier, k) => {
            if (tier.code !== code) return
            const at = { pack: origin.pack, path: `${origin.path}.${table}[${k}].minMinutes` }
            add({ kind: "at-least", minutes: tier.minMinutes, label, origin: at, tiers })
          })
        }
        break
      case "primary-add-on":
        if (family.primary.code === code) {
          const at = { pack: origin.pack, path: `${origin.path}.primary.minMinutes` }
          add({ kind: "at-least", minutes: family.primary.minMinutes, label, origin: at })
        }
        if (family.addOn.code === code) {
          const { startsAt, every } = family.addOn
          add({ kind: "add-on", startsAt, every, label, origin: { pack: origin.pack, path: `${origin.path}.addOn` } })
        }
        break
      case "timed-units":
        if (family.code === code) {
          const rounding = family.rounding ?? ruleSet.unitRounding.value
          add({ kind: "units", unitMinutes: family.unitMinutes, rounding, label, origin })
        }
    }
  }
  return rules
}

/** The fewest minutes a rule lets a line of `units` be billed for (as `Coding` codes the minutes). */
const minimumMinutes = (rule: TimeRule, units: number): number => {
  switch (rule.kind) {
    case "at-least":
      return rule.minutes
    case "add-on":
      return rule.startsAt + (units - 1) * rule.every
    case "units": {
      const { unitMinutes } = rule
      switch (rule.rounding) {
        case "cpt_midpoint":
        case "cms_8_minute":
          return Math.floor(unitMinutes / 2) + 1 + (units - 1) * unitMinutes
        case "full_unit":
          return units * unitMinutes
        case "up_to_unit":
          return (units - 1) * unitMinutes + 1
      }
    }
  }
}

/** The units a rule gives the minutes (undefined for a code billed once). */
const unitsSupported = (rule: TimeRule, minutes: number): number | undefined =>
  rule.kind === "add-on"
    ? minutes < rule.startsAt
      ? 0
      : Math.floor((minutes - rule.startsAt) / rule.every) + 1
    : rule.kind === "units"
      ? unitsFor(minutes, rule.unitMinutes, rule.rounding)
      : undefined

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

/**
 * The last day a claim for a date of service may reach the payer: `months` after it (the same day of the month,
 * or the month's last day: a Feb-29 service with 12 months is due by Feb-28), or `days` after it. Both inclusive.
 *
 * @since 0.1.0
 */
export const lastDayToFile = (
  dateOfService: DateOfService.DateOfService,
  limit: { readonly months: number } | { readonly days: number }
): DateOfService.DateOfService => {
  if ("days" in limit) return DateOfService.addDays(dateOfService, limit.days)
  const year = Number(dateOfService.slice(0, 4))
  const month0 = Number(dateOfService.slice(5, 7)) - 1 + limit.months
  const y = year + Math.floor(month0 / 12)
  const m = (month0 % 12) + 1
  const d = Math.min(Number(dateOfService.slice(8, 10)), daysInMonth(y, m))
  return `${y}-${pad2(m)}-${pad2(d)}` as DateOfService.DateOfService
}

const deadlineFor = (tables: Tables, ruleSet: RuleSet, dateOfService: DateOfService.DateOfService): string => {
  let deadline = tables.deadlines.get(dateOfService)
  if (deadline === undefined) {
    const limit = ruleSet.timelyFiling?.value
    deadline = limit === undefined ? "9999-12-31" : lastDayToFile(dateOfService, limit)
    if (tables.deadlines.size >= cacheLimit) tables.deadlines.clear()
    tables.deadlines.set(dateOfService, deadline)
  }
  return deadline
}

const diagnosisCheck = (tables: Tables, code: string, dateOfService: DateOfService.DateOfService): Diagnosis.Check => {
  let byCode = tables.diagnoses.get(dateOfService)
  if (byCode === undefined) {
    if (tables.diagnoses.size >= cacheLimit) tables.diagnoses.clear()
    byCode = new Map()
    tables.diagnoses.set(dateOfService, byCode)
  }
  let check = byCode.get(code)
  if (check === undefined) {
    check = Diagnosis.check(code, dateOfService)
    byCode.set(code, check)
  }
  return check
}

// Checks of a clinician, organization, patient or coverage that do not depend on the claim, once per object.
const checked = 1
const npiInvalid = 2
const taxonomyInvalid = 4
const dateOfBirthInvalid = 8
const memberIdInvalid = 16
const subscriberDateOfBirthInvalid = 32
const entityFlags = new WeakMap<object, number>()
const isTaxonomy = Schema.is(Taxonomy)
const isMemberId = Schema.is(Coverage.fields.memberId)

/** The flags of an object's checks, computed on first sight. */
const flagsOf = <A extends object>(entity: A, check: (entity: A) => number): number => {
  let flags = entityFlags.get(entity)
  if (flags === undefined) {
    flags = checked | check(entity)
    entityFlags.set(entity, flags)
  }
  return flags
}

const isDate = (text: unknown): boolean => typeof text === "string" && DateOfService.isValid(text)

const checkProvider = (provider: { readonly npi: string; readonly taxonomy: string }): number =>
  (Npi.isValid(provider.npi) ? 0 : npiInvalid) | (isTaxonomy(provider.taxonomy) ? 0 : taxonomyInvalid)

const checkPatient = (patient: Patient): number => (isDate(patient.dateOfBirth) ? 0 : dateOfBirthInvalid)

const checkCoverage = (coverage: Coverage): number =>
  (isMemberId(coverage.memberId) ? 0 : memberIdInvalid) |
  (coverage.subscriber === undefined || isDate(coverage.subscriber.dateOfBirth) ? 0 : subscriberDateOfBirthInvalid)

const providerFlags = (provider: { readonly npi: string; readonly taxonomy: string }): number =>
  flagsOf(provider, checkProvider)
const patientFlags = (patient: Patient): number => flagsOf(patient, checkPatient)
const coverageFlags = (coverage: Coverage): number => flagsOf(coverage, checkCoverage)

// ---------------------------------------------------------------------------------------------------------------
// Findings

class Sink {
  findings: Array<Finding> | undefined = undefined
  blocking = false
}

/** The sink the next `scrub` takes, so a claim costs no allocation when it is clean (a nested call makes its own). */
let spareSink: Sink | undefined = new Sink()

const emit = (
  sink: Sink,
  tables: Tables,
  edit: EditId,
  line: number | undefined,
  message: string,
  suggestion: string,
  source: Origin,
  fix?: Fix,
  denial?: Denial
): void => {
  const severity = tables.severity[edit]
  if (severity === "off") return
  const finding: {
    -readonly [K in keyof Finding]: Finding[K]
  } = {
    edit,
    severity,
    denial: denial !== undefined && tables.denialOverridden[edit] !== true ? denial : tables.denial[edit],
    message,
    suggestion,
    source
  }
  if (line !== undefined) finding.line = line
  const severityFrom = tables.severityFrom[edit]
  if (severityFrom !== undefined) finding.severityFrom = severityFrom
  if (fix !== undefined) finding.fix = fix
  if (severity === "error") sink.blocking = true
  if (sink.findings === undefined) sink.findings = [finding]
  else sink.findings.push(finding)
}

const on = (tables: Tables, edit: EditId): boolean => tables.severity[edit] !== "off"

const lineName = (i: number, line: Line): string => `Line ${i + 1} (${line.code})`

/** The index of another line on the same date with a code in the set, or -1. */
const lineWithCodeIn = (
  lines: ReadonlyArray<Line>,
  except: number,
  dateOfService: string,
  codes: ReadonlySet<string>
): number => {
  for (let j = 0; j < lines.length; j++) {
    const other = lines[j] as Line
    if (j !== except && other.dateOfService === dateOfService && codes.has(other.code)) return j
  }
  return -1
}

const lineWithCode = (lines: ReadonlyArray<Line>, dateOfService: string, code: string): number => {
  for (let j = 0; j < lines.length; j++) {
    const other = lines[j] as Line
    if (other.dateOfService === dateOfService && other.code === code) return j
  }
  return -1
}

const pairInForce = (pairs: ReadonlyArray<PairRule> | undefined, dateOfService: string): boolean => {
  if (pairs === undefined) return false
  for (let k = 0; k < pairs.length; k++)
    if (isInForce((pairs[k] as PairRule).rule.effective, dateOfService)) return true
  return false
}

const hasAny = (modifiers: ReadonlyArray<string>, wanted: ReadonlyArray<string>): boolean => {
  for (let k = 0; k < modifiers.length; k++) if (wanted.includes(modifiers[k] as string)) return true
  return false
}

// ---------------------------------------------------------------------------------------------------------------
// Line edits

const sameDayEdits = (
  sink: Sink,
  tables: Tables,
  ruleSet: RuleSet,
  info: CodeInfo,
  lines: ReadonlyArray<Line>,
  i: number,
  line: Line
): void => {
  const { code, dateOfService } = line
  const pairs = info.pairs
  if (pairs !== undefined && on(tables, "same-day-pair")) {
    for (let k = 0; k < pairs.length; k++) {
      const { index, rule } = pairs[k] as PairRule
      if (!isInForce(rule.effective, dateOfService)) continue
      const j = lineWithCode(lines, dateOfService, rule.codes[0])
      if (j < 0) continue
      const first = lines[j] as Line
      if (hasAny(line.modifiers, rule.bypassModifiers) || hasAny(first.modifiers, rule.bypassModifiers)) continue
      const bypass =
        rule.bypassModifiers.length === 0
          ? "No modifier lets both be paid: remove the line, or bill the other code alone."
          : `If the services were separate and documented as such, add ${rule.bypassModifiers.join(" or ")}; otherwise remove the line.`
      emit(
        sink,
        tables,
        "same-day-pair",
        i,
        `${lineName(i, line)} is not paid with ${rule.codes[0]} on the same day by the same clinician.`,
        bypass,
        { pack: ruleSet.sameDayExclusions.pack, path: `$.sameDayExclusions[${index}]` },
        undefined,
        rule.denial
      )
      break
    }
  }
  const family = info.family
  if (family !== undefined && on(tables, "same-day-family")) {
    for (let j = 0; j < i; j++) {
      const other = lines[j] as Line
      if (other.dateOfService !== dateOfService || tables.families.get(other.code)?.key !== family.key) continue
      // A same-day exclusion in force for the two codes decides instead (and may allow a bypass modifier).
      if (other.code !== code && pairInForce(tables.pairsByCodes.get(code)?.get(other.code), dateOfService)) continue
      emit(
        sink,
        tables,
        "same-day-family",
        i,
        `${lineName(i, line)} is a second code of ${family.label} on the same day as line ${j + 1} (${other.code}): one code is reported for the day's time.`,
        "Bill one code for the total time of the day, or remove the line.",
        family.origin
      )
      break
    }
  }
}

const addOnEdit = (
  sink: Sink,
  tables: Tables,
  info: CodeInfo,
  lines: ReadonlyArray<Line>,
  i: number,
  line: Line
): void => {
  const addOn = info.addOn
  if (addOn === undefined || !on(tables, "add-on-without-primary")) return
  if (lineWithCodeIn(lines, i, line.dateOfService, addOn.value) >= 0) return
  const primaries = [...addOn.value]
  const few = primaries.length <= 4 ? primaries.join(", ") : `${primaries.slice(0, 4).join(", ")} or another`
  emit(
    sink,
    tables,
    "add-on-without-primary",
    i,
    `${lineName(i, line)} is an add-on code, and no primary code it goes with (${few}) is billed on the same day.`,
    "Bill the primary service on the same claim and day, or remove the add-on.",
    addOn.origin
  )
}

const unitsEdit = (
  sink: Sink,
  tables: Tables,
  info: CodeInfo,
  lines: ReadonlyArray<Line>,
  i: number,
  line: Line
): void => {
  const max = info.unitsPerDay
  if (max === undefined || !on(tables, "units-per-day")) return
  // Counted once a day and code, on its last line.
  let total = 0
  for (let j = 0; j < lines.length; j++) {
    const other = lines[j] as Line
    if (other.code !== line.code || other.dateOfService !== line.dateOfService) continue
    if (j > i) return
    total += other.units
  }
  if (total <= max.value) return
  const others = total - line.units
  const target = max.value - others
  const exact = target >= 1 && line.charge % line.units === 0
  emit(
    sink,
    tables,
    "units-per-day",
    i,
    `${line.code} is billed for ${total} units on one day; the payer allows ${max.value}.`,
    exact
      ? `Bill ${max.value} units for the day (this line: ${target}).`
      : `Bill at most ${max.value} units for the day across the lines of ${line.code}.`,
    max.origin,
    exact ? { _tag: "SetUnits", line: i, units: target } : undefined
  )
}

const minutesEdit = (
  sink: Sink,
  tables: Tables,
  rules: ReadonlyArray<TimeRule>,
  minutes: number,
  i: number,
  line: Line
): void => {
  if (!on(tables, "minutes-below-minimum")) return
  // A code that several families bill is short only of them all: the most lenient decides.
  let rule = rules[0] as TimeRule
  let needed = minimumMinutes(rule, line.units)
  for (let k = 1; k < rules.length; k++) {
    const other = rules[k] as TimeRule
    const n = minimumMinutes(other, line.units)
    if (n < needed) {
      rule = other
      needed = n
    }
  }
  if (minutes >= needed) return
  const units = unitsSupported(rule, minutes)
  const exact = units !== undefined && units >= 1 && line.charge % line.units === 0
  let suggestion: string
  if (units !== undefined) {
    suggestion =
      units >= 1
        ? `Bill ${units} unit${units === 1 ? "" : "s"}, what ${minutes} minutes support, or correct the documented time.`
        : `Remove the line (${minutes} minutes are less than one unit), or correct the documented time.`
  } else {
    let lower: string | undefined
    if (rule.kind === "at-least" && rule.tiers !== undefined) {
      for (const tier of rule.tiers) if (tier.minMinutes <= minutes) lower = tier.code
    }
    suggestion =
      lower !== undefined
        ? `Bill ${lower}, the code for ${minutes} minutes, or correct the documented time.`
        : `Under ${needed} minutes the session is not billed as ${line.code}: code it by its time, or correct the documented time.`
  }
  emit(
    sink,
    tables,
    "minutes-below-minimum",
    i,
    `${lineName(i, line)} needs at least ${needed} minutes of ${rule.label}${units === undefined || line.units === 1 ? "" : ` for ${line.units} units`}; the session has ${minutes}.`,
    suggestion,
    rule.origin,
    exact ? { _tag: "SetUnits", line: i, units } : undefined
  )
}

const credentialEdits = (
  sink: Sink,
  tables: Tables,
  ruleSet: RuleSet,
  info: CodeInfo,
  rendering: Clinician,
  i: number,
  line: Line
): void => {
  const credential = rendering.credential
  const { code, dateOfService } = line
  const rules = info.billableBy
  if (rules !== undefined && on(tables, "credential-not-allowed")) {
    const rule = PayerRules.billingRule(rules, credential, dateOfService)
    if (rule !== undefined && !rule.credentials.has(credential)) {
      emit(
        sink,
        tables,
        "credential-not-allowed",
        i,
        `${lineName(i, line)}: a clinician billing as ${credential} may not bill ${code} to this payer on this date of service.${rule.note === undefined ? "" : ` ${rule.note}`}`,
        "Have a clinician whose credential may bill the code render the service, or bill a code this credential may bill.",
        rule.origin
      )
    }
  }
  const covering = info.credentialModifiers
  if (covering === undefined || !on(tables, "credential-modifier")) return
  // Clean in the common case: every modifier the rules in force require of this credential is on the line, and
  // none they give other credentials on it (a wrong level: HN where HO is due). Nothing is allocated then.
  const modifiers = line.modifiers
  let clean = true
  for (let k = 0; k < covering.length; k++) {
    const { rule } = covering[k] as CredentialModifierRule
    const asks = PayerRules.credentialModifierFor(rule, credential, code, dateOfService)
    if (
      asks === "required" ? !modifiers.includes(rule.modifier) : asks === "other" && modifiers.includes(rule.modifier)
    )
      clean = false
  }
  if (clean) return
  credentialModifierEdits(sink, tables, ruleSet, covering, credential, i, line)
}

// Apart from `credentialEdits`, so that the closures here cost the clean path nothing (a function whose variables
// a closure captures allocates their context on every call).
const credentialModifierEdits = (
  sink: Sink,
  tables: Tables,
  ruleSet: RuleSet,
  covering: ReadonlyArray<CredentialModifierRule>,
  credential: Clinician["credential"],
  i: number,
  line: Line
): void => {
  const { code, dateOfService } = line
  const due: Array<DueModifier> = []
  const others: Array<string> = []
  for (const { index, rule } of covering) {
    switch (PayerRules.credentialModifierFor(rule, credential, code, dateOfService)) {
      case "required":
        due.push({
          modifier: rule.modifier,
          origin: { pack: ruleSet.credentialModifiers.pack, path: `$.credentialModifiers[${index}]` }
        })
        break
      case "other":
        others.push(rule.modifier)
    }
  }
  const strays = line.modifiers.filter((m) => others.includes(m) && !due.some((d) => d.modifier === m))
  modifierEdits(
    sink,
    tables,
    "credential-modifier",
    i,
    line,
    due,
    strays,
    { pack: ruleSet.credentialModifiers.pack, path: "$.credentialModifiers" },
    {
      missing: (m) => `${lineName(i, line)} needs modifier ${m} for a clinician billing as ${credential}.`,
      replace: (stray, m) =>
        `${lineName(i, line)} carries ${stray}, but a clinician billing as ${credential} bills it with ${m}.`,
      stray: (m) =>
        `${lineName(i, line)} carries ${m}, a modifier this payer gives other credentials on ${code}, not ${credential}.`
    }
  )
}

/** A modifier a line must carry, and the rule that says so. */
interface DueModifier {
  readonly modifier: string
  readonly origin: Origin
}

/** The messages of `modifierEdits`, worded by the edit. */
interface ModifierWords {
  /** The line lacks `modifier`. */
  readonly missing: (modifier: string) => string
  /** The line carries `stray` where `modifier` is due. */
  readonly replace: (stray: string, modifier: string) => string
  /** The line carries `stray`, which nothing asks for. */
  readonly stray: (stray: string) => string
}

/**
 * The findings of a line that lacks modifiers it must carry and carries strays of the same kind (credential
 * levels, telehealth modifiers): each missing modifier replaces the next stray while strays last, else is added
 * (a certain fix only while the line has fewer than four); the strays left over are removed. One finding each.
 */
const modifierEdits = (
  sink: Sink,
  tables: Tables,
  edit: EditId,
  i: number,
  line: Line,
  due: ReadonlyArray<DueModifier>,
  strays: ReadonlyArray<string>,
  strayOrigin: Origin,
  words: ModifierWords
): void => {
  const modifiers = line.modifiers
  let s = 0
  for (const { modifier, origin } of due) {
    if (modifiers.includes(modifier)) continue
    const stray = strays[s]
    if (stray !== undefined) s++
    emit(
      sink,
      tables,
      edit,
      i,
      stray === undefined ? words.missing(modifier) : words.replace(stray, modifier),
      stray === undefined ? `Add modifier ${modifier}.` : `Replace ${stray} with ${modifier}.`,
      origin,
      stray !== undefined
        ? { _tag: "ReplaceModifier", line: i, from: stray, to: modifier }
        : modifiers.length < 4
          ? { _tag: "AddModifier", line: i, modifier }
          : undefined
    )
  }
  for (; s < strays.length; s++) {
    const stray = strays[s] as string
    emit(sink, tables, edit, i, words.stray(stray), `Remove modifier ${stray}.`, strayOrigin, {
      _tag: "RemoveModifier",
      line: i,
      modifier: stray
    })
  }
}

const telehealthEdits = (
  sink: Sink,
  tables: Tables,
  ruleSet: RuleSet,
  delivery: Delivery | undefined,
  facilityType: Organization["facilityType"] | undefined,
  i: number,
  line: Line
): void => {
  const { code, dateOfService, modifiers } = line
  if (delivery === undefined) {
    // Without the session's delivery only one thing is certain: a telehealth modifier no rule of the payer in
    // force uses (GT on a Medicare claim, 95 after Medicare stopped asking for it).
    if (!on(tables, "telehealth-modifier")) return
    for (let k = 0; k < modifiers.length; k++) {
      const m = modifiers[k] as string
      if (!tables.telehealthModifiers.has(m)) continue
      let used = false
      for (const rule of ruleSet.telehealth.rules) {
        if (rule.modifiers.includes(m) && isInForce(rule.effective, dateOfService)) {
          used = true
          break
        }
      }
      if (used) continue
      emit(
        sink,
        tables,
        "telehealth-modifier",
        i,
        `${lineName(i, line)} carries telehealth modifier ${m}, which this payer does not use on this date of service.`,
        `Remove modifier ${m}.`,
        { pack: ruleSet.telehealth.pack, path: "$.telehealth" },
        { _tag: "RemoveModifier", line: i, modifier: m }
      )
    }
    return
  }
  if (delivery.mode === "in-person") {
    if (isTelehealthPos(line.placeOfService)) {
      const pos = PayerRules.placeOfServiceOf(delivery, undefined)
      emit(
        sink,
        tables,
        "telehealth-pos",
        i,
        `${lineName(i, line)} was delivered in person but has telehealth place of service ${line.placeOfService}.`,
        `Set the place of service to ${pos}.`,
        { pack: ruleSet.chain[0] ?? "", path: "(session delivery)" },
        { _tag: "SetPlaceOfService", line: i, placeOfService: pos }
      )
    }
    if (on(tables, "telehealth-modifier")) {
      for (let k = 0; k < modifiers.length; k++) {
        const m = modifiers[k] as string
        if (!tables.telehealthModifiers.has(m)) continue
        emit(
          sink,
          tables,
          "telehealth-modifier",
          i,
          `${lineName(i, line)} was delivered in person but carries telehealth modifier ${m}.`,
          `Remove modifier ${m}.`,
          { pack: ruleSet.telehealth.pack, path: "$.telehealth" },
          { _tag: "RemoveModifier", line: i, modifier: m }
        )
      }
    }
    return
  }
  // The rule the coding engine uses, and the place of service it gives.
  const index = PayerRules.telehealthRuleIndex(ruleSet.telehealth.rules, delivery.mode, dateOfService, facilityType)
  const rule = ruleSet.telehealth.rules[index]
  if (rule !== undefined) {
    const gap = PayerRules.telehealthGap(rule, delivery.patientLocation, code)
    if (gap !== undefined) {
      emit(
        sink,
        tables,
        "telehealth-not-covered",
        i,
        `${lineName(i, line)}: ${
          gap === "mode-not-covered"
            ? `${delivery.mode} telehealth is not covered by this payer on this date of service`
            : gap === "patient-location"
              ? `${delivery.mode} telehealth is covered only with the patient ${PayerRules.requiredWhere(rule)}`
              : `${code} is not on the payer's list of codes for ${delivery.mode} telehealth`
        }.`,
        "Deliver the service in a way the payer covers (video or in person), or do not bill it to this payer.",
        telehealthOrigin(ruleSet, index)
      )
      return
    }
  }
  const pos = PayerRules.placeOfServiceOf(delivery, rule)
  if (line.placeOfService !== pos) {
    emit(
      sink,
      tables,
      "telehealth-pos",
      i,
      `${lineName(i, line)} was delivered by ${delivery.mode} telehealth with the patient ${PayerRules.patientWhere(delivery.patientLocation)}: the place of service is ${pos}, not ${line.placeOfService}.`,
      `Set the place of service to ${pos}.`,
      telehealthOrigin(ruleSet, index),
      { _tag: "SetPlaceOfService", line: i, placeOfService: pos }
    )
  }
  if (!on(tables, "telehealth-modifier")) return
  const expected: ReadonlyArray<string> = rule === undefined ? noModifiers : rule.modifiers
  // Clean in the common case: every expected modifier present, no other telehealth modifier.
  let clean = true
  for (let k = 0; k < expected.length; k++) if (!modifiers.includes(expected[k] as string)) clean = false
  for (let k = 0; k < modifiers.length; k++) {
    const m = modifiers[k] as string
    if (tables.telehealthModifiers.has(m) && !expected.includes(m)) clean = false
  }
  if (clean) return
  telehealthModifierEdits(sink, tables, telehealthOrigin(ruleSet, index), delivery.mode, expected, i, line)
}

// Apart from `telehealthEdits`, for the reason `credentialModifierEdits` is.
const telehealthModifierEdits = (
  sink: Sink,
  tables: Tables,
  origin: Origin,
  mode: Exclude<Delivery["mode"], "in-person">,
  expected: ReadonlyArray<string>,
  i: number,
  line: Line
): void =>
  modifierEdits(
    sink,
    tables,
    "telehealth-modifier",
    i,
    line,
    expected.map((modifier) => ({ modifier, origin })),
    line.modifiers.filter((m) => tables.telehealthModifiers.has(m) && !expected.includes(m)),
    origin,
    {
      missing: (m) => `${lineName(i, line)}: this payer needs modifier ${m} on ${mode} telehealth.`,
      replace: (stray, m) => `${lineName(i, line)} carries ${stray}; this payer needs ${m} on ${mode} telehealth.`,
      stray: (m) =>
        `${lineName(i, line)} carries ${m}, which this payer does not use on ${mode} telehealth on this date of service.`
    }
  )

const noModifiers: ReadonlyArray<string> = []

/** Where a telehealth finding comes from: the rule at `index` of the payer's telehealth rules, or none. */
const telehealthOrigin = (ruleSet: RuleSet, index: number): Origin =>
  index < 0
    ? { pack: ruleSet.chain[0] ?? "", path: "(no telehealth rule: POS 10 at home, 02 elsewhere)" }
    : { pack: ruleSet.telehealth.pack, path: `$.telehealth[${index}]` }

const pointerEdit = (sink: Sink, tables: Tables, diagnoses: number, i: number, line: Line): void => {
  const pointers = line.diagnosisPointers
  let bad = pointers.length === 0
  for (let k = 0; k < pointers.length; k++) {
    const p = pointers[k] as number
    if (!(p >= 1 && p <= diagnoses && (p | 0) === p)) bad = true
  }
  if (!bad || !on(tables, "pointer-to-nothing")) return
  const valid: Array<number> = []
  for (const p of pointers) if (Number.isInteger(p) && p >= 1 && p <= diagnoses && !valid.includes(p)) valid.push(p)
  const fix: Fix | undefined =
    valid.length > 0
      ? { _tag: "SetPointers", line: i, pointers: valid }
      : diagnoses === 1
        ? { _tag: "SetPointers", line: i, pointers: [1] }
        : undefined
  emit(
    sink,
    tables,
    "pointer-to-nothing",
    i,
    pointers.length === 0
      ? `${lineName(i, line)} points to no diagnosis.`
      : `${lineName(i, line)} points to a diagnosis position the claim does not have (it has ${diagnoses}).`,
    fix === undefined
      ? "Point the line to the diagnoses it treats, by their position on the claim."
      : `Point the line to diagnosis position${fix.pointers.length > 1 ? "s" : ""} ${fix.pointers.join(", ")}.`,
    defaults["pointer-to-nothing"].source,
    fix
  )
}

const modifierKey = (modifiers: ReadonlyArray<string>): string =>
  modifiers.length === 0 ? "" : modifiers.length === 1 ? (modifiers[0] as string) : [...modifiers].sort().join(":")

const lineFingerprint = (claim: Claim, line: Line): string =>
  `${claim.patientId}|${claim.payerId}|${line.dateOfService}|${line.code}|${modifierKey(line.modifiers)}|${line.units}|${claim.renderingClinicianId}`

/**
 * A claim's line fingerprints: patient, payer, date of service, code, modifiers (in any order), units and
 * rendering clinician. The same fingerprint on a claim already sent is an exact duplicate (OA-18).
 *
 * @since 0.1.0
 */
export const fingerprint = (claim: Claim): ReadonlyArray<string> =>
  claim.lines.map((line) => lineFingerprint(claim, line))

/**
 * The index of claims already sent, for the `duplicate` and `possible-duplicate` edits. Voids (frequency 8) are
 * left out; leave out the claims they voided too.
 *
 * @since 0.1.0
 */
export const sentIndex = (claims: Iterable<Claim>): SentIndex => {
  const byPatient = new Map<string, Map<string, Array<SentLine>>>()
  for (const claim of claims) {
    if (claim.frequency === "8") continue
    let byDate = byPatient.get(claim.patientId)
    if (byDate === undefined) {
      byDate = new Map()
      byPatient.set(claim.patientId, byDate)
    }
    for (const line of claim.lines) {
      pushTo(byDate, line.dateOfService, {
        claimId: claim.id,
        payerId: claim.payerId,
        code: line.code,
        modifiers: modifierKey(line.modifiers),
        units: line.units,
        renderingClinicianId: claim.renderingClinicianId
      })
    }
  }
  return { byPatient }
}

const duplicateEdits = (
  sink: Sink,
  tables: Tables,
  claim: Claim,
  sent: ReadonlyMap<string, ReadonlyArray<SentLine>> | undefined,
  i: number,
  line: Line
): void => {
  for (let j = 0; j < i; j++) {
    const other = claim.lines[j] as Line
    if (
      other.code === line.code &&
      other.dateOfService === line.dateOfService &&
      other.units === line.units &&
      modifierKey(other.modifiers) === modifierKey(line.modifiers)
    ) {
      emit(
        sink,
        tables,
        "duplicate",
        i,
        `${lineName(i, line)} repeats line ${j + 1} of this claim.`,
        "Remove the repeated line, or bill the day's units on one line.",
        defaults.duplicate.source
      )
      return
    }
  }
  const day = sent?.get(line.dateOfService)
  if (day === undefined) return
  let exact = false
  let service = false
  let modifiers: string | undefined
  for (let k = 0; k < day.length; k++) {
    const prior = day[k] as SentLine
    if (prior.code !== line.code || prior.payerId !== claim.payerId || prior.claimId === claim.id) continue
    modifiers ??= modifierKey(line.modifiers)
    if (
      prior.units === line.units &&
      prior.modifiers === modifiers &&
      prior.renderingClinicianId === claim.renderingClinicianId
    ) {
      exact = true
      break
    }
    service = true
  }
  if (exact) {
    emit(
      sink,
      tables,
      "duplicate",
      i,
      `${lineName(i, line)} was already sent on another claim for the same patient, date, code, units and clinician.`,
      "Do not send it again: follow the first claim up, or send a replacement of it (frequency 7) to correct it.",
      defaults.duplicate.source
    )
    return
  }
  if (service) {
    emit(
      sink,
      tables,
      "possible-duplicate",
      i,
      `${lineName(i, line)}: the same code on the same date for this patient was already sent on another claim.`,
      "Check that this is a separate service; if it corrects the other claim, send a replacement of it instead.",
      defaults["possible-duplicate"].source
    )
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Claim edits

const diagnosisEdits = (sink: Sink, tables: Tables, claim: Claim): void => {
  const { diagnoses, lines } = claim
  const invalidOn = on(tables, "diagnosis-invalid-on-dos")
  const specificOn = on(tables, "diagnosis-not-specific")
  if (invalidOn || specificOn) {
    for (let k = 0; k < diagnoses.length; k++) {
      const code = diagnoses[k] as string
      // Against every date of service of the claim (most claims have one).
      for (let i = 0; i < lines.length; i++) {
        const dateOfService = (lines[i] as Line).dateOfService
        let seen = false
        for (let j = 0; j < i; j++) if ((lines[j] as Line).dateOfService === dateOfService) seen = true
        if (seen) continue
        const check = diagnosisCheck(tables, code, dateOfService)
        if (check._tag === "NotValidOnDate" || check._tag === "InvalidFormat") {
          emit(
            sink,
            tables,
            "diagnosis-invalid-on-dos",
            undefined,
            `Diagnosis ${k + 1} is not a valid ICD-10-CM code on the date of service.`,
            "Code the diagnosis from the ICD-10-CM code set in force on the date of service (the code set changes every October 1).",
            defaults["diagnosis-invalid-on-dos"].source
          )
          break
        }
        if (check._tag === "NotSpecific") {
          emit(
            sink,
            tables,
            "diagnosis-not-specific",
            undefined,
            `Diagnosis ${k + 1} is a category, not a billable code: it must be coded to the highest specificity.`,
            "Replace it with one of the billable codes beneath the category (the clinician's documentation decides which).",
            defaults["diagnosis-not-specific"].source
          )
          break
        }
      }
    }
  }
  const principal = diagnoses[0]
  if (principal !== undefined && principal.charCodeAt(0) === 90 /* Z */ && on(tables, "z-code-primary")) {
    emit(
      sink,
      tables,
      "z-code-primary",
      undefined,
      "The principal diagnosis is a Z code (a factor influencing health status); some payers deny behavioral-health services with one as the principal diagnosis.",
      "If the documentation supports a mental-health diagnosis, put it first; otherwise check the payer's policy.",
      defaults["z-code-primary"].source
    )
  }
}

/**
 * True when a prior-authorization rule in force asks for one for a code of the visit's lines (those on the date),
 * as `Authorization.requiredCodes` decides, without building the visit.
 */
const authorizationRequired = (
  ruleSet: RuleSet,
  lines: ReadonlyArray<Line>,
  dateOfService: string,
  priorVisits: number
): boolean => {
  const rules = ruleSet.priorAuthorization.rules
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as (typeof rules)[number]
    if (!isInForce(rule.effective, dateOfService)) continue
    if (rule.afterVisits !== undefined && priorVisits < rule.afterVisits) continue
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k] as Line
      if (line.dateOfService === dateOfService && rule.codes.includes(line.code)) return true
    }
  }
  return false
}

// Helpers rather than closures in `authorizationEdits`: a closure's captured variables cost a context every call.
const allocatedTo = (allocations: ReadonlyArray<{ readonly number: string }>, number: string | undefined): boolean => {
  for (let k = 0; k < allocations.length; k++)
    if ((allocations[k] as { readonly number: string }).number === number) return true
  return false
}

/** The first rule in force asking for an authorization of one of the codes (0 when none does). */
const authorizationRuleIndex = (ruleSet: RuleSet, dateOfService: string, codes: ReadonlyArray<string>): number => {
  const index = ruleSet.priorAuthorization.rules.findIndex(
    (r) => isInForce(r.effective, dateOfService) && r.codes.some((c) => codes.includes(c))
  )
  return Math.max(index, 0)
}

const authorizationEdits = (sink: Sink, tables: Tables, ruleSet: RuleSet, claim: Claim, context: ScrubContext) => {
  const lines = claim.lines
  const facts = context.authorizations
  // Without the patient's authorizations, only a claim that names none can be found wanting.
  if (facts === undefined && claim.priorAuthorization !== undefined) return
  // One visit a date of service.
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] as Line
    let seen = false
    for (let j = 0; j < i; j++) if ((lines[j] as Line).dateOfService === first.dateOfService) seen = true
    if (seen) continue
    // No finding without a rule that asks for one (Authorization.check would say NotRequired).
    if (!authorizationRequired(ruleSet, lines, first.dateOfService, facts?.priorVisits ?? 0)) continue
    const visitLines: Array<{ code: string; units: number }> = []
    for (const line of lines) {
      if (line.dateOfService === first.dateOfService) visitLines.push({ code: line.code, units: line.units })
    }
    const visit = {
      ...(first.sessionId === undefined ? {} : { sessionId: first.sessionId }),
      patientId: claim.patientId,
      payerId: claim.payerId,
      clinicianId: claim.renderingClinicianId,
      dateOfService: first.dateOfService,
      lines: visitLines,
      ...(facts?.priorVisits === undefined ? {} : { priorVisits: facts.priorVisits })
    } as Authorization.Visit
    const check =
      facts === undefined ? undefined : Authorization.check(visit, facts.authorizations, facts.ledger, ruleSet)
    if (check?._tag === "NotRequired") continue
    if (check?._tag === "Authorized" && allocatedTo(check.allocations, claim.priorAuthorization)) continue
    // A finding is likely from here: where it is and which rule asks for the authorization.
    const required = Authorization.requiredCodes(visit, ruleSet)
    if (required.length === 0) continue
    let lineIndex = i
    for (let j = 0; j < lines.length; j++) {
      const line = lines[j] as Line
      if (line.dateOfService === first.dateOfService && required.includes(line.code)) {
        lineIndex = j
        break
      }
    }
    const ruleIndex = authorizationRuleIndex(ruleSet, first.dateOfService, required)
    const source: Origin = { pack: ruleSet.priorAuthorization.pack, path: `$.priorAuthorization[${ruleIndex}]` }
    const codes = required.join(", ")
    if (check === undefined) {
      emit(
        sink,
        tables,
        "authorization-missing",
        lineIndex,
        `This payer requires a prior authorization for ${codes}, and the claim names none.`,
        "Request the authorization, or put the number of the one that covers the service on the claim.",
        source
      )
      continue
    }
    switch (check._tag) {
      case "Missing":
        emit(
          sink,
          tables,
          "authorization-missing",
          lineIndex,
          `No approved authorization covers ${codes} on the date of service.`,
          "Request an authorization (a retroactive one if the payer allows it) before sending the claim.",
          source
        )
        break
      case "Expired":
        emit(
          sink,
          tables,
          "authorization-expired",
          lineIndex,
          `The authorization for ${codes} ended before the date of service.`,
          "Request an extension or a new authorization that covers the date of service.",
          source
        )
        break
      case "Exhausted":
      case "PartiallyAuthorized":
        emit(
          sink,
          tables,
          "authorization-exhausted",
          lineIndex,
          check._tag === "Exhausted"
            ? `Every authorization for ${codes} is used up.`
            : `Only ${check.authorizedUnits} of the ${check.authorizedUnits + check.excessUnits} units billed for ${codes} are left on the authorization.`,
          check._tag === "Exhausted"
            ? "Request more units from the payer before sending the claim."
            : "Request more units, or bill the authorized units and hold the rest until more are approved.",
          source
        )
        break
      case "WrongClinician":
      case "WrongCode":
        emit(
          sink,
          tables,
          "authorization-not-applicable",
          lineIndex,
          check._tag === "WrongCode"
            ? `The authorization in force does not cover ${codes}.`
            : "The authorization in force does not name the rendering clinician.",
          check._tag === "WrongCode"
            ? "Bill a code the authorization covers, or request one for this code."
            : "Ask the payer to add the rendering clinician to the authorization.",
          source
        )
        break
      case "Authorized": {
        const numbers: Array<string> = []
        for (const a of check.allocations) if (!numbers.includes(a.number)) numbers.push(a.number)
        const named = claim.priorAuthorization
        if (named !== undefined && numbers.includes(named)) break
        const only = numbers.length === 1 ? (numbers[0] as string) : undefined
        emit(
          sink,
          tables,
          "authorization-number",
          undefined,
          named === undefined
            ? "The service is authorized, but the claim does not carry the authorization number."
            : "The claim carries an authorization number other than the one that covers the service.",
          only === undefined
            ? "Split the claim by authorization, each with its own number."
            : "Put the number of the authorization that covers the service on the claim.",
          source,
          only === undefined ? undefined : { _tag: "SetPriorAuthorization", number: only }
        )
        break
      }
    }
  }
}

const providerEdits = (
  sink: Sink,
  tables: Tables,
  who: string,
  provider: { readonly npi: string; readonly taxonomy: string },
  npiDenial: Denial,
  taxonomyDenial: Denial | undefined
): void => {
  const flags = providerFlags(provider)
  if ((flags & npiInvalid) !== 0) {
    emit(
      sink,
      tables,
      "npi-check-digit",
      undefined,
      `The ${who}'s NPI is not ten digits with a valid check digit.`,
      `Correct the ${who}'s NPI from the NPPES registry.`,
      defaults["npi-check-digit"].source,
      undefined,
      npiDenial
    )
  }
  // The 837P carries the billing (2000A PRV) and rendering (2310B PRV) taxonomies, not the supervising one.
  if (taxonomyDenial !== undefined && (flags & taxonomyInvalid) !== 0) {
    emit(
      sink,
      tables,
      "taxonomy",
      undefined,
      `The ${who}'s taxonomy is not a 10-character NUCC code (three digits, six letters or digits, then X).`,
      `Correct the ${who}'s taxonomy to the NUCC code it is enrolled under.`,
      defaults.taxonomy.source,
      undefined,
      taxonomyDenial
    )
  }
}

const billingNpiDenial: Denial = { group: "CO", carc: "16", rarc: "N257" }
const renderingNpiDenial: Denial = { group: "CO", carc: "16", rarc: "N290" }
const supervisingNpiDenial: Denial = { group: "CO", carc: "16", rarc: "N297" }
const billingTaxonomyDenial: Denial = { group: "CO", carc: "16", rarc: "N255" }
const renderingTaxonomyDenial: Denial = { group: "CO", carc: "16", rarc: "N288" }
const beforeCoverageDenial: Denial = { group: "CO", carc: "26" }

const partyEdits = (sink: Sink, tables: Tables, claim: Claim, context: ScrubContext): void => {
  const { patient, coverage, asOf } = context
  const first = claim.serviceDate
  let last = first as string
  const lines = claim.lines
  for (let k = 0; k < lines.length; k++) {
    const dateOfService = (lines[k] as Line).dateOfService
    if (dateOfService > last) last = dateOfService
  }
  if (patient !== undefined && on(tables, "date-of-birth")) {
    const dob = patient.dateOfBirth
    const problem =
      (patientFlags(patient) & dateOfBirthInvalid) !== 0
        ? "is missing or not a calendar date"
        : dob > asOf
          ? "is in the future"
          : dob > first
            ? "is after the date of service"
            : undefined
    if (problem !== undefined) {
      emit(
        sink,
        tables,
        "date-of-birth",
        undefined,
        `The patient's date of birth ${problem}.`,
        "Correct the patient's date of birth from the insurance card or the eligibility response.",
        defaults["date-of-birth"].source
      )
    }
  }
  if (coverage === undefined) return
  const flags = coverageFlags(coverage)
  const subscriber = coverage.subscriber
  if (subscriber !== undefined && on(tables, "date-of-birth")) {
    const dob = subscriber.dateOfBirth
    const problem =
      (flags & subscriberDateOfBirthInvalid) !== 0
        ? "is missing or not a calendar date"
        : dob > asOf
          ? "is in the future"
          : undefined
    if (problem !== undefined) {
      emit(
        sink,
        tables,
        "date-of-birth",
        undefined,
        `The subscriber's date of birth ${problem}.`,
        "Correct the subscriber's date of birth from the insurance card or the eligibility response.",
        { pack: "openrcm", path: "Coverage.subscriber.dateOfBirth" }
      )
    }
  }
  if (on(tables, "member-id-format")) {
    const format = tables.memberId
    if ((flags & memberIdInvalid) !== 0) {
      emit(
        sink,
        tables,
        "member-id-format",
        undefined,
        "The member id is missing or has characters a member id cannot have (letters, digits and '-', 2 to 80).",
        "Copy the member id exactly as the insurance card or the eligibility response shows it.",
        defaults["member-id-format"].source
      )
    } else if (format !== undefined && !format.pattern.test(coverage.memberId)) {
      emit(
        sink,
        tables,
        "member-id-format",
        undefined,
        `The member id does not have this payer's format (${format.expected}).`,
        "Copy the member id exactly as the insurance card or the eligibility response shows it.",
        format.origin
      )
    }
  }
  if (on(tables, "coverage-inactive")) {
    const { start, end } = coverage.period
    if (first < start || last > end) {
      emit(
        sink,
        tables,
        "coverage-inactive",
        undefined,
        first < start
          ? "The coverage had not started on the date of service."
          : "The coverage had ended before the date of service.",
        "Check eligibility for the date of service and bill the coverage in force then (or the patient).",
        { pack: "openrcm", path: "Coverage.period" },
        undefined,
        first < start ? beforeCoverageDenial : undefined
      )
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

const clean: ScrubResult = Object.freeze({ findings: Object.freeze([]) as ReadonlyArray<Finding>, blocking: false })

/**
 * Scrubs one claim: every edit, in claim then line order. A clean claim returns a shared empty result.
 *
 * @since 0.1.0
 */
export const scrub = (claim: Claim, context: ScrubContext): ScrubResult => {
  const sink = spareSink ?? new Sink()
  spareSink = undefined
  const lines = claim.lines
  const firstDate = claim.serviceDate
  const ruleSet0 = context.ruleSets(claim.payerId, firstDate)
  const tables0 = tablesOf(ruleSet0)
  const { rendering, billingProvider } = context
  const facilityType = billingProvider?.facilityType
  const facts = context.lines
  const diagnoses = claim.diagnoses.length

  if (claim.frequency !== "1" && claim.payerClaimNumber === undefined) {
    emit(
      sink,
      tables0,
      "replacement-without-f8",
      undefined,
      `A ${claim.frequency === "7" ? "replacement" : "void"} claim must carry the payer's claim number of the claim it ${claim.frequency === "7" ? "replaces" : "voids"}.`,
      "Add the payer's claim control number from the original claim's remittance or acknowledgement.",
      defaults["replacement-without-f8"].source
    )
  }

  // A replacement or void repeats its original on purpose.
  const sentDays = claim.frequency === "1" ? context.sent?.byPatient.get(claim.patientId) : undefined
  let ruleSet = ruleSet0
  let tables = tables0
  let authorizationNeeded = false
  let ruleSetDate: string = firstDate
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line
    if (line.dateOfService !== ruleSetDate) {
      ruleSetDate = line.dateOfService
      ruleSet = ruleSetDate === firstDate ? ruleSet0 : context.ruleSets(claim.payerId, line.dateOfService)
      tables = tablesOf(ruleSet)
    }
    const info = codeInfo(tables, ruleSet, line.code)
    if (info.priorAuthorization) authorizationNeeded = true
    if (info.addOn !== undefined) addOnEdit(sink, tables, info, lines, i, line)
    if (info.unitsPerDay !== undefined) unitsEdit(sink, tables, info, lines, i, line)
    const lineFacts = facts?.[i]
    const minutes = lineFacts?.minutes
    if (minutes !== undefined && info.time !== undefined) minutesEdit(sink, tables, info.time, minutes, i, line)
    if (info.pairs !== undefined || info.family !== undefined) sameDayEdits(sink, tables, ruleSet, info, lines, i, line)
    if (rendering !== undefined && (info.billableBy !== undefined || info.credentialModifiers !== undefined))
      credentialEdits(sink, tables, ruleSet, info, rendering, i, line)
    const delivery = lineFacts?.delivery ?? context.delivery
    telehealthEdits(sink, tables, ruleSet, delivery, facilityType, i, line)
    pointerEdit(sink, tables, diagnoses, i, line)
    if (ruleSet.timelyFiling !== undefined && on(tables, "timely-filing")) {
      if (context.asOf > deadlineFor(tables, ruleSet, line.dateOfService)) {
        const limit = ruleSet.timelyFiling.value
        emit(
          sink,
          tables,
          "timely-filing",
          i,
          `${lineName(i, line)} is past the payer's timely-filing limit of ${"months" in limit ? `${limit.months} months` : `${limit.days} days`} after the date of service.`,
          "If the claim was filed in time before (a rejected or earlier claim), appeal with proof of timely filing; otherwise it cannot be billed to the payer or the patient.",
          ruleSet.timelyFiling.origin
        )
      }
    }
    if (claim.frequency === "1" && on(tables, "duplicate")) duplicateEdits(sink, tables, claim, sentDays, i, line)
  }

  diagnosisEdits(sink, tables0, claim)
  if (authorizationNeeded) authorizationEdits(sink, tables0, ruleSet0, claim, context)
  partyEdits(sink, tables0, claim, context)
  if (on(tables0, "npi-check-digit") || on(tables0, "taxonomy")) {
    if (billingProvider !== undefined)
      providerEdits(sink, tables0, "billing provider", billingProvider, billingNpiDenial, billingTaxonomyDenial)
    if (rendering !== undefined)
      providerEdits(sink, tables0, "rendering clinician", rendering, renderingNpiDenial, renderingTaxonomyDenial)
    if (context.supervising !== undefined)
      providerEdits(sink, tables0, "supervising clinician", context.supervising, supervisingNpiDenial, undefined)
  }
  // The 837P's 2010AA N403 takes the billing provider's ZIP+4, though an address may carry five digits: caught
  // here, the claim is fixed before a batch is written, rather than the whole batch refused when it is.
  if (billingProvider !== undefined && billingProvider.address.postalCode.length !== 9) {
    emit(
      sink,
      tables0,
      "billing-provider-zip",
      undefined,
      "The billing provider's ZIP code has five digits; the 837P needs all nine (ZIP+4).",
      "Add the four-digit extension to the billing provider's ZIP code in its address.",
      defaults["billing-provider-zip"].source
    )
  }
  const { findings, blocking } = sink
  sink.findings = undefined
  sink.blocking = false
  spareSink = sink
  return findings === undefined ? clean : { findings, blocking }
}

/**
 * Scrubs claims in order, each with its own context (the rule sets, providers and indexes are shared by the
 * batch; the patient and coverage are the claim's).
 *
 * @since 0.1.0
 */
export const scrubMany = (
  claims: ReadonlyArray<Claim>,
  contextFor: (claim: Claim, index: number) => ScrubContext
): Array<ScrubResult> => {
  const results = new Array<ScrubResult>(claims.length)
  for (let i = 0; i < claims.length; i++) {
    const claim = claims[i] as Claim
    results[i] = scrub(claim, contextFor(claim, i))
  }
  return results
}

// ---------------------------------------------------------------------------------------------------------------
// Fixes

const isFix = Schema.is(Fix)

const withLine = (claim: Claim, index: number, line: Line, extra: Partial<Claim> = {}): Claim =>
  new Claim({ ...claim, ...extra, lines: claim.lines.map((l, i) => (i === index ? line : l)) })

/**
 * Applies a fix to a claim: a new claim, charges and balance unchanged except when units change (the line's
 * charge then changes at its own rate per unit, and the claim's charge and balance by the same amount). A fix that
 * does not apply to the claim (no such line, the modifier already there or absent, a fifth modifier, a pointer past
 * the claim's diagnoses, a charge not a whole number of cents per unit) leaves the claim as it is.
 *
 * @since 0.1.0
 */
export const applyFix = (claim: Claim, fix: Fix): Claim => {
  if (!isFix(fix)) return claim
  if (fix._tag === "SetPriorAuthorization") {
    return claim.priorAuthorization === fix.number ? claim : new Claim({ ...claim, priorAuthorization: fix.number })
  }
  if (fix._tag === "SetPlaceOfService" && fix.line === undefined) {
    return new Claim({
      ...claim,
      placeOfService: fix.placeOfService,
      lines: claim.lines.map((l) => ({ ...l, placeOfService: fix.placeOfService }))
    })
  }
  const index = fix.line as number
  const line = claim.lines[index]
  if (line === undefined) return claim
  switch (fix._tag) {
    case "AddModifier":
      if (line.modifiers.includes(fix.modifier) || line.modifiers.length >= 4) return claim
      return withLine(claim, index, { ...line, modifiers: [...line.modifiers, fix.modifier] })
    case "RemoveModifier":
      if (!line.modifiers.includes(fix.modifier)) return claim
      return withLine(claim, index, { ...line, modifiers: line.modifiers.filter((m) => m !== fix.modifier) })
    case "ReplaceModifier": {
      if (!line.modifiers.includes(fix.from)) return claim
      const modifiers = line.modifiers.includes(fix.to)
        ? line.modifiers.filter((m) => m !== fix.from)
        : line.modifiers.map((m) => (m === fix.from ? fix.to : m))
      return withLine(claim, index, { ...line, modifiers })
    }
    case "SetPlaceOfService": {
      const lines = claim.lines.map((l, i) => (i === index ? { ...l, placeOfService: fix.placeOfService } : l))
      // The claim's place of service (CLM05-1) follows when every line now agrees.
      const same = lines.every((l) => l.placeOfService === fix.placeOfService)
      return new Claim({ ...claim, lines, ...(same ? { placeOfService: fix.placeOfService } : {}) })
    }
    case "SetUnits": {
      if (line.units === fix.units || line.charge % line.units !== 0) return claim
      const charge = Money.times(Money.cents(line.charge / line.units), fix.units)
      const delta = Money.subtract(charge, line.charge)
      return withLine(
        claim,
        index,
        { ...line, units: fix.units, charge },
        { charge: Money.add(claim.charge, delta), balance: Money.add(claim.balance, delta) }
      )
    }
    case "SetPointers":
      if (fix.pointers.some((p) => p > claim.diagnoses.length)) return claim
      return withLine(claim, index, { ...line, diagnosisPointers: fix.pointers })
  }
}

/**
 * Applies fixes in order (those of one scrub result refer to the same lines, which no fix adds or removes).
 *
 * @since 0.1.0
 */
export const applyFixes = (claim: Claim, fixes: Iterable<Fix>): Claim => {
  let result = claim
  for (const fix of fixes) result = applyFix(result, fix)
  return result
}

/**
 * The certain fixes of a scrub result.
 *
 * @since 0.1.0
 */
export const fixesOf = (result: ScrubResult): Array<Fix> => {
  const fixes: Array<Fix> = []
  for (const finding of result.findings) if (finding.fix !== undefined) fixes.push(finding.fix)
  return fixes
}
