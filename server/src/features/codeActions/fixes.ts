/**
 * Quick fixes for the diagnostics, from their code and fix hints (`data`, rules/types.ts):
 * replace with a suggestion, remove a field, add missing fields with placeholders, add or
 * remove `.$`, add "End": true / a Next, move the States.ALL retrier/catcher last, quote an
 * unquoted filter word, pass the task token of an ecs:runTask.waitForTaskToken task
 * (container Environment). EKS has no token fix: Step Functions does not support callbacks
 * for EKS (EKS502 offers `.sync`).
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { AstNode, MachineModel, ParsedDocument, StateInfo } from '../../../../asl/src/types';
import { payloadContext } from '../shared/payload';
import { getProperty, getValue, isKeyNode, keyOf, nodeAtOffset, nodePath } from '../../../../asl/src/parse/tree';
import { enclosingState, relativePath } from '../../../../asl/src/model';
import {
  appendArrayItem,
  insertProperties,
  moveItemLast,
  removeArrayItem,
  removeProperty,
  renameKey,
  replaceNodeText,
  toTextEdit,
  type LocalEdit,
} from './edits';
import { placeholderFor } from './placeholders';

interface FixData {
  replaceWith?: string;
  suggestions?: string[];
  missing?: string[];
  remove?: boolean;
  renameKeyTo?: string;
  target?: string;
  value?: unknown;
  /** ASL212: the unquoted filter word the diagnostic range covers */
  quoteWord?: string;
}

/** The node a diagnostic range designates: exact match first, else the deepest container. */
export function nodeForRange(doc: ParsedDocument, offset: number, length: number): AstNode | undefined {
  const deepest = nodeAtOffset(doc.root, offset, true);
  let container: AstNode | undefined;
  for (let n = deepest; n; n = n.parent) {
    if (n.offset === offset && n.length === length) return n;
    if (!container && n.offset <= offset && offset + length <= n.offset + n.length) container = n;
  }
  return container ?? deepest;
}

function action(
  doc: ParsedDocument,
  uri: string,
  title: string,
  change: LocalEdit | undefined,
  diag: Diagnostic,
  preferred = false,
): CodeAction | undefined {
  const edit = change && toTextEdit(doc, change);
  if (!edit) return undefined;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diag],
    isPreferred: preferred || undefined,
    edit: { changes: { [uri]: [edit] } },
  };
}

/** The object a `missing` hint refers to (the object a key holds, else the key's owner). */
function ownerObject(n: AstNode): AstNode | undefined {
  if (n.type === 'object') return n;
  if (isKeyNode(n)) {
    const v = n.parent!.children?.[1];
    if (v?.type === 'object') return v;
    return n.parent!.parent;
  }
  for (let p: AstNode | undefined = n.parent; p; p = p.parent) if (p.type === 'object') return p;
  return undefined;
}

function stringHolder(n: AstNode): AstNode | undefined {
  for (let p: AstNode | undefined = n; p; p = p.parent) if (p.type === 'string' && !isKeyNode(p)) return p;
  return undefined;
}

function replaceFixes(doc: ParsedDocument, uri: string, n: AstNode, data: FixData, diag: Diagnostic): CodeAction[] {
  const candidates = [
    ...new Set([data.replaceWith, ...(data.suggestions ?? [])].filter((x): x is string => typeof x === 'string')),
  ].slice(0, 6);
  const out: CodeAction[] = [];
  const target =
    data.target === 'value' || (!isKeyNode(n) && n.type !== 'number' && n.type !== 'string')
      ? (stringHolder(n) ?? n)
      : n;
  const old = String(target.value ?? '');
  for (const [i, c] of candidates.entries()) {
    let value: string | number = c;
    if (isKeyNode(target) && old.endsWith('.$') && !c.endsWith('.$')) value = c + '.$';
    if (target.type === 'number' && /^-?\d+(\.\d+)?$/.test(c)) value = Number(c);
    const next = replaceNodeText(doc, target, value);
    const a = action(doc, uri, `Change '${old}' to '${value}'`, next, diag, i === 0 && !!data.replaceWith);
    if (a) out.push(a);
  }
  return out;
}

