#!/usr/bin/env node
// Robustness benchmark: the property-based fuzz test (server/test/fuzz.test.ts) with 100,000
// in-process cases (plus its stdio part), instead of the 10,000 CI runs. --smoke: 500 cases.
// Prints the case count, the outcome and the wall time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './lsp-client.mjs';

const smoke = process.argv.includes('--smoke');
const runs = smoke ? 500 : 100_000;
const t0 = performance.now();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', path.join(REPO_ROOT, 'server/test/fuzz.test.ts')], {
  cwd: REPO_ROOT,
  env: { ...process.env, FUZZ_RUNS: String(runs) },
  encoding: 'utf8',
});
const seconds = (performance.now() - t0) / 1000;
if (r.status !== 0) process.stdout.write(r.stdout.slice(-4000) + r.stderr.slice(-4000));
console.log(`fuzz: ${runs} in-process cases + stdio cases: ${r.status === 0 ? 'all passed' : 'FAILED'} in ${seconds.toFixed(1)} s`);
process.exit(r.status === 0 ? 0 : 1);
