/**
 * @untrusted — run by e2e/run-ext-tests.mjs in a second session where workspace trust is on
 * and the folder is not trusted (restricted mode).
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, open, problems, waitForDiagnostics } from './helpers';

interface ContributedCommand {
  command: string;
  title: string;
  enablement?: string;
}

describe('@untrusted workspace', function () {
  it('is in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still validates documents (editing features work everywhere)', async () => {
    const doc = await open('ecs-mistake.asl.json');
    await waitForDiagnostics(doc.uri, (d) => problems(d).length > 0, {
      message: 'diagnostics in an untrusted workspace',
    });
  });

  it('disables Run Locally', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const pkg = ext.packageJSON as {
      contributes?: { commands?: ContributedCommand[]; menus?: Record<string, { command: string; when?: string }[]> };
    };
    const run = pkg.contributes?.commands?.find((c) => /run locally/i.test(c.title));
    assert.ok(run, 'the manifest contributes a Run Locally command');
    const gated = [
      run.enablement,
      ...Object.values(pkg.contributes?.menus ?? {})
        .flat()
        .filter((m) => m.command === run.command)
        .map((m) => m.when),
    ];
    assert.ok(
      gated.some((w) => w && /isWorkspaceTrusted/.test(w)),
      `${run.command} is gated on isWorkspaceTrusted (enablement/when: ${gated.filter(Boolean).join(' | ') || 'none'})`,
    );
    // invoking it anyway must not start anything: it returns without a result
    const before = vscode.window.terminals.length;
    const result = await vscode.commands.executeCommand(
      run.command,
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'ecs-run-task.asl.json'),
    );
    assert.equal(result, undefined);
    assert.equal(vscode.window.terminals.length, before);
  });
});
