/**
 * `asl-workbench test [files|dirs|globs] [--coverage] [--junit f] [--json f] …`
 *
 * Runs the cases of state machine test files (`*.asl-test.yaml` / `.json`, docs/testing.md)
 * on a pool of worker threads (one per core), prints each failure as a diff, and writes JUnit
 * XML, a JSON report and coverage (text table, JSON, lcov) when asked. With
 * `--from-mock-config` it writes a test file from a Step Functions Local mock config instead.
 * Exit 0 when every case passes, 1 when one fails, 2 for bad usage or invalid test files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { stringify } from 'yaml';
import { formatMismatches } from '../../asl/src/testing/compare';
import {
  coverageOf,
  coverageTable,
  emptyObservations,
  formatCoverage,
  lcovRecord,
  mergeObservations,
  type CoverageReport,
  type Observations,
} from '../../asl/src/testing/coverage';
import { testFileFromMockConfig } from '../../asl/src/testing/fromMockConfig';
import { TEST_FILE } from '../../asl/src/testing/testFile';
import type { CaseOutcome } from '../../runner/src/testing/runCase';
import { parseArgs } from './args';
import { expandArgs } from './glob';
import { writeOutput } from './machineFile';
import {
  loadSuite,
  runSuiteCase,
  sandboxS3,
  TEST_WORKER_FLAG,
  type CaseJob,
  type CaseReply,
  type Suite,
} from './testSuite';

const USAGE = `usage: asl-workbench test [files|dirs|globs|file#case] [options]
  (a directory means every *.asl-test.yaml / *.asl-test.json under it; default: .)
  (file.asl-test.yaml#name runs only the case "name" of that file; repeat it for more cases)
  --coverage               print state and transition coverage per machine
  --coverage-json <file>   write the coverage as JSON (implies --coverage)
  --coverage-lcov <file>   write the coverage as lcov, on the machine files' lines
  --junit <file>           write a JUnit XML report
  --json <file>            write a JSON report of every case
  --workers <n>            worker threads (default: one per core; 1 runs in this process)

  asl-workbench test --from-mock-config <mock-config.json> --machine <machine file>
                     [--name <machine name>] [--write <file.asl-test.yaml>]
  writes a test file with one case per test case of the mock config (stdout without --write)

exit: 0 every case passed, 1 a case failed, 2 bad usage or an invalid test file`;

/**
 * `file.asl-test.yaml#case name`: one case of a test file. The first `#` after a test file's
 * extension splits it, so a case name may hold `#` too.
 */
const CASE_ARG = /^(.*?\.asl-test\.(?:json|ya?ml))#(.+)$/is;

/** Cases each worker runs at once: mocked cases wait on timers and promises, not on the CPU. */
const CASES_IN_FLIGHT_PER_WORKER = 4;

