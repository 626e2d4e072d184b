/**
 * The snippets (snippets/asl.code-snippets, snippets/asl-yaml.code-snippets, in VS Code's
 * format) offered as completions only where they fit: states as a new key inside `States`,
 * Retry/Catch blocks among a Task state's fields, whole machines in an empty document. The
 * extension contributes no snippets itself, so each one is listed once and never inside a value.
 * The files are read once at run time from the nearest `snippets/` folder above this bundle
 * (dist/ in the extension, the source tree under tests), so the server and the editor share them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver/node';
import type { DocumentFormat, ParsedDocument } from '../../../../asl/src/types';
import type { Cursor } from './cursorText';
import { indentOfLine } from '../shared/jsonEdits';
import { commaEdit, yamlUnit } from './items';

/** One snippet in VS Code's format. */
export interface Snippet {
  /** the part before ':' in the snippet's name: State, Retry, Catch, Machine */
  group: string;
  name: string;
  prefix: string;
  description: string;
  body: string;
}

const FILES: Record<DocumentFormat, string> = { json: 'asl.code-snippets', yaml: 'asl-yaml.code-snippets' };
const cache = new Map<DocumentFormat, Snippet[]>();

/** Parses a snippets file's text (entries named "<Group>: …", e.g. "State: ECS runTask"). */
export function parseSnippets(text: string): Snippet[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!raw || typeof raw !== 'object') return [];
  const out: Snippet[] = [];
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    const m = /^(\w+):\s*(.*)$/.exec(name);
    if (!m || !v || typeof v !== 'object') continue;
    const s = v as { prefix?: unknown; description?: unknown; body?: unknown };
    const body = Array.isArray(s.body) ? s.body.join('\n') : typeof s.body === 'string' ? s.body : undefined;
    if (!body) continue;
    const prefix = Array.isArray(s.prefix) ? String(s.prefix[0]) : String(s.prefix ?? name);
    out.push({ group: m[1], name: m[2], prefix, description: String(s.description ?? ''), body });
  }
  return out;
}

function findSnippetsDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'snippets');
    if (fs.existsSync(path.join(candidate, FILES.json))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The snippets of a document format (empty when the files are missing). */
export function stateSnippets(format: DocumentFormat): Snippet[] {
  let list = cache.get(format);
  if (!list) {
    const dir = findSnippetsDir();
    try {
      list = dir ? parseSnippets(fs.readFileSync(path.join(dir, FILES[format]), 'utf8')) : [];
    } catch {
      list = [];
    }
    cache.set(format, list);
  }
  return list;
}

/**
 * A YAML body written with two spaces per level, re-indented to `unit` per level. The content
 * of a `- ` item stays two columns right of its dash, whatever the unit.
 */
function reindentYaml(lines: string[], unit: string): string[] {
  const stack = [{ was: 0, now: 0 }];
  return lines.map((line) => {
    const lead = /^ */.exec(line)![0].length;
    if (lead === line.length) return line;
    while (stack.length > 1 && stack[stack.length - 1].was > lead) stack.pop();
    const top = stack[stack.length - 1];
    const now = top.was === lead ? top.now : top.now + unit.length * Math.max(1, Math.round((lead - top.was) / 2));
    if (top.was !== lead) stack.push({ was: lead, now });
    const dashes = /^(?:- +)+/.exec(line.slice(lead))?.[0].length ?? 0;
    if (dashes) stack.push({ was: lead + dashes, now: now + dashes });
    return ' '.repeat(now) + line.slice(lead);
  });
}

/**
 * A snippet body placed at an indentation: the snippet files indent by two spaces; YAML bodies
 * take the document's own unit, and every line after the first gets `indent`.
 */
function placeBody(doc: ParsedDocument, body: string, indent: string): string {
  const unit = doc.format === 'yaml' ? yamlUnit(doc) : '  ';
  const lines = body.split('\n');
  return (unit === '  ' ? lines : reindentYaml(lines, unit))
    .map((line, i) => (i === 0 ? line : indent + line))
    .join('\n');
}

/** Completion items inserting each snippet of `group` at a key position (State: inside `States`). */
export function snippetCompletions(
  doc: ParsedDocument,
  cur: Cursor,
  snippets: Snippet[],
  group = 'State',
): CompletionItem[] {
  if (cur.kind !== 'key' || cur.hasValue) return [];
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  const json = doc.format === 'json';
  const before = cur.beforeKey;
  // the lines of a multi-line insert start at the indentation its first line gets
  const broken = before?.after.includes('\n') ? before.after.slice(before.after.indexOf('\n') + 1) : undefined;
  const indent =
    broken ?? (doc.format === 'yaml' ? ' '.repeat(cur.column) : indentOfLine(doc.text, cur.replace.offset));
  return snippets
    .filter((s) => s.group === group)
    .map((s) => {
      let newText = placeBody(doc, s.body, indent);
      if (before) newText = before.lead + newText + (json ? ',' : '') + before.after;
      else if (json && cur.needsComma) newText += ',';
      return {
        label: s.prefix,
        kind: CompletionItemKind.Snippet,
        detail: s.name,
        documentation: {
          kind: 'markdown',
          value: `${s.description}\n\n\`\`\`${doc.format}\n${s.body
            .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
            .replace(/\$\{\d+:([^}]*)\}/g, '$1')
            .replace(/\$\d+/g, '')}\n\`\`\``,
        },
        filterText: cur.quoted ? `"${s.prefix}` : s.prefix,
        sortText: '5' + s.prefix,
        insertTextFormat: InsertTextFormat.Snippet,
        // the body carries its indentation: the editor must not indent it again
        insertTextMode: newText.includes('\n') ? InsertTextMode.asIs : undefined,
        textEdit: { range, newText },
        additionalTextEdits: commaEdit(doc, cur),
      };
    });
}
