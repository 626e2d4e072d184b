/**
 * Task definitions of the local run config: `taskDefinitions` maps what a state passes as
 * `TaskDefinition` (family, family:revision or ARN, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html) to an ECS task definition
 * in ECS's own JSON shape (register-task-definition input or describe-task-definition output),
 * inline or as a file path relative to the run config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StatesError } from '../../../../asl/src/types';
import { ECS_ERRORS } from '../../../../asl/src/integrations/ecs';
import { ProblemError, type RunProblem } from '../../problems';
import type { LocalRunConfig } from '../types';

/** dependsOn conditions of ECS container definitions. */
export type DependencyCondition = 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';

/** The container definition fields the emulation uses (ECS camelCase names). */
export interface EcsContainerDefinition {
  name: string;
  image: string;
  command?: string[];
  entryPoint?: string[];
  environment?: Array<{ name: string; value: string }>;
  essential?: boolean;
  workingDirectory?: string;
  user?: string;
  dependsOn?: Array<{ containerName: string; condition: DependencyCondition }>;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  healthCheck?: { command: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number };
  stopTimeout?: number;
}

/** An ECS task definition (register-task-definition shape). */
export interface EcsTaskDefinition {
  family: string;
  revision?: number;
  taskDefinitionArn?: string;
  containerDefinitions: EcsContainerDefinition[];
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
}

/** A resolved definition with the identity the task output reports. */
export interface ResolvedTaskDefinition {
  definition: EcsTaskDefinition;
  family: string;
  revision: number;
  arn: string;
  /** the config key that matched */
  key: string;
}

interface Ref {
  arn?: string;
  family: string;
  revision?: number;
}

/** Split `family`, `family:3` or `arn:aws:ecs:<r>:<a>:task-definition/family:3`. */
export function parseTaskDefinitionRef(ref: string): Ref {
  const arn = /^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(ref);
  const body = arn ? arn[1] : ref;
  const m = /^(.*):(\d+)$/.exec(body);
  return { arn: arn ? ref : undefined, family: m ? m[1] : body, revision: m ? Number(m[2]) : undefined };
}

/** What ECS answers for an unknown task definition, with the local fix as cause text and as the typed problem. */
function unmappedError(ref: string, configPath: string | undefined, known: string[]): ProblemError {
  const { family } = parseTaskDefinitionRef(ref);
  const add = { taskDefinitions: { [ref]: `./${family || 'task-definition'}.task-definition.json` } };
  const cause =
    'TaskDefinition not found. (Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException; Request ID: local; Proxy: null) — ' +
    `asl-workbench: no task definition is mapped for "${ref}". Add ${JSON.stringify(add)} to ${configPath ?? 'asl-workbench.run.json next to the state machine'} ` +
    '(the file is an ECS task definition JSON: {"family", "containerDefinitions": [{"name", "image", ...}]}; an inline object works too).' +
    (known.length ? ` Mapped now: ${known.join(', ')}.` : '');
  const problem: RunProblem = { kind: 'taskDefinitionNotMapped', taskDefinition: ref, add };
  if (configPath) problem.runConfig = configPath;
  return new ProblemError(ECS_ERRORS.invalidParameter, cause, problem);
}

/** Directory relative task-definition paths resolve against. */
export function configDir(config: LocalRunConfig, baseDir?: string): string {
  const c = config as { configPath?: unknown; configDir?: unknown };
  if (typeof c.configDir === 'string') return c.configDir;
  if (typeof c.configPath === 'string') return path.dirname(c.configPath);
  return baseDir ?? process.cwd();
}

/**
 * Find and load the task definition for `ref`. Matching order: the exact key (ARN,
 * family:revision or family), then for an ARN its family:revision, then the family, then
 * (when no revision was asked for) the highest family:revision key of that family.
 *
 * Errors are StatesErrors: an unknown definition is `ECS.InvalidParameterException` with
 * "TaskDefinition not found." — what ECS RunTask answers for an unknown definition — and the
 * JSON to add to the run config.
 */
