/**
 * The contract between the interpreter (runner/src/interpreter) and task drivers
 * (mock, docker for ECS and Jobs-on-containers, kubernetes). A driver turns one Task state
 * invocation into real work and reports the service's output, or throws a StatesError
 * carrying the AWS error name (e.g. States.TaskFailed, AmazonECS.Unknown, EKS.404).
 */
import type { S3StandIns } from '../../../asl/src/runConfig';
import type { Substitutions } from '../../../asl/src/substitutions';
import type { ParsedResource } from '../../../asl/src/types';

/** Where a container (or a host process) reaches the local Step Functions callback endpoint. */
export interface CallbackEndpointInfo {
  /** URL reachable from this host, e.g. http://127.0.0.1:41234 */
  hostUrl: string;
  /** dummy credentials and region that the endpoint accepts */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * Let containers on one engine network call back with one task token: a listener on the
   * network's gateway `gatewayIp` (never 0.0.0.0) that answers only SendTaskSuccess/Failure/
   * Heartbeat, only for the tokens granted on it. Close the exposure when the network is
   * removed; the listener closes with its last exposure.
   */
  exposeTo(gatewayIp: string, taskToken: string): Promise<CallbackExposure>;
}

/** One grant of `CallbackEndpointInfo.exposeTo`: the URL containers use, and its release. */
export interface CallbackExposure {
  url: string;
  close(): Promise<void>;
}

/** One Task state attempt handed to a driver. */
export interface TaskInvocation {
  executionArn: string;
  executionName: string;
  stateMachineName: string;
  /** the execution's region and account: the ARNs a driver makes (tasks, clusters) are in them */
  region: string;
  accountId: string;
  stateName: string;
  /** 1 for the first attempt, +1 per retry */
  attempt: number;
  resource: ParsedResource;
  /** effective Parameters (JSONPath) / Arguments (JSONata) after evaluation */
  parameters: unknown;
  /** set for .waitForTaskToken and .sync (the token is in the context object too) */
  taskToken?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /**
   * Aborted when the attempt must end early: execution stopped, TimeoutSeconds or heartbeat
   * timeout, a failing Parallel sibling or Map iteration. The driver must stop and remove
   * everything it started for this attempt, then settle (reject) promptly.
   */
  signal: AbortSignal;
  /** append a line to the run's log (container / pod output, driver progress) */
  log(line: string, source?: string): void;
  /** the local run config (task definitions, clusters, engine settings), already loaded */
  config: LocalRunConfig;
  /** directory the machine file is in (resolves relative paths of the run config) */
  baseDir?: string;
  callback?: CallbackEndpointInfo;
}

/**
 * What a driver returns:
 * - `done`: the state's result (request-response; also eks:call and cluster APIs)
 * - `submitted`: the service accepted the work (TaskSubmitted carries `output`); for .sync,
 *   `completion` settles with the final result or rejects with a StatesError; for
 *   .waitForTaskToken there is no completion: the interpreter waits for the callback.
 */
export type DriverResult =
  { kind: 'done'; output: unknown } | { kind: 'submitted'; output: unknown; completion?: Promise<unknown> };

export interface TaskDriver {
  /** short name used in logs and errors: "mock", "docker-ecs", "kubernetes", ... */
  readonly name: string;
  /** true when this driver handles the resource under the given config */
  canHandle(resource: ParsedResource, config: LocalRunConfig): boolean;
  invoke(invocation: TaskInvocation): Promise<DriverResult>;
  /** called once when an execution ends (any status): remove whatever is left for it */
  disposeExecution?(executionArn: string): Promise<void>;
}

/** The local run config file (schema: schemas/local-run-config.schema.json). */
export interface LocalRunConfig {
  /** absolute path of the file this config was loaded from (set by the loader, not written by users) */
  configPath?: string;
  /** TaskDefinition (family, family:revision or ARN) -> ECS task definition (file path or inline) */
  taskDefinitions?: Record<string, string | Record<string, unknown>>;
  /** EKS ClusterName (or Endpoint) -> how to reach it locally */
  clusters?: Record<string, { context?: string; kubeconfig?: string; mode?: 'kubernetes' | 'containers' }>;
  engine?: {
    /** auto | docker | podman */
    kind?: 'auto' | 'docker' | 'podman';
    /** unix socket path or tcp:// URL; DOCKER_HOST is honoured otherwise */
    host?: string;
    /** missing images: "missing" (default) tries one pull, "never" fails at once */
    pull?: 'missing' | 'never';
    /** "auto" (default): a network per ECS task with several containers or the callback endpoint; "always": per task */
    taskNetwork?: 'auto' | 'always';
  };
  kubernetes?: {
    context?: string;
    kubeconfig?: string;
    kindClusterName?: string;
    /** load local images into kind clusters (default true) */
    kindLoadImages?: boolean;
    kindPath?: string;
  };
  /** values of the definition's `${Name}` placeholders (asl/src/substitutions.ts) */
  substitutions?: Substitutions;
  /**
   * what the context object shows as `$$.Execution.Name`, `$$.StateMachine.Name` (and the ARNs
   * built from them) and `$$.Execution.RoleArn`; options given to the run (CLI, API) win
   */
  execution?: { name?: string; stateMachineName?: string; roleArn?: string };
  /** local folders standing in for S3 buckets (Distributed Map ItemReader / ResultWriter) */
  s3?: S3StandIns;
  [key: string]: unknown;
}
