import { defineConfig } from "vitest/config"
import { projects } from "./vitest.workspace.js"

export default defineConfig({
  test: {
    projects,
    // The JSON report is what .ci/run counts; `scripts/test-all.sh` asks for it.
    reporters: ["default"]
  }
})
