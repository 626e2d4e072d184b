/**
 * Merging IAM statements into a small, stable policy: statements with the same Effect,
 * Resource and Condition share one action list; statements with the same actions and
 * Condition share one resource list; statements covered by a `*` statement are dropped;
 * actions and resources are sorted and statements ordered by a canonical key. Documented and
 * inferred statements (sid.ts) are never merged with each other, so each keeps its label;
 * the result numbers them `DocumentedByAws1…`, then `Inferred1…`.
 */
import type { IamStatement } from '../types';
import { DOCUMENTED_SID_PREFIX, INFERRED_SID_PREFIX, isInferred } from './sid';

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

/**
 * Longer resources are not used as globs: no policy holds one (a managed policy is at most
 * 6,144 characters), and a regular expression that large fails to compile.
 */
const MAX_GLOB_LENGTH = 2048;

/** Removes resources another resource of the same list already matches (e.g. role/x under role/*). */
function dropCovered(resources: string[]): string[] {
  const globs = resources.filter((r) => (r.includes('*') || r.includes('?')) && r.length <= MAX_GLOB_LENGTH);
  if (globs.length === 0) return resources;
  const compiled = globs.map((g) => [g, globToRegExp(g)] as const);
  return resources.filter((r) => !compiled.some(([g, re]) => g !== r && re.test(r)));
}

/** Merges, deduplicates and orders statements; the input is not modified. */
export function mergeStatements(statements: readonly IamStatement[]): IamStatement[] {
  type Group = { inferred: boolean; condition?: IamStatement['Condition'] };
  // 1. same provenance + resources + condition -> union of actions (sets while accumulating)
  const byResource = new Map<string, Group & { resources: string[]; actions: Set<string> }>();
  for (const s of statements) {
    const inferred = isInferred(s);
    const resources = s.Resource.includes('*') ? ['*'] : uniqSorted(s.Resource);
    const cond = s.Condition ? canon(s.Condition) : '';
    const key = `${inferred}|${resources.join('\n')}|${cond}`;
    const prev = byResource.get(key);
    if (prev) for (const a of s.Action) prev.actions.add(a);
    else {
      byResource.set(key, {
        inferred,
        resources,
        condition: s.Condition ? (JSON.parse(JSON.stringify(s.Condition)) as IamStatement['Condition']) : undefined,
        actions: new Set(s.Action),
      });
    }
  }
  // 2. drop actions already allowed on `*` under the same condition; a documented `*` statement
  // covers any statement, an inferred one only other inferred ones (a documented statement stays)
  const wide = new Map<string, Set<string>>();
  for (const g of byResource.values()) {
    if (g.resources.length === 1 && g.resources[0] === '*')
      wide.set(`${g.inferred}|${g.condition ? canon(g.condition) : ''}`, g.actions);
  }
  // 3. same provenance + actions + condition -> union of resources
  const byAction = new Map<string, Group & { actions: string[]; resources: Set<string> }>();
  for (const g of byResource.values()) {
    const cond = g.condition ? canon(g.condition) : '';
    const isWide = g.resources.length === 1 && g.resources[0] === '*';
    const covering = [wide.get(`false|${cond}`), g.inferred ? wide.get(`true|${cond}`) : undefined];
    const actions = [...g.actions].filter((a) => isWide || !covering.some((w) => w?.has(a))).sort();
    if (actions.length === 0) continue;
    const key = `${g.inferred}|${actions.join('\n')}|${cond}`;
    const prev = byAction.get(key);
    if (prev) for (const r of g.resources) prev.resources.add(r);
    else byAction.set(key, { inferred: g.inferred, actions, condition: g.condition, resources: new Set(g.resources) });
  }
  const out: { inferred: boolean; st: IamStatement }[] = [];
  for (const g of byAction.values()) {
    const st: IamStatement = {
      Effect: 'Allow',
      Action: g.actions,
      Resource: dropCovered(uniqSorted([...g.resources])),
    };
    if (g.condition) st.Condition = g.condition;
    out.push({ inferred: g.inferred, st });
  }
  const sortKey = (x: { inferred: boolean; st: IamStatement }) =>
    `${x.inferred ? 1 : 0}|${x.st.Action[0] ?? ''}|${x.st.Resource.join(',')}|${x.st.Condition ? canon(x.st.Condition) : ''}`;
  const keyed = out.map((x) => [sortKey(x), x] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const counters = { documented: 0, inferred: 0 };
  return keyed.map(([, { inferred, st }]) => {
    const sid = inferred
      ? `${INFERRED_SID_PREFIX}${++counters.inferred}`
      : `${DOCUMENTED_SID_PREFIX}${++counters.documented}`;
    return { Sid: sid, ...st };
  });
}
