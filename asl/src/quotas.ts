/**
 * Step Functions service quotas that both checking and running a machine apply
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */

/** Maximum size of a payload (state input/output, task parameters, a variable): 256 KiB of UTF-8. */
export const PAYLOAD_LIMIT = 256 * 1024;

/** Maximum size of all variables of one execution at a time: 10 MiB of UTF-8. */
export const VARIABLES_LIMIT = 10 * 1024 * 1024;

/** Maximum length of a variable name, in characters. */
export const VARIABLE_NAME_MAX_LENGTH = 80;

/** Maximum number of events in the history of a Standard workflow execution. */
export const HISTORY_EVENTS_LIMIT = 25_000;
