// The audit head carried through a transaction (read once, written back before the commit): many operations, a
// failed savepoint (the first to read the head, and one later) and a verify inside the transaction; after it, the
// chain is whole and the stored head names its last event.
import { describe, expect, layer } from "@effect/vitest"
import { type Ids, Store } from "@openrcm/core"
import { Effect, Layer } from "effect"
import * as F from "../../core/test/store/fixtures.js"
import { admin, as, type Backend, pgliteBackend, serverBackend, store } from "./security.js"

class Refused extends Error {}

const suite = (name: string, backend: Layer.Layer<Backend, unknown>) =>
  layer(Layer.provideMerge(store(), backend), { excludeTestServices: true, timeout: 60_000 })(name, (it) => {
    it.effect("a long transaction with failed savepoints leaves a whole chain and the head on its last event", () =>
      Effect.gen(function* () {
        const s = yield* Store.Store
        const tenant: Ids.TenantId = F.tenantId("head-carried")
        const failing = s.transaction(Effect.andThen(s.payers.put(F.payer(tenant)), Effect.fail(new Refused())))
        const inside = yield* s
          .transaction(
            Effect.gen(function* () {
              // The first savepoint reads (and locks) the head, then fails: its read is undone with it.
              yield* Effect.exit(failing)
              for (let i = 0; i < 30; i++) yield* s.payers.put(F.payer(tenant))
              yield* Effect.exit(failing)
              const verified = yield* s.audit.verify()
              for (let i = 0; i < 5; i++) yield* s.payers.put(F.payer(tenant))
              return verified
            })
          )
          .pipe(as(tenant))
        expect(inside._tag).toBe("Intact")
        const events = yield* s.audit.events({ limit: 1000 }).pipe(as(tenant))
        expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1))
        expect(events.filter((e) => e.action === "payers.put")).toHaveLength(35)
        expect((yield* s.audit.verify().pipe(as(tenant)))._tag).toBe("Intact")
        const [head] = yield* admin(
          (sql) => sql<{ sequence: string | number; hash: string }>`select sequence, hash from audit_heads
            where tenant_id = ${tenant}`
        )
        const last = events.at(-1)
        expect({ sequence: Number(head?.sequence), hash: head?.hash }).toEqual({
          sequence: last?.sequence,
          hash: last?.hash
        })
        // A later transaction goes on from it.
        yield* s.payers.put(F.payer(tenant)).pipe(as(tenant))
        expect((yield* s.audit.verify().pipe(as(tenant)))._tag).toBe("Intact")
      })
    )
  })

describe("the audit head in a transaction", () => {
  suite("on PGlite", pgliteBackend())
  suite("on the PostgreSQL server", serverBackend("audit_head"))
})
