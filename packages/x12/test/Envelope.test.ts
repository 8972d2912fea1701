// Envelopes: ISA/IEA, GS/GE and ST/SE counts, control numbers, trailers left out and repeated control numbers, each
// with its position; strict mode stops at the first error, tolerant mode files every set where it was read; chunks of
// any size give the whole text's events and problems; and a bound on how many problems any input can cost.
import { Problem, Reader, Remittance, X12 } from "@openrcm/x12"
import { Cause, Effect, Exit, Stream } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { text835 } from "../bench/generate.ts"

interface Delimiters {
  readonly element: string
  readonly component: string
  readonly repetition: string
  readonly segment: string
}

const star: Delimiters = { element: "*", component: ":", repetition: "^", segment: "~" }
const pipe: Delimiters = { element: "|", component: ">", repetition: "!", segment: "\n" }

/** A segment of a built file: its elements (the id first) and the delimiters of its interchange. */
interface Built {
  readonly elements: Array<string>
  readonly delimiters: Delimiters
}

interface Spec {
  readonly control: string
  readonly delimiters?: Delimiters
  readonly groups: ReadonlyArray<{ readonly control: string; readonly sets: ReadonlyArray<string> }>
}

const pad = (text: string, width: number) => text.padEnd(width, " ")

const isa = (control: string, d: Delimiters): string =>
  [
    "ISA",
    "00",
    pad("", 10),
    "00",
    pad("", 10),
    "ZZ",
    pad("SENDER", 15),
    "ZZ",
    pad("RECEIVER", 15),
    "210101",
    "1200",
    d.repetition,
    "00501",
    control,
    "0",
    "T",
    d.component
  ].join(d.element) + d.segment

/** The segments of well-formed interchanges: every count and control number right. */
const build = (specs: ReadonlyArray<Spec>): Array<Built> => {
  const out: Array<Built> = []
  for (const spec of specs) {
    const delimiters = spec.delimiters ?? star
    const add = (...elements: Array<string>) => out.push({ elements, delimiters })
    add("ISA", spec.control)
    for (const group of spec.groups) {
      add("GS", "HS", "SENDER", "RECEIVER", "20210101", "1200", group.control, "X", "005010X279A1")
      for (const set of group.sets) {
        add("ST", "270", set, "005010X279A1")
        add("BHT", "0022", "13", "REF", "20210101", "1200")
        add("SE", "3", set)
      }
      add("GE", String(group.sets.length), group.control)
    }
    add("IEA", String(spec.groups.length), spec.control)
  }
  return out
}

const render = (segments: ReadonlyArray<Built>): string =>
  segments
    .map((s) =>
      s.elements[0] === "ISA"
        ? isa(s.elements[1] as string, s.delimiters)
        : s.elements.join(s.delimiters.element) + s.delimiters.segment
    )
    .join("")

/** The index of the n-th (0-based) segment with this id. */
const nth = (segments: ReadonlyArray<Built>, id: string, n = 0): number => {
  let seen = 0
  for (let i = 0; i < segments.length; i++) if (segments[i]?.elements[0] === id && seen++ === n) return i
  throw new Error(`no ${id} #${n}`)
}

const setElement = (segments: Array<Built>, at: number, n: number, value: string): Array<Built> =>
  segments.map((s, i) => (i === at ? { ...s, elements: s.elements.map((e, k) => (k === n ? value : e)) } : s))

const without = (segments: ReadonlyArray<Built>, ...at: Array<number>): Array<Built> =>
  segments.filter((_, i) => !at.includes(i))

/** Interchange 1: group 1 (sets 0001, 0002) and group 2 (set 0001); interchange 2, in `|` and newlines: one set. */
const base: ReadonlyArray<Spec> = [
  {
    control: "000000001",
    groups: [
      { control: "1", sets: ["0001", "0002"] },
      { control: "2", sets: ["0001"] }
    ]
  },
  { control: "000000002", delimiters: pipe, groups: [{ control: "1", sets: ["0001"] }] }
]

/** Where each set was filed: interchange / group / set control numbers. */
const filing = (result: X12.ReadResult): Array<string> =>
  result._tag === "Success"
    ? result.interchanges.flatMap((i) =>
        i.groups.flatMap((g) =>
          g.transactions.map((t) => `${i.interchange.control}/${g.group.control}/${t.header.control}`)
        )
      )
    : []

