#!/usr/bin/env node
// Diagnostics latency: generated chains of N states (Task/Pass, a Choice every 10, a Parallel
// with 2 branches every 50). Ours: median time from didOpen and from a one-state didChange
// to publishDiagnostics, over the real LSP connection to dist/server.js. Theirs:
// amazon-states-language-service doValidation, IN-PROCESS (parse + validate; no transport),
// installed on demand into .bench/deps. Targets: <= 20 ms at 1,000 states, <= 150 ms at 5,000.
// Usage: node scripts/bench/diagnostics.mjs [--smoke] [--runs N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startLspClient, positionAt, REPO_ROOT, SERVER_JS } from './lsp-client.mjs';
import { generateMachine } from './_generate.mjs';
import { flag, median, option } from './_lib.mjs';

const smoke = flag('--smoke');
const RUNS = flag('--runs') ? Number(option('--runs')) : smoke ? 1 : 15;
const SIZES = smoke ? [200] : [1000, 5000];
const TARGET = { 1000: 20, 5000: 150 };

/** Resolves once `cond()` holds, polling on the event loop (the notification follows publishDiagnostics). */
function waitFor(cond, timeoutMs = 10_000) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () =>
      cond() ? resolve() : performance.now() - start > timeoutMs ? reject(new Error('timeout')) : setImmediate(tick);
    tick();
  });
}

async function measureOurs(n) {
  const { text, commentAt } = generateMachine(n);
  const client = await startLspClient();
  const open = [];
  const change = [];
  const serverOpen = [];
  const serverChange = [];
  /** server-side parse + validate time, from aslWorkbench/diagnosticsComputed */
  const computed = new Map();
  client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) =>
    computed.set(`${p.uri}@${p.version}`, p.elapsedMs),
  );
  let counts = {};
  try {
    // warm-up (JIT, schema compilation) is not measured
    const warm = 'file:///bench/warmup.asl.json';
    let w = client.waitForDiagnostics(warm);
    client.open(warm, text);
    await w;
    client.close(warm);
    for (let r = 0; r < RUNS; r++) {
      const uri = `file:///bench/m${n}-${r}.asl.json`;
      const p = client.waitForDiagnostics(uri, (x) => x.version === 1, 120_000);
      const t0 = performance.now();
      client.open(uri, text, 'asl', 1);
      const got = await p;
      open.push(got.at - t0);
      await waitFor(() => computed.has(`${uri}@1`));
      serverOpen.push(computed.get(`${uri}@1`));
      counts = { open: got.diagnostics.length };
      // one-state change: edit the Comment of one Task in the middle ("step" -> "stop")
      let version = 1;
      let current = text;
      for (let c = 0; c < 3; c++) {
        version++;
        const replacement = version % 2 ? 'step' : 'stop';
        const range = { start: positionAt(current, commentAt), end: positionAt(current, commentAt + 4) };
        const q = client.waitForDiagnostics(uri, (x) => x.version === version, 120_000);
        const t1 = performance.now();
        client.changeIncremental(uri, version, [{ range, text: replacement }]);
        const gotC = await q;
        change.push(gotC.at - t1);
        await waitFor(() => computed.has(`${uri}@${version}`));
        serverChange.push(computed.get(`${uri}@${version}`));
        current = current.slice(0, commentAt) + replacement + current.slice(commentAt + 4);
      }
      client.close(uri);
    }
  } finally {
    await client.stop();
  }
  return {
    open: median(open),
    change: median(change),
    serverOpen: median(serverOpen),
    serverChange: median(serverChange),
    counts,
    bytes: text.length,
  };
}

/** Loads amazon-states-language-service from .bench/deps, installing it when missing. */
function loadTheirs() {
  const prefix = path.join(REPO_ROOT, '.bench/deps');
  const pkg = path.join(prefix, 'node_modules/amazon-states-language-service/package.json');
  if (!fs.existsSync(pkg)) {
    if (smoke) return { missing: 'not installed (smoke mode does not install)' };
    console.log('installing amazon-states-language-service into .bench/deps …');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        'amazon-states-language-service',
        'vscode-languageserver-textdocument',
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0 || !fs.existsSync(pkg)) return { missing: 'npm install failed' };
  }
  const require = createRequire(pkg);
  const asls = require('amazon-states-language-service');
  const { TextDocument } = require('vscode-languageserver-textdocument');
  return { asls, TextDocument, version: JSON.parse(fs.readFileSync(pkg, 'utf8')).version };
}

async function measureTheirs(theirs, n) {
  const { text, commentAt } = generateMachine(n);
  const ls = theirs.asls.getLanguageService({});
  const validate = async (t, version) => {
    const doc = theirs.TextDocument.create(`file:///bench/t${n}.asl.json`, 'asl', version, t);
    const json = ls.parseJSONDocument(doc);
    return ls.doValidation(doc, json);
  };
  await validate(text, 0); // warm-up
  const open = [];
  const change = [];
  let count = 0;
  const runs = Math.max(1, n >= 5000 ? Math.min(RUNS, 5) : RUNS);
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    count = (await validate(text, 1)).length;
    open.push(performance.now() - t0);
    const edited = text.slice(0, commentAt) + 'stop' + text.slice(commentAt + 4);
    t0 = performance.now();
    await validate(edited, 2);
    change.push(performance.now() - t0);
  }
  return { open: median(open), change: median(change), count };
}

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');

if (!fs.existsSync(SERVER_JS)) {
  console.error('dist/server.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}
const theirs = loadTheirs();
const rows = [];
for (const n of SIZES) {
  const ours = await measureOurs(n);
  const t = theirs.asls ? await measureTheirs(theirs, n) : undefined;
  rows.push({ n, ours, theirs: t });
  console.log(
    `measured N=${n} (${(ours.bytes / 1024).toFixed(0)} KiB): ours open ${fmt(ours.open)}, change ${fmt(ours.change)}${t ? `; theirs open ${fmt(t.open)}, change ${fmt(t.change)}` : ''}`,
  );
}

console.log('\nDiagnostics latency (median of', RUNS, 'runs; ours over LSP stdio incl. transport, theirs in-process)');
console.log(
  `theirs = amazon-states-language-service ${theirs.version ?? `(${theirs.missing})`}, doValidation called in-process`,
);
const header = [
  'states',
  'ours didOpen→publish',
  'ours didChange→publish',
  '(server compute open/change)',
  'theirs open (in-proc)',
  'theirs change (in-proc)',
  'target',
  'ours diags',
  'theirs diags',
];
const lines = rows.map(({ n, ours, theirs: t }) => [
  String(n),
  fmt(ours.open),
  fmt(ours.change),
  `${fmt(ours.serverOpen)} / ${fmt(ours.serverChange)}`,
  t ? fmt(t.open) : 'n/a',
  t ? fmt(t.change) : 'n/a',
  TARGET[n] ? `≤ ${TARGET[n]} ms` : '-',
  String(ours.counts.open ?? ''),
  t ? String(t.count) : 'n/a',
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const row = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(
  `machine load average: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} CPUs`,
);
console.log(row(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const l of lines) console.log(row(l));
