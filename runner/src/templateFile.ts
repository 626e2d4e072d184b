/**
 * State machines held in templates (CloudFormation, SAM, CDK, Terraform) read from disk, for
 * the CLI and the debug adapter: the template with its machines (definitions in files of
 * their own read next to it), and a machine refused with its errors at the template's lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createLineIndex, type LineIndex } from '../../asl/src/parse/lines';
import type { ValidateOptions } from '../../asl/src/rules/types';
import { analyzeMachine, findMachines, mayHoldMachines, type EmbeddedMachine } from '../../asl/src/templates';
import { InvalidDefinitionError, invalidDefinitionMessage, type LocatedError } from '../../asl/src/validation';

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

/** The file a machine's definition is in: its own file when it is in one, else undefined (the template). */
export function definitionPath(t: TemplateFile, m: EmbeddedMachine): string | undefined {
  return m.definitionFile && path.join(path.dirname(t.file), m.definitionFile);
}

/**
 * Throws an InvalidDefinitionError listing the errors of a template's machine at the
 * template's own lines (or the definition file's, when it is in one).
 */
export function refuseTemplateErrors(m: EmbeddedMachine, t: TemplateFile, options: ValidateOptions): void {
  const found = analyzeMachine(m, options);
  const own = !!m.definitionFile && !!found.analysis;
  const list = own
    ? [
        ...found.hostDiagnostics.map((d) => ({ d, at: t.lines.positionAt(d.offset) })),
        ...found.definitionDiagnostics.map((d) => ({ d, at: found.analysis!.doc.positionAt(d.offset) })),
      ]
    : found.diagnostics.map((d) => ({ d, at: t.lines.positionAt(d.offset) }));
  const errors: LocatedError[] = list
    .filter(({ d }) => d.severity === 'error')
    .map(({ d, at }) => ({ code: d.code, message: d.message, ...at }));
  if (errors.length) throw new InvalidDefinitionError(invalidDefinitionMessage(errors), errors);
}
