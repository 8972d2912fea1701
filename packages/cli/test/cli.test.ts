import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { schemaNames } from "@openrcm/cli"
import { describe, expect, it } from "vitest"
import packageJson from "../package.json" with { type: "json" }
import { openrcm, openrcmWithInput } from "./run.js"

const dir = mkdtempSync(join(tmpdir(), "openrcm-cli-"))
const file = (name: string, content: unknown) => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content))
  return path
}
const session = {
  dateOfService: "2025-03-04",
  rulePack: "medicare",
  service: "psychotherapy",
  minutes: 45,
  delivery: { mode: "video", patientLocation: "home" },
  clinician: { credential: "LCSW" }
}

describe("openrcm", () => {
  it("--help lists the commands", () => {
    const { code, stdout } = openrcm("--help")
    expect(code).toBe(0)
    expect(stdout).toContain("USAGE")
    expect(stdout).toContain("openrcm <subcommand>")
    expect(stdout).toMatch(/schema\s+Print the JSON Schema/)
  })

  it("--version prints the package version", () => {
    const { code, stdout } = openrcm("--version")
    expect(code).toBe(0)
    expect(stdout.trim()).toBe(`openrcm v${packageJson.version}`)
  })

  it("schema npi prints a JSON Schema document with the NPI's pattern", () => {
    const { code, stdout } = openrcm("schema", "npi")
    expect(code).toBe(0)
    const document = JSON.parse(stdout)
    expect(document.$schema).toBe("https://json-schema.org/draft/2020-12/schema")
    expect(document.$ref).toBe("#/$defs/Npi")
    expect(document.$defs.Npi).toMatchObject({ type: "string", pattern: "^\\d{10}$" })
  })

  it("schema prints a JSON Schema document for every name", () => {
    for (const name of schemaNames) {
      const { code, stdout } = openrcm("schema", name)
      expect(code, name).toBe(0)
      expect(JSON.parse(stdout), name).toHaveProperty("$schema", "https://json-schema.org/draft/2020-12/schema")
    }
  }, 120_000)

  it("an unknown schema name is an error that lists the choices, with a non-zero exit", () => {
    const { code, stdout, stderr } = openrcm("schema", "nope")
    expect(code).not.toBe(0)
    expect(stdout + stderr).toContain('Invalid value for argument <name>: "nope"')
    expect(stdout + stderr).toContain('"date-of-service"')
  })

  it("an unknown command is an error", () => {
    const { code, stdout, stderr } = openrcm("frobnicate")
    expect(code).not.toBe(0)
    expect(stdout + stderr).toMatch(/frobnicate/)
  })

  it("code reads a session file and prints the coded lines as JSON", () => {
    const { code, stdout } = openrcm("code", file("session.json", session))
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result._tag).toBe("Billable")
    expect(result.lines.map((l: { code: string; placeOfService: string }) => [l.code, l.placeOfService])).toEqual([
      ["90834", "10"]
    ])
    expect(result.packs).toEqual(["cpt-base@2025.1.0", "medicare@2025.1.0"])
  })

  it("code reads a session from standard input", () => {
    const { code, stdout } = openrcmWithInput(JSON.stringify({ ...session, minutes: 53 }), "code")
    expect(code).toBe(0)
    expect(JSON.parse(stdout).lines[0].code).toBe("90837")
  })

  it("code names every bad field by JSON path, exits 1, and never echoes the input", () => {
    const { code, stdout, stderr } = openrcmWithInput(
      JSON.stringify({
        ...session,
        minutes: "forty-five",
        clinician: { credential: "Wizard" },
        dateOfService: "2025-02-30"
      }),
      "code"
    )
    expect(code).toBe(1)
    expect(stdout).toBe("")
    expect(stderr).toContain("$.minutes")
    expect(stderr).toContain("$.clinician.credential")
    expect(stderr).toContain("$.dateOfService")
    expect(stderr).not.toContain("forty-five")
    expect(stderr).not.toContain("Wizard")
    expect(stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it("code says where a JSON syntax error is", () => {
    const { code, stderr } = openrcm("code", file("broken.json", '{\n  "minutes": 45,\n  oops\n}'))
    expect(code).toBe(1)
    expect(stderr).toMatch(/not JSON \(syntax error at line 3, column \d+\)/)
  })

  it("code refuses a file that does not exist, plainly", () => {
    const { code, stderr } = openrcm("code", join(dir, "missing.json"))
    expect(code).toBe(1)
    expect(stderr).toContain("missing.json: cannot be read")
  })

  it("code codes a tracked session per present attendee", () => {
    const tracked = {
      id: "grp-1",
      tenantId: "tenant-a",
      service: "group-psychotherapy",
      timeZone: "America/Chicago",
      clinicians: [{ clinicianId: "cl-1", credential: "LCSW", bills: true }],
      delivery: { mode: "in-person" },
      status: "completed",
      segments: [{ kind: "service", startedAt: 1741100400000, endedAt: 1741105800000 }],
      interactiveComplexity: false,
      crisis: false,
      dateOfService: "2025-03-04",
      attendees: [
        { patientId: "pat-1", rulePack: "medicare", present: true },
        { patientId: "pat-2", rulePack: "acme-health", present: false }
      ]
    }
    const { code, stdout } = openrcm("code", file("tracked.json", tracked))
    expect(code).toBe(0)
    const previews = JSON.parse(stdout)
    expect(previews.map((p: { patientId: string; minutes: number }) => [p.patientId, p.minutes])).toEqual([
      ["pat-1", 90]
    ])
    expect(previews[0].result.lines[0].code).toBe("90853")
  })

  it("rules explain prints each line with the rule and pack behind it", () => {
    const { code, stdout } = openrcm(
      "rules",
      "explain",
      file("explain.json", { ...session, rulePack: "state-medicaid-example", service: "bh-counseling", minutes: 44 })
    )
    expect(code).toBe(0)
    expect(stdout).toContain("H0004:HO:GT × 2 at POS 10")
    expect(stdout).toContain(
      "44 min in 15-minute units, full_unit → 2 [state-medicaid-example@2025.1.0 $.settings.unitRounding]"
    )
    expect(stdout).toContain("packs: cpt-base@2025.1.0 → state-medicaid-example@2025.1.0")
  })

  it("rules validate accepts a shipped pack and lists every problem of a bad one by JSON path", () => {
    const good = openrcm(
      "rules",
      "validate",
      join(import.meta.dirname, "..", "..", "core", "packs", "state-medicaid-example.json")
    )
    expect(good.code).toBe(0)
    expect(good.stdout).toContain("valid rule pack state-medicaid-example@2025.1.0 (program, extends cpt-base)")
    const bad = openrcm(
      "rules",
      "validate",
      file("bad-pack.json", {
        id: "Bad Pack",
        version: "1",
        name: "",
        layer: "payer",
        effective: {},
        telehealth: [{ mode: "smoke" }]
      })
    )
    expect(bad.code).toBe(1)
    for (const path of ["$.id", "$.version", "$.name", "$.telehealth[0].mode", "$.telehealth[0].placeOfService"]) {
      expect(bad.stderr).toContain(path)
    }
  })

  it("rules validate checks that the pack extends a known pack", () => {
    const orphan = openrcm(
      "rules",
      "validate",
      file("orphan.json", {
        id: "orphan",
        version: "1.0.0",
        name: "Orphan",
        layer: "payer",
        extends: "nobody",
        effective: {}
      })
    )
    expect(orphan.code).toBe(1)
    expect(orphan.stderr).toContain("$.extends: no loaded pack has the id nobody")
  })

  it("--pack loads a payer of your own: a new payer is data", () => {
    const pack = file("river.json", {
      id: "river-health",
      version: "1.0.0",
      name: "River Health",
      layer: "payer",
      extends: "cpt-base",
      effective: { from: "2025-01-01" },
      telehealth: [{ mode: "video", placeOfService: { home: "10", other: "02" }, modifiers: ["GT"] }]
    })
    const { code, stdout } = openrcm(
      "code",
      "--pack",
      pack,
      file("river-session.json", { ...session, rulePack: "river-health" })
    )
    expect(code).toBe(0)
    expect(JSON.parse(stdout).lines[0].modifiers).toEqual(["GT"])
  })

  const authorization = {
    id: "auth-1",
    tenantId: "tenant-a",
    patientId: "pat-1",
    payerId: "acme",
    number: "PA-778",
    codes: ["96130", "96131"],
    unitType: "units",
    approved: 3,
    period: { start: "2025-01-01", end: "2025-06-30" },
    status: "approved"
  }
  const authRequest = (dateOfService: string, units: number) => ({
    visit: {
      patientId: "pat-1",
      payerId: "acme",
      clinicianId: "cl-1",
      dateOfService,
      lines: [
        { code: "96130", units: 1 },
        { code: "96131", units }
      ]
    },
    authorizations: [authorization],
    ledger: [{ authorizationId: "auth-1", sessionId: "ses-0", dateOfService: "2025-02-01", units: 1, kind: "used" }],
    rulePack: "acme-health"
  })

  it("auth check splits a visit that needs more units than are left", () => {
    const { code, stdout } = openrcm("auth", "check", file("auth.json", authRequest("2025-03-01", 2)))
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result._tag).toBe("PartiallyAuthorized")
    expect([result.authorizedUnits, result.excessUnits]).toEqual([2, 1])
    expect(result.denial).toEqual({ group: "CO", carc: "198" })
  })

  it("auth check says an authorization expired, with the denial and what to do", () => {
    const { code, stdout } = openrcm("auth", "check", file("auth-late.json", authRequest("2025-07-01", 1)))
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect(result._tag).toBe("Expired")
    expect(result.denial.carc).toBe("197")
    expect(result.action).toContain("2025-06-30")
  })

  it("estimate works RULES.md's worked example: allowed $150, $100 of deductible left, 20%", () => {
    const { code, stdout } = openrcm(
      "estimate",
      file("estimate.json", {
        benefits: { deductibleRemaining: 10000, coinsuranceBps: 2000, outOfPocketRemaining: 300000 },
        visits: [{ dateOfService: "2025-03-04", lines: [{ code: "90834", allowed: 15000 }] }]
      })
    )
    expect(code).toBe(0)
    const result = JSON.parse(stdout)
    expect([result.patient, result.plan]).toEqual([11000, 4000])
    expect(result.visits[0].lines[0]).toMatchObject({ deductible: 10000, coinsurance: 1000, deductibleRemaining: 0 })
  })

  it("estimate names a bad field by path", () => {
    const { code, stderr } = openrcm(
      "estimate",
      file("estimate-bad.json", { benefits: { coinsuranceBps: 20.5 }, visits: [] })
    )
    expect(code).toBe(1)
    expect(stderr).toContain("$.benefits.coinsuranceBps")
    expect(stderr).toContain("$.benefits.deductibleRemaining")
  })

  const fixture = (name: string) => join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12", name)

  it("x12 read prints the typed transactions as JSON lines, with every problem's position", () => {
    const { code, stdout } = openrcm("x12", "read", fixture("835_pyx12_t1005_mult_loops.x12"))
    expect(code).toBe(0)
    const events = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
    const claims = events
      .filter((e: { _tag: string }) => e._tag === "Item")
      .map((e: { item: { patientControlNumber: string } }) => e.item.patientControlNumber)
    expect(claims).toEqual(["2005555A"])
    expect(
      events.some(
        (e: { _tag: string; header?: { setId: string } }) => e._tag === "Transaction" && e.header?.setId === "835"
      )
    ).toBe(true)
  })

  it("x12 validate lists the problems of an off-standard file with positions and exits 1", () => {
    const { code, stdout, stderr } = openrcm("x12", "validate", fixture("837P_imsweb_x12_valid.x12"))
    expect(code).toBe(1)
    expect(stdout).toMatch(
      /error segment-count: SE01 counts \d+ segments; there are \d+ \(ISA \d+ \/ GS \d+ \/ ST \d+ \/ segment \d+ SE, element 1\)/
    )
    expect(stderr).toContain("error(s)")
  })

  it("x12 validate passes a clean file", () => {
    const { code, stdout } = openrcm("x12", "validate", fixture("835_pyx12_t1005_mult_loops.x12"))
    expect(code).toBe(0)
    expect(stdout).toContain("0 error(s)")
  })

  it("x12 read --strict stops at the first error, and a file that is not X12 is refused plainly", () => {
    const strict = openrcm("x12", "read", "--strict", fixture("837P_imsweb_x12_valid.x12"))
    expect(strict.code).toBe(1)
    expect(strict.stderr).toContain("(ISA ")
    const notX12 = openrcm("x12", "validate", file("not.x12", "hello"))
    expect(notX12.code).toBe(1)
    expect(notX12.stderr).toContain("not-x12")
  })
})
