// The one way tests, benchmarks and the e2e harness wait: for a condition, with a deadline.
// A fixed sleep is either too short on a loaded machine or wastes time on a fast one.

/** How long a wait lasts unless the caller says otherwise: generous, for a loaded CI machine. */
export const DEFAULT_DEADLINE_MS = 20_000;
/** Pause between two checks of a condition that has no event to re-check on. */
export const DEFAULT_INTERVAL_MS = 10;

/**
 * Resolves with the first truthy value of `condition()`. It is checked at once, then every
 * `intervalMs`, and whenever `recheckOn` fires (any `(listener) => { dispose() }` event, such
 * as a `vscode.Event`). A condition that throws is checked again (a server that is still
 * starting refuses requests); after `deadlineMs` the wait rejects with `message` and the last
 * error.
 * @template T
 * @param {() => T | undefined | null | false | 0 | '' | Promise<T | undefined | null | false | 0 | ''>} condition
 * @param {{ deadlineMs?: number, message?: string, intervalMs?: number, recheckOn?: (listener: () => void) => { dispose(): void } }} [options]
 * @returns {Promise<T>}
 */
export function waitFor(condition, options = {}) {
  const { deadlineMs = DEFAULT_DEADLINE_MS, message = 'the condition', intervalMs = DEFAULT_INTERVAL_MS } = options;
  const deadline = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    let done = false;
    let checking = false;
    let again = false;
    let lastError;
    let timer;
    const subscription = options.recheckOn?.(() => void check());
    const finish = (settle) => {
      done = true;
      clearTimeout(timer);
      subscription?.dispose();
      settle();
    };
    async function check() {
      if (done) return;
      // one check at a time; an event during a check asks for one more right after it
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      clearTimeout(timer);
      try {
        const value = await condition();
        if (value) return finish(() => resolve(value));
        lastError = undefined;
      } catch (err) {
        lastError = err;
      } finally {
        checking = false;
      }
      if (done) return;
      if (Date.now() >= deadline) {
        const why = lastError
          ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`
          : '';
        return finish(() => reject(new Error(`timed out after ${deadlineMs} ms waiting for ${message}${why}`)));
      }
      if (again) {
        again = false;
        return void check();
      }
      timer = setTimeout(check, Math.min(intervalMs, Math.max(0, deadline - Date.now())));
    }
    void check();
  });
}
