/**
 * The `docker-ecs` task driver: emulates `arn:aws:states:::ecs:runTask` (request-response,
 * `.sync`, `.waitForTaskToken`) with real containers on Docker or Podman.
 *
 * Choices where AWS is silent, documented here, in docs/ecs-local-runs.md and in the examples'
 * READMEs:
 * - `.sync` fails with `States.TaskFailed` (cause = the stopped task JSON) when the task failed
 *   to start or a container stopped as `SYNC_FAILS_ON_CONTAINER` says.
 * - `.sync` with `Count` > 1 waits for every task and returns the first task object; any
 *   failed task fails the state with that task as cause.
 * - On abort (stop, TimeoutSeconds, heartbeat timeout, failing sibling) every pattern's
 *   containers are removed; request-response and callback containers otherwise stay until
 *   the execution ends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { StatesError, type ParsedResource } from '../../../../asl/src/types';
import { ECS_ERRORS } from '../../../../asl/src/integrations/ecs';
import { engineOptions } from '../docker/endpoint';
import { ContainerEngine, EngineUnavailableError } from '../docker/engine';
import { LABELS } from '../docker/labels';
import { removeManaged, runnerLabels } from '../docker/leftovers';
import type { DriverResult, LocalRunConfig, TaskDriver, TaskInvocation } from '../types';
import { echoOverrides, runTaskResponse, taskJson, type ContainerRecord, type TaskRecord } from './shapes';
import { EcsTask, type ContainerOverride } from './task';
import { resolveTaskDefinition, type ResolvedTaskDefinition } from './taskDefinitions';

/**
 * Which stopped container fails a `.sync` state with `States.TaskFailed`. AWS does not document
 * it; this is the local rule. Any container of the task, essential or not, that exits non-zero:
 * a public production workflow's `.sync` state failed with `States.TaskFailed` when its
 * non-essential log-router sidecar was SIGKILLed (exit 137) at the task's shutdown while the
 * essential app container exited 0 (StopCode `EssentialContainerExited`). A container that never
 * ran fails the state only when it is essential.
 */
export const SYNC_FAILS_ON_CONTAINER = (c: ContainerRecord): boolean =>
  c.exitCode === undefined ? c.essential : c.exitCode !== 0;

export interface EcsDriverOptions {
  /** use this engine instead of the one the config / DOCKER_HOST points at */
  engine?: ContainerEngine;
  /** grace period before SIGKILL when the task stops (default 2 s) */
  stopTimeoutSeconds?: number;
}

/** Task driver for ecs:runTask on a local container engine. */
export class EcsDockerDriver implements TaskDriver {
  readonly name = 'docker-ecs';
  private readonly engines = new Map<string, ContainerEngine>();
  private readonly swept = new Set<string>();
  private readonly tasks = new Map<string, Set<EcsTask>>();
  private readonly pending = new Map<string, Set<Promise<unknown>>>();

  constructor(private readonly opts: EcsDriverOptions = {}) {}

  canHandle(resource: ParsedResource): boolean {
    return resource.kind === 'optimized' && resource.key === 'ecs:runTask';
  }

  /** The engine for a config (config engine.host/kind, then DOCKER_HOST, then the usual sockets). */
  engineFor(config: LocalRunConfig): ContainerEngine {
    if (this.opts.engine) return this.opts.engine;
    const key = JSON.stringify(config.engine ?? {});
    let e = this.engines.get(key);
    if (!e) {
      e = new ContainerEngine(engineOptions(config));
      this.engines.set(key, e);
    }
    return e;
  }

  async invoke(inv: TaskInvocation): Promise<DriverResult> {
    if (inv.signal.aborted) throw abortError(inv.signal);
    const { region, accountId: account } = inv;
    const params = (inv.parameters && typeof inv.parameters === 'object' ? inv.parameters : {}) as Record<
      string,
      unknown
    >;
    const td = resolveTaskDefinition(params.TaskDefinition, inv.config, { baseDir: inv.baseDir, region, account });
    const overrides = parseOverrides(params.Overrides, td);
    const count = params.Count === undefined ? 1 : Number(params.Count);
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new StatesError(
        ECS_ERRORS.invalidParameter,
        `Count must be between 1 and 10 (got ${String(params.Count)}).`,
      );
    }
    const engine = this.engineFor(inv.config);
    try {
      if (!this.swept.has(engine.endpoint.label)) await engine.ping();
      await this.sweepOnce(engine, inv);
    } catch (e) {
      if (e instanceof EngineUnavailableError) throw e.toStatesError();
      throw e;
    }