const baseFiling = ["000000001/1/0001", "000000001/1/0002", "000000001/2/0001", "000000002/1/0001"]

const chunksOf = (text: string, size: number): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

/** A streaming read: every event, and the error that stopped it. */
const streamed = async (text: string, size: number, options?: X12.Options) => {
  async function* source() {
    yield* chunksOf(text, size)
  }
  const events: Array<Reader.Event> = []
  let error: unknown
  try {
    for await (const event of X12.readChunks(source(), options)) events.push(event)
  } catch (e) {
    error = e
  }
  return { events, error }
}

/**
 * Chunks of 1, 7 and 64 characters give the same events as the whole text at once, and what a whole-text read
 * returns: the same interchanges, the same problems (the one that stopped the read last), the same error.
 */
const expectStreamingAgrees = async (text: string, options?: X12.Options) => {
  const whole = X12.readText(text, options)
  const reference = await streamed(text, text.length, options)
  const problems = reference.events.flatMap((e) => (e._tag === "Problem" ? [e.problem] : []))
  if (whole._tag === "Failure") {
    expect(reference.error).toBeInstanceOf(Problem.X12ParseError)
    expect((reference.error as Problem.X12ParseError).problem).toEqual(whole.error.problem)
    expect([...problems, whole.error.problem]).toEqual(whole.problems)
  } else {
    expect(reference.error).toBeUndefined()
    expect(problems).toEqual(whole.problems)
    const collector = new X12.Collector()
    for (const event of reference.events) collector.add(event)
    expect(collector.interchanges).toEqual(whole.interchanges)
  }
  for (const size of [1, 7, 64]) {
    const chunked = await streamed(text, size, options)
    expect(chunked.events).toEqual(reference.events)
    expect(chunked.error).toEqual(reference.error)
    const viaStream = await effected(text, size, options)
    expect(viaStream.events).toEqual(reference.events)
    expect(viaStream.error).toEqual(reference.error)
  }
}

/** The same through `X12.stream`: every event, and the error it failed with. */
const effected = async (text: string, size: number, options?: X12.Options) => {
  const events: Array<Reader.Event> = []
  const exit = await Effect.runPromiseExit(
    Stream.runForEach(X12.stream(Stream.fromIterable(chunksOf(text, size)), options), (event) =>
      Effect.sync(() => {
        events.push(event)
      })
    )
  )
  return { events, error: Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined }
}

/** The problem's code and position, for comparing. */
const at = (p: Problem.Problem) => ({
  code: p.code,
  severity: p.severity,
  interchange: p.interchange,
  group: p.group,
  transaction: p.transaction,
  segmentIndex: p.segmentIndex,
  segmentId: p.segmentId,
  element: p.element
})

interface Case {
  readonly name: string
  readonly segments: ReadonlyArray<Built>
  /** The last segment's terminator left out. */
  readonly cut?: boolean
  /** Every problem a tolerant read reports, in order, with its position. */
  readonly problems: ReadonlyArray<ReturnType<typeof at>>
  /** Where a tolerant read files each set. */
  readonly filing: ReadonlyArray<string>
}

const good = build(base)
const geOfGroup1 = nth(good, "GE", 0)
const firstIea = nth(good, "IEA", 0)
const firstSe = nth(good, "SE", 0)
const secondSe = nth(good, "SE", 1)
const thirdSe = nth(good, "SE", 2)
const secondGs = nth(good, "GS", 1)
const secondGe = nth(good, "GE", 1)
const secondIsa = nth(good, "ISA", 1)
const firstInterchange = { interchange: "000000001" }
const problem = (
  code: string,
  where: Partial<ReturnType<typeof at>>,
  severity: "error" | "warning" = "error"
): ReturnType<typeof at> => ({
  code,
  severity,
  interchange: undefined,
  group: undefined,
  transaction: undefined,
  segmentIndex: undefined,
  segmentId: undefined,
  element: undefined,
  ...where
})

/** The first interchange alone, so a trailer can be left out at the end of the input. */
const single = build([base[0] as Spec])

