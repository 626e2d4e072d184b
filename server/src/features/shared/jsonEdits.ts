/**
 * JSON edits for quick fixes, and the layout they follow, which completion reads too (the
 * indentation of a line, one indentation level). Edits are computed locally: each one looks
 * only at the container it changes (an object's properties, an array's items) and the lines
 * around it, never at the whole document, so a fix costs the same on a 20-line and on a
 * 600 KB machine. Inserted members follow the container's own layout: one member per line at
 * the siblings' indentation for multi-line containers, inline (`, "k": v`) for one-line ones
 * and minified documents; a one-line container of an indented document that receives an
 * object or array is re-laid out over several lines (only its own line is formatted).
 */
import { applyEdits, format } from 'jsonc-parser';
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';

/** A replacement of `length` characters at `offset` by `text`. */
export interface LocalEdit {
  offset: number;
  length: number;
  text: string;
}

/** Layout of a JSON document: one indentation level, line ending, and whether it is indented at all. */
export interface JsonStyle {
  unit: string;
  eol: string;
  pretty: boolean;
}

const styleCache = new WeakMap<ParsedDocument, JsonStyle>();

/** The indentation unit and line ending of a JSON text (one scan, cached per parsed document). */
export function jsonStyle(doc: ParsedDocument): JsonStyle {
  let s = styleCache.get(doc);
  if (s) return s;
  const text = doc.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  let unit = '  ';
  if (m && m[1].startsWith('\t')) unit = '\t';
  else if (m) {
    // the smallest positive indentation is one level
    let min = Infinity;
    for (const x of text.matchAll(/\n( +)\S/g)) if (x[1].length < min) min = x[1].length;
    if (Number.isFinite(min) && min > 0 && min <= 8) unit = ' '.repeat(min);
  }
  s = { unit, eol, pretty: !!m };
  styleCache.set(doc, s);
  return s;
}

const end = (n: AstNode) => n.offset + n.length;

function lineStartAt(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Leading whitespace of the line holding `offset`. */
export function indentOfLine(text: string, offset: number): string {
  const ls = lineStartAt(text, offset);
  let i = ls;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(ls, i);
}

/** Whether only whitespace precedes `offset` on its line. */
function firstOnLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0 && text[i] !== '\n'; i--)
    if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\r') return false;
  return true;
}

function spansLines(text: string, node: AstNode): boolean {
  const i = text.indexOf('\n', node.offset);
  return i >= 0 && i < end(node);
}

