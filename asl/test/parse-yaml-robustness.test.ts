/**
 * YAML front-end robustness. Problems lie inside the text (the yaml package reports an
 * unclosed quote, bracket or brace one character past the end; the front end clamps it).
 * Absurdly deep nesting is refused before the yaml composer recurses: a stack overflow inside
 * V8's regular-expression compiler is a fatal process error, so without the depth check the
 * cases below could kill the test process itself (the first one did).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from '../src/parse';
import { clampRange, offsetBeyondDepth } from '../src/parse/yaml';
import { Parser } from 'yaml';

describe('YAML problem ranges', () => {
  for (const text of ['a: {', 'a: [', 'a: "x', "a: 'x", 'a: {b: 1', 'a:\n  - [', '{', '"', 'a: b\n---\n{']) {
    test(`ends inside the text for ${JSON.stringify(text)}`, () => {
      const doc = parseDocument(text, 'yaml');
      assert.ok(doc.problems.length > 0);
      for (const p of doc.problems) {
        assert.ok(
          p.offset >= 0 && p.length >= 0 && p.offset + p.length <= text.length,
          `${p.message}: ${p.offset}+${p.length} > ${text.length}`,
        );
      }
    });
  }

  test('clampRange keeps ranges inside [0, length] and never negative', () => {
    assert.deepEqual(clampRange(4, 5, 4), [4, 0]);
    assert.deepEqual(clampRange(2, 3, 4), [2, 1]);
    assert.deepEqual(clampRange(-1, 2, 4), [0, 2]);
    assert.deepEqual(clampRange(3, 1, 4), [3, 0]);
    assert.deepEqual(clampRange(NaN, NaN, 4), [0, 0]);
  });

  test('random texts: every problem lies inside the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('', '{', '[', '"', "'", '\n  - ['), (s, tail) => {
        const text = s + tail;
        for (const p of parseDocument(text, 'yaml').problems)
          assert.ok(p.offset >= 0 && p.offset + p.length <= text.length);
      }),
      { numRuns: 500, seed: 20261121 },
    );
  });
});

describe('YAML nesting depth', () => {
  const cases: [string, string][] = [
    ['a 7,000-deep block sequence on one line', 'a:\n  ' + '- '.repeat(7000) + 'b'],
    ['7,000 nested flow sequences', 'a: ' + '['.repeat(7000) + ']'.repeat(7000)],
    ['7,000 nested flow mappings', 'a: ' + '{a: '.repeat(7000) + '1' + '}'.repeat(7000)],
    [
      '1,000 block mappings indented one more column each',
      Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n'),
    ],
  ];
  for (const [name, text] of cases) {
    test(`refuses ${name} with a problem instead of crashing`, () => {
      const doc = parseDocument(text, 'yaml');
      assert.equal(doc.root, undefined);
      assert.ok(
        doc.problems.some((p) => /more than 500 levels/.test(p.message)),
        doc.problems.map((p) => p.message).join('; '),
      );
      for (const p of doc.problems) assert.ok(p.offset >= 0 && p.offset + p.length <= text.length);
    });
  }

  test('reads 400 levels of nesting as usual', () => {
    const doc = parseDocument('a: ' + '['.repeat(400) + '1' + ']'.repeat(400), 'yaml');
    assert.ok(doc.root);
    assert.deepEqual(doc.problems, []);
  });

  test('offsetBeyondDepth finds the first collection past the limit', () => {
    const tokens = Array.from(new Parser().parse('a:\n  - - [x]\n'));
    assert.equal(offsetBeyondDepth(tokens, 4), undefined);
    assert.equal(offsetBeyondDepth(tokens, 3), 9);
    assert.equal(offsetBeyondDepth(tokens, 1), 5);
  });
});
