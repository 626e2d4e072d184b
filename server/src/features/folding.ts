/**
 * Folding ranges: every object and array value that spans several lines (JSON and YAML),
 * computed from the cached tree.
 */
import type { FoldingRange } from 'vscode-languageserver/node';
import type { AstNode, ParsedDocument } from '../../../asl/src/types';
import { guard } from '../safe';
import type { FeatureContext } from './index';

/** Folding ranges of a document; the closing bracket line stays visible in JSON. */
export function foldingRanges(doc: ParsedDocument, limit = 5000): FoldingRange[] {
  const out: FoldingRange[] = [];
  const text = doc.text;
  const stack: { node: AstNode; depth: number }[] = doc.root ? [{ node: doc.root, depth: 0 }] : [];
  while (stack.length && out.length < limit) {
    const { node, depth } = stack.pop()!;
    if ((node.type === 'object' || node.type === 'array') && depth < 200) {
      // fold from the line of the owning key (YAML values start on the next line)
      const owner = node.parent?.type === 'property' ? node.parent : node;
      const startLine = doc.positionAt(owner.offset).line;
      let endOffset = node.offset + node.length;
      while (endOffset > node.offset && /\s/.test(text[endOffset - 1] ?? '')) endOffset--;
      let endLine = doc.positionAt(Math.max(node.offset, endOffset - 1)).line;
      if (doc.format === 'json') endLine--;
      if (endLine > startLine) out.push({ startLine, endLine });
    }
    const kids = node.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], depth: depth + 1 });
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

/** Registers textDocument/foldingRange. */
export function folding(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  ctx.capabilities.foldingRangeProvider = true;
  connection.onFoldingRanges(
    guard(connection, 'foldingRange', [], (p) => {
      const e = documents.get(p.textDocument.uri);
      return e ? foldingRanges(e.doc) : [];
    }),
  );
}
