/**
 * From HCL to the virtual ASL text: a `jsonencode` object laid out like the HCL, or the
 * decoded text of a template holding JSON, every character mapped to the host text it comes
 * from, with Terraform expressions written as `${name}` placeholders.
 */
import type { Placeholder, PlaceholderKind } from '../types';
import type { Expr, HeredocInfo, ObjectItem, TemplatePart, TupleItem } from './hclSyntax';
import { RunBuilder } from './runMap';
import { encodeJsonString } from '../scalars';

/** Where placeholders of Terraform expressions come from, for hover and messages. */
export const TERRAFORM_ORIGIN = 'Terraform expression';
/** Where placeholders of a templatefile() template come from. */
export const TEMPLATEFILE_ORIGIN = 'templatefile() variable';

/** Longest placeholder name made from an expression's text. */
const MAX_NAME = 60;

/** A placeholder name the substitution rules read as one (asl/src/substitutions.ts) and JSON needs no escape for. */
const PLAIN_NAME = /^[^${}\s"\\\x00-\x1f]+$/;

/** What the host says about a placeholder `name` written as `e`. */
export type Classify = (name: string, e: Expr | undefined) => { defined: boolean; kind: PlaceholderKind };

/** How the host writes a string of the virtual text; `Virtual.strings` stores the index. */
export const STYLES = ['bare', 'quoted', 'heredoc'] as const;

/** A placeholder written into the virtual text, with the HCL it stands for. */
export interface Reference {
  /** virtual range that stands for the HCL expression: `${name}`, or `"${name}"` when the quotes are not in the host */
  start: number;
  end: number;
  name: string;
  /** the expression as written */
  source: string;
  /** the quotes around it are the virtual text's, not the host's */
  bare: boolean;
}

/** Placeholder name for an expression: its text when that is a usable name, else a shortened form. */
function nameOf(host: string, e: Expr | undefined, start: number, end: number): string {
  const text = host.slice(e?.start ?? start, e?.end ?? end).trim();
  if (e?.kind === 'call') return `${e.name}(…)`;
  const compact = text.replace(/\s+/g, '');
  if (PLAIN_NAME.test(compact) && compact.length <= MAX_NAME) return compact;
  const cleaned = compact.replace(/[${}"\\\x00-\x1f]/g, '');
  if (!cleaned) return 'expression';
  return cleaned.length > MAX_NAME ? cleaned.slice(0, MAX_NAME - 1) + '…' : cleaned;
}

const STRING_FUNCTIONS = new Set([
  'format',
  'join',
  'replace',
  'lower',
  'upper',
  'trimspace',
  'tostring',
  'substr',
  'title',
]);
const NUMBER_FUNCTIONS = new Set(['tonumber', 'max', 'min', 'floor', 'ceil', 'abs', 'length']);

/** What an expression's value is known to be: `*.arn` and `*_arn` references are ARNs. */
export function kindOf(host: string, e: Expr | undefined): PlaceholderKind {
  if (!e) return 'unknown';
  if (e.kind === 'call') {
    if (STRING_FUNCTIONS.has(e.name)) return 'string';
    if (NUMBER_FUNCTIONS.has(e.name)) return 'number';
    return 'unknown';
  }
  if (e.kind === 'traversal' && /(^|[._])arn$/.test(host.slice(e.start, e.end))) return 'arn';
  return 'unknown';
}

const HCL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Collects the virtual text and what it is made of. */
export class Virtual {
  readonly b = new RunBuilder();
  /**
   * The strings, five numbers each (open, close, style index, host start, host end): a large
   * definition has one per key and value, and numbers cost the garbage collector less than objects.
   */
  readonly strings: number[] = [];
  readonly refs: Reference[] = [];
  readonly placeholders: Placeholder[] = [];
  readonly directives: { start: number; end: number }[] = [];
  /** JSON string state of the text written so far (followed only for templates holding JSON) */
  inString = false;
  private escaped = false;

  constructor(
    readonly host: string,
    /** what the host says about a placeholder (templatefile variables); default: a defined Terraform expression */
    readonly classify?: Classify,
    readonly origin = TERRAFORM_ORIGIN,
    /** expressions known to be lists (variables typed `list(…)`): written as a one-item JSON array */
    readonly isList?: (e: Expr) => boolean,
    /** follow the JSON string state (a template holding JSON text) */
    readonly track = false,
  ) {}

  private scan(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.escaped) this.escaped = false;
      else if (this.inString && c === 92) this.escaped = true;
      else if (c === 34) this.inString = !this.inString;
    }
  }

  /** `text` standing one to one for host characters from `hStart`. */
  linear(text: string, hStart: number) {
    if (this.track) this.scan(text);
    this.b.linearRun(text, hStart);
  }

  /** `text`, each character standing for the whole host span [hStart, hEnd). */
  fixed(text: string, hStart: number, hEnd: number) {
    if (this.track) this.scan(text);
    this.b.fixed(text, hStart, hEnd);
  }

  /** One virtual character standing for host [hStart, hEnd). */
  char(c: string, hStart: number, hEnd: number) {
    if (hEnd - hStart === 1) this.linear(c, hStart);
    else this.fixed(c, hStart, hEnd);
  }

  /** Host characters copied one to one. */
  copy(from: number, to: number) {
    if (to > from) this.linear(this.host.slice(from, to), from);
  }

  /** Host text between tokens: white space kept, anything else (comments, stray commas) blanked. */
  gap(from: number, to: number) {
    if (to <= from) return;
    const text = this.host.slice(from, to);
    this.linear(/[^ \t\r\n]/.test(text) ? text.replace(/[^ \t\r\n]/g, ' ') : text, from);
  }

  /** `${name}` (quoted when `quote`) for the expression at host [hStart, hEnd). */
  reference(e: Expr | undefined, hStart: number, hEnd: number, quote: boolean, sourceStart = hStart, sourceEnd = hEnd) {
    const name = nameOf(this.host, e, sourceStart, sourceEnd);
    const at = this.b.length;
    const text = quote ? `"\${${name}}"` : `\${${name}}`;
    this.fixed(text, hStart, hEnd);
    const start = quote ? at + 1 : at;
    const end = start + name.length + 3;
    const source = this.host.slice(e?.start ?? sourceStart, e?.end ?? sourceEnd).trim();
    this.refs.push({ start: at, end: at + text.length, name, source, bare: quote });
    const known = this.classify?.(name, e);
    this.placeholders.push({
      name,
      start,
      end,
      kind: known ? known.kind : kindOf(this.host, e),
      defined: known ? known.defined : true,
      origin: this.origin,
    });
  }

  /**
   * Literal template text host[from, to), decoded; `json` writes it JSON-escaped. A quoted
   * string's backslash escapes are decoded; a heredoc has none, and `strip` leading columns
   * are dropped from each of its lines (`<<-`).
   */
  literal(from: number, to: number, json: boolean, heredoc?: { strip: number; atLineStart: boolean }) {
    const h = this.host;
    const strip = heredoc?.strip ?? 0;
    let lineStart = heredoc?.atLineStart ?? false;
    let i = from;
    // host[run, i) is copied as it is when something else has to be written
    let run = from;
    while (i < to) {
      if (lineStart && strip) {
        for (let k = 0; k < strip && i < to && (h[i] === ' ' || h[i] === '\t'); k++) i++;
        run = i;
        lineStart = false;
        continue;
      }
      const c = h.charCodeAt(i);
      lineStart = c === 10;
      if (!heredoc && c === 92) {
        const e = h[i + 1];
        // HCL's simple escapes and \u are JSON's too: copied as written
        if (json && (e in HCL_ESCAPES || (e === 'u' && /^[0-9a-fA-F]{4}$/.test(h.slice(i + 2, i + 6))))) {
          i += e === 'u' ? 6 : 2;
          continue;
        }
        this.copy(run, i);
        i = this.escape(i, to, json);
      } else if ((c === 36 || c === 37) && h.charCodeAt(i + 1) === c && h.charCodeAt(i + 2) === 123) {
        // `$${` / `%%{`: the literal `${` / `%{`
        this.copy(run, i);
        this.fixed(h[i], i, i + 2);
        this.linear('{', i + 2);
        i += 3;
      } else if (json && (c < 0x20 || c === 34 || c === 92)) {
        this.copy(run, i);
        this.decoded(h[i], i, i + 1, json);
        i++;
      } else {
        i++;
        continue;
      }
      run = i;
    }
    this.copy(run, i);
  }

  /** The backslash escape at i of a quoted string, decoded; returns the offset after it. */
  private escape(i: number, to: number, json: boolean): number {
    const h = this.host;
    const e = h[i + 1];
    if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      const hex = h.slice(i + 2, i + 2 + digits);
      if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
        const s = String.fromCodePoint(parseInt(hex, 16));
        for (const unit of s.length === 2 ? [s[0], s[1]] : [s]) this.decoded(unit, i, i + 2 + digits, json);
        return i + 2 + digits;
      }
    }
    const value = HCL_ESCAPES[e] ?? e ?? '';
    if (value) this.decoded(value, i, Math.min(to, i + 2), json);
    return i + 2;
  }

  /** One decoded character for host [hStart, hEnd), JSON-escaped when `json`. */
  decoded(c: string, hStart: number, hEnd: number, json: boolean) {
    const e = json ? encodeJsonString(c)! : c;
    if (e.length === 1) this.char(e, hStart, hEnd);
    else this.fixed(e, hStart, hEnd);
  }

  /** The parts of a template inside `jsonencode`, as the content of a JSON string. */
  stringParts(parts: TemplatePart[], heredoc: HeredocInfo | undefined) {
    const strip = heredoc?.indented ? indentOf(this.host, heredoc.bodyStart, heredoc.bodyEnd) : 0;
    for (const p of parts) {
      if (p.kind === 'literal') {
        const atLineStart = !!heredoc && (p.start === heredoc.bodyStart || this.host[p.start - 1] === '\n');
        this.literal(p.start, p.end, true, heredoc && { strip, atLineStart });
      } else if (p.kind === 'interp') {
        const inner = interpInner(this.host, p.start, p.end);
        this.reference(p.expr, p.start, p.end, false, inner.start, inner.end);
      } else this.directives.push({ start: p.start, end: p.end });
    }
  }

  /** A JSON value for an HCL expression (inside `jsonencode`). */
  value(e: Expr) {
    switch (e.kind) {
      case 'object':
      case 'tuple':
        return this.collection(e);
      case 'template':
        return this.string(e);
      case 'number':
      case 'keyword':
        // `- 1` is a number to HCL; JSON wants `-1`
        if (!/[ \t]/.test(this.host.slice(e.start, e.end))) this.copy(e.start, e.end);
        else
          for (let i = e.start; i < e.end; i++) if (this.host[i] !== ' ' && this.host[i] !== '\t') this.copy(i, i + 1);
        return;
      default:
        // a list keeps its shape, so the rules check its items rather than reject a string
        if (this.isList?.(e)) {
          this.char('[', e.start, e.end);
          this.reference(e, e.start, e.end, true);
          this.char(']', e.start, e.end);
        } else this.reference(e, e.start, e.end, true);
    }
  }

  collection(e: Extract<Expr, { kind: 'object' | 'tuple' }>) {
    const object = e.kind === 'object';
    this.char(object ? '{' : '[', e.start, e.start + 1);
    let cursor = e.start + 1;
    const items: (ObjectItem | TupleItem)[] = e.items;
    // object items the parser could not complete are left out (blanked with the gap)
    let last = items.length - 1;
    while (last >= 0 && !complete(items[last])) last--;
    for (let n = 0; n <= last; n++) {
      const item = items[n];
      if (!complete(item)) continue;
      const value = item.value!;
      if ('key' in item) {
        this.gap(cursor, item.key.start);
        this.key(item.key);
        this.gap(item.key.end, item.sep!);
        this.char(':', item.sep!, item.sep! + 1);
        cursor = item.sep! + 1;
      }
      this.gap(cursor, value.start);
      this.value(value);
      cursor = value.end;
      if (n === last) break;
      if (item.comma !== undefined) {
        this.gap(cursor, item.comma);
        this.char(',', item.comma, item.comma + 1);
        cursor = item.comma + 1;
      } else this.char(',', cursor, cursor);
    }
    const close = e.closed ? e.end - 1 : e.end;
    this.gap(cursor, close);
    this.char(object ? '}' : ']', close, e.end);
  }

  key(k: Expr) {
    if (k.kind === 'traversal' && isName(this.host, k.start, k.end)) {
      const open = this.b.length;
      this.char('"', k.start, k.start);
      this.copy(k.start, k.end);
      this.strings.push(open, this.b.length, STYLES.indexOf('bare'), k.start, k.end);
      this.char('"', k.end, k.end);
    } else if (k.kind === 'template') this.string(k);
    else this.reference(k, k.start, k.end, true);
  }

  string(e: Extract<Expr, { kind: 'template' }>) {
    const open = this.b.length;
    const h = e.heredoc;
    this.char('"', e.start, h ? h.bodyStart : e.start + 1);
    this.stringParts(e.parts, h);
    const close = this.b.length;
    this.char('"', h ? h.bodyEnd : e.closed ? e.end - 1 : e.end, e.end);
    this.strings.push(open, close, STYLES.indexOf(h ? 'heredoc' : 'quoted'), e.start, e.end);
  }

  /** Reference sources by name; a name two different expressions share is left out. */
  sources(): Map<string, Reference | undefined> {
    const out = new Map<string, Reference | undefined>();
    for (const r of this.refs) {
      const seen = out.get(r.name);
      out.set(r.name, out.has(r.name) && (!seen || seen.source !== r.source) ? undefined : r);
    }
    return out;
  }
}

