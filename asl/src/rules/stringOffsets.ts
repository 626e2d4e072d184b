/**
 * Maps an index inside a string's decoded value to a document offset, so diagnostics about a
 * path, intrinsic or JSONata expression point inside the string (escapes accounted for).
 */
import type { AstNode, ParsedDocument } from '../types';

/** Length in the source of the JSON escape starting at raw[i] (raw[i] === '\\'). */
function escapeLength(raw: string, i: number): number {
  return raw[i + 1] === 'u' ? 6 : 2;
}

/**
 * Document offset of the `index`-th UTF-16 unit of the string value held by `node`
 * (JSON string, YAML double/single-quoted or plain scalar). Falls back to the node start.
 */
export function valueOffset(doc: ParsedDocument, node: AstNode, index: number): number {
  const raw = doc.text.slice(node.offset, node.offset + node.length);
  const q = raw[0];
  if (q === '"') {
    let i = 1;
    for (let k = 0; k < index && i < raw.length - 1; k++) i += raw[i] === '\\' ? escapeLength(raw, i) : 1;
    return node.offset + i;
  }
  if (q === "'") {
    let i = 1;
    for (let k = 0; k < index && i < raw.length - 1; k++) i += raw[i] === "'" && raw[i + 1] === "'" ? 2 : 1;
    return node.offset + i;
  }
  if (q === '|' || q === '>') return node.offset; // block scalars: no precise mapping
  // plain scalar: the value is the raw text (single line)
  return node.offset + Math.min(index, node.length);
}

/** Offset/length inside a string node for value range [index, index+length). */
export function valueSpan(
  doc: ParsedDocument,
  node: AstNode,
  index: number,
  length: number,
): { offset: number; length: number } {
  const start = valueOffset(doc, node, index);
  const end = valueOffset(doc, node, index + Math.max(0, length));
  const clampedEnd = Math.min(Math.max(end, start), node.offset + node.length);
  return { offset: start, length: Math.max(clampedEnd - start, length > 0 ? 1 : 0) };
}
