/**
 * Every name and label asl-workbench gives to engine objects (containers, networks, images)
 * and to Kubernetes objects, in one place: the ECS driver, the Jobs-on-containers driver,
 * `asl-workbench clean` and the tests all read them from here, so a leftover of any run can
 * be found by label.
 */

/** Reverse-DNS prefix of every label key. */
export const LABEL_PREFIX = 'dev.asl-workbench';

/** Label keys (Docker labels; also valid Kubernetes label/annotation keys). */
export const LABELS = {
  /** "true" on everything asl-workbench creates: the selector of `clean --all` */
  managed: `${LABEL_PREFIX}.managed`,
  /** execution ARN (arn:aws:states:<region>:<account>:execution:<machine>:<name>) */
  execution: `${LABEL_PREFIX}.execution`,
  /** state name of the Task state that started the object */
  state: `${LABEL_PREFIX}.state`,
  /** the emulated ECS task ARN */
  taskArn: `${LABEL_PREFIX}.task-arn`,
  /** container name inside the ECS task definition */
  container: `${LABEL_PREFIX}.container`,
  /** what kind of work: "ecs-task" | "k8s-job" | ... */
  kind: `${LABEL_PREFIX}.kind`,
  /** pid of the runner process that created the object (leftover detection after a crash) */
  runnerPid: `${LABEL_PREFIX}.runner-pid`,
  /** host name of that runner (a pid only means something on its own host) */
  runnerHost: `${LABEL_PREFIX}.runner-host`,
} as const;

/**
 * Kubernetes label / annotation keys of the Jobs runs create in a cluster. A Kubernetes key is
 * `[prefix/]name`: the optional prefix a DNS subdomain (lower-case alnum, '-', '.', ≤253), the
 * name ≤63 chars of [A-Za-z0-9_.-] with alnum at both ends. The Docker keys above would pass as
 * prefix-less names, but keys without a prefix are the user's own, so cluster objects get the
 * prefixed form `dev.asl-workbench/<name>`. Values have the same rule as names (or are empty):
 * execution ARNs (':' and often >63 chars) go into annotations (same keys), and the short
 * `execution-hash` label lets a selector find one execution's Jobs.
 */
export const K8S_LABELS = {
  managed: `${LABEL_PREFIX}/managed`,
  execution: `${LABEL_PREFIX}/execution`,
  executionHash: `${LABEL_PREFIX}/execution-hash`,
  state: `${LABEL_PREFIX}/state`,
  kind: `${LABEL_PREFIX}/kind`,
  runnerPid: `${LABEL_PREFIX}/runner-pid`,
  runnerHost: `${LABEL_PREFIX}/runner-host`,
} as const;

/** True when `v` is a valid Kubernetes label value (empty, or ≤63 chars [A-Za-z0-9._-] with alnum ends). */
export function isK8sLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(v));
}

/** Value of LABELS.managed. */
export const MANAGED_VALUE = 'true';

/** Prefix of container and network names (`asl-wb-<task id>-<container>`). */
export const NAME_PREFIX = 'asl-wb';

/** Image built offline by scripts/setup-docker.sh (busybox-static, `docker import`). */
export const BUSYBOX_IMAGE = 'asl-workbench/busybox:latest';

/** Engine label filter matching every object asl-workbench manages. */
export function managedFilter(): string {
  return `${LABELS.managed}=${MANAGED_VALUE}`;
}

/** Engine label filter matching the objects of one execution. */
export function executionFilter(executionArn: string): string {
  return `${LABELS.execution}=${executionArn}`;
}

/**
 * A name usable for containers/networks: Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]*. Anything
 * else becomes "-", and the result is capped so `<prefix>-<id>-<name>` stays readable.
 */
export function safeName(part: string, max = 40): string {
  const cleaned = part.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return (cleaned || 'x').slice(0, max);
}

/** Container name of one container of one emulated ECS task. */
export function taskContainerName(taskId: string, containerName: string): string {
  return `${NAME_PREFIX}-${taskId.slice(0, 12)}-${safeName(containerName)}`;
}

/** Network name of one emulated ECS task. */
export function taskNetworkName(taskId: string): string {
  return `${NAME_PREFIX}-${taskId.slice(0, 12)}`;
}