interface FileResult {
  suite: Suite;
  outcomes: CaseOutcome[];
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    ['junit', 'json', 'coverage-json', 'coverage-lcov', 'workers', 'from-mock-config', 'machine', 'name', 'write'],
    ['coverage', 'help'],
  );
  const err = (s: string): boolean => process.stderr.write(s + '\n');
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.errors.length) return (err(`${args.errors.join('\n')}\n${USAGE}`), 2);
  const o = args.options;
  if (o['from-mock-config'] !== undefined) return importMockConfig(o, err);
  const workers = o.workers !== undefined ? Number(o.workers) : os.availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) return (err('--workers must be an integer >= 1'), 2);

  const positionals = args.positionals.length ? args.positionals : ['.'];
  const chosen = chosenCases(positionals);
  const { files, unmatched } = expandArgs(
    positionals.map((a) => CASE_ARG.exec(a)?.[1] ?? a),
    process.cwd(),
    TEST_FILE,
  );
  const testFiles = files.filter((f) => TEST_FILE.test(f));
  for (const f of files)
    if (!TEST_FILE.test(f)) err(`test: ${f} is not a test file (*.asl-test.yaml or *.asl-test.json)`);
  for (const u of unmatched) err(`test: no test files at ${u}`);
  if (!testFiles.length || unmatched.length || testFiles.length !== files.length) return 2;

  const suites: Suite[] = [];
  let invalid = false;
  for (const f of testFiles) {
    const loaded = loadSuite(f);
    if (loaded.ok) suites.push(loaded.suite);
    else {
      invalid = true;
      for (const p of loaded.problems)
        err(`${f}${p.line !== undefined ? `:${p.line + 1}:${(p.character ?? 0) + 1}` : ''}: ${p.message}`);
    }
  }
  if (invalid) return (err('test: invalid test files; no case was run'), 2);
  for (const suite of suites) {
    const names = chosen.get(path.resolve(suite.file));
    const known = new Set(suite.tests.cases.map((c) => c.name));
    const unknown = [...(names ?? [])].filter((n) => !known.has(n));
    if (!unknown.length) continue;
    invalid = true;
    const quoted = (list: Iterable<string>): string => [...list].map((n) => JSON.stringify(n)).join(', ');
    err(`test: ${rel(suite.file)} has no case ${quoted(unknown)}; its cases: ${quoted(known)}`);
  }
  if (invalid) return (err('test: unknown case names; no case was run'), 2);

  const started = Date.now();
  const sandboxes = suites.map(sandboxS3);
  let results: FileResult[];
  try {
    results = await runAll(suites, workers, chosen);
  } finally {
    for (const s of sandboxes) s?.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    process.stdout.write(`${rel(r.suite.file)}\n`);
    for (const c of r.outcomes) {
      if (c.passed) passed++;
      else failed++;
      process.stdout.write(`  ${c.passed ? '✔' : '✘'} ${c.name} (${c.durationMs} ms)\n`);
      if (!c.passed) process.stdout.write(formatMismatches(c.mismatches).join('\n') + '\n');
    }
  }
  process.stdout.write(
    `\n${passed + failed} cases in ${results.length} files: ${passed} passed, ${failed} failed (${seconds.toFixed(2)} s)\n`,
  );

  const wantCoverage =
    args.flags.has('coverage') || o['coverage-json'] !== undefined || o['coverage-lcov'] !== undefined;
  const coverage = wantCoverage ? coverageByMachine(results) : [];
  if (args.flags.has('coverage') || o['coverage-json'] !== undefined) {
    const lines = ['', 'coverage', ...coverageTable(coverage.map((c) => ({ label: c.label, report: c.report }))), ''];
    // the uncovered states and transitions of each machine that has some, at their lines
    for (const c of coverage) {
      const t = c.report.totals;
      if (t.statesCovered < t.states || t.transitionsCovered < t.transitions)
        lines.push('', ...formatCoverage(c.label, c.report));
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
  let ok = true;
  if (o['coverage-json'] !== undefined)
    ok &&= writeOutput('test', o['coverage-json'], JSON.stringify(coverageJson(coverage), null, 2) + '\n');
  if (o['coverage-lcov'] !== undefined)
    ok &&= writeOutput('test', o['coverage-lcov'], coverage.map((c) => lcovRecord(c.machineFile, c.report)).join(''));
  if (o.junit !== undefined) ok &&= writeOutput('test', o.junit, junit(results, seconds));
  if (o.json !== undefined)
    ok &&= writeOutput(
      'test',
      o.json,
      JSON.stringify(jsonReport(results, passed, failed, seconds, coverage), null, 2) + '\n',
    );
  if (!ok) return 2;
  return failed ? 1 : 0;
}

/**
 * The cases `file#case` arguments choose, by absolute test file; a file that another argument
 * names whole (itself, its directory, a glob) runs every case.
 */
function chosenCases(positionals: string[]): Map<string, Set<string>> {
  const chosen = new Map<string, Set<string>>();
  const whole: string[] = [];
  for (const a of positionals) {
    const m = CASE_ARG.exec(a);
    if (!m) whole.push(a);
    else {
      const file = path.resolve(m[1]!);
      chosen.set(file, (chosen.get(file) ?? new Set()).add(m[2]!));
    }
  }
  if (chosen.size && whole.length)
    for (const f of expandArgs(whole, process.cwd(), TEST_FILE).files) chosen.delete(path.resolve(f));
  return chosen;
}

function rel(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)) || file;
}

