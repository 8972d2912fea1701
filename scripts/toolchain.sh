#!/usr/bin/env bash
# Brings the pinned Node.js and pnpm from the npm registry into a cache folder, then runs the given command
# with them first on PATH. Idempotent; no global install, no sudo. A machine that already has the pinned
# versions on PATH uses them as they are.
#
#   scripts/toolchain.sh pnpm install      # any command, under the pinned toolchain
#   eval "$(scripts/toolchain.sh --env)"   # put the toolchain on this shell's PATH
set -euo pipefail

NODE_VERSION=24.21.0
PNPM_VERSION=12.4.2
cache="${OPENRCM_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/openrcm/toolchain}/node-$NODE_VERSION-pnpm-$PNPM_VERSION"

have() { command -v "$1" >/dev/null 2>&1; }
system_ok() {
  have node && have pnpm &&
    [ "$(node --version 2>/dev/null)" = "v$NODE_VERSION" ] &&
    [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]
}

if ! system_ok; then
  if [ ! -x "$cache/node_modules/.bin/pnpm" ] || [ "$("$cache/node_modules/.bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    have npm || { echo "toolchain: npm is needed to bootstrap Node $NODE_VERSION (install Node.js >= 20)" >&2; exit 1; }
    echo "toolchain: installing node@$NODE_VERSION and pnpm@$PNPM_VERSION into $cache" >&2
    mkdir -p "$cache"
    # A throwaway package.json keeps npm from walking up into a workspace.
    [ -f "$cache/package.json" ] || echo '{"private":true}' >"$cache/package.json"
    npm install --prefix "$cache" --save-exact --no-audit --no-fund --loglevel=error \
      "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$cache/node_modules/.bin:$PATH"
  # Native addons build against this Node's headers, not the system Node's.
  for dir in "$cache"/node_modules/node/node_modules/node-*; do
    if [ -d "$dir/include" ]; then export npm_config_nodedir="$dir"; fi
  done
fi
# Never let a different pnpm try to switch itself.
export PNPM_CONFIG_PM_ON_FAIL=ignore

if [ "${1:-}" = "--env" ]; then
  printf 'export PATH=%q\nexport PNPM_CONFIG_PM_ON_FAIL=ignore\n' "$PATH"
  [ -n "${npm_config_nodedir:-}" ] && printf 'export npm_config_nodedir=%q\n' "$npm_config_nodedir"
  exit 0
fi
[ $# -gt 0 ] || { echo "usage: scripts/toolchain.sh <command> [args...] | --env" >&2; exit 2; }
exec "$@"
