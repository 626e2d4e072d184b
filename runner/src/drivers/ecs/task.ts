/**
 * One emulated ECS task on a container engine: its own network when it needs one, one container
 * per container definition, dependsOn ordering, essential-container semantics, logs, teardown.
 */
import type { ContainerCreateBody, ContainerEngine } from '../docker/engine';
import { EngineError } from '../docker/engine';
import { LABELS, taskContainerName, taskNetworkName } from '../docker/labels';
import type { ContainerRecord, TaskRecord } from './shapes';
import type { EcsContainerDefinition, EcsTaskDefinition } from './taskDefinitions';

/** ContainerOverride of RunTask (PascalCase, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html). */
export interface ContainerOverride {
  Name: string;
  Command?: string[];
  Environment?: Array<{ Name: string; Value: string }>;
  Cpu?: number;
  Memory?: number;
  MemoryReservation?: number;
}

export interface EcsTaskOptions {
  engine: ContainerEngine;
  record: TaskRecord;
  definition: EcsTaskDefinition;
  overrides: Map<string, ContainerOverride>;
  /** labels put on the network and every container */
  labels: Record<string, string>;
  /**
   * variables every container gets before its own (callback endpoint, region, credentials);
   * `release` is called once the task's containers and network are removed
   */
  injectedEnv?: (gatewayIp: string) => Promise<{ env: Record<string, string>; release(): Promise<void> }>;
  log(line: string, source?: string): void;
  /** try one registry pull for a missing image (default true) */
  pullMissing?: boolean;
  /** "auto" (default): own network only where a task needs one (see `provision`); "always": one per task */
  taskNetwork?: 'auto' | 'always';
  /** SIGTERM → SIGKILL grace when an essential container exited (default 2 s; ECS uses stopTimeout or 30 s) */
  stopTimeoutSeconds?: number;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lifecycle of one task: `provision()`, then `run()`; `destroy()` at any time (idempotent). */
export class EcsTask {
  readonly record: TaskRecord;
  private networkId?: string;
  private readonly ids = new Map<string, string>();
  private readonly logs: Promise<void>[] = [];
  private destroyed?: Promise<void>;
  private readonly removed = new Set<string>();
  private readonly stopping = new AbortController();
  private readonly startedOnce = deferred<boolean>();
  private releaseEnv?: () => Promise<void>;

  constructor(private readonly o: EcsTaskOptions) {
    this.record = o.record;
  }

  get failedToStart(): boolean {
    return this.record.stopCode === 'TaskFailedToStart';
  }

  /** Settles during `run()`: true once every essential container has started, false when one never does. */
  get started(): Promise<boolean> {
    return this.startedOnce.promise;
  }

  /**
   * Check images (one pull attempt each when missing), create the network and the
   * containers. A missing image is not thrown: the task is marked stopped the way ECS
   * reports it (TaskFailedToStart, CannotPullContainerError, https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
   */
  async provision(): Promise<void> {
    const { engine, record, definition } = this.o;
    record.pullStartedAt = Date.now();
    // A task's own network is where its containers reach each other by name, and the network on
    // whose gateway the callback endpoint is exposed to that one task, for the network's lifetime.
    // A single-container task without the callback needs neither, so "auto" puts it on the
    // engine's default bridge: creating a network costs 100-250 ms on Docker 20.10, more than
    // starting the container (scripts/bench/ecs.mjs prints both figures).
    const own =
      this.o.taskNetwork === 'always' || definition.containerDefinitions.length > 1 || this.o.injectedEnv !== undefined;
    const netName = own ? taskNetworkName(record.taskId) : 'bridge';
    // the network is created while the images are checked (both are on the critical path)
    const network = own
      ? engine.createNetwork(netName, this.o.labels).then((id) => (this.networkId = id))
      : Promise.resolve('bridge');
    const images = [...new Set(definition.containerDefinitions.map((c) => c.image))];
    const problems = await Promise.all(images.map((image) => this.ensureImage(image)));
    const networkId = await network;
    const bad = problems.findIndex((p) => p !== undefined);
    if (bad >= 0) {
      const image = images[bad];
      return this.markFailedToStart(
        `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: ${problems[bad]}`,
      );
    }
    record.pullStoppedAt = Date.now();
    let env: Record<string, string> = {};
    if (this.o.injectedEnv) {
      const injected = await this.o.injectedEnv(await this.gatewayOf(networkId));
      env = injected.env;
      this.releaseEnv = injected.release;
    }
    await Promise.all(
      definition.containerDefinitions.map(async (c, i) => {
        const body = this.createBody(c, netName, env);
        const id = await engine.createContainer(body, taskContainerName(record.taskId, c.name));
        this.ids.set(c.name, id);
        record.containers[i].runtimeId = id;
      }),
    );
  }

