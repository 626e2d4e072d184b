/**
 * YAML front end: the `yaml` package parses with source ranges; the result is converted into
 * the same positioned tree as JSON (object / property [key, value] / array / scalars, parent
 * links), so every consumer handles both formats alike. Aliases and `<<` merge keys are
 * expanded in place.
 */
import { Composer, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Parser, Scalar } from 'yaml';
import type { Alias, CST, Node as YamlNode, Pair } from 'yaml';
import type { AstNode, ParseProblem } from '../types';
import { CODE_DUPLICATE_KEY, CODE_SYNTAX, MAX_SYNTAX_PROBLEMS, problem } from './json';
import type { FrontEndResult } from './json';
import { nodeAtOffset } from './tree';

/** Deeper structures are cut off (and reported) instead of risking a stack overflow. */
const MAX_DEPTH = 1000;
/**
 * Deeper collections are refused before the yaml package composes them: its composer recurses
 * once per level, and a stack overflow that happens while V8 compiles a regular expression
 * is a fatal process error (not a catchable RangeError) — a 7,000-deep `- - - …` line killed
 * the process; cold (interpreted) code overflows from about 1,000 levels. Its CST parser is
 * iterative, so the depth is measured on the CST first. Conversion below keeps 1,000 tree
 * levels (about 500 collections), so nothing readable is lost.
 */
const MAX_COMPOSE_DEPTH = 500;
/**
 * Bounds alias expansion ("billion laughs"): values added through aliases, at most this many
 * per character of the text (at least MIN_ALIAS_EXPANSION)…
 */
const ALIAS_BUDGET_FACTOR = 10;
const MIN_ALIAS_EXPANSION = 10_000;
/**
 * …and at most about as many values as the largest definition Step Functions accepts (1 MB
 * of JSON) holds, however large the text: validating the expanded tree costs time per value.
 */
const MAX_ALIAS_EXPANSION = 100_000;
/**
 * The merge key of YAML 1.1, which YAML 1.2 dropped but hand-written files still use: a plain
 * `<<` key whose value is a mapping (or a list of mappings, usually aliases) adds the keys the
 * mapping does not set itself. Quoted, `"<<"` is an ordinary key.
 */
const MERGE_KEY = '<<';

interface Ctx {
  text: string;
  /** the anchored node of each alias in the document; undefined when no anchor precedes it */
  aliasTargets: Map<Alias, YamlNode | undefined>;
  problems: ParseProblem[];
  /** values alias expansions may still add */
  budget: number;
  /** how many alias expansions the conversion is inside */
  expanding: number;
  active: Set<unknown>;
  reportedDepth: boolean;
}

