import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  classifyDollarValue,
  evaluateJsonPath,
  parseJsonPath,
  parseJsonPathCached,
  parseReferencePath,
  unquotedFilterWords,
  type ReferencePathOptions,
} from '../src/paths/index';

const fixtures = join(__dirname, 'fixtures', 'paths');
const load = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

interface ParseFixture {
  valid: {
    text: string;
    root: unknown;
    segments: Record<string, unknown>[];
    isReference: boolean;
    isDefinite: boolean;
  }[];
  invalid: { text: string; offset: number; length?: number; message: string }[];
  reference: {
    text: string;
    ok: boolean;
    options?: ReferencePathOptions;
    offset?: number;
    length?: number;
    message?: string;
  }[];
  classify: { text: string; kind: string }[];
}

const parse: ParseFixture = load('parse.json');

describe('parseJsonPath', () => {
  for (const c of parse.valid) {
    it(`parses ${c.text}`, () => {
      const r = parseJsonPath(c.text);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.deepEqual(r.value.root, c.root);
      assert.deepEqual(
        r.value.segments.map(({ offset: _o, ...rest }) => {
          if (rest.kind === 'filter') {
            const { expressionOffset: _e, ...filter } = rest;
            return filter;
          }
          return rest;
        }),
        c.segments,
      );
      assert.equal(r.value.isReference, c.isReference);
      assert.equal(r.value.isDefinite, c.isDefinite);
      assert.equal(r.value.text, c.text);
    });
  }
  for (const c of parse.invalid) {
    it(`rejects ${JSON.stringify(c.text)} at offset ${c.offset}`, () => {
      const r = parseJsonPath(c.text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.offset, c.offset, r.error.message);
      if (c.length !== undefined) assert.equal(r.error.length, c.length);
      assert.ok(r.error.length >= 1);
      assert.ok(r.error.message.includes(c.message), `${r.error.message} should include ${c.message}`);
    });
  }
  it('records segment offsets', () => {
    const r = parseJsonPath("$.a['b'][3]..c");
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.segments.map((s) => s.offset),
      [1, 3, 8, 11],
    );
  });
  it('records where a filter expression starts', () => {
    const r = parseJsonPath('$.Labels[?(@.Name==Receipt)]');
    assert.ok(r.ok);
    const f = r.value.segments[1];
    assert.equal(
      f.kind === 'filter' && r.value.text.slice(f.expressionOffset, f.expressionOffset + f.expression.length),
      '@.Name==Receipt',
    );
  });
  it('reads an unquoted word compared in a filter as a string, and lists it with its offset in the path', () => {
    const r = parseJsonPath("$[?(@.TargetLanguageCode==es && @.Kind=='x' && @.On==true)].TranslatedText");
    assert.ok(r.ok);
    assert.deepEqual(unquotedFilterWords(r.value), [{ offset: 26, length: 2, word: 'es' }]);
    assert.equal(r.value.text.slice(26, 28), 'es');
  });
  it('keeps true, false and null literals but reads longer words that start with them as words', () => {
    const r = parseJsonPath('$[?(@.state==nullable || @.on==false)]');
    assert.ok(r.ok);
    assert.deepEqual(
      unquotedFilterWords(r.value).map((w) => w.word),
      ['nullable'],
    );
  });
  it('never throws on arbitrary input', () => {
    for (const t of [
      '$[',
      '$.[',
      "$['",
      '$[?(',
      '$[?()]',
      '$..',
      '$$$',
      '$.a[1:2:3:4]',
      '$[-]',
      '$[?(@.a && )]',
      '$[?((@.a)]',
      '$\u00e9t\u00e9.x',
    ]) {
      const r = parseJsonPath(t);
      assert.equal(typeof r.ok, 'boolean');
    }
  });
  it('caches by text', () => {
    assert.equal(parseJsonPathCached('$.cached.path'), parseJsonPathCached('$.cached.path'));
  });
});

describe('parseReferencePath', () => {
  for (const c of parse.reference) {
    it(`${c.ok ? 'accepts' : 'rejects'} ${c.text}${c.options ? ' ' + JSON.stringify(c.options) : ''}`, () => {
      const r = parseReferencePath(c.text, c.options);
      assert.equal(r.ok, c.ok);
      if (r.ok || c.ok) return;
      assert.equal(r.error.offset, c.offset, r.error.message);
      if (c.length !== undefined) assert.equal(r.error.length, c.length);
      assert.ok(r.error.message.includes(c.message!), r.error.message);
    });
  }
});

describe('classifyDollarValue', () => {
  for (const c of parse.classify) {
    it(`classifies ${JSON.stringify(c.text)} as ${c.kind}`, () => assert.equal(classifyDollarValue(c.text), c.kind));
  }
});

describe('evaluateJsonPath', () => {
  const ev = load('evaluate.json');
  const scope = ev.data;
  for (const c of ev.cases as { path: string; expected?: unknown; notFound?: boolean }[]) {
    it(`evaluates ${c.path}`, () => {
      const p = parseJsonPath(c.path);
      assert.ok(p.ok, p.ok ? '' : p.error.message);
      const r = evaluateJsonPath(p.value, scope);
      if (c.notFound) {
        assert.deepEqual(r, { found: false });
        return;
      }
      assert.ok(r.found, 'expected a match');
      assert.deepEqual(r.value, c.expected === '$input' ? scope.input : c.expected);
    });
  }
  it('reads variables only from scope.variables', () => {
    const p = parseJsonPath('$x');
    assert.ok(p.ok);
    assert.deepEqual(evaluateJsonPath(p.value, { input: { x: 1 }, context: {} }), { found: false });
  });
  it('does not treat inherited properties as fields', () => {
    const p = parseJsonPath('$.toString');
    assert.ok(p.ok);
    assert.deepEqual(evaluateJsonPath(p.value, { input: {}, context: {} }), { found: false });
  });
});

describe('robustness (property-based)', () => {
  const alphabet = fc.constantFrom(...'$.[]*?@()\'",:-0123 ab=<>!&|\\States.Format'.split(''));
  const text = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
  it('parseJsonPath never throws and keeps error ranges inside the text', () => {
    fc.assert(
      fc.property(text, (t) => {
        const r = parseJsonPath(t);
        if (!r.ok) {
          assert.ok(r.error.offset >= 0 && r.error.offset <= t.length, `${t} → ${r.error.offset}`);
          assert.ok(r.error.length >= 1);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('parseReferencePath and classifyDollarValue never throw', () => {
    fc.assert(
      fc.property(text, (t) => {
        parseReferencePath(t, { allowVariables: false });
        classifyDollarValue(t);
      }),
      { numRuns: 2000 },
    );
  });
  it('evaluating any parsed path never throws', () => {
    const data = { a: [1, { b: 2 }, [3]], b: { c: null }, 'a b': 'x' };
    fc.assert(
      fc.property(text, (t) => {
        const r = parseJsonPath(t);
        if (r.ok) evaluateJsonPath(r.value, { input: data, context: data, variables: { ab: data } });
      }),
      { numRuns: 3000 },
    );
  });
});
