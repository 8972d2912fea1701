// Build → scrub → fix → submit → deliver → answer, through the Billing operations on the in-memory store and
// clearinghouse: the same path a host takes.
import { describe, expect, it } from "@effect/vitest"
import { Billing, Caller, Claim, ClaimBuild, type Ids, RuleSet, Store } from "@openrcm/core"
import { InMemoryClearinghouse, InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Schema } from "effect"
import * as F from "./store/fixtures.js"

const tenant = F.tenantId("clinic")
const services = Layer.mergeAll(
  InMemoryStore.layer,
  InMemoryClearinghouse.layer([]),
  RuleSet.layerBuiltin([]),
  Caller.layer({ tenantId: tenant, actor: "user:biller", purpose: "payment" })
)

const seed = Effect.gen(function* () {
  const store = yield* Store.Store
  const organization = F.organization(tenant)
  const clinician = F.clinician(tenant)
  const payer = F.payer(tenant)
  const patient = F.patient(tenant)
  const coverage = F.coverage(tenant, { patientId: patient.id, payerId: payer.id, subscriber: undefined })
  yield* store.organizations.put(organization)
  yield* store.clinicians.put(clinician)
  yield* store.payers.put(payer)
  yield* store.patients.put(patient)
  yield* store.coverages.put(coverage)
  yield* store.feeSchedules.put(F.feeSchedule(tenant, { rates: { "90834": 13500, "90837": 18000 } }))
  const session = (id: string, date: string, code = "90834"): ClaimBuild.CodedSession =>
    Schema.decodeUnknownSync(ClaimBuild.CodedSession)({
      sessionId: id,
      tenantId: tenant,
      patientId: patient.id,
      coverageId: coverage.id,
      payerId: payer.id,
      billingProviderId: organization.id,
      renderingClinicianId: clinician.id,
      dateOfService: date,
      placeOfService: "11",
      diagnoses: ["F43.10"],
      lines: [{ code, modifiers: [], units: 1, placeOfService: "11", dateOfService: date }]
    })
  return { session, payer, patientId: patient.id }
})

