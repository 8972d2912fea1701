import { describe, expect, it } from "@effect/vitest"
import { Authorization, DateOfService, RulePack, RuleSet } from "@openrcm/core"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const validated = RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p)))
const registry = RuleSet.makeRulePacks(validated)
const ruleSet = (packId: string, dos = "2025-03-10") =>
  Effect.runSync(registry.resolve(packId, DateOfService.make(dos)))
const d = DateOfService.make

const decodeAuthorization = Schema.decodeUnknownSync(Authorization.Authorization)
const decodeVisit = Schema.decodeUnknownSync(Authorization.Visit)
const decodeEntry = Schema.decodeUnknownSync(Authorization.LedgerEntry)

const testingCodes = ["96130", "96131", "96132", "96133", "96136", "96137", "96138", "96139"]

/** A units authorization for psychological testing under acme-health, 2025-01-01..2025-06-30, 8 units. */
const auth = (over: Record<string, unknown> = {}): Authorization.Authorization =>
  decodeAuthorization({
    id: "auth-1",
    tenantId: "tenant-1",
    patientId: "patient-1",
    payerId: "acme",
    number: "PA-0001",
    codes: testingCodes,
    unitType: "units",
    approved: 8,
    period: { start: "2025-01-01", end: "2025-06-30" },
    status: "approved",
    ...over
  })

const visit = (over: Record<string, unknown> = {}): Authorization.Visit =>
  decodeVisit({
    sessionId: "session-new",
    patientId: "patient-1",
    payerId: "acme",
    clinicianId: "clinician-1",
    dateOfService: "2025-03-10",
    lines: [{ code: "96136", units: 1 }],
    ...over
  })

const entry = (over: Record<string, unknown> = {}): Authorization.LedgerEntry =>
  decodeEntry({
    authorizationId: "auth-1",
    sessionId: "session-1",
    dateOfService: "2025-02-03",
    units: 1,
    kind: "used",
    ...over
  })

/** `n` used entries of one unit each, on distinct sessions, for an authorization. */
const usedEntries = (n: number, authorizationId = "auth-1", units = 1) =>
  Array.from({ length: n }, (_, i) =>
    entry({
      authorizationId,
      sessionId: `${authorizationId}-used-${i}`,
      units,
      dateOfService: DateOfService.addDays(d("2025-01-06"), 7 * i)
    })
  )

const absent = { group: "CO", carc: "197" }
const notApplicable = { group: "CO", carc: "15" }
const exceeded = { group: "CO", carc: "198" }

describe("Authorization.requiredCodes and check: whether an authorization is needed", () => {
  // [pack, code, priorVisits, outcome with no authorization on file]
  const table: ReadonlyArray<readonly [string, string, number | undefined, "NotRequired" | "Missing"]> = [
    ["cpt-base", "96130", undefined, "NotRequired"],
    ["medicare", "96130", undefined, "NotRequired"],
    ["medicare", "90837", 99, "NotRequired"],
    ["acme-health", "90834", undefined, "NotRequired"],
    ["acme-health", "90834", 500, "NotRequired"],
    ...testingCodes.map((code) => ["acme-health", code, undefined, "Missing"] as const),
    ["acme-health-hmo", "96130", 0, "Missing"],
    ["acme-health-hmo", "96139", undefined, "Missing"],
    // "after 20 visits": the first 20 visits of the period need none; the 21st (20 already counted) does.
    ["acme-health-hmo", "90834", undefined, "NotRequired"],
    ["acme-health-hmo", "90834", 0, "NotRequired"],
    ["acme-health-hmo", "90834", 19, "NotRequired"],
    ["acme-health-hmo", "90834", 20, "Missing"],
    ["acme-health-hmo", "90834", 21, "Missing"],
    ["acme-health-hmo", "90832", 19, "NotRequired"],
    ["acme-health-hmo", "90837", 20, "Missing"],
    ["acme-health-hmo", "90846", 20, "Missing"],
    ["acme-health-hmo", "90847", 25, "Missing"],
    ["acme-health-hmo", "90853", 25, "NotRequired"],
    ["acme-health-hmo", "90791", 25, "NotRequired"],
    ["state-medicaid-example", "H2017", 0, "Missing"],
    ["state-medicaid-example", "H2017", undefined, "Missing"],
    ["state-medicaid-example", "H2014", 0, "Missing"],
    ["state-medicaid-example", "90834", 29, "NotRequired"],
    ["state-medicaid-example", "90834", 30, "Missing"],
    ["state-medicaid-example", "90832", 30, "Missing"],
    ["state-medicaid-example", "90837", 31, "Missing"],
    ["state-medicaid-example", "H0004", 29, "NotRequired"],
    ["state-medicaid-example", "H0004", 30, "Missing"],
    ["state-medicaid-example", "90846", 40, "NotRequired"],
    ["state-medicaid-example", "96130", 0, "NotRequired"]
  ]

  it.each(table)("%s %s with %s prior visits → %s", (packId, code, priorVisits, expected) => {
    const v = visit({ lines: [{ code, units: 1 }], ...(priorVisits === undefined ? {} : { priorVisits }) })
    const result = Authorization.check(v, [], [], ruleSet(packId))
    expect(result._tag).toBe(expected)
    if (expected === "Missing") {
      expect(result).toMatchObject({ _tag: "Missing", denial: absent })
      expect(Authorization.requiredCodes(v, ruleSet(packId))).toEqual([code])
    } else {
      expect(Authorization.requiredCodes(v, ruleSet(packId))).toEqual([])
    }
  })

  it("names only the codes of the visit that need an authorization", () => {
    const v = visit({
      lines: [
        { code: "90834", units: 1 },
        { code: "96136", units: 1 },
        { code: "96137", units: 2 }
      ]
    })
    expect([...Authorization.requiredCodes(v, ruleSet("acme-health"))].sort()).toEqual(["96136", "96137"])
    expect(
      Authorization.requiredCodes(visit({ lines: [{ code: "90834", units: 1 }] }), ruleSet("acme-health"))
    ).toEqual([])
  })

  it("needs no authorization check at all when none is required, whatever is on file", () => {
    const exhausted = auth({ codes: ["90834"], unitType: "sessions", approved: 1 })
    const result = Authorization.check(
      visit({ lines: [{ code: "90834", units: 1 }], priorVisits: 19 }),
      [exhausted],
      usedEntries(1),
      ruleSet("acme-health-hmo")
    )
    expect(result._tag).toBe("NotRequired")
  })
})

