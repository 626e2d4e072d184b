/**
 * A position-keeping parser for the part of HCL native syntax that Terraform files use around
 * a state machine: bodies of attributes and blocks, and expressions (objects, tuples, quoted
 * and heredoc templates with `${…}` interpolations and `%{…}` directives, numbers, `true` /
 * `false` / `null`, function calls, traversals). Operators, conditionals, `for` expressions and
 * splats are kept as opaque expressions with their extent: the state machine finder never
 * needs their meaning, only where they start and end.
 *
 * Hand-written rather than a package because the HCL parsers on npm either drop positions
 * (they convert HCL to JSON) or need a native build. Every offset is a UTF-16 offset into the
 * text given. Linear in the input; never throws: problems become `HclProblem`s and parsing
 * resumes at the next line of the enclosing body.
 */
import { CLOSERS, isDigit, isIdPart, isIdStart, Lexer } from './hclLexer';
import type { Attribute, BodyItem, Expr, HclFile, HclProblem, ObjectItem, TemplatePart, TupleItem } from './hclSyntax';

/** Beyond this nesting, an expression is skipped as opaque (keeps recursion bounded). */
const MAX_DEPTH = 200;

export function parseHcl(text: string): HclFile {
  return new Parser(text).file();
}

class Parser extends Lexer {
  file(): HclFile {
    const body = this.body(false);
    return { body, problems: this.problems };
  }

  /** Attributes and blocks until `}` (when `inBlock`) or the end. */
  body(inBlock: boolean): BodyItem[] {
    const items: BodyItem[] = [];
    for (;;) {
      this.ws(true);
      const c = this.code();
      if (c < 0) return items;
      if (c === 125) {
        if (inBlock) return items;
        this.problem(this.pos, this.pos + 1, "Unexpected '}'.");
        this.pos++;
        continue;
      }
      const start = this.pos;
      const name = this.ident();
      if (name === undefined) {
        this.problem(start, start + 1, 'Expected an attribute or a block.');
        this.recoverLine();
        continue;
      }
      this.ws(false);
      if (this.code() === 61 && this.code(this.pos + 1) !== 61) {
        this.pos++;
        this.ws(false);
        const expr = this.expr(false);
        items.push({ kind: 'attribute', name, nameStart: start, expr, start, end: this.pos });
        this.endOfLine(inBlock);
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        const lc = this.code();
        if (lc === 34) {
          const ls = this.pos;
          this.template(this.depth);
          labels.push(this.text.slice(ls + 1, this.text[this.pos - 1] === '"' ? this.pos - 1 : this.pos));
        } else if (isIdStart(lc)) labels.push(this.ident()!);
        else break;
        this.ws(false);
      }
      if (this.code() !== 123) {
        this.problem(start, this.pos, `Expected '=' or '{' after '${name}'.`);
        this.recoverLine();
        continue;
      }
      this.pos++;
      const inner = this.body(true);
      if (this.code() === 125) this.pos++;
      else this.problem(start, this.pos, `Block '${name}' is not closed.`);
      items.push({ kind: 'block', type: name, labels, body: inner, start, end: this.pos });
      this.endOfLine(inBlock);
    }
  }

  endOfLine(inBlock: boolean) {
    this.ws(false);
    const c = this.code();
    if (c < 0 || c === 10 || (inBlock && c === 125)) return;
    this.problem(this.pos, this.pos + 1, 'Expected a new line.');
    this.recoverLine();
  }

  /** Skips to the end of the line, over brackets, strings and heredocs, stopping before an unmatched `}`. */
  recoverLine() {
    this.skip(true, false);
    const c = this.code();
    // a stray ']' or ')' is consumed so the loop always moves; '}' belongs to the enclosing block
    if (c === 10 || c === 93 || c === 41) this.pos++;
  }

  expr(nl: boolean): Expr | undefined {
    if (this.depth >= MAX_DEPTH) {
      const start = this.pos;
      this.skip(!nl);
      return this.pos > start ? { kind: 'other', start, end: this.pos } : undefined;
    }
    this.depth++;
    try {
      return this.binary(nl);
    } finally {
      this.depth--;
    }
  }

  binary(nl: boolean): Expr | undefined {
    const start = this.pos;
    const first = this.unary(nl);
    if (!first) return undefined;
    let end = this.pos;
    let compound = false;
    for (;;) {
      this.ws(nl);
      const op = this.operatorAt();
      if (op) {
        this.pos += op;
        this.ws(nl);
        if (!this.unary(nl)) break;
      } else if (this.code() === 63) {
        this.pos++;
        this.ws(true);
        this.expr(true);
        this.ws(true);
        if (this.code() !== 58) break;
        this.pos++;
        this.ws(true);
        if (!this.expr(nl)) break;
      } else break;
      compound = true;
      end = this.pos;
    }
    this.pos = end;
    return compound ? { kind: 'other', start, end } : first;
  }

