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
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
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
  // 1. same resources + condition -> union of actions (sets while accumulating)
  const byResource = new Map<
    string,
    { resources: string[]; condition?: IamStatement['Condition']; actions: Set<string> }
  >();
  for (const s of statements) {
    const resources = s.Resource.includes('*') ? ['*'] : uniqSorted(s.Resource);
    const cond = s.Condition ? canon(s.Condition) : '';
    const key = `${resources.join('\n')}|${cond}`;
    const prev = byResource.get(key);
    if (prev) for (const a of s.Action) prev.actions.add(a);
    else {
      byResource.set(key, {
        resources,
        condition: s.Condition ? (JSON.parse(JSON.stringify(s.Condition)) as IamStatement['Condition']) : undefined,
        actions: new Set(s.Action),
      });
    }
  }
  // 2. drop actions already allowed on `*` under the same condition
  const wide = new Map<string, Set<string>>();
  for (const g of byResource.values()) {
    if (g.resources.length === 1 && g.resources[0] === '*') wide.set(g.condition ? canon(g.condition) : '', g.actions);
  }
  // 3. same actions + condition -> union of resources
  const byAction = new Map<
    string,
    { actions: string[]; condition?: IamStatement['Condition']; resources: Set<string> }
  >();
  for (const g of byResource.values()) {
    const cond = g.condition ? canon(g.condition) : '';
    const isWide = g.resources.length === 1 && g.resources[0] === '*';
    const all = wide.get(cond);
    const actions = [...g.actions].filter((a) => isWide || !all || !all.has(a)).sort();
    if (actions.length === 0) continue;
    const key = `${actions.join('\n')}|${cond}`;
    const prev = byAction.get(key);
    if (prev) for (const r of g.resources) prev.resources.add(r);
    else byAction.set(key, { actions, condition: g.condition, resources: new Set(g.resources) });
  }
  const out: IamStatement[] = [];
  for (const g of byAction.values()) {
    const st: IamStatement = {
      Effect: 'Allow',
      Action: g.actions,
      Resource: dropCovered(uniqSorted([...g.resources])),
    };
    if (g.condition) st.Condition = g.condition;
    out.push(st);
  }
  const sortKey = (s: IamStatement) =>
    `${s.Action[0] ?? ''}|${s.Resource.join(',')}|${s.Condition ? canon(s.Condition) : ''}`;
  const keyed = out.map((s) => [sortKey(s), s] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, s]) => s);
}
