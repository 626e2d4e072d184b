/**
 * YAML front end: the `yaml` package parses with source ranges; the result is converted into
 * the same positioned tree as JSON (object / property [key, value] / array / scalars, parent
 * links), so every consumer handles both formats alike. Aliases are expanded in place.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { AstNode, ParseProblem } from '../types';
import { CODE_DUPLICATE_KEY, CODE_SYNTAX, problem } from './json';
import type { FrontEndResult } from './json';
import { nodeAtOffset } from './tree';

/** Deeper structures are cut off (and reported) instead of risking a stack overflow. */
const MAX_DEPTH = 1000;
/** Bounds alias expansion ("billion laughs") to a multiple of the text size. */
const ALIAS_BUDGET_FACTOR = 10;

interface Ctx {
  text: string;
  doc: Document;
  problems: ParseProblem[];
  budget: number;
  active: Set<unknown>;
  reportedDepth: boolean;
}

/** Parses YAML text; never throws. */
export function parseYaml(text: string): FrontEndResult {
  const problems: ParseProblem[] = [];
  try {
    const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [];
    if (list.length === 0) {
      problems.push(problem(CODE_SYNTAX, 'The document is empty: expected a YAML mapping.', 0, 0));
      return { root: undefined, problems };
    }
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      for (const e of d.errors) {
        problems.push(
          problem(
            e.code === 'DUPLICATE_KEY' ? CODE_DUPLICATE_KEY : CODE_SYNTAX,
            cleanMessage(e.message),
            e.pos[0],
            e.pos[1] - e.pos[0],
          ),
        );
      }
      for (const w of d.warnings) {
        problems.push(problem(CODE_SYNTAX, cleanMessage(w.message), w.pos[0], w.pos[1] - w.pos[0], 'warning'));
      }
      if (i === 1) {
        const r = d.range ?? [0, text.length];
        problems.push(
          problem(
            CODE_SYNTAX,
            'Only one YAML document is allowed: a state machine definition is a single document.',
            r[0],
            Math.max(0, r[1] - r[0]),
          ),
        );
      }
    }
    const first = list[0];
    const ctx: Ctx = {
      text,
      doc: first as Document,
      problems,
      budget: Math.max(100000, text.length * ALIAS_BUDGET_FACTOR),
      active: new Set(),
      reportedDepth: false,
    };
    const contents = first.contents as YamlNode | null;
    if (!contents) {
      if (!problems.some((p) => p.severity === 'error')) {
        problems.push(problem(CODE_SYNTAX, 'The document is empty: expected a YAML mapping.', 0, 0));
      }
      return { root: undefined, problems };
    }
    const root = convert(contents, undefined, ctx, 0);
    widenDuplicateKeys(root, problems);
    problems.sort((a, b) => a.offset - b.offset);
    return { root, problems };
  } catch (e) {
    problems.push(
      problem(CODE_SYNTAX, `The YAML document could not be parsed (${String((e as Error)?.message ?? e)}).`, 0, 0),
    );
    return { root: undefined, problems };
  }
}

/** The yaml package marks one character of a duplicate key; report the whole key by name. */
function widenDuplicateKeys(root: AstNode, problems: ParseProblem[]): void {
  for (const p of problems) {
    if (p.code !== CODE_DUPLICATE_KEY) continue;
    const n = nodeAtOffset(root, p.offset);
    if (n && n.type === 'string' && n.parent?.type === 'property' && n.parent.children?.[0] === n) {
      p.offset = n.offset;
      p.length = n.length;
      p.message = `Duplicate key "${String(n.value)}": keys must be unique (Step Functions keeps only one of them).`;
    }
  }
}

