#!/usr/bin/env bash
# README command #1: build and package the extension, then validate and run an example state
# machine through the CLI. With a reachable container engine the ECS task runs as real
# containers; without one, `run` falls back to the example's mock-config.json (and says so).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
example=${ASL_EXAMPLE:-examples/ecs-run-task-sync}

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "==> package the extension"
node scripts/package.mjs
echo "==> validate every example"
node dist/cli.js validate 'examples/**/*.asl.json' 'examples/**/*.asl.yaml'
# state machines held in templates: CloudFormation, SAM and CDK output
node dist/cli.js validate examples/cloudformation/template.yaml examples/sam/template.yaml 'examples/cdk/cdk.out/*.template.json'
# the example image is built locally (no registry needed) when an engine is reachable
bash scripts/setup-docker.sh --image-only || true
echo "==> run $example"
node dist/cli.js run "$example/state-machine.asl.json" --input "$example/input.json"