    const pattern = inv.resource.pattern;
    const cluster = typeof params.Cluster === 'string' && params.Cluster ? params.Cluster : 'default';
    const clusterName = cluster.startsWith('arn:') ? cluster.split('/').pop()! : cluster;
    const clusterArn = cluster.startsWith('arn:') ? cluster : `arn:aws:ecs:${region}:${account}:cluster/${cluster}`;
    const engineCfg = inv.config.engine ?? {};
    const pullMode = engineCfg.pull;
    // .waitForTaskToken containers get the callback endpoint; .sync ones only when the state
    // passes them the token (SendTaskSuccess ends a .sync task early, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html)
    const wantsCallback =
      !!inv.taskToken &&
      (pattern === 'waitForTaskToken' || (pattern === 'sync' && JSON.stringify(params).includes(inv.taskToken)));
    const injectedEnv = inv.callback && wantsCallback ? (gw: string) => callbackEnv(inv, gw) : undefined;

    const tasks: EcsTask[] = [];
    for (let i = 0; i < count; i++) {
      const taskId = randomBytes(16).toString('hex');
      const taskArn = `arn:aws:ecs:${region}:${account}:task/${clusterName}/${taskId}`;
      const record = newRecord(
        taskId,
        taskArn,
        { clusterArn, clusterName, region, account },
        td,
        params,
        overrides.echo,
        pattern === 'sync',
      );
      const task = new EcsTask({
        engine,
        record,
        definition: td.definition,
        overrides: overrides.byName,
        labels: {
          ...runnerLabels(),
          [LABELS.kind]: 'ecs-task',
          [LABELS.execution]: inv.executionArn,
          [LABELS.state]: inv.stateName,
          [LABELS.taskArn]: taskArn,
        },
        injectedEnv,
        log: inv.log,
        pullMissing: pullMode !== 'never',
        taskNetwork: engineCfg.taskNetwork === 'always' ? 'always' : 'auto',
        stopTimeoutSeconds: this.opts.stopTimeoutSeconds,
      });
      tasks.push(task);
      this.track(inv.executionArn, task);
    }

