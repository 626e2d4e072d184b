/**
 * The Variables view of a paused state: its scopes (input, pipeline stages, context object,
 * workflow variables, error, the thread's previous state) and the JSON values under them, as
 * DAP variables with references the client expands. The input of a state not entered yet is
 * editable (setVariable).
 */
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { jsonataTemplate, payloadPlan } from '../interpreter/evaluate';
import { bindings, effectiveInput, jpScope } from '../interpreter/io';
import type { PipelineStages } from '../interpreter/types';
import type { DebugThread, ExecutionDebugger, StateRun } from './debugger';

/** What a variables reference stands for. */
type Container =
  | {
      kind: 'json';
      value: unknown;
      /** JSONPath-like name of the value, for watches (`$.order`, `$$.Execution`) */
      evaluateName?: string;
      /** the state run whose input this value is part of, and where in it */
      input?: { run: StateRun; path: (string | number)[] };
    }
  | { kind: 'list'; variables: () => Promise<DebugProtocol.Variable[]> };

/** The stages in pipeline order, as the Variables view lists them. */
const STAGE_ORDER: (keyof PipelineStages)[] = [
  'InputPath',
  'Parameters',
  'Arguments',
  'Result',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Output',
  'Assign',
];

export class VariableStore {
  private handles = new Handles<Container>();
  /** state runs whose input was copied before its first edit (it may be shared with other threads) */
  private readonly copied = new WeakSet<StateRun>();

  constructor(private readonly dbg: ExecutionDebugger) {}

  /** Forgets every reference (the execution resumed). */
  reset(): void {
    this.handles.reset();
  }

  scopes(r: StateRun): DebugProtocol.Scope[] {
    const out: DebugProtocol.Scope[] = [];
    const scope = (name: string, c: Container, hint?: string): void => {
      const s: DebugProtocol.Scope = { name, variablesReference: this.handles.create(c), expensive: false };
      if (hint) s.presentationHint = hint;
      out.push(s);
    };
    scope('Input', { kind: 'json', value: r.visit.input, evaluateName: '$', input: { run: r, path: [] } }, 'arguments');
    scope(r.phase === 'before' ? 'Pipeline (before the state runs)' : 'Pipeline', {
      kind: 'list',
      variables: async () => this.stageVariables(r),
    });
    scope('Context ($$)', { kind: 'json', value: this.dbg.contextOf(r), evaluateName: '$$' });
    scope('Variables', { kind: 'list', variables: async () => this.workflowVariables(r) }, 'locals');
    if (r.phase === 'failed' && r.failure) scope('Error', { kind: 'json', value: r.failure.errorOutput() });
    const prev = r.thread.previous;
    if (prev && prev !== r)
      scope(`Previous state: ${prev.visit.state.name}`, {
        kind: 'list',
        variables: async () => [this.variable('Input', prev.visit.input), ...(await this.stageVariables(prev))],
      });
    return out;
  }

  async variables(ref: number): Promise<DebugProtocol.Variable[]> {
    const c = this.handles.get(ref);
    if (!c) return [];
    if (c.kind === 'list') return c.variables();
    const v = c.value;
    if (v === null || typeof v !== 'object') return [];
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((x, i): [number, unknown] => [i, x])
      : Object.entries(v as Record<string, unknown>);
    return entries.map(([k, x]) =>
      this.variable(
        String(k),
        x,
        c.evaluateName === undefined ? undefined : childName(c.evaluateName, k),
        c.input && { run: c.input.run, path: [...c.input.path, k] },
      ),
    );
  }

