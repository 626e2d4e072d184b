/**
 * Execution history in AWS's shapes (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html HistoryEvent): every event has
 * `id` (sequential from 1), `previousEventId`, `timestamp`, `type` and one
 * `<camelCaseType>EventDetails` object. Events are cheap plain objects streamed to a listener
 * as they are recorded.
 */
import { HISTORY_EVENTS_LIMIT } from '../../asl/src/quotas';
import type { StateType } from '../../asl/src/types';

/**
 * The event types this runner records, named as AWS names them (HistoryEventType in the API
 * reference above). Fail states have no exit event; Activity and Lambda events come from Task
 * states whose Resource is an activity or a bare Lambda function ARN.
 */
export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'ExecutionRedriven'
  | `${StateType}StateEntered`
  | `${Exclude<StateType, 'Fail'>}StateExited`
  | `Task${'Scheduled' | 'Started' | 'Submitted' | 'Succeeded' | 'Failed' | 'TimedOut'}`
  | `${'LambdaFunction' | 'Activity'}${'Scheduled' | 'Started' | 'Succeeded' | 'Failed' | 'TimedOut'}`
  | 'TaskStateAborted'
  | 'WaitStateAborted'
  | `ParallelState${'Started' | 'Succeeded' | 'Failed' | 'Aborted'}`
  | `MapState${'Started' | 'Succeeded' | 'Failed' | 'Aborted'}`
  | `MapIteration${'Started' | 'Succeeded' | 'Failed' | 'Aborted'}`
  | `MapRun${'Started' | 'Succeeded' | 'Failed' | 'Aborted'}`
  | 'EvaluationFailed';

/**
 * One history event. Details live under the AWS key for the type, e.g. `stateEnteredEventDetails`.
 * A task's failure details may also hold `problem` (runner/src/problems.ts): asl-workbench's own
 * key, which the run UI and the CLI act on; `eventToWire` leaves it out of AWS's shape.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: HistoryEventType;
  [details: string]: unknown;
}

/** Details of a state's entered event (`input`) or exited event (`output`). */
export type StateEventDetails =
  | { name: string; input: string; inputDetails: typeof NOT_TRUNCATED }
  | {
      name: string;
      output: string;
      outputDetails: typeof NOT_TRUNCATED;
      assignedVariables?: Record<string, string>;
      assignedVariablesDetails?: typeof NOT_TRUNCATED;
    };

/** Shared `{truncated: false}` for inputDetails/outputDetails (one object instead of one per event). */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });

/** The details key AWS uses for an event type. */
export function detailsKey(type: HistoryEventType): string {
  let k = KEYS.get(type);
  if (k === undefined) KEYS.set(type, (k = computeKey(type)));
  return k;
}

const KEYS = new Map<HistoryEventType, string>();

function computeKey(type: HistoryEventType): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return type[0]!.toLowerCase() + type.slice(1) + 'EventDetails';
}

const NO_DETAILS = new Set<HistoryEventType>([
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateAborted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateAborted',
  'TaskStateAborted',
  'WaitStateAborted',
  'MapRunSucceeded',
  'MapRunAborted',
  'LambdaFunctionStarted',
]);

/** Thrown when the history would exceed its limit (HISTORY_EVENTS_LIMIT unless the run sets another). */
export class HistoryLimitExceeded extends Error {}

/**
 * Collects the events of one execution (children of a distributed Map get their own).
 * `record` returns the new event id; callers thread it as the next `previousEventId` of
 * their branch so that parallel branches chain like AWS's histories do.
 *
 * Events recorded in the same millisecond share one `timestamp` Date (a long history is
 * mostly such events, and every object it holds costs memory and garbage collection):
 * timestamps are read-only.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[];
  private failedLimit = false;
  private lastMs = NaN;
  private lastDate = new Date(0);

  constructor(
    private readonly now: () => number,
    private readonly listener?: (event: HistoryEvent) => void,
    private readonly limit = HISTORY_EVENTS_LIMIT,
    /** the events of the attempts before a redrive: ids go on after them */
    earlier: readonly HistoryEvent[] = [],
  ) {
    this.events = [...earlier];
  }

  /** Adds an event; `details` may be undefined for the types AWS records without details. */
  record(type: HistoryEventType, previousEventId: number, details?: Record<string, unknown>): number {
    const event: HistoryEvent = {
      timestamp: this.timestamp(type, this.now()),
      type,
      id: this.events.length + 1,
      previousEventId,
    };
    if (details !== undefined || !NO_DETAILS.has(type)) event[detailsKey(type)] = details ?? {};
    return this.add(event);
  }

  /**
   * Adds a `…StateEntered` / `…StateExited` event: the two events of every state, built as one
   * object literal (no details key added afterwards, which would allocate a second object).
   */
  recordState(type: HistoryEventType, previousEventId: number, details: StateEventDetails, ms: number): number {
    const timestamp = this.timestamp(type, ms);
    const id = this.events.length + 1;
    return this.add(
      'input' in details
        ? { timestamp, type, id, previousEventId, stateEnteredEventDetails: details }
        : { timestamp, type, id, previousEventId, stateExitedEventDetails: details },
    );
  }

  /** The timestamp of the next event, at `ms`; throws HistoryLimitExceeded when there is no room for it. */
  private timestamp(type: HistoryEventType, ms: number): Date {
    if (this.events.length >= this.limit && !this.failedLimit && !type.startsWith('Execution')) {
      this.failedLimit = true;
      throw new HistoryLimitExceeded(`The execution reached the maximum number of history events (${this.limit}).`);
    }
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastDate = new Date(ms);
    }
    return this.lastDate;
  }

  private add(event: HistoryEvent): number {
    this.events.push(event);
    if (this.listener) {
      try {
        this.listener(event);
      } catch {
        // a failing listener must not break the execution
      }
    }
    return event.id;
  }

  get lastId(): number {
    return this.events.length;
  }
}

/** Serializes an event for JSON 1.0 responses as AWS sends it: timestamps as epoch seconds, no `problem` detail. */
export function eventToWire(e: HistoryEvent): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...e, timestamp: e.timestamp.getTime() / 1000 };
  const key = detailsKey(e.type);
  const details = e[key] as Record<string, unknown> | undefined;
  if (details && 'problem' in details) {
    const { problem: _local, ...aws } = details;
    wire[key] = aws;
  }
  return wire;
}
