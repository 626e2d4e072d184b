/** Helpers of the e2e suite: workspace files, positions, diagnostics, metrics. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CaseResult, FinishedTestRun, TestingApi } from '../../../src/testing/index';
import { waitFor, type WaitOptions } from '../../../../scripts/test-helpers/wait.mjs';

export const EXTENSION_ID = 'asl-workbench.asl-workbench';

/** Figures printed by the runner (and written to the results file). */
export const metrics: Record<string, string> = {};
/** Records a figure. */
export function metric(name: string, value: number | string, unit = 'ms'): void {
  metrics[name] = typeof value === 'number' ? `${value.toFixed(1)} ${unit}` : value;
}

/** The workspace folder's file `name`. */
export function wsFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens and shows a workspace file. */
export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Waits until the diagnostics of `uri` satisfy `accept`, re-checking whenever diagnostics change. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  options: WaitOptions,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const d = vscode.languages.getDiagnostics(uri);
      return accept(d) ? d : undefined;
    },
    { recheckOn: vscode.languages.onDidChangeDiagnostics, ...options },
  );
}

/** Position of the `nth` occurrence of `needle` in `doc` (plus `delta` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + delta);
}

/** Plain label text of a completion item. */
export const labelOf = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);

/** Markdown/plain text of hovers. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))))
    .join('\n');
}

/** Errors and warnings only (hints and infos are advice). */
export const problems = (d: vscode.Diagnostic[]) =>
  d.filter((x) => x.severity === vscode.DiagnosticSeverity.Error || x.severity === vscode.DiagnosticSeverity.Warning);

/** The repository root: the suite runs from a bundle in .e2e/run/<dir>, the examples live in the tree. */
export function repoRoot(): string | undefined {
  for (let d = process.env.E2E_ARTIFACTS ?? __dirname; ;) {
    if (fs.existsSync(path.join(d, 'examples', 'ecs-run-task-sync', 'state-machine.asl.json'))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/**
 * Copies an example folder into the workspace folder `into` (the run config, mock config and
 * task definitions come with it); returns the copy's path.
 */
export function copyExample(root: string, name: string, into = 'run-examples'): string {
  const ws = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const dest = path.join(ws, into, name);
  fs.cpSync(path.join(root, 'examples', name), dest, { recursive: true });
  return dest;
}

/**
 * Runs `command` (`testing.runAtCursor`, `testing.debugAtCursor`, …) with the cursor on the case
 * `name` of the test file `file` and waits for the run that reports it to end. The command is
 * not awaited: a debug run ends only once its session has.
 */
export async function runAtCase(
  testing: TestingApi,
  file: vscode.Uri,
  name: string,
  command: string,
): Promise<FinishedTestRun> {
  const doc = await vscode.workspace.openTextDocument(file);
  const item = testing.controller.items.get(file.toString())?.children.get(`${file.toString()}#${name}`);
  if (!item?.range) throw new Error(`the case "${name}" of ${file.path} is not listed`);
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(item.range.start, item.range.start);
  let ended: FinishedTestRun | undefined;
  const sub = testing.onDidFinishRun((r) => {
    if (r.results.has(item.id)) ended = r;
  });
  try {
    void vscode.commands.executeCommand(command);
    return await waitFor(() => ended, {
      deadlineMs: 60_000,
      recheckOn: testing.onDidFinishRun,
      message: `the end of the ${command} run of "${name}"`,
    });
  } finally {
    sub.dispose();
  }
}

/**
 * What the starter test file's wrong expectation shows, whether the case was run or debugged:
 * failed, with the exit code's expected and actual values at the case's line.
 */
export function assertExitCodeDiff(result: CaseResult | undefined): void {
  assert.equal(result?.state, 'failed');
  const [message] = result.messages;
  assert.equal(message?.message, 'output at $.task.exitCode');
  assert.equal(message?.expectedOutput, '3');
  assert.equal(message?.actualOutput, '0');
  assert.equal(message?.location?.range.start.line, 15);
}
