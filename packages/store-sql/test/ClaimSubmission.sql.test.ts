// Submit and track on the SQL store, embedded PGlite (packages/core/test/ClaimSubmission.support.ts): the end-to-end
// path (the outbox transaction, a failed submission's claims back to ready, the requeue), and the crash test on
// fewer runs than in memory: interrupted mid-transaction, the SQL store must roll back so that, restarted, every
// claim reaches the clearinghouse exactly once.
import { expect, layer } from "@effect/vitest"
import { type KeyProvider, Store } from "@openrcm/core"
import { Effect } from "effect"
import { checkCrashes, submitAndTrack } from "../../core/test/ClaimSubmission.support.js"
import * as EmbeddedStore from "../src/EmbeddedStore.js"

const masterKeys: KeyProvider.MasterKeys = {
  current: "k1",
  keys: { k1: "c3VibWl0IGFuZCB0cmFjayB0ZXN0IG1hc3RlciBrZXk=" }
}

layer(EmbeddedStore.layer({ masterKeys }), { excludeTestServices: true, timeout: 120_000 })(
  "Billing submit and track on SqlStore (PGlite)",
  (it) => {
    it.effect(
      "ready → submitted → sent → accepted; corrected; refused, back to ready, requeued, sent",
      () =>
        Effect.gen(function* () {
          yield* submitAndTrack(yield* Store.Store)
        }),
      60_000
    )

    it.effect(
      "the crash test: interrupted at random calls and restarted, every claim reaches the clearinghouse once",
      () =>
        Effect.gen(function* () {
          const store = yield* Store.Store
          const figures = yield* Effect.promise(() => checkCrashes({ numRuns: 40, seed: 20_250_602, store }))
          expect(figures.crashed).toBe(40)
        }),
      240_000
    )
  }
)
