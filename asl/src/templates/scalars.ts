/**
 * Decoding host strings character by character into a MapBuilder: JSON strings and the YAML
 * scalar styles a definition is written in (block literal, double and single quoted, plain).
 * Each decoder checks its result against the parser's own value and returns false when they
 * differ, so a shape it does not follow exactly falls back to a rough map rather than a wrong one.
 */
import type { Encoder } from './offsetMap';
import { MapBuilder } from './offsetMap';

export type ScalarStyle = 'json' | 'plain' | 'double' | 'single' | 'literal' | 'folded';

/** Escapes text for the inside of a JSON (or YAML double-quoted) string. */
export const encodeJsonString: Encoder = (text) => JSON.stringify(text).slice(1, -1);

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
/** Escapes YAML double-quoted strings add to JSON's. */
const YAML_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  v: '\v',
  e: '\x1b',
  ' ': ' ',
  '\t': '\t',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** What ends a run of literal characters in each quoting style. */
const SINGLE_SPECIAL = /[' \t\r\n]/g;
const DOUBLE_SPECIAL_YAML = /["\\ \t\r\n]/g;
const PLAIN_SPECIAL = /[ \t\r\n]/g;
const DOUBLE_SPECIAL_JSON = /["\\]/g;

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

/**
 * Decodes the quoted scalar host[start..end) (quotes included) into `b`; `yaml` adds YAML's
 * escapes and line folding. Returns false on anything it does not understand.
 */
function decodeQuoted(
  host: string,
  start: number,
  end: number,
  b: MapBuilder,
  quote: '"' | "'",
  yaml: boolean,
): boolean {
  if (host[start] !== quote || host[end - 1] !== quote || end - start < 2) return false;
  let i = start + 1;
  const stop = end - 1;
  while (i < stop) {
    const c = host[i];
    if (yaml && (isBlank(c) || isBreak(c))) {
      i = whiteSpace(host, i, stop, b);
      continue;
    }
    // a run of characters written as themselves, copied at once
    const special = quote === "'" ? SINGLE_SPECIAL : yaml ? DOUBLE_SPECIAL_YAML : DOUBLE_SPECIAL_JSON;
    special.lastIndex = i;
    const next = special.exec(host);
    const j = next && next.index < stop ? next.index : stop;
    if (j > i) {
      b.copy(host.slice(i, j), i);
      i = j;
      continue;
    }
    if (quote === "'") {
      if (host[i + 1] !== "'" || i + 1 >= stop) return false;
      b.char("'", i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '\\') return false;
    const e = host[i + 1];
    if (e === undefined || i + 1 >= stop) return false;
    if (e in SIMPLE_ESCAPES) {
      b.char(SIMPLE_ESCAPES[e], i, i + 2);
      i += 2;
    } else if (e === 'u' || (yaml && (e === 'x' || e === 'U'))) {
      const digits = e === 'u' ? 4 : e === 'x' ? 2 : 8;
      const hex = host.slice(i + 2, i + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return false;
      const s = String.fromCodePoint(parseInt(hex, 16));
      for (const unit of s.length === 2 ? [s[0], s[1]] : [s]) b.char(unit, i, i + 2 + digits);
      i += 2 + digits;
    } else if (yaml && e in YAML_ESCAPES) {
      b.char(YAML_ESCAPES[e], i, i + 2);
      i += 2;
    } else if (yaml && isBreak(e)) {
      // an escaped line break joins the lines without a space
      let j = i + 1;
      j += host[j] === '\r' && host[j + 1] === '\n' ? 2 : 1;
      while (j < stop && isBlank(host[j])) j++;
      i = j;
    } else return false;
  }
  return true;
}

/**
 * White space at `i` in a flow scalar: kept inside a line; before a line break dropped, and
 * the break folded (https://yaml.org/spec/1.2.2/#73-flow-scalar-styles). Returns the offset after it.
 */
function whiteSpace(host: string, i: number, stop: number, b: MapBuilder): number {
  let j = i;
  while (j < stop && isBlank(host[j])) j++;
  if (j < stop && isBreak(host[j])) return fold(host, j, stop, b);
  b.copy(host.slice(i, j), i);
  return j;
}

/**
 * Folds the line break at `i` (and the empty lines after it) the way flow scalars do: one
 * break becomes a space, n further empty lines become n line feeds; the next line's leading
 * white space is dropped. Returns the offset of the next content character.
 */
function fold(host: string, i: number, stop: number, b: MapBuilder): number {
  const lineEnd = (k: number) => (host[k] === '\r' && host[k + 1] === '\n' ? k + 2 : k + 1);
  let j = lineEnd(i);
  const breaks: [number, number][] = [];
  for (;;) {
    let k = j;
    while (k < stop && isBlank(host[k])) k++;
    if (k < stop && isBreak(host[k])) {
      breaks.push([j, lineEnd(k)]);
      j = lineEnd(k);
      continue;
    }
    if (!breaks.length) b.char(' ', i, k);
    else for (const [s, e] of breaks) b.char('\n', s, e);
    return k;
  }
}

/**
 * A JSON string host[start..end) (quotes included), with its region. Maps the runs between
 * escapes without building the text piece by piece: the parser's value is the text, once
 * the mapped length agrees with it.
 */
export function decodeJsonString(host: string, start: number, end: number, b: MapBuilder, expected: string): boolean {
  if (host[start] !== '"' || host[end - 1] !== '"' || end - start < 2) return false;
  b.begin(start + 1, encodeJsonString);
  const stop = end - 1;
  let i = start + 1;
  let ok = true;
  while (i < stop) {
    let j = host.indexOf('\\', i);
    if (j < 0 || j > stop) j = stop;
    if (j > i) b.mapLinear(i, j - i);
    if (j >= stop) break;
    const e = host[j + 1];
    // \uXXXX is one UTF-16 unit in JSON, a surrogate pair is two escapes
    const width = e === 'u' && /^[0-9a-fA-F]{4}$/.test(host.slice(j + 2, j + 6)) ? 6 : e in SIMPLE_ESCAPES ? 2 : 0;
    if (!width || j + width > stop) {
      ok = false;
      break;
    }
    b.mapFixed(j, j + width);
    i = j + width;
  }
  if (!ok || !b.fillText(expected)) {
    b.discardOpen();
    return false;
  }
  b.end(stop);
  return true;
}

/**
 * A YAML scalar (its range from the yaml package: [start, valueEnd)), decoded into `b` as
 * one editable region. Block folded scalars and explicit indentation indicators are not
 * decoded (false).
 */
export function decodeYamlScalar(
  host: string,
  style: ScalarStyle,
  start: number,
  end: number,
  b: MapBuilder,
  expected: string,
): boolean {
  switch (style) {
    case 'double':
      return decodeRegion(b, start + 1, end - 1, encodeJsonString, expected, () =>
        decodeQuoted(host, start, end, b, '"', true),
      );
    case 'single':
      return decodeRegion(
        b,
        start + 1,
        end - 1,
        (t) => (t.includes('\n') ? undefined : t.replace(/'/g, "''")),
        expected,
        () => decodeQuoted(host, start, end, b, "'", true),
      );
    case 'plain':
      return decodeRegion(
        b,
        start,
        end,
        (t) => (/\n|: | #|^[\s'"[\]{}>|*&!%@`#,?:-]/.test(t) ? undefined : t),
        expected,
        () => decodePlain(host, start, end, b),
      );
    case 'literal':
      return decodeLiteral(host, start, end, b, expected);
    default:
      return false;
  }
}

function decodePlain(host: string, start: number, end: number, b: MapBuilder): boolean {
  let i = start;
  while (i < end) {
    const c = host[i];
    if (isBlank(c) || isBreak(c)) {
      i = whiteSpace(host, i, end, b);
      continue;
    }
    PLAIN_SPECIAL.lastIndex = i;
    const next = PLAIN_SPECIAL.exec(host);
    const j = next && next.index < end ? next.index : end;
    b.copy(host.slice(i, j), i);
    i = j;
  }
  return true;
}

/** A block literal `|`, `|-` or `|+` (header at `start`). */
function decodeLiteral(host: string, start: number, end: number, b: MapBuilder, expected: string): boolean {
  const header = /^\|([+-]?)[ \t]*(#[^\n]*)?\r?\n/.exec(host.slice(start, Math.min(end, start + 200)));
  if (!header) return false;
  const chomp = header[1];
  const bodyStart = start + header[0].length;
  // the indentation of the first non-empty line
  const firstContent = /^(?:[ ]*\r?\n)*([ ]*)/.exec(host.slice(bodyStart, end));
  const indent = firstContent ? firstContent[1].length : 0;
  const pad = '\n' + ' '.repeat(indent);
  const encode: Encoder = (t) => t.replace(/\n/g, pad);
  return decodeRegion(b, bodyStart + indent, end, encode, expected, () => {
    let i = bodyStart;
    while (i < end) {
      let nl = host.indexOf('\n', i);
      if (nl < 0 || nl >= end) nl = end;
      const lineEnd = host[nl - 1] === '\r' ? nl - 1 : nl;
      const line = host.slice(i, lineEnd);
      if (/^ *$/.test(line)) {
        // an empty line: what it has beyond the indentation is content
        if (line.length > indent) b.copy(line.slice(indent), i + indent);
      } else b.copy(line.slice(indent), i + indent);
      if (nl < end) {
        b.char('\n', lineEnd, nl + 1);
        i = nl + 1;
      } else break;
    }
    // chomping: strip drops every final line break, clip keeps one, keep keeps them all
    const text = b.openText();
    let finalBreaks = 0;
    while (finalBreaks < text.length && text[text.length - 1 - finalBreaks] === '\n') finalBreaks++;
    if (chomp === '-') b.truncate(finalBreaks);
    else if (chomp === '') b.truncate(Math.max(0, finalBreaks - 1));
    return true;
  });
}

/** Runs `decode` inside a region and checks the result against `expected`. */
function decodeRegion(
  b: MapBuilder,
  hStart: number,
  hEnd: number,
  encode: Encoder,
  expected: string,
  decode: () => boolean,
): boolean {
  b.begin(hStart, encode);
  let ok = false;
  try {
    ok = decode() && b.openText() === expected;
  } catch {
    ok = false;
  }
  if (!ok) {
    b.discardOpen();
    return false;
  }
  b.end(hEnd);
  return true;
}
