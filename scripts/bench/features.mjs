#!/usr/bin/env node
// Completion and hover latency (median) of the language server over the real LSP connection,
// on a generated 5,000-state machine, at two positions: inside a RunTask `Parameters` (key
// completion / hover on a parameter) and inside a `Next` (state-name completion / hover on
// the reference). Side by side, in the same run: amazon-states-language-service's doComplete
// and doHover in-process (installed into .bench/deps on first use). Target: <= 5 ms each.
// Also completion while typing a YAML machine of ordinary size (target: 20 ms a request).
//   node scripts/bench/features.mjs [--smoke] [--json]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT as root, flag, loadAsls, median } from './_lib.mjs';
import { startLspClient } from '../test-helpers/lsp-client.mjs';

const smoke = flag('--smoke');
const asJson = flag('--json');
const N_STATES = smoke ? 500 : 5000;
const RUNS = smoke ? 5 : 50;
const TARGET_MS = 5;
/** Budget of one completion request while typing: the server's share of keystroke to suggest list. */
const TYPING_TARGET_MS = 20;
/** States of the ordinary-size YAML machine typed in (about 12,000 characters). */
const YAML_STATES = 40;

if (!fs.existsSync(path.join(root, 'dist/server.js'))) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

/** A chain of N states: ECS tasks and Pass states, a Choice every 10, a Parallel every 50. */
function generate(n) {
  const lines = ['{', '  "Comment": "features benchmark",', '  "StartAt": "S0",', '  "States": {'];
  const name = (i) => `S${i}`;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? `"Next": "${name(i + 1)}"` : '"End": true';
    const comma = i + 1 < n ? ',' : '';
    if (i % 50 === 25) {
      lines.push(`    "${name(i)}": {`, '      "Type": "Parallel",', '      "Branches": [');
      for (const b of [0, 1]) {
        lines.push(
          `        { "StartAt": "${name(i)}b${b}", "States": { "${name(i)}b${b}": { "Type": "Pass", "End": true } } }${b === 0 ? ',' : ''}`,
        );
      }
      lines.push('      ],', `      ${next}`, `    }${comma}`);
    } else if (i % 10 === 5 && i + 2 < n) {
      lines.push(
        `    "${name(i)}": {`,
        '      "Type": "Choice",',
        `      "Choices": [ { "Variable": "$.flag", "BooleanEquals": true, "Next": "${name(i + 1)}" } ],`,
        `      "Default": "${name(i + 1)}"`,
        `    }${comma}`,
      );
    } else if (i % 2 === 0) {
      lines.push(
        `    "${name(i)}": {`,
        '      "Type": "Task",',
        '      "Resource": "arn:aws:states:::ecs:runTask.sync",',
        '      "Parameters": {',
        `        "TaskDefinition": "family-${i}",`,
        '        "Cluster": "bench"',
        '      },',
        '      "TimeoutSeconds": 600,',
        `      ${next}`,
        `    }${comma}`,
      );
    } else {
      lines.push(`    "${name(i)}": { "Type": "Pass", ${next} }${comma}`);
    }
  }
  lines.push('  }', '}');
  return lines.join('\n') + '\n';
}

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

const text = generate(N_STATES);
const mid = Math.floor(N_STATES / 2) & ~1; // an even index: a Task state
const taskAt = text.indexOf(`"S${mid}": {`);
const paramsKey = text.indexOf('"Cluster": "bench"', taskAt);
// key completion: just after the comma ending the TaskDefinition line, between two properties
const paramsLineStart = text.lastIndexOf(',', paramsKey) + 1;
const nextAt = text.indexOf('"Next": "', taskAt) + '"Next": "'.length + 1;
const positions = {
  params: { complete: positionAt(text, paramsLineStart), hover: positionAt(text, paramsKey + 3) },
  next: { complete: positionAt(text, nextAt), hover: positionAt(text, nextAt) },
};

