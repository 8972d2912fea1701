import { Billing, type Coding, Session } from "@openrcm/core"
import { Clock, Effect, Exit, Layer } from "effect"
import { useCallback, useEffect, useRef, useState } from "react"
import { useBillingRuntime, useOptionalCaller } from "./BillingProvider.js"
import * as Result from "./Result.js"
import { asCaller, settle, useBillingQuery } from "./useBillingEffect.js"

/**
 * What the live timer reads for display: the time now and a tick to redraw on. Operations never use it (they read
 * the runtime's `Clock`); inject one to make a story or test deterministic.
 */
export interface SessionTimer {
  /** Epoch milliseconds now, for display. */
  readonly now: () => number
  /** Calls `listener` on every tick (a second by default) until the returned function is called. */
  readonly subscribe: (listener: () => void) => () => void
}

/** The browser's clock, ticking once a second: display only. */
export const browserTimer: SessionTimer = {
  now: () => Date.now(),
  subscribe: (listener) => {
    const id = setInterval(listener, 1000)
    return () => clearInterval(id)
  }
}

/**
 * A clock a story or test moves by hand: `layer` gives a runtime its `Clock` (what operations read), `timer` is the
 * display's, and `advance` moves both and ticks.
 */
export interface ManualClock {
  readonly clock: Clock.Clock
  readonly layer: Layer.Layer<never>
  readonly timer: SessionTimer
  readonly now: () => number
  readonly advance: (millis: number) => void
  readonly set: (millis: number) => void
}

/** A `ManualClock` starting at `start` (epoch milliseconds). Sleeping is immediate. */
export const manualClock = (start: number): ManualClock => {
  let now = start
  const listeners = new Set<() => void>()
  const nanos = () => BigInt(now) * 1_000_000n
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: nanos,
    currentTimeNanos: Effect.sync(nanos),
    monotonicTimeNanosUnsafe: nanos,
    monotonicTimeNanos: Effect.sync(nanos),
    sleep: () => Effect.void
  }
  const set = (millis: number) => {
    now = millis
    for (const listener of [...listeners]) listener()
  }
  return {
    clock,
    layer: Layer.succeed(Clock.Clock, clock) as Layer.Layer<never>,
    timer: {
      now: () => now,
      subscribe: (listener) => {
        listeners.add(listener)
        return () => void listeners.delete(listener)
      }
    },
    now: () => now,
    advance: (millis) => set(now + millis),
    set
  }
}

/** Milliseconds of service and E/M time at `now` (a running segment counts up to now). */
export const elapsedAt = (
  session: Session.TrackedSession,
  now: number
): { readonly service: number; readonly em: number; readonly total: number } => {
  let service = 0
  let em = 0
  for (const segment of session.segments) {
    const ms = Math.max(0, (segment.endedAt ?? now) - segment.startedAt)
    if (segment.kind === "service") service += ms
    else em += ms
  }
  return { service, em, total: service + em }
}

const running = (session: Session.TrackedSession) => session.status === "in-progress"

/**
 * The elapsed time of a session, redrawn on every tick of `timer` while it runs: for the timer display only (the
 * tracker's heavier work follows whole minutes).
 */
export function useSessionElapsed(session: Session.TrackedSession, timer: SessionTimer = browserTimer) {
  const [now, setNow] = useState(() => timer.now())
  const isRunning = running(session)
  useEffect(() => {
    setNow(timer.now())
    if (!isRunning) return
    return timer.subscribe(() => setNow(timer.now()))
  }, [timer, isRunning])
  return elapsedAt(session, now)
}

/** Whole minutes of each kind of time, changing only on a minute boundary (the preview reruns then, not per tick). */
function useSessionMinutes(session: Session.TrackedSession, timer: SessionTimer) {
  const read = useCallback(() => Session.minutesAt(session, timer.now()), [session, timer])
  const [minutes, setMinutes] = useState(read)
  const isRunning = running(session)
  useEffect(() => {
    const update = () => {
      const next = read()
      setMinutes((current) => (current.service === next.service && current.em === next.em ? current : next))
    }
    update()
    if (!isRunning) return
    return timer.subscribe(update)
  }, [read, timer, isRunning])
  return minutes
}

