/**
 * The completion cursor in a YAML document: block mappings are found by indentation, since a
 * half-typed line often has no node of its own in the tree.
 */
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { isKeyNode, keyOf, keysOf, nodeAtOffset, nodePath } from '../../../../asl/src/parse/tree';
import { type Cursor, MAX_LINE_PREFIX, end, keyCursor, lineStartOf, skipSpaces, wordAround } from './cursorText';

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

export function yamlCursor(doc: ParsedDocument, offset: number): Cursor | undefined {
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
