/**
 * The fuzzer shared by the fuzz test (a bounded, reproducible run in CI) and the fuzz
 * benchmark (scripts/bench/fuzz.mjs, 100,000 documents): the ECS/EKS examples and the test
 * fixtures in JSON and YAML, mutated structurally (delete / duplicate / retype / rename nodes)
 * and as text (byte flips, truncation, deep nesting, anchors and aliases, huge strings, random
 * Unicode), and `exercise`, which runs on one document everything the server runs for it and
 * times each request.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { formatOf } from '../../../asl/src/parse/format';
import { analyze } from '../../../asl/src/analyze';
import { INTERNAL_ERROR_CODE, validateModel } from '../../../asl/src/rules';
import { toLspDiagnostic } from '../../src/features/shared/lspDiagnostic';
import { hoverAt } from '../../src/features/hover';
import { completeAt } from '../../src/features/completion';
import { documentSymbols } from '../../src/features/symbols';
import { foldingRanges } from '../../src/features/folding';
import { definitionAt, highlightsAt, referencesAt } from '../../src/features/navigation';
import { prepareRenameAt, renameAt } from '../../src/features/rename';
import { iamCodeLenses, iamPolicyResult } from '../../src/features/iam';
import { fixesFor } from '../../src/features/codeActions/fixes';
import { formatEdits, formattingRefusal } from '../../src/features/formatting';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { buildGraph } from '../../../asl/src/graph/build';
import { REPO_ROOT, type LspClient } from '../../../scripts/test-helpers/lsp-client.mjs';
import { generateAliasMachine } from '../../../scripts/bench/_generate.mjs';

export type Format = 'json' | 'yaml';

/** One fuzzed document; `probe` picks the position of hover, completion and the like. */
export interface FuzzCase {
  text: string;
  format: Format;
  probe: number;
  /** how the document was made, for reports */
  kind: string;
}

/**
 * No request of a fuzzed document may take longer (far above the usual few milliseconds).
 * In-process it is the CPU time the request took, so a machine busy with other work does not
 * make a fast request look slow; over stdio it is the time until the answer.
 */
export const MAX_REQUEST_MS = 1000;

// ---------------------------------------------------------------- seed corpus

/** The ECS/EKS examples and the valid, rule and LSP fixtures, each example also in the other format. */
function corpus(): { text: string; format: Format }[] {
  const out: { text: string; format: Format }[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.asl\.(json|ya?ml)$/.test(e.name))
        out.push({ text: fs.readFileSync(p, 'utf8'), format: formatOf(e.name) });
    }
  };
  walk(path.join(REPO_ROOT, 'examples'));
  const examples = out.length;
  for (const d of ['asl/test/fixtures/valid', 'asl/test/fixtures/rules', 'server/test/fixtures/lsp'])
    walk(path.join(REPO_ROOT, d));
  // the examples in the other format, so each one is mutated as JSON and as YAML
  for (const s of out.slice(0, examples)) {
    try {
      const v: unknown = s.format === 'json' ? JSON.parse(s.text) : YAML.parse(s.text);
      out.push(
        s.format === 'json'
          ? { text: YAML.stringify(v), format: 'yaml' }
          : { text: JSON.stringify(v, null, 2), format: 'json' },
      );
    } catch {
      /* an example that does not parse has no twin */
    }
  }
  // anchors, aliases and << merges shared across states
  out.push({ text: generateAliasMachine(12), format: 'yaml' });
  return out;
}

export const SEEDS = corpus();

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const VALUE_SEEDS: Json[] = SEEDS.map((s) => {
  try {
    return (s.format === 'json' ? JSON.parse(s.text) : YAML.parse(s.text)) as Json;
  } catch {
    return undefined;
  }
}).filter((v): v is Json => v !== undefined && v !== null && typeof v === 'object');

// ---------------------------------------------------------------- structural mutations

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
    'arn:aws:states:::eks:runJob.sync',
    'Succeed',
    'Task',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
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
    'ContainerOverrides',
    'TaskDefinition',
  ),
});

