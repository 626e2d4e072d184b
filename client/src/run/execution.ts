/**
 * One local execution in its own process: forks dist/runWorker.js (argument array, IPC
 * channel), streams its history events and log lines to listeners, and stops it. No vscode
 * import, so the unit tests drive it with the real worker.
 *
 * Stop: the worker is asked to stop (it aborts the execution and removes every container,
 * network and Job it started, then reports ABORTED). If it has not exited after a deadline
 * it is killed and the engine objects labelled with the execution are removed by
 * `dist/runWorker.js clean --execution <arn>` (the CLI's clean command) in another process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { WorkerMessage, WorkerRequest, WorkerResult, WorkerRunOptions } from '../../../runner/src/workerProtocol';
import type { EventLike } from './overlay';

/** Final outcome, also for a worker that crashed or refused the start message. */
export interface ExecutionOutcome extends Omit<WorkerResult, 'executionArn'> {
  /** set when the worker itself failed (bad options, crash, killed after the stop deadline) */
  workerProblem?: string;
}

export interface ExecutionListener {
  onEvent?(event: EventLike): void;
  onLog?(line: string, source?: string): void;
}

/**
 * One execution the Executions view follows: a local worker, or an execution on Step
 * Functions being watched (client/src/aws/executions.ts). `result` settles once.
 */
export interface ExecutionHandle {
  readonly executionArn: string;
  readonly result: Promise<ExecutionOutcome>;
  /** begins running or following; never throws (problems settle `result`) */
  start(): void;
  /** stops the execution (ABORTED); resolves once it ended */
  stop(error?: string, cause?: string): Promise<void>;
  /** the window closes: a local worker stops, a watched cloud execution goes on unwatched */
  detach(): void;
}

export interface StartSpec {
  /** absolute path of dist/runWorker.js */
  workerPath: string;
  /** absolute path of the script whose `clean --execution <arn>` removes what a killed worker left (dist/runWorker.js); without it nothing is removed after a kill */
  cleanerPath?: string;
  definition: object | string;
  input: unknown;
  options: WorkerRunOptions;
  /** extra environment of the worker (engine host, kubeconfig) */
  env?: NodeJS.ProcessEnv;
  /** how long a stop may take before the worker is killed (ms) */
  stopDeadlineMs?: number;
  /** Node options of the worker (tests run the TypeScript source with `--import tsx`) */
  execArgv?: string[];
}

/** The ARN the runner gives an execution (runner/src/api.ts startExecution). */
export function executionArnOf(o: WorkerRunOptions): string {
  const region = o.region ?? 'us-east-1';
  const account = o.accountId ?? '123456789012';
  return `arn:aws:states:${region}:${account}:execution:${o.stateMachineName ?? 'StateMachine'}:${o.name ?? ''}`;
}

/** A running (then finished) worker process. */
export class WorkerExecution implements ExecutionHandle {
  readonly executionArn: string;
  readonly result: Promise<ExecutionOutcome>;
  private child: ChildProcess | undefined;
  private settle!: (o: ExecutionOutcome) => void;
  private outcome: ExecutionOutcome | undefined;
  private exited = false;
  private stopping: Promise<void> | undefined;
  private stderr = '';
  private killedAfterDeadline = false;

