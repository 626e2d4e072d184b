// File I/O of the CLI subcommands that analyze one state machine file (graph, iam, validate).
import fs from 'node:fs';
import type { MachineModel, ParsedDocument } from '../../asl/src/types';
import { formatOf } from '../../asl/src/parse/format';
import { analyze } from '../../asl/src/analyze';

/** A state machine file read from disk, parsed and modelled. */
export interface MachineFile {
  doc: ParsedDocument;
  model: MachineModel;
}

/**
 * Reads `file` (YAML when its name ends in .yaml/.yml, else JSON) and analyzes it. When it cannot
 * be read, writes `asl-workbench <command>: cannot read <file>: <reason>` to stderr and returns
 * undefined (the caller's I/O error). `stripBom` drops a leading byte order mark first.
 */
export function readMachineFile(command: string, file: string, { stripBom = false } = {}): MachineFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`asl-workbench ${command}: cannot read ${file}: ${(err as Error).message}\n`);
    return undefined;
  }
  if (stripBom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return analyze(text, formatOf(file));
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
