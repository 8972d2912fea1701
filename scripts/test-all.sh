#!/usr/bin/env bash
# Every check and test, in the order a clean machine needs them. Run through the toolchain: `./dev test`.
# Set-up steps stop the run at once; checks all run, so one run shows every problem. The last line is
# "N passed, N failed" from vitest's JSON report, and the exit code is non-zero when anything failed or no
# test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

step() {
  local name=$1
  shift
  echo "::: $name"
  local start=$SECONDS
  if "$@"; then
    echo "::: $name ok ($((SECONDS - start)) s)"
  else
    echo "::: $name FAILED ($((SECONDS - start)) s)"
    return 1
  fi
}

step install pnpm install --frozen-lockfile || exit 1
step chromium scripts/ensure-chromium.sh || exit 1
step postgres scripts/ensure-postgres.sh || exit 1
step sshd scripts/ensure-sshd.sh || exit 1
step build pnpm run build || exit 1

failed=()
step typecheck pnpm run typecheck || failed+=(typecheck)
step lint pnpm run lint || failed+=(lint)
step changesets pnpm exec changeset status || failed+=(changesets)
step storybook-build pnpm run storybook:build || failed+=(storybook-build)

mkdir -p reports
rm -f reports/vitest.json reports/vitest-e2e.json
# The end-to-end projects (a whole app in Chromium on PGlite in the page) run after the rest, alone, so their
# timing does not hang on the other projects' load (see vitest.workspace.ts).
step tests env OPENRCM_TEST_GROUP=main pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile.json=reports/vitest.json || failed+=(tests)
step end-to-end-tests env OPENRCM_TEST_GROUP=end-to-end pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile.json=reports/vitest-e2e.json || failed+=(end-to-end-tests)

[ ${#failed[@]} -eq 0 ] || echo "::: failed steps: ${failed[*]}"
node scripts/test-summary.mjs reports/vitest.json reports/vitest-e2e.json
summary=$?
[ ${#failed[@]} -eq 0 ] && [ $summary -eq 0 ]