describe("Authorization.check: outcomes", () => {
  const acme = ruleSet("acme-health")

  it("Authorized: a units authorization with enough left allocates the visit's units", () => {
    const v = visit({
      lines: [
        { code: "96136", units: 1 },
        { code: "96137", units: 2 }
      ]
    })
    const result = Authorization.check(v, [auth()], usedEntries(2), acme)
    expect(result).toMatchObject({
      _tag: "Authorized",
      allocations: [{ authorizationId: "auth-1", number: "PA-0001", units: 3, projectedRemaining: 3 }]
    })
  })

  it("Authorized: units of lines the authorization does not name are not taken from it", () => {
    const v = visit({
      lines: [
        { code: "90834", units: 1 },
        { code: "96136", units: 1 },
        { code: "96137", units: 3 }
      ]
    })
    const result = Authorization.check(v, [auth()], [], acme)
    expect(result).toMatchObject({ _tag: "Authorized", allocations: [{ units: 4, projectedRemaining: 4 }] })
  })

  it("Authorized: a sessions authorization takes one per visit whatever the units", () => {
    const sessions = auth({ unitType: "sessions", approved: 5 })
    const v = visit({
      lines: [
        { code: "96136", units: 1 },
        { code: "96137", units: 3 }
      ]
    })
    const result = Authorization.check(v, [sessions], usedEntries(2), acme)
    expect(result).toMatchObject({ _tag: "Authorized", allocations: [{ units: 1, projectedRemaining: 2 }] })
    const visits = auth({ unitType: "visits", approved: 3 })
    expect(Authorization.check(v, [visits], usedEntries(2), acme)).toMatchObject({
      _tag: "Authorized",
      allocations: [{ units: 1, projectedRemaining: 0 }]
    })
  })

  it("Authorized: exactly the units left is enough", () => {
    const v = visit({ lines: [{ code: "96137", units: 2 }] })
    const result = Authorization.check(v, [auth({ approved: 4 })], usedEntries(2), acme)
    expect(result).toMatchObject({ _tag: "Authorized", allocations: [{ units: 2, projectedRemaining: 0 }] })
  })

  it("PartiallyAuthorized: splits the authorized units from the excess, CO-198 on the excess", () => {
    const v = visit({
      lines: [
        { code: "96136", units: 1 },
        { code: "96137", units: 3 }
      ]
    })
    const result = Authorization.check(v, [auth({ approved: 4 })], usedEntries(2), acme)
    expect(result).toMatchObject({
      _tag: "PartiallyAuthorized",
      authorizedUnits: 2,
      excessUnits: 2,
      denial: exceeded,
      allocations: [{ authorizationId: "auth-1", units: 2, projectedRemaining: 0 }]
    })
  })

  it("PartiallyAuthorized: reservations of other sessions count against what is left", () => {
    const ledger = [
      ...usedEntries(1),
      entry({ sessionId: "booked-1", kind: "reserved", units: 2, dateOfService: "2025-03-20" })
    ]
    const v = visit({ lines: [{ code: "96137", units: 3 }] })
    const result = Authorization.check(v, [auth({ approved: 5 })], ledger, acme)
    expect(result).toMatchObject({ _tag: "PartiallyAuthorized", authorizedUnits: 2, excessUnits: 1 })
  })

  it("Missing (CO-197) with no authorization, or only pending, denied, cancelled or someone else's", () => {
    const others = [
      auth({ id: "pending", status: "pending" }),
      auth({ id: "denied", status: "denied" }),
      auth({ id: "cancelled", status: "cancelled" }),
      auth({ id: "other-patient", patientId: "patient-2" }),
      auth({ id: "other-payer", payerId: "other" })
    ]
    for (const authorizations of [[], others, ...others.map((a) => [a])]) {
      const result = Authorization.check(visit(), authorizations, [], acme)
      expect(result).toMatchObject({ _tag: "Missing", denial: absent })
    }
  })

  it("Missing (CO-197), not Expired, for an authorization that has not started yet", () => {
    const later = auth({ period: { start: "2025-04-01", end: "2025-09-30" } })
    const result = Authorization.check(visit({ dateOfService: "2025-03-10" }), [later], [], acme)
    expect(result).toMatchObject({ _tag: "Missing", denial: absent })
  })

  it("Expired (CO-197) after the end date, naming the end date", () => {
    const ended = auth({ period: { start: "2024-07-01", end: "2024-12-31" } })
    const result = Authorization.check(visit({ dateOfService: "2025-01-15" }), [ended], [], acme)
    expect(result).toMatchObject({ _tag: "Expired", denial: absent, endedOn: "2024-12-31" })
  })

  it("Expired names the authorization that ended last", () => {
    const older = auth({ id: "older", number: "OLD", period: { start: "2024-01-01", end: "2024-06-30" } })
    const newer = auth({ id: "newer", number: "NEW", period: { start: "2024-07-01", end: "2024-12-31" } })
    for (const list of [
      [older, newer],
      [newer, older]
    ]) {
      const result = Authorization.check(visit({ dateOfService: "2025-02-01" }), list, [], acme)
      expect(result).toMatchObject({ _tag: "Expired", endedOn: "2024-12-31" })
    }
  })

  it("Exhausted (CO-198) when every unit is used", () => {
    const result = Authorization.check(visit(), [auth({ approved: 3 })], usedEntries(3), acme)
    expect(result).toMatchObject({ _tag: "Exhausted", denial: exceeded })
  })

  it("Exhausted (CO-198) when what is left is booked by other sessions, but not by the visit's own booking", () => {
    const ledger = [
      ...usedEntries(2),
      entry({ sessionId: "session-new", kind: "reserved", units: 1, dateOfService: "2025-03-10" })
    ]
    const a = auth({ approved: 3 })
    // The visit checked is the session that holds the reservation: it is authorized.
    expect(Authorization.check(visit({ sessionId: "session-new" }), [a], ledger, acme)).toMatchObject({
      _tag: "Authorized",
      allocations: [{ units: 1, projectedRemaining: 0 }]
    })
    // Another session finds the last unit booked.
    expect(Authorization.check(visit({ sessionId: "session-other" }), [a], ledger, acme)).toMatchObject({
      _tag: "Exhausted",
      denial: exceeded
    })
  })

  it("WrongClinician (CO-15) when the authorization names other clinicians", () => {
    const named = auth({ clinicianIds: ["clinician-2", "clinician-3"] })
    expect(Authorization.check(visit({ clinicianId: "clinician-1" }), [named], [], acme)).toMatchObject({
      _tag: "WrongClinician",
      denial: notApplicable
    })
    expect(Authorization.check(visit({ clinicianId: "clinician-3" }), [named], [], acme)._tag).toBe("Authorized")
    // No clinician named: any clinician of the tenant.
    expect(Authorization.check(visit({ clinicianId: "clinician-9" }), [auth()], [], acme)._tag).toBe("Authorized")
  })

  it("WrongCode (CO-15) when the authorization in force covers other codes", () => {
    const evaluationOnly = auth({ codes: ["96130", "96131"] })
    const result = Authorization.check(visit({ lines: [{ code: "96136", units: 1 }] }), [evaluationOnly], [], acme)
    expect(result).toMatchObject({ _tag: "WrongCode", denial: notApplicable })
    expect(Authorization.check(visit({ lines: [{ code: "96131", units: 1 }] }), [evaluationOnly], [], acme)._tag).toBe(
      "Authorized"
    )
  })

  // Both ends of the period are inside it (RULES.md §5.2 step 2).
  it.each([
    ["2024-12-31", "Missing"],
    ["2025-01-01", "Authorized"],
    ["2025-01-02", "Authorized"],
    ["2025-06-29", "Authorized"],
    ["2025-06-30", "Authorized"],
    ["2025-07-01", "Expired"]
  ] as const)("a visit on %s against a 2025-01-01..2025-06-30 authorization is %s", (dos, expected) => {
    const result = Authorization.check(visit({ dateOfService: dos }), [auth()], [], ruleSet("acme-health", dos))
    expect(result._tag).toBe(expected)
    if (expected !== "Authorized") expect(result).toMatchObject({ denial: absent })
  })

  it("includes a one-day period and the leap day", () => {
    const oneDay = auth({ period: { start: "2024-02-29", end: "2024-02-29" } })
    const rs = ruleSet("acme-health", "2024-02-29")
    expect(Authorization.check(visit({ dateOfService: "2024-02-29" }), [oneDay], [], rs)._tag).toBe("Authorized")
    expect(Authorization.check(visit({ dateOfService: "2024-02-28" }), [oneDay], [], rs)._tag).toBe("Missing")
    expect(Authorization.check(visit({ dateOfService: "2024-03-01" }), [oneDay], [], rs)).toMatchObject({
      _tag: "Expired",
      endedOn: "2024-02-29"
    })
  })
})

