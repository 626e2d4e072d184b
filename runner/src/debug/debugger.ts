/**
 * The debugger's side of an execution, without the protocol: it is the interpreter's
 * ExecutionObserver, keeps the threads (the machine, each Parallel branch and Map iteration
 * while it runs) and the state each one is at, decides where to stop (entry, steps,
 * breakpoints with conditions and hit counts, logpoints, errors) and holds every thread at
 * its next state while the execution is paused. session.ts speaks DAP over it.
 *
 * Stopping is all-or-nothing: while one thread is paused, every other thread waits before its
 * next state. A state that is already running (a container, a Job, a `.waitForTaskToken`
 * callback) keeps running; only its thread's next state waits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope, StateInfo } from '../../../asl/src/types';
import { Aborted, errorMatches, Failure, toFailure } from '../interpreter/errors';
import type { RunnableScope } from '../interpreter/machine';
import type { ExecutionObserver, Frame, StateCtx, StateVisit, StepOut } from '../interpreter/types';
import { conditionHolds, interpolate, parseHitCondition, type EvalTarget } from './expressions';
import type { StateLines } from './stateLines';

/** One thread of control while it runs. */
export interface DebugThread {
  readonly id: number;
  readonly name: string;
  readonly frame: Frame;
  /** the Map / Parallel state running this thread; undefined for the machine's thread */
  readonly parent: StateRun | undefined;
  /** the model scope it runs (state lines) */
  readonly scope: Scope | undefined;
  /** the state it is at */
  current?: StateRun;
  /** the state it ran before (its results stay visible) */
  previous?: StateRun;
}

/** One run of a state in a thread; its id is the DAP stack frame id. */
export interface StateRun {
  readonly id: number;
  readonly visit: StateVisit;
  readonly thread: DebugThread;
  readonly info: StateInfo | undefined;
  /** before: not entered yet (its input may change); running: entered; failed: an error left it */
  phase: 'before' | 'running' | 'failed' | 'done';
  failure?: Failure;
  /** run the state again once resumed (restart frame) */
  restart?: boolean;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'pause' | 'exception' | 'restart';

export interface StopDetails {
  breakpointIds?: number[];
  description?: string;
  text?: string;
}

/** What the debugger tells the protocol side. */
export interface DebuggerHost {
  stopped(thread: DebugThread, reason: StopReason, details: StopDetails): void;
  threadStarted(thread: DebugThread): void;
  threadExited(thread: DebugThread): void;
  /** logpoint output and condition errors */
  output(text: string): void;
}

/** A line breakpoint as the client set it. */
export interface StateBreakpoint {
  readonly id: number;
  /** the state it stops before; undefined when its line is in no state */
  readonly info: StateInfo | undefined;
  readonly condition?: string;
  readonly hitCondition?: (hits: number) => boolean;
  readonly logMessage?: string;
  hits: number;
}

export type StepKind = 'next' | 'stepIn' | 'stepOut';

/** The exception filters the adapter offers: error names, matched like a Catch's ErrorEquals. */
export const EXCEPTION_FILTERS = ['States.ALL', 'States.TaskFailed', 'States.Timeout'] as const;

interface Gate {
  promise: Promise<void>;
  open(): void;
}

export class ExecutionDebugger implements ExecutionObserver {
  readonly threads = new Map<number, DebugThread>();
  private readonly threadOf = new WeakMap<Frame, DebugThread>();
  /** Map and Parallel states whose handlers are running: the parents of the threads they start */
  private readonly parents = new Set<StateRun>();
  /**
   * the parent of the threads started inside it, for a Map or Parallel state that may run in
   * several threads at once (one inside a branch or iteration); async context is costly, so
   * the others are found in `parents` by the scope they run
   */
  private nestedParents?: AsyncLocalStorage<StateRun>;
  private nextThreadId = 1;
  private nextRunId = 1;
  private gate: Gate | undefined;
  private step: { kind: StepKind; from: StateRun } | undefined;
  private entryPending: boolean;
  private ended = false;
  private breakpointsByState = new Map<StateInfo, StateBreakpoint[]>();
  /** error names that stop (exception breakpoints); States.ALL stops on every error */
  private errorFilters: string[] = [];
  /** failures already stopped at (or let pass), so one failure stops once on its way up */
  private readonly reported = new WeakSet<Failure>();

