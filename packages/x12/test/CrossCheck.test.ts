// An independent reader (node-x12, whole-file mode) must see the same segments and elements as ours, on every
// fixture it can read.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Segments } from "@openrcm/x12"
import { X12Parser } from "node-x12"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")

/** Every segment as [id, ...elements], as node-x12 reads a text. */
const viaNodeX12 = (text: string): Array<Array<string>> => {
  const interchange = new X12Parser(true).parse(text) as unknown as {
    header: { tag: string; elements: Array<{ value: string }> }
    trailer: { tag: string; elements: Array<{ value: string }> }
    functionalGroups: Array<{
      header: { tag: string; elements: Array<{ value: string }> }
      trailer: { tag: string; elements: Array<{ value: string }> }
      transactions: Array<{
        header: { tag: string; elements: Array<{ value: string }> }
        trailer: { tag: string; elements: Array<{ value: string }> }
        segments: Array<{ tag: string; elements: Array<{ value: string }> }>
      }>
    }>
  }
  const row = (s: { tag: string; elements: Array<{ value: string }> }) => [s.tag, ...s.elements.map((e) => e.value)]
  const out: Array<Array<string>> = [row(interchange.header)]
  for (const group of interchange.functionalGroups) {
    out.push(row(group.header))
    for (const transaction of group.transactions) {
      out.push(row(transaction.header), ...transaction.segments.map(row), row(transaction.trailer))
    }
    out.push(row(group.trailer))
  }
  out.push(row(interchange.trailer))
  return out
}

/** Our segments, with trailing empty elements dropped as X12 writes them. */
const viaOurs = (text: string): Array<Array<string>> =>
  Segments.split(text).segments.map((s) => {
    const elements = [...s.elements]
    while (elements.length > 1 && elements.at(-1) === "") elements.pop()
    return elements
  })

// node-x12 reads ISA13 and IEA02 as numbers ("000000031" comes back as "31"): compare digits without leading
// zeros on both sides, everything else exactly.
const normalize = (rows: Array<Array<string>>) =>
  rows.map((r) => {
    const copy = r.map((value) => (/^\d+$/u.test(value) ? value.replace(/^0+(?=\d)/u, "") : value))
    while (copy.length > 1 && copy.at(-1) === "") copy.pop()
    return copy
  })

// Single-interchange fixtures in the standard layout that node-x12 reads in strict mode.
const readable = readdirSync(fixtures).filter((f) => {
  if (!f.endsWith(".x12")) return false
  try {
    viaNodeX12(readFileSync(join(fixtures, f), "utf8").replace(/^\uFEFF/u, ""))
    return true
  } catch {
    return false
  }
})

describe("cross-check with node-x12", () => {
  it("reads most fixtures", () => {
    expect(readable.length).toBeGreaterThanOrEqual(8)
  })

  it.each(readable)("%s: the same segments and elements", (file) => {
    const text = readFileSync(join(fixtures, file), "utf8").replace(/^\uFEFF/u, "")
    expect(normalize(viaOurs(text))).toEqual(normalize(viaNodeX12(text)))
  })
})
