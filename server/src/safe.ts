/**
 * Handler guards: the server must never crash on bad input. Every request/notification handler
 * is wrapped; an exception is logged to the connection console and turned into a neutral result.
 */
import type { Connection } from 'vscode-languageserver/node';

/** Formats an unknown thrown value for the log. */
export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Wraps a handler: on throw/rejection logs `[name] ...` to the console and returns `fallback`.
 * Use for every connection.onXxx handler.
 */
export function guard<A extends unknown[], R>(
  connection: Connection,
  name: string,
  fallback: R,
  fn: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    const start = TIMING ? performance.now() : 0;
    try {
      return await fn(...args);
    } catch (err) {
      try {
        connection.console.error(`[${name}] ${describeError(err)}`);
      } catch {
        /* the connection itself is gone */
      }
      return fallback;
    } finally {
      if (TIMING) logTiming(connection, name, performance.now() - start);
    }
  };
}

/**
 * With ASL_WORKBENCH_TIMING set in its environment, the server logs how long each handler took
 * (`[timing] completion 1.84 ms`): the end-to-end tests read the server's own share of a
 * keystroke's latency from these lines. Off by default, so the log stays quiet.
 */
const TIMING = !!process.env.ASL_WORKBENCH_TIMING;

function logTiming(connection: Connection, name: string, ms: number): void {
  try {
    connection.console.log(`[timing] ${name} ${ms.toFixed(2)} ms`);
  } catch {
    /* the connection itself is gone */
  }
}

/** Synchronous variant for notification handlers. */
export function guardSync<A extends unknown[]>(
  connection: Connection,
  name: string,
  fn: (...args: A) => void,
): (...args: A) => void {
  return (...args: A): void => {
    try {
      fn(...args);
    } catch (err) {
      try {
        connection.console.error(`[${name}] ${describeError(err)}`);
      } catch {
        /* ignore */
      }
    }
  };
}