/** Whether an object item was parsed whole (a key, `=` and a value). */
function complete(item: ObjectItem | TupleItem): boolean {
  return !('key' in item) || (item.sep !== undefined && item.value !== undefined);
}

/** Whether host[start, end) is a plain HCL name (a bare key), without slicing it out. */
function isName(host: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = host.charCodeAt(i);
    if (c === 46 || c === 91 || c === 42) return false;
  }
  return end > start;
}

/** The range inside `${~ … ~}`. */
export function interpInner(host: string, start: number, end: number): { start: number; end: number } {
  let s = start + 2;
  let e = host[end - 1] === '}' ? end - 1 : end;
  if (host[s] === '~') s++;
  if (e > s && host[e - 1] === '~') e--;
  return { start: s, end: Math.max(s, e) };
}

/** The common leading white space of a `<<-` heredoc's non-blank lines. */
function indentOf(host: string, start: number, end: number): number {
  let min = Infinity;
  let i = start;
  while (i < end) {
    let k = i;
    while (k < end && (host[k] === ' ' || host[k] === '\t')) k++;
    if (k < end && host[k] !== '\n' && host[k] !== '\r') min = Math.min(min, k - i);
    const nl = host.indexOf('\n', k);
    if (nl < 0 || nl >= end) break;
    i = nl + 1;
  }
  return min === Infinity ? 0 : min;
}
