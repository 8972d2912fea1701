/**
 * The work queue's order as the calendar moves (TestClock): `Billing.refreshDenialPriorities` recomputes the
 * priority of workable denials, rewrites only those that changed, and is idempotent within a day; a denial overtakes
 * another as its deadline nears, and jumps ahead once overdue.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Billing,
  BillingRuntime,
  Caller,
  DateOfService,
  type Denial,
  type Ids,
  type Money,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Option } from "effect"
import { TestClock } from "effect/testing"
import { inWorld, makeWorld, type World } from "./ClaimSubmission.support.js"
import * as F from "./store/fixtures.js"

const day = (text: string) => text as DateOfService.DateOfService
const cents = (n: number) => n as Money.Money
const noon = (date: string) => Date.parse(`${date}T12:00:00Z`)

const run =
  (world: World) =>
  <A, E>(effect: Effect.Effect<A, E, Store.Store | Caller.Caller | RuleSet.RulePacks>) =>
    inWorld(world)(effect.pipe(Effect.provide(RuleSet.layerBuiltin([]))))

const seedClaim = (world: World) =>
  Effect.gen(function* () {
    const claim = F.claim(world.tenant, { status: "denied", ...world.refs })
    yield* world.store.claims.create([claim])
    return claim.id
  }).pipe(Effect.provideService(Caller.Caller, world.caller))

const denialOf = (world: World, claimId: Ids.ClaimId, amount: number, receivedOn: string): Billing.DenialItem => ({
  claimId,
  payerId: world.refs.payerId,
  group: "CO",
  carc: "197",
  rarcs: [],
  amount: cents(amount),
  receivedOn: day(receivedOn)
})

const record = (world: World, items: ReadonlyArray<Billing.DenialItem>) =>
  Effect.map(run(world)(Billing.recordDenials(items)), (outcomes) =>
    outcomes.map((outcome) => {
      if (outcome._tag !== "Recorded") throw new Error(`expected Recorded, got ${outcome._tag}`)
      return outcome.denial
    })
  )

const queueOf = (world: World, status: ReadonlyArray<Denial.Status> = ["open", "in-progress"]) =>
  Effect.map(run(world)(Billing.denialQueue({ status, limit: 1000 })), (page) => page.items)

const get = (world: World, id: Denial.DenialId) =>
  Effect.map(run(world)(Effect.flatMap(Store.Store, (store) => store.denials.get(id))), Option.getOrThrow)

describe("Billing.refreshDenialPriorities", () => {
  it.effect(
    "a denial overtakes another as its deadline nears, and leads once overdue; same-day runs change nothing",
    () =>
      Effect.gen(function* () {
        const world = yield* makeWorld()
        yield* TestClock.setTime(noon("2025-04-01"))
        const [bigId, smallId, doneId] = [yield* seedClaim(world), yield* seedClaim(world), yield* seedClaim(world)]
        // Big: received today, its whole window ahead. Small: received earlier, its deadline nearer.
        const [big, small, done] = yield* record(world, [
          denialOf(world, bigId, 20000, "2025-04-01"),
          denialOf(world, smallId, 9000, "2025-02-15"),
          denialOf(world, doneId, 1000, "2025-02-01")
        ])
        if (big === undefined || small === undefined || done === undefined || small.deadline === undefined) {
          throw new Error("expected three denials with deadlines")
        }
        const deadline = small.deadline
        expect(DateOfService.daysBetween(day("2025-04-01"), deadline)).toBeGreaterThan(10)
        expect((yield* queueOf(world)).map((d) => d.id)).toEqual([big.id, small.id, done.id])
        // Recorded as of today: a refresh the same day rewrites nothing.
        expect(yield* run(world)(Billing.refreshDenialPriorities())).toEqual({
          asOf: day("2025-04-01"),
          examined: 3,
          updated: 0
        })
        // A denial no longer worked keeps its priority.
        yield* run(world)(Billing.workDenials([done.id], { _tag: "WriteOff", reason: "small balance" }))
        const writtenOff = yield* get(world, done.id)
        expect(writtenOff.status).toBe("written-off")

        // Five days before the small one's deadline: its urgency has grown past the big one's.
        const nearDay = DateOfService.addDays(deadline, -5)
        yield* TestClock.setTime(noon(nearDay))
        const near = yield* run(world)(Billing.refreshDenialPriorities())
        expect(near).toEqual({ asOf: nearDay, examined: 2, updated: 2 })
        const nearQueue = yield* queueOf(world)
        expect(nearQueue.map((d) => d.id)).toEqual([small.id, big.id])
        for (const d of nearQueue) expect(d.priority).toBe(Billing.denialPriority(d.amount, d.deadline, nearDay))
        expect(nearQueue[0]?.version).toBe(1)
        expect(yield* run(world)(Billing.refreshDenialPriorities())).toEqual({ asOf: nearDay, examined: 2, updated: 0 })
        expect((yield* get(world, small.id)).version).toBe(1)
        expect(yield* get(world, done.id)).toEqual(writtenOff)

        // The day after its deadline: overdue, ahead of a far larger denial still in its window.
        const overdueDay = DateOfService.addDays(deadline, 1)
        yield* TestClock.setTime(noon(overdueDay))
        const hugeClaim = yield* seedClaim(world)
        const [huge] = yield* record(world, [denialOf(world, hugeClaim, 5_000_000, overdueDay)])
        const overdue = yield* run(world)(Billing.refreshDenialPriorities())
        expect(overdue).toEqual({ asOf: overdueDay, examined: 3, updated: 2 })
        const overdueQueue = yield* queueOf(world)
        expect(overdueQueue.map((d) => d.id)).toEqual([small.id, huge?.id, big.id])
        expect(overdueQueue[0]?.priority).toBe(Billing.overduePriority + 9000)
        expect(yield* get(world, done.id)).toEqual(writtenOff)
      })
  )

  it.effect("on BillingRuntime, as of a given day", () =>
    Effect.gen(function* () {
      const runtime = BillingRuntime.make(InMemoryStore.layer)
      const tenant = F.tenantId()
      const caller = { tenantId: tenant, actor: "user:biller", purpose: "payment" } as const
      const payer = F.payer(tenant)
      const claim = F.claim(tenant, { status: "denied", payerId: payer.id })
      yield* Effect.promise(() =>
        runtime.runPromise(
          Effect.gen(function* () {
            const store = yield* Store.Store
            yield* store.payers.put(payer)
            yield* store.claims.create([claim])
          }).pipe(Effect.provideService(Caller.Caller, caller))
        )
      )
      const item = { claimId: claim.id, payerId: payer.id, group: "CO", carc: "50", rarcs: [] }
      const [outcome] = yield* Effect.promise(() =>
        runtime.recordDenials(caller, [{ ...item, amount: cents(15000), receivedOn: day("2025-04-01") }], {
          asOf: day("2025-04-01")
        })
      )
      if (outcome?._tag !== "Recorded") throw new Error("expected a denial")
      const later = day("2025-05-20")
      const refreshed = yield* Effect.promise(() => runtime.refreshDenialPriorities(caller, { asOf: later }))
      expect(refreshed).toEqual({ asOf: later, examined: 1, updated: 1 })
      const [denial] = (yield* Effect.promise(() => runtime.denialQueue(caller))).items
      expect(denial?.priority).toBe(Billing.denialPriority(cents(15000), outcome.denial.deadline, later))
      expect(denial?.priority).toBeGreaterThan(outcome.denial.priority)
      yield* Effect.promise(() => runtime.dispose())
    })
  )
})
