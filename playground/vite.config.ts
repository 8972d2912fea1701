import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"

export default defineConfig({
  plugins: [react()],
  // The playground runs the packages' sources, so a change shows without rebuilding them.
  resolve: { conditions: ["@openrcm/source", "module", "browser", "development|production"] },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { outDir: "dist", sourcemap: true }
})
