/**
 * Which state a line of a machine belongs to, for the graph's breakpoint marks: the rule the
 * debug adapter applies to the breakpoints it receives (asl/src/stateLines.ts), over the
 * graph's node ranges (a state's name through the end of its object). Pure: no vscode, so it
 * is unit-tested on graphs alone.
 */
import type { GraphNode } from '../../../asl/src/graph/types';
import { innermostAtLine } from '../../../asl/src/stateLines';

/** 0-based line of a document offset. */
export type LineAt = (offset: number) => number;

/** The innermost state whose text spans `line`, if any. */
export function stateAtLine(nodes: readonly GraphNode[], line: number, lineAt: LineAt): GraphNode | undefined {
  return innermostAtLine(
    nodes,
    (n) =>
      n.kind === 'state'
        ? { first: lineAt(n.range.offset), last: lineAt(n.range.offset + n.range.length), size: n.range.length }
        : undefined,
    line,
  );
}

/** Node ids of the states that one of `lines` (breakpoint lines) falls in, each once. */
export function statesAtLines(nodes: readonly GraphNode[], lines: readonly number[], lineAt: LineAt): string[] {
  const ids = new Set<string>();
  for (const line of lines) {
    const n = stateAtLine(nodes, line, lineAt);
    if (n) ids.add(n.id);
  }
  return [...ids];
}
