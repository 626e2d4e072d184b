/**
 * Parser for Step Functions' JSONPath dialect (a Jayway-JsonPath subset) and for reference
 * paths (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html). Pure and allocation-light; `parseJsonPathCached` memoises by text
 * because the interpreter evaluates the same few paths millions of times.
 */
import type { JsonPath, Parsed, PathError, PathSegment } from '../types';
import { parseFilter } from './filter';

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}\u200c\u200d]/u;
/** Characters that end an unquoted dot-notation name. */
const NAME_STOP = new Set([
  '.',
  '[',
  ']',
  '(',
  ')',
  ' ',
  '\t',
  '\n',
  '\r',
  "'",
  '"',
  ',',
  '*',
  '?',
  '@',
  '=',
  '<',
  '>',
  '!',
  '&',
  '|',
]);

type Result<T> = Parsed<T>;
const fail = (offset: number, length: number, message: string): { ok: false; error: PathError } => ({
  ok: false,
  error: { offset, length: Math.max(1, length), message },
});

/** Is `ch` a character that may start a variable name (`$name`)? */
export function isIdentStart(ch: string): boolean {
  return ID_START.test(ch);
}
/** Is `ch` a character that may continue a variable name? */
export function isIdentPart(ch: string): boolean {
  return ID_CONTINUE.test(ch) || ch === '$';
}

/**
 * Parses a path of Step Functions' JSONPath dialect: roots `$` (input), `$$` (context object)
 * and `$name` (a variable); dot and bracket steps, negative indexes, `[*]`, `.*`, `..name`,
 * slices, unions and `[?( … )]` filters. JSONPath functions (`.length()`) and script
 * expressions are rejected: Step Functions does not support them.
 */
export function parseJsonPath(text: string): Parsed<JsonPath> {
  if (typeof text !== 'string') return fail(0, 0, 'A path must be a string.');
  if (text.length === 0) return fail(0, 0, "A path must start with '$'.");
  if (text[0] !== '$') return fail(0, 1, `A path must start with '$' (found '${text[0]}').`);
  let root: JsonPath['root'] = '$';
  let i = 1;
  if (text[1] === '$') {
    root = '$$';
    i = 2;
  } else if (i < text.length && isIdentStart(text[i])) {
    let j = i + 1;
    while (j < text.length && isIdentPart(text[j])) j++;
    root = { variable: text.slice(i, j) };
    i = j;
  }
  const segments: PathSegment[] = [];
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      if (text[i + 1] === '.') {
        const r = parseRecursive(text, i, segments);
        if (!r.ok) return r;
        i = r.value;
        continue;
      }
      const r = parseDotName(text, i + 1, i, segments);
      if (!r.ok) return r;
      i = r.value;
    } else if (ch === '[') {
      const r = parseBracket(text, i, segments);
      if (!r.ok) return r;
      i = r.value;
    } else if (ch === ' ' || ch === '\t') {
      return fail(i, text.length - i, 'Unexpected whitespace in path.');
    } else {
      return fail(i, 1, `Unexpected character '${ch}' in path; expected '.' or '['.`);
    }
  }
  let isReference = true;
  let isDefinite = true;
  for (const s of segments) {
    if (s.kind !== 'field' && s.kind !== 'index') {
      isReference = false;
      isDefinite = false;
    }
  }
  return { ok: true, value: { root, segments, isReference, isDefinite, text } };
}

/** `..name`, `..*`, `..[…]` — recursive descent. */
function parseRecursive(text: string, start: number, out: PathSegment[]): Result<number> {
  let i = start + 2;
  if (i >= text.length) return fail(start, 2, "'..' must be followed by a name, '*' or '['.");
  if (text[i] === '*') {
    // `..*` = every descendant: (self and descendants) then their children
    out.push({ kind: 'recursive', offset: start }, { kind: 'wildcard', offset: start + 1 });
    return { ok: true, value: i + 1 };
  }
  if (text[i] === '[') {
    out.push({ kind: 'recursive', offset: start });
    return parseBracket(text, i, out);
  }
  if (text[i] === '.') return fail(start, 3, "Too many dots: '...' is not valid.");
  const nameStart = i;
  while (i < text.length && !NAME_STOP.has(text[i])) i++;
  if (i === nameStart) return fail(start, 2, "'..' must be followed by a name, '*' or '['.");
  if (text[i] === '(') return functionError(text, nameStart, i);
  out.push({ kind: 'recursive', name: text.slice(nameStart, i), offset: start });
  return { ok: true, value: i };
}

