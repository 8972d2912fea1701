// Streaming gives the whole-file result for every chunk size: `X12.readChunks` over strings and over UTF-8 bytes,
// and `X12.stream`, on every fixture, in both modes. The whole-file read is the reference: `X12.readText`'s
// interchanges, items, models and problems, and the events a `Reader` hands out over the whole text, in order.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import v8 from "node:v8"
import { runInNewContext } from "node:vm"
import { it as effectIt } from "@effect/vitest"
import { type Problem, X12 } from "@openrcm/x12"
import { type Event, Reader } from "@openrcm/x12/Reader"
import { Cause, Effect, Exit, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { text835 } from "../bench/generate.ts"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const files = readdirSync(fixtures)
  .filter((f) => f.endsWith(".x12"))
  .sort()
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8")

type Mode = "strict" | "tolerant"
const modes: ReadonlyArray<Mode> = ["tolerant", "strict"]

/**
 * The bound on problems every read here is given, streaming or whole: by default the streaming readers have none
 * and readText 100,000, so the same result needs the same options. One broken input reaches it.
 */
const maxProblems = 1000

/**
 * A compact canonical form for comparing large results: JSON, with `undefined` kept apart from a missing key
 * (plain JSON would drop both alike) and every object's keys sorted.
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return "\u0000undefined"
    if (typeof v === "bigint") return `\u0000bigint:${v}`
    if (v instanceof Map) return { "\u0000map": [...v.entries()] }
    if (v instanceof Set) return { "\u0000set": [...v] }
    // Keys in order: a problem carried by an error has its keys in the schema's order, an event's in the reader's.
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    return v
  })

interface Outcome {
  /** Every event handed out, in order. */
  readonly events: ReadonlyArray<Event>
  /** The problem the read stopped at, if it stopped. */
  readonly failure: Problem.Problem | undefined
}

/**
 * The reference: one Reader over the whole text, every event as it happens (what `readText` collects). A read that
 * stops hands out the stopping problem as the thrown error only, not also as a last event: that is how a chunked
 * read reports it.
 */
const wholeText = (text: string, mode: Mode): Outcome => {
  const events: Array<Event> = []
  const reader = new Reader({ models: X12.models, mode, maxProblems }, (event) => events.push(event))
  try {
    reader.push(text)
    reader.end()
    return { events, failure: undefined }
  } catch (error) {
    if (!(error instanceof Error) || (error as { _tag?: string })._tag !== "X12ParseError") throw error
    const problem = (error as unknown as { problem: Problem.Problem }).problem
    const last = events.at(-1)
    if (last?._tag === "Problem" && canonical(last.problem) === canonical(problem)) events.pop()
    return { events, failure: problem }
  }
}

const problemsOf = (outcome: Outcome): Array<Problem.Problem> => [
  ...outcome.events.flatMap((e) => (e._tag === "Problem" ? [e.problem] : [])),
  ...(outcome.failure === undefined ? [] : [outcome.failure])
]

async function* fromArray<A>(chunks: ReadonlyArray<A>): AsyncGenerator<A> {
  for (const chunk of chunks) yield chunk
}

const stringChunks = (text: string, size: number): Array<string> => {
  const out: Array<string> = []
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size))
  return out
}

const byteChunks = (bytes: Uint8Array, size: number): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size))
  return out
}

const viaChunks = async (chunks: ReadonlyArray<string | Uint8Array>, mode: Mode): Promise<Outcome> => {
  const events: Array<Event> = []
  try {
    for await (const event of X12.readChunks(fromArray(chunks), { mode, maxProblems })) events.push(event)
    return { events, failure: undefined }
  } catch (error) {
    expect(error).toMatchObject({ _tag: "X12ParseError" })
    return { events, failure: (error as { problem: Problem.Problem }).problem }
  }
}

