/**
 * JSONPath filter expressions (`[?( … )]`): the subset Step Functions users write —
 * comparisons `== != < <= > >=`, `&&`, `||`, `!`, parentheses, `@…` / `$…` operands and
 * existence tests (`[?(@.isbn)]`). Parsed once per expression text and cached.
 *
 * An unquoted word compared with something (`[?(@.Name==Receipt)]`) is a string: Step
 * Functions' JSONPath accepts it so (deployed machines rely on it), and so does this parser;
 * the rules point it out with a quick fix to quote it.
 */
import type { JsonPath, Parsed, PathError } from '../types';
import { parseJsonPath } from './jsonpath';

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { t: 'or' | 'and'; l: FilterNode; r: FilterNode }
  | { t: 'not'; e: FilterNode }
  | { t: 'cmp'; op: CmpOp; l: FilterNode; r: FilterNode }
  | {
      t: 'lit';
      v: unknown;
      /** set for an unquoted word: its range in the expression */ word?: { offset: number; length: number };
    }
  | { t: 'path'; rel: boolean; path: JsonPath };

const fail = (offset: number, length: number, message: string): { ok: false; error: PathError } => ({
  ok: false,
  error: { offset, length: Math.max(1, length), message },
});

const OPERAND_STOP = new Set([' ', '\t', '=', '!', '<', '>', '&', '|', ')', '(']);
const NUM_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;

class FilterParser {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  parse(): Parsed<FilterNode> {
    this.ws();
    if (this.i >= this.s.length) return fail(0, 0, 'Empty filter expression.');
    const e = this.or();
    if (!e.ok) return e;
    this.ws();
    if (this.i < this.s.length)
      return fail(this.i, this.s.length - this.i, `Unexpected '${this.s.slice(this.i)}' in filter expression.`);
    return e;
  }

  or(): Parsed<FilterNode> {
    let l = this.and();
    if (!l.ok) return l;
    for (;;) {
      this.ws();
      if (!this.s.startsWith('||', this.i)) return l;
      this.i += 2;
      const r = this.and();
      if (!r.ok) return r;
      l = { ok: true, value: { t: 'or', l: l.value, r: r.value } };
    }
  }

  and(): Parsed<FilterNode> {
    let l = this.unary();
    if (!l.ok) return l;
    for (;;) {
      this.ws();
      if (!this.s.startsWith('&&', this.i)) return l;
      this.i += 2;
      const r = this.unary();
      if (!r.ok) return r;
      l = { ok: true, value: { t: 'and', l: l.value, r: r.value } };
    }
  }

  unary(): Parsed<FilterNode> {
    this.ws();
    if (this.s[this.i] === '!' && this.s[this.i + 1] !== '=') {
      this.i++;
      const e = this.unary();
      return e.ok ? { ok: true, value: { t: 'not', e: e.value } } : e;
    }
    return this.cmp();
  }

  cmp(): Parsed<FilterNode> {
    const l = this.operand();
    if (!l.ok) return l;
    this.ws();
    const s = this.s;
    const two = s.slice(this.i, this.i + 2);
    let op: CmpOp | undefined;
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') op = two;
    else if (s[this.i] === '<' || s[this.i] === '>') op = s[this.i] as CmpOp;
    else if (two === '=~') return fail(this.i, 2, "Regular-expression filters ('=~') are not supported.");
    else if (s[this.i] === '=') return fail(this.i, 1, "Use '==' to compare in a filter expression.");
    else {
      const word = /^(in|nin|subsetof|anyof|noneof|size|empty|contains)\b/.exec(s.slice(this.i));
      if (word)
        return fail(this.i, word[0].length, `The filter operator '${word[0]}' is not supported; use == != < <= > >=.`);
      // a word is only a string where it is compared; alone it is not a test
      if (l.value.t === 'lit' && l.value.word) return unexpectedWord(s, l.value.word.offset);
      return l;
    }
    this.i += op.length;
    const r = this.operand();
    if (!r.ok) return r;
    return { ok: true, value: { t: 'cmp', op, l: l.value, r: r.value } };
  }

