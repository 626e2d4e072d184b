/**
 * The Kubernetes half of `asl-workbench clean`: pick the kubeconfig context, check that its
 * API server answers, remove the managed Jobs (orphans, or all). Never throws: an unusable
 * kubeconfig or an unreachable cluster is reported as `skipped`.
 */
import { KubeClient, loadKubeConfig } from '../../runner/src/drivers/kubernetes/client';
import { removeClusterJobs } from '../../runner/src/drivers/kubernetes/leftovers';

export interface ClusterCleanResult {
  /** the context used (when one was found) */
  context?: string;
  /** why the cluster was not cleaned */
  skipped?: string;
  /** `<namespace>/<name>` of removed Jobs */
  jobs?: string[];
  errors?: string[];
}

/** Removes the Jobs of crashed runs (or all managed Jobs) in the cluster of one kubeconfig context. */
export async function cleanCluster(opts: {
  all: boolean;
  context?: string;
  kubeconfig?: string;
}): Promise<ClusterCleanResult> {
  let client: KubeClient;
  let context: string | undefined;
  try {
    const kc = await loadKubeConfig(opts.kubeconfig);
    context = opts.context || kc.getCurrentContext() || undefined;
    if (!context) return { skipped: 'no kubeconfig context' };
    if (!kc.getContextObject(context)) return { context, skipped: `no context ${context} in the kubeconfig` };
    kc.setCurrentContext(context);
    client = new KubeClient(kc, context);
  } catch (e) {
    return { context, skipped: `no usable kubeconfig: ${(e as Error).message}` };
  }
  try {
    const v = await client.request('GET', '/version', { timeoutMs: 5000 });
    if (v.statusCode === 0) return { context, skipped: `${client.server} did not answer` };
  } catch (e) {
    return { context, skipped: (e as Error).message };
  }
  try {
    const r = await removeClusterJobs(client, opts.all);
    return { context, jobs: r.jobs, errors: r.errors };
  } catch (e) {
    return { context, skipped: (e as Error).message };
  }
}
