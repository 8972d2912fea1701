import { describe, expect, layer } from "@effect/vitest"
import { Billing, BillingRuntime, Clearinghouse, DateOfService, Eligibility, Money } from "@openrcm/core"
import { InMemoryClearinghouse, SeededPlans } from "@openrcm/core/testing"
import { Effect, Exit, Fiber, Layer, Schema } from "effect"
import { TestClock } from "effect/testing"

const request = (overrides: Partial<Eligibility.EligibilityRequest> = {}): Eligibility.EligibilityRequest =>
  Schema.decodeUnknownSync(Eligibility.EligibilityRequest)({
    payerId: "ACME1",
    provider: { npi: "1245319599" },
    subscriber: { memberId: "ACM100200300", firstName: "Jordan", lastName: "Rivera", dateOfBirth: "1988-04-12" },
    dateOfService: "2025-06-02",
    serviceTypes: ["MH"],
    ...overrides
  })

const services = (failures: ReadonlyArray<"timeout" | "unavailable"> = []) =>
  Layer.mergeAll(
    InMemoryClearinghouse.layer(SeededPlans.members, { failures, unsupportedPayers: ["NOPE1"] }),
    Eligibility.EligibilityCache.layerMemory
  )

layer(services())("eligibility", (it) => {
  it.effect("reads an active PPO's behavioral-health benefits in network", () =>
    Effect.gen(function* () {
      const { response, summary, fromCache } = yield* Billing.checkEligibility(request())
      expect(fromCache).toBe(false)
      expect(response.status).toBe("active")
      expect(response.plan?.name).toBe("Acme Health PPO Gold")
      expect(summary).toMatchObject({
        status: "active",
        copay: Money.dollars(25),
        deductible: { total: Money.dollars(1000), remaining: Money.dollars(350) },
        outOfPocket: { total: Money.dollars(4000), remaining: Money.cents(312_550) },
        authorizationRequired: false,
        notCovered: false
      })
    })
  )

  it.effect("reads the out-of-network copay and coinsurance when asked", () =>
    Effect.gen(function* () {
      const { summary } = yield* Billing.checkEligibility(request({ serviceTypes: ["A6"] }), { network: "out" })
      expect(summary.copay).toBe(Money.dollars(60))
      expect(summary.coinsuranceBps).toBe(3000)
    })
  )

  it.effect("reads an HMO's visit limit, what is left, and that authorization is required", () =>
    Effect.gen(function* () {
      const { summary } = yield* Billing.checkEligibility(
        request({
          subscriber: {
            memberId: "ACM900800700",
            firstName: "Casey",
            lastName: "Nguyen",
            dateOfBirth: DateOfService.make("1975-09-30")
          } as never
        })
      )
      expect(summary.visits).toEqual({ limit: 40, remaining: 12 })
      expect(summary.authorizationRequired).toBe(true)
      expect(summary.copay).toBe(Money.dollars(10))
    })
  )

  it.effect("is inactive outside the coverage dates, both ends included", () =>
    Effect.gen(function* () {
      const ended = {
        memberId: "ACM111222333",
        firstName: "Riley",
        lastName: "Chen",
        dateOfBirth: "2001-11-11"
      } as never
      const lastDay = yield* Billing.checkEligibility(
        request({ subscriber: ended, dateOfService: DateOfService.make("2025-02-28") })
      )
      const dayAfter = yield* Billing.checkEligibility(
        request({ subscriber: ended, dateOfService: DateOfService.make("2025-03-01") })
      )
      expect(lastDay.response.status).toBe("active")
      expect(dayAfter.response.status).toBe("inactive")
      expect(dayAfter.response.coverage?.end).toBe("2025-02-28")
    })
  )

  it.effect("turns AAA rejections into reasons and follow-ups a person can act on", () =>
    Effect.gen(function* () {
      const unknown = yield* Billing.checkEligibility(
        request({ subscriber: { memberId: "ZZZ", firstName: "A", lastName: "B", dateOfBirth: "1990-01-01" } as never })
      )
      expect(unknown.response.status).toBe("rejected")
      expect(unknown.summary.rejections).toEqual([
        {
          code: "75",
          description: "Subscriber/insured not found",
          followUp: "C",
          followUpDescription: "Correct and resubmit"
        }
      ])
      const wrongBirthDate = yield* Billing.checkEligibility(
        request({
          subscriber: {
            memberId: "ACM100200300",
            firstName: "Jordan",
            lastName: "Rivera",
            dateOfBirth: "1988-04-13"
          } as never
        })
      )
      expect(wrongBirthDate.summary.rejections[0]?.code).toBe("71")
      // A request with a bad NPI never leaves: the schema refuses it. A clearinghouse that gets one anyway says AAA 43.
      expect(() => request({ provider: { npi: "1234567890" } as never })).toThrow("NPI")
      const badProvider = InMemoryClearinghouse.answer(
        SeededPlans.members,
        { ...request(), provider: { npi: "1234567890" as never } },
        0
      )
      expect(badProvider.rejections[0]?.code).toBe("43")
    })
  )

  it.effect("serves a fresh answer from the cache and asks again once it is stale", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 5, 1, 12))
      const first = yield* Billing.checkEligibility(request({ dateOfService: DateOfService.make("2025-06-03") }), {
        maxAgeMinutes: 60
      })
      expect(first.fromCache).toBe(false)
      yield* TestClock.adjust("59 minutes")
      const second = yield* Billing.checkEligibility(request({ dateOfService: DateOfService.make("2025-06-03") }), {
        maxAgeMinutes: 60
      })
      expect(second.fromCache).toBe(true)
      expect(second.response.receivedAt).toBe(first.response.receivedAt)
      yield* TestClock.adjust("2 minutes")
      const third = yield* Billing.checkEligibility(request({ dateOfService: DateOfService.make("2025-06-03") }), {
        maxAgeMinutes: 60
      })
      expect(third.fromCache).toBe(false)
    })
  )

  it.effect("checks a day's schedule and reports each visit on its own", () =>
    Effect.gen(function* () {
      const results = yield* Billing.checkEligibilityForSchedule([
        request({ dateOfService: DateOfService.make("2025-06-04") }),
        request({ payerId: "NOPE1" }),
        request({
          payerId: "HDHP9",
          subscriber: {
            memberId: "HD55501",
            firstName: "Morgan",
            lastName: "Blake",
            dateOfBirth: "1992-01-05"
          } as never,
          dateOfService: DateOfService.make("2025-08-01")
        })
      ])
      expect(results.map((r) => (r._tag === "Checked" ? r.response.status : r.error.reason._tag))).toEqual([
        "active",
        "Refused",
        "active"
      ])
      const hdhp = results[2]
      expect(hdhp?._tag === "Checked" && hdhp.summary.coinsuranceBps).toBe(2000)
      expect(hdhp?._tag === "Checked" && hdhp.summary.deductible).toEqual({
        total: Money.dollars(3300),
        remaining: Money.dollars(2900)
      })
    })
  )
})

