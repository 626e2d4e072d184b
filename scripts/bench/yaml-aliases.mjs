#!/usr/bin/env node
// Alias-heavy YAML: generated machines of 100 and 200 ECS Task states (about 14 KB and 28 KB)
// that share a few anchored blocks through `*alias` and `<<: *merge` (scripts/bench/_generate.mjs).
// Measured three ways, medians:
//   in-process: the analysis the server and `validate` run (analyze + validateModel), wall and
//           CPU time (CPU time is what a machine busy with other work does not inflate);
//   server: didOpen → publishDiagnostics over the real LSP connection to dist/server.js, and the
//           server's own parse + validate time (aslWorkbench/diagnosticsComputed);
//   CLI:    wall time of `node dist/cli.js validate <file>` minus that of a 3-state YAML file,
//           i.e. what the file adds to the process's start-up.
// Target: ≤ 100 ms each. --smoke: one run of the 100-state file.
//   node scripts/bench/yaml-aliases.mjs [--smoke] [--runs N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateAliasMachine } from './_generate.mjs';
import { flag, importFromRoot, median, option, reexecUnderTsx, ROOT } from './_lib.mjs';
import { SERVER_JS, startLspClient } from '../test-helpers/lsp-client.mjs';
import { waitFor } from '../test-helpers/wait.mjs';

reexecUnderTsx(import.meta.url);
const { analyze } = await importFromRoot('asl/src/analyze.ts');
const { validateModel } = await importFromRoot('asl/src/rules/index.ts');

const smoke = flag('--smoke');
const RUNS = flag('--runs') ? Number(option('--runs')) : smoke ? 1 : 9;
const SIZES = smoke ? [100] : [100, 200];
const TARGET_MS = 100;
const CLI_JS = path.join(ROOT, 'dist/cli.js');

if (!fs.existsSync(SERVER_JS) || !fs.existsSync(CLI_JS)) {
  console.error('dist/ is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

function measureInProcess(text) {
  const once = () => validateModel(analyze(text, 'yaml').model, { machineType: 'STANDARD' });
  once();
  const wall = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    once();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function measureServer(text, n) {
  const client = await startLspClient();
  const computed = new Map();
  client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) =>
    computed.set(`${p.uri}@${p.version}`, p.elapsedMs),
  );
  const open = [];
  const server = [];
  let count = 0;
  try {
    // warm-up (JIT, schema compilation) on the same text is not measured
    const warm = 'file:///bench/warmup.asl.yaml';
    const w = client.waitForDiagnostics(warm, undefined, { deadlineMs: 300_000 });
    client.open(warm, text, 'asl-yaml');
    await w;
    client.close(warm);
    for (let r = 0; r < RUNS; r++) {
      const uri = `file:///bench/aliases-${n}-${r}.asl.yaml`;
      const p = client.waitForDiagnostics(uri, (x) => x.version === 1, { deadlineMs: 300_000 });
      const t0 = performance.now();
      client.open(uri, text, 'asl-yaml', 1);
      const got = await p;
      open.push(got.at - t0);
      count = got.diagnostics.length;
      await waitFor(() => computed.has(`${uri}@1`), { message: 'aslWorkbench/diagnosticsComputed' });
      server.push(computed.get(`${uri}@1`));
      client.close(uri);
    }
  } finally {
    await client.stop();
  }
  return { open: median(open), server: median(server), count };
}

function cliWall(file) {
  const xs = [];
  let status;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [CLI_JS, 'validate', file], { encoding: 'utf8' });
    xs.push(performance.now() - t0);
    status = res.status;
  }
  return { ms: median(xs), status };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-bench-aliases-'));
const rows = [];
try {
  const small = path.join(dir, 'small.asl.yaml');
  fs.writeFileSync(small, generateAliasMachine(3));
  const base = cliWall(small);
  for (const n of SIZES) {
    const text = generateAliasMachine(n);
    const file = path.join(dir, `aliases-${n}.asl.yaml`);
    fs.writeFileSync(file, text);
    const inProcess = measureInProcess(text);
    const s = await measureServer(text, n);
    const c = cliWall(file);
    rows.push({ n, bytes: text.length, inProcess, ...s, cli: c.ms - base.ms, cliWall: c.ms, cliStatus: c.status });
    console.log(`measured ${n} states (${(text.length / 1024).toFixed(1)} KiB)`);
  }
  console.log(
    `\nAlias-heavy YAML analysis (median of ${RUNS}; CLI start-up = ${base.ms.toFixed(0)} ms wall for a 3-state file)`,
  );
  const fmt = (ms) => `${ms.toFixed(1)} ms`;
  console.table(
    rows.map((r) => ({
      states: r.n,
      KiB: Number((r.bytes / 1024).toFixed(1)),
      'in-process wall / CPU': `${fmt(r.inProcess.wall)} / ${fmt(r.inProcess.cpu)}`,
      'didOpen→publish': fmt(r.open),
      'server parse+validate': fmt(r.server),
      'validate (CLI, over start-up)': fmt(r.cli),
      'validate exit': r.cliStatus,
      diagnostics: r.count,
      target: `≤ ${TARGET_MS} ms`,
      met: r.open <= TARGET_MS && r.cli <= TARGET_MS ? 'yes' : 'NO',
    })),
  );
  console.log(
    `machine load average: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
// the files are valid machines: a diagnostic means the figures measure something else
if (rows.some((r) => r.count !== 0 || r.cliStatus !== 0)) {
  console.error('the generated machines should have no diagnostics');
  process.exit(1);
}
