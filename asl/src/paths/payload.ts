/**
 * JSONPath-state data flow (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html): payload templates (Parameters, ResultSelector,
 * ItemSelector, Assign, Credentials), ResultPath, and InputPath/OutputPath/ItemsPath selection.
 */
import {
  StatesError,
  type EvalScope,
  type IntrinsicCall,
  type IntrinsicHost,
  type JsonPath,
  type Parsed,
  type PathSegment,
} from '../types';
import { evaluateJsonPath } from './evaluate';
import { preview, evaluateIntrinsic } from './intrinsicEval';
import { parseIntrinsic } from './intrinsicParse';
import { createPathCache, parseReferencePath } from './jsonpath';

let pathCache: ((text: string) => Parsed<JsonPath>) | undefined;

/** {@link parseJsonPath} memoised by text (bounded); results are shared, treat as read-only. */
export function parseJsonPathCached(text: string): Parsed<JsonPath> {
  pathCache ??= createPathCache();
  return pathCache(text);
}

const intrinsicCache = new Map<string, Parsed<IntrinsicCall>>();
const resultPathCache = new Map<string, Parsed<JsonPath>>();

function cached<T>(map: Map<string, T>, key: string, make: (k: string) => T): T {
  let v = map.get(key);
  if (v === undefined) {
    v = make(key);
    if (map.size >= 10_000) map.clear();
    map.set(key, v);
  }
  return v;
}

/** {@link parseIntrinsic} memoised by text. */
export function parseIntrinsicCached(text: string): Parsed<IntrinsicCall> {
  return cached(intrinsicCache, text, parseIntrinsic);
}

/**
 * What the value of a `Key.$` field is: a path on the input (`$`, `$.x`, `$[0]`), a context
 * path (`$$…`), a variable (`$name…`), an intrinsic call (`States.…(…)`), or invalid. Syntax
 * is checked: a malformed path or call is `invalid`.
 */
export function classifyDollarValue(text: string): 'path' | 'context' | 'variable' | 'intrinsic' | 'invalid' {
  if (typeof text !== 'string') return 'invalid';
  if (text.startsWith('States.')) return parseIntrinsicCached(text).ok ? 'intrinsic' : 'invalid';
  if (!text.startsWith('$')) return 'invalid';
  const p = parseJsonPathCached(text);
  if (!p.ok) return 'invalid';
  return p.value.root === '$$' ? 'context' : p.value.root === '$' ? 'path' : 'variable';
}

/** Jayway-style normalised rendering of a path, e.g. `$['a'][0]`, for AWS-like messages. */
export function normalizedPath(p: JsonPath): string {
  let s = p.root === '$' ? '$' : p.root === '$$' ? '$$' : '$' + p.root.variable;
  for (const seg of p.segments) {
    if (seg.kind === 'field') s += `['${seg.name}']`;
    else if (seg.kind === 'index') s += `[${seg.index}]`;
    else return p.text;
  }
  return s;
}

function rootData(p: JsonPath, scope: EvalScope): unknown {
  return p.root === '$' ? scope.input : p.root === '$$' ? scope.context : scope.variables?.[p.root.variable];
}

/** A pre-analysed payload template: which keys are evaluated, with their parsed path/call. */
export type PayloadPlan = Plan;

type Plan =
  | { k: 'lit'; v: unknown }
  /**
   * an object: a copy of `skeleton` (every key in order, constants filled in) with the value
   * of each of `keys` evaluated from `plans` — copying a ready object is faster than adding
   * its keys one by one
   */
  | { k: 'obj'; skeleton: Record<string, unknown>; keys: string[]; plans: Plan[] }
  | { k: 'arr'; items: Plan[] }
  | { k: 'path'; path: JsonPath; field: string }
  | { k: 'call'; call: IntrinsicCall; field: string }
  | { k: 'bad'; error: string; message: string };

const plans = new WeakMap<object, Plan>();

