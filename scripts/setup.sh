#!/usr/bin/env bash
# One-time setup of a fresh machine, for the app (`setup.sh app`) or for the tests too (`setup.sh`):
# - Node 24 LTS: the system's when it is new enough, else the registry's node-linux-<arch> package
#   (it ships the binary inside the package, so no download from outside the npm registry) in .tools/;
# - Node dependencies from the lockfile, native modules built against that Node's own headers;
# - Debian's Chromium for the end-to-end tests (Playwright cannot download a browser of its own here).
# Run everything afterwards through scripts/use-node (it puts the same Node first on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh
if ! project_node_ok; then
  install_project_node
  source scripts/node-env.sh
fi
echo "Node $(node --version) ($(command -v node))"

npm ci

[ "$purpose" = "app" ] && exit 0
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
