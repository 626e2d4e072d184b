/**
 * Builds completion items for a cursor: keys inserted with a value snippet shaped by the
 * field's type (JSON `"Overrides": {$0}`, YAML `Overrides:` + indented block), and values
 * quoted as the document format needs.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  type CompletionItem,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver/node';
import { yamlString } from '../../../../asl/src/text/emit';
import type { ParsedDocument } from '../../../../asl/src/types';
import { jsonStyle } from '../shared/jsonEdits';
import type { Cursor } from './cursorText';

/** The type of value a key expects, deciding the inserted snippet. */
export type Shape =
  | 'object'
  | 'array'
  | 'arrayOfObjects'
  | 'string'
  | 'number'
  | 'boolean'
  | 'true'
  | 'any'
  | { enum: string[] }
  | { choice: string[] };

/** Escapes text for use inside a snippet body. */
export function esc(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

/** The values of an enumerable shape (an enum of the schema, or known state names). */
function valuesOf(shape: Shape): string[] | undefined {
  return typeof shape === 'object' ? ('enum' in shape ? shape.enum : shape.choice) : undefined;
}

/** The one value a key can have (a single-value enum), written at once. */
function onlyValue(shape: Shape): string | undefined {
  return typeof shape === 'object' && 'enum' in shape && shape.enum.length === 1 ? shape.enum[0] : undefined;
}

/*
 * Every value snippet has a single tab stop and it is the final one (`$0`, `${0:0}`): VS Code
 * keeps a snippet session open while tab stops remain, and a session left open by one item
 * breaks the next item inserted inside it (its placeholder is not selected, typing lands in
 * the previous line). A boolean is a selected `true` rather than a choice for the same reason:
 * typing over it opens the value list.
 */
function jsonValueSnippet(shape: Shape): string {
  const only = onlyValue(shape);
  if (only !== undefined) return esc(JSON.stringify(only));
  // the values are offered by the suggest list opened again after the insert (`retriggers`)
  if (valuesOf(shape)) return '"$0"';
  switch (shape) {
    case 'object':
      return '{$0}';
    case 'array':
      return '[$0]';
    case 'arrayOfObjects':
      return '[{$0}]';
    case 'string':
      return '"$0"';
    case 'number':
      return '${0:0}';
    case 'boolean':
      return '${0:true}';
    case 'true':
      return 'true';
    default:
      return '$0';
  }
}

/** YAML value after `key:`; nested blocks start on the next line, one `unit` deeper than `column`. */
function yamlValueSnippet(shape: Shape, column: number, unit: string): string {
  const only = onlyValue(shape);
  if (only !== undefined) return ` ${esc(yamlString(only))}`;
  if (valuesOf(shape)) return ' $0';
  const nested = ' '.repeat(column) + unit;
  switch (shape) {
    case 'object':
      return `\n${nested}$0`;
    case 'array':
    case 'arrayOfObjects':
      return `\n${nested}- $0`;
    case 'number':
      return ' ${0:0}';
    case 'boolean':
      return ' ${0:true}';
    case 'true':
      return ' true';
    default:
      return ' $0';
  }
}

/**
 * Whether the suggest list should open again right after a key is inserted: its value has
 * several known values, or the producer knows that what goes there can be completed
 * (`retrigger`). Never where nothing would be offered: an editor shows "No suggestions" then.
 * A JSON object or array of objects is not reopened: its members go on lines of their own.
 */
function retriggers(doc: ParsedDocument, shape: Shape, asked: boolean | undefined): boolean {
  if (onlyValue(shape) !== undefined) return false;
  if (valuesOf(shape)) return true;
  if (doc.format === 'json' && (shape === 'object' || shape === 'arrayOfObjects')) return false;
  return !!asked;
}

/** The editor command that opens the suggest list (VS Code's; other clients ignore it). */
const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/** One indentation level of a YAML document: the document's own, else two spaces. */
export function yamlUnit(doc: ParsedDocument): string {
  const unit = jsonStyle(doc).unit;
  return unit.startsWith(' ') ? unit : '  ';
}

export interface ItemOptions {
  detail?: string;
  documentation?: string;
  kind?: CompletionItemKind;
  sortText?: string;
  /** extra text VS Code filters on */
  filterText?: string;
  /** the value of this key has completions: open the suggest list again after inserting it */
  retrigger?: boolean;
}

function docs(md: string | undefined): MarkupContent | undefined {
  return md ? { kind: 'markdown', value: md } : undefined;
}

/** JSON: the comma to add after the previous property when it lacks one. */
export function commaEdit(doc: ParsedDocument, cur: Cursor): TextEdit[] | undefined {
  if (doc.format !== 'json' || cur.commaAt === undefined || cur.hasValue) return undefined;
  return [{ range: doc.rangeOf(cur.commaAt, 0), newText: ',' }];
}

/** A completion item inserting the key `name` (and a value snippet unless one exists). */
export function keyItem(
  doc: ParsedDocument,
  cur: Cursor,
  name: string,
  shape: Shape,
  o: ItemOptions = {},
): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  const json = doc.format === 'json';
  const key = esc(json ? JSON.stringify(name) : yamlString(name));
  let newText: string;
  if (cur.hasValue) newText = key;
  else {
    newText = json
      ? `${key}: ${jsonValueSnippet(shape)}`
      : `${key}:${yamlValueSnippet(shape, cur.column, yamlUnit(doc))}`;
    if (cur.beforeKey) newText = cur.beforeKey.lead + newText + (json ? ',' : '') + cur.beforeKey.after;
    else if (json && cur.needsComma) newText += ',';
  }
  return {
    label: name,
    additionalTextEdits: commaEdit(doc, cur),
    kind: o.kind ?? CompletionItemKind.Property,
    detail: o.detail,
    documentation: docs(o.documentation),
    sortText: o.sortText,
    filterText: o.filterText ?? (cur.quoted ? JSON.stringify(name) : name),
    insertTextFormat: InsertTextFormat.Snippet,
    // multi-line inserts carry their absolute indentation: the editor must not re-indent them
    insertTextMode: newText.includes('\n') ? InsertTextMode.asIs : undefined,
    textEdit: { range, newText },
    command: !cur.hasValue && retriggers(doc, shape, o.retrigger) ? TRIGGER_SUGGEST : undefined,
  };
}

