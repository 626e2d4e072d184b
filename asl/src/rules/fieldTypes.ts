/**
 * Expected value kinds of the ASL fields (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html, https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html). Used by the
 * stateFields rule (ASL104); path syntax itself is checked by the paths rule.
 */
import type { AstNode, QueryLanguage } from '../types';
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
  | 'arrayOrJsonata'
  | 'stringArray'
  | 'batchBytes';

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
  Parameters: 'object',
  Arguments: 'object',
  // Choice rules
  Variable: 'string',
  // Credentials
  RoleArn: 'string',
  'RoleArn.$': 'string',
  // Map ItemReader / ReaderConfig, ItemBatcher, ResultWriter / WriterConfig
  ReaderConfig: 'object',
  InputType: 'string',
  CSVHeaderLocation: 'string',
  CSVHeaders: 'stringArray',
  CSVDelimiter: 'string',
  ManifestType: 'string',
  MaxItems: 'nonNegInt',
  MaxItemsPath: 'path',
  MaxItemsPerBatch: 'posInt',
  MaxItemsPerBatchPath: 'path',
  MaxInputBytesPerBatch: 'batchBytes',
  MaxInputBytesPerBatchPath: 'path',
  BatchInput: 'object',
  WriterConfig: 'object',
  OutputType: 'string',
  Transformation: 'string',
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
  stringArray: 'an array of strings',
  batchBytes: 'an integer from 1 to 262144 (256 KiB)',
};

/** Largest batch input Step Functions accepts for ItemBatcher.MaxInputBytesPerBatch (256 KiB). */
const MAX_BATCH_BYTES = 262144;

/** Largest value Step Functions accepts for second counts (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html default 99999999). */
const MAX_SECONDS = 99999999;

/**
 * Returns a message when `value` does not fit `kind`, else undefined. In JSONata states a
 * `{% %}` string is accepted for every non-string field (evaluated at run time, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
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
    case 'stringArray':
      ok = value.type === 'array' && (value.children ?? []).every((c) => c.type === 'string');
      break;
    case 'batchBytes':
      ok = value.type === 'number' && Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_BATCH_BYTES;
      break;
  }
  return ok ? undefined : `'${field}' must be ${KIND_TEXT[kind]}.`;
}

/** {@link checkKind} for a field listed in FIELD_KINDS; undefined for any other field. */
export function fieldKindMessage(field: string, value: AstNode, ql: QueryLanguage): string | undefined {
  const kind = FIELD_KINDS[field];
  return kind && checkKind(field, kind, value, ql);
}
