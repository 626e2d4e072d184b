/**
 * Timing and history shapes: Retry back-off (IntervalSeconds, BackoffRate, MaxDelaySeconds,
 * JitterStrategy FULL) measured on a recording clock, TaskScheduled details, previousEventId
 * chains of Parallel branches, Wait timestamps on a manual clock, time scale. Tasks here call
 * fake drivers that need no parameters, so the machines the rules refuse for that run with
 * `validation: 'warn'`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../asl/src/types';
import { manualClock, runExecution, startExecution, type Clock } from '../src/api';
import { realClock } from '../src/clock';
import { retryDelayMs } from '../src/interpreter/retry';
import { FakeDriver, untilAborted } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const fx = (n: string): object =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'semantics', `${n}.asl.json`), 'utf8'));

/** Real time scaled to 0, recording every sleep request. */
function recordingClock(): Clock & { sleeps: number[] } {
  const base = realClock(0);
  const sleeps: number[] = [];
  return { ...base, sleeps, sleep: (ms, s) => (sleeps.push(ms), base.sleep(ms, s)) };
}

describe('retry back-off', () => {
  it('waits IntervalSeconds × BackoffRate^n capped by MaxDelaySeconds, per retrier, then fails', async () => {
    const clock = recordingClock();
    const driver = new FakeDriver(async () => {
      throw new StatesError('States.TaskFailed', 'exit 1');
    });
    const r = await runExecution({ definition: fx('backoff'), input: { timeout: 30 }, drivers: [driver], clock });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.TaskFailed');
    assert.deepEqual(clock.sleeps, [2000, 6000, 10000, 10000]);
    assert.equal(driver.invocations.length, 5);
    assert.deepEqual(
      driver.invocations.map((i) => i.attempt),
      [1, 2, 3, 4, 5],
    );
    const scheduled = r.history.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails as Record<
      string,
      unknown
    >;
    assert.deepEqual(scheduled, {
      resourceType: 'ecs',
      resource: 'runTask.sync',
      region: 'us-east-1',
      parameters: '{"TaskDefinition":"t"}',
      timeoutInSeconds: 30,
      heartbeatInSeconds: 5,
    });
    assert.equal(driver.invocations[0]!.timeoutSeconds, 30);
    assert.equal(driver.invocations[0]!.heartbeatSeconds, 5);
  });

  it('JitterStrategy FULL picks a delay between 0 and the computed back-off', async () => {
    const clock = recordingClock();
    const driver = new FakeDriver(async () => {
      throw new StatesError('X', 'y');
    });
    await runExecution({ definition: fx('jitter'), validation: 'warn', drivers: [driver], clock });
    assert.equal(clock.sleeps.length, 3);
    clock.sleeps.forEach((ms, n) => assert.ok(ms >= 0 && ms <= 4000 * 2 ** n, `sleep ${n} = ${ms}`));
    assert.equal(
      retryDelayMs({ IntervalSeconds: 4, BackoffRate: 2, JitterStrategy: 'FULL' }, 2, () => 0.5),
      8000,
    );
    assert.equal(retryDelayMs({}, 0), 1000);
  });

  it('a retry records $$.State.RetryCount', async () => {
    let n = 0;
    const driver = new FakeDriver(async (inv) => {
      if (n++ < 2) throw new StatesError('States.TaskFailed', 'again');
      return { kind: 'done', output: inv.parameters };
    });
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask',
          Parameters: { 'retry.$': '$$.State.RetryCount' },
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          End: true,
        },
      },
    };
    const r = await runExecution({ definition: def, validation: 'warn', drivers: [driver], timeScale: 0 });
    assert.deepEqual(r.output, { retry: 2 });
  });
});

