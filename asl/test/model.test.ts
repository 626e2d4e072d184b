import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseDocument } from '../src/parse/index';
import { buildModel, enclosingScope, enclosingState, referencesTo, stateTargetAt } from '../src/model';
import { nodeAtOffset } from '../src/parse/tree';
import type { MachineModel } from '../src/types';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures', 'model');

/** A readable, comparable digest of a model. */
function summarize(m: MachineModel) {
  return {
    queryLanguage: m.queryLanguage,
    scopes: m.scopes.map((s) => ({
      id: s.id,
      kind: s.kind,
      queryLanguage: s.queryLanguage,
      ...(s.mode ? { mode: s.mode } : {}),
      states: s.stateList.map((x) => x.name),
      ...(s.startAt ? { startAt: s.startAt.target } : {}),
      ...(s.parentState ? { parent: s.parentState.name } : {}),
    })),
    states: m.states.map(
      (s) =>
        `${s.name}:${s.type ?? '?'}:${s.queryLanguage}` +
        (s.resource ? `:${s.resource.key ?? s.resource.kind}/${s.resource.pattern}` : ''),
    ),
    refs: m.refs.map((r) => `${r.scope.id}${r.from ? ' ' + r.from.name : ''} ${r.kind} -> ${r.target}`),
    duplicates: m.duplicates.map((d) => d.name),
  };
}

describe('buildModel: fixtures', () => {
  for (const f of readdirSync(fixtures).filter((x) => /\.asl\.(json|ya?ml)$/.test(x))) {
    const yaml = !f.endsWith('.json');
    const base = f.replace(/\.asl\.(json|ya?ml)$/, '');
    const expectedFile = path.join(fixtures, `${base}${yaml ? '.yaml' : ''}.model.json`);
    test(`${f} matches ${path.basename(expectedFile)}`, () => {
      const doc = parseDocument(readFileSync(path.join(fixtures, f), 'utf8'), yaml ? 'yaml' : 'json');
      const actual = summarize(buildModel(doc));
      if (!existsSync(expectedFile))
        assert.fail(`missing ${expectedFile}; actual:\n${JSON.stringify(actual, null, 2)}`);
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});

describe('buildModel: references and queries', () => {
  const text = readFileSync(path.join(fixtures, 'nested-scopes.asl.json'), 'utf8');
  const model = buildModel(parseDocument(text, 'json'));

  test('each reference keeps its string node (quotes included in JSON)', () => {
    for (const r of model.refs) {
      assert.equal(text.slice(r.node.offset, r.node.offset + r.node.length), JSON.stringify(r.target));
    }
  });

  test('a reference resolves only in its own scope', () => {
    const leafRefs = model.refs.filter((r) => r.target === 'Leaf');
    assert.equal(leafRefs.length, 2);
    const [a, b] = leafRefs.map((r) => stateTargetAt(model, r.node.offset + 1)?.state);
    assert.equal(a?.type, 'Pass');
    assert.equal(b?.type, 'Succeed');
    const failedRef = model.refs.find((r) => r.kind === 'CatchNext')!;
    assert.equal(stateTargetAt(model, failedRef.node.offset + 1)?.state?.name, 'Failed');
    const declared = stateTargetAt(model, text.indexOf('"Failed": {') + 1);
    assert.equal(declared?.ref, undefined);
    assert.equal(declared?.state?.name, 'Failed');
    assert.equal(stateTargetAt(model, text.indexOf('"StartAt"') + 1), undefined);
  });

  test('referencesTo lists every reference to a state', () => {
    const failed = model.root!.states.get('Failed')!;
    assert.deepEqual(
      referencesTo(model, failed.name, failed.scope).map((r) => r.kind),
      ['CatchNext', 'ChoiceNext', 'Default'],
    );
  });

  test('enclosingState and enclosingScope find the innermost state and scope of a node', () => {
    const at = (offset: number) => nodeAtOffset(model.doc.root, offset, true);
    assert.equal(enclosingState(model, at(text.indexOf('"Leaf": { "Type": "Pass"') + 12))?.name, 'Leaf');
    assert.equal(enclosingState(model, at(text.indexOf('"ItemsPath"')))?.name, 'PerItem');
    assert.equal(enclosingState(model, at(text.indexOf('"Fan": {') + 7))?.name, 'Fan');
    assert.equal(enclosingState(model, at(0)), undefined);
    assert.equal(
      enclosingScope(model, at(text.indexOf('"Leaf": { "Type": "Pass"') + 12))?.id,
      'Fan/Branches[0]/PerItem/ItemProcessor/Inner/Branches[0]',
    );
    assert.equal(enclosingScope(model, at(0))?.id, 'root');
  });

  test('documents without an object root give an empty model', () => {
    for (const t of ['', '[]', '"x"', '42', 'null']) {
      const m = buildModel(parseDocument(t, 'json'));
      assert.equal(m.root, undefined);
      assert.equal(m.states.length, 0);
    }
    const m = buildModel(parseDocument('{"States": 5}', 'json'));
    assert.equal(m.root?.statesNode, undefined);
    assert.equal(m.root?.stateList.length, 0);
  });
});

describe('buildModel never throws', () => {
  const samples = readdirSync(fixtures)
    .filter((x) => x.endsWith('.asl.json'))
    .map((f) => JSON.parse(readFileSync(path.join(fixtures, f), 'utf8')) as unknown);

  test('on random JSON values and truncated machines', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        buildModel(
          parseDocument(
            JSON.stringify({ StartAt: 'A', States: { A: v, B: { Type: 'Parallel', Branches: [v] } } }),
            'json',
          ),
        );
        buildModel(parseDocument(JSON.stringify(v), 'json'));
      }),
      { numRuns: 300 },
    );
    for (const s of samples) {
      const t = JSON.stringify(s);
      for (let i = 0; i < t.length; i += 7) buildModel(parseDocument(t.slice(0, i), 'json'));
    }
  });

  test('50-deep nested Parallel', () => {
    let inner: unknown = { StartAt: 'L', States: { L: { Type: 'Pass', End: true } } };
    for (let i = 0; i < 50; i++)
      inner = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [inner], End: true } } };
    const m = buildModel(parseDocument(JSON.stringify(inner), 'json'));
    assert.equal(m.scopes.length, 51);
    assert.equal(m.states.length, 51);
  });
});
