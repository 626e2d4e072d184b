/**
 * The Test Explorer's Debug profile: one case of a test file in an `asl` debug session
 * (runner/src/debug) on the case's machine (a definition file, or a template's `logicalId`,
 * whose placeholders the adapter fills as `asl-workbench test` does) with its input, its
 * mocks written as a temporary Step Functions Local mock config, and its expectations, which
 * the adapter checks with the checks of `asl-workbench test` when the execution ends (launch
 * argument `check`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { formatOf } from '../../../asl/src/parse/format';
import { parseTestFile } from '../../../asl/src/testing/testFile';
import { mockConfigOfCase } from '../../../asl/src/testing/toMockConfig';
import { ASL_TEST_RESULT_EVENT, type AslTestResultBody } from '../../../runner/src/debug/protocol';
import { launchConfigFor } from '../debug/config';
import { stateMachineNameOf } from '../../../runner/src/config';
import { runConfigFor } from '../run/prepare';

/** How a debugged case ended: the adapter's result, or why there is none. */
export type DebuggedCase = { kind: 'result'; result: AslTestResultBody } | { kind: 'failed'; message: string };

/** The text of a file: the open editor's, else the disk's (rejects when there is none). */
export async function textOf(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * Debugs the case `name` of the test file `file` as part of `testRun`; resolves when the
 * session ends (cancelling the run stops it). The temporary mock config is removed then.
 */
export async function debugCase(
  file: vscode.Uri,
  name: string,
  testRun: vscode.TestRun,
  token: vscode.CancellationToken,
): Promise<DebuggedCase> {
  const failed = (message: string): DebuggedCase => ({ kind: 'failed', message });
  const parsed = parseTestFile(await textOf(file), formatOf(file.fsPath));
  if (!parsed.ok) return failed(parsed.problems.map((p) => p.message).join('\n'));
  const tests = parsed.file;
  const tc = tests.cases.find((c) => c.name === name);
  if (!tc) return failed(`${path.basename(file.fsPath)} has no case "${name}" any more.`);
  const machineFile = path.resolve(path.dirname(file.fsPath), tests.machine.path);
  if (!fs.existsSync(machineFile))
    return failed(`The machine file ${tests.machine.path} does not exist (paths are relative to the test file).`);
  const logicalId = tests.machine.logicalId;
  const cfg = runConfigFor(machineFile);
  if (!cfg.ok) return failed(`The local run config cannot be used: ${cfg.error}`);
  // the name `asl-workbench test` gives the machine, so $$.StateMachine.Name and the mocks agree
  const stateMachineName = stateMachineNameOf(machineFile, cfg.config, tests.stateMachineName, logicalId);
  const { config: mocks, real } = mockConfigOfCase(tc, stateMachineName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-test-debug-'));
  const mockConfig = path.join(dir, 'mock-config.json');
  const subscriptions: vscode.Disposable[] = [];
  try {
    fs.writeFileSync(mockConfig, JSON.stringify(mocks, null, 2));
    const config = launchConfigFor(vscode.Uri.file(machineFile), {
      ...(logicalId !== undefined ? { machine: logicalId } : {}),
      // a string input travels as JSON text: a plain string would be read as a file name
      input: typeof tc.input === 'string' ? JSON.stringify(tc.input) : (tc.input ?? {}),
      mockConfig,
      testCase: tc.name,
      stateMachineName,
      runConfig: cfg.config,
      // as `asl-workbench test`: Wait states and Retry intervals do not hold the case up
      timeScale: 0,
      check: { expect: tc.expect, realStates: real },
    });
    config.name = `Debug test: ${tc.name}`;
    // the temporary mock config's path tells this case's session from any other
    const ours = (s: vscode.DebugSession): boolean => s.configuration.mockConfig === mockConfig;
    let session: vscode.DebugSession | undefined;
    let result: AslTestResultBody | undefined;
    let ended!: () => void;
    const end = new Promise<void>((resolve) => (ended = resolve));
    subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (ours(s)) session = s;
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === ASL_TEST_RESULT_EVENT && ours(e.session)) result = e.body as AslTestResultBody;
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (ours(s)) ended();
      }),
      token.onCancellationRequested(() => {
        if (session) void vscode.debug.stopDebugging(session);
        else ended();
      }),
    );
    const folder = vscode.workspace.getWorkspaceFolder(file);
    if (!(await vscode.debug.startDebugging(folder, config, { testRun })))
      return failed('The debug session did not start.');
    await end;
    if (result) return { kind: 'result', result };
    return failed(
      token.isCancellationRequested
        ? 'The debug session was stopped.'
        : 'The debug session ended before the execution did: see the Debug Console.',
    );
  } finally {
    for (const s of subscriptions) s.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
