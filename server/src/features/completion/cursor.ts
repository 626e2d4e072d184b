/**
 * Where a position is in the positioned tree, for completion: typing a key (of which object)
 * or a value (of which property / array item), the text typed so far and the range a
 * completion replaces. Works on the cached tree of JSON and YAML documents, including
 * half-typed ones (a key without colon, an empty value, a blank YAML line).
 */
import { parseDocument } from '../../../../asl/src/parse';
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { isKeyNode, keyOf, keysOf, nodeAtOffset, nodePath } from '../../../../asl/src/parse/tree';
import {
  type Cursor,
  MAX_LINE_PREFIX,
  MAX_REPARSED_CHARS,
  end,
  keyCursor,
  lineStartOf,
  nextNonSpace,
  skipSpaces,
  wordAround,
} from './cursorText';
import { yamlCursor } from './cursorYaml';

/** JSON: where a comma is missing before `offset` (the previous sibling ends without one). */
function missingCommaBefore(text: string, offset: number, container: AstNode): number | undefined {
  let i = offset - 1;
  while (i > container.offset && /\s/.test(text[i])) i--;
  const c = text[i];
  if (i <= container.offset || c === ',' || c === '{' || c === '[' || c === ':') return undefined;
  return i + 1;
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

/** Computes the cursor at `offset`; undefined when nothing sensible can be completed. */
export function cursorAt(doc: ParsedDocument, offset: number): Cursor | undefined {
  return doc.format === 'json' ? jsonCursor(doc, offset) : yamlCursor(doc, offset);
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
