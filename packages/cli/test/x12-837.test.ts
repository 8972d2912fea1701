// `openrcm x12 837`: a claim batch (JSON) to an 837P file, with control numbers kept in a state folder.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Clearinghouse } from "@openrcm/core"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import { openrcm } from "./run.js"

const dir = mkdtempSync(join(tmpdir(), "openrcm-837-"))
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

describe("openrcm x12 837", () => {
  const batch = file(
    "batch.json",
    Schema.encodeSync(Clearinghouse.ClaimBatch)(F.batch("S-cli-1", [F.envelope("clm-cli-1"), F.envelope("clm-cli-2")]))
  )

  it("writes an 837P that x12 validate accepts, with control numbers that never repeat across runs", () => {
    const out = join(dir, "x12", "batch.837")
    const first = openrcm("x12", "837", batch, "--out", out, ...parties)
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ file: out, interchange: "000000001", usage: "T", claims: 2 })
    const text = readFileSync(out, "utf8")
    expect(text.startsWith("ISA*")).toBe(true)
    expect(text).toContain("*000000001*0*T*")
    expect(existsSync(join(dir, "x12", "openrcm-x12-state"))).toBe(true)
    const validated = openrcm("x12", "validate", out)
    expect(validated.stdout).toBe("")
    expect(validated.stderr).toContain("0 error(s), 0 warning(s)")
    expect(validated.code).toBe(0)
    const second = openrcm("x12", "837", batch, "--out", join(dir, "x12", "again.837"), ...parties)
    expect(JSON.parse(second.stdout)).toMatchObject({ interchange: "000000002", group: "2", transaction: "0002" })
  })

  it("names each missing party flag, and each bad field of the batch by JSON path", () => {
    const missing = openrcm("x12", "837", batch, "--out", join(dir, "x12", "none.837"))
    expect(missing.code).toBe(1)
    for (const flag of ["--submitter-id", "--submitter-name", "--receiver-id", "--contact-phone"]) {
      expect(missing.stderr).toContain(flag)
    }
    const bad = file("bad-batch.json", { ...JSON.parse(readFileSync(batch, "utf8")), claims: [] })
    const refused = openrcm("x12", "837", bad, "--out", join(dir, "x12", "bad.837"), ...parties)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("$.claims")
    expect(existsSync(join(dir, "x12", "bad.837"))).toBe(false)
  })
})
