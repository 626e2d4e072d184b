/**
 * The editor's breakpoints as the graph preview uses them: the lines of a document's enabled
 * source breakpoints, and the toggle behind a click on a node's breakpoint dot (a breakpoint
 * on the state's first line; clicking again removes every breakpoint inside that state).
 */
import * as vscode from 'vscode';
import type { GraphNode } from '../../../asl/src/graph/types';
import { stateAtLine } from './stateLines';

function sourceBreakpointsIn(uri: vscode.Uri): vscode.SourceBreakpoint[] {
  const key = uri.toString();
  return vscode.debug.breakpoints.filter(
    (b): b is vscode.SourceBreakpoint => b instanceof vscode.SourceBreakpoint && b.location.uri.toString() === key,
  );
}

/** 0-based lines of the enabled source breakpoints in `uri`. */
export function breakpointLines(uri: vscode.Uri): number[] {
  return sourceBreakpointsIn(uri)
    .filter((b) => b.enabled)
    .map((b) => b.location.range.start.line);
}

/**
 * Adds a breakpoint on the first line of state `nodeId`, or removes the breakpoints that fall
 * in that state (enabled or not) when it has any. Returns true when one was added.
 */
export function toggleStateBreakpoint(doc: vscode.TextDocument, nodes: readonly GraphNode[], nodeId: string): boolean {
  const node = nodes.find((n) => n.id === nodeId && n.kind === 'state');
  if (!node) return false;
  const lineAt = (offset: number): number => doc.positionAt(offset).line;
  const inState = sourceBreakpointsIn(doc.uri).filter(
    (b) => stateAtLine(nodes, b.location.range.start.line, lineAt)?.id === nodeId,
  );
  if (inState.length) {
    vscode.debug.removeBreakpoints(inState);
    return false;
  }
  const at = new vscode.Position(lineAt(node.range.offset), 0);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(doc.uri, at))]);
  return true;
}
