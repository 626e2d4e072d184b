/**
 * Identical parts of a machine checked once per validation. Machines repeat themselves: the
 * same Retry policy, the same ECS payload with another command, the same ResultSelector. A
 * check whose findings depend only on the text of a part (and on what the caller puts in its
 * key) runs on the first occurrence of that text; every later occurrence gets the same
 * findings, moved to where it is.
 *
 * A part's text fixes its subtree only in JSON that parsed without problems, where every value
 * is read from its own text alone (YAML anchors and aliases and jsonc-parser's recovery from
 * syntax errors read the text around it), and only when the text is what the rules read
 * (substitutions change values under the same text). Everywhere else every check runs.
 */
import type { AstNode, ParsedDocument } from '../types';
import type { AslDiagnostic, RuleContext, ValidateOptions } from './types';

type Reported = Parameters<RuleContext['report']>[0];

interface Checked {
  /** where the part started when it was checked */
  from: number;
  found: Reported[];
}

/**
 * The parts of one key whose texts have the same length and the same characters at the sampled
 * places (sampleHash): the first one, and the others by text. Comparing a part's text with the
 * first one's reads it once and stops at the first difference; a map by text would hash all of
 * it first, and a large machine's repeated parts add up to megabytes of text.
 */
interface Bucket {
  text: string;
  checked: Checked | null;
  others?: Map<string, Checked | null>;
}

/** per rule context (one per rule and validation), by key and then by sampleHash: what each part was found to hold */
const CHECKED = new WeakMap<RuleContext, Map<string, Map<number, Bucket>>>();

/** How many characters of a part sampleHash reads, evenly spread. */
const SAMPLES = 32;

/**
 * Runs `check` on the part of the document from `from` to the end of `node`, unless a part with
 * the same text and `key` was checked before in this validation by this rule: then reports what
 * that check reported, moved. `check` must report through the context it is given, and its
 * findings must depend on nothing but that text, `key`, and the validation options.
 */
export function checkOnce(
  ctx: RuleContext,
  key: string,
  from: number,
  node: AstNode,
  check: (ctx: RuleContext) => void,
): void {
  const { doc } = ctx.model;
  if (!textFixesParts(doc, ctx.options)) {
    check(ctx);
    return;
  }
  let byKey = CHECKED.get(ctx);
  if (!byKey) CHECKED.set(ctx, (byKey = new Map()));
  let buckets = byKey.get(key);
  if (!buckets) byKey.set(key, (buckets = new Map()));
  const to = node.offset + node.length;
  // a slice of the document: no copy is made
  const text = doc.text.slice(from, to);
  const hash = sampleHash(doc.text, from, to);
  const bucket = buckets.get(hash);
  const before = !bucket ? undefined : bucket.text === text ? bucket.checked : bucket.others?.get(text);
  if (before) {
    const delta = from - before.from;
    for (const d of before.found) ctx.report(moved(d, delta));
    return;
  }
  const found: Reported[] = [];
  check({ ...ctx, report: (d) => (found.push(d), ctx.report(d)) });
  // a finding outside the part (about its surroundings) is not the part's alone: check again next time
  const inside = (r: { offset: number; length: number }): boolean => r.offset >= from && r.offset + r.length <= to;
  const own = found.every((d) => inside(d) && (!d.relatedOffsets || d.relatedOffsets.every(inside)));
  if (before !== undefined) return;
  const checked = own ? { from, found } : null;
  if (!bucket) buckets.set(hash, { text, checked });
  else (bucket.others ??= new Map()).set(text, checked);
}

/** A hash of the length of `text` from `from` to `to` and of SAMPLES of its characters. */
function sampleHash(text: string, from: number, to: number): number {
  const length = to - from;
  let h = length;
  if (length <= SAMPLES) {
    for (let i = from; i < to; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return h;
  }
  for (let k = 0; k < SAMPLES; k++) h = (h * 31 + text.charCodeAt(from + Math.floor((k * length) / SAMPLES))) | 0;
  return h;
}

/** Whether the rules find in each part of `doc` only what its text says (see the module comment). */
export function textFixesParts(doc: ParsedDocument, options: ValidateOptions): boolean {
  return doc.format === 'json' && !doc.problems.length && !options.substitutions;
}

/** A finding moved by `delta` characters, with its related places. */
export function moved<T extends Pick<AslDiagnostic, 'offset' | 'relatedOffsets'>>(d: T, delta: number): T {
  const out = { ...d, offset: d.offset + delta };
  if (d.relatedOffsets) out.relatedOffsets = d.relatedOffsets.map((r) => ({ ...r, offset: r.offset + delta }));
  return out;
}
