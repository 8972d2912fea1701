/**
 * The claim scrubber against /work/shared/domain/RULES.md (§2 modifiers, §3 place of service, §4 who may bill
 * what, §5 authorizations, §6 scrubbing rules and CARC/RARC, §8 837P), on the built-in rule packs: for every edit
 * a claim that trips it and one that does not, at the rules' boundaries; the certain fixes make their finding go
 * away; messages never carry the fixture's PHI; and sessions the coding engine codes scrub clean.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Authorization,
  Claim,
  Clinician,
  Coding,
  Coverage,
  DateOfService,
  Organization,
  Patient,
  RulePack,
  RuleSet,
  Scrub
} from "@openrcm/core"
import { Effect, Exit, Schema } from "effect"
import * as fc from "fast-check"
import carcTable from "../data/carc.json" with { type: "json" }
import rarcTable from "../data/rarc.json" with { type: "json" }
import { holds } from "./property.js"

// ---------------------------------------------------------------------------------------------------------------
// Rule sets: the built-in packs, plus two test layers that use the pack's `scrub` section.

const strictPlan = {
  id: "acme-strict",
  version: "1.0.0",
  name: "Acme plan that varies the scrub",
  layer: "plan",
  extends: "acme-health",
  effective: { from: "2022-01-01" },
  scrub: {
    severities: { "add-on-without-primary": "warning", "z-code-primary": "off" },
    denials: { "add-on-without-primary": { group: "CO", carc: "B15" } }
  }
}
const mbiPlan = {
  id: "medicare-mbi",
  version: "1.0.0",
  name: "Medicare with the MBI format",
  layer: "plan",
  extends: "medicare",
  effective: { from: "2022-01-01" },
  scrub: {
    memberId: {
      pattern:
        "^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$",
      expected: "an 11-character Medicare Beneficiary Identifier"
    },
    severities: { "possible-duplicate": "error" }
  }
}
const validated = [...RuleSet.builtinPacks, strictPlan, mbiPlan].map((p) => Effect.runSync(RulePack.validate(p)))
const registry = RuleSet.makeRulePacks(validated)
const ruleSets = (payerId: string, dateOfService: DateOfService.DateOfService) =>
  Effect.runSync(registry.resolve(payerId, dateOfService))

// ---------------------------------------------------------------------------------------------------------------
// Fixtures. The PHI is made of words and dates found nowhere else, so messages can be searched for it.

const PHI = {
  firstName: "Zephyrina",
  lastName: "Quillfeather",
  dateOfBirth: "1987-04-23",
  subscriberFirstName: "Marguerite",
  subscriberDateOfBirth: "1959-11-02",
  memberId: "ZQX-77812-PHI",
  authorizationNumber: "PA-55123"
} as const

type Pack =
  | "cpt-base"
  | "medicare"
  | "acme-health"
  | "acme-health-hmo"
  | "state-medicaid-example"
  | "acme-strict"
  | "medicare-mbi"

interface LineInput {
  readonly code?: string
  readonly modifiers?: ReadonlyArray<string>
  readonly units?: number
  readonly charge?: number
  readonly dos?: string
  readonly pos?: string
  readonly pointers?: ReadonlyArray<number>
  readonly sessionId?: string
}

interface ClaimInput {
  readonly pack?: Pack
  readonly id?: string
  readonly lines?: ReadonlyArray<LineInput>
  readonly diagnoses?: ReadonlyArray<string>
  readonly frequency?: "1" | "7" | "8"
  readonly payerClaimNumber?: string
  readonly priorAuthorization?: string
  readonly patientId?: string
  readonly renderingClinicianId?: string
}

const DOS = "2025-03-04"

const makeClaim = (input: ClaimInput = {}): Claim.Claim => {
  const lines = (input.lines ?? [{}]).map((l) => ({
    code: l.code ?? "90834",
    modifiers: l.modifiers ?? [],
    units: l.units ?? 1,
    charge: l.charge ?? 15_000 * (l.units ?? 1),
    dateOfService: l.dos ?? DOS,
    placeOfService: l.pos ?? "11",
    diagnosisPointers: l.pointers ?? [1],
    ...(l.sessionId === undefined ? {} : { sessionId: l.sessionId })
  }))
  const charge = lines.reduce((s, l) => s + l.charge, 0)
  return Schema.decodeUnknownSync(Claim.Claim)({
    id: input.id ?? "clm-1",
    tenantId: "t-1",
    patientId: input.patientId ?? "pat-1",
    coverageId: "cov-1",
    payerId: input.pack ?? "medicare",
    billingProviderId: "org-1",
    renderingClinicianId: input.renderingClinicianId ?? "cln-1",
    status: "draft",
    frequency: input.frequency ?? "1",
    serviceDate: lines.map((l) => l.dateOfService).sort()[0],
    placeOfService: lines[0]?.placeOfService,
    diagnoses: input.diagnoses ?? ["F41.1"],
    lines,
    charge,
    balance: charge,
    ...(input.priorAuthorization === undefined ? {} : { priorAuthorization: input.priorAuthorization }),
    ...(input.payerClaimNumber === undefined ? {} : { payerClaimNumber: input.payerClaimNumber }),
    createdAt: 0,
    version: 0
  })
}

const patient = Schema.decodeUnknownSync(Patient.Patient)({
  id: "pat-1",
  tenantId: "t-1",
  firstName: PHI.firstName,
  lastName: PHI.lastName,
  dateOfBirth: PHI.dateOfBirth,
  sex: "F",
  address: { line1: "4471 Larkspur Hollow", city: "Wrenbrookvale", state: "OR", postalCode: "97213" }
})

const coverage = Schema.decodeUnknownSync(Coverage.Coverage)({
  id: "cov-1",
  tenantId: "t-1",
  patientId: "pat-1",
  payerId: "medicare",
  memberId: PHI.memberId,
  order: 1,
  subscriber: {
    relationship: "19",
    firstName: PHI.subscriberFirstName,
    lastName: PHI.lastName,
    dateOfBirth: PHI.subscriberDateOfBirth
  },
  period: { start: "2020-01-01", end: "2030-12-31" },
  planYearStart: "01-01"
})

const clinician = (credential: Clinician.Clinician["credential"], id = "cln-1") =>
  Schema.decodeUnknownSync(Clinician.Clinician)({
    id,
    tenantId: "t-1",
    npi: "1234567893",
    firstName: "Ada",
    lastName: "Therapist",
    credential,
    taxonomy: "1041C0700X",
    licenses: [],
    supervisedBy: []
  })

const organization = (facilityType: Organization.FacilityType = "office") =>
  Schema.decodeUnknownSync(Organization.Organization)({
    id: "org-1",
    tenantId: "t-1",
    name: "Riverbend Behavioral Health",
    npi: "1245319599",
    tin: "123456789",
    taxonomy: "261QM0801X",
    facilityType,
    address: { line1: "100 River Rd", city: "Portland", state: "OR", postalCode: "972011234" }
  })

const LCSW = clinician("LCSW")
const MD = clinician("MD")
const OFFICE = organization()

type Fields = Omit<Scrub.ScrubContext, "ruleSets" | "asOf">
/** A test's changes to the default context: `undefined` takes a field away. */
type Context = { readonly [K in keyof Fields]?: Fields[K] | undefined } & { readonly asOf?: string }

const context = (over: Context = {}): Scrub.ScrubContext =>
  ({
    patient,
    coverage,
    billingProvider: OFFICE,
    rendering: LCSW,
    ...over,
    ruleSets,
    asOf: DateOfService.make(over.asOf ?? "2025-03-20")
  }) as Scrub.ScrubContext

const PHI_VALUES: ReadonlyArray<string> = [...Object.values(PHI), "Riverbend"]

/** The findings' text must not carry PHI: the fixture's, the claim's diagnoses, its dates of service. */
const assertNoPhi = (claim: Claim.Claim, result: Scrub.ScrubResult) => {
  const forbidden = [
    ...PHI_VALUES,
    ...claim.diagnoses,
    ...claim.diagnoses.map((d) => d.replace(".", "")),
    ...claim.lines.map((l) => l.dateOfService)
  ]
  for (const finding of result.findings) {
    for (const text of [finding.message, finding.suggestion]) {
      for (const value of forbidden) expect(text, `${finding.edit} message carries PHI`).not.toContain(value)
    }
  }
}

const currentCarcs = new Set(carcTable.filter((c) => c.status === "current").map((c) => c.code))
const currentRarcs = new Set(rarcTable.filter((c) => c.status === "current").map((c) => c.code))

