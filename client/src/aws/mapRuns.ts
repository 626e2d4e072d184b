/**
 * The Map Runs of a watched execution on Step Functions: each MapRunStarted event of its history
 * starts following that Map Run through DescribeMapRun once per watch round, until
 * DescribeMapRun reports it ended or its MapRunSucceeded / Failed / Aborted event arrived (then
 * it is read once more, for its final counts). No vscode import.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorText, describeMapRun } from '../../../runner/src/aws/client';
import { eventDetails, type EventLike, type MapRunItems } from '../run/overlay';

const END_EVENTS = new Set(['MapRunSucceeded', 'MapRunFailed', 'MapRunAborted']);

interface Followed {
  startedEventId: number;
  mapRunArn: string;
  /** its end event arrived: one more read, then it is dropped */
  ended: boolean;
}

export interface MapRunListener {
  onMapRun(m: MapRunItems): void;
  /** a Map Run that cannot be read (permissions, an endpoint without DescribeMapRun) is no longer followed */
  onUnreadable(mapRunArn: string, why: string): void;
}

export class MapRunFollower {
  private readonly runs: Followed[] = [];

  constructor(
    private readonly client: SFNClient,
    private readonly listener: MapRunListener,
  ) {}

  /** The Map Runs being followed. */
  get size(): number {
    return this.runs.length;
  }

  /** Notes the Map Runs a batch of history events starts and ends. */
  apply(batch: readonly EventLike[]): void {
    for (const e of batch) {
      if (e.type === 'MapRunStarted') {
        const arn = eventDetails(e).mapRunArn;
        if (typeof arn === 'string') this.runs.push({ startedEventId: e.id, mapRunArn: arn, ended: false });
      } else if (END_EVENTS.has(e.type)) {
        // its chain leads back to MapRunStarted; with one Map Run open the end is that one's
        const run = this.runs.find((r) => r.startedEventId === e.previousEventId) ?? this.onlyOpen();
        if (run) run.ended = true;
      }
    }
  }

  private onlyOpen(): Followed | undefined {
    const open = this.runs.filter((r) => !r.ended);
    return open.length === 1 ? open[0] : undefined;
  }

  /** Reads each followed Map Run once; drops those that ended. Never rejects. */
  async poll(): Promise<void> {
    if (!this.runs.length) return;
    await Promise.all([...this.runs].map((r) => this.read(r)));
  }

  private async read(r: Followed): Promise<void> {
    try {
      const d = await describeMapRun(this.client, r.mapRunArn);
      const c = d.itemCounts;
      const status = d.status ?? 'RUNNING';
      this.listener.onMapRun({
        startedEventId: r.startedEventId,
        mapRunArn: r.mapRunArn,
        status,
        total: c?.total ?? 0,
        pending: c?.pending ?? 0,
        running: c?.running ?? 0,
        succeeded: c?.succeeded ?? 0,
        failed: c?.failed ?? 0,
        timedOut: c?.timedOut ?? 0,
        aborted: c?.aborted ?? 0,
      });
      if (status !== 'RUNNING' || r.ended) this.drop(r);
    } catch (e) {
      this.drop(r);
      this.listener.onUnreadable(r.mapRunArn, awsErrorText(e));
    }
  }

  private drop(r: Followed): void {
    const i = this.runs.indexOf(r);
    if (i >= 0) this.runs.splice(i, 1);
  }
}
