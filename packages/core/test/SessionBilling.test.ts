import { describe, expect, it } from "@effect/vitest"
import { Billing, BillingRuntime, Caller, FeeSchedule, type Ids, RuleSet, Session, Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Schema } from "effect"
import * as F from "./clearinghouse/fixtures.js"

const layer = Layer.mergeAll(
  InMemoryStore.layer,
  Caller.layer({ tenantId: F.tenantId, actor: "user:clinician", purpose: "treatment" }),
  Layer.orDie(RuleSet.layerBuiltin())
)

const seed = Effect.gen(function* () {
  const store = yield* Store.Store
  yield* store.organizations.put(F.organization())
  yield* store.clinicians.put(F.clinician())
  yield* store.payers.put(F.payer())
  yield* store.patients.put(F.patient())
  yield* store.coverages.put(F.coverage())
  yield* store.coverages.put(F.coverage({ id: "cov-other", patientId: "pat-other" }))
  yield* store.feeSchedules.put(
    Schema.decodeUnknownSync(FeeSchedule.FeeSchedule)({
      id: "fees",
      tenantId: F.tenantId,
      rates: { "90834": 13500, "90837": 18000 }
    })
  )
})

/** A session of `minutes` in the office on 2025-03-04, at 15:00 UTC, with the LCSW billing. */
const session = (minutes: number, status: Session.TrackedSession["status"] = "completed"): Session.TrackedSession => {
  const startedAt = Date.UTC(2025, 2, 4, 15)
  return Schema.decodeUnknownSync(Session.TrackedSession)({
    id: "ses-1",
    tenantId: F.tenantId,
    patientId: "pat-jordan",
    rulePack: "acme-health",
    service: "psychotherapy",
    timeZone: "America/Los_Angeles",
    clinicians: [{ clinicianId: "cln-ada", credential: "LCSW", bills: true }],
    delivery: { mode: "in-person", placeOfService: "11" },
    status,
    segments: [{ kind: "service", startedAt, endedAt: startedAt + minutes * 60_000 }],
    interactiveComplexity: false,
    crisis: false,
    dateOfService: "2025-03-04"
  })
}

const input = (s: Session.TrackedSession, coverageId = "cov-jordan") => ({
  session: s,
  coverageId: coverageId as Ids.CoverageId,
  billingProviderId: "org-riverbend" as Ids.OrganizationId,
  diagnoses: ["F43.10"] as unknown as ReadonlyArray<Billing.BillSessionInput["diagnoses"][number]>
})

describe("billSession", () => {
  it.effect("codes a finished 45-minute session as 90834 and builds its claim at the payer's rate", () =>
    Effect.gen(function* () {
      yield* seed
      const { coded, report } = yield* Billing.billSession(input(session(45)))
      expect(coded._tag).toBe("Billable")
      expect(report.created).toHaveLength(1)
      const claim = report.created[0]
      expect(claim?.lines.map((l) => [l.code, l.units, l.charge])).toEqual([["90834", 1, 13500]])
      expect([claim?.payerId, claim?.renderingClinicianId, claim?.serviceDate]).toEqual([
        "payer-acme",
        "cln-ada",
        "2025-03-04"
      ])
      // Billing it again builds nothing new: the claim's id comes from what it groups.
      const again = yield* Billing.billSession(input(session(45)))
      expect(again.report.created).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  )

  it.effect("uses the minutes of the session as it ended, not as of now", () =>
    Effect.gen(function* () {
      yield* seed
      const { report } = yield* Billing.billSession(input(session(60)))
      expect(report.created[0]?.lines[0]?.code).toBe("90837")
    }).pipe(Effect.provide(layer))
  )

  it.effect("refuses a session still running, one too short to bill, and another patient's coverage", () =>
    Effect.gen(function* () {
      yield* seed
      const running = yield* Effect.flip(Billing.billSession(input(session(45, "in-progress"))))
      expect(running._tag === "SessionError" && running.reason._tag).toBe("InvalidTransition")
      const short = yield* Effect.flip(Billing.billSession(input(session(10))))
      expect(short._tag).toBe("SessionNotBillable")
      expect(short._tag === "SessionNotBillable" && short.text).toMatch(/16|min/)
      const wrong = yield* Effect.flip(Billing.billSession(input(session(45), "cov-other")))
      expect(wrong._tag === "StoreError" && wrong.reason._tag).toBe("InvalidRequest")
      const store = yield* Store.Store
      expect((yield* store.claims.query({})).items).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  )
})

describe("BillingRuntime.billSession", () => {
  it("bills a session for a Promise host, as the caller", async () => {
    const runtime = BillingRuntime.make(InMemoryStore.layer)
    const caller = { tenantId: F.tenantId, actor: "user:clinician", purpose: "treatment" } as const
    await runtime.runPromise(Effect.provideService(seed, Caller.Caller, caller))
    const { report } = await runtime.billSession(caller, input(session(45)))
    expect(report.created.map((claim) => claim.lines[0]?.code)).toEqual(["90834"])
    await runtime.dispose()
  })
})