/** `seed` with the operations applied (a copy). */
export function mutate(seed: unknown, ops: Op[]): Json {
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

/** An alias bomb: ten anchors, each a list of ten aliases of the one before. */
const ALIAS_BOMB = Array.from(
  { length: 10 },
  (_, i) =>
    `\nb${i}: &b${i} [${
      i
        ? Array(10)
            .fill(`*b${i - 1}`)
            .join(', ')
        : 'x'
    }]`,
).join('');

const nesting = fc
  .tuple(
    fc.constantFrom('[', '{"a":', '{a: ', '- ', '[{"Type":"Map","ItemProcessor":'),
    fc.constantFrom(50, 300, 2000, 8000),
  )
  .map(([unit, n]) => unit.repeat(n));

const aliasText = fc.constantFrom(
  '&a ',
  '*a',
  ' &a [*a, *a]',
  '<<: *a',
  '\n<<: *a\n',
  '\n  <<: [*a, *b]\n',
  '\nx: &a {Type: Pass, End: true}\ny: *a\n',
  '\n<<: {Type: Task}\n',
  ALIAS_BOMB,
  '&',
  '*',
  '!!binary ',
  '!!merge ',
);

const hugeString = fc
  .tuple(
    fc.constantFrom('x', 'é', '\u{1F600}', '\\u00e9', '$.a', ' '),
    fc.constantFrom(10_000, 100_000, 400_000),
    fc.boolean(),
  )
  .map(([unit, n, quoted]) => {
    const s = unit.repeat(Math.ceil(n / unit.length));
    return quoted ? `"${s}"` : s;
  });

const unicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom('\uD800', '\uDFFF', '\u200B', '\u202E', '\uFEFF', '\u0000', '\u2028', '\u{10FFFF}', 'e\u0301', '\r'),
);

type TextOp = {
  kind: 'truncate' | 'insert' | 'delete' | 'bytes' | 'flip' | 'nest' | 'alias' | 'huge' | 'unicode';
  at: number;
  len: number;
  text: string;
};
const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constantFrom('truncate', 'insert', 'delete', 'bytes', 'flip'),
      at: fc.nat(),
      len: fc.nat({ max: 40 }),
      text: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\n  - ', '{%', '%}', '\\u', '\t'),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nest'), at: fc.nat(), len: fc.constant(0), text: nesting }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('alias'), at: fc.nat(), len: fc.constant(0), text: aliasText }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('huge'), at: fc.nat(), len: fc.constant(0), text: hugeString }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('unicode'), at: fc.nat(), len: fc.constant(0), text: unicode }),
  },
) as fc.Arbitrary<TextOp>;

/** `text` with the operations applied; `bytes` are the code units of a 'bytes' insertion. */
export function mutateText(text: string, ops: TextOp[], bytes: number[]): string {
  let t = text;
  for (const o of ops) {
    const at = t.length ? o.at % (t.length + 1) : 0;
    if (o.kind === 'truncate') t = t.slice(0, at);
    else if (o.kind === 'delete') t = t.slice(0, at) + t.slice(at + o.len);
    else if (o.kind === 'bytes') t = t.slice(0, at) + String.fromCharCode(...bytes.slice(0, 16)) + t.slice(at);
    else if (o.kind === 'flip') {
      if (at < t.length)
        t = t.slice(0, at) + String.fromCharCode(t.charCodeAt(at) ^ (1 << (o.len % 16))) + t.slice(at + 1);
    } else t = t.slice(0, at) + o.text + t.slice(at);
  }
  return t;
}

// ---------------------------------------------------------------- cases

const structuralCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.nat({ max: VALUE_SEEDS.length - 1 }),
    fc.array(op, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('json', 'json-pretty', 'yaml'),
    fc.nat(),
  )
  .map(([i, ops, as, probe]) => {
    const v = mutate(VALUE_SEEDS[i], ops);
    if (as === 'yaml') return { text: YAML.stringify(v), format: 'yaml' as const, probe, kind: 'structural (YAML)' };
    const text = JSON.stringify(v, null, as === 'json-pretty' ? 2 : undefined) ?? 'null';
    return { text, format: 'json' as const, probe, kind: 'structural (JSON)' };
  });

const textCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.nat({ max: SEEDS.length - 1 }),
    fc.array(textOp, { minLength: 1, maxLength: 3 }),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 16 }),
    fc.nat(),
  )
  .map(([i, ops, bytes, probe]) => ({
    text: mutateText(SEEDS[i].text, ops, bytes),
    format: SEEDS[i].format,
    probe,
    kind: `text (${[...new Set(ops.map((o) => o.kind))].join('+')}, ${SEEDS[i].format.toUpperCase()})`,
  }));

/** Mutated examples and fixtures, half structural, half textual. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(structuralCase, textCase);

/** Text mutations only (what the stdio part sends). */
export const textFuzzCase = textCase;

// ---------------------------------------------------------------- the code paths under test

/** One request of a document: its wall time and the CPU time this process spent on it, in ms. */
export interface Timing {
  name: string;
  ms: number;
  cpuMs: number;
}

/** What one document did: each request's timing, and what went wrong without a throw. */
export interface Outcome {
  times: Timing[];
  errors: string[];
}

