/**
 * Control numbers for outbound X12: ISA13, GS06 and ST02 must not repeat between a sender and a receiver, or the
 * receiver rejects the file as a duplicate. `ControlNumbers.next` counts up, separately for each kind and each
 * sender+receiver pair, and never hands out a number twice. `layerMemory` starts from 1; `layerFrom` resumes from
 * stored high-water marks (the last number used), and `highWaterMarks` reads them back for storage.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Ref } from "effect"

/**
 * @since 0.1.0
 */
export type ControlNumberKind = "interchange" | "group" | "transaction"

/**
 * The last number used for a kind between a sender and a receiver.
 *
 * @since 0.1.0
 */
export interface HighWaterMark {
  readonly kind: ControlNumberKind
  readonly sender: string
  readonly receiver: string
  readonly last: number
}

/** The largest number each kind can hold: 9 digits for all three. */
const max = 999_999_999

const keyOf = (kind: ControlNumberKind, sender: string, receiver: string): string =>
  JSON.stringify([kind, sender.trim(), receiver.trim()])

/**
 * ISA13 is exactly 9 digits, zero-padded; GS06 is 1 to 9 digits; ST02 is 4 to 9 digits (zero-padded to 4).
 *
 * @since 0.1.0
 */
export const format = (kind: ControlNumberKind, n: number): string =>
  kind === "interchange" ? String(n).padStart(9, "0") : kind === "transaction" ? String(n).padStart(4, "0") : String(n)

/**
 * @since 0.1.0
 */
export class ControlNumbers extends Context.Service<
  ControlNumbers,
  {
    /** The next unused number of this kind between sender and receiver, formatted for its element. */
    readonly next: (kind: ControlNumberKind, sender: string, receiver: string) => Effect.Effect<string>
    /** The last number used for each kind and pair, to store and resume from with `layerFrom`. */
    readonly highWaterMarks: Effect.Effect<ReadonlyArray<HighWaterMark>>
  }
>()("@openrcm/x12/ControlNumbers") {
  /** Numbers in memory, from 1. */
  static readonly layerMemory: Layer.Layer<ControlNumbers> = Layer.effect(ControlNumbers, make([]))

  /** Numbers in memory, each pair and kind resuming after its stored high-water mark. */
  static readonly layerFrom = (initial: Iterable<HighWaterMark>): Layer.Layer<ControlNumbers> =>
    Layer.effect(ControlNumbers, make(initial))
}

function make(initial: Iterable<HighWaterMark>) {
  return Effect.gen(function* () {
    const start = new Map<string, HighWaterMark>()
    for (const mark of initial) {
      const key = keyOf(mark.kind, mark.sender, mark.receiver)
      const last = Math.max(0, Math.floor(mark.last))
      const known = start.get(key)
      if (known === undefined || known.last < last)
        start.set(key, { kind: mark.kind, sender: mark.sender.trim(), receiver: mark.receiver.trim(), last })
    }
    const ref = yield* Ref.make<ReadonlyMap<string, HighWaterMark>>(start)
    return ControlNumbers.of({
      next: (kind, sender, receiver) =>
        Effect.flatMap(
          Ref.modify(ref, (marks): readonly [number, ReadonlyMap<string, HighWaterMark>] => {
            const key = keyOf(kind, sender, receiver)
            const last = marks.get(key)?.last ?? 0
            // Exhausted: keep the mark where it is, so a number is never reused.
            if (last >= max) return [-1, marks]
            const next = new Map(marks)
            next.set(key, { kind, sender: sender.trim(), receiver: receiver.trim(), last: last + 1 })
            return [last + 1, next]
          }),
          (n) =>
            n < 0
              ? Effect.die(new Error(`control numbers exhausted: ${kind} numbers reached ${max}`))
              : Effect.succeed(format(kind, n))
        ),
      highWaterMarks: Effect.map(Ref.get(ref), (marks) => [...marks.values()])
    })
  })
}
