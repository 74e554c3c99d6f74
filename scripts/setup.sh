#!/usr/bin/env bash
# Installs whatever tiaojie needs that is missing: Debian packages from
# scripts/packages.txt (through apt-get) and the web UI's npm packages (npm ci).
# Safe to run again: it does nothing when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

missing=()
while read -r pkg; do
  case "$pkg" in ''|'#'*) continue ;; esac
  # nodejs/npm may come from elsewhere (nodesource, nvm): a working node >= 18 is enough.
  if [ "$pkg" = nodejs ] || [ "$pkg" = npm ]; then
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then continue; fi
  fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done < scripts/packages.txt

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Web UI dependencies: reinstall when package-lock.json changed since the last install.
if [ -f web/package.json ]; then
  stamp=web/node_modules/.tiaojie-lock
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "setup: installing web UI npm packages"
    # `npm install` rather than `npm ci`: the lock file is written without registry
    # addresses, and npm then records only this platform's optional packages (rollup's
    # native builds), which `npm ci` rejects as "missing from lock file". With a lock
    # present, `npm install` installs exactly the locked versions and leaves it as is.
    (cd web && npm install --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
fi
