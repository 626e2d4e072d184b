/**
 * The debug adapter over real DAP (dist/debugAdapter.js driven by @vscode/debugadapter-
 * testsupport's DebugClient): breakpoints with conditions, hit counts and log messages,
 * stepping into a Map iteration and out again, the data of a paused state, expressions,
 * editing the input and running a state again, and stopping on an error by name.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEBUG_FIXTURES, lineOf, sessionPerTest } from './debug-helpers';

const ORDERS = path.join(DEBUG_FIXTURES, 'orders.asl.json');
const CHARGE = path.join(DEBUG_FIXTURES, 'charge.asl.json');
const FAN_OUT = path.join(DEBUG_FIXTURES, 'fan-out.asl.json');
const INPUT = { items: [{ n: 1 }, { n: 2 }, { n: 3 }], label: 'batch' };

const start = sessionPerTest();

describe('debug adapter', () => {
  it('stops at a breakpoint on any line of a state and shows its input, pipeline and context', async () => {
    const s = await start();
    const [bp] = await s.launch(
      { program: ORDERS, input: INPUT },
      { breakpoints: [{ line: lineOf(ORDERS, '"label.$": "$.label"') }] },
    );
    assert.equal(bp?.verified, true);
    assert.equal(bp?.line, lineOf(ORDERS, '"Prepare": {'), 'the breakpoint moves to the state it is in');
    const stop = await s.nextStop();
    assert.equal(stop.reason, 'breakpoint');
    const [top] = await s.frames(stop.threadId!);
    assert.equal(top?.name, 'Prepare');
    assert.equal(top?.line, lineOf(ORDERS, '"Prepare": {'));
    assert.equal(top?.source?.path, ORDERS);
    const input = await s.scope(top!.id, 'Input');
    assert.equal(input.get('items')?.value, JSON.stringify(INPUT.items));
    const pipeline = await s.scope(top!.id, 'Pipeline');
    assert.deepEqual(JSON.parse(pipeline.get('Parameters')!.value), { items: INPUT.items, label: 'batch' });
    const context = await s.scope(top!.id, 'Context');
    const state = await s.children(context.get('State')!.variablesReference);
    assert.equal(state.get('Name')?.value, '"Prepare"');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED/);
  });

  it('refuses to launch a machine with errors, listing them, and ends the session', async () => {
    const s = await start();
    await assert.rejects(
      s.launch({ program: path.join(DEBUG_FIXTURES, 'invalid.asl.json') }),
      /invalid\.asl\.json has errors; fix them to debug it\.[\s\S]*ASL107 The value of 'StartAt' must be the name of an existing state/,
    );
    await s.ended();
  });

  it('runs with the run config object and machine type the launch carries', async () => {
    const s = await start();
    await s.launch({
      program: path.join(DEBUG_FIXTURES, 'placeholders.asl.json'),
      runConfig: { substitutions: { Region: 'eu-west-3' } },
    });
    assert.match(await s.ended(), /Execution SUCCEEDED .*output \{"region":"eu-west-3"\}/);
    await s.close();
    const express = await start();
    await assert.rejects(
      express.launch({ program: CHARGE, machineType: 'EXPRESS', testCase: null }),
      /charge\.asl\.json has errors; fix them to debug it\.[\s\S]*Express/,
    );
  });

  it('stops in the Map iteration whose input meets the breakpoint condition', async () => {
    const s = await start();
    await s.launch(
      { program: ORDERS, input: INPUT },
      { breakpoints: [{ line: lineOf(ORDERS, '"Double": {'), condition: '$.n == 2' }] },
    );
    const stop = await s.nextStop();
    const threads = (await s.dc.threadsRequest()).body.threads;
    assert.equal(threads.find((t) => t.id === stop.threadId)?.name, 'Each[1]');
    const [top, parent] = await s.frames(stop.threadId!);
    assert.equal(top?.name, 'Double');
    assert.equal(parent?.name, 'Each (running)');
    assert.equal((await s.scope(top!.id, 'Input')).get('n')?.value, '2');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED/);
    assert.equal(s.stops.length, 1, 'the other iterations do not meet the condition');
  });

  it('stops from the hit count on and logs logpoint messages without stopping', async () => {
    const s = await start();
    const line = lineOf(ORDERS, '"Double": {');
    await s.launch(
      { program: ORDERS, input: INPUT },
      {
        breakpoints: [
          { line, hitCondition: '3' },
          { line: line + 1, logMessage: 'doubling {$.n} in {$$.Map.Item.Index}' },
        ],
      },
    );
    const stop = await s.nextStop();
    const [top] = await s.frames(stop.threadId!);
    assert.equal((await s.scope(top!.id, 'Input')).get('n')?.value, '3', 'the third iteration');
    assert.deepEqual(s.output.match(/^doubling .*$/gm), ['doubling 1 in 0', 'doubling 2 in 1', 'doubling 3 in 2']);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.ended();
  });

  it('steps into a Map iteration, which is a thread while it runs, and out to the next state', async () => {
    const s = await start();
    await s.launch({ program: ORDERS, input: INPUT }, { breakpoints: [{ line: lineOf(ORDERS, '"Each": {') }] });
    const atMap = await s.nextStop();
    assert.equal((await s.frames(atMap.threadId!))[0]?.name, 'Each');
    await s.dc.stepInRequest({ threadId: atMap.threadId! });
    const inside = await s.nextStop();
    assert.equal(inside.reason, 'step');
    assert.notEqual(inside.threadId, atMap.threadId);
    assert.deepEqual(
      (await s.frames(inside.threadId!)).map((f) => f.name),
      ['Double', 'Each (running)'],
    );
    assert.ok(s.threadEvents.some((e) => e.reason === 'started' && e.threadId === inside.threadId));
    await s.dc.stepOutRequest({ threadId: inside.threadId! });
    const after = await s.nextStop();
    assert.equal(after.threadId, atMap.threadId);
    assert.equal((await s.frames(after.threadId!))[0]?.name, 'Route');
    assert.ok(s.threadEvents.some((e) => e.reason === 'exited' && e.threadId === inside.threadId));
    const results = await s.scope((await s.frames(after.threadId!))[0]!.id, 'Input');
    assert.equal(results.get('results')?.value, '[{"n":1,"doubled":2},{"n":2,"doubled":4},{"n":3,"doubled":6}]');
    await s.dc.nextRequest({ threadId: after.threadId! });
    const done = await s.nextStop();
    assert.equal((await s.frames(done.threadId!))[0]?.name, 'Done');
    await s.dc.continueRequest({ threadId: done.threadId! });
    await s.ended();
  });

  it('steps into a Parallel branch, a thread named after the branch', async () => {
    const s = await start();
    await s.launch({ program: FAN_OUT, stopOnEntry: true });
    const entry = await s.nextStop();
    assert.equal(entry.reason, 'entry');
    await s.dc.stepInRequest({ threadId: entry.threadId! });
    const inside = await s.nextStop();
    const thread = (await s.dc.threadsRequest()).body.threads.find((t) => t.id === inside.threadId);
    const [top, parent] = await s.frames(inside.threadId!);
    assert.deepEqual(
      [thread?.name, top?.name, parent?.name],
      thread?.name === 'Fan out branch 1'
        ? ['Fan out branch 1', 'Left', 'Fan out (running)']
        : ['Fan out branch 2', 'Right', 'Fan out (running)'],
    );
    await s.dc.continueRequest({ threadId: inside.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED .*output \["left","right"\]/);
  });

  it('evaluates JSONPath, intrinsic functions and JSONata against the paused state', async () => {
    const s = await start();
    await s.launch(
      { program: ORDERS, input: INPUT },
      { breakpoints: [{ line: lineOf(ORDERS, '"Double": {'), condition: '$states.input.n = 2' }] },
    );
    const stop = await s.nextStop();
    const [top] = await s.frames(stop.threadId!);
    const id = top!.id;
    assert.equal(await s.evaluate('$.n', id), '2');
    assert.equal(await s.evaluate('$$.Map.Item.Index', id), '1');
    assert.equal(await s.evaluate("States.Format('item {}', $.n)", id), '"item 2"');
    assert.equal(await s.evaluate('$states.input.n * 10', id), '20');
    assert.equal(await s.evaluate('{% $states.context.State.Name %}', id), '"Double"');
    await assert.rejects(s.evaluate('$.missing', id), /selects nothing/);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.ended();
  });

  it('edits the input of a state that failed and runs it again', async () => {
    const s = await start();
    await s.launch(
      { program: ORDERS, input: { items: [], label: 'other' } },
      { exceptions: { filters: ['States.ALL'] } },
    );
    const stop = await s.nextStop();
    assert.equal(stop.reason, 'exception');
    assert.equal(stop.description, 'States.NoChoiceMatched');
    assert.equal(stop.threadId, 1);
    const [route] = await s.frames(stop.threadId!);
    assert.equal(route?.name, 'Route (failed: States.NoChoiceMatched)');
    assert.equal(route?.canRestart, true);
    const inputRef = (await s.dc.scopesRequest({ frameId: route!.id })).body.scopes.find((x) => x.name === 'Input')!;
    await s.dc.setVariableRequest({ variablesReference: inputRef.variablesReference, name: 'label', value: '"batch"' });
    await s.dc.restartFrameRequest({ frameId: route!.id });
    const again = await s.nextStop();
    assert.equal(again.reason, 'restart');
    const [rerun] = await s.frames(again.threadId!);
    assert.equal(rerun?.name, 'Route');
    assert.equal((await s.scope(rerun!.id, 'Input')).get('label')?.value, '"batch"');
    await s.dc.continueRequest({ threadId: again.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED/);
  });

  it('stops when a task fails with States.TaskFailed before its Catch takes the error', async () => {
    const s = await start();
    await s.launch(
      {
        program: CHARGE,
        input: { order: 'o-1' },
        mockConfig: path.join(DEBUG_FIXTURES, 'charge.mock-config.json'),
        testCase: 'Declined',
      },
      { exceptions: { filters: ['States.TaskFailed'] } },
    );
    const stop = await s.nextStop();
    assert.equal(stop.reason, 'exception');
    assert.equal(stop.description, 'States.TaskFailed');
    assert.equal(stop.text, 'card declined');
    const info = (await s.dc.exceptionInfoRequest({ threadId: stop.threadId! })).body;
    assert.equal(info.exceptionId, 'States.TaskFailed');
    const [top] = await s.frames(stop.threadId!);
    const pipeline = await s.scope(top!.id, 'Pipeline');
    const params = JSON.parse(pipeline.get('Parameters')!.value) as { Overrides: unknown };
    assert.deepEqual(params.Overrides, {
      ContainerOverrides: [{ Name: 'app', Environment: [{ Name: 'ORDER', Value: 'o-1' }] }],
    });
    const error = await s.scope(top!.id, 'Error');
    assert.equal(error.get('Cause')?.value, '"card declined"');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    assert.match(
      await s.ended(),
      /Execution SUCCEEDED .*"error":\{"Error":"States\.TaskFailed","Cause":"card declined"\}/,
      'the Catch took the error after the stop',
    );
  });
});
