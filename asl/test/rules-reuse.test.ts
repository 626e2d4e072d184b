/**
 * Reusing per-state findings between validations of successive versions of a document
 * (rules/reuse.ts) must never change what a validation reports: every rule fixture, validated
 * after an earlier version of itself, reports exactly what a validation from scratch reports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analyze';
import { validateModel } from '../src/rules';
import { StateFindings } from '../src/rules/reuse';
import type { AslDiagnostic, ValidateOptions } from '../src/rules/types';

const RULES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/rules');

function fixtures(): { name: string; text: string; options: ValidateOptions }[] {
  const out: { name: string; text: string; options: ValidateOptions }[] = [];
  for (const code of fs.readdirSync(RULES_DIR).sort()) {
    const dir = path.join(RULES_DIR, code);
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.asl.json')) continue;
      const optionsFile = path.join(dir, f.replace(/\.asl\.json$/, '.options.json'));
      const options = fs.existsSync(optionsFile)
        ? (JSON.parse(fs.readFileSync(optionsFile, 'utf8')) as ValidateOptions)
        : { machineType: 'STANDARD' as const };
      out.push({ name: `${code}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8'), options });
    }
  }
  return out;
}

const fresh = (text: string, options: ValidateOptions): AslDiagnostic[] =>
  validateModel(analyze(text, 'json').model, options);
const reusing = (text: string, options: ValidateOptions, findings: StateFindings): AslDiagnostic[] =>
  validateModel(analyze(text, 'json').model, options, findings);

/** The text with `insert` put right after the first `{` (every state moves). */
const shiftedText = (text: string, insert: string): string => {
  const at = text.indexOf('{') + 1;
  return at > 0 ? text.slice(0, at) + insert + text.slice(at) : text;
};

describe('reused per-state findings', () => {
  for (const { name, text, options } of fixtures()) {
    it(`${name}: moved, edited and restored versions report what a fresh validation reports`, () => {
      const findings = new StateFindings();
      const versions = [
        text,
        shiftedText(text, '\n   '),
        shiftedText(text, ' '),
        text.replace(/"Comment": "[^"]*"/, '"Comment": "edited"'),
        text,
      ];
      for (const v of versions) assert.deepEqual(reusing(v, options, findings), fresh(v, options));
    });
  }

  it('an unchanged state is not checked again: its findings are the ones kept', () => {
    const text = JSON.stringify({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Nxt: 'B', End: true }, B: { Type: 'Wait', End: true } },
    });
    const findings = new StateFindings();
    const options: ValidateOptions = { machineType: 'STANDARD' };
    const first = reusing(text, options, findings);
    const second = reusing(text, options, findings);
    assert.deepEqual(second, first);
    const unknownField = (ds: AslDiagnostic[]) => ds.find((d) => d.code === 'ASL102');
    assert.ok(unknownField(first), "'Nxt' is reported");
    assert.equal(unknownField(second), unknownField(first));
  });

  it('editing the middle state keeps the states before and after it right', () => {
    const state = (next: object, comment: string) => ({ Type: 'Pass', Comment: comment, Reslt: 1, ...next });
    const version = (comment: string) =>
      JSON.stringify(
        {
          StartAt: 'A',
          States: { A: state({ Next: 'B' }, 'a'), B: state({ Next: 'C' }, comment), C: state({ End: 1 }, 'c') },
        },
        null,
        2,
      );
    const findings = new StateFindings();
    const options: ValidateOptions = { machineType: 'STANDARD' };
    for (const comment of ['b', 'a longer comment', '', 'b'])
      assert.deepEqual(reusing(version(comment), options, findings), fresh(version(comment), options));
  });

  it('a state with the same text under another query language is checked again', () => {
    const machine = (ql: string) =>
      JSON.stringify({
        QueryLanguage: ql,
        StartAt: 'A',
        States: { A: { Type: 'Pass', Parameters: { 'x.$': '$.y' }, End: true } },
      });
    const findings = new StateFindings();
    const options: ValidateOptions = { machineType: 'STANDARD' };
    reusing(machine('JSONPath'), options, findings);
    const got = reusing(machine('JSONata'), options, findings);
    assert.deepEqual(got, fresh(machine('JSONata'), options));
    assert.ok(
      got.some((d) => d.code === 'ASL208'),
      'Parameters is reported as a JSONPath-only field under JSONata',
    );
  });

  it('findings of one machine type are not reused for another', () => {
    const text = JSON.stringify({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: {}, End: true } },
    });
    const findings = new StateFindings();
    reusing(text, { machineType: 'STANDARD' }, findings);
    assert.deepEqual(reusing(text, { machineType: 'EXPRESS' }, findings), fresh(text, { machineType: 'EXPRESS' }));
  });
});

describe('identical parts of one machine', () => {
  it('each repeated payload reports its own problems, at its own place', () => {
    const task = (next: object) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { Clustr: 'jobs', TaskDefinition: 'report:1', 'Group.$': 'group', Group: 'g' },
      ...next,
    });
    const text = JSON.stringify(
      { StartAt: 'A', States: { A: task({ Next: 'B' }), B: task({ Next: 'C' }), C: task({ End: true }) } },
      null,
      2,
    );
    const got = fresh(text, { machineType: 'STANDARD' });
    const places = (needle: string) => {
      const out: number[] = [];
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
      return out;
    };
    const at = (code: string) => got.filter((d) => d.code === code).map((d) => d.offset);
    assert.deepEqual(at('ECS403'), places('"Clustr"'), "the unknown 'Clustr' of each state");
    assert.deepEqual(at('ASL201'), places('"group"'), "the '.$' value of each state that is not a path");
    assert.deepEqual(at('ASL206'), places('"Group.$"'), "each key with its '.$' twin");
    assert.deepEqual(
      got.filter((d) => d.code === 'ASL206').map((d) => d.relatedOffsets?.[0]?.offset),
      places('"Group":'),
      'each twin points at the key of its own state',
    );
  });

  it('payloads and retriers of the same length that differ in one character each report their own problems', () => {
    // a long constant makes the differing character one of many, the rest of each part the same
    const task = (path: string, backoff: number, next: object) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::ecs:runTask.sync',
      Parameters: { Cluster: 'jobs', Notes: 'n'.repeat(300), 'In.$': path },
      Retry: [{ ErrorEquals: ['States.ALL'], Comment: 'c'.repeat(300), BackoffRate: backoff }],
      ...next,
    });
    const states = {
      A: task('$.abc', 2, { Next: 'B' }),
      B: task('$.a[c', 0, { Next: 'C' }),
      C: task('$.abc', 2, { Next: 'D' }),
      D: task('$.a[c', 0, { End: true }),
    };
    const text = JSON.stringify({ StartAt: 'A', States: states }, null, 2);
    const got = fresh(text, { machineType: 'STANDARD' });
    const stateOf = (offset: number) => ['A', 'B', 'C', 'D'].filter((n) => text.indexOf(`"${n}": {`) < offset).pop();
    const statesWith = (code: string) => got.filter((d) => d.code === code).map((d) => stateOf(d.offset));
    assert.deepEqual(statesWith('ASL202'), ['B', 'D'], "the invalid path '$.a[c'");
    assert.deepEqual(statesWith('ASL304'), ['B', 'D'], 'the BackoffRate below 1');
  });
});
