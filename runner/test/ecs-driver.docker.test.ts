/**
 * The docker-ecs driver against a real Docker engine, called directly with hand-made
 * TaskInvocations (the interpreter-level behaviour is in ecs-run.docker.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatesError } from '../../asl/src/types';
import { ContainerEngine } from '../src/drivers/docker/engine';
import { EcsDockerDriver } from '../src/drivers/ecs/driver';
import { problemOfError } from '../src/problems';
import { ensureDocker, invocation, leftovers, testConfig, TestCallbackEndpoint } from './ecs-helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';
import { LABELS, managedFilter } from '../src/drivers/docker/labels';

const engine = new ContainerEngine();
const driver = new EcsDockerDriver();

async function sync(parameters: unknown) {
  const { inv, logs } = invocation({ pattern: 'sync', parameters });
  const r = await driver.invoke(inv);
  assert.equal(r.kind, 'submitted');
  const result = await (r.kind === 'submitted' ? r.completion! : Promise.reject(new Error('not submitted'))).then(
    (output) => ({ output: output as Record<string, unknown>, error: undefined }),
    (error: unknown) => ({ output: undefined, error: error as StatesError }),
  );
  await driver.disposeExecution(inv.executionArn);
  return {
    submitted: r.output as Record<string, unknown>,
    ...result,
    logs: logs.map((l) => `${l.source}: ${l.line}`),
    inv,
  };
}

/** The stopped task as DescribeTasks returns it (the fields these tests read). */
interface StoppedTask {
  TaskArn: string;
  StopCode: string;
  StoppedReason: string;
  LastStatus: string;
  Containers: Array<{ Name: string; ExitCode?: number; LastStatus: string }>;
}

/** Asserts that a `.sync` run failed with States.TaskFailed; returns the stopped task of its cause. */
function taskFailed(r: { error?: StatesError }): StoppedTask {
  assert.ok(r.error instanceof StatesError, 'the state fails');
  assert.equal(r.error.error, 'States.TaskFailed');
  return JSON.parse(r.error.cause) as StoppedTask;
}

/** The run's `ecs` log lines say the task failed to start (`reason`: …) and never that it started. */
function assertLoggedFailedToStart(logs: string[], task: StoppedTask, reason: string): void {
  const id = task.TaskArn.split('/').pop()!;
  const ecs = logs.filter((l) => l.startsWith('ecs: '));
  assert.ok(
    ecs.some((l) => l.startsWith(`ecs: task ${id} failed to start: ${reason}: `)),
    ecs.join('\n'),
  );
  assert.deepEqual(
    ecs.filter((l) => l.includes('started')),
    [],
    'no "started" line for a task that failed to start',
  );
}

/** A .waitForTaskToken invocation of callback-task, whose container calls back with its token over `cb`. */
function callbackInvocation(cb: TestCallbackEndpoint) {
  const token = 'tok-' + Math.random().toString(36).slice(2);
  const { inv } = invocation({
    pattern: 'waitForTaskToken',
    taskToken: token,
    callback: cb,
    parameters: {
      TaskDefinition: 'callback-task',
      Overrides: {
        ContainerOverrides: [{ Name: 'worker', Environment: [{ Name: 'TASK_TOKEN_ENV_VARIABLE', Value: token }] }],
      },
    },
  });
  return { inv, token };
}

/** [name, lastStatus, exitCode] of each container, in task-definition order. */
const containerStates = (cs: StoppedTask['Containers']) => cs.map((c) => [c.Name, c.LastStatus, c.ExitCode]);

