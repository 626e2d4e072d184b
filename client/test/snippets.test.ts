/**
 * The snippets files are generated from snippets/src/definitions.ts and every snippet that
 * stands for a state (or a whole machine, or a Retry/Catch block) validates clean, in JSON
 * and in YAML, with the same validator the language server runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderFile } from '../../snippets/src/generate';
import { snippets } from '../../snippets/src/definitions';
import { expandSnippet } from './helpers/expandSnippet';
import { analyze } from '../../asl/src/analyze';
import { validateModel } from '../../asl/src/rules/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
type Lang = 'json' | 'yaml';
const files: Record<Lang, string> = { json: 'snippets/asl.code-snippets', yaml: 'snippets/asl-yaml.code-snippets' };
const read = (lang: Lang) =>
  JSON.parse(fs.readFileSync(path.join(root, files[lang]), 'utf8')) as Record<
    string,
    { prefix: string; body: string[] }
  >;
const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** Wraps an expanded snippet into a whole machine text. */
function machineFor(kind: string, body: string, lang: Lang): string {
  if (kind === 'Machine') return body;
  if (kind === 'State') {
    const name = lang === 'json' ? (JSON.parse(`{${body}}`) as object) : null;
    const stateName =
      lang === 'json' ? Object.keys(name!)[0] : body.split('\n')[0].replace(/:$/, '').replace(/^"|"$/g, '');
    return lang === 'json'
      ? `{\n  "StartAt": ${JSON.stringify(stateName)},\n  "States": {\n${indent(body, '    ')}\n  }\n}\n`
      : `StartAt: ${JSON.stringify(stateName)}\nStates:\n${indent(body, '  ')}\n`;
  }
  // Retry / Catch: a field of a Task state; Catch targets "Handle … error"
  const target = /Next": "([^"]+)"|Next: (.+)/.exec(body);
  const handler = target ? (target[1] ?? target[2]).replace(/^"|"$/g, '') : undefined;
  if (lang === 'json') {
    const states: string[] = [
      `"Work": {\n  "Type": "Task",\n  "Resource": "arn:aws:states:::ecs:runTask.sync",\n  "Parameters": { "TaskDefinition": "job" },\n  "TimeoutSeconds": 60,\n${indent(body, '  ')},\n  "End": true\n}`,
    ];
    if (handler) states.push(`${JSON.stringify(handler)}: { "Type": "Fail", "Error": "Failed" }`);
    return `{\n  "StartAt": "Work",\n  "States": {\n${indent(states.join(',\n'), '    ')}\n  }\n}\n`;
  }
  let text = `StartAt: Work\nStates:\n  Work:\n    Type: Task\n    Resource: arn:aws:states:::ecs:runTask.sync\n    Parameters:\n      TaskDefinition: job\n    TimeoutSeconds: 60\n${indent(body, '    ')}\n    End: true\n`;
  if (handler) text += `  ${JSON.stringify(handler)}:\n    Type: Fail\n    Error: Failed\n`;
  return text;
}

test('the generated snippet files are up to date (node --import tsx snippets/src/generate.ts)', () => {
  for (const lang of ['json', 'yaml'] as const) {
    assert.equal(fs.readFileSync(path.join(root, files[lang]), 'utf8'), renderFile(lang), files[lang]);
  }
});

test('both languages offer the same prefixes, all distinct', () => {
  const json = Object.values(read('json')).map((s) => s.prefix);
  const yaml = Object.values(read('yaml')).map((s) => s.prefix);
  assert.deepEqual(json, yaml);
  assert.equal(new Set(json).size, json.length);
});

test('every snippet expands to a machine that validates clean', () => {
  const validate = (text: string, lang: Lang) => validateModel(analyze(text, lang).model, { machineType: 'STANDARD' });
  // the validator is real: a machine whose StartAt names no state is reported
  assert.ok(
    validate('{ "StartAt": "Missing", "States": { "A": { "Type": "Succeed" } } }', 'json').some(
      (d) => d.severity === 'error',
    ),
  );
  for (const lang of ['json', 'yaml'] as const) {
    const file = read(lang);
    for (const def of snippets) {
      const snippet = file[`${def.kind}: ${def.title}`];
      const text = machineFor(def.kind, expandSnippet(snippet.body.join('\n')), lang);
      const problems = validate(text, lang).filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(
        problems.map((d) => `${d.code} ${d.message}`),
        [],
        `${lang} ${def.prefix}:\n${text}`,
      );
    }
  }
  for (const f of fs.readdirSync(path.join(root, 'snippets/templates'))) {
    const text = fs.readFileSync(path.join(root, 'snippets/templates', f), 'utf8');
    const problems = validate(text, 'json').filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(
      problems.map((d) => `${d.code} ${d.message}`),
      [],
      `template ${f}`,
    );
  }
});
