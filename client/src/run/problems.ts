/**
 * Recognises the "something is missing" failures of a local run from the runner's structured
 * errors, so the UI can offer an action instead of a stack trace. Pure (no vscode).
 *
 * Error names come from the drivers: AslWorkbench.EngineUnavailable (docker/engine.ts),
 * ECS.InvalidParameterException "TaskDefinition not found" with asl-workbench's mapping hint
 * (ecs/taskDefinitions.ts, what ECS RunTask answers for an unknown definition),
 * AslWorkbench.NoCluster and AslWorkbench.KindFailed (eks/constants.ts),
 * AslWorkbench.NoDriver (interpreter/states/task.ts), AslWorkbench.MockMissing (mock driver).
 */
import { eventDetails, type EventLike } from './overlay';

export type RunProblem =
  | { kind: 'engineUnavailable'; message: string }
  | { kind: 'taskDefinitionNotMapped'; taskDefinition: string; message: string }
  | { kind: 'noCluster'; clusterName?: string; message: string }
  | { kind: 'kindMissing'; message: string }
  | { kind: 'noDriver'; message: string };

interface Failure {
  error?: string;
  cause?: string;
}

/** Classifies one error name + cause. */
export function classifyError(f: Failure): RunProblem | undefined {
  const error = f.error ?? '';
  const cause = f.cause ?? '';
  if (error === 'AslWorkbench.EngineUnavailable') return { kind: 'engineUnavailable', message: cause };
  if (error === 'ECS.InvalidParameterException' || error === 'ECS.ClientException') {
    const m = /no task definition is mapped for "([^"]+)"/.exec(cause);
    if (m) return { kind: 'taskDefinitionNotMapped', taskDefinition: m[1]!, message: cause };
    return undefined;
  }
  if (error === 'AslWorkbench.NoCluster') {
    const m = /none is reachable for (\S+) \(/.exec(cause);
    return { kind: 'noCluster', clusterName: m && m[1] !== '(no' ? m[1] : undefined, message: cause };
  }
  if (error === 'AslWorkbench.KindFailed' && /not found|could not run|ENOENT/i.test(cause))
    return { kind: 'kindMissing', message: cause };
  if (error === 'AslWorkbench.NoDriver') return { kind: 'noDriver', message: cause };
  return undefined;
}

/**
 * The problem of a finished execution: the final error, else the last failure event in the
 * history (a Catch may have turned it into another error, e.g. a Fail state's).
 */
export function problemOf(result: Failure, events: readonly EventLike[]): RunProblem | undefined {
  let found = classifyError(result);
  for (let i = events.length - 1; i >= 0 && !found; i--) {
    const d = eventDetails(events[i]!);
    if (typeof d.error === 'string')
      found = classifyError({ error: d.error, cause: typeof d.cause === 'string' ? d.cause : undefined });
  }
  if (found?.kind === 'noCluster' && !found.clusterName) {
    const name = lastClusterName(events);
    if (name) found = { ...found, clusterName: name };
  }
  return found;
}

/** ClusterName of the last EKS task scheduled (its effective parameters, after `.$` paths). */
function lastClusterName(events: readonly EventLike[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const d = eventDetails(e);
    if (e.type !== 'TaskScheduled' || d.resourceType !== 'eks' || typeof d.parameters !== 'string') continue;
    try {
      const name = (JSON.parse(d.parameters) as { ClusterName?: unknown }).ClusterName;
      if (typeof name === 'string') return name;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

/** EKS ClusterName values that appear in a definition (for "run Jobs on containers"). */
export function clusterNamesIn(definition: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'ClusterName' && typeof x === 'string') found.add(x);
        walk(x);
      }
    }
  };
  walk(definition);
  return [...found];
}

/**
 * Context names of a kubeconfig (JSON, or the block YAML kubectl and kind write). A small
 * reader instead of a YAML library keeps the extension bundle ~100 KB smaller.
 */
export function kubeContextNames(text: string): string[] {
  try {
    const doc = JSON.parse(text) as { contexts?: { name?: unknown }[] };
    return (doc.contexts ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string');
  } catch {
    // YAML: below
  }
  const names: string[] = [];
  let inBlock = false;
  let itemCol = -1;
  for (const line of text.split(/\r?\n/)) {
    if (/^contexts:\s*$/.test(line)) {
      inBlock = true;
      continue;
    }
    if (!inBlock || !line.trim() || line.trim().startsWith('#')) continue;
    if (/^[^\s-]/.test(line)) break; // the next top-level key
    const dash = /^(\s*)-\s+(.*)$/.exec(line);
    let col: number;
    let rest: string;
    if (dash) {
      itemCol = dash[1]!.length + 2;
      col = itemCol;
      rest = dash[2]!;
    } else {
      const m = /^(\s*)(.*)$/.exec(line)!;
      col = m[1]!.length;
      rest = m[2]!;
    }
    const name = /^name:\s*(.+?)\s*$/.exec(rest);
    if (name && col === itemCol) names.push(name[1]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return names;
}
