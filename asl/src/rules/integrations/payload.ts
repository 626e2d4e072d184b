/**
 * The Parameters/Arguments payload of an integration Task and its static view: values that are
 * computed at run time (`K.$` keys, JSONata `{% %}` strings) become `null` placeholders marked
 * dynamic, so schema checks keep the key (required / unknown-name checks still apply) but never
 * type-check a dynamic value (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html, https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
import type { AstNode, StateInfo } from '../../types';
import { getValue, keyNode } from '../../parse/tree';
import { isJsonataString } from '../util';

/** Where a part of a payload's static value is in the document. */
export interface Mirror {
  node: AstNode;
  /** key node holding this value (objects' properties) */
  key?: AstNode;
  dynamic: boolean;
  /** the members of an object, by their name without `.$` */
  readonly props?: Map<string, Mirror>;
  /** the items of an array */
  readonly items?: Mirror[];
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

/**
 * Where each part of staticValue(node) is in the document, to place schema errors. Built
 * apart from the value, and one level at a time as errors are resolved, because only invalid
 * payloads need it and then only along the paths of their errors; a large machine has
 * thousands of payloads.
 */
export function payloadMirror(node: AstNode): Mirror {
  return mirrorOf(node, undefined, 0);
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

function mirrorOf(n: AstNode, key: AstNode | undefined, depth: number): Mirror {
  if (depth > MAX_DEPTH || isJsonataString(n)) return { node: n, key, dynamic: true };
  if (n.type === 'object' || n.type === 'array') return new ContainerMirror(n, key, depth);
  return { node: n, key, dynamic: false };
}

/** The mirror of an object or array; its members' mirrors are made on first use, and kept. */
class ContainerMirror implements Mirror {
  readonly dynamic = false;
  private members?: Map<string, Mirror> | Mirror[];

  constructor(
    readonly node: AstNode,
    readonly key: AstNode | undefined,
    private readonly depth: number,
  ) {}

  get props(): Map<string, Mirror> | undefined {
    if (this.node.type !== 'object') return undefined;
    if (!this.members) {
      const props = new Map<string, Mirror>();
      for (const p of this.node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (!k || !v) continue;
        const name = String(k.value ?? '');
        const dynamic = name.endsWith('.$');
        const plain = dynamic ? name.slice(0, -2) : name;
        if (props.has(plain)) continue;
        props.set(plain, dynamic ? { node: v, key: k, dynamic: true } : mirrorOf(v, k, this.depth + 1));
      }
      this.members = props;
    }
    return this.members as Map<string, Mirror>;
  }

  get items(): Mirror[] | undefined {
    if (this.node.type !== 'array') return undefined;
    this.members ??= (this.node.children ?? []).map((c) => mirrorOf(c, undefined, this.depth + 1));
    return this.members as Mirror[];
  }
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
