/**
 * What the runtime (runtime.ts) and the state handlers (states/*.ts) share. Handlers reach the
 * runtime through `ExecutionRuntime` only, and the runtime reaches the handlers through the
 * `StateHandlers` table it is given, so neither module imports the other.
 */
import type { ParsedResource, QueryLanguage, StateType } from '../../../asl/src/types';
import type { TaskTokenRegistry } from '../callback/tokens';
import type { Clock } from '../clock';
import type { CallbackEndpointInfo, LocalRunConfig, TaskDriver } from '../drivers/types';
import type { HistoryEventType, HistoryRecorder } from '../history';
import type { Failure } from './errors';
import type { MapRunListener } from './states/distributedMap/progress';
import type { RunnableScope, RunnableState } from './machine';

/** `$$.Map.Item` inside a Map iteration. */
export interface MapItem {
  Index: number;
  Value: unknown;
  Key?: string;
  Source?: string;
}

/** One thread of control: the machine, a Parallel branch or a Map iteration. */
export interface Frame {
  /** variables visible here (a copy of the outer scope's plus this scope's own) */
  vars: Record<string, unknown>;
  /** id of the last event recorded by this thread (the next event's previousEventId) */
  prev: number;
  /** aborted when this thread must stop (execution stopped/timed out, sibling failed) */
  signal: AbortSignal;
  history: HistoryRecorder;
  item?: MapItem;
  /** `$$.Execution` / `$$.StateMachine` of a Distributed Map child execution (else the execution's own) */
  execution?: Record<string, unknown>;
  machine?: Record<string, unknown>;
  /** UTF-8 sizes of the variables this scope assigned itself (the execution-wide VARIABLES_LIMIT) */
  varSizes?: Map<string, number>;
  /** the last state output of this thread and its JSON text (the next state's input text) */
  lastValue?: unknown;
  lastText?: string;
}

/** What a state handler produces. `next: null` ends the scope; undefined = the state's Next. */
export interface StepOut {
  output: unknown;
  next?: string | null;
  /** evaluated Assign values, committed after the state exits (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html) */
  assign?: unknown;
}

/** Everything a state handler needs. */
export interface StateCtx<T extends StateType = StateType> {
  rt: ExecutionRuntime;
  state: RunnableState<T>;
  /** `state.def`: the state's fields */
  def: RunnableState<T>['def'];
  name: string;
  input: unknown;
  frame: Frame;
  ql: QueryLanguage;
  /** epoch ms when the state was entered ($$.State.EnteredTime) */
  enteredMs: number;
  contextCache?: Record<string, unknown>;
  /** set only while an observer watches the execution: the pipeline stages as they are computed */
  stages?: PipelineStages;
}

/**
 * The values a state's input/output pipeline produced, by stage (JSONPath: InputPath →
 * Parameters → Result → ResultSelector → ResultPath → OutputPath; JSONata: Arguments → Result
 * → Output), its Assign values and the context object of its (last) attempt.
 */
export type PipelineStages = Partial<
  Record<
    | 'InputPath'
    | 'Parameters'
    | 'Arguments'
    | 'Result'
    | 'ResultSelector'
    | 'ResultPath'
    | 'OutputPath'
    | 'Output'
    | 'Assign'
    | 'Context',
    unknown
  >
>;

/** One run of a state in one thread, as an observer sees it. */
export interface StateVisit {
  readonly rt: ExecutionRuntime;
  readonly state: RunnableState;
  /** the thread running it */
  readonly frame: Frame;
  /** the input it runs with (an observer may replace it before calling `run`) */
  input: unknown;
  /** the state's context once `run` has entered it (its `stages` fill in as it runs) */
  ctx?: StateCtx;
}

/**
 * Watches and steers an execution: the debugger. Ordinary runs have none, and then the
 * interpreter pays one property read per state and per scope.
 */
export interface ExecutionObserver {
  /** Runs one thread of control: the machine, a Parallel branch or a Map iteration over `scope`. */
  thread<T>(scope: RunnableScope, frame: Frame, run: () => Promise<T>): Promise<T>;
  /**
   * Runs one state: `run` enters it with `visit.input`, runs its handler and records its exit.
   * The observer may wait before calling it, and call it again to run the state once more.
   */
  state(visit: StateVisit, run: () => StepOut | Promise<StepOut>): StepOut | Promise<StepOut>;
  /**
   * An attempt of a Task, Map or Parallel state failed, before its Retry and Catch handle the
   * failure (a failure of any other state leaves `state` at once). May throw to end the state.
   */
  attemptFailed(ctx: StateCtx, failure: Failure): Promise<void>;
}

export type StateHandler<T extends StateType = StateType> = (ctx: StateCtx<T>) => StepOut | Promise<StepOut>;

/** The handler of each state type. */
export type StateHandlers = { readonly [T in StateType]: StateHandler<T> };

/** Execution-wide settings and services shared by every frame. */
export interface RuntimeOptions {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  region: string;
  accountId: string;
  startTime: string;
  input: unknown;
  /** `$$.Execution.RedriveCount`: how often the execution was redriven */
  redriveCount?: number;
  clock: Clock;
  drivers: TaskDriver[];
  /** checked before `drivers`: answers for the states its test case lists */
  mock?: TaskDriver & { handlesState(stateName: string): boolean };
  config: LocalRunConfig;
  baseDir?: string;
  tokens: TaskTokenRegistry;
  /** lazily started callback endpoint for real drivers */
  callback?: () => Promise<CallbackEndpointInfo | undefined>;
  log(line: string, source?: string): void;
  parseResource(arn: string): ParsedResource;
  /** machine type: EXPRESS machines reject .sync / .waitForTaskToken at validation time */
  machineType: 'STANDARD' | 'EXPRESS';
  /** the debugger, when one is attached */
  observer?: ExecutionObserver;
  /** told how each Distributed Map's Map Run progresses; without it nothing is counted */
  onMapRun?: MapRunListener;
}

/** The services of one running execution that state handlers use. */
export interface ExecutionRuntime {
  readonly opts: RuntimeOptions;
  /** invocation signals whose driver work has not settled yet (aborted when the execution ends) */
  readonly openInvocations: Set<AbortController>;
  /** Parses a Task resource once per execution. */
  resource(arn: string): ParsedResource;
  /** The context object (`$$`, `$states.context`) for a state attempt. */
  context(ctx: StateCtx, retryCount?: number, token?: string): Record<string, unknown>;
  /** The context object without retry count or token, built once per state. */
  baseContext(ctx: StateCtx): Record<string, unknown>;
  /** Records an event in the frame's chain. */
  event(frame: Frame, type: HistoryEventType, details?: Record<string, unknown>): void;
  /** Runs a scope from its StartAt to a terminal state; resolves to the scope's output. */
  runScope(scope: RunnableScope, input: unknown, frame: Frame): Promise<unknown>;
  /** Forgets the variables of a finished Parallel branch or Map iteration. */
  releaseVariables(frame: Frame): void;
  /** Tracks a promise that must settle before the execution is disposed (driver work). */
  track(p: Promise<unknown>): void;
}
