/**
 * Denials: the CARC/RARC catalog and classification, appeal deadlines, denials recorded from adjudication, the work
 * queue and its bulk actions, appeal packets and denial trends, on the in-memory store and the built-in packs.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Billing,
  BillingRuntime,
  Caller,
  type Claim,
  type DateOfService,
  type Denial,
  DenialCatalog,
  type Ids,
  type Money,
  RulePack,
  RuleSet,
  Store
} from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Option, Schema } from "effect"
import { failureOf, inWorld, makeWorld, type World } from "./ClaimSubmission.support.js"
import * as F from "./store/fixtures.js"

const day = (text: string) => text as DateOfService.DateOfService
const cents = (n: number) => n as Money.Money

/** Runs an operation in a world, with the built-in rule packs. */
const run =
  (world: World) =>
  <A, E>(
    effect: Effect.Effect<A, E, Store.Store | Caller.Caller | RuleSet.RulePacks>
  ): Effect.Effect<A, E | RulePack.RulePackError> =>
    inWorld(world)(effect.pipe(Effect.provide(RuleSet.layerBuiltin([]))))

const seedClaim = (world: World, over: Parameters<typeof F.claim>[1] = {}) =>
  Effect.gen(function* () {
    const claim = F.claim(world.tenant, { status: "denied", ...world.refs, ...over })
    yield* world.store.claims.create([claim])
    return claim
  }).pipe(Effect.provideService(Caller.Caller, world.caller))

const item = (world: World, claimId: Ids.ClaimId, over: Partial<Billing.DenialItem> = {}): Billing.DenialItem => ({
  claimId,
  payerId: world.refs.payerId,
  line: 0,
  group: "CO",
  carc: "197",
  rarcs: ["N54"],
  amount: cents(15000),
  receivedOn: day("2025-04-01"),
  ...over
})

const recorded = (outcomes: ReadonlyArray<Billing.RecordOutcome>): Array<Denial.Denial> =>
  outcomes.flatMap((o) => (o._tag === "Recorded" || o._tag === "Existing" ? [o.denial] : []))

const asOf = day("2025-06-01")

// ---------------------------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------------------------

describe("DenialCatalog lookups", () => {
  it("finds current and deactivated codes, and nothing for an unknown one", () => {
    const co45 = Option.getOrThrow(DenialCatalog.carc("45"))
    expect(co45.description).toContain("Charge exceeds fee schedule")
    expect(co45.status).toBe("current")
    expect(co45.start).toBe("1995-01-01")
    expect(co45.stop).toBeNull()

    const c17 = Option.getOrThrow(DenialCatalog.carc("17"))
    expect(c17.status).toBe("deactivated")
    expect(c17.stop).toBe("2009-07-01")
    expect(DenialCatalog.isValidOn(c17, day("2009-06-30"))).toBe(true)
    expect(DenialCatalog.isValidOn(c17, day("2009-07-01"))).toBe(false)

    // Deactivated without a known stop date: not taken as valid.
    const c15 = Option.getOrThrow(DenialCatalog.carc("15"))
    expect(c15.status).toBe("deactivated")
    expect(c15.stop).toBeNull()
    expect(DenialCatalog.isValidOn(c15, day("2025-01-01"))).toBe(false)

    expect(Option.getOrThrow(DenialCatalog.carc("b7")).code).toBe("B7")
    expect(Option.isNone(DenialCatalog.carc("9999"))).toBe(true)
    expect(Option.getOrThrow(DenialCatalog.rarc("N211")).description).toBe("Alert: You may not appeal this decision.")
    expect(Option.isNone(DenialCatalog.rarc("Z999"))).toBe(true)
  })
})

