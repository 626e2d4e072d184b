/**
 * Saving a recorded execution as a test case (asl/src/testing/fromExecution.ts): the mocks are
 * the tasks' recorded answers per invocation (failed attempts as Throw), the expectations the
 * observed status, output or error, and top-level path; the case is added to a test file
 * keeping its comments.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addCase, caseFromExecution, type RecordedEvent } from '../src/testing/fromExecution';
import { parseTestFile } from '../src/testing/testFile';

/** Builds events chained one after the other (a branch when `after` is given). */
function history(...specs: [type: string, details?: Record<string, unknown>, after?: number][]): RecordedEvent[] {
  return specs.map(([type, d, after], i) => {
    const e: RecordedEvent = { id: i + 1, previousEventId: after ?? i, type };
    if (d) {
      const key = type.endsWith('StateEntered')
        ? 'stateEnteredEventDetails'
        : type.endsWith('StateExited')
          ? 'stateExitedEventDetails'
          : type[0]!.toLowerCase() + type.slice(1) + 'EventDetails';
      e[key] = d;
    }
    return e;
  });
}

const ecs = { resourceType: 'ecs', resource: 'runTask.sync' };

// Build is retried once, Ok? (a Choice) picks Deploy, Deploy's failure is caught into Broken.
const TOP = new Set(['Build', 'Ok?', 'Deploy', 'Broken']);
const failedRun = {
  input: { app: 'web' },
  status: 'FAILED',
  error: 'Deploy.Failed',
  cause: 'the deployment did not finish',
  events: history(
    ['ExecutionStarted', { input: '{"app":"web"}' }],
    ['TaskStateEntered', { name: 'Build', input: '{"app":"web"}' }],
    ['TaskScheduled', { ...ecs, parameters: '{}' }],
    ['TaskStarted', ecs],
    ['TaskFailed', { ...ecs, error: 'ECS.AmazonECSException', cause: 'capacity' }],
    ['TaskScheduled', { ...ecs, parameters: '{}' }],
    ['TaskStarted', ecs],
    ['TaskSucceeded', { ...ecs, output: '{"Containers":[{"ExitCode":0}]}' }],
    ['TaskStateExited', { name: 'Build', output: '{}' }],
    ['ChoiceStateEntered', { name: 'Ok?', input: '{}' }],
    ['ChoiceStateExited', { name: 'Ok?', output: '{}' }],
    ['TaskStateEntered', { name: 'Deploy', input: '{}' }],
    ['TaskScheduled', { ...ecs, parameters: '{}' }],
    ['TaskStarted', ecs],
    ['TaskFailed', { ...ecs, error: 'States.TaskFailed', cause: 'exit 1' }],
    ['TaskStateExited', { name: 'Deploy', output: '{}' }],
    ['FailStateEntered', { name: 'Broken', input: '{}' }],
    ['ExecutionFailed', { error: 'Deploy.Failed', cause: 'the deployment did not finish' }],
  ),
};

function generated(name: string, run: Parameters<typeof caseFromExecution>[1], top = TOP): Record<string, unknown> {
  const c = caseFromExecution(name, run, top);
  assert.ok(c.ok, JSON.stringify(c));
  return c.value;
}

