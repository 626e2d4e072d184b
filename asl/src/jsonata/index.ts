/**
 * JSONata support for JSONata states (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): recognising `{% … %}` strings, parsing
 * with the `jsonata` package (2.0.6, the version AWS runs) with offsets inside the string,
 * lexical helpers for diagnostics, and evaluation with AWS's added functions.
 */
import jsonata from 'jsonata';
import { StatesError, type IntrinsicHost, type Parsed } from '../types';
import { HASH_ALGORITHMS } from '../paths/intrinsicCatalog';
import { seededInt } from '../paths/codec';
import { findJsonataVariables, referencesStatesField } from './lex';
import { isJsonataExpression } from './syntax';
import { findTopLevelContextReferences, type TopLevelReference } from './topLevel';

export { findJsonataVariables, referencesStatesField };

/**
 * Top-level uses of `$`, `$$` or unqualified field names in a `{% … %}` string, which
 * Step Functions rejects (read data through `$states.input`); offsets are inside `s`.
 * Returns [] when `s` is not a valid expression (parse errors are reported separately).
 */
export function findTopLevelContextUses(s: string): TopLevelReference[] {
  if (!isJsonataExpression(s)) return [];
  const c = compile(s.slice(2, -2));
  if (c instanceof Error) return [];
  return findTopLevelContextReferences(c.ast(), 2);
}

/** Bindings an expression is evaluated with: `$states` and the workflow variables. */
export interface JsonataBindings {
  states: { input: unknown; context: unknown; result?: unknown; errorOutput?: unknown };
  variables?: Record<string, unknown>;
}

export { isJsonataExpression };

interface JsonataError {
  code?: string;
  position?: number;
  token?: unknown;
  message?: string;
}

/**
 * Parses a `{% … %}` string. On error the offset/length point inside `s` (so a diagnostic
 * can underline the offending token); the body and its offset are returned on success.
 */
export function parseJsonataExpression(s: string): Parsed<{ body: string; bodyOffset: number }> {
  if (!isJsonataExpression(s)) {
    return {
      ok: false,
      error: {
        offset: 0,
        length: Math.max(1, typeof s === 'string' ? (s as string).length : 1),
        message: "A JSONata expression must be written '{% expression %}' with nothing before '{%' or after '%}'.",
      },
    };
  }
  const body = s.slice(2, -2);
  if (body.trim() === '')
    return { ok: false, error: { offset: 0, length: s.length, message: 'The JSONata expression is empty.' } };
  const c = compile(body);
  if (c instanceof Error) {
    const e = c as Error & JsonataError;
    const tok = typeof e.token === 'string' && e.token !== '(end)' ? e.token.length : 0;
    const pos = typeof e.position === 'number' ? Math.max(0, Math.min(body.length, e.position - tok)) : 0;
    const offset = 2 + pos;
    return {
      ok: false,
      error: {
        offset,
        length: Math.max(1, tok),
        message: `JSONata syntax error${e.code ? ` ${e.code}` : ''}: ${e.message}`,
      },
    };
  }
  return { ok: true, value: { body, bodyOffset: 2 } };
}

type Compiled = ReturnType<typeof jsonata> | Error;
const compiled = new Map<string, Compiled>();

/** Compiles a body once; later calls reuse the expression (bounded cache). */
function compile(body: string): Compiled {
  let c = compiled.get(body);
  if (c === undefined) {
    try {
      c = jsonata(body);
      registerAwsFunctions(c);
    } catch (e) {
      const err = e as JsonataError;
      c = Object.assign(new Error(err.message ?? String(e)), {
        code: err.code,
        position: err.position,
        token: err.token,
      });
    }
    if (compiled.size >= 5000) compiled.clear();
    compiled.set(body, c);
  }
  return c;
}

const hasOwn = Object.prototype.hasOwnProperty;
const qe = (message: string): StatesError => new StatesError('States.QueryEvaluationError', message);

/** Integer parameters of AWS's JSONata functions are rounded down (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). */
function intArg(fn: string, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw qe(`${fn}: ${what} must be a number`);
  return Math.floor(v);
}

/** Binding name under which the current IntrinsicHost travels to the registered functions. */
const HOST_BINDING = '__aslWorkbenchHost';

