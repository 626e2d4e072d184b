/**
 * Property-based robustness, bounded for CI: the ECS/EKS examples and the fixtures, in JSON and
 * YAML, mutated structurally and as text (byte flips, truncation, deep nesting, anchors and
 * aliases, huge strings, random Unicode; server/test/helpers/fuzz.ts), go through everything
 * the server runs for a document — in-process, then over a real stdio connection. Nothing may
 * throw, report an internal error or take more than a second per request, and the server must
 * answer everything and stay up.
 * FUZZ_RUNS sets the in-process case count (default 2,000); FUZZ_SEED=<n> replays a run and
 * FUZZ_SEED=random explores a new one. scripts/bench/fuzz.mjs runs 100,000 documents and prints
 * crashes, errors and latencies instead of stopping at the first failure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules';
import { iamPolicyResult } from '../src/features/iam';
import { DEFAULT_SETTINGS } from '../src/settings';
import { getProperty, getValue } from '../../asl/src/parse/tree';
import type { AstNode } from '../../asl/src/types';
import { startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';
import { generateAliasMachine, generateNestedMachine } from '../../scripts/bench/_generate.mjs';
import { exercise, fuzzCase, MAX_REQUEST_MS, SEEDS, sendDocument, slowest, textFuzzCase } from './helpers/fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const SEED =
  process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261121);
const STDIO_RUNS = Math.max(50, Math.min(300, Math.round(RUNS / 20)));

/** Runs a document through everything; throws on an error or a request over the bound. */
function check(text: string, format: 'json' | 'yaml', probe: number, what: string = format): void {
  const o = exercise(text, format, probe);
  assert.deepEqual(o.errors, [], what);
  const { name, cpuMs } = slowest(o);
  assert.ok(cpuMs < MAX_REQUEST_MS, `${name} took ${cpuMs.toFixed(0)} ms of CPU on ${what} (${text.length} chars)`);
}

