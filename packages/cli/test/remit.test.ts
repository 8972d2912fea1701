// `openrcm remit post` on an embedded store: a real 835 from ../shared/fixtures/x12 (a Medicaid behavioral-health
// remittance), none of whose claims this practice billed: nothing crashes, the claims are reported unmatched,
// and posting the same file again is a duplicate that changes nothing.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Caller, Store } from "@openrcm/core"
import { EmbeddedStore } from "@openrcm/store-sql"
import { Effect, Layer } from "effect"
import { beforeAll, expect, it } from "vitest"
import { openrcm } from "./run.js"

const dir = mkdtempSync(join(tmpdir(), "openrcm-remit-"))
const data = join(dir, "data")
const tenant = "cli-remit"
const fixture = join(import.meta.dirname, "../../../../shared/fixtures/x12/835_oopfactory_ohio_adamh_bh_example1.x12")

beforeAll(async () => {
  // An empty store, created through the library so the folder and its key file exist.
  await Effect.flatMap(Store.Store, (store) => store.audit.verify()).pipe(
    Effect.provide(
      Layer.merge(
        EmbeddedStore.layer({ dataDir: data }),
        Caller.layer({ tenantId: tenant as never, actor: "test:seed", purpose: "operations" })
      )
    ),
    Effect.runPromise
  )
}, 60_000)

it("posts a real 835: unmatched claims reported (exit 2), and the same file again is a duplicate", () => {
  const first = openrcm("remit", "post", fixture, "--data", data, "--tenant", tenant)
  expect(first.stderr).not.toMatch(/Error|at /u)
  expect(first.code).toBe(2)
  const report = JSON.parse(first.stdout) as {
    remittances: Array<{ duplicate: boolean; unmatched: Array<unknown>; claimsMatched: number; traceNumber: string }>
  }
  expect(report.remittances.length).toBeGreaterThan(0)
  expect(report.remittances.every((r) => !r.duplicate && r.claimsMatched === 0 && r.unmatched.length > 0)).toBe(true)
  const again = JSON.parse(openrcm("remit", "post", fixture, "--data", data, "--tenant", tenant).stdout)
  expect(again.remittances.every((r: { duplicate: boolean }) => r.duplicate)).toBe(true)
}, 120_000)

it("refuses a file that is not X12, plainly", () => {
  const file = join(dir, "not.835")
  writeFileSync(file, "hello")
  const { code, stderr } = openrcm("remit", "post", file, "--data", data, "--tenant", tenant)
  expect(code).toBe(1)
  expect(stderr).toContain("not X12")
}, 60_000)
