import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Segments, X12 } from "@openrcm/x12"
import {
  type Adjustment,
  claimStatusMeaning,
  type Name,
  type Party,
  type ProviderAdjustmentToWrite,
  type RemittanceClaimToWrite,
  type RemittanceLineToWrite,
  type RemittanceToWrite,
  type RemittanceWithClaims,
  read835,
  validate835,
  type WriteOptions,
  write835,
  write835Lines
} from "@openrcm/x12/Remittance"
import { Result } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"

const fixtures = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")

const controls = { interchange: "000000905", group: "905", transaction: "0905" }
const fixed: WriteOptions = { sender: "PAYER", receiver: "CLINIC", date: "20261127", time: "1200" }

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(JSON.stringify(result.failure))
  return result.success
}

const failures = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error("expected failures, got text")
  return result.failure
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization: what the reader adds (positions, meanings, totals) comes off; what the writer reorders is put in
// the writer's order.
// ---------------------------------------------------------------------------------------------------------------

/** Keys the reader works out rather than reads: they are checked on their own, then left out of the comparison. */
const derived = new Set([
  "segmentIndex",
  "statusMeaning",
  "patientResponsibilityTotal",
  "balanced",
  "control",
  "claimCount",
  "totals"
])

const strip = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(strip)
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (!derived.has(key) && v !== undefined) out[key] = strip(v)
  return out
}

/** One CAS per group code: adjustments come back grouped, groups in the order they first appear. */
const grouped = (adjustments: ReadonlyArray<Adjustment>): Array<Adjustment> => {
  const groups: Array<string> = []
  for (const a of adjustments) if (!groups.includes(a.group)) groups.push(a.group)
  return groups.flatMap((g) => adjustments.filter((a) => a.group === g))
}

/** NM1s in X221's order: the corrected patient (74) before the rest of `otherNames`. */
const ordered = (names: ReadonlyArray<Name>): Array<Name> => [
  ...names.filter((n) => n.entity === "74"),
  ...names.filter((n) => n.entity !== "74")
]

/** The model as the writer writes it (and the reader gives it back). */
const normalized = (r: RemittanceToWrite): unknown =>
  strip({
    ...r,
    claims: r.claims.map((c) => ({
      ...c,
      adjustments: grouped(c.adjustments),
      otherNames: ordered(c.otherNames),
      lines: c.lines.map((l) => ({ ...l, adjustments: grouped(l.adjustments) }))
    }))
  })

// ---------------------------------------------------------------------------------------------------------------
// Generators: remittances balanced by construction
// ---------------------------------------------------------------------------------------------------------------

