// browser-store.ts, run in Node: a folder stands in for IndexedDB and a Map for localStorage (the same code runs in
// Chromium in packages/store-sql/test/browser).
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, it } from "@effect/vitest"
import type * as BrowserStore from "@openrcm/store-sql/BrowserStore"
import { openStore, reset, visit } from "./browser-store.js"

it("browser-store.ts: a first visit saves, a later one finds, a reset forgets", { timeout: 120_000 }, async () => {
  const folder = await mkdtemp(join(tmpdir(), "openrcm-docs-browser-"))
  const items = new Map<string, string>()
  const keyStorage: BrowserStore.KeyStorage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key)
  }
  const options = { dataDir: join(folder, "db"), keyStorage }
  try {
    const first = openStore(options)
    expect(await visit(first)).toBe("first visit: practice saved")
    await first.dispose()
    const later = openStore(options)
    expect(await visit(later)).toBe("welcome back, Jordan")
    await reset(later)
    expect(items.size).toBe(0)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
})
