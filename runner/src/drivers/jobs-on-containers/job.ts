/**
 * A Kubernetes Job's semantics on the container engine: completions,
 * parallelism, backoffLimit (a new pod after each failure; OnFailure restarts count too),
 * activeDeadlineSeconds (→ Failed, DeadlineExceeded), and the batch/v1 Job object with status
 * as the API server would report it. Kubernetes' exponential back-off delay between failed pods
 * is skipped locally.
 */
import { randomUUID } from 'node:crypto';
import type { ContainerEngine } from '../docker/engine';
import { DEFAULT_BACKOFF_LIMIT } from '../eks/constants';
import type { JobManifest } from '../kubernetes/shapes';
import { ContainerPod, type PodResult } from './pod';
import { nameSuffix } from './podSpec';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Options of one Job run. */
export interface ContainerJobOptions {
  engine: ContainerEngine;
  /** the manifest as given (validated), and the name validateJob chose */
  manifest: JobManifest;
  name: string;
  namespace: string;
  /** engine labels for every container (managed, execution, state, ...) */
  labels: Record<string, string>;
  log(line: string, source?: string): void;
}

type Cond = {
  type: string;
  status: 'True';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
};

/** One Job run on containers. `object()` is the Job as `kubectl get job -o json` would show it. */
export class ContainerJob {
  readonly uid = randomUUID();
  readonly createdAt = Date.now();
  private readonly pods = new Set<ContainerPod>();
  private readonly results: PodResult[] = [];
  private readonly podNames: string[] = [];
  private status: Record<string, unknown> = {};
  private resourceVersion = 1;
  private destroyed = false;
  private wake: () => void = () => undefined;
  private readonly spec: Required<
    Pick<NonNullable<JobManifest['spec']>, 'completions' | 'parallelism' | 'backoffLimit'>
  > &
    NonNullable<JobManifest['spec']>;

  constructor(private readonly o: ContainerJobOptions) {
    const s = o.manifest.spec ?? {};
    this.spec = {
      ...s,
      // Kubernetes defaults (a Job without completions is a work queue; here it needs one success)
      completions: s.completions ?? 1,
      parallelism: s.parallelism ?? 1,
      backoffLimit: s.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
    };
  }

