/**
 * Merging IAM statements into a small, stable policy: statements with the same Effect,
 * Resource and Condition share one action list; statements with the same actions and
 * Condition share one resource list; statements covered by a `*` statement are dropped;
 * actions and resources are sorted and statements ordered by a canonical key.
 */
import type { IamStatement } from '../types';

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const uniqSorted = (xs: string[]) => [...new Set(xs)].sort();

/** IAM-style glob match: `*` any run of characters, `?` one character. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Removes resources another resource of the same list already matches (e.g. role/x under role/*). */
function dropCovered(resources: string[]): string[] {
  const globs = resources.filter((r) => r.includes('*') || r.includes('?'));
  if (globs.length === 0) return resources;
  const compiled = globs.map((g) => [g, globToRegExp(g)] as const);
  return resources.filter((r) => !compiled.some(([g, re]) => g !== r && re.test(r)));
}

/** Merges, deduplicates and orders statements; the input is not modified. */
export function mergeStatements(statements: readonly IamStatement[]): IamStatement[] {
  // 1. same resources + condition -> union of actions
  const byResource = new Map<string, IamStatement>();
  for (const s of statements) {
    const resources = uniqSorted(s.Resource.includes('*') ? ['*'] : s.Resource);
    const key = `${canon(resources)}|${canon(s.Condition ?? null)}`;
    const prev = byResource.get(key);
    if (prev) prev.Action = uniqSorted([...prev.Action, ...s.Action]);
    else {
      const copy: IamStatement = { Effect: s.Effect, Action: uniqSorted(s.Action), Resource: resources };
      if (s.Condition) copy.Condition = JSON.parse(JSON.stringify(s.Condition));
      byResource.set(key, copy);
    }
  }
  // 2. drop actions already allowed on `*` under the same condition
  const wide = new Map<string, Set<string>>();
  for (const s of byResource.values()) {
    if (s.Resource.length === 1 && s.Resource[0] === '*') wide.set(canon(s.Condition ?? null), new Set(s.Action));
  }
  const narrowed: IamStatement[] = [];
  for (const s of byResource.values()) {
    const all = wide.get(canon(s.Condition ?? null));
    if (all && !(s.Resource.length === 1 && s.Resource[0] === '*')) {
      s.Action = s.Action.filter((a) => !all.has(a));
      if (s.Action.length === 0) continue;
    }
    narrowed.push(s);
  }
  // 3. same actions + condition -> union of resources
  const byAction = new Map<string, IamStatement>();
  for (const s of narrowed) {
    const key = `${canon(s.Action)}|${canon(s.Condition ?? null)}`;
    const prev = byAction.get(key);
    if (prev) prev.Resource = uniqSorted([...prev.Resource, ...s.Resource]);
    else byAction.set(key, s);
  }
  const out = [...byAction.values()];
  for (const s of out) s.Resource = dropCovered(s.Resource);
  const sortKey = (s: IamStatement) => `${s.Action[0] ?? ''}|${s.Resource.join(',')}|${canon(s.Condition ?? null)}`;
  out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return out;
}
