import { defineConfig } from "tsup"

export default defineConfig({
  // One entry per module: `Migrations` and `Tenancy` stay browser-safe; only `Embedded` and `Server` reach Node.
  entry: ["src/*.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "node",
  splitting: true,
  treeshake: true
})
