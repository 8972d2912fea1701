// docs/coding-rules.md: coding a session in Effect code, and tracking one on the Clock.
import { Billing, type Coding, DateOfService, Ids, RuleSet, Session } from "@openrcm/core"
import { Effect, Schema } from "effect"

const request: Coding.CodingRequest = {
  dateOfService: DateOfService.make("2025-03-04"),
  rulePack: "medicare",
  service: "psychotherapy",
  minutes: 30, // psychotherapy minutes only: E/M time never counts
  em: { code: "99214" }, // chosen by medical decision making (the pack's emLevelSelection)
  delivery: { mode: "video", patientLocation: "home" },
  clinician: { credential: "NP" }
}

// 99214 + 90833 at POS 10, no modifier 95 (Medicare from 2024).
export const coded = Billing.codeSession(request).pipe(Effect.provide(RuleSet.layerBuiltin()))

// A session tracked live: start, some E/M time, then psychotherapy; what it bills now and when that changes.
export const tracked = Effect.gen(function* () {
  let session = yield* Session.schedule({
    id: Schema.decodeUnknownSync(Ids.SessionId)("ses-1"),
    tenantId: Schema.decodeUnknownSync(Ids.TenantId)("tenant-a"),
    rulePack: "medicare",
    service: "psychotherapy",
    timeZone: "America/Chicago",
    clinicians: [{ clinicianId: Schema.decodeUnknownSync(Ids.ClinicianId)("cl-1"), credential: "MD", bills: true }],
    delivery: { mode: "in-person" },
    emCode: "99213"
  })
  session = yield* Session.start(session, "em")
  session = yield* Session.switchTo(session, "service")
  const [preview] = yield* Billing.previewSession(session)
  return preview?.next === undefined ? "no further threshold" : `next threshold in ${preview.next.inMinutes} min`
}).pipe(Effect.provide(RuleSet.layerBuiltin()))
