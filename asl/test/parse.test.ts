import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseDocument } from '../src/parse/index';
import { computeLineStarts, createLineIndex } from '../src/parse/lines';
import { getProperty, getValue, nodeValue, nodeAtOffset, nodePath, propertyEntries } from '../src/parse/tree';
import type { AstNode } from '../src/types';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures', 'parse');

/** Checks the tree invariants: children inside parents, parent links, sorted siblings. */
function checkTree(node: AstNode | undefined, text: string): void {
  if (!node) return;
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    assert.ok(
      n.offset >= 0 && n.offset + n.length <= text.length,
      `node ${n.type} @${n.offset}+${n.length} outside text`,
    );
    let prev = -1;
    for (const c of n.children ?? []) {
      assert.equal(c.parent, n, 'parent link');
      assert.ok(
        c.offset >= n.offset && c.offset + c.length <= n.offset + n.length,
        `${c.type} child outside ${n.type}`,
      );
      assert.ok(c.offset >= prev, 'children ordered');
      prev = c.offset;
      stack.push(c);
    }
    if (n.type === 'property') assert.equal(n.children?.[0]?.type, 'string', 'property key is a string node');
  }
}

describe('parseDocument: fixtures with expected problems', () => {
  for (const f of readdirSync(fixtures).filter((x) => /\.asl\.(json|ya?ml)$/.test(x))) {
    const expectedFile = path.join(fixtures, f.replace(/\.asl\.(json|ya?ml)$/, '.problems.json'));
    let expected: { code: string; start: [number, number]; end: [number, number] }[] = [];
    try {
      expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
    } catch {
      /* no problems expected */
    }
    test(`${f} reports ${expected.length ? expected.map((e) => e.code).join(', ') : 'no problems'}`, () => {
      const text = readFileSync(path.join(fixtures, f), 'utf8');
      const doc = parseDocument(text, f.endsWith('.json') ? 'json' : 'yaml');
      const actual = doc.problems
        .filter((p) => p.severity === 'error')
        .map((p) => {
          const r = doc.rangeOf(p.offset, p.length);
          return { code: p.code, start: [r.start.line, r.start.character], end: [r.end.line, r.end.character] };
        });
      assert.deepEqual(actual, expected);
      checkTree(doc.root, text);
    });
  }
});

