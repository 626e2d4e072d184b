/**
 * `asl-workbench test`: the example test files pass with coverage; a broken expectation fails
 * with a diff and exit 1; invalid test files exit 2 before any case runs; JUnit, JSON and lcov
 * reports; a Step Functions Local mock config imported as a test file.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
/** tsx by its path: a run in a temporary folder finds no node_modules above it */
const TSX = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, path.join(root, 'cli/src/main.ts'), 'test', ...args],
      { cwd, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-test-cmd-'));
  temps.push(dir);
  return dir;
}

const runTaskMachine = path.join(root, 'examples/ecs-run-task-sync/state-machine.asl.json');

/** A test file next to a copy of the ecs-run-task-sync machine. */
function suite(cases: string): string {
  const dir = tempDir();
  fs.copyFileSync(runTaskMachine, path.join(dir, 'machine.asl.json'));
  fs.writeFileSync(path.join(dir, 'machine.asl-test.yaml'), `machine: machine.asl.json\ncases:\n${cases}`);
  return dir;
}

const STATE = 'Run an ECS Task and wait for it to complete';

describe('asl-workbench test', () => {
  it('passes every example test file and prints state and transition coverage', async () => {
    const r = await cli(['examples', '--coverage']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /examples\/eks-cluster-lifecycle\/state-machine\.asl-test\.yaml\n {2}✔ the cluster is created, used and torn down/,
    );
    assert.match(r.stdout, /\d+ cases in \d+ files: \d+ passed, 0 failed/);
    assert.match(r.stdout, /^machine +states +% +transitions +%$/m);
    assert.match(
      r.stdout,
      /^examples\/eks-cluster-lifecycle\/state-machine\.asl\.json +11\/11 +100\.0% +15\/15 +100\.0%$/m,
    );
    assert.match(r.stdout, /^examples\/ecs-fan-out-map\/state-machine\.asl\.json +8\/8 /m);
    // the example test files never write into the examples' S3 stand-in folders
    assert.ok(!fs.existsSync(path.join(root, 'examples/ecs-distributed-map/s3/orders-results')));
  });

  it('fails a broken expectation with a diff of expected and actual, and exit 1', async () => {
    const dir = suite(`  - name: wrong cluster and exit code
    input: { commands: [echo hi] }
    mocks:
      ${STATE}:
        Return: { Containers: [{ ExitCode: 0 }] }
    expect:
      outputPaths: { '$.Containers[0].ExitCode': 3 }
      path: [${STATE}, Next one]
      states:
        ${STATE}:
          parametersMatches:
            Cluster: arn:aws:ecs:us-east-1:123456789012:cluster/prod
            Overrides: { ContainerOverrides: [{ Name: worker, Command: [echo hi] }] }
`);
    const r = await cli([dir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✘ wrong cluster and exit code/);
    assert.ok(
      r.stdout.includes(
        ['    output at $.Containers[0].ExitCode', '      - expected 3', '      + actual   0'].join('\n'),
      ),
      r.stdout,
    );
    assert.ok(
      r.stdout.includes(
        [
          `    states.${STATE}.parameters at /Cluster`,
          '      - expected "arn:aws:ecs:us-east-1:123456789012:cluster/prod"',
          '      + actual   "arn:aws:ecs:us-east-1:123456789012:cluster/demo"',
        ].join('\n'),
      ),
      r.stdout,
    );
    assert.match(r.stdout, /path: differs from step 2: expected "Next one", ran nothing more/);
    assert.match(r.stdout, /1 cases in 1 files: 0 passed, 1 failed/);
  });

  it('fails a case that reaches a Task state without a mock, naming the state', async () => {
    const dir = suite(`  - name: no mocks\n    input: { commands: [] }\n`);
    const r = await cli([dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`states\\.${STATE}: reached without a mock \\(add it under "mocks"\\)`));
  });

  it('refuses invalid test files with their line and column, runs nothing and exits 2', async () => {
    const dir = suite(`  - name: bad\n    expect: { status: DONE, outputPaths: { a.b: 1 } }\n    mock: {}\n`);
    const r = await cli([dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /machine\.asl-test\.yaml:5:5: Unknown key "mock" in a test case; expected one of: name, input, mocks, expect\./,
    );
    assert.match(
      r.stderr,
      /machine\.asl-test\.yaml:4:23: "status" must be one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED\./,
    );
    assert.match(r.stderr, /no case was run/);
    assert.equal(r.stdout, '');
  });

  it('refuses a test file whose machine has errors, listing them, and exits 2', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'm.asl.json'),
      JSON.stringify({ StartAt: 'Nowhere', States: { A: { Type: 'Succeed' } } }),
    );
    fs.writeFileSync(path.join(dir, 'm.asl-test.yaml'), 'machine: m.asl.json\ncases:\n  - name: a\n');
    const r = await cli([dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /m\.asl-test\.yaml: the machine m\.asl\.json is invalid; .*\n(.*\n)*.*Nowhere/);
  });

  describe('file#case runs only the chosen cases', () => {
    const twoCases = (): string =>
      suite(`  - name: passes
    input: { commands: [a] }
    mocks: { ${STATE}: { Return: { ok: true } } }
  - name: "fails #1"
    input: { commands: [a] }
    mocks: { ${STATE}: { Return: { ok: true } } }
    expect: { status: FAILED }
  - name: passes too
    input: { commands: [a] }
    mocks: { ${STATE}: { Return: { ok: true } } }
`);
    /** stdout with the durations, which vary, as `#` */
    const timeless = (s: string): string => s.replace(/\(\d+ ms\)/g, '(# ms)').replace(/\([\d.]+ s\)/g, '(# s)');

    it('runs only the named case and exits 0 when it passes', async () => {
      const dir = twoCases();
      const r = await cli(['machine.asl-test.yaml#passes too'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        timeless(r.stdout),
        'machine.asl-test.yaml\n  ✔ passes too (# ms)\n\n1 cases in 1 files: 1 passed, 0 failed (# s)\n',
      );
    });

    it('runs every case named, in file order, a name with # included, and exits 1 when one fails', async () => {
      const dir = twoCases();
      const r = await cli(['machine.asl-test.yaml#passes too', 'machine.asl-test.yaml#fails #1'], dir);
      assert.equal(r.code, 1);
      assert.match(timeless(r.stdout), /^machine\.asl-test\.yaml\n {2}✘ fails #1 \(# ms\)\n/);
      assert.match(r.stdout, /\n {2}✔ passes too \(\d+ ms\)\n/);
      assert.doesNotMatch(r.stdout, /✔ passes \(/);
      assert.match(r.stdout, /2 cases in 1 files: 1 passed, 1 failed/);
    });

    it('runs the whole file when another argument names it whole', async () => {
      const dir = twoCases();
      const r = await cli(['machine.asl-test.yaml#passes', '.'], dir);
      assert.match(r.stdout, /3 cases in 1 files: 2 passed, 1 failed/);
    });

    it('refuses an unknown case name with exit 2, listing the cases of the file, and runs nothing', async () => {
      const dir = twoCases();
      const r = await cli(['machine.asl-test.yaml#passes', 'machine.asl-test.yaml#nope'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        'test: machine.asl-test.yaml has no case "nope"; its cases: "passes", "fails #1", "passes too"\n' +
          'test: unknown case names; no case was run\n',
      );
    });
  });

  it('exits 2 when an argument names no test file', async () => {
    const r = await cli([path.join(tempDir(), 'nothing-here')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /test: no test files at /);
  });

  it('writes JUnit XML, a JSON report and lcov on the machine file', async () => {
    const dir = suite(`  - name: passes
    input: { commands: [a] }
    mocks: { ${STATE}: { Return: { ok: true } } }
    expect: { output: { ok: true } }
  - name: fails <here>
    input: { commands: [a] }
    mocks: { ${STATE}: { Throw: { Error: States.TaskFailed } } }
`);
    const out = tempDir();
    const r = await cli([
      dir,
      '--junit',
      path.join(out, 'junit.xml'),
      '--json',
      path.join(out, 'report.json'),
      '--coverage-lcov',
      path.join(out, 'lcov.info'),
    ]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const junit = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuites name="asl-workbench test" tests="2" failures="1"/);
    assert.match(
      junit,
      /<testcase classname="[^"]*machine\.asl-test\.yaml" name="passes" file="[^"]*" line="3" time="[\d.]+"\/>/,
    );
    assert.match(
      junit,
      /<testcase [^>]*name="fails &#60;here&#62;"[^>]*>\n {6}<failure message="status: ended FAILED \(States\.TaskFailed\)">/,
    );
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    assert.deepEqual(report.summary.cases, 2);
    assert.equal(report.files[0].cases[1].status, 'FAILED');
    assert.equal(report.files[0].cases[1].mismatches[0].subject, 'status');
    const lcov = fs.readFileSync(path.join(out, 'lcov.info'), 'utf8');
    assert.equal(
      lcov,
      `TN:\nSF:${path.join(dir, 'machine.asl.json')}\nBRF:0\nBRH:0\nDA:5,2\nLF:1\nLH:1\nend_of_record\n`,
    );
  });

  it('imports a Step Functions Local mock config as a test file that runs', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'imported.asl-test.yaml');
    const example = path.join(root, 'examples/ecs-wait-for-task-token');
    const w = await cli([
      '--from-mock-config',
      path.join(example, 'mock-config.json'),
      '--machine',
      path.join(example, 'state-machine.asl.json'),
      '--write',
      file,
    ]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /test: wrote 3 cases to /);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^machine: .*examples\/ecs-wait-for-task-token\/state-machine\.asl\.json$/m);
    assert.match(text, /^ {2}- name: WorkerReportsSuccess$/m);
    const r = await cli([file, '--workers', '1']);
    // the failure cases throw: an imported case expects SUCCEEDED until the user says otherwise
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✔ WorkerReportsSuccess/);
    assert.match(
      r.stdout,
      /✘ WorkerReportsFailure \(\d+ ms\)\n {4}status: ended FAILED \(Worker\.Failed: the worker reported a failure\)/,
    );
  });
});
