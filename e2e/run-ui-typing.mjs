#!/usr/bin/env node
// Types a JSON and a YAML state machine character by character, from an empty file, in the real
// VS Code (code-server) with the packaged .vsix installed: an ECS runTask.sync state and an EKS
// runJob.sync state each. At every step it asserts that the suggest widget opened by itself
// (Ctrl+Space is never pressed), that its first item is the expected one, and what accepting it
// (Enter) wrote; the finished documents must have no problems. It also checks the empty machine
// file (template lens, no error, no Run Locally lens) and measures:
//   - open -> first diagnostics (Quick Open Enter to the first squiggle), with the extension's
//     start-up parts from its log (activate, server spawn, initialize, first publish);
//   - keystroke -> visible suggest widget (median), and the server's own completion time
//     (ASL_WORKBENCH_TIMING log lines) and the client's round trip (LSP trace).
// The documents are typed in segments; each segment starts from a known text, so a failing step
// only stops its own segment (the next one restores its start text and goes on).
// Screenshots go to artifacts/e2e/ui-typing/.
//
// usage: node e2e/run-ui-typing.mjs [--results FILE] [--vsix FILE] [--doc json|yaml] [--every-step]
//   --every-step: a screenshot after every step (step-<format>-<n>.png), to see how a failure came about
// prints `ui-typing-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, log, workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';
import { waitFor } from '../scripts/test-helpers/wait.mjs';

const { opt, results, shot, check, run, palette } = workbenchRunner({
  name: 'ui-typing',
  label: 'ui-typing-tests',
  waitingDetail: false,
  env: { ASL_WORKBENCH_TIMING: '1' },
  settings: { 'aslWorkbench.trace.server': 'messages' },
  options: { doc: { type: 'string', multiple: true }, 'every-step': { type: 'boolean', default: false } },
});
const docs = opt.doc?.length ? opt.doc : ['json', 'yaml'];

/** The server's own share of a keystroke's latency must stay under this (median of its completion requests). */
const SERVER_COMPLETION_TARGET_MS = 20;
/** How long a step waits for the suggest widget or an edit before it fails. */
const STEP_DEADLINE_MS = 8_000;
/**
 * Time between two keystrokes: a fast typist's 20 characters a second. (Without it Playwright
 * types a word within a few milliseconds, faster than any person and than the editor's own
 * quick-suggestion delay.)
 */
const TYPING_DELAY_MS = 50;

let runDir;
let page;
const metrics = {};
/** [Enter, squiggle painted] of each open -> first diagnostics, epoch ms */
const opens = [];

// ------------------------------------------------------------------ page instrumentation

/**
 * Runs in the workbench page before it loads: records every keydown, each time a suggest widget
 * becomes visible with rows (and the keydown before it), and the first squiggle after a mark.
 */
function instrument() {
  if (window.top !== window) return;
  const e2e = (window.__e2e = { keys: [], shows: [], squiggleSince: undefined, squiggleAt: undefined });
  window.addEventListener('keydown', (ev) => e2e.keys.push({ t: performance.now(), key: ev.key }), true);
  let shown = false;
  const onMutations = () => {
    const rows = document.querySelector('.suggest-widget.visible .monaco-list-row');
    if (rows && !shown) {
      const k = e2e.keys[e2e.keys.length - 1];
      e2e.shows.push({ t: performance.now(), key: k?.key, keyT: k?.t });
    }
    shown = !!rows;
    if (e2e.squiggleSince !== undefined && e2e.squiggleAt === undefined) {
      if (document.querySelector('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning'))
        e2e.squiggleAt = performance.now();
    }
  };
  const start = () =>
    new MutationObserver(onMutations).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['class'],
      childList: true,
      subtree: true,
    });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

// ------------------------------------------------------------------ workbench helpers

const editor = () => page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/** The suggest widget's labels (first = the item Enter accepts), or null when it is hidden. */
async function suggestLabels() {
  return page.evaluate(() => {
    const w = document.querySelector('.suggest-widget.visible');
    if (!w) return null;
    const rows = [...w.querySelectorAll('.monaco-list-row')].sort((a, b) => +a.dataset.index - +b.dataset.index);
    if (!rows.length) return null;
    const label = (r) => (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim();
    const focused = w.querySelector('.monaco-list-row.focused');
    return { labels: rows.map(label), focused: focused ? label(focused) : undefined };
  });
}

/**
 * The text of the cursor's line with `‸` at the cursor, or a selection (a snippet placeholder)
 * in `«»` (from the rendered view lines and the status bar's "Ln 3, Col 9 (1 selected)").
 */
async function currentLine() {
  return page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor.focused');
    if (!ed) return undefined;
    const cursor = ed.querySelector('.cursors-layer .cursor');
    const line =
      cursor && [...ed.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === cursor.style.top);
    if (!line) return undefined;
    const text = line.textContent.replace(/\u00a0/g, ' ');
    const sel = document.querySelector('[id="status.editor.selection"]')?.textContent ?? '';
    const col = /Col (\d+)/.exec(sel);
    if (!col) return text;
    const c = Number(col[1]) - 1;
    const selected = /\((\d+) selected\)/.exec(sel);
    if (selected) {
      const n = Number(selected[1]);
      return text.slice(0, c - n) + '«' + text.slice(c - n, c) + '»' + text.slice(c);
    }
    return text.slice(0, c) + '‸' + text.slice(c);
  });
}

