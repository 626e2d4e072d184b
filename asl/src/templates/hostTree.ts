/**
 * One positioned tree for CloudFormation hosts, JSON or YAML: mappings, sequences and
 * scalars with their host ranges, YAML tags (`!Sub`, `!GetAtt`, …) and scalar styles. JSON
 * comes from the ASL parser's positioned tree; YAML from the yaml package directly, because
 * the tags and scalar styles the ASL tree drops are what a template's intrinsics are made of.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument as parseYamlDocument, Scalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseDocument } from '../parse';
import type { AstNode } from '../types';
import type { ScalarStyle } from './scalars';

export interface HNode {
  kind: 'map' | 'seq' | 'scalar' | 'other';
  /** host range of the value (a tag is not included) */
  start: number;
  end: number;
  /** YAML tag as written, e.g. `!Sub` */
  tag?: string;
  /** offset of the tag when there is one */
  tagStart?: number;
  /** scalars: the decoded value */
  value?: unknown;
  style?: ScalarStyle;
  pairs?: { key: string; keyStart: number; keyEnd: number; value: HNode | undefined }[];
  items?: HNode[];
}

export interface HostTree {
  root: HNode | undefined;
  format: 'json' | 'yaml';
  /** the first syntax error, if any */
  error?: { start: number; end: number; message: string };
}

export function parseHost(text: string, format: 'json' | 'yaml'): HostTree {
  try {
    return format === 'json' ? fromJsonText(text) : fromYamlText(text);
  } catch (e) {
    return { root: undefined, format, error: { start: 0, end: 0, message: String((e as Error)?.message ?? e) } };
  }
}

function fromJsonText(text: string): HostTree {
  const doc = parseDocument(text, 'json');
  const err = doc.problems.find((p) => p.severity === 'error');
  return {
    root: doc.root && fromAst(doc.root),
    format: 'json',
    error: err && { start: err.offset, end: err.offset + err.length, message: err.message },
  };
}

function fromAst(root: AstNode): HNode {
  // iterative: a deeply nested template must not exhaust the call stack
  const top: HNode = { kind: 'other', start: 0, end: 0 };
  const stack: [AstNode, HNode][] = [[root, top]];
  while (stack.length) {
    const [a, h] = stack.pop()!;
    h.start = a.offset;
    h.end = a.offset + a.length;
    if (a.type === 'object') {
      h.kind = 'map';
      h.pairs = [];
      for (const p of a.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        const hv: HNode | undefined = v ? { kind: 'other', start: 0, end: 0 } : undefined;
        h.pairs.push({
          key: String(k?.value ?? ''),
          keyStart: k?.offset ?? p.offset,
          keyEnd: k ? k.offset + k.length : p.offset,
          value: hv,
        });
        if (v && hv) stack.push([v, hv]);
      }
    } else if (a.type === 'array') {
      h.kind = 'seq';
      h.items = (a.children ?? []).map((c) => {
        const hc: HNode = { kind: 'other', start: 0, end: 0 };
        stack.push([c, hc]);
        return hc;
      });
    } else {
      h.kind = 'scalar';
      h.value = a.value;
      if (a.type === 'string') h.style = 'json';
    }
  }
  return top;
}

const YAML_STYLES: Partial<Record<string, ScalarStyle>> = {
  [Scalar.PLAIN]: 'plain',
  [Scalar.QUOTE_DOUBLE]: 'double',
  [Scalar.QUOTE_SINGLE]: 'single',
  [Scalar.BLOCK_LITERAL]: 'literal',
  [Scalar.BLOCK_FOLDED]: 'folded',
};

function fromYamlText(text: string): HostTree {
  const doc = parseYamlDocument(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  const err = doc.errors[0];
  const contents = doc.contents as YamlNode | null;
  return {
    root: contents ? fromYaml(text, contents) : undefined,
    format: 'yaml',
    error: err && { start: err.pos[0], end: err.pos[1], message: err.message.split('\n')[0] },
  };
}

function fromYaml(text: string, root: YamlNode): HNode {
  const top: HNode = { kind: 'other', start: 0, end: 0 };
  const stack: [YamlNode, HNode][] = [[root, top]];
  while (stack.length) {
    const [y, h] = stack.pop()!;
    const range = (y as { range?: [number, number, number] }).range ?? [0, 0, 0];
    h.start = range[0];
    h.end = range[1];
    const tag = (y as { tag?: string }).tag;
    if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
      h.tag = tag;
      // the tag as written right before the value (only white space between)
      const at = text.lastIndexOf(tag, h.start);
      if (at >= 0 && !/\S/.test(text.slice(at + tag.length, h.start))) h.tagStart = at;
    }
    if (isMap(y)) {
      h.kind = 'map';
      h.pairs = [];
      for (const p of y.items) {
        const k = p.key as YamlNode | null;
        const kr = (k as { range?: [number, number, number] } | null)?.range;
        const v = p.value as YamlNode | null;
        const hv: HNode | undefined = v ? { kind: 'other', start: 0, end: 0 } : undefined;
        h.pairs.push({
          key: isScalar(k) ? String(k.value) : '',
          keyStart: kr?.[0] ?? h.start,
          keyEnd: kr?.[1] ?? h.start,
          value: hv,
        });
        if (v && hv) stack.push([v, hv]);
      }
    } else if (isSeq(y)) {
      h.kind = 'seq';
      h.items = [];
      for (const c of y.items) {
        const hc: HNode = { kind: 'other', start: 0, end: 0 };
        h.items.push(hc);
        if (c && typeof c === 'object' && 'range' in (c as object)) stack.push([c as YamlNode, hc]);
      }
    } else if (isScalar(y)) {
      h.kind = 'scalar';
      h.value = y.value;
      if (typeof y.value === 'string' && y.type) h.style = YAML_STYLES[y.type];
    } else if (isAlias(y)) h.kind = 'other';
  }
  return top;
}

/** The value of `key` in a mapping node. */
export function get(node: HNode | undefined, key: string): HNode | undefined {
  return node?.kind === 'map' ? node.pairs!.find((p) => p.key === key)?.value : undefined;
}

/** A scalar's value as a string, when it is a string. */
export function str(node: HNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** The full host range of a node, its YAML tag included. */
export function fullRange(node: HNode): { start: number; end: number } {
  return { start: node.tagStart ?? node.start, end: node.end };
}

/** An intrinsic function call: `{ "Fn::Sub": … }`, `{ Ref: … }` or a YAML short tag. */
export interface Intrinsic {
  /** "Ref", "Fn::Sub", "Fn::GetAtt", … */
  fn: string;
  arg: HNode | undefined;
}

export function intrinsicOf(node: HNode | undefined): Intrinsic | undefined {
  if (!node) return undefined;
  if (node.tag) {
    const name = node.tag.slice(1);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return undefined;
    const untagged: HNode = { ...node, tag: undefined, tagStart: undefined };
    return { fn: name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`, arg: untagged };
  }
  if (node.kind === 'map' && node.pairs!.length === 1) {
    const k = node.pairs![0].key;
    if (k === 'Ref' || k.startsWith('Fn::')) return { fn: k, arg: node.pairs![0].value };
  }
  return undefined;
}