describe('history shapes', () => {
  it('chains previousEventId per Parallel branch and numbers events from 1', async () => {
    const r = await runExecution({ definition: fx('parallel-ids'), timeScale: 0, drivers: [] });
    const byId = new Map(r.history.map((e) => [e.id, e]));
    const started = r.history.find((e) => e.type === 'ParallelStateStarted')!;
    const firsts = r.history.filter(
      (e) =>
        e.type === 'PassStateEntered' && ['A1', 'B1'].includes((e.stateEnteredEventDetails as { name: string }).name),
    );
    assert.deepEqual(
      firsts.map((e) => e.previousEventId),
      [started.id, started.id],
    );
    const a2 = r.history.find((e) => (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === 'A2')!;
    assert.equal(byId.get(a2.previousEventId)!.type, 'PassStateExited');
    assert.equal(r.history[0]!.previousEventId, 0);
    assert.ok(r.history.every((e) => e.timestamp instanceof Date));
    assert.deepEqual(r.output, [{}, {}]);
  });

  it('streams events to onEvent as they happen', async () => {
    const seen: string[] = [];
    const r = await runExecution({
      definition: fx('parallel-ids'),
      timeScale: 0,
      drivers: [],
      onEvent: (e) => seen.push(e.type),
    });
    assert.deepEqual(
      seen,
      r.history.map((e) => e.type),
    );
  });
});

describe('random intrinsics through a Pass state', () => {
  it('States.MathRandom stays in range and States.UUID is a v4 UUID', async () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { 'r.$': 'States.MathRandom(1, 10)', 'u.$': 'States.UUID()' }, End: true },
      },
    };
    for (let i = 0; i < 20; i++) {
      const r = await runExecution({ definition: def, timeScale: 0, drivers: [] });
      const out = r.output as { r: number; u: string };
      assert.ok(Number.isInteger(out.r) && out.r >= 1 && out.r <= 10, String(out.r));
      assert.match(out.u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('abort', () => {
  it('stopping during a Map aborts every running iteration and its task', async () => {
    const driver = new FakeDriver(async (inv) => ({
      kind: 'submitted',
      output: {},
      completion: untilAborted(inv.signal),
    }));
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'T',
            States: { T: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true } },
          },
          End: true,
        },
      },
    };
    const controller = new AbortController();
    const run = startExecution({
      definition: def,
      validation: 'warn',
      input: [1, 2, 3],
      drivers: [driver],
      timeScale: 0,
      signal: controller.signal,
    });
    await waitFor(() => driver.invocations.length === 3);
    controller.abort();
    const r = await run.result;
    assert.equal(r.status, 'ABORTED');
    const t = r.history.map((e) => e.type);
    assert.equal(t.filter((x) => x === 'TaskStateAborted').length, 3);
    assert.equal(t.filter((x) => x === 'MapIterationAborted').length, 3);
    assert.deepEqual(t.slice(-2), ['MapStateAborted', 'ExecutionAborted']);
    assert.ok(driver.invocations.every((i) => i.signal.aborted));
    assert.deepEqual(driver.disposed, [r.executionArn]);
  });
});

describe('time', () => {
  it('Wait with a Timestamp waits until then on the execution clock', async () => {
    const clock = manualClock(Date.UTC(2024, 0, 1));
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2024-01-01T00:01:00Z', End: true } } };
    const run = startExecution({ definition: def, clock, drivers: [] });
    await waitFor(() => clock.pending() > 0);
    clock.advance(59_000);
    assert.equal(run.status(), 'RUNNING');
    clock.advance(1_000);
    const r = await run.result;
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.history[0]!.timestamp.toISOString(), '2024-01-01T00:00:00.000Z');
    assert.equal(r.history.at(-1)!.timestamp.toISOString(), '2024-01-01T00:01:00.000Z');
  });

  it('timeScale 0.001 shortens a 10 s Wait to ~10 ms of real time', async () => {
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } };
    const t0 = Date.now();
    const r = await runExecution({ definition: def, timeScale: 0.001, drivers: [] });
    assert.equal(r.status, 'SUCCEEDED');
    assert.ok(Date.now() - t0 < 5000);
  });

  it('a Task TimeoutSeconds fires on the scaled clock and the task is aborted', async () => {
    const driver = new FakeDriver(async (inv) => ({
      kind: 'submitted',
      output: {},
      completion: new Promise((_, rej) => inv.signal.addEventListener('abort', () => rej(new Error('stopped')))),
    }));
    const def = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', TimeoutSeconds: 5, End: true } },
    };
    const r = await runExecution({ definition: def, validation: 'warn', drivers: [driver], timeScale: 0.002 });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.Timeout');
    assert.ok(driver.invocations[0]!.signal.aborted);
    assert.deepEqual(r.history.map((e) => e.type).slice(-3), ['TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed']);
  });
});
