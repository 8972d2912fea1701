import { describe, expect, it } from "@effect/vitest"
import { Audit, type Ids } from "@openrcm/core"
import { Effect } from "effect"

const tenant = "t-1" as Ids.TenantId
const context = { tenantId: tenant, actor: "user:1", purpose: "payment" as const, at: 1_000 }
const entries: ReadonlyArray<Audit.Entry> = Array.from({ length: 6 }, (_, i) => ({
  action: i % 2 === 0 ? "claims.create" : "patients.get",
  entity: i % 2 === 0 ? "claim" : "patient",
  entityId: `id-${i}`,
  outcome: "success"
}))

const built = Audit.chain(Audit.emptyHead, context, entries)

describe("Audit chain", () => {
  it.effect("an untouched chain is intact, and chains continue from a head", () =>
    Effect.gen(function* () {
      const { events, head } = yield* built
      expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6])
      expect(yield* Audit.verify(tenant, events, head)).toEqual({ _tag: "Intact", events: 6, head })
      const more = yield* Audit.chain(head, context, entries.slice(0, 2))
      expect(yield* Audit.verify(tenant, [...events, ...more.events], more.head)).toMatchObject({ _tag: "Intact" })
      expect(yield* Audit.verify(tenant, [], Audit.emptyHead)).toMatchObject({ _tag: "Intact", events: 0 })
    })
  )

  it.effect("finds each kind of tampering and names the first bad event", () =>
    Effect.gen(function* () {
      const { events, head } = yield* built
      const at = (i: number) => events[i] as Audit.Event
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<Audit.Event>, Audit.Head, Audit.Verification]> = [
        [
          "edited",
          events.map((e, i) => (i === 2 ? { ...e, actor: "user:2" } : e)),
          head,
          { _tag: "Broken", sequence: 3, problem: "edited" }
        ],
        ["deleted", events.filter((_, i) => i !== 3), head, { _tag: "Broken", sequence: 4, problem: "missing" }],
        [
          "reordered",
          [at(0), at(2), at(1), ...events.slice(3)],
          head,
          { _tag: "Broken", sequence: 2, problem: "missing" }
        ],
        [
          "inserted (a copy)",
          [...events.slice(0, 2), at(1), ...events.slice(2)],
          head,
          { _tag: "Broken", sequence: 2, problem: "inserted-or-reordered" }
        ],
        ["tail cut", events.slice(0, 4), head, { _tag: "Broken", sequence: 5, problem: "tail-missing" }],
        [
          "tail cut and head moved back",
          events.slice(0, 4),
          { sequence: 4, hash: at(2).hash },
          { _tag: "Broken", sequence: 4, problem: "head-mismatch" }
        ],
        [
          "another tenant's event",
          events.map((e, i) => (i === 1 ? { ...e, tenantId: "t-2" as Ids.TenantId } : e)),
          head,
          { _tag: "Broken", sequence: 2, problem: "wrong-tenant" }
        ]
      ]
      for (const [, tampered, tamperedHead, expected] of cases) {
        expect(yield* Audit.verify(tenant, tampered, tamperedHead)).toEqual(expected)
      }
    })
  )

  it.effect("an edited event whose hash was recomputed still breaks the link to the next one", () =>
    Effect.gen(function* () {
      const { events, head } = yield* built
      const { hash: _, ...unsigned } = { ...(events[2] as Audit.Event), action: "claims.delete" }
      const forged = { ...unsigned, hash: yield* Audit.hashOf(unsigned) }
      const tampered = events.map((e, i) => (i === 2 ? forged : e))
      expect(yield* Audit.verify(tenant, tampered, head)).toEqual({
        _tag: "Broken",
        sequence: 4,
        problem: "broken-link"
      })
    })
  )
})
