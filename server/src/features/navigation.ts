/**
 * Go to definition, find references and document highlights for state names: from any
 * reference (StartAt, Next, Default, Choices[].Next, Catch[].Next) or from the state's own key.
 * References resolve in the scope of the branch/processor that holds them (model.refs).
 */
import { DocumentHighlightKind, type DocumentHighlight, type Location } from 'vscode-languageserver/node';
import type { MachineModel, ParsedDocument } from '../../../asl/src/types';
import { guard } from '../safe';
import type { FeatureContext } from './index';
import { referencesTo, stateTargetAt } from '../../../asl/src/model';

/** Location of the state declared/referenced at `offset` (its key), if it exists. */
export function definitionAt(
  doc: ParsedDocument,
  model: MachineModel,
  uri: string,
  offset: number,
): Location | undefined {
  const t = stateTargetAt(model, offset);
  if (!t?.state) return undefined;
  return { uri, range: doc.rangeOf(t.state.keyNode.offset, t.state.keyNode.length) };
}

/** Every reference to the state at `offset` (and its declaration when asked). */
export function referencesAt(
  doc: ParsedDocument,
  model: MachineModel,
  uri: string,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const t = stateTargetAt(model, offset);
  if (!t) return [];
  const out: Location[] = [];
  if (includeDeclaration && t.state)
    out.push({ uri, range: doc.rangeOf(t.state.keyNode.offset, t.state.keyNode.length) });
  for (const r of referencesTo(model, t.name, t.scope))
    out.push({ uri, range: doc.rangeOf(r.node.offset, r.node.length) });
  return out;
}

/** Highlights: the declaration (write) and each reference (read) of the state at `offset`. */
export function highlightsAt(doc: ParsedDocument, model: MachineModel, offset: number): DocumentHighlight[] {
  const t = stateTargetAt(model, offset);
  if (!t) return [];
  const out: DocumentHighlight[] = [];
  if (t.state)
    out.push({ range: doc.rangeOf(t.state.keyNode.offset, t.state.keyNode.length), kind: DocumentHighlightKind.Write });
  for (const r of referencesTo(model, t.name, t.scope))
    out.push({ range: doc.rangeOf(r.node.offset, r.node.length), kind: DocumentHighlightKind.Read });
  return out;
}

/** Registers definition, references and document highlights. */
export function navigation(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.definitionProvider = true;
  ctx.capabilities.referencesProvider = true;
  ctx.capabilities.documentHighlightProvider = true;
  connection.onDefinition(
    guard(connection, 'definition', null, (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return null;
      return definitionAt(e.doc, e.model, p.textDocument.uri, e.doc.offsetAt(p.position)) ?? null;
    }),
  );
  connection.onReferences(
    guard(connection, 'references', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return [];
      return referencesAt(
        e.doc,
        e.model,
        p.textDocument.uri,
        e.doc.offsetAt(p.position),
        !!p.context?.includeDeclaration,
      );
    }),
  );
  connection.onDocumentHighlight(
    guard(connection, 'documentHighlight', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      if (!e) return [];
      return highlightsAt(e.doc, e.model, e.doc.offsetAt(p.position));
    }),
  );
}
