/**
 * Runs one execution end to end: ExecutionStarted, the root scope, the execution
 * TimeoutSeconds, stop requests, the final ExecutionSucceeded / Failed / Aborted / TimedOut
 * event, then clean-up (pending driver work settles, every driver's disposeExecution).
 */
import { HISTORY_EVENTS_LIMIT } from '../../../asl/src/quotas';
import { HistoryLimitExceeded, HistoryRecorder, NOT_TRUNCATED, type HistoryEvent } from '../history';
import type { RunProblem } from '../problems';
import { Aborted, Failure, toFailure } from './errors';
import { checkSize, safeStringify } from './evaluate';
import type { Machine } from './machine';
import { Runtime } from './runtime';
import { STATE_HANDLERS } from './states/index';
import type { Frame, RuntimeOptions } from './types';

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  /** the local condition that failed the execution, when a driver named one (runner/src/problems.ts) */
  problem?: RunProblem;
  history: HistoryEvent[];
  executionArn: string;
}

/**
 * Where a redriven execution goes on (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html):
 * its earlier history, which the run appends to after an ExecutionRedriven event, and the
 * top-level state it runs again with the input and variables that state was entered with.
 */
export interface Resume {
  history: readonly HistoryEvent[];
  /** undefined: the machine's StartAt */
  startAt: string | undefined;
  input: unknown;
  vars: Record<string, unknown>;
  /** this redrive's number (1 for the first) */
  redriveCount: number;
  /** `$$.Execution.StartTime` of the first attempt */
  startTime: string;
}

export interface ExecutionInit extends Omit<RuntimeOptions, 'startTime' | 'redriveCount'> {
  machine: Machine;
  onEvent?: (e: HistoryEvent) => void;
  historyLimit?: number;
  /** external stop request (aborts with ABORTED) */
  signal?: AbortSignal;
  /** set for a redrive: the run goes on from there instead of starting */
  resume?: Resume;
}

/** One execution; `run()` resolves when it has ended and cleaned up. `stop()` aborts it. */
export class Execution {
  readonly history: HistoryRecorder;
  private readonly controller = new AbortController();
  private endReason: { kind: 'stop'; error?: string; cause?: string } | { kind: 'timeout' } | undefined;
  readonly rt: Runtime;
  private result?: ExecutionResult;

  constructor(private readonly init: ExecutionInit) {
    const now = init.clock.now();
    const { resume } = init;
    this.history = new HistoryRecorder(
      init.clock.now,
      init.onEvent,
      init.historyLimit ?? HISTORY_EVENTS_LIMIT,
      resume?.history,
    );
    this.rt = new Runtime(
      { ...init, startTime: resume?.startTime ?? new Date(now).toISOString(), redriveCount: resume?.redriveCount },
      STATE_HANDLERS,
    );
  }

  /** Requests a stop: the execution ends ABORTED (StopExecution's error/cause are recorded). */
  stop(error?: string, cause?: string): void {
    if (this.endReason || this.result) return;
    this.endReason = { kind: 'stop', error, cause };
    this.controller.abort();
  }

  get status(): ExecutionStatus | 'RUNNING' {
    return this.result?.status ?? 'RUNNING';
  }

