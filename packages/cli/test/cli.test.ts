import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { schemaNames } from "@openrcm/cli"
import { describe, expect, it } from "vitest"
import packageJson from "../package.json" with { type: "json" }

const bin = join(import.meta.dirname, "..", "dist", "bin.js")
const openrcm = (...args: Array<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 30_000 })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
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

  it.each(schemaNames)("schema %s prints valid JSON", (name) => {
    const { code, stdout } = openrcm("schema", name)
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toHaveProperty("$schema")
  })

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
})