// ---------------------------------------------------------------- ours, over LSP
const client = await startLspClient();
const uri = pathToFileURL(path.join(root, '.bench', 'features-5000.asl.json')).href;
const opened = client.waitForDiagnostics(uri, undefined, { deadlineMs: 120_000 });
client.open(uri, text);
await opened;
const ours = {};
let sampleCounts = {};
for (const [where, pos] of Object.entries(positions)) {
  const c = [];
  const h = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const res = await client.request('textDocument/completion', { textDocument: { uri }, position: pos.complete });
    c.push(performance.now() - t);
    sampleCounts[where] = (Array.isArray(res) ? res : (res?.items ?? [])).length;
    t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: pos.hover });
    h.push(performance.now() - t);
  }
  ours[where] = { completion: median(c), hover: median(h) };
}
// informational: completion right after a one-state edit, so the request includes the re-parse
// and model of the new version (diagnostics of that version are computed concurrently)
{
  const c = [];
  const edited = [text, text.replace(`"family-${mid}"`, `"family-${mid}x"`)];
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    client.changeFull(uri, i + 2, edited[(i + 1) % 2]);
    const t = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri }, position: positions.next.complete });
    c.push(performance.now() - t);
  }
  ours.afterEdit = { completion: median(c) };
}
// code actions for one line of the same machine with a few hundred diagnostics: every 20th
// Pass state gets a misspelled `ResultPth` (ASL102); the request sends that line's diagnostics
{
  const broken = text.replace(/"S(\d+)": \{ "Type": "Pass", /g, (m, i) =>
    Number(i) % 20 === 1 ? `${m}"ResultPth": "$.x", ` : m,
  );
  const brokenUri = pathToFileURL(path.join(root, '.bench', 'features-5000-broken.asl.json')).href;
  const published = client.waitForDiagnostics(brokenUri, (p) => p.diagnostics.some((d) => d.code === 'ASL102'), {
    deadlineMs: 120_000,
  });
  client.open(brokenUri, broken);
  const diags = (await published).diagnostics;
  const typos = diags.filter((d) => d.code === 'ASL102');
  const line = typos[Math.floor(typos.length / 2)].range.start.line;
  const range = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
  const onLine = diags.filter((d) => d.range.start.line <= line && d.range.end.line >= line);
  const c = [];
  let fixes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await client.request('textDocument/codeAction', {
      textDocument: { uri: brokenUri },
      range,
      context: { diagnostics: onLine },
    });
    c.push(performance.now() - t);
    fixes = (res ?? []).length;
  }
  ours.codeAction = { codeAction: median(c), diagnostics: diags.length, fixes };
}
// completion while typing a YAML machine of ordinary size: a key in Parameters, a value after
// `Resource: `, and a word typed in front of an existing key (the one case that parses the
// text a second time); the typing budget is TYPING_TARGET_MS per request
{
  const lines = ['StartAt: S0', 'States:'];
  for (let i = 0; i < YAML_STATES; i++) {
    lines.push(`  S${i}:`, '    Type: Task', '    Resource: arn:aws:states:::ecs:runTask.sync', '    Parameters:');
    lines.push(
      `      TaskDefinition: family-${i}`,
      '      Cluster: bench',
      '    TimeoutSeconds: 600',
      `    ${i + 1 < YAML_STATES ? `Next: S${i + 1}` : 'End: true'}`,
    );
  }
  const yamlText = lines.join('\n') + '\n';
  const at = yamlText.indexOf(`  S${YAML_STATES >> 1}:`);
  const cluster = yamlText.indexOf('      Cluster: bench', at);
  const resource = yamlText.indexOf('Resource: ', at) + 'Resource: '.length;
  const cases = {
    key: { text: yamlText.slice(0, cluster) + '      Ov\n' + yamlText.slice(cluster), offset: cluster + 8 },
    value: { text: yamlText.slice(0, resource) + yamlText.slice(yamlText.indexOf('\n', resource)), offset: resource },
    beforeKey: { text: yamlText.slice(0, cluster + 2) + 'Ov' + yamlText.slice(cluster + 2), offset: cluster + 4 },
  };
  for (const [name, c] of Object.entries(cases)) {
    const yamlUri = pathToFileURL(path.join(root, '.bench', `features-typing-${name}.asl.yaml`)).href;
    const opened = client.waitForDiagnostics(yamlUri, undefined, { deadlineMs: 60_000 });
    client.open(yamlUri, c.text, 'asl-yaml');
    await opened;
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await client.request('textDocument/completion', {
        textDocument: { uri: yamlUri },
        position: positionAt(c.text, c.offset),
      });
      times.push(performance.now() - t);
    }
    ours[`yaml-${name}`] = { completion: median(times), chars: c.text.length };
  }
}
await client.stop?.();
if (!client.stop) client.process.kill();