const viaStream = (chunks: ReadonlyArray<string | Uint8Array>, mode: Mode): Effect.Effect<Outcome> =>
  Effect.gen(function* () {
    const events: Array<Event> = []
    const exit = yield* Effect.exit(
      Stream.runForEach(X12.stream(Stream.fromIterable(chunks), { mode, maxProblems }), (event) =>
        Effect.sync(() => {
          events.push(event)
        })
      )
    )
    if (Exit.isSuccess(exit)) return { events, failure: undefined }
    const error = Cause.squash(exit.cause)
    expect(error).toMatchObject({ _tag: "X12ParseError" })
    return { events, failure: (error as { problem: Problem.Problem }).problem }
  })

/** Chunk sizes: every size from 1 to 256, and sizes around the reader's slice and past a fixture's length. */
const allSizes = [
  ...Array.from({ length: 256 }, (_, i) => i + 1),
  4095,
  4096,
  16_383,
  16_384,
  16_385,
  65_536,
  Number.POSITIVE_INFINITY
]

const whole = new Map(
  files.map((file) => {
    const text = fixture(file)
    return [file, { text, bytes: new TextEncoder().encode(text) }] as const
  })
)

describe("the reference: a Reader over the whole text is what readText returns", () => {
  it.each(files.flatMap((file) => modes.map((mode) => [file, mode] as const)))("%s, %s", (file, mode) => {
    const { text } = whole.get(file) ?? { text: "" }
    const reference = wholeText(text, mode)
    const read = X12.readText(text, { mode, maxProblems })
    expect(problemsOf(reference)).toEqual(read.problems)
    if (read._tag === "Failure") {
      expect(reference.failure).toEqual(read.error.problem)
    } else {
      expect(reference.failure).toBeUndefined()
      const collector = new X12.Collector()
      for (const event of reference.events) collector.add(event)
      expect(collector.interchanges).toEqual(read.interchanges)
    }
  })
})

/** Fewer sizes, for the broken inputs: every size to 64, around the ISA's length and the reader's slice. */
const fewerSizes = [...allSizes.slice(0, 64), 105, 106, 107, 4096, 16_385, Number.POSITIVE_INFINITY]

/** Broken inputs made from a fixture: where a reader must stop or recover at the end of the input. */
const pyx12 = fixture("835_pyx12_t1005_mult_loops.x12")
const broken: ReadonlyArray<readonly [string, string]> = [
  // Cut inside a segment: the last segment has no terminator, the set no SE (strict: missing-se at the end).
  ["cut inside the last segment", pyx12.slice(0, pyx12.indexOf("LQ*HE*N14~") + "LQ*HE*N14".length)],
  // Cut after a terminator: no SE, GE or IEA.
  ["cut after a terminator", pyx12.slice(0, pyx12.indexOf("SE*31*0001~"))],
  // An ISA that is not one.
  ["a short ISA", "ISA*00*short~GS*HP~"],
  // Not X12 at all.
  ["not X12", "hello, world"],
  // The bound on problems (`maxProblems`, given to every read) reached at the end of the input, in either mode: 999 bad
  // segment ids, then a last segment without its terminator (a warning) in a set without its SE (an error).
  ["a thousand problems, the last at the end", `${pyx12.slice(0, pyx12.indexOf("BPR*"))}${"1~".repeat(999)}LQ*HE*N14`]
]

/**
 * Reads `text` with readChunks at every chunk size, as strings or as bytes, and checks it against the whole-file
 * read: the same events in the same order, the same stopping problem (failure and position), and readText's
 * problems and interchanges.
 */