function cleanMessage(m: string): string {
  // the yaml package appends " at line L, column C" in some messages; positions are ours
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function rangeOf(n: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  const r = n?.range;
  return r ? [r[0], r[1]] : undefined;
}

function convert(n: unknown, parent: AstNode | undefined, ctx: Ctx, depth: number, at?: [number, number]): AstNode {
  const r = at ?? rangeOf(n as YamlNode) ?? [0, 0];
  const base = (type: AstNode['type'], value?: unknown): AstNode => {
    const node: AstNode = { type, offset: r[0], length: Math.max(0, r[1] - r[0]), parent };
    if (value !== undefined) node.value = value;
    return node;
  };
  if (--ctx.budget < 0) {
    if (ctx.budget === -1)
      ctx.problems.push(
        problem(CODE_SYNTAX, 'Too many alias expansions: the document is cut here.', r[0], r[1] - r[0]),
      );
    return base('null', null);
  }
  if (depth > MAX_DEPTH) {
    if (!ctx.reportedDepth) {
      ctx.reportedDepth = true;
      ctx.problems.push(
        problem(
          CODE_SYNTAX,
          'The document is nested too deeply; content below this point is ignored.',
          r[0],
          r[1] - r[0],
        ),
      );
    }
    return base('null', null);
  }
  if (isAlias(n)) {
    let target: unknown;
    try {
      target = n.resolve(ctx.doc);
    } catch {
      target = undefined;
    }
    if (!target || ctx.active.has(target)) {
      ctx.problems.push(
        problem(CODE_SYNTAX, target ? 'Recursive alias.' : `Unresolved alias *${n.source}.`, r[0], r[1] - r[0]),
      );
      return base('null', null);
    }
    // the expanded value keeps the alias's own range at its top
    return convert(target, parent, ctx, depth + 1, r);
  }
  if (isScalar(n)) {
    const v = n.value;
    if (v === null || v === undefined) return base('null', null);
    if (typeof v === 'string') return base('string', v);
    if (typeof v === 'number') return base('number', v);
    if (typeof v === 'boolean') return base('boolean', v);
    if (typeof v === 'bigint') return base('number', Number(v));
    return base('string', String(v));
  }
  if (isMap(n)) {
    const node = base('object');
    ctx.active.add(n);
    node.children = [];
    for (const item of n.items) {
      if (isPair(item)) node.children.push(convertPair(item as Pair<unknown, unknown>, node, ctx, depth + 1));
    }
    ctx.active.delete(n);
    return node;
  }
  if (isSeq(n)) {
    const node = base('array');
    ctx.active.add(n);
    node.children = [];
    for (const item of n.items) {
      if (isPair(item)) {
        // a single-pair flow mapping inside a sequence ("[a: 1]")
        const obj: AstNode = { type: 'object', offset: 0, length: 0, parent: node, children: [] };
        const p = convertPair(item as Pair<unknown, unknown>, obj, ctx, depth + 2);
        obj.offset = p.offset;
        obj.length = p.length;
        obj.children!.push(p);
        node.children.push(obj);
      } else {
        node.children.push(convert(item, node, ctx, depth + 1));
      }
    }
    ctx.active.delete(n);
    return node;
  }
  return base('null', null);
}

function convertPair(pair: Pair<unknown, unknown>, parent: AstNode, ctx: Ctx, depth: number): AstNode {
  const keyRange = rangeOf(pair.key as YamlNode);
  const valueRange = rangeOf(pair.value as YamlNode);
  const start = keyRange?.[0] ?? valueRange?.[0] ?? parent.offset;
  const keyEnd = keyRange?.[1] ?? start;
  const end = Math.max(keyEnd, valueRange?.[1] ?? keyEnd);
  const prop: AstNode = { type: 'property', offset: start, length: end - start, parent, children: [] };
  const keyNode: AstNode = {
    type: 'string',
    offset: start,
    length: keyEnd - start,
    parent: prop,
    value: keyText(pair.key, ctx),
  };
  prop.children!.push(keyNode);
  if (pair.value !== null && pair.value !== undefined) {
    prop.children!.push(convert(pair.value, prop, ctx, depth + 1));
  } else {
    // "Key:" with nothing after it is null in YAML; give it an empty range after the key
    prop.children!.push({ type: 'null', offset: keyEnd, length: 0, parent: prop, value: null });
  }
  return prop;
}

function keyText(key: unknown, ctx: Ctx): string {
  if (isScalar(key)) {
    if (key.value === null || key.value === undefined) {
      const r = rangeOf(key);
      return r ? ctx.text.slice(r[0], r[1]) : '';
    }
    return String(key.value);
  }
  if (isAlias(key)) {
    try {
      const t = key.resolve(ctx.doc);
      if (isScalar(t)) return String(t.value);
    } catch {
      /* fall through */
    }
  }
  const r = rangeOf(key as YamlNode);
  return r ? ctx.text.slice(r[0], r[1]) : '';
}
