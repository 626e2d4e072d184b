// The validators precompiled at build time (scripts/build-validators.mjs) must behave exactly
// like the ones ajv compiles at run time (compileValidators.ts): same verdicts, same errors,
// same `schema`, on every ECS/EKS payload of the repository's machines and mutations of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { listIntegrations } from '../src/integrations';
import * as schemas from '../src/schemas';
import { loadValidators, type ValidatorLookup } from '../src/rules/integrations/compileValidators';

const root = path.resolve(__dirname, '../..');
const nodeRequire = createRequire(path.join(root, 'package.json'));

interface Generator {
  generateValidatorsModule(root: string): { code: string; ids: string[] };
  NOT_PRECOMPILED: string[];
}

/** Evaluates the generated CommonJS module with the same schema objects the bundle shares. */
async function loadPrecompiled(): Promise<{ lookup: ValidatorLookup; gen: Generator; ids: string[] }> {
  const gen = (await import(path.join(root, 'scripts/build-validators.mjs'))) as Generator;
  const { code, ids } = gen.generateValidatorsModule(root);
  const req = (id: string): unknown => {
    const file = /^\.\/schemas\/(.+)\.schema\.json$/.exec(id);
    if (file) return schemas.getSchema(file[1]);
    if (id === './asl/src/schemas/index.ts') return schemas;
    return nodeRequire(id);
  };
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', code)(exports, req);
  const load = exports.loadValidators as () => ValidatorLookup;
  return { lookup: load(), gen, ids };
}

/** Every Parameters/Arguments object of an ecs:/eks: Task in the repository's machines. */
function payloads(): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.Resource === 'string' && /:states:::(ecs|eks):/.test(o.Resource)) {
      for (const k of ['Parameters', 'Arguments']) if (o[k] && typeof o[k] === 'object') out.push(o[k]);
    }
    Object.values(o).forEach(visit);
  };
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.asl.json')) {
        try {
          visit(JSON.parse(fs.readFileSync(p, 'utf8')));
        } catch {
          /* invalid JSON on purpose (syntax fixtures) */
        }
      }
    }
  };
  for (const d of ['examples', 'server/test/fixtures', 'asl/test/fixtures', 'runner/test/fixtures'])
    walk(path.join(root, d));
  return out;
}

/** A few edits of a payload that make the validators report errors. */
function mutations(p: unknown): unknown[] {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return [p];
  const o = p as Record<string, unknown>;
  const keys = Object.keys(o);
  const out: unknown[] = [o, {}, { ...o, Bogus: 1 }, { ...o, [keys[0]?.toLowerCase() ?? 'x']: 'lower' }];
  for (const k of keys) {
    const { [k]: _, ...rest } = o;
    out.push(rest, { ...o, [k]: 42 }, { ...o, [k]: ['x'] }, { ...o, [k]: { Nested: true } });
  }
  return out;
}

test('precompiled validators give the same results as run-time ajv', async () => {
  const { lookup: pre, ids } = await loadPrecompiled();
  const rt = loadValidators();
  const cases = payloads().flatMap(mutations);
  assert.ok(cases.length > 100, `only ${cases.length} payloads found`);
  let compared = 0;
  for (const id of ids.map((x) => x.replace(schemas.SCHEMA_BASE, '').replace('.schema.json', ''))) {
    const a = rt(id);
    const b = pre(id);
    if (!a || !b) throw new Error(`no validator for ${id}`);
    assert.equal(b.schema, a.schema, `schema object of ${id}`);
    for (const c of cases) {
      assert.equal(b(c), a(c), `verdict of ${id}`);
      assert.deepEqual(b.errors, a.errors, `errors of ${id} for ${JSON.stringify(c).slice(0, 200)}`);
      compared++;
    }
  }
  assert.ok(compared > 1000);
});

test('every integration schema is precompiled; others resolve to undefined as before', async () => {
  const { lookup, gen } = await loadPrecompiled();
  for (const a of listIntegrations()) {
    assert.ok(lookup(a.parametersSchemaId), `${a.key} uses ${a.parametersSchemaId}`);
    assert.ok(!gen.NOT_PRECOMPILED.includes(a.parametersSchemaId));
  }
  assert.equal(lookup('no-such-schema'), undefined);
  assert.equal(lookup('ecs-run-task#/properties/Cluster'), undefined);
  assert.equal(loadValidators()('ecs-run-task#/properties/Cluster'), undefined);
});