describe('parseDocument: JSON', () => {
  test('builds a jsonc-shaped tree with parent links and exact offsets', () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}';
    const doc = parseDocument(text, 'json');
    assert.deepEqual(doc.problems, []);
    const start = getValue(doc.root, 'StartAt')!;
    assert.equal(start.type, 'string');
    assert.equal(text.slice(start.offset, start.offset + start.length), '"A"');
    const states = getValue(doc.root, 'States')!;
    const a = getProperty(states, 'A')!;
    assert.equal(a.type, 'property');
    assert.equal(a.parent, states);
    assert.deepEqual(nodeValue(doc.root), JSON.parse(text));
    assert.deepEqual(
      propertyEntries(getValue(states, 'A')).map(([k, key, v]) => [k, key.type, v?.type]),
      [
        ['Type', 'string', 'string'],
        ['End', 'string', 'boolean'],
      ],
    );
  });

  test('keeps building the tree after comments and trailing commas', () => {
    const doc = parseDocument('{"a": 1, // x\n "b": [1,], }', 'json');
    assert.deepEqual(nodeValue(doc.root), { a: 1, b: [1] });
    assert.deepEqual(
      doc.problems.map((p) => p.code),
      ['ASL002', 'ASL003', 'ASL003'],
    );
  });

  test('empty text gives no root and one readable problem', () => {
    const doc = parseDocument('   ', 'json');
    assert.equal(doc.root, undefined);
    assert.equal(doc.problems.length, 1);
    assert.match(doc.problems[0].message, /empty/);
  });

  test('lookups find the first of repeated keys, in small and in large objects alike', () => {
    for (const size of [3, 40]) {
      const keys = Array.from({ length: size }, (_, i) => `"k${i}": ${i}`);
      const text = `{${keys.join(', ')}, "k1": "again", "__proto__": {"x": 1}}`;
      const root = parseDocument(text, 'json').root;
      assert.equal(getValue(root, 'k1')?.value, 1, `${size} keys`);
      assert.equal(getProperty(root, 'k2')?.children?.[1]?.value, 2, `${size} keys`);
      assert.equal(getValue(root, 'missing'), undefined, `${size} keys`);
      assert.equal(propertyEntries(root).length, size + 2);
      const plain = nodeValue(root) as Record<string, unknown>;
      assert.equal(plain.k1, 'again');
      assert.deepEqual(Object.getOwnPropertyDescriptor(plain, '__proto__')?.value, { x: 1 });
      assert.equal(Object.getPrototypeOf(plain), Object.prototype);
    }
    // deep documents keep their depth up to the limit: 1,000 nested arrays come back whole
    let deep = nodeValue(parseDocument('['.repeat(1000) + ']'.repeat(1000), 'json').root);
    let depth = 0;
    while (Array.isArray(deep) && deep.length) [deep, depth] = [deep[0], depth + 1];
    assert.equal(depth, 999);
  });

  test('nodeAtOffset and nodePath find the innermost node', () => {
    const text = '{"States": {"A": {"Next": "B", "List": [1, {"x": true}]}}}';
    const doc = parseDocument(text, 'json');
    const off = text.indexOf('"B"') + 1;
    const n = nodeAtOffset(doc.root, off)!;
    assert.equal(n.value, 'B');
    assert.deepEqual(nodePath(n), ['States', 'A', 'Next']);
    const t = nodeAtOffset(doc.root, text.indexOf('true'))!;
    assert.deepEqual(nodePath(t), ['States', 'A', 'List', 1, 'x']);
    const key = nodeAtOffset(doc.root, text.indexOf('"Next"') + 2)!;
    assert.deepEqual(nodePath(key), ['States', 'A', 'Next']);
    assert.equal(nodeAtOffset(doc.root, text.length + 5), undefined);
    // right bound: just after the closing quote of "B"
    const end = text.indexOf('"B"') + 3;
    assert.equal(nodeAtOffset(doc.root, end, true)?.value, 'B');
  });

  test('positionAt / offsetAt / rangeOf use UTF-16 units and all line breaks', () => {
    const text = '{\r\n"a": "é😀",\r"b": 1\n}';
    const doc = parseDocument(text, 'json');
    assert.deepEqual(doc.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(doc.positionAt(3), { line: 1, character: 0 });
    const b = text.indexOf('"b"');
    assert.deepEqual(doc.positionAt(b), { line: 2, character: 0 });
    assert.equal(doc.offsetAt({ line: 2, character: 0 }), b);
    const smile = text.indexOf('😀');
    assert.deepEqual(doc.positionAt(smile + 2), { line: 1, character: 9 });
    assert.equal(doc.offsetAt({ line: 1, character: 999 }), text.indexOf('\r', 3));
    assert.equal(doc.offsetAt({ line: 99, character: 0 }), text.length);
    assert.deepEqual(doc.rangeOf(b, 3), { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
    assert.deepEqual(doc.positionAt(-4), { line: 0, character: 0 });
  });

  test('positionAt gives the same position before and after it has the line starts', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', '\r\n'), maxLength: 60 }),
        fc.array(fc.oneof(fc.integer({ min: -3, max: 70 }), fc.double())),
        (text, offsets) => {
          const starts = computeLineStarts(text);
          const expected = (offset: number) => {
            const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, text.length));
            let line = 0;
            while (line + 1 < starts.length && starts[line + 1] <= o) line++;
            return { line, character: o - starts[line] };
          };
          // a fresh index counts line breaks for its first positions, then reads the line starts
          const lines = createLineIndex(text);
          for (const o of [...offsets, ...offsets])
            assert.deepEqual(lines.positionAt(o), expected(o), `${o} in ${JSON.stringify(text)}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseDocument: YAML', () => {
  test('converts YAML to the same node shape, with aliases resolved', () => {
    const text = readFileSync(path.join(fixtures, 'nested.asl.yaml'), 'utf8');
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(doc.problems, []);
    const v = nodeValue(doc.root) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    assert.equal(v.StartAt, 'First');
    assert.deepEqual(v.States.First.ResultSelector, { Again: 'app:3' });
    assert.deepEqual(v.States.First.Parameters, {
      Cluster: 'my-cluster',
      TaskDefinition: 'app:3',
      Overrides: {
        ContainerOverrides: [
          { Name: 'app', Command: ['echo', 'hello'], Environment: [{ Name: 'TOKEN', 'Value.$': '$$.Task.Token' }] },
        ],
      },
    });
    assert.equal(v.States.Done.Comment, null);
    const next = getValue(getValue(getValue(doc.root, 'States'), 'First'), 'Next')!;
    assert.equal(text.slice(next.offset, next.offset + next.length), 'Done');
    assert.deepEqual(nodePath(next), ['States', 'First', 'Next']);
    const key = getProperty(getValue(doc.root, 'States'), 'Done')!.children![0];
    assert.equal(text.slice(key.offset, key.offset + key.length), 'Done');
    checkTree(doc.root, text);
  });

  test('YAML and JSON of the same machine give the same plain value', () => {
    const json = '{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"Next":"B"},"B":{"Type":"Succeed"}}}';
    const yaml = 'StartAt: A\nStates:\n  A: {Type: Wait, Seconds: 5, Next: B}\n  B:\n    Type: Succeed\n';
    assert.deepEqual(nodeValue(parseDocument(yaml, 'yaml').root), nodeValue(parseDocument(json, 'json').root));
  });

  test('recursive and unknown aliases are reported, not expanded forever', () => {
    const doc = parseDocument('a: &x\n  b: *x\n', 'yaml');
    assert.ok(doc.problems.length >= 1);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill('*' + String.fromCharCode(96 + i))
          .join(', ')}]`,
      );
    const d2 = parseDocument(bomb.join('\n'), 'yaml');
    assert.ok(d2.problems.some((p) => /alias/i.test(p.message)));
  });

  test('YAML ranges: CRLF line ends, quoted keys and values, flow mappings', () => {
    const text = 'StartAt: "A"\r\nStates:\r\n  \'A\': {Type: Pass, End: true}\r\n';
    const doc = parseDocument(text, 'yaml');
    assert.deepEqual(doc.problems, []);
    const start = getValue(doc.root, 'StartAt')!;
    assert.equal(text.slice(start.offset, start.offset + start.length), '"A"');
    const key = getProperty(getValue(doc.root, 'States'), 'A')!.children![0];
    assert.equal(text.slice(key.offset, key.offset + key.length), "'A'");
    assert.deepEqual(doc.positionAt(key.offset), { line: 2, character: 2 });
    const end = getValue(getValue(getValue(doc.root, 'States'), 'A'), 'End')!;
    assert.equal(end.value, true);
    assert.deepEqual(doc.rangeOf(end.offset, end.length), {
      start: { line: 2, character: 25 },
      end: { line: 2, character: 29 },
    });
    checkTree(doc.root, text);
  });

  test('an empty YAML text has no root', () => {
    const doc = parseDocument('# only a comment\n', 'yaml');
    assert.equal(doc.root, undefined);
    assert.equal(doc.problems.length, 1);
  });
});

