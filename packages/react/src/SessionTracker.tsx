import type { Coding, Session } from "@openrcm/core"
import { type ComponentPropsWithoutRef, createContext, type ReactNode, useContext, useId } from "react"
import { Amount } from "./Amount.js"
import { ErrorMessage } from "./ErrorMessage.js"
import {
  type SessionTrackerState as Tracker,
  type UseSessionTrackerOptions,
  useSessionElapsed,
  useSessionTracker
} from "./useSessionTracker.js"
import { useText } from "./useText.js"

const TrackerContext = createContext<Tracker | null>(null)

/** The tracker of the nearest `SessionTracker.Root`, for a part of your own. */
export function useSessionTrackerContext(part = "SessionTracker part"): Tracker {
  const tracker = useContext(TrackerContext)
  if (tracker === null) throw new Error(`${part} must be rendered inside <SessionTracker.Root>`)
  return tracker
}

const openSegment = (session: Session.TrackedSession): Session.SegmentKind | undefined =>
  session.segments.at(-1)?.endedAt === undefined ? session.segments.at(-1)?.kind : undefined

export interface RootProps extends UseSessionTrackerOptions, Omit<ComponentPropsWithoutRef<"section">, "children"> {
  /** A tracker from your own `useSessionTracker` call, instead of the one Root makes from its options. */
  readonly tracker?: Tracker | undefined
  /** The parts; the default composition when absent. */
  readonly children?: ReactNode
}

function RootWithHook({ tracker: _, children, ...props }: RootProps) {
  const { session, defaultSession, onSessionChange, canStart, onBeforeStart, feePolicy, timer, ...sectionProps } = props
  const tracker = useSessionTracker({
    session,
    defaultSession,
    onSessionChange,
    canStart,
    onBeforeStart,
    feePolicy,
    timer
  })
  return (
    <RootView tracker={tracker} {...sectionProps}>
      {children}
    </RootView>
  )
}

function RootView({
  tracker,
  children,
  ...props
}: { readonly tracker: Tracker; readonly children?: ReactNode } & Omit<
  ComponentPropsWithoutRef<"section">,
  "children"
>) {
  const text = useText()
  return (
    <TrackerContext.Provider value={tracker}>
      <section
        aria-label={text("sessionTracker.label", "Session")}
        className="openrcm-session-tracker"
        data-state={tracker.status}
        data-segment={openSegment(tracker.session) ?? "none"}
        data-pending={tracker.pending}
        {...props}
      >
        {children ?? <DefaultParts />}
      </section>
    </TrackerContext.Provider>
  )
}

/**
 * The tracker's root: runs `useSessionTracker` with its options (or takes your `tracker`) and gives it to the parts.
 * `data-state` is the session's status, `data-segment` the kind of time running (`service`, `em`, `none`).
 */
export function Root(props: RootProps) {
  if (props.tracker !== undefined) {
    const { tracker, children, ...rest } = props
    const {
      session: _s,
      defaultSession: _d,
      onSessionChange: _o,
      canStart: _c,
      onBeforeStart: _b,
      feePolicy: _f,
      timer: _t,
      ...sectionProps
    } = rest
    return (
      <RootView tracker={tracker} {...sectionProps}>
        {children}
      </RootView>
    )
  }
  return <RootWithHook {...props} />
}

/** The default composition: every part in reading order. */
export function DefaultParts() {
  return (
    <>
      <Timer />
      <Controls />
      <ErrorPart />
      <Billing />
      <EmSegment />
      <Flags />
      <Delivery />
      <Attendance />
    </>
  )
}

const pad = (n: number) => String(n).padStart(2, "0")