/** Every denial names a current CARC (and RARC) of the tables core ships; 16 and 96 need a remark code. */
const assertKnownCodes = (denial: RulePack.Denial) => {
  expect(currentCarcs.has(denial.carc), `CARC ${denial.carc}`).toBe(true)
  if (denial.rarc !== undefined) expect(currentRarcs.has(denial.rarc), `RARC ${denial.rarc}`).toBe(true)
  if (denial.carc === "16" || denial.carc === "96")
    expect(denial.rarc, `CARC ${denial.carc} needs a RARC`).toBeDefined()
  if (denial.carc === "18") expect(denial.group).toBe("OA")
}

const scrub = (claim: Claim.Claim, over: Context = {}): Scrub.ScrubResult => {
  const result = Scrub.scrub(claim, context(over))
  assertNoPhi(claim, result)
  for (const finding of result.findings) assertKnownCodes(finding.denial)
  return result
}

const edits = (result: Scrub.ScrubResult): Array<string> =>
  result.findings.map((f) => (f.line === undefined ? f.edit : `${f.edit}@${f.line}`))

const only = (result: Scrub.ScrubResult, edit: Scrub.EditId): Scrub.Finding => {
  const found = result.findings.filter((f) => f.edit === edit)
  if (found.length !== 1) throw new Error(`expected one ${edit}, got: ${JSON.stringify(result.findings, null, 2)}`)
  return found[0] as Scrub.Finding
}

/** Applying the finding's fix and scrubbing again: the finding is gone (same edit, line and fix). */
const fixedAway = (claim: Claim.Claim, finding: Scrub.Finding, over: Context = {}) => {
  expect(finding.fix).toBeDefined()
  const after = scrub(Scrub.applyFix(claim, finding.fix as Scrub.Fix), over)
  const same = after.findings.filter(
    (f) => f.edit === finding.edit && f.line === finding.line && JSON.stringify(f.fix) === JSON.stringify(finding.fix)
  )
  expect(same).toEqual([])
  return after
}

// ---------------------------------------------------------------------------------------------------------------

describe("Scrub: a clean claim", () => {
  it("has no findings and shares one empty result", () => {
    const a = scrub(makeClaim())
    const b = scrub(makeClaim({ pack: "acme-health" }))
    expect(a).toEqual({ findings: [], blocking: false })
    expect(a).toBe(b)
  })

  it("scrubMany scrubs each claim with its own context", () => {
    const claims = [makeClaim(), makeClaim({ id: "clm-2", lines: [{ code: "90785" }] })]
    const results = Scrub.scrubMany(claims, () => context())
    expect(results.map(edits)).toEqual([[], ["add-on-without-primary@0"]])
  })
})

describe("same-day-pair and same-day-family (RULES.md §1.3, §1.4, §6 rows 2-3)", () => {
  it("90839 with 90834 on one day: the column-2 code is denied with the pack's CO-97, no bypass modifier", () => {
    const result = scrub(makeClaim({ lines: [{ code: "90839" }, { code: "90834", modifiers: ["59"] }] }))
    const finding = only(result, "same-day-pair")
    expect(finding).toMatchObject({ line: 1, severity: "error", denial: { group: "CO", carc: "97" } })
    expect(finding.source).toEqual({ pack: "cpt-base@2025.1.0", path: "$.sameDayExclusions[1]" })
    expect(finding.fix).toBeUndefined()
    expect(result.blocking).toBe(true)
  })

  it("90839 and 90834 on different days, or 90839 alone, pass", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90839" }, { code: "90834", dos: "2025-03-05" }] })))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90839" }] })))).toEqual([])
  })

  it("90791 with 99213 is allowed with bypass modifier 59 or XE only", () => {
    const lines = [{ code: "90791" }, { code: "99213" }]
    expect(edits(scrub(makeClaim({ lines }), { rendering: MD }))).toEqual(["same-day-pair@1"])
    const bypassed = makeClaim({ lines: [{ code: "90791" }, { code: "99213", modifiers: ["XE"] }] })
    expect(edits(scrub(bypassed, { rendering: MD }))).toEqual([])
  })

  it("90837 + 90833 with an E/M: two codes of the psychotherapy family on one day (no pack pair needed)", () => {
    const claim = makeClaim({ lines: [{ code: "99213" }, { code: "90833" }, { code: "90837" }] })
    const finding = only(scrub(claim, { rendering: MD }), "same-day-family")
    expect(finding).toMatchObject({ line: 2, denial: { group: "CO", carc: "97", rarc: "M80" } })
    expect(finding.source).toEqual({ pack: "cpt-base@2025.1.0", path: "$.families.psychotherapy" })
    expect(edits(scrub(makeClaim({ lines: [{ code: "99213" }, { code: "90833" }] }), { rendering: MD }))).toEqual([])
  })

  it("90837 + 90833 without an E/M: the add-on has no primary, and the family rule still applies", () => {
    const result = scrub(makeClaim({ lines: [{ code: "90837" }, { code: "90833" }] }), { rendering: MD })
    expect(edits(result).sort()).toEqual(["add-on-without-primary@1", "same-day-family@1"])
  })

  it("90832 + 90834 is an explicit pack pair: reported once, as the pair", () => {
    const result = scrub(makeClaim({ lines: [{ code: "90832" }, { code: "90834" }] }))
    expect(edits(result)).toEqual(["same-day-pair@1"])
  })
})

describe("add-on-without-primary (RULES.md §1.5, §6 row 1)", () => {
  it("+90785 alone is CO-107 from the pack's addOns", () => {
    const finding = only(scrub(makeClaim({ lines: [{ code: "90785" }] })), "add-on-without-primary")
    expect(finding).toMatchObject({ line: 0, severity: "error", denial: { group: "CO", carc: "107" } })
    expect(finding.source).toEqual({ pack: "cpt-base@2025.1.0", path: '$.addOns["90785"]' })
  })

  it("+90785 with 90834, +90840 with 90839, +90833 with 99213 pass", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90834" }, { code: "90785" }] })))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90839" }, { code: "90840" }] })))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "99213" }, { code: "90833" }] }), { rendering: MD }))).toEqual([])
  })

  it("the primary must be on the same day", () => {
    const claim = makeClaim({ lines: [{ code: "90834" }, { code: "90785", dos: "2025-03-05" }] })
    expect(edits(scrub(claim))).toEqual(["add-on-without-primary@1"])
  })

  it("a pack may make it a warning and name another denial (CO-B15)", () => {
    const finding = only(
      scrub(makeClaim({ pack: "acme-strict", lines: [{ code: "90785" }] })),
      "add-on-without-primary"
    )
    expect(finding).toMatchObject({ severity: "warning", denial: { group: "CO", carc: "B15" } })
    expect(finding.severityFrom).toEqual({
      pack: "acme-strict@1.0.0",
      path: '$.scrub.severities["add-on-without-primary"]'
    })
    expect(scrub(makeClaim({ pack: "acme-strict", lines: [{ code: "90785" }] })).blocking).toBe(false)
  })
})

describe("units-per-day (pack unitsPerDay)", () => {
  const medicaid = (lines: ReadonlyArray<LineInput>) =>
    makeClaim({ pack: "state-medicaid-example", lines: lines.map((l) => ({ code: "H0004", modifiers: ["HO"], ...l })) })

  it("H0004 at the limit (16) passes; one over is CO-151 N362 with a certain SetUnits", () => {
    expect(edits(scrub(medicaid([{ units: 16 }])))).toEqual([])
    const claim = medicaid([{ units: 17, charge: 17 * 2_500 }])
    const finding = only(scrub(claim), "units-per-day")
    expect(finding).toMatchObject({ line: 0, denial: { group: "CO", carc: "151", rarc: "N362" } })
    expect(finding.fix).toEqual({ _tag: "SetUnits", line: 0, units: 16 })
    expect(finding.source).toEqual({ pack: "state-medicaid-example@2025.1.0", path: "$.unitsPerDay.H0004" })
    fixedAway(claim, finding)
    const fixed = Scrub.applyFix(claim, finding.fix as Scrub.Fix)
    expect(fixed.lines[0]?.charge).toBe(16 * 2_500)
    expect([fixed.charge, fixed.balance]).toEqual([16 * 2_500, 16 * 2_500])
  })

  it("units add up across lines of a day: reported on the last, which is cut to what is left", () => {
    const claim = medicaid([{ units: 10 }, { units: 7, modifiers: ["HO", "GT"] }])
    const finding = only(scrub(claim), "units-per-day")
    expect(finding.fix).toEqual({ _tag: "SetUnits", line: 1, units: 6 })
    fixedAway(claim, finding)
    expect(edits(scrub(medicaid([{ units: 10 }, { units: 6, dos: "2025-03-05" }])))).toEqual([])
  })

  it("no SetUnits when the charge is not a whole number of cents per unit", () => {
    const finding = only(scrub(medicaid([{ units: 17, charge: 40_003 }])), "units-per-day")
    expect(finding.fix).toBeUndefined()
  })

  it("90839 and 90791 once a day (cpt-base)", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90791", units: 2, charge: 30_000 }] })))).toEqual([
      "units-per-day@0"
    ])
  })
})

