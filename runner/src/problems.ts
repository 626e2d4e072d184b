/**
 * The local conditions a run can fail on that the user fixes outside the state machine: no
 * container engine, a TaskDefinition the run config does not map, no Kubernetes cluster, no
 * kind, no driver for a resource, a mocked response without an entry for the invocation.
 *
 * A driver raises them as a `ProblemError`: the AWS-style error name and cause go into the
 * history like any task failure, and the typed `problem` next to them is what the VS Code
 * extension and the CLI act on, so rewording a cause changes no behaviour. The interpreter
 * carries the problem into the failure event's details (`problem`, asl-workbench's own key) and
 * into the execution result.
 *
 * Pure: the extension imports these types, and the drivers and the interpreter the class.
 */
import { StatesError } from '../../asl/src/types';

/** The mapping a run config needs for an unmapped TaskDefinition (merged into the file as is). */
export interface TaskDefinitionMapping {
  taskDefinitions: Record<string, string>;
}

/** A Step Functions Local mock config that mocks one state (what to add for a resource with no driver). */
export interface StateMock {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, { Return: unknown }>>;
}

export type RunProblem =
  /** nothing answers at the container engine address (`endpoint`, e.g. unix:///var/run/docker.sock) */
  | { kind: 'engineUnavailable'; endpoint: string }
  /**
   * an ecs:runTask TaskDefinition with no entry in `taskDefinitions` of the run config;
   * `add` is the JSON to merge into `runConfig` (undefined: no run config file exists yet)
   */
  | { kind: 'taskDefinitionNotMapped'; taskDefinition: string; runConfig?: string; add: TaskDefinitionMapping }
  /** an EKS state needs a Kubernetes cluster and none is reachable for its ClusterName (undefined: the state names none) */
  | { kind: 'noCluster'; clusterName?: string }
  /** the kind CLI is needed and cannot be found or started (`kindPath`: the path configured or tried, if any) */
  | { kind: 'kindMissing'; kindPath?: string }
  /** no driver runs the Task state's resource; `mock` is a mock config that would answer for it */
  | { kind: 'noDriver'; stateName: string; resource: string; mock: StateMock }
  /** the mock config's response for a state has no entry for this invocation (0-based) */
  | { kind: 'mockMissing'; stateName: string; testCase: string; response: string; invocation: number };

export type RunProblemKind = RunProblem['kind'];

/** A task failure with a run problem attached (AWS error name and cause as any StatesError). */
export class ProblemError extends StatesError {
  constructor(
    error: string,
    cause: string,
    readonly problem: RunProblem,
  ) {
    super(error, cause);
    this.name = 'ProblemError';
  }
}

/** The problem an error carries, if any. */
export function problemOfError(e: unknown): RunProblem | undefined {
  return e instanceof ProblemError ? e.problem : undefined;
}
