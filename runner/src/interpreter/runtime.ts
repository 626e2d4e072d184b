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
import { checkSize, PAYLOAD_LIMIT, safeStringify } from './evaluate';
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
  /** UTF-8 sizes of the variables this scope assigned itself (the 10 MiB execution total, DG-VAR) */
  varSizes?: Map<string, number>;
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
  /** bytes of all variables currently stored by the live scopes of this execution */
  private varBytes = 0;

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
      details.assignedVariables = this.assign(ctx, out.assign as Record<string, unknown>);
      details.assignedVariablesDetails = NOT_TRUNCATED;
    }
    if (def.Type !== 'Fail') frame.prev = frame.history.record(TYPE_EVENTS[def.Type]!.exited, frame.prev, details, 'stateExitedEventDetails');
    frame.lastValue = out.output;
    frame.lastText = output;
    let next = out.next;
    if (next === undefined) next = def.End === true || typeof def.Next !== 'string' ? null : def.Next;
    return { output: out.output, next };
  }

  /**
   * Checks and commits the variables of one Assign block (reference §6.5, DG-VAR): valid
   * names, 256 KiB per variable, 256 KiB per block, 10 MiB of variables per execution (all
   * States.DataLimitExceeded, like the payload limit). Nothing is committed when a check fails.
   * Returns the serialized values for `assignedVariables`.
   */
  private assign(ctx: StateCtx, values: Record<string, unknown>): Record<string, string> {
    const { frame } = ctx;
    const sizes = (frame.varSizes ??= new Map());
    const assigned: Record<string, string> = {};
    const bytes: number[] = [];
    let block = 0;
    let delta = 0;
    const keys = Object.keys(values);
    for (const k of keys) {
      if (!isVariableName(k)) {
        throw new Failure(
          'States.Runtime',
          `The state '${ctx.name}' assigns the variable '${k}', which is not a valid variable name: ` +
            'a name starts with a Unicode ID_Start character, continues with ID_Continue characters and has at most 80 characters.',
        );
      }
      const text = safeStringify(values[k]);
      checkSize(text, `value assigned to the variable '${k}'`);
      const n = text.length < 128 ? utf8Small(text) : Buffer.byteLength(text, 'utf8');
      bytes.push(n);
      block += n;
      delta += n - (sizes.get(k) ?? 0);
      assigned[k] = text;
    }
    if (block > PAYLOAD_LIMIT) {
      throw new Failure('States.DataLimitExceeded', `The variables assigned by the state '${ctx.name}' have a combined size exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT}).`);
    }
    if (this.varBytes + delta > VARIABLES_LIMIT) {
      throw new Failure(
        'States.DataLimitExceeded',
        `The state '${ctx.name}' would bring the variables of this execution to ${this.varBytes + delta} bytes, exceeding the maximum number of bytes service limit (${VARIABLES_LIMIT}).`,
      );
    }
    this.varBytes += delta;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      frame.vars[k] = values[k];
      sizes.set(k, bytes[i]!);
    }
    return assigned;
  }

  /** Forgets the variables of a finished Parallel branch or Map iteration (their scope is gone). */
  releaseVariables(frame: Frame): void {
    if (!frame.varSizes) return;
    for (const n of frame.varSizes.values()) this.varBytes -= n;
    frame.varSizes = undefined;
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

/** 10 MiB of variables per execution (reference §6.5, DG-VAR). */
export const VARIABLES_LIMIT = 10 * 1024 * 1024;

const VARIABLE_NAME = /^\p{ID_Start}\p{ID_Continue}*$/u;
const validNames = new Set<string>();

/** Variable names: Unicode ID_Start, then ID_Continue, at most 80 characters (reference §6.5). */
export function isVariableName(k: string): boolean {
  if (validNames.has(k)) return true;
  if (!VARIABLE_NAME.test(k) || [...k].length > 80) return false;
  if (validNames.size < 10000) validNames.add(k);
  return true;
}

/** UTF-8 length of a short string without a Buffer call. */
function utf8Small(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 2 bytes below U+0800, 3 above, 4 for a surrogate pair (2 units)
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
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
