/**
 * What the claim submission tests share: a world (a store, a clearinghouse, a tenant and its records), clearinghouse
 * wrappers (recording, failing, answering), the end-to-end scenario that runs on any Store, and the crash test's
 * machinery. The in-memory runners are in `ClaimSubmission.test.ts`; the SQL ones (PGlite) in
 * `packages/store-sql/test/ClaimSubmission.sql.test.ts`.
 */
import { expect } from "@effect/vitest"
import { Billing, Caller, Clearinghouse, type Ids, RulePack, RuleSet, Store, type Submission } from "@openrcm/core"
import { InMemoryClearinghouse, InMemoryStore } from "@openrcm/core/testing"
import { Cause, Deferred, Effect, Exit, Fiber, Option, Schema } from "effect"
import * as fc from "fast-check"
import * as F from "./store/fixtures.js"

export type StoreShape = Store.StoreShape
export type ClearinghouseShape = Clearinghouse.Clearinghouse["Service"]

// ---------------------------------------------------------------------------------------------------------------
// A world: a store, a clearinghouse, a tenant with one patient, coverage, payer, billing provider and clinician
// ---------------------------------------------------------------------------------------------------------------

export const callerOf = (tenantId: Ids.TenantId): Caller.CallerInfo => ({
  tenantId,
  actor: "user:biller",
  purpose: "payment"
})

export interface World {
  readonly tenant: Ids.TenantId
  readonly caller: Caller.CallerInfo
  readonly store: StoreShape
  readonly clearinghouse: ClearinghouseShape
  readonly refs: {
    readonly patientId: Ids.PatientId
    readonly coverageId: Ids.CoverageId
    readonly payerId: Ids.PayerId
    readonly billingProviderId: Ids.OrganizationId
    readonly renderingClinicianId: Ids.ClinicianId
  }
}

export const inMemoryClearinghouse = (options?: InMemoryClearinghouse.Options) =>
  Effect.provide(
    Effect.gen(function* () {
      return yield* Clearinghouse.Clearinghouse
    }),
    InMemoryClearinghouse.layer([], options)
  )

/** Runs an operation in the world: its store, clearinghouse and caller. */
/** The built-in rule packs, as `BillingRuntime` provides them (denials take their appeal window from them). */
export const builtinRulePacks = RuleSet.makeRulePacks(
  RuleSet.builtinPacks.map((pack) => Schema.decodeUnknownSync(RulePack.RulePack)(pack))
)

export const inWorld =
  (world: Pick<World, "store" | "clearinghouse" | "caller">) =>
  <A, E>(
    effect: Effect.Effect<A, E, Store.Store | Clearinghouse.Clearinghouse | Caller.Caller | RuleSet.RulePacks>
  ): Effect.Effect<A, E> =>
    effect.pipe(
      Effect.provideService(RuleSet.RulePacks, builtinRulePacks),
      Effect.provideService(Store.Store, world.store),
      Effect.provideService(Clearinghouse.Clearinghouse, world.clearinghouse),
      Effect.provideService(Caller.Caller, world.caller)
    )

export const makeWorld = (clearinghouse?: ClearinghouseShape, store?: StoreShape) =>
  Effect.gen(function* () {
    const tenant = F.tenantId()
    const caller = callerOf(tenant)
    const s = store ?? (yield* InMemoryStore.make)
    const c = clearinghouse ?? (yield* inMemoryClearinghouse())
    const payer = F.payer(tenant)
    const patient = F.patient(tenant)
    const coverage = F.coverage(tenant, { patientId: patient.id, payerId: payer.id })
    const organization = F.organization(tenant)
    const clinician = F.clinician(tenant)
    yield* Effect.gen(function* () {
      yield* s.payers.put(payer)
      yield* s.patients.put(patient)
      yield* s.coverages.put(coverage)
      yield* s.organizations.put(organization)
      yield* s.clinicians.put(clinician)
    }).pipe(Effect.provideService(Caller.Caller, caller))
    return {
      tenant,
      caller,
      store: s,
      clearinghouse: c,
      refs: {
        patientId: patient.id,
        coverageId: coverage.id,
        payerId: payer.id,
        billingProviderId: organization.id,
        renderingClinicianId: clinician.id
      }
    } satisfies World
  })