  /** The length of the binary operator at pos (`==`, `!=`, `<=`, `>=`, `&&`, `||`, `+ - * / % < >`), else 0. */
  operatorAt(): number {
    const c = this.code();
    const d = this.code(this.pos + 1);
    switch (c) {
      case 61: // =
        return d === 61 ? 2 : 0;
      case 33: // !
        return d === 61 ? 2 : 0;
      case 38: // &
        return d === 38 ? 2 : 0;
      case 124: // |
        return d === 124 ? 2 : 0;
      case 60: // <
      case 62: // >
        // `<<` starts a heredoc, not an operator
        return d === 61 ? 2 : c === 60 && d === 60 ? 0 : 1;
      case 47: // / but not a comment
        return d === 47 || d === 42 ? 0 : 1;
      case 43:
      case 45:
      case 42:
      case 37:
        return 1;
      default:
        return 0;
    }
  }

  unary(nl: boolean): Expr | undefined {
    const start = this.pos;
    // prefix operators in a loop: a long run of them must not deepen the recursion
    let negated = false;
    let ops = 0;
    for (let c = this.code(); c === 45 || c === 33; c = this.code()) {
      negated = ops === 0 && c === 45;
      ops++;
      this.pos++;
      this.ws(nl);
    }
    const operand = this.postfix();
    if (!operand || !ops) return operand;
    return { kind: negated && ops === 1 && operand.kind === 'number' ? 'number' : 'other', start, end: this.pos };
  }

  postfix(): Expr | undefined {
    const first = this.primary();
    if (!first) return undefined;
    let e: Expr = first;
    for (;;) {
      const c = this.code();
      const save = this.pos;
      if (c === 46) {
        this.pos++;
        if (this.code() === 42) this.pos++;
        else if (this.ident() === undefined) {
          if (!isDigit(this.code())) {
            this.pos = save;
            break;
          }
          while (isDigit(this.code())) this.pos++;
        }
      } else if (c === 91) {
        this.pos++;
        this.ws(true);
        if (this.code() === 42) this.pos++;
        else this.expr(true);
        this.ws(true);
        if (this.code() === 93) this.pos++;
        else this.problem(save, this.pos, "Expected ']'.");
      } else break;
      e = { kind: e.kind === 'traversal' ? 'traversal' : 'other', start: first.start, end: this.pos };
    }
    return e;
  }

  primary(): Expr | undefined {
    const start = this.pos;
    const c = this.code();
    if (c === 123) return this.object();
    if (c === 91) return this.tuple();
    if (c === 34) return this.template(this.depth);
    if (c === 60 && this.code(start + 1) === 60) {
      if (this.heredocHeader()) {
        this.pos = start;
        return this.template(this.depth);
      }
      this.pos = start;
    }
    if (c === 40) {
      this.pos++;
      this.ws(true);
      this.expr(true);
      this.ws(true);
      if (this.code() === 41) this.pos++;
      else this.problem(start, this.pos, "Expected ')'.");
      return { kind: 'other', start, end: this.pos };
    }
    if (isDigit(c)) {
      while (isDigit(this.code())) this.pos++;
      if (this.code() === 46 && isDigit(this.code(this.pos + 1))) {
        this.pos++;
        while (isDigit(this.code())) this.pos++;
      }
      const e = this.code();
      if (e === 69 || e === 101) {
        let p = this.pos + 1;
        if (this.code(p) === 43 || this.code(p) === 45) p++;
        if (isDigit(this.code(p))) {
          this.pos = p;
          while (isDigit(this.code())) this.pos++;
        }
      }
      return { kind: 'number', start, end: this.pos };
    }
    let name = this.ident();
    if (name === undefined) return undefined;
    while (this.text.startsWith('::', this.pos) && isIdStart(this.code(this.pos + 2))) {
      this.pos += 2;
      name += '::' + this.ident()!;
    }
    if (this.code() === 40) return this.call(name, start);
    if (name === 'true' || name === 'false') return { kind: 'keyword', value: name === 'true', start, end: this.pos };
    if (name === 'null') return { kind: 'keyword', value: null, start, end: this.pos };
    return { kind: 'traversal', start, end: this.pos };
  }

  call(name: string, start: number): Expr {
    this.pos++;
    const args: Expr[] = [];
    for (;;) {
      this.ws(true);
      const c = this.code();
      if (c === 41) {
        this.pos++;
        break;
      }
      const at = this.pos;
      const arg = this.expr(true);
      if (arg) args.push(arg);
      this.ws(true);
      if (this.text.startsWith('...', this.pos)) {
        this.pos += 3;
        this.ws(true);
      }
      if (this.code() === 44) {
        this.pos++;
        continue;
      }
      if (this.code() === 41) continue;
      this.problem(at, this.pos, `Expected ',' or ')' in the call of '${name}'.`);
      if (!this.skipTo(41)) break;
    }
    return { kind: 'call', name, args, start, end: this.pos };
  }

