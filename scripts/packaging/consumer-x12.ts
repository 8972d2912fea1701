// A program that uses @openrcm/x12 alone (no other OpenRCM package): reads an 835, and writes an 837P from
// claims that come one by one. Type-checked and run by consumer.test.ts against the packed tarball.
import { Claim837, Remittance, X12 } from "@openrcm/x12"
import { Result } from "effect"

const remittance =
  "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *251127*1200*^*00501*000000001*0*P*:~" +
  "GS*HP*PAYER*CLINIC*20251127*1200*1*X*005010X221A1~ST*835*0001~BPR*I*95*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20251127~" +
  "TRN*1*12345*1512345678~DTM*405*20251127~N1*PR*ACME HEALTH~N3*1 PAYER WAY~N4*CHICAGO*IL*60601~PER*BL*EDI*TE*8005550100~" +
  "N1*PE*RIVERBEND BH*XX*1245319599~LX*1~CLP*PCN1*1*135*95*20*12*PAYERCN1*11*1~NM1*QC*1*DOE*JANE****MI*MEM1~" +
  "SVC*HC:90834*135*95**1~DTM*472*20251101~CAS*CO*45*20~CAS*PR*2*20~SE*17*0001~GE*1*1~IEA*1*000000001~"

const read = X12.readText(remittance, { mode: "strict" })
if (read._tag !== "Success") throw new Error(read.error.message)
const claims = Remittance.read835(remittance).remittances[0]?.claims ?? []

const header: Claim837.Header837 = {
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
async function* comingClaims(): AsyncGenerator<Claim837.Claim837> {
  for (let i = 0; i < 3; i++)
    yield {
      subscriber: {
        memberId: `MEM${i}`,
        name: { last: "DOE", first: "JANE" },
        dob: "1980-05-05",
        sex: "F",
        responsibility: "P",
        relationship: "18",
        claimFilingIndicator: "CI"
      },
      payer: { name: "ACME HEALTH", id: "ACME01" },
      claim: {
        patientControlNumber: `PCN${i}`,
        totalCharge: 13_500,
        placeOfService: "10",
        frequency: "1",
        providerSignature: true,
        assignment: "A",
        benefitsAssignment: "Y",
        releaseOfInformation: "Y",
        diagnoses: ["F4322"],
        lines: [
          {
            code: "90834",
            modifiers: ["95"],
            charge: 13_500,
            units: 1,
            diagnosisPointers: [1],
            dateOfService: "2025-11-20"
          }
        ]
      }
    }
}
const written = Claim837.write837Chunks(
  header,
  comingClaims(),
  { interchange: "000000002", group: "2", transaction: "0002" },
  { date: "20251127", time: "1200", usage: "T" }
)
if (Result.isFailure(written)) throw new Error(written.failure.map((f) => f.path).join(", "))
let text = ""
for await (const piece of written.success) text += piece
const back = Claim837.read837(text)
console.log(
  JSON.stringify({
    remittanceClaims: claims.length,
    paid: claims[0]?.paid,
    claims837: back.submissions[0]?.claims.length
  })
)
