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
import { getProperty, getValue, nodeAtOffset, nodeValue } from '../src/parse/tree';
import { clampRange, offsetBeyondDepth } from '../src/parse/yaml';
import { buildModel } from '../src/model';
import type { AstNode } from '../src/types';
import { Parser } from 'yaml';
import { generateAliasMachine } from '../../scripts/bench/_generate.mjs';

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

describe('YAML aliases and merge keys', () => {
  const at = (text: string, n: AstNode | undefined) => (n ? text.slice(n.offset, n.offset + n.length) : undefined);

  test('an alias takes its own range at the top of the expansion; what is below keeps the anchored text', () => {
    const text = 'A: &r\n  - MaxAttempts: 2\nB: *r\n';
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(doc.problems, []);
    const b = getValue(doc.root, 'B')!;
    assert.equal(at(text, b), '*r');
    const attempts = getValue(b.children![0], 'MaxAttempts')!;
    assert.equal(attempts.value, 2);
    assert.equal(attempts.offset, text.indexOf('2'));
    assert.deepEqual(nodeValue(doc.root), { A: [{ MaxAttempts: 2 }], B: [{ MaxAttempts: 2 }] });
  });

  test('an alias refers to the last anchor of its name before it', () => {
    const doc = parseDocument('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: *y\n', 'yaml');
    assert.deepEqual(nodeValue(doc.root), { a: 1, b: 1, c: 2, d: 2, e: null });
    assert.deepEqual(
      doc.problems.map((p) => p.message),
      ['Unresolved alias *y.'],
    );
  });

  test('an alias used as a key names the anchored scalar', () => {
    const doc = parseDocument('a: &k Next\nb: {*k : S}\n', 'yaml');
    assert.deepEqual(nodeValue(doc.root), { a: 'Next', b: { Next: 'S' } });
  });

  test('a << merge adds the keys the mapping does not set itself, wherever it stands', () => {
    const text = [
      'base: &base {Cluster: c, TaskDefinition: td:1, LaunchType: FARGATE}',
      'extra: &extra {LaunchType: EC2, PlatformVersion: LATEST}',
      'one:',
      '  TaskDefinition: td:2',
      '  <<: *base',
      'two:',
      '  <<: [*extra, *base]',
      '  Cluster: d',
      'three: {<<: {Group: g}}',
      'four: {"<<": kept}',
      '',
    ].join('\n');
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(doc.problems, []);
    const v = nodeValue(doc.root) as Record<string, unknown>;
    assert.deepEqual(v.one, { TaskDefinition: 'td:2', Cluster: 'c', LaunchType: 'FARGATE' });
    assert.deepEqual(v.two, { LaunchType: 'EC2', PlatformVersion: 'LATEST', Cluster: 'd', TaskDefinition: 'td:1' });
    assert.deepEqual(v.three, { Group: 'g' });
    assert.deepEqual(v.four, { '<<': 'kept' });
    // a merged property keeps the anchored text, and the properties stay in text order, so a
    // lookup by offset in the mapping finds its own properties
    const one = getValue(doc.root, 'one')!;
    assert.equal(at(text, getProperty(one, 'Cluster')), 'Cluster: c');
    assert.equal(getProperty(one, 'Cluster')!.offset, text.indexOf('Cluster: c'));
    assert.deepEqual(
      one.children!.map((p) => p.children![0].value),
      ['Cluster', 'LaunchType', 'TaskDefinition'],
    );
    const own = text.indexOf('td:2');
    assert.equal(nodeAtOffset(doc.root, own)?.value, 'td:2');
  });

  test('merges of merges: a state merging a template that merges a block', () => {
    const text = 'p: &p {A: 1, B: 2}\nt: &t {<<: *p, B: 3, C: 4}\nu: {<<: *t, C: 5}\n';
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(doc.problems, []);
    assert.deepEqual((nodeValue(doc.root) as Record<string, unknown>).u, { A: 1, B: 3, C: 5 });
  });

  test('a merge of something other than mappings, or of itself, is reported and merges nothing', () => {
    for (const [text, message] of [
      ['a: &s x\nb: {<<: *s, k: 1}\n', /merge key \(<<\) takes a mapping/],
      ['b: {<<: [{a: 1}, 2], k: 1}\n', /merge key \(<<\) takes a mapping/],
      ['b: {<<: , k: 1}\n', /merge key \(<<\) takes a mapping/],
      ['b: &b {<<: *b, k: 1}\n', /^Recursive alias\.$/],
      ['b: {<<: *nowhere, k: 1}\n', /^Unresolved alias \*nowhere\.$/],
    ] as const) {
      const doc = parseDocument(text, 'yaml');
      assert.deepEqual((nodeValue(doc.root) as Record<string, unknown>).b, { k: 1 }, text);
      assert.equal(doc.problems.length, 1, `${text}: ${doc.problems.map((p) => p.message).join('; ')}`);
      assert.match(doc.problems[0].message, message);
      const p = doc.problems[0];
      assert.ok(p.offset >= 0 && p.offset + p.length <= text.length);
    }
  });

  test('expansion stays capped when merges and aliases multiply', () => {
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      lines.push(
        `l${i}: &l${i} {<<: {k: 1}, v: [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]}`,
      );
    const doc = parseDocument(lines.join('\n'), 'yaml');
    assert.ok(doc.problems.some((p) => /Too many alias expansions/.test(p.message)));
  });

  test('a large text does not buy a proportionally large expansion', () => {
    // ten levels of ten aliases would expand to 10^10 values; ten per character, to 4,000,000
    const bomb = Array.from(
      { length: 10 },
      (_, i) =>
        `b${i}: &b${i} [${
          i
            ? Array(10)
                .fill(`*b${i - 1}`)
                .join(', ')
            : 'x'
        }]`,
    );
    const text = [
      `Comment: "${'x'.repeat(400_000)}"`,
      ...bomb,
      'StartAt: A',
      'States: {A: {Type: Pass, End: true}}',
    ].join('\n');
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(
      doc.problems.map((p) => p.message),
      ['Too many alias expansions: the document is cut here.'],
    );
    let nodes = 0;
    const stack = [doc.root!];
    while (stack.length) {
      nodes++;
      stack.push(...(stack.pop()!.children ?? []));
    }
    assert.ok(nodes < 101_000, `${nodes} nodes`);
    assert.equal(getValue(getValue(doc.root, 'States'), 'A')?.type, 'object', 'what follows the cut is read');
  });

  // A regression guard at a generous multiple of the target (about 100 ms, see
  // scripts/bench/yaml-aliases.mjs): resolving each alias by walking the whole document took
  // seconds on these files. CPU time, so a machine busy with other work does not fail it.
  const GENEROUS_MS = 2000;
  const cpuMs = (fn: () => void): number => {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1000;
  };

  test(`a 56 KB machine sharing anchors across 400 states parses and models in under ${GENEROUS_MS} ms of CPU`, () => {
    const text = generateAliasMachine(400);
    assert.ok(text.length > 50_000);
    let doc = parseDocument('', 'yaml');
    let model = buildModel(doc);
    const ms = cpuMs(() => {
      doc = parseDocument(text, 'yaml');
      model = buildModel(doc);
    });
    assert.deepEqual(doc.problems, []);
    assert.equal(model.scopes[0].states.size, 401);
    assert.ok(ms < GENEROUS_MS, `${ms.toFixed(0)} ms of CPU`);
  });

  test(`expanding up to the cap inside a large document takes under ${GENEROUS_MS} ms of CPU`, () => {
    // 30 KB of plain items, then 10,000 aliases met inside expansions (10 × 10 × 10 × 10)
    const lines = ['pad:', ...Array.from({ length: 3000 }, (_, i) => `  - item-${i}`), 'l0: &l0 [x, x]'];
    for (let i = 1; i < 5; i++)
      lines.push(
        `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const text = lines.join('\n');
    let doc = parseDocument('', 'yaml');
    const ms = cpuMs(() => (doc = parseDocument(text, 'yaml')));
    assert.deepEqual(doc.problems, []);
    assert.ok(ms < GENEROUS_MS, `${ms.toFixed(0)} ms of CPU`);
  });
});

describe('syntax problems past 1,000', () => {
  for (const [format, text, hasRoot] of [
    ['yaml', 'StartAt: A\n' + ']\n'.repeat(20_000), false],
    ['json', '{"StartAt": "A", "States": {' + '@ '.repeat(20_000) + '}}', true],
  ] as const) {
    test(`${format}: the first 1,000 are listed in text order, the rest counted`, () => {
      const doc = parseDocument(text, format);
      assert.equal(doc.problems.length, 1001);
      assert.equal(
        doc.problems[1000].message,
        '19000 more syntax problems follow and are not shown; fix the ones above first.',
      );
      assert.ok(doc.problems.every((p, i, all) => i === 0 || all[i - 1].offset <= p.offset));
      // the count stands where the first problem not listed is, two characters on
      assert.equal(doc.problems[1000].offset, doc.problems[999].offset + 2);
      assert.equal(doc.root !== undefined, hasRoot);
    });
  }
});
