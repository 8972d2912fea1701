// Independent readers must see the same segments and elements as ours: node-x12 (whole-file mode) and x12-parser
// (the whole text as one chunk), on every fixture they can read, and on our own 837P output for any valid
// submission, written with the default delimiters and with others (the generators of the 837P round trip).
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Segments } from "@openrcm/x12"
import { type Controls, type WriteOptions, write837 } from "@openrcm/x12/Claim837"
import { Result } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { delimiterSets, submissionArb } from "./arbitraries.js"
import { normalize, viaNodeX12 } from "./nodeX12.js"
import { asX12ParserReads, viaX12Parser } from "./x12Parser.js"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")

/** Our segments, as rows of [id, ...elements]. */
const viaOurs = (text: string): Array<Array<string>> => Segments.split(text).segments.map((s) => [...s.elements])

// Both readers find the delimiters at fixed offsets of the ISA, so they are given the text without its BOM.
const texts = readdirSync(fixtures)
  .filter((f) => f.endsWith(".x12"))
  .sort()
  .map((f) => [f, readFileSync(join(fixtures, f), "utf8").replace(/^\uFEFF/u, "")] as const)

// Single-interchange fixtures in the standard layout that node-x12 reads in strict mode.
const readable = texts.filter(([, text]) => {
  try {
    viaNodeX12(text)
    return true
  } catch {
    return false
  }
})

describe("the readers' normalizations hide nothing else", () => {
  // A ZIP and a reference with leading zeros, trailing empty elements, characters past ASCII, repetitions.
  const text =
    "ISA*00*          *00*          *ZZ*OPENRCM        *ZZ*CLEARHOUSE     *250304*1200*^*00501*000000123*0*T*:~\n" +
    "GS*HC*OPENRCM*CLEARHOUSE*20250304*1200*0045*X*005010X222A1~\nST*837*0001*005010X222A1~\n" +
    "N4*CITY*ST*01234~\nREF*X*007**~\nNM1*QC*1*JOSÉ 日本 😀*A~\nHI*ABK:F32^ABF:F41~\nSE*6*0001~\n" +
    "GE*1*0045~\nIEA*1*000000123~\n"

  it("node-x12 reads ISA13 and IEA02 as integers, and keeps every other element as written", () => {
    const theirs = viaNodeX12(text)
    expect([theirs[0]?.[13], theirs.at(-1)?.[2]]).toEqual(["123", "123"])
    expect(theirs).toContainEqual(["N4", "CITY", "ST", "01234"])
    expect(theirs).toContainEqual(["REF", "X", "007", "", ""])
    expect(theirs).toContainEqual(["NM1", "QC", "1", "JOSÉ 日本 😀", "A"])
    expect(theirs).toContainEqual([
      "GS",
      "HC",
      "OPENRCM",
      "CLEARHOUSE",
      "20250304",
      "1200",
      "0045",
      "X",
      "005010X222A1"
    ])
    expect(normalize(viaOurs(text))).toEqual(normalize(theirs))
    // normalize touches those two elements only.
    const ours = viaOurs(text)
    expect(normalize(ours).filter((r) => r[0] !== "ISA" && r[0] !== "IEA")).toEqual(
      ours.filter((r) => r[0] !== "ISA" && r[0] !== "IEA")
    )
  })

  it("x12-parser trims components and keeps zeros, empty elements and repetitions", async () => {
    const theirs = await viaX12Parser(text)
    expect(theirs[0]?.slice(0, 7)).toEqual(["ISA", "00", "", "00", "", "ZZ", "OPENRCM"])
    expect(theirs[0]?.[13]).toBe("000000123")
    expect(theirs).toContainEqual(["N4", "CITY", "ST", "01234"])
    expect(theirs).toContainEqual(["REF", "X", "007", "", ""])
    expect(theirs).toContainEqual(["NM1", "QC", "1", "JOSÉ 日本 😀", "A"])
    expect(theirs).toContainEqual(["HI", "ABK:F32^ABF:F41"])
    expect(theirs).toEqual(asX12ParserReads(viaOurs(text), ":"))
  })
})

describe("cross-check with node-x12 on the fixtures", () => {
  it("reads most fixtures", () => {
    expect(readable.length).toBeGreaterThanOrEqual(8)
  })

  it.each(readable)("%s: the same segments and elements", (_file, text) => {
    expect(normalize(viaNodeX12(text))).toEqual(normalize(viaOurs(text)))
  })
})

describe("cross-check with x12-parser on the fixtures", () => {
  it.each(texts)("%s: the same segments and elements", async (_file, text) => {
    const ours = viaOurs(text)
    expect(ours.length).toBeGreaterThan(10)
    expect(await viaX12Parser(text)).toEqual(asX12ParserReads(ours, text.charAt(104)))
  })
})

describe("our 837P output, read by node-x12 and x12-parser", () => {
  const controls: Controls = { interchange: "000000123", group: "45", transaction: "0001" }
  const fixed: WriteOptions = {
    usage: "T",
    date: "20250304",
    time: "1200",
    sender: "OPENRCM",
    receiver: "CLEARHOUSE"
  }

  it("any valid submission, any delimiters: the same segments and elements as our own reading", async () => {
    let nonDefault = 0
    await fc.assert(
      fc.asyncProperty(
        submissionArb,
        fc.option(delimiterSets, { nil: undefined }),
        fc.boolean(),
        async (submission, delimiters, newline) => {
          const written = write837(submission, controls, {
            ...fixed,
            newline,
            ...(delimiters === undefined ? {} : { delimiters })
          })
          if (Result.isFailure(written)) throw new Error(JSON.stringify(written.failure))
          const text = written.success
          if (delimiters !== undefined && delimiters.element !== "*") nonDefault++
          const ours = viaOurs(text)
          expect(ours.length).toBeGreaterThan(20)
          expect(ours[0]?.[13]).toBe("000000123")
          // node-x12, whole-file mode.
          expect(normalize(viaNodeX12(text))).toEqual(normalize(ours))
          // x12-parser, the whole text as one chunk.
          expect(await viaX12Parser(text)).toEqual(asX12ParserReads(ours, text.charAt(104)))
        }
      ),
      { numRuns: 150 }
    )
    // The run went through other delimiters too, not only the defaults.
    expect(nonDefault).toBeGreaterThan(10)
  }, 120_000)
})