const cases: ReadonlyArray<Case> = [
  {
    name: "GE01 counts the wrong number of sets",
    segments: setElement(good, geOfGroup1, 1, "3"),
    problems: [
      problem("transaction-count", {
        ...firstInterchange,
        group: "1",
        segmentIndex: geOfGroup1,
        segmentId: "GE",
        element: 1
      })
    ],
    filing: baseFiling
  },
  {
    name: "IEA01 counts the wrong number of groups",
    segments: setElement(good, firstIea, 1, "1"),
    problems: [problem("group-count", { ...firstInterchange, segmentIndex: firstIea, segmentId: "IEA", element: 1 })],
    filing: baseFiling
  },
  {
    name: "SE01 counts the wrong number of segments",
    segments: setElement(good, firstSe, 1, "4"),
    problems: [
      problem("segment-count", {
        ...firstInterchange,
        group: "1",
        transaction: "0001",
        segmentIndex: firstSe,
        segmentId: "SE",
        element: 1
      })
    ],
    filing: baseFiling
  },
  {
    name: "GE02 differs from GS06",
    segments: setElement(good, geOfGroup1, 2, "9"),
    problems: [
      problem("control-mismatch", {
        ...firstInterchange,
        group: "1",
        segmentIndex: geOfGroup1,
        segmentId: "GE",
        element: 2
      })
    ],
    filing: baseFiling
  },
  {
    name: "IEA02 differs from ISA13",
    segments: setElement(good, firstIea, 2, "000000009"),
    problems: [
      problem("control-mismatch", { ...firstInterchange, segmentIndex: firstIea, segmentId: "IEA", element: 2 })
    ],
    filing: baseFiling
  },
  {
    name: "SE02 differs from ST02",
    segments: setElement(good, secondSe, 2, "0009"),
    problems: [
      problem("control-mismatch", {
        ...firstInterchange,
        group: "1",
        transaction: "0002",
        segmentIndex: secondSe,
        segmentId: "SE",
        element: 2
      })
    ],
    filing: baseFiling
  },
  {
    name: "a set without SE before the next ST",
    segments: without(good, firstSe),
    problems: [
      problem("missing-se", {
        ...firstInterchange,
        group: "1",
        transaction: "0001",
        segmentIndex: firstSe,
        segmentId: "ST"
      })
    ],
    filing: baseFiling
  },
  {
    name: "a set without SE before GE",
    segments: without(good, secondSe),
    problems: [
      problem("missing-se", {
        ...firstInterchange,
        group: "1",
        transaction: "0002",
        // GE moved up by one: the SE left out was just before it.
        segmentIndex: geOfGroup1 - 1,
        segmentId: "GE"
      })
    ],
    filing: baseFiling
  },
  {
    name: "a set without SE and its group without GE before IEA",
    segments: without(good, thirdSe, secondGe),
    problems: [
      problem("missing-se", {
        ...firstInterchange,
        group: "2",
        transaction: "0001",
        segmentIndex: firstIea - 2,
        segmentId: "IEA"
      }),
      problem("missing-ge", { ...firstInterchange, group: "2", segmentIndex: firstIea - 2, segmentId: "IEA" })
    ],
    filing: baseFiling
  },
  {
    name: "a group without GE before the next GS",
    segments: without(good, geOfGroup1),
    problems: [problem("missing-ge", { ...firstInterchange, group: "1", segmentIndex: secondGs - 1, segmentId: "GS" })],
    filing: baseFiling
  },
  {
    name: "a group without GE before IEA",
    segments: without(good, secondGe),
    problems: [
      problem("missing-ge", { ...firstInterchange, group: "2", segmentIndex: firstIea - 1, segmentId: "IEA" })
    ],
    filing: baseFiling
  },
  {
    name: "an interchange without IEA before the next ISA (same delimiters)",
    segments: without(
      build([base[0] as Spec, { control: "000000002", groups: [{ control: "1", sets: ["0001"] }] }]),
      firstIea
    ),
    problems: [problem("missing-iea", { ...firstInterchange, segmentIndex: secondIsa - 1, segmentId: "ISA" })],
    filing: baseFiling
  },
  {
    name: "an interchange without IEA before the next ISA, which has other delimiters",
    segments: without(good, firstIea),
    problems: [problem("missing-iea", { ...firstInterchange, segmentIndex: secondIsa - 1, segmentId: "ISA" })],
    filing: baseFiling
  },
  {
    name: "a set, group and interchange left open at the end of the input",
    segments: single.slice(0, nth(single, "SE", 2)),
    problems: ["missing-se", "missing-ge", "missing-iea"].map((code) =>
      problem(code, {
        ...firstInterchange,
        ...(code === "missing-iea" ? {} : { group: "2" }),
        ...(code === "missing-se" ? { transaction: "0001" } : {}),
        // Where the input ended: the index the next segment would have had.
        segmentIndex: nth(single, "SE", 2)
      })
    ),
    filing: baseFiling.slice(0, 3)
  },
  {
    name: "a set cut inside its last segment: the events before the stop go out first, in strict mode too",
    segments: single.slice(0, nth(single, "SE", 2)),
    cut: true,
    problems: [
      problem(
        "missing-terminator",
        { ...firstInterchange, group: "2", transaction: "0001", segmentIndex: nth(single, "SE", 2) - 1 },
        "warning"
      ),
      ...["missing-se", "missing-ge", "missing-iea"].map((code) =>
        problem(code, {
          ...firstInterchange,
          ...(code === "missing-iea" ? {} : { group: "2" }),
          ...(code === "missing-se" ? { transaction: "0001" } : {}),
          segmentIndex: nth(single, "SE", 2)
        })
      )
    ],
    filing: baseFiling.slice(0, 3)
  },
  {
    name: "an interchange without IEA at the end of the input",
    segments: single.slice(0, -1),
    problems: [problem("missing-iea", { ...firstInterchange, segmentIndex: single.length - 1 })],
    filing: baseFiling.slice(0, 3)
  },
  {
    name: "sets between GE and the next GS: filed in a group of their own, not the group before",
    segments: [
      ...good.slice(0, secondGs),
      ...good
        .slice(nth(good, "ST", 0), firstSe + 1)
        .map((s) =>
          s.elements[0] === "BHT" ? s : { ...s, elements: s.elements.map((e) => (e === "0001" ? "0009" : e)) }
        ),
      ...good.slice(secondGs)
    ],
    problems: [problem("unexpected-st", { ...firstInterchange, segmentIndex: secondGs, segmentId: "ST" })],
    filing: [...baseFiling.slice(0, 2), "000000001//0009", ...baseFiling.slice(2)]
  },
  {
    name: "an ST02 repeated in its group",
    segments: build([
      { control: "000000001", groups: [{ control: "1", sets: ["0001", "0002", "0001"] }] },
      { control: "000000002", groups: [{ control: "1", sets: ["0001"] }] }
    ]),
    problems: [
      problem("duplicate-control-number", {
        ...firstInterchange,
        group: "1",
        transaction: "0001",
        segmentIndex: 8,
        segmentId: "ST",
        element: 2
      })
    ],
    filing: ["000000001/1/0001", "000000001/1/0002", "000000001/1/0001", "000000002/1/0001"]
  },
  {
    name: "a GS06 repeated in its interchange",
    segments: build([
      {
        control: "000000001",
        groups: [
          { control: "7", sets: ["0001"] },
          { control: "7", sets: ["0001"] }
        ]
      }
    ]),
    problems: [
      problem("duplicate-control-number", {
        ...firstInterchange,
        group: "7",
        segmentIndex: 6,
        segmentId: "GS",
        element: 6
      })
    ],
    filing: ["000000001/7/0001", "000000001/7/0001"]
  },
  {
    name: "an ISA13 repeated from the same sender to the same receiver",
    segments: build([
      { control: "000000001", groups: [{ control: "1", sets: ["0001"] }] },
      { control: "000000001", groups: [{ control: "2", sets: ["0001"] }] }
    ]),
    problems: [
      problem("duplicate-control-number", { ...firstInterchange, segmentIndex: 7, segmentId: "ISA", element: 13 })
    ],
    filing: ["000000001/1/0001", "000000001/2/0001"]
  }
]

