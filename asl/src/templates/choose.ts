/**
 * Choosing a template's state machine and the values of its placeholders for a local run,
 * shared by the CLI (`run`, `test`, `validate`) and the debug adapter.
 */
import type { Substitutions } from '../substitutions';
import type { EmbeddedMachine } from './types';

/**
 * The machine `id` names, or the only one; else why not (`flag` names the option that picks
 * one: `--machine`, or the launch argument `machine`).
 */
export function chooseMachine(
  file: string,
  machines: readonly EmbeddedMachine[],
  id: string | undefined,
  flag: string,
): { machine: EmbeddedMachine } | { error: string } {
  const ids = machines.map((m) => m.id).join(', ');
  if (!machines.length) return { error: `${file} holds no state machine` };
  if (id !== undefined) {
    const machine = machines.find((x) => x.id === id);
    return machine ? { machine } : { error: `${file} has no state machine '${id}' (it holds: ${ids})` };
  }
  if (machines.length > 1)
    return {
      error: `${file} holds ${machines.length} state machines (${ids}): choose one with ${flag} <logical id>`,
    };
  return { machine: machines[0]! };
}

/**
 * The value of each placeholder, looked up in order: the template's literal values
 * (DefinitionSubstitutions, Fn::Sub variables, Terraform variables), `given` (a
 * `--substitutions` file), the run config, then `fallback` (pseudo parameter stand-ins for a
 * local run).
 */
export function resolveSubstitutions(
  m: Pick<EmbeddedMachine, 'substitutions'>,
  given: Substitutions | undefined,
  config: Substitutions | undefined,
  fallback: Substitutions = {},
): Record<string, string | number | boolean> {
  return { ...fallback, ...config, ...given, ...m.substitutions };
}

/** The placeholders of `m` that `values` gives no value, each once, in order. */
export function missingPlaceholders(m: EmbeddedMachine, values: Substitutions): string[] {
  const names = m.placeholders.map((p) => p.name).filter((n) => !Object.prototype.hasOwnProperty.call(values, n));
  return [...new Set(names)];
}
