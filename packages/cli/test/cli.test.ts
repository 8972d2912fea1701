import { spawn, spawnSync } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { schemaNames } from "@openrcm/cli"
import { type Problem, type Remittance, X12 } from "@openrcm/x12"
import { describe, expect, it } from "vitest"
import { isa, write835 } from "../../x12/bench/generate.js"
import packageJson from "../package.json" with { type: "json" }
import { bin, openrcm, openrcmWithInput } from "./run.js"

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

  const lines = (stdout: string) => stdout.split("\n").filter((line) => line !== "")
  type Line = { _tag: string; [key: string]: unknown }
  const jsonLines = (stdout: string) => lines(stdout).map((line) => JSON.parse(line) as Line)
  const problemsOf = (events: ReadonlyArray<Line>) =>
    events.filter((e) => e._tag === "Problem").map((e) => e.problem as Problem.Problem)
  // Off-standard: CR adjustment groups (removed in 5010), a last CLP without its amounts, and PLB that unbalances.
  const ohio835 = fixture("835_oopfactory_ohio_adamh_bh_example1.x12")
  const ohioPosition = { interchange: "004075123", group: "1", transaction: "07504123" }

  it("x12 read prints the typed transactions and every problem, with its position, as JSON lines", () => {
    const { code, stdout, stderr } = openrcm("x12", "read", ohio835)
    expect(code).toBe(0)
    const events = jsonLines(stdout)
    expect(events.map((e) => e._tag).filter((tag) => tag !== "Item" && tag !== "Problem")).toEqual([
      "Interchange",
      "Group",
      "Transaction"
    ])
    const claims = events
      .filter((e) => e._tag === "Item")
      .map((e) => (e.item as Remittance.RemittanceClaim).patientControlNumber)
    expect(claims).toEqual([
      "444444",
      "999999",
      "888888",
      "111111",
      "121212",
      "333333",
      "777777",
      "123456",
      "090909",
      "090909"
    ])
    const transaction = events.find((e) => e._tag === "Transaction") as Line
    expect(transaction.header).toEqual({ setId: "835", control: "07504123", version: "5010" })
    expect(transaction.model).toMatchObject({
      claimCount: 10,
      balanced: { lines: true, claims: true, transaction: false },
      payment: { amount: 575, method: "NON" }
    })
    // Every problem the library finds, in order, each with the interchange, group, set, segment and element.
    const problems = problemsOf(events)
    const expected = X12.readText(readFileSync(ohio835, "utf8"))
    expect(problems).toEqual(expected.problems)
    expect(problems.length).toBe(9)
    for (const problem of problems) {
      expect(problem).toMatchObject(ohioPosition)
      expect(problem.segmentIndex).toBeTypeOf("number")
      expect(problem.segmentId).toMatch(/^[A-Z][A-Z0-9]{1,2}$/)
      expect(problem.element).toBeTypeOf("number")
    }
    expect(problems.filter((p) => p.severity === "error")).toEqual([
      expect.objectContaining({ code: "missing-amount", segmentIndex: 97, segmentId: "CLP", element: 3 }),
      expect.objectContaining({ code: "missing-amount", segmentIndex: 97, segmentId: "CLP", element: 4 }),
      expect.objectContaining({ code: "transaction-unbalanced", segmentIndex: 3, segmentId: "BPR", element: 2 })
    ])
    expect(stderr).toBe("3 error(s)\n")
  })

  it("x12 read --strict stops at the first error, names its position and exits 1", () => {
    const { code, stdout, stderr } = openrcm("x12", "read", "--strict", ohio835)
    expect(code).toBe(1)
    expect(stderr).toContain(
      "error missing-amount: CLP03 (total charge) is required (ISA 004075123 / GS 1 / ST 07504123 / segment 97 CLP, element 3)"
    )
    // What was read before the error is printed; nothing after it (the transaction never ends).
    const events = jsonLines(stdout)
    // The claims that ended before the malformed CLP at segment 97 (the one it ends, at 84, is not given out).
    expect(
      events.filter((e) => e._tag === "Item").map((e) => (e.item as Remittance.RemittanceClaim).patientControlNumber)
    ).toEqual(["444444", "999999", "888888", "111111", "121212", "333333", "777777", "123456"])
    expect(events.some((e) => e._tag === "Transaction")).toBe(false)
    expect(problemsOf(events).every((p) => p.severity === "warning")).toBe(true)
  })

  const problemLine =
    /^(error|warning) [a-z0-9-]+: .+ \(ISA \d{9} \/ GS \d+ \/ ST \d+ \/ segment \d+ [A-Z][A-Z0-9]{1,2}(, element \d+)?\)$/

  it("x12 validate prints only the problems of an off-standard file, one per line with its position, and exits 1", () => {
    const { code, stdout, stderr } = openrcm("x12", "validate", fixture("837P_imsweb_x12_valid.x12"))
    expect(code).toBe(1)
    const printed = lines(stdout)
    for (const line of printed) expect(line).toMatch(problemLine)
    expect(printed).toContain(
      "error segment-count: SE01 counts 25 segments; there are 34 (ISA 000000905 / GS 1 / ST 987654 / segment 35 SE, element 1)"
    )
    expect(printed).toContain(
      "error hl-duplicate: HL01 repeats an earlier HL id (ISA 000000905 / GS 1 / ST 987654 / segment 26 HL, element 1)"
    )
    const errors = printed.filter((line) => line.startsWith("error ")).length
    const warnings = printed.length - errors
    expect(stderr).toContain(`837P_imsweb_x12_valid.x12: ${errors} error(s), ${warnings} warning(s)`)
    expect(errors).toBeGreaterThan(0)
  })

  it("x12 validate passes a clean file with nothing on standard output, and warnings alone do not fail", () => {
    const clean = openrcm("x12", "validate", fixture("835_pyx12_t1005_mult_loops.x12"))
    expect(clean.code).toBe(0)
    expect(clean.stdout).toBe("")
    expect(clean.stderr).toContain("835_pyx12_t1005_mult_loops.x12: 0 error(s), 0 warning(s)")
    const warned = openrcm("x12", "validate", fixture("271_oopfactory_5010_example_3_1_3_aaa_reject.x12"))
    expect(warned.code).toBe(0)
    expect(lines(warned.stdout)).toHaveLength(1)
    expect(lines(warned.stdout)[0]).toMatch(/^warning /)
    expect(lines(warned.stdout)[0]).toMatch(problemLine)
    expect(warned.stderr).toContain("0 error(s), 1 warning(s)")
  })

  it("x12 validate refuses a file that is not X12, or that cannot be read, plainly", () => {
    const notX12 = openrcm("x12", "validate", file("not.x12", "hello"))
    expect(notX12.code).toBe(1)
    expect(notX12.stdout).toBe("")
    expect(notX12.stderr).toContain("not-x12")
    const missing = openrcm("x12", "validate", join(dir, "missing.x12"))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("missing.x12: cannot be read (NotFound)")
  })

  it("x12 validate prints every problem: the streaming reader has no bound on them by default", () => {
    // 800 claims, each with a second line whose CAS is 1.00 too much: a line and a claim problem each (the
    // payments, and so the transaction, still add up).
    const parts: Array<string> = []
    write835(800, (text) => parts.push(text.replaceAll("CAS*CO*45*5~", "CAS*CO*45*6~")))
    const { code, stdout, stderr } = openrcm("x12", "validate", file("unbalanced.835", parts.join("")))
    expect(code).toBe(1)
    const printed = lines(stdout)
    for (const line of printed) expect(line).toMatch(problemLine)
    expect(printed.filter((line) => line.startsWith("error line-unbalanced:"))).toHaveLength(800)
    expect(printed.filter((line) => line.startsWith("error claim-unbalanced:"))).toHaveLength(800)
    expect(printed).toHaveLength(1600)
    expect(stderr).toContain("unbalanced.835: 1600 error(s), 0 warning(s)")
    expect(stderr).not.toContain("too-many-problems")
    // Past readText's default bound of 100,000: an interchange of 150,000 empty segments, each an error.
    const junk = file("junk.x12", `${isa("000000001")}${"~".repeat(150_000)}`)
    const many = spawnSync(process.execPath, [bin, "x12", "validate", junk], {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 * 2 ** 20
    })
    expect(many.status).toBe(1)
    expect(many.stderr).toContain("junk.x12: 150001 error(s), 0 warning(s)")
    expect(many.stderr).not.toContain("too-many-problems")
    expect(lines(many.stdout)).toHaveLength(150_001)
  }, 60_000)

  it("x12 validate and read --max-problems N stop past N problems with too-many-problems, after printing N", () => {
    const parts: Array<string> = []
    write835(800, (text) => parts.push(text.replaceAll("CAS*CO*45*5~", "CAS*CO*45*6~")))
    const path = file("unbalanced-bounded.835", parts.join(""))
    const validated = openrcm("x12", "validate", "--max-problems", "1000", path)
    expect(validated.code).toBe(1)
    expect(lines(validated.stdout)).toHaveLength(1000)
    for (const line of lines(validated.stdout)) expect(line).toMatch(problemLine)
    expect(validated.stderr).toMatch(
      /unbalanced-bounded\.835: error too-many-problems: more than 1000 problems: the reader stopped \(maxProblems\) \(ISA 000000001 \/ GS 1 \/ ST 0001 \/ segment \d+ [A-Z][A-Z0-9]{1,2}\)/
    )
    // The same option, the same stop as a whole-text read.
    const whole = X12.readText(parts.join(""), { maxProblems: 1000 })
    expect(whole._tag === "Failure" && validated.stderr).toContain(`segment ${whole.problems.at(-1)?.segmentIndex} `)
    const read = openrcm("x12", "read", "--max-problems", "1000", path)
    expect(read.code).toBe(1)
    expect(problemsOf(jsonLines(read.stdout))).toEqual(whole.problems.slice(0, -1))
    expect(read.stderr).toContain("too-many-problems")
    // Enough for every problem: the read goes through.
    const enough = openrcm("x12", "validate", "--max-problems", "1600", path)
    expect(enough.stderr).toContain("unbalanced-bounded.835: 1600 error(s), 0 warning(s)")
    // Not a count: refused before anything is read.
    const negative = openrcm("x12", "validate", "--max-problems", "-1", path)
    expect(negative.code).toBe(1)
    expect(negative.stdout).not.toContain("line-unbalanced")
    expect(negative.stderr).toContain("--max-problems must be 0 or more")
  })

  // Streaming, proved with a V8 heap a fraction of the file: were the file (or the output) held whole, the process
  // would run out of memory. The young generation is bounded too (--max-semi-space-size=1), so the bound is the
  // whole heap; without it V8 sizes that generation from the machine and, near a small old-space limit, the
  // collector thrashes (ten times slower for the same memory).
  const heapMb = 64
  const heapFlags = [`--max-old-space-size=${heapMb}`, "--max-semi-space-size=1"]
  const big835 = (name: string, claims: number, se?: string) => {
    const path = join(dir, name)
    const fd = openSync(path, "w")
    const bytes = write835(claims, (text) =>
      writeSync(fd, se !== undefined && text.startsWith("SE*") ? text.replace(/^SE\*\d+/, se) : text)
    )
    closeSync(fd)
    return { path, bytes }
  }

  it("x12 validate streams: a 200 MB 835 is checked to its last segment in a 64 MB heap", () => {
    // 650,000 claims, 15 segments each; SE01 made wrong, so the verdict depends on the last segment.
    const claims = 650_000
    const { path, bytes } = big835("big.835", claims, "SE*1")
    expect(bytes).toBeGreaterThan(3 * heapMb * 2 ** 20)
    const result = spawnSync(process.execPath, [...heapFlags, bin, "x12", "validate", path], {
      encoding: "utf8",
      timeout: 120_000
    })
    rmSync(path)
    expect(result.stderr).toContain(`${path}: 1 error(s), 0 warning(s)`)
    expect(result.status).toBe(1)
    expect(result.stdout).toBe(
      `error segment-count: SE01 counts 1 segments; there are ${15 * claims + 8} (ISA 000000001 / GS 1 / ST 0001 / segment ${9 + 15 * claims} SE, element 1)\n`
    )
  }, 120_000)

  it("x12 read streams its output: JSON lines wait for a slow reader instead of piling up in memory", async () => {
    // 100,000 claims: about 30 MB of X12 and 140 MB of JSON lines, more than twice the heap.
    const claims = 100_000
    const { path } = big835("read.835", claims)
    const child = spawn(process.execPath, [...heapFlags, bin, "x12", "read", path], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let items = 0
    let output = 0
    let rest = ""
    const others: Array<Line> = []
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text
    })
    const stdout = child.stdout.setEncoding("utf8")
    // A reader that takes nothing for the first 3 seconds: output written regardless of it would fill the heap.
    stdout.pause()
    setTimeout(() => stdout.resume(), 3_000)
    stdout.on("data", (text: string) => {
      output += text.length
      const parts = (rest + text).split("\n")
      rest = parts.pop() as string
      for (const line of parts) {
        if (line.startsWith('{"_tag":"Item"')) items++
        else others.push(JSON.parse(line) as Line)
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    rmSync(path)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    expect(rest).toBe("")
    expect(output).toBeGreaterThan(2 * heapMb * 2 ** 20)
    expect(items).toBe(claims)
    expect(others.map((e) => e._tag)).toEqual(["Interchange", "Group", "Transaction"])
    expect(others[2]?.model).toMatchObject({
      claimCount: claims,
      balanced: { lines: true, claims: true, transaction: true }
    })
  }, 120_000)
})
