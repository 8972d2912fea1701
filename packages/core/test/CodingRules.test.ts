/**
 * The coding engine against /work/shared/domain/RULES.md (§1 time rules, §2.1–2.2 modifiers, §3 place of service,
 * §4 who may bill what), table-driven over the built-in rule packs, plus properties that must hold for any session.
 */
import { describe, expect, it } from "@effect/vitest"
import { Coding, DateOfService, RulePack, RuleSet } from "@openrcm/core"
import { Effect } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const validated = RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p)))
const registry = RuleSet.makeRulePacks(validated)
const ruleSet = (packId: string, dos: string) => Effect.runSync(registry.resolve(packId, DateOfService.make(dos)))

type Credential = Coding.CodingRequest["clinician"]["credential"]
type FacilityType = NonNullable<Coding.CodingRequest["facilityType"]>
type Result = Coding.CodingResult
type Billable = Extract<Result, { readonly _tag: "Billable" }>
/** Lines as `codexunits`, or `!reason` when not billable. */
type Expected = ReadonlyArray<string> | string

const DOS = "2025-03-04"
const PACKS = ["cpt-base", "medicare", "acme-health", "acme-health-hmo", "state-medicaid-example"] as const
type PackId = (typeof PACKS)[number]

interface Session {
  readonly pack?: PackId
  readonly dos?: string
  readonly service?: string
  readonly minutes: number
  readonly em?: { readonly code?: string; readonly minutes?: number }
  readonly ic?: boolean
  readonly delivery?: Coding.Delivery
  readonly credential?: Credential
  readonly facilityType?: FacilityType
}

const toRequest = (s: Session): Coding.CodingRequest => ({
  dateOfService: DateOfService.make(s.dos ?? DOS),
  rulePack: s.pack ?? "medicare",
  service: s.service ?? "psychotherapy",
  minutes: s.minutes,
  delivery: s.delivery ?? { mode: "in-person" },
  clinician: { credential: s.credential ?? "MD" },
  ...(s.em === undefined ? {} : { em: s.em }),
  ...(s.ic === undefined ? {} : { interactiveComplexity: s.ic }),
  ...(s.facilityType === undefined ? {} : { facilityType: s.facilityType })
})

const code = (s: Session): Result => {
  const request = toRequest(s)
  return Coding.code(request, ruleSet(request.rulePack, request.dateOfService))
}

const summary = (r: Result): Expected =>
  r._tag === "Billable" ? r.lines.map((l) => `${l.code}x${l.units}`) : `!${r.reason}`

const billable = (r: Result): Billable => {
  if (r._tag !== "Billable") throw new Error(`expected a billable result, got:\n${Coding.describe(r)}`)
  return r
}

const lineOf = (r: Result, lineCode: string): Coding.Line => {
  const line = billable(r).lines.find((l) => l.code === lineCode)
  if (line === undefined) throw new Error(`no ${lineCode} line in:\n${Coding.describe(r)}`)
  return line
}

const warningCodes = (r: Result): ReadonlyArray<string> => r.warnings.map((w) => w.code)
const sorted = (xs: ReadonlyArray<string>): Array<string> => [...xs].sort()

const VIDEO_HOME: Coding.Delivery = { mode: "video", patientLocation: "home" }
const VIDEO_OTHER: Coding.Delivery = { mode: "video", patientLocation: "other" }
const AUDIO_HOME: Coding.Delivery = { mode: "audio-only", patientLocation: "home" }
const AUDIO_OTHER: Coding.Delivery = { mode: "audio-only", patientLocation: "other" }

const PSYCHOTHERAPY_CODES = new Set(["90832", "90834", "90837", "90833", "90836", "90838"])
const TIER: Readonly<Record<string, number>> = {
  "90832": 1,
  "90833": 1,
  "90834": 2,
  "90836": 2,
  "90837": 3,
  "90838": 3
}
const PACK_NAME = /^[a-z0-9][a-z0-9-]*@\d+\.\d+\.\d+$/u

/** Every pack × every (minutes, expected) row. */
const perPack = (rows: ReadonlyArray<readonly [number, Expected]>, packs: ReadonlyArray<PackId> = PACKS) =>
  packs.flatMap((pack) =>
    rows.map(([minutes, expected]) => ({ pack, minutes, expected, label: JSON.stringify(expected) }))
  )

// ---------------------------------------------------------------------------------------------------------------
// §1.2 unit rounding
// ---------------------------------------------------------------------------------------------------------------

