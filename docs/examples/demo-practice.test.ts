// docs/examples/demo-practice.ts is run, not only type-checked: what store.md says it prints, it prints.
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { tour } from "./demo-practice.js"

it.effect(
  "demo-practice.ts: the queue's categories, the nearly used-up authorization, A/R and a self-pay balance",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 2, 16, 15))
      expect(yield* tour).toEqual({
        categories: [
          "authorization",
          "coding",
          "coordination-of-benefits",
          "duplicate",
          "eligibility",
          "medical-necessity",
          "timely-filing"
        ],
        authorization: "1 sessions on DEMO-PA-2002 (0 left)",
        payersWithBalances: 4,
        selfPayOwes: 17000
      })
    }),
  60_000
)
