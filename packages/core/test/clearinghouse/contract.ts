/**
 * The Clearinghouse port's contract: what every adapter (the in-memory one, the X12 sandbox, each vendor's) must
 * do, written from the port's documented semantics (`src/Clearinghouse.ts`), not from any one adapter.
 *
 * ```ts
 * clearinghouseContract("InMemoryClearinghouse", (setup) => InMemoryClearinghouse.layer(setup.members, ...), {
 *   settle: Effect.void,
 *   injects: ["Timeout", "Unavailable"]
 * })
 * clearinghouseContract("Sandbox", (setup) => Sandbox.layerBuiltin({ ... }), {
 *   settle: TestClock.adjust("2 hours"),
 *   injects: ["Timeout", "Unavailable", "Refused"]
 * })
 * ```
 *
 * Each test builds a fresh adapter from `makeLayer`. The contract assumes nothing about timing beyond this: once
 * `settle` has run (it lets the adapter's delays pass: `TestClock.adjust` for an adapter on the `Clock`, nothing
 * for one that answers at once), every answer to what was sent before it is visible. It assumes nothing about
 * which claims an adapter accepts or how many responses it writes for a batch.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Clearinghouse as C, Clearinghouse } from "@openrcm/core"
import type { InMemoryClearinghouse } from "@openrcm/core/testing"
import { Cause, Effect, Exit, type Layer, Option, Schema } from "effect"
import * as F from "./fixtures.js"

export type Reason = "Timeout" | "Unavailable" | "Refused"

/** What the contract asks of the adapter it builds. */
export interface Setup {
  /** Members to answer eligibility for. */
  readonly members: ReadonlyArray<InMemoryClearinghouse.Member>
  /** Payers (X12 ids) the adapter must refuse (`Refused`). */
  readonly unsupportedPayers: ReadonlyArray<string>
  /** Fail the next calls with these reasons, in order (only reasons named in `injects` are asked for). */
  readonly failures: ReadonlyArray<Reason>
}

export interface ContractOptions {
  /** Lets the adapter's delays pass, so that everything sent before is answered. */
  readonly settle: Effect.Effect<void>
  /** The failure reasons `makeLayer` can inject for the next calls. */
  readonly injects: ReadonlyArray<Reason>
  /** Per-test timeout in milliseconds. */
  readonly timeout?: number
}

const retryable: Record<Reason, boolean> = { Timeout: true, Unavailable: true, Refused: false }

const noSetup: Setup = { members: F.members, unsupportedPayers: [], failures: [] }

const isResponse = Schema.is(Clearinghouse.Response)

/** The claims' final answers (accepted or rejected) across responses: claim id → answers. */
const answers = (responses: ReadonlyArray<C.Response>): Map<string, Array<C.ClaimAnswer>> => {
  const byClaim = new Map<string, Array<C.ClaimAnswer>>()
  for (const response of responses) {
    const claims = response._tag === "Remittance" ? [] : response.claims
    for (const answer of claims) {
      if (answer.status === "pending") continue
      byClaim.set(answer.claimId, [...(byClaim.get(answer.claimId) ?? []), answer])
    }
  }
  return byClaim
}

const ids = (responses: ReadonlyArray<C.Response>) => responses.map((r) => r.id)

/** Which batch a response answers, by its submission key or the claims it names. */
const batchOf = (response: C.Response, batches: ReadonlyArray<C.ClaimBatch>): string | undefined =>
  batches.find((b) => {
    const claimIds = b.claims.map((e) => e.claim.id as string)
    if (response._tag === "Remittance")
      return response.advice.claims.some((clp) => claimIds.includes(clp.patientControlNumber))
    const named = response.claims.some((c) => claimIds.includes(c.claimId))
    return response._tag === "Acknowledgement" ? response.submissionKey === b.key || named : named
  })?.key

const failureOf = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(self), (exit) => {
    if (Exit.isSuccess(exit)) return Effect.die(new Error("expected a failure, got a success"))
    const error = Cause.findErrorOption(exit.cause)
    return Option.isSome(error)
      ? Effect.succeed(error.value)
      : Effect.die(new Error(`expected a typed failure, got a defect: ${Cause.pretty(exit.cause)}`))
  })

