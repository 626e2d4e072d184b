/**
 * Parser for intrinsic function calls (`States.Format('{}', $.x)`), https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html:
 * arguments are single-quoted strings (escapes `\'`, `\{`, `\}`, `\\`), numbers,
 * true/false/null, paths (`$.x`, `$$.x`, `$var`) and nested calls, at most 10 calls deep.
 */
import type { IntrinsicArg, IntrinsicCall, Parsed, PathError } from '../types';
import { parseJsonPath } from './jsonpath';

/** Deepest nesting of intrinsic calls Step Functions accepts in one field (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html). */
export const MAX_INTRINSIC_DEPTH = 10;

const NAME_RE = /^States\.[A-Za-z0-9_]*/;
const NUMBER_RE = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

class Failure {
  constructor(public readonly error: PathError) {}
}

class IntrinsicParser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(offset: number, length: number, message: string): never {
    throw new Failure({ offset, length: Math.max(1, length), message });
  }

  ws(): void {
    while (
      this.i < this.s.length &&
      (this.s[this.i] === ' ' || this.s[this.i] === '\t' || this.s[this.i] === '\n' || this.s[this.i] === '\r')
    )
      this.i++;
  }

  call(depth: number): IntrinsicCall {
    const s = this.s;
    const start = this.i;
    const m = NAME_RE.exec(s.slice(start, start + 200));
    if (!m) {
      let j = start;
      while (j < s.length && /[A-Za-z0-9_.]/.test(s[j])) j++;
      this.fail(
        start,
        j - start,
        `Expected an intrinsic function name starting with 'States.' (found '${s.slice(start, Math.max(j, start + 1))}').`,
      );
    }
    const name = m[0];
    if (name.length === 7) this.fail(start, 7, "Expected a function name after 'States.'.");
    if (depth > MAX_INTRINSIC_DEPTH) {
      this.fail(start, name.length, `Intrinsic functions can be nested at most ${MAX_INTRINSIC_DEPTH} deep.`);
    }
    this.i = start + name.length;
    this.ws();
    if (s[this.i] !== '(')
      this.fail(this.i < s.length ? this.i : start, this.i < s.length ? 1 : name.length, `Expected '(' after ${name}.`);
    this.i++;
    const args: IntrinsicArg[] = [];
    this.ws();
    if (s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args, offset: start, length: this.i - start };
    }
    for (;;) {
      this.ws();
      args.push(this.arg(depth));
      this.ws();
      const c = s[this.i];
      if (c === ',') {
        this.i++;
        this.ws();
        if (s[this.i] === ')') this.fail(this.i - 1, 1, 'Unexpected trailing comma in argument list.');
        continue;
      }
      if (c === ')') {
        this.i++;
        return { kind: 'call', name, args, offset: start, length: this.i - start };
      }
      if (c === undefined) this.fail(start, s.length - start, `Missing ')' to close ${name}(.`);
      this.fail(this.i, 1, `Expected ',' or ')' in the arguments of ${name} (found '${c}').`);
    }
  }

  arg(depth: number): IntrinsicArg {
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === undefined) this.fail(Math.max(0, start - 1), 1, 'Expected an argument.');
    if (c === "'") return this.string();
    if (c === '$') return this.path();
    if (s.startsWith('States.', start)) return this.call(depth + 1);
    const m = NUMBER_RE.exec(s.slice(start, start + 64));
    if (m && (c === '-' || c === '.' || (c >= '0' && c <= '9'))) {
      this.i = start + m[0].length;
      return { kind: 'number', value: Number(m[0]), offset: start, length: m[0].length };
    }
    for (const w of ['true', 'false', 'null'] as const) {
      if (s.startsWith(w, start) && !/[A-Za-z0-9_]/.test(s[start + w.length] ?? '')) {
        this.i = start + w.length;
        if (w === 'null') return { kind: 'null', offset: start, length: 4 };
        return { kind: 'boolean', value: w === 'true', offset: start, length: w.length };
      }
    }
    if (c === '"') this.fail(start, 1, "Strings in intrinsic functions use single quotes ('text'), not double quotes.");
    let j = start;
    while (j < s.length && s[j] !== ',' && s[j] !== ')') j++;
    this.fail(
      start,
      j - start,
      `Invalid argument '${s.slice(start, Math.max(j, start + 1)).trim()}': expected a 'string', a number, true, false, null, a path or an intrinsic function.`,
    );
  }

  string(): IntrinsicArg {
    const s = this.s;
    const start = this.i;
    let j = start + 1;
    let value = '';
    while (j < s.length) {
      const c = s[j];
      if (c === '\\') {
        const n = s[j + 1];
        if (n === "'" || n === '{' || n === '}' || n === '\\') {
          value += n;
          j += 2;
          continue;
        }
        // Any other backslash is kept literally.
        value += c;
        j++;
        continue;
      }
      if (c === "'") {
        this.i = j + 1;
        return { kind: 'string', value, raw: s.slice(start + 1, j), offset: start, length: j + 1 - start };
      }
      value += c;
      j++;
    }
    this.fail(
      start,
      s.length - start,
      "Unterminated string: missing closing ' (write \\' for a quote inside a string).",
    );
  }

  path(): IntrinsicArg {
    const s = this.s;
    const start = this.i;
    let j = start;
    let depth = 0;
    while (j < s.length) {
      const c = s[j];
      if (c === "'" || c === '"') {
        j++;
        while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
        j++;
        continue;
      }
      if (c === '[' || c === '(') depth++;
      else if (c === ']' || (c === ')' && depth > 0)) depth--;
      else if (depth === 0 && (c === ',' || c === ')' || c === ' ')) break;
      j++;
    }
    const text = s.slice(start, j);
    const p = parseJsonPath(text);
    if (!p.ok) this.fail(start + p.error.offset, p.error.length, p.error.message);
    this.i = j;
    return { kind: 'path', path: p.value, offset: start, length: j - start };
  }
}

/**
 * Parses an intrinsic function call. The whole text must be one call (surrounding whitespace
 * is tolerated); every argument carries its offset inside `text`.
 */
export function parseIntrinsic(text: string): Parsed<IntrinsicCall> {
  if (typeof text !== 'string')
    return { ok: false, error: { offset: 0, length: 1, message: 'An intrinsic function must be a string.' } };
  const p = new IntrinsicParser(text);
  try {
    p.ws();
    const call = p.call(1);
    p.ws();
    if (p.i < text.length)
      p.fail(p.i, text.length - p.i, `Unexpected text after the closing ')': '${text.slice(p.i)}'.`);
    return { ok: true, value: call };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}
