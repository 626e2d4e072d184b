/**
 * The ONE discriminated union of messages between the graph panel host (extension) and its
 * webview. Both sides import this file and switch exhaustively on `type` with a `never`
 * check. Every graph update carries the document version so the webview drops stale ones.
 * Pure types (no vscode import): the webview bundle imports it too.
 */
import type { GraphCoverage, GraphOverlay, StateGraph } from '../../../asl/src/graph/types';

/** host -> webview: a new graph for a document version (stale versions are dropped). */
export interface GraphMessage {
  type: 'graph';
  uri: string;
  version: number;
  graph: StateGraph;
}
/** host -> webview: the editor's cursor is in this node (null: in none). */
export interface HighlightMessage {
  type: 'highlight';
  nodeId: string | null;
}
/** host -> webview: the run overlay (node id -> status); empty `states` clears it. */
export interface OverlayMessage extends GraphOverlay {
  type: 'overlay';
}
/**
 * host -> webview: the debugger's marks. `breakpoints`: node ids of the states with a
 * breakpoint; `paused`: node ids or state names of the states a debug session is paused
 * before. Empty lists clear them.
 */
export interface DebugMarksMessage {
  type: 'debugMarks';
  breakpoints: string[];
  paused: string[];
}
/**
 * host -> webview: the test coverage of this machine to mark on its nodes and edges (by state
 * name, so the marks survive edits); null clears it.
 */
export interface CoverageMessage {
  type: 'coverage';
  coverage: GraphCoverage | null;
}
/** host -> webview: fit the whole graph into view. */
export interface FitMessage {
  type: 'fit';
}

/** host -> webview: report what is drawn (answered with a `description`; used by e2e tests). */
export interface DescribeMessage {
  type: 'describe';
  requestId: number;
}

export type HostToWebview =
  GraphMessage | HighlightMessage | OverlayMessage | DebugMarksMessage | CoverageMessage | FitMessage | DescribeMessage;

/** webview -> host: the webview script is running; the host answers with the current graph. */
export interface ReadyMessage {
  type: 'ready';
}
/** webview -> host: reveal and select this node's state in the editor (click / Enter). */
export interface RevealMessage {
  type: 'reveal';
  nodeId: string;
  range: { offset: number; length: number };
}
/** webview -> host: add or remove the breakpoint of this state (its breakpoint dot, or F9). */
export interface ToggleBreakpointMessage {
  type: 'toggleBreakpoint';
  nodeId: string;
}
/** webview -> host: save the exported picture (svg: SVG text; png: base64 without prefix). */
export interface ExportMessage {
  type: 'export';
  format: 'svg' | 'png';
  data: string;
}
/** webview -> host: a graph was laid out and drawn (figures for tests and the output log). */
export interface RenderedMessage {
  type: 'rendered';
  version: number;
  nodes: number;
  edges: number;
  layoutMs: number;
  renderMs: number;
  /** from the message's arrival to the drawn graph (queueing included) */
  totalMs: number;
  /** elkjs, or the linear-time layout drawn first for big graphs (elkjs refines it afterwards) */
  engine: 'elk' | 'fast';
  /** the banner shown, if any (unparseable document) */
  banner?: string;
}
/** webview -> host: something failed inside the webview (logged by the host). */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** One drawn state node as the DOM shows it. */
export interface DrawnNode {
  id: string;
  /** its CSS classes, e.g. ["node", "state", "type-task", "status-running"] */
  classes: string[];
  ariaLabel: string;
  /** Map/Parallel counter text, if any */
  counter?: string;
  /** the coverage badge (how often the state ran), if any */
  hits?: string;
  /** the tooltip of the coverage mark, if any */
  coverageTitle?: string;
}
/** webview -> host: the answer to `describe`. */
export interface DescriptionMessage {
  type: 'description';
  requestId: number;
  /** version of the drawn graph (-1: nothing drawn yet) */
  version: number;
  nodes: DrawnNode[];
  edges: number;
  /** ids of the edges marked as transitions no test took */
  uncoveredEdges: string[];
  banner?: string;
  /** the coverage legend, when coverage is shown */
  coverageLegend?: string;
}

export type WebviewToHost =
  | ReadyMessage
  | RevealMessage
  | ToggleBreakpointMessage
  | ExportMessage
  | RenderedMessage
  | ErrorMessage
  | DescriptionMessage;

/** State the webview persists with setState (what the serializer restores after a reload). */
export interface WebviewState {
  uri: string;
}

/** For exhaustive switches: a compile error when a message kind is not handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}