describe("envelopes", () => {
  it("a well-formed file, several groups and sets per interchange, delimiters changing between interchanges", () => {
    const text = render(good)
    expect(text).toContain("ISA|00|")
    const result = X12.readText(text, { mode: "strict" })
    expect(result._tag === "Success" && result.problems).toEqual([])
    expect(filing(result)).toEqual(baseFiling)
    // The second interchange's envelope is read with its own delimiters.
    expect(result._tag === "Success" && result.interchanges[1]?.groups[0]?.group.version).toBe("005010X279A1")
  })

  for (const c of cases) {
    describe(c.name, () => {
      const text = c.cut === true ? render(c.segments).slice(0, -1) : render(c.segments)
      const firstError = c.problems.findIndex((p) => p.severity === "error")

      it("tolerant: reports it where it is and files every set where it was read", () => {
        const result = X12.readText(text)
        expect(result._tag).toBe("Success")
        if (result._tag !== "Success") return
        expect(result.problems.map(at)).toEqual(c.problems)
        expect(filing(result)).toEqual(c.filing)
      })

      it("strict: stops at the first error, with its position", () => {
        const result = X12.readText(text, { mode: "strict" })
        expect(result._tag).toBe("Failure")
        if (result._tag !== "Failure") return
        expect(at(result.error.problem)).toEqual(c.problems[firstError])
        expect(result.problems.map(at)).toEqual(c.problems.slice(0, firstError + 1))
        expect(result.error.message).toContain(Problem.position(result.error.problem))
      })

      it("in chunks of 1, 7 and 64 characters: the same events and problems as the whole text", async () => {
        await expectStreamingAgrees(text)
        await expectStreamingAgrees(text, { mode: "strict" })
      })
    })
  }

  it("the same ST02 in two groups, and the same GS06 in two interchanges, are no repeat", () => {
    const result = X12.readText(render(good))
    expect(result._tag === "Success" && result.problems).toEqual([])
  })

  it("a repeat is found among many control numbers, in or out of sequence, of any width and not only digits", () => {
    const sets = [
      ...Array.from({ length: 3000 }, (_, i) => String(i + 1).padStart(4, "0")),
      ...Array.from({ length: 500 }, (_, i) => String(9_000 - 7 * i)),
      ...["A1", "B2", "1", "01", "001"]
    ]
    const clean = build([{ control: "000000001", groups: [{ control: "1", sets }] }])
    expect(X12.readText(render(clean)).problems).toEqual([])
    // Every kind of number, repeated at the end: each repeat is found, nothing else.
    for (const repeat of ["0001", "1500", "3000", "9000", "5507", "A1", "001", "1"]) {
      const result = X12.readText(
        render(build([{ control: "000000001", groups: [{ control: "1", sets: [...sets, repeat] }] }]))
      )
      expect(result.problems.map((p) => `${p.code}:${p.transaction}`)).toEqual([`duplicate-control-number:${repeat}`])
    }
  })
})

