/**
 * The custom DAP event the adapter sends besides the standard ones; the VS Code extension's
 * graph overlay listens to it.
 */

/** `aslState`: a state of a thread was paused at, started running, or the thread ended. */
export const ASL_STATE_EVENT = 'aslState';

export interface AslStateEventBody {
  /** state names from the top of the machine, e.g. ["Map1", "Inner"] */
  statePath: string[];
  status: 'paused' | 'running' | 'ended';
  threadId: number;
}
