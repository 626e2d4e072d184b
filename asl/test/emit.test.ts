import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import YAML from 'yaml';
import { emitJson, emitYaml, needsQuotes, yamlString, type Emittable, type YamlContext } from '../src/text/emit';

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../snippets/templates');

test('every template round-trips through the JSON and YAML emitters', () => {
  for (const f of fs.readdirSync(templates)) {
    const value = JSON.parse(fs.readFileSync(path.join(templates, f), 'utf8')) as Emittable;
    assert.deepEqual(JSON.parse(emitJson(value)), value, `${f} as JSON`);
    assert.deepEqual(YAML.parse(emitYaml(value)), value, `${f} as YAML`);
  }
});

test('YAML keeps strings that look like other types or hold indicators as strings', () => {
  const value = {
    a: 'true',
    b: '123',
    c: '1.5e3',
    d: 'null',
    e: '',
    f: ' padded',
    g: 'key: value',
    h: '- item',
    i: '#note',
    j: 'x #y',
    k: "it's",
    l: '"quoted"',
    m: 'ok text',
    n: '$.path',
    o: '$$.Task.Token',
    p: 'arn:aws:states:::ecs:runTask.sync',
    q: 'yes',
    r: '0x1F',
    nested: { list: [[1, 2], { x: null }], empty: [], obj: {} },
    flag: false,
    num: 2.5,
  };
  assert.deepEqual(YAML.parse(emitYaml(value)), value);
});

test('plain scalars stay unquoted when YAML allows it', () => {
  for (const s of ['FARGATE', '$.commands', 'arn:aws:states:::eks:runJob.sync', 'Run task', 'States.ALL'])
    assert.equal(needsQuotes(s), false, s);
  for (const s of ['', 'true', '42', 'a: b', '*ref', '{x}']) assert.equal(needsQuotes(s), true, s);
});

/** Reads `s` written by `yamlString` as a value, a key and an item, with a YAML 1.1 and a 1.2 reader. */
function readsBack(s: string, context: YamlContext): boolean {
  const w = yamlString(s, context);
  const docs: [string, unknown][] =
    context === 'block'
      ? [
          [`k: ${w}`, { k: s }],
          [`${w}: v`, { [s]: 'v' }],
          [`- ${w}`, [s]],
        ]
      : [
          [`{k: ${w}}`, { k: s }],
          [`{${w}: v}`, { [s]: 'v' }],
          [`[${w}]`, [s]],
        ];
  return docs.every(([text, want]) =>
    (['1.1', '1.2'] as const).every((version) => {
      try {
        return JSON.stringify(YAML.parse(text, { version })) === JSON.stringify(want);
      } catch {
        return false;
      }
    }),
  );
}

test('strings a YAML 1.1 or 1.2 reader takes for another type are quoted, and read back as strings', () => {
  const otherTypes = [
    ...['y', 'Y', 'n', 'N', 'yes', 'No', 'ON', 'off', 'true', 'FALSE', 'null', '~', '=', '<<'],
    ...['0755', '1_000', '1:30', '1:30.5', '12:34:56', '.', '+.', 'e5', '.e5', '1e5', '1.2.3', '0.'],
    ...['0x1F', '0o17', '0b101', '.inf', '-.Inf', '.NaN', '2024-01-01', '2024-1-1 10:00:00', '2024-01-01T10:00:00Z'],
  ];
  for (const s of otherTypes) {
    assert.equal(needsQuotes(s), true, s);
    assert.equal(yamlString(s), JSON.stringify(s), s);
    assert.ok(readsBack(s, 'block') && readsBack(s, 'flow'), s);
  }
  assert.deepEqual(YAML.parse(emitYaml({ Enabled: 'y', Mode: 'off', Perms: '0755' }), { version: '1.1' }), {
    Enabled: 'y',
    Mode: 'off',
    Perms: '0755',
  });
});

test('flow context also quotes the flow indicators; block context keeps them plain', () => {
  const format = "States.Format('{}', $.name)";
  assert.equal(yamlString(format), format);
  assert.equal(yamlString(format, 'flow'), JSON.stringify(format));
  assert.equal(yamlString('a,b', 'flow'), '"a,b"');
  assert.ok(readsBack(format, 'flow') && readsBack('a,b', 'flow'));
});

test('control characters, line separators and a BOM are escaped in the quoted form', () => {
  for (const s of ['a\nb', 'tab\there', 'bell\u0007', 'del\u007f', 'nel\u0085', 'ls\u2028', '\ufeffbom']) {
    assert.equal(needsQuotes(s), true, JSON.stringify(s));
    assert.ok(readsBack(s, 'block') && readsBack(s, 'flow'), JSON.stringify(s));
  }
  assert.equal(yamlString('ls\u2028'), '"ls\\u2028"');
});

test('every string yamlString writes reads back as itself in YAML 1.1 and 1.2, block and flow', () => {
  const unit = fc.constantFrom(...'019.:-+_exobnyYNaT Z#[]{},\'"\\!&*?|>%@`~=<\t\n'.split(''), '\u2028', '\u0085', 'é');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 8 }), (s) => readsBack(s, 'block') && readsBack(s, 'flow')),
    { numRuns: 3000 },
  );
});