function functionError(text: string, nameStart: number, paren: number): { ok: false; error: PathError } {
  const close = text.indexOf(')', paren);
  const end = close < 0 ? text.length : close + 1;
  return fail(
    nameStart - 1,
    end - nameStart + 1,
    `JSONPath functions such as '${text.slice(nameStart, paren)}()' are not supported by Step Functions; use an intrinsic function (e.g. States.ArrayLength) instead.`,
  );
}

/** `.name` or `.*` starting after the dot at `dot`. */
function parseDotName(text: string, i: number, dot: number, out: PathSegment[]): Result<number> {
  if (i >= text.length) return fail(dot, 1, "A path cannot end with '.'.");
  if (text[i] === '*') {
    out.push({ kind: 'wildcard', offset: dot });
    return { ok: true, value: i + 1 };
  }
  const nameStart = i;
  while (i < text.length && !NAME_STOP.has(text[i])) i++;
  if (i === nameStart) {
    // `$.['a']` is accepted like `$['a']` (lenient, as Jayway is)
    if (text[i] === '[') return parseBracket(text, i, out);
    return fail(dot, 2, `Expected a field name after '.' (found '${text[i]}').`);
  }
  if (text[i] === '(') return functionError(text, nameStart, i);
  out.push({ kind: 'field', name: text.slice(nameStart, i), offset: dot });
  return { ok: true, value: i };
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

/** A quoted name in brackets; returns the decoded string and the index after the closing quote. */
function readQuoted(text: string, i: number): Result<{ value: string; end: number }> {
  const q = text[i];
  let out = '';
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') {
      if (j + 1 >= text.length) break;
      out += text[j + 1];
      j += 2;
      continue;
    }
    if (c === q) return { ok: true, value: { value: out, end: j + 1 } };
    out += c;
    j++;
  }
  return fail(i, text.length - i, `Unterminated quoted name: missing closing ${q}.`);
}

const INT_RE = /^-?\d+$/;

/** `[ … ]` starting at `open`. */
function parseBracket(text: string, open: number, out: PathSegment[]): Result<number> {
  const i = skipSpaces(text, open + 1);
  if (i >= text.length) return fail(open, 1, "Unclosed '['.");
  const c = text[i];
  if (c === '*') {
    const j = skipSpaces(text, i + 1);
    if (text[j] !== ']') return fail(open, j - open + 1, "Expected ']' after '[*'.");
    out.push({ kind: 'wildcard', offset: open });
    return { ok: true, value: j + 1 };
  }
  if (c === '?') {
    if (text[i + 1] !== '(') return fail(i, 1, "A filter must be written '[?( … )]'.");
    const exprStart = i + 2;
    const close = findFilterEnd(text, i + 1);
    if (close < 0) return fail(open, text.length - open, "Unclosed filter expression: missing ')]'.");
    const expression = text.slice(exprStart, close);
    const parsed = parseFilter(expression);
    if (!parsed.ok) {
      return fail(exprStart + parsed.error.offset, parsed.error.length, parsed.error.message);
    }
    const j = skipSpaces(text, close + 1);
    if (text[j] !== ']') return fail(close, 1, "Expected ']' after the filter expression.");
    out.push({ kind: 'filter', expression, offset: open, expressionOffset: exprStart });
    return { ok: true, value: j + 1 };
  }
  if (c === '(') {
    return fail(
      open,
      Math.max(1, text.indexOf(']', open) - open + 1),
      'Script expressions [( … )] are not supported by Step Functions.',
    );
  }
  if (c === "'" || c === '"') {
    const names: string[] = [];
    let j = i;
    for (;;) {
      if (text[j] !== "'" && text[j] !== '"') return fail(j, 1, 'Expected a quoted name.');
      const q = readQuoted(text, j);
      if (!q.ok) return q;
      names.push(q.value.value);
      j = skipSpaces(text, q.value.end);
      if (text[j] === ',') {
        j = skipSpaces(text, j + 1);
        continue;
      }
      if (text[j] === ']') break;
      return fail(
        j < text.length ? j : open,
        j < text.length ? 1 : text.length - open,
        "Expected ',' or ']' after a quoted name.",
      );
    }
    out.push(
      names.length === 1
        ? { kind: 'field', name: names[0], offset: open }
        : { kind: 'union', items: names, offset: open },
    );
    return { ok: true, value: j + 1 };
  }
  // numbers: index, union of indexes, slice
  const close = text.indexOf(']', i);
  if (close < 0) return fail(open, text.length - open, "Unclosed '['.");
  const body = text.slice(i, close).trim();
  if (body.length === 0) return fail(open, close - open + 1, "Empty brackets '[]'.");
  if (body.includes(':')) {
    const parts = body.split(':');
    if (parts.length > 3) return fail(open, close - open + 1, 'A slice has at most three parts [start:end:step].');
    const nums: (number | undefined)[] = [];
    for (const p of parts) {
      const t = p.trim();
      if (t === '') nums.push(undefined);
      else if (INT_RE.test(t)) nums.push(Number(t));
      else return fail(open, close - open + 1, `Invalid slice bound '${t}': expected an integer.`);
    }
    if (nums[2] === 0) return fail(open, close - open + 1, 'A slice step cannot be 0.');
    const seg: PathSegment & { kind: 'slice' } = { kind: 'slice', offset: open };
    if (nums[0] !== undefined) seg.start = nums[0];
    if (nums[1] !== undefined) seg.end = nums[1];
    if (nums[2] !== undefined) seg.step = nums[2];
    out.push(seg);
    return { ok: true, value: close + 1 };
  }
  const items = body.split(',').map((s) => s.trim());
  const values: number[] = [];
  for (const t of items) {
    if (!INT_RE.test(t)) {
      return fail(
        open,
        close - open + 1,
        `Invalid bracket expression '[${body}]': expected an index, a quoted name, '*', a slice or a filter.`,
      );
    }
    values.push(Number(t));
  }
  out.push(
    values.length === 1
      ? { kind: 'index', index: values[0], offset: open }
      : { kind: 'union', items: values, offset: open },
  );
  return { ok: true, value: close + 1 };
}

