#!/usr/bin/env bash
# Installs every tool the test suite needs, idempotently (a second run takes seconds). Each step
# looks for the program the tests run, not for a package name:
#   - /usr/bin/aws (the real AWS CLI the tests call against the callback endpoint): Debian's awscli
#   - a running Docker engine (dockerd) + the locally built test image   (scripts/setup-docker.sh)
#   - code-server (real VS Code 1.100.3) + Chromium for e2e tests        (e2e/install-vscode.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x /usr/bin/aws ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-test-env: the AWS CLI (/usr/bin/aws) is missing; run as root or install it: apt-get install awscli" >&2
    exit 1
  fi
  echo "==> apt-get install awscli"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends awscli >/dev/null
fi

bash scripts/setup-docker.sh
bash e2e/install-vscode.sh
