#!/usr/bin/env node
// Distributed Map throughput over a CSV object in a local bucket stand-in, with the ECS task of
// each child execution answered by a Step Functions Local mock config (no container engine):
// items/s and peak RSS of
//   rows     one child execution per row, results exported with ResultWriter (SUCCEEDED_0.json)
//   batched  ItemBatcher with 100 rows per child execution
// over 10,000 rows (--smoke: 500). Each workload runs in its own child process so peak RSS is
// its own; the figure is the median of the runs. The runner is bundled with esbuild first (as
// shipped), like scripts/bench/runner.mjs does; one warm-up run precedes the measured ones.
//   node scripts/bench/distributed-map.mjs [--smoke] [--json]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT as root, args, bundleRunnerApi, flag, median } from './_lib.mjs';

const smoke = flag('--smoke');
const ROWS = smoke ? 500 : 10000;
const RUNS = smoke ? 1 : 3;
const BATCH = 100;
const bundle = path.join(root, '.bench', 'distributed-map-api.cjs');

/** A distributed Map reading `rows.csv` of the bucket `input`, one mocked ECS task per child. */
function machine(batched) {
  return {
    StartAt: 'Rows',
    States: {
      Rows: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Parameters: { Bucket: 'input', Key: 'rows.csv' },
        },
        ItemSelector: { 'id.$': '$$.Map.Item.Value.id', 'amount.$': '$$.Map.Item.Value.amount' },
        ...(batched ? { ItemBatcher: { MaxItemsPerBatch: BATCH } } : {}),
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Process',
          States: {
            Process: {
              Type: 'Task',
              Resource: 'arn:aws:states:::ecs:runTask.sync',
              Parameters: { Cluster: 'bench', TaskDefinition: 'process-rows' },
              TimeoutSeconds: 600,
              ResultSelector: { 'exit.$': '$.Containers[0].ExitCode' },
              End: true,
            },
          },
        },
        ...(batched
          ? { ResultPath: null }
          : {
              ResultWriter: {
                Resource: 'arn:aws:states:::s3:putObject',
                Parameters: { Bucket: 'out', Prefix: 'runs' },
              },
            }),
        End: true,
      },
    },
  };
}

const mockConfig = {
  StateMachines: { bench: { TestCases: { Ok: { Process: 'Stopped' } } } },
  MockedResponses: {
    Stopped: { [`0-${ROWS}`]: { Return: { LastStatus: 'STOPPED', Containers: [{ Name: 'w', ExitCode: 0 }] } } },
  },
};

async function child(workload) {
  const { runExecution } = await import(pathToFileURL(bundle).href);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-bench-dmap-'));
  try {
    fs.mkdirSync(path.join(dir, 'input'));
    const lines = ['id,name,amount'];
    for (let i = 0; i < ROWS; i++) lines.push(`${i},customer ${i},${(i % 997) / 10}`);
    fs.writeFileSync(path.join(dir, 'input', 'rows.csv'), lines.join('\n') + '\n');
    const definition = machine(workload === 'batched');
    const once = async () => {
      const r = await runExecution({
        definition,
        stateMachineName: 'bench',
        mockConfig,
        drivers: [],
        timeScale: 0,
        config: { s3: { root: dir } },
      });
      if (r.status !== 'SUCCEEDED') throw new Error(`${r.status} ${r.error} ${r.cause}`);
    };
    if (!smoke) await once(); // warm-up (JIT)
    const times = [];
    const cpu = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      await once();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const ms = median(times);
    process.stdout.write(
      JSON.stringify({
        workload,
        rows: ROWS,
        medianMs: ms,
        // on a loaded machine wall time waits for other processes: CPU time shows the runner's own cost
        cpuMs: median(cpu),
        itemsPerSecond: (ROWS / ms) * 1000,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      }) + '\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === '--child') {
  await child(args[1]);
} else {
  bundleRunnerApi(bundle);
  const results = [];
  for (const workload of ['rows', 'batched']) {
    const r = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', workload, ...(smoke ? ['--smoke'] : [])],
      { cwd: root, encoding: 'utf8' },
    );
    if (r.status !== 0) {
      process.stderr.write(`bench: distributed-map ${workload} failed: ${r.stderr}\n`);
      process.exit(1);
    }
    results.push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
  }
  if (args.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    console.log(
      `distributed-map bench (${smoke ? 'smoke' : 'full'}: ${ROWS} CSV rows, mocked ECS tasks; median of ${RUNS} runs)`,
    );
    for (const r of results)
      console.log(
        `  ${r.workload.padEnd(8)} ${Math.round(r.itemsPerSecond).toLocaleString('en-US').padStart(9)} items/s  ${r.medianMs.toFixed(0).padStart(6)} ms (CPU ${r.cpuMs.toFixed(0)} ms)  peak RSS ${r.peakRssMb.toFixed(0)} MB`,
      );
  }
}
