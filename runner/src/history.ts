/**
 * Execution history in AWS's shapes (reference §7, API-SFN HistoryEvent): every event has
 * `id` (sequential from 1), `previousEventId`, `timestamp`, `type` and one
 * `<camelCaseType>EventDetails` object. Events are cheap plain objects streamed to a listener
 * as they are recorded.
 */

/** One history event. Details live under the AWS key for the type, e.g. `stateEnteredEventDetails`. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** Shared `{truncated: false}` for inputDetails/outputDetails (one object instead of one per event). */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });

/** The details key AWS uses for an event type. */
export function detailsKey(type: string): string {
  let k = KEYS.get(type);
  if (k === undefined) KEYS.set(type, (k = computeKey(type)));
  return k;
}

const KEYS = new Map<string, string>();

function computeKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return type[0]!.toLowerCase() + type.slice(1) + 'EventDetails';
}

const NO_DETAILS = new Set([
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

/** Thrown when the history would exceed its limit (25,000 events for Standard, DG-QUOTA). */
export class HistoryLimitExceeded extends Error {}

/**
 * Collects the events of one execution (children of a distributed Map get their own).
 * `record` returns the new event id; callers thread it as the next `previousEventId` of
 * their branch so that parallel branches chain like AWS's histories do.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private failedLimit = false;

  constructor(
    private readonly now: () => number,
    private readonly listener?: (event: HistoryEvent) => void,
    private readonly limit = 25000,
  ) {}

  /** Adds an event; `details` may be undefined for the types AWS records without details. */
  record(type: string, previousEventId: number, details?: Record<string, unknown>, key?: string): number {
    const id = this.events.length + 1;
    if (id > this.limit && !this.failedLimit && !type.startsWith('Execution')) {
      this.failedLimit = true;
      throw new HistoryLimitExceeded(`The execution reached the maximum number of history events (${this.limit}).`);
    }
    const event: HistoryEvent = { timestamp: new Date(this.now()), type, id, previousEventId };
    if (key !== undefined) event[key] = details;
    else if (details !== undefined || !NO_DETAILS.has(type)) event[detailsKey(type)] = details ?? {};
    this.events.push(event);
    if (this.listener) {
      try {
        this.listener(event);
      } catch {
        // a failing listener must not break the execution
      }
    }
    return id;
  }

  get lastId(): number {
    return this.events.length;
  }
}

/** Serializes an event for JSON 1.0 responses: timestamps as epoch seconds (how AWS sends them). */
export function eventToWire(e: HistoryEvent): Record<string, unknown> {
  return { ...e, timestamp: e.timestamp.getTime() / 1000 };
}
