/**
 * Rule packs: a payer, plan or state program is data, never code. A pack is a JSON document validated by
 * `RulePack`, with an effective-date range and a layer (base → payer → plan → program); a later layer overrides
 * the earlier. `validate` refuses an invalid pack with every problem listed by JSON path.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema, SchemaIssue } from "effect"
import { Credential } from "./Credential.js"
import { DateOfService } from "./DateOfService.js"
import { FacilityType } from "./Organization.js"

/**
 * A CPT (five digits, or four and a letter) or HCPCS Level II (a letter and four digits) procedure code.
 *
 * @since 0.1.0
 */
export const ProcedureCode = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^(\d{4}[0-9FTU]|[A-V]\d{4})$/u, { expected: "a CPT or HCPCS code such as 90834 or H0004" })
  )
).annotate({ identifier: "ProcedureCode" })

/**
 * A two-character procedure modifier such as 95, HO or GT.
 *
 * @since 0.1.0
 */
export const Modifier = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[A-Z0-9]{2}$/u, { expected: "a two-character modifier" }))
).annotate({ identifier: "Modifier" })

/**
 * A two-digit CMS place-of-service code.
 *
 * @since 0.1.0
 */
export const PlaceOfService = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^\d{2}$/u, { expected: "a two-digit place-of-service code" }))
).annotate({ identifier: "PlaceOfService" })

const Minutes = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1440 })))
const PositiveMinutes = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1440 })))

/**
 * An optional, inclusive date range: a rule with none applies on every date its pack is in force.
 *
 * @since 0.1.0
 */
export const Effective = Schema.Struct({
  from: Schema.optional(DateOfService),
  to: Schema.optional(DateOfService)
}).annotate({ identifier: "Effective" })

/**
 * @since 0.1.0
 */
export type Effective = typeof Effective.Type

/**
 * How minutes become units of a timed code (RULES.md §1.2).
 * - `cpt_midpoint`: a unit is attained when its mid-point is passed (8 of 15 minutes, 31 of 60).
 * - `cms_8_minute`: Medicare's table for 15-minute codes (8–22 → 1, 23–37 → 2, ...); for one code a session it
 *   gives the same units as the mid-point rule, and Medicare adds the minutes of all timed codes of a day.
 * - `full_unit`: only whole units count (a "per 15 minutes" code needs 15, 30, ...).
 * - `up_to_unit`: any started unit counts ("up to 15 minutes": 1–15 → 1).
 *
 * @since 0.1.0
 */
export const UnitRounding = Schema.Literals(["cpt_midpoint", "cms_8_minute", "full_unit", "up_to_unit"]).annotate({
  identifier: "UnitRounding"
})

/**
 * @since 0.1.0
 */
export type UnitRounding = typeof UnitRounding.Type

/**
 * @since 0.1.0
 */
export const Tier = Schema.Struct({ minMinutes: PositiveMinutes, code: ProcedureCode })

/**
 * One code chosen by total minutes: the highest tier whose minimum is met. Under the lowest tier the service is
 * not billable. `withEm` is the add-on table used when an E/M is billed the same session (+90833/6/8).
 *
 * @since 0.1.0
 */
export const TieredFamily = Schema.Struct({
  kind: Schema.Literal("tiered"),
  label: Schema.NonEmptyString,
  tiers: Schema.Array(Tier).pipe(Schema.check(Schema.isMinLength(1))),
  withEm: Schema.optional(Schema.Array(Tier).pipe(Schema.check(Schema.isMinLength(1))))
})

/**
 * A primary code at a minimum, then add-on units: one at `startsAt` minutes and one more every `every` minutes
 * (crisis 90839 + 90840, testing 96130 + 96131, health behavior 96158 + 96159). Under the primary's minimum the
 * session is coded by `belowMinimum`, another family of the chain, or is not billable.
 *
 * @since 0.1.0
 */
export const PrimaryAddOnFamily = Schema.Struct({
  kind: Schema.Literal("primary-add-on"),
  label: Schema.NonEmptyString,
  primary: Schema.Struct({ code: ProcedureCode, minMinutes: PositiveMinutes }),
  addOn: Schema.Struct({
    code: ProcedureCode,
    startsAt: PositiveMinutes,
    every: PositiveMinutes,
    maxUnits: Schema.optional(PositiveMinutes)
  }),
  belowMinimum: Schema.optional(Schema.NonEmptyString)
})

