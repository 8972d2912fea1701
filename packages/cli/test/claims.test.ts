// `openrcm claims build|scrub|submit` on an embedded store, and `openrcm x12 837`, through the real binary. The
// store's data folder is seeded through the library first (test/seed.ts); each CLI process then starts PGlite
// on it (a second or two), so the claims are carried from one test to the next rather than built again.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Batch837 } from "@openrcm/clearinghouse-x12"
import { beforeAll, describe, expect, it } from "vitest"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import { openrcm } from "./run.js"
import { encodeSessions, seedPractice, session, tenantId } from "./seed.js"

const dir = mkdtempSync(join(tmpdir(), "openrcm-claims-"))
const data = join(dir, "data")
const store = ["--data", data, "--tenant", tenantId]
const file = (name: string, content: unknown) => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content))
  return path
}
const parties = [
  "--submitter-id",
  "RIVERBEND01",
  "--submitter-name",
  "RIVERBEND BEHAVIORAL HEALTH",
  "--receiver-id",
  "CLEARHOUSE1",
  "--contact-phone",
  "5035550100",
  "--usage",
  "T"
]

type Finding = { edit: string; severity: string; denial: unknown; message: string; suggestion: string; fix?: unknown }
type ScrubEntry = { claimId: string; outcome: string; status: string; blocked: boolean; findings: Array<Finding> }

// Claim ids as the build reports them: two Acme Health days, one Medicaid day.
const ids = { acme1: "", acme2: "", medicaid: "" }

