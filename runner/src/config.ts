/**
 * Loading the local run config (schema and semantics: the Docker/ECS driver own them; which
 * file applies is asl/src/runConfig.ts, shared with the editor's validation).
 * Also finds the mock config: `--mock-config`, `SFN_MOCK_CONFIG`, or `<machine dir>/mock-config.json`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findRunConfig, s3ConfigProblems } from '../../asl/src/runConfig';
import type { LocalRunConfig } from './drivers/types';
import { checkMockConfig, type MockConfig } from './drivers/mock/mockConfig';

export const MOCK_CONFIG_NAME = 'mock-config.json';

/** A machine file's own name: its base name without `.asl.json`, `.asl.yaml`, `.json` or `.yaml`. */
export function machineName(file: string): string {
  return path.basename(file).replace(/(\.asl)?\.(json|ya?ml)$/i, '');
}

/**
 * The name a machine runs, is tested and is deployed under (`$$.StateMachine.Name`, the key of
 * its mock config, the deployed state machine): the one given, else the run config's
 * `execution.stateMachineName`, else the template's logical id, else the file's own name.
 */
export function stateMachineNameOf(
  file: string,
  config: { execution?: { stateMachineName?: unknown } } | undefined,
  given?: string,
  logicalId?: string,
): string {
  if (given) return given;
  const configured = config?.execution?.stateMachineName;
  if (typeof configured === 'string' && configured) return configured;
  return logicalId ?? machineName(file);
}

export type Loaded<T> = { ok: true; value: T; file?: string } | { ok: false; error: string };

function readJson(file: string): Loaded<unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `cannot read ${file}: ${(e as Error).message}` };
  }
  try {
    return { ok: true, value: JSON.parse(text), file };
  } catch (e) {
    return { ok: false, error: `${file} is not valid JSON: ${(e as Error).message}` };
  }
}

/** Loads the run config for a machine file; `{}` when there is none. */
export function loadRunConfig(machineFile: string, explicit?: string): Loaded<LocalRunConfig> {
  const file = findRunConfig(machineFile, { fs, path }, explicit);
  if (!file) return { ok: true, value: {} };
  const r = readJson(file);
  if (!r.ok) return r;
  const checked = checkRunConfig(r.value, file);
  if (!checked.ok) return checked;
  // configPath: relative task-definition paths resolve against the config file's directory
  return { ok: true, value: { ...checked.value, configPath: file }, file };
}

/**
 * Checks a run config value, read from a file or handed over already loaded (a debug launch
 * carries the editor's config with its settings merged in); `source` names it in errors.
 */
export function checkRunConfig(value: unknown, source: string): Loaded<LocalRunConfig> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: `${source} must hold a JSON object` };
  const problems = s3ConfigProblems((value as LocalRunConfig).s3);
  if (problems.length) return { ok: false, error: `${source}: ${problems.join('; ')}` };
  return { ok: true, value: value as LocalRunConfig };
}

/** Path of the mock config: explicit, SFN_MOCK_CONFIG, or mock-config.json next to the machine. */
export function findMockConfig(
  machineFile: string | undefined,
  explicit?: string,
  env = process.env,
): { file: string; implicit: boolean } | undefined {
  if (explicit) return { file: path.resolve(explicit), implicit: false };
  if (env.SFN_MOCK_CONFIG) return { file: path.resolve(env.SFN_MOCK_CONFIG), implicit: false };
  if (!machineFile) return undefined;
  const f = path.join(path.dirname(path.resolve(machineFile)), MOCK_CONFIG_NAME);
  return fs.existsSync(f) ? { file: f, implicit: true } : undefined;
}

/** Reads and checks a mock config file. */
export function loadMockConfig(file: string): Loaded<MockConfig> {
  const r = readJson(file);
  if (!r.ok) return r;
  const problems = checkMockConfig(r.value);
  if (problems.length) return { ok: false, error: `${file}: ${problems.join('; ')}` };
  return { ok: true, value: r.value as MockConfig, file };
}
