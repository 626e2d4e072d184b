/**
 * One running execution: the state loop, history recording, the context object, variables
 * and abort handling. State types live in states/*.ts; Retry/Catch in retry.ts.
 *
 * Speed (issue 6 bench targets): states are walked as the plain definition objects, the
 * loop only awaits when a state really is asynchronous (Task, Wait, Map, Parallel, JSONata),
 * and each value is serialized once per event.
 */
import { setMaxListeners } from 'node:events';
import type { ParsedResource, QueryLanguage } from '../../../asl/src/types';
import type { Clock } from '../clock';
import type { CallbackEndpointInfo, LocalRunConfig, TaskDriver } from '../drivers/types';
import { NOT_TRUNCATED, type HistoryRecorder } from '../history';
import type { TaskTokenRegistry } from '../callback/tokens';
import { Aborted, Failure } from './errors';
import { checkSize, safeStringify } from './evaluate';
import { STATE_HANDLERS } from './states/index';

/** A JSON object as found in a definition. */
export type Def = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `$$.Map.Item` inside a Map iteration. */
export interface MapItem {
  Index: number;
  Value: unknown;
  Key?: string;
  Source?: string;
}

/** One thread of control: the machine, a Parallel branch or a Map iteration. */
export interface Frame {
  /** variables visible here (a copy of the outer scope's plus this scope's own) */
  vars: Record<string, unknown>;
  /** id of the last event recorded by this thread (the next event's previousEventId) */
  prev: number;
  /** aborted when this thread must stop (execution stopped/timed out, sibling failed) */
  signal: AbortSignal;
  history: HistoryRecorder;
  item?: MapItem;
  /** the last state output of this thread and its JSON text (the next state's input text) */
  lastValue?: unknown;
  lastText?: string;
}

/** What a state handler produces. `next: null` ends the scope; undefined = the state's Next. */
export interface StepOut {
  output: unknown;
  next?: string | null;
  /** evaluated Assign values, committed after the state exits (DG-VAR) */
  assign?: unknown;
}

/** Everything a state handler needs. */
export interface StateCtx {
  rt: Runtime;
  name: string;
  def: Def;
  input: unknown;
  frame: Frame;
  ql: QueryLanguage;
  /** epoch ms when the state was entered ($$.State.EnteredTime) */
  enteredMs: number;
  contextCache?: Record<string, unknown>;
}

