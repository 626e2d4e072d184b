/**
 * eks:runJob and eks:runJob.sync against a real Kubernetes API server (kind or any kubeconfig
 * context), https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: create the Job, watch it to Complete/Failed, read the pods' logs.
 */
import { StatesError } from '../../../../asl/src/types';
import type { DriverResult, TaskInvocation } from '../types';
import { ABORT_DELETE_PROPAGATION, JOB_FAILED_ERROR, POLL_INTERVAL_MS, WATCH_TIMEOUT_SECONDS } from '../eks/constants';
import type { KubeClient } from './client';
import { withTracking } from './leftovers';
import {
  abortError,
  k8sError,
  logValue,
  ok,
  terminalCondition,
  type JobLogs,
  type JobManifest,
  type RunJobParams,
} from './shapes';

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs`;
const jobPath = (ns: string, name: string) => `${jobsPath(ns)}/${encodeURIComponent(name)}`;

/** Hooks the EKS driver passes in (clean-up tracking). */
export interface ClusterJobHooks {
  /** remember a Job created for this execution (deleted by disposeExecution only if still running on abort) */
  track(p: Promise<unknown>): void;
}

/**
 * Creates the Job; request-response returns the created object, `.sync` returns it as the
 * submitted output with a completion that settles when the Job ends (or rejects on abort after
 * deleting the Job with propagationPolicy Foreground — our choice: AWS does not document it).
 */
export async function runJobOnCluster(
  client: KubeClient,
  inv: TaskInvocation,
  params: RunJobParams,
  hooks: ClusterJobHooks,
): Promise<DriverResult> {
  const ns = params.namespace;
  const created = await client.request('POST', jobsPath(ns), {
    // our labels make leftovers of crashed runs findable by `asl-workbench clean`; user keys win
    body: withTracking({ apiVersion: 'batch/v1', kind: 'Job', ...params.job }, inv.executionArn, inv.stateName),
    signal: inv.signal,
  });
  if (!ok(created)) throw k8sError(created);
  const job = created.body as JobManifest;
  const name = job.metadata?.name ?? '';
  inv.log(`created Job ${ns}/${name} in context ${client.context}`, 'kubernetes');
  if (inv.resource.pattern !== 'sync') return { kind: 'done', output: job };

  const completion = (async () => {
    try {
      const final = await waitForJob(client, ns, job, inv);
      const cond = terminalCondition(final)!;
      inv.log(
        `Job ${ns}/${name} ${cond.type === 'Complete' ? 'completed' : `failed (${cond.reason ?? 'no reason'})`}`,
        'kubernetes',
      );
      const output: Record<string, unknown> = { ...final };
      if (params.logOptions.RetrieveLogs) output.logs = await readJobLogs(client, ns, name, params, inv.signal);
      if (cond.type === 'Failed') throw new StatesError(JOB_FAILED_ERROR, JSON.stringify(output));
      return output;
    } catch (e) {
      if (inv.signal.aborted) {
        await deleteJob(client, ns, name).catch(() => undefined);
        inv.log(`deleted Job ${ns}/${name} (propagationPolicy ${ABORT_DELETE_PROPAGATION})`, 'kubernetes');
        throw abortError(inv.signal);
      }
      throw e;
    }
  })();
  hooks.track(completion.catch(() => undefined));
  return { kind: 'submitted', output: job, completion };
}

/** Deletes a Job and (Foreground) its pods. */
export function deleteJob(client: KubeClient, ns: string, name: string) {
  return client.request('DELETE', jobPath(ns, name), {
    query: { propagationPolicy: ABORT_DELETE_PROPAGATION },
    body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: ABORT_DELETE_PROPAGATION },
    timeoutMs: 15000,
  });
}

/**
 * Watches the Job (watch API from the created object's resourceVersion, renewed when the server
 * ends the stream) until a terminal condition; falls back to polling when watching is refused.
 */
async function waitForJob(
  client: KubeClient,
  ns: string,
  created: JobManifest,
  inv: TaskInvocation,
): Promise<JobManifest> {
  const name = created.metadata?.name ?? '';
  let rv = String(created.metadata?.resourceVersion ?? '');
  let polling = false;
  for (;;) {
    if (inv.signal.aborted) throw abortError(inv.signal);
    if (terminalCondition(created)) return created;
    if (!polling) {
      let found: JobManifest | undefined;
      let gone = false;
      let expired = false;
      const ac = new AbortController();
      const stop = () => ac.abort();
      inv.signal.addEventListener('abort', stop, { once: true });
      let status = 0;
      try {
        status = await client.watch(
          jobsPath(ns),
          {
            fieldSelector: `metadata.name=${name}`,
            resourceVersion: rv || undefined,
            timeoutSeconds: WATCH_TIMEOUT_SECONDS,
            allowWatchBookmarks: true,
          },
          (ev) => {
            const meta = ev.object.metadata as { resourceVersion?: string } | undefined;
            if (ev.type === 'ERROR') {
              // 410 Gone: our resourceVersion is too old; re-list below
              expired = true;
              return;
            }
            if (meta?.resourceVersion) rv = meta.resourceVersion;
            if (ev.type === 'DELETED') gone = true;
            else if (ev.type !== 'BOOKMARK' && terminalCondition(ev.object)) found = ev.object as JobManifest;
            if (found || gone) ac.abort();
          },
          ac.signal,
        );
      } catch (e) {
        if ((e as Error).name !== 'AbortError') {
          inv.log(`watch of Job ${name} failed (${(e as Error).message}); polling instead`, 'kubernetes');
          polling = true;
        }
      } finally {
        inv.signal.removeEventListener('abort', stop);
      }
      if (inv.signal.aborted) throw abortError(inv.signal);
      if (found) return found;
      if (gone) throw new StatesError(JOB_FAILED_ERROR, `The Job ${ns}/${name} was deleted before it completed.`);
      if (status && status !== 200) {
        if (status === 410) expired = true;
        else {
          inv.log(`the API server refused to watch Jobs (HTTP ${status}); polling instead`, 'kubernetes');
          polling = true;
        }
      }
      if (!expired && !polling) continue;
    } else {
      await delay(POLL_INTERVAL_MS, inv.signal);
    }
    // (re-)read the Job: after 410 Gone, between polls
    const r = await client.request('GET', jobPath(ns, name), { signal: inv.signal, timeoutMs: 30000 });
    if (r.statusCode === 404)
      throw new StatesError(JOB_FAILED_ERROR, `The Job ${ns}/${name} was deleted before it completed.`);
    if (!ok(r)) throw k8sError(r);
    created = r.body as JobManifest;
    rv = String(created.metadata?.resourceVersion ?? '');
  }
}

/**
 * Reads every container log of every pod of the Job (pods by the `job-name` label), best
 * effort (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): a log that cannot be read gets `error`/`cause` instead of `log`.
 */
export async function readJobLogs(
  client: KubeClient,
  ns: string,
  name: string,
  params: RunJobParams,
  signal: AbortSignal,
): Promise<JobLogs> {
  const logs: JobLogs = { pods: {} };
  const pods = await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, {
    query: { labelSelector: `job-name=${name}` },
    signal,
    timeoutMs: 30000,
  });
  if (!ok(pods)) return logs;
  const items = ((pods.body as { items?: unknown[] }).items ?? []) as Array<{
    metadata?: { name?: string };
    spec?: { containers?: Array<{ name: string }> };
  }>;
  for (const pod of items) {
    const podName = pod.metadata?.name ?? '';
    const containers: JobLogs['pods'][string]['containers'] = {};
    for (const c of pod.spec?.containers ?? []) {
      try {
        const r = await client.request(
          'GET',
          `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(podName)}/log`,
          {
            query: { ...params.logOptions.LogParameters, container: c.name },
            signal,
            timeoutMs: 60000,
          },
        );
        if (ok(r)) containers[c.name] = { log: logValue(r.text, params.logOptions.RawLogs) };
        else containers[c.name] = { error: `EKS.${r.statusCode}`, cause: JSON.stringify(r.body) };
      } catch (e) {
        containers[c.name] = { error: 'EKS.LogRetrievalFailed', cause: (e as Error).message };
      }
    }
    logs.pods[podName] = { containers };
  }
  return logs;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