  /** Runs to the end; never rejects. */
  async run(): Promise<ExecutionResult> {
    const { init, rt } = this;
    const { machine, resume } = init;
    const timeoutSeconds = machine.timeoutSeconds;
    const inputText = safeStringify(init.input);
    const startDetails: Record<string, unknown> = {
      input: inputText,
      inputDetails: NOT_TRUNCATED,
      roleArn: init.roleArn,
    };
    let prev = resume
      ? this.history.record('ExecutionRedriven', this.history.lastId, { redriveCount: resume.redriveCount })
      : this.history.record('ExecutionStarted', 0, startDetails);
    const onExternal = (): void => this.stop();
    if (init.signal?.aborted) this.stop();
    init.signal?.addEventListener('abort', onExternal, { once: true });
    let cancelTimeout = (): void => {};
    if (typeof timeoutSeconds === 'number' && timeoutSeconds > 0) {
      cancelTimeout = init.clock.setTimer(timeoutSeconds * 1000, () => {
        if (this.endReason) return;
        this.endReason = { kind: 'timeout' };
        this.controller.abort();
      });
    }
    let status: ExecutionStatus;
    let output: unknown;
    let error: string | undefined;
    let cause: string | undefined;
    let problem: RunProblem | undefined;
    try {
      checkSize(inputText, 'execution input');
      const frame: Frame = { vars: { ...resume?.vars }, prev, signal: this.controller.signal, history: this.history };
      output = resume
        ? await rt.runScope({ ...machine.root, startAt: resume.startAt ?? machine.root.startAt }, resume.input, frame)
        : await rt.runScope(machine.root, init.input, frame);
      prev = frame.prev;
      const text = safeStringify(output);
      checkSize(text, 'execution output');
      status = 'SUCCEEDED';
      this.history.record('ExecutionSucceeded', this.history.lastId, { output: text, outputDetails: NOT_TRUNCATED });
    } catch (e) {
      if (e instanceof Aborted || this.endReason) {
        if (this.endReason?.kind === 'timeout') {
          status = 'TIMED_OUT';
          error = 'States.Timeout';
          cause = `The execution timed out after ${String(timeoutSeconds)} seconds.`;
          this.history.record('ExecutionTimedOut', this.history.lastId, { error, cause });
        } else {
          status = 'ABORTED';
          error = this.endReason?.kind === 'stop' ? this.endReason.error : undefined;
          cause = this.endReason?.kind === 'stop' ? this.endReason.cause : undefined;
          const d: Record<string, unknown> = {};
          if (error !== undefined) d.error = error;
          if (cause !== undefined) d.cause = cause;
          this.history.record('ExecutionAborted', this.history.lastId, d);
        }
        output = undefined;
      } else {
        const f: Failure = e instanceof HistoryLimitExceeded ? new Failure('States.Runtime', e.message) : toFailure(e);
        status = 'FAILED';
        error = f.error;
        cause = f.causeText;
        problem = f.problem;
        const d: Record<string, unknown> = {};
        if (error !== undefined) d.error = error;
        if (cause !== undefined) d.cause = cause;
        this.history.record('ExecutionFailed', this.history.lastId, d);
        output = undefined;
      }
    } finally {
      cancelTimeout();
      init.signal?.removeEventListener('abort', onExternal);
      // stop whatever is still running (failed execution with live siblings, callbacks)
      if (!this.controller.signal.aborted) this.controller.abort();
    }
    await this.cleanUp();
    const result: ExecutionResult = { status, history: this.history.events, executionArn: init.executionArn };
    if (status === 'SUCCEEDED') result.output = output;
    if (error !== undefined) result.error = error;
    if (cause !== undefined) result.cause = cause;
    if (problem) result.problem = problem;
    this.result = result;
    return result;
  }

  private async cleanUp(): Promise<void> {
    const { rt, init } = this;
    // the execution is over: whatever a driver still runs for it must stop
    for (const c of rt.openInvocations) c.abort();
    rt.openInvocations.clear();
    const pending = [...rt.pending];
    if (pending.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(pending), new Promise((r) => (timer = setTimeout(r, 30000)))]);
      if (timer) clearTimeout(timer);
    }
    const drivers = new Set(init.drivers);
    if (init.mock) drivers.add(init.mock);
    for (const d of drivers) {
      if (!d.disposeExecution) continue;
      try {
        await d.disposeExecution(init.executionArn);
      } catch (e) {
        init.log(`driver ${d.name}: clean-up failed: ${e instanceof Error ? e.message : String(e)}`, 'runner');
      }
    }
  }
}
