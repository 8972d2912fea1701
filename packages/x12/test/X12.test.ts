// The public read API: a whole text, chunks and an Effect stream give the same events; failures are typed.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { it as effectIt } from "@effect/vitest"
import { Problem, X12 } from "@openrcm/x12"
import { Effect, Exit, Stream } from "effect"
import { describe, expect, it } from "vitest"

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12", name), "utf8")
const nebraska = fixture("835_oopfactory_nebraska_medicaid_deidentified.x12")

const chunksOf = (text: string, size: number) => {
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

describe("X12.readText", () => {
  it("collects interchanges, groups and transactions with their streamed items", () => {
    const result = X12.readText(nebraska)
    expect(result._tag).toBe("Success")
    if (result._tag !== "Success") return
    expect(result.interchanges).toHaveLength(3)
    const claims = result.interchanges.map((i) => i.groups[0]?.transactions[0]?.items.length)
    expect(claims).toEqual([19, 23, 14])
    expect(result.interchanges[0]?.groups[0]?.transactions[0]?.header.setId).toBe("835")
  })

  it("returns a Failure, never throws, on input it cannot read on from", () => {
    const result = X12.readText("not an interchange")
    expect(result._tag).toBe("Failure")
    expect(result._tag === "Failure" && result.error.problem.code).toBe("not-x12")
  })

  it("stops at the first error in strict mode, with its position", () => {
    const result = X12.readText(fixture("837P_imsweb_x12_valid.x12"), { mode: "strict" })
    expect(result._tag).toBe("Failure")
    expect(result._tag === "Failure" && Problem.position(result.error.problem)).toMatch(
      /^ISA \d+ \/ GS \d+ \/ ST \d+ \/ segment \d+ /
    )
  })
})

describe("streaming", () => {
  it("readChunks yields the same events as a whole-text read, from bytes in small chunks", async () => {
    const whole = X12.readText(nebraska)
    const bytes = new TextEncoder().encode(nebraska)
    async function* source() {
      for (let i = 0; i < bytes.length; i += 37) yield bytes.subarray(i, i + 37)
    }
    const collector = new X12.Collector()
    for await (const event of X12.readChunks(source())) collector.add(event)
    expect(whole._tag === "Success" && collector.interchanges).toEqual(whole._tag === "Success" && whole.interchanges)
  })

  it("readChunks throws the typed error where readText returns a Failure", async () => {
    async function* source() {
      yield "garbage"
    }
    await expect(async () => {
      for await (const _ of X12.readChunks(source())) void _
    }).rejects.toMatchObject({ _tag: "X12ParseError" })
  })

  effectIt.effect("X12.stream gives the same items and fails with X12ParseError", () =>
    Effect.gen(function* () {
      const events = yield* Stream.runCollect(X12.stream(Stream.fromIterable(chunksOf(nebraska, 101))))
      expect(Array.from(events).filter((e) => e._tag === "Item")).toHaveLength(19 + 23 + 14)
      const failed = yield* Effect.exit(Stream.runCollect(X12.stream(Stream.fromIterable(["ISA*short~"]))))
      expect(Exit.isFailure(failed) && String(failed)).toContain("X12ParseError")
      const read = yield* Effect.exit(X12.read("hello"))
      expect(Exit.isFailure(read)).toBe(true)
    })
  )
})