export interface UseSessionTrackerOptions {
  /** The session, controlled: the tracker proposes changes through `onSessionChange`. */
  readonly session?: Session.TrackedSession | undefined
  /** The session to begin with, uncontrolled: the tracker keeps it. */
  readonly defaultSession?: Session.TrackedSession | undefined
  /** Called with every accepted change (start, pause, flags, ...): save it. */
  readonly onSessionChange?: ((session: Session.TrackedSession) => void) | undefined
  /** False stops the start (e.g. while an authorization check runs). */
  readonly canStart?: boolean | undefined
  /** Asked before a start; resolving false stops it (e.g. an authorization alert the person cancelled). */
  readonly onBeforeStart?: (() => boolean | Promise<boolean>) | undefined
  /** The practice's late-cancel and no-show fees, charged to the patient. */
  readonly feePolicy?: Session.FeePolicy | undefined
  /** The display clock; the browser's by default. Operations read the runtime's `Clock`. */
  readonly timer?: SessionTimer | undefined
}

/** The moves a person can make, each through core's transition of the same name. */
export type SessionMove =
  | { readonly _tag: "start" }
  | { readonly _tag: "pause" }
  | { readonly _tag: "resume" }
  | { readonly _tag: "stop" }
  | { readonly _tag: "switchTo"; readonly kind: Session.SegmentKind }
  | { readonly _tag: "noShow" }
  | { readonly _tag: "lateCancel" }
  | { readonly _tag: "cancel" }
  | {
      readonly _tag: "annotate"
      readonly changes: {
        readonly interactiveComplexity?: boolean
        readonly crisis?: boolean
        readonly emCode?: string
      }
    }
  | { readonly _tag: "delivery"; readonly delivery: Coding.Delivery }

const transition = (
  session: Session.TrackedSession,
  move: SessionMove,
  feePolicy: Session.FeePolicy | undefined
): Session.Transition => {
  switch (move._tag) {
    case "start":
      return Session.start(session)
    case "pause":
      return Session.pause(session)
    case "resume":
      return Session.resume(session)
    case "stop":
      return Session.complete(session)
    case "switchTo":
      return Session.switchTo(session, move.kind)
    case "noShow":
      return Session.markNoShow(session, feePolicy)
    case "lateCancel":
      return Session.cancel(session, { late: true, ...(feePolicy === undefined ? {} : { policy: feePolicy }) })
    case "cancel":
      return Session.cancel(session, { late: false })
    case "annotate":
      return Session.annotate(session, move.changes)
    case "delivery":
      // Delivery is editable while the flags are: `annotate` with no change says whether it is.
      return Effect.map(Session.annotate(session, {}), (s) => ({ ...s, delivery: move.delivery }))
  }
}

/** What a session bills now, live: the preview of the current whole minutes, and the next threshold. */
export interface LiveNext {
  /** Service minutes at which the coding changes. */
  readonly atMinutes: number
  /** Minutes from now until then. */
  readonly inMinutes: number
  /** What it would bill then. */
  readonly result: Coding.CodingResult
}

export interface SessionTrackerState {
  readonly session: Session.TrackedSession
  readonly status: Session.Status
  /** Whole minutes of service and E/M time (changes on the minute boundary). */
  readonly minutes: { readonly service: number; readonly em: number }
  /** `Billing.previewSession` for the current minutes: one preview per patient (one for an individual session). */
  readonly preview: Result.Result<ReadonlyArray<Billing.SessionPreview>, unknown>
  /** The first patient's next threshold, counted from the current minutes. */
  readonly next: LiveNext | undefined
  /** The last move core refused (an invalid transition), until the next move. */
  readonly error: Session.SessionError | undefined
  /** True while a move runs. */
  readonly pending: boolean
  /** False when the host stops the start (`canStart`). */
  readonly canStart: boolean
  readonly timer: SessionTimer
  /** Runs a move; resolves with the new session, or undefined when it was refused or stopped. */
  readonly move: (move: SessionMove) => Promise<Session.TrackedSession | undefined>
  readonly start: () => Promise<Session.TrackedSession | undefined>
  readonly pause: () => Promise<Session.TrackedSession | undefined>
  readonly resume: () => Promise<Session.TrackedSession | undefined>
  readonly stop: () => Promise<Session.TrackedSession | undefined>
  readonly clearError: () => void
}

