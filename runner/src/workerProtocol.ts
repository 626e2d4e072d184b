/**
 * The messages between the VS Code extension and dist/runWorker.js (runner/src/worker.ts), over
 * Node's process IPC (fork with an IPC channel and `serialization: 'advanced'`, so history
 * timestamps stay Dates):
 *   parent → worker  start   once: definition, input, run options
 *   parent → worker  stop    aborts the execution → ABORTED, full clean-up
 *   worker → parent  event   each history event as it is recorded
 *   worker → parent  log     driver / container output, and the errors of a definition run anyway
 *   worker → parent  result  status, output / error / cause / problem
 *   worker → parent  error   the runner refused the start message (bad options, a definition that does not parse)
 * The worker exits once the result is sent (or the parent disconnects).
 *
 * Types only: the worker is built from them and the extension imports them, so both sides
 * change together.
 */
import type { RunOptions } from './api';
import type { HistoryEvent } from './history';
import type { ExecutionResult } from './interpreter/execution';

export type { RunProblem, RunProblemKind } from './problems';

/** The run options a start message may hold (plain data: no functions, no drivers, no signal). */
export type WorkerRunOptions = Pick<
  RunOptions,
  | 'name'
  | 'stateMachineName'
  | 'mockConfig'
  | 'testCase'
  | 'config'
  | 'baseDir'
  | 'timeScale'
  | 'machineType'
  | 'region'
  | 'accountId'
  | 'roleArn'
  | 'historyLimit'
>;

/** The outcome the worker reports: the execution result without the history its events already carried. */
export type WorkerResult = Omit<ExecutionResult, 'history'>;

export type WorkerRequest =
  | { type: 'start'; definition: object | string; input?: unknown; options?: WorkerRunOptions }
  | { type: 'stop'; error?: string; cause?: string };

export type WorkerMessage =
  | { type: 'event'; event: HistoryEvent }
  | { type: 'log'; line: string; source?: string }
  | { type: 'result'; result: WorkerResult }
  | { type: 'error'; message: string };
