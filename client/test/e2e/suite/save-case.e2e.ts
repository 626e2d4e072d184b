/**
 * "Save as Test Case" in the real extension host: a mocked run of the ECS `.sync` example is
 * added to the example's test file (its text kept), the editor opens at the new case, and the
 * command sits on ended executions of the Executions view, gated on workspace trust.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import { copyExample, EXTENSION_ID, repoRoot } from './helpers';

const COMMAND = 'aslWorkbench.saveExecutionAsTestCase';

describe('Save as Test Case', function () {
  this.timeout(60_000);
  let api: AslWorkbenchApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!;
    api = await ext.activate();
    await api.ready;
  });

  it('is on ended executions of the Executions view, gated on workspace trust', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const item = pkg.contributes.menus['view/item/context']!.find((m) => m.command === COMMAND);
    assert.match(item?.when ?? '', /viewItem == aslExecutionDone/);
    assert.match(item?.when ?? '', /isWorkspaceTrusted/);
  });

  it('adds a mocked run to the test file next to the machine and opens it at the new case', async () => {
    const root = repoRoot();
    assert.ok(root, 'the examples folder is found above the e2e run directory');
    const dir = copyExample(root, 'ecs-run-task-sync', 'save-case');
    const testFile = path.join(dir, 'state-machine.asl-test.yaml');
    const before = fs.readFileSync(testFile, 'utf8');
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.runLocally', {
      uri: vscode.Uri.file(path.join(dir, 'state-machine.asl.json')),
      input: { commands: ['exit 3'] },
      testCase: 'ContainerFails',
      timeScale: 0,
    });
    const rec = api.runLocally.controller.find(started!.executionId)!;
    assert.equal((await rec.done).status, 'FAILED');
    const saved = await vscode.commands.executeCommand<string>(COMMAND, {
      id: rec.id,
      name: 'the container fails (saved)',
      file: testFile,
    });
    assert.equal(vscode.Uri.parse(saved).fsPath, testFile);
    const text = fs.readFileSync(testFile, 'utf8');
    assert.ok(text.startsWith(before), 'the existing cases and comments are kept');
    const added = text.slice(before.length);
    assert.match(added, /^ {2}- name: the container fails \(saved\)\n {4}input: \{ commands: \[ exit 3 \] \}\n/);
    assert.match(added, /\n {6}status: FAILED\n {6}error: States\.TaskFailed\n/);
    assert.match(added, /\n {6}path: \[ Run an ECS Task and wait for it to complete \]\n$/);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, testFile);
    assert.equal(editor?.document.lineAt(editor.selection.active.line).text, '  - name: the container fails (saved)');
  });
});
