// Runs the built `openrcm` binary, as a user would, and returns its exit code and output.
import { spawnSync } from "node:child_process"
import { join } from "node:path"

export const bin = join(import.meta.dirname, "..", "dist", "bin.js")

export const openrcmWithInput = (input: string | undefined, ...args: Array<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000, input: input ?? "" })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

export const openrcm = (...args: Array<string>) => openrcmWithInput(undefined, ...args)
