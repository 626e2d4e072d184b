/**
 * Completion inside `Parameters` (JSONPath) / `Arguments` (JSONata) of ECS/EKS Task states,
 * driven by the integration's parameter schema (reference §2): names at the nested path
 * (Overrides → ContainerOverrides[] → …, NetworkConfiguration → AwsvpcConfiguration, the
 * Kubernetes Job under `Job`), enum values, names already present left out, and the
 * `Name.$` variant of each field in JSONPath states. Also the `Resource` values.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { findIntegration, listIntegrations } from '../../../../asl/src/integrations';
import { patternSuffix } from '../../../../asl/src/resource';
import { describe, propertiesOf, schemaViews, type JsonSchema } from '../../../../asl/src/schemas';
import type { IntegrationAction, IntegrationPattern, StateInfo } from '../../../../asl/src/types';
import { keyOf, type PathSegment } from '../navigation/treeUtil';
import type { CompletionEnv } from './env';
import { keyItem, valueItem, type Shape } from './items';

/** The integration and the path inside its parameters, when the cursor is in an ECS/EKS payload. */
export function payloadContext(state: StateInfo | undefined, rel: PathSegment[]): { integration: IntegrationAction; sub: PathSegment[] } | undefined {
  if (!state || state.type !== 'Task' || !state.resource?.key) return undefined;
  const field = state.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  if (rel[0] !== field) return undefined;
  const integration = safeFind(state.resource.key);
  return integration ? { integration, sub: rel.slice(1) } : undefined;
}

function safeFind(key: string): IntegrationAction | undefined {
  try {
    return findIntegration(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The snippet shape for a schema node (first view with a type wins). */
export function shapeOfSchema(views: JsonSchema[]): Shape {
  for (const v of views) {
    if (Array.isArray(v.enum) && v.enum.every((e) => typeof e === 'string')) return { enum: v.enum as string[] };
    if (v.const !== undefined && typeof v.const === 'string') return { enum: [v.const] };
    const t = Array.isArray(v.type) ? v.type[0] : v.type;
    if (t === 'object') return 'object';
    if (t === 'array') {
      const it = v.items && !Array.isArray(v.items) ? v.items : undefined;
      const itType = it?.type ?? (it?.$ref || it?.properties ? 'object' : undefined);
      return itType === 'object' ? 'arrayOfObjects' : 'array';
    }
    if (t === 'string') return 'string';
    if (t === 'integer' || t === 'number') return 'number';
    if (t === 'boolean') return 'boolean';
  }
  // anyOf [object, string] (the Job manifest) and $ref-only nodes: an object is the useful form
  return views.some((v) => v.properties || v.$ref) ? 'object' : 'any';
}

/** Parameter name completions at the cursor; undefined when not in an ECS/EKS payload. */
export function parameterKeyCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  const ctx = payloadContext(env.state, env.rel);
  if (!ctx) return undefined;
  const { integration, sub } = ctx;
  // the last segment of a key cursor's path is the object itself; `.$` keys hold no object
  if (sub.some((s) => typeof s === 'string' && s.endsWith('.$'))) return [];
  const props = propertiesOf(integration.parametersSchemaId, sub);
  const jsonPath = env.queryLanguage === 'JSONPath';
  const present = (n: string) => env.cur.existing.has(n) || env.cur.existing.has(`${n}.$`);
  const out: CompletionItem[] = [];
  for (const p of props) {
    if (present(p.name)) continue;
    const views = schemaViews(integration.parametersSchemaId, [...sub, p.name]);
    const shape = shapeOfSchema(views);
    const doc = describe(p.schema, p.required);
    out.push(
      keyItem(env.doc, env.cur, p.name, shape, {
        detail: `${integration.key} parameter${p.required ? ' (required)' : ''}`,
        documentation: doc,
        sortText: (p.required ? '0' : '1') + p.name,
      }),
    );
    if (jsonPath) {
      out.push(
        keyItem(env.doc, env.cur, `${p.name}.$`, 'string', {
          detail: `${p.name} from a path, context path or intrinsic`,
          documentation: doc,
          sortText: (p.required ? '0' : '1') + p.name + '~',
        }),
      );
    }
  }
  return out;
}

/** Enum/boolean value completions of a parameter; undefined when not in an ECS/EKS payload. */
export function parameterValueCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  const ctx = payloadContext(env.state, env.rel);
  if (!ctx) return undefined;
  const key = keyOf(env.cur.property);
  if (key?.endsWith('.$')) return undefined;
  const views = schemaViews(ctx.integration.parametersSchemaId, ctx.sub);
  for (const v of views) {
    if (Array.isArray(v.enum)) {
      const docs = v.markdownEnumDescriptions ?? [];
      return v.enum.map((e, i) =>
        valueItem(env.doc, env.cur, typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean' ? e : String(e), {
          kind: CompletionItemKind.EnumMember,
          documentation: docs[i],
          detail: key,
        }),
      );
    }
    if (typeof v.const === 'string') return [valueItem(env.doc, env.cur, v.const, { kind: CompletionItemKind.EnumMember })];
    if (v.type === 'boolean') return [true, false].map((b) => valueItem(env.doc, env.cur, b));
  }
  return [];
}

const PATTERN_DETAIL: Record<IntegrationPattern, string> = {
  requestResponse: 'Request Response: starts the work and continues at once',
  sync: 'Run a Job (.sync): waits until the work finishes',
  waitForTaskToken: 'Callback (.waitForTaskToken): waits for SendTaskSuccess/SendTaskFailure with the task token',
};

/** `Resource` values: every ECS/EKS resource with each supported pattern (reference §1.1). */
export function resourceCompletions(env: CompletionEnv): CompletionItem[] {
  const current = typeof env.cur.valueNode?.value === 'string' ? env.cur.valueNode.value : '';
  const partition = /^arn:(aws-cn|aws-us-gov):/.exec(current)?.[1] ?? 'aws';
  let list: readonly IntegrationAction[] = [];
  try {
    list = listIntegrations();
  } catch {
    list = [];
  }
  const out: CompletionItem[] = [];
  for (const a of list) {
    for (const p of a.patterns) {
      const arn = `arn:${partition}:states:::${a.key}${patternSuffix(p)}`;
      out.push(
        valueItem(env.doc, env.cur, arn, {
          kind: CompletionItemKind.Module,
          detail: `${a.key}${patternSuffix(p)} — ${PATTERN_DETAIL[p]}`,
          documentation: `${a.summary}\n\n${a.patternDocs[p] ?? ''}`,
          sortText: `${a.service === 'ecs' ? 0 : 1}${a.key}${p === 'sync' ? 0 : p === 'requestResponse' ? 1 : 2}`,
        }),
      );
    }
  }
  return out;
}
