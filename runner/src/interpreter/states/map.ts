/**
 * Map state, inline and distributed (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html): items from
 * ItemsPath/Items or an ItemReader (distributedMap/itemReader.ts), ItemSelector (or the older
 * Parameters), ItemBatcher, MaxConcurrency(Path), ToleratedFailureCount/Percentage(Path) and a
 * ResultWriter (distributedMap/resultWriter.ts).
 *
 * Inline: without a tolerance the first failing iteration aborts the others and the Map fails
 * with its error; over a configured tolerance with States.ExceedToleratedFailureThreshold.
 * Distributed: every item (or batch) is a child execution with its own history; the Map Run
 * fails with States.ExceedToleratedFailureThreshold as soon as more items failed than tolerated
 * (none when no tolerance is set), and the parent's history shows the Map Run events.
 */
import { randomUUID } from 'node:crypto';
import { HistoryRecorder } from '../../history';
import { LocalS3 } from '../../s3/localS3';
import { Aborted, Failure, toFailure } from '../errors';
import { applyPath, payload, payloadPlan, safeStringify } from '../evaluate';
import { bindings, effectiveInput, evalField, jpScope, jsonataFinish, jsonPathFinish, queryError } from '../io';
import { withRetry } from '../retry';
import { resolveNumberField } from '../numberField';
import type { ItemBatcher } from '../../../../asl/src/states';
import { childAbort } from '../abort';
import type { Frame, StateCtx, StepOut } from '../types';
import { readItems } from './distributedMap/itemReader';
import { MapRunCounter } from './distributedMap/progress';
import {
  transformResults,
  writeResults,
  writerPlan,
  type ChildRun,
  type WriterPlan,
} from './distributedMap/resultWriter';

export function map(ctx: StateCtx<'Map'>): Promise<StepOut> {
  return withRetry(ctx, (retryCount) => attempt(ctx, retryCount));
}

/** One iteration (inline) or child execution (distributed): its input and the number of items it carries. */
interface Job {
  value: unknown;
  item: unknown;
  items: number;
}