/** Analyses a template once (cached per template object) so evaluation does no parsing. */
function planFor(template: unknown): Plan {
  if (template === null || typeof template !== 'object') return { k: 'lit', v: template };
  let plan = plans.get(template);
  if (plan) return plan;
  if (Array.isArray(template)) plan = { k: 'arr', items: template.map(planFor) };
  else {
    const src = template as Record<string, unknown>;
    const skeleton: Record<string, unknown> = {};
    const keys: string[] = [];
    const valuePlans: Plan[] = [];
    for (const key of Object.keys(src)) {
      const dollar = key.length > 2 && key.endsWith('.$');
      const name = dollar ? key.slice(0, -2) : key;
      const p = dollar ? planDollar(src[key], key) : planFor(src[key]);
      defineField(skeleton, name, p.k === 'lit' ? p.v : undefined);
      if (p.k !== 'lit') {
        keys.push(name);
        valuePlans.push(p);
      }
    }
    plan = { k: 'obj', skeleton, keys, plans: valuePlans };
  }
  plans.set(template, plan);
  return plan;
}

/** Sets a field; "__proto__" is defined, never assigned, so it stays an ordinary key. */
function defineField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * What a local run does with a `.$` value, path or intrinsic call that does not parse. AWS
 * refuses such a definition when it is created (CreateStateMachine's InvalidDefinition,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html),
 * so no AWS execution meets one; a local run that goes on despite validation errors fails the
 * state with this error, and the cause ends with `note` so nobody takes it for AWS's behaviour.
 */
export const INVALID_AT_RUN_TIME = {
  error: 'States.Runtime',
  note: 'AWS refuses a definition like this when it is created (InvalidDefinition); failing the state at run time is local behaviour.',
} as const;

function invalid(message: string): Plan {
  return { k: 'bad', error: INVALID_AT_RUN_TIME.error, message: `${message} ${INVALID_AT_RUN_TIME.note}` };
}

function planDollar(text: unknown, field: string): Plan {
  if (typeof text !== 'string') {
    return invalid(
      `The value for the field '${field}' must be a string holding a JSONPath or an intrinsic function, got ${preview(text)}.`,
    );
  }
  if (text.startsWith('States.')) {
    const c = parseIntrinsicCached(text);
    if (!c.ok)
      return invalid(`The value for the field '${field}' is not a valid intrinsic function call: ${c.error.message}`);
    return { k: 'call', call: c.value, field };
  }
  const p = parseJsonPathCached(text);
  if (!p.ok) return invalid(`The value for the field '${field}' must be a valid JSONPath: ${p.error.message}`);
  return { k: 'path', path: p.value, field };
}

function run(plan: Plan, scope: EvalScope, host: IntrinsicHost): unknown {
  switch (plan.k) {
    case 'lit':
      return plan.v;
    case 'obj': {
      const out: Record<string, unknown> = { ...plan.skeleton };
      const { keys, plans: valuePlans } = plan;
      for (let i = 0; i < keys.length; i++) defineField(out, keys[i], run(valuePlans[i], scope, host));
      return out;
    }
    case 'arr':
      return plan.items.map((p) => run(p, scope, host));
    case 'path': {
      const r = evaluateJsonPath(plan.path, scope);
      if (!r.found) {
        throw new StatesError(
          'States.ParameterPathFailure',
          `The JSONPath '${plan.path.text}' specified for the field '${plan.field}' could not be found in the input '${preview(rootData(plan.path, scope))}'`,
        );
      }
      return r.value;
    }
    case 'call':
      try {
        return evaluateIntrinsic(plan.call, scope, host);
      } catch (e) {
        if (e instanceof StatesError && e.error === 'States.ParameterPathFailure') {
          throw new StatesError(
            e.error,
            `${e.cause.replace(/ of the intrinsic function/, '')} (field '${plan.field}')`,
          );
        }
        throw e;
      }
    case 'bad':
      throw new StatesError(plan.error, plan.message);
  }
}

/**
 * Evaluates a JSONPath payload template: every key ending in `.$` is replaced by the key
 * without the suffix holding the value its path / context path / variable / intrinsic
 * selects; other values are copied, nested objects and arrays recursively. The template is
 * analysed once per object (WeakMap), so repeated evaluation does no parsing.
 * Throws StatesError('States.ParameterPathFailure') when a path selects nothing.
 */
export function evaluatePayloadTemplate(template: unknown, scope: EvalScope, host: IntrinsicHost): unknown {
  return run(planFor(template), scope, host);
}

/** Analyses a payload template once, for code that evaluates it many times and can keep the plan. */
export function planPayloadTemplate(template: unknown): PayloadPlan {
  return planFor(template);
}

/** Evaluates a planned payload template, like evaluatePayloadTemplate without looking the plan up. */
export function evaluatePayloadPlan(plan: PayloadPlan, scope: EvalScope, host: IntrinsicHost): unknown {
  return run(plan, scope, host);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Applies ResultPath: undefined or `$` → the result replaces the input; null → the input is
 * kept and the result discarded; `$.a.b` → a copy of the input with the result written there,
 * creating missing intermediate objects. Writing below a non-object raises
 * States.ResultPathMatchFailure (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). The input is never mutated.
 */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return input;
  const p = cached(resultPathCache, resultPath, parseResultPath);
  if (!p.ok)
    throw new StatesError(
      INVALID_AT_RUN_TIME.error,
      `Invalid ResultPath '${resultPath}': ${p.error.message} ${INVALID_AT_RUN_TIME.note}`,
    );
  return writeAt(input, p.value.segments, 0, result, resultPath);
}

const parseResultPath = (text: string): Parsed<JsonPath> =>
  parseReferencePath(text, { allowVariables: false, allowContext: false });

/** A copy of `node` with `result` written at `segs[k…]` (missing objects below the first step created). */
function writeAt(node: unknown, segs: readonly PathSegment[], k: number, result: unknown, resultPath: string): unknown {
  if (k === segs.length) return result;
  const seg = segs[k];
  if (seg.kind === 'field') {
    if (node === undefined && k > 0) node = {};
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `Unable to apply step '${seg.name}' of ResultPath '${resultPath}' to ${typeName(node)} ${preview(node)}: it is not an object`,
      );
    }
    const obj = node as Record<string, unknown>;
    return withField(
      obj,
      seg.name,
      writeAt(hasOwn.call(obj, seg.name) ? obj[seg.name] : undefined, segs, k + 1, result, resultPath),
    );
  }
  if (seg.kind === 'index') {
    if (!Array.isArray(node)) {
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `Unable to apply step '[${seg.index}]' of ResultPath '${resultPath}' to ${typeName(node)} ${preview(node)}: it is not an array`,
      );
    }
    const i = seg.index < 0 ? node.length + seg.index : seg.index;
    if (i < 0 || i > node.length) {
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `Unable to apply step '[${seg.index}]' of ResultPath '${resultPath}': index out of bounds for an array of ${node.length} item(s)`,
      );
    }
    const copy = node.slice();
    copy[i] = writeAt(copy[i], segs, k + 1, result, resultPath);
    return copy;
  }
  return result;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A copy of `obj` with `key` set to `value`. Copied by Object.assign, not by a spread: V8 gives
 * a spread's copy a map that a later store cannot share with other copies, which makes every
 * ResultPath write about ten times slower. A "__proto__" key is defined, never assigned, so it
 * stays an ordinary key.
 */
