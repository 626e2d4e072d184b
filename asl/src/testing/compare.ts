/**
 * Compares a test case's expected values with what the execution produced, and lists every
 * difference with a JSON-pointer-like location (`/items/0/id`), so a failure reads as a diff.
 */
import { evaluateJsonPath } from '../paths/evaluate';
import { jsonEquals } from '../paths/filter';
import { parseJsonPath } from '../paths/jsonpath';
import type { ValueCheck } from './testFile';

export interface Mismatch {
  /** what was checked: `output`, `states.RunTask.parameters`, `path`, … */
  subject: string;
  /** where in the value: `/Overrides/ContainerOverrides/0` ('' = the whole value) or a JSONPath */
  at: string;
  /** each key is there when the diff shows that side (an absent value shows as `(absent)`) */
  expected?: unknown;
  actual?: unknown;
  /** why, when a value pair alone does not say it */
  note?: string;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The differences between `expected` and `actual`: exactly (`partial` false) or as a deep
 * subset (objects need only the expected keys; arrays must have the same length).
 */
export function diffValues(expected: unknown, actual: unknown, partial: boolean, subject: string, at = ''): Mismatch[] {
  const out: Mismatch[] = [];
  const walk = (e: unknown, a: unknown, p: string): void => {
    if (isObject(e) && isObject(a)) {
      for (const k of Object.keys(e)) {
        const q = `${p}/${escapeSegment(k)}`;
        if (!hasOwn.call(a, k)) out.push({ subject, at: q, expected: e[k], note: 'missing' });
        else walk(e[k], a[k], q);
      }
      if (!partial)
        for (const k of Object.keys(a))
          if (!hasOwn.call(e, k))
            out.push({ subject, at: `${p}/${escapeSegment(k)}`, actual: a[k], note: 'unexpected' });
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (e.length !== a.length) {
        out.push({ subject, at: p, expected: e, actual: a, note: `${e.length} items expected, ${a.length} found` });
        return;
      }
      e.forEach((x, i) => walk(x, a[i], `${p}/${i}`));
      return;
    }
    if (!jsonEquals(e, a)) out.push({ subject, at: p, expected: e, actual: a });
  };
  walk(expected, actual, at);
  return out;
}

/** Runs every check of a ValueCheck against `actual`. */
export function checkValue(check: ValueCheck, actual: unknown, subject: string): Mismatch[] {
  const out: Mismatch[] = [];
  if (check.equals) out.push(...diffValues(check.equals.value, actual, false, subject));
  if (check.matches) out.push(...diffValues(check.matches.value, actual, true, subject));
  for (const [path, expected] of Object.entries(check.paths ?? {})) {
    const parsed = parseJsonPath(path);
    if (!parsed.ok) {
      out.push({ subject, at: path, expected, note: parsed.error.message });
      continue;
    }
    const r = evaluateJsonPath(parsed.value, { input: actual, context: {} });
    if (!r.found) out.push({ subject, at: path, expected, note: 'the path selects nothing' });
    else out.push(...diffValues(expected, r.value, false, subject, path));
  }
  return out;
}

/** The expected and actual state names in order, as one mismatch when they differ. */
export function checkPath(expected: string[], actual: string[]): Mismatch[] {
  if (jsonEquals(expected, actual)) return [];
  const i = expected.findIndex((name, k) => actual[k] !== name);
  const first = i < 0 ? expected.length : i;
  return [
    {
      subject: 'path',
      at: '',
      expected,
      actual,
      note: `differs from step ${first + 1}: expected ${expected[first] === undefined ? 'the end' : `"${expected[first]}"`}, ran ${actual[first] === undefined ? 'nothing more' : `"${actual[first]}"`}`,
    },
  ];
}

/** A value on one line, cut to `max` characters. */
export function preview(value: unknown, max = 200): string {
  let s: string;
  try {
    s = value === undefined ? '(absent)' : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The lines of a readable diff: `- expected` / `+ actual` under each mismatch that has them. */
export function formatMismatches(mismatches: Mismatch[], indent = '    '): string[] {
  const lines: string[] = [];
  for (const m of mismatches) {
    lines.push(`${indent}${m.subject}${m.at ? ` at ${m.at}` : ''}${m.note ? `: ${m.note}` : ''}`);
    if ('expected' in m) lines.push(`${indent}  - expected ${preview(m.expected)}`);
    if ('actual' in m) lines.push(`${indent}  + actual   ${preview(m.actual)}`);
  }
  return lines;
}
