#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing. Browser tests never download a browser of their own.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0
echo "chromium: not found at $path; installing Debian's chromium" >&2
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium: cannot install without root; run 'apt-get install chromium' as root, or set CHROMIUM_PATH" >&2
  exit 1
fi
[ -x "$path" ] || { echo "chromium: installed, but $path is still missing; set CHROMIUM_PATH" >&2; exit 1; }
