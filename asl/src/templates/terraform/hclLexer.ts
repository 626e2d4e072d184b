/**
 * The lexical layer of the HCL parser (hcl.ts): blanks and comments, identifiers, quoted and
 * heredoc templates with their `${…}` interpolations and `%{…}` directives, and the skipping
 * of an expression whose meaning is not needed (past the nesting limit, or to recover after a
 * problem). The expression inside an interpolation is left to the parser (`expr`).
 */
import type { Expr, HclProblem, HeredocInfo, TemplatePart } from './hclSyntax';

export const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
export const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57) || c === 45;
export const isDigit = (c: number) => c >= 48 && c <= 57;

export const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

export abstract class Lexer {
  pos = 0;
  depth = 0;
  readonly problems: HclProblem[] = [];
  constructor(readonly text: string) {}

  /** An expression from pos (an interpolation's content); newlines are blanks when `nl`. */
  abstract expr(nl: boolean): Expr | undefined;

  problem(start: number, end: number, message: string) {
    // one problem per place is enough; a run of garbage must not flood the list
    const last = this.problems[this.problems.length - 1];
    if (last && last.end >= start) return;
    const n = this.text.length;
    this.problems.push({ start: Math.min(start, n), end: Math.min(Math.max(end, start), n), message });
  }

  code(i = this.pos): number {
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  /** Skips blanks and comments; newlines too when `nl`. A block comment may span lines. */
  ws(nl: boolean) {
    const t = this.text;
    for (;;) {
      const c = this.code();
      if (c === 32 || c === 9 || c === 13 || (nl && c === 10)) this.pos++;
      else if (c === 35 || (c === 47 && this.code(this.pos + 1) === 47)) {
        const e = t.indexOf('\n', this.pos);
        this.pos = e < 0 ? t.length : e;
      } else if (c === 47 && this.code(this.pos + 1) === 42) {
        const e = t.indexOf('*/', this.pos + 2);
        this.pos = e < 0 ? t.length : e + 2;
      } else return;
    }
  }

  ident(): string | undefined {
    const s = this.pos;
    if (!isIdStart(this.code())) return undefined;
    this.pos++;
    while (isIdPart(this.code())) this.pos++;
    return this.text.slice(s, this.pos);
  }

  /**
   * Iteratively skips an expression (or the rest of a line) over nested brackets, quoted
   * strings with interpolations and heredocs. Stops at depth 0 before `,`, an unmatched
   * closer or (when `atNewline`) a newline. Used past MAX_DEPTH and for recovery.
   */
  skip(atNewline: boolean, atComma = true) {
    const t = this.text;
    const stack: string[] = [];
    // how many of each closer the stack holds: an unmatched closer is found without a scan
    const open: Record<string, number> = { '}': 0, ']': 0, ')': 0, '"': 0 };
    while (this.pos < t.length) {
      const ch = t[this.pos];
      const top = stack[stack.length - 1];
      if (top === '"') {
        if (ch === '\\') this.pos += 2;
        else if (ch === '"' || ch === '\n') {
          // a line break ends an unclosed string too (and stays to end the line)
          open[stack.pop()!]--;
          if (ch === '"') this.pos++;
        } else if ((ch === '$' || ch === '%') && t[this.pos + 1] === '{') {
          stack.push('}');
          open['}']++;
          this.pos += 2;
        } else this.pos++;
        continue;
      }
      if (
        !stack.length &&
        ((atComma && ch === ',') || ch === '}' || ch === ']' || ch === ')' || (atNewline && ch === '\n'))
      )
        return;
      if (ch === '"' || ch === '{' || ch === '[' || ch === '(') {
        const closer = ch === '"' ? ch : CLOSERS[ch];
        stack.push(closer);
        open[closer]++;
      } else if (ch === '}' || ch === ']' || ch === ')') {
        // pop to the matching opener; an unmatched closer inside is ignored
        if (open[ch] > 0) {
          let top: string;
          do open[(top = stack.pop()!)]--;
          while (top !== ch);
        }
      } else if (ch === '#' || (ch === '/' && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*'))) {
        this.ws(false);
        continue;
      } else if (ch === '<' && t[this.pos + 1] === '<') {
        const s = this.pos;
        const h = this.heredocHeader();
        if (h) {
          this.skipHeredocBody(h.marker);
          continue;
        }
        this.pos = s;
      }
      this.pos++;
    }
  }

  /** Past a heredoc header: to the end of its closing line (interpolations are not looked into). */
  skipHeredocBody(marker: string) {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const end = this.closingLine(i, marker);
      if (end !== undefined) {
        this.pos = end;
        return;
      }
      const nl = t.indexOf('\n', i);
      if (nl < 0) {
        this.pos = t.length;
        return;
      }
      i = nl + 1;
    }
  }

  /** At `<<`: reads `<<ID` / `<<-ID` and the newline; leaves pos after it. */
  heredocHeader(): { marker: string; indented: boolean } | undefined {
    this.pos += 2;
    const indented = this.code() === 45;
    if (indented) this.pos++;
    const marker = this.ident();
    if (marker === undefined) return undefined;
    while (this.code() === 32 || this.code() === 9 || this.code() === 13) this.pos++;
    if (this.code() !== 10) return undefined;
    this.pos++;
    return { marker, indented };
  }

  /** Whether a heredoc closing line (`  MARKER`) starts at `i`; returns its end. */
  closingLine(i: number, marker: string): number | undefined {
    const t = this.text;
    while (t[i] === ' ' || t[i] === '\t') i++;
    if (!t.startsWith(marker, i)) return undefined;
    i += marker.length;
    while (t[i] === ' ' || t[i] === '\t' || t[i] === '\r') i++;
    return i >= t.length || t[i] === '\n' ? i : undefined;
  }

  /** A quoted template (at `"`) or a heredoc (at `<<`). `depth` guards nested expressions. */
  template(depth: number): Expr {
    const start = this.pos;
    let heredoc: HeredocInfo | undefined;
    let marker = '';
    if (this.text[start] === '<') {
      const h = this.heredocHeader()!;
      marker = h.marker;
      heredoc = { indented: h.indented, bodyStart: this.pos, bodyEnd: this.text.length };
    } else this.pos++;
    const { parts, closed, bodyEnd } = this.templateParts(heredoc ? 'heredoc' : 'quoted', marker, depth);
    if (heredoc) heredoc.bodyEnd = bodyEnd;
    if (!closed)
      this.problem(start, this.pos, heredoc ? `Heredoc is not closed by '${marker}'.` : 'String is not closed.');
    return { kind: 'template', parts, heredoc, closed, start, end: this.pos };
  }

  /**
   * The parts of a template body from pos: a quoted string's (ends at `"`), a heredoc's (ends
   * at the line holding `marker`) or a whole template file's (ends at the end).
   */
  templateParts(mode: 'quoted' | 'heredoc' | 'file', marker: string, depth: number) {
    const t = this.text;
    const quoted = mode === 'quoted';
    const parts: TemplatePart[] = [];
    let lit = this.pos;
    let closed = false;
    let bodyEnd = t.length;

    const savedDepth = this.depth;
    this.depth = depth;
    let lineStart = mode === 'heredoc';
    while (this.pos < t.length) {
      if (lineStart) {
        const end = this.closingLine(this.pos, marker);
        if (end !== undefined) {
          if (this.pos > lit) parts.push({ kind: 'literal', start: lit, end: this.pos });
          bodyEnd = this.pos;
          this.pos = end;
          closed = true;
          break;
        }
      }
      const ch = t[this.pos];
      lineStart = mode === 'heredoc' && ch === '\n';
      if (quoted && (ch === '"' || ch === '\n')) {
        if (this.pos > lit) parts.push({ kind: 'literal', start: lit, end: this.pos });
        bodyEnd = this.pos;
        if (ch === '"') {
          this.pos++;
          closed = true;
        }
        break;
      }
      if (quoted && ch === '\\') {
        this.pos += 2;
        continue;
      }
      if ((ch === '$' || ch === '%') && t[this.pos + 1] === ch && t[this.pos + 2] === '{') {
        this.pos += 3;
        continue;
      }
      if ((ch === '$' || ch === '%') && t[this.pos + 1] === '{') {
        if (this.pos > lit) parts.push({ kind: 'literal', start: lit, end: this.pos });
        const s = this.pos;
        this.pos += 2;
        if (this.code() === 126) this.pos++;
        this.ws(true);
        let expr: Expr | undefined;
        if (ch === '$') expr = this.expr(true);
        this.skip(false);
        if (this.code() === 125) this.pos++;
        else this.problem(s, this.pos, `'${ch}{' is not closed.`);
        parts.push(
          ch === '$'
            ? { kind: 'interp', expr, start: s, end: this.pos }
            : { kind: 'directive', start: s, end: this.pos },
        );
        lit = this.pos;
        lineStart = mode === 'heredoc' && t[this.pos - 1] === '\n';
        continue;
      }
      this.pos++;
    }
    this.depth = savedDepth;
    if (!closed) {
      // ended by the end of the text (a quoted string's line break already ended its literal)
      const end = Math.min(this.pos, t.length);
      if (end > lit && !(quoted && t[end] === '\n')) parts.push({ kind: 'literal', start: lit, end });
      bodyEnd = end;
      closed = mode === 'file';
    }
    return { parts, closed, bodyEnd };
  }
}
