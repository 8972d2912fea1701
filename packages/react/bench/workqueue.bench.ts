// DenialWorkqueue in Chromium: first render, sort and filter with 100,000 rows virtualized, against the same table
// without virtualization at 5,000 rows, in the same run; plus scroll frames, and seeding + loading the demo practice
// with N denials through the in-memory store. Builds bench/page with Vite (from the packages' sources), serves it,
// and drives Debian's Chromium with playwright-core; every time is performance.now() inside the page.
//
//   pnpm bench                       (from packages/react, or the root: builds first)
//   node bench/workqueue.bench.ts --runs 3 --seed 100000

import { readFile } from "node:fs/promises"
import { createServer } from "node:http"
import { loadavg } from "node:os"
import { extname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import { build } from "vite"
import { chromiumArgs, chromiumPath } from "../../../scripts/chromium.ts"

const here = fileURLToPath(new URL(".", import.meta.url))
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index === -1 ? fallback : Number(process.argv[index + 1])
}
const runs = arg("runs", 3)
const seedCount = arg("seed", 0)

const outDir = join(here, ".page-dist")
await build({
  root: join(here, "page"),
  logLevel: "warn",
  resolve: { conditions: ["@openrcm/source", "module", "browser", "production"] },
  build: { outDir, emptyOutDir: true, minify: true, reportCompressedSize: false, chunkSizeWarningLimit: 10_000 }
})

const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" }
const server = createServer(async (request, response) => {
  const path = new URL(request.url ?? "/", "http://localhost").pathname
  const file = join(outDir, path === "/" ? "index.html" : path)
  try {
    const body = await readFile(file)
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" })
    response.end(body)
  } catch {
    response.writeHead(404).end()
  }
})
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const address = server.address()
const port = typeof address === "object" && address !== null ? address.port : 0

interface Timing {
  readonly rows: number
  readonly virtualize: boolean
  readonly renderedRows: number
  readonly firstRender: number
  readonly firstRenderPaint: number
  readonly sort: number
  readonly filter: number
  readonly scrollFrameMean: number | undefined
  readonly scrollFrameMax: number | undefined
  readonly idleFrameMean: number | undefined
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
const ms = (n: number | undefined) => (n === undefined ? "—" : `${n.toFixed(1)} ms`)
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  page.setDefaultTimeout(600_000)
  await page.goto(`http://127.0.0.1:${port}/`)
  await page.waitForFunction(() => "bench" in window)
  const results: Array<{ big: Timing; small: Timing }> = []
  // A warm-up pass (JIT, style) that is not counted.
  await page.evaluate(() => window.bench.run(2000, true))
  for (let i = 0; i < runs; i++) {
    const big = (await page.evaluate(() => window.bench.run(100_000, true))) as Timing
    const small = (await page.evaluate(() => window.bench.run(5_000, false))) as Timing
    results.push({ big, small })
  }
  console.log(`\nDenialWorkqueue in Chromium (${runs} runs; per run: 100,000 rows virtualized, then 5,000 rows not)`)
  console.log(
    `load average at the end: ${loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")} (a shared machine slows every figure)\n`
  )
  const rows = [
    ["first render (commit + layout)", "firstRender"],
    ["first render to next frame", "firstRenderPaint"],
    ["sort by amount (click → layout)", "sort"],
    ["filter by category (change → layout)", "filter"]
  ] as const
  console.log("| measure | 100k virtualized | 5k not virtualized | ratio 100k-virt ÷ 5k-plain |")
  console.log("|---|---|---|---|")
  for (const [label, key] of rows) {
    const big = results.map((r) => r.big[key])
    const small = results.map((r) => r.small[key])
    const ratios = results.map((r) => r.big[key] / r.small[key])
    const range = (values: ReadonlyArray<number>, f: (n: number) => string) =>
      `${f(Math.min(...values))} – ${f(Math.max(...values))}`
    console.log(`| ${label} | ${range(big, ms)} | ${range(small, ms)} | ${range(ratios, (n) => n.toFixed(2))} |`)
  }
  const r0 = results[0] as { big: Timing; small: Timing }
  console.log(
    `\nrows in the DOM: ${r0.big.renderedRows} (100k virtualized), ${r0.small.renderedRows} (5k not virtualized)`
  )
  for (const key of ["big", "small"] as const) {
    const label = key === "big" ? "100k virtualized" : "5k not virtualized (the browser alone scrolls)"
    console.log(
      `scroll, 60 frames of 150 px, ${label}: mean frame ${results.map((r) => ms(r[key].scrollFrameMean)).join(", ")}; ` +
        `worst ${results.map((r) => ms(r[key].scrollFrameMax)).join(", ")}; ` +
        `idle frame (nothing changing) ${results.map((r) => ms(r[key].idleFrameMean)).join(", ")}`
    )
  }
  if (seedCount > 0) {
    const seeded = (await page.evaluate((n) => window.bench.seed(n), seedCount)) as {
      count: number
      denials: number
      seed: number
      load: number
    }
    console.log(
      `\nseeded({ denials: ${seeded.count} }) in the browser: seeding the in-memory store ${ms(seeded.seed)}, ` +
        `loading the whole queue (${seeded.denials} denials, pages of 1,000) ${ms(seeded.load)}`
    )
  }
} finally {
  await browser.close()
  server.close()
}

declare global {
  interface Window {
    bench: {
      run: (count: number, virtualize: boolean) => Promise<Timing>
      seed: (count: number) => Promise<{ count: number; denials: number; seed: number; load: number }>
    }
  }
}
