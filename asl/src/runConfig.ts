/**
 * Which local run config applies to a state machine file, and the `${Name}` values it gives.
 * The editor's diagnostics, `validate` and `run` find it the same way: `--config <file>`,
 * else `<machine dir>/asl-workbench.run.json`, else `<workspace root>/asl-workbench.run.json`
 * (the nearest ancestor holding package.json or .git). Also which local folder stands for an
 * S3 bucket and key (`s3Location`), as plain string logic the runner's file access builds on
 * (runner/src/s3/localS3.ts). The rest of the run config belongs to the runner
 * (runner/src/config.ts).
 *
 * asl/ opens no files: callers hand in Node's `fs` and `path` (only the calls below are used).
 */
import type { SubstitutionValue, Substitutions } from './substitutions';

export const RUN_CONFIG_NAME = 'asl-workbench.run.json';

/** The parts of Node's `fs` and `path` modules the lookup uses. */
export interface FileSystem {
  fs: {
    existsSync(file: string): boolean;
    statSync(file: string): { mtimeMs: number };
    readFileSync(file: string, encoding: 'utf8'): string;
  };
  path: {
    dirname(file: string): string;
    join(...parts: string[]): string;
    resolve(...parts: string[]): string;
  };
}

/** The workspace root of a directory: nearest ancestor with package.json or .git (else the dir). */
export function workspaceRoot(dir: string, { fs, path }: FileSystem): string {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git')) || fs.existsSync(path.join(d, 'package.json'))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

/** Path of the run config that applies to a machine file (undefined when none exists). */
export function findRunConfig(machineFile: string, files: FileSystem, explicit?: string): string | undefined {
  const { fs, path } = files;
  if (explicit) return path.resolve(explicit);
  const dir = path.dirname(path.resolve(machineFile));
  for (const d of [dir, workspaceRoot(dir, files)]) {
    const f = path.join(d, RUN_CONFIG_NAME);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

/** The `substitutions` of a run config: only string, number and boolean values are kept. */
export function substitutionsOfConfig(config: unknown): Substitutions {
  const raw = config && typeof config === 'object' ? (config as { substitutions?: unknown }).substitutions : undefined;
  const out: Record<string, SubstitutionValue> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw))
    if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as SubstitutionValue;
  return out;
}

const substitutionCache = new Map<string, { mtimeMs: number; values: Substitutions }>();

/**
 * The placeholder values that apply to a machine file: the `substitutions` of its run config,
 * with the config's path. Undefined when there is no run config or it cannot be read; none
 * when it is not JSON. Cached by file and modification time: the language server asks on
 * every validation.
 */
export function substitutionsFor(
  machineFile: string,
  files: FileSystem,
  explicit?: string,
): { values: Substitutions; file: string } | undefined {
  const file = findRunConfig(machineFile, files, explicit);
  if (!file) return undefined;
  let mtimeMs: number;
  try {
    mtimeMs = files.fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const hit = substitutionCache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return { values: hit.values, file };
  let values: Substitutions = {};
  try {
    values = substitutionsOfConfig(JSON.parse(files.fs.readFileSync(file, 'utf8')));
  } catch {
    // unreadable or not JSON: `run` reports it when it loads the config; validation uses no values
  }
  substitutionCache.set(file, { mtimeMs, values });
  return { values, file };
}

/**
 * The `s3` section of a run config: local folders standing in for S3 buckets, for the
 * ItemReader and ResultWriter of Distributed Map states. `buckets` maps a bucket name, or a
 * bucket name and key prefix (`"my-bucket/incoming/"`), to a folder; `root` stands for every
 * other bucket as `<root>/<bucket>/`. Relative folders resolve against the run config's
 * directory.
 */
export interface S3StandIns {
  root?: string;
  buckets?: Record<string, string>;
}

/** What is wrong with the `s3` section of a run config (empty when it is absent or well-formed). */
export function s3ConfigProblems(s3: unknown): string[] {
  if (s3 === undefined) return [];
  if (!s3 || typeof s3 !== 'object' || Array.isArray(s3)) return ['s3 must be an object with root and/or buckets'];
  const o = s3 as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(o))
    if (k !== 'root' && k !== 'buckets') problems.push(`s3.${k} is not a setting (use root or buckets)`);
  if (o.root !== undefined && typeof o.root !== 'string') problems.push('s3.root must be a folder path (a string)');
  if (o.buckets !== undefined) {
    if (!o.buckets || typeof o.buckets !== 'object' || Array.isArray(o.buckets))
      problems.push('s3.buckets must be an object of bucket (or bucket/prefix) to folder path');
    else
      for (const [k, v] of Object.entries(o.buckets))
        if (typeof v !== 'string') problems.push(`s3.buckets[${JSON.stringify(k)}] must be a folder path (a string)`);
  }
  return problems;
}

/** Where one object lives locally: the mapped folder, the part of the key below it, and the entry used. */
export interface S3Location {
  folder: string;
  rest: string;
  /** the `buckets` key that matched, or undefined for `root` */
  entry?: string;
}

/**
 * The local folder of object `key` in `bucket`: the `buckets` entry with the longest matching
 * `bucket` or `bucket/prefix`, else `<root>/<bucket>`. Undefined when neither maps the bucket.
 */
export function s3Location(s3: S3StandIns | undefined, bucket: string, key: string): S3Location | undefined {
  let best: S3Location | undefined;
  let bestLength = -1;
  for (const [entry, folder] of Object.entries(s3?.buckets ?? {})) {
    if (typeof folder !== 'string') continue;
    const slash = entry.indexOf('/');
    const entryBucket = slash < 0 ? entry : entry.slice(0, slash);
    const prefix = slash < 0 ? '' : entry.slice(slash + 1);
    if (entryBucket !== bucket || !key.startsWith(prefix) || prefix.length <= bestLength) continue;
    best = { folder, rest: key.slice(prefix.length), entry };
    bestLength = prefix.length;
  }
  if (best) return best;
  if (typeof s3?.root === 'string') return { folder: joinFolder(s3.root, bucket), rest: key };
  return undefined;
}

/** The folders a listing of `bucket` under `prefix` must look in, with the key prefix each one stands for. */
export function s3Folders(s3: S3StandIns | undefined, bucket: string): { folder: string; keyPrefix: string }[] {
  const out: { folder: string; keyPrefix: string }[] = [];
  for (const [entry, folder] of Object.entries(s3?.buckets ?? {})) {
    if (typeof folder !== 'string') continue;
    const slash = entry.indexOf('/');
    if ((slash < 0 ? entry : entry.slice(0, slash)) === bucket)
      out.push({ folder, keyPrefix: slash < 0 ? '' : entry.slice(slash + 1) });
  }
  if (typeof s3?.root === 'string') out.push({ folder: joinFolder(s3.root, bucket), keyPrefix: '' });
  return out;
}

function joinFolder(root: string, bucket: string): string {
  return root.endsWith('/') ? root + bucket : `${root}/${bucket}`;
}

/** What to add to the run config (or the CLI option to pass) so that `bucket` has a local stand-in. */
export function s3MappingHint(bucket: string): string {
  const entry = `"s3": { "buckets": { ${JSON.stringify(bucket)}: ${JSON.stringify(`./s3/${bucket}`)} } }`;
  return (
    `Map it to a local folder in ${RUN_CONFIG_NAME}: ${entry} ` +
    `(a "${bucket}/<prefix>" key maps only the keys under that prefix), ` +
    `or run with --s3-root <dir> to use <dir>/${bucket}/ for it.`
  );
}
