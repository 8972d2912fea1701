// The playground's clock: the real time plus however far the person has skipped ahead, like a payment sandbox's
// test clock. A session can be tracked to 53 minutes without waiting 53 minutes. Operations read it as effect's
// `Clock` (through the runtime's layer); the session tracker's display reads it as its timer.
import type { SessionTimer } from "@openrcm/react"
import { Clock, Effect, Layer } from "effect"

let offset = 0
const listeners = new Set<() => void>()
const now = () => Date.now() + offset
const nanos = () => BigInt(now()) * 1_000_000n

const clock: Clock.Clock = {
  currentTimeMillisUnsafe: now,
  currentTimeMillis: Effect.sync(now),
  currentTimeNanosUnsafe: nanos,
  currentTimeNanos: Effect.sync(nanos),
  monotonicTimeNanosUnsafe: nanos,
  monotonicTimeNanos: Effect.sync(nanos),
  sleep: (duration) => Clock.Clock.defaultValue().sleep(duration)
}

export const clockLayer = Layer.succeed(Clock.Clock, clock)

/** The tracker's display: ticks every second, and at once when the person skips ahead. */
export const timer: SessionTimer = {
  now,
  subscribe: (listener) => {
    listeners.add(listener)
    const id = setInterval(listener, 1000)
    return () => {
      clearInterval(id)
      listeners.delete(listener)
    }
  }
}

/** Moves the playground's time forward. */
export const skipAhead = (minutes: number) => {
  offset += minutes * 60_000
  for (const listener of [...listeners]) listener()
}

/** How far the playground's time is ahead of the real time, in minutes. */
export const minutesAhead = () => Math.round(offset / 60_000)
