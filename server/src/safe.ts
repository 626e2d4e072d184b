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
    try {
      return await fn(...args);
    } catch (err) {
      try {
        connection.console.error(`[${name}] ${describeError(err)}`);
      } catch {
        /* the connection itself is gone */
      }
      return fallback;
    }
  };
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
