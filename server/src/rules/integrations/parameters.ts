/**
 * Parameters / Arguments of ECS and EKS optimized integrations, checked against the JSON
 * Schemas in schemas/ (reference §2): ECS403/EKS503 unknown parameter with did-you-mean (case
 * slips, near misses), ECS404/EKS504 missing required parameter, ECS405/EKS505 wrong type or
 * enum value. Dynamic values (`K.$`, `{% %}`) are never type-checked.
 */
import type { AstNode, StateInfo } from '../../../../asl/src/types';
import type { Rule, RuleContext } from '../types';
import { didYouMean, didYouMeanText, objectAnchor, span } from '../util';
import { findAction, isCheckedService, type KnownAction } from './catalog';
import { payloadNode, resolvePointer, staticPayload, type Mirror } from './payload';
import { schemaValidators, type SchemaError } from './validators';

export const integrationParameters: Rule = {
  codes: {
    ECS403: { severity: 'error', title: 'Unknown ecs:runTask parameter' },
    EKS503: { severity: 'error', title: 'Unknown EKS integration parameter' },
    ECS404: { severity: 'error', title: 'Missing required ecs:runTask parameter' },
    EKS504: { severity: 'error', title: 'Missing required EKS integration parameter' },
    ECS405: { severity: 'error', title: 'Wrong type or value of an ecs:runTask parameter' },
    EKS505: { severity: 'error', title: 'Wrong type or value of an EKS integration parameter' },
  },
  check(ctx) {
    for (const s of ctx.model.states) {
      if (
        s.type !== 'Task' ||
        s.node.type !== 'object' ||
        s.resource?.kind !== 'optimized' ||
        !isCheckedService(s.resource.service)
      )
        continue;
      const action = findAction(s.resource.key);
      if (action) checkPayload(s, action, ctx);
    }
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
  if (node.type === 'string' && s.queryLanguage === 'JSONata') return; // whole payload computed at run time
  if (node.type !== 'object') {
    ctx.report({ code: `${prefix}05`, ...span(node), message: `'${field}' of '${action.key}' must be an object.` });
    return;
  }
  const { value, mirror } = staticPayload(node);
  if (validate(value)) return;
  const errors = pruneAlternatives(validate.errors ?? []);
  const missingByObject = new Map<Mirror, string[]>();
  /** names an unknown key probably meant: no separate "missing" diagnostic for them */
  const meant = new Map<Mirror, Set<string>>();
  for (const e of errors) {
    if (coveredElsewhere(action, e)) continue;
    const target = resolvePointer(mirror, e.instancePath);
    if (target === 'dynamic' || !target) continue;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
      const name = String(params.additionalProperty);
      const prop = target.props?.get(name);
      const keyN = prop?.key;
      if (!keyN) continue;
      const allowed = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
      );
      const suggestions = didYouMean(name, allowed);
      if (suggestions.length) {
        const set = meant.get(target) ?? new Set<string>();
        set.add(suggestions[0]);
        meant.set(target, set);
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
      const list = missingByObject.get(target) ?? [];
      list.push(String(params.missingProperty));
      missingByObject.set(target, list);
    } else {
      reportValueError(e, target, prefix, action, ctx);
    }
  }
  for (const [m, all] of missingByObject) {
    const missing = all.filter((x) => !meant.get(m)?.has(x));
    if (!missing.length) continue;
    const anchor = m === mirror ? span(key ?? node) : m.key ? span(m.key) : objectAnchorOf(m.node);
    const where = m === mirror ? `'${action.key}'` : `'${m.key ? String(m.key.value) : 'this item'}'`;
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

function reportValueError(e: SchemaError, target: Mirror, prefix: string, action: KnownAction, ctx: RuleContext): void {
  const name = e.instancePath ? lastSegment(e.instancePath) : action.key;
  const p = e.params as Record<string, unknown>;
  const value = target.node;
  let message: string;
  let data: Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'type': {
      const t = String(p.type).replace(/,/g, ' or ');
      message = `'${name}' must be ${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}.`;
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
    case 'anyOf':
    case 'oneOf':
      message = `'${name}' has the wrong type.`;
      break;
    default:
      message = `'${name}' ${e.message ?? 'is invalid'}.`;
  }
  ctx.report({ code: `${prefix}05`, ...span(value), message, data });
}
