/** Pass, Choice, Wait, Succeed and Fail (the state pages linked from https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html). */
import { Aborted, Failure } from '../errors';
import { evaluateRule, parseTimestamp } from '../choice';
import { applyPath, lookupRequired, payload, payloadPlan } from '../evaluate';
import { bindings, effectiveInput, evalField, jpScope, jsonataFinish, jsonPathFinish, queryError } from '../io';
import { resolveNumberField } from '../numberField';
import type { ChoiceRule } from '../../../../asl/src/states';
import type { StateCtx, StepOut } from '../types';

/** Pass: Result / Parameters are the result (JSONPath); Output (JSONata, default = input). */
export function pass(ctx: StateCtx<'Pass'>): StepOut | Promise<StepOut> {
  const { def } = ctx;
  if (ctx.ql === 'JSONata') {
    if (def.Output === undefined && def.Assign === undefined) return { output: ctx.input };
    return jsonataFinish(ctx, bindings(ctx, ctx.rt.baseContext(ctx)), ctx.input, def.Output, def.Assign);
  }
  const context = undefined;
  const effective = effectiveInput(ctx, context);
  let result: unknown;
  // a copy: the definition is shared by every execution of the machine
  if ('Result' in def)
    result = typeof def.Result === 'object' && def.Result !== null ? structuredClone(def.Result) : def.Result;
  else if (ctx.state.payloads.Parameters)
    result = payloadPlan(ctx.state.payloads.Parameters, jpScope(ctx, effective, context));
  else result = effective;
  return jsonPathFinish(ctx, context, result, undefined);
}

/** Succeed: InputPath → OutputPath, or JSONata Output. */
export function succeed(ctx: StateCtx<'Succeed'>): StepOut | Promise<StepOut> {
  const context = undefined;
  if (ctx.ql === 'JSONata') {
    if (ctx.def.Output === undefined) return { output: ctx.input, next: null };
    return jsonataFinish(ctx, bindings(ctx, ctx.rt.baseContext(ctx)), ctx.input, ctx.def.Output, undefined).then(
      (o) => ({ ...o, next: null }),
    );
  }
  const effective = effectiveInput(ctx, context);
  const out =
    ctx.def.OutputPath === undefined
      ? effective
      : applyPath(effective, ctx.def.OutputPath, jpScope(ctx, effective, context));
  return { output: out, next: null };
}

/** Fail: Error/Cause, ErrorPath/CausePath (path or intrinsic), or JSONata expressions. */
export function fail(ctx: StateCtx<'Fail'>): StepOut | Promise<StepOut> {
  const { def, input } = ctx;
  const context = ctx.rt.context(ctx);
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, context);
    // one after the other: a failing Error expression records one EvaluationFailed, not two
    return (async (): Promise<never> => {
      const e = await evalField(ctx, 'Error', def.Error, b);
      const c = await evalField(ctx, 'Cause', def.Cause, b);
      throw new Failure(asText(e, 'Error'), asText(c, 'Cause'));
    })();
  }
  const scope = jpScope(ctx, input, context);
  const error = typeof def.ErrorPath === 'string' ? lookupRequired(def.ErrorPath, scope, 'ErrorPath') : def.Error;
  const cause = typeof def.CausePath === 'string' ? lookupRequired(def.CausePath, scope, 'CausePath') : def.Cause;
  throw new Failure(asText(error, 'Error'), asText(cause, 'Cause'));
}

function asText(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw new Failure('States.Runtime', `The value of the field '${field}' must be a string, got ${JSON.stringify(v)}.`);
}

