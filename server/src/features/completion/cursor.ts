/**
 * Where a position is in the positioned tree, for completion: typing a key (of which object)
 * or a value (of which property / array item), the text typed so far and the range a
 * completion replaces. Works on the cached tree of JSON and YAML documents, including
 * half-typed ones (a key without colon, an empty value, a blank YAML line).
 */
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { deepestNodeAt, keyOf, keysOf, pathOf, type PathSegment } from '../navigation/treeUtil';

export interface Cursor {
  kind: 'key' | 'value';
  /** key: the path of the object whose key is typed; value: the path of the value */
  path: PathSegment[];
  /** key: the object that receives the key (undefined when it does not exist yet, YAML) */
  object?: AstNode;
  /** value: the property whose value is typed (undefined for array items) */
  property?: AstNode;
  /** value: the node currently there (string, number...), if any */
  valueNode?: AstNode;
  /** value: the array holding the item being typed */
  array?: AstNode;
  /** the text typed so far (inside quotes when quoted) */
  prefix: string;
  /** range replaced by a completion (covers quotes when `quoted`) */
  replace: { offset: number; length: number };
  /** JSON: the replaced range is a quoted string, so inserts must carry their quotes */
  quoted: boolean;
  /** key: the property already has a colon/value, so only the key must be inserted */
  hasValue: boolean;
  /** key: names already present in the object */
  existing: Set<string>;
  /** YAML: the column at which a key is typed (used to indent inserted blocks) */
  column: number;
  /** JSON: a comma must follow the insert (another property/item follows) */
  needsComma: boolean;
  /** the nearest existing node owning the position (for finding the enclosing state) */
  anchor?: AstNode;
  /** JSON: offset where a comma must be added (the previous property/item lacks one) */
  commaAt?: number;
}

const WORD = /[A-Za-z0-9_.$\-:]/;
const end = (n: AstNode) => n.offset + n.length;

function wordAround(text: string, offset: number): { start: number; end: number } {
  let s = offset;
  while (s > 0 && WORD.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && WORD.test(text[e])) e++;
  return { start: s, end: e };
}

function isKeyNode(n: AstNode): boolean {
  return n.parent?.type === 'property' && n.parent.children?.[0] === n;
}

function nextNonSpace(text: string, from: number): string {
  for (let i = from; i < text.length; i++) if (!/\s/.test(text[i])) return text[i];
  return '';
}

/** JSON: where a comma is missing before `offset` (the previous sibling ends without one). */
function missingCommaBefore(text: string, offset: number, container: AstNode): number | undefined {
  let i = offset - 1;
  while (i > container.offset && /\s/.test(text[i])) i--;
  const c = text[i];
  if (i <= container.offset || c === ',' || c === '{' || c === '[' || c === ':') return undefined;
  return i + 1;
}

/**
 * Start of the line holding `offset`. `lastIndexOf` treats a negative start as 0, so at
 * offset 0 of a text beginning with a newline it would find that newline and answer 1 — a
 * line start *after* the offset, which stalled the upward line walk in `yamlCursor`.
 */
function lineStartOf(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Computes the cursor at `offset`; undefined when nothing sensible can be completed. */
export function cursorAt(doc: ParsedDocument, offset: number): Cursor | undefined {
  return doc.format === 'json' ? jsonCursor(doc, offset) : yamlCursor(doc, offset);
}

function keyCursor(doc: ParsedDocument, object: AstNode | undefined, path: PathSegment[], w: { start: number; end: number }, column: number, anchor?: AstNode): Cursor {
  const text = doc.text;
  return {
    kind: 'key',
    path,
    object,
    prefix: text.slice(w.start, w.end),
    replace: { offset: w.start, length: w.end - w.start },
    quoted: false,
    hasValue: false,
    existing: new Set(keysOf(object)),
    column,
    needsComma: doc.format === 'json' && nextNonSpace(text, w.end) === '"',
    anchor: object ?? anchor,
  };
}

function jsonCursor(doc: ParsedDocument, offset: number): Cursor | undefined {
  const text = doc.text;
  const n = deepestNodeAt(doc.root, offset);
  if (!n) return undefined;
  if (n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null') {
    const quoted = n.type === 'string' && text[n.offset] === '"';
    // the caret must be inside the quotes (not before the opening one)
    if (quoted && offset === n.offset) return undefined;
    const closed = quoted && n.length >= 2 && text[end(n) - 1] === '"';
    if (closed && offset === end(n)) return undefined;
    const prefix = text.slice(n.offset + (quoted ? 1 : 0), offset);
    if (isKeyNode(n)) {
      const prop = n.parent!;
      return {
        kind: 'key',
        path: pathOf(prop.parent!),
        object: prop.parent,
        prefix,
        replace: { offset: n.offset, length: n.length },
        quoted,
        hasValue: prop.colonOffset !== undefined && prop.colonOffset >= 0,
        existing: new Set(keysOf(prop.parent).filter((k) => k !== n.value)),
        column: 0,
        needsComma: nextNonSpace(text, end(n)) === '"',
        commaAt: prop.parent ? missingCommaBefore(text, n.offset, prop.parent) : undefined,
      };
    }
    const parent = n.parent;
    return {
      kind: 'value',
      path: pathOf(n),
      property: parent?.type === 'property' ? parent : undefined,
      array: parent?.type === 'array' ? parent : undefined,
      valueNode: n,
      prefix,
      replace: { offset: n.offset, length: n.length },
      quoted,
      hasValue: true,
      existing: new Set(),
      column: 0,
      needsComma: false,
    };
  }
  if (n.type === 'property') {
    const colon = n.colonOffset ?? -1;
    if (colon >= 0 && offset > colon) {
      const w = wordAround(text, offset);
      return {
        kind: 'value',
        path: [...pathOf(n.parent!), keyOf(n) ?? ''],
        property: n,
        prefix: text.slice(w.start, offset),
        replace: { offset: w.start, length: w.end - w.start },
        quoted: false,
        hasValue: false,
        existing: new Set(),
        column: 0,
        needsComma: nextNonSpace(text, w.end) === '"',
      };
    }
    return undefined;
  }
  if (n.type === 'object') {
    if (offset <= n.offset) return undefined;
    const w = wordAround(text, offset);
    const c = keyCursor(doc, n, pathOf(n), w, 0);
    c.commaAt = missingCommaBefore(text, w.start, n);
    return c;
  }
  if (n.type === 'array') {
    if (offset <= n.offset) return undefined;
    const w = wordAround(text, offset);
    let index = 0;
    for (const c of n.children ?? []) if (c.offset < offset) index++;
    return {
      kind: 'value',
      path: [...pathOf(n), index],
      array: n,
      prefix: text.slice(w.start, offset),
      replace: { offset: w.start, length: w.end - w.start },
      quoted: false,
      hasValue: false,
      existing: new Set(),
      column: 0,
      needsComma: /["{[\d]/.test(nextNonSpace(text, w.end)),
    };
  }
  return undefined;
}

// ---------------------------------------------------------------- YAML

interface LineInfo {
  start: number;
  indent: number;
  /** column of the key after `- ` markers */
  keyCol: number;
  dash: boolean;
  content: string;
}

function lineInfo(text: string, start: number): LineInfo {
  let e = text.indexOf('\n', start);
  if (e < 0) e = text.length;
  const content = text.slice(start, e).replace(/\r$/, '');
  const indent = /^ */.exec(content)![0].length;
  const m = /^( *)((?:- +)*)/.exec(content)!;
  return { start, indent, keyCol: m[1].length + m[2].length, dash: m[2].length > 0, content };
}

/** The key node whose text starts exactly at `offset` (a mapping key on that line). */
function keyNodeAt(doc: ParsedDocument, offset: number): AstNode | undefined {
  const n = deepestNodeAt(doc.root, offset);
  if (n && n.offset === offset && isKeyNode(n)) return n;
  if (n && n.type === 'property' && n.children?.[0]?.offset === offset) return n.children[0];
  return undefined;
}

/** Columns of a YAML line scanned for completion (past them, none is offered). */
const MAX_LINE_PREFIX = 1000;

function yamlCursor(doc: ParsedDocument, offset: number): Cursor | undefined {
  const text = doc.text;
  const ls = lineStartOf(text, offset);
  const line = lineInfo(text, ls);
  // nothing is typed that far right on a YAML line, and the line patterns below backtrack
  // quadratically on long lines: a 100k-character `- - - …` line took seconds
  if (offset - ls > MAX_LINE_PREFIX) return undefined;
  const before = text.slice(ls, offset);
  if (/(^|\s)#/.test(before)) return undefined;
  // indentation and `- ` markers first (greedy, no backtracking), then `key: value`
  const lead = /^( *)((?:- +)*)/.exec(before)!;
  const kvRest = /^((?:"[^"]*"|'[^']*'|[^:#'"\s][^:#]*?)) *: *(.*)$/.exec(before.slice(lead[0].length));
  const kv = kvRest ? [before, lead[1], lead[2], kvRest[1], kvRest[2]] : undefined;
  if (kv) {
    // typing a value: `key: |` or `key: val|`
    const keyOffset = ls + kv[1].length + kv[2].length;
    const keyNode = keyNodeAt(doc, keyOffset);
    if (!keyNode) return undefined;
    const prop = keyNode.parent!;
    const v = prop.children?.[1];
    const typed = kv[4];
    if (v && v.type !== 'null' && v.offset <= offset && offset <= end(v) && (v.type === 'string' || v.type === 'number' || v.type === 'boolean')) {
      const quoted = text[v.offset] === '"' || text[v.offset] === "'";
      return {
        kind: 'value', path: pathOf(v), property: prop, valueNode: v, prefix: text.slice(v.offset + (quoted ? 1 : 0), offset),
        replace: { offset: v.offset, length: v.length }, quoted, hasValue: true, existing: new Set(), column: line.keyCol, needsComma: false,
      };
    }
    const valueStart = offset - typed.length;
    const w = wordAround(text, offset);
    const startAt = Math.max(valueStart, Math.min(w.start, offset));
    return {
      kind: 'value', path: [...pathOf(prop.parent!), keyOf(prop) ?? ''], property: prop, prefix: text.slice(startAt, offset),
      replace: { offset: startAt, length: Math.max(w.end, offset) - startAt }, quoted: false, hasValue: false, existing: new Set(),
      column: line.keyCol, needsComma: false,
    };
  }
  const keyTyping = /^( *)((?:- +)*)([A-Za-z0-9_.$\-]*)$/.exec(before);
  if (!keyTyping) return undefined;
  const col = kv ? 0 : keyTyping[1].length + keyTyping[2].length;
  const wordStart = ls + col;
  const w = { start: wordStart, end: wordAround(text, offset).end };
  const dashHere = keyTyping[2].length > 0;
  // the node already holding the typed word (a key without value, or a scalar)
  const here = w.end > w.start ? deepestNodeAt(doc.root, w.start) : undefined;
  if (here && here.offset === w.start && isKeyNode(here)) {
    const prop = here.parent!;
    const c = keyCursor(doc, prop.parent, pathOf(prop.parent!), w, col);
    c.existing.delete(String(here.value));
    c.hasValue = !!prop.children?.[1] && prop.children[1].type !== 'null';
    return c;
  }
  if (here && here.offset === w.start && here.type === 'string' && !dashHere) {
    // `Parameters:\n  Ove|` parses as the string value of Parameters
    const owner = here.parent;
    if (owner?.type === 'property') return keyCursor(doc, undefined, pathOf(here), w, col, owner);
  }
  // find the owner by indentation: the nearest line above with a smaller key column
  // (a new child object) or the same key column (a sibling key)
  let p = ls;
  while (p > 0) {
    const prevStart = lineStartOf(text, p - 1);
    // each step must move strictly up a line; anything else would loop forever
    if (prevStart >= p) return undefined;
    const li = lineInfo(text, prevStart);
    p = prevStart;
    const trimmed = li.content.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    if (li.keyCol === col && !dashHere) {
      const k = keyNodeAt(doc, li.start + li.keyCol);
      if (k) return keyCursor(doc, k.parent!.parent, pathOf(k.parent!.parent!), w, col);
      if (!li.dash) continue;
    }
    if (li.keyCol < col || (li.keyCol === col && dashHere)) {
      const k = keyNodeAt(doc, li.start + li.keyCol);
      if (!k) return undefined;
      const prop = k.parent!;
      const v = prop.children?.[1];
      if (li.keyCol === col && dashHere) {
        // a new item of the array that holds the sibling's item
        const item = prop.parent;
        const arr = item?.parent?.type === 'array' ? item.parent : undefined;
        if (!arr) return undefined;
        return keyCursor(doc, undefined, [...pathOf(arr), arr.children?.length ?? 0], w, col, arr);
      }
      if (dashHere) {
        const index = v?.type === 'array' ? (v.children ?? []).filter((c) => c.offset < offset).length : 0;
        return keyCursor(doc, undefined, [...pathOf(prop.parent!), keyOf(prop) ?? '', index], w, col, prop);
      }
      if (v?.type === 'object') return keyCursor(doc, v, pathOf(v), w, col);
      return keyCursor(doc, undefined, [...pathOf(prop.parent!), keyOf(prop) ?? ''], w, col, prop);
    }
  }
  if (col === 0 && doc.root?.type === 'object') return keyCursor(doc, doc.root, [], w, 0);
  return undefined;
}
