import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import {
  SCHEMA_IDS,
  SCHEMA_BASE,
  getSchema,
  allSchemas,
  resolveSubschema,
  propertiesOf,
  describe,
  factsLine,
  stateSchemaId,
  schemaViews,
  type JsonSchema,
} from '../src/schemas/index';
import { FIELDS_BY_STATE_TYPE, STATE_TYPES } from '../src/schemas/fields';
import { staticView, isDynamicError } from '../src/schemas/dynamic';

const schemasDir = path.resolve(import.meta.dirname, '../../schemas');

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const s of allSchemas()) ajv.addSchema(s as object);
  return ajv;
}

/** Every described property node of a schema, with its JSON pointer. */
function* properties(node: JsonSchema, ptr: string): Generator<[string, JsonSchema]> {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    yield [`${ptr}/properties/${k}`, v];
    yield* properties(v, `${ptr}/properties/${k}`);
  }
  for (const [k, v] of Object.entries(node.definitions ?? {})) yield* properties(v, `${ptr}/definitions/${k}`);
  for (const [k, v] of Object.entries(node.patternProperties ?? {})) {
    yield [`${ptr}/patternProperties/${k}`, v];
    yield* properties(v, `${ptr}/patternProperties/${k}`);
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    yield [`${ptr}/additionalProperties`, node.additionalProperties];
    yield* properties(node.additionalProperties, `${ptr}/additionalProperties`);
  }
  if (node.items && !Array.isArray(node.items)) yield* properties(node.items, `${ptr}/items`);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, v] of (node[k] ?? []).entries()) yield* properties(v, `${ptr}/${k}/${i}`);
  }
}

test('every schema file is bundled, draft-07, with its $id, and compiles with ajv', () => {
  const files = fs
    .readdirSync(schemasDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  assert.deepEqual(files, [...SCHEMA_IDS].map((id) => `${id}.schema.json`).sort());
  const ajv = newAjv();
  for (const id of SCHEMA_IDS) {
    const s = getSchema(id)!;
    assert.equal(s.$id, `${SCHEMA_BASE}${id}.schema.json`);
    assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(
      JSON.parse(fs.readFileSync(path.join(schemasDir, `${id}.schema.json`), 'utf8')),
      s,
      `${id} bundled copy differs`,
    );
    assert.ok(ajv.getSchema(s.$id!), `${id} compiles`);
  }
});

test('every schema also compiles in ajv strict mode once our documentation keywords are declared', () => {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, logger: false });
  ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'x-fields']);
  for (const s of allSchemas()) ajv.addSchema(s as object);
  for (const s of allSchemas()) assert.doesNotThrow(() => ajv.getSchema(s.$id!), s.$id);
});

test('every property of every schema has a markdownDescription and a short description', () => {
  let count = 0;
  for (const id of SCHEMA_IDS) {
    for (const [ptr, node] of properties(getSchema(id)!, '')) {
      count++;
      assert.ok(
        typeof node.markdownDescription === 'string' && node.markdownDescription.length > 10,
        `${id}${ptr}: markdownDescription`,
      );
      assert.ok(typeof node.description === 'string' && node.description.length > 3, `${id}${ptr}: description`);
      assert.ok(!node.description.includes('\n'), `${id}${ptr}: description is one line`);
      if (Array.isArray(node.enum) && node.enum.length > 1) {
        assert.equal(node.markdownEnumDescriptions?.length, node.enum.length, `${id}${ptr}: markdownEnumDescriptions`);
      }
    }
  }
  assert.ok(count > 500, `walked ${count} properties`);
});

test('ASL schemas carry x-fields equal to FIELDS_BY_STATE_TYPE and one definition per state type', () => {
  for (const ql of ['JSONPath', 'JSONata'] as const) {
    const id = ql === 'JSONPath' ? 'asl-jsonpath' : 'asl-jsonata';
    assert.deepEqual(getSchema(id)!['x-fields'], JSON.parse(JSON.stringify(FIELDS_BY_STATE_TYPE)));
    for (const type of STATE_TYPES) {
      const def = getSchema(stateSchemaId(ql, type))!;
      assert.deepEqual(
        Object.keys(def.properties!).sort(),
        [...FIELDS_BY_STATE_TYPE[type][ql]].sort(),
        `${ql} ${type}`,
      );
    }
  }
});

