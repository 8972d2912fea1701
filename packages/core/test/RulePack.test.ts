import { describe, expect, it } from "@effect/vitest"
import { RulePack, RuleSet } from "@openrcm/core"
import { Effect, Exit } from "effect"
import cptBase from "../packs/cpt-base.json" with { type: "json" }

const problemsOf = (document: unknown) => {
  const exit = Effect.runSyncExit(RulePack.validate(document))
  if (Exit.isSuccess(exit)) return []
  const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
  const error = failure && "error" in failure ? (failure.error as RulePack.RulePackError) : undefined
  return error?.problems ?? [{ path: "?", message: "no RulePackError" }]
}

describe("RulePack.validate", () => {
  it.each(RuleSet.builtinPacks.map((p) => [(p as { id: string }).id, p] as const))(
    "accepts the shipped pack %s",
    (_, pack) => {
      expect(problemsOf(pack)).toEqual([])
    }
  )

  it("lists every schema problem by JSON path, not just the first", () => {
    const broken = {
      ...cptBase,
      version: "latest",
      layer: "country",
      effective: { from: "2024-02-30" },
      families: {
        ...cptBase.families,
        psychotherapy: { kind: "tiered", label: "x", tiers: [{ minMinutes: -1, code: "9083" }] }
      },
      surprise: true
    }
    const paths = problemsOf(broken).map((p) => p.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        "$.version",
        "$.layer",
        "$.effective.from",
        "$.families.psychotherapy.tiers[0].minMinutes",
        "$.families.psychotherapy.tiers[0].code",
        "$.surprise"
      ])
    )
  })

  it("finds the problems a schema cannot: order, references and ranges", () => {
    const broken = {
      id: "bad-payer",
      version: "1.0.0",
      name: "Bad payer",
      layer: "payer",
      effective: { from: "2025-01-01", to: "2024-01-01" },
      families: {
        psychotherapy: {
          kind: "tiered",
          label: "psychotherapy",
          tiers: [
            { minMinutes: 38, code: "90834" },
            { minMinutes: 16, code: "90832" }
          ]
        },
        crisis: {
          kind: "primary-add-on",
          label: "crisis",
          primary: { code: "90839", minMinutes: 30 },
          addOn: { code: "90840", startsAt: 20, every: 30 },
          belowMinimum: "crisis"
        }
      },
      sameDayExclusions: [{ codes: ["90839", "90839"], bypassModifiers: [], denial: { group: "CO", carc: "97" } }],
      visitLimits: [
        { id: "a", period: "calendar-year", max: 10, codes: ["90834"], sameDayCountsAsOne: true },
        { id: "a", period: "plan-year", max: 20, codes: ["90834"], sameDayCountsAsOne: false }
      ]
    }
    expect(problemsOf(broken)).toEqual([
      { path: "$.extends", message: "a payer pack must name the pack it extends" },
      { path: "$.effective.to", message: "ends (2024-01-01) before it starts (2025-01-01)" },
      { path: "$.families.psychotherapy.tiers", message: "tiers must be in ascending order of minMinutes" },
      {
        path: "$.families.crisis.addOn.startsAt",
        message: "the first add-on unit must start after the primary's minimum"
      },
      { path: "$.families.crisis.belowMinimum", message: "a family cannot fall back to itself" },
      { path: "$.sameDayExclusions[0].codes", message: "a code cannot exclude itself" },
      { path: "$.visitLimits[1].id", message: "duplicate visit limit id a" }
    ])
  })

  it.each([null, 42, "pack", [], {}])("refuses %j with a problem, never a crash", (input) => {
    expect(problemsOf(input).length).toBeGreaterThan(0)
  })

  it("names the pack in the error message, with each problem on its own line", () => {
    const exit = Effect.runSyncExit(RulePack.validate({ ...cptBase, version: "x" }))
    expect(Exit.isFailure(exit)).toBe(true)
    const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
    const message = failure && "error" in failure ? (failure.error as Error).message : ""
    expect(message).toContain("rule pack cpt-base is invalid:")
    expect(message).toContain("  $.version: ")
  })

  it("writes JSON paths for keys that are not identifiers", () => {
    expect(RulePack.jsonPath(["families", "bh-counseling", "tiers", 0])).toBe('$.families["bh-counseling"].tiers[0]')
  })

  it("says whether a dated rule is in force, both ends included", () => {
    const effective = { from: "2024-01-01", to: "2024-12-31" } as RulePack.Effective
    expect(RulePack.isInForce(effective, "2024-01-01")).toBe(true)
    expect(RulePack.isInForce(effective, "2024-12-31")).toBe(true)
    expect(RulePack.isInForce(effective, "2023-12-31")).toBe(false)
    expect(RulePack.isInForce(effective, "2025-01-01")).toBe(false)
    expect(RulePack.isInForce(undefined, "1999-01-01")).toBe(true)
  })
})
