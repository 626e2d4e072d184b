/** Small helpers shared by the rules: diagnostic ranges, did-you-mean, message text. */
import { isJsonataExpression } from '../jsonata/syntax';
import type { AstNode } from '../types';

/** A range suitable to point at an object: the key that holds it, else its first character. */
export function objectAnchor(obj: AstNode): { offset: number; length: number } {
  const parent = obj.parent;
  if (parent?.type === 'property' && parent.children?.[1] === obj && parent.children[0]) {
    const k = parent.children[0];
    return { offset: k.offset, length: k.length };
  }
  return { offset: obj.offset, length: Math.min(obj.length, 1) };
}

/** Offset/length of a node. */
export function span(node: AstNode): { offset: number; length: number } {
  return { offset: node.offset, length: node.length };
}

/** True when the node is a string whose value is a JSONata expression `{% ... %}`. */
export function isJsonataString(node: AstNode | undefined): boolean {
  return node?.type === 'string' && isJsonataExpression(node.value);
}

/** JSON type name of a node for messages. */
export function typeName(node: AstNode | undefined): string {
  if (!node) return 'nothing';
  if (node.type === 'number') return Number.isInteger(node.value) ? 'integer' : 'number';
  return node.type;
}

/**
 * Edit distance counting insertions, deletions, substitutions and adjacent transpositions
 * (optimal string alignment), with an early exit above `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const w = b.length + 1;
  let prev2 = new Array<number>(w).fill(0);
  let prev = new Array<number>(w);
  let cur = new Array<number>(w);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Candidates close to `name`, best first: exact case-insensitive matches (a case slip) come
 * first, then names within an edit distance of about a third of the length (at least 1, at
 * most 3, case-insensitive, transpositions count once), then names sharing a long prefix
 * (`NetworkConfig` -> `NetworkConfiguration`).
 */
export function didYouMean(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = name.toLowerCase();
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    if (cl === lower) {
      scored.push([c, -1]);
      continue;
    }
    const d = editDistance(lower, cl, max);
    if (d <= max) scored.push([c, d]);
    else {
      const cp = commonPrefix(lower, cl);
      if (cp >= 5 && cp >= 0.6 * lower.length) scored.push([c, max + 1 + (cl.length - cp) / 100]);
    }
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return [...new Set(scored.map((s) => s[0]))].slice(0, limit);
}

/** " Did you mean 'X'?" or "" */
export function didYouMeanText(suggestions: string[]): string {
  return suggestions.length ? ` Did you mean '${suggestions[0]}'?` : '';
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 byte length of a string (the payload limits count bytes) without allocating a Buffer. */
export function utf8Length(s: string): number {
  // the regular expression scans a long ASCII text (most definitions) several times faster
  // than the loop below
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
