import { describe, expect, it } from "@effect/vitest"
import { Coding, DateOfService, RulePack, RuleSet } from "@openrcm/core"
import { Effect, Exit } from "effect"
import medicare from "../packs/medicare.json" with { type: "json" }

const validated = RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p)))
const resolve = (packs: ReadonlyArray<RulePack.RulePack>, id: string, date: string) =>
  Effect.runSyncExit(RuleSet.makeRulePacks(packs).resolve(id, DateOfService.make(date)))
const ruleSet = (id: string, date = "2025-03-04") => {
  const exit = resolve(validated, id, date)
  if (Exit.isFailure(exit)) throw new Error(`cannot resolve ${id}`)
  return exit.value
}

describe("RuleSet", () => {
  it("chains a plan to its payer and the base, base first", () => {
    expect(ruleSet("acme-health-hmo").chain).toEqual([
      "cpt-base@2025.1.0",
      "acme-health@2025.1.0",
      "acme-health-hmo@2025.1.0"
    ])
    expect(ruleSet("state-medicaid-example").chain).toEqual(["cpt-base@2025.1.0", "state-medicaid-example@2025.1.0"])
  })

  it("lets a later layer override a setting, key by key, and remembers where each came from", () => {
    expect(ruleSet("cpt-base").unitRounding).toEqual({
      value: "cpt_midpoint",
      origin: { pack: "cpt-base@2025.1.0", path: "$.settings.unitRounding" }
    })
    expect(ruleSet("medicare").unitRounding.value).toBe("cms_8_minute")
    expect(ruleSet("state-medicaid-example").unitRounding.value).toBe("full_unit")
    // Not overridden by Medicare: still the base's.
    expect(ruleSet("medicare").emLevelSelection.origin.pack).toBe("cpt-base@2025.1.0")
    expect(ruleSet("medicare").settings.appealWindowDays?.value).toBe(120)
  })

  it("merges families by name: a program adds its own and keeps the base's", () => {
    const medicaid = ruleSet("state-medicaid-example")
    expect(medicaid.families.get("bh-counseling")?.origin.pack).toBe("state-medicaid-example@2025.1.0")
    expect(medicaid.families.get("psychotherapy")?.origin.pack).toBe("cpt-base@2025.1.0")
    expect(ruleSet("medicare").families.has("bh-counseling")).toBe(false)
  })

  it("replaces a rule list whole with the latest layer's", () => {
    const hmo = ruleSet("acme-health-hmo")
    expect(hmo.telehealth.pack).toBe("acme-health-hmo@2025.1.0")
    expect(hmo.priorAuthorization.rules).toHaveLength(2)
    // The plan does not restate billableBy, so the payer's list is in force.
    expect(hmo.billableBy.get("90834")?.[0]?.origin.pack).toBe("acme-health@2025.1.0")
    expect(ruleSet("acme-health").telehealth.pack).toBe("acme-health@2025.1.0")
  })

  it("uses the version of a pack in force on the date of service", () => {
    const older = {
      ...medicare,
      version: "2023.1.0",
      effective: { from: "2022-01-01", to: "2023-12-31" },
      timelyFiling: { days: 400 }
    }
    const newer = { ...medicare, effective: { from: "2024-01-01" } }
    const packs = [
      validated[0],
      Effect.runSync(RulePack.validate(older)),
      Effect.runSync(RulePack.validate(newer))
    ] as Array<RulePack.RulePack>
    const in2023 = resolve(packs, "medicare", "2023-12-31")
    const in2024 = resolve(packs, "medicare", "2024-01-01")
    expect(Exit.isSuccess(in2023) && in2023.value.chain).toEqual(["cpt-base@2025.1.0", "medicare@2023.1.0"])
    expect(Exit.isSuccess(in2024) && in2024.value.chain).toEqual(["cpt-base@2025.1.0", "medicare@2025.1.0"])
    expect(Exit.isSuccess(in2023) && in2023.value.timelyFiling?.value).toEqual({ days: 400 })
  })

  it("refuses a date no version of the pack covers, and an unknown pack", () => {
    const before = resolve(validated, "medicare", "2021-12-31")
    expect(Exit.isFailure(before)).toBe(true)
    expect(String(before)).toContain("RulePackNotFound")
    expect(Exit.isFailure(resolve(validated, "no-such-payer", "2025-01-01"))).toBe(true)
  })

  it("refuses a chain that does not start at a base pack or skips a link", () => {
    const noBase = Effect.runSyncExit(RuleSet.compile([validated[1] as RulePack.RulePack]))
    expect(Exit.isFailure(noBase)).toBe(true)
    expect(String(noBase)).toContain("not a base pack")
    const skipped = Effect.runSyncExit(RuleSet.compile([validated[0], validated[3]] as Array<RulePack.RulePack>))
    expect(String(skipped)).toContain("acme-health-hmo extends acme-health, not cpt-base")
  })

  it("codes with a pack a host adds at run time: a new payer is data", () => {
    const payer = {
      id: "river-health",
      version: "1.0.0",
      name: "River Health",
      layer: "payer",
      extends: "cpt-base",
      effective: { from: "2025-01-01" },
      telehealth: [{ mode: "video", placeOfService: { home: "02", other: "02" }, modifiers: ["GT"] }]
    }
    const packs = [...validated, Effect.runSync(RulePack.validate(payer))]
    const exit = resolve(packs, "river-health", "2025-06-01")
    if (Exit.isFailure(exit)) throw new Error("river-health did not resolve")
    const result = Coding.code(
      {
        dateOfService: DateOfService.make("2025-06-01"),
        rulePack: "river-health",
        service: "psychotherapy",
        minutes: 40,
        delivery: { mode: "video", patientLocation: "home" },
        clinician: { credential: "LPC" }
      },
      exit.value
    )
    expect(result._tag === "Billable" && result.lines.map((l) => [l.code, l.modifiers, l.placeOfService])).toEqual([
      ["90834", ["GT"], "02"]
    ])
  })
})
