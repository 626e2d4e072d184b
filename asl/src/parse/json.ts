/**
 * JSON front end: jsonc-parser builds the tree tolerantly; comments and trailing commas are
 * reported as errors because Step Functions' JSON parser rejects both (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html,
 * INVALID_JSON_DESCRIPTION).
 */
import { parseTree } from 'jsonc-parser';
import type { AstNode, ParseProblem } from '../types';
import { fastParseJson } from './fastJson';
import { repeatedKeysIn } from './tree';

export const CODE_SYNTAX = 'ASL001';
export const CODE_COMMENT = 'ASL002';
export const CODE_TRAILING_COMMA = 'ASL003';
export const CODE_DUPLICATE_KEY = 'ASL004';

/**
 * Syntax problems past this many are not listed, only counted: such a text is not a machine
 * being edited, and tens of thousands of problems (a mangled 250 KB file has 60,000) cost more
 * to compute, validate and send than everything else.
 */
export const MAX_SYNTAX_PROBLEMS = 1000;

/** At most MAX_SYNTAX_PROBLEMS of `problems` (in text order), and a last one counting the rest. */
export function capProblems(problems: ParseProblem[]): ParseProblem[] {
  if (problems.length <= MAX_SYNTAX_PROBLEMS) return problems;
  const sorted = [...problems].sort((a, b) => a.offset - b.offset);
  const rest = sorted.length - MAX_SYNTAX_PROBLEMS;
  return [
    ...sorted.slice(0, MAX_SYNTAX_PROBLEMS),
    problem(
      CODE_SYNTAX,
      `${rest} more syntax problems follow and are not shown; fix the ones above first.`,
      sorted[MAX_SYNTAX_PROBLEMS].offset,
      0,
    ),
  ];
}

// jsonc-parser's ParseErrorCode values (a const enum, so restated here as numbers).
const MESSAGES: Record<number, string> = {
  1: 'Invalid symbol: this is not valid JSON.',
  2: 'Invalid number format.',
  3: 'Expected a property name in double quotes.',
  4: 'Expected a value.',
  5: "Expected ':' after the property name.",
  6: "Expected ',' between values.",
  7: "Expected '}' to close the object.",
  8: "Expected ']' to close the array.",
  9: 'Unexpected content after the end of the document.',
  10: 'Comments are not allowed: Step Functions rejects JSON with comments.',
  11: 'Unterminated block comment.',
  12: 'Unterminated string.',
  13: 'Unexpected end of number.',
  14: 'Invalid unicode escape sequence.',
  15: 'Invalid escape character in string.',
  16: 'Invalid character in string (control characters must be escaped).',
};

const PROPERTY_NAME_EXPECTED = 3;
const VALUE_EXPECTED = 4;
const INVALID_COMMENT = 10;

export interface FrontEndResult {
  root: AstNode | undefined;
  problems: ParseProblem[];
  /** JSON: see ParsedDocument.duplicateKeys */
  duplicateKeys?: [AstNode, AstNode][];
}

/** Parses JSON text; never throws (a stack overflow on absurd nesting becomes a problem). */
export function parseJson(text: string): FrontEndResult {
  const problems: ParseProblem[] = [];
  const errors: { error: number; offset: number; length: number }[] = [];
  const duplicateKeys: [AstNode, AstNode][] = [];
  const fast = fastParseJson(text, duplicateKeys);
  if (fast) return { root: fast, problems, duplicateKeys };
  let root: AstNode | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false }) as AstNode | undefined;
  } catch {
    problems.push(problem(CODE_SYNTAX, 'The document is nested too deeply to be parsed.', 0, 0));
    return { root: undefined, problems };
  }
  const comments: { offset: number; length: number }[] = [];
  const trailingCommas = new Set<number>();
  for (const e of errors) {
    if (e.error === INVALID_COMMENT) {
      const unterminated =
        text.startsWith('/*', e.offset) && !text.slice(e.offset + 2, e.offset + e.length).endsWith('*/');
      comments.push(e);
      problems.push(
        problem(
          unterminated ? CODE_SYNTAX : CODE_COMMENT,
          unterminated ? MESSAGES[11] : MESSAGES[10],
          e.offset,
          e.length,
        ),
      );
      continue;
    }
    if (e.error === PROPERTY_NAME_EXPECTED || e.error === VALUE_EXPECTED) {
      const comma = trailingCommaBefore(text, e.offset, comments);
      if (comma >= 0) {
        if (!trailingCommas.has(comma)) {
          trailingCommas.add(comma);
          problems.push(
            problem(
              CODE_TRAILING_COMMA,
              'Trailing comma: Step Functions rejects a comma before a closing bracket.',
              comma,
              1,
            ),
          );
        }
        continue;
      }
      if (e.error === VALUE_EXPECTED && text.trim() === '') {
        problems.push(problem(CODE_SYNTAX, 'The document is empty: expected a JSON object.', 0, 0));
        continue;
      }
    }
    const last = problems[problems.length - 1];
    const message = MESSAGES[e.error] ?? 'Syntax error.';
    // jsonc-parser repeats an error at the end of the text once per open container
    if (last && last.offset === e.offset && last.message === message) continue;
    problems.push(problem(CODE_SYNTAX, message, e.offset, e.length));
  }
  return { root, problems, duplicateKeys: root ? repeatedKeysIn(root) : [] };
}

/**
 * When an error sits on a closing `}`/`]` that follows a comma (whitespace and comments
 * between), returns the comma's offset; otherwise -1.
 */
function trailingCommaBefore(text: string, offset: number, comments: { offset: number; length: number }[]): number {
  const c = text.charCodeAt(offset);
  if (c !== 125 /* } */ && c !== 93 /* ] */) return -1;
  let i = offset - 1;
  for (let guard = 0; i >= 0 && guard < 100000; guard++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
      i--;
      continue;
    }
    const comment = findCommentEndingAt(comments, i);
    if (comment) {
      i = comment.offset - 1;
      continue;
    }
    break;
  }
  return i >= 0 && text.charCodeAt(i) === 44 /* , */ ? i : -1;
}

function findCommentEndingAt(comments: { offset: number; length: number }[], index: number) {
  // comments are few and ordered; search from the end
  for (let k = comments.length - 1; k >= 0; k--) {
    const cm = comments[k];
    if (cm.offset + cm.length - 1 === index || (cm.offset <= index && index < cm.offset + cm.length)) return cm;
    if (cm.offset + cm.length - 1 < index) break;
  }
  return undefined;
}

/** Builds an error-severity problem. */
export function problem(
  code: string,
  message: string,
  offset: number,
  length: number,
  severity: ParseProblem['severity'] = 'error',
): ParseProblem {
  return { code, message, offset, length, severity };
}
