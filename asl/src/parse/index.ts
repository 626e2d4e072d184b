/**
 * parseDocument: text -> positioned tree + syntax problems + position mapping, for JSON and
 * YAML. Never throws; linear in the text size.
 */
import type { DocumentFormat, ParsedDocument, ParseProblem } from '../types';
import { parseJson, problem, CODE_SYNTAX } from './json';
import { parseYaml } from './yaml';
import { createLineIndex } from './lines';

export { CODE_SYNTAX, CODE_COMMENT, CODE_TRAILING_COMMA, CODE_DUPLICATE_KEY } from './json';
export { computeLineStarts, createLineIndex } from './lines';
export type { LineIndex } from './lines';
export * from './tree';

/** Parses `text` as JSON or YAML into a ParsedDocument. */
export function parseDocument(text: string, format: DocumentFormat): ParsedDocument {
  const src = typeof text === 'string' ? text : '';
  let root: ParsedDocument['root'];
  let problems: ParseProblem[];
  try {
    ({ root, problems } = format === 'yaml' ? parseYaml(src) : parseJson(src));
  } catch (e) {
    root = undefined;
    problems = [
      problem(CODE_SYNTAX, `The document could not be parsed (${String((e as Error)?.message ?? e)}).`, 0, 0),
    ];
  }
  const lines = createLineIndex(src);
  return {
    text: src,
    format: format === 'yaml' ? 'yaml' : 'json',
    root,
    problems,
    positionAt: lines.positionAt,
    offsetAt: lines.offsetAt,
    rangeOf: lines.rangeOf,
  };
}

/** Guesses the format from a file name: .yaml/.yml are YAML, everything else JSON. */
export function formatFromFileName(fileName: string): DocumentFormat {
  return /\.ya?ml$/i.test(fileName) ? 'yaml' : 'json';
}
