import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { emitJson, emitYaml, needsQuotes, type Emittable } from '../src/text/emit';

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