/** Characters no delimiter set below uses, a space inside. */
const word = fc.stringMatching(/^[A-Z0-9][A-Z0-9&/,#()+.-]{0,11}$/u)
const text = fc.oneof(
  word,
  fc.tuple(word, word).map(([a, b]) => `${a} ${b}`)
)
const code = (codes: ReadonlyArray<string>) => fc.constantFrom(...codes)
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`, "u"))

const d8 = fc
  .integer({ min: 0, max: 9000 })
  .map((days) => new Date(Date.UTC(2001, 0, 1) + days * 86_400_000).toISOString().slice(0, 10).replaceAll("-", ""))

const cents = fc.integer({ min: 0, max: 5_000_000 })
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 999 }),
  fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100)
)

/** Reasons 18 and 23 are for group OA only (the reader warns otherwise); CR is pre-5010: neither is generated. */
const adjustmentArb: fc.Arbitrary<Adjustment> = fc.record(
  {
    group: code(["CO", "OA", "PI", "PR"]),
    reason: code(["1", "2", "3", "45", "97", "96", "B7", "16", "A1", "253"]),
    amount: fc.integer({ min: -50_000, max: 500_000 }),
    quantity: fc.oneof(quantity, fc.constant(0))
  },
  { requiredKeys: ["group", "reason", "amount"] }
)
const adjustmentsArb = fc.array(adjustmentArb, { maxLength: 5 })

const referenceArb = (qualifiers: ReadonlyArray<string>) => fc.record({ qualifier: code(qualifiers), value: word })

const procedureArb = fc.record(
  {
    qualifier: code(["HC", "AD", "ER", "IV", "N4", "NU"]),
    code: fc.stringMatching(/^[A-Z0-9]{5}$/u),
    modifiers: fc.array(fc.stringMatching(/^[A-Z0-9]{2}$/u), { maxLength: 4 }),
    description: text
  },
  { requiredKeys: ["qualifier", "code", "modifiers"] }
)

const nameArb = (entity: fc.Arbitrary<string>): fc.Arbitrary<Name> =>
  fc
    .record(
      {
        entity,
        entityType: code(["1", "2"]),
        name: text,
        first: word,
        middle: word,
        suffix: code(["JR", "SR", "III"]),
        id: fc.tuple(code(["MI", "MR", "FI", "XX", "C"]), word)
      },
      { requiredKeys: ["entity", "entityType", "name"] }
    )
    .map(({ id, ...name }) => (id === undefined ? name : { ...name, idQualifier: id[0], id: id[1] }))

/** A line, paid what its charge less its adjustments leaves. */
const lineArb: fc.Arbitrary<RemittanceLineToWrite> = fc
  .record(
    {
      procedure: procedureArb,
      charge: cents,
      adjustments: adjustmentsArb,
      revenueCode: digits(4, 4),
      units: fc.oneof(fc.constant(1), quantity),
      originalProcedure: procedureArb,
      originalUnits: quantity,
      serviceDate: d8,
      serviceFrom: d8,
      serviceTo: d8,
      controlNumber: word,
      references: fc.array(referenceArb(["LU", "1S", "APC", "HPI", "0K"]), { maxLength: 2 }),
      allowed: cents,
      amounts: fc.array(fc.record({ qualifier: code(["KH", "T", "T2", "ZK"]), amount: cents }), { maxLength: 2 }),
      quantities: fc.array(fc.record({ qualifier: code(["ZK", "ZL"]), quantity }), { maxLength: 1 }),
      remarks: fc.array(code(["N14", "M15", "N381", "MA130"]), { maxLength: 3 })
    },
    {
      requiredKeys: ["procedure", "charge", "adjustments", "units", "references", "amounts", "quantities", "remarks"]
    }
  )
  .map((l) => ({ ...l, paid: l.charge - sum(l.adjustments) }))

const sum = (adjustments: ReadonlyArray<{ readonly amount: number }>) =>
  adjustments.reduce((total, a) => total + a.amount, 0)

const pr = (adjustments: ReadonlyArray<Adjustment>) => sum(adjustments.filter((a) => a.group === "PR"))

/** A claim, balanced: paid is its charge less every adjustment, CLP05 the PR ones; a reversal negates it all. */
const claimArb: fc.Arbitrary<RemittanceClaimToWrite> = fc
  .record(
    {
      headerNumber: code(["1", "2", "3"]),
      patientControlNumber: word,
      status: code(["1", "2", "3", "4", "19", "20", "21", "22", "23", "25"]),
      filingIndicator: code(["MC", "MB", "CI", "13", "12", "HM"]),
      payerClaimControlNumber: word,
      facilityCode: code(["11", "12", "53", "02"]),
      frequency: code(["1", "7", "8"]),
      adjustments: adjustmentsArb,
      patient: nameArb(fc.constant("QC")),
      insured: nameArb(fc.constant("IL")),
      rendering: nameArb(fc.constant("82")),
      otherNames: fc.array(nameArb(code(["74", "TT", "PR", "GB"])), { maxLength: 3 }),
      references: fc.array(referenceArb(["1L", "1W", "EA", "F8", "G1", "9A"]), { maxLength: 3 }),
      statementFrom: d8,
      statementTo: d8,
      received: d8,
      coverageExpiration: d8,
      amounts: fc.array(fc.record({ qualifier: code(["AU", "DY", "F5", "I", "T"]), amount: cents }), {
        maxLength: 2
      }),
      quantities: fc.array(fc.record({ qualifier: code(["CA", "CD", "LA", "ZK"]), quantity }), { maxLength: 2 }),
      remarks: fc.array(code(["MA01", "MA15", "N20", "M80", "MA07"]), { maxLength: 5 }),
      lines: fc.array(lineArb, { maxLength: 4 }),
      extraCharge: cents,
      sendPatientResponsibility: fc.boolean()
    },
    {
      requiredKeys: [
        "patientControlNumber",
        "status",
        "filingIndicator",
        "payerClaimControlNumber",
        "adjustments",
        "otherNames",
        "references",
        "amounts",
        "quantities",
        "remarks",
        "lines",
        "extraCharge",
        "sendPatientResponsibility"
      ]
    }
  )
  .map(({ extraCharge, sendPatientResponsibility, ...c }) => {
    // A reversal's amounts negated; a zero stays 0, not -0 (no X12 amount reads back as -0).
    const signed = (cents: number) => (c.status === "22" && cents !== 0 ? -cents : cents)
    const negate = (adjustments: ReadonlyArray<Adjustment>) =>
      adjustments.map((a) => ({ ...a, amount: signed(a.amount) }))
    const lines = c.lines.map((l) => ({
      ...l,
      charge: signed(l.charge),
      paid: signed(l.paid),
      adjustments: negate(l.adjustments)
    }))
    const adjustments = negate(c.adjustments)
    const charge = signed(c.lines.length === 0 ? extraCharge : sum(c.lines.map((l) => ({ amount: l.charge }))))
    const adjusted = sum(adjustments) + lines.reduce((total, l) => total + sum(l.adjustments), 0)
    const patientResponsibility = pr(adjustments) + lines.reduce((total, l) => total + pr(l.adjustments), 0)
    const claim = { ...c, lines, adjustments, charge, paid: charge - adjusted }
    return patientResponsibility !== 0 || sendPatientResponsibility ? { ...claim, patientResponsibility } : claim
  })

/** Claims after the first in a header loop (LX) stay in one: the reader carries LX01 on. */
const inHeaderLoops = (claims: ReadonlyArray<RemittanceClaimToWrite>): Array<RemittanceClaimToWrite> => {
  let header: string | undefined
  return claims.map((c) => {
    if (c.headerNumber !== undefined) header = c.headerNumber
    return header === undefined || c.headerNumber !== undefined ? c : { ...c, headerNumber: header }
  })
}

const addressArb = fc.record(
  {
    lines: fc.array(text, { minLength: 0, maxLength: 2 }),
    city: text,
    state: fc.stringMatching(/^[A-Z]{2}$/u),
    postalCode: digits(5, 9),
    country: code(["US", "CA"])
  },
  { requiredKeys: ["lines", "city"] }
)

const partyArb = (references: ReadonlyArray<string>): fc.Arbitrary<Party> =>
  fc
    .record(
      {
        name: text,
        id: fc.tuple(code(["XV", "FI", "XX", "PI"]), word),
        address: addressArb,
        references: fc.array(referenceArb(references), { maxLength: 2 }),
        contacts: fc.array(
          fc.record(
            {
              function: code(["CX", "BL", "IC"]),
              name: text,
              numbers: fc.array(fc.record({ qualifier: code(["TE", "EM", "UR", "FX", "EX"]), value: word }), {
                maxLength: 3
              })
            },
            { requiredKeys: ["function", "numbers"] }
          ),
          { maxLength: 2 }
        )
      },
      { requiredKeys: ["name", "references", "contacts"] }
    )
    .map(({ id, ...party }) => (id === undefined ? party : { ...party, idQualifier: id[0], id: id[1] }))

const plbArb: fc.Arbitrary<ProviderAdjustmentToWrite> = fc.record({
  provider: word,
  fiscalPeriodDate: d8,
  adjustments: fc.array(
    fc.record(
      {
        reason: code(["WO", "L6", "FB", "72", "CV", "J1", "IR"]),
        reference: word,
        amount: fc.integer({ min: -200_000, max: 200_000 })
      },
      { requiredKeys: ["reason", "amount"] }
    ),
    { minLength: 1, maxLength: 6 }
  )
})

const accountArb = fc.record(
  {
    bankIdQualifier: code(["01", "04"]),
    bankId: digits(9, 9),
    accountQualifier: code(["DA", "SG"]),
    accountNumber: digits(4, 17)
  },
  { requiredKeys: ["bankIdQualifier", "bankId"] }
)

/** A whole 835: BPR02 is what the claims and PLBs net to, a debit when that is negative. */
const remittanceArb: fc.Arbitrary<RemittanceToWrite> = fc
  .record(
    {
      trace: fc.record(
        { type: fc.constant("1"), number: word, payerId: digits(10, 10), supplementalCode: word },
        { requiredKeys: ["type", "number", "payerId"] }
      ),
      references: fc.array(referenceArb(["EV", "F2"]), { maxLength: 2 }),
      productionDate: d8,
      payer: partyArb(["2U", "EO", "HI", "NF"]),
      payee: partyArb(["TJ", "PQ", "0B", "D3"]),
      claims: fc.array(claimArb, { maxLength: 5 }).map(inHeaderLoops),
      providerAdjustments: fc.array(plbArb, { maxLength: 2 }),
      method: code(["ACH", "CHK", "BOP"]),
      format: code(["CCP", "CTX"]),
      payerAccount: accountArb,
      originatingCompanyId: digits(10, 10),
      originatingCompanyCode: digits(9, 9),
      payeeAccount: accountArb,
      effectiveDate: d8
    },
    {
      requiredKeys: [
        "trace",
        "references",
        "payer",
        "payee",
        "claims",
        "providerAdjustments",
        "method",
        "effectiveDate"
      ]
    }
  )
  .map(
    ({
      method,
      format,
      effectiveDate,
      payerAccount,
      originatingCompanyId,
      originatingCompanyCode,
      payeeAccount,
      ...r
    }) => {
      const net =
        sum(r.claims.map((c) => ({ amount: c.paid }))) - sum(r.providerAdjustments.flatMap((p) => p.adjustments))
      const payment =
        net === 0
          ? { handling: "H", amount: 0, creditDebit: "C", method: "NON", effectiveDate }
          : {
              handling: "I",
              amount: Math.abs(net),
              creditDebit: net > 0 ? "C" : "D",
              method,
              effectiveDate,
              ...(format === undefined ? {} : { format }),
              ...(payerAccount === undefined ? {} : { payerAccount }),
              ...(originatingCompanyId === undefined ? {} : { originatingCompanyId }),
              ...(originatingCompanyCode === undefined ? {} : { originatingCompanyCode }),
              ...(payeeAccount === undefined ? {} : { payeeAccount })
            }
      return { ...r, payment }
    }
  )

const delimiterSets = fc.constantFrom(
  { element: "*", component: ":", repetition: "^", segment: "~" },
  { element: "|", component: ">", repetition: "^", segment: "~" },
  { element: "^", component: "\\", repetition: "{", segment: "\n" },
  // The usual element separator as the component one, and the usual terminator as the element separator.
  { element: "~", component: "*", repetition: "!", segment: "\r" },
  { element: "|", component: "*", repetition: ":", segment: "'" }
)

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

const checkRead = (read: ReturnType<typeof read835>, model: RemittanceToWrite) => {
  expect(read.problems).toEqual([])
  expect(read.remittances).toHaveLength(1)
  const remittance = read.remittances[0] as RemittanceWithClaims
  expect(strip(remittance)).toEqual(normalized(model))
  // What the reader works out from it.
  expect(remittance.control).toBe(controls.transaction)
  expect(remittance.claimCount).toBe(model.claims.length)
  expect(remittance.balanced).toEqual({ lines: true, claims: true, transaction: true })
  expect(remittance.totals).toEqual({
    claimsPaid: sum(model.claims.map((c) => ({ amount: c.paid }))),
    plb: sum(model.providerAdjustments.flatMap((p) => p.adjustments)),
    bpr: model.payment?.amount
  })
  remittance.claims.forEach((claim, i) => {
    const sent = model.claims[i] as RemittanceClaimToWrite
    expect(claim.statusMeaning).toBe(claimStatusMeaning(sent.status))
    expect(claim.patientResponsibilityTotal).toBe(sent.patientResponsibility ?? 0)
    expect(claim.balanced).toBe(true)
    expect(claim.lines.every((l) => l.balanced)).toBe(true)
  })
}

/** A synchronous property, run 150 times (`fc.assert` is typed for async properties too). */
const holds = (property: fc.IProperty<[RemittanceToWrite, Segments.Delimiters, boolean]>): void =>
  fc.assert(property, { numRuns: 150 })

describe("835 round trip", () => {
  it("writes any balanced model and reads the same model back, with the counts right", () => {
    holds(
      fc.property(remittanceArb, delimiterSets, fc.boolean(), (model, delimiters, newline) => {
        const options = { ...fixed, delimiters, newline }
        const written = ok(write835(model, controls, options))
        expect(ok(write835Lines(model, controls, options)).join("")).toBe(written)
        checkRead(read835(written, { mode: "strict" }), model)
        // The same through the general reader.
        const general = X12.readText(written, { mode: "strict" })
        expect(general.problems).toEqual([])
        if (general._tag !== "Success") throw general.error
        const transaction = general.interchanges[0]?.groups[0]?.transactions[0]
        expect(strip(transaction?.items)).toEqual((normalized(model) as { claims: unknown }).claims)
        // An independent count: SE01 is the number of segments from ST to SE, ISA/GS/GE/IEA around them.
        const segments = Segments.split(written).segments
        const se = segments.find((s) => s.id === "SE")
        expect(Number(se?.elements[1])).toBe(segments.length - 4)
        expect(segments.map((s) => s.id).slice(-2)).toEqual(["GE", "IEA"])
        expect(segments.find((s) => s.id === "GE")?.elements.slice(1)).toEqual(["1", controls.group])
        expect(segments.find((s) => s.id === "IEA")?.elements.slice(1)).toEqual(["1", controls.interchange])
      })
    )
  }, 60_000)

  it("writes the money as the reader reads it: two decimals, reversals negative, a debit when the net is negative", () => {
    const model = fc.sample(remittanceArb, { seed: 7, numRuns: 1 })[0] as RemittanceToWrite
    const reversal: RemittanceClaimToWrite = {
      patientControlNumber: "PCN9",
      status: "22",
      charge: -13500,
      paid: -9505,
      patientResponsibility: -2000,
      filingIndicator: "MC",
      payerClaimControlNumber: "ICN9",
      adjustments: [
        { group: "CO", reason: "45", amount: -1995 },
        { group: "PR", reason: "2", amount: -2000 }
      ],
      otherNames: [],
      references: [],
      amounts: [],
      quantities: [],
      remarks: [],
      lines: []
    }
    const r: RemittanceToWrite = {
      ...model,
      claims: [reversal],
      providerAdjustments: [],
      payment: { handling: "I", amount: 9505, creditDebit: "D", method: "ACH", effectiveDate: "20261127" }
    }
    const x12 = ok(write835(r, controls, fixed))
    expect(x12).toContain("~CLP*PCN9*22*-135.00*-95.05*-20.00*MC*ICN9~CAS*CO*45*-19.95~CAS*PR*2*-20.00~")
    expect(x12).toContain("~BPR*I*95.05*D*ACH")
    expect(x12).toContain("~ST*835*0905~")
    checkRead(read835(x12), r)
  })
})

describe("835 validation", () => {
  const model = fc.sample(
    remittanceArb.filter((r) => r.claims.some((c) => c.lines.length > 0)),
    { seed: 42, numRuns: 1 }
  )[0] as RemittanceToWrite
  const claimIndex = model.claims.findIndex((c) => c.lines.length > 0)
  const claim = model.claims[claimIndex] as RemittanceClaimToWrite
  const paths = (r: RemittanceToWrite, options: WriteOptions = fixed) =>
    failures(write835(r, controls, options)).map((f) => f.path)

  it("writes the sample as it is", () => {
    expect(validate835(model, controls, fixed)).toEqual([])
  })

  it("refuses a line that does not balance, with the line's path and the claim's, and writes nothing", () => {
    const lines = claim.lines.map((l, j) => (j === 0 ? { ...l, paid: l.paid + 1 } : l))
    const claims = model.claims.map((c, i) => (i === claimIndex ? { ...c, lines } : c))
    expect(paths({ ...model, claims })).toEqual([`claims[${claimIndex}].lines[0].paid`])
  })

  it("refuses a claim that does not balance, and then the transaction", () => {
    const claims = model.claims.map((c, i) => (i === claimIndex ? { ...c, paid: c.paid + 1 } : c))
    expect(paths({ ...model, claims })).toEqual([`claims[${claimIndex}].paid`, "payment.amount"])
  })

  it("refuses a payment that is not what the claims and PLBs net to", () => {
    const payment = { ...(model.payment as NonNullable<RemittanceToWrite["payment"]>) }
    const credit = { ...payment, amount: payment.amount + 100 }
    expect(paths({ ...model, payment: credit })).toEqual(["payment.amount"])
    // A debit flips the sign: the same amount as a debit does not balance (unless it nets to zero).
    const flipped = { ...payment, creditDebit: payment.creditDebit === "C" ? "D" : "C" }
    if (payment.amount !== 0) expect(paths({ ...model, payment: flipped })).toEqual(["payment.amount"])
  })

  it("refuses a patient responsibility that is not the sum of the PR adjustments", () => {
    const claims = model.claims.map((c, i) =>
      i === claimIndex ? { ...c, patientResponsibility: (c.patientResponsibility ?? 0) + 5 } : c
    )
    expect(paths({ ...model, claims })).toEqual([`claims[${claimIndex}].patientResponsibility`])
  })

  it("refuses what is missing or malformed, each with its path, never its value", () => {
    const { payment: _payment, trace: _trace, ...rest } = model
    const broken: RemittanceToWrite = {
      ...rest,
      productionDate: "20260230",
      claims: model.claims.map((c, i) =>
        i === claimIndex
          ? {
              ...c,
              status: "X",
              adjustments: [{ group: "ZZ", reason: "45", amount: 0.5 }],
              otherNames: [{ entity: "QC", entityType: "1", name: "SECRETNAME" }]
            }
          : c
      )
    }
    const found = failures(write835(broken, controls, fixed))
    expect(found.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        "payment",
        "trace",
        "productionDate",
        `claims[${claimIndex}].status`,
        `claims[${claimIndex}].adjustments[0].group`,
        `claims[${claimIndex}].adjustments[0].amount`,
        `claims[${claimIndex}].otherNames[0].entity`
      ])
    )
    for (const f of found) expect(f.message).not.toContain("SECRETNAME")
  })

  it("refuses a value holding one of the delimiters (X12 has no escape), whichever set is used", () => {
    for (const delimiters of [
      { element: "*", component: ":", repetition: "^", segment: "~" },
      { element: "|", component: "*", repetition: ":", segment: "'" }
    ]) {
      const options = { ...fixed, delimiters }
      for (const d of [delimiters.element, delimiters.component, delimiters.repetition, delimiters.segment]) {
        const payer = { ...(model.payer as Party), name: `ACME${d}PAYER` }
        const lines = claim.lines.map((l, j) =>
          j === 0 ? { ...l, procedure: { ...l.procedure, code: `99${d}13` } } : l
        )
        const claims = model.claims.map((c, i) => (i === claimIndex ? { ...c, lines } : c))
        expect(paths({ ...model, payer, claims }, options)).toEqual([
          "payer.name",
          `claims[${claimIndex}].lines[0].procedure.code`
        ])
      }
    }
  })

  it("refuses delimiter sets that would collide with the text X12 writes", () => {
    for (const delimiters of [
      { element: ".", component: ":", repetition: "^", segment: "~" },
      { element: "*", component: "-", repetition: "^", segment: "~" },
      { element: "*", component: "*", repetition: "^", segment: "~" },
      { element: "*", component: ":", repetition: "^", segment: "A" },
      { element: "**", component: ":", repetition: "^", segment: "~" }
    ])
      expect(paths(model, { ...fixed, delimiters })[0]).toBe("options.delimiters")
  })

  it("refuses a claim outside a header loop after one in it (the reader would put it in that loop)", () => {
    const first = { ...claim, headerNumber: "1" }
    const { headerNumber: _, ...second } = claim
    expect(
      paths({ ...model, claims: [first, second], providerAdjustments: [], payment: netPayment([first, second]) })
    ).toEqual(["claims[1].headerNumber"])
  })
})

const netPayment = (claims: ReadonlyArray<RemittanceClaimToWrite>) => {
  const net = sum(claims.map((c) => ({ amount: c.paid })))
  return {
    handling: "I",
    amount: Math.abs(net),
    creditDebit: net < 0 ? "D" : "C",
    method: "CHK",
    effectiveDate: "20261127"
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public 835 fixtures: read, written back, read again
// ---------------------------------------------------------------------------------------------------------------

/**
 * What each fixture's writer check finds, before `tolerant`: the money the reader already calls unbalanced (as
 * `line-unbalanced`, `claim-unbalanced`, `transaction-unbalanced` and `patient-responsibility-mismatch`), and the
 * rest listed here. The Ohio file pads a name with a space (N102 of the payee, NM105 of three patients) and its
 * last CLP has only CLP01 and CLP02.
 */
const offStandard: Record<string, ReadonlyArray<string>> = {
  "835_oopfactory_ohio_adamh_bh_example1": [
    "payee.name",
    "claims[2].patient.middle",
    "claims[5].patient.middle",
    "claims[7].patient.middle",
    "claims[9].filingIndicator",
    "claims[9].payerClaimControlNumber"
  ],
  "835_pyx12_t1005_mult_loops": [],
  "835_oopfactory_nebraska_medicaid_deidentified": []
}

/** The writer's path for each money problem the reader reported in a remittance. */
const moneyPaths = (remittance: RemittanceWithClaims, problems: ReturnType<typeof read835>["problems"]) => {
  const paths: Array<string> = []
  for (const p of problems) {
    if (p.transaction !== remittance.control) continue
    if (p.code === "transaction-unbalanced") paths.push("payment.amount")
    remittance.claims.forEach((claim, i) => {
      if (p.segmentIndex === claim.segmentIndex && p.code === "claim-unbalanced") paths.push(`claims[${i}].paid`)
      if (p.segmentIndex === claim.segmentIndex && p.code === "patient-responsibility-mismatch")
        paths.push(`claims[${i}].patientResponsibility`)
      claim.lines.forEach((line, j) => {
        if (p.segmentIndex === line.segmentIndex && p.code === "line-unbalanced")
          paths.push(`claims[${i}].lines[${j}].paid`)
      })
    })
  }
  return paths.sort()
}

describe("835 fixtures: read, write, read again", () => {
  for (const [name, expected] of Object.entries(offStandard)) {
    it(name, () => {
      const first = read835(fixture(name))
      expect(first.remittances.length).toBeGreaterThan(0)
      for (const remittance of first.remittances) {
        const own = { ...controls, transaction: remittance.control }
        // The writer's balancing checks find what the reader found, claim for claim.
        const found = validate835(remittance, own, fixed).map((f) => f.path)
        const money = moneyPaths(remittance, first.problems)
        expect(found.filter((p) => !expected.includes(p)).sort()).toEqual(money)
        expect(found.filter((p) => expected.includes(p))).toEqual(expected)
        // Tolerant: the money and the padding as given. A claim without its required elements is still refused,
        // and is left out of the round trip (the Ohio file's last CLP).
        const tolerant = { ...fixed, tolerant: true }
        const refused = validate835(remittance, own, tolerant).map((f) => f.path)
        expect(refused).toEqual(expected.filter((p) => /(?:filingIndicator|payerClaimControlNumber)$/u.test(p)))
        const dropped = new Set(refused.map((p) => Number(/^claims\[(\d+)\]/u.exec(p)?.[1])))
        const kept = { ...remittance, claims: remittance.claims.filter((_, i) => !dropped.has(i)) }
        const written = ok(write835(kept, own, tolerant))
        const again = read835(written)
        expect(again.remittances).toHaveLength(1)
        const reread = again.remittances[0] as RemittanceWithClaims
        // Model to model: what the model leaves out (TS3, TS2, MOA01, CLP10 and on, claim PER, ...) is not compared.
        expect(strip(reread)).toEqual(normalized(kept))
        expect(reread.totals).toEqual(remittance.totals)
        expect(reread.balanced).toEqual(remittance.balanced)
        // The same problems, but those of the left-out claim and of the original envelope.
        const skipped = new Set(
          remittance.claims
            .filter((_, i) => dropped.has(i))
            .flatMap((c) => [c.segmentIndex, ...c.lines.map((l) => l.segmentIndex)])
        )
        const codes = (problems: ReadonlyArray<{ severity: string; code: string }>) =>
          problems.map((p) => `${p.severity} ${p.code}`).sort()
        expect(codes(again.problems)).toEqual(
          codes(
            first.problems.filter((p) => p.transaction === remittance.control && !skipped.has(p.segmentIndex ?? -1))
          )
        )
      }
    })
  }
})
