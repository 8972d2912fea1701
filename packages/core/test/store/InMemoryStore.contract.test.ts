import { expect, it } from "@effect/vitest"
import { Audit, Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Layer } from "effect"
import { storeContract } from "./contract.js"

storeContract("InMemoryStore", () => InMemoryStore.layer)

// The same store with a SHA-256 of the caller's choosing for its audit chain (a Node benchmark passes Node's
// synchronous one): the same contract, and the chain is made with it.
let hashed = 0
storeContract("InMemoryStore with its own SHA-256", () =>
  Layer.effect(
    Store.Store,
    InMemoryStore.makeWith({
      sha256: (text) => {
        hashed += 1
        return Audit.webCryptoSha256(text)
      }
    })
  )
)

it("the store chains its audit events with the SHA-256 it was given", () => {
  expect(hashed).toBeGreaterThan(1000)
})
