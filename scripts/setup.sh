#!/usr/bin/env bash
# One-time setup of a fresh machine: Node dependencies from the lockfile, and Debian's Chromium for the
# end-to-end tests (Playwright drives it; it cannot download a browser of its own here).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
else
  echo "Install Chromium (or set CHROMIUM_PATH to a Chromium/Chrome binary) to run the end-to-end tests." >&2
  exit 1
fi
