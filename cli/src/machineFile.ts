// File I/O of the CLI subcommands that analyze one state machine file (graph, iam, validate).
import fs from 'node:fs';
import type { MachineModel, ParsedDocument, Position } from '../../asl/src/types';
import { formatOf } from '../../asl/src/parse/format';
import { analyze } from '../../asl/src/analyze';
import type { EmbeddedMachine } from '../../asl/src/templates';
import { templateOf, type TemplateFile } from '../../runner/src/templateFile';
import { pickMachine } from './templateFile';

/** A state machine read from disk (a definition file, or one machine of a template), parsed and modelled. */
export interface MachineFile {
  doc: ParsedDocument;
  model: MachineModel;
  /** the position in the file read of an offset of `doc` */
  positionAt(offset: number): Position;
  /** the machine and its template, when the file is a template */
  embedded?: { machine: EmbeddedMachine; template: TemplateFile };
}

/**
 * Reads a file; when it cannot be read, writes `asl-workbench <command>: cannot read <file>:
 * <reason>` to stderr and returns undefined (the caller's I/O error). `stripBom` drops a
 * leading byte order mark.
 */
export function readText(command: string, file: string, { stripBom = false } = {}): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`asl-workbench ${command}: cannot read ${file}: ${(err as Error).message}\n`);
    return undefined;
  }
  return stripBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads `file` and analyzes it: a definition (YAML when its name ends in .yaml/.yml, else
 * JSON), or the state machine of a template (`machine`: its logical id, needed when the
 * template holds several). Undefined, with the reason on stderr, when the file cannot be read
 * or names no single machine.
 */
export function readMachineFile(
  command: string,
  file: string,
  { stripBom = false, machine }: { stripBom?: boolean; machine?: string } = {},
): MachineFile | undefined {
  const text = readText(command, file, { stripBom });
  if (text === undefined) return undefined;
  const template = templateOf(file, text);
  if (!template) {
    if (machine !== undefined) {
      process.stderr.write(
        `asl-workbench ${command}: ${file} holds no template state machines: --machine is for templates\n`,
      );
      return undefined;
    }
    const analysis = analyze(text, formatOf(file));
    return { ...analysis, positionAt: analysis.doc.positionAt };
  }
  const m = pickMachine(command, template, machine);
  if (!m) return undefined;
  const analysis = analyze(m.text, m.format);
  return {
    doc: analysis.doc,
    model: analysis.model,
    positionAt: (offset) =>
      m.definitionFile ? analysis.doc.positionAt(offset) : template.lines.positionAt(m.toHost(offset)),
    embedded: { machine: m, template },
  };
}

/**
 * Writes `text` to the file `output` when one is given, else to stdout. When the file cannot be
 * written, reports `asl-workbench <command>: cannot write <output>: <reason>` on stderr and
 * returns false (the caller's I/O error).
 */
export function writeOutput(command: string, output: string | undefined, text: string): boolean {
  if (!output) {
    process.stdout.write(text);
    return true;
  }
  try {
    fs.writeFileSync(output, text);
    return true;
  } catch (err) {
    process.stderr.write(`asl-workbench ${command}: cannot write ${output}: ${(err as Error).message}\n`);
    return false;
  }
}
