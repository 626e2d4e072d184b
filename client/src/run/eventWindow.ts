/**
 * The events of one execution that the Executions view keeps: the newest ones, up to a fixed
 * number, so a history of hundreds of thousands of events (a long Map on Step Functions)
 * keeps the extension's memory bounded. The overlay tracker sees every event before this;
 * only the view's list is cut. Pure (no vscode), unit-tested.
 */
import type { EventLike } from './overlay';

/**
 * How many events of one execution the Executions view lists (the newest). Older ones show
 * as one "N earlier events" item. Local behaviour: a history on Step Functions holds up to
 * 25,000 events (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */
export const KEPT_EVENTS = 10_000;

/** How many of the oldest events go at once when the window is full, so trimming is not per event. */
const TRIM_CHUNK = 1_000;

/** The newest events of an execution, each stored once, in id order. */
export class EventWindow {
  /** the kept events, oldest first (the same array for the window's life) */
  readonly events: EventLike[] = [];
  /** how many older events were dropped */
  dropped = 0;

  constructor(private readonly cap = KEPT_EVENTS) {}

  /** Adds events in id order; drops the oldest once more than `cap` are kept. */
  add(batch: readonly EventLike[]): void {
    for (const e of batch) this.events.push(e);
    if (this.events.length <= this.cap) return;
    const n = this.events.length - this.cap + Math.min(TRIM_CHUNK, Math.floor(this.cap / 10));
    this.events.splice(0, n);
    this.dropped += n;
  }

  /** Every event seen, kept or not. */
  get total(): number {
    return this.dropped + this.events.length;
  }

  /** The id of the newest event (0 before the first). */
  get lastId(): number {
    return this.events[this.events.length - 1]?.id ?? 0;
  }
}

/**
 * The event with id `id` among events in id order: a binary search, since the view looks up
 * each of its (up to KEPT_EVENTS) items on every refresh.
 */
export function eventById(events: readonly EventLike[], id: number): EventLike | undefined {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = events[mid]!;
    if (e.id === id) return e;
    if (e.id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