const sweep = async (text: string, mode: Mode, kind: "strings" | "bytes", sizes: ReadonlyArray<number> = allSizes) => {
  const bytes = new TextEncoder().encode(text)
  const expected = canonical(wholeText(text, mode))
  const read = X12.readText(text, { mode, maxProblems })
  const differ: Array<number> = []
  for (const size of sizes) {
    const chunks =
      kind === "strings"
        ? stringChunks(text, Math.min(size, text.length))
        : byteChunks(bytes, Math.min(size, bytes.length))
    if (canonical(await viaChunks(chunks, mode)) !== expected) differ.push(size)
  }
  // The sizes whose events or failure differ from the whole-file read's (all of them, to tell a pattern).
  expect(differ).toEqual([])
  // And in readText's own terms: the same outcome and problems, and (when it succeeds) the same interchanges.
  for (const chunks of kind === "strings" ? [stringChunks(text, 1), [text]] : [byteChunks(bytes, 1), [bytes]]) {
    const got = await viaChunks(chunks, mode)
    expect(got.failure).toEqual(read._tag === "Failure" ? read.error.problem : undefined)
    expect(problemsOf(got)).toEqual(read.problems)
    if (read._tag === "Success") {
      const collector = new X12.Collector()
      for (const event of got.events) collector.add(event)
      expect(collector.interchanges).toEqual(read.interchanges)
    }
  }
}

describe("X12.readChunks gives the whole-file result at every chunk size", () => {
  for (const mode of modes)
    for (const kind of ["strings", "bytes"] as const)
      it.each(files)(`%s, ${mode}, ${kind}`, (file) => sweep(whole.get(file)?.text ?? "", mode, kind), 60_000)
})

describe("X12.readChunks on broken input gives the whole-file result at every chunk size", () => {
  for (const mode of modes)
    for (const kind of ["strings", "bytes"] as const)
      it.each(broken)(`%s, ${mode}, ${kind}`, (_name, text) => sweep(text, mode, kind, fewerSizes), 60_000)
})

describe("X12.stream gives the whole-file result", () => {
  const streamSizes = [1, 2, 3, 7, 64, 105, 106, 107, 4096, 16_385, Number.POSITIVE_INFINITY]
  for (const mode of modes)
    effectIt.effect(`every fixture and the broken inputs, ${mode}, strings and bytes`, () =>
      Effect.gen(function* () {
        const differ: Array<string> = []
        for (const [file, text] of [...files.map((f) => [f, whole.get(f)?.text ?? ""] as const), ...broken] as const) {
          const bytes = new TextEncoder().encode(text)
          const expected = canonical(wholeText(text, mode))
          const read = X12.readText(text, { mode, maxProblems })
          const failure = canonical(read._tag === "Failure" ? read.error.problem : undefined)
          for (const size of streamSizes) {
            for (const chunks of [
              stringChunks(text, Math.max(1, Math.min(size, text.length))),
              byteChunks(bytes, Math.max(1, Math.min(size, bytes.length)))
            ]) {
              const got = yield* viaStream(chunks, mode)
              // The events, and the failure (readText's, at the same position), as the whole-file read's.
              if (canonical(got) !== expected || canonical(got.failure) !== failure)
                differ.push(`${file} ${typeof chunks[0] === "string" ? "strings" : "bytes"} ${size}`)
            }
          }
        }
        expect(differ).toEqual([])
      })
    )
})

describe("characters past ASCII, split anywhere", () => {
  // An otherwise valid 835 whose payer, contact and patient names carry 2-, 3- and 4-byte UTF-8 characters.
  const text = fixture("835_pyx12_t1005_mult_loops.x12")
    .replace("N1*PR*PAYER~", "N1*PR*PAYÉR 日本 😀~")
    .replace("PER*BL*JOHN WAYNE*", "PER*BL*JOHN WAYNÉ 😀*")
    .replace("NM1*QC*1*BACH*JOHANN*", "NM1*QC*1*BÄCH日本😀*JOHANNÉ*")
  const bytes = new TextEncoder().encode(text)

  it("is a valid file whose read keeps the characters", () => {
    expect(bytes.length).toBeGreaterThan(text.length)
    const read = X12.readText(text, { mode: "strict" })
    expect(read._tag).toBe("Success")
    expect(read.problems).toEqual([])
    const content = canonical(read._tag === "Success" ? read.interchanges : [])
    for (const name of ["PAYÉR 日本 😀", "BÄCH日本😀", "JOHANNÉ"]) expect(content).toContain(name)
  })

  for (const mode of modes)
    it(`reads the same from two chunks split at every byte and every UTF-16 offset, and from small chunks (${mode})`, async () => {
      const expected = canonical(wholeText(text, mode))
      const differ: Array<string> = []
      for (let at = 0; at <= bytes.length; at++) {
        const got = await viaChunks([bytes.subarray(0, at), bytes.subarray(at)], mode)
        if (canonical(got) !== expected) differ.push(`bytes@${at}`)
      }
      for (let at = 0; at <= text.length; at++) {
        // Splits a surrogate pair too: the halves arrive in different chunks.
        const got = await viaChunks([text.slice(0, at), text.slice(at)], mode)
        if (canonical(got) !== expected) differ.push(`string@${at}`)
      }
      for (let size = 1; size <= 8; size++) {
        if (canonical(await viaChunks(byteChunks(bytes, size), mode)) !== expected) differ.push(`bytes/${size}`)
        if (canonical(await viaChunks(stringChunks(text, size), mode)) !== expected) differ.push(`string/${size}`)
      }
      expect(differ).toEqual([])
    }, 60_000)
})

