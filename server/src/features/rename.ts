/**
 * Rename a state: its key and every reference in its scope, in one WorkspaceEdit. Refuses
 * (ResponseError) an empty name, a name over 80 characters (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html) and a name
 * already used anywhere in the machine (state names are unique machine-wide).
 */
import { ErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { referencesTo, stateTargetAt } from '../../../asl/src/model';
import { innerRange } from '../../../asl/src/parse/tree';
import { quoteLike } from '../../../asl/src/text/emit';
import type { AstNode, MachineModel, ParsedDocument } from '../../../asl/src/types';
import { MAX_STATE_NAME } from '../../../asl/src/rules/names';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/** The editable range of the state name at `offset` (without quotes), for prepareRename. */
export function prepareRenameAt(
  doc: ParsedDocument,
  model: MachineModel,
  offset: number,
): { range: Range; placeholder: string } | undefined {
  const t = stateTargetAt(model, offset);
  if (!t) return undefined;
  const node = t.ref?.node ?? t.state?.keyNode;
  if (!node) return undefined;
  const r = innerRange(doc.text, node);
  return { range: doc.rangeOf(r.offset, r.length), placeholder: t.name };
}

/** The edits renaming the state at `offset` to `newName`; throws ResponseError when refused. */
export function renameAt(
  doc: ParsedDocument,
  model: MachineModel,
  uri: string,
  offset: number,
  newName: string,
): WorkspaceEdit | null {
  const t = stateTargetAt(model, offset);
  if (!t) return null;
  if (!newName) throw new ResponseError(ErrorCodes.InvalidParams, 'A state name cannot be empty.');
  if (newName.length > MAX_STATE_NAME) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `State names are limited to ${MAX_STATE_NAME} characters (this one has ${newName.length}).`,
    );
  }
  if (newName === t.name) return { changes: { [uri]: [] } };
  if (model.states.some((s) => s.name === newName)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `A state named "${newName}" already exists; state names must be unique in the whole machine.`,
    );
  }
  const nodes: AstNode[] = [];
  if (t.state) nodes.push(t.state.keyNode);
  for (const r of referencesTo(model, t.name, t.scope)) nodes.push(r.node);
  const edits: TextEdit[] = nodes.map((n) => ({
    range: doc.rangeOf(n.offset, n.length),
    newText: quoteLike(doc, n, newName),
  }));
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
