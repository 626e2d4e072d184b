/**
 * The Parameters/Arguments payload of an integration Task and its static view: values that are
 * computed at run time (`K.$` keys, JSONata `{% %}` strings) become `null` placeholders marked
 * dynamic, so schema checks keep the key (required / unknown-name checks still apply) but never
 * type-check a dynamic value (reference §2, §6.3, §6.4).
 */
import type { AstNode, StateInfo } from '../../../../asl/src/types';
import { getValue, isJsonataString, keyNode } from '../util';

export interface Mirror {
  node: AstNode;
  /** key node holding this value (objects' properties) */
  key?: AstNode;
  dynamic: boolean;
  props?: Map<string, Mirror>;
  items?: Mirror[];
}

export interface StaticPayload {
  value: unknown;
  mirror: Mirror;
}

const MAX_DEPTH = 64;

/** The payload node of a Task state (Parameters in JSONPath, Arguments in JSONata). */
export function payloadNode(s: StateInfo): { node?: AstNode; key?: AstNode; field: 'Parameters' | 'Arguments' } {
  const field = s.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  return { node: getValue(s.node, field), key: keyNode(s.node, field), field };
}

/** Builds the static value + mirror of a payload node. */
export function staticPayload(node: AstNode): StaticPayload {
  const build = (n: AstNode, key: AstNode | undefined, depth: number): [unknown, Mirror] => {
    if (depth > MAX_DEPTH || isJsonataString(n)) return [null, { node: n, key, dynamic: true }];
    switch (n.type) {
      case 'object': {
        const obj: Record<string, unknown> = {};
        const props = new Map<string, Mirror>();
        for (const p of n.children ?? []) {
          const k = p.children?.[0];
          const v = p.children?.[1];
          if (!k || !v) continue;
          const name = String(k.value ?? '');
          let plain = name;
          let val: unknown;
          let m: Mirror;
          if (name.endsWith('.$')) {
            plain = name.slice(0, -2);
            val = null;
            m = { node: v, key: k, dynamic: true };
          } else [val, m] = build(v, k, depth + 1);
          if (props.has(plain)) continue; // twins are reported by ASL206
          props.set(plain, m);
          Object.defineProperty(obj, plain, { value: val, enumerable: true, writable: true, configurable: true });
        }
        return [obj, { node: n, key, dynamic: false, props }];
      }
      case 'array': {
        const arr: unknown[] = [];
        const its: Mirror[] = [];
        for (const c of n.children ?? []) {
          const [v, m] = build(c, undefined, depth + 1);
          arr.push(v);
          its.push(m);
        }
        return [arr, { node: n, key, dynamic: false, items: its }];
      }
      case 'null':
        return [null, { node: n, key, dynamic: false }];
      default:
        return [n.value, { node: n, key, dynamic: false }];
    }
  };
  const [value, mirror] = build(node, undefined, 0);
  return { value, mirror };
}

/**
 * Resolves an ajv instancePath (`/A/0/B`) in a mirror. Returns undefined for dynamic values
 * (or anything under them) — callers drop such errors.
 */
export function resolvePointer(root: Mirror, pointer: string): Mirror | undefined | 'dynamic' {
  if (root.dynamic) return 'dynamic';
  if (!pointer) return root;
  let m: Mirror | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!m) return undefined;
    if (m.props) m = m.props.get(seg);
    else if (m.items) m = m.items[Number(seg)];
    else return undefined;
    if (m?.dynamic) return 'dynamic';
  }
  return m;
}
