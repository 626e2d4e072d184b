/**
 * Finds the "something is missing" failure of a local run, so the UI can offer an action
 * instead of a stack trace. Pure (no vscode).
 *
 * The runner's drivers attach a typed problem to those failures (runner/src/problems.ts): it
 * arrives in the worker's result and in the details of the failure event, next to the AWS
 * error name and cause. Only its `kind` decides what the UI offers; the cause is shown as is.
 */
import type { RunProblem, RunProblemKind, WorkerResult } from '../../../runner/src/workerProtocol';
import { eventDetails, type EventLike } from './overlay';

/** A run problem and the cause text of its failure (what the message shows). */
export type FoundProblem = RunProblem & { message: string };

/** Every kind the runner raises; typed so that a kind added there must be handled here. */
const KINDS: Record<RunProblemKind, true> = {
  engineUnavailable: true,
  taskDefinitionNotMapped: true,
  noCluster: true,
  kindMissing: true,
  noDriver: true,
  mockMissing: true,
};

/** True for a problem object as the runner sends it (events come over IPC, so they are checked). */
function isProblem(v: unknown): v is RunProblem {
  const kind = (v as { kind?: unknown } | null | undefined)?.kind;
  return typeof kind === 'string' && Object.hasOwn(KINDS, kind);
}

/**
 * The problem of a finished execution: the result's, else that of the last failure event that
 * carries one (a Catch may have turned it into another error, e.g. a Fail state's).
 */
export function problemOf(
  result: Pick<WorkerResult, 'problem' | 'cause'>,
  events: readonly EventLike[],
): FoundProblem | undefined {
  if (isProblem(result.problem)) return { ...result.problem, message: result.cause ?? '' };
  for (let i = events.length - 1; i >= 0; i--) {
    const d = eventDetails(events[i]!);
    if (isProblem(d.problem)) return { ...d.problem, message: typeof d.cause === 'string' ? d.cause : '' };
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
