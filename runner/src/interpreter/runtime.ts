/**
 * One running execution: the state loop, history recording, the context object, variables
 * and abort handling. State types live in states/*.ts (handed in as a table); Retry/Catch in
 * retry.ts.
 *
 * Speed (scripts/bench/runner.mjs measures it): states come compiled (machine.ts), the loop
 * only awaits when a state really is asynchronous (Task, Wait, Map, Parallel, JSONata), and
 * each value is serialized once per event.
 */
import type { ParsedResource } from '../../../asl/src/types';
import { PAYLOAD_LIMIT, VARIABLE_NAME_MAX_LENGTH, VARIABLES_LIMIT } from '../../../asl/src/quotas';
import { NOT_TRUNCATED, type HistoryEventType, type StateEventDetails } from '../history';
import { Aborted, Failure } from './errors';
import { checkResultSize, checkSize, safeStringify } from './evaluate';
import type { RunnableScope, RunnableState } from './machine';
import type {
  ExecutionObserver,
  ExecutionRuntime,
  Frame,
  RuntimeOptions,
  StateCtx,
  StateHandler,
  StateHandlers,
  StateVisit,
  StepOut,
} from './types';

/** Shared execution state. */
export class Runtime implements ExecutionRuntime {
  readonly pending = new Set<Promise<unknown>>();
  /** invocation signals whose driver work has not settled yet (aborted when the execution ends) */
  readonly openInvocations = new Set<AbortController>();
  private sinceYield = 0;
  private readonly resources = new Map<string, ParsedResource>();
  readonly ctxExecution: Record<string, unknown>;
  readonly ctxMachine: Record<string, unknown>;
  /** bytes of all variables currently stored by the live scopes of this execution */
  private varBytes = 0;

  constructor(
    readonly opts: RuntimeOptions,
    private readonly handlers: StateHandlers,
  ) {
    // the key order of executions recorded on AWS (LocalStack's test_context_object.snapshot.json)
    this.ctxExecution = {
      Id: opts.executionArn,
      Input: opts.input,
      StartTime: opts.startTime,
      Name: opts.executionName,
      RoleArn: opts.roleArn,
      RedriveCount: opts.redriveCount ?? 0,
    };
    this.ctxMachine = { Id: opts.stateMachineArn, Name: opts.stateMachineName };
  }

  /** Parses a Task resource once per execution. */
  resource(arn: string): ParsedResource {
    let r = this.resources.get(arn);
    if (!r) {
      r = this.opts.parseResource(arn);
      this.resources.set(arn, r);
    }
    return r;
  }

  /** The context object (`$$`, `$states.context`) for a state attempt (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). */
  context(ctx: StateCtx, retryCount = 0, token?: string): Record<string, unknown> {
    const ms = ctx.enteredMs;
    const state: Record<string, unknown> = {
      Name: ctx.name,
      // EnteredTime is formatted only when something reads it (hot path)
      get EnteredTime(): string {
        return new Date(ms).toISOString();
      },
    };
    // only states that retry count attempts: AWS's Pass, Wait, Choice... have no RetryCount
    if (RETRYING_STATES.has(ctx.state.type)) state.RetryCount = retryCount;
    // keys in the order of executions recorded on AWS (LocalStack's test_context_object.snapshot.json)
    const c: Record<string, unknown> = {
      Execution: ctx.frame.execution ?? this.ctxExecution,
      StateMachine: ctx.frame.machine ?? this.ctxMachine,
      State: state,
    };
    if (token !== undefined) c.Task = { Token: token };
    if (ctx.frame.item) c.Map = { Item: ctx.frame.item };
    // an observer sees the context of the latest attempt (with its task token)
    if (ctx.stages && (token !== undefined || retryCount > 0 || ctx.stages.Context === undefined))
      ctx.stages.Context = c;
    return c;
  }

  /** Memoized context object of a state without retry count or token (JSONPath scopes). */
  baseContext(ctx: StateCtx): Record<string, unknown> {
    return (ctx.contextCache ??= this.context(ctx));
  }

  /** Records an event in the frame's chain. */
  event(frame: Frame, type: HistoryEventType, details?: Record<string, unknown>): void {
    frame.prev = frame.history.record(type, frame.prev, details);
  }

  /**
   * Runs the states of one scope (machine, branch, iteration) from StartAt to a terminal
   * state; resolves to the scope's output or throws a Failure / Aborted.
   */
  runScope(scope: RunnableScope, input: unknown, frame: Frame): Promise<unknown> {
    const observer = this.opts.observer;
    if (observer) return observer.thread(scope, frame, () => this.runStates(scope, input, frame, observer));
    return this.runStates(scope, input, frame);
  }