/**
 * A code billed in units of time (HCPCS H/T codes: "per 15 minutes").
 *
 * @since 0.1.0
 */
export const TimedUnitsFamily = Schema.Struct({
  kind: Schema.Literal("timed-units"),
  label: Schema.NonEmptyString,
  code: ProcedureCode,
  unitMinutes: PositiveMinutes,
  /** Defaults to the chain's `settings.unitRounding`. */
  rounding: Schema.optional(UnitRounding)
})

/**
 * A code billed once a session whatever its length (90791, 90853, H0031).
 *
 * @since 0.1.0
 */
export const UntimedFamily = Schema.Struct({
  kind: Schema.Literal("untimed"),
  label: Schema.NonEmptyString,
  code: ProcedureCode
})

/**
 * @since 0.1.0
 */
export const ServiceFamily = Schema.Union([TieredFamily, PrimaryAddOnFamily, TimedUnitsFamily, UntimedFamily])

/**
 * @since 0.1.0
 */
export type ServiceFamily = typeof ServiceFamily.Type

/**
 * How completed sessions are grouped into claims (`ClaimBuild.build`):
 * - `per-day`: one claim per patient, payer, coverage, billing provider, rendering clinician and date of service.
 * - `per-month`: a patient's sessions of a calendar month with the same payer, coverage, billing provider and
 *   rendering clinician on one claim, as some Medicaid programs bill.
 *
 * Either way, sessions with another supervising clinician or prior authorization number go on another claim, and
 * a claim that would pass 12 diagnoses or 50 lines is split.
 *
 * @since 0.1.0
 */
export const ClaimGrouping = Schema.Literals(["per-day", "per-month"]).annotate({ identifier: "ClaimGrouping" })

/**
 * @since 0.1.0
 */
export type ClaimGrouping = typeof ClaimGrouping.Type

/**
 * @since 0.1.0
 */
export const Settings = Schema.Struct({
  unitRounding: Schema.optional(UnitRounding),
  /** How the E/M level is chosen when psychotherapy add-ons are billed: by medical decision making (the session
   * names the code) or by E/M time (RULES.md §1.3 ⚠: sources disagree). */
  emLevelSelection: Schema.optional(Schema.Literals(["mdm", "time"])),
  /** Days before expiry and sessions left at which an authorization alerts. */
  authorizationAlertDays: Schema.optional(PositiveMinutes),
  authorizationAlertSessions: Schema.optional(PositiveMinutes),
  /** Days the payer takes to answer an authorization request: renewals are due this long before run-out. */
  authorizationTurnaroundDays: Schema.optional(PositiveMinutes),
  /** Days the payer allows to appeal a denial. */
  appealWindowDays: Schema.optional(PositiveMinutes),
  /** How sessions are grouped into claims: `per-day` (the default) or `per-month`. */
  claimGrouping: Schema.optional(ClaimGrouping)
})

/**
 * @since 0.1.0
 */
export const EmCodes = Schema.Struct({
  codes: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1))),
  /** Used when `settings.emLevelSelection` is `time`: the time must be met or exceeded (no mid-point). */
  byTime: Schema.optional(Schema.Array(Tier))
})

/**
 * @since 0.1.0
 */
export const InteractiveComplexity = Schema.Struct({
  code: ProcedureCode,
  allowedWith: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1)))
})

/**
 * Which credentials may bill these codes. A code named by no rule in force may be billed by any credential.
 *
 * @since 0.1.0
 */
export const BillableBy = Schema.Struct({
  codes: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1))),
  credentials: Schema.Array(Credential).pipe(Schema.check(Schema.isMinLength(1))),
  effective: Schema.optional(Effective),
  note: Schema.optional(Schema.String)
})

/**
 * The modifier a program requires on these codes (all codes when absent) for these credentials (HO, HN, HP, AJ...).
 *
 * @since 0.1.0
 */
export const CredentialModifier = Schema.Struct({
  credentials: Schema.Array(Credential).pipe(Schema.check(Schema.isMinLength(1))),
  modifier: Modifier,
  codes: Schema.optional(Schema.Array(ProcedureCode)),
  effective: Schema.optional(Effective)
})

/**
 * How a telehealth session is billed: place of service by where the patient is, and modifiers. The first rule
 * in force that matches the delivery mode (and the facility type, when the rule names some) applies.
 *
 * @since 0.1.0
 */
