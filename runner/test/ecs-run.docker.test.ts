/**
 * ecs:runTask through the interpreter (runExecution) on a real Docker engine: the workflows of
 * the ECS integration page, errors, callbacks from the container and from the host's awscli,
 * heartbeat and TimeoutSeconds, stop, Parallel; and no leftovers after the suite.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExecution, startCallbackHub, startExecution, type HistoryEvent, type RunOptions } from '../src/api';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { LABELS } from '../src/drivers/docker/labels';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { ensureDocker, FIXTURES, leftovers, testConfig } from './ecs-helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const engine = new ContainerEngine();
let hub: Awaited<ReturnType<typeof startCallbackHub>>;

function machine(name: string): object {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'machines', `${name}.asl.json`), 'utf8')) as object;
}

function options(
  name: string,
  extra: Partial<RunOptions> = {},
): RunOptions & { logs: string[]; events: HistoryEvent[] } {
  const logs: string[] = [];
  const events: HistoryEvent[] = [];
  return {
    definition: machine(name),
    name: `${name}-${Date.now()}`,
    stateMachineName: 'ecs-tests',
    config: testConfig(),
    baseDir: FIXTURES,
    drivers: [new EcsDockerDriver()],
    onLog: (line, source) => logs.push(`${source}: ${line}`),
    onEvent: (e) => events.push(e),
    callback: hub,
    logs,
    events,
    ...extra,
  };
}

function details(e: HistoryEvent | undefined): Record<string, unknown> {
  if (!e) return {};
  const key = Object.keys(e).find((k) => k.endsWith('EventDetails'));
  return (key ? (e as unknown as Record<string, Record<string, unknown>>)[key] : {}) ?? {};
}

/** The token a callback state put into its container's environment (from TaskScheduled). */
function scheduledToken(events: HistoryEvent[]): string | undefined {
  const p = details(events.find((e) => e.type === 'TaskScheduled')).parameters;
  const params = JSON.parse(String(p ?? '{}')) as {
    Overrides?: { ContainerOverrides?: Array<{ Environment?: Array<{ Value: string }> }> };
  };
  return params.Overrides?.ContainerOverrides?.[0]?.Environment?.[0]?.Value;
}

