/**
 * Compare Local and AWS Runs (client/src/aws/compareText.ts): histories recorded by the real
 * engine render as texts that differ only where the behaviour differs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runExecution } from '../../runner/src/api';
import { normalizedRunText } from '../src/aws/compareText';
import type { EventLike } from '../src/run/overlay';

const machine = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'compare', 'route.asl.json'), 'utf8');
const INPUT = { items: [1, 2], route: 'ship' };

async function recorded(name: string): Promise<EventLike[]> {
  const events: EventLike[] = [];
  const result = await runExecution({
    definition: machine,
    stateMachineName: 'route',
    name,
    input: INPUT,
    timeScale: 0,
    drivers: [],
    // plain copies, as the Executions view holds them
    onEvent: (e) => events.push(JSON.parse(JSON.stringify(e))),
  });
  assert.equal(result.status, 'SUCCEEDED');
  return events;
}

/**
 * The history as Step Functions interleaves concurrent iterations: iteration 1 starts right
 * after iteration 0 started; ids renumbered, previousEventId kept pointing at the same event.
 */
function interleaved(events: EventLike[]): EventLike[] {
  const started = events.filter((e) => e.type === 'MapIterationStarted');
  assert.equal(started.length, 2);
  const moved = events.filter((e) => e.id === started[1]!.id || e.previousEventId === started[1]!.id);
  const rest = events.filter((e) => !moved.includes(e));
  rest.splice(rest.indexOf(started[0]!) + 1, 0, ...moved);
  const newId = new Map(rest.map((e, i) => [e.id, i + 101]));
  return rest.map((e) => ({ ...e, id: newId.get(e.id)!, previousEventId: newId.get(e.previousEventId) ?? 0 }));
}

function stateEvents(events: EventLike[], name: string): EventLike[] {
  return events.filter((e) => {
    const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string } | undefined;
    return d?.name === name;
  });
}

describe('compare local and AWS runs', () => {
  it('renders the same behaviour as the same text, whatever the ids, iteration order, ARNs and timestamps', async () => {
    const local = await recorded('local-run');
    const aws = interleaved(await recorded('cloud-run'));
    const text = normalizedRunText(local);
    assert.equal(normalizedRunText(aws), text);
    assert.match(text, /^Each \(Map\)\n {2}input:/m);
    assert.match(text, /^ {2}iteration 0\n {4}Double \(Pass\)\n {6}input: 1\n {6}output:\n {8}\{\n {10}"v": 1/m);
    assert.match(text, /^ {2}iteration 1\n {4}Double \(Pass\)\n {6}input: 2/m);
    assert.match(text, /^Ship \(Pass\)$/m);
    assert.match(text, /"execution": "<states ARN>"/);
    assert.match(text, /"at": "<timestamp>"/);
    assert.match(text, /^execution SUCCEEDED$/m);
  });

  it('shows a different state output and a different path as exactly those lines', async () => {
    const local = await recorded('local-run');
    const aws = interleaved(await recorded('cloud-run'));
    // iteration 1 of the cloud run returned another value, and the Choice went to Hold
    const secondDouble = stateEvents(aws, 'Double').filter((e) => e.type === 'PassStateExited')[1]!;
    (secondDouble.stateExitedEventDetails as { output: string }).output = '{"v":20}';
    for (const e of stateEvents(aws, 'Ship'))
      ((e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name: string }).name = 'Hold';

    const a = normalizedRunText(local).split('\n');
    const b = normalizedRunText(aws).split('\n');
    assert.equal(a.length, b.length);
    const differing = a.flatMap((line, i) => (line === b[i] ? [] : [[line.trim(), b[i]!.trim()]]));
    assert.deepEqual(differing, [
      ['"v": 2', '"v": 20'],
      ['Ship (Pass)', 'Hold (Pass)'],
    ]);
  });

  it('masks the times and generated ids of a task result, keeping the rest of it', () => {
    const result = {
      CreatedAt: 1796220931629,
      ImageDigest: 'sha256:cffe25a007a2c1b3c9a0c6f1b2e4d1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4',
      ExitCode: 0,
      LastStatus: 'STOPPED',
    };
    const events: EventLike[] = [
      { id: 1, previousEventId: 0, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } },
      { id: 2, previousEventId: 1, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run', input: '{}' } },
      {
        id: 3,
        previousEventId: 2,
        type: 'TaskStateExited',
        stateExitedEventDetails: { name: 'Run', output: JSON.stringify(result) },
      },
    ];
    assert.match(
      normalizedRunText(events),
      /"CreatedAt": "<timestamp>",\n\s+"ExitCode": 0,\n\s+"ImageDigest": "sha256:<id>",\n\s+"LastStatus": "STOPPED"/,
    );
  });

  it('shows where an execution failed: the state, its error and cause, and the execution status', () => {
    const events: EventLike[] = [
      { id: 1, previousEventId: 0, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{}' } },
      { id: 2, previousEventId: 1, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run', input: '{}' } },
      { id: 3, previousEventId: 2, type: 'TaskScheduled', taskScheduledEventDetails: { resource: 'runTask.sync' } },
      {
        id: 4,
        previousEventId: 3,
        type: 'TaskFailed',
        taskFailedEventDetails: {
          error: 'States.TaskFailed',
          cause: 'task arn:aws:ecs:us-east-1:123456789012:task/x/1 stopped',
        },
      },
      {
        id: 5,
        previousEventId: 4,
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'stopped' },
      },
    ];
    assert.equal(
      normalizedRunText(events),
      [
        'execution input: {}',
        'Run (Task)',
        '  input: {}',
        '  TaskFailed, error States.TaskFailed, cause task <ecs ARN> stopped',
        '  (not exited)',
        'execution FAILED',
        '  ExecutionFailed, error States.TaskFailed, cause stopped',
        '',
      ].join('\n'),
    );
  });
});
