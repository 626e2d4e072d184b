/**
 * Test coverage on the graph: which drawn state and edge each row of a coverage report stands
 * for. Rows name states (unique in a machine, https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html),
 * so the marks follow the nodes through edits and re-layouts; a row whose state or transition
 * is no longer in the graph marks nothing, and a state added since the run stays unmarked.
 */
import type { GraphCoverage, GraphEdgeKind, StateGraph } from './types';

/** The marks of one graph: hits per node id and per edge id (0: not covered). */
export interface CoverageMarks {
  nodes: Record<string, number>;
  edges: Record<string, number>;
  /** covered / total over the marked nodes and edges (the legend's figures) */
  totals: { states: number; statesCovered: number; transitions: number; transitionsCovered: number };
}

/** The edge kind a transition row's `via` (`Next`, `Default`, `Choices[i]`, `Catch[i]`) is drawn as. */
function edgeKindOf(via: string): GraphEdgeKind | undefined {
  if (via === 'Next') return 'next';
  if (via === 'Default') return 'default';
  if (via.startsWith('Choices[')) return 'choice';
  if (via.startsWith('Catch[')) return 'catch';
  return undefined;
}

/**
 * The marks of `coverage` on `graph`. Two rows between the same states by the same kind of
 * transition (two Catchers to one state) pair with the graph's edges in definition order.
 */
export function coverageMarks(graph: StateGraph, coverage: GraphCoverage): CoverageMarks {
  const idOf = new Map<string, string>();
  for (const n of graph.nodes) if (n.kind === 'state' && !n.duplicate && !idOf.has(n.name)) idOf.set(n.name, n.id);
  const nodes: Record<string, number> = {};
  for (const s of coverage.states) {
    const id = idOf.get(s.name);
    if (id !== undefined) nodes[id] = s.hits;
  }
  const key = (source: string, kind: string, target: string): string => `${source}\n${kind}\n${target}`;
  const edgesByKey = new Map<string, string[]>();
  for (const e of graph.edges) {
    const k = key(e.source, e.kind, e.target);
    const list = edgesByKey.get(k);
    if (list) list.push(e.id);
    else edgesByKey.set(k, [e.id]);
  }
  const edges: Record<string, number> = {};
  for (const t of coverage.transitions) {
    const kind = edgeKindOf(t.via);
    const source = idOf.get(t.from);
    const target = idOf.get(t.to);
    if (!kind || source === undefined || target === undefined) continue;
    const id = edgesByKey.get(key(source, kind, target))?.shift();
    if (id !== undefined) edges[id] = t.hits;
  }
  const nodeHits = Object.values(nodes);
  const edgeHits = Object.values(edges);
  return {
    nodes,
    edges,
    totals: {
      states: nodeHits.length,
      statesCovered: nodeHits.filter((h) => h > 0).length,
      transitions: edgeHits.length,
      transitionsCovered: edgeHits.filter((h) => h > 0).length,
    },
  };
}
