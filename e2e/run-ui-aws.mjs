#!/usr/bin/env node
// Playwright checks of the AWS commands in the real VS Code (code-server) with the packaged
// .vsix, against `asl-workbench serve` on loopback as the Step Functions endpoint (user setting
// aslWorkbench.aws.endpointUrl; dummy credentials in the environment, no AWS account): Deploy
// to AWS of the ECS example from the palette (name, typed role ARN, the IAM policy beside, the
// confirmation), what serve then holds, Start Execution from the "Created" notification with
// the live overlay and the history in the Executions view (its ECS task runs on the real Docker
// engine through serve), a slow machine deployed with the recently used role, started and
// stopped (ABORTED), and Compare Local and AWS Runs in the diff editor.
// Screenshots go to artifacts/e2e/ui-aws/ and, for docs/aws.md, docs/images/aws-executions.png.
//
// usage: node e2e/run-ui-aws.mjs [--results FILE] [--vsix FILE] [--no-docs-images]
// prints `ui-aws-tests: N passed, M failed`; exit 0 all passed, 1 a check failed, 2 infrastructure.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, ROOT, freePort, log, summarizeAndExit, workbenchUrl, writeResults } from './lib.mjs';
import { workbenchRunner } from './workbench.mjs';
import { waitFor } from '../scripts/test-helpers/wait.mjs';

const IMAGE = 'asl-workbench/busybox:latest';
const ECS = path.join(ROOT, 'examples/ecs-run-task-sync');
const ROLE = 'arn:aws:iam::123456789012:role/StepFunctionsEcs';
const ECS_STATE = 'Run an ECS Task and wait for it to complete';
const SLOW = {
  Comment: 'waits long enough to be stopped',
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
};
// no AWS account: the SDK signs with these and serve does not check them
const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAE2ENOTREAL000000',
  AWS_SECRET_ACCESS_KEY: 'e2e-secret-not-real',
  AWS_CONFIG_FILE: path.join(ROOT, 'no-such-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, 'no-such-aws-credentials'),
  AWS_PROFILE: '',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_SFN: '',
};

const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const { opt, results, shot, check, run, graphFrame, palette, pick, quickOpen } = workbenchRunner({
  name: 'ui-aws',
  label: 'ui-aws-tests',
  env: DUMMY_AWS_ENV,
  settings: { 'aslWorkbench.aws.endpointUrl': endpoint, 'aslWorkbench.aws.region': 'us-east-1' },
});

function dockerOk() {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

if (!dockerOk()) {
  log(`skipped: no Docker engine or no ${IMAGE} image (bash scripts/setup-docker.sh builds it)`);
  results.skipped++;
  writeResults(opt.results, results);
  summarizeAndExit('ui-aws-tests', results, 0);
}

/** One Step Functions API call to serve, as the SDK sends it (JSON 1.0). */
async function sfn(operation, body) {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${operation}` },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${operation}: ${JSON.stringify(json)}`);
  return json;
}

// the endpoint, with the example's run config (task definitions) and mock config
fs.mkdirSync(ARTIFACTS, { recursive: true });
const serveLog = fs.openSync(path.join(ARTIFACTS, 'ui-aws-serve.log'), 'w');
const serve = spawn(
  process.execPath,
  [
    path.join(ROOT, 'dist/cli.js'),
    'serve',
    '--port',
    String(port),
    '--config',
    path.join(ECS, 'asl-workbench.run.json'),
    '--mock-config',
    path.join(ECS, 'mock-config.json'),
  ],
  { stdio: ['ignore', serveLog, serveLog] },
);
process.on('exit', () => serve.kill());
await waitFor(
  () =>
    sfn('ListStateMachines', {}).then(
      () => true,
      () => false,
    ),
  {
    deadlineMs: 30_000,
    intervalMs: 100,
    message: `serve answering on ${endpoint}`,
  },
);

