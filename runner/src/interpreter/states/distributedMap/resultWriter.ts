/**
 * ResultWriter of a Distributed Map (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
 * with `Resource: arn:aws:states:::s3:putObject` the child executions' results go to
 * `<Prefix>/<map run id>/` in a local stand-in of the bucket (runner/src/s3/localS3.ts) —
 * `manifest.json` plus one `SUCCEEDED_0.json` / `FAILED_0.json` / `PENDING_0.json` per status
 * that has results — and the Map's result becomes `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`.
 * WriterConfig chooses the Transformation (NONE, COMPACT, FLATTEN) and the OutputType (JSON, JSONL).
 * Whatever goes wrong fails the state with States.ResultWriterFailed.
 */
import { LocalS3, S3StandInError } from '../../../s3/localS3';
import { Failure } from '../../errors';
import { payload, safeStringify } from '../../evaluate';
import { bindings, evalField, jpScope } from '../../io';
import type { StateCtx } from '../../types';

const WRITER_FAILED = 'States.ResultWriterFailed';

/** One child execution of a Map Run and how it ended. */
export interface ChildRun {
  name: string;
  arn: string;
  input: unknown;
  startMs: number;
  stopMs: number;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** What a ResultWriter asks for, evaluated when the Map state starts. */
export interface WriterPlan {
  /** undefined when the results stay in the state output (WriterConfig only) */
  bucket?: string;
  prefix: string;
  transformation: 'NONE' | 'COMPACT' | 'FLATTEN';
  outputType: 'JSON' | 'JSONL';
}

/**
 * The number in a result file's name (`SUCCEEDED_0.json`). AWS splits large exports over
 * several numbered files; locally all results of one status go into file 0 (local behaviour).
 */
const FILE_INDEX = 0;

/** The ResultWriter of the Map state `ctx` evaluated against its input; undefined without one. */
export async function writerPlan(
  ctx: StateCtx<'Map'>,
  s3: LocalS3,
  effective: unknown,
  context: unknown,
): Promise<WriterPlan | undefined> {
  const w = ctx.def.ResultWriter;
  if (!w || typeof w !== 'object' || Array.isArray(w)) return undefined;
  const writer = w as Record<string, unknown>;
  const config = (writer.WriterConfig && typeof writer.WriterConfig === 'object' ? writer.WriterConfig : {}) as Record<
    string,
    unknown
  >;
  const fail = (cause: string): Failure =>
    new Failure(WRITER_FAILED, `The ResultWriter of the Map state '${ctx.name}' ${cause}`);
  const transformation = config.Transformation ?? (writer.Resource === undefined ? 'COMPACT' : 'NONE');
  if (transformation !== 'NONE' && transformation !== 'COMPACT' && transformation !== 'FLATTEN')
    throw fail(`has the Transformation ${JSON.stringify(transformation)}; use NONE, COMPACT or FLATTEN.`);
  const outputType = config.OutputType ?? 'JSON';
  if (outputType !== 'JSON' && outputType !== 'JSONL')
    throw fail(`has the OutputType ${JSON.stringify(outputType)}; use JSON or JSONL.`);
  const plan: WriterPlan = { prefix: '', transformation, outputType };
  if (writer.Resource === undefined) return plan;
  if (typeof writer.Resource !== 'string' || !/^arn:aws[\w-]*:states:::s3:putObject$/.test(writer.Resource))
    throw fail(
      `uses the resource ${JSON.stringify(writer.Resource)}; results are written with arn:aws:states:::s3:putObject.`,
    );
  const params =
    ctx.ql === 'JSONata'
      ? await evalField(ctx, 'ResultWriter', writer.Arguments ?? {}, bindings(ctx, context))
      : payload(writer.Parameters ?? {}, jpScope(ctx, effective, context));
  const p = (params && typeof params === 'object' ? params : {}) as Record<string, unknown>;
  if (typeof p.Bucket !== 'string' || !p.Bucket) throw fail('needs a Bucket name (a string).');
  if (p.Prefix !== undefined && typeof p.Prefix !== 'string') throw fail('has a Prefix that is not a string.');
  plan.bucket = p.Bucket;
  plan.prefix = p.Prefix ?? '';
  // an unmapped bucket or a refused prefix fails before any child execution runs (the map run
  // id is not known yet: any id stands for it)
  try {
    s3.file(plan.bucket, folderOf(plan.prefix, 'id') + 'manifest.json');
  } catch (e) {
    if (e instanceof S3StandInError) throw new Failure(WRITER_FAILED, e.message);
    throw e;
  }
  return plan;
}

/**
 * The results as the Transformation shapes them: the outputs (COMPACT), the outputs with arrays
 * spread (FLATTEN), or one record per child execution (NONE).
 */
export function transformResults(
  plan: WriterPlan | undefined,
  outputs: unknown[],
  children: readonly ChildRun[],
  childMachineArn: string,
): unknown[] {
  if (!plan || plan.transformation === 'COMPACT') return outputs;
  if (plan.transformation === 'FLATTEN') return outputs.flatMap((o) => (Array.isArray(o) ? o : [o]));
  return children.map((c) => entry(c, childMachineArn));
}

/**
 * Writes the results of a Map Run to the plan's bucket and returns the Map's result. Child
 * executions that never started (the run stopped early) are in no file, so locally the PENDING
 * list of the manifest stays empty.
 */
export function writeResults(
  s3: LocalS3,
  plan: WriterPlan & { bucket: string },
  mapRunArn: string,
  childMachineArn: string,
  children: ChildRun[],
): { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } } {
  const folder = folderOf(plan.prefix, mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1));
  const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  try {
    for (const status of ['SUCCEEDED', 'FAILED'] as const) {
      // aborted children are written with the failed ones
      const group = children.filter((c) => (status === 'SUCCEEDED') === (c.status === 'SUCCEEDED'));
      if (!group.length) continue;
      // failed children are written as they are, whatever the Transformation
      const values =
        status === 'SUCCEEDED'
          ? transformResults(
              plan,
              group.map((c) => c.output),
              group,
              childMachineArn,
            )
          : group.map((c) => entry(c, childMachineArn));
      const body =
        plan.outputType === 'JSONL' ? values.map((v) => safeStringify(v)).join('\n') + '\n' : safeStringify(values);
      const Key = `${folder}${status}_${FILE_INDEX}.json`;
      s3.write(plan.bucket, Key, body);
      files[status].push({ Key, Size: Buffer.byteLength(body) });
    }
    const Key = `${folder}manifest.json`;
    s3.write(
      plan.bucket,
      Key,
      JSON.stringify({ DestinationBucket: plan.bucket, MapRunArn: mapRunArn, ResultFiles: files }, null, 2),
    );
    return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: plan.bucket, Key } };
  } catch (e) {
    if (e instanceof S3StandInError) throw new Failure(WRITER_FAILED, e.message);
    throw e;
  }
}