/** A non-empty object or array (worth a multi-line layout). */
function isNested(v: unknown): boolean {
  return !!v && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

/** `value` as JSON: indented (continuation lines prefixed by `indent`) or on one line. */
function render(value: unknown, style: JsonStyle, indent: string | undefined, spaced: boolean): string {
  if (indent !== undefined)
    return (JSON.stringify(value, null, style.unit) ?? 'null').split('\n').join(style.eol + indent);
  // raw newlines in JSON.stringify's output are only layout: strings escape theirs
  return spaced ? (JSON.stringify(value, null, 1) ?? 'null').replace(/\n\s*/g, ' ') : (JSON.stringify(value) ?? 'null');
}

/** Inserts members (`"k": v` properties of an object, or items of an array) after the last one. */
function insertMembers(
  doc: ParsedDocument,
  container: AstNode,
  members: (indent: string | undefined, spaced: boolean) => string[],
  nested: boolean,
): LocalEdit | undefined {
  const text = doc.text;
  const style = jsonStyle(doc);
  const kids = container.children ?? [];
  const close = end(container) - 1;
  if (!kids.length) {
    if (text[container.offset] !== (container.type === 'object' ? '{' : '[')) return undefined;
    const closed = text[close] === (container.type === 'object' ? '}' : ']') && close > container.offset;
    const innerEnd = closed ? close : end(container);
    const inner = text.slice(container.offset + 1, innerEnd);
    if (!style.pretty)
      return {
        offset: container.offset + 1,
        length: inner.trim() ? 0 : inner.length,
        text: members(undefined, false).join(','),
      };
    const outer = indentOfLine(text, container.offset);
    const innerIndent = outer + style.unit;
    const body = style.eol + innerIndent + members(innerIndent, true).join(',' + style.eol + innerIndent);
    if (inner.trim()) return { offset: container.offset + 1, length: 0, text: body };
    return { offset: container.offset + 1, length: inner.length, text: body + (closed ? style.eol + outer : '') };
  }
  const last = kids[kids.length - 1];
  const at = end(last);
  if (spansLines(text, container)) {
    const indent = firstOnLine(text, last.offset)
      ? indentOfLine(text, last.offset)
      : indentOfLine(text, container.offset) + style.unit;
    return {
      offset: at,
      length: 0,
      text: members(indent, true)
        .map((m) => ',' + style.eol + indent + m)
        .join(''),
    };
  }
  const sample = text.slice(container.offset, Math.min(end(container), container.offset + 200));
  const spaced = /[,:] /.test(sample);
  const inline: LocalEdit = {
    offset: at,
    length: 0,
    text: members(undefined, spaced)
      .map((m) => (spaced ? ', ' : ',') + m)
      .join(''),
  };
  return (style.pretty && nested && expandLine(doc, container, inline)) || inline;
}

/** Longest line that is re-laid out around a grown one-line container (a minified document never is). */
const MAX_RELAYOUT = 2000;

/**
 * The line(s) holding a one-line container after `inline` is applied, formatted over several
 * lines at the document's indentation; undefined when too long or not formattable.
 */
function expandLine(doc: ParsedDocument, container: AstNode, inline: LocalEdit): LocalEdit | undefined {
  const text = doc.text;
  const style = jsonStyle(doc);
  const ls = lineStartAt(text, container.offset);
  let le = text.indexOf('\n', end(container));
  if (le < 0) le = text.length;
  if (le - ls > MAX_RELAYOUT) return undefined;
  try {
    const window = text.slice(ls, inline.offset) + inline.text + text.slice(inline.offset + inline.length, le);
    const tabs = style.unit === '\t';
    const edits = format(
      window,
      { offset: 0, length: window.length },
      { insertSpaces: !tabs, tabSize: tabs ? 1 : style.unit.length, eol: style.eol, keepLines: false },
    );
    return {
      offset: ls,
      length: le - ls,
      text: applyEdits(window, edits).replace(/\r$/, '') + (text[le - 1] === '\r' ? '\r' : ''),
    };
  } catch {
    return undefined;
  }
}

/** Adds properties at the end of a JSON object. */
export function jsonInsertProperties(
  doc: ParsedDocument,
  obj: AstNode,
  entries: [string, unknown][],
): LocalEdit | undefined {
  const style = jsonStyle(doc);
  return insertMembers(
    doc,
    obj,
    (indent, spaced) =>
      entries.map(
        ([k, v]) =>
          `${JSON.stringify(k)}:${spaced || indent !== undefined ? ' ' : ''}${render(v, style, indent, spaced)}`,
      ),
    entries.some(([, v]) => isNested(v)),
  );
}

/** Appends an item to a JSON array. */
export function jsonAppendItem(doc: ParsedDocument, arr: AstNode, value: unknown): LocalEdit | undefined {
  const style = jsonStyle(doc);
  return insertMembers(doc, arr, (indent, spaced) => [render(value, style, indent, spaced)], isNested(value));
}

/** Removes one member (a property node of an object, or an item of an array) with its comma. */
export function jsonRemoveMember(doc: ParsedDocument, member: AstNode): LocalEdit | undefined {
  const container = member.parent;
  const kids = container?.children ?? [];
  const i = kids.indexOf(member);
  if (!container || i < 0) return undefined;
  if (i > 0) return { offset: end(kids[i - 1]), length: end(member) - end(kids[i - 1]), text: '' };
  if (kids.length > 1) return { offset: member.offset, length: kids[1].offset - member.offset, text: '' };
  // the only member: empty the container (`{}` / `[]`) when it is closed
  const closing = container.type === 'object' ? '}' : ']';
  const close = end(container) - 1;
  if (doc.text[close] === closing && close > container.offset)
    return { offset: container.offset + 1, length: close - container.offset - 1, text: '' };
  return { offset: member.offset, length: member.length, text: '' };
}
