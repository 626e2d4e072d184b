#!/usr/bin/env node
// Playwright checks of what only the workbench UI shows, in the real VS Code (code-server) with
// the packaged .vsix installed: the language in the status bar, the completion widget inside
// RunTask Parameters, the hover with the parameter docs, and the Problems panel with an ECS
// diagnostic. Screenshots go to artifacts/e2e/ui/ and, for the README, docs/images/.
//
// usage: node e2e/run-ui-tests.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import { workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';
import { waitFor } from '../scripts/test-helpers/wait.mjs';

const { shot, check, run, palette, pick } = workbenchRunner({ name: 'ui', label: 'ui-tests' });
let page;

/** The editor of the active editor group (the IAM policy opens in a second group). */
const editor = () => page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();

/** Opens a workspace file from the Explorer and waits until its text is rendered. */
async function openFile(name, firstText) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).waitFor();
  await editor().locator('.view-line', { hasText: firstText }).first().waitFor();
}

/** Moves the cursor to a 1-based line with Go to Line (Ctrl+G). */
async function goToLine(line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

await run(
  () => undefined,
  async (session) => {
    ({ page } = session);
    const { cs, ws } = session;

    await check('workbench opens the example workspace', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ecs-run-task.asl.json' }).waitFor();
    });

    await check('status bar shows the ASL language', async () => {
      await openFile('completion.asl.json', 'LaunchType');
      const mode = page.locator('[id="status.editor.mode"]');
      await mode.filter({ hasText: 'Amazon States Language' }).waitFor();
      return (await mode.innerText()).trim();
    });

    await check('completion widget inside RunTask Parameters lists TaskDefinition', async () => {
      await editor().locator('.view-line', { hasText: 'LaunchType' }).click();
      await goToLine(10); // the blank line inside Parameters
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Space');
      const row = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'TaskDefinition' }).first();
      await row.waitFor();
      const labels = await page
        .locator('.suggest-widget.visible .monaco-list-row')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      await shot('completion', { docs: true });
      await page.keyboard.press('Escape');
      return labels.slice(0, 5).join(' | ');
    });

    await check('hover shows the TaskDefinition parameter docs', async () => {
      await openFile('ecs-run-task.asl.json', 'Run report task');
      const token = editor().locator('.view-line span span', { hasText: 'TaskDefinition' }).first();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Task definition to run: a family' }).first();
      // code lenses may arrive and shift the lines under the pointer: hover again until it shows
      await waitFor(
        async () => {
          await page.mouse.move(5, 5);
          await token.hover();
          await hover.waitFor({ state: 'visible', timeout: 3000 });
          return true;
        },
        { message: 'the TaskDefinition hover' },
      );
      // the hover fades in: take the picture once its animations are over
      await hover.evaluate((el) => {
        const finite = [];
        for (let n = el; n; n = n.parentElement)
          finite.push(...n.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity));
        return Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
      });
      await shot('hover', { docs: true });
      const text = (await hover.innerText()).trim();
      await page.mouse.move(5, 5);
      if (!text.includes('latest ACTIVE revision')) throw new Error(`the hover lacks the parameter docs:\n${text}`);
      return text.split('\n')[0];
    });

    await check('Problems panel lists the ECS diagnostic', async () => {
      await openFile('ecs-mistake.asl.json', 'Run report task');
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: /taskDefinition/ }).first();
      await row.waitFor();
      await shot('problems', { docs: true });
      return (await row.getAttribute('aria-label')) ?? '';
    });

    await check('quick fix menu offers the TaskDefinition rename', async () => {
      await page.keyboard.press('Escape'); // leave the Problems panel
      await editor().locator('.view-line span', { hasText: 'taskDefinition' }).first().click();
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: 'TaskDefinition' }).first();
      await item.waitFor();
      await shot('quick-fix', { docs: true });
      const text = (await item.innerText()).trim();
      await page.keyboard.press('Escape');
      return text;
    });

    await check('Generate IAM Policy from the command palette opens the policy', async () => {
      await openFile('ecs-run-task.asl.json', 'Run report task');
      const panel = page.locator('.part.panel');
      if (await panel.isVisible()) {
        await page.keyboard.press('Control+J'); // hide the Problems panel: more room for the policy
        await panel.waitFor({ state: 'hidden' });
      }
      await palette('ASL Workbench: Generate IAM Policy');
      // one document per machine, named as it is saved, with the notes as comments
      await page.locator('.tabs-container .tab', { hasText: 'ecs-run-task.iam.json' }).first().waitFor();
      await page
        .locator('.editor-instance .monaco-editor .view-line', { hasText: /"ecs:RunTask"/ })
        .first()
        .waitFor();
      await page
        .locator('.editor-instance .monaco-editor .view-line', { hasText: /note.\(ecs:runTask/ })
        .first()
        .waitFor();
      await shot('iam-policy', { docs: true });
    });

    await check('New State Machine: template and format quick picks open a YAML machine', async () => {
      await page.keyboard.press('Escape');
      await palette('ASL Workbench: New State Machine');
      await pick('eks-run-job-sync');
      await pick('YAML');
      await editor().locator('.view-line', { hasText: 'arn:aws:states:::eks:runJob.sync' }).first().waitFor();
      await page.locator('[id="status.editor.mode"]', { hasText: 'Amazon States Language (YAML)' }).waitFor();
    });
  },
);