/** Creates claims of the world's patient in the given status. */
export const seedClaims = (world: World, count: number, over: Parameters<typeof F.claim>[1] = {}) =>
  Effect.gen(function* () {
    const claims = Array.from({ length: count }, () =>
      F.claim(world.tenant, { status: "ready", ...world.refs, ...over })
    )
    yield* world.store.claims.create(claims)
    return claims.map((claim) => claim.id)
  }).pipe(Effect.provideService(Caller.Caller, world.caller))

export const getClaim = (world: World, id: Ids.ClaimId) =>
  Effect.map(world.store.claims.get(id).pipe(Effect.provideService(Caller.Caller, world.caller)), (found) =>
    Option.getOrThrow(found)
  )

export const historyOf = (world: World, id: Ids.ClaimId) =>
  world.store.claims.history(id).pipe(Effect.provideService(Caller.Caller, world.caller))

export const submissionOf = (world: World, key: Submission.SubmissionKey) =>
  Effect.map(world.store.submissions.get(key).pipe(Effect.provideService(Caller.Caller, world.caller)), (found) =>
    Option.getOrThrow(found)
  )

export const pendingOf = (world: World) =>
  world.store.submissions.pending().pipe(Effect.provideService(Caller.Caller, world.caller))

/** The typed error an effect fails with; a success or a defect fails the test. */
export const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) return Effect.die(new Error("expected a failure, got a success"))
    const error = Cause.findErrorOption(exit.cause)
    return Option.isSome(error) ? Effect.succeed(error.value) : Effect.die(new Error(Cause.pretty(exit.cause)))
  })

/** A clearinghouse that records what it took the first time, per claim id (the test's eyes at the payer). */
export const recording = (inner: ClearinghouseShape) => {
  const received = new Map<string, number>()
  const batches: Array<Clearinghouse.ClaimBatch> = []
  let calls = 0
  const clearinghouse: ClearinghouseShape = {
    ...inner,
    submitClaims: (batch) =>
      Effect.uninterruptible(
        Effect.suspend(() => {
          calls += 1
          return Effect.tap(inner.submitClaims(batch), (receipt) =>
            Effect.sync(() => {
              if (!receipt.firstTime) return
              batches.push(batch)
              for (const envelope of batch.claims) {
                received.set(envelope.claim.id, (received.get(envelope.claim.id) ?? 0) + 1)
              }
            })
          )
        })
      )
  }
  return { clearinghouse, received, batches, calls: () => calls }
}

/** A clearinghouse whose next `submitClaims` calls fail with these errors, recording the time of every call. */
export const failing = (inner: ClearinghouseShape, errors: ReadonlyArray<Clearinghouse.ClearinghouseError>) => {
  const queue = [...errors]
  const callTimes: Array<number> = []
  const clearinghouse: ClearinghouseShape = {
    ...inner,
    submitClaims: (batch) =>
      Effect.gen(function* () {
        callTimes.push(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
        const error = queue.shift()
        if (error !== undefined) return yield* error
        return yield* inner.submitClaims(batch)
      })
  }
  return { clearinghouse, callTimes }
}

/** A clearinghouse that answers with these responses until they are acknowledged. */
export const answering = (inner: ClearinghouseShape, responses: ReadonlyArray<Clearinghouse.Response>) => {
  let open = [...responses]
  const acknowledged: Array<string> = []
  const clearinghouse: ClearinghouseShape = {
    ...inner,
    responses: () => Effect.sync(() => [...open]),
    acknowledge: (ids) =>
      Effect.sync(() => {
        acknowledged.push(...ids)
        open = open.filter((response) => !ids.includes(response.id))
      })
  }
  return { clearinghouse, acknowledged, open: () => open }
}

export const unavailable = () =>
  new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Unavailable({ detail: "down" }) })
export const timeout = () =>
  new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Timeout({ afterMillis: 30_000 }) })
export const refused = () =>
  new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Refused({ detail: "bad payer" }) })

export const decodePayload = Schema.decodeUnknownSync(Schema.fromJsonString(Clearinghouse.ClaimBatch))

