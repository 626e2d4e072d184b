/**
 * @untrusted Deploy to AWS in restricted mode: no code lens, and the command refuses before it
 * reads the machine or reaches any endpoint.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import { EXTENSION_ID, open } from './helpers';

describe('@untrusted Deploy to AWS', function () {
  it('offers no Deploy to AWS lens and deploys nothing from the command', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const doc = await open('ecs-run-task.asl.json');
    await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    assert.equal(lenses.filter((l) => l.command?.command === 'aslWorkbench.deployToAws').length, 0);
    const result = await vscode.commands.executeCommand('aslWorkbench.deployToAws', {
      uri: doc.uri,
      name: 'never',
      roleArn: 'arn:aws:iam::123456789012:role/never',
    });
    assert.equal(result, undefined);
  });
});
