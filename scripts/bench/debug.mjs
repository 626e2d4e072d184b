#!/usr/bin/env node
// What debugging costs when nothing stops: transitions/s of one machine run by `asl-workbench
// run` and by the debug adapter (dist/debugAdapter.js over DAP, no breakpoints), side by side,
// and items/s of a Map (each iteration is a debugger thread, announced with thread events).
// Both figures come from the execution's own history (ExecutionStarted to the last event), so
// process start-up is left out. In-process, the same machine through runExecution without and
// with the debugger as observer isolates the interpreter hook. Engines alternate over rounds;
// each figure is the median. Target: transitions/s with the adapter attached >= 50% of `run`'s
// (the Map figure adds two thread events per iteration and is reported, not held to it).
//   node scripts/bench/debug.mjs [--smoke] [--json]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT, args, flag, mapMachine, median } from './_lib.mjs';

const smoke = flag('--smoke');
const LOOPS = smoke ? 500 : 5000;
const ITEMS = smoke ? 100 : 1000;
const ROUNDS = smoke ? 1 : 5;
const IN_PROCESS_RUNS = smoke ? 2 : 9;
const RATIO_TARGET = 0.5;
const dir = path.join(ROOT, '.bench/debug');
const apiBundle = path.join(dir, 'debug-api.cjs');

/** Init, then LOOPS × (Step, More): 2 × LOOPS + 2 transitions, well under the 25,000-event history quota. */
function loopMachine() {
  return {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { i: 0, 'value.$': '$.value' }, Next: 'Step' },
      Step: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)', 'value.$': '$.value' }, Next: 'More' },
      More: {
        Type: 'Choice',
        Choices: [{ Variable: '$.i', NumericLessThan: LOOPS, Next: 'Step' }],
        Default: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
}

const workloads = {
  loop: { def: loopMachine, input: { value: 'x' }, units: 2 * LOOPS + 2, unit: 'transitions/s' },
  map: {
    def: mapMachine,
    input: { items: Array.from({ length: ITEMS }, (_, v) => ({ v })) },
    units: ITEMS,
    unit: 'items/s',
  },
};

function writeMachines() {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, w] of Object.entries(workloads)) {
    fs.writeFileSync(path.join(dir, `${name}.asl.json`), JSON.stringify(w.def(), null, 2));
    fs.writeFileSync(path.join(dir, `${name}.input.json`), JSON.stringify(w.input));
  }
}

function ensureBuilt() {
  if (!fs.existsSync(path.join(ROOT, 'dist/debugAdapter.js')) || !fs.existsSync(path.join(ROOT, 'dist/cli.js'))) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const entry = [
    "export { runExecution } from './runner/src/api';",
    "export { ExecutionDebugger } from './runner/src/debug/debugger';",
    "export { StateLines } from './runner/src/debug/stateLines';",
    "export { analyze } from './asl/src/analyze';",
  ].join('\n');
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `require('esbuild').buildSync({stdin:{contents:${JSON.stringify(entry)},resolveDir:'.',loader:'ts'},bundle:true,platform:'node',format:'cjs',target:'node20',mainFields:['module','main'],outfile:${JSON.stringify(apiBundle)},logLevel:'error'})`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('bundling the runner API failed');
}

/** ms from ExecutionStarted to the last event of a history. */
const historyMs = (h) => new Date(h.at(-1).timestamp).getTime() - new Date(h[0].timestamp).getTime();

/** `asl-workbench run --json --history`: the execution's duration by its history. */
function viaRun(name) {
  const r = spawnSync(
    process.execPath,
    [
      'dist/cli.js',
      'run',
      path.join(dir, `${name}.asl.json`),
      '--input',
      path.join(dir, `${name}.input.json`),
      '--time-scale',
      '0',
      '--json',
      '--history',
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const out = JSON.parse(r.stdout);
  if (out.status !== 'SUCCEEDED') throw new Error(`run: ${out.status} ${out.error} ${out.cause}`);
  return historyMs(out.history);
}

/** The debug adapter over DAP, no breakpoints: the duration it reports from the history. */
async function viaAdapter(name) {
  const require = createRequire(import.meta.url);
  const { DebugClient } = require('@vscode/debugadapter-testsupport');
  const dc = new DebugClient('node', path.join(ROOT, 'dist/debugAdapter.js'), 'asl', { cwd: ROOT });
  dc.defaultTimeout = 120_000;
  let output = '';
  const ended = new Promise((resolve) => dc.on('terminated', resolve));
  dc.on('output', (e) => (output += e.body.output));
  await dc.start();
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch({
      program: path.join(dir, `${name}.asl.json`),
      input: path.join(dir, `${name}.input.json`),
      timeScale: 0,
    }),
  ]);
  await ended;
  await dc.stop();
  const m = /Execution SUCCEEDED after \d+ states? in (\d+) ms/.exec(output);
  if (!m) throw new Error(`adapter: ${output}`);
  return Number(m[1]);
}