/** `1:02:03` or `02:03`. */
export const formatElapsed = (millis: number): string => {
  const seconds = Math.floor(millis / 1000)
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`
}

/**
 * The live elapsed time (service time, and E/M time when there is any), redrawn every tick while the session
 * runs. Only this part follows the tick.
 */
export function Timer(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Timer")
  const text = useText()
  const elapsed = useSessionElapsed(tracker.session, tracker.timer)
  const hasEm = elapsed.em > 0 || tracker.session.segments.some((s) => s.kind === "em")
  return (
    <div data-slot="timer" data-running={tracker.status === "in-progress"} {...props}>
      <span data-slot="timer-label">{text("sessionTracker.elapsed", "Elapsed")}</span>{" "}
      <time role="timer" data-slot="timer-value" dateTime={`PT${Math.floor(elapsed.service / 1000)}S`}>
        {formatElapsed(elapsed.service)}
      </time>
      {hasEm ? (
        <>
          {" "}
          <span data-slot="timer-em-label">{text("sessionTracker.emTime", "E/M")}</span>{" "}
          <time data-slot="timer-em-value" dateTime={`PT${Math.floor(elapsed.em / 1000)}S`}>
            {formatElapsed(elapsed.em)}
          </time>
        </>
      ) : null}
    </div>
  )
}

/** Start, pause, resume and stop: the moves the session's status allows. */
export function Controls(props: Omit<ComponentPropsWithoutRef<"fieldset">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Controls")
  const text = useText()
  const { status, pending } = tracker
  return (
    <fieldset aria-label={text("sessionTracker.controls", "Session controls")} data-slot="controls" {...props}>
      {status === "scheduled" ? (
        <button
          type="button"
          data-slot="start"
          data-variant="primary"
          disabled={pending || !tracker.canStart}
          onClick={() => void tracker.start()}
        >
          {text("sessionTracker.start", "Start")}
        </button>
      ) : null}
      {status === "in-progress" ? (
        <button type="button" data-slot="pause" disabled={pending} onClick={() => void tracker.pause()}>
          {text("sessionTracker.pause", "Pause")}
        </button>
      ) : null}
      {status === "paused" ? (
        <button type="button" data-slot="resume" disabled={pending} onClick={() => void tracker.resume()}>
          {text("sessionTracker.resume", "Resume")}
        </button>
      ) : null}
      {status === "in-progress" || status === "paused" ? (
        <button type="button" data-slot="stop" disabled={pending} onClick={() => void tracker.stop()}>
          {text("sessionTracker.stop", "Stop")}
        </button>
      ) : null}
    </fieldset>
  )
}

/** The move core refused, worded by the messages (`SessionError.InvalidTransition`, ...). */
export function ErrorPart(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Error")
  if (tracker.error === undefined) return null
  return <ErrorMessage error={tracker.error} data-slot="session-error" {...props} />
}

const lineCode = (line: Coding.Line) =>
  line.modifiers.length > 0 ? `${line.code}-${line.modifiers.join("-")}` : line.code

const codesOf = (result: Coding.CodingResult): string =>
  result._tag === "Billable"
    ? result.lines.map((l) => (l.units > 1 ? `${lineCode(l)} × ${l.units}` : lineCode(l))).join(" + ")
    : ""

/** Why the code is what it is: the rule's explanation of each line (or why nothing bills yet). */
function Explanations({ result }: { readonly result: Coding.CodingResult }) {
  if (result._tag === "NotBillable") {
    return (
      <ul data-slot="explanations">
        <li>{result.text}</li>
      </ul>
    )
  }
  return (
    <ul data-slot="explanations">
      {result.lines.flatMap((line) =>
        line.explanations.map((e) => (
          <li key={`${line.code}-${e.about}-${e.rule}`} data-about={e.about}>
            {e.text}
          </li>
        ))
      )}
    </ul>
  )
}

/**
 * What the session would bill now and the minutes to the next threshold, with the rules' explanations. Reruns on
 * the minute, not on the tick. `data-state`: `loading`, `billable`, `not-billable`, `patient-fee`, `error`.
 */
export function Billing(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Billing")
  const text = useText()
  const headingId = useId()
  const { preview, session } = tracker
  const fee = session.cancellation?.patientFee
  if (session.cancellation !== undefined) {
    return (
      <section data-slot="billing" data-state="patient-fee" aria-labelledby={headingId} {...props}>
        <h3 id={headingId}>{text("sessionTracker.billsNow", "Bills now")}</h3>
        <p>
          {text("sessionTracker.notBilledToInsurance", "Not billed to insurance.")}{" "}
          {fee === undefined ? (
            text("sessionTracker.noFee", "No patient fee.")
          ) : (
            <>
              {text("sessionTracker.patientFee", "Patient fee")} <Amount value={fee} />
            </>
          )}
        </p>
      </section>
    )
  }
  if (preview._tag === "Initial") {
    return (
      <div data-slot="billing" data-state="loading" aria-busy="true" {...props}>
        {text("sessionTracker.previewLoading", "Working out the code…")}
      </div>
    )
  }
  if (preview._tag === "Failure") {
    return (
      <div data-slot="billing" data-state="error" {...props}>
        <ErrorMessage error={preview.error} />
      </div>
    )
  }
  const previews = preview.value
  const first = previews[0]
  const state = first?.result._tag === "Billable" ? "billable" : "not-billable"
  return (
    <section data-slot="billing" data-state={state} aria-busy={preview.waiting} aria-labelledby={headingId} {...props}>
      <h3 id={headingId}>{text("sessionTracker.billsNow", "Bills now")}</h3>
      {previews.map((p, i) => (
        <div key={p.patientId ?? i} data-slot="preview">
          <p data-slot="code">
            {p.result._tag === "Billable" ? (
              <strong>{codesOf(p.result)}</strong>
            ) : (
              text("sessionTracker.nothingYet", "Nothing billable yet")
            )}
          </p>
          <Explanations result={p.result} />
        </div>
      ))}
      {tracker.next !== undefined ? (
        <div data-slot="next-threshold">
          <p>
            {tracker.next.result._tag === "Billable"
              ? text("sessionTracker.nextThreshold", "{code} in {minutes} min", {
                  code: codesOf(tracker.next.result),
                  minutes: tracker.next.inMinutes
                })
              : text("sessionTracker.nextChange", "Changes in {minutes} min", { minutes: tracker.next.inMinutes })}
          </p>
          <Explanations result={tracker.next.result} />
        </div>
      ) : null}
    </section>
  )
}

/** E/M time apart from the service's time, and the E/M code chosen by medical decision making. */
export function EmSegment({
  codes = ["99212", "99213", "99214", "99215"],
  ...props
}: Omit<ComponentPropsWithoutRef<"div">, "children"> & { readonly codes?: ReadonlyArray<string> }) {
  const tracker = useSessionTrackerContext("SessionTracker.EmSegment")
  const text = useText()
  const selectId = useId()
  const { session, pending, status } = tracker
  const open = openSegment(session)
  const editable = status === "scheduled" || status === "in-progress" || status === "paused"
  return (
    <div data-slot="em-segment" data-segment={open ?? "none"} {...props}>
      {status === "in-progress" ? (
        <button
          type="button"
          data-slot="em-toggle"
          aria-pressed={open === "em"}
          disabled={pending}
          onClick={() => void tracker.move({ _tag: "switchTo", kind: open === "em" ? "service" : "em" })}
        >
          {text("sessionTracker.emToggle", "E/M time")}
        </button>
      ) : null}
      <label htmlFor={selectId}>{text("sessionTracker.emCode", "E/M code")}</label>
      <select
        id={selectId}
        data-slot="em-code"
        value={session.emCode ?? ""}
        disabled={pending || !editable}
        onChange={(e) => {
          if (e.target.value !== "") void tracker.move({ _tag: "annotate", changes: { emCode: e.target.value } })
        }}
      >
        <option value="">{text("sessionTracker.emNone", "None")}</option>
        {codes.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Interactive complexity and crisis. */
export function Flags(props: Omit<ComponentPropsWithoutRef<"fieldset">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Flags")
  const text = useText()
  const { session, pending, status } = tracker
  const editable = status === "scheduled" || status === "in-progress" || status === "paused"
  return (
    <fieldset data-slot="flags" disabled={pending || !editable} {...props}>
      <legend>{text("sessionTracker.flags", "Flags")}</legend>
      <label>
        <input
          type="checkbox"
          data-slot="interactive-complexity"
          checked={session.interactiveComplexity}
          onChange={(e) =>
            void tracker.move({ _tag: "annotate", changes: { interactiveComplexity: e.target.checked } })
          }
        />{" "}
        {text("sessionTracker.interactiveComplexity", "Interactive complexity")}
      </label>
      <label>
        <input
          type="checkbox"
          data-slot="crisis"
          checked={session.crisis}
          onChange={(e) => void tracker.move({ _tag: "annotate", changes: { crisis: e.target.checked } })}
        />{" "}
        {text("sessionTracker.crisis", "Crisis")}
      </label>
    </fieldset>
  )
}

type DeliveryChoice = "in-person" | "video-home" | "video-other" | "audio-only-home" | "audio-only-other"

const choiceOf = (delivery: Coding.Delivery): DeliveryChoice =>
  delivery.mode === "in-person" ? "in-person" : `${delivery.mode}-${delivery.patientLocation}`

const deliveryOf = (choice: DeliveryChoice, current: Coding.Delivery): Coding.Delivery => {
  if (choice === "in-person") return current.mode === "in-person" ? current : { mode: "in-person" }
  const [mode, patientLocation] =
    choice === "video-home"
      ? (["video", "home"] as const)
      : choice === "video-other"
        ? (["video", "other"] as const)
        : choice === "audio-only-home"
          ? (["audio-only", "home"] as const)
          : (["audio-only", "other"] as const)
  return { mode, patientLocation }
}

/** How the session is delivered: in person, or video or audio only with where the patient is. */
export function Delivery(props: Omit<ComponentPropsWithoutRef<"div">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Delivery")
  const text = useText()
  const selectId = useId()
  const { session, pending, status } = tracker
  const editable = status === "scheduled" || status === "in-progress" || status === "paused"
  return (
    <div data-slot="delivery" data-mode={session.delivery.mode} {...props}>
      <label htmlFor={selectId}>{text("sessionTracker.delivery", "Delivery")}</label>
      <select
        id={selectId}
        value={choiceOf(session.delivery)}
        disabled={pending || !editable}
        onChange={(e) =>
          void tracker.move({
            _tag: "delivery",
            delivery: deliveryOf(e.target.value as DeliveryChoice, session.delivery)
          })
        }
      >
        <option value="in-person">{text("sessionTracker.inPerson", "In person")}</option>
        <option value="video-home">{text("sessionTracker.videoHome", "Video, patient at home")}</option>
        <option value="video-other">{text("sessionTracker.videoOther", "Video, patient elsewhere")}</option>
        <option value="audio-only-home">{text("sessionTracker.audioHome", "Audio only, patient at home")}</option>
        <option value="audio-only-other">{text("sessionTracker.audioOther", "Audio only, patient elsewhere")}</option>
      </select>
    </div>
  )
}

/** No-show and late cancellation, before the session starts (a patient fee, never billed to insurance). */
export function Attendance(props: Omit<ComponentPropsWithoutRef<"fieldset">, "children">) {
  const tracker = useSessionTrackerContext("SessionTracker.Attendance")
  const text = useText()
  const { status, pending } = tracker
  if (status === "no-show" || status === "late-cancelled" || status === "cancelled") {
    return (
      <fieldset
        aria-label={text("sessionTracker.attendance", "Attendance")}
        data-slot="attendance"
        data-state={status}
        {...props}
      >
        <p>
          {status === "no-show"
            ? text("sessionTracker.wasNoShow", "Marked as a no-show.")
            : status === "late-cancelled"
              ? text("sessionTracker.wasLateCancel", "Cancelled late.")
              : text("sessionTracker.wasCancelled", "Cancelled.")}
        </p>
      </fieldset>
    )
  }
  if (status !== "scheduled") return null
  return (
    <fieldset aria-label={text("sessionTracker.attendance", "Attendance")} data-slot="attendance" {...props}>
      <button
        type="button"
        data-slot="no-show"
        disabled={pending}
        onClick={() => void tracker.move({ _tag: "noShow" })}
      >
        {text("sessionTracker.noShow", "No-show")}
      </button>
      <button
        type="button"
        data-slot="late-cancel"
        disabled={pending}
        onClick={() => void tracker.move({ _tag: "lateCancel" })}
      >
        {text("sessionTracker.lateCancel", "Late cancel")}
      </button>
    </fieldset>
  )
}

export { ErrorPart as Error }
