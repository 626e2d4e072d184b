/**
 * Rename a state: its key and every reference in its scope, in one WorkspaceEdit. Refuses
 * (ResponseError) an empty name, a name over 80 characters (reference §6.11) and a name
 * already used anywhere in the machine (state names are unique machine-wide).
 */
import { ErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { AstNode, MachineModel, ParsedDocument } from '../../../asl/src/types';
import { guard } from '../safe';
import type { FeatureContext } from './index';
import { innerRange, refsTo, stateTargetAt } from './navigation/treeUtil';

/** Longest state name Step Functions accepts (reference §6.11). */
export const MAX_STATE_NAME = 80;

/** The source text of a string node for `value`, keeping the node's quoting style. */
export function quoteLike(doc: ParsedDocument, node: AstNode, value: string): string {
  if (doc.format === 'json') return JSON.stringify(value);
  const q = doc.text[node.offset];
  if (q === '"') return JSON.stringify(value);
  if (q === "'") return `'${value.replace(/'/g, "''")}'`;
  return yamlPlainOk(value) ? value : JSON.stringify(value);
}

/** Whether `s` can be written as a YAML plain scalar and read back as the same string. */
export function yamlPlainOk(s: string): boolean {
  if (!s || s !== s.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/: |:$| #|[\n\t]/.test(s)) return false;
  if (/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(s)) return false;
  if (/^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || /^0[xo]/i.test(s) || /^[-+]?\.(inf|nan)$/i.test(s)) return false;
  return true;
}

/** The editable range of the state name at `offset` (without quotes), for prepareRename. */
export function prepareRenameAt(doc: ParsedDocument, model: MachineModel, offset: number): { range: Range; placeholder: string } | undefined {
  const t = stateTargetAt(model, offset);
  if (!t) return undefined;
  const node = t.ref?.node ?? t.state?.keyNode;
  if (!node) return undefined;
  const r = innerRange(doc.text, node);
  return { range: doc.rangeOf(r.offset, r.length), placeholder: t.name };
}

/** The edits renaming the state at `offset` to `newName`; throws ResponseError when refused. */
export function renameAt(doc: ParsedDocument, model: MachineModel, uri: string, offset: number, newName: string): WorkspaceEdit | null {
  const t = stateTargetAt(model, offset);
  if (!t) return null;
  if (!newName) throw new ResponseError(ErrorCodes.InvalidParams, 'A state name cannot be empty.');
  if (newName.length > MAX_STATE_NAME) {
    throw new ResponseError(ErrorCodes.InvalidParams, `State names are limited to ${MAX_STATE_NAME} characters (this one has ${newName.length}).`);
  }
  if (newName === t.name) return { changes: { [uri]: [] } };
  if (model.states.some((s) => s.name === newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `A state named "${newName}" already exists; state names must be unique in the whole machine.`);
  }
  const nodes: AstNode[] = [];
  if (t.state) nodes.push(t.state.keyNode);
  for (const r of refsTo(model, t.name, t.scope)) nodes.push(r.node);
  const edits: TextEdit[] = nodes.map((n) => ({ range: doc.rangeOf(n.offset, n.length), newText: quoteLike(doc, n, newName) }));
  return { changes: { [uri]: edits } };
}

/** Registers prepareRename and rename. */
export function rename(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.renameProvider = { prepareProvider: true };
  connection.onPrepareRename(
    guard(connection, 'prepareRename', null, (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return null;
      return prepareRenameAt(e.doc, e.model, e.doc.offsetAt(p.position)) ?? null;
    }),
  );
  // not wrapped in guard: a refusal must reach the client as a ResponseError
  connection.onRenameRequest((p) => {
    const e = documents.get(p.textDocument.uri);
    if (!e) return null;
    try {
      return renameAt(e.doc, e.model, p.textDocument.uri, e.doc.offsetAt(p.position), p.newName);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      connection.console.error(`[rename] ${String(err)}`);
      return null;
    }
  });
}
