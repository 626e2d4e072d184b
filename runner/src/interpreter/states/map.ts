/**
 * Map state, inline and distributed over items in the input (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html):
 * ItemsPath/Items, ItemSelector (or the older Parameters), ItemBatcher, MaxConcurrency(Path),
 * ToleratedFailureCount/Percentage(Path). Without a tolerance the first failing iteration
 * aborts the others and the Map fails with its error; over a configured tolerance the Map
 * fails with States.ExceedToleratedFailureThreshold.
 */
import { HistoryRecorder } from '../../history';
import { Aborted, Failure, toFailure } from '../errors';
import { applyPath, lookupRequired, payload, payloadPlan, safeStringify } from '../evaluate';
import { bindings, effectiveInput, evalField, jpScope, jsonataFinish, jsonPathFinish, queryError } from '../io';
import { withRetry } from '../retry';
import type { ItemBatcher, MapState } from '../../../../asl/src/states';
import { childAbort } from '../abort';
import type { Frame, StateCtx, StepOut } from '../types';

export function map(ctx: StateCtx<'Map'>): Promise<StepOut> {
  return withRetry(ctx, (retryCount) => attempt(ctx, retryCount));
}

type NumberField =
  | 'MaxConcurrency'
  | 'ToleratedFailureCount'
  | 'ToleratedFailurePercentage'
  | 'MaxItemsPerBatch'
  | 'MaxInputBytesPerBatch';

/** Reads a number field given directly, by `<field>Path` (JSONPath) or as JSONata. */
async function numberField<F extends NumberField>(
  ctx: StateCtx<'Map'>,
  holder: Partial<Record<F | `${F}Path`, unknown>>,
  field: F,
  scopeInput: unknown,
  context: unknown,
): Promise<number | undefined> {
  let v: unknown = holder[field];
  const pathText = holder[`${field}Path`];
  if (ctx.ql === 'JSONata') v = await evalField(ctx, field, v, bindings(ctx, context));
  else if (typeof pathText === 'string')
    v = lookupRequired(pathText, jpScope(ctx, scopeInput, context), field + 'Path');
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    const cause = `The field '${field}' must be a non-negative number, got ${JSON.stringify(v)}.`;
    throw ctx.ql === 'JSONata' ? queryError(ctx, field, cause) : new Failure('States.Runtime', cause);
  }
  return v;
}