describe("minutes-below-minimum (RULES.md §1, §6 row 4)", () => {
  /** The session's minutes for each line, as the host gives them in `lines`. */
  const minutes = (...each: ReadonlyArray<number>): Context => ({ lines: each.map((m) => ({ minutes: m })) })

  it("90834 at 37 minutes (its minimum is 38) is CO-150 from the pack's tier, suggesting 90832; 38 passes", () => {
    const claim = makeClaim({ lines: [{ code: "90834" }] })
    const finding = only(scrub(claim, minutes(37)), "minutes-below-minimum")
    expect(finding).toMatchObject({
      line: 0,
      severity: "error",
      denial: { group: "CO", carc: "150" },
      message: "Line 1 (90834) needs at least 38 minutes of individual psychotherapy; the session has 37.",
      source: { path: "$.families.psychotherapy.tiers[1].minMinutes" }
    })
    expect(finding.source.pack).toMatch(/^cpt-base@/u)
    expect(finding.suggestion).toContain("Bill 90832")
    // No certain fix: another code is another charge, and the documented time may be the mistake.
    expect(finding.fix).toBeUndefined()
    expect(edits(scrub(claim, minutes(38)))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90837" }] }), minutes(53)))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90837" }] }), minutes(52)))).toEqual(["minutes-below-minimum@0"])
  })

  it("is skipped without the session's minutes, and for codes billed whatever the time", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90837" }] })))).toEqual([])
    expect(
      edits(scrub(makeClaim({ lines: [{ code: "90837" }] }), { lines: [{ delivery: { mode: "in-person" } }] }))
    ).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90791" }] }), minutes(5)))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90853" }] }), minutes(5)))).toEqual([])
  })

  it("under the lowest tier there is no lower code to suggest; an add-on tier reads the withEm table", () => {
    const finding = only(scrub(makeClaim({ lines: [{ code: "90832" }] }), minutes(15)), "minutes-below-minimum")
    expect(finding.suggestion).not.toContain("Bill 9")
    const claim = makeClaim({ lines: [{ code: "99213" }, { code: "90836" }] })
    const addOn = only(scrub(claim, { rendering: MD, ...minutes(30, 30) }), "minutes-below-minimum")
    expect(addOn).toMatchObject({ line: 1, source: { path: "$.families.psychotherapy.withEm[1].minMinutes" } })
    expect(addOn.suggestion).toContain("Bill 90833")
    expect(edits(scrub(claim, { rendering: MD, ...minutes(38, 38) }))).toEqual([])
  })

  it("crisis: 90839 under 30 minutes; 90840 units past what the minutes reach, with a certain SetUnits", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90839" }] }), minutes(29)))).toEqual(["minutes-below-minimum@0"])
    expect(edits(scrub(makeClaim({ lines: [{ code: "90839" }] }), minutes(30)))).toEqual([])
    // 90840: one unit from 75 minutes, one more every 30 (105 for two).
    const claim = makeClaim({ lines: [{ code: "90839" }, { code: "90840", units: 2, charge: 16_000 }] })
    expect(edits(scrub(claim, minutes(105, 105)))).toEqual([])
    const finding = only(scrub(claim, minutes(104, 104)), "minutes-below-minimum")
    expect(finding).toMatchObject({ line: 1, fix: { _tag: "SetUnits", line: 1, units: 1 } })
    expect(finding.message).toContain("needs at least 105 minutes")
    expect(finding.source.path).toBe("$.families.crisis.addOn")
    fixedAway(claim, finding, minutes(104, 104))
  })

  it("timed codes: the units the minutes give under the pack's rounding (full units for the Medicaid program)", () => {
    const claim = makeClaim({
      pack: "state-medicaid-example",
      lines: [{ code: "H0004", modifiers: ["HO"], units: 4, charge: 4 * 2_500 }]
    })
    expect(edits(scrub(claim, minutes(60)))).toEqual([])
    const finding = only(scrub(claim, minutes(59)), "minutes-below-minimum")
    expect(finding).toMatchObject({ line: 0, fix: { _tag: "SetUnits", line: 0, units: 3 } })
    expect(finding.message).toBe(
      "Line 1 (H0004) needs at least 60 minutes of behavioral health counseling and therapy for 4 units; the session has 59."
    )
    fixedAway(claim, finding, minutes(59))
    // Less than one unit: nothing to cut to.
    const none = only(scrub(claim, minutes(14)), "minutes-below-minimum")
    expect(none.fix).toBeUndefined()
    expect(none.suggestion).toContain("Remove the line")
  })

  it("timed codes under the mid-point and up-to-unit roundings (a program that sets its own)", () => {
    const claim = makeClaim({
      pack: "state-medicaid-example",
      lines: [{ code: "H0004", modifiers: ["HO"], units: 4, charge: 4 * 2_500 }]
    })
    // Four 15-minute units: from 53 minutes under the mid-point rule (8, then 15 each), from 46 up to the unit.
    for (const [rounding, least] of [
      ["cpt_midpoint", 53],
      ["cms_8_minute", 53],
      ["up_to_unit", 46]
    ] as const) {
      const program = Effect.runSync(
        RulePack.validate({
          id: `medicaid-${rounding.replaceAll("_", "-")}`,
          version: "1.0.0",
          name: `Medicaid program rounding ${rounding}`,
          layer: "program",
          extends: "state-medicaid-example",
          effective: { from: "2022-01-01" },
          settings: { unitRounding: rounding }
        })
      )
      const rs = Effect.runSync(
        RuleSet.makeRulePacks([...validated, program]).resolve(program.id, DateOfService.make(DOS))
      )
      const at = (m: number) => Scrub.scrub(claim, { ...context(minutes(m)), ruleSets: () => rs })
      expect(at(least).findings, rounding).toEqual([])
      const finding = only(at(least - 1), "minutes-below-minimum")
      expect(finding.fix, rounding).toEqual({ _tag: "SetUnits", line: 0, units: 3 })
      expect(finding.message, rounding).toContain(`needs at least ${least} minutes`)
    }
  })

  it("is an error by default, and a pack may turn it off", () => {
    const warned = makeClaim({ pack: "acme-strict", lines: [{ code: "90837" }] })
    expect(scrub(warned, minutes(40)).blocking).toBe(true)
    const off = Effect.runSync(
      RulePack.validate({
        ...strictPlan,
        id: "acme-minutes",
        scrub: { severities: { "minutes-below-minimum": "off" } }
      })
    )
    const rs = Effect.runSync(
      RuleSet.makeRulePacks([...validated, off]).resolve("acme-minutes", DateOfService.make(DOS))
    )
    const result = Scrub.scrub(makeClaim({ pack: "acme-strict", lines: [{ code: "90837" }] }), {
      ...context(minutes(40)),
      ruleSets: () => rs
    })
    expect(result.findings).toEqual([])
  })
})

describe("credential-not-allowed (RULES.md §4, §6 row 12)", () => {
  it("an LCSW may not bill 90792 to Medicare (CO-170 N95); an MD may", () => {
    const claim = makeClaim({ lines: [{ code: "90792" }] })
    const finding = only(scrub(claim), "credential-not-allowed")
    expect(finding).toMatchObject({ line: 0, denial: { group: "CO", carc: "170", rarc: "N95" } })
    expect(finding.source).toEqual({ pack: "medicare@2025.1.0", path: "$.billableBy[0]" })
    expect(edits(scrub(claim, { rendering: MD }))).toEqual([])
  })

  it("an LMFT bills Medicare psychotherapy from 2024-01-01", () => {
    const lmft = clinician("LMFT")
    expect(
      edits(scrub(makeClaim({ lines: [{ dos: "2023-12-31" }] }), { rendering: lmft, asOf: "2024-01-10" }))
    ).toEqual(["credential-not-allowed@0"])
    expect(
      edits(scrub(makeClaim({ lines: [{ dos: "2024-01-01" }] }), { rendering: lmft, asOf: "2024-01-10" }))
    ).toEqual([])
  })
})

