/**
 * Which local run config applies to a state machine file, and the `${Name}` values it gives.
 * The editor's diagnostics, `validate` and `run` find it the same way: `--config <file>`,
 * else `<machine dir>/asl-workbench.run.json`, else `<workspace root>/asl-workbench.run.json`
 * (the nearest ancestor holding package.json or .git). The rest of the run config belongs to
 * the runner (runner/src/config.ts).
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
