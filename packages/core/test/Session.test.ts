import { describe, expect, it, layer } from "@effect/vitest"
import { Billing, Ids, Money, RuleSet, Session } from "@openrcm/core"
import { Effect, Exit, Schema } from "effect"
import { TestClock } from "effect/testing"

const minute = 60_000
// 2025-03-04 15:00 UTC, 09:00 in Chicago.
const nine = Date.UTC(2025, 2, 4, 15, 0)

const individual = (overrides: Partial<Session.ScheduleInput> = {}) =>
  Session.schedule({
    id: Schema.decodeUnknownSync(Ids.SessionId)("ses-1"),
    tenantId: Schema.decodeUnknownSync(Ids.TenantId)("tenant-a"),
    patientId: Schema.decodeUnknownSync(Ids.PatientId)("pat-1"),
    rulePack: "medicare",
    service: "psychotherapy",
    timeZone: "America/Chicago",
    clinicians: [{ clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-1"), credential: "LCSW", bills: true }],
    delivery: { mode: "in-person" },
    ...overrides
  })

const failureTag = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit)
    ? (exit.cause.reasons.find((r) => r._tag === "Fail") as { error: Session.SessionError } | undefined)?.error.reason
        ._tag
    : "Success"

layer(RuleSet.layerBuiltin())("Session tracking", (it) => {
  it.effect("runs scheduled → in progress ⇄ paused → completed on the Clock, and codes the minutes", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      let session = yield* individual()
      expect(session.status).toBe("scheduled")
      session = yield* Session.start(session)
      expect(session.status).toBe("in-progress")
      expect(session.dateOfService).toBe("2025-03-04")
      yield* TestClock.adjust(20 * minute)
      session = yield* Session.pause(session)
      yield* TestClock.adjust(10 * minute) // paused time does not count
      session = yield* Session.resume(session)
      yield* TestClock.adjust(18 * minute)
      session = yield* Session.complete(session)
      expect(session.status).toBe("completed")
      expect(Session.minutesAt(session, nine + 999 * minute)).toEqual({ service: 38, em: 0 })
      const [preview] = yield* Billing.previewSession(session)
      expect(preview?.result._tag === "Billable" && preview.result.lines.map((l) => l.code)).toEqual(["90834"])
      expect(preview?.next).toBeUndefined()
    })
  )

  it.effect("says what the session would bill now and the minutes to the next threshold", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      const session = yield* Effect.flatMap(individual(), (s) => Session.start(s))
      yield* TestClock.adjust(10 * minute)
      const [early] = yield* Billing.previewSession(session)
      expect(early?.result._tag).toBe("NotBillable")
      expect(early?.next?.atMinutes).toBe(16)
      expect(early?.next?.inMinutes).toBe(6)
      yield* TestClock.adjust(30 * minute)
      const [later] = yield* Billing.previewSession(session)
      expect(later?.result._tag === "Billable" && later.result.lines[0]?.code).toBe("90834")
      expect(later?.next?.atMinutes).toBe(53)
      expect(later?.next?.result._tag === "Billable" && later.next.result.lines[0]?.code).toBe("90837")
    })
  )

  it.effect("keeps E/M time apart from psychotherapy time", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      let session = yield* individual({
        clinicians: [{ clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("md-1"), credential: "MD", bills: true }]
      })
      session = yield* Session.start(session, "em")
      yield* TestClock.adjust(15 * minute)
      session = yield* Session.switchTo(session, "service")
      yield* TestClock.adjust(30 * minute)
      session = yield* Session.annotate(session, { emCode: "99214" })
      session = yield* Session.complete(session)
      expect(Session.minutesAt(session, nine)).toEqual({ service: 30, em: 15 })
      const [preview] = yield* Billing.previewSession(session)
      // 30 min of psychotherapy, not 45: 99214 + 90833.
      expect(preview?.result._tag === "Billable" && preview.result.lines.map((l) => [l.code, l.addOnTo])).toEqual([
        ["99214", undefined],
        ["90833", "99214"]
      ])
    })
  )

  it.effect("codes a crisis session by the crisis flag", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      let session = yield* Effect.flatMap(individual(), (s) => Session.start(s))
      session = yield* Session.annotate(session, { crisis: true })
      yield* TestClock.adjust(80 * minute)
      const [preview] = yield* Billing.previewSession(session)
      expect(preview?.result._tag === "Billable" && preview.result.lines.map((l) => [l.code, l.units])).toEqual([
        ["90839", 1],
        ["90840", 1]
      ])
    })
  )

  it.effect("codes each present group attendee under their own payer, and skips the absent", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      let session = yield* Session.schedule({
        id: Schema.decodeUnknownSync(Ids.SessionId)("grp-1"),
        tenantId: Schema.decodeUnknownSync(Ids.TenantId)("tenant-a"),
        service: "group-psychotherapy",
        timeZone: "America/Chicago",
        clinicians: [
          { clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-1"), credential: "LCSW", bills: true },
          { clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-2"), credential: "LPC", bills: false }
        ],
        delivery: { mode: "video", patientLocation: "home" },
        attendees: [
          { patientId: Schema.decodeUnknownSync(Ids.PatientId)("pat-1"), rulePack: "medicare", present: true },
          { patientId: Schema.decodeUnknownSync(Ids.PatientId)("pat-2"), rulePack: "acme-health", present: true },
          {
            patientId: Schema.decodeUnknownSync(Ids.PatientId)("pat-3"),
            rulePack: "state-medicaid-example",
            present: true
          }
        ]
      })
      session = yield* Session.markAttendance(session, Schema.decodeUnknownSync(Ids.PatientId)("pat-3"), false)
      const notOnRoster = yield* Effect.exit(
        Session.markAttendance(session, Schema.decodeUnknownSync(Ids.PatientId)("pat-9"), true)
      )
      expect(failureTag(notOnRoster)).toBe("AttendeeNotOnRoster")
      session = yield* Session.start(session)
      yield* TestClock.adjust(90 * minute)
      session = yield* Session.complete(session)
      const previews = yield* Billing.previewSession(session)
      expect(
        previews.map((p) => [
          p.patientId,
          p.result._tag === "Billable"
            ? p.result.lines.map((l) => `${l.code}:${l.modifiers.join(":")}@${l.placeOfService}`)
            : p.result.reason
        ])
      ).toEqual([
        ["pat-1", ["90853:@10"]],
        ["pat-2", ["90853:95@10"]]
      ])
      const afterwards = yield* Effect.exit(
        Session.markAttendance(session, Schema.decodeUnknownSync(Ids.PatientId)("pat-1"), false)
      )
      expect(failureTag(afterwards)).toBe("InvalidTransition")
    })
  )

  it.effect("refuses invalid transitions with a typed error", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      const scheduled = yield* individual()
      expect(failureTag(yield* Effect.exit(Session.pause(scheduled)))).toBe("InvalidTransition")
      expect(failureTag(yield* Effect.exit(Session.resume(scheduled)))).toBe("InvalidTransition")
      expect(failureTag(yield* Effect.exit(Session.complete(scheduled)))).toBe("InvalidTransition")
      const started = yield* Session.start(scheduled)
      expect(failureTag(yield* Effect.exit(Session.start(started)))).toBe("InvalidTransition")
      expect(failureTag(yield* Effect.exit(Session.markNoShow(started)))).toBe("InvalidTransition")
      const done = yield* Session.complete(started)
      expect(failureTag(yield* Effect.exit(Session.resume(done)))).toBe("InvalidTransition")
      expect(failureTag(yield* Effect.exit(Session.annotate(done, { crisis: true })))).toBe("InvalidTransition")
      const message = yield* Effect.flip(Session.pause(done))
      expect(message.message).toBe("a completed session cannot pause")
    })
  )

  it.effect("requires exactly one billing clinician for co-therapy", () =>
    Effect.gen(function* () {
      const both = yield* Effect.exit(
        individual({
          clinicians: [
            { clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-1"), credential: "LCSW", bills: true },
            { clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-2"), credential: "PhD", bills: true }
          ]
        })
      )
      expect(failureTag(both)).toBe("BillingClinicianMissing")
      const none = yield* Effect.exit(
        individual({
          clinicians: [
            { clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-1"), credential: "LCSW", bills: false }
          ]
        })
      )
      expect(failureTag(none)).toBe("BillingClinicianMissing")
    })
  )

  it.effect("charges late cancellations and no-shows to the patient, never to insurance", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      const policy = { lateCancel: Money.dollars(50), noShow: Money.dollars(75) }
      const late = yield* Effect.flatMap(individual(), (s) => Session.cancel(s, { late: true, policy }))
      expect(late.status).toBe("late-cancelled")
      expect(late.cancellation).toEqual({ kind: "late-cancelled", at: nine, billTo: "patient", patientFee: 5000 })
      const noShow = yield* Effect.flatMap(individual(), (s) => Session.markNoShow(s, policy))
      expect(noShow.cancellation?.patientFee).toBe(7500)
      const early = yield* Effect.flatMap(individual(), (s) => Session.cancel(s, { late: false, policy }))
      expect(early.status).toBe("cancelled")
      expect(early.cancellation?.patientFee).toBeUndefined()
      for (const session of [late, noShow, early]) {
        expect(failureTag(yield* Effect.exit(Billing.previewSession(session)))).toBe("NotBillableToInsurance")
      }
    })
  )

  it.effect("round-trips through its schema, as the store and the CLI read it", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(nine)
      const session = yield* Effect.flatMap(individual(), (s) => Session.start(s))
      const json = JSON.parse(JSON.stringify(session))
      expect(Schema.decodeUnknownSync(Session.TrackedSession)(json)).toEqual(session)
    })
  )
})

describe("Session.minutesAt", () => {
  it("counts whole minutes, a running segment up to now", () => {
    const session = {
      segments: [
        { kind: "service", startedAt: 0, endedAt: 59_999 },
        { kind: "service", startedAt: 100_000 }
      ]
    } as unknown as Session.TrackedSession
    expect(Session.minutesAt(session, 100_000 + 61_000)).toEqual({ service: 2, em: 0 })
  })
})