describe("credential-modifier (state-medicaid-example credentialModifiers, RULES.md §2.2)", () => {
  const medicaid = (code: string, modifiers: ReadonlyArray<string>) =>
    makeClaim({ pack: "state-medicaid-example", lines: [{ code, modifiers }] })

  it("an LCSW's H0004 needs HO: AddModifier", () => {
    const claim = medicaid("H0004", [])
    const finding = only(scrub(claim), "credential-modifier")
    expect(finding.fix).toEqual({ _tag: "AddModifier", line: 0, modifier: "HO" })
    expect(finding.source).toEqual({ pack: "state-medicaid-example@2025.1.0", path: "$.credentialModifiers[1]" })
    fixedAway(claim, finding)
    expect(edits(scrub(medicaid("H0004", ["HO"])))).toEqual([])
  })

  it("a bachelor's-level H0036 with HO is the wrong level: ReplaceModifier HO → HN", () => {
    const bachelors = clinician("Bachelors")
    const claim = medicaid("H0036", ["HO"])
    const finding = only(scrub(claim, { rendering: bachelors }), "credential-modifier")
    expect(finding.fix).toEqual({ _tag: "ReplaceModifier", line: 0, from: "HO", to: "HN" })
    fixedAway(claim, finding, { rendering: bachelors })
    expect(edits(scrub(medicaid("H0036", ["HN"]), { rendering: bachelors }))).toEqual([])
  })

  it("HN on an LCSW's H0036 is replaced by HO; HO on 90834 (no rule for the code) is left alone", () => {
    expect(only(scrub(medicaid("H0036", ["HN"])), "credential-modifier").fix).toEqual({
      _tag: "ReplaceModifier",
      line: 0,
      from: "HN",
      to: "HO"
    })
    expect(edits(scrub(medicaid("90834", ["HO"])))).toEqual([])
  })

  it("a psychologist's HO on H0004 where HP is due, with a modifier to spare", () => {
    const psychologist = clinician("PhD")
    const claim = medicaid("H0004", ["HO", "GT"])
    const finding = only(scrub(claim, { rendering: psychologist }), "credential-modifier")
    expect(finding.fix).toEqual({ _tag: "ReplaceModifier", line: 0, from: "HO", to: "HP" })
  })

  it("no credential edits without the rendering clinician", () => {
    expect(edits(scrub(medicaid("H0004", []), { rendering: undefined }))).toEqual([])
  })
})

describe("telehealth-pos, telehealth-modifier, telehealth-not-covered (RULES.md §2.1, §3, §6 rows 9 and 23)", () => {
  const VIDEO_HOME: Coding.Delivery = { mode: "video", patientLocation: "home" }
  const VIDEO_OTHER: Coding.Delivery = { mode: "video", patientLocation: "other" }
  const AUDIO_HOME: Coding.Delivery = { mode: "audio-only", patientLocation: "home" }
  const AUDIO_OTHER: Coding.Delivery = { mode: "audio-only", patientLocation: "other" }

  it("Medicare 2025 video at home is POS 10 without 95; POS 02 is fixed to 10", () => {
    expect(edits(scrub(makeClaim({ lines: [{ pos: "10" }] }), { delivery: VIDEO_HOME }))).toEqual([])
    const claim = makeClaim({ lines: [{ pos: "02" }] })
    const finding = only(scrub(claim, { delivery: VIDEO_HOME }), "telehealth-pos")
    expect(finding).toMatchObject({ denial: { group: "CO", carc: "5", rarc: "M77" } })
    expect(finding.fix).toEqual({ _tag: "SetPlaceOfService", line: 0, placeOfService: "10" })
    expect(finding.source).toEqual({ pack: "medicare@2025.1.0", path: "$.telehealth[0]" })
    const after = fixedAway(claim, finding, { delivery: VIDEO_HOME })
    expect(after.findings).toEqual([])
    expect(Scrub.applyFix(claim, finding.fix as Scrub.Fix).placeOfService).toBe("10")
  })

  it("Medicare 2025 video away from home is POS 02; modifier 95 is no longer used (RemoveModifier)", () => {
    expect(edits(scrub(makeClaim({ lines: [{ pos: "02" }] }), { delivery: VIDEO_OTHER }))).toEqual([])
    const claim = makeClaim({ lines: [{ pos: "02", modifiers: ["95"] }] })
    const finding = only(scrub(claim, { delivery: VIDEO_OTHER }), "telehealth-modifier")
    expect(finding.fix).toEqual({ _tag: "RemoveModifier", line: 0, modifier: "95" })
    fixedAway(claim, finding, { delivery: VIDEO_OTHER })
  })

  it("Medicare before POS 10 (2022-02-01) wanted POS 02 and 95 even at home", () => {
    const over = { delivery: VIDEO_HOME, asOf: "2022-03-01" }
    expect(edits(scrub(makeClaim({ lines: [{ pos: "02", modifiers: ["95"], dos: "2022-02-01" }] }), over))).toEqual([])
    const claim = makeClaim({ lines: [{ pos: "10", dos: "2022-02-01" }] })
    expect(edits(scrub(claim, over)).sort()).toEqual(["telehealth-modifier@0", "telehealth-pos@0"])
  })

  it("Medicare audio-only at home needs 93 (AddModifier); away from home it is not covered", () => {
    const claim = makeClaim({ lines: [{ pos: "10" }] })
    const finding = only(scrub(claim, { delivery: AUDIO_HOME }), "telehealth-modifier")
    expect(finding.fix).toEqual({ _tag: "AddModifier", line: 0, modifier: "93" })
    expect(finding.denial).toEqual({ group: "CO", carc: "4" })
    fixedAway(claim, finding, { delivery: AUDIO_HOME })
    expect(edits(scrub(makeClaim({ lines: [{ pos: "10", modifiers: ["93"] }] }), { delivery: AUDIO_HOME }))).toEqual([])
    const away = only(
      scrub(makeClaim({ lines: [{ pos: "02", modifiers: ["93"] }] }), { delivery: AUDIO_OTHER }),
      "telehealth-not-covered"
    )
    expect(away).toMatchObject({ denial: { group: "CO", carc: "96" } })
  })

  it("Medicare audio-only at an FQHC takes FQ, not 93", () => {
    const fqhc = { delivery: AUDIO_HOME, billingProvider: organization("fqhc") }
    expect(edits(scrub(makeClaim({ lines: [{ pos: "10", modifiers: ["FQ"] }] }), fqhc))).toEqual([])
    const claim = makeClaim({ lines: [{ pos: "10", modifiers: ["93"] }] })
    const finding = only(scrub(claim, fqhc), "telehealth-modifier")
    expect(finding.fix).toEqual({ _tag: "ReplaceModifier", line: 0, from: "93", to: "FQ" })
    fixedAway(claim, finding, fqhc)
  })

  it("Medicare audio-only for a code not on its list (90853) is not covered", () => {
    const claim = makeClaim({ lines: [{ code: "90853", pos: "10", modifiers: ["93"] }] })
    expect(edits(scrub(claim, { delivery: AUDIO_HOME }))).toEqual(["telehealth-not-covered@0"])
  })

  it("Acme wants 95 on video (AddModifier) and 93 on audio-only (95 is replaced)", () => {
    const video = makeClaim({ pack: "acme-health", lines: [{ pos: "10" }] })
    const add = only(scrub(video, { delivery: VIDEO_HOME }), "telehealth-modifier")
    expect(add.fix).toEqual({ _tag: "AddModifier", line: 0, modifier: "95" })
    expect(add.source).toEqual({ pack: "acme-health@2025.1.0", path: "$.telehealth[0]" })
    fixedAway(video, add, { delivery: VIDEO_HOME })
    expect(
      edits(
        scrub(makeClaim({ pack: "acme-health", lines: [{ pos: "10", modifiers: ["95"] }] }), { delivery: VIDEO_HOME })
      )
    ).toEqual([])
    const audio = makeClaim({ pack: "acme-health", lines: [{ pos: "02", modifiers: ["95"] }] })
    const replace = only(scrub(audio, { delivery: AUDIO_OTHER }), "telehealth-modifier")
    expect(replace.fix).toEqual({ _tag: "ReplaceModifier", line: 0, from: "95", to: "93" })
    fixedAway(audio, replace, { delivery: AUDIO_OTHER })
  })

  it("the Acme HMO plan does not cover audio-only", () => {
    const claim = makeClaim({ pack: "acme-health-hmo", lines: [{ pos: "10", modifiers: ["93"] }] })
    const finding = only(scrub(claim, { delivery: AUDIO_HOME }), "telehealth-not-covered")
    expect(finding.source).toEqual({ pack: "acme-health-hmo@2025.1.0", path: "$.telehealth[1]" })
  })

  it("in person: a telehealth POS or modifier is wrong (POS from the session, 11 by default)", () => {
    const claim = makeClaim({ lines: [{ pos: "02", modifiers: ["95"] }] })
    const result = scrub(claim, { delivery: { mode: "in-person" } })
    expect(only(result, "telehealth-pos").fix).toEqual({ _tag: "SetPlaceOfService", line: 0, placeOfService: "11" })
    expect(only(result, "telehealth-modifier").fix).toEqual({ _tag: "RemoveModifier", line: 0, modifier: "95" })
    const cmhc = scrub(claim, { delivery: { mode: "in-person", placeOfService: "53" } })
    expect(only(cmhc, "telehealth-pos").fix).toEqual({ _tag: "SetPlaceOfService", line: 0, placeOfService: "53" })
    expect(edits(scrub(makeClaim(), { delivery: { mode: "in-person" } }))).toEqual([])
  })

  it("without the delivery, only a telehealth modifier the payer never uses on the date is flagged", () => {
    expect(edits(scrub(makeClaim({ lines: [{ pos: "02", modifiers: ["GT"] }] })))).toEqual(["telehealth-modifier@0"])
    expect(edits(scrub(makeClaim({ lines: [{ pos: "02", modifiers: ["95"] }] })))).toEqual(["telehealth-modifier@0"])
    expect(edits(scrub(makeClaim({ lines: [{ pos: "10", modifiers: ["93"] }] })))).toEqual([])
    const medicaid = makeClaim({
      pack: "state-medicaid-example",
      lines: [{ code: "90834", pos: "02", modifiers: ["GT"] }]
    })
    expect(edits(scrub(medicaid))).toEqual([])
  })

  it("per-line delivery overrides the claim's", () => {
    const claim = makeClaim({ lines: [{ pos: "10" }, { code: "90785", pos: "11" }] })
    const result = scrub(claim, { delivery: VIDEO_HOME, lines: [undefined, { delivery: { mode: "in-person" } }] })
    expect(edits(result)).toEqual([])
  })
})