/** Opens a workspace file with Quick Open; returns the page time of the Enter keydown. */
async function quickOpen(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  const t = await page.evaluate(() => window.__e2e.keys.at(-1).t);
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).waitFor();
  return t;
}

/** Moves the cursor with Go to Line (1-based line and column). */
async function goTo(line, col) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The editor's indentation unit from the status bar ("Spaces: 4"). */
async function indentUnit() {
  const item = page.locator('[id="status.editor.indentation"]');
  await item.waitFor();
  const m = /Spaces:\s*(\d+)/.exec(await item.innerText());
  return m ? ' '.repeat(Number(m[1])) : '\t';
}

/**
 * Saves the active editor and returns the file's text once it was written. (The tabs of this
 * workbench carry no "dirty" class to wait for, so the file tells: its mtime changes, then its
 * size and mtime stay the same for two reads in a row, so a half-written file is never read.
 * Without edits since the last save nothing is written and the text on disk is already current.)
 */
async function saveAndRead(file) {
  const stamp = () => {
    const st = fs.statSync(file);
    return `${st.mtimeMs}/${st.size}`;
  };
  const before = stamp();
  await page.keyboard.press('Control+S');
  let last = before;
  await waitFor(
    () => {
      const now = stamp();
      const settled = now !== before && now === last;
      last = now;
      return settled;
    },
    { deadlineMs: 3000, intervalMs: 50, message: `${path.basename(file)} to be saved` },
  ).catch(() => undefined);
  return fs.readFileSync(file, 'utf8');
}

// ------------------------------------------------------------------ the typing script

/**
 * Step actions: a string is typed character by character; `{ press }` presses a key;
 * `NEWLINE` presses Enter after asserting that no suggest widget is open (Enter would accept it).
 */
const NEWLINE = { newline: true };
const press = (key, times = 1) => Array.from({ length: times }, () => ({ press: key }));
/** `suggest: ANY`: the widget must be open, whatever its first item. */
const ANY = /.*/;

/** Replaces each leading `·` with one indentation unit. */
const indented = (text, unit) => text.replace(/^·+/gm, (m) => unit.repeat(m.length));

