/**
 * Document edits for quick fixes, keeping the text valid and its formatting/comments: JSON
 * through jsonc-parser's `modify` with the document's own indentation, YAML through careful
 * line-based text edits. Each primitive returns the whole new text; `diffEdit` turns it into
 * one minimal TextEdit.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import YAML from 'yaml';
import type { TextEdit } from 'vscode-languageserver/node';
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { pathOf } from '../navigation/treeUtil';
import { quoteLike, yamlPlainOk } from '../rename';

/** One minimal TextEdit turning `doc.text` into `next` (common prefix/suffix kept). */
export function diffEdit(doc: ParsedDocument, next: string): TextEdit {
  const a = doc.text;
  let p = 0;
  const max = Math.min(a.length, next.length);
  while (p < max && a.charCodeAt(p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  return { range: doc.rangeOf(p, a.length - s - p), newText: next.slice(p, next.length - s) };
}

/** Indentation and line ending of a JSON text, for `modify`. */
export function jsonFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  let size = 2;
  if (m) {
    // the smallest positive indentation is one level
    let min = Infinity;
    for (const x of text.matchAll(/\n( +)\S/g)) min = Math.min(min, x[1].length);
    if (Number.isFinite(min) && min > 0 && min <= 8) size = min;
  }
  return { insertSpaces: true, tabSize: size, eol };
}

function jsonModify(doc: ParsedDocument, path: (string | number)[], value: unknown, arrayInsert = false): string {
  const edits = modify(doc.text, path, value, { formattingOptions: jsonFormatting(doc.text), isArrayInsertion: arrayInsert });
  return applyEdits(doc.text, edits);
}

function lineStart(text: string, offset: number): number {
  // lastIndexOf clamps a negative start to 0 and would find a newline at offset 0
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the line holding the last non-space character of a node. */
function afterLastLine(text: string, node: AstNode): number {
  let e = node.offset + node.length;
  while (e > node.offset && /\s/.test(text[e - 1])) e--;
  const nl = text.indexOf('\n', e);
  return nl < 0 ? text.length : nl + 1;
}

function column(doc: ParsedDocument, offset: number): number {
  return doc.positionAt(offset).character;
}

/** A YAML scalar/flow text for a value. */
function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return yamlPlainOk(v) ? v : JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v !== 'object') return String(v);
  return JSON.stringify(v);
}

/** `key: value` lines for YAML at an indentation (block style for objects/arrays). */
function yamlEntry(key: string, value: unknown, indent: string): string {
  const k = yamlScalar(key);
  if (value && typeof value === 'object' && (Array.isArray(value) ? value.length : Object.keys(value).length)) {
    const body = YAML.stringify(value, { indent: 2, lineWidth: 0 }).replace(/\n$/, '');
    return `${k}:\n` + body.split('\n').map((l) => indent + '  ' + l).join('\n');
  }
  return `${k}: ${yamlScalar(value)}`;
}

/** Replaces a string/number/key node by `value`, keeping its quoting style. */
export function replaceNodeText(doc: ParsedDocument, node: AstNode, value: string | number | boolean): string {
  const text = typeof value === 'string' ? quoteLike(doc, node, value) : String(value);
  return doc.text.slice(0, node.offset) + text + doc.text.slice(node.offset + node.length);
}

/** Removes a property (given by its key node or property node). */
export function removeProperty(doc: ParsedDocument, prop: AstNode): string | undefined {
  if (prop.type !== 'property' || !prop.parent) return undefined;
  if (doc.format === 'json') return jsonModify(doc, [...pathOf(prop.parent), String(prop.children?.[0]?.value ?? '')], undefined);
  const text = doc.text;
  const key = prop.children![0];
  const obj = prop.parent;
  const siblings = obj.children ?? [];
  const i = siblings.indexOf(prop);
  if (text[obj.offset] === '{') {
    // flow mapping: drop the entry and one adjacent comma
    const next = siblings[i + 1];
    const from = i > 0 ? siblings[i - 1].offset + siblings[i - 1].length : key.offset;
    const to = next && i === 0 ? next.offset : prop.offset + prop.length;
    return text.slice(0, from) + text.slice(to);
  }
  const ls = lineStart(text, key.offset);
  const dashFirst = /^\s*-\s+$/.test(text.slice(ls, key.offset));
  if (dashFirst) {
    const next = siblings[i + 1];
    if (next) return text.slice(0, key.offset) + text.slice(next.offset);
    // the only key of an array item: drop the whole item line(s)
    return text.slice(0, ls) + text.slice(afterLastLine(text, prop));
  }
  return text.slice(0, ls) + text.slice(afterLastLine(text, prop));
}