describe("Coding.unitsFor (RULES.md §1.2)", () => {
  it.each([
    [0, 0],
    [7, 0],
    [8, 1],
    [22, 1],
    [23, 2],
    [37, 2],
    [38, 3],
    [52, 3],
    [53, 4],
    [67, 4],
    [68, 5]
  ])("cms_8_minute: %i min of a 15-minute code → %i units", (minutes, units) => {
    expect(Coding.unitsFor(minutes, 15, "cms_8_minute")).toBe(units)
  })

  it.each([
    [0, 0],
    [1, 0],
    [14, 0],
    [15, 1],
    [29, 1],
    [30, 2],
    [44, 2],
    [45, 3]
  ])("full_unit: %i min of a 15-minute code → %i units", (minutes, units) => {
    expect(Coding.unitsFor(minutes, 15, "full_unit")).toBe(units)
  })

  it.each([
    [29, 30, 0],
    [30, 30, 1],
    [59, 60, 0],
    [60, 60, 1],
    [119, 60, 1],
    [120, 60, 2]
  ])("full_unit: %i min of a %i-minute code → %i units (per 30 min / per hour need the whole unit)", (m, u, units) => {
    expect(Coding.unitsFor(m, u, "full_unit")).toBe(units)
  })

  it.each([
    ...Array.from({ length: 15 }, (_, i) => [i + 1, 1] as const),
    [16, 2] as const,
    [30, 2] as const,
    [31, 3] as const
  ])("up_to_unit: %i min of an 'up to 15 minutes' code → %i units", (minutes, units) => {
    expect(Coding.unitsFor(minutes, 15, "up_to_unit")).toBe(units)
  })

  it.each([
    [30, 60, 0],
    [31, 60, 1],
    [90, 60, 1],
    [91, 60, 2],
    [15, 30, 0],
    [16, 30, 1],
    [45, 30, 1],
    [46, 30, 2]
  ])("cpt_midpoint: %i min of a %i-minute unit → %i units (a unit is attained past the mid-point)", (m, u, units) => {
    expect(Coding.unitsFor(m, u, "cpt_midpoint")).toBe(units)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.3 individual psychotherapy
// ---------------------------------------------------------------------------------------------------------------

describe("individual psychotherapy (RULES.md §1.3)", () => {
  it.each(
    perPack([
      [0, "!under-minimum"],
      [15, "!under-minimum"],
      [16, ["90832x1"]],
      [37, ["90832x1"]],
      [38, ["90834x1"]],
      [52, ["90834x1"]],
      [53, ["90837x1"]],
      [75, ["90837x1"]],
      [120, ["90837x1"]]
    ])
  )("$pack standalone: $minutes min → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, minutes }))).toEqual(expected)
  })

  it.each(
    perPack([
      [16, ["99213x1", "90833x1"]],
      [37, ["99213x1", "90833x1"]],
      [38, ["99213x1", "90836x1"]],
      [52, ["99213x1", "90836x1"]],
      [53, ["99213x1", "90838x1"]],
      [75, ["99213x1", "90838x1"]]
    ])
  )(
    "$pack with E/M 99213: $minutes min → $label, the psychotherapy as an add-on to the E/M",
    ({ pack, minutes, expected }) => {
      const result = code({ pack, minutes, em: { code: "99213" } })
      expect(summary(result)).toEqual(expected)
      const addOn = billable(result).lines[1]
      expect(addOn?.role).toBe("add-on")
      expect(addOn?.addOnTo).toBe("99213")
      expect(billable(result).lines[0]?.role).toBe("primary")
    }
  )

  it.each(
    perPack([
      [0, ["99213x1"]],
      [10, ["99213x1"]],
      [15, ["99213x1"]]
    ])
  )(
    "$pack with E/M 99213: $minutes min of psychotherapy → the E/M alone and a warning",
    ({ pack, minutes, expected }) => {
      const result = code({ pack, minutes, em: { code: "99213" } })
      expect(summary(result)).toEqual(expected)
      expect(warningCodes(result)).toContain("under-minimum")
    }
  )

  it.each([
    { minutes: 20, em: { code: "99214", minutes: 30 }, expected: ["99214x1", "90833x1"] },
    { minutes: 10, em: { code: "99214", minutes: 40 }, expected: ["99214x1"] },
    { minutes: 40, em: { code: "99213", minutes: 25 }, expected: ["99213x1", "90836x1"] },
    { minutes: 37, em: { code: "99212", minutes: 20 }, expected: ["99212x1", "90833x1"] },
    { minutes: 52, em: { code: "99215", minutes: 45 }, expected: ["99215x1", "90836x1"] }
  ])(
    "E/M time never counts toward psychotherapy time: $minutes min + E/M $em.code of $em.minutes min → $expected",
    ({ minutes, em, expected }) => {
      expect(summary(code({ minutes, em }))).toEqual(expected)
    }
  )

  it.each([
    { label: "75 min standalone", session: { minutes: 75 } },
    { label: "90 min standalone", session: { minutes: 90 } },
    { label: "75 min with E/M", session: { minutes: 75, em: { code: "99214" } } },
    { label: "53 min with E/M and interactive complexity", session: { minutes: 53, em: { code: "99214" }, ic: true } },
    { label: "45 min with interactive complexity", session: { minutes: 45, ic: true } },
    { label: "29 min of crisis (falls back to psychotherapy)", session: { minutes: 29, service: "crisis" } },
    { label: "29 min of crisis with E/M", session: { minutes: 29, service: "crisis", em: { code: "99213" } } }
  ])("one psychotherapy code per session: $label", ({ session }) => {
    const lines = billable(code(session)).lines.filter((l) => PSYCHOTHERAPY_CODES.has(l.code))
    expect(lines).toHaveLength(1)
    expect(lines[0]?.units).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.4 crisis
// ---------------------------------------------------------------------------------------------------------------

describe("psychotherapy for crisis (RULES.md §1.4)", () => {
  it.each(
    perPack([
      [0, "!under-minimum"],
      [15, "!under-minimum"],
      [16, ["90832x1"]],
      [29, ["90832x1"]],
      [30, ["90839x1"]],
      [74, ["90839x1"]],
      [75, ["90839x1", "90840x1"]],
      [104, ["90839x1", "90840x1"]],
      [105, ["90839x1", "90840x2"]],
      [134, ["90839x1", "90840x2"]],
      [135, ["90839x1", "90840x3"]],
      [164, ["90839x1", "90840x3"]],
      [165, ["90839x1", "90840x4"]]
    ])
  )("$pack: $minutes min of crisis → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, service: "crisis", minutes }))).toEqual(expected)
  })

  it.each([16, 29])("crisis under 30 min (%i) falls back to psychotherapy with a warning", (minutes) => {
    const result = code({ service: "crisis", minutes })
    expect(summary(result)).toEqual(["90832x1"])
    expect(warningCodes(result)).toContain("below-family-minimum")
  })

  it.each([
    [16, ["99213x1", "90833x1"]],
    [29, ["99213x1", "90833x1"]],
    [15, ["99213x1"]]
  ])("crisis of %i min with an E/M → %j", (minutes, expected) => {
    expect(summary(code({ service: "crisis", minutes, em: { code: "99213" } }))).toEqual(expected)
  })

  it.each([75, 105, 135, 200])("+90840 (%i min) is an add-on to 90839 in the same result", (minutes) => {
    const result = code({ service: "crisis", minutes })
    expect(lineOf(result, "90840").role).toBe("add-on")
    expect(lineOf(result, "90840").addOnTo).toBe("90839")
    expect(lineOf(result, "90839").units).toBe(1)
  })

  it.each(PACKS)("%s: crisis is never coded with a 90832–90838 psychotherapy code at or over 30 min", (pack) => {
    for (const minutes of [30, 45, 60, 74, 75, 120]) {
      const codes = billable(code({ pack, service: "crisis", minutes })).lines.map((l) => l.code)
      expect(codes.filter((c) => PSYCHOTHERAPY_CODES.has(c))).toEqual([])
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.5 family psychotherapy, diagnostic evaluation
// ---------------------------------------------------------------------------------------------------------------

describe("family psychotherapy and diagnostic evaluation (RULES.md §1.5)", () => {
  it.each(
    perPack([
      [0, "!under-minimum"],
      [25, "!under-minimum"],
      [26, ["90847x1"]],
      [50, ["90847x1"]],
      [90, ["90847x1"]]
    ])
  )("$pack family with the patient: $minutes min → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, service: "family-with-patient", minutes }))).toEqual(expected)
  })

  it.each(
    perPack([
      [25, "!under-minimum"],
      [26, ["90846x1"]],
      [50, ["90846x1"]]
    ])
  )("$pack family without the patient: $minutes min → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, service: "family-without-patient", minutes }))).toEqual(expected)
  })

  it.each(
    PACKS.flatMap((pack) =>
      [
        ["diagnostic-evaluation", "90791"],
        ["diagnostic-evaluation-medical", "90792"],
        ["group-psychotherapy", "90853"]
      ].flatMap(([service, expected]) => [5, 60, 180].map((minutes) => ({ pack, service, minutes, expected })))
    )
  )(
    "$pack $service is one unit whatever its length ($minutes min) → $expected",
    ({ pack, service, minutes, expected }) => {
      expect(summary(code({ pack, service: service as string, minutes }))).toEqual([`${expected}x1`])
    }
  )

  it.each(PACKS)("%s: 90791 is not combined with an E/M in one session", (pack) => {
    const result = code({ pack, service: "diagnostic-evaluation", minutes: 60, em: { code: "99213" } })
    expect(summary(result)).toBe("!em-not-allowed-with-service")
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.6 testing, §1.7 health behavior intervention
// ---------------------------------------------------------------------------------------------------------------

describe("psychological testing (RULES.md §1.6)", () => {
  it.each(
    perPack([
      [30, "!under-minimum"],
      [31, ["96130x1"]],
      [90, ["96130x1"]],
      [91, ["96130x1", "96131x1"]],
      [150, ["96130x1", "96131x1"]],
      [151, ["96130x1", "96131x2"]],
      [211, ["96130x1", "96131x3"]]
    ])
  )("$pack testing evaluation by a PhD: $minutes min → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, service: "psychological-testing-evaluation", minutes, credential: "PhD" }))).toEqual(
      expected
    )
  })

  it.each(
    perPack([
      [15, "!under-minimum"],
      [16, ["96136x1"]],
      [45, ["96136x1"]],
      [46, ["96136x1", "96137x1"]],
      [75, ["96136x1", "96137x1"]],
      [76, ["96136x1", "96137x2"]],
      [106, ["96136x1", "96137x3"]]
    ])
  )("$pack test administration by a PhD: $minutes min → $label", ({ pack, minutes, expected }) => {
    expect(summary(code({ pack, service: "test-administration-professional", minutes, credential: "PhD" }))).toEqual(
      expected
    )
  })

  it.each([
    ["psychological-testing-evaluation", 151, "96131", "96130"],
    ["test-administration-professional", 76, "96137", "96136"]
  ])("%s: the add-on is tied to its primary", (service, minutes, addOn, primary) => {
    const line = lineOf(code({ service, minutes, credential: "PhD" }), addOn)
    expect(line.role).toBe("add-on")
    expect(line.addOnTo).toBe(primary)
  })
})

describe("health behavior intervention (RULES.md §1.7)", () => {
  it.each(
    perPack([
      [15, "!under-minimum"],
      [16, ["96158x1"]],
      [37, ["96158x1"]],
      [38, ["96158x1", "96159x1"]],
      [52, ["96158x1", "96159x1"]],
      [53, ["96158x1", "96159x2"]],
      [68, ["96158x1", "96159x3"]]
    ])
  )("$pack HBAI by a PhD: $minutes min → $label", ({ pack, minutes, expected }) => {
    const result = code({ pack, service: "health-behavior-intervention", minutes, credential: "PhD" })
    expect(summary(result)).toEqual(expected)
    if (result._tag === "Billable" && result.lines.length > 1) expect(lineOf(result, "96159").addOnTo).toBe("96158")
  })

  it.each([
    ["2023-12-31", "LCSW", "!credential-not-allowed"],
    ["2024-01-01", "LCSW", ["96158x1", "96159x1"]],
    ["2023-12-31", "PhD", ["96158x1", "96159x1"]],
    ["2025-03-04", "MD", "!credential-not-allowed"]
  ] as const)("Medicare HBAI on %s by %s → %j (§1.7, §4)", (dos, credential, expected) => {
    expect(summary(code({ dos, service: "health-behavior-intervention", minutes: 40, credential }))).toEqual(expected)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.2 / §1.8 Medicaid H-codes
// ---------------------------------------------------------------------------------------------------------------

describe("state Medicaid timed H-codes, full-unit rounding (RULES.md §1.2, §1.8)", () => {
  it.each([
    [0, "!under-minimum"],
    [1, "!under-minimum"],
    [14, "!under-minimum"],
    [15, ["H0004x1"]],
    [29, ["H0004x1"]],
    [30, ["H0004x2"]],
    [44, ["H0004x2"]],
    [45, ["H0004x3"]],
    [60, ["H0004x4"]]
  ] as const)("H0004 by an LCSW: %i min → %j", (minutes, expected) => {
    expect(
      summary(code({ pack: "state-medicaid-example", service: "bh-counseling", minutes, credential: "LCSW" }))
    ).toEqual(expected)
  })

  it("H0004 beyond the daily maximum is capped at 16 units with a warning", () => {
    const result = code({ pack: "state-medicaid-example", service: "bh-counseling", minutes: 300, credential: "LCSW" })
    expect(summary(result)).toEqual(["H0004x16"])
    expect(warningCodes(result)).toContain("units-per-day")
  })

  it.each(["cpt-base", "medicare", "acme-health"] as const)("%s has no H0004 family", (pack) => {
    expect(summary(code({ pack, service: "bh-counseling", minutes: 30, credential: "LCSW" }))).toBe("!unknown-service")
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §1.5 interactive complexity and add-ons
// ---------------------------------------------------------------------------------------------------------------

describe("interactive complexity 90785 (RULES.md §1.5)", () => {
  it.each(PACKS)("%s: 90785 is added to 90834", (pack) => {
    const result = code({ pack, minutes: 45, ic: true })
    expect(summary(result)).toEqual(["90834x1", "90785x1"])
    expect(lineOf(result, "90785").role).toBe("add-on")
    expect(lineOf(result, "90785").addOnTo).toBe("90834")
  })

  it.each(PACKS)("%s: 90785 goes with the psychotherapy add-on, not the E/M", (pack) => {
    const result = code({ pack, minutes: 40, em: { code: "99214" }, ic: true })
    expect(summary(result)).toEqual(["99214x1", "90836x1", "90785x1"])
    expect(lineOf(result, "90785").addOnTo).toBe("90836")
  })

  it.each(
    PACKS.flatMap((pack) =>
      [
        { service: "crisis", minutes: 45, expected: ["90839x1"] },
        { service: "crisis", minutes: 80, expected: ["90839x1", "90840x1"] },
        { service: "family-with-patient", minutes: 50, expected: ["90847x1"] },
        { service: "family-without-patient", minutes: 50, expected: ["90846x1"] }
      ].map((row) => ({ pack, ...row }))
    )
  )(
    "$pack: interactive complexity with $service ($minutes min) is refused with a warning",
    ({ pack, service, minutes, expected }) => {
      const result = code({ pack, service, minutes, ic: true })
      expect(summary(result)).toEqual(expected)
      expect(warningCodes(result)).toContain("interactive-complexity-not-allowed")
    }
  )

  it("interactive complexity with an E/M alone is refused with a warning", () => {
    const result = code({ minutes: 10, em: { code: "99213" }, ic: true })
    expect(summary(result)).toEqual(["99213x1"])
    expect(warningCodes(result)).toContain("interactive-complexity-not-allowed")
  })

  const addOnSessions: ReadonlyArray<Session> = [
    { minutes: 45, ic: true },
    { minutes: 60, em: { code: "99214" }, ic: true },
    { minutes: 20, em: { code: "99212" } },
    { minutes: 135, service: "crisis" },
    { minutes: 151, service: "psychological-testing-evaluation", credential: "PhD" },
    { minutes: 76, service: "test-administration-professional", credential: "PhD" },
    { minutes: 53, service: "health-behavior-intervention", credential: "PhD" },
    { minutes: 60, service: "diagnostic-evaluation", ic: true },
    { minutes: 60, service: "group-psychotherapy", ic: true }
  ]
  it.each(
    PACKS.flatMap((pack) => addOnSessions.map((session) => ({ ...session, pack, label: JSON.stringify(session) })))
  )("$pack: every add-on line names a primary of the same result and allowed by the pack: $label", (session) => {
    const result = billable(code(session))
    const addOns = ruleSet(session.pack, DOS).addOns
    const codes = result.lines.map((l) => l.code)
    const lines = result.lines.filter((l) => l.role === "add-on")
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      expect(codes).toContain(line.addOnTo)
      expect([...(addOns.get(line.code)?.value ?? [])]).toContain(line.addOnTo)
    }
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §4 credentials
// ---------------------------------------------------------------------------------------------------------------

describe("who may bill what (RULES.md §4)", () => {
  it.each(
    PACKS.flatMap((pack) => (["LCSW", "PhD", "PsyD", "LMFT"] as const).map((credential) => ({ pack, credential })))
  )("$pack: $credential may not bill an E/M with psychotherapy", ({ pack, credential }) => {
    const result = code({ pack, minutes: 40, em: { code: "99213" }, credential })
    expect(summary(result)).toBe("!credential-not-allowed")
  })

  it.each(PACKS.flatMap((pack) => (["LCSW", "PhD", "PsyD"] as const).map((credential) => ({ pack, credential }))))(
    "$pack: $credential may not bill 90792",
    ({ pack, credential }) => {
      const result = code({ pack, service: "diagnostic-evaluation-medical", minutes: 60, credential })
      expect(summary(result)).toBe("!credential-not-allowed")
      expect(result._tag === "NotBillable" ? result.pack : undefined).toMatch(PACK_NAME)
    }
  )

  it.each(PACKS.flatMap((pack) => (["MD", "DO", "NP", "PA"] as const).map((credential) => ({ pack, credential }))))(
    "$pack: $credential may bill 90792 and E/M with psychotherapy",
    ({ pack, credential }) => {
      expect(summary(code({ pack, service: "diagnostic-evaluation-medical", minutes: 60, credential }))).toEqual([
        "90792x1"
      ])
      expect(summary(code({ pack, minutes: 40, em: { code: "99213" }, credential }))).toEqual(["99213x1", "90836x1"])
    }
  )

  it.each(PACKS.flatMap((pack) => (["LCSW", "PhD"] as const).map((credential) => ({ pack, credential }))))(
    "$pack: $credential may bill 90791 and 90834",
    ({ pack, credential }) => {
      expect(summary(code({ pack, service: "diagnostic-evaluation", minutes: 60, credential }))).toEqual(["90791x1"])
      expect(summary(code({ pack, minutes: 45, credential }))).toEqual(["90834x1"])
    }
  )

  it.each([
    ["LMFT", "2023-12-31", "!credential-not-allowed"],
    ["LMFT", "2024-01-01", ["90834x1"]],
    ["LMHC", "2023-12-31", "!credential-not-allowed"],
    ["LMHC", "2024-01-01", ["90834x1"]],
    ["LMFT", "2022-06-15", "!credential-not-allowed"],
    ["LCSW", "2023-12-31", ["90834x1"]],
    ["PhD", "2023-12-31", ["90834x1"]]
  ] as const)("Medicare: %s psychotherapy on %s → %j", (credential, dos, expected) => {
    const result = code({ dos, minutes: 45, credential })
    expect(summary(result)).toEqual(expected)
    if (result._tag === "NotBillable") {
      expect(result.pack).toMatch(/^medicare@/u)
      expect(result.rule).toMatch(/^\$\.billableBy\[\d+\]$/u)
    }
  })

  it.each([
    ["family-with-patient", "2023-12-31", "!credential-not-allowed"],
    ["family-with-patient", "2024-01-01", ["90847x1"]],
    ["diagnostic-evaluation", "2023-12-31", "!credential-not-allowed"],
    ["diagnostic-evaluation", "2024-01-01", ["90791x1"]]
  ] as const)("Medicare: LMFT %s on %s → %j", (service, dos, expected) => {
    expect(summary(code({ dos, service, minutes: 50, credential: "LMFT" }))).toEqual(expected)
  })

  it("a credential explanation names the rule that allows the line", () => {
    const line = lineOf(code({ minutes: 45, credential: "LMFT", dos: "2024-01-01" }), "90834")
    const credential = line.explanations.find((e) => e.about === "credential")
    expect(credential?.pack).toMatch(/^medicare@/u)
    expect(credential?.rule).toBe("$.billableBy[2]")
  })
})

// ---------------------------------------------------------------------------------------------------------------
// §2.1, §2.2, §3 telehealth, modifiers and place of service
// ---------------------------------------------------------------------------------------------------------------

describe("telehealth modifiers and place of service (RULES.md §2.1, §2.2, §3)", () => {
  it.each([
    {
      label: "Medicare 2025 video at home",
      pack: "medicare",
      dos: "2025-03-04",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: []
    },
    {
      label: "Medicare 2024 video at home",
      pack: "medicare",
      dos: "2024-01-01",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: []
    },
    {
      label: "Medicare 2025 video elsewhere",
      pack: "medicare",
      dos: "2025-03-04",
      delivery: VIDEO_OTHER,
      pos: "02",
      mods: []
    },
    {
      label: "Medicare 2025 audio-only at home",
      pack: "medicare",
      dos: "2025-03-04",
      delivery: AUDIO_HOME,
      pos: "10",
      mods: ["93"]
    },
    {
      label: "Medicare 2023 video at home",
      pack: "medicare",
      dos: "2023-06-15",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: ["95"]
    },
    {
      label: "Medicare 2023 video elsewhere",
      pack: "medicare",
      dos: "2023-12-31",
      delivery: VIDEO_OTHER,
      pos: "02",
      mods: ["95"]
    },
    {
      label: "Medicare 2023 audio-only at home",
      pack: "medicare",
      dos: "2023-06-15",
      delivery: AUDIO_HOME,
      pos: "10",
      mods: ["93"]
    },
    {
      label: "Acme video at home",
      pack: "acme-health",
      dos: "2025-03-04",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: ["95"]
    },
    {
      label: "Acme video elsewhere",
      pack: "acme-health",
      dos: "2025-03-04",
      delivery: VIDEO_OTHER,
      pos: "02",
      mods: ["95"]
    },
    {
      label: "Acme audio-only at home",
      pack: "acme-health",
      dos: "2025-03-04",
      delivery: AUDIO_HOME,
      pos: "10",
      mods: ["93"]
    },
    {
      label: "Acme HMO video at home",
      pack: "acme-health-hmo",
      dos: "2025-03-04",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: ["95"]
    },
    {
      label: "Medicaid video at home",
      pack: "state-medicaid-example",
      dos: "2025-03-04",
      delivery: VIDEO_HOME,
      pos: "10",
      mods: ["GT"]
    },
    {
      label: "Medicaid video elsewhere",
      pack: "state-medicaid-example",
      dos: "2025-03-04",
      delivery: VIDEO_OTHER,
      pos: "02",
      mods: ["GT"]
    }
  ] as const)("$label: 90834 at POS $pos with modifiers $mods", ({ pack, dos, delivery, pos, mods }) => {
    const result = billable(code({ pack, dos, delivery, minutes: 45, credential: "MD" }))
    expect(result.lines).toHaveLength(1)
    expect(result.lines[0]?.placeOfService).toBe(pos)
    expect(sorted(result.lines[0]?.modifiers ?? ["missing"])).toEqual(sorted(mods))
  })

  it.each([
    ["fqhc", "10", AUDIO_HOME],
    ["rhc", "10", AUDIO_HOME]
  ] as const)("Medicare 2025 audio-only at an %s → FQ, not 93, at POS %s", (facilityType, pos, delivery) => {
    const line = lineOf(code({ delivery, facilityType, minutes: 45 }), "90834")
    expect(line.modifiers).toEqual(["FQ"])
    expect(line.placeOfService).toBe(pos)
  })

  it("Medicare 2025 audio-only at an FQHC with the patient away from home is not covered (§2.1)", () => {
    expect(summary(code({ delivery: AUDIO_OTHER, facilityType: "fqhc", minutes: 45 }))).toBe("!mode-not-covered")
  })

  it.each(["office", "cmhc", "hospital-outpatient"] as const)(
    "Medicare 2025 audio-only at an %s → 93, never FQ",
    (facilityType) => {
      const line = lineOf(code({ delivery: AUDIO_HOME, facilityType, minutes: 45 }), "90834")
      expect(line.modifiers).toEqual(["93"])
    }
  )

  it.each(["2022-06-15", "2023-06-15", "2024-06-15", "2025-03-04"])(
    "Medicare on %s never puts GT on a professional line, whatever the delivery",
    (dos) => {
      // Audio-only away from home is not covered from 2024 (see below), so it has no lines to check.
      const deliveries =
        dos >= "2024-01-01" ? [VIDEO_HOME, VIDEO_OTHER, AUDIO_HOME] : [VIDEO_HOME, VIDEO_OTHER, AUDIO_HOME, AUDIO_OTHER]
      for (const delivery of deliveries) {
        for (const facilityType of ["office", "fqhc"] as const) {
          const result = billable(code({ dos, delivery, facilityType, minutes: 45, em: { code: "99213" } }))
          for (const line of result.lines) expect(line.modifiers).not.toContain("GT")
        }
      }
    }
  )

  it.each(["2024-01-01", "2025-03-04"])("Medicare on %s: no line of a video session carries 95", (dos) => {
    for (const delivery of [VIDEO_HOME, VIDEO_OTHER]) {
      const result = billable(code({ dos, delivery, minutes: 60, em: { code: "99214" }, ic: true }))
      for (const line of result.lines) expect(line.modifiers).not.toContain("95")
    }
  })

  it("Medicare has no POS 10 before it implemented it on 2022-04-04 (§3)", () => {
    const line = lineOf(code({ dos: "2022-03-01", delivery: VIDEO_HOME, minutes: 45 }), "90834")
    expect(line.placeOfService).not.toBe("10")
  })

  it("Medicare uses POS 10 for video at home from 2022-04-04 (§3)", () => {
    expect(lineOf(code({ dos: "2022-04-04", delivery: VIDEO_HOME, minutes: 45 }), "90834").placeOfService).toBe("10")
  })

  it.each(["2024-06-15", "2025-03-04"])(
    "Medicare on %s allows audio-only only to a patient at home (§2.1): away from home it is not covered",
    (dos) => {
      expect(summary(code({ dos, delivery: AUDIO_HOME, minutes: 45 }))).toEqual(["90834x1"])
      expect(summary(code({ dos, delivery: AUDIO_OTHER, minutes: 45 }))).toBe("!mode-not-covered")
    }
  )

  it.each([AUDIO_HOME, AUDIO_OTHER])("Acme Health HMO does not cover audio-only ($patientLocation)", (delivery) => {
    const result = code({ pack: "acme-health-hmo", delivery, minutes: 45 })
    expect(summary(result)).toBe("!mode-not-covered")
    expect(result._tag === "NotBillable" ? [result.pack, result.rule] : []).toEqual([
      "acme-health-hmo@2025.1.0",
      "$.telehealth[1]"
    ])
  })

  it.each([
    { label: "LCSW H0004", service: "bh-counseling", credential: "LCSW", code: "H0004", mods: ["GT", "HO"] },
    { label: "LMFT H0004", service: "bh-counseling", credential: "LMFT", code: "H0004", mods: ["GT", "HO"] },
    { label: "PhD H0004", service: "bh-counseling", credential: "PhD", code: "H0004", mods: ["GT", "HP"] },
    { label: "Bachelors H0036", service: "cpst", credential: "Bachelors", code: "H0036", mods: ["GT", "HN"] },
    { label: "LCSW H0036", service: "cpst", credential: "LCSW", code: "H0036", mods: ["GT", "HO"] },
    { label: "LCSW 90834", service: "psychotherapy", credential: "LCSW", code: "90834", mods: ["GT"] }
  ] as const)("Medicaid video, $label → modifiers $mods (§2.2)", ({ service, credential, code: lineCode, mods }) => {
    const result = code({ pack: "state-medicaid-example", service, credential, minutes: 45, delivery: VIDEO_HOME })
    const line = lineOf(result, lineCode)
    expect(sorted(line.modifiers)).toEqual(mods)
    expect(line.placeOfService).toBe("10")
  })

  it.each([
    { label: "LCSW H0004", service: "bh-counseling", credential: "LCSW", code: "H0004", mods: ["HO"] },
    { label: "PhD H0004", service: "bh-counseling", credential: "PhD", code: "H0004", mods: ["HP"] },
    { label: "Bachelors H0036", service: "cpst", credential: "Bachelors", code: "H0036", mods: ["HN"] }
  ] as const)(
    "Medicaid in person, $label → only the credential modifier $mods at POS 11",
    ({ service, credential, code: lineCode, mods }) => {
      const line = lineOf(code({ pack: "state-medicaid-example", service, credential, minutes: 45 }), lineCode)
      expect(line.modifiers).toEqual(mods)
      expect(line.placeOfService).toBe("11")
    }
  )

  it.each(
    PACKS.flatMap((pack) => [
      { pack, delivery: { mode: "in-person" } as Coding.Delivery, pos: "11" },
      { pack, delivery: { mode: "in-person", placeOfService: "53" } as Coding.Delivery, pos: "53" },
      { pack, delivery: { mode: "in-person", placeOfService: "12" } as Coding.Delivery, pos: "12" }
    ])
  )("$pack in person → POS $pos on every line, no telehealth modifier", ({ pack, delivery, pos }) => {
    const result = billable(code({ pack, delivery, minutes: 40, em: { code: "99213" }, ic: true }))
    expect(result.lines).toHaveLength(3)
    for (const line of result.lines) {
      expect(line.placeOfService).toBe(pos)
      for (const m of ["95", "93", "GT", "FQ"]) expect(line.modifiers).not.toContain(m)
    }
  })

  it("Medicare 2025 video at home: the E/M, its add-on and 90785 are all at POS 10 without modifiers", () => {
    const result = billable(code({ delivery: VIDEO_HOME, minutes: 40, em: { code: "99213" }, ic: true }))
    expect(result.lines.map((l) => [l.code, l.placeOfService, l.modifiers.length])).toEqual([
      ["99213", "10", 0],
      ["90836", "10", 0],
      ["90785", "10", 0]
    ])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------------------------------

const expectExplained = (result: Result): void => {
  if (result._tag !== "Billable") return
  for (const line of result.lines) {
    expect(line.explanations.length).toBeGreaterThan(0)
    for (const e of line.explanations) {
      expect(e.pack).toMatch(PACK_NAME)
      expect(result.packs).toContain(e.pack)
      expect(e.rule).toMatch(/^[$(]/u)
      expect(e.text.length).toBeGreaterThan(0)
    }
  }
}

describe("explanations", () => {
  const sessions: ReadonlyArray<Session> = [
    { minutes: 45 },
    { minutes: 45, ic: true, delivery: VIDEO_HOME },
    { minutes: 53, em: { code: "99214" }, delivery: AUDIO_HOME },
    { minutes: 20, em: { code: "99213" }, facilityType: "fqhc", delivery: AUDIO_HOME },
    { minutes: 29, service: "crisis" },
    { minutes: 135, service: "crisis", delivery: VIDEO_OTHER },
    { minutes: 26, service: "family-with-patient" },
    { minutes: 60, service: "group-psychotherapy" },
    { minutes: 60, service: "diagnostic-evaluation-medical" },
    { minutes: 151, service: "psychological-testing-evaluation", credential: "PhD" },
    { minutes: 76, service: "test-administration-professional", credential: "PhD" },
    { minutes: 53, service: "health-behavior-intervention", credential: "PhD", delivery: VIDEO_HOME }
  ]
  // Acme Health HMO refuses audio-only (tested above), so those sessions have no lines to explain there.
  const explainedCases = PACKS.flatMap((pack) =>
    sessions
      .filter((s) => !(pack === "acme-health-hmo" && s.delivery?.mode === "audio-only"))
      .map((s) => ({ ...s, pack, label: JSON.stringify(s) }))
  )
  it.each(explainedCases)("$pack: every line names its pack and rule: $label", (session) => {
    const result = billable(code(session))
    expect(result.lines.length).toBeGreaterThan(0)
    expectExplained(result)
  })

  it.each([
    { label: "H0004 in person", service: "bh-counseling", credential: "LCSW", delivery: { mode: "in-person" } },
    { label: "H0004 by video", service: "bh-counseling", credential: "LCSW", delivery: VIDEO_HOME },
    { label: "H0036 by video", service: "cpst", credential: "Bachelors", delivery: VIDEO_OTHER }
  ] as const)("Medicaid $label: every line names its pack and rule", ({ service, credential, delivery }) => {
    const result = billable(code({ pack: "state-medicaid-example", service, credential, delivery, minutes: 45 }))
    expectExplained(result)
    const modifiers = result.lines[0]?.explanations.filter((e) => e.about === "modifier") ?? []
    expect(modifiers.length).toBe(result.lines[0]?.modifiers.length)
  })

  it("a units explanation names the rounding rule of the program", () => {
    const line = lineOf(
      code({ pack: "state-medicaid-example", service: "bh-counseling", credential: "LCSW", minutes: 30 }),
      "H0004"
    )
    const units = line.explanations.find((e) => e.about === "units")
    expect(units?.pack).toBe("state-medicaid-example@2025.1.0")
    expect(units?.rule).toBe("$.settings.unitRounding")
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

const credentialArb = fc.constantFrom<Credential>("MD", "NP", "PhD", "PsyD", "LCSW", "LMFT", "LMHC", "LPC", "Bachelors")
const deliveryArb: fc.Arbitrary<Coding.Delivery> = fc.oneof(
  fc.constant<Coding.Delivery>({ mode: "in-person" }),
  fc.constantFrom<Coding.Delivery>(VIDEO_HOME, VIDEO_OTHER, AUDIO_HOME, AUDIO_OTHER)
)
const dosArb = fc.constantFrom("2022-06-15", "2023-12-31", "2024-01-01", "2025-03-04")
const emArb = fc.option(fc.constantFrom("99212", "99213", "99214", "99215"), { nil: undefined })
const facilityArb = fc.option(fc.constantFrom<FacilityType>("office", "fqhc", "rhc", "cmhc"), { nil: undefined })
const serviceArb = fc.constantFrom(
  "psychotherapy",
  "crisis",
  "family-with-patient",
  "family-without-patient",
  "group-psychotherapy",
  "diagnostic-evaluation",
  "diagnostic-evaluation-medical",
  "psychological-testing-evaluation",
  "test-administration-professional",
  "health-behavior-intervention",
  "bh-counseling",
  "cpst"
)

const sessionArb: fc.Arbitrary<Session> = fc
  .record({
    pack: fc.constantFrom(...PACKS),
    dos: dosArb,
    service: serviceArb,
    minutes: fc.integer({ min: 0, max: 600 }),
    em: emArb,
    ic: fc.boolean(),
    delivery: deliveryArb,
    credential: credentialArb,
    facilityType: facilityArb
  })
  .map(({ em, facilityType, ...rest }) => ({
    ...rest,
    ...(em === undefined ? {} : { em: { code: em } }),
    ...(facilityType === undefined ? {} : { facilityType })
  }))

const tierOf = (r: Result): number =>
  r._tag === "Billable" ? Math.max(0, ...r.lines.map((l) => TIER[l.code] ?? 0)) : 0

describe("properties", () => {
  it("more psychotherapy minutes never yield a lower psychotherapy tier", () => {
    holds(
      fc.property(
        fc.constantFrom(...PACKS),
        dosArb,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        emArb,
        fc.boolean(),
        deliveryArb,
        (pack, dos, a, b, em, ic, delivery) => {
          const base = { pack, dos, ic, delivery, ...(em === undefined ? {} : { em: { code: em } }) }
          const lower = tierOf(code({ ...base, minutes: Math.min(a, b) }))
          const higher = tierOf(code({ ...base, minutes: Math.max(a, b) }))
          expect(lower).toBeLessThanOrEqual(higher)
        }
      )
    )
  })

  it("the psychotherapy tier follows §1.3 exactly for every minute", () => {
    holds(
      fc.property(
        fc.constantFrom(...PACKS),
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        (pack, minutes, withEm) => {
          const expected = minutes < 16 ? 0 : minutes < 38 ? 1 : minutes < 53 ? 2 : 3
          const result = code({ pack, minutes, ...(withEm ? { em: { code: "99213" } } : {}) })
          expect(tierOf(result)).toBe(expected)
        }
      )
    )
  })

  it("every line of every billable result is explained by a pack and rule", () => {
    holds(
      fc.property(sessionArb, (session) => {
        expectExplained(code(session))
      })
    )
  })

  it("a session never yields two codes of 90832/90834/90837/90833/90836/90838", () => {
    holds(
      fc.property(sessionArb, (session) => {
        const result = code(session)
        if (result._tag === "Billable") {
          expect(result.lines.filter((l) => PSYCHOTHERAPY_CODES.has(l.code)).length).toBeLessThanOrEqual(1)
        }
      })
    )
  })

  it("every add-on line goes with a primary code of the same result", () => {
    holds(
      fc.property(sessionArb, (session) => {
        const result = code(session)
        if (result._tag === "Billable") {
          const codes = result.lines.map((l) => l.code)
          for (const line of result.lines) {
            if (line.role === "add-on") {
              expect(line.addOnTo).toBeDefined()
              expect(codes).toContain(line.addOnTo)
              expect(line.addOnTo).not.toBe(line.code)
            }
          }
        }
      })
    )
  })

  it("crisis units: 90839 once at 30+ min and one 90840 per started 30 min past 74", () => {
    holds(
      fc.property(fc.constantFrom(...PACKS), fc.integer({ min: 30, max: 600 }), (pack, minutes) => {
        const result = billable(code({ pack, service: "crisis", minutes }))
        const addOnUnits = minutes < 75 ? 0 : Math.floor((minutes - 75) / 30) + 1
        expect(summary(result)).toEqual(addOnUnits === 0 ? ["90839x1"] : ["90839x1", `90840x${addOnUnits}`])
      })
    )
  })
})
