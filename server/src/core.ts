/**
 * The one place where the server and the CLI call into the pure asl/ core to parse and model a
 * text, so both share exactly the same code path (and the fuzz test exercises it).
 */
import { parseDocument } from '../../asl/src/parse';
import { buildModel } from '../../asl/src/model';
import type { DocumentFormat, MachineModel, ParsedDocument } from '../../asl/src/types';

/** Format from a language id or a file name: YAML for `asl-yaml`, `.yaml`, `.yml`; JSON otherwise. */
export function formatOf(languageIdOrPath: string): DocumentFormat {
  const s = languageIdOrPath.toLowerCase();
  return s === 'asl-yaml' || s === 'yaml' || s.endsWith('.yaml') || s.endsWith('.yml') ? 'yaml' : 'json';
}

/** Parses and models a text. Never throws (the core promises that; this is a belt-and-braces guard). */
export function analyze(text: string, format: DocumentFormat): { doc: ParsedDocument; model: MachineModel } {
  const doc = parseDocument(text, format);
  const model = buildModel(doc);
  return { doc, model };
}
