/**
 * What completion knows about the position being typed at (the Cursor), and the small text
 * helpers both the JSON and the YAML cursor computations use.
 */
import type { AstNode, ParsedDocument } from '../../../../asl/src/types';
import { keysOf, type TreePathSegment } from '../../../../asl/src/parse/tree';

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
export const WORD = /[A-Za-z0-9_.$\-:]/;
export const end = (n: AstNode) => n.offset + n.length;

export function wordAround(text: string, offset: number): { start: number; end: number } {
  let s = offset;
  while (s > 0 && WORD.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && WORD.test(text[e])) e++;
  return { start: s, end: e };
}

export function nextNonSpace(text: string, from: number): string {
  for (let i = from; i < text.length; i++) if (!/\s/.test(text[i])) return text[i];
  return '';
}

/** The first offset at or after `from` that is not a space or tab (stays on the line). */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** Columns of a YAML line scanned for completion (past them, none is offered). */
export const MAX_LINE_PREFIX = 1000;

/**
 * Longest JSON document parsed a second time for one completion, to learn the keys present
 * when a quote typed right in front of a key broke the parse of its object (a few
 * milliseconds at this size); in a longer one the keys the broken parse kept are used.
 */
export const MAX_REPARSED_CHARS = 50_000;

/**
 * Start of the line holding `offset`. `lastIndexOf` treats a negative start as 0, so at
 * offset 0 of a text beginning with a newline it would find that newline and answer 1 — a
 * line start *after* the offset, which stalled the upward line walk in `yamlCursor`.
 */
export function lineStartOf(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function keyCursor(
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