describe("diagnosis-invalid-on-dos, diagnosis-not-specific, z-code-primary (RULES.md §6 rows 5-6, notes)", () => {
  it("F32.A is valid from 2021-10-01 (CO-146 the day before)", () => {
    // cpt-base: in force from 2020 (the payer packs start in 2022).
    const before = makeClaim({ pack: "cpt-base", diagnoses: ["F32.A"], lines: [{ dos: "2021-09-30" }] })
    const finding = only(scrub(before, { asOf: "2021-10-15" }), "diagnosis-invalid-on-dos")
    expect(finding).toMatchObject({ denial: { group: "CO", carc: "146" } })
    expect(finding.line).toBeUndefined()
    expect(finding.message).toContain("Diagnosis 1")
    const after = makeClaim({ pack: "cpt-base", diagnoses: ["F32.A"], lines: [{ dos: "2021-10-01" }] })
    expect(edits(scrub(after, { asOf: "2021-10-15" }))).toEqual([])
  })

  it("F43.1 is a header code (CO-16 M81); F43.10 is billable; F32.8 became a category on 2020-10-01", () => {
    const header = makeClaim({ diagnoses: ["F41.1", "F43.1"], lines: [{ pointers: [1, 2] }] })
    const finding = only(scrub(header), "diagnosis-not-specific")
    expect(finding).toMatchObject({ denial: { group: "CO", carc: "16", rarc: "M81" } })
    expect(finding.message).toContain("Diagnosis 2")
    expect(edits(scrub(makeClaim({ diagnoses: ["F43.10"] })))).toEqual([])
    expect(edits(scrub(makeClaim({ diagnoses: ["F32.8"] })))).toEqual(["diagnosis-not-specific"])
  })

  it("a Z code as the principal diagnosis is a warning (does not block); second position is fine", () => {
    const result = scrub(makeClaim({ diagnoses: ["Z63.0"] }))
    expect(only(result, "z-code-primary")).toMatchObject({ severity: "warning", denial: { group: "CO", carc: "11" } })
    expect(result.blocking).toBe(false)
    expect(edits(scrub(makeClaim({ diagnoses: ["F41.1", "Z63.0"] })))).toEqual([])
    expect(edits(scrub(makeClaim({ pack: "acme-strict", diagnoses: ["Z63.0"] })))).toEqual([])
  })
})

describe("pointer-to-nothing (RULES.md §6 row 7, §8)", () => {
  it("a pointer past the claim's diagnoses: SetPointers to the valid ones", () => {
    const claim = makeClaim({ diagnoses: ["F41.1", "F43.10"], lines: [{ pointers: [1, 3] }] })
    const finding = only(scrub(claim), "pointer-to-nothing")
    expect(finding).toMatchObject({ line: 0, denial: { group: "CO", carc: "16", rarc: "M76" } })
    expect(finding.fix).toEqual({ _tag: "SetPointers", line: 0, pointers: [1] })
    fixedAway(claim, finding)
  })

  it("pointer 0 (which the schema refuses, as from an unchecked source) with one diagnosis: point to 1", () => {
    const valid = makeClaim()
    const claim = { ...valid, lines: [{ ...valid.lines[0], diagnosisPointers: [0] }] } as unknown as Claim.Claim
    const finding = only(scrub(claim), "pointer-to-nothing")
    expect(finding.fix).toEqual({ _tag: "SetPointers", line: 0, pointers: [1] })
  })

  it("pointers to every diagnosis of the claim pass; no certain fix when several could be meant", () => {
    expect(edits(scrub(makeClaim({ diagnoses: ["F41.1", "F43.10"], lines: [{ pointers: [2, 1] }] })))).toEqual([])
    const claim = makeClaim({ diagnoses: ["F41.1", "F43.10"], lines: [{ pointers: [3] }] })
    expect(only(scrub(claim), "pointer-to-nothing").fix).toBeUndefined()
  })
})

describe("authorizations (RULES.md §5.2, §6 row 13)", () => {
  const auth = (over: Record<string, unknown> = {}) =>
    Schema.decodeUnknownSync(Authorization.Authorization)({
      id: "auth-1",
      tenantId: "t-1",
      patientId: "pat-1",
      payerId: "acme-health",
      number: PHI.authorizationNumber,
      codes: ["96130", "96131"],
      unitType: "sessions",
      approved: 4,
      period: { start: "2025-01-01", end: "2025-06-30" },
      status: "approved",
      ...over
    })
  const testing = (over: ClaimInput = {}) =>
    makeClaim({ pack: "acme-health", lines: [{ code: "96130", sessionId: "ses-1" }], ...over })
  const psychologist = clinician("PhD")
  const facts = (
    authorizations: ReadonlyArray<Authorization.Authorization>,
    ledger: Array<Authorization.LedgerEntry> = []
  ) => ({
    rendering: psychologist,
    authorizations: { authorizations, ledger }
  })

  it("without authorization data: a claim that needs one and names none is CO-197; naming one passes", () => {
    const finding = only(scrub(testing(), { rendering: psychologist }), "authorization-missing")
    expect(finding).toMatchObject({ line: 0, denial: { group: "CO", carc: "197" } })
    expect(finding.source).toEqual({ pack: "acme-health@2025.1.0", path: "$.priorAuthorization[0]" })
    expect(edits(scrub(testing({ priorAuthorization: PHI.authorizationNumber }), { rendering: psychologist }))).toEqual(
      []
    )
    expect(edits(scrub(makeClaim({ pack: "acme-health" }), { rendering: psychologist }))).toEqual([])
  })

  it("missing, expired, exhausted and not applicable, from Authorization.check", () => {
    expect(edits(scrub(testing(), facts([])))).toEqual(["authorization-missing@0"])
    const expired = only(
      scrub(testing(), facts([auth({ period: { start: "2024-07-01", end: "2025-03-03" } })])),
      "authorization-expired"
    )
    expect(expired.denial).toEqual({ group: "CO", carc: "197" })
    const used: Authorization.LedgerEntry = Schema.decodeUnknownSync(Authorization.LedgerEntry)({
      authorizationId: "auth-1",
      sessionId: "ses-0",
      dateOfService: "2025-02-01",
      units: 1,
      kind: "used"
    })
    const exhausted = only(scrub(testing(), facts([auth({ approved: 1 })], [used])), "authorization-exhausted")
    expect(exhausted.denial).toEqual({ group: "CO", carc: "198" })
    const wrongCode = only(scrub(testing(), facts([auth({ codes: ["96136"] })])), "authorization-not-applicable")
    // Not Authorization.check's CO-15: CARC 15 is deactivated.
    expect(wrongCode.denial).toEqual({ group: "CO", carc: "197", rarc: "M62" })
    const otherClinician = auth({ clinicianIds: ["cln-9"] })
    expect(edits(scrub(testing(), facts([otherClinician])))).toEqual(["authorization-not-applicable@0"])
  })

  it("authorized: the claim must carry the number (SetPriorAuthorization); with it, clean", () => {
    const claim = testing()
    const finding = only(scrub(claim, facts([auth()])), "authorization-number")
    expect(finding.fix).toEqual({ _tag: "SetPriorAuthorization", number: PHI.authorizationNumber })
    const after = fixedAway(claim, finding, facts([auth()]))
    expect(after.findings).toEqual([])
    expect(edits(scrub(testing({ priorAuthorization: "PA-OTHER" }), facts([auth()])))).toEqual(["authorization-number"])
  })
})

