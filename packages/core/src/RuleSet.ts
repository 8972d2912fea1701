/**
 * A rule set: the packs of one chain (base → payer → plan → program) merged into the rules in force, each rule
 * remembering the pack and JSON path it came from so every decision can name it. Compiled once per chain and
 * reused for every session, so coding does lookups, not merging.
 *
 * Merging: `settings`, `families`, `addOns`, `unitsPerDay` and the scrub edits' `severities` and `denials` merge
 * key by key (a later layer replaces a key); `emCodes`, `interactiveComplexity`, `timelyFiling` and the scrub's
 * `memberId` format are replaced whole; rule lists (`billableBy`,
 * `credentialModifiers`, `telehealth`, `sameDayExclusions`, `priorAuthorization`, `visitLimits`) are replaced
 * whole by the latest layer that has the list, so a layer states its full list.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import acmeHealth from "../packs/acme-health.json" with { type: "json" }
import acmeHealthHmo from "../packs/acme-health-hmo.json" with { type: "json" }
import cptBase from "../packs/cpt-base.json" with { type: "json" }
import medicare from "../packs/medicare.json" with { type: "json" }
import stateMedicaidExample from "../packs/state-medicaid-example.json" with { type: "json" }
import type { Credential } from "./Credential.js"
import type { DateOfService } from "./DateOfService.js"
import * as RulePack from "./RulePack.js"

/**
 * Where a rule came from: `pack` is `id@version`, `path` a JSON path in that pack.
 *
 * @since 0.1.0
 */
export interface Origin {
  readonly pack: string
  readonly path: string
}

/**
 * @since 0.1.0
 */
export interface Sourced<A> {
  readonly value: A
  readonly origin: Origin
}

/**
 * A list section and the index of each rule in it, for explanations.
 *
 * @since 0.1.0
 */
export interface RuleList<A> {
  readonly rules: ReadonlyArray<A>
  /** `id@version` of the pack whose list is in force. */
  readonly pack: string
  readonly section: string
}

/**
 * @since 0.1.0
 */
export interface BillableByRule {
  readonly credentials: ReadonlySet<Credential>
  readonly effective: RulePack.Effective | undefined
  readonly note: string | undefined
  readonly origin: Origin
}

/**
 * A chain's `scrub` sections: severities and denials by edit, each from the latest layer that sets that edit, and
 * the member id format of the latest layer that has one.
 *
 * @since 0.1.0
 */
export interface ScrubRules {
  readonly severities: ReadonlyMap<RulePack.ScrubEdit, Sourced<"error" | "warning" | "off">>
  readonly denials: ReadonlyMap<RulePack.ScrubEdit, Sourced<RulePack.Denial>>
  readonly memberId: Sourced<{ readonly pattern: string; readonly expected: string }> | undefined
}

/**
 * @since 0.1.0
 */
export interface RuleSet {
  /** The packs merged, base first, as `id@version`. */
  readonly chain: ReadonlyArray<string>
  readonly effective: RulePack.Effective
  readonly unitRounding: Sourced<RulePack.UnitRounding>
  readonly emLevelSelection: Sourced<"mdm" | "time">
  /** `settings.claimGrouping`, `per-day` when no pack of the chain sets it. */
  readonly claimGrouping: Sourced<RulePack.ClaimGrouping>
  readonly settings: Readonly<Record<string, Sourced<unknown>>>
  readonly families: ReadonlyMap<string, Sourced<RulePack.ServiceFamily>>
  readonly emCodes: Sourced<typeof RulePack.EmCodes.Type> | undefined
  readonly emCodeSet: ReadonlySet<string>
  readonly interactiveComplexity: Sourced<typeof RulePack.InteractiveComplexity.Type> | undefined
  readonly addOns: ReadonlyMap<string, Sourced<ReadonlySet<string>>>
  /** Credential rules by code. */
  readonly billableBy: ReadonlyMap<string, ReadonlyArray<BillableByRule>>
  readonly credentialModifiers: RuleList<typeof RulePack.CredentialModifier.Type>
  readonly telehealth: RuleList<typeof RulePack.TelehealthRule.Type>
  readonly unitsPerDay: ReadonlyMap<string, Sourced<number>>
  readonly sameDayExclusions: RuleList<typeof RulePack.SameDayExclusion.Type>
  readonly timelyFiling: Sourced<typeof RulePack.TimelyFiling.Type> | undefined
  readonly priorAuthorization: RuleList<typeof RulePack.PriorAuthorization.Type>
  readonly visitLimits: RuleList<typeof RulePack.VisitLimit.Type>
  readonly scrub: ScrubRules
}

