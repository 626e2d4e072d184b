/**
 * Short readable labels for Choice rules: `$.status == "FAILED"`, `$.n > 3 and …`,
 * `not ($.x is present)`, and JSONata `Condition` text without its `{% %}` delimiters.
 */
import { getValue, propertyEntries } from '../parse/tree';
import type { AstNode } from '../types';

/** Longest label drawn on an edge before it is shortened with "…". */
export const MAX_LABEL = 40;

const OPERATORS: [RegExp, string][] = [
  [/^(String|Numeric|Boolean|Timestamp)Equals(Path)?$/, '=='],
  [/^(String|Numeric|Timestamp)LessThanEquals(Path)?$/, '<='],
  [/^(String|Numeric|Timestamp)GreaterThanEquals(Path)?$/, '>='],
  [/^(String|Numeric|Timestamp)LessThan(Path)?$/, '<'],
  [/^(String|Numeric|Timestamp)GreaterThan(Path)?$/, '>'],
  [/^StringMatches$/, 'matches'],
];
const TYPE_TESTS: Record<string, string> = {
  IsNull: 'null',
  IsPresent: 'present',
  IsNumeric: 'numeric',
  IsString: 'a string',
  IsBoolean: 'a boolean',
  IsTimestamp: 'a timestamp',
};

/** Plain JSON value of a small tree (literals only; objects/arrays summarised). */
function literal(n: AstNode | undefined): string {
  if (!n) return '?';
  switch (n.type) {
    case 'string':
      return JSON.stringify(n.value);
    case 'number':
    case 'boolean':
      return String(n.value);
    case 'null':
      return 'null';
    case 'array':
      return '[…]';
    default:
      return '{…}';
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts a label to MAX_LABEL characters with an ellipsis. */
export function shorten(text: string, max = MAX_LABEL): string {
  const t = collapse(text);
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** The full (unshortened) text of one JSONPath choice rule or nested rule. */
function ruleText(rule: AstNode | undefined, depth: number): string {
  if (depth > 20) return '…';
  const condition = getValue(rule, 'Condition');
  if (condition && condition.type === 'string') {
    // JSONata rules: the expression itself, without the {% %} delimiters (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    const raw = String(condition.value);
    const m = /^\s*\{%([\s\S]*)%\}\s*$/.exec(raw);
    return collapse(m ? m[1] : raw);
  }
  for (const combinator of ['And', 'Or'] as const) {
    const list = getValue(rule, combinator);
    if (list && list.type === 'array') {
      const parts = (list.children ?? []).map((r) => ruleText(r, depth + 1));
      return parts.map((s) => (/ (and|or) /.test(s) ? `(${s})` : s)).join(` ${combinator.toLowerCase()} `);
    }
  }
  const not = getValue(rule, 'Not');
  if (not) return `not (${ruleText(not, depth + 1)})`;
  const variable = getValue(rule, 'Variable');
  const v = variable && variable.type === 'string' ? String(variable.value) : '?';
  for (const [key, , value] of propertyEntries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Comment' || key === 'Assign' || key === 'Output') continue;
    if (key in TYPE_TESTS) {
      const negated = value?.type === 'boolean' && value.value === false;
      return `${v} is ${negated ? 'not ' : ''}${TYPE_TESTS[key]}`;
    }
    for (const [re, op] of OPERATORS) {
      if (!re.test(key)) continue;
      const isPath = key.endsWith('Path') && value?.type === 'string';
      return `${v} ${op} ${isPath ? String(value.value) : literal(value)}`;
    }
  }
  return v === '?' ? 'rule' : v;
}

/**
 * A short label for a Choice rule: the condition when it fits in MAX_LABEL characters, else
 * as many leading terms of an And/Or as fit followed by "and …" / "or …", else cut with "…".
 */
export function choiceLabel(rule: AstNode | undefined): string {
  const full = ruleText(rule, 0);
  if (full.length <= MAX_LABEL) return full;
  for (const combinator of ['And', 'Or'] as const) {
    const list = getValue(rule, combinator);
    if (!list || list.type !== 'array') continue;
    const word = combinator.toLowerCase();
    let out = '';
    for (const r of list.children ?? []) {
      const term = ruleText(r, 1);
      const next = out ? `${out} ${word} ${term}` : term;
      if (next.length + word.length + 3 > MAX_LABEL) break;
      out = next;
    }
    if (out) return `${out} ${word} …`;
  }
  return shorten(full);
}

/** A label for a Catch edge: the error names, shortened. */
export function catchLabel(errors: string[]): string {
  return shorten(errors.length ? errors.join(', ') : 'catch');
}
