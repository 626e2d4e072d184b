import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { fastParseJson } from '../src/parse/fastJson';
import { repeatedKeysIn } from '../src/parse/tree';
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

test('the fast JSON path reads thousands of distinct and repeated strings as they are written', () => {
  // the parser shares one string per repeated short text: thousands of distinct keys and
  // values, each written twice, with and without escapes, of equal lengths and a character apart
  const obj: Record<string, unknown> = {};
  for (let k = 0; k < 5000; k++) obj[`key${k}`] = [`v${k % 700}`, `v${k % 700}`, `é\\u${k}`, 'x'.repeat(k % 80)];
  const text = JSON.stringify([obj, obj]);
  const fast = fastParseJson(text);
  assert.ok(fast);
  sameTree(fast, parseTree(text, [], { disallowComments: true, allowTrailingComma: false }) as AstNode);
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

/** JSON text of objects whose keys come from a small set, so that keys repeat. */
const repeatingJson: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue().map((v) => JSON.stringify(v)),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.constantFrom('a', 'b', 'Type', 'Next', 'a.$'), tie('value')), { maxLength: 20 })
    .map((props) => `{${props.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
})).object;

/** Each repeated key of a tree as "offset>offset of its first occurrence", found the plain way. */
function repeatedKeyOffsets(n: AstNode, out: string[] = []): string[] {
  if (n.type === 'object') {
    const first = new Map<unknown, AstNode>();
    for (const p of n.children ?? []) {
      const k = p.children![0];
      const f = first.get(k.value);
      if (f) out.push(`${k.offset}>${f.offset}`);
      else first.set(k.value, k);
    }
  }
  for (const c of n.children ?? []) repeatedKeyOffsets(c, out);
  return out.sort();
}

test('the JSON parsers list each repeated key with its first occurrence', () => {
  const at = (pairs: [AstNode, AstNode][]) => pairs.map(([k, first]) => `${k.offset}>${first.offset}`).sort();
  fc.assert(
    fc.property(repeatingJson, (text) => {
      const found: [AstNode, AstNode][] = [];
      const fast = fastParseJson(text, found);
      assert.ok(fast, `fast path refused ${text.slice(0, 80)}`);
      const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false }) as AstNode;
      const expected = repeatedKeyOffsets(tree);
      assert.deepEqual(at(found), expected, 'the fast path');
      assert.deepEqual(at(repeatedKeysIn(tree)), expected, "jsonc-parser's tree");
    }),
    { numRuns: 500 },
  );
  const found: [AstNode, AstNode][] = [];
  fastParseJson('{"a": 1, "b": {"a": 2, "a": 3}, "a": 4}', found);
  assert.deepEqual(
    found.map(([k, first]) => [k.offset, first.offset]),
    [
      [23, 15],
      [32, 1],
    ],
  );
});
