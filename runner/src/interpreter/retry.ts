/**
 * Retry and Catch around one attempt of a Task, Map or Parallel state
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). Retriers
 * are checked first (per-retrier counts, back-off with BackoffRate,
 * MaxDelaySeconds and FULL jitter); then the first matching catcher turns the failure into
 * the state's output and picks the next state.
 */
import { Aborted, errorMatches, Failure, isTerminal, toFailure } from './errors';
import { payload, resultPath } from './evaluate';
import { bindings, jpScope, jsonataFinish } from './io';
import type { Catcher, Retrier } from '../../../asl/src/states';
import type { StateCtx, StepOut } from './types';

/** Delay before retry number `n` (0-based) of a retrier, in ms (before the clock's scale). */
export function retryDelayMs(r: Omit<Retrier, 'ErrorEquals'>, n: number, random: () => number = Math.random): number {
  const interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1;
  const rate = typeof r.BackoffRate === 'number' ? r.BackoffRate : 2;
  let seconds = interval * Math.pow(rate, n);
  if (typeof r.MaxDelaySeconds === 'number') seconds = Math.min(seconds, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') seconds = random() * seconds;
  return seconds * 1000;
}

/**
 * Runs `attempt(retryCount)` until it succeeds, the retriers give up, or a catcher takes
 * the failure. Failures nothing matches escape as Failure.
 */
export async function withRetry(
  ctx: StateCtx<'Task' | 'Parallel' | 'Map'>,
  attempt: (retryCount: number) => Promise<StepOut>,
): Promise<StepOut> {
  const retriers: Retrier[] = Array.isArray(ctx.def.Retry) ? ctx.def.Retry : [];
  const catchers: Catcher[] = Array.isArray(ctx.def.Catch) ? ctx.def.Catch : [];
  const counts = retriers.map(() => 0);
  let retryCount = 0;
  for (;;) {
    let failure: Failure;
    try {
      return await attempt(retryCount);
    } catch (e) {
      if (e instanceof Aborted) throw e;
      failure = toFailure(e);
    }
    if (ctx.frame.signal.aborted) throw new Aborted();
    // the debugger sees each failed attempt before Retry and Catch handle it
    const observer = ctx.rt.opts.observer;
    if (observer) await observer.attemptFailed(ctx, failure);
    // terminal failures are never retried (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    if (!isTerminal(failure)) {
      const i = retriers.findIndex((r) => errorMatches(r.ErrorEquals, failure));
      if (i >= 0) {
        const r = retriers[i]!;
        const max = typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3;
        if (counts[i]! < max) {
          const delay = retryDelayMs(r, counts[i]!);
          counts[i]!++;
          retryCount++;
          if (!(await ctx.rt.opts.clock.sleep(delay, ctx.frame.signal))) throw new Aborted();
          continue;
        }
      }
    }
    if (failure.error === 'States.Runtime') throw failure;
    const c = catchers.find((x) => errorMatches(x.ErrorEquals, failure));
    if (!c) throw failure;
    return caught(ctx, c, failure);
  }
}

/** The output, Assign and Next of a catcher (JSONPath ResultPath / JSONata Output). */
async function caught(ctx: StateCtx, c: Catcher, f: Failure): Promise<StepOut> {
  const errorOutput = f.errorOutput();
  const context = ctx.rt.context(ctx);
  if (ctx.ql === 'JSONata') {
    const o = await jsonataFinish(ctx, bindings(ctx, context, { errorOutput }), errorOutput, c.Output, c.Assign);
    return { ...o, next: c.Next };
  }
  const assign = c.Assign !== undefined ? payload(c.Assign, jpScope(ctx, errorOutput, context)) : undefined;
  return { output: resultPath(ctx.input, c.ResultPath, errorOutput), assign, next: c.Next };
}
