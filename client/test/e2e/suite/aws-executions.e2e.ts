/**
 * Executions on Step Functions in the real extension host: `asl-workbench serve` (the
 * repository's dist/cli.js) as the endpoint of the aslWorkbench.aws.endpointUrl setting, machines deployed
 * through the SDK helper, then Start Execution on AWS from the command: the record in the
 * Executions view with its events and cloud description, the asl-exec: document, the graph
 * overlay with the Map counters; a long execution stopped (ABORTED); an ended one opened
 * again from Open Recent Executions. Then the serve service in this host with a stand-in SQS
 * driver: Send Task Success to a `.waitForTaskToken` task, Redrive of a failed execution, and
 * a Distributed Map's Map Run progress on the overlay and in the view.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { createSfnClient, deployStateMachine, sendTaskSuccess } from '../../../../runner/src/aws/client';
import { LocalEndpoint } from '../../../../runner/src/callback/server';
import { createService } from '../../../../runner/src/callback/service';
import type { GraphOverlay, NodeOverlay } from '../../../../asl/src/graph/types';
import type { AslWorkbenchApi } from '../../../src/extension';
import type { ExecutionRecord } from '../../../src/run/controller';
import { executionItem } from '../../../src/run/tree';
import { StandInSqs, TEST_CREDENTIALS } from '../../helpers/standInSqs';
import { EXTENSION_ID, repoRoot, wsFile } from './helpers';
import { waitFor } from '../../../../scripts/test-helpers/wait.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-e2e';
const MACHINES = ['map-of-pass', 'wait-long'];
/** Waits until the record has the status (the watch of a cloud execution polls every second). */
function settled(api: AslWorkbenchApi, rec: ExecutionRecord, status: string): Promise<ExecutionRecord> {
  return waitFor(() => rec.status === status && rec, {
    message: `execution ${rec.id} ${status} (is ${rec.status})`,
    recheckOn: api.runLocally.controller.onDidChange,
    deadlineMs: 60_000,
  });
}

/** Waits until the Map node `Each` of the last overlay sent for `uri` is as `wanted` says; resolves with that overlay. */
function mapNodeWhen(
  api: AslWorkbenchApi,
  uri: vscode.Uri,
  wanted: (node: NodeOverlay | undefined) => boolean,
  message: string,
): Promise<GraphOverlay> {
  return waitFor(
    () => {
      const o = api.runLocally.controller.lastOverlay(uri);
      return wanted(o?.states.Each) && o;
    },
    { message, recheckOn: api.runLocally.controller.onDidOverlay },
  );
}