// ---------------------------------------------------------------------------------------------------------------
// End to end, on any Store
// ---------------------------------------------------------------------------------------------------------------

/**
 * Submit and track from end to end for a fresh tenant of `store` (a shared database is fine), with the in-memory
 * clearinghouse and one refusal on demand.
 */
export const submitAndTrack = (store: Store.StoreShape) =>
  Effect.gen(function* () {
    const tenant = F.tenantId("e2e")
    const caller: Caller.CallerInfo = { tenantId: tenant, actor: "job:claims", purpose: "payment" }
    const inner = yield* Effect.provide(
      Effect.gen(function* () {
        return yield* Clearinghouse.Clearinghouse
      }),
      InMemoryClearinghouse.layer([])
    )
    // The payer's side: what it took the first time, per claim; and one refusal when asked.
    const received = new Map<string, number>()
    const batches: Array<Clearinghouse.ClaimBatch> = []
    let refuseNext = false
    const clearinghouse: Clearinghouse.Clearinghouse["Service"] = {
      ...inner,
      submitClaims: (batch) =>
        Effect.suspend(() => {
          if (refuseNext) {
            refuseNext = false
            return Effect.fail(
              new Clearinghouse.ClearinghouseError({ reason: new Clearinghouse.Refused({ detail: "bad payer" }) })
            )
          }
          return Effect.tap(inner.submitClaims(batch), (receipt) =>
            Effect.sync(() => {
              if (!receipt.firstTime) return
              batches.push(batch)
              for (const { claim } of batch.claims) received.set(claim.id, (received.get(claim.id) ?? 0) + 1)
            })
          )
        })
    }
    const run = <A, E>(
      effect: Effect.Effect<A, E, Store.Store | Clearinghouse.Clearinghouse | Caller.Caller | RuleSet.RulePacks>
    ) =>
      effect.pipe(
        Effect.provideService(RuleSet.RulePacks, builtinRulePacks),
        Effect.provideService(Store.Store, store),
        Effect.provideService(Clearinghouse.Clearinghouse, clearinghouse),
        Effect.provideService(Caller.Caller, caller)
      )
    const claimOf = (id: Ids.ClaimId) =>
      Effect.map(store.claims.get(id).pipe(Effect.provideService(Caller.Caller, caller)), (found) =>
        Option.getOrThrow(found)
      )

    // The records an 837P needs, and four claims: three ready, one still a draft.
    const payer = F.payer(tenant)
    const patient = F.patient(tenant)
    const coverage = F.coverage(tenant, { patientId: patient.id, payerId: payer.id })
    const organization = F.organization(tenant)
    const clinician = F.clinician(tenant)
    const refs = {
      patientId: patient.id,
      coverageId: coverage.id,
      payerId: payer.id,
      billingProviderId: organization.id,
      renderingClinicianId: clinician.id
    }
    const ready = [1, 2, 3].map(() => F.claim(tenant, { ...refs, status: "ready" }))
    const draft = F.claim(tenant, { ...refs, status: "draft" })
    yield* Effect.gen(function* () {
      yield* store.payers.put(payer)
      yield* store.patients.put(patient)
      yield* store.coverages.put(coverage)
      yield* store.organizations.put(organization)
      yield* store.clinicians.put(clinician)
      yield* store.claims.create([...ready, draft])
    }).pipe(Effect.provideService(Caller.Caller, caller))
    const readyIds = ready.map((claim) => claim.id).sort()

    // Submit: the ready ones go in one batch, the draft is refused; the same claims again are refused.
    const report = yield* run(Billing.submitClaims([...readyIds, draft.id]))
    const key = report.submission?.key
    expect(report.submission).toEqual({ key, claimIds: readyIds, as: "new" })
    expect(report.claims.at(-1)).toEqual({
      _tag: "Refused",
      claimId: draft.id,
      reason: { _tag: "NotReady", status: "draft" }
    })
    expect((yield* run(Billing.submitClaims(readyIds))).submission).toBeUndefined()

    // Deliver once; a second run finds nothing to send.
    expect(yield* run(Billing.deliverSubmissions())).toMatchObject([{ _tag: "Sent", key, firstTime: true }])
    expect(yield* run(Billing.deliverSubmissions())).toEqual([])

    // What comes back: accepted, each with the payer's claim number.
    const processed = yield* run(Billing.processResponses())
    expect(processed.acknowledged).toHaveLength(2)
    for (const id of readyIds) {
      const claim = yield* claimOf(id)
      expect(claim.status).toBe("accepted")
      expect(claim.payerClaimNumber).toMatch(/^mem-1-\d$/u)
      const history = yield* store.claims.history(id).pipe(Effect.provideService(Caller.Caller, caller))
      expect(history.map((event) => event.to)).toEqual(["ready", "submitted", "accepted"])
    }

    // Paid, then corrected: the replacement carries REF F8 and goes under a new key.
    const [first] = readyIds as [Ids.ClaimId]
    const accepted = yield* claimOf(first)
    yield* run(Billing.transitionClaim(first, { to: "paid", expectedVersion: accepted.version }))
    const { original, replacement } = yield* run(Billing.correctClaim(first))
    expect([original.status, replacement.status, replacement.frequency]).toEqual(["corrected", "draft", "7"])
    expect(replacement.payerClaimNumber).toBe(accepted.payerClaimNumber)
    yield* run(Billing.transitionClaim(replacement.id, { to: "scrubbed", expectedVersion: 0 }))
    yield* run(Billing.transitionClaim(replacement.id, { to: "ready", expectedVersion: 1 }))

    // The replacement and the former draft go together; the clearinghouse refuses the batch once: it fails, its
    // claims go back to ready, and submitted again the same batch is requeued under its key and goes.
    yield* run(Billing.transitionClaim(draft.id, { to: "scrubbed", expectedVersion: 0 }))
    yield* run(Billing.transitionClaim(draft.id, { to: "ready", expectedVersion: 1 }))
    const second = yield* run(Billing.submitClaims([replacement.id, draft.id]))
    expect(second.submission?.key).not.toBe(key)
    refuseNext = true
    expect(yield* run(Billing.deliverSubmissions())).toMatchObject([{ _tag: "Failed", reason: "Refused", attempts: 1 }])
    expect((yield* claimOf(replacement.id)).status).toBe("ready")
    const failed = yield* store.submissions
      .get(second.submission?.key as NonNullable<typeof key>)
      .pipe(Effect.provideService(Caller.Caller, caller))
    expect(Option.getOrThrow(failed)).toMatchObject({ status: "failed", attempts: 1, lastError: "Refused" })
    const again = yield* run(Billing.submitClaims([draft.id, replacement.id]))
    expect(again.submission).toMatchObject({ key: second.submission?.key, as: "requeued" })
    expect(yield* run(Billing.deliverSubmissions())).toMatchObject([{ _tag: "Sent", firstTime: true }])
    const sent = batches.at(-1) as Clearinghouse.ClaimBatch
    const sentReplacement = sent.claims.find(({ claim }) => claim.id === replacement.id)
    expect([sentReplacement?.claim.frequency, sentReplacement?.claim.payerClaimNumber]).toEqual([
      "7",
      accepted.payerClaimNumber
    ])

    // Each claim reached the clearinghouse exactly once.
    expect(Object.fromEntries(received)).toEqual(
      Object.fromEntries([...readyIds, replacement.id, draft.id].map((id) => [id, 1]))
    )
    yield* run(Billing.processResponses())
    expect((yield* claimOf(replacement.id)).status).toBe("accepted")
    expect((yield* claimOf(draft.id)).status).toBe("accepted")
  })

