/**
 * Interpreter details: EvaluationFailed events for JSONata failures, the
 * variable limits and name rules, JSONata Task/Parallel without Arguments, timeouts without
 * a cause, and the ItemReader message for an unmapped bucket. Table-driven runs come from
 * `fixtures/interpreter/gaps/<case>.expected.json` (status, output, error, cause, event types,
 * and selected event details); the rest drive a fake driver or a manual clock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { manualClock, runExecution, startExecution, type HistoryEvent } from '../src/api';
import { FakeDriver, untilAborted } from './helpers';
import { waitFor } from '../../scripts/test-helpers/wait.mjs';

const dir = path.join(import.meta.dirname, 'fixtures', 'interpreter', 'gaps');
const fx = (name: string): object => JSON.parse(fs.readFileSync(path.join(dir, `${name}.asl.json`), 'utf8'));

interface DetailCheck {
  type: string;
  key: string;
  /** exact details */
  value?: Record<string, unknown>;
  /** a subset of the details */
  fields?: Record<string, unknown>;
}

interface Run {
  input: unknown;
  testCase?: string;
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events?: string[];
  details?: DetailCheck[];
  /** event types whose details carry the same `cause` */
  sameCause?: string[];
}

const causeOf = (h: HistoryEvent[], type: string): unknown => {
  const e = h.find((x) => x.type === type);
  const d = e && Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1];
  return (d as { cause?: unknown } | undefined)?.cause;
};

for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .sort()) {
  const name = file.replace(/\.expected\.json$/, '');
  const expected = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { mockConfig?: object; runs: Run[] };
  describe(`gaps fixture ${name}`, () => {
    expected.runs.forEach((run, i) => {
      it(`run ${i + 1}: ${JSON.stringify(run.input).slice(0, 50)} → ${run.status}`, async () => {
        const r = await runExecution({
          definition: fx(name),
          input: run.input,
          stateMachineName: name,
          mockConfig: expected.mockConfig,
          testCase: run.testCase,
          timeScale: 0,
          drivers: [],
        });
        assert.equal(r.status, run.status, `${r.error}: ${r.cause}`);
        if ('output' in run) assert.deepEqual(r.output, run.output);
        if (run.error !== undefined) assert.equal(r.error, run.error);
        if (run.cause !== undefined) assert.equal(r.cause, run.cause);
        if (run.events)
          assert.deepEqual(
            r.history.map((e) => e.type),
            run.events,
          );
        for (const d of run.details ?? []) {
          const e = r.history.find((x) => x.type === d.type);
          assert.ok(e, `no ${d.type} event`);
          const got = e[d.key] as Record<string, unknown>;
          if (d.value) assert.deepEqual(got, d.value);
          for (const [k, v] of Object.entries(d.fields ?? {})) assert.deepEqual(got[k], v, `${d.type}.${k}`);
        }
        if (run.sameCause) {
          const causes = run.sameCause.map((t) => causeOf(r.history, t));
          assert.equal(typeof causes[0], 'string');
          for (const c of causes) assert.equal(c, causes[0]);
        }
        r.history.forEach((e, k) => assert.equal(e.id, k + 1));
      });
    });
  });
}

describe('JSONata Task / Parallel without Arguments', () => {
  it('the task gets the state input and each branch gets it too', async () => {
    const driver = new FakeDriver(async () => ({ kind: 'done', output: { ignored: true } }));
    const input = { order: { id: 'o-7' }, n: 3 };
    const r = await runExecution({ definition: fx('no-arguments'), input, drivers: [driver], timeScale: 0 });
    assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
    assert.deepEqual(driver.invocations[0]!.parameters, input);
    const scheduled = r.history.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails as {
      parameters: string;
    };
    assert.deepEqual(JSON.parse(scheduled.parameters), input);
    assert.deepEqual(r.output, [input, { id: 'o-7' }]);
  });
});

describe('task timeouts carry no cause', () => {
  for (const [label, input, ms] of [
    ['HeartbeatSeconds', {}, 5000],
    ['TimeoutSeconds', { timeout: true }, 7000],
  ] as const) {
    it(`${label}: TaskTimedOut, ExecutionFailed and the result have no cause`, async () => {
      const clock = manualClock(Date.UTC(2024, 0, 1));
      const driver = new FakeDriver((inv) => untilAborted(inv.signal));
      const run = startExecution({ definition: fx('heartbeat'), input, drivers: [driver], clock });
      await waitFor(() => driver.invocations.length > 0 && clock.pending() > 0, {
        deadlineMs: 5000,
        message: 'the task to start',
      });
      clock.advance(ms);
      const r = await run.result;
      assert.equal(r.status, 'FAILED');
      assert.equal(r.error, 'States.Timeout');
      assert.ok(!('cause' in r), 'result.cause must be absent');
      const timedOut = r.history.find((e) => e.type === 'TaskTimedOut')!.taskTimedOutEventDetails as Record<
        string,
        unknown
      >;
      assert.equal(timedOut.error, 'States.Timeout');
      assert.ok(!('cause' in timedOut), 'TaskTimedOut.cause must be absent');
      const failed = r.history.find((e) => e.type === 'ExecutionFailed')!.executionFailedEventDetails as Record<
        string,
        unknown
      >;
      assert.deepEqual(failed, { error: 'States.Timeout' });
      // what `run --json` prints: JSON.stringify drops nothing it should keep and shows no cause
      assert.ok(!JSON.stringify({ status: r.status, error: r.error, cause: r.cause }).includes('cause'));
    });
  }
});

describe('distributed Map with an ItemReader', () => {
  it('fails with States.ItemReaderFailed naming the mapping to add when the bucket has no local stand-in', async () => {
    const r = await runExecution({ definition: fx('item-reader'), input: { rows: [1, 2] }, drivers: [], timeScale: 0 });
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'States.ItemReaderFailed');
    assert.equal(
      r.cause,
      "The bucket 'b' has no local stand-in. Map it to a local folder in asl-workbench.run.json: " +
        '"s3": { "buckets": { "b": "./s3/b" } } (a "b/<prefix>" key maps only the keys under that prefix), ' +
        'or run with --s3-root <dir> to use <dir>/b/ for it.',
    );
    assert.deepEqual(
      r.history.map((e) => e.type),
      [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        'MapRunStarted',
        'MapRunFailed',
        'MapStateFailed',
        'ExecutionFailed',
      ],
    );
  });
});