describe('parseDocument never throws', () => {
  test('random strings, JSON and YAML', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom<'json' | 'yaml'>('json', 'yaml'),
        (s, fmt) => {
          const doc = parseDocument(s, fmt);
          checkTree(doc.root, s);
          for (const p of doc.problems) assert.ok(p.offset >= 0 && p.offset + p.length <= s.length + 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('truncations of a valid machine', () => {
    const text = readFileSync(path.join(fixtures, 'nested.asl.yaml'), 'utf8');
    const json = JSON.stringify(nodeValue(parseDocument(text, 'yaml').root), null, 2);
    for (let i = 0; i <= json.length; i += 3) checkTree(parseDocument(json.slice(0, i), 'json').root, json.slice(0, i));
    for (let i = 0; i <= text.length; i += 3) checkTree(parseDocument(text.slice(0, i), 'yaml').root, text.slice(0, i));
  });

  test('deep nesting: 50 levels and absurd depth', () => {
    const deep50 = '['.repeat(50) + ']'.repeat(50);
    assert.deepEqual(parseDocument(deep50, 'json').problems, []);
    const absurd = '['.repeat(200000);
    const d = parseDocument(absurd, 'json');
    assert.ok(d.problems.length > 0);
    const y = parseDocument('- '.repeat(5000) + 'x', 'yaml');
    assert.ok(y !== undefined);
    const yFlow = parseDocument('['.repeat(20000), 'yaml');
    assert.ok(yFlow.problems.length > 0);
  });

  test('a 10 MB JSON document', () => {
    const big =
      '{"States": {' +
      Array.from(
        { length: 100000 },
        (_, i) => `"S${i}": {"Type": "Pass", "Result": "${'x'.repeat(60)}", "Next": "S${i + 1}"}`,
      ).join(',') +
      '}}';
    assert.ok(big.length > 10_000_000);
    const doc = parseDocument(big, 'json');
    assert.equal(doc.problems.length, 0);
    assert.equal(getValue(doc.root, 'States')?.children?.length, 100000);
  });

  test('non-string input is treated as empty', () => {
    const doc = parseDocument(undefined as unknown as string, 'json');
    assert.equal(doc.root, undefined);
  });
});
