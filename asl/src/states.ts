/**
 * The fields of each state type as a definition holds them, one interface per `Type`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html), JSONPath and
 * JSONata fields together. `StateDefinition` is their union, discriminated by `Type`.
 *
 * These types say what a valid definition holds; the rules check that it does. Code that runs
 * definitions nobody validated (the runner's API) still tests the JSON type of a value before
 * relying on it.
 */
import { STATE_TYPES, type QueryLanguage, type StateType } from './types';

/** A JSON value as written in a definition: payload templates, constants, JSONata templates. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSONata expression: a string between `{%` and `%}`. */
export type JsonataString = string;

/** A set of states with one StartAt: the machine, a Parallel branch, a Map's item processor. */
export interface ScopeDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

/** The whole state machine. */
export interface MachineDefinition extends ScopeDefinition {
  TimeoutSeconds?: number;
  Version?: string;
}

/** A Map state's ItemProcessor (or the older Iterator). */
export interface ProcessorDefinition extends ScopeDefinition {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

/** One entry of Retry (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

/** One entry of Catch. */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: JsonValue;
  Assign?: JsonValue;
  Comment?: string;
}

/**
 * One Choice rule (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html):
 * JSONata rules have a Condition; JSONPath rules a Variable with one comparison operator
 * (`StringEquals`, `NumericLessThanPath`, `IsPresent`…), or And / Or / Not of nested rules.
 * Only top-level rules carry Next, Assign and Output.
 */
export interface ChoiceRule {
  Next?: string;
  Assign?: JsonValue;
  Output?: JsonValue;
  Condition?: boolean | JsonataString;
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Comment?: string;
  /** the comparison operators, e.g. `NumericGreaterThanEquals: 3`, `IsNull: true` */
  [operator: string]: unknown;
}

interface Common<T extends StateType> {
  Type: T;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

interface Transition {
  Next?: string;
  End?: boolean;
}

/** InputPath and OutputPath (JSONPath states): a path, or null for `{}`. */
interface PathIo {
  InputPath?: string | null;
  OutputPath?: string | null;
}

/** What Task, Parallel and Map do with their result, and their error handling. */
interface ResultHandling {
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Common<'Pass'>, Transition, PathIo {
  Parameters?: JsonValue;
  Result?: JsonValue;
  ResultPath?: string | null;
  Assign?: JsonValue;
  Output?: JsonValue;
}

export interface TaskState extends Common<'Task'>, Transition, PathIo, ResultHandling {
  Resource: string;
  Parameters?: JsonValue;
  Arguments?: JsonValue;
  /** seconds, or a JSONata expression */
  TimeoutSeconds?: number | JsonataString;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | JsonataString;
  HeartbeatSecondsPath?: string;
  Credentials?: { RoleArn?: string; 'RoleArn.$'?: string };
  Assign?: JsonValue;
  Output?: JsonValue;
}

export interface ChoiceState extends Common<'Choice'>, PathIo {
  Choices: ChoiceRule[];
  Default?: string;
  Assign?: JsonValue;
  Output?: JsonValue;
}

export interface WaitState extends Common<'Wait'>, Transition, PathIo {
  Seconds?: number | JsonataString;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Assign?: JsonValue;
  Output?: JsonValue;
}

export interface SucceedState extends Common<'Succeed'>, PathIo {
  Output?: JsonValue;
}

export interface FailState extends Common<'Fail'> {
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface ParallelState extends Common<'Parallel'>, Transition, PathIo, ResultHandling {
  Branches: ScopeDefinition[];
  Parameters?: JsonValue;
  Arguments?: JsonValue;
  Assign?: JsonValue;
  Output?: JsonValue;
}

/** ItemBatcher of a Map state. */
export interface ItemBatcher {
  MaxItemsPerBatch?: number | JsonataString;
  MaxItemsPerBatchPath?: string;
  MaxInputBytesPerBatch?: number | JsonataString;
  MaxInputBytesPerBatchPath?: string;
  BatchInput?: JsonValue;
}

export interface MapState extends Common<'Map'>, Transition, PathIo, ResultHandling {
  ItemProcessor?: ProcessorDefinition;
  /** the older name of ItemProcessor */
  Iterator?: ProcessorDefinition;
  ItemsPath?: string;
  Items?: JsonValue;
  ItemSelector?: JsonValue;
  /** the older name of ItemSelector (JSONPath) */
  Parameters?: JsonValue;
  ItemReader?: { Resource?: string; ReaderConfig?: JsonValue; Parameters?: JsonValue; Arguments?: JsonValue };
  ItemBatcher?: ItemBatcher;
  ResultWriter?: JsonValue;
  MaxConcurrency?: number | JsonataString;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | JsonataString;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | JsonataString;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
  Assign?: JsonValue;
  Output?: JsonValue;
}

/** Any state, discriminated by `Type`. */
export type StateDefinition =
  PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;

/** The state interface of one `Type`, e.g. `StateOfType<'Map'>` is `MapState`. */
export type StateOfType<T extends StateType> = Extract<StateDefinition, { Type: T }>;

/** The fields of states that hold nested scopes (Parallel branches, the Map processor). */
export type NestedScopeField = 'Branches' | 'ItemProcessor' | 'Iterator';

const STATE_TYPE_SET: ReadonlySet<string> = new Set(STATE_TYPES);

/** True when `type` is one of the eight state types. */
export function isStateType(type: unknown): type is StateType {
  return typeof type === 'string' && STATE_TYPE_SET.has(type);
}