const listSections = [
  "credentialModifiers",
  "telehealth",
  "sameDayExclusions",
  "priorAuthorization",
  "visitLimits"
] as const

/**
 * Merges a chain of packs, base first. The chain must start with a base pack and each pack must extend the one
 * before it; that is checked here, so a rule set is always a real chain.
 *
 * @since 0.1.0
 */
export const compile = (packs: ReadonlyArray<RulePack.RulePack>): Effect.Effect<RuleSet, RulePack.RulePackError> => {
  const problems: Array<RulePack.Problem> = []
  packs.forEach((pack, i) => {
    if (i === 0 && pack.layer !== "base")
      problems.push({ path: "$.layer", message: `the chain starts with ${pack.id}, not a base pack` })
    if (i > 0 && pack.extends !== packs[i - 1]?.id) {
      problems.push({
        path: "$.extends",
        message: `${pack.id} extends ${pack.extends ?? "nothing"}, not ${packs[i - 1]?.id}`
      })
    }
  })
  if (packs.length === 0) problems.push({ path: "$", message: "a chain needs at least a base pack" })
  if (problems.length > 0) {
    const leaf = packs.at(-1)?.id
    return Effect.fail(new RulePack.RulePackError({ ...(leaf === undefined ? {} : { packId: leaf }), problems }))
  }
  return Effect.succeed(merge(packs))
}