/** Index of the ')' closing the filter whose '(' is at `paren`, or -1; quotes are skipped. */
function findFilterEnd(text: string, paren: number): number {
  let depth = 0;
  for (let i = paren; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export interface ReferencePathOptions {
  /** allow `$name…` (default true; false for ResultPath, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html) */
  allowVariables?: boolean;
  /** allow `$$…` (default true; false for ResultPath) */
  allowContext?: boolean;
}

/**
 * Parses a reference path (ResultPath, Choice `Variable`, `*Path` comparisons): only field and
 * index steps are allowed (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
 */
export function parseReferencePath(text: string, opts: ReferencePathOptions = {}): Parsed<JsonPath> {
  const r = parseJsonPath(text);
  return r.ok ? asReferencePath(text, r, opts) : r;
}

/**
 * parseReferencePath of `text` from `parsed`, what parseJsonPath made of it, for callers that
 * parsed it already.
 */
export function asReferencePath(
  text: string,
  parsed: { ok: true; value: JsonPath },
  opts: ReferencePathOptions = {},
): Parsed<JsonPath> {
  const p = parsed.value;
  if (typeof p.root === 'object' && opts.allowVariables === false) {
    return fail(
      0,
      1 + p.root.variable.length,
      `Variables cannot be used here ('$${p.root.variable}'); a reference path here must start with '$'.`,
    );
  }
  if (p.root === '$$' && opts.allowContext === false) {
    return fail(0, 2, "The context object ('$$') cannot be used here; the path must start with '$'.");
  }
  for (let k = 0; k < p.segments.length; k++) {
    const s = p.segments[k];
    if (s.kind === 'field' || s.kind === 'index') continue;
    const next = p.segments[k + 1];
    const end = next ? next.offset : text.length;
    const what =
      s.kind === 'wildcard'
        ? "wildcards ('*')"
        : s.kind === 'filter'
          ? 'filters'
          : s.kind === 'recursive'
            ? "recursive descent ('..')"
            : s.kind === 'slice'
              ? 'slices'
              : 'unions';
    return fail(
      s.offset,
      end - s.offset,
      `A reference path can only use field names and array indexes; ${what} are not allowed.`,
    );
  }
  return parsed;
}

const CACHE_LIMIT = 10_000;

/** Memoising wrapper around {@link parseJsonPath}; results are shared, treat them as read-only. */
export function createPathCache(): (text: string) => Parsed<JsonPath> {
  const cache = new Map<string, Parsed<JsonPath>>();
  return (text: string) => {
    let r = cache.get(text);
    if (r === undefined) {
      r = parseJsonPath(text);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(text, r);
    }
    return r;
  };
}
