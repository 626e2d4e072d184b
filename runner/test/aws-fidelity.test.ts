/**
 * Behaviours of executions on AWS that local runs reproduce: numeric fields read from paths,
 * paths that do not parse, bracket keys with escaped quotes, JSONata results and
 * `$states.context`, the context object `$$`, and the 256 KiB payload limit. Each test names
 * the AWS page that documents the behaviour; where AWS documents nothing, the test says which
 * local choice it checks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { StatesError } from '../../asl/src/types';
import { runExecution, startExecution, type RunOptions } from '../src/api';
import { NUMBER_FIELDS, acceptsNumber } from '../src/interpreter/numberField';
import type { HistoryEvent } from '../src/history';
import { FakeDriver, untilAborted } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

type Def = Record<string, unknown>;

/** One state `S` (plus `more`) run with `validation: 'warn'`, time scaled to 0. */
function machine(state: Def, more: Record<string, Def> = {}): Def {
  return { StartAt: 'S', States: { S: state, ...more } };
}

function run(definition: Def, input: unknown, extra: Partial<RunOptions> = {}) {
  return runExecution({ definition, input, validation: 'warn', timeScale: 0, ...extra });
}

function event(history: HistoryEvent[], type: string): Record<string, unknown> | undefined {
  const e = history.find((x) => x.type === type);
  if (!e) return undefined;
  const key = Object.keys(e).find((k) => k.endsWith('EventDetails'));
  return key ? (e[key as keyof HistoryEvent] as Record<string, unknown>) : {};
}

const waitSeconds = (secondsPath: string) => machine({ Type: 'Wait', SecondsPath: secondsPath, End: true });

