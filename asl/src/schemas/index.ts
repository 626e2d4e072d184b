/**
 * The JSON Schemas of schemas/ (bundled as JSON imports) and navigation helpers used by hover,
 * completion and the parameter checks: find the subschema for a path inside Parameters /
 * Arguments / a Job manifest, list the properties allowed at a path, and render a schema's
 * documentation as markdown. Pure: no file access, no node built-ins.
 */
import aslJsonPath from '../../../schemas/asl-jsonpath.schema.json';
import aslJsonata from '../../../schemas/asl-jsonata.schema.json';
import ecsRunTask from '../../../schemas/ecs-run-task.schema.json';
import eksRunJob from '../../../schemas/eks-run-job.schema.json';
import eksCall from '../../../schemas/eks-call.schema.json';
import eksCreateCluster from '../../../schemas/eks-create-cluster.schema.json';
import eksDeleteCluster from '../../../schemas/eks-delete-cluster.schema.json';
import eksCreateFargateProfile from '../../../schemas/eks-create-fargate-profile.schema.json';
import eksDeleteFargateProfile from '../../../schemas/eks-delete-fargate-profile.schema.json';
import eksCreateNodegroup from '../../../schemas/eks-create-nodegroup.schema.json';
import eksDeleteNodegroup from '../../../schemas/eks-delete-nodegroup.schema.json';
import k8sJob from '../../../schemas/k8s-job.schema.json';
import sfnMockConfig from '../../../schemas/sfn-mock-config.schema.json';
import localRunConfig from '../../../schemas/local-run-config.schema.json';
import aslTest from '../../../schemas/asl-test.schema.json';
import type { QueryLanguageName, StateTypeName } from './fields';

export { describe, factsLine } from './describe';

