#!/usr/bin/env node
// Playwright checks of the Test Explorer in restricted mode (an untrusted workspace) in the real
// VS Code (code-server) with the packaged .vsix: the cases of the e2e test file are listed, and
// running or debugging one from its row in the Test Explorer is refused: VS Code asks whether to
// trust the folder before it hands the run to the extension, and once the user declines no case
// has a result and no test process runs. Screenshots go to artifacts/e2e/ui-testing-untrusted/.
//
// usage: node e2e/run-ui-testing-untrusted.mjs [--results FILE] [--vsix FILE]
// prints `ui-testing-untrusted-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';

const { shot, check, run, testRow, showTestCases } = workbenchRunner({
  name: 'ui-testing-untrusted',
  label: 'ui-testing-untrusted-tests',
  trusted: false,
});

const CASE = "the task's exit code lands in the output";
/** What VS Code's trust request says before a test run (its workspace trust dialog). */
const TRUST_DIALOG = 'Do you trust the authors of the files in this folder?';
const TRUST_REASON = 'Running tests may execute code in your workspace.';
let page;

/** The test processes (dist/runWorker.js) and debug adapters running in code-server's process group. */
function testProcesses(cs) {
  const ps = execFileSync('ps', ['-e', '-o', 'pgid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((l) => l.trim().startsWith(`${cs.proc.pid} `) && /dist\/(runWorker|debugAdapter)\.js/.test(l));
}

await run(
  (ws) => {
    fs.cpSync(path.join(ROOT, 'e2e/fixtures/testing'), path.join(ws, 'tests'), { recursive: true });
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;

    await check('the Test Explorer lists the cases in restricted mode', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await showTestCases('tests/starter.asl-test.yaml', [CASE]);
    });

    for (const action of ['Run Test', 'Debug Test'])
      await check(`"${action}" on a case asks for trust; declined, nothing runs`, async () => {
        const row = testRow(CASE);
        await row.hover();
        await row.locator(`.action-label[aria-label="${action}"]`).first().click();
        const dialog = page.locator('.monaco-dialog-box', { hasText: TRUST_DIALOG });
        await dialog.waitFor();
        const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
        if (!text.includes(TRUST_REASON)) throw new Error(`the dialog reads "${text}"`);
        await shot(`trust-dialog-${action.split(' ')[0].toLowerCase()}`);
        await dialog
          .locator('.monaco-button', { hasText: /^(Cancel|No|Don't Trust)/ })
          .first()
          .click();
        await dialog.waitFor({ state: 'detached' });
        // the extension never got the run: the case has no result and no test process started
        const states = await row
          .locator('[class*="codicon-testing-"][class*="-icon"]')
          .evaluateAll((els) =>
            els.map((e) => e.className).filter((c) => /testing-(passed|failed|error|queued|running)/.test(c)),
          );
        if (states.length) throw new Error(`the case shows a result: ${states.join(', ')}`);
        const running = testProcesses(cs);
        if (running.length) throw new Error(`test processes run: ${running.join('; ')}`);
        return `dialog: "${TRUST_DIALOG} ${TRUST_REASON}"`;
      });
  },
);
