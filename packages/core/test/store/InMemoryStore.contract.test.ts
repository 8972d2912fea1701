import { createHash } from "node:crypto"
import { Store } from "@openrcm/core"
import { InMemoryStore } from "@openrcm/core/testing"
import { Effect, Layer } from "effect"
import { storeContract } from "./contract.js"

storeContract("InMemoryStore", () => InMemoryStore.layer)

// The same store with a synchronous SHA-256 for its audit chain (as a Node benchmark runs it): the same contract.
storeContract("InMemoryStore with Node's SHA-256", () =>
  Layer.effect(
    Store.Store,
    InMemoryStore.makeWith({
      sha256: (text) => Effect.sync(() => createHash("sha256").update(text).digest("hex"))
    })
  )
)
