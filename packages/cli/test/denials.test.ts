// `openrcm denials list` on an embedded store seeded through the library: the queue in priority order, codes with
// their descriptions, and no note text (PHI).
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Caller, Store } from "@openrcm/core"
import { EmbeddedStore } from "@openrcm/store-sql"
import { Effect, Layer } from "effect"
import { beforeAll, expect, it } from "vitest"
import * as F from "../../core/test/store/fixtures.js"
import { openrcm } from "./run.js"

const data = join(mkdtempSync(join(tmpdir(), "openrcm-denials-")), "data")
const tenant = F.tenantId("cli-denials")
const note = "Called the payer about this denial for the patient"

beforeAll(async () => {
  await Effect.gen(function* () {
    const store = yield* Store.Store
    const claim = F.claim(tenant, { status: "denied" })
    yield* store.claims.create([claim])
    yield* store.denials.save(
      F.denial(tenant, { id: F.denialId("den-small"), claimId: claim.id, carc: "16", amount: 2500, priority: 10 })
    )
    yield* store.denials.save(
      F.denial(tenant, {
        id: F.denialId("den-large"),
        claimId: claim.id,
        carc: "197",
        amount: 18000,
        priority: 500,
        notes: [{ at: 1, actor: "user:1", text: note }]
      })
    )
  }).pipe(
    Effect.provide(
      Layer.merge(
        EmbeddedStore.layer({ dataDir: data }),
        Caller.layer({ tenantId: tenant, actor: "test:seed", purpose: "operations" })
      )
    ),
    Effect.runPromise
  )
}, 60_000)

it("lists the queue most urgent first, with code descriptions and without the notes' text", () => {
  const { code, stdout, stderr } = openrcm("denials", "list", "--data", data, "--tenant", tenant)
  expect(stderr).not.toContain("Error")
  expect(code).toBe(0)
  const report = JSON.parse(stdout) as {
    denials: Array<{ denialId: string; carc: string; carcDescription?: string; notes: number }>
  }
  expect(report.denials.map((d) => d.denialId)).toEqual(["den-large", "den-small"])
  expect(report.denials[0]?.carcDescription).toMatch(/authorization/iu)
  expect(report.denials[0]?.notes).toBe(1)
  expect(stdout).not.toContain(note)
  const limited = JSON.parse(openrcm("denials", "list", "--data", data, "--tenant", tenant, "--limit", "1").stdout)
  expect(limited.denials).toHaveLength(1)
  expect(typeof limited.next).toBe("string")
}, 60_000)

it("refuses an unknown status, naming the flag", () => {
  const { code, stderr } = openrcm("denials", "list", "--data", data, "--tenant", tenant, "--status", "lost")
  expect(code).toBe(1)
  expect(stderr).toContain("--status")
}, 60_000)
