import { describe, expect, it } from "@effect/vitest"
import { DateOfService, Money, PatientResponsibility } from "@openrcm/core"
import { Schema } from "effect"
import * as fc from "fast-check"
import { holds } from "./property.js"

const decodeRequest = Schema.decodeUnknownSync(PatientResponsibility.EstimateRequest)

/** An estimate for visits a week apart, each a list of allowed amounts in cents. */
const estimate = (benefits: Record<string, unknown>, visits: ReadonlyArray<ReadonlyArray<number>>) =>
  PatientResponsibility.estimate(
    decodeRequest({
      benefits,
      visits: visits.map((lines, i) => ({
        dateOfService: DateOfService.addDays(DateOfService.make("2025-03-03"), 7 * i),
        lines: lines.map((allowed) => ({ code: "90834", allowed }))
      }))
    })
  )

const oneLine = (benefits: Record<string, unknown>, allowed: number) => {
  const result = estimate(benefits, [[allowed]])
  return result.visits[0]?.lines[0] as PatientResponsibility.LineEstimate
}

describe("PatientResponsibility.estimate: RULES.md §7 worked examples", () => {
  it("allowed $150, deductible met, 20% → patient $30, plan $120", () => {
    const result = estimate({ deductibleRemaining: 0, coinsuranceBps: 2000 }, [[Money.dollars(150)]])
    expect(result).toMatchObject({ patient: 3000, plan: 12000, allowed: 15000, payment: 12000 })
    expect(result.visits[0]?.lines[0]).toMatchObject({
      allowed: 15000,
      deductible: 0,
      coinsurance: 3000,
      copay: 0,
      patient: 3000,
      plan: 12000,
      payment: 12000,
      sequestration: 0,
      deductibleRemaining: 0
    })
  })

  it("allowed $150, deductible remaining $100, 20% → patient $110 (100 + 10), plan $40", () => {
    const line = oneLine({ deductibleRemaining: Money.dollars(100), coinsuranceBps: 2000 }, Money.dollars(150))
    expect(line).toMatchObject({
      deductible: 10000,
      coinsurance: 1000,
      patient: 11000,
      plan: 4000,
      deductibleRemaining: 0
    })
  })

  it("allowed $200, 20% is $40 but out-of-pocket remaining $25 → patient $25", () => {
    const line = oneLine(
      { deductibleRemaining: 0, coinsuranceBps: 2000, outOfPocketRemaining: Money.dollars(25) },
      Money.dollars(200)
    )
    expect(line).toMatchObject({ patient: 2500, plan: 17500, payment: 17500, outOfPocketRemaining: 0 })
  })

  it("Medicare allowed $100, deductible met → patient $20, plan $80, sequestration $1.60, payment $78.40", () => {
    const result = estimate({ deductibleRemaining: 0, coinsuranceBps: 2000, sequestration: true }, [
      [Money.dollars(100)]
    ])
    expect(result).toMatchObject({ patient: 2000, plan: 8000, payment: 7840, allowed: 10000 })
    expect(result.visits[0]?.lines[0]).toMatchObject({
      coinsurance: 2000,
      patient: 2000,
      plan: 8000,
      sequestration: 160,
      payment: 7840,
      outOfPocketRemaining: undefined
    })
  })

  it("sequestration never changes the patient's share", () => {
    const benefits = { deductibleRemaining: Money.dollars(240), coinsuranceBps: 2000 }
    const visits = [[Money.dollars(100), Money.dollars(180)], [Money.dollars(150)]]
    const without = estimate(benefits, visits)
    const withSequestration = estimate({ ...benefits, sequestration: true }, visits)
    expect(withSequestration.patient).toBe(without.patient)
    expect(withSequestration.plan).toBe(without.plan)
    expect(withSequestration.payment).toBeLessThan(without.payment)
  })
})

