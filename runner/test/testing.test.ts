/**
 * One test case run through the engine (runner/src/testing/runCase.ts): the path of the top
 * level, the runs of states inside Map iterations and Parallel branches, effective parameters
 * of JSONata Arguments, coverage hits with Catch and Choice exits told apart, and Task states
 * without a mock.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../asl/src/analyze';
import { transitionKey } from '../../asl/src/testing/coverage';
import { parseTestFile, type TestCase } from '../../asl/src/testing/testFile';
import { NOT_MOCKED_ERROR, runTestCase } from '../src/testing/runCase';

const machine = analyze(
  JSON.stringify({
    StartAt: 'Start',
    States: {
      Start: {
        Type: 'Task',
        Resource: 'arn:aws:states:::ecs:runTask.sync',
        QueryLanguage: 'JSONata',
        Arguments: {
          Cluster: 'c1',
          TaskDefinition: 'app',
          Overrides: { ContainerOverrides: [{ Name: 'app', Command: '{% $states.input.cmd %}' }] },
        },
        Output: '{% $states.input %}',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
        Next: 'Each',
      },
      Recover: { Type: 'Pass', Result: { recovered: true }, Next: 'Pick' },
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Item',
          States: {
            Item: {
              Type: 'Task',
              Resource: 'arn:aws:states:::ecs:runTask.sync',
              Parameters: { TaskDefinition: 'item' },
              End: true,
            },
          },
        },
        ResultPath: '$.mapped',
        Next: 'Pick',
      },
      Pick: { Type: 'Choice', Choices: [{ Variable: '$.recovered', IsPresent: true, Next: 'Done' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  }),
  'json',
);

function testCase(yaml: string): TestCase {
  const r = parseTestFile(`machine: m.asl.json\ncases:\n${yaml}`, 'yaml');
  assert.ok(r.ok, JSON.stringify(r));
  return r.file.cases[0]!;
}

const run = (tc: TestCase) => runTestCase(tc, { analysis: machine, stateMachineName: 'm' });

describe('running a test case', () => {
  it('checks the top-level path, a Map iteration by visit and JSONata Arguments', async () => {
    const out = await run(
      testCase(`  - name: happy
    input: { cmd: [go], items: [a, b] }
    mocks:
      Start: { Return: {} }
      Item: { "0": { Return: first }, "1": { Return: second } }
    expect:
      path: [Start, Each, Pick, Done]
      outputPaths: { $.mapped: [first, second] }
      states:
        Start: { parameters: { Cluster: c1, TaskDefinition: app, Overrides: { ContainerOverrides: [{ Name: app, Command: [go] }] } } }
        Item: { visit: 1, input: b, output: second }
`),
    );
    assert.deepEqual(out.mismatches, []);
    assert.equal(out.passed, true);
    assert.equal(out.observations.states.Item, 2);
    assert.equal(out.observations.transitions[transitionKey('Start', 'next', 'Each')], 1);
    assert.equal(out.observations.transitions[transitionKey('Pick', 'choice', 'Done')], 1);
  });

  it('records a caught failure as the Catch exit', async () => {
    const out = await run(
      testCase(`  - name: caught
    input: { cmd: [go], items: [] }
    mocks: { Start: { Throw: { Error: States.TaskFailed } } }
    expect: { path: [Start, Recover, Pick, Done] }
`),
    );
    assert.equal(out.passed, true, JSON.stringify(out.mismatches));
    assert.deepEqual(Object.keys(out.observations.transitions).sort(), [
      transitionKey('Pick', 'choice', 'Done'),
      transitionKey('Recover', 'next', 'Pick'),
      transitionKey('Start', 'catch', 'Recover'),
    ]);
  });

  it('fails a case whose Task state has no mock, without running it', async () => {
    const out = await run(
      testCase(`  - name: unmocked
    input: { cmd: [go], items: [x] }
    mocks: { Start: { Return: {} } }
    expect: { status: FAILED, error: ${NOT_MOCKED_ERROR} }
`),
    );
    assert.equal(out.passed, false);
    assert.deepEqual(out.mismatches, [
      { subject: 'states.Item', at: '', note: 'reached without a mock (add it under "mocks")' },
    ]);
    assert.match(out.cause ?? '', /The test case has no mock for the Task state 'Item'/);
  });

  it('says when a state ran fewer times than the visit asked for', async () => {
    const out = await run(
      testCase(`  - name: visits
    input: { cmd: [go], items: [x] }
    mocks: { Start: { Return: {} }, Item: { Return: 1 } }
    expect: { states: { Item: { visit: 3, output: 1 }, Recover: { input: {} } } }
`),
    );
    assert.deepEqual(
      out.mismatches.map((m) => `${m.subject}: ${m.note}`),
      ['states.Item: ran 1 time(s); visit 3 does not exist', 'states.Recover: did not run'],
    );
  });
});
