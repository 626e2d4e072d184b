/**
 * Parameters / Arguments of ECS and EKS optimized integrations, checked against the JSON
 * Schemas in schemas/ (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): ECS403/EKS503 unknown parameter with did-you-mean (case
 * slips, near misses), ECS404/EKS504 missing required parameter, ECS405/EKS505 wrong type or
 * enum value. Dynamic values (`K.$`, `{% %}`) are never type-checked.
 */
import type { AstNode, QueryLanguage, StateInfo } from '../../types';
import type { Rule, RuleContext } from '../types';
import { didYouMean, didYouMeanText, objectAnchor, span, typeName } from '../util';
import { findAction, isCheckedService, type KnownAction } from './catalog';
import { memberOf, payloadNode, resolvePointer, staticValue, type PayloadPart } from './payload';
import { schemaValidators, type SchemaError } from './validators';
import { checkOnce } from '../checkOnce';

export const integrationParameters: Rule = {
  codes: {
    ECS403: { severity: 'error', title: 'Unknown ecs:runTask parameter' },
    EKS503: { severity: 'error', title: 'Unknown EKS integration parameter' },
    ECS404: { severity: 'error', title: 'Missing required ecs:runTask parameter' },
    EKS504: { severity: 'error', title: 'Missing required EKS integration parameter' },
    ECS405: { severity: 'error', title: 'Wrong type or value of an ecs:runTask parameter' },
    EKS505: { severity: 'error', title: 'Wrong type or value of an EKS integration parameter' },
  },
  checkState(s, ctx) {
    if (
      s.type !== 'Task' ||
      s.node.type !== 'object' ||
      s.resource?.kind !== 'optimized' ||
      !isCheckedService(s.resource.service)
    )
      return;
    const action = findAction(s.resource.key);
    if (action) checkPayload(s, action, ctx);
  },
};

/** Errors that dedicated rules report with their own code (ecs.ts / eks.ts). */
function coveredElsewhere(action: KnownAction, e: SchemaError): boolean {
  const p = e.instancePath;
  if (action.key === 'ecs:runTask') {
    if (p === '/Count' && (e.keyword === 'minimum' || e.keyword === 'maximum')) return true;
    if (
      e.keyword === 'required' &&
      /^\/Overrides\/ContainerOverrides\/\d+$/.test(p) &&
      (e.params as { missingProperty?: string }).missingProperty === 'Name'
    )
      return true;
  }
  if (action.key === 'eks:runJob') {
    if ((p === '/Job/apiVersion' || p === '/Job/kind') && (e.keyword === 'enum' || e.keyword === 'const')) return true;
    if (
      p === '/Job' &&
      e.keyword === 'required' &&
      ['apiVersion', 'kind'].includes(String((e.params as { missingProperty?: string }).missingProperty))
    )
      return true;
    if (p === '/Job/spec/template/spec/restartPolicy' && (e.keyword === 'enum' || e.keyword === 'const')) return true;
  }
  return false;
}

function checkPayload(s: StateInfo, action: KnownAction, ctx: RuleContext): void {
  const prefix = action.service === 'ecs' ? 'ECS4' : 'EKS5';
  const { node, key, field } = payloadNode(s);
  const validate = schemaValidators().get(action.parametersSchemaId);
  if (!validate) return;
  if (!node) {
    const required = requiredOf(validate.schema);
    if (required.length) {
      const resKey =
        s.node.type === 'object'
          ? s.node.children?.find((p) => p.children?.[0]?.value === 'Resource')?.children?.[0]
          : undefined;
      ctx.report({
        code: `${prefix}04`,
        ...span(resKey ?? s.keyNode),
        message: `'${action.key}' needs '${field}' with ${required.map((r) => `'${r}'`).join(', ')}.`,
        data: { missing: [field], requiredParameters: required },
      });
    }
    return;
  }
  const ql = s.queryLanguage;
  checkOnce(ctx, `${action.key}|${ql}`, (key ?? node).offset, node, (c) =>
    checkPayloadValue(node, key, field, ql, action, c),
  );
}

