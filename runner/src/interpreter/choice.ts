/**
 * JSONPath Choice rules (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html): boolean combinators, typed comparisons
 * with their `…Path` variants, type tests and StringMatches. A comparison against a value of
 * the wrong type is false (not an error); a missing Variable is States.Runtime, except for
 * IsPresent.
 */
import type { ChoiceRule } from '../../../asl/src/states';
import type { EvalScope } from '../../../asl/src/types';
import { Failure } from './errors';
import { lookup, safeStringify } from './evaluate';

type Cmp = 'Equals' | 'GreaterThan' | 'GreaterThanEquals' | 'LessThan' | 'LessThanEquals';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (uppercase T and Z) to [epoch ms, sub-ms nanos]; undefined if invalid. */
export function parseTimestamp(v: unknown): [number, number] | undefined {
  if (typeof v !== 'string' || !RFC3339.test(v)) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return undefined;
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  const nanos = Number((frac + '000000000').slice(3, 9));
  return [ms, nanos];
}

function compare<T extends number | string>(a: T, b: T, op: Cmp): boolean {
  switch (op) {
    case 'Equals':
      return a === b;
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanEquals':
      return a >= b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
  }
}

function compareTs(a: [number, number], b: [number, number], op: Cmp): boolean {
  const d = a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
  return compare(d, 0, op);
}

/** `*` matches any run of characters; `\*` a literal star and `\\` a backslash. */
export function stringMatches(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '*') re += '[\\s\\S]*';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(re + '$').test(value);
}

function resolve(text: unknown, scope: EvalScope): { found: true; value: unknown } | { found: false } {
  if (typeof text !== 'string') throw new Failure('States.Runtime', 'A Choice rule path must be a string.');
  return lookup(text, scope);
}

/** Evaluates one Choice rule (top-level or nested) against the effective input. */
export function evaluateRule(rule: ChoiceRule, scope: EvalScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => evaluateRule(r, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => evaluateRule(r, scope));
  if (rule.Not && typeof rule.Not === 'object') return !evaluateRule(rule.Not, scope);

  const v = resolve(rule.Variable, scope);
  if ('IsPresent' in rule) return v.found === (rule.IsPresent === true);
  if (!v.found) {
    throw new Failure(
      'States.Runtime',
      `Invalid path '${String(rule.Variable)}': The choice state's condition path references an invalid value. Input: ${safeStringify(scope.input)}`,
    );
  }
  const value = v.value;
  if ('IsNull' in rule) return (value === null) === (rule.IsNull === true);
  if ('IsNumeric' in rule) return (typeof value === 'number') === (rule.IsNumeric === true);
  if ('IsString' in rule) return (typeof value === 'string') === (rule.IsString === true);
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === (rule.IsBoolean === true);
  if ('IsTimestamp' in rule) return (parseTimestamp(value) !== undefined) === (rule.IsTimestamp === true);
  if ('StringMatches' in rule)
    return (
      typeof value === 'string' && typeof rule.StringMatches === 'string' && stringMatches(value, rule.StringMatches)
    );

  for (const key of Object.keys(rule)) {
    const m =
      /^(Boolean|Numeric|String|Timestamp)(Equals|GreaterThan|GreaterThanEquals|LessThan|LessThanEquals)(Path)?$/.exec(
        key,
      );
    if (!m) continue;
    const [, kind, op, isPath] = m as unknown as [string, string, Cmp, string | undefined];
    let other: unknown = rule[key];
    if (isPath) {
      const o = resolve(other, scope);
      if (!o.found) {
        throw new Failure(
          'States.Runtime',
          `Invalid path '${String(other)}': The choice state's condition path references an invalid value.`,
        );
      }
      other = o.value;
    }
    switch (kind) {
      case 'Boolean':
        return op === 'Equals' && typeof value === 'boolean' && value === other;
      case 'Numeric':
        return typeof value === 'number' && typeof other === 'number' && compare(value, other, op);
      case 'String':
        return typeof value === 'string' && typeof other === 'string' && compare(value, other, op);
      case 'Timestamp': {
        const a = parseTimestamp(value);
        const b = parseTimestamp(other);
        return !!a && !!b && compareTs(a, b, op);
      }
    }
  }
  throw new Failure('States.Runtime', `The Choice rule on '${String(rule.Variable)}' has no comparison operator.`);
}