/** Parses YAML text; never throws. */
export function parseYaml(text: string): FrontEndResult {
  const problems: ParseProblem[] = [];
  try {
    const tokens = Array.from(new Parser().parse(text));
    const tooDeep = offsetBeyondDepth(tokens, MAX_COMPOSE_DEPTH);
    if (tooDeep !== undefined) {
      const [offset] = clampRange(tooDeep, tooDeep, text.length);
      problems.push(
        problem(
          CODE_SYNTAX,
          `The document nests collections more than ${MAX_COMPOSE_DEPTH} levels deep and cannot be read.`,
          offset,
          0,
        ),
      );
      return { root: undefined, problems };
    }
    // a text the parser already finds this broken is not composed (the composer's work grows
    // with the errors, and only the first of them are listed): its errors are the problems
    const errors = tokens.filter((t): t is CST.ErrorToken => t.type === 'error');
    if (errors.length > MAX_SYNTAX_PROBLEMS) {
      for (const e of errors) {
        const [offset, length] = clampRange(e.offset, e.offset + e.source.length, text.length);
        problems.push(problem(CODE_SYNTAX, cleanMessage(e.message), offset, length));
      }
      return { root: undefined, problems };
    }
    // what parseAllDocuments does, on the tokens already parsed
    const list = withoutStackTraces(() =>
      Array.from(new Composer({ prettyErrors: false, uniqueKeys: true }).compose(tokens)),
    );
    if (list.length === 0) {
      problems.push(problem(CODE_SYNTAX, 'The document is empty: expected a YAML mapping.', 0, 0));
      return { root: undefined, problems };
    }
    const at = (code: string, message: string, pos: readonly [number, number], severity?: ParseProblem['severity']) => {
      const [offset, length] = clampRange(pos[0], pos[1], text.length);
      problems.push(problem(code, message, offset, length, severity));
    };
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      for (const e of d.errors)
        at(e.code === 'DUPLICATE_KEY' ? CODE_DUPLICATE_KEY : CODE_SYNTAX, cleanMessage(e.message), e.pos);
      for (const w of d.warnings) at(CODE_SYNTAX, cleanMessage(w.message), w.pos, 'warning');
      if (i === 1) {
        const r = d.range ?? [0, text.length];
        at(CODE_SYNTAX, 'Only one YAML document is allowed: a state machine definition is a single document.', [
          r[0],
          r[1],
        ]);
      }
    }
    const first = list[0];
    const contents = first.contents as YamlNode | null;
    const ctx: Ctx = {
      text,
      aliasTargets: aliasTargets(contents),
      problems,
      budget: Math.min(MAX_ALIAS_EXPANSION, Math.max(MIN_ALIAS_EXPANSION, text.length * ALIAS_BUDGET_FACTOR)),
      expanding: 0,
      active: new Set(),
      reportedDepth: false,
    };
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

/**
 * Runs `fn` with V8's stack traces off. The composer makes an Error per problem, and a broken
 * text can have tens of thousands of problems: capturing their stack traces, which nothing
 * reads, took most of the parse time (a 33 KB text, 24,000 problems: about a second).
 */
function withoutStackTraces<T>(fn: () => T): T {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    E.stackTraceLimit = limit;
  }
}

/**
 * The node each alias refers to: the last node before it in document order carrying that
 * anchor, as the yaml package's `Alias.resolve` defines it. `resolve` walks the whole document
 * for every call, so resolving each alias (and each alias met again inside an expansion) that
 * way costs the document size per alias; one walk here keeps conversion linear in the text
 * plus the expanded size. Iterative, like the depth check, so depth never meets the stack.
 */
function aliasTargets(contents: unknown): Map<Alias, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode | undefined>();
  const stack: unknown[] = [contents];
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) targets.set(n, anchors.get(n.source));
    else if (isPair(n)) stack.push(n.value, n.key);
    else if (isScalar(n) || isCollection(n)) {
      if (n.anchor) anchors.set(n.anchor, n);
      if (isCollection(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    }
  }
  return targets;
}

