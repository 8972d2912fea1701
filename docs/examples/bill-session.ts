// docs/claims.md: a tracked session, finished, becomes its claim in one call.
import { Billing, Caller, DateOfService, type Diagnosis, RuleSet, Session, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { Effect, Layer, Option } from "effect"

const today = DateOfService.make("2026-11-16")

/**
 * The demo's next booked session for a patient: started, worked (`meanwhile`: in an app, the clinician's 55 minutes;
 * in the docs test, the TestClock moving), stopped and billed.
 */
export const trackAndBill = (meanwhile: Effect.Effect<void>) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const visit = DemoPractice.nextVisit("authorizationPlentyLeft", today)
    if (visit?.visit.sessionId === undefined) return yield* Effect.die("the demo books this patient")
    const booked = Option.getOrThrow(yield* store.sessions.get(visit.visit.sessionId))
    const started = yield* Session.start(booked)
    yield* meanwhile
    const completed = yield* Session.complete(started)
    const coverage = (yield* store.coverages.forPatient(visit.visit.patientId)).find((c) => c.order === 1)
    if (coverage === undefined) return yield* Effect.die("the demo covers this patient")
    const { coded, report } = yield* Billing.billSession({
      session: completed,
      coverageId: coverage.id,
      billingProviderId: DemoPractice.ids.organizationId,
      diagnoses: ["F41.1" as Diagnosis.DiagnosisCode]
    })
    // "55 min of individual psychotherapy (53+) → 90837" and the draft claim the biller scrubs and submits.
    return {
      why: coded.lines[0]?.explanations[0]?.text,
      claim: report.created.map((claim) => `${claim.lines.map((l) => l.code).join(", ")} ${claim.status}`)
    }
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        DemoPractice.layer({ today }),
        Caller.layer({ ...DemoPractice.caller, purpose: "treatment" }),
        Layer.orDie(RuleSet.layerBuiltin())
      )
    )
  )
