/**
 * Numeric state fields given literally, by a `<field>Path` reference path (JSONPath states) or
 * as a JSONata expression: one helper so every such field applies the same rules and reports a
 * bad value with the same message, whichever state type it belongs to.
 *
 * The ranges are the ones the ASL schema gives these fields (schemas/asl-jsonpath.schema.json,
 * from AWS's pages: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html), read from
 * the schema so that validating a definition and running it agree. The pages describe each value
 * as an integer (a percentage as a number) in a range, so a path that selects a string such as
 * "10", a fraction for an integer field or a value outside the range fails the state with
 * States.Runtime (JSONPath) or States.QueryEvaluationError (JSONata), like the other run-time
 * type errors of those query languages.
 */
import { getSchema } from '../../../asl/src/schemas/index';
import { Failure } from './errors';
import { lookupRequired } from './evaluate';
import { bindings, evalField, jpScope, queryError } from './io';
import type { StateCtx } from './types';

/** What a numeric field accepts. */
export interface NumberRule {
  min: number;
  max?: number;
  integer: boolean;
}

/** Where the schema defines each numeric field (a pointer into the JSONPath ASL schema). */
const SCHEMA_POINTERS = {
  Seconds: 'Wait/properties/Seconds',
  TimeoutSeconds: 'Task/properties/TimeoutSeconds',
  HeartbeatSeconds: 'Task/properties/HeartbeatSeconds',
  MaxConcurrency: 'Map/properties/MaxConcurrency',
  ToleratedFailureCount: 'Map/properties/ToleratedFailureCount',
  ToleratedFailurePercentage: 'Map/properties/ToleratedFailurePercentage',
  MaxItemsPerBatch: 'itemBatcher/properties/MaxItemsPerBatch',
  MaxInputBytesPerBatch: 'itemBatcher/properties/MaxInputBytesPerBatch',
  MaxItems: 'itemReader/properties/ReaderConfig/properties/MaxItems',
} as const;

function ruleOf(pointer: string): NumberRule {
  const s = getSchema(`asl-jsonpath#/definitions/${pointer}`);
  if (!s || typeof s.minimum !== 'number') throw new Error(`The ASL schema has no numeric range at ${pointer}.`);
  return { min: s.minimum, max: typeof s.maximum === 'number' ? s.maximum : undefined, integer: s.type === 'integer' };
}

/** The numeric fields of the states and their ranges. */
export const NUMBER_FIELDS = Object.fromEntries(
  Object.entries(SCHEMA_POINTERS).map(([field, pointer]) => [field, ruleOf(pointer)]),
) as Record<keyof typeof SCHEMA_POINTERS, NumberRule>;

export type NumberFieldName = keyof typeof NUMBER_FIELDS;

/** "an integer from 0 to 99999999", "a number from 0 to 100", "an integer of at least 1". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  return rule.max === undefined ? `${kind} of at least ${rule.min}` : `${kind} from ${rule.min} to ${rule.max}`;
}

/** True when `v` is a JSON number the rule accepts. */
export function acceptsNumber(rule: NumberRule, v: unknown): v is number {
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    v >= rule.min &&
    (rule.max === undefined || v <= rule.max)
  );
}

/**
 * The value of numeric field `field` of `holder` (the state definition, its ItemBatcher or its
 * ItemReader.ReaderConfig): `holder[field]` (a number, or a JSONata expression in a JSONata
 * state) or, in a JSONPath state, the value `holder[field + 'Path']` selects from `input` (the
 * effective input) with `context` as `$$`. Undefined when the field is not given. A value outside
 * NUMBER_FIELDS[field] fails the state (States.Runtime, or a recorded States.QueryEvaluationError
 * for JSONata); the cause names the state, the field, the path and the value.
 */
export async function resolveNumberField(
  ctx: StateCtx,
  holder: object | undefined,
  field: NumberFieldName,
  input: unknown,
  context: unknown,
): Promise<number | undefined> {
  if (!holder) return undefined;
  const fields = holder as Record<string, unknown>;
  const rule = NUMBER_FIELDS[field];
  const pathText = fields[`${field}Path`];
  let v: unknown = fields[field];
  let source = `'${field}'`;
  if (ctx.ql === 'JSONata') {
    if (v === undefined) return undefined;
    v = await evalField(ctx, field, v, bindings(ctx, context));
  } else if (typeof pathText === 'string') {
    v = lookupRequired(pathText, jpScope(ctx, input, context), `${field}Path`);
    source = `'${field}Path' (${pathText})`;
  }
  if (v === undefined) return undefined;
  if (acceptsNumber(rule, v)) return v;
  const cause =
    `The value of the field ${source} of the state '${ctx.name}' must be ${describeRule(rule)}, ` +
    `got ${JSON.stringify(v) ?? 'undefined'}.`;
  throw ctx.ql === 'JSONata' ? queryError(ctx, field, cause) : new Failure('States.Runtime', cause);
}