function missingFixes(
  doc: ParsedDocument,
  model: MachineModel,
  uri: string,
  n: AstNode,
  data: FixData,
  diag: Diagnostic,
): CodeAction[] {
  const obj = ownerObject(n);
  if (!obj || obj.type !== 'object') return [];
  const out0: CodeAction[] = [];
  const endValue = getValue(obj, 'End');
  if (data.missing?.includes('End') && endValue?.type === 'boolean' && endValue.value === false) {
    // "End": false counts as missing: flip it rather than adding a duplicate key
    const a = action(doc, uri, 'Set "End": true', replaceNodeText(doc, endValue, true), diag, true);
    if (a) out0.push(a);
  }
  const names = (data.missing ?? []).filter((m) => !getProperty(obj, m));
  const state = enclosingState(model, obj);
  const payload = payloadContext(state, relativePath(nodePath(obj), state));
  const value = (name: string) =>
    placeholderFor(name, {
      state: state?.node === obj ? state : undefined,
      schemaId: payload?.integration.parametersSchemaId,
      path: payload?.sub,
      value: names.length === 1 ? data.value : undefined,
    });
  if (names.includes('Next') && (names.includes('End') || out0.length)) {
    // Next xor End: one fix per choice
    const out: CodeAction[] = out0;
    const end = out0.length
      ? undefined
      : action(doc, uri, 'Add "End": true', insertProperties(doc, obj, [['End', true]]), diag, true);
    if (end) out.push(end);
    const next = value('Next');
    if (typeof next === 'string') {
      const a = action(doc, uri, `Add "Next": "${next}"`, insertProperties(doc, obj, [['Next', next]]), diag);
      if (a) out.push(a);
    }
    return out;
  }
  const entries: [string, unknown][] = [];
  for (const m of names) {
    const v = value(m);
    if (v !== undefined) entries.push([m, v]);
  }
  if (!entries.length) return out0;
  const title =
    entries.length === 1 ? `Add '${entries[0][0]}'` : `Add missing fields: ${entries.map((e) => e[0]).join(', ')}`;
  const a = action(doc, uri, title, insertProperties(doc, obj, entries), diag, true);
  return a ? [...out0, a] : out0;
}

function removeFixes(doc: ParsedDocument, uri: string, n: AstNode, diag: Diagnostic): CodeAction[] {
  if (isKeyNode(n)) {
    const a = action(doc, uri, `Remove '${String(n.value)}'`, removeProperty(doc, n.parent!), diag, true);
    return a ? [a] : [];
  }
  if (n.parent?.type === 'array') {
    const a = action(doc, uri, `Remove '${String(n.value ?? 'item')}'`, removeArrayItem(doc, n), diag, true);
    return a ? [a] : [];
  }
  return [];
}

