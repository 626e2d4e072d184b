/**
 * The Debug Adapter Protocol over an execution: launch runs the machine with the runner
 * (startExecution, the default drivers, mocks as in `run`) and the ExecutionDebugger as its
 * observer; requests map onto threads (the machine, Parallel branches, Map iterations), stack
 * frames (a state per level), scopes and variables (variables.ts) and expressions
 * (expressions.ts). Terminate and disconnect stop the execution (ABORTED: the runner removes
 * its containers and Jobs) before they answer.
 */
import path from 'node:path';
import {
  DebugSession,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  Source,
  StoppedEvent,
  TerminatedEvent,
  ThreadEvent,
  Event,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startExecution, type StartedExecution } from '../api';
import { defaultDrivers } from '../drivers/defaults';
import type { HistoryEvent } from '../history';
import type { ExecutionResult } from '../interpreter/execution';
import {
  EXCEPTION_FILTERS,
  ExecutionDebugger,
  stateBreakpoint,
  type DebugThread,
  type StepKind,
  type StateRun,
} from './debugger';
import { evaluateExpression } from './expressions';
import { prepareLaunch } from './launch';
import type { AslLaunchArguments } from './launchArgs';
import { ASL_STATE_EVENT, ASL_TEST_RESULT_EVENT, type AslStateEventBody } from './protocol';
import { StateLines } from './stateLines';
import { caseCheck, type CaseCheck } from './testCase';
import { VariableStore } from './variables';

/** How long Debug Console output is gathered before it is sent. */
const OUTPUT_BURST_MS = 50;

/** The exception filter whose condition lists more error names. */
const NAMED_ERRORS_FILTER = 'named';

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & AslLaunchArguments;