describe('numeric fields read from paths (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html, state-task.html, state-map-inline.html)', () => {
  it('a Wait SecondsPath that selects 0 or a whole number waits', async () => {
    for (const s of [0, 2]) {
      const r = await run(waitSeconds('$.s'), { s });
      assert.equal(r.status, 'SUCCEEDED', `${s}: ${r.cause}`);
    }
  });

  it('a fractional, negative or string Wait SecondsPath value fails the state with States.Runtime', async () => {
    for (const [s, shown] of [
      [1.5, '1.5'],
      [-1, '-1'],
      ['5', '"5"'],
    ] as const) {
      const r = await run(waitSeconds('$.s'), { s });
      assert.equal(r.status, 'FAILED');
      assert.equal(r.error, 'States.Runtime');
      assert.equal(
        r.cause,
        `The value of the field 'SecondsPath' ($.s) of the state 'S' must be an integer from 0 to 99999999, got ${shown}.`,
      );
    }
  });

  it('a JSONata Wait Seconds that is fractional fails with States.QueryEvaluationError', async () => {
    const r = await run(machine({ Type: 'Wait', QueryLanguage: 'JSONata', Seconds: '{% 0.5 %}', End: true }), {});
    assert.equal(r.error, 'States.QueryEvaluationError');
    assert.match(r.cause ?? '', /'Seconds' of the state 'S' must be an integer from 0 to 99999999, got 0\.5/);
    assert.equal(event(r.history, 'EvaluationFailed')?.location, 'Seconds');
  });

  it('MaxConcurrencyPath takes a non-negative whole number; a string or a negative value is States.Runtime', async () => {
    const def = machine({
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrencyPath: '$.c',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    });
    const ok = await run(def, { items: [1, 2, 3], c: 2 });
    assert.deepEqual(ok.output, [1, 2, 3]);
    for (const c of ['2', -1, 1.5]) {
      const r = await run(def, { items: [1], c });
      assert.equal(r.error, 'States.Runtime', String(c));
      assert.match(r.cause ?? '', /'MaxConcurrencyPath' \(\$\.c\) of the state 'S' must be an integer of at least 0/);
    }
  });

  it('TimeoutSecondsPath and HeartbeatSecondsPath take positive whole numbers, shown in TaskScheduled', async () => {
    const driver = new FakeDriver(async () => ({ kind: 'done', output: { ok: true } }));
    const def = machine({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask',
      TimeoutSecondsPath: '$.t',
      HeartbeatSecondsPath: '$.h',
      End: true,
    });
    const ok = await run(def, { t: 30, h: 5 }, { drivers: [driver] });
    assert.equal(ok.status, 'SUCCEEDED', ok.cause);
    const scheduled = event(ok.history, 'TaskScheduled')!;
    assert.equal(scheduled.timeoutInSeconds, 30);
    assert.equal(scheduled.heartbeatInSeconds, 5);
    for (const [t, h, field] of [
      [0, 5, 'TimeoutSecondsPath'],
      [2.5, 5, 'TimeoutSecondsPath'],
      [30, '5', 'HeartbeatSecondsPath'],
    ] as const) {
      const r = await run(def, { t, h }, { drivers: [driver] });
      assert.equal(r.error, 'States.Runtime');
      assert.match(
        r.cause ?? '',
        new RegExp(`'${field}' \\(\\$\\.[th]\\) of the state 'S' must be an integer from 1 to 99999999`),
      );
    }
  });

  it('a ToleratedFailurePercentagePath value above 100 fails the Map with States.Runtime', async () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
    const def = machine({
      Type: 'Map',
      ItemsPath: '$.items',
      ToleratedFailurePercentagePath: '$.pct',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    });
    const r = await run(def, { items: [1], pct: 150 });
    assert.equal(r.error, 'States.Runtime');
    assert.equal(
      r.cause,
      "The value of the field 'ToleratedFailurePercentagePath' ($.pct) of the state 'S' must be a number from 0 to 100, got 150.",
    );
    assert.equal((await run(def, { items: [1], pct: 12.5 })).status, 'SUCCEEDED');
  });

  it('a tolerated failure percentage is a number from 0 to 100 (fractions allowed), a count a whole number', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
    assert.ok(acceptsNumber(NUMBER_FIELDS.ToleratedFailurePercentage, 12.5));
    assert.ok(acceptsNumber(NUMBER_FIELDS.ToleratedFailurePercentage, 100));
    assert.ok(!acceptsNumber(NUMBER_FIELDS.ToleratedFailurePercentage, 100.5));
    assert.ok(!acceptsNumber(NUMBER_FIELDS.ToleratedFailurePercentage, '10'));
    assert.ok(acceptsNumber(NUMBER_FIELDS.ToleratedFailureCount, 0));
    assert.ok(!acceptsNumber(NUMBER_FIELDS.ToleratedFailureCount, 1.5));
    assert.ok(!acceptsNumber(NUMBER_FIELDS.MaxItemsPerBatch, 0));
  });
});

describe('paths in payload templates (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html)', () => {
  it('a bracket key with an escaped quote selects that key', async () => {
    const def = machine({
      Type: 'Pass',
      Parameters: { 'v.$': String.raw`$['a\"b']`, 'w.$': String.raw`$["c\"d"]` },
      End: true,
    });
    // the definition passes validation as it is
    const r = await run(def, { 'a"b': 1, 'c"d': 2 }, { validation: 'refuse' });
    assert.deepEqual(r.output, { v: 1, w: 2 });
  });

  it('a .$ value that does not parse fails the state with States.Runtime, saying AWS refuses it at creation (local behaviour)', async () => {
    const r = await run(machine({ Type: 'Pass', Parameters: { 'x.$': '$.a[' }, End: true }), { a: [1] });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.Runtime');
    assert.equal(
      r.cause,
      "The value for the field 'x.$' must be a valid JSONPath: Unclosed '['. " +
        'AWS refuses a definition like this when it is created (InvalidDefinition); failing the state at run time is local behaviour.',
    );
  });
});

