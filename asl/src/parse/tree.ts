/**
 * Helpers over the positioned tree (JSON and YAML alike). All are total: a wrong node kind
 * yields undefined / [] instead of throwing.
 */
import type { AstNode } from '../types';

/** The `property` node of `key` in an object node (the first one when duplicated). */
export function getProperty(obj: AstNode | undefined, key: string): AstNode | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k && k.value === key) return p;
  }
  return undefined;
}

/** The value node of `key` in an object node. */
export function getValue(obj: AstNode | undefined, key: string): AstNode | undefined {
  return getProperty(obj, key)?.children?.[1];
}

/** The string value of `key` when it is a string, else undefined. */
export function getString(obj: AstNode | undefined, key: string): string | undefined {
  const v = getValue(obj, key);
  return v && v.type === 'string' && typeof v.value === 'string' ? v.value : undefined;
}

/** [name, keyNode, valueNode] for each property of an object node, in document order. */
export function propertyEntries(obj: AstNode | undefined): [string, AstNode, AstNode | undefined][] {
  if (!obj || obj.type !== 'object' || !obj.children) return [];
  const out: [string, AstNode, AstNode | undefined][] = [];
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (!k) continue;
    out.push([String(k.value ?? ''), k, p.children?.[1]]);
  }
  return out;
}

/** The plain JS value of a node (objects: later duplicate keys win, like JSON.parse). */
export function nodeValue(node: AstNode | undefined): unknown {
  if (!node) return undefined;
  // an explicit stack keeps deep documents from overflowing the call stack
  const build = (n: AstNode, depth: number): unknown => {
    switch (n.type) {
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const p of n.children ?? []) {
          const k = p.children?.[0];
          const v = p.children?.[1];
          if (!k) continue;
          const name = String(k.value ?? '');
          const val = v ? (depth > 5000 ? null : build(v, depth + 1)) : undefined;
          // define, not assign, so "__proto__" stays an ordinary key
          if (name === '__proto__')
            Object.defineProperty(o, name, { value: val, enumerable: true, writable: true, configurable: true });
          else o[name] = val;
        }
        return o;
      }
      case 'array':
        return (n.children ?? []).map((c) => (depth > 5000 ? null : build(c, depth + 1)));
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

/** The innermost node containing `offset` (binary search over sorted children). */
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
        break;
      }
    }
    if (!found) return node;
    node = found;
  }
}

/** The path from the root: property names and array indices. */
export function nodePath(node: AstNode | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  let n = node;
  while (n && n.parent) {
    const p: AstNode = n.parent;
    if (p.type === 'property') {
      const k = p.children?.[0];
      if (k && k !== n) path.push(String(k.value ?? ''));
      else if (k === n) {
        // the key itself: its path is the property's
        path.push(String(k.value ?? ''));
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

/** For a property node or key node, the object owning it; for others, undefined. */
export function owningObject(node: AstNode | undefined): AstNode | undefined {
  let n = node;
  if (n && n.parent?.type === 'property') n = n.parent;
  return n?.type === 'property' ? n.parent : undefined;
}
