/**
 * Parallel state: every branch gets the same input; the output is the array of branch
 * outputs in order. A failing branch aborts its siblings and the Parallel fails with that
 * branch's error (matchable by the Parallel's own Retry/Catch) —
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html; aborted `.sync` work gets a best-effort cancel
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html).
 */
import { Aborted, Failure } from '../errors';
import { payloadPlan } from '../evaluate';
import { bindings, effectiveInput, evalField, jpScope, jsonataFinish, jsonPathFinish } from '../io';
import { withRetry } from '../retry';
import { childAbort } from '../abort';
import type { Frame, StateCtx, StepOut } from '../types';

export function parallel(ctx: StateCtx<'Parallel'>): Promise<StepOut> {
  return withRetry(ctx, (retryCount) => attempt(ctx, retryCount));
}

async function attempt(ctx: StateCtx<'Parallel'>, retryCount: number): Promise<StepOut> {
  const { def, rt, frame } = ctx;
  const context = rt.context(ctx, retryCount);
  let branchInput: unknown;
  if (ctx.ql === 'JSONata') {
    // without Arguments every branch gets the state input, like JSONPath without Parameters
    branchInput =
      def.Arguments !== undefined
        ? await evalField(ctx, 'Arguments', def.Arguments, bindings(ctx, context))
        : ctx.input;
  } else {
    const effective = effectiveInput(ctx, context);
    const parameters = ctx.state.payloads.Parameters;
    branchInput = parameters ? payloadPlan(parameters, jpScope(ctx, effective, context)) : effective;
  }
  rt.event(frame, 'ParallelStateStarted');
  const { controller, release } = childAbort(frame.signal);
  let failure: unknown;
  const startId = frame.prev;
  const settled = await Promise.all(
    ctx.state.scopes.map((branch) => {
      const f: Frame = { vars: { ...frame.vars }, prev: startId, signal: controller.signal, history: frame.history };
      return rt.runScope(branch, branchInput, f).then(
        (v) => {
          rt.releaseVariables(f);
          return { ok: true as const, v };
        },
        (e: unknown) => {
          rt.releaseVariables(f);
          if (failure === undefined && !(e instanceof Aborted)) {
            failure = e;
            controller.abort();
          }
          return { ok: false as const, v: undefined };
        },
      );
    }),
  );
  release();
  frame.prev = frame.history.lastId;
  if (frame.signal.aborted) {
    rt.event(frame, 'ParallelStateAborted');
    throw new Aborted();
  }
  if (failure !== undefined) {
    rt.event(frame, 'ParallelStateFailed');
    throw failure instanceof Failure ? failure : new Failure('States.Runtime', String(failure));
  }
  rt.event(frame, 'ParallelStateSucceeded');
  const result = settled.map((s) => s.v);
  if (ctx.ql === 'JSONata')
    return jsonataFinish(ctx, bindings(ctx, context, { result }), result, def.Output, def.Assign);
  return jsonPathFinish(ctx, context, result, ctx.state.payloads.ResultSelector);
}
