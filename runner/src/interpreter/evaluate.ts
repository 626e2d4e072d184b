/**
 * The interpreter's only door to the asl/ evaluators (JSONPath, intrinsics, payload
 * templates, JSONata). Keeping every call here means one place adapts to their signatures,
 * and the interpreter never grows a second implementation of path semantics.
 */
import { createHash, randomUUID } from 'node:crypto';
import { PAYLOAD_LIMIT } from '../../../asl/src/quotas';
import type { EvalScope, IntrinsicHost } from '../../../asl/src/types';
import { StatesError } from '../../../asl/src/types';
import {
  applyResultPath,
  evaluateIntrinsic,
  evaluateJsonPath,
  evaluatePayloadPlan,
  evaluatePayloadTemplate,
  INVALID_AT_RUN_TIME,
  parseIntrinsic,
  parseJsonPathCached,
  selectPath,
  type PayloadPlan,
} from '../../../asl/src/paths/index';
import {
  evaluateJsonata,
  evaluateJsonataTemplate,
  isJsonataExpression,
  type JsonataBindings,
} from '../../../asl/src/jsonata/index';

export { isJsonataExpression, type JsonataBindings };

/** node:crypto-backed functions the pure core needs (States.Hash, States.UUID, $random...). */
export const nodeHost: IntrinsicHost = {
  hash(algorithm, data) {
    const alg = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }[
      algorithm
    ];
    return createHash(alg).update(data, 'utf8').digest('hex');
  },
  uuid: () => randomUUID(),
  random: () => Math.random(),
};

/** InputPath / OutputPath / ItemsPath: absent = whole value, null = `{}` (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html). */
export function applyPath(value: unknown, path: unknown, scope: EvalScope): unknown {
  if (path === undefined || path === '$') return value;
  if (path === null) return {};
  return selectPath(value, path as string, scope);
}

/** A payload template (Parameters, ResultSelector, ItemSelector, Assign) in a JSONPath state. */
export function payload(template: unknown, scope: EvalScope): unknown {
  return evaluatePayloadTemplate(template, scope, nodeHost);
}

/** A payload template planned when the machine was compiled (`RunnableState.payloads`). */
export function payloadPlan(plan: PayloadPlan, scope: EvalScope): unknown {
  return evaluatePayloadPlan(plan, scope, nodeHost);
}

/** ResultPath: absent / `$` = replace, null = discard the result (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html). */
export function resultPath(rawInput: unknown, path: unknown, result: unknown): unknown {
  if (path === undefined || path === '$') return result;
  if (path === null) return rawInput;
  return applyResultPath(rawInput, path as string, result);
}

/**
 * Evaluates a reference path, a context path, a variable or an intrinsic given as a string
 * (Choice Variable, *Path fields, Fail ErrorPath/CausePath). Returns `{found:false}` when the
 * path selects nothing.
 */
export function lookup(text: string, scope: EvalScope): { found: true; value: unknown } | { found: false } {
  if (text.startsWith('States.')) {
    const call = parseIntrinsic(text);
    if (!call.ok)
      throw new StatesError(
        INVALID_AT_RUN_TIME.error,
        `Invalid intrinsic function '${text}': ${call.error.message} ${INVALID_AT_RUN_TIME.note}`,
      );
    return { found: true, value: evaluateIntrinsic(call.value, scope, nodeHost) };
  }
  const p = parseJsonPathCached(text);
  if (!p.ok)
    throw new StatesError(
      INVALID_AT_RUN_TIME.error,
      `Invalid path '${text}': ${p.error.message} ${INVALID_AT_RUN_TIME.note}`,
    );
  return evaluateJsonPath(p.value, scope);
}

/** Like `lookup` but a missing value is a States.Runtime error naming the field (AWS behaviour). */
export function lookupRequired(text: string, scope: EvalScope, field: string): unknown {
  const r = lookup(text, scope);
  if (!r.found) {
    throw new StatesError(
      'States.Runtime',
      `The JSONPath '${text}' specified for the field '${field}' could not be found in the input '${safeStringify(scope.input)}'`,
    );
  }
  return r.value;
}

/** Evaluates one JSONata string (`{% … %}`) or returns a non-expression value unchanged. */
export async function jsonata(value: unknown, bindings: JsonataBindings): Promise<unknown> {
  if (typeof value === 'string' && isJsonataExpression(value)) return evaluateJsonata(value, bindings, nodeHost);
  return value;
}

/** Evaluates every `{% %}` string inside an Arguments / Output / Assign / ItemSelector value. */
export function jsonataTemplate(template: unknown, bindings: JsonataBindings): Promise<unknown> {
  return evaluateJsonataTemplate(template, bindings, nodeHost);
}

/** JSON.stringify that never throws (undefined → "null"). */
export function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
}

/** True when `json` is over PAYLOAD_LIMIT, measured in UTF-8 bytes as AWS counts it. */
function overLimit(json: string): boolean {
  // a UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no byte count (this runs for every state)
  return json.length * 3 > PAYLOAD_LIMIT && Buffer.byteLength(json, 'utf8') > PAYLOAD_LIMIT;
}

/**
 * Throws States.DataLimitExceeded when `json` (already serialized) is over PAYLOAD_LIMIT. The
 * message names `what` — and `name` in quotes after it, when given (the message is only built
 * when it is needed).
 */
export function checkSize(json: string, what: string, name?: string): void {
  if (!overLimit(json)) return;
  const subject = name === undefined ? what : `${what} '${name}'`;
  throw new StatesError(
    'States.DataLimitExceeded',
    `The ${subject} has a size exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT}).`,
  );
}

/**
 * Throws States.DataLimitExceeded with AWS's cause when a result (`json`, serialized) is over
 * PAYLOAD_LIMIT: `subject` is the state name for a state's output, the resource type (`ecs`)
 * or the Lambda/activity ARN for a task's result, as executions recorded on AWS name it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */
export function checkResultSize(json: string, subject: string): void {
  if (!overLimit(json)) return;
  throw new StatesError(
    'States.DataLimitExceeded',
    `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}
