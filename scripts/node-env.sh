# Sourced, not run: puts the project's Node first on PATH. The project runs on Node 24 LTS (.nvmrc);
# where the system's Node is older, scripts/setup.sh installs the registry's node-linux-<arch> package
# into .tools/node/, and native modules must then build against its headers (npm_config_nodedir).
# shellcheck shell=bash
LJD_NODE_MAJOR=24
LJD_NODE_VERSION=24.22.3
LJD_NODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node"

ljd_node_package() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "no Node package for $(uname -m)" >&2; return 1 ;;
  esac
  case "$(uname -s)" in
    Linux) echo "node-linux-$arch" ;;
    Darwin) echo "node-darwin-$arch" ;;
    *) echo "no Node package for $(uname -s)" >&2; return 1 ;;
  esac
}

project_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$LJD_NODE_MAJOR" ]
}

install_project_node() {
  local package
  package="$(ljd_node_package)"
  echo "System Node is $(node --version 2>/dev/null || echo missing); installing $package@$LJD_NODE_VERSION from the npm registry into .tools/node"
  npm install --no-save --no-package-lock --prefix "$LJD_NODE_DIR" "$package@$LJD_NODE_VERSION" >/dev/null
}

if [ -x "$LJD_NODE_DIR/node_modules/.bin/node" ]; then
  ljd_node_home="$(cd "$LJD_NODE_DIR/node_modules/$(ljd_node_package)" && pwd)"
  export PATH="$ljd_node_home/bin:$PATH"
  export npm_config_nodedir="$ljd_node_home"
fi
