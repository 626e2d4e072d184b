/**
 * JSON document/range formatting with jsonc-parser's formatter: whitespace only, so key
 * order, values and comments stay as written. YAML documents are left alone.
 */
import { createScanner, format as formatJson } from 'jsonc-parser';
import { MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver/node';
import type { ParsedDocument } from '../../../asl/src/types';
import { MAX_DEFINITION_BYTES } from '../../../asl/src/rules/limits';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/**
 * Deeper JSON is not formatted. A Map or Parallel state nested in another takes three or four
 * levels, so this is about 70 nested states, far past any real machine. The formatter's output
 * and time grow with depth × lines: 1,000 nested states (80 KB of JSON) format to a 36.7 MB
 * edit, in seconds.
 */
export const MAX_FORMAT_DEPTH = 256;
/** A larger formatted text is not produced: eight times the largest definition Step Functions accepts. */
export const MAX_FORMATTED_CHARS = 8 * MAX_DEFINITION_BYTES;

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const COLON = 6;
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const LINE_BREAK = 14;
const TRIVIA = 15;
const EOF = 17;

/**
 * Why `text` is not formatted, or undefined. One scan, stopped at the first limit passed,
 * bounds the formatted size from above: every token, plus a line break and the indentation of
 * its level after each bracket, comma and comment.
 */
export function formattingRefusal(text: string, options: FormattingOptions): string | undefined {
  const indent = options.insertSpaces ? Math.max(1, options.tabSize) : 1;
  const scanner = createScanner(text, false);
  let depth = 0;
  let size = 0;
  for (let t = scanner.scan(); t !== EOF; t = scanner.scan()) {
    if (t === TRIVIA || t === LINE_BREAK) continue;
    size += scanner.getTokenLength();
    if (t === OPEN_BRACE || t === OPEN_BRACKET) {
      if (++depth > MAX_FORMAT_DEPTH)
        return `Not formatted: the document nests objects and arrays more than ${MAX_FORMAT_DEPTH} levels deep, deeper than any real state machine.`;
    } else if (t === CLOSE_BRACE || t === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
    else if (t === COLON) {
      size += 1;
      continue;
    } else if (t !== COMMA && t !== LINE_COMMENT && t !== BLOCK_COMMENT) continue;
    size += 2 + depth * indent;
    if (size > MAX_FORMATTED_CHARS)
      return `Not formatted: the formatted document would be over ${MAX_FORMATTED_CHARS / 1048576} MiB, eight times the largest definition Step Functions accepts.`;
  }
  return undefined;
}

/**
 * jsonc-parser 3.3 takes a line break and its indentation from a cache of 200 entries and, for
 * exactly 200 indentation characters, reads one past its end: the edit comes without content.
 * That edit is a line break followed by this many indentation characters.
 */
const JSONC_INDENT_CACHE = 200;

/** The edits formatting `doc` (or the given offset range of it); [] for YAML. */
export function formatEdits(
  doc: ParsedDocument,
  options: FormattingOptions,
  range?: { offset: number; length: number },
): TextEdit[] {
  if (doc.format !== 'json') return [];
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const edits = formatJson(doc.text, range, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol,
    insertFinalNewline: options.insertFinalNewline,
    keepLines: false,
  });
  const cacheMiss = eol + (options.insertSpaces ? ' ' : '\t').repeat(JSONC_INDENT_CACHE);
  return edits.map((e) => ({ range: doc.rangeOf(e.offset, e.length), newText: e.content ?? cacheMiss }));
}

/** Registers document and range formatting. */
export function formatting(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.documentFormattingProvider = true;
  ctx.capabilities.documentRangeFormattingProvider = true;
  /** No edit, and a message saying why, for a document past the formatting limits. */
  const edits = (doc: ParsedDocument, options: FormattingOptions, range?: { offset: number; length: number }) => {
    const refusal = doc.format === 'json' ? formattingRefusal(doc.text, options) : undefined;
    if (refusal) {
      // a notification, not showWarningMessage's request: there is nothing to answer
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: refusal });
      return [];
    }
    return formatEdits(doc, options, range);
  };
  connection.onDocumentFormatting(
    guard(connection, 'formatting', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? edits(e.doc, p.options) : [];
    }),
  );
  connection.onDocumentRangeFormatting(
    guard(connection, 'rangeFormatting', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return [];
      const start = e.doc.offsetAt(p.range.start);
      return edits(e.doc, p.options, { offset: start, length: e.doc.offsetAt(p.range.end) - start });
    }),
  );
}
