/**
 * Removing engine objects asl-workbench created: one execution's (disposeExecution), those of
 * runner processes that died without cleaning up (first use per process), or all (`clean --all`).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { ContainerEngine } from './engine';
import { LABELS, executionFilter, managedFilter } from './labels';

/** Labels every object created by this process carries (besides execution/state/task). */
export function runnerLabels(): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.runnerPid]: String(process.pid),
    [LABELS.runnerHost]: os.hostname(),
  };
}

/** True when the process that labelled an object is certainly gone (same host, pid not alive). */
export function isOrphan(labels: Record<string, string> | undefined): boolean {
  if (!labels) return false;
  if (labels[LABELS.runnerHost] !== os.hostname()) return false;
  const pid = Number(labels[LABELS.runnerPid]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return isZombie(pid);
  } catch (e) {
    // EPERM: the pid exists but belongs to someone else -> alive
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A killed runner stays a zombie until its parent reaps it: it is gone all the same (Linux). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export interface RemovalSummary {
  containers: string[];
  networks: string[];
  errors: string[];
}

export type LeftoverScope = { kind: 'execution'; executionArn: string } | { kind: 'orphans' } | { kind: 'all' };

/**
 * Remove the containers (forced) and then the networks matching the scope. Never throws for
 * a single object: failures are collected in `errors`.
 */
export async function removeManaged(engine: ContainerEngine, scope: LeftoverScope): Promise<RemovalSummary> {
  const filters =
    scope.kind === 'execution' ? [managedFilter(), executionFilter(scope.executionArn)] : [managedFilter()];
  const keep = (labels: Record<string, string> | undefined) => scope.kind !== 'orphans' || isOrphan(labels);
  const out: RemovalSummary = { containers: [], networks: [], errors: [] };
  const containers = (await engine.listContainers(filters)).filter((c) => keep(c.Labels));
  await Promise.all(
    containers.map(async (c) => {
      try {
        await engine.removeContainer(c.Id, true);
        out.containers.push((c.Names[0] ?? c.Id).replace(/^\//, ''));
      } catch (e) {
        out.errors.push(`container ${c.Id.slice(0, 12)}: ${(e as Error).message}`);
      }
    }),
  );
  const networks = (await engine.listNetworks(filters)).filter((n) => keep(n.Labels));
  for (const n of networks) {
    try {
      await engine.removeNetwork(n.Id);
      out.networks.push(n.Name);
    } catch (e) {
      out.errors.push(`network ${n.Name}: ${(e as Error).message}`);
    }
  }
  return out;
}
