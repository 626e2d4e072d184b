/**
 * The Test Explorer in the real extension host: the test files of the workspace and their
 * cases are discovered (a copied example too, through the file watcher), a case run from the
 * editor's cursor passes, a deliberately wrong expectation fails with an expected/actual diff
 * at its line, and a coverage run reports the states of the machine file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { FinishedTestRun } from '../../../src/testing/index';
import { copyExample, EXTENSION_ID, open, repoRoot, wsFile } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const TEST_FILE = 'tests/starter.asl-test.yaml';
const PASSING = "the task's exit code lands in the output";
const FAILING = 'a wrong expected exit code fails with a diff';

describe('Test Explorer', function () {
  this.timeout(90_000);
  let api: AslWorkbenchApi;

  before(async function () {
    // the test files live outside e2e/workspace: there they would activate the extension at
    // start-up, where the other suites check that activation waits for an ASL document
    const root = repoRoot();
    assert.ok(root, 'the repository is found above the e2e run directory');
    fs.cpSync(path.join(root, 'e2e/fixtures/testing'), path.dirname(wsFile(TEST_FILE).fsPath), {
      recursive: true,
    });
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!;
    api = await ext.activate();
    await api.testing.discover();
  });

  const caseItem = (file: vscode.Uri, name: string): vscode.TestItem | undefined =>
    api.testing.controller.items.get(file.toString())?.children.get(`${file.toString()}#${name}`);

  /** Runs `command` with the cursor on the case's line and waits for the run to end. */
  async function runAtCase(name: string, command: string): Promise<FinishedTestRun> {
    const doc = await open(TEST_FILE);
    const item = caseItem(doc.uri, name)!;
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(item.range!.start, item.range!.start);
    let ended: FinishedTestRun | undefined;
    const sub = api.testing.onDidFinishRun((r) => {
      if (r.results.has(item.id)) ended = r;
    });
    try {
      await vscode.commands.executeCommand(command);
      return await waitFor(() => ended, {
        deadlineMs: 60_000,
        recheckOn: api.testing.onDidFinishRun,
        message: `the end of the ${command} run of "${name}"`,
      });
    } finally {
      sub.dispose();
    }
  }

  it('lists the cases of the workspace test files at their lines', () => {
    const file = wsFile(TEST_FILE);
    const passing = caseItem(file, PASSING);
    assert.ok(passing, 'the passing case is listed');
    assert.equal(passing.label, PASSING);
    assert.equal(passing.range?.start.line, 4);
    assert.equal(caseItem(file, FAILING)?.range?.start.line, 15);
  });

  it('discovers the cases of an example test file copied into the workspace', async () => {
    const root = repoRoot();
    assert.ok(root, 'the examples folder is found above the e2e run directory');
    const dir = copyExample(root, 'starter-yaml', 'test-examples');
    const file = vscode.Uri.file(path.join(dir, 'state-machine.asl-test.yaml'));
    const labels = await waitFor(
      () => {
        const item = api.testing.controller.items.get(file.toString());
        const names: string[] = [];
        item?.children.forEach((c) => names.push(c.label));
        return names.length ? names : undefined;
      },
      { message: 'the example test file in the Test Explorer' },
    );
    assert.ok(labels.includes("the task's exit code lands in the output"), labels.join(', '));
    assert.ok(labels.length >= 3, `every case of the example is listed: ${labels.join(', ')}`);
  });

  it('runs the case at the cursor and reports it passed', async () => {
    const run = await runAtCase(PASSING, 'testing.runAtCursor');
    const result = run.results.get(caseItem(wsFile(TEST_FILE), PASSING)!.id);
    assert.equal(result?.state, 'passed', JSON.stringify(result?.messages.map((m) => m.message)));
  });

  it('fails a wrong expectation with the expected and actual values at the case line', async () => {
    const run = await runAtCase(FAILING, 'testing.runAtCursor');
    const result = run.results.get(caseItem(wsFile(TEST_FILE), FAILING)!.id);
    assert.equal(result?.state, 'failed');
    const [message] = result.messages;
    assert.equal(message?.message, 'output at $.task.exitCode');
    assert.equal(message?.expectedOutput, '3');
    assert.equal(message?.actualOutput, '0');
    assert.equal(message?.location?.range.start.line, 15);
  });

  it('reports the covered and uncovered states of the machine in a coverage run', async () => {
    const run = await runAtCase(PASSING, 'testing.coverageAtCursor');
    const coverage = run.coverage.find((c) => c.uri.fsPath === wsFile('tests/starter.asl.yaml').fsPath);
    assert.ok(coverage, `coverage of the machine file: ${run.coverage.map((c) => c.uri.fsPath).join(', ')}`);
    assert.deepEqual([coverage.statementCoverage.covered, coverage.statementCoverage.total], [2, 3]);
    assert.deepEqual([coverage.branchCoverage?.covered, coverage.branchCoverage?.total], [1, 2]);
  });
});
