// The Vite settings a page that runs BrowserStore needs (docs/store.md, "In a browser", lists them for apps).
import type { InlineConfig } from "vite"

export const browserStoreVite = (root: string): InlineConfig => ({
  root,
  // The harness runs the packages' sources, as the playground does.
  resolve: { conditions: ["@openrcm/source", "module", "browser", "development|production"] },
  // PGlite loads its WASM and data files next to its own module: pre-bundling would move the module away.
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  // PGlite's module uses top-level await.
  build: { target: "es2022" }
})
