/**
 * A linear-time layered layout for very large machines, where elkjs's layered algorithm takes
 * tens of seconds (and overflows a worker's stack near 5,000 states). Same picture grammar:
 * top-down layers (longest path after removing back edges), document order within a layer
 * with nodes pulled under their predecessors, compound nodes sized from their contents,
 * orthogonal edges; edges that skip layers or go back up run in lanes beside the nodes.
 */
import { GEOMETRY, shiftRoute, stateWidth } from './geometry';
import { placeEdgeLabels } from './labelPlacement';
import type { GraphEdge, GraphLayout, GraphNode, StateGraph } from './types';

const NODE_GAP = 24;
const LAYER_GAP = 40;
/** Extra room above a layer per labelled edge entering it: each gets its own row for its label. */
const LABEL_ROW = GEOMETRY.labelHeight + 8;
const LANE = 5;
const MAX_LANES = 24;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Ctx {
  kids: Map<string | undefined, GraphNode[]>;
  edgesIn: Map<string | undefined, GraphEdge[]>;
  boxes: Map<string, Box>;
  routes: Map<string, { points: { x: number; y: number }[]; label?: Box }>;
}

/** Lays out one container's children at (0,0)-relative positions; returns its content size. */
function layoutContainer(ctx: Ctx, container: string | undefined): { width: number; height: number } {
  const nodes = ctx.kids.get(container) ?? [];
  const edges = ctx.edgesIn.get(container) ?? [];
  for (const n of nodes) {
    if (ctx.kids.has(n.id)) {
      const inner = layoutContainer(ctx, n.id);
      const top = n.kind === 'scope' ? GEOMETRY.scopeHeader : GEOMETRY.stateHeader;
      const minW = n.kind === 'state' ? stateWidth(n) : 0;
      ctx.boxes.set(n.id, {
        x: 0,
        y: 0,
        width: Math.max(minW, inner.width + 2 * GEOMETRY.padding),
        height: inner.height + top + GEOMETRY.padding,
      });
    } else if (n.kind === 'start' || n.kind === 'end')
      ctx.boxes.set(n.id, { x: 0, y: 0, width: GEOMETRY.markerSize, height: GEOMETRY.markerSize });
    else ctx.boxes.set(n.id, { x: 0, y: 0, width: stateWidth(n), height: GEOMETRY.stateHeight });
  }
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const out = new Map<string, GraphEdge[]>();
  for (const e of edges)
    if (index.has(e.source) && index.has(e.target) && e.source !== e.target)
      (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e);

  // back edges: iterative DFS from the start marker, then from every unvisited node in order
  const state = new Map<string, 1 | 2>();
  const back = new Set<GraphEdge>();
  const roots = [...nodes.filter((n) => n.kind === 'start'), ...nodes.filter((n) => n.kind !== 'start')];
  for (const r of roots) {
    if (state.has(r.id)) continue;
    const stack: { id: string; i: number }[] = [{ id: r.id, i: 0 }];
    state.set(r.id, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const list = out.get(top.id) ?? [];
      if (top.i >= list.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const e = list[top.i++];
      const s = state.get(e.target);
      if (s === 1) back.add(e);
      else if (s === undefined) {
        state.set(e.target, 1);
        stack.push({ id: e.target, i: 0 });
      }
    }
  }
  // longest-path layers over the forward edges (Kahn's order)
  const indeg = new Map(nodes.map((n) => [n.id, 0]));
  for (const list of out.values())
    for (const e of list) if (!back.has(e)) indeg.set(e.target, indeg.get(e.target)! + 1);
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q];
    for (const e of out.get(id) ?? []) {
      if (back.has(e)) continue;
      layer.set(e.target, Math.max(layer.get(e.target)!, layer.get(id)! + 1));
      indeg.set(e.target, indeg.get(e.target)! - 1);
      if (indeg.get(e.target) === 0) queue.push(e.target);
    }
  }
  const layers: GraphNode[][] = [];
  for (const n of nodes) (layers[layer.get(n.id)!] ??= []).push(n);
  const preds = new Map<string, string[]>();
  for (const list of out.values())
    for (const e of list)
      if (!back.has(e)) (preds.get(e.target) ?? preds.set(e.target, []).get(e.target)!).push(e.source);

  // labelled edges entering a layer: each turns towards its target on its own row
  const labelledInto = new Map<number, GraphEdge[]>();
  for (const list of out.values())
    for (const e of list)
      if (e.label)
        (
          labelledInto.get(layer.get(e.target)!) ??
          labelledInto.set(layer.get(e.target)!, []).get(layer.get(e.target)!)!
        ).push(e);

  // place: each node under the mean centre of its predecessors, pushed right to avoid overlap
  let y = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  const layerTop: number[] = [];
  for (let l = 0; l < layers.length; l++) {
    const row = layers[l] ?? [];
    if (l > 0) y += (labelledInto.get(l)?.length ?? 0) * LABEL_ROW;
    layerTop[l] = y;
    const want = row.map((n) => {
      const ps = (preds.get(n.id) ?? []).map((p) => ctx.boxes.get(p)!).filter(Boolean);
      return ps.length ? ps.reduce((s, b) => s + b.x + b.width / 2, 0) / ps.length : 0;
    });
    const order = row
      .map((n, i) => i)
      .sort((a, b) => want[a] - want[b] || index.get(row[a].id)! - index.get(row[b].id)!);
    let right = -Infinity;
    let h = 0;
    for (const i of order) {
      const b = ctx.boxes.get(row[i].id)!;
      b.x = Math.max(want[i] - b.width / 2, right + NODE_GAP);
      b.y = y;
      right = b.x + b.width;
      h = Math.max(h, b.height);
      minX = Math.min(minX, b.x);
      maxX = Math.max(maxX, right);
    }
    y += h + LAYER_GAP;
  }
  if (!nodes.length) return { width: 0, height: 0 };
  // lanes for long and back edges, on both sides
  let rightLanes = 0;
  let leftLanes = 0;
  const laneOf = new Map<GraphEdge, number>();
  for (const list of out.values()) {
    for (const e of list) {
      const span = layer.get(e.target)! - layer.get(e.source)!;
      if (back.has(e) || span <= 0) laneOf.set(e, -(1 + (leftLanes++ % MAX_LANES)));
      else if (span > 1) laneOf.set(e, 1 + (rightLanes++ % MAX_LANES));
    }
  }
  const leftPad = Math.min(leftLanes, MAX_LANES) * LANE + (leftLanes ? 8 : 0);
  const rightPad = Math.min(rightLanes, MAX_LANES) * LANE + (rightLanes ? 8 : 0);
  const shift = -minX + leftPad;
  for (const n of nodes) ctx.boxes.get(n.id)!.x += shift;
  const width = maxX - minX + leftPad + rightPad;
  const contentRight = maxX + shift;
  // the row of each labelled edge: nearest target lowest, so the turns of one fan do not cross
  const rowOf = new Map<GraphEdge, number>();
  for (const list of labelledInto.values()) {
    const reach = (e: GraphEdge) => {
      const sb = ctx.boxes.get(e.source)!;
      const tb = ctx.boxes.get(e.target)!;
      return Math.abs(tb.x + tb.width / 2 - (sb.x + sb.width / 2));
    };
    [...list].sort((a, b) => reach(a) - reach(b)).forEach((e, i) => rowOf.set(e, i));
  }
  // likewise several edges arrive side by side, ordered by where they come from
  const entries = new Map<string, GraphEdge[]>();
  for (const list of out.values())
    for (const e of list) (entries.get(e.target) ?? entries.set(e.target, []).get(e.target)!).push(e);
  for (const list of entries.values()) {
    const from = (e: GraphEdge) => {
      const b = ctx.boxes.get(e.source)!;
      return b.x + b.width / 2;
    };
    list.sort((a, b) => from(a) - from(b));
  }
  for (const list of out.values()) {
    // several edges leave a node side by side, ordered by where they go: no two share a line
    const centre = (e: GraphEdge) => {
      const b = ctx.boxes.get(e.target)!;
      return b.x + b.width / 2;
    };
    const exits = [...list].sort((a, b) => centre(a) - centre(b));
    for (const e of list) {
      const s = ctx.boxes.get(e.source)!;
      const t = ctx.boxes.get(e.target)!;
      // off-centre when several leave: a centred one would run into the edge entering the node below
      const k = exits.length;
      const sx = s.x + (s.width * (exits.indexOf(e) + 1 + (k > 1 ? 0.25 : 0))) / (k + 1);
      const tx = t.x + (t.width * (entries.get(e.target)!.indexOf(e) + 1)) / (entries.get(e.target)!.length + 1);
      const sy = s.y + s.height;
      const ty = t.y;
      const below = sy + LAYER_GAP / 2;
      const above = ty - LAYER_GAP / 2 - (rowOf.get(e) ?? 0) * LABEL_ROW;
      const lane = laneOf.get(e);
      let points: { x: number; y: number }[];
      if (lane === undefined)
        points =
          sx === tx
            ? [
                { x: sx, y: sy },
                { x: tx, y: ty },
              ]
            : [
                { x: sx, y: sy },
                { x: sx, y: above },
                { x: tx, y: above },
                { x: tx, y: ty },
              ];
      else {
        const lx = lane > 0 ? contentRight + 4 + lane * LANE : leftPad - 4 + lane * LANE;
        points = [
          { x: sx, y: sy },
          { x: sx, y: below },
          { x: lx, y: below },
          { x: lx, y: above },
          { x: tx, y: above },
          { x: tx, y: ty },
        ];
      }
      const label = e.label
        ? {
            x: tx + 4,
            y: above - GEOMETRY.labelHeight - 2,
            width: Math.round(e.label.length * GEOMETRY.labelCharWidth + 8),
            height: GEOMETRY.labelHeight,
          }
        : undefined;
      ctx.routes.set(e.id, { points, label });
    }
  }
  return { width, height: Math.max(0, y - LAYER_GAP) };
}