describe("Authorization.check: several authorizations", () => {
  const acme = ruleSet("acme-health")
  const later = auth({ id: "auth-later", number: "LATER", period: { start: "2025-01-01", end: "2025-12-31" } })
  const sooner = auth({ id: "auth-sooner", number: "SOONER", period: { start: "2025-02-01", end: "2025-04-30" } })

  it("uses the earliest-ending authorization first, whatever their order", () => {
    for (const list of [
      [later, sooner],
      [sooner, later]
    ]) {
      const result = Authorization.check(visit(), list, [], acme)
      expect(result).toMatchObject({
        _tag: "Authorized",
        allocations: [{ authorizationId: "auth-sooner", number: "SOONER", units: 1, projectedRemaining: 7 }]
      })
    }
  })

  it("splits the visit across two when the first has too few", () => {
    const ledger = usedEntries(7, "auth-sooner")
    const v = visit({ lines: [{ code: "96137", units: 3 }] })
    const result = Authorization.check(v, [later, sooner], ledger, acme)
    expect(result).toMatchObject({
      _tag: "Authorized",
      allocations: [
        { authorizationId: "auth-sooner", units: 1, projectedRemaining: 0 },
        { authorizationId: "auth-later", units: 2, projectedRemaining: 6 }
      ]
    })
  })

  it("skips a used-up authorization and takes the next", () => {
    const ledger = usedEntries(8, "auth-sooner")
    const result = Authorization.check(visit(), [sooner, later], ledger, acme)
    expect(result).toMatchObject({
      _tag: "Authorized",
      allocations: [{ authorizationId: "auth-later", units: 1, projectedRemaining: 7 }]
    })
  })

  it("is partly authorized when both together have too few", () => {
    const ledger = [...usedEntries(7, "auth-sooner"), ...usedEntries(7, "auth-later")]
    const v = visit({ lines: [{ code: "96137", units: 4 }] })
    const result = Authorization.check(v, [later, sooner], ledger, acme)
    expect(result).toMatchObject({
      _tag: "PartiallyAuthorized",
      authorizedUnits: 2,
      excessUnits: 2,
      denial: exceeded,
      allocations: [
        { authorizationId: "auth-sooner", units: 1, projectedRemaining: 0 },
        { authorizationId: "auth-later", units: 1, projectedRemaining: 0 }
      ]
    })
  })

  it("uses only the authorizations in force on the date", () => {
    // 2025-01-15: the sooner one has not started.
    const result = Authorization.check(visit({ dateOfService: "2025-01-15" }), [sooner, later], [], acme)
    expect(result).toMatchObject({ _tag: "Authorized", allocations: [{ authorizationId: "auth-later" }] })
  })

  it("does not ignore an authorization in force because its unit type differs from the earliest-ending one's", () => {
    // Suspected bug: check keeps only the authorizations of the earliest-ending one's unit type, so a used-up
    // sessions authorization hides a units authorization that still has units left.
    const usedUpSessions = auth({
      id: "auth-sessions",
      unitType: "sessions",
      approved: 2,
      period: { start: "2025-01-01", end: "2025-03-31" }
    })
    const units = auth({
      id: "auth-units",
      unitType: "units",
      approved: 8,
      period: { start: "2025-01-01", end: "2025-12-31" }
    })
    const result = Authorization.check(visit(), [usedUpSessions, units], usedEntries(2, "auth-sessions"), acme)
    expect(result).toMatchObject({ _tag: "Authorized", allocations: [{ authorizationId: "auth-units", units: 1 }] })
  })

  it("a retroactive authorization covers its own period, in the past", () => {
    const retro = auth({
      id: "retro",
      retroactive: true,
      period: { start: "2024-11-01", end: "2025-01-31" },
      approved: 2
    })
    expect(Authorization.check(visit({ dateOfService: "2024-11-01" }), [retro], [], acme)).toMatchObject({
      _tag: "Authorized",
      allocations: [{ authorizationId: "retro", units: 1, projectedRemaining: 1 }]
    })
    expect(Authorization.check(visit({ dateOfService: "2024-10-31" }), [retro], [], acme)._tag).toBe("Missing")
  })

  it("an extension is one more authorization with its own period and count", () => {
    const original = auth({
      id: "orig",
      number: "ORIG",
      period: { start: "2025-01-01", end: "2025-03-31" },
      approved: 4
    })
    const extension = auth({
      id: "ext",
      number: "EXT",
      extensionOf: "orig",
      period: { start: "2025-04-01", end: "2025-06-30" },
      approved: 6
    })
    const ledger = usedEntries(4, "orig")
    // Before the extension starts the original is used up.
    expect(
      Authorization.check(visit({ dateOfService: "2025-03-31" }), [original, extension], ledger, acme)
    ).toMatchObject({
      _tag: "Exhausted",
      denial: exceeded
    })
    // From its first day the extension authorizes.
    expect(
      Authorization.check(visit({ dateOfService: "2025-04-01" }), [original, extension], ledger, acme)
    ).toMatchObject({
      _tag: "Authorized",
      allocations: [{ authorizationId: "ext", number: "EXT", units: 1, projectedRemaining: 5 }]
    })
  })

  it("the allocations add up to the visit's units and never take more than is left (property)", () => {
    holds(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        (approvedA, usedA, approvedB, usedB, units) => {
          const a = auth({ id: "a", approved: approvedA, period: { start: "2025-01-01", end: "2025-04-30" } })
          const b = auth({ id: "b", approved: approvedB, period: { start: "2025-01-01", end: "2025-09-30" } })
          const ledger = [
            ...usedEntries(Math.min(usedA, approvedA), "a"),
            ...usedEntries(Math.min(usedB, approvedB), "b")
          ]
          const leftA = approvedA - Math.min(usedA, approvedA)
          const leftB = approvedB - Math.min(usedB, approvedB)
          const result = Authorization.check(visit({ lines: [{ code: "96137", units }] }), [b, a], ledger, acme)
          const authorized = Math.min(units, leftA + leftB)
          if (authorized === units) {
            expect(result._tag).toBe("Authorized")
          } else if (authorized === 0) {
            expect(result).toMatchObject({ _tag: "Exhausted", denial: exceeded })
          } else {
            expect(result).toMatchObject({
              _tag: "PartiallyAuthorized",
              authorizedUnits: authorized,
              excessUnits: units - authorized
            })
          }
          if (result._tag === "Authorized" || result._tag === "PartiallyAuthorized") {
            const fromA = result.allocations.find((x) => x.authorizationId === "a")?.units ?? 0
            const fromB = result.allocations.find((x) => x.authorizationId === "b")?.units ?? 0
            // The earlier-ending one first.
            expect(fromA).toBe(Math.min(units, leftA))
            expect(fromB).toBe(authorized - fromA)
            expect(fromB).toBeLessThanOrEqual(leftB)
          }
        }
      )
    )
  })
})

