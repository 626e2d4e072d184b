/**
 * The stand-in's Job controller: after a Job is created it starts pods one after another and
 * ends each as the Job's scripted plan says, updating the Job status (active/succeeded/failed,
 * conditions Complete or FailureTarget+Failed with BackoffLimitExceeded) like the real one.
 *
 * Plan: annotation `standin.asl-workbench.dev/plan` with JSON
 * `{"pods": [{"phase": "Failed"|"Succeeded", "logs": {"<container>": "text"}}], "stepMs": 5}`.
 * Without it every pod succeeds with empty logs. When the plan runs out before the Job ends,
 * the last pod stays Running (a Job that never finishes, for stop tests).
 */
import { randomUUID } from 'node:crypto';
import type { Obj, Store } from './store';

export const PLAN_ANNOTATION = 'standin.asl-workbench.dev/plan';

interface PodPlan {
  phase: 'Succeeded' | 'Failed';
  logs?: Record<string, string>;
}

const now = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = () => Array.from({ length: 5 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');

/** Pod logs the log endpoint serves: "<ns>/<pod>/<container>" → text. */
export type LogStore = Map<string, string>;

/** Drives one Job through its plan; stops when the Job is deleted. */
export function runController(store: Store, logs: LogStore, ns: string, name: string): void {
  const job = store.get('jobs', ns, name)!;
  const ann = (job.metadata.annotations ?? {}) as Record<string, string>;
  let plan: { pods?: PodPlan[]; stepMs?: number } = {};
  try {
    plan = ann[PLAN_ANNOTATION] ? JSON.parse(ann[PLAN_ANNOTATION]) : {};
  } catch {
    plan = {};
  }
  const spec = job.spec as {
    completions?: number;
    backoffLimit?: number;
    template?: { spec?: { containers?: Array<{ name: string }> }; metadata?: Record<string, unknown> };
  };
  const completions = spec.completions ?? 1;
  const backoffLimit = spec.backoffLimit ?? 6;
  const pods: PodPlan[] = plan.pods ?? Array.from({ length: completions }, () => ({ phase: 'Succeeded' as const }));
  const step = plan.stepMs ?? 5;
  let succeeded = 0;
  let failed = 0;
  let i = 0;

  const update = (f: (status: Record<string, unknown>) => void): boolean => {
    const cur = store.get('jobs', ns, name);
    if (!cur || cur.metadata.deletionTimestamp) return false;
    const status = { ...((cur.status as Record<string, unknown>) ?? {}) };
    f(status);
    store.put('jobs', { ...cur, status });
    return true;
  };

  const next = (): void => {
    if (!store.get('jobs', ns, name)) return;
    if (i >= pods.length) return; // plan exhausted: the pod stays Running
    const p = pods[i++]!;
    const podName = `${name}-${suffix()}`;
    const labels = {
      'batch.kubernetes.io/controller-uid': String(job.metadata.uid),
      'batch.kubernetes.io/job-name': name,
      'controller-uid': String(job.metadata.uid),
      'job-name': name,
    };
    const pod: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: ns,
        uid: randomUUID(),
        labels,
        creationTimestamp: now(),
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid, controller: true }],
      },
      spec: structuredClone(spec.template?.spec ?? {}),
      status: { phase: 'Running', startTime: now() },
    };
    store.put('pods', pod);
    for (const c of spec.template?.spec?.containers ?? [])
      logs.set(`${ns}/${podName}/${c.name}`, p.logs?.[c.name] ?? '');
    if (!update((s) => ((s.active = 1), (s.startTime ??= now()), (s.ready = 0)))) return;
    setTimeout(() => {
      const cur = store.get('pods', ns, podName);
      if (!cur || !store.get('jobs', ns, name)) return;
      store.put('pods', { ...cur, status: { ...(cur.status as object), phase: p.phase } });
      if (p.phase === 'Succeeded') succeeded++;
      else failed++;
      const t = now();
      const complete = succeeded >= completions;
      const failedJob = failed > backoffLimit;
      update((s) => {
        delete s.active;
        if (succeeded) s.succeeded = succeeded;
        if (failed) s.failed = failed;
        if (complete) {
          s.conditions = [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              lastProbeTime: t,
              lastTransitionTime: t,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
            {
              type: 'Complete',
              status: 'True',
              lastProbeTime: t,
              lastTransitionTime: t,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
          ];
          s.completionTime = t;
        } else if (failedJob) {
          const c = {
            status: 'True',
            lastProbeTime: t,
            lastTransitionTime: t,
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          };
          s.conditions = [
            { type: 'FailureTarget', ...c },
            { type: 'Failed', ...c },
          ];
        }
      });
      if (!complete && !failedJob) setTimeout(next, step);
    }, step);
  };
  setTimeout(next, step);
}