/** `<prefix>/<id>/`, without a leading slash when there is no prefix. */
function folderOf(prefix: string, id: string): string {
  return prefix === '' ? `${id}/` : `${prefix.endsWith('/') ? prefix : prefix + '/'}${id}/`;
}

/** One child execution as the NONE transformation writes it (a DescribeExecution-like record). */
function entry(c: ChildRun, stateMachineArn: string): Record<string, unknown> {
  const e: Record<string, unknown> = {
    ExecutionArn: c.arn,
    Input: safeStringify(c.input),
    InputDetails: { Included: true },
    Name: c.name,
  };
  if (c.status === 'SUCCEEDED') {
    e.Output = safeStringify(c.output);
    e.OutputDetails = { Included: true };
    e.RedriveCount = 0;
    e.RedriveStatus = 'NOT_REDRIVABLE';
    e.RedriveStatusReason = 'Execution is SUCCEEDED and cannot be redriven';
  } else {
    if (c.error !== undefined) e.Error = c.error;
    if (c.cause !== undefined) e.Cause = c.cause;
    e.RedriveCount = 0;
    e.RedriveStatus = 'REDRIVABLE_BY_MAP_RUN';
  }
  e.StartDate = new Date(c.startMs).toISOString();
  e.StateMachineArn = stateMachineArn;
  e.Status = c.status;
  e.StopDate = new Date(c.stopMs).toISOString();
  return e;
}
