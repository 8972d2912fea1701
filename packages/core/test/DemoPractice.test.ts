/**
 * The demo practice on the in-memory store: it seeds through the real operations, the same `today` gives the same
 * data, every authorization state is there (as the operations read it), and the denial queue, aging, trends, patient
 * balances and claim statuses all have content. The PGlite run is in `packages/store-sql/test/DemoPractice.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Billing, BillingRuntime, Caller, type Claim, DateOfService, Eligibility, RuleSet, Store } from "@openrcm/core"
import { DemoPractice, InMemoryClearinghouse, InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer, Option } from "effect"
import { TestClock } from "effect/testing"

const today = DateOfService.make("2026-03-16")

/** 15:00 UTC on the day: the day in the practice's time zone too. */
const middayOf = (date: DateOfService.DateOfService) =>
  DateOfService.daysBetween(DateOfService.make("1970-01-01"), date) * 86_400_000 + 15 * 3_600_000

const inDemo = Effect.provideService(Caller.Caller, DemoPractice.caller)

/** Every item of a paged list. */
const all = <A>(page: (cursor: string | undefined) => Effect.Effect<Store.Page<A>, Store.StoreError, Caller.Caller>) =>
  Effect.gen(function* () {
    const items: Array<A> = []
    let cursor: string | undefined
    do {
      const next = yield* page(cursor)
      items.push(...next.items)
      cursor = next.next
    } while (cursor !== undefined)
    return items
  }).pipe(inDemo)

const seeded = (options: DemoPractice.Options = { today }) =>
  Effect.gen(function* () {
    const store = yield* InMemoryStore.make
    const summary = yield* DemoPractice.seed(options).pipe(Effect.provideService(Store.Store, store), inDemo)
    return { store, summary }
  })

/** What a reader of the store sees: claims, denials, postings, the patient ledger, authorizations' ledgers. */
const snapshot = (store: Store.StoreShape) =>
  Effect.gen(function* () {
    const claims = yield* all((cursor) => store.claims.query({ limit: Store.maxPageSize, cursor }))
    const denials = yield* all((cursor) => store.denials.queue({ limit: Store.maxPageSize, cursor }))
    const remittances = yield* all((cursor) => store.remittances.list({ limit: Store.maxPageSize, cursor }))
    const postings = []
    for (const remittance of remittances) {
      postings.push(...(yield* inDemo(store.remittances.postings({ remittanceId: remittance.id }))))
    }
    const ledgers = []
    for (const patientId of Object.values(DemoPractice.ids.patients)) {
      ledgers.push(...(yield* inDemo(store.patientLedger.forPatient(patientId))))
    }
    const authorizationLedgers = []
    for (const id of Object.values(DemoPractice.ids.authorizations)) {
      authorizationLedgers.push(...(yield* inDemo(store.authorizations.ledger(id))))
    }
    const histories = []
    for (const claim of claims) histories.push(...(yield* inDemo(store.claims.history(claim.id))))
    return { claims, denials, remittances, postings, ledgers, authorizationLedgers, histories }
  })

