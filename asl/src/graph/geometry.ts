/** Sizes shared by the layouts (elkjs and fast) and the SVG renderer. */
import type { GraphNode } from './types';

/** Geometry constants shared by layout and renderer. */
export const GEOMETRY = {
  charWidth: 7,
  stateHeight: 44,
  stateMinWidth: 120,
  stateMaxWidth: 300,
  markerSize: 20,
  stateHeader: 44,
  scopeHeader: 24,
  padding: 12,
  labelHeight: 16,
  labelCharWidth: 6.2,
} as const;

/** Width of a state box for its name and subtitle. */
export function stateWidth(node: GraphNode): number {
  const subtitle = node.resource ?? node.type;
  const chars = Math.max(node.name.length, subtitle.length * 0.85);
  const badges =
    (node.retryCount ? 24 : 0) +
    (node.severity ? 20 : 0) +
    (node.resourceKind === 'ecs' || node.resourceKind === 'eks' ? 22 : 0);
  const w = chars * GEOMETRY.charWidth + 28 + badges;
  return Math.round(Math.min(GEOMETRY.stateMaxWidth, Math.max(GEOMETRY.stateMinWidth, w)));
}

/** Moves an edge's route and its label by (dx, dy), in place. */
export function shiftRoute(
  route: { points: { x: number; y: number }[]; label?: { x: number; y: number } },
  dx: number,
  dy: number,
): void {
  for (const p of route.points) {
    p.x += dx;
    p.y += dy;
  }
  if (route.label) {
    route.label.x += dx;
    route.label.y += dy;
  }
}
