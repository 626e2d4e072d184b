/**
 * textDocument/completion: finds the cursor in the cached tree, then asks each provider in
 * turn (ECS/EKS parameters, state snippets, ASL structure, resources, paths, JSONata).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompletionTriggerKind, type CompletionItem, type CompletionList } from 'vscode-languageserver/node';
import type { MachineModel, ParsedDocument } from '../../../../asl/src/types';
import { guard } from '../../safe';
import type { FeatureContext } from '../index';
import { keyOf } from '../../../../asl/src/parse/tree';
import { aslKeyCompletions, aslValueCompletions } from './asl';
import { blankDocumentCursor, cursorAt } from './cursor';
import { lineStartOf, type Cursor } from './cursorText';
import { makeEnv, type CompletionEnv } from './env';
import { parameterKeyCompletions, parameterValueCompletions, resourceCompletions } from './parameters';
import { jsonataCompletions, jsonataStarters, pathCompletions } from './paths';
import { snippetCompletions, stateSnippets, type Snippet } from './snippets';

function isErrorEqualsItem(env: CompletionEnv): boolean {
  const r = env.rel;
  return r.length === 4 && (r[0] === 'Retry' || r[0] === 'Catch') && r[2] === 'ErrorEquals';
}

function keyCompletions(env: CompletionEnv, snippets: Snippet[]): CompletionItem[] {
  const { cur } = env;
  const out: CompletionItem[] = [];
  const params = parameterKeyCompletions(env);
  if (params) out.push(...params);
  else if (cur.path[cur.path.length - 1] === 'States') return snippetCompletions(env.doc, cur, snippets);
  else out.push(...(aslKeyCompletions(env) ?? []));
  // Retry/Catch snippets (ECS/EKS error names) where a Task state's fields are typed
  if (
    env.state?.type === 'Task' &&
    env.rel.length === 0 &&
    env.state.resource?.service &&
    ['ecs', 'eks'].includes(env.state.resource.service)
  ) {
    const svc = env.state.resource.service.toUpperCase();
    for (const group of ['Retry', 'Catch']) {
      if (cur.existing.has(group) || (group === 'Catch' && env.queryLanguage !== 'JSONPath')) continue;
      out.push(
        ...snippetCompletions(
          env.doc,
          cur,
          snippets.filter((s) => s.name.includes(svc)),
          group,
        ),
      );
    }
  }
  return out;
}

function valueCompletions(env: CompletionEnv): CompletionItem[] {
  const key = keyOf(env.cur.property);
  const jsonata = jsonataCompletions(env);
  if (jsonata) return jsonata;
  if (key === 'Resource' && env.rel.length === 1 && env.state?.type !== 'Map') return resourceCompletions(env);
  const paths = pathCompletions(env);
  if (paths) return paths;
  const params = parameterValueCompletions(env);
  if (params && params.length) return params;
  const asl = aslValueCompletions(env);
  if (asl) return asl;
  return jsonataStarters(env) ?? [];
}

/**
 * Whether a completion the editor asked for because a trigger character was typed is
 * wanted there. A space opens the list only where a value starts (after `key:`, or a YAML
 * `- ` item marker): spaces typed as indentation or inside text open nothing.
 */
export function triggerFits(text: string, offset: number, trigger: string | undefined): boolean {
  if (trigger !== ' ') return true;
  const before = text.slice(Math.max(lineStartOf(text, offset), offset - 200), offset);
  return /:\s$/.test(before) || /^\s*(- +)+$/.test(before);
}

/** The completion list at `offset` of a parsed document. Never throws. */
export function completeAt(
  doc: ParsedDocument,
  model: MachineModel,
  offset: number,
  opts: { inputSample?: unknown; snippets?: Snippet[]; trigger?: string } = {},
): CompletionList {
  if (!triggerFits(doc.text, offset, opts.trigger)) return { isIncomplete: false, items: [] };
  const blank = blankDocumentCursor(doc, offset);
  const machines = blank ? snippetCompletions(doc, blank, opts.snippets ?? [], 'Machine') : [];
  const cur: Cursor | undefined = cursorAt(doc, offset);
  if (!cur) return { isIncomplete: false, items: machines };
  let env = makeEnv(doc, model, cur, opts.inputSample);
  if (cur.kind === 'key' && isErrorEqualsItem(env)) env = { ...env, cur: { ...cur, kind: 'value' } };
  const items = env.cur.kind === 'key' ? keyCompletions(env, opts.snippets ?? []) : valueCompletions(env);
  return { isIncomplete: !!env.incomplete, items: [...machines, ...items] };
}

const inputCache = new Map<string, { mtimeMs: number; value: unknown }>();

/** Parsed input.json next to a file: uri (cached by mtime), if any. */
function inputSampleFor(uri: string): unknown {
  if (!uri.startsWith('file:')) return undefined;
  try {
    const file = path.join(path.dirname(fileURLToPath(uri)), 'input.json');
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || st.size > 1_000_000) return undefined;
    const hit = inputCache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit.value;
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    inputCache.set(file, { mtimeMs: st.mtimeMs, value });
    return value;
  } catch {
    return undefined;
  }
}

/** Registers textDocument/completion. */
export function completion(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.completionProvider = { triggerCharacters: ['"', ':', '.', '$', ' '], resolveProvider: false };
  connection.onCompletion(
    guard(connection, 'completion', null as CompletionList | null, (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return null;
      return completeAt(e.doc, e.model, e.doc.offsetAt(p.position), {
        inputSample: inputSampleFor(p.textDocument.uri),
        snippets: stateSnippets(e.doc.format),
        trigger:
          p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? p.context.triggerCharacter : undefined,
      });
    }),
  );
}
