/**
 * The local Step Functions endpoint driven by real clients: @aws-sdk/client-sfn and Debian's
 * awscli (`/usr/bin/aws stepfunctions … --endpoint-url`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { runExecution } from '../src/api';
import { LocalEndpoint } from '../src/callback/server';
import { createService } from '../src/callback/service';
import { eventToWire } from '../src/history';
import { FakeDriver, aws, rawRequest } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'serve');
const definition = fs.readFileSync(path.join(fixtures, 'order.asl.json'), 'utf8');
const mockConfig = JSON.parse(fs.readFileSync(path.join(fixtures, 'mock-config.json'), 'utf8'));
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('serve', () => {
  let endpoint: LocalEndpoint;
  let sfn: SFNClient;
  let machineArn: string;
  const driver = new FakeDriver(async () => ({ kind: 'submitted', output: { Tasks: [], Failures: [] } }));

  before(async () => {
    const service = createService({ mockConfig, timeScale: 0, drivers: () => [driver] }, () => endpoint);
    endpoint = await LocalEndpoint.start(service.ops, 0);
    sfn = new SFNClient({ endpoint: endpoint.hostUrl, region: 'us-east-1', credentials });
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: 'Order', definition, roleArn: 'arn:aws:iam::123456789012:role/x' }),
    );
    machineArn = created.stateMachineArn!;
  });
  after(async () => {
    sfn.destroy();
    await endpoint.close();
  });

  it('runs a mocked test case selected by the #TestCase ARN suffix (SDK)', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#Happy`, name: 'happy-1', input: '{"amount": 5}' }),
    );
    assert.match(started.executionArn!, /:execution:Order:happy-1$/);
    assert.ok(started.startDate instanceof Date);
    const d = await waitFor(async () => {
      const x = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return x.status !== 'RUNNING' ? x : undefined;
    });
    assert.equal(d.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(d.output!), { amount: 5, charge: { id: 'ch_1' }, approval: { approved: true } });
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    assert.deepEqual(
      h.events!.map((e) => e.type),
      [
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
    );
    assert.ok(h.events![0]!.timestamp instanceof Date);
    assert.equal(h.events![2]!.taskScheduledEventDetails?.resourceType, 'lambda');
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    assert.ok(list.executions!.some((e) => e.name === 'happy-1'));
  });

  it('completes a callback task with SendTaskSuccess from the SDK and reports AWS errors as SDK exceptions', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#ChargeOnly`, input: '{}' }),
    );
    const inv = await waitFor(() => driver.invocations.find((i) => i.executionArn === started.executionArn));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: inv.taskToken, output: '{"ok":true}' }));
    const d = await waitFor(async () => {
      const x = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return x.status !== 'RUNNING' ? x : undefined;
    });
    assert.equal(d.status, 'SUCCEEDED');
    await assert.rejects(
      sfn.send(new SendTaskSuccessCommand({ taskToken: inv.taskToken, output: '{}' })),
      (e: Error) => e.name === 'TaskDoesNotExist',
    );
    await assert.rejects(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'x'.repeat(20), output: '{}' })),
      (e: Error) => e.name === 'InvalidToken',
    );
    await assert.rejects(
      sfn.send(
        new DescribeExecutionCommand({ executionArn: `${machineArn.replace(':stateMachine:', ':execution:')}:nope` }),
      ),
      (e: Error) => e.name === 'ExecutionDoesNotExist',
    );
    await assert.rejects(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#ChargeOnly`, input: 'not json' })),
      (e: Error) => e.name === 'InvalidExecutionInput',
    );
  });

  it('StartSyncExecution runs to the end and returns the output', async () => {
    const { StartSyncExecutionCommand } = await import('@aws-sdk/client-sfn');
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: 'Quick',
        type: 'EXPRESS',
        roleArn: 'arn:aws:iam::123456789012:role/x',
        definition: JSON.stringify({
          StartAt: 'P',
          States: { P: { Type: 'Pass', Result: { fast: true }, End: true } },
        }),
      }),
    );
    // the SDK prefixes StartSyncExecution's host with "sync-"; point it at the same endpoint
    const sync = new SFNClient({
      endpoint: endpoint.hostUrl,
      region: 'us-east-1',
      credentials,
      disableHostPrefix: true,
    });
    try {
      const r = await sync.send(
        new StartSyncExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{}' }),
      );
      assert.equal(r.status, 'SUCCEEDED');
      assert.deepEqual(JSON.parse(r.output!), { fast: true });
    } finally {
      sync.destroy();
    }
  });

  it('stops a waiting execution with StopExecution (ABORTED)', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#ChargeOnly`, input: '{}' }),
    );
    const inv = await waitFor(() => driver.invocations.find((i) => i.executionArn === started.executionArn));
    await sfn.send(
      new StopExecutionCommand({ executionArn: started.executionArn, error: 'User.Stop', cause: 'enough' }),
    );
    const d = await waitFor(async () => {
      const x = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return x.status !== 'RUNNING' ? x : undefined;
    });
    assert.equal(d.status, 'ABORTED');
    assert.equal(d.error, 'User.Stop');
    assert.ok(inv.signal.aborted);
  });

  it('refuses StartExecution input over 256 KiB at the call with a ValidationException (SDK)', async () => {
    const fits = JSON.stringify({ pad: 'x'.repeat(262144 - 10) });
    assert.equal(Buffer.byteLength(fits), 262144);
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#Happy`, input: fits }));
    assert.ok(ok.executionArn);
    const over = JSON.stringify({ pad: 'x'.repeat(262144 - 9) });
    await assert.rejects(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#Happy`, name: 'too-big', input: over })),
      (e: Error) => {
        assert.equal(e.name, 'ValidationException');
        assert.equal(
          e.message,
          "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144 (it is 262145 bytes of UTF-8)",
        );
        return true;
      },
    );
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    assert.ok(!list.executions!.some((e) => e.name === 'too-big'), 'no execution was started');
  });

  it('refuses SendTaskSuccess output over 256 KiB with a ValidationException and keeps the task waiting (SDK)', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#ChargeOnly`, input: '{}' }),
    );
    const inv = await waitFor(() => driver.invocations.find((i) => i.executionArn === started.executionArn));
    const over = JSON.stringify({ pad: 'x'.repeat(262144 - 9) });
    await assert.rejects(
      sfn.send(new SendTaskSuccessCommand({ taskToken: inv.taskToken, output: over })),
      (e: Error) => {
        assert.equal(e.name, 'ValidationException');
        assert.match(
          e.message,
          /at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144 \(it is 262145 bytes/,
        );
        return true;
      },
    );
    assert.equal(
      (await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status,
      'RUNNING',
    );
    await sfn.send(new SendTaskSuccessCommand({ taskToken: inv.taskToken, output: '{"approved":true}' }));
    const d = await waitFor(async () => {
      const x = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return x.status !== 'RUNNING' ? x : undefined;
    });
    assert.equal(d.status, 'SUCCEEDED');
  });

  it('pages GetExecutionHistory with nextToken and answers InvalidToken for a token it did not hand out (SDK)', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#Happy`, input: '{"amount": 1}' }),
    );
    await waitFor(
      async () =>
        (await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status !== 'RUNNING',
    );
    const all = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }))).events!;
    const seen: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 5, nextToken }),
      );
      seen.push(...page.events!.map((e) => e.id!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(
      seen,
      all.map((e) => e.id),
    );
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 5 }));
    const other = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#Happy`, input: '{}' }));
    await waitFor(
      async () =>
        (await sfn.send(new DescribeExecutionCommand({ executionArn: other.executionArn }))).status !== 'RUNNING',
    );
    for (const [what, request] of [
      ['a made-up token', { executionArn: started.executionArn, nextToken: 'not-a-token' }],
      ['a number', { executionArn: started.executionArn, nextToken: '5' }],
      ['another execution', { executionArn: other.executionArn, nextToken: first.nextToken }],
      ['the other order', { executionArn: started.executionArn, nextToken: first.nextToken, reverseOrder: true }],
    ] as const) {
      await assert.rejects(
        sfn.send(new GetExecutionHistoryCommand(request)),
        (e: Error) => e.name === 'InvalidToken',
        what,
      );
    }
  });

  it('the management endpoint listens on loopback only, refuses a foreign Host header and sends no CORS headers', async () => {
    assert.deepEqual(
      endpoint.addresses().map((a) => a.address),
      ['127.0.0.1'],
    );
    const port = endpoint.port;
    for (const host of ['rebound.attacker.example', `rebound.attacker.example:${port}`, `127.0.0.1:${port + 1}`]) {
      const r = await rawRequest(endpoint.hostUrl, {
        op: 'ListStateMachines',
        host,
        body: {},
        headers: { Origin: 'http://rebound.attacker.example' },
      });
      assert.equal(r.status, 403, host);
      assert.equal((JSON.parse(r.text) as { __type: string }).__type, 'com.amazonaws.sfn#AccessDeniedException');
      assert.deepEqual(
        Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
        [],
      );
    }
    const ok = await rawRequest(endpoint.hostUrl, {
      op: 'ListStateMachines',
      host: `localhost:${port}`,
      body: {},
      headers: { Origin: 'http://localhost' },
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(
      Object.keys(ok.headers).filter((h) => h.startsWith('access-control-')),
      [],
    );
  });

  it('accepts SendTaskSuccess / SendTaskFailure from the AWS CLI and returns its error codes', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: `${machineArn}#ChargeOnly`, input: '{}' }),
    );
    const inv = await waitFor(() => driver.invocations.find((i) => i.executionArn === started.executionArn));
    const ok = await aws(endpoint.hostUrl, [
      'send-task-success',
      '--task-token',
      inv.taskToken!,
      '--task-output',
      '{"cli": true}',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const d = await waitFor(
      async () => {
        const x = await aws(endpoint.hostUrl, ['describe-execution', '--execution-arn', started.executionArn!]);
        const j = JSON.parse(x.stdout) as { status: string; output?: string };
        return j.status !== 'RUNNING' ? j : undefined;
      },
      { deadlineMs: 20000 },
    );
    assert.equal(d.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(d.output!).approval, { cli: true });
    const bad = await aws(endpoint.hostUrl, ['send-task-failure', '--task-token', inv.taskToken!, '--error', 'E']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /TaskDoesNotExist/);
  });
});

describe('serve history shape', () => {
  it("answers GetExecutionHistory in AWS's shape: a task failure's local problem stays out of it", async () => {
    const r = await runExecution({
      definition: {
        StartAt: 'Send',
        States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } },
      },
      drivers: [],
      timeScale: 0,
    });
    const failed = r.history.find((e) => e.type === 'TaskFailed')!;
    assert.equal((failed.taskFailedEventDetails as { problem?: { kind: string } }).problem?.kind, 'noDriver');
    const wire = eventToWire(failed).taskFailedEventDetails as Record<string, unknown>;
    assert.deepEqual(Object.keys(wire).sort(), ['cause', 'error', 'resource', 'resourceType']);
    assert.equal(wire.error, 'AslWorkbench.NoDriver');
  });
});