const merge = (packs: ReadonlyArray<RulePack.RulePack>): RuleSet => {
  const settings: Record<string, Sourced<unknown>> = {}
  const families = new Map<string, Sourced<RulePack.ServiceFamily>>()
  const addOns = new Map<string, Sourced<ReadonlySet<string>>>()
  const unitsPerDay = new Map<string, Sourced<number>>()
  let emCodes: RuleSet["emCodes"]
  let interactiveComplexity: RuleSet["interactiveComplexity"]
  let timelyFiling: RuleSet["timelyFiling"]
  const scrubSeverities = new Map<RulePack.ScrubEdit, Sourced<"error" | "warning" | "off">>()
  const scrubDenials = new Map<RulePack.ScrubEdit, Sourced<RulePack.Denial>>()
  let memberId: ScrubRules["memberId"]
  let billableByList: RuleList<typeof RulePack.BillableBy.Type> = { rules: [], pack: "", section: "billableBy" }
  const lists: Record<(typeof listSections)[number], RuleList<never>> = {
    credentialModifiers: { rules: [], pack: "", section: "credentialModifiers" },
    telehealth: { rules: [], pack: "", section: "telehealth" },
    sameDayExclusions: { rules: [], pack: "", section: "sameDayExclusions" },
    priorAuthorization: { rules: [], pack: "", section: "priorAuthorization" },
    visitLimits: { rules: [], pack: "", section: "visitLimits" }
  }
  let from: string | undefined
  let to: string | undefined
  for (const pack of packs) {
    const name = `${pack.id}@${pack.version}`
    const at = (path: string): Origin => ({ pack: name, path })
    // The chain is in force where every pack of it is.
    if (pack.effective.from !== undefined && (from === undefined || pack.effective.from > from))
      from = pack.effective.from
    if (pack.effective.to !== undefined && (to === undefined || pack.effective.to < to)) to = pack.effective.to
    for (const [key, value] of Object.entries(pack.settings ?? {})) {
      if (value !== undefined) settings[key] = { value, origin: at(RulePack.jsonPath(["settings", key])) }
    }
    for (const [key, family] of Object.entries(pack.families ?? {})) {
      families.set(key, { value: family, origin: at(RulePack.jsonPath(["families", key])) })
    }
    for (const [code, primaries] of Object.entries(pack.addOns ?? {})) {
      addOns.set(code, { value: new Set(primaries), origin: at(RulePack.jsonPath(["addOns", code])) })
    }
    for (const [code, max] of Object.entries(pack.unitsPerDay ?? {})) {
      unitsPerDay.set(code, { value: max, origin: at(RulePack.jsonPath(["unitsPerDay", code])) })
    }
    if (pack.emCodes) emCodes = { value: pack.emCodes, origin: at("$.emCodes") }
    if (pack.interactiveComplexity) {
      interactiveComplexity = { value: pack.interactiveComplexity, origin: at("$.interactiveComplexity") }
    }
    if (pack.timelyFiling) timelyFiling = { value: pack.timelyFiling, origin: at("$.timelyFiling") }
    // Edit ids were checked by `RulePack.validate`.
    for (const [edit, severity] of Object.entries(pack.scrub?.severities ?? {})) {
      const path = RulePack.jsonPath(["scrub", "severities", edit])
      scrubSeverities.set(edit as RulePack.ScrubEdit, { value: severity, origin: at(path) })
    }
    for (const [edit, denial] of Object.entries(pack.scrub?.denials ?? {})) {
      scrubDenials.set(edit as RulePack.ScrubEdit, {
        value: denial,
        origin: at(RulePack.jsonPath(["scrub", "denials", edit]))
      })
    }
    if (pack.scrub?.memberId) memberId = { value: pack.scrub.memberId, origin: at("$.scrub.memberId") }
    if (pack.billableBy) billableByList = { rules: pack.billableBy, pack: name, section: "billableBy" }
    for (const section of listSections) {
      const rules = pack[section]
      if (rules) lists[section] = { rules: rules as ReadonlyArray<never>, pack: name, section }
    }
  }
  const billableBy = new Map<string, Array<BillableByRule>>()
  billableByList.rules.forEach((rule, i) => {
    const compiled: BillableByRule = {
      credentials: new Set(rule.credentials),
      effective: rule.effective,
      note: rule.note,
      origin: { pack: billableByList.pack, path: RulePack.jsonPath(["billableBy", i]) }
    }
    for (const code of rule.codes) {
      const existing = billableBy.get(code)
      if (existing) existing.push(compiled)
      else billableBy.set(code, [compiled])
    }
  })
  const base = packs[0]
  const fallback = (path: string): Origin => ({ pack: base ? `${base.id}@${base.version}` : "", path })
  return {
    chain: packs.map((p) => `${p.id}@${p.version}`),
    effective: {
      ...(from === undefined ? {} : { from: from as DateOfService }),
      ...(to === undefined ? {} : { to: to as DateOfService })
    },
    unitRounding: (settings.unitRounding as Sourced<RulePack.UnitRounding> | undefined) ?? {
      value: "cpt_midpoint",
      origin: fallback("(default)")
    },
    emLevelSelection: (settings.emLevelSelection as Sourced<"mdm" | "time"> | undefined) ?? {
      value: "mdm",
      origin: fallback("(default)")
    },
    claimGrouping: (settings.claimGrouping as Sourced<RulePack.ClaimGrouping> | undefined) ?? {
      value: "per-day",
      origin: fallback("(default)")
    },
    settings,
    families,
    emCodes,
    emCodeSet: new Set(emCodes?.value.codes ?? []),
    interactiveComplexity,
    addOns,
    billableBy,
    credentialModifiers: lists.credentialModifiers,
    telehealth: lists.telehealth,
    unitsPerDay,
    sameDayExclusions: lists.sameDayExclusions,
    timelyFiling,
    priorAuthorization: lists.priorAuthorization,
    visitLimits: lists.visitLimits,
    scrub: { severities: scrubSeverities, denials: scrubDenials, memberId }
  }
}

/**
 * The packs OpenRCM ships: CPT time rules as the base, Medicare, a commercial payer and one of its plans, and a
 * state Medicaid program. Their JSON is in the package's `packs/` folder.
 *
 * @since 0.1.0
 */
export const builtinPacks: ReadonlyArray<unknown> = [cptBase, medicare, acmeHealth, acmeHealthHmo, stateMedicaidExample]

/**
 * A pack or chain that cannot be used for a date of service.
 *
 * @since 0.1.0
 */
