/**
 * The machine model: scopes (machine, Parallel branches, Map processors), states, references
 * and duplicates, built in one pass over the positioned tree. Tolerant of any shape: wrong
 * types are skipped, never thrown on.
 */
import type {
  AstNode,
  MachineModel,
  ParsedResource,
  ParsedDocument,
  QueryLanguage,
  RefKind,
  Scope,
  StateInfo,
  StateRef,
} from './types';
import { nodeAtOffset, nodePath, type TreePathSegment } from './parse/tree';
import { parseResource } from './resource';

/** The fields the model reads, found in one pass (first occurrence of each key wins). */
class Fields {
  Type: AstNode | undefined = undefined;
  QueryLanguage: AstNode | undefined = undefined;
  Next: AstNode | undefined = undefined;
  Default: AstNode | undefined = undefined;
  Choices: AstNode | undefined = undefined;
  Catch: AstNode | undefined = undefined;
  Resource: AstNode | undefined = undefined;
  Branches: AstNode | undefined = undefined;
  ItemProcessor: AstNode | undefined = undefined;
  Iterator: AstNode | undefined = undefined;
  ProcessorConfig: AstNode | undefined = undefined;
  Mode: AstNode | undefined = undefined;
  StartAt: AstNode | undefined = undefined;
  States: AstNode | undefined = undefined;
  /** the first `Next` and `End` properties, with or without a value (what getProperty finds) */
  nextProperty: AstNode | undefined = undefined;
  endProperty: AstNode | undefined = undefined;
  get(key: FieldName): AstNode | undefined {
    return this[key];
  }
}
type FieldName = Exclude<keyof Fields, 'get' | 'nextProperty' | 'endProperty'>;
const FIELD_NAMES = new Set<string>(
  Object.keys(new Fields()).filter((k) => k !== 'nextProperty' && k !== 'endProperty'),
);

function keyMap(obj: AstNode | undefined): Fields {
  const m = new Fields();
  if (!obj || obj.type !== 'object' || !obj.children) return m;
  const children = obj.children;
  for (let i = 0; i < children.length; i++) {
    const k = children[i].children?.[0];
    if (!k || typeof k.value !== 'string') continue;
    if (k.value === 'End') m.endProperty ??= children[i];
    if (!FIELD_NAMES.has(k.value)) continue;
    const name = k.value as FieldName;
    if (name === 'Next') m.nextProperty ??= children[i];
    if (m[name] === undefined) m[name] = children[i].children?.[1];
  }
  return m;
}

function asQueryLanguage(n: AstNode | undefined): QueryLanguage | undefined {
  return n && n.type === 'string' && (n.value === 'JSONata' || n.value === 'JSONPath') ? n.value : undefined;
}

interface Builder {
  model: MachineModel;
  seen: Set<string>;
  /** each Resource text parsed once: a large machine repeats a few of them thousands of times */
  resources: Map<string, ParsedResource>;
}

/** Builds the model of a parsed document; never throws. */
export function buildModel(doc: ParsedDocument): MachineModel {
  const model: MachineModel = { doc, scopes: [], states: [], refs: [], duplicates: [], queryLanguage: 'JSONPath' };
  const root = doc.root;
  if (!root || root.type !== 'object') return model;
  try {
    const top = keyMap(root);
    // the machine-wide default is JSONPath unless the top level says JSONata (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html)
    model.queryLanguage = asQueryLanguage(top.get('QueryLanguage')) ?? 'JSONPath';
    const b: Builder = { model, seen: new Set(), resources: new Map() };
    model.root = buildScope(b, root, top, 'root', 'root', undefined, model.queryLanguage, undefined);
  } catch {
    // a partial model is better than none; nothing here is expected to throw
  }
  return model;
}

