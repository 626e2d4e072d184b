/**
 * Helpers over the positioned tree (JSON and YAML alike), for every consumer: the rules, the
 * language features, the model, the graph and IAM. All are total: a wrong node kind yields
 * undefined / [] instead of throwing.
 */
import type { AstNode } from '../types';

/** One step of a node's path from the root: a property name or an array index. */
export type TreePathSegment = string | number;

/** [name, keyNode, valueNode] of one property of an object node. */
export type PropertyEntry = [string, AstNode, AstNode | undefined];

interface Fields {
  entries: PropertyEntry[];
  /** first occurrence of each key, built on first lookup by name */
  byName?: Map<string, PropertyEntry>;
}

// A tree is never changed once parsed (one per document version), so the field list of a
// large object (`States` of a big machine, big payloads) is cached on the node with a map
// for lookups by name, built on first lookup. Small objects — nearly all of them — are not
// cached: listing their few properties again is cheaper than keeping a list alive for every
// object of a large document. Up to SCAN_LIMIT properties, a linear scan also finds a key
// faster than a map.
const SCAN_LIMIT = 8;
const FIELDS = new WeakMap<AstNode, Fields>();
const EMPTY: Fields = { entries: [], byName: new Map() };

function fieldsOf(obj: AstNode | undefined): Fields {
  if (!obj || obj.type !== 'object' || !obj.children) return EMPTY;
  const small = obj.children.length <= SCAN_LIMIT;
  let f = small ? undefined : FIELDS.get(obj);
  if (!f) {
    const entries: PropertyEntry[] = [];
    for (const p of obj.children) {
      const k = p.children?.[0];
      if (k) entries.push([keyText(k), k, p.children?.[1]]);
    }
    f = { entries, byName: undefined };
    if (!small) FIELDS.set(obj, f);
  }
  return f;
}

/** The first entry of each key of an object's fields. */
function byNameOf(f: Fields): Map<string, PropertyEntry> {
  if (!f.byName) {
    const byName = new Map<string, PropertyEntry>();
    for (const e of f.entries) if (!byName.has(e[0])) byName.set(e[0], e);
    f.byName = byName;
  }
  return f.byName;
}

/** The properties of an object node in document order (read-only: a large object's list is shared; [] for others). */
export function propertyEntries(obj: AstNode | undefined): readonly PropertyEntry[] {
  return fieldsOf(obj).entries;
}

/**
 * Calls `visit` with the name, key node and value node of each property of an object node, in
 * document order (nothing for other nodes). Unlike propertyEntries it allocates nothing, for
 * the rules that read every property of every state of a large machine.
 */
export function forEachProperty(
  obj: AstNode | undefined,
  visit: (name: string, key: AstNode, value: AstNode | undefined) => void,
): void {
  if (!obj || obj.type !== 'object' || !obj.children) return;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k) visit(keyText(k), k, p.children?.[1]);
  }
}

/** The first `property` node of `key` in an object node. */
function propertyOf(obj: AstNode | undefined, key: string): AstNode | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  const children = obj.children;
  if (children.length > SCAN_LIMIT) return byNameOf(fieldsOf(obj)).get(key)?.[1].parent;
  for (const p of children) {
    const k = p.children?.[0];
    if (k && keyText(k) === key) return p;
  }
  return undefined;
}

/** The text of a key node (YAML keys can be numbers or booleans). */
function keyText(k: AstNode): string {
  const v = k.value;
  return typeof v === 'string' ? v : String(v ?? '');
}

/** The `property` node of `key` in an object node (the first one when duplicated). */
export function getProperty(obj: AstNode | undefined, key: string): AstNode | undefined {
  return propertyOf(obj, key);
}

/** The value node of `key` in an object node (first occurrence). */
export function getValue(obj: AstNode | undefined, key: string): AstNode | undefined {
  return propertyOf(obj, key)?.children?.[1];
}

/** The key node of `key` in an object node (first occurrence). */
export function keyNode(obj: AstNode | undefined, key: string): AstNode | undefined {
  return propertyOf(obj, key)?.children?.[0];
}

/** True when the object node has a property `key`. */
export function hasField(obj: AstNode | undefined, key: string): boolean {
  return propertyOf(obj, key) !== undefined;
}

/** The string value of `key` when it is a string, else undefined. */
export function getString(obj: AstNode | undefined, key: string): string | undefined {
  const v = getValue(obj, key);
  return v && v.type === 'string' && typeof v.value === 'string' ? v.value : undefined;
}

/** Every key of an object node, in document order (repeated keys repeated). */
export function keysOf(obj: AstNode | undefined): string[] {
  return fieldsOf(obj).entries.map((e) => e[0]);
}

/**
 * Objects up to this many properties are searched for a repeated key by comparing each key
 * with the ones before it, which allocates nothing.
 */
const PAIRWISE_LIMIT = 16;

/**
 * Adds to `out` each later occurrence of a key of an object node, with the key's first
 * occurrence. The JSON parser calls it on each object it reads.
 */
