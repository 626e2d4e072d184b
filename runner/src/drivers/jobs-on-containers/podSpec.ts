/**
 * Turning a Kubernetes pod template into engine containers: names, command/args with $(VAR)
 * expansion, env, workingDir, resource limits; and the checks the API server would make before
 * accepting the Job (422 Invalid).
 */
import { randomBytes } from 'node:crypto';
import type { ContainerCreateBody } from '../docker/engine';
import { NAME_PREFIX, safeName } from '../docker/labels';
import { jobStatusError, type ContainerSpec, type JobManifest } from '../kubernetes/shapes';

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no 0/1/3). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five random characters like Kubernetes' generateName suffixes. */
export function nameSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return s;
}

/** Engine name of one container of one pod. */
export function podContainerName(podName: string, container: string): string {
  return `${NAME_PREFIX}-${safeName(podName, 60)}-${safeName(container, 40)}`;
}

/** CPU quantity ("500m", "1", 0.5) → NanoCpus; undefined when absent or unreadable. */
export function nanoCpus(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const s = String(q).trim();
  const m = /^([0-9.]+)(m?)$/.exec(s);
  if (!m) return undefined;
  const cores = Number(m[1]) / (m[2] ? 1000 : 1);
  return Number.isFinite(cores) && cores > 0 ? Math.round(cores * 1e9) : undefined;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Memory quantity ("128Mi", "1G", "1e9", 1048576) → bytes; undefined when absent or unreadable. */
export function memoryBytes(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const s = String(q).trim();
  const m = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(s);
  if (!m || !(m[2]! in MEMORY_UNITS)) return undefined;
  const v = Number(m[1]) * MEMORY_UNITS[m[2]!]!;
  return Number.isFinite(v) && v > 0 ? Math.round(v) : undefined;
}

/** Kubernetes $(VAR) expansion in command/args (`$$(VAR)` stays literal `$(VAR)`). */
export function expandVars(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (name === undefined) return '$(';
    return name in env ? env[name]! : all;
  });
}

/** The create body of one container of a pod. */
export function containerBody(
  c: ContainerSpec,
  podName: string,
  labels: Record<string, string>,
  log: (line: string) => void,
): ContainerCreateBody {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (!e || typeof e.name !== 'string') continue;
    if (e.valueFrom !== undefined) {
      log(`env ${e.name} of container ${c.name}: valueFrom is not supported on containers; left unset`);
      continue;
    }
    env[e.name] = expandVars(String(e.value ?? ''), env);
  }
  const nano = nanoCpus(c.resources?.limits?.cpu);
  const mem = memoryBytes(c.resources?.limits?.memory);
  return {
    Image: c.image!,
    // Kubernetes `command` replaces the image ENTRYPOINT, `args` its CMD
    Entrypoint: c.command?.map((x) => expandVars(String(x), env)),
    Cmd: c.args?.map((x) => expandVars(String(x), env)),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: c.workingDir,
    Hostname: podName.slice(0, 63),
    Labels: labels,
    HostConfig: { NanoCpus: nano, Memory: mem },
  };
}

const invalid = (kind: string, name: string, details: string[]) =>
  jobStatusError(422, 'Unprocessable Entity', 'Invalid', name, `${kind} "${name}" is invalid: ${details.join(', ')}`);

/**
 * Checks what the API server checks before accepting a Job and returns the Job name (given, or
 * generateName + suffix); throws EKS.422 like Kubernetes otherwise.
 */
export function validateJob(job: JobManifest): string {
  const name = job.metadata?.name ?? (job.metadata?.generateName ? `${job.metadata.generateName}${nameSuffix()}` : '');
  const problems: string[] = [];
  if (!name) problems.push('metadata.name: Required value: name or generateName is required');
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 63)
    problems.push(
      `metadata.name: Invalid value: "${name}": must be a lowercase RFC 1123 name of at most 63 characters`,
    );
  if (job.kind !== undefined && job.kind !== 'Job')
    problems.push(
      `kind: Invalid value: "${String(job.kind)}": eks:runJob only runs batch/v1 Jobs; use eks:call for other kinds`,
    );
  const spec = job.spec?.template?.spec;
  if (!spec?.containers?.length) problems.push('spec.template.spec.containers: Required value');
  const rp = spec?.restartPolicy;
  if (rp !== 'Never' && rp !== 'OnFailure')
    problems.push(
      `spec.template.spec.restartPolicy: ${rp === undefined ? 'Required value' : `Unsupported value: "${rp}"`}: supported values: "OnFailure", "Never"`,
    );
  for (const [i, c] of [
    ...(spec?.initContainers ?? []).map((c) => ['initContainers', c] as const),
    ...(spec?.containers ?? []).map((c) => ['containers', c] as const),
  ].entries()) {
    if (!c[1]?.name) problems.push(`spec.template.spec.${c[0]}[${i}].name: Required value`);
    if (!c[1]?.image) problems.push(`spec.template.spec.${c[0]}[${i}].image: Required value`);
  }
  for (const k of ['completions', 'parallelism', 'backoffLimit', 'activeDeadlineSeconds'] as const) {
    const v = job.spec?.[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= (k === 'activeDeadlineSeconds' ? 1 : 0)))
      problems.push(`spec.${k}: Invalid value: ${JSON.stringify(v)}`);
  }
  if (problems.length) throw invalid('Job.batch', name || '(no name)', problems);
  return name;
}