  /**
   * Start the containers in dependsOn order and wait until an essential container stops; then
   * stop the others (ECS: the task stops when any essential container exits). Resolves with
   * the STOPPED record; `destroy()` during the run makes it settle promptly.
   */
  async run(): Promise<TaskRecord> {
    const { record, definition } = this.o;
    if (this.failedToStart) {
      this.startedOnce.resolve(false);
      return record;
    }
    record.lastStatus = 'PENDING';
    const started = new Map<string, Deferred<boolean>>();
    const finished = new Map<string, Deferred<number | undefined>>();
    for (const c of definition.containerDefinitions) {
      started.set(c.name, deferred());
      finished.set(c.name, deferred());
    }
    const runOne = async (c: EcsContainerDefinition, rec: ContainerRecord): Promise<void> => {
      const fin = finished.get(c.name)!;
      try {
        for (const dep of c.dependsOn ?? []) {
          const ok = await this.dependencyMet(dep.containerName, dep.condition, started, finished);
          if (!ok) {
            rec.reason = `Dependency ${dep.containerName} did not reach ${dep.condition}`;
            started.get(c.name)!.resolve(false);
            rec.lastStatus = 'STOPPED';
            return fin.resolve(undefined);
          }
        }
        const id = this.ids.get(c.name)!;
        await this.o.engine.startContainer(id);
        rec.lastStatus = 'RUNNING';
        if (record.lastStatus !== 'RUNNING') {
          record.lastStatus = 'RUNNING';
          record.startedAt = Date.now();
        }
        started.get(c.name)!.resolve(true);
        if (this.stopping.signal.aborted) {
          // the task began stopping while this container's start was in flight (e.g. the
          // essential container already exited): the stop pass below did not see it running
          void this.o.engine.stopContainer(id, c.stopTimeout ?? this.o.stopTimeoutSeconds ?? 2).catch(() => undefined);
        }
        this.logs.push(
          this.o.engine
            .streamLogs(id, (line, stream) => this.o.log(line, stream === 'stderr' ? `${c.name}:stderr` : c.name))
            .catch(() => undefined),
        );
        const code = await this.o.engine.waitContainer(id);
        rec.exitCode = code;
        rec.lastStatus = 'STOPPED';
        fin.resolve(code);
      } catch (e) {
        rec.lastStatus = 'STOPPED';
        // e.g. an entry point that does not exist: ECS reports CannotStartContainerError
        rec.reason = rec.reason ?? `CannotStartContainerError: ${e instanceof Error ? e.message : String(e)}`;
        if (c.essential !== false && !this.destroyed && !record.stopCode) {
          record.stopCode = 'TaskFailedToStart';
          record.stoppedReason = rec.reason;
          this.o.log(`task ${record.taskId} failed to start: ${rec.reason}`, 'ecs');
        }
        started.get(c.name)!.resolve(false);
        fin.resolve(undefined);
      }
    };
    const all = definition.containerDefinitions.map((c, i) => runOne(c, record.containers[i]));
    const essential = definition.containerDefinitions.filter((c) => c.essential !== false);
    // each essential container's start settles: true, or false when it could not start or the task stopped first
    void Promise.all(essential.map((c) => started.get(c.name)!.promise)).then((s) =>
      this.startedOnce.resolve(s.every(Boolean)),
    );
    const essentials = essential.map((c) => finished.get(c.name)!.promise);
    await Promise.race([Promise.race(essentials), this.whenStopping()]);
    record.stoppingAt = Date.now();
    record.desiredStatus = 'STOPPED';
    record.lastStatus = 'DEPROVISIONING';
    this.stopping.abort();
    await Promise.all(
      definition.containerDefinitions.map(async (c) => {
        const rec = record.containers.find((r) => r.name === c.name)!;
        if (rec.lastStatus === 'RUNNING') {
          await this.o.engine
            .stopContainer(this.ids.get(c.name)!, c.stopTimeout ?? this.o.stopTimeoutSeconds ?? 2)
            .catch(() => undefined);
        }
      }),
    );
    await Promise.all(all);
    await Promise.race([Promise.all(this.logs), new Promise((r) => setTimeout(r, 2000).unref())]);
    record.executionStoppedAt = Date.now();
    record.stoppedAt = Date.now();
    record.lastStatus = 'STOPPED';
    record.stopCode = record.stopCode ?? 'EssentialContainerExited';
    record.stoppedReason = record.stoppedReason ?? 'Essential container in task exited';
    record.version += 4;
    return record;
  }

  /** Remove the containers (forced) and the network. Safe to call repeatedly and concurrently. */
  destroy(reason?: string): Promise<void> {
    if (!this.destroyed && reason && !this.record.stopCode) {
      this.record.stopCode = 'UserInitiated';
      this.record.stoppedReason = reason;
    }
    this.stopping.abort();
    // anything created since an earlier call (abort during provisioning) is removed too
    const ids = [...this.ids.values()].filter((id) => !this.removed.has(id));
    const network = this.networkId && !this.removed.has(this.networkId) ? this.networkId : undefined;
    for (const id of [...ids, network ?? '']) if (id) this.removed.add(id);
    const release = this.releaseEnv;
    this.releaseEnv = undefined;
    const previous = this.destroyed ?? Promise.resolve();
    this.destroyed = previous.then(async () => {
      await Promise.all(ids.map((id) => this.o.engine.removeContainer(id, true).catch(() => undefined)));
      if (network) await this.o.engine.removeNetwork(network).catch(() => undefined);
      await release?.().catch(() => undefined);
    });
    return this.destroyed;
  }