const JSON_SEGMENTS = [
  {
    name: 'top level',
    start: '‸',
    steps: [
      {
        name: 'a key at the top level ("): StartAt',
        keys: ['{', NEWLINE, '"'],
        suggest: 'StartAt',
        line: '·"StartAt": "‸"',
        shot: 'json-top-level-keys',
      },
      {
        name: 'the next top-level key ("): States',
        keys: ['Run ECS task', ...press('End'), ',', NEWLINE, '"'],
        suggest: 'States',
        line: '·"States": {‸}',
      },
      { name: 'Enter between the braces', keys: [NEWLINE], line: '··‸' },
    ],
    end: '{\n·"StartAt": "Run ECS task",\n·"States": {\n··‸\n·}\n}',
  },
  {
    name: 'ECS state: name, Type, Resource',
    steps: [
      {
        name: 'a new state (") offers the state snippets',
        keys: ['"'],
        suggest: /^(ecs|eks)-/,
        accept: false,
        shot: 'json-state-snippets',
      },
      { name: 'a state field ("): Type', keys: ['Run ECS task', '"', ':', ' ', '{', NEWLINE, '"'], suggest: 'Type' },
      { name: 'accepting Type opens its values', keys: [], suggest: ANY, accept: false },
      { name: 'Type value (Ta): Task', keys: ['Ta'], suggest: 'Task', line: '···"Type": "Task"‸' },
      {
        name: 'next state field ("): Resource',
        keys: [',', NEWLINE, '"'],
        suggest: 'Resource',
        line: '···"Resource": "‸"',
      },
      {
        name: 'accepting Resource opens the ARNs: ecs:runTask.sync first',
        keys: [],
        suggest: 'arn:aws:states:::ecs:runTask.sync',
        line: '···"Resource": "arn:aws:states:::ecs:runTask.sync"‸',
        shot: 'json-resource-values',
      },
    ],
    end: '{\n·"StartAt": "Run ECS task",\n·"States": {\n··"Run ECS task": {\n···"Type": "Task",\n···"Resource": "arn:aws:states:::ecs:runTask.sync"‸\n··}\n·}\n}',
  },
  {
    name: 'ECS state: Parameters',
    steps: [
      { name: 'Parameters ("Pa)', keys: [',', NEWLINE, '"Pa'], suggest: 'Parameters', line: '···"Parameters": {‸}' },
      {
        name: 'first ECS parameter ("): TaskDefinition (required)',
        keys: [NEWLINE, '"'],
        suggest: 'TaskDefinition',
        line: '····"TaskDefinition": "‸"',
        shot: 'json-ecs-parameters',
      },
      {
        name: 'ECS parameter ("La): LaunchType',
        keys: ['report:1', ...press('End'), ',', NEWLINE, '"La'],
        suggest: 'LaunchType',
      },
      { name: 'accepting LaunchType opens its values', keys: [], suggest: ANY, accept: false },
      { name: 'LaunchType value (F): FARGATE', keys: ['F'], suggest: 'FARGATE', line: '····"LaunchType": "FARGATE"‸' },
      {
        name: 'ECS parameter ("Clu): Cluster',
        keys: [',', NEWLINE, '"Clu'],
        suggest: 'Cluster',
        line: '····"Cluster": "‸"',
      },
      {
        name: 'leave Parameters',
        keys: ['reports', ...press('End'), ...press('ArrowDown'), ...press('End')],
        line: '···}‸',
      },
    ],
    end: '{\n·"StartAt": "Run ECS task",\n·"States": {\n··"Run ECS task": {\n···"Type": "Task",\n···"Resource": "arn:aws:states:::ecs:runTask.sync",\n···"Parameters": {\n····"TaskDefinition": "report:1",\n····"LaunchType": "FARGATE",\n····"Cluster": "reports"\n···}‸\n··}\n·}\n}',
  },
  {
    name: 'ECS state: TimeoutSeconds, Next',
    steps: [
      {
        name: 'state field ("Ti): TimeoutSeconds',
        keys: [',', NEWLINE, '"Ti'],
        suggest: 'TimeoutSeconds',
        line: '···"TimeoutSeconds": «0»',
      },
      {
        name: 'state field ("Ne): Next',
        keys: ['600', ...press('End'), ',', NEWLINE, '"Ne'],
        suggest: 'Next',
        line: '···"Next": "‸"',
      },
      {
        name: 'leave the state',
        keys: ['Run EKS job', ...press('End'), ...press('ArrowDown'), ...press('End')],
        line: '··}‸',
      },
    ],
    end: '{\n·"StartAt": "Run ECS task",\n·"States": {\n··"Run ECS task": {\n···"Type": "Task",\n···"Resource": "arn:aws:states:::ecs:runTask.sync",\n···"Parameters": {\n····"TaskDefinition": "report:1",\n····"LaunchType": "FARGATE",\n····"Cluster": "reports"\n···},\n···"TimeoutSeconds": 600,\n···"Next": "Run EKS job"\n··}‸\n·}\n}',
  },
  {
    name: 'EKS state from its snippet',
    steps: [
      {
        name: 'state snippet ("eks-run-job-s): eks-run-job-sync',
        keys: [',', NEWLINE, '"eks-run-job-s'],
        suggest: 'eks-run-job-sync',
        line: /"Run EKS job": \{/,
        shot: 'json-eks-snippet',
      },
      { name: 'keep the snippet defaults', keys: [...press('Escape')] },
    ],
  },
];

const YAML_SEGMENTS = [
  {
    name: 'top level',
    start: '‸',
    steps: [
      {
        name: 'a key at the top level (St): StartAt',
        keys: ['St'],
        suggest: 'StartAt',
        line: 'StartAt: ‸',
        shot: 'yaml-top-level-keys',
      },
      {
        name: 'the next top-level key (St): States',
        keys: ['Run EKS job', NEWLINE, 'St'],
        suggest: 'States',
        line: '·‸',
      },
    ],
    end: 'StartAt: Run EKS job\nStates:\n·‸',
  },
  {
    name: 'EKS state: name, Type, Resource',
    steps: [
      { name: 'a state field (T): Type', keys: ['Run EKS job:', NEWLINE, 'T'], suggest: 'Type' },
      { name: 'accepting Type opens its values', keys: [], suggest: ANY, accept: false },
      { name: 'Type value (Ta): Task', keys: ['Ta'], suggest: 'Task', line: '··Type: Task‸' },
      { name: 'state field (Res): Resource', keys: [NEWLINE, 'Res'], suggest: 'Resource', line: '··Resource: ‸' },
      {
        name: 'accepting Resource opens the ARNs',
        keys: [],
        suggest: ANY,
        accept: false,
        shot: 'yaml-resource-values',
      },
      {
        name: 'Resource value (runJob): eks:runJob.sync',
        keys: ['runJob'],
        suggest: 'arn:aws:states:::eks:runJob.sync',
        line: '··Resource: arn:aws:states:::eks:runJob.sync‸',
      },
    ],
    end: 'StartAt: Run EKS job\nStates:\n·Run EKS job:\n··Type: Task\n··Resource: arn:aws:states:::eks:runJob.sync‸',
  },
  {
    name: 'EKS state: cluster parameters',
    steps: [
      { name: 'state field (Par): Parameters', keys: [NEWLINE, 'Par'], suggest: 'Parameters', line: '···‸' },
      {
        name: 'EKS parameter (C): CertificateAuthority (required)',
        keys: ['C'],
        suggest: 'CertificateAuthority',
        line: '···CertificateAuthority: ‸',
        shot: 'yaml-eks-parameters',
      },
      {
        name: 'EKS parameter (Cl): ClusterName',
        keys: ['ca', NEWLINE, 'Cl'],
        suggest: 'ClusterName',
        line: '···ClusterName: ‸',
      },
      {
        name: 'EKS parameter (E): Endpoint',
        keys: ['pi-cluster', NEWLINE, 'E'],
        suggest: 'Endpoint',
        line: '···Endpoint: ‸',
      },
      { name: 'Endpoint value typed', keys: ['https://example.com'], line: '···Endpoint: https://example.com‸' },
    ],
    end: 'StartAt: Run EKS job\nStates:\n·Run EKS job:\n··Type: Task\n··Resource: arn:aws:states:::eks:runJob.sync\n··Parameters:\n···CertificateAuthority: ca\n···ClusterName: pi-cluster\n···Endpoint: https://example.com‸',
  },
  {
    name: 'EKS state: the Job manifest',
    steps: [
      { name: 'EKS parameter (J): Job', keys: [NEWLINE, 'J'], suggest: 'Job', line: '····‸' },
      { name: 'Job field (a): apiVersion', keys: ['a'], suggest: 'apiVersion', shot: 'yaml-job-keys' },
      {
        name: 'apiVersion value: batch/v1',
        keys: [],
        suggest: 'batch/v1',
        line: '····apiVersion: batch/v1‸',
        orLine: true,
      },
      { name: 'Job field (k): kind', keys: [NEWLINE, 'k'], suggest: 'kind' },
      { name: 'kind value: Job', keys: [], suggest: 'Job', line: '····kind: Job‸', orLine: true },
      { name: 'Job field (m): metadata', keys: [NEWLINE, 'm'], suggest: 'metadata', line: '·····‸' },
      { name: 'metadata field (n): name', keys: ['n'], suggest: 'name', line: '·····name: ‸' },
      {
        name: 'Job field (s): spec',
        keys: ['pi', NEWLINE, ...press('Shift+Tab'), 's'],
        suggest: 'spec',
        line: '·····‸',
      },
      { name: 'Job spec field (t): template', keys: ['t'], suggest: 'template', line: '······‸' },
      { name: 'pod template field (s): spec', keys: ['s'], suggest: 'spec', line: '·······‸' },
      { name: 'pod spec field (c): containers', keys: ['c'], suggest: 'containers', line: '········- ‸' },
      { name: 'container field (n): name', keys: ['n'], suggest: 'name', line: '········- name: ‸' },
      { name: 'Enter in a list item keeps the item indentation', keys: ['pi', NEWLINE], line: '········  ‸' },
      { name: 'container field (i): image', keys: ['i'], suggest: 'image', line: '········  image: ‸' },
      {
        name: 'pod spec field (r): restartPolicy',
        keys: ['busybox', NEWLINE, ...press('Shift+Tab', 2), 'r'],
        suggest: 'restartPolicy',
      },
      { name: 'accepting restartPolicy opens its values', keys: [], suggest: ANY, accept: false },
      { name: 'restartPolicy value (N): Never', keys: ['N'], suggest: 'Never', line: '·······restartPolicy: Never‸' },
    ],
    end: 'StartAt: Run EKS job\nStates:\n·Run EKS job:\n··Type: Task\n··Resource: arn:aws:states:::eks:runJob.sync\n··Parameters:\n···CertificateAuthority: ca\n···ClusterName: pi-cluster\n···Endpoint: https://example.com\n···Job:\n····apiVersion: batch/v1\n····kind: Job\n····metadata:\n·····name: pi\n····spec:\n·····template:\n······spec:\n·······containers:\n········- name: pi\n········  image: busybox\n·······restartPolicy: Never‸',
  },
  {
    name: 'EKS state: TimeoutSeconds, Next',
    steps: [
      {
        name: 'state field (Ti): TimeoutSeconds',
        keys: [NEWLINE, ...press('Shift+Tab', 5), 'Ti'],
        suggest: 'TimeoutSeconds',
        line: '··TimeoutSeconds: «0»',
      },
      { name: 'state field (Ne): Next', keys: ['600', NEWLINE, 'Ne'], suggest: 'Next', line: '··Next: ‸' },
      { name: 'Next value typed', keys: ['Run ECS task'], line: '··Next: Run ECS task‸' },
    ],
    end: 'StartAt: Run EKS job\nStates:\n·Run EKS job:\n··Type: Task\n··Resource: arn:aws:states:::eks:runJob.sync\n··Parameters:\n···CertificateAuthority: ca\n···ClusterName: pi-cluster\n···Endpoint: https://example.com\n···Job:\n····apiVersion: batch/v1\n····kind: Job\n····metadata:\n·····name: pi\n····spec:\n·····template:\n······spec:\n·······containers:\n········- name: pi\n········  image: busybox\n·······restartPolicy: Never\n··TimeoutSeconds: 600\n··Next: Run ECS task‸',
  },
  {
    name: 'ECS state from its snippet',
    steps: [
      {
        name: 'state snippet (ecs-run-task-s): ecs-run-task-sync',
        keys: [NEWLINE, ...press('Shift+Tab'), 'ecs-run-task-s'],
        suggest: 'ecs-run-task-sync',
        shot: 'yaml-ecs-snippet',
      },
      { name: 'name the snippet state', keys: ['Run ECS task', ...press('Escape')], line: /"?Run ECS task"?:/ },
    ],
  },
];

/** What the finished documents must hold (the snippet states keep their defaults). */
function checkFinalMachine(machine) {
  const states = machine?.States ?? {};
  const ecs = states['Run ECS task'];
  const eks = states['Run EKS job'];
  const problems = [];
  if (ecs?.Resource !== 'arn:aws:states:::ecs:runTask.sync') problems.push('no ECS runTask.sync state "Run ECS task"');
  if (eks?.Resource !== 'arn:aws:states:::eks:runJob.sync') problems.push('no EKS runJob.sync state "Run EKS job"');
  if (!states[machine?.StartAt]) problems.push(`StartAt "${machine?.StartAt}" names no state`);
  return problems;
}

// each segment starts where the one before ends (the first one gives its start)
for (const segments of [JSON_SEGMENTS, YAML_SEGMENTS])
  for (let i = 1; i < segments.length; i++) segments[i].start = segments[i - 1].end;

// ------------------------------------------------------------------ step runner

/** Splits `text‸rest` into the text and the 1-based line/column of the marker. */
function withCursor(marked) {
  const at = marked.indexOf('‸');
  const text = marked.replace('‸', '');
  const before = marked.slice(0, at).split('\n');
  return { text, line: before.length, col: before.at(-1).length + 1 };
}

/** Makes the editor hold `text` with the cursor at the marker: writes the file, reverts the editor. */
async function restore(file, marked, unit) {
  const { text, line, col } = withCursor(indented(marked, unit));
  fs.writeFileSync(file, text);
  await page.keyboard.press('Escape');
  await palette('File: Revert File');
  await page.locator('.quick-input-widget input').waitFor({ state: 'hidden' });
  await goTo(line, col); // also gives the editor the focus back
  // the editor holds the restored text: the cursor's line is the marked one
  await waitLine(
    indented(marked, unit)
      .split('\n')
      .find((l) => l.includes('‸')),
    '',
  );
}

async function typeText(text) {
  for (const ch of text) await page.keyboard.type(ch, { delay: TYPING_DELAY_MS });
}

async function waitSuggest(expect, what) {
  let last = null;
  try {
    return await waitFor(
      async () => {
        last = await suggestLabels();
        if (!last) return false;
        const first = last.focused ?? last.labels[0];
        return (expect instanceof RegExp ? expect.test(first) : first === expect) && last;
      },
      { deadlineMs: STEP_DEADLINE_MS, intervalMs: 25, message: what },
    );
  } catch {
    throw new Error(
      last
        ? `${what}: the first item is "${last.focused ?? last.labels[0]}" (list: ${last.labels.slice(0, 8).join(' | ')})`
        : `${what}: no suggest widget opened within ${STEP_DEADLINE_MS} ms`,
    );
  }
}

async function waitLine(expect, unit) {
  const want = typeof expect === 'string' ? indented(expect, unit) : expect;
  let last;
  try {
    await waitFor(
      async () => {
        last = await currentLine();
        if (last === undefined) return false;
        if (want instanceof RegExp) return want.test(last.replace(/[‸«»]/g, ''));
        return /[‸«]/.test(want) ? last === want : last.replace('‸', '') === want;
      },
      { deadlineMs: STEP_DEADLINE_MS, intervalMs: 25, message: 'the line' },
    );
  } catch {
    throw new Error(
      `the line is ${JSON.stringify(last)}, expected ${JSON.stringify(want instanceof RegExp ? String(want) : want)}`,
    );
  }
}

async function runStep(step, unit) {
  for (const k of step.keys) {
    if (typeof k === 'string') await typeText(k);
    else if (k.press) await page.keyboard.press(k.press);
    else if (k.newline) {
      const open = await suggestLabels();
      if (open)
        throw new Error(
          `a suggest widget is still open at the end of a complete line (Enter would accept "${open.focused ?? open.labels[0]}")`,
        );
      await page.keyboard.press('Enter');
    }
  }
  const details = [];
  if (step.orLine) {
    // a value inserted directly (a single allowed value) is as good as a list to pick it from
    const want = indented(step.line, unit);
    const direct = await waitFor(
      async () => ((await currentLine()) === want ? 'line' : (await suggestLabels()) ? 'list' : undefined),
      { deadlineMs: STEP_DEADLINE_MS, intervalMs: 25, message: 'the value or a list of values' },
    ).catch(() => undefined);
    if (direct === 'line') return 'value inserted directly';
  }
  if (step.suggest) {
    const s = await waitSuggest(step.suggest, 'the suggest widget');
    details.push(
      `first: ${s.focused ?? s.labels[0]}${s.labels.length > 1 ? ` (then ${s.labels.slice(1, 4).join(', ')})` : ''}`,
    );
    if (step.shot) await shot(step.shot);
    if (step.accept !== false) {
      await page.keyboard.press(step.accept ?? 'Enter');
    }
  }
  if (step.line) await waitLine(step.line, unit);
  return details.join('; ');
}

/** Types one document: each segment from its start text; returns the saved text. */
let stepNo = 0;

async function typeDocument(format, file, segments, unit) {
  let inSync = true; // the editor holds the segment's start text (the previous one passed)
  for (const seg of segments) {
    if (!inSync) await restore(file, seg.start, unit);
    inSync = true;
    for (const step of seg.steps) {
      const name = `${format} ${seg.name}: ${step.name}`;
      if (!inSync) {
        results.skipped++;
        log(`skip ${name} (an earlier step of this segment failed)`);
        continue;
      }
      let ok = true;
      await check(name, async () => {
        try {
          return await runStep(step, unit);
        } catch (err) {
          ok = false;
          throw err;
        }
      });
      if (!ok) inSync = false;
      if (opt['every-step']) await shot(`step-${format}-${String(++stepNo).padStart(2, '0')}`);
    }
    if (inSync && seg.end) {
      // the document as a whole, after the segment: what the user typed and accepted, nothing else
      await check(`${format} ${seg.name}: the document holds exactly what was typed`, async () => {
        const want = withCursor(indented(seg.end, unit)).text;
        const line = await currentLine();
        const got = await saveAndRead(file);
        if (got !== want) {
          inSync = false;
          throw new Error(`document differs: ${diff(want, got)}`);
        }
        // the cursor must still be where the next segment continues
        const wantLine = indented(seg.end, unit)
          .split('\n')
          .find((l) => l.includes('‸'));
        if (line !== wantLine) {
          inSync = false;
          throw new Error(`the cursor line is ${JSON.stringify(line)}, expected ${JSON.stringify(wantLine)}`);
        }
      });
    }
  }
  await page.keyboard.press('Escape');
  return saveAndRead(file);
}

function diff(want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i])
      out.push(`line ${i + 1}: expected ${JSON.stringify(a[i] ?? '(none)')}, got ${JSON.stringify(b[i] ?? '(none)')}`);
  return out.slice(0, 4).join('; ');
}