describe("PatientResponsibility.estimate: accumulators", () => {
  it("carries the deductible and out-of-pocket remaining across lines and visits", () => {
    const result = estimate({ deductibleRemaining: 10000, coinsuranceBps: 2000, outOfPocketRemaining: 15000 }, [
      [6000, 6000],
      [15000],
      [20000]
    ])
    const lines = result.visits.flatMap((v) => v.lines)
    expect(
      lines.map((l) => [l.deductible, l.coinsurance, l.patient, l.plan, l.deductibleRemaining, l.outOfPocketRemaining])
    ).toEqual([
      [6000, 0, 6000, 0, 4000, 9000],
      [4000, 400, 4400, 1600, 0, 4600],
      [0, 3000, 3000, 12000, 0, 1600],
      [0, 1600, 1600, 18400, 0, 0]
    ])
    expect(result.visits.map((v) => [v.dateOfService, v.patient, v.plan])).toEqual([
      ["2025-03-03", 10400, 1600],
      ["2025-03-10", 3000, 12000],
      ["2025-03-17", 1600, 18400]
    ])
    expect(result).toMatchObject({ patient: 15000, plan: 32000, payment: 32000, allowed: 47000 })
  })

  it("once the out-of-pocket maximum is met the plan pays 100%", () => {
    const result = estimate(
      { deductibleRemaining: 50000, coinsuranceBps: 2000, outOfPocketRemaining: 12000, copay: 1000 },
      [[10000], [10000], [10000]]
    )
    expect(result.visits.map((v) => v.patient)).toEqual([10000, 2000, 0])
    expect(result.visits.map((v) => v.plan)).toEqual([0, 8000, 10000])
  })

  it("treats negative accumulators as zero", () => {
    const line = oneLine({ deductibleRemaining: -500, coinsuranceBps: 2000, outOfPocketRemaining: -100 }, 10000)
    expect(line).toMatchObject({ deductible: 0, patient: 0, plan: 10000, deductibleRemaining: 0 })
    const noCap = oneLine({ deductibleRemaining: -500, coinsuranceBps: 2000 }, 10000)
    expect(noCap).toMatchObject({ deductible: 0, coinsurance: 2000, patient: 2000, deductibleRemaining: 0 })
  })

  it("decrements the deductible remaining by the deductible applied even when the out-of-pocket cap lowers it", () => {
    // RULES.md §7: pt = min(ded + coins + copay, oopRemaining), "then decrement deductibleRemaining by ded".
    // ded = min(150, 100) = 100, so 0 remains; the cap only limits what the patient pays.
    const line = oneLine(
      { deductibleRemaining: Money.dollars(100), coinsuranceBps: 2000, outOfPocketRemaining: Money.dollars(50) },
      Money.dollars(150)
    )
    expect(line).toMatchObject({ patient: 5000, plan: 10000, outOfPocketRemaining: 0 })
    expect(line.deductibleRemaining).toBe(0)
  })
})

describe("PatientResponsibility.estimate: copays", () => {
  it("after the deductible (the default): the deductible and coinsurance first, the copay on what is left", () => {
    const benefits = { deductibleRemaining: 5000, coinsuranceBps: 0, copay: 2500 }
    const result = estimate(benefits, [[15000], [15000]])
    expect(result.visits.flatMap((v) => v.lines).map((l) => [l.deductible, l.copay, l.patient, l.plan])).toEqual([
      [5000, 2500, 7500, 7500],
      [0, 2500, 2500, 12500]
    ])
    expect(
      estimate({ ...benefits, copayTiming: "after-deductible" }, [[15000], [15000]]).visits.map((v) => v.patient)
    ).toEqual([7500, 2500])
  })

  it("after the deductible the copay is capped by what the deductible and coinsurance leave", () => {
    expect(oneLine({ deductibleRemaining: 2000, coinsuranceBps: 0, copay: 2500 }, 3000)).toMatchObject({
      deductible: 2000,
      copay: 1000,
      patient: 3000,
      plan: 0
    })
    expect(oneLine({ deductibleRemaining: 0, coinsuranceBps: 2000, copay: 2500 }, 10000)).toMatchObject({
      coinsurance: 2000,
      copay: 2500,
      patient: 4500,
      plan: 5500
    })
    expect(oneLine({ deductibleRemaining: 0, coinsuranceBps: 8000, copay: 2500 }, 10000)).toMatchObject({
      coinsurance: 8000,
      copay: 2000,
      patient: 10000,
      plan: 0
    })
  })

  it("before the deductible, not counting toward it: copay first, deductible and coinsurance on the rest", () => {
    const line = oneLine(
      { deductibleRemaining: 10000, coinsuranceBps: 2000, copay: 2000, copayTiming: "before-deductible" },
      15000
    )
    expect(line).toMatchObject({
      copay: 2000,
      deductible: 10000,
      coinsurance: 600,
      patient: 12600,
      plan: 2400,
      deductibleRemaining: 0
    })
  })

  it("before the deductible, counting toward it: the copay also lowers the deductible", () => {
    const line = oneLine(
      {
        deductibleRemaining: 10000,
        coinsuranceBps: 2000,
        copay: 2000,
        copayTiming: "before-deductible",
        copayCountsTowardDeductible: true
      },
      15000
    )
    expect(line).toMatchObject({
      copay: 2000,
      deductible: 8000,
      coinsurance: 1000,
      patient: 11000,
      plan: 4000,
      deductibleRemaining: 0
    })
  })

  it("before the deductible, the accumulator follows whether the copay counts toward it", () => {
    const base = { deductibleRemaining: 10000, coinsuranceBps: 0, copay: 2000, copayTiming: "before-deductible" }
    const counting = estimate({ ...base, copayCountsTowardDeductible: true }, [[5000], [5000], [5000]])
    expect(
      counting.visits.flatMap((v) => v.lines).map((l) => [l.copay, l.deductible, l.patient, l.deductibleRemaining])
    ).toEqual([
      [2000, 3000, 5000, 5000],
      [2000, 3000, 5000, 0],
      [2000, 0, 2000, 0]
    ])
    for (const notCounting of [base, { ...base, copayCountsTowardDeductible: false }]) {
      const result = estimate(notCounting, [[5000], [5000], [5000]])
      expect(
        result.visits.flatMap((v) => v.lines).map((l) => [l.copay, l.deductible, l.patient, l.deductibleRemaining])
      ).toEqual([
        [2000, 3000, 5000, 7000],
        [2000, 3000, 5000, 4000],
        [2000, 3000, 5000, 1000]
      ])
    }
  })

  it("before the deductible, a copay larger than the allowed amount is the allowed amount", () => {
    expect(
      oneLine({ deductibleRemaining: 10000, coinsuranceBps: 2000, copay: 2000, copayTiming: "before-deductible" }, 1500)
    ).toMatchObject({ copay: 1500, deductible: 0, coinsurance: 0, patient: 1500, plan: 0, deductibleRemaining: 10000 })
  })

  it("instead of the deductible: copay and coinsurance only, the deductible untouched", () => {
    const line = oneLine(
      { deductibleRemaining: 10000, coinsuranceBps: 2000, copay: 2500, copayTiming: "instead-of-deductible" },
      15000
    )
    expect(line).toMatchObject({
      deductible: 0,
      copay: 2500,
      coinsurance: 2500,
      patient: 5000,
      plan: 10000,
      deductibleRemaining: 10000
    })
    expect(
      oneLine(
        { deductibleRemaining: 10000, coinsuranceBps: 0, copay: 2500, copayTiming: "instead-of-deductible" },
        1800
      )
    ).toMatchObject({ deductible: 0, copay: 1800, patient: 1800, plan: 0, deductibleRemaining: 10000 })
  })
})

