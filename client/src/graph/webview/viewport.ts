/**
 * Pan, zoom and fit of the drawn graph (a transform on the SVG's `.viewport` group), and
 * keyboard navigation between nodes: arrow keys move to the nearest node in that direction,
 * Tab follows document order (native focus), Enter/Space activate.
 */
import type { GraphLayout } from '../../../../asl/src/graph/types';

export interface Transform {
  x: number;
  y: number;
  k: number;
}

const MIN_ZOOM = 0.05;
const MAX_ZOOM = 4;
const MARGIN = 16;
/** Below this zoom, labels are unreadable: the first view shows the top of the graph instead. */
const READABLE_ZOOM = 0.35;

/** Owns the transform of one container's SVG; survives re-renders (keeps the viewport). */
export class Viewport {
  transform: Transform = { x: MARGIN, y: MARGIN, k: 1 };
  /** true from the first view of a graph until the user (or a reveal) moves it */
  untouched = false;
  private svg: SVGSVGElement | undefined;
  private layout: GraphLayout | undefined;
  private drag: { x: number; y: number; tx: number; ty: number; id: number } | undefined;

  constructor(private readonly host: HTMLElement) {
    host.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    host.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    host.addEventListener('pointermove', (e) => this.onPointerMove(e));
    host.addEventListener('pointerup', (e) => this.endDrag(e));
    host.addEventListener('pointercancel', (e) => this.endDrag(e));
  }

  /** Attaches a freshly rendered SVG and re-applies the current transform. */
  attach(svg: SVGSVGElement, layout: GraphLayout): void {
    this.svg = svg;
    this.layout = layout;
    svg.removeAttribute('viewBox');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    this.apply();
  }

  /** Scales and centres the whole graph into the visible area (never above 100 %). */
  fit(): void {
    if (!this.layout) return;
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    const gw = this.layout.width + 2 * MARGIN;
    const gh = this.layout.height + 2 * MARGIN;
    const k = Math.max(MIN_ZOOM, Math.min(1, w / gw, h / gh));
    this.transform = {
      k,
      x: (w - this.layout.width * k) / 2,
      y: Math.max(MARGIN * k, (h - this.layout.height * k) / 2),
    };
    this.untouched = false;
    this.apply();
  }

  /**
   * The first view of a graph: all of it when that stays readable, else its top (where the
   * start is) at a readable zoom, centred horizontally.
   */
  initial(): void {
    if (!this.layout) return;
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    const fitK = Math.min(w / (this.layout.width + 2 * MARGIN), h / (this.layout.height + 2 * MARGIN));
    if (fitK >= READABLE_ZOOM) this.fit();
    else {
      const k = 0.8;
      const gw = this.layout.width * k;
      this.transform = { k, x: gw < w ? (w - gw) / 2 : MARGIN, y: MARGIN };
      this.apply();
    }
    this.untouched = true;
  }

  /** Zooms by `factor` around a point of the host (default: its centre). */
  zoom(factor: number, cx = this.host.clientWidth / 2, cy = this.host.clientHeight / 2): void {
    const t = this.transform;
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.k * factor));
    const f = k / t.k;
    this.transform = { k, x: cx - (cx - t.x) * f, y: cy - (cy - t.y) * f };
    this.untouched = false;
    this.apply();
  }

  /** Pans the least amount that brings a node's box into view. */
  reveal(id: string): void {
    const box = this.layout?.nodes[id];
    if (!box) return;
    const t = this.transform;
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    const left = box.x * t.k + t.x;
    const top = box.y * t.k + t.y;
    const right = left + box.width * t.k;
    const bottom = top + box.height * t.k;
    let dx = 0;
    let dy = 0;
    if (right > w - MARGIN) dx = w - MARGIN - right;
    if (left + dx < MARGIN) dx = MARGIN - left;
    if (bottom > h - MARGIN) dy = h - MARGIN - bottom;
    if (top + dy < MARGIN) dy = MARGIN - top;
    if (dx || dy) {
      this.transform = { ...t, x: t.x + dx, y: t.y + dy };
      this.untouched = false;
      this.apply();
    }
  }

  private apply(): void {
    const g = this.svg?.querySelector('.viewport');
    const t = this.transform;
    g?.setAttribute('transform', `translate(${t.x.toFixed(2)},${t.y.toFixed(2)}) scale(${t.k.toFixed(4)})`);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.host.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) >= 50)
      this.zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
    else {
      this.transform = { ...this.transform, x: this.transform.x - e.deltaX, y: this.transform.y - e.deltaY };
      this.untouched = false;
      this.apply();
    }
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || (e.target as Element).closest?.('.node.state')) return;
    this.drag = { x: e.clientX, y: e.clientY, tx: this.transform.x, ty: this.transform.y, id: e.pointerId };
    this.host.setPointerCapture?.(e.pointerId);
    this.host.classList.add('panning');
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.id) return;
    this.transform = {
      ...this.transform,
      x: this.drag.tx + e.clientX - this.drag.x,
      y: this.drag.ty + e.clientY - this.drag.y,
    };
    this.untouched = false;
    this.apply();
  }

  private endDrag(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.id) return;
    this.drag = undefined;
    this.host.releasePointerCapture?.(e.pointerId);
    this.host.classList.remove('panning');
  }
}

export type Direction = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

/**
 * The nearest node from `from` in a direction: among nodes whose centre lies in that
 * half-plane, the one minimising distance along the axis plus twice the sideways offset.
 */
export function nearestInDirection(
  layout: GraphLayout,
  ids: readonly string[],
  from: string,
  dir: Direction,
): string | undefined {
  const a = layout.nodes[from];
  if (!a) return undefined;
  const ax = a.x + a.width / 2;
  const ay = a.y + a.height / 2;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const id of ids) {
    if (id === from) continue;
    const b = layout.nodes[id];
    if (!b) continue;
    const dx = b.x + b.width / 2 - ax;
    const dy = b.y + b.height / 2 - ay;
    const along = dir === 'ArrowDown' ? dy : dir === 'ArrowUp' ? -dy : dir === 'ArrowRight' ? dx : -dx;
    const side = dir === 'ArrowDown' || dir === 'ArrowUp' ? Math.abs(dx) : Math.abs(dy);
    if (along <= 1) continue;
    const score = along + 2 * side;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