/** The checks of a present payload, which depend on nothing but its text (and its key's). */
function checkPayloadValue(
  node: AstNode,
  key: AstNode | undefined,
  field: string,
  ql: QueryLanguage,
  action: KnownAction,
  ctx: RuleContext,
): void {
  const prefix = action.service === 'ecs' ? 'ECS4' : 'EKS5';
  const validate = schemaValidators().get(action.parametersSchemaId);
  if (!validate) return;
  if (node.type === 'string' && ql === 'JSONata') return; // whole payload computed at run time
  if (node.type !== 'object') {
    ctx.report({ code: `${prefix}05`, ...span(node), message: `'${field}' of '${action.key}' must be an object.` });
    return;
  }
  if (validate(staticValue(node))) return;
  const errors = pruneAlternatives(validate.errors ?? []);
  /** by object node */
  const missingByObject = new Map<AstNode, { part: PayloadPart; at: string; names: string[] }>();
  /** names an unknown key probably meant, by object node: no separate "missing" diagnostic for them */
  const meant = new Map<AstNode, Set<string>>();
  for (const e of errors) {
    if (coveredElsewhere(action, e)) continue;
    const target = resolvePointer(node, e.instancePath);
    if (target === 'dynamic' || !target) continue;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
      const name = String(params.additionalProperty);
      const keyN = memberOf(target, name)?.key;
      if (!keyN) continue;
      const allowed = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
      );
      const suggestions = didYouMean(name, allowed);
      if (suggestions.length) {
        const set = meant.get(target.node) ?? new Set<string>();
        set.add(suggestions[0]);
        meant.set(target.node, set);
      }
      const where = e.instancePath ? ` in '${lastSegment(e.instancePath)}'` : '';
      const shown = String(keyN.value);
      ctx.report({
        code: `${prefix}03`,
        ...span(keyN),
        message: `Unknown parameter '${shown}'${where} for '${action.key}'.${didYouMeanText(suggestions)}`,
        data: suggestions.length
          ? { replaceWith: shown.endsWith('.$') ? suggestions[0] + '.$' : suggestions[0], suggestions }
          : { remove: true },
      });
    } else if (e.keyword === 'required') {
      const entry = missingByObject.get(target.node) ?? { part: target, at: e.instancePath, names: [] };
      entry.names.push(String(params.missingProperty));
      missingByObject.set(target.node, entry);
    } else {
      reportValueError(e, target, prefix, action, ql, ctx);
    }
  }
  for (const [obj, { part, at, names }] of missingByObject) {
    const missing = names.filter((x) => !meant.get(obj)?.has(x));
    if (!missing.length) continue;
    const anchor = obj === node ? span(key ?? node) : part.key ? span(part.key) : objectAnchorOf(obj);
    const where = `'${obj === node ? action.key : displayPath(at)}'`;
    ctx.report({
      code: `${prefix}04`,
      ...anchor,
      message: `${where} is missing required parameter${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
      data: { missing },
    });
  }
}

function objectAnchorOf(n: AstNode): { offset: number; length: number } {
  return n.parent?.type === 'array' ? { offset: n.offset, length: 1 } : objectAnchor(n);
}

function requiredOf(schema: unknown): string[] {
  const r = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(r) ? r.map(String) : [];
}

/** A JSON pointer as the path a user reads: `/Overrides/ContainerOverrides/0` -> `Overrides.ContainerOverrides[0]`. */
function displayPath(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const seg = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : (out ? '.' : '') + seg;
  }
  return out;
}

function lastSegment(pointer: string): string {
  const parts = pointer.split('/');
  const last = parts[parts.length - 1];
  return /^\d+$/.test(last) && parts.length > 1 ? `${parts[parts.length - 2]}[${last}]` : last;
}

/**
 * ajv reports every failing branch of anyOf/oneOf. When some sub-error remains at or under the
 * same place, the branch whose type did not match (and the anyOf summary) is noise: drop it.
 */
function pruneAlternatives(errors: SchemaError[]): SchemaError[] {
  const alt = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (!alt.length) return errors;
  const drop = new Set<SchemaError>();
  for (const a of alt) {
    const at = a.instancePath;
    const inner = errors.filter((e) => e !== a && (e.instancePath === at || e.instancePath.startsWith(at + '/')));
    const meaningful = inner.filter((e) => !(e.keyword === 'type' && e.instancePath === at));
    if (meaningful.length) {
      drop.add(a);
      for (const e of inner) if (e.keyword === 'type' && e.instancePath === at) drop.add(e);
    } else for (const e of inner) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

/** "a string", "an array", "empty (null)": what a value is, for "must be …, but it is …". */
function found(node: AstNode): string {
  if (node.type === 'null') return 'empty (null)';
  const t = typeName(node);
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/** The types a schema node allows, as "an object or a string" (following `$ref`s to objects). */
function expectedTypes(alternatives: unknown): string | undefined {
  if (!Array.isArray(alternatives)) return undefined;
  const types: string[] = [];
  for (const alt of alternatives as { type?: unknown; $ref?: unknown; properties?: unknown }[]) {
    const t = alt.type ?? (alt.$ref || alt.properties ? 'object' : undefined);
    for (const x of Array.isArray(t) ? t : [t]) if (typeof x === 'string' && !types.includes(x)) types.push(x);
  }
  return types.length ? types.map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`).join(' or ') : undefined;
}

function reportValueError(
  e: SchemaError,
  target: PayloadPart,
  prefix: string,
  action: KnownAction,
  ql: QueryLanguage,
  ctx: RuleContext,
): void {
  const name = e.instancePath ? lastSegment(e.instancePath) : action.key;
  const p = e.params as Record<string, unknown>;
  const value = target.node;
  let message: string;
  let data: Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'type': {
      const t = String(p.type).replace(/,/g, ' or ');
      message = `'${name}' must be ${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}, but it is ${found(value)}${pathHint(target, ql)}.`;
      break;
    }
    case 'enum': {
      const allowed = ((p.allowedValues as unknown[]) ?? []).map(String);
      const suggestions = typeof value.value === 'string' ? didYouMean(value.value, allowed) : [];
      message = `'${name}' must be one of ${allowed.join(', ')}.${didYouMeanText(suggestions)}`;
      data = { suggestions: suggestions.length ? suggestions : allowed, replaceWith: suggestions[0] };
      break;
    }
    case 'const':
      message = `'${name}' must be ${JSON.stringify(p.allowedValue)}.`;
      break;
    case 'maxLength':
      message = `'${name}' is ${String(value.value ?? '').length} characters long; at most ${String(p.limit)} are allowed.`;
      break;
    case 'anyOf':
    case 'oneOf': {
      const expected = expectedTypes(e.schema);
      message = expected
        ? `'${name}' must be ${expected}, but it is ${found(value)}${pathHint(target, ql)}.`
        : `'${name}' has the wrong type: it is ${found(value)}.`;
      break;
    }
    default:
      message = `'${name}' ${e.message ?? 'is invalid'}.`;
  }
  ctx.report({ code: `${prefix}05`, ...span(value), message, data });
}

/**
 * JSONPath: a path written as the value of a key without `.$` is taken literally; the hint
 * names the `.$` key that takes the value from the input (the quick fix renames the key).
 */
function pathHint(target: PayloadPart, ql: QueryLanguage): string {
  const v = target.node;
  const keyName = target.key && typeof target.key.value === 'string' ? target.key.value : undefined;
  if (
    ql !== 'JSONPath' ||
    !keyName ||
    keyName.endsWith('.$') ||
    v.type !== 'string' ||
    !/^(\$|States\.)/.test(String(v.value))
  )
    return '';
  return `; to take it from the input use '${keyName}.$'`;
}
