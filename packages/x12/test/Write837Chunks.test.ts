// The 837P written claim by claim (write837Chunks, stream837) is the very text write837 writes from the whole
// batch, handed out in pieces that stay small; a claim that does not validate stops it with its path.
import { it as effectIt } from "@effect/vitest"
import { X12 } from "@openrcm/x12"
import {
  type Claim837,
  type Controls,
  type Header837,
  type Submission837,
  stream837,
  type WriteOptions,
  write837,
  write837Chunks,
  X12WriteError
} from "@openrcm/x12/Claim837"
import { Effect, Exit, Result, Stream } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { submission837 } from "../bench/generate.ts"
import { delimiterSets, submissionArb } from "./arbitraries.js"

const controls: Controls = { interchange: "000000123", group: "45", transaction: "0001" }
const fixed: WriteOptions = { usage: "T", date: "20250304", time: "1200", sender: "OPENRCM", receiver: "CLEARHOUSE" }

const headerOf = ({ claims: _claims, ...header }: Submission837): Header837 => header

const collect = async (chunks: AsyncIterable<string>): Promise<Array<string>> => {
  const out: Array<string> = []
  for await (const chunk of chunks) out.push(chunk)
  return out
}

const chunksOf = (
  header: Header837,
  claims: Iterable<Claim837> | AsyncIterable<Claim837>,
  options: WriteOptions = fixed
): AsyncIterable<string> => {
  const written = write837Chunks(header, claims, controls, options)
  if (Result.isFailure(written)) throw new Error(JSON.stringify(written.failure))
  return written.success
}

const whole = (submission: Submission837, options: WriteOptions = fixed): string => {
  const written = write837(submission, controls, options)
  if (Result.isFailure(written)) throw new Error(JSON.stringify(written.failure))
  return written.success
}

async function* slowly<A>(items: ReadonlyArray<A>): AsyncGenerator<A> {
  for (const item of items) {
    await Promise.resolve()
    yield item
  }
}

/** A claim whose patient's name is past ASCII: the writer's fast byte path hands it to its string path. */
const accented = (claim: Claim837): Claim837 => ({
  ...claim,
  subscriber: { ...claim.subscriber, name: { ...claim.subscriber.name, last: "NUÑEZ" } }
})

describe("837P written claim by claim", () => {
  it("is write837's text, from an iterable and from an async iterable, with any delimiters", async () => {
    await fc.assert(
      fc.asyncProperty(
        submissionArb,
        delimiterSets,
        fc.boolean(),
        fc.boolean(),
        async (submission, d, newline, lazy) => {
          const options = { ...fixed, delimiters: d, newline }
          const claims = lazy ? slowly(submission.claims) : submission.claims
          const text = (await collect(chunksOf(headerOf(submission), claims, options))).join("")
          expect(text).toBe(whole(submission, options))
        }
      ),
      { numRuns: 60 }
    )
  })

  it("keeps claims past ASCII in place among the others", async () => {
    const batch = submission837(30)
    const claims = batch.claims.map((claim, i) => (i % 7 === 3 ? accented(claim) : claim))
    const submission = { ...batch, claims }
    const text = (await collect(chunksOf(headerOf(submission), claims))).join("")
    expect(text).toBe(whole(submission))
    expect(text).toContain("NUÑEZ")
  })

  it("hands out pieces of about 64 KiB, whatever the batch's size, and the pieces read back as one interchange", async () => {
    const batch = submission837(5_000)
    const pieces = await collect(chunksOf(headerOf(batch), batch.claims))
    const text = pieces.join("")
    expect(text).toBe(whole(batch))
    expect(pieces.length).toBeGreaterThan(10)
    // Between the header and the trailer, a piece ends at the first claim that takes it to 64 KiB: never much more.
    const middle = pieces.slice(1, -1).map((p) => p.length)
    expect(Math.min(...middle)).toBeGreaterThanOrEqual(65_536)
    expect(Math.max(...middle)).toBeLessThan(70_000)
    const read = X12.readText(text, { mode: "strict" })
    expect(read._tag).toBe("Success")
    if (read._tag === "Success") {
      expect(read.problems).toEqual([])
      expect(read.interchanges[0]?.groups[0]?.transactions[0]?.items).toHaveLength(5_000)
    }
  })

  it("refuses a wrong header before writing anything", () => {
    const batch = submission837(2)
    const header = { ...headerOf(batch), billingProvider: { ...batch.billingProvider, npi: "1234567890" } }
    const written = write837Chunks(header, batch.claims, controls, fixed)
    expect(Result.isFailure(written)).toBe(true)
    if (Result.isFailure(written)) expect(written.failure.map((f) => f.path)).toEqual(["billingProvider.npi"])
  })

  it("stops at a wrong claim with its path from the batch's start, having written only the claims before it", async () => {
    const batch = submission837(5)
    const claims = batch.claims.map((claim, i) =>
      i === 3 ? { ...claim, claim: { ...claim.claim, lines: [] } } : claim
    )
    const pieces: Array<string> = []
    const error = await (async () => {
      try {
        for await (const piece of chunksOf(headerOf(batch), claims)) pieces.push(piece)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(X12WriteError)
    const failures = (error as X12WriteError).failures
    expect(failures.length).toBeGreaterThan(0)
    expect(failures.every((f) => f.path.startsWith("claims[3]."))).toBe(true)
    // No trailer: what was handed out is not an interchange.
    expect(pieces.join("")).not.toContain("IEA*")
  })

  it("refuses a batch without claims once it ends", async () => {
    const batch = submission837(1)
    await expect(collect(chunksOf(headerOf(batch), []))).rejects.toMatchObject({
      _tag: "X12WriteError",
      failures: [{ path: "claims", message: "needs at least one claim" }]
    })
  })

  effectIt.effect("stream837 is the same text, in Effect, and fails with X12WriteError", () =>
    Effect.gen(function* () {
      const batch = submission837(300)
      const pieces = yield* Stream.runCollect(
        stream837(headerOf(batch), Stream.fromIterable(batch.claims), controls, fixed)
      )
      expect(pieces.join("")).toBe(whole(batch))
      const wrongHeader = yield* Effect.exit(
        Stream.runCollect(
          stream837({ ...headerOf(batch), submitter: undefined as never }, Stream.empty, controls, fixed)
        )
      )
      expect(Exit.isFailure(wrongHeader)).toBe(true)
      const wrongClaim = yield* Stream.runCollect(
        stream837(
          headerOf(batch),
          Stream.fromIterable(batch.claims.map((c, i) => (i === 1 ? { ...c, payer: { ...c.payer, id: "" } } : c))),
          controls,
          fixed
        )
      ).pipe(Effect.flip)
      expect(wrongClaim).toBeInstanceOf(X12WriteError)
      expect(wrongClaim._tag === "X12WriteError" && wrongClaim.failures[0]?.path).toMatch(/^claims\[1\]\.payer/)
      // The claims' own failure goes through as it is, after the text of the claims before it.
      const pieces2: Array<string> = []
      const sourceFailed = yield* stream837(
        headerOf(batch),
        Stream.fromIterable(batch.claims.slice(0, 2)).pipe(Stream.concat(Stream.fail("cursor closed" as const))),
        controls,
        fixed
      ).pipe(
        Stream.runForEach((piece) => Effect.sync(() => pieces2.push(piece))),
        Effect.flip
      )
      expect(sourceFailed).toBe("cursor closed")
      expect(pieces2.join("")).not.toContain("IEA*")
    })
  )
})
