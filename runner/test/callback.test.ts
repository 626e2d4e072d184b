/**
 * Task tokens and the callback endpoint (reference §3.2, §3.3, §4): SendTaskSuccess /
 * SendTaskFailure / SendTaskHeartbeat over AWS JSON 1.0, timeouts, heartbeat timeouts,
 * `.sync` ended early by a callback, aborts on stop and on a failing Parallel sibling.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../asl/src/types';
import { manualClock, startCallbackHub, startExecution, runExecution } from '../src/api';
import { FakeDriver, sfnCall, untilAborted, waitFor } from './helpers';

const fx = (n: string): object => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'callback', `${n}.asl.json`), 'utf8'));
const types = (h: { type: string }[]): string[] => h.map((e) => e.type);

describe('callbacks', () => {
  it('SendTaskSuccess over HTTP completes a .waitForTaskToken task with exactly the sent output', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: { Tasks: [{ LastStatus: 'PROVISIONING' }], Failures: [] } }));
      const run = startExecution({ definition: fx('wait-for-token'), input: { a: 1 }, drivers: [driver], callback: hub, timeScale: 0 });
      const inv = await waitFor(() => driver.invocations[0], 5000, 'invocation');
      assert.match(inv.taskToken!, /^[A-Za-z0-9_-]{64}$/);
      const env = (inv.parameters as { Overrides: { ContainerOverrides: { Environment: { Value: string }[] }[] } }).Overrides.ContainerOverrides[0]!.Environment[0]!;
      assert.equal(env.Value, inv.taskToken);
      assert.equal(inv.callback?.hostUrl, hub.url);
      const r = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{"done": true}' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/x-amz-json-1.0');
      assert.ok(r.headers.get('x-amzn-requestid'));
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.deepEqual(result.output, { done: true });
      assert.deepEqual(types(result.history), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      const succeeded = result.history[5]!.taskSucceededEventDetails as { output: string };
      assert.equal(succeeded.output, '{"done": true}');
      const scheduled = result.history[2]!.taskScheduledEventDetails as Record<string, unknown>;
      assert.equal(scheduled.resourceType, 'ecs');
      assert.equal(scheduled.resource, 'runTask.waitForTaskToken');
      assert.equal(scheduled.timeoutInSeconds, 60);
      // the token is closed now: a second call gets TaskDoesNotExist
      const again = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{}' });
      assert.equal(again.status, 400);
      assert.equal(again.body.__type, 'com.amazonaws.sfn#TaskDoesNotExist');
      assert.deepEqual(driver.disposed, [result.executionArn]);
    } finally {
      await hub.close();
    }
  });

  it('answers InvalidToken, InvalidOutput and unknown operations in AWS error shapes', async () => {
    const hub = await startCallbackHub();
    try {
      const bad = await sfnCall(hub.url, 'SendTaskHeartbeat', { taskToken: 'nope' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.__type, 'com.amazonaws.sfn#InvalidToken');
      assert.equal(typeof bad.body.message, 'string');
      const token = hub.tokens.issue({ success() {}, failure() {}, heartbeat() {} });
      const invalid = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: token, output: 'not json' });
      assert.equal(invalid.body.__type, 'com.amazonaws.sfn#InvalidOutput');
      const unknown = await sfnCall(hub.url, 'ListActivities', {});
      assert.equal(unknown.body.__type, 'com.amazonaws.sfn#UnknownOperationException');
    } finally {
      await hub.close();
    }
  });

  it('exposeTo binds one extra address on request and serves the same operations there', async () => {
    const hub = await startCallbackHub();
    try {
      const url = await hub.endpoint.exposeTo('127.0.0.2');
      assert.match(url, /^http:\/\/127\.0\.0\.2:\d+$/);
      assert.equal(await hub.endpoint.exposeTo('127.0.0.2'), url);
      const r = await sfnCall(url, 'SendTaskHeartbeat', { taskToken: 'nope' });
      assert.equal(r.body.__type, 'com.amazonaws.sfn#InvalidToken');
      await assert.rejects(hub.endpoint.exposeTo('0.0.0.0'));
    } finally {
      await hub.close();
    }
  });

  it('SendTaskFailure without error or cause is caught by States.ALL as {Error: null, Cause: null}', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: {} }));
      const run = startExecution({ definition: fx('wait-for-token'), input: {}, drivers: [driver], callback: hub, timeScale: 0 });
      const inv = await waitFor(() => driver.invocations[0]);
      assert.equal((await sfnCall(hub.url, 'SendTaskFailure', { taskToken: inv.taskToken })).status, 200);
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.deepEqual(result.output, { error: { Error: null, Cause: null } });
      const failed = result.history.find((e) => e.type === 'TaskFailed')!;
      assert.deepEqual(failed.taskFailedEventDetails, { resourceType: 'ecs', resource: 'runTask.waitForTaskToken' });
    } finally {
      await hub.close();
    }
  });

  it('TimeoutSeconds expiry records TaskTimedOut States.Timeout, aborts the driver and answers late callbacks with TaskTimedOut', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: {} }));
      const clock = manualClock();
      const run = startExecution({ definition: fx('wait-for-token'), input: {}, drivers: [driver], callback: hub, clock });
      const inv = await waitFor(() => driver.invocations[0]);
      await waitFor(() => clock.pending() > 0, 5000, 'timer');
      clock.advance(60_000);
      const result = await run.result;
      assert.ok(inv.signal.aborted);
      assert.deepEqual(result.output, { error: { Error: 'States.Timeout', Cause: null } });
      const timedOut = result.history.find((e) => e.type === 'TaskTimedOut')!;
      assert.deepEqual(timedOut.taskTimedOutEventDetails, { resourceType: 'ecs', resource: 'runTask.waitForTaskToken', error: 'States.Timeout' });
      const late = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{}' });
      assert.equal(late.body.__type, 'com.amazonaws.sfn#TaskTimedOut');
    } finally {
      await hub.close();
    }
  });

  it('heartbeats keep a task alive; a missed heartbeat times out (matched by States.HeartbeatTimeout) and the retry gets a new token', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: {} }));
      const clock = manualClock();
      const run = startExecution({ definition: fx('heartbeat'), input: {}, drivers: [driver], callback: hub, clock });
      const first = await waitFor(() => driver.invocations[0]);
      await waitFor(() => clock.pending() > 0);
      clock.advance(900);
      assert.equal((await sfnCall(hub.url, 'SendTaskHeartbeat', { taskToken: first.taskToken })).status, 200);
      clock.advance(900);
      assert.equal(first.signal.aborted, false);
      clock.advance(200);
      assert.equal(first.signal.aborted, true);
      // retry back-off (1 s), then the second attempt with a fresh token
      await waitFor(() => driver.invocations[1] || (clock.pending() > 0 && clock.advance(1000) === undefined && driver.invocations[1]));
      const second = driver.invocations[1]!;
      assert.notEqual(second.taskToken, first.taskToken);
      assert.equal(second.attempt, 2);
      await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: second.taskToken, output: '"ok"' });
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.equal(result.output, 'ok');
      assert.deepEqual(types(result.history), [
        'ExecutionStarted', 'TaskStateEntered',
        'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut',
        'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded',
        'TaskStateExited', 'ExecutionSucceeded',
      ]);
    } finally {
      await hub.close();
    }
  });

  it('a .sync task also gets a token and SendTaskSuccess ends it early', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async (inv) => ({ kind: 'submitted', output: { Tasks: [] }, completion: untilAborted(inv.signal) }));
      const def = { StartAt: 'J', States: { J: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { 'Token.$': '$$.Task.Token' }, End: true } } };
      const run = startExecution({ definition: def, drivers: [driver], callback: hub, timeScale: 0 });
      const inv = await waitFor(() => driver.invocations[0]);
      assert.equal((inv.parameters as { Token: string }).Token, inv.taskToken);
      await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{"early":1}' });
      const result = await run.result;
      assert.deepEqual(result.output, { early: 1 });
      assert.deepEqual(types(result.history).slice(2, 6), ['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']);
    } finally {
      await hub.close();
    }
  });

  it('stopping an execution aborts the running task (TaskStateAborted, ExecutionAborted) and disposes drivers', async () => {
    const driver = new FakeDriver(async (inv) => ({ kind: 'submitted', output: {}, completion: untilAborted(inv.signal) }));
    const controller = new AbortController();
    const def = { StartAt: 'J', States: { J: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true } } };
    const run = startExecution({ definition: def, drivers: [driver], signal: controller.signal, timeScale: 0 });
    const inv = await waitFor(() => driver.invocations[0]);
    controller.abort();
    const result = await run.result;
    assert.equal(result.status, 'ABORTED');
    assert.ok(inv.signal.aborted);
    assert.deepEqual(types(result.history).slice(-2), ['TaskStateAborted', 'ExecutionAborted']);
    assert.deepEqual(driver.disposed, [result.executionArn]);
  });

  it('a failing Parallel branch aborts the sibling task and the Parallel fails with that error', async () => {
    const driver = new FakeDriver(async (inv) => {
      if ((inv.parameters as { TaskDefinition: string }).TaskDefinition === 'bad') throw new StatesError('ECS.InvalidParameterException', 'bad task definition');
      return { kind: 'submitted', output: {}, completion: untilAborted(inv.signal) };
    });
    const result = await runExecution({ definition: fx('sync-parallel'), drivers: [driver], timeScale: 0 });
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'ECS.InvalidParameterException');
    assert.equal(result.cause, 'bad task definition');
    const long = driver.invocations.find((i) => i.stateName === 'Long job')!;
    assert.ok(long.signal.aborted);
    const t = types(result.history);
    assert.ok(t.includes('TaskStateAborted'));
    assert.deepEqual(t.slice(-2), ['ParallelStateFailed', 'ExecutionFailed']);
  });
});
