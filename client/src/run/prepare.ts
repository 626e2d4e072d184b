/**
 * Everything Run Locally asks or reads before it starts a worker: the input (JSON files next
 * to the machine, the last inputs used for this file, or typed), the mock test case when a
 * mock config exists, the local run config with the user's settings filled in.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { findMockConfig, loadMockConfig, loadRunConfig, stateMachineNameOf } from '../../../runner/src/config';
import type { WorkerRunOptions } from '../../../runner/src/workerProtocol';
import { inputFilesNextTo } from './inputs';
import { withSettings } from './runSettings';

/** How many inputs per file the picker remembers (workspaceState). */
const RECENT_INPUTS = 5;
const recentKey = (uri: vscode.Uri): string => `aslWorkbench.run.recentInputs:${uri.toString()}`;

/** Remembers an input as the most recent one of `uri`. */
export async function rememberInput(state: vscode.Memento, uri: vscode.Uri, input: unknown): Promise<void> {
  const text = JSON.stringify(input);
  const old = state.get<string[]>(recentKey(uri), []).filter((t) => t !== text);
  await state.update(recentKey(uri), [text, ...old].slice(0, RECENT_INPUTS));
}

/** The input box check of a JSON text: undefined when it parses, else the parser's message. */
export function validJson(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
}

type InputItem = vscode.QuickPickItem & { value?: () => unknown };

/** Asks for the execution input of a run or debug session (`verb`); undefined when the user cancelled. */
export async function pickInput(
  uri: vscode.Uri,
  state: vscode.Memento,
  verb: 'Run' | 'Debug' | 'Start on AWS' = 'Run',
): Promise<{ value: unknown } | undefined> {
  const items: InputItem[] = [];
  const files = inputFilesNextTo(uri.fsPath);
  if (files.length) items.push({ label: 'Files next to the state machine', kind: vscode.QuickPickItemKind.Separator });
  for (const f of files) {
    items.push({
      label: `$(file) ${path.basename(f)}`,
      description: path.relative(path.dirname(uri.fsPath), f),
      value: () => JSON.parse(fs.readFileSync(f, 'utf8')),
    });
  }
  const recent = state.get<string[]>(recentKey(uri), []);
  if (recent.length) items.push({ label: 'Recent inputs', kind: vscode.QuickPickItemKind.Separator });
  for (const text of recent)
    items.push({
      label: `$(history) ${text.length > 80 ? text.slice(0, 80) + '…' : text}`,
      value: () => JSON.parse(text),
    });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(edit) Type an input…', description: 'JSON' });
  items.push({ label: '$(circle-slash) Empty input', description: '{}', value: () => ({}) });
  const chosen = await vscode.window.showQuickPick(items, {
    title:
      verb === 'Start on AWS'
        ? `Start ${path.basename(uri.fsPath)} on AWS: input`
        : `${verb} ${path.basename(uri.fsPath)} locally: input`,
    placeHolder: 'Choose the execution input',
  });
  if (!chosen) return undefined;
  if (chosen.value) {
    try {
      return { value: chosen.value() };
    } catch (e) {
      void vscode.window.showErrorMessage(
        `The input ${chosen.description ?? chosen.label} is not valid JSON: ${(e as Error).message}`,
      );
      return undefined;
    }
  }
  const typed = await vscode.window.showInputBox({
    title: 'Execution input (JSON)',
    value: recent[0] ?? '{}',
    validateInput: validJson,
  });
  return typed === undefined ? undefined : { value: JSON.parse(typed) };
}

/**
 * Test cases of the mock config next to the machine (or SFN_MOCK_CONFIG) for this machine,
 * under the name its runs use (stateMachineNameOf: in a template, `logicalId` names it).
 */
export function mockTestCases(machineFile: string, logicalId?: string): { file: string; cases: string[] } | undefined {
  const runConfig = loadRunConfig(machineFile);
  const machineName = stateMachineNameOf(machineFile, runConfig.ok ? runConfig.value : undefined, undefined, logicalId);
  const found = findMockConfig(machineFile);
  if (!found) return undefined;
  const loaded = loadMockConfig(found.file);
  if (!loaded.ok) return { file: found.file, cases: [] };
  const machine = loaded.value.StateMachines?.[machineName];
  return { file: found.file, cases: Object.keys(machine?.TestCases ?? {}) };
}

/** `null`: run on real containers; a string: that mock test case; undefined: cancelled. */
export async function pickTestCase(machineFile: string, logicalId?: string): Promise<string | null | undefined> {
  const mocks = mockTestCases(machineFile, logicalId);
  if (!mocks || !mocks.cases.length) return null;
  const items: (vscode.QuickPickItem & { testCase: string | null })[] = [
    { label: '$(server-process) Run the tasks for real', description: 'containers / Kubernetes', testCase: null },
    ...mocks.cases.map((c) => ({
      label: `$(beaker) ${c}`,
      description: `mock test case of ${path.basename(mocks.file)}`,
      testCase: c,
    })),
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Mock config found',
    placeHolder: 'Run the tasks for real or with a mock test case?',
  });
  return chosen ? chosen.testCase : undefined;
}

/**
 * The run config for a machine (the nearest one, or the `explicit` file) with the user's
 * settings as defaults (file values win).
 */
export function runConfigFor(
  machineFile: string,
  explicit?: string,
): { ok: true; config: Record<string, unknown>; file?: string } | { ok: false; error: string } {
  const loaded = loadRunConfig(machineFile, explicit);
  if (!loaded.ok) return loaded;
  const s = vscode.workspace.getConfiguration('aslWorkbench', vscode.Uri.file(machineFile));
  const config = withSettings(loaded.value as Record<string, unknown>, (k) => s.get<string>(k) || undefined);
  return { ok: true, config, file: loaded.file };
}

/** The state machine type the user's settings give a machine's runs. */
export function machineTypeFor(machineFile: string): 'STANDARD' | 'EXPRESS' {
  const s = vscode.workspace.getConfiguration('aslWorkbench', vscode.Uri.file(machineFile));
  return s.get<'STANDARD' | 'EXPRESS'>('machineType') ?? 'STANDARD';
}

/** Worker options for a run of `machineFile` (`logicalId`: the machine's, in a template). */
export function workerOptions(
  machineFile: string,
  config: Record<string, unknown>,
  testCase: string | null,
  logicalId?: string,
): WorkerRunOptions {
  const o: WorkerRunOptions = {
    stateMachineName: stateMachineNameOf(machineFile, config, undefined, logicalId),
    config,
    baseDir: path.dirname(machineFile),
    machineType: machineTypeFor(machineFile),
    timeScale: 1,
  };
  if (testCase) {
    const mocks = findMockConfig(machineFile);
    if (mocks) {
      o.mockConfig = mocks.file;
      o.testCase = testCase;
    }
  }
  return o;
}