export class RulePackNotFound extends Schema.TaggedError<RulePackNotFound>()("RulePackNotFound", {
  packId: Schema.String,
  dateOfService: Schema.String
}) {
  override get message() {
    return `no version of rule pack ${this.packId} is in force on ${this.dateOfService}`
  }
}

/**
 * The rule packs a runtime knows, by id, each possibly in several versions with their own effective dates.
 *
 * @since 0.1.0
 */
export class RulePacks extends Context.Service<
  RulePacks,
  {
    /** The rule set of the chain that ends with `packId`, using the version of each pack in force on the date. */
    readonly resolve: (
      packId: string,
      dateOfService: DateOfService
    ) => Effect.Effect<RuleSet, RulePackNotFound | RulePack.RulePackError>
    /** Every pack loaded, as validated documents. */
    readonly packs: ReadonlyArray<RulePack.RulePack>
  }
>()("@openrcm/core/RulePacks") {}

/**
 * Builds the service from validated packs. Chains are compiled on first use and cached.
 *
 * @since 0.1.0
 */
export const makeRulePacks = (packs: ReadonlyArray<RulePack.RulePack>): RulePacks["Service"] => {
  const byId = new Map<string, Array<RulePack.RulePack>>()
  for (const pack of packs) {
    const versions = byId.get(pack.id) ?? []
    versions.push(pack)
    byId.set(pack.id, versions)
  }
  const inForce = (id: string, date: DateOfService): RulePack.RulePack | undefined => {
    let best: RulePack.RulePack | undefined
    for (const pack of byId.get(id) ?? []) {
      if (!RulePack.isInForce(pack.effective, date)) continue
      if (best === undefined || compareVersions(pack.version, best.version) > 0) best = pack
    }
    return best
  }
  const cache = new Map<string, RuleSet>()
  // Most calls ask again for a pack and date already seen: answer those from one map lookup.
  const byPackAndDate = new Map<string, Effect.Effect<RuleSet>>()
  const resolve = (packId: string, dateOfService: DateOfService) => {
    const known = byPackAndDate.get(`${packId}|${dateOfService}`)
    if (known !== undefined) return known
    return resolveChain(packId, dateOfService).pipe(
      Effect.tap((ruleSet) =>
        Effect.sync(() => byPackAndDate.set(`${packId}|${dateOfService}`, Effect.succeed(ruleSet)))
      )
    )
  }
  const resolveChain = (packId: string, dateOfService: DateOfService) =>
    Effect.suspend((): Effect.Effect<RuleSet, RulePackNotFound | RulePack.RulePackError> => {
      const chain: Array<RulePack.RulePack> = []
      let id: string | undefined = packId
      while (id !== undefined) {
        const pack = inForce(id, dateOfService)
        if (pack === undefined) return Effect.fail(new RulePackNotFound({ packId: id, dateOfService }))
        if (chain.some((p) => p.id === pack.id)) {
          return Effect.fail(
            new RulePack.RulePackError({
              packId,
              problems: [{ path: "$.extends", message: `the chain of ${packId} loops at ${pack.id}` }]
            })
          )
        }
        chain.unshift(pack)
        id = pack.extends
      }
      const key = chain.map((p) => `${p.id}@${p.version}`).join(">")
      const cached = cache.get(key)
      if (cached) return Effect.succeed(cached)
      return Effect.tap(compile(chain), (ruleSet) => Effect.sync(() => cache.set(key, ruleSet)))
    })
  return RulePacks.of({ resolve, packs })
}

const compareVersions = (a: string, b: string): number => {
  const x = a.split(".").map(Number)
  const y = b.split(".").map(Number)
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * A layer from pack documents (JSON values), each validated; an invalid pack fails the layer with every problem.
 *
 * @since 0.1.0
 */
export const layer = (documents: ReadonlyArray<unknown>): Layer.Layer<RulePacks, RulePack.RulePackError> =>
  Layer.effect(
    RulePacks,
    Effect.map(Effect.forEach(documents, RulePack.validate), (packs) => makeRulePacks(packs))
  )

/**
 * The built-in packs, plus any of the host's own (a new payer is a new pack).
 *
 * @since 0.1.0
 */
export const layerBuiltin = (extra: ReadonlyArray<unknown> = []): Layer.Layer<RulePacks, RulePack.RulePackError> =>
  layer([...builtinPacks, ...extra])
