#!/usr/bin/env node
// Playwright checks of Run Locally in the real VS Code (code-server) with the packaged .vsix
// and the real Docker engine: Run Locally from the command palette with the input quick pick,
// the graph preview's live overlay while a Map of ECS tasks runs (screenshot), the final
// colours, the "finished" notification, and the Executions view with an event's input/output
// document (screenshot).
// Screenshots go to artifacts/e2e/ui-run/ and, for the README, docs/images/run-*.png.
//
// usage: node e2e/run-ui-run-locally.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-run-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, log, summarizeAndExit, workbenchUrl, writeResults } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';

const { opt, results, shot, check, run, graphFrame, palette, quickOpen, pick } = workbenchRunner({
  name: 'ui-run',
  label: 'ui-run-tests',
  waitingDetail: false,
});

const IMAGE = 'asl-workbench/busybox:latest';
const DEMO = path.join(ROOT, 'client/test/fixtures/run/ui-demo');
const MISSING = path.join(ROOT, 'client/test/fixtures/run/ui-missing');
let page;

function dockerOk() {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Clicks a button of the notification that contains `text`. */
async function notificationButton(text, button) {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout: 60_000 });
  await toast.locator('.monaco-button', { hasText: button }).first().click();
}

/** The Executions view row of an execution with this label and status text. */
const executionRow = (label, status) =>
  page.locator('.monaco-list-row', { hasText: label }).filter({ hasText: status }).first();

