/**
 * Input/output processing shared by the state handlers (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html, https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 * JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath → OutputPath,
 * Assign evaluated on the result. JSONata: Arguments → (work) → Output, Assign, with `$states`.
 */
import type { EvalScope, StateType } from '../../../asl/src/types';
import { Aborted, Failure, toFailure } from './errors';
import type { PayloadPlan } from '../../../asl/src/paths/index';
import { applyPath, jsonataTemplate, payloadPlan, resultPath, type JsonataBindings } from './evaluate';
import type { StateCtx, StepOut } from './types';

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
export function effectiveInput(ctx: StateCtx<Exclude<StateType, 'Fail'>>, context: unknown): unknown {
  const { def, input } = ctx;
  if (def.InputPath === undefined) return input;
  const v = applyPath(input, def.InputPath, jpScope(ctx, input, context));
  if (ctx.stages) ctx.stages.InputPath = v;
  return v;
}

/**
 * After the work of a JSONPath Task/Map/Parallel/Pass: the `selector` (ResultSelector),
 * Assign on the selected result, ResultPath into the raw input, OutputPath.
 */
export function jsonPathFinish(
  ctx: StateCtx<'Pass' | 'Task' | 'Parallel' | 'Map'>,
  context: unknown,
  result: unknown,
  selector: PayloadPlan | undefined,
  next?: string | null,
): StepOut {
  const { def } = ctx;
  const assignPlan = ctx.state.payloads.Assign;
  let r = result;
  if (selector !== undefined) r = payloadPlan(selector, jpScope(ctx, r, context));
  const assign = assignPlan !== undefined ? payloadPlan(assignPlan, jpScope(ctx, r, context)) : undefined;
  let out = resultPath(ctx.input, def.ResultPath, r);
  const stages = ctx.stages;
  if (stages) {
    Object.assign(stages, { Result: result, Assign: assign, ResultPath: out });
    if (selector !== undefined) stages.ResultSelector = r;
  }
  if (def.OutputPath !== undefined) out = applyPath(out, def.OutputPath, jpScope(ctx, out, context));
  if (stages) stages.OutputPath = out;
  return next === undefined ? { output: out, assign } : { output: out, assign, next };
}

/** JSONata bindings for a state. */
export function bindings(
  ctx: StateCtx,
  context: unknown,
  extra?: { result?: unknown; errorOutput?: unknown },
): JsonataBindings {
  return { states: { input: ctx.input, context, ...extra }, variables: ctx.frame.vars };
}

/**
 * Records `EvaluationFailed` (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html EvaluationFailedEventDetails: error, cause, location,
 * state) for a States.QueryEvaluationError of field `location` and returns the failure to
 * throw. AWS records it before the state fails; the failure stays retriable and catchable in
 * Task/Map/Parallel (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html). Other failures pass through untouched.
 */
export function evaluationFailed(ctx: StateCtx, location: string, e: unknown): unknown {
  if (e instanceof Aborted) return e;
  const f = toFailure(e);
  if (f.error !== 'States.QueryEvaluationError' || f.evaluationRecorded) return f;
  f.evaluationRecorded = true;
  const d: Record<string, unknown> = { error: f.error };
  if (f.causeText !== undefined) d.cause = f.causeText;
  d.location = location;
  d.state = ctx.name;
  ctx.rt.event(ctx.frame, 'EvaluationFailed', d);
  return f;
}

/** A States.QueryEvaluationError raised by the interpreter itself (wrong type for a field), recorded. */
export function queryError(ctx: StateCtx, location: string, cause: string): unknown {
  return evaluationFailed(ctx, location, new Failure('States.QueryEvaluationError', cause));
}

/**
 * Evaluates the JSONata field `location` of the state (a `{% %}` string, or an object/array
 * holding some); an evaluation failure is recorded as `EvaluationFailed` and rethrown.
 */
export async function evalField(
  ctx: StateCtx,
  location: string,
  template: unknown,
  b: JsonataBindings,
): Promise<unknown> {
  try {
    return await jsonataTemplate(template, b);
  } catch (e) {
    throw evaluationFailed(ctx, location, e);
  }
}

/** Output (default `fallback`) and Assign of a JSONata state, from their definitions `outputDef` and `assignDef`. */
export async function jsonataFinish(
  ctx: StateCtx,
  b: JsonataBindings,
  fallback: unknown,
  outputDef: unknown,
  assignDef: unknown,
): Promise<StepOut> {
  const output = outputDef !== undefined ? await evalField(ctx, 'Output', outputDef, b) : fallback;
  const assign = assignDef !== undefined ? await evalField(ctx, 'Assign', assignDef, b) : undefined;
  if (ctx.stages) Object.assign(ctx.stages, { Result: b.states.result, Output: output, Assign: assign });
  return { output, assign };
}
