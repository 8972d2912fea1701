import { version } from "react"
import { version as domVersion } from "react-dom"
import { expect, it } from "vitest"

// The react18 project runs every component test on React 18.3; this proves it really does.
it("runs on the React the project names", () => {
  const expected =
    (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.OPENRCM_REACT === "18"
      ? "18."
      : "19."
  expect(version.startsWith(expected)).toBe(true)
  expect(domVersion).toBe(version)
})