const expectClearinghouseError = (error: unknown, reason: Reason) => {
  const e = error as C.ClearinghouseError
  expect(e._tag).toBe("ClearinghouseError")
  expect(e.reason._tag).toBe(reason)
  expect(e.retryable).toBe(retryable[reason])
}

/** Three claims of the fixture practice, one for a member the payer may not know. */
const threeClaims = (prefix: string) =>
  F.batch(`${prefix}-key`, [
    F.envelope(`${prefix}-1`),
    F.envelope(`${prefix}-2`, {
      claim: F.claim(`${prefix}-2`, { lines: [F.line({ code: "90834", charge: 15000, dateOfService: "2025-02-17" })] })
    }),
    F.envelope(`${prefix}-3`, { coverage: F.coverage({ memberId: "ACM000000000" }) })
  ])

export const clearinghouseContract = (
  name: string,
  makeLayer: (setup: Setup) => Layer.Layer<Clearinghouse.Clearinghouse>,
  options: ContractOptions
): void => {
  const { settle } = options
  const run = <A, E>(
    body: (ch: Clearinghouse.Clearinghouse["Service"]) => Effect.Effect<A, E>,
    setup: Setup = noSetup
  ) =>
    Effect.gen(function* () {
      return yield* body(yield* Clearinghouse.Clearinghouse)
    }).pipe(Effect.provide(makeLayer(setup)))

  describe(`Clearinghouse contract: ${name}`, () => {
    it.effect(
      "a batch is received once per key: the second send returns the first receipt and adds no responses",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            const batch = threeClaims("once")
            const first = yield* ch.submitClaims(batch)
            expect(first.key).toBe(batch.key)
            expect(first.firstTime).toBe(true)
            const second = yield* ch.submitClaims(batch)
            expect(second).toEqual({ ...first, firstTime: false })
            yield* settle
            const before = yield* ch.responses()
            expect(before.length).toBeGreaterThan(0)
            const third = yield* ch.submitClaims(batch)
            expect(third).toEqual({ ...first, firstTime: false })
            yield* settle
            expect(ids(yield* ch.responses())).toEqual(ids(before))
            for (const [, answered] of answers(before)) expect(answered).toHaveLength(1)
          })
        ),
      options.timeout
    )

    it.effect(
      "every claim sent gets exactly one accepted-or-rejected answer, and every response is a valid Response",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            const a = threeClaims("every-a")
            const b = F.batch("every-b-key", [F.envelope("every-b-1")])
            yield* ch.submitClaims(a)
            yield* ch.submitClaims(b)
            yield* settle
            const responses = yield* ch.responses()
            for (const response of responses) expect(isResponse(response)).toBe(true)
            const byClaim = answers(responses)
            const sent = [...a.claims, ...b.claims].map((e) => e.claim.id as string)
            expect([...byClaim.keys()].sort()).toEqual([...sent].sort())
            for (const id of sent) {
              const mine = byClaim.get(id) ?? []
              expect(mine, `answers for ${id}`).toHaveLength(1)
              if (mine[0]?.status === "rejected") expect(mine[0].reasons.length).toBeGreaterThan(0)
            }
            const acks = responses.filter((r) => r._tag === "Acknowledgement")
            for (const ack of acks)
              if (ack.submissionKey !== undefined) expect([a.key, b.key]).toContain(ack.submissionKey)
          })
        ),
      options.timeout
    )

    it.effect(
      "responses() is stable until acknowledged",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            yield* ch.submitClaims(threeClaims("stable"))
            yield* settle
            const first = yield* ch.responses()
            const second = yield* ch.responses()
            expect(second).toEqual(first)
            expect(new Set(ids(first)).size).toBe(first.length)
          })
        ),
      options.timeout
    )

    it.effect(
      "acknowledge removes exactly the ids given and ignores unknown ids",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            yield* ch.submitClaims(threeClaims("ack"))
            yield* ch.submitClaims(F.batch("ack-2-key", [F.envelope("ack-2-1")]))
            yield* settle
            const all = yield* ch.responses()
            expect(all.length).toBeGreaterThan(1)
            const [first, ...rest] = all
            yield* ch.acknowledge([first?.id ?? "", "no-such-response"])
            expect(ids(yield* ch.responses())).toEqual(ids(rest))
            yield* ch.acknowledge([])
            yield* ch.acknowledge(["no-such-response"])
            expect(ids(yield* ch.responses())).toEqual(ids(rest))
          })
        ),
      options.timeout
    )

    it.effect(
      "an acknowledged response is never returned again",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            const batch = threeClaims("never")
            yield* ch.submitClaims(batch)
            yield* settle
            const seen = ids(yield* ch.responses())
            yield* ch.acknowledge(seen)
            expect(yield* ch.responses()).toEqual([])
            yield* ch.submitClaims(batch)
            yield* ch.submitClaims(F.batch("never-2-key", [F.envelope("never-2-1")]))
            yield* settle
            const later = ids(yield* ch.responses())
            expect(later.length).toBeGreaterThan(0)
            for (const id of later) expect(seen).not.toContain(id)
            yield* ch.acknowledge(later)
            yield* settle
            expect(yield* ch.responses()).toEqual([])
          })
        ),
      options.timeout
    )

    it.effect(
      "responses come oldest first",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            const a = F.batch("order-a-key", [F.envelope("order-a-1")])
            const b = F.batch("order-b-key", [F.envelope("order-b-1")])
            yield* ch.submitClaims(a)
            yield* settle
            yield* ch.submitClaims(b)
            yield* settle
            const order = (yield* ch.responses()).map((r) => batchOf(r, [a, b]))
            expect(order).not.toContain(undefined)
            const lastA = order.lastIndexOf(a.key)
            const firstB = order.indexOf(b.key)
            expect(lastA).toBeGreaterThanOrEqual(0)
            expect(firstB).toBeGreaterThan(lastA)
          })
        ),
      options.timeout
    )

    for (const reason of options.injects) {
      it.effect(
        `a ${reason} failure is a ClearinghouseError (retryable: ${retryable[reason]}) and changes nothing`,
        () =>
          run(
            (ch) =>
              Effect.gen(function* () {
                const batch = F.batch(`fail-${reason}-key`, [F.envelope(`fail-${reason}-1`)])
                expectClearinghouseError(yield* failureOf(ch.submitClaims(batch)), reason)
                // The failed send recorded nothing: the retry is the first time.
                const receipt = yield* ch.submitClaims(batch)
                expect(receipt.firstTime).toBe(true)
                yield* settle
                expect(answers(yield* ch.responses()).get(`fail-${reason}-1`)).toHaveLength(1)
              }),
            { ...noSetup, failures: [reason] }
          ),
        options.timeout
      )

      it.effect(
        `a ${reason} failure fails each kind of call`,
        () =>
          run(
            (ch) =>
              Effect.gen(function* () {
                expectClearinghouseError(yield* failureOf(ch.checkEligibility(F.eligibilityRequest())), reason)
                expectClearinghouseError(yield* failureOf(ch.responses()), reason)
                // The queue is used up: calls work again.
                expect(yield* ch.responses()).toEqual([])
              }),
            { ...noSetup, failures: [reason, reason] }
          ),
        options.timeout
      )
    }

    it.effect(
      "a payer the clearinghouse does not route to is Refused, not retryable",
      () =>
        run(
          (ch) =>
            Effect.gen(function* () {
              const error = yield* failureOf(ch.checkEligibility(F.eligibilityRequest({ payerId: "NOPE9" })))
              expectClearinghouseError(error, "Refused")
            }),
          { ...noSetup, unsupportedPayers: ["NOPE9"] }
        ),
      options.timeout
    )

    it.effect(
      "eligibility answers for a member, and rejects an unknown one with AAA 75",
      () =>
        run((ch) =>
          Effect.gen(function* () {
            const active = yield* ch.checkEligibility(F.eligibilityRequest())
            expect(active.status).toBe("active")
            expect(active.benefits.some((b) => b.kind === "copay")).toBe(true)
            const unknown = yield* ch.checkEligibility(F.eligibilityRequest({ memberId: "ACM000000000" }))
            expect(unknown.status).toBe("rejected")
            expect(unknown.rejections.map((r) => r.code)).toEqual(["75"])
            // Eligibility works alongside claims.
            yield* ch.submitClaims(F.batch("elig-key", [F.envelope("elig-1")]))
            expect((yield* ch.checkEligibility(F.eligibilityRequest())).status).toBe("active")
          })
        ),
      options.timeout
    )
  })
}