describe("PatientResponsibility.estimate: QMB and rounding", () => {
  it("bills a Qualified Medicare Beneficiary nothing: no deductible, coinsurance or copay", () => {
    for (const copayTiming of ["after-deductible", "before-deductible", "instead-of-deductible"]) {
      const result = estimate(
        {
          deductibleRemaining: Money.dollars(257),
          coinsuranceBps: 2000,
          copay: 1500,
          copayTiming,
          sequestration: true,
          qualifiedMedicareBeneficiary: true
        },
        [[Money.dollars(100), Money.dollars(300)], [Money.dollars(150)]]
      )
      expect(result.patient).toBe(0)
      for (const line of result.visits.flatMap((v) => v.lines)) {
        expect(line).toMatchObject({ deductible: 0, coinsurance: 0, copay: 0, patient: 0 })
      }
    }
  })

  // [allowed cents, coinsurance bps, coinsurance cents], half-up to the cent.
  it.each([
    [10001, 5000, 5001],
    [10003, 2000, 2001],
    [10002, 2000, 2000],
    [10002, 2500, 2501],
    [1, 5000, 1],
    [3, 5000, 2],
    [15, 1000, 2],
    [14, 1000, 1],
    [12345, 2000, 2469],
    [99999, 10000, 99999],
    [99999, 0, 0]
  ] as const)("allowed %i cents at %i bps → coinsurance %i cents", (allowed, bps, coinsurance) => {
    const line = oneLine({ deductibleRemaining: 0, coinsuranceBps: bps }, allowed)
    expect(line).toMatchObject({ coinsurance, patient: coinsurance, plan: allowed - coinsurance })
  })

  it("rounds the sequestration half-up: 2% of $80.25 is $1.61", () => {
    expect(oneLine({ deductibleRemaining: 0, coinsuranceBps: 0, sequestration: true }, 8025)).toMatchObject({
      plan: 8025,
      sequestration: 161,
      payment: 7864
    })
    expect(oneLine({ deductibleRemaining: 0, coinsuranceBps: 0, sequestration: true }, 8024)).toMatchObject({
      sequestration: 160,
      payment: 7864
    })
  })
})

