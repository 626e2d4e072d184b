/**
 * Property-based robustness: fast-check mutates valid machines (delete / duplicate / retype
 * nodes, truncate, random bytes, deep nesting) and feeds them through exactly what the server
 * runs — parse, model, validateModel, and the pure feature functions — asserting nothing
 * throws and no rule reports an internal error. A second part sends a few hundred mutated
 * documents over a real stdio connection and asserts every request is answered.
 * FUZZ_RUNS sets the in-process case count (default 10,000; the benchmark uses 100,000).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { analyze } from '../src/core';
import { INTERNAL_ERROR_CODE, validateModel } from '../src/rules';
import { toLspDiagnostic } from '../src/features/diagnostics';
import { hoverAt } from '../src/features/hover';
import { completeAt } from '../src/features/completion';
import { documentSymbols } from '../src/features/symbols';
import { foldingRanges } from '../src/features/folding';
import { definitionAt, referencesAt } from '../src/features/navigation';
import { fixesFor } from '../src/features/codeActions/fixes';
import { startLspClient } from '../../scripts/bench/lsp-client.mjs';
import { ensureFreshBuild } from './helpers/freshBuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/**
 * CI runs are reproducible (fixed seed); the benchmark's 100,000-case run explores new seeds.
 * FUZZ_SEED=<n> replays a run; FUZZ_SEED=random forces a fresh one.
 */
const SEED =
  process.env.FUZZ_SEED === 'random' || (!process.env.FUZZ_SEED && RUNS > 10_000)
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20261121);
const STDIO_RUNS = Math.max(50, Math.min(300, Math.round(RUNS / 30)));

/** Seed corpus: valid machines and rule fixtures (JSON and YAML). */
function corpus(): { text: string; format: 'json' | 'yaml' }[] {
  const out: { text: string; format: 'json' | 'yaml' }[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.asl\.(json|ya?ml)$/.test(e.name))
        out.push({ text: fs.readFileSync(p, 'utf8'), format: /\.ya?ml$/.test(e.name) ? 'yaml' : 'json' });
    }
  };
  walk(path.join(here, 'fixtures/valid'));
  walk(path.join(here, 'fixtures/rules'));
  walk(path.join(here, 'fixtures/lsp'));
  return out;
}

const SEEDS = corpus();
const JSON_SEEDS = SEEDS.filter((s) => s.format === 'json')
  .map((s) => {
    try {
      return JSON.parse(s.text) as unknown;
    } catch {
      return undefined;
    }
  })
  .filter((v) => v !== undefined);

// ---------------------------------------------------------------- structural mutations

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every container path in a value, for picking mutation targets. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((c, i) => paths(c, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}
function get(v: Json, p: (string | number)[]): Json {
  let cur: Json = v;
  for (const s of p) cur = (cur as Record<string, Json>)[s as string];
  return cur;
}
function set(v: Json, p: (string | number)[], value: Json | undefined): Json {
  if (!p.length) return value ?? null;
  const parent = get(v, p.slice(0, -1)) as Record<string | number, Json> | Json[];
  const last = p[p.length - 1];
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(last as number, 1);
    else parent[last as number] = value;
  } else if (value === undefined) delete parent[last];
  else parent[last] = value;
  return v;
}

const jsonValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(
    '',
    '$',
    '$.a',
    '$$.Task.Token',
    'States.Format(',
    '{% $x %}',
    '{% ( %}',
    'Next',
    'arn:aws:states:::ecs:runTask.sync',
    'Succeed',
    'Task',
  ),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
) as fc.Arbitrary<Json>;

type Op = {
  kind: 'delete' | 'duplicate' | 'retype' | 'rename';
  pick: number;
  pick2: number;
  value: Json;
  name: string;
};
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('delete', 'duplicate', 'retype', 'rename'),
  pick: fc.nat(),
  pick2: fc.nat(),
  value: jsonValue,
  name: fc.constantFrom(
    'Type',
    'Next',
    'End',
    'States',
    'StartAt',
    'Parameters',
    'Arguments',
    'Resource',
    'Branches',
    'ItemProcessor',
    'x.$',
    'Choices',
    'Catch',
    'Retry',
    'Job',
    'Overrides',
  ),
});

function mutate(seed: unknown, ops: Op[]): Json {
  let v = structuredClone(seed) as Json;
  for (const o of ops) {
    const all = paths(v);
    const p = all[o.pick % all.length];
    if (o.kind === 'delete') v = p.length ? set(v, p, undefined) : v;
    else if (o.kind === 'retype') v = set(v, p, structuredClone(o.value));
    else if (o.kind === 'duplicate') {
      const src = all[o.pick2 % all.length];
      const target = get(v, p);
      // keep documents small: copying big subtrees repeatedly would grow them exponentially
      const picked = get(v, src);
      if ((JSON.stringify(picked) ?? '').length > 4000) continue;
      const copy = structuredClone(picked);
      if (Array.isArray(target)) target.push(copy);
      else if (target && typeof target === 'object') target[`${o.name}${o.pick2 % 3}`] = copy;
    } else {
      const parentPath = p.slice(0, -1);
      const parent = parentPath.length || p.length ? get(v, parentPath) : undefined;
      if (parent && typeof parent === 'object' && !Array.isArray(parent) && typeof p[p.length - 1] === 'string') {
        const val = parent[p[p.length - 1] as string];
        delete parent[p[p.length - 1] as string];
        parent[o.name] = val;
      }
    }
  }
  return v;
}

