/**
 * A fast path for well-formed JSON: one hand-written pass that builds exactly the tree
 * jsonc-parser builds (same node kinds, offsets, lengths, colonOffset, parent links). On
 * anything unusual - a comment, a trailing comma, any syntax error, odd whitespace, very deep
 * nesting - it gives up (returns null) and the caller falls back to jsonc-parser, which
 * reports problems tolerantly. Valid documents are the common case, so this keeps parsing
 * a 5,000-state machine within a few milliseconds.
 */
import type { AstNode } from '../types';
import { collectRepeatedKeys } from './tree';

const MAX_DEPTH = 400;
/** Longer strings are rarely repeated, and their copies are cheap slices of the text. */
const INTERN_MAX = 64;
/** The children of a container until it closes (a tree given out has them all). */
const NO_CHILDREN: AstNode[] = [];

class Bail extends Error {}
const BAIL = new Bail();

/**
 * Parses strict JSON into the positioned tree, or returns null when it cannot. With
 * `repeatedKeys`, adds the repeated keys of each object to it (see collectRepeatedKeys): the
 * parser has the object's keys at hand, where a later walk of a large tree would have to
 * fetch every node from memory again.
 */
export function fastParseJson(text: string, repeatedKeys?: [AstNode, AstNode][]): AstNode | null {
  const n = text.length;
  let i = 0;
  // the children read so far of every open container, innermost last; a container takes an
  // array of exactly its size when it closes, where pushing onto its own array would grow it
  // to 17 slots at the first child and leave most of them unused in the tree
  const read: AstNode[] = [];
  let top = 0;
  // one string per distinct short text: a large machine repeats its keys and many values
  // thousands of times, and holding each text once makes its tree an eighth smaller, which is
  // that much less for the garbage collector to copy and mark while the tree is young
  const interned = new Map<string, string>();
  const childrenFrom = (base: number): AstNode[] => {
    const children = read.slice(base, top);
    top = base;
    return children;
  };

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };

  const readString = (): string => {
    // at the opening quote
    const start = ++i;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32) throw BAIL;
      i++;
    }
    if (i >= n) throw BAIL;
    const raw = text.slice(start, i);
    i++; // closing quote
    if (!escaped) {
      if (raw.length > INTERN_MAX) return raw;
      const seen = interned.get(raw);
      if (seen !== undefined) return seen;
      interned.set(raw, raw);
      return raw;
    }
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      throw BAIL;
    }
  };

  const digits = (): number => {
    const s = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) i++;
      else break;
    }
    return i - s;
  };

  const readNumber = (): number => {
    const s = i;
    if (text.charCodeAt(i) === 45) i++;
    const first = text.charCodeAt(i);
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) digits();
    else throw BAIL;
    if (text.charCodeAt(i) === 46) {
      i++;
      if (digits() === 0) throw BAIL;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (digits() === 0) throw BAIL;
    }
    return Number(text.slice(s, i));
  };

  const value = (parent: AstNode | undefined, depth: number): AstNode => {
    if (depth > MAX_DEPTH || i >= n) throw BAIL;
    const c = text.charCodeAt(i);
    const offset = i;
    if (c === 123 /* { */) {
      const obj: AstNode = { type: 'object', offset, length: -1, parent, children: NO_CHILDREN };
      i++;
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
        obj.length = i - offset;
        obj.children = [];
        return obj;
      }
      const base = top;
      for (;;) {
        if (text.charCodeAt(i) !== 34) throw BAIL;
        const keyStart = i;
        const key = readString();
        const keyEnd = i;
        ws();
        if (text.charCodeAt(i) !== 58 /* : */) throw BAIL;
        // same key order as jsonc-parser's nodes, so both kinds share hidden classes
        const prop: AstNode = {
          type: 'property',
          offset: keyStart,
          length: -1,
          parent: obj,
          children: undefined,
          colonOffset: i,
        };
        const keyNode: AstNode = {
          type: 'string',
          value: key,
          offset: keyStart,
          length: keyEnd - keyStart,
          parent: prop,
        };
        i++;
        ws();
        const v = value(prop, depth + 1);
        prop.children = [keyNode, v];
        prop.length = v.offset + v.length - keyStart;
        read[top++] = prop;
        ws();
        const d = text.charCodeAt(i);
        if (d === 44 /* , */) {
          i++;
          ws();
          continue;
        }
        if (d === 125 /* } */) {
          i++;
          obj.length = i - offset;
          obj.children = childrenFrom(base);
          if (repeatedKeys) collectRepeatedKeys(obj, repeatedKeys);
          return obj;
        }
        throw BAIL;
      }
    }
    if (c === 91 /* [ */) {
      const arr: AstNode = { type: 'array', offset, length: -1, parent, children: NO_CHILDREN };
      i++;
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
        arr.length = i - offset;
        arr.children = [];
        return arr;
      }
      const base = top;
      for (;;) {
        const item = value(arr, depth + 1);
        read[top++] = item;
        ws();
        const d = text.charCodeAt(i);
        if (d === 44) {
          i++;
          ws();
          continue;
        }
        if (d === 93) {
          i++;
          arr.length = i - offset;
          arr.children = childrenFrom(base);
          return arr;
        }
        throw BAIL;
      }
    }
    if (c === 34) {
      const s = readString();
      return { type: 'string', offset, length: i - offset, parent, value: s };
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const num = readNumber();
      return { type: 'number', offset, length: i - offset, parent, value: num };
    }
    if (text.startsWith('true', i)) {
      i += 4;
      return { type: 'boolean', offset, length: 4, parent, value: true };
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return { type: 'boolean', offset, length: 5, parent, value: false };
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return { type: 'null', offset, length: 4, parent, value: null };
    }
    throw BAIL;
  };

  try {
    ws();
    const root = value(undefined, 0);
    ws();
    if (i !== n) return null;
    return root;
  } catch (e) {
    if (e === BAIL || e instanceof RangeError) return null;
    return null;
  }
}
