/**
 * What the debugger evaluates against a paused state — Debug Console input, watches, hovers,
 * breakpoint conditions and logpoint messages — with the interpreter's own evaluators
 * (runner/src/interpreter/evaluate.ts), so an expression means what it means in the machine:
 *
 * - a JSONPath (`$.order.id`, `$$.Execution.Name`, `$myVariable`, `$.items[?(@.n > 2)]`) or an
 *   intrinsic function (`States.Format('{}', $.id)`) is evaluated as in a JSONPath state;
 * - anything else is JSONata (`{% … %}` optional), with `$` and `$states.input` the state
 *   input, `$states.context` the context object and the workflow variables bound. `==` is
 *   read as JSONata's `=`, so `$.x == 1` works as a condition.
 */
import { isJsonataExpression, jsonata, lookup } from '../interpreter/evaluate';
import { parseJsonPathCached } from '../../../asl/src/paths/index';

/** What an expression is evaluated against. */
export interface EvalTarget {
  input: unknown;
  context: unknown;
  variables: Record<string, unknown>;
}

/** Thrown when a JSONPath selects nothing (a condition reads it as false). */
export class NothingSelected extends Error {}

/** Evaluates a debugger expression (see the module comment for the syntax). */
export async function evaluateExpression(text: string, t: EvalTarget): Promise<unknown> {
  const s = text.trim();
  if (isJsonataExpression(s)) return jsonata(s, bindingsOf(t));
  if (isPathOrIntrinsic(s)) {
    const r = lookup(s, { input: t.input, context: t.context, variables: t.variables });
    if (!r.found) throw new NothingSelected(`'${s}' selects nothing.`);
    return r.value;
  }
  return jsonata(`{% ${jsonataOperators(s)} %}`, bindingsOf(t));
}

/**
 * A breakpoint condition: true when the expression's value is truthy (a JSONPath that selects
 * nothing and a JSONata expression that returns nothing are false). Other evaluation errors
 * are thrown, and the caller stops there so the user sees them.
 */
export async function conditionHolds(text: string, t: EvalTarget): Promise<boolean> {
  const s = text.trim();
  if (!isJsonataExpression(s) && !isPathOrIntrinsic(s)) {
    // JSONata reads an undefined result as false in a condition, so `? :` turns "nothing" into false
    return (await jsonata(`{% (${jsonataOperators(s)}) ? true : false %}`, bindingsOf(t))) === true;
  }
  try {
    return truthy(await evaluateExpression(s, t));
  } catch (e) {
    if (e instanceof NothingSelected) return false;
    throw e;
  }
}

/** A logpoint message: each `{expression}` replaced by its value (strings as they are, other values as JSON). */
export async function interpolate(message: string, t: EvalTarget): Promise<string> {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf('{', i);
    if (open < 0) break;
    const close = matchingBrace(message, open);
    if (close < 0) break;
    out += message.slice(i, open);
    const expr = message.slice(open + 1, close);
    try {
      const v = await evaluateExpression(expr, t);
      out += typeof v === 'string' ? v : JSON.stringify(v);
    } catch (e) {
      out += `<${e instanceof Error ? e.message : String(e)}>`;
    }
    i = close + 1;
  }
  return out + message.slice(i);
}

/** A breakpoint hit condition: `5` or `>= 5` (from the 5th hit on), `== 5`, `> 5`, `% 5` (every 5th). */
export function parseHitCondition(text: string): ((hits: number) => boolean) | undefined {
  const m = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]);
  switch (m[1]) {
    case '==':
    case '=':
      return (h) => h === n;
    case '>':
      return (h) => h > n;
    case '%':
      return (h) => n > 0 && h % n === 0;
    default:
      return (h) => h >= n;
  }
}

function isPathOrIntrinsic(s: string): boolean {
  if (/^States\.[A-Za-z]+\(/.test(s)) return true;
  // `$states` is JSONata's binding, not a JSONPath variable named "states"
  return s.startsWith('$') && !/^\$states\b/.test(s) && parseJsonPathCached(s).ok;
}

function bindingsOf(t: EvalTarget): Parameters<typeof jsonata>[1] {
  return { states: { input: t.input, context: t.context }, variables: t.variables };
}

/** `==` → `=` outside string literals (JSONata compares with `=`). */
function jsonataOperators(s: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') {
        out += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '=' && s[i + 1] === '=' && !'!<>'.includes(s[i - 1] ?? '')) {
      out += '=';
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return !!v;
}
