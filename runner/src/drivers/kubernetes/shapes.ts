/**
 * Shapes shared by the Kubernetes driver and Jobs on containers: the runJob parameters, the
 * `logs` object of `.sync` output (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html), Job conditions, and EKS.<status> errors.
 */
import { parse as parseYaml } from 'yaml';
import { StatesError } from '../../../../asl/src/types';
import { DEFAULT_NAMESPACE, INVALID_JOB_ERROR, K8S_ERROR_PREFIX } from '../eks/constants';
import type { KubeResponse } from './client';

/** A batch/v1 Job manifest (only the fields the runner reads are typed). */
export interface JobManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  spec?: {
    completions?: number;
    parallelism?: number;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    template?: { metadata?: { labels?: Record<string, string>; [k: string]: unknown }; spec?: PodSpec };
    [k: string]: unknown;
  };
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  restartPolicy?: 'Never' | 'OnFailure' | 'Always';
  [k: string]: unknown;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  resources?: { limits?: { cpu?: string | number; memory?: string | number }; requests?: Record<string, unknown> };
  [k: string]: unknown;
}

/** `LogOptions` of runJob.sync (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). */
export interface LogOptions {
  RetrieveLogs: boolean;
  RawLogs: boolean;
  /** query parameters of the K8s "read pod log" call, string → list of strings */
  LogParameters: Record<string, string[]>;
}

/** The runJob parameters the runner uses. */
export interface RunJobParams {
  clusterName: string;
  endpoint?: string;
  namespace: string;
  job: JobManifest;
  logOptions: LogOptions;
}

/** Reads and checks runJob parameters; throws EKS.400 (as Kubernetes would reject the Job). */
export function parseRunJobParams(raw: unknown): RunJobParams {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  let job: unknown = p.Job;
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: Job is "JSON or string"; a string holds the manifest as JSON (YAML accepted too)
  if (typeof job === 'string') {
    try {
      job = parseYaml(job);
    } catch (e) {
      throw new StatesError(
        INVALID_JOB_ERROR,
        `Job is a string that is neither JSON nor YAML: ${(e as Error).message}`,
      );
    }
  }
  if (!job || typeof job !== 'object' || Array.isArray(job))
    throw new StatesError(INVALID_JOB_ERROR, 'Job must be a batch/v1 Job manifest (an object).');
  const lo = (p.LogOptions && typeof p.LogOptions === 'object' ? p.LogOptions : {}) as Record<string, unknown>;
  const lp: Record<string, string[]> = {};
  if (lo.LogParameters && typeof lo.LogParameters === 'object') {
    for (const [k, v] of Object.entries(lo.LogParameters as Record<string, unknown>))
      lp[k] = (Array.isArray(v) ? v : [v]).map(String);
  }
  const j = job as JobManifest;
  return {
    clusterName: typeof p.ClusterName === 'string' ? p.ClusterName : '',
    endpoint: typeof p.Endpoint === 'string' ? p.Endpoint : undefined,
    namespace:
      typeof p.Namespace === 'string' && p.Namespace ? p.Namespace : (j.metadata?.namespace ?? DEFAULT_NAMESPACE),
    job: j,
    logOptions: { RetrieveLogs: lo.RetrieveLogs === true, RawLogs: lo.RawLogs === true, LogParameters: lp },
  };
}

/** One entry of `logs.pods.<pod>.containers.<container>`: `log`, or `error` + `cause` (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). */
export type ContainerLogEntry = { log: unknown } | { error: string; cause: string };

/** The `logs` key of runJob.sync output. */
export interface JobLogs {
  pods: Record<string, { containers: Record<string, ContainerLogEntry> }>;
}

/**
 * The log value: JSON-parsed unless RawLogs (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). A log that is not one JSON text is kept
 * as the raw string (AWS does not document this case; see docs/eks-local.md).
 */
export function logValue(text: string, raw: boolean): unknown {
  if (raw) return text;
  const t = text.trim();
  if (!t) return text;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** Applies `tailLines` and `limitBytes` the way the kubelet does (tail first, then the byte cap). */
export function applyLogParameters(text: string, params: Record<string, string[]>): string {
  let out = text;
  const tail = Number(params.tailLines?.[0]);
  if (params.tailLines && Number.isInteger(tail) && tail >= 0) {
    const lines = out.split('\n');
    const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
    out = lines.slice(Math.max(0, lines.length - tail)).join('\n') + (trailing === '' && tail > 0 ? '\n' : '');
  }
  const limit = Number(params.limitBytes?.[0]);
  if (params.limitBytes && Number.isInteger(limit) && limit > 0) {
    const buf = Buffer.from(out, 'utf8');
    if (buf.length > limit) out = buf.subarray(0, limit).toString('utf8');
  }
  return out;
}

/** The terminal condition of a Job status, if any (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html: Complete or Failed with status True). */
export function terminalCondition(
  job: unknown,
): { type: 'Complete' | 'Failed'; reason?: string; message?: string } | undefined {
  const conds = ((job as JobManifest | undefined)?.status?.conditions ?? []) as Array<{
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
  }>;
  for (const c of conds) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
      return { type: c.type, reason: c.reason, message: c.message };
  }
  return undefined;
}

/** The eks:call / error-cause object of a response (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). */
export function responseObject(r: KubeResponse): { ResponseBody: unknown; StatusCode: number; StatusText: string } {
  return { ResponseBody: r.body, StatusCode: r.statusCode, StatusText: r.statusText };
}

/** `EKS.<status>` with cause {ResponseBody, StatusCode, StatusText} (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html). */
export function k8sError(r: KubeResponse): StatesError {
  return new StatesError(`${K8S_ERROR_PREFIX}${r.statusCode}`, JSON.stringify(responseObject(r)));
}

/**
 * The `EKS.<code>` error the API server's answer would produce when it refuses a Job itself
 * (Kubernetes `Status` object as ResponseBody) — for the Jobs-on-containers driver, which has
 * no API server but must fail the same way (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html).
 */
export function jobStatusError(
  code: number,
  statusText: string,
  reason: string,
  name: string,
  message: string,
): StatesError {
  const body = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details: { name, group: 'batch', kind: 'jobs' },
    code,
  };
  return k8sError({ statusCode: code, statusText, headers: {}, body, text: JSON.stringify(body) });
}

/** True for a 2xx status. */
export function ok(r: KubeResponse): boolean {
  return r.statusCode >= 200 && r.statusCode < 300;
}

/** Every image a Job's pod template uses (init containers first). */
export function jobImages(job: JobManifest): string[] {
  const spec = job.spec?.template?.spec;
  const all = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
    .map((c) => c.image)
    .filter((x): x is string => !!x);
  return [...new Set(all)];
}

/** The error a driver rejects with when its invocation signal aborts. */
export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return new StatesError('States.Aborted', typeof r === 'string' ? r : 'task aborted');
}
