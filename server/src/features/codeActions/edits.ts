/**
 * Document edits for quick fixes, keeping the text valid and its formatting/comments: JSON
 * through the local member edits of jsonEdits.ts (the document's own indentation), YAML
 * through careful line-based text edits. Each primitive returns one `LocalEdit` covering only
 * the region it changes (never the whole text), so a fix costs work proportional to that
 * region; `toTextEdit` turns it into one minimal TextEdit.
 */
import type { TextEdit } from 'vscode-languageserver/node';
import { emitYaml, quoteLike, yamlString, type Emittable, type YamlContext } from '../../../../asl/src/text/emit';
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { jsonAppendItem, jsonInsertProperties, jsonRemoveMember, type LocalEdit } from '../shared/jsonEdits';

export type { LocalEdit } from '../shared/jsonEdits';

/**
 * One minimal TextEdit for a local edit (the common prefix/suffix of the replaced text and
 * the new text are kept); undefined when the edit changes nothing.
 */
export function toTextEdit(doc: ParsedDocument, e: LocalEdit): TextEdit | undefined {
  const a = doc.text;
  const offset = Math.max(0, Math.min(e.offset, a.length));
  const length = Math.max(0, Math.min(e.length, a.length - offset));
  const next = e.text;
  const max = Math.min(length, next.length);
  let p = 0;
  while (p < max && a.charCodeAt(offset + p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(offset + length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  if (p === length && p === next.length) return undefined;
  return { range: doc.rangeOf(offset + p, length - s - p), newText: next.slice(p, next.length - s) };
}

/** Offset after trailing whitespace is skipped backwards from `offset` (a local trimEnd). */
function trimBack(text: string, offset: number, floor: number): number {
  let i = offset;
  while (i > floor && /\s/.test(text[i - 1])) i--;
  return i;
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
function yamlScalar(v: unknown, context: YamlContext = 'block'): string {
  if (typeof v === 'string') return yamlString(v, context);
  if (v === null) return 'null';
  if (typeof v !== 'object') return String(v);
  return JSON.stringify(v);
}

/** `key: value` lines for YAML at an indentation (block style for objects/arrays). */
function yamlEntry(key: string, value: unknown, indent: string): string {
  const k = yamlScalar(key);
  if (value && typeof value === 'object' && (Array.isArray(value) ? value.length : Object.keys(value).length)) {
    const body = emitYaml(value as Emittable);
    return (
      `${k}:\n` +
      body
        .split('\n')
        .map((l) => indent + '  ' + l)
        .join('\n')
    );
  }
  return `${k}: ${yamlScalar(value)}`;
}

/** Replaces a string/number/key node by `value`, keeping its quoting style. */
export function replaceNodeText(doc: ParsedDocument, node: AstNode, value: string | number | boolean): LocalEdit {
  const text = typeof value === 'string' ? quoteLike(doc, node, value) : String(value);
  return { offset: node.offset, length: node.length, text };
}

/** Removes a property (given by its key node or property node). */
export function removeProperty(doc: ParsedDocument, prop: AstNode): LocalEdit | undefined {
  if (prop.type !== 'property' || !prop.parent) return undefined;
  if (doc.format === 'json') return jsonRemoveMember(doc, prop);
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
    return { offset: from, length: to - from, text: '' };
  }
  const ls = lineStart(text, key.offset);
  const dashFirst = /^\s*-\s+$/.test(text.slice(ls, key.offset));
  if (dashFirst) {
    const next = siblings[i + 1];
    if (next) return { offset: key.offset, length: next.offset - key.offset, text: '' };
  }
  // a block entry (or the only key of an array item): drop its whole line(s)
  return { offset: ls, length: afterLastLine(text, prop) - ls, text: '' };
}

/** Removes one item of an array. */
export function removeArrayItem(doc: ParsedDocument, item: AstNode): LocalEdit | undefined {
  const arr = item.parent;
  if (!arr || arr.type !== 'array') return undefined;
  if (doc.format === 'json') return jsonRemoveMember(doc, item);
  const index = (arr.children ?? []).indexOf(item);
  const text = doc.text;
  if (text[arr.offset] === '[') {
    const kids = arr.children ?? [];
    const from = index > 0 ? kids[index - 1].offset + kids[index - 1].length : item.offset;
    const to = index === 0 && kids[1] ? kids[1].offset : item.offset + item.length;
    return { offset: from, length: to - from, text: '' };
  }
  const ls = lineStart(text, item.offset);
  return { offset: ls, length: afterLastLine(text, item) - ls, text: '' };
}

/** Adds properties at the end of an object (JSON: at the siblings' indentation; YAML: new lines). */
export function insertProperties(
  doc: ParsedDocument,
  obj: AstNode,
  entries: [string, unknown][],
): LocalEdit | undefined {
  if (obj.type !== 'object' || !entries.length) return undefined;
  if (doc.format === 'json') return jsonInsertProperties(doc, obj, entries);
  const text = doc.text;
  const props = obj.children ?? [];
  if (text[obj.offset] === '{' || !props.length) {
    // flow mapping (or empty `{}`): insert before the closing brace
    const close = obj.offset + obj.length - 1;
    if (text[close] !== '}') return undefined;
    const inner = entries.map(([k, v]) => `${yamlScalar(k, 'flow')}: ${yamlScalar(v, 'flow')}`).join(', ');
    const sep = props.length ? ', ' : '';
    const from = trimBack(text, close, obj.offset);
    return { offset: from, length: close - from, text: sep + inner };
  }
  const first = props[0].children?.[0] ?? props[0];
  const indent = ' '.repeat(column(doc, first.offset));
  const last = props[props.length - 1];
  const at = afterLastLine(text, last);
  const needsNl = at === text.length && !text.endsWith('\n');
  const lines = entries.map(([k, v]) => indent + yamlEntry(k, v, indent)).join('\n') + '\n';
  return { offset: at, length: 0, text: (needsNl ? '\n' : '') + lines };
}

/** Appends an item to an array. */
export function appendArrayItem(doc: ParsedDocument, arr: AstNode, value: unknown): LocalEdit | undefined {
  if (arr.type !== 'array') return undefined;
  if (doc.format === 'json') return jsonAppendItem(doc, arr, value);
  const text = doc.text;
  const items = arr.children ?? [];
  if (text[arr.offset] === '[' || !items.length) {
    const close = arr.offset + arr.length - 1;
    if (text[close] !== ']') return undefined;
    const from = trimBack(text, close, arr.offset);
    return { offset: from, length: close - from, text: (items.length ? ', ' : '') + JSON.stringify(value) };
  }
  const indent = ' '.repeat(Math.max(0, column(doc, items[0].offset) - 2));
  const body = emitYaml([value as Emittable]);
  const at = afterLastLine(text, items[items.length - 1]);
  const needsNl = at === text.length && !text.endsWith('\n');
  return {
    offset: at,
    length: 0,
    text:
      (needsNl ? '\n' : '') +
      body
        .split('\n')
        .map((l) => indent + l)
        .join('\n') +
      '\n',
  };
}

/** Moves an array item to the end of its array. */
export function moveItemLast(doc: ParsedDocument, item: AstNode): LocalEdit | undefined {
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
    const parts = [pieces[order[0]]];
    for (let i = 1; i < order.length; i++) parts.push(seps[i - 1], pieces[order[i]]);
    const from = kids[0].offset;
    const to = kids[kids.length - 1].offset + kids[kids.length - 1].length;
    return { offset: from, length: to - from, text: parts.join('') };
  }
  const start = lineStart(text, item.offset);
  const end = afterLastLine(text, item);
  const block = text.slice(start, end);
  const lastEnd = afterLastLine(text, kids[kids.length - 1]);
  const tail = lastEnd === text.length && !text.endsWith('\n') ? '\n' : '';
  return { offset: start, length: lastEnd - start, text: text.slice(end, lastEnd) + tail + block };
}

/** Renames a property key. */
export function renameKey(doc: ParsedDocument, key: AstNode, name: string): LocalEdit {
  return replaceNodeText(doc, key, name);
}
