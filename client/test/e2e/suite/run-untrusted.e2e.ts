/**
 * @untrusted Run Locally in restricted mode: the command refuses to start anything, no code
 * lens is offered, and no execution is recorded.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import { EXTENSION_ID, open } from './helpers';

describe('@untrusted Run Locally', function () {
  it('offers no Run Locally code lens and starts nothing from the command', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const doc = await open('ecs-run-task.asl.json');
    const api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    assert.equal(lenses.filter((l) => l.command?.command === 'aslWorkbench.runLocally').length, 0);
    const result = await vscode.commands.executeCommand('aslWorkbench.runLocally', {
      uri: doc.uri,
      input: {},
      testCase: null,
    });
    assert.equal(result, undefined);
    assert.equal(api.runLocally.controller.executions.length, 0);
  });
});
