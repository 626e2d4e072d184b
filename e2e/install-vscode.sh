#!/usr/bin/env bash
# Installs the real VS Code used by the end-to-end tests: code-server (the VS Code server, the
# web workbench and the Node extension host, from npm), plus Debian's Chromium and ripgrep.
# Needs only the npm registry and Debian's apt repositories. Safe to re-run: once everything
# is in place it only checks and exits.
#
#   bash e2e/install-vscode.sh
#
# Env: ASL_E2E_HOME   where to install (default: <repo>/.e2e, gitignored)
#      CS_VERSION     code-server version (default 4.100.3, the last release that runs on Node 20)
#
# playwright-core and @vscode/vsce are not installed here: they are devDependencies of the
# project and already in node_modules.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home=${ASL_E2E_HOME:-$repo/.e2e}
version=${CS_VERSION:-4.100.3}
cs_dir=$home/code-server
pkg=$cs_dir/node_modules/code-server
started=$SECONDS

# code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json); its
# postinstall wants this asset (VERSION constant in @vscode/ripgrep/lib/postinstall.js).
# Both must be re-read when the code-server version changes.
ripgrep_pkg=1.15.11
ripgrep_asset=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

# Even `code-server --version` writes ~/.config/code-server; keep all of it under $home.
export XDG_CONFIG_HOME=$home/xdg/config XDG_DATA_HOME=$home/xdg/data XDG_CACHE_HOME=$home/xdg/cache

say() { printf '[install-vscode] %s\n' "$*"; }

complete() {
  [[ "$(node -p "require('$pkg/package.json').version" 2>/dev/null)" == "$version" ]] &&
  [[ -x $pkg/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]] &&
  [[ -L $pkg/lib/vscode/node_modules.asar ]] &&
  [[ -d $pkg/lib/vscode/extensions/node_modules/typescript ]] &&
  [[ -e $pkg/lib/vscode/node_modules/node-pty/build/Release/pty.node ]]
}

# --- Debian packages, each only when what it provides is missing: the browser binary the tests
# drive (e2e/lib.mjs reads $CHROMIUM), and, while code-server still has to be built, Debian's rg
# (replaces ripgrep's GitHub download) and the toolchain and headers of its native modules
# (node-pty, kerberos, spdlog, ...). Fonts and headers have no program to look for: their
# packages are checked.
chromium=${CHROMIUM:-/usr/bin/chromium}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
have() { command -v "$1" >/dev/null 2>&1; }
absent=()
if [[ ! -x $chromium ]]; then
  [[ -z ${CHROMIUM:-} ]] || { say "CHROMIUM=$CHROMIUM is not an executable" >&2; exit 1; }
  absent+=(chromium)
fi
installed fonts-liberation || absent+=(fonts-liberation)
if ! complete; then
  [[ -x /usr/bin/rg ]] || absent+=(ripgrep)
  { have make && have g++; } || absent+=(build-essential)
  have python3 || absent+=(python3)
  have pkg-config || absent+=(pkg-config)
  for p in libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev; do installed "$p" || absent+=("$p"); done
fi
if ((${#absent[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    say "missing Debian packages: ${absent[*]} — run as root, or: apt-get install --no-install-recommends ${absent[*]}" >&2
    exit 1
  fi
  say "apt-get install ${absent[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${absent[@]}" >/dev/null
fi

if complete; then
  say "code-server $version already installed in $cs_dir"
else
  # @vscode/ripgrep's postinstall uses a tarball found in $(os.tmpdir())/vscode-ripgrep-cache-<v>/
  # before trying GitHub: put Debian's rg (same 13.0.0) there, in a private TMPDIR.
  export TMPDIR=$home/tmp
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg"
  tar -czf "$TMPDIR/vscode-ripgrep-cache-$ripgrep_pkg/$ripgrep_asset" -C /usr/bin rg

  # A half-finished earlier install would look up to date to npm and skip postinstall.
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  echo '{ "name": "asl-workbench-e2e-host", "private": true }' > "$cs_dir/package.json"

  # node-pty's install runs `npx node-gyp`, which must not prompt; code-server's postinstall
  # refuses to run as root unless unsafe_perm is set; node-gyp must use the local headers
  # instead of downloading them from nodejs.org.
  export npm_config_yes=true npm_config_unsafe_perm=true
  if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/node.h ]]; then
    export npm_config_nodedir=/usr
  fi
  say "npm install code-server@$version (native modules build from source, about a minute)"
  (cd "$cs_dir" && npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$version")
  complete || { say "code-server install is incomplete" >&2; exit 1; }
fi

for m in playwright-core @vscode/vsce; do
  [[ -d $repo/node_modules/$m ]] || say "warning: $m missing from node_modules (it is a devDependency; run npm ci)"
done
say "ready: code-server $(node -p "require('$pkg/package.json').version") in $((SECONDS - started)) s"
