/**
 * One pod of a Job on the container engine: init containers one after another, then the
 * containers together. restartPolicy OnFailure re-runs a failed container in the same pod
 * (a fresh engine container under the same name) while the Job's failure budget allows.
 */
import type { ContainerEngine } from '../docker/engine';
import type { ContainerSpec, PodSpec } from '../kubernetes/shapes';
import { POD_STOP_TIMEOUT_SECONDS } from '../eks/constants';
import { containerBody, podContainerName } from './podSpec';

/** How a pod ended. */
export interface PodResult {
  name: string;
  phase: 'Succeeded' | 'Failed';
  /** container name → combined stdout/stderr of its last run */
  logs: Map<string, string>;
  /** container name → restarts (OnFailure) */
  restarts: Map<string, number>;
}

export interface PodOptions {
  engine: ContainerEngine;
  name: string;
  spec: PodSpec;
  labels: Record<string, string>;
  log(line: string, source?: string): void;
  /**
   * Called when a container failed under restartPolicy OnFailure, and once when the pod fails:
   * counts one failure towards backoffLimit; true = the budget allows a restart.
   */
  onFailure(): boolean;
}

/** A pod being run; `destroy()` removes its containers (and ends `run()` promptly). */
export class ContainerPod {
  private readonly ids = new Set<string>();
  private stopped = false;
  private running: Promise<PodResult> | undefined;
  readonly logs = new Map<string, string>();
  readonly restarts = new Map<string, number>();

  constructor(private readonly o: PodOptions) {}

  get name(): string {
    return this.o.name;
  }

  /** Runs the pod to its end. Never rejects: an engine error fails the pod (logged). */
  run(): Promise<PodResult> {
    this.running ??= this.runOnce();
    return this.running;
  }

  private async runOnce(): Promise<PodResult> {
    let ok = true;
    try {
      for (const c of this.o.spec.initContainers ?? []) {
        if (!(await this.runContainer(c))) {
          ok = false;
          break;
        }
      }
      if (ok) ok = (await Promise.all((this.o.spec.containers ?? []).map((c) => this.runContainer(c)))).every(Boolean);
    } catch (e) {
      if (!this.stopped) this.o.log(`pod ${this.o.name}: ${(e as Error).message}`, 'jobs');
      ok = false;
    }
    return {
      name: this.o.name,
      phase: ok && !this.stopped ? 'Succeeded' : 'Failed',
      logs: this.logs,
      restarts: this.restarts,
    };
  }

  /**
   * Stops and removes every container of the pod, then waits for `run()` to settle: a container
   * whose creation was in flight is only known (and removed) once the engine answered, and the
   * Job must not report itself gone while such a container still exists.
   */
  async destroy(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.ids].map(async (id) => {
        await this.o.engine.removeContainer(id, true).catch(() => undefined);
        this.ids.delete(id);
      }),
    );
    await this.running;
  }

  /** Runs one container to exit (restarting it under OnFailure); true on exit code 0. */
  private async runContainer(c: ContainerSpec): Promise<boolean> {
    const name = podContainerName(this.o.name, c.name);
    for (;;) {
      if (this.stopped) return false;
      const code = await this.once(c, name);
      if (code === 0) return true;
      if (this.stopped) return false;
      this.o.log(`pod ${this.o.name}: container ${c.name} exited with ${code}`, 'jobs');
      const restart = this.o.spec.restartPolicy === 'OnFailure' && this.o.onFailure();
      if (!restart) return false;
      this.restarts.set(c.name, (this.restarts.get(c.name) ?? 0) + 1);
      this.o.log(`pod ${this.o.name}: restarting container ${c.name} (restartPolicy OnFailure)`, 'jobs');
    }
  }

  /** One run of a container: create, start, follow its output, wait; returns the exit code. */
  private async once(c: ContainerSpec, engineName: string): Promise<number> {
    const { engine } = this.o;
    // a previous run (OnFailure restart) leaves a container with this name
    await engine.removeContainer(engineName, true).catch(() => undefined);
    const body = containerBody(c, this.o.name, { ...this.o.labels, 'dev.asl-workbench.k8s-container': c.name }, (l) =>
      this.o.log(l, 'jobs'),
    );
    body.StopTimeout = POD_STOP_TIMEOUT_SECONDS;
    const id = await engine.createContainer(body, engineName);
    this.ids.add(id);
    if (this.stopped) {
      await engine.removeContainer(id, true).catch(() => undefined);
      return 137;
    }
    const lines: string[] = [];
    await engine.startContainer(id);
    const source = `${this.o.name}/${c.name}`;
    const follow = engine
      .streamLogs(id, (line) => {
        lines.push(line);
        this.o.log(line, source);
      })
      .catch(() => undefined);
    let code: number;
    try {
      code = await engine.waitContainer(id);
    } catch (e) {
      if (this.stopped) return 137;
      throw e;
    }
    await follow;
    this.logs.set(c.name, lines.length ? `${lines.join('\n')}\n` : '');
    return code;
  }
}
