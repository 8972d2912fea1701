// Packs @openrcm/core and @openrcm/react as they would be published, installs the tarballs into a fresh
// project from the local store, and type-checks a consumer against their built output; and @openrcm/x12 alone,
// in a project of its own with no other OpenRCM package, type-checked and run.
import { execFileSync, spawnSync } from "node:child_process"
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import rootPackage from "../../package.json" with { type: "json" }

const repo = join(import.meta.dirname, "..", "..")
const work = mkdtempSync(join(tmpdir(), "openrcm-consumer-"))
const alone = mkdtempSync(join(tmpdir(), "openrcm-x12-consumer-"))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  rmSync(alone, { recursive: true, force: true })
})

/** A consumer's strict tsconfig over one file. The DOM library: effect's declarations name web types (AbortSignal). */
const writeTsconfig = (dir: string, file: string, options: Record<string, unknown>) =>
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        lib: ["ES2022", "DOM"],
        ...options
      },
      include: [file]
    })
  )

const sh = (cwd: string, command: string, args: Array<string>) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

describe("a consumer of the built packages", () => {
  it("installs the packed tarballs and type-checks against their dist", () => {
    for (const pkg of ["core", "react"]) {
      sh(join(repo, "packages", pkg), "pnpm", ["pack", "--pack-destination", work])
    }
    const tarballs = readdirSync(work).filter((f) => f.endsWith(".tgz"))
    expect(tarballs).toHaveLength(2)
    const tarball = (name: string) => `file:./${tarballs.find((t) => t.startsWith(`openrcm-${name}-`))}`
    writeFileSync(
      join(work, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        dependencies: {
          "@openrcm/core": tarball("core"),
          "@openrcm/react": tarball("react"),
          effect: "4.1.0",
          react: "19.3.1",
          "react-dom": "19.3.1"
        },
        devDependencies: {
          "@types/react": "19.3.0",
          typescript: rootPackage.devDependencies.typescript
        }
      })
    )
    writeTsconfig(work, "consumer.tsx", { jsx: "react-jsx", types: [] })
    // @openrcm/react's dependency on @openrcm/core must resolve to the tarball too, not to the registry.
    writeFileSync(join(work, "pnpm-workspace.yaml"), `overrides:\n  "@openrcm/core": "${tarball("core")}"\n`)
    copyFileSync(join(import.meta.dirname, "consumer.tsx"), join(work, "consumer.tsx"))
    sh(work, "pnpm", ["install", "--offline"])
    // The published package carries no source condition, so this resolves dist/*.d.ts only.
    const packed = sh(work, "node", ["-e", "console.log(require.resolve('@openrcm/core/package.json'))"])
    expect(packed).toContain(join(work, "node_modules"))
    const tsc = spawnSync(join(work, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: work, encoding: "utf8" })
    expect(tsc.stdout + tsc.stderr).toBe("")
    expect(tsc.status).toBe(0)
  })

  it("installs @openrcm/x12 alone, with effect as its only dependency, and runs a program on it", () => {
    sh(join(repo, "packages", "x12"), "pnpm", ["pack", "--pack-destination", alone])
    const tarball = readdirSync(alone).find((f) => f.startsWith("openrcm-x12-") && f.endsWith(".tgz"))
    expect(tarball).toBeDefined()
    writeFileSync(
      join(alone, "package.json"),
      JSON.stringify({
        name: "x12-consumer",
        private: true,
        type: "module",
        dependencies: { "@openrcm/x12": `file:./${tarball}`, effect: "4.1.0" },
        devDependencies: {
          "@types/node": rootPackage.devDependencies["@types/node"],
          typescript: rootPackage.devDependencies.typescript
        }
      })
    )
    writeTsconfig(alone, "consumer-x12.ts", { types: ["node"] })
    copyFileSync(join(import.meta.dirname, "consumer-x12.ts"), join(alone, "consumer-x12.ts"))
    sh(alone, "pnpm", ["install", "--offline"])
    const installed = readdirSync(join(alone, "node_modules", "@openrcm"))
    expect(installed).toEqual(["x12"])
    const tsc = spawnSync(join(alone, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: alone, encoding: "utf8" })
    expect(tsc.stdout + tsc.stderr).toBe("")
    expect(tsc.status).toBe(0)
    // Node runs the TypeScript as it is (types stripped); the program reads an 835 and writes an 837P.
    const output = JSON.parse(sh(alone, process.execPath, ["consumer-x12.ts"]))
    expect(output).toEqual({ remittanceClaims: 1, paid: 9500, claims837: 3 })
  })
})
