// The CLI tests run the real `openrcm` binary, so they build it (and the core it imports) when the build is
// missing or older than a source file.
import { execFileSync } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"

const packages = join(import.meta.dirname, "..", "..")
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

export default function setup() {
  const bin = join(packages, "cli", "dist", "bin.js")
  let built = 0
  try {
    built = statSync(bin).mtimeMs
  } catch {}
  const sources = Math.max(
    ...["cli", "core", "x12", "store-sql", "clearinghouse-x12"].map((p) => newest(join(packages, p, "src")))
  )
  if (built < sources) {
    execFileSync("pnpm", ["--filter", "@openrcm/cli...", "run", "build"], { cwd: packages, stdio: "inherit" })
  }
}