export function collectRepeatedKeys(obj: AstNode, out: [AstNode, AstNode][]): void {
  const props = obj.children;
  if (obj.type !== 'object' || !props || props.length < 2) return;
  if (props.length <= PAIRWISE_LIMIT) {
    for (let i = 1; i < props.length; i++) {
      const k = props[i].children?.[0];
      if (!k) continue;
      const name = keyText(k);
      for (let j = 0; j < i; j++) {
        const first = props[j].children?.[0];
        if (first && keyText(first) === name) {
          out.push([k, first]);
          break;
        }
      }
    }
    return;
  }
  // a large object (`States` of a big machine): its keys by name, for this search only
  const firsts = new Map<string, AstNode>();
  for (const p of props) {
    const k = p.children?.[0];
    if (!k) continue;
    const name = keyText(k);
    const first = firsts.get(name);
    if (first) out.push([k, first]);
    else firsts.set(name, k);
  }
}

/** collectRepeatedKeys of every object of a tree (walked iteratively: trees can be deep). */
export function repeatedKeysIn(root: AstNode): [AstNode, AstNode][] {
  const out: [AstNode, AstNode][] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const children = n.children ?? [];
    // only containers are stacked: scalars (most nodes) hold no keys
    if (n.type === 'object') {
      for (const p of children) {
        const v = p.children?.[1];
        if (v?.children) stack.push(v);
      }
      collectRepeatedKeys(n, out);
    } else if (n.type === 'array') for (const c of children) if (c.children) stack.push(c);
  }
  return out;
}

/** The key text of a property node (undefined for anything else). */
export function keyOf(prop: AstNode | undefined): string | undefined {
  if (!prop || prop.type !== 'property') return undefined;
  const k = prop.children?.[0];
  return k && typeof k.value === 'string' ? k.value : undefined;
}

/** True when the node is the key of its property. */
export function isKeyNode(node: AstNode | undefined): boolean {
  return node?.parent?.type === 'property' && node.parent.children?.[0] === node;
}

/** The items of an array node ([] for anything else). */
export function items(node: AstNode | undefined): AstNode[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

/** Deeper values than this become null in `nodeValue`, so no document can overflow the stack. */
const MAX_VALUE_DEPTH = 5000;

/** The plain JS value of a node (objects: later duplicate keys win, like JSON.parse). */
export function nodeValue(node: AstNode | undefined): unknown {
  if (!node) return undefined;
  const build = (n: AstNode, depth: number): unknown => {
    switch (n.type) {
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const p of n.children ?? []) {
          const k = p.children?.[0];
          const v = p.children?.[1];
          if (!k) continue;
          const name = String(k.value ?? '');
          const val = v ? (depth > MAX_VALUE_DEPTH ? null : build(v, depth + 1)) : undefined;
          // define, not assign, so "__proto__" stays an ordinary key
          if (name === '__proto__')
            Object.defineProperty(o, name, { value: val, enumerable: true, writable: true, configurable: true });
          else o[name] = val;
        }
        return o;
      }
      case 'array':
        return (n.children ?? []).map((c) => (depth > MAX_VALUE_DEPTH ? null : build(c, depth + 1)));
      case 'property':
        return n.children?.[1] ? build(n.children[1], depth + 1) : undefined;
      case 'null':
        return null;
      default:
        return n.value;
    }
  };
  try {
    return build(node, 0);
  } catch {
    return undefined;
  }
}

/** The end offset (exclusive) of a node. */
export function nodeEnd(node: AstNode): number {
  return node.offset + node.length;
}

/** Whether `offset` lies inside the node (the end counts when includeRightBound). */
export function contains(node: AstNode, offset: number, includeRightBound = false): boolean {
  return (
    (offset >= node.offset && offset < node.offset + node.length) ||
    (includeRightBound && offset === node.offset + node.length)
  );
}

/**
 * The innermost node containing `offset`, by binary search over the sorted children. With
 * `includeRightBound` a node also contains its end offset, and where one node ends exactly where
 * the next starts (`Key:` and its empty value in YAML) the later one wins: the caret belongs
 * to what follows it.
 */
export function nodeAtOffset(
  root: AstNode | undefined,
  offset: number,
  includeRightBound = false,
): AstNode | undefined {
  if (!root || !contains(root, offset, includeRightBound)) return undefined;
  let node = root;
  for (;;) {
    const children = node.children;
    if (!children || children.length === 0) return node;
    let lo = 0;
    let hi = children.length - 1;
    let found: AstNode | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = children[mid];
      if (offset < c.offset) hi = mid - 1;
      else if (offset > c.offset + c.length || (offset === c.offset + c.length && !includeRightBound)) lo = mid + 1;
      else {
        found = c;
        if (includeRightBound && mid + 1 < children.length && children[mid + 1].offset <= offset)
          found = children[mid + 1];
        break;
      }
    }
    if (!found) return node;
    node = found;
  }
}

/** The path from the root: property names and array indices (a key has its property's path). */
export function nodePath(node: AstNode | undefined): TreePathSegment[] {
  const path: TreePathSegment[] = [];
  let n = node;
  while (n && n.parent) {
    const p: AstNode = n.parent;
    if (p.type === 'property') {
      const k = p.children?.[0];
      if (k) path.push(String(k.value ?? ''));
      if (k === n) {
        n = p.parent;
        continue;
      }
    } else if (p.type === 'array') {
      path.push(p.children ? p.children.indexOf(n) : -1);
    }
    n = p;
  }
  return path.reverse();
}

/** The range of a string node's text without its quotes (JSON or quoted YAML). */
export function innerRange(text: string, node: AstNode): { offset: number; length: number } {
  const c = text[node.offset];
  if ((c === '"' || c === "'") && node.length >= 2 && text[node.offset + node.length - 1] === c) {
    return { offset: node.offset + 1, length: node.length - 2 };
  }
  return { offset: node.offset, length: node.length };
}
