/**
 * ItemReader of a Distributed Map (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html)
 * over local stand-ins of S3 buckets (runner/src/s3/localS3.ts): `s3:getObject` with ReaderConfig
 * InputType JSON, JSONL, CSV or MANIFEST (an S3 inventory), and `s3:listObjectsV2` (a prefix
 * listing). Parameters (JSONPath) or Arguments (JSONata) name the bucket and key; MaxItems(Path)
 * keeps the first items. Whatever goes wrong reading fails the state with States.ItemReaderFailed.
 */
import { gunzipSync } from 'node:zlib';
import type { MapState } from '../../../../../asl/src/states';
import { LocalS3, S3StandInError } from '../../../s3/localS3';
import { Failure } from '../../errors';
import { payload } from '../../evaluate';
import { bindings, evalField, jpScope } from '../../io';
import { resolveNumberField } from '../../numberField';
import type { StateCtx } from '../../types';
import {
  CSV_DELIMITERS,
  parseCsvItems,
  parseInventoryManifest,
  parseJsonItems,
  parseJsonLines,
  ReadError,
} from './formats';

const READER_FAILED = 'States.ItemReaderFailed';

/** The InputType values local runs read; PARQUET is AWS's too but is not read locally. */
const INPUT_TYPES = ['JSON', 'JSONL', 'CSV', 'MANIFEST'];

/** The items the ItemReader of the Map state `ctx` reads, before ItemSelector and ItemBatcher. */
export async function readItems(
  ctx: StateCtx<'Map'>,
  s3: LocalS3,
  effective: unknown,
  context: unknown,
): Promise<unknown[]> {
  const reader = ctx.def.ItemReader as NonNullable<MapState['ItemReader']>;
  const resource = typeof reader.Resource === 'string' ? reader.Resource : '';
  const action = /^arn:aws[\w-]*:states:::s3:(getObject|listObjectsV2)$/.exec(resource)?.[1];
  if (!action)
    throw new Failure(
      READER_FAILED,
      `The ItemReader of the Map state '${ctx.name}' uses the resource '${resource}'; local runs read items with arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2.`,
    );
  const config = (reader.ReaderConfig && typeof reader.ReaderConfig === 'object' ? reader.ReaderConfig : {}) as Record<
    string,
    unknown
  >;
  const params =
    ctx.ql === 'JSONata'
      ? await evalField(ctx, 'ItemReader', reader.Arguments ?? {}, bindings(ctx, context))
      : payload(reader.Parameters ?? {}, jpScope(ctx, effective, context));
  const p = (params && typeof params === 'object' ? params : {}) as Record<string, unknown>;
  const bucket = p.Bucket;
  if (typeof bucket !== 'string' || !bucket)
    throw new Failure(READER_FAILED, `The ItemReader of the Map state '${ctx.name}' needs a Bucket name (a string).`);
  const maxItems = await maxItemsOf(ctx, config, effective, context);
  let items: unknown[];
  try {
    if (action === 'listObjectsV2') {
      const prefix = typeof p.Prefix === 'string' ? p.Prefix : '';
      items = s3.list(bucket, prefix);
    } else {
      if (typeof p.Key !== 'string' || !p.Key)
        throw new ReadError(`The ItemReader of the Map state '${ctx.name}' needs a Key (a string) for s3:getObject.`);
      items = readObject(s3, bucket, p.Key, config, ctx.name);
    }
  } catch (e) {
    if (e instanceof S3StandInError || e instanceof ReadError) throw new Failure(READER_FAILED, e.message);
    throw e;
  }
  return maxItems !== undefined && items.length > maxItems ? items.slice(0, maxItems) : items;
}

/** ReaderConfig.MaxItems(Path); a bad value fails with States.ItemReaderFailed, as AWS reports it. */
async function maxItemsOf(
  ctx: StateCtx<'Map'>,
  config: Record<string, unknown>,
  effective: unknown,
  context: unknown,
): Promise<number | undefined> {
  try {
    return await resolveNumberField(ctx, config, 'MaxItems', effective, context);
  } catch (e) {
    if (e instanceof Failure && e.error === 'States.Runtime') throw new Failure(READER_FAILED, e.causeText);
    throw e;
  }
}

function readObject(
  s3: LocalS3,
  bucket: string,
  key: string,
  config: Record<string, unknown>,
  state: string,
): unknown[] {
  const inputType = config.InputType ?? 'JSON';
  const where = `s3://${bucket}/${key}`;
  if (typeof inputType !== 'string' || !INPUT_TYPES.includes(inputType))
    throw new ReadError(
      `The ItemReader of the Map state '${state}' has the InputType ${JSON.stringify(inputType)}; local runs read ${INPUT_TYPES.join(', ')}.`,
    );
  if (inputType === 'MANIFEST') {
    if (config.ManifestType !== undefined && config.ManifestType !== 'S3_INVENTORY')
      throw new ReadError(
        `The ItemReader of the Map state '${state}' reads a ${JSON.stringify(config.ManifestType)} manifest; local runs read S3 inventory manifests (S3_INVENTORY) only.`,
      );
    const manifest = parseInventoryManifest(text(s3.read(bucket, key)), where);
    const out: unknown[] = [];
    for (const k of manifest.keys) {
      for (const row of parseCsvItems(
        text(s3.read(manifest.bucket, k)),
        `s3://${manifest.bucket}/${k}`,
        ',',
        manifest.columns,
      ))
        out.push(row);
    }
    return out;
  }
  const body = text(s3.read(bucket, key));
  if (inputType === 'JSON') return parseJsonItems(body, where);
  if (inputType === 'JSONL') return parseJsonLines(body, where);
  const delimiterName = config.CSVDelimiter ?? 'COMMA';
  const delimiter = typeof delimiterName === 'string' ? CSV_DELIMITERS[delimiterName] : undefined;
  if (delimiter === undefined)
    throw new ReadError(
      `The CSVDelimiter ${JSON.stringify(delimiterName)} of the Map state '${state}' is not one of ${Object.keys(CSV_DELIMITERS).join(', ')}.`,
    );
  const location = config.CSVHeaderLocation ?? 'FIRST_ROW';
  if (location === 'FIRST_ROW') return parseCsvItems(body, where, delimiter);
  const headers = config.CSVHeaders;
  if (location !== 'GIVEN' || !Array.isArray(headers) || !headers.every((h) => typeof h === 'string'))
    throw new ReadError(
      `The Map state '${state}' reads CSV with CSVHeaderLocation ${JSON.stringify(location)}: use FIRST_ROW, or GIVEN with CSVHeaders (an array of strings).`,
    );
  return parseCsvItems(body, where, delimiter, headers as string[]);
}

/** The text of an object, gunzipped first when it is gzip data (inventory files are `.csv.gz`). */
function text(bytes: Buffer): string {
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString('utf8');
    } catch (e) {
      throw new ReadError(`A gzip object could not be decompressed: ${(e as Error).message}`);
    }
  }
  return bytes.toString('utf8');
}