describe("a huge single chunk", () => {
  // About 5 MB: past the reader's 16 KiB slice many times over, with multi-byte names so that slice boundaries
  // fall inside characters (a UTF-8 sequence in bytes, a surrogate pair in strings).
  const text = text835(17_000).replaceAll("NM1*QC*1*DOE*JANE*", "NM1*QC*1*DOÉ日本😀*JANE*")
  const bytes = new TextEncoder().encode(text)

  it("as a string and as bytes, gives readText's result", async () => {
    expect(text.length).toBeGreaterThan(5_000_000)
    const read = X12.readText(text)
    expect(read._tag).toBe("Success")
    if (read._tag !== "Success") return
    expect(read.problems).toEqual([])
    expect(read.interchanges[0]?.groups[0]?.transactions[0]?.items).toHaveLength(17_000)
    const expected = canonical(read.interchanges)
    for (const chunk of [text, bytes]) {
      const got = await viaChunks([chunk], "tolerant")
      expect(problemsOf(got)).toEqual([])
      const collector = new X12.Collector()
      for (const event of got.events) collector.add(event)
      const content = canonical(collector.interchanges)
      expect(content.length).toBe(expected.length)
      expect(content === expected).toBe(true)
    }
  }, 60_000)
})

describe("memory", () => {
  it("a reader keeps no chunk it has read: what it shares across claims it copies out", () => {
    // A full collection on demand (vitest's workers run without --expose-gc).
    v8.setFlagsFromString("--expose-gc")
    const gc = runInNewContext("gc") as () => void
    const reader = new Reader({ models: X12.models, keepProblems: false }, () => {})
    reader.push(text835(1).split("LX*1~")[0] as string)
    const filler = "X".repeat(8000)
    // Each chunk a string of its own, one claim whose names and procedure are new and long enough that V8 would
    // cut them as views into the chunk.
    const chunk = (i: number) =>
      [
        `LX*${i + 1}~CLP*PCN${i}*1*100*80*20*12*PAYERCN${i}*11*1~`,
        `NM1*QC*1*PATIENTLASTNAME${i}*PATIENTFIRSTNAME${i}****MI*MEMBERNUMBER${i}~`,
        `NM1*82*1*RENDERINGLASTNAME${i}*RENDERINGFIRST${i}****XX*1245319599~`,
        `SVC*HC:90834:95:HK:GT:U${i % 10}:LONG DESCRIPTION ${i}*100*80**1~CAS*PR*2*20~REF*ZZ*${filler}~`
      ].join("")
    for (let i = 0; i < 200; i++) reader.push(chunk(i))
    gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 200; i < 3200; i++) reader.push(chunk(i))
    gc()
    const kept = process.memoryUsage().heapUsed - before
    // Copied out, about 0.6 MB stays (the reader's tables and what they share); cut, about 12 MB.
    expect(kept).toBeLessThan(3 * 1_048_576)
  })
})