  /**
   * Sets a value inside a state's input before the state runs (or before it runs again).
   * `text` is JSON; the input is copied first, since other threads may share it.
   */
  setVariable(ref: number, name: string, text: string): DebugProtocol.Variable {
    const c = this.handles.get(ref);
    if (!c || c.kind !== 'json' || !c.input) throw new Error('Only the state input can be changed.');
    const { run, path } = c.input;
    if (run.thread.current !== run || (run.phase !== 'before' && run.phase !== 'failed'))
      throw new Error(`The input of ${run.visit.state.name} can only change before the state runs.`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`Enter a JSON value (e.g. "text", 42, true, {"a": 1}); got ${text}`);
    }
    if (!this.copied.has(run)) {
      run.visit.input = structuredClone(run.visit.input);
      this.copied.add(run);
    }
    let holder = run.visit.input as Record<string | number, unknown>;
    for (const k of path) holder = holder[k] as Record<string | number, unknown>;
    const key = Array.isArray(holder) ? Number(name) : name;
    holder[key] = value;
    return this.variable(name, value, c.evaluateName === undefined ? undefined : childName(c.evaluateName, key), {
      run,
      path: [...path, key],
    });
  }

  /** A value as a DAP variable (objects and arrays expandable). */
  variable(
    name: string,
    value: unknown,
    evaluateName?: string,
    input?: { run: StateRun; path: (string | number)[] },
    type?: string,
  ): DebugProtocol.Variable {
    const expandable = value !== null && typeof value === 'object';
    const v: DebugProtocol.Variable = {
      name,
      value: preview(value),
      type: type ?? typeName(value),
      variablesReference: expandable ? this.handles.create({ kind: 'json', value, evaluateName, input }) : 0,
    };
    if (evaluateName !== undefined) v.evaluateName = evaluateName;
    if (Array.isArray(value)) v.indexedVariables = value.length;
    return v;
  }

  /** The stages of a state run: computed as it ran, or, before it runs, those its input already determines. */
  private async stageVariables(r: StateRun): Promise<DebugProtocol.Variable[]> {
    const stages = r.visit.ctx?.stages ?? (await this.preview(r));
    const out: DebugProtocol.Variable[] = [];
    for (const k of STAGE_ORDER) if (k in stages) out.push(this.variable(k, stages[k]));
    const context = (stages.Context ?? (r.phase === 'before' ? undefined : this.dbg.contextOf(r))) as
      { Task?: { Token?: unknown } } | undefined;
    // the token a `.waitForTaskToken` task waits for (SendTaskSuccess / SendTaskFailure)
    if (typeof context?.Task?.Token === 'string') out.push(this.variable('TaskToken', context.Task.Token));
    return out;
  }

  /**
   * The stages a state's input determines before it runs, computed with the interpreter's own
   * functions: InputPath and Parameters (JSONPath), Arguments (JSONata) of Task, Pass and
   * Parallel states. A stage that fails shows its error.
   */
  private async preview(r: StateRun): Promise<PipelineStages> {
    const ctx = this.dbg.previewCtx(r);
    const { state } = r.visit;
    const out: PipelineStages = {};
    const context = this.dbg.contextOf(r);
    const takesParameters = state.type === 'Task' || state.type === 'Pass' || state.type === 'Parallel';
    try {
      if (ctx.ql === 'JSONata') {
        const args = (state.def as { Arguments?: unknown }).Arguments;
        if (takesParameters && args !== undefined) out.Arguments = await jsonataTemplate(args, bindings(ctx, context));
      } else if (state.type !== 'Fail') {
        const effective = effectiveInput(ctx as Parameters<typeof effectiveInput>[0], context);
        if ((state.def as { InputPath?: unknown }).InputPath !== undefined) out.InputPath = effective;
        const plan = state.payloads.Parameters;
        if (takesParameters && plan) out.Parameters = payloadPlan(plan, jpScope(ctx, effective, context));
      }
    } catch (e) {
      out[ctx.ql === 'JSONata' ? 'Arguments' : 'Parameters'] = `<${e instanceof Error ? e.message : String(e)}>`;
    }
    return out;
  }

  /** The workflow variables a state sees, each with the scope that assigned it as its type. */
  private workflowVariables(r: StateRun): DebugProtocol.Variable[] {
    const vars = r.visit.frame.vars;
    return Object.keys(vars).map((k) =>
      this.variable(k, vars[k], `$${k}`, undefined, `scope: ${ownerOf(r.thread, k)}`),
    );
  }
}

/** The thread whose scope assigned variable `k` (the innermost one that did). */
function ownerOf(thread: DebugThread, k: string): string {
  for (let t: DebugThread | undefined = thread; t; t = t.parent?.thread) if (t.frame.varSizes?.has(k)) return t.name;
  return 'outer scope';
}

function childName(parent: string, k: string | number): string {
  if (typeof k === 'number') return `${parent}[${k}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${parent}.${k}` : `${parent}['${k.replace(/'/g, "\\'")}']`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const PREVIEW_CHARS = 200;

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > PREVIEW_CHARS ? `${s.slice(0, PREVIEW_CHARS)}…` : s;
}