    const destroyAll = (why: string) => Promise.all(tasks.map((t) => t.destroy(why)));
    const onAbort = () => {
      this.trackPending(
        inv.executionArn,
        destroyAll('Task stopped by Step Functions (execution stopped, timed out or branch failed)'),
      );
    };
    inv.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(tasks.map((t) => t.provision()));
    } catch (e) {
      inv.signal.removeEventListener('abort', onAbort);
      await destroyAll('provisioning failed');
      if (inv.signal.aborted) throw abortError(inv.signal);
      if (e instanceof EngineUnavailableError) throw e.toStatesError();
      throw new StatesError(
        ECS_ERRORS.amazonEcsException,
        `asl-workbench could not create the task's containers: ${(e as Error).message}`,
      );
    }
    if (inv.signal.aborted) {
      await destroyAll('aborted');
      throw abortError(inv.signal);
    }
    const response = runTaskResponse(tasks.map((t) => t.record));
    const runs = tasks.map((t) => t.run());
    // only the tasks whose containers did start (a task that failed to start says so itself)
    void Promise.all(tasks.map((t) => t.started)).then((started) => {
      const ids = tasks.filter((_, i) => started[i]).map((t) => t.record.taskId);
      if (ids.length) inv.log(`started ${ids.length} task(s) of ${td.family}:${td.revision}: ${ids.join(', ')}`, 'ecs');
    });

    if (pattern === 'sync') {
      const completion = this.syncCompletion(inv, tasks, runs, onAbort);
      this.trackPending(
        inv.executionArn,
        completion.catch(() => undefined),
      );
      return { kind: 'submitted', output: response, completion };
    }
    for (const run of runs) {
      const done = run.then((rec) => {
        const codes = rec.containers.map((c) => `${c.name}=${c.exitCode ?? c.reason ?? 'not started'}`).join(', ');
        inv.log(
          `task ${rec.taskId} stopped (${rec.stopCode}; ${codes})${pattern === 'waitForTaskToken' ? ' — the state ends with the task token, not with the task' : ''}`,
          'ecs',
        );
      });
      this.trackPending(
        inv.executionArn,
        done.catch(() => undefined),
      );
    }
    return pattern === 'requestResponse' ? { kind: 'done', output: response } : { kind: 'submitted', output: response };
  }

  /** Remove whatever is left for the execution (containers, networks), waiting for teardowns in flight. */
  async disposeExecution(executionArn: string): Promise<void> {
    const tasks = this.tasks.get(executionArn);
    this.tasks.delete(executionArn);
    await Promise.all([...(tasks ?? [])].map((t) => t.destroy()));
    const pending = this.pending.get(executionArn);
    this.pending.delete(executionArn);
    await Promise.all([...(pending ?? [])]);
    const engines = this.opts.engine ? [this.opts.engine] : [...this.engines.values()];
    for (const e of engines) await removeManaged(e, { kind: 'execution', executionArn }).catch(() => undefined);
  }

  /** Free the engines' pooled connections (the driver stays usable). */
  close(): void {
    for (const e of this.engines.values()) e.close();
  }

  // ------------------------------------------------------------------ helpers

  private syncCompletion(
    inv: TaskInvocation,
    tasks: EcsTask[],
    runs: Promise<TaskRecord>[],
    onAbort: () => void,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const aborted = () => {
        Promise.all(tasks.map((t) => t.destroy())).finally(() => reject(abortError(inv.signal)));
      };
      if (inv.signal.aborted) return aborted();
      inv.signal.removeEventListener('abort', onAbort);
      inv.signal.addEventListener('abort', aborted, { once: true });
      Promise.all(runs).then(
        (records) => {
          if (inv.signal.aborted) return;
          inv.signal.removeEventListener('abort', aborted);
          const failed = tasks.find((t) => t.failedToStart || t.record.containers.some(SYNC_FAILS_ON_CONTAINER));
          const out = taskJson((failed ?? tasks[0]).record);
          this.trackPending(inv.executionArn, Promise.all(tasks.map((t) => t.destroy())));
          for (const r of records)
            inv.log(
              `task ${r.taskId} stopped: ${r.containers.map((c) => `${c.name} exit ${c.exitCode ?? '-'}`).join(', ')}`,
              'ecs',
            );
          if (failed) reject(new StatesError('States.TaskFailed', JSON.stringify(out)));
          else resolve(out);
        },
        (e) => {
          this.trackPending(inv.executionArn, Promise.all(tasks.map((t) => t.destroy())));
          reject(
            new StatesError('States.TaskFailed', `asl-workbench: task monitoring failed: ${(e as Error).message}`),
          );
        },
      );
    });
  }

  private async sweepOnce(engine: ContainerEngine, inv: TaskInvocation): Promise<void> {
    const key = engine.endpoint.label;
    if (this.swept.has(key)) return;
    this.swept.add(key);
    const r = await removeManaged(engine, { kind: 'orphans' });
    if (r.containers.length || r.networks.length) {
      inv.log(
        `removed leftovers of crashed runs: ${r.containers.length} container(s), ${r.networks.length} network(s)`,
        'ecs',
      );
    }
  }

  private track(executionArn: string, task: EcsTask): void {
    let s = this.tasks.get(executionArn);
    if (!s) this.tasks.set(executionArn, (s = new Set()));
    s.add(task);
  }

  private trackPending(executionArn: string, p: Promise<unknown>): void {
    let s = this.pending.get(executionArn);
    if (!s) this.pending.set(executionArn, (s = new Set()));
    const set = s;
    const q = p.catch(() => undefined).finally(() => set.delete(q));
    set.add(q);
  }
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return new StatesError('States.Aborted', typeof r === 'string' ? r : 'task aborted');
}

/**
 * Environment that points unmodified AWS SDKs/CLIs in the container at the local callback
 * endpoint (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html): the task network's gateway listener, which accepts this attempt's token only
 * and closes when the task releases it with its network.
 */
async function callbackEnv(
  inv: TaskInvocation,
  gatewayIp: string,
): Promise<{ env: Record<string, string>; release(): Promise<void> }> {
  const cb = inv.callback!;
  const exposure = await cb.exposeTo(gatewayIp, inv.taskToken!);
  const url = exposure.url;
  return {
    env: {
      AWS_ENDPOINT_URL_SFN: url,
      AWS_ENDPOINT_URL: url,
      AWS_REGION: cb.region,
      AWS_DEFAULT_REGION: cb.region,
      AWS_ACCESS_KEY_ID: cb.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cb.secretAccessKey,
    },
    release: () => exposure.close(),
  };
}

