/**
 * Builds completion items for a cursor: keys inserted with a value snippet shaped by the
 * field's type (JSON `"Overrides": {$1}`, YAML `Overrides:` + indented block), and values
 * quoted as the document format needs.
 */
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem, type MarkupContent, type TextEdit } from 'vscode-languageserver/node';
import type { ParsedDocument } from '../../../../asl/src/types';
import { yamlPlainOk } from '../rename';
import type { Cursor } from './cursor';

/** The type of value a key expects, deciding the inserted snippet. */
export type Shape = 'object' | 'array' | 'arrayOfObjects' | 'string' | 'number' | 'boolean' | 'true' | 'any' | { enum: string[] } | { choice: string[] };

/** Escapes text for use inside a snippet body. */
export function esc(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function choice(values: string[]): string {
  return values.map((v) => v.replace(/[\\,|$}]/g, (c) => '\\' + c)).join(',');
}

function jsonValueSnippet(shape: Shape): string {
  if (typeof shape === 'object') {
    const vals = 'enum' in shape ? shape.enum : shape.choice;
    return vals.length ? `"\${1|${choice(vals)}|}"` : '"$1"';
  }
  switch (shape) {
    case 'object':
      return '{$1}';
    case 'array':
      return '[$1]';
    case 'arrayOfObjects':
      return '[{$1}]';
    case 'string':
      return '"$1"';
    case 'number':
      return '${1:0}';
    case 'boolean':
      return '${1|true,false|}';
    case 'true':
      return 'true';
    default:
      return '$1';
  }
}

function yamlValueSnippet(shape: Shape, indent: string): string {
  if (typeof shape === 'object') {
    const vals = 'enum' in shape ? shape.enum : shape.choice;
    return vals.length ? ` \${1|${choice(vals.map((v) => (yamlPlainOk(v) ? v : JSON.stringify(v))))}|}` : ' $1';
  }
  switch (shape) {
    case 'object':
      return `\n${indent}  $1`;
    case 'array':
    case 'arrayOfObjects':
      return `\n${indent}  - $1`;
    case 'number':
      return ' ${1:0}';
    case 'boolean':
      return ' ${1|true,false|}';
    case 'true':
      return ' true';
    default:
      return ' $1';
  }
}

export interface ItemOptions {
  detail?: string;
  documentation?: string;
  kind?: CompletionItemKind;
  sortText?: string;
  /** extra text VS Code filters on */
  filterText?: string;
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
export function keyItem(doc: ParsedDocument, cur: Cursor, name: string, shape: Shape, o: ItemOptions = {}): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  let newText: string;
  if (doc.format === 'json') {
    const key = esc(JSON.stringify(name));
    newText = cur.hasValue ? key : `${key}: ${jsonValueSnippet(shape)}${cur.needsComma ? ',' : ''}`;
  } else {
    const key = esc(yamlPlainOk(name) ? name : JSON.stringify(name));
    newText = cur.hasValue ? key : `${key}:${yamlValueSnippet(shape, ' '.repeat(cur.column))}`;
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
    // YAML blocks carry their absolute indentation: the editor must not re-indent them
    insertTextMode: doc.format === 'yaml' && newText.includes('\n') ? InsertTextMode.asIs : undefined,
    textEdit: { range, newText },
  };
}

/** YAML: a value typed right after `key:` needs a space before it. */
function yamlGap(doc: ParsedDocument, cur: Cursor): string {
  return doc.format === 'yaml' && !cur.hasValue && doc.text[cur.replace.offset - 1] === ':' ? ' ' : '';
}

/** A completion item replacing the value under the cursor with `value` (a string or raw literal). */
export function valueItem(doc: ParsedDocument, cur: Cursor, value: string | boolean | number, o: ItemOptions = {}): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  let newText: string;
  if (typeof value !== 'string') newText = String(value);
  else if (doc.format === 'json') newText = JSON.stringify(value);
  else if (cur.quoted && doc.text[cur.replace.offset] === "'") newText = `'${value.replace(/'/g, "''")}'`;
  else newText = yamlPlainOk(value) && !cur.quoted ? value : JSON.stringify(value);
  newText = yamlGap(doc, cur) + newText;
  const label = String(value);
  return {
    label,
    kind: o.kind ?? CompletionItemKind.Value,
    detail: o.detail,
    documentation: docs(o.documentation),
    sortText: o.sortText,
    filterText: o.filterText ?? (cur.quoted || (doc.format === 'json' && typeof value === 'string') ? newText : label),
    textEdit: { range, newText },
  };
}

/** A value item whose text is a snippet (e.g. an intrinsic with placeholders). */
export function snippetValueItem(doc: ParsedDocument, cur: Cursor, label: string, snippet: string, o: ItemOptions = {}): CompletionItem {
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  const quote = doc.format === 'json' || cur.quoted || /^[{[*&!|>'"%@`#]/.test(label) || label.includes(': ') || label.includes(' #');
  const newText = yamlGap(doc, cur) + (quote ? `"${snippet.replace(/"/g, '\\"')}"` : snippet);
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
export function tokenItem(doc: ParsedDocument, range: { offset: number; length: number }, label: string, insert: string, o: ItemOptions & { snippet?: boolean } = {}): CompletionItem {
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
