/**
 * The programmatic entry point of the local execution engine. The CLI (`run`, `serve`), the
 * VS Code extension's worker and other tools run state machines through these functions.
 *
 * ```ts
 * import { runExecution } from './runner/src/api';
 * const r = await runExecution({ definition, input: { x: 1 }, timeScale: 0, onEvent: (e) => console.log(e.type) });
 * // r.status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'; r.output / r.error / r.cause; r.history
 * ```
 * See docs/runner-api.md.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { analysisOf, enforceValidation, type Analysis } from '../../asl/src/analyze';
import { parseResource } from '../../asl/src/resource';
import type { ValidateOptions } from '../../asl/src/rules/types';
import { StatesError, type MachineModel } from '../../asl/src/types';
import type { ValidationPolicy } from '../../asl/src/validation';
import { TaskTokenRegistry } from './callback/tokens';
import { callbackOperations, LocalEndpoint } from './callback/server';
import { realClock, type Clock } from './clock';
import { defaultDrivers } from './drivers/defaults';
import { MockDriver, type MockConfig } from './drivers/mock/index';
import { loadMockConfig } from './config';
import type { CallbackEndpointInfo, LocalRunConfig, TaskDriver } from './drivers/types';
import { machineOf, type DefinitionSource } from './definition';
import type { HistoryEvent } from './history';
import { Execution, type ExecutionResult, type Resume } from './interpreter/execution';
import type { ExecutionObserver } from './interpreter/types';
import type { MapRunListener } from './interpreter/states/distributedMap/progress';

export type { ExecutionResult, ExecutionStatus, Resume } from './interpreter/execution';
export type { HistoryEvent, HistoryEventType } from './history';
export type {
  MapRunCounts,
  MapRunListener,
  MapRunProgress,
  MapRunStatus,
} from './interpreter/states/distributedMap/progress';
export { TaskTokenRegistry } from './callback/tokens';
export { manualClock, realClock, type Clock } from './clock';

/** An endpoint plus the token registry it routes callbacks to (shared by many executions in `serve`). */
export interface CallbackHub {
  endpoint: CallbackEndpointInfo;
  tokens: TaskTokenRegistry;
}

/** Options of `runExecution` / `startExecution`. */
export interface RunOptions {
  /**
   * the state machine: a parsed object, JSON / YAML text, the asl/ model of a parsed document
   * (`buildModel(parseDocument(text, format))`), or an asl/ `analyze` result — the last two
   * are not parsed again, and an analysis is not validated again
   */
  definition: DefinitionSource | Analysis;
  /**
   * what a definition with errors does (asl/src/validation.ts): `refuse` (default) throws an
   * InvalidDefinitionError listing them, as AWS refuses to create such a machine; `warn` runs
   * it and reports the same list through `onLog` (source `validation`)
   */
  validation?: ValidationPolicy;
  /** the execution input (a JSON value); default `{}` */
  input?: unknown;
  /** execution name (default: the run config's `execution.name`, else a UUID) */
  name?: string;
  /** state machine name, also the key of the mock config's StateMachines (default: the run config's `execution.stateMachineName`, else "StateMachine") */
  stateMachineName?: string;
  /** task drivers, checked in order (default: the built-in drivers of drivers/defaults.ts) */
  drivers?: TaskDriver[];
  /** a Step Functions Local mock config (object or file path) */
  mockConfig?: MockConfig | string;
  /** the test case to use (default: the first test case of the machine) */
  testCase?: string;
  /** the local run config handed to drivers */
  config?: LocalRunConfig;
  /** directory that relative paths in `config` are resolved against */
  baseDir?: string;
  /** time source; default real time scaled by `timeScale` */
  clock?: Clock;
  /** 1 = real time, 0 = skip Wait/Retry delays, 0.5 = half (ignored when `clock` is given) */
  timeScale?: number;
  /** every history event, as it is recorded */
  onEvent?(event: HistoryEvent): void;
  /** each Distributed Map's Map Run as it starts, counts its items and ends (DescribeMapRun's figures) */
  onMapRun?: MapRunListener;
  /** log lines from drivers (container output, progress) */
  onLog?(line: string, source?: string): void;
  /** aborting it stops the execution (status ABORTED, full clean-up) */
  signal?: AbortSignal;
  machineType?: 'STANDARD' | 'EXPRESS';
  /** an existing callback endpoint and its token registry (default: started on first need) */
  callback?: CallbackHub;
  region?: string;
  accountId?: string;
  /** `$$.Execution.RoleArn` (default: the run config's `execution.roleArn`, else a local role ARN) */
  roleArn?: string;
  /** max history events (default 25,000 like Standard workflows) */
  historyLimit?: number;
  /** watches and steers the execution state by state (the debug adapter, runner/src/debug/) */
  observer?: ExecutionObserver;
  /** redrives an execution that did not succeed: `name` must be its name (runner/src/redrive.ts finds the point) */
  resume?: Resume;
}