describe("control numbers remembered", () => {
  it("ISA13 per sender and receiver: another receiver's interchange may carry the same number", () => {
    const twice = render(
      build([
        { control: "000000001", groups: [{ control: "1", sets: ["0001"] }] },
        { control: "000000001", groups: [{ control: "1", sets: ["0001"] }] }
      ])
    )
    const at = twice.indexOf("ISA", 1)
    const otherReceiver = twice.slice(0, at) + twice.slice(at).replace("RECEIVER       ", "OTHERPAYER     ")
    expect(X12.readText(twice).problems.map((p) => p.code)).toEqual(["duplicate-control-number"])
    expect(X12.readText(otherReceiver).problems).toEqual([])
  })

  it("out of sequence, up to 65,536 per group: memory stays bounded, a repeat of one remembered is found", () => {
    // Every other number: none joins a run, each is remembered, until the bound.
    const sets = Array.from({ length: 70_000 }, (_, i) => String(2 * i + 1).padStart(6, "0"))
    const read = (extra: string) =>
      X12.readText(render(build([{ control: "000000001", groups: [{ control: "1", sets: [...sets, extra] }] }])))
    expect(read("000002").problems).toEqual([])
    expect(read("000001").problems.map((p) => p.code)).toEqual(["duplicate-control-number"])
    expect(read(sets[65_536] as string).problems.map((p) => p.code)).toEqual(["duplicate-control-number"])
    // Past the bound a number is not remembered: its repeat goes unseen (the documented cost of the bound).
    expect(read(sets[65_537] as string).problems).toEqual([])
  })
})

