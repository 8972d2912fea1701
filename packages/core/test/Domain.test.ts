import { describe, expect, it } from "@effect/vitest"
import { Clinician, Coding, Coverage, DateOfService, Organization, Patient, Tenant } from "@openrcm/core"
import { Schema } from "effect"

const d = DateOfService.make

const organization = {
  id: "org-1",
  tenantId: "tenant-a",
  name: "Riverbend Behavioral Health",
  npi: "1245319599",
  tin: "123456789",
  taxonomy: "261QM0801X",
  facilityType: "office",
  address: { line1: "1 Main St", city: "Springfield", state: "IL", postalCode: "62701" }
}

describe("domain model", () => {
  it("decodes an organization and names every bad field", () => {
    expect(Schema.decodeUnknownSync(Organization.Organization)(organization).name).toBe("Riverbend Behavioral Health")
    const exit = Schema.decodeUnknownExit(Organization.Organization)(
      {
        ...organization,
        npi: "1245319598",
        tin: "12-3456789",
        taxonomy: "261Q",
        address: { ...organization.address, state: "XX" }
      },
      { errors: "all" }
    )
    const text = String(exit)
    for (const field of ["npi", "tin", "taxonomy", "state"]) expect(text).toContain(field)
  })

  it("marks a patient's PHI fields in the schema", () => {
    expect(Patient.phiFields).toEqual(["firstName", "lastName", "dateOfBirth", "address", "phone"])
  })

  it("finds a clinician's supervisor and licenses on a date", () => {
    const clinician = Schema.decodeUnknownSync(Clinician.Clinician)({
      id: "cl-9",
      tenantId: "tenant-a",
      npi: "1234567893",
      firstName: "Ana",
      lastName: "Ruiz",
      credential: "LMSW",
      taxonomy: "1041C0700X",
      licenses: [{ state: "IL", number: "150-1", credential: "LMSW", expires: "2025-11-30" }],
      supervisedBy: [{ supervisorId: "cl-1", period: { start: "2025-01-01", end: "2025-12-31" } }]
    })
    expect(Clinician.supervisorOn(clinician, d("2025-06-01"))).toBe("cl-1")
    expect(Clinician.supervisorOn(clinician, d("2026-01-01"))).toBeUndefined()
    expect(Clinician.isLicensedOn(clinician, "IL", d("2025-11-30"))).toBe(true)
    expect(Clinician.isLicensedOn(clinician, "IL", d("2025-12-01"))).toBe(false)
    expect(Clinician.isLicensedOn(clinician, "WI", d("2025-06-01"))).toBe(false)
  })

  it.each([
    ["01-01", "2025-03-04", "2025-01-01"],
    ["07-01", "2025-03-04", "2024-07-01"],
    ["07-01", "2025-07-01", "2025-07-01"],
    ["07-01", "2025-06-30", "2024-07-01"],
    ["02-29", "2025-03-01", "2025-02-28"],
    ["02-29", "2024-03-01", "2024-02-29"]
  ])("a plan year starting %s contains %s from %s", (start, date, expected) => {
    const coverage = { planYearStart: start } as Coverage.Coverage
    expect(Coverage.planYearStartFor(coverage, d(date))).toBe(expected)
  })

  it("is active on both ends of its period", () => {
    const coverage = { period: { start: d("2025-01-01"), end: d("2025-06-30") } } as Coverage.Coverage
    expect(Coverage.isActiveOn(coverage, d("2025-01-01"))).toBe(true)
    expect(Coverage.isActiveOn(coverage, d("2025-06-30"))).toBe(true)
    expect(Coverage.isActiveOn(coverage, d("2025-07-01"))).toBe(false)
  })

  it("decodes a tenant's settings and refuses nonsense", () => {
    const tenant = Schema.decodeUnknownSync(Tenant.Tenant)({
      id: "tenant-a",
      name: "Riverbend",
      settings: { timeZone: "America/Chicago", fees: { noShow: 7500 }, authorizationAlerts: { days: 10 } }
    })
    expect(tenant.settings.fees?.noShow).toBe(7500)
    expect(() =>
      Schema.decodeUnknownSync(Tenant.Tenant)({
        id: "tenant-a",
        name: "R",
        settings: { timeZone: "", eligibilityMaxAgeMinutes: 0 }
      })
    ).toThrow()
  })

  it("takes at most four modifiers on a service line", () => {
    const line = { code: "90834", modifiers: ["95", "HO"], units: 1, placeOfService: "10", dateOfService: "2025-03-04" }
    expect(Schema.decodeUnknownSync(Coding.ServiceLine)(line).modifiers).toEqual(["95", "HO"])
    expect(() =>
      Schema.decodeUnknownSync(Coding.ServiceLine)({ ...line, modifiers: ["95", "HO", "GT", "U1", "U2"] })
    ).toThrow()
    expect(() => Schema.decodeUnknownSync(Coding.ServiceLine)({ ...line, units: 0 })).toThrow()
  })
})