describe("claims from session to clearinghouse", () => {
  it.effect("builds once, scrubs to ready, submits, delivers and records the payer's acceptance", () =>
    Effect.gen(function* () {
      const { session } = yield* seed
      const sessions = [session("s-1", "2025-05-05"), session("s-2", "2025-05-06", "90837")]
      const built = yield* Billing.buildClaims(sessions)
      expect(built.created.map((c) => c.charge)).toEqual([13500, 18000])
      expect(built.problems).toEqual([])
      const again = yield* Billing.buildClaims(sessions)
      expect(again.created).toEqual([])
      expect(again.existing).toEqual(built.created.map((c) => c.id))

      const ids = built.created.map((c) => c.id)
      const scrubbed = yield* Billing.scrubClaims(ids, { asOf: "2025-05-20" as never })
      for (const outcome of scrubbed) {
        expect(outcome._tag).toBe("Scrubbed")
        if (outcome._tag === "Scrubbed") {
          expect(outcome.result.findings.filter((f) => f.severity === "error").map((f) => f.edit)).toEqual([])
          expect(outcome.status).toBe("ready")
        }
      }
      const submitted = yield* Billing.submitClaims(ids)
      expect(submitted.claims.every((c) => c._tag === "Queued")).toBe(true)
      const delivered = yield* Billing.deliverSubmissions()
      expect(delivered.map((d) => d._tag)).toEqual(["Sent"])
      yield* Billing.processResponses()
      const store = yield* Store.Store
      for (const id of ids) {
        const claim = yield* store.claims.get(id)
        expect(claim._tag === "Some" && claim.value.status).toBe("accepted")
      }
    }).pipe(Effect.provide(services))
  )

  it.effect("a blocking finding keeps the claim scrubbed; its certain fix applied, the claim scrubs to ready", () =>
    Effect.gen(function* () {
      const { session } = yield* seed
      const store = yield* Store.Store
      // A state Medicaid program wants its credential modifier (HO for an LCSW) on H0004.
      const medicaid = F.payer(tenant, {
        rulePack: "state-medicaid-example",
        kind: { _tag: "Medicaid", state: "OR", program: "OHP" }
      })
      yield* store.payers.put(medicaid)
      yield* store.feeSchedules.put(F.feeSchedule(tenant, { payerId: medicaid.id, rates: { H0004: 2500 } }))
      const built = yield* Billing.buildClaims([{ ...session("s-9", "2025-05-07", "H0004"), payerId: medicaid.id }])
      const [claim] = built.created
      if (claim === undefined) return expect.unreachable()
      const [first] = yield* Billing.scrubClaims([claim.id], { asOf: "2025-05-20" as never })
      if (first?._tag !== "Scrubbed") return expect.unreachable()
      const finding = first.result.findings.find((f) => f.edit === "credential-modifier")
      expect(finding?.fix).toEqual({ _tag: "AddModifier", line: 0, modifier: "HO" })
      expect(first.status).toBe("scrubbed")
      const fixed = yield* Billing.applyClaimFix(claim.id, finding?.fix as never)
      expect(fixed.status).toBe("draft")
      expect(fixed.lines[0]?.modifiers).toEqual(["HO"])
      const [second] = yield* Billing.scrubClaims([claim.id], { asOf: "2025-05-20" as never })
      if (second?._tag !== "Scrubbed") return expect.unreachable()
      expect(second.result.findings.map((f) => f.edit)).not.toContain("credential-modifier")
    }).pipe(Effect.provide(services))
  )

  it.effect("a code billed for fewer minutes than the stored session's segments hold is minutes-below-minimum", () =>
    Effect.gen(function* () {
      const { session, patientId } = yield* seed
      const store = yield* Store.Store
      // Two sessions billed as 90834 (38 minutes at least): one of 30 minutes, one of 40.
      const start = 1_746_450_000_000
      for (const [id, minutes] of [
        ["s-30", 30],
        ["s-40", 40]
      ] as const) {
        yield* store.sessions.put(
          F.session(tenant, {
            id,
            patientId,
            segments: [{ kind: "service", startedAt: start, endedAt: start + minutes * 60_000 }],
            dateOfService: id === "s-30" ? "2025-05-05" : "2025-05-06"
          })
        )
      }
      const built = yield* Billing.buildClaims([session("s-30", "2025-05-05"), session("s-40", "2025-05-06")])
      const scrubbed = yield* Billing.scrubClaims(
        built.created.map((c) => c.id),
        { asOf: "2025-05-20" as never }
      )
      const outcomes = scrubbed.map((o) =>
        o._tag === "Scrubbed" ? [o.status, o.result.findings.map((f) => `${f.edit}:${f.message}`)] : o._tag
      )
      expect(outcomes).toEqual([
        [
          "scrubbed",
          [
            "minutes-below-minimum:Line 1 (90834) needs at least 38 minutes of individual psychotherapy; the session has 30."
          ]
        ],
        ["ready", []]
      ])
    }).pipe(Effect.provide(services))
  )

  it.effect("sessions of another tenant are refused by the store", () =>
    Effect.gen(function* () {
      const { session } = yield* seed
      const foreign = { ...session("s-x", "2025-05-05"), tenantId: "elsewhere" as Ids.TenantId }
      const error = yield* Effect.flip(Billing.buildClaims([foreign]))
      expect(error._tag).toBe("StoreError")
    }).pipe(Effect.provide(services))
  )

  it.effect(
    "a session completed late joins its unsent claim, and is reported for a replacement once the claim is sent",
    () =>
      Effect.gen(function* () {
        const { session } = yield* seed
        const first = yield* Billing.buildClaims([session("s-1", "2025-05-05")])
        const [claim] = first.created
        if (claim === undefined) return expect.unreachable()
        // Same day, same patient, payer and clinician: the same claim.
        const late = yield* Billing.buildClaims([session("s-1", "2025-05-05"), session("s-2", "2025-05-05", "90837")])
        expect(late.created).toEqual([])
        expect(late.rebuilt.map((c) => [c.id, c.charge, c.lines.map((l) => l.sessionId)])).toEqual([
          [claim.id, 31500, ["s-1", "s-2"]]
        ])
        // Two psychotherapy codes on one day do not scrub clean; moved to ready by hand, as a biller who knows may.
        let current = late.rebuilt[0] as typeof claim
        for (const to of ["scrubbed", "ready"] as const) {
          current = yield* Billing.transitionClaim(claim.id, { to, expectedVersion: current.version })
        }
        const submitted = yield* Billing.submitClaims([claim.id])
        expect(submitted.claims.map((c) => c._tag)).toEqual(["Queued"])
        const later = yield* Billing.buildClaims([
          session("s-1", "2025-05-05"),
          session("s-2", "2025-05-05", "90837"),
          session("s-3", "2025-05-05")
        ])
        expect(later.rebuilt).toEqual([])
        expect(later.late).toEqual([{ claimId: claim.id, sessionId: "s-3" }])
        const store = yield* Store.Store
        const stored = yield* store.claims.get(claim.id)
        expect(stored._tag === "Some" && stored.value.lines.length).toBe(2)
      }).pipe(Effect.provide(services))
  )

  it.effect(
    "a person's edits go over a ready claim, back to draft; no change writes nothing; a stale version or a sent claim changes nothing",
    () =>
      Effect.gen(function* () {
        const { session } = yield* seed
        const store = yield* Store.Store
        const built = yield* Billing.buildClaims([session("s-e", "2025-05-05")])
        const [claim] = built.created
        if (claim === undefined) return expect.unreachable()
        let ready = claim
        for (const to of ["scrubbed", "ready"] as const) {
          ready = yield* Billing.transitionClaim(claim.id, { to, expectedVersion: ready.version })
        }
        // Edits that change nothing: the claim stays ready, at its version.
        const same = yield* Billing.updateClaim(new Claim.Claim({ ...ready }))
        expect([same.status, same.version]).toEqual(["ready", ready.version])
        // A stale version: a Conflict, and the claim is as it was.
        const stale = new Claim.Claim({ ...ready, version: ready.version - 1, priorAuthorization: "PA-1" })
        const conflict = yield* Effect.flip(Billing.updateClaim(stale))
        expect(conflict._tag === "StoreError" && conflict.reason._tag).toBe("Conflict")
        const unchanged = yield* store.claims.get(claim.id)
        expect(unchanged._tag === "Some" && [unchanged.value.status, unchanged.value.priorAuthorization]).toEqual([
          "ready",
          undefined
        ])
        // The edit: back to draft, with the move's reason, and the new content stored.
        const edited = yield* Billing.updateClaim(new Claim.Claim({ ...ready, priorAuthorization: "PA-1" }))
        expect([edited.status, edited.priorAuthorization]).toEqual(["draft", "PA-1"])
        expect(edited.version).toBeGreaterThan(ready.version)
        const history = yield* store.claims.history(claim.id)
        expect(history.at(-1)).toMatchObject({ from: "ready", to: "draft", reasons: ["edited"] })
        // Sent: an edit is an IllegalTransition (a correction is correctClaim's).
        let current = edited
        for (const to of ["scrubbed", "ready"] as const) {
          current = yield* Billing.transitionClaim(claim.id, { to, expectedVersion: current.version })
        }
        yield* Billing.submitClaims([claim.id])
        const sent = yield* store.claims.get(claim.id)
        if (sent._tag === "None") return expect.unreachable()
        const refused = yield* Effect.flip(
          Billing.updateClaim(new Claim.Claim({ ...sent.value, priorAuthorization: "PA-2" }))
        )
        expect(refused).toMatchObject({ _tag: "IllegalTransition", from: "submitted", to: "draft" })
        const missing = yield* Effect.flip(
          Billing.updateClaim(new Claim.Claim({ ...sent.value, id: "C-missing" as Ids.ClaimId }))
        )
        expect(missing._tag).toBe("ClaimNotFound")
      }).pipe(Effect.provide(services))
  )
})
