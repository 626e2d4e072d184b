/**
 * eks:call against a Kubernetes API server (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html): sends Method, Path,
 * QueryParameters and RequestBody with the context's credentials.
 */
import { StatesError } from '../../../../asl/src/types';
import { INVALID_JOB_ERROR } from '../eks/constants';
import type { KubeClient, KubeQuery } from './client';
import { k8sError, ok, responseObject } from './shapes';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'];

/**
 * Returns `{ResponseBody, StatusCode, StatusText, Headers}` (Headers: lower-case name → list of
 * values; AWS documents only `ResponseBody`, the rest is our choice); a non-2xx answer throws `EKS.<status>` with the first three as cause.
 */
export async function callCluster(
  client: KubeClient,
  raw: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const method = typeof p.Method === 'string' ? p.Method.toUpperCase() : '';
  if (!METHODS.includes(method))
    throw new StatesError(
      INVALID_JOB_ERROR,
      `Method must be one of ${METHODS.join(', ')} (got ${JSON.stringify(p.Method)}).`,
    );
  if (typeof p.Path !== 'string' || !p.Path.startsWith('/'))
    throw new StatesError(
      INVALID_JOB_ERROR,
      `Path must be a Kubernetes API path starting with / (got ${JSON.stringify(p.Path)}).`,
    );
  const query: KubeQuery = {};
  if (p.QueryParameters && typeof p.QueryParameters === 'object') {
    for (const [k, v] of Object.entries(p.QueryParameters as Record<string, unknown>))
      query[k] = (Array.isArray(v) ? v : [v]).map(String);
  }
  // PATCH needs a patch content type; a merge patch is what a JSON body most likely means
  const headers = method === 'PATCH' ? { 'Content-Type': 'application/merge-patch+json' } : undefined;
  const r = await client.request(method, p.Path, { query, body: p.RequestBody, signal, headers, timeoutMs: 120000 });
  if (!ok(r)) throw k8sError(r);
  return { ...responseObject(r), Headers: r.headers };
}
