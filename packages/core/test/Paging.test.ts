import { describe, expect, it } from "@effect/vitest"
import { Caller, Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"
import * as F from "./store/fixtures.js"

const tenant = F.tenantId()
const layer = Layer.merge(
  InMemoryStore.layer,
  Caller.layer({ tenantId: tenant, actor: "test:paging", purpose: "operations" })
)

describe("Store.everyPage", () => {
  it.effect("reads every item across full pages, each once, in the store's order", () =>
    Effect.gen(function* () {
      const store = yield* Store.Store
      const claims = Array.from({ length: 2 * Store.maxPageSize + 7 }, () => F.claim(tenant, { status: "ready" }))
      yield* store.claims.create(claims)
      yield* store.claims.create([F.claim(tenant, { status: "draft" })])
      const asked: Array<number> = []
      const read = yield* Store.everyPage((page) => {
        asked.push(page.limit)
        return store.claims.query({ ...page, status: ["ready"] })
      })
      expect(asked).toEqual([Store.maxPageSize, Store.maxPageSize, Store.maxPageSize])
      expect(read.map((c) => c.id).sort()).toEqual(claims.map((c) => c.id).sort())
      expect(new Set(read.map((c) => c.id)).size).toBe(read.length)
    }).pipe(Effect.provide(layer))
  )

  it.effect("reads one empty page when there is nothing", () =>
    Effect.gen(function* () {
      const store = yield* Store.Store
      expect(yield* Store.everyPage((page) => store.claims.query({ ...page, status: ["paid"] }))).toEqual([])
    }).pipe(Effect.provide(layer))
  )
})
