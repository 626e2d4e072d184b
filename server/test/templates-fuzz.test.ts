/**
 * The offset maps of state machines in templates, fuzzed over a real stdio connection: the
 * CloudFormation, SAM and CDK templates and a Terraform file get random edits (quotes, backslashes, `${`, line
 * breaks, tags, deletions — inside and around their definitions) as incremental changes. After
 * each, the server must answer everything, and every range it gives for a state machine
 * (diagnostics, hover, completion edits, quick-fix edits, symbols, lenses, highlights) must
 * lie inside that machine's definition. FUZZ_SEED replays a run.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { positionOf } from './helpers/caret';
import { REPO_ROOT, startLspClient, type LspClient } from '../../scripts/test-helpers/lsp-client.mjs';

const SEED =
  process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.TEMPLATE_FUZZ_RUNS ?? 300);

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}

const example = (p: string) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8');
const CFN_YAML = example('examples/cloudformation/template.yaml');
const TEMPLATES: { name: string; languageId: string; text: string }[] = [
  { name: 'template.yaml', languageId: 'yaml', text: CFN_YAML },
  { name: 'sam.yaml', languageId: 'yaml', text: example('examples/sam/template.yaml') },
  {
    name: 'string.yaml',
    languageId: 'yaml',
    // the same machine as a `!Sub` block scalar
    text: CFN_YAML.replace(
      /      Definition:\n[\s\S]*$/,
      '      DefinitionString: !Sub |\n        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:${AWS::Partition}:states:::ecs:runTask.sync",\n          "Parameters": {"Cluster": "${ClusterArn}", "TaskDefinition": "${TaskDefinitionArn}"}, "End": true}}}\n',
    ),
  },
  {
    name: 'template.json',
    languageId: 'json',
    text: JSON.stringify(
      {
        Resources: {
          Flow: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: JSON.stringify(
                {
                  StartAt: 'A',
                  States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Wait', Seconds: 5, End: true } },
                },
                null,
                2,
              ),
            },
          },
        },
      },
      null,
      2,
    ),
  },
  { name: 'Stack.template.json', languageId: 'json', text: example('examples/cdk/cdk.out/EcsTaskStack.template.json') },
  { name: 'main.tf', languageId: 'terraform', text: example('examples/terraform/main.tf') },
];

/** Text an edit inserts: what breaks escaping and offsets most. */
const PIECES = [
  '"',
  '\\',
  '\\"',
  '${',
  '}',
  '{',
  '[',
  '\n',
  '\n  ',
  ': ',
  ',',
  '!Ref X',
  'é',
  '😀',
  '\t',
  '#',
  '- ',
  "'",
  'Type',
];

const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 6 }),
  insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((a) => a.join('')),
});
const caseArb = fc.record({
  template: fc.nat({ max: TEMPLATES.length - 1 }),
  edits: fc.array(editArb, { minLength: 1, maxLength: 4 }),
  probe: fc.double({ min: 0, max: 1, noNaN: true }),
});

const before_ = (a: Pos, b: Pos) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const inside = (r: Range, m: Range) => before_(m.start, r.start) && before_(r.end, m.end);

/** Every range in a JSON answer (any object with start/end positions). */
function rangesIn(v: unknown, out: Range[] = []): Range[] {
  if (Array.isArray(v)) for (const x of v) rangesIn(x, out);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const s = o.start as Pos | undefined;
    const e = o.end as Pos | undefined;
    if (typeof s?.line === 'number' && typeof e?.line === 'number') out.push(o as unknown as Range);
    else for (const x of Object.values(o)) rangesIn(x, out);
  }
  return out;
}

describe(`templates fuzz over LSP (seed ${SEED})`, () => {
  let client: LspClient;
  before(async () => {
    client = await startLspClient();
  });
  after(async () => {
    await client.stop();
  });

  it(`${RUNS} edited templates: answers for every request, every range inside its definition`, async () => {
    let n = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const t = TEMPLATES[c.template]!;
        const uri = `file:///templates-fuzz/${++n}/${t.name}`;
        let text = t.text;
        let version = 1;
        const opened = client.waitForDiagnostics(uri, (p) => p.version === 1);
        client.open(uri, text, t.languageId);
        await opened;
        for (const e of c.edits) {
          const start = Math.floor(e.at * text.length);
          const end = Math.min(text.length, start + e.remove);
          const range = { start: positionOf(text, start), end: positionOf(text, end) };
          text = text.slice(0, start) + e.insert + text.slice(end);
          version++;
          client.changeIncremental(uri, version, [{ range, text: e.insert }]);
        }
        const published = await client.waitForDiagnostics(uri, (p) => p.version === version, { includePast: true });
        const listed = await client.request<{ machines: { id: string; range: Range }[] } | null>(
          'aslWorkbench/embeddedMachines',
          { uri },
        );
        const machines = listed?.machines.map((m) => m.range) ?? [];
        const what = `${t.name} v${version}: ${JSON.stringify(c.edits)}`;
        const inSome = (r: Range) => machines.some((m) => inside(r, m));
        for (const d of published.diagnostics) {
          if (String(d.code).startsWith('TPL')) continue; // about the template around the definition
          checked++;
          assert.ok(
            inSome(d.range),
            `${d.code} at ${JSON.stringify(d.range)} outside ${JSON.stringify(machines)} (${what})`,
          );
        }
        const position = positionOf(text, Math.floor(c.probe * text.length));
        const doc = { textDocument: { uri } };
        const answers = await Promise.all([
          client.request('textDocument/hover', { ...doc, position }),
          client.request('textDocument/completion', { ...doc, position }),
          client.request('textDocument/documentHighlight', { ...doc, position }),
          client.request('textDocument/definition', { ...doc, position }),
          client.request('textDocument/documentSymbol', doc),
          client.request('textDocument/codeLens', doc),
          client.request('textDocument/codeAction', {
            ...doc,
            range: { start: position, end: position },
            context: { diagnostics: published.diagnostics.filter((d) => !String(d.code).startsWith('TPL')) },
          }),
        ]);
        const ranges = rangesIn(answers);
        checked += ranges.length;
        for (const r of ranges)
          assert.ok(inSome(r), `range ${JSON.stringify(r)} outside ${JSON.stringify(machines)} (${what})`);
        client.close(uri);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // the edits leave most machines readable: the property is checked on many ranges
    assert.ok(checked > RUNS * 2, `only ${checked} ranges checked`);
    assert.equal(client.exited, undefined, `the server stopped: ${client.stderr}`);
    assert.deepEqual(
      client.logs.filter((l) => l.type === 1).map((l) => l.message),
      [],
      'no handler logged an error',
    );
  });
});
