/**
 * An execution on Step Functions (AWS or any compatible endpoint) as the Executions view
 * follows it: its history read through GetExecutionHistory in pages, handed on in batches,
 * until it ends, and the progress of its Map Runs (mapRuns.ts) at the same cadence; stop
 * through StopExecution. No vscode import, so the unit tests drive it
 * against `serve` through the real SDK client.
 */
import type { DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorText, stopExecution, watchExecution } from '../../../runner/src/aws/client';
import type { ExecutionHandle, ExecutionOutcome } from '../run/execution';
import { parseJsonText } from '../run/format';
import type { EventLike, MapRunItems } from '../run/overlay';
import { MapRunFollower } from './mapRuns';
import { WaitingTasks } from './waiting';

/** The error name of a StopExecution sent from VS Code (the history says who stopped it). */
export const STOP_ERROR = 'AslWorkbench.Stopped';

/** The error of a record whose watch failed (network, permissions): the execution's own status is unknown. */
export const WATCH_FAILED = 'AslWorkbench.WatchFailed';

export interface CloudExecutionSpec {
  client: SFNClient;
  executionArn: string;
  /** events up to this id were handed on before (a redriven execution followed again) */
  afterEventId?: number;
  pollIntervalMs?: number;
  pageSize?: number;
  /** destroy the client once the watch ended */
  ownsClient?: boolean;
}

export interface CloudListener {
  /** new history events in id order, one call per page read */
  onEvents(batch: readonly EventLike[]): void;
  /** a running Map Run's counts, once per watch round, and its final counts once it ended */
  onMapRun?(m: MapRunItems): void;
  onLog?(line: string, source?: string): void;
}

/** The outcome DescribeExecution gives an ended execution. */
function outcomeOf(d: DescribeExecutionCommandOutput): ExecutionOutcome {
  const status = d.status === 'SUCCEEDED' || d.status === 'TIMED_OUT' || d.status === 'ABORTED' ? d.status : 'FAILED';
  const o: ExecutionOutcome = { status };
  if (d.output !== undefined) o.output = parseJsonText(d.output);
  if (d.error !== undefined) o.error = d.error;
  if (d.cause !== undefined) o.cause = d.cause;
  return o;
}

/** One watched execution on Step Functions. */
export class CloudExecution implements ExecutionHandle {
  readonly executionArn: string;
  readonly result: Promise<ExecutionOutcome>;
  /** the `.waitForTaskToken` tasks waiting for a callback now */
  readonly waiting = new WaitingTasks();
  private settle!: (o: ExecutionOutcome) => void;
  private settled = false;
  private readonly mapRuns: MapRunFollower;
  /** cuts the poll interval short (after a stop) */
  private readonly wake = new AbortController();
  /** ends the watch; the execution goes on */
  private readonly cancel = new AbortController();
  private started = false;

  constructor(
    private readonly spec: CloudExecutionSpec,
    private readonly listener: CloudListener,
  ) {
    this.executionArn = spec.executionArn;
    this.mapRuns = new MapRunFollower(spec.client, {
      onMapRun: (m) => listener.onMapRun?.(m),
      onUnreadable: (arn, why) => listener.onLog?.(`Map Run progress of ${arn} is not shown: ${why}`, 'aws'),
    });
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  /** Begins watching. Never throws: a failed watch settles `result` with WATCH_FAILED. */
  start(): void {
    if (this.started) return;
    this.started = true;
    watchExecution(this.spec.client, this.executionArn, {
      onEvents: (batch) => this.onBatch(batch as unknown as EventLike[]),
      signal: this.wake.signal,
      cancel: this.cancel.signal,
      pollIntervalMs: this.spec.pollIntervalMs,
      pageSize: this.spec.pageSize,
      afterEventId: this.spec.afterEventId,
      // a detached watch (its client may be gone) reads no Map Run
      onRound: () => (this.cancel.signal.aborted ? undefined : this.mapRuns.poll()),
    }).then(
      (described) => {
        if (!this.cancel.signal.aborted) this.finish(outcomeOf(described));
      },
      (e: unknown) => {
        const why = `following the execution stopped: ${awsErrorText(e)}`;
        this.finish({ status: 'FAILED', error: WATCH_FAILED, cause: why, workerProblem: why });
      },
    );
  }

  /** True until the execution ended (or the watch failed). */
  get running(): boolean {
    return !this.settled;
  }

  /** How many Map Runs are followed now (each one read once per round). */
  get mapRunsFollowed(): number {
    return this.mapRuns.size;
  }

  private onBatch(batch: EventLike[]): void {
    this.waiting.apply(batch);
    this.mapRuns.apply(batch);
    this.listener.onEvents(batch);
  }

  /**
   * Stops the execution (StopExecution); resolves once the watch saw it end. Rejects with the
   * service's error as one line (permissions, an execution that already ended elsewhere).
   */
  async stop(error = STOP_ERROR, cause = 'Stopped from VS Code'): Promise<void> {
    if (this.settled) return;
    try {
      await stopExecution(this.spec.client, this.executionArn, error, cause);
    } catch (e) {
      throw new Error(awsErrorText(e));
    }
    this.wake.abort();
    await this.result;
  }

  /** Ends the watch; the execution goes on (the window closes). */
  detach(): void {
    this.cancel.abort();
    if (this.spec.ownsClient) this.spec.client.destroy();
  }

  private finish(o: ExecutionOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.waiting.clear();
    if (this.spec.ownsClient) this.spec.client.destroy();
    this.settle(o);
  }
}
