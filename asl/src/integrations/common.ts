/**
 * Helpers shared by the integration descriptions: reading a static Parameters/Arguments
 * value and telling static fields from dynamic ones (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html "static" vs "dynamic").
 */
import { isJsonataExpression } from '../jsonata/syntax';
import type { IamContext, IamStatement } from '../types';

/** How a parameter is given in the definition. */
export type FieldSource =
  | { kind: 'absent' }
  /** a literal value known when the definition is written */
  | { kind: 'static'; value: unknown }
  /** from a path (`Key.$`) or a JSONata expression (`"{% ... %}"`): known only at run time */
  | { kind: 'dynamic' };

/** True for a JSONata expression string (`{% ... %}`, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); defined in asl/src/jsonata. */
export { isJsonataExpression };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `name` in a payload object: `name.$` (JSONPath) or a `{% %}` value (JSONata) is
 * dynamic; a whole payload given as one JSONata expression makes every field dynamic.
 */
export function field(params: unknown, name: string): FieldSource {
  if (isJsonataExpression(params)) return { kind: 'dynamic' };
  if (!isRecord(params)) return { kind: 'absent' };
  if (Object.prototype.hasOwnProperty.call(params, `${name}.$`)) return { kind: 'dynamic' };
  if (!Object.prototype.hasOwnProperty.call(params, name)) return { kind: 'absent' };
  const v = params[name];
  if (isJsonataExpression(v)) return { kind: 'dynamic' };
  return { kind: 'static', value: v };
}

/** A field's static string value, or undefined when absent/dynamic/not a string. */
export function staticString(params: unknown, name: string): string | undefined {
  const f = field(params, name);
  return f.kind === 'static' && typeof f.value === 'string' && f.value !== '' ? f.value : undefined;
}

/** The nested object under `name` when it is static, for reading deeper fields. */
export function staticObject(params: unknown, name: string): Record<string, unknown> | string | undefined {
  const f = field(params, name);
  if (f.kind === 'dynamic') return '{% dynamic %}';
  return f.kind === 'static' && isRecord(f.value) ? f.value : undefined;
}

/** One Allow statement. */
export function allow(actions: string[], resources: string[], condition?: IamStatement['Condition']): IamStatement {
  const s: IamStatement = { Effect: 'Allow', Action: actions, Resource: resources };
  if (condition) s.Condition = condition;
  return s;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` for the context. */
export function arn(ctx: IamContext, service: string, resource: string, opts: { global?: boolean } = {}): string {
  return `arn:${ctx.partition}:${service}:${opts.global ? '' : ctx.region}:${ctx.account}:${resource}`;
}

/** Service principals used in `iam:PassedToService` conditions. */
export const EKS_SERVICE_PRINCIPAL = 'eks.amazonaws.com';