describe("Authorization.usage: the ledger", () => {
  const a = auth({ approved: 10 })

  it("counts used toward remaining, and used and reserved toward projected remaining", () => {
    const ledger = [
      entry({ sessionId: "s1", kind: "used", units: 1 }),
      entry({ sessionId: "s2", kind: "used", units: 2 }),
      entry({ sessionId: "s3", kind: "reserved", units: 1, dateOfService: "2025-03-20" }),
      entry({ sessionId: "s4", kind: "reserved", units: 3, dateOfService: "2025-03-27" })
    ]
    expect(Authorization.usage(a, ledger)).toEqual({
      approved: 10,
      used: 3,
      reserved: 4,
      remaining: 7,
      projectedRemaining: 3
    })
  })

  it("an empty ledger leaves everything", () => {
    expect(Authorization.usage(a, [])).toEqual({
      approved: 10,
      used: 0,
      reserved: 0,
      remaining: 10,
      projectedRemaining: 10
    })
  })

  it("a session's used entry replaces its reservation, in either order", () => {
    const reserved = entry({ sessionId: "s1", kind: "reserved", units: 2 })
    const used = entry({ sessionId: "s1", kind: "used", units: 3 })
    for (const ledger of [
      [reserved, used],
      [used, reserved]
    ]) {
      expect(Authorization.usage(a, ledger)).toEqual({
        approved: 10,
        used: 3,
        reserved: 0,
        remaining: 7,
        projectedRemaining: 7
      })
    }
  })

  it("`except` leaves the session being checked out", () => {
    const ledger = [
      entry({ sessionId: "s1", kind: "used", units: 1 }),
      entry({ sessionId: "s2", kind: "reserved", units: 2 }),
      entry({ sessionId: "s3", kind: "used", units: 4 }),
      entry({ sessionId: "s3", kind: "reserved", units: 4 })
    ]
    expect(Authorization.usage(a, ledger, "s2")).toMatchObject({ used: 5, reserved: 0, projectedRemaining: 5 })
    expect(Authorization.usage(a, ledger, "s3")).toMatchObject({ used: 1, reserved: 2, projectedRemaining: 7 })
    expect(Authorization.usage(a, ledger, "nobody")).toMatchObject({ used: 5, reserved: 2, projectedRemaining: 3 })
  })

  it("ignores other authorizations' entries", () => {
    const ledger = [entry({ authorizationId: "auth-2", sessionId: "s1", units: 5 }), entry({ sessionId: "s2" })]
    expect(Authorization.usage(a, ledger)).toMatchObject({ used: 1, remaining: 9 })
  })

  it("remaining = approved − used and projected = approved − used − reserved (property)", () => {
    holds(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.array(
          fc.record({
            session: fc.integer({ min: 1, max: 8 }),
            units: fc.integer({ min: 1, max: 4 }),
            used: fc.boolean()
          }),
          { maxLength: 20 }
        ),
        (approved, raw) => {
          const ledger = raw.map((r) =>
            entry({ sessionId: `s${r.session}`, units: r.units, kind: r.used ? "used" : "reserved" })
          )
          // Model: per session, the first used entry if any, else the first reservation.
          let used = 0
          let reserved = 0
          for (const session of new Set(raw.map((r) => r.session))) {
            const mine = raw.filter((r) => r.session === session)
            const firstUse = mine.find((r) => r.used)
            if (firstUse !== undefined) used += firstUse.units
            else reserved += (mine[0] as { units: number }).units
          }
          const u = Authorization.usage(auth({ approved }), ledger)
          expect(u).toEqual({
            approved,
            used,
            reserved,
            remaining: approved - used,
            projectedRemaining: approved - used - reserved
          })
        }
      )
    )
  })
})

