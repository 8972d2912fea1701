import { describe, expect, it } from "@effect/vitest"
import { Claim837, ControlNumbers, X12 } from "@openrcm/x12"
import { Effect, Result } from "effect"
import { TestClock } from "effect/testing"
import * as F from "../../core/test/clearinghouse/fixtures.js"
import * as Batch837 from "../src/Batch837.js"

const parties: Batch837.Parties = {
  submitter: { name: "RIVERBEND BH", id: "RIVERBEND01", contact: { name: "BILLING", phone: "5035550100" } },
  receiver: { name: "SANDBOX CH", id: "SANDBOXCH" },
  usage: "T"
}

/** A realistic batch: two lines with modifiers and pointers, a dependent, a replacement, a second organization. */
const batch = F.batch("batch-837", [
  F.envelope("clm-1", {
    claim: F.claim("clm-1", {
      diagnoses: ["F41.1", "F43.10", "Z63.0"],
      priorAuthorization: "PA-778",
      lines: [
        F.line({ code: "90837", modifiers: ["95", "HO"], placeOfService: "10", diagnosisPointers: [1, 2, 3] }),
        F.line({ code: "90785", charge: 3000, placeOfService: "10", diagnosisPointers: [2] })
      ],
      placeOfService: "10"
    }),
    supervising: F.supervisor()
  }),
  F.envelope("clm-2", {
    patient: F.patient({ id: "pat-sam", firstName: "Sam", dateOfBirth: "2012-06-01", sex: "M" }),
    coverage: F.coverage({
      patientId: "pat-sam",
      subscriber: { relationship: "19", firstName: "Jordan", lastName: "Rivera", dateOfBirth: "1988-04-12" }
    }),
    claim: F.claim("clm-2", {
      lines: [F.line({ code: "90834", charge: 15000, units: 1, dateOfService: "2025-02-11" })]
    })
  }),
  F.envelope("clm-3", {
    claim: F.claim("clm-3", { frequency: "7", payerClaimNumber: "PCN-0042", lines: [F.line({ charge: 21000 })] }),
    billingProvider: F.organization({ id: "org-eastside", name: "Eastside Counseling", npi: F.npi("155566677") })
  })
])

const write = (b = batch) =>
  Effect.gen(function* () {
    const controlNumbers = yield* ControlNumbers.ControlNumbers
    return yield* Batch837.write(b, { ...parties, controlNumbers })
  }).pipe(Effect.provide(ControlNumbers.ControlNumbers.layerMemory))

