/**
 * Which `.waitForTaskToken` tasks of an execution wait for a callback, and where their token
 * is (client/src/aws/waiting.ts), on AWS-shaped history events.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findState, tokenOf, tokenPaths, WaitingTasks } from '../src/aws/waiting';
import type { EventLike } from '../src/run/overlay';

const root = path.resolve(import.meta.dirname, '..', '..');
const callbackWorkflow = JSON.parse(
  fs.readFileSync(path.join(root, 'examples/callback-workflow/state-machine.asl.json'), 'utf8'),
) as unknown;

/** The events of one task state: entered, scheduled (with parameters), then `after`. */
function task(first: number, state: string, resource: string, parameters: object, after: string[]): EventLike[] {
  const events: EventLike[] = [
    { id: first, previousEventId: first - 1, type: 'TaskStateEntered', stateEnteredEventDetails: { name: state } },
    {
      id: first + 1,
      previousEventId: first,
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType: 'sqs', resource, parameters: JSON.stringify(parameters) },
    },
  ];
  after.forEach((type, i) => events.push({ id: first + 2 + i, previousEventId: first + 1 + i, type }));
  return events;
}

describe('waiting tasks and their tokens', () => {
  it('finds the token where a JSONata machine puts it inside an array (examples/callback-workflow)', () => {
    const state = findState(callbackWorkflow, 'Request review');
    assert.deepEqual(tokenPaths(state), [['Overrides', 'ContainerOverrides', 0, 'Environment', 0, 'Value']]);
    const t = tokenOf(
      {
        eventId: 3,
        state: 'Request review',
        resourceType: 'ecs',
        resource: 'runTask.waitForTaskToken',
        parameters: JSON.stringify({ Overrides: { ContainerOverrides: [{ Environment: [{ Value: 'tok-1' }] }] } }),
      },
      callbackWorkflow,
    );
    assert.equal(t, 'tok-1');
  });

  it('finds a JSONPath state inside a Map processor and a Parallel branch', () => {
    const machine = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'M',
              States: {
                M: {
                  Type: 'Map',
                  ItemProcessor: {
                    StartAt: 'Ask',
                    States: { Ask: { Type: 'Task', Parameters: { Body: { 'token.$': '$$.Task.Token' } } } },
                  },
                },
              },
            },
          ],
        },
      },
    };
    assert.deepEqual(tokenPaths(findState(machine, 'Ask')), [['Body', 'token']]);
  });

  it('lists a .waitForTaskToken task until its end event, and no other task', () => {
    const w = new WaitingTasks();
    const params = { MessageBody: { token: 't' } };
    w.apply(task(2, 'Ask', 'sendMessage.waitForTaskToken', params, ['TaskStarted', 'TaskSubmitted']));
    w.apply(task(10, 'Plain', 'sendMessage', params, ['TaskStarted']));
    assert.deepEqual(
      w.list().map((t) => [t.state, t.eventId, t.resource]),
      [['Ask', 3, 'sendMessage.waitForTaskToken']],
    );
    w.apply([{ id: 6, previousEventId: 5, type: 'TaskSucceeded' }]);
    assert.deepEqual(w.list(), []);
  });

  it('forgets every waiting task when the execution ends', () => {
    const w = new WaitingTasks();
    w.apply(task(2, 'Ask', 'sendMessage.waitForTaskToken', {}, []));
    assert.equal(w.list().length, 1);
    w.apply([{ id: 4, previousEventId: 3, type: 'ExecutionAborted' }]);
    assert.deepEqual(w.list(), []);
  });
});
