/**
 * @untrusted Debug Locally in restricted mode: no code lens, and the command starts no debug
 * session (a launch configuration is refused by VS Code itself, which asks for trust in a modal
 * dialog, and by the configuration provider).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, open } from './helpers';

describe('@untrusted Debug Locally', function () {
  it('offers no Debug Locally code lens and starts no debug session', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const doc = await open('ecs-run-task.asl.json');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    let started = 0;
    const sub = vscode.debug.onDidStartDebugSession(() => started++);
    try {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      assert.equal(lenses.filter((l) => l.command?.command === 'aslWorkbench.debugLocally').length, 0);
      const result = await vscode.commands.executeCommand('aslWorkbench.debugLocally', {
        uri: doc.uri,
        input: {},
        testCase: null,
      });
      assert.equal(result, false);
      assert.equal(started, 0);
    } finally {
      sub.dispose();
    }
  });
});
