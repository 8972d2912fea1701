// Every public fixture, in both modes. Strict mode says what is off-standard, where (interchange, group,
// transaction set, segment index and id, element); tolerant mode recovers the content. What each file gets wrong
// is taken from ../shared/fixtures/x12/README.md, and each stopping problem is checked against the file itself
// (the segment at that index has that id; an NPI called invalid fails the Luhn check computed here; a count called
// wrong is wrong when counted here).
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { type Problem, Segments, X12 } from "@openrcm/x12"
import { describe, expect, it } from "vitest"
import { npi } from "./arbitraries.js"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8")

type Success = Extract<X12.ReadResult, { _tag: "Success" }>
type Transaction = X12.Transaction

const transactionsOf = (result: Success): Array<Transaction> =>
  result.interchanges.flatMap((i) => i.groups.flatMap((g) => g.transactions))
// biome-ignore lint/suspicious/noExplicitAny: the items and models are checked field by field, whatever their type
const itemsOf = (result: Success): Array<any> => transactionsOf(result).flatMap((t) => [...t.items])
const codes = (problems: ReadonlyArray<Problem.Problem>) => problems.map((p) => p.code)

/** The NPI check digit, by the tests' own Luhn (arbitraries.ts), independently of the source. */
const luhnValid = (value: string): boolean => /^\d{10}$/u.test(value) && npi(value.slice(0, 9)) === value

interface Stop {
  readonly code: string
  readonly segmentIndex: number
  readonly segmentId: string
  readonly element: number
  /** What makes it wrong, checked on the file's own segments. */
  readonly because: (segments: ReadonlyArray<Segments.Segment>, at: Segments.Segment) => void
}

interface Expectation {
  /** `standard`: strict mode reads the file without an error. Otherwise the first error, where strict mode stops. */
  readonly strict: "standard" | Stop
  /** The problems tolerant mode must report: the off-standard points the README lists. */
  readonly reports: ReadonlyArray<string>
  /** The content tolerant mode recovers. */
  readonly content: (result: Success) => void
}

const wrongNpi: Stop["because"] = (_segments, at) => {
  expect(at.elements[8]).toBe("XX")
  expect(luhnValid(at.elements[9] ?? "")).toBe(false)
}

/** SE01 differs from the segments counted from ST to SE. */
const wrongCount: Stop["because"] = (segments, at) => {
  const st = segments.findLastIndex((s, i) => i < at.index && s.id === "ST")
  expect(st).toBeGreaterThanOrEqual(0)
  expect(Number(at.elements[1])).not.toBe(at.index - st + 1)
}

