/** dist/runWorker.js protocol (runner/src/workerProtocol.ts): start → events → result; stop → ABORTED. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import type { HistoryEvent } from '../src/history';
import type { WorkerMessage, WorkerRequest, WorkerResult } from '../src/workerProtocol';

const worker = path.resolve(import.meta.dirname, '..', 'src', 'worker.ts');

function spawnWorker(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof fork> {
  return fork(worker, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    env,
  });
}

/** Sends the start request and collects every message up to the result and the worker's exit. */
async function runInWorker(
  start: Extract<WorkerRequest, { type: 'start' }>,
  env?: NodeJS.ProcessEnv,
): Promise<{
  events: HistoryEvent[];
  logs: { line: string; source?: string }[];
  result: WorkerResult;
  code: number | null;
}> {
  const child = spawnWorker(env);
  const events: HistoryEvent[] = [];
  const logs: { line: string; source?: string }[] = [];
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const result = await new Promise<WorkerResult>((resolve, reject) => {
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'event') events.push(m.event);
      if (m.type === 'log') logs.push({ line: m.line, source: m.source });
      if (m.type === 'result') resolve(m.result);
      if (m.type === 'error') reject(new Error(m.message));
    });
    child.on('error', reject);
    child.send(start);
  });
  return { events, logs, result, code: await exited };
}

/** An ecs:runTask.sync state whose TaskDefinition the run config maps inline. */
const ecsMachine = {
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { TaskDefinition: 'job' },
      End: true,
    },
  },
};
const mapped = {
  taskDefinitions: { job: { family: 'job', containerDefinitions: [{ name: 'main', image: 'busybox' }] } },
};

describe('runWorker', () => {
  it('streams events and sends the result without the history, then exits', async () => {
    const { events, result, code } = await runInWorker({
      type: 'start',
      definition: { StartAt: 'P', States: { P: { Type: 'Pass', Result: 7, End: true } } },
      input: {},
      options: { timeScale: 0, name: 'round-trip', stateMachineName: 'M' },
    });
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.output, 7);
    assert.equal(result.executionArn, 'arn:aws:states:us-east-1:123456789012:execution:M:round-trip');
    assert.equal('history' in result, false, 'the events already carried the history');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
    );
    assert.ok(events[0]!.timestamp instanceof Date, 'timestamps arrive as Dates');
    assert.equal(code, 0);
  });

  it('aborts on a stop message', async () => {
    const child = spawnWorker();
    const result = await new Promise<WorkerResult>((resolve) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'event' && m.event.type === 'WaitStateEntered')
          child.send({ type: 'stop' } satisfies WorkerRequest);
        if (m.type === 'result') resolve(m.result);
      });
      child.send({
        type: 'start',
        definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } },
        options: { timeScale: 1 },
      } satisfies WorkerRequest);
    });
    assert.equal(result.status, 'ABORTED');
    await new Promise((r) => child.on('exit', r));
  });

  it('a dead DOCKER_HOST fails the run with the engineUnavailable problem, in the result and the TaskFailed event', async () => {
    const { events, result } = await runInWorker(
      { type: 'start', definition: ecsMachine, options: { timeScale: 0, config: mapped } },
      { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    );
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'AslWorkbench.EngineUnavailable');
    assert.deepEqual(result.problem, { kind: 'engineUnavailable', endpoint: 'unix:///nonexistent/docker.sock' });
    const failed = events.find((e) => e.type === 'TaskFailed');
    assert.deepEqual((failed?.taskFailedEventDetails as { problem?: unknown }).problem, result.problem);
  });

  it('an unmapped TaskDefinition caught by a Catch still reaches the client as a typed problem on its TaskFailed event', async () => {
    const caught = {
      StartAt: 'Run',
      States: {
        Run: {
          ...ecsMachine.States.Run,
          End: undefined,
          Next: 'Done',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
        },
        Failed: { Type: 'Fail', Error: 'Custom', Cause: 'the task failed' },
        Done: { Type: 'Succeed' },
      },
    };
    const { events, result } = await runInWorker({
      type: 'start',
      definition: caught,
      options: { timeScale: 0, config: {} },
    });
    assert.equal(result.error, 'Custom');
    assert.equal(result.problem, undefined, 'the Fail state ended the execution, not the task');
    const failed = events.find((e) => e.type === 'TaskFailed');
    assert.deepEqual((failed?.taskFailedEventDetails as { problem?: unknown }).problem, {
      kind: 'taskDefinitionNotMapped',
      taskDefinition: 'job',
      add: { taskDefinitions: { job: './job.task-definition.json' } },
    });
  });

  it('answers a start message the runner refuses with an error message', async () => {
    await assert.rejects(
      runInWorker({ type: 'start', definition: '{ not json', options: { timeScale: 0 } }),
      /The definition is neither JSON nor YAML/,
    );
  });

  it('runs a definition with errors after reporting them as every entry point lists them', async () => {
    const validation = path.resolve(import.meta.dirname, '../../asl/test/fixtures/validation');
    const { events, logs, result } = await runInWorker({
      type: 'start',
      definition: fs.readFileSync(path.join(validation, 'invalid.asl.json'), 'utf8'),
      options: { timeScale: 0 },
    });
    assert.deepEqual(
      logs.filter((l) => l.source === 'validation'),
      [{ line: fs.readFileSync(path.join(validation, 'invalid.message.txt'), 'utf8').trimEnd(), source: 'validation' }],
    );
    assert.equal(events[0]?.type, 'ExecutionStarted');
    assert.ok(['SUCCEEDED', 'FAILED'].includes(result.status), result.status);
  });
});