test('resolveSubschema follows nested properties, items and .$ keys in ecs-run-task', () => {
  const r = resolveSubschema('ecs-run-task', ['Overrides', 'ContainerOverrides', 0, 'Environment', 1, 'Value.$']);
  assert.ok(r);
  assert.equal(r.title, 'Value');
  assert.equal(r.required, false);
  assert.match(r.schema.markdownDescription!, /Task\.Token/);
  const name = resolveSubschema('ecs-run-task', ['Overrides', 'ContainerOverrides', 0, 'Name'])!;
  assert.equal(name.required, true);
  const count = resolveSubschema('ecs-run-task', ['Count'])!;
  assert.equal(count.schema.minimum, 1);
  assert.equal(count.schema.maximum, 10);
  assert.match(count.schema.markdownDescription!, /1–10/);
  const subnets = resolveSubschema('ecs-run-task', ['NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets'])!;
  assert.equal(subnets.required, true);
  assert.equal(subnets.schema.maxItems, 16);
  assert.equal(resolveSubschema('ecs-run-task', ['Overrides', 'Bogus']), undefined);
  assert.equal(resolveSubschema('no-such-schema', []), undefined);
  // bad input never throws out of the public helpers
  assert.equal(resolveSubschema('ecs-run-task#/definitions/%E0%A4%A', []), undefined);
  assert.equal(resolveSubschema(undefined as unknown as string, ['x']), undefined);
  assert.equal(resolveSubschema('ecs-run-task', [null as unknown as string]), undefined);
  assert.deepEqual(propertiesOf('ecs-run-task', undefined as unknown as string[]), []);
});

test('resolveSubschema crosses from eks-run-job Job into the k8s-job schema', () => {
  const img = resolveSubschema('eks-run-job', ['Job', 'spec', 'template', 'spec', 'containers', 0, 'image'])!;
  assert.equal(img.required, true);
  assert.match(img.schema.markdownDescription!, /image/i);
  const rp = resolveSubschema('eks-run-job', ['Job', 'spec', 'template', 'spec', 'restartPolicy'])!;
  assert.deepEqual(rp.schema.enum, ['Never', 'OnFailure']);
  const env = resolveSubschema('eks-run-job', [
    'Job',
    'spec',
    'template',
    'spec',
    'containers',
    0,
    'env',
    0,
    'value.$',
  ])!;
  assert.equal(env.title, 'value');
  const ca = resolveSubschema('eks-call', ['CertificateAuthority'])!;
  assert.equal(ca.required, true);
  assert.match(ca.schema.markdownDescription!, /local run config/);
  const job = resolveSubschema('eks-run-job', ['Job'])!;
  assert.match(job.schema.markdownDescription!, /batch\/v1/);
});

test('resolveSubschema navigates ASL: States map, union state fields, definitions by fragment', () => {
  const max = resolveSubschema('asl-jsonpath', ['States', 'Run task', 'Retry', 0, 'MaxAttempts'])!;
  assert.equal(max.schema.default, 3);
  const next = resolveSubschema('asl-jsonpath', ['States', 'Run task', 'Catch', 2, 'Next'])!;
  assert.equal(next.required, true);
  const rp = resolveSubschema(stateSchemaId('JSONPath', 'Task'), ['Catch', 0, 'ResultPath'])!;
  assert.match(rp.schema.markdownDescription!, /error output/);
  assert.equal(resolveSubschema(stateSchemaId('JSONata', 'Task'), ['Catch', 0, 'ResultPath']), undefined);
  const cond = resolveSubschema('asl-jsonata', ['States', 'Route', 'Choices', 0, 'Condition'])!;
  assert.equal(cond.required, true);
  const nested = resolveSubschema('asl-jsonpath', [
    'States',
    'Route',
    'Choices',
    0,
    'And',
    1,
    'Not',
    'NumericGreaterThanEqualsPath',
  ])!;
  assert.match(nested.schema.markdownDescription!, /greater than or equal/);
  const mode = resolveSubschema('asl-jsonpath', ['States', 'Fan out', 'ItemProcessor', 'ProcessorConfig', 'Mode'])!;
  assert.deepEqual(mode.schema.enum, ['INLINE', 'DISTRIBUTED']);
  const branchState = resolveSubschema('asl-jsonpath', ['States', 'P', 'Branches', 0, 'States', 'Inner', 'Type'])!;
  assert.ok(branchState.schema.enum!.includes('Map'));
  const ts = resolveSubschema(stateSchemaId('JSONata', 'Task'), ['TimeoutSeconds'])!;
  assert.match(ts.schema.markdownDescription!, /JSONata expression/);
});

test('propertiesOf lists fields with required flags, merged over $ref and anyOf', () => {
  const root = propertiesOf('ecs-run-task', []);
  assert.ok(root.length >= 18);
  assert.deepEqual(
    root.filter((p) => p.required).map((p) => p.name),
    ['TaskDefinition'],
  );
  const co = propertiesOf('ecs-run-task', ['Overrides', 'ContainerOverrides', 0]).map((p) => p.name);
  assert.deepEqual(co, [
    'Name',
    'Command',
    'Environment',
    'EnvironmentFiles',
    'Cpu',
    'Memory',
    'MemoryReservation',
    'ResourceRequirements',
  ]);
  const job = propertiesOf('eks-run-job', ['Job']);
  assert.deepEqual(
    job.map((p) => p.name),
    ['apiVersion', 'kind', 'metadata', 'spec'],
  );
  const pod = propertiesOf('eks-run-job', ['Job', 'spec', 'template', 'spec']).map((p) => p.name);
  for (const n of [
    'containers',
    'initContainers',
    'restartPolicy',
    'serviceAccountName',
    'nodeSelector',
    'tolerations',
    'volumes',
  ])
    assert.ok(pod.includes(n), n);
  const task = propertiesOf(stateSchemaId('JSONata', 'Task'), []).map((p) => p.name);
  assert.deepEqual(task.sort(), [...FIELDS_BY_STATE_TYPE.Task.JSONata].sort());
  const call = propertiesOf('eks-call', []);
  assert.deepEqual(
    call.filter((p) => p.required).map((p) => p.name),
    ['ClusterName', 'CertificateAuthority', 'Endpoint', 'Method', 'Path'],
  );
  assert.deepEqual(propertiesOf('eks-call', ['Nope']), []);
});

