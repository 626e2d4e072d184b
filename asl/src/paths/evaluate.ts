/**
 * Evaluation of parsed JSONPaths against state input, the context object and variables.
 *
 * Semantics (Jayway JsonPath as configured by Step Functions, https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html):
 * - a definite path (only field/index steps) yields the single value, or "not found" when
 *   any step is missing — callers turn that into States.Runtime / States.ParameterPathFailure;
 * - an indefinite path (wildcard, slice, union, filter, recursive descent) always yields an
 *   array of the matches, possibly empty: Jayway returns `[]` rather than failing when a
 *   wildcard or filter selects nothing, and skips items that lack a later field.
 */
import type { EvalScope, JsonPath, PathSegment } from '../types';
import { evalFilter, parseFilterCached, type PathResolver } from './filter';

export type PathResult = { found: true; value: unknown } | { found: false };

const NOT_FOUND: PathResult = { found: false };
const hasOwn = Object.prototype.hasOwnProperty;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value a path's root refers to, or undefined+false when the variable is not set. */
function rootValue(path: JsonPath, scope: EvalScope): PathResult {
  const root = path.root;
  if (root === '$') return { found: true, value: scope.input };
  if (root === '$$') return { found: true, value: scope.context };
  const vars = scope.variables;
  if (vars && hasOwn.call(vars, root.variable)) return { found: true, value: vars[root.variable] };
  return NOT_FOUND;
}

/**
 * Evaluates `path` in `scope`. Definite paths return the value or `{found:false}`; indefinite
 * paths return `{found:true, value: matches[]}` (an empty array when nothing matched).
 */
export function evaluateJsonPath(path: JsonPath, scope: EvalScope): PathResult {
  const start = rootValue(path, scope);
  if (!start.found) return path.isDefinite ? NOT_FOUND : { found: true, value: [] };
  return evaluateFrom(path, start.value, scope);
}

/** Evaluates the segments of `path` starting at `value` (used for filters' `@` too). */
export function evaluateFrom(path: JsonPath, value: unknown, scope: EvalScope): PathResult {
  const segs = path.segments;
  if (path.isDefinite) {
    let cur = value;
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k];
      if (s.kind === 'field') {
        if (!isObject(cur) || !hasOwn.call(cur, s.name)) return NOT_FOUND;
        cur = cur[s.name];
      } else if (s.kind === 'index') {
        if (!Array.isArray(cur)) return NOT_FOUND;
        const i = s.index < 0 ? cur.length + s.index : s.index;
        if (i < 0 || i >= cur.length) return NOT_FOUND;
        cur = cur[i];
      }
    }
    return { found: true, value: cur };
  }
  let nodes: unknown[] = [value];
  for (const s of segs) {
    const next: unknown[] = [];
    for (const n of nodes) step(s, n, next, scope);
    nodes = next;
    if (nodes.length === 0) break;
  }
  return { found: true, value: nodes };
}

function step(s: PathSegment, n: unknown, out: unknown[], scope: EvalScope): void {
  switch (s.kind) {
    case 'field':
      if (isObject(n) && hasOwn.call(n, s.name)) out.push(n[s.name]);
      return;
    case 'index':
      if (Array.isArray(n)) {
        const i = s.index < 0 ? n.length + s.index : s.index;
        if (i >= 0 && i < n.length) out.push(n[i]);
      }
      return;
    case 'wildcard':
      if (Array.isArray(n)) out.push(...n);
      else if (isObject(n)) for (const k of Object.keys(n)) out.push(n[k]);
      return;
    case 'union':
      for (const item of s.items) {
        if (typeof item === 'number') step({ kind: 'index', index: item, offset: s.offset }, n, out, scope);
        else step({ kind: 'field', name: item, offset: s.offset }, n, out, scope);
      }
      return;
    case 'slice':
      if (Array.isArray(n)) slice(n, s.start, s.end, s.step, out);
      return;
    case 'recursive':
      descend(n, s.name, out);
      return;
    case 'filter': {
      const f = parseFilterCached(s.expression);
      if (!f.ok) return;
      const resolve: PathResolver = (p, relative, current) =>
        relative ? evaluateFrom(p, current, scope) : evaluateJsonPath(p, scope);
      if (Array.isArray(n)) {
        for (const item of n) if (evalFilter(f.value, item, resolve)) out.push(item);
      } else if (isObject(n)) {
        if (evalFilter(f.value, n, resolve)) out.push(n);
      }
      return;
    }
  }
}

function slice(
  arr: unknown[],
  start: number | undefined,
  end: number | undefined,
  stepBy: number | undefined,
  out: unknown[],
): void {
  const len = arr.length;
  const st = stepBy ?? 1;
  const norm = (v: number) => (v < 0 ? Math.max(len + v, st < 0 ? -1 : 0) : Math.min(v, st < 0 ? len - 1 : len));
  if (st > 0) {
    const a = start === undefined ? 0 : norm(start);
    const b = end === undefined ? len : norm(end);
    for (let i = a; i < b; i += st) out.push(arr[i]);
  } else {
    const a = start === undefined ? len - 1 : norm(start);
    const b = end === undefined ? -1 : norm(end);
    for (let i = a; i > b; i += st) out.push(arr[i]);
  }
}

/**
 * Recursive descent, pre-order. With a name (`..name`): the `name` member of the node and of
 * every descendant. Without (`..[…]`, `..*` = this plus a wildcard): the node itself and every
 * descendant container, to which the next step then applies.
 */
function descend(n: unknown, name: string | undefined, out: unknown[]): void {
  if (name === undefined) {
    if (Array.isArray(n) || isObject(n)) out.push(n);
  } else if (isObject(n) && hasOwn.call(n, name)) out.push(n[name]);
  if (Array.isArray(n)) for (const item of n) descend(item, name, out);
  else if (isObject(n)) for (const k of Object.keys(n)) descend(n[k], name, out);
}
