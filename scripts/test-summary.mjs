#!/usr/bin/env node
// Prints "N passed, N failed" (", N skipped" when any) from vitest's JSON reports (one per run) across all
// projects, as the last line of the run. Exits non-zero when a test failed, when no test ran, or when a report is
// missing.
import { readFileSync } from "node:fs"

const files = process.argv.length > 2 ? process.argv.slice(2) : ["reports/vitest.json"]
const reports = []
for (const file of files) {
  try {
    reports.push(JSON.parse(readFileSync(file, "utf8")))
  } catch {
    console.log(`no vitest report at ${file}`)
    console.log("0 passed, 1 failed")
    process.exit(1)
  }
}
let passed = 0
let failed = 0
let skipped = 0
for (const suite of reports.flatMap((report) => report.testResults ?? [])) {
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