const expectations: Readonly<Record<string, Expectation>> = {
  "270_oopfactory_5010_example1_ig.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      // 270 has no typed model: the transaction is read with its header and segment count (the file's SE01).
      expect(transactionsOf(r).map((t) => [t.header.setId, t.header.control, t.segmentCount])).toEqual([
        ["270", "1234", 13]
      ])
    }
  },
  "271_imsweb_x271.x12": {
    strict: {
      code: "segment-count",
      segmentIndex: 19,
      segmentId: "SE",
      element: 1,
      because: wrongCount
    },
    // SE count, and GS/ST version mismatch.
    reports: ["version-mismatch", "segment-count"],
    content: (r) => {
      const [subscriber] = itemsOf(r)
      expect(subscriber.subscriber.name.name).toBe("SMITH")
      expect(subscriber.payer.name).toBe("ABC COMPANY")
    }
  },
  "271_oopfactory_5010_example_3_1_2_mh_copay.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      const items = itemsOf(r)
      expect(items).toHaveLength(1)
      expect(items[0].subscriber.name.name).toBe("SMITH")
      // The mental-health service type (MH) and copays (B) are in the benefits read.
      const benefits = JSON.stringify(items[0])
      expect(benefits).toContain('"MH"')
    }
  },
  "271_oopfactory_5010_example_3_1_3_aaa_reject.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      // biome-ignore lint/suspicious/noExplicitAny: the 271 model, read field by field
      const model = transactionsOf(r)[0]?.model as any
      expect(model.rejections.length).toBeGreaterThan(0)
      expect(model.payers[0].name).toBe("ABC COMPANY")
    }
  },
  "276_oopfactory_5010_example1_ig.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      expect(transactionsOf(r).map((t) => [t.header.setId, t.header.control])).toEqual([["276", "0001"]])
      expect(transactionsOf(r)[0]?.segmentCount).toBeGreaterThan(20)
    }
  },
  "277CA_imsweb_accepted.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      const [item] = itemsOf(r)
      expect(item.payer.name).toBe("NYSDOH")
      expect(item.patient.name).toBe("TPATIENT")
      expect(JSON.stringify(item)).toContain('"A2"')
    }
  },
  "277CA_imsweb_rejected.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      const [item] = itemsOf(r)
      expect(item.payer.name).toBe("NYSDOH")
      expect(JSON.stringify(item)).toMatch(/"A[37]"/u)
    }
  },
  "277CA_oopfactory_nysdoh_rejected.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      const [item] = itemsOf(r)
      expect(item.payer.name).toBe("NYSDOH")
      expect(JSON.stringify(item)).toMatch(/"A[37]"/u)
    }
  },
  "835_oopfactory_nebraska_medicaid_deidentified.x12": {
    // Amounts are masked: the first claim does not balance.
    strict: {
      code: "claim-unbalanced",
      segmentIndex: 17,
      segmentId: "CLP",
      element: 4,
      because: (_segments, at) => expect(at.elements[3]).not.toBe(at.elements[4])
    },
    reports: ["claim-unbalanced", "transaction-unbalanced"],
    content: (r) => {
      expect(r.interchanges).toHaveLength(3)
      expect(transactionsOf(r).map((t) => t.items.length)).toEqual([19, 23, 14])
      const adjustments = JSON.stringify(itemsOf(r).map((c) => [c.adjustments, c.lines]))
      // CO-23.
      expect(adjustments).toMatch(/"group":"CO"[^}]*"reason":"23"|"reason":"23"[^}]*"group":"CO"/u)
    }
  },
  "835_oopfactory_ohio_adamh_bh_example1.x12": {
    // The malformed last CLP: CLP*090909*22~ (no charge, no payment).
    strict: {
      code: "missing-amount",
      segmentIndex: 97,
      segmentId: "CLP",
      element: 3,
      because: (_segments, at) => expect(at.elements.slice(1)).toEqual(["090909", "22"])
    },
    // Old CR group codes; does not balance once PLB is applied.
    reports: ["obsolete-adjustment-group", "missing-amount", "transaction-unbalanced"],
    content: (r) => {
      const claims = itemsOf(r)
      expect(claims).toHaveLength(10)
      expect(claims[0].patientControlNumber).toBe("444444")
      expect(claims.some((c) => c.status === "22")).toBe(true)
      const procedures = JSON.stringify(claims.map((c) => c.lines.map((l: { procedure: unknown }) => l.procedure)))
      for (const code of ["H0004", "H0005", "H0015", "H0036"]) expect(procedures).toContain(code)
      // biome-ignore lint/suspicious/noExplicitAny: the 835 model, read field by field
      const model = transactionsOf(r)[0]?.model as any
      expect(model.providerAdjustments).toHaveLength(1)
      expect(model.balanced.transaction).toBe(false)
    }
  },
  "835_pyx12_t1005_mult_loops.x12": {
    strict: "standard",
    reports: [],
    content: (r) => {
      const [claim] = itemsOf(r)
      expect([claim.patientControlNumber, claim.status, claim.charge, claim.paid]).toEqual(["2005555A", "4", 91_539, 0])
      expect(claim.lines).toHaveLength(3)
      const adjustments = JSON.stringify(claim.lines.map((l: { adjustments: unknown }) => l.adjustments))
      expect(adjustments).toContain('"16"')
      expect(adjustments).toContain('"A7"')
    }
  },
  "837P_imsweb_x12_valid.x12": {
    // Its billing provider's NPI (1234567890) fails the check digit: strict mode stops there, before the rest.
    strict: { code: "invalid-npi", segmentIndex: 8, segmentId: "NM1", element: 9, because: wrongNpi },
    // Called valid, but: a wrong SE count, HI syntax and a duplicate HL.
    reports: ["invalid-npi", "segment-count", "hi-syntax", "hl-duplicate"],
    content: (r) => {
      const claims = itemsOf(r)
      expect(claims).toHaveLength(2)
      expect(claims[0].claim.patientControlNumber).toBe("A37YH556")
      expect(claims[0].subscriber.name.last).toBe("DOE")
    }
  },
  "837P_oopfactory_5010_example1_health_insurance.x12": {
    // The implementation guide's example NPIs carry no valid check digit.
    strict: { code: "invalid-npi", segmentIndex: 9, segmentId: "NM1", element: 9, because: wrongNpi },
    reports: ["invalid-npi"],
    content: (r) => {
      const [claim] = itemsOf(r)
      expect(claim.claim.patientControlNumber).toBe("26463774")
      expect(claim.subscriber.name.last).toBe("SMITH")
      // A dependent patient.
      expect(claim.patient).toBeDefined()
      expect(claim.patient.relationship).not.toBe("18")
    }
  },
  "837P_oopfactory_5010_example3_cob.x12": {
    strict: { code: "invalid-npi", segmentIndex: 8, segmentId: "NM1", element: 9, because: wrongNpi },
    reports: ["invalid-npi"],
    content: (r) => {
      const [claim] = itemsOf(r)
      expect(claim.claim.patientControlNumber).toBe("26407789")
      // Coordination of benefits, and a line pointing at four diagnoses.
      expect(claim.claim.otherPayers.length).toBeGreaterThan(0)
      expect(
        claim.claim.lines.some((l: { diagnosisPointers: ReadonlyArray<number> }) => l.diagnosisPointers.length === 4)
      ).toBe(true)
    }
  },
  "837P_oopfactory_5010_medicaid_deidentified.x12": {
    strict: { code: "invalid-npi", segmentIndex: 9, segmentId: "NM1", element: 9, because: wrongNpi },
    reports: ["invalid-npi"],
    content: (r) => {
      expect(itemsOf(r)).toHaveLength(5)
      // `|` repetition and `>` component separators, read as such.
      const delimiters = Segments.split(fixture("837P_oopfactory_5010_medicaid_deidentified.x12")).segments[0]
        ?.delimiters
      expect([delimiters?.repetition, delimiters?.component]).toEqual(["|", ">"])
      expect(itemsOf(r).every((c) => c.claim.lines.length > 0)).toBe(true)
    }
  }
}

