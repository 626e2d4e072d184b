/**
 * Step Functions' predefined error names with when each is raised
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). The
 * validator treats any other `States.` name as a custom error or a typo of one of these;
 * completion offers them in `ErrorEquals`.
 */
export const STATES_ERRORS: readonly { name: string; when: string }[] = [
  { name: 'States.ALL', when: 'any error except States.Runtime and States.DataLimitExceeded; alone and last' },
  { name: 'States.TaskFailed', when: 'any task failure except States.Timeout' },
  { name: 'States.Timeout', when: 'TimeoutSeconds or HeartbeatSeconds exceeded' },
  { name: 'States.HeartbeatTimeout', when: 'no heartbeat within HeartbeatSeconds' },
  {
    name: 'States.Runtime',
    when: 'a runtime error, such as a path that selects nothing in a JSONPath state; not retriable',
  },
  {
    name: 'States.DataLimitExceeded',
    when: "a state's input or output, or a task's result, is over the 256 KiB payload limit",
  },
  { name: 'States.Permissions', when: 'the role lacks a permission' },
  { name: 'States.ResultPathMatchFailure', when: 'ResultPath cannot be applied to the input' },
  { name: 'States.ParameterPathFailure', when: 'a path in Parameters selects nothing' },
  { name: 'States.QueryEvaluationError', when: 'a JSONata expression failed at run time' },
  { name: 'States.IntrinsicFailure', when: 'an intrinsic function failed' },
  { name: 'States.BranchFailed', when: 'a Parallel branch failed' },
  { name: 'States.NoChoiceMatched', when: 'no Choice rule matched and there is no Default' },
  { name: 'States.ExceedToleratedFailureThreshold', when: 'a Map run exceeded its tolerated failures' },
  { name: 'States.ItemReaderFailed', when: 'a Map ItemReader failed' },
  { name: 'States.ResultWriterFailed', when: 'a Map ResultWriter failed' },
  { name: 'States.Http.Socket', when: 'an HTTP Task timed out or its connection failed' },
];

/** The names alone, for lookups and "did you mean". */
export const STATES_ERROR_NAMES: readonly string[] = STATES_ERRORS.map((e) => e.name);
