#!/usr/bin/env node
// Diagnostics of a state machine inside a template against the same machine as a plain file,
// side by side in one run over the real LSP connection to dist/server.js: a 2,000-state chain
// (scripts/bench/_generate.mjs) as `x.asl.json`, and as the `DefinitionString` of a
// CloudFormation JSON template (one escaped JSON string the server decodes, analyses and maps
// back). Each repetition opens both (time from didOpen until publishDiagnostics of that version)
// and changes one state's Comment in both (didChange until publishDiagnostics); plain and
// template alternate, so a busy machine slows both alike. Figures are medians; the template
// also has its server-side compute time (aslWorkbench/diagnosticsComputed).
// Target: the template within 2x the plain file, from didOpen and from didChange.
// Usage: node scripts/bench/templates.mjs [--smoke] [--runs N] [--states N]
import fs from 'node:fs';
import os from 'node:os';
import { startLspClient, positionAt, SERVER_JS } from '../test-helpers/lsp-client.mjs';
import { waitFor } from '../test-helpers/wait.mjs';
import { generateMachine } from './_generate.mjs';
import { flag, median, option } from './_lib.mjs';

const smoke = flag('--smoke');
const RUNS = flag('--runs') ? Number(option('--runs')) : smoke ? 1 : 15;
const STATES = flag('--states') ? Number(option('--states')) : smoke ? 200 : 2000;
const TARGET_RATIO = 2;
/** didChange repetitions per didOpen. */
const CHANGES = 3;

if (!fs.existsSync(SERVER_JS)) {
  console.error('dist/server.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}

const machine = generateMachine(STATES);
const PREFIX =
  '{\n  "Resources": {\n    "Chain": {\n      "Type": "AWS::StepFunctions::StateMachine",\n      "Properties": {\n        "DefinitionString": ';
const template = `${PREFIX}${JSON.stringify(machine.text)}\n      }\n    }\n  }\n}\n`;
/** the edited Comment in the template: where the escaped text before it ends */
const templateCommentAt = PREFIX.length + JSON.stringify(machine.text.slice(0, machine.commentAt)).length - 1;
if (template.slice(templateCommentAt, templateCommentAt + 4) !== 'step')
  throw new Error('the Comment to edit is not found');

const DOCS = {
  plain: { text: machine.text, commentAt: machine.commentAt, languageId: 'asl', name: 'chain.asl.json' },
  template: { text: template, commentAt: templateCommentAt, languageId: 'json', name: 'template.json' },
};

const client = await startLspClient();
const computed = new Map();
client.connection.onNotification('aslWorkbench/diagnosticsComputed', (p) =>
  computed.set(`${p.uri}@${p.version}`, p.elapsedMs),
);
const serverTime = async (uri, version) => {
  await waitFor(() => computed.has(`${uri}@${version}`), { message: 'aslWorkbench/diagnosticsComputed' });
  return computed.get(`${uri}@${version}`);
};

let rep = 0;
/** One open and CHANGES one-state changes of a fresh uri of `kind`; what they took goes into `into`. */
async function cycle(kind, into) {
  const d = DOCS[kind];
  const uri = `file:///bench/templates/${rep++}/${d.name}`;
  const opened = client.waitForDiagnostics(uri, (x) => x.version === 1, { deadlineMs: 120_000 });
  const t0 = performance.now();
  client.open(uri, d.text, d.languageId, 1);
  const got = await opened;
  into.open.push(got.at - t0);
  into.serverOpen.push(await serverTime(uri, 1));
  into.count = got.diagnostics.length;
  let current = d.text;
  for (let version = 2; version < 2 + CHANGES; version++) {
    const replacement = version % 2 ? 'step' : 'stop';
    const range = { start: positionAt(current, d.commentAt), end: positionAt(current, d.commentAt + 4) };
    const changed = client.waitForDiagnostics(uri, (x) => x.version === version, { deadlineMs: 120_000 });
    const t1 = performance.now();
    client.changeIncremental(uri, version, [{ range, text: replacement }]);
    const gotC = await changed;
    into.change.push(gotC.at - t1);
    into.serverChange.push(await serverTime(uri, version));
    current = current.slice(0, d.commentAt) + replacement + current.slice(d.commentAt + 4);
  }
  client.close(uri);
}

const fresh = () => ({ open: [], change: [], serverOpen: [], serverChange: [], count: undefined });
const res = { plain: fresh(), template: fresh() };
const loadBefore = os.loadavg()[0].toFixed(1);
try {
  // a warm-up cycle of each (JIT, schema compilation) is not measured
  await cycle('plain', fresh());
  await cycle('template', fresh());
  for (let r = 0; r < RUNS; r++) {
    // alternate which goes first, so neither always runs on a just-warmed process
    for (const kind of r % 2 ? ['template', 'plain'] : ['plain', 'template']) await cycle(kind, res[kind]);
  }
} finally {
  await client.stop();
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const m = (k, f) => median(res[k][f]);
const ratioOpen = m('template', 'open') / m('plain', 'open');
const ratioChange = m('template', 'change') / m('plain', 'change');
console.log(
  `\nA ${STATES}-state machine as a plain file and as a CloudFormation DefinitionString: medians of ${RUNS} runs ` +
    `(${CHANGES} changes each), alternating, over LSP stdio to dist/server.js; load ${loadBefore} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
);
const rows = [
  ['', 'open', 'change', 'server compute open / change', 'diagnostics'],
  ...['plain', 'template'].map((k) => [
    k === 'plain'
      ? `plain .asl.json (${(machine.text.length / 1e6).toFixed(2)} MB)`
      : `template DefinitionString (${(template.length / 1e6).toFixed(2)} MB)`,
    fmt(m(k, 'open')),
    fmt(m(k, 'change')),
    `${fmt(m(k, 'serverOpen'))} / ${fmt(m(k, 'serverChange'))}`,
    String(res[k].count),
  ]),
  ['template / plain', `${ratioOpen.toFixed(2)}×`, `${ratioChange.toFixed(2)}×`, '', ''],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log('| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |');
if (res.plain.count !== res.template.count)
  console.log(`note: ${res.plain.count} diagnostics in the plain file, ${res.template.count} in the template`);
const within = ratioOpen <= TARGET_RATIO && ratioChange <= TARGET_RATIO;
console.log(`target: template ≤ ${TARGET_RATIO}× plain from didOpen and didChange — ${within ? 'met' : 'MISSED'}`);
// one smoke iteration on a small machine says nothing about the ratio
if (!within && !smoke) process.exit(1);
