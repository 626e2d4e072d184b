/**
 * The Parameters/Arguments payload of an integration Task and its static view: values that are
 * computed at run time (`K.$` keys, JSONata `{% %}` strings) become `null` placeholders marked
 * dynamic, so schema checks keep the key (required / unknown-name checks still apply) but never
 * type-check a dynamic value (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
import type { AstNode, StateInfo } from '../../types';
import { getValue, keyNode } from '../../parse/tree';
import { isJsonataString } from '../util';

/** A part of a payload's static value: where it is in the document, and whether it is computed at run time. */
export interface PayloadPart {
  node: AstNode;
  /** key node holding this value (objects' properties) */
  key?: AstNode;
  dynamic: boolean;
}

const MAX_DEPTH = 64;

/** The payload node of a Task state (Parameters in JSONPath, Arguments in JSONata). */
export function payloadNode(s: StateInfo): { node?: AstNode; key?: AstNode; field: 'Parameters' | 'Arguments' } {
  const field = s.queryLanguage === 'JSONata' ? 'Arguments' : 'Parameters';
  return { node: getValue(s.node, field), key: keyNode(s.node, field), field };
}

/**
 * The static value of a payload node: what is computed at run time becomes `null`, a key and
 * its `.$` twin count once (ASL206 reports them).
 */
export function staticValue(node: AstNode): unknown {
  return valueOf(node, 0);
}

function valueOf(n: AstNode, depth: number): unknown {
  if (depth > MAX_DEPTH || isJsonataString(n)) return null;
  switch (n.type) {
    case 'object': {
      const obj: Record<string, unknown> = {};
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (!k || !v) continue;
        const name = String(k.value ?? '');
        const dynamic = name.endsWith('.$');
        const plain = dynamic ? name.slice(0, -2) : name;
        if (Object.prototype.hasOwnProperty.call(obj, plain)) continue;
        const val = dynamic ? null : valueOf(v, depth + 1);
        // define, not assign, so "__proto__" stays an ordinary key
        if (plain === '__proto__')
          Object.defineProperty(obj, plain, { value: val, enumerable: true, writable: true, configurable: true });
        else obj[plain] = val;
      }
      return obj;
    }
    case 'array': {
      const arr: unknown[] = [];
      for (const c of n.children ?? []) arr.push(valueOf(c, depth + 1));
      return arr;
    }
    case 'null':
      return null;
    default:
      return n.value;
  }
}

/** The part at `node`, `depth` levels inside the payload (deeper ones count as dynamic, as in staticValue). */
function partAt(node: AstNode, key: AstNode | undefined, depth: number): PayloadPart {
  return { node, key, dynamic: depth > MAX_DEPTH || isJsonataString(node) };
}

/**
 * The member `name` of an object part, as staticValue keeps it: the first key that is `name` or
 * `name.$` (whose value is dynamic). `depth` is the member's depth inside the payload.
 */
export function memberOf(part: PayloadPart, name: string, depth = 0): PayloadPart | undefined {
  if (part.node.type !== 'object') return undefined;
  for (const p of part.node.children ?? []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    if (!k || !v) continue;
    const keyName = String(k.value ?? '');
    const dynamic = keyName.endsWith('.$');
    if ((dynamic ? keyName.slice(0, -2) : keyName) !== name) continue;
    return dynamic ? { node: v, key: k, dynamic: true } : partAt(v, k, depth);
  }
  return undefined;
}

/**
 * Resolves an ajv instancePath (`/A/0/B`) of staticValue(root) in the payload's tree. Only
 * schema errors need it, and only along their paths: a large machine has thousands of payloads.
 * Returns 'dynamic' for a value computed at run time (or anything under one) — callers drop
 * such errors — and undefined where the tree has nothing.
 */
export function resolvePointer(root: AstNode, pointer: string): PayloadPart | undefined | 'dynamic' {
  let part: PayloadPart | undefined = partAt(root, undefined, 0);
  if (part.dynamic) return 'dynamic';
  if (!pointer) return part;
  let depth = 0;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    if (!part) return undefined;
    depth++;
    if (part.node.type === 'object') part = memberOf(part, seg, depth);
    else if (part.node.type === 'array') {
      const item = part.node.children?.[Number(seg)];
      part = item && partAt(item, undefined, depth);
    } else return undefined;
    if (part?.dynamic) return 'dynamic';
  }
  return part;
}