describe("timely-filing (RULES.md §6 row 10: CO-29 N211)", () => {
  it("lastDayToFile: 12 months to the same day, Feb-29 → Feb-28; days inclusive", () => {
    const d = DateOfService.make
    expect(Scrub.lastDayToFile(d("2024-02-29"), { months: 12 })).toBe("2025-02-28")
    expect(Scrub.lastDayToFile(d("2024-03-15"), { months: 12 })).toBe("2025-03-15")
    expect(Scrub.lastDayToFile(d("2024-01-31"), { months: 1 })).toBe("2024-02-29")
    expect(Scrub.lastDayToFile(d("2024-12-31"), { months: 14 })).toBe("2026-02-28")
    expect(Scrub.lastDayToFile(d("2025-01-01"), { days: 90 })).toBe("2025-04-01")
  })

  it("Medicare: a Feb-29 service is due by Feb-28 of the next year", () => {
    const claim = makeClaim({ lines: [{ dos: "2024-02-29" }] })
    expect(edits(scrub(claim, { asOf: "2025-02-28" }))).toEqual([])
    const finding = only(scrub(claim, { asOf: "2025-03-01" }), "timely-filing")
    expect(finding).toMatchObject({ line: 0, denial: { group: "CO", carc: "29", rarc: "N211" } })
    expect(finding.source).toEqual({ pack: "medicare@2025.1.0", path: "$.timelyFiling" })
  })

  it("Medicare: 12 months to the day; Acme: 90 days", () => {
    const claim = makeClaim({ lines: [{ dos: "2024-03-15" }] })
    expect(edits(scrub(claim, { asOf: "2025-03-15" }))).toEqual([])
    expect(edits(scrub(claim, { asOf: "2025-03-16" }))).toEqual(["timely-filing@0"])
    const acme = makeClaim({ pack: "acme-health", lines: [{ dos: "2025-01-01" }] })
    expect(edits(scrub(acme, { asOf: "2025-04-01" }))).toEqual([])
    expect(edits(scrub(acme, { asOf: "2025-04-02" }))).toEqual(["timely-filing@0"])
  })
})

describe("duplicate and possible-duplicate (RULES.md §6 row 11)", () => {
  const sent = Scrub.sentIndex([makeClaim({ id: "clm-sent", lines: [{ code: "90834" }] })])

  it("the same line already sent on another claim: OA-18 N522", () => {
    const finding = only(scrub(makeClaim(), { sent }), "duplicate")
    expect(finding).toMatchObject({ line: 0, severity: "error", denial: { group: "OA", carc: "18", rarc: "N522" } })
  })

  it("the same patient, date and code with other units: a CO-97 N111 warning; a pack may make it an error", () => {
    const claim = makeClaim({ lines: [{ code: "90834", units: 2, charge: 30_000 }] })
    const result = scrub(claim, { sent })
    expect(only(result, "possible-duplicate")).toMatchObject({
      severity: "warning",
      denial: { group: "CO", carc: "97", rarc: "N111" }
    })
    expect(result.blocking).toBe(false)
    const strict = scrub(makeClaim({ pack: "medicare-mbi", lines: [{ code: "90834", units: 2, charge: 30_000 }] }), {
      sent: Scrub.sentIndex([makeClaim({ pack: "medicare-mbi", id: "clm-sent" })]),
      coverage: undefined
    })
    expect(only(strict, "possible-duplicate").severity).toBe("error")
  })

  it("another code, another day, another patient, the claim itself, or a replacement: no duplicate", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90837" }] }), { sent }))).toEqual([])
    expect(edits(scrub(makeClaim({ lines: [{ dos: "2025-03-05" }] }), { sent }))).toEqual([])
    expect(edits(scrub(makeClaim({ patientId: "pat-2" }), { sent, patient: undefined }))).toEqual([])
    expect(edits(scrub(makeClaim({ id: "clm-sent" }), { sent }))).toEqual([])
    expect(edits(scrub(makeClaim({ frequency: "7", payerClaimNumber: "ICN-1" }), { sent }))).toEqual([])
  })

  it("modifier order does not matter to the fingerprint", () => {
    const a = makeClaim({ pack: "state-medicaid-example", lines: [{ code: "H0004", modifiers: ["HO", "GT"] }] })
    const b = makeClaim({
      pack: "state-medicaid-example",
      id: "b",
      lines: [{ code: "H0004", modifiers: ["GT", "HO"] }]
    })
    expect(Scrub.fingerprint(a)).toEqual(Scrub.fingerprint(b))
    expect(edits(scrub(b, { sent: Scrub.sentIndex([a]) }))).toEqual(["duplicate@0"])
  })

  it("a line repeated on the same claim", () => {
    expect(edits(scrub(makeClaim({ lines: [{ code: "90834" }, { code: "90834" }] })))).toContain("duplicate@1")
  })
})

describe("patient, subscriber and coverage data", () => {
  it("member-id-format: a member id no payer could have; a payer's format from its pack", () => {
    const blank = { ...coverage, memberId: "" } as unknown as Coverage.Coverage
    expect(edits(scrub(makeClaim(), { coverage: blank }))).toEqual(["member-id-format"])
    const mbi = makeClaim({ pack: "medicare-mbi" })
    const finding = only(scrub(mbi), "member-id-format")
    expect(finding.source).toEqual({ pack: "medicare-mbi@1.0.0", path: "$.scrub.memberId" })
    expect(finding.message).toContain("11-character Medicare Beneficiary Identifier")
    const good = Schema.decodeUnknownSync(Coverage.Coverage)({
      ...Schema.encodeSync(Coverage.Coverage)(coverage),
      memberId: "1EG4TE5MK73"
    })
    expect(edits(scrub(mbi, { coverage: good }))).toEqual([])
  })

  it("date-of-birth: in the future, after the date of service, not a date; the subscriber's too", () => {
    const withDob = (dateOfBirth: string) => ({ ...patient, dateOfBirth }) as unknown as Patient.Patient
    expect(edits(scrub(makeClaim(), { patient: withDob("2025-06-01") }))).toEqual(["date-of-birth"])
    expect(edits(scrub(makeClaim(), { patient: withDob("2025-03-10") }))).toEqual(["date-of-birth"])
    expect(edits(scrub(makeClaim(), { patient: withDob("2025-02-30") }))).toEqual(["date-of-birth"])
    expect(edits(scrub(makeClaim(), { patient: withDob("2025-03-04") }))).toEqual([])
    const futureSubscriber = {
      ...coverage,
      subscriber: { ...coverage.subscriber, dateOfBirth: "2026-01-01" }
    } as unknown as Coverage.Coverage
    const finding = only(scrub(makeClaim(), { coverage: futureSubscriber }), "date-of-birth")
    expect(finding.message).toContain("subscriber")
    expect(finding.denial).toEqual({ group: "CO", carc: "16", rarc: "N329" })
  })

  it("coverage-inactive: CO-27 after the coverage ended, CO-26 before it started", () => {
    const ended = { ...coverage, period: { start: "2020-01-01", end: "2025-03-03" } } as unknown as Coverage.Coverage
    expect(only(scrub(makeClaim(), { coverage: ended }), "coverage-inactive").denial).toEqual({
      group: "CO",
      carc: "27"
    })
    const later = { ...coverage, period: { start: "2025-03-05", end: "2025-12-31" } } as unknown as Coverage.Coverage
    expect(only(scrub(makeClaim(), { coverage: later }), "coverage-inactive").denial).toEqual({
      group: "CO",
      carc: "26"
    })
    const exact = { ...coverage, period: { start: "2025-03-04", end: "2025-03-04" } } as unknown as Coverage.Coverage
    expect(edits(scrub(makeClaim(), { coverage: exact }))).toEqual([])
  })
})

