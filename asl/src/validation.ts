/**
 * What every entry point that runs a machine — `asl-workbench run`, `serve`'s
 * CreateStateMachine, VS Code's Run Locally, the runner's API — does with a definition that
 * has errors, and what it says: one policy option and one message, so the same machine is
 * refused or warned about in the same words everywhere. No dependencies: the VS Code client
 * builds the message from the editor's diagnostics without bundling the rules.
 */

/** `refuse`: an invalid definition does not run. `warn`: it runs, and the errors are reported. */
export type ValidationPolicy = 'refuse' | 'warn';

/** An error of a definition at a 0-based line and UTF-16 column. */
export interface LocatedError {
  code: string;
  message: string;
  line: number;
  character: number;
}

/** How many errors a message lists; `asl-workbench validate` lists them all. */
export const MAX_LISTED_ERRORS = 20;

/**
 * The errors of a definition, one per line with its 1-based line:column and code:
 * ```
 * The definition has 2 errors:
 *   3:5 ASL101 The state machine has no "StartAt" field.
 *   9:7 ASL201 "Next" names "Mising", which is not a state of this scope.
 * ```
 */
export function invalidDefinitionMessage(errors: readonly LocatedError[]): string {
  const n = errors.length;
  const lines = [`The definition has ${n} error${n === 1 ? '' : 's'}:`];
  for (const e of errors.slice(0, MAX_LISTED_ERRORS))
    lines.push(`  ${e.line + 1}:${e.character + 1} ${e.code} ${e.message}`);
  if (n > MAX_LISTED_ERRORS) lines.push(`  … and ${n - MAX_LISTED_ERRORS} more`);
  return lines.join('\n');
}

/** A definition refused under the `refuse` policy; named as AWS names the same refusal. */
export class InvalidDefinitionError extends Error {
  constructor(
    message: string,
    public readonly errors: readonly LocatedError[],
  ) {
    super(message);
    this.name = 'InvalidDefinition';
  }
}