function parseOverrides(
  raw: unknown,
  td: ResolvedTaskDefinition,
): { byName: Map<string, ContainerOverride>; echo: Record<string, unknown> } {
  const byName = new Map<string, ContainerOverride>();
  if (raw === undefined) return { byName, echo: echoOverrides({}) };
  if (!raw || typeof raw !== 'object')
    throw new StatesError(ECS_ERRORS.invalidParameter, 'Overrides must be an object.');
  if (JSON.stringify(raw).length > 8192) {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html: ECS rejects overrides over 8192 characters
    throw new StatesError(ECS_ERRORS.invalidParameter, 'Container Overrides length must be at most 8192.');
  }
  const list = (raw as { ContainerOverrides?: unknown }).ContainerOverrides;
  if (list !== undefined && !Array.isArray(list))
    throw new StatesError(ECS_ERRORS.invalidParameter, 'Overrides.ContainerOverrides must be a list.');
  const names = new Set(td.definition.containerDefinitions.map((c) => c.name));
  for (const o of (list ?? []) as ContainerOverride[]) {
    if (!o || typeof o.Name !== 'string' || !names.has(o.Name)) {
      throw new StatesError(
        ECS_ERRORS.invalidParameter,
        `Override for container named ${o?.Name} is not a container in the TaskDefinition. (containers of ${td.family}: ${[...names].join(', ')})`,
      );
    }
    if (o.Command !== undefined && !(Array.isArray(o.Command) && o.Command.every((x) => typeof x === 'string'))) {
      throw new StatesError(
        ECS_ERRORS.invalidParameter,
        `ContainerOverrides[${o.Name}].Command must be a list of strings.`,
      );
    }
    byName.set(o.Name, o);
  }
  return { byName, echo: echoOverrides(raw) };
}

function newRecord(
  taskId: string,
  taskArn: string,
  where: { clusterArn: string; clusterName: string; region: string; account: string },
  td: ResolvedTaskDefinition,
  params: Record<string, unknown>,
  overridesEcho: Record<string, unknown>,
  sync: boolean,
): TaskRecord {
  const o = (params.Overrides ?? {}) as { Cpu?: string; Memory?: string; ContainerOverrides?: ContainerOverride[] };
  const { clusterArn, clusterName, region, account } = where;
  const cap = Array.isArray(params.CapacityProviderStrategy)
    ? (params.CapacityProviderStrategy[0] as { CapacityProvider?: string })?.CapacityProvider
    : undefined;
  const launchType = typeof params.LaunchType === 'string' ? params.LaunchType : cap ? undefined : 'FARGATE';
  return {
    taskId,
    taskArn,
    clusterArn,
    taskDefinitionArn: td.arn,
    family: td.family,
    launchType,
    capacityProviderName: cap,
    group: typeof params.Group === 'string' ? params.Group : `family:${td.family}`,
    // Step Functions sets StartedBy for .sync only (recorded on AWS: LocalStack's tests/aws/services/stepfunctions/v2/services/test_ecs_task_service.snapshot.json)
    startedBy: typeof params.StartedBy === 'string' ? params.StartedBy : sync ? 'AWS Step Functions' : undefined,
    overrides: overridesEcho,
    tags: Array.isArray(params.Tags) ? params.Tags : [],
    platformVersion:
      typeof params.PlatformVersion === 'string'
        ? params.PlatformVersion
        : launchType === 'FARGATE'
          ? '1.4.0'
          : undefined,
    enableExecuteCommand: params.EnableExecuteCommand === true,
    availabilityZone: `${region}a`,
    cpu: o.Cpu ?? td.definition.cpu,
    memory: o.Memory ?? td.definition.memory,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    version: 1,
    createdAt: Date.now(),
    containers: td.definition.containerDefinitions.map((c) => {
      const ov = o.ContainerOverrides?.find((x) => x.Name === c.name);
      return {
        name: c.name,
        image: c.image,
        containerArn: `arn:aws:ecs:${region}:${account}:container/${clusterName}/${taskId}/${randomUUID()}`,
        lastStatus: 'PENDING' as const,
        essential: c.essential !== false,
        cpu: ov?.Cpu ?? c.cpu,
        memory: ov?.Memory ?? c.memory,
        memoryReservation: ov?.MemoryReservation ?? c.memoryReservation,
      };
    }),
  };
}
