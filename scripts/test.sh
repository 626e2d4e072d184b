#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with Node 20 (README command #2; .ci/run
# calls it). Installs what the tests need, builds, then runs every layer; the last line printed
# is the suite's summary "N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/setup-test-env.sh
echo "==> build"
node scripts/build.mjs
exec node scripts/run-tests.mjs --checks "$@"
