import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/*.ts", "src/*.tsx"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "browser",
  splitting: true,
  treeshake: true,
  external: [
    "react",
    "react-dom",
    "effect",
    "@openrcm/core",
    "@tanstack/react-table",
    "@tanstack/react-virtual",
    "@radix-ui/react-dialog"
  ]
})
