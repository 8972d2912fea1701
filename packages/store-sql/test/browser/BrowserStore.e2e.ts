// BrowserStore in headless Chromium: the harness page (page.ts) built by Vite as an app would build it, served,
// and driven through `window.storeHarness`. A patient written with PHI sealed by Web Crypto survives a reload,
// and a reset deletes the IndexedDB database and the kept keys.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { build, type PreviewServer, preview } from "vite"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../../../scripts/chromium.js"
import { browserStoreVite } from "./vite.js"

const root = import.meta.dirname
const outDir = mkdtempSync(join(tmpdir(), "openrcm-browser-store-"))
let server: PreviewServer
let browser: Browser
let page: Page
const pageErrors: Array<string> = []

type Harness = Window["storeHarness"]
const call = <K extends keyof Harness>(name: K): Promise<Awaited<ReturnType<Harness[K]>>> =>
  page.evaluate((n) => (window.storeHarness[n] as () => Promise<never>)(), name)

const ready = async () => {
  await page.getByText("ready").waitFor()
  await call("open")
}

beforeAll(async () => {
  const config = browserStoreVite(root)
  await build({ ...config, logLevel: "warn", build: { ...config.build, outDir, emptyOutDir: true } })
  server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port: 0, strictPort: false } })
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  page = await browser.newPage()
  page.on("pageerror", (error) => pageErrors.push(error.message))
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(`${message.text()} ${message.location().url}`)
  })
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) throw new Error("vite preview reported no local URL")
  await page.goto(url)
  await ready()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(outDir, { recursive: true, force: true })
})

describe("BrowserStore in Chromium", () => {
  it("starts empty, with its database in IndexedDB and a master key kept beside it", async () => {
    expect(await call("read")).toBeNull()
    expect(await call("databases")).toContain("/pglite/openrcm-store-harness")
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
    await page.reload()
    await ready()
    expect(await call("read")).toBe("Zephyrina Quillfeather 1987-04-23")
  })

  it("reset deletes the database and the keys: the patient is gone, after a reload too", async () => {
    await call("reset")
    expect(await call("keptKeys")).toBe(false)
    expect(await call("databases")).not.toContain("/pglite/openrcm-store-harness")
    await page.reload()
    await ready()
    expect(await call("read")).toBeNull()
    expect(await call("raw")).toBe("")
  })

  it("logs no errors in the page", () => {
    expect(pageErrors).toEqual([])
  })
})
