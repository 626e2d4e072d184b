/** Run Locally text (client/src/run/format.ts): output lines and the state input/output documents. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../asl/src/analyze';
import {
  duration,
  eventLine,
  finishedMessage,
  invalidMachineDetail,
  mapRunText,
  visitDocument,
  visitOf,
} from '../src/run/format';

const events = [
  {
    id: 1,
    previousEventId: 0,
    type: 'ExecutionStarted',
    timestamp: '2026-01-01T10:00:00.000Z',
    executionStartedEventDetails: { input: '{"a":1}' },
  },
  {
    id: 2,
    previousEventId: 1,
    type: 'TaskStateEntered',
    timestamp: '2026-01-01T10:00:00.010Z',
    stateEnteredEventDetails: { name: 'Run', input: '{"a":1}' },
  },
  {
    id: 3,
    previousEventId: 2,
    type: 'TaskScheduled',
    timestamp: '2026-01-01T10:00:00.020Z',
    taskScheduledEventDetails: { resourceType: 'ecs', resource: 'runTask.sync' },
  },
  {
    id: 4,
    previousEventId: 3,
    type: 'TaskFailed',
    timestamp: '2026-01-01T10:00:01.000Z',
    taskFailedEventDetails: { error: 'States.TaskFailed', cause: '{"ExitCode":1}' },
  },
  {
    id: 5,
    previousEventId: 4,
    type: 'TaskStateExited',
    timestamp: '2026-01-01T10:00:01.010Z',
    stateExitedEventDetails: { name: 'Run', output: '{"a":1,"error":{}}' },
  },
];

describe('run format', () => {
  it('prints one timestamped line per event with the error and cause', () => {
    assert.match(eventLine(events[1]!), /^\[\d\d:\d\d:00\.010\] #2 ▶ Run \(Task\)$/);
    assert.match(eventLine(events[2]!), /#3 TaskScheduled ecs:runTask\.sync$/);
    assert.match(eventLine(events[3]!), /#4 ✘ TaskFailed: States\.TaskFailed — \{"ExitCode":1\}$/);
  });

  it('builds the input/output document of the state visit an event belongs to', () => {
    const v = visitOf(events, events[2]!, 'Run');
    assert.ok(v);
    assert.deepEqual(visitDocument(v), {
      state: 'Run',
      type: 'Task',
      input: { a: 1 },
      output: { a: 1, error: {} },
      error: 'States.TaskFailed',
      cause: { ExitCode: 1 },
    });
  });

  it('shows a running state with a null output', () => {
    const v = visitOf(events.slice(0, 3), events[1]!, undefined);
    assert.deepEqual(visitDocument(v!), { state: 'Run', type: 'Task', input: { a: 1 }, output: null });
  });

  it('says how a finished run ended, how long it took, and the error of a failed one', () => {
    assert.equal(finishedMessage('report.asl.json', 'SUCCEEDED', 4210), 'report.asl.json: SUCCEEDED in 4.2 s');
    assert.equal(
      finishedMessage('report.asl.json', 'FAILED', 3100, 'States.TaskFailed'),
      'report.asl.json: FAILED in 3.1 s: States.TaskFailed',
    );
    assert.equal(
      finishedMessage('offline.asl.json (mock: HappyPath)', 'ABORTED', 340),
      'offline.asl.json (mock: HappyPath): ABORTED in 340 ms',
    );
  });

  it("says how many of a Map Run's items were processed and how many failed", () => {
    const m = { startedEventId: 4, mapRunArn: 'arn', status: 'RUNNING', pending: 3_700, running: 66 };
    const counts = { ...m, total: 5_000, succeeded: 1_231, failed: 2, timedOut: 1, aborted: 0 };
    assert.equal(mapRunText(counts), 'Map Run: 1,234/5,000 items, 3 failed');
    assert.equal(mapRunText({ ...counts, failed: 0, timedOut: 0 }), 'Map Run: 1,231/5,000 items');
  });

  it('formats durations', () => {
    assert.equal(duration(340), '340 ms');
    assert.equal(duration(1234), '1.2 s');
    assert.equal(duration(125_000), '2 min 5 s');
  });
});

describe('state visits in concurrent Map iterations', () => {
  it('pairs each exit with the entry of its own iteration (previousEventId chain)', () => {
    const ev = (id: number, prev: number, type: string, details: Record<string, unknown>) => ({
      id,
      previousEventId: prev,
      type,
      [type.endsWith('StateEntered')
        ? 'stateEnteredEventDetails'
        : type.endsWith('StateExited')
          ? 'stateExitedEventDetails'
          : 'x']: details,
    });
    const h = [
      ev(1, 0, 'MapIterationStarted', {}),
      ev(2, 1, 'TaskStateEntered', { name: 'Work', input: '"a"' }),
      ev(3, 0, 'MapIterationStarted', {}),
      ev(4, 3, 'TaskStateEntered', { name: 'Work', input: '"b"' }),
      ev(5, 2, 'TaskStateExited', { name: 'Work', output: '"A"' }),
      ev(6, 4, 'TaskStateExited', { name: 'Work', output: '"B"' }),
    ];
    assert.deepEqual(visitDocument(visitOf(h, h[4]!, 'Work')!), {
      state: 'Work',
      type: 'Task',
      input: 'a',
      output: 'A',
    });
    assert.deepEqual(visitDocument(visitOf(h, h[3]!, 'Work')!), {
      state: 'Work',
      type: 'Task',
      input: 'b',
      output: 'B',
    });
  });
});

describe('the warning before running a machine with errors', () => {
  it('lists the errors as the CLI, serve and the runner API do for the same machine', () => {
    const dir = path.join(import.meta.dirname, '../../asl/test/fixtures/validation');
    const analysis = analyze(fs.readFileSync(path.join(dir, 'invalid.asl.json'), 'utf8'), 'json');
    // what the language server publishes: a code with its documentation link, an LSP range
    const published = analysis.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({
        code: { value: d.code, target: `https://asl-workbench.dev/rules/${d.code}` },
        message: d.message,
        range: analysis.doc.rangeOf(d.offset, d.length),
      }));
    assert.equal(
      invalidMachineDetail(published),
      fs.readFileSync(path.join(dir, 'invalid.message.txt'), 'utf8').trimEnd(),
    );
  });
});
