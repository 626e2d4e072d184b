/**
 * The typed Step Functions helpers of runner/src/aws/client.ts (the ones the CLI and the
 * extension call) through the real AWS SDK client against the `serve` service: versions and
 * aliases, redrive, ListExecutions paging, history batches while watching (also after a known
 * event id), task callbacks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteStateMachineAliasCommand,
  DeleteStateMachineVersionCommand,
  CreateStateMachineAliasCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import {
  deployStateMachine,
  describeExecution,
  listExecutions,
  listStateMachines,
  redriveExecution,
  sendTaskFailure,
  sendTaskSuccess,
  startExecution,
  stopExecution,
  watchExecution,
  LOCAL_ENDPOINT_CREDENTIALS,
} from '../../runner/src/aws/client';
import { startSdkEndpoint, type SdkEndpoint } from '../../runner/test/sdkEndpoint';
import type { DriverResult, TaskDriver, TaskInvocation } from '../../runner/src/drivers/types';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const ROLE = 'arn:aws:iam::123456789012:role/asl-workbench-test';

/** Task states of the test machines: a callback task waits for its token; `Check` fails for the items in `failing`. */
class TestDriver implements TaskDriver {
  readonly name = 'test';
  readonly tokens: string[] = [];
  readonly checked: unknown[] = [];
  failing = new Set<unknown>();
  canHandle(): boolean {
    return true;
  }
  async invoke(inv: TaskInvocation): Promise<DriverResult> {
    if (inv.taskToken) {
      this.tokens.push(inv.taskToken);
      return { kind: 'submitted', output: {} };
    }
    const item = (inv.parameters as { item?: unknown }).item;
    this.checked.push(item);
    if (this.failing.has(item)) throw Object.assign(new Error(`item ${String(item)} fails`), { name: 'Item.Failed' });
    return { kind: 'done', output: { checked: item } };
  }
}

const pass = (result: unknown): string =>
  JSON.stringify({ StartAt: 'Answer', States: { Answer: { Type: 'Pass', Result: result, End: true } } });

const APPROVAL = JSON.stringify({
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 'ready', ResultPath: '$.prepared', Next: 'Approve' },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$$.Task.Token' },
      ResultPath: '$.approval',
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
});

const COUNTED = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Assign: { n: 41 }, Next: 'Approve' },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Arguments: {
        QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
        MessageBody: '{% $states.context.Task.Token %}',
      },
      Next: 'Use',
    },
    Use: {
      Type: 'Pass',
      Output: { n: '{% $n + 1 %}', redrives: '{% $states.context.Execution.RedriveCount %}' },
      End: true,
    },
  },
});

const CHECK_ALL = JSON.stringify({
  StartAt: 'Check all',
  States: {
    'Check all': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Check',
        States: {
          Check: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'check', 'item.$': '$' },
            End: true,
          },
        },
      },
      End: true,
    },
  },
});

const EITHER = JSON.stringify({
  StartAt: 'Which',
  States: {
    Which: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Fail' }], Default: 'Ok' },
    Fail: { Type: 'Fail', Error: 'Asked', Cause: 'the input asked to fail' },
    Ok: { Type: 'Pass', End: true },
  },
});

const MANY = JSON.stringify({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
});

