// The fast-check generators for 837P submissions, shared by the round-trip property (Claim837.test.ts) and the
// cross-check with unrelated readers (CrossCheck.test.ts): any valid model the writer accepts.
import type { Adjustment, Claim837, Submission837 } from "@openrcm/x12/Claim837"
import * as fc from "fast-check"

/** A valid NPI from nine digits: Luhn over 80840 and the nine digits, computed here independently of the source. */
export const npi = (nine: string): string => {
  const digits = `80840${nine}`
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return `${nine}${(10 - (sum % 10)) % 10}`
}

export const word = fc.stringMatching(/^[A-Z][A-Z0-9]{0,7}$/)
export const text15 = fc.stringMatching(/^[A-Z0-9](?:[A-Z0-9 .&'-]{0,10}[A-Z0-9])?$/)
export const npiArb = fc.stringMatching(/^[1-2]\d{8}$/).map(npi)
export const isoDate = fc
  .date({ min: new Date("1920-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
export const cents = fc.integer({ min: 0, max: 5_000_000 })
export const signedCents = fc.integer({ min: -100_000, max: 1_000_000 })
export const units = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(0.5, 1.25, 2.125))
export const code5 = fc.stringMatching(/^(?:9\d{4}|H\d{4}|[A-Z]\d{4})$/)
export const modifier = fc.stringMatching(/^[A-Z0-9]{2}$/)
export const icd10 = fc.stringMatching(/^[A-Z]\d[0-9A-Z]{1,5}$/)
export const taxonomy = fc.stringMatching(/^[0-9]{3}[A-Z0-9]{6}X$/)
export const linePriorAuthorization = fc.stringMatching(/^LINE[A-Z0-9]{1,8}$/)
export const claimPriorAuthorization = fc.stringMatching(/^CLAIM[A-Z0-9]{1,8}$/)
export const patientControlNumber = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,20}$/)
export const sex = fc.constantFrom("M" as const, "F" as const, "U" as const)
export const address = fc.record(
  {
    line1: text15,
    line2: text15,
    city: word,
    state: fc.stringMatching(/^[A-Z]{2}$/),
    postalCode: fc.stringMatching(/^\d{5}(?:\d{4})?$/)
  },
  { requiredKeys: ["line1", "city", "state", "postalCode"] }
)
export const personName = fc.record(
  { last: text15, first: word, middle: word, suffix: fc.constantFrom("JR", "SR", "III", "PHD") },
  { requiredKeys: ["last", "first"] }
)
export const orgOrPerson = fc.oneof(personName, fc.record({ last: text15 }, { requiredKeys: ["last"] }))
export const payer = fc.record({ name: text15, id: word, address }, { requiredKeys: ["name", "id"] })
export const filing = fc.constantFrom(
  "CI" as const,
  "MB" as const,
  "MC" as const,
  "BL" as const,
  "HM" as const,
  "ZZ" as const
)
export const responsibility = fc.constantFrom("P" as const, "S" as const, "T" as const)

/** Adjustments as the writer groups them: by group code, in order, at most 6 each. */
export const adjustments = fc
  .array(
    fc.record(
      {
        group: fc.constantFrom("CO" as const, "PR" as const, "OA" as const, "PI" as const, "CR" as const),
        reason: fc.stringMatching(/^(?:[1-9]\d{0,2}|[A-Z]\d{1,2})$/),
        amount: signedCents,
        quantity: fc.integer({ min: 1, max: 9 })
      },
      { requiredKeys: ["group", "reason", "amount"] }
    ),
    { maxLength: 8 }
  )
  .map((list) => {
    const order = ["CO", "PR", "OA", "PI", "CR"]
    const grouped: Array<Adjustment> = []
    for (const group of order) grouped.push(...list.filter((a) => a.group === group).slice(0, 6))
    return grouped
  })

export const otherPayer = fc.record(
  {
    responsibility,
    relationship: fc.constantFrom("18", "01", "19", "G8"),
    groupNumber: word,
    groupName: text15,
    claimFilingIndicator: filing,
    paidAmount: signedCents,
    remainingPatientLiability: cents,
    adjustments,
    benefitsAssignment: fc.constantFrom("Y" as const, "N" as const, "W" as const),
    patientSignatureSource: fc.constant("P" as const),
    releaseOfInformation: fc.constantFrom("I" as const, "Y" as const),
    subscriber: fc.record({ name: personName, memberId: word, address }, { requiredKeys: ["name", "memberId"] }),
    payer,
    adjudicationDate: isoDate
  },
  {
    requiredKeys: [
      "responsibility",
      "relationship",
      "claimFilingIndicator",
      "adjustments",
      "benefitsAssignment",
      "releaseOfInformation",
      "subscriber",
      "payer"
    ]
  }
)

export const lineArb = (diagnoses: number, payerIds: ReadonlyArray<string>, count: number) =>
  fc.record(
    {
      code: code5,
      modifiers: fc.array(modifier, { maxLength: 4 }),
      charge: cents,
      units,
      placeOfService: fc.constantFrom("02", "10", "11", "53"),
      diagnosisPointers: fc.array(fc.integer({ min: 1, max: diagnoses }), { minLength: 1, maxLength: 4 }),
      dateOfService: isoDate,
      dateOfServiceEnd: fc.constant("2031-01-01"),
      lineControlNumber: word,
      priorAuthorization: linePriorAuthorization,
      otherPayerAdjudication:
        payerIds.length === 0
          ? fc.constant(undefined)
          : fc.array(
              fc.record(
                {
                  payerId: fc.constantFrom(...payerIds),
                  paidAmount: signedCents,
                  code: code5,
                  modifiers: fc.array(modifier, { maxLength: 4 }),
                  paidUnits: fc.integer({ min: 0, max: 9 }),
                  bundledLineNumber: fc.integer({ min: 1, max: count }),
                  adjustments,
                  adjudicationDate: isoDate,
                  remainingPatientLiability: cents
                },
                {
                  requiredKeys: [
                    "payerId",
                    "paidAmount",
                    "code",
                    "modifiers",
                    "paidUnits",
                    "adjustments",
                    "adjudicationDate"
                  ]
                }
              ),
              { minLength: 1, maxLength: 2 }
            )
    },
    {
      requiredKeys: ["code", "modifiers", "charge", "units", "diagnosisPointers", "dateOfService"]
    }
  )

export const claimArb: fc.Arbitrary<Claim837> = fc
  .record({
    diagnoses: fc.array(icd10, { minLength: 1, maxLength: 12 }),
    otherPayers: fc.array(otherPayer, { maxLength: 2 }),
    lineCount: fc.integer({ min: 1, max: 4 }),
    dependent: fc.boolean(),
    frequency: fc.constantFrom("1" as const, "7" as const, "8" as const)
  })
  .chain(({ diagnoses, otherPayers, lineCount, dependent, frequency }) =>
    fc
      .record({
        lines: fc.array(
          lineArb(
            diagnoses.length,
            otherPayers.map((o) => o.payer.id),
            lineCount
          ),
          { minLength: lineCount, maxLength: lineCount }
        ),
        subscriber: fc.record(
          {
            memberId: word,
            name: personName,
            dob: isoDate,
            sex,
            address,
            responsibility,
            groupNumber: word,
            groupName: text15,
            claimFilingIndicator: filing
          },
          { requiredKeys: ["memberId", "name", "responsibility", "claimFilingIndicator", "dob", "sex"] }
        ),
        patient: fc.record(
          { relationship: fc.constantFrom("01", "19", "20", "21", "G8"), name: personName, dob: isoDate, sex, address },
          { requiredKeys: ["relationship", "name", "dob", "sex"] }
        ),
        payer,
        claim: fc.record(
          {
            patientControlNumber,
            placeOfService: fc.constantFrom("02", "03", "10", "11", "12", "53", "99"),
            providerSignature: fc.boolean(),
            assignment: fc.constantFrom("A" as const, "B" as const, "C" as const),
            benefitsAssignment: fc.constantFrom("Y" as const, "N" as const, "W" as const),
            releaseOfInformation: fc.constantFrom("I" as const, "Y" as const),
            patientSignatureSource: fc.constant("P" as const),
            referralNumber: word,
            priorAuthorization: claimPriorAuthorization,
            payerClaimControlNumber: word,
            referringProvider: fc.record({ npi: npiArb, name: orgOrPerson }),
            renderingProvider: fc.record(
              { npi: npiArb, name: personName, taxonomy: taxonomy },
              { requiredKeys: ["npi", "name"] }
            ),
            serviceFacility: fc.record({ name: text15, npi: npiArb, address }, { requiredKeys: ["name", "address"] }),
            supervisingProvider: fc.record({ npi: npiArb, name: personName })
          },
          {
            requiredKeys: [
              "patientControlNumber",
              "placeOfService",
              "providerSignature",
              "assignment",
              "benefitsAssignment",
              "releaseOfInformation"
            ]
          }
        )
      })
      .map(({ lines, subscriber, patient, payer, claim }): Claim837 => {
        const fixedLines = lines.map((line) => {
          const { otherPayerAdjudication, dateOfServiceEnd, ...rest } = line
          return {
            ...rest,
            // An RD8 range ends on or after its start.
            ...(dateOfServiceEnd === undefined ? {} : { dateOfServiceEnd: rest.dateOfService }),
            ...(otherPayerAdjudication === undefined ? {} : { otherPayerAdjudication })
          }
        })
        const { payerClaimControlNumber, ...claimRest } = claim
        const f8 = frequency === "1" ? payerClaimControlNumber : (payerClaimControlNumber ?? "PAYERCCN1")
        const { dob, sex: subscriberSex, ...subscriberRest } = subscriber
        return {
          subscriber: dependent
            ? { ...subscriberRest }
            : { ...subscriberRest, dob, sex: subscriberSex, relationship: "18" },
          ...(dependent ? { patient } : {}),
          payer,
          claim: {
            ...claimRest,
            frequency,
            ...(f8 === undefined ? {} : { payerClaimControlNumber: f8 }),
            diagnoses,
            ...(otherPayers.length === 0 ? {} : { otherPayers }),
            lines: fixedLines,
            totalCharge: fixedLines.reduce((sum, l) => sum + l.charge, 0)
          }
        }
      })
  )

export const submissionArb: fc.Arbitrary<Submission837> = fc.record(
  {
    reference: word,
    submitter: fc.record({
      name: text15,
      id: word,
      contact: fc.record(
        { name: text15, phone: fc.stringMatching(/^\d{10}$/), email: fc.constant("edi@example.org") },
        { requiredKeys: ["name", "phone"] }
      )
    }),
    receiver: fc.record({ name: text15, id: word }),
    billingProvider: fc.record(
      {
        name: text15,
        firstName: word,
        npi: npiArb,
        taxonomy: taxonomy,
        ein: fc.stringMatching(/^\d{9}$/),
        address: address.map((a) => ({ ...a, postalCode: a.postalCode.padEnd(9, "0") })),
        contact: fc.record({ name: text15, email: fc.constant("provider@example.org") })
      },
      { requiredKeys: ["name", "npi", "ein", "address"] }
    ),
    payToAddress: address,
    claims: fc.array(claimArb, { minLength: 1, maxLength: 4 })
  },
  { requiredKeys: ["reference", "submitter", "receiver", "billingProvider", "claims"] }
)

export const delimiterSets = fc.constantFrom(
  { element: "*", component: ":", repetition: "^", segment: "~" },
  { element: "|", component: ">", repetition: "^", segment: "~" },
  { element: "^", component: "\\", repetition: "{", segment: "\n" }
)
