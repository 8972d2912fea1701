import { InMemoryStore } from "@openrcm/core/testing"
import { storeContract } from "./contract.js"

storeContract("InMemoryStore", () => InMemoryStore.layer)
