// Fuzzing: mutated fixtures through the whole reader (every typed model on). No input may throw anything but the
// typed X12ParseError, hang (each read must take well under a second) or return garbage counts.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Problem, X12 } from "@openrcm/x12"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const inputs = readdirSync(fixtures)
  .filter((f) => f.endsWith(".x12"))
  .map((f) => readFileSync(join(fixtures, f), "utf8"))

// How many mutated inputs a run reads: 100,000 in CI (`FUZZ_RUNS` overrides).
const runs = Number(process.env.FUZZ_RUNS ?? 100_000)

// A small deterministic generator, so a failure names a reproducible case.
const random = (seed: number) => {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4_294_967_296
  }
}

const alphabet = "*~:^|>\r\n \t0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-ISAGSSTSECLPSVCCASBPRPLBHLNM1\uFEFF\u0000é"

const mutate = (input: string, next: () => number): string => {
  let text = input
  const edits = 1 + Math.floor(next() * 4)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (text.length + 1))
    const kind = Math.floor(next() * 7)
    const char = alphabet[Math.floor(next() * alphabet.length)] ?? "*"
    if (kind === 0)
      text = text.slice(0, at) + char + text.slice(at + 1) // replace
    else if (kind === 1)
      text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 40)) // delete
    else if (kind === 2)
      text = text.slice(0, at) + char + text.slice(at) // insert
    else if (kind === 3)
      text = text.slice(0, at) // truncate
    else if (kind === 4) {
      const from = Math.floor(next() * text.length)
      text = text.slice(0, at) + text.slice(from, from + Math.floor(next() * 200)) + text.slice(at) // duplicate
    } else if (kind === 5)
      text = `${text.slice(0, at)}~${text.slice(at)}` // split a segment
    else text = text.replaceAll(char, alphabet[Math.floor(next() * alphabet.length)] ?? "~") // swap a character everywhere
  }
  return text
}

describe("fuzzing", () => {
  it(`reads ${runs.toLocaleString("en-US")} mutated fixtures without an untyped exception, a hang or a bad count`, () => {
    const next = random(20_251_127)
    let slowest = 0
    let failures = 0
    for (let i = 0; i < runs; i++) {
      const input = mutate(inputs[i % inputs.length] as string, next)
      const start = performance.now()
      for (const mode of ["tolerant", "strict"] as const) {
        const result = X12.readText(input, { mode })
        if (result._tag === "Failure") {
          failures++
          expect(result.error.problem.code).toMatch(/^[a-z0-9-]+$/u)
          expect(Problem.position(result.error.problem)).toBeTypeOf("string")
        } else {
          for (const p of result.problems) expect(p.severity === "error" || p.severity === "warning").toBe(true)
        }
      }
      slowest = Math.max(slowest, performance.now() - start)
    }
    // Plenty of mutations must break the input, or the fuzzer is not fuzzing.
    expect(failures).toBeGreaterThan(runs / 100)
    expect(slowest).toBeLessThan(1000)
  }, 600_000)
})
