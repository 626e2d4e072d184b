#!/usr/bin/env node
// Playwright checks of the Test Explorer in the real VS Code (code-server) with the packaged
// .vsix: the state machine test file of the e2e workspace (e2e/fixtures/testing, copied into the workspace as tests/) is listed with
// its cases, a case run from its row in the Test Explorer passes, and a coverage run of every
// case shows the failing case and the machine's coverage in the Test Coverage view and the
// machine file's editor, and the machine's graph preview marks that coverage (the state and
// the Catch edge no test ran) until "Clear Coverage in Graph". The cases mock their ECS task,
// so no container engine is needed. Screenshots go to artifacts/e2e/ui-testing/ and, for the
// docs, docs/images/test-explorer.png and docs/images/graph-coverage.png.
//
// usage: node e2e/run-ui-testing.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-testing-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';

const { shot, check, run, palette, quickOpen, graphFrame, testRow, showTestCases } = workbenchRunner({
  name: 'ui-testing',
  label: 'ui-testing-tests',
});

const PASSING = "the task's exit code lands in the output";
const FAILING = 'a wrong expected exit code fails with a diff';
let page;

await run(
  (ws) => {
    // kept out of e2e/workspace: a test file there would activate the extension at start-up in
    // every suite, where activation must wait for an ASL document
    fs.cpSync(path.join(ROOT, 'e2e/fixtures/testing'), path.join(ws, 'tests'), { recursive: true });
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;

    await check('the Test Explorer lists the test file and its cases', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await showTestCases('tests/starter.asl-test.yaml', [PASSING, FAILING]);
    });

    await check('a case run from its row in the Test Explorer passes', async () => {
      const row = testRow(PASSING);
      await row.hover();
      await row.locator('.action-label[aria-label="Run Test"]').first().click();
      await row.locator('.codicon-testing-passed-icon').waitFor({ timeout: 60_000 });
    });

    await check('a coverage run shows the failure and the covered states of the machine', async () => {
      await palette('Test: Run All Tests with Coverage');
      await testRow(FAILING).locator('.codicon-testing-failed-icon').waitFor({ timeout: 60_000 });
      // the Test Coverage view lists the machine file with its states covered
      const covered = page.locator('.monaco-list-row', { hasText: 'starter.asl.yaml' }).filter({ hasText: '%' });
      await covered.first().waitFor({ timeout: 60_000 });
      const figure = (await covered.first().innerText()).replace(/\s+/g, ' ').trim();
      // 3 of the 5 states and transitions: the Catch to "Task failed" and that state are not run
      if (!figure.includes('60.00%')) throw new Error(`the coverage row reads "${figure}"`);
      await quickOpen('tests/starter.asl.yaml', 'Run task', 'starter.asl.yaml');
      await shot('test-explorer', { docs: true });
      return `coverage row: ${figure}`;
    });

    await check("the machine's graph preview marks the states and transitions no test ran", async () => {
      await palette('ASL Workbench: Show Graph Preview');
      const uncovered = graphFrame().locator('g.node.state.cov-uncovered[data-id="Task failed"]');
      await uncovered.waitFor({ timeout: 60_000 });
      await graphFrame().locator('g.node.state.cov-covered[data-id="Run task"] .cov-badge').waitFor();
      await graphFrame().locator('g.edge.cov-uncovered[data-id="Run task->catch0->Task failed"]').waitFor();
      const legend = (await graphFrame().locator('#coverage-text').innerText()).trim();
      if (!/^2\/3 states, 1\/2 transitions covered by the coverage run of \d\d:\d\d:\d\d$/.test(legend))
        throw new Error(`the coverage legend reads "${legend}"`);
      // the picture after elkjs refined the first quick layout
      await graphFrame()
        .locator('#status', { hasText: /^3 states$/ })
        .waitFor({ timeout: 60_000 });
      await shot('graph-coverage', { docs: true });
      await palette('ASL Workbench: Clear Coverage in Graph');
      await uncovered.waitFor({ state: 'detached' });
      await graphFrame().locator('g.node.state[data-id="Task failed"]').waitFor();
      return `legend: ${legend}`;
    });
  },
);