describe(`fuzz (in-process, seed ${SEED})`, () => {
  before(() => {
    // compiles the validators and warms the code paths once, so the bound applies to the documents
    for (const s of SEEDS) exercise(s.text, s.format, 1);
  });

  it(`${RUNS} mutated documents: no throw, no internal error, no request over ${MAX_REQUEST_MS} ms`, () => {
    fc.assert(
      fc.property(fuzzCase, (c) => check(c.text, c.format, c.probe, c.kind)),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('found by fuzzing: completion returns on a YAML text starting with a newline (was an endless line walk)', () => {
    // `lineStartOf(text, 0)` answered 1 when text[0] is '\n', so the upward walk never moved
    for (const probe of [0, 1, 2, 5, 8]) check('\n  - - S', 'yaml', probe);
    for (const probe of [0, 1, 3]) check('\n\nA', 'yaml', probe);
  });

  it('found while auditing: deeply nested and very long YAML lines answer (no fatal stack overflow)', () => {
    // a 7,000-deep `- - …` line overflowed the yaml composer's recursion inside V8's regexp
    // compiler (a fatal process error); completion's line patterns were quadratic on it
    const line = 'a:\n  ' + '- '.repeat(20_000) + 'b: c';
    for (const probe of [line.length, line.length - 2, 7]) check(line, 'yaml', probe);
    check('a: ' + '['.repeat(20_000), 'yaml', 5);
    check('x: ' + 'y '.repeat(50_000) + ': z', 'yaml', 100_003);
  });

  it('found by fuzzing: formatting at exactly 200 columns of indentation gives edits with text', () => {
    // jsonc-parser reads one past its indentation cache there and returns an edit without content
    const text = JSON.stringify(generateNestedMachine(30));
    for (const probe of [1, 2, 4, 5]) check(text, 'json', probe);
  });

  it('found by fuzzing: a mangled 250 KB YAML file with 64,000 syntax errors answers within the bound', () => {
    // the composer makes an Error, with a stack trace, per problem; only the first 1,000 are listed
    const machine = generateAliasMachine(12);
    const at = machine.indexOf('<<: *task', 2000) + '<<: *task'.length;
    const text = machine.slice(0, at) + '[{"Type":"Map","ItemProcessor":'.repeat(8000) + machine.slice(at);
    check(text, 'yaml', 5);
    const { doc } = analyze(text, 'yaml');
    assert.equal(doc.problems.length, 1001);
    assert.match(doc.problems[1000].message, /^\d+ more syntax problems follow and are not shown/);
  });

  it('found by fuzzing: the IAM policy for a wildcard role ARN of 100,000 characters', () => {
    // a wildcard resource is matched through a regular expression, and V8 refuses one that large
    const role = `arn:aws:iam::123456789012:role/${'x'.repeat(100_000)}*`;
    const text = JSON.stringify({
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: 'arn:aws:states:::eks:createCluster.sync',
          Parameters: { Name: 'c', RoleArn: role, ResourcesVpcConfig: { SubnetIds: ['subnet-1'] } },
          End: true,
        },
      },
    });
    check(text, 'json', 1);
    const statements = iamPolicyResult(analyze(text, 'json').model, DEFAULT_SETTINGS)!.policy.Statement as {
      Action: string[];
      Resource: string[];
    }[];
    const passRole = statements.find((st) => st.Action.includes('iam:PassRole'));
    assert.deepEqual(passRole?.Resource, [role]);
  });

  it('found by fuzzing: a payload nested 20,000 levels deep is measured for the 256 KiB limit, not a crash', () => {
    // a plain value of it, and JSON.stringify, recurse past the call stack; the parsers stop
    // short of such depths, so the nesting is put into the tree directly
    const pad = 'p'.repeat(90_000);
    const { model } = analyze(
      `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"pad":"${pad}","x":1},"End":true}}}`,
      'json',
    );
    const x = getProperty(getValue(model.states[0].node, 'Parameters'), 'x')!;
    const depth = 20_000;
    let inner: AstNode = { type: 'string', value: 'q'.repeat(200_000), offset: 0, length: 0 };
    for (let i = 0; i < depth; i++) {
      const array: AstNode = { type: 'array', offset: 0, length: 0, children: [inner] };
      inner.parent = array;
      inner = array;
    }
    inner.parent = x;
    x.children![1] = inner;
    const bytes = `{"pad":"${pad}","x":${'['.repeat(depth)}"${'q'.repeat(200_000)}"${']'.repeat(depth)}}`.length;
    assert.deepEqual(
      validateModel(model).map((d) => `${d.code} ${d.message}`),
      [
        `ASL601 'Parameters' is ${bytes} bytes as JSON; Step Functions payloads are limited to 262144 bytes (256 KiB), the state would fail with States.DataLimitExceeded.`,
      ],
    );
  });

  it('50- and 200-deep nesting (states, and arrays inside Parameters)', () => {
    for (const depth of [50, 200]) {
      const text = JSON.stringify(generateNestedMachine(depth), null, 1);
      check(text, 'json', 7);
      const { model } = analyze(text, 'json');
      assert.ok(model.scopes.length >= depth, 'every nested scope is modelled');
      assert.deepEqual(
        validateModel(model).filter((d) => d.severity === 'error'),
        [],
      );
      const n = depth * 10;
      check(
        `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x":${'['.repeat(n)}1${']'.repeat(n)}},"End":true}}}`,
        'json',
        3,
      );
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
    // no time bound: ten times the largest definition Step Functions accepts
    for (const t of [text, text.slice(0, text.length / 2)]) assert.deepEqual(exercise(t, 'json', 12345).errors, []);
  });
});

describe('fuzz (over stdio)', () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client?.stop();
  });

  it(`answers every request for ${STDIO_RUNS} mutated documents, each within ${MAX_REQUEST_MS} ms`, async () => {
    const uri = 'file:///fuzz/stdio.asl.json';
    const yamlUri = 'file:///fuzz/stdio.asl.yaml';
    client.open(uri, '{}');
    client.open(yamlUri, '{}', 'asl-yaml');
    // warm-up: the first analysis compiles the validators
    for (const s of SEEDS.slice(0, 20)) {
      const target = s.format === 'yaml' ? yamlUri : uri;
      const p = client.waitForDiagnostics(target, undefined, { deadlineMs: 20_000 });
      client.changeFull(target, 1, s.text);
      await p;
    }
    let version = 1;
    await fc.assert(
      fc.asyncProperty(textFuzzCase, async (c) => {
        const answers = await sendDocument(client, c.format === 'yaml' ? yamlUri : uri, ++version, c.text, c.probe);
        for (const a of answers) {
          assert.equal(a.error, undefined, `${a.name} failed on ${c.kind}`);
          assert.ok(a.ms! < MAX_REQUEST_MS, `${a.name} took ${a.ms!.toFixed(0)} ms on ${c.kind}`);
        }
      }),
      { numRuns: STDIO_RUNS, seed: SEED },
    );
    assert.equal(client.exited, undefined, `server exited; stderr: ${client.stderr.slice(-2000)}`);
    const logged = client.logs.filter((l) => l.type === 1).map((l) => l.message);
    assert.deepEqual(logged, [], 'no request failed inside the server');
  });
});
