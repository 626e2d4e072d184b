#!/usr/bin/env node
// Overhead of an ecs:runTask.sync state run on local containers over a bare `docker run --rm`
// of the same image and command. Median of 10 each (2 with --smoke), interleaved in one run.
//   node scripts/bench/ecs.mjs [--smoke] [--json]
// Target: ratio <= 1.15.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
const hasApi = fs.existsSync(path.join(root, 'runner/src/api.ts'));
const { EcsDockerDriver } = await mod('runner/src/drivers/ecs/driver.ts');

// engine.taskNetwork "always" (default: one network per task, issue 7) and "auto"
let config;
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

/** One runTask.sync state: through runExecution when the runner API exists, else the driver directly. */
async function runState(driver, i) {
  const t0 = performance.now();
  if (hasApi) {
    const { runExecution } = await mod('runner/src/api.ts');
    // the state's time ends with its TaskStateExited event; the clean-up after the execution
    // (container and network removal) is reported separately
    let exited = 0;
    const onEvent = (e) => {
      if (e.type === 'TaskStateExited') exited = performance.now();
    };
    const r = await runExecution({ definition, input: {}, drivers: [driver], config, baseDir: root, onEvent });
    if (r.status !== 'SUCCEEDED') throw new Error(`execution ${r.status}: ${r.error} ${r.cause}`);
    withCleanup.push(performance.now() - t0);
    return exited - t0;
  } else {
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:bench:run-${process.pid}-${i}`;
    const r = await driver.invoke({
      executionArn,
      executionName: `run-${i}`,
      stateMachineName: 'bench',
      stateName: 'Run',
      attempt: 1,
      resource: {
        raw: 'arn:aws:states:::ecs:runTask.sync',
        kind: 'optimized',
        service: 'ecs',
        action: 'runTask',
        pattern: 'sync',
        key: 'ecs:runTask',
      },
      parameters: { TaskDefinition: 'bench' },
      signal: new AbortController().signal,
      log: () => {},
      config,
      baseDir: root,
    });
    await r.completion;
    const ms = performance.now() - t0;
    await driver.disposeExecution(executionArn);
    withCleanup.push(performance.now() - t0);
    return ms;
  }
  return performance.now() - t0;
}

function dockerRun() {
  const t0 = performance.now();
  const r = spawnSync('docker', ['run', '--rm', IMAGE, ...COMMAND], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker run failed: ${r.stderr}`);
  return performance.now() - t0;
}

const driver = new EcsDockerDriver();
const withCleanup = [];
const results = [];
for (const mode of ['always', 'auto']) {
  config = configFor(mode);
  // warm-up (image cache, engine connection, tsx compile) not counted
  await runState(driver, -1);
  dockerRun();
  withCleanup.length = 0;
  const state = [];
  const bare = [];
  for (let i = 0; i < N; i++) {
    bare.push(dockerRun());
    state.push(await runState(driver, i));
  }
  const mState = median(state);
  const mBare = median(bare);
  results.push({
    taskNetwork: mode,
    runs: N,
    via: hasApi ? 'runExecution' : 'driver',
    dockerRunMedianMs: +mBare.toFixed(1),
    runTaskSyncMedianMs: +mState.toFixed(1),
    runTaskSyncWithCleanupMedianMs: +median(withCleanup).toFixed(1),
    ratio: +(mState / mBare).toFixed(3),
    target: 1.15,
  });
}
driver.close();
if (flag('--json')) console.log(JSON.stringify(results));
else {
  console.log(`ecs runTask.sync overhead over docker run --rm (median of ${N} each, interleaved, via ${results[0].via})`);
  console.log('  engine.taskNetwork        docker run   runTask.sync   incl. removal   ratio (target <= 1.15x)');
  for (const r of results) {
    const label = r.taskNetwork === 'always' ? 'always (default)' : 'auto';
    console.log(
      `  ${label.padEnd(24)}  ${String(r.dockerRunMedianMs).padStart(8)} ms  ${String(r.runTaskSyncMedianMs).padStart(10)} ms  ${String(r.runTaskSyncWithCleanupMedianMs).padStart(11)} ms   ${r.ratio.toFixed(3)}x${r.ratio <= 1.15 ? '' : '  ABOVE TARGET'}`,
    );
  }
}
