/**
 * What the machine is known to produce for a state's input: keys written by upstream Pass
 * states (Result / Parameters) placed at their ResultPath, ResultPath targets and
 * ResultSelector keys of upstream tasks, the sample input.json next to the file, and the
 * variables set by `Assign` in the state's scope chain (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */
import type { AstNode, MachineModel, Scope, StateInfo } from '../../../../asl/src/types';
import { getString, getValue, keysOf } from '../../../../asl/src/parse/tree';
import { assignBlocks } from '../shared/variables';
import type { CompletionEnv } from './env';

export interface KnownPath {
  path: string;
  source: string;
}

/**
 * Result fields of the integrations (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html), as paths below the result. Only
 * documented/observed fields; `.sync` outputs differ from request-response ones.
 */
const OUTPUT_FIELDS: Record<string, string[]> = {
  'ecs:runTask': ['.Tasks', '.Tasks[0].TaskArn', '.Failures'],
  'ecs:runTask.sync': [
    '.TaskArn',
    '.LastStatus',
    '.StopCode',
    '.StoppedReason',
    '.Containers',
    '.Containers[0].ExitCode',
    '.ClusterArn',
    '.Group',
    '.StartedBy',
    '.CreatedAt',
    '.StoppedAt',
  ],
  'eks:runJob.sync': ['.status', '.status.succeeded', '.status.failed', '.logs', '.metadata.name'],
  'eks:call': ['.ResponseBody'],
  'eks:createCluster.sync': [
    '.Cluster.Name',
    '.Cluster.Arn',
    '.Cluster.Endpoint',
    '.Cluster.CertificateAuthority.Data',
    '.Cluster.Status',
  ],
  'eks:createNodegroup.sync': ['.Nodegroup.NodegroupName', '.Nodegroup.Status'],
  'eks:createFargateProfile.sync': ['.FargateProfile.FargateProfileName', '.FargateProfile.Status'],
};

const predecessorCache = new WeakMap<MachineModel, Map<StateInfo, StateInfo[]>>();

/** Direct predecessors of each state (states whose Next/Default/Catch points at it). */
function predecessors(model: MachineModel): Map<StateInfo, StateInfo[]> {
  let m = predecessorCache.get(model);
  if (!m) {
    m = new Map();
    for (const r of model.refs) {
      if (!r.from) continue;
      const target = r.scope.states.get(r.target);
      if (!target) continue;
      const list = m.get(target) ?? [];
      list.push(r.from);
      m.set(target, list);
    }
    predecessorCache.set(model, m);
  }
  return m;
}

function flatten(prefix: string, value: unknown, out: string[], depth: number, limit: number): void {
  if (out.length >= limit || depth > 3 || !value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const k of Object.keys(value as object)) {
    const seg = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `['${k.replace(/'/g, "\\'")}']`;
    out.push(prefix + seg);
    flatten(prefix + seg, (value as Record<string, unknown>)[k], out, depth + 1, limit);
  }
}

function objectKeyPaths(base: string, node: AstNode | undefined, out: string[], depth = 0): void {
  if (!node || node.type !== 'object' || depth > 2) return;
  for (const k of keysOf(node)) {
    const name = k.endsWith('.$') ? k.slice(0, -2) : k;
    const seg = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name}']`;
    const path = (base === '$' ? '$' : base) + seg;
    out.push(path);
    if (!k.endsWith('.$')) objectKeyPaths(path, getValue(node, k), out, depth + 1);
  }
}

/** Paths a state can expect in its input, best effort (upstream producers, input.json). */
export function knownInputPaths(env: CompletionEnv, limit = 200): KnownPath[] {
  const out: KnownPath[] = [];
  const seen = new Set<string>();
  const add = (path: string, source: string) => {
    if (out.length < limit && !seen.has(path)) {
      seen.add(path);
      out.push({ path, source });
    }
  };
  if (env.inputSample !== undefined) {
    const paths: string[] = [];
    flatten('$', env.inputSample, paths, 0, limit);
    for (const p of paths) add(p, 'from input.json');
  }
  const state = env.state;
  if (!state) return out;
  const preds = predecessors(env.model);
  const queue: StateInfo[] = [...(preds.get(state) ?? [])];
  const visited = new Set<StateInfo>([state]);
  while (queue.length && visited.size < 40) {
    const p = queue.shift()!;
    if (visited.has(p)) continue;
    visited.add(p);
    if (p.queryLanguage === 'JSONPath' && p.node.type === 'object') {
      const rp = getString(p.node, 'ResultPath');
      const base = rp && rp.startsWith('$') ? rp : '$';
      if (base !== '$') add(base, `ResultPath of ${p.name}`);
      const paths: string[] = [];
      if (p.type === 'Pass') {
        objectKeyPaths(base, getValue(p.node, 'Result'), paths);
        objectKeyPaths(base, getValue(p.node, 'Parameters'), paths);
      } else if (p.type === 'Task' || p.type === 'Parallel' || p.type === 'Map') {
        const selector = getValue(p.node, 'ResultSelector');
        objectKeyPaths(base, selector, paths);
        const r = p.resource;
        const fields =
          !selector && r?.key ? OUTPUT_FIELDS[`${r.key}${r.pattern === 'sync' ? '.sync' : ''}`] : undefined;
        for (const f of fields ?? []) paths.push(base + f);
      }
      for (const x of paths) add(x, `produced by ${p.name}`);
    }
    for (const q of preds.get(p) ?? []) if (!visited.has(q)) queue.push(q);
  }
  return out;
}

/** Variables assigned in the scope chain of the cursor (outer scopes are readable, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html). */
export function assignedVariables(env: CompletionEnv, limit = 200): { name: string; source: string }[] {
  const scopes: Scope[] = [];
  for (let s: Scope | undefined = env.state?.scope ?? env.scope; s; s = s.parentState?.scope) scopes.push(s);
  const out: { name: string; source: string }[] = [];
  const seen = new Set<string>();
  for (const sc of scopes) {
    for (const st of sc.stateList) {
      for (const h of assignBlocks(st)) {
        for (const k of keysOf(h)) {
          const name = k.endsWith('.$') ? k.slice(0, -2) : k;
          if (!seen.has(name) && out.length < limit) {
            seen.add(name);
            out.push({ name, source: st.name });
          }
        }
      }
    }
  }
  return out;
}