describe("Batch837", () => {
  it.effect("writes a batch that @openrcm/x12 reads back strictly, equal to what was written", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 2, 1, 9, 5))
      const written = yield* write()
      expect(written.claimIds).toEqual(["clm-1", "clm-2", "clm-3"])
      expect(written.controls).toEqual({ interchange: "000000001", group: "1", transaction: "0001" })
      const back = Claim837.read837(written.text, { mode: "strict" })
      expect(back.problems).toEqual([])
      expect(back.claims).toEqual(Batch837.toSubmission(batch, parties).claims)
      // Every set reads with no problem through the generic reader too.
      const all = X12.readText(written.text, { mode: "strict" })
      expect(all._tag).toBe("Success")
      expect(all.problems).toEqual([])

      const [one, two, three] = back.claims
      expect(back.claims.map((c) => [c.claim.patientControlNumber, c.claim.totalCharge])).toEqual([
        ["clm-1", 23000],
        ["clm-2", 15000],
        ["clm-3", 21000]
      ])
      for (const c of back.claims) expect(c.claim.totalCharge).toBe(c.claim.lines.reduce((s, l) => s + l.charge, 0))
      expect(one?.claim.diagnoses).toEqual(["F411", "F4310", "Z630"])
      expect(one?.claim.lines.map((l) => [l.code, l.modifiers, l.diagnosisPointers, l.placeOfService])).toEqual([
        ["90837", ["95", "HO"], [1, 2, 3], undefined],
        ["90785", [], [2], undefined]
      ])
      expect(one?.claim.placeOfService).toBe("10")
      expect(one?.claim.priorAuthorization).toBe("PA-778")
      expect(one?.claim.supervisingProvider?.name).toEqual({ last: "Lindqvist", first: "Mara" })
      expect(one?.claim.renderingProvider).toEqual({
        npi: "1234567893",
        name: { last: "Okafor", first: "Ada" },
        taxonomy: "1041C0700X"
      })
      expect(one?.subscriber).toMatchObject({
        memberId: F.jordan.memberId,
        relationship: "18",
        claimFilingIndicator: "CI"
      })
      expect(two?.patient).toMatchObject({ relationship: "19", name: { last: "Rivera", first: "Sam" }, sex: "M" })
      expect(two?.subscriber.relationship).toBeUndefined()
      expect(three?.claim.frequency).toBe("7")
      expect(three?.claim.payerClaimControlNumber).toBe("PCN-0042")
      expect(three?.billing?.provider.name).toBe("Eastside Counseling")

      const segments = written.text.split("~")
      expect(segments).toContain("REF*G1*PA-778")
      expect(segments).toContain("REF*F8*PCN-0042")
      expect(segments).toContain("CLM*clm-1*230***10:B:1*Y*A*Y*Y")
      expect(segments).toContain("CLM*clm-3*210***11:B:7*Y*A*Y*Y")
      expect(segments).toContain("HI*ABK:F411*ABF:F4310*ABF:Z630")
      expect(segments).toContain("SV1*HC:90837:95:HO*200*UN*1***1:2:3")
      expect(segments).toContain("PRV*PE*PXC*1041C0700X")
      expect(segments).toContain("REF*EI*123456789")
      expect(segments).toContain("PRV*BI*PXC*261QM0801X")
      expect(segments).toContain("DTP*472*D8*20250211")
      expect(segments.some((s) => /^HL\*\d+\*\d+\*23\*0$/u.test(s))).toBe(true)
      expect(segments).toContain("GS*HC*RIVERBEND01*SANDBOXCH*20250301*0905*1*X*005010X222A1")
    })
  )

  it.effect("takes its control numbers from the allocator: they never repeat", () =>
    Effect.gen(function* () {
      const controlNumbers = yield* ControlNumbers.ControlNumbers
      const a = yield* Batch837.write(batch, { ...parties, controlNumbers })
      const b = yield* Batch837.write(batch, { ...parties, controlNumbers })
      expect([a.controls.interchange, b.controls.interchange]).toEqual(["000000001", "000000002"])
      expect(b.text).toContain("*000000002*0*T*:~")
    }).pipe(Effect.provide(ControlNumbers.ControlNumbers.layerMemory))
  )

  it.effect("refuses a batch the writer refuses, naming the fields and never their values", () =>
    Effect.gen(function* () {
      const wrong = F.batch("wrong", [
        F.envelope("clm-x", { claim: F.claim("clm-x", { charge: 12345 }) }),
        // The 2010AA billing provider's ZIP code needs nine digits.
        F.envelope("clm-y", {
          billingProvider: F.organization({
            id: "org-other",
            address: { ...F.organization().address, postalCode: "97201" }
          })
        })
      ])
      const error = yield* Effect.flip(write(wrong))
      expect(error._tag).toBe("Invalid837")
      expect(error.failures.map((f) => f.path)).toEqual([
        "claims[0].claim.totalCharge",
        "claims[1].billing.provider.address.postalCode"
      ])
      expect(error.message).not.toContain("Rivera")
      expect(error.controls.transaction).toBe("0001")
    })
  )

  it("maps payer kinds to SBR09 and writes without a clock given a stamp", () => {
    expect(Batch837.claimFilingIndicator({ _tag: "Medicare" })).toBe("MB")
    expect(Batch837.claimFilingIndicator({ _tag: "Commercial" })).toBe("CI")
    expect(Batch837.stamp(Date.UTC(2025, 0, 2, 23, 59))).toEqual({ date: "20250102", time: "2359" })
    expect(Batch837.stamp(Date.UTC(2025, 0, 2, 3, 0), "America/New_York")).toEqual({ date: "20250101", time: "2200" })
    const written = Batch837.writeWith(
      batch,
      parties,
      { interchange: "000000007", group: "7", transaction: "0007" },
      { date: "20250301", time: "1200" }
    )
    expect(Result.isSuccess(written)).toBe(true)
    expect(Batch837.read(Result.getOrThrow(written).text).claims.map((c) => c.claimId)).toEqual([
      "clm-1",
      "clm-2",
      "clm-3"
    ])
  })
})
