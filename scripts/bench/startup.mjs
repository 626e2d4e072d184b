#!/usr/bin/env node
// Language server cold start: spawns `node dist/server.js --stdio` N times (a fresh process
// each run) and prints the medians of
//   spawn → initialize answered        (process start, module load, initialize round trip)
//   didOpen → first publishDiagnostics  (first parse + validate of an ECS example, cold JIT)
//   spawn → first publishDiagnostics   (the total a user waits for after the client starts)
// plus the server-side parse+validate time it reports (aslWorkbench/diagnosticsComputed) and
//   spawn → bundle loaded               (the server's own figure: node start + loading the bundle)
// twice: without V8's code cache (the first start after an install) and with it (every later
// start: the extension gives dist/server.js a cache directory, see server/src/boot.ts).
// Target for the whole activation → first diagnostics path: <= 300 ms.
// Usage: node scripts/bench/startup.mjs [--smoke] [--runs N] [--server dist/server.js] [--yaml]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag, median, option as opt } from './_lib.mjs';
import { startLspClient, REPO_ROOT, SERVER_JS } from '../test-helpers/lsp-client.mjs';

const smoke = flag('--smoke');
const RUNS = Number(opt('--runs') ?? (smoke ? 1 : 20));
const serverPath = path.resolve(opt('--server') ?? SERVER_JS);
const yaml = flag('--yaml');
const example = yaml
  ? path.join(REPO_ROOT, 'examples/starter-yaml/state-machine.asl.yaml')
  : path.join(REPO_ROOT, 'examples/ecs-run-task-sync/state-machine.asl.json');

/** One cold start; all times in ms from performance.now() in this process. */
async function once(text, run, env) {
  const uri = `file:///bench/startup-${run}${yaml ? '.asl.yaml' : '.asl.json'}`;
  const t0 = performance.now();
  // startLspClient spawns synchronously, then resolves when `initialize` was answered
  const client = await startLspClient({ serverPath, env });
  const tInit = performance.now();
  const loaded = client.initializeResult.aslWorkbenchStartup?.loadedMs ?? NaN;
  let serverMs = NaN;
  client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) => {
    if (p.uri === uri) serverMs = p.elapsedMs;
  });
  try {
    const got = client.waitForDiagnostics(uri, undefined, { deadlineMs: 30_000 });
    const tOpen = performance.now();
    client.open(uri, text, yaml ? 'asl-yaml' : 'asl', 1);
    const diag = await got;
    // the server sends diagnosticsComputed right after publishDiagnostics
    const deadline = performance.now() + 2000;
    while (Number.isNaN(serverMs) && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    return {
      loaded,
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
// the size that matters is the bundle dist/server.js loads
const bundle = path.join(path.dirname(serverPath), 'serverMain.js');
const size = fs.statSync(fs.existsSync(bundle) ? bundle : serverPath).size;
console.log(
  `startup: ${path.relative(REPO_ROOT, serverPath)} (bundle ${(size / 1024).toFixed(0)} KB), ` +
    `${path.relative(REPO_ROOT, example)}, ${RUNS} run(s), node ${process.version}, ` +
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
/** Starts the server once with a cache directory and waits until it has written its code cache. */
async function warmCodeCache(dir) {
  const client = await startLspClient({ serverPath, env: { ASL_WORKBENCH_CODE_CACHE: dir } });
  try {
    const uri = 'file:///bench/warm.asl.json';
    const got = client.waitForDiagnostics(uri, undefined, { deadlineMs: 30_000 });
    client.open(uri, text, 'asl', 1);
    await got;
    const deadline = Date.now() + 30_000;
    while (!fs.readdirSync(dir).some((f) => f.endsWith('.cache'))) {
      if (Date.now() > deadline) throw new Error('the server wrote no code cache within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.stop();
  }
}

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-code-cache-'));
try {
  await warmCodeCache(cacheDir);
  for (const [mode, env] of [
    ['', undefined],
    ['.codeCache', { ASL_WORKBENCH_CODE_CACHE: cacheDir }],
  ]) {
    const results = [];
    for (let r = 0; r < RUNS; r++) results.push(await once(text, r, env));
    const m = (k) => median(results.map((x) => x[k])).toFixed(1);
    console.log(`metric startup${mode}.spawnToBundleLoaded.medianMs ${m('loaded')}`);
    console.log(`metric startup${mode}.spawnToInitialize.medianMs ${m('init')}`);
    console.log(`metric startup${mode}.didOpenToDiagnostics.medianMs ${m('diag')}`);
    console.log(`metric startup${mode}.serverFirstValidate.medianMs ${m('server')}`);
    console.log(`metric startup${mode}.spawnToDiagnostics.medianMs ${m('total')}`);
    if (!mode) console.log(`startup: ${results[0].count} diagnostic(s) on the example`);
  }
} finally {
  fs.rmSync(cacheDir, { recursive: true, force: true });
}
console.log(`startup: load average now ${os.loadavg()[0].toFixed(2)}`);