/** Removes one item of an array. */
export function removeArrayItem(doc: ParsedDocument, item: AstNode): string | undefined {
  const arr = item.parent;
  if (!arr || arr.type !== 'array') return undefined;
  const index = (arr.children ?? []).indexOf(item);
  if (doc.format === 'json') return jsonModify(doc, [...pathOf(arr), index], undefined);
  const text = doc.text;
  if (text[arr.offset] === '[') {
    const kids = arr.children ?? [];
    const from = index > 0 ? kids[index - 1].offset + kids[index - 1].length : item.offset;
    const to = index === 0 && kids[1] ? kids[1].offset : item.offset + item.length;
    return text.slice(0, from) + text.slice(to);
  }
  return text.slice(0, lineStart(text, item.offset)) + text.slice(afterLastLine(text, item));
}

/** Adds properties at the end of an object (JSON: `modify`; YAML: new lines at the object's indentation). */
export function insertProperties(doc: ParsedDocument, obj: AstNode, entries: [string, unknown][]): string | undefined {
  if (obj.type !== 'object' || !entries.length) return undefined;
  if (doc.format === 'json') {
    let text = doc.text;
    const base = pathOf(obj);
    for (const [k, v] of entries) {
      const edits = modify(text, [...base, k], v, { formattingOptions: jsonFormatting(doc.text) });
      text = applyEdits(text, edits);
    }
    return text;
  }
  const text = doc.text;
  const props = obj.children ?? [];
  if (text[obj.offset] === '{' || !props.length) {
    // flow mapping (or empty `{}`): insert before the closing brace
    const close = obj.offset + obj.length - 1;
    if (text[close] !== '}') return undefined;
    const inner = entries.map(([k, v]) => `${yamlScalar(k)}: ${yamlScalar(v)}`).join(', ');
    const sep = props.length ? ', ' : '';
    return text.slice(0, close).replace(/\s*$/, '') + sep + inner + text.slice(close);
  }
  const first = props[0].children?.[0] ?? props[0];
  const indent = ' '.repeat(column(doc, first.offset));
  const last = props[props.length - 1];
  const at = afterLastLine(text, last);
  const needsNl = at === text.length && !text.endsWith('\n');
  const lines = entries.map(([k, v]) => indent + yamlEntry(k, v, indent)).join('\n') + '\n';
  return text.slice(0, at) + (needsNl ? '\n' : '') + lines + text.slice(at);
}

/** Appends an item to an array. */
export function appendArrayItem(doc: ParsedDocument, arr: AstNode, value: unknown): string | undefined {
  if (arr.type !== 'array') return undefined;
  if (doc.format === 'json') return jsonModify(doc, [...pathOf(arr), -1], value, true);
  const text = doc.text;
  const items = arr.children ?? [];
  if (text[arr.offset] === '[' || !items.length) {
    const close = arr.offset + arr.length - 1;
    if (text[close] !== ']') return undefined;
    return text.slice(0, close).replace(/\s*$/, '') + (items.length ? ', ' : '') + JSON.stringify(value) + text.slice(close);
  }
  const indent = ' '.repeat(Math.max(0, column(doc, items[0].offset) - 2));
  const body = YAML.stringify([value], { indent: 2, lineWidth: 0 }).replace(/\n$/, '');
  const at = afterLastLine(text, items[items.length - 1]);
  const needsNl = at === text.length && !text.endsWith('\n');
  return text.slice(0, at) + (needsNl ? '\n' : '') + body.split('\n').map((l) => indent + l).join('\n') + '\n' + text.slice(at);
}

/** Moves an array item to the end of its array. */
export function moveItemLast(doc: ParsedDocument, item: AstNode): string | undefined {
  const arr = item.parent;
  if (!arr || arr.type !== 'array') return undefined;
  const kids = arr.children ?? [];
  const index = kids.indexOf(item);
  if (index < 0 || index === kids.length - 1) return undefined;
  const text = doc.text;
  if (doc.format === 'json' || text[arr.offset] === '[') {
    // rebuild the separators between items: item texts are kept verbatim
    const pieces = kids.map((k) => text.slice(k.offset, k.offset + k.length));
    const seps = kids.slice(0, -1).map((k, i) => text.slice(k.offset + k.length, kids[i + 1].offset));
    const order = [...kids.keys()].filter((i) => i !== index).concat(index);
    let out = pieces[order[0]];
    for (let i = 1; i < order.length; i++) out += seps[i - 1] + pieces[order[i]];
    return text.slice(0, kids[0].offset) + out + text.slice(kids[kids.length - 1].offset + kids[kids.length - 1].length);
  }
  const start = lineStart(text, item.offset);
  const end = afterLastLine(text, item);
  const block = text.slice(start, end);
  const lastEnd = afterLastLine(text, kids[kids.length - 1]);
  const tail = lastEnd === text.length && !text.endsWith('\n') ? '\n' : '';
  return text.slice(0, start) + text.slice(end, lastEnd) + tail + block + text.slice(lastEnd);
}

/** Renames a property key. */
export function renameKey(doc: ParsedDocument, key: AstNode, name: string): string {
  return replaceNodeText(doc, key, name);
}
