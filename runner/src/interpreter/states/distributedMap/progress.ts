/**
 * The live figures of a Map Run as DescribeMapRun reports them
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html):
 * status, dates, MaxConcurrency, the tolerated failures, and the items and child executions by
 * status (MapRunItemCounts, MapRunExecutionCounts). The Distributed Map keeps them only while
 * someone listens (`RuntimeOptions.onMapRun`, the `serve` endpoint's DescribeMapRun).
 */

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** MapRunItemCounts / MapRunExecutionCounts. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
}

/** One Map Run; the listener is handed the same object, updated in place, on every change. */
export interface MapRunProgress {
  readonly mapRunArn: string;
  /** the execution the Map Run belongs to (a child execution's for a Map inside a Map Run) */
  readonly executionArn: string;
  /** the child executions' state machine (`<machine>/<label>`), as ListMapRuns names it */
  readonly stateMachineArn: string;
  status: MapRunStatus;
  /** epoch ms */
  readonly startDate: number;
  stopDate?: number;
  /** 0: no limit */
  readonly maxConcurrency: number;
  readonly toleratedFailureCount: number;
  readonly toleratedFailurePercentage: number;
  readonly itemCounts: MapRunCounts;
  readonly executionCounts: MapRunCounts;
}

/** Told when a Map Run starts and each time its counts or status change. */
export type MapRunListener = (run: Readonly<MapRunProgress>) => void;

/** How a child execution ended, as the counts name it. */
type ChildEnd = 'succeeded' | 'failed' | 'aborted';

const zero = (): MapRunCounts => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
});

/**
 * Counts one Map Run for its listener. Items that never started (the Map Run failed or was
 * stopped first) stay `pending`: no child execution processed them.
 */
export class MapRunCounter {
  private readonly run: MapRunProgress;

  constructor(
    init: Omit<MapRunProgress, 'status' | 'stopDate' | 'itemCounts' | 'executionCounts'>,
    private readonly listener: MapRunListener,
  ) {
    this.run = { ...init, status: 'RUNNING', itemCounts: zero(), executionCounts: zero() };
    this.tell();
  }

  /** The items are known: `items` in `executions` child executions (fewer with an ItemBatcher). */
  planned(items: number, executions: number): void {
    Object.assign(this.run.itemCounts, { total: items, pending: items });
    Object.assign(this.run.executionCounts, { total: executions, pending: executions });
    this.tell();
  }

  /** A child execution carrying `items` items started. */
  started(items: number): void {
    move(this.run.itemCounts, 'pending', 'running', items);
    move(this.run.executionCounts, 'pending', 'running', 1);
    this.tell();
  }

  /** A child execution carrying `items` items ended. */
  ended(items: number, how: ChildEnd): void {
    move(this.run.itemCounts, 'running', how, items);
    move(this.run.executionCounts, 'running', how, 1);
    this.tell();
  }

  /** The ResultWriter wrote the results of every child execution that ran (aborted ones with the failed). */
  written(): void {
    for (const c of [this.run.itemCounts, this.run.executionCounts])
      c.resultsWritten = c.succeeded + c.failed + c.timedOut + c.aborted;
  }

  /** The Map Run ended at `stopMs`. */
  finished(status: Exclude<MapRunStatus, 'RUNNING'>, stopMs: number): void {
    this.run.status = status;
    this.run.stopDate = stopMs;
    this.tell();
  }

  private tell(): void {
    try {
      this.listener(this.run);
    } catch {
      // a failing listener must not break the execution
    }
  }
}

function move(c: MapRunCounts, from: keyof MapRunCounts, to: keyof MapRunCounts, n: number): void {
  c[from] = Math.max(0, c[from] - n);
  c[to] += n;
}
