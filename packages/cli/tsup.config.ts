import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  dts: { entry: ["src/index.ts"] },
  sourcemap: true,
  clean: true,
  target: "node22",
  platform: "node",
  // The package's dependencies stay imports; the binary is the CLI's code only.
  skipNodeModulesBundle: true
})