/** Moves a container's subtree to absolute coordinates. */
function translate(ctx: Ctx, container: string | undefined, dx: number, dy: number): void {
  for (const n of ctx.kids.get(container) ?? []) {
    const b = ctx.boxes.get(n.id)!;
    b.x += dx;
    b.y += dy;
    if (ctx.kids.has(n.id))
      translate(
        ctx,
        n.id,
        b.x + GEOMETRY.padding,
        b.y + (n.kind === 'scope' ? GEOMETRY.scopeHeader : GEOMETRY.stateHeader),
      );
  }
  for (const e of ctx.edgesIn.get(container) ?? []) {
    const r = ctx.routes.get(e.id);
    if (r) shiftRoute(r, dx, dy);
  }
}

/** Lays a graph out without elkjs, in time linear in its size. */
export function fastLayout(graph: StateGraph): GraphLayout {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const ctx: Ctx = { kids: new Map(), edgesIn: new Map(), boxes: new Map(), routes: new Map() };
  const parentOf = new Map<string, string | undefined>();
  for (const n of graph.nodes) {
    const p = n.parent && ids.has(n.parent) ? n.parent : undefined;
    parentOf.set(n.id, p);
    (ctx.kids.get(p) ?? ctx.kids.set(p, []).get(p)!).push(n);
  }
  for (const e of graph.edges) {
    const c = parentOf.get(e.source);
    (ctx.edgesIn.get(c) ?? ctx.edgesIn.set(c, []).get(c)!).push(e);
  }
  const size = layoutContainer(ctx, undefined);
  translate(ctx, undefined, GEOMETRY.padding, GEOMETRY.padding);
  const layout: GraphLayout = {
    width: Math.ceil(size.width + 2 * GEOMETRY.padding),
    height: Math.ceil(size.height + 2 * GEOMETRY.padding),
    nodes: {},
    edges: {},
  };
  for (const [id, b] of ctx.boxes) layout.nodes[id] = b;
  for (const [id, r] of ctx.routes) layout.edges[id] = r;
  return placeEdgeLabels(graph, layout);
}