/** The container of a task whose env receives the task token (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html, https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html). */
function tokenFix(doc: ParsedDocument, uri: string, state: StateInfo, diag: Diagnostic): CodeAction | undefined {
  const jsonata = state.queryLanguage === 'JSONata';
  const payload = getValue(state.node, jsonata ? 'Arguments' : 'Parameters');
  if (!payload || payload.type !== 'object') return undefined;
  const key = state.resource?.key;
  if (key === 'ecs:runTask') {
    const entry = jsonata
      ? { Name: 'TASK_TOKEN', Value: '{% $states.context.Task.Token %}' }
      : { Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' };
    const title = 'Pass the task token to the container (Environment TASK_TOKEN)';
    const overrides = getValue(payload, 'Overrides');
    const cos = getValue(overrides, 'ContainerOverrides');
    const first = cos?.type === 'array' ? cos.children?.[0] : undefined;
    if (first?.type === 'object') {
      const env = getValue(first, 'Environment');
      if (env?.type === 'array') return action(doc, uri, title, appendArrayItem(doc, env, entry), diag, true);
      return action(doc, uri, title, insertProperties(doc, first, [['Environment', [entry]]]), diag, true);
    }
    if (overrides?.type === 'object' && !cos) {
      return action(
        doc,
        uri,
        title,
        insertProperties(doc, overrides, [['ContainerOverrides', [{ Name: 'app', Environment: [entry] }]]]),
        diag,
        true,
      );
    }
    if (!overrides)
      return action(
        doc,
        uri,
        title,
        insertProperties(doc, payload, [
          ['Overrides', { ContainerOverrides: [{ Name: 'app', Environment: [entry] }] }],
        ]),
        diag,
        true,
      );
    return undefined;
  }
  return undefined;
}

/** Quick fixes for one diagnostic of ours. */
export function fixesFor(doc: ParsedDocument, model: MachineModel, uri: string, diag: Diagnostic): CodeAction[] {
  const offset = doc.offsetAt(diag.range.start);
  const length = doc.offsetAt(diag.range.end) - offset;
  const n = nodeForRange(doc, offset, length);
  if (!n) return [];
  const data = (diag.data && typeof diag.data === 'object' ? diag.data : {}) as FixData;
  const code = String(diag.code ?? '');
  const out: CodeAction[] = [];
  if (code === 'ASL302') {
    // the retrier/catcher holding States.ALL goes last
    const item = n.parent?.parent?.parent;
    const a =
      item?.type === 'object'
        ? action(doc, uri, "Move the 'States.ALL' entry last", moveItemLast(doc, item), diag, true)
        : undefined;
    if (a) out.push(a);
  }
  if (code === 'ASL401') {
    const state = enclosingState(model, n);
    const a = state ? tokenFix(doc, uri, state, diag) : undefined;
    if (a) out.push(a);
  }
  if (code === 'ASL212' && typeof data.quoteWord === 'string') {
    // inside a single-quoted YAML scalar a ' would end it; a " is literal there
    const holder = stringHolder(n);
    const q = doc.format === 'yaml' && holder && doc.text[holder.offset] === "'" ? '"' : "'";
    const word = doc.text.slice(offset, offset + length);
    const a = action(
      doc,
      uri,
      `Quote ${q}${data.quoteWord}${q} in the filter`,
      { offset, length, text: q + word + q },
      diag,
      true,
    );
    if (a) out.push(a);
  }
  if (code === 'ASL206' && isKeyNode(n)) {
    const plain = getProperty(n.parent!.parent, String(n.value).replace(/\.\$$/, ''));
    out.push(...removeFixes(doc, uri, n, diag));
    const a = plain ? action(doc, uri, `Remove '${keyOf(plain)}'`, removeProperty(doc, plain), diag) : undefined;
    if (a) out.push(a);
  }
  if (data.replaceWith !== undefined || data.suggestions?.length) out.push(...replaceFixes(doc, uri, n, data, diag));
  if (data.remove && code !== 'ASL206') out.push(...removeFixes(doc, uri, n, diag));
  if (data.missing?.length) out.push(...missingFixes(doc, model, uri, n, data, diag));
  if (data.renameKeyTo && n.parent?.type === 'property') {
    const key = n.parent.children![0];
    const a = action(
      doc,
      uri,
      `Remove '.$' from '${String(key.value)}' (use the value literally)`,
      renameKey(doc, key, data.renameKeyTo),
      diag,
      true,
    );
    if (a) out.push(a);
  }
  // a type error on a path-like string whose key lacks `.$`: the author meant a path
  if (
    n.type === 'string' &&
    !isKeyNode(n) &&
    typeof n.value === 'string' &&
    /^(\$|States\.)/.test(n.value) &&
    n.parent?.type === 'property'
  ) {
    const key = n.parent.children![0];
    const name = String(key.value);
    const state = enclosingState(model, n);
    if (!name.endsWith('.$') && state?.queryLanguage === 'JSONPath' && /must be|wrong type/.test(diag.message)) {
      const a = action(
        doc,
        uri,
        `Add '.$' to '${name}' (take the value from the path)`,
        renameKey(doc, key, `${name}.$`),
        diag,
        true,
      );
      if (a) out.push(a);
    }
  }
  return out;
}
