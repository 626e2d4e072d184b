#!/usr/bin/env node
// Runs every test layer and ends with ONE closing line "N passed, M failed" (CI reads it).
//   unit + LSP + docker + browser tests: node:test over **/*.test.ts (tsx loader)
//   e2e in a real VS Code: e2e/run-ext-tests.mjs and e2e/run-ui-tests.mjs (code-server)
//   --checks: type-check, lint and the benchmark smoke run, each counted as one test
// Usage: node scripts/run-tests.mjs [--checks] [--only unit|e2e] [file filter substring...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'fixtures') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.test\.ts$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out;
}

const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
const add = (r, layer) => {
  totals.passed += r.passed; totals.failed += r.failed; totals.skipped += r.skipped ?? 0;
  for (const f of r.failures ?? []) totals.failures.push(`[${layer}] ${f}`);
};

/** Run one command as a check that counts as one test in the summary. */
function check(name, cmd, cmdArgs) {
  console.log(`\n=== check: ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✖'} check ${name} (${Date.now() - t0} ms)`);
  add(ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, failures: [`${name} exited ${r.status}`] }, 'check');
}

const npx = path.join(root, 'node_modules/.bin');
if (args.includes('--checks')) {
  for (const p of ['asl', 'server', 'runner', 'client']) check(`typecheck ${p}`, path.join(npx, 'tsc'), ['-p', p]);
  check('lint', path.join(npx, 'eslint'), ['--quiet', 'asl', 'server', 'runner', 'client', 'scripts', 'e2e']);
}

if (only !== 'e2e') {
  let files = ['asl/test', 'server/test', 'runner/test', 'client/test'].flatMap((d) => walk(path.join(root, d)));
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  files.sort();
  if (files.length) {
    const summaryFile = path.join(os.tmpdir(), `asl-test-summary-${process.pid}.json`);
    const r = spawnSync(process.execPath, [
      '--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts/summary-reporter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
      ...files,
    ], { cwd: root, stdio: 'inherit', env: { ...process.env, ASL_REPO_ROOT: root } });
    let s = { passed: 0, failed: 1, failures: [`node --test exited ${r.status} without a summary`] };
    try { s = JSON.parse(fs.readFileSync(summaryFile, 'utf8')); } catch { /* keep failure */ }
    if (r.status !== 0 && s.failed === 0) s = { ...s, failed: 1, failures: [`node --test exited ${r.status}`] };
    fs.rmSync(summaryFile, { force: true });
    add(s, 'node:test');
  }
}

if (only !== 'unit' && !filters.length) {
  for (const runner of ['e2e/run-ext-tests.mjs', 'e2e/run-ui-tests.mjs']) {
    if (!fs.existsSync(path.join(root, runner))) continue;
    const resultFile = path.join(os.tmpdir(), `asl-e2e-${path.basename(runner)}-${process.pid}.json`);
    console.log(`\n=== ${runner} ===`);
    const r = spawnSync(process.execPath, [runner, '--results', resultFile], { cwd: root, stdio: 'inherit' });
    let s = { passed: 0, failed: 1, failures: [`${runner} exited ${r.status} without results`] };
    try { s = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* keep failure */ }
    if (r.status !== 0 && s.failed === 0) s = { ...s, failed: 1, failures: [`${runner} exited ${r.status}`] };
    fs.rmSync(resultFile, { force: true });
    add(s, path.basename(runner));
  }
}

if (args.includes('--checks') && fs.existsSync(path.join(root, 'scripts/bench.mjs'))) {
  check('benchmarks (smoke run)', process.execPath, ['scripts/bench.mjs', '--smoke']);
}

if (totals.failures.length) {
  console.log('\nFailed tests:');
  for (const f of totals.failures) console.log(`  - ${f}`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