/**
 * Runs every case (of a file in `chosen`, the chosen ones) on `workers` lanes: this thread is
 * one, the others are worker threads. A worker takes jobs once it has loaded, so a short run is
 * not held up by worker start-up.
 */
async function runAll(suites: Suite[], workers: number, chosen: Map<string, Set<string>>): Promise<FileResult[]> {
  const results: FileResult[] = suites.map((suite) => ({ suite, outcomes: [] }));
  const jobs: CaseJob[] = [];
  suites.forEach((s) => {
    const names = chosen.get(path.resolve(s.file));
    s.tests.cases.forEach((c, index) => {
      if (!names || names.has(c.name)) jobs.push({ id: jobs.length, file: s.file, index, s3: s.config?.s3 });
    });
  });
  const outcomes: CaseOutcome[] = new Array(jobs.length);
  const fileOf = new Map(suites.map((s, i) => [s.file, i]));
  const suiteOf = (job: CaseJob): Suite => suites[fileOf.get(job.file)!]!;
  let next = 0;
  let answered = 0;
  let allAnswered!: () => void;
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  const answer = (job: CaseJob, outcome: CaseOutcome): void => {
    outcomes[job.id] = outcome;
    if (++answered === jobs.length) allAnswered();
  };
  const failed = (job: CaseJob, message: string): CaseOutcome => {
    const tc = suiteOf(job).tests.cases[job.index]!;
    return {
      name: tc.name,
      line: tc.line,
      passed: false,
      mismatches: [{ subject: 'run', at: '', note: message }],
      durationMs: 0,
      observations: emptyObservations(),
    };
  };
  const take = (): CaseJob | undefined => (next < jobs.length ? jobs[next++] : undefined);
  const pool = startWorkers(Math.min(workers, jobs.length) - 1, {
    take,
    answer: (id, reply) => answer(jobs[id]!, 'outcome' in reply ? reply.outcome : failed(jobs[id]!, reply.error)),
  });
  for (let job = take(); job; job = take()) answer(job, await runSuiteCase(suiteOf(job), job.index));
  if (jobs.length) await done;
  for (const w of pool) void w.terminate();
  for (const job of jobs) results[fileOf.get(job.file)!]!.outcomes.push(outcomes[job.id]!);
  return results;
}

/**
 * Starts `count` worker threads that `take` jobs (a few at a time each, once loaded) and
 * `answer` them; a worker that dies answers the jobs it held with its error.
 */
function startWorkers(
  count: number,
  queue: { take(): CaseJob | undefined; answer(id: number, reply: CaseReply): void },
): Worker[] {
  const pool: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const w = new Worker(process.argv[1]!, { workerData: { [TEST_WORKER_FLAG]: true } });
    const inFlight = new Set<number>();
    const feed = (): void => {
      while (inFlight.size < CASES_IN_FLIGHT_PER_WORKER) {
        const job = queue.take();
        if (!job) return;
        inFlight.add(job.id);
        w.postMessage(job);
      }
    };
    w.on('message', (reply: CaseReply | 'ready') => {
      if (reply !== 'ready') {
        inFlight.delete(reply.id);
        queue.answer(reply.id, reply);
      }
      feed();
    });
    const lost = (why: string): void => {
      for (const id of inFlight) queue.answer(id, { id, error: `the test worker ${why}` });
      inFlight.clear();
    };
    w.on('error', (e) => lost(`failed: ${e.message}`));
    // terminate() at the end finds nothing in flight; an exit before that loses its cases
    w.on('exit', (code) => lost(`exited (code ${code})`));
    pool.push(w);
  }
  return pool;
}

interface MachineCoverage {
  label: string;
  machineFile: string;
  report: CoverageReport;
}

