// Fuzzing: mutated fixtures through the whole reader (every typed model on). No input may throw anything but the
// typed X12ParseError, hang (each read must take well under a second) or return garbage counts. A share of the
// inputs is also read in chunks of random sizes (strings or UTF-8 bytes), which must give readText's outcome.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Problem, X12 } from "@openrcm/x12"
import type { Event } from "@openrcm/x12/Reader"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const inputs = readdirSync(fixtures)
  .filter((f) => f.endsWith(".x12"))
  .map((f) => readFileSync(join(fixtures, f), "utf8"))

// How many mutated inputs a run reads: 100,000 by default. `FUZZ_RUNS` may raise it anywhere, and lower it only
// outside CI: in CI (`CI` set, as CI services do, or the suite run by scripts/test-all.sh, which sets
// `OPENRCM_TEST_GROUP`) a lower or unreadable number fails the run instead of silently fuzzing less.
const minimumInCi = 100_000
const runs = Number(process.env.FUZZ_RUNS ?? minimumInCi)
const inCi =
  (process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false" && process.env.CI !== "0") ||
  process.env.OPENRCM_TEST_GROUP !== undefined
/** Every how many inputs one is also read in chunks. */
const chunkedShare = 10
/**
 * The bound on problems given to every read, whole or in chunks: by default readText has 100,000 and the streaming
 * readers none, so the same outcome needs the same options.
 */
const maxProblems = 1000

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

/** JSON with every object's keys in order: a problem carried by an error has its keys in the schema's order. */
const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )

/** Chunks of random sizes: mostly small (every boundary matters), sometimes past the reader's 16 KiB slice. */
const randomChunks = (input: string, next: () => number): Array<string | Uint8Array> => {
  const bytes = next() < 0.5
  const whole: string | Uint8Array = bytes ? new TextEncoder().encode(input) : input
  const chunks: Array<string | Uint8Array> = []
  for (let at = 0; at < whole.length; ) {
    const roll = next()
    const size = roll < 0.4 ? 1 + Math.floor(next() * 16) : roll < 0.95 ? 1 + Math.floor(next() * 512) : 16_385
    chunks.push(typeof whole === "string" ? whole.slice(at, at + size) : whole.subarray(at, at + size))
    at += size
  }
  return chunks
}

async function* fromArray<A>(chunks: ReadonlyArray<A>): AsyncGenerator<A> {
  for (const chunk of chunks) yield chunk
}

/** readChunks' outcome in readText's terms: the problems (events, then the stopping one) and the interchanges. */
const viaChunks = async (
  chunks: ReadonlyArray<string | Uint8Array>,
  mode: "strict" | "tolerant"
): Promise<{ readonly tag: string; readonly problems: string; readonly interchanges: string }> => {
  const collector = new X12.Collector()
  const problems: Array<Problem.Problem> = []
  const add = (event: Event) => {
    collector.add(event)
    if (event._tag === "Problem") problems.push(event.problem)
  }
  try {
    for await (const event of X12.readChunks(fromArray(chunks), { mode, maxProblems })) add(event)
  } catch (error) {
    // Anything but the typed error is a bug, as in readText.
    expect(error).toMatchObject({ _tag: "X12ParseError" })
    const problem = (error as { problem: Problem.Problem }).problem
    return { tag: "Failure", problems: stable([...problems, problem]), interchanges: "" }
  }
  return { tag: "Success", problems: stable(problems), interchanges: stable(collector.interchanges) }
}

describe("fuzzing", () => {
  it("reads at least 100,000 inputs in CI", () => {
    expect(Number.isInteger(runs) && runs > 0).toBe(true)
    if (inCi) expect(runs).toBeGreaterThanOrEqual(minimumInCi)
  })

  it(`reads ${runs.toLocaleString("en-US")} mutated fixtures without an untyped exception, a hang or a bad count`, async () => {
    const next = random(20_251_127)
    const nextChunk = random(42_424_242)
    let slowest = 0
    let failures = 0
    let chunked = 0
    const differ: Array<string> = []
    for (let i = 0; i < runs; i++) {
      const input = mutate(inputs[i % inputs.length] as string, next)
      const start = performance.now()
      for (const mode of ["tolerant", "strict"] as const) {
        const result = X12.readText(input, { mode, maxProblems })
        // A share of the inputs, in chunks: the same outcome as the whole text (one mode each, in turn).
        if (i % chunkedShare === 0 && (i / chunkedShare) % 2 === (mode === "strict" ? 1 : 0)) {
          chunked++
          const chunks = randomChunks(input, nextChunk)
          const got = await viaChunks(chunks, mode)
          const want = {
            tag: result._tag,
            problems: stable(result.problems),
            interchanges: result._tag === "Success" ? stable(result.interchanges) : ""
          }
          if (got.tag !== want.tag || got.problems !== want.problems || got.interchanges !== want.interchanges)
            differ.push(`input ${i} (${mode}, ${typeof chunks[0] === "string" ? "strings" : "bytes"})`)
        }
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
    // Each input's reads (both modes, and in chunks when it was chosen) took well under a second.
    expect(slowest).toBeLessThan(1000)
    expect(chunked).toBe(Math.ceil(runs / chunkedShare))
    // The inputs whose chunked read differs from readText's: how many, and the first few.
    expect({ differing: differ.length, first: differ.slice(0, 10) }).toEqual({ differing: 0, first: [] })
  }, 600_000)
})
