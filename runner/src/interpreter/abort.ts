/** Abort signals of nested threads of control (Parallel branches, Map iterations, task attempts). */
import { setMaxListeners } from 'node:events';

/** An AbortController aborted with `parent`; `release()` detaches it. */
export function childAbort(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  // many concurrent children (Map iterations, task attempts) listen to one signal
  setMaxListeners(0, controller.signal);
  if (parent.aborted) {
    controller.abort();
    return { controller, release() {} };
  }
  const on = (): void => controller.abort();
  parent.addEventListener('abort', on, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', on) };
}