export const TelehealthRule = Schema.Struct({
  mode: Schema.Literals(["video", "audio-only"]),
  effective: Schema.optional(Effective),
  facilityTypes: Schema.optional(Schema.Array(FacilityType)),
  placeOfService: Schema.Struct({ home: PlaceOfService, other: PlaceOfService }),
  modifiers: Schema.Array(Modifier),
  /** The codes this mode may be used for (audio-only: CPT Appendix T); absent means every code. */
  codes: Schema.optional(Schema.Array(ProcedureCode)),
  /** False when the payer does not cover this mode on these dates. */
  allowed: Schema.optional(Schema.Boolean),
  /** Where the patient must be for this mode to be covered (Medicare audio-only: at home); absent means anywhere. */
  patientLocations: Schema.optional(Schema.Array(Schema.Literals(["home", "other"]))),
  note: Schema.optional(Schema.String)
})

/**
 * A denial as the payer would send it: claim adjustment group and reason code, and a remark code where known.
 *
 * @since 0.1.0
 */
export const Denial = Schema.Struct({
  group: Schema.Literals(["CO", "PR", "OA", "PI"]),
  carc: Schema.NonEmptyString,
  rarc: Schema.optional(Schema.NonEmptyString)
})

/**
 * @since 0.1.0
 */
export type Denial = typeof Denial.Type

/**
 * The scrubber's edits by stable id (`Scrub`): what a pack's `scrub` section names to change an edit's severity or
 * denial.
 *
 * @since 0.1.0
 */
export const scrubEdits = [
  "same-day-pair",
  "same-day-family",
  "add-on-without-primary",
  "units-per-day",
  "minutes-below-minimum",
  "credential-not-allowed",
  "credential-modifier",
  "telehealth-not-covered",
  "telehealth-pos",
  "telehealth-modifier",
  "diagnosis-invalid-on-dos",
  "diagnosis-not-specific",
  "z-code-primary",
  "pointer-to-nothing",
  "authorization-missing",
  "authorization-expired",
  "authorization-exhausted",
  "authorization-not-applicable",
  "authorization-number",
  "timely-filing",
  "duplicate",
  "possible-duplicate",
  "coverage-inactive",
  "member-id-format",
  "date-of-birth",
  "npi-check-digit",
  "taxonomy",
  "billing-provider-zip",
  "replacement-without-f8"
] as const

/**
 * @since 0.1.0
 */
export type ScrubEdit = (typeof scrubEdits)[number]

/**
 * How the scrubber treats this payer's claims where payers differ (RULES.md ⚠): an edit's severity (`error` blocks
 * submission, `warning` does not, `off` skips the edit), the denial the payer sends for it (CO-107 or CO-B15 for an
 * add-on without its primary), and the format of the payer's member ids (a regular expression and, for people, what
 * it expects). Severities and denials merge edit by edit across layers; `memberId` is replaced whole.
 *
 * @since 0.1.0
 */
export const Scrub = Schema.Struct({
  severities: Schema.optional(Schema.Record(Schema.String, Schema.Literals(["error", "warning", "off"]))),
  denials: Schema.optional(Schema.Record(Schema.String, Denial)),
  memberId: Schema.optional(Schema.Struct({ pattern: Schema.NonEmptyString, expected: Schema.NonEmptyString }))
})

/**
 * @since 0.1.0
 */
export const SameDayExclusion = Schema.Struct({
  codes: Schema.Tuple([ProcedureCode, ProcedureCode]),
  /** NCCI-associated modifiers that let both be billed; empty for modifier indicator 0. */
  bypassModifiers: Schema.Array(Modifier),
  denial: Denial,
  effective: Schema.optional(Effective)
})

/**
 * @since 0.1.0
 */
export const TimelyFiling = Schema.Union([
  Schema.Struct({ months: PositiveMinutes }),
  Schema.Struct({ days: PositiveMinutes })
])

/**
 * @since 0.1.0
 */
export const PriorAuthorization = Schema.Struct({
  codes: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1))),
  /** Required from the first visit, or only after this many visits in the limit's period. */
  afterVisits: Schema.optional(Minutes),
  effective: Schema.optional(Effective)
})

/**
 * @since 0.1.0
 */
export const VisitLimit = Schema.Struct({
  id: Schema.NonEmptyString,
  period: Schema.Literals(["calendar-year", "plan-year"]),
  max: PositiveMinutes,
  codes: Schema.Array(ProcedureCode).pipe(Schema.check(Schema.isMinLength(1))),
  excludeCodes: Schema.optional(Schema.Array(ProcedureCode)),
  /** Several services on one day count as one visit (NY Medicaid). */
  sameDayCountsAsOne: Schema.Boolean,
  effective: Schema.optional(Effective)
})

