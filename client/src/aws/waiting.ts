/**
 * The `.waitForTaskToken` tasks of an execution that wait for SendTaskSuccess/SendTaskFailure
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token),
 * and where their token is. The history does not name the token: the state passes
 * `$$.Task.Token` (JSONPath) or `$states.context.Task.Token` (JSONata) somewhere in its
 * parameters, so the token is read from the TaskScheduled event's `parameters` at the places
 * the state's definition puts it. Pure (no vscode, no Node built-ins), unit-tested.
 */
import { eventDetails, type EventLike } from '../run/overlay';

/** A task waiting for its callback. */
export interface WaitingTask {
  /** id of its TaskScheduled event */
  eventId: number;
  /** the state's name */
  state: string;
  /** e.g. `sqs` + `sendMessage.waitForTaskToken` */
  resourceType: string;
  resource: string;
  /** the resolved parameters, JSON text */
  parameters?: string;
}

/** Events that end a task's wait (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html). */
const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStateAborted', 'TaskStateExited']);

/** Follows one execution's events and keeps its waiting tasks (memory: only the open ones). */
export class WaitingTasks {
  private readonly open = new Map<number, WaitingTask>();
  /** event id -> the TaskScheduled id its chain (previousEventId) leads to, for open tasks only */
  private readonly chain = new Map<number, number>();
  /** TaskStateEntered id -> state name, until the task's TaskScheduled comes */
  private readonly entered = new Map<number, string>();

  /** Applies events in id order. */
  apply(batch: readonly EventLike[]): void {
    for (const e of batch) {
      if (e.type === 'TaskStateEntered') {
        this.entered.set(e.id, String(eventDetails(e).name ?? ''));
        continue;
      }
      if (/^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(e.type)) {
        this.clear();
        continue;
      }
      if (e.type === 'TaskScheduled') {
        const d = eventDetails(e);
        const state = this.entered.get(e.previousEventId);
        this.entered.delete(e.previousEventId);
        if (typeof d.resource === 'string' && d.resource.endsWith('.waitForTaskToken')) {
          this.open.set(e.id, {
            eventId: e.id,
            state: state ?? '',
            resourceType: String(d.resourceType ?? ''),
            resource: d.resource,
            parameters: typeof d.parameters === 'string' ? d.parameters : undefined,
          });
          this.chain.set(e.id, e.id);
        }
        continue;
      }
      const root = this.chain.get(e.previousEventId);
      if (root === undefined) continue;
      if (CLOSING.has(e.type)) this.close(root);
      else this.chain.set(e.id, root);
    }
  }

  private close(root: number): void {
    this.open.delete(root);
    for (const [id, r] of this.chain) if (r === root) this.chain.delete(id);
  }

  /** The waiting tasks, oldest first. */
  list(): WaitingTask[] {
    return [...this.open.values()];
  }

  clear(): void {
    this.open.clear();
    this.chain.clear();
    this.entered.clear();
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** True for a value that puts the task token there: `$$.Task.Token` or a JSONata expression reading it. */
function isTokenExpression(key: string, value: Json): boolean {
  if (typeof value !== 'string') return false;
  if (key.endsWith('.$')) return value.trim() === '$$.Task.Token';
  return /^\{%[\s\S]*\$states\.context\.Task\.Token[\s\S]*%\}$/.test(value.trim());
}

/**
 * Where a state's Parameters (JSONPath) or Arguments (JSONata) put the task token: paths of
 * keys and array indexes into the resolved parameters (`.$` dropped from key names).
 */
export function tokenPaths(state: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: Json, at: (string | number)[]): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const key = k.endsWith('.$') ? k.slice(0, -2) : k;
        if (isTokenExpression(k, x)) out.push([...at, key]);
        else walk(x, [...at, key]);
      }
  };
  const s = state as { Parameters?: Json; Arguments?: Json } | null;
  if (s && typeof s === 'object') {
    if (s.Parameters) walk(s.Parameters, []);
    if (s.Arguments) walk(s.Arguments, []);
  }
  return out;
}

/** The definition of the state named `name` anywhere in a machine (branches, Map processors). */
export function findState(machine: unknown, name: string): unknown {
  const m = machine as { States?: Record<string, unknown> } | null;
  if (!m || typeof m !== 'object' || !m.States || typeof m.States !== 'object') return undefined;
  if (name in m.States) return m.States[name];
  for (const s of Object.values(m.States)) {
    const st = s as { Branches?: unknown[]; Iterator?: unknown; ItemProcessor?: unknown } | null;
    if (!st || typeof st !== 'object') continue;
    for (const inner of [...(st.Branches ?? []), st.Iterator, st.ItemProcessor]) {
      const hit = findState(inner, name);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** The token of a waiting task, read where the machine's definition of its state puts it. */
export function tokenOf(task: WaitingTask, machine: unknown): string | undefined {
  if (!task.parameters) return undefined;
  let params: unknown;
  try {
    params = JSON.parse(task.parameters);
  } catch {
    return undefined;
  }
  for (const p of tokenPaths(findState(machine, task.state))) {
    let v: unknown = params;
    for (const k of p) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}
