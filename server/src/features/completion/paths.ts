/**
 * Completion of path values: `.$` keys and path fields (context object paths, intrinsic
 * functions with placeholders, `$` paths the machine is known to produce, variables from
 * Assign), and JSONata `{% %}` expressions ($states members, variables, function library).
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import { PATH_FIELDS } from '../../../../asl/src/schemas/fields';
import { INTRINSICS } from '../../../../asl/src/paths';
import type { AstNode } from '../../../../asl/src/types';
import { keyOf } from '../../../../asl/src/parse/tree';
import type { CompletionEnv } from './env';
import { esc, snippetValueItem, tokenItem, valueItem } from './items';
import { CONTEXT_PATHS, JSONATA_FUNCTIONS, STATES_MEMBERS } from '../shared/pathData';
import { assignedVariables, knownInputPaths } from './producers';

/** Whether the value at the cursor wants a JSONPath (a `.$` key or a path field). */
export function wantsPath(env: CompletionEnv): boolean {
  const key = keyOf(env.cur.property);
  if (!key) return false;
  if (key.endsWith('.$')) return true;
  if (env.queryLanguage !== 'JSONPath' || !env.state) return false;
  if (PATH_FIELDS.includes(key)) return true;
  // Choice comparisons against another path (StringEqualsPath...)
  return env.rel[0] === 'Choices' && /Path$/.test(key);
}

function intrinsicSnippet(name: string, signature: string, kinds: string[] | undefined): string {
  const m = /\((.*)\)/.exec(signature);
  const params = m
    ? m[1]
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
    : [];
  const parts = params.map((p, i) => {
    const bare = p.replace(/^\.\.\.|\[|\]/g, '').trim();
    if (bare === 'false') return 'false';
    const kind = kinds?.[Math.min(i, (kinds?.length ?? 1) - 1)];
    const n = i + 1;
    return kind === 'string' ? `'\${${n}:${bare}}'` : `\${${n}:\\$.${bare}}`;
  });
  return `${name}(${parts.join(', ')})`;
}

/** Token before the caret inside an expression (for in-string completion). */
function tokenBefore(text: string, offset: number, min: number): { offset: number; length: number; text: string } {
  let s = offset;
  while (s > min && /[A-Za-z0-9_.$]/.test(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && /[A-Za-z0-9_]/.test(text[e])) e++;
  return { offset: s, length: e - s, text: text.slice(s, offset) };
}

/** Path completions for a JSONPath value; undefined when the value does not want a path. */
export function pathCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  if (!wantsPath(env)) return undefined;
  const { doc, cur } = env;
  const key = keyOf(cur.property) ?? '';
  const out: CompletionItem[] = [];
  const inMap =
    !!env.state &&
    (env.state.scope.kind === 'processor' ||
      (env.state.type === 'Map' && (env.rel[0] === 'ItemSelector' || env.rel[0] === 'Parameters')));
  const inside = cur.prefix.includes('(');
  const push = (label: string, detail: string, kind: CompletionItemKind, sort: string, documentation?: string) => {
    if (inside) {
      const caret = cur.replace.offset + (cur.quoted ? 1 : 0) + cur.prefix.length;
      const tok = tokenBefore(doc.text, caret, cur.replace.offset);
      out.push(tokenItem(doc, tok, label, label, { kind, detail, sortText: sort, documentation }));
    } else out.push(valueItem(doc, cur, label, { kind, detail, sortText: sort, documentation }));
  };
  for (const c of CONTEXT_PATHS) {
    if (c.path.startsWith('$$.Map.') && !inMap) continue;
    push(c.path, c.doc, CompletionItemKind.Constant, '2' + c.path, c.doc);
  }
  for (const p of knownInputPaths(env)) push(p.path, p.source, CompletionItemKind.Field, '1' + p.path);
  for (const v of assignedVariables(env))
    push('$' + v.name, `variable (Assign in ${v.source})`, CompletionItemKind.Variable, '0' + v.name);
  // intrinsic functions belong in payload templates (`.$` keys), not in *Path fields (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html)
  if (key.endsWith('.$') && !inside) {
    for (const [name, info] of Object.entries(INTRINSICS)) {
      const snippet = intrinsicSnippet(name, info.signature, info.argKinds);
      out.push(
        snippetValueItem(doc, cur, name, snippet, {
          detail: info.signature,
          documentation: info.description,
          sortText: '3' + name,
        }),
      );
    }
  }
  return out;
}