  /**
   * After a problem inside brackets: skips to the next item (past a `,`, or to a new line when
   * `atNewline`) or to the closer `close`. False when something else ends the construct.
   */
  skipTo(close: number, atNewline = false): boolean {
    this.skip(atNewline);
    const c = this.code();
    if (c === 44) {
      this.pos++;
      return true;
    }
    return c === close || (atNewline && c === 10);
  }

  object(): Expr {
    const start = this.pos++;
    const items: ObjectItem[] = [];
    this.ws(true);
    if (this.startsFor()) return this.opaqueBracketed(start);
    let closed: boolean | undefined;
    while ((closed = this.listEnd(125)) === undefined) {
      const at = this.pos;
      const key = this.keyExpr();
      if (!key) {
        this.problem(at, at + 1, 'Expected an object key.');
        if (!this.skipTo(125, true)) break;
        continue;
      }
      const item: ObjectItem = { key };
      items.push(item);
      this.ws(false);
      const s = this.code();
      if ((s === 61 && this.code(this.pos + 1) !== 61 && this.code(this.pos + 1) !== 62) || s === 58) {
        item.sep = this.pos++;
        this.ws(false);
        item.value = this.expr(false);
      }
      if (!item.value) {
        this.problem(at, this.pos, "Expected '=' and a value.");
        if (!this.skipTo(125, true)) break;
        continue;
      }
      this.ws(false);
      const n = this.code();
      if (n === 44) item.comma = this.pos++;
      else if (n !== 10 && n !== 125) {
        this.problem(this.pos, this.pos + 1, "Expected ',', a new line or '}'.");
        if (!this.skipTo(125, true)) break;
      }
    }
    if (!closed) this.problem(start, this.pos, 'Object is not closed.');
    return { kind: 'object', items, closed: !!closed, start, end: this.pos };
  }

  /**
   * Before an item of an object or a list: true past its closer `close`, false at the end of
   * the text, undefined when an item follows.
   */
  listEnd(close: number): boolean | undefined {
    this.ws(true);
    const c = this.code();
    if (c === close) {
      this.pos++;
      return true;
    }
    return c < 0 ? false : undefined;
  }

  /** An object key: an identifier, a quoted string, or a parenthesised / other expression. */
  keyExpr(): Expr | undefined {
    if (this.depth >= MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return this.postfix();
    } finally {
      this.depth--;
    }
  }

  tuple(): Expr {
    const start = this.pos++;
    const items: TupleItem[] = [];
    this.ws(true);
    if (this.startsFor()) return this.opaqueBracketed(start);
    let closed: boolean | undefined;
    while ((closed = this.listEnd(93)) === undefined) {
      const at = this.pos;
      const value = this.expr(true);
      if (!value) {
        this.problem(at, at + 1, 'Expected a value.');
        if (!this.skipTo(93)) break;
        continue;
      }
      const item: TupleItem = { value };
      items.push(item);
      this.ws(true);
      if (this.code() === 44) item.comma = this.pos++;
      else if (this.code() !== 93) {
        this.problem(this.pos, this.pos + 1, "Expected ',' or ']'.");
        if (!this.skipTo(93)) break;
      }
    }
    if (!closed) this.problem(start, this.pos, 'List is not closed.');
    return { kind: 'tuple', items, closed: !!closed, start, end: this.pos };
  }

  startsFor(): boolean {
    return this.text.startsWith('for', this.pos) && !isIdPart(this.code(this.pos + 3));
  }

  /** A `for` expression: its extent only (the opener at `start` is already consumed). */
  opaqueBracketed(start: number): Expr {
    this.pos = start;
    const before = this.pos;
    this.pos++;
    const close = CLOSERS[this.text[start]].charCodeAt(0);
    this.skip(false);
    while (this.code() === 44) {
      this.pos++;
      this.skip(false);
    }
    if (this.code() === close) this.pos++;
    else this.problem(before, this.pos, '`for` expression is not closed.');
    return { kind: 'other', start, end: this.pos };
  }
}

/** A whole file read as an HCL template (templatefile()): its literal text, interpolations and directives. */
export function parseTemplate(text: string): { parts: TemplatePart[]; problems: HclProblem[] } {
  const p = new Parser(text);
  const { parts } = p.templateParts('file', '', 0);
  return { parts, problems: p.problems };
}

/** Attributes of a body by name (the last one wins, as a duplicate is an error in Terraform anyway). */
export function attributes(body: BodyItem[]): Map<string, Attribute> {
  const out = new Map<string, Attribute>();
  for (const item of body) if (item.kind === 'attribute') out.set(item.name, item);
  return out;
}