const ids = (events: HistoryEvent[]): number[] => events.map((e) => e.id!);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('Step Functions helpers against serve through the AWS SDK', () => {
  let served: SdkEndpoint;
  let client: SFNClient;
  const driver = new TestDriver();

  before(async () => {
    served = await startSdkEndpoint({ timeScale: 0, drivers: () => [driver] });
    client = served.client;
  });
  after(() => served.close());

  const deploy = (name: string, definition: string, more: { publish?: boolean; alias?: string } = {}) =>
    deployStateMachine(client, { name, definition, roleArn: ROLE, type: 'STANDARD', ...more });
  const runToEnd = async (stateMachineArn: string, input = '{}') => {
    const { executionArn } = await startExecution(client, { stateMachineArn, input });
    return watchExecution(client, executionArn, { pollIntervalMs: 10 });
  };

  it('takes the alias names deploy --alias accepts, and refuses the ones it refuses', async () => {
    const dotted = await deploy('Dotted', pass('d'), { alias: 'prod.v2-blue_1' });
    assert.equal(dotted.aliasArn, `${dotted.arn}:prod.v2-blue_1`);
    await assert.rejects(
      client.send(
        new CreateStateMachineAliasCommand({
          name: '2024',
          routingConfiguration: [{ stateMachineVersionArn: dotted.versionArn!, weight: 100 }],
        }),
      ),
      /Invalid alias name: '2024'\. An alias name cannot be only digits/,
    );
  });

  it('publishes versions and points an alias at one; executions on the alias run that version', async () => {
    const first = await deploy('Greeter', pass('v1'), { alias: 'live', publish: true });
    assert.equal(first.action, 'created');
    assert.equal(first.versionArn, `${first.arn}:1`);
    assert.equal(first.aliasArn, `${first.arn}:live`);
    const second = await deploy('Greeter', pass('v2'), { publish: true });
    assert.equal(second.action, 'updated');
    assert.equal(second.versionArn, `${first.arn}:2`);
    assert.equal(second.aliasArn, undefined);
    // nothing changed since version 2: publishing again gives version 2
    assert.equal((await deploy('Greeter', pass('v2'), { publish: true })).versionArn, `${first.arn}:2`);

    const onAlias = await runToEnd(first.aliasArn!);
    assert.equal(onAlias.output, '"v1"');
    assert.equal(onAlias.stateMachineAliasArn, first.aliasArn);
    assert.equal(onAlias.stateMachineVersionArn, first.versionArn);
    assert.equal((await runToEnd(first.arn)).output, '"v2"');
    assert.equal((await runToEnd(`${first.arn}:1`)).output, '"v1"');

    const moved = await deploy('Greeter', pass('v2'), { alias: 'live' });
    assert.equal(moved.versionArn, `${first.arn}:2`);
    assert.equal(moved.aliasArn, first.aliasArn);
    assert.equal((await runToEnd(first.aliasArn!)).output, '"v2"');

    const listed = await client.send(new ListStateMachineVersionsCommand({ stateMachineArn: first.arn }));
    assert.deepEqual(
      listed.stateMachineVersions!.map((v) => v.stateMachineVersionArn),
      [`${first.arn}:2`, `${first.arn}:1`],
    );
    const v1 = await client.send(new DescribeStateMachineCommand({ stateMachineArn: `${first.arn}:1` }));
    assert.equal(v1.definition, pass('v1'));
    const alias = await client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: first.aliasArn }));
    assert.deepEqual(alias.routingConfiguration, [{ stateMachineVersionArn: `${first.arn}:2`, weight: 100 }]);
    const deleteV2 = new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${first.arn}:2` });
    await assert.rejects(client.send(deleteV2), (e: Error) => e.name === 'ConflictException');
    await client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: first.aliasArn }));
    await client.send(deleteV2);
    await assert.rejects(
      startExecution(client, { stateMachineArn: first.aliasArn!, input: '{}' }),
      (e: Error) => e.name === 'ResourceNotFound',
    );
  });

  it('lists the state machines of the endpoint, at most as many as asked', async () => {
    const { arn } = await deploy('Listed', pass('listed'));
    const all = await listStateMachines(client);
    const listed = all.find((m) => m.name === 'Listed');
    assert.equal(listed?.stateMachineArn, arn);
    assert.equal(listed?.type, 'STANDARD');
    assert.ok(listed?.creationDate instanceof Date);
    assert.equal((await listStateMachines(client, 1)).length, 1);
  });

  it('redrives a failed execution from the state that failed; it goes on in the same history and succeeds', async () => {
    const { arn } = await deploy('Approval', APPROVAL);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{"order": 7}' });
    const firstToken = await waitFor(() => driver.tokens.at(-1), { message: 'the Approve task to wait' });
    await sendTaskFailure(client, firstToken, 'Rejected', 'not today');
    const failed = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Rejected');
    assert.equal(failed.redriveStatus, 'REDRIVABLE');

    await redriveExecution(client, executionArn);
    const secondToken = await waitFor(() => driver.tokens.at(-1) !== firstToken && driver.tokens.at(-1), {
      message: 'the redriven Approve task to wait',
    });
    await sendTaskSuccess(client, secondToken, '{"approved": true}');
    const events: HistoryEvent[] = [];
    const done = await watchExecution(client, executionArn, { pollIntervalMs: 10, onEvent: (e) => events.push(e) });
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), { order: 7, prepared: 'ready', approval: { approved: true } });
    assert.equal(done.redriveCount, 1);
    assert.ok(done.redriveDate instanceof Date);
    assert.deepEqual(ids(events), range(events.length));
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('ExecutionFailed') < types.indexOf('ExecutionRedriven'));
    assert.equal(events.find((e) => e.type === 'ExecutionRedriven')!.executionRedrivenEventDetails?.redriveCount, 1);
    const entered = events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name);
    // Prepare succeeded before the failure and is not run again
    assert.deepEqual(entered, ['Prepare', 'Approve', 'Approve', 'Done']);

    await assert.rejects(redriveExecution(client, executionArn), (e: Error) => e.name === 'ExecutionNotRedrivable');
  });

  it('a redriven state sees the variables assigned before it and the redrive count', async () => {
    const { arn } = await deploy('Counted', COUNTED);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{}' });
    const firstToken = await waitFor(() => driver.tokens.at(-1), { message: 'the Approve task to wait' });
    await sendTaskFailure(client, firstToken, 'Rejected', 'not yet');
    assert.equal((await watchExecution(client, executionArn, { pollIntervalMs: 10 })).status, 'FAILED');
    await redriveExecution(client, executionArn);
    const secondToken = await waitFor(() => driver.tokens.at(-1) !== firstToken && driver.tokens.at(-1), {
      message: 'the redriven Approve task to wait',
    });
    await sendTaskSuccess(client, secondToken, '{}');
    const done = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), { n: 42, redrives: 1 });
  });

  it('redrives a failed Map by running the whole Map again', async () => {
    const { arn } = await deploy('CheckAll', CHECK_ALL);
    driver.failing = new Set([2]);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{"items": [1, 2, 3]}' });
    assert.equal((await watchExecution(client, executionArn, { pollIntervalMs: 10 })).status, 'FAILED');
    driver.failing = new Set();
    driver.checked.length = 0;
    await redriveExecution(client, executionArn);
    const events: HistoryEvent[] = [];
    const done = await watchExecution(client, executionArn, { pollIntervalMs: 10, onEvent: (e) => events.push(e) });
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), [{ checked: 1 }, { checked: 2 }, { checked: 3 }]);
    assert.deepEqual([...driver.checked].sort(), [1, 2, 3]);
    assert.equal(events.filter((e) => e.type === 'MapStateEntered').length, 2);
  });

  it('refuses to redrive an execution that succeeded', async () => {
    const { arn } = await deploy('Either', EITHER);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{"fail": false}' });
    const end = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(end.status, 'SUCCEEDED');
    assert.equal(end.redriveStatus, 'NOT_REDRIVABLE');
    await assert.rejects(redriveExecution(client, executionArn), (e: Error) => e.name === 'ExecutionNotRedrivable');
  });

  it('lists executions newest first, in pages, filtered by status', async () => {
    const { arn } = await deploy('Listed', EITHER);
    const names = ['a1', 'a2', 'f1', 'a3', 'f2', 'a4', 'a5'];
    for (const name of names) {
      const { executionArn } = await startExecution(client, {
        stateMachineArn: arn,
        name,
        input: JSON.stringify({ fail: name.startsWith('f') }),
      });
      await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    }
    const paged: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken }));
      paged.push(...page.executions!.map((e) => e.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(paged, [...names].reverse());
    assert.equal(pages, 4);
    assert.deepEqual(
      (await listExecutions(client, arn, 3)).map((e) => e.name),
      ['a5', 'a4', 'f2'],
    );
    const failed = await listExecutions(client, arn, 50, 'FAILED');
    assert.deepEqual(
      failed.map((e) => [e.name, e.status]),
      [
        ['f2', 'FAILED'],
        ['f1', 'FAILED'],
      ],
    );
  });

  it('hands a long history on in page-sized batches, in id order, each event once', async () => {
    const { arn } = await deploy('Many', MANY);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: JSON.stringify({ items }) });
    await waitFor(async () => (await describeExecution(client, executionArn)).status === 'SUCCEEDED');
    const batches: HistoryEvent[][] = [];
    const one: HistoryEvent[] = [];
    const end = await watchExecution(client, executionArn, {
      pageSize: 7,
      onEvents: (b) => batches.push(b),
      onEvent: (e) => one.push(e),
    });
    assert.equal(end.status, 'SUCCEEDED');
    const all = batches.flat();
    assert.ok(all.length > 80, `${all.length} events`);
    assert.equal(batches.length, Math.ceil(all.length / 7));
    assert.ok(batches.every((b) => b.length > 0 && b.length <= 7));
    assert.deepEqual(ids(all), range(all.length));
    assert.deepEqual(ids(one), ids(all));
  });

  it('a watch after a known event id reads newest first down to it and hands on only the later events', async () => {
    const { arn } = await deploy('Many', MANY);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: JSON.stringify({ items }) });
    await waitFor(async () => (await describeExecution(client, executionArn)).status === 'SUCCEEDED');
    const batches: HistoryEvent[][] = [];
    let rounds = 0;
    const end = await watchExecution(client, executionArn, {
      afterEventId: 50,
      pageSize: 7,
      onEvents: (b) => batches.push(b),
      onRound: () => void rounds++,
    });
    assert.equal(end.status, 'SUCCEEDED');
    const all = batches.flat();
    assert.ok(all.length > 30, `${all.length} events`);
    assert.deepEqual(
      ids(all),
      range(all.length).map((i) => i + 50),
    );
    assert.equal(all.at(-1)!.type, 'ExecutionSucceeded');
    // the round that saw the execution ended ran the round hook too
    assert.equal(rounds, 1);
  });

  it('follows an execution that ends while it is watched, completing its callback task from the helper', async () => {
    const { arn } = await deploy('Approval', APPROVAL);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{}' });
    const batches: HistoryEvent[][] = [];
    let answered = false;
    const end = await watchExecution(client, executionArn, {
      pageSize: 3,
      pollIntervalMs: 10,
      onEvents: (batch) => {
        batches.push(batch);
        const waiting = batches.flat().some((e) => e.type === 'TaskSubmitted' || e.type === 'TaskScheduled');
        if (waiting && !answered) {
          answered = true;
          void waitFor(() => driver.tokens.at(-1)).then((token) => sendTaskSuccess(client, token, '"yes"'));
        }
      },
    });
    assert.equal(end.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(end.output!).approval, 'yes');
    const all = batches.flat();
    assert.deepEqual(ids(all), range(all.length));
    assert.equal(all.at(-1)!.type, 'ExecutionSucceeded');
    assert.ok(batches.length >= 2);
  });

  it('a wake signal brings one poll forward; later polls keep the interval', async () => {
    const { arn } = await deploy('Approval', APPROVAL);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{}' });
    const calls: string[] = [];
    const counted = new SFNClient({
      endpoint: served.endpoint.hostUrl,
      region: 'us-east-1',
      credentials: { ...LOCAL_ENDPOINT_CREDENTIALS },
    });
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        calls.push(context.commandName!);
        return out;
      },
      { step: 'initialize' },
    );
    const wake = new AbortController();
    const cancel = new AbortController();
    const watching = watchExecution(counted, executionArn, {
      pollIntervalMs: 3_600_000,
      signal: wake.signal,
      cancel: cancel.signal,
    });
    const rounds = (): number => calls.filter((c) => c === 'GetExecutionHistoryCommand').length;
    await waitFor(() => rounds() === 1, { message: 'the first round' });
    wake.abort();
    await waitFor(() => rounds() === 2, { message: 'the round the wake brought forward' });
    // the signal stays aborted; had it kept waking the watch, a third round would start now
    await new Promise((resolve) => setImmediate(resolve));
    cancel.abort();
    assert.equal((await watching).status, 'RUNNING');
    assert.equal(calls.filter((c) => c === 'DescribeExecutionCommand').length, 2);
    counted.destroy();
    await stopExecution(client, executionArn);
  });

  it('stops a waiting execution and ends a watch when asked', async () => {
    const { arn } = await deploy('Approval', APPROVAL);
    const { executionArn } = await startExecution(client, { stateMachineArn: arn, input: '{}' });
    const cancel = new AbortController();
    const watching = watchExecution(client, executionArn, {
      pollIntervalMs: 10,
      cancel: cancel.signal,
      onEvent: (e) => e.type === 'TaskSubmitted' && cancel.abort(),
    });
    assert.equal((await watching).status, 'RUNNING');
    await stopExecution(client, executionArn, 'Test.Stop', 'enough');
    const end = await watchExecution(client, executionArn, { pollIntervalMs: 10 });
    assert.equal(end.status, 'ABORTED');
    assert.equal(end.error, 'Test.Stop');
  });
});
