/**
 * Small positioned-tree helpers shared by the language features (completion, hover, code
 * actions, navigation). They only read the cached tree and model; nothing here re-parses.
 */
import type { AstNode, MachineModel, Scope, StateInfo, StateRef } from '../../../../asl/src/types';

export type PathSegment = string | number;

/** The key text of a property node (undefined for anything else). */
export function keyOf(prop: AstNode | undefined): string | undefined {
  if (!prop || prop.type !== 'property') return undefined;
  const k = prop.children?.[0];
  return k && typeof k.value === 'string' ? k.value : undefined;
}

/** The value node of a property. */
export function valueOf(prop: AstNode | undefined): AstNode | undefined {
  return prop?.type === 'property' ? prop.children?.[1] : undefined;
}

/** The property `name` of an object node. */
export function propOf(obj: AstNode | undefined, name: string): AstNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (keyOf(p) === name) return p;
  return undefined;
}

/** The value node of property `name` of an object node. */
export function childValue(obj: AstNode | undefined, name: string): AstNode | undefined {
  return valueOf(propOf(obj, name));
}

/** The string value of property `name`, if it is a string. */
export function stringProp(obj: AstNode | undefined, name: string): string | undefined {
  const v = childValue(obj, name);
  return v?.type === 'string' && typeof v.value === 'string' ? v.value : undefined;
}

/** Every key of an object node. */
export function keysOf(obj: AstNode | undefined): string[] {
  if (!obj || obj.type !== 'object') return [];
  const out: string[] = [];
  for (const p of obj.children ?? []) {
    const k = keyOf(p);
    if (k !== undefined) out.push(k);
  }
  return out;
}

/** The plain JS value of a node (objects/arrays rebuilt; broken parts skipped). */
export function toValue(node: AstNode | undefined, depth = 0): unknown {
  if (!node || depth > 200) return undefined;
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = keyOf(p);
        if (k !== undefined) o[k] = toValue(valueOf(p), depth + 1);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map((c) => toValue(c, depth + 1));
    case 'null':
      return null;
    default:
      return node.value;
  }
}

const end = (n: AstNode) => n.offset + n.length;

/**
 * The deepest node whose range contains `offset` (boundaries inclusive), descending
 * through children in order. Children are searched by binary search on offsets.
 */
export function deepestNodeAt(root: AstNode | undefined, offset: number): AstNode | undefined {
  if (!root || offset < root.offset || offset > end(root)) return undefined;
  let node = root;
  for (;;) {
    const kids = node.children;
    if (!kids || kids.length === 0) return node;
    let lo = 0;
    let hi = kids.length - 1;
    let found: AstNode | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = kids[mid];
      if (offset < c.offset) hi = mid - 1;
      else if (offset > end(c)) lo = mid + 1;
      else {
        found = c;
        // prefer a later sibling that starts exactly at offset (e.g. `a,|b`)
        if (mid + 1 < kids.length && kids[mid + 1].offset <= offset) found = kids[mid + 1];
        break;
      }
    }
    if (!found) return node;
    node = found;
  }
}

/** Path segments from the root to `node` (keys and array indices). */
export function pathOf(node: AstNode): PathSegment[] {
  const out: PathSegment[] = [];
  let n: AstNode | undefined = node;
  while (n && n.parent) {
    const p: AstNode = n.parent;
    if (p.type === 'property') {
      const k = keyOf(p);
      if (p.children?.[1] === n && k !== undefined) out.push(k);
    } else if (p.type === 'array') {
      out.push(p.children ? p.children.indexOf(n) : 0);
    }
    n = p;
  }
  return out.reverse();
}

/** Per-model lookup tables (built once per model, kept in a WeakMap). */
interface ModelIndex {
  stateByValue: Map<AstNode, StateInfo>;
  stateByKey: Map<AstNode, StateInfo>;
  scopeByNode: Map<AstNode, Scope>;
  refByNode: Map<AstNode, StateRef>;
}
const indexCache = new WeakMap<MachineModel, ModelIndex>();

export function modelIndex(model: MachineModel): ModelIndex {
  let idx = indexCache.get(model);
  if (!idx) {
    idx = { stateByValue: new Map(), stateByKey: new Map(), scopeByNode: new Map(), refByNode: new Map() };
    for (const s of model.states) {
      idx.stateByValue.set(s.node, s);
      idx.stateByKey.set(s.keyNode, s);
    }
    for (const sc of model.scopes) idx.scopeByNode.set(sc.node, sc);
    for (const r of model.refs) idx.refByNode.set(r.node, r);
    indexCache.set(model, idx);
  }
  return idx;
}

/** The innermost state whose value node is `node` or one of its ancestors. */
export function enclosingState(model: MachineModel, node: AstNode | undefined): StateInfo | undefined {
  const idx = modelIndex(model);
  for (let n = node; n; n = n.parent) {
    const s = idx.stateByValue.get(n);
    if (s) return s;
  }
  return undefined;
}

/** The innermost scope (root, branch, processor) whose object contains `node`. */
export function enclosingScope(model: MachineModel, node: AstNode | undefined): Scope | undefined {
  const idx = modelIndex(model);
  for (let n = node; n; n = n.parent) {
    const s = idx.scopeByNode.get(n);
    if (s) return s;
  }
  return model.root;
}

/** Path from the state value node (exclusive) down to `node`'s path. */
export function relativePath(full: PathSegment[], state: StateInfo | undefined): PathSegment[] {
  if (!state) return full;
  const statePath = pathOf(state.node);
  return full.slice(statePath.length);
}

/** What a position points at for navigation: a state declaration or a reference. */
export interface StateTarget {
  state?: StateInfo;
  /** the reference under the position, if any */
  ref?: StateRef;
  /** the name and the scope it resolves in */
  name: string;
  scope: Scope;
}

/** The state (declared or referenced) at `offset`, for definition/references/rename. */
export function stateTargetAt(model: MachineModel, offset: number): StateTarget | undefined {
  const node = deepestNodeAt(model.doc.root, offset);
  if (!node || node.type !== 'string') return undefined;
  const idx = modelIndex(model);
  const ref = idx.refByNode.get(node);
  if (ref) return { ref, name: ref.target, scope: ref.scope, state: ref.scope.states.get(ref.target) };
  const st = idx.stateByKey.get(node);
  if (st) return { state: st, name: st.name, scope: st.scope };
  return undefined;
}

/** Every reference to the state `name` in `scope`. */
export function refsTo(model: MachineModel, name: string, scope: Scope): StateRef[] {
  return model.refs.filter((r) => r.target === name && r.scope === scope);
}

/** The range of a string node's text without its quotes (JSON or quoted YAML). */
export function innerRange(text: string, node: AstNode): { offset: number; length: number } {
  const c = text[node.offset];
  if ((c === '"' || c === "'") && node.length >= 2 && text[node.offset + node.length - 1] === c) {
    return { offset: node.offset + 1, length: node.length - 2 };
  }
  return { offset: node.offset, length: node.length };
}
