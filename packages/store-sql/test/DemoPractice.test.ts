// The demo practice seeded on the SQL store, embedded PGlite in memory: the same seed the in-memory store takes
// writes the same claims, denials, remittances and balances through SQL (PHI encrypted), so stories and the
// playground see one practice whichever store they run on.
import { expect, layer } from "@effect/vitest"
import { Caller, DateOfService, type Denial, type KeyProvider, Store } from "@openrcm/core"
import { DemoPractice, InMemoryStore } from "@openrcm/core/testing"
import { Effect } from "effect"
import * as EmbeddedStore from "../src/EmbeddedStore.js"

const masterKeys: KeyProvider.MasterKeys = {
  current: "k1",
  keys: { k1: "ZGVtbyBwcmFjdGljZSBvbiBQR2xpdGUsIDMyIGJ5dGU=" }
}

const today = DateOfService.make("2026-03-16")
const inDemo = Effect.provideService(Caller.Caller, DemoPractice.caller)

/** What a reader sees, in id order so that two stores compare item by item. */
const snapshot = (store: Store.StoreShape) =>
  Effect.gen(function* () {
    const claims = []
    let cursor: string | undefined
    do {
      const page = yield* store.claims.query({ limit: Store.maxPageSize, cursor })
      claims.push(...page.items)
      cursor = page.next
    } while (cursor !== undefined)
    const denials = []
    do {
      const page: Store.Page<Denial.Denial> = yield* store.denials.queue({ limit: Store.maxPageSize, cursor })
      denials.push(...page.items)
      cursor = page.next
    } while (cursor !== undefined)
    const remittances = (yield* store.remittances.list({ limit: Store.maxPageSize })).items
    const balances: Record<string, number> = {}
    for (const [key, id] of Object.entries(DemoPractice.ids.patients)) {
      balances[key] = yield* store.patientLedger.balance(id)
    }
    const aging = yield* store.reports.aging(today)
    const byId = <A extends { readonly id: string }>(items: ReadonlyArray<A>) =>
      [...items].sort((a, b) => (a.id < b.id ? -1 : 1))
    return {
      claims: byId(claims).map((c) => ({ id: c.id, status: c.status, balance: c.balance, charge: c.charge })),
      denials: byId(denials).map((d) => ({ id: d.id, claimId: d.claimId, carc: d.carc, status: d.status })),
      remittances: byId(remittances).map((r) => ({ id: r.id, amount: r.paymentAmount, trace: r.traceNumber })),
      balances,
      aging
    }
  }).pipe(inDemo)

layer(EmbeddedStore.layer({ masterKeys }), { excludeTestServices: true, timeout: 180_000 })(
  "DemoPractice on SqlStore (PGlite)",
  (it) => {
    it.effect(
      "seeds through SQL and reads back the same practice as the in-memory store",
      () =>
        Effect.gen(function* () {
          const sql = yield* Store.Store
          const summary = yield* DemoPractice.seed({ today }).pipe(inDemo)
          const memory = yield* InMemoryStore.make
          const expected = yield* DemoPractice.seed({ today }).pipe(Effect.provideService(Store.Store, memory), inDemo)
          expect(summary).toEqual(expected)

          const got = yield* snapshot(sql)
          const want = yield* snapshot(memory)
          expect(got.claims.length).toBeGreaterThan(50)
          expect(new Set(got.claims.map((c) => c.status)).size).toBeGreaterThanOrEqual(10)
          expect(new Set(got.denials.map((d) => d.carc)).size).toBeGreaterThanOrEqual(5)
          expect(got).toEqual(want)
        }),
      180_000
    )
  }
)