describe("npi-check-digit and taxonomy (RULES.md §6 row 18)", () => {
  it("a rendering NPI with a bad check digit is CO-16 N290; the billing provider's is N257", () => {
    const rendering = { ...LCSW, npi: "1234567890" } as unknown as Clinician.Clinician
    expect(only(scrub(makeClaim(), { rendering }), "npi-check-digit").denial).toEqual({
      group: "CO",
      carc: "16",
      rarc: "N290"
    })
    const billingProvider = { ...OFFICE, npi: "1245319590" } as unknown as Organization.Organization
    expect(only(scrub(makeClaim(), { billingProvider }), "npi-check-digit").denial).toEqual({
      group: "CO",
      carc: "16",
      rarc: "N257"
    })
    expect(edits(scrub(makeClaim(), { supervising: clinician("PhD", "cln-2") }))).toEqual([])
  })

  it("a taxonomy not in the NUCC format (10 characters ending in X)", () => {
    const billingProvider = { ...OFFICE, taxonomy: "261QM0801" } as unknown as Organization.Organization
    const finding = only(scrub(makeClaim(), { billingProvider }), "taxonomy")
    expect(finding.message).toContain("billing provider")
    const rendering = { ...LCSW, taxonomy: "1041C0700" } as unknown as Clinician.Clinician
    expect(only(scrub(makeClaim(), { rendering }), "taxonomy").denial).toEqual({
      group: "CO",
      carc: "16",
      rarc: "N288"
    })
    // The 837P does not carry the supervising clinician's taxonomy; a bad supervising NPI is N297.
    const supervising = { ...clinician("PhD", "cln-2"), taxonomy: "103T00000Y", npi: "1234567890" }
    const result = scrub(makeClaim(), { supervising: supervising as unknown as Clinician.Clinician })
    expect(edits(result)).toEqual(["npi-check-digit"])
    expect(result.findings[0]?.denial).toEqual({ group: "CO", carc: "16", rarc: "N297" })
  })
})

describe("billing-provider-zip (005010X222A1 2010AA N403)", () => {
  const fiveDigits = { ...OFFICE, address: { ...OFFICE.address, postalCode: "97201" } }

  it("a billing provider with a five-digit ZIP code is CO-16 N258 and blocks; ZIP+4 passes", () => {
    const result = scrub(makeClaim(), { billingProvider: fiveDigits })
    expect(edits(result)).toEqual(["billing-provider-zip"])
    expect(result.blocking).toBe(true)
    expect(only(result, "billing-provider-zip")).toMatchObject({
      severity: "error",
      denial: { group: "CO", carc: "16", rarc: "N258" },
      source: { pack: "openrcm" }
    })
    expect(OFFICE.address.postalCode).toHaveLength(9)
    expect(edits(scrub(makeClaim(), { billingProvider: OFFICE }))).toEqual([])
    // No billing provider in the context: nothing to check.
    expect(edits(scrub(makeClaim(), { billingProvider: undefined }))).toEqual([])
  })

  it("a pack may make it a warning (a clearinghouse that looks the extension up)", () => {
    const lenient = Effect.runSync(
      RulePack.validate({ ...strictPlan, id: "acme-zip", scrub: { severities: { "billing-provider-zip": "warning" } } })
    )
    const rs = Effect.runSync(
      RuleSet.makeRulePacks([...validated, lenient]).resolve("acme-zip", DateOfService.make(DOS))
    )
    const result = Scrub.scrub(makeClaim(), { ...context({ billingProvider: fiveDigits }), ruleSets: () => rs })
    expect(result.findings.map((f) => [f.edit, f.severity])).toEqual([["billing-provider-zip", "warning"]])
    expect(result.blocking).toBe(false)
  })
})

describe("replacement-without-f8 (RULES.md §6 row 19, §8)", () => {
  it("a replacement or void needs the payer's claim number", () => {
    expect(edits(scrub(makeClaim({ frequency: "7" })))).toEqual(["replacement-without-f8"])
    expect(edits(scrub(makeClaim({ frequency: "8" })))).toEqual(["replacement-without-f8"])
    expect(edits(scrub(makeClaim({ frequency: "7", payerClaimNumber: "ICN-1" })))).toEqual([])
    expect(edits(scrub(makeClaim({ frequency: "1" })))).toEqual([])
  })
})

describe("pack scrub settings", () => {
  const problemsOf = (document: unknown) => {
    const exit = Effect.runSyncExit(RulePack.validate(document))
    if (Exit.isSuccess(exit)) return []
    const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
    const error = failure && "error" in failure ? (failure.error as RulePack.RulePackError) : undefined
    return error?.problems ?? []
  }

  it("a misspelt edit id, a bad severity and a pattern that does not compile are reported by JSON path", () => {
    const typo = { ...strictPlan, scrub: { severities: { "add-on-without-primry": "off" } } }
    expect(problemsOf(typo)).toEqual([
      {
        path: '$.scrub.severities["add-on-without-primry"]',
        message: 'no scrub edit is called "add-on-without-primry"'
      }
    ])
    expect(problemsOf({ ...strictPlan, scrub: { denials: { "tmely-filing": { group: "CO", carc: "29" } } } })).toEqual([
      { path: '$.scrub.denials["tmely-filing"]', message: 'no scrub edit is called "tmely-filing"' }
    ])
    expect(problemsOf({ ...strictPlan, scrub: { severities: { duplicate: "fatal" } } }).map((p) => p.path)).toEqual([
      "$.scrub.severities.duplicate"
    ])
    expect(problemsOf({ ...mbiPlan, scrub: { memberId: { pattern: "([", expected: "x" } } })).toEqual([
      { path: "$.scrub.memberId.pattern", message: "not a valid regular expression" }
    ])
  })

  it("severities and denials merge edit by edit across layers; the member id format is the latest layer's", () => {
    const child = Effect.runSync(
      RulePack.validate({
        id: "acme-strict-child",
        version: "1.0.0",
        name: "child",
        layer: "program",
        extends: "acme-strict",
        effective: { from: "2022-01-01" },
        scrub: { severities: { "z-code-primary": "error" } }
      })
    )
    const rs = Effect.runSync(
      RuleSet.makeRulePacks([...validated, child]).resolve("acme-strict-child", DateOfService.make(DOS))
    )
    expect(rs.scrub.severities.get("z-code-primary")?.value).toBe("error")
    expect(rs.scrub.severities.get("add-on-without-primary")?.origin.pack).toBe("acme-strict@1.0.0")
    expect(rs.scrub.denials.get("add-on-without-primary")?.value).toEqual({ group: "CO", carc: "B15" })
    expect(rs.scrub.memberId).toBeUndefined()
  })

  it("every edit has a default severity, denial and source", () => {
    for (const edit of Scrub.edits) {
      const d = Scrub.editDefaults[edit]
      expect(["error", "warning"]).toContain(d.severity)
      expect(["CO", "PR", "OA", "PI"]).toContain(d.denial.group)
      assertKnownCodes(d.denial)
      expect(d.source.pack).toBe("openrcm")
    }
  })
})

