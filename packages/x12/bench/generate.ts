import type { Claim837, Header837, Submission837 } from "../src/Claim837.ts"

// Synthetic X12 for benchmarks: an 835 of N claims that balances, written in chunks so any size fits.
const pad = (value: string, width: number) => value.padEnd(width, " ")

export const isa = (control: string) =>
  `ISA*00*${pad("", 10)}*00*${pad("", 10)}*ZZ*${pad("PAYER", 15)}*ZZ*${pad("CLINIC", 15)}*251127*1200*^*00501*${control}*0*P*:~`

const cents = (n: number) => {
  const whole = Math.floor(n / 100)
  const rest = n % 100
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0").replace(/0$/u, "")}`
}

/** One claim loop of an 835 (LX, CLP, CAS, NM1, DTM and two service lines), and its paid amount in cents. */
export const claim835 = (i: number): { readonly text: string; readonly paid: number; readonly segments: number } => {
  const charge1 = 13_500 + (i % 7) * 100
  const charge2 = 2_500
  const adjust1 = 2_700 + (i % 5) * 10
  const patient1 = 2_000
  const paid1 = charge1 - adjust1 - patient1
  const paid2 = charge2 - 500
  const paid = paid1 + paid2
  const charge = charge1 + charge2
  const text =
    `LX*${i + 1}~CLP*PCN${i}*1*${cents(charge)}*${cents(paid)}*${cents(patient1)}*12*PAYERCN${i}*11*1~` +
    `NM1*QC*1*DOE*JANE****MI*MEM${i}~NM1*82*1*SMITH*ALEX****XX*1245319599~DTM*232*20251101~` +
    `SVC*HC:90834:95*${cents(charge1)}*${cents(paid1)}**1~DTM*472*20251101~CAS*CO*45*${cents(adjust1)}~CAS*PR*2*${cents(patient1)}~REF*6R*L${i}A~AMT*B6*${cents(charge1 - adjust1)}~` +
    `SVC*HC:90785*${cents(charge2)}*${cents(paid2)}**1~DTM*472*20251101~CAS*CO*45*5~REF*6R*L${i}B~`
  return { text, paid, segments: 15 }
}

/** Writes an 835 of `claims` claims through `write`, in pieces; returns the bytes written. */
export const write835 = (claims: number, write: (text: string) => void): number => {
  let bytes = 0
  const out = (text: string) => {
    bytes += text.length
    write(text)
  }
  // The header needs the total: go over the claims twice rather than hold them.
  let total = 0
  let segments = 0
  for (let i = 0; i < claims; i++) {
    const c = claim835(i)
    total += c.paid
    segments += c.segments
  }
  out(isa("000000001"))
  out("GS*HP*PAYER*CLINIC*20251127*1200*1*X*005010X221A1~ST*835*0001*005010X221A1~")
  out(`BPR*I*${cents(total)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20251127~`)
  out(
    "TRN*1*EFT12345*1512345678~DTM*405*20251127~N1*PR*SYNTHETIC PAYER~N4*CHICAGO*IL*60601~N1*PE*RIVERBEND BH*XX*1245319599~"
  )
  let chunk: Array<string> = []
  for (let i = 0; i < claims; i++) {
    chunk.push(claim835(i).text)
    if (chunk.length === 2000) {
      out(chunk.join(""))
      chunk = []
    }
  }
  if (chunk.length > 0) out(chunk.join(""))
  out(`SE*${segments + 8}*0001~GE*1*1~IEA*1*000000001~`)
  return bytes
}

/** An 835 of `claims` claims as one string. */
export const text835 = (claims: number): string => {
  const parts: Array<string> = []
  write835(claims, (t) => parts.push(t))
  return parts.join("")
}

/** What a bench 837P batch names once. */
export const header837: Header837 = {
  reference: "BENCH",
  submitter: { name: "RIVERBEND BH", id: "RBH0001", contact: { name: "BILLING", phone: "3125550100" } },
  receiver: { name: "CLEARINGHOUSE", id: "CLEARHOUSE" },
  billingProvider: {
    name: "RIVERBEND BH",
    npi: "1245319599",
    taxonomy: "261QM0801X",
    ein: "123456789",
    address: { line1: "1 MAIN ST", city: "SPRINGFIELD", state: "IL", postalCode: "627010001" }
  }
}

/** Claim `i` of a bench batch: 90834 + 90785 by video, a dependent's claim every third. */
export const claim837 = (i: number): Claim837 => ({
  subscriber: {
    memberId: `MEM${i}`,
    name: { last: "DOE", first: "JANE" },
    dob: "1980-05-05",
    sex: "F",
    responsibility: "P",
    ...(i % 3 === 0 ? {} : { relationship: "18" }),
    claimFilingIndicator: "CI"
  },
  ...(i % 3 === 0
    ? { patient: { relationship: "19", name: { last: "DOE", first: "SAM" }, dob: "2012-01-01", sex: "M" } }
    : {}),
  payer: { name: "ACME HEALTH", id: "ACME01" },
  claim: {
    patientControlNumber: `PCN${i}`,
    totalCharge: 14_750,
    placeOfService: "10",
    frequency: "1",
    providerSignature: true,
    assignment: "A",
    benefitsAssignment: "Y",
    releaseOfInformation: "Y",
    diagnoses: ["F4322", "F411"],
    renderingProvider: { npi: "1234567893", name: { last: "CHEN", first: "AVA" }, taxonomy: "101YM0800X" },
    lines: [
      {
        code: "90834",
        modifiers: ["95", "HO"],
        charge: 13_500,
        units: 1,
        diagnosisPointers: [1, 2],
        dateOfService: "2025-11-20"
      },
      { code: "90785", modifiers: ["95"], charge: 1_250, units: 1, diagnosisPointers: [1], dateOfService: "2025-11-20" }
    ]
  }
})

/** A behavioral-health 837P batch of `claims` claims. */
export const submission837 = (claims: number): Submission837 => ({
  ...header837,
  claims: Array.from({ length: claims }, (_, i) => claim837(i))
})