describe("Authorization.record", () => {
  it("refuses a use that would take used past approved, with AuthorizationExceeded", () => {
    const a = auth({ approved: 2 })
    const ledger = usedEntries(2)
    const result = Authorization.record(ledger, a, entry({ sessionId: "s3", units: 1 }))
    expect(result._tag).toBe("Left")
    if (result._tag !== "Left") return
    expect(result.error).toBeInstanceOf(Authorization.AuthorizationExceeded)
    expect(result.error._tag).toBe("AuthorizationExceeded")
    expect(result.error.approved).toBe(2)
    expect(result.error.wouldUse).toBe(3)
    expect(result.error.authorizationId).toBe("auth-1")
  })

  it("refuses a multi-unit use that would go over, and accepts one that lands exactly on approved", () => {
    const a = auth({ approved: 5 })
    const ledger = usedEntries(3)
    const over = Authorization.record(ledger, a, entry({ sessionId: "s9", units: 3 }))
    expect(over).toMatchObject({ _tag: "Left", error: { _tag: "AuthorizationExceeded", wouldUse: 6, approved: 5 } })
    const exact = Authorization.record(ledger, a, entry({ sessionId: "s9", units: 2 }))
    expect(exact._tag).toBe("Right")
    if (exact._tag === "Right") expect(Authorization.usage(a, exact.ledger)).toMatchObject({ used: 5, remaining: 0 })
  })

  it("lets reservations overbook", () => {
    const a = auth({ approved: 1 })
    const result = Authorization.record(usedEntries(1), a, entry({ sessionId: "s9", kind: "reserved", units: 4 }))
    expect(result._tag).toBe("Right")
    if (result._tag === "Right") {
      expect(Authorization.usage(a, result.ledger)).toMatchObject({ used: 1, reserved: 4, projectedRemaining: -4 })
    }
  })

  it("replaces a session's earlier entry of the same kind instead of adding to it", () => {
    const a = auth({ approved: 3 })
    const first = Authorization.record([], a, entry({ sessionId: "s1", units: 3 }))
    expect(first._tag).toBe("Right")
    if (first._tag !== "Right") return
    const again = Authorization.record(first.ledger, a, entry({ sessionId: "s1", units: 2 }))
    expect(again._tag).toBe("Right")
    if (again._tag !== "Right") return
    expect(again.ledger.filter((e) => e.sessionId === "s1" && e.kind === "used")).toHaveLength(1)
    expect(Authorization.usage(a, again.ledger)).toMatchObject({ used: 2, remaining: 1 })
  })

  it("turns a reservation into a use", () => {
    const a = auth({ approved: 2 })
    const booked = Authorization.record([], a, entry({ sessionId: "s1", kind: "reserved", units: 2 }))
    if (booked._tag !== "Right") throw new Error("a reservation was refused")
    const delivered = Authorization.record(booked.ledger, a, entry({ sessionId: "s1", kind: "used", units: 2 }))
    expect(delivered._tag).toBe("Right")
    if (delivered._tag === "Right") {
      expect(Authorization.usage(a, delivered.ledger)).toEqual({
        approved: 2,
        used: 2,
        reserved: 0,
        remaining: 0,
        projectedRemaining: 0
      })
    }
  })

  it("used never exceeds approved, whatever the sequence of attempts (property)", () => {
    holds(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(
          fc.record({
            session: fc.integer({ min: 1, max: 6 }),
            units: fc.integer({ min: 1, max: 5 }),
            kind: fc.constantFrom("used" as const, "reserved" as const)
          }),
          { maxLength: 40 }
        ),
        (approved, attempts) => {
          const a = auth({ approved })
          let ledger: ReadonlyArray<Authorization.LedgerEntry> = []
          for (const attempt of attempts) {
            const e = entry({ sessionId: `s${attempt.session}`, units: attempt.units, kind: attempt.kind })
            const usedByOthers = Authorization.usage(a, ledger, e.sessionId).used
            const result = Authorization.record(ledger, a, e)
            if (result._tag === "Left") {
              expect(attempt.kind).toBe("used")
              expect(result.error).toBeInstanceOf(Authorization.AuthorizationExceeded)
              expect(result.error._tag).toBe("AuthorizationExceeded")
              expect(result.error.wouldUse).toBe(usedByOthers + attempt.units)
              expect(result.error.wouldUse).toBeGreaterThan(approved)
            } else {
              if (attempt.kind === "used") expect(usedByOthers + attempt.units).toBeLessThanOrEqual(approved)
              ledger = result.ledger
            }
            const u = Authorization.usage(a, ledger)
            expect(u.used).toBeLessThanOrEqual(approved)
            expect(u.remaining).toBeGreaterThanOrEqual(0)
          }
        }
      )
    )
  })
})