describe("end-of-input problems", () => {
  it("carry the index where the input ended, after the last segment", () => {
    const segments = single.slice(0, 4)
    const result = X12.readText(render(segments))
    expect(result.problems.map((p) => [p.code, p.segmentIndex])).toEqual([
      ["missing-se", 4],
      ["missing-ge", 4],
      ["missing-iea", 4]
    ])
  })
})

describe("the bound on problems", () => {
  // An interchange followed by two million empty segments: each is an error, outside any set.
  const junk = isa("000000001", star) + "~".repeat(2_000_000)

  it("stops a read of junk with a typed too-many-problems error and a bounded list", () => {
    // The documented default for readers that keep their problems (about 20 MB of them).
    expect(Reader.defaultMaxProblems).toBe(100_000)
    const result = X12.readText(junk)
    expect(result._tag).toBe("Failure")
    if (result._tag !== "Failure") return
    expect(result.error).toBeInstanceOf(Problem.X12ParseError)
    expect(result.error.problem).toMatchObject({
      code: "too-many-problems",
      severity: "error",
      interchange: "000000001",
      segmentIndex: Reader.defaultMaxProblems + 1
    })
    expect(result.problems).toHaveLength(Reader.defaultMaxProblems + 1)
    expect(result.problems.at(-1)).toEqual(result.error.problem)
  })

  it("is an option: a lower bound stops sooner, a higher one reads on", () => {
    const small = X12.readText(junk, { maxProblems: 10 })
    expect(small._tag === "Failure" && small.error.problem.code).toBe("too-many-problems")
    expect(small.problems).toHaveLength(11)
    const some = isa("000000001", star) + "~".repeat(1500)
    const lifted = X12.readText(some, { maxProblems: 2000 })
    expect(lifted._tag).toBe("Success")
    // 1,500 empty segments and the interchange left open.
    expect(lifted.problems).toHaveLength(1501)
    expect(X12.readText(some, { maxProblems: Number.POSITIVE_INFINITY })._tag).toBe("Success")
    // Warnings count as well.
    const warnings = render(
      good.map((s) => (s.elements[0] === "ST" ? { ...s, elements: [...s.elements.slice(0, 3), "X"] } : s))
    )
    expect(X12.readText(warnings).problems.map((p) => p.code)).toEqual(Array(4).fill("version-mismatch"))
    const stopped = X12.readText(warnings, { maxProblems: 2 })
    expect(stopped._tag === "Failure" && stopped.error.problem).toMatchObject({
      code: "too-many-problems",
      transaction: "0001",
      segmentId: "ST",
      segmentIndex: nth(good, "ST", 2)
    })
  })

  it("streaming gives the same problems and stops at the same point, whatever the chunks", async () => {
    const some = `${isa("000000001", star)}~GS*HS*S*R*20210101*1200*1*X*005010X279A1~${"~".repeat(50)}`
    await expectStreamingAgrees(some, { maxProblems: 20 })
    await expectStreamingAgrees(some, { maxProblems: 20, mode: "strict" })
    // readText's default bound, given to the streaming reader (which has none by default).
    const { events, error } = await streamed(junk, 65_536, { maxProblems: Reader.defaultMaxProblems })
    expect(events.filter((e) => e._tag === "Problem")).toHaveLength(Reader.defaultMaxProblems)
    expect(error instanceof Problem.X12ParseError && error.problem).toEqual(
      (X12.readText(junk) as { error: Problem.X12ParseError }).error.problem
    )
  })

  it("a streaming reader keeps no problem: they are events", () => {
    const reader = new Reader.Reader({ keepProblems: false, maxProblems: Number.POSITIVE_INFINITY })
    let problems = 0
    const count = (events: ReadonlyArray<Reader.Event>) => {
      for (const e of events) if (e._tag === "Problem") problems++
    }
    count(reader.push(isa("000000001", star)))
    for (let i = 0; i < 20; i++) count(reader.push("~".repeat(10_000)))
    count(reader.end())
    expect(problems).toBe(200_001)
    expect(reader.problems).toEqual([])
    // A reader that keeps them keeps them all, up to its bound.
    const keeping = new Reader.Reader({ maxProblems: 5 })
    keeping.push(isa("000000001", star))
    // The five problems go out first; the error comes with the next call.
    expect(keeping.push("~".repeat(100)).map((e) => e._tag)).toEqual(Array(5).fill("Problem"))
    expect(() => keeping.end()).toThrow(/too-many-problems/)
    expect(keeping.problems.map((p) => p.code)).toEqual([...Array(5).fill("outside-transaction"), "too-many-problems"])
  })
})