test('schemaViews exposes the $ref target of a reference-only node', () => {
  const views = schemaViews('asl-jsonpath', ['States', 'X', 'Credentials']);
  assert.ok(views.some((v) => v.properties && 'RoleArn' in v.properties));
});

test('describe renders description, facts and allowed values', () => {
  const lt = resolveSubschema('ecs-run-task', ['LaunchType'])!;
  const md = describe(lt.schema);
  assert.match(md, /Optional/);
  assert.match(md, /- `FARGATE` — /);
  assert.match(md, /MANAGED_INSTANCES/);
  const plain = describe({ type: 'integer', description: 'A number.', minimum: 0, default: 4 }, true);
  assert.equal(plain, 'A number.\n\n**Type:** integer · **Required** · **Range:** ≥ 0 · **Default:** `4`');
});

test('staticView drops .$ keys and marks JSONata values so schema errors about them are ignored', () => {
  const params = {
    'TaskDefinition.$': '$.td',
    Overrides: { ContainerOverrides: [{ Name: 'app', 'Command.$': '$.cmd', Cpu: '{% $states.input.cpu %}' }] },
  };
  const v = staticView(params);
  assert.deepEqual(v.value, { Overrides: { ContainerOverrides: [{ Name: 'app', Cpu: '{% $states.input.cpu %}' }] } });
  assert.deepEqual([...v.dynamicPaths].sort(), [
    '/Overrides/ContainerOverrides/0/Command',
    '/Overrides/ContainerOverrides/0/Cpu',
    '/TaskDefinition',
  ]);
  const ajv = newAjv();
  const validate = ajv.getSchema(`${SCHEMA_BASE}ecs-run-task.schema.json`)!;
  assert.equal(validate(v.value), false);
  const remaining = (validate.errors ?? []).filter((e) => !isDynamicError(e, v.dynamicPaths));
  assert.deepEqual(remaining, []);
  assert.equal(validate({ TaskDefinition: 'x', Count: 11 }), false);
});

test('mock config and local run config fixtures validate (or fail) exactly as expected', () => {
  const dir = path.resolve(import.meta.dirname, 'fixtures/schemas');
  const ajv = newAjv();
  const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.expected.json'));
  assert.ok(cases.length >= 4);
  for (const exp of cases) {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, exp), 'utf8')) as { schema: string; errors: string[] };
    const data = JSON.parse(fs.readFileSync(path.join(dir, exp.replace('.expected.json', '.json')), 'utf8'));
    const validate = ajv.getSchema(`${SCHEMA_BASE}${expected.schema}.schema.json`)!;
    validate(data);
    const got = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
    assert.deepEqual(got, [...expected.errors].sort(), exp);
  }
});

test('every markdownDescription ends with the facts line factsLine computes (keeps hand edits consistent)', () => {
  let checked = 0;
  const walk = (node: JsonSchema, required: boolean | undefined, isRoot: boolean, where: string) => {
    if (!node || typeof node !== 'object') return;
    if (!isRoot && typeof node.markdownDescription === 'string') {
      const facts = factsLine(node, required);
      if (facts) {
        assert.ok(node.markdownDescription.endsWith('\n\n' + facts), `${where}: expected to end with ${facts}`);
        checked++;
      }
    }
    const req = node.required ?? [];
    for (const [k, v] of Object.entries(node.properties ?? {}))
      walk(v, req.includes(k), false, `${where}/properties/${k}`);
    for (const [k, v] of Object.entries(node.definitions ?? {})) walk(v, undefined, false, `${where}/definitions/${k}`);
    for (const [k, v] of Object.entries(node.patternProperties ?? {}))
      walk(v, undefined, false, `${where}/patternProperties/${k}`);
    if (node.additionalProperties && typeof node.additionalProperties === 'object')
      walk(node.additionalProperties, undefined, false, `${where}/additionalProperties`);
    if (node.items && !Array.isArray(node.items)) walk(node.items, undefined, false, `${where}/items`);
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
      for (const [i, v] of (node[k] ?? []).entries()) walk(v, undefined, false, `${where}/${k}/${i}`);
  };
  for (const id of SCHEMA_IDS) walk(getSchema(id)!, undefined, true, id);
  assert.ok(checked > 500, `${checked} facts lines`);
});
