import { defineConfig } from "tsup"

export default defineConfig({
  // One entry per module, so `@openrcm/core/Money` is its own file and bundlers shake the rest.
  entry: ["src/*.ts", "src/testing/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  treeshake: true
})