describe('JSONata results and $states.context (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)', () => {
  it('runs the JSONata version AWS documents (2.0.6)', () => {
    const version = (createRequire(__filename)('jsonata/package.json') as { version: string }).version;
    assert.equal(version, '2.0.6');
  });

  it('keeps a one-element array literal an array and gives a one-value path result as the value', async () => {
    const def = machine({
      Type: 'Pass',
      QueryLanguage: 'JSONata',
      Output: {
        literal: '{% [1] %}',
        selected: '{% $states.input.arr %}',
        path: '{% $states.input.items.n %}',
        wrapped: '{% [$states.input.items.n] %}',
        mapped: '{% $map([1], function($v) { $v }) %}',
      },
      End: true,
    });
    const r = await run(def, { arr: [1], items: [{ n: 1 }] });
    assert.deepEqual(r.output, { literal: [1], selected: [1], path: 1, wrapped: [1], mapped: 1 });
  });

  it('$states.context holds Execution, State and StateMachine, and no Task outside callback tasks', async () => {
    const def = machine({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.context %}', End: true });
    const r = await run(
      def,
      { a: 1 },
      { name: 'run-1', stateMachineName: 'Orders', roleArn: 'arn:aws:iam::123456789012:role/R' },
    );
    const c = r.output as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(c), ['Execution', 'StateMachine', 'State']);
    assert.deepEqual(c.Execution, {
      Id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1',
      Input: { a: 1 },
      Name: 'run-1',
      RoleArn: 'arn:aws:iam::123456789012:role/R',
      StartTime: c.Execution!.StartTime,
      RedriveCount: 0,
    });
    assert.match(String(c.Execution!.StartTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(c.StateMachine, {
      Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
      Name: 'Orders',
    });
    // a Pass state has no RetryCount: only Task, Map and Parallel states retry
    assert.deepEqual(Object.keys(c.State!), ['Name', 'EnteredTime']);
    assert.equal(c.State!.Name, 'S');
  });
});

describe('the context object $$ (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html)', () => {
  it('has the execution, state and state machine fields; RedriveTime only after a redrive, so never locally', async () => {
    const def = machine({ Type: 'Pass', Parameters: { 'c.$': '$$' }, End: true });
    const r = await run(def, {}, { name: 'e', stateMachineName: 'M', roleArn: 'arn:aws:iam::1:role/x' });
    const c = (r.output as { c: Record<string, Record<string, unknown>> }).c;
    // the keys in the order of executions recorded on AWS
    assert.deepEqual(Object.keys(c.Execution!), ['Id', 'Input', 'StartTime', 'Name', 'RoleArn', 'RedriveCount']);
    assert.equal(c.Execution!.RoleArn, 'arn:aws:iam::1:role/x');
    assert.equal(c.StateMachine!.Name, 'M');
    assert.deepEqual(Object.keys(c.State!), ['Name', 'EnteredTime']);
    assert.match(String(c.State!.EnteredTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal('Task' in c, false);
  });

  it('counts State.RetryCount per attempt of a retried task', async () => {
    let calls = 0;
    const driver = new FakeDriver(async () => {
      if (++calls < 3) throw new StatesError('Boom', 'again');
      return { kind: 'done', output: {} };
    });
    const def = machine({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask',
      Parameters: { 'n.$': '$$.State.RetryCount' },
      Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 3 }],
      End: true,
    });
    await run(def, {}, { drivers: [driver] });
    assert.deepEqual(
      driver.invocations.map((i) => (i.parameters as { n: number }).n),
      [0, 1, 2],
    );
  });

  it('gives Task.Token to a callback task and has no Task in a request-response task', async () => {
    const rr = new FakeDriver(async () => ({ kind: 'done', output: {} }));
    const plain = machine({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask',
      Parameters: { 'c.$': '$$' },
      End: true,
    });
    await run(plain, {}, { drivers: [rr] });
    assert.equal('Task' in (rr.invocations[0]!.parameters as { c: object }).c, false);

    const cb = new FakeDriver(async (inv) => ({ kind: 'submitted', output: {}, completion: untilAborted(inv.signal) }));
    const started = startExecution({
      definition: machine({
        Type: 'Task',
        Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
        Parameters: { 'token.$': '$$.Task.Token' },
        TimeoutSeconds: 1,
        End: true,
      }),
      validation: 'warn',
      timeScale: 0,
      drivers: [cb],
    });
    const inv = await waitFor(() => cb.invocations[0]);
    assert.equal((inv.parameters as { token: string }).token, inv.taskToken);
    started.stop();
    await started.result;
  });

  it('gives Map.Item.Index and Map.Item.Value to the ItemSelector', async () => {
    const def = machine({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' },
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    });
    const r = await run(def, { items: ['a', 'b'] });
    assert.deepEqual(r.output, [
      { i: 0, v: 'a' },
      { i: 1, v: 'b' },
    ]);
  });
});

describe('the 256 KiB payload limit (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, concepts-error-handling.html)', () => {
  /** A Pass whose output is a JSON string of `n` two-byte characters: 2n + 2 bytes of UTF-8, n + 2 UTF-16 units. */
  const passOf = (n: number) => machine({ Type: 'Pass', Result: 'é'.repeat(n), End: true });
  const limit = 256 * 1024;

  it('counts UTF-8 bytes: an output of exactly 262,144 bytes passes, two bytes more fail', async () => {
    const at = await run(passOf((limit - 2) / 2), {});
    assert.equal(at.status, 'SUCCEEDED', at.cause);
    const over = await run(passOf((limit - 2) / 2 + 1), {});
    assert.equal(over.status, 'FAILED');
    assert.equal(over.error, 'States.DataLimitExceeded');
    assert.equal(
      over.cause,
      "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
  });

  it('a task result over the limit fails the task (TaskFailed) and a States.ALL catcher takes it', async () => {
    const big = { text: 'é'.repeat(limit / 2) };
    const driver = new FakeDriver(async () => ({ kind: 'done', output: big }));
    const def = machine(
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::ecs:runTask',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      { Handled: { Type: 'Pass', End: true } },
    );
    const r = await run(def, {}, { drivers: [driver] });
    const cause =
      "The state/task 'ecs' returned a result with a size exceeding the maximum number of bytes service limit.";
    assert.equal(r.status, 'SUCCEEDED', r.cause);
    assert.deepEqual(r.output, { Error: 'States.DataLimitExceeded', Cause: cause });
    assert.deepEqual(event(r.history, 'TaskFailed'), {
      resourceType: 'ecs',
      resource: 'runTask',
      error: 'States.DataLimitExceeded',
      cause,
    });
  });

  it('names the function ARN in the cause for a Lambda function resource', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:big';
    const driver = new FakeDriver(async () => ({ kind: 'done', output: 'é'.repeat(limit / 2) }));
    const def = machine(
      { Type: 'Task', Resource: arn, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true },
      { Handled: { Type: 'Pass', End: true } },
    );
    const r = await run(def, {}, { drivers: [driver] });
    assert.deepEqual(event(r.history, 'LambdaFunctionFailed'), {
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${arn}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    });
    assert.equal(r.status, 'SUCCEEDED');
  });

  it('a state output over the limit is terminal: States.ALL does not catch it', async () => {
    const driver = new FakeDriver(async () => ({ kind: 'done', output: 'x'.repeat(limit / 2) }));
    const def = machine(
      {
        Type: 'Task',
        Resource: 'arn:aws:states:::ecs:runTask',
        // the result fits, the state output holding it twice does not
        ResultSelector: { 'a.$': '$', 'b.$': '$' },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
        End: true,
      },
      { Handled: { Type: 'Pass', End: true } },
    );
    const r = await run(def, {}, { drivers: [driver] });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.DataLimitExceeded');
    assert.equal(
      r.cause,
      "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit.",
    );
  });
});