describe("the default bound follows what is kept", () => {
  // A 3,000-claim 835 whose every CLP05 (patient responsibility) is 25.00 where the PR adjustments add up to 20.00:
  // a systematic off-standard quirk, one warning per claim, and the payments still balance.
  const claims = 3000
  const quirky = text835(claims).replaceAll("*20*12*PAYERCN", "*25*12*PAYERCN")
  const mismatch = { severity: "warning", code: "patient-responsibility-mismatch", segmentId: "CLP", element: 5 }
  async function* once(text: string) {
    yield text
  }

  it("a tolerant read of a large 835 with a warning in every claim reads to its end, streamed or whole", async () => {
    expect(quirky.split("*25*12*PAYERCN")).toHaveLength(claims + 1)
    // Streamed: no bound by default, every warning an event.
    let items = 0
    const problems: Array<Problem.Problem> = []
    for await (const event of X12.readChunks(once(quirky))) {
      if (event._tag === "Item") items++
      else if (event._tag === "Problem") problems.push(event.problem)
    }
    expect(items).toBe(claims)
    expect(problems).toHaveLength(claims)
    for (const p of problems) expect(p).toMatchObject(mismatch)
    const viaStream = await effected(quirky, 65_536)
    expect(viaStream.error).toBeUndefined()
    expect(viaStream.events.filter((e) => e._tag === "Problem")).toHaveLength(claims)
    // Whole: the problems are kept, under readText's default bound of 100,000.
    const whole = X12.readText(quirky)
    expect(whole._tag).toBe("Success")
    if (whole._tag !== "Success") return
    expect(whole.problems).toEqual(problems)
    const transaction = whole.interchanges[0]?.groups[0]?.transactions[0]
    expect(transaction?.items).toHaveLength(claims)
    expect(transaction?.model).toMatchObject({ balanced: { lines: true, claims: true, transaction: true } })
    // And the per-set reader, which keeps them too.
    const remittance = Remittance.read835(quirky)
    expect(remittance.remittances[0]?.claims).toHaveLength(claims)
    expect(remittance.problems).toEqual(problems)
  })

  it("given, the bound stops every reader at the same warning", async () => {
    const options = { maxProblems: claims - 1 }
    const whole = X12.readText(quirky, options)
    expect(whole._tag).toBe("Failure")
    if (whole._tag !== "Failure") return
    const last = X12.readText(quirky).problems.at(-1) as Problem.Problem
    expect(whole.error.problem).toEqual({
      severity: "error",
      code: "too-many-problems",
      message: `more than ${claims - 1} problems: the reader stopped (maxProblems)`,
      interchange: last.interchange,
      group: last.group,
      transaction: last.transaction,
      segmentIndex: last.segmentIndex,
      segmentId: "CLP"
    })
    expect(whole.problems).toHaveLength(claims)
    for (const read of [streamed(quirky, 65_536, options), effected(quirky, 65_536, options)]) {
      const { events, error } = await read
      expect(events.filter((e) => e._tag === "Problem").map((e) => e.problem)).toEqual(whole.problems.slice(0, -1))
      expect(error instanceof Problem.X12ParseError && error.problem).toEqual(whole.error.problem)
    }
  })

  it("past readText's default, a streaming read of junk reads to the end; readText stops", async () => {
    const many = isa("000000001", star) + "~".repeat(Reader.defaultMaxProblems + 50_000)
    const whole = X12.readText(many)
    expect(whole._tag === "Failure" && whole.error.problem.code).toBe("too-many-problems")
    expect(whole.problems).toHaveLength(Reader.defaultMaxProblems + 1)
    let problems = 0
    for await (const event of X12.readChunks(once(many))) if (event._tag === "Problem") problems++
    // Every empty segment, and the interchange left open.
    expect(problems).toBe(Reader.defaultMaxProblems + 50_001)
    // The same options, the same result: readText with no bound reads to the end as well.
    const lifted = X12.readText(many, { maxProblems: Number.POSITIVE_INFINITY })
    expect(lifted._tag === "Success" && lifted.problems.length).toBe(problems)
  })

  it("is the reader's: none when it keeps no problem, defaultMaxProblems when it keeps them (readEvents always)", () => {
    const many = isa("000000001", star) + "~".repeat(Reader.defaultMaxProblems + 10)
    const counting = new Reader.Reader({ keepProblems: false })
    const tags = [...counting.push(many), ...counting.end()].map((e) => e._tag)
    counting.done()
    expect(tags.filter((t) => t === "Problem")).toHaveLength(Reader.defaultMaxProblems + 11)
    expect(counting.problems).toEqual([])
    const keeping = new Reader.Reader()
    // The events before the stop go out first; the error comes with the next call.
    keeping.push(many)
    expect(() => keeping.end()).toThrow(/too-many-problems/)
    expect(keeping.problems).toHaveLength(Reader.defaultMaxProblems + 1)
    // readEvents keeps every event, its problems among them: bounded even when told to keep no problem.
    expect(() => Reader.readEvents(many, { keepProblems: false })).toThrow(/too-many-problems/)
    expect(Reader.readEvents(many, { keepProblems: false, maxProblems: Number.POSITIVE_INFINITY }).events).toHaveLength(
      1 + Reader.defaultMaxProblems + 11
    )
  })
})