const packId = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^[a-z0-9][a-z0-9-]{1,63}$/u, { expected: "a pack id of lowercase letters, digits and '-'" })
  )
)

/**
 * A rule pack as written in JSON.
 *
 * @since 0.1.0
 */
export const RulePack = Schema.Struct({
  id: packId,
  version: Schema.String.pipe(
    Schema.check(Schema.isPattern(/^\d+\.\d+\.\d+$/u, { expected: "a version such as 2025.1.0" }))
  ),
  name: Schema.NonEmptyString,
  layer: Schema.Literals(["base", "payer", "plan", "program"]),
  /** The pack this one overrides; required for every layer but the base. */
  extends: Schema.optional(packId),
  effective: Effective,
  description: Schema.optional(Schema.String),
  sources: Schema.optional(Schema.Array(Schema.String)),
  settings: Schema.optional(Settings),
  families: Schema.optional(Schema.Record(Schema.String, ServiceFamily)),
  emCodes: Schema.optional(EmCodes),
  interactiveComplexity: Schema.optional(InteractiveComplexity),
  addOns: Schema.optional(Schema.Record(Schema.String, Schema.Array(ProcedureCode))),
  billableBy: Schema.optional(Schema.Array(BillableBy)),
  credentialModifiers: Schema.optional(Schema.Array(CredentialModifier)),
  telehealth: Schema.optional(Schema.Array(TelehealthRule)),
  unitsPerDay: Schema.optional(Schema.Record(Schema.String, PositiveMinutes)),
  sameDayExclusions: Schema.optional(Schema.Array(SameDayExclusion)),
  timelyFiling: Schema.optional(TimelyFiling),
  priorAuthorization: Schema.optional(Schema.Array(PriorAuthorization)),
  visitLimits: Schema.optional(Schema.Array(VisitLimit)),
  scrub: Schema.optional(Scrub)
}).annotate({ identifier: "RulePack", title: "OpenRCM rule pack" })

/**
 * @since 0.1.0
 */
export type RulePack = typeof RulePack.Type

/**
 * One problem in a pack, at a JSON path such as `$.families.psychotherapy.tiers[1].minMinutes`.
 *
 * @since 0.1.0
 */
export const Problem = Schema.Struct({ path: Schema.String, message: Schema.String })

/**
 * @since 0.1.0
 */
export type Problem = typeof Problem.Type

/**
 * A pack that cannot be loaded, with every problem found.
 *
 * @since 0.1.0
 */
export class RulePackError extends Schema.TaggedError<RulePackError>()("RulePackError", {
  packId: Schema.optional(Schema.String),
  problems: Schema.Array(Problem)
}) {
  override get message() {
    const where = this.packId === undefined ? "rule pack" : `rule pack ${this.packId}`
    return `${where} is invalid:\n${this.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`
  }
}

/**
 * Formats a path of keys and indexes as JSON path.
 *
 * @since 0.1.0
 */
export const jsonPath = (segments: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>): string =>
  segments.reduce<string>((path, segment) => {
    const key = typeof segment === "object" ? segment.key : segment
    if (typeof key === "number") return `${path}[${key}]`
    const text = String(key)
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/u.test(text) ? `${path}.${text}` : `${path}[${JSON.stringify(text)}]`
  }, "$")

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()
const decode = Schema.decodeUnknownExit(RulePack)

const codePattern = /^(\d{4}[0-9FTU]|[A-V]\d{4})$/u

const ascending = (tiers: ReadonlyArray<{ readonly minMinutes: number }>) =>
  tiers.every((tier, i) => i === 0 || tier.minMinutes > (tiers[i - 1]?.minMinutes ?? 0))

