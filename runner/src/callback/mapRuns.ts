/**
 * The Map Runs of `asl-workbench serve`: DescribeMapRun
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html) and
 * ListMapRuns (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html).
 * Each Distributed Map of an execution the service runs reports its Map Run here as it starts,
 * and its counts as its child executions run (runner/src/interpreter/states/distributedMap/progress.ts).
 */
import type { MapRunListener, MapRunProgress } from '../api';
import { pagePosition, pageSize, pageToken } from './paging';
import { ApiError, epochSeconds as sec, type OpHandler } from './server';

/** ListMapRuns' page size when the request names none (local behaviour: ListExecutions' default). */
const LIST_MAP_RUNS_PAGE = 100;

export class MapRunStore {
  private readonly runs = new Map<string, Readonly<MapRunProgress>>();
  /** Map Run ARNs by execution ARN, in the order they started */
  private readonly byExecution = new Map<string, string[]>();

  /** `executionExists`: whether the service knows the execution (ListMapRuns of an unknown one is ExecutionDoesNotExist). */
  constructor(private readonly executionExists: (arn: string) => boolean) {}

  /** The listener every execution of the service runs with. */
  readonly listener: MapRunListener = (run) => {
    if (this.runs.has(run.mapRunArn)) return;
    this.runs.set(run.mapRunArn, run);
    const list = this.byExecution.get(run.executionArn);
    if (list) list.push(run.mapRunArn);
    else this.byExecution.set(run.executionArn, [run.mapRunArn]);
  };

  ops(): Record<string, OpHandler> {
    return {
      DescribeMapRun: (b) => {
        const arn = typeof b.mapRunArn === 'string' ? b.mapRunArn : '';
        const r = this.runs.get(arn);
        if (!r) throw new ApiError('ResourceNotFound', `Resource not found: '${arn.slice(0, 256)}'`);
        return {
          mapRunArn: r.mapRunArn,
          executionArn: r.executionArn,
          status: r.status,
          startDate: sec(r.startDate),
          ...(r.stopDate !== undefined ? { stopDate: sec(r.stopDate) } : {}),
          maxConcurrency: r.maxConcurrency,
          toleratedFailurePercentage: r.toleratedFailurePercentage,
          toleratedFailureCount: r.toleratedFailureCount,
          itemCounts: { ...r.itemCounts },
          executionCounts: { ...r.executionCounts },
          redriveCount: 0,
        };
      },
      /** Oldest first (local behaviour: AWS does not document the order). */
      ListMapRuns: (b) => {
        const executionArn = typeof b.executionArn === 'string' ? b.executionArn : '';
        const arns = this.byExecution.get(executionArn);
        if (!arns && !this.executionExists(executionArn))
          throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn.slice(0, 256)}'`);
        const all = arns ?? [];
        const scope = [executionArn];
        const start = b.nextToken == null ? 0 : pagePosition(b.nextToken, scope, all.length, 'these Map Runs');
        const max = pageSize(b, LIST_MAP_RUNS_PAGE);
        const mapRuns = all.slice(start, start + max).map((arn) => {
          const r = this.runs.get(arn)!;
          return {
            executionArn: r.executionArn,
            mapRunArn: r.mapRunArn,
            stateMachineArn: r.stateMachineArn,
            startDate: sec(r.startDate),
            ...(r.stopDate !== undefined ? { stopDate: sec(r.stopDate) } : {}),
          };
        });
        return start + max < all.length ? { mapRuns, nextToken: pageToken(scope, start + max) } : { mapRuns };
      },
    };
  }
}