type Focus = { environment: { lookup(name: string): unknown } };
function hostOf(focus: Focus): IntrinsicHost {
  return focus.environment.lookup(HOST_BINDING) as IntrinsicHost;
}

/**
 * Registers AWS's additional functions on a compiled expression (once per expression; the
 * host is looked up per evaluation, so the expression object can be shared).
 */
function registerAwsFunctions(expr: ReturnType<typeof jsonata>): void {
  expr.registerFunction('partition', (array: unknown, size: unknown) => {
    if (!Array.isArray(array)) throw qe('$partition: the first argument must be an array');
    const n = intArg('$partition', size, 'the chunk size');
    if (n <= 0) throw qe('$partition: the chunk size must be a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += n) out.push(array.slice(i, i + n));
    return out;
  });
  expr.registerFunction('range', (start: unknown, end: unknown, step: unknown) => {
    const a = intArg('$range', start, 'start');
    const b = intArg('$range', end, 'end');
    const s = step === undefined ? 1 : intArg('$range', step, 'step');
    if (s === 0) throw qe('$range: step cannot be 0');
    const count = (b - a) / s >= 0 ? Math.floor((b - a) / s) + 1 : 0;
    if (count > 1000) throw qe(`$range: the range would hold ${count} items; at most 1000 are allowed`);
    return Array.from({ length: count }, (_, i) => a + i * s);
  });
  expr.registerFunction('hash', function (this: Focus, value: unknown, alg: unknown) {
    const algorithm = alg === undefined ? 'SHA-256' : alg;
    if (typeof algorithm !== 'string' || !(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw qe(`$hash: unsupported algorithm ${JSON.stringify(algorithm)}; use one of ${HASH_ALGORITHMS.join(', ')}`);
    }
    if (value === undefined || value === null) throw qe('$hash: the value to hash is missing');
    const data = typeof value === 'string' ? value : JSON.stringify(value);
    return hostOf(this).hash(algorithm as (typeof HASH_ALGORITHMS)[number], data);
  });
  expr.registerFunction('random', function (this: Focus, seed: unknown) {
    if (seed === undefined) return hostOf(this).random();
    const bound = 2 ** 30;
    return seededInt(intArg('$random', seed, 'the seed'), bound) / bound;
  });
  expr.registerFunction('uuid', function (this: Focus) {
    return hostOf(this).uuid();
  });
  expr.registerFunction('parse', (text: unknown) => {
    if (typeof text !== 'string') throw qe('$parse: the argument must be a string holding JSON');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw qe(`$parse: invalid JSON text: ${(e as Error).message}`);
    }
  });
  // AWS removed $eval (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html); $parse is the supported way to read JSON text.
  expr.registerFunction('eval', () => {
    throw qe('The JSONata function $eval is not available in Step Functions; use $parse to read JSON text');
  });
}

/**
 * Evaluates one `{% … %}` string with `$states` (and the variables) bound. Syntax errors,
 * evaluation errors and an undefined result throw StatesError('States.QueryEvaluationError').
 */
export async function evaluateJsonata(s: string, bindings: JsonataBindings, host: IntrinsicHost): Promise<unknown> {
  if (!isJsonataExpression(s)) throw qe(`Not a JSONata expression: ${JSON.stringify(s)}`);
  const c = compile(s.slice(2, -2));
  if (c instanceof Error) throw qe(`The JSONata expression '${s}' is not valid: ${c.message}`);
  const vars = bindings.variables;
  // jsonata binds every enumerable key (inherited ones too), so the variables can sit on the
  // prototype instead of being copied; a variable named like our own keys forces a copy.
  const env: Record<string, unknown> =
    vars === undefined
      ? {}
      : hasOwn.call(vars, 'states') || hasOwn.call(vars, HOST_BINDING)
        ? { ...vars }
        : Object.create(vars);
  env.states = bindings.states;
  env[HOST_BINDING] = host;
  let value: unknown;
  try {
    value = await c.evaluate(bindings.states.input, env);
  } catch (e) {
    if (e instanceof StatesError) throw e;
    const err = e as JsonataError;
    throw qe(
      `An error occurred while evaluating the JSONata expression '${s}'${err.code ? ` (${err.code}${typeof err.position === 'number' ? ` at position ${err.position}` : ''})` : ''}: ${err.message ?? String(e)}`,
    );
  }
  if (value === undefined) throw qe(`The JSONata expression '${s}' returned nothing (undefined).`);
  return normalize(value);
}

/**
 * jsonata marks result arrays with internal flags (`sequence`, `keepSingleton`); return
 * plain JSON-like data. Walks without copying unless something needs cleaning.
 */
function normalize(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function') throw qe('A JSONata expression returned a function, which is not a JSON value.');
    return v;
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined = Object.keys(v).length !== v.length ? v.slice() : undefined;
    for (let i = 0; i < v.length; i++) {
      const x = normalize(v[i]);
      if (x !== v[i]) {
        out ??= v.slice();
        out[i] = x;
      }
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  if (o._jsonata_lambda === true || o._jsonata_function === true) {
    throw qe('A JSONata expression returned a function, which is not a JSON value.');
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(o)) {
    const x = normalize(o[k]);
    if (x !== o[k]) {
      out ??= { ...o };
      out[k] = x;
    }
  }
  return out ?? o;
}

/** A pre-analysed JSONata template: where the `{% %}` strings are (cached per object). */
type TemplatePlan =
  | { k: 'lit'; v: unknown }
  | { k: 'expr'; s: string }
  | { k: 'obj'; dyn: boolean; entries: [string, TemplatePlan][] }
  | { k: 'arr'; dyn: boolean; items: TemplatePlan[] };

const templatePlans = new WeakMap<object, TemplatePlan>();

function planTemplate(t: unknown): TemplatePlan {
  if (typeof t === 'string') return isJsonataExpression(t) ? { k: 'expr', s: t } : { k: 'lit', v: t };
  if (t === null || typeof t !== 'object') return { k: 'lit', v: t };
  let plan = templatePlans.get(t);
  if (plan) return plan;
  if (Array.isArray(t)) {
    const items = t.map(planTemplate);
    plan = { k: 'arr', dyn: items.some(isDynamic), items };
  } else {
    const src = t as Record<string, unknown>;
    const entries = Object.keys(src).map((key): [string, TemplatePlan] => [key, planTemplate(src[key])]);
    plan = { k: 'obj', dyn: entries.some((e) => isDynamic(e[1])), entries };
  }
  templatePlans.set(t, plan);
  return plan;
}

function isDynamic(p: TemplatePlan): boolean {
  return p.k === 'expr' || ((p.k === 'obj' || p.k === 'arr') && p.dyn);
}

/** Copies a plan without expressions (fresh objects, so callers may mutate the result). */
function copyStatic(p: TemplatePlan): unknown {
  switch (p.k) {
    case 'lit':
      return p.v;
    case 'arr':
      return p.items.map(copyStatic);
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of p.entries) out[k] = copyStatic(v);
      return out;
    }
    case 'expr':
      return p.s;
  }
}

