// docs/store.md, "A demo practice": a seeded in-memory store for a story, a test or a demo, and the operations
// reading it as they would a real practice's data.
import { Billing, Caller, DateOfService, RuleSet, Store } from "@openrcm/core"
import { DemoPractice } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"

// The practice as it stands on a fixed day: the same day always gives the same data.
const today = DateOfService.make("2026-03-16")

// A seeded in-memory Store, the caller it was seeded as (the demo tenant), and the built-in rule packs.
const demo = Layer.mergeAll(DemoPractice.layer({ today }), Caller.layer(DemoPractice.caller), RuleSet.layerBuiltin())

export const tour = Effect.gen(function* () {
  const store = yield* Store.Store

  // The work queue: denials of several categories, highest priority first.
  const queue = yield* Billing.denialQueue({ limit: 50 })
  const categories = [...new Set(queue.items.map((denial) => denial.category))].sort()

  // A patient whose authorization is nearly used up: their next visit still fits, with nothing to spare.
  const next = DemoPractice.nextVisit("authorizationNearlyUsedUp", today)
  const authorizations = next === undefined ? [] : yield* store.authorizations.forPatient(next.visit.patientId)
  const ledger = yield* store.authorizations.ledger(DemoPractice.ids.authorizations.nearlyUsedUp)
  const check = next === undefined ? undefined : yield* Billing.checkAuthorization({ ...next, authorizations, ledger })

  // A/R aging and what the self-pay patient owes.
  const aging = yield* store.reports.aging(today)
  const selfPayOwes = yield* store.patientLedger.balance(DemoPractice.ids.patients.selfPay)

  return {
    categories,
    authorization: check?._tag === "Authorized" ? check.text : check?._tag,
    payersWithBalances: aging.rows.length,
    selfPayOwes
  }
}).pipe(Effect.provide(demo))
