/**
 * What `runExecution` accepts as a definition: an object, JSON text, YAML text or an asl/ model
 * run the same machine; text that is neither JSON nor YAML, or a definition that is not an
 * object, is refused; and a definition run many times (compiled once) still runs as it is at
 * each start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../asl/src/model';
import { parseDocument } from '../../asl/src/parse/index';
import { runExecution } from '../src/api';

const machine = {
  Comment: 'two Pass states',
  StartAt: 'First',
  States: {
    First: {
      Type: 'Pass',
      Parameters: { 'greeting.$': "States.Format('hello {}', $.name)" },
      ResultPath: '$.first',
      Next: 'Second',
    },
    Second: { Type: 'Pass', Result: { done: true }, ResultPath: '$.second', End: true },
  },
};

const yamlText = `
Comment: two Pass states
StartAt: First
States:
  First:
    Type: Pass
    Parameters:
      greeting.$: States.Format('hello {}', $.name)
    ResultPath: $.first
    Next: Second
  Second:
    Type: Pass
    Result:
      done: true
    ResultPath: $.second
    End: true
`;

const expectedOutput = { name: 'ada', first: { greeting: 'hello ada' }, second: { done: true } };
const expectedEvents = [
  'ExecutionStarted',
  'PassStateEntered',
  'PassStateExited',
  'PassStateEntered',
  'PassStateExited',
  'ExecutionSucceeded',
];

const run = (definition: Parameters<typeof runExecution>[0]['definition'], input: unknown = { name: 'ada' }) =>
  runExecution({ definition, input, timeScale: 0, drivers: [] });

describe('definitions', () => {
  it('runs the same machine from an object, JSON text, YAML text and a parsed model', async () => {
    const sources = {
      object: machine,
      json: JSON.stringify(machine, null, 2),
      yaml: yamlText,
      model: buildModel(parseDocument(yamlText, 'yaml')),
    };
    for (const [kind, definition] of Object.entries(sources)) {
      const r = await run(definition);
      assert.equal(r.status, 'SUCCEEDED', `${kind}: ${r.error}: ${r.cause}`);
      assert.deepEqual(r.output, expectedOutput, kind);
      assert.deepEqual(
        r.history.map((e) => e.type),
        expectedEvents,
        kind,
      );
    }
  });

  it('refuses text that is neither JSON nor YAML, naming the parse error and where it is', async () => {
    await assert.rejects(run('{"StartAt": "A", "States": {'), (e: Error) => {
      assert.match(
        e.message,
        /^States\.Runtime: The definition is neither JSON nor YAML: .+ \(JSON, line 1, column \d+\)$/,
      );
      return true;
    });
    await assert.rejects(
      run('StartAt: A\nStates: [unclosed'),
      /The definition is neither JSON nor YAML: .+ \(YAML, line \d+, column \d+\)/,
    );
  });

  it('refuses a definition that is not an object', async () => {
    await assert.rejects(run('[1, 2]'), /The definition must be a JSON object/);
    await assert.rejects(run([{ StartAt: 'A' }]), /The definition must be a JSON object/);
  });

  it('runs an object changed since its last run as it is now', async () => {
    const definition = structuredClone(machine);
    assert.deepEqual((await run(definition)).output, expectedOutput);
    definition.States.Second.Result = { done: false };
    definition.States.First.Parameters['greeting.$'] = "States.Format('bye {}', $.name)";
    const r = await run(definition);
    assert.deepEqual(r.output, { name: 'ada', first: { greeting: 'bye ada' }, second: { done: false } });
  });

  it('gives each execution its own copy of a Pass Result', async () => {
    const text = JSON.stringify(machine);
    const first = await run(text);
    (first.output as { second: { done: unknown } }).second.done = 'changed by the caller';
    assert.deepEqual((await run(text)).output, expectedOutput);
  });

  it('applies the run config substitutions of each run to the same definition text', async () => {
    const text = JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { region: '${Region}' }, End: true } },
    });
    const withRegion = (Region: string) =>
      runExecution({ definition: text, config: { substitutions: { Region } }, timeScale: 0, drivers: [] }).then(
        (r) => r.output,
      );
    assert.deepEqual(await withRegion('eu-west-1'), { region: 'eu-west-1' });
    assert.deepEqual(await withRegion('us-east-2'), { region: 'us-east-2' });
    assert.deepEqual((await run(text)).output, { region: '${Region}' });
  });
});