describe("DenialCatalog.classify", () => {
  const date = day("2025-04-01")
  const cases: ReadonlyArray<readonly [string, string, Denial.Category, Denial.Action]> = [
    ["CO", "27", "eligibility", "correct-and-resubmit"],
    ["CO", "197", "authorization", "appeal"],
    ["CO", "16", "coding", "correct-and-resubmit"],
    ["CO", "97", "coding", "appeal"],
    ["CO", "4", "modifier", "correct-and-resubmit"],
    ["CO", "29", "timely-filing", "write-off"],
    ["OA", "18", "duplicate", "write-off"],
    ["CO", "50", "medical-necessity", "appeal"],
    ["CO", "22", "coordination-of-benefits", "correct-and-resubmit"],
    ["CO", "B7", "provider-enrollment", "correct-and-resubmit"],
    ["CO", "96", "non-covered", "write-off"],
    ["PR", "1", "patient-responsibility", "bill-patient"],
    ["CO", "45", "contractual", "write-off"],
    ["CO", "A1", "other", "appeal"]
  ]
  it.each(cases)("%s-%s → %s, %s", (group, carc, category, action) => {
    const result = DenialCatalog.classify(group, carc, [], { date })
    expect(result.category).toBe(category)
    // CARC 97's table action may be correct-and-resubmit or appeal: its category is the point there.
    if (carc !== "97") expect(result.action).toBe(action)
    expect(result.explanation).toContain(`${group}-${carc}`)
  })

  it("applies the group-specific rules", () => {
    // PR has its own entries for non-covered codes.
    expect(DenialCatalog.classify("PR", "96", [], { date })).toMatchObject({
      category: "non-covered",
      action: "bill-patient"
    })
    // PR-45 is the patient's; CO-45 the contractual write-off.
    expect(DenialCatalog.classify("PR", "45", [], { date })).toMatchObject({
      category: "patient-responsibility",
      action: "bill-patient"
    })
    // PR without a PR entry: patient responsibility, bill the patient.
    const pr27 = DenialCatalog.classify("PR", "27", [], { date })
    expect(pr27).toMatchObject({ category: "patient-responsibility", action: "bill-patient" })
    expect(pr27.explanation).toContain("group PR")
    // Outside PR the patient is never billed.
    const co1 = DenialCatalog.classify("CO", "1", [], { date })
    expect(co1.action).toBe("write-off")
    expect(co1.explanation).toContain("only a PR amount")
    // N211: no appeal rights.
    const n211 = DenialCatalog.classify("CO", "50", ["N211"], { date })
    expect(n211.action).toBe("write-off")
    expect(n211.explanation).toContain("N211")
    // A code not valid on the date is still classified, and said so.
    expect(DenialCatalog.classify("CO", "17", [], { date }).explanation).toContain("not valid on 2025-04-01")
    expect(DenialCatalog.classify("CO", "ZZ9", [], { date }).explanation).toContain("not in the published list")
  })
})

