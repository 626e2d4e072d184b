/**
 * The `eks` task driver: routes every `arn:aws:states:::eks:*` resource.
 * - runJob / runJob.sync: the resolved kubeconfig context (kind or any cluster) through the
 *   Kubernetes API; with no cluster, Job semantics on the container engine.
 * - call: the resolved context only; without one it fails saying how to point at a cluster.
 * - createCluster / deleteCluster: kind; node groups and Fargate profiles: simulated.
 * Choices where AWS is silent live in ./constants.ts (docs/eks-local.md).
 */
import { StatesError, type ParsedResource } from '../../../../asl/src/types';
import { engineOptions } from '../docker/endpoint';
import { ContainerEngine } from '../docker/engine';
import { removeManaged } from '../docker/leftovers';
import { type ContainerJobsState, newContainerJobsState, runJobOnContainers } from '../jobs-on-containers/run';
import { callCluster } from '../kubernetes/call';
import { KubeUnreachableError } from '../kubernetes/client';
import { runJobOnCluster } from '../kubernetes/runJob';
import { abortError, jobImages, parseRunJobParams } from '../kubernetes/shapes';
import { ProblemError, type RunProblem } from '../../problems';
import type { DriverResult, LocalRunConfig, TaskDriver, TaskInvocation } from '../types';
import { NO_CLUSTER_ERROR, POINT_AT_CLUSTER_HINT } from './constants';
import { createCluster, deleteCluster, fargateProfile, nodegroup } from './controlPlane';
import { Kind } from './kind';
import { ClusterResolver, type ClusterTarget } from './resolve';

/** AslWorkbench.NoCluster: `reason`, how to point at a cluster, and the state's ClusterName as the typed problem. */
function noCluster(clusterName: unknown, reason: string): ProblemError {
  const problem: RunProblem =
    typeof clusterName === 'string' && clusterName ? { kind: 'noCluster', clusterName } : { kind: 'noCluster' };
  return new ProblemError(NO_CLUSTER_ERROR, `${reason}; ${POINT_AT_CLUSTER_HINT}`, problem);
}

/** Options (tests inject an engine, a kubeconfig and a PATH). */
export interface EksDriverOptions {
  engine?: ContainerEngine;
  /** kubeconfig used when the run config names none (default: KUBECONFIG / ~/.kube/config) */
  kubeconfig?: string;
  /** environment for locating and running kind (default process.env) */
  env?: NodeJS.ProcessEnv;
}

/** Task driver for Amazon EKS optimized integrations. */
export class EksDriver implements TaskDriver {
  readonly name = 'eks';
  private readonly resolver: ClusterResolver;
  private readonly engines = new Map<string, ContainerEngine>();
  private readonly jobs: ContainerJobsState = newContainerJobsState();
  private readonly pending = new Map<string, Set<Promise<unknown>>>();
  private readonly swept = new Set<string>();

  constructor(private readonly opts: EksDriverOptions = {}) {
    this.resolver = new ClusterResolver({ defaultKubeconfig: opts.kubeconfig });
  }

  canHandle(resource: ParsedResource): boolean {
    return resource.kind === 'optimized' && resource.service === 'eks';
  }

  async invoke(inv: TaskInvocation): Promise<DriverResult> {
    if (inv.signal.aborted) throw abortError(inv.signal);
    const params = (inv.parameters && typeof inv.parameters === 'object' ? inv.parameters : {}) as Record<
      string,
      unknown
    >;
    try {
      switch (inv.resource.action) {
        case 'runJob':
          return await this.runJob(inv, params);
        case 'call':
          return { kind: 'done', output: await this.call(inv, params) };
        case 'createCluster':
          return { kind: 'done', output: await createCluster(inv, params, new Kind(inv.config, this.opts.env)) };
        case 'deleteCluster':
          return { kind: 'done', output: await deleteCluster(inv, params, new Kind(inv.config, this.opts.env)) };
        case 'createNodegroup':
        case 'deleteNodegroup':
          return { kind: 'done', output: nodegroup(inv, params, inv.resource.action === 'deleteNodegroup') };
        case 'createFargateProfile':
        case 'deleteFargateProfile':
          return { kind: 'done', output: fargateProfile(inv, params, inv.resource.action === 'deleteFargateProfile') };
        default:
          throw new StatesError(
            'States.Runtime',
            `asl-workbench cannot run eks:${inv.resource.action ?? '?'} locally.`,
          );
      }
    } catch (e) {
      if (inv.signal.aborted) throw abortError(inv.signal);
      if (e instanceof KubeUnreachableError) throw noCluster(params.ClusterName, e.message);
      throw e;
    }
  }