// ---------------------------------------------------------------- text mutations

type TextOp = { kind: 'truncate' | 'insert' | 'delete' | 'bytes'; at: number; len: number; text: string };
const textOp: fc.Arbitrary<TextOp> = fc.record({
  kind: fc.constantFrom('truncate', 'insert', 'delete', 'bytes'),
  at: fc.nat(),
  len: fc.nat({ max: 40 }),
  text: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '\n  - ',
      '&a',
      '*a',
      '!!binary',
      '{%',
      '%}',
      '\\u',
      '\uD800',
      '\t',
    ),
  ),
});

function mutateText(text: string, ops: TextOp[], bytes: number[]): string {
  let t = text;
  for (const o of ops) {
    const at = t.length ? o.at % (t.length + 1) : 0;
    if (o.kind === 'truncate') t = t.slice(0, at);
    else if (o.kind === 'insert') t = t.slice(0, at) + o.text + t.slice(at);
    else if (o.kind === 'delete') t = t.slice(0, at) + t.slice(at + o.len);
    else t = t.slice(0, at) + String.fromCharCode(...bytes.slice(0, 16)) + t.slice(at);
  }
  return t;
}

// ---------------------------------------------------------------- generated shapes

/** A machine nested `depth` levels deep through Parallel branches and Map processors. */
export function deepMachine(depth: number): unknown {
  let inner: Record<string, unknown> = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true } } };
  for (let i = 0; i < depth; i++) {
    const name = `L${i}`;
    const state =
      i % 2 ? { Type: 'Parallel', Branches: [inner], End: true } : { Type: 'Map', ItemProcessor: inner, End: true };
    inner = { StartAt: name, States: { [name]: state } };
  }
  return inner;
}

/** A JSON text nested `depth` arrays deep inside Parameters. */
function deepParameters(depth: number): string {
  return `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x":${'['.repeat(depth)}1${']'.repeat(depth)}},"End":true}}}`;
}

// ---------------------------------------------------------------- the code paths under test

/** Runs everything the server runs for one document; throws when something is wrong. */
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 0);

function exercise(text: string, format: 'json' | 'yaml', probe: number, withFixes = true): void {
  if (!SLOW_MS) return exerciseOnce(text, format, probe, withFixes);
  // diagnosing mode: report cases slower than FUZZ_SLOW_MS, keeping their text for replay
  // the case in flight is kept on disk, so a case that never finishes can be replayed
  fs.writeFileSync(path.join(os.tmpdir(), `fuzz-current.txt`), `${format} ${probe} ${withFixes}\n${text}`);
  const t0 = performance.now();
  const steps: [string, number][] = [];
  exerciseOnce(text, format, probe, withFixes, (name) => steps.push([name, performance.now() - t0]));
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) {
    const file = path.join(os.tmpdir(), `fuzz-slow-${Date.now()}.asl.${format}`);
    fs.writeFileSync(file, text);
    process.stderr.write(
      `slow case ${ms.toFixed(0)} ms (${steps.map(([n, t]) => `${n}@${t.toFixed(0)}`).join(' ')}) probe=${probe}: ${file}\n`,
    );
  }
}

function exerciseOnce(
  text: string,
  format: 'json' | 'yaml',
  probe: number,
  withFixes = true,
  lap: (step: string) => void = () => {},
): void {
  const { doc, model } = analyze(text, format);
  lap('analyze');
  const diags = validateModel(model, { machineType: probe % 2 ? 'EXPRESS' : 'STANDARD' });
  const internal = diags.find((d) => d.code === INTERNAL_ERROR_CODE);
  if (internal) throw new Error(internal.message);
  for (const d of diags) {
    if (!(d.offset >= 0 && d.length >= 0 && d.offset + d.length <= text.length))
      throw new Error(`${d.code} out of range: ${d.offset}+${d.length} > ${text.length}`);
  }
  const uri = `file:///fuzz.asl.${format}`;
  const offset = text.length ? probe % (text.length + 1) : 0;
  lap('validate');
  hoverAt(doc, model, offset);
  lap('hover');
  completeAt(doc, model, offset);
  lap('completion');
  definitionAt(doc, model, uri, offset);
  referencesAt(doc, model, uri, offset, true);
  documentSymbols(doc, model);
  foldingRanges(doc);
  lap('navigation');
  // quick fixes edit only the region they change, so they run on the 10 MB case too (a
  // truncated 640 KB machine once took 83 s when every fix re-serialised the whole text)
  if (withFixes) for (const d of diags.slice(0, 8)) fixesFor(doc, model, uri, toLspDiagnostic(d, doc, uri));
}

