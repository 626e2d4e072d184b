#!/usr/bin/env bash
# Installs every tool the test suite needs, idempotently (a second run takes seconds):
#   - Debian packages: awscli (real AWS CLI against the callback endpoint), busybox-static
#   - a running Docker engine + the locally built test image      (scripts/setup-docker.sh)
#   - code-server (real VS Code 1.100.3) + Chromium for e2e tests (e2e/install-vscode.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need=()
for p in awscli busybox-static; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-test-env: missing Debian packages ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bash scripts/setup-docker.sh
bash e2e/install-vscode.sh
