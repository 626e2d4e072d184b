/**
 * Cluster resolution: which kubeconfig context an EKS ClusterName / Endpoint
 * stands for locally, or "containers" when no cluster is configured or reachable. The
 * definition's CertificateAuthority and Endpoint are never used to connect: local clusters have
 * their own (the kubeconfig's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LocalRunConfig } from '../types';
import { KubeClient, loadKubeConfig } from '../kubernetes/client';
import { PROBE_TIMEOUT_MS } from './constants';

/** Where the work of one EKS state goes. */
export type ClusterTarget =
  | {
      mode: 'kubernetes';
      client: KubeClient;
      context: string;
      kubeconfig?: string;
      kindCluster?: string;
      explicit: boolean;
    }
  /** the run config asks for Jobs on containers */
  | { mode: 'containers'; reason: string }
  /** no usable cluster; `explicit` when the config named one (then there is no fallback) */
  | { mode: 'none'; reason: string; explicit: boolean };

/** Options of the resolver (tests point it at a kubeconfig of their own). */
export interface ResolveOptions {
  /** kubeconfig used when neither the cluster entry nor `kubernetes.kubeconfig` names one */
  defaultKubeconfig?: string;
  baseDir?: string;
}

/** Resolves clusters and remembers which API servers answered (one resolver per run). */
export class ClusterResolver {
  private readonly reachable = new Map<string, Promise<string | undefined>>();

  constructor(private readonly opts: ResolveOptions = {}) {}

  /**
   * Order: `clusters[ClusterName]` (or `clusters[Endpoint]`) `.context`; `kubernetes.context`;
   * `kind-<ClusterName>` / `kind-<kubernetes.kindClusterName>` when the kubeconfig has it; the
   * kubeconfig's current context. `mode: "containers"` skips all of this; `mode: "kubernetes"`
   * (or an explicit context) never falls back to containers.
   */
  async resolve(
    config: LocalRunConfig,
    clusterName: string,
    endpoint: string | undefined,
    baseDir?: string,
  ): Promise<ClusterTarget> {
    const entry = config.clusters?.[clusterName] ?? (endpoint ? config.clusters?.[endpoint] : undefined) ?? {};
    if (entry.mode === 'containers')
      return { mode: 'containers', reason: `clusters.${clusterName}.mode is "containers"` };
    const dir = config.configPath ? path.dirname(config.configPath) : (baseDir ?? this.opts.baseDir ?? process.cwd());
    const file = entry.kubeconfig ?? config.kubernetes?.kubeconfig;
    const kubeconfig = file ? path.resolve(dir, file) : this.opts.defaultKubeconfig;
    const explicitContext = entry.context ?? config.kubernetes?.context;
    const explicit = entry.mode === 'kubernetes' || !!explicitContext;

    if (!kubeconfig && !hasDefaultKubeconfig())
      return this.none(explicit, 'no kubeconfig (neither KUBECONFIG nor ~/.kube/config names an existing file)');
    let kc: KubeConfig;
    try {
      kc = await loadKubeConfig(kubeconfig);
    } catch (e) {
      return this.none(
        explicit,
        `the kubeconfig ${kubeconfig ?? '(default)'} could not be read: ${(e as Error).message}`,
      );
    }
    const names = new Set(kc.getContexts().map((c) => c.name));
    const kindName = config.kubernetes?.kindClusterName;
    const candidates = explicitContext
      ? [explicitContext]
      : [clusterName && `kind-${clusterName}`, kindName && `kind-${kindName}`, kc.getCurrentContext()].filter(
          (x): x is string => !!x,
        );
    const context = candidates.find((c) => names.has(c));
    if (!context) {
      return this.none(
        explicit,
        explicitContext
          ? `the context ${explicitContext} is not in ${kubeconfig ?? 'the kubeconfig'}`
          : `no kubeconfig context (tried ${candidates.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(context);
    const client = new KubeClient(kc, context);
    const problem = await this.probe(client, `${kubeconfig ?? ''}#${context}`);
    if (problem) return this.none(explicit, problem, context);
    const kindCluster = context.startsWith('kind-') ? context.slice(5) : undefined;
    return { mode: 'kubernetes', client, context, kubeconfig, kindCluster, explicit };
  }

  private none(explicit: boolean, reason: string, context?: string): ClusterTarget {
    return { mode: 'none', reason: context ? `context ${context}: ${reason}` : reason, explicit };
  }

  /** undefined when the API server answers /version with any HTTP status (401 included). */
  private probe(client: KubeClient, key: string): Promise<string | undefined> {
    let p = this.reachable.get(key);
    if (!p) {
      p = client.request('GET', '/version', { timeoutMs: PROBE_TIMEOUT_MS }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      this.reachable.set(key, p);
    }
    return p;
  }
}

/**
 * True when loadFromDefault would read a real configuration (without one, the client library
 * invents a "loaded-context" at http://localhost:8080, which is not a cluster anybody set up).
 */
function hasDefaultKubeconfig(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.KUBERNETES_SERVICE_HOST) return true;
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).some((f) => f && fs.existsSync(f));
  return fs.existsSync(path.join(os.homedir(), '.kube', 'config'));
}