// ---------------------------------------------------------------- amazon-states-language-service, in-process
const loaded = loadAsls();
const theirs = {};
if (loaded.asls) {
  const { asls, TextDocument } = loaded;
  const ls = asls.getLanguageService({});
  const doc = TextDocument.create(uri, 'asl', 1, text);
  const jsonDoc = ls.parseJSONDocument(doc);
  for (const [where, pos] of Object.entries(positions)) {
    const c = [];
    const h = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await ls.doComplete(doc, pos.complete, jsonDoc);
      c.push(performance.now() - t);
      t = performance.now();
      await ls.doHover(doc, pos.hover, jsonDoc);
      h.push(performance.now() - t);
    }
    theirs[where] = { completion: median(c), hover: median(h) };
  }
}

// ---------------------------------------------------------------- report
const fmt = (x) => (x === undefined || Number.isNaN(x) ? '—' : `${x.toFixed(2)} ms`);
const rows = [];
for (const where of Object.keys(positions)) {
  for (const kind of ['completion', 'hover']) {
    rows.push({
      position: where === 'params' ? 'inside RunTask Parameters' : 'inside Next',
      request: kind,
      ours: ours[where][kind],
      asls: theirs[where]?.[kind],
      ok: ours[where][kind] <= TARGET_MS,
    });
  }
}
rows.push({
  position: 'inside Next, right after a didChange (re-parse included, info)',
  request: 'completion',
  ours: ours.afterEdit.completion,
  asls: undefined,
  ok: 'info',
});
for (const [name, label] of [
  ['key', 'a key typed in Parameters'],
  ['value', 'a value after `Resource: `'],
  ['beforeKey', 'a word typed in front of an existing key'],
]) {
  const r = ours[`yaml-${name}`];
  rows.push({
    position: `${YAML_STATES}-state YAML machine (${r.chars} chars): ${label}, target <= ${TYPING_TARGET_MS} ms`,
    request: 'completion',
    ours: r.completion,
    asls: undefined,
    ok: r.completion <= TYPING_TARGET_MS,
  });
}
rows.push({
  position: `codeAction on a ${N_STATES}-state machine with ${ours.codeAction.diagnostics} diagnostics (one line, ${ours.codeAction.fixes} actions)`,
  request: 'codeAction',
  ours: ours.codeAction.codeAction,
  asls: undefined,
  ok: ours.codeAction.codeAction <= TARGET_MS,
});
if (asJson) {
  process.stdout.write(
    JSON.stringify({ states: N_STATES, runs: RUNS, targetMs: TARGET_MS, rows, items: sampleCounts }, null, 2) + '\n',
  );
} else {
  console.log(
    `features bench: ${N_STATES}-state machine (${text.length} chars), median of ${RUNS}, target <= ${TARGET_MS} ms`,
  );
  console.log(`items returned: Parameters ${sampleCounts.params}, Next ${sampleCounts.next}`);
  console.log('| position | request | asl-workbench (LSP) | amazon-states-language-service (in-process) | target |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.position} | ${r.request} | ${fmt(r.ours)} | ${fmt(r.asls)} | ${r.ok === 'info' ? 'info' : r.ok ? 'ok' : 'MISSED'} |`,
    );
  if (!loaded.asls) console.log(`(amazon-states-language-service could not be loaded: ${loaded.missing})`);
}
process.exit(0);
