// File I/O of the CLI for state machines held in templates (CloudFormation, SAM, CDK, Terraform).
import fs from 'node:fs';
import path from 'node:path';
import { createLineIndex, type LineIndex } from '../../asl/src/parse/lines';
import type { Substitutions } from '../../asl/src/substitutions';
import { findMachines, mayHoldMachines, type EmbeddedMachine } from '../../asl/src/templates';

/** A template read from disk with the state machines it holds. */
export interface TemplateFile {
  file: string;
  text: string;
  machines: EmbeddedMachine[];
  /** line:column of host offsets */
  lines: LineIndex;
}

/**
 * The template `text` of `file` holds, or undefined when the file is not a template (a plain
 * ASL definition). A Terraform file is a template even when it holds no state machine.
 */
export function templateOf(file: string, text: string): TemplateFile | undefined {
  const tf = /\.tf$/i.test(file);
  if (!tf && !mayHoldMachines(file, text)) return undefined;
  const dir = path.dirname(path.resolve(file));
  const readFile = (rel: string): string | undefined => {
    try {
      return fs.readFileSync(path.resolve(dir, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  const machines = findMachines(text, file, readFile);
  if (!machines.length && !tf) return undefined;
  return { file, text, machines, lines: createLineIndex(text) };
}

/** `(Id1, Id2)` for messages. */
function idList(t: TemplateFile): string {
  return t.machines.map((m) => m.id).join(', ');
}

/**
 * The machine `--machine` names, or the only one. Writes why not to stderr and returns
 * undefined when there is none, when `id` names none, or when there are several and no `id`.
 */
export function pickMachine(command: string, t: TemplateFile, id: string | undefined): EmbeddedMachine | undefined {
  const fail = (message: string) => {
    process.stderr.write(`asl-workbench ${command}: ${message}\n`);
    return undefined;
  };
  if (!t.machines.length) return fail(`${t.file} holds no state machine`);
  if (id !== undefined) {
    const m = t.machines.find((x) => x.id === id);
    return m ?? fail(`${t.file} has no state machine '${id}' (it holds: ${idList(t)})`);
  }
  if (t.machines.length > 1)
    return fail(
      `${t.file} holds ${t.machines.length} state machines (${idList(t)}): choose one with --machine <logical id>`,
    );
  return t.machines[0];
}

/** The file a machine's definition is in: its own file when it is in one, else the template. */
export function definitionPath(t: TemplateFile, m: EmbeddedMachine): string | undefined {
  return m.definitionFile && path.join(path.dirname(t.file), m.definitionFile);
}

/**
 * Reads a `--substitutions` file: a JSON object of names to string, number or boolean values.
 * Writes why not to stderr and returns undefined when it cannot be used.
 */
export function readSubstitutionsFile(command: string, file: string): Substitutions | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    process.stderr.write(`asl-workbench ${command}: cannot read --substitutions ${file}: ${(err as Error).message}\n`);
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    process.stderr.write(
      `asl-workbench ${command}: --substitutions ${file} must hold a JSON object of names to values\n`,
    );
    return undefined;
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(parsed))
    if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as string | number | boolean;
  return out;
}

/**
 * The value of each placeholder, looked up in order: the template's literal values
 * (DefinitionSubstitutions, Fn::Sub variables, Terraform variables), the `--substitutions`
 * file, the run config, then `fallback` (pseudo parameter stand-ins for a local run).
 */
export function resolveSubstitutions(
  m: EmbeddedMachine,
  given: Substitutions | undefined,
  config: Substitutions | undefined,
  fallback: Substitutions = {},
): Record<string, string | number | boolean> {
  return { ...fallback, ...config, ...given, ...m.substitutions };
}