  constructor(
    private readonly spec: StartSpec,
    private readonly listener: ExecutionListener = {},
  ) {
    this.executionArn = executionArnOf(spec.options);
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  /** Forks the worker and sends the start message. Never throws: problems settle `result`. */
  start(): void {
    let child: ChildProcess;
    try {
      child = fork(this.spec.workerPath, [], {
        // the extension host may be Electron: run the worker as plain Node
        env: { ...process.env, ...this.spec.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: this.spec.execArgv ?? [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
    } catch (e) {
      this.finish({
        status: 'FAILED',
        error: 'AslWorkbench.WorkerFailed',
        cause: (e as Error).message,
        workerProblem: (e as Error).message,
      });
      return;
    }
    this.child = child;
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.lines(d, 'worker'));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4000);
      this.lines(d, 'worker');
    });
    child.on('message', (m: WorkerMessage) => this.onMessage(m));
    child.on('error', (e) =>
      this.finish({ status: 'FAILED', error: 'AslWorkbench.WorkerFailed', cause: e.message, workerProblem: e.message }),
    );
    child.on('exit', (code, signal) => {
      this.exited = true;
      if (this.outcome) return;
      const why = this.killedAfterDeadline
        ? 'the worker did not stop in time and was killed'
        : `the worker exited (${signal ?? `code ${code}`}) before reporting a result${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      this.finish({
        status: this.killedAfterDeadline ? 'ABORTED' : 'FAILED',
        error: 'AslWorkbench.WorkerFailed',
        cause: why,
        workerProblem: why,
      });
    });
    const start: WorkerRequest = {
      type: 'start',
      definition: this.spec.definition,
      input: this.spec.input,
      options: this.spec.options,
    };
    child.send(start);
  }

  /** Pid of the worker (tests, logs). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True until the result arrived. */
  get running(): boolean {
    return !this.outcome;
  }

  /**
   * Stops the execution (ABORTED with clean-up by the worker). Resolves when the worker has
   * exited; kills it after the deadline and then removes the execution's engine objects.
   */
  stop(error = 'AslWorkbench.Stopped', cause = 'Stopped from VS Code'): Promise<void> {
    if (this.stopping) return this.stopping;
    const child = this.child;
    if (!child || this.exited) return (this.stopping = Promise.resolve());
    this.stopping = new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        if (this.exited) return;
        this.killedAfterDeadline = true;
        child.kill('SIGKILL');
        void this.cleanAfterKill().finally(resolve);
      }, this.spec.stopDeadlineMs ?? 20_000);
      child.once('exit', () => {
        clearTimeout(deadline);
        if (!this.killedAfterDeadline) resolve();
      });
      try {
        if (child.connected) child.send({ type: 'stop', error, cause } satisfies WorkerRequest);
        else child.kill('SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    });
    return this.stopping;
  }

  /** The window closes: the worker stops and cleans up (it also does when it loses the IPC channel). */
  detach(): void {
    void this.stop('AslWorkbench.WindowClosed', 'The VS Code window was closed');
  }

  /** Removes what a killed worker left behind, with the CLI's `clean --execution`. */
  private cleanAfterKill(): Promise<void> {
    const cleaner = this.spec.cleanerPath;
    if (!cleaner) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const c = fork(cleaner, ['clean', '--execution', this.executionArn], {
        env: { ...process.env, ...this.spec.env, ELECTRON_RUN_AS_NODE: '1' },
        execArgv: [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      c.stdout?.setEncoding('utf8').on('data', (d: string) => this.lines(d, 'clean'));
      c.stderr?.setEncoding('utf8').on('data', (d: string) => this.lines(d, 'clean'));
      const t = setTimeout(() => c.kill('SIGKILL'), 30_000);
      c.on('exit', () => (clearTimeout(t), resolve()));
      c.on('error', () => (clearTimeout(t), resolve()));
    });
  }

  private lines(chunk: string, source: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.listener.onLog?.(line, source);
  }

  private onMessage(m: WorkerMessage): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'event':
        this.listener.onEvent?.(m.event);
        break;
      case 'log':
        this.listener.onLog?.(m.line, m.source);
        break;
      case 'result':
        this.finish(m.result);
        break;
      case 'error':
        this.finish({ status: 'FAILED', error: 'AslWorkbench.InvalidRun', cause: m.message, workerProblem: m.message });
        break;
    }
  }

  private finish(o: ExecutionOutcome): void {
    if (this.outcome) return;
    this.outcome = o;
    this.settle(o);
  }
}