export class AslDebugSession extends DebugSession {
  private program?: string;
  private lines?: StateLines;
  private dbg?: ExecutionDebugger;
  private vars?: VariableStore;
  private execution?: StartedExecution;
  private check?: CaseCheck;
  private result?: Promise<ExecutionResult>;
  private nextBreakpointId = 1;
  /** breakpoints and exception filters the client set before the machine was loaded */
  private pendingBreakpoints?: DebugProtocol.SetBreakpointsArguments;
  private errorFilters: string[] = [];
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  /** the thread the execution last stopped in (the one `continue` reports as running again) */
  private stoppedThread?: DebugThread;
  private shuttingDown = false;
  /** Debug Console text not sent yet: one output event per burst rather than per state */
  private pending = { text: '', category: 'console' };
  private flushTimer: NodeJS.Timeout | undefined;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartFrame: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsExceptionFilterOptions: true,
      supportsExceptionOptions: true,
      exceptionBreakpointFilters: [
        ...EXCEPTION_FILTERS.map((f) => ({
          filter: f,
          label: f,
          description:
            f === 'States.ALL'
              ? 'Stop when any error leaves a state (States.Runtime too).'
              : `Stop when an error leaves a state and a Catch with ErrorEquals ["${f}"] would match it.`,
          default: false,
        })),
        {
          filter: NAMED_ERRORS_FILTER,
          label: 'Errors named…',
          description: 'Stop when an error of one of these names leaves a state.',
          supportsCondition: true,
          conditionDescription: 'Error names separated by commas, e.g. MyApp.PaymentDeclined, States.NoChoiceMatched',
          default: false,
        },
      ],
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
    void this.handle(response, async () => {
      try {
        await this.launch(args);
      } catch (e) {
        // nothing runs: the client ends the session after showing the error
        this.flush();
        this.sendEvent(new TerminatedEvent());
        throw e;
      }
    });
  }

  private async launch(args: LaunchRequestArguments): Promise<void> {
    const prepared = await prepareLaunch(args);
    this.program = prepared.source;
    this.lines = new StateLines(prepared.analysis.model, prepared.sourceLines);
    const dbg = args.noDebug
      ? undefined
      : new ExecutionDebugger(
          this.lines,
          {
            stopped: (t, reason, d) => this.stopped(t, reason, d),
            threadStarted: (t) => this.sendEvent(new ThreadEvent('started', t.id)),
            threadExited: (t) => this.threadExited(t),
            output: (text) => this.print(text),
          },
          args.stopOnEntry === true,
        );
    this.dbg = dbg;
    if (dbg) this.vars = new VariableStore(dbg);
    if (this.pendingBreakpoints) this.applyBreakpoints(this.pendingBreakpoints);
    dbg?.setErrorFilters(this.errorFilters);
    // breakpoints are welcome once the machine's lines are known
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    for (const note of prepared.notes) this.print(note + '\n');
    const check = (this.check = args.check ? caseCheck(args.check) : undefined);
    const started = startExecution({
      ...prepared.options,
      drivers: check?.drivers ?? defaultDrivers().create(),
      onLog: (line, source) => this.print(`[${source ?? 'log'}] ${line}\n`, 'stdout'),
      onEvent: (e) => {
        const line = progressLine(e);
        if (line) this.print(line);
      },
      observer: check ? check.observer(dbg) : dbg,
    });
    this.execution = started;
    this.result = started.result.then((r) => {
      this.ended(r);
      return r;
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    if (!this.lines) {
      // clients send breakpoints after the initialized event, which waits for the machine; one
      // sent earlier is applied when the machine is loaded
      this.pendingBreakpoints = args;
      response.body = { breakpoints: (args.breakpoints ?? []).map(() => ({ verified: false })) };
    } else response.body = { breakpoints: this.applyBreakpoints(args) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    const names = new Set<string>();
    const add = (s: string | undefined): void => {
      for (const n of (s ?? '').split(/[,\s]+/)) if (n) names.add(n);
    };
    for (const f of args.filters ?? []) if (f !== NAMED_ERRORS_FILTER) names.add(f);
    for (const o of args.filterOptions ?? []) {
      if (o.filterId === NAMED_ERRORS_FILTER) add(o.condition);
      else names.add(o.filterId);
    }
    for (const o of args.exceptionOptions ?? []) for (const p of o.path ?? []) for (const n of p.names) add(n);
    this.errorFilters = [...names];
    this.dbg?.setErrorFilters(this.errorFilters);
    response.body = {
      breakpoints: [...(args.filters ?? []), ...(args.filterOptions ?? [])].map(() => ({ verified: true })),
    };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = [...(this.dbg?.threads.values() ?? [])].map((t) => ({ id: t.id, name: t.name }));
    response.body = { threads: threads.length ? threads : [{ id: 1, name: 'Execution' }] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    const t = this.dbg?.threads.get(args.threadId);
    const frames: DebugProtocol.StackFrame[] = [];
    const source = this.program ? new Source(path.basename(this.program), this.program) : undefined;
    for (let r: StateRun | undefined = t?.current ?? t?.parent; r; r = r.thread.parent) {
      const line = r.info && this.lines ? this.lines.line(r.info) : 0;
      const suffix =
        r.phase === 'failed' ? ` (failed: ${r.failure?.error ?? 'error'})` : r.phase === 'running' ? ' (running)' : '';
      frames.push({
        id: r.id,
        name: `${r.visit.state.name}${suffix}`,
        source,
        line: this.convertDebuggerLineToClient(line),
        column: this.convertDebuggerColumnToClient(0),
        canRestart: r.thread.current === r && (r.phase === 'before' || r.phase === 'failed'),
      });
    }
    const start = args.startFrame ?? 0;
    const end = args.levels ? start + args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, end), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const r = this.dbg?.run(args.frameId);
    response.body = { scopes: r && this.vars ? this.vars.scopes(r) : [] };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    void this.handle(response, async () => {
      let variables = this.vars ? await this.vars.variables(args.variablesReference) : [];
      if (args.filter === 'indexed' && args.start !== undefined)
        variables = variables.slice(args.start, args.count ? args.start + args.count : undefined);
      response.body = { variables };
    });
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    void this.handle(response, async () => {
      if (!this.vars) throw new Error('Nothing is paused.');
      const v = this.vars.setVariable(args.variablesReference, args.name, args.value);
      response.body = { value: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    void this.handle(response, async () => {
      const dbg = this.dbg;
      const r =
        args.frameId !== undefined ? dbg?.run(args.frameId) : (this.stoppedThread?.current ?? dbg?.mainThread?.current);
      if (!dbg || !this.vars || !r) throw new Error('Expressions are evaluated against a paused state.');
      const value = await evaluateExpression(args.expression, dbg.evalTarget(r));
      const v = this.vars.variable('', value, args.expression);
      response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.resume();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepRequest(response, args.threadId, 'next');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepRequest(response, args.threadId, 'stepIn');
  }

  protected override stepOutRequest(
    response: DebugProtocol.StepOutResponse,
    args: DebugProtocol.StepOutArguments,
  ): void {
    this.stepRequest(response, args.threadId, 'stepOut');
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    const t = this.dbg?.threads.get(args.threadId) ?? this.dbg?.mainThread;
    if (t) this.dbg!.pause(t);
    this.sendResponse(response);
  }

  protected override restartFrameRequest(
    response: DebugProtocol.RestartFrameResponse,
    args: DebugProtocol.RestartFrameArguments,
  ): void {
    const r = this.dbg?.run(args.frameId);
    this.vars?.reset();
    if (!r || !this.dbg!.restart(r)) {
      this.sendErrorResponse(response, {
        id: 2001,
        format: 'Only the state a thread is paused at can run again: before it runs, or after an error stopped it.',
        showUser: true,
      });
      return;
    }
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(
    response: DebugProtocol.ExceptionInfoResponse,
    args: DebugProtocol.ExceptionInfoArguments,
  ): void {
    const f = this.dbg?.threads.get(args.threadId)?.current?.failure;
    response.body = {
      exceptionId: f?.error ?? 'error',
      description: f?.causeText,
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.handle(response, () => this.stopExecution());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.handle(response, () => this.stopExecution()).then(() => this.shutdown());
  }

  /** Ends the adapter process, after the execution is stopped and cleaned up (also on SIGTERM, or when the client goes away). */
  override shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    void this.stopExecution().finally(() => super.shutdown());
  }

  // ------------------------------------------------------------------ helpers

  /** Stops the execution (ABORTED) and waits until its containers and Jobs are removed. */
  private async stopExecution(): Promise<void> {
    this.configured();
    if (!this.execution || !this.result) return;
    this.execution.stop();
    this.dbg?.end();
    await this.result;
  }

  private applyBreakpoints(args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const lines = this.lines!;
    const ours = !!args.source.path && this.program !== undefined && samePath(args.source.path, this.program);
    const list = (args.breakpoints ?? []).map((bp) => {
      const info = ours ? lines.stateAt(this.convertClientLineToDebugger(bp.line)) : undefined;
      return { bp, b: stateBreakpoint(this.nextBreakpointId++, info, bp) };
    });
    if (ours) this.dbg?.setBreakpoints(list.map((x) => x.b));
    return list.map(({ bp, b }): DebugProtocol.Breakpoint => {
      if (!b.info)
        return {
          id: b.id,
          verified: false,
          line: bp.line,
          message: ours ? 'No state on this line.' : 'Not the machine being debugged.',
        };
      if (bp.hitCondition?.trim() && !b.hitCondition)
        return {
          id: b.id,
          verified: false,
          line: bp.line,
          message: `Hit count '${bp.hitCondition}': use N, >= N, == N, > N or % N.`,
        };
      return { id: b.id, verified: true, line: this.convertDebuggerLineToClient(lines.line(b.info)) };
    });
  }

  private stepRequest(response: DebugProtocol.Response, threadId: number, kind: StepKind): void {
    const from = this.dbg?.threads.get(threadId)?.current;
    this.resume(from && { kind, from });
    this.sendResponse(response);
  }

  private resume(step?: { kind: StepKind; from: StateRun }): void {
    this.vars?.reset();
    const t = this.stoppedThread;
    this.stoppedThread = undefined;
    if (t) this.aslState(t, t.current, 'running');
    this.dbg?.resume(step);
  }

  /** Prints to the Debug Console; lines of a burst (a run of states) go out together. */
  private print(text: string, category = 'console'): void {
    if (this.pending.category !== category) this.flush();
    this.pending.category = category;
    this.pending.text += text;
    this.flushTimer ??= setTimeout(() => this.flush(), OUTPUT_BURST_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.text) this.sendEvent(new OutputEvent(this.pending.text, this.pending.category));
    this.pending.text = '';
  }

  private stopped(
    t: DebugThread,
    reason: string,
    d: { breakpointIds?: number[]; description?: string; text?: string },
  ): void {
    this.stoppedThread = t;
    this.flush();
    const e = new StoppedEvent(reason, t.id) as DebugProtocol.StoppedEvent;
    e.body.allThreadsStopped = true;
    if (d.breakpointIds) e.body.hitBreakpointIds = d.breakpointIds;
    if (d.description) e.body.description = d.description;
    if (d.text) e.body.text = d.text;
    this.sendEvent(e);
    this.aslState(t, t.current, 'paused');
  }

  private threadExited(t: DebugThread): void {
    this.sendEvent(new ThreadEvent('exited', t.id));
    if (!t.parent) this.aslState(t, undefined, 'ended');
  }

  private aslState(t: DebugThread, r: StateRun | undefined, status: AslStateEventBody['status']): void {
    const body: AslStateEventBody = { statePath: r && this.dbg ? this.dbg.statePath(r) : [], status, threadId: t.id };
    this.sendEvent(new Event(ASL_STATE_EVENT, body));
  }

  private ended(r: ExecutionResult): void {
    this.dbg?.end();
    const what =
      r.status === 'SUCCEEDED'
        ? `output ${JSON.stringify(r.output)}`
        : [r.error, r.cause].filter((x) => x !== undefined).join(': ');
    // as the history tells it: from ExecutionStarted to the last event
    const ms = r.history.length ? r.history.at(-1)!.timestamp.getTime() - r.history[0]!.timestamp.getTime() : 0;
    const states = r.history.filter((e) => e.type.endsWith('StateEntered')).length;
    this.print(
      `Execution ${r.status} after ${states} state${states === 1 ? '' : 's'} in ${ms} ms${what ? `; ${what}` : ''}\n`,
    );
    const tested = this.check?.result(r, (text) => this.print(text));
    this.flush();
    if (tested) this.sendEvent(new Event(ASL_TEST_RESULT_EVENT, tested));
    this.sendEvent(new ExitedEvent(r.status === 'SUCCEEDED' ? 0 : 1));
    this.sendEvent(new TerminatedEvent());
  }

  /** Runs a request's work and answers it: its body on success, the error's message otherwise. */
  private async handle(response: DebugProtocol.Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.sendResponse(response);
    } catch (e) {
      // DAP reads `{name}` in `format` as a variable (one without a leading `_` as personal
      // data, left out): the text goes in `_message`, so its own braces stay
      const _message = e instanceof Error ? e.message : String(e);
      this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message }, showUser: true });
    }
  }
}

/** A Debug Console line for the history events a user follows: states entered, failures. */
function progressLine(e: HistoryEvent): string | undefined {
  const key = Object.keys(e).find((k) => k.endsWith('EventDetails'));
  const d = ((key && (e as unknown as Record<string, Record<string, unknown>>)[key]) || {}) as Record<string, unknown>;
  if (e.type.endsWith('StateEntered')) return `▶ ${String(d.name)} (${e.type.slice(0, -'StateEntered'.length)})\n`;
  if (/(Failed|TimedOut)$/.test(e.type) && d.error !== undefined)
    return `✘ ${e.type}: ${String(d.error)}${d.cause !== undefined ? ` ${String(d.cause).slice(0, 300)}` : ''}\n`;
  return undefined;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => {
    const r = path.resolve(p);
    return process.platform === 'win32' || process.platform === 'darwin' ? r.toLowerCase() : r;
  };
  return norm(a) === norm(b);
}
