/**
 * "Save as Test Case" on an ended execution of the Executions view (and on the run-finished
 * notification): the run becomes a test case whose mocks are the recorded task results and
 * whose expectations are the observed status, output or error, and top-level path
 * (asl/src/testing/fromExecution.ts). It asks for the case name and the test file — one of
 * the workspace's test files for that machine, or a new one next to it — and opens the file
 * at the new case.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { formatOf } from '../../../asl/src/parse/format';
import { addCase, caseFromExecution } from '../../../asl/src/testing/fromExecution';
import { parseTestFile, TEST_FILE } from '../../../asl/src/testing/testFile';
import type { ExecutionRecord, RunController } from '../run/controller';
import { splitMachineUri } from '../templates';

export const SAVE_CASE_COMMAND = 'aslWorkbench.saveExecutionAsTestCase';

/** Arguments for a call without prompts (tests, other extensions); a tree node is also accepted. */
export interface SaveCaseArgs {
  /** the execution's id (`ExecutionRecord.id`; a tree node's `id`) */
  id: string;
  name?: string;
  /** the test file to add to or create */
  file?: vscode.Uri | string;
}

const TEST_FILES_GLOB = '**/*.asl-test.{yaml,yml,json}';
const NEW_FILE = 'New Test File…';

/** The top-level state names of a machine (the graph's root states), for the case's `path`. */
export type TopLevelStates = (machine: vscode.Uri) => Promise<ReadonlySet<string> | undefined>;

/** Test files of the workspace whose `machine` is this machine (and logical id, for templates). */
async function testFilesFor(machineFile: string, logicalId: string | undefined): Promise<vscode.Uri[]> {
  const found: vscode.Uri[] = [];
  for (const uri of await vscode.workspace.findFiles(TEST_FILES_GLOB, '**/node_modules/**', 500)) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue;
    }
    const r = parseTestFile(text, formatOf(uri.fsPath));
    if (!r.ok) continue;
    const m = r.file.machine;
    if (path.resolve(path.dirname(uri.fsPath), m.path) === machineFile && m.logicalId === logicalId) found.push(uri);
  }
  return found;
}

/** Asks for the test file: the machine's existing ones, or a new one chosen in a save dialog. */
async function pickFile(machineFile: string, logicalId: string | undefined): Promise<vscode.Uri | undefined> {
  const existing = await testFilesFor(machineFile, logicalId);
  const base = (logicalId ?? path.basename(machineFile).replace(/(\.asl)?\.(json|ya?ml)$/i, '')).replace(
    /[^\w.-]+/g,
    '-',
  );
  const suggested = vscode.Uri.file(path.join(path.dirname(machineFile), `${base}.asl-test.yaml`));
  const items = [
    ...existing.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { label: NEW_FILE, uri: undefined },
  ];
  const pick =
    existing.length === 0
      ? items[0]
      : await vscode.window.showQuickPick(items, { placeHolder: 'Add the test case to which test file?' });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const chosen = await vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: { 'Test files': ['yaml', 'yml', 'json'] },
    title: 'New test file (*.asl-test.yaml)',
  });
  if (chosen && !TEST_FILE.test(chosen.fsPath)) {
    void vscode.window.showErrorMessage(`A test file's name ends in .asl-test.yaml or .asl-test.json.`);
    return undefined;
  }
  return chosen;
}

/** Adds `rec` as a case to a test file; resolves to the file, or undefined when cancelled or refused. */
export async function saveAsTestCase(
  rec: ExecutionRecord,
  topLevel: TopLevelStates,
  given: Omit<SaveCaseArgs, 'id'> = {},
): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Save as Test Case writes into the workspace: trust it first.');
    return undefined;
  }
  const fail = (message: string): undefined => (void vscode.window.showErrorMessage(message), undefined);
  if (!rec.outcome || rec.status === 'RUNNING') return fail('The execution is still running.');
  if (rec.droppedEvents)
    return fail(`The execution has more events than the view keeps (${rec.droppedEvents} earlier ones are gone).`);
  const { document, machine: logicalId } = splitMachineUri(rec.uri);
  const states = await topLevel(rec.uri);
  if (!states) return fail(`The states of ${vscode.workspace.asRelativePath(document)} cannot be read.`);
  const name =
    given.name ??
    (await vscode.window.showInputBox({
      prompt: 'Name of the test case',
      value: `${rec.label} ${rec.status.toLowerCase()}`,
      validateInput: (v) => (v.trim() ? undefined : 'The test case needs a name.'),
    }));
  if (!name) return undefined;
  const tc = caseFromExecution(name, { ...rec.outcome, input: rec.input, events: rec.events }, states);
  if (!tc.ok) return fail(tc.error);
  const file =
    given.file !== undefined
      ? typeof given.file === 'string'
        ? vscode.Uri.file(given.file)
        : given.file
      : await pickFile(document.fsPath, logicalId);
  if (!file) return undefined;
  let text: string | undefined;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (open) text = open.getText();
  else
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch {
      text = undefined;
    }
  const rel = path.relative(path.dirname(file.fsPath), document.fsPath).split(path.sep).join('/');
  const added = addCase(text, formatOf(file.fsPath), tc.value, { path: rel, logicalId });
  if (!added.ok) return fail(`Not saved as a test case: ${added.error}`);
  if (open) {
    // an edit of the open document keeps its undo history and unsaved state consistent
    const edit = new vscode.WorkspaceEdit();
    edit.replace(file, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), added.value.text);
    await vscode.workspace.applyEdit(edit);
    await open.save();
  } else await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(added.value.text));
  const doc = await vscode.workspace.openTextDocument(file);
  const at = new vscode.Position(added.value.line, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: false });
  return file;
}

/** Registers the command; `topLevel` reads a machine's top-level states. */
export function registerSaveCase(
  context: vscode.ExtensionContext,
  controller: RunController,
  topLevel: TopLevelStates,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SAVE_CASE_COMMAND, async (arg?: SaveCaseArgs) => {
      const id = arg?.id ?? (await pickEnded(controller));
      const rec = id === undefined ? undefined : controller.find(id);
      if (!rec) return undefined;
      const file = await saveAsTestCase(rec, topLevel, arg ?? {});
      return file?.toString();
    }),
  );
}

async function pickEnded(controller: RunController): Promise<string | undefined> {
  const ended = controller.executions.filter((r) => r.status !== 'RUNNING');
  if (!ended.length) {
    void vscode.window.showInformationMessage('No ended local execution to save as a test case.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    ended.map((r) => ({ label: r.label, description: r.status, id: r.id })),
    { placeHolder: 'Save which execution as a test case?' },
  );
  return pick?.id;
}