export function resolveTaskDefinition(
  ref: unknown,
  config: LocalRunConfig,
  ctx: { baseDir?: string; region: string; account: string },
): ResolvedTaskDefinition {
  if (typeof ref !== 'string' || !ref) {
    throw new StatesError(
      ECS_ERRORS.invalidParameter,
      'TaskDefinition must be a non-empty string (family, family:revision or ARN).',
    );
  }
  const map = config.taskDefinitions ?? {};
  const keys = Object.keys(map);
  const want = parseTaskDefinitionRef(ref);
  const parsedKeys = keys.map((k) => ({ key: k, ...parseTaskDefinitionRef(k) }));
  const hit =
    (map[ref] !== undefined ? ref : undefined) ??
    (want.revision !== undefined
      ? parsedKeys.find((k) => k.family === want.family && k.revision === want.revision)?.key
      : undefined) ??
    parsedKeys.find((k) => !k.arn && k.family === want.family && k.revision === undefined)?.key ??
    (want.revision === undefined
      ? parsedKeys
          .filter((k) => k.family === want.family && k.revision !== undefined)
          .sort((a, b) => b.revision! - a.revision!)[0]?.key
      : undefined);
  const configPath = (config as { configPath?: unknown }).configPath;
  if (hit === undefined) throw unmappedError(ref, typeof configPath === 'string' ? configPath : undefined, keys);
  const definition = loadDefinition(map[hit], hit, configDir(config, ctx.baseDir));
  const family = definition.family || want.family;
  const hitRef = parseTaskDefinitionRef(hit);
  const revision = want.revision ?? hitRef.revision ?? definition.revision ?? 1;
  const arn = want.arn ?? `arn:aws:ecs:${ctx.region}:${ctx.account}:task-definition/${family}:${revision}`;
  return { definition: { ...definition, family }, family, revision, arn, key: hit };
}

function loadDefinition(value: string | Record<string, unknown>, key: string, dir: string): EcsTaskDefinition {
  let raw: unknown = value;
  if (typeof value === 'string') {
    const file = path.resolve(dir, value);
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new StatesError(
        ECS_ERRORS.client,
        `Unable to describe task definition. — asl-workbench: cannot read the task definition file ${file} mapped for "${key}": ${(e as Error).message}`,
      );
    }
  }
  // describe-task-definition output wraps the definition: {"taskDefinition": {...}}
  const obj = (
    raw && typeof raw === 'object' && 'taskDefinition' in raw
      ? (raw as { taskDefinition: unknown }).taskDefinition
      : raw
  ) as Partial<EcsTaskDefinition> | undefined;
  const problem = validate(obj);
  if (problem) {
    throw new StatesError(
      ECS_ERRORS.client,
      `Unable to describe task definition. — asl-workbench: the task definition mapped for "${key}" is invalid: ${problem}`,
    );
  }
  return obj as EcsTaskDefinition;
}

function validate(d: Partial<EcsTaskDefinition> | undefined): string | undefined {
  if (!d || typeof d !== 'object') return 'expected a JSON object';
  if (!Array.isArray(d.containerDefinitions) || d.containerDefinitions.length === 0)
    return 'containerDefinitions must be a non-empty array';
  const names = new Set<string>();
  for (const [i, c] of d.containerDefinitions.entries()) {
    if (!c || typeof c.name !== 'string' || !c.name) return `containerDefinitions[${i}].name is required`;
    if (typeof c.image !== 'string' || !c.image) return `containerDefinitions[${i}] (${c.name}): image is required`;
    if (names.has(c.name)) return `container name "${c.name}" is used twice`;
    names.add(c.name);
    for (const k of ['command', 'entryPoint'] as const) {
      if (c[k] !== undefined && !(Array.isArray(c[k]) && c[k]!.every((x) => typeof x === 'string')))
        return `${c.name}.${k} must be an array of strings`;
    }
  }
  for (const c of d.containerDefinitions) {
    for (const dep of c.dependsOn ?? []) {
      if (!names.has(dep.containerName)) return `${c.name}.dependsOn names unknown container "${dep.containerName}"`;
      if (!['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'].includes(dep.condition))
        return `${c.name}.dependsOn condition "${dep.condition}" is not START|COMPLETE|SUCCESS|HEALTHY`;
      if (
        dep.condition === 'HEALTHY' &&
        !d.containerDefinitions.find((x) => x.name === dep.containerName)?.healthCheck
      ) {
        return `${c.name} depends on ${dep.containerName} being HEALTHY, but ${dep.containerName} has no healthCheck`;
      }
    }
  }
  if (!d.containerDefinitions.some((c) => c.essential !== false)) return 'at least one container must be essential';
  return undefined;
}
