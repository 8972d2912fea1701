// The Vite settings a page that runs BrowserStore needs (docs/store.md, "In a browser", lists them for apps).
import type { InlineConfig } from "vite"

export const browserStoreVite = (root: string): InlineConfig => ({
  root,
  // The harness runs the packages' sources, as the playground does.
  resolve: { conditions: ["@openrcm/source", "module", "browser", "development|production"] },
  // PGlite finds its WASM and data files beside its own module: the dev server's pre-bundling would move it.
  optimizeDeps: { exclude: ["@electric-sql/pglite"] }
})
