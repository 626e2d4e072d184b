/**
 * Layout of a state graph with elkjs (layered, top-down, orthogonal edges, compound nodes).
 * Pure: the ELK instance is injected (a Web Worker one in the webview, the in-process one in
 * the CLI), so both produce the same picture from the same input.
 */
import { fastLayout } from './fastLayout';
import { GEOMETRY, stateWidth } from './geometry';
import { placeEdgeLabels } from './labelPlacement';
import type { GraphLayout, StateGraph } from './types';

export { GEOMETRY } from './geometry';

/** The subset of the ELK JSON graph format used here. */
export interface ElkLabel {
  text: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
}
export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: ElkLabel[];
  sections?: {
    startPoint: { x: number; y: number };
    endPoint: { x: number; y: number };
    bendPoints?: { x: number; y: number }[];
  }[];
}
export interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
}
/** What the layout needs from an ELK instance (`new ELK()` from elkjs satisfies it). */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

const BASE_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeNode': '12',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // every coordinate in the result is absolute (relative to the root): no offsets to add up
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

/** The ELK input graph for a state graph. */
export function toElkGraph(graph: StateGraph): ElkNode {
  const root: ElkNode = { id: '__root', layoutOptions: { ...BASE_OPTIONS }, children: [], edges: [] };
  const elkNodes = new Map<string, ElkNode>();
  const containerOf = new Map<string, ElkNode>();
  for (const n of graph.nodes) {
    let e: ElkNode;
    if (n.kind === 'start' || n.kind === 'end')
      e = { id: n.id, width: GEOMETRY.markerSize, height: GEOMETRY.markerSize };
    else if (n.kind === 'scope')
      e = {
        id: n.id,
        layoutOptions: {
          ...BASE_OPTIONS,
          'elk.padding': `[top=${GEOMETRY.scopeHeader},left=${GEOMETRY.padding},bottom=${GEOMETRY.padding},right=${GEOMETRY.padding}]`,
        },
      };
    else e = { id: n.id, width: stateWidth(n), height: GEOMETRY.stateHeight };
    elkNodes.set(n.id, e);
  }
  for (const n of graph.nodes) {
    const e = elkNodes.get(n.id)!;
    const parent = n.parent ? elkNodes.get(n.parent) : undefined;
    const container = parent ?? root;
    if (parent && !parent.children) {
      // a Parallel/Map state with branches becomes a compound node: header on top, branches side by side
      parent.children = [];
      parent.edges = [];
      delete parent.height;
      const minWidth = parent.width ?? GEOMETRY.stateMinWidth;
      delete parent.width;
      parent.layoutOptions = {
        ...BASE_OPTIONS,
        'elk.padding': `[top=${GEOMETRY.stateHeader},left=${GEOMETRY.padding},bottom=${GEOMETRY.padding},right=${GEOMETRY.padding}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${minWidth},${GEOMETRY.stateHeight})`,
      };
    }
    container.children!.push(e);
    containerOf.set(n.id, container);
  }
  for (const edge of graph.edges) {
    const container = containerOf.get(edge.source) ?? root;
    const e: ElkEdge = { id: edge.id, sources: [edge.source], targets: [edge.target] };
    if (edge.label) {
      e.labels = [
        {
          text: edge.label,
          width: Math.round(edge.label.length * GEOMETRY.labelCharWidth + 8),
          height: GEOMETRY.labelHeight,
        },
      ];
    }
    (container.edges ??= []).push(e);
  }
  return root;
}

/** Reads absolute positions out of ELK's result (computed with shapeCoords/edgeCoords = ROOT). */
export function fromElkResult(result: ElkNode): GraphLayout {
  const layout: GraphLayout = {
    width: Math.ceil(result.width ?? 0),
    height: Math.ceil(result.height ?? 0),
    nodes: {},
    edges: {},
  };
  const visit = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      layout.nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
      visit(c);
    }
    for (const e of n.edges ?? []) {
      const points: { x: number; y: number }[] = [];
      for (const s of e.sections ?? []) points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
      const l = e.labels?.[0];
      layout.edges[e.id] = {
        points,
        label: l ? { x: l.x ?? 0, y: l.y ?? 0, width: l.width, height: l.height } : undefined,
      };
    }
  };
  visit(result);
  return layout;
}

/** Above this many nodes the linear-time fallback replaces elkjs (see fastLayout.ts). */
export const ELK_MAX_NODES = 1500;
/** Above this many nodes elkjs runs with cheaper settings (one crossing-minimisation pass). */
export const ELK_FAST_SETTINGS_NODES = 300;

/**
 * Lays a graph out: elkjs (the given instance) up to ELK_MAX_NODES nodes, the linear-time
 * layered fallback above. Rejects only if ELK itself fails.
 */
export async function layoutGraph(graph: StateGraph, elk: ElkLike): Promise<GraphLayout> {
  if (graph.nodes.length > ELK_MAX_NODES) return fastLayout(graph);
  const input = toElkGraph(graph);
  if (graph.nodes.length > ELK_FAST_SETTINGS_NODES) {
    const cheaper = (n: ElkNode): void => {
      if (n.layoutOptions) {
        n.layoutOptions['elk.layered.thoroughness'] = '1';
        n.layoutOptions['elk.layered.layering.strategy'] = 'LONGEST_PATH';
        n.layoutOptions['elk.layered.considerModelOrder.strategy'] = 'NODES_AND_EDGES';
      }
      n.children?.forEach(cheaper);
    };
    cheaper(input);
  }
  return placeEdgeLabels(graph, fromElkResult(await elk.layout(input)));
}
