/**
 * The launch arguments of the `asl` debug type (DAP `launch` request). The VS Code extension
 * imports this type to describe its debug configurations; any other DAP client sends the same
 * fields (docs/debugging.md).
 */
import type { Expectations } from '../../../asl/src/testing/testFile';
import type { LocalRunConfig } from '../drivers/types';

export interface AslLaunchArguments {
  /**
   * path of the state machine file (`.asl.json`, `.asl.yaml`), or of a template holding it
   * (CloudFormation, SAM, CDK output, Terraform; docs/templates.md)
   */
  program: string;
  /**
   * the state machine of the template `program` (CloudFormation logical id, or Terraform
   * address `aws_sfn_state_machine.<name>`); default: the template's only one
   */
  machine?: string;
  /** the execution input: a JSON value, or a string naming a JSON file or holding JSON text (any other string is a string input) */
  input?: unknown;
  /** Step Functions Local mock config file (default: SFN_MOCK_CONFIG, or mock-config.json next to the machine) */
  mockConfig?: string;
  /** test case of the mock config; `null` runs every task for real even when a mock config is found */
  testCase?: string | null;
  /**
   * local run config: the path of a file (default: the nearest asl-workbench.run.json), or the
   * config itself, as a client that merges its own settings into it hands it over
   */
  runConfig?: string | LocalRunConfig;
  /** the state machine type the run and its validation follow (default STANDARD) */
  machineType?: 'STANDARD' | 'EXPRESS';
  /** 1 real time, 0 skips Wait and Retry delays */
  timeScale?: number;
  /** pause before the first state */
  stopOnEntry?: boolean;
  /** run without stopping: breakpoints are ignored */
  noDebug?: boolean;
  /**
   * state machine name (the mock config's key; default: the file's base name). Not `name`:
   * VS Code sends its configuration's label as `name` with every launch.
   */
  stateMachineName?: string;
  /**
   * runs the execution as a case of a test file (docs/testing.md): `expect` holds its
   * expectations and `realStates` the Task states it runs for real; a Task state that
   * `mockConfig` does not answer fails, and an `aslTestResult` event reports the outcome
   */
  check?: { expect: Expectations; realStates: string[] };
}