/** A JSON Schema node (draft-07) with our documentation keywords. */
export interface JsonSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  enum?: unknown[];
  markdownEnumDescriptions?: string[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  defaultSnippets?: { label?: string; description?: string; body: unknown }[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  [keyword: string]: unknown;
}

export const SCHEMA_BASE = 'https://asl-workbench.dev/schemas/';

const SCHEMAS = {
  'asl-jsonpath': aslJsonPath,
  'asl-jsonata': aslJsonata,
  'ecs-run-task': ecsRunTask,
  'eks-run-job': eksRunJob,
  'eks-call': eksCall,
  'eks-create-cluster': eksCreateCluster,
  'eks-delete-cluster': eksDeleteCluster,
  'eks-create-fargate-profile': eksCreateFargateProfile,
  'eks-delete-fargate-profile': eksDeleteFargateProfile,
  'eks-create-nodegroup': eksCreateNodegroup,
  'eks-delete-nodegroup': eksDeleteNodegroup,
  'k8s-job': k8sJob,
  'sfn-mock-config': sfnMockConfig,
  'local-run-config': localRunConfig,
  'asl-test': aslTest,
} as unknown as Record<SchemaId, JsonSchema>;

/** Ids of every bundled schema (file name without `.schema.json`). */
export const SCHEMA_IDS = [
  'asl-jsonpath',
  'asl-jsonata',
  'ecs-run-task',
  'eks-run-job',
  'eks-call',
  'eks-create-cluster',
  'eks-delete-cluster',
  'eks-create-fargate-profile',
  'eks-delete-fargate-profile',
  'eks-create-nodegroup',
  'eks-delete-nodegroup',
  'k8s-job',
  'sfn-mock-config',
  'local-run-config',
  'asl-test',
] as const;
export type SchemaId = (typeof SCHEMA_IDS)[number];

/** Short id from `ecs-run-task`, `https://asl-workbench.dev/schemas/ecs-run-task.schema.json` or a file name. */
function shortId(id: string): string {
  let s = id.startsWith(SCHEMA_BASE) ? id.slice(SCHEMA_BASE.length) : id;
  if (s.endsWith('.schema.json')) s = s.slice(0, -'.schema.json'.length);
  return s;
}

/** Follows a JSON pointer (`/definitions/Task`) inside a schema. */
function pointer(root: JsonSchema, ptr: string): JsonSchema | undefined {
  let node: unknown = root;
  for (const raw of ptr.split('/').slice(1)) {
    if (raw === '') continue;
    let key: string;
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node && typeof node === 'object' ? (node as JsonSchema) : undefined;
}

/**
 * The schema for an id. Accepts the short id (`ecs-run-task`), the `$id` URL, and an optional
 * JSON-pointer fragment (`asl-jsonpath#/definitions/Task`). Undefined when unknown.
 */
export function getSchema(id: string): JsonSchema | undefined {
  if (typeof id !== 'string') return undefined;
  const hash = id.indexOf('#');
  const base = shortId(hash >= 0 ? id.slice(0, hash) : id);
  const root = (SCHEMAS as Record<string, JsonSchema | undefined>)[base];
  if (!root) return undefined;
  return hash >= 0 ? pointer(root, id.slice(hash + 1)) : root;
}

/** Every bundled schema (e.g. to register them all with ajv). */
export function allSchemas(): JsonSchema[] {
  return SCHEMA_IDS.map((id) => SCHEMAS[id]);
}

/** Schema id (with fragment) of one state type's definition in the ASL schema of a query language. */
export function stateSchemaId(queryLanguage: QueryLanguageName, type: StateTypeName | string): string {
  return `${queryLanguage === 'JSONata' ? 'asl-jsonata' : 'asl-jsonpath'}#/definitions/${type}`;
}

/** A schema node plus the id of the root schema its local `$ref`s resolve against. */
interface Located {
  node: JsonSchema;
  rootId: string;
}

function resolveRef(ref: string, rootId: string): Located | undefined {
  const hash = ref.indexOf('#');
  const file = hash >= 0 ? ref.slice(0, hash) : ref;
  const frag = hash >= 0 ? ref.slice(hash + 1) : '';
  const target = file ? shortId(file) : rootId;
  const root = (SCHEMAS as Record<string, JsonSchema | undefined>)[target];
  if (!root) return undefined;
  const node = frag ? pointer(root, frag) : root;
  return node ? { node, rootId: target } : undefined;
}

/**
 * The node itself and every schema it stands for: its `$ref` target and the branches of
 * allOf/anyOf/oneOf (and `then` of conditionals), depth-first, without cycles.
 */
function expand(start: Located): Located[] {
  const out: Located[] = [];
  const seen = new Set<JsonSchema>();
  const visit = (loc: Located, depth: number) => {
    if (seen.has(loc.node) || depth > 16) return;
    seen.add(loc.node);
    out.push(loc);
    if (typeof loc.node.$ref === 'string') {
      const t = resolveRef(loc.node.$ref, loc.rootId);
      if (t) visit(t, depth + 1);
    }
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const sub of loc.node[k] ?? []) visit({ node: sub, rootId: loc.rootId }, depth + 1);
    }
  };
  visit(start, 0);
  return out;
}

/** Key as written in the document, without the `.$` suffix of JSONPath dynamic keys. */
export function baseKey(key: string): string {
  return key.endsWith('.$') ? key.slice(0, -2) : key;
}

interface Step {
  loc: Located;
  required: boolean;
}

function child(parent: Located, seg: string | number): Step | undefined {
  if (typeof seg !== 'string' && typeof seg !== 'number') return undefined;
  const views = expand(parent);
  if (typeof seg === 'number') {
    for (const v of views) {
      const it = v.node.items;
      if (Array.isArray(it)) {
        if (it[seg]) return { loc: { node: it[seg], rootId: v.rootId }, required: false };
      } else if (it && typeof it === 'object') return { loc: { node: it, rootId: v.rootId }, required: false };
    }
    return undefined;
  }
  const key = baseKey(seg);
  for (const v of views) {
    const p = v.node.properties?.[key];
    if (p) return { loc: { node: p, rootId: v.rootId }, required: views.some((w) => w.node.required?.includes(key)) };
  }
  for (const v of views) {
    for (const [re, p] of Object.entries(v.node.patternProperties ?? {})) {
      try {
        if (new RegExp(re, 'u').test(key)) return { loc: { node: p, rootId: v.rootId }, required: false };
      } catch {
        /* invalid pattern: skip */
      }
    }
  }
  for (const v of views) {
    const ap = v.node.additionalProperties;
    if (ap && typeof ap === 'object') return { loc: { node: ap, rootId: v.rootId }, required: false };
  }
  return undefined;
}

