#!/usr/bin/env node
// Diagnostics latency, ours and amazon-states-language-service side by side in one run.
// Machines (scripts/bench/_generate.mjs): chains of 1,000 and 5,000 states (Task/Pass, a Choice
// every 10, a Parallel every 50), and the editor-scale machine: 5,000 top-level ECS Task/Pass
// states with a Choice every 10th and a Parallel every 50th, 5,400 in all, 2.9 MB.
// Ours: time from sending didOpen, and from a one-state didChange, until publishDiagnostics for
// that version arrives, over the real LSP connection to dist/server.js (transport included).
// Theirs: doValidation of the same text (parse + validate), in-process, no transport. The
// repetitions of both alternate, so a busy machine slows both alike; the figures are medians.
// Targets: <= 20 ms at 1,000 states, <= 150 ms at 5,000; ours >= 20x theirs on the editor-scale
// machine, from didOpen and from didChange.
// Usage: node scripts/bench/diagnostics.mjs [--smoke] [--runs N] [--server path/to/server.js] [--only chain|editor]
import fs from 'node:fs';
import os from 'node:os';
import { startLspClient, positionAt, SERVER_JS } from '../test-helpers/lsp-client.mjs';
import { generateEditorMachine, generateMachine } from './_generate.mjs';
import { flag, loadAsls, median, option } from './_lib.mjs';
import { waitFor } from '../test-helpers/wait.mjs';

const smoke = flag('--smoke');
const RUNS = flag('--runs') ? Number(option('--runs')) : smoke ? 1 : 15;
/** Theirs takes seconds on the 5,000-state machines: fewer repetitions of it there. */
const THEIR_RUNS_LARGE = 5;
/** Another server bundle to measure (e.g. a build of an older tree), instead of dist/server.js. */
const serverPath = option('--server');
/** Only the machines whose label contains this. */
const only = option('--only');
/** didChange repetitions per didOpen. */
const CHANGES = 3;

const MACHINES = smoke
  ? [
      { label: 'chain 200', make: () => generateMachine(200) },
      { label: 'editor 200', make: () => generateEditorMachine(200) },
    ]
  : [
      { label: 'chain 1,000', make: () => generateMachine(1000), targetMs: 20 },
      { label: 'chain 5,000', make: () => generateMachine(5000), targetMs: 150, large: true },
      { label: 'editor 5,000', make: () => generateEditorMachine(5000), targetRatio: 20, large: true },
    ];

/** One LSP server for a machine: warmed up, then measured one open + CHANGES changes at a time. */
async function oursFor(machine) {
  const { text, commentAt } = machine;
  const client = await startLspClient(serverPath ? { serverPath } : {});
  /** server-side compute time, from aslWorkbench/diagnosticsComputed */
  const computed = new Map();
  client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) =>
    computed.set(`${p.uri}@${p.version}`, p.elapsedMs),
  );
  const res = { open: [], change: [], serverOpen: [], serverChange: [], count: undefined };
  const serverTime = async (uri, version) => {
    await waitFor(() => computed.has(`${uri}@${version}`), { message: 'aslWorkbench/diagnosticsComputed' });
    return computed.get(`${uri}@${version}`);
  };
  let rep = 0;
  /** one open and CHANGES changes of a fresh uri; what they took is added to `into` */
  const cycle = async (into) => {
    const uri = `file:///bench/m-${rep++}.asl.json`;
    const p = client.waitForDiagnostics(uri, (x) => x.version === 1, { deadlineMs: 120_000 });
    const t0 = performance.now();
    client.open(uri, text, 'asl', 1);
    const got = await p;
    into.open.push(got.at - t0);
    into.serverOpen.push(await serverTime(uri, 1));
    into.count = got.diagnostics.length;
    // one-state change: the Comment of one Task in the middle ("step" <-> "stop")
    let current = text;
    for (let version = 2; version < 2 + CHANGES; version++) {
      const replacement = version % 2 ? 'step' : 'stop';
      const range = { start: positionAt(current, commentAt), end: positionAt(current, commentAt + 4) };
      const q = client.waitForDiagnostics(uri, (x) => x.version === version, { deadlineMs: 120_000 });
      const t1 = performance.now();
      client.changeIncremental(uri, version, [{ range, text: replacement }]);
      const gotC = await q;
      into.change.push(gotC.at - t1);
      into.serverChange.push(await serverTime(uri, version));
      current = current.slice(0, commentAt) + replacement + current.slice(commentAt + 4);
    }
    client.close(uri);
  };
  // a warm-up cycle (JIT, schema compilation) is not measured
  await cycle({ open: [], change: [], serverOpen: [], serverChange: [] });
  return { res, measure: () => cycle(res), stop: () => client.stop() };
}

