/**
 * The custom DAP events the adapter sends besides the standard ones; the VS Code extension's
 * graph overlay and Test Explorer listen to them.
 */
import type { Mismatch } from '../../../asl/src/testing/compare';

/** `aslState`: a state of a thread was paused at, started running, or the thread ended. */
export const ASL_STATE_EVENT = 'aslState';

export interface AslStateEventBody {
  /** state names from the top of the machine, e.g. ["Map1", "Inner"] */
  statePath: string[];
  status: 'paused' | 'running' | 'ended';
  threadId: number;
}

/** `aslTestResult`: the execution of a session launched with `check` ended; the case's outcome. */
export const ASL_TEST_RESULT_EVENT = 'aslTestResult';

export interface AslTestResultBody {
  passed: boolean;
  /** what differs from the case's expectations, as `asl-workbench test` reports it */
  mismatches: Mismatch[];
  durationMs: number;
}
