#!/usr/bin/env node
// `npm run bench`: runs every scripts/bench/*.mjs in turn and prints their figures.
// `--smoke` (CI) makes each one do a single small iteration; other flags are passed through.
// Usage: node scripts/bench.mjs [--smoke] [name filter...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const filters = args.filter((a) => !a.startsWith('--'));
const dir = path.join(root, 'scripts/bench');
// files starting with '_' are the benchmarks' libraries
const scripts = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && !f.startsWith('_'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();

if (!fs.existsSync(path.join(root, 'dist/server.js')) || !fs.existsSync(path.join(root, 'dist/cli.js'))) {
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}

const failed = [];
for (const f of scripts) {
  console.log(`\n=== bench: ${f} ${flags.join(' ')} ===`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(dir, f), ...flags], { cwd: root, stdio: 'inherit' });
  console.log(
    `--- ${f}: ${r.status === 0 ? 'done' : `FAILED (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (r.status !== 0) failed.push(f);
}
if (failed.length) {
  console.error(`\nbenchmarks that failed: ${failed.join(', ')}`);
  process.exit(1);
}