describe(`fuzz (in-process, seed ${SEED})`, () => {
  it(`structural mutations of valid machines (${RUNS} cases)`, () => {
    const n = Math.ceil(RUNS * 0.6);
    fc.assert(
      fc.property(
        fc.nat({ max: JSON_SEEDS.length - 1 }),
        fc.array(op, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.nat(),
        (i, ops, pretty, probe) => {
          const v = mutate(JSON_SEEDS[i], ops);
          exercise(JSON.stringify(v, null, pretty ? 2 : undefined) ?? 'null', 'json', probe);
        },
      ),
      { numRuns: n, seed: SEED },
    );
  });

  it('text mutations: truncation, insertions, random bytes (JSON and YAML)', () => {
    const n = Math.ceil(RUNS * 0.4);
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(textOp, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 16 }),
        fc.nat(),
        (i, ops, bytes, probe) => {
          const seed = SEEDS[i];
          exercise(mutateText(seed.text, ops, bytes), seed.format, probe);
        },
      ),
      { numRuns: n, seed: SEED },
    );
  });

  it('found by fuzzing: completion returns on a YAML text starting with a newline (was an endless line walk)', () => {
    // `lineStartOf(text, 0)` answered 1 when text[0] is '\n', so the upward walk never moved
    for (const probe of [0, 1, 2, 5, 8]) exercise('\n  - - S', 'yaml', probe);
    for (const probe of [0, 1, 3]) exercise('\n\nA', 'yaml', probe);
  });

  it('found while auditing: deeply nested and very long YAML lines answer (no fatal stack overflow)', () => {
    // a 7,000-deep `- - …` line overflowed the yaml composer's recursion inside V8's regexp
    // compiler (a fatal process error); completion's line patterns were quadratic on it
    const line = 'a:\n  ' + '- '.repeat(20_000) + 'b: c';
    for (const probe of [line.length, line.length - 2, 7]) exercise(line, 'yaml', probe);
    exercise('a: ' + '['.repeat(20_000), 'yaml', 5);
    exercise('x: ' + 'y '.repeat(50_000) + ': z', 'yaml', 100_003);
  });

  it('50-deep nesting (states, and arrays inside Parameters)', () => {
    for (const depth of [50, 200]) {
      const text = JSON.stringify(deepMachine(depth), null, 1);
      exercise(text, 'json', 7);
      const { model } = analyze(text, 'json');
      assert.ok(model.scopes.length >= depth, 'every nested scope is modelled');
      assert.deepEqual(
        validateModel(model).filter((d) => d.severity === 'error'),
        [],
      );
      exercise(deepParameters(depth * 10), 'json', 3);
    }
  });

  it('a 10 MB document', () => {
    const states: Record<string, unknown> = {};
    const n = 50_000;
    for (let i = 0; i < n; i++)
      states[`State${i}`] = {
        Type: 'Pass',
        Result: { i, pad: 'p'.repeat(180) },
        ...(i < n - 1 ? { Next: `State${i + 1}` } : { End: true }),
      };
    const text = JSON.stringify({ StartAt: 'State0', States: states });
    assert.ok(text.length > 10_000_000);
    exercise(text, 'json', 12345);
    exercise(text.slice(0, text.length / 2), 'json', 99);
  });
});

describe('fuzz (over stdio)', () => {
  let client: Awaited<ReturnType<typeof startLspClient>>;
  before(async () => {
    ensureFreshBuild();
    client = await startLspClient();
  });
  after(async () => {
    await client?.stop();
  });

  it(`answers every request for ${STDIO_RUNS} mutated documents`, async () => {
    const uri = 'file:///fuzz/stdio.asl.json';
    const yamlUri = 'file:///fuzz/stdio.asl.yaml';
    client.open(uri, '{}');
    client.open(yamlUri, '{}', 'asl-yaml');
    let version = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(textOp, { maxLength: 3 }),
        fc.nat(),
        async (i, ops, probe) => {
          const seed = SEEDS[i];
          const text = mutateText(seed.text, ops, [0, 1, 0xfffe]);
          const target = seed.format === 'yaml' ? yamlUri : uri;
          version++;
          const published = client.waitForDiagnostics(target, (p) => p.version === version, 20_000);
          client.changeFull(target, version, text);
          const line = text.length ? probe % 40 : 0;
          const position = { line, character: probe % 30 };
          const doc = { textDocument: { uri: target } };
          await Promise.all([
            client.request('textDocument/hover', { ...doc, position }, 20_000),
            client.request('textDocument/completion', { ...doc, position }, 20_000),
            client.request('textDocument/documentSymbol', doc, 20_000),
            client.request('textDocument/foldingRange', doc, 20_000),
            client.request('textDocument/definition', { ...doc, position }, 20_000),
            published,
          ]);
        },
      ),
      { numRuns: STDIO_RUNS, seed: SEED },
    );
    assert.equal(client.exited, undefined, `server exited; stderr: ${client.stderr.slice(-2000)}`);
  });
});