describe('Executions on AWS (endpoint: asl-workbench serve)', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let serve: ChildProcess;
  let url = '';
  const uris = new Map<string, vscode.Uri>();
  let succeeded: ExecutionRecord;

  before(async function () {
    Object.assign(process.env, TEST_CREDENTIALS);
    const ext = vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!;
    api = await ext.activate();
    await api.ready;
    const root = repoRoot();
    assert.ok(root, 'the repository is found above the e2e run directory');
    // the CLI is not part of the .vsix: the repository's build serves
    serve = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'serve', '--port', '0'], {
      cwd: vscode.workspace.workspaceFolders![0]!.uri.fsPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errText = '';
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    serve.stderr!.setEncoding('utf8').on('data', (d: string) => (errText += d));
    url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], {
      message: 'serve to listen',
    }).catch((e: Error) => {
      throw new Error(`${e.message}; serve said: ${out} ${errText.slice(-1000)}`);
    });
    const aws = vscode.workspace.getConfiguration('aslWorkbench.aws');
    await aws.update('endpointUrl', url, vscode.ConfigurationTarget.Global);
    await aws.update('region', 'us-east-1', vscode.ConfigurationTarget.Global);
    const dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'aws-machines');
    fs.mkdirSync(dir, { recursive: true });
    const client = createSfnClient({ region: 'us-east-1', endpointUrl: url, regionSource: 'option' });
    try {
      for (const name of MACHINES) {
        const file = path.join(dir, `${name}.asl.json`);
        fs.copyFileSync(path.join(root, 'client', 'test', 'fixtures', 'aws', `${name}.asl.json`), file);
        uris.set(name, vscode.Uri.file(file));
        await deployStateMachine(client, {
          name,
          definition: fs.readFileSync(file, 'utf8'),
          roleArn: ROLE,
          type: 'STANDARD',
        });
      }
    } finally {
      client.destroy();
    }
  });

  after(async () => {
    const aws = vscode.workspace.getConfiguration('aslWorkbench.aws');
    await aws.update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await aws.update('region', undefined, vscode.ConfigurationTarget.Global);
    serve?.kill();
  });

  it('contributes the AWS execution commands, each gated on workspace trust', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string; enablement?: string }[] };
    };
    for (const id of [
      'aslWorkbench.startOnAws',
      'aslWorkbench.stopAwsExecution',
      'aslWorkbench.redriveAwsExecution',
      'aslWorkbench.openRecentAwsExecutions',
      'aslWorkbench.sendTaskSuccess',
      'aslWorkbench.sendTaskFailure',
    ])
      assert.match(pkg.contributes.commands.find((c) => c.command === id)?.enablement ?? '', /isWorkspaceTrusted/, id);
  });

  it('starts an execution on AWS from the command: SUCCEEDED in the view with its events, document and overlay', async () => {
    const uri = uris.get('map-of-pass')!;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const started = await vscode.commands.executeCommand<{ executionId: string; executionArn: string }>(
      'aslWorkbench.startOnAws',
      { uri, input: { items: [1, 2, 3] } },
    );
    assert.ok(started, 'the command started an execution');
    assert.match(started.executionArn, /^arn:aws:states:us-east-1:\d{12}:execution:map-of-pass:/);
    const rec = api.runLocally.controller.find(started.executionId)!;
    assert.equal(rec.origin, 'aws');
    succeeded = await settled(api, rec, 'SUCCEEDED');
    assert.deepEqual(rec.outcome?.output, [1, 2, 3]);
    assert.equal(rec.events[0]!.type, 'ExecutionStarted');
    assert.equal(rec.events.at(-1)!.type, 'ExecutionSucceeded');
    assert.equal(rec.events.filter((e) => e.type === 'MapIterationSucceeded').length, 3);
    // the view: the execution with its cloud description, one child per event
    const item = executionItem(rec);
    assert.match(String(item.description), new RegExp(`SUCCEEDED · .* · ☁ ${url.replace(/[.]/g, '\\.')}`));
    assert.equal(item.contextValue, 'aslAwsExecutionDone');
    const children = api.runLocally.tree.getChildren({ kind: 'execution', id: rec.id });
    assert.equal(children.length, rec.events.length);
    // the execution document, as for a local run
    const doc = api.runLocally.content.documentOf(
      vscode.Uri.from({ scheme: 'asl-exec', path: `/${rec.id}/execution.json` }),
    ) as Record<string, unknown>;
    assert.equal(doc.status, 'SUCCEEDED');
    assert.deepEqual(doc.output, [1, 2, 3]);
    // the overlay, with the Map's counters from AWS-shaped events
    const overlay = await mapNodeWhen(api, uri, (n) => n?.status === 'succeeded', 'the overlay of the Map');
    assert.deepEqual(overlay.states.Each!.iterations, { total: 3, succeeded: 3, failed: 0, running: 0 });
  });

  it('keeps the newest events of a long history in the view, under one "earlier events" item; the overlay counts all', async () => {
    const uri = uris.get('map-of-pass')!;
    const items = Array.from({ length: 2600 }, (_, i) => i);
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.startOnAws', {
      uri,
      input: { items },
    });
    assert.ok(started);
    const rec = await settled(api, api.runLocally.controller.find(started.executionId)!, 'SUCCEEDED');
    // 4 events an item and 6 around them
    const total = 4 * items.length + 6;
    assert.ok(rec.droppedEvents > 0 && rec.events.length <= 10_000, `${rec.events.length} kept`);
    assert.equal(rec.droppedEvents + rec.events.length, total);
    assert.equal(rec.events.at(-1)!.id, total);
    const [first, second] = api.runLocally.tree.getChildren({ kind: 'execution', id: rec.id });
    assert.equal(api.runLocally.tree.getTreeItem(first!).label, `${rec.droppedEvents} earlier events`);
    assert.deepEqual(second, { kind: 'event', id: rec.id, eventId: rec.droppedEvents + 1 });
    const overlay = await mapNodeWhen(
      api,
      uri,
      (n) => n?.iterations?.succeeded === items.length,
      'the overlay of the long Map',
    );
    assert.equal(overlay.states.Each!.iterations!.total, items.length);
  });

  it('stops a running execution on AWS: StopExecution, then ABORTED in the view and the output', async () => {
    const uri = uris.get('wait-long')!;
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.startOnAws', {
      uri,
      input: {},
    });
    assert.ok(started);
    const rec = api.runLocally.controller.find(started.executionId)!;
    await waitFor(() => rec.events.some((e) => e.type === 'WaitStateEntered'), {
      message: 'WaitStateEntered',
      recheckOn: api.runLocally.controller.onDidChange,
    });
    assert.equal(executionItem(rec).contextValue, 'aslAwsExecutionRunning');
    await vscode.commands.executeCommand('aslWorkbench.stopAwsExecution', rec.id);
    await settled(api, rec, 'ABORTED');
    assert.equal(rec.events.at(-1)!.type, 'ExecutionAborted');
    assert.match(api.runLocally.controller.outputText(), new RegExp(`execution ${rec.id} ABORTED`));
    assert.equal(executionItem(rec).contextValue, 'aslAwsRedrivableExecutionDone');
  });

  it('opens an ended execution the view holds from Open Recent Executions: the same record, no event twice', async () => {
    const ids = succeeded.events.map((e) => e.id);
    const opened = await vscode.commands.executeCommand<{ executionId: string }>(
      'aslWorkbench.openRecentAwsExecutions',
      { uri: uris.get('map-of-pass')!, executionArn: succeeded.executionArn },
    );
    assert.ok(opened);
    assert.equal(opened.executionId, succeeded.id);
    assert.match(api.runLocally.controller.outputText(), new RegExp(`execution ${succeeded.id} followed again`));
    const rec = await settled(api, succeeded, 'SUCCEEDED');
    assert.deepEqual(rec.input, { items: [1, 2, 3] });
    assert.deepEqual(
      rec.events.map((e) => e.id),
      ids,
    );
  });
});

