/**
 * Places edge labels beside their own edge, after either layout (elkjs or fast). Layout
 * engines put a label where their label dummy ended up, which after orthogonal routing can be
 * next to a different edge (a Catch's "States.ALL" beside the solid Next edge). Here each label
 * touches one segment of its own edge and avoids state boxes, other labels and other edges:
 * the candidates are both sides of each vertical segment and above/below each horizontal one,
 * nearest the target first; the first candidate without conflicts wins, else the one with
 * the fewest. A spatial grid keeps it near-linear for thousands of labels.
 */
import { shiftRoute } from './geometry';
import type { GraphLayout, StateGraph } from './types';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  edge: string;
}

/** Space between a label and the segment it belongs to, px. */
const GAP = 4;
/** Side of the grid cells the obstacles are bucketed in, px. */
const CELL = 64;

class Grid<T> {
  private readonly cells = new Map<string, T[]>();

  add(r: Rect, item: T): void {
    for (const k of this.keys(r)) (this.cells.get(k) ?? this.cells.set(k, []).get(k)!).push(item);
  }

  near(r: Rect): Set<T> {
    const out = new Set<T>();
    for (const k of this.keys(r)) for (const item of this.cells.get(k) ?? []) out.add(item);
    return out;
  }

  private *keys(r: Rect): Generator<string> {
    for (let cx = Math.floor(r.x / CELL); cx <= Math.floor((r.x + r.width) / CELL); cx++)
      for (let cy = Math.floor(r.y / CELL); cy <= Math.floor((r.y + r.height) / CELL); cy++) yield `${cx},${cy}`;
  }
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const segmentRect = (s: Segment): Rect => ({
  x: Math.min(s.x1, s.x2),
  y: Math.min(s.y1, s.y2),
  width: Math.abs(s.x2 - s.x1),
  height: Math.abs(s.y2 - s.y1),
});

/** Whether an axis-parallel segment passes through the inside of a rectangle. */
function crosses(s: Segment, r: Rect): boolean {
  const b = segmentRect(s);
  return b.x < r.x + r.width && r.x < b.x + b.width && b.y < r.y + r.height && r.y < b.y + b.height;
}

/** Label positions beside one segment, the middle of the segment first. */
function candidates(s: Segment, w: number, h: number): Rect[] {
  const out: Rect[] = [];
  if (s.x1 === s.x2) {
    const top = Math.min(s.y1, s.y2);
    const len = Math.abs(s.y2 - s.y1);
    if (len < h) return out;
    const mid = top + (len - h) / 2;
    const ys = [mid];
    for (let d = h / 2; d <= (len - h) / 2; d += h / 2) ys.push(mid - d, mid + d);
    for (const y of ys)
      out.push({ x: s.x1 + GAP, y, width: w, height: h }, { x: s.x1 - GAP - w, y, width: w, height: h });
  } else if (s.y1 === s.y2) {
    const left = Math.min(s.x1, s.x2);
    const len = Math.abs(s.x2 - s.x1);
    // a label longer than its segment still starts on it, at the end nearest the target
    const xs =
      len >= w
        ? [left + (len - w) / 2, left, left + len - w]
        : s.x2 >= s.x1
          ? [left + len - w, left]
          : [left, left + len - w];
    for (const x of xs)
      out.push({ x, y: s.y1 - GAP - h, width: w, height: h }, { x, y: s.y1 + GAP, width: w, height: h });
  }
  return out;
}

/** The parts of `s` that no segment of another edge runs along (collinear overlaps removed). */
function uniqueParts(s: Segment, segments: Grid<Segment>): Segment[] {
  const vertical = s.x1 === s.x2;
  const lo = vertical ? Math.min(s.y1, s.y2) : Math.min(s.x1, s.x2);
  const hi = vertical ? Math.max(s.y1, s.y2) : Math.max(s.x1, s.x2);
  const taken: [number, number][] = [];
  for (const o of segments.near(segmentRect(s))) {
    if (o.edge === s.edge) continue;
    const sameLine = vertical ? o.x1 === o.x2 && o.x1 === s.x1 : o.y1 === o.y2 && o.y1 === s.y1;
    if (!sameLine) continue;
    const a = vertical ? Math.min(o.y1, o.y2) : Math.min(o.x1, o.x2);
    const b = vertical ? Math.max(o.y1, o.y2) : Math.max(o.x1, o.x2);
    if (b > lo && a < hi) taken.push([a, b]);
  }
  taken.sort((p, q) => p[0] - q[0]);
  const parts: [number, number][] = [];
  let from = lo;
  for (const [a, b] of taken) {
    if (a > from) parts.push([from, a]);
    from = Math.max(from, b);
  }
  if (from < hi) parts.push([from, hi]);
  // keep the direction of the original segment: "nearest the target" relies on it
  const forward = vertical ? s.y2 >= s.y1 : s.x2 >= s.x1;
  const list = parts.map(([a, b]) =>
    vertical
      ? { x1: s.x1, x2: s.x1, y1: forward ? a : b, y2: forward ? b : a, edge: s.edge }
      : { y1: s.y1, y2: s.y1, x1: forward ? a : b, x2: forward ? b : a, edge: s.edge },
  );
  return forward ? list.reverse() : list;
}

/**
 * Moves every edge label of `layout` beside a segment of its own edge (in place; returns the
 * layout). Edges without points keep the label where the layout engine put it.
 */
export function placeEdgeLabels(graph: StateGraph, layout: GraphLayout): GraphLayout {
  const compound = new Set<string>();
  for (const n of graph.nodes) if (n.parent) compound.add(n.parent);
  const nodes = new Grid<Rect>();
  for (const [id, b] of Object.entries(layout.nodes)) if (!compound.has(id)) nodes.add(b, b);
  const segments = new Grid<Segment>();
  const byEdge = new Map<string, Segment[]>();
  for (const [id, e] of Object.entries(layout.edges)) {
    const list: Segment[] = [];
    for (let i = 1; i < e.points.length; i++) {
      const a = e.points[i - 1];
      const b = e.points[i];
      if (a.x === b.x && a.y === b.y) continue;
      const s = { x1: a.x, y1: a.y, x2: b.x, y2: b.y, edge: id };
      list.push(s);
      segments.add(segmentRect(s), s);
    }
    byEdge.set(id, list);
  }
  const labels = new Grid<Rect>();
  const inBounds = (r: Rect) =>
    r.x >= 0 && r.y >= 0 && r.x + r.width <= layout.width && r.y + r.height <= layout.height;
  const cost = (r: Rect, edge: string): number => {
    let c = 0;
    // outside the drawing is possible (the drawing grows), but worse than crossing an edge
    if (!inBounds(r)) c += 30;
    for (const b of nodes.near(r)) if (overlaps(r, b)) c += 1000;
    for (const l of labels.near(r)) if (overlaps(r, l)) c += 1000;
    // an edge passing through, or running right along, the label makes it read as that edge's
    const halo = { x: r.x - 3, y: r.y - 3, width: r.width + 6, height: r.height + 6 };
    for (const s of segments.near(halo)) if (crosses(s, halo)) c += s.edge === edge ? 1 : 10;
    return c;
  };
  for (const e of graph.edges) {
    const geo = layout.edges[e.id];
    const label = geo?.label;
    const own = byEdge.get(e.id);
    if (!label || !own?.length) continue;
    // the parts of the edge no other edge runs along, nearest the target first (that is where
    // a reader follows the edge to); shared parts only when nothing else is left
    const ordered = [...own].reverse();
    const unique = ordered.flatMap((s) => uniqueParts(s, segments));
    const anchors = [
      ...unique.filter((s) => s.x1 === s.x2),
      ...unique.filter((s) => s.y1 === s.y2),
      ...ordered.filter((s) => s.x1 === s.x2),
      ...ordered.filter((s) => s.y1 === s.y2),
    ];
    let best: Rect | undefined;
    let bestCost = Infinity;
    search: for (const [i, s] of anchors.entries()) {
      const base = i < unique.length ? 0 : 50;
      for (const r of candidates(s, label.width, label.height)) {
        const c = base + cost(r, e.id);
        if (c < bestCost) {
          best = r;
          bestCost = c;
          if (c === 0) break search;
        }
      }
    }
    if (best) geo.label = best;
    labels.add(geo.label!, geo.label!);
  }
  growToLabels(layout);
  return layout;
}

/** Grows the drawing so that every label is inside it (moving everything when one is left of or above it). */
function growToLabels(layout: GraphLayout): void {
  let minX = 0;
  let minY = 0;
  let maxX = layout.width;
  let maxY = layout.height;
  for (const e of Object.values(layout.edges)) {
    const l = e.label;
    if (!l) continue;
    minX = Math.min(minX, l.x);
    minY = Math.min(minY, l.y);
    maxX = Math.max(maxX, l.x + l.width);
    maxY = Math.max(maxY, l.y + l.height);
  }
  const dx = -minX;
  const dy = -minY;
  if (dx || dy) {
    for (const b of Object.values(layout.nodes)) {
      b.x += dx;
      b.y += dy;
    }
    for (const e of Object.values(layout.edges)) shiftRoute(e, dx, dy);
  }
  layout.width = Math.ceil(maxX + dx);
  layout.height = Math.ceil(maxY + dy);
}
