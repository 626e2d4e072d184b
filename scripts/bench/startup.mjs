#!/usr/bin/env node
// Language server cold start: spawns `node dist/server.js --stdio` N times (a fresh process
// each run) and prints the medians of
//   spawn → initialize answered        (process start, module load, initialize round trip)
//   didOpen → first publishDiagnostics  (first parse + validate of an ECS example, cold JIT)
//   spawn → first publishDiagnostics   (the total a user waits for after the client starts)
// plus the server-side parse+validate time it reports (aslWorkbench/diagnosticsComputed).
// Issue 4 target for the whole activation → first diagnostics path: <= 300 ms.
// Usage: node scripts/bench/startup.mjs [--smoke] [--runs N] [--server dist/server.js] [--yaml]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag, median, option as opt } from './_lib.mjs';
import { startLspClient, REPO_ROOT, SERVER_JS } from './lsp-client.mjs';

const smoke = flag('--smoke');
const RUNS = Number(opt('--runs') ?? (smoke ? 1 : 20));
const serverPath = path.resolve(opt('--server') ?? SERVER_JS);
const yaml = flag('--yaml');
const example = yaml
  ? path.join(REPO_ROOT, 'examples/starter-yaml/state-machine.asl.yaml')
  : path.join(REPO_ROOT, 'examples/ecs-run-task-sync/state-machine.asl.json');

/** One cold start; all times in ms from performance.now() in this process. */
async function once(text, run) {
  const uri = `file:///bench/startup-${run}${yaml ? '.asl.yaml' : '.asl.json'}`;
  const t0 = performance.now();
  // startLspClient spawns synchronously, then resolves when `initialize` was answered
  const client = await startLspClient({ serverPath });
  const tInit = performance.now();
  let serverMs = NaN;
  client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) => {
    if (p.uri === uri) serverMs = p.elapsedMs;
  });
  try {
    const got = client.waitForDiagnostics(uri, () => true, 30_000);
    const tOpen = performance.now();
    client.open(uri, text, yaml ? 'asl-yaml' : 'asl', 1);
    const diag = await got;
    // the server sends diagnosticsComputed right after publishDiagnostics
    const deadline = performance.now() + 2000;
    while (Number.isNaN(serverMs) && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    return {
      init: tInit - t0,
      diag: diag.at - tOpen,
      total: diag.at - t0,
      server: serverMs,
      count: diag.diagnostics.length,
    };
  } finally {
    await client.stop();
  }
}

if (!fs.existsSync(serverPath)) {
  console.error(`startup: ${path.relative(REPO_ROOT, serverPath)} is missing; run node scripts/build.mjs first`);
  process.exit(2);
}
const text = fs.readFileSync(example, 'utf8');
const size = fs.statSync(serverPath).size;
console.log(
  `startup: ${path.relative(REPO_ROOT, serverPath)} (${(size / 1024).toFixed(0)} KB), ` +
    `${path.relative(REPO_ROOT, example)}, ${RUNS} run(s), node ${process.version}, ` +
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
const results = [];
for (let r = 0; r < RUNS; r++) {
  const res = await once(text, r);
  results.push(res);
}
const m = (k) => median(results.map((x) => x[k])).toFixed(1);
console.log(`metric startup.spawnToInitialize.medianMs ${m('init')}`);
console.log(`metric startup.didOpenToDiagnostics.medianMs ${m('diag')}`);
console.log(`metric startup.serverFirstValidate.medianMs ${m('server')}`);
console.log(`metric startup.spawnToDiagnostics.medianMs ${m('total')}`);
console.log(
  `startup: ${results[0].count} diagnostic(s) on the example; load average now ${os.loadavg()[0].toFixed(2)}`,
);
