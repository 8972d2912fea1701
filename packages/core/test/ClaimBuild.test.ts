import { describe, expect, it } from "@effect/vitest"
import {
  Claim,
  ClaimBuild,
  Clinician,
  FeeSchedule,
  Ids,
  type Instant,
  type Money,
  RulePack,
  RuleSet
} from "@openrcm/core"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const tenant = "tenant-a"
const now = 1_741_000_000_000 as Instant.EpochMillis

const decodeSession = Schema.decodeUnknownSync(ClaimBuild.CodedSession)
const decodeClinician = Schema.decodeUnknownSync(Clinician.Clinician)
const decodeSchedule = Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)
const encodeClaim = Schema.encodeSync(Claim.Claim)
const decodeClaim = Schema.decodeUnknownSync(Claim.Claim)

interface LineInput {
  readonly code?: string
  readonly modifiers?: ReadonlyArray<string>
  readonly units?: number
  readonly dateOfService?: string
  readonly placeOfService?: string
}

const session = (
  id: string,
  options: {
    readonly dateOfService?: string
    readonly patientId?: string
    readonly payerId?: string
    readonly coverageId?: string
    readonly clinicianId?: string
    readonly supervisingClinicianId?: string
    readonly diagnoses?: ReadonlyArray<string>
    readonly lines?: ReadonlyArray<LineInput>
    readonly priorAuthorization?: string | undefined
    readonly tenantId?: string
  } = {}
): ClaimBuild.CodedSession => {
  const dateOfService = options.dateOfService ?? "2025-03-04"
  return decodeSession({
    sessionId: id,
    tenantId: options.tenantId ?? tenant,
    patientId: options.patientId ?? "pat-1",
    coverageId: options.coverageId ?? `cov-${options.payerId ?? "acme"}`,
    payerId: options.payerId ?? "acme",
    billingProviderId: "org-1",
    renderingClinicianId: options.clinicianId ?? "cl-1",
    ...(options.supervisingClinicianId === undefined ? {} : { supervisingClinicianId: options.supervisingClinicianId }),
    dateOfService,
    placeOfService: "11",
    diagnoses: options.diagnoses ?? ["F41.1"],
    lines: (options.lines ?? [{}]).map((line) => ({
      code: line.code ?? "90837",
      modifiers: line.modifiers ?? [],
      units: line.units ?? 1,
      placeOfService: line.placeOfService ?? "11",
      dateOfService: line.dateOfService ?? dateOfService
    })),
    ...(options.priorAuthorization === undefined ? {} : { priorAuthorization: options.priorAuthorization })
  })
}

const clinician = (
  id: string,
  supervisedBy: ReadonlyArray<{ supervisorId: string; start: string; end: string }> = []
) =>
  decodeClinician({
    id,
    tenantId: tenant,
    npi: "1234567893",
    firstName: "Ana",
    lastName: "Ruiz",
    credential: "LMSW",
    taxonomy: "1041C0700X",
    licenses: [],
    supervisedBy: supervisedBy.map((s) => ({ supervisorId: s.supervisorId, period: { start: s.start, end: s.end } }))
  })

const clinicians = new Map(
  [
    clinician("cl-1"),
    clinician("cl-2", [{ supervisorId: "cl-9", start: "2025-03-01", end: "2025-03-15" }]),
    clinician("cl-9"),
    { ...clinician("cl-b"), tenantId: "tenant-b" } as Clinician.Clinician
  ].map((c) => [c.id, c] as const)
)

const schedules = [
  decodeSchedule({
    id: "default",
    tenantId: tenant,
    rates: { "90837": 15000, "90834": 11000, "90791": 20000, "90785": 2000, H0004: 3000, "H0004:HO": 3500 }
  }),
  decodeSchedule({ id: "acme-2025", tenantId: tenant, payerId: "acme", rates: { "90837": 12000 } }),
  decodeSchedule({
    id: "acme-2025-07",
    tenantId: tenant,
    payerId: "acme",
    rates: { "90837": 13000 },
    effectiveFrom: "2025-07-01"
  }),
  // Another tenant's schedule is never read.
  decodeSchedule({ id: "other-tenant", tenantId: "tenant-b", payerId: "acme", rates: { "90837": 1, "90899": 1 } })
]