/** JSONata completions inside a `{% … %}` string at the cursor; undefined when not in one. */
export function jsonataCompletions(env: CompletionEnv): CompletionItem[] | undefined {
  const { doc, cur } = env;
  const node: AstNode | undefined = cur.valueNode;
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const startInner = node.offset + (cur.quoted ? 1 : 0);
  const typed = cur.prefix;
  if (!typed.trimStart().startsWith('{%')) return undefined;
  const caret = startInner + typed.length;
  const tok = tokenBefore(doc.text, caret, startInner + 2);
  const out: CompletionItem[] = [];
  const inCatch = env.rel[0] === 'Catch';
  const hasResult =
    !!env.state &&
    ['Task', 'Parallel', 'Map'].includes(env.state.type ?? '') &&
    (env.rel[0] === 'Output' || env.rel[0] === 'Assign');
  for (const m of STATES_MEMBERS) {
    if (m.path === '$states.result' && !hasResult) continue;
    if (m.path === '$states.errorOutput' && !inCatch) continue;
    if (
      m.path.startsWith('$states.context.Map.') &&
      env.state?.scope.kind !== 'processor' &&
      env.rel[0] !== 'ItemSelector'
    )
      continue;
    out.push(
      tokenItem(doc, tok, m.path, m.path, { kind: CompletionItemKind.Constant, detail: m.doc, sortText: '1' + m.path }),
    );
  }
  for (const v of assignedVariables(env)) {
    out.push(
      tokenItem(doc, tok, '$' + v.name, '$' + v.name, {
        kind: CompletionItemKind.Variable,
        detail: `variable (Assign in ${v.source})`,
        sortText: '0' + v.name,
      }),
    );
  }
  for (const f of JSONATA_FUNCTIONS) {
    const args = f.params.map((p, i) => `\${${i + 1}:${esc(p)}}`).join(', ');
    out.push(
      tokenItem(doc, tok, '$' + f.name, `\\$${f.name}(${args})`, {
        kind: CompletionItemKind.Function,
        detail: `$${f.name}(${f.params.join(', ')})`,
        documentation: f.doc,
        sortText: '2' + f.name,
        snippet: true,
      }),
    );
  }
  return out;
}

/** In a JSONata state, an empty value of an expression field offers `{% %}` starters. */
export function jsonataStarters(env: CompletionEnv): CompletionItem[] | undefined {
  if (env.queryLanguage !== 'JSONata' || !env.state) return undefined;
  const { cur } = env;
  if (cur.prefix && !cur.prefix.startsWith('{')) return undefined;
  const key = keyOf(cur.property);
  if (!key || ['Type', 'Resource', 'Next', 'Default', 'Comment', 'QueryLanguage', 'StartAt', 'End'].includes(key))
    return undefined;
  const out: CompletionItem[] = [];
  const add = (expr: string, detail: string) =>
    out.push(
      snippetValueItem(env.doc, cur, `{% ${expr} %}`, `{% ${esc(expr)} %}`, {
        kind: CompletionItemKind.Snippet,
        detail,
        sortText: '1' + expr,
      }),
    );
  out.push(
    snippetValueItem(env.doc, cur, '{% … %}', '{% $1 %}', {
      kind: CompletionItemKind.Snippet,
      detail: 'JSONata expression',
      sortText: '0',
    }),
  );
  add('$states.input', 'the state input');
  add('$states.context.Task.Token', 'the task token (callback tasks)');
  if (['Task', 'Parallel', 'Map'].includes(env.state.type ?? ''))
    add('$states.result', 'the task/branch/iteration result');
  return out;
}
