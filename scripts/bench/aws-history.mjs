#!/usr/bin/env node
// Watching a long execution history through the AWS SDK, as the extension does: `serve` runs in
// its own process (as AWS would be remote), a machine writes a history of exactly 25,000 events
// (Step Functions' quota for a Standard execution: one Pass, then an inline Map over 6,248 items
// of one Pass each), and watchExecution (runner/src/aws/client.ts) reads it through the real
// SDK client in GetExecutionHistory pages (1,000, AWS's default, and 250), feeding each batch (onEvents) into the
// graph overlay's OverlayTracker (client/src/run/overlay.ts) and computing one overlay per batch,
// as the Executions view applies it. Two rows: watched while it runs (started just before),
// and opened when it has ended. Figures: batches and the largest one, time to the last event,
// the longest event-loop delay during the watch (perf_hooks.monitorEventLoopDelay), heap used
// before, at the highest batch sample and after (after a full GC, with the tracker still held).
//   node scripts/bench/aws-history.mjs [--smoke] [--json]
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../test-helpers/wait.mjs';
import { ROOT, args, flag, importFromRoot, median } from './_lib.mjs';

// global.gc needs --expose-gc, which reexecUnderTsx does not pass
if (!process.env.ASL_BENCH_TSX) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, ASL_BENCH_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}

const smoke = flag('--smoke');
/** 4 events per item, 8 around them: 4 × 6,248 + 8 = 25,000 events, the quota. */
const ITEMS = smoke ? 200 : 6248;
const EXPECTED_EVENTS = 4 * ITEMS + 8;
/** AWS's default and largest page, and a smaller one; the extension reads pages of the default size. */
const PAGE_SIZES = smoke ? [100] : [1000, 250];
/** Rounds over the scenarios; each figure is the median of the rounds (other processes' load hits single runs). */
const ROUNDS = smoke ? 1 : 3;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const machine = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Result: 'ok', End: true } } },
      ResultPath: null,
      End: true,
    },
  },
};

/** `asl-workbench serve` on a free loopback port; resolves with its URL and the process. */
function startServe() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'cli/src/main.ts'), 'serve', '--port', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening`)));
  });
}

const { SFNClient, CreateStateMachineCommand, DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
const { startExecution, watchExecution } = await importFromRoot('runner/src/aws/client.ts');
const { OverlayTracker } = await importFromRoot('client/src/run/overlay.ts');

const serve = await startServe();
const client = new SFNClient({
  endpoint: serve.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** Watches one execution from its first event; the figures of that watch. */
async function watch(executionArn, scenario, pageSize) {
  global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const tracker = new OverlayTracker();
  let batches = 0;
  let largest = 0;
  let events = 0;
  let lastId = 0;
  let overlays = 0;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const t0 = performance.now();
  let lastEventMs = 0;
  const end = await watchExecution(client, executionArn, {
    pageSize,
    pollIntervalMs: 200,
    onEvents: (batch) => {
      batches++;
      largest = Math.max(largest, batch.length);
      for (const e of batch) {
        if (e.id !== lastId + 1) throw new Error(`event ${e.id} after ${lastId}`);
        lastId = e.id;
        tracker.apply(e);
      }
      events += batch.length;
      if (tracker.overlay()) overlays++;
      lastEventMs = performance.now() - t0;
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    },
  });
  delay.disable();
  global.gc();
  const heapAfter = process.memoryUsage().heapUsed;
  if (end.status !== 'SUCCEEDED') throw new Error(`${scenario}: ${end.status} ${end.error} ${end.cause}`);
  if (events !== EXPECTED_EVENTS) throw new Error(`${scenario}: ${events} events, expected ${EXPECTED_EVENTS}`);
  // the tracker is what a view keeps of the history: held until the heap is measured
  tracker.overlay();
  return {
    scenario,
    pageSize,
    events,
    batches,
    largestBatch: largest,
    overlays,
    msToLastEvent: Math.round(lastEventMs),
    maxLoopDelayMs: Math.round(delay.max / 1e6),
    heapBeforeMB: Number(mb(heapBefore)),
    heapPeakMB: Number(mb(heapPeak)),
    heapAfterMB: Number(mb(heapAfter)),
  };
}

/** The longest event-loop delay of a process doing nothing for `ms`: what the machine's load alone costs. */
async function idleLoopDelay(ms) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  delay.disable();
  return Math.round(delay.max / 1e6);
}

const rows = [];
const idle = [];
try {
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({
      name: 'LongHistory',
      definition: JSON.stringify(machine),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    }),
  );
  const items = (n) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => i) });
  // the SDK loads and compiles its response parsers on first use: not part of the figures
  const warmUp = await startExecution(client, { stateMachineArn, input: items(ITEMS) });
  await watchExecution(client, warmUp.executionArn, { pollIntervalMs: 50 });
  for (let round = 0; round < ROUNDS; round++) {
    idle.push(await idleLoopDelay(smoke ? 200 : 1000));
    for (const pageSize of PAGE_SIZES) {
      const live = await startExecution(client, { stateMachineArn, input: items(ITEMS) });
      rows.push(await watch(live.executionArn, 'watched while running', pageSize));
      const done = await startExecution(client, { stateMachineArn, input: items(ITEMS) });
      await waitFor(
        async () =>
          (await client.send(new DescribeExecutionCommand({ executionArn: done.executionArn }))).status !== 'RUNNING',
        { deadlineMs: 120_000, message: 'the execution to end' },
      );
      rows.push(await watch(done.executionArn, 'opened after it ended', pageSize));
    }
  }
} finally {
  client.destroy();
  serve.child.kill('SIGTERM');
}

/** One row per scenario and page size: the median of each figure over the rounds. */
const table = [];
for (const r of rows) {
  if (table.some((t) => t.scenario === r.scenario && t.pageSize === r.pageSize)) continue;
  const same = rows.filter((x) => x.scenario === r.scenario && x.pageSize === r.pageSize);
  table.push(
    Object.fromEntries(Object.keys(r).map((k) => [k, typeof r[k] === 'number' ? median(same.map((x) => x[k])) : r[k]])),
  );
}

const idleMaxLoopDelayMs = median(idle);
if (flag('--json')) console.log(JSON.stringify({ idleMaxLoopDelayMs, rows: table }, null, 2));
else {
  console.log(`history of ${EXPECTED_EVENTS} events, median of ${ROUNDS} round(s)${smoke ? ' (smoke)' : ''}`);
  console.log(`max event-loop delay of an idle wait on this machine (its load alone): ${idleMaxLoopDelayMs} ms`);
  console.table(
    table.map((r) => ({
      scenario: r.scenario,
      'page size': r.pageSize,
      events: r.events,
      batches: r.batches,
      'largest batch': r.largestBatch,
      'ms to last event': r.msToLastEvent,
      'max loop delay ms': r.maxLoopDelayMs,
      'heap before MB': r.heapBeforeMB,
      'heap peak MB': r.heapPeakMB,
      'heap after MB': r.heapAfterMB,
    })),
  );
}