describe('saving an execution as a test case', () => {
  it('writes a new YAML test file with the recorded answers, error and path', () => {
    const r = addCase(undefined, 'yaml', generated('deploy fails after a retried build', failedRun), {
      path: 'pipeline.asl.json',
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(
      r.value.text,
      `machine: pipeline.asl.json
cases:
  - name: deploy fails after a retried build
    input: { app: web }
    mocks:
      Build:
        "0":
          Throw: { Error: ECS.AmazonECSException, Cause: capacity }
        "1": { Return: { Containers: [ { ExitCode: 0 } ] } }
      Deploy:
        "0": { Throw: { Error: States.TaskFailed, Cause: exit 1 } }
    expect:
      status: FAILED
      error: Deploy.Failed
      cause: the deployment did not finish
      path: [ Build, Ok?, Deploy, Broken ]
`,
    );
    assert.equal(r.value.line, 2);
  });

  it('expects the exact output of a succeeded run and merges equal answers into a range', () => {
    const ok = { ...ecs, output: '{"ok":true}' };
    const run = {
      input: {},
      status: 'SUCCEEDED',
      output: { done: [1, 2] },
      events: history(
        ['ExecutionStarted', { input: '{}' }],
        ['TaskStateEntered', { name: 'Poll', input: '{}' }],
        ['TaskScheduled', ecs],
        ['TaskSucceeded', ok],
        ['TaskStateExited', { name: 'Poll', output: '{}' }],
        ['TaskStateEntered', { name: 'Poll', input: '{}' }],
        ['TaskScheduled', ecs],
        ['TaskSucceeded', ok],
        ['TaskStateExited', { name: 'Poll', output: '{}' }],
        ['SucceedStateEntered', { name: 'Done', input: '{}' }],
        ['SucceedStateExited', { name: 'Done', output: '{}' }],
        ['ExecutionSucceeded', { output: '{"done":[1,2]}' }],
      ),
    };
    assert.deepEqual(generated('polls twice', run, new Set(['Poll', 'Done'])), {
      name: 'polls twice',
      input: {},
      mocks: { Poll: { '0-1': { Return: { ok: true } } } },
      expect: { status: 'SUCCEEDED', output: { done: [1, 2] }, path: ['Poll', 'Poll', 'Done'] },
    });
  });

  it('keeps interleaved Parallel branches apart and leaves inner states out of the path', () => {
    const run = {
      input: {},
      status: 'SUCCEEDED',
      output: [{}, {}],
      events: history(
        ['ExecutionStarted', { input: '{}' }],
        ['ParallelStateEntered', { name: 'Both', input: '{}' }],
        ['ParallelStateStarted'],
        ['TaskStateEntered', { name: 'A', input: '{}' }, 3],
        ['TaskStateEntered', { name: 'B', input: '{}' }, 3],
        ['TaskScheduled', ecs, 4],
        ['TaskScheduled', ecs, 5],
        ['TaskFailed', { ...ecs, error: 'B.Broke' }, 7],
        ['TaskSucceeded', { ...ecs, output: '"a"' }, 6],
      ),
    };
    const tc = generated('branches', run, new Set(['Both']));
    assert.deepEqual(tc.mocks, { A: { '0': { Return: 'a' } }, B: { '0': { Throw: { Error: 'B.Broke' } } } });
    assert.deepEqual((tc.expect as { path: string[] }).path, ['Both']);
  });

  it('adds the case to an existing YAML file, keeping its comments', () => {
    const before = `# pipeline tests
machine: pipeline.asl.json # the machine
cases:
  # the happy path
  - name: builds
    mocks: { Build: { Return: {} } }
`;
    const r = addCase(before, 'yaml', generated('retried', failedRun), { path: 'ignored.asl.json' });
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(r.value.text.startsWith(before), r.value.text);
    assert.ok(r.value.text.slice(before.length).startsWith('  - name: retried\n'), r.value.text);
    assert.equal(r.value.line, 6);
    const parsed = parseTestFile(r.value.text, 'yaml');
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.file.cases.map((c) => c.name),
      ['builds', 'retried'],
    );
  });

  it('adds the case to a JSON test file', () => {
    const before = JSON.stringify({ machine: 'm.asl.json', cases: [{ name: 'one' }] });
    const r = addCase(before, 'json', generated('two', failedRun), { path: 'm.asl.json' });
    assert.ok(r.ok, JSON.stringify(r));
    const parsed = parseTestFile(r.value.text, 'json');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.file.cases[1]!.expect.path, ['Build', 'Ok?', 'Deploy', 'Broken']);
    assert.equal(r.value.text.split('\n')[r.value.line], '    {');
  });

  it('names the machine of a template by its logical id in a new file', () => {
    const r = addCase(undefined, 'yaml', generated('t', failedRun), { path: 'template.yaml', logicalId: 'Flow' });
    assert.ok(r.ok);
    assert.ok(r.value.text.startsWith('machine:\n  path: template.yaml\n  logicalId: Flow\ncases:\n'), r.value.text);
  });

  it('refuses a taken case name, an invalid test file and a stopped run', () => {
    const file = 'machine: m.asl.json\ncases:\n  - name: retried\n';
    const dup = addCase(file, 'yaml', generated('retried', failedRun), { path: 'm.asl.json' });
    assert.deepEqual(dup, { ok: false, error: 'The test file already has a case named "retried".' });
    const bad = addCase('machine: m.asl.json\n', 'yaml', generated('x', failedRun), { path: 'm.asl.json' });
    assert.deepEqual(bad, {
      ok: false,
      error: 'The test file has problems; fix them first: "cases" must be a non-empty list of test cases.',
    });
    assert.deepEqual(caseFromExecution('x', { ...failedRun, status: 'ABORTED' }, TOP), {
      ok: false,
      error: 'The execution was stopped; a stopped run cannot be replayed as a test case.',
    });
  });
});