  operand(): Parsed<FilterNode> {
    this.ws();
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === undefined) return fail(start, 0, 'Unexpected end of filter expression.');
    if (c === '(') {
      this.i++;
      const e = this.or();
      if (!e.ok) return e;
      this.ws();
      if (s[this.i] !== ')') return fail(start, this.i - start, "Missing ')' in filter expression.");
      this.i++;
      return e;
    }
    if (c === '@' || c === '$') {
      let j = start + 1;
      let depth = 0;
      while (j < s.length) {
        const ch = s[j];
        if (ch === "'" || ch === '"') {
          j++;
          while (j < s.length && s[j] !== ch) j += s[j] === '\\' ? 2 : 1;
          j++;
          continue;
        }
        if (ch === '[') depth++;
        else if (ch === ']') depth--;
        else if (depth === 0 && OPERAND_STOP.has(ch)) break;
        j++;
      }
      if (s[j] === '(') return fail(start, j - start + 1, 'JSONPath functions are not supported in filters.');
      const raw = s.slice(start, j);
      const p = parseJsonPath(c === '@' ? '$' + raw.slice(1) : raw);
      if (!p.ok) return fail(start + p.error.offset, p.error.length, p.error.message);
      this.i = j;
      return { ok: true, value: { t: 'path', rel: c === '@', path: p.value } };
    }
    if (c === "'" || c === '"') {
      let j = start + 1;
      let v = '';
      while (j < s.length && s[j] !== c) {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        v += s[j];
        j++;
      }
      if (j >= s.length) return fail(start, s.length - start, 'Unterminated string in filter expression.');
      this.i = j + 1;
      return { ok: true, value: { t: 'lit', v } };
    }
    const m = NUM_RE.exec(s.slice(start));
    if (m) {
      this.i = start + m[0].length;
      return { ok: true, value: { t: 'lit', v: Number(m[0]) } };
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      const after = s[start + word.length];
      if (s.startsWith(word, start) && (after === undefined || OPERAND_STOP.has(after))) {
        this.i = start + word.length;
        return { ok: true, value: { t: 'lit', v } };
      }
    }
    let j = start;
    while (j < s.length && !OPERAND_STOP.has(s[j]) && s[j] !== "'" && s[j] !== '"') j++;
    if (j === start) return unexpectedWord(s, start);
    this.i = j;
    return { ok: true, value: { t: 'lit', v: s.slice(start, j), word: { offset: start, length: j - start } } };
  }
}

function unexpectedWord(s: string, start: number): { ok: false; error: PathError } {
  let j = start;
  while (j < s.length && !OPERAND_STOP.has(s[j])) j++;
  return fail(
    start,
    Math.max(1, j - start),
    `Unexpected '${s.slice(start, Math.max(j, start + 1))}' in filter expression; expected @…, $…, a number, a quoted string, true, false or null.`,
  );
}

/** Unquoted words compared in a filter expression (offsets relative to the expression). */
export function filterWords(expression: string): { offset: number; length: number; word: string }[] {
  const parsed = parseFilterCached(expression);
  if (!parsed.ok) return [];
  const out: { offset: number; length: number; word: string }[] = [];
  const stack: FilterNode[] = [parsed.value];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.t === 'lit' && n.word) out.push({ ...n.word, word: String(n.v) });
    else if (n.t === 'or' || n.t === 'and' || n.t === 'cmp') stack.push(n.r, n.l);
    else if (n.t === 'not') stack.push(n.e);
  }
  return out;
}

/** Parses a filter expression (the text between `[?(` and `)]`); offsets are relative to it. */
export function parseFilter(expression: string): Parsed<FilterNode> {
  return new FilterParser(expression).parse();
}

const filterCache = new Map<string, Parsed<FilterNode>>();

/** Cached {@link parseFilter}. */
export function parseFilterCached(expression: string): Parsed<FilterNode> {
  let r = filterCache.get(expression);
  if (!r) {
    r = parseFilter(expression);
    if (filterCache.size > 2000) filterCache.clear();
    filterCache.set(expression, r);
  }
  return r;
}

/** Evaluates a JSONPath (relative to `current` when rel) and reports whether it matched. */
export type PathResolver = (
  path: JsonPath,
  relative: boolean,
  current: unknown,
) => { found: true; value: unknown } | { found: false };

const MISSING = Symbol('missing');

function operandValue(n: FilterNode, current: unknown, resolve: PathResolver): unknown {
  if (n.t === 'lit') return n.v;
  if (n.t === 'path') {
    const r = resolve(n.path, n.rel, current);
    return r.found ? r.value : MISSING;
  }
  return evalFilter(n, current, resolve);
}

/** Evaluates a parsed filter against one candidate element. */
export function evalFilter(n: FilterNode, current: unknown, resolve: PathResolver): boolean {
  switch (n.t) {
    case 'or':
      return evalFilter(n.l, current, resolve) || evalFilter(n.r, current, resolve);
    case 'and':
      return evalFilter(n.l, current, resolve) && evalFilter(n.r, current, resolve);
    case 'not':
      return !evalFilter(n.e, current, resolve);
    case 'lit':
      return n.v !== false && n.v !== null;
    case 'path': {
      // existence test, as in Jayway: `[?(@.isbn)]` keeps items that have the field
      const r = resolve(n.path, n.rel, current);
      return r.found && !(Array.isArray(r.value) && !n.path.isDefinite && r.value.length === 0);
    }
    case 'cmp': {
      const a = operandValue(n.l, current, resolve);
      const b = operandValue(n.r, current, resolve);
      if (a === MISSING || b === MISSING) return n.op === '!=' && !(a === MISSING && b === MISSING);
      return compare(n.op, a, b);
    }
  }
}

function compare(op: CmpOp, a: unknown, b: unknown): boolean {
  if (op === '==') return jsonEquals(a, b);
  if (op === '!=') return !jsonEquals(a, b);
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  return false;
}

/** Deep JSON equality (object key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Unquoted words compared in the filters of a path (offsets relative to the path text). */
export function unquotedFilterWords(path: JsonPath): { offset: number; length: number; word: string }[] {
  const out: { offset: number; length: number; word: string }[] = [];
  for (const seg of path.segments)
    if (seg.kind === 'filter')
      for (const w of filterWords(seg.expression)) out.push({ ...w, offset: seg.expressionOffset + w.offset });
  return out;
}
