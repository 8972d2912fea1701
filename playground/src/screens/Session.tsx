import { Billing, type Diagnosis, type Ids, type Session, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import {
  AuthorizationAlert,
  ErrorMessage,
  SessionTracker,
  useAuthorizationAlert,
  useBillingAction,
  useBillingQuery
} from "@openrcm/react"
import { Effect, Option } from "effect"
import { useId, useState } from "react"
import { minutesAhead, skipAhead, timer } from "../clock.js"
import { today } from "../runtime.js"

const patientKeys = Object.keys(DemoPractice.ids.patients) as ReadonlyArray<DemoPractice.PatientKey>

/** The patient's booked session, their primary coverage and the diagnoses of their last claim. */
const loadVisit = (key: DemoPractice.PatientKey) =>
  Effect.gen(function* () {
    const store = yield* Store.Store
    const next = DemoPractice.nextVisit(key, today)
    if (next === undefined || next.visit.sessionId === undefined) return undefined
    const session = Option.getOrUndefined(yield* store.sessions.get(next.visit.sessionId))
    const coverages = yield* store.coverages.forPatient(next.visit.patientId)
    const primary = coverages.find((coverage) => coverage.order === 1)
    const recent = yield* store.claims.query({ patientId: next.visit.patientId, limit: 1 })
    return { session, primary, diagnoses: recent.items[0]?.diagnoses ?? [], next }
  })

/** The tracker, its start gated by the visit's authorization: a missing, expired or used-up one asks for a reason. */
function GatedTracker({
  next,
  session,
  onSessionChange
}: {
  readonly next: NonNullable<ReturnType<typeof DemoPractice.nextVisit>>
  readonly session: Session.TrackedSession
  readonly onSessionChange: (session: Session.TrackedSession) => void
}) {
  const [override, setOverride] = useState<string | undefined>(undefined)
  const alert = useAuthorizationAlert({
    visit: next.visit,
    rulePack: next.rulePack,
    timeZone: DemoPractice.timeZone,
    onOverride: ({ reason }) => setOverride(reason)
  })
  return (
    <>
      <AuthorizationAlert.Root alert={alert} />
      {override === undefined ? null : (
        <p role="note" data-testid="override">
          Started without a valid authorization: “{override}” (kept with the session for the biller).
        </p>
      )}
      <SessionTracker.Root
        session={session}
        timer={timer}
        canStart={alert.canStart}
        onBeforeStart={alert.requestStart}
        onSessionChange={onSessionChange}
      />
    </>
  )
}

export function SessionScreen() {
  const [key, setKey] = useState<DemoPractice.PatientKey>("authorizationPlentyLeft")
  const visit = useBillingQuery(() => loadVisit(key), [key])
  const [session, setSession] = useState<Session.TrackedSession | undefined>(undefined)
  const [diagnoses, setDiagnoses] = useState("")
  const diagnosesId = useId()
  const [ahead, setAhead] = useState(minutesAhead)
  const save = useBillingAction((next: Session.TrackedSession) =>
    Effect.gen(function* () {
      const store = yield* Store.Store
      yield* store.sessions.put(next)
    })
  )
  const bill = useBillingAction(
    (input: { session: Session.TrackedSession; coverageId: Ids.CoverageId; diagnoses: ReadonlyArray<string> }) =>
      Billing.billSession({
        session: input.session,
        coverageId: input.coverageId,
        billingProviderId: DemoPractice.ids.organizationId,
        diagnoses: input.diagnoses as ReadonlyArray<Diagnosis.DiagnosisCode>
      })
  )
  const loaded = visit.result._tag === "Success" ? visit.result.value : undefined
  const current = session ?? loaded?.session
  const shownDiagnoses = diagnoses || (loaded?.diagnoses ?? []).join(", ")
  return (
    <div className="playground-stack">
      <label>
        Patient{" "}
        <select
          value={key}
          onChange={(event) => {
            setKey(event.target.value as DemoPractice.PatientKey)
            setSession(undefined)
            setDiagnoses("")
            bill.reset()
          }}
        >
          {patientKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {visit.result._tag === "Failure" ? <ErrorMessage error={visit.result.error} onRetry={visit.refresh} /> : null}
      {current === undefined || loaded?.next === undefined ? (
        visit.result._tag === "Success" ? (
          <p>This patient has no booked session.</p>
        ) : (
          <p aria-busy="true">Loading the session…</p>
        )
      ) : (
        <>
          <GatedTracker
            key={current.id}
            next={loaded.next}
            session={current}
            onSessionChange={(next) => {
              setSession(next)
              void save.run(next)
            }}
          />
          <p className="playground-clock">
            <button
              type="button"
              onClick={() => {
                skipAhead(15)
                setAhead(minutesAhead())
              }}
            >
              Skip ahead 15 minutes
            </button>{" "}
            <span data-testid="minutes-ahead">The playground's clock is {ahead} minutes ahead of yours.</span>
          </p>
          {current.status === "completed" && loaded?.primary !== undefined ? (
            <form
              className="playground-stack"
              onSubmit={(event) => {
                event.preventDefault()
                if (loaded.primary === undefined) return
                void bill.run({
                  session: current,
                  coverageId: loaded.primary.id,
                  diagnoses: shownDiagnoses.split(/[\s,]+/).filter((code) => code !== "")
                })
              }}
            >
              <label htmlFor={diagnosesId}>Diagnoses (ICD-10-CM, principal first)</label>
              <input id={diagnosesId} value={shownDiagnoses} onChange={(event) => setDiagnoses(event.target.value)} />
              <button type="submit" data-variant="primary" disabled={bill.result.waiting}>
                Bill this session
              </button>
            </form>
          ) : null}
          {bill.result._tag === "Success" ? (
            <p role="status" data-testid="billed">
              {bill.result.value.report.created.length + bill.result.value.report.rebuilt.length > 0
                ? `Claim ${[...bill.result.value.report.created, ...bill.result.value.report.rebuilt]
                    .map((claim) => `${claim.id} (${claim.lines.map((l) => l.code).join(", ")})`)
                    .join(", ")} built: the biller scrubs and submits it from Claims.`
                : "This session is already on a claim."}
            </p>
          ) : null}
          {bill.result._tag === "Failure" ? <ErrorMessage error={bill.result.error} /> : null}
        </>
      )}
    </div>
  )
}