  /** The Job object (metadata filled in like the API server, spec with defaults, current status). */
  object(): JobManifest {
    const m = this.o.manifest;
    const podLabels = {
      'batch.kubernetes.io/controller-uid': this.uid,
      'batch.kubernetes.io/job-name': this.o.name,
      'controller-uid': this.uid,
      'job-name': this.o.name,
    };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...m.metadata,
        name: this.o.name,
        namespace: this.o.namespace,
        uid: this.uid,
        resourceVersion: String(this.resourceVersion),
        generation: 1,
        creationTimestamp: iso(this.createdAt),
        labels: { ...podLabels, ...(m.metadata?.labels ?? {}) },
      },
      spec: {
        completionMode: 'NonIndexed',
        suspend: false,
        manualSelector: false,
        podReplacementPolicy: 'TerminatedOrFailed',
        ...this.spec,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': this.uid } },
        template: {
          ...m.spec?.template,
          metadata: {
            ...m.spec?.template?.metadata,
            labels: { ...podLabels, ...(m.spec?.template?.metadata?.labels ?? {}) },
          },
          spec: {
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            schedulerName: 'default-scheduler',
            ...m.spec?.template?.spec,
          },
        },
      },
      status: { ...this.status },
    };
  }

  /** Pods started so far, in start order, with their results once ended. */
  podResults(): { names: string[]; results: PodResult[] } {
    return { names: [...this.podNames], results: [...this.results] };
  }

  /** Runs the Job to Complete or Failed; resolves with the final object. Stops early when destroyed. */
  async run(): Promise<JobManifest> {
    const { completions, parallelism, backoffLimit, activeDeadlineSeconds } = this.spec;
    const startedAt = Date.now();
    this.status = { startTime: iso(startedAt) };
    let succeeded = 0;
    let failed = 0;
    let failures = 0;
    let deadlineHit = false;
    const active = new Map<ContainerPod, Promise<{ pod: ContainerPod; r: PodResult }>>();
    const deadline =
      activeDeadlineSeconds !== undefined
        ? setTimeout(() => {
            deadlineHit = true;
            this.wake();
          }, activeDeadlineSeconds * 1000)
        : undefined;
    const policy = this.o.manifest.spec?.template?.spec?.restartPolicy;
    const onFailure = () => ++failures <= backoffLimit;
    const update = () => {
      this.resourceVersion++;
      this.status = {
        ...this.status,
        active: active.size || undefined,
        succeeded: succeeded || undefined,
        failed: failed || undefined,
        ready: 0,
        terminating: 0,
      };
    };

    let outcome: { type: 'Complete' | 'Failed'; reason?: string; message?: string } | undefined;
    try {
      while (!outcome && !this.destroyed) {
        while (active.size < parallelism && succeeded + active.size < completions && !deadlineHit) {
          const pod = this.newPod(onFailure);
          active.set(
            pod,
            pod.run().then((r) => ({ pod, r })),
          );
        }
        update();
        const woken = new Promise<undefined>((r) => (this.wake = () => r(undefined)));
        const next = await Promise.race([...active.values(), woken]);
        if (this.destroyed) break;
        if (deadlineHit) {
          // Kubernetes (https://kubernetes.io/docs/concepts/workloads/controllers/job/): the Job fails with DeadlineExceeded and its running pods are terminated
          for (const pod of active.keys()) await pod.destroy();
          failed += active.size;
          active.clear();
          outcome = {
            type: 'Failed',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
          };
          break;
        }
        if (!next) continue;
        active.delete(next.pod);
        this.results.push(next.r);
        if (next.r.phase === 'Succeeded') succeeded++;
        else {
          failed++;
          if (policy !== 'OnFailure') failures++;
        }
        if (failures > backoffLimit) {
          for (const pod of active.keys()) await pod.destroy();
          failed += active.size;
          active.clear();
          outcome = {
            type: 'Failed',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          };
        } else if (succeeded >= completions) outcome = { type: 'Complete' };
      }
    } finally {
      if (deadline) clearTimeout(deadline);
    }
    update();
    const now = iso(Date.now());
    const conds: Cond[] =
      outcome?.type === 'Complete'
        ? [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              lastProbeTime: now,
              lastTransitionTime: now,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
            {
              type: 'Complete',
              status: 'True',
              lastProbeTime: now,
              lastTransitionTime: now,
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
          ]
        : outcome
          ? [
              {
                type: 'FailureTarget',
                status: 'True',
                lastProbeTime: now,
                lastTransitionTime: now,
                reason: outcome.reason,
                message: outcome.message,
              },
              {
                type: 'Failed',
                status: 'True',
                lastProbeTime: now,
                lastTransitionTime: now,
                reason: outcome.reason,
                message: outcome.message,
              },
            ]
          : [];
    // completionTime is only set for a Job that completed (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/)
    this.status = {
      ...this.status,
      conditions: conds.length ? conds : undefined,
      completionTime: outcome?.type === 'Complete' ? now : undefined,
      uncountedTerminatedPods: {},
    };
    this.status = Object.fromEntries(Object.entries(this.status).filter(([, v]) => v !== undefined));
    return this.object();
  }

  /** Stops the Job: removes every pod's containers. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.wake();
    await Promise.all([...this.pods].map((p) => p.destroy()));
  }

  private newPod(onFailure: () => boolean): ContainerPod {
    const name = `${this.o.name}-${nameSuffix()}`;
    this.podNames.push(name);
    const pod = new ContainerPod({
      engine: this.o.engine,
      name,
      spec: this.o.manifest.spec?.template?.spec ?? {},
      labels: { ...this.o.labels, 'dev.asl-workbench.k8s-job': this.o.name, 'dev.asl-workbench.k8s-pod': name },
      log: this.o.log,
      onFailure,
    });
    this.pods.add(pod);
    this.o.log(`pod ${name} started`, 'jobs');
    return pod;
  }
}
