#!/usr/bin/env node
// `npm run bench`: runs every benchmark in scripts/bench/*.mjs in turn (library modules such
// as lsp-client.mjs are skipped), passing through --smoke (one small iteration, for CI).
// Benchmarks print figures; they never fail on timings. Exit status: 1 if a benchmark crashed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'scripts/bench');
const LIBRARIES = new Set(['lsp-client.mjs']);
const passThrough = process.argv.slice(2);
const only = passThrough.filter((a) => !a.startsWith('--'));
const flags = passThrough.filter((a) => a.startsWith('--'));

// every benchmark measures the built bundles
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

let failed = 0;
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mjs') && !LIBRARIES.has(f) && !f.startsWith('_')).sort() : [];
for (const f of files) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n=== bench: ${f} ${flags.join(' ')} ===`);
  const r = spawnSync(process.execPath, [path.join(dir, f), ...flags], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`bench ${f} exited with ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
