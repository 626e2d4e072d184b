/**
 * JSON document/range formatting with jsonc-parser's formatter: whitespace only, so key
 * order, values and comments stay as written. YAML documents are left alone.
 */
import { format as formatJson } from 'jsonc-parser';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver/node';
import type { ParsedDocument } from '../../../asl/src/types';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/** The edits formatting `doc` (or the given offset range of it); [] for YAML. */
export function formatEdits(doc: ParsedDocument, options: FormattingOptions, range?: { offset: number; length: number }): TextEdit[] {
  if (doc.format !== 'json') return [];
  const eol = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const edits = formatJson(doc.text, range, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol,
    insertFinalNewline: options.insertFinalNewline,
    keepLines: false,
  });
  return edits.map((e) => ({ range: doc.rangeOf(e.offset, e.length), newText: e.content }));
}

/** Registers document and range formatting. */
export function formatting(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.documentFormattingProvider = true;
  ctx.capabilities.documentRangeFormattingProvider = true;
  connection.onDocumentFormatting(
    guard(connection, 'formatting', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? formatEdits(e.doc, p.options) : [];
    }),
  );
  connection.onDocumentRangeFormatting(
    guard(connection, 'rangeFormatting', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return [];
      const start = e.doc.offsetAt(p.range.start);
      return formatEdits(e.doc, p.options, { offset: start, length: e.doc.offsetAt(p.range.end) - start });
    }),
  );
}