  constructor(
    private readonly lines: StateLines,
    private readonly host: DebuggerHost,
    stopOnEntry: boolean,
  ) {
    this.entryPending = stopOnEntry;
  }

  // ------------------------------------------------------------------ configuration

  setBreakpoints(list: StateBreakpoint[]): void {
    const byState = new Map<StateInfo, StateBreakpoint[]>();
    for (const b of list) {
      if (!b.info) continue;
      const at = byState.get(b.info);
      if (at) at.push(b);
      else byState.set(b.info, [b]);
    }
    this.breakpointsByState = byState;
  }

  setErrorFilters(names: string[]): void {
    this.errorFilters = names;
  }

  // ------------------------------------------------------------------ ExecutionObserver

  async thread<T>(scope: RunnableScope, frame: Frame, run: () => Promise<T>): Promise<T> {
    const parent =
      this.nestedParents?.getStore() ?? [...this.parents].find((p) => p.visit.state.scopes.includes(scope));
    const t: DebugThread = {
      id: this.nextThreadId++,
      name: threadName(parent, scope, frame),
      frame,
      parent,
      scope: this.lines.scopeOf(parent && { info: parent.info, state: parent.visit.state }, scope),
    };
    this.threads.set(t.id, t);
    this.threadOf.set(frame, t);
    this.host.threadStarted(t);
    try {
      return await run();
    } finally {
      this.threads.delete(t.id);
      this.host.threadExited(t);
    }
  }

  state(visit: StateVisit, run: () => StepOut | Promise<StepOut>): StepOut | Promise<StepOut> {
    const thread = this.threadOf.get(visit.frame)!;
    const r: StateRun = {
      id: this.nextRunId++,
      visit,
      thread,
      info: thread.scope?.states.get(visit.state.name),
      phase: 'before',
    };
    thread.current = r;
    const waiting = this.beforeState(r);
    const type = visit.state.type;
    if (waiting || type === 'Map' || type === 'Parallel') return this.runState(r, run, waiting);
    // nothing to wait for: a synchronous state stays synchronous, as without a debugger
    r.phase = 'running';
    let out: StepOut | Promise<StepOut>;
    try {
      out = run();
    } catch (e) {
      return this.afterFailure(r, run, e);
    }
    if (out instanceof Promise)
      return out.then(
        (o) => this.done(r, o),
        (e: unknown) => this.afterFailure(r, run, e),
      );
    return this.done(r, out);
  }

  /** Runs a state that waits first, starts threads, or runs again after a restart. */
  private async runState(
    r: StateRun,
    run: () => StepOut | Promise<StepOut>,
    waiting: Promise<void> | undefined,
  ): Promise<StepOut> {
    const type = r.visit.state.type;
    const container = type === 'Map' || type === 'Parallel';
    for (;;) {
      if (waiting) await waiting;
      r.phase = 'running';
      if (container) this.parents.add(r);
      try {
        const out =
          container && r.thread.parent
            ? await (this.nestedParents ??= new AsyncLocalStorage()).run(r, run)
            : await run();
        return this.done(r, out);
      } catch (e) {
        if (!(await this.restartsAfter(r, e))) throw e;
      } finally {
        this.parents.delete(r);
      }
      waiting = this.beforeState(r);
    }
  }

  private async afterFailure(r: StateRun, run: () => StepOut | Promise<StepOut>, e: unknown): Promise<StepOut> {
    if (!(await this.restartsAfter(r, e))) throw e;
    return this.runState(r, run, this.beforeState(r));
  }

  /**
   * Stops on a failure that left the state when the exception filters name it; resolves to
   * whether the state is to run again (restart frame, here or on a failed attempt).
   */
  private async restartsAfter(r: StateRun, e: unknown): Promise<boolean> {
    const again =
      e instanceof RestartState ||
      (!(e instanceof Aborted) && (await this.stopOnError(r, toFailure(e))) && !!r.restart);
    if (again) r.phase = 'before';
    return again;
  }

  private done(r: StateRun, out: StepOut): StepOut {
    r.phase = 'done';
    const thread = r.thread;
    thread.previous = r;
    return out;
  }

