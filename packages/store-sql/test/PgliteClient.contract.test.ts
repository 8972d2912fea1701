// The Store contract (packages/core/test/store) on SqlStore over PgliteClient: PGlite reached with no socket, as a
// browser reaches it, here in memory in this process. Transactions, savepoints, rollback and tenant switching go
// through the client's own transaction statements on PGlite's one session.
import { KeyProvider } from "@openrcm/core"
import { Layer } from "effect"
import { storeContract } from "../../core/test/store/contract.js"
import * as EmbeddedStore from "../src/EmbeddedStore.js"
import * as PgliteClient from "../src/PgliteClient.js"
import * as SqlStore from "../src/SqlStore.js"

const masterKeys: KeyProvider.MasterKeys = {
  current: "k1",
  keys: { k1: "cGdsaXRlIGNsaWVudCB0ZXN0IG1hc3RlciBrZXkgMTI=" }
}

storeContract(
  "SqlStore on PgliteClient (PGlite in memory, no socket)",
  () =>
    SqlStore.layerMigrated({ tenantRole: EmbeddedStore.tenantRole }).pipe(
      Layer.provideMerge(PgliteClient.layerFrom("memory://")),
      Layer.provide(KeyProvider.layerStatic(masterKeys))
    ),
  { timeout: 60_000 }
)
