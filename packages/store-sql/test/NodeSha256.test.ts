import { expect, it } from "@effect/vitest"
import { Audit, type Ids } from "@openrcm/core"
import { Effect } from "effect"
import * as NodeSha256 from "../src/NodeSha256.js"

it.effect("Node's SHA-256 chains the audit trail exactly as Web Crypto's does", () =>
  Effect.gen(function* () {
    const context = { tenantId: "t-1" as Ids.TenantId, actor: "user:1", purpose: "payment" as const, at: 5 }
    const entries = ["ümlaut", "plain", "日本"].map((entityId) => ({
      action: "claims.create",
      entity: "claim",
      entityId,
      outcome: "success" as const
    }))
    const web = yield* Audit.chain(Audit.emptyHead, context, entries)
    const node = yield* Audit.chain(Audit.emptyHead, context, entries, NodeSha256.sha256)
    expect(node).toEqual(web)
    expect(yield* Audit.verify(context.tenantId, web.events, web.head, NodeSha256.sha256)).toMatchObject({
      _tag: "Intact"
    })
  })
)
