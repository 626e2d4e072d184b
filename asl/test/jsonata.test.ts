import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatesError } from '../src/types';
import {
  evaluateJsonata,
  evaluateJsonataTemplate,
  findJsonataVariables,
  findTopLevelContextUses,
  isJsonataExpression,
  parseJsonataExpression,
  referencesStatesField,
  type JsonataBindings,
} from '../src/jsonata/index';
import { testHost } from './pathsTestHost';

const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'jsonata', 'cases.json'), 'utf8'));
const bindings: JsonataBindings = { states: fx.states, variables: fx.variables };
const host = testHost();

async function rejectsWith(p: Promise<unknown>, error: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StatesError, String(e));
    assert.equal(e.error, error);
    if (message) assert.ok(e.cause.includes(message), `${e.cause} should include ${message}`);
    return true;
  });
}

describe('isJsonataExpression', () => {
  for (const c of fx.isExpression as { value: unknown; expected: boolean }[]) {
    it(`${JSON.stringify(c.value)} → ${c.expected}`, () => assert.equal(isJsonataExpression(c.value), c.expected));
  }
});

describe('parseJsonataExpression', () => {
  for (const c of fx.parse as { text: string; ok: boolean; offset?: number; length?: number; message?: string }[]) {
    it(`${c.ok ? 'accepts' : 'rejects'} ${c.text}`, () => {
      const r = parseJsonataExpression(c.text);
      assert.equal(r.ok, c.ok, r.ok ? '' : r.error.message);
      if (r.ok) {
        assert.equal(r.value.bodyOffset, 2);
        assert.equal(r.value.body, c.text.slice(2, -2));
        return;
      }
      if (c.offset !== undefined) assert.equal(r.error.offset, c.offset, r.error.message);
      if (c.length !== undefined) assert.equal(r.error.length, c.length);
      assert.ok(
        r.error.offset >= 0 && r.error.offset + r.error.length <= c.text.length,
        'error range lies inside the string',
      );
      if (c.message) assert.ok(r.error.message.toLowerCase().includes(c.message.toLowerCase()), r.error.message);
    });
  }
});

describe('evaluateJsonata', () => {
  for (const c of fx.cases as { expression: string; expected?: unknown; error?: string; message?: string }[]) {
    it(`${c.expression}${c.error ? ' fails' : ''}`, async () => {
      const p = evaluateJsonata(c.expression, bindings, host);
      if (c.error) await rejectsWith(p, c.error, c.message);
      else assert.deepEqual(await p, c.expected);
    });
  }
  it('$random(seed) is deterministic and in [0, 1)', async () => {
    const a = (await evaluateJsonata('{% $random(123) %}', bindings, testHost(0.9))) as number;
    const b = (await evaluateJsonata('{% $random(123) %}', bindings, testHost(0.1))) as number;
    assert.equal(a, b);
    assert.ok(a >= 0 && a < 1);
  });
  it('reuses the compiled expression across evaluations with different bindings', async () => {
    const e = '{% $states.input.v * 2 %}';
    assert.equal(await evaluateJsonata(e, { states: { input: { v: 1 }, context: {} } }, host), 2);
    assert.equal(await evaluateJsonata(e, { states: { input: { v: 5 }, context: {} } }, host), 10);
  });
  it('returns plain arrays (no jsonata sequence flags)', async () => {
    const v = await evaluateJsonata('{% $states.input.order.lines.sku %}', bindings, host);
    assert.ok(Array.isArray(v));
    assert.deepEqual(Object.keys(v as object), ['0', '1']);
  });
});

describe('evaluateJsonataTemplate', () => {
  for (const [i, c] of (fx.templates as { template: unknown; expected?: unknown; error?: string }[]).entries()) {
    it(`template #${i + 1}`, async () => {
      const p = evaluateJsonataTemplate(c.template, bindings, host);
      if (c.error) await rejectsWith(p, c.error);
      else assert.deepEqual(await p, c.expected);
    });
  }
});

describe('lexical helpers', () => {
  it('finds variables with offsets, skipping strings and comments', () => {
    const s = '{% ($x := $states.input.a; /* $no */ "$no" & $x & $counter) %}';
    const vars = findJsonataVariables(s);
    assert.deepEqual(
      vars.map((v) => [v.name, s.slice(v.offset, v.offset + v.length), v.assigned]),
      [
        ['x', '$x', true],
        ['states', '$states', false],
        ['x', '$x', false],
        ['counter', '$counter', false],
      ],
    );
  });
  it('detects $states fields in dot and bracket form', () => {
    assert.equal(referencesStatesField('{% $states.result.x %}', 'result'), true);
    assert.equal(referencesStatesField('{% $states . errorOutput %}', 'errorOutput'), true);
    assert.equal(referencesStatesField('{% $states["context"].Task.Token %}', 'context'), true);
    assert.equal(referencesStatesField("{% '$states.result' %}", 'result'), false);
    assert.equal(referencesStatesField('{% $states.input.result %}', 'result'), false);
  });
});

describe('findTopLevelContextUses', () => {
  for (const c of fx.topLevel as { text: string; found: unknown[] }[]) {
    it(`${c.text} → ${c.found.length} finding(s)`, () => assert.deepEqual(findTopLevelContextUses(c.text), c.found));
  }
});