/** The space a value typed right after `key:` needs before it. */
function valueGap(doc: ParsedDocument, cur: Cursor): string {
  return !cur.hasValue && doc.text[cur.replace.offset - 1] === ':' ? ' ' : '';
}

/** JSON: the comma a value needs when another member follows it. */
function valueComma(doc: ParsedDocument, cur: Cursor): string {
  return doc.format === 'json' && cur.needsComma ? ',' : '';
}

/** A completion item replacing the value under the cursor with `value` (a string or raw literal). */
export function valueItem(
  doc: ParsedDocument,
  cur: Cursor,
  value: string | boolean | number,
  o: ItemOptions = {},
): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  let text: string;
  if (typeof value !== 'string') text = String(value);
  else if (doc.format === 'json') text = JSON.stringify(value);
  else if (cur.quoted && doc.text[cur.replace.offset] === "'") text = `'${value.replace(/'/g, "''")}'`;
  else text = cur.quoted ? JSON.stringify(value) : yamlString(value);
  const label = String(value);
  return {
    label,
    kind: o.kind ?? CompletionItemKind.Value,
    detail: o.detail,
    documentation: docs(o.documentation),
    sortText: o.sortText,
    filterText: o.filterText ?? (cur.quoted || (doc.format === 'json' && typeof value === 'string') ? text : label),
    textEdit: { range, newText: valueGap(doc, cur) + text + valueComma(doc, cur) },
  };
}

/** A value item whose text is a snippet (e.g. an intrinsic with placeholders). */
export function snippetValueItem(
  doc: ParsedDocument,
  cur: Cursor,
  label: string,
  snippet: string,
  o: ItemOptions = {},
): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  const quote =
    doc.format === 'json' ||
    cur.quoted ||
    /^[{[*&!|>'"%@`#]/.test(label) ||
    label.includes(': ') ||
    label.includes(' #');
  const newText = valueGap(doc, cur) + (quote ? `"${snippet.replace(/"/g, '\\"')}"` : snippet) + valueComma(doc, cur);
  return {
    label,
    kind: o.kind ?? CompletionItemKind.Function,
    detail: o.detail,
    documentation: docs(o.documentation),
    sortText: o.sortText,
    filterText: o.filterText ?? (quote && (cur.quoted || doc.format === 'json') ? JSON.stringify(label) : label),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText },
  };
}

/** A raw text item inserted at a token range (inside an expression or intrinsic call). */
export function tokenItem(
  doc: ParsedDocument,
  range: { offset: number; length: number },
  label: string,
  insert: string,
  o: ItemOptions & { snippet?: boolean } = {},
): CompletionItem {
  return {
    label,
    kind: o.kind ?? CompletionItemKind.Variable,
    detail: o.detail,
    documentation: docs(o.documentation),
    sortText: o.sortText,
    filterText: o.filterText ?? label,
    insertTextFormat: o.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range: doc.rangeOf(range.offset, range.length), newText: insert },
  };
}