async function runTemplate(p: TemplatePlan, bindings: JsonataBindings, host: IntrinsicHost): Promise<unknown> {
  switch (p.k) {
    case 'expr':
      return evaluateJsonata(p.s, bindings, host);
    case 'arr': {
      if (!p.dyn) return copyStatic(p);
      const out: unknown[] = [];
      for (const item of p.items)
        out.push(isDynamic(item) ? await runTemplate(item, bindings, host) : copyStatic(item));
      return out;
    }
    case 'obj': {
      if (!p.dyn) return copyStatic(p);
      const out: Record<string, unknown> = {};
      for (const [k, v] of p.entries) out[k] = isDynamic(v) ? await runTemplate(v, bindings, host) : copyStatic(v);
      return out;
    }
    case 'lit':
      return p.v;
  }
}

/**
 * Evaluates every `{% … %}` string inside `template` (objects and arrays recursively; keys
 * are literal); other values are copied. Used for Arguments, Output, Assign, Items, ….
 * The template's structure is analysed once per object (WeakMap), so static parts cost a copy.
 */
export function evaluateJsonataTemplate(
  template: unknown,
  bindings: JsonataBindings,
  host: IntrinsicHost,
): Promise<unknown> {
  return runTemplate(planTemplate(template), bindings, host);
}
