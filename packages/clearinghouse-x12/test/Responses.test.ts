import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import * as Responses from "../src/Responses.js"

const fixtures = join(import.meta.dirname, "../../../../shared/fixtures/x12")
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.x12`), "utf8")

const read = (text: string, options: Omit<Responses.Options, "id"> & { readonly id?: string } = {}) =>
  Result.getOrThrow(Responses.read(text, { id: "file-1", ...options }))

const ack = [
  "ISA*00*          *00*          *ZZ*PAYER          *ZZ*SUBMITTER      *250304*1200*^*00501*000000777*0*P*:~",
  "GS*FA*PAYER*SUBMITTER*20250304*1200*77*X*005010X231A1~",
  "ST*999*0001*005010X231A1~",
  "AK1*HC*12*005010X222A1~",
  "AK2*837*0001*005010X222A1~",
  "IK5*A~",
  "AK2*837*0002*005010X222A1~",
  "IK3*CLM*8*2300*8~",
  "IK4*2*782*7~",
  "IK5*R*5~",
  "AK2*837*0003*005010X222A1~",
  "IK5*R*5~",
  "AK9*P*3*3*1~",
  "SE*12*0001~",
  "GE*1*77~",
  "IEA*1*000000777~"
].join("\n")

describe("Responses", () => {
  it("a 999: one acknowledgement per set, mapped to the submission; a rejected set rejects its claims", () => {
    const sent = (set: Responses.SentSet): Responses.Sent | undefined =>
      set.group !== "12"
        ? undefined
        : set.transaction === "0001"
          ? { key: F.submissionKey("key-1"), claimIds: [F.claimId("c-1")] }
          : set.transaction === "0002"
            ? { key: F.submissionKey("key-2"), claimIds: [F.claimId("c-2"), F.claimId("c-3")] }
            : undefined
    const { responses, problems } = read(ack, { sent, mode: "strict" })
    expect(problems).toEqual([])
    expect(responses).toEqual([
      { _tag: "Acknowledgement", id: "file-1#1", submissionKey: "key-1", accepted: true, claims: [], errors: [] },
      {
        _tag: "Acknowledgement",
        id: "file-1#2",
        submissionKey: "key-2",
        accepted: false,
        claims: [
          { claimId: "c-2", status: "rejected", reasons: ["IK5:5", "IK3:CLM:8", "IK4:2:7"] },
          { claimId: "c-3", status: "rejected", reasons: ["IK5:5", "IK3:CLM:8", "IK4:2:7"] }
        ],
        errors: ["IK5:5", "IK3:CLM:8", "IK4:2:7"]
      },
      // A set the caller does not know: no key, no claims.
      { _tag: "Acknowledgement", id: "file-1#3", accepted: false, claims: [], errors: ["IK5:5"] }
    ])
  })

  it("a 277CA: each claim by its trace, rejected with its STC codes or accepted with the payer's claim number", () => {
    const rejected = read(fixture("277CA_imsweb_rejected"))
    expect(rejected.responses).toEqual([
      {
        _tag: "ClaimStatus",
        id: "file-1",
        claims: [
          { claimId: "3920394930203", status: "rejected", reasons: ["A7:562:85"], payerClaimNumber: "1107000000001120" }
        ]
      }
    ])
    const accepted = read(fixture("277CA_imsweb_accepted"))
    const claims = accepted.responses.flatMap((r) => (r._tag === "ClaimStatus" ? r.claims : []))
    expect(claims.length).toBeGreaterThan(0)
    for (const claim of claims) {
      expect(claim.status).toBe("accepted")
      expect(claim.reasons).toEqual([])
    }
  })

  it("an 835: one remittance, its advice read from the text, with the text's SHA-256", () => {
    const text = fixture("835_oopfactory_ohio_adamh_bh_example1")
    const { responses } = read(text, { id: "remit.835" })
    expect(responses).toEqual([
      {
        _tag: "Remittance",
        id: "remit.835",
        advice: expect.objectContaining({ contentHash: createHash("sha256").update(text).digest("hex") })
      }
    ])
  })

  it("text that is not X12 is an X12ParseError", () => {
    const result = Responses.read("hello", { id: "x" })
    expect(Result.isFailure(result)).toBe(true)
  })
})
