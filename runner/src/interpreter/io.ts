/**
 * Input/output processing shared by the state handlers (DG-PATHS, DG-JSONATA, DG-VAR).
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath,
 * Assign evaluated on the result. JSONata: Arguments → (work) → Output, Assign, with `$states`.
 */
import type { EvalScope } from '../../../asl/src/types';
import { Failure } from './errors';
import { applyPath, jsonata, jsonataTemplate, payload, resultPath, type JsonataBindings } from './evaluate';
import type { StateCtx, StepOut } from './runtime';

/** An evaluation scope whose context object is only built when a `$$` path reads it. */
class LazyScope implements EvalScope {
  constructor(
    readonly input: unknown,
    private readonly ctx: StateCtx,
    readonly variables: Record<string, unknown>,
  ) {}
  get context(): unknown {
    return this.ctx.rt.baseContext(this.ctx);
  }
}

/** The evaluation scope of a JSONPath state (`context` undefined = the state's base context, lazily). */
export function jpScope(ctx: StateCtx, input: unknown, context?: unknown): EvalScope {
  if (context === undefined) return new LazyScope(input, ctx, ctx.frame.vars);
  return { input, context, variables: ctx.frame.vars };
}

/** InputPath applied to the raw state input. */
export function effectiveInput(ctx: StateCtx, context: unknown): unknown {
  const { def, input } = ctx;
  if (def.InputPath === undefined) return input;
  return applyPath(input, def.InputPath, jpScope(ctx, input, context));
}

/**
 * After the work of a JSONPath Task/Map/Parallel/Pass: ResultSelector (when `selector`),
 * Assign on the selected result, ResultPath into the raw input, OutputPath.
 */
export function jsonPathFinish(ctx: StateCtx, context: unknown, result: unknown, selector: boolean, next?: string | null): StepOut {
  const { def } = ctx;
  let r = result;
  if (selector && def.ResultSelector !== undefined) r = payload(def.ResultSelector, jpScope(ctx, r, context));
  const assign = def.Assign !== undefined ? payload(def.Assign, jpScope(ctx, r, context)) : undefined;
  let out = resultPath(ctx.input, def.ResultPath, r);
  if (def.OutputPath !== undefined) out = applyPath(out, def.OutputPath, jpScope(ctx, out, context));
  return next === undefined ? { output: out, assign } : { output: out, assign, next };
}

/** JSONata bindings for a state. */
export function bindings(ctx: StateCtx, context: unknown, extra?: { result?: unknown; errorOutput?: unknown }): JsonataBindings {
  return { states: { input: ctx.input, context, ...extra }, variables: ctx.frame.vars };
}

/** Output (default `fallback`) and Assign of a JSONata state. */
export async function jsonataFinish(
  ctx: StateCtx,
  b: JsonataBindings,
  fallback: unknown,
  outputDef: unknown = ctx.def.Output,
  assignDef: unknown = ctx.def.Assign,
): Promise<StepOut> {
  const output = outputDef !== undefined ? await jsonataTemplate(outputDef, b) : fallback;
  const assign = assignDef !== undefined ? await jsonataTemplate(assignDef, b) : undefined;
  return { output, assign };
}

/** A JSONata field that must be a number (TimeoutSeconds, MaxConcurrency...). */
export async function jsonataNumber(value: unknown, b: JsonataBindings, field: string): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const v = await jsonata(value, b);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Failure('States.QueryEvaluationError', `The field '${field}' must evaluate to a number, got ${JSON.stringify(v) ?? 'undefined'}.`);
  }
  return v;
}