function awsCli(args: string[]): Promise<{ code: number; out: string }> {
  const aws = fs.existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
  return new Promise((resolve) => {
    const p = spawn(aws, [...args, '--endpoint-url', hub.url, '--region', 'us-east-1', '--output', 'json'], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

async function containersOf(executionArn: string) {
  return engine.listContainers([`${LABELS.execution}=${executionArn}`]);
}

describe('ecs:runTask through runExecution (real containers)', () => {
  before(async () => {
    ensureDocker();
    hub = await startCallbackHub();
  });
  after(async () => {
    await hub?.close();
    const left = await leftovers(engine);
    engine.close();
    assert.deepEqual(left, [], 'no labelled container or network may remain after the suite');
  });

  it("runs the page's .sync example: Command.$ from $.commands", async () => {
    const o = options('page-sync');
    const r = await runExecution({ ...o, input: { commands: ['test command 1', 'test command 2', 'test command 3'] } });
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    for (const n of [1, 2, 3]) assert.ok(o.logs.includes(`app: running: test command ${n}`), o.logs.join('\n'));
    const out = r.output as Record<string, unknown>;
    assert.equal(out.LastStatus, 'STOPPED');
    assert.equal(out.StartedBy, 'AWS Step Functions');
    assert.equal(out.ClusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/local');
    assert.deepEqual(
      (out.Overrides as { ContainerOverrides: Array<{ Command: string[] }> }).ContainerOverrides[0].Command,
      ['test command 1', 'test command 2', 'test command 3'],
    );
    const types = r.history.map((e) => e.type);
    assert.deepEqual(types.slice(types.indexOf('TaskScheduled'), types.indexOf('TaskSucceeded') + 1), [
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
    ]);
    const submitted = JSON.parse(String(details(r.history.find((e) => e.type === 'TaskSubmitted')).output)) as {
      Tasks: unknown[];
      SdkHttpMetadata: unknown;
    };
    assert.equal(submitted.Tasks.length, 1);
    assert.ok(submitted.SdkHttpMetadata);
    assert.deepEqual(await containersOf(r.executionArn), []);
  });

  it('applies an Environment override taken from the input', async () => {
    const o = options('env-override');
    const r = await runExecution({ ...o, input: { who: 'the execution input' } });
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(r.output, { exit: 0, stopCode: 'EssentialContainerExited' });
    assert.ok(o.logs.includes('app: hello from the execution input'), o.logs.join('\n'));
  });

  it('a non-zero essential exit is States.TaskFailed, caught by a Catch', async () => {
    const r = await runExecution(options('catch-exit'));
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    const failure = (r.output as { failure: { Error: string; Cause: string } }).failure;
    assert.equal(failure.Error, 'States.TaskFailed');
    const task = JSON.parse(failure.Cause) as { Containers: Array<{ ExitCode: number }>; LastStatus: string };
    assert.equal(task.Containers[0].ExitCode, 3);
    assert.equal(task.LastStatus, 'STOPPED');
  });

  it('a missing image fails like TaskFailedToStart', async () => {
    const r = await runExecution(options('missing-image'));
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    const task = JSON.parse(r.cause!) as { StopCode: string; StoppedReason: string };
    assert.equal(task.StopCode, 'TaskFailedToStart');
    assert.match(task.StoppedReason, /^CannotPullContainerError:/);
  });

  it('an unmapped TaskDefinition fails with the JSON to add to the run config', async () => {
    const r = await runExecution(options('unmapped'));
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'ECS.InvalidParameterException');
    assert.ok(r.cause!.includes('"nobody-mapped-this:4"'), r.cause);
  });

  it('.waitForTaskToken: the container calls back itself (busybox wget, JSON 1.0)', async () => {
    const r = await runExecution(options('wait-container-callback'));
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(r.output, { from: 'container' });
    assert.deepEqual(await containersOf(r.executionArn), []);
  });

  it('.waitForTaskToken: the host awscli sends success, then failure', async () => {
    for (const outcome of ['success', 'failure'] as const) {
      const o = options('wait-host-callback');
      const started = startExecution(o);
      await waitFor(() => o.logs.includes('app: sleeping'), { message: 'the container to run' });
      const token = scheduledToken(o.events);
      assert.ok(token, 'the token is in the container environment');
      const env = (await engine.inspectContainer((await containersOf(started.executionArn))[0].Id)) as unknown as {
        Config: { Env: string[] };
      };
      assert.ok(env.Config.Env.includes(`TASK_TOKEN_ENV_VARIABLE=${token}`));
      assert.ok(env.Config.Env.some((v) => v.startsWith('AWS_ENDPOINT_URL_SFN=http://')));
      const cli =
        outcome === 'success'
          ? await awsCli([
              'stepfunctions',
              'send-task-success',
              '--task-token',
              token!,
              '--task-output',
              '{"done":true}',
            ])
          : await awsCli([
              'stepfunctions',
              'send-task-failure',
              '--task-token',
              token!,
              '--error',
              'Worker.Failed',
              '--cause',
              'disk full',
            ]);
      assert.equal(cli.code, 0, cli.out);
      const r = await started.result;
      if (outcome === 'success') {
        assert.equal(r.status, 'SUCCEEDED');
        assert.deepEqual(r.output, { done: true });
      } else {
        assert.equal(r.status, 'FAILED');
        assert.equal(r.error, 'Worker.Failed');
        assert.equal(r.cause, 'disk full');
      }
      assert.deepEqual(await containersOf(r.executionArn), [], 'containers removed when the execution ends');
    }
  });

  it('HeartbeatSeconds exceeded is States.Timeout and removes the containers', async () => {
    const o = options('heartbeat');
    const r = await runExecution(o);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.Timeout');
    assert.ok(r.history.some((e) => e.type === 'TaskTimedOut'));
    assert.ok(o.logs.includes('app: sleeping'));
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it('TimeoutSeconds stops the .sync container', async () => {
    const o = options('timeout-sync');
    const r = await runExecution(o);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.Timeout');
    assert.ok(o.logs.includes('app: sleeping'));
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it('stopping the execution mid-task removes the containers', async () => {
    const o = options('sleep-sync');
    const started = startExecution(o);
    await waitFor(async () => (await containersOf(started.executionArn)).some((c) => c.State === 'running'), {
      message: 'a running container',
      intervalMs: 100,
    });
    started.stop('User.Stop', 'stopped by the test');
    const r = await started.result;
    assert.equal(r.status, 'ABORTED');
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it('runs a Parallel of three tasks', async () => {
    const o = options('parallel-three');
    const r = await runExecution(o);
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(
      r.output,
      [1, 2, 3].map(() => ({ exit: 0, group: 'family:echo-task' })),
    );
    for (const n of [1, 2, 3]) assert.ok(o.logs.includes(`app: branch ${n}`), o.logs.join('\n'));
  });

  it("a failing Parallel sibling stops the other branch's task and removes both tasks' networks", async () => {
    const o = options('parallel-fail-sibling');
    const r = await runExecution(o);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    assert.equal((JSON.parse(r.cause!) as { Containers: Array<{ ExitCode: number }> }).Containers[0].ExitCode, 9);
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });

  it("a failing Map iteration stops the other iteration's running task", async () => {
    const o = options('map-fail-iteration');
    // the first item would run for 5 minutes; the second fails after a second
    const r = await runExecution({ ...o, input: { scripts: ['echo waiting; sleep 300', 'sleep 1; exit 9'] } });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    assert.equal((JSON.parse(r.cause!) as { Containers: Array<{ ExitCode: number }> }).Containers[0].ExitCode, 9);
    assert.ok(
      r.history.some((e) => e.type === 'MapIterationAborted' || e.type === 'TaskStateAborted'),
      'the sibling iteration was aborted',
    );
    assert.deepEqual(await leftovers(engine, r.executionArn), []);
  });
});