describe("Authorization.alerts and projectedRunOut", () => {
  const acme = ruleSet("acme-health")
  const medicaid = ruleSet("state-medicaid-example")
  const sessions = (over: Record<string, unknown> = {}) =>
    auth({ codes: ["90834"], unitType: "sessions", approved: 10, ...over })
  const weekly = (dates: ReadonlyArray<string>, kind: "used" | "reserved", prefix: string) =>
    dates.map((dos, i) => entry({ sessionId: `${prefix}${i}`, dateOfService: dos, kind, units: 1 }))

  // Four weekly sessions delivered, two more booked: 10 approved, 6 left, 4 once the bookings happen.
  const cadenceLedger = [
    ...weekly(["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"], "used", "u"),
    ...weekly(["2025-02-03", "2025-02-10"], "reserved", "r")
  ]

  it("projects the run-out through the booked schedule and then at the weekly cadence", () => {
    // After 02-10, 4 are left: 02-17, 02-24, 03-03, 03-10.
    expect(Authorization.projectedRunOut(sessions(), cadenceLedger, d("2025-01-30"))).toBe("2025-03-10")
  })

  it("runs out on the booked session that takes the last unit", () => {
    const a = sessions({ approved: 5 })
    expect(Authorization.projectedRunOut(a, cadenceLedger, d("2025-01-30"))).toBe("2025-02-03")
    expect(Authorization.projectedRunOut(sessions({ approved: 6 }), cadenceLedger, d("2025-01-30"))).toBe("2025-02-10")
  })

  it("has no run-out without a cadence, or once used up", () => {
    expect(Authorization.projectedRunOut(sessions(), [], d("2025-01-30"))).toBeUndefined()
    expect(
      Authorization.projectedRunOut(sessions(), weekly(["2025-01-06"], "used", "u"), d("2025-01-30"))
    ).toBeUndefined()
    expect(Authorization.projectedRunOut(sessions({ approved: 4 }), cadenceLedger, d("2025-01-30"))).toBeUndefined()
  })

  it("alerts the projected run-out and the date to request a renewal (run-out − 14 days in cpt-base)", () => {
    expect(Authorization.alerts(sessions(), cadenceLedger, d("2025-01-30"), acme)).toEqual([
      { kind: "projected-run-out", on: "2025-03-10" },
      { kind: "request-renewal-by", on: "2025-02-24", overdue: false }
    ])
  })

  it("uses the program's turnaround (21 days in state-medicaid-example) or the settings argument", () => {
    expect(Authorization.alerts(sessions(), cadenceLedger, d("2025-01-30"), medicaid)).toContainEqual({
      kind: "request-renewal-by",
      on: "2025-02-17",
      overdue: false
    })
    expect(
      Authorization.alerts(sessions(), cadenceLedger, d("2025-01-30"), acme, { turnaroundDays: 7 })
    ).toContainEqual({ kind: "request-renewal-by", on: "2025-03-03", overdue: false })
  })

  it("warns when expiring within the pack's 14 days, both ends counted", () => {
    const a = sessions({ period: { start: "2025-01-01", end: "2025-03-31" } })
    expect(Authorization.alerts(a, [], d("2025-03-17"), acme)).toEqual([
      { kind: "expiring", on: "2025-03-31", daysLeft: 14 },
      { kind: "request-renewal-by", on: "2025-03-17", overdue: false }
    ])
    expect(Authorization.alerts(a, [], d("2025-03-16"), acme)).toEqual([
      { kind: "request-renewal-by", on: "2025-03-17", overdue: false }
    ])
    expect(Authorization.alerts(a, [], d("2025-03-18"), acme)).toEqual([
      { kind: "expiring", on: "2025-03-31", daysLeft: 13 },
      { kind: "request-renewal-by", on: "2025-03-17", overdue: true }
    ])
    expect(Authorization.alerts(a, [], d("2025-03-31"), acme)).toContainEqual({
      kind: "expiring",
      on: "2025-03-31",
      daysLeft: 0
    })
  })

  it("takes the expiry threshold from the settings argument", () => {
    const a = sessions({ period: { start: "2025-01-01", end: "2025-03-31" } })
    expect(Authorization.alerts(a, [], d("2025-03-01"), acme, { days: 30 })).toContainEqual({
      kind: "expiring",
      on: "2025-03-31",
      daysLeft: 30
    })
    expect(Authorization.alerts(a, [], d("2025-02-28"), acme, { days: 30 }).map((x) => x.kind)).not.toContain(
      "expiring"
    )
    expect(Authorization.alerts(a, [], d("2025-03-20"), acme, { days: 7 }).map((x) => x.kind)).not.toContain("expiring")
  })

  it("says expired, and only that, after the end", () => {
    const a = sessions({ period: { start: "2025-01-01", end: "2025-03-31" } })
    expect(Authorization.alerts(a, [], d("2025-04-01"), acme)).toEqual([{ kind: "expired", on: "2025-03-31" }])
    expect(Authorization.alerts(a, cadenceLedger, d("2025-12-01"), acme)).toEqual([
      { kind: "expired", on: "2025-03-31" }
    ])
  })

  it("warns of few left at the pack's 3 sessions, or the settings argument's", () => {
    const a = sessions({ approved: 10 })
    const seven = weekly(
      ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03", "2025-02-10", "2025-02-17"],
      "used",
      "u"
    )
    const six = seven.slice(0, 6)
    expect(Authorization.alerts(a, seven, d("2025-02-18"), acme)).toContainEqual({ kind: "few-left", remaining: 3 })
    expect(Authorization.alerts(a, six, d("2025-02-18"), acme).map((x) => x.kind)).not.toContain("few-left")
    expect(Authorization.alerts(a, six, d("2025-02-18"), acme, { sessions: 4 })).toContainEqual({
      kind: "few-left",
      remaining: 4
    })
  })

  it("says exhausted when nothing is left", () => {
    const a = sessions({ approved: 4 })
    const kinds = Authorization.alerts(a, cadenceLedger.slice(0, 4), d("2025-01-30"), acme).map((x) => x.kind)
    expect(kinds).toContain("exhausted")
    expect(kinds).not.toContain("few-left")
  })

  it("an authorization used up with sessions still booked needs its renewal now, not 14 days before the end", () => {
    // Suspected bug: with nothing left projectedRunOut is undefined, so the renewal date falls back to the
    // period's end (2025-06-16, not overdue) although the run-out has already happened and two sessions are booked.
    const a = sessions({ approved: 4 })
    const result = Authorization.alerts(a, cadenceLedger, d("2025-01-30"), acme)
    expect(result).toContainEqual({ kind: "exhausted" })
    expect(result).toContainEqual({ kind: "overbooked", by: 2 })
    const renewal = result.find((x) => x.kind === "request-renewal-by")
    expect(renewal).toMatchObject({ overdue: true })
  })

  it("says overbooked by how much, and that the renewal is overdue when the run-out is near", () => {
    const a = sessions({ approved: 4 })
    const ledger = [
      ...weekly(["2025-01-06", "2025-01-13"], "used", "u"),
      ...weekly(["2025-01-20", "2025-01-27", "2025-02-03"], "reserved", "r")
    ]
    expect(Authorization.alerts(a, ledger, d("2025-01-15"), acme)).toEqual([
      { kind: "few-left", remaining: 2 },
      { kind: "overbooked", by: 1 },
      { kind: "projected-run-out", on: "2025-01-27" },
      { kind: "request-renewal-by", on: "2025-01-13", overdue: true }
    ])
  })

  it("says how many would be left unused at the end, with the renewal due before the end", () => {
    const a = sessions({ approved: 20, period: { start: "2025-01-01", end: "2025-02-28" } })
    const ledger = weekly(["2025-01-06", "2025-01-13"], "used", "u")
    const result = Authorization.alerts(a, ledger, d("2025-01-14"), acme)
    expect(result).toEqual([
      { kind: "expires-before-used", unused: 18 },
      { kind: "request-renewal-by", on: "2025-02-14", overdue: false }
    ])
    const runOut = Authorization.projectedRunOut(a, ledger, d("2025-01-14"))
    expect(runOut).toBeDefined()
    expect((runOut as string) > "2025-02-28").toBe(true)
  })
})

describe("Authorization.check: an ended authorization for other codes", () => {
  it("is Missing, not Expired: an extension of it would not cover the visit", () => {
    const packs = RuleSet.makeRulePacks(RuleSet.builtinPacks.map((p) => Effect.runSync(RulePack.validate(p))))
    const ruleSet = Effect.runSync(packs.resolve("acme-health", DateOfService.make("2025-09-01")))
    const testing = Schema.decodeUnknownSync(Authorization.Authorization)({
      id: "auth-old",
      tenantId: "tenant-a",
      patientId: "pat-1",
      payerId: "acme",
      number: "PA-OLD",
      codes: ["96136"],
      unitType: "units",
      approved: 4,
      period: { start: "2025-01-01", end: "2025-03-31" },
      status: "approved"
    })
    const visit = Schema.decodeUnknownSync(Authorization.Visit)({
      patientId: "pat-1",
      payerId: "acme",
      clinicianId: "cl-1",
      dateOfService: "2025-09-01",
      lines: [{ code: "96130", units: 1 }]
    })
    const result = Authorization.check(visit, [testing], [], ruleSet)
    expect(result._tag).toBe("Missing")
  })
})
