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

/**
 * Every segment node-x12 reads, in file order. Throws where node-x12 cannot read the text. node-x12 finds the
 * delimiters at fixed offsets of the ISA (3, 104, 105), so a text it is given must not start with a BOM.
 */
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
 * Rows made comparable with node-x12's, undoing only what node-x12 does to values (found by experiment, and in
 * its `_parseSegments`): it reads ISA13 and IEA02 through `parseInt` ("000000031" comes back as "31"), so those two
 * elements, and only those, are compared as that integer. Every other element is compared exactly: node-x12 keeps
 * leading zeros (a ZIP 01234, a control number 0001), whitespace inside elements and trailing empty elements
 * (`REF*X*007**` is four elements), so no other normalization is needed or done. Our ISA13's width is checked
 * apart (the writer rejects anything but 9 digits, the reader reports `bad-control-number`).
 */
export const normalize = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<Array<string>> =>
  rows.map((r) => {
    const at = r[0] === "ISA" ? 13 : r[0] === "IEA" ? 2 : -1
    const value = r[at]
    if (value === undefined || !/^\d+$/u.test(value)) return [...r]
    const copy = [...r]
    copy[at] = `${Number.parseInt(value, 10)}`
    return copy
  })
