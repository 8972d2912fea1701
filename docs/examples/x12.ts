// docs/x12.md: reading an 835, whole or in chunks.
import { Problem, Remittance, X12 } from "@openrcm/x12"
import { Result } from "effect"

export const remit = [
  "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *251127*1200*^*00501*000000001*0*P*:~",
  "GS*HP*PAYER*CLINIC*20251127*1200*1*X*005010X221A1~",
  "ST*835*0001*005010X221A1~",
  "BPR*I*95*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20251127~",
  "TRN*1*EFT12345*1512345678~",
  "N1*PR*SYNTHETIC PAYER~",
  "N1*PE*RIVERBEND BH*XX*1245319599~",
  "LX*1~",
  "CLP*PCN1*1*135*95*20*12*PAYERCN1*11*1~",
  "SVC*HC:90834:95*135*95**1~",
  "CAS*CO*45*20~",
  "CAS*PR*2*20~",
  "SE*11*0001~GE*1*1~IEA*1*000000001~"
].join("\n")

/** The claims of a whole text, with each problem and where it is. */
export function readRemittance(text: string) {
  const { remittances, problems } = Remittance.read835(text)
  return {
    claims: remittances.flatMap((r) =>
      r.claims.map((c) => `${c.patientControlNumber}: paid ${c.paid} of ${c.charge} cents`)
    ),
    problems: problems.map((p) => `${p.code} at ${Problem.position(p)}`)
  }
}

/** A file of any size, in chunks: claims come out one by one, memory stays flat. */
export async function countClaims(chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  let claims = 0
  for await (const event of X12.readChunks(chunks)) if (event._tag === "Item") claims++
  return claims
}

// docs/x12.md, "Writing an 835": a remittance built as the reader would read it, written, read back.
export const payment: Remittance.RemittanceToWrite = {
  payment: { handling: "I", amount: 9500, creditDebit: "C", method: "CHK", effectiveDate: "20251127" },
  trace: { type: "1", number: "CHK10045", payerId: "1512345678" },
  references: [],
  payer: {
    name: "SYNTHETIC PAYER",
    address: { lines: ["PO BOX 100"], city: "SPRINGFIELD", state: "IL", postalCode: "62701" },
    references: [],
    contacts: [{ function: "BL", name: "PROVIDER SERVICES", numbers: [{ qualifier: "TE", value: "8005550100" }] }]
  },
  payee: { name: "RIVERBEND BH", idQualifier: "XX", id: "1245319599", references: [], contacts: [] },
  claims: [
    {
      headerNumber: "1",
      patientControlNumber: "PCN1",
      status: "1",
      charge: 13500,
      paid: 9500,
      patientResponsibility: 2000,
      filingIndicator: "12",
      payerClaimControlNumber: "PAYERCN1",
      adjustments: [],
      otherNames: [],
      references: [],
      amounts: [],
      quantities: [],
      remarks: [],
      lines: [
        {
          procedure: { qualifier: "HC", code: "90834", modifiers: ["95"] },
          charge: 13500,
          paid: 9500,
          units: 1,
          serviceDate: "20251120",
          adjustments: [
            { group: "CO", reason: "45", amount: 2000 },
            { group: "PR", reason: "2", amount: 2000 }
          ],
          references: [],
          amounts: [],
          quantities: [],
          remarks: []
        }
      ]
    }
  ],
  providerAdjustments: []
}

/** The 835 as text, or where it is wrong: the paths of the fields, never their values. */
export function write(remittance: Remittance.RemittanceToWrite): string | ReadonlyArray<string> {
  const written = Remittance.write835(
    remittance,
    { interchange: "000000002", group: "2", transaction: "0002" },
    { sender: "PAYER", receiver: "CLINIC", date: "20251127", time: "1200" }
  )
  return Result.isSuccess(written) ? written.success : written.failure.map((f) => `${f.path}: ${f.message}`)
}
