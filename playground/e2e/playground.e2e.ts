// Builds the playground, serves the build, and looks at it in headless Chromium as a person would.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { build, type PreviewServer, preview } from "vite"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath } from "../../scripts/chromium.js"

const root = join(import.meta.dirname, "..")
const outDir = mkdtempSync(join(tmpdir(), "openrcm-playground-"))
let server: PreviewServer
let browser: Browser
let page: Page
const pageErrors: Array<string> = []

beforeAll(async () => {
  await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true } })
  server = await preview({ root, logLevel: "warn", build: { outDir }, preview: { port: 0, strictPort: false } })
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  page = await browser.newPage()
  page.on("pageerror", (error) => pageErrors.push(error.message))
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text())
  })
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) throw new Error("vite preview reported no local URL")
  await page.goto(url)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(outDir, { recursive: true, force: true })
})

describe("playground", () => {
  it("shows the practice and today's date of service from the runtime", async () => {
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("OpenRCM playground")
    const today = page.getByTestId("today")
    await today.getByText(/\d{4}-\d{2}-\d{2}/).waitFor()
    expect(await today.textContent()).toMatch(/^Today's date of service: \d{4}-\d{2}-\d{2}$/)
  })

  it("shows the fee schedule with amounts formatted by the kit", async () => {
    const table = page.getByRole("table", { name: "Default rates per service, before payer contracts" })
    const rows = table.getByRole("row")
    expect(await rows.count()).toBe(7)
    expect(await table.getByRole("row", { name: /90837/ }).textContent()).toContain("$180.00")
    expect(await table.getByRole("row", { name: /90853/ }).textContent()).toContain("$45.50")
    expect(await table.getByRole("row", { name: /One of each/ }).textContent()).toContain("$680.50")
  })

  it("renders without errors in the console", () => {
    expect(pageErrors).toEqual([])
  })
})
