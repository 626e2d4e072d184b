#!/usr/bin/env node
// `asl-workbench test` throughput: 500 mocked cases of a 50-state machine (Task states with
// Retry and Catch, Choice states, Pass states with Parameters, a Parallel and a Map), run by the
// built CLI (`node dist/cli.js test <dir> --coverage --json <file>`) as CI runs it: wall time of
// the whole command, worker start-up and report writing included. Target: < 10 s.
//   node scripts/bench/test-runner.mjs [--smoke] [--json]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT as root, flag } from './_lib.mjs';

const smoke = flag('--smoke');
const CASES = smoke ? 20 : 500;
const STATES = 50;
const TARGET_SECONDS = 10;

/**
 * A chain of blocks of five states — Task (mocked, Retry, Catch to a Pass), Choice on the
 * task's result, two Pass states (one per branch) — ending in a Parallel and a Map, 50 states
 * in all. Each block's Choice sends odd cases one way and even ones the other.
 */
function machine() {
  const States = {};
  const blocks = (STATES - 5) / 5;
  for (let b = 0; b < blocks; b++) {
    const next = b + 1 < blocks ? `Task ${b + 1}` : 'Fan out';
    States[`Task ${b}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { Cluster: 'bench', TaskDefinition: `task-${b}`, 'Overrides.$': '$.overrides' },
      ResultPath: '$.result',
      Retry: [{ ErrorEquals: ['ECS.AmazonECSException'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `Recover ${b}` }],
      Next: `Check ${b}`,
    };
    States[`Recover ${b}`] = { Type: 'Pass', Result: 'recovered', ResultPath: '$.recovered', Next: next };
    States[`Check ${b}`] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.odd', BooleanEquals: true, Next: `Odd ${b}` }],
      Default: `Even ${b}`,
    };
    States[`Odd ${b}`] = {
      Type: 'Pass',
      Parameters: { 'n.$': '$.n', 'odd.$': '$.odd', 'overrides.$': '$.overrides', 'items.$': '$.items' },
      Next: next,
    };
    States[`Even ${b}`] = {
      Type: 'Pass',
      Parameters: { 'n.$': '$.n', 'odd.$': '$.odd', 'overrides.$': '$.overrides', 'items.$': '$.items' },
      Next: next,
    };
  }
  States['Fan out'] = {
    Type: 'Parallel',
    Branches: [
      { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
      { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
    ],
    ResultPath: '$.branches',
    Next: 'Each',
  };
  States.Each = {
    Type: 'Map',
    ItemsPath: '$.items',
    ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
    ResultPath: '$.mapped',
    End: true,
  };
  if (Object.keys(States).length + 3 !== STATES)
    throw new Error(`the machine has ${Object.keys(States).length + 3} states`);
  return { StartAt: 'Task 0', States };
}

/** One test file per 50 cases; every third case fails a task once (retry) and every seventh for good (catch). */
function writeSuite(dir) {
  fs.writeFileSync(path.join(dir, 'bench.asl.json'), JSON.stringify(machine(), null, 2));
  const blocks = (STATES - 5) / 5;
  const perFile = 50;
  for (let f = 0; f * perFile < CASES; f++) {
    const cases = [];
    for (let i = f * perFile; i < Math.min(CASES, (f + 1) * perFile); i++) {
      const mocks = {};
      for (let b = 0; b < blocks; b++) {
        const ok = { Return: { LastStatus: 'STOPPED', Containers: [{ ExitCode: 0 }] } };
        if (i % 7 === 0 && b === 1) mocks[`Task ${b}`] = { Throw: { Error: 'States.TaskFailed', Cause: 'exit 1' } };
        else if (i % 3 === 0)
          mocks[`Task ${b}`] = { 0: { Throw: { Error: 'ECS.AmazonECSException', Cause: 'throttled' } }, '1-9': ok };
        else mocks[`Task ${b}`] = ok;
      }
      cases.push({
        name: `case ${i}`,
        input: {
          n: i,
          odd: i % 2 === 1,
          overrides: { ContainerOverrides: [{ Name: 'app', Command: ['run', String(i)] }] },
          items: [1, 2, 3],
        },
        mocks,
        expect: {
          status: 'SUCCEEDED',
          outputMatches: { n: i, branches: [{}, {}] },
          states: {
            'Task 0': { parametersMatches: { Cluster: 'bench', Overrides: { ContainerOverrides: [{ Name: 'app' }] } } },
          },
        },
      });
    }
    fs.writeFileSync(
      path.join(dir, `bench-${f}.asl-test.json`),
      JSON.stringify({ machine: 'bench.asl.json', cases }, null, 2),
    );
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-bench-test-'));
try {
  if (!fs.existsSync(path.join(root, 'dist/cli.js')))
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  writeSuite(dir);
  const report = path.join(dir, 'report.json');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'test', dir, '--coverage', '--json', report], {
    cwd: root,
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stdout.slice(-4000) + r.stderr);
    throw new Error(`asl-workbench test exited ${r.status}`);
  }
  const summary = JSON.parse(fs.readFileSync(report, 'utf8')).summary;
  if (summary.passed !== CASES) throw new Error(`${summary.passed} of ${CASES} cases passed`);
  const figures = {
    cases: CASES,
    states: STATES,
    workers: os.availableParallelism(),
    seconds: Number(seconds.toFixed(2)),
    casesPerSecond: Math.round(CASES / seconds),
    // other processes share the cores: the figure means little without the load it ran under
    loadAverage: Number(os.loadavg()[0].toFixed(1)),
  };
  if (flag('--json')) console.log(JSON.stringify(figures));
  else {
    console.log(
      `${CASES} mocked cases of a ${STATES}-state machine on ${figures.workers} workers: ${figures.seconds} s wall (${figures.casesPerSecond} cases/s, load average ${figures.loadAverage})`,
    );
    if (!smoke) console.log(`target < ${TARGET_SECONDS} s: ${seconds < TARGET_SECONDS ? 'met' : 'MISSED'}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
