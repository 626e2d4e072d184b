import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { fastParseJson } from '../src/parse/fastJson';
import type { AstNode } from '../src/types';

/** Compares two trees field by field, parent links included. */
function sameTree(a: AstNode | undefined, b: AstNode | undefined, path = '$'): void {
  assert.ok(a && b, `${path}: missing node`);
  assert.equal(a.type, b.type, `${path} type`);
  assert.equal(a.offset, b.offset, `${path} offset`);
  assert.equal(a.length, b.length, `${path} length`);
  assert.equal(a.colonOffset, b.colonOffset, `${path} colonOffset`);
  if (a.type !== 'object' && a.type !== 'array' && a.type !== 'property')
    assert.ok(Object.is(a.value, b.value), `${path} value`);
  assert.equal(a.children?.length, b.children?.length, `${path} children`);
  (a.children ?? []).forEach((c, i) => {
    assert.equal(c.parent, a, `${path}[${i}] parent`);
    sameTree(c, b.children![i], `${path}[${i}]`);
  });
}

const spacing = fc.constantFrom('', ' ', '\n', '\r\n  ', '\t');

test('the fast JSON path builds exactly the jsonc-parser tree', () => {
  fc.assert(
    fc.property(fc.jsonValue(), spacing, spacing, (v, a, b) => {
      const text = a + JSON.stringify(v, null, b.length ? 2 : undefined) + b;
      const fast = fastParseJson(text);
      assert.ok(fast, `fast path refused ${text.slice(0, 80)}`);
      sameTree(fast, parseTree(text, [], { disallowComments: true, allowTrailingComma: false }) as AstNode);
    }),
    { numRuns: 1000 },
  );
});

test('the fast JSON path refuses anything that is not strict JSON', () => {
  for (const t of [
    '',
    ' ',
    '{"a":1,}',
    '[1,]',
    '{"a":1 // c\n}',
    '/* x */ {}',
    '{"a" 1}',
    '{a:1}',
    '01',
    '1.',
    '.5',
    '+1',
    '"\u0001"',
    '"abc',
    '{"a":1}}',
    'truex',
    'nul',
    '[1 2]',
    '\u00a0{}',
    '{"a":"\\x"}',
  ]) {
    assert.equal(fastParseJson(t), null, JSON.stringify(t));
  }
  assert.equal(fastParseJson('['.repeat(1000) + ']'.repeat(1000)), null);
  assert.ok(fastParseJson('"\\u00e9\\n"'));
});
