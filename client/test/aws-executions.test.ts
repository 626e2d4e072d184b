/**
 * Executions on Step Functions as the Executions view follows them
 * (client/src/aws/executions.ts), through the real AWS SDK client against the service behind
 * `asl-workbench serve` on a loopback port: history pages handed on as batches, an execution
 * that ends while watched, stop while watched, redrive, waiting `.waitForTaskToken` tasks and
 * their token, a Distributed Map's Map Run progress on the graph overlay, a watch that fails,
 * and the bounded event window of the view.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  createSfnClient,
  deployStateMachine,
  sendTaskFailure,
  sendTaskSuccess,
  startExecution,
} from '../../runner/src/aws/client';
import { LocalEndpoint } from '../../runner/src/callback/server';
import { createService } from '../../runner/src/callback/service';
import { CloudExecution, STOP_ERROR, WATCH_FAILED } from '../src/aws/executions';
import { tokenOf } from '../src/aws/waiting';
import { EventWindow } from '../src/run/eventWindow';
import { mapRunText } from '../src/run/format';
import { OverlayTracker, type EventLike, type MapRunItems } from '../src/run/overlay';
import { StandInSqs, TEST_CREDENTIALS } from './helpers/standInSqs';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const fixture = (name: string): string =>
  fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'aws', `${name}.asl.json`), 'utf8');
const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-test';

Object.assign(process.env, TEST_CREDENTIALS);

describe('executions on Step Functions followed by the Executions view', () => {
  let endpoint: LocalEndpoint;
  let client: SFNClient;
  const machines = new Map<string, string>();
  const sqs = new StandInSqs();

  before(async () => {
    const service = createService({ drivers: () => [sqs], timeScale: 1 }, () => endpoint);
    endpoint = await LocalEndpoint.start(service.ops);
    client = createSfnClient({ region: 'us-east-1', endpointUrl: endpoint.hostUrl, regionSource: 'option' });
    for (const name of ['map-of-pass', 'wait-long', 'wait-then-done', 'callback', 'flaky', 'distributed-map']) {
      const deployed = await deployStateMachine(client, {
        name,
        definition: fixture(name),
        roleArn: ROLE,
        type: 'STANDARD',
      });
      machines.set(name, deployed.arn);
    }
  });

  after(async () => {
    client?.destroy();
    await endpoint?.close();
  });

  /** Starts an execution and follows it; the batches it handed on. */
  async function follow(
    machine: string,
    input: unknown,
    over: { pageSize?: number } = {},
  ): Promise<{ cloud: CloudExecution; batches: EventLike[][] }> {
    const { executionArn } = await startExecution(client, {
      stateMachineArn: machines.get(machine)!,
      input: JSON.stringify(input),
    });
    const batches: EventLike[][] = [];
    const cloud = new CloudExecution(
      { client, executionArn, pollIntervalMs: 50, ...over },
      { onEvents: (b) => batches.push([...b]) },
    );
    cloud.start();
    return { cloud, batches };
  }

  it('hands a long history on in page-sized batches in id order, and the overlay counts the Map items', async () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    const { cloud, batches } = await follow('map-of-pass', { items }, { pageSize: 25 });
    const outcome = await cloud.result;
    assert.equal(outcome.status, 'SUCCEEDED');
    assert.deepEqual(outcome.output, items);
    const events = batches.flat();
    assert.deepEqual(
      events.map((e) => e.id),
      events.map((_, i) => i + 1),
    );
    assert.ok(batches.length >= Math.ceil(events.length / 25), `${batches.length} batches of ${events.length}`);
    assert.ok(batches.every((b) => b.length > 0 && b.length <= 25));
    assert.equal(events.at(-1)!.type, 'ExecutionSucceeded');
    const tracker = new OverlayTracker();
    for (const e of events) tracker.apply(e);
    assert.deepEqual(tracker.overlay().states.Each, {
      status: 'succeeded',
      iterations: { total: 40, succeeded: 40, failed: 0, running: 0 },
    });
  });

  it('follows an execution that ends while watched: RUNNING first, then every event and SUCCEEDED', async () => {
    const { cloud, batches } = await follow('wait-then-done', {});
    await waitFor(() => batches.flat().some((e) => e.type === 'WaitStateEntered'), { message: 'WaitStateEntered' });
    assert.equal(cloud.running, true);
    const outcome = await cloud.result;
    assert.deepEqual(outcome, { status: 'SUCCEEDED', output: { done: true } });
    assert.deepEqual(
      batches.flat().map((e) => e.type),
      [
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    );
  });

  it('stops an execution while watching it: StopExecution, then ABORTED with the stop error', async () => {
    const { cloud, batches } = await follow('wait-long', {});
    await waitFor(() => batches.flat().some((e) => e.type === 'WaitStateEntered'), { message: 'WaitStateEntered' });
    await cloud.stop();
    const outcome = await cloud.result;
    assert.equal(outcome.status, 'ABORTED');
    assert.equal(outcome.error, STOP_ERROR);
    assert.equal(batches.flat().at(-1)!.type, 'ExecutionAborted');
    assert.equal(cloud.running, false);
  });

  it('ends the watch without stopping the execution when detached', async () => {
    const { cloud, batches } = await follow('wait-long', {});
    await waitFor(() => batches.flat().some((e) => e.type === 'WaitStateEntered'), { message: 'WaitStateEntered' });
    cloud.detach();
    // a new watcher sees the execution still running, and stops it
    const again = new CloudExecution(
      { client, executionArn: cloud.executionArn, pollIntervalMs: 50 },
      { onEvents: () => undefined },
    );
    again.start();
    await again.stop();
    assert.equal((await again.result).status, 'ABORTED');
  });

  it('lists the task waiting for its token and reads the token from its parameters; SendTaskSuccess ends it', async () => {
    const { cloud } = await follow('callback', { document: 'd-1' });
    const task = await waitFor(() => cloud.waiting.list()[0], { message: 'the waiting task' });
    assert.equal(task.state, 'Ask for approval');
    assert.equal(task.resourceType, 'sqs');
    assert.equal(task.resource, 'sendMessage.waitForTaskToken');
    const token = tokenOf(task, JSON.parse(fixture('callback')));
    assert.ok(token, 'token found');
    await sendTaskSuccess(client, token, '{"approved":true}');
    const outcome = await cloud.result;
    assert.deepEqual(outcome, { status: 'SUCCEEDED', output: { approved: true } });
    assert.deepEqual(cloud.waiting.list(), []);
  });

  it('after a redrive, a watch that starts after the last event seen hands on only the new events', async () => {
    StandInSqs.fixed = false;
    const first = await follow('flaky', {});
    assert.equal((await first.cloud.result).status, 'FAILED');
    const lastId = first.batches.flat().at(-1)!.id;
    StandInSqs.fixed = true;
    const { redriveExecution } = await import('../../runner/src/aws/client');
    await redriveExecution(client, first.cloud.executionArn);
    const batches: EventLike[][] = [];
    const again = new CloudExecution(
      { client, executionArn: first.cloud.executionArn, afterEventId: lastId, pollIntervalMs: 50 },
      { onEvents: (b) => batches.push([...b]) },
    );
    again.start();
    assert.equal((await again.result).status, 'SUCCEEDED');
    const ids = batches.flat().map((e) => e.id);
    assert.ok(ids.length > 0 && ids[0] === lastId + 1, `ids ${ids.join(',')} continue after ${lastId}`);
    assert.equal(batches.flat()[0]!.type, 'ExecutionRedriven');
  });

  it("shows a running Map Run's item counts on its Map node and as text, then its final counts", async () => {
    const tokensBefore = sqs.tokens.length;
    const { executionArn } = await startExecution(client, {
      stateMachineArn: machines.get('distributed-map')!,
      input: JSON.stringify({ items: [1, 2, 3, 4, 5] }),
    });
    const token = (i: number): Promise<string> =>
      waitFor(() => sqs.tokens[tokensBefore + i], { message: `the task token of item ${i + 1}` });
    const tracker = new OverlayTracker();
    const updates: MapRunItems[] = [];
    const cloud = new CloudExecution(
      { client, executionArn, pollIntervalMs: 20 },
      {
        onEvents: (b) => b.forEach((e) => tracker.apply(e)),
        onMapRun: (m) => {
          updates.push(m);
          tracker.applyMapRun(m);
        },
      },
    );
    cloud.start();
    const each = () => tracker.overlay().states.Each;
    await waitFor(() => each()?.iterations?.running === 2, { message: 'two items running on the Map node' });
    assert.deepEqual(each(), { status: 'running', iterations: { total: 5, succeeded: 0, failed: 0, running: 2 } });
    assert.equal(mapRunText(updates.at(-1)!), 'Map Run: 0/5 items');

    await sendTaskSuccess(client, await token(0), '{}');
    await sendTaskFailure(client, await token(1), 'Row.Bad', 'row 2 is bad');
    const partway = await waitFor(() => updates.find((m) => m.succeeded + m.failed === 2), {
      message: 'two items done',
    });
    assert.equal(partway.status, 'RUNNING');
    assert.equal(mapRunText(partway), 'Map Run: 2/5 items, 1 failed');
    for (let i = 2; i < 5; i++) await sendTaskSuccess(client, await token(i), '{}');

    assert.equal((await cloud.result).status, 'SUCCEEDED');
    assert.deepEqual(each(), { status: 'succeeded', iterations: { total: 5, succeeded: 4, failed: 1, running: 0 } });
    assert.equal(updates.at(-1)!.status, 'SUCCEEDED');
    assert.equal(cloud.mapRunsFollowed, 0, 'no Map Run is read after the execution ended');
  });

  it('settles with a watch failure (one line, no request) when the endpoint refuses', async () => {
    const bad = createSfnClient({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', regionSource: 'option' });
    const cloud = new CloudExecution(
      {
        client: bad,
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y',
        ownsClient: true,
        pollIntervalMs: 10,
      },
      { onEvents: () => undefined },
    );
    cloud.start();
    const outcome = await cloud.result;
    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.error, WATCH_FAILED);
    assert.ok(!outcome.cause!.includes('\n'), outcome.cause);
  });
});

describe('the event window of the Executions view', () => {
  const event = (id: number): EventLike => ({ id, previousEventId: id - 1, type: 'PassStateEntered' });

  it('keeps at most its cap, the newest events, and counts the dropped ones', () => {
    const w = new EventWindow(100);
    for (let i = 1; i < 1100; i += 50) w.add(Array.from({ length: 50 }, (_, k) => event(i + k)));
    assert.ok(w.events.length <= 100, `${w.events.length} kept`);
    assert.equal(w.total, 1100);
    assert.equal(w.dropped + w.events.length, 1100);
    assert.equal(w.lastId, 1100);
    assert.deepEqual(
      w.events.map((e) => e.id),
      Array.from({ length: w.events.length }, (_, k) => 1100 - w.events.length + 1 + k),
    );
  });
});