  /** Waits for Jobs still settling, then removes this execution's containers. Cluster Jobs of finished states stay (as on EKS). */
  async disposeExecution(executionArn: string): Promise<void> {
    const jobs = this.jobs.byExecution.get(executionArn);
    this.jobs.byExecution.delete(executionArn);
    await Promise.all([...(jobs ?? [])].map((j) => j.destroy()));
    for (const map of [this.jobs.pending, this.pending]) {
      const s = map.get(executionArn);
      map.delete(executionArn);
      await Promise.all([...(s ?? [])]);
    }
    const engines = this.opts.engine ? [this.opts.engine] : [...this.engines.values()];
    for (const e of engines) await removeManaged(e, { kind: 'execution', executionArn }).catch(() => undefined);
  }

  /** Frees pooled engine connections. */
  close(): void {
    for (const e of this.engines.values()) e.close();
  }

  // ------------------------------------------------------------------ runJob / call

  private async runJob(inv: TaskInvocation, raw: Record<string, unknown>): Promise<DriverResult> {
    const params = parseRunJobParams(raw);
    const target = await this.target(inv, params.clusterName, params.endpoint);
    if (target.mode === 'kubernetes') {
      if (target.kindCluster && inv.config.kubernetes?.kindLoadImages !== false)
        await this.loadIntoKind(inv, target.kindCluster, jobImages(params.job));
      return runJobOnCluster(target.client, inv, params, { track: (p) => this.track(inv.executionArn, p) });
    }
    if (target.mode === 'none' && target.explicit) throw noCluster(params.clusterName, target.reason);
    inv.log(
      `no cluster for ${params.clusterName || '(no ClusterName)'} (${target.reason}): running the Job on the container engine`,
      'eks',
    );
    const engine = this.engineFor(inv.config);
    await this.sweepOnce(engine);
    return runJobOnContainers(engine, inv, params, this.jobs);
  }

  private async call(inv: TaskInvocation, params: Record<string, unknown>): Promise<unknown> {
    const name = typeof params.ClusterName === 'string' ? params.ClusterName : '';
    const target = await this.target(inv, name, typeof params.Endpoint === 'string' ? params.Endpoint : undefined);
    if (target.mode !== 'kubernetes') {
      throw noCluster(
        name,
        `eks:call needs a Kubernetes cluster and none is reachable for ${name || '(no ClusterName)'} (${target.reason})`,
      );
    }
    return callCluster(target.client, params, inv.signal);
  }

  private target(inv: TaskInvocation, clusterName: string, endpoint: string | undefined): Promise<ClusterTarget> {
    return this.resolver.resolve(inv.config, clusterName, endpoint, inv.baseDir);
  }

  /**
   * Loads the Job's images that exist in the local engine into the kind cluster. kind itself
   * skips an image already present on the nodes, so "not in the cluster" is left to it.
   */
  private async loadIntoKind(inv: TaskInvocation, cluster: string, images: string[]): Promise<void> {
    const engine = this.engineFor(inv.config);
    const local: string[] = [];
    for (const image of images) if (await engine.imageExists(image).catch(() => false)) local.push(image);
    if (!local.length) return;
    let kind: Kind;
    try {
      kind = new Kind(inv.config, this.opts.env);
    } catch (e) {
      inv.log(`not loading ${local.join(', ')} into kind cluster ${cluster}: ${(e as Error).message}`, 'kind');
      return;
    }
    for (const image of local) {
      inv.log(`kind load docker-image ${image} --name ${cluster}`, 'kind');
      await kind.loadImage(image, cluster, inv.signal);
    }
  }

  private engineFor(config: LocalRunConfig): ContainerEngine {
    if (this.opts.engine) return this.opts.engine;
    const key = JSON.stringify(config.engine ?? {});
    let e = this.engines.get(key);
    if (!e) this.engines.set(key, (e = new ContainerEngine(engineOptions(config))));
    return e;
  }

  private async sweepOnce(engine: ContainerEngine): Promise<void> {
    if (this.swept.has(engine.endpoint.label)) return;
    this.swept.add(engine.endpoint.label);
    await removeManaged(engine, { kind: 'orphans' }).catch(() => undefined);
  }

  private track(executionArn: string, p: Promise<unknown>): void {
    let s = this.pending.get(executionArn);
    if (!s) this.pending.set(executionArn, (s = new Set()));
    const set = s;
    const q: Promise<unknown> = p.catch(() => undefined).finally(() => set.delete(q));
    set.add(q);
  }
}
