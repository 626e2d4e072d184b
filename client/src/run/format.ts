/**
 * Text for the "ASL Workbench: Executions" output channel and the Executions view: one
 * timestamped line per history event or log line, durations, and the state input/output
 * documents. Pure (no vscode), unit-tested.
 */
import { eventDetails, type EventLike } from './overlay';

/** `HH:MM:SS.mmm` of a timestamp (Date, ISO string or epoch ms). */
export function clock(t: unknown): string {
  const d = t instanceof Date ? t : new Date(typeof t === 'string' || typeof t === 'number' ? t : Date.now());
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** Epoch ms of an event's timestamp. */
export function timeOf(e: EventLike): number {
  const t = e.timestamp;
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'string' || typeof t === 'number') return new Date(t).getTime();
  return Date.now();
}

/** "1.2 s", "340 ms", "2 min 3 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A one-line summary of an event: "TaskSucceeded", "▶ Work (Task)", error names. */
export function eventSummary(e: EventLike): string {
  const d = eventDetails(e);
  if (e.type.endsWith('StateEntered')) return `▶ ${String(d.name)} (${e.type.slice(0, -'StateEntered'.length)})`;
  if (e.type.endsWith('StateExited')) return `✔ ${String(d.name)}`;
  if (typeof d.error === 'string') return `✘ ${e.type}: ${d.error}`;
  if (e.type.startsWith('MapIteration')) return `${e.type} ${String(d.name ?? '')}[${String(d.index ?? '')}]`;
  if (typeof d.resource === 'string') return `${e.type} ${String(d.resourceType ?? '')}:${d.resource}`;
  return e.type;
}

/** The output channel line of an event: `[12:00:01.234] #3 ▶ Work (Task)` plus a short cause. */
export function eventLine(e: EventLike): string {
  const d = eventDetails(e);
  const cause = typeof d.cause === 'string' && d.cause ? ` — ${d.cause.length > 300 ? d.cause.slice(0, 300) + '…' : d.cause}` : '';
  return `[${clock(e.timestamp)}] #${e.id} ${eventSummary(e)}${cause}`;
}

/** The output channel line of a log line from the worker (container output, driver progress). */
export function logLine(line: string, source: string | undefined, now = new Date()): string {
  return `[${clock(now)}]   ${source ? `[${source}] ` : ''}${line}`;
}

/** Parses a JSON text of an event detail (input/output are strings in AWS's shape). */
export function parseJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** One state visit: its entered and exited events (and what happened between). */
export interface StateVisit {
  name: string;
  type: string;
  entered?: EventLike;
  exited?: EventLike;
  /** the last failure inside the visit (TaskFailed, ...) */
  failure?: EventLike;
}

/**
 * The state visit an event belongs to: walks back from the event to the nearest
 * `StateEntered` with the same owner name and forward to its `StateExited`.
 */
export function visitOf(events: readonly EventLike[], target: EventLike, ownerName: string | undefined): StateVisit | undefined {
  const name = ownerName ?? (eventDetails(target).name as string | undefined);
  if (!name) return undefined;
  const idx = events.indexOf(target);
  let enteredIdx = -1;
  for (let i = idx; i >= 0; i--) {
    const e = events[i]!;
    if (e.type.endsWith('StateEntered') && eventDetails(e).name === name) {
      enteredIdx = i;
      break;
    }
  }
  if (enteredIdx < 0) return undefined;
  const entered = events[enteredIdx]!;
  const visit: StateVisit = { name, type: entered.type.slice(0, -'StateEntered'.length), entered };
  for (let i = enteredIdx + 1; i < events.length; i++) {
    const e = events[i]!;
    const d = eventDetails(e);
    if (e.type.endsWith('StateEntered') && d.name === name) break;
    if (typeof d.error === 'string' && !e.type.startsWith('Execution')) visit.failure = e;
    if (e.type.endsWith('StateExited') && d.name === name) {
      visit.exited = e;
      break;
    }
  }
  return visit;
}

/** The read-only JSON document of a state visit: input, output, failure. */
export function visitDocument(v: StateVisit): unknown {
  const doc: Record<string, unknown> = { state: v.name, type: v.type };
  if (v.entered) doc.input = parseJsonText(eventDetails(v.entered).input);
  if (v.exited) doc.output = parseJsonText(eventDetails(v.exited).output);
  else doc.output = null;
  if (v.failure) {
    const d = eventDetails(v.failure);
    doc.error = d.error;
    doc.cause = parseJsonText(d.cause);
  }
  return doc;
}
