#!/usr/bin/env node
// Overhead of an ecs:runTask.sync state run on local containers over a bare `docker run --rm`
// of the same image and command, for both values of engine.taskNetwork side by side. Median of
// 10 each (2 with --smoke); every round runs the bare container and one state per value, so
// both ratios share the same engine conditions.
//   node scripts/bench/ecs.mjs [--smoke] [--json]
// Target: ratio <= 1.15.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT as root, flag, importFromRoot as mod, median, reexecUnderTsx } from './_lib.mjs';

const N = flag('--smoke') ? 2 : 10;
const IMAGE = 'asl-workbench/busybox:latest';
const COMMAND = ['sh', '-c', 'echo bench'];

const setup = spawnSync('bash', [path.join(root, 'scripts/setup-docker.sh'), '--quiet'], { encoding: 'utf8' });
if (setup.status !== 0) {
  console.error(`bench/ecs: no Docker engine: ${setup.stderr}`);
  process.exit(1);
}

// the runner is TypeScript: re-run this script under the tsx loader once
reexecUnderTsx(import.meta.url);
const { EcsDockerDriver } = await mod('runner/src/drivers/ecs/driver.ts');
const { runExecution } = await mod('runner/src/api.ts');

// "auto" (the default: a single-container task without the callback endpoint joins the engine's
// default bridge) and "always" (a network of its own for every task)
const MODES = ['auto', 'always'];
const configFor = (taskNetwork) => ({
  engine: { taskNetwork },
  taskDefinitions: {
    bench: { family: 'bench', containerDefinitions: [{ name: 'app', image: IMAGE, command: COMMAND }] },
  },
});
const definition = {
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { TaskDefinition: 'bench' },
      End: true,
    },
  },
};

/**
 * One runTask.sync state through runExecution: the state's time ends with its TaskStateExited
 * event; the time including the clean-up after the execution (container and network removal)
 * is reported separately.
 */
async function runState(driver, taskNetwork) {
  const t0 = performance.now();
  let exited = 0;
  const onEvent = (e) => {
    if (e.type === 'TaskStateExited') exited = performance.now();
  };
  const config = configFor(taskNetwork);
  const r = await runExecution({ definition, input: {}, drivers: [driver], config, baseDir: root, onEvent });
  if (r.status !== 'SUCCEEDED') throw new Error(`execution ${r.status}: ${r.error} ${r.cause}`);
  return { state: exited - t0, withCleanup: performance.now() - t0 };
}

function dockerRun() {
  const t0 = performance.now();
  const r = spawnSync('docker', ['run', '--rm', IMAGE, ...COMMAND], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker run failed: ${r.stderr}`);
  return performance.now() - t0;
}

const driver = new EcsDockerDriver();
// warm-up (image cache, engine connection, tsx compile) not counted
dockerRun();
for (const mode of MODES) await runState(driver, mode);
const bare = [];
const runs = Object.fromEntries(MODES.map((m) => [m, { state: [], withCleanup: [] }]));
for (let i = 0; i < N; i++) {
  bare.push(dockerRun());
  // alternate which value goes first so neither always follows the bare run
  for (const mode of i % 2 ? [...MODES].reverse() : MODES) {
    const r = await runState(driver, mode);
    runs[mode].state.push(r.state);
    runs[mode].withCleanup.push(r.withCleanup);
  }
}
driver.close();
const mBare = median(bare);
const results = MODES.map((mode) => ({
  taskNetwork: mode,
  default: mode === 'auto',
  runs: N,
  dockerRunMedianMs: +mBare.toFixed(1),
  runTaskSyncMedianMs: +median(runs[mode].state).toFixed(1),
  runTaskSyncWithCleanupMedianMs: +median(runs[mode].withCleanup).toFixed(1),
  ratio: +(median(runs[mode].state) / mBare).toFixed(3),
  target: 1.15,
}));
if (flag('--json')) console.log(JSON.stringify(results));
else {
  console.log(`ecs runTask.sync overhead over docker run --rm (median of ${N} each, interleaved, via runExecution)`);
  console.log('  engine.taskNetwork        docker run   runTask.sync   incl. removal   ratio (target <= 1.15x)');
  for (const r of results) {
    const label = r.default ? `${r.taskNetwork} (default)` : r.taskNetwork;
    console.log(
      `  ${label.padEnd(24)}  ${String(r.dockerRunMedianMs).padStart(8)} ms  ${String(r.runTaskSyncMedianMs).padStart(10)} ms  ${String(r.runTaskSyncWithCleanupMedianMs).padStart(11)} ms   ${r.ratio.toFixed(3)}x${r.ratio <= 1.15 ? '' : '  ABOVE TARGET'}`,
    );
  }
}
