#!/usr/bin/env node
// Local execution engine throughput, side by side with aws-local-stepfunctions (installed into
// .bench/deps on first use): transitions/s of a 10,000-step Pass chain with Parameters and
// ResultPath, items/s of a Map over 1,000 items, and peak RSS. Each engine × workload runs in
// its own child process so peak RSS is its own; the engines alternate over several rounds (load
// from other processes hits both alike) and each figure is the median of the rounds. Our
// engine is bundled with esbuild first (as shipped). The definition is handed to runExecution
// as an object on every run, as API users do. Targets: >= 150k transitions/s, >= 50k items/s,
// and the chain at >= 3x aws-local-stepfunctions.
//   node scripts/bench/runner.mjs [--smoke] [--json]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT as root, args, bundleRunnerApi, flag, mapMachine, median } from './_lib.mjs';

const smoke = flag('--smoke');
const benchDir = path.join(root, '.bench');
// own prefix under .bench/deps so other bench scripts' installs do not prune it
const deps = path.join(benchDir, 'deps', 'runner-bench');
const bundle = path.join(benchDir, 'runner-api.cjs');

const STEPS = smoke ? 2000 : 10000;
const ITEMS = smoke ? 200 : 1000;
const RUNS = smoke ? 2 : 7;
const ROUNDS = smoke ? 1 : 3;
const CHAIN_RATIO_TARGET = 3;

/** N Pass states, each with Parameters and ResultPath. */
function chain(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    States[`S${i}`] = {
      Type: 'Pass',
      Parameters: { 'value.$': '$.value', step: i },
      ResultPath: '$.last',
      ...(i + 1 < n ? { Next: `S${i + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'S0', States };
}

const workloads = {
  chain: { def: () => chain(STEPS), input: () => ({ value: 1 }), units: STEPS, unit: 'transitions/s' },
  map: {
    def: mapMachine,
    input: () => ({ items: Array.from({ length: ITEMS }, (_, v) => ({ v })) }),
    units: ITEMS,
    unit: 'items/s',
  },
};

async function child(engine, workload) {
  const w = workloads[workload];
  const def = w.def();
  let runOnce;
  if (engine === 'asl-workbench') {
    const { runExecution } = await import(pathToFileURL(bundle).href);
    runOnce = async () => {
      // the 10,000-state chain is over Step Functions' 1 MB definition quota (ASL602): it measures
      // throughput, so it runs with the validation findings as warnings instead of being refused
      const r = await runExecution({
        definition: def,
        input: w.input(),
        timeScale: 0,
        drivers: [],
        validation: 'warn',
      });
      if (r.status !== 'SUCCEEDED') throw new Error(`${r.status} ${r.error} ${r.cause}`);
    };
  } else {
    const { StateMachine } = await import(
      pathToFileURL(path.join(deps, 'node_modules', 'aws-local-stepfunctions', 'build', 'main.node.esm.js')).href
    ).catch(() => import(path.join(deps, 'node_modules', 'aws-local-stepfunctions', 'build', 'main.node.cjs')));
    const sm = new StateMachine(def, { validationOptions: { checkPaths: false, checkArn: false } });
    runOnce = async () => {
      await sm.run(w.input()).result;
    };
  }
  for (let i = 0; i < (smoke ? 1 : 3); i++) await runOnce(); // warm-up (JIT)
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await runOnce();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      engine,
      workload,
      medianMs: median,
      rate: (w.units / median) * 1000,
      unit: w.unit,
      peakRssMb: rssMb,
    }) + '\n',
  );
}

function ensureCompetitor() {
  if (fs.existsSync(path.join(deps, 'node_modules', 'aws-local-stepfunctions', 'package.json'))) return true;
  process.stderr.write('bench: installing aws-local-stepfunctions into .bench/deps …\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', deps, '--no-audit', '--no-fund', 'aws-local-stepfunctions'], {
    cwd: root,
    stdio: 'inherit',
  });
  return r.status === 0;
}

if (args[0] === '--child') {
  await child(args[1], args[2]);
} else {
  bundleRunnerApi(bundle);
  const engines = ['asl-workbench'];
  if (ensureCompetitor()) engines.push('aws-local-stepfunctions');
  else process.stderr.write('bench: aws-local-stepfunctions unavailable; reporting asl-workbench only\n');
  const results = [];
  for (const workload of Object.keys(workloads)) {
    const rounds = new Map(engines.map((e) => [e, []]));
    const errors = new Map();
    for (let round = 0; round < ROUNDS; round++) {
      for (const engine of engines) {
        if (errors.has(engine)) continue;
        const r = spawnSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', engine, workload, ...(smoke ? ['--smoke'] : [])],
          { cwd: root, encoding: 'utf8' },
        );
        if (r.status !== 0) {
          process.stderr.write(`bench: ${engine} ${workload} failed: ${r.stderr}\n`);
          errors.set(engine, r.stderr.trim().split('\n').slice(-3).join(' '));
          continue;
        }
        rounds.get(engine).push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
      }
    }
    for (const engine of engines) {
      if (errors.has(engine)) {
        results.push({ engine, workload, error: errors.get(engine) });
        continue;
      }
      const rs = rounds.get(engine);
      const medianMs = median(rs.map((r) => r.medianMs));
      results.push({
        ...rs[0],
        medianMs,
        rate: (workloads[workload].units / medianMs) * 1000,
        peakRssMb: median(rs.map((r) => r.peakRssMb)),
        roundsMs: rs.map((r) => r.medianMs),
      });
    }
    const ours = results.find((r) => r.workload === workload && r.engine === 'asl-workbench');
    const theirs = results.find((r) => r.workload === workload && r.engine === 'aws-local-stepfunctions');
    if (ours?.medianMs && theirs?.medianMs) ours.timesFasterThanAwsLocalStepfunctions = theirs.medianMs / ours.medianMs;
  }
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    console.log(
      `runner bench (${smoke ? 'smoke' : 'full'}: chain of ${STEPS} Pass states, Map over ${ITEMS} items; median of ${RUNS} runs per round, median of ${ROUNDS} rounds)`,
    );
    for (const r of results) {
      if (r.error) console.log(`  ${r.workload.padEnd(6)} ${r.engine.padEnd(24)} ERROR ${r.error}`);
      else {
        const ratio = r.timesFasterThanAwsLocalStepfunctions
          ? `  ${r.timesFasterThanAwsLocalStepfunctions.toFixed(2)}x aws-local-stepfunctions`
          : '';
        console.log(
          `  ${r.workload.padEnd(6)} ${r.engine.padEnd(24)} ${Math.round(r.rate).toLocaleString('en-US').padStart(10)} ${r.unit.padEnd(14)} median ${r.medianMs.toFixed(1)} ms (rounds ${r.roundsMs.map((x) => x.toFixed(0)).join(', ')})  peak RSS ${r.peakRssMb.toFixed(0)} MB${ratio}`,
        );
      }
    }
    console.log(
      `  targets: chain >= 150,000 transitions/s and >= ${CHAIN_RATIO_TARGET}x aws-local-stepfunctions, map >= 50,000 items/s`,
    );
  }
}
