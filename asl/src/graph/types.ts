/**
 * The state graph: what the preview draws and what `asl-workbench graph` exports. Plain data
 * (JSON-serialisable) so it travels unchanged over LSP and postMessage; built from the
 * machine model by build.ts, laid out by layout.ts (elkjs), drawn by svg.ts.
 */
import type { StateCoverage, TransitionCoverage } from '../testing/coverage';
import type { Severity } from '../types';

/** Node kinds: a state, a scope container (Parallel branch / Map processor), start/end markers. */
export type GraphNodeKind = 'state' | 'scope' | 'start' | 'end';

/** The container service of a Task, for the ECS/EKS icon. */
export type ResourceKind = 'ecs' | 'eks' | 'lambda' | 'other';

/** One node of the graph. */
export interface GraphNode {
  /**
   * Scope-qualified path: root states are their name; nested states are
   * "<scope id>/<name>" (e.g. "Fan out/ItemProcessor/Work"); scopes use their scope id;
   * markers are "<scope id>#start" / "<scope id>#end" (scope id "root" at the top).
   */
  id: string;
  kind: GraphNodeKind;
  /** the state name; for scopes "Branch 1" / "Iterator"; empty for markers */
  name: string;
  /** the state's Type ("Task", "Map", ...), "Unknown" when missing; scopes: "branch"/"processor" */
  type: string;
  /** id of the containing node (a scope node); undefined at the top level */
  parent?: string;
  /** range of the state (its name through the end of its body) in the document */
  range: { offset: number; length: number };
  isStart: boolean;
  isTerminal: boolean;
  /** not reachable from its scope's StartAt (still drawn) */
  unreachable: boolean;
  /** highest severity of the diagnostics inside this state (not counting nested states) */
  severity?: Severity;
  /** diagnostic counts by severity (nested states not counted) */
  problems?: { errors: number; warnings: number };
  /** Task states: which service, for the icon */
  resourceKind?: ResourceKind;
  /** Task states: short resource label, e.g. "ecs:runTask.sync" */
  resource?: string;
  /** number of Retry rules (badge) */
  retryCount: number;
  /** a name used twice in the machine */
  duplicate?: boolean;
}

export type GraphEdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch' | 'end';

/** One edge; source/target are node ids in the same container. */
export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  source: string;
  target: string;
  /** Choice: a short condition text; Catch: the error names; Default: "Default" */
  label?: string;
  /** Catch: the ErrorEquals names */
  errors?: string[];
}

/** The graph of one document version. */
export interface StateGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** set when the document could not be parsed into a state machine (syntax errors / no object) */
  problem?: string;
}

/** Absolute positions computed by the layout. */
export interface GraphLayout {
  width: number;
  height: number;
  nodes: Record<string, { x: number; y: number; width: number; height: number }>;
  edges: Record<
    string,
    { points: { x: number; y: number }[]; label?: { x: number; y: number; width: number; height: number } }
  >;
}

/** Execution status of one node, as shown by the run overlay. */
export type OverlayStatus = 'notStarted' | 'running' | 'succeeded' | 'failed' | 'caught' | 'retried' | 'aborted';
export const OVERLAY_STATUSES: readonly OverlayStatus[] = [
  'notStarted',
  'running',
  'succeeded',
  'failed',
  'caught',
  'retried',
  'aborted',
];

/** Status of one node; `iterations` counts Map iterations or Parallel branches. */
export interface NodeOverlay {
  status: OverlayStatus;
  iterations?: { total: number; succeeded: number; failed: number; running: number };
}

/** The overlay of a run: node id -> status. An empty `states` clears it. */
export interface GraphOverlay {
  /** document version the run started from (informational) */
  version?: number;
  states: Record<string, NodeOverlay>;
}

/**
 * Test coverage to mark on the graph: hits per state and per transition, by state name (the
 * coverage report's rows, asl/src/testing/coverage.ts), so the marks find their nodes again
 * after an edit. `run` names where it comes from in the marks' tooltips.
 */
export interface GraphCoverage {
  run: string;
  states: Pick<StateCoverage, 'name' | 'hits'>[];
  transitions: Pick<TransitionCoverage, 'from' | 'to' | 'via' | 'hits'>[];
}
