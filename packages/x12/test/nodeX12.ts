// An unrelated reader for cross-checks: node-x12 in whole-file (strict) mode, as rows of [id, ...elements].
import { X12Parser } from "node-x12"

interface Row {
  readonly tag: string
  readonly elements: ReadonlyArray<{ readonly value: string }>
}

interface Parsed {
  readonly header: Row
  readonly trailer: Row
  readonly functionalGroups: ReadonlyArray<{
    readonly header: Row
    readonly trailer: Row
    readonly transactions: ReadonlyArray<{
      readonly header: Row
      readonly trailer: Row
      readonly segments: ReadonlyArray<Row>
    }>
  }>
}

const row = (s: Row): Array<string> => [s.tag, ...s.elements.map((e) => e.value)]

/** Every segment node-x12 reads, in file order. Throws where node-x12 cannot read the text. */
export const viaNodeX12 = (text: string): Array<Array<string>> => {
  const interchange = new X12Parser(true).parse(text) as unknown as Parsed
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

/**
 * Rows made comparable: node-x12 reads ISA13 and IEA02 as numbers ("000000031" comes back as "31"), so digits
 * lose leading zeros on both sides; trailing empty elements are dropped, as X12 writes them.
 */
export const normalize = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<Array<string>> =>
  rows.map((r) => {
    const copy = r.map((value) => (/^\d+$/u.test(value) ? value.replace(/^0+(?=\d)/u, "") : value))
    while (copy.length > 1 && copy.at(-1) === "") copy.pop()
    return copy
  })