/** amazon-states-language-service on the same text, opened and then changed the same way. */
async function theirsFor(theirs, machine) {
  const { text, commentAt } = machine;
  const ls = theirs.asls.getLanguageService({});
  const validate = async (t, version) => {
    const doc = theirs.TextDocument.create('file:///bench/theirs.asl.json', 'asl', version, t);
    return ls.doValidation(doc, ls.parseJSONDocument(doc));
  };
  const edited = text.slice(0, commentAt) + 'stop' + text.slice(commentAt + 4);
  // a warm-up open and change, as for ours
  await validate(text, 0);
  await validate(edited, 0);
  const res = { open: [], change: [], count: undefined };
  return {
    res,
    async measure() {
      let t0 = performance.now();
      res.count = (await validate(text, 1)).length;
      res.open.push(performance.now() - t0);
      t0 = performance.now();
      await validate(edited, 2);
      res.change.push(performance.now() - t0);
    },
  };
}

const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');
const ratio = (theirs, ours) => (Number.isFinite(theirs) && ours > 0 ? `${(theirs / ours).toFixed(1)}×` : 'n/a');
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

if (!fs.existsSync(serverPath ?? SERVER_JS)) {
  console.error(`${serverPath ?? 'dist/server.js'} is missing: run \`node scripts/build.mjs\` first`);
  process.exit(1);
}
const theirs = loadAsls({ install: !smoke });
const loadBefore = load();
const rows = [];
for (const m of MACHINES.filter((x) => !only || x.label.includes(only))) {
  const machine = m.make();
  const ours = await oursFor(machine);
  const t = theirs.asls ? await theirsFor(theirs, machine) : undefined;
  const theirRuns = m.large ? Math.min(RUNS, THEIR_RUNS_LARGE) : RUNS;
  try {
    for (let r = 0; r < RUNS; r++) {
      await ours.measure();
      if (t && r < theirRuns) await t.measure();
    }
  } finally {
    await ours.stop();
  }
  const o = ours.res;
  const row = {
    ...m,
    machine,
    ours: {
      open: median(o.open),
      change: median(o.change),
      serverOpen: median(o.serverOpen),
      serverChange: median(o.serverChange),
    },
    oursCount: o.count,
    theirs: t && { open: median(t.res.open), change: median(t.res.change) },
    theirsCount: t?.res.count,
  };
  rows.push(row);
  console.log(
    `measured ${m.label} (${(machine.text.length / 1e6).toFixed(2)} MB${machine.states ? `, ${machine.topLevel} top-level / ${machine.states} states` : ''}): ` +
      `ours open ${fmt(row.ours.open)}, change ${fmt(row.ours.change)}` +
      (row.theirs ? `; theirs open ${fmt(row.theirs.open)}, change ${fmt(row.theirs.change)}` : ''),
  );
}

console.log(
  `\nDiagnostics latency: medians of ${RUNS} runs of ours (${CHANGES} changes each), ` +
    `${Math.min(RUNS, THEIR_RUNS_LARGE)}–${RUNS} of theirs, alternating`,
);
console.log(
  `ours = ${serverPath ?? 'dist/server.js'} over LSP stdio, didOpen/didChange → publishDiagnostics of that version`,
);
console.log(
  `theirs = amazon-states-language-service ${theirs.version ?? `(${theirs.missing})`}, doValidation in-process`,
);
console.log(`machine load average: ${loadBefore} before, ${load()} after, on ${os.cpus().length} CPUs`);
const header = [
  'machine',
  'size',
  'ours open',
  'ours change',
  'server compute open / change',
  'theirs open',
  'theirs change',
  'ratio open',
  'ratio change',
  'target',
  'diags ours / theirs',
];
const lines = rows.map((r) => [
  r.label,
  `${(r.machine.text.length / 1e6).toFixed(2)} MB`,
  fmt(r.ours.open),
  fmt(r.ours.change),
  `${fmt(r.ours.serverOpen)} / ${fmt(r.ours.serverChange)}`,
  fmt(r.theirs?.open),
  fmt(r.theirs?.change),
  ratio(r.theirs?.open, r.ours.open),
  ratio(r.theirs?.change, r.ours.change),
  r.targetMs ? `≤ ${r.targetMs} ms` : r.targetRatio ? `≥ ${r.targetRatio}× theirs` : '-',
  `${r.oursCount ?? 'n/a'} / ${r.theirsCount ?? 'n/a'}`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const tableRow = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(tableRow(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const l of lines) console.log(tableRow(l));
