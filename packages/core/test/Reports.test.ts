import { describe, expect, it } from "@effect/vitest"
import { Billing, Caller, type Claim, DateOfService, Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"
import * as F from "./store/fixtures.js"

const tenant = F.tenantId()
const day = DateOfService.make
const layer = Layer.merge(
  InMemoryStore.layer,
  Caller.layer({ tenantId: tenant, actor: "test:reports", purpose: "operations" })
)

/** Creates a claim and walks it through `moves`, as the operations would have. */
const claimThrough = (over: Parameters<typeof F.claim>[1], moves: ReadonlyArray<Claim.Status>) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const claim = F.claim(tenant, over)
    yield* store.claims.create([claim])
    let version = claim.version
    for (const to of moves) {
      const moved = yield* store.claims.transition(claim.id, {
        to,
        expectedVersion: version,
        ...(to === "submitted" ? { set: { submittedAt: 1_741_300_000_000 } } : {})
      })
      version = moved.version
    }
    return claim
  })

describe("cleanClaimRate", () => {
  it.effect("counts original claims the payer took on the first pass, in all and by payer", () =>
    Effect.gen(function* () {
      const acme = F.payerId()
      const medicaid = F.payerId()
      const ok = ["ready", "submitted", "accepted", "paid"] as const
      yield* claimThrough({ payerId: acme, serviceDate: "2025-03-03" }, ok)
      yield* claimThrough({ payerId: acme, serviceDate: "2025-03-04" }, ok)
      yield* claimThrough({ payerId: acme, serviceDate: "2025-03-05" }, ["ready", "submitted", "rejected"])
      yield* claimThrough({ payerId: medicaid, serviceDate: "2025-03-06" }, [
        "ready",
        "submitted",
        "accepted",
        "denied"
      ])
      // Not counted: never sent, outside the period, a replacement.
      yield* claimThrough({ payerId: acme, serviceDate: "2025-03-07" }, ["ready"])
      yield* claimThrough({ payerId: acme, serviceDate: "2025-02-28" }, ok)
      yield* claimThrough({ payerId: acme, serviceDate: "2025-03-08", frequency: "7" }, ok)

      const report = yield* Billing.cleanClaimRate({ from: day("2025-03-01"), to: day("2025-03-31") })
      expect(report.total).toEqual({ key: "all", submitted: 4, clean: 2, rate: 0.5 })
      expect(report.byPayer).toEqual(
        [
          { key: acme, submitted: 3, clean: 2, rate: 2 / 3 },
          { key: medicaid, submitted: 1, clean: 0, rate: 0 }
        ].sort((a, b) => (a.key < b.key ? -1 : 1))
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("is 0 of 0 for a period with nothing sent", () =>
    Effect.gen(function* () {
      const report = yield* Billing.cleanClaimRate({ from: day("2030-01-01"), to: day("2030-01-31") })
      expect(report.total).toEqual({ key: "all", submitted: 0, clean: 0, rate: 0 })
    }).pipe(Effect.provide(layer))
  )
})

describe("collections", () => {
  it.effect("sums payments by clinician, payer and month; reversals subtract; PLB apart; period by payment date", () =>
    Effect.gen(function* () {
      const store = yield* Store.Store
      const ada = F.clinicianId()
      const ben = F.clinicianId()
      const acme = F.payerId()
      const a = yield* claimThrough({ renderingClinicianId: ada, payerId: acme }, ["ready", "submitted"])
      const b = yield* claimThrough({ renderingClinicianId: ben, payerId: acme }, ["ready", "submitted"])
      const march = F.remittance(tenant, { paymentDate: "2025-03-20", payerId: acme })
      const april = F.remittance(tenant, { paymentDate: "2025-04-02", payerId: acme })
      const june = F.remittance(tenant, { paymentDate: "2025-06-02", payerId: acme })
      for (const r of [march, april, june]) yield* store.remittances.record(r)
      yield* store.remittances.post([
        F.posting({ remittanceId: march.id, claimId: a.id, amount: 10000 }),
        F.posting({
          remittanceId: march.id,
          claimId: a.id,
          kind: "contractual",
          group: "CO",
          reason: "45",
          amount: 5000
        }),
        F.posting({ remittanceId: april.id, claimId: b.id, amount: 8000 }),
        F.posting({ remittanceId: april.id, claimId: a.id, amount: -10000 }),
        F.posting({ remittanceId: april.id, line: undefined, kind: "provider-level", reason: "WO", amount: -300 }),
        F.posting({ remittanceId: june.id, claimId: b.id, amount: 99999 })
      ])
      const report = yield* Billing.collections({ from: day("2025-03-01"), to: day("2025-04-30") })
      expect(report.total).toBe(8000)
      expect(report.providerLevel).toBe(-300)
      const byKey = (rows: ReadonlyArray<Billing.CollectionRow>) => Object.fromEntries(rows.map((r) => [r.key, r.paid]))
      expect(byKey(report.byClinician)).toEqual({ [ada]: 0, [ben]: 8000 })
      expect(byKey(report.byPayer)).toEqual({ [acme]: 8000 })
      expect(byKey(report.byMonth)).toEqual({ "2025-03": 10000, "2025-04": -2000 })
    }).pipe(Effect.provide(layer))
  )
})

describe("patientStatement", () => {
  it.effect("groups the ledger by claim, oldest service first, with the balance and its age", () =>
    Effect.gen(function* () {
      const store = yield* Store.Store
      const patientId = F.patientId()
      const older = yield* claimThrough({ patientId, serviceDate: "2025-01-10" }, ["ready"])
      const newer = yield* claimThrough({ patientId, serviceDate: "2025-03-10" }, ["ready"])
      const at = (d: string) => Date.parse(`${d}T12:00:00Z`)
      yield* store.patientLedger.append([
        F.patientLedgerEntry(tenant, {
          patientId,
          claimId: newer.id,
          kind: "copay",
          amount: 2500,
          at: at("2025-03-20")
        }),
        F.patientLedgerEntry(tenant, {
          patientId,
          claimId: older.id,
          kind: "deductible",
          amount: 9000,
          at: at("2025-01-20")
        }),
        F.patientLedgerEntry(tenant, {
          patientId,
          claimId: older.id,
          kind: "payment",
          amount: -4000,
          at: at("2025-02-01")
        }),
        F.patientLedgerEntry(tenant, { patientId, kind: "payment", amount: -1000, at: at("2025-03-25") })
      ])
      const statement = yield* Billing.patientStatement(patientId, { asOf: day("2025-04-01") })
      expect(statement.balance).toBe(6500)
      expect(statement.lines.map((l) => [l.claimId, l.serviceDate, l.balance])).toEqual([
        [older.id, "2025-01-10", 5000],
        [newer.id, "2025-03-10", 2500],
        [undefined, undefined, -1000]
      ])
      expect(statement.aging).toEqual({
        days0to30: 1500,
        days31to60: -4000,
        days61to90: 9000,
        days91to120: 0,
        over120: 0
      })
    }).pipe(Effect.provide(layer))
  )
})

describe("agingReport", () => {
  it.effect("is the store's aging as of the day asked", () =>
    Effect.gen(function* () {
      const acme = F.payerId()
      yield* claimThrough({ payerId: acme, serviceDate: "2025-01-01", balance: 15000 }, ["ready", "submitted"])
      const report = yield* Billing.agingReport({ asOf: day("2025-03-15") })
      expect(report.asOf).toBe("2025-03-15")
      expect(report.rows.find((r) => r.payerId === acme)?.days61to90).toBe(15000)
    }).pipe(Effect.provide(layer))
  )
})
