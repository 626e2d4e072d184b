/**
 * The Test Explorer in the real extension host: the test files of the workspace and their
 * cases are discovered (a copied example too, through the file watcher), a case run from the
 * editor's cursor passes, a deliberately wrong expectation fails with an expected/actual diff
 * at its line, and a coverage run reports the states of the machine file and marks them on
 * the machine's graph preview until "Clear Coverage in Graph".
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { DescriptionMessage } from '../../../src/graph/messages';
import type { FinishedTestRun } from '../../../src/testing/index';
import {
  assertExitCodeDiff,
  copyExample,
  EXTENSION_ID,
  repoRoot,
  runAtCase as runCaseAtCursor,
  wsFile,
} from './helpers';
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
  const runAtCase = (name: string, command: string): Promise<FinishedTestRun> =>
    runCaseAtCursor(api.testing, wsFile(TEST_FILE), name, command);

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
    assertExitCodeDiff(run.results.get(caseItem(wsFile(TEST_FILE), FAILING)!.id));
  });

  it('reports the covered and uncovered states of the machine in a coverage run', async () => {
    const run = await runAtCase(PASSING, 'testing.coverageAtCursor');
    const coverage = run.coverage.find((c) => c.uri.fsPath === wsFile('tests/starter.asl.yaml').fsPath);
    assert.ok(coverage, `coverage of the machine file: ${run.coverage.map((c) => c.uri.fsPath).join(', ')}`);
    assert.deepEqual([coverage.statementCoverage.covered, coverage.statementCoverage.total], [2, 3]);
    assert.deepEqual([coverage.branchCoverage?.covered, coverage.branchCoverage?.total], [1, 2]);
  });

  it("marks the coverage run's uncovered states and transitions on the machine's graph preview", async () => {
    const run = await runAtCase(PASSING, 'testing.coverageAtCursor');
    const machine = wsFile('tests/starter.asl.yaml');
    const report = run.machines.find((m) => m.uri.toString() === machine.toString())?.report;
    assert.ok(report, `the run's coverage of the machine: ${run.machines.map((m) => m.uri.toString()).join(', ')}`);
    const hits = (name: string) => `${report.states.find((s) => s.name === name)?.hits}×`;
    await api.graphPreview.show(machine);
    const described = (what: string, accept: (d: DescriptionMessage) => boolean) =>
      waitFor(
        async () => {
          const d = await api.graphPreview.describe(machine);
          return d && accept(d) ? d : undefined;
        },
        { message: what, deadlineMs: 60_000, recheckOn: api.graphPreview.onDidRender },
      );
    const node = (d: DescriptionMessage, id: string) => d.nodes.find((n) => n.id === id);
    const marked = await described(
      'the coverage marks on the graph',
      (d) => !!node(d, 'Task failed')?.classes.includes('cov-uncovered'),
    );
    assert.match(
      node(marked, 'Task failed')?.coverageTitle ?? '',
      /^Task failed: not covered by the coverage run of \d\d:\d\d:\d\d$/,
    );
    // the badge says how often the state ran in the run's cases
    assert.equal(node(marked, 'Run task')?.hits, hits('Run task'));
    assert.ok(node(marked, 'Run task')?.classes.includes('cov-covered'));
    assert.equal(node(marked, 'Done')?.hits, hits('Done'));
    assert.deepEqual(marked.uncoveredEdges, ['Run task->catch0->Task failed']);
    assert.match(marked.coverageLegend ?? '', /^2\/3 states, 1\/2 transitions covered by the coverage run of /);
    await vscode.commands.executeCommand('aslWorkbench.clearGraphCoverage');
    const cleared = await described(
      'the coverage marks cleared',
      (d) => d.nodes.length > 0 && !d.nodes.some((n) => n.classes.some((c) => c.startsWith('cov-'))),
    );
    assert.equal(cleared.coverageLegend, undefined);
  });
});
