/**
 * State snippets (snippets/asl.code-snippets, snippets/asl-yaml.code-snippets, written for
 * VS Code) offered as completions where they fit: as a new state key inside a `States` object.
 * The files are read once at run time from the nearest `snippets/` folder above this bundle
 * (dist/ in the extension, the source tree under tests), so the server and the editor share them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver/node';
import type { DocumentFormat, ParsedDocument } from '../../../../asl/src/types';
import type { Cursor } from './cursor';
import { commaEdit } from './items';

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

/** Completion items inserting each snippet of `group` at a key position (State: inside `States`). */
export function snippetCompletions(doc: ParsedDocument, cur: Cursor, snippets: Snippet[], group = 'State'): CompletionItem[] {
  if (cur.kind !== 'key' || cur.hasValue) return [];
  const range = doc.rangeOf(cur.replace.offset, cur.replace.length);
  return snippets.filter((s) => s.group === group).map((s) => ({
    label: s.prefix,
    kind: CompletionItemKind.Snippet,
    detail: s.name,
    documentation: { kind: 'markdown', value: `${s.description}\n\n\`\`\`${doc.format}\n${s.body.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '')}\n\`\`\`` },
    filterText: s.prefix,
    sortText: '5' + s.prefix,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.body + (doc.format === 'json' && cur.needsComma ? ',' : '') },
    additionalTextEdits: commaEdit(doc, cur),
  }));
}
