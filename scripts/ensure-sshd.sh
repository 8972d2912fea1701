#!/usr/bin/env bash
# Installs Debian's OpenSSH server when /usr/sbin/sshd is missing. The SFTP mailbox tests start their own sshd
# (as the current user, on a free port of 127.0.0.1, with a throwaway config and keys); nothing here starts
# or enables the system's ssh service. Idempotent.
set -euo pipefail
path="${SSHD_PATH:-/usr/sbin/sshd}"
[ -x "$path" ] && command -v ssh-keygen >/dev/null 2>&1 && exit 0
echo "sshd: not found at $path; installing Debian's openssh-server" >&2
# policy-rc.d exit 101 keeps the package's postinst from starting the system's sshd on port 22.
install_pkg() {
  local policy=/usr/sbin/policy-rc.d created=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1
  fi
  local status=0
  apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client \
      >/dev/null || status=$?
  [ -n "$created" ] && rm -f "$policy"
  return $status
}
if [ "$(id -u)" = 0 ]; then
  install_pkg
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo bash -c "$(declare -f install_pkg); install_pkg"
else
  echo "sshd: cannot install without root; run 'apt-get install openssh-server' as root, or set SSHD_PATH" >&2
  exit 1
fi
[ -x "$path" ] || { echo "sshd: installed, but $path is still missing; set SSHD_PATH" >&2; exit 1; }
