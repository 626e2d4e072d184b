/**
 * Labels on the Jobs runs create in a cluster, and removing the Jobs left by runner processes
 * that are gone (or all of them) for `asl-workbench clean`.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { K8S_LABELS, LABELS, MANAGED_VALUE, isK8sLabelValue } from '../docker/labels';
import { isOrphan } from '../docker/leftovers';
import type { KubeClient } from './client';
import { ABORT_DELETE_PROPAGATION } from '../eks/constants';

/** Short label-safe hash of an execution ARN (value of K8S_LABELS.executionHash). */
export function executionHash(executionArn: string): string {
  return crypto.createHash('sha256').update(executionArn).digest('hex').slice(0, 20);
}

/**
 * Labels and annotations a Job created by this process gets: managed, kind, runner pid/host,
 * execution hash; execution ARN and state name as labels when they are valid label values,
 * otherwise as annotations.
 */
export function jobTracking(
  executionArn: string,
  stateName: string,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {
    [K8S_LABELS.managed]: MANAGED_VALUE,
    [K8S_LABELS.kind]: 'k8s-job',
    [K8S_LABELS.runnerPid]: String(process.pid),
    [K8S_LABELS.executionHash]: executionHash(executionArn),
  };
  const annotations: Record<string, string> = {};
  const put = (key: string, value: string) => {
    if (isK8sLabelValue(value)) labels[key] = value;
    else annotations[key] = value;
  };
  put(K8S_LABELS.runnerHost, os.hostname());
  put(K8S_LABELS.execution, executionArn);
  put(K8S_LABELS.state, stateName);
  return { labels, annotations };
}

interface Meta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The Job manifest with our labels/annotations merged in; keys the user set keep their values. */
export function withTracking<T extends { metadata?: Meta }>(
  job: T,
  executionArn: string,
  stateName: string,
): T & { metadata: Meta } {
  const t = jobTracking(executionArn, stateName);
  const meta: Meta = job.metadata && typeof job.metadata === 'object' ? job.metadata : {};
  const labels = { ...t.labels, ...(meta.labels ?? {}) };
  const annotations = { ...t.annotations, ...(meta.annotations ?? {}) };
  return {
    ...job,
    metadata: { ...meta, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
  };
}

/** True when the runner that created this Job is certainly gone (pid/host from labels or annotations). */
export function isOrphanJob(meta: Meta | undefined): boolean {
  const get = (k: string) => meta?.labels?.[k] ?? meta?.annotations?.[k];
  const pid = get(K8S_LABELS.runnerPid);
  const host = get(K8S_LABELS.runnerHost);
  if (pid === undefined || host === undefined) return false;
  return isOrphan({ [LABELS.runnerPid]: pid, [LABELS.runnerHost]: host });
}

export interface JobRemovalSummary {
  /** `<namespace>/<name>` of each removed Job */
  jobs: string[];
  errors: string[];
}

/**
 * Lists the managed Jobs of every namespace and deletes (propagationPolicy Foreground, so the
 * pods go too) the orphans, or all of them with `all`. Failures per Job land in `errors`;
 * KubeUnreachableError from the list request is passed on to the caller.
 */
export async function removeClusterJobs(client: KubeClient, all: boolean): Promise<JobRemovalSummary> {
  const out: JobRemovalSummary = { jobs: [], errors: [] };
  const list = await client.request('GET', '/apis/batch/v1/jobs', {
    query: { labelSelector: `${K8S_LABELS.managed}=${MANAGED_VALUE}` },
    timeoutMs: 15000,
  });
  if (list.statusCode !== 200) {
    out.errors.push(`listing Jobs in context ${client.context}: HTTP ${list.statusCode} ${list.text.slice(0, 200)}`);
    return out;
  }
  const items = ((list.body as { items?: Array<{ metadata?: Meta }> }).items ?? []).filter(
    (j) => all || isOrphanJob(j.metadata),
  );
  for (const j of items) {
    const ns = j.metadata?.namespace ?? 'default';
    const name = j.metadata?.name ?? '';
    try {
      const r = await client.request(
        'DELETE',
        `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs/${encodeURIComponent(name)}`,
        {
          query: { propagationPolicy: ABORT_DELETE_PROPAGATION },
          body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: ABORT_DELETE_PROPAGATION },
          timeoutMs: 15000,
        },
      );
      // 404: gone meanwhile, which is what we wanted
      if (r.statusCode >= 200 && r.statusCode < 300) out.jobs.push(`${ns}/${name}`);
      else if (r.statusCode !== 404) out.errors.push(`Job ${ns}/${name}: HTTP ${r.statusCode}`);
    } catch (e) {
      out.errors.push(`Job ${ns}/${name}: ${(e as Error).message}`);
    }
  }
  return out;
}