describe("eligibility failures", () => {
  layer(services(["timeout", "unavailable"]))((it) => {
    it.effect("retries a retryable failure with backoff, then answers", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(Billing.checkEligibility(request()))
        yield* TestClock.adjust("10 seconds")
        const result = yield* Fiber.join(fiber)
        expect(result.response.status).toBe("active")
      })
    )
  })

  layer(services(["timeout", "timeout", "timeout"]))((it) => {
    it.effect("gives up after two retries with the typed error", () =>
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(Effect.exit(Billing.checkEligibility(request())))
        yield* TestClock.adjust("10 seconds")
        const exit = yield* Fiber.join(fiber)
        expect(Exit.isFailure(exit)).toBe(true)
        expect(String(exit)).toContain("Timeout")
      })
    )
  })

  layer(services())((it) => {
    it.effect("never retries a refusal", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Billing.checkEligibility(request({ payerId: "NOPE1" })))
        expect(error).toBeInstanceOf(Clearinghouse.ClearinghouseError)
        expect(error.retryable).toBe(false)
        expect(error.reason._tag).toBe("Refused")
      })
    )
  })
})

describe("eligibility on BillingRuntime", () => {
  layer(Layer.empty)((it) => {
    it.effect("answers as a Promise with a clearinghouse, and says plainly when there is none", () =>
      Effect.promise(async () => {
        const runtime = BillingRuntime.make(InMemoryClearinghouse.layer(SeededPlans.members))
        const check = await runtime.checkEligibility(request())
        expect(check.summary.copay).toBe(Money.dollars(25))
        await runtime.dispose()
        const bare = BillingRuntime.make(Layer.empty)
        await expect(bare.checkEligibility(request())).rejects.toThrow("eligibility needs a Clearinghouse")
        await bare.dispose()
      })
    )
  })
})