/** A started execution. */
export interface StartedExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: Date;
  /** the events so far (grows while running) */
  history: HistoryEvent[];
  /** current status */
  status(): ExecutionResult['status'] | 'RUNNING';
  /** stops the execution (ABORTED); error/cause as StopExecution's */
  stop(error?: string, cause?: string): void;
  result: Promise<ExecutionResult>;
}

/** A name or role of the run config's `execution` section; anything but a non-empty string counts as absent. */
function configured(
  config: LocalRunConfig | undefined,
  key: 'name' | 'stateMachineName' | 'roleArn',
): string | undefined {
  const v: unknown = config?.execution?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Picks the mock driver for a machine from a mock config (object or path) and a test case. */
export function mockDriverFor(mockConfig: MockConfig | string, machineName: string, testCase?: string): MockDriver {
  let config: MockConfig;
  if (typeof mockConfig === 'string') {
    const r = loadMockConfig(mockConfig);
    if (!r.ok) throw new StatesError('States.Runtime', r.error);
    config = r.value;
  } else config = mockConfig;
  const cases = Object.keys(config.StateMachines?.[machineName]?.TestCases ?? {});
  const chosen = testCase ?? cases[0];
  if (!chosen || !cases.includes(chosen)) {
    const known = Object.keys(config.StateMachines ?? {});
    throw new StatesError(
      'States.Runtime',
      testCase
        ? `The mock config has no test case '${testCase}' for the state machine '${machineName}' (test cases: ${cases.join(', ') || 'none'}; machines: ${known.join(', ') || 'none'}).`
        : `The mock config has no test cases for the state machine '${machineName}' (machines: ${known.join(', ') || 'none'}); use --name to pick one.`,
    );
  }
  return new MockDriver(config, machineName, chosen);
}

/** True for an asl/ `analyze` result (an ASL definition object has no doc, model or diagnostics). */
function isAnalysis(d: RunOptions['definition']): d is Analysis {
  return typeof d === 'object' && d !== null && 'doc' in d && 'model' in d && 'diagnostics' in d;
}

const analyses = new WeakMap<MachineModel, Map<string, Analysis>>();

/**
 * The analysis of a definition's model under a run's options, kept with the model: the models
 * of definition.ts's cache are reused, so a machine run many times is validated once.
 */
function analysisFor(model: MachineModel, options: ValidateOptions): Analysis {
  const key = `${options.machineType}|${JSON.stringify(options.substitutions ?? null)}|${options.substitutionsSource ?? ''}`;
  let byOptions = analyses.get(model);
  if (!byOptions) analyses.set(model, (byOptions = new Map()));
  let analysis = byOptions.get(key);
  if (!analysis) byOptions.set(key, (analysis = analysisOf(model.doc, model, options)));
  return analysis;
}

/**
 * Starts an execution and returns at once; `result` settles when it has ended and cleaned up.
 * Throws for bad options, and an InvalidDefinitionError for a definition with errors unless
 * `validation` is `warn`.
 */
export function startExecution(options: RunOptions): StartedExecution {
  const log = (line: string, source?: string): void => {
    try {
      options.onLog?.(line, source);
    } catch {
      // a failing log listener must not break the run
    }
  };
  const policy = options.validation ?? 'refuse';
  const given = isAnalysis(options.definition) ? options.definition : undefined;
  // an analysis is checked before it is compiled: its syntax errors are in the list too
  let warning = given && enforceValidation(given, policy);
  // `${Name}` placeholders take the run config's values, as the deployment would put them in
  const { machine, model } = machineOf(
    given ? given.model : (options.definition as DefinitionSource),
    options.config?.substitutions,
  );
  if (!given) {
    const configPath = options.config?.configPath;
    warning = enforceValidation(
      analysisFor(model, {
        machineType: options.machineType ?? 'STANDARD',
        substitutions: options.config?.substitutions,
        substitutionsSource: configPath ? path.basename(configPath) : undefined,
      }),
      policy,
    );
  }
  if (warning) log(warning, 'validation');
  const region = options.region ?? 'us-east-1';
  const account = options.accountId ?? '123456789012';
  const machineName = options.stateMachineName ?? configured(options.config, 'stateMachineName') ?? 'StateMachine';
  const name = options.name ?? configured(options.config, 'name') ?? randomUUID();
  const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${machineName}`;
  const executionArn = `arn:aws:states:${region}:${account}:execution:${machineName}:${name}`;
  const mock =
    options.mockConfig !== undefined ? mockDriverFor(options.mockConfig, machineName, options.testCase) : undefined;
  const clock = options.clock ?? realClock(options.timeScale ?? 1);
  const tokens = options.callback?.tokens ?? new TaskTokenRegistry();
  let own: Promise<LocalEndpoint> | undefined;
  const callback = async (): Promise<CallbackEndpointInfo | undefined> => {
    if (options.callback) return options.callback.endpoint;
    if (!own) {
      own = LocalEndpoint.start(callbackOperations(tokens));
      void own.then(
        (ep) =>
          log(
            `callback endpoint ${ep.hostUrl} (e.g. aws stepfunctions send-task-success --endpoint-url ${ep.hostUrl} --task-token <token> --task-output '{}')`,
            'runner',
          ),
        () => undefined,
      );
    }
    return own;
  };
  const startDate = options.resume ? new Date(options.resume.startTime) : new Date(clock.now());
  const execution = new Execution({
    machine,
    input: options.input === undefined ? {} : options.input,
    executionArn,
    executionName: name,
    stateMachineArn,
    stateMachineName: machineName,
    roleArn:
      options.roleArn ?? configured(options.config, 'roleArn') ?? `arn:aws:iam::${account}:role/StepFunctionsLocal`,
    region,
    accountId: account,
    clock,
    drivers: options.drivers ?? defaultDrivers().create(),
    mock,
    config: options.config ?? {},
    baseDir: options.baseDir,
    tokens,
    callback,
    log,
    parseResource,
    machineType: options.machineType ?? 'STANDARD',
    onEvent: options.onEvent,
    onMapRun: options.onMapRun,
    historyLimit: options.historyLimit,
    signal: options.signal,
    observer: options.observer,
    resume: options.resume,
  });
  const result = execution.run().finally(async () => {
    if (own) await (await own).close();
  });
  return {
    executionArn,
    stateMachineArn,
    name,
    startDate,
    history: execution.history.events,
    status: () => execution.status,
    stop: (error, cause) => execution.stop(error, cause),
    result,
  };
}

/**
 * Runs a state machine locally and resolves to its result and history. Never rejects for
 * problems of its tasks (those are FAILED executions); rejects for bad options (definition
 * text that does not parse, a definition that is not an object, an unknown mock test case)
 * and, unless `validation` is `warn`, for a definition with errors (InvalidDefinitionError).
 */
export async function runExecution(options: RunOptions): Promise<ExecutionResult> {
  return startExecution(options).result;
}

/** Starts a callback endpoint on 127.0.0.1 with its own token registry (close it when done). */
export async function startCallbackHub(
  port = 0,
): Promise<CallbackHub & { endpoint: LocalEndpoint; close(): Promise<void>; url: string }> {
  const tokens = new TaskTokenRegistry();
  const endpoint = await LocalEndpoint.start(callbackOperations(tokens), port);
  return { endpoint, tokens, url: endpoint.hostUrl, close: () => endpoint.close() };
}