/** Choice: first matching rule wins; no match and no Default → States.NoChoiceMatched. */
export function choice(ctx: StateCtx<'Choice'>): StepOut | Promise<StepOut> {
  const { def } = ctx;
  const rules: ChoiceRule[] = Array.isArray(def.Choices) ? def.Choices : [];
  if (ctx.ql === 'JSONata') return choiceJsonata(ctx, rules, ctx.rt.baseContext(ctx));
  const context = undefined;
  const effective = effectiveInput(ctx, context);
  const scope = jpScope(ctx, effective, context);
  let next: string | undefined;
  let ruleAssign: unknown;
  for (const rule of rules) {
    if (evaluateRule(rule, scope)) {
      next = rule.Next;
      ruleAssign = rule.Assign;
      break;
    }
  }
  if (next === undefined) {
    if (typeof def.Default !== 'string') throw new Failure('States.NoChoiceMatched', 'No Matches!');
    next = def.Default;
  }
  // the state-level Assign applies whichever rule matched; the rule's own Assign adds to it (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html)
  const assignPlan = ctx.state.payloads.Assign;
  const assign = mergeAssign(
    assignPlan ? payloadPlan(assignPlan, scope) : undefined,
    ruleAssign !== undefined ? payload(ruleAssign, scope) : undefined,
  );
  const out =
    def.OutputPath === undefined ? effective : applyPath(effective, def.OutputPath, jpScope(ctx, effective, context));
  return { output: out, next, assign };
}

async function choiceJsonata(ctx: StateCtx<'Choice'>, rules: ChoiceRule[], context: unknown): Promise<StepOut> {
  const { def } = ctx;
  const b = bindings(ctx, context);
  for (const rule of rules) {
    const c = await evalField(ctx, 'Condition', rule.Condition, b);
    if (typeof c !== 'boolean') {
      throw queryError(
        ctx,
        'Condition',
        `The Condition '${String(rule.Condition)}' returned ${JSON.stringify(c) ?? 'undefined'}, not a boolean.`,
      );
    }
    if (c) {
      const o = await jsonataFinish(ctx, b, ctx.input, rule.Output ?? def.Output, def.Assign);
      const own = rule.Assign !== undefined ? await evalField(ctx, 'Assign', rule.Assign, b) : undefined;
      return { ...o, assign: mergeAssign(o.assign, own), next: rule.Next };
    }
  }
  if (typeof def.Default !== 'string') throw new Failure('States.NoChoiceMatched', 'No Matches!');
  const o = await jsonataFinish(ctx, b, ctx.input, def.Output, def.Assign);
  return { ...o, next: def.Default };
}

function mergeAssign(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...(a as object), ...(b as object) };
}

/** Wait: Seconds / Timestamp / SecondsPath / TimestampPath (scaled by the clock). */
export async function wait(ctx: StateCtx<'Wait'>): Promise<StepOut> {
  const { def, rt } = ctx;
  const context = rt.context(ctx);
  let seconds: number | undefined;
  let timestamp: unknown;
  let effective = ctx.input;
  if (ctx.ql === 'JSONata') {
    const b = bindings(ctx, context);
    seconds = await resolveNumberField(ctx, def, 'Seconds', ctx.input, context);
    if (def.Timestamp !== undefined) timestamp = await evalField(ctx, 'Timestamp', def.Timestamp, b);
  } else {
    effective = effectiveInput(ctx, context);
    const scope = jpScope(ctx, effective, context);
    if (def.Seconds !== undefined || typeof def.SecondsPath === 'string')
      seconds = await resolveNumberField(ctx, def, 'Seconds', effective, context);
    else if (def.Timestamp !== undefined) timestamp = def.Timestamp;
    else if (typeof def.TimestampPath === 'string')
      timestamp = lookupRequired(def.TimestampPath, scope, 'TimestampPath');
  }
  let ms = 0;
  if (seconds !== undefined) ms = Math.max(0, seconds) * 1000;
  else if (timestamp !== undefined) {
    const t = parseTimestamp(timestamp);
    if (!t)
      throw new Failure(
        'States.Runtime',
        `The timestamp ${JSON.stringify(timestamp)} is not a valid RFC3339 timestamp.`,
      );
    ms = Math.max(0, t[0] - rt.opts.clock.now());
  }
  if (!(await rt.opts.clock.sleep(ms, ctx.frame.signal))) {
    rt.event(ctx.frame, 'WaitStateAborted');
    throw new Aborted();
  }
  if (ctx.ql === 'JSONata') return jsonataFinish(ctx, bindings(ctx, context), ctx.input, def.Output, def.Assign);
  const scope = jpScope(ctx, effective, context);
  const assignPlan = ctx.state.payloads.Assign;
  const assign = assignPlan ? payloadPlan(assignPlan, scope) : undefined;
  const out = def.OutputPath === undefined ? effective : applyPath(effective, def.OutputPath, scope);
  return { output: out, assign };
}