/** CPU time of this process so far, in ms. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs on one document everything the server runs for it (analysis and diagnostics, then each
 * request at one position) and times each. A throw is a crash of that request (the server's
 * guard would turn it into an empty answer and a log line); `errors` lists internal-error
 * diagnostics, ranges outside the text and edits without text.
 */
export function exercise(text: string, format: Format, probe: number, withFixes = true): Outcome {
  const times: Timing[] = [];
  const errors: string[] = [];
  let t0 = performance.now();
  let c0 = cpuNow();
  const lap = (name: string): void => {
    const t = performance.now();
    const c = cpuNow();
    times.push({ name, ms: t - t0, cpuMs: c - c0 });
    t0 = t;
    c0 = c;
  };
  const { doc, model } = analyze(text, format);
  const diags = validateModel(model, { machineType: probe % 2 ? 'EXPRESS' : 'STANDARD' });
  const uri = `file:///fuzz.asl.${format}`;
  const lsp = diags.map((d) => toLspDiagnostic(d, doc, uri));
  lap('diagnostics');
  for (const d of diags) {
    if (d.code === INTERNAL_ERROR_CODE) errors.push(`internal error: ${d.message}`);
    if (!(d.offset >= 0 && d.length >= 0 && d.offset + d.length <= text.length))
      errors.push(`${d.code} out of range: ${d.offset}+${d.length} > ${text.length}`);
  }
  const offset = text.length ? probe % (text.length + 1) : 0;
  hoverAt(doc, model, offset);
  lap('hover');
  completeAt(doc, model, offset);
  lap('completion');
  definitionAt(doc, model, uri, offset);
  lap('definition');
  referencesAt(doc, model, uri, offset, true);
  lap('references');
  highlightsAt(doc, model, offset);
  lap('documentHighlight');
  if (prepareRenameAt(doc, model, offset)) renameAt(doc, model, uri, offset, 'Renamed state');
  lap('rename');
  documentSymbols(doc, model);
  lap('documentSymbol');
  foldingRanges(doc);
  lap('foldingRange');
  iamCodeLenses(doc, model, uri);
  iamPolicyResult(model, DEFAULT_SETTINGS);
  lap('iam');
  buildGraph(model, diags);
  lap('stateGraph');
  const options = { tabSize: 1 + (probe % 4), insertSpaces: probe % 3 !== 0 };
  if (!formattingRefusal(text, options)) {
    for (const e of formatEdits(doc, options))
      if (typeof e.newText !== 'string') errors.push('a formatting edit without text');
  }
  lap('formatting');
  // quick fixes edit only the region they change, so they run on the 10 MB case too
  if (withFixes) for (const d of lsp.slice(0, 8)) fixesFor(doc, model, uri, d);
  lap('codeAction');
  return { times, errors };
}

/** The request of an outcome that took the most CPU time. */
export function slowest(o: Outcome): Timing {
  return o.times.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a), { name: 'none', ms: 0, cpuMs: 0 });
}

/** How one request of a document sent over a connection went: its latency, or why it failed. */
export interface Answer {
  name: string;
  ms?: number;
  error?: string;
}

/**
 * Replaces the text of an open document over a real connection and sends the requests an
 * editor sends for it at the probe's position; each is timed from the change to its answer
 * (diagnostics: to their publication), as the user waits for it.
 */
export async function sendDocument(
  client: LspClient,
  uri: string,
  version: number,
  text: string,
  probe: number,
): Promise<Answer[]> {
  const td = { textDocument: { uri } };
  const position = { line: probe % 40, character: probe % 30 };
  const t0 = performance.now();
  const timed = async (name: string, p: Promise<unknown>): Promise<Answer> => {
    try {
      await p;
      return { name, ms: performance.now() - t0 };
    } catch (e) {
      return { name, error: String((e as Error)?.message ?? e) };
    }
  };
  const published = client.waitForDiagnostics(uri, (x) => x.version === version, { deadlineMs: 20_000 });
  client.changeFull(uri, version, text);
  const request = (method: string, params: object) => client.request(method, { ...td, ...params }, 20_000);
  return Promise.all([
    timed('diagnostics', published),
    timed('hover', request('textDocument/hover', { position })),
    timed('completion', request('textDocument/completion', { position })),
    timed('documentSymbol', request('textDocument/documentSymbol', {})),
    timed('foldingRange', request('textDocument/foldingRange', {})),
    timed('definition', request('textDocument/definition', { position })),
    timed('references', request('textDocument/references', { position, context: { includeDeclaration: true } })),
    timed('codeLens', request('textDocument/codeLens', {})),
    timed('formatting', request('textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } })),
  ]);
}