describe("applyFix", () => {
  it("leaves the claim as it is when a fix does not apply", () => {
    const claim = makeClaim({ lines: [{ modifiers: ["HO", "GT", "59", "XE"] }] })
    expect(Scrub.applyFix(claim, { _tag: "AddModifier", line: 0, modifier: "95" })).toBe(claim)
    expect(Scrub.applyFix(claim, { _tag: "AddModifier", line: 3, modifier: "95" })).toBe(claim)
    expect(Scrub.applyFix(claim, { _tag: "RemoveModifier", line: 0, modifier: "95" })).toBe(claim)
    expect(Scrub.applyFix(claim, { _tag: "SetPointers", line: 0, pointers: [2] })).toBe(claim)
    expect(Scrub.applyFix(claim, { _tag: "AddModifier", line: 0, modifier: "bad" } as unknown as Scrub.Fix)).toBe(claim)
    expect(
      Scrub.applyFix(makeClaim({ lines: [{ units: 3, charge: 10_000 }] }), { _tag: "SetUnits", line: 0, units: 2 })
        .lines[0]?.units
    ).toBe(3)
  })

  it("sets the claim's place of service with every line's when no line is named", () => {
    const claim = makeClaim({ lines: [{ pos: "11" }, { code: "90785", pos: "11" }] })
    const fixed = Scrub.applyFix(claim, { _tag: "SetPlaceOfService", placeOfService: "10" })
    expect([fixed.placeOfService, ...fixed.lines.map((l) => l.placeOfService)]).toEqual(["10", "10", "10"])
    expect([fixed.charge, fixed.balance]).toEqual([claim.charge, claim.balance])
  })

  it("applyFixes applies every certain fix of a result", () => {
    const claim = makeClaim({
      pack: "acme-health",
      diagnoses: ["F41.1"],
      lines: [{ pos: "02", pointers: [1, 2] }]
    })
    const over = { delivery: { mode: "video", patientLocation: "home" } as const }
    const result = scrub(claim, over)
    expect(edits(result).sort()).toEqual(["pointer-to-nothing@0", "telehealth-modifier@0", "telehealth-pos@0"])
    expect(scrub(Scrub.applyFixes(claim, Scrub.fixesOf(result)), over).findings).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Properties

const PACKS: ReadonlyArray<Pack> = [
  "medicare",
  "acme-health",
  "acme-health-hmo",
  "state-medicaid-example",
  "acme-strict"
]
const CODES = [
  "90832",
  "90834",
  "90837",
  "90833",
  "90839",
  "90840",
  "90785",
  "90791",
  "90792",
  "99213",
  "90853",
  "H0004",
  "H0036",
  "H2017",
  "96130"
]
const MODIFIERS = ["95", "93", "GT", "FQ", "HO", "HN", "HP", "59", "XE"]
const CREDENTIALS = ["MD", "PhD", "LCSW", "LMFT", "Bachelors"] as const
const DELIVERIES: ReadonlyArray<Coding.Delivery | undefined> = [
  undefined,
  { mode: "in-person" },
  { mode: "video", patientLocation: "home" },
  { mode: "video", patientLocation: "other" },
  { mode: "audio-only", patientLocation: "home" },
  { mode: "audio-only", patientLocation: "other" }
]
const DIAGNOSES = ["F41.1", "F43.1", "F32.A", "F43.10", "Z63.0", "F32.8"]

const arbitraryCase = fc.record({
  pack: fc.constantFrom(...PACKS),
  lines: fc.array(
    fc.record({
      code: fc.constantFrom(...CODES),
      modifiers: fc.uniqueArray(fc.constantFrom(...MODIFIERS), { maxLength: 4 }),
      units: fc.integer({ min: 1, max: 20 }),
      perUnit: fc.constantFrom(2_500, 15_000),
      dayOffset: fc.integer({ min: 0, max: 1 }),
      pos: fc.constantFrom("11", "02", "10", "53"),
      pointers: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      delivery: fc.constantFrom(...DELIVERIES)
    }),
    { minLength: 1, maxLength: 4 }
  ),
  diagnoses: fc.uniqueArray(fc.constantFrom(...DIAGNOSES), { minLength: 1, maxLength: 3 }),
  year: fc.constantFrom("2022", "2024", "2025"),
  credential: fc.constantFrom(...CREDENTIALS),
  frequency: fc.constantFrom("1", "1", "7") as fc.Arbitrary<"1" | "7">,
  late: fc.boolean()
})

type Case = typeof arbitraryCase extends fc.Arbitrary<infer A> ? A : never

const caseToClaim = (c: Case) => {
  const dos = (offset: number) => `${c.year}-03-0${4 + offset}`
  const claim = makeClaim({
    pack: c.pack,
    frequency: c.frequency,
    diagnoses: c.diagnoses,
    lines: c.lines.map((l) => ({
      code: l.code,
      modifiers: l.modifiers,
      units: l.units,
      charge: l.units * l.perUnit,
      dos: dos(l.dayOffset),
      pos: l.pos,
      pointers: l.pointers,
      sessionId: "ses-1"
    }))
  })
  const over: Context = {
    rendering: clinician(c.credential),
    lines: c.lines.map((l) => (l.delivery === undefined ? undefined : { delivery: l.delivery })),
    asOf: c.late ? `${Number(c.year) + 2}-01-01` : `${c.year}-03-20`,
    sent: Scrub.sentIndex([makeClaim({ id: "clm-sent", pack: c.pack, lines: [{ code: "90834", dos: dos(0) }] })])
  }
  return { claim, over }
}

describe("Scrub properties", () => {
  it("every certain fix makes its finding go away on re-scrub", () => {
    const fixed = new Set<string>()
    holds(
      fc.property(arbitraryCase, (c) => {
        const { claim, over } = caseToClaim(c)
        const result = scrub(claim, over)
        for (const finding of result.findings) {
          if (finding.fix === undefined) continue
          fixedAway(claim, finding, over)
          fixed.add(finding.fix._tag)
        }
      })
    )
    // Not vacuous: the generated claims needed most kinds of fix.
    expect(fixed.size).toBeGreaterThanOrEqual(5)
  })

  it("messages never carry the patient's PHI, diagnoses or dates of service (checked on every scrub)", () => {
    holds(
      fc.property(arbitraryCase, (c) => {
        const { claim, over } = caseToClaim(c)
        const result = scrub(claim, over)
        assertNoPhi(claim, result)
        expect(result.blocking).toBe(result.findings.some((f) => f.severity === "error"))
      })
    )
  })

  it("scrubbing is deterministic and does not change the claim", () => {
    holds(
      fc.property(arbitraryCase, (c) => {
        const { claim, over } = caseToClaim(c)
        const before = JSON.stringify(claim)
        expect(JSON.stringify(scrub(claim, over))).toBe(JSON.stringify(scrub(claim, over)))
        expect(JSON.stringify(claim)).toBe(before)
      })
    )
  })
})

describe("sessions the coding engine codes scrub clean of the rules it applied", () => {
  const services = [
    "psychotherapy",
    "crisis",
    "family-with-patient",
    "group-psychotherapy",
    "diagnostic-evaluation",
    "bh-counseling",
    "cpst"
  ]
  const deliveries: ReadonlyArray<Coding.Delivery> = [
    { mode: "in-person" },
    { mode: "video", patientLocation: "home" },
    { mode: "video", patientLocation: "other" },
    { mode: "audio-only", patientLocation: "home" },
    { mode: "audio-only", patientLocation: "other" }
  ]
  const ruleEdits = new Set<string>([
    "same-day-pair",
    "same-day-family",
    "add-on-without-primary",
    "units-per-day",
    "minutes-below-minimum",
    "credential-not-allowed",
    "credential-modifier",
    "telehealth-not-covered",
    "telehealth-pos",
    "telehealth-modifier"
  ])
  it("for every pack, date, service, delivery, credential and E/M", () => {
    let compared = 0
    for (const pack of ["medicare", "acme-health", "acme-health-hmo", "state-medicaid-example"] as const) {
      for (const dos of ["2022-02-01", "2023-06-01", "2024-02-12", "2025-03-04"]) {
        for (const service of services) {
          for (const delivery of deliveries) {
            for (const credential of CREDENTIALS) {
              for (const em of [undefined, { code: "99213" }]) {
                for (const minutes of [8, 16, 20, 23, 30, 38, 45, 53, 60, 75, 100, 105]) {
                  const request: Coding.CodingRequest = {
                    dateOfService: DateOfService.make(dos),
                    rulePack: pack,
                    service,
                    minutes,
                    delivery,
                    clinician: { credential },
                    ...(em === undefined ? {} : { em })
                  }
                  const coded = Coding.code(request, ruleSets(pack, request.dateOfService))
                  if (coded._tag !== "Billable" || coded.warnings.length > 0) continue
                  const claim = makeClaim({
                    pack,
                    lines: coded.lines.map((l) => ({
                      code: l.code,
                      modifiers: l.modifiers,
                      units: l.units,
                      dos,
                      pos: l.placeOfService
                    }))
                  })
                  const result = scrub(claim, {
                    rendering: clinician(credential),
                    delivery,
                    asOf: dos,
                    lines: coded.lines.map(() => ({ minutes }))
                  })
                  const ruled = result.findings.filter((f) => ruleEdits.has(f.edit))
                  expect(ruled, `${Coding.describe(coded)}\n${JSON.stringify(ruled)}`).toEqual([])
                  compared++
                }
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500)
  })
})
