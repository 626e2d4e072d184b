/**
 * Time source of an execution. Real time by default; `timeScale` shortens (or, with 0,
 * skips) the delays the machine asks for — Wait states and Retry intervals — without
 * touching task timeouts measured against real work. Tests inject a manual clock.
 */

export interface Clock {
  /** milliseconds since the epoch (what timestamps and $$.State.EnteredTime show) */
  now(): number;
  /**
   * Waits `ms` of machine time (Wait states, Retry back-off). Resolves early with `false`
   * when `signal` aborts, `true` when the time has passed.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Waits `ms` of machine time for a timeout (TimeoutSeconds, HeartbeatSeconds). Same scale
   * as `sleep`; returns a cancel function instead of a promise so callers can race it.
   */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * A real-time clock. `timeScale` multiplies machine delays: 1 = real time, 0.5 = half,
 * 0 = Wait/Retry delays are skipped. Timeouts use the same scale except that 0 keeps them
 * real (a timeout of "0" would fire before any work could finish).
 */
export function realClock(timeScale = 1): Clock {
  const scale = Number.isFinite(timeScale) && timeScale >= 0 ? timeScale : 1;
  return {
    now: () => Date.now(),
    sleep(ms, signal) {
      const wait = ms * scale;
      if (signal?.aborted) return Promise.resolve(false);
      if (wait <= 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const onAbort = (): void => {
          clearTimeout(t);
          resolve(false);
        };
        const t = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(true);
          },
          Math.min(wait, 2 ** 31 - 1),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    setTimer(ms, fn) {
      const wait = scale === 0 ? ms : ms * scale;
      const t = setTimeout(fn, Math.min(Math.max(0, wait), 2 ** 31 - 1));
      return () => clearTimeout(t);
    },
  };
}

/**
 * A manual clock for tests: time only moves with `advance(ms)`, which fires due timers and
 * sleeps in order. `now()` starts at `start`.
 */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** number of pending sleeps/timers (tests wait for this to become > 0) */
  pending(): number;
}

export function manualClock(start = Date.UTC(2024, 0, 1)): ManualClock {
  let current = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const add = (ms: number, fn: () => void): (() => void) => {
    const id = ++seq;
    timers.set(id, { at: current + Math.max(0, ms), fn });
    return () => timers.delete(id);
  };
  return {
    now: () => current,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const cancel = add(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        });
        const onAbort = (): void => {
          cancel();
          resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    setTimer: add,
    advance(ms) {
      const target = current + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of timers) if (e[1].at <= target && (!next || e[1].at < next[1].at)) next = e;
        if (!next) break;
        timers.delete(next[0]);
        current = next[1].at;
        next[1].fn();
      }
      current = target;
    },
    pending: () => timers.size,
  };
}
