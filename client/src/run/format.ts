/**
 * Text for the "ASL Workbench: Executions" output channel and the Executions view: one
 * timestamped line per history event or log line, durations, and the state input/output
 * documents. Pure (no vscode), unit-tested.
 */
import { invalidDefinitionMessage } from '../../../asl/src/validation';
import { eventDetails, type EventLike, type MapRunItems } from './overlay';

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

/**
 * The notification text of a finished execution: `report.asl.json: SUCCEEDED in 4.2 s`, with
 * the error name of a failed one (`FAILED in 3.1 s: States.TaskFailed`).
 */
export function finishedMessage(label: string, status: string, ms: number, error?: string): string {
  return `${label}: ${status} in ${duration(ms)}${error && status !== 'SUCCEEDED' ? `: ${error}` : ''}`;
}

/** `Map Run: 1,234/5,000 items, 3 failed`: the items processed so far of a Map Run, and those that failed. */
export function mapRunText(m: MapRunItems): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const failed = m.failed + m.timedOut;
  const done = m.succeeded + failed + m.aborted;
  return `Map Run: ${n(done)}/${n(m.total)} items${failed ? `, ${n(failed)} failed` : ''}`;
}

/** An error diagnostic as the editor holds it (the shape of vscode.Diagnostic that matters here). */
export interface EditorError {
  code?: string | number | { value: string | number };
  message: string;
  range: { start: { line: number; character: number } };
}

/**
 * What Run Locally shows before it runs a machine the language server found errors in: the
 * list `run`, `serve` and the runner's API give for the same machine.
 */
export function invalidMachineDetail(errors: readonly EditorError[]): string {
  return invalidDefinitionMessage(
    errors.map((d) => ({
      code: String(typeof d.code === 'object' ? d.code.value : (d.code ?? '')),
      message: d.message,
      line: d.range.start.line,
      character: d.range.start.character,
    })),
  );
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

/** The Executions view's label and description of an event (icons carry the entered/exited glyph). */
export function eventTreeText(e: EventLike): { label: string; detail: string } {
  const d = eventDetails(e);
  if (e.type.endsWith('StateEntered'))
    return { label: `${String(d.name)} (${e.type.slice(0, -'StateEntered'.length)})`, detail: 'entered' };
  if (e.type.endsWith('StateExited')) return { label: String(d.name), detail: 'exited' };
  return { label: eventSummary(e).replace(/^✘ /, ''), detail: '' };
}

/** The output channel line of an event: `[12:00:01.234] #3 ▶ Work (Task)` plus a short cause. */
export function eventLine(e: EventLike): string {
  const d = eventDetails(e);
  const cause =
    typeof d.cause === 'string' && d.cause ? ` — ${d.cause.length > 300 ? d.cause.slice(0, 300) + '…' : d.cause}` : '';
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
 * The state visit an event belongs to. Events chain through `previousEventId` within one
 * branch or Map iteration (AWS's history shape), so the visit is found along that chain: back
 * to the nearest `StateEntered` of the state, forward to the `StateExited` whose chain reaches
 * it. Concurrent Map iterations of the same state therefore do not get mixed up.
 */
export function visitOf(
  events: readonly EventLike[],
  target: EventLike,
  ownerName: string | undefined,
): StateVisit | undefined {
  const name = ownerName ?? (eventDetails(target).name as string | undefined);
  if (!name) return undefined;
  const byId = new Map(events.map((e) => [e.id, e]));
  const isEntered = (e: EventLike): boolean => e.type.endsWith('StateEntered') && eventDetails(e).name === name;
  /** the event itself and its ancestors along previousEventId, nearest first */
  const chain = function* (from: EventLike): Generator<EventLike> {
    for (let e: EventLike | undefined = from, n = 0; e && n < 100_000; e = byId.get(e.previousEventId), n++) yield e;
  };
  let entered: EventLike | undefined;
  for (const e of chain(target)) {
    if (isEntered(e)) {
      entered = e;
      break;
    }
  }
  if (!entered) return undefined;
  const visit: StateVisit = { name, type: entered.type.slice(0, -'StateEntered'.length), entered };
  // does an event's chain lead back to `entered` (without passing another entry of the state)?
  // previousEventId < id, so one forward pass with a memo answers it for every event
  const memo = new Map<number, boolean>([[entered.id, true]]);
  const reaches = (e: EventLike): boolean => {
    const r = !isEntered(e) && (memo.get(e.previousEventId) ?? false);
    memo.set(e.id, r);
    return r;
  };
  for (let i = events.indexOf(entered) + 1; i < events.length; i++) {
    const e = events[i]!;
    const d = eventDetails(e);
    const mine = reaches(e);
    if (typeof d.error === 'string' && !e.type.startsWith('Execution') && mine) visit.failure = e;
    if (e.type.endsWith('StateExited') && d.name === name && mine) {
      visit.exited = e;
      break;
    }
  }
  if (!visit.exited) {
    // Parallel/Map ends are recorded after their last branch event: take the next exit by name
    const later = events.slice(events.indexOf(entered) + 1);
    const next = later.find((e) => e.type.endsWith('StateExited') && eventDetails(e).name === name);
    const reentered = later.findIndex(isEntered);
    if (next && (reentered < 0 || later.indexOf(next) < reentered)) visit.exited = next;
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
