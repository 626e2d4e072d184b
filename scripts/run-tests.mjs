#!/usr/bin/env node
// Runs every test layer and ends with ONE closing line "N passed, M failed" (CI reads it).
//   unit + LSP + docker + browser tests: node:test over **/*.test.ts (tsx loader)
//   e2e in a real VS Code (code-server): e2e/run-ext-tests.mjs, run-ui-tests.mjs,
//   run-ui-run-locally.mjs, run-ui-debug.mjs, run-ui-testing.mjs, run-ui-testing-untrusted.mjs,
//   run-ui-templates.mjs, run-ui-aws.mjs
//   and run-ui-typing.mjs
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
// marks every test process of this run (see leftoverCheck) and when the run began
const testRunId = `${process.pid}-${Date.now()}`;
const runStartedAt = Date.now();
let containerTestsRan = false;
const add = (r, layer) => {
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped ?? 0;
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
  for (const p of ['asl', 'server', 'runner', 'cli', 'client'])
    check(`typecheck ${p}`, path.join(npx, 'tsc'), ['-p', p]);
  // the same command as `npm run lint`: ESLint (layers included) and Prettier
  check('lint', 'npm', ['run', '--silent', 'lint']);
}

if (only !== 'e2e') {
  let files = ['asl/test', 'server/test', 'runner/test', 'cli/test', 'client/test', 'scripts/test-helpers'].flatMap(
    (d) => walk(path.join(root, d)),
  );
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  files.sort();
  if (files.length) {
    const summaryFile = path.join(os.tmpdir(), `asl-test-summary-${process.pid}.json`);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=2',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${path.join(root, 'scripts/summary-reporter.mjs')}`,
        `--test-reporter-destination=${summaryFile}`,
        ...files,
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, ASL_REPO_ROOT: root, ASL_TEST_RUN_ID: testRunId } },
    );
    containerTestsRan = files.some((f) => f.endsWith('.docker.test.ts'));
    let s = { passed: 0, failed: 1, failures: [`node --test exited ${r.status} without a summary`] };
    try {
      s = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    } catch {
      /* keep failure */
    }
    if (r.status !== 0 && s.failed === 0) s = { ...s, failed: 1, failures: [`node --test exited ${r.status}`] };
    fs.rmSync(summaryFile, { force: true });
    add(s, 'node:test');
  }
}

if (only !== 'unit' && !filters.length) {
  for (const runner of [
    'e2e/run-ext-tests.mjs',
    'e2e/run-ui-tests.mjs',
    'e2e/run-ui-run-locally.mjs',
    'e2e/run-ui-debug.mjs',
    'e2e/run-ui-testing.mjs',
    'e2e/run-ui-testing-untrusted.mjs',
    'e2e/run-ui-templates.mjs',
    'e2e/run-ui-aws.mjs',
    'e2e/run-ui-typing.mjs',
  ]) {
    const resultFile = path.join(os.tmpdir(), `asl-e2e-${path.basename(runner)}-${process.pid}.json`);
    console.log(`\n=== ${runner} ===`);
    const r = spawnSync(process.execPath, [runner, '--results', resultFile], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ASL_TEST_RUN_ID: testRunId },
    });
    containerTestsRan = true;
    let s = { passed: 0, failed: 1, failures: [`${runner} exited ${r.status} without results`] };
    try {
      s = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    } catch {
      /* keep failure */
    }
    if (r.status !== 0 && s.failed === 0) s = { ...s, failed: 1, failures: [`${runner} exited ${r.status}`] };
    fs.rmSync(resultFile, { force: true });
    add(s, path.basename(runner));
  }
}

/**
 * "After the whole suite no container or network with the project's labels remains":
 * one test, run after every test process has ended. Each Docker test file also asserts its own
 * objects in an `after` hook; this catches what escapes those (e.g. a child CLI's containers).
 * Scope: objects labelled dev.asl-workbench.managed=true created since this run began, except
 * those whose runner process is still alive and is not part of this run (another person's local
 * run on a shared engine). The test set-up starts the engine, so an engine that does not answer
 * fails the check.
 */
function leftoverCheck() {
  const name = 'no leftover containers/networks (dev.asl-workbench.managed=true)';
  console.log(`\n=== check: ${name} ===`);
  const docker = (argv) => spawnSync('docker', argv, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (docker(['info', '--format', '{{.ID}}']).status !== 0) {
    console.log(`✖ check ${name}: no container engine answers \`docker info\``);
    add({ passed: 0, failed: 1, failures: [`${name}: no container engine answers`] }, 'check');
    return;
  }
  const label = 'label=dev.asl-workbench.managed=true';
  const inspect = (kind, ids) => {
    if (!ids.length) return [];
    const r = docker([kind, 'inspect', '--format', '{{json .}}', ...ids]);
    // an object removed between the listing and the inspection is simply gone
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
  const ids = (argv) => docker(argv).stdout.split('\n').filter(Boolean);
  const objects = [
    ...inspect('container', ids(['ps', '-aq', '--no-trunc', '--filter', label])).map((c) => ({
      what: `container ${c.Name.replace(/^\//, '')}`,
      created: c.Created,
      labels: c.Config?.Labels ?? {},
    })),
    ...inspect('network', ids(['network', 'ls', '-q', '--no-trunc', '--filter', label])).map((n) => ({
      what: `network ${n.Name}`,
      created: n.Created,
      labels: n.Labels ?? {},
    })),
  ];
  const foreignAndAlive = (labels) => {
    const pid = Number(labels['dev.asl-workbench.runner-pid']);
    if (labels['dev.asl-workbench.runner-host'] !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if (e.code === 'ESRCH') return false; // the runner is gone: its objects count as ours
    }
    let stat = '';
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return false;
    }
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false; // a zombie: killed, waiting to be reaped
    try {
      // alive: ours only when it carries this run's marker (a child a test forgot to end)
      return !fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`ASL_TEST_RUN_ID=${testRunId}`);
    } catch {
      return true; // alive and not readable: someone else's process
    }
  };
  const left = objects.filter((o) => Date.parse(o.created) >= runStartedAt - 2000 && !foreignAndAlive(o.labels));
  for (const o of left)
    console.log(
      `  left: ${o.what} (execution ${o.labels['dev.asl-workbench.execution'] ?? '?'}, runner pid ${o.labels['dev.asl-workbench.runner-pid'] ?? '?'})`,
    );
  console.log(`${left.length ? '✖' : '✔'} check ${name}`);
  add(
    left.length
      ? { passed: 0, failed: 1, failures: [`${name}: ${left.map((o) => o.what).join(', ')}`] }
      : { passed: 1, failed: 0 },
    'check',
  );
}
if (containerTestsRan) leftoverCheck();

if (args.includes('--checks')) {
  check('benchmarks (smoke run)', process.execPath, ['scripts/bench.mjs', '--smoke']);
}

if (totals.failures.length) {
  console.log('\nFailed tests:');
  for (const f of totals.failures) console.log(`  - ${f}`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
