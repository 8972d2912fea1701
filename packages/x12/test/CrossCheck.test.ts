// An independent reader (node-x12, whole-file mode) must see the same segments and elements as ours, on every
// fixture it can read.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Segments } from "@openrcm/x12"
import { describe, expect, it } from "vitest"
import { normalize, viaNodeX12 } from "./nodeX12.js"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")

/** Our segments, as rows of [id, ...elements]. */
const viaOurs = (text: string): Array<Array<string>> => Segments.split(text).segments.map((s) => [...s.elements])

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
