/**
 * One execution's history as a text that differs from another's only where the behaviour
 * differs: the path taken (states in order, each Map iteration by index, each Parallel branch
 * by its first state) and each state's input, output, error and cause, with event ids,
 * timestamps, ARNs and generated ids left out. Compare Local and AWS Runs diffs two of them.
 * Pure (no vscode), unit-tested with recorded histories.
 *
 * Events are attributed by their previousEventId chain (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * iterations and branches interleave in a history, so their order in the text is theirs, not
 * the events'.
 */
import { eventDetails, type EventLike } from '../run/overlay';

interface Visit {
  name: string;
  type: string;
  input?: string;
  output?: string;
  failures: string[];
  exited: boolean;
  /** the slot the state ran in */
  slot: Slot;
  /** a Map's iterations (by index) or a Parallel's branches (by first state) */
  slots: Map<string, Slot>;
}

interface Slot {
  /** the Map or Parallel state it belongs to; undefined: the machine's top level */
  owner?: Visit;
  label: string;
  order: number;
  visits: Visit[];
  failures: string[];
}

/** What in a value changes from run to run without any behaviour behind it. */
const VOLATILE: [RegExp, string][] = [
  [/\barn:aws[\w-]*:([\w-]+):[\w-]*:\d*:[^\s"]+/g, '<$1 ARN>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, '<timestamp>'],
  // container ids, image digests, task ids: generated, 32 hex digits or more
  [/\b[0-9a-f]{32,}\b/g, '<id>'],
];

/**
 * Numbers read as epoch milliseconds between 2000 and 2100 (the `CreatedAt` / `StoppedAt` of an
 * ECS task): masked as timestamps. Local behaviour: a number in that range that is not a time
 * is masked too.
 */
const EPOCH_MS_RANGE = [946_684_800_000, 4_102_444_800_000] as const;

function mask(text: string): string {
  return VOLATILE.reduce((t, [re, by]) => t.replace(re, by), text);
}

/** Sorted keys at every level (so two equal objects print the same), epoch timestamps masked. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  if (typeof v === 'number' && Number.isInteger(v) && v >= EPOCH_MS_RANGE[0] && v < EPOCH_MS_RANGE[1])
    return '<timestamp>';
  return v;
}

/** A JSON text (or any string) as indented lines under `label`. */
function valueLines(label: string, raw: unknown, indent: string): string[] {
  if (raw === undefined) return [];
  let text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  try {
    text = JSON.stringify(canonical(JSON.parse(text)), null, 2);
  } catch {
    // not JSON (a cause is often plain text): shown as it is
  }
  const lines = mask(text).split('\n');
  if (lines.length === 1) return [`${indent}${label}: ${lines[0]}`];
  return [`${indent}${label}:`, ...lines.map((l) => `${indent}  ${l}`)];
}

function failureText(type: string, d: Record<string, unknown>): string {
  const parts = [type];
  if (d.error !== undefined) parts.push(`error ${String(d.error)}`);
  if (d.cause !== undefined) parts.push(`cause ${mask(String(d.cause))}`);
  return parts.join(', ');
}

/** The normalized text of an execution's history (any order of `events`; they are sorted by id). */
export function normalizedRunText(events: readonly EventLike[]): string {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  const root: Slot = { label: '', order: 0, visits: [], failures: [] };
  const visitOf = new Map<number, Visit>();
  const byId = new Map(sorted.map((e) => [e.id, e]));
  let executionInput: unknown;
  const ending: string[] = [];
  // the innermost unfinished state from `v` outwards that `pred` accepts
  const up = (v: Visit | undefined, pred: (x: Visit) => boolean): Visit | undefined => {
    while (v && !(pred(v) && !v.exited)) v = v.slot.owner;
    return v;
  };
  const slotIn = (owner: Visit, key: string, label: string, order: number): Slot => {
    let s = owner.slots.get(key);
    if (!s) owner.slots.set(key, (s = { owner, label, order, visits: [], failures: [] }));
    return s;
  };

  for (const e of sorted) {
    const d = eventDetails(e);
    const t = e.type;
    const before = visitOf.get(e.previousEventId);
    const previous = byId.get(e.previousEventId);
    const beforeType = previous?.type;
    let v: Visit | undefined;
    if (t === 'ExecutionStarted') executionInput = d.input;
    else if (t.startsWith('Execution')) {
      ending.push(`execution ${t.slice('Execution'.length).toUpperCase()}`);
      ending.push(...valueLines('output', d.output, '  '));
      if (d.error !== undefined || d.cause !== undefined) ending.push(`  ${failureText(t, d)}`);
    } else if (t.endsWith('StateEntered')) {
      const name = String(d.name);
      let slot: Slot;
      if (beforeType === 'MapIterationStarted' && before) {
        const index = Number(eventDetails(previous!).index ?? 0);
        slot = slotIn(before, `i${index}`, `iteration ${index}`, index);
      } else if (beforeType === 'ParallelStateStarted' && before)
        slot = slotIn(before, `b${name}`, `branch ${name}`, 0);
      else slot = before?.slot ?? root;
      v = {
        name,
        type: t.slice(0, -'StateEntered'.length),
        input: String(d.input ?? ''),
        failures: [],
        exited: false,
        slot,
        slots: new Map(),
      };
      slot.visits.push(v);
    } else if (t.endsWith('StateExited')) {
      v = up(before, (x) => x.name === d.name);
      if (v) {
        v.output = d.output === undefined ? undefined : String(d.output);
        v.exited = true;
      }
    } else if (t.startsWith('MapIteration')) {
      v = up(before, (x) => x.type === 'Map' && x.name === d.name);
      if (v && t !== 'MapIterationStarted' && t !== 'MapIterationSucceeded') {
        const index = Number(d.index ?? 0);
        slotIn(v, `i${index}`, `iteration ${index}`, index).failures.push(failureText(t, d));
      }
    } else if (/^(Map|Parallel)State(Started|Succeeded|Failed|Aborted)$/.test(t) || t.startsWith('MapRun')) {
      const kind = t.startsWith('Parallel') ? 'Parallel' : 'Map';
      v = up(before, (x) => x.type === kind);
      if (v && /(Failed|Aborted)$/.test(t)) v.failures.push(failureText(t, d));
    } else {
      v = before;
      if (v && /(Failed|TimedOut|Aborted)$/.test(t)) v.failures.push(failureText(t, d));
    }
    if (v) visitOf.set(e.id, v);
  }

  const out: string[] = [...valueLines('execution input', executionInput, '')];
  const printSlot = (slot: Slot, indent: string): void => {
    for (const f of slot.failures) out.push(`${indent}${f}`);
    for (const v of slot.visits) {
      out.push(`${indent}${v.name} (${v.type})`);
      const inner = indent + '  ';
      out.push(...valueLines('input', v.input, inner));
      const slots = [...v.slots.values()].sort((a, b) => a.order - b.order || a.label.localeCompare(b.label));
      for (const s of slots) {
        out.push(`${inner}${s.label}`);
        printSlot(s, inner + '  ');
      }
      for (const f of v.failures) out.push(`${inner}${f}`);
      out.push(...(v.exited ? valueLines('output', v.output, inner) : [`${inner}(not exited)`]));
    }
  };
  printSlot(root, '');
  out.push(...ending);
  return out.join('\n') + '\n';
}
