/**
 * Expected value kinds of the ASL fields (reference §6.1, §6.2, DG-TASK). Used by the
 * stateFields rule (ASL104); path syntax itself is checked by the paths rule.
 */
import type { AstNode, QueryLanguage } from '../../../asl/src/types';
import { isJsonataString } from './util';

export type ValueKind =
  | 'string'
  | 'boolean'
  | 'posInt'
  | 'nonNegInt'
  | 'percent'
  | 'pathOrNull'
  | 'path'
  | 'object'
  | 'array'
  | 'nonEmptyArray'
  | 'queryLanguage'
  | 'arrayOrJsonata';

export const FIELD_KINDS: Readonly<Record<string, ValueKind>> = {
  Type: 'string',
  Comment: 'string',
  Next: 'string',
  Default: 'string',
  Resource: 'string',
  Label: 'string',
  Version: 'string',
  StartAt: 'string',
  End: 'boolean',
  QueryLanguage: 'queryLanguage',
  TimeoutSeconds: 'posInt',
  HeartbeatSeconds: 'posInt',
  Seconds: 'nonNegInt',
  Timestamp: 'string',
  MaxConcurrency: 'nonNegInt',
  ToleratedFailureCount: 'nonNegInt',
  ToleratedFailurePercentage: 'percent',
  Error: 'string',
  Cause: 'string',
  InputPath: 'pathOrNull',
  OutputPath: 'pathOrNull',
  ResultPath: 'pathOrNull',
  ItemsPath: 'path',
  TimeoutSecondsPath: 'path',
  HeartbeatSecondsPath: 'path',
  SecondsPath: 'path',
  TimestampPath: 'path',
  ErrorPath: 'path',
  CausePath: 'path',
  MaxConcurrencyPath: 'path',
  ToleratedFailurePercentagePath: 'path',
  ToleratedFailureCountPath: 'path',
  ResultSelector: 'object',
  Assign: 'object',
  Credentials: 'object',
  ItemSelector: 'object',
  ItemReader: 'object',
  ItemBatcher: 'object',
  ResultWriter: 'object',
  ItemProcessor: 'object',
  Iterator: 'object',
  States: 'object',
  ProcessorConfig: 'object',
  Retry: 'array',
  Catch: 'array',
  Choices: 'array',
  Branches: 'nonEmptyArray',
  Items: 'arrayOrJsonata',
};

const KIND_TEXT: Record<ValueKind, string> = {
  string: 'a string',
  boolean: 'a boolean',
  posInt: 'a positive integer',
  nonNegInt: 'a non-negative integer',
  percent: 'a number between 0 and 100',
  pathOrNull: 'a path string or null',
  path: 'a path string',
  object: 'an object',
  array: 'an array',
  nonEmptyArray: 'a non-empty array',
  queryLanguage: "'JSONPath' or 'JSONata'",
  arrayOrJsonata: 'an array or a JSONata expression',
};

/** Largest value Step Functions accepts for second counts (DG-TASK default 99999999). */
const MAX_SECONDS = 99999999;

/**
 * Returns a message when `value` does not fit `kind`, else undefined. In JSONata states a
 * `{% %}` string is accepted for every non-string field (evaluated at run time, §6.4).
 */
export function checkKind(field: string, kind: ValueKind, value: AstNode, ql: QueryLanguage): string | undefined {
  if (ql === 'JSONata' && isJsonataString(value) && kind !== 'string') return undefined;
  const v = value.value;
  let ok: boolean;
  switch (kind) {
    case 'string':
      ok = value.type === 'string';
      break;
    case 'boolean':
      ok = value.type === 'boolean';
      break;
    case 'posInt':
      ok = value.type === 'number' && Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_SECONDS;
      break;
    case 'nonNegInt':
      ok = value.type === 'number' && Number.isInteger(v) && (v as number) >= 0;
      break;
    case 'percent':
      ok = value.type === 'number' && (v as number) >= 0 && (v as number) <= 100;
      break;
    case 'pathOrNull':
      ok = value.type === 'string' || value.type === 'null';
      break;
    case 'path':
      ok = value.type === 'string';
      break;
    case 'object':
      ok = value.type === 'object';
      break;
    case 'array':
      ok = value.type === 'array';
      break;
    case 'nonEmptyArray':
      ok = value.type === 'array' && (value.children?.length ?? 0) > 0;
      break;
    case 'queryLanguage':
      ok = v === 'JSONPath' || v === 'JSONata';
      break;
    case 'arrayOrJsonata':
      ok = value.type === 'array';
      break;
  }
  return ok ? undefined : `'${field}' must be ${KIND_TEXT[kind]}.`;
}