async function attempt(ctx: StateCtx<'Map'>, retryCount: number): Promise<StepOut> {
  const { def, rt, frame, name } = ctx;
  const context = rt.context(ctx, retryCount);
  const jsonataMode = ctx.ql === 'JSONata';
  const effective = jsonataMode ? ctx.input : effectiveInput(ctx, context);
  const processor = ctx.state.scopes[0]!;
  const distributed = processor.distributed;
  const reading = def.ItemReader !== undefined;
  let items: unknown[] | undefined;
  if (!reading) {
    const selected = jsonataMode
      ? def.Items !== undefined
        ? await evalField(ctx, 'Items', def.Items, bindings(ctx, context))
        : ctx.input
      : def.ItemsPath !== undefined
        ? applyPath(effective, def.ItemsPath, jpScope(ctx, effective, context))
        : effective;
    if (!Array.isArray(selected)) {
      const cause = `The items of the Map state '${name}' must be a JSON array, got ${safeStringify(selected).slice(0, 200)}.`;
      throw jsonataMode ? queryError(ctx, 'Items', cause) : new Failure('States.Runtime', cause);
    }
    items = selected;
  }
  const maxConcurrency = (await resolveNumberField(ctx, def, 'MaxConcurrency', effective, context)) ?? 0;
  const toleratedCount = await resolveNumberField(ctx, def, 'ToleratedFailureCount', effective, context);
  const toleratedPct = await resolveNumberField(ctx, def, 'ToleratedFailurePercentage', effective, context);
  const tolerance = toleratedCount !== undefined || toleratedPct !== undefined;
  const s3 = reading || def.ResultWriter !== undefined ? new LocalS3(rt.opts.config, rt.opts.baseDir) : undefined;

  // the Map Run and its child executions (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html)
  const { region, accountId, stateMachineName } = rt.opts;
  const label = typeof def.Label === 'string' && def.Label ? def.Label : name;
  const childMachine = `${stateMachineName}/${label}`;
  const mapRunArn = `arn:aws:states:${region}:${accountId}:mapRun:${childMachine}:${randomUUID()}`;
  const childMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${childMachine}`;
  const childMachineContext = { Id: childMachineArn, Name: childMachine };
  const childArnPrefix = `arn:aws:states:${region}:${accountId}:${processor.executionType === 'EXPRESS' ? 'express' : 'execution'}:${childMachine}:`;

  // an ItemReader's items are not known yet when the Map starts (length 0, as AWS records it)
  rt.event(frame, 'MapStateStarted', { length: items ? items.length : 0 });
  if (distributed) rt.event(frame, 'MapRunStarted', { mapRunArn });
  // counted only while someone listens (DescribeMapRun of `serve`)
  const progress =
    distributed && rt.opts.onMapRun
      ? new MapRunCounter(
          {
            mapRunArn,
            executionArn: typeof frame.execution?.Id === 'string' ? frame.execution.Id : rt.opts.executionArn,
            stateMachineArn: childMachineArn,
            startDate: rt.opts.clock.now(),
            maxConcurrency,
            toleratedFailureCount: toleratedCount ?? 0,
            toleratedFailurePercentage: toleratedPct ?? 0,
          },
          rt.opts.onMapRun,
        )
      : undefined;
  const mapRunFailed = (f: Failure): Failure => {
    if (distributed) {
      const d: Record<string, unknown> = {};
      if (f.error !== undefined) d.error = f.error;
      if (f.causeText !== undefined) d.cause = f.causeText;
      rt.event(frame, 'MapRunFailed', d);
      progress?.finished('FAILED', rt.opts.clock.now());
    }
    rt.event(frame, 'MapStateFailed');
    return f;
  };

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
  let jobs: Job[] | undefined;
  let writer: WriterPlan | undefined;
  try {
    if (!items) items = await readItems(ctx, s3!, effective, context);
    // before any child runs: an unmapped result bucket fails at once
    if (s3) writer = await writerPlan(ctx, s3, effective, context);
    if (def.ItemBatcher && typeof def.ItemBatcher === 'object')
      jobs = await batches(ctx, def.ItemBatcher, items, select, effective, context);
  } catch (e) {
    if (e instanceof Aborted) throw e;
    throw mapRunFailed(toFailure(e));
  }
  const allItems = items;
  const count = jobs ? jobs.length : allItems.length;
  const totalItems = allItems.length;
  progress?.planned(totalItems, count);

  const startId = frame.prev;
  const { controller, release } = childAbort(frame.signal);
  // one signal per running iteration, aborted from one listener: thousands of task attempts
  // listening to one shared signal make every addEventListener scan them all
  const live = new Set<AbortController>();
  controller.signal.addEventListener('abort', () => live.forEach((c) => c.abort()), { once: true });
  const results: unknown[] = new Array(count);
  // by job index; a job that never started has no child execution
  const children: ChildRun[] | undefined = writer ? new Array<ChildRun>(count) : undefined;
  let failedItems = 0;
  let mapFailure: Failure | undefined;
  // asked after a failure: without a tolerance no item may fail
  const over = (): boolean =>
    !tolerance ||
    (toleratedCount !== undefined && failedItems > toleratedCount) ||
    (toleratedPct !== undefined && (failedItems / Math.max(1, totalItems)) * 100 > toleratedPct);

  const runOne = async (index: number): Promise<void> => {
    const job = jobs?.[index];
    const own = new AbortController();
    live.add(own);
    const rawItem = job ? job.item : allItems[index];
    const carried = job ? job.items : 1;
    progress?.started(carried);
    const f: Frame = {
      vars: distributed ? {} : { ...frame.vars },
      prev: startId,
      signal: own.signal,
      history: distributed ? new HistoryRecorder(rt.opts.clock.now) : frame.history,
      item: { Index: index, Value: rawItem },
    };
    const it = { name, index };
    const startMs = rt.opts.clock.now();
    const childName = distributed ? randomUUID() : '';
    const child: Partial<ChildRun> | undefined = children ? {} : undefined;
    if (!distributed) rt.event(f, 'MapIterationStarted', it);
    let input: unknown;
    try {
      input = job ? job.value : select(index, rawItem);
      if (input instanceof Promise) input = await input;
      // a child execution has its own $$.Execution and $$.StateMachine
      if (distributed) {
        f.execution = {
          Id: childArnPrefix + childName,
          Input: input,
          StartTime: new Date(startMs).toISOString(),
          Name: childName,
          RoleArn: rt.opts.roleArn,
          RedriveCount: 0,
        };
        f.machine = childMachineContext;
      }
      results[index] = await rt.runScope(processor, input, f);
      if (child) Object.assign(child, { status: 'SUCCEEDED', output: results[index] });
      progress?.ended(carried, 'succeeded');
      if (!distributed) rt.event(f, 'MapIterationSucceeded', it);
    } catch (e) {
      if (e instanceof Aborted || controller.signal.aborted) {
        if (child) child.status = 'ABORTED';
        progress?.ended(carried, 'aborted');
        if (!distributed) rt.event(f, 'MapIterationAborted', it);
        return;
      }
      const failure = toFailure(e);
      failedItems += carried;
      progress?.ended(carried, 'failed');
      results[index] = failure.errorOutput();
      if (child) Object.assign(child, { status: 'FAILED', error: failure.error, cause: failure.causeText });
      if (!distributed) rt.event(f, 'MapIterationFailed', it);
      if (
        mapFailure === undefined &&
        (over() ||
          (!distributed && (failure.error === 'States.Runtime' || failure.error === 'States.DataLimitExceeded')))
      ) {
        // a child execution's own error never becomes the Map's: its Map Run fails as a whole
        mapFailure =
          distributed || (tolerance && failure.error !== 'States.Runtime')
            ? new Failure(
                'States.ExceedToleratedFailureThreshold',
                `The specified tolerated failure threshold was exceeded (${failedItems} of ${totalItems} items failed).`,
              )
            : failure;
        controller.abort();
      }
    } finally {
      // the iteration's scope is gone: its variables no longer count (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
      rt.releaseVariables(f);
      live.delete(own);
      if (child && children) {
        children[index] = {
          ...(child as ChildRun),
          name: childName,
          arn: childArnPrefix + childName,
          input,
          startMs,
          stopMs: rt.opts.clock.now(),
          status: child.status ?? 'ABORTED',
        };
      }
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
    progress?.finished('ABORTED', rt.opts.clock.now());
    throw new Aborted();
  }
  let result: unknown = results;
  const ran = children?.filter((c) => c !== undefined) ?? [];
  try {
    // results of a failed Map Run are written too: they show what failed
    if (writer?.bucket !== undefined) {
      result = writeResults(s3!, { ...writer, bucket: writer.bucket }, mapRunArn, childMachineArn, ran);
      progress?.written();
    } else if (writer) result = transformResults(writer, results, ran, childMachineArn);
  } catch (e) {
    mapFailure ??= toFailure(e);
  }
  if (mapFailure) throw mapRunFailed(mapFailure);
  if (distributed) rt.event(frame, 'MapRunSucceeded');
  progress?.finished('SUCCEEDED', rt.opts.clock.now());
  rt.event(frame, 'MapStateSucceeded');
  if (jsonataMode) return jsonataFinish(ctx, bindings(ctx, context, { result }), result, def.Output, def.Assign);
  return jsonPathFinish(ctx, context, result, ctx.state.payloads.ResultSelector);
}

/** Groups the selected items into `{Items: [...], BatchInput?}` inputs (ItemBatcher). */
async function batches(
  ctx: StateCtx<'Map'>,
  b: ItemBatcher,
  items: unknown[],
  select: (i: number, v: unknown) => unknown,
  effective: unknown,
  context: unknown,
): Promise<Job[]> {
  const maxItems = (await resolveNumberField(ctx, b, 'MaxItemsPerBatch', effective, context)) ?? Infinity;
  const maxBytes = (await resolveNumberField(ctx, b, 'MaxInputBytesPerBatch', effective, context)) ?? Infinity;
  let batchInput: unknown;
  if (b.BatchInput !== undefined) {
    batchInput =
      ctx.ql === 'JSONata'
        ? await evalField(ctx, 'ItemBatcher', b.BatchInput, bindings(ctx, context))
        : payload(b.BatchInput, jpScope(ctx, effective, context));
  }
  const out: Job[] = [];
  let cur: unknown[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (!cur.length) return;
    // BatchInput first, as AWS shows a batch
    const value: Record<string, unknown> =
      batchInput !== undefined ? { BatchInput: batchInput, Items: cur } : { Items: cur };
    out.push({ value, item: value, items: cur.length });
    cur = [];
    bytes = 0;
  };
  for (let i = 0; i < items.length; i++) {
    let v = select(i, items[i]);
    if (v instanceof Promise) v = await v;
    const size = maxBytes === Infinity ? 0 : Buffer.byteLength(safeStringify(v));
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) flush();
    cur.push(v);
    bytes += size;
  }
  flush();
  return out;
}
