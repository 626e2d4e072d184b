// Types of wait.mjs for the TypeScript tests.
export const DEFAULT_DEADLINE_MS: number;
export const DEFAULT_INTERVAL_MS: number;

export interface WaitOptions {
  /** how long to wait before rejecting (default DEFAULT_DEADLINE_MS) */
  deadlineMs?: number;
  /** what is awaited, for the error: "timed out after N ms waiting for <message>" */
  message?: string;
  /** pause between two checks (default DEFAULT_INTERVAL_MS) */
  intervalMs?: number;
  /** an event that makes the condition be checked again at once (a vscode.Event fits) */
  recheckOn?: (listener: () => void) => { dispose(): void };
}

type Falsy = undefined | null | false | 0 | '';

/** Resolves with the first truthy value of `condition()`; rejects after the deadline. */
export function waitFor<T>(condition: () => T | Falsy | Promise<T | Falsy>, options?: WaitOptions): Promise<T>;
