# Sourced by the scripts in this folder. Puts Node.js 22 and the committed
# Yarn release first on PATH, installing Node.js 22 from the npm registry's
# `node` package into .tools/ when the machine's Node.js is older.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo_root/.tools"

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$tools/node22/node_modules/.bin/node" ]; then
    echo "Installing Node.js 22 into .tools/node22 (the machine has $(node -v 2>/dev/null || echo none))"
    npm install --prefix "$tools/node22" --no-audit --no-fund node@22 >/dev/null
  fi
  os="$(uname -s | tr "[:upper:]" "[:lower:]")"
  node_pkg="$(ls -d "$tools/node22/node_modules/node/node_modules/node-$os-"*/ | head -n 1)"
  export PATH="${node_pkg}bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers.
  export npm_config_nodedir="${node_pkg%/}"
fi

mkdir -p "$tools/bin"
yarn_release="$(ls "$repo_root"/.yarn/releases/yarn-*.cjs | head -n 1)"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_release" > "$tools/bin/yarn"
chmod +x "$tools/bin/yarn"
export PATH="$tools/bin:$PATH"

if [ -z "${npm_config_nodedir:-}" ]; then
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi
