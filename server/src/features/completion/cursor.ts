/**
 * Where a position is in the positioned tree, for completion: typing a key (of which object)
 * or a value (of which property / array item), the text typed so far and the range a
 * completion replaces. Works on the cached tree of JSON and YAML documents, including
 * half-typed ones (a key without colon, an empty value, a blank YAML line).
 */
import { parseDocument } from '../../../../asl/src/parse';
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { isKeyNode, keyOf, keysOf, nodeAtOffset, nodePath, type TreePathSegment } from '../../../../asl/src/parse/tree';

export interface Cursor {
  kind: 'key' | 'value';
  /** key: the path of the object whose key is typed; value: the path of the value */
  path: TreePathSegment[];
  /** key: the object that receives the key (undefined when the text has no such object, YAML) */
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
  /**
   * key: the completion goes in front of an existing key (the caret is in its indentation or
   * just before it). The replaced range ends at that key; an insert is `lead` + the new member
   * (+ the comma JSON needs) + `after`, which moves the existing key to its own line.
   */
  beforeKey?: { lead: string; after: string };
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

/** The first offset at or after `from` that is not a space or tab (stays on the line). */
function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/**
 * JSON: a key typed (or about to be) in front of the existing key at `keyAt`. When the key is
 * first on its line, the whole indentation is replaced so that the new member and the existing
 * key each get a line at the existing key's indentation (minus anything typed there).
 */
function jsonBeforeKey(
  doc: ParsedDocument,
  object: AstNode,
  word: { start: number; end: number },
  offset: number,
  keyAt: number,
  existing?: Set<string>,
): Cursor {
  const text = doc.text;
  const ls = lineStartOf(text, word.start);
  const firstOnLine = /^[ \t]*$/.test(text.slice(ls, word.start));
  const indent = firstOnLine ? text.slice(ls, word.start) + text.slice(word.end, keyAt) : '';
  const start = firstOnLine ? ls : word.start;
  const quoted = text[word.start] === '"';
  return {
    kind: 'key',
    path: nodePath(object),
    object,
    prefix: text.slice(word.start + (quoted ? 1 : 0), offset),
    replace: { offset: start, length: keyAt - start },
    quoted,
    hasValue: false,
    existing: existing ?? new Set(keysOf(object)),
    column: 0,
    needsComma: true,
    commaAt: missingCommaBefore(text, word.start, object),
    beforeKey: firstOnLine ? { lead: indent, after: '\n' + indent } : { lead: '', after: ' ' },
  };
}

/**
 * JSON: `"` typed right in front of an existing key (`"|"Name": …`, the quote is not closed
 * automatically there) reads as a string `""` followed by garbage, which hides the rest of the
 * object from the parser. The typed text ends where the existing key's quote begins; the keys
 * present come from a parse of the text without what was typed.
 */
function gluedBeforeKey(doc: ParsedDocument, n: AstNode, offset: number): Cursor | undefined {
  const text = doc.text;
  const keyAt = end(n) - 1;
  if (offset > keyAt || !/^[^"\n]*"[ \t]*:/.test(text.slice(end(n), end(n) + MAX_LINE_PREFIX))) return undefined;
  const object = n.parent?.parent;
  if (!object) return undefined;
  let existing: Set<string> | undefined;
  if (text.length <= MAX_REPARSED_CHARS) {
    const fixed = parseDocument(text.slice(0, n.offset) + ' '.repeat(keyAt - n.offset) + text.slice(keyAt), 'json');
    const key = nodeAtOffset(fixed.root, keyAt, true);
    if (key && isKeyNode(key)) existing = new Set(keysOf(key.parent!.parent));
  }
  return jsonBeforeKey(doc, object, { start: n.offset, end: keyAt }, offset, keyAt, existing);
}

/**
 * YAML: a key typed (or about to be) in front of the block-mapping key starting at `keyAt` on
 * the same line, in `object`: the new key takes that key's column and the existing key moves to
 * the next line.
 */
function yamlBeforeKey(
  doc: ParsedDocument,
  object: AstNode,
  keyAt: number,
  replaceStart: number,
  offset: number,
): Cursor {
  const text = doc.text;
  const keyCol = keyAt - lineStartOf(text, keyAt);
  const startCol = replaceStart - lineStartOf(text, replaceStart);
  return {
    kind: 'key',
    path: nodePath(object),
    object,
    prefix: text.slice(skipSpaces(text, replaceStart), offset),
    replace: { offset: replaceStart, length: keyAt - replaceStart },
    quoted: false,
    hasValue: false,
    existing: new Set(keysOf(object)),
    column: keyCol,
    needsComma: false,
    beforeKey: { lead: ' '.repeat(Math.max(0, keyCol - startCol)), after: '\n' + ' '.repeat(keyCol) },
  };
}

/**
 * A document holding nothing but the word at `offset` (or nothing at all): the place for a
 * whole machine (the `Machine:` snippets).
 */
export function blankDocumentCursor(doc: ParsedDocument, offset: number): Cursor | undefined {
  const text = doc.text;
  if (text.length > MAX_LINE_PREFIX) return undefined;
  const w = wordAround(text, offset);
  if (text.slice(0, w.start).trim() || text.slice(w.end).trim()) return undefined;
  return {
    kind: 'key',
    path: [],
    prefix: text.slice(w.start, offset),
    replace: { offset: w.start, length: w.end - w.start },
    quoted: false,
    hasValue: false,
    existing: new Set(),
    column: 0,
    needsComma: false,
  };
}

/**
 * Start of the line holding `offset`. `lastIndexOf` treats a negative start as 0, so at
 * offset 0 of a text beginning with a newline it would find that newline and answer 1 — a
 * line start *after* the offset, which stalled the upward line walk in `yamlCursor`.
 */
export function lineStartOf(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Computes the cursor at `offset`; undefined when nothing sensible can be completed. */
export function cursorAt(doc: ParsedDocument, offset: number): Cursor | undefined {
  return doc.format === 'json' ? jsonCursor(doc, offset) : yamlCursor(doc, offset);
}

function keyCursor(
  doc: ParsedDocument,
  object: AstNode | undefined,
  path: TreePathSegment[],
  w: { start: number; end: number },
  column: number,
  anchor?: AstNode,
): Cursor {
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
  const n = nodeAtOffset(doc.root, offset, true);
  if (!n) return undefined;
  if (n.type === 'string' || n.type === 'number' || n.type === 'boolean' || n.type === 'null') {
    const quoted = n.type === 'string' && text[n.offset] === '"';
    // the caret just before a key's opening quote: a new member goes in front of it
    if (quoted && offset === n.offset)
      return isKeyNode(n)
        ? jsonBeforeKey(doc, n.parent!.parent!, { start: offset, end: offset }, offset, n.offset)
        : undefined;
    const closed = quoted && n.length >= 2 && text[end(n) - 1] === '"';
    if (closed && offset === end(n)) return undefined;
    const prefix = text.slice(n.offset + (quoted ? 1 : 0), offset);
    if (isKeyNode(n) && n.parent!.colonOffset === undefined && closed) {
      const glued = gluedBeforeKey(doc, n, offset);
      if (glued) return glued;
    }
    if (isKeyNode(n)) {
      const prop = n.parent!;
      return {
        kind: 'key',
        path: nodePath(prop.parent!),
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
    const after = nextNonSpace(text, end(n));
    return {
      kind: 'value',
      path: nodePath(n),
      property: parent?.type === 'property' ? parent : undefined,
      array: parent?.type === 'array' ? parent : undefined,
      valueNode: n,
      prefix,
      replace: { offset: n.offset, length: n.length },
      quoted,
      hasValue: true,
      existing: new Set(),
      column: 0,
      needsComma: parent?.type === 'array' ? /["{[\d]/.test(after) : after === '"',
    };
  }
  if (n.type === 'property') {
    const colon = n.colonOffset ?? -1;
    if (colon >= 0 && offset > colon) {
      const around = wordAround(text, offset);
      // the word never reaches back over the colon (`"Type":|`)
      const w = { start: Math.max(around.start, colon + 1), end: around.end };
      return {
        kind: 'value',
        path: [...nodePath(n.parent!), keyOf(n) ?? ''],
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
    const keyAt = skipSpaces(text, w.end);
    const next = text[keyAt] === '"' ? nodeAtOffset(doc.root, keyAt, true) : undefined;
    if (next && isKeyNode(next)) return jsonBeforeKey(doc, n, w, offset, keyAt);
    const c = keyCursor(doc, n, nodePath(n), w, 0);
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
      path: [...nodePath(n), index],
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
  const n = nodeAtOffset(doc.root, offset, true);
  if (n && n.offset === offset && isKeyNode(n)) return n;
  if (n && n.type === 'property' && n.children?.[0]?.offset === offset) return n.children[0];
  return undefined;
}

/** Columns of a YAML line scanned for completion (past them, none is offered). */
const MAX_LINE_PREFIX = 1000;

/**
 * Longest JSON document parsed a second time for one completion, to learn the keys present
 * when a quote typed right in front of a key broke the parse of its object (a few
 * milliseconds at this size); in a longer one the keys the broken parse kept are used.
 */
const MAX_REPARSED_CHARS = 50_000;

/**
 * YAML: the key cursor for a key typed at column `col` of the line starting at `ls`, its owner
 * found by indentation: the nearest line above with a smaller key column (a new child object)
 * or the same key column (a sibling key).
 */
function ownerByIndentation(
  doc: ParsedDocument,
  ls: number,
  col: number,
  dashHere: boolean,
  w: { start: number; end: number },
  offset: number,
): Cursor | undefined {
  const text = doc.text;
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
      if (k) return keyCursor(doc, k.parent!.parent, nodePath(k.parent!.parent!), w, col);
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
        return keyCursor(doc, undefined, [...nodePath(arr), arr.children?.length ?? 0], w, col, arr);
      }
      if (dashHere) {
        const index = v?.type === 'array' ? (v.children ?? []).filter((c) => c.offset < offset).length : 0;
        return keyCursor(doc, undefined, [...nodePath(prop.parent!), keyOf(prop) ?? '', index], w, col, prop);
      }
      if (v?.type === 'object') return keyCursor(doc, v, nodePath(v), w, col);
      return keyCursor(doc, undefined, [...nodePath(prop.parent!), keyOf(prop) ?? ''], w, col, prop);
    }
  }
  if (col === 0 && doc.root?.type === 'object') return keyCursor(doc, doc.root, [], w, 0);
  // the first key of a document that is no mapping yet (empty, or a word being typed)
  if (col === 0 && !dashHere && doc.root?.type !== 'array') return keyCursor(doc, undefined, [], w, 0);
  return undefined;
}

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
    if (
      v &&
      v.type !== 'null' &&
      v.offset <= offset &&
      offset <= end(v) &&
      (v.type === 'string' || v.type === 'number' || v.type === 'boolean')
    ) {
      const quoted = text[v.offset] === '"' || text[v.offset] === "'";
      return {
        kind: 'value',
        path: nodePath(v),
        property: prop,
        valueNode: v,
        prefix: text.slice(v.offset + (quoted ? 1 : 0), offset),
        replace: { offset: v.offset, length: v.length },
        quoted,
        hasValue: true,
        existing: new Set(),
        column: line.keyCol,
        needsComma: false,
      };
    }
    const valueStart = offset - typed.length;
    const w = wordAround(text, offset);
    const startAt = Math.max(valueStart, Math.min(w.start, offset));
    return {
      kind: 'value',
      path: [...nodePath(prop.parent!), keyOf(prop) ?? ''],
      property: prop,
      prefix: text.slice(startAt, offset),
      replace: { offset: startAt, length: Math.max(w.end, offset) - startAt },
      quoted: false,
      hasValue: false,
      existing: new Set(),
      column: line.keyCol,
      needsComma: false,
    };
  }
  const keyTyping = /^( *)((?:- +)*)([A-Za-z0-9_.$\-]*)$/.exec(before);
  if (!keyTyping) return undefined;
  const col = kv ? 0 : keyTyping[1].length + keyTyping[2].length;
  const wordStart = ls + col;
  const w = { start: wordStart, end: wordAround(text, offset).end };
  const dashHere = keyTyping[2].length > 0;
  // in front of an existing key on this line: the caret at the key or in the spaces before it
  const keyAt = w.start === offset ? skipSpaces(text, offset) : text[w.end] === ' ' ? skipSpaces(text, w.end) : -1;
  const next = keyAt >= 0 ? keyNodeAt(doc, keyAt) : undefined;
  if (next && text[next.parent!.parent!.offset] !== '{') {
    return yamlBeforeKey(doc, next.parent!.parent!, keyAt, ls + col, offset);
  }
  if (w.end > w.start && keyAt > w.end && !dashHere) {
    // a word typed in the indentation of a key reads as one key with it (`  Ov    Cluster:`), at a
    // column that closes its mapping: the owner is found by the key's column before the typing
    const name = /^[^\s#\-][^#\n]*?(?=:( |\r?\n|$))/.exec(text.slice(keyAt, keyAt + MAX_LINE_PREFIX))?.[0];
    const keyCol = keyAt - ls - (w.end - w.start);
    const c = name !== undefined && keyCol > col ? ownerByIndentation(doc, ls, keyCol, false, w, offset) : undefined;
    if (c) {
      c.existing.add(name!);
      return {
        ...c,
        column: keyCol,
        replace: { offset: w.start, length: keyAt - w.start },
        beforeKey: { lead: ' '.repeat(keyCol - col), after: '\n' + ' '.repeat(keyCol) },
      };
    }
  }
  // the node already holding the typed word (a key without value, or a scalar)
  const here = w.end > w.start ? nodeAtOffset(doc.root, w.start, true) : undefined;
  if (here && here.offset === w.start && isKeyNode(here)) {
    const prop = here.parent!;
    const c = keyCursor(doc, prop.parent, nodePath(prop.parent!), w, col);
    c.existing.delete(String(here.value));
    c.hasValue = !!prop.children?.[1] && prop.children[1].type !== 'null';
    return c;
  }
  if (here && here.offset === w.start && here.type === 'string' && !dashHere) {
    // `Parameters:\n  Ove|` parses as the string value of Parameters
    const owner = here.parent;
    if (owner?.type === 'property') return keyCursor(doc, undefined, nodePath(here), w, col, owner);
  }
  return ownerByIndentation(doc, ls, col, dashHere, w, offset);
}