const files = readdirSync(fixtures)
  .filter((f) => f.endsWith(".x12"))
  .sort()

describe("fixtures", () => {
  it("every fixture has an expectation, and every expectation a fixture", () => {
    expect(Object.keys(expectations).sort()).toEqual(files)
  })

  describe.each(files)("%s", (file) => {
    const text = fixture(file)
    const expectation = expectations[file] as Expectation
    const segments = Segments.split(text).segments

    it("strict mode: reads it whole if it is standard, else stops at the first error, placed in the file", () => {
      const result = X12.readText(text, { mode: "strict" })
      if (expectation.strict === "standard") {
        expect(result._tag).toBe("Success")
        expect(result.problems.filter((p) => p.severity === "error")).toEqual([])
        return
      }
      const stop = expectation.strict
      expect(result._tag).toBe("Failure")
      if (result._tag !== "Failure") return
      const problem = result.error.problem
      expect(problem).toMatchObject({
        severity: "error",
        code: stop.code,
        segmentIndex: stop.segmentIndex,
        segmentId: stop.segmentId,
        element: stop.element
      })
      // Placed in its envelopes: the ISA13, GS06 and ST02 around that segment.
      const at = segments[stop.segmentIndex] as Segments.Segment
      expect(at.id).toBe(stop.segmentId)
      const before = segments.slice(0, stop.segmentIndex + 1)
      expect(problem.interchange).toBe(before.findLast((s) => s.id === "ISA")?.elements[13])
      expect(problem.group).toBe(before.findLast((s) => s.id === "GS")?.elements[6])
      expect(problem.transaction).toBe(before.findLast((s) => s.id === "ST")?.elements[2])
      stop.because(segments, at)
      // The stopping problem is the last one reported, and no error comes before it.
      expect(result.problems.at(-1)).toEqual(problem)
      expect(result.problems.slice(0, -1).filter((p) => p.severity === "error")).toEqual([])
    })

    it("tolerant mode: recovers the content and reports what is off-standard", () => {
      const result = X12.readText(text)
      expect(result._tag).toBe("Success")
      if (result._tag !== "Success") return
      for (const code of expectation.reports) expect(codes(result.problems)).toContain(code)
      if (expectation.strict === "standard") expect(result.problems.filter((p) => p.severity === "error")).toEqual([])
      else expect(result.problems).toContainEqual(expect.objectContaining({ code: expectation.strict.code }))
      // Every problem is placed: at least its interchange, and a segment when it is about one.
      for (const p of result.problems) expect(p.interchange).toMatch(/^\d{9}$/u)
      expect(transactionsOf(result).length).toBeGreaterThan(0)
      expectation.content(result)
    })
  })
})