describe("openrcm claims", () => {
  beforeAll(() => seedPractice(data), 60_000)

  it("build reads coded sessions, builds them into the store and writes the report; a session left out exits 2", () => {
    const sessions = file(
      "sessions.json",
      encodeSessions([
        session("s-1", "2025-05-05"),
        session("s-2", "2025-05-06", "90837"),
        session("s-3", "2025-05-07", "H0004", "riley"),
        // No schedule rates 90832: the session is left off every claim, and reported.
        session("s-4", "2025-05-08", "90832")
      ])
    )
    const out = join(dir, "build-report.json")
    const { code, stdout, stderr } = openrcm("claims", "build", sessions, ...store, "--out", out)
    expect(stderr).toBe("")
    expect(code).toBe(2)
    expect(stdout).toBe("")
    const text = readFileSync(out, "utf8")
    const report = JSON.parse(text)
    expect(report.summary).toEqual({ sessions: 4, created: 3, existing: 0, rebuilt: 0, late: 0, problems: 1 })
    expect(report.problems).toEqual([
      { _tag: "NoRate", sessionId: "s-4", payerId: "payer-acme", code: "90832", modifiers: [] }
    ])
    const bySession = new Map<string, { claimId: string; charge: number; status: string }>(
      report.created.map((c: { sessions: Array<string>; claimId: string; charge: number; status: string }) => [
        c.sessions[0],
        c
      ])
    )
    expect([...bySession.values()].map((c) => [c.status, c.charge])).toEqual([
      ["draft", 13500],
      ["draft", 18000],
      ["draft", 2500]
    ])
    ids.acme1 = bySession.get("s-1")?.claimId ?? ""
    ids.acme2 = bySession.get("s-2")?.claimId ?? ""
    ids.medicaid = bySession.get("s-3")?.claimId ?? ""
    // Ids, codes and money only: no name, date of birth, date of service or diagnosis.
    for (const phi of [F.jordan.lastName, "F43.10", "2025-05-05", F.jordan.memberId]) expect(text).not.toContain(phi)
  })

  it("scrub --all moves clean claims to ready, reports each claim's findings, and exits 2 when one is blocked", () => {
    const { code, stdout, stderr } = openrcm("claims", "scrub", "--all", "--as-of", "2025-05-20", ...store)
    expect(stderr).toBe("")
    expect(code).toBe(2)
    const report = JSON.parse(stdout)
    expect(report.summary).toEqual({ claims: 3, ready: 2, blocked: 1, skipped: 0, notFound: 0 })
    const byId = new Map<string, ScrubEntry>(report.claims.map((c: ScrubEntry) => [c.claimId, c]))
    expect(byId.get(ids.acme1)).toMatchObject({ outcome: "scrubbed", status: "ready", blocked: false })
    const blocked = byId.get(ids.medicaid)
    expect(blocked).toMatchObject({ outcome: "scrubbed", status: "scrubbed", blocked: true })
    const finding = blocked?.findings.find((f) => f.edit === "credential-modifier")
    expect(finding).toMatchObject({ severity: "error", fix: { _tag: "AddModifier", line: 0, modifier: "HO" } })
    expect(Object.keys(finding ?? {}).sort()).toEqual(
      ["denial", "edit", "fix", "line", "message", "severity", "suggestion"].sort()
    )
    expect(stdout).not.toContain(F.jordan.lastName)
  })

  it("submit --mailbox drops an 837P in <dir>/outbound that x12 validate accepts, and reports the claim submitted", () => {
    const mailbox = join(dir, "mailbox")
    mkdirSync(mailbox)
    const { code, stdout, stderr } = openrcm("claims", "submit", ids.acme1, "--mailbox", mailbox, ...parties, ...store)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.summary).toMatchObject({ claims: 1, queued: 1, refused: 0, sent: 1, failed: 0 })
    expect(report.claims).toEqual([
      expect.objectContaining({ claimId: ids.acme1, status: "submitted", delivery: expect.anything() })
    ])
    const files = readdirSync(join(mailbox, "outbound")).filter((name) => name.endsWith(".837"))
    expect(files).toEqual([report.claims[0].delivery.reference])
    expect(existsSync(join(mailbox, "inbound"))).toBe(true)
    const read = Batch837.read(readFileSync(join(mailbox, "outbound", files[0] as string), "utf8"))
    expect(read.problems).toEqual([])
    expect(read.claims.map((c) => c.claimId)).toEqual([ids.acme1])
  })

  it("submit --sandbox sends the rest of the ready claims and applies the sandbox's 999 and 277CA", () => {
    const { code, stdout, stderr } = openrcm("claims", "submit", "--all-ready", "--sandbox", ...store)
    expect(stderr).toBe("")
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.claims).toEqual([
      expect.objectContaining({ claimId: ids.acme2, status: "accepted", answer: { status: "accepted", reasons: [] } })
    ])
    expect(report.summary).toMatchObject({ claims: 1, sent: 1, accepted: 1 })
  })

  it("a batch over 200 claims shows its progress on standard error, a line per chunk when it is not a terminal", () => {
    const many = Array.from({ length: 201 }, (_, i) => `missing-${i}`)
    const { code, stdout, stderr } = openrcm("claims", "scrub", ...many, ...store)
    expect(stderr.split("\n").filter((line) => line !== "")).toEqual(["scrubbed 200/201", "scrubbed 201/201"])
    expect(JSON.parse(stdout).summary).toEqual({ claims: 201, ready: 0, blocked: 0, skipped: 0, notFound: 201 })
    expect(code).toBe(2)
  })

  it("bad sessions are refused by JSON path before the store opens, never echoing a value", () => {
    const bad = file("bad-sessions.json", [
      { ...encodeSessions([session("s-9", "2025-05-05")])[0], dateOfService: "2025-02-30", diagnoses: ["Q-SECRET"] }
    ])
    const { code, stdout, stderr } = openrcm("claims", "build", bad, "--data", join(dir, "unused"), "--tenant", "t1")
    expect(code).toBe(1)
    expect(stdout).toBe("")
    expect(stderr).toContain("$[0].dateOfService")
    expect(stderr).toContain("$[0].diagnoses[0]")
    expect(stderr).not.toContain("2025-02-30")
    expect(stderr).not.toContain("Q-SECRET")
    expect(stderr).not.toMatch(/at .*\.js:\d+/)
    expect(existsSync(join(dir, "unused"))).toBe(false)
    const neither = openrcm("claims", "submit", "--all-ready", ...store)
    expect(neither.code).toBe(1)
    expect(neither.stderr).toContain("give --mailbox <dir> or --sandbox")
  })
})
