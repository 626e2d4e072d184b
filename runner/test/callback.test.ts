/**
 * Task tokens and the callback endpoint (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html): SendTaskSuccess /
 * SendTaskFailure / SendTaskHeartbeat over AWS JSON 1.0, timeouts, heartbeat timeouts,
 * `.sync` ended early by a callback, aborts on stop and on a failing Parallel sibling. Tasks
 * here call fake drivers that need no parameters, so the machines the rules refuse for that run
 * with `validation: 'warn'`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../asl/src/types';
import { manualClock, startCallbackHub, startExecution, runExecution } from '../src/api';
import { FakeDriver, rawRequest, sfnCall, untilAborted } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const fx = (n: string): object =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'callback', `${n}.asl.json`), 'utf8'));
const types = (h: { type: string }[]): string[] => h.map((e) => e.type);

describe('callbacks', () => {
  it('SendTaskSuccess over HTTP completes a .waitForTaskToken task with exactly the sent output', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({
        kind: 'submitted',
        output: { Tasks: [{ LastStatus: 'PROVISIONING' }], Failures: [] },
      }));
      const run = startExecution({
        definition: fx('wait-for-token'),
        input: { a: 1 },
        drivers: [driver],
        callback: hub,
        timeScale: 0,
      });
      const inv = await waitFor(() => driver.invocations[0], { deadlineMs: 5000, message: 'invocation' });
      assert.match(inv.taskToken!, /^[A-Za-z0-9_-]{64}$/);
      const env = (inv.parameters as { Overrides: { ContainerOverrides: { Environment: { Value: string }[] }[] } })
        .Overrides.ContainerOverrides[0]!.Environment[0]!;
      assert.equal(env.Value, inv.taskToken);
      assert.equal(inv.callback?.hostUrl, hub.url);
      const r = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{"done": true}' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/x-amz-json-1.0');
      assert.ok(r.headers.get('x-amzn-requestid'));
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.deepEqual(result.output, { done: true });
      assert.deepEqual(types(result.history), [
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
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

  it('a gateway listener answers only SendTask* for the tokens granted on it, and closes with its last grant', async () => {
    const hub = await startCallbackHub();
    try {
      const noop = { success() {}, failure() {}, heartbeat() {} };
      const mine = hub.tokens.issue(noop);
      const other = hub.tokens.issue(noop);
      const a = await hub.endpoint.exposeTo('127.0.0.2', mine);
      const b = await hub.endpoint.exposeTo('127.0.0.3', other);
      assert.match(a.url, /^http:\/\/127\.0\.0\.2:\d+$/);
      assert.equal((await sfnCall(a.url, 'SendTaskHeartbeat', { taskToken: mine })).status, 200);
      // another network's live token is as unknown here as a made-up one
      const foreign = await sfnCall(a.url, 'SendTaskHeartbeat', { taskToken: other });
      assert.equal(foreign.status, 400);
      assert.equal(foreign.body.__type, 'com.amazonaws.sfn#InvalidToken');
      assert.equal(foreign.body.message, 'Invalid Token: no task is waiting for this token');
      assert.equal(
        (await sfnCall(hub.url, 'SendTaskHeartbeat', { taskToken: other })).status,
        200,
        'loopback answers every token',
      );
      for (const op of ['CreateStateMachine', 'StartExecution', 'GetExecutionHistory', 'ListExecutions']) {
        const r = await sfnCall(a.url, op, {});
        assert.equal(r.body.__type, 'com.amazonaws.sfn#UnknownOperationException', op);
      }
      // a second grant on the same address shares the listener; it closes after the last release
      const a2 = await hub.endpoint.exposeTo('127.0.0.2', other);
      assert.equal(a2.url, a.url);
      assert.equal((await sfnCall(a.url, 'SendTaskHeartbeat', { taskToken: other })).status, 200);
      await a.close();
      assert.equal(
        (await sfnCall(a.url, 'SendTaskHeartbeat', { taskToken: mine })).body.__type,
        'com.amazonaws.sfn#InvalidToken',
        'the released token is refused',
      );
      await a2.close();
      await assert.rejects(
        sfnCall(a.url, 'SendTaskHeartbeat', { taskToken: other }),
        'nothing listens on 127.0.0.2 any more',
      );
      assert.deepEqual(
        hub.endpoint
          .addresses()
          .map((x) => x.address)
          .sort(),
        ['127.0.0.1', '127.0.0.3'],
      );
      await b.close();
      assert.deepEqual(
        hub.endpoint.addresses().map((x) => x.address),
        ['127.0.0.1'],
      );
      await assert.rejects(hub.endpoint.exposeTo('0.0.0.0', mine));
    } finally {
      await hub.close();
    }
  });

  it('refuses a request whose Host header names another address or port, on loopback and on gateway listeners', async () => {
    const hub = await startCallbackHub();
    try {
      const token = hub.tokens.issue({ success() {}, failure() {}, heartbeat() {} });
      const gw = await hub.endpoint.exposeTo('127.0.0.2', token);
      for (const url of [hub.url, gw.url]) {
        const { host } = new URL(url);
        const ok = await rawRequest(url, { op: 'SendTaskHeartbeat', host, body: { taskToken: token } });
        assert.equal(ok.status, 200, `${url} with its own Host`);
        for (const wrong of [
          'attacker.example',
          `attacker.example:${new URL(url).port}`,
          `${new URL(url).hostname}:1`,
        ]) {
          const r = await rawRequest(url, { op: 'SendTaskHeartbeat', host: wrong, body: { taskToken: token } });
          assert.equal(r.status, 403, `${url} with Host '${wrong}'`);
          const body = JSON.parse(r.text) as { __type: string; message: string };
          assert.equal(body.__type, 'com.amazonaws.sfn#AccessDeniedException');
          assert.match(body.message, new RegExp(`answers requests addressed to ${host.replace(/\./g, '\\.')}`));
          assert.match(body.message, /DNS rebinding; not an AWS behaviour/);
        }
        // Node's HTTP server itself answers 400 to an HTTP/1.1 request without Host
        const none = await rawRequest(url, { op: 'SendTaskHeartbeat', host: '', body: { taskToken: token } });
        assert.equal(none.status, 400, `${url} without Host`);
      }
      const viaName = await rawRequest(hub.url, {
        op: 'SendTaskHeartbeat',
        host: `localhost:${hub.endpoint.port}`,
        body: { taskToken: token },
      });
      assert.equal(viaName.status, 200, 'localhost names the loopback listener');
      await gw.close();
    } finally {
      await hub.close();
    }
  });

  it('sends no CORS headers, not even to a preflight or a cross-origin request', async () => {
    const hub = await startCallbackHub();
    try {
      const cors = {
        Origin: 'http://attacker.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-amz-target,content-type',
      };
      const preflight = await rawRequest(hub.url, { method: 'OPTIONS', headers: cors });
      const post = await rawRequest(hub.url, {
        op: 'SendTaskHeartbeat',
        body: { taskToken: 'x' },
        headers: { Origin: 'http://attacker.example' },
      });
      for (const r of [preflight, post]) {
        assert.deepEqual(
          Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
          [],
        );
      }
      assert.equal(preflight.status, 404);
    } finally {
      await hub.close();
    }
  });

  it('refuses SendTaskSuccess output over 256 KiB at the call with a ValidationException; the task keeps waiting', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: {} }));
      const run = startExecution({
        definition: fx('wait-for-token'),
        input: {},
        drivers: [driver],
        callback: hub,
        timeScale: 0,
      });
      const inv = await waitFor(() => driver.invocations[0]);
      // 262,145 bytes of UTF-8: a JSON string of 131,071 two-byte characters plus its quotes
      const tooBig = JSON.stringify('é'.repeat(131071) + 'x');
      assert.equal(Buffer.byteLength(tooBig), 262145);
      const refused = await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: tooBig });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.__type, 'com.amazonaws.sfn#ValidationException');
      assert.equal(
        refused.body.message,
        "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144 (it is 262145 bytes of UTF-8)",
      );
      const fits = JSON.stringify('é'.repeat(131071));
      assert.equal(Buffer.byteLength(fits), 262144);
      assert.equal((await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: fits })).status, 200);
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.equal(result.history.filter((e) => e.type === 'TaskSucceeded').length, 1);
    } finally {
      await hub.close();
    }
  });

  it('SendTaskFailure without error or cause is caught by States.ALL as {Error: null, Cause: null}', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async () => ({ kind: 'submitted', output: {} }));
      const run = startExecution({
        definition: fx('wait-for-token'),
        input: {},
        drivers: [driver],
        callback: hub,
        timeScale: 0,
      });
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
      const run = startExecution({
        definition: fx('wait-for-token'),
        input: {},
        drivers: [driver],
        callback: hub,
        clock,
      });
      const inv = await waitFor(() => driver.invocations[0]);
      await waitFor(() => clock.pending() > 0, { deadlineMs: 5000, message: 'timer' });
      clock.advance(60_000);
      const result = await run.result;
      assert.ok(inv.signal.aborted);
      assert.deepEqual(result.output, { error: { Error: 'States.Timeout', Cause: null } });
      const timedOut = result.history.find((e) => e.type === 'TaskTimedOut')!;
      assert.deepEqual(timedOut.taskTimedOutEventDetails, {
        resourceType: 'ecs',
        resource: 'runTask.waitForTaskToken',
        error: 'States.Timeout',
      });
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
      const run = startExecution({
        definition: fx('heartbeat'),
        validation: 'warn',
        input: {},
        drivers: [driver],
        callback: hub,
        clock,
      });
      const first = await waitFor(() => driver.invocations[0]);
      await waitFor(() => clock.pending() > 0);
      clock.advance(900);
      assert.equal((await sfnCall(hub.url, 'SendTaskHeartbeat', { taskToken: first.taskToken })).status, 200);
      clock.advance(900);
      assert.equal(first.signal.aborted, false);
      clock.advance(200);
      assert.equal(first.signal.aborted, true);
      // retry back-off (1 s), then the second attempt with a fresh token
      await waitFor(
        () =>
          driver.invocations[1] || (clock.pending() > 0 && clock.advance(1000) === undefined && driver.invocations[1]),
      );
      const second = driver.invocations[1]!;
      assert.notEqual(second.taskToken, first.taskToken);
      assert.equal(second.attempt, 2);
      await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: second.taskToken, output: '"ok"' });
      const result = await run.result;
      assert.equal(result.status, 'SUCCEEDED');
      assert.equal(result.output, 'ok');
      assert.deepEqual(types(result.history), [
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskTimedOut',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    } finally {
      await hub.close();
    }
  });

  it('a .sync task also gets a token and SendTaskSuccess ends it early', async () => {
    const hub = await startCallbackHub();
    try {
      const driver = new FakeDriver(async (inv) => ({
        kind: 'submitted',
        output: { Tasks: [] },
        completion: untilAborted(inv.signal),
      }));
      const def = {
        StartAt: 'J',
        States: {
          J: {
            Type: 'Task',
            Resource: 'arn:aws:states:::ecs:runTask.sync',
            Parameters: { 'Token.$': '$$.Task.Token' },
            End: true,
          },
        },
      };
      const run = startExecution({
        definition: def,
        validation: 'warn',
        drivers: [driver],
        callback: hub,
        timeScale: 0,
      });
      const inv = await waitFor(() => driver.invocations[0]);
      assert.equal((inv.parameters as { Token: string }).Token, inv.taskToken);
      await sfnCall(hub.url, 'SendTaskSuccess', { taskToken: inv.taskToken, output: '{"early":1}' });
      const result = await run.result;
      assert.deepEqual(result.output, { early: 1 });
      assert.deepEqual(types(result.history).slice(2, 6), [
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
      ]);
    } finally {
      await hub.close();
    }
  });

  it('stopping an execution aborts the running task (TaskStateAborted, ExecutionAborted) and disposes drivers', async () => {
    const driver = new FakeDriver(async (inv) => ({
      kind: 'submitted',
      output: {},
      completion: untilAborted(inv.signal),
    }));
    const controller = new AbortController();
    const def = {
      StartAt: 'J',
      States: { J: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true } },
    };
    const run = startExecution({
      definition: def,
      validation: 'warn',
      drivers: [driver],
      signal: controller.signal,
      timeScale: 0,
    });
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
      if ((inv.parameters as { TaskDefinition: string }).TaskDefinition === 'bad')
        throw new StatesError('ECS.InvalidParameterException', 'bad task definition');
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

  it('announces the callback endpoint only for a task that can call it (.waitForTaskToken), not for a .sync task', async () => {
    const runWith = async (definition: object) => {
      const lines: string[] = [];
      const driver = new FakeDriver(async (inv) =>
        inv.resource.pattern === 'waitForTaskToken'
          ? { kind: 'submitted', output: {}, completion: untilAborted(inv.signal) }
          : { kind: 'done', output: { ok: true } },
      );
      const controller = new AbortController();
      const run = startExecution({
        definition,
        drivers: [driver],
        signal: controller.signal,
        timeScale: 0,
        onLog: (l) => lines.push(l),
      });
      const inv = await waitFor(() => driver.invocations[0], { deadlineMs: 5000, message: 'invocation' });
      if (inv.resource.pattern === 'waitForTaskToken')
        await waitFor(() => lines.some((l) => l.startsWith('callback endpoint')), {
          deadlineMs: 5000,
          message: 'the callback line',
        });
      controller.abort();
      await run.result;
      return { lines, inv };
    };
    const sync = await runWith({
      StartAt: 'J',
      States: {
        J: {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask.sync',
          Parameters: { TaskDefinition: 'job' },
          End: true,
        },
      },
    });
    assert.deepEqual(
      sync.lines.filter((l) => l.includes('callback endpoint')),
      [],
    );
    assert.equal(sync.inv.callback, undefined);
    const callback = await runWith(fx('wait-for-token'));
    assert.match(
      callback.lines.find((l) => l.startsWith('callback endpoint')) ?? '',
      /^callback endpoint http:\/\/127\.0\.0\.1:\d+ \(e\.g\. aws stepfunctions send-task-success/,
    );
    assert.ok(callback.inv.callback?.hostUrl, 'the .waitForTaskToken task gets the endpoint');
  });
});