async function attempt(ctx: StateCtx<'Map'>, retryCount: number): Promise<StepOut> {
  const { def, rt, frame, name } = ctx;
  const context = rt.context(ctx, retryCount);
  const jsonataMode = ctx.ql === 'JSONata';
  const effective = jsonataMode ? ctx.input : effectiveInput(ctx, context);
  let items: unknown;
  if (def.ItemReader !== undefined) throw new Failure('States.ItemReaderFailed', itemReaderCause(name, def.ItemReader));
  if (jsonataMode)
    items = def.Items !== undefined ? await evalField(ctx, 'Items', def.Items, bindings(ctx, context)) : ctx.input;
  else
    items =
      def.ItemsPath !== undefined ? applyPath(effective, def.ItemsPath, jpScope(ctx, effective, context)) : effective;
  if (!Array.isArray(items)) {
    const cause = `The items of the Map state '${name}' must be a JSON array, got ${safeStringify(items).slice(0, 200)}.`;
    throw jsonataMode ? queryError(ctx, 'Items', cause) : new Failure('States.Runtime', cause);
  }
  const maxConcurrency = (await numberField(ctx, def, 'MaxConcurrency', effective, context)) ?? 0;
  const toleratedCount = await numberField(ctx, def, 'ToleratedFailureCount', effective, context);
  const toleratedPct = await numberField(ctx, def, 'ToleratedFailurePercentage', effective, context);
  const tolerance = toleratedCount !== undefined || toleratedPct !== undefined;
  const processor = ctx.state.scopes[0]!;
  const distributed = processor.distributed;
  // ItemSelector (JSONata), or the planned ItemSelector / Parameters (JSONPath)
  const jsonataSelector = jsonataMode ? def.ItemSelector : undefined;
  const selectorPlan = jsonataMode ? undefined : ctx.state.payloads.Parameters;

  // the input of each iteration: ItemSelector per item, then ItemBatcher grouping
  const select = (index: number, value: unknown): unknown => {
    if (jsonataSelector === undefined && selectorPlan === undefined) return value;
    // assigned, not spread: V8 makes a spread copy that gains a property much slower
    const c: Record<string, unknown> = Object.assign({}, context);
    c.Map = { Item: { Index: index, Value: value } };
    if (selectorPlan === undefined) return evalField(ctx, 'ItemSelector', jsonataSelector, bindings(ctx, c));
    return payloadPlan(selectorPlan, jpScope(ctx, effective, c));
  };
  let inputs: { value: unknown; item: unknown }[] | undefined;
  if (def.ItemBatcher && typeof def.ItemBatcher === 'object') {
    inputs = await batches(ctx, def.ItemBatcher, items, select, effective, context);
  }
  const count = inputs ? inputs.length : items.length;

  const mapRunArn = `${rt.opts.executionArn.replace(':execution:', ':mapRun:')}/${name}:${retryCount}`;
  if (distributed) rt.event(frame, 'MapRunStarted', { mapRunArn });
  else rt.event(frame, 'MapStateStarted', { length: count });
  const startId = frame.prev;
  const { controller, release } = childAbort(frame.signal);
  const results: unknown[] = new Array(count);
  let failures = 0;
  let mapFailure: Failure | undefined;
  const over = (): boolean =>
    !tolerance ||
    (toleratedCount !== undefined && failures > toleratedCount) ||
    (toleratedPct !== undefined && (failures / Math.max(1, count)) * 100 > toleratedPct);

  const runOne = async (index: number): Promise<void> => {
    const rawItem = inputs ? inputs[index]!.item : items[index];
    const f: Frame = {
      vars: distributed ? {} : { ...frame.vars },
      prev: startId,
      signal: controller.signal,
      history: distributed ? new HistoryRecorder(rt.opts.clock.now) : frame.history,
      item: { Index: index, Value: rawItem },
    };
    const it = { name, index };
    if (!distributed) rt.event(f, 'MapIterationStarted', it);
    try {
      let input = inputs ? inputs[index]!.value : select(index, rawItem);
      if (input instanceof Promise) input = await input;
      results[index] = await rt.runScope(processor, input, f);
      if (!distributed) rt.event(f, 'MapIterationSucceeded', it);
    } catch (e) {
      if (e instanceof Aborted || controller.signal.aborted) {
        if (!distributed) rt.event(f, 'MapIterationAborted', it);
        return;
      }
      const failure = toFailure(e);
      failures++;
      results[index] = failure.errorOutput();
      if (!distributed) rt.event(f, 'MapIterationFailed', it);
      if (
        mapFailure === undefined &&
        (over() || failure.error === 'States.Runtime' || failure.error === 'States.DataLimitExceeded')
      ) {
        mapFailure =
          tolerance && failure.error !== 'States.Runtime'
            ? new Failure(
                'States.ExceedToleratedFailureThreshold',
                `The specified tolerated failure threshold was exceeded (${failures} of ${count} items failed).`,
              )
            : failure;
        controller.abort();
      }
    } finally {
      // the iteration's scope is gone: its variables no longer count (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
      rt.releaseVariables(f);
    }
  };

  const limit = maxConcurrency > 0 ? Math.min(maxConcurrency, count) : count;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !controller.signal.aborted) await runOne(next++);
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < limit; w++) workers.push(worker());
  await Promise.all(workers);
  release();
  if (!distributed) frame.prev = frame.history.lastId;
  if (frame.signal.aborted) {
    rt.event(frame, distributed ? 'MapRunAborted' : 'MapStateAborted');
    throw new Aborted();
  }
  if (mapFailure) {
    if (distributed) {
      const d: Record<string, unknown> = {};
      if (mapFailure.error !== undefined) d.error = mapFailure.error;
      if (mapFailure.causeText !== undefined) d.cause = mapFailure.causeText;
      rt.event(frame, 'MapRunFailed', d);
    } else rt.event(frame, 'MapStateFailed');
    throw mapFailure;
  }
  rt.event(frame, distributed ? 'MapRunSucceeded' : 'MapStateSucceeded');
  if (def.ResultWriter !== undefined)
    rt.opts.log(`Map state '${name}': ResultWriter is ignored locally; the results are the state's result.`, name);
  if (jsonataMode)
    return jsonataFinish(ctx, bindings(ctx, context, { result: results }), results, def.Output, def.Assign);
  return jsonPathFinish(ctx, context, results, ctx.state.payloads.ResultSelector);
}

/**
 * The cause of States.ItemReaderFailed: local runs read no S3 objects or listings, so the
 * message says what does work (items already in the input, ItemsPath / Items).
 */
export function itemReaderCause(name: string, reader: MapState['ItemReader']): string {
  const resource =
    reader && typeof reader === 'object' && typeof reader.Resource === 'string' ? ` (${reader.Resource})` : '';
  return (
    `The Map state '${name}' reads its items with an ItemReader${resource}, which local runs do not support. ` +
    'Locally a Map (inline or distributed) iterates over an array that is already in the state input: ' +
    'remove the ItemReader and select the array with ItemsPath (JSONPath) or Items (JSONata).'
  );
}

/** Groups the selected items into `{Items: [...], BatchInput?}` inputs (ItemBatcher). */
async function batches(
  ctx: StateCtx<'Map'>,
  b: ItemBatcher,
  items: unknown[],
  select: (i: number, v: unknown) => unknown,
  effective: unknown,
  context: unknown,
): Promise<{ value: unknown; item: unknown }[]> {
  const maxItems = (await numberField(ctx, b, 'MaxItemsPerBatch', effective, context)) || Infinity;
  const maxBytes = (await numberField(ctx, b, 'MaxInputBytesPerBatch', effective, context)) || Infinity;
  let batchInput: unknown;
  if (b.BatchInput !== undefined) {
    batchInput =
      ctx.ql === 'JSONata'
        ? await evalField(ctx, 'ItemBatcher', b.BatchInput, bindings(ctx, context))
        : payload(b.BatchInput, jpScope(ctx, effective, context));
  }
  const out: { value: unknown; item: unknown }[] = [];
  let cur: unknown[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (!cur.length) return;
    const value: Record<string, unknown> = { Items: cur };
    if (batchInput !== undefined) value.BatchInput = batchInput;
    out.push({ value, item: value });
    cur = [];
    bytes = 0;
  };
  for (let i = 0; i < items.length; i++) {
    const v = await select(i, items[i]);
    const size = Buffer.byteLength(safeStringify(v));
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) flush();
    cur.push(v);
    bytes += size;
  }
  flush();
  return out;
}
