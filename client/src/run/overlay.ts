/**
 * Turns the history events of a local execution into the graph preview's run overlay
 * (node id -> status, Map/Parallel counters). Pure: no vscode, no Node built-ins, so it is
 * unit-tested with recorded histories.
 *
 * Events only carry state names (AWS history shape, https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html); node ids are the graph's
 * scope-qualified paths, so the tracker is given the graph's state nodes. State names are
 * unique in a machine (Step Functions rejects duplicates), so name -> id is unambiguous.
 */
import type { GraphNode, GraphOverlay, NodeOverlay, OverlayStatus } from '../../../asl/src/graph/types';
import type { MapRunCounts } from '../../../runner/src/api';

/** The part of a history event the tracker reads (IPC turns `timestamp` into a string). */
export interface EventLike {
  id: number;
  previousEventId: number;
  type: string;
  [details: string]: unknown;
}

/** The details object of an event (`<camelType>EventDetails` / state entered/exited), or {}. */
export function eventDetails(e: EventLike): Record<string, unknown> {
  for (const k of Object.keys(e)) {
    if (k.endsWith('EventDetails') && e[k] && typeof e[k] === 'object') return e[k] as Record<string, unknown>;
  }
  return {};
}

/** Failure events of a state (not of the execution, not of one Map iteration). */
function isStateFailure(type: string): boolean {
  if (type.startsWith('Execution') || type.startsWith('MapIteration') || type.startsWith('MapRun')) return false;
  return /(Failed|TimedOut)$/.test(type);
}

/**
 * A Map Run's item counts as DescribeMapRun reports them
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html),
 * for the Map state whose MapRunStarted event is `startedEventId`.
 */
export interface MapRunItems extends Omit<MapRunCounts, 'resultsWritten'> {
  startedEventId: number;
  mapRunArn: string;
  /** RUNNING, SUCCEEDED, FAILED or ABORTED */
  status: string;
}

interface NodeState {
  id: string;
  status: OverlayStatus;
  active: number;
  failurePending: boolean;
  retried: boolean;
  iterations?: NonNullable<NodeOverlay['iterations']>;
  /** the MapRunStarted event of the Map Run its counters show */
  mapRunEventId?: number;
}

/** Accumulates the overlay of one execution from its events, in order. */
export class OverlayTracker {
  private readonly byName = new Map<string, string>();
  private readonly branches = new Map<string, number>();
  private readonly nodes = new Map<string, NodeState>();
  /** event id -> name of the state it belongs to */
  private readonly owner = new Map<number, string>();
  /** open Parallel / Map states, most recent last (their *Succeeded/Failed events carry no name) */
  private readonly open: { name: string; kind: 'Parallel' | 'Map' }[] = [];

  /** `graph`: the state nodes of the machine's graph (ids and names); without one, ids = names. */
  constructor(graph?: readonly GraphNode[]) {
    for (const n of graph ?? []) {
      if (n.kind === 'state' && !this.byName.has(n.name)) this.byName.set(n.name, n.id);
      if (n.kind === 'scope' && n.parent && n.type === 'branch')
        this.branches.set(n.parent, (this.branches.get(n.parent) ?? 0) + 1);
    }
    for (const [, id] of this.byName)
      this.nodes.set(id, { id, status: 'notStarted', active: 0, failurePending: false, retried: false });
  }

  /** Node id of a state name. */
  idOf(name: string): string {
    return this.byName.get(name) ?? name;
  }