if (!dockerOk()) {
  log(`skipped: no Docker engine or no ${IMAGE} image (bash scripts/setup-docker.sh builds it)`);
  results.skipped++;
  writeResults(opt.results, results);
  summarizeAndExit('ui-run-tests', results, 0);
}
await run(
  (ws) => {
    fs.cpSync(DEMO, path.join(ws, 'order-pipeline'), { recursive: true });
    fs.cpSync(MISSING, path.join(ws, 'missing'), { recursive: true });
    // the EKS example with a cluster that must be reached through a kubeconfig that does not exist
    fs.cpSync(path.join(ROOT, 'examples/eks-run-job-sync'), path.join(ws, 'no-cluster'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, 'no-cluster/asl-workbench.run.json'),
      JSON.stringify(
        { clusters: { 'pi-cluster': { mode: 'kubernetes', kubeconfig: './no-such-kubeconfig' } } },
        null,
        2,
      ),
    );
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;

    await check('opens the demo machine', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'order-pipeline' }).first().waitFor();
      await quickOpen('order-pipeline.asl.json', 'Process items');
      // the code lens and the editor title button appear in a trusted workspace
      await page.locator('.codelens-decoration', { hasText: 'Run Locally' }).first().waitFor();
      await page.locator('.editor-actions [aria-label*="Run Locally"]').first().waitFor();
    });

    await check('Run Locally from the palette: input quick pick, live overlay on the graph', async () => {
      await palette('ASL Workbench: Run Locally');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'input.json' }).first();
      await row.waitFor();
      await row.click();
      // the Map's iterations are running: its node (and the item task) turn "running"
      const running = graphFrame().locator('g.node.status-running');
      await running.first().waitFor({ timeout: 60_000 });
      await graphFrame().locator('g.node.status-succeeded').first().waitFor();
      await page.locator('.notifications-toasts', { hasText: 'Running order-pipeline.asl.json' }).first().waitFor();
      await shot('run-graph-overlay', { docs: true });
      return `${await running.count()} running nodes`;
    });

    await check('the overlay ends with every state succeeded', async () => {
      const states = graphFrame().locator('g.node.state');
      await graphFrame().locator('g.node.state.status-succeeded').nth(4).waitFor({ timeout: 60_000 });
      const total = await states.count();
      const ok = await graphFrame().locator('g.node.state.status-succeeded').count();
      if (ok !== total) throw new Error(`${ok} of ${total} states succeeded`);
      return `${ok} states succeeded`;
    });

    await check('a finished run says its status and duration; Show in Executions selects it', async () => {
      const toast = page
        .locator('.notification-toast', { hasText: /order-pipeline\.asl\.json: SUCCEEDED in \d/ })
        .first();
      await toast.waitFor({ timeout: 60_000 });
      await toast.locator('.monaco-button', { hasText: 'Show Output' }).first().waitFor();
      const text = (await toast.locator('.notification-list-item-message').first().innerText()).trim();
      await shot('run-finished');
      await toast.locator('.monaco-button', { hasText: 'Show in Executions' }).first().click();
      await page
        .locator('.monaco-list-row.selected', { hasText: 'order-pipeline.asl.json' })
        .filter({ hasText: 'SUCCEEDED' })
        .first()
        .waitFor();
      await page.keyboard.press('ArrowLeft'); // collapse its events again (the next check expands them)
      return text;
    });

    await check('Executions view: the execution, its events, and an event input/output', async () => {
      const view = page.locator('.pane-header', { hasText: 'ASL Executions' });
      await view.waitFor();
      if ((await view.getAttribute('aria-expanded')) === 'false') await view.click();
      // room for the history: collapse the folder section above the view
      const folders = page.locator('.pane-header[aria-expanded="true"]', { hasText: /workspace/i }).first();
      if (await folders.count()) await folders.click();
      const exec = page
        .locator('.monaco-list-row', { hasText: 'order-pipeline.asl.json' })
        .filter({ hasText: 'SUCCEEDED' })
        .first();
      await exec.waitFor({ timeout: 60_000 });
      await exec.click();
      await page.keyboard.press('ArrowRight'); // expand to the history events
      const exited = page
        .locator('.monaco-list-row', { hasText: 'Run item task' })
        .filter({ hasText: 'exited' })
        .first();
      await exited.waitFor();
      await exited.scrollIntoViewIfNeeded();
      await exited.click();
      await page.locator('.tabs-container .tab', { hasText: 'Run item task.json' }).first().waitFor();
      await page
        .locator('.editor-instance .monaco-editor .view-line', { hasText: '"state": "Run item task"' })
        .first()
        .waitFor();
      await shot('run-executions-view', { docs: true });
    });

    await check('the output channel shows the events and the container logs', async () => {
      await palette('Output: Show Output Channels...');
      const ch = page.locator('.quick-input-list .monaco-list-row', { hasText: 'ASL Workbench: Executions' }).first();
      await ch.waitFor();
      await ch.click();
      await page
        .locator('.view-line', { hasText: /execution\s1\sSUCCEEDED\sin/ })
        .first()
        .waitFor();
      await shot('run-output-channel');
    });

    await check('unmapped TaskDefinition: Map It… writes the run config, Run Again succeeds', async () => {
      await page.keyboard.press('Escape');
      await quickOpen('report.asl.json', 'Write report');
      await palette('ASL Workbench: Run Locally');
      await pick('Empty input');
      await notificationButton('TaskDefinition "report-writer" is not mapped', 'Map It');
      await pick('report-writer.task-definition.json');
      await notificationButton('Mapped "report-writer"', 'Run Again');
      await executionRow('report.asl.json', 'SUCCEEDED').waitFor({ timeout: 60_000 });
      const cfg = JSON.parse(fs.readFileSync(path.join(ws, 'missing/asl-workbench.run.json'), 'utf8'));
      if (cfg.taskDefinitions['report-writer'] !== './report-writer.task-definition.json')
        throw new Error(`run config: ${JSON.stringify(cfg)}`);
      return `taskDefinitions: ${JSON.stringify(cfg.taskDefinitions)}`;
    });

    await check('no container engine: Use Mock Config reruns with the mock test case', async () => {
      await quickOpen('offline.asl.json', 'Run offline task');
      await palette('ASL Workbench: Run Locally');
      await pick('Empty input');
      await pick('Run the tasks for real');
      const toast = page.locator('.notification-toast', { hasText: 'No container engine is reachable' }).first();
      await toast.waitFor({ timeout: 60_000 });
      for (const b of ['Open Settings', 'Retry', 'Use Mock Config'])
        await toast.locator('.monaco-button', { hasText: b }).first().waitFor();
      await shot('run-missing-engine');
      await toast.locator('.monaco-button', { hasText: 'Use Mock Config' }).first().click();
      await executionRow('offline.asl.json (mock: HappyPath)', 'SUCCEEDED').waitFor({ timeout: 60_000 });
    });

    await check('no Kubernetes cluster: Run Jobs on Containers writes the run config, Run Again succeeds', async () => {
      await page.keyboard.press('Escape');
      await quickOpen('no-cluster/state-machine.asl.json', 'eks:runJob');
      await palette('ASL Workbench: Run Locally');
      await pick('input.json');
      await pick('Run the tasks for real');
      await notificationButton('No Kubernetes cluster is reachable', 'Run Jobs on Containers');
      await notificationButton('Jobs of pi-cluster now run as containers', 'Run Again');
      await executionRow('state-machine.asl.json', 'SUCCEEDED').waitFor({ timeout: 60_000 });
      const cfg = JSON.parse(fs.readFileSync(path.join(ws, 'no-cluster/asl-workbench.run.json'), 'utf8'));
      if (cfg.clusters['pi-cluster'].mode !== 'containers') throw new Error(`run config: ${JSON.stringify(cfg)}`);
      return `clusters: ${JSON.stringify(cfg.clusters)}`;
    });
  },
);