function withField(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (key !== '__proto__' && !hasOwn.call(obj, '__proto__')) {
    const copy: Record<string, unknown> = Object.assign({}, obj);
    copy[key] = value;
    return copy;
  }
  const copy = { ...obj };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * InputPath / OutputPath / ItemsPath selection: undefined → `data` unchanged, null → `{}`,
 * otherwise the value the path selects (context paths read `scope.context`, variables
 * `scope.variables`). A path that selects nothing throws States.Runtime with an AWS-like
 * message ("Invalid path '$.x' : No results for path: $['x']").
 */
export function selectPath(data: unknown, pathText: string | null | undefined, scope?: Partial<EvalScope>): unknown {
  if (pathText === undefined) return data;
  if (pathText === null) return {};
  const p = parseJsonPathCached(pathText);
  if (!p.ok)
    throw new StatesError(
      INVALID_AT_RUN_TIME.error,
      `Invalid path '${pathText}': ${p.error.message} ${INVALID_AT_RUN_TIME.note}`,
    );
  if (p.value.root === '$' && p.value.segments.length === 0) return data;
  const r = evaluateJsonPath(p.value, { input: data, context: scope?.context, variables: scope?.variables });
  if (!r.found)
    throw new StatesError(
      'States.Runtime',
      `Invalid path '${pathText}' : No results for path: ${normalizedPath(p.value)}`,
    );
  return r.value;
}
