import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatesError } from '../src/types';
import { applyResultPath, evaluatePayloadTemplate, selectPath } from '../src/paths/index';
import { testHost } from './pathsTestHost';

interface Step {
  name: string;
  fn: 'selectPath' | 'evaluatePayloadTemplate' | 'applyResultPath';
  data: unknown;
  context?: unknown;
  variables?: Record<string, unknown>;
  path?: string | null;
  template?: unknown;
  resultPath?: string | null;
  result?: unknown;
  expected?: unknown;
  error?: string;
  cause?: string;
}

const { steps } = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'paths', 'walkthrough.json'), 'utf8')) as {
  steps: Step[];
};
const host = testHost();

function runStep(s: Step): unknown {
  const scope = { input: s.data, context: s.context ?? {}, variables: s.variables };
  switch (s.fn) {
    case 'selectPath':
      return selectPath(s.data, s.path, scope);
    case 'evaluatePayloadTemplate':
      return evaluatePayloadTemplate(s.template, scope, host);
    case 'applyResultPath':
      // `resultPath` absent in the fixture means "field omitted" (undefined)
      return applyResultPath(s.data, 'resultPath' in s ? s.resultPath : undefined, s.result);
  }
}

describe('data-flow walkthrough (InputPath → Parameters → ResultSelector → ResultPath → OutputPath)', () => {
  for (const s of steps) {
    it(s.name, () => {
      const before = JSON.stringify(s.data);
      if (s.error) {
        assert.throws(
          () => runStep(s),
          (e: unknown) => {
            assert.ok(e instanceof StatesError, String(e));
            assert.equal(e.error, s.error);
            if (s.cause) assert.equal(e.cause, s.cause);
            return true;
          },
        );
      } else {
        assert.deepEqual(runStep(s), s.expected);
      }
      assert.equal(JSON.stringify(s.data), before, 'the input is never mutated');
    });
  }
});

describe('payload templates', () => {
  it('drops the .$ suffix only on evaluated keys and keeps key order', () => {
    const out = evaluatePayloadTemplate(
      { 'a.$': '$.x', b: 1, 'c.$': '$.y' },
      { input: { x: 1, y: 2 }, context: {} },
      host,
    );
    assert.deepEqual(Object.keys(out as object), ['a', 'b', 'c']);
  });
  it('reports a non-string .$ value as States.Runtime', () => {
    assert.throws(
      () => evaluatePayloadTemplate({ 'a.$': 5 }, { input: {}, context: {} }, host),
      (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime',
    );
  });
  it('reports a malformed path as States.Runtime naming the field', () => {
    assert.throws(
      () => evaluatePayloadTemplate({ 'a.$': '$.x[' }, { input: {}, context: {} }, host),
      (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime' && e.cause.includes("'a.$'"),
    );
  });
  it('names the field when an intrinsic argument path is missing', () => {
    assert.throws(
      () => evaluatePayloadTemplate({ nested: { 'id.$': 'States.Format($.gone)' } }, { input: {}, context: {} }, host),
      (e: unknown) =>
        e instanceof StatesError &&
        e.error === 'States.ParameterPathFailure' &&
        e.cause.includes("'id.$'") &&
        e.cause.includes('$.gone'),
    );
  });
  it('evaluates variables missing from scope as a path failure', () => {
    assert.throws(
      () => evaluatePayloadTemplate({ 'v.$': '$nope' }, { input: {}, context: {}, variables: {} }, host),
      (e: unknown) => e instanceof StatesError && e.error === 'States.ParameterPathFailure',
    );
  });
  it('passes scalars and arrays of templates through', () => {
    assert.equal(evaluatePayloadTemplate('plain', { input: {}, context: {} }, host), 'plain');
    assert.deepEqual(evaluatePayloadTemplate([{ 'a.$': '$.x' }, 2], { input: { x: 'y' }, context: {} }, host), [
      { a: 'y' },
      2,
    ]);
  });
});

describe('applyResultPath and selectPath edge cases', () => {
  it('rejects a ResultPath that is not a reference path', () => {
    assert.throws(
      () => applyResultPath({}, '$.a[*]', 1),
      (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime',
    );
  });
  it('rejects variables and context in ResultPath', () => {
    assert.throws(
      () => applyResultPath({}, '$v.a', 1),
      (e: unknown) => e instanceof StatesError,
    );
    assert.throws(
      () => applyResultPath({}, '$$.a', 1),
      (e: unknown) => e instanceof StatesError,
    );
  });
  it('selectPath reads variables from the scope', () => {
    assert.deepEqual(selectPath({}, '$cfg.x', { variables: { cfg: { x: [1] } } }), [1]);
  });
  it('selectPath returns [] for a wildcard that matches nothing', () => {
    assert.deepEqual(selectPath({ a: [] }, '$.a[*].b'), []);
  });
});
