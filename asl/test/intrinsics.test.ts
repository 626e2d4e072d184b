import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatesError, type IntrinsicArg } from '../src/types';
import { INTRINSICS, evaluateIntrinsic, parseIntrinsic, validateIntrinsic } from '../src/paths/index';
import { testHost } from './pathsTestHost';

const fixtures = join(__dirname, 'fixtures', 'intrinsics');
const load = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const host = testHost();

function run(
  expression: string,
  input: unknown,
  extra: { context?: unknown; variables?: Record<string, unknown> } = {},
  h = host,
): unknown {
  const c = parseIntrinsic(expression);
  assert.ok(c.ok, c.ok ? '' : `${c.error.message} at ${c.error.offset}`);
  return evaluateIntrinsic(c.value, { input, context: extra.context ?? {}, variables: extra.variables }, h);
}

describe('intrinsic catalogue', () => {
  it('lists all 18 functions with docs', () => {
    const names = Object.keys(INTRINSICS).sort();
    assert.equal(names.length, 18);
    assert.deepEqual(names, [
      'States.Array',
      'States.ArrayContains',
      'States.ArrayGetItem',
      'States.ArrayLength',
      'States.ArrayPartition',
      'States.ArrayRange',
      'States.ArrayUnique',
      'States.Base64Decode',
      'States.Base64Encode',
      'States.Format',
      'States.Hash',
      'States.JsonMerge',
      'States.JsonToString',
      'States.MathAdd',
      'States.MathRandom',
      'States.StringSplit',
      'States.StringToJson',
      'States.UUID',
    ]);
    for (const n of names) {
      assert.ok(INTRINSICS[n].description.length > 40, n);
      assert.ok(INTRINSICS[n].signature.startsWith(n + '('), n);
    }
  });
});

// Behaviours of executions recorded on AWS; the functions are described at
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
describe('intrinsics as AWS runs them', () => {
  it('States.Format renders objects and arrays as Java maps and lists, not as JSON', () => {
    const input = { o: { Arg1: 1, Arg2: [] }, n: { a: ['x', null, { b: true }], s: 'text' } };
    assert.equal(run("States.Format('{}', $.o)", input), '{Arg1=1, Arg2=[]}');
    assert.equal(run("States.Format('v: {}', $.n)", input), 'v: {a=[x, null, {b=true}], s=text}');
    assert.equal(run("States.Format('{} {} {}', $.n.a, 1.5, null)", input), '[x, null, {b=true}] 1.5 null');
  });

  it('States.StringToJson of an empty or blank string is null', () => {
    assert.equal(run('States.StringToJson($.s)', { s: '' }), null);
    assert.equal(run('States.StringToJson($.s)', { s: ' \t ' }), null);
    assert.deepEqual(run('States.StringToJson($.s)', { s: ' [1] ' }), [1]);
  });
});

describe('evaluateIntrinsic (fixtures)', () => {
  const { cases } = load('cases.json');
  for (const c of cases as {
    expression: string;
    input: unknown;
    context?: unknown;
    variables?: Record<string, unknown>;
    expected?: unknown;
    expectedLength?: number;
    error?: string;
  }[]) {
    it(`${c.expression} ${c.error ? 'fails with ' + c.error : ''}`, () => {
      if (c.error) {
        assert.throws(
          () => run(c.expression, c.input, c),
          (e: unknown) => e instanceof StatesError && e.error === c.error && e.cause.length > 0,
        );
        return;
      }
      const v = run(c.expression, c.input, c);
      if (c.expectedLength !== undefined) assert.equal((v as unknown[]).length, c.expectedLength);
      else assert.deepEqual(v, c.expected);
    });
  }
});

