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
  const direct = classifyError(result);
  if (direct) return direct;
  for (let i = events.length - 1; i >= 0; i--) {
    const d = eventDetails(events[i]!);
    if (typeof d.error === 'string') {
      const p = classifyError({ error: d.error, cause: typeof d.cause === 'string' ? d.cause : undefined });
      if (p) return p;
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