describe('docker-ecs driver (real containers)', () => {
  before(() => ensureDocker());
  after(async () => {
    const left = await leftovers(engine);
    driver.close();
    engine.close();
    assert.deepEqual(left, [], 'no labelled container or network may remain after the suite');
  });

  it('runTask.sync returns the stopped task in DescribeTasks shape', async () => {
    const r = await sync({ TaskDefinition: 'echo-task', Cluster: 'local-cluster' });
    assert.equal(r.error, undefined);
    const out = r.output!;
    assert.equal(out.LastStatus, 'STOPPED');
    assert.equal(out.DesiredStatus, 'STOPPED');
    assert.equal(out.StopCode, 'EssentialContainerExited');
    assert.equal(out.StoppedReason, 'Essential container in task exited');
    assert.equal(out.StartedBy, 'AWS Step Functions');
    assert.equal(out.Group, 'family:echo-task');
    assert.equal(out.LaunchType, 'FARGATE');
    assert.match(String(out.TaskArn), /^arn:aws:ecs:us-east-1:123456789012:task\/local-cluster\/[0-9a-f]{32}$/);
    assert.equal(out.ClusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/local-cluster');
    assert.equal(out.TaskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/echo-task:1');
    for (const k of [
      'CreatedAt',
      'StartedAt',
      'StoppingAt',
      'StoppedAt',
      'ExecutionStoppedAt',
      'PullStartedAt',
      'PullStoppedAt',
    ]) {
      assert.equal(typeof out[k], 'number', `${k} is epoch milliseconds`);
    }
    const containers = out.Containers as Array<Record<string, unknown>>;
    assert.equal(containers.length, 1);
    assert.equal(containers[0].ExitCode, 0);
    assert.equal(containers[0].Name, 'app');
    assert.equal(containers[0].LastStatus, 'STOPPED');
    assert.deepEqual(out.Overrides, { ContainerOverrides: [], InferenceAcceleratorOverrides: [] });
    // the TaskSubmitted output is the RunTask response with SDK metadata
    const tasks = r.submitted.Tasks as Array<Record<string, unknown>>;
    assert.equal(tasks[0].LastStatus, 'PROVISIONING');
    assert.deepEqual(r.submitted.Failures, []);
    assert.equal((r.submitted.SdkHttpMetadata as { HttpStatusCode: number }).HttpStatusCode, 200);
    assert.ok(r.logs.includes('app: hello from the task definition'), r.logs.join('\n'));
  });

  it('applies ContainerOverrides Command (the page\'s "Command.$": "$.commands") and Environment', async () => {
    const r = await sync({
      TaskDefinition: 'echo-task',
      Overrides: {
        ContainerOverrides: [
          {
            Name: 'app',
            Command: ['sh', '-c', 'echo "cmd $GREETING $EXTRA"'],
            Environment: [
              { Name: 'GREETING', Value: 'overridden' },
              { Name: 'EXTRA', Value: 'added' },
            ],
          },
        ],
      },
    });
    assert.equal(r.error, undefined);
    assert.ok(r.logs.includes('app: cmd overridden added'), r.logs.join('\n'));
    const co = (r.output!.Overrides as { ContainerOverrides: Array<Record<string, unknown>> }).ContainerOverrides[0];
    assert.deepEqual(co.EnvironmentFiles, []);
    assert.deepEqual(co.ResourceRequirements, []);
    assert.deepEqual(co.Command, ['sh', '-c', 'echo "cmd $GREETING $EXTRA"']);
  });

  it('fails .sync with States.TaskFailed and the task JSON as cause on a non-zero essential exit', async () => {
    const r = await sync({
      TaskDefinition: 'echo-task',
      Overrides: { ContainerOverrides: [{ Name: 'app', Command: ['sh', '-c', 'exit 7'] }] },
    });
    const task = taskFailed(r);
    assert.equal(task.Containers[0].ExitCode, 7);
    assert.equal(task.StopCode, 'EssentialContainerExited');
  });

  it('fails like TaskFailedToStart when the image is missing (one pull attempt); the log never says it started', async () => {
    const r = await sync({ TaskDefinition: 'missing-image' });
    const task = taskFailed(r);
    assert.equal(task.StopCode, 'TaskFailedToStart');
    assert.equal(task.LastStatus, 'STOPPED');
    assert.match(task.StoppedReason, /^CannotPullContainerError: .*asl-workbench\/does-not-exist:1/);
    assertLoggedFailedToStart(r.logs, task, 'CannotPullContainerError');
  });

  it('a container that cannot start fails the task with CannotStartContainerError; the log says so, not "started"', async () => {
    const r = await sync({
      TaskDefinition: 'echo-task',
      Overrides: { ContainerOverrides: [{ Name: 'app', Command: ['/no/such/binary'] }] },
    });
    const task = taskFailed(r);
    assert.equal(task.StopCode, 'TaskFailedToStart');
    assert.match(task.StoppedReason, /^CannotStartContainerError: /);
    assertLoggedFailedToStart(r.logs, task, 'CannotStartContainerError');
  });

  it('logs "started 1 task(s)" with the task id for a task whose container started', async () => {
    const r = await sync({ TaskDefinition: 'echo-task' });
    assert.equal(r.error, undefined);
    const id = String(r.output!.TaskArn).split('/').pop()!;
    const ecs = r.logs.filter((l) => l.startsWith('ecs: '));
    assert.deepEqual(ecs[0], `ecs: started 1 task(s) of echo-task:1: ${id}`, ecs.join('\n'));
    assert.equal(ecs.filter((l) => l.includes('started')).length, 1);
  });

  it('honours dependsOn SUCCESS, ARN keys and family:revision references', async () => {
    const r = await sync({ TaskDefinition: 'multi:7' });
    assert.equal(r.error, undefined);
    assert.equal(r.output!.TaskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/multi:7');
    const i = r.logs.indexOf('init: init done');
    const m = r.logs.indexOf('main: main after init');
    assert.ok(i >= 0 && m > i, r.logs.join('\n'));
  });

  it('waits for a HEALTHY dependency; containers of a task reach each other by name', async () => {
    const r = await sync({ TaskDefinition: 'healthy' });
    assert.equal(r.error, undefined);
    const ready = r.logs.indexOf('db: db ready');
    const app = r.logs.indexOf('app: db is healthy');
    assert.ok(ready >= 0 && app > ready, r.logs.join('\n'));
    assert.ok(r.logs.includes('app: reached db by name'), r.logs.join('\n'));
  });

  it('stops a non-essential container when the essential one exits; one that exits 0 on SIGTERM keeps .sync successful', async () => {
    const r = await sync({ TaskDefinition: 'healthy' });
    assert.equal(r.error, undefined);
    assert.deepEqual(containerStates(r.output!.Containers as StoppedTask['Containers']), [
      ['db', 'STOPPED', 0],
      ['app', 'STOPPED', 0],
    ]);
  });

  it("a non-essential sidecar killed at the task's shutdown (exit 137) fails .sync with States.TaskFailed", async () => {
    // the evidence behind SYNC_FAILS_ON_CONTAINER: the app exits 0, the sidecar ignores SIGTERM
    const task = taskFailed(await sync({ TaskDefinition: 'sidecar' }));
    assert.equal(task.StopCode, 'EssentialContainerExited');
    assert.deepEqual(containerStates(task.Containers), [
      ['main', 'STOPPED', 0],
      ['helper', 'STOPPED', 137],
    ]);
  });

  it('a non-essential container that exits non-zero on its own fails .sync although the essential one exits 0', async () => {
    const r = await sync({ TaskDefinition: 'sidecar-fails' });
    assert.deepEqual(containerStates(taskFailed(r).Containers), [
      ['main', 'STOPPED', 0],
      ['helper', 'STOPPED', 3],
    ]);
    assert.ok(r.logs.includes('main: main done'), r.logs.join('\n'));
  });

  it('fails an unmapped TaskDefinition with ECS.InvalidParameterException and the JSON to add', async () => {
    const { inv } = invocation({ pattern: 'sync', parameters: { TaskDefinition: 'not-there:3' } });
    await assert.rejects(driver.invoke(inv), (e: StatesError) => {
      assert.equal(e.error, 'ECS.InvalidParameterException');
      assert.match(e.cause, /^TaskDefinition not found\./);
      assert.ok(e.cause.includes('{"taskDefinitions":{"not-there:3":"./not-there.task-definition.json"}}'), e.cause);
      assert.deepEqual(problemOfError(e), {
        kind: 'taskDefinitionNotMapped',
        taskDefinition: 'not-there:3',
        runConfig: testConfig().configPath,
        add: { taskDefinitions: { 'not-there:3': './not-there.task-definition.json' } },
      });
      return true;
    });
  });

  it('request-response returns the RunTask response at once; containers stay until disposeExecution', async () => {
    const { inv } = invocation({ pattern: 'requestResponse', parameters: { TaskDefinition: 'sleeper', Count: 2 } });
    const r = await driver.invoke(inv);
    assert.equal(r.kind, 'done');
    const out = r.output as {
      Tasks: Array<Record<string, unknown>>;
      Failures: unknown[];
      SdkResponseMetadata: { RequestId: string };
    };
    assert.equal(out.Tasks.length, 2);
    assert.equal(out.Tasks[0].LastStatus, 'PROVISIONING');
    assert.equal(out.Tasks[0].DesiredStatus, 'RUNNING');
    assert.equal(out.Tasks[0].StartedBy, undefined);
    assert.equal((out.Tasks[0].Containers as Array<{ LastStatus: string }>)[0].LastStatus, 'PENDING');
    assert.ok(out.SdkResponseMetadata.RequestId);
    await waitFor(
      async () =>
        (await engine.listContainers([`dev.asl-workbench.execution=${inv.executionArn}`])).filter(
          (c) => c.State === 'running',
        ).length === 2,
      { message: 'two running containers', intervalMs: 100 },
    );
    await driver.disposeExecution(inv.executionArn);
    assert.deepEqual(await leftovers(engine, inv.executionArn), []);
  });

  it('applies container Cpu/Memory overrides as engine limits and labels every container', async () => {
    const { inv } = invocation({
      pattern: 'requestResponse',
      parameters: {
        TaskDefinition: 'sleeper',
        Overrides: { Cpu: '1024', ContainerOverrides: [{ Name: 'app', Cpu: 512, Memory: 64, MemoryReservation: 32 }] },
      },
    });
    const r = await driver.invoke(inv);
    const task = (
      r.output as { Tasks: Array<{ TaskArn: string; Cpu: string; Containers: Array<{ Cpu: string; Memory: string }> }> }
    ).Tasks[0];
    assert.equal(task.Cpu, '1024');
    assert.equal(task.Containers[0].Memory, '64');
    const [summary] = await engine.listContainers([`dev.asl-workbench.execution=${inv.executionArn}`]);
    assert.equal(summary.Labels['dev.asl-workbench.task-arn'], task.TaskArn);
    assert.equal(summary.Labels['dev.asl-workbench.state'], 'Run');
    assert.equal(summary.Labels['dev.asl-workbench.container'], 'app');
    assert.equal(summary.Labels['dev.asl-workbench.runner-pid'], String(process.pid));
    const info = (await engine.inspectContainer(summary.Id)) as unknown as {
      HostConfig: { NanoCpus: number; Memory: number; MemoryReservation: number; ExtraHosts: string[] };
    };
    assert.equal(info.HostConfig.NanoCpus, 0.5e9);
    assert.equal(info.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(info.HostConfig.MemoryReservation, 32 * 1024 * 1024);
    assert.deepEqual(info.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
    await driver.disposeExecution(inv.executionArn);
    assert.deepEqual(await leftovers(engine, inv.executionArn), []);
  });

  for (const mode of ['always', 'auto'] as const) {
    it(`engine.taskNetwork ${mode === 'auto' ? '"auto" (default)' : '"always"'}: a single-container task ${mode === 'always' ? 'gets its own network' : 'joins the default bridge'}`, async () => {
      const config = mode === 'auto' ? testConfig() : { ...testConfig(), engine: { taskNetwork: 'always' as const } };
      const { inv } = invocation({ pattern: 'requestResponse', parameters: { TaskDefinition: 'sleeper' }, config });
      await driver.invoke(inv);
      try {
        const filters = [managedFilter(), `${LABELS.execution}=${inv.executionArn}`];
        const [c] = await engine.listContainers(filters);
        const info = await engine.inspectContainer(c!.Id);
        const networks = Object.keys(info?.NetworkSettings?.Networks ?? {});
        const own = (await engine.listNetworks(filters)).map((n) => n.Name);
        if (mode === 'always') {
          assert.equal(own.length, 1);
          assert.deepEqual(networks, own);
        } else {
          assert.deepEqual(own, []);
          assert.deepEqual(networks, ['bridge']);
        }
      } finally {
        await driver.disposeExecution(inv.executionArn);
      }
      assert.deepEqual(await leftovers(engine, inv.executionArn), []);
    });
  }

  it('engine.taskNetwork "auto" (default): a single-container task that gets the callback endpoint keeps its own network', async () => {
    const cb = await new TestCallbackEndpoint().start();
    const { inv, token } = callbackInvocation(cb);
    try {
      await driver.invoke(inv);
      assert.equal((await cb.next(token)).target, 'AWSStepFunctions.SendTaskSuccess');
      const filters = [managedFilter(), `${LABELS.execution}=${inv.executionArn}`];
      const [c] = await engine.listContainers(filters);
      const info = await engine.inspectContainer(c!.Id);
      const own = (await engine.listNetworks(filters)).map((n) => n.Name);
      assert.equal(own.length, 1);
      assert.deepEqual(Object.keys(info?.NetworkSettings?.Networks ?? {}), own);
    } finally {
      await driver.disposeExecution(inv.executionArn);
      await cb.close();
    }
    assert.deepEqual(await leftovers(engine, inv.executionArn), []);
  });

  it('aborting a .sync task removes its containers and network and rejects', async () => {
    const { inv, abort } = invocation({ pattern: 'sync', parameters: { TaskDefinition: 'sleeper' } });
    const r = await driver.invoke(inv);
    assert.equal(r.kind, 'submitted');
    await waitFor(
      async () =>
        (await engine.listContainers([`dev.asl-workbench.execution=${inv.executionArn}`])).some(
          (c) => c.State === 'running',
        ),
      { message: 'a running container', intervalMs: 100 },
    );
    abort(new StatesError('States.Timeout', 'timed out'));
    await assert.rejects(
      r.kind === 'submitted' ? r.completion! : Promise.resolve(),
      (e: StatesError) => e.error === 'States.Timeout',
    );
    assert.deepEqual(await leftovers(engine, inv.executionArn), []);
  });

  it('an abort while the task is being provisioned leaves nothing behind', async () => {
    const { inv, abort } = invocation({ pattern: 'sync', parameters: { TaskDefinition: 'multi:7' } });
    const call = driver.invoke(inv);
    setImmediate(() => abort(new StatesError('States.Timeout', 'timed out')));
    await assert.rejects(
      call.then((r) => (r.kind === 'submitted' ? r.completion : undefined)),
      (e: StatesError) => e.error === 'States.Timeout',
    );
    assert.deepEqual(await leftovers(engine, inv.executionArn), [], 'removed before the rejection');
    await driver.disposeExecution(inv.executionArn);
  });

  it('.waitForTaskToken: the container calls back with busybox wget and the injected endpoint', async () => {
    const cb = await new TestCallbackEndpoint().start();
    try {
      const { inv, token } = callbackInvocation(cb);
      const r = await driver.invoke(inv);
      assert.equal(r.kind, 'submitted');
      assert.equal(r.kind === 'submitted' ? r.completion : 'x', undefined);
      const call = await cb.next(token);
      assert.equal(call.target, 'AWSStepFunctions.SendTaskSuccess');
      assert.equal(call.body.output, '{"from":"container"}');
      assert.deepEqual(
        cb.exposures.map((x) => [x.taskToken, x.released]),
        [[token, false]],
        'one gateway exposure for the token, held while the task network exists',
      );
      await driver.disposeExecution(inv.executionArn);
      assert.deepEqual(await leftovers(engine, inv.executionArn), []);
      assert.deepEqual(
        cb.exposures.map((x) => x.released),
        [true],
        'released once the network is removed',
      );
    } finally {
      await cb.close();
    }
  });

  it('runs three tasks concurrently (Parallel-like) and cleans all of them', async () => {
    const runs = await Promise.all(
      [1, 2, 3].map((n) =>
        sync({
          TaskDefinition: 'echo-task',
          Overrides: { ContainerOverrides: [{ Name: 'app', Command: ['echo', `branch ${n}`] }] },
        }),
      ),
    );
    for (const [i, r] of runs.entries()) {
      assert.equal(r.error, undefined);
      assert.ok(r.logs.includes(`app: branch ${i + 1}`));
    }
  });
});
