// docs/x12.md: reading an 835, whole or in chunks.
import { Problem, Remittance, X12 } from "@openrcm/x12"

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