describe("a stopped reader", () => {
  it("hands out the events before the error, then throws it on every later call", () => {
    const text = render(setElement(good, firstSe, 1, "4"))
    const reader = new Reader.Reader({ mode: "strict" })
    const events = reader.push(text)
    // Everything up to the bad SE: the interchange, the group; the set is not closed.
    expect(events.map((e) => e._tag)).toEqual(["Interchange", "Group"])
    expect(() => reader.push("")).toThrow(/segment-count/)
    expect(() => reader.end()).toThrow(/segment-count/)
    expect(reader.problems.map((p) => p.code)).toEqual(["segment-count"])
  })
})

describe("property: trailers left out", () => {
  const control = (n: number, width: number) => String(n).padStart(width, "0")
  const specs = fc
    .array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
    .map(
      (interchanges): Array<Spec> =>
        interchanges.map((groups, i) => ({
          control: control(i + 1, 9),
          groups: groups.map((sets, g) => ({
            control: String(g + 1),
            sets: Array.from({ length: sets }, (_, s) => control(s + 1, 4))
          }))
        }))
    )

  it("every left-out SE, GE and IEA is one missing-* error, every set is filed where it was read, in any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(specs, fc.array(fc.nat()), fc.integer({ min: 1, max: 200 }), async (spec, drops, size) => {
        const segments = build(spec)
        const trailers = segments.flatMap((s, i) => (["SE", "GE", "IEA"].includes(s.elements[0] as string) ? [i] : []))
        const dropped = [...new Set(drops.map((d) => trailers[d % trailers.length] as number))]
        const text = render(without(segments, ...dropped))
        const result = X12.readText(text)
        expect(result._tag).toBe("Success")
        const expected = dropped.map((i) => `missing-${(segments[i]?.elements[0] ?? "").toLowerCase()}`).sort()
        expect(result.problems.map((p) => p.code).sort()).toEqual(expected)
        expect(filing(result)).toEqual(
          spec.flatMap((i) => i.groups.flatMap((g) => g.sets.map((s) => `${i.control}/${g.control}/${s}`)))
        )
        const chunked = await streamed(text, size)
        const collector = new X12.Collector()
        for (const event of chunked.events) collector.add(event)
        expect(chunked.error).toBeUndefined()
        expect(result._tag === "Success" && collector.interchanges).toEqual(
          result._tag === "Success" && result.interchanges
        )
      }),
      { numRuns: 200 }
    )
  })
})