// ---------------------------------------------------------------------------------------------------------------
// The crash test
// ---------------------------------------------------------------------------------------------------------------

/**
 * A store and a clearinghouse whose every call is counted; call number `at` crashes: `before` it reaches the real
 * one, or `after` it returned (the work done, its answer lost). A crash signals `crashed` and never returns, so the
 * test interrupts the fiber there, as a process dying at that point would.
 */
export const crashing = (
  store: StoreShape,
  clearinghouse: ClearinghouseShape,
  crash: { readonly at: number; readonly when: "before" | "after" } | undefined,
  crashed: Deferred.Deferred<string>
) => {
  let calls = 0
  const labels: Array<string> = []
  const gate = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      calls += 1
      labels.push(label)
      if (crash === undefined || calls !== crash.at) return effect
      const die = Effect.andThen(Deferred.succeed(crashed, label), Effect.never)
      // After: whether the call succeeded or failed, its outcome never reaches the caller.
      return crash.when === "before" ? Effect.andThen(die, effect) : Effect.andThen(Effect.exit(effect), die)
    })
  const wrap = <T extends object>(name: string, target: T): T =>
    Object.fromEntries(
      Object.entries(target).map(([key, value]) => [
        key,
        typeof value === "function"
          ? (...args: ReadonlyArray<unknown>) =>
              gate(`${name}.${key}`, (value as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown>)(...args))
          : value
      ])
    ) as T
  const proxiedStore: StoreShape = {
    ...store,
    patients: wrap("patients", store.patients),
    coverages: wrap("coverages", store.coverages),
    payers: wrap("payers", store.payers),
    organizations: wrap("organizations", store.organizations),
    clinicians: wrap("clinicians", store.clinicians),
    claims: wrap("claims", store.claims),
    submissions: wrap("submissions", store.submissions),
    transaction: (effect) => gate("transaction", store.transaction(effect))
  }
  return { store: proxiedStore, clearinghouse: wrap("clearinghouse", clearinghouse), calls: () => calls, labels }
}

