import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { trackAndBill } from "./bill-session.js"

it.effect("bill-session.ts bills 55 minutes of psychotherapy as 90837 on a draft claim", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.UTC(2026, 10, 16, 15))
    const result = yield* trackAndBill(TestClock.adjust("55 minutes"))
    expect(result.why).toMatch(/→ 90837/)
    expect(result.claim).toEqual(["90837 draft"])
  })
)