  // ------------------------------------------------------------------ helpers

  private whenStopping(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopping.signal.aborted) return resolve();
      this.stopping.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  private async dependencyMet(
    name: string,
    condition: string,
    started: Map<string, Deferred<boolean>>,
    finished: Map<string, Deferred<number | undefined>>,
  ): Promise<boolean> {
    const stop = this.whenStopping().then(() => false);
    if (condition === 'START') return Promise.race([started.get(name)!.promise, stop]);
    if (condition === 'COMPLETE') return Promise.race([finished.get(name)!.promise.then((c) => c !== undefined), stop]);
    if (condition === 'SUCCESS') return Promise.race([finished.get(name)!.promise.then((c) => c === 0), stop]);
    // HEALTHY: poll the engine's health status until healthy, unhealthy or stopped
    if (!(await Promise.race([started.get(name)!.promise, stop]))) return false;
    const id = this.ids.get(name)!;
    while (!this.stopping.signal.aborted) {
      const info = await this.o.engine.inspectContainer(id);
      const status = info?.State.Health?.Status;
      if (status === 'healthy') return true;
      if (!info || status === 'unhealthy' || !info.State.Running) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  /** The host's address on the task's own network (where the callback endpoint listens for its containers). */
  private async gatewayOf(network: string): Promise<string> {
    const net = await this.o.engine.inspectNetwork(network);
    const gw = net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
    if (!gw) throw new Error(`network ${network} has no gateway address to expose the callback endpoint on`);
    return gw;
  }

  private async ensureImage(image: string): Promise<string | undefined> {
    const img = await this.o.engine.inspectImage(image);
    if (img) {
      for (const c of this.record.containers)
        if (c.image === image) c.imageDigest = img.RepoDigests?.[0]?.split('@')[1] ?? img.Id;
      return undefined;
    }
    if (this.o.pullMissing === false)
      return 'image not present locally and pulling is disabled (engine.pull = "never")';
    this.o.log(`image ${image} not found locally; trying one pull`, 'ecs');
    try {
      await this.o.engine.pullImage(image, { timeoutMs: 120000 });
      return (await this.o.engine.imageExists(image)) ? undefined : 'not found after pull';
    } catch (e) {
      return e instanceof EngineError ? e.message : String(e);
    }
  }

  private markFailedToStart(reason: string): void {
    const r = this.record;
    const now = Date.now();
    r.pullStoppedAt = now;
    r.stoppingAt = now;
    r.stoppedAt = now;
    r.executionStoppedAt = now;
    r.lastStatus = 'STOPPED';
    r.desiredStatus = 'STOPPED';
    r.stopCode = 'TaskFailedToStart';
    r.stoppedReason = reason;
    for (const c of r.containers) {
      c.lastStatus = 'STOPPED';
      c.reason = reason;
    }
    this.o.log(`task ${r.taskId} failed to start: ${reason}`, 'ecs');
  }

  private createBody(
    c: EcsContainerDefinition,
    netName: string,
    injected: Record<string, string>,
  ): ContainerCreateBody {
    const ov = this.o.overrides.get(c.name);
    const env = new Map<string, string>();
    for (const e of c.environment ?? []) env.set(e.name, e.value);
    for (const [k, v] of Object.entries(injected)) env.set(k, v);
    for (const e of ov?.Environment ?? []) env.set(e.Name, e.Value);
    const cpu = ov?.Cpu ?? c.cpu;
    const memory = ov?.Memory ?? c.memory;
    const reservation = ov?.MemoryReservation ?? c.memoryReservation;
    const hc = c.healthCheck;
    const sec = 1e9;
    return {
      Image: c.image,
      Cmd: ov?.Command ?? c.command,
      Entrypoint: c.entryPoint,
      Env: [...env].map(([k, v]) => `${k}=${v}`),
      WorkingDir: c.workingDirectory,
      User: c.user,
      Labels: { ...this.o.labels, [LABELS.container]: c.name },
      Healthcheck: hc
        ? {
            Test: hc.command,
            Interval: (hc.interval ?? 30) * sec,
            Timeout: (hc.timeout ?? 5) * sec,
            Retries: hc.retries ?? 3,
            StartPeriod: (hc.startPeriod ?? 0) * sec,
          }
        : undefined,
      HostConfig: {
        NetworkMode: netName,
        ExtraHosts: ['host.docker.internal:host-gateway'],
        // ECS cpu units: 1024 = one vCPU
        NanoCpus: cpu ? Math.round((cpu / 1024) * 1e9) : undefined,
        Memory: memory ? memory * 1024 * 1024 : undefined,
        MemoryReservation: reservation ? reservation * 1024 * 1024 : undefined,
      },
      NetworkingConfig: netName === 'bridge' ? undefined : { EndpointsConfig: { [netName]: { Aliases: [c.name] } } },
    };
  }
}
