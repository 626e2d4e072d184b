/**
 * A debug session of a test file's case (launch argument `check`): the Task states the case's
 * mocks leave out fail as they do in `asl-workbench test` rather than start containers, and
 * when the execution ends its expectations are checked with the same checks and reported in an
 * `aslTestResult` event.
 */
import { formatMismatches } from '../../../asl/src/testing/compare';
import type { ExecutionResult } from '../interpreter/execution';
import type { ExecutionObserver } from '../interpreter/types';
import type { TaskDriver } from '../drivers/types';
import { caseWatcher, checkCase, gate } from '../testing/runCase';
import type { AslLaunchArguments } from './launchArgs';
import type { AslTestResultBody } from './protocol';

export interface CaseCheck {
  /** the drivers of the execution: the case's `real` states run, the others fail */
  drivers: TaskDriver[];
  /** `inner` (the debugger) wrapped so that the checks see every state as it runs */
  observer(inner: ExecutionObserver | undefined): ExecutionObserver;
  /** the case's result, told to `print` (the Debug Console) too */
  result(r: ExecutionResult, print: (text: string) => void): AslTestResultBody;
}

/** The checks of the case a launch names. */
export function caseCheck(check: NonNullable<AslLaunchArguments['check']>): CaseCheck {
  const started = Date.now();
  const watched = caseWatcher();
  const unmocked = new Set<string>();
  const watch = watched.observer;
  return {
    drivers: [gate(new Set(check.realStates), unmocked)],
    observer: (inner) =>
      inner
        ? {
            thread: (scope, frame, run) => inner.thread(scope, frame, () => watch.thread(scope, frame, run)),
            state: (visit, run) => inner.state(visit, () => watch.state(visit, run)),
            attemptFailed: async (ctx, failure) => {
              await watch.attemptFailed(ctx, failure);
              await inner.attemptFailed(ctx, failure);
            },
          }
        : watch,
    result: (r, print) => {
      const mismatches = checkCase(check.expect, r, watched, unmocked);
      print(
        mismatches.length
          ? `✘ The test case failed:\n${formatMismatches(mismatches).join('\n')}\n`
          : '✔ The test case passed.\n',
      );
      return { passed: !mismatches.length, mismatches, durationMs: Date.now() - started };
    },
  };
}
