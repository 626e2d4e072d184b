/**
 * The valid-machines corpus (asl/test/fixtures/valid) checked with the schemas: every
 * ECS/EKS Task's Parameters/Arguments validate against their resource schema, every state
 * only uses fields of its type and query language, and the corpus keeps the rules its README
 * promises (reachability, Default on Choice, timeouts on .sync/callback tasks, token passing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import jsonata from 'jsonata';
import { allSchemas, SCHEMA_BASE, stateSchemaId } from '../src/schemas/index';
import {
  FIELDS_BY_STATE_TYPE,
  TOP_LEVEL_FIELDS,
  BRANCH_FIELDS,
  PROCESSOR_FIELDS,
  STATE_TYPES,
  type StateTypeName,
} from '../src/schemas/fields';
import { staticView, isDynamicError } from '../src/schemas/dynamic';

const dir = path.resolve(import.meta.dirname, 'fixtures/valid');
const files = fs
  .readdirSync(dir)
  .filter((f) => /\.asl\.(json|ya?ml)$/.test(f))
  .sort();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const ajv = new Ajv({ strict: false, allErrors: true });
for (const s of allSchemas()) ajv.addSchema(s as object);

/** Resource action (without pattern) → parameters schema id. */
const PARAM_SCHEMAS: Record<string, string> = {
  'ecs:runTask': 'ecs-run-task',
  'eks:runJob': 'eks-run-job',
  'eks:call': 'eks-call',
  'eks:createCluster': 'eks-create-cluster',
  'eks:deleteCluster': 'eks-delete-cluster',
  'eks:createFargateProfile': 'eks-create-fargate-profile',
  'eks:deleteFargateProfile': 'eks-delete-fargate-profile',
  'eks:createNodegroup': 'eks-create-nodegroup',
  'eks:deleteNodegroup': 'eks-delete-nodegroup',
};

function load(file: string): Obj {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  return (file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text)) as Obj;
}

interface Visit {
  name: string;
  state: Obj;
  ql: 'JSONPath' | 'JSONata';
}

/** Checks one scope (machine, branch or processor) and returns its states, nested ones included. */
function walkScope(
  file: string,
  scope: Obj,
  ql: 'JSONPath' | 'JSONata',
  fields: readonly string[],
  names: Set<string>,
): Visit[] {
  const where = (s: string) => `${file}: ${s}`;
  for (const k of Object.keys(scope)) assert.ok(fields.includes(k), where(`unexpected scope field ${k}`));
  const states = scope.States as Obj;
  assert.ok(isObj(states), where('States'));
  assert.ok(typeof scope.StartAt === 'string' && scope.StartAt in states, where(`StartAt ${String(scope.StartAt)}`));
  const scopeQl = (scope.QueryLanguage as typeof ql | undefined) ?? ql;
  const edges = new Map<string, string[]>();
  const out: Visit[] = [];
  for (const [name, raw] of Object.entries(states)) {
    assert.ok(name.length >= 1 && name.length <= 80, where(`name length ${name}`));
    assert.ok(!names.has(name), where(`duplicate state name ${name}`));
    names.add(name);
    const state = raw as Obj;
    const type = state.Type as StateTypeName;
    assert.ok(STATE_TYPES.includes(type), where(`${name}: Type ${String(type)}`));
    const sql = (state.QueryLanguage as typeof ql | undefined) ?? scopeQl;
    for (const k of Object.keys(state))
      assert.ok(
        FIELDS_BY_STATE_TYPE[type][sql].includes(k),
        where(`${name}: field ${k} not allowed on ${sql} ${type}`),
      );
    const targets: string[] = [];
    if (typeof state.Next === 'string') targets.push(state.Next);
    if (type === 'Choice') {
      assert.ok(typeof state.Default === 'string', where(`${name}: Choice without Default`));
      targets.push(state.Default as string);
      for (const rule of state.Choices as Obj[]) targets.push(rule.Next as string);
    } else if (type !== 'Succeed' && type !== 'Fail') {
      assert.ok((state.Next === undefined) !== (state.End === undefined), where(`${name}: exactly one of Next/End`));
    }
    for (const c of (state.Catch as Obj[] | undefined) ?? []) targets.push(c.Next as string);
    for (const list of [state.Retry, state.Catch] as (Obj[] | undefined)[]) {
      (list ?? []).forEach((r, i, all) => {
        const errs = r.ErrorEquals as string[];
        if (errs.includes('States.ALL'))
          assert.ok(errs.length === 1 && i === all.length - 1, where(`${name}: States.ALL alone and last`));
      });
    }
    for (const t of targets) assert.ok(t in states, where(`${name}: target ${t} not in scope`));
    edges.set(name, targets);
    out.push({ name, state, ql: sql });
    for (const b of (state.Branches as Obj[] | undefined) ?? [])
      out.push(...walkScope(file, b, sql, BRANCH_FIELDS, names));
    const proc = (state.ItemProcessor ?? state.Iterator) as Obj | undefined;
    if (proc) out.push(...walkScope(file, proc, sql, PROCESSOR_FIELDS, names));
  }
  // Reachability from StartAt within this scope.
  const seen = new Set<string>([scope.StartAt as string]);
  const queue = [scope.StartAt as string];
  while (queue.length)
    for (const t of edges.get(queue.shift()!) ?? [])
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
  for (const name of Object.keys(states)) assert.ok(seen.has(name), where(`${name} unreachable`));
  return out;
}

function jsonataStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && /^\{%[\s\S]*%\}$/.test(v)) out.push(v.slice(2, -2));
  else if (Array.isArray(v)) v.forEach((x) => jsonataStrings(x, out));
  else if (isObj(v)) Object.values(v).forEach((x) => jsonataStrings(x, out));
  return out;
}

const machines = files.map((file) => {
  const def = load(file);
  const ql = (def.QueryLanguage as 'JSONPath' | 'JSONata' | undefined) ?? 'JSONPath';
  return { file, def, ql, states: walkScope(file, def, ql, TOP_LEVEL_FIELDS, new Set()) };
});

test('the corpus has at least 60 machines, about 10 in YAML, covering every state type and both query languages', () => {
  assert.ok(files.length >= 60, `${files.length} machines`);
  assert.ok(files.filter((f) => !f.endsWith('.json')).length >= 10);
  const types = new Set(machines.flatMap((m) => m.states.map((s) => s.state.Type)));
  assert.deepEqual([...types].sort(), [...STATE_TYPES].sort());
  const qls = new Set(machines.flatMap((m) => m.states.map((s) => s.ql)));
  assert.deepEqual([...qls].sort(), ['JSONPath', 'JSONata']);
});

test('the corpus uses every ECS/EKS resource with each supported pattern', () => {
  const used = new Set(machines.flatMap((m) => m.states.map((s) => s.state.Resource).filter(Boolean)));
  const expected = [
    'ecs:runTask',
    'ecs:runTask.sync',
    'ecs:runTask.waitForTaskToken',
    'eks:runJob',
    'eks:runJob.sync',
    'eks:call',
  ];
  for (const a of [
    'createCluster',
    'deleteCluster',
    'createFargateProfile',
    'deleteFargateProfile',
    'createNodegroup',
    'deleteNodegroup',
  ])
    expected.push(`eks:${a}`, `eks:${a}.sync`);
  for (const r of expected) assert.ok(used.has(`arn:aws:states:::${r}`), r);
});

test('corpus machines keep the README rules (reachable, Default, names, fields per type/QL)', () => {
  // walkScope asserted them while loading; this test makes the count visible.
  assert.ok(machines.reduce((n, m) => n + m.states.length, 0) > 150);
});

test('every state validates against its ASL schema definition', () => {
  for (const m of machines) {
    for (const s of m.states) {
      const id = stateSchemaId(s.ql, s.state.Type as string).replace(/^([^#]+)#/, `${SCHEMA_BASE}$1.schema.json#`);
      const validate = ajv.getSchema(id)!;
      assert.ok(validate, id);
      assert.ok(validate(s.state), `${m.file}: ${s.name}: ${ajv.errorsText(validate.errors)}`);
    }
  }
});

test('ECS/EKS Parameters and Arguments validate against their resource schema', () => {
  let checked = 0;
  for (const m of machines) {
    for (const s of m.states) {
      const res = s.state.Resource;
      if (typeof res !== 'string') continue;
      const match = /^arn:aws:states:::((?:ecs|eks):[A-Za-z]+)(\.sync|\.waitForTaskToken)?$/.exec(res);
      if (!match) continue;
      const payload = s.state[s.ql === 'JSONata' ? 'Arguments' : 'Parameters'];
      const view = staticView(payload);
      const validate = ajv.getSchema(`${SCHEMA_BASE}${PARAM_SCHEMAS[match[1]]}.schema.json`)!;
      validate(view.value);
      const errors = (validate.errors ?? []).filter((e) => !isDynamicError(e, view.dynamicPaths));
      // anyOf wrappers report once more at the parent; keep only leaf errors
      const leaf = errors.filter((e) => e.keyword !== 'anyOf');
      assert.deepEqual(
        leaf.map((e) => `${e.instancePath} ${e.message}`),
        [],
        `${m.file}: ${s.name}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 80, `${checked} tasks checked`);
});

test('.sync and callback tasks set a timeout; callbacks pass the task token; LogOptions only on runJob.sync', () => {
  for (const m of machines) {
    for (const s of m.states) {
      const res = String(s.state.Resource ?? '');
      const payload = JSON.stringify(s.state.Parameters ?? s.state.Arguments ?? {});
      if (/\.(sync|waitForTaskToken)$/.test(res)) {
        assert.ok(
          ['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'].some(
            (k) => k in s.state,
          ),
          `${m.file}: ${s.name} timeout`,
        );
      }
      if (res.endsWith('.waitForTaskToken'))
        assert.match(payload, /\$\$\.Task\.Token|\$states\.context\.Task\.Token/, `${m.file}: ${s.name} token`);
      if (payload.includes('"LogOptions"'))
        assert.ok(res.endsWith('eks:runJob.sync'), `${m.file}: ${s.name} LogOptions`);
    }
  }
});

test('every JSONata expression in the corpus parses', () => {
  let n = 0;
  for (const m of machines) {
    for (const expr of jsonataStrings(m.def)) {
      assert.doesNotThrow(() => jsonata(expr), `${m.file}: ${expr}`);
      n++;
    }
  }
  assert.ok(n > 50, `${n} expressions`);
});
