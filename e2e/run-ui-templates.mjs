#!/usr/bin/env node
// Playwright checks of a state machine inside a CloudFormation template, in the real VS Code
// (code-server) with the packaged .vsix: the CloudFormation example (examples/cloudformation)
// copied with an ECS mistake (an unknown LaunchType) opens as YAML (its language unchanged),
// the Problems view lists the diagnostic at the template's own line and column, the code
// lenses above the definition offer Run / Graph / IAM Policy, the quick fix corrects the value
// in the template and the problem goes away; Format Document is ours in ASL files only; the
// Graph and Run lenses draw and run the template's machine (with a mock test case). Screenshots go to artifacts/e2e/ui-templates/
// and, for docs/templates.md, docs/images/template-*.png.
//
// usage: node e2e/run-ui-templates.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-templates-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';
import { waitFor } from '../scripts/test-helpers/wait.mjs';

const { shot, check, run, graphFrame, palette, pick, quickOpen } = workbenchRunner({
  name: 'ui-templates',
  label: 'ui-templates-tests',
});

const ORIGINAL = fs.readFileSync(path.join(ROOT, 'examples/cloudformation/template.yaml'), 'utf8');
const MISTAKE = 'LaunchType: FARGATEE';
const TEMPLATE = ORIGINAL.replace('LaunchType: FARGATE', MISTAKE);
/** Where the mistake is, as VS Code numbers lines and columns (1-based). */
const before = TEMPLATE.slice(0, TEMPLATE.indexOf(MISTAKE) + 'LaunchType: '.length);
const LINE = before.split('\n').length;
const COLUMN = before.length - before.lastIndexOf('\n');

let page;
const editor = () => page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
const problemRow = () => page.locator('.markers-panel .monaco-list-row', { hasText: /LaunchType/ }).first();

await run(
  (ws) => {
    const dir = path.join(ws, 'cloudformation');
    fs.cpSync(path.join(ROOT, 'examples/cloudformation'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    fs.writeFileSync(
      path.join(dir, 'one-line.asl.json'),
      '{"StartAt":"Go","States":{"Go":{"Type":"Pass","End":true}}}',
    );
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;
    const dir = path.join(ws, 'cloudformation');

    await check('the template opens as YAML: the extension does not change its language', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'cloudformation' }).first().waitFor();
      await quickOpen('cloudformation/template.yaml', 'AWSTemplateFormatVersion', 'template.yaml');
      await page.locator('[id="status.editor.mode"]', { hasText: /^\s*YAML\s*$/ }).waitFor();
    });

    await check(
      `the Problems view lists the ECS mistake at line ${LINE}, column ${COLUMN} of the template`,
      async () => {
        await page.keyboard.press('Control+Shift+M');
        const row = problemRow();
        await row.waitFor();
        const at = (await row.innerText()).replace(/\s+/g, ' ').trim();
        if (!at.includes("Did you mean 'FARGATE'?")) throw new Error(`the problem reads: ${at}`);
        if (!at.includes(`[Ln ${LINE}, Col ${COLUMN}]`)) throw new Error(`the problem is not at line ${LINE}: ${at}`);
        await shot('template-problems', { docs: true });
        return at;
      },
    );

    await check('code lenses above the definition offer Run, Graph and IAM Policy', async () => {
      await problemRow().dblclick(); // reveals the mistake, a few lines under the definition's top
      await editor().locator('.view-line', { hasText: MISTAKE }).first().waitFor();
      const lens = page.locator('.codelens-decoration', { hasText: 'Graph' }).first();
      await lens.waitFor();
      const text = (await lens.innerText()).replace(/\s+/g, ' ').trim();
      for (const part of ['Run RunCommands Locally', 'Graph', 'IAM Policy'])
        if (!text.includes(part)) throw new Error(`the lenses read: ${text}`);
      return text;
    });

    await check('the quick fix corrects the LaunchType in the template', async () => {
      await editor().locator('.view-line span', { hasText: 'FARGATEE' }).last().click(); // the cursor on the mistake
      await page.keyboard.press('Control+.');
      const item = page
        .locator('.action-widget .monaco-list-row', { hasText: "Change 'FARGATEE' to 'FARGATE'" })
        .first();
      await item.waitFor();
      await shot('template-quick-fix', { docs: true });
      // the preferred fix is the first, selected row
      await page.keyboard.press('Enter');
      await problemRow().waitFor({ state: 'detached' });
      await editor().locator('.view-line', { hasText: MISTAKE }).first().waitFor({ state: 'detached' });
      await page.keyboard.press('Control+S');
      // the fix changed that one value and nothing else in the template
      const file = path.join(dir, 'template.yaml');
      await waitFor(() => fs.readFileSync(file, 'utf8') === ORIGINAL, {
        message: 'the saved template equal to the example',
      });
    });

    await check('Format Document formats an ASL file and leaves the template to a YAML formatter', async () => {
      await palette('Format Document');
      // no YAML extension is installed: VS Code says so, rather than formatting with ours
      const dialog = page.locator('.monaco-dialog-box', { hasText: /no formatter for 'yaml' files/i });
      await dialog.waitFor();
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await quickOpen('cloudformation/one-line.asl.json', 'StartAt', 'one-line.asl.json');
      await palette('Format Document');
      await editor()
        .locator('.view-line', { hasText: /^\s*"StartAt":\s"Go",\s*$/ })
        .first()
        .waitFor();
    });

    await check("the Graph lens opens the preview of the template's state machine", async () => {
      // back to the template, still showing the definition's top
      await page
        .locator('.tabs-container .tab', { hasText: /^template\.yaml/ })
        .first()
        .click();
      await page.locator('.codelens-decoration a', { hasText: 'Graph' }).first().click();
      await graphFrame().locator('g.node.state[data-id="Run commands"]').waitFor();
      await shot('template-graph', { docs: true });
    });

    await check(
      "Run Locally from the lens runs the template's machine with its substitutions and a mock test case",
      async () => {
        await page.locator('.codelens-decoration a', { hasText: 'Run RunCommands Locally' }).first().click();
        await pick('input.json');
        await pick('HappyPath'); // the mock config's test case of RunCommands: no container engine needed
        await graphFrame()
          .locator('g.node.state.status-succeeded[data-id="Run commands"]')
          .waitFor({ timeout: 60_000 });
        const toast = page.locator('.notification-toast', { hasText: /template\.yaml.*: SUCCEEDED in \d/ }).first();
        await toast.waitFor({ timeout: 60_000 });
        await shot('template-run', { docs: true });
        return (await toast.locator('.notification-list-item-message').first().innerText()).trim();
      },
    );
  },
);