const context = (grouping?: (payerId: Ids.PayerId) => RulePack.ClaimGrouping): ClaimBuild.BuildContext => ({
  feeSchedules: schedules,
  clinicians,
  now,
  ...(grouping === undefined ? {} : { grouping })
})

const perMonth = context(() => "per-month")

const sessionsOf = (claim: Claim.Claim): Array<string> => [...new Set(claim.lines.map((l) => l.sessionId ?? ""))]

describe("ClaimBuild", () => {
  it("builds one draft claim per patient, payer, clinician and day, with its sessions' lines", () => {
    const { claims, problems } = ClaimBuild.build(
      [
        session("s1", { lines: [{ code: "90837" }, { code: "90785" }] }),
        session("s2", { diagnoses: ["F32.1"], lines: [{ code: "90834" }] }),
        session("s3", { dateOfService: "2025-03-05" })
      ],
      context()
    )
    expect(problems).toEqual([])
    expect(claims.map(sessionsOf)).toEqual([["s1", "s2"], ["s3"]])
    const [first] = claims
    expect(first).toBeInstanceOf(Claim.Claim)
    expect(first).toMatchObject({
      tenantId: tenant,
      patientId: "pat-1",
      coverageId: "cov-acme",
      payerId: "acme",
      billingProviderId: "org-1",
      renderingClinicianId: "cl-1",
      status: "draft",
      frequency: "1",
      serviceDate: "2025-03-04",
      placeOfService: "11",
      diagnoses: ["F41.1", "F32.1"],
      charge: 12000 + 2000 + 11000,
      balance: 12000 + 2000 + 11000,
      createdAt: now,
      version: 0
    })
    expect(first?.supervisingClinicianId).toBeUndefined()
    expect(first?.priorAuthorization).toBeUndefined()
    expect(first?.lines.map((l) => [l.code, l.charge, l.diagnosisPointers, l.sessionId])).toEqual([
      ["90837", 12000, [1], "s1"],
      ["90785", 2000, [1], "s1"],
      ["90834", 11000, [2], "s2"]
    ])
  })

  it("groups a month's sessions into one claim for a per-month payer, per day for the others", () => {
    const asked: Array<string> = []
    const { claims } = ClaimBuild.build(
      [
        session("m2", { payerId: "medicaid", dateOfService: "2025-03-18", lines: [{ code: "H0004", units: 4 }] }),
        session("m1", { payerId: "medicaid", dateOfService: "2025-03-04", lines: [{ code: "H0004", units: 2 }] }),
        session("m3", { payerId: "medicaid", dateOfService: "2025-04-01", lines: [{ code: "H0004" }] }),
        session("a1", { dateOfService: "2025-03-04" }),
        session("a2", { dateOfService: "2025-03-18" })
      ],
      context((payerId) => {
        asked.push(payerId)
        return payerId === "medicaid" ? "per-month" : "per-day"
      })
    )
    expect(asked).toEqual(["medicaid", "acme"])
    expect(claims.map(sessionsOf)).toEqual([["m1", "m2"], ["m3"], ["a1"], ["a2"]])
    // Lines in date order whatever the input's; the claim's service date is its earliest line's.
    expect(claims[0]?.serviceDate).toBe("2025-03-04")
    expect(claims[0]?.lines.map((l) => l.dateOfService)).toEqual(["2025-03-04", "2025-03-18"])
    expect(claims[0]?.charge).toBe(3000 * 6)
  })

  it("takes the claim's place of service from its first line and its service date from the earliest line", () => {
    const { claims } = ClaimBuild.build(
      [
        session("s1", {
          dateOfService: "2025-03-04",
          lines: [
            { code: "90837", placeOfService: "10", dateOfService: "2025-03-04" },
            { code: "90785", placeOfService: "11", dateOfService: "2025-03-03" }
          ]
        })
      ],
      context()
    )
    expect(claims[0]?.placeOfService).toBe("10")
    expect(claims[0]?.serviceDate).toBe("2025-03-03")
  })

  it("gives each rendering clinician and each payer its own claim", () => {
    const { claims } = ClaimBuild.build(
      [
        session("s1"),
        session("s2", { clinicianId: "cl-9" }),
        session("s3", { payerId: "medicaid" }),
        session("s4", { patientId: "pat-2" })
      ],
      context()
    )
    expect(claims.map(sessionsOf)).toEqual([["s1"], ["s2"], ["s3"], ["s4"]])
    expect(claims.map((c) => c.renderingClinicianId)).toEqual(["cl-1", "cl-9", "cl-1", "cl-1"])
    expect(claims.map((c) => c.payerId)).toEqual(["acme", "acme", "medicaid", "acme"])
    expect(new Set(claims.map((c) => c.id)).size).toBe(4)
  })

  it("points each line at its own session's diagnoses in the claim's list, at most four", () => {
    const { claims } = ClaimBuild.build(
      [
        session("s1", { diagnoses: ["F41.1", "F32.1", "F43.10"] }),
        session("s2", { diagnoses: ["F32.1", "F41.1"] }),
        session("s3", { diagnoses: ["F90.0", "F43.10", "F41.1", "F42.2", "F32.1", "F40.10"] })
      ],
      context()
    )
    expect(claims).toHaveLength(1)
    const claim = claims[0] as Claim.Claim
    expect(claim.diagnoses).toEqual(["F41.1", "F32.1", "F43.10", "F90.0", "F42.2", "F40.10"])
    expect(claim.lines.map((l) => l.diagnosisPointers)).toEqual([
      [1, 2, 3],
      [2, 1],
      [4, 3, 1, 5]
    ])
  })

  it("splits a group past 12 diagnoses into claims, whole sessions in date order", () => {
    const codes = ["F41.1", "F32.1", "F43.10", "F90.0", "F42.2", "F40.10", "F31.81", "F33.1", "F43.21", "F43.22"]
    const more = ["F43.23", "F43.24", "F43.25", "F50.00", "F51.01", "F60.3"]
    const all = [...codes, ...more]
    const sessions = [0, 1, 2, 3].map((i) =>
      session(`s${i}`, { dateOfService: `2025-03-0${i + 1}`, diagnoses: all.slice(i * 4, i * 4 + 4) })
    )
    const { claims } = ClaimBuild.build(sessions.toReversed(), perMonth)
    expect(claims.map(sessionsOf)).toEqual([["s0", "s1", "s2"], ["s3"]])
    expect(claims[0]?.diagnoses).toHaveLength(12)
    expect(claims[1]?.diagnoses).toEqual(all.slice(12, 16))
    expect(claims[1]?.lines[0]?.diagnosisPointers).toEqual([1, 2, 3, 4])
    expect(claims[1]?.serviceDate).toBe("2025-03-04")
    expect(claims[0]?.id).not.toBe(claims[1]?.id)
    // A session whose diagnoses are already on the claim still fits.
    const shared = ClaimBuild.build(
      [...sessions, session("s9", { dateOfService: "2025-03-09", diagnoses: [all[0] as string] })],
      perMonth
    )
    expect(shared.claims.map(sessionsOf)).toEqual([
      ["s0", "s1", "s2"],
      ["s3", "s9"]
    ])
  })

  it("splits a group past 50 lines, and a session of more than 50 lines into claims of 50", () => {
    const sessions = Array.from({ length: 30 }, (_, i) =>
      session(`s${String(i).padStart(2, "0")}`, {
        dateOfService: `2025-03-${String(i + 1).padStart(2, "0")}`,
        lines: [{ code: "90837" }, { code: "90785" }]
      })
    )
    const { claims } = ClaimBuild.build(sessions, perMonth)
    expect(claims.map((c) => c.lines.length)).toEqual([50, 10])
    expect(claims.map((c) => c.charge)).toEqual([25 * 14000, 5 * 14000])

    const big = session("big", {
      diagnoses: ["F41.1", "F32.1"],
      lines: Array.from({ length: 120 }, () => ({ code: "H0004" }))
    })
    const split = ClaimBuild.build([session("small"), big], context())
    expect(split.claims.map((c) => [sessionsOf(c), c.lines.length])).toEqual([
      [["big"], 50],
      [["big"], 50],
      // The session after it (by id: same day) fills up its last claim.
      [["big", "small"], 21]
    ])
    expect(split.claims.slice(0, 3).map((c) => c.diagnoses)).toEqual([
      ["F41.1", "F32.1"],
      ["F41.1", "F32.1"],
      ["F41.1", "F32.1"]
    ])
    expect(new Set(split.claims.map((c) => c.id)).size).toBe(3)
  })

  it("splits a group by prior authorization number", () => {
    const { claims } = ClaimBuild.build(
      [
        session("s1", { priorAuthorization: "AUTH-1" }),
        session("s2", { priorAuthorization: "AUTH-2" }),
        session("s3"),
        session("s4", { priorAuthorization: "AUTH-1" }),
        session("s5", { priorAuthorization: "AUTH|1 é" })
      ],
      context()
    )
    expect(claims.map((c) => [sessionsOf(c), c.priorAuthorization])).toEqual([
      [["s1", "s4"], "AUTH-1"],
      [["s2"], "AUTH-2"],
      [["s3"], undefined],
      [["s5"], "AUTH|1 é"]
    ])
    expect(new Set(claims.map((c) => c.id)).size).toBe(4)
  })

  it("sets the supervisor the rendering clinician has on the date of service, and only then", () => {
    const { claims, problems } = ClaimBuild.build(
      [
        session("in", { clinicianId: "cl-2", dateOfService: "2025-03-15" }),
        session("before", { clinicianId: "cl-2", dateOfService: "2025-02-28" }),
        session("after", { clinicianId: "cl-2", dateOfService: "2025-03-16" }),
        session("named", { clinicianId: "cl-x", supervisingClinicianId: "cl-1", dateOfService: "2025-03-15" }),
        session("unknown", { clinicianId: "cl-x", dateOfService: "2025-03-15" }),
        session("other-tenant", { clinicianId: "cl-b", dateOfService: "2025-03-15" })
      ],
      context()
    )
    expect(claims.map((c) => [sessionsOf(c), c.supervisingClinicianId])).toEqual([
      [["in"], "cl-9"],
      [["before"], undefined],
      [["after"], undefined],
      [["named"], "cl-1"]
    ])
    expect(problems).toEqual([
      { _tag: "UnknownClinician", sessionId: "unknown", clinicianId: "cl-x" },
      { _tag: "UnknownClinician", sessionId: "other-tenant", clinicianId: "cl-b" }
    ])
    // In a month, a change of supervisor starts another claim.
    const month = ClaimBuild.build(
      [
        session("a", { clinicianId: "cl-2", dateOfService: "2025-03-10" }),
        session("b", { clinicianId: "cl-2", dateOfService: "2025-03-20" })
      ],
      perMonth
    )
    expect(month.claims.map((c) => [sessionsOf(c), c.supervisingClinicianId])).toEqual([
      [["a"], "cl-9"],
      [["b"], undefined]
    ])
  })

  it("charges rate × units from the payer's schedule in force, then the default, code:modifier first", () => {
    const charges = (s: ClaimBuild.CodedSession) =>
      ClaimBuild.build([s], context()).claims[0]?.lines.map((l) => l.charge)
    // The payer's contracted rate, and the default for another payer.
    expect(charges(session("s", { payerId: "acme" }))).toEqual([12000])
    expect(charges(session("s", { payerId: "medicaid" }))).toEqual([15000])
    // The payer's schedule without the code: the default's rate.
    expect(charges(session("s", { lines: [{ code: "90791" }] }))).toEqual([20000])
    // The latest schedule in force on the line's date.
    expect(charges(session("s", { dateOfService: "2025-06-30" }))).toEqual([12000])
    expect(charges(session("s", { dateOfService: "2025-07-01" }))).toEqual([13000])
    // code:modifier (the first modifier with a rate) before the code; units multiply.
    expect(
      charges(
        session("s", {
          lines: [
            { code: "H0004", units: 4 },
            { code: "H0004", modifiers: ["95", "HO"], units: 4 },
            { code: "H0004", modifiers: ["95"] }
          ]
        })
      )
    ).toEqual([12000, 14000, 3000])
  })

  it("leaves a session with a line without a rate off every claim and reports the line, without PHI", () => {
    const { claims, problems } = ClaimBuild.build(
      [
        session("priced"),
        session("unpriced", {
          diagnoses: ["F32.1"],
          lines: [{ code: "90837" }, { code: "90899", modifiers: ["HO"] }, { code: "90853" }]
        }),
        // Another tenant's rate for the code is not this tenant's.
        session("other", { lines: [{ code: "90899" }] })
      ],
      context()
    )
    expect(claims.map(sessionsOf)).toEqual([["priced"]])
    expect(claims[0]?.diagnoses).toEqual(["F41.1"])
    expect(problems).toEqual([
      { _tag: "NoRate", sessionId: "unpriced", payerId: "acme", code: "90899", modifiers: ["HO"] },
      { _tag: "NoRate", sessionId: "unpriced", payerId: "acme", code: "90853", modifiers: [] },
      { _tag: "NoRate", sessionId: "other", payerId: "acme", code: "90899", modifiers: [] }
    ])
    for (const problem of problems) expect(Schema.is(ClaimBuild.BuildProblem)(problem)).toBe(true)
    expect(JSON.stringify(problems)).not.toContain("F32.1")
  })

  it("builds a session given twice once", () => {
    const { claims, problems } = ClaimBuild.build([session("s1"), session("s1")], context())
    expect(claims.map(sessionsOf)).toEqual([["s1"]])
    expect(problems).toEqual([{ _tag: "DuplicateSession", sessionId: "s1" }])
  })

  it("derives claim ids from the grouping: the same sessions give the same ids in any order", () => {
    const sessions = [
      session("s1"),
      session("s2", { dateOfService: "2025-03-05" }),
      session("s3", { clinicianId: "cl-9" }),
      session("s4", { priorAuthorization: "A1" })
    ]
    const once = ClaimBuild.build(sessions, context())
    const again = ClaimBuild.build(sessions.toReversed(), context())
    const ids = once.claims.map((c) => c.id)
    expect(again.claims.map((c) => c.id).toSorted()).toEqual(ids.toSorted())
    expect(new Set(ids).size).toBe(4)
    for (const claim of once.claims) {
      const twin = again.claims.find((c) => c.id === claim.id)
      expect(twin === undefined ? undefined : encodeClaim(twin)).toEqual(encodeClaim(claim))
    }
    // Another grouping is another claim.
    const monthly = ClaimBuild.build([session("s1")], perMonth)
    expect(monthly.claims[0]?.id).not.toBe(ids[0])
    for (const id of [...ids, ...(monthly.claims.map((c) => c.id) ?? [])]) {
      expect(id.length).toBeLessThanOrEqual(38)
      expect(Schema.is(Ids.ClaimId)(id)).toBe(true)
      expect(id).toMatch(/^C[0-9a-f]{16}$/u)
    }
  })

  it("hashes the grouping key with FNV-1a 64", () => {
    expect(ClaimBuild.claimIdOf("")).toBe("Ccbf29ce484222325")
    expect(ClaimBuild.claimIdOf("a")).toBe("Caf63dc4c8601ec8c")
    expect(ClaimBuild.claimIdOf("foobar")).toBe("C85944171f73967e8")
    const { claims } = ClaimBuild.build(
      [
        session("s1", { clinicianId: "cl-2", dateOfService: "2025-03-10", priorAuthorization: "A|1 é" }),
        session("s2", { dateOfService: "2025-03-10" })
      ],
      perMonth
    )
    expect(claims.map((c) => c.id)).toEqual([
      ClaimBuild.claimIdOf("tenant-a|pat-1|acme|cov-acme|org-1|cl-2|cl-9|2025-03|A%007c1%0020%00e9|0"),
      ClaimBuild.claimIdOf("tenant-a|pat-1|acme|cov-acme|org-1|cl-1||2025-03||0")
    ])
  })

  it("builds claims that are valid Claims", () => {
    const { claims } = ClaimBuild.build(
      [
        session("s1", { clinicianId: "cl-2", priorAuthorization: "AUTH-1", diagnoses: ["F41.1", "F32.1"] }),
        session("s2", { lines: [{ code: "H0004", modifiers: ["HO", "95"], units: 8 }] })
      ],
      context()
    )
    expect(claims).toHaveLength(2)
    for (const claim of claims) {
      expect(claim).toBeInstanceOf(Claim.Claim)
      expect(encodeClaim(decodeClaim(encodeClaim(claim)))).toEqual(encodeClaim(claim))
    }
  })

  it("reads the grouping from a rule set: per-day unless a pack says per-month", () => {
    const base = RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p)))
    const cptBase = base.find((p) => p.id === "cpt-base") as RulePack.RulePack
    const program = Effect.runSync(
      RulePack.validate({
        id: "monthly-medicaid",
        version: "2025.1.0",
        name: "A program that bills by the month",
        layer: "program",
        extends: "cpt-base",
        effective: { from: "2025-01-01" },
        settings: { claimGrouping: "per-month" }
      })
    )
    const daily = Effect.runSync(RuleSet.compile([cptBase]))
    expect(daily.claimGrouping).toEqual({ value: "per-day", origin: { pack: "cpt-base@2025.1.0", path: "(default)" } })
    const monthly = Effect.runSync(RuleSet.compile([cptBase, program]))
    expect(monthly.claimGrouping).toEqual({
      value: "per-month",
      origin: { pack: "monthly-medicaid@2025.1.0", path: "$.settings.claimGrouping" }
    })
    expect(monthly.settings.claimGrouping?.value).toBe("per-month")
    const refused = Effect.runSyncExit(RulePack.validate({ ...program, settings: { claimGrouping: "weekly" } }))
    expect(refused._tag).toBe("Failure")
  })

  it("puts every line of every priced session on exactly one claim line, charged and pointed right", () => {
    const diagnosisPool = [
      "F41.1",
      "F32.1",
      "F43.10",
      "F90.0",
      "F42.2",
      "F40.10",
      "F31.81",
      "F33.1",
      "F43.21",
      "F43.22",
      "F43.23",
      "F43.24",
      "F43.25",
      "F50.00",
      "F51.01",
      "F60.3"
    ]
    const dates = ["2025-02-27", "2025-03-01", "2025-03-14", "2025-03-15", "2025-03-31", "2025-07-02"]
    const line = fc.record({
      code: fc.constantFrom("90837", "90834", "H0004", "90791", "90899"),
      modifiers: fc.subarray(["HO", "95", "GT"], { maxLength: 3 }),
      units: fc.integer({ min: 1, max: 8 }),
      placeOfService: fc.constantFrom("02", "10", "11"),
      dateOfService: fc.constantFrom(...dates)
    })
    const sessionInput = fc.record({
      patientId: fc.constantFrom("pat-1", "pat-2"),
      payerId: fc.constantFrom("acme", "medicaid"),
      clinicianId: fc.constantFrom("cl-1", "cl-2"),
      dateOfService: fc.constantFrom(...dates),
      diagnoses: fc.shuffledSubarray(diagnosisPool, { minLength: 1, maxLength: 6 }),
      lines: fc.array(line, { minLength: 1, maxLength: 12 }),
      priorAuthorization: fc.option(fc.constantFrom("A1", "B2"), { nil: undefined })
    })
    holds(
      fc.property(
        fc.array(sessionInput, { maxLength: 40 }),
        fc.constantFrom<RulePack.ClaimGrouping>("per-day", "per-month"),
        (inputs, medicaidGrouping) => {
          const sessions = inputs.map((input, i) => session(`s${i}`, input))
          const { claims, problems } = ClaimBuild.build(
            sessions,
            context((payerId) => (payerId === "medicaid" ? medicaidGrouping : "per-day"))
          )
          const rateOf = (s: ClaimBuild.CodedSession, l: ClaimBuild.CodedLine) =>
            FeeSchedule.rateFor(schedules.slice(0, 3), { ...l, payerId: s.payerId })?.amount
          const linesBySession = new Map<string, Array<Claim.Line>>()
          const ids = new Set<string>()
          for (const claim of claims) {
            ids.add(claim.id)
            expect(claim.lines.length).toBeGreaterThanOrEqual(1)
            expect(claim.lines.length).toBeLessThanOrEqual(50)
            expect(claim.diagnoses.length).toBeLessThanOrEqual(12)
            expect(new Set(claim.diagnoses).size).toBe(claim.diagnoses.length)
            expect(claim.charge).toBe(claim.lines.reduce((sum, l) => sum + l.charge, 0))
            expect(claim.balance).toBe(claim.charge)
            expect(claim.serviceDate).toBe(claim.lines.map((l) => l.dateOfService).toSorted()[0])
            for (const l of claim.lines) {
              const s = sessions.find((x) => x.sessionId === l.sessionId) as ClaimBuild.CodedSession
              expect([s.patientId, s.payerId, s.renderingClinicianId, s.priorAuthorization]).toEqual([
                claim.patientId,
                claim.payerId,
                claim.renderingClinicianId,
                claim.priorAuthorization
              ])
              const expected = [...new Set(s.diagnoses)].slice(0, 4)
              expect(l.diagnosisPointers.map((p) => claim.diagnoses[p - 1])).toEqual(expected)
              const own = linesBySession.get(s.sessionId) ?? []
              own.push(l)
              linesBySession.set(s.sessionId, own)
            }
          }
          expect(ids.size).toBe(claims.length)
          const unpriced = new Set(problems.map((p) => p.sessionId))
          for (const s of sessions) {
            const rates = s.lines.map((l) => rateOf(s, l))
            const priced = rates.every((r) => r !== undefined)
            expect(unpriced.has(s.sessionId)).toBe(!priced)
            const built = linesBySession.get(s.sessionId) ?? []
            expect(built.length).toBe(priced ? s.lines.length : 0)
            if (priced) {
              expect(built.map((l) => [l.code, l.modifiers, l.units, l.dateOfService, l.charge])).toEqual(
                s.lines.map((l, i) => [
                  l.code,
                  l.modifiers,
                  l.units,
                  l.dateOfService,
                  (rates[i] as Money.Money) * l.units
                ])
              )
            }
          }
          for (const claim of claims.slice(0, 3)) expect(decodeClaim(encodeClaim(claim))).toBeInstanceOf(Claim.Claim)
        }
      )
    )
  })
})
