/**
 * parseDocument: text -> positioned tree + syntax problems + position mapping, for JSON and
 * YAML. Never throws; linear in the text size.
 */
import type { DocumentFormat, ParsedDocument, ParseProblem } from '../types';
import { capProblems, parseJson, problem, CODE_SYNTAX } from './json';
import { parseYaml } from './yaml';
import { createLineIndex } from './lines';

/** Parses `text` as JSON or YAML into a ParsedDocument. */
export function parseDocument(text: string, format: DocumentFormat): ParsedDocument {
  const src = typeof text === 'string' ? text : '';
  let root: ParsedDocument['root'];
  let problems: ParseProblem[];
  let duplicateKeys: ParsedDocument['duplicateKeys'];
  try {
    ({ root, problems, duplicateKeys } = format === 'yaml' ? parseYaml(src) : parseJson(src));
    problems = capProblems(problems);
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
    duplicateKeys,
    positionAt: lines.positionAt,
    offsetAt: lines.offsetAt,
    rangeOf: lines.rangeOf,
  };
}