describe('@untrusted Executions on AWS', function () {
  it('starts and opens nothing on AWS from the commands in restricted mode', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    const uri = wsFile('ecs-run-task.asl.json');
    assert.equal(await vscode.commands.executeCommand('aslWorkbench.startOnAws', { uri, input: {} }), undefined);
    assert.equal(await vscode.commands.executeCommand('aslWorkbench.openRecentAwsExecutions', { uri }), undefined);
    assert.equal(api.runLocally.controller.executions.filter((r) => r.origin === 'aws').length, 0);
  });
});

describe('Executions on AWS waiting for a callback, and redriven (endpoint: the serve service in this host)', function () {
  this.timeout(120_000);
  let api: AslWorkbenchApi;
  let endpoint: LocalEndpoint;
  const uris = new Map<string, vscode.Uri>();
  const sqs = new StandInSqs();

  before(async function () {
    Object.assign(process.env, TEST_CREDENTIALS);
    api = await vscode.extensions.getExtension<AslWorkbenchApi>(EXTENSION_ID)!.activate();
    await api.ready;
    const service = createService({ drivers: () => [sqs] }, () => endpoint);
    endpoint = await LocalEndpoint.start(service.ops);
    const aws = vscode.workspace.getConfiguration('aslWorkbench.aws');
    await aws.update('endpointUrl', endpoint.hostUrl, vscode.ConfigurationTarget.Global);
    const root = repoRoot()!;
    const dir = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'aws-callbacks');
    fs.mkdirSync(dir, { recursive: true });
    const client = createSfnClient({ region: 'us-east-1', endpointUrl: endpoint.hostUrl, regionSource: 'option' });
    try {
      for (const name of ['callback', 'flaky', 'distributed-map']) {
        const file = path.join(dir, `${name}.asl.json`);
        fs.copyFileSync(path.join(root, 'client', 'test', 'fixtures', 'aws', `${name}.asl.json`), file);
        uris.set(name, vscode.Uri.file(file));
        const definition = fs.readFileSync(file, 'utf8');
        await deployStateMachine(client, { name, definition, roleArn: ROLE, type: 'STANDARD' });
      }
    } finally {
      client.destroy();
    }
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('aslWorkbench.aws')
      .update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await endpoint?.close();
  });

  it('sends task success to the task waiting for its token: the execution SUCCEEDS with that output', async () => {
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.startOnAws', {
      uri: uris.get('callback')!,
      input: { document: 'd-1' },
    });
    assert.ok(started);
    const rec = api.runLocally.controller.find(started.executionId)!;
    await waitFor(() => api.awsExecutions.cloudOf(rec.id)?.cloud.waiting.list().length, {
      message: 'the task waiting for its token',
      recheckOn: api.runLocally.controller.onDidChange,
    });
    const sent = await vscode.commands.executeCommand('aslWorkbench.sendTaskSuccess', {
      executionId: rec.id,
      output: '{"approved":true}',
    });
    assert.equal(sent, true);
    await settled(api, rec, 'SUCCEEDED');
    assert.deepEqual(rec.outcome?.output, { approved: true });
    assert.ok(rec.events.some((e) => e.type === 'TaskSucceeded'));
  });

  it('redrives a failed execution from its context command: the same record follows it to SUCCEEDED', async () => {
    StandInSqs.fixed = false;
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.startOnAws', {
      uri: uris.get('flaky')!,
      input: {},
    });
    assert.ok(started);
    const rec = await settled(api, api.runLocally.controller.find(started.executionId)!, 'FAILED');
    assert.equal(executionItem(rec).contextValue, 'aslAwsRedrivableExecutionDone');
    const failedAt = rec.events.length;
    StandInSqs.fixed = true;
    const redriven = await vscode.commands.executeCommand<{ executionId: string }>(
      'aslWorkbench.redriveAwsExecution',
      rec.id,
    );
    assert.equal(redriven?.executionId, rec.id);
    await settled(api, rec, 'SUCCEEDED');
    const after = rec.events.slice(failedAt);
    assert.equal(after[0]!.type, 'ExecutionRedriven');
    assert.equal(after.at(-1)!.type, 'ExecutionSucceeded');
    // every event once, in id order
    assert.deepEqual(
      rec.events.map((e) => e.id),
      rec.events.map((_, i) => i + 1),
    );
  });

  it("shows a running Map Run's progress on the Distributed Map node and in the view item, until it ends", async () => {
    const uri = uris.get('distributed-map')!;
    const tokensBefore = sqs.tokens.length;
    const started = await vscode.commands.executeCommand<{ executionId: string }>('aslWorkbench.startOnAws', {
      uri,
      input: { items: ['a', 'b', 'c'] },
    });
    assert.ok(started);
    const rec = api.runLocally.controller.find(started.executionId)!;
    const overlay = await mapNodeWhen(
      api,
      uri,
      (n) => n?.iterations?.running === 2,
      'two items running on the Map node',
    );
    assert.deepEqual(overlay.states.Each, {
      status: 'running',
      iterations: { total: 3, succeeded: 0, failed: 0, running: 2 },
    });
    assert.match(String(executionItem(rec).description), /^RUNNING · .* · Map Run: 0\/3 items · ☁ /);
    // the child executions' tasks are not in the execution's history: their tokens come from the stand-in
    const client = createSfnClient({ region: 'us-east-1', endpointUrl: endpoint.hostUrl, regionSource: 'option' });
    try {
      for (let i = 0; i < 3; i++) {
        const token = await waitFor(() => sqs.tokens[tokensBefore + i], { message: `the token of item ${i + 1}` });
        await sendTaskSuccess(client, token, '{}');
      }
    } finally {
      client.destroy();
    }
    await settled(api, rec, 'SUCCEEDED');
    const done = await mapNodeWhen(api, uri, (n) => n?.iterations?.succeeded === 3, 'the final counts on the Map node');
    assert.deepEqual(done.states.Each, {
      status: 'succeeded',
      iterations: { total: 3, succeeded: 3, failed: 0, running: 0 },
    });
    assert.doesNotMatch(String(executionItem(rec).description), /Map Run/);
  });
});