  private node(name: string): NodeState {
    const id = this.idOf(name);
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = { id, status: 'notStarted', active: 0, failurePending: false, retried: false }));
    return n;
  }

  /** The state name an event belongs to, if any. */
  stateOf(e: EventLike): string | undefined {
    return this.owner.get(e.id);
  }

  /** Applies one event; returns true when the overlay changed. */
  apply(e: EventLike): boolean {
    const d = eventDetails(e);
    const t = e.type;
    if (t.endsWith('StateEntered')) {
      const name = String(d.name);
      this.owner.set(e.id, name);
      const n = this.node(name);
      n.active++;
      n.status = 'running';
      n.failurePending = false;
      const kind = t.slice(0, -'StateEntered'.length);
      if (kind === 'Parallel') {
        const total = this.branches.get(n.id) ?? 0;
        n.iterations = { total, succeeded: 0, failed: 0, running: total };
        this.open.push({ name, kind });
      } else if (kind === 'Map') {
        n.iterations = { total: 0, succeeded: 0, failed: 0, running: 0 };
        this.open.push({ name, kind });
      }
      return true;
    }
    if (t.endsWith('StateExited')) {
      const name = String(d.name);
      this.owner.set(e.id, name);
      const n = this.node(name);
      n.active = Math.max(0, n.active - 1);
      const idx = this.open.map((o) => o.name).lastIndexOf(name);
      if (idx >= 0) this.open.splice(idx, 1);
      if (n.active === 0) n.status = n.failurePending ? 'caught' : n.retried ? 'retried' : 'succeeded';
      n.failurePending = false;
      return true;
    }
    if (t.startsWith('MapIteration')) {
      const name = String(d.name ?? '');
      this.owner.set(e.id, name);
      const it = this.node(name).iterations;
      if (!it) return false;
      if (t === 'MapIterationStarted') it.running++;
      else {
        it.running = Math.max(0, it.running - 1);
        if (t === 'MapIterationSucceeded') it.succeeded++;
        else if (t === 'MapIterationFailed') it.failed++;
      }
      return true;
    }
    if (/^(Parallel|Map)State(Started|Succeeded|Failed|Aborted)$/.test(t) || /^MapRun/.test(t)) {
      const kind = t.startsWith('Parallel') ? 'Parallel' : 'Map';
      const open = [...this.open].reverse().find((o) => o.kind === kind);
      if (!open) return false;
      this.owner.set(e.id, open.name);
      const n = this.node(open.name);
      if (t === 'MapStateStarted' && n.iterations) n.iterations.total = Number(d.length ?? 0);
      if (t === 'ParallelStateSucceeded' && n.iterations)
        n.iterations = { ...n.iterations, succeeded: n.iterations.total, running: 0 };
      if (t.endsWith('Failed')) {
        n.failurePending = true;
        n.status = 'failed';
        if (t === 'ParallelStateFailed' && n.iterations)
          n.iterations = { ...n.iterations, failed: Math.max(1, n.iterations.failed), running: 0 };
      }
      if (t.endsWith('Aborted')) n.status = 'aborted';
      return true;
    }
    if (t.startsWith('Execution')) {
      const final: OverlayStatus | undefined =
        t === 'ExecutionAborted'
          ? 'aborted'
          : t === 'ExecutionFailed' || t === 'ExecutionTimedOut'
            ? 'failed'
            : undefined;
      if (!final) return false;
      let changed = false;
      for (const n of this.nodes.values()) {
        if (n.active > 0 || n.status === 'running') {
          n.status = final === 'failed' && n.status === 'aborted' ? 'aborted' : final;
          n.active = 0;
          changed = true;
        }
        if (n.iterations) n.iterations = { ...n.iterations, running: 0 };
      }
      return changed;
    }
    // any other event (Task*, Wait aborted, ...) belongs to the state that its chain started from
    const name = this.owner.get(e.previousEventId);
    if (name === undefined) return false;
    this.owner.set(e.id, name);
    const n = this.node(name);
    if (t.endsWith('Aborted')) {
      n.status = 'aborted';
      return true;
    }
    if (isStateFailure(t)) {
      n.failurePending = true;
      n.status = 'failed';
      return true;
    }
    if (n.failurePending && (t === 'TaskScheduled' || t === 'LambdaFunctionScheduled' || t === 'ActivityScheduled')) {
      // a new attempt after a failure inside the same state: a Retry rule matched
      n.failurePending = false;
      n.retried = true;
      n.status = 'retried';
      return true;
    }
    return false;
  }

  /**
   * Shows a Map Run's item counts on its Map state (a Distributed Map records no iteration
   * events). Counts of an earlier Map Run of the same state are ignored once a later one
   * started; returns true when the overlay changed.
   */
  applyMapRun(m: MapRunItems): boolean {
    const name = this.owner.get(m.startedEventId);
    if (name === undefined) return false;
    const n = this.node(name);
    if (n.mapRunEventId !== undefined && n.mapRunEventId > m.startedEventId) return false;
    n.mapRunEventId = m.startedEventId;
    n.iterations = { total: m.total, succeeded: m.succeeded, failed: m.failed + m.timedOut, running: m.running };
    return true;
  }

  /** The overlay to send to the graph preview now. */
  overlay(version?: number): GraphOverlay {
    const states: Record<string, NodeOverlay> = {};
    for (const n of this.nodes.values()) {
      states[n.id] = n.iterations ? { status: n.status, iterations: { ...n.iterations } } : { status: n.status };
    }
    return version === undefined ? { states } : { version, states };
  }
}
