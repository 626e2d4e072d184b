/**
 * Hierarchical document symbols: every state, with the states of Parallel branches and Map
 * processors nested under a "Branch n" / "ItemProcessor" symbol inside their state.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { AstNode, MachineModel, ParsedDocument, Scope, StateInfo } from '../../../asl/src/types';
import { guard } from '../safe';
import type { FeatureContext } from './index';

const KIND: Record<string, SymbolKind> = {
  Task: SymbolKind.Function,
  Pass: SymbolKind.Variable,
  Choice: SymbolKind.Enum,
  Wait: SymbolKind.Event,
  Succeed: SymbolKind.Constant,
  Fail: SymbolKind.Constant,
  Parallel: SymbolKind.Module,
  Map: SymbolKind.Array,
};

function span(doc: ParsedDocument, from: AstNode, to: AstNode) {
  const start = Math.min(from.offset, to.offset);
  const end = Math.max(from.offset + from.length, to.offset + to.length);
  return doc.rangeOf(start, end - start);
}

function scopeLabel(scope: Scope): string {
  const m = /Branches\[(\d+)\]$/.exec(scope.id);
  if (m) return `Branch ${Number(m[1]) + 1}`;
  return scope.id.endsWith('/Iterator') ? 'Iterator' : 'ItemProcessor';
}

function stateSymbol(doc: ParsedDocument, s: StateInfo, depth: number): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  if (depth < 64) {
    for (const sc of s.childScopes) {
      const holder = sc.node.parent?.type === 'property' ? sc.node.parent : sc.node;
      children.push({
        name: scopeLabel(sc),
        kind: SymbolKind.Namespace,
        range: span(doc, holder, sc.node),
        selectionRange: doc.rangeOf(
          holder.offset,
          holder.type === 'property' ? (holder.children?.[0]?.length ?? 0) : 1,
        ),
        children: sc.stateList.map((c) => stateSymbol(doc, c, depth + 1)),
      });
    }
  }
  return {
    name: s.name || '""',
    detail: s.type ?? '',
    kind: KIND[s.type ?? ''] ?? SymbolKind.Object,
    range: span(doc, s.keyNode, s.node),
    selectionRange: doc.rangeOf(s.keyNode.offset, s.keyNode.length),
    children,
  };
}

/** The document symbol tree of a machine (top-level states at the first level). */
export function documentSymbols(doc: ParsedDocument, model: MachineModel): DocumentSymbol[] {
  if (!model.root) return [];
  return model.root.stateList.map((s) => stateSymbol(doc, s, 0));
}

/** Registers textDocument/documentSymbol. */
export function symbols(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.documentSymbolProvider = { label: 'States' };
  connection.onDocumentSymbol(
    guard(connection, 'documentSymbol', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? documentSymbols(e.doc, e.model) : [];
    }),
  );
}
