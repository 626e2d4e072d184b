/**
 * Failures inside an execution and how Retry/Catch match them (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
import { StatesError } from '../../../asl/src/types';
import { problemOfError, type RunProblem } from '../problems';

/** A state failure travelling up to a Retry/Catch or to the execution. */
export class Failure extends Error {
  /** set once an `EvaluationFailed` event was recorded for this failure (JSONata, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html) */
  evaluationRecorded = false;
  /**
   * set for States.DataLimitExceeded raised by a task's result: AWS records it as the task's
   * failure (TaskFailed), and its recorded executions show `States.ALL` catching it, unlike the
   * terminal DataLimitExceeded of a state's own output
   */
  taskResult = false;
  constructor(
    /** AWS error name; undefined when SendTaskFailure sent none (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html) */
    public readonly error: string | undefined,
    public readonly causeText: string | undefined,
    /** set for heartbeat timeouts so `States.HeartbeatTimeout` matches them */
    public readonly heartbeat = false,
    /** the local condition behind the failure, when a driver named one (runner/src/problems.ts) */
    public readonly problem?: RunProblem,
  ) {
    super(`${error ?? '(no error)'}: ${causeText ?? ''}`);
    this.name = 'Failure';
  }
  /** the `{Error, Cause}` object Catch hands to the next state */
  errorOutput(): { Error: string | null; Cause: string | null } {
    return { Error: this.error ?? null, Cause: this.causeText ?? null };
  }
}

/** Thrown through a thread of control that was aborted (execution stopped, sibling failed). */
export class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

/** Normalizes anything thrown into a Failure (a non-StatesError from code is States.Runtime). */
export function toFailure(e: unknown, fallbackError = 'States.Runtime'): Failure {
  if (e instanceof Failure) return e;
  if (e instanceof StatesError) return new Failure(e.error, e.cause, false, problemOfError(e));
  if (e && typeof e === 'object' && typeof (e as { error?: unknown }).error === 'string' && 'cause' in e) {
    const x = e as { error: string; cause?: unknown };
    return new Failure(x.error, x.cause === undefined ? undefined : String(x.cause));
  }
  return new Failure(fallbackError, e instanceof Error ? e.message : String(e));
}

/**
 * True when a retrier/catcher's ErrorEquals matches the failure. `States.ALL` and
 * `States.TaskFailed` never match a terminal failure (isTerminal); `States.TaskFailed`
 * matches everything except States.Timeout; a heartbeat timeout (reported as States.Timeout,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html) is also
 * matched by `States.HeartbeatTimeout`.
 */
export function errorMatches(errorEquals: unknown, f: Failure): boolean {
  if (!Array.isArray(errorEquals)) return false;
  const terminal = isTerminal(f);
  for (const name of errorEquals) {
    if (name === f.error && f.error !== undefined) return true;
    if (terminal) continue;
    if (name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && f.error !== 'States.Timeout') return true;
    if (name === 'States.HeartbeatTimeout' && f.heartbeat) return true;
  }
  return false;
}

/**
 * States.Runtime and States.DataLimitExceeded are terminal: only a retrier/catcher naming them
 * matches (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html) —
 * except a DataLimitExceeded from a task's result (Failure.taskResult), which AWS handles like
 * any task failure.
 */
export function isTerminal(f: Failure): boolean {
  return f.error === 'States.Runtime' || (f.error === 'States.DataLimitExceeded' && !f.taskResult);
}
