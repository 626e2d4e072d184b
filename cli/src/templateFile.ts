// The CLI's side of state machines held in templates (CloudFormation, SAM, CDK, Terraform):
// its messages on stderr and its --substitutions file; reading templates is the runner's.
import fs from 'node:fs';
import type { Substitutions } from '../../asl/src/substitutions';
import { chooseMachine, type EmbeddedMachine } from '../../asl/src/templates';
import type { TemplateFile } from '../../runner/src/templateFile';

/**
 * The machine `--machine` names, or the only one. Writes why not to stderr and returns
 * undefined when there is none, when `id` names none, or when there are several and no `id`.
 */
export function pickMachine(command: string, t: TemplateFile, id: string | undefined): EmbeddedMachine | undefined {
  const chosen = chooseMachine(t.file, t.machines, id, '--machine');
  if ('machine' in chosen) return chosen.machine;
  process.stderr.write(`asl-workbench ${command}: ${chosen.error}\n`);
  return undefined;
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
