// The Store contract (packages/core/test/store) on both SQL backends: the embedded PGlite and the PostgreSQL
// server (in a schema of this file's own, as a role that row-level security binds).
import { KeyProvider } from "@openrcm/core"
import { Layer } from "effect"
import { storeContract } from "../../core/test/store/contract.js"
import * as EmbeddedStore from "../src/EmbeddedStore.js"
import * as SqlStore from "../src/SqlStore.js"
import { serverInSchema } from "./support.js"

export const masterKeys: KeyProvider.MasterKeys = {
  current: "k1",
  keys: { k1: "c3RvcmUtc3FsIHRlc3QgbWFzdGVyIGtleSAxMjM0NTY=" }
}

storeContract("SqlStore on PGlite", () => EmbeddedStore.layer({ masterKeys }), { timeout: 60_000 })

storeContract(
  "SqlStore on PostgreSQL",
  () =>
    SqlStore.layerMigrated().pipe(
      Layer.provideMerge(serverInSchema("store_contract", { maxConnections: 4 })),
      Layer.provide(KeyProvider.layerStatic(masterKeys))
    ),
  { timeout: 60_000 }
)