/** In-process: runExecution without an observer, and with the debugger attached and nothing to stop at. */
async function inProcess(name, attached) {
  const api = await import(pathToFileURL(apiBundle).href);
  const def = JSON.stringify(workloads[name].def());
  const analysis = api.analyze(def, 'json');
  const times = [];
  for (let i = 0; i < IN_PROCESS_RUNS + 1; i++) {
    const observer = attached
      ? new api.ExecutionDebugger(
          new api.StateLines(analysis.model),
          { stopped() {}, threadStarted() {}, threadExited() {}, output() {} },
          false,
        )
      : undefined;
    const t0 = process.hrtime.bigint();
    const r = await api.runExecution({
      definition: analysis,
      input: workloads[name].input,
      timeScale: 0,
      drivers: [],
      observer,
    });
    if (r.status !== 'SUCCEEDED') throw new Error(`${r.status} ${r.error} ${r.cause}`);
    // the first run warms the JIT up
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

function childRun(kind, name) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', kind, name, ...(smoke ? ['--smoke'] : [])],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('close', (code) =>
      code === 0 ? resolve(Number(out.trim().split('\n').at(-1))) : reject(new Error(`${kind} ${name} exited ${code}`)),
    );
  });
}

if (args[0] === '--child') {
  const [, kind, name] = args;
  const ms =
    kind === 'run'
      ? viaRun(name)
      : kind === 'adapter'
        ? await viaAdapter(name)
        : await inProcess(name, kind === 'in-process attached');
  process.stdout.write(`${ms}\n`);
} else {
  writeMachines();
  ensureBuilt();
  const kinds = ['run', 'adapter', 'in-process', 'in-process attached'];
  const results = [];
  for (const name of Object.keys(workloads)) {
    const rounds = new Map(kinds.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) for (const k of kinds) rounds.get(k).push(await childRun(k, name));
    const w = workloads[name];
    for (const k of kinds) {
      const ms = median(rounds.get(k));
      results.push({
        workload: name,
        kind: k,
        medianMs: ms,
        rate: (w.units / Math.max(ms, 0.5)) * 1000,
        unit: w.unit,
        roundsMs: rounds.get(k),
      });
    }
  }
  const rate = (w, k) => results.find((r) => r.workload === w && r.kind === k).rate;
  const ratios = Object.keys(workloads).map((w) => ({
    workload: w,
    adapterVsRun: rate(w, 'adapter') / rate(w, 'run'),
    hook: rate(w, 'in-process attached') / rate(w, 'in-process'),
  }));
  if (flag('--json')) process.stdout.write(JSON.stringify({ results, ratios }, null, 2) + '\n');
  else {
    console.log(
      `debug bench (${smoke ? 'smoke' : 'full'}: loop of ${2 * LOOPS + 2} transitions, Map over ${ITEMS} items; median of ${ROUNDS} rounds)`,
    );
    for (const r of results)
      console.log(
        `  ${r.workload.padEnd(5)} ${r.kind.padEnd(20)} ${Math.round(r.rate).toLocaleString('en-US').padStart(10)} ${r.unit.padEnd(14)} median ${r.medianMs.toFixed(1)} ms (rounds ${r.roundsMs.map((x) => x.toFixed(0)).join(', ')})`,
      );
    for (const r of ratios)
      console.log(
        `  ${r.workload.padEnd(5)} adapter attached / run: ${(r.adapterVsRun * 100).toFixed(0)}%   in-process with / without the debugger: ${(r.hook * 100).toFixed(0)}%`,
      );
    console.log(
      `  target: loop transitions/s with the adapter attached and no breakpoints >= ${RATIO_TARGET * 100}% of run's`,
    );
  }
  if (!smoke && ratios.find((r) => r.workload === 'loop').adapterVsRun < RATIO_TARGET) process.exitCode = 1;
}