/**
 * The session state machine of the SessionTracker, headless: every move goes through core's transitions (so an
 * invalid one comes back as a `SessionError` in `error`), run on the provider's runtime so times come from its
 * `Clock`. The preview (`Billing.previewSession`) reruns when the session changes or a minute passes, not on every
 * tick. Controlled with `session`/`onSessionChange`, or uncontrolled with `defaultSession`.
 */
export function useSessionTracker(options: UseSessionTrackerOptions): SessionTrackerState {
  const runtime = useBillingRuntime()
  const caller = useOptionalCaller()
  const timer = options.timer ?? browserTimer
  const controlled = options.session !== undefined
  const [own, setOwn] = useState<Session.TrackedSession | undefined>(options.defaultSession)
  const session = (controlled ? options.session : own) as Session.TrackedSession
  if (session === undefined) throw new Error("useSessionTracker needs a session or a defaultSession")
  const [error, setError] = useState<Session.SessionError | undefined>(undefined)
  const [pending, setPending] = useState(false)
  const [defect, setDefect] = useState<Result.BillingDefect | null>(null)
  const latest = useRef({ session, options })
  latest.current = { session, options }
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  const minutes = useSessionMinutes(session, timer)
  // The same session a minute on: its last preview stays while the next one codes, so the code does not flicker.
  const { result: preview } = useBillingQuery(() => Billing.previewSession(session), [session, minutes], {
    keepPreviousValue: true
  })

  const canStart = options.canStart !== false

  const move = useCallback(
    async (next: SessionMove): Promise<Session.TrackedSession | undefined> => {
      const { options: current } = latest.current
      if (next._tag === "start") {
        if (current.canStart === false) return undefined
        if (current.onBeforeStart !== undefined && !(await current.onBeforeStart())) return undefined
      }
      if (mounted.current) setPending(true)
      // Read the session after the gate: it may have changed while a dialog was open.
      const from = latest.current.session
      const exit = await runtime.runPromiseExit(asCaller(transition(from, next, current.feePolicy), caller))
      if (!mounted.current) return Exit.isSuccess(exit) ? exit.value : undefined
      setPending(false)
      const settled = settle(exit)
      if (settled instanceof Result.BillingDefect) {
        setDefect(settled)
        return undefined
      }
      if (settled._tag === "Failure") {
        setError(settled.error as Session.SessionError)
        return undefined
      }
      if (settled._tag !== "Success") return undefined
      setError(undefined)
      const value = settled.value as Session.TrackedSession
      if (latest.current.options.session === undefined) setOwn(value)
      latest.current.options.onSessionChange?.(value)
      return value
    },
    [runtime, caller]
  )

  if (defect !== null) throw defect
  const first = preview._tag === "Success" ? preview.value[0] : undefined
  const next: LiveNext | undefined =
    first?.next === undefined
      ? undefined
      : {
          atMinutes: first.next.atMinutes,
          inMinutes: Math.max(0, first.next.atMinutes - minutes.service),
          result: first.next.result
        }

  return {
    session,
    status: session.status,
    minutes,
    preview,
    next,
    error,
    pending,
    canStart,
    timer,
    move,
    start: useCallback(() => move({ _tag: "start" }), [move]),
    pause: useCallback(() => move({ _tag: "pause" }), [move]),
    resume: useCallback(() => move({ _tag: "resume" }), [move]),
    stop: useCallback(() => move({ _tag: "stop" }), [move]),
    clearError: useCallback(() => setError(undefined), [])
  }
}