describe("PatientResponsibility.estimate: properties", () => {
  const benefits = fc.record(
    {
      deductibleRemaining: fc.integer({ min: -1000, max: 300_000 }),
      outOfPocketRemaining: fc.integer({ min: -1000, max: 500_000 }),
      coinsuranceBps: fc.integer({ min: 0, max: 10_000 }),
      copay: fc.integer({ min: 0, max: 10_000 }),
      copayTiming: fc.constantFrom("after-deductible", "before-deductible", "instead-of-deductible"),
      copayCountsTowardDeductible: fc.boolean(),
      sequestration: fc.boolean(),
      qualifiedMedicareBeneficiary: fc.boolean()
    },
    { requiredKeys: ["deductibleRemaining", "coinsuranceBps"] }
  )
  const visits = fc.array(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 5
  })

  it("splits every line: plan + patient (+ a QMB's protected share) = allowed, 0 ≤ patient ≤ allowed, parts add up, accumulators never negative", () => {
    holds(
      fc.property(benefits, visits, (b, v) => {
        const result = estimate(b, v)
        const lines = result.visits.flatMap((x) => x.lines)
        expect(lines.map((l) => l.allowed)).toEqual(v.flat())
        let previousDeductible = Math.max(0, b.deductibleRemaining)
        for (const line of lines) {
          // A QMB's cost sharing is protected: no one bills them for it.
          expect(line.plan + line.patient + line.qmbProtected).toBe(line.allowed)
          expect(line.patient).toBeGreaterThanOrEqual(0)
          expect(line.patient).toBeLessThanOrEqual(line.allowed)
          expect(line.deductible + line.coinsurance + line.copay).toBe(line.patient)
          expect(Math.min(line.deductible, line.coinsurance, line.copay)).toBeGreaterThanOrEqual(0)
          expect(line.deductibleRemaining).toBeGreaterThanOrEqual(0)
          expect(line.deductibleRemaining).toBeLessThanOrEqual(previousDeductible)
          previousDeductible = line.deductibleRemaining
          if (b.outOfPocketRemaining === undefined) expect(line.outOfPocketRemaining).toBeUndefined()
          else expect(line.outOfPocketRemaining).toBeGreaterThanOrEqual(0)
          expect(line.payment + line.sequestration).toBe(line.plan)
          expect(line.sequestration).toBe(b.sequestration === true ? Money.percentage(line.plan, 200) : 0)
          if (b.qualifiedMedicareBeneficiary === true) expect(line.patient).toBe(0)
        }
        for (const [i, visit] of result.visits.entries()) {
          expect(visit.patient).toBe(visit.lines.reduce((s, l) => s + l.patient, 0))
          expect(visit.plan).toBe(visit.lines.reduce((s, l) => s + l.plan, 0))
          const protectedShare = visit.lines.reduce((s, l) => s + l.qmbProtected, 0)
          expect(visit.patient + visit.plan + protectedShare).toBe((v[i] ?? []).reduce((s, a) => s + a, 0))
        }
        expect(result.patient + result.plan + lines.reduce((s, l) => s + l.qmbProtected, 0)).toBe(result.allowed)
        expect(result.payment).toBe(lines.reduce((s, l) => s + l.payment, 0))
        if (b.outOfPocketRemaining !== undefined) {
          expect(result.patient).toBeLessThanOrEqual(Math.max(0, b.outOfPocketRemaining))
        }
      })
    )
  })

  it("follows the RULES.md §7 algorithm line by line (property, copay after the deductible)", () => {
    holds(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
        visits,
        (deductibleRemaining, outOfPocketRemaining, coinsuranceBps, copay, v) => {
          const result = estimate(
            {
              deductibleRemaining,
              coinsuranceBps,
              ...(outOfPocketRemaining === undefined ? {} : { outOfPocketRemaining }),
              ...(copay === undefined ? {} : { copay })
            },
            v
          )
          let dedLeft = deductibleRemaining
          let oopLeft = outOfPocketRemaining
          const lines = result.visits.flatMap((x) => x.lines)
          v.flat().forEach((allowed, i) => {
            const ded = Math.min(allowed, dedLeft)
            const coins = Money.percentage(Money.cents(allowed - ded), coinsuranceBps)
            const cp = copay === undefined ? 0 : Math.min(copay, allowed - ded - coins)
            const pt = oopLeft === undefined ? ded + coins + cp : Math.min(ded + coins + cp, oopLeft)
            expect(lines[i]?.patient).toBe(pt)
            expect(lines[i]?.plan).toBe(allowed - pt)
            dedLeft -= ded
            if (oopLeft !== undefined) oopLeft -= pt
            expect(lines[i]?.outOfPocketRemaining).toBe(oopLeft)
          })
        }
      )
    )
  })
})