const TYPE_EVENTS: Record<string, { entered: string; exited: string }> = {};
for (const t of ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']) TYPE_EVENTS[t] = { entered: `${t}StateEntered`, exited: `${t}StateExited` };

/** Execution-wide settings and services shared by every frame. */
export interface RuntimeOptions {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  region: string;
  startTime: string;
  input: unknown;
  clock: Clock;
  drivers: TaskDriver[];
  /** checked before `drivers`: answers for the states its test case lists */
  mock?: TaskDriver & { handlesState(stateName: string): boolean };
  config: LocalRunConfig;
  baseDir?: string;
  tokens: TaskTokenRegistry;
  /** lazily started callback endpoint for real drivers */
  callback?: () => Promise<CallbackEndpointInfo | undefined>;
  log(line: string, source?: string): void;
  parseResource(arn: string): ParsedResource;
  /** machine type: EXPRESS machines reject .sync / .waitForTaskToken at validation time */
  machineType: 'STANDARD' | 'EXPRESS';
}

/** Shared execution state. */
export class Runtime {
  readonly pending = new Set<Promise<unknown>>();
  /** invocation signals whose driver work has not settled yet (aborted when the execution ends) */
  readonly openInvocations = new Set<AbortController>();
  private sinceYield = 0;
  private readonly resources = new Map<string, ParsedResource>();
  readonly ctxExecution: Record<string, unknown>;
  readonly ctxMachine: Record<string, unknown>;
  /** the machine's QueryLanguage: the default of every state in every scope */
  machineQl: QueryLanguage = 'JSONPath';

  constructor(readonly opts: RuntimeOptions) {
    this.ctxExecution = {
      Id: opts.executionArn,
      Input: opts.input,
      Name: opts.executionName,
      RoleArn: opts.roleArn,
      StartTime: opts.startTime,
      RedriveCount: 0,
    };
    this.ctxMachine = { Id: opts.stateMachineArn, Name: opts.stateMachineName };
  }

  /** Parses a Task resource once per execution. */
  resource(arn: unknown): ParsedResource {
    const key = typeof arn === 'string' ? arn : String(arn);
    let r = this.resources.get(key);
    if (!r) {
      r = this.opts.parseResource(key);
      this.resources.set(key, r);
    }
    return r;
  }

  /** The context object (`$$`, `$states.context`) for a state attempt (DG-CTX). */
  context(ctx: StateCtx, retryCount = 0, token?: string): Record<string, unknown> {
    const ms = ctx.enteredMs;
    const c: Record<string, unknown> = {
      Execution: this.ctxExecution,
      // EnteredTime is formatted only when something reads it (hot path)
      State: {
        get EnteredTime(): string {
          return new Date(ms).toISOString();
        },
        Name: ctx.name,
        RetryCount: retryCount,
      },
      StateMachine: this.ctxMachine,
    };
    if (token !== undefined) c.Task = { Token: token };
    if (ctx.frame.item) c.Map = { Item: ctx.frame.item };
    return c;
  }

  /** Memoized context object of a state without retry count or token (JSONPath scopes). */
  baseContext(ctx: StateCtx): Record<string, unknown> {
    return (ctx.contextCache ??= this.context(ctx));
  }

  /** Records an event in the frame's chain. */
  event(frame: Frame, type: string, details?: Record<string, unknown>): void {
    frame.prev = frame.history.record(type, frame.prev, details);
  }

  /**
   * Runs the states of one scope (machine, branch, iteration) from StartAt to a terminal
   * state; resolves to the scope's output or throws a Failure / Aborted.
   */
  async runScope(scope: Def, input: unknown, frame: Frame, parentQl: QueryLanguage): Promise<unknown> {
    const ql: QueryLanguage = scope.QueryLanguage === 'JSONata' || scope.QueryLanguage === 'JSONPath' ? scope.QueryLanguage : parentQl;
    const states = scope.States as Def;
    let name = scope.StartAt as string;
    let value = input;
    for (;;) {
      if (frame.signal.aborted) throw new Aborted();
      const def = states?.[name] as Def | undefined;
      if (!def || typeof def !== 'object') throw new Failure('States.Runtime', `The state '${name}' does not exist in this scope.`);
      let r = this.step(name, def, value, frame, ql);
      if (r instanceof Promise) r = await r;
      if (r.next === null) return r.output;
      name = r.next as string;
      value = r.output;
      // let timers, callbacks and stop requests through during long synchronous runs
      if (++this.sinceYield >= 2000) {
        this.sinceYield = 0;
        await new Promise((res) => setImmediate(res));
      }
    }
  }

  /** Enters a state, runs its handler and records the exit (or lets the failure escape). */
  step(name: string, def: Def, input: unknown, frame: Frame, scopeQl: QueryLanguage): StepOut | Promise<StepOut> {
    const type = def.Type as string;
    const handler = STATE_HANDLERS[type];
    if (!handler) throw new Failure('States.Runtime', `The state '${name}' has an unknown Type '${String(type)}'.`);
    const now = this.opts.clock.now();
    const inputText = frame.lastText !== undefined && frame.lastValue === input ? frame.lastText : safeStringify(input);
    frame.prev = frame.history.record(TYPE_EVENTS[type]!.entered, frame.prev, { name, input: inputText, inputDetails: NOT_TRUNCATED }, 'stateEnteredEventDetails');
    const ql: QueryLanguage = def.QueryLanguage === 'JSONata' || def.QueryLanguage === 'JSONPath' ? def.QueryLanguage : scopeQl;
    const ctx: StateCtx = { rt: this, name, def, input, frame, ql, enteredMs: now };
    const r = handler(ctx);
    if (r instanceof Promise) return r.then((out) => this.exit(ctx, out));
    return this.exit(ctx, r);
  }

  private exit(ctx: StateCtx, out: StepOut): StepOut {
    const { def, frame } = ctx;
    const output = safeStringify(out.output);
    checkSize(output, `state output of '${ctx.name}'`);
    const details: Record<string, unknown> = { name: ctx.name, output, outputDetails: NOT_TRUNCATED };
    if (out.assign !== undefined && out.assign !== null && typeof out.assign === 'object') {
      const assigned: Record<string, string> = {};
      for (const k of Object.keys(out.assign as object)) {
        const v = (out.assign as Record<string, unknown>)[k];
        const text = safeStringify(v);
        // 256 KiB per variable (DG-VAR)
        checkSize(text, `value assigned to the variable '${k}'`);
        frame.vars[k] = v;
        assigned[k] = text;
      }
      details.assignedVariables = assigned;
      details.assignedVariablesDetails = NOT_TRUNCATED;
    }
    if (def.Type !== 'Fail') frame.prev = frame.history.record(TYPE_EVENTS[def.Type]!.exited, frame.prev, details, 'stateExitedEventDetails');
    frame.lastValue = out.output;
    frame.lastText = output;
    let next = out.next;
    if (next === undefined) next = def.End === true || typeof def.Next !== 'string' ? null : def.Next;
    return { output: out.output, next };
  }

  /** Tracks a promise that must settle before the execution is disposed (driver work). */
  track(p: Promise<unknown>): void {
    const q: Promise<unknown> = p.then(
      (): void => void this.pending.delete(q),
      (): void => void this.pending.delete(q),
    );
    this.pending.add(q);
  }
}

/** An AbortController aborted with `parent`; `release()` detaches it. */
export function childAbort(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  // many concurrent children (Map iterations, task attempts) listen to one signal
  setMaxListeners(0, controller.signal);
  if (parent.aborted) {
    controller.abort();
    return { controller, release() {} };
  }
  const on = (): void => controller.abort();
  parent.addEventListener('abort', on, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', on) };
}
