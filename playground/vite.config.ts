import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

export default defineConfig({
  plugins: [react()],
  // The playground runs the packages' sources, so a change shows without rebuilding them.
  resolve: { conditions: ["@openrcm/source", "module", "browser", "development|production"] },
  // PGlite finds its WASM and data files beside its own module, which the dev server's pre-bundling would move.
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { outDir: "dist", sourcemap: true }
})
