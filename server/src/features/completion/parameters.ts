/**
 * Completion inside `Parameters` (JSONPath) / `Arguments` (JSONata) of ECS/EKS Task states,
 * driven by the integration's parameter schema (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): names at the nested path
 * (Overrides → ContainerOverrides[] → …, NetworkConfiguration → AwsvpcConfiguration, the
 * Kubernetes Job under `Job`), enum values, names already present left out, and the
 * `Name.$` variant of each field in JSONPath states. Also the `Resource` values.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { listIntegrations } from '../../../../asl/src/integrations';
import { patternSuffix } from '../../../../asl/src/resource';
import { describe, propertiesOf, schemaViews, type JsonSchema } from '../../../../asl/src/schemas';
import type { IntegrationAction, IntegrationPattern } from '../../../../asl/src/types';
import { keyOf } from '../../../../asl/src/parse/tree';
import { payloadContext } from '../shared/payload';
import type { CompletionEnv } from './env';
import { keyItem, valueItem, type Shape } from './items';

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
  // a parameter the request cannot carry next to one already there is left out
  const excluded = new Set<string>();
  if (sub.length === 0) {
    for (const [a, b] of integration.exclusiveParameters ?? []) {
      if (present(a)) excluded.add(b);
      if (present(b)) excluded.add(a);
    }
  }
  const out: CompletionItem[] = [];
  for (const p of props) {
    if (present(p.name) || excluded.has(p.name)) continue;
    const views = schemaViews(integration.parametersSchemaId, [...sub, p.name]);
    const shape = shapeOfSchema(views);
    const doc = describe(p.schema, p.required);
    // a YAML block whose first line can be completed: the list opens again on that line
    const nested =
      shape === 'object'
        ? views
        : shape === 'arrayOfObjects'
          ? schemaViews(integration.parametersSchemaId, [...sub, p.name, 0])
          : [];
    out.push(
      keyItem(env.doc, env.cur, p.name, shape, {
        detail: `${integration.key} parameter${p.required ? ' (required)' : ''}`,
        documentation: doc,
        sortText: (p.required ? '0' : '1') + p.name,
        retrigger: nested.some((v) => v.properties && Object.keys(v.properties).length > 0),
      }),
    );
    if (jsonPath) {
      out.push(
        keyItem(env.doc, env.cur, `${p.name}.$`, 'string', {
          detail: `${p.name} from a path, context path or intrinsic`,
          documentation: doc,
          sortText: (p.required ? '0' : '1') + p.name + '~',
          retrigger: true,
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
        valueItem(
          env.doc,
          env.cur,
          typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean' ? e : String(e),
          {
            kind: CompletionItemKind.EnumMember,
            documentation: docs[i],
            detail: key,
          },
        ),
      );
    }
    if (typeof v.const === 'string')
      return [valueItem(env.doc, env.cur, v.const, { kind: CompletionItemKind.EnumMember })];
    if (v.type === 'boolean') return [true, false].map((b) => valueItem(env.doc, env.cur, b));
  }
  return [];
}

const PATTERN_DETAIL: Record<IntegrationPattern, string> = {
  requestResponse: 'Request Response: starts the work and continues at once',
  sync: 'Run a Job (.sync): waits until the work finishes',
  waitForTaskToken: 'Callback (.waitForTaskToken): waits for SendTaskSuccess/SendTaskFailure with the task token',
};

/** `Resource` values: every ECS/EKS resource with each supported pattern (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html). */
export function resourceCompletions(env: CompletionEnv): CompletionItem[] {
  const current = typeof env.cur.valueNode?.value === 'string' ? env.cur.valueNode.value : '';
  const partition = /^arn:(aws-cn|aws-us-gov):/.exec(current)?.[1] ?? 'aws';
  let list: readonly IntegrationAction[] = [];
  try {
    list = listIntegrations();
  } catch {
    list = [];
  }
  // what was typed (an action like `runJob`, or the start of an ARN) ranks the resources naming it first
  const typed = env.cur.prefix.replace(/^["']/, '').toLowerCase();
  const out: CompletionItem[] = [];
  for (const a of list) {
    for (const p of a.patterns) {
      const arn = `arn:${partition}:states:::${a.key}${patternSuffix(p)}`;
      const fits = !typed || arn.toLowerCase().includes(typed);
      out.push(
        valueItem(env.doc, env.cur, arn, {
          kind: CompletionItemKind.Module,
          detail: `${a.key}${patternSuffix(p)} — ${PATTERN_DETAIL[p]}`,
          documentation: `${a.summary}\n\n${a.patternDocs[p] ?? ''}`,
          sortText: `${fits ? 0 : 1}${a.service === 'ecs' ? 0 : 1}${a.key}${p === 'sync' ? 0 : p === 'requestResponse' ? 1 : 2}`,
        }),
      );
    }
  }
  return out;
}