export interface Scenario {
  /** Claims per submitClaims call, in order. */
  readonly groups: ReadonlyArray<number>
  /** Deliver after each group (true) or once at the end. */
  readonly deliverEach: boolean
  /** Retryable failures the clearinghouse starts with: more than 5 exhaust the retries of a send. */
  readonly failures: ReadonlyArray<"timeout" | "unavailable">
  /** Any call, or only the sender's own (reading the outbox, sending, marking sent or failed). */
  readonly target: "any" | "sender"
  /** Where in the run it crashes (modulo the run's number of calls), and on which side of that call. */
  readonly at: number
  readonly when: "before" | "after"
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  groups: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  deliverEach: fc.boolean(),
  failures: fc.array(fc.constantFrom("timeout" as const, "unavailable" as const), { maxLength: 8 }),
  target: fc.constantFrom("any" as const, "sender" as const),
  at: fc.integer({ min: 0, max: 1_000_000 }),
  when: fc.constantFrom("before" as const, "after" as const)
})

/** No waiting between retries: the crash test is about where the process dies, not about time. */
export const quickRetry: Billing.RetryPolicy = {
  base: "0 millis",
  factor: 1,
  maxDelay: "0 millis",
  maxRetries: 5,
  jitter: false
}

export const senderLabels: ReadonlySet<string> = new Set([
  "submissions.pending",
  "clearinghouse.submitClaims",
  "submissions.markSent",
  "submissions.markFailed"
])

/** Where the crash runs died, for the report. */
export interface CrashFigures {
  runs: number
  crashed: number
  readonly byLabel: Map<string, number>
  readonly points: Set<string>
}

export const crashFigures = (): CrashFigures => ({ runs: 0, crashed: 0, byLabel: new Map(), points: new Set() })

/** One life: the claims submitted in groups and delivered, through the crashing store and clearinghouse. */
export const firstLife = (s: Scenario, world: World, groups: ReadonlyArray<ReadonlyArray<Ids.ClaimId>>) =>
  Effect.gen(function* () {
    const run = inWorld(world)
    for (const group of groups) {
      yield* run(Billing.submitClaims(group))
      if (s.deliverEach) yield* run(Billing.deliverSubmissions({ retry: quickRetry }))
    }
    if (!s.deliverEach) yield* run(Billing.deliverSubmissions({ retry: quickRetry }))
  })

/**
 * One crash run on a fresh tenant of `store` (a fresh in-memory store when absent): the scenario's first life
 * interrupted at one call, then the restarts, with the exactly-once assertions.
 */