describe("DemoPractice", () => {
  it.effect(
    "seeds the practice through the Store port: every notable record is there",
    () =>
      Effect.gen(function* () {
        // The test's own reads come after the demo's day (the store audits them at the test clock's time).
        yield* TestClock.setTime(middayOf(DateOfService.addDays(today, 1)))
        const { store, summary } = yield* seeded()
        expect(summary).toMatchObject({ today, patients: 12 })
        expect(summary.claims).toBeGreaterThan(50)
        const get = <A>(found: Effect.Effect<Option.Option<A>, Store.StoreError, Caller.Caller>) =>
          Effect.map(inDemo(found), Option.isSome)
        expect(yield* get(store.organizations.get(DemoPractice.ids.organizationId))).toBe(true)
        for (const id of Object.values(DemoPractice.ids.clinicians))
          expect(yield* get(store.clinicians.get(id))).toBe(true)
        for (const id of Object.values(DemoPractice.ids.payers)) expect(yield* get(store.payers.get(id))).toBe(true)
        for (const id of Object.values(DemoPractice.ids.patients)) expect(yield* get(store.patients.get(id))).toBe(true)
        for (const id of Object.values(DemoPractice.ids.coverages))
          expect(yield* get(store.coverages.get(id))).toBe(true)

        // The names the end-to-end tests look for are the stored ones.
        const ben = Option.getOrThrow(
          yield* inDemo(store.patients.get(DemoPractice.ids.patients.authorizationNearlyUsedUp))
        )
        expect(`${ben.firstName} ${ben.lastName}`).toBe(DemoPractice.names.patients.authorizationNearlyUsedUp)
        const medicaid = Option.getOrThrow(yield* inDemo(store.payers.get(DemoPractice.ids.payers.medicaid)))
        expect(medicaid.name).toBe(DemoPractice.names.payers.medicaid)
        expect(Object.keys(DemoPractice.names.patients)).toEqual(Object.keys(DemoPractice.ids.patients))

        // The credentials the playground promises, the associate supervised by the LCSW.
        const clinicians = yield* all((cursor) => store.clinicians.list({ limit: Store.maxPageSize, cursor }))
        expect(new Set(clinicians.map((c) => c.credential))).toEqual(
          new Set(["MD", "PhD", "LCSW", "LPC", "LMFT", "LMSW"])
        )
        const associate = clinicians.find((c) => c.id === DemoPractice.ids.clinicians.associate)
        expect(associate?.supervisedBy[0]?.supervisorId).toBe(DemoPractice.ids.clinicians.lcsw)

        // Every payer names a built-in pack; each kind is there.
        const payers = yield* all((cursor) => store.payers.list({ limit: Store.maxPageSize, cursor }))
        const builtin = new Set(RuleSet.builtinPacks.map((pack) => (pack as { readonly id: string }).id))
        for (const payer of payers) expect(builtin.has(payer.rulePack)).toBe(true)
        expect(payers.map((p) => p.kind._tag).sort()).toEqual([
          "Commercial",
          "Commercial",
          "Medicaid",
          "Medicare",
          "SelfPay"
        ])

        // Secondary coverages.
        const secondaries = yield* inDemo(store.coverages.forPatient(DemoPractice.ids.patients.dualEligible))
        expect(secondaries.map((c) => c.order).sort()).toEqual([1, 2])

        // The claims' statuses: the whole life of a claim is on show.
        const { claims } = yield* snapshot(store)
        const statuses = new Set(claims.map((claim) => claim.status))
        for (const status of [
          "draft",
          "scrubbed",
          "ready",
          "submitted",
          "accepted",
          "rejected",
          "paid",
          "partially-paid",
          "denied",
          "corrected",
          "appealed"
        ] satisfies ReadonlyArray<Claim.Status>) {
          expect([status, statuses.has(status)]).toEqual([status, true])
        }
        // Secondary claims: after Medicare pays, Medicaid is billed with Medicare's adjudication and pays the rest.
        const dual = claims.filter((c) => c.patientId === DemoPractice.ids.patients.dualEligible)
        const secondary = dual.filter((c) => c.payerId === DemoPractice.ids.payers.medicaid)
        expect(secondary.length).toBeGreaterThanOrEqual(2)
        for (const claim of secondary) expect(claim.priorPayers?.[0]?.payerId).toBe(DemoPractice.ids.payers.medicare)
        expect(secondary.some((c) => c.status === "paid")).toBe(true)
        expect(yield* inDemo(store.patientLedger.balance(DemoPractice.ids.patients.dualEligible))).toBe(0)

        // The history ran in time order: the audit trail's clock never goes back, and its chain is intact.
        const times: Array<number> = []
        for (let sequence = 1; ; ) {
          const events = yield* inDemo(store.audit.events({ sequence, limit: 1000 }))
          if (events.length === 0) break
          times.push(...events.map((event) => event.at))
          sequence = (events.at(-1)?.sequence ?? sequence) + 1
        }
        expect(times.length).toBeGreaterThan(1000)
        expect(times.findIndex((time, i) => i > 0 && time < (times[i - 1] as number))).toBe(-1)
        expect(times[0]).toBeLessThan(middayOf(DateOfService.addDays(today, -180)))
        expect(times.at(-1)).toBeLessThanOrEqual(middayOf(DateOfService.addDays(today, 1)))
        expect((yield* inDemo(store.audit.verify()))._tag).toBe("Intact")

        // The associate's claims name the supervisor.
        const supervised = claims.filter((c) => c.renderingClinicianId === DemoPractice.ids.clinicians.associate)
        expect(supervised.length).toBeGreaterThan(0)
        for (const claim of supervised) expect(claim.supervisingClinicianId).toBe(DemoPractice.ids.clinicians.lcsw)
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "is deterministic: the same today gives the same data, another today shifts it",
    () =>
      Effect.gen(function* () {
        const first = yield* seeded()
        const second = yield* seeded()
        const a = yield* snapshot(first.store)
        const b = yield* snapshot(second.store)
        expect(b).toEqual(a)
        expect(a.claims.length).toBe(first.summary.claims)
        const later = yield* seeded({ today: DateOfService.addDays(today, 7) })
        const c = yield* snapshot(later.store)
        expect(c.claims.map((claim) => claim.serviceDate).sort()).toEqual(
          a.claims.map((claim) => DateOfService.addDays(claim.serviceDate, 7)).sort()
        )
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "seeding a seeded tenant again writes nothing; without a today it seeds up to the Clock's now",
    () =>
      Effect.gen(function* () {
        const { store, summary } = yield* seeded()
        expect(summary.written).toBe(true)
        const before = yield* snapshot(store)
        const again = yield* DemoPractice.seed({ today }).pipe(Effect.provideService(Store.Store, store), inDemo)
        expect(again).toEqual({ ...summary, written: false })
        expect(yield* snapshot(store)).toEqual(before)

        // Today from the Clock, in the practice's time zone (03:00 UTC is still the day before in Michigan);
        // nothing is written later than now.
        const now = middayOf(today) - 12 * 3_600_000
        yield* TestClock.setTime(now)
        const fresh = yield* InMemoryStore.make
        const byClock = yield* DemoPractice.seed().pipe(Effect.provideService(Store.Store, fresh), inDemo)
        expect(byClock.today).toBe(DateOfService.addDays(today, -1))
        const events = yield* inDemo(fresh.audit.events({ limit: 1000 }))
        expect(events.length).toBeGreaterThan(0)
        const last = (yield* snapshot(fresh)).histories.reduce((max, event) => Math.max(max, event.at), 0)
        expect(last).toBeLessThanOrEqual(now)
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "has an authorization in every state, as checkAuthorization and authorizationAlerts read them",
    () =>
      Effect.gen(function* () {
        const { store } = yield* seeded()
        yield* TestClock.setTime(middayOf(today))
        const check = (key: DemoPractice.PatientKey) =>
          Effect.gen(function* () {
            const next = DemoPractice.nextVisit(key, today)
            if (next === undefined) return "none"
            const authorizations = yield* inDemo(store.authorizations.forPatient(next.visit.patientId))
            const ledger = []
            for (const a of authorizations) ledger.push(...(yield* inDemo(store.authorizations.ledger(a.id))))
            const result = yield* Billing.checkAuthorization({ ...next, authorizations, ledger })
            return result._tag
          }).pipe(Effect.provide(RuleSet.layerBuiltin()))
        expect(yield* check("authorizationPlentyLeft")).toBe("Authorized")
        expect(yield* check("authorizationNearlyUsedUp")).toBe("Authorized")
        expect(yield* check("authorizationExpired")).toBe("Expired")
        expect(yield* check("authorizationMissing")).toBe("Missing")
        expect(yield* check("supervised")).toBe("Authorized")

        const alerts = (id: (typeof DemoPractice.ids.authorizations)[keyof typeof DemoPractice.ids.authorizations]) =>
          Effect.gen(function* () {
            const authorization = Option.getOrThrow(yield* inDemo(store.authorizations.get(id)))
            const payer = Option.getOrThrow(yield* inDemo(store.payers.get(authorization.payerId)))
            const ledger = yield* inDemo(store.authorizations.ledger(id))
            const found = yield* Billing.authorizationAlerts({
              authorization,
              ledger,
              rulePack: payer.rulePack,
              timeZone: DemoPractice.timeZone
            })
            return found.map((alert) => alert.kind)
          }).pipe(Effect.provide(RuleSet.layerBuiltin()))
        const plenty = yield* alerts(DemoPractice.ids.authorizations.plentyLeft)
        expect(plenty).not.toContain("few-left")
        expect(plenty).not.toContain("expired")
        expect(plenty).not.toContain("exhausted")
        expect(yield* alerts(DemoPractice.ids.authorizations.nearlyUsedUp)).toContain("few-left")
        expect(yield* alerts(DemoPractice.ids.authorizations.expired)).toEqual(["expired"])
        const expiring = yield* alerts(DemoPractice.ids.authorizations.expiringSoon)
        expect(expiring).toEqual(expect.arrayContaining(["expiring", "expires-before-used"]))
        expect(expiring).not.toContain("few-left")
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "holds claims the scrubber blocks: a category diagnosis, and a missing telehealth modifier with its fix",
    () =>
      Effect.gen(function* () {
        const { store } = yield* seeded()
        const held = yield* inDemo(store.claims.query({ status: ["scrubbed"], limit: 10 }))
        expect(held.items.map((c) => c.patientId).sort()).toEqual(
          [DemoPractice.ids.patients.authorizationExpired, DemoPractice.ids.patients.family].sort()
        )
        yield* TestClock.setTime(middayOf(today))
        const outcomes = yield* Billing.scrubClaims(held.items.map((c) => c.id)).pipe(
          Effect.provideService(Store.Store, store),
          Effect.provide(RuleSet.layerBuiltin()),
          inDemo
        )
        const findings = outcomes.flatMap((o) => (o._tag === "Scrubbed" ? o.result.findings : []))
        expect(findings.map((f) => f.edit)).toEqual(
          expect.arrayContaining(["diagnosis-not-specific", "telehealth-modifier"])
        )
        expect(findings.find((f) => f.edit === "telehealth-modifier")?.fix).toEqual({
          _tag: "AddModifier",
          line: 0,
          modifier: "95"
        })
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "fills the denial queue, aging, trends and patient balances",
    () =>
      Effect.gen(function* () {
        const { store } = yield* seeded()
        const { denials } = yield* snapshot(store)
        const categories = new Set(denials.map((d) => d.category))
        expect(categories.size).toBeGreaterThanOrEqual(4)
        for (const category of ["authorization", "eligibility", "coding", "timely-filing", "medical-necessity"]) {
          expect([category, categories.has(category as never)]).toEqual([category, true])
        }
        expect(new Set(denials.map((d) => d.status)).size).toBeGreaterThanOrEqual(3)
        // The queue is in today's order: every workable denial's priority is as of today.
        for (const denial of denials.filter((d) => d.status === "open" || d.status === "in-progress")) {
          expect(denial.priority).toBe(Billing.denialPriority(denial.amount, denial.deadline, today))
        }

        const aging = yield* inDemo(store.reports.aging(today))
        const buckets = ["days0to30", "days31to60", "days61to90", "days91to120", "over120"] as const
        const filled = buckets.filter((bucket) => aging.rows.some((row) => row[bucket] > 0))
        expect(filled.length).toBeGreaterThanOrEqual(3)

        yield* TestClock.setTime(middayOf(today))
        const trends = yield* Billing.denialTrends({ from: DateOfService.addDays(today, -180), to: today }).pipe(
          Effect.provideService(Store.Store, store),
          inDemo
        )
        expect(JSON.stringify(trends)).toMatch(/authorization/u)

        const owing = []
        for (const [key, id] of Object.entries(DemoPractice.ids.patients)) {
          if ((yield* inDemo(store.patientLedger.balance(id))) > 0) owing.push(key)
        }
        expect(owing).toEqual(expect.arrayContaining(["selfPay", "medicationManagement", "eligibilityDenied"]))
        expect(owing.length).toBeGreaterThanOrEqual(5)
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "members: the in-memory clearinghouse answers eligibility for every coverage as its payer would",
    () =>
      Effect.gen(function* () {
        const { store } = yield* seeded()
        yield* TestClock.setTime(middayOf(today))
        const org = Option.getOrThrow(yield* inDemo(store.organizations.get(DemoPractice.ids.organizationId)))
        const answers: Record<string, string> = {}
        for (const [key, patientId] of Object.entries(DemoPractice.ids.patients)) {
          const patient = Option.getOrThrow(yield* inDemo(store.patients.get(patientId)))
          for (const coverage of yield* inDemo(store.coverages.forPatient(patientId))) {
            const payer = Option.getOrThrow(yield* inDemo(store.payers.get(coverage.payerId)))
            const check = yield* Billing.checkEligibility({
              payerId: payer.x12PayerId ?? payer.id,
              provider: { npi: org.npi },
              subscriber: {
                memberId: coverage.memberId,
                firstName: coverage.subscriber?.firstName ?? patient.firstName,
                lastName: coverage.subscriber?.lastName ?? patient.lastName,
                dateOfBirth: coverage.subscriber?.dateOfBirth ?? patient.dateOfBirth
              },
              dateOfService: today,
              serviceTypes: ["MH"]
            })
            answers[`${key}/${coverage.order}`] =
              `${check.summary.status} ${check.summary.copay ?? "-"} ${check.summary.coinsuranceBps ?? "-"}`
          }
        }
        expect(answers).toMatchObject({
          "authorizationPlentyLeft/1": "active 3000 -",
          "dualEligible/1": "active - 2000",
          "dualEligible/2": "active 0 -",
          "secondaryCoverage/2": "active 3000 -",
          "family/1": "active 3000 -"
        })
        expect(Object.values(answers).every((answer) => answer.startsWith("active"))).toBe(true)
        expect(Object.keys(answers)).toHaveLength(13)
      }).pipe(
        Effect.provide(
          Layer.mergeAll(
            InMemoryClearinghouse.layer(DemoPractice.members(today)),
            Eligibility.EligibilityCache.layerMemory
          )
        )
      ),
    { timeout: 60_000 }
  )

  it.effect(
    "feeds the dashboards through BillingRuntime, as stories use it: clean-claim rate, collections, aging, a statement",
    () =>
      Effect.promise(async () => {
        const runtime = BillingRuntime.make(DemoPractice.layer({ today }))
        const period = { from: DateOfService.addDays(today, -180), to: today }
        const clean = await runtime.cleanClaimRate(DemoPractice.caller, period)
        expect(clean.total.submitted).toBeGreaterThan(40)
        expect(clean.total.rate).toBeGreaterThan(0.7)
        expect(clean.total.rate).toBeLessThan(1)
        expect(clean.byPayer.length).toBe(4)
        const collected = await runtime.collections(DemoPractice.caller, period)
        expect(collected.total).toBeGreaterThan(0)
        expect(collected.byClinician.length).toBe(6)
        expect(collected.byPayer.length).toBe(4)
        expect(collected.byMonth.length).toBeGreaterThanOrEqual(5)
        const aging = await runtime.agingReport(DemoPractice.caller, { asOf: today })
        expect(aging.rows.length).toBe(4)
        const statement = await runtime.patientStatement(DemoPractice.caller, DemoPractice.ids.patients.selfPay, {
          asOf: today
        })
        expect(JSON.stringify(statement)).toContain("17000")
        await runtime.dispose()
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "layer: an in-memory store already seeded, fresh on each build",
    () =>
      Effect.gen(function* () {
        const store = yield* Store.Store
        const patient = yield* inDemo(store.patients.get(DemoPractice.ids.patients.authorizationNearlyUsedUp))
        expect(Option.isSome(patient)).toBe(true)
        const claims = yield* inDemo(store.claims.query({ limit: 1 }))
        expect(claims.items).toHaveLength(1)
      }).pipe(Effect.provide(DemoPractice.layer({ today }))),
    { timeout: 60_000 }
  )

  it.effect(
    "seedDenials: a large work queue, deterministic, on the seeded claims",
    () =>
      Effect.gen(function* () {
        const { store, summary } = yield* seeded({ today, denials: 2_000 })
        expect(summary.denials).toBe(2_000 + 7)
        const first = yield* inDemo(store.denials.queue({ limit: 100 }))
        const again = yield* seeded({ today, denials: 2_000 })
        expect(yield* inDemo(again.store.denials.queue({ limit: 100 }))).toEqual(first)
        const claims = (yield* snapshot(store)).claims
        const claimIds = new Set(claims.map((c) => c.id))
        for (const denial of first.items) expect(claimIds.has(denial.claimId)).toBe(true)

        // The generator alone: the same rows every time, every category a queue filters on.
        const made = DemoPractice.makeDenials(5_000, { tenantId: DemoPractice.ids.tenantId, today, claims })
        expect(DemoPractice.makeDenials(5_000, { tenantId: DemoPractice.ids.tenantId, today, claims })).toEqual(made)
        expect(new Set(made.map((d) => d.category)).size).toBeGreaterThanOrEqual(7)
        expect(new Set(made.map((d) => d.status)).size).toBeGreaterThanOrEqual(4)
        expect(new Set(made.map((d) => d.payerId)).size).toBe(4)
      }),
    { timeout: 120_000 }
  )
})
