/**
 * Unit tests of rule helpers and of the rules whose inputs are generated rather than stored
 * as fixtures (payload and definition size limits would need megabyte-sized files).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../src/analyze';
import { INTERNAL_ERROR_CODE, ruleCatalog, ruleHref, validateModel } from '../src/rules';
import { didYouMean, editDistance } from '../src/rules/util';

function codesOf(
  text: string,
  format: 'json' | 'yaml' = 'json',
  machineType: 'STANDARD' | 'EXPRESS' = 'STANDARD',
): string[] {
  return validateModel(analyze(text, format).model, { machineType }).map((d) => d.code);
}

describe('didYouMean', () => {
  it('puts case slips first', () => {
    assert.deepEqual(didYouMean('cluster', ['Cluster', 'Count', 'Group']), ['Cluster']);
    assert.equal(didYouMean('taskDefinition', ['TaskDefinition', 'Tags'])[0], 'TaskDefinition');
  });
  it('finds near misses, transpositions and long shared prefixes', () => {
    assert.equal(didYouMean('ContainerOverride', ['ContainerOverrides', 'Cpu'])[0], 'ContainerOverrides');
    assert.equal(didYouMean('Taks', ['Task', 'Pass'])[0], 'Task');
    assert.equal(didYouMean('NetworkConfig', ['NetworkConfiguration', 'Group'])[0], 'NetworkConfiguration');
  });
  it('suggests nothing for unrelated names', () => {
    assert.deepEqual(didYouMean('Banana', ['Cluster', 'Count']), []);
  });
  it('computes edit distances', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('ab', 'ba'), 1);
  });
});

describe('size limits (generated inputs)', () => {
  it('ASL601: a static Result over 256 KiB', () => {
    const big = 'x'.repeat(270_000);
    const text = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { blob: big }, End: true } } });
    assert.ok(codesOf(text).includes('ASL601'));
  });
  it('ASL601 is silent for a payload just under the limit', () => {
    const text = JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { blob: 'x'.repeat(200_000) }, End: true } },
    });
    assert.ok(!codesOf(text).includes('ASL601'));
  });
  it('ASL602: a definition over 1 MB', () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 6000; i++)
      states[`S${i}`] = {
        Type: 'Pass',
        Comment: 'c'.repeat(160),
        ...(i < 5999 ? { Next: `S${i + 1}` } : { End: true }),
      };
    const text = JSON.stringify({ StartAt: 'S0', States: states });
    assert.ok(text.length > 1_048_576);
    assert.deepEqual(codesOf(text), ['ASL602']);
  });
});

describe('registry', () => {
  it('every code has a severity, a title and a docs link', () => {
    for (const [code, info] of ruleCatalog()) {
      assert.match(code, /^(ASL|ECS|EKS)\d{3}$/);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(info.severity), code);
      assert.ok(info.title.length > 5, code);
      assert.equal(ruleHref(code), `https://asl-workbench.dev/rules/${code}`);
    }
  });
  it('never throws and never reports an internal error on odd inputs', () => {
    const inputs = [
      '',
      'null',
      '[]',
      '"x"',
      '{}',
      '{"States": 5}',
      '{"StartAt": 1, "States": {"A": 5}}',
      '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask","Parameters":[]}}}',
      'a: [',
      '- 1',
    ];
    for (const t of inputs) {
      for (const f of ['json', 'yaml'] as const) assert.ok(!codesOf(t, f).includes(INTERNAL_ERROR_CODE), `${f}: ${t}`);
    }
  });
  it('EXPRESS flags .waitForTaskToken; STANDARD does not', () => {
    const text = JSON.stringify({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
          Parameters: { TaskDefinition: 'td', 'Group.$': '$$.Task.Token' },
          TimeoutSeconds: 60,
          End: true,
        },
      },
    });
    assert.ok(codesOf(text, 'json', 'EXPRESS').includes('ASL403'));
    assert.ok(!codesOf(text, 'json', 'STANDARD').includes('ASL403'));
  });
});