  async attemptFailed(ctx: StateCtx, failure: Failure): Promise<void> {
    const r = this.threadOf.get(ctx.frame)?.current;
    if (!r || !(await this.stopOnError(r, failure))) return;
    if (r.restart) throw new RestartState();
    r.phase = 'running';
  }

  // ------------------------------------------------------------------ control

  /** Whether the execution is paused. */
  get paused(): boolean {
    return this.gate !== undefined;
  }

  /** Resumes every thread; `step` says where to stop next. */
  resume(step?: { kind: StepKind; from: StateRun }): void {
    this.step = step;
    const g = this.gate;
    this.gate = undefined;
    g?.open();
  }

  /** Pauses at once: every thread waits before its next state. */
  pause(thread: DebugThread): void {
    if (this.ended) return;
    this.closeGate();
    this.host.stopped(thread, 'pause', {});
  }

  /** Runs a paused state (again) from its start: its input may have been edited. */
  restart(r: StateRun): boolean {
    if (r.thread.current !== r || (r.phase !== 'before' && r.phase !== 'failed')) return false;
    r.restart = true;
    this.resume();
    return true;
  }

  /** The execution is over (or being stopped): nothing stops any more. */
  end(): void {
    this.ended = true;
    this.resume();
  }

  /** The state run a stack frame id names: a thread's current or previous state. */
  run(id: number): StateRun | undefined {
    for (const t of this.threads.values()) {
      if (t.current?.id === id) return t.current;
      if (t.previous?.id === id) return t.previous;
    }
    return undefined;
  }

  /** The thread that runs the machine. */
  get mainThread(): DebugThread | undefined {
    return this.threads.values().next().value;
  }

  // ------------------------------------------------------------------ data of a state run

  /** The context object of a state run: its latest attempt's, or the one it will be entered with. */
  contextOf(r: StateRun): Record<string, unknown> {
    const ctx = r.visit.ctx;
    if (ctx) return (ctx.stages?.Context as Record<string, unknown> | undefined) ?? ctx.rt.baseContext(ctx);
    return r.visit.rt.context(this.previewCtx(r));
  }

  /** A state context for a state not entered yet (to preview its pipeline and context). */
  previewCtx(r: StateRun): StateCtx {
    const { rt, state, frame, input } = r.visit;
    return { rt, state, def: state.def, name: state.name, input, frame, ql: state.ql, enteredMs: rt.opts.clock.now() };
  }

  evalTarget(r: StateRun): EvalTarget {
    return { input: r.visit.input, context: this.contextOf(r), variables: r.visit.frame.vars };
  }

  /** Names of the states from the top of the machine down to `r`. */
  statePath(r: StateRun): string[] {
    const path: string[] = [];
    for (let x: StateRun | undefined = r; x; x = x.thread.parent) path.unshift(x.visit.state.name);
    return path;
  }

  // ------------------------------------------------------------------ stopping

  /** Waits while the execution is paused and stops here when something asks to; undefined = go on at once. */
  private beforeState(r: StateRun): Promise<void> | undefined {
    if (!this.gate && !r.restart && !this.entryPending && !this.step && !this.breakpointsByState.has(r.info!))
      return undefined;
    return this.waitBeforeState(r);
  }

  private async waitBeforeState(r: StateRun): Promise<void> {
    let decided = false;
    let stop: [StopReason, StopDetails] | undefined;
    /** the step in progress when the reason to stop was decided */
    let step: ExecutionDebugger['step'];
    for (;;) {
      while (this.gate) await this.gate.promise;
      if (r.visit.frame.signal.aborted) throw new Aborted();
      if (this.ended) return;
      if (r.restart) {
        r.restart = false;
        stop = ['restart', {}];
      } else if (!decided) {
        decided = true;
        step = this.step;
        stop = await this.reasonToStop(r);
        // another thread paused while the condition was evaluated: stop after it resumes
        if (this.gate) continue;
      }
      // a step that ended (another thread stopped) or was replaced (resumed since) stops nothing more
      if (stop?.[0] === 'step' && this.step !== step) stop = undefined;
      if (!stop) return;
      const [reason, details] = stop;
      stop = undefined;
      await this.stopAt(r, reason, details);
    }
  }