  private async runStates(
    scope: RunnableScope,
    input: unknown,
    frame: Frame,
    observer?: ExecutionObserver,
  ): Promise<unknown> {
    // the next state, or its name while it is still to be looked up
    let target: RunnableState | string | undefined = scope.startAt;
    let value = input;
    for (;;) {
      if (frame.signal.aborted) throw new Aborted();
      const state: RunnableState | undefined =
        typeof target === 'object' ? target : target === undefined ? undefined : scope.states.get(target);
      if (!state) throw missingState(scope, target as string | undefined);
      let r: StepOut | Promise<StepOut> = observer
        ? this.observedStep(observer, state, value, frame)
        : this.step(state, value, frame);
      if (r instanceof Promise) r = await r;
      const next: RunnableState | string | null = r.next === undefined ? state.following : r.next;
      if (next === null) return r.output;
      target = next;
      value = r.output;
      // let timers, callbacks and stop requests through during long synchronous runs
      if (++this.sinceYield >= 2000) {
        this.sinceYield = 0;
        await new Promise((res) => setImmediate(res));
      }
    }
  }

  /** A step the observer runs (and may hold back or repeat). */
  private observedStep(
    observer: ExecutionObserver,
    state: RunnableState,
    input: unknown,
    frame: Frame,
  ): StepOut | Promise<StepOut> {
    const visit: StateVisit = { rt: this, state, frame, input };
    return observer.state(visit, () => this.step(state, visit.input, frame, visit));
  }

  /** Enters a state, runs its handler and records the exit (or lets the failure escape). */
  private step(state: RunnableState, input: unknown, frame: Frame, visit?: StateVisit): StepOut | Promise<StepOut> {
    const now = this.opts.clock.now();
    const inputText = frame.lastText !== undefined && frame.lastValue === input ? frame.lastText : safeStringify(input);
    const name = state.name;
    frame.prev = frame.history.recordState(
      state.entered,
      frame.prev,
      { name, input: inputText, inputDetails: NOT_TRUNCATED },
      now,
    );
    const ctx: StateCtx = { rt: this, state, def: state.def, name, input, frame, ql: state.ql, enteredMs: now };
    if (visit) {
      ctx.stages = {};
      visit.ctx = ctx;
    }
    const r = (this.handlers[state.type] as StateHandler)(ctx);
    if (r instanceof Promise) return r.then((out) => this.exit(ctx, out));
    return this.exit(ctx, r);
  }

  private exit(ctx: StateCtx, out: StepOut): StepOut {
    const { state, frame } = ctx;
    const output = safeStringify(out.output);
    checkResultSize(output, ctx.name);
    const details: StateEventDetails = { name: ctx.name, output, outputDetails: NOT_TRUNCATED };
    if (out.assign !== undefined && out.assign !== null && typeof out.assign === 'object') {
      details.assignedVariables = this.assign(ctx, out.assign as Record<string, unknown>);
      details.assignedVariablesDetails = NOT_TRUNCATED;
    }
    if (state.exited) frame.prev = frame.history.recordState(state.exited, frame.prev, details, this.opts.clock.now());
    frame.lastValue = out.output;
    frame.lastText = output;
    return out;
  }

  /**
   * Checks and commits the variables of one Assign block (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html): valid
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
            `a name starts with a Unicode ID_Start character, continues with ID_Continue characters and has at most ${VARIABLE_NAME_MAX_LENGTH} characters.`,
        );
      }
      const text = safeStringify(values[k]);
      checkSize(text, 'value assigned to the variable', k);
      const n = text.length < 128 ? utf8Small(text) : Buffer.byteLength(text, 'utf8');
      bytes.push(n);
      block += n;
      delta += n - (sizes.get(k) ?? 0);
      assigned[k] = text;
    }
    if (block > PAYLOAD_LIMIT) {
      throw new Failure(
        'States.DataLimitExceeded',
        `The variables assigned by the state '${ctx.name}' have a combined size exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT}).`,
      );
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

/** The state types with Retry, whose context object counts attempts in `State.RetryCount`. */
const RETRYING_STATES: ReadonlySet<string> = new Set(['Task', 'Map', 'Parallel']);

const VARIABLE_NAME = /^\p{ID_Start}\p{ID_Continue}*$/u;
const validNames = new Set<string>();

/** Variable names: Unicode ID_Start, then ID_Continue, at most VARIABLE_NAME_MAX_LENGTH characters (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html). */
export function isVariableName(k: string): boolean {
  if (validNames.has(k)) return true;
  if (!VARIABLE_NAME.test(k) || [...k].length > VARIABLE_NAME_MAX_LENGTH) return false;
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

/** The failure of a transition to a state the scope does not have (or cannot run). */
function missingState(scope: RunnableScope, name: string | undefined): Failure {
  if (name !== undefined && scope.unknownTypes.has(name)) {
    return new Failure(
      'States.Runtime',
      `The state '${name}' has an unknown Type '${String(scope.unknownTypes.get(name))}'.`,
    );
  }
  return new Failure('States.Runtime', `The state '${String(name)}' does not exist in this scope.`);
}