/** The first node among a node and its expansions that carries documentation. */
function documented(loc: Located): JsonSchema {
  if (loc.node.markdownDescription || loc.node.description) return loc.node;
  for (const v of expand(loc)) if (v.node.markdownDescription || v.node.description) return v.node;
  return loc.node;
}

export interface ResolvedSubschema {
  /** the documented schema of the last path element */
  schema: JsonSchema;
  /** true when the parent object lists the last key as required */
  required: boolean;
  /** display name: the last key (without `.$`), or the schema title at the root */
  title: string;
}

function locate(schemaId: string, path: readonly (string | number)[]): Step | undefined {
  if (typeof schemaId !== 'string') return undefined;
  const hash = schemaId.indexOf('#');
  const rootId = shortId(hash >= 0 ? schemaId.slice(0, hash) : schemaId);
  const start = getSchema(schemaId);
  if (!start) return undefined;
  let step: Step = { loc: { node: start, rootId }, required: false };
  for (const seg of path) {
    const next = child(step.loc, seg);
    if (!next) return undefined;
    step = next;
  }
  return step;
}

/**
 * The subschema at `path` (object keys and array indices) below `schemaId` (which may carry a
 * `#/pointer` fragment). Follows properties, patternProperties, additionalProperties, items,
 * `$ref` (within and across our schemas, e.g. eks-run-job `Job` → k8s-job) and
 * allOf/anyOf/oneOf. A trailing `.$` is stripped from keys. Undefined when the path leaves
 * the schema.
 */
export function resolveSubschema(schemaId: string, path: readonly (string | number)[]): ResolvedSubschema | undefined {
  if (!Array.isArray(path)) return undefined;
  const step = locate(schemaId, path);
  if (!step) return undefined;
  const last = path.length ? path[path.length - 1] : undefined;
  const schema = documented(step.loc);
  const title =
    typeof last === 'string'
      ? baseKey(last)
      : typeof last === 'number'
        ? `[${last}]`
        : (schema.title ?? shortId(schemaId));
  return { schema, required: step.required, title };
}

export interface PropertyInfo {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/**
 * The named properties allowed in the object at `path` (merged over `$ref` and
 * allOf/anyOf/oneOf, first definition wins), in schema order. Empty when the path is unknown
 * or the object has only free-form keys.
 */
export function propertiesOf(schemaId: string, path: readonly (string | number)[]): PropertyInfo[] {
  if (!Array.isArray(path)) return [];
  const step = locate(schemaId, path);
  if (!step) return [];
  const views = expand(step.loc);
  const required = new Set(views.flatMap((v) => v.node.required ?? []));
  const out: PropertyInfo[] = [];
  const seen = new Set<string>();
  for (const v of views) {
    for (const [name, node] of Object.entries(v.node.properties ?? {})) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, schema: documented({ node, rootId: v.rootId }), required: required.has(name) });
    }
  }
  return out;
}

/**
 * The effective (dereferenced) schemas at a path, e.g. to read `enum`, `type` or
 * `defaultSnippets` of a `$ref`-only node. The first element is the node itself.
 */
export function schemaViews(schemaId: string, path: readonly (string | number)[]): JsonSchema[] {
  if (!Array.isArray(path)) return [];
  const step = locate(schemaId, path);
  return step ? expand(step.loc).map((v) => v.node) : [];
}