/** Offset of the first CST collection nested deeper than `limit`, if any (iterative walk). */
export function offsetBeyondDepth(tokens: CST.Token[], limit: number): number | undefined {
  const stack: [CST.Token | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    if (t.type === 'document') {
      stack.push([t.value, depth]);
      continue;
    }
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    if (depth + 1 > limit) return t.offset;
    for (const item of t.items) {
      const it = item as { key?: CST.Token | null; value?: CST.Token | null };
      if (it.key) stack.push([it.key, depth + 1]);
      if (it.value) stack.push([it.value, depth + 1]);
    }
  }
  return undefined;
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

/**
 * `[start, end)` from the yaml package as an offset and length inside the text. At the end of
 * the text (an unclosed quote, bracket or brace) it reports one character past the end.
 */
export function clampRange(start: number, end: number, textLength: number): [number, number] {
  const s = Number.isFinite(start) ? Math.max(0, Math.min(start, textLength)) : 0;
  const e = Number.isFinite(end) ? Math.max(s, Math.min(end, textLength)) : s;
  return [s, e - s];
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
  if (ctx.expanding && --ctx.budget < 0) {
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
    const target = ctx.aliasTargets.get(n);
    if (!target || ctx.active.has(target)) {
      ctx.problems.push(
        problem(CODE_SYNTAX, target ? 'Recursive alias.' : `Unresolved alias *${n.source}.`, r[0], r[1] - r[0]),
      );
      return base('null', null);
    }
    // the expanded value keeps the alias's own range at its top
    ctx.expanding++;
    try {
      return convert(target, parent, ctx, depth + 1, r);
    } finally {
      ctx.expanding--;
    }
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
    if (n.items.some((item) => isPair(item) && isMergeKey(item.key)))
      node.children = withMerges(n.items, node, ctx, depth);
    else {
      node.children = [];
      for (const item of n.items) {
        if (isPair(item)) node.children.push(convertPair(item as Pair<unknown, unknown>, node, ctx, depth + 1));
      }
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

/** The properties of a mapping with `<<` keys: its own, and the merged ones it does not set itself. */
function withMerges(items: unknown[], node: AstNode, ctx: Ctx, depth: number): AstNode[] {
  // the mapping's own keys win over merged ones, wherever the merge key stands
  const own: (AstNode | Pair<unknown, unknown>)[] = [];
  const taken = new Set<string>();
  for (const item of items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) own.push(item as Pair<unknown, unknown>);
    else {
      const prop = convertPair(item as Pair<unknown, unknown>, node, ctx, depth + 1);
      taken.add(String(prop.children![0].value));
      own.push(prop);
    }
  }
  const children: AstNode[] = [];
  for (const p of own) {
    if (!isPair(p)) children.push(p);
    else for (const m of mergedProperties(p, node, ctx, depth + 1, taken)) children.push(m);
  }
  // merged properties keep the anchored text's ranges: in text order, lookups by offset
  // (a binary search over the children) still find the mapping's own properties
  return children.sort((a, b) => a.offset - b.offset);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === MERGE_KEY && (!key.type || key.type === Scalar.PLAIN);
}

/**
 * The properties a `<<` pair adds to `parent`: those of its mapping, or of each mapping of its
 * list in turn (an earlier one wins), that `taken` does not hold yet. Like the content of an
 * alias expansion they keep the anchored text's ranges, so a problem in a merged property
 * points at the anchor, and a quick fix edits the text the property comes from.
 */
function mergedProperties(
  pair: Pair<unknown, unknown>,
  parent: AstNode,
  ctx: Ctx,
  depth: number,
  taken: Set<string>,
): AstNode[] {
  const [start, end] = pairRange(pair, parent);
  const reported = ctx.problems.length;
  const value = pair.value === null || pair.value === undefined ? undefined : convert(pair.value, parent, ctx, depth);
  const sources = value?.type === 'array' ? value.children! : value ? [value] : [];
  if (!value || sources.some((s) => s.type !== 'object')) {
    // an alias that cannot be expanded is reported already
    if (ctx.problems.length === reported)
      ctx.problems.push(
        problem(
          CODE_SYNTAX,
          `A merge key (${MERGE_KEY}) takes a mapping or a list of mappings; nothing is merged here.`,
          start,
          end - start,
        ),
      );
    return [];
  }
  const out: AstNode[] = [];
  for (const source of sources) {
    for (const prop of source.children ?? []) {
      const key = String(prop.children?.[0]?.value ?? '');
      if (taken.has(key)) continue;
      taken.add(key);
      prop.parent = parent;
      out.push(prop);
    }
  }
  return out;
}

/** `[start, end]` of a pair in the text: from its key (or value) to the end of its value. */
function pairRange(pair: Pair<unknown, unknown>, parent: AstNode): [number, number, number] {
  const keyRange = rangeOf(pair.key as YamlNode);
  const valueRange = rangeOf(pair.value as YamlNode);
  const start = keyRange?.[0] ?? valueRange?.[0] ?? parent.offset;
  const keyEnd = keyRange?.[1] ?? start;
  return [start, Math.max(keyEnd, valueRange?.[1] ?? keyEnd), keyEnd];
}

function convertPair(pair: Pair<unknown, unknown>, parent: AstNode, ctx: Ctx, depth: number): AstNode {
  const [start, end, keyEnd] = pairRange(pair, parent);
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
    const t = ctx.aliasTargets.get(key);
    if (isScalar(t)) return String(t.value);
  }
  const r = rangeOf(key as YamlNode);
  return r ? ctx.text.slice(r[0], r[1]) : '';
}