describe('evaluateIntrinsic (limits and randomness)', () => {
  it('enforces the 10,000 character limit of Base64Encode, Base64Decode and Hash', () => {
    const ok = 'a'.repeat(10_000);
    const tooLong = 'a'.repeat(10_001);
    assert.equal(typeof run('States.Base64Encode($.s)', { s: ok }), 'string');
    for (const f of ['States.Base64Encode($.s)', 'States.Base64Decode($.s)', "States.Hash($.s, 'SHA-256')"]) {
      assert.throws(
        () => run(f, { s: tooLong }),
        (e: unknown) => e instanceof StatesError && e.error === 'States.IntrinsicFailure' && /10000/.test(e.cause),
      );
    }
  });
  it('MathRandom stays in [start, end) and uses the host without a seed', () => {
    for (const r of [0, 0.5, 0.999999]) {
      const v = run('States.MathRandom(10, 20)', {}, {}, testHost(r)) as number;
      assert.ok(Number.isInteger(v) && v >= 10 && v < 20, String(v));
    }
    assert.equal(run('States.MathRandom(10, 20)', {}, {}, testHost(0.999999)), 19);
  });
  it('MathRandom with a seed is deterministic and independent of the host', () => {
    const a = run('States.MathRandom(1, 1000, 7)', {}, {}, testHost(0.1));
    const b = run('States.MathRandom(1, 1000, 7)', {}, {}, testHost(0.9));
    assert.equal(a, b);
    const seen = new Set<unknown>();
    for (let seed = 0; seed < 50; seed++) {
      const v = run(`States.MathRandom(0, 100, ${seed})`, {}) as number;
      assert.ok(Number.isInteger(v) && v >= 0 && v < 100);
      seen.add(v);
    }
    assert.ok(seen.size > 20, 'different seeds give different values');
  });
  it('UUID comes from the host', () => {
    assert.equal(run('States.UUID()', {}, {}, { ...host, uuid: () => 'abc' }), 'abc');
  });
});

interface ArgExpect {
  kind: string;
  value?: unknown;
  text?: string;
  name?: string;
  offset: number;
  length: number;
}

describe('parseIntrinsic', () => {
  const p = load('parse.json');
  for (const c of p.valid as { text: string; name: string; args: ArgExpect[] }[]) {
    it(`parses ${c.text}`, () => {
      const r = parseIntrinsic(c.text);
      assert.ok(r.ok, r.ok ? '' : `${r.error.message} at ${r.error.offset}`);
      assert.equal(r.value.name, c.name);
      assert.equal(r.value.args.length, c.args.length);
      r.value.args.forEach((a: IntrinsicArg, i: number) => {
        const e = c.args[i];
        assert.equal(a.kind, e.kind);
        assert.equal(a.offset, e.offset, `offset of arg ${i}`);
        assert.equal(a.length, e.length, `length of arg ${i}`);
        assert.equal(c.text.slice(a.offset, a.offset + a.length).length, a.length);
        if (a.kind === 'path') assert.equal(a.path.text, e.text);
        else if (a.kind === 'call') assert.equal(a.name, e.name);
        else if (a.kind !== 'null') assert.equal(a.value, e.value);
      });
    });
  }
  for (const c of p.invalid as { text: string; offset: number; length?: number; message: string }[]) {
    it(`rejects ${c.text.length > 60 ? c.text.slice(0, 60) + '…' : c.text}`, () => {
      const r = parseIntrinsic(c.text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.offset, c.offset, r.error.message);
      if (c.length !== undefined) assert.equal(r.error.length, c.length);
      assert.ok(r.error.message.includes(c.message), `${r.error.message} should include ${c.message}`);
    });
  }
});

describe('validateIntrinsic', () => {
  const p = load('parse.json');
  for (const c of p.validate as { text: string; errors: { offset?: number; length?: number; message: string }[] }[]) {
    it(`${c.errors.length ? 'reports' : 'accepts'} ${c.text.length > 60 ? c.text.slice(0, 60) + '…' : c.text}`, () => {
      const r = parseIntrinsic(c.text);
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      const errs = validateIntrinsic(r.value);
      assert.equal(errs.length, c.errors.length, JSON.stringify(errs));
      c.errors.forEach((e, i) => {
        assert.ok(errs[i].message.includes(e.message), `${errs[i].message} should include ${e.message}`);
        if (e.offset !== undefined) assert.equal(errs[i].offset, e.offset);
        if (e.length !== undefined) assert.equal(errs[i].length, e.length);
      });
    });
  }
});

describe('intrinsic robustness (property-based)', () => {
  const pieces = fc.constantFrom(
    'States.',
    'Format',
    'Array',
    'MathAdd',
    '(',
    ')',
    ',',
    ' ',
    "'",
    "\\'",
    '\\{',
    '{}',
    '$.a',
    '$$',
    '$v',
    '1',
    '-2.5',
    'true',
    'null',
    'x',
    '[',
    ']',
  );
  const text = fc.array(pieces, { maxLength: 20 }).map((a) => a.join(''));
  it('parseIntrinsic / validateIntrinsic / evaluateIntrinsic only fail with StatesError', () => {
    fc.assert(
      fc.property(text, (t) => {
        const r = parseIntrinsic(t);
        if (!r.ok) {
          assert.ok(r.error.offset >= 0 && r.error.offset <= t.length);
          return;
        }
        validateIntrinsic(r.value);
        try {
          evaluateIntrinsic(r.value, { input: { a: [1, 2] }, context: {}, variables: { v: 'x' } }, host);
        } catch (e) {
          assert.ok(e instanceof StatesError, String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