function buildScope(
  b: Builder,
  node: AstNode,
  keys: Fields,
  id: string,
  kind: Scope['kind'],
  parentState: StateInfo | undefined,
  queryLanguage: QueryLanguage,
  mode: Scope['mode'],
): Scope {
  const statesValue = keys.get('States');
  const scope: Scope = {
    id,
    kind,
    node,
    statesNode: statesValue && statesValue.type === 'object' ? statesValue : undefined,
    states: new Map(),
    stateList: [],
    parentState,
    queryLanguage,
    mode,
  };
  b.model.scopes.push(scope);
  const startAt = keys.get('StartAt');
  if (startAt && startAt.type === 'string') {
    scope.startAt = { kind: 'StartAt', target: String(startAt.value), node: startAt, scope };
    b.model.refs.push(scope.startAt);
  }
  const prefix = kind === 'root' ? '' : `${id}/`;
  for (const p of scope.statesNode?.children ?? []) {
    const keyNode = p.children?.[0];
    const valueNode = p.children?.[1];
    if (!keyNode) continue;
    const name = String(keyNode.value ?? '');
    const sk = keyMap(valueNode);
    const typeNode = sk.get('Type');
    const state: StateInfo = {
      name,
      keyNode,
      node: valueNode ?? p,
      type: typeNode && typeNode.type === 'string' ? String(typeNode.value) : undefined,
      scope,
      queryLanguage: asQueryLanguage(sk.get('QueryLanguage')) ?? scope.queryLanguage,
      refs: [],
      childScopes: [],
      next: sk.nextProperty?.children?.[1],
      end: sk.endProperty?.children?.[1],
      hasNext: sk.nextProperty !== undefined,
    };
    if (!scope.states.has(name)) scope.states.set(name, state);
    scope.stateList.push(state);
    if (b.seen.has(name)) b.model.duplicates.push(state);
    else b.seen.add(name);
    b.model.states.push(state);
    collectRefs(b, state, sk);
    if (state.type === 'Task') {
      const r = sk.get('Resource');
      if (r && r.type === 'string') {
        const raw = String(r.value);
        let resource = b.resources.get(raw);
        if (!resource) b.resources.set(raw, (resource = parseResource(raw)));
        state.resource = resource;
      }
    } else if (state.type === 'Parallel') {
      const branches = sk.get('Branches');
      if (branches && branches.type === 'array') {
        (branches.children ?? []).forEach((br, i) => {
          if (br.type !== 'object') return;
          const bk = keyMap(br);
          const ql = asQueryLanguage(bk.get('QueryLanguage')) ?? b.model.queryLanguage;
          state.childScopes.push(
            buildScope(b, br, bk, `${prefix}${name}/Branches[${i}]`, 'branch', state, ql, undefined),
          );
        });
      }
    } else if (state.type === 'Map') {
      // ItemProcessor replaces the deprecated Iterator (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html); with both, ItemProcessor wins
      const ip = sk.get('ItemProcessor');
      const it = sk.get('Iterator');
      const field = ip && ip.type === 'object' ? 'ItemProcessor' : it && it.type === 'object' ? 'Iterator' : undefined;
      if (field) {
        const pn = (field === 'ItemProcessor' ? ip : it)!;
        const pk = keyMap(pn);
        const cfg = keyMap(pk.get('ProcessorConfig'));
        const modeNode = cfg.get('Mode');
        const m: Scope['mode'] =
          modeNode && modeNode.type === 'string' && modeNode.value === 'DISTRIBUTED' ? 'DISTRIBUTED' : 'INLINE';
        const ql = asQueryLanguage(pk.get('QueryLanguage')) ?? b.model.queryLanguage;
        state.childScopes.push(buildScope(b, pn, pk, `${prefix}${name}/${field}`, 'processor', state, ql, m));
      }
    }
  }
  return scope;
}

function addRef(b: Builder, state: StateInfo, kind: RefKind, n: AstNode | undefined): void {
  if (!n || n.type !== 'string') return;
  const ref: StateRef = { kind, target: String(n.value), node: n, scope: state.scope, from: state };
  state.refs.push(ref);
  b.model.refs.push(ref);
}

function collectRefs(b: Builder, state: StateInfo, sk: Fields): void {
  addRef(b, state, 'Next', sk.get('Next'));
  if (state.type === 'Choice' || state.type === undefined) {
    const choices = sk.get('Choices');
    if (choices && choices.type === 'array') {
      for (const rule of choices.children ?? []) addRef(b, state, 'ChoiceNext', keyMap(rule).get('Next'));
    }
    addRef(b, state, 'Default', sk.get('Default'));
  }
  const catchers = sk.get('Catch');
  if (catchers && catchers.type === 'array') {
    for (const c of catchers.children ?? []) addRef(b, state, 'CatchNext', keyMap(c).get('Next'));
  }
}

// ---------------------------------------------------------------- queries

/** Per-model lookup tables (built once per model, kept in a WeakMap). */
export interface ModelIndex {
  stateByValue: Map<AstNode, StateInfo>;
  stateByKey: Map<AstNode, StateInfo>;
  scopeByNode: Map<AstNode, Scope>;
  refByNode: Map<AstNode, StateRef>;
}
const indexCache = new WeakMap<MachineModel, ModelIndex>();

/** The lookup tables of a model: states by value and key node, scopes by node, references by node. */
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

/** A path from the root made relative to a state's value node (the full path without a state). */
export function relativePath(full: TreePathSegment[], state: StateInfo | undefined): TreePathSegment[] {
  if (!state) return full;
  return full.slice(nodePath(state.node).length);
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
  const node = nodeAtOffset(model.doc.root, offset, true);
  if (!node || node.type !== 'string') return undefined;
  const idx = modelIndex(model);
  const ref = idx.refByNode.get(node);
  if (ref) return { ref, name: ref.target, scope: ref.scope, state: ref.scope.states.get(ref.target) };
  const st = idx.stateByKey.get(node);
  if (st) return { state: st, name: st.name, scope: st.scope };
  return undefined;
}

/** Every reference (StartAt included) to the state `name` of `scope`. */
export function referencesTo(model: MachineModel, name: string, scope: Scope): StateRef[] {
  return model.refs.filter((r) => r.target === name && r.scope === scope);
}
