/**
 * Run Locally overlay (client/src/run/overlay.ts): histories recorded by the real engine with
 * mocks are turned into the graph overlay — statuses and Map/Parallel counters.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../../asl/src/parse/index';
import { buildModel } from '../../asl/src/model';
import { buildGraph } from '../../asl/src/graph/build';
import { runExecution } from '../../runner/src/api';
import { OverlayTracker } from '../src/run/overlay';

const dir = path.join(import.meta.dirname, 'fixtures', 'run');

async function overlayOf(name: string, stopWhen?: (type: string) => boolean) {
  const text = fs.readFileSync(path.join(dir, `${name}.asl.json`), 'utf8');
  const graph = buildGraph(buildModel(parseDocument(text, 'json')));
  const mockFile = path.join(dir, `${name}.mock-config.json`);
  const tracker = new OverlayTracker(graph.nodes);
  const controller = new AbortController();
  const result = await runExecution({
    definition: text,
    stateMachineName: name,
    timeScale: 0,
    mockConfig: fs.existsSync(mockFile) ? JSON.parse(fs.readFileSync(mockFile, 'utf8')) : undefined,
    drivers: [],
    signal: controller.signal,
    onEvent: (e) => {
      // IPC gives the UI plain copies; so does this
      tracker.apply(JSON.parse(JSON.stringify(e)));
      if (stopWhen?.(e.type)) controller.abort();
    },
  });
  return { result, overlay: tracker.overlay().states, tracker };
}

describe('run overlay', () => {
  it('colours every state of a recorded history: succeeded, retried, caught, failed, Map and Parallel counters', async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'overlay-all.expected.json'), 'utf8'));
    const { result, overlay } = await overlayOf('overlay-all');
    assert.equal(result.status, expected.status);
    assert.deepEqual(overlay, expected.overlay);
  });

  it('marks the running state aborted when the execution is stopped', async () => {
    const { result, overlay } = await overlayOf('overlay-wait', (t) => t === 'WaitStateEntered');
    assert.equal(result.status, 'ABORTED');
    assert.equal(overlay['Before'].status, 'succeeded');
    assert.equal(overlay['Hold'].status, 'aborted');
    assert.equal(overlay['After'].status, 'notStarted');
  });

  it('uses state names as ids when no graph is given, and attributes task events to their state', () => {
    const t = new OverlayTracker();
    t.apply({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    t.apply({ id: 2, previousEventId: 1, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run' } });
    t.apply({ id: 3, previousEventId: 2, type: 'TaskScheduled', taskScheduledEventDetails: {} });
    assert.equal(t.stateOf({ id: 3, previousEventId: 2, type: 'TaskScheduled' }), 'Run');
    assert.deepEqual(t.overlay(4), { version: 4, states: { Run: { status: 'running' } } });
    t.apply({ id: 4, previousEventId: 3, type: 'TaskFailed', taskFailedEventDetails: { error: 'States.TaskFailed' } });
    t.apply({
      id: 5,
      previousEventId: 4,
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.TaskFailed' },
    });
    assert.equal(t.overlay().states['Run']!.status, 'failed');
  });
});