/** Rules the schema cannot say: orders, references and ranges that span fields. */
const semanticProblems = (pack: RulePack): Array<Problem> => {
  const problems: Array<Problem> = []
  const add = (path: ReadonlyArray<string | number>, message: string) =>
    problems.push({ path: jsonPath(path), message })
  if (pack.layer !== "base" && pack.extends === undefined)
    add(["extends"], `a ${pack.layer} pack must name the pack it extends`)
  if (pack.layer === "base" && pack.extends !== undefined) add(["extends"], "a base pack extends nothing")
  if (pack.extends === pack.id) add(["extends"], "a pack cannot extend itself")
  const range = (effective: Effective | undefined, path: ReadonlyArray<string | number>) => {
    if (effective?.from !== undefined && effective.to !== undefined && effective.from > effective.to) {
      add([...path, "to"], `ends (${effective.to}) before it starts (${effective.from})`)
    }
  }
  range(pack.effective, ["effective"])
  for (const [name, family] of Object.entries(pack.families ?? {})) {
    const at = ["families", name]
    if (family.kind === "tiered") {
      if (!ascending(family.tiers)) add([...at, "tiers"], "tiers must be in ascending order of minMinutes")
      if (family.withEm && !ascending(family.withEm))
        add([...at, "withEm"], "tiers must be in ascending order of minMinutes")
    }
    if (family.kind === "primary-add-on") {
      if (family.addOn.startsAt <= family.primary.minMinutes) {
        add([...at, "addOn", "startsAt"], "the first add-on unit must start after the primary's minimum")
      }
      if (family.belowMinimum === name) add([...at, "belowMinimum"], "a family cannot fall back to itself")
    }
  }
  for (const section of ["billableBy", "credentialModifiers", "telehealth"] as const) {
    for (const [i, rule] of (pack[section] ?? []).entries()) range(rule.effective, [section, i, "effective"])
  }
  ;(pack.sameDayExclusions ?? []).forEach((rule, i) => {
    range(rule.effective, ["sameDayExclusions", i, "effective"])
    if (rule.codes[0] === rule.codes[1]) add(["sameDayExclusions", i, "codes"], "a code cannot exclude itself")
  })
  for (const [addOn, primaries] of Object.entries(pack.addOns ?? {})) {
    if (!codePattern.test(addOn)) add(["addOns", addOn], "the key must be a CPT or HCPCS code")
    if (primaries.length === 0) add(["addOns", addOn], "an add-on needs at least one primary")
  }
  for (const code of Object.keys(pack.unitsPerDay ?? {})) {
    if (!codePattern.test(code)) add(["unitsPerDay", code], "the key must be a CPT or HCPCS code")
  }
  const knownEdits: ReadonlySet<string> = new Set(scrubEdits)
  for (const section of ["severities", "denials"] as const) {
    for (const edit of Object.keys(pack.scrub?.[section] ?? {})) {
      if (!knownEdits.has(edit)) add(["scrub", section, edit], `no scrub edit is called "${edit}"`)
    }
  }
  const memberIdPattern = pack.scrub?.memberId?.pattern
  if (memberIdPattern !== undefined && Result.isFailure(Result.try(() => new RegExp(memberIdPattern, "u")))) {
    add(["scrub", "memberId", "pattern"], "not a valid regular expression")
  }
  const limitIds = new Set<string>()
  ;(pack.visitLimits ?? []).forEach((limit, i) => {
    if (limitIds.has(limit.id)) add(["visitLimits", i, "id"], `duplicate visit limit id ${limit.id}`)
    limitIds.add(limit.id)
  })
  return problems
}

/**
 * Validates a pack: every schema problem (all of them, not the first) and every semantic one, by JSON path.
 *
 * @since 0.1.0
 */
export const validate = (input: unknown): Effect.Effect<RulePack, RulePackError> => {
  const packId =
    typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string"
      ? (input as { id: string }).id
      : undefined
  const exit = decode(input, { errors: "all", onExcessProperty: "error" })
  if (exit._tag === "Failure") {
    const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    const issue = error !== undefined && "error" in error ? (error.error as Schema.SchemaError).issue : undefined
    const problems =
      issue === undefined
        ? [{ path: "$", message: "not a rule pack" }]
        : formatter(issue).issues.map((i) => ({ path: jsonPath(i.path ?? []), message: i.message }))
    return Effect.fail(new RulePackError({ ...(packId === undefined ? {} : { packId }), problems }))
  }
  const problems = semanticProblems(exit.value)
  return problems.length > 0
    ? Effect.fail(new RulePackError({ ...(packId === undefined ? {} : { packId }), problems }))
    : Effect.succeed(exit.value)
}

/**
 * True when a rule's optional range includes the date.
 *
 * @since 0.1.0
 */
export const isInForce = (effective: Effective | undefined, date: string): boolean =>
  effective === undefined ||
  ((effective.from === undefined || effective.from <= date) && (effective.to === undefined || date <= effective.to))
