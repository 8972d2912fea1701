// A demo practice session for the SessionTracker and AuthorizationAlert stories: the patient with plenty of
// authorization left, seen by the LCSW under the Acme HMO's rules, scheduled for the demo's "today".
import { type Session, Session as SessionModule } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { manualClock } from "@openrcm/react"
import { Clock, Effect, Layer, Schema } from "effect"
import { demoToday } from "./runtimes.js"

/** 10:00 in Detroit on the demo's "today". */
export const sessionStart = Date.parse(`${demoToday}T15:00:00Z`)

export const demoSession = (overrides: Partial<Session.TrackedSession> = {}): Session.TrackedSession =>
  Schema.decodeUnknownSync(SessionModule.TrackedSession)({
    id: DemoPractice.sessionIdOf("authorizationPlentyLeft", 0),
    tenantId: DemoPractice.ids.tenantId,
    patientId: DemoPractice.ids.patients.authorizationPlentyLeft,
    rulePack: "acme-health-hmo",
    service: "psychotherapy",
    timeZone: DemoPractice.timeZone,
    clinicians: [{ clinicianId: DemoPractice.ids.clinicians.lcsw, credential: "LCSW", bills: true }],
    delivery: { mode: "in-person" },
    status: "scheduled",
    segments: [],
    interactiveComplexity: false,
    crisis: false,
    ...overrides
  })

/** A clock the play functions move by hand: the runtime reads it, and so does the timer. */
export const storyClock = () => manualClock(sessionStart)

/** A Clock that never answers: operations that read the time wait forever (the loading state). */
export const stuckClockLayer = Layer.succeed(Clock.Clock, {
  ...manualClock(sessionStart).clock,
  currentTimeMillis: Effect.never
}) as Layer.Layer<never>