let page;
/** The toast that contains `text` (a string or RegExp). */
const toast = (text) => page.locator('.notification-toast', { hasText: text }).first();
/** The Executions view row of an AWS execution with this label and status. */
const awsRow = (label, status) =>
  page.locator('.monaco-list-row', { hasText: label }).filter({ hasText: status }).filter({ hasText: '☁' }).first();

/** Closes the editor tab whose label is `name`. */
async function closeTab(name) {
  const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click();
  await tab.waitFor({ state: 'detached' });
}

/** Deploy to AWS from the palette for the open file, up to the confirmation's Deploy. */
async function deployOpenFile(name, role) {
  await palette('ASL Workbench: Deploy to AWS');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await waitFor(async () => (await input.inputValue()) === name, { message: `the name box showing ${name}` });
  await page.keyboard.press('Enter');
  await role();
  const dialog = page.locator('.monaco-dialog-box', { hasText: `Deploy ${name} to ${endpoint} (us-east-1)?` });
  await dialog.waitFor();
  const detail = (await dialog.innerText()).replace(/\s+/g, ' ');
  await dialog.locator('.monaco-button', { hasText: /^Deploy$/ }).click();
  return detail;
}

await run(
  (ws) => {
    fs.cpSync(ECS, path.join(ws, 'ecs-run-task-sync'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'slow'));
    fs.writeFileSync(path.join(ws, 'slow/slow.asl.json'), JSON.stringify(SLOW, null, 2));
  },
  async (s) => {
    ({ page } = s);
    const { cs, ws } = s;

    await check('the ECS example offers Deploy to AWS next to Run Locally', async () => {
      await page.goto(workbenchUrl(cs, ws));
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ecs-run-task-sync' }).first().waitFor();
      await quickOpen('ecs-run-task-sync/state-machine.asl.json', 'StartAt', 'state-machine.asl.json');
      const lens = page.locator('.codelens-decoration', { hasText: 'Deploy to AWS' }).first();
      await lens.waitFor();
      return (await lens.innerText()).replace(/\s+/g, ' ').trim();
    });

    await check('Deploy to AWS: name, typed role ARN, the IAM policy beside, then Created with its ARN', async () => {
      const detail = await deployOpenFile('state-machine', async () => {
        await pick('Enter a role ARN');
        const input = page.locator('.quick-input-widget input');
        await input.fill('arn:aws:iam::123:role/x');
        await page.locator('.quick-input-message', { hasText: '12-digit account' }).waitFor();
        await input.fill(ROLE);
        await page.keyboard.press('Enter');
        // the policy the role needs opens beside the machine before the confirmation
        await page.locator('.tabs-container .tab', { hasText: 'state-machine.iam.json' }).first().waitFor();
      });
      if (!detail.includes(ROLE) || !detail.includes('ecs:RunTask'))
        throw new Error(`the confirmation reads: ${detail}`);
      const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:state-machine';
      await toast(`Created state-machine (${arn})`).waitFor();
      const described = await sfn('DescribeStateMachine', { stateMachineArn: arn });
      const file = JSON.parse(fs.readFileSync(path.join(ws, 'ecs-run-task-sync/state-machine.asl.json'), 'utf8'));
      if (described.roleArn !== ROLE) throw new Error(`serve holds the role ${described.roleArn}`);
      if (JSON.stringify(JSON.parse(described.definition)) !== JSON.stringify(file))
        throw new Error('serve holds another definition than the file');
      await closeTab('state-machine.iam.json');
      return `serve holds ${described.name}, ${described.type}`;
    });

    await check(
      'Start Execution from the notification: the live overlay and the history in the Executions view',
      async () => {
        await toast('Created state-machine').locator('.monaco-button', { hasText: 'Start Execution' }).click();
        await pick('input.json');
        await graphFrame()
          .locator(`g.node.state.status-succeeded[data-id="${ECS_STATE}"]`)
          .waitFor({ timeout: 60_000 });
        const view = page.locator('.pane-header', { hasText: 'ASL Executions' });
        await view.waitFor();
        if ((await view.getAttribute('aria-expanded')) === 'false') await view.click();
        // room for the history: collapse the folder section above the view
        const folders = page.locator('.pane-header[aria-expanded="true"]', { hasText: /workspace/i }).first();
        if (await folders.count()) await folders.click();
        const row = awsRow('state-machine.asl.json', 'SUCCEEDED');
        await row.waitFor({ timeout: 60_000 });
        await row.click();
        await page.keyboard.press('ArrowRight'); // its history events
        await page.locator('.monaco-list-row', { hasText: ECS_STATE }).filter({ hasText: 'exited' }).first().waitFor();
        const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
        // the next machine's graph and history in their place
        await row.click();
        await page.keyboard.press('ArrowLeft');
        await closeTab('execution.json');
        await closeTab('Graph: state-machine.asl.json');
        return text;
      },
    );

    await check('a slow machine deployed with the recent role, started, then stopped: ABORTED', async () => {
      await quickOpen('slow/slow.asl.json', 'Hold', 'slow.asl.json');
      await deployOpenFile('slow', async () => {
        await pick(ROLE);
        await page.locator('.tabs-container .tab', { hasText: 'slow.iam.json' }).first().waitFor();
      });
      await toast(/Created slow \(/)
        .locator('.monaco-button', { hasText: 'Start Execution' })
        .click();
      await pick('Empty input');
      await graphFrame().locator('g.node.state.status-running[data-id="Hold"]').waitFor({ timeout: 60_000 });
      await awsRow('slow.asl.json', 'RUNNING').waitFor();
      await palette('ASL Workbench: Stop Execution on AWS');
      await awsRow('slow.asl.json', 'ABORTED').waitFor({ timeout: 60_000 });
      await graphFrame().locator('g.node.state.status-aborted[data-id="Hold"]').waitFor();
      await closeTab('slow.iam.json');
      const aborted = awsRow('slow.asl.json', 'ABORTED');
      await aborted.click();
      await page.keyboard.press('ArrowRight'); // its history, ending in ExecutionAborted
      await page.locator('.monaco-list-row', { hasText: 'ExecutionAborted' }).first().waitFor();
      await closeTab('execution.json');
      await palette('Notifications: Clear All Notifications');
      // the preview draws again once its group has its final size
      await graphFrame().locator('g.node.state.status-aborted[data-id="Hold"]').waitFor();
      await shot('aws-executions', { docs: true });
      const list = await sfn('ListExecutions', {
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:slow',
      });
      const statuses = list.executions.map((e) => e.status).join(', ');
      if (statuses !== 'ABORTED') throw new Error(`serve lists the executions of slow as ${statuses}`);
      return `serve: ${statuses}`;
    });

    await check('Compare Local and AWS Runs opens the local run and the AWS execution side by side', async () => {
      await quickOpen('ecs-run-task-sync/state-machine.asl.json', 'StartAt', 'state-machine.asl.json');
      // the machine's editor, not its graph, is the active one the palette command acts on
      await waitFor(async () => (await page.title()).startsWith('state-machine.asl.json'), {
        message: 'the machine in the active editor',
      });
      await palette('ASL Workbench: Run Locally');
      await pick('input.json');
      await pick('Run the tasks for real');
      await page
        .locator('.monaco-list-row', { hasText: 'state-machine.asl.json' })
        .filter({ hasText: 'SUCCEEDED' })
        .filter({ hasNotText: '☁' })
        .first()
        .waitFor({ timeout: 60_000 });
      await palette('ASL Workbench: Compare Local and AWS Runs');
      await page.locator('.tabs-container .tab', { hasText: 'Local ↔ AWS: state-machine.asl.json' }).first().waitFor();
      const sides = page.locator('.editor-instance .monaco-diff-editor .view-line', { hasText: `${ECS_STATE} (Task)` });
      await waitFor(async () => (await sides.count()) >= 2, { message: 'the state on both sides of the diff' });
      await shot('aws-compare');
    });
  },
);
