/**
 * @untrusted The Test Explorer in restricted mode: the cases are listed, but the Run and Debug
 * profiles start no process and no debug session; every case is errored with the reason, which
 * the extension's warning shows too. (From the Test Explorer's own buttons VS Code asks for
 * trust before any profile runs: e2e/run-ui-testing.mjs checks that dialog.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { FinishedTestRun } from '../../../src/testing/index';
import { EXTENSION_ID, open, repoRoot, wsFile } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const TEST_FILE = 'tests/starter.asl-test.yaml';
const CASE = "the task's exit code lands in the output";

describe('@untrusted Test Explorer', function () {
  this.timeout(60_000);

  it('refuses to run or debug a case: the reason is given and nothing starts', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const root = repoRoot();
    assert.ok(root, 'the repository is found above the e2e run directory');
    fs.cpSync(path.join(root, 'e2e/fixtures/testing'), path.dirname(wsFile(TEST_FILE).fsPath), { recursive: true });
    const api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.testing.discover();
    const doc = await open(TEST_FILE);
    const id = `${doc.uri.toString()}#${CASE}`;
    const item = api.testing.controller.items.get(doc.uri.toString())?.children.get(id);
    assert.ok(item, 'the case is listed in restricted mode');

    // the runner forks dist/runWorker.js: spy on the extension host's child_process module,
    // which the extension's bundle shares
    const childProcess = process.getBuiltinModule('node:child_process');
    const forked: string[] = [];
    const fork = childProcess.fork;
    childProcess.fork = ((modulePath: string, ...rest: never[]) => {
      forked.push(modulePath);
      return fork(modulePath, ...rest);
    }) as typeof fork;
    let sessions = 0;
    const runs: FinishedTestRun[] = [];
    const subs = [
      vscode.debug.onDidStartDebugSession(() => sessions++),
      api.testing.onDidFinishRun((r) => runs.push(r)),
    ];
    try {
      for (const [profile, action] of [
        [api.testing.profiles.run, 'Running state machine tests'],
        [api.testing.profiles.debug, 'Debugging state machine tests'],
      ] as const) {
        const seen = runs.length;
        await profile.runHandler(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
        const run: FinishedTestRun = await waitFor(() => runs[seen], {
          message: `the end of the ${profile.label} run`,
        });
        const result = run.results.get(id);
        assert.ok(result, `the case's result: ${JSON.stringify([...run.results.keys()])}`);
        assert.equal(result.state, 'errored');
        assert.equal(
          result.messages[0]?.message,
          `${action} is disabled in an untrusted workspace: it starts containers and other processes. Editing features keep working.`,
        );
        assert.equal(run.output, '');
      }
      assert.deepEqual(forked, [], 'no process was started');
      assert.equal(sessions, 0, 'no debug session was started');
    } finally {
      childProcess.fork = fork;
      for (const s of subs) s.dispose();
    }
  });
});