  private async reasonToStop(r: StateRun): Promise<[StopReason, StopDetails] | undefined> {
    if (this.entryPending) {
      this.entryPending = false;
      return ['entry', {}];
    }
    const bps = r.info ? this.breakpointsByState.get(r.info) : undefined;
    const hit: number[] = [];
    for (const b of bps ?? []) {
      if (b.condition !== undefined) {
        try {
          if (!(await conditionHolds(b.condition, this.evalTarget(r)))) continue;
        } catch (e) {
          // a condition that cannot be evaluated stops, so its error is seen
          this.host.output(`Breakpoint condition '${b.condition}' on ${r.visit.state.name}: ${message(e)}\n`);
        }
      }
      b.hits++;
      if (b.hitCondition && !b.hitCondition(b.hits)) continue;
      if (b.logMessage !== undefined) {
        this.host.output(`${await interpolate(b.logMessage, this.evalTarget(r))}\n`);
        continue;
      }
      hit.push(b.id);
    }
    if (hit.length) return ['breakpoint', { breakpointIds: hit }];
    if (this.step && this.stepEndsAt(r)) return ['step', {}];
    return undefined;
  }

  /** Whether the step in progress ends before `r`. */
  private stepEndsAt(r: StateRun): boolean {
    const { kind, from } = this.step!;
    const t = r.thread;
    if (kind === 'stepIn' && t.parent === from) return true;
    if (kind === 'stepOut') return t !== from.thread && encloses(t, from.thread);
    return encloses(t, from.thread);
  }

  /** Stops on a failure the exception filters name, once per failure; resolves to whether it stopped. */
  private async stopOnError(r: StateRun, f: Failure): Promise<boolean> {
    if (r.visit.frame.signal.aborted || this.ended || !this.errorFilters.length || this.reported.has(f)) return false;
    this.reported.add(f);
    // the error already stopped in a branch or iteration of this state
    if (r.failure && r.failure.error === f.error && r.failure.causeText === f.causeText) return false;
    if (!this.errorFilters.some((n) => n === 'States.ALL' || n === f.error || errorMatches([n], f))) return false;
    r.phase = 'failed';
    r.failure = f;
    for (let p = r.thread.parent; p; p = p.thread.parent) p.failure = f;
    await this.stopAt(r, 'exception', { description: f.error ?? 'error', text: f.causeText });
    return true;
  }

  private stopAt(r: StateRun, reason: StopReason, details: StopDetails): Promise<void> {
    this.step = undefined;
    const g = this.closeGate();
    this.host.stopped(r.thread, reason, details);
    return g.promise;
  }

  private closeGate(): Gate {
    if (!this.gate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gate = { promise, open };
    }
    return this.gate;
  }
}

/** Builds a line breakpoint; its hit condition is checked by the caller (parseHitCondition). */
export function stateBreakpoint(
  id: number,
  info: StateInfo | undefined,
  bp: { condition?: string; hitCondition?: string; logMessage?: string },
): StateBreakpoint {
  return {
    id,
    info,
    condition: bp.condition?.trim() ? bp.condition : undefined,
    hitCondition: bp.hitCondition?.trim() ? parseHitCondition(bp.hitCondition) : undefined,
    logMessage: bp.logMessage,
    hits: 0,
  };
}

/** Thrown out of a failed attempt to run its state again from the start (restart frame). */
class RestartState extends Error {}

/** Whether thread `outer` is `inner` or runs (through Map / Parallel states) the thread `inner`. */
function encloses(outer: DebugThread, inner: DebugThread): boolean {
  for (let t: DebugThread | undefined = inner; t; t = t.parent?.thread) if (t === outer) return true;
  return false;
}

function threadName(parent: StateRun | undefined, scope: RunnableScope, frame: Frame): string {
  if (!parent) return 'Execution';
  const state = parent.visit.state;
  const own =
    state.type === 'Map'
      ? `${state.name}[${frame.item?.Index ?? '?'}]`
      : `${state.name} branch ${state.scopes.indexOf(scope) + 1}`;
  // a nested branch or iteration is named after the one it runs in: "Outer[1] › Fan branch 2"
  return parent.thread.parent ? `${parent.thread.name} › ${own}` : own;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