/** The Problems panel rows of `name` (empty when it has none) once the list settles. */
async function problemsOf(name) {
  return page.evaluate((n) => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
    const out = [];
    let inFile = false;
    for (const r of rows) {
      const label = r.getAttribute('aria-label') ?? '';
      if (r.querySelector('.file-icon')) inFile = label.includes(n);
      else if (inFile) out.push(label);
    }
    return out;
  }, name);
}

// ------------------------------------------------------------------ metrics from the logs

function findFiles(dir, re, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, re, out);
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

/** The extension's output channel (client log, server log and the LSP trace). */
function extensionLog() {
  // one file per extension host, in the order they started (the folder names are timestamps)
  return findFiles(path.join(runDir, 'user-data/logs'), /ASL Workbench\.log$/)
    .sort()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

/** Page times (performance.now) as epoch ms, to line them up with the extension host's logs. */
async function epochs(...times) {
  const origin = await page.evaluate(() => performance.timeOrigin);
  return times.map((t) => origin + t);
}

/** When the extension host began activating the extension, per window (its log, local time). */
function activationEpochs() {
  const out = [];
  for (const f of findFiles(path.join(runDir, 'user-data/logs'), /^remoteexthost\.log$/).sort()) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) .*_doActivateExtension asl-workbench\.asl-workbench/m.exec(
      fs.readFileSync(f, 'utf8'),
    );
    if (m) out.push(new Date(`${m[1]}T${m[2]}`).getTime());
  }
  return out;
}

