import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Segments } from "@openrcm/x12"
import { SegmentView } from "@openrcm/x12/internal/view"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"

// biome-ignore lint/suspicious/noExplicitAny: properties of any arity.
const holds = (property: fc.IProperty<any>): void => fc.assert(property)

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const files = readdirSync(fixtures).filter((f) => f.endsWith(".x12"))
const text = (file: string) => readFileSync(join(fixtures, file), "utf8")

const isa = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250304*1200*^*00501*000000001*0*T*:~"

const inChunks = (input: string, size: number) => {
  const splitter = new Segments.Splitter()
  const out: Array<Segments.Segment> = []
  const add = (segment: Segments.Segment) => {
    out.push(segment)
  }
  for (let i = 0; i < input.length; i += size) splitter.push(input.slice(i, i + size), add)
  splitter.end(add)
  return out.map((s) => s.elements.join("|"))
}

describe("Segments", () => {
  it("reads the delimiters from the ISA, whatever they are", () => {
    const { segments } = Segments.split(`${isa}GS*HP*A*B*20250304*1200*1*X*005010X221A1~`)
    expect(segments[0]?.delimiters).toEqual({ element: "*", component: ":", repetition: "^", segment: "~" })
    expect(segments[1]?.elements).toEqual(["GS", "HP", "A", "B", "20250304", "1200", "1", "X", "005010X221A1"])
    const medicaid = Segments.split(text("837P_oopfactory_5010_medicaid_deidentified.x12")).segments
    expect(medicaid[0]?.delimiters).toMatchObject({ repetition: "|", component: ">" })
  })

  it("skips a BOM, CRLF, newlines and indentation between segments", () => {
    const messy = `\uFEFF  ${isa}\r\n   GS*HP*A*B*20250304*1200*1*X*005010X221A1~\r\n\tST*835*0001~`
    expect(Segments.split(messy).segments.map((s) => s.id)).toEqual(["ISA", "GS", "ST"])
  })

  it("splits components and repetitions with the interchange's separators", () => {
    const { segments } = Segments.split(`${isa}SV1*HC:90834:95:HO*135*UN*1***1:2~EB*1**MH^A6~`)
    const sv1 = segments[1] as Segments.Segment
    expect(Segments.components(sv1, 1)).toEqual(["HC", "90834", "95", "HO"])
    expect(Segments.repetitions(segments[2] as Segments.Segment, 3)).toEqual(["MH", "A6"])
    expect(Segments.element(sv1, 9)).toBe("")
  })

  it("keeps an unterminated last segment, with a warning", () => {
    const result = Segments.split(`${isa}IEA*0*000000001`)
    expect(result.segments.map((s) => s.id)).toEqual(["ISA", "IEA"])
    expect(result.warnings).toEqual([{ code: "missing-terminator", segmentIndex: 1 }])
  })

  it.each([
    ["", "NotX12"],
    ["hello world", "NotX12"],
    ["ISA*00*short~", "BadIsa"],
    [`${isa.slice(0, 104)}**~`, "BadIsa"]
  ])("refuses %j with %s", (input, tag) => {
    expect(Segments.split(input).failure?._tag).toBe(tag)
  })

  it("refuses a segment longer than the limit instead of growing without bound", () => {
    const splitter = new Segments.Splitter(1000)
    const ignore = () => {}
    splitter.push(isa, ignore)
    expect(splitter.push("N1*".padEnd(5000, "X"), ignore)).toEqual({
      _tag: "SegmentTooLong",
      segmentIndex: 1,
      limit: 1000
    })
  })

  it.each(files)("%s: the same segments for every chunk size, from 1 character up", (file) => {
    const input = text(file)
    const whole = inChunks(input, input.length)
    expect(whole.length).toBeGreaterThan(5)
    for (const size of [1, 2, 3, 7, 64, 105, 106, 107, 1000]) expect(inChunks(input, size)).toEqual(whole)
  })

  it("any cut of any fixture into chunks gives the whole-text segments", () => {
    const inputs = files.map(text)
    holds(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }),
        (i, sizes) => {
          const input = inputs[i] as string
          const splitter = new Segments.Splitter()
          const out: Array<string> = []
          let at = 0
          let k = 0
          while (at < input.length) {
            const size = sizes[k++ % sizes.length] as number
            splitter.push(input.slice(at, at + size), (s) => out.push(s.elements.join("|")))
            at += size
          }
          splitter.end((s) => out.push(s.elements.join("|")))
          return JSON.stringify(out) === JSON.stringify(inChunks(input, input.length))
        }
      )
    )
  })
})

describe("SegmentView", () => {
  const delimiters = { element: "*", component: ":", repetition: "^", segment: "~" }
  // Few characters, so that values repeat, collide in `shared`'s table and take each other's slots.
  const value = fc.string({ unit: fc.constantFrom("A", "B", "1", "2", " ", "é"), maxLength: 30 })

  it("shared gives every element as get does, however values repeat and collide", () => {
    holds(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 60 }),
        (rows) => {
          const view = new SegmentView()
          for (const elements of rows) {
            const text = ["XX", ...elements].join("*")
            view.set(text, 0, text.length, 42, 0, delimiters)
            for (let n = 0; n <= view.count + 1; n++) if (view.shared(n) !== view.get(n)) return false
          }
          return true
        }
      )
    )
  })

  it("segments are found with their elements in one pass, a carriage return before the terminator left out", () => {
    holds(
      fc.property(
        fc.array(fc.record({ elements: fc.array(value, { maxLength: 6 }), crlf: fc.boolean(), indent: fc.boolean() }), {
          maxLength: 30
        }),
        (rows) => {
          const body = rows
            .map((r) => `${r.indent ? "  " : ""}ZZ${r.elements.map((e) => `*${e}`).join("")}${r.crlf ? "\r" : ""}~`)
            .join("\n")
          const { segments } = Segments.split(`${isa}${body}`)
          // The same segments, split the slow way.
          const expected = rows.map((r) => ["ZZ", ...r.elements])
          return JSON.stringify(segments.slice(1).map((s) => s.elements)) === JSON.stringify(expected)
        }
      )
    )
  })
})
