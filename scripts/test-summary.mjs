#!/usr/bin/env node
// Prints "N passed, N failed" (", N skipped" when any) from vitest's JSON report across all projects, as the
// last line of the run. Exits non-zero when a test failed, when no test ran, or when there is no report.
import { readFileSync } from "node:fs"

const file = process.argv[2] ?? "reports/vitest.json"
let report
try {
  report = JSON.parse(readFileSync(file, "utf8"))
} catch {
  console.log(`no vitest report at ${file}`)
  console.log("0 passed, 1 failed")
  process.exit(1)
}
let passed = 0
let failed = 0
let skipped = 0
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    if (test.status === "passed") passed++
    else if (test.status === "failed") failed++
    else skipped++
  }
  // A file that failed to load has no assertion results: count it as a failure.
  if (suite.status === "failed" && (suite.assertionResults ?? []).length === 0) failed++
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
