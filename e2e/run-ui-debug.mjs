#!/usr/bin/env node
// Playwright checks of Debug Locally in the real VS Code (code-server) with the packaged .vsix:
// on the ECS example (examples/ecs-run-task-sync) a breakpoint set with F9 on the state's line
// shows on the graph preview's node, the node's breakpoint dot toggles it, Debug Locally (the
// editor title button) asks for the input and the mock test case, the session stops at the
// breakpoint (editor, Call Stack, graph), the Variables view shows the state's input, and
// Continue runs the execution to its end. The mock test case runs the ECS task from the mock
// config, so no container engine is needed.
// Screenshots go to artifacts/e2e/ui-debug/ and, for the README, docs/images/debug-*.png.
//
// usage: node e2e/run-ui-debug.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-debug-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, workbenchUrl } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';

const { shot, check, run, graphFrame, palette, quickOpen, pick } = workbenchRunner({
  name: 'ui-debug',
  label: 'ui-debug-tests',
});

const STATE = 'Run an ECS Task and wait for it to complete';
let page;

const editor = () => page.locator('.editor-group-container .editor-instance .monaco-editor').first();
/** The state's node in the graph preview. */
const stateNode = () => graphFrame().locator(`g.node.state[data-id="${STATE}"]`);
/** Breakpoint glyphs in the editor's margin (verified or not yet). */
const glyphs = () => editor().locator('.margin [class*="codicon-debug-breakpoint"]');

await run(
  (ws) => {
    fs.cpSync(path.join(ROOT, 'examples/ecs-run-task-sync'), path.join(ws, 'ecs-run-task-sync'), { recursive: true });
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;

    await check('opens the ECS example: Debug Locally in the editor title and as a code lens', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ecs-run-task-sync' }).first().waitFor();
      await quickOpen('ecs-run-task-sync/state-machine.asl.json', 'ecs:runTask.sync', 'state-machine.asl.json');
      await page.locator('.codelens-decoration', { hasText: 'Debug Locally' }).first().waitFor();
      await page.locator('.editor-actions [aria-label*="Debug Locally"]').first().waitFor();
      await palette('ASL Workbench: Show Graph Preview');
      await stateNode().waitFor();
    });

    await check("F9 on the state's line sets a breakpoint that the graph marks on the node", async () => {
      await editor()
        .locator('.view-line', { hasText: `"${STATE}": {` })
        .first()
        .click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('F9');
      await glyphs().first().waitFor();
      await graphFrame().locator(`g.node.state.breakpoint[data-id="${STATE}"]`).waitFor();
      return `${await glyphs().count()} breakpoint glyph`;
    });

    await check("the node's breakpoint dot removes the breakpoint and sets it again", async () => {
      await stateNode().locator('.bp-dot').click();
      await glyphs().first().waitFor({ state: 'detached' });
      await graphFrame().locator(`g.node.state:not(.breakpoint)[data-id="${STATE}"]`).waitFor();
      await stateNode().locator('.bp-dot').click();
      await glyphs().first().waitFor();
      await graphFrame().locator(`g.node.state.breakpoint[data-id="${STATE}"]`).waitFor();
    });

    await check('Debug Locally asks for the input and the test case, then stops at the breakpoint', async () => {
      await editor().click({ position: { x: 200, y: 10 } }); // the machine's editor is the active one again
      await page.locator('.editor-actions [aria-label*="Debug Locally"]').first().click();
      await pick('input.json');
      await pick('HappyPath');
      await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
      // the Call Stack view's header says why the session stopped
      await page
        .locator('.pane-header', { hasText: /call stack/i })
        .filter({ hasText: /paused on breakpoint/i })
        .waitFor({ timeout: 60_000 });
      await editor().locator('.debug-top-stack-frame-line').first().waitFor();
      await graphFrame().locator(`g.node.state.debug-paused[data-id="${STATE}"]`).waitFor();
      const frame = (
        await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'Run an ECS' }).first().innerText()
      ).trim();
      return `top frame: ${frame.replace(/\s+/g, ' ')}`;
    });

    await check("the Variables view shows the state's input", async () => {
      const variables = page.locator('.debug-variables');
      await variables.waitFor();
      const row = variables.locator('.monaco-list-row', { hasText: 'commands' }).first();
      await row.waitFor();
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      // input.json of the example: {"commands": ["test command 1", …]}
      if (!/^commands = \["test command 1"/.test(text)) throw new Error(`the variable row reads "${text}"`);
      await shot('debug-breakpoint', { docs: true });
      return `variable: ${text}`;
    });

    await check('Continue runs the execution to its end and the session ends', async () => {
      await page.locator('.debug-toolbar .codicon-debug-continue').first().click();
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
      await graphFrame().locator('g.node.state.debug-paused').first().waitFor({ state: 'detached' });
      // the breakpoint stays for the next session
      await graphFrame().locator(`g.node.state.breakpoint[data-id="${STATE}"]`).waitFor();
    });
  },
);
