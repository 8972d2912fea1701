// The examples the docs show are run, not only type-checked: what a page says they print, they print.
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { beforeTheSession, runtime as clinicRuntime } from "./before-session.js"
import { editBeforeSubmission, fromSessionToAcceptance } from "./claims.js"
import { coded, tracked } from "./coding.js"
import { summary } from "./money.js"
import { codeRiverHealthVideoSession, runtime as riverRuntime } from "./new-payer.js"
import { postAndWork } from "./remittance.js"
import { todayInChicago } from "./runtime.js"
import { tour } from "./store.js"
import { countClaims, payment, readRemittance, remit, write } from "./x12.js"

it("money.ts computes what getting-started.md says", () => {
  expect(summary).toBe("$144.00 paid, $36.00 patient, lines 3334/3333/3333")
})

it("runtime.ts returns a date of service", async () => {
  expect(await todayInChicago()).toMatch(/^\d{4}-\d{2}-\d{2}$/)
})

it.effect("coding.ts codes 99214 + 90833 at POS 10 with no modifier", () =>
  Effect.gen(function* () {
    const result = yield* coded
    expect(result._tag === "Billable" && result.lines.map((l) => [l.code, l.placeOfService, l.modifiers])).toEqual([
      ["99214", "10", []],
      ["90833", "10", []]
    ])
    yield* TestClock.setTime(Date.UTC(2025, 2, 4, 15))
    expect(yield* tracked).toBe("next threshold in 16 min")
  })
)

it("new-payer.ts codes River Health's video session as its pack says", async () => {
  const text = await codeRiverHealthVideoSession()
  expect(text).toContain("90834:95 × 1 at POS 02")
  expect(text).toContain("[river-health@2025.1.0 $.telehealth[0]]")
  await riverRuntime.dispose()
})

it("before-session.ts authorizes, checks eligibility and estimates as before-the-session.md says", async () => {
  // $118 allowed, $350 of deductible left: the patient owes the $118 toward the deductible.
  expect(await beforeTheSession()).toEqual({
    authorization: "Authorized",
    eligibility: "active",
    patientOwes: "$118.00"
  })
  await clinicRuntime.dispose()
})

it("x12.ts reads the 835 of x12.md, whole and in chunks", async () => {
  expect(readRemittance(remit)).toEqual({ claims: ["PCN1: paid 9500 of 13500 cents"], problems: [] })
  async function* oneByteAtATime() {
    for (const char of remit) yield char
  }
  expect(await countClaims(oneByteAtATime())).toBe(1)
  // One changed amount: the line, claim and transaction no longer balance, and each says where.
  const broken = readRemittance(remit.replace("SVC*HC:90834:95*135*95", "SVC*HC:90834:95*135*96"))
  expect(broken.problems.join("\n")).toContain("segment 9 SVC, element 3")
})

it("x12.ts writes the 835 of x12.md, reads it back, and refuses one that does not balance", () => {
  const text = write(payment)
  if (typeof text !== "string") throw new Error(text.join("\n"))
  expect(text).toContain("~CLP*PCN1*1*135.00*95.00*20.00*12*PAYERCN1~")
  expect(readRemittance(text)).toEqual({ claims: ["PCN1: paid 9500 of 13500 cents"], problems: [] })
  const claim = payment.claims[0] as (typeof payment.claims)[number]
  expect(write({ ...payment, claims: [{ ...claim, paid: 9600 }] })).toEqual([
    "claims[0].paid: must equal the charge less the claim's and its lines' adjustments (CLP03 − Σ CAS = CLP04)",
    "payment.amount: must equal the claims' payments less the provider adjustments (Σ CLP04 − Σ PLB = BPR02, negated for a debit)"
  ])
})

it.live(
  "store.ts finds the coverage, lists the work queue, ages the receivables and verifies the chain",
  () =>
    Effect.gen(function* () {
      expect(yield* tour).toEqual({
        found: ["cov-1"],
        queue: ["clm-1", "clm-2"],
        aging: [["acme", 13500, 13500, 0, 13500]],
        chain: "Intact"
      })
    }),
  60_000
)

it.effect("claims.ts builds, scrubs, submits, delivers and records the acceptance", () =>
  Effect.gen(function* () {
    expect(yield* fromSessionToAcceptance).toEqual({
      charge: 13500,
      scrub: "ready",
      delivery: "Sent",
      status: "accepted"
    })
  })
)

it.effect("claims.ts edits a ready claim: back to draft, then scrubbed to ready again", () =>
  Effect.gen(function* () {
    expect(yield* editBeforeSubmission).toEqual({
      scrubbed: "ready",
      edited: ["draft", "F41.1 Z63.0"],
      rescrubbed: "ready"
    })
  })
)

it.effect("remittance.ts posts the 835, queues and appeals the denial, and reverses by the payer's claim number", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.UTC(2025, 4, 21, 15))
    const result = yield* postAndWork
    expect(result).toMatchObject({
      matched: ["clm-1", "clm-2"],
      paid: 9500,
      coinsurance: 2000,
      queue: ["clm-2 CO-197 authorization → appeal, due 2025-11-16"],
      appeal: { carc: "Precertification/authorization/notification/pre-treatment absent." },
      duplicate: true,
      reversed: ["clm-1: 9500 undone"],
      clm1Balance: 0
    })
    expect(result.appeal.letter).toContain(
      "Re: Request for reconsideration of claim clm-2 (payer claim number ACME-7002)"
    )
    expect(result.appeal.letter).toContain("The authorization was on file: PA-2025-118.")
  })
)
