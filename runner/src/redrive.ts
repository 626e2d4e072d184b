/**
 * Where a redrive goes on, read from the earlier history. AWS restarts an execution "from the
 * unsuccessful step" (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html);
 * locally that step is a top-level state, see REDRIVE_RERUNS.
 */
import type { HistoryEvent } from './history';
import type { Resume } from './interpreter/execution';

/**
 * What a local redrive runs again: the whole top-level state that did not succeed. AWS runs
 * only the failed or aborted iterations of an inline Map and branches of a Parallel again;
 * here a Map or Parallel runs whole again (local behaviour; its successful iterations repeat).
 */
export const REDRIVE_RERUNS = 'the whole top-level state that did not succeed';

/** The statuses AWS redrives (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html). */
export const REDRIVABLE_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * The last top-level state entered (with its input) and the variables the top-level states
 * before it assigned; no top-level state entered yet: the machine's StartAt with the
 * execution input. State names are unique in the whole machine, so a name tells the level.
 */
export function redrivePoint(
  history: readonly HistoryEvent[],
  topLevelStates: ReadonlySet<string>,
  executionInput: unknown,
): Pick<Resume, 'startAt' | 'input' | 'vars'> {
  let startAt: string | undefined;
  let input = executionInput;
  let vars: Record<string, unknown> = {};
  let varsBefore: Record<string, unknown> = {};
  for (const e of history) {
    const entered = e.stateEnteredEventDetails as { name?: string; input?: string } | undefined;
    if (entered?.name !== undefined && topLevelStates.has(entered.name)) {
      startAt = entered.name;
      input = entered.input === undefined ? null : JSON.parse(entered.input);
      varsBefore = vars;
      continue;
    }
    const exited = e.stateExitedEventDetails as
      { name?: string; assignedVariables?: Record<string, string> } | undefined;
    if (exited?.name !== undefined && exited.assignedVariables && topLevelStates.has(exited.name)) {
      vars = { ...vars };
      for (const [k, v] of Object.entries(exited.assignedVariables)) vars[k] = JSON.parse(v);
    }
  }
  // the state runs again with the variables it was entered with, not those it assigned on exit
  return { startAt, input, vars: startAt === undefined ? {} : varsBefore };
}
