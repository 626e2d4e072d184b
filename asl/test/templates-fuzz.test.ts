/**
 * Random edits of templates (the CloudFormation, SAM and CDK examples and the template
 * fixtures, mutated with the shared text mutations of server/test/helpers/fuzz.ts plus
 * template syntax): finding and analysing their state machines never throws, the map is
 * monotone, and every range and edit stays inside the definition's host range.
 * FUZZ_RUNS sets the case count (default 400); FUZZ_SEED=<n> replays a run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { analyzeMachine } from '../src/templates';
import { findCloudFormationMachines } from '../src/templates/cloudformation';
import { mutateText } from '../../server/test/helpers/fuzz';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '../..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

const SEEDS = [
  'examples/cloudformation/template.yaml',
  'examples/sam/template.yaml',
  'examples/cdk/cdk.out/EcsTaskStack.template.json',
  'asl/test/fixtures/templates/escapes.template.json',
  'asl/test/fixtures/templates/sub-block.template.yaml',
].map((f) => ({ file: f, text: fs.readFileSync(path.join(REPO, f), 'utf8') }));

const SAM_DEFINITION = fs.readFileSync(path.join(REPO, 'examples/sam/statemachine/run-commands.asl.json'), 'utf8');

type TextOps = Parameters<typeof mutateText>[1];

const templateText = fc.constantFrom(
  '!Sub ',
  '!Ref X ',
  '!GetAtt A.Arn',
  '!Join ["", [a, !Ref B]]',
  '${',
  '}',
  '${!X}',
  '${Undefined}',
  '\\u00e9',
  '\\"',
  '\\',
  '|',
  '|-\n',
  '>',
  '\n      ',
  '{"Fn::Join": ["", ["{", {"Ref": "X"}, "}"]]}',
  '"',
  "'",
  '\t',
  'é',
  '\u{1F600}',
);

const textOps: fc.Arbitrary<TextOps> = fc.array(
  fc.record({
    kind: fc.constantFrom('truncate', 'insert', 'insert', 'insert', 'delete', 'bytes', 'flip'),
    at: fc.nat(),
    len: fc.nat({ max: 40 }),
    text: fc.oneof(templateText, fc.string({ maxLength: 6 })),
  }),
  { minLength: 1, maxLength: 4 },
) as fc.Arbitrary<TextOps>;

/** Checks one mutated template; returns what went wrong, if anything. */
function problems(text: string, file: string, probes: number[]): string[] {
  const out: string[] = [];
  const machines = findCloudFormationMachines(text, file, () => SAM_DEFINITION);
  for (const m of machines) {
    const { start, end } = m.hostRange;
    const inside = (a: number, b: number) => start <= a && a <= b && b <= end;
    for (const d of m.hostDiagnostics) if (/could not be read/.test(d.message)) out.push(`${m.id}: ${d.message}`);
    for (const d of analyzeMachine(m).diagnostics)
      if (!inside(d.offset, d.offset + d.length))
        out.push(`${m.id}: ${d.code} at [${d.offset}, ${d.offset + d.length}) outside [${start}, ${end})`);
    for (let v = 1, prev = m.toHost(0); v <= m.text.length; v++) {
      const h = m.toHost(v);
      if (h < prev) {
        out.push(`${m.id}: toHost(${v}) = ${h} before toHost(${v - 1}) = ${prev}`);
        break;
      }
      prev = h;
    }
    for (const p of probes) {
      const v = m.text.length ? p % (m.text.length + 1) : 0;
      const h = m.toHost(v);
      if (!inside(h, h)) out.push(`${m.id}: toHost(${v}) = ${h} outside [${start}, ${end})`);
      if (m.fromHost(h) === undefined) out.push(`${m.id}: fromHost(toHost(${v})) is undefined`);
      const w = Math.min(m.text.length, v + (p % 7));
      const e = m.encodeEdit(v, w, 'x"\n\\é');
      if (e && !inside(e.start, e.end)) out.push(`${m.id}: edit [${e.start}, ${e.end}) outside [${start}, ${end})`);
    }
  }
  return out;
}

describe(`templates fuzz (seed ${SEED})`, () => {
  it('the seeds themselves are clean', () => {
    for (const s of SEEDS) assert.deepEqual(problems(s.text, s.file, [0, 1, 17, 400]), [], s.file);
  });

  it(`${RUNS} random edits of templates never throw or leave the definition`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        textOps,
        fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 16 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        (i, ops, bytes, probes) => {
          const text = mutateText(SEEDS[i].text, ops, bytes);
          assert.deepEqual(problems(text, SEEDS[i].file, probes), []);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