/**
 * The parts of one open -> first diagnostics: Quick Open Enter -> the extension host starts
 * activating -> activate() runs (client bundle loaded) -> first diagnostics received -> the
 * squiggle is painted.
 */
function openParts([enter, painted], activating, startup) {
  const epoch = startup && /epoch ms (\d+)/.exec(startup);
  const received = startup && /received \+([\d.]+) ms \(from/.exec(startup);
  if (!activating || !epoch || !received) return undefined;
  const activateAt = Number(epoch[1]);
  const receivedAt = activateAt + Number(received[1]);
  return [
    `Enter -> extension host activates ${fmt(activating - enter)}`,
    `-> activate() runs ${fmt(activateAt - activating)}`,
    `-> first diagnostics received ${fmt(receivedAt - activateAt)}`,
    `-> squiggle painted ${fmt(painted - receivedAt)}`,
  ].join(', ');
}

const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

function metric(name, value) {
  metrics[name] = value;
  log(`metric ${name}: ${value}`);
}

// ------------------------------------------------------------------ the run

await run(
  () => undefined,
  async (session) => {
    ({ page, runDir } = session);
    const { cs, ws } = session;
    const files = { json: path.join(ws, 'typed/machine.asl.json'), yaml: path.join(ws, 'typed/machine.asl.yaml') };
    fs.mkdirSync(path.join(ws, 'typed'));
    for (const f of Object.values(files)) fs.writeFileSync(f, '');
    await page.addInitScript(instrument);

    await check('workbench opens the example workspace', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ecs-mistake.asl.json' }).waitFor();
    });

    await check('open -> first diagnostics (the first machine opened activates the extension)', async () => {
      await page.evaluate(() => (window.__e2e.squiggleSince = performance.now()));
      const enterAt = await quickOpen('ecs-mistake.asl.json');
      const at = await waitFor(() => page.evaluate(() => window.__e2e.squiggleAt), {
        deadlineMs: 30_000,
        intervalMs: 20,
        message: 'the first squiggle',
      });
      metric('open -> first diagnostics (Quick Open Enter to the first squiggle)', fmt(at - enterAt));
      opens.push(await epochs(enterAt, at));
      await shot('open-first-diagnostics');
    });

    await check('an empty machine file offers the templates: no error, no Run Locally lens', async () => {
      await quickOpen('machine.asl.json');
      const lens = editor().locator('.codelens-decoration', { hasText: 'New State Machine' }).first();
      await lens.waitFor({ timeout: STEP_DEADLINE_MS });
      await shot('empty-file');
      if (await editor().locator('.codelens-decoration', { hasText: 'Run Locally' }).count())
        throw new Error('a Run Locally lens on an empty file');
      if (await editor().locator('.squiggly-error').count()) throw new Error('an error squiggle on an empty file');
      return (await lens.innerText()).trim();
    });

    for (const format of docs) {
      const name = path.basename(files[format]);
      const segments = format === 'json' ? JSON_SEGMENTS : YAML_SEGMENTS;
      let unit = '    ';
      let saved;
      await check(`${format}: open the empty ${name}`, async () => {
        // Quick Open leaves the focus in the editor (a click could hit the template lens)
        if (format !== 'json') await quickOpen(name);
        // ready for typing once the extension has answered for this editor (its lens is drawn),
        // and the status bar shows this editor's language and indentation
        await editor().locator('.codelens-decoration', { hasText: 'New State Machine' }).first().waitFor();
        await page
          .locator('[id="status.editor.mode"]')
          .filter({ hasText: format === 'json' ? /Amazon States Language$/ : 'Amazon States Language (YAML)' })
          .waitFor();
        unit = await indentUnit();
        return `indentation unit: ${JSON.stringify(unit)}`;
      });
      saved = await typeDocument(format, files[format], segments, unit);
      await check(`${format}: the finished machine parses and holds both states`, async () => {
        const machine = format === 'json' ? JSON.parse(saved) : YAML.parse(saved);
        const problems = checkFinalMachine(machine);
        if (problems.length)
          throw new Error(`${problems.join('; ')} (states: ${Object.keys(machine?.States ?? {}).join(', ')})`);
      });
      await check(`${format}: the finished machine has no problems`, async () => {
        const cli = execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'validate', files[format]], {
          encoding: 'utf8',
        }).trim();
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel').waitFor();
        let rows = [];
        try {
          await waitFor(async () => (rows = await problemsOf(name)).length === 0, {
            deadlineMs: STEP_DEADLINE_MS,
            message: 'no problems',
          });
        } catch {
          throw new Error(`Problems: ${rows.join(' | ')} (cli: ${cli.split('\n').slice(0, 3).join(' / ')})`);
        } finally {
          await shot(`${format}-finished`);
        }
        await page.keyboard.press('Control+J'); // hide the panel again
        return cli.split('\n').at(-1);
      });
    }

    // ---- the second start: a new window finds V8's code cache the first server wrote
    const shows = await page.evaluate(() => window.__e2e.shows);
    await check('open -> first diagnostics in a second window (server code cache warm)', async () => {
      // another folder: a new window with a new extension host and nothing to restore, so the
      // machine is opened by hand again; the code cache of the first server is in global storage
      const second = path.join(runDir, 'second-window');
      fs.mkdirSync(second, { recursive: true });
      fs.copyFileSync(path.join(ws, 'ecs-mistake.asl.json'), path.join(second, 'ecs-mistake.asl.json'));
      await page.goto(workbenchUrl(cs, second));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ecs-mistake.asl.json' }).waitFor();
      await page.evaluate(() => (window.__e2e.squiggleSince = performance.now()));
      const enterAt = await quickOpen('ecs-mistake.asl.json');
      const at = await waitFor(() => page.evaluate(() => window.__e2e.squiggleAt), {
        deadlineMs: 30_000,
        intervalMs: 20,
        message: 'the first squiggle',
      });
      metric(
        'open -> first diagnostics in a second window (Quick Open Enter to the first squiggle)',
        fmt(at - enterAt),
      );
      opens.push(await epochs(enterAt, at));
    });

    // ---- figures
    const latencies = shows.filter((s) => s.keyT !== undefined).map((s) => s.t - s.keyT);
    const text = extensionLog();
    const serverTimes = [...text.matchAll(/\[timing\] completion ([\d.]+) ms/g)].map((m) => Number(m[1]));
    const roundTrips = [...text.matchAll(/Received response 'textDocument\/completion - \(\d+\)' in (\d+)ms/g)].map(
      (m) => Number(m[1]),
    );
    metric(
      'keystroke -> visible suggest widget (median)',
      `${fmt(median(latencies))} (n=${latencies.length}, max ${fmt(Math.max(...latencies))})`,
    );
    metric(
      'server completion time (median)',
      `${fmt(median(serverTimes))} (n=${serverTimes.length}, max ${fmt(Math.max(...serverTimes))})`,
    );
    metric(
      'client -> server -> client completion round trip (median)',
      `${fmt(median(roundTrips))} (n=${roundTrips.length})`,
    );
    const startups = [...text.matchAll(/\[client\] startup: (.*)/g)].map((m) => m[1]);
    metric('extension start-up parts, first start', startups[0] ?? 'n/a (no start-up line in the log)');
    metric('extension start-up parts, second window', startups[1] ?? 'n/a (no second start-up line in the log)');
    const activations = activationEpochs();
    for (const [i, o] of opens.entries()) {
      const parts = openParts(o, activations[i], startups[i]);
      if (parts) metric(`open -> first diagnostics, parts (${i ? 'second window' : 'first start'})`, parts);
    }
    await check(`server completion time stays under ${SERVER_COMPLETION_TARGET_MS} ms (median)`, async () => {
      if (!serverTimes.length) throw new Error('no [timing] completion lines in the extension log');
      const m = median(serverTimes);
      if (!(m < SERVER_COMPLETION_TARGET_MS)) throw new Error(`median ${fmt(m)}`);
      return `median ${fmt(m)}`;
    });
    fs.writeFileSync(
      path.join(runDir, 'metrics.json'),
      JSON.stringify({ ...metrics, latencies, serverTimes, roundTrips }, null, 2),
    );
    results.metrics = metrics;
  },
);
