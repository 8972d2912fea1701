// A second unrelated reader for cross-checks: x12-parser (a stream parser), given the whole text as one chunk, as
// rows of [id, ...elements].
import { X12parser } from "x12-parser"

type Formatted = Readonly<Record<string, string>> & { readonly name: string }

/**
 * Every segment x12-parser reads, in file order. x12-parser splits each element (but the ISA's) into components and
 * names them `n`, `n-1`, `n-2`, ... (the first component, then the others): they are joined back with the
 * interchange's component separator. It reads text as ASCII unless told otherwise: it is told UTF-8.
 */
export const viaX12Parser = async (text: string): Promise<Array<Array<string>>> => {
  const parser = new X12parser("utf8")
  const rows: Array<Array<string>> = []
  const component = text.charAt(104)
  const done = new Promise<void>((resolve, reject) => {
    parser.on("data", (segment: Formatted) => {
      const row = [segment.name]
      for (let n = 1; segment[`${n}`] !== undefined; n++) {
        const parts = [segment[`${n}`] as string]
        for (let c = 1; segment[`${n}-${c}`] !== undefined; c++) parts.push(segment[`${n}-${c}`] as string)
        row.push(parts.join(component))
      }
      // Whitespace after the last terminator comes out as a segment with no name and no element: not a segment.
      if (row.length > 1 || row[0] !== "") rows.push(row)
    })
    parser.on("end", () => resolve())
    parser.on("error", reject)
  })
  parser.end(Buffer.from(text, "utf8"))
  await done
  return rows
}

/**
 * Our rows as x12-parser gives them, doing to values only what x12-parser does (read in its `Segment` and
 * `X12parser`): every component (every ISA element, which it does not split) loses its line feeds and its
 * leading and trailing whitespace (so the ISA's padded IDs and blank authorization fields come back trimmed), and
 * a CRLF anywhere is read as a line feed first. Nothing else: leading zeros, empty elements and repetitions are
 * kept as written.
 */
export const asX12ParserReads = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  component: string
): Array<Array<string>> => {
  const clean = (value: string) => value.replace(/\r\n/gu, "\n").replace(/\n/gu, "").trim()
  return rows.map(([id = "", ...elements]) => [
    clean(id),
    ...elements.map((e) => (id === "ISA" ? clean(e) : e.split(component).map(clean).join(component)))
  ])
}
