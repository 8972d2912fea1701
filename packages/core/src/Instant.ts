/**
 * Instants as epoch milliseconds, read from effect's `Clock` (so tests move time with `TestClock`). Dates of
 * service are calendar dates (`DateOfService`); an instant is when something happened in the system.
 *
 * @since 0.1.0
 */
import { Clock, type Effect, Schema } from "effect"

/**
 * @since 0.1.0
 */
export const EpochMillis = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))).annotate({
  identifier: "EpochMillis"
})

/**
 * @since 0.1.0
 */
export type EpochMillis = typeof EpochMillis.Type

/**
 * The current instant.
 *
 * @since 0.1.0
 */
export const now: Effect.Effect<EpochMillis> = Clock.currentTimeMillis