export const crashRun = (s: Scenario, figures: CrashFigures, store?: StoreShape) =>
  Effect.gen(function* () {
    // The durable state: one store and one clearinghouse, shared by the life that crashes and the restarts.
    const rec = recording(yield* inMemoryClearinghouse({ failures: s.failures }))
    const world = yield* makeWorld(rec.clearinghouse, store)
    const total = s.groups.reduce((a, b) => a + b, 0)
    const ids = yield* seedClaims(world, total)
    let offset = 0
    const groups = s.groups.map((size) => {
      offset += size
      return ids.slice(offset - size, offset)
    })

    // A dry run of the same scenario on a twin world counts its calls, so the crash lands inside the run.
    const twinRec = recording(yield* inMemoryClearinghouse({ failures: s.failures }))
    const twin = yield* makeWorld(twinRec.clearinghouse, store)
    const twinIds = yield* seedClaims(twin, total)
    let twinOffset = 0
    const twinGroups = s.groups.map((size) => {
      twinOffset += size
      return twinIds.slice(twinOffset - size, twinOffset)
    })
    const counter = crashing(twin.store, twin.clearinghouse, undefined, yield* Deferred.make<string>())
    yield* firstLife(s, { ...twin, store: counter.store, clearinghouse: counter.clearinghouse }, twinGroups)
    const senderCalls = counter.labels.flatMap((label, i) => (senderLabels.has(label) ? [i + 1] : []))
    const at =
      s.target === "sender" && senderCalls.length > 0
        ? (senderCalls[s.at % senderCalls.length] as number)
        : 1 + (s.at % counter.calls())

    const crashed = yield* Deferred.make<string>()
    const proxy = crashing(world.store, world.clearinghouse, { at, when: s.when }, crashed)
    const fiber = yield* Effect.forkChild(
      firstLife(s, { ...world, store: proxy.store, clearinghouse: proxy.clearinghouse }, groups)
    )
    const where = yield* Effect.raceFirst(
      Deferred.await(crashed),
      Effect.as(Fiber.await(fiber), undefined as string | undefined)
    )
    yield* Fiber.interrupt(fiber)
    figures.runs += 1
    if (where !== undefined) {
      figures.crashed += 1
      figures.byLabel.set(`${where} (${s.when})`, (figures.byLabel.get(`${where} (${s.when})`) ?? 0) + 1)
      figures.points.add(`${s.groups.join("+")}/${s.deliverEach}/${s.failures.length}/${at}/${s.when}`)
    }

    // Restart: the sender runs again until the outbox is empty.
    const run = inWorld(world)
    for (let i = 0; i < 5 && (yield* pendingOf(world)).length > 0; i++) {
      yield* run(Billing.deliverSubmissions({ retry: quickRetry }))
    }
    expect(yield* pendingOf(world)).toEqual([])
    for (const id of ids) {
      const claim = yield* getClaim(world, id)
      // Submitted and received exactly once, or never submitted and never received: none lost, none twice.
      expect([id, claim.status, rec.received.get(id) ?? 0]).toEqual(
        claim.status === "submitted" ? [id, "submitted", 1] : [id, "ready", 0]
      )
    }
    // Then a person resubmits whatever is ready (never submitted, or given up on after its retries) until all
    // went: every claim reaches the clearinghouse exactly once.
    for (let round = 0; round < 5; round++) {
      const ready: Array<Ids.ClaimId> = []
      for (const id of ids) if ((yield* getClaim(world, id)).status === "ready") ready.push(id)
      if (ready.length === 0) break
      yield* run(Billing.submitClaims(ready))
      yield* run(Billing.deliverSubmissions({ retry: quickRetry }))
    }
    for (const id of ids) {
      expect([id, (yield* getClaim(world, id)).status, rec.received.get(id)]).toEqual([id, "submitted", 1])
    }
    expect(rec.batches.reduce((n, batch) => n + batch.claims.length, 0)).toBe(total)
  })

/** Runs `numRuns` crash runs of random scenarios (seeded), each on a fresh tenant of `store`; where they died. */
export const checkCrashes = (options: {
  readonly numRuns: number
  readonly seed: number
  readonly store?: StoreShape | undefined
}): Promise<CrashFigures> => {
  const figures = crashFigures()
  return fc
    .assert(
      fc.asyncProperty(scenario, (s) => Effect.runPromise(Effect.scoped(crashRun(s, figures, options.store)))),
      { numRuns: options.numRuns, seed: options.seed }
    )
    .then(() => figures)
}