describe("DenialCatalog.appealDeadline", () => {
  it.effect("takes the window from the payer's pack, else the default", () =>
    Effect.gen(function* () {
      const packs = yield* RuleSet.RulePacks
      const acme = DenialCatalog.appealDeadline(
        day("2025-03-01"),
        yield* packs.resolve("acme-health", day("2025-03-01"))
      )
      expect(acme.days).toBe(180)
      expect(acme.date).toBe("2025-08-28")
      expect(acme.origin?.pack).toMatch(/^acme-health@/)
      const medicare = DenialCatalog.appealDeadline(
        day("2025-03-01"),
        yield* packs.resolve("medicare", day("2025-03-01"))
      )
      expect(medicare.days).toBe(120)

      const bare = Schema.decodeUnknownSync(RulePack.RulePack)({
        id: "tenant-base",
        version: "2025.1.0",
        name: "A base without an appeal window",
        layer: "base",
        effective: { from: "2020-01-01" }
      })
      const fallback = DenialCatalog.appealDeadline(day("2025-03-01"), yield* RuleSet.compile([bare]))
      expect(fallback.days).toBe(DenialCatalog.defaultAppealWindowDays)
      expect(fallback.days).toBe(60)
      expect(fallback.date).toBe("2025-04-30")
      expect(fallback.origin).toBeUndefined()
      expect(fallback.explanation).toContain("default")
    }).pipe(Effect.provide(RuleSet.layerBuiltin([])))
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Recording denials, priority
// ---------------------------------------------------------------------------------------------------------------

describe("Billing.recordDenials", () => {
  it.effect("records denials once, classified with their deadline, and skips what is not a denial", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seedClaim(world)
      const items = [
        item(world, claim.id),
        item(world, claim.id, { group: "PR", carc: "2", rarcs: [], amount: cents(2000) }),
        item(world, claim.id, { carc: "45", rarcs: [], amount: cents(3000) }),
        item(world, claim.id, { group: "OA", carc: "23", rarcs: [], amount: cents(1000) }),
        item(world, claim.id, { carc: "16", amount: cents(0) }),
        item(world, F.claimId(), { carc: "16" })
      ]
      const first = yield* run(world)(Billing.recordDenials(items, { asOf }))
      expect(first.map((o) => o._tag)).toEqual(["Recorded", "Skipped", "Skipped", "Skipped", "Skipped", "Failed"])
      expect(first.flatMap((o) => (o._tag === "Skipped" ? [o.reason] : []))).toEqual([
        "patient-responsibility",
        "contractual",
        "informational",
        "no-amount"
      ])
      const failed = first[5]
      expect(failed?._tag === "Failed" && failed.error._tag).toBe("ClaimNotFound")

      const [denial] = recorded(first)
      expect(denial).toMatchObject({
        claimId: claim.id,
        line: 0,
        group: "CO",
        carc: "197",
        rarcs: ["N54"],
        amount: 15000,
        receivedOn: "2025-04-01",
        deadline: "2025-09-28", // acme-health: 180 days
        category: "authorization",
        action: "appeal",
        status: "open",
        version: 0
      })
      expect(denial?.id).toMatch(/^den-[0-9a-f]{16}$/)

      const again = yield* run(world)(Billing.recordDenials(items, { asOf }))
      expect(again.map((o) => o._tag)).toEqual(["Existing", "Skipped", "Skipped", "Skipped", "Skipped", "Failed"])
      expect(recorded(again)[0]).toEqual(denial)
      const queue = yield* run(world)(Billing.denialQueue())
      expect(queue.items.map((d) => d.id)).toEqual([denial?.id])
    })
  )

  it("weighs amount by urgency, overdue first", () => {
    expect(Billing.denialPriority(cents(10000), day("2025-06-01"), asOf)).toBe(10000)
    expect(Billing.denialPriority(cents(10000), day("2025-07-01"), asOf)).toBe(5000)
    expect(Billing.denialPriority(cents(10000), day("2025-05-31"), asOf)).toBe(Billing.overduePriority + 10000)
  })

  it.effect("orders the queue: overdue first, then larger amounts and nearer deadlines", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claims = yield* Effect.forEach([1, 2, 3, 4], () => seedClaim(world))
      const [a, b, c, d] = claims.map((claim) => claim.id) as [Ids.ClaimId, Ids.ClaimId, Ids.ClaimId, Ids.ClaimId]
      const outcomes = yield* run(world)(
        Billing.recordDenials(
          [
            item(world, a, { amount: cents(10000), receivedOn: day("2025-05-25") }), // 173 days left
            item(world, b, { amount: cents(100000), receivedOn: day("2025-05-25") }), // larger, same deadline
            item(world, c, { amount: cents(10000), receivedOn: day("2024-12-20") }), // 17 days left
            item(world, d, { amount: cents(5000), receivedOn: day("2024-11-01") }) // overdue
          ],
          { asOf }
        )
      )
      expect(outcomes.every((o) => o._tag === "Recorded")).toBe(true)
      const queue = yield* run(world)(Billing.denialQueue({ status: ["open"] }))
      expect(queue.items.map((denial) => denial.claimId)).toEqual([d, b, c, a])
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// The work queue and bulk actions
// ---------------------------------------------------------------------------------------------------------------

const recordFor = (world: World, claims: ReadonlyArray<Claim.Claim>, over: Partial<Billing.DenialItem> = {}) =>
  Effect.map(
    run(world)(
      Billing.recordDenials(
        claims.map((claim) => item(world, claim.id, over)),
        { asOf }
      )
    ),
    (outcomes) => recorded(outcomes).map((denial) => denial.id)
  )

const getDenial = (world: World, id: Denial.DenialId) =>
  Effect.map(run(world)(Effect.flatMap(Store.Store, (store) => store.denials.get(id))), Option.getOrThrow)

const getClaim = (world: World, id: Ids.ClaimId) =>
  Effect.map(run(world)(Effect.flatMap(Store.Store, (store) => store.claims.get(id))), Option.getOrThrow)

describe("Denial work", () => {
  it.effect("assigns and notes a denial, by the caller", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const [id] = yield* recordFor(world, [yield* seedClaim(world)])
      const denialId = id as Denial.DenialId
      const assigned = yield* run(world)(Billing.assignDenial(denialId, "user:ana"))
      expect(assigned).toMatchObject({ assignee: "user:ana", status: "in-progress", version: 1 })
      const noted = yield* run(world)(Billing.noteDenial(denialId, F.phi.note))
      expect(noted.notes.map((n) => [n.actor, n.text])).toEqual([
        ["user:biller", "assigned to user:ana"],
        ["user:biller", F.phi.note]
      ])
      const mine = yield* run(world)(Billing.denialQueue({ assignee: "user:ana" }))
      expect(mine.items.map((d) => d.id)).toEqual([denialId])
      const missing = yield* failureOf(run(world)(Billing.noteDenial(F.denialId(), "x")))
      expect(missing._tag).toBe("DenialNotFound")
    })
  )

  it.effect("corrects and resubmits item by item: one claim without a payer claim number fails, the others go on", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const good = yield* seedClaim(world, { payerClaimNumber: "PCN-1" })
      const unnumbered = yield* seedClaim(world)
      const alsoGood = yield* seedClaim(world, { payerClaimNumber: "PCN-3" })
      const ids = yield* recordFor(world, [good, unnumbered, alsoGood], { carc: "16", rarcs: ["M51"] })
      const outcomes = yield* run(world)(Billing.workDenials(ids, { _tag: "CorrectAndResubmit" }))
      expect(outcomes.map((o) => o._tag)).toEqual(["Done", "Failed", "Done"])
      const failed = outcomes[1]
      expect(failed?._tag === "Failed" && failed.error._tag).toBe("MissingPayerClaimNumber")
      const done = outcomes[0]
      if (done?._tag !== "Done") throw new Error("expected Done")
      expect(done.denial.status).toBe("resubmitted")
      expect(done.claim?.frequency).toBe("7")
      expect(done.claim?.payerClaimNumber).toBe("PCN-1")
      expect(done.denial.notes.at(-1)?.actor).toBe("user:biller")
      expect((yield* getClaim(world, good.id)).status).toBe("corrected")
      // The failed one changed nothing.
      expect((yield* getDenial(world, ids[1] as Denial.DenialId)).status).toBe("open")
      expect((yield* getClaim(world, unnumbered.id)).status).toBe("denied")
      // Again: the resubmitted ones are skipped.
      const again = yield* run(world)(Billing.workDenials(ids, { _tag: "CorrectAndResubmit" }))
      expect(again.map((o) => o._tag)).toEqual(["Skipped", "Failed", "Skipped"])
    })
  )

  it.effect("a second denial of a corrected claim is resubmitted with the first's replacement", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const claim = yield* seedClaim(world, { payerClaimNumber: "PCN-9" })
      const outcomes = yield* run(world)(
        Billing.recordDenials([item(world, claim.id, { carc: "16" }), item(world, claim.id, { carc: "4", line: 0 })], {
          asOf
        })
      )
      const ids = recorded(outcomes).map((d) => d.id)
      const worked = yield* run(world)(Billing.workDenials(ids, { _tag: "CorrectAndResubmit" }))
      expect(worked.map((o) => o._tag)).toEqual(["Done", "Done"])
      const second = worked[1]
      expect(second?._tag === "Done" && second.detail).toContain("already corrected by")
    })
  )

  it.effect("appeals: the denial and, when its life allows, the claim", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const denied = yield* seedClaim(world)
      const closed = yield* seedClaim(world, { status: "closed" })
      const ids = yield* recordFor(world, [denied, closed], { carc: "50" })
      const outcomes = yield* run(world)(Billing.workDenials(ids, { _tag: "Appeal", reason: "records attached" }))
      expect(outcomes.map((o) => o._tag)).toEqual(["Done", "Done"])
      expect((yield* getClaim(world, denied.id)).status).toBe("appealed")
      expect((yield* getClaim(world, closed.id)).status).toBe("closed")
      const denial = yield* getDenial(world, ids[0] as Denial.DenialId)
      expect(denial.status).toBe("appealed")
      expect(denial.notes.at(-1)?.text).toContain("records attached")
      const again = yield* run(world)(Billing.workDenials(ids, { _tag: "Appeal", reason: "again" }))
      expect(again.map((o) => o._tag)).toEqual(["Skipped", "Skipped"])
    })
  )

  it.effect("writes off: the claim's balance goes down, and a claim with nothing owed closes", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const whole = yield* seedClaim(world)
      const part = yield* seedClaim(world)
      const [wholeId] = yield* recordFor(world, [whole], { carc: "29", amount: cents(15000) })
      const [partId] = yield* recordFor(world, [part], { carc: "29", amount: cents(5000) })
      const outcomes = yield* run(world)(
        Billing.workDenials([wholeId, partId] as Array<Denial.DenialId>, { _tag: "WriteOff", reason: "late" })
      )
      expect(outcomes.map((o) => o._tag)).toEqual(["Done", "Done"])
      expect(yield* getClaim(world, whole.id)).toMatchObject({ balance: 0, status: "closed" })
      expect(yield* getClaim(world, part.id)).toMatchObject({ balance: 10000, status: "denied" })
      expect((yield* getDenial(world, wholeId as Denial.DenialId)).status).toBe("written-off")
      const again = yield* run(world)(
        Billing.workDenials([wholeId as Denial.DenialId], { _tag: "WriteOff", reason: "x" })
      )
      expect(again[0]).toMatchObject({ _tag: "Skipped", reason: "the denial is written-off" })
    })
  )

  it.effect("reassigns, skips a denial already theirs, and reports a missing one", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const [id] = yield* recordFor(world, [yield* seedClaim(world)])
      const missing = F.denialId()
      const outcomes = yield* run(world)(
        Billing.workDenials([id as Denial.DenialId, missing], { _tag: "Reassign", assignee: "user:bo" })
      )
      expect(outcomes.map((o) => o._tag)).toEqual(["Done", "Failed"])
      expect(outcomes[1]?._tag === "Failed" && outcomes[1].error._tag).toBe("DenialNotFound")
      expect((yield* getDenial(world, id as Denial.DenialId)).assignee).toBe("user:bo")
      const again = yield* run(world)(
        Billing.workDenials([id as Denial.DenialId], { _tag: "Reassign", assignee: "user:bo" })
      )
      expect(again[0]?._tag).toBe("Skipped")
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Appeal packets
// ---------------------------------------------------------------------------------------------------------------

describe("Billing.appealPacket", () => {
  const seedWithSession = (world: World) =>
    Effect.gen(function* () {
      const session = F.session(world.tenant, { patientId: world.refs.patientId })
      yield* world.store.sessions.put(session).pipe(Effect.provideService(Caller.Caller, world.caller))
      const claim = yield* seedClaim(world, {
        payerClaimNumber: "PCN-42",
        lines: [
          {
            code: "90834",
            modifiers: [],
            units: 1,
            charge: 15000,
            dateOfService: "2025-03-04",
            placeOfService: "11",
            diagnosisPointers: [1],
            sessionId: session.id
          }
        ]
      })
      const [id] = yield* recordFor(world, [claim], { carc: "50", rarcs: ["N115"] })
      return { claim, id: id as Denial.DenialId }
    })

  it.effect("gathers the claim, the denial, the sessions and a letter from the default template", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const { claim, id } = yield* seedWithSession(world)
      const packet = yield* run(world)(Billing.appealPacket(id, { reason: "The session note documents the need." }))
      expect(packet.claim).toMatchObject({
        id: claim.id,
        payerClaimNumber: "PCN-42",
        serviceDates: ["2025-03-04"],
        charge: 15000,
        patient: { name: `${F.phi.firstName} ${F.phi.lastName}` },
        renderingClinician: { credential: "LCSW" }
      })
      expect(packet.denial.group).toBe("CO")
      expect(packet.denial.carc.code).toBe("50")
      expect(packet.denial.carc.description).toContain("medical necessity")
      expect(packet.denial.rarcs[0]?.code).toBe("N115")
      expect(packet.denial.rarcs[0]?.description).toBeDefined()
      expect(packet.sessions).toEqual([
        expect.objectContaining({
          dateOfService: "2025-03-04",
          minutes: 45,
          delivery: "in-person",
          clinicianCredential: "LCSW"
        })
      ])
      expect(packet.letter).toContain("CO-50")
      expect(packet.letter).toContain(claim.id)
      expect(packet.letter).toContain("PCN-42")
      expect(packet.letter).toContain("The session note documents the need.")
      expect(packet.letter).toContain("2025-03-04: 45 minutes, in-person, LCSW")
      expect(packet.letter).toContain("$150.00")
      expect(packet.letter).not.toMatch(/\{\{/)
    })
  )

  it.effect("renders the tenant's template, and refuses unknown placeholders without PHI in the error", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const { claim, id } = yield* seedWithSession(world)
      const packet = yield* run(world)(
        Billing.appealPacket(id, { template: "Dear {{ payerName }}, re {{claimId}} ({{group}}-{{carc}})." })
      )
      expect(packet.letter).toBe(`Dear Acme Health, re ${claim.id} (CO-50).`)

      const error = yield* failureOf(
        run(world)(Billing.appealPacket(id, { template: "{{patientName}} {{ssn}} {{bogus}} {{ssn}}" }))
      )
      if (error._tag !== "AppealTemplateError") throw new Error(`expected AppealTemplateError, got ${error._tag}`)
      expect(error.unknown).toEqual(["ssn", "bogus"])
      const text = `${error.message} ${JSON.stringify(error)}`
      for (const secret of [F.phi.firstName, F.phi.lastName, F.phi.dateOfBirth, ...F.phi.diagnoses]) {
        expect(text).not.toContain(secret)
      }
    })
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Trends
// ---------------------------------------------------------------------------------------------------------------

describe("Billing.denialTrends", () => {
  it.effect("counts denial rates by payer, category, CARC, clinician and month", () =>
    Effect.gen(function* () {
      const world = yield* makeWorld()
      const otherPayer = F.payer(world.tenant, { name: "Medicare", rulePack: "medicare", kind: { _tag: "Medicare" } })
      const otherClinician = F.clinicianId()
      yield* world.store.payers.put(otherPayer).pipe(Effect.provideService(Caller.Caller, world.caller))
      const paid = yield* seedClaim(world, { status: "paid", serviceDate: "2025-03-04" })
      const denied = yield* seedClaim(world, { serviceDate: "2025-03-10" })
      const partial = yield* seedClaim(world, {
        status: "partially-paid",
        serviceDate: "2025-04-02",
        payerId: otherPayer.id,
        renderingClinicianId: otherClinician
      })
      const later = yield* seedClaim(world, { serviceDate: "2025-05-01" })
      yield* seedClaim(world, { status: "submitted", serviceDate: "2025-03-20" })
      yield* run(world)(
        Billing.recordDenials(
          [
            item(world, denied.id, { carc: "197", amount: cents(15000) }),
            item(world, partial.id, { payerId: otherPayer.id, carc: "16", amount: cents(5000) }),
            item(world, partial.id, { payerId: otherPayer.id, carc: "4", amount: cents(3000) }),
            item(world, later.id, { carc: "50", amount: cents(15000) })
          ],
          { asOf }
        )
      )
      const trends = yield* run(world)(Billing.denialTrends({ from: day("2025-03-01"), to: day("2025-04-30") }))
      expect(trends.total).toEqual({
        key: "total",
        claims: 3,
        charges: 45000,
        deniedClaims: 2,
        denials: 3,
        deniedAmount: 23000,
        rate: 2 / 3
      })
      expect(paid.status).toBe("paid")
      const byKey = (rows: ReadonlyArray<Billing.TrendRow>) => Object.fromEntries(rows.map((r) => [r.key, r]))
      expect(byKey(trends.byPayer)[world.refs.payerId]).toMatchObject({
        claims: 2,
        deniedClaims: 1,
        denials: 1,
        deniedAmount: 15000,
        rate: 0.5
      })
      expect(byKey(trends.byPayer)[otherPayer.id]).toMatchObject({
        claims: 1,
        deniedClaims: 1,
        denials: 2,
        deniedAmount: 8000,
        rate: 1
      })
      expect(trends.byCategory.map((r) => [r.key, r.denials, r.deniedAmount, r.claims])).toEqual([
        ["authorization", 1, 15000, 3],
        ["coding", 1, 5000, 3],
        ["modifier", 1, 3000, 3]
      ])
      expect(trends.byCarc.map((r) => r.key)).toEqual(["16", "197", "4"])
      expect(byKey(trends.byClinician)[otherClinician]).toMatchObject({ claims: 1, denials: 2 })
      expect(byKey(trends.byClinician)[world.refs.renderingClinicianId]).toMatchObject({ claims: 2, denials: 1 })
      expect(trends.byMonth.map((r) => [r.key, r.claims, r.deniedClaims, r.denials])).toEqual([
        ["2025-03", 2, 1, 1],
        ["2025-04", 1, 1, 2]
      ])
    })
  )
})

describe("BillingRuntime denials", () => {
  it.effect("records, queues, works and counts denials as Promises", () =>
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
      const denialItem: Billing.DenialItem = {
        claimId: claim.id,
        payerId: payer.id,
        group: "CO",
        carc: "50",
        rarcs: [],
        amount: cents(15000),
        receivedOn: day("2025-04-01")
      }
      const outcomes = yield* Effect.promise(() => runtime.recordDenials(caller, [denialItem], { asOf }))
      const [denial] = recorded(outcomes)
      if (denial === undefined) throw new Error("expected a denial")
      const queue = yield* Effect.promise(() => runtime.denialQueue(caller, { status: ["open"] }))
      expect(queue.items.map((d) => d.id)).toEqual([denial.id])
      const assigned = yield* Effect.promise(() => runtime.assignDenial(caller, denial.id, "user:ana"))
      expect(assigned.assignee).toBe("user:ana")
      const noted = yield* Effect.promise(() => runtime.noteDenial(caller, denial.id, "called the payer"))
      expect(noted.notes).toHaveLength(2)
      const worked = yield* Effect.promise(() =>
        runtime.workDenials(caller, [denial.id], { _tag: "Appeal", reason: "notes attached" })
      )
      expect(worked[0]?._tag).toBe("Done")
      const packet = yield* Effect.promise(() => runtime.appealPacket(caller, denial.id))
      expect(packet.denial.carc.code).toBe("50")
      const trends = yield* Effect.promise(() =>
        runtime.denialTrends(caller, { from: day("2025-01-01"), to: day("2025-12-31") })
      )
      expect(trends.total).toMatchObject({ claims: 1, denials: 1, deniedClaims: 1 })
      yield* Effect.promise(() => runtime.dispose())
    })
  )
})