/** Merges the observations of every case per machine and measures them against its model. */
function coverageByMachine(results: FileResult[]): MachineCoverage[] {
  const byMachine = new Map<string, { suite: Suite; obs: Observations }>();
  for (const r of results) {
    let entry = byMachine.get(r.suite.machineKey);
    if (!entry) byMachine.set(r.suite.machineKey, (entry = { suite: r.suite, obs: emptyObservations() }));
    for (const c of r.outcomes) mergeObservations(entry.obs, c.observations);
  }
  return [...byMachine.values()].map(({ suite, obs }) => ({
    label: rel(suite.machineFile) + (suite.tests.machine.logicalId ? `#${suite.tests.machine.logicalId}` : ''),
    machineFile: suite.machineFile,
    report: coverageOf(suite.analysis.model, obs, suite.positionAt),
  }));
}

function coverageJson(coverage: MachineCoverage[]): unknown {
  return coverage.map((c) => ({ machine: c.label, ...c.report }));
}

function jsonReport(
  results: FileResult[],
  passed: number,
  failed: number,
  seconds: number,
  coverage: MachineCoverage[],
): unknown {
  return {
    summary: { cases: passed + failed, passed, failed, seconds },
    files: results.map((r) => ({
      file: rel(r.suite.file),
      machine: rel(r.suite.machineFile),
      cases: r.outcomes.map(({ observations: _obs, ...c }) => c),
    })),
    ...(coverage.length ? { coverage: coverageJson(coverage) } : {}),
  };
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** JUnit XML: one testsuite per test file, one testcase per case, the diff in each failure. */
function junit(results: FileResult[], seconds: number): string {
  const total = results.reduce((n, r) => n + r.outcomes.length, 0);
  const failures = results.reduce((n, r) => n + r.outcomes.filter((c) => !c.passed).length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="asl-workbench test" tests="${total}" failures="${failures}" time="${seconds.toFixed(3)}">`,
  ];
  for (const r of results) {
    const file = rel(r.suite.file);
    const time = r.outcomes.reduce((t, c) => t + c.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${xml(file)}" tests="${r.outcomes.length}" failures="${r.outcomes.filter((c) => !c.passed).length}" time="${time.toFixed(3)}">`,
    );
    for (const c of r.outcomes) {
      const head = `    <testcase classname="${xml(file)}" name="${xml(c.name)}" file="${xml(file)}" line="${c.line + 1}" time="${(c.durationMs / 1000).toFixed(3)}"`;
      if (c.passed) out.push(`${head}/>`);
      else {
        const first = c.mismatches[0];
        const message = first
          ? `${first.subject}${first.at ? ` at ${first.at}` : ''}${first.note ? `: ${first.note}` : ''}`
          : 'failed';
        out.push(
          `${head}>`,
          `      <failure message="${xml(message)}">${xml(formatMismatches(c.mismatches, '').join('\n'))}</failure>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** `--from-mock-config`: the mock config's test cases as a test file. */
function importMockConfig(o: Record<string, string>, err: (s: string) => boolean): number {
  const machine = o.machine;
  if (!machine) return (err('test: --from-mock-config needs --machine <the machine file the cases are for>'), 2);
  let config: unknown;
  try {
    config = JSON.parse(fs.readFileSync(o['from-mock-config']!, 'utf8'));
  } catch (e) {
    return (err(`test: cannot read the mock config ${o['from-mock-config']}: ${(e as Error).message}`), 2);
  }
  const outDir = path.dirname(path.resolve(o.write ?? 'x'));
  const machinePath = path.relative(outDir, path.resolve(machine)).split(path.sep).join('/');
  const r = testFileFromMockConfig(config, machinePath, o.name);
  if (!r.ok) return (err(`test: ${r.error}`), 2);
  const text = stringify(r.value, { lineWidth: 0 });
  if (!writeOutput('test', o.write, text)) return 2;
  if (o.write) err(`test: wrote ${(r.value.cases as unknown[]).length} cases to ${o.write}`);
  return 0;
}
