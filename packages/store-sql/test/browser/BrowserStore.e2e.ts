// BrowserStore in headless Chromium: the harness page (page.ts) served by Vite as an app is served, built and
// previewed or by the dev server (PGlite excluded from pre-bundling), each in a fresh browser context, on the
// origin-private file system (the default) and on IndexedDB, driven through `window.storeHarness`. A patient
// written with PHI sealed by Web Crypto survives a reload, and a reset deletes the database and the kept keys.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { build, createServer, preview } from "vite"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../../../scripts/chromium.js"
import { browserStoreVite } from "./vite.js"

const root = import.meta.dirname
let browser: Browser

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
})

afterAll(async () => {
  await browser?.close()
})

interface Served {
  readonly url: string
  readonly close: () => Promise<void>
}

const servedBuild = async (): Promise<Served> => {
  const outDir = mkdtempSync(join(tmpdir(), "openrcm-browser-store-"))
  const config = browserStoreVite(root)
  await build({ ...config, logLevel: "warn", build: { ...config.build, outDir, emptyOutDir: true } })
  const server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port: 0, strictPort: false } })
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) throw new Error("vite preview reported no local URL")
  return {
    url,
    close: async () => {
      await server.close()
      rmSync(outDir, { recursive: true, force: true })
    }
  }
}

const servedDev = async (): Promise<Served> => {
  const server = await createServer({
    ...browserStoreVite(root),
    logLevel: "warn",
    // No watcher and no HMR: other work in the tree must not reload the page mid-test.
    server: { host: "127.0.0.1", port: 0, strictPort: false, watch: null, hmr: false }
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) throw new Error("vite dev server reported no local URL")
  return { url, close: () => server.close() }
}

describe.each([
  ["on OPFS (the default), served as a production build", servedBuild, "", "opfs:openrcm-store-harness"],
  ["on OPFS (the default), served by the dev server", servedDev, "", "opfs:openrcm-store-harness"],
  [
    "in IndexedDB, served as a production build",
    servedBuild,
    "?dir=idb://openrcm-store-harness",
    "/pglite/openrcm-store-harness"
  ]
])("BrowserStore in Chromium, %s", (_, serve, query, storedAs) => {
  let served: Served
  let page: Page
  const pageErrors: Array<string> = []
  let step = "start"

  type Harness = Window["storeHarness"]
  const call = <K extends keyof Harness>(name: K): Promise<Awaited<ReturnType<Harness[K]>>> =>
    page.evaluate((n) => (window.storeHarness[n] as () => Promise<never>)(), name)

  const ready = async () => {
    await page.getByText("ready").waitFor({ timeout: 60_000 })
    await call("open")
  }

  beforeEach((context) => {
    step = context.task.name
  })

  beforeAll(async () => {
    served = await serve()
    // A context of its own: its own IndexedDB and localStorage.
    const context = await browser.newContext()
    page = await context.newPage()
    page.on("pageerror", (error) => pageErrors.push(`${error.message} ${error.stack ?? ""} during: ${step}`))
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(`${message.text()} ${message.location().url}`)
    })
    await page.goto(`${served.url}${query}`)
    await ready()
  })

  afterAll(async () => {
    await page?.context().close()
    await served?.close()
  })

  it("starts empty, with its database in the browser's storage and a master key kept beside it", async () => {
    expect(await call("read")).toBeNull()
    expect(await call("stored")).toContain(storedAs)
    expect(await call("keptKeys")).toBe(true)
  })

  it("writes a patient whose PHI is sealed in the table", async () => {
    await call("write")
    expect(await call("read")).toBe("Zephyrina Quillfeather 1987-04-23")
    const raw = await call("raw")
    expect(raw).toContain("pat-browser-1")
    for (const phi of ["Zephyrina", "Quillfeather", "1987-04-23", "Larkspur", "555-0147"])
      expect(raw).not.toContain(phi)
  })

  it("reads the patient back after a reload", async () => {
    // Written to storage a moment after the change: flush waits for it, as a page does before saying "saved".
    await call("flush")
    await page.reload()
    await ready()
    expect(await call("read")).toBe("Zephyrina Quillfeather 1987-04-23")
  })

  it("reset deletes the database and the keys: the patient is gone, after a reload too", async () => {
    await call("reset")
    expect(await call("keptKeys")).toBe(false)
    expect(await call("stored")).not.toContain(storedAs)
    await page.reload()
    await ready()
    expect(await call("read")).toBeNull()
    expect(await call("raw")).toBe("")
  })

  it("logs no errors in the page", () => {
    expect(pageErrors).toEqual([])
  })
})
